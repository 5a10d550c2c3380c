# swapctl -F/-V --offset: a swap header written at a byte offset of a file
# or device (as mkswap --offset), found there and only there, and reached by
# the kernel through a loop device that starts at it.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

M=1048576
# magic_at FILE OFFSET: the 10 bytes that end the 4 KiB page at OFFSET
magic_at() { dd if="$1" bs=1 skip=$(( $2 + 4086 )) count=10 status=none; }
# json_ok NAME PYTHON-EXPR: the last stdout parses as JSON and EXPR (on j) holds
json_ok() {
	if python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$T/out" "$2" 2>"$T/pyerr"; then ok "$1"
	else nok "$1"; sed 's/^/#   /' "$T/pyerr"; show_out; fi
}

# ------------------------------------------------------------ a real file
truncate -s 64M img
chmod 600 img
expect_exit 0 "-F --offset=1M on a file" "$SWAPCTL" -F --offset=1M -L offlabel img
expect_out "^img: swap area version 1 at offset $M, 16128 pages of 4096 bytes" \
	"-F says where the header went and counts the pages after it"
check "SWAPSPACE2 ends the page at 1 MiB" test "$(magic_at img $M)" = SWAPSPACE2
check "the page at 0 is untouched (no magic)" test "$(magic_at img 0 | tr -d '\0')" = ""
check "blkid -p --offset 1M: swap" test "$(blkid -p -o value -s TYPE --offset $M img)" = swap
check "blkid -p --offset 1M: our label" test "$(blkid -p -o value -s LABEL --offset $M img)" = offlabel
check_not "blkid -p at 0 finds nothing" blkid -p img
check "the file stays sparse: its holes are not allocated" test $(( $(stat -c %b img) * 512 )) -lt $M

expect_exit 0 "-V --offset=1M finds it" "$SWAPCTL" -V --offset=1M img
expect_out "^img: usable swap area$" "-V: usable"
expect_out "^  offset: +$M bytes into the file$" "-V: the offset"
expect_out "^  size: +$(( 63 * M )) bytes .* from the offset on$" "-V: the size from the offset on"
expect_out "^  label: +offlabel$" "-V: the label"
expect_out "^  resume: +none: .*cannot activate one at an offset$" "-V: no resume parameters at an offset"
check_not "-V --offset: no holes reported (never swapped to as a file)" grep -q holes "$T/out"
expect_exit 0 "-V --offset=1048576 --json" "$SWAPCTL" -V --json --offset=1048576 img
json_ok "--json: offset, size, signature, label, no resume" \
	'j[0]["offset"] == 1048576 and j[0]["size"] == 63 * 1048576 and j[0]["signature"] == "SWAPSPACE2" and j[0]["label"] == "offlabel" and j[0]["resume"] is None and j[0]["verdict"] == "usable"'
expect_exit 9 "-V at offset 0 of the same file: not swap" "$SWAPCTL" -V img
expect_out "^  signature: +none$" "-V at 0: no signature"
expect_exit 9 "-V --json without --offset" "$SWAPCTL" -V --json img
json_ok "--json: offset 0 and no signature without --offset" \
	'j[0]["offset"] == 0 and j[0]["signature"] == "none"'
expect_exit 9 "-V at another offset (2M): not swap" "$SWAPCTL" -V --offset=2M img

# A dry run writes nothing.
before=$(sum img)
expect_exit 0 "-F -n --offset=2M" "$SWAPCTL" -F -n --offset=2M img
expect_out "^would write swap header version 1 to img at offset 2097152: " "-n says where it would write"
check "-n left the file as it was" test "$(sum img)" = "$before"

# -S with --offset: a new file of that size, the area after the offset.
expect_exit 0 "-F -S 8M --offset=64K" "$SWAPCTL" -F -S 8M --offset=64K new
check "the new file is 8 MiB" test "$(stat -c %s new)" -eq $(( 8 * M ))
check "its header is at 64 KiB" test "$(magic_at new 65536)" = SWAPSPACE2
expect_exit 0 "-V --offset=64K on it" "$SWAPCTL" -V --offset=64K new
expect_out "^  area: +2032 pages" "-V: (8M - 64K) / 4K pages"

# A header of another page size at an offset: the fix keeps the offset.
truncate -s 16M p16
chmod 600 p16
expect_exit 0 "-F -P 16K --offset=64K" "$SWAPCTL" -F -P 16K --offset=64K p16
expect_exit 8 "-V --offset=64K: made for 16K pages" "$SWAPCTL" -V --offset=64K p16
expect_out "^    fix: swapctl -F -P $(getconf PAGESIZE) -u [-0-9a-f]{36} --offset=65536 p16$" \
	"-V: the fix writes at the same offset"

# ------------------------------------------------------------ refusals
for args in "-a" "-A" "-c -L x" "-d" "-l"; do
	# shellcheck disable=SC2086
	expect_exit 1 "swapctl $args --offset=1M: refused" "$SWAPCTL" $args --offset=1M img
	expect_err "^swapctl: --offset goes with -F or -V: the kernel cannot activate an area at an offset" \
		"swapctl $args --offset: one line saying why"
done
expect_exit 1 "--offset=1000: not page-aligned" "$SWAPCTL" -F --offset=1000 img
expect_err "^swapctl: --offset: 1000 is not a multiple of the page size, $(getconf PAGESIZE)" \
	"--offset=1000: one line naming the option and the reason"
