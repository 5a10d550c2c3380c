# Options: every option --help names is in the man page, every short option
# has a long form, the long forms answer, and newcomers' slips get a hint.
. "$srcdir/tests/lib.sh"
SWAPTOP=${SWAPTOP:-$builddir/swaptop}

# help_options CMD: the option words its --help mentions.
help_options() {
	"$1" --help | grep -oE -- '(^|[][ ,|(])--?[[:alnum:]][-[:alnum:]]*' |
	    sed -E 's/^[][ ,|(]//' | sort -u
}
for pair in swapctl:swapctl.8 swapinfo:swapinfo.8 swaptop:swaptop.1; do
	cmd=${pair%%:*} page=${pair#*:}
	bin=$builddir/$cmd
	text=$(mandoc -Tascii "$srcdir/man/$page" | col -b)
	missing=""
	for w in $(help_options "$bin"); do
		grep -qE -- "(^|[^-[:alnum:]])$w([^-[:alnum:]]|\$)" <<<"$text" || missing="$missing $w"
	done
	if [ -z "$missing" ]; then ok "$cmd: every option of --help is in $page"
	else nok "$cmd: options of --help missing from $page:$missing"; fi
	# every short option letter of --help has a long form on the same line
	# (-X, --long) in --help
	nolong=""
	for w in $(help_options "$bin" | grep -E '^-[[:alnum:]]$'); do
		"$bin" --help | grep -qE -- "(^|[ ,])$w, --[[:alnum:]]" || nolong="$nolong $w"
	done
	if [ -z "$nolong" ]; then ok "$cmd: every short option has a long form in --help"
	else nok "$cmd: short options without a long form in --help:$nolong"; fi
done

# The long forms the issue names, and others: getopt knows them (a usage
# error may follow for the missing operands, but not "unrecognized").
knows() {
	local cmd=$1; shift
	"$cmd" "$@" >/dev/null 2>"$T/kerr" </dev/null
	! grep -qE "unrecognized option|invalid option|requires an argument" "$T/kerr"
}
bad=""
for o in --add --delete --change --add-all --delete-all --list --summary --query \
	 --format --verify --scan --record --dry-run --force --quiet --verbose \
	 --kibi --mebi --gibi --human --bytes --json --raw --noheadings; do
	knows "$SWAPCTL" "$o" || bad="$bad $o"
done
for o in --priority=5 --label=x --uuid=random --pagesize=4096 --size=1M \
	 --endianness=little --output=NAME --options=discard --type=blk --fstab=/dev/null; do
	knows "$SWAPCTL" "$o" || bad="$bad $o"
done
[ -z "$bad" ] && ok "swapctl knows every long option" || nok "swapctl does not know:$bad"
bad=""
for o in --long --all --summary --processes --swappss --users --cgroups --top=3 \
	 --interval=1 --fstab=/dev/null --kibi --mebi --gibi --human --replay \
	 --workload=seq --output=SIZE --json --raw --noheadings --bytes; do
	knows "$SWAPINFO" "$o" --help || bad="$bad $o"
done
[ -z "$bad" ] && ok "swapinfo knows every long option" || nok "swapinfo does not know:$bad"
bad=""
for o in --batch --delay=1 --iterations=1 --replay --kibi --mebi --gibi --human --bytes; do
	knows "$SWAPTOP" "$o" --help || bad="$bad $o"
done
[ -z "$bad" ] && ok "swaptop knows every long option" || nok "swaptop does not know:$bad"

# A long form does what its short form does.
expect_exit 0 "swapinfo --workload=seq,events=5" "$SWAPINFO" --workload=seq,events=5
cp "$T/out" "$T/long.out"
"$SWAPINFO" -W seq,events=5 >"$T/short.out" 2>/dev/null
check "--workload writes what -W writes" cmp -s "$T/long.out" "$T/short.out"

# Newcomers' slips: a hint, not a bare error.
expect_exit 1 "swaptop -h" "$SWAPTOP" -h
expect_err "^swaptop: -h .*--help" "swaptop -h: one line pointing at --help"
expect_exit 1 "swapctl -F -p 4096" "$SWAPCTL" -F -p 4096 x
expect_err "page size of -F is -P" "swapctl -F -p: one line naming -P"
expect_exit 1 "--quiet without -F, -V or -c" "$SWAPCTL" --quiet -l
expect_err "^swapctl: --quiet goes with -F, -V or -c" "--quiet alone: one line"

# -q: NetBSD's query alone, mkswap's quiet beside -F and -V.
need_root
expect_exit 0 "-F -q" "$SWAPCTL" -F -q -S 1M "$T/sw"
check "-F -q prints nothing" test ! -s "$T/out"
expect_exit 0 "-F without -q" "$SWAPCTL" -F -S 1M "$T/sw2"
check "-F without -q says what it made" grep -q "swap area version 1" "$T/out"
expect_exit 0 "-V -q" "$SWAPCTL" -V -q "$T/sw"
check "-V -q prints nothing" test ! -s "$T/out"
printf 'not swap' >"$T/junk"; truncate -s 1M "$T/junk"
expect_exit 9 "-V -q on what is not swap: the verdict in the exit status" "$SWAPCTL" -V -q "$T/junk"
: >"$T/empty.fstab"
expect_exit 1 "-q alone queries fstab" "$SWAPCTL" -q --fstab "$T/empty.fstab"
check "-q alone prints nothing" test ! -s "$T/out"

# setlocale: a UTF-8 label is text in a UTF-8 locale, escaped in C.
"$SWAPCTL" -F -q -L 'café' -S 8M "$T/u8" && chmod 600 "$T/u8"
mkloop "$T/u8"; U8LOOP=$LOOP
activate "$LOOP" -p 5
for c in "$SWAPINFO -l" "$SWAPCTL -l -o Device,Label"; do
	name=$(basename "${c%% *}")
	if LC_ALL=C.UTF-8 $c | grep -E "^$LOOP " | grep -q 'café'; then ok "$name: UTF-8 label as text in C.UTF-8"
	else nok "$name: UTF-8 label as text in C.UTF-8"; fi
	if LC_ALL=C $c | grep -E "^$LOOP " | grep -qF 'caf\xc3\xa9'; then ok "$name: escaped in the C locale"
	else nok "$name: escaped in the C locale"; fi
done

# --raw and --noheadings: data rows only, never the BSD Total row (two areas
# of ours make sure there is one to leave out).
"$SWAPCTL" -F -q -S 8M "$T/second" && chmod 600 "$T/second"
mkloop "$T/second"
activate "$LOOP" -p 6
for f in --raw --noheadings; do
	"$SWAPCTL" -l $f >"$T/out" 2>"$T/err"
	if grep -q "^$LOOP " "$T/out" && ! grep -q '^Total' "$T/out"; then ok "swapctl -l $f: no Total row"
	else nok "swapctl -l $f: no Total row"; show_out; fi
	"$SWAPINFO" $f >"$T/out" 2>"$T/err"
	if grep -q "^$LOOP " "$T/out" && ! grep -q '^Total' "$T/out"; then ok "swapinfo $f: no Total row"
	else nok "swapinfo $f: no Total row"; show_out; fi
done
expect_exit 0 "swapctl -l" "$SWAPCTL" -l
expect_out '^Total ' "swapctl -l itself keeps NetBSD's Total row"

# JSON: numbers in bytes whatever the display units, capacity a number.
for u in "" -h -k -m -g; do
	"$SWAPCTL" -l --json $u >"$T/out" 2>"$T/err"
	if python3 -c '
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["devices"] if r["device"] == sys.argv[2]]
assert len(rows) == 1, rows
r = rows[0]
assert r["size"] == 8 * 1024 * 1024 - 4096 and isinstance(r["used"], int), r
assert r["avail"] == r["size"] - r["used"] and isinstance(r["capacity"], (int, float)), r' "$T/out" "$LOOP" 2>"$T/pyerr"
	then ok "swapctl -l --json ${u:-(no unit)}: sizes in bytes, capacity a number"
	else nok "swapctl -l --json ${u:-(no unit)}: sizes in bytes, capacity a number"; sed 's/^/#   /' "$T/pyerr"; fi
