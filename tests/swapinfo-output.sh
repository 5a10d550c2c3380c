# What swapinfo writes and shows can be trusted: --prometheus=FILE replaced
# safely (never through a symlink, never over a device or FIFO, nothing left
# behind on failure), command names decoded once and escaped once, labels
# that cannot be read shown as ? (not as none), each area listed once.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"
chmod 755 "$T"

# ---------------------------------------------- --prometheus=FILE, safely
echo victim >victim
ln -s "$T/victim" link.prom
expect_exit 4 "--prometheus=FILE refuses a symlink at FILE" "$SWAPINFO" --prometheus="$T/link.prom"
expect_err "^swapinfo: $T/link.prom: a symbolic link, not a regular file: refusing to replace it$" \
	"symlink: one line"
check "the symlink's target is untouched" test "$(cat victim)" = victim
check "the symlink is still there" test -L link.prom
mkfifo fifo.prom
expect_exit 4 "--prometheus=FILE refuses a FIFO (and does not block)" timeout 10 "$SWAPINFO" --prometheus="$T/fifo.prom"
check "the FIFO is still a FIFO" test -p fifo.prom
mknod null.prom c 1 3
expect_exit 4 "--prometheus=FILE refuses a device node" "$SWAPINFO" --prometheus="$T/null.prom"
check "the device node is still one" test -c null.prom
mkdir dir.prom
expect_exit 4 "--prometheus=FILE refuses a directory" "$SWAPINFO" --prometheus="$T/dir.prom"
check "nothing was left in the directory" test "$(ls -A "$T" | grep -c '^\.')" -eq 0

echo old >ok.prom
expect_exit 0 "--prometheus=FILE replaces a regular file" sh -c 'umask 077; exec "$0" --prometheus="$1"' \
	"$SWAPINFO" "$T/ok.prom"
check "FILE holds the metrics" grep -q '^# TYPE swapctl_swap_area_size_bytes gauge$' ok.prom
check "FILE is mode 0644 whatever the umask (the collector may be another user)" \
	test "$(stat -c %a ok.prom)" = 644
check "no temporary file is left" test "$(ls -A "$T" | grep -c '^\.')" -eq 0
# the temporary file is made with O_EXCL beside FILE, never at a guessable name
if command -v strace >/dev/null; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=openat -o trace \
		"$SWAPINFO" --prometheus="$T/ok.prom" >/dev/null 2>&1
	check "the temporary file is created O_CREAT|O_EXCL in FILE's directory" \
		grep -qE "openat\(.*\"$T/\.ok\.prom\.[A-Za-z0-9]{6}\", O_RDWR\|O_CREAT\|O_EXCL" trace
	check_not "no FILE.PID.tmp" grep -q 'ok.prom.[0-9]*.tmp' trace
else
	echo "skip - O_EXCL temporary file # strace is not installed"
fi

# a full filesystem: an error, FILE as it was, no temporary file left
mkdir small
mount -t tmpfs -o size=64k tmpfs small && remember_mount "$T/small" || { nok "mount a small tmpfs"; exit 1; }
echo old >small/m.prom
head -c 64k /dev/zero >small/fill 2>/dev/null
expect_exit 2 "--prometheus=FILE on a full filesystem" "$SWAPINFO" --prometheus="$T/small/m.prom" -l -P -n 0
expect_err "write error: No space left on device" "full: one line with the reason"
check "FILE is as it was" test "$(cat small/m.prom)" = old
check "no temporary file is left on the full filesystem" test "$(ls -A small | grep -c '^\.')" -eq 0

