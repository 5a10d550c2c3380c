# The commands on a faulty disk: tests/faultfs (a FUSE file) behind a loop
# device fails reads or writes at chosen pages, drops writes, or fails
# everything from a moment on (see mkfaultloop and fault in tests/lib.sh).
# The faulty disk is never activated as swap: swapping to a FUSE daemon can
# deadlock the kernel under memory pressure.
. "$srcdir/tests/lib.sh"
need_root
need_fuse
cd "$T"

# pattern PAGE: "idx" of the engine's pattern at PAGE of the faulty disk's
# backing file (what really is on the disk), or "none" when PAGE holds no
# pattern.  The layout is struct pattern_head in lib/pager/pattern.c: magic
# "SWPGPAGE" (0x5357504750414745), object, index, in host byte order.
pattern() {
	set -- $(od -An -t u8 -j $(($1 * 4096)) -N 24 "$FAULTIMG")
	if [ "$1" = 6005356895341201221 ]; then echo "$3"; else echo none; fi
}
# header_bad: the bad-page list in the header on the faulty disk, read
# from its backing file: nr_badpages at byte 1032, the list from 1536.
header_bad() {
	local n
	n=$(od -An -t u4 -j 1032 -N 4 "$FAULTIMG" | tr -d ' ')
	[ "$n" -eq 0 ] && { echo none; return; }
	od -An -t u4 -j 1536 -N $((n * 4)) "$FAULTIMG" | xargs | tr ' ' ,
}

# The device itself: faults reach the block layer as I/O errors.
mkfaultloop 16M
check "a fresh faulty disk reads whole" dd if="$LOOP" of=/dev/null bs=64k iflag=direct status=none
fault read-fail 20,900
check_not "dd over a page that fails reads fails" dd if="$LOOP" of=/dev/null bs=64k iflag=direct status=none
check "dd of the pages before it reads" dd if="$LOOP" of=/dev/null bs=4k count=20 iflag=direct status=none
blockdev --flushbufs "$LOOP"
check_not "a buffered read over it fails too" dd if="$LOOP" of=/dev/null bs=4k skip=900 count=1 status=none
check "faultfs counts the failed reads" test "$(faultstat read_errors)" -gt 0
fault clear
fault write-fail 30
check_not "dd writing over a page that fails writes fails" \
	dd if=/dev/zero of="$LOOP" bs=4k seek=28 count=4 oflag=direct status=none
fault clear
fault drop-writes
head -c 4096 /dev/urandom > rand.page
check "a dropped write succeeds" dd if=rand.page of="$LOOP" bs=4k seek=40 oflag=direct conv=fsync status=none
check_not "and stores nothing" sh -c "dd if='$LOOP' bs=4k skip=40 count=1 iflag=direct status=none | cmp -s - rand.page"
fault clear
fault fail-after 8192
check_not "fail-after: the request past the budget fails" \
	dd if="$LOOP" of=/dev/null bs=4k count=3 iflag=direct status=none
check "and faultfs now fails everything" test "$(faultstat fail-all)" = 1
check_not "a bad command is refused" sh -c "echo 'read-fail x' > '$FAULTCTL'"
fault clear

# -V --scan: exactly the pages that fail, read or write, io_uring or not.
"$SWAPCTL" -F -L faulty "$LOOP" >/dev/null
# A bad page right after the header (within the 64 KiB -V reads to find a
# header of any page size) hides nothing: -V reads on page by page, and
# --scan finds it.
blockdev --flushbufs "$LOOP"
fault read-fail 5
expect_exit 0 "-V with page 5 unreadable: the header is still read" "$SWAPCTL" -V "$LOOP"
expect_out "^  label: +faulty$" "-V shows the header"
expect_exit 8 "--scan finds page 5" "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 1 bad \(5\)$" "exactly page 5"
fault clear
blockdev --flushbufs "$LOOP"
fault read-fail 0
check_not "-V with the header page unreadable fails" "$SWAPCTL" -V "$LOOP"
fault clear
blockdev --flushbufs "$LOOP"
fault read-fail 20,900-901
expect_exit 8 "--scan on a disk failing reads at 20, 900, 901" "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 3 bad \(20,900,901\)$" "exactly those pages are bad"
expect_exit 8 "the same with SWAPCTL_NO_URING=1" env SWAPCTL_NO_URING=1 "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 3 bad \(20,900,901\)$" "pread/pwrite: exactly those pages"
fault clear
fault write-fail 77
expect_exit 8 "--scan on a disk failing writes at 77" "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 1 bad \(77\)$" "the page that failed the write is bad"
expect_exit 8 "the same with SWAPCTL_NO_URING=1" env SWAPCTL_NO_URING=1 "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 1 bad \(77\)$" "pread/pwrite: that page"
fault clear

