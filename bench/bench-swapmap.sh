#!/bin/bash
# Per-area accounting (swapinfo -P with a column per area: pagemap of every
# process whose VmSwap is not 0) against today's swapinfo -P (VmSwap only,
# the columns before areas existed: -o PID,USER,SWAP,RSS,COMMAND) and smem,
# measured in the same run:
#   1. the live system (as root, with a test area and a helper holding
#      BENCH_SWAPPED pages on it, default 20000: few processes hold swap);
#   2. a recorded tree of 5,000 processes, BENCH_HOLDERS (default 50) of
#      them with swapped pages in their pagemap, the rest without swap;
#   3. the same tree with every process holding swap.
# Target: per-area accounting under 2x today's swapinfo -P when few
# processes hold swap.  Medians of BENCH_RUNS (default 9) runs.
set -euo pipefail
builddir=${1:-.}
SI=("$builddir/swapinfo")
if [ -x "$builddir/.libs/swapinfo" ] && grep -q libtool "$builddir/swapinfo" 2>/dev/null; then
	SI=(env "LD_LIBRARY_PATH=$builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	    "$builddir/.libs/swapinfo")
fi
runs=${BENCH_RUNS:-9}
holders=${BENCH_HOLDERS:-50}
swapped=${BENCH_SWAPPED:-20000}
dir=$(mktemp -d "${BENCH_DIR:-/var/tmp}/swapmap-bench.XXXXXX")
loop= hpid=
cleanup() {
	[ -n "$hpid" ] && { kill "$hpid" 2>/dev/null; wait "$hpid" 2>/dev/null; }
	[ -n "$loop" ] && { swapoff "$loop" 2>/dev/null; losetup -d "$loop" 2>/dev/null; }
	rm -rf "$dir"
	return 0
}
trap cleanup EXIT

median_ms() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
t = []
for _ in range(runs):
    s = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t.append((time.perf_counter() - s) * 1000)
t.sort()
print('%.2f' % t[len(t) // 2])
PY
}
have_smem=0; command -v smem >/dev/null && have_smem=1
results=()

# scenario NAME SYSROOT(-: live)
scenario() {
	local name=$1 root=$2 env=() today map smem=- n
	[ "$root" != - ] && env=(env "SWAPCTL_SYSROOT=$root")
	today=$(median_ms "$runs" ${env[@]+"${env[@]}"} "${SI[@]}" -P -n 0 -o PID,USER,SWAP,RSS,COMMAND)
	map=$(median_ms "$runs" ${env[@]+"${env[@]}"} "${SI[@]}" -P -n 0)
	if [ $have_smem = 1 ]; then
		if [ "$root" = - ]; then smem=$(median_ms 3 smem -c "pid user command swap")
		else smem=$(median_ms 1 smem -S "$root" -c "pid user command swap"); fi
	fi
	# a glob, not ls: ls fails when a process exits meanwhile
	local p=("${root#-}"/proc/[0-9]*)
	n=${#p[@]}
	printf '%-36s %6s %10s %10s %10s\n' "$name" "$n" "$today" "$map" "$smem"
	results+=("$name|$today|$map|$smem")
}

echo "== per-area accounting (swapinfo -P with area columns): wall time in ms (medians);" \
	"load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
printf '%-36s %6s %10s %10s %10s\n' "" procs "today -P" "per-area" "smem"

# ------------------------------------------------------------- live
if [ "$(id -u)" = 0 ] && [ -x "$builddir/tests/swapmap-helper" ]; then
	truncate -s $(( (swapped + 1024) * 4096 / 1048576 + 4 ))M "$dir/area"
	chmod 600 "$dir/area"
	mkswap "$dir/area" >/dev/null 2>&1
	loop=$(losetup --show -f "$dir/area")
	swapon -p 32767 "$loop"
	coproc HELP { exec "$builddir/tests/swapmap-helper" "$swapped"; }
	hpid=$HELP_PID
	read -r _ _ <&"${HELP[0]}"
	echo "out 0 $swapped" >&"${HELP[1]}"
	read -r ans <&"${HELP[0]}"
	scenario "live, a process with $swapped pages" -
else
	scenario "live (not root: areas unknown)" -
fi

# ------------------------------------------------------------- trees
mktree() {
	python3 - "$1" 5000 "$2" <<'PY'
import os, random, re, struct, sys
root, n, holders = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(5000)
status = open('/proc/self/status').read()
os.makedirs(root + '/proc'); os.makedirs(root + '/etc')
for f in ('meminfo', 'uptime'):
    open(root + '/proc/' + f, 'w').write(open('/proc/' + f).read())
open(root + '/proc/swaps', 'w').write('Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n'
    '/dev/vdb partition\t4194300\t\t2000000\t\t-2\n/dev/vdc partition\t4194300\t\t2000000\t\t-3\n')
open(root + '/etc/passwd', 'w').write(''.join('u%d:x:%d:%d::/:/bin/sh\n' % (u, u, u) for u in range(1000, 1050)))
maps = ''.join('%08x-%08x rw-p 00000000 00:00 0 \n' % (0x100000 * (k + 1), 0x100000 * (k + 1) + 0x40000)
               for k in range(20))
for i in range(n):
    pid = 1000 + i
    d = '%s/proc/%d' % (root, pid)
    os.mkdir(d)
    hold = holders < 0 or i < holders
    pages = random.randrange(16, 64) if hold else 0
    s = re.sub(r'^Name:.*', 'Name:\tproc%d' % i, status, flags=re.M)
    s = re.sub(r'^VmSwap:.*', 'VmSwap:\t%8d kB' % (pages * 4), s, flags=re.M)
    open(d + '/status', 'w').write(s)
    open(d + '/cmdline', 'w').write('proc%d\0' % i)
    if hold:
        open(d + '/maps', 'w').write(maps)
        pm = bytearray(8 * (0x100000 * 21 // 4096))
        for k in range(pages):
            v = 0x100000 * (k % 20 + 1) // 4096 + k // 20
            pm[8 * v:8 * v + 8] = struct.pack('<Q', (1 << 62) | (random.randrange(1, 1000000) << 5) | (k % 2))
        open(d + '/pagemap', 'wb').write(bytes(pm))
PY
}
mktree "$dir/few" "$holders"
scenario "tree of 5000, $holders hold swap" "$dir/few"
mktree "$dir/all" -1
scenario "tree of 5000, all hold swap" "$dir/all"

echo
echo "== targets"
for r in "${results[@]}"; do
	IFS='|' read -r name today map smem <<<"$r"
	awk -v a="$today" -v b="$map" -v n="$name" -v s="$smem" 'BEGIN {
		printf "%-36s per-area %8.2f ms vs today -P %8.2f ms: %4.2fx", n, b, a, b / a
		if (n !~ /all hold/) printf "  %s", (b < 2 * a) ? "met (< 2x)" : "NOT MET (>= 2x)"
		if (s != "-") printf "; smem %.2f ms (%.1fx per-area)", s, s / b
		printf "\n" }'
done
