# A swap header beside other signatures is not plainly swap: a disk once
# used whole as swap and later partitioned (the old magic survives beside
# the partition table and an ext4 partition), and a swap header beside LVM,
# md, LUKS1 and btrfs signatures.  Every path that writes to an area or
# activates it probes every signature as -F does and refuses: -V reports it,
# -a, -c -L/-u, -V --scan and swapinfo -r --device refuse and write nothing;
# -a -f activates it anyway and -F -f wipes them, as swapctl(8) says.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

cat > t.trace <<'EOT'
swaptrace 1
ram 16
dev add d 64
obj new a 32
w a 0 32
EOT

# splice_swap IMG: write a swap header for IMG's size into its bytes
# 1024..4095 (the header's own, which LVM, md, LUKS1 and btrfs leave alone).
splice_swap() {
	truncate -s "$(stat -c %s "$1")" hdr.img && "$SWAPCTL" -F -u 01234567-89ab-4def-8123-456789abcdef hdr.img >/dev/null 2>&1 &&
		dd if=hdr.img of="$1" bs=1024 skip=1 seek=1 count=3 conv=notrunc status=none
	rm -f hdr.img
}

# refused_everywhere NAME DEV REGEX: every writer and activator refuses DEV,
# naming what REGEX matches, and nothing on it changes; then -a -f activates
# it and -F -f leaves a plain swap area.
refused_everywhere() {
	local name=$1 dev=$2 re=$3 before
	check "$name: libblkid sees swap and the other" sh -c "wipefs -n '$dev' | grep -q swap && test \$(wipefs -n '$dev' | grep -vc '^DEVICE') -ge 2"
	before=$(sum "$dev")
	expect_exit 8 "$name: -V calls it unusable" "$SWAPCTL" -V "$dev"
	expect_out "^$dev: ambiguous: a swap header beside other signatures$" "$name: -V's verdict says ambiguous"
	expect_out "error: besides the swap header it holds .*$re" "$name: -V names the other signature"
	expect_out "fix: swapctl -F -f -u 01234567-89ab-4def-8123-456789abcdef $dev" "$name: -V's fix keeps the UUID"
	expect_exit 8 "$name: -V --json" "$SWAPCTL" -V --json "$dev"
	check "$name: --json has the defect" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))[0]
assert r["verdict"] == "unusable-here", r
assert [p["defect"] for p in r["problems"]] == ["other-signatures"], r' "$T/out"
	expect_exit 4 "$name: -a refuses" "$SWAPCTL" -a "$dev"
	expect_err "^swapctl: $dev: refusing to activate it: besides the swap header it holds .*$re.*use -f" "$name: -a says why"
	check_not "$name: not activated" is_active "$dev"
	expect_exit 4 "$name: -c -L refuses" "$SWAPCTL" -c -L new "$dev"
	expect_err "^swapctl: $dev: refusing to write to it: besides the swap header it holds .*$re" "$name: -c -L says why"
	expect_exit 4 "$name: -c -u refuses" "$SWAPCTL" -c -u random "$dev"
	expect_exit 4 "$name: -V --scan refuses" "$SWAPCTL" -V --scan "$dev"
	expect_err "^swapctl: $dev: refusing to write to it: besides the swap header it holds .*$re" "$name: --scan says why"
	expect_exit 4 "$name: swapinfo -r --device refuses" "$SWAPINFO" -r t.trace --device d="$dev"
	expect_err "^swapinfo: t.trace:3: $dev: refusing to write to it: besides the swap header it holds .*$re" "$name: --device says why"
	expect_exit 4 "$name: -F refuses" "$SWAPCTL" -F "$dev"
	check "$name: nothing was written by any of them" test "$(sum "$dev")" = "$before"
	remember_swap "$dev"
	expect_exit 0 "$name: -a -f activates it anyway" "$SWAPCTL" -a -f "$dev"
	check "$name: active after -a -f" is_active "$dev"
	swapoff "$dev"
	expect_exit 0 "$name: -F -f wipes them" "$SWAPCTL" -F -f "$dev"
	expect_exit 0 "$name: then -V calls it usable" "$SWAPCTL" -V "$dev"
	expect_exit 0 "$name: and swapinfo --device drives it" "$SWAPINFO" -r t.trace --device d="$dev"
}

# A disk once used whole as swap, then partitioned, with ext4 on its partition.
truncate -s 64M disk.img && mkloop disk.img
"$SWAPCTL" -F -u 01234567-89ab-4def-8123-456789abcdef "$LOOP" >/dev/null
echo 'start=2048, type=83' | sfdisk -q "$LOOP" >/dev/null 2>&1
partx -u "$LOOP" 2>/dev/null; udevadm settle 2>/dev/null
if [ -b "${LOOP}p1" ] && mkfs.ext4 -q "${LOOP}p1"; then
	refused_everywhere "partitioned disk" "$LOOP" "dos partition table"
