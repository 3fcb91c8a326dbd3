#!/bin/sh
# t70-compare.sh - `wattlog compare` end to end:
#  1. a simulated sweep (5 batch sizes x 3 repeats from `wattlog simulate`,
#     meta.json with output tokens): the table's means, sds and 95 % CIs equal
#     those computed here (python3 stdlib) from `wattlog report --format json`
#     of each run; the figures (bars, sweep, Pareto, power) exist as PNG and
#     PDF and are what their headers say;
#  2. real AIMeter runs (../shared): the 10 prefill-decode runs as one folder
#     against the 10 idle runs (baseline): energy mean, CI and ratio equal the
#     average of `wattlog report --format json` over the runs;
#  3. a folder that fails (a corrupt run, an empty folder) is reported and
#     skipped, the others compared, exit status 1; bad usage exits 2.
B=${WL_BUILD:-build}
W=$B/wattlog
SHARED=${WL_SHARED:-../shared}
[ -x "$W" ] || { echo "FAIL: $W not built"; exit 1; }
tmp=$(mktemp -d /tmp/wl-t70.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
# Under ASan: fontconfig keeps its caches until exit (not our leak).
printf 'leak:libfontconfig\nleak:libcairo\n' >"$tmp/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$tmp/lsan.supp}
PNGCHECK=$B/tests/png_check

# --- 1. simulated sweep -------------------------------------------------
for bs in 1 2 4 8 16; do
	d=$tmp/sweep/bs$bs
	mkdir -p "$d"
	dec=$((24 / (1 + bs / 4)))
	for rep in 1 2 3; do
		"$W" simulate --gpu A100 --schedule "idle 1s, prefill 2s, decode ${dec}s, idle 1s" \
			--mfu-decode 0.0$((2 + bs / 3)) --seed $((bs * 10 + rep)) \
			-o "$d/run$rep.wlog" || { echo "FAIL: simulate"; exit 1; }
	done
	printf '{"output_tokens": %d, "requests": %d}\n' $((bs * 256)) $bs > "$d/meta.json"
done
dirs=""
for bs in 1 2 4 8 16; do dirs="$dirs $tmp/sweep/bs$bs"; done
# shellcheck disable=SC2086
"$W" compare $dirs --baseline bs1 --name-pattern 'bs{batch_size}' --format json \
	-o "$tmp/sweep.json" --plots "$tmp/figs" --log xy -j 2 2>"$tmp/err" || {
	echo "FAIL: compare on the sweep exited $?"; cat "$tmp/err"; exit 1; }
for bs in 1 2 4 8 16; do
	for rep in 1 2 3; do
		"$W" report --format json "$tmp/sweep/bs$bs/run$rep.wlog" > "$tmp/sweep/bs$bs/r$rep.json" ||
			{ echo "FAIL: report bs$bs run$rep"; exit 1; }
	done
done

# Means, sds, CIs and ratios from the per-run reports.  t(0.975, 2) =
# 4.302652729911275 and t(0.975, 9) = 2.2621571627409915 from printed
# Student-t tables (python's stdlib has no t quantile).
cat > "$tmp/check.py" <<'EOF'
import json, math, sys
T = {2: 4.302652729911275, 9: 2.2621571627409915}
cmp_path, base = sys.argv[1], sys.argv[2]
groups = {}
for arg in sys.argv[3:]:
    label, path = arg.split('=', 1)
    groups.setdefault(label, []).append(json.load(open(path)))
c = json.load(open(cmp_path))
rows = {r['label']: r for r in c['rows']}
bad = 0
def near(what, got, want, rel=1e-9):
    global bad
    if got is None or abs(got - want) > rel * max(1.0, abs(want)):
        print('FAIL: %s = %s, want %.12g' % (what, got, want)); bad = 1
def stats(xs):
    n = len(xs); m = sum(xs) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return n, m, sd, sd / math.sqrt(n), T[n - 1] * sd / math.sqrt(n)
means = {}
for label, reps in groups.items():
    r = rows.get(label)
    if r is None:
        print('FAIL: no row %s' % label); bad = 1; continue
    if r['runs'] != len(reps):
        print('FAIL: %s runs %s, want %d' % (label, r['runs'], len(reps))); bad = 1
    e = [x['energy_j']['total'] for x in reps]
    d = [x['duration_s'] for x in reps]
    n, m, sd, se, ci = stats(e)
    got = r['metrics']['energy_j']
    near(label + ' energy mean', got['mean'], m)
    near(label + ' energy sd', got['sd'], sd, 1e-6)
    near(label + ' energy ci95 low', got['ci95'][0], m - ci, 1e-6)
    near(label + ' energy ci95 high', got['ci95'][1], m + ci, 1e-6)
    near(label + ' duration mean', r['metrics']['duration_s']['mean'], sum(d) / n)
    eff = [x['efficiency']['j_per_token'] for x in reps]
    if eff[0] is not None:
        near(label + ' j_per_token', r['metrics']['j_per_token']['mean'], sum(eff) / n)
    means[label] = (m, se)
    # per-phase energy: the report's phases (depth 0) summed by label, per
    # run, averaged over the runs that have the label
    per = {}
    for x in reps:
        sums = {}
        for ph in x.get('phases') or []:
            if ph.get('depth', 0) == 0 and ph['energy_j'] is not None:
                k = 'phase_%s_j' % ph['label'].replace(' ', '_')
                sums[k] = sums.get(k, 0.0) + ph['energy_j']
        for k, v in sums.items():
            per.setdefault(k, []).append(v)
    for k, vs in per.items():
        got = r['metrics'].get(k)
        if got is None:
            print('FAIL: %s has no %s' % (label, k)); bad = 1; continue
        if got['n'] != len(vs):
            print('FAIL: %s %s over %s runs, want %d' % (label, k, got['n'], len(vs))); bad = 1
        near(label + ' ' + k, got['mean'], sum(vs) / len(vs), 1e-9)
mb, sb = means[base]
for label, (m, se) in means.items():
    r = m / mb
    s = 0.0 if label == base else abs(r) * math.sqrt((se / m) ** 2 + (sb / mb) ** 2)
    got = rows[label]['metrics']['energy_j']
    near(label + ' ratio', got['ratio'], r)
    near(label + ' ratio se', got['ratio_se'], s, 1e-6)
if c['baseline'] != base:
    print('FAIL: baseline %s, want %s' % (c['baseline'], base)); bad = 1
sys.exit(bad)
EOF
args=""
for bs in 1 2 4 8 16; do
	for rep in 1 2 3; do args="$args bs$bs=$tmp/sweep/bs$bs/r$rep.json"; done
done
# shellcheck disable=SC2086
python3 "$tmp/check.py" "$tmp/sweep.json" bs1 $args || fail=1

# carbon at a constant 400 g/kWh: g = E [J] / 3.6e6 x 400, per run, so the
# mean carbon is the mean energy x 400 / 3.6e6; per token over 256 bs tokens
"$W" compare $dirs --intensity 400 --format json -o "$tmp/carbon.json" ||
	{ echo "FAIL: compare --intensity"; fail=1; }
python3 - "$tmp/carbon.json" <<'EOF' || fail=1
import json, sys
c = json.load(open(sys.argv[1]))
bad = 0
for r in c['rows']:
    m = r['metrics']
    e, g = m['energy_j']['mean'], m['carbon_g']['mean']
    if abs(g - e / 3.6e6 * 400) > 1e-9 * g:
        print('FAIL: %s carbon %r, want %r' % (r['label'], g, e / 3.6e6 * 400)); bad = 1
    bs = int(r['label'][2:])
    if abs(m['g_per_token']['mean'] - g / (256 * bs)) > 1e-9 * g:
        print('FAIL: %s g_per_token %r' % (r['label'], m['g_per_token']['mean'])); bad = 1
sys.exit(bad)
EOF

for f in bars-energy_j bars-avg_power_w bars-j_per_token sweep pareto power; do
	for ext in png pdf; do
		p=$tmp/figs/compare-$f.$ext
		[ -s "$p" ] || { echo "FAIL: $p missing or empty"; fail=1; continue; }
		case $ext in
		png) head -c 8 "$p" | od -An -c | grep -q 'P   N   G' ||
			{ echo "FAIL: $p is no PNG"; fail=1; }
			# drawn, not blank: ink in the central half (when built)
			if [ -x "$PNGCHECK" ]; then
				ink=$("$PNGCHECK" "$p" | awk '{ print $3 }')
				awk -v i="$ink" 'BEGIN { exit !(i > 0.002) }' ||
					{ echo "FAIL: $p looks blank (ink $ink)"; fail=1; }
			fi ;;
		pdf) head -c 5 "$p" | grep -q '%PDF-' || { echo "FAIL: $p is no PDF"; fail=1; } ;;
		esac
	done
