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
	clang -g -O1 -fsanitize=fuzzer,address,undefined -include config.h -I. -I"$srcdir/lib" \
		"$srcdir/tests/fuzz/fuzz-$t.c" $libsrc $flags -lm -o "$out/fuzz-$t"
	mkdir -p "$out/corpus-$t" fuzz-artifacts
	# crashes and slow inputs land in fuzz-artifacts/, to add to the corpus
	"$out/fuzz-$t" -max_total_time="$secs" -artifact_prefix=fuzz-artifacts/ \
		"$out/corpus-$t" "$srcdir/tests/fuzz/corpus/$t"
done
