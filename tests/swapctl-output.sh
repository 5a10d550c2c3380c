# What swapctl prints can be trusted: fix commands a shell reads back as the
# same words, JSON that parses whatever bytes a label holds, output that
# cannot be written reported (exit 2), strict numbers, and the exit codes
# swapctl(8) documents.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

# json_parses FILE: python3 -m json.tool accepts it (valid JSON and UTF-8)
json_parses() { python3 -m json.tool "$1" >/dev/null; }

# ------------------------------------------------ fix: lines, shell-quoted
# A 16K-page area whose label is a shell injection: the fix keeps the label,
# quoted so that running the fix runs nothing else.
EVIL="';id>x;'"
"$SWAPCTL" -F -S 8M -P 16K -L "$EVIL" p16 >/dev/null || nok "-F -P 16K with a hostile label"
expect_exit 8 "-V on a 16K-page area with a hostile label" "$SWAPCTL" -V p16
FIX=$(sed -n 's/^ *fix: \(swapctl -F -P .*\)$/\1/p' "$T/out")
check "-V prints the page-size fix" test -n "$FIX"
# run the fix through a shell with swapctl replaced by a word printer
sh -c "swapctl() { printf '%s\n' \"\$@\"; }; $FIX" >words 2>&1
check "the fix is read back by sh as exactly its words, the label one word" \
	sh -c "sed -n 5p words | grep -qxF \"$EVIL\" && test \$(wc -l <words) -eq 8 && ! test -e x"
check_not "running the fix ran nothing else" test -e x
expect_exit 8 "-V --json" "$SWAPCTL" -V --json p16
check "-V --json parses" json_parses "$T/out"
check "-V --json: the fix is the same quoted command" \
	python3 -c 'import json,sys; f=[p["fix"] for p in json.load(open(sys.argv[1]))[0]["problems"] if p["fix"] and "-P" in p["fix"]]; assert f == [sys.argv[2]], f' "$T/out" "$FIX"
chmod 600 p16
expect_exit 4 "-a refuses the 16K-page area" "$SWAPCTL" -a p16
check "-a: its fix is quoted the same way" grep -qF "(fix: $FIX)" "$T/err"
# a path that starts with - or holds a quote: ./-path, quoted
cp p16 "./-o'k"; chmod 644 "./-o'k"
expect_exit 8 "-V on a path with - and '" "$SWAPCTL" -V -- "-o'k"
expect_out "fix: chmod 0600 './-o'\\\\''k'$" "-V: the chmod fix names ./-o'k, quoted"

# ------------------------------------------ JSON with a label not UTF-8
truncate -s 16M bad.img
mkloop bad.img; BAD=$LOOP
"$SWAPCTL" -F -L "$(printf 'l\377\376x')" "$BAD" >/dev/null || nok "-F with a latin-1 label"
remember_swap "$BAD"
expect_exit 0 "-V --json on a label that is not UTF-8" "$SWAPCTL" -V --json "$BAD"
check "-V --json parses" json_parses "$T/out"
check "-V --json: each bad byte is U+FFFD" \
	python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[0]; assert a["label"] == "l\ufffd\ufffdx", a["label"]' "$T/out"
"$SWAPCTL" -a -p 3 "$BAD" >/dev/null || nok "activate $BAD"
expect_exit 0 "-l --json with that label active" "$SWAPCTL" -l --json -o Device,Label
check "-l --json parses" json_parses "$T/out"
check "-l --json: our row's label with U+FFFD" \
	python3 -c 'import json,sys; r=[d for d in json.load(open(sys.argv[1]))["devices"] if d["device"] == sys.argv[2]]; assert r and r[0]["label"] == "l\ufffd\ufffdx", r' "$T/out" "$BAD"
expect_exit 0 "swapinfo -l --json with that label" "$SWAPINFO" -l --json
check "swapinfo -l --json parses" json_parses "$T/out"
expect_exit 0 "swapinfo --prometheus -l with that label" "$SWAPINFO" --prometheus -l
check "--prometheus is valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/out"

