# What tests/swapmap.sh and tests/swaptop-area.sh share: the test's own
# areas, the page-out helper (tests/swapmap-helper) and the wait for the
# top priorities.  Sourced after tests/lib.sh, with $HELPER set.

OWN_AREAS=""

# mkarea NAME MIB: a swap area on a loop device, in $LOOP (and OWN_AREAS)
mkarea() {
	truncate -s "$2M" "$T/$1" && chmod 600 "$T/$1" && mkswap "$T/$1" >/dev/null 2>&1 ||
		{ nok "mkswap $T/$1"; exit 1; }
	mkloop "$T/$1"
	OWN_AREAS="$OWN_AREAS $LOOP"
}

# start_helper: the helper as a coprocess (HELP), its pid in $HPID
start_helper() {
	coproc HELP { exec "$HELPER" 1000; }
	remember_pid "$HELP_PID"
	HPID=$HELP_PID
	read -r -t 10 ready _ <&"${HELP[0]}"
	[ "$ready" = ready ] || { nok "the helper did not start"; exit 1; }
}

# ask LINE: one command to the helper, its answer in $ANS
ask() { echo "$*" >&"${HELP[1]}"; read -r -t 60 ANS <&"${HELP[0]}" || ANS=timeout; }

# wait_top PRIO: other tests' areas may be active at the same or a higher
# priority and take the pages; wait until none is, 3 minutes at most
wait_top() {
	local i
	for i in $(seq 360); do
		awk -v p="$1" -v own="$OWN_AREAS" 'BEGIN { n = split(own, o, " "); for (i = 1; i <= n; i++) mine[o[i]] = 1 }
			NR > 1 && $5 >= p && !($1 in mine) { found = 1 } END { exit !found }' /proc/swaps ||
			return 0
		sleep 0.5
	done
	nok "another area stayed at priority $1 or above for 3 minutes"
}
