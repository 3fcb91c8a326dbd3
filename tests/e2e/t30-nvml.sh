#!/bin/sh
# t30-nvml: the real recorder with the fake NVML library (tests/fake/fake_nvml.c
# driven by fixtures/nvml/*.txt): --list says why NVML is unavailable when
# WATTLOG_NVML_LIB points nowhere, lists the GPUs' channels otherwise (and the
# cost per call with --verbose); a recording holds every GPU's channels, their
# metadata and values as the script says; --gpus picks GPUs; a GPU lost
# mid-run is logged once and the others go on; all lost stops the source
# while the command still runs to its end.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"

FAKE=$B/tests/libfake-nvml.so
[ -f "$FAKE" ] || fail "$FAKE not built"
FX=$R/fixtures/nvml
rec() { timeout 60 "$REC" -q -f --sysfs-root "$FSYS" "$@"; }

# 1. no library: unavailable, with the reason
WATTLOG_NVML_LIB=$T/nowhere/libnvidia-ml.so.1 "$REC" --list --sysfs-root "$FSYS" >"$T/l" 2>&1 ||
	fail "--list failed: $(cat "$T/l")"
grep -q "^nvml: unavailable: cannot load '$T/nowhere/libnvidia-ml.so.1'" "$T/l" ||
	fail "no reason for nvml: $(grep nvml "$T/l")"
# the driver loads, no GPU
WATTLOG_NVML_LIB=$FAKE WATTLOG_FAKE_NVML=$FX/none.txt "$REC" --list --sysfs-root "$FSYS" >"$T/l" 2>&1
grep -q "^nvml: unavailable: no gpu found" "$T/l" || fail "no gpu: $(grep nvml "$T/l")"

export WATTLOG_NVML_LIB="$FAKE"
export WATTLOG_FAKE_NVML="$FX/h100x2.txt"

# 2. --list: 28 channels on gpu0, 18 on gpu1 (see the fixture)
"$REC" --list --sysfs-root "$FSYS" >"$T/l" 2>&1 || fail "--list: $(cat "$T/l")"
grep -q "^nvml: 46 channels" "$T/l" || fail "nvml channels: $(grep '^nvml' "$T/l")"
grep -Eq "^  sm_active +% +gauge +gpu0" "$T/l" || fail "no sm_active on gpu0"
grep -Eq "sm_active .*gpu1" "$T/l" && fail "gpu1 has no GPM but lists sm_active"
"$REC" --list --verbose --sysfs-root "$FSYS" >"$T/l" 2>&1 || fail "--list --verbose"
grep -Eq "^  meta nvml.cost.power_usage_us=[0-9]+\.[0-9]{3}$" "$T/l" ||
	fail "no cost per call: $(grep meta "$T/l" | head -5)"
grep -q "^  meta gpu0.name=NVIDIA H100 80GB HBM3$" "$T/l" || fail "no gpu0.name in --list -v"

# 3. a recording
# the command runs until the trace holds 10 nvml samples (a handshake)
rec --flush-interval 20ms -o "$T/a.wlog" -- python3 "$WAIT_TRACE" "$T/a.wlog" nvml 10 ||
	fail "record: exit $?"
summary "$T/a.wlog" >"$T/s" || fail "reader failed"
[ "$(val damage "$T/s")" = 0 ] || fail "damage"
for c in "power.draw W gpu0" "energy J gpu0" "power.draw.instant W gpu1" "pcie.tx B/s gpu1" \
	"nvlink.tx B/s gpu0" "dram_active % gpu0" "temperature.memory C gpu0"; do
	grep -q "^channel [0-9]* nvml $c\$" "$T/s" || fail "no channel $c"
done
grep -q "^channel [0-9]* nvml temperature.memory C gpu1$" "$T/s" && fail "gpu1 answers NOT_SUPPORTED for memory temperature"
for k in "gpu0.uuid=GPU-11111111-2222-3333-4444-555555555555" "gpu1.pci_bus_id=00000000:3B:00.0" \
	"nvml_version=12.550.54.15" "gpu0.driver=550.54.15" "gpu1.power_limit_max=400.000"; do
	grep -qx "meta $k" "$T/s" || fail "no meta $k"
