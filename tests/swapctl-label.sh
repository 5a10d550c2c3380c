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
expect_exit 2 "a missing path" "$SWAPCTL" -c -L x nosuch
