# swapctl -V: one precise reason per defect, the fix where there is one, and
# distinct exit codes: 0 usable, 8 unusable here, 9 not swap, 10 hibernation.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

# poke FILE OFFSET HEXBYTES: overwrite bytes in place.
poke() { printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }

"$SWAPCTL" -F -S 8M -L vlabel good >/dev/null
expect_exit 0 "a fresh area verifies as usable" "$SWAPCTL" -V good
expect_out '^good: usable swap area$' "verdict line"
expect_out 'label: +vlabel' "label shown"
expect_out 'usable: +2047 pages' "usable pages shown"

# --json gives the same report.
expect_exit 0 "--json" "$SWAPCTL" -V --json good
cp "$T/out" one.json
check "--json parses, is an array of one, and agrees with the header" python3 -c '
import json,sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list) and len(a) == 1, a
r = a[0]
assert r["verdict"] == "usable" and r["label"] == "vlabel" and r["last_page"] == 2047
assert r["usable_pages"] == 2047 and r["pagesize"] == 4096 and r["problems"] == []' one.json

# Mode and owner: usable, with warnings and the fix lines.
cp good insecure; chmod 0644 insecure
expect_exit 0 "a world-readable area is still usable" "$SWAPCTL" -V insecure
expect_out 'warning: insecure mode 0644' "insecure mode is reported"
expect_out 'fix: chmod 0600 insecure' "with the chmod line"
cp good notroot; chown nobody notroot
expect_exit 0 "a file owned by nobody is still usable" "$SWAPCTL" -V notroot
expect_out 'fix: chown 0:0 notroot' "with the chown line"

# Holes: made by util-linux on a sparse file.
truncate -s 8M sparse; mkswap -q sparse >/dev/null 2>&1; chmod 600 sparse
expect_exit 8 "a file with holes is unusable" "$SWAPCTL" -V sparse
expect_out 'error: file has holes' "holes are named"
expect_out 'fix: swapctl -F -S 8388608 sparse' "with the fix"
remember_swap "$T/sparse"
check_not "and the kernel indeed refuses it" swapon "$T/sparse"

# Page size of another machine.
"$SWAPCTL" -F -S 1M -P 16K -L big16k -u 4c08e1cd-9a2b-4e3f-8a11-223344556677 p16 >/dev/null 2>&1
expect_exit 8 "a 16K-page header is unusable on a 4K kernel" "$SWAPCTL" -V p16
expect_out 'made for 16384-byte pages \(magic at offset 16374\); this kernel uses 4096-byte pages' "page sizes named"
expect_out "fix: swapctl -F -P 4096 -L big16k -u 4c08e1cd-9a2b-4e3f-8a11-223344556677 p16" "the fix keeps label and UUID"

# Corruptions: each its own reason and code.
cp good c1; poke c1 4086 00000000000000000000
expect_exit 9 "no magic: not swap" "$SWAPCTL" -V c1
expect_out 'no swap signature' "no magic: reason"
cp good c2; poke c2 1024 02000000
expect_exit 9 "version 2: not swap" "$SWAPCTL" -V c2
expect_out 'unknown header version 2' "version: reason"
cp good c3; truncate -s 4M c3
expect_exit 9 "header larger than the file" "$SWAPCTL" -V c3
expect_out 'header claims 2048 pages \(8388608 bytes\) but the file holds 4194304 bytes' "too large: reason"
cp good c4; poke c4 1032 01000000; poke c4 1536 05000000
expect_exit 8 "bad pages on a file: unusable" "$SWAPCTL" -V c4
expect_out 'bad pages listed for a regular file' "bad pages on file: reason"
cp good c5; poke c5 1032 7e020000
expect_exit 9 "638 bad pages: not valid" "$SWAPCTL" -V c5
expect_out '638 bad pages listed; a 4096-byte header holds at most 637' "bad-page count: reason"
cp good c6; poke c6 1052 41414141414141414141414141414141
# A label filling all 16 bytes (no NUL) is valid: the kernel and util-linux
# take it, so -V shows it, -a -f activates it and -c -u keeps it.
expect_exit 0 "a 16-byte label without NUL is usable" "$SWAPCTL" -V c6
expect_out '^  label: +AAAAAAAAAAAAAAAA$' "the 16-byte label is shown whole"
check_not "no problem reported for it" grep -q 'error:' "$T/out"
expect_exit 0 "--json shows the 16-byte label" "$SWAPCTL" -V --json c6
check "--json: usable, label of 16 bytes" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))[0]
assert r["verdict"] == "usable" and r["label"] == "A" * 16 and r["problems"] == [], r' "$T/out"
check "blkid reads the same label" test "$(blkid -p -o value -s LABEL c6)" = AAAAAAAAAAAAAAAA
chmod 0600 c6
remember_swap "$T/c6"
expect_exit 0 "-a -f activates it" "$SWAPCTL" -a -f "$T/c6"
check "it is active" is_active "$T/c6"
swapoff "$T/c6"
expect_exit 0 "-c -u on it" "$SWAPCTL" -c -u 11111111-2222-4333-8444-555555555555 c6
check "-c -u kept the 16-byte label" test "$(blkid -p -o value -s LABEL c6)" = AAAAAAAAAAAAAAAA
cp good c7; poke c7 1028 05000000
expect_exit 9 "an area of 6 pages" "$SWAPCTL" -V c7
expect_out 'area of 6 pages' "too small: reason"
cp good c8; poke c8 4086 535741502d5350414345
expect_exit 9 "old SWAP-SPACE magic" "$SWAPCTL" -V c8
expect_out 'obsolete version 0' "old version: reason"
head -c 1M /dev/urandom > random.img
expect_exit 9 "random data is not swap" "$SWAPCTL" -V random.img

