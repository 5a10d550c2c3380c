# swapinfo -W writes generated traces, swapinfo -r replays them through the
# pager engine: deterministic, checked, on simulated devices and on real
# swap areas (files and loop devices) with every page verified.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

# -W: the generators.
for w in seq random zipf fork mixed; do
	expect_exit 0 "-W $w" "$SWAPINFO" -W "$w,pages=600,ram=150,events=3000,seed=3"
	cp "$T/out" "$w.trace"
	check "-W $w writes a swaptrace 1 file" sh -c "head -1 '$w.trace' | grep -q '^swaptrace 1'"
	"$SWAPINFO" -W "$w,pages=600,ram=150,events=3000,seed=3" > "$w.again"
	check "-W $w: the same spec and seed give the same trace" cmp -s "$w.trace" "$w.again"
	expect_exit 0 "-r $w.trace --json" "$SWAPINFO" -r "$w.trace" --json
	cp "$T/out" "$w.json"
	check "-r $w: events counted, pages went out and came back" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
events = sum(1 for l in open(sys.argv[2]) if l.split("#")[0].split() and not l.startswith("swaptrace"))
assert r["events"] == events, (r["events"], events)
assert r["pageouts"] > 0 and r["pageins"] > 0 and r["lost_pages"] == 0
assert sum(d["used"] for d in r["devices"]) == r["slots_used"]' "$w.json" "$w.trace"
	"$SWAPINFO" -r "$w.trace" --json > "$w.json2"
	check "-r $w: a second replay gives the same figures" cmp -s "$w.json" "$w.json2"
done
# From a pipe the reader goes line by line (it does not wait for blocks): the
# same figures as from the file, and from a FIFO fed by a slow writer too.
cat mixed.trace | "$SWAPINFO" -r - --json | sed 's/"trace": "[^"]*"/"trace": ""/' > pipe.json
sed 's/"trace": "[^"]*"/"trace": ""/' mixed.json > file.json
check "-r - from a pipe gives the figures of the file" cmp -s pipe.json file.json
mkfifo slow.fifo
(head -n 20 mixed.trace; sleep 1; tail -n +21 mixed.trace) > slow.fifo &
"$SWAPINFO" -r slow.fifo --json | sed 's/"trace": "[^"]*"/"trace": ""/' > fifo.json
wait
check "-r FIFO with a pause in the middle gives the figures of the file" cmp -s fifo.json file.json
"$SWAPINFO" -W "seq,pages=600,ram=150,events=3000,seed=4" > seed4.trace
check_not "-W: another seed gives another trace" cmp -s seq.trace seed4.trace

# The text report.
expect_exit 0 "-r (text)" "$SWAPINFO" -r mixed.trace
expect_out "^replay of mixed.trace: [0-9]+ events" "the report names the trace"
expect_out "^Device +Prio +Alloc +Pages +Used" "the device table"
expect_out "^page-outs by size" "the cluster-size histogram"
expect_out "^free runs by length" "the free-run histogram"
expect_exit 0 "-r without a trace: the embedded default workload" "$SWAPINFO" -r
expect_out "^replay of default workload: 100001 events" "the default workload"
expect_exit 0 "-r -o Device,Out --raw" "$SWAPINFO" -r mixed.trace -o Device,Out --raw
expect_out "^swap0 [0-9]+$" "columns chosen with -o"

# Overrides from the command line.
expect_exit 0 "--alloc extent" "$SWAPINFO" -r seq.trace --alloc extent --json
check "--alloc extent: every device uses extent" sh -c "! grep -q '\"alloc\": \"blist\"' '$T/out'"
expect_exit 0 "--cluster 4" "$SWAPINFO" -r seq.trace --cluster 4 --json
check "--cluster 4: no page-out larger than 4 pages" python3 -c '
import json, sys
for d in json.load(open(sys.argv[1]))["devices"]:
    assert d["cluster"] == 4 and sum(d["out_hist"][3:]) == 0, d' "$T/out"
expect_exit 0 "--ram 500" "$SWAPINFO" -r seq.trace --ram 500 --json
check "--ram 500 wins over the trace's ram" grep -q '"ram_pages": 500' "$T/out"

