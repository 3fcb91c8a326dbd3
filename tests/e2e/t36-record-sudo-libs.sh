#!/bin/sh
# wattlog-test: serial
# t36-record-sudo-libs: under sudo no library named by the environment is
# loaded as root: WATTLOG_NVML_LIB (the fake NVML) is ignored by --list and
# by a recording, with one line saying so; --nvml-lib PATH loads it.  Root
# with SUDO_UID/SUDO_GID of a user made by the test.
. "${WL_ROOT:-.}/tests/e2e/record-common.sh"
. "$R/tests/e2e/sudo-common.sh"
FAKE=$B/tests/libfake-nvml.so
[ -f "$FAKE" ] || fail "$FAKE not built"

export WATTLOG_FAKE_NVML="$R/fixtures/nvml/h100x2.txt"
WATTLOG_NVML_LIB=$FAKE SUDO_UID=$nu SUDO_GID=$ng "$REC" --list -v --sysfs-root "$FSYS" \
	>"$T/l" 2>"$T/err" || fail "--list: exit $?"
grep -q "GPU-11111111-2222" "$T/l" && fail "--list under sudo loaded WATTLOG_NVML_LIB"
grep -qx "wattlog-record: WATTLOG_NVML_LIB ignored under sudo (name the library with --nvml-lib)" \
	"$T/err" || fail "no line about WATTLOG_NVML_LIB: $(cat "$T/err")"
WATTLOG_NVML_LIB=$FAKE asuser -o "$T/home/g.wlog" -- true 2>/dev/null || fail "record: exit $?"
summary "$T/home/g.wlog" >"$T/s" || fail "reader failed"
grep -q 'GPU-11111111-2222' "$T/s" && fail "a recording under sudo loaded WATTLOG_NVML_LIB"
# the fake's GPU (uuid GPU-11111111-2222-...) shows when named by the option
SUDO_UID=$nu SUDO_GID=$ng "$REC" --list -v --nvml-lib "$FAKE" --sysfs-root "$FSYS" >"$T/l" 2>&1 ||
	fail "--list --nvml-lib: exit $?"
grep -q "^nvml: 46 channels" "$T/l" || fail "--nvml-lib not loaded: $(grep nvml "$T/l")"
grep -q "GPU-11111111-2222" "$T/l" || fail "--list -v shows no uuid: $(grep meta "$T/l" | head)"
asuser --nvml-lib "$FAKE" -o "$T/home/n.wlog" -- true || fail "record --nvml-lib: exit $?"
summary "$T/home/n.wlog" >"$T/s" || fail "reader failed"
grep -q 'GPU-11111111-2222' "$T/s" || fail "--nvml-lib: no GPU in the trace"
echo ok
