# marker-common.sh - sourced after record-common.sh by the tests where the
# recorder goes away under a running command (t31, t32): the command writes
# a file when it is ready, then waits on the FIFO $T/go.
#   await FILE                  waits (at most 30 s) until FILE is not empty
#   stop_then_go PID SIG WANT   sends SIG to the recorder PID, checks its exit
#                               status is WANT, then lets the command go on
# A failure lets a command still waiting go on, so it does not outlive the test.
DEMO=$B/tests/marker_demo
[ -x "$DEMO" ] || fail "$DEMO not built"
mkfifo "$T/go"
fail() {
	echo "FAIL: $*"
	timeout 2 sh -c "echo go >'$T/go'" 2>/dev/null
	exit 1
}
await() { i=0; while [ ! -s "$1" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done; [ -s "$1" ]; }
stop_then_go() {
	kill -"$2" "$1"
	wait "$1"; _rc=$?
	[ $_rc -eq "$3" ] || fail "recorder: exit $_rc after SIG$2, want $3"
	timeout 10 sh -c "echo go >'$T/go'" || fail "the command is gone before its markers"
}
