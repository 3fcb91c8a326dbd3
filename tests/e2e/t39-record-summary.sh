#!/bin/sh
# t39-record-summary: the recorder's closing line on stderr (time, samples
# per source as the independent reader counts them, rate held against the
# rate asked, energy per component where a counter gives it), its warning when a source cannot hold the rate asked (1 us),
# none with -q; -o with %Y%m%d-%H%M%S, %p and %h outside Slurm; and `wattlog
# info` giving NVML's 20 ms and 100 ms polling groups apart, each rate as
# the independent reader's CSV gives it.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

# the closing line's energy per component, where a counter gives it (the
# fake NVML's total-energy counters, gpu0 and gpu1), against the counter's
# last minus first reading as the independent reader dumps them
WATTLOG_NVML_LIB=$B/tests/libfake-nvml.so WATTLOG_FAKE_NVML=$R/fixtures/nvml/h100x2.txt \
	"$REC" --flush-interval 20ms -o "$T/e.wlog" --sysfs-root "$FSYS" -- \
	python3 "$WAIT_TRACE" "$T/e.wlog" nvml 60 >/dev/null 2>"$T/err" || fail "nvml record: exit $?"
line=$(grep "^wattlog-record: [0-9.]* s in '$T/e.wlog': " "$T/err") || fail "no summary: $(cat "$T/err")"
python3 "$R/scripts/wlog_dump.py" -o "$T/e.csv" "$T/e.wlog" || fail "wlog_dump"
# The fake counter adds 2 J a call whatever the time between calls: two
# reads less than 0.2 ms apart (a loaded machine, the loop catching up)
# look like more than 10 kW, which the energy rule leaves out as
# implausible.  Then the closing line must be below the raw difference and
# agree with the report's energy of that counter.
"$B/wattlog" report --format json "$T/e.wlog" >"$T/e.json" 2>/dev/null || fail "report of e.wlog"
python3 - "$T/e.csv" "$line" "$T/e.json" <<'PY' || fail "summary energy: $line"
import csv, json, re, sys
rows = list(csv.reader(open(sys.argv[1])))
head, rows = rows[0], rows[1:]
rep = json.load(open(sys.argv[3]))["energy_j"]
got = dict((c, float(j)) for c, j in re.findall(r"(gpu[0-9]+) ([0-9.]+) J", sys.argv[2].split("; energy ")[1]))
assert sorted(got) == ["gpu0", "gpu1"], got
for gpu, j in got.items():
    i = head.index(gpu + " energy [J]")
    tv = [(float(r[0]), float(r[i])) for r in rows if r[i] != ""]
    v = [x for _, x in tv]
    fast, (tl, vl) = 0, tv[0]
    for t, x in tv[1:]:  # the counter rule: an unchanged read or no time waits for the next
        if x == vl or t <= tl:
            continue
        fast += (x - vl) / (t - tl) > 10000
        tl, vl = t, x
    assert len(v) > 10, (gpu, len(v))
    if fast == 0:
        assert abs(j - (v[-1] - v[0])) <= 0.05, (gpu, j, v[-1] - v[0])
    else:  # the excluded intervals bridged at a plausible power: less than the raw difference
        cj = rep["component_detail"][gpu]["counter_j"]
        assert j < v[-1] - v[0] and abs(j - cj) <= 0.05, (gpu, j, cj, v[-1] - v[0], fast)
PY
# the fake sysfs tree's RAPL files never change: no energy from them (not 0 J)
echo "$line" | grep -q '; energy .*cpu' && fail "energy of a counter that never changed: $line"