# --record: the bad pages land in the header on the disk, -V shows them,
# the kernel's format (util-linux blkid) still reads it, a scan skips them.
fault read-fail 20,900
expect_exit 0 "--scan --record on the failing disk" "$SWAPCTL" -V --scan --record "$LOOP"
expect_out "2 bad pages recorded in the header" "--record says so"
check "the header on the disk lists pages 20 and 900" test "$(header_bad)" = 20,900
expect_exit 0 "-V of the disk with its bad pages" "$SWAPCTL" -V "$LOOP"
expect_out "bad pages: +2 \(20,900\)" "-V shows them"
expect_out "usable: +4093 pages" "and counts them out"
expect_out "label: +faulty" "the label is kept"
check "util-linux blkid still sees the swap area" test "$(blkid -p -o value -s LABEL "$LOOP")" = faulty
expect_exit 0 "a second scan with the faults still there" "$SWAPCTL" -V --scan "$LOOP"
expect_out "4093 pages written and read back: 0 bad$" "the recorded pages are not read again"
fault read-fail 1000
expect_exit 0 "a new bad page recorded" "$SWAPCTL" -V --scan --record "$LOOP"
check "is added to those already listed" test "$(header_bad)" = 20,900,1000
fault clear

# Item 25: every scan writes its own pattern.  A disk that drops writes
# fails a scan on a fresh disk, and fails again after a good scan left a
# complete pattern on it (with the same pattern every run, it passed).
mkfaultloop 8M
"$SWAPCTL" -F "$LOOP" >/dev/null
fault drop-writes
expect_exit 8 "--scan on a fresh disk that drops writes" "$SWAPCTL" -V --scan "$LOOP"
expect_out "2047 pages written and read back: 2047 bad" "no page verifies"
fault clear
expect_exit 0 "a scan of the healthy disk" "$SWAPCTL" -V --scan "$LOOP"
expect_out "2047 pages written and read back: 0 bad$" "leaves its pattern on every page"
check "the pattern is on the disk" test "$(pattern 1000)" = 1000
cp "$FAULTIMG" first.img
fault drop-writes
expect_exit 8 "a second scan, the disk now dropping writes" "$SWAPCTL" -V --scan "$LOOP"
expect_out "2047 pages written and read back: 2047 bad" "the first scan's pattern does not pass for the second's"
check "nothing reached the disk" cmp -s first.img "$FAULTIMG"
check "faultfs dropped the writes" test "$(faultstat dropped)" -gt 0
expect_exit 8 "SWAPCTL_NO_URING=1: the same" env SWAPCTL_NO_URING=1 "$SWAPCTL" -V --scan "$LOOP"
expect_out "2047 pages written and read back: 2047 bad" "pread/pwrite: no page verifies"
fault clear
"$SWAPCTL" -V --scan "$LOOP" >/dev/null
check_not "two good scans leave different patterns" cmp -s first.img "$FAULTIMG"

# The engine's area backend (swapinfo -r --device) on a failing disk.
# One object, written once and read once: each page is read back exactly
# once, so a page whose slot fails to read is lost, and no other.
cat > once.trace <<EOT
swaptrace 1
ram 64
dev add d 2000
obj new a 1000
w a 0 1000
r a 0 1000
EOT
mkfaultloop 8M
"$SWAPCTL" -F "$LOOP" >/dev/null
for io in uring pread; do
	env=env
	[ $io = pread ] && env="env SWAPCTL_NO_URING=1"
	fault clear
	fault read-fail 20,300-301,900
	# pages failed (lost): the report is printed and the exit status is 12
	expect_exit 12 "$io: a replay on a disk failing reads at 20, 300, 301, 900" \
		$env "$SWAPINFO" -r once.trace --device d="$LOOP" --json
	cp "$T/out" "read-$io.json"
	lost=$(for p in 20 300 301 900; do pattern $p; done | xargs)
	check "$io: the objects' pages on those slots are lost, counted and named with their device ($lost)" \
		python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
want = sorted(int(x) for x in sys.argv[2].split())
got = sorted(l["index"] for l in r["lost"])
assert got == want, (got, want)
assert all(l["object"] == "a" and l["device"] == "d" for l in r["lost"]), r["lost"]
d = r["devices"][0]
assert r["lost_pages"] == 4 and d["bad"] == 4 and d["read_errors"] > 0, (r["lost_pages"], d)
assert d["verify_errors"] == 0 and r["pageins"] == 996, d' "read-$io.json" "$lost"
	expect_exit 12 "$io: the text report" $env "$SWAPINFO" -r once.trace --device d="$LOOP"
	expect_out "lost pages 4," "$io: says 4 pages were lost"
	expect_out "^lost: object a page $(pattern 900) \(device d\)$" "$io: and names them with their device"

	fault clear
	for p in 20 300; do dd if=/dev/zero of="$FAULTIMG" bs=4k seek=$p count=1 conv=notrunc status=none; done
	fault write-fail 20,300
	expect_exit 12 "$io: a replay on a disk failing writes at 20 and 300" \
		$env "$SWAPINFO" -r once.trace --device d="$LOOP" --json
	cp "$T/out" "write-$io.json"
	check "$io: both slots retired, their pages stayed dirty and went elsewhere, none lost" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
