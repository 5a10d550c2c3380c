# Several swapctl processes change the priorities of the same areas at once.
# The configuration lock serialises them: every change succeeds (or finds
# nothing to do), and afterwards every area is active exactly once.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

areas=()
for i in 1 2 3; do
	"$SWAPCTL" -F -S 16M "a$i" >/dev/null
	remember_swap "$T/a$i"
	"$SWAPCTL" -a -p "$i" "a$i" >/dev/null
	areas+=("$T/a$i")
done

worker() {
	local w=$1 k rc
	for k in $(seq 1 15); do
		"$SWAPCTL" -c -p $(( (w * 31 + k * 7) % 100 )) "${areas[$(( (w + k) % 3 ))]}" >/dev/null 2>>"$T/errors.$w"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 7 ] || echo "worker $w step $k: exit $rc" >>"$T/errors.$w"
	done
}
pids=()
for w in 1 2 3 4; do worker "$w" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done

check "every priority change succeeded or had nothing to do" sh -c "! cat '$T'/errors.* 2>/dev/null | grep -q ."
[ -s "$T/errors.1" ] && sed 's/^/#   /' "$T"/errors.*
for a in "${areas[@]}"; do
	check "$(basename "$a") is active exactly once" test "$(grep -c "^$a " /proc/swaps)" -eq 1
done
check "/proc/swaps priorities are all in 0..99" sh -c "awk 'NR > 1 && \$1 ~ /$(basename "$T")/ && (\$5 < 0 || \$5 > 99) { bad = 1 } END { exit bad }' /proc/swaps"
expect_exit 0 "the areas still verify" "$SWAPCTL" -V "${areas[@]}"