# patterns outside Slurm: date and time, the recorder's pid, the host
unset SLURM_JOB_ID
before=$(date +%Y%m%d-%H%M%S)
"$REC" -d 300ms --sysfs-root "$FSYS" -o "$T/r-%Y%m%d-%H%M%S-%p-%h.wlog" 2>"$T/err" &
pid=$!
wait $pid || fail "record: exit $?: $(cat "$T/err")"
after=$(date +%Y%m%d-%H%M%S)
f=$(cd "$T" && ls r-*.wlog) || fail "no trace from the pattern"
host=$(hostname | cut -d. -f1)
stamp=${f#r-}
stamp=${stamp%%-$pid-$host.wlog}
[ "$stamp" != "${f#r-}" ] || fail "name $f: not r-DATE-TIME-$pid-$host.wlog"
echo "$stamp" | grep -Eq '^[0-9]{8}-[0-9]{6}$' || fail "stamp '$stamp' in $f"
{ [ "$stamp" \> "$before" ] || [ "$stamp" = "$before" ]; } &&
	{ [ "$stamp" \< "$after" ] || [ "$stamp" = "$after" ]; } || fail "stamp $stamp not in [$before, $after]"

# the closing line names the expanded file and each source's samples,
# as many as the independent reader finds
line=$(grep "^wattlog-record: [0-9.]* s in '$T/$f': " "$T/err") || fail "no summary: $(cat "$T/err")"
summary "$T/$f" >"$T/s" || fail "reader"
for src in powercap procfs; do
	n=$(val "samples $src" "$T/s")
	echo "$line" | grep -q " $src $n samples, [0-9.]* Hz of 100 asked" ||
		fail "$src: $n samples in the trace; summary: $line"
done
# a loaded machine may miss 10 ms: a warning is then right only when the
# closing line shows the same miss (same rate held, same sample count)
grep "warning" "$T/err" | while read -r w; do
	src=$(echo "$w" | sed -n 's/^wattlog-record: warning: \([a-z_0-9]*\) held \([0-9.]*\) Hz, not the 100 Hz asked (\([0-9]*\) of [0-9]* samples).*/\1 \2 \3/p')
	[ -n "$src" ] || fail "unexpected warning: $w"
	set -- $src
	echo "$line" | grep -q " $1 $3 samples, $2 Hz of 100 asked" || fail "warning '$w' against '$line'"
done || exit 1

# a rate no machine holds: 1 us
"$REC" -d 200ms -i 1us --sysfs-root "$FSYS" -o "$T/fast.wlog" 2>"$T/err" || fail "record -i 1us"
grep -q "^wattlog-record: warning: powercap held [0-9.e+]* Hz, not the 1e+06 Hz asked" "$T/err" ||
	fail "no warning at 1 us: $(cat "$T/err")"
"$REC" -q -d 200ms -i 1us --sysfs-root "$FSYS" -o "$T/quiet.wlog" 2>"$T/err" || fail "record -q"
[ -s "$T/err" ] && fail "-q: $(cat "$T/err")"

# info: NVML's polling groups apart (the fake NVML answers every group)
FAKE=$B/tests/libfake-nvml.so
[ -f "$FAKE" ] || fail "$FAKE not built"
WATTLOG_NVML_LIB=$FAKE WATTLOG_FAKE_NVML=$R/fixtures/nvml/h100x2.txt \
	"$REC" -q --flush-interval 20ms -o "$T/n.wlog" --sysfs-root "$FSYS" -- \
	python3 "$WAIT_TRACE" "$T/n.wlog" nvml 60 >/dev/null || fail "nvml record: exit $?"
"$B/wattlog" info "$T/n.wlog" >"$T/info" || fail "info"
sed -n '/^  nvml /,/^markers/p' "$T/info" >"$T/groups"
fast=$(grep '^    every .*: power.draw, power.draw.instant, energy$' "$T/groups") ||
	fail "no 20 ms group: $(cat "$T/groups")"
slow=$(grep '^    every .*temperature.gpu' "$T/groups") || fail "no 100 ms group: $(cat "$T/groups")"
python3 "$R/scripts/wlog_dump.py" -o "$T/n.csv" "$T/n.wlog" || fail "wlog_dump"
# each group's rate: the highest (n - 1) / (t_last - t_first) of the values
# of its channels (any GPU), as info prints it; and each group on its own
# period, judged by the CSV's timestamps (a loaded machine makes the
# recorder skip deadlines, so the rate held is not asserted): never faster
# than its period (within 10 %: the first read may be late), and sampled at
# it (two consecutive values of a channel less than 2 periods apart)
python3 - "$T/n.csv" "$fast" "$slow" <<'PY' || fail "group rates"
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1])))
head, rows = rows[0], rows[1:]
def times(i):
    return [float(r[0]) for r in rows if r[i] != ""]
def rate(i):
    t = times(i)
    return (len(t) - 1) / (t[-1] - t[0])
for line, period in ((sys.argv[2], 0.020), (sys.argv[3], 0.100)):
    hz = float(re.search(r", ([0-9.]+) Hz,", line).group(1))
    names = line.split(":", 1)[1].strip().split(", ")
    cols = [i for i, h in enumerate(head) if re.sub(r"^gpu[0-9]+ | \[.*\]$", "", h) in names]
    want = max(rate(i) for i in cols)
    assert abs(hz - want) < 0.002, (line, want)
    assert 1 / want >= 0.9 * period, ("faster than its period", line, 1 / want)
    gap = min(b - a for i in cols for a, b in zip(times(i), times(i)[1:]))
    assert gap < 2 * period, ("never two reads within 2 periods", line, gap)
PY
exit 0
