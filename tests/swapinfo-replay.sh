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