# Real swap areas: a file and a loop device, every page read back verified.
cat > area.trace <<EOT
swaptrace 1
ram 64
dev add fast 1000 prio=10 cluster=8
dev add slow 4000 prio=1
obj new a 1500
w a 0 1500
r a 0 1500
w a 100 200
obj new b 300
copy a b 50
r b 0 300
dev del fast
EOT
"$SWAPCTL" -F -S 4M fast.swap >/dev/null
truncate -s 16M slow.img && mkloop slow.img && "$SWAPCTL" -F "$LOOP" >/dev/null
expect_exit 0 "-r --device on a file and a loop device" "$SWAPINFO" -r area.trace --device fast="$T/fast.swap" --device slow="$LOOP" --json
cp "$T/out" area.json
check "real areas: pages written, read back and verified, none lost" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
d = {x["name"]: x for x in r["devices"]}
assert d["fast"]["path"].endswith("fast.swap") and d["slow"]["path"] == sys.argv[2]
assert d["fast"]["pageouts"] > 0 and d["slow"]["pageouts"] > 0 and d["slow"]["pageins"] > 0
assert all(x["verify_errors"] == 0 and x["read_errors"] == 0 for x in r["devices"])
assert r["lost_pages"] == 0 and r["swapoffs"] == 1 and d["fast"]["removed"]
assert d["fast"]["io_bytes"] > 0' area.json "$LOOP"
expect_exit 0 "the same trace simulated" "$SWAPINFO" -r area.trace --json
cp "$T/out" sim.json
check "simulated and real replays take the same decisions" python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("pageouts", "pageins", "faults", "slots_used", "readaround_hits"):
    assert a[k] == b[k], (k, a[k], b[k])' area.json sim.json

# The area backend's two ways of doing I/O: io_uring (built with liburing,
# allowed by the kernel) and pread/pwrite (SWAPCTL_NO_URING=1, the debug
# knob) take the same decisions, down to every figure but the time.
expect_exit 0 "the real areas again, SWAPCTL_NO_URING=1" env SWAPCTL_NO_URING=1 "$SWAPINFO" -r area.trace \
	--device fast="$T/fast.swap" --device slow="$LOOP" --json
cp "$T/out" nouring.json
check "io_uring and pread/pwrite: identical figures, times aside" python3 -c '
import json, sys
def figures(name):
    r = json.load(open(name))
    for d in r["devices"]:
        del d["io_seconds"]
    return r
a, b = figures(sys.argv[1]), figures(sys.argv[2])
assert a["pageouts"] > 0 and a["pageins"] > 0
assert a == b, [(k, a[k], b[k]) for k in a if a[k] != b[k]]' area.json nouring.json
uring=no
if grep -q '^#define HAVE_LIBURING 1' "$builddir/config.h" && [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 0 ]; then
	uring=yes
fi
# (LeakSanitizer cannot run under ptrace: off for these runs)
traced() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -e trace=io_uring_setup,io_uring_enter,pread64,pwrite64 \
		-o "$T/trace" "$@" "$SWAPINFO" -r area.trace --device fast="$T/fast.swap" --device slow="$LOOP" >/dev/null 2>&1
}
if traced env; then
	if [ "$uring" = yes ]; then
		check "batches go through io_uring" grep -q '^[0-9]* *io_uring_enter' "$T/trace"
	else
		check_not "no liburing or no io_uring here: pread/pwrite only" grep -q io_uring_setup "$T/trace"
	fi
	traced env SWAPCTL_NO_URING=1
	check_not "SWAPCTL_NO_URING=1: no ring is made" grep -q io_uring "$T/trace"
	check "SWAPCTL_NO_URING=1: pread and pwrite do the I/O" sh -c "grep -q pwrite64 '$T/trace' && grep -q pread64 '$T/trace'"
else
	nok "strace cannot run swapinfo (setup.sh installs strace)"
fi

# The engine never drives an area the kernel is using.
"$SWAPCTL" -F -S 4M active.swap >/dev/null
activate "$T/active.swap"
expect_exit 4 "--device on an active swap area is refused" "$SWAPINFO" -r area.trace --device fast="$T/active.swap"
expect_err "active.swap: is an active swap area; the engine only drives areas the kernel is not using" "active: one line"
swapoff "$T/active.swap"
head -c 4M /dev/zero > zero.img
expect_exit 4 "--device on something that is not swap" "$SWAPINFO" -r area.trace --device fast="$T/zero.img"
expect_err "zero.img: not a swap area \(format it with swapctl -F\)" "not swap: one line"
"$SWAPCTL" -F -S 1M small.swap >/dev/null
expect_exit 4 "--device on an area smaller than the trace's device" "$SWAPINFO" -r area.trace --device fast="$T/small.swap"
expect_err "device fast: 1000 pages wanted, .*small.swap has 256" "too small: one line"