done
n=$(val "samples nvml" "$T/s")
[ "${n:-0}" -ge 10 ] || fail "nvml samples $n, want >= 10"
# values, read with the independent reader
python3 "$R/scripts/wlog_dump.py" -o "$T/a.csv" "$T/a.wlog" || fail "wlog_dump"
python3 - "$T/a.csv" <<'EOF' || fail "values"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head, rows = rows[0], rows[1:]
def col(name):
    i = head.index(name)
    return [float(r[i]) for r in rows if r[i] != ""]
e = col("gpu0 energy [J]")
# energy: 5000000 + 2000 k mJ -> strictly increasing by 2 J a read
assert len(e) >= 10 and all(b - a == 2.0 for a, b in zip(e, e[1:])), e[:5]
assert (e[0] - 5000.0) % 2.0 == 0
tx = col("gpu1 pcie.tx [B/s]")
assert tx and all(v == 300 * 1024 for v in tx), tx      # 300 KB/s
p = col("gpu1 power.draw [W]")
assert all(abs((v - 60.0) / 0.5 - round((v - 60.0) / 0.5)) < 1e-9 for v in p), p[:5]
u = col("gpu0 memory.usage [%]")
assert u and all(v == 25.0 for v in u), u[:5]
print("values ok: %d energy reads" % len(e))
EOF

# 4. --gpus 1
rec --gpus 1 -o "$T/b.wlog" -- sleep 0.1 || fail "--gpus 1: exit $?"
summary "$T/b.wlog" >"$T/s" || fail "reader failed"
grep -q "^channel [0-9]* nvml .* gpu0$" "$T/s" && fail "--gpus 1 recorded gpu0"
grep -q "^channel [0-9]* nvml power.draw W gpu1$" "$T/s" || fail "--gpus 1: no gpu1"
rec --gpus 7 -o "$T/c.wlog" -- true 2>/dev/null
summary "$T/c.wlog" >"$T/s"
grep -q "^log [0-9] nvml unavailable: --gpus '7': no gpu 7 (2 found)" "$T/s" ||
	fail "--gpus 7: $(grep '^log' "$T/s")"

# 5. gpu1 lost after 4 power reads, gpu0 after 7: the command still runs
WATTLOG_FAKE_NVML=$FX/lost.txt "$REC" -f --sysfs-root "$FSYS" -o "$T/d.wlog" \
	-- sh -c 'i=0; until grep -q "every gpu is lost" "$0" || [ $i -ge 1500 ]; do
		sleep 0.02; i=$((i + 1)); done; exit 5' "$T/err" 2>"$T/err"; rc=$?
[ $rc -eq 5 ] || fail "lost: exit $rc, want the command's 5"
grep -q "nvml: gpu1: nvmlDeviceGetPowerUsage: GPU is lost: stopped its channels" "$T/err" ||
	fail "gpu1's loss not on stderr: $(cat "$T/err")"
grep -q "every gpu is lost: gpu0: nvmlDeviceGetPowerUsage: GPU is lost" "$T/err" ||
	fail "all lost not on stderr: $(cat "$T/err")"
summary "$T/d.wlog" >"$T/s" || fail "reader failed"
[ "$(grep -c '^log 1 nvml: gpu1: nvmlDeviceGetPowerUsage: GPU is lost: stopped its channels$' "$T/s")" = 1 ] || fail "gpu1's loss not logged once: $(grep '^log' "$T/s")"
grep -q "^log 2 source nvml stopped: every gpu is lost" "$T/s" || fail "all lost: $(grep '^log' "$T/s")"
python3 "$R/scripts/wlog_dump.py" -o "$T/d.csv" "$T/d.wlog" || fail "wlog_dump"
python3 - "$T/d.csv" <<'EOF' || fail "lost values"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
head, rows = rows[0], rows[1:]
n = lambda name: sum(1 for r in rows if r[head.index(name)] != "")
# lost_after 4 and 7 power reads, one of them made at open
assert n("gpu1 power.draw [W]") == 3, n("gpu1 power.draw [W]")
assert n("gpu0 power.draw [W]") == 6, n("gpu0 power.draw [W]")
EOF
echo ok