done
# the text table prints mean ± CI and the ratio column
"$W" compare $dirs --baseline bs1 > "$tmp/sweep.txt" || { echo "FAIL: text"; fail=1; }
grep -q '^bs1 \*' "$tmp/sweep.txt" && grep -q 'ratio energy_j' "$tmp/sweep.txt" &&
	grep -q '±' "$tmp/sweep.txt" || { echo "FAIL: text table"; cat "$tmp/sweep.txt"; fail=1; }
"$W" compare $dirs --format csv > "$tmp/sweep.csv" || { echo "FAIL: csv"; fail=1; }
[ "$(wc -l < "$tmp/sweep.csv")" -eq 6 ] && head -1 "$tmp/sweep.csv" | grep -q 'energy_j_ci95' ||
	{ echo "FAIL: csv table"; head -3 "$tmp/sweep.csv"; fail=1; }

# --- 3. failures -----------------------------------------------------------
mkdir -p "$tmp/bad" "$tmp/empty"
printf 'time_s,gpu0_power [W]\n0,100\n1,100\n0.5,100\n' > "$tmp/bad/run.csv"
"$W" compare "$tmp/sweep/bs1" "$tmp/bad" "$tmp/sweep/bs2" "$tmp/empty" --baseline bs1 \
	> "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: a failed folder: exit $rc, want 1"; fail=1; }
