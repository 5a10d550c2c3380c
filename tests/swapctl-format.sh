# swapctl -F on real files and loop devices: the kernel, util-linux and
# libblkid all accept what it writes.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

# A new swap file: mode 0600, root's, fully allocated, accepted everywhere.
expect_exit 0 "format a new 16M swap file" "$SWAPCTL" -F -S 16M -L fmtlabel -u 11111111-2222-4333-8444-555555555555 sw
expect_out '^sw: swap area version 1, 4096 pages of 4096 bytes' "format reports pages and page size"
check "file is 16 MiB" test "$(stat -c %s sw)" -eq 16777216
check "file has mode 0600 and owner root" test "$(stat -c %a:%u:%g sw)" = "600:0:0"
check "file has no holes (allocated blocks cover the size)" test $(( $(stat -c %b sw) * 512 )) -ge 16777216
check "blkid: TYPE=swap" test "$(blkid -p -o value -s TYPE sw)" = swap
check "blkid: our LABEL" test "$(blkid -p -o value -s LABEL sw)" = fmtlabel
check "blkid: our UUID" test "$(blkid -p -o value -s UUID sw)" = 11111111-2222-4333-8444-555555555555
remember_swap "$T/sw"
check "util-linux swapon accepts the file" swapon "$T/sw"
check "the file is in /proc/swaps" is_active "$T/sw"
check "util-linux swapoff releases it" swapoff "$T/sw"

# Resize an existing swap file, both ways.
expect_exit 0 "grow the file with -S 32M" "$SWAPCTL" -F -S 32M sw
check "file grew to 32 MiB" test "$(stat -c %s sw)" -eq 33554432
expect_exit 0 "shrink the file with -S 8M" "$SWAPCTL" -F -S 8M sw
check "file shrank to 8 MiB" test "$(stat -c %s sw)" -eq 8388608
check "shrunk header has last_page 2047" test "$("$SWAPCTL" -V --json sw | grep -c '"last_page": 2047')" -eq 1

# -n changes nothing, not even creating the file.
before=$(sum sw)
expect_exit 0 "dry run on an existing area" "$SWAPCTL" -F -n -L other sw
expect_out '^would write swap header' "dry run says what it would write"
check "dry run left the file unchanged" test "$(sum sw)" = "$before"
expect_exit 0 "dry run of a new file" "$SWAPCTL" -F -n -S 1M newfile
expect_out '^would create newfile' "dry run says it would create the file"
check "dry run did not create the file" test ! -e newfile

# UUID choices.
expect_exit 0 "-u clear" "$SWAPCTL" -F -S 1M -u clear u1
check "no UUID after -u clear" test -z "$(blkid -p -o value -s UUID u1)"
expect_exit 0 "-u time" "$SWAPCTL" -F -S 1M -u time u2
check "-u time gives a version-1 UUID" test "$(blkid -p -o value -s UUID u2 | cut -c15)" = 1
expect_exit 0 "-u random" "$SWAPCTL" -F -S 1M u3
check "the default UUID is random (version 4)" test "$(blkid -p -o value -s UUID u3 | cut -c15)" = 4

# Other page sizes and byte orders.
expect_exit 0 "format with 64K pages" "$SWAPCTL" -F -S 1M -P 64K p64
check "blkid sees the 64K header" test "$(blkid -p -o value -s TYPE p64)" = swap
expect_exit 8 "a 64K header is not usable on this 4K kernel" "$SWAPCTL" -V p64
expect_exit 0 "format big-endian" "$SWAPCTL" -F -S 4M -e big be
check "verify reports big endianness" sh -c "'$SWAPCTL' -V --json be | grep -q '\"endianness\": \"big\"'"
check "blkid recognises the big-endian header" test "$(blkid -p -o value -s TYPE be)" = swap
remember_swap "$T/be"
check "the kernel accepts a byte-swapped header" swapon "$T/be"
check "swapoff the big-endian area" swapoff "$T/be"

# A loop device.
truncate -s 32M disk.img
mkloop disk.img
expect_exit 0 "format a loop device" "$SWAPCTL" -F -L loopswap "$LOOP"
check "blkid -p on the device: TYPE=swap" test "$(blkid -p -o value -s TYPE "$LOOP")" = swap
check "blkid -p on the device: LABEL" test "$(blkid -p -o value -s LABEL "$LOOP")" = loopswap
remember_swap "$LOOP"
check "util-linux swapon accepts the device" swapon "$LOOP"
check "the device is in /proc/swaps" is_active "$LOOP"
check "util-linux swapoff releases it" swapoff "$LOOP"
expect_exit 4 "-S on a block device is refused" "$SWAPCTL" -F -S 1M "$LOOP"
expect_err "^swapctl: $LOOP: -S sets the size of a file" "-S on a device: one-line reason"

