# swapctl -V prints the kernel's hibernation parameters of an area:
# resume=UUID=... and, for a swap file, resume_offset= (its first page on
# the device), checked against filefrag, blkid and btrfs's own answer.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"
PS=$(getconf PAGESIZE)
mkdir m

# resume_line PATH: the resume line of -V, without its label
resume_line() { "$SWAPCTL" -V "$1" | sed -n 's/^  resume: *//p'; }

# ext4 with 4 KiB blocks: the first extent from filefrag
truncate -s 64M e4.img
mkfs.ext4 -q -F -b 4096 e4.img
mkloop e4.img; L=$LOOP
mount "$L" m && remember_mount "$T/m"
"$SWAPCTL" -F -S 8M m/sw >/dev/null
blk=$(filefrag -v m/sw | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4; exit }')
uuid=$(blkid -o value -s UUID "$L")
want="resume=UUID=$uuid resume_offset=$((blk * 4096 / PS))"
got=$(resume_line m/sw)
if [ -n "$blk" ] && [ "$got" = "$want" ]; then ok "ext4 file: $want"
else nok "ext4 file: got '$got', want '$want'"; fi
expect_exit 0 "-V --json on the file" "$SWAPCTL" -V --json m/sw
check "--json: resume.uuid and resume.offset, numbers" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))[0]["resume"]
assert r == {"uuid": sys.argv[2], "offset": int(sys.argv[3])}, r' "$T/out" "$uuid" "$((blk * 4096 / PS))"
umount m

# ext4 with 1 KiB blocks: a first page off the device's page boundaries
truncate -s 64M e1.img
mkfs.ext4 -q -F -b 1024 e1.img
mkloop e1.img
mount "$LOOP" m
"$SWAPCTL" -F -S 8M m/sw >/dev/null
blk=$(filefrag -v m/sw | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4; exit }')
if [ $((blk * 1024 % PS)) -ne 0 ]; then
	got=$(resume_line m/sw)
	case $got in
	"none: m/sw: its first page does not start on a page boundary"*) ok "1K-block ext4, unaligned first page: none, with the reason" ;;
	*) nok "1K-block ext4, unaligned first page: got '$got'" ;;
	esac
	expect_exit 0 "-V --json, unaligned" "$SWAPCTL" -V --json m/sw
	check "--json: resume is null" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))[0]["resume"] is None' "$T/out"
else
	ok "1K-block ext4 placed the file on a page boundary (nothing to refuse)"
fi
umount m

# btrfs: the logical address mapped to the device, as btrfs computes it
truncate -s 256M b.img
mkfs.btrfs -q -f b.img >/dev/null
mkloop b.img
mount "$LOOP" m
"$SWAPCTL" -F -S 16M m/sw >/dev/null
uuid=$(blkid -o value -s UUID "$LOOP")
if off=$(btrfs inspect-internal map-swapfile -r m/sw 2>/dev/null); then
	want="resume=UUID=$uuid resume_offset=$off"
else
	# btrfs-progs before 6.1: no map-swapfile; the chunk is the first data
	# chunk, checked only for its UUID
	want="resume=UUID=$uuid resume_offset="
fi
got=$(resume_line m/sw)
case $got in
"$want"*) ok "btrfs file: $got" ;;
*) nok "btrfs file: got '$got', want '$want'" ;;
esac
umount m

# a block device: the swap area's own UUID, no offset
truncate -s 32M d.img
mkloop d.img
"$SWAPCTL" -F -u 0a0b0c0d-1111-2222-3333-444455556666 "$LOOP" >/dev/null
got=$(resume_line "$LOOP")
if [ "$got" = "resume=UUID=0a0b0c0d-1111-2222-3333-444455556666" ]; then ok "block device: $got"
else nok "block device: got '$got'"; fi
expect_exit 0 "-V --json on the device" "$SWAPCTL" -V --json "$LOOP"
check "--json: offset null for a device" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))[0]["resume"]
assert r == {"uuid": "0a0b0c0d-1111-2222-3333-444455556666", "offset": None}, r' "$T/out"

# tmpfs: no block device under the file
mount -t tmpfs -o size=16M tmpfs m
"$SWAPCTL" -F -S 4M m/sw >/dev/null 2>&1 || truncate -s 4M m/sw
if [ -s m/sw ]; then
	got=$("$SWAPCTL" -V m/sw 2>/dev/null | sed -n 's/^  resume: *//p')
	case $got in
	""|none:*) ok "tmpfs: no resume parameters (${got:-no header})" ;;
	*) nok "tmpfs: got '$got'" ;;
	esac
fi
umount m
