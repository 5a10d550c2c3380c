#!/bin/bash
# Pager engine benchmarks: the sim replay rate, and the area backend against
# fio on the same swap file in the same run: sequential 64 KiB writes for
# page-out and random 4 KiB reads for page-in, at queue depth 1 (psync) and
# at the engine's queue depth (io_uring), O_DIRECT, the header page left
# out.  Engine and fio runs alternate and each ratio is taken within one
# pair, so a busy machine moves both sides of it; medians of BENCH_RUNS.
# BENCH_AREA_ONLY=1 leaves out the sim replays; BENCH_AREA_MB sizes the file.
set -euo pipefail
builddir=${1:-.}
bin=$builddir/bench/bench-engine
runs=${BENCH_RUNS:-5}
if [ -z "${BENCH_AREA_ONLY:-}" ]; then
	echo "== engine replay on the sim backend (medians of $runs runs)"
	"$bin" sim
fi

dir=$(mktemp -d "${BENCH_DIR:-/var/tmp}/swapctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
size=${BENCH_AREA_MB:-256}
ps=$(getconf PAGESIZE)
echo "== area backend on a ${size} MiB swap file in $dir, against fio (medians of $runs runs)"
"$builddir/swapctl" -F -S "${size}M" "$dir/area" >/dev/null
if ! command -v fio >/dev/null; then
	echo "fio not installed: no baseline"
	"$bin" area "$dir/area"
	exit 0
fi
# fio on the area itself, past its header, which the engine needs again
fio_mibs() {
	local what=$1; shift
	fio --output-format=json --name=b --filename="$dir/area" --offset="$ps" \
		--size=$((size * 1048576 - ps)) --direct=1 "$@" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0][sys.argv[1]]["bw"] / 1024)' "$what"
}
results=$dir/results
exec 3>&1
for ((i = 0; i < runs; i++)); do
	area=$(BENCH_RUNS=1 "$bin" area "$dir/area")
	[ "$i" -gt 0 ] || echo "$area" | head -1 >&3
	val() { echo "$area" | awk -v k="$1" '$1 == k { print $2 }'; }
	qd=$(val qd)
	echo "out1 $(val pageout_mibs) $(fio_mibs write --ioengine=psync --iodepth=1 --rw=write --bs=64k)"
	echo "in1 $(val pagein_mibs) $(fio_mibs read --ioengine=psync --iodepth=1 --rw=randread --bs=4k --runtime=3 --time_based)"
	echo "outN $(val batch_pageout_mibs) $(fio_mibs write --ioengine=io_uring --iodepth="$qd" --rw=write --bs=64k)"
	echo "inN $(val batch_pagein_mibs) $(fio_mibs read --ioengine=io_uring --iodepth="$qd" --rw=randread --bs=4k --runtime=3 --time_based)"
	echo "qd $qd"
done > "$results"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
qd = 1
for line in open(sys.argv[1]):
    k, *v = line.split()
    if k == "qd":
        qd = v[0]
    else:
        rows.setdefault(k, []).append([float(x) for x in v])
print("%-10s %6s %12s %12s %8s" % ("", "depth", "engine MiB/s", "fio MiB/s", "ratio"))
for k, name, depth in (("out1", "page-out", 1), ("in1", "page-in", 1), ("outN", "page-out", qd), ("inN", "page-in", qd)):
    e = statistics.median(r[0] for r in rows[k])
    f = statistics.median(r[1] for r in rows[k])
    ratio = statistics.median(r[0] / r[1] for r in rows[k])
    print("%-10s %6s %12.1f %12.1f %7.0f%%" % (name, depth, e, f, 100 * ratio))
PY
