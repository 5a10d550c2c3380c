# swaptop -r: replays through the pager engine.  Batch mode ends with the
# engine's totals, which must equal a plain replay of the same trace
# through the library (tests/swaptop-totals) and swapinfo -r --json; on
# the screen (tmux), t steps exactly one event and T one tick, and running
# to the end shows the same final numbers.  Errors in traces and options.
. "$srcdir/tests/lib.sh"
srcdir=$(cd "$srcdir" && pwd)
cd "$T"
unset NO_COLOR
SWAPTOP=${SWAPTOP:-$builddir/swaptop}
TOTALS=${TOTALS:-$builddir/tests/swaptop-totals}
FIX=$srcdir/tests/fixtures/traces/basic.trace
PY=$(command -v /usr/bin/python3 || command -v python3)

totals() { sed -n '/^totals$/,$p' "$1" | tail -n +2; }

# ---------------------------------------------------------------- batch
expect_exit 0 "-b -r on the fixture" "$SWAPTOP" -b -r "$FIX"
cp "$T/out" fix.out
expect_out "^swaptop replay=$FIX frame=1 event=22 line=[0-9]+ clock=9 end=trace$" "one final frame: 22 events, clock 9"
expect_out "^DEVICE +PRIO +ALLOC +PAGES +USED +USE% +FREE +BAD +OUT +IN +FAIL +STATE$" "the device table"
expect_out "^fast1 +- +blist +129 +0 +- +128 +0 +[0-9]+ +[0-9]+ +0 +removed$" "the swapped-off device"
expect_out "^slow +20 +extent +257 " "the priority change"
check "the totals section is there" grep -qx totals fix.out
totals fix.out >fix.totals
"$TOTALS" "$FIX" >fix.ref 2>"$T/cerr"
check "the totals equal a plain replay through the library" diff -u fix.ref fix.totals
check "the totals name every device" sh -c "grep -qx 'dev.0.name fast0' fix.totals && grep -qx 'dev.1.removed 1' fix.totals && grep -qx 'dev.2.alloc extent' fix.totals"

expect_exit 0 "-b -r --alloc extent" "$SWAPTOP" -b -r --alloc extent "$FIX"
totals "$T/out" >ext.totals
"$TOTALS" "$FIX" extent >ext.ref
check "--alloc extent: the totals equal the library's with extent" diff -u ext.ref ext.totals
check "--alloc extent: every device uses it" sh -c "! grep -E '^dev\\.[0-9]+\\.alloc blist' ext.totals"

# A real (inactive) swap area behind fast0: page I/O, every read verified,
# and the same figures as the simulated device.
# (allocated: the area backend refuses a swap file with holes, as the kernel does)
fallocate -l $((129 * $(getconf PAGESIZE))) area
mkswap area >/dev/null 2>&1 || { nok "mkswap area"; exit 1; }
expect_exit 0 "-b -r --device fast0=area" "$SWAPTOP" -b -r --device fast0="$T/area" "$FIX"
totals "$T/out" >dev.totals
check "--device: fast0 is the area, no verify error" sh -c \
	"grep -qx 'dev.0.path $T/area' dev.totals && grep -qx 'dev.0.verify_errors 0' dev.totals && grep -qx 'dev.0.read_errors 0' dev.totals"
grep -v '^dev.0.path ' fix.ref >fix.nopath
grep -v '^dev.0.path ' dev.totals >dev.nopath
check "--device: the same figures as the simulated device" diff -u fix.nopath dev.nopath

expect_exit 0 "-b -r - (trace on standard input)" sh -c "'$SWAPTOP' -b -r - <'$FIX'"
totals "$T/out" >stdin.totals
check "stdin: the same totals" diff -u fix.ref stdin.totals

expect_exit 0 "-b -r -d 2: a frame every 2 ticks" "$SWAPTOP" -b -r -d 2 "$FIX"
check "frames at clock 3, 4, 8 and the final one" sh -c \
	"[ \"\$(grep '^swaptop replay=' '$T/out' | sed 's/.* clock=\\([0-9]*\\).*/\\1/' | tr '\\n' ' ')\" = '3 4 8 9 ' ]"
totals "$T/out" >d2.totals
check "-d does not change the totals" diff -u fix.ref d2.totals
expect_exit 0 "-b -r -d 1 -n 2" "$SWAPTOP" -b -r -d 1 -n 2 "$FIX"
check "-n 2: two frames, the last ends the count" sh -c \
	"[ \$(grep -c '^swaptop replay=' '$T/out') -eq 2 ] && grep -q '^swaptop replay=.* frame=2 .* end=count\$' '$T/out'"

# The default workload, as swapinfo -r replays it.
spec=$(sed -n 's/^#define REPLAY_DEFAULT_WORKLOAD "\(.*\)"$/\1/p' "$srcdir/common/replay.h")
expect_exit 0 "-b -r without a trace: the default workload" "$SWAPTOP" -b -r
totals "$T/out" >def.totals
"$TOTALS" -w "$spec" >def.ref
check "the default workload's totals equal the library's ($spec)" diff -u def.ref def.totals

