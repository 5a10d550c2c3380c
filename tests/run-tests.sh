#!/bin/bash
# The test runner: runs every test given on the command line and prints one
# closing line "N passed, N failed, N skipped".
#
# A test is a program (unit test), "fuzz:NAME" (replay tests/fuzz/corpus/NAME
# through the fuzz target), or a shell script from tests/.  Each prints one
# line per check: "ok - what", "not ok - what" or "skip - what # why".
# A test that exits non-zero without a "not ok" line counts as one failure, and
# so does a test that checks nothing: a test that cannot fail is a defect.
set -u
srcdir=${srcdir:-.}
builddir=${builddir:-$PWD}
export srcdir builddir
logdir=$builddir/tests/logs
mkdir -p "$logdir"
pass=0 fail=0 skip=0
failed_tests=()

run_one() {
	local t=$1 name log rc
	case $t in
	fuzz:*)
		name=fuzz-${t#fuzz:}
		log=$logdir/$name.log
		"$builddir/tests/fuzz/$name" "$srcdir/tests/fuzz/corpus/${t#fuzz:}" >"$log" 2>&1
		;;
	*.sh)
		name=$(basename "$t" .sh)
		log=$logdir/$name.log
		bash "$srcdir/$t" >"$log" 2>&1 </dev/null
		;;
	*)
		name=$(basename "$t")
		log=$logdir/$name.log
		"$builddir/$t" >"$log" 2>&1 </dev/null
		;;
	esac
	rc=$?
	local p f s
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	s=$(grep -c '^skip ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc" >>"$log"
		f=1
	fi
	if [ $((p + f + s)) -eq 0 ]; then
		echo "not ok - $name ran no check" >>"$log"
		f=1
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	printf '%-28s %4d passed %4d failed %4d skipped\n' "$name" "$p" "$f" "$s"
	if [ "$f" -ne 0 ]; then
		failed_tests+=("$name")
		grep -E '^not ok ' "$log" | sed 's/^/    /' | head -20
		echo "    (full log: $log)"
	fi
}

for t in "$@"; do
	run_one "$t"
done
[ ${#failed_tests[@]} -eq 0 ] || echo "failing: ${failed_tests[*]}"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
