# swapinfo over the recorded trees of tests/fixtures/sysroot: the FreeBSD
# layout, units, every report, JSON, Prometheus, errors and exit codes.
# Needs no privileges: everything is read through SWAPCTL_SYSROOT.
. "$srcdir/tests/lib.sh"
FX=$(cd "$srcdir/tests/fixtures/sysroot" && pwd)
unset BLOCKSIZE

# si FIXTURE ARGS...: swapinfo on a fixture
si() { local f=$1; shift; SWAPCTL_SYSROOT=$FX/$f "$SWAPINFO" "$@"; }
# same NAME: stdout is exactly $T/want
same() {
	if cmp -s "$T/out" "$T/want"; then ok "$1"
	else nok "$1"; diff "$T/want" "$T/out" | sed 's/^/#   /'; fi
}
# json_ok NAME PYTHON-EXPR: the last stdout parses as JSON and EXPR (on j) holds
json_ok() {
	if python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
		"$T/out" "$2" 2>"$T/pyerr"; then ok "$1"
	else nok "$1"; sed 's/^/#   /' "$T/pyerr"; show_out; fi
}

# Prometheus text format: HELP/TYPE before the samples of a family, each
# family once, names and labels well-formed, values numbers or +Inf.
cat >"$T/promcheck.py" <<'EOF'
import re, sys
name_re = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
sample_re = re.compile(r'^(' + name_re + r')(\{(' + r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"' +
                       r'(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? (\S+)$')
typed, seen, done, samples = {}, set(), set(), {}
cur = None
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip('\n')
    m = re.match(r'^# (HELP|TYPE) (' + name_re + r') (.+)$', line)
    if m:
        if m.group(2) != cur:
            if m.group(2) in done:
                sys.exit('%d: family %s appears twice' % (n, m.group(2)))
            if cur:
                done.add(cur)
            cur = m.group(2)
        if m.group(1) == 'TYPE':
            if m.group(3) not in ('gauge', 'counter'):
                sys.exit('%d: bad type %s' % (n, m.group(3)))
            typed[cur] = m.group(3)
        continue
    m = sample_re.match(line)
    if not m:
        sys.exit('%d: not a sample: %r' % (n, line))
    if m.group(1) != cur or cur not in typed:
        sys.exit('%d: sample of %s outside its family' % (n, m.group(1)))
    v = m.group(4)
    if v != '+Inf':
        float(v)
    if typed[cur] == 'counter' and not cur.endswith('_total'):
        sys.exit('%d: counter %s without _total' % (n, cur))
    key = m.group(1) + (m.group(2) or '')
    if key in samples:
        sys.exit('%d: duplicate sample %s' % (n, key))
    samples[key] = v
for want in sys.argv[2:]:
    k, v = want.rsplit(' ', 1)
    if samples.get(k) != v:
        sys.exit('expected %s %s, got %s' % (k, v, samples.get(k)))
EOF
prom_ok() {
	local name=$1; shift
	if python3 "$T/promcheck.py" "$T/out" "$@" 2>"$T/pyerr"; then ok "$name"
	else nok "$name"; sed 's/^/#   /' "$T/pyerr"; fi
}

# ---------------------------------------------------------------- areas
si noswap >"$T/out" 2>"$T/err"; rc=$?
echo "Device          1K-blocks     Used    Avail Capacity" >"$T/want"
[ $rc -eq 0 ] && ok "no swap: exit 0" || nok "no swap: exit $rc"
same "no swap: the header alone, as FreeBSD's swapinfo"

si partition >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
Device          1K-blocks     Used    Avail Capacity
/dev/sda2         2097148   262144  1835004    13%
EOF
same "one partition: FreeBSD layout, no Total row"

# swapctl -l: NetBSD's layout, byte for byte (swaplist.c's printf formats)
SWAPCTL_SYSROOT=$FX/partition "$SWAPCTL" -l >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
Device      512-blocks     Used    Avail Capacity  Priority
/dev/sda2      4194296   524288  3670008    13%    -2
EOF
same "swapctl -l: NetBSD's layout"
SWAPCTL_SYSROOT=$FX/partition "$SWAPCTL" -l -k >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
Device      1K-blocks     Used    Avail Capacity  Priority
/dev/sda2     2097148   262144  1835004    13%    -2
EOF
same "swapctl -l -k: the header sets the width"
SWAPCTL_SYSROOT=$FX/partition "$SWAPCTL" -s >"$T/out" 2>"$T/err"
echo "total: 4194296 blocks allocated, 524288 blocks used, 3670008 blocks available" >"$T/want"
same "swapctl -s: NetBSD's sentence"

