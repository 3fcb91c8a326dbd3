#!/usr/bin/env python3
"""file-cycles.py BUILD_OBJ_DIR [KNOWN] - lists the cycles between source
files: file A uses a function or object that file B defines, and B (directly
or through others) uses one that A defines.  Two files in such a cycle are
one concept cut in two (STYLE.md).  Read from the objects' symbol tables
(nm), so a call through any header counts, and nothing is guessed from
names.

Prints one line per cycle (its files, sorted, joined by " <-> ").  With
KNOWN (a file of such lines, '#' comments allowed), exits 1 when a cycle is
not listed there: the list may only shrink.
"""
import os
import subprocess
import sys


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj], capture_output=True,
                         text=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3}
    out = subprocess.run(["nm", "-u", obj], capture_output=True, text=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, used


def main():
    root = sys.argv[1]
    objs = []
    for d, _dirs, files in os.walk(root):
        objs += [os.path.join(d, f) for f in files if f.endswith(".o")]
    name = {o: os.path.relpath(o, root)[:-2] + ".c" for o in objs}
    # an object left by a source that moved or went away is not a file now
    objs = [o for o in objs if os.path.exists(name[o])]
    defs, uses, owner = {}, {}, {}
    for o in objs:
        defs[o], uses[o] = symbols(o)
        for s in defs[o]:
            owner.setdefault(s, o)
    edges = {o: {owner[s] for s in uses[o] if s in owner and owner[s] != o} for o in objs}
    # Tarjan's strongly connected components
    index, low, stack, on, sccs, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop()
                on.discard(w)
                c.append(w)
                if w == v:
                    break
            if len(c) > 1:
                sccs.append(" <-> ".join(sorted(name[x] for x in c)))

    sys.setrecursionlimit(10000)
    for o in sorted(objs):
        if o not in index:
            visit(o)
    sccs.sort()
    for c in sccs:
        print(c)
    if len(sys.argv) > 2:
        known = set()
        for line in open(sys.argv[2]):
            line = line.strip()
            if line and not line.startswith("#"):
                known.add(line)
        new = [c for c in sccs if c not in known]
        if new:
            print("file-cycles: %d cycle(s) not in %s:" % (len(new), sys.argv[2]), file=sys.stderr)
            for c in new:
                print("  " + c, file=sys.stderr)
            return 1
    return 0


sys.exit(main())
