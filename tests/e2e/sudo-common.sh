# sudo-common.sh - sourced after record-common.sh by the sudo tests (t34-t36):
# creates an unprivileged user (removed at exit) and runs the recorder as
# sudo would for it: root, with SUDO_UID/SUDO_GID of that user.  Skips when
# not root.  Sets U (its name), nu, ng (its uid and gid), $T/home (a folder
# of the user's), $T/root-only (root's, mode 0700); defines
#   asuser ARGS...   the recorder under sudo for U (-q, the fake sysfs).
[ "$(id -u)" -eq 0 ] || skip "not root: the sudo cases need euid 0"
command -v useradd >/dev/null || skip "no useradd"
U=wlu$$
useradd -M -N -s /bin/sh "$U" 2>"$T/useradd" || skip "useradd $U failed: $(cat "$T/useradd")"
trap 'userdel "$U" 2>/dev/null; rm -rf "$T"' EXIT
nu=$(id -u "$U") ng=$(id -g "$U")
[ "$nu" -ne 0 ] || fail "$U got uid 0"
chmod 755 "$T"
mkdir "$T/home" "$T/root-only"
chown "$nu:$ng" "$T/home"
chmod 700 "$T/root-only"
asuser() { SUDO_UID=$nu SUDO_GID=$ng SUDO_USER=$U "$REC" -q --sysfs-root "$FSYS" "$@"; }