else
	nok "partitioned disk: no partition ${LOOP}p1 after sfdisk"
fi
partx -d "$LOOP" 2>/dev/null

# LVM2: the PV label (sector 1) and metadata (from 4 KiB) leave the swap
# header's bytes alone.  Without pvcreate here, the label is written as
# LVM2 writes it, with its CRC.
truncate -s 32M lvm.img
python3 - lvm.img <<'EOF'
import struct, sys, zlib
def lvm_crc(data, init=0xf597a6cf):     # LVM's CRC-32: no final inversion
    return ~zlib.crc32(data, ~init & 0xffffffff) & 0xffffffff
sec = bytearray(512)
pv = b"AbCdEfGhIjKlMnOpQrStUvWxYz012345"
body = pv + struct.pack("<Q", 32 << 20)                  # uuid, device size
body += struct.pack("<QQQQ", 1 << 20, 0, 0, 0)           # one data area, end
body += struct.pack("<QQQQ", 4096, (1 << 20) - 4096, 0, 0)  # one metadata area, end
sec[32:32 + len(body)] = body
sec[0:8] = b"LABELONE"
struct.pack_into("<QI", sec, 8, 1, 0)                    # sector_xl, crc (later)
struct.pack_into("<I", sec, 20, 32)                      # offset_xl
sec[24:32] = b"LVM2 001"
struct.pack_into("<I", sec, 16, lvm_crc(bytes(sec[20:])))
with open(sys.argv[1], "r+b") as f:
    f.seek(512); f.write(sec)
EOF
splice_swap lvm.img && mkloop lvm.img
if blkid -p "$LOOP" | grep -q LVM2_member; then
	refused_everywhere "LVM2" "$LOOP" "LVM2_member"
else
	nok "LVM2: libblkid does not see the PV label written"
fi

# md RAID, metadata 1.2 (superblock at 4 KiB), written as mdadm writes it
# (no mdadm here), checksum included.
truncate -s 32M md.img
python3 - md.img <<'EOF'
import struct, sys
sb = bytearray(256 + 2 * 1)
struct.pack_into("<IIII", sb, 0, 0xa92b4efc, 1, 0, 0)    # magic, major, features
sb[16:32] = bytes(range(1, 17))                           # set uuid
sb[32:40] = b"swaptest"                                   # set name
struct.pack_into("<IIQII", sb, 72, 1, 0, 60000, 0, 1)    # raid1, size, 1 disk
struct.pack_into("<QQQ", sb, 128, 2048, 60000, 8)        # data off/size, super_offset
sb[168:184] = bytes(range(17, 33))                        # device uuid
struct.pack_into("<I", sb, 220, 1)                        # max_dev
struct.pack_into("<H", sb, 256, 0)                        # role of device 0
csum = sum(struct.unpack("<%dI" % (len(sb) // 4), bytes(sb[:len(sb) // 4 * 4])))
if len(sb) % 4:
    csum += struct.unpack("<H", bytes(sb[-2:]))[0]
csum = ((csum & 0xffffffff) + (csum >> 32)) & 0xffffffff
struct.pack_into("<I", sb, 216, csum)
with open(sys.argv[1], "r+b") as f:
    f.seek(4096); f.write(sb)
EOF
splice_swap md.img && mkloop md.img
if blkid -p "$LOOP" | grep -q linux_raid_member; then
	refused_everywhere "md 1.2" "$LOOP" "linux_raid_member RAID member"
else
	nok "md: libblkid does not see the superblock written"
fi

# LUKS1: its header ends at 592 bytes and key material starts at 4 KiB.
truncate -s 32M luks1.img
printf 'secret' > key
if cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 --key-file key luks1.img >/dev/null 2>&1; then
	splice_swap luks1.img && mkloop luks1.img
	refused_everywhere "LUKS1" "$LOOP" "crypto_LUKS encrypted volume"
else
	nok "cryptsetup luksFormat --type luks1 on a file"
fi

# btrfs: its superblock is at 64 KiB.
truncate -s 128M btrfs.img
if mkfs.btrfs -q -f btrfs.img >/dev/null 2>&1; then
	splice_swap btrfs.img && mkloop btrfs.img
	refused_everywhere "btrfs" "$LOOP" "btrfs filesystem"
else
	nok "mkfs.btrfs on a file"
fi
