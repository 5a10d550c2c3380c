#!/bin/sh
# Run the allocator benchmark (blist, extent, the driver alone) and say on
# what it ran.  Extra arguments for bench-alloc come from BENCH_ALLOC_ARGS,
# e.g. BENCH_ALLOC_ARGS="-q" for a short run.
bin=${1:-bench/bench-alloc}
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "bench-alloc on ${cpu:-unknown CPU}, $(nproc 2>/dev/null || echo '?') CPUs, $(uname -r)"
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
case $load in
0.[0-4]*|'') ;;
*) echo "warning: load average $load: other work is running, figures will be noisy" ;;
esac
# shellcheck disable=SC2086
exec "$bin" $BENCH_ALLOC_ARGS