# swapinfo -r --json: every number it gives is in our totals, equal.
cat >cmp.py <<'EOF'
import json, sys
mine = {}
for l in open(sys.argv[2]):
    k, _, v = l.rstrip("\n").partition(" ")
    mine[k] = v
def flat(prefix, o, out):
    if isinstance(o, dict):
        for k, v in o.items():
            flat(prefix + k + ".", v, out)
    elif isinstance(o, list) and o and isinstance(o[0], dict):
        for i, v in enumerate(o):
            flat(prefix + str(i) + ".", v, out)
    else:
        out[prefix[:-1]] = o
theirs = {}
j = json.load(open(sys.argv[1]))
j["dev"] = j.pop("devices")
lost = j.pop("lost", [])
events = j.pop("event_log", [])    # on stderr for swaptop; counted in both
if len(events) != min(j["failures"] + j["warnings"], 10000):
    sys.exit("event_log: %d events, %d counted" % (len(events), j["failures"] + j["warnings"]))
flat("", j, theirs)
bad = []
for k, v in theirs.items():
    if k == "trace" or k.endswith(".io_seconds") or k.endswith(".average") or v is None:
        continue
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, list):
        v = " ".join(str(x) for x in v)
    if mine.get(k) != str(v):
        bad.append("%s: swapinfo %s, swaptop %s" % (k, v, mine.get(k)))
mlost = sorted(l for l in open(sys.argv[2]) if l.startswith("lost "))
if len(mlost) != len(lost):
    bad.append("lost pages: %d and %d" % (len(lost), len(mlost)))
if bad:
    sys.exit("\n".join(bad))
print(len(theirs), "figures agree")
EOF
# swapinfo -r on the same trace is the reference for swaptop's totals
for t in fix def; do
	if [ $t = fix ]; then args=("$FIX"); else args=(); fi
	expect_exit 0 "swapinfo -r --json (${args[*]:-default workload})" "$SWAPINFO" -r ${args[@]+"${args[@]}"} --json
	check "swapinfo -r and swaptop -b -r give the same figures (${args[*]:-default workload})" \
		"$PY" cmp.py "$T/out" $t.totals
done

# A tick of 2^64 - 1 steps: frames at the -d boundaries it crosses, not a
# loop per step (it never ended); timeout makes a hang a failure.
printf 'swaptrace 1\nram 16\ndev add d 100\nobj new a 10\nw a 0 10\ntick 3\ntick 18446744073709551610\nr a 0\ntick 2\nr a 1\n' > bigtick.trace
expect_exit 0 "-b -r -d 5 over a tick of 2^64 - 6" timeout 60 "$SWAPTOP" -b -r -d 5 bigtick.trace
check "-d 5: a frame at each boundary crossed, the last at the end" sh -c "grep '^swaptop replay' '$T/out' | sed 's/.*clock=//' | tr '\n' ' ' |
	grep -qx '18446744073709551613 18446744073709551615 18446744073709551615 end=trace '"
expect_exit 0 "-b -r -d 1 over the same trace" timeout 60 "$SWAPTOP" -b -r -d 1 bigtick.trace
check "-d 1: a frame per tick event" sh -c "[ \$(grep -c '^swaptop replay' '$T/out') -eq 4 ]"

# Pages that fail: the replay runs to its end, the totals count them, the
# events go to stderr with their lines, exit 12 (as swapinfo -r).
printf 'swaptrace 1\nram 16\ndev add d 11\nobj new a 26\nw a 0 26\nout a 0 26\nr a 0 26\ntick\n' > full.trace
expect_exit 12 "-b -r with swap full: exit 12" "$SWAPTOP" -b -r full.trace
check "the totals count the failed pages" sh -c "grep -qx 'pageout_failures 16' '$T/out' && grep -qx 'fault_failures 10' '$T/out' &&
	grep -qx 'failures 2' '$T/out' && grep -q ' end=trace$' '$T/out'"
check "the events on stderr, one line each" sh -c "[ \$(wc -l < '$T/err') -eq 3 ] &&
	grep -qx 'swaptop: full.trace:6: out a 0 26: 16 pages stay in RAM: no swap left to page them out' '$T/err'"