done

# One contract: swapctl -l --json and swapinfo -l --json name the same data
# alike (the array "devices", the same keys and values for our area).
"$SWAPCTL" -l --json -o +TYPE,LABEL,UUID >"$T/a.json" 2>"$T/err"
"$SWAPINFO" -l --json >"$T/b.json" 2>>"$T/err"
if python3 -c '
import json, sys
a = [d for d in json.load(open(sys.argv[1]))["devices"] if d["device"] == sys.argv[3]]
b = [d for d in json.load(open(sys.argv[2]))["devices"] if d["device"] == sys.argv[3]]
assert len(a) == 1 and len(b) == 1, (a, b)
a, b = a[0], b[0]
for k in ("device", "size", "avail", "prio", "type", "label", "uuid"):
    assert k in a and k in b and a[k] == b[k], (k, a.get(k), b.get(k))
assert isinstance(a["capacity"], (int, float)) and isinstance(b["capacity"], (int, float))' \
	"$T/a.json" "$T/b.json" "$LOOP" 2>"$T/pyerr"
then ok "swapctl -l --json and swapinfo -l --json: the same keys and values for an area"
else nok "swapctl -l --json and swapinfo -l --json: the same keys and values for an area"; sed 's/^/#   /' "$T/pyerr"; fi

# Every column -o asks for is filled, without -l.
"$SWAPINFO" -o DEVICE,LABEL,UUID --raw --noheadings >"$T/out" 2>"$T/err"
uuid=$(blkid -p -o value -s UUID "$T/u8")
if grep -qE "^$U8LOOP caf(é|\\\\xc3\\\\xa9) $uuid$" "$T/out"; then ok "swapinfo -o DEVICE,LABEL,UUID: label and UUID filled without -l"
else nok "swapinfo -o DEVICE,LABEL,UUID: label and UUID filled without -l"; show_out; fi
