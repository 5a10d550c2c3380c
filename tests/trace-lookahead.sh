# The text reader takes the access lines the lookahead decoded instead of
# reading them again (lib/pager/trace-ahead.c).  A text trace over many
# input blocks that mixes lines the lookahead decodes with lines it leaves
# to the reader (another name, counts, CRLF, tabs, double blanks, leading
# zeros, comments, blank lines, other events) must replay with the figures
# of its binary form (whose reader decodes every record itself) and of the
# same text from a pipe (read without the lookahead).  A malformed line deep
# in such a trace, right after decoded lines, stops it with its own line
# number and reason.  Events the engine records while the replay applies
# decoded lines name their own line and text, as from a pipe.
. "$srcdir/tests/lib.sh"
cd "$T"

json() { "$SWAPINFO" -r "$1" --cluster 1 --json 2>/dev/null | sed 's/"trace": "[^"]*"/"trace": ""/'; }

awk 'BEGIN {
	print "swaptrace 1"; print "ram 300"; print "dev add s 5000 cluster=4"
	print "obj new a 2000"; print "obj new bb 500"
	srand(7)
	for (i = 0; i < 80000; i++) {
		x = int(rand() * 100); p = int(rand() * 1990); q = int(rand() * 500)
		if (x < 66) print (rand() < 0.5 ? "r" : "w") " a " p
		else if (x < 76) print "r bb " q
		else if (x < 80) print "w a " p " " 1 + int(rand() * 3)
		else if (x < 82) print "r a " p "\r"
		else if (x < 84) print "r\ta " p
		else if (x < 86) print "r  a " p
		else if (x < 88) print "# a comment"
		else if (x < 89) print ""
		else if (x < 91) print "out a " p
		else if (x < 92) print "tick"
		else if (x < 94) print "r a 0" p
		else if (x < 96) print "free bb " q
		else if (x < 98) print "r a " p " 1"
		else print "w bb " q % 498 " 2"
	}
}' > big.trace
check "the trace spans several input blocks" test "$(wc -c < big.trace)" -gt 600000
"$SWAPINFO" --convert big.trace --binary > big.bin
json big.trace > text.json
json big.bin > bin.json
check "text and binary replays give the same figures" sh -c "grep -q '\"faults\": [1-9]' text.json && cmp -s text.json bin.json"
cat big.trace | "$SWAPINFO" -r - --cluster 1 --json 2>/dev/null | sed 's/"trace": "[^"]*"/"trace": ""/' > pipe.json
check "a pipe (no lookahead) gives the same figures" cmp -s text.json pipe.json

# bad N LINE REGEX NAME: LINE put in as line N (after decoded lines) stops
# the replay at N with the reason.
bad() {
	{ head -n $(($1 - 3)) big.trace; printf 'r a 7\nr a 8\n'; printf "$2\n"; tail -n +$1 big.trace; } > bad.trace
	expect_exit 1 "$4: bad input" "$SWAPINFO" -r bad.trace --cluster 1
	expect_err "^swapinfo: bad.trace:$1: $3\$" "$4: its line and reason"
}
bad 50001 'r a 12x' "'12x' is not a number" "a letter in the index"
bad 60007 'r a 5 0' "a COUNT of 0 pages" "a count of 0"
bad 70003 'r a 99999' "object a: pages 99999\\+1 are outside its 2000 pages" "a page outside the object"
bad 45000 'r a 99999999999999999999' "'99999999999999999999' is not a number" "an index over 2\\^64"
bad 30011 'r zz 5' "object zz: no such object" "another name, unknown"
bad 20000 'r a 5 6 7' "r takes ID INDEX \\[COUNT\\]" "a field too many"
bad 10001 'r a 5\0' "a NUL byte in the line" "a NUL byte"
{ head -n 40000 big.trace; printf 'r bb 1\nr a 1x\n'; } > bad.trace
expect_exit 1 "a bad line after a change of name: bad input" "$SWAPINFO" -r bad.trace --cluster 1
expect_err "^swapinfo: bad.trace:40002: '1x' is not a number$" "a bad line after a change of name: its line"

# Events the engine records while it applies decoded lines (the replay
# takes them straight from the lookahead's ring) name their own line and
# text, as when the same trace comes from a pipe: RAM and swap just hold
# the object, so pages fail to come back over thousands of decoded lines.
awk 'BEGIN {
	print "swaptrace 1"; print "ram 16"; print "dev add d 11"; print "obj new a 26"
	srand(3)
	for (i = 0; i < 3000; i++) print (rand() < 0.7 ? "w" : "r") " a " int(rand() * 26)
}' > full.trace
expect_exit 12 "failures of decoded lines: the replay runs to its end" "$SWAPINFO" -r full.trace --json
mv "$T/out" full.json; mv "$T/err" full.err
cat full.trace | "$SWAPINFO" -r - --json 2> pipe.err | sed 's/"trace": "[^"]*"/"trace": "full.trace"/' > pipe.json
check "failures of decoded lines: one stderr line each with its line and text, as from a pipe" \
	sh -c 'test "$(grep -c "^swapinfo: full.trace:[0-9]*: [rw] a [0-9]*: 1 page not brought in" full.err)" -gt 50 &&
	       sed "s/^swapinfo: stdin:/swapinfo: full.trace:/" pipe.err | cmp -s - full.err'
check "failures of decoded lines: the same event log and figures as from a pipe" \
	sh -c 'grep -q "\"fault_failures\": [1-9]" full.json && cmp -s full.json pipe.json'