# What the kernel refuses, the engine refuses too, with -V's reasons: a
# swap file with holes (never filled behind the user's back) and a swap
# file listing bad pages.  Nothing in either file changes.
"$SWAPCTL" -F -S 8M holes.swap >/dev/null
fallocate -p -o 1M -l 256K holes.swap
before=$(sum holes.swap) blocks=$(stat -c %b holes.swap)
expect_exit 4 "--device on a swap file with holes is refused" "$SWAPINFO" -r area.trace --device fast="$T/holes.swap"
expect_err "holes.swap: file has holes: 262144 bytes not allocated, the first at offset 1048576$" "holes: -V's reason, one line"
check "holes: the file is as it was, holes included" test "$(sum holes.swap)/$(stat -c %b holes.swap)" = "$before/$blocks"
"$SWAPCTL" -F -S 8M bad.swap >/dev/null
printf '\001\000\000\000' | dd of=bad.swap bs=1 seek=1032 conv=notrunc status=none
printf '\005\000\000\000' | dd of=bad.swap bs=1 seek=1536 conv=notrunc status=none
before=$(sum bad.swap)
expect_exit 8 "-V: bad pages on a file are unusable" "$SWAPCTL" -V bad.swap
expect_exit 4 "--device on a swap file listing bad pages is refused" "$SWAPINFO" -r area.trace --device fast="$T/bad.swap"
expect_err "bad.swap: 1 bad pages listed for a regular file; the kernel refuses bad pages on files$" "bad pages: -V's reason, one line"
check "bad pages: the file is as it was" test "$(sum bad.swap)" = "$before"

# Failures (FreeBSD's way): a page that cannot go out or come in fails
# alone, the replay goes on, the report is printed, every event is a line
# on stderr with the trace line and reason, and the exit status is 12.
cat > full.trace <<EOT
swaptrace 1
ram 16
dev add d 11
obj new a 26
w a 0 26
out a 0 26
r a 0 26
ram 4
dev del d
tick
EOT
expect_exit 12 "swap full: the replay runs to its end and exits 12" "$SWAPINFO" -r full.trace
expect_out "^replay of full.trace: 9 events" "the report is printed, every event counted"
expect_out "failed pages: 16 not paged out \(no swap left\), 10 not brought in \(RAM full\), 0 lost; events: 3 failures, 2 warnings$" \
	"the report counts the failed pages"
cat > full.err <<EOT
swapinfo: full.trace:5: w a 0 26: free swap below 10%: 0 of 10 slots left
swapinfo: full.trace:6: out a 0 26: 16 pages stay in RAM: no swap left to page them out
swapinfo: full.trace:7: r a 0 26: 10 pages not brought in: RAM is full of pages swap cannot take
swapinfo: full.trace:8: ram 4: RAM stays at 16 pages, not 4: the pages in it have nowhere to go
swapinfo: full.trace:9: dev del d: device d: swapoff failed: not enough memory (its 10 pages need room: 0 free frames, 0 free slots on the other devices)
EOT
check "one stderr line per event: trace, line, event, device, reason" diff -u full.err "$T/err"
expect_exit 12 "swap full, --json" "$SWAPINFO" -r full.trace --json
check "--json: the events with line, event, device, reason; the counts" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
ev = [(e["line"], e["event"], e["device"], e["pages"], e["failure"]) for e in r["event_log"]]
assert ev == [(5, "low-water", None, 0, False), (6, "pageout-failed", None, 16, True),
              (7, "fault-failed", None, 10, True), (8, "ram-kept", None, 16, True),
              (9, "swapoff-failed", "d", 10, False)], ev
