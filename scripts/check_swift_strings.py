"""Checks the iOS UI strings: every literal the Swift sources show through a localizing API
(Text, Label, Button, Section, ProgressView, navigationTitle, alert, String(localized:), LocalizedStringKey
returns, ...) has an entry in Localizable.xcstrings with a German translation whose format
arguments match the English key.

Keys are what Xcode derives from the literal: an interpolation becomes %@, or %lld when it
is written as `Int(...)` (the convention the app's Swift follows for integers)."""
import json
import pathlib
import re
import sys

# Calls whose first string literal argument is a LocalizedStringKey / String.LocalizationValue.
CALLS = r"(?:Text|Label|Button|Section|Picker|TextField|SecureField|Toggle|Link|LabeledContent|ContentUnavailableView|ProgressView|navigationTitle|alert|confirmationDialog)"
CALL = re.compile(r"\b" + CALLS + r'\(\s*"((?:[^"\\]|\\.)*)"')
LOCALIZED = re.compile(r'String\(localized:\s*"((?:[^"\\]|\\.)*)"')
# `empty: "..."` arguments and `case .x: "..."` returns typed as LocalizedStringKey.
EMPTY_ARG = re.compile(r'\bempty:\s*"((?:[^"\\]|\\.)*)"')
CASE_RETURN = re.compile(r'^\s*case [^:]+:\s*"((?:[^"\\]|\\.)*)"\s*$', re.M)
SPEC = re.compile(r"%(?:\d+\$)?(@|lld|d)")


def key_of(literal: str) -> str:
    out, i = [], 0
    while i < len(literal):
        if literal.startswith("\\(", i):
            depth, j = 1, i + 2
            while j < len(literal) and depth:
                depth += {"(": 1, ")": -1}.get(literal[j], 0)
                j += 1
            expr = literal[i + 2 : j - 1].strip()
            out.append("%lld" if expr.startswith("Int(") else "%@")
            i = j
        elif literal.startswith("\\n", i):
            out.append("\n")
            i += 2
        elif literal.startswith('\\"', i):
            out.append('"')
            i += 2
        else:
            out.append(literal[i])
            i += 1
    return "".join(out)


def specs(text: str) -> list:
    return sorted(SPEC.findall(text))


def main(root: str) -> int:
    base = pathlib.Path(root)
    catalog_path = base / "Marktplatz/Resources/Localizable.xcstrings"
    catalog = json.loads(catalog_path.read_text())
    entries = catalog.get("strings", {})
    problems = []
    used = set()
    for source in sorted((base / "Marktplatz").rglob("*.swift")):
        text = source.read_text()
        literals = CALL.findall(text) + LOCALIZED.findall(text) + EMPTY_ARG.findall(text) + CASE_RETURN.findall(text)
        for literal in literals:
            key = key_of(literal)
            if not key.strip() or not re.search(r"[A-Za-z]", key):
                continue
            used.add(key)
            if key not in entries:
                problems.append(f"{source}: {key!r} is not in Localizable.xcstrings")
    for key, entry in sorted(entries.items()):
        german = entry.get("localizations", {}).get("de")
        if german is None:
            problems.append(f"{key!r} has no German translation")
            continue
        if "stringUnit" in german:
            values = [german["stringUnit"].get("value", "")]
        else:
            plural = german.get("variations", {}).get("plural", {})
            values = [v["stringUnit"]["value"] for v in plural.values()]
            if "other" not in plural:
                problems.append(f"{key!r}: German plural has no 'other' form")
        for value in values:
            if specs(value) != specs(key):
                problems.append(f"{key!r}: German {value!r} has other format arguments")
    unused = sorted(set(entries) - used)
    for problem in problems:
        print(problem)
    print(f"swift-strings: {len(used)} UI strings used, {len(entries)} in the catalogue with German"
          + (f"; not found in code (kept for Info.plist or built at runtime): {len(unused)}" if unused else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "ios"))
