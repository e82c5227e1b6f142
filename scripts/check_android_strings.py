"""Checks the Android UI strings: English (values/) and German (values-de/) define the same
string and plurals names with the same format arguments, and every R.string.x / R.plurals.x
used by the Kotlin sources is defined."""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

FORMAT = re.compile(r"%(\d+\$)?[sd]")


def load(path: pathlib.Path) -> dict:
    names = {}
    for element in ET.parse(path).getroot():
        if element.tag == "string":
            names[("string", element.get("name"))] = sorted(FORMAT.findall(element.text or ""))
        elif element.tag == "plurals":
            items = {item.get("quantity"): sorted(FORMAT.findall(item.text or "")) for item in element}
            names[("plurals", element.get("name"))] = items.get("other")
    return names


def main(root: str) -> int:
    base = pathlib.Path(root)
    english = load(base / "res/values/strings.xml")
    german = load(base / "res/values-de/strings.xml")
    problems = []
    for key in sorted(set(english) | set(german)):
        if key not in german:
            problems.append(f"{key[0]} '{key[1]}' has no German text (values-de)")
        elif key not in english:
            problems.append(f"{key[0]} '{key[1]}' has no English text (values)")
        elif english[key] != german[key]:
            problems.append(f"{key[0]} '{key[1]}': format arguments differ: {english[key]} vs {german[key]}")
    used = set()
    for source in (base / "kotlin").rglob("*.kt"):
        for kind, name in re.findall(r"\bR\.(string|plurals)\.(\w+)", source.read_text()):
            used.add((kind, name))
            if (kind, name) not in english:
                problems.append(f"{source}: R.{kind}.{name} is not defined")
    unused = sorted(n for k, n in set(english) - used)
    for problem in problems:
        print(problem)
    print(f"android-strings: {len(english)} names in English and German"
          + (f"; unused: {', '.join(unused)}" if unused else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "android/app/src/main"))
