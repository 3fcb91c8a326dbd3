# record-common.sh - sourced by the recorder's end-to-end tests (t20-t29).
# Sets B (build dir), R (repo root), T (temp dir, removed at exit), REC (the
# recorder), FSYS (a fake sysfs root with 2 packages x 4 powercap zones);
# defines fail, skip, summary TRACE (tests/e2e/record_summary.py),
# val KEY SUMMARY (the value after "KEY " in a summary), and the readiness
# handshakes wait_for CMD... and wait_trace TRACE SOURCE N [+].
B=${WL_BUILD:-build}
R=${WL_ROOT:-.}
S=${WL_SHARED:-$R/../shared}
REC=$B/wattlog-record
# hermetic: no real GPU joins the sources, whatever the machine has
WATTLOG_NVML_LIB=/nonexistent/libnvidia-ml.so.1
export WATTLOG_NVML_LIB
T=$(mktemp -d /tmp/wl-rec.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
[ -x "$REC" ] || fail "$REC not built"
command -v python3 >/dev/null || skip "python3 not found (the trace is read with scripts/wlog_dump.py)"
FSYS=$T/fsys
if [ -f "$S/bench/fake-sysfs.sh" ]; then
	bash "$S/bench/fake-sysfs.sh" "$FSYS" || fail "fake-sysfs.sh"
else
	# the project's own tree of the same shape (2 packages x 4 zones)
	sh "$R/scripts/mkfake-sysfs.sh" "$FSYS" >/dev/null || fail "mkfake-sysfs.sh"
fi
summary() { python3 "$R/tests/e2e/record_summary.py" "$1"; }
val() { sed -n "s/^$1 //p" "$2" | head -1; }
# wait_for CMD...: runs CMD every 20 ms until it succeeds, for at most 30 s;
# returns 1 if it never did.  A readiness handshake: a test waits for the
# state it needs (a file written by the command, samples in the trace),
# never for a fixed time, so it holds on a loaded machine.
wait_for() {
	_i=0
	until "$@" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 1500 ] || return 1
		sleep 0.02
	done
}
# wait_trace TRACE SOURCE N [+]: waits (at most 30 s) until the trace being
# written holds N samples of SOURCE, or N more than now with "+"; record
# with a short --flush-interval.  $WAIT_TRACE is the script itself, for
# recorded commands that wait for the recorder.
WAIT_TRACE=$(cd "$R" && pwd)/tests/e2e/wait_trace.py
wait_trace() { python3 "$WAIT_TRACE" "$@" >/dev/null; }
