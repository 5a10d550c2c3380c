#!/bin/bash
# swaptop's CPU time beside htop's, measured in the same run under the same
# conditions: both on the screen at once, in one tmux server (120x40),
# refreshing every second for BENCH_REFRESHES (default 30) seconds, with
# BENCH_PROCS (default 300) idle processes added to the system.  A run's CPU
# time is the time the process spent on a CPU (/proc/PID/schedstat, else
# user + system time of /proc/PID/stat) just before it is told to quit; the figures are medians of BENCH_RUNS (default 3)
# runs.  Target: swaptop at most half of htop's CPU time.
set -euo pipefail
builddir=${1:-.}
SWAPTOP=$builddir/swaptop
nprocs=${BENCH_PROCS:-300}
secs=${BENCH_REFRESHES:-30}
runs=${BENCH_RUNS:-3}
sock=swaptop-bench-$$
dir=$(mktemp -d "${BENCH_DIR:-/var/tmp}/swaptop-bench.XXXXXX")
pids=()
cleanup() {
	local p
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

for t in tmux htop python3; do
	command -v $t >/dev/null || { echo "bench-swaptop: $t is not installed (setup.sh installs it)"; exit 1; }
done
[ -x "$SWAPTOP" ] || { echo "bench-swaptop: $SWAPTOP: not built"; exit 1; }
"$SWAPTOP" -b -n 1 >/dev/null      # let libtool's wrapper settle

for _ in $(seq "$nprocs"); do
	sleep 3600 &
	pids+=($!)
done
hz=$(getconf CLK_TCK)
# cpu PID: seconds on a CPU, to the nanosecond from schedstat when the kernel
# has it, else user + system time in clock ticks
cpu() {
	if [ -r "/proc/$1/schedstat" ]; then
		awk '{ printf "%.4f\n", $1 / 1e9 }' "/proc/$1/schedstat"
	else
		awk -v hz="$hz" '{ sub(/.*\) /, ""); printf "%.4f\n", ($12 + $13) / hz }' "/proc/$1/stat"
	fi
}
# one run: both started together, measured together, stopped together
run() {
	local a b
	tmux -L "$sock" new-session -d -s st -x 120 -y 40 \
		"env -u NO_COLOR HOME='$dir' '$SWAPTOP' -d 1"
	tmux -L "$sock" new-session -d -s ht -x 120 -y 40 \
		"env -u NO_COLOR HOME='$dir' htop -d 10"
	a=$(tmux -L "$sock" display -p -t st '#{pane_pid}')
	b=$(tmux -L "$sock" display -p -t ht '#{pane_pid}')
	sleep "$secs.5"
	echo "$(cpu "$a") $(cpu "$b")"
	tmux -L "$sock" send-keys -t st q
	tmux -L "$sock" send-keys -t ht q
	sleep 0.5
	tmux -L "$sock" kill-server 2>/dev/null || true
}
results=()
for r in $(seq "$runs"); do
	results+=("$(run)")
	echo "  run $r: swaptop ${results[-1]% *} s, htop ${results[-1]#* } s"
done
nproc_now=$(ls -d /proc/[0-9]* | wc -l)
printf '%s\n' "${results[@]}" | python3 -c '
import sys
secs, nproc = int(sys.argv[1]), int(sys.argv[2])
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
st = sorted(r[0] for r in rows)[len(rows) // 2]
ht = sorted(r[1] for r in rows)[len(rows) // 2]
ratio = st / ht if ht else float("inf")
print("swaptop bench: %d refreshes at 1 s, %d processes, tmux 120x40, median of %d runs" % (secs, nproc, len(rows)))
print("  swaptop  %7.4f s CPU  (%5.2f ms per refresh)" % (st, st * 1000 / secs))
print("  htop     %7.4f s CPU  (%5.2f ms per refresh)" % (ht, ht * 1000 / secs))
print("  ratio    %6.2f (target <= 0.50): %s" % (ratio, "met" if ratio <= 0.5 else "NOT MET"))
' "$secs" "$nproc_now"
