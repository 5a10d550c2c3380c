#!/bin/bash
# swapinfo -P against top -b -n 1 and smem, measured in the same run:
#   1. the live system as it is;
#   2. the live system with BENCH_PROCS (default 5000) idle processes added;
#   3. a recorded tree of 5,000 processes (SWAPCTL_SYSROOT; smem -S reads
#      the same tree; top cannot read a tree).
# Targets: swapinfo -P faster than top -b -n 1, and at least 10x faster
# than smem.  Times are medians of BENCH_RUNS (default 9) runs; smem runs
# 3 times, once above 1,000 processes.
set -euo pipefail
builddir=${1:-.}
# the program itself, not libtool's wrapper script (a shell start per run)
SI=("$builddir/swapinfo")
if [ -x "$builddir/.libs/swapinfo" ] && grep -q libtool "$builddir/swapinfo" 2>/dev/null; then
	SI=(env "LD_LIBRARY_PATH=$builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	    "$builddir/.libs/swapinfo")
fi
nprocs=${BENCH_PROCS:-5000}
runs=${BENCH_RUNS:-9}
dir=$(mktemp -d "${BENCH_DIR:-/var/tmp}/swapinfo-bench.XXXXXX")
pids=()
cleanup() {
	local p
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

# median_ms RUNS CMD...: median wall time of CMD in milliseconds
median_ms() {
	python3 - "$@" <<'EOF'
import os, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
t = []
for _ in range(runs):
    s = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t.append((time.perf_counter() - s) * 1000)
t.sort()
print('%.2f' % t[len(t) // 2])
EOF
}

have_smem=0; command -v smem >/dev/null && have_smem=1
have_top=0; command -v top >/dev/null && have_top=1
results=()

# count_procs DIR: the entries /proc/[0-9]* under DIR.  A glob in the shell,
# not ls: ls fails (and set -e ends the benchmark) when a process exits
# between the expansion and its stat.
count_procs() {
	local p=("$1"/proc/[0-9]*)
	[ -e "${p[0]}" ] || [ "${#p[@]}" -gt 1 ] || { echo 0; return; }
	echo "${#p[@]}"
}

# scenario NAME ENV-FOR-SWAPINFO SMEM-SOURCE(-|DIR) TOP(0|1)
scenario() {
	local name=$1 sysroot=$2 src=$3 usetop=$4 si six top=- smem=- n
	if [ "$sysroot" = - ]; then
		n=$(count_procs "")
		si=$(median_ms "$runs" "${SI[@]}" -P)
		six=$(median_ms "$runs" "${SI[@]}" -P -x)
	else
		n=$(count_procs "$sysroot")
		si=$(median_ms "$runs" env SWAPCTL_SYSROOT="$sysroot" "${SI[@]}" -P)
		six=$(median_ms "$runs" env SWAPCTL_SYSROOT="$sysroot" "${SI[@]}" -P -x)
	fi
	[ "$usetop" = 1 ] && [ $have_top = 1 ] && top=$(median_ms $(( (runs + 1) / 2 )) top -b -n 1)
	if [ $have_smem = 1 ]; then
		# smem takes seconds on thousands of processes: one run is enough there
		local sr=3
		[ "$n" -gt 1000 ] && sr=1
		if [ "$src" = - ]; then smem=$(median_ms $sr smem -c "pid user command swap")
		else smem=$(median_ms $sr smem -S "$src" -c "pid user command swap"); fi
	fi
	printf '%-34s %6s %10s %10s %10s %10s\n' "$name" "$n" "$si" "$six" "$top" "$smem"
	results+=("$name|$si|$top|$smem")
}

"${SI[@]}" -P >/dev/null || { echo "bench-swapinfo: ${SI[*]} does not run" >&2; exit 1; }
echo "== swapinfo -P: wall time in ms (medians); load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
printf '%-34s %6s %10s %10s %10s %10s\n' "" procs "swapinfo" "-P -x" "top" "smem"
scenario "live system" - - 1

# ------------------------------------------------ live, with idle processes
if [ "$nprocs" -gt 0 ]; then
	python3 - "$nprocs" >"$dir/pids" <<'EOF'
import os, sys
for _ in range(int(sys.argv[1])):
    print(os.posix_spawn('/bin/sleep', ['sleep', '3600'], os.environ))
EOF
	mapfile -t pids <"$dir/pids"
	scenario "live + $nprocs idle processes" - - 1
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	pids=()
fi

# ------------------------------------------------ a tree of 5,000 processes
python3 - "$dir/tree" 5000 <<'EOF'
import os, random, re, sys
root, n = sys.argv[1], int(sys.argv[2])
random.seed(5000)
status = open('/proc/self/status').read()
smaps = open('/proc/self/smaps').read()
rollup = open('/proc/self/smaps_rollup').read()
stat = open('/proc/self/stat').read()
os.makedirs(root + '/proc')
os.makedirs(root + '/etc')
for f in ('meminfo', 'version', 'swaps', 'uptime'):
    open(root + '/proc/' + f, 'w').write(open('/proc/' + f).read())
open(root + '/etc/passwd', 'w').write(''.join('u%d:x:%d:%d::/:/bin/sh\n' % (u, u, u) for u in range(1000, 1050)))
for i in range(n):
    pid = 1000 + i
    d = '%s/proc/%d' % (root, pid)
    os.mkdir(d)
    swap = random.choice([0, 0, 0, 4, 128, 4096, 65536]) + random.randrange(0, 64) * 4
    uid = 1000 + random.randrange(50)
    s = re.sub(r'^Name:.*', 'Name:\tproc%d' % i, status, flags=re.M)
    s = re.sub(r'^Uid:.*', 'Uid:\t%d\t%d\t%d\t%d' % (uid, uid, uid, uid), s, flags=re.M)
    s = re.sub(r'^VmSwap:.*', 'VmSwap:\t%8d kB' % swap, s, flags=re.M)
    open(d + '/status', 'w').write(s)
    open(d + '/smaps', 'w').write(re.sub(r'^Swap:.*', 'Swap:                %d kB' % swap, smaps, count=1, flags=re.M))
    open(d + '/smaps_rollup', 'w').write(re.sub(r'^Swap:.*', 'Swap:  %d kB' % swap, rollup, flags=re.M))
    open(d + '/stat', 'w').write(re.sub(r'^\d+ \(\S+\)', '%d (proc%d)' % (pid, i), stat))
    open(d + '/cmdline', 'w').write('proc%d\0--arg\0' % i)
    os.chown(d, uid, uid)
EOF
scenario "tree of 5000 (SWAPCTL_SYSROOT)" "$dir/tree" "$dir/tree" 0

# ------------------------------------------------------------- verdict
echo
echo "== targets"
for r in "${results[@]}"; do
	IFS='|' read -r name si top smem <<<"$r"
	if [ "$top" != - ]; then
		awk -v s="$si" -v t="$top" -v n="$name" 'BEGIN {
			printf "%-34s swapinfo -P %7.2f ms vs top -b -n 1 %8.2f ms: %5.1fx faster  %s\n",
			n, s, t, t / s, (s < t) ? "met" : "NOT MET" }'
	fi
	if [ "$smem" != - ]; then
		awk -v s="$si" -v t="$smem" -v n="$name" 'BEGIN {
			printf "%-34s swapinfo -P %7.2f ms vs smem          %8.2f ms: %5.1fx faster  %s\n",
			n, s, t, t / s, ((t / s) >= 10) ? "met (>= 10x)" : "NOT MET (< 10x)" }'
	fi
done
