#!/bin/sh
# scripts/bench/nvml.sh - microseconds per NVML sample: the source's own
# overhead, measured against the fake library (tests/fake/fake_nvml.c) with
# two GPUs answering every metric (fixtures/nvml/h100x2.txt), so the driver's
# own cost (its lock, the GPU round trip) is not in the figure: on a real GPU
# add the per-call costs `wattlog-record --list --verbose` prints
# (meta nvml.cost.<call>_us).  Prints the helper's JSON lines, then one line
# with the medians.  Usage: WL_BUILD=build sh scripts/bench/nvml.sh [N]
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
N=${1:-100000}
H=$B/tests/bench_nvml
[ -x "$H" ] || { echo "bench nvml: $H not built (make $H)"; exit 1; }
[ -f "$B/tests/libfake-nvml.so" ] || { echo "bench nvml: $B/tests/libfake-nvml.so not built"; exit 1; }
out=$(WATTLOG_NVML_LIB=$B/tests/libfake-nvml.so WATTLOG_FAKE_NVML=$R/fixtures/nvml/h100x2.txt \
	"$H" -n "$N") || { echo "$out"; echo "bench nvml: failed"; exit 1; }
echo "$out"
all=$(echo "$out" | sed -n 's/.*"all_groups".*"med_us":\([0-9.]*\).*/\1/p')
grid=$(echo "$out" | sed -n 's/.*"grid_20ms".*"med_us":\([0-9.]*\).*/\1/p')
echo "nvml: median ${all} us per sample with every group due, ${grid} us on the 20 ms grid (fake library, 2 GPUs, $N samples)"
