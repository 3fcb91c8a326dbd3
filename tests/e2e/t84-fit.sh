#!/bin/sh
# t84-fit.sh - `wattlog fit`: a power law fitted to a simulated H100 run
# recovers the parameters that made it and predicts the energy of a run
# with another schedule within 1 %; `simulate` writes the mfu each power
# sample came from; `simulate --model` uses a fitted model; the model file,
# --predict (measured energy checked against a trapezoid over the exported
# samples), --plots, --cv and bad input; and, when ../shared has them, a
# linear model of the AIMeter A800 runs fitted on the prefill-decode runs
# predicting each short run.
B=${WL_BUILD:-build}
W=$B/wattlog
PNG=$B/tests/png_check
SHARED=${WL_SHARED:-../shared}
[ -x "$W" ] || { echo "FAIL: $W not built"; exit 1; }
tmp=$(mktemp -d /tmp/wl-t84.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
# Under ASan: fontconfig keeps its caches until exit (not our leak).
printf 'leak:libfontconfig\nleak:libcairo\n' >"$tmp/lsan.supp"
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$tmp/lsan.supp}
# Energy of samples (t, p) over [a, b]: the trapezoid rule, the readings
# at a and b interpolated linearly between their neighbours.
cat >"$tmp/trapz.py" <<'EOF'
def trapezoid(t, p, a, b):
    def at(x):
        for i in range(1, len(t)):
            if t[i] >= x:
                return p[i-1] + (p[i] - p[i-1]) * (x - t[i-1]) / (t[i] - t[i-1])
        return p[-1]
    pts = [(a, at(a))] + [(t[i], p[i]) for i in range(len(t)) if a < t[i] < b] + [(b, at(b))]
    return sum((pts[i][0] - pts[i-1][0]) * (pts[i][1] + pts[i-1][1]) / 2
               for i in range(1, len(pts)))
EOF

"$W" simulate --gpu H100 --schedule 'idle 30s, prefill 40s, idle 20s, decode 60s, idle 10s' \
	--seed 21 -o "$tmp/a.wlog" &&
"$W" simulate --gpu H100 --schedule 'decode 30s, prefill 10s, decode 50s, idle 5s, prefill 25s' \
	--seed 22 -o "$tmp/b.wlog" || { echo "FAIL: simulate"; exit 1; }

# The mfu channel is the mfu each sample's power came from: power minus
# 60 + 640 min(1, mfu / 0.45)^0.7 is the simulator's noise alone, mean 0
# and std 0.02 x 700 = 14 W.
"$W" export csv "$tmp/a.wlog" >"$tmp/a.csv" || { echo "FAIL: export"; exit 1; }
python3 - "$tmp/a.csv" <<'EOF' || fail=1
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
e = [float(r['power.draw [W]']) - (60 + 640 * min(1, float(r['mfu [ratio]']) / 0.45) ** 0.7)
     for r in rows]
m = sum(e) / len(e)
s = math.sqrt(sum((x - m) ** 2 for x in e) / (len(e) - 1))
if abs(m) > 1.5 or abs(s - 14) > 1:
    print("FAIL: power - model(mfu): mean %.2f W, std %.2f W (want 0, 14)" % (m, s)); sys.exit(1)
EOF

"$W" fit --model power-law --x mfu --model-out "$tmp/m.json" "$tmp/a.wlog" >"$tmp/fit.txt" ||
	{ echo "FAIL: fit"; cat "$tmp/fit.txt"; exit 1; }
grep -q "x_sat = 0.45 is fixed" "$tmp/fit.txt" || { echo "FAIL: x_sat not said"; fail=1; }
python3 - "$tmp/m.json" "$tmp/a.wlog" <<'EOF' || fail=1
import json, sys
m = json.load(open(sys.argv[1]))
p = {q['name']: q for q in m['parameters']}
bad = []
if m['model'] != 'power-law' or m['metrics'][0]['name'] != 'mfu gpu0' or m['x_sat'] != 0.45:
    bad.append('header %r' % ((m['model'], m['metrics'], m['x_sat']),))
if m['gpu'] != 'H100' or m['files'] != [sys.argv[2]] or m['power'] != 'power.draw gpu0':
    bad.append('gpu/files/power %r' % ((m['gpu'], m['files'], m['power']),))
if abs(p['p_idle_w']['value'] - 60) > 0.03 * 60: bad.append('p_idle %g' % p['p_idle_w']['value'])
if abs(p['p_max_w']['value'] - 700) > 0.03 * 700: bad.append('p_max %g' % p['p_max_w']['value'])
if abs(p['gamma']['value'] - 0.7) > 0.05: bad.append('gamma %g' % p['gamma']['value'])
for k, v in (('p_idle_w', 60), ('p_max_w', 700), ('gamma', 0.7)):
    lo, hi = p[k]['ci95']
    if not lo < p[k]['value'] < hi: bad.append('%s outside its CI' % k)
