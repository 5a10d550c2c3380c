# The binary swaptrace form: -W --binary, --convert both ways, -r reading
# both (by magic) with the same report; malformed binary traces stop with
# one line naming the file, the offset and the reason.
. "$srcdir/tests/lib.sh"
cd "$T"

json() { "$SWAPINFO" -r "$1" --json 2>/dev/null | sed 's/"trace": "[^"]*"/"trace": ""/'; }

for w in seq random zipf fork mixed; do
	spec="$w,pages=600,ram=150,events=3000,seed=3"
	"$SWAPINFO" -W "$spec" > "$w.trace"
	expect_exit 0 "-W $w --binary" "$SWAPINFO" -W "$spec" --binary
	cp "$T/out" "$w.bin"
	check "$w: the binary form starts with its magic" sh -c "head -c 8 '$w.bin' | od -An -c | grep -q '211   S   W   T   R   A   C   E'"
	check "$w: the binary form is less than a third of the text" \
		test $(($(wc -c < "$w.bin") * 3)) -lt "$(wc -c < "$w.trace")"
	"$SWAPINFO" --convert "$w.trace" --binary > "$w.conv"
	check "$w: --convert text --binary gives the bytes of -W --binary" cmp -s "$w.bin" "$w.conv"
	"$SWAPINFO" --convert "$w.bin" > "$w.back"
	sed 2d "$w.trace" > "$w.a"
	sed 2d "$w.back" > "$w.b"
	check "$w: --convert back to text: the same lines, the comment's blank" \
		sh -c "test -s '$w.a' && cmp -s '$w.a' '$w.b' && test -z \"\$(sed -n 2p '$w.back')\""
	json "$w.trace" > "$w.tj"
	json "$w.bin" > "$w.bj"
	check "$w: replays of the text and the binary give the same report (JSON)" \
		sh -c "test -s '$w.tj' && cmp -s '$w.tj' '$w.bj'"
	"$SWAPINFO" -r "$w.trace" | tail -n +2 > "$w.tt"
	"$SWAPINFO" -r "$w.bin" | tail -n +2 > "$w.bt"
	check "$w: the same text report" cmp -s "$w.tt" "$w.bt"
done
cat mixed.bin | "$SWAPINFO" -r - --json | sed 's/"trace": "[^"]*"/"trace": ""/' > pipe.json
check "a binary trace from a pipe: the figures of the file" cmp -s pipe.json mixed.bj

# A text trace with what the binary form does not keep as written (comments,
# tabs, CRLF, options in another order, explicit counts of 1) and failures
# the engine reports with their lines.
printf 'swaptrace 1\n# a comment\n\nram 16\r\ndev add d 11 cluster=4\tprio=3\nobj new a 26   # 26 pages\nw a 0 26\nout a 0 26\nr a 0 1\nr a 0 26\nram 4\ndev del d\ntick 1\ntick\n' > odd.trace
"$SWAPINFO" --convert odd.trace --binary > odd.bin
"$SWAPINFO" -r odd.trace --json > odd.tj 2> odd.te
"$SWAPINFO" -r odd.bin --json > odd.bj 2> odd.be
check "odd text: the binary form replays with the same figures" \
	sh -c "sed 's/\"trace\": \"[^\"]*\"//' odd.tj > a; sed 's/\"trace\": \"[^\"]*\"//' odd.bj > b; cmp -s a b"
check "odd text: events on stderr name the same lines" sh -c "test -s odd.te && sed 's/odd.bin/odd.trace/' odd.be | cmp -s - odd.te"
check "odd text: a failed page-out reported at line 8 by both" grep -q "^swapinfo: odd.bin:8: out a 0 26: " odd.be
"$SWAPINFO" --convert odd.bin > odd.back
"$SWAPINFO" --convert odd.back --binary > odd.bin2
check "binary -> text -> binary gives the same bytes" cmp -s odd.bin odd.bin2
check "the text keeps each event on its line" sh -c "sed -n '5p;13p' odd.back | tr '\n' '|' | grep -qx 'dev add d 11 prio=3 cluster=4|tick 1|'"

# Malformed binary traces: exit 1, one line with the offset and the reason.
bad() {
	printf "$2" > "$1.bin"
	expect_exit 1 "$1: a malformed binary trace is bad input" "$SWAPINFO" -r "$1.bin"
	expect_err "^swapinfo: $1.bin: offset $3( \(line [0-9]+\))?: $4$" "$1: one line naming the file, offset and reason"
	expect_exit 1 "$1: --convert refuses it the same way" "$SWAPINFO" --convert "$1.bin"
}
H='\211SWTRACE\001\0\0\0\0\020\0\0'
bad short-header '\211SWTRA' "0" "truncated header \(6 of 16 bytes\)"
bad magic '\211SWTRACX\001\0\0\0\0\020\0\0' "0" "not a swaptrace file \(neither text nor the binary magic\)"
bad version '\211SWTRACE\002\0\0\0\0\020\0\0' "0" "binary swaptrace version 2 \(this reads version 1\)"
bad reserved '\211SWTRACE\001\0\1\0\0\020\0\0' "0" "header bytes 9 to 11 are not 0"
bad record "$H"'\022\020\177' "18" "unknown record type 0x7f"
bad undefined "$H"'\026\003\005' "16" "name 3 is not defined \(0 are\)"
bad no-object "$H"'\001\005' "16" "an access without an object \(no access before it named one\)"
bad big "$H"'\022\377\377\377\377\377\377\377\377\377\002' "16" "a number larger than 2\^64 - 1"
bad truncated "$H"'\020\001a\026\000' "19" "truncated record \(the file ends at offset 21\)"
bad blank-name "$H"'\020\003a b' "16" "a name with byte 0x20 \(blanks, '#' and NUL cannot be in names\)"
bad count0 "$H"'\020\001a\026\000\010\014\000\001\000' "22" "a COUNT of 0 pages"
bad prio "$H"'\020\001d\023\000\010\001\377\377\003' "19" "priority 65535 is not from 0 to 32767"
bad lines "$H"'\021\377\377\377\377\017\022\001' "16" "more than 4294967295 lines"
printf 'swaptrace 1\nobj new a 4\nr a 9\n' | "$SWAPINFO" --convert - --binary > range.bin
expect_exit 1 "an access outside its object, binary" "$SWAPINFO" -r range.bin
expect_err "^swapinfo: range.bin: offset 2[0-9] \(line 3\): object a: pages 9\+1 are outside its 4 pages$" \
	"an engine error in a binary trace: offset and the line of its text"

# Options.
expect_exit 1 "--binary alone" "$SWAPINFO" --binary
expect_err "--binary goes with -W or --convert" "--binary alone: one line"
expect_exit 1 "-r with --convert" "$SWAPINFO" -r x --convert y
expect_exit 2 "--convert of a missing trace" "$SWAPINFO" --convert nosuch.trace
expect_err "^swapinfo: nosuch.trace: No such file or directory$" "missing: one line"
printf 'swaptrace 1\nram ten\n' > bad.trace
expect_exit 1 "--convert of a malformed text trace" "$SWAPINFO" --convert bad.trace --binary
expect_err "^swapinfo: bad.trace:2: 'ten' is not a number$" "malformed text: trace, line, reason"
if command -v script >/dev/null; then
	script -qec "'$SWAPINFO' -W zipf --binary; echo rc=\$?" /dev/null > tty.out 2>&1
	check "no binary trace to a terminal" grep -q "will not write a binary trace to a terminal" tty.out
	check "no binary trace to a terminal: exit 1" grep -q "rc=1" tty.out
fi
