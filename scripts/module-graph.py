#!/usr/bin/env python3
"""Prints the module graph of a crate's source tree and fails on circles.

For each module, the modules it names through `crate::` and `super::` paths (comments and
`#[cfg(test)] mod tests` left out), cut at DEPTH path segments (1: top-level modules). A module
naming its own parent or child does not count. Exits 1 when modules import each other in a
circle (a strongly connected component of more than one module).

    scripts/module-graph.py core/src [DEPTH]
"""
import os
import re
import sys


def module_path(root, path):
    parts = os.path.relpath(path, root)[:-3].split(os.sep)
    if parts[-1] == "mod":
        parts = parts[:-1]
    return [] if parts in (["lib"], ["main"]) else parts


def code_of(path):
    text = re.sub(r"//[^\n]*", "", open(path, encoding="utf-8").read())
    cut = text.find("#[cfg(test)]\nmod tests")
    return text[:cut] if cut >= 0 else text


def use_paths(tree):
    """The paths a use tree names: `a::{b, c::{d}}` -> a::b, a::c::d."""
    tree = tree.strip()
    if not tree.startswith("{"):
        head, brace, rest = tree.partition("::{")
        return [head + "::" + p for p in use_paths("{" + rest)] if brace else [tree]
    inner = tree[1 : tree.rfind("}")]
    parts, buf, depth = [], "", 0
    for c in inner:
        depth += (c == "{") - (c == "}")
        if c == "," and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += c
    parts.append(buf)
    return [q for p in parts if p.strip() for q in use_paths(p)]


def graph(root, depth):
    edges = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs") or name == "tests.rs" or os.path.basename(folder) == "tests":
                continue
            path = os.path.join(folder, name)
            me = module_path(root, path)
            if not me:
                continue
            mine = "::".join(me[:depth])
            for m in re.finditer(r"\b(crate|super)::(\{[^;]*?\}|[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*)", code_of(path)):
                for named in use_paths(m.group(2)):
                    segs = [s for s in named.split("::") if s and s != "self"]
                    target = segs if m.group(1) == "crate" else me[:-1] + segs
                    mods = []
                    for seg in target:
                        candidate = os.path.join(root, *(mods + [seg]))
                        if not (os.path.isfile(candidate + ".rs") or os.path.isdir(candidate)):
                            break
                        mods.append(seg)
                    other = "::".join(mods[:depth])
                    if other and other != mine and not mine.startswith(other + "::") and not other.startswith(mine + "::"):
                        edges.setdefault(mine, set()).add(other)
    return edges


def circles(edges):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def main():
    root = sys.argv[1]
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    edges = graph(root, depth)
    for module in sorted(edges):
        print(f"{module} -> {', '.join(sorted(edges[module]))}")
    found = circles(edges)
    print(f"{root}: circles: {found if found else 'none'}")
    sys.exit(1 if found else 0)


sys.setrecursionlimit(10000)
main()
