#!/bin/sh
# t88-grafana: every metric contrib/grafana/wattlog.json queries is one that
# wattlog-record --metrics-listen serves (a sample line in a scrape of a real
# recording with the fake NVML's two GPUs and a completed request); the
# example scrape configuration contrib/prometheus.yml is valid (promtool,
# when installed).
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
FAKE=$B/tests/libfake-nvml.so
[ -f "$FAKE" ] || fail "$FAKE not built"
if command -v promtool >/dev/null; then
	promtool check config "$R/contrib/prometheus.yml" >"$T/pc" 2>&1 ||
		fail "contrib/prometheus.yml: $(cat "$T/pc")"
fi
mkfifo "$T/go"
WATTLOG_NVML_LIB=$FAKE WATTLOG_FAKE_NVML=$R/fixtures/nvml/h100x2.txt \
	"$REC" -i 20ms --sysfs-root "$FSYS" -o "$T/r.wlog" --metrics-listen 127.0.0.1:0 -- \
	sh -c "echo 'begin request 1' >&\$WATTLOG_MARKER_FD; echo 'end request 1 tokens_out=3' >&\$WATTLOG_MARKER_FD
	       read x <'$T/go'" 2>"$T/rec.err" &
RPID=$!
i=0
until grep -q 'serving metrics on' "$T/rec.err" 2>/dev/null; do
	i=$((i + 1)); [ $i -le 1500 ] || { kill $RPID 2>/dev/null; fail "no metrics address in 30 s"; }
	sleep 0.02
done
ADDR=$(sed -n 's|.*serving metrics on http://\([^/]*\)/metrics.*|\1|p' "$T/rec.err")
python3 - "$ADDR" "$R/contrib/grafana/wattlog.json" <<'PY' || { kill $RPID 2>/dev/null; fail "dashboard"; }
import json, re, sys, time, urllib.request
addr, dash = sys.argv[1:]
exprs = []
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k in ("expr", "query") and isinstance(v, str):
                exprs.append(v)
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(json.load(open(dash)))
wanted = sorted({m for e in exprs for m in re.findall(r"\bwattlog_[a-z0-9_]+", e)})
end = time.monotonic() + 30
while time.monotonic() < end:  # until the request's markers and a GPU sample are in (30 s)
    body = urllib.request.urlopen(urllib.request.Request("http://%s/metrics" % addr,
        headers={"Accept": "text/plain;version=0.0.4"}), timeout=30).read().decode()
    served = {re.split(r"[{ ]", l)[0] for l in body.splitlines() if l and not l.startswith("#")}
    if "wattlog_power_watts" in served and "wattlog_requests_total 1" in body:
        break
    time.sleep(0.01)
missing = [m for m in wanted if m not in served]
print("dashboard queries %d metrics: %s" % (len(wanted), " ".join(wanted)))
if missing:
    sys.exit("not served: %s" % " ".join(missing))
PY
timeout 30 sh -c "echo go >'$T/go'" || fail "the recorded command is gone"
wait $RPID || fail "recorder exit $?"
