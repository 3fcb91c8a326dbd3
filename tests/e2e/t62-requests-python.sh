#!/bin/sh
# t62-requests-python: the python/wattlog package recorded: 8 threads and an
# asyncio loop drive 200 concurrent requests with prefill and decode; `wattlog
# requests` pairs all 200, every phase inside its own request, tokens from its
# own markers, requests + unattributed = total.  The package does nothing
# without a recorder and reaches one through --marker-fifo.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
W=$B/wattlog
export PYTHONPATH="$R/python"

python3 -c 'import wattlog
assert not wattlog.enabled()
with wattlog.request(1, tokens_in=2) as r:
    with wattlog.phase("prefill"):
        assert wattlog.current_request() == "1"
    r.set(tokens_out=3)
assert wattlog.current_request() is None
assert wattlog.send("begin x") is False' || fail "package without the recorder"

cat >"$T/drive.py" <<'PY'
import asyncio, os, sys, threading, time
import wattlog

# the fake package counter moves while the requests run (fixed width, one
# pwrite, so a read sees a whole number): the run has energy to split
E = sys.argv[1]
stop = threading.Event()

def bump():
    v = int(open(E).read())
    fd = os.open(E, os.O_WRONLY)
    while not stop.is_set():
        v += 20000
        os.pwrite(fd, b"%012d\n" % v, 0)
        stop.wait(0.002)
    os.close(fd)

def tok(i):
    return 10 + i % 7, 20 + i % 5

def sync_req(i):
    ti, to = tok(i)
    with wattlog.request(i, tokens_in=ti, model="m") as r:
        with wattlog.phase("prefill"):
            time.sleep(0.001)
        with wattlog.phase("decode"):
            time.sleep(0.002)
        r.set(tokens_out=to)

async def async_req(i):
    ti, to = tok(i)
    async with wattlog.request(i, tokens_in=ti) as r:
        with wattlog.phase("prefill"):   # the ID of this task's request
            await asyncio.sleep(0.001)
        async with wattlog.phase("decode"):
            await asyncio.sleep(0.002)
        r.set(tokens_out=to)

async def loop_requests():
    await asyncio.gather(*(async_req(160 + j) for j in range(40)))

assert wattlog.enabled()
th = [threading.Thread(target=lambda k=k: [sync_req(20 * k + j) for j in range(20)])
      for k in range(8)]
bt = threading.Thread(target=bump)
bt.start()
for t in th:
    t.start()
asyncio.run(loop_requests())
for t in th:
    t.join()
stop.set()
bt.join()
PY
"$REC" -q -o "$T/r.wlog" -i 10ms --sysfs-root "$FSYS" -- python3 "$T/drive.py" \
	"$FSYS/class/powercap/intel-rapl:0/energy_uj" ||
	fail "record: exit $?"
"$W" requests "$T/r.wlog" --format json >"$T/r.json" || fail "requests: exit $?"
"$W" phases "$T/r.wlog" --format json >"$T/p.json" || fail "phases: exit $?"
python3 - "$T/r.json" "$T/p.json" <<'PY' || fail "requests of the recorded run"
import json, sys
r = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
reqs = r["requests"]
assert len(reqs) == 200, len(reqs)
assert sorted(int(q["id"]) for q in reqs) == list(range(200))
for q in reqs:
    i = int(q["id"])
    assert (q["tokens_in"], q["tokens_out"]) == (10 + i % 7, 20 + i % 5), q
    assert set(q["phases"]) == {"prefill", "decode"}, q
    assert q["energy_j"] is not None and q["energy_j"] >= 0, q
# threads stamp at the source, so lines may reach the pipe out of time order
notes = [n for n in r["notes"] if "out of time order" not in n]
assert notes == [] and r["orphan_phases"] == 0 and r["phases_past_end"] == 0, notes
tot = r["total_energy_j"]
assert tot > 0 and r["requests_energy_j"] > 0 and abs(r["requests_energy_j"] + r["unattributed_energy_j"] - tot) <= 1e-9 * tot
win = {}
for w in p["phases"]:
    win.setdefault(w["label"], []).append(w)
n = 0
for label, ws in win.items():
    name, _, rid = label.partition(" ")
    if name == "request":
        continue
    assert name in ("prefill", "decode") and len(ws) == 1, label
    (req,) = win["request " + rid]
    w = ws[0]
    assert req["start_s"] <= w["start_s"] and w["end_s"] <= req["end_s"], (label, w, req)
    assert (w["name"], w["id"]) == (name, rid) and req["id"] == rid, (w, req)
    assert req["attrs"]["tokens_in"] == 10 + int(rid) % 7, req
    n += 1