if not m['fit']['r2'] > 0.99 or not abs(m['fit']['residual_acf1']) < 0.15:
    bad.append('fit %r' % m['fit'])
if bad: print("FAIL: model file: " + "; ".join(bad)); sys.exit(1)
EOF

# Prediction of the other schedule: within 1 %; the measured energy is the
# trapezoid over the power samples in the window the output states.
"$W" fit --model "$tmp/m.json" --predict --format json --plots "$tmp/plots" "$tmp/b.wlog" \
	>"$tmp/pred.json" || { echo "FAIL: --predict"; exit 1; }
"$W" export csv "$tmp/b.wlog" >"$tmp/b.csv" || { echo "FAIL: export b"; exit 1; }
python3 - "$tmp/pred.json" "$tmp/b.csv" "$tmp/trapz.py" <<'EOF' || fail=1
import csv, json, sys
r = json.load(open(sys.argv[1]))['files'][0]
rows = list(csv.DictReader(open(sys.argv[2])))
t = [float(x['time [s]']) for x in rows]; p = [float(x['power.draw [W]']) for x in rows]
exec(open(sys.argv[3]).read())
e = trapezoid(t, p, r['start_s'], r['end_s'])
bad = []
if abs(e - r['measured_j']) > 1e-6 * e: bad.append('measured %.3f J, trapezoid %.3f J' % (r['measured_j'], e))
if abs(r['error_pct']) >= 1: bad.append('energy error %.3f %%' % r['error_pct'])
if abs(100 * (r['predicted_j'] - r['measured_j']) / r['measured_j'] - r['error_pct']) > 1e-6:
    bad.append('error_pct inconsistent')
if len(r['phases']) < 5: bad.append('%d phases' % len(r['phases']))
if bad: print("FAIL: prediction: " + "; ".join(bad)); sys.exit(1)
EOF
if [ -x "$PNG" ]; then
	$PNG "$tmp/plots/fit-b.png" >/dev/null || { echo "FAIL: no fit figure"; fail=1; }
else
	[ -s "$tmp/plots/fit-b.png" ] || { echo "FAIL: no fit figure"; fail=1; }
fi

# simulate --model: a run made from the fitted parameters, fitted again,
# gives them back (within 3 %).
"$W" simulate --gpu H100 --model "$tmp/m.json" --seed 23 \
	--schedule 'idle 30s, prefill 30s, decode 60s' -o "$tmp/c.wlog" || { echo "FAIL: simulate --model"; fail=1; }
"$W" fit --model power-law --x mfu --format json "$tmp/c.wlog" >"$tmp/c.json" || { echo "FAIL: fit c"; fail=1; }
python3 - "$tmp/m.json" "$tmp/c.json" <<'EOF' || fail=1
import json, sys
a = {q['name']: q['value'] for q in json.load(open(sys.argv[1]))['parameters']}
b = {q['name']: q['value'] for q in json.load(open(sys.argv[2]))['parameters']}
bad = [k for k in a if abs(b[k] - a[k]) > 0.03 * abs(a[k])]
if bad: print("FAIL: simulate --model: %r vs %r" % (b, a)); sys.exit(1)
EOF

# --cv over three runs: three folds of one file each, and their mean.
"$W" fit --model power-law --x mfu --cv 3 "$tmp/a.wlog" "$tmp/b.wlog" "$tmp/c.wlog" \
	>"$tmp/cv.txt" || { echo "FAIL: --cv"; fail=1; }
[ "$(grep -c '^  fold [123]: 1 file,' "$tmp/cv.txt")" = 3 ] && grep -q 'mean |error|' "$tmp/cv.txt" ||
	{ echo "FAIL: --cv output"; cat "$tmp/cv.txt"; fail=1; }

# Bad input: one line naming the file or key, exit 2.
"$W" fit --model power-law --x nosuch "$tmp/a.wlog" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "no metric 'nosuch' in '$tmp/a.wlog'" "$tmp/err" ||
	{ echo "FAIL: unknown metric"; cat "$tmp/err"; fail=1; }
"$W" fit --model power-law --x mfu,sm_active "$tmp/a.wlog" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "power law takes one metric" "$tmp/err" ||
	{ echo "FAIL: two metrics for the power law"; cat "$tmp/err"; fail=1; }
