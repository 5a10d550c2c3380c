#!/bin/bash
# Pager engine benchmarks: the sim replay rate, and the area backend against
# fio on the same file in the same run (sequential 64 KiB writes at queue
# depth 1 for page-out, random 4 KiB reads at queue depth 1 for page-in).
set -euo pipefail
builddir=${1:-.}
bin=$builddir/bench/bench-engine
echo "== engine replay on the sim backend (medians of ${BENCH_RUNS:-5} runs)"
"$bin" sim

dir=$(mktemp -d "${BENCH_DIR:-/var/tmp}/swapctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
size=${BENCH_AREA_MB:-256}
echo "== area backend on a ${size} MiB swap file in $dir, against fio"
"$builddir/swapctl" -F -S "${size}M" "$dir/area" >/dev/null
area=$("$bin" area "$dir/area")
echo "$area" | head -1
out=$(echo "$area" | awk '/^pageout_mibs/ { print $2 }')
in=$(echo "$area" | awk '/^pagein_mibs/ { print $2 }')
if command -v fio >/dev/null; then
	fio_json() {
		fio --output-format=json --name=b --filename="$dir/fio" --size="${size}M" --direct=1 \
			--ioengine=psync --iodepth=1 "$@" 2>/dev/null
	}
	w=$(fio_json --rw=write --bs=64k | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["write"]["bw"] / 1024)')
	r=$(fio_json --rw=randread --bs=4k --runtime=5 --time_based | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["read"]["bw"] / 1024)')
	printf '%-10s %12s %12s %8s\n' "" "engine MiB/s" "fio MiB/s" "ratio"
	printf '%-10s %12.1f %12.1f %7.0f%%\n' page-out "$out" "$w" "$(echo "$out $w" | awk '{ print 100 * $1 / $2 }')"
	printf '%-10s %12.1f %12.1f %7.0f%%\n' page-in "$in" "$r" "$(echo "$in $r" | awk '{ print 100 * $1 / $2 }')"
else
	echo "fio not installed: page-out $out MiB/s, page-in $in MiB/s (no baseline)"
fi
