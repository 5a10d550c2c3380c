# swapctl -V --scan drives a whole real swap area through the engine's area
# backend; --record writes the bad pages found into the header.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

"$SWAPCTL" -F -S 8M -L scanme file.swap >/dev/null
expect_exit 0 "--scan a swap file" "$SWAPCTL" -V --scan file.swap
expect_out "^file.swap: 2047 pages written and read back: 0 bad$" "every usable page tested, none bad"
expect_out "write [0-9.]+ MiB/s, read [0-9.]+ MiB/s" "throughput reported"
check "the area still verifies, label kept" sh -c "'$SWAPCTL' -V file.swap | grep -q 'label: *scanme'"

truncate -s 16M dev.img && mkloop dev.img && "$SWAPCTL" -F -L dev "$LOOP" >/dev/null
expect_exit 8 "--scan finding bad pages exits 8" env SWAPCTL_DEBUG_SCAN_BAD=5,900 "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 2 bad \(5,900\)" "the bad pages are listed"
cp "$T/out" scan-uring.out
expect_exit 8 "the same scan with SWAPCTL_NO_URING=1 (pread/pwrite)" env SWAPCTL_NO_URING=1 SWAPCTL_DEBUG_SCAN_BAD=5,900 "$SWAPCTL" -V --scan "$LOOP"
expect_out "4095 pages written and read back: 2 bad \(5,900\)" "pread/pwrite finds them too"
grep -o '[0-9]* pages written.*' "$T/out" > scan-pread.out
check "and the same bad pages" test "$(cat scan-pread.out)" = "$(grep -o '[0-9]* pages written.*' scan-uring.out)"
if grep -q '^#define HAVE_LIBURING 1' "$builddir/config.h" && [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
	# (LeakSanitizer cannot run under ptrace: off for this run)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=io_uring_enter,pread64,pwrite64 \
		-o "$T/trace" "$SWAPCTL" -V --scan "$LOOP" >/dev/null 2>&1
	# all but the last request of a pass, done while the others complete
	check "the scan's writes go through io_uring" sh -c "grep -q io_uring_enter '$T/trace' && test \$(grep -c pwrite64 '$T/trace') -eq 1"
fi
expect_exit 0 "--scan --record on a block device" env SWAPCTL_DEBUG_SCAN_BAD=5,900 "$SWAPCTL" -V --scan --record "$LOOP"
expect_out "2 bad pages recorded in the header" "--record says so"
expect_exit 0 "the device verifies with its bad pages" "$SWAPCTL" -V "$LOOP"
expect_out "bad pages: +2 \(5,900\)" "the header lists them"
expect_out "label: +dev" "and keeps its label"
check "util-linux blkid still sees our swap area" test "$(blkid -p -o value -s LABEL "$LOOP")" = dev
remember_swap "$LOOP"
check "the kernel accepts the device with its bad pages" swapon "$LOOP"
check "and counts them out: 4095 - 2 usable pages" test "$(awk -v d="$LOOP" '$1 == d { print $3 }' /proc/swaps)" -eq $(( (4095 - 2) * 4 ))
swapoff "$LOOP"
expect_exit 0 "a second scan skips the recorded pages" "$SWAPCTL" -V --scan "$LOOP"
expect_out "4093 pages written and read back: 0 bad" "recorded pages are not tested again"
# more bad pages than a header holds: refused (exit 4, once a system error),
# the header as it was
expect_exit 4 "--record of more bad pages than the header holds is refused" \
	env SWAPCTL_DEBUG_SCAN_BAD="$(seq -s, 10 700)" "$SWAPCTL" -V --scan --record "$LOOP"
expect_err "bad pages; a 4096-byte header holds at most 637" "too many bad pages: one line"
expect_exit 0 "the refused --record left the header alone" "$SWAPCTL" -V "$LOOP"
expect_out "bad pages: +2 \(5,900\)" "still the two bad pages"

expect_exit 4 "--record on a file is refused" env SWAPCTL_DEBUG_SCAN_BAD=7 "$SWAPCTL" -V --scan --record file.swap
expect_err "bad pages can only be recorded on block devices" "file: the reason"

"$SWAPCTL" -F -S 4M act.swap >/dev/null
activate "$T/act.swap"
expect_exit 4 "--scan refuses an active area" "$SWAPCTL" -V --scan act.swap
expect_err "is an active swap area" "active: one line"
swapoff "$T/act.swap"
head -c 1M /dev/zero > zero.img
expect_exit 4 "--scan refuses what is not swap" "$SWAPCTL" -V --scan zero.img
expect_exit 1 "--record without --scan" "$SWAPCTL" -V --record file.swap
expect_exit 1 "--scan without -V" "$SWAPCTL" -l --scan

# Progress: on a terminal one redrawn stderr line (done, rate, time left),
# cleared at the end; nothing when stderr is not a terminal, nor with -q.
"$SWAPCTL" -F -S 256M prog.swap >/dev/null 2>&1
script -qfec "'$SWAPCTL' -V --scan prog.swap" /dev/null >tty.out 2>&1 </dev/null
if grep -qE $'\r''prog.swap: (write|read): +[0-9]+% \([0-9]+ of [0-9]+ pages\), [0-9]+ MiB/s, [0-9]+ s left' tty.out; then
	ok "--scan on a terminal shows its progress"
else
	# a scan faster than the first redraw (0.2 s) shows none: say how fast
	if grep -q "65535 pages written and read back" tty.out && ! grep -q '% (' tty.out; then
		ok "--scan on a terminal: done before the first progress line was due"
	else
		nok "--scan on a terminal shows its progress"; sed 's/^/#   /' tty.out | cat -v
	fi
fi
check "the progress line is cleared before the result" sh -c "tail -c 300 tty.out | grep -q \"$(printf '\r\033')\\[Kprog.swap: 65535 pages written and read back: 0 bad\" || ! grep -q '% (' tty.out"
expect_exit 0 "--scan, stderr not a terminal" "$SWAPCTL" -V --scan prog.swap
check "no progress when stderr is not a terminal" test ! -s "$T/err"
script -qfec "'$SWAPCTL' -V -q --scan prog.swap" /dev/null >tty.out 2>&1 </dev/null
check_not "-q: no progress on a terminal either" grep -q '% (' tty.out
