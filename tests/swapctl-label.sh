# swapctl -c -L / -u: change the label or UUID of an existing area, checked by
# libblkid, without touching anything else in the header.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

"$SWAPCTL" -F -S 4M -L first -u 11111111-2222-4333-8444-555555555555 sw >/dev/null
cp sw orig
expect_exit 0 "change the label" "$SWAPCTL" -c -L second sw
expect_out "^sw: label set to 'second'" "says what it set"
check "blkid sees the new label" test "$(blkid -p -o value -s LABEL sw)" = second
check "the UUID is kept" test "$(blkid -p -o value -s UUID sw)" = 11111111-2222-4333-8444-555555555555
check "only the label bytes changed" test "$(cmp -l sw orig | awk '$1 < 1053 || $1 > 1068' | wc -l)" -eq 0

expect_exit 0 "change the UUID" "$SWAPCTL" -c -u 99999999-8888-4777-8666-555555555555 sw
check "blkid sees the new UUID" test "$(blkid -p -o value -s UUID sw)" = 99999999-8888-4777-8666-555555555555
check "the label is kept" test "$(blkid -p -o value -s LABEL sw)" = second
expect_exit 0 "-u random" "$SWAPCTL" -c -u random sw
check "a new random UUID" test "$(blkid -p -o value -s UUID sw | cut -c15)" = 4
expect_exit 0 "-u clear" "$SWAPCTL" -c -u clear sw
check "no UUID left" test -z "$(blkid -p -o value -s UUID sw)"
expect_exit 0 "both at once" "$SWAPCTL" -c -L both -u 12345678-1234-4234-8234-123456789abc sw
check "both changed" test "$(blkid -p -o value -s LABEL sw)/$(blkid -p -o value -s UUID sw)" = both/12345678-1234-4234-8234-123456789abc
expect_exit 0 "an empty label clears it" "$SWAPCTL" -c -L '' sw
check "no label left" test -z "$(blkid -p -o value -s LABEL sw)"
expect_exit 0 "the area still verifies" "$SWAPCTL" -V sw

# A block device.
truncate -s 16M dev.img && mkloop dev.img && "$SWAPCTL" -F "$LOOP" >/dev/null
DEV=$LOOP
expect_exit 0 "label a loop device" "$SWAPCTL" -c -L devlabel "$LOOP"
check "blkid -p sees it on the device" test "$(blkid -p -o value -s LABEL "$LOOP")" = devlabel

# Refusals.
expect_exit 1 "a 16-byte label" "$SWAPCTL" -c -L 0123456789abcdef sw
expect_err "at most 15 fit" "long label: one line"
expect_exit 1 "a bad UUID" "$SWAPCTL" -c -u xyz sw
expect_exit 1 "-c without -L or -u" "$SWAPCTL" -c sw
head -c 1M /dev/zero > zero.img
expect_exit 4 "not a swap area" "$SWAPCTL" -c -L x zero.img
expect_err "^swapctl: zero.img: not a swap area$" "not swap: one line"
check "nothing written to it" cmp -s zero.img /dev/zero -n 1048576
cp sw hib; printf S1SUSPEND | dd of=hib bs=1 seek=4086 conv=notrunc status=none
expect_exit 4 "a hibernation image" "$SWAPCTL" -c -L x hib
expect_err "hibernation image" "hibernation: named"
# Too small to hold a header: said so, from a header never left unread
# (under valgrind when it is installed: no uninitialised read).
head -c 100 /dev/zero > tiny
expect_exit 4 "a 100-byte file" "$SWAPCTL" -c -L x tiny
expect_err "^swapctl: tiny: not a swap area \(only 100 bytes: too small to hold a swap header\)$" "tiny: says it is too small"
if command -v valgrind >/dev/null &&
	! "$builddir/libtool" --mode=execute ldd "$SWAPCTL" 2>/dev/null | grep -q libasan; then
	expect_exit 4 "a 100-byte file, under valgrind" "$builddir/libtool" --mode=execute \
		valgrind -q --error-exitcode=99 "$SWAPCTL" -c -L x tiny
	check_not "valgrind: no uninitialised read" grep -q 'uninitialised' "$T/err"
else
	echo "# no valgrind, or a sanitizer build (ASan checks it then): the 100-byte case ran without it"
fi
check "tiny: nothing written" cmp -s tiny /dev/zero -n 100

# A device another process holds open exclusively: -c -L/-u open it with
# O_EXCL like every writer, and refuse.
truncate -s 16M held.img && mkloop held.img && "$SWAPCTL" -F "$LOOP" >/dev/null
before=$(sum "$LOOP")
python3 -c 'import os,sys,time; os.open(sys.argv[1], os.O_RDONLY|os.O_EXCL); print("held", flush=True); time.sleep(60)' "$LOOP" >held &
remember_pid $!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q held held 2>/dev/null && break; sleep 0.2; done
expect_exit 4 "-c -L on a device held open elsewhere is refused" "$SWAPCTL" -c -L x "$LOOP"
expect_err "^swapctl: $LOOP: is in use by another process$" "held: one-line reason"
expect_exit 4 "-c -u on it too" "$SWAPCTL" -c -u random "$LOOP"
expect_exit 4 "-V --scan on it too" "$SWAPCTL" -V --scan "$LOOP"
check "held: nothing written" test "$(sum "$LOOP")" = "$before"

expect_exit 2 "a missing path" "$SWAPCTL" -c -L x nosuch

# A dry run says what it would write and writes nothing.
cp sw before
expect_exit 0 "-c -n -L on a file" "$SWAPCTL" -c -n -L dry sw
expect_out "^would set the label of sw to 'dry'$" "-n: the label it would write"
expect_out "^sw is not active: its header would be written in place$" "-n: written in place"
expect_exit 0 "-c -n -u UUID" "$SWAPCTL" -c -n -u 01234567-89ab-4def-8123-456789abcdef sw
expect_out "^would set the UUID of sw to 01234567-89ab-4def-8123-456789abcdef$" "-n -u: the UUID it would write"
expect_exit 0 "-c -n -u clear -L ''" "$SWAPCTL" -c -n -u clear -L '' sw
expect_out "^would clear the label of sw$" "-n -L '': would clear the label"
expect_out "^would clear the UUID of sw$" "-n -u clear: would clear the UUID"
expect_exit 0 "-c -n -u random on a device" "$SWAPCTL" -c -n -u random "$DEV"
check "-n wrote nothing to the file" cmp -s sw before
check "-n wrote nothing to the device" test "$(blkid -p -o value -s LABEL "$DEV")" = devlabel
expect_exit 4 "-c -n on something that is not swap" "$SWAPCTL" -c -n -L x zero.img
expect_err "^swapctl: zero.img: not a swap area$" "-n: refused like the real thing"
expect_exit 4 "-c -L -p on an inactive area: refused before writing" "$SWAPCTL" -c -L x -p 5 sw
expect_err "^swapctl: sw: not an active swap area$" "-p needs an active area: one line"
check "the refusal wrote nothing" cmp -s sw before
