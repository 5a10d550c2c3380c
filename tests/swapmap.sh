#!/bin/bash
# Where swapped pages live, on real areas: tests/swapmap-helper maps known
# memory and MADV_PAGEOUTs chosen ranges while the test's own loop-device
# areas are active one after another, each at a higher priority than the
# last, so each range lands on the area the test chose.  swapinfo -P (a
# column per area, the long form, --area) and swapctl -d -n (the plan) must
# give exactly those pages, and the swap types they name must be the ones
# the helper reads in its own pagemap.  Then an area is swapped off (its
# pages come back: the helper sees them present and intact) and a new one
# added, which takes the freed type number.  Only the helper and the
# test's areas are asserted on: other areas and processes may come and go.
. "${srcdir:-.}/tests/lib.sh"
need_root
HELPER=$builddir/tests/swapmap-helper
PS=$(getconf PAGESIZE)
[ -x "$HELPER" ] || { nok "tests/swapmap-helper not built"; exit 1; }

. "$srcdir/tests/swapmap-lib.sh"
mkarea a 1; A=$LOOP
mkarea b 2; B=$LOOP
mkarea c 2; C=$LOOP
mkarea d 2; D=$LOOP

start_helper
# single_type FIRST COUNT: the one swap type of those pages, in $TYPE
single_type() {
	ask where "$1" "$2"
	TYPE=$(echo "$ANS" | awk -v n="$2" '{ for (i = 1; i <= NF; i++) { split($i, f, ":");
		if (f[1] != "present" && f[2] == n) t = f[1] } } END { if (t != "") print t; else print "none" }')
}

# each pageout goes to the highest-priority area with room: the newest
activate "$A" -p 32764
wait_top 32764
ask out 0 100;   check "100 pages paged out to $A" test "$ANS" = "swapped 100"
single_type 0 100; TA=$TYPE
activate "$B" -p 32765
wait_top 32765
ask out 100 150; check "150 pages paged out to $B" test "$ANS" = "swapped 150"
single_type 100 150; TB=$TYPE
activate "$C" -p 32766
wait_top 32766
ask out 250 50;  check "50 pages paged out to $C" test "$ANS" = "swapped 50"
single_type 250 50; TC=$TYPE
check "each range on one swap type, three different ones ($TA $TB $TC)" \
	sh -c "[ '$TA' != none ] && [ '$TB' != none ] && [ '$TC' != none ] && [ '$TA' != '$TB' ] && [ '$TB' != '$TC' ] && [ '$TA' != '$TC' ]"

# pages ROW AREA: the helper's PAGES on AREA in the long form, with its MAPPING
pages_of() {
	"$SWAPINFO" -P -n 0 --raw --noheadings -o PID,AREA,PAGES,MAPPING |
		awk -v p="$HPID" -v a="$1" '$1 == p && $2 == a { print $3, $4 }'
}
for x in "$A 100" "$B 150" "$C 50"; do
	set -- $x
	got=$(pages_of "$1")
	case $got in
	"$2 exact") ok "-P long form: $2 pages on $1, exact" ;;
	"$2 inferred") ok "-P long form: $2 pages on $1 (inferred: other areas are active)" ;;
	*) nok "-P long form: $1 should hold $2 of the helper's pages, got '$got'"
	   "$SWAPINFO" -P -n 0 -o PID,AREA,PAGES,MAPPING | sed 's/^/#   /'; cat /proc/swaps | sed 's/^/#   /' ;;
	esac
done
"$SWAPINFO" -P -n 0 --bytes --raw --noheadings -o "PID,$A,$B,$C" >"$T/out" 2>"$T/err"
check "-P: a column per area, named by its path, the helper's bytes on each" \
	test "$(awk -v p="$HPID" '$1 == p { gsub("~", ""); print $2, $3, $4 }' "$T/out")" = \
	"$((100 * PS)) $((150 * PS)) $((50 * PS))"
"$SWAPINFO" -P -n 0 --json -o "PID,AREAS" >"$T/out" 2>"$T/err"
check "-P --json: the area columns are keys named by the paths, in bytes" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
p = [x for x in j["processes"] if x["pid"] == int(sys.argv[2])][0]
sys.exit(0 if (p[sys.argv[3]], p[sys.argv[4]], p[sys.argv[5]]) == (100 * int(sys.argv[6]), 150 * int(sys.argv[6]), 50 * int(sys.argv[6])) else 1)' \
	"$T/out" "$HPID" "$A" "$B" "$C" "$PS"