grep -q "folder '$tmp/bad' skipped: .*run.csv" "$tmp/err" &&
	grep -q "folder '$tmp/empty' skipped: no run" "$tmp/err" ||
	{ echo "FAIL: failures not reported"; cat "$tmp/err"; fail=1; }
grep -q '^bs2 ' "$tmp/out" && ! grep -q '^bad' "$tmp/out" ||
	{ echo "FAIL: the good folders not compared"; cat "$tmp/out"; fail=1; }
"$W" compare "$tmp/bad" > /dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: no folder left should exit 2"; fail=1; }
"$W" compare --format nope "$tmp/sweep/bs1" > /dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: bad usage should exit 2"; fail=1; }
"$W" compare "$tmp/sweep/bs1" --baseline nowhere > /dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "baseline 'nowhere'" "$tmp/err" ||
	{ echo "FAIL: unknown baseline"; cat "$tmp/err"; fail=1; }

# --- 2. real AIMeter runs --------------------------------------------------
A=$SHARED/real-traces/aimeter-a800
if [ ! -d "$A/prefill-decode" ] || [ ! -d "$A/idle" ]; then
	[ $fail -eq 0 ] || exit 1
	echo "SKIP: $A absent (the simulated parts passed)"
	exit 77
fi
mkdir -p "$tmp/real/pd" "$tmp/real/idle"
args=""
for k in prefill-decode:pd idle:idle; do
	sub=${k%%:*}
	dst=${k##*:}
	i=0
	for f in "$A/$sub"/*.csv; do
		ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$tmp/real/$dst/"
		i=$((i + 1))
		"$W" report --format json "$f" > "$tmp/real/$dst.$i.json" ||
			{ echo "FAIL: report $f"; exit 1; }
		args="$args $dst=$tmp/real/$dst.$i.json"
	done
	[ $i -eq 10 ] || { echo "FAIL: $i runs in $A/$sub, want 10"; fail=1; }
done
"$W" compare "$tmp/real/pd" "$tmp/real/idle" --baseline idle --format json \
	-o "$tmp/real.json" || { echo "FAIL: compare on AIMeter"; fail=1; }
# shellcheck disable=SC2086
python3 "$tmp/check.py" "$tmp/real.json" idle $args || fail=1
"$W" compare "$tmp/real/pd" "$tmp/real/idle" --baseline idle > "$tmp/real.txt"
grep -q '^pd  *10 ' "$tmp/real.txt" && grep -q 'ratio energy_j' "$tmp/real.txt" &&
	grep -q 'pd: n 10, mean' "$tmp/real.txt" ||
	{ echo "FAIL: AIMeter text table"; cat "$tmp/real.txt"; fail=1; }
[ $fail -eq 0 ] || exit 1
echo "t70-compare: ok"