si files >"$T/out" 2>"$T/err"
printf '%s\n' \
	'Device          1K-blocks     Used    Avail Capacity' \
	'/var/swap file    1048572     4096  1044476     0%' \
	'/swapfile (deleted)    524284   131072   393212    25%' \
	'/data/back\slash\x09tab    262140        0   262140     0%' \
	'Total             1834996   135168  1699828     7%' >"$T/want"
same "files: escapes decoded, (deleted) kept, Total row"
SWAPCTL_SYSROOT=$FX/files "$SWAPCTL" -l >"$T/out" 2>"$T/err"
printf '%s\n' \
	'Device                  512-blocks     Used    Avail Capacity  Priority' \
	'/var/swap file             2097144     8192  2088952     0%    -2' \
	'/swapfile (deleted)        1048568   262144   786424    25%    -3' \
	'/data/back\slash\x09tab     524280        0   524280     0%    10' \
	'Total                      3669992   270336  3399656     7%' >"$T/want"
same "swapctl -l: the path column as wide as the longest path, a tab escaped"
si files --json >"$T/out" 2>"$T/err"
json_ok "files --json: names decoded exactly, no Total row" \
	'[d["device"] for d in j["devices"]] == ["/var/swap file", "/swapfile (deleted)", "/data/back\\slash\ttab"]'

si many >"$T/out" 2>"$T/err"
check "30 areas: 30 rows and a Total row" test "$(grep -c . "$T/out")" -eq 32
awk 'NR > 1 && $1 != "Total" { s += $2; u += $3; a += $4 } $1 == "Total" { ts = $2; tu = $3; ta = $4 }
     END { exit !(s == ts && u == tu && a == ta && s > 0) }' "$T/out" &&
	ok "30 areas: Total is the sum of the rows" || { nok "30 areas: Total is the sum of the rows"; show_out; }