"$SWAPINFO" -P --area "$B" -n 0 --raw --noheadings -o PID,PAGES >"$T/out" 2>"$T/err"
check "--area $B -P: the helper is listed with its 150 pages" grep -qx "$HPID 150" "$T/out"
check "--area $B -P: only processes with pages there" awk '$2 == 0 { exit 1 }' "$T/out"
expect_exit 4 "--area of a path that is no active area" "$SWAPINFO" -P --area "$D"
expect_err "not an active swap area" "--area: one line naming the path"

# the plan: the helper's pages, the type the helper sees, and it fits
"$SWAPCTL" -d -n --json "$B" >"$T/out" 2>"$T/err"
check "-d -n --json $B: the helper's 150 pages, the type its pagemap shows, fits" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
p = [x for x in j["processes"] if x["pid"] == int(sys.argv[2])]
ok = p and p[0]["pages"] == 150 and p[0]["bytes"] == 150 * int(sys.argv[4]) and j["fits"] is True
ok = ok and j["mapping"] in ("exact", "inferred") and (j["mapping"] != "exact" or j["type"] == int(sys.argv[3]))
ok = ok and j["used"] >= 150 * int(sys.argv[4]) and j["attributed"] >= 150 * int(sys.argv[4])
ok = ok and j["attributed"] + j["unattributed"] == j["used"] and j["kernel_ok"] in (True, False)
sys.exit(0 if ok else 1)' "$T/out" "$HPID" "$TB" "$PS"
"$SWAPCTL" -d -n "$B" >"$T/out" 2>"$T/err"
expect_out "^swapoff plan for $B" "-d -n: the plan in text"
expect_out "^ +$HPID +root +150 pages " "-d -n: the helper's line"
expect_out "^would deactivate $B$" "-d -n: then what -d would do"
check "-d -n: $B still active" is_active "$B"

# swapoff: the plan's pages come back, intact
check "-d $B" "$SWAPCTL" -d "$B"
ask where 100 150; check "after -d: the helper's 150 pages are present" test "$ANS" = "present:150"
ask touch 100 150; check "after -d: their contents are intact" test "$ANS" = ok
ask where 0 100; check "after -d: the pages on $A did not move" test "$ANS" = "$TA:100 present:0"

# B's type is free now: /proc/swaps skips its number (A, C), and a new
# area takes the lowest free number, so it is listed before C
"$SWAPINFO" -P -n 0 --raw --noheadings -o PID,AREA,PAGES >"$T/out" 2>"$T/err"
check "a gap in the numbering: still 100 on $A and 50 on $C" sh -c \
	"awk -v p=$HPID '\$1 == p { print \$2, \$3 }' '$T/out' | sort | tr '\n' ' ' | grep -qx '$(printf '%s\n' "$A 100" "$C 50" | sort | tr '\n' ' ')'"
activate "$D" -p 32767
wait_top 32767
ask out 300 40; check "40 pages paged out to the new area $D" test "$ANS" = "swapped 40"
single_type 300 40; TD=$TYPE
check "the new area took a free number: not $TA or $TC" sh -c "[ '$TD' != none ] && [ '$TD' != '$TA' ] && [ '$TD' != '$TC' ]"
"$SWAPINFO" -P -n 0 --raw --noheadings -o PID,AREA,PAGES >"$T/out" 2>"$T/err"
check "after the new area: 100 on $A, 50 on $C, 40 on $D" sh -c \
	"awk -v p=$HPID '\$1 == p { print \$2, \$3 }' '$T/out' | sort | tr '\n' ' ' | grep -qx '$(printf '%s\n' "$A 100" "$C 50" "$D 40" | sort | tr '\n' ' ')'"
"$SWAPCTL" -d -n --json "$D" >"$T/out" 2>"$T/err"
check "-d -n --json $D: the type the helper sees when exact" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if j["mapping"] == "inferred" or j["type"] == int(sys.argv[2]) else 1)' "$T/out" "$TD"
ask quit
