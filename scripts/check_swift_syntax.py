"""Syntax check of Swift sources with tree-sitter-swift: prints each ERROR/MISSING node."""
import pathlib
import sys

import tree_sitter
import tree_sitter_swift

GENERATED = {"MarktplatzFFI.swift"}


def problems(tree):
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
        stack.extend(node.children)


# Parsed on every run: the check must find its deliberate error, or it proves nothing.
PROBE = b"struct Probe {\n    func broken( -> Int { 1 }\n}\n"


def main(root: str) -> int:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_swift.language()))
    if not list(problems(parser.parse(PROBE))):
        print("swift: the probe's deliberate syntax error was not reported: the check is broken")
        return 1
    files = sorted(p for p in pathlib.Path(root).rglob("*.swift") if p.name not in GENERATED)
    failed = 0
    for path in files:
        source = path.read_bytes()
        found = list(problems(parser.parse(source)))
        for node in found[:5]:
            line, column = node.start_point
            kind = "missing " + node.type if node.is_missing else "syntax error"
            snippet = source[node.start_byte:node.end_byte][:60].decode(errors="replace")
            print(f"{path}:{line + 1}:{column + 1}: {kind}: {snippet!r}")
        failed += bool(found)
    print(f"swift: {len(files)} files parsed, {failed} with syntax errors (the probe's deliberate one was caught)")
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "ios"))
