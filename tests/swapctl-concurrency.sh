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

# -c -L decides under the lock whether the area is active: while a priority
# change holds the lock with the area off (SWAPCTL_DEBUG_PAUSE holds it until
# the file exists), a relabel waits for the lock, then cycles the active area.
a=${areas[0]}
SWAPCTL_DEBUG_PAUSE="$T/go" "$SWAPCTL" -c -p 50 "$a" >/dev/null 2>"$T/prio.err" &
p1=$!; remember_pid "$p1"
for i in $(seq 1 500); do grep -q "^$a " /proc/swaps || break; sleep 0.02; done
check_not "the priority change has the area off" grep -q "^$a " /proc/swaps
"$SWAPCTL" -c -L waited "$a" >"$T/label.out" 2>"$T/label.err" &
p2=$!; remember_pid "$p2"
for i in $(seq 1 500); do
	grep -Eq -- "-> FLOCK +ADVISORY +WRITE +$p2 " /proc/locks && break
	kill -0 "$p2" 2>/dev/null || break
	sleep 0.02
done
check "the relabel waits for the lock" grep -Eq -- "-> FLOCK +ADVISORY +WRITE +$p2 " /proc/locks
touch "$T/go"
wait "$p1"; rc1=$?
wait "$p2"; rc2=$?
check "the priority change succeeded" test "$rc1" -eq 0
check "the relabel succeeded (exit $rc2)" test "$rc2" -eq 0
sed 's/^/#   /' "$T/label.err"
check "it found the area active and cycled it" grep -q "^$a: deactivated, changed and activated again at priority 50$" "$T/label.out"
check "the area is active at priority 50 with the label" test "$(awk -v p="$a" '$1 == p { print $5 }' /proc/swaps)/$(blkid -p -o value -s LABEL "$a")" = 50/waited