"$W" fit --model power-law --x mfu --phases warmup "$tmp/a.wlog" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "no phase 'warmup' in" "$tmp/err" ||
	{ echo "FAIL: unknown phase"; cat "$tmp/err"; fail=1; }
# sm_active of the simulator is 0 or above 45 %: nothing sets gamma, said.
"$W" fit --model power-law --x sm_active "$tmp/a.wlog" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "x between 0 and x_sat (0.45), 0 of [0-9]* here" "$tmp/err" ||
	{ echo "FAIL: unidentifiable gamma"; cat "$tmp/err"; fail=1; }
sed 's/"p_max_w"/"p_top"/' "$tmp/m.json" >"$tmp/bad.json"
"$W" fit --model "$tmp/bad.json" --predict "$tmp/b.wlog" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "parameter 2 is 'p_top', expected 'p_max_w'" "$tmp/err" ||
	{ echo "FAIL: bad model file"; cat "$tmp/err"; fail=1; }
echo '{"wattlog_model": 1, "model": "linear"}' >"$tmp/bad2.json"
"$W" fit --model "$tmp/bad2.json" --predict "$tmp/b.wlog" 2>"$tmp/err" >/dev/null
[ $? -eq 2 ] && grep -q "lacks key 'power'" "$tmp/err" ||
	{ echo "FAIL: incomplete model file"; cat "$tmp/err"; fail=1; }
"$W" fit --model power-law "$tmp/a.wlog" 2>/dev/null >/dev/null
[ $? -eq 2 ] || { echo "FAIL: missing --x accepted"; fail=1; }

# --phases: a fit on prefill and decode only (the markers of --markers).
"$W" simulate --gpu H100 --markers --seed 24 \
	--schedule 'idle 20s, prefill 30s, decode 40s, idle 20s' -o "$tmp/d.wlog" &&
"$W" fit --model power-law --x mfu --phases prefill,decode --format json "$tmp/d.wlog" \
	>"$tmp/d.json" || { echo "FAIL: --phases"; fail=1; }
python3 - "$tmp/d.json" <<'EOF' || fail=1
import json, sys
m = json.load(open(sys.argv[1]))
# 70 s of prefill and decode at 0.1 s: about 700 bins (idle left out)
if not 680 <= m['fit']['n'] <= 705 or m['fit']['phases'] != 'prefill,decode':
    print("FAIL: --phases fitted %r" % m['fit']); sys.exit(1)
EOF

# --- AIMeter A800 runs -----------------------------------------------------
A=$SHARED/real-traces/aimeter-a800
if [ ! -d "$A/prefill-decode" ] || [ ! -d "$A/short" ]; then
	[ $fail -eq 0 ] || exit 1
	echo "SKIP: $A absent (the simulated parts passed)"
	exit 77
fi
X=sm_active,tensor_active,dram_active,clocks.current.sm
"$W" fit --model linear --x $X --cv 5 --model-out "$tmp/a800.json" "$A"/prefill-decode/*.csv \
	>"$tmp/a800.txt" || { echo "FAIL: A800 fit"; cat "$tmp/a800.txt"; exit 1; }
"$W" fit --model "$tmp/a800.json" --predict --format json "$A"/short/*.csv >"$tmp/short.json" ||
	{ echo "FAIL: A800 predict"; exit 1; }
python3 - "$tmp/a800.json" "$tmp/short.json" "$tmp/trapz.py" <<'EOF' || fail=1
import csv, json, sys
from datetime import datetime
exec(open(sys.argv[3]).read())
m = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
bad = []
if len(r['files']) != 10: bad.append('%d short runs' % len(r['files']))
for f in r['files']:
    rows = list(csv.DictReader(open(f['file'])))
    t = [datetime.strptime(x['timestamp'], '%Y-%m-%d %H:%M:%S.%f').timestamp() for x in rows]
    p = [float(x['power.draw [W]'].split()[0]) for x in rows]
    t = [x - t[0] for x in t]
    e = trapezoid(t, p, f['start_s'], f['end_s'])
    if abs(e - f['measured_j']) > 1e-6 * e:
        bad.append('%s: measured %.3f J, trapezoid %.3f J' % (f['file'], f['measured_j'], e))
    if abs(f['error_pct']) > 15: bad.append('%s: error %.2f %%' % (f['file'], f['error_pct']))
if abs(r['error_pct']) > 2: bad.append('all short runs: error %.2f %%' % r['error_pct'])
if m['cross_validation']['mean_abs_error_pct'] > 2: bad.append('cv %r' % m['cross_validation'])
if bad: print("FAIL: A800: " + "; ".join(bad)); sys.exit(1)
EOF
exit $fail
