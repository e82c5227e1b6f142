#!/usr/bin/env python3
"""Which of the FFI's exported methods each app calls (issue 21: every exported method is called
from a screen of each app, or removed from the FFI).

A method counts as called by an app when its name (camelCase, as uniffi generates it) is called
in the app's own code, directly or through the app's repository: a wrapper in
`android/core-bridge` or `ios/MarktplatzKit/Sources` that calls the method counts when the app
calls the wrapper. Tests and generated code do not count.

The methods no screen calls yet are listed in `docs/ffi-coverage.md` (a table: method, Android,
iOS). The check fails when a method is uncalled and not listed (a screen lost it, or a new export
has no screen) and when a listed method is called now (the list must shrink with the work).

    scripts/ffi-coverage.py            # check, print the figures
    scripts/ffi-coverage.py --write    # rewrite docs/ffi-coverage.md from what is found
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDINGS = ROOT / "bindings" / "src"
GAPS = ROOT / "docs" / "ffi-coverage.md"

APPS = {
    "Android": {
        "wrappers": [ROOT / "android" / "core-bridge" / "src" / "main"],
        "screens": [ROOT / "android" / "app" / "src" / "main"],
        "suffix": ".kt",
        "fn": re.compile(r"\bfun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?(\w+)\s*\("),
    },
    "iOS": {
        "wrappers": [ROOT / "ios" / "MarktplatzKit" / "Sources"],
        "screens": [ROOT / "ios" / "Marktplatz"],
        "suffix": ".swift",
        "fn": re.compile(r"\bfunc\s+(\w+)\s*[(<]"),
    },
}

# Constructors are called by their type's name; trait exports `with_foreign` are implemented by
# the apps, not called by them.
EXPORT = re.compile(r"#\[uniffi::export(\([^)]*\))?\]")
METHOD = re.compile(r"^\s*pub (?:async )?fn (\w+)", re.M)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def exported_methods() -> dict[str, str]:
    """camelCase name -> `file: rust_name` for every exported method and function."""
    found: dict[str, str] = {}
    for path in sorted(BINDINGS.rglob("*.rs")):
        text = path.read_text(encoding="utf-8")
        for export in EXPORT.finditer(text):
            if export.group(1) and "with_foreign" in export.group(1):
                continue
            rest = text[export.end():]
            item = rest.lstrip()
            if item.startswith("pub fn") or item.startswith("pub async fn"):
                body = item[: item.find("{") + 1]
            elif item.startswith("impl"):
                body = block(item)
            else:
                continue
            for method in METHOD.finditer(body):
                name = method.group(1)
                if name == "new":
                    continue
                found[camel(name)] = f"{path.relative_to(ROOT)}: {name}"
    return found


def block(text: str) -> str:
    """The text of the first `{ ... }` block (braces balanced; strings are not special here)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return text


def sources(dirs: list[Path], suffix: str) -> list[str]:
    texts = []
    for d in dirs:
        for path in sorted(d.rglob(f"*{suffix}")):
            if "/build/" in str(path) or "/Generated/" in str(path):
                continue
            texts.append(without_comments(path.read_text(encoding="utf-8")))
    return texts


def without_comments(text: str) -> str:
    """Kotlin and Swift text without `//` and `/* */` comments (a method named in a comment is
    not a call). Strings are left alone: a `//` inside one (a URL) cuts the rest of its line,
    which holds no call worth counting."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def calls(texts: list[str]) -> set[str]:
    # `name(` or a trailing lambda `name {`, but not a function type such as `suspend () -> T`.
    call = re.compile(r"(?<![\w])(\w+)\s*(?:\((?!\)\s*->)|\{)")
    return {m.group(1) for text in texts for m in call.finditer(text)}


def wrappers_of(texts: list[str], fn: re.Pattern[str], methods: set[str]) -> dict[str, set[str]]:
    """Method -> the wrapper functions whose bodies call it (a body runs to the next function)."""
    result: dict[str, set[str]] = {}
    for text in texts:
        starts = [(m.start(), m.group(1)) for m in fn.finditer(text)]
        for index, (start, name) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            body = text[start:end]
            for called in re.finditer(r"\.(\w+)\s*\(", body):
                if called.group(1) in methods:
                    result.setdefault(called.group(1), set()).add(name)
    return result


def coverage() -> tuple[dict[str, str], dict[str, set[str]]]:
    methods = exported_methods()
    called: dict[str, set[str]] = {}
    for app, spec in APPS.items():
        screens = calls(sources(spec["screens"], spec["suffix"]))
        wrapper_texts = sources(spec["wrappers"], spec["suffix"])
        wrappers = wrappers_of(wrapper_texts, spec["fn"], set(methods))
        reached = set()
        for method in methods:
            if method in screens or any(w in screens for w in wrappers.get(method, ())):
                reached.add(method)
        called[app] = reached
    return methods, called


def read_table() -> dict[str, dict[str, str]]:
    """App -> method -> its cell in the table ("missing", or "not needed: why")."""
    table: dict[str, dict[str, str]] = {app: {} for app in APPS}
    if not GAPS.exists():
        return table
    for line in GAPS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        method = cells[0].strip("`")
        for app, cell in zip(APPS, cells[1:]):
            if cell != "called":
                table[app][method] = cell
    return table


def write_gaps(methods: dict[str, str], called: dict[str, set[str]]) -> None:
    kept = read_table()
    rows = []
    for method in sorted(methods):
        marks = [
            "called" if method in called[app] else kept[app].get(method, "missing")
            for app in APPS
        ]
        if any(mark != "called" for mark in marks):
            rows.append(f"| `{method}` | {marks[0]} | {marks[1]} |")
    GAPS.write_text(
        "# FFI methods no screen calls yet\n\n"
        "Issue 21 asks that every method the FFI exports is called from a screen of each app, or\n"
        "removed from the FFI. `scripts/ffi-coverage.py` (run by `scripts/test.sh`) finds the calls\n"
        "and checks this list: it fails when a method is uncalled and not listed here, and when a\n"
        "listed one is called now. A cell \"not needed: why\" marks a method one platform has no\n"
        "use for. `scripts/ffi-coverage.py --write` rewrites the table and keeps those cells.\n\n"
        "| method | Android | iOS |\n|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )


def main() -> int:
    methods, called = coverage()
    if "--write" in sys.argv[1:]:
        write_gaps(methods, called)
    table = read_table()
    problems = []
    for app in APPS:
        missing = set(methods) - called[app]
        listed = set(table[app])
        for method in sorted(missing - listed):
            problems.append(f"{app}: `{method}` ({methods[method]}) is called by no screen and not in {GAPS.name}")
        for method in sorted(listed - missing):
            state = "is called now" if method in methods else "is not exported any more"
            problems.append(f"{app}: `{method}` {state}: take it out of {GAPS.name}")
        not_needed = sum(1 for cell in table[app].values() if cell.startswith("not needed"))
        print(
            f"ffi-coverage: {app}: {len(called[app])} of {len(methods)} exported methods called"
            f" from a screen; {len(missing) - not_needed} missing, {not_needed} not needed there"
        )
    for problem in problems:
        print(f"ffi-coverage: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
