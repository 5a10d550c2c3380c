# swapctl -F never writes over what it must not: other signatures (unless -f,
# and then wiped with libblkid), active areas, mounted or busy devices; and
# bad input gets one line naming the path and the reason, and its exit code.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

# refuse_then_force NAME FILE REGEX: -F refuses (exit 4, message matching
# REGEX, file untouched); -F -f wipes it and leaves only a swap signature.
refuse_then_force() {
	local name=$1 f=$2 re=$3 before
	before=$(sum "$f")
	expect_exit 4 "$name: refused without -f" "$SWAPCTL" -F "$f"
	expect_err "^swapctl: $f: refusing to overwrite .*$re.*use -f" "$name: the message names it"
	check "$name: nothing was written" test "$(sum "$f")" = "$before"
	expect_exit 0 "$name: -f formats it" "$SWAPCTL" -F -f "$f"
	expect_out "wiped the .*$re" "$name: -f says what it wiped"
	check "$name: blkid now sees swap" test "$(blkid -p -o value -s TYPE "$f")" = swap
	check "$name: only a swap signature is left" test "$(wipefs -n -p "$f" | grep -v '^#' | cut -d, -f4 | sort -u | tr '\n' ' ')" = "swap "
}

truncate -s 16M ext4.img && mkfs.ext4 -q -F ext4.img
refuse_then_force "ext4" ext4.img "ext4 filesystem"

truncate -s 16M vfat.img && mkfs.vfat vfat.img >/dev/null
refuse_then_force "vfat" vfat.img "vfat filesystem"

truncate -s 32M luks.img
printf 'secret' > key
if cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
	--key-file key luks.img >/dev/null 2>&1; then
	refuse_then_force "LUKS" luks.img "crypto_LUKS encrypted volume"
else
	nok "cryptsetup luksFormat on a file"
fi

truncate -s 16M mbr.img && echo 'start=2048, type=83' | sfdisk -q -X dos mbr.img >/dev/null
refuse_then_force "MBR" mbr.img "dos partition table"
check "MBR: no partition table left" test -z "$(blkid -p -o value -s PTTYPE mbr.img)"

truncate -s 16M gpt.img && echo 'start=2048, type=L' | sfdisk -q -X gpt gpt.img >/dev/null
refuse_then_force "GPT" gpt.img "gpt partition table"
check "GPT: no partition table left" test -z "$(blkid -p -o value -s PTTYPE gpt.img)"

for sig in S1SUSPEND S2SUSPEND LINHIB0001; do
	rm -f hib.img; "$SWAPCTL" -F -S 4M hib.img >/dev/null
	printf '%s' "$sig" | dd of=hib.img bs=1 seek=4086 conv=notrunc status=none
	refuse_then_force "hibernation $sig" hib.img "hibernation image"
done

# An area that is active right now.
"$SWAPCTL" -F -S 8M active.img >/dev/null
activate "$T/active.img"
before=$(sum active.img)
expect_exit 4 "an active swap file is refused" "$SWAPCTL" -F active.img
expect_err "^swapctl: active.img: is an active swap area" "active: one-line reason"
expect_exit 4 "an active swap file is refused even with -f" "$SWAPCTL" -F -f active.img
check "the active area is untouched and still active" sh -c "test '$(sum active.img)' = '$before' && grep -q '^$T/active.img ' /proc/swaps"
swapoff "$T/active.img"

# A mounted device.
truncate -s 32M mnt.img && mkfs.ext4 -q -F mnt.img && mkloop mnt.img && mkdir m
mount "$LOOP" m && remember_mount "$T/m"
expect_exit 4 "a mounted device is refused, even with -f" "$SWAPCTL" -F -f "$LOOP"
expect_err "^swapctl: $LOOP: is mounted on $T/m" "mounted: names the mount point"
umount m

# A device another process holds open exclusively.
python3 -c 'import os,sys,time; os.open(sys.argv[1], os.O_RDONLY|os.O_EXCL); print("held", flush=True); time.sleep(60)' "$LOOP" >held &
remember_pid $!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q held held 2>/dev/null && break; sleep 0.2; done
expect_exit 4 "a device held open elsewhere is refused" "$SWAPCTL" -F -f "$LOOP"
expect_err "^swapctl: $LOOP: is in use by another process" "busy: one-line reason"

# Bad input.
expect_exit 2 "a missing path" "$SWAPCTL" -F nosuchfile
expect_err "^swapctl: nosuchfile: No such file or directory \(give -S SIZE" "missing path: names it and the fix"
expect_exit 2 "-S into a missing directory" "$SWAPCTL" -F -S 1M nodir/sw
expect_err "^swapctl: nodir/sw: cannot create: No such file" "missing directory: names it"
mkdir adir
expect_exit 4 "a directory" "$SWAPCTL" -F adir
expect_err "^swapctl: adir: is a directory$" "directory: one-line reason"
truncate -s 36K tiny
expect_exit 4 "a file under 10 pages" "$SWAPCTL" -F tiny
expect_err "^swapctl: tiny: too small \(36864 bytes\); a swap area needs at least 10 pages \(40 KiB\)" "tiny: says the minimum"
truncate -s 1M immutable && chattr +i immutable
expect_exit 3 "an immutable (unwritable) file" "$SWAPCTL" -F immutable
expect_err "^swapctl: immutable: Operation not permitted" "unwritable: one-line reason"
chattr -i immutable
check_not "the refused -S create left no file behind" test -e nodir/sw
expect_exit 1 "a malformed UUID" "$SWAPCTL" -F -u 1234 tiny
expect_err "^swapctl: -u: '1234' is not a UUID" "bad UUID: one-line reason"
expect_exit 1 "a 16-byte label" "$SWAPCTL" -F -L 0123456789abcdef tiny
expect_err "^swapctl: -L: label '0123456789abcdef' is 16 bytes long; at most 15 fit" "long label: refused, not truncated"
expect_exit 1 "page size 3000" "$SWAPCTL" -F -P 3000 tiny
expect_exit 1 "byte order 'middle'" "$SWAPCTL" -F -e middle tiny
expect_exit 1 "no command letter" "$SWAPCTL" tiny
expect_exit 1 "two command letters" "$SWAPCTL" -F -V tiny
expect_exit 1 "-F without a path" "$SWAPCTL" -F
expect_exit 1 "an unknown option" "$SWAPCTL" -F --frobnicate tiny
