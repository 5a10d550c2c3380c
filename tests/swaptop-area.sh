#!/bin/bash
# swaptop --area on real areas: tests/swapmap-helper pages out 60 pages to
# one of the test's loop-device areas and 90 to another (each at a higher
# priority than the last, so each range lands where the test chose).  The
# batch frames of --area must list the helper with exactly its pages on
# the chosen area, draw them in the map, and mark the buckets that grew
# when more pages go there between two frames.  Unprivileged, the map says
# it needs root.  Only the helper and the test's areas are asserted on.
. "${srcdir:-.}/tests/lib.sh"
need_root
HELPER=$builddir/tests/swapmap-helper
SWAPTOP=${SWAPTOP:-$builddir/swaptop}
[ -x "$HELPER" ] || { nok "tests/swapmap-helper not built"; exit 1; }

. "$srcdir/tests/swapmap-lib.sh"
mkarea a 1; A=$LOOP
mkarea b 2; B=$LOOP
mkarea c 1; C=$LOOP

start_helper
activate "$A" -p 32764
wait_top 32764
ask out 0 60;   check "60 pages paged out to $A" test "$ANS" = "swapped 60"
activate "$B" -p 32765
wait_top 32765
ask out 60 90;  check "90 pages paged out to $B" test "$ANS" = "swapped 90"

# helper_row FILE: the helper's PID PAGES ONAREA in the --area table
helper_row() {
	awk -v p="$HPID" '/^ *PID USER +PAGES/ { t = 1; next } t && NF == 0 { t = 0 }
		t && $1 == p { print $1, $3, $4; exit }' "$1"
}

"$SWAPTOP" -b -n 1 --top 0 --bytes --area "$B" >"$T/out" 2>"$T/err"
check "--area $B: exit 0" test $? = 0
expect_out "^area path=$B type=[0-9]+ placement=(exact|inferred) pages=[0-9]+ procs=[0-9]+ " \
	"--area: the area line"
expect_out "^ *PID USER  *PAGES ONAREA  *SWAP COMMAND$" "--area: the process table's header"
got=$(helper_row "$T/out")
if [ "$got" = "$HPID 90 $((90 * $(getconf PAGESIZE)))" ]; then
	ok "--area $B: the helper with its 90 pages, in bytes too"
else
	nok "--area $B: the helper should have 90 pages there, got '$got'"; sed 's/^/#   /' "$T/out"; cat /proc/swaps
fi
check "--area $B: a map of 64 buckets, not empty" \
	grep -Eq '^map buckets=64 fill=[0-9]{64}$' "$T/out"
check "--area $B: the first frame marks no change" grep -qx "map change=$(printf '.%.0s' $(seq 64))" "$T/out"
check "--area $B: no process listed with 0 pages there" \
	awk '/PID USER +PAGES/ { t = 1; next } t && NF == 0 { t = 0 } t && $3 == 0 { exit 1 }' "$T/out"
"$SWAPTOP" -b -n 1 --top 0 --area "$A" >"$T/out" 2>"$T/err"
check "--area $A: the helper with its 60 pages" test "$(helper_row "$T/out" | cut -d' ' -f1,2)" = "$HPID 60"

# two frames; between them 100 more pages go to B: its buckets grow
"$SWAPTOP" -b -n 2 -d 3 --top 0 --area "$B" >"$T/two" 2>"$T/err" &
TOP=$!
remember_pid "$TOP"
for i in $(seq 100); do grep -q '^map change' "$T/two" && break; sleep 0.1; done
ask out 150 100; check "100 more pages paged out to $B" test "$ANS" = "swapped 100"
wait "$TOP"
check "two frames: exit 0" test $? = 0
check "the second frame: the helper with 190 pages on $B" \
	sh -c "awk -v p=$HPID '/^ *PID USER +PAGES/ { t = 1; next } t && NF == 0 { t = 0 }
		t && \$1 == p { print \$3 }' '$T/two' | tail -n 1 | grep -qx 190"
check "the second frame: buckets that grew are marked +" \
	sh -c "grep '^map change=' '$T/two' | tail -n 1 | grep -q '+'"
check "the second frame: the map is fuller" sh -c \
	"grep '^map buckets' '$T/two' | awk -F= '{ s = 0; for (i = 1; i <= 64; i++) s += substr(\$3, i, 1); print s }' |
	 awk 'NR == 1 { a = \$1 } NR == 2 { exit !(\$1 > a) }'"

# not an area; unprivileged; replay
"$SWAPTOP" -b -n 1 --area "$C" >"$T/out" 2>"$T/err"
expect_out "^area path=$C map=\\? reason=$C: not an active swap area$" "--area of an inactive path: why no map"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
nobody "$SWAPTOP" -b -n 1 --area "$B" >"$T/out" 2>"$T/err"
expect_out "^area path=$B map=\\? reason=the swap map needs root" "--area as nobody: the map needs root"
expect_exit 1 "--area with -r" "$SWAPTOP" -b -r --area "$B"

# the screen (tmux, 120x40): --area lists the helper with its pages on B;
# m draws the map, and + marks where it grew after 40 more pages
command -v tmux >/dev/null || { nok "tmux is not installed (setup.sh installs it)"; exit 1; }
SOCK=swaptop-area-$$
tm() { tmux -u -L "$SOCK" "$@"; }
area_cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	cleanup
}
trap area_cleanup EXIT
tm new-session -d -s st -x 120 -y 40 "env LANG=C.UTF-8 LC_ALL= '$SWAPTOP' -d 1 --area '$B'" ||
	{ nok "tmux new-session"; exit 1; }
# wait_for REGEX NAME: the screen matches within 10 s
wait_for() {
	local i
	for i in $(seq 100); do
		tm capture-pane -p -t st | grep -qE -- "$1" && { ok "$2"; return; }
		sleep 0.1
	done
	nok "$2: the screen should match /$1/"; tm capture-pane -p -t st | sed 's/^/#   /'
}
wait_for "p Processes on $B 1 " "screen --area: the processes pane is the area's"
wait_for "^ *$HPID root +190 +760K " "screen --area: the helper with its 190 pages (760K) there"
tm send-keys -t st m
wait_for "^ Map .*exact|^ Map .*~inferred" "m: the map of the area"
wait_for "^ \\+/- .*$B" "m: the change line names the area"
ask out 250 40; check "40 more pages paged out to $B" test "$ANS" = "swapped 40"
wait_for "^ \\+/- .*\\+" "m: + marks where the area grew"
wait_for "^ *$HPID root +230 " "the pane follows: 230 pages"
tm send-keys -t st Enter
wait_for "p Processes [0-9]+ " "Enter again: all processes"
tm send-keys -t st q
ask quit