d = r["devices"][0]
assert d["write_errors"] == 2 and d["bad"] == 2, d
assert r["lost_pages"] == 0 and r["lost"] == [], r["lost"]
assert r["pageouts"] == 1000 and r["pageins"] == 1000 and d["verify_errors"] == 0, r' "write-$io.json"
	check "$io: nothing was written at the failing pages" test "$(pattern 20) $(pattern 300)" = "none none"
done
check "io_uring and pread/pwrite take the same decisions on read errors" python3 -c '
import json, sys
def figures(name):
    r = json.load(open(name))
    for d in r["devices"]:
        del d["io_seconds"]
    return r
for kind in ("read", "write"):
    a, b = figures(kind + "-uring.json"), figures(kind + "-pread.json")
    assert a == b, (kind, [(k, a[k], b[k]) for k in a if a[k] != b[k]])'
fault clear

# A disk that fails everything from a moment on, beside a healthy one the
# engine carries on with: the report is printed, the pages that were on
# the failing disk are lost and named with it, the others are all there.
cat > two.trace <<EOT
swaptrace 1
ram 64
dev add d 2000 prio=5
dev add e 2000 prio=1
obj new a 1000
w a 0 1000
r a 0 1000
EOT
truncate -s 8M healthy.img && mkloop healthy.img && "$SWAPCTL" -F "$LOOP" >/dev/null
healthy=$LOOP
mkfaultloop 8M
"$SWAPCTL" -F "$LOOP" >/dev/null
# what opening the device costs (libblkid probes every signature before
# the engine may write), so the budget below starts with the replay
printf 'swaptrace 1\ndev add d 2000\n' > open.trace
fault clear
b0=$(faultstat bytes)
"$SWAPINFO" -r open.trace --device d="$LOOP" >/dev/null 2>&1
open_cost=$(( $(faultstat bytes) - b0 ))
for io in uring pread; do
	env=env
	[ $io = pread ] && env="env SWAPCTL_NO_URING=1"
	fault clear
	fault fail-after $((open_cost + 2000000))
	$env "$SWAPINFO" -r two.trace --device d="$LOOP" --device e="$healthy" --json >"$T/out" 2>"$T/err"
	check "$io: d fails everything mid-run: the replay goes on with e and reports" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
d, e = (x for x in r["devices"])
assert d["name"] == "d" and e["name"] == "e"
assert 0 < d["pageouts"] < 1000 and d["pageins"] == 0 and d["write_errors"] > 0, d
assert e["pageouts"] + d["pageouts"] == 1000 and e["verify_errors"] == 0, e
assert r["lost_pages"] == d["pageouts"] == len(r["lost"]), (r["lost_pages"], len(r["lost"]))
assert all(l["device"] == "d" for l in r["lost"])' "$T/out"
	check "$io: faultfs failed everything after the budget" test "$(faultstat fail-all)" = 1
done

# Item 23: a replay whose only device starts failing every request mid-run:
# the report is printed, the lost pages counted and named with their
# device, and the exit status says pages failed.
if true; then
	for io in uring pread; do
		env=env
		[ $io = pread ] && env="env SWAPCTL_NO_URING=1"
		fault clear
		fault fail-after $((open_cost + 2000000))
		$env "$SWAPINFO" -r once.trace --device d="$LOOP" --json >"$T/out" 2>"$T/err"
		rc=$?
		check "$io: item 23: the only device fails mid-run: exit status non-zero ($rc)" test "$rc" -ne 0 # item 23
		# the dirty pages cannot go out and RAM is full of them, so the pages
		# on d cannot come back in: they fail (counted, with their events),
		# none is read, so none is lost
		check "$io: item 23: the report is printed, the failed pages counted with their events" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
d = r["devices"][0]
assert 0 < d["pageouts"] < 1000 and d["write_errors"] > 0, d
assert r["fault_failures"] > 0 and r["failures"] > 0, r
ev = {e["event"] for e in r["event_log"]}
assert "fault-failed" in ev and "write-error" in ev, ev
assert all(e["device"] in (None, "d") for e in r["event_log"]), r["event_log"]
assert r["lost_pages"] == len(r["lost"]), r["lost_pages"]' "$T/out" # item 23
		fault clear
		fault fail-after $((open_cost + 2000000))
		$env "$SWAPINFO" -r once.trace --device d="$LOOP" >"$T/out" 2>"$T/err"
		expect_out "^replay of once.trace: " "$io: item 23: the text report is printed" # item 23
		expect_out "failed pages: 0 not paged out \(no swap left\), [1-9][0-9]* not brought in \(RAM full\)" \
			"$io: item 23: and counts the failed pages" # item 23
		check "$io: item 23: each failure on stderr with its trace line" grep -q "^swapinfo: once.trace:[0-9]*: .*write" "$T/err"
	done
fi
fault clear