assert n == 400, n
print("ok: 200 requests, 400 phases inside their own requests")
PY

# compare: per-request distributions instead of one column per request, and
# the prefill/decode totals across requests (the same equal split)
mkdir -p "$T/cmp/a"
cp "$T/r.wlog" "$T/cmp/a/run.wlog"
"$W" compare "$T/cmp/a" --format json >"$T/c.json" || fail "compare: exit $?"
python3 - "$T/r.json" "$T/c.json" <<'PY' || fail "compare of the recorded run"
import json, sys
r = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))["rows"][0]["metrics"]
assert not any(k.startswith("phase_request") for k in m), sorted(m)
e = [q["energy_j"] for q in r["requests"]]
jpt = [q["j_per_token"] for q in r["requests"]]
near = lambda a, b: abs(a - b) <= 1e-9 * max(1.0, abs(b))
assert m["request_count"]["mean"] == 200, m["request_count"]
assert near(m["request_energy_mean_j"]["mean"], sum(e) / len(e)), (m["request_energy_mean_j"], sum(e) / len(e))
assert near(m["request_j_per_token_mean"]["mean"], sum(jpt) / len(jpt))
assert near(m["phase_prefill_j"]["mean"], r["label_totals_j"]["prefill"])
assert near(m["phase_decode_j"]["mean"], r["label_totals_j"]["decode"])
print("ok: compare row of the recorded run")
PY

# report: a Requests section with the same numbers; --plots draws the
# request timeline and the J/token histogram
"$W" report "$T/r.wlog" --format json -o "$T/rep.json" --plots "$T/figs" 2>"$T/rep.err" ||
	fail "report: exit $? $(cat "$T/rep.err")"
python3 - "$T/r.json" "$T/rep.json" <<'PY' || fail "report's requests section"
import json, sys
r = json.load(open(sys.argv[1]))
q = json.load(open(sys.argv[2]))["requests"]
near = lambda a, b: abs(a - b) <= 1e-9 * max(1.0, abs(b))
assert q["count"] == 200 and q["rule"] == r["rule"]
for k in ("requests_energy_j", "unattributed_energy_j", "total_energy_j"):
    assert near(q[k], r[k]), (k, q[k], r[k])
for k, v in r["label_totals_j"].items():
    assert near(q["label_totals_j"][k], v), k
assert near(q["summary"]["energy_j"]["p95"], r["summary"]["energy_j"]["p95"])
PY
"$W" report "$T/r.wlog" 2>/dev/null | grep -q '^Requests$' || fail "no Requests section in the text report"
for f in requests jpt; do
	ink=$("$B/tests/png_check" "$T/figs/$f.png") || fail "$f.png is no PNG"
	# coloured marks anywhere: one long request can stretch the J/token axis
	# so far that no bar falls in the central half (seen under load: 0.0185)
	echo "$ink" | awk '{ exit !($4 > 0.002) }' || fail "$f.png looks blank: $ink"
	[ -s "$T/figs/$f.pdf" ] || fail "no $f.pdf"
done

# --marker-fifo: a process the recorder did not start; the recorder's
# command says it runs (the FIFO is open by then) and waits for "go"
mkfifo "$T/go"
"$REC" -q --marker-fifo "$T/mk" -o "$T/f.wlog" --sysfs-root "$FSYS" -- \
	sh -c 'touch "$1"; read x <"$2"' sh "$T/ready" "$T/go" &
pid=$!
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
[ -e "$T/ready" ] || { kill $pid; fail "recorder's command never started"; }
env -u WATTLOG_MARKER_FD python3 - "$T/mk" <<'PY' || { echo go >"$T/go"; wait $pid; fail "fifo sender"; }
import sys, wattlog
assert wattlog.configure(fifo=sys.argv[1])
with wattlog.request("fifo-1", tokens_in=4) as r:
    with wattlog.phase("prefill"):
        pass
    r.set(tokens_out=9)
PY
echo go >"$T/go"
wait $pid || fail "fifo recorder: exit $?"
"$W" requests "$T/f.wlog" --format csv >"$T/f.csv" || fail "requests of the fifo run"
python3 -c 'import csv, sys
r = [x for x in csv.DictReader(open(sys.argv[1])) if x["id"] == "fifo-1"]
sys.exit(not (len(r) == 1 and r[0]["tokens_in"] == "4" and r[0]["tokens_out"] == "9"))' "$T/f.csv" ||
	fail "fifo request: $(cat "$T/f.csv")"
echo "ok: python package, threads and asyncio, FIFO"