# Hibernation images.
cp good h1; poke h1 4086 5331535553504e44
poke h1 4086 "$(printf S1SUSPEND | od -An -tx1 | tr -d ' \n')"
expect_exit 10 "S1SUSPEND is a hibernation image" "$SWAPCTL" -V h1
expect_out 'holds a hibernation image \(S1SUSPEND' "hibernation: named"
cp good h2; poke h2 0 edc302e99856e50c
expect_exit 10 "TuxOnIce magic at offset 0" "$SWAPCTL" -V h2
expect_out 'TuxOnIce' "TuxOnIce: named"

# Several paths: the worst verdict decides the exit code.
expect_exit 10 "good + unusable + hibernation: exit 10" "$SWAPCTL" -V good sparse h1
expect_exit 0 "--json with several paths is a list" "$SWAPCTL" -V --json good insecure
cp "$T/out" two.json
check "the list parses" python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 2' two.json

# Paths that are not areas at all.
expect_exit 2 "a missing path" "$SWAPCTL" -V nosuch
expect_err '^swapctl: nosuch: No such file or directory$' "missing: one line"
mkdir d
expect_exit 9 "a directory is not swap" "$SWAPCTL" -V d
expect_err '^swapctl: d: is a directory$' "directory: one line"
# A FIFO is refused at once, never opened in a way that blocks (the
# timeout turns a hang into a failure).
mkfifo fifo
expect_exit 9 "a FIFO is not swap" timeout 10 "$SWAPCTL" -V fifo
expect_err '^swapctl: fifo: is a FIFO, not a regular file or block device$' "FIFO: one line, at once"
expect_exit 4 "-a refuses a FIFO" timeout 10 "$SWAPCTL" -a fifo
expect_err '^swapctl: fifo: is a FIFO, not a regular file or block device$' "-a FIFO: one line, at once"
expect_exit 4 "-c -L refuses a FIFO" timeout 10 "$SWAPCTL" -c -L x fifo
expect_err '^swapctl: fifo: is a FIFO' "-c -L FIFO: one line"
expect_exit 4 "-F refuses a FIFO" timeout 10 "$SWAPCTL" -F fifo
expect_exit 4 "-V --scan refuses a FIFO" timeout 10 "$SWAPCTL" -V --scan fifo
expect_err '^swapctl: fifo: is a FIFO' "--scan FIFO: one line"
printf 'swaptrace 1\nram 16\ndev add d 64\n' > t.trace
expect_exit 4 "swapinfo --device NAME=FIFO refuses it" timeout 10 "$SWAPINFO" -r t.trace --device d="$T/fifo"
expect_err 'fifo: is a FIFO, not a regular file or block device$' "--device FIFO: one line, at once"
printf '%s none swap defaults 0 0\n' "$T/fifo" > fifo.fstab
expect_exit 4 "-A with a FIFO in fstab refuses it" timeout 10 "$SWAPCTL" -A --fstab fifo.fstab
expect_err 'fifo: is a FIFO, not a regular file or block device$' "-A FIFO: one line, at once"
: > empty
expect_exit 9 "an empty file" "$SWAPCTL" -V empty
expect_out 'too small to hold a swap header' "empty: reason"

# A block device.
truncate -s 16M dev.img && mkloop dev.img && "$SWAPCTL" -F "$LOOP" >/dev/null
expect_exit 0 "a loop device verifies" "$SWAPCTL" -V "$LOOP"
expect_out 'type: +block device' "type: block device"

# Filesystems the kernel cannot swap to (no bmap, no swap_activate): -V
# says so, -F refuses to make a swap file there, -a refuses before swapon.
for fs in tmpfs ramfs; do
	mkdir "$fs" && mount -t "$fs" -o size=16m "$fs" "$fs" && remember_mount "$T/$fs"
	cp good "$fs/sw"
	expect_exit 8 "$fs: -V calls a swap file there unusable" "$SWAPCTL" -V "$fs/sw"
	expect_out "error: a file on $fs cannot be swap: the kernel swaps only to files whose filesystem maps their blocks" "$fs: -V says why"
	expect_exit 4 "$fs: -a refuses it" "$SWAPCTL" -a "$T/$fs/sw"
	expect_err "^swapctl: $T/$fs/sw: a file on $fs cannot be swap" "$fs: -a says why, before swapon"
	check_not "$fs: not activated" is_active "$T/$fs/sw"
	expect_exit 4 "$fs: -F refuses the existing file" "$SWAPCTL" -F "$fs/sw"
	expect_err "^swapctl: $fs/sw: a file on $fs cannot be swap" "$fs: -F says why"
	expect_exit 4 "$fs: -F -S refuses a new file" "$SWAPCTL" -F -S 1M "$fs/new"
	expect_err "^swapctl: $fs/new: a file on $fs cannot be swap" "$fs: -F -S says why"
	check "$fs: -F -S left nothing behind" test "$(ls -A "$fs")" = sw
	expect_exit 4 "$fs: -F -n -S refuses too" "$SWAPCTL" -F -n -S 1M "$fs/new"
	umount "$fs"
done
