#!/bin/sh
# t49-record-tree: the command's process tree (procfs tree_cpu_time) is read
# at its own period (--tree-interval, default 1 s, never faster than procfs
# samples), written in the trace as META procfs.tree_interval_ns and in the
# closing line, and once more when the command exits: the last value then
# holds all the command's CPU time, which the command measures itself
# (CLOCK_PROCESS_CPUTIME_ID at its very end).  No timing assumption: the
# exit read is told apart by a period of an hour, the grid by lower bounds.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
HZ=$(getconf CLK_TCK)

# tree_cpu_time's (t_ns, seconds) pairs of a trace, one per line
cat >"$T/tree.py" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import wlog_dump
tr = wlog_dump.Trace(open(sys.argv[1], "rb").read(), sys.argv[1])
ids = None
for kind, _o, rec in tr.records():
    if kind == 2 and rec["name"] == b"tree_cpu_time":
        ids = rec["id"]
    if kind == 3:
        for cid, raw in rec["vals"]:
            if cid == ids:
                print(rec["t"], raw * tr.channels[cid]["scale"])
PY
tree() { python3 "$T/tree.py" "$1" "$R/scripts"; }

# 1. read at the first sample and at the command's exit: with a period of an
# hour no other read comes, whatever the machine's speed; the command burns
# 0.3 s of CPU and exits, and the exit read holds all of it
"$REC" -q -i 10ms --tree-interval 1h --sysfs-root "$FSYS" -o "$T/a.wlog" -- python3 -c "
import time
while time.process_time() < 0.3: pass
open('$T/cpu', 'w').write(repr(time.process_time()))" || fail "record a"
summary "$T/a.wlog" >"$T/a.s" || fail "reader"
grep -q '^meta procfs.tree_interval_ns=3600000000000$' "$T/a.s" ||
	fail "META procfs.tree_interval_ns: $(grep tree_interval "$T/a.s")"
tree "$T/a.wlog" >"$T/a.tree" || fail "tree reader"
[ "$(wc -l <"$T/a.tree")" = 2 ] || fail "tree read $(wc -l <"$T/a.tree") times, not at start and exit: $(cat "$T/a.tree")"
python3 - "$T/a.tree" "$T/cpu" "$HZ" <<'PY' || fail "last tree value"
import sys
last = float(open(sys.argv[1]).read().split()[-1])
own, hz = float(open(sys.argv[2]).read()), int(sys.argv[3])
print("tree at exit %.3f s, the command's own clock %.3f s" % (last, own))
# the tree rounds down to ticks; after its last clock read the command only
# writes a file and exits (the interpreter's teardown: < 0.15 s)
sys.exit(not (own - 2.0 / hz <= last <= own + 0.15))
PY

# 2. --tree-interval 200ms: reads on their 200 ms grid (10 ms early at most:
# 1/20 of it), then the one at exit.  The command runs until the trace
# holds 5 tree reads (a handshake, however slow the machine), so 6 with the
# exit read; the grid is judged by the trace's timestamps: read k never
# before t0 + k x 200 ms - 10 ms (skipped deadlines only push reads later),
# and some two reads less than 1.5 periods apart (at 200 ms, not slower)
"$REC" -q -i 10ms --tree-interval 200ms --flush-interval 20ms --sysfs-root "$FSYS" -o "$T/b.wlog" -- \
	sh -c 'i=0; until [ "$(python3 "$0" "$1" "$2" | wc -l)" -ge 5 ] || [ $i -ge 1500 ]; do
		sleep 0.02; i=$((i + 1)); done' "$T/tree.py" "$T/b.wlog" "$R/scripts" || fail "record b"
summary "$T/b.wlog" >"$T/b.s" || fail "reader"
grep -q '^meta procfs.tree_interval_ns=200000000$' "$T/b.s" || fail "META: $(grep tree_interval "$T/b.s")"
tree "$T/b.wlog" >"$T/b.tree" || fail "tree reader"
python3 - "$T/b.tree" <<'PY' || fail "tree period"
import sys
t = [int(l.split()[0]) for l in open(sys.argv[1])]
gaps = [(b - a) / 1e6 for a, b in zip(t, t[1:])]
print("tree reads %d, gaps (ms) %s" % (len(t), " ".join("%.0f" % g for g in gaps)))
ok = len(t) >= 6 and all(t[k] >= t[0] + k * 200e6 - 10e6 for k in range(len(t) - 1))
ok = ok and min(gaps[:-1]) < 300
sys.exit(not ok)
PY

# 4. a tree that changes: sh starts two children one after the other, each
# burning 0.2 s by its own clock; read every 100 ms (its files kept open from
# one read to the next), the counter never goes back, and the read at exit
# holds both children (waited for: in sh's cutime) and sh's own time
"$REC" -q -i 10ms --tree-interval 100ms --sysfs-root "$FSYS" -o "$T/f.wlog" -- sh -c "
	for k in 1 2; do python3 -c \"
import time
while time.process_time() < 0.2: pass
open('$T/own\$k', 'w').write(repr(time.process_time()))\"; done" || fail "record f"
tree "$T/f.wlog" >"$T/f.tree" || fail "tree reader"
python3 - "$T/f.tree" "$T/own1" "$T/own2" "$HZ" <<'PY' || fail "changing tree"
import sys
v = [float(l.split()[1]) for l in open(sys.argv[1])]
own = float(open(sys.argv[2]).read()) + float(open(sys.argv[3]).read())
hz = int(sys.argv[4])
print("tree reads %d, at exit %.3f s; the children's own clocks %.3f s" % (len(v), v[-1], own))
# each child's ticks round down (2 ticks); sh and the interpreters' teardowns
# add a little (< 0.3 s)
sys.exit(not (all(b >= a for a, b in zip(v, v[1:])) and len(v) >= 4 and
              own - 4.0 / hz <= v[-1] <= own + 0.3))
PY

# 3. the default, 1 s, in the trace and the closing line; never faster than
# procfs samples: -i 300ms with --tree-interval 100ms reads every 300 ms
"$REC" -i 10ms --sysfs-root "$FSYS" -o "$T/c1.wlog" -- true 2>"$T/c1.err" || fail "record c1"
summary "$T/c1.wlog" >"$T/c1.s" || fail "reader"
grep -q '^meta procfs.tree_interval_ns=1000000000$' "$T/c1.s" || fail "META: $(grep tree_interval "$T/c1.s")"
grep -q "command's process tree every 1 s" "$T/c1.err" || fail "closing line: $(cat "$T/c1.err")"
"$REC" -i 300ms --tree-interval 100ms --sysfs-root "$FSYS" -o "$T/c.wlog" -- true 2>"$T/c.err" ||
	fail "record c"
summary "$T/c.wlog" >"$T/c.s" || fail "reader"
grep -q '^meta procfs.tree_interval_ns=300000000$' "$T/c.s" || fail "META: $(grep tree_interval "$T/c.s")"
grep -q "command's process tree every 0.3 s" "$T/c.err" || fail "closing line: $(cat "$T/c.err")"
# without a command: no tree, no period
"$REC" -d 100ms --sysfs-root "$FSYS" -o "$T/d.wlog" 2>"$T/d.err" || fail "record d"
grep -q "process tree" "$T/d.err" && fail "a tree without a command: $(cat "$T/d.err")"
summary "$T/d.wlog" | grep -q tree_interval && fail "META tree_interval_ns without a command"
"$REC" --tree-interval 0 -- true 2>"$T/e.err" && fail "--tree-interval 0 accepted"
grep -q "bad tree interval '0': must be > 0" "$T/e.err" || fail "message: $(cat "$T/e.err")"
exit 0