expect_exit 1 "-P 16K --offset=4096: not a multiple of 16K" "$SWAPCTL" -F -P 16K --offset=4096 img
expect_err "^swapctl: --offset: 4096 is not a multiple of the page size, 16384" "-P 16K --offset=4096: one line"
expect_exit 1 "-V --offset=512: not page-aligned" "$SWAPCTL" -V --offset=512 img
expect_err "not a multiple of the page size, 4096" "-V --offset=512: one line"
for v in abc -4096 '' 4096x; do
	expect_exit 1 "--offset='$v'" "$SWAPCTL" -F --offset="$v" img
	expect_err "^swapctl: --offset: '$v' is not a number of bytes" "--offset='$v': one line"
done
expect_exit 1 "-V --scan --offset" "$SWAPCTL" -V --scan --offset=1M img
expect_err "^swapctl: --offset does not go with --scan" "--scan --offset: one line"
before=$(sum img)
expect_exit 1 "-F --offset at the end of the file" "$SWAPCTL" -F --offset=64M img
expect_err "^swapctl: img: offset $(( 64 * M )) is past its end \($(( 64 * M )) bytes\)$" "past the end: one line"
expect_exit 1 "-V --offset past the end" "$SWAPCTL" -V --offset=1G img
expect_err "^swapctl: img: offset 1073741824 is past its end" "-V past the end: one line"
expect_exit 4 "-F --offset leaving too few pages" "$SWAPCTL" -F --offset=$(( 64 * M - 8192 )) img
expect_err "^swapctl: img: too small \(8192 bytes\)" "too few pages: one line"
check "refusals left the file as it was" test "$(sum img)" = "$before"

# A partition table at the start: refused without -f, kept with it.
truncate -s 64M disk
printf 'label: gpt\nstart=2048, size=20480\n' | sfdisk -q disk || nok "sfdisk disk"
before=$(sum disk)
expect_exit 4 "-F --offset=1M under a partition table" "$SWAPCTL" -F --offset=1M disk
expect_err "^swapctl: disk: refusing to write a header at offset $M: from its start it holds gpt partition table \(-f" \
	"the refusal names what is at the start"
check "the refusal wrote nothing" test "$(sum disk)" = "$before"
expect_exit 0 "-F -f --offset=1M under a partition table" "$SWAPCTL" -F -f --offset=1M disk
check "-f left the partition table" test "$(blkid -p -o value -s PTTYPE disk)" = gpt
check "-f wrote the header at 1 MiB" test "$(blkid -p -o value -s TYPE --offset $M disk)" = swap

# A filesystem in the area: refused without -f, wiped with it.
truncate -s 64M fs
mkfs.ext4 -q -F -E offset=$M fs 16M || nok "mkfs.ext4 at an offset"
check "blkid sees ext4 at 1 MiB" test "$(blkid -p -o value -s TYPE --offset $M fs)" = ext4
expect_exit 4 "-F --offset=1M over an ext4 there" "$SWAPCTL" -F --offset=1M fs
expect_err "^swapctl: fs: refusing to overwrite what is on it: ext4 filesystem \(use -f to wipe it\)$" \
	"the refusal names the filesystem in the area"
expect_exit 0 "-F -f --offset=1M over it" "$SWAPCTL" -F -f --offset=1M fs
expect_out "^wiped the ext4 filesystem signature$" "-f says what it wiped"
check "only swap is left at 1 MiB" test "$(blkid -p -o value -s TYPE --offset $M fs)" = swap
# and an ext4 that starts before the area, which it would be written into
truncate -s 64M fs0
mkfs.ext4 -q -F fs0 || nok "mkfs.ext4"
expect_exit 4 "-F --offset=1M inside an ext4" "$SWAPCTL" -F --offset=1M fs0
expect_err "from its start it holds ext4 filesystem" "the refusal names the filesystem before the area"

# ------------------------------------------------------------ a loop device
# The header at an offset of a device; a second loop device that starts at
# that offset is a swap area the kernel takes.
truncate -s 64M dev.img
mkloop dev.img; L=$LOOP
expect_exit 0 "-F --offset=4M on a loop device" "$SWAPCTL" -F --offset=4M -L devoff "$L"
check "blkid -p --offset 4M on the device: swap" test "$(blkid -p -o value -s TYPE --offset $(( 4 * M )) "$L")" = swap
expect_exit 0 "-V --offset=4M on the device" "$SWAPCTL" -V --offset=4M "$L"
expect_out "^  offset: +$(( 4 * M )) bytes into the device$" "-V on the device: the offset"
expect_exit 9 "-V at offset 0 of the device: not swap" "$SWAPCTL" -V "$L"
LOFF=$(losetup --show -f -o $(( 4 * M )) dev.img) || nok "losetup -o 4M"
_loops+=("$LOFF")
udevadm settle 2>/dev/null || true
expect_exit 0 "-V on a loop device starting at the offset" "$SWAPCTL" -V "$LOFF"
expect_out "^  label: +devoff$" "the area seen from its own device"
remember_swap "$LOFF"
expect_exit 0 "-a activates it there" "$SWAPCTL" -a "$LOFF"
check "the kernel has it" is_active "$LOFF"
expect_exit 0 "-d deactivates it" "$SWAPCTL" -d "$LOFF"
check_not "no longer active" is_active "$LOFF"