si many --json >"$T/json" 2>"$T/err"
si many --raw --noheadings >"$T/out" 2>"$T/err"
python3 - "$T/json" "$T/out" <<'EOF' && ok "30 areas: --json agrees with the table" || nok "30 areas: --json agrees with the table"
import json, sys
j = json.load(open(sys.argv[1]))["devices"]
rows = [l.split() for l in open(sys.argv[2]) if not l.startswith("Total")]
assert len(j) == 30 == len(rows)
for d, r in zip(j, rows):
    # JSON in bytes, the table in 1K-blocks
    assert [d["device"], str(d["size"] // 1024), str(d["used"] // 1024), str(d["avail"] // 1024), str(d["capacity"]) + "%"] == r, (d, r)
EOF
si many --noheadings -o DEVICE >"$T/out" 2>"$T/err"
check "--noheadings -o DEVICE: 30 names, data rows only (no Total)" test "$(wc -l <"$T/out")" -eq 30 -a "$(head -1 "$T/out")" = /swap/file00 -a "$(grep -c "^Total" "$T/out")" -eq 0
si many --raw >"$T/out" 2>"$T/err"
check "--raw: a header and 30 data rows, no Total" sh -c "test \$(wc -l <'$T/out') -eq 31 && ! grep -q '^Total' '$T/out'"
si many >"$T/out" 2>"$T/err"
check "the table itself ends with FreeBSD's Total row" sh -c "tail -1 '$T/out' | grep -q '^Total '"

# ---------------------------------------------------------------- units
for u in "-k 1K-blocks 2097148" "-m 1M-blocks 2047" "-g 1G-blocks 1" "-h Size 2.0G" "--bytes Bytes 2147479552"; do
	set -- $u
	si partition "$1" >"$T/out" 2>"$T/err"
	expect_out "^Device +$2 +Used" "$1: header $2"
	expect_out "^/dev/sda2 +$3 " "$1: size $3"
done
BLOCKSIZE=512 si partition >"$T/out" 2>"$T/err"
expect_out "^/dev/sda2 +4194296 +524288 " "BLOCKSIZE=512: 512-blocks"
expect_out "^Device +512-blocks" "BLOCKSIZE=512: header 512-blocks"
BLOCKSIZE=1M si partition >"$T/out" 2>"$T/err"
expect_out "^Device +1M-blocks" "BLOCKSIZE=1M: header 1M-blocks"
BLOCKSIZE=1M si partition -k >"$T/out" 2>"$T/err"
expect_out "^Device +1K-blocks" "-k wins over BLOCKSIZE"
si partition -h --json >"$T/out" 2>"$T/err"
json_ok "-h with --json gives bytes (numbers)" 'j["devices"][0]["size"] == 2147479552'

# ----------------------------------------------------------------- long
si partition -l >"$T/out" 2>"$T/err"
expect_out "^/dev/sda2 .* partition +-2 +\? +\? +QEMU HARDDISK +1$" \
	"-l: type, priority, model, rotational from sysfs; label and UUID unknown (no copy of the device): ?"
expect_out "Type +Priority +Label +UUID +Backing +Model +Rota$" "-l: the added headers"
si zram -l --json >"$T/out" 2>"$T/err"
json_ok "-l: a zram area, not rotational" 'j["devices"][0]["type"] == "zram" and j["devices"][0]["rota"] == 0'
si files -l --json >"$T/out" 2>"$T/err"
json_ok "-l: files are of type file, rotational does not apply" \
	'all(d["type"] == "file" and d["rota"] is None for d in j["devices"])'

# ------------------------------------------------------------------ all
si inactive -a >"$T/out" 2>"$T/err"
expect_out "^/dev/sda2 +2097148 +0 +2097148 +0% active +/dev/sda2$" "-a: the active area, in fstab"
expect_out "^/dev/sda3 +36 +- +- +- inactive +UUID=3f6c9f0e-1d2b-4c3a-9e8f-000000000003, LABEL=spare$" \
	"-a: an inactive partition found by libblkid, fstab names it twice"
expect_out "^/dev/sda4 +36 +- +- +- hibernation +-$" "-a: a hibernation image"
expect_out "^/var/swapfile +36 .* inactive +/var/swapfile$" "-a: an inactive swap file from fstab"
expect_out "^/missing.swap +- .* missing +/missing.swap$" "-a: a missing fstab file"
expect_out "^LABEL=gone +- .* missing +LABEL=gone$" "-a: a missing fstab label"
check_not "-a: no signature, a partitioned disk and an empty loop are not listed" grep -qE "^/dev/(sda1|sda|loop0) " "$T/out"
check "-a: no Total row with one active area" test "$(grep -c '^Total' "$T/out")" -eq 0
si inactive -l -o DEVICE,LABEL,UUID --raw --noheadings >"$T/out" 2>"$T/err"
expect_out "^/dev/sda2 primary 3f6c9f0e-1d2b-4c3a-9e8f-000000000002$" "-l: the active area's label and UUID from its copy in the tree"
si partition -l --json >"$T/out" 2>"$T/err"
json_ok "-l --json: a label that cannot be read is null" 'j["devices"][0]["label"] is None and j["devices"][0]["uuid"] is None'
si inactive -a -l --json >"$T/out" 2>"$T/err"
json_ok "-a -l --json: states, labels, UUIDs" \
	'[d["state"] for d in j["devices"]] == ["active", "inactive", "hibernation", "inactive", "missing", "missing"] and j["devices"][1]["label"] == "spare" and j["devices"][2]["uuid"] == "3f6c9f0e-1d2b-4c3a-9e8f-000000000004" and j["devices"][4]["size"] is None'
printf '/dev/sda3 none swap sw 0 0\n' >"$T/fstab"
si inactive -a -F "$T/fstab" -o DEVICE,STATE,FSTAB >"$T/out" 2>"$T/err"
expect_out "^/dev/sda3 +inactive +/dev/sda3$" "-a -F: another fstab"
check_not "-a -F: /etc/fstab of the tree not read" grep -q missing "$T/out"

# NAME is util-linux's name for DEVICE: -o takes it in any case, also as
# +NAME, in swapinfo and swapctl -l; headers and JSON keys stay DEVICE's.
# The zram table has a NAME of its own, which stays the zram device's.
si inactive -l -o name,Label --raw --noheadings >"$T/out" 2>"$T/err"
expect_out "^/dev/sda2 primary$" "-o name,Label: NAME is the DEVICE column"
si partition -o NAME,USED >"$T/out" 2>"$T/err"
expect_out "^Device +Used$" "-o NAME: headed Device, as DEVICE is"
si partition -o +Name --json >"$T/out" 2>"$T/err"
json_ok "-o +Name --json: the default columns once, keyed device" \
	'list(j["devices"][0]) == ["device", "size", "used", "avail", "capacity"]'
si zram -s -l -o NAME,USED --raw --noheadings >"$T/out" 2>"$T/err"
expect_out "^/dev/zram0 [0-9]+$" "-s -l -o NAME: the device table's DEVICE"
expect_out "^zram0$" "-s -l -o NAME: the zram table's own NAME"
sc() { local f=$1; shift; SWAPCTL_SYSROOT=$FX/$f "$SWAPCTL" "$@"; }
sc partition -l -o Name,PRIO >"$T/out" 2>"$T/err"
expect_out "^DEVICE +PRIO$" "swapctl -l -o Name: headed DEVICE"
expect_out "^/dev/sda2 +-2$" "swapctl -l -o Name: the area's path"
sc partition -l -o +NAME,name,DEVICE --json >"$T/out" 2>"$T/err"
json_ok "swapctl -l -o +NAME,name,DEVICE --json: one device key, the defaults" \
	'list(j["devices"][0]) == ["device", "size", "used", "avail", "capacity", "prio"]'
"$SWAPINFO" --help >"$T/out" 2>"$T/err"
expect_out "^  NAME +DEVICE under util-linux's name$" "swapinfo --help names the alias"
"$SWAPCTL" --help >"$T/out" 2>"$T/err"
expect_out "^   NAME +DEVICE under util-linux's name$" "swapctl --help names the alias"

# -------------------------------------------------------------- summary
si zswap -s --sample 0 -o ZSWAP,ZSWAP-COMP,ZSWAP-POOL,ZSWAP-STORED,ZSWAP-RATIO,SWAPOUT,ZSWAPWB,INTERVAL >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
FIELD          VALUE UNIT        DESCRIPTION
ZSWAP            yes             zswap on (/sys/module/zswap/parameters/enabled)
ZSWAP-COMP      zstd             zswap compressor (parameters/compressor)
ZSWAP-POOL    102400 1K-blocks   zswap pool, compressed (meminfo Zswap)
ZSWAP-STORED  409600 1K-blocks   held by zswap, uncompressed (meminfo Zswapped)
ZSWAP-RATIO     4.00             stored / pool
SWAPOUT         52.4 1K-blocks/s swapped out per second (vmstat pswpout)
ZSWAPWB         52.4 1K-blocks/s zswap writeback per second (vmstat zswpwb)
INTERVAL     10000.0 seconds     seconds the rates cover
EOF
same "-s zswap: state, pool, stored, ratio, rates since boot"
si partition -s --sample 0 --json >"$T/out" 2>"$T/err"
json_ok "-s --json: one object, numbers, PSI" \
	'len(j) == 1 and len(j["summary"]) == 1 and j["summary"][0]["swap"] == 2097148 * 1024 and j["summary"][0]["swap-used"] == 262144 * 1024 and j["summary"][0]["psi-some-10"] == 1.25 and j["summary"][0]["psi-full-300"] == 0.07 and j["summary"][0]["areas"] == 1 and j["summary"][0]["zswap"] is False'
si zram -s --sample 0 >"$T/out" 2>"$T/err"
expect_out "^NAME +ALGORITHM +DISKSIZE +ORIG +COMPR +RATIO +MEMUSED +SAME +HUGE +BACKING +WRITEBACK$" \
	"-s zram: the zram table, writeback columns as a backing device is set"
expect_out "^zram0 +zstd +4194304 +1048576 +262144 +4.00 +278528 +12345 +2048 +/dev/vdb1 +32768$" \
	"-s zram: mm_stat and bd_stat values"
check_not "-s zram: the uninitialised zram1 is not listed" grep -q zram1 "$T/out"
si zram -s --sample 0 --json -o NAME,ORIG,MEMLIMIT,RATIO,SWAP >"$T/out" 2>"$T/err"
json_ok "-s --json: summary and zram in one object, -o split between them" \
	'list(j) == ["summary", "zram"] and j["summary"][0] == {"swap": 4194300 * 1024} and j["zram"][0] == {"name": "zram0", "orig": 1048576 * 1024, "memlimit": "max", "ratio": 4.00}'
si noswap -s --sample 0 -o ZSWAP-RATIO,SWAP >"$T/out" 2>"$T/err"
expect_out "^ZSWAP-RATIO +- " "-s: no ratio of an empty zswap pool"
si noswap -s >"$T/out" 2>"$T/err"
expect_out "^INTERVAL +1.0 seconds" "-s: the first rates are sampled over 1 s by default"
si noswap -s -o SWAP >"$T/out" 2>"$T/err"
check_not "-s: no zram table without zram devices" grep -q NAME "$T/out"

# -------------------------------------------------------------- processes
si procs -P >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
  PID USER       SWAP    RSS /dev/sda2 COMMAND
  310 postgres 409600 204800         ? postgres
  311 postgres 102400  51200         ? postgres
  420 alice     65536 800000         ? firefox
  421 alice     20480 300000         ? Web Content
    1 root       1024  12000         ? systemd
  700 4242       1000   2000         ? ghost
  500 legacy        ?   1000         ? old-kernel
EOF
same "-P: by VmSwap, unknown last as ?, kernel threads and zombies left out; a column per area, ? without pagemap"
si pagemap-noroot -P >"$T/out" 2>"$T/err"
expect_out "^ +100 root +40 +12000 +\? worker$" "-P, pagemap as the unprivileged see it: the area column is ?, never 0"
expect_out "^ +101 root +0 +12000 +0 idle$" "-P: no swap at all is 0 on every area"
expect_err "to root only .*per-area figures are unknown" "-P: one warning says why the areas are unknown"
si pagemap-noroot -P -n 0 --raw --noheadings -o PID,AREA,PAGES,MAPPING >"$T/out" 2>"$T/err"
check "-P long form unprivileged: a row with ? pages and mapping unknown" grep -qx "100 /dev/vdb ? unknown" "$T/out"
si pagemap-noswap -P >"$T/out" 2>"$T/err"
check_not "-P without swap areas: no area column" grep -q /dev "$T/out"
check "-P without swap areas: no warning" test ! -s "$T/err"
si procs -P -n 2 --noheadings -o PID >"$T/out" 2>"$T/err"
check "-P -n 2: the top 2" test "$(tr -d ' \n' <"$T/out")" = 310311
si procs -P -x -o PID,SWAPPSS,SMAPSSWAP,ARGS >"$T/out" 2>"$T/err"
expect_out "^ +310 +102400 +409600 postgres: writer$" "-P -x: SwapPss, smaps Swap, command line"
expect_out "^ +420 +\? +\? /usr/lib/firefox/firefox$" "-P -x: an unreadable smaps_rollup is ?, never 0"
expect_err "SwapPss of 2 processes could not be read" "-P -x: one warning about the unreadable ones"
si procs -P -x --json >"$T/out" 2>"$T/err"
json_ok "-P -x --json: unknown is null" \
	'[p["swappss"] for p in j["processes"]] == [x if x is None else x * 1024 for x in (102400, 30000, None, 20480, 1024, 1000, None)] and j["processes"][6]["swap"] is None'
si procs -U >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
USER       UID PROCS   SWAP     RSS
postgres  1001     2 512000  256000
alice     1000     2  86016 1100000
root         0     1   1024   12000
4242      4242     1   1000    2000
legacy    1002     1      ?    1000
EOF
same "-U: sums per user, a sum of nothing readable is ?"
si procs -U -x -n 2 -o USER,SWAPPSS,PSSUNREAD >"$T/out" 2>"$T/err"
expect_out "^alice +20480 +1$" "-U -x: SwapPss summed, the unreadable one counted"
check "-U -x -n 2: two users" test "$(grep -c . "$T/out")" -eq 3
si procs -x -n 1 --noheadings -o PID >"$T/out" 2>"$T/err"
check "-x alone implies -P" test "$(tr -d ' \n' <"$T/out")" = 310

# VmSwap must be read without smaps; -x reads smaps_rollup of the listed only
# (LeakSanitizer cannot run under ptrace: off for these runs)
trace() { ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 SWAPCTL_SYSROOT=$FX/procs strace -f -qq -e trace=open,openat -o "$T/trace" "$SWAPINFO" "$@" >/dev/null 2>&1; }
if trace -P -U -n 0; then
	check_not "-P -U: no smaps or smaps_rollup opened without -x" grep -q smaps "$T/trace"
	check "-P -U: each of the 9 status files read once" test "$(grep -c '/status"' "$T/trace")" -eq 9
else
	nok "strace cannot run swapinfo (setup.sh installs strace)"
fi
trace -P -x -n 2
check "-P -x -n 2: smaps_rollup of the 2 listed processes only" \
	test "$(grep -o '[0-9]*/smaps_rollup' "$T/trace" | sort | tr '\n' ' ')" = "310/smaps_rollup 311/smaps_rollup "
check_not "-P -x: never the full smaps" grep -q '/smaps"' "$T/trace"

# --------------------------------------------------------------- cgroups
si cgroup-v1 -G >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
CGROUP                      SWAP    MEM MEMMAX   MEMSW MEMSWMAX PROCS
/                         200000 921600    max 1121600      max     2
/batch                    102400  65536  65536  167936      max     1
/system.slice              51200 307200    max  358400      max     0
/system.slice/db.service   49152 256000 262144  305152   524288     2
/system.slice/web.service   2048  51200    max   53248      max     1
EOF
same "-G v1: total_swap of memory.stat, memsw, limits"
si cgroup-v1-noacct -G -o CGROUP,SWAP,MEMSW,SWAPMAX >"$T/out" 2>"$T/err"
expect_out "^/job +\? +\? +-$" "-G v1 without swap accounting: ?, and swap.max does not apply"
si cgroup-v2 -G -m >"$T/out" 2>"$T/err"
cat >"$T/want" <<'EOF'
CGROUP                           SWAP SWAPMAX    MEM MEMMAX PROCS
/system.slice                     200     max    800    max     0
/system.slice/postgresql.service  180    1024    700   1024     3
/user.slice                        92     max    300    max     0
/user.slice/user-1000.slice        92     512    300    max     1
EOF
same "-G v2: swap.current, swap.max; groups without memory left out"
si cgroup-v2 -G --json -o CGROUP,SWAP,SWAPMAX,MEMSW -n 2 >"$T/out" 2>"$T/err"
json_ok "-G --json: limits as the kernel writes them, v1 columns null" \
	'j["cgroups"] == [{"cgroup": "/system.slice", "swap": 204800 * 1024, "swapmax": "max", "memsw": None}, {"cgroup": "/system.slice/postgresql.service", "swap": 184320 * 1024, "swapmax": str(1048576 * 1024), "memsw": None}]'

# ------------------------------------------------------------ several
si procs -P -U -n 1 --json -o PID,USER >"$T/out" 2>"$T/err"
json_ok "-P -U --json: one object, both tables" \
	'j == {"processes": [{"pid": 310, "user": "postgres"}], "users": [{"user": "postgres"}]}'
si procs -P -U -n 1 -o PID >"$T/out" 2>"$T/err"
check "-o naming only a process column: the user report is not shown" test "$(grep -c . "$T/out")" -eq 2

# ------------------------------------------------------------ prometheus
si zram --prometheus >"$T/out" 2>"$T/err"
prom_ok "--prometheus zram: well-formed, values in bytes" \
	'swapctl_swap_area_size_bytes{device="/dev/zram0",type="zram"} 4294963200' \
	'swapctl_swap_area_used_bytes{device="/dev/zram0",type="zram"} 1073741824' \
	'swapctl_swap_in_bytes_total 3686400000' \
	'swapctl_zram_original_bytes{device="zram0"} 1073741824' \
	'swapctl_zram_memory_limit_bytes{device="zram0"} +Inf' \
	'swapctl_zram_writeback_bytes{device="zram0"} 33554432' \
	'swapctl_zram_compression_ratio{device="zram0"} 4'
si partition --prometheus >"$T/out" 2>"$T/err"
prom_ok "--prometheus: PSI as ratios and seconds" \
	'swapctl_memory_pressure_ratio{kind="some",window="10s"} 0.0125' \
	'swapctl_memory_pressure_stalled_seconds_total{kind="full"} 1.234567' \
	'swapctl_swap_area_priority{device="/dev/sda2",type="partition"} -2'
si files --prometheus -l >"$T/out" 2>"$T/err"
prom_ok "--prometheus: label values escaped" \
	'swapctl_swap_area_info{device="/data/back\\slash	tab",type="file",state="active",label="",uuid="",backing="",deleted="0"} 1' \
	'swapctl_swap_area_info{device="/swapfile",type="file",state="active",label="",uuid="",backing="",deleted="1"} 1'
si procs --prometheus -P -U -x >"$T/out" 2>"$T/err"
prom_ok "--prometheus -P -U -x: unknown values are left out" \
	'swapctl_process_swap_bytes{pid="310",user="postgres",command="postgres"} 419430400' \
	'swapctl_user_swap_pss_bytes{user="alice",uid="1000"} 20971520'
check_not "--prometheus: no sample for an unknown VmSwap" grep -q 'process_swap_bytes{pid="500"' "$T/out"
si cgroup-v1 --prometheus -G >"$T/out" 2>"$T/err"
prom_ok "--prometheus -G v1: memsw, unlimited is +Inf" \
	'swapctl_cgroup_swap_bytes{cgroup="/system.slice/db.service"} 50331648' \
	'swapctl_cgroup_memsw_max_bytes{cgroup="/"} +Inf'
si inactive --prometheus -a >"$T/out" 2>"$T/err"
prom_ok "--prometheus -a: states in the info metric" \
	'swapctl_swap_area_info{device="/dev/sda4",type="partition",state="hibernation",label="resume",uuid="3f6c9f0e-1d2b-4c3a-9e8f-000000000004",backing="",deleted="0"} 1'
si partition --prometheus="$T/swap.prom" >"$T/out" 2>"$T/err"
check "--prometheus=FILE: written, nothing on stdout, no temporary left" \
	test -s "$T/swap.prom" -a ! -s "$T/out" -a "$(ls "$T" | grep -c 'swap.prom')" -eq 1

# ----------------------------------------------------------------- repeat
start=$(date +%s%N)
si partition -i 0.2 3 >"$T/out" 2>"$T/err"
end=$(date +%s%N)
check "-i 0.2 3: three reports" test "$(grep -c '^Device' "$T/out")" -eq 3
check "-i 0.2 3: separated by blank lines" test "$(grep -c '^$' "$T/out")" -eq 2
check "-i 0.2 3: about 0.4 s" test $(((end - start) / 1000000)) -ge 350
si partition -s -i 0.2 2 -o INTERVAL >"$T/out" 2>"$T/err"
check "-s -i: the second report's rates cover the interval" grep -qE '^INTERVAL +0\.2 seconds' "$T/out"

# ------------------------------------------------------------- errors
expect_exit 1 "unknown option" si partition -Z
expect_exit 1 "unknown column" si partition -o BOGUS
expect_err "^swapinfo: -o: unknown column 'BOGUS'" "unknown column: one line naming it"
expect_exit 1 "a process column without -P" si partition -o PID
expect_exit 1 "-i 0" si partition -i 0
expect_exit 1 "COUNT without -i" si partition 3
expect_exit 1 "-F without -a" si partition -F /etc/fstab
expect_exit 1 "--json with --raw" si partition --json --raw
expect_exit 1 "--prometheus with --json" si partition --prometheus --json
expect_exit 1 "-n without a list report" si partition -n 3
expect_exit 1 "-n with junk" si procs -P -n x
expect_exit 2 "-G without a memory controller" si noswap -G
expect_err "^swapinfo: /sys/fs/cgroup: no memory controller" "-G: one line, the object and the reason"
mkdir -p "$T/noproc" "$T/nomem/proc"
expect_exit 2 "without /proc/swaps" env SWAPCTL_SYSROOT="$T/noproc" "$SWAPINFO"
expect_err "^swapinfo: /proc/swaps: No such file or directory" "no /proc/swaps: named, not 'no swap'"
cp "$srcdir/tests/fixtures/sysroot/noswap/proc/swaps" "$T/nomem/proc/"
expect_exit 2 "-s without /proc/meminfo" env SWAPCTL_SYSROOT="$T/nomem" "$SWAPINFO" -s --sample 0
expect_err "^swapinfo: /proc/meminfo: No such file or directory$" "-s: the missing file named"
expect_exit 2 "-a with an fstab that is not there" si inactive -a -F "$T/nonexistent"
expect_exit 1 "a malformed fstab" si inactive -a -F "$srcdir/tests/fixtures/sysroot/procs/etc/passwd"
expect_err "passwd:1: malformed line" "a malformed fstab: its line named"
expect_exit 0 "--help" si partition --help
expect_out "Columns of the cgroup report" "--help lists the columns"
