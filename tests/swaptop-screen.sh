# swaptop on the screen, driven in tmux at a fixed size (120x40): the areas
# this test made, the process it pushed into swap with its SwapPss, the help
# screen, a sort change, the filter, a redraw after a resize, the too-small
# message, colours and their absence (NO_COLOR, --mono), the ASCII fallback,
# and a sane terminal after q, SIGTERM and SIGINT.
. "$srcdir/tests/lib.sh"
need_root
srcdir=$(cd "$srcdir" && pwd)
cd "$T"
unset NO_COLOR SWAPTOP_THRESHOLDS
command -v tmux >/dev/null || { nok "tmux is not installed (setup.sh installs it)"; exit 1; }
. "$srcdir/tests/swaptop-setup.sh"

SOCK=swaptop-test-$$
tm() { tmux -u -L "$SOCK" "$@"; }
screen_cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	cleanup
}
trap screen_cleanup EXIT

W=120 H=40
tm new-session -d -s st -x $W -y $H \
	"env -u NO_COLOR LANG=C.UTF-8 LC_ALL= PS1='\$ ' HOME='$T' HISTFILE= bash --norc --noprofile" ||
	{ nok "tmux new-session"; exit 1; }
tm set-option -g status off >/dev/null

screen() { tm capture-pane -p -t st "$@"; }
# wait_for REGEX NAME: the screen matches within 5 s
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
# wait_gone REGEX NAME: the screen stops matching within 5 s
wait_gone() {
	local re=$1 name=$2 i
	for i in $(seq 50); do
		if ! screen | grep -qE -- "$re"; then ok "$name"; return 0; fi
		sleep 0.1
	done
	nok "$name: the screen still matches /$re/"
	screen | sed 's/^/#   | /'
	return 1
}
keys() { tm send-keys -t st "$@"; }
run() { keys "clear; $*" Enter; }
# the terminal is back in cooked mode with echo
sane() {
	keys "clear; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo|icrnl)' | tr '\\n' ' '; echo" Enter
	wait_for "^icanon echo icrnl *\$|^icrnl icanon echo *\$|^icanon icrnl echo *\$|^icrnl echo icanon *\$" "$1"
}

# a process of ours that holds no swap: listed only after z
IDLE=idle$$
bash -c "exec -a $IDLE sleep 1000" &
remember_pid $!

# ---------------------------------------------------------------- live
run "echo BEFORE-MARK; '$SWAPTOP' -d 30; echo EXIT=\$?"
wait_for "sort: SWAP▼" "starts on the processes pane, sorted by swap"
wait_for "^$L1 +loop +32700 +64M " "the areas pane shows $L1, its priority and size"
wait_for "^$L2 +loop +32699 +64M " "the areas pane shows $L2"
wait_for "^$L1 .* $LA " "with its label"
wait_for "^Swap +\\[" "the swap bar"
wait_for "^Paging +in [0-9.]+ out [0-9.]+ pages/s +PSI " "the paging line, with PSI"
wait_for "^in  .* max [0-9.k]+/s$" "the swap-in sparkline"
wait_for "^ *$SPID +root +[0-9.]+M " "the process we pushed into swap"

# The filter on the processes pane: only the swapper is left, selected,
# and its SwapPss is read.
keys /
wait_for "^Filter: _" "/ opens the filter prompt"
keys -l "$SWAPPER"; keys Enter
wait_for "filter: $SWAPPER" "the filter is kept and shown"
wait_for "^PID $SPID: SwapPss [0-9.]+M, Swap [0-9.]+M \\(smaps_rollup" "SwapPss of the selected process"
check "only the swapper is listed" sh -c "tmux -L '$SOCK' capture-pane -p -t st | grep -A3 'PID USER' | grep -cE '^ *[0-9]+ ' | grep -qx 1"
keys Escape
wait_gone "filter: $SWAPPER" "Esc clears the filter"

# Processes that hold no swap are hidden, counted in the header; z lists them.
wait_for "[0-9]+ without swap hidden \\(z\\)" "the header counts the processes without swap"
keys /; keys -l "$IDLE"; keys Enter
wait_for "nothing matches the filter" "a process without swap is not listed"
keys z
wait_for "^ *[0-9]+ +root .*$IDLE 1000" "z lists it"
wait_gone "without swap hidden" "and the header no longer counts hidden ones"
keys z
wait_for "nothing matches the filter" "z again hides it"
keys Escape

keys '>'
wait_for "sort: RSS▼" "> sorts by the next column"
keys '<'
wait_for "sort: SWAP▼" "< goes back"
keys I
wait_for "sort: SWAP▲" "I inverts the order"
keys I