assert r["event_log"][1]["reason"] == "16 pages stay in RAM: no swap left to page them out"
assert r["event_log"][4]["text"] == "dev del d"
assert (r["pageout_failures"], r["fault_failures"], r["failures"], r["warnings"]) == (16, 10, 3, 2)' "$T/out"
# A failed swapoff and low water alone are warnings: said, exit 0.
printf 'swaptrace 1\nram 4\ndev add d 11\nobj new a 12\nw a 0 12\ndev del d\n' > warn.trace
expect_exit 0 "warnings only (low water, a failed swapoff): exit 0" "$SWAPINFO" -r warn.trace
check "warnings only: both on stderr with their lines" grep -q "^swapinfo: warn.trace:6: dev del d: device d: swapoff failed: not enough memory" "$T/err"
# A huge trace cannot flood stderr: 100 event lines, then how many more.
{ printf 'swaptrace 1\nram 4\ndev add d 3\nobj new a 6\nw a 0 6\n'; for i in $(seq 150); do echo "out a 0 6"; done; } > cap.trace
expect_exit 12 "150 failing page-outs" "$SWAPINFO" -r cap.trace
check "stderr: the first 100 events, then a count" sh -c "[ \$(wc -l < '$T/err') -eq 101 ] &&
	tail -1 '$T/err' | grep -qx 'swapinfo: cap.trace: 51 more events not shown (150 failures and 1 warnings in all)'"

# Numbers at the edges: never wrapped, never a crash; bad ones are bad input.
printf 'swaptrace 1\nram 16\ndev add d 100\nobj new a 10\nobj new b 18446744073709551610\nr b 5\nobj resize a 18446744073709551615\n' > huge.trace
expect_exit 0 "an object of 2^64 - 6 pages: a refused reservation, no crash" "$SWAPINFO" -r huge.trace
expect_out "reservation failures 2$" "both reservations near 2^64 refused"
printf 'swaptrace 1\nobj new o 4\nobj new p 4\ncopy o o 0\n' > self.trace
expect_exit 1 "copy o o is bad input" "$SWAPINFO" -r self.trace
expect_err "^swapinfo: self.trace:4: copy o o: an object cannot absorb itself$" "copy o o: one line"
printf 'swaptrace 1\ndev add d 1152921504606846976\n' > bigdev.trace
expect_exit 1 "a device beyond the 2^32 - 2 slots is bad input" "$SWAPINFO" -r bigdev.trace
expect_err "^swapinfo: bigdev.trace:2: device d: 1152921504606846976 pages: more than the engine's 4294967294 slots$" "too big: one line"
printf 'swaptrace 1\ntick 2\ntick 18446744073709551615\n' > tick.trace
expect_exit 1 "a clock past 2^64 - 1 is bad input" "$SWAPINFO" -r tick.trace
expect_err "^swapinfo: tick.trace:3: tick 18446744073709551615: the clock \(now 2\) would pass 2\^64 - 1$" "clock: one line"
# Lines: at most 4096 bytes, from a file and from an endless pipe.
{ echo 'swaptrace 1'; printf '#%5000s\n' x; } > long.trace
expect_exit 1 "a 5001-byte line" "$SWAPINFO" -r long.trace
expect_err "^swapinfo: long.trace:2: line longer than 4096 bytes \(no event is that long\)$" "long line: one line"
expect_exit 1 "an endless line on stdin" sh -c "{ echo 'swaptrace 1'; yes x | tr -d '\n'; } | '$SWAPINFO' -r -"
expect_err "^swapinfo: stdin:2: line longer than 4096 bytes \(no event is that long\)$" "endless line: one line, at once"

# Bad input.
printf 'swaptrace 1\nram 10\nobj new a 5\nr a 9\n' > range.trace
expect_exit 1 "an access outside the object" "$SWAPINFO" -r range.trace
expect_err "^swapinfo: range.trace:4: object a: pages 9\+1 are outside its 5 pages$" "out of range: trace, line, reason"
printf 'swaptrace 1\nram ten\n' > bad.trace
expect_exit 1 "a malformed line" "$SWAPINFO" -r bad.trace
expect_err "^swapinfo: bad.trace:2: 'ten' is not a number$" "malformed: trace, line, reason"
expect_exit 2 "a missing trace" "$SWAPINFO" -r nosuch.trace
expect_err "^swapinfo: nosuch.trace: No such file or directory$" "missing trace: one line"
expect_exit 1 "-W bogus" "$SWAPINFO" -W bogus
expect_err "workload 'bogus': not seq, random, zipf, fork or mixed" "-W bogus: one line"
expect_exit 1 "-W seq,colour=red" "$SWAPINFO" -W seq,colour=red
expect_exit 1 "-r with -s" "$SWAPINFO" -r -s
expect_exit 1 "--alloc without -r" "$SWAPINFO" --alloc extent

# --help lists the columns -r -o takes, as every other report's
expect_exit 0 "--help" "$SWAPINFO" --help
expect_out "^Columns of the replay's device table \(-r\):$" "--help: the replay's device table"
expect_out "^  AllocFail +allocation requests" "--help: its columns"