# btrfs: a new file gets NOCOW so the kernel takes it; a COW file is caught.
truncate -s 200M btrfs.img
mkloop btrfs.img
if mkfs.btrfs -q "$LOOP" >/dev/null 2>&1 && mkdir mnt && mount "$LOOP" mnt; then
	remember_mount "$T/mnt"
	expect_exit 0 "format a new file on btrfs" "$SWAPCTL" -F -S 16M mnt/sw
	check "the new file on btrfs is NOCOW" sh -c "lsattr mnt/sw | cut -c1-22 | grep -q C"
	remember_swap "$T/mnt/sw"
	check "the kernel accepts the btrfs swap file" swapon "$T/mnt/sw"
	check "swapoff the btrfs swap file" swapoff "$T/mnt/sw"
	dd if=/dev/zero of=mnt/cow bs=1M count=4 status=none
	mkswap -q mnt/cow >/dev/null 2>&1; chmod 600 mnt/cow
	expect_exit 8 "a copy-on-write file on btrfs is unusable" "$SWAPCTL" -V mnt/cow
	expect_out 'copy-on-write file on btrfs' "verify names copy-on-write"
	check_not "and the kernel indeed refuses it" swapon "$T/mnt/cow"
else
	nok "make a btrfs filesystem on $LOOP"
fi

# -F -S builds the file beside its target and renames it into place only
# when it is whole: ENOSPC, or a kill at any point, leaves an existing file
# as it was and no new file, no temporary, no space used.
truncate -s 8M small.img && mkfs.ext4 -q -F small.img && mkloop small.img && mkdir small
mount "$LOOP" small && remember_mount "$T/small"
"$SWAPCTL" -F -S 1M -L keep small/sw >/dev/null
before=$(sum small/sw) ino=$(stat -c %i small/sw) free=$(df -k --output=avail small | tail -1)
expect_exit 2 "-F -S 64M over a smaller file on a full filesystem" "$SWAPCTL" -F -S 64M small/sw
expect_err "^swapctl: small/sw: cannot allocate 67108864 bytes: No space left on device$" "ENOSPC: one line"
check "the existing file is untouched (size, bytes, inode)" test "$(stat -c %s small/sw)/$(sum small/sw)/$(stat -c %i small/sw)" = "1048576/$before/$ino"
expect_exit 2 "-F -S 64M as a new file on a full filesystem" "$SWAPCTL" -F -S 64M small/new
check "no new file and no temporary left" test "$(ls -A small | tr '\n' ' ')" = "lost+found sw "
check "the space is free again" test "$(df -k --output=avail small | tail -1)" -ge "$free"
for call in fallocate pwrite64 fsync; do
	expect_exit 137 "-F -S replacing a file, killed at $call" strace -f -o /dev/null -e trace="$call" \
		-e inject="$call":signal=KILL "$SWAPCTL" -F -S 2M small/sw
	check "killed at $call replacing a file: the old one is untouched" test "$(sum small/sw)/$(stat -c %i small/sw)" = "$before/$ino"
	expect_exit 137 "-F -S making a new file, killed at $call" strace -f -o /dev/null -e trace="$call" \
		-e inject="$call":signal=KILL "$SWAPCTL" -F -S 2M small/new
	check "killed at $call making a new file: nothing left" test "$(ls -A small | tr '\n' ' ')" = "lost+found sw "
done
expect_exit 0 "-F -S 2M replaces the file when there is room" "$SWAPCTL" -F -S 2M -L bigger small/sw
check "the new file is in place: 2 MiB, labelled, mode 0600" test "$(stat -c %s/%a small/sw)/$(blkid -p -o value -s LABEL small/sw)" = "2097152/600/bigger"
expect_exit 0 "and it verifies" "$SWAPCTL" -V small/sw
check "no temporary left after success" test "$(ls -A small | tr '\n' ' ')" = "lost+found sw "
# A symlink at the target is never followed nor replaced by -S.
ln -s sw small/link
expect_exit 4 "-F -S on a symlink is refused" "$SWAPCTL" -F -S 1M small/link
expect_err "^swapctl: small/link: is a symbolic link; -S puts a new file in its place: give the file's own path$" "symlink: one line"
check "the symlink and its target are as they were" test "$(readlink small/link)/$(stat -c %s small/sw)" = "sw/2097152"
umount small

expect_exit 0 "--help" "$SWAPCTL" --help
expect_out '^Usage:' "--help prints usage"
expect_exit 0 "--version" "$SWAPCTL" --version
expect_out '^swapctl [0-9]' "--version prints the version"
