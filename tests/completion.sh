# bash completion (contrib/bash-completion/swapctl): loaded as bash-completion
# loads it, then driven as readline would drive it, word by word.
. "$srcdir/tests/lib.sh"

bc=/usr/share/bash-completion/bash_completion
if [ ! -r "$bc" ]; then nok "bash-completion is installed (setup.sh installs it)"; exit 1; fi
# _init_completion and _filedir come from bash-completion itself.
. "$bc" 2>/dev/null
. "$srcdir/contrib/bash-completion/swapctl"
PATH=$builddir:$PATH

# complete WORD...: the candidates for the last word, one per line.
complete_words() {
	local cmd=$1 fn
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
	fn=$(complete -p "$cmd" | sed -E 's/.*-F ([^ ]+) .*/\1/')
	COMPREPLY=()
	"$fn" "$cmd" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' ${COMPREPLY[@]+"${COMPREPLY[@]}"}
}
# has NAME WORD... -- CAND...: every CAND is among the completions of WORDs.
has() {
	local name=$1 w=() c out miss=""; shift
	while [ "$1" != -- ]; do w+=("$1"); shift; done; shift
	out=$(complete_words "${w[@]}")
	for c in "$@"; do grep -qxF -- "$c" <<<"$out" || miss="$miss $c"; done
	if [ -z "$miss" ]; then ok "$name"; else nok "$name: missing$miss"; echo "$out" | sed 's/^/#   got: /'; fi
}
lacks() {
	local name=$1 w=() c out extra=""; shift
	while [ "$1" != -- ]; do w+=("$1"); shift; done; shift
	out=$(complete_words "${w[@]}")
	for c in "$@"; do grep -qxF -- "$c" <<<"$out" && extra="$extra $c"; done
	if [ -z "$extra" ]; then ok "$name"; else nok "$name: offers$extra"; fi
}

for c in swapctl swapinfo swaptop; do
	if complete -p "$c" >/dev/null 2>&1; then ok "completion registered for $c"
	else nok "completion registered for $c"; fi
done

has "swapctl long options" swapctl --j -- --json
has "swapctl short options" swapctl - -- -a -d -l -F -V
has "swapctl --s" swapctl --s -- --scan
has "swapctl --of" swapctl --of -- --offset
lacks "swapctl --s offers only --s..." swapctl --s -- --json
has "swapinfo options" swapinfo --p -- --prometheus
has "swaptop options" swaptop --p -- --pane --paused
has "swaptop --pane values" swaptop --pane "" -- areas processes cgroups
has "swapinfo --alloc values" swapinfo --alloc e -- extent
has "swapctl -e values" swapctl -F -e l -- little

# Columns from --help, in either case, after a comma and after a +.
has "swapctl -l -o columns" swapctl -l -o "" -- DEVICE SIZE LABEL UUID PRIO
has "swapinfo -o columns" swapinfo -o LA -- LABEL
has "swapinfo -o after a comma" swapinfo -o SIZE,US -- SIZE,USED
has "swapinfo -o +COL" swapinfo -o +MO -- +MODEL
has "swapinfo -o lower case" swapinfo -o mod -- MODEL
has "swapctl -l -o NAME, util-linux's DEVICE" swapctl -l -o DEVICE,NA -- DEVICE,NAME
has "swapinfo -o NAME" swapinfo -o +na -- +NAME
has "swapctl -a -o discard" swapctl -a -o di -- discard discard=once discard=pages

# Files where a path is wanted.
touch "$T/trace.txt" "$T/swapfile"
has "swapinfo -r TRACE" swapinfo -r "$T/tra" -- "$T/trace.txt"
has "swapctl -V PATH" swapctl -V "$T/swa" -- "$T/swapfile"

# -d offers the active areas: one of this test's own, with a blank in its
# name (the kernel writes it \040 in /proc/swaps).
need_root
f="$T/swap area"
if "$SWAPCTL" -F -S 1M "$f" >/dev/null && activate "$f"; then
	has "swapctl -d offers an active area (escapes decoded)" swapctl -d "$T/sw" -- "$f"
	lacks "swapctl -d offers no inactive file" swapctl -d "$T/sw" -- "$T/swapfile"
	swapoff "$f"
	lacks "swapctl -d: the area once off is gone" swapctl -d "$T/sw" -- "$f"
else
	nok "make and activate a swap file for -d"
fi
