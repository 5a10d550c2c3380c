#!/bin/bash
# `make fuzz`: build each fuzz target with clang's libFuzzer + ASan and run it
# for FUZZ_SECONDS (default 60) starting from its corpus.
set -euo pipefail
srcdir=$1; shift
secs=${FUZZ_SECONDS:-60}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
libsrc=$(ls "$srcdir"/lib/*.c "$srcdir"/lib/pager/*.c)
flags=$(pkg-config --cflags --libs blkid mount libudev uuid)
# the pager's area backend uses liburing when configure found it
if grep -q '^#define HAVE_LIBURING 1' config.h 2>/dev/null; then
	flags="$flags $(pkg-config --cflags --libs liburing)"
fi
for t in "$@"; do
	echo "== fuzz-$t ($secs s)"
	# every sanitizer report stops the run (UBSan recovers by default)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -include config.h -I. -I"$srcdir/lib" \
		"$srcdir/tests/fuzz/fuzz-$t.c" $libsrc $flags -lm -o "$out/fuzz-$t"
	mkdir -p "$out/corpus-$t" fuzz-artifacts
	# a target's dictionary (tests/fuzz/NAME.dict), when it has one
	dict=()
	[ -f "$srcdir/tests/fuzz/$t.dict" ] && dict=(-dict="$srcdir/tests/fuzz/$t.dict")
	# crashes and slow inputs land in fuzz-artifacts/, to add to the corpus
	ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1} \
	"$out/fuzz-$t" -max_total_time="$secs" -artifact_prefix=fuzz-artifacts/ ${dict[@]+"${dict[@]}"} \
		"$out/corpus-$t" "$srcdir/tests/fuzz/corpus/$t"
done