# Errors: the trace's line and reason, the documented exit codes.
printf 'swaptrace 1\nram 64\nbogus 1 2\n' >bad.trace
expect_exit 1 "a malformed trace" "$SWAPTOP" -b -r bad.trace
expect_err "^swaptop: bad.trace:3: unknown event 'bogus'$" "malformed: its line and reason, one line"
expect_exit 2 "a missing trace" "$SWAPTOP" -b -r nonexistent.trace
expect_err "^swaptop: nonexistent.trace: No such file or directory$" "missing: one line"
expect_exit 1 "--alloc bogus" "$SWAPTOP" -b -r --alloc bogus
expect_err "^swaptop: --alloc: 'bogus' is not blist or extent " "--alloc: one line"
expect_exit 1 "--device without =" "$SWAPTOP" -b -r --device foo
expect_err "^swaptop: --device: 'foo' is not NAME=PATH " "--device: one line"
expect_exit 1 "--paused with -b" "$SWAPTOP" -b -r --paused "$FIX"
expect_err "go with the screen, not -b" "--paused -b: one line"
expect_exit 1 "-d on the replay screen" "$SWAPTOP" -r -d 1 "$FIX"
expect_err "the replay's pace is --speed" "-d without -b: one line"
expect_exit 1 "two traces" "$SWAPTOP" -b -r "$FIX" "$FIX"
expect_err "one TRACE at most" "two traces: one line"
expect_exit 1 "--pane with -r" "$SWAPTOP" -r --pane areas
expect_err "--pane goes with live mode" "--pane -r: one line"

# ---------------------------------------------------------------- screen
command -v tmux >/dev/null || { nok "tmux is not installed (setup.sh installs it)"; exit 1; }
SOCK=swaptop-test-$$
tm() { tmux -u -L "$SOCK" "$@"; }
replay_cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	cleanup
}
trap replay_cleanup EXIT
tm new-session -d -s rp -x 120 -y 40 \
	"env -u NO_COLOR LANG=C.UTF-8 LC_ALL= PS1='\$ ' HOME='$T' HISTFILE= bash --norc --noprofile" ||
	{ nok "tmux new-session"; exit 1; }
tm set-option -g status off >/dev/null
screen() { tm capture-pane -p -t rp; }
wait_for() {
	local re=$1 name=$2 i
	for i in $(seq 50); do
		if screen | grep -qE -- "$re"; then ok "$name"; return 0; fi
		sleep 0.1
	done
	nok "$name: the screen never matched /$re/"
	screen | sed 's/^/#   | /'
	return 1
}
keys() { tm send-keys -t rp "$@"; }
# the title's event number now
event() { screen | head -1 | sed -n 's/.* event \([0-9]*\) .*/\1/p'; }

keys "clear; '$SWAPTOP' -r --paused '$FIX'; echo EXIT=\$?" Enter
wait_for " event 0 +line 0 +clock 0 .*\\[paused\\]" "--paused: starts paused before the first event"
keys t
wait_for " event 1 +line [0-9]+ +clock 0 " "t: one event"
wait_for "^last: ram 64$" "the event is shown"
keys t
wait_for " event 2 " "t again: one more"
wait_for "^last: dev add fast0 129 prio=10$" "the second event"
wait_for "^fast0 +10 +blist +129 +0 " "the device it added, with its priority"
check "exactly one event per t" test "$(event)" = 2
keys T
wait_for " event 7 +line [0-9]+ +clock 1 " "T: to the next tick"
wait_for "^last: tick$" "the tick is the last event"
keys T
wait_for " event 9 +line [0-9]+ +clock 3 " "T again: the next one"
wait_for "^Free runs of " "the free-run histogram"
wait_for "page-outs +page-ins" "the cluster-size histogram"
wait_for "^fast0 .* active [▁▂▃▄▅▆▇█ ]+$" "the density map of fast0"
keys t
wait_for " event 10 " "t after T: one event"
keys +
wait_for "speed: 2000 events/s" "+: faster"
keys - -
wait_for "speed: 500 events/s" "-: slower"
keys ' '
wait_for " event 22 +line [0-9]+ +clock 9 .*\\[end\\]" "Space runs it to the end"
wait_for "^fast1 .* removed " "the swapped-off device"
check "the screen's final numbers are the totals'" sh -c \
	"grep -qx 'events 22' fix.totals && grep -qx 'clock 9' fix.totals"
su=$(awk '$1 == "slots_used" { print $2 }' fix.totals)
sb=$(awk '$1 == "slots_usable" { print $2 }' fix.totals)
wait_for "^Swap .*\\] $su/$sb slots" "the slots on the screen are the totals' ($su/$sb)"
keys h
wait_for "swaptop help: replay" "h: the replay help"
wait_for "^ T +step one tick" "it lists T"
keys x
keys q
wait_for "^EXIT=0$" "q quits"

# A malformed trace on the screen: the error is shown, then printed at exit.
keys "clear; '$SWAPTOP' -r '$T/bad.trace'; echo EXIT=\$?" Enter
wait_for "\\[error\\]" "the screen says the replay stopped"
wait_for "^bad.trace:3: unknown event 'bogus'|$T/bad.trace:3: unknown event 'bogus'" "with the line and the reason"
keys q
wait_for "^swaptop: .*bad.trace:3: unknown event 'bogus'$" "and prints it at exit"
wait_for "^EXIT=1$" "exit status 1"