# ------------------------------------ command names: decoded, escaped once
cp "$(command -v sleep)" 'a\b'
('./a\b' 300 & echo $! >comm.pid; wait) &
for _ in $(seq 50); do [ -s comm.pid ] && break; sleep 0.1; done
CPID=$(cat comm.pid)
remember_pid "$CPID"
check "the kernel escapes the name in status (a\\\\b)" grep -qxF 'Name:	a\\b' "/proc/$CPID/status"
"$SWAPINFO" -P -n 0 --noheadings -o PID,COMMAND >"$T/out" 2>"$T/err"
check "-P: the name is a\\b, one backslash" sh -c "awk -v p=$CPID '\$1 == p { print \$2 }' '$T/out' | grep -qxF 'a\\b'"
"$SWAPINFO" -P -n 0 --json -o PID,COMMAND >"$T/out" 2>"$T/err"
check "-P --json: the name parses back as a\\b" python3 -c '
import json, sys
r = [p for p in json.load(open(sys.argv[1]))["processes"] if p["pid"] == int(sys.argv[2])]
assert r and r[0]["command"] == "a\\b", r' "$T/out" "$CPID"
"$SWAPINFO" -P -n 0 --prometheus >"$T/out" 2>"$T/err"
check "--prometheus: command=\"a\\\\b\" (escaped once)" grep -qF "pid=\"$CPID\",user=\"root\",command=\"a\\\\b\"}" "$T/out"

# ------------------------------------- labels that cannot be read: ?
truncate -s 16M lab.img nolab.img
mkloop lab.img; LAB=$LOOP
mkloop nolab.img; NOLAB=$LOOP
"$SWAPCTL" -F -L outlab "$LAB" >/dev/null && "$SWAPCTL" -F "$NOLAB" >/dev/null
remember_swap "$LAB"; remember_swap "$NOLAB"
"$SWAPCTL" -a -p 2 "$LAB" >/dev/null && "$SWAPCTL" -a -p 1 "$NOLAB" >/dev/null || nok "activate"
printf 'LABEL=outlab none swap sw 0 0\n' >fstab; chmod 644 fstab
"$SWAPINFO" -l --raw --noheadings -o DEVICE,LABEL >"$T/out" 2>"$T/err"
expect_out "^$LAB outlab$" "root: the label is read"
expect_out "^$NOLAB ?$" "root: an area without a label shows none, not ?"
"$SWAPINFO" >/dev/null          # let libtool's wrapper settle as root
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
if [ -e /run/udev/data ] && ls /run/udev/data | grep -q "^b$(stat -c '%t:%T' "$LAB" | awk -F: '{ printf "%d:%d", strtonum("0x"$1), strtonum("0x"$2) }')$"; then
	echo "skip - unreadable labels: udev runs here, so every user can read them"
else
	nobody "$SWAPINFO" -l --raw --noheadings -o DEVICE,LABEL,UUID >"$T/out" 2>"$T/err"
	expect_out "^$LAB \? \?$" "unprivileged -l: label and UUID unknown are ?"
	expect_out "^$NOLAB \? \?$" "unprivileged -l: unknown even where there is none (it cannot tell)"
	nobody "$SWAPINFO" -l --json >"$T/out" 2>"$T/err"
	check "unprivileged -l --json: unknown label is null" python3 -c '
import json, sys
r = [d for d in json.load(open(sys.argv[1]))["devices"] if d["device"] == sys.argv[2]]
assert r and r[0]["label"] is None and r[0]["uuid"] is None, r' "$T/out" "$LAB"
	nobody "$SWAPCTL" -l -o Device,Label >"$T/out" 2>"$T/err"
	expect_out "^$LAB +\?$" "unprivileged swapctl -l: Label ?"
	nobody "$SWAPINFO" -a -F "$T/fstab" --raw --noheadings -o DEVICE,STATE >"$T/out" 2>"$T/err"
	check "unprivileged -a: our active area is listed once" test "$(grep -c "^$LAB " "$T/out")" -eq 1
	check_not "unprivileged -a: LABEL=outlab is not called missing" grep -q "missing" "$T/out"
fi
"$SWAPINFO" -a -F "$T/fstab" --raw --noheadings -o DEVICE,STATE,FSTAB >"$T/out" 2>"$T/err"
expect_out "^$LAB active LABEL=outlab$" "root -a: the fstab label matched to the active area"
check "root -a: listed once" test "$(grep -c "^$LAB " "$T/out")" -eq 1