keys h
wait_for "swaptop help: live" "h shows the help"
wait_for "swapout 1/10 pages/s +swap 60/80 %" "the help lists the thresholds"
wait_for "SWAPPSS +SwapPss" "and the pane's columns"
keys x
wait_gone "swaptop help" "any key leaves the help"
keys '?'
wait_for "swaptop help: live" "? shows the help too"
keys x

# The areas pane, filtered by label.
keys a
wait_for "sort: PRIO▼" "a: the areas pane, by priority"
keys /; keys -l "$LB"; keys Enter
wait_for "filter: $LB" "filter on the areas pane"
wait_for "^$L2 " "the area with that label is shown"
wait_gone "^$L1 " "the other is not"
wait_for "^$L2 +UUID [0-9a-f-]+ +backing $T/b.img" "the status line: UUID and backing file"
keys Escape
wait_for "^$L1 " "Esc: both again"
keys c
wait_for " c Cgroups [0-9]+ " "c: the cgroups pane"
keys p
wait_for "sort: SWAP▼" "p: back to the processes"

# Resizes redraw at once (the refresh is every 30 s).
tm resize-window -t st -x 100 -y 30
wait_for "^ swaptop .{70,}h help  q quit$" "a resize to 100x30 redraws at once"
check "the title fills 100 columns" sh -c "[ \$(tmux -L '$SOCK' capture-pane -p -t st | head -1 | wc -m) -eq 100 ]"
check "30 lines" sh -c "[ \$(tmux -L '$SOCK' capture-pane -p -t st | wc -l) -eq 30 ]"
tm resize-window -t st -x 50 -y 12
wait_for "Terminal too small: swaptop needs" "below 60x16 it says so"
wait_for "60x16, this one is 50x12|needs 60x16|50x12\\." "with the size it needs and has"
tm resize-window -t st -x $W -y $H
wait_for "^$L1 +loop +32700 " "back at 120x40 it draws again"

# + and - change the interval.
keys +
wait_for "every 15s" "+ refreshes more often"
keys - -
wait_for "every 60s" "- less often"

keys q
wait_for "^EXIT=0$" "q quits with status 0"
wait_for "^BEFORE-MARK$" "the screen before swaptop is back"
wait_gone "sort: " "nothing of swaptop is left"
sane "the terminal is sane after q"

# Signals: the terminal is restored, the signal ends the process.
run "'$SWAPTOP' -d 30; echo EXIT=\$?"
wait_for "sort: SWAP" "started again"
pid=$(pgrep -P "$(tm display -p -t st '#{pane_pid}')" | head -1)
kill -TERM "$pid"
wait_for "^EXIT=143$" "SIGTERM ends it (status 143)"
sane "the terminal is sane after SIGTERM"
run "'$SWAPTOP' -d 30"
wait_for "sort: SWAP" "started again"
keys C-c
sleep 0.2
keys 'echo LAST=$?' Enter
wait_for "^LAST=130$" "Ctrl-C (SIGINT) ends it (status 130)"
sane "the terminal is sane after SIGINT"

# Colours, and none with NO_COLOR or --mono.
colour='\[(3[0-7]|4[0-7])m|;(3[0-7]|4[0-7])m|\[(3[0-7]|4[0-7]);'
run "'$SWAPTOP' -d 30"
wait_for "sort: SWAP" "started again"
check "colours by default" sh -c "tmux -L '$SOCK' capture-pane -e -p -t st | grep -qE '$colour'"
keys q
run "NO_COLOR=1 '$SWAPTOP' -d 30"
wait_for "sort: SWAP" "NO_COLOR=1"
check "NO_COLOR: no colour" sh -c "! tmux -L '$SOCK' capture-pane -e -p -t st | grep -qE '$colour'"
check "NO_COLOR: attributes still mark the title" sh -c "tmux -L '$SOCK' capture-pane -e -p -t st | head -1 | grep -q '\\[7m'"
keys q
run "'$SWAPTOP' --mono -d 30"
wait_for "sort: SWAP" "--mono"
check "--mono: no colour" sh -c "! tmux -L '$SOCK' capture-pane -e -p -t st | grep -qE '$colour'"
keys q

# ASCII without a UTF-8 locale.
run "LC_ALL=C '$SWAPTOP' -d 30"
wait_for "sort: SWAPv" "LC_ALL=C: ASCII sort mark"
check "LC_ALL=C: no block characters" sh -c "! tmux -L '$SOCK' capture-pane -p -t st | grep -q '[▁▂▃▄▅▆▇█▼]'"
keys q
run "'$SWAPTOP' --ascii -d 30"
wait_for "sort: SWAPv" "--ascii: ASCII too"
keys q
wait_for "^\\\$ *$" "and it quits"