# ---------------------------------------------------- lost output
for args in "-l" "-s" "-V $BAD" "-l --json"; do
	# shellcheck disable=SC2086
	expect_exit 2 "swapctl $args >/dev/full" sh -c "exec \"\$0\" $args >/dev/full" "$SWAPCTL"
	expect_err "^swapctl: write error: No space left on device$" "swapctl $args: one line says the write failed"
done
expect_exit 2 "swapinfo >/dev/full" sh -c 'exec "$0" >/dev/full' "$SWAPINFO"
expect_err "^swapinfo: write error: No space left on device$" "swapinfo: one line"
expect_exit 2 "swapinfo -i 0.1 3 >/dev/full stops at once" sh -c 'exec "$0" -i 0.1 3 >/dev/full' "$SWAPINFO"
expect_err "^swapinfo: write error: No space left on device$" "swapinfo -i: one line"
expect_exit 2 "swaptop -b >/dev/full" sh -c 'exec "$0" -b -n 1 >/dev/full' "$builddir/swaptop"
expect_err "^swaptop: write error: No space left on device$" "swaptop -b: one line"
expect_exit 1 "nothing to write to a closed stdout is no error (-q: no swap in fstab, 1)" \
	sh -c ': >empty.fstab; "$0" -q --fstab empty.fstab >&-' "$SWAPCTL"

# ---------------------------------------------------- strict numbers
for p in ' 5' '+5' '-0' '5 ' '0x5' ''; do
	expect_exit 1 "-p '$p' is refused" "$SWAPCTL" -l -p "$p"
	expect_err "^swapctl: -p: priority '${p//+/\\+}' is not a number from 0 to 32767" "-p '$p': one line naming it"
done
expect_exit 0 "-p 00032 is 32" "$SWAPCTL" -l -p 00032
expect_exit 1 "swapinfo -n ' 3'" "$SWAPINFO" -P -n ' 3'
expect_exit 1 "swapinfo -i 1 +2" "$SWAPINFO" -i 1 +2
"$SWAPCTL" -F -S 8M f1 >/dev/null
printf '# comment\n%s none swap sw,pri=1,pri=2 0 0\n' "$T/f1" >fstab.twice
expect_exit 1 "fstab: pri= twice" "$SWAPCTL" -A -n --fstab fstab.twice
expect_err "^swapctl: fstab.twice:2: $T/f1: pri= given twice$" "pri= twice: names the file and line"
printf '%s none swap pri=+5 0 0\n' "$T/f1" >fstab.plus
expect_exit 1 "fstab: pri=+5" "$SWAPCTL" -A -n --fstab fstab.plus
expect_err "^swapctl: fstab.plus:1: $T/f1: pri=\+5 is not a number from 0 to 32767$" "pri=+5: names the line and value"
printf '%s none swap sw,x-systemd.makefs,foo=bar,pri=4 0 0\n' "$T/f1" >fstab.other
expect_exit 0 "fstab: options for other tools are ignored, as util-linux does" "$SWAPCTL" -A -n --fstab fstab.other
expect_out "would activate $T/f1 at priority 4" "the pri= among them is used"

# ---------------------------------------------------- exit codes
expect_exit 2 "-d of a path that does not exist: system error" "$SWAPCTL" -d "$T/nosuch"
expect_err "^swapctl: $T/nosuch: No such file or directory$" "-d missing: one line"
expect_exit 4 "-d of an inactive area: refused" "$SWAPCTL" -d "$T/f1"
mkdir -p root/proc
printf 'Filename\tType\tSize\tUsed\tPriority\ngarbage\n' >root/proc/swaps
expect_exit 2 "a malformed /proc/swaps: system error" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -l
expect_err "^swapctl: /proc/swaps:2: malformed line$" "malformed /proc/swaps: names file and line"
expect_exit 2 "swapinfo on a malformed /proc/swaps" env SWAPCTL_SYSROOT="$T/root" "$SWAPINFO"
printf 'swaptrace 1\ndev add d 4294967295\ndev add e 4294967295\n' >full.trace
expect_exit 1 "a trace beyond the slot space: invalid input" "$SWAPINFO" -r full.trace
expect_err "full.trace:2: device d: 4294967295 pages: more than the engine's 4294967294 slots" "slot space: one line with the trace line"
