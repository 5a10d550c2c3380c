# swapinfo on the real system: loop and file swap areas of our own, a memory
# hog pushed into swap inside a memory cgroup of 64 MiB, and (when the
# kernel has it) a zram device.  swapinfo's numbers must match /proc/swaps,
# swapon --show --bytes, the hog's VmSwap and SwapPss, the cgroup's files
# and zram's mm_stat; --json must agree with the table.
#
# Other tests may change swap while this one runs, so a comparison takes
# /proc/swaps before and after swapinfo and retries until both agree.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"
unset BLOCKSIZE
ZRAM=

# zram first: the hogs must die before swapoff, and swapoff before removal.
zram_cleanup() {
	local x
	for x in ${_pids[@]+"${_pids[@]}"}; do kill -KILL "$x" 2>/dev/null; wait "$x" 2>/dev/null; done
	if [ -n "$ZRAM" ]; then
		grep -q "^/dev/zram$ZRAM " /proc/swaps && swapoff "/dev/zram$ZRAM"
		echo 1 >"/sys/block/zram$ZRAM/reset" 2>/dev/null
		echo "$ZRAM" >/sys/class/zram-control/hot_remove 2>/dev/null
	fi
	# lib.sh finds active areas by their raw name; /proc/swaps escapes blanks
	grep -qF "$T/sw\\040file " /proc/swaps && swapoff "$T/sw file"
	cleanup
}
trap zram_cleanup EXIT

# retry NAME CMD...: CMD passes once within 5 tries (swap state can move)
retry() {
	local name=$1 i; shift
	for i in 1 2 3 4 5; do
		if "$@" >"$T/out" 2>"$T/err"; then ok "$name"; return; fi
		sleep 0.2
	done
	nok "$name"; show_out
}

# retry_stable NAME CMD...: CMD exits 0 (agrees), 1 (wrong) or 3 (what it
# compares moved while swapinfo read it: other processes swap into our areas
# too).  Exact when a try is stable; when none of 10 is, CMD runs once more
# with BOUNDS=1 and checks what cannot move (sizes, priorities, sums, bounds).
retry_stable() {
	local name=$1 rc; shift
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		"$@" >"$T/out" 2>"$T/err"; rc=$?
		case $rc in
		0) ok "$name"; return ;;
		3) sleep 0.2 ;;
		*) nok "$name"; show_out; return ;;
		esac
	done
	if BOUNDS=1 "$@" >"$T/out" 2>"$T/err"; then ok "$name (swap moved in every try: bounds checked)"
	else nok "$name"; show_out; fi
}

# -------------------------------------------------------------- areas
truncate -s 256M disk
mkswap -L silive disk >/dev/null 2>&1 || { nok "mkswap disk"; exit 1; }
mkloop disk; DISK=$LOOP
activate "$DISK" -p 32000 || { nok "swapon $DISK"; exit 1; }
dd if=/dev/zero of="sw file" bs=1M count=32 status=none
chmod 600 "sw file"
mkswap "sw file" >/dev/null 2>&1
activate "$T/sw file" -p 31999 || { nok "swapon sw file"; exit 1; }
truncate -s 16M idle
mkswap -L siidle idle >/dev/null 2>&1
mkloop idle; IDLE=$LOOP

# A hog of 128 MiB in a cgroup of 64 MiB: half of it goes to swap.
cat >hog.py <<'EOF'
import signal, sys
n = int(sys.argv[1]) << 20
b = bytearray(n)
for i in range(0, n, 4096):      # every page its own, compressible content
    b[i] = (i >> 12) % 251 + 1
    b[i + 8] = 7
print("ready", flush=True)
signal.pause()
EOF
mkcgroup
if [ "$CGV" = 1 ]; then
	echo $((64 << 20)) >"$CG/memory.limit_in_bytes"
else
	echo $((64 << 20)) >"$CG/memory.max"
	echo max >"$CG/memory.swap.max" 2>/dev/null
fi
# start_hog MIB: a hog in $CG, stopped once ready; its PID in $HOG
start_hog() {
	rm -f hog.out
	(echo "$BASHPID" >"$CG/cgroup.procs" && exec python3 hog.py "$1") >hog.out 2>&1 &
	HOG=$!
	remember_pid "$HOG"
	for _ in $(seq 150); do grep -q ready hog.out 2>/dev/null && break; sleep 0.1; done
	grep -q ready hog.out || { nok "the hog did not start"; cat hog.out; exit 1; }
	kill -STOP "$HOG"
}
start_hog 128
vmswap() { awk '/^VmSwap:/ { print $2 * 1024 }' "/proc/$1/status"; }
HOGSWAP=$(vmswap "$HOG")
check "the hog is in swap (VmSwap $HOGSWAP bytes)" test "$HOGSWAP" -ge $((32 << 20))

# /proc/swaps as name size used prio, names decoded, sizes in bytes
cat >procswaps.py <<'EOF'
import re, sys
def swaps():
    rows = {}
    for l in open('/proc/swaps').read().splitlines()[1:]:
        name, typ, size, used, prio = l.rsplit(None, 4)
        name = re.sub(r'\\([0-7]{3})', lambda m: chr(int(m.group(1), 8)), name.strip())
        rows[name] = (int(size) * 1024, int(used) * 1024, int(prio))
    return rows
EOF

# ------------------------------------------------ against /proc/swaps
# Only our own areas are compared: other tests add and remove theirs.
cmp_json() {
	python3 - "$SWAPINFO" "$DISK" "$T/sw file" <<'EOF'
import json, os, subprocess, sys
sys.path.insert(0, '.')
from procswaps import swaps
mine = sys.argv[2:]
a = swaps()
j = json.loads(subprocess.run([sys.argv[1], '--bytes', '--json', '-l'], capture_output=True, text=True, check=True).stdout)
b = swaps()
got = {d['device'].removesuffix(' (deleted)'): (d['size'], d['used'], d['prio']) for d in j['devices']}
print(a, got)
if os.environ.get('BOUNDS'):
    sys.exit(0 if all(got[m][0] == a[m][0] and got[m][2] == a[m][2] and 0 <= got[m][1] <= got[m][0] for m in mine) else 1)
if any(a[m] != b[m] for m in mine):
    sys.exit(3)
sys.exit(0 if all(a[m] == got[m] for m in mine) else 1)
EOF
}
retry_stable "--json: our areas' size, used and priority as /proc/swaps says" cmp_json

cmp_text() {
	python3 - "$SWAPINFO" "$DISK" "$T/sw file" <<'EOF'
import os, subprocess, sys
sys.path.insert(0, '.')
from procswaps import swaps
mine = sys.argv[2:]
a = swaps()
out = subprocess.run([sys.argv[1], '-k', '--raw', '--noheadings', '-o', 'DEVICE,SIZE,USED,AVAIL'],
                     capture_output=True, text=True, check=True).stdout
b = swaps()
rows = [l.split() for l in out.splitlines()]
got = {}
for r in rows:
    if r[0] != 'Total':
        got[r[0].replace('\\x20', ' ')] = (int(r[1]) * 1024, int(r[2]) * 1024)
        assert int(r[3]) == int(r[1]) - int(r[2]), r
tot = [r for r in rows if r[0] == 'Total']
print(a, got, tot)
# --raw --noheadings: data rows only, never the Total row (the plain
# report's Total is checked against exact text in swapinfo-fixtures)
assert not tot, tot
if os.environ.get('BOUNDS'):
    sys.exit(0 if all(got[m][0] == a[m][0] and 0 <= got[m][1] <= got[m][0] for m in mine) else 1)
if any(a[m] != b[m] for m in mine):
    sys.exit(3)
sys.exit(0 if all(got[m] == a[m][:2] for m in mine) else 1)
EOF
}
retry_stable "table: 1K-blocks and Avail of our areas as /proc/swaps says, no Total row with --raw" cmp_text

cmp_swapon() {
	python3 - "$SWAPINFO" "$DISK" "$T/sw file" <<'EOF'
import json, os, subprocess, sys
def show():
    out = subprocess.run(['swapon', '--show=NAME,SIZE,USED,PRIO', '--bytes', '--raw', '--noheadings'],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for l in out.splitlines():
        name, size, used, prio = l.rsplit(' ', 3)
        rows[name.encode().decode('unicode_escape')] = (int(size), int(used), int(prio))
    return rows
mine = sys.argv[2:]
a = show()
j = json.loads(subprocess.run([sys.argv[1], '--bytes', '--json', '-l'], capture_output=True, text=True, check=True).stdout)
b = show()
got = {d['device']: (d['size'], d['used'], d['prio']) for d in j['devices']}
print(a, got)
if os.environ.get('BOUNDS'):
    sys.exit(0 if all(got[m][0] == a[m][0] and got[m][2] == a[m][2] for m in mine) else 1)
if any(a[m] != b[m] for m in mine):
    sys.exit(3)
sys.exit(0 if all(a[m] == got[m] for m in mine) else 1)
EOF
}
retry_stable "--bytes: our areas as swapon --show --bytes shows them" cmp_swapon

"$SWAPINFO" -l --json >"$T/out" 2>"$T/err"
python3 - "$T/out" "$DISK" "$T/disk" "$T/sw file" <<'EOF' && ok "-l: loop device with backing file and label, file with a blank" || { nok "-l: loop and file details"; show_out; }
import json, sys
d = {x['device']: x for x in json.load(open(sys.argv[1]))['devices']}
loop, f = d[sys.argv[2]], d[sys.argv[4]]
assert loop['type'] == 'loop' and loop['backing'] == sys.argv[3] and loop['label'] == 'silive' and loop['prio'] == 32000, loop
assert f['type'] == 'file' and f['prio'] == 31999 and f['rota'] is None, f
EOF

# ------------------------------------------------------------ inactive
: >empty.fstab
"$SWAPINFO" -a -l --json -F empty.fstab >"$T/out" 2>"$T/err"
python3 - "$T/out" "$DISK" "$IDLE" <<'EOF' && ok "-a: our inactive loop device found by libudev + libblkid, the active one active" || { nok "-a: inactive area"; show_out; }
import json, sys
d = {x['device']: x for x in json.load(open(sys.argv[1]))['devices']}
assert d[sys.argv[2]]['state'] == 'active', d[sys.argv[2]]
i = d[sys.argv[3]]
assert i['state'] == 'inactive' and i['label'] == 'siidle' and i['type'] == 'loop' and i['used'] is None, i
assert i['size'] == 16380 * 1024, i   # JSON sizes are bytes
EOF
printf '%s none swap sw,pri=7 0 0\n%s/nowhere none swap sw 0 0\n' "$IDLE" "$T" >fstab
"$SWAPINFO" -a -F fstab -o DEVICE,STATE,FSTAB --raw --noheadings >"$T/out" 2>"$T/err"
expect_out "^$IDLE inactive $IDLE$" "-a -F: the inactive area named in fstab"
expect_out "^$T/nowhere missing $T/nowhere$" "-a -F: an fstab entry not found is missing"

# ------------------------------------------------------------ processes
cmp_procs() {
	local want got
	want=$(vmswap "$HOG")
	got=$("$SWAPINFO" -P -n 0 --bytes --raw --noheadings -o PID,SWAP | awk -v p="$HOG" '$1 == p { print $2 }')
	echo "VmSwap $want swapinfo $got"
	[ -n "$want" ] && [ "$want" = "$got" ]
}
retry "-P: the hog's swap is its VmSwap" cmp_procs
# other processes may swap more than the hog: look at the order, not the rank
"$SWAPINFO" -P -n 0 --bytes --raw --noheadings -o PID,SWAP >"$T/out" 2>"$T/err"
check "-P: the hog is listed and the list is sorted by swap, largest first" sh -c \
	"grep -q '^$HOG ' '$T/out' && awk '\$2 != \"?\"' '$T/out' | cut -d' ' -f2 | sort -n -r -c"
cmp_pss() {
	local want got
	want=$(awk '/^SwapPss:/ { print $2 * 1024 }' "/proc/$HOG/smaps_rollup")
	# -n 0: the hog need not be the top process (others may swap more)
	got=$("$SWAPINFO" -P -x -n 0 --bytes --raw --noheadings -o PID,SWAPPSS | awk -v p="$HOG" '$1 == p { print $2 }')
	echo "SwapPss $want swapinfo $got"
	[ -n "$want" ] && [ "$want" -gt 0 ] && [ "$want" = "$got" ]
}
retry "-P -x: the hog's SwapPss from smaps_rollup" cmp_pss
"$SWAPINFO" -P --json -n 0 >"$T/out" 2>"$T/err"
json_n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["processes"]))' "$T/out")
check "-P -n 0 --json: every process, as many as in /proc (give or take)" \
	test "$json_n" -ge 3 -a "$json_n" -le "$(ls -d /proc/[0-9]* | wc -l)"
cmp_user() {
	local got
	got=$("$SWAPINFO" -U -n 0 --bytes --raw --noheadings -o UID,SWAP | awk '$1 == 0 { print $2 }')
	echo "root $got hog $(vmswap "$HOG")"
	[ -n "$got" ] && [ "$got" -ge "$(vmswap "$HOG")" ]
}
retry "-U: root's sum includes the hog's swap" cmp_user

# ---------------------------------------------------------- unprivileged
chmod 755 "$T"
printf '%s none swap sw 0 0\n' "$IDLE" >fstab-u
chmod 644 fstab-u
"$SWAPINFO" >/dev/null          # let libtool's wrapper settle as root
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
nobody "$SWAPINFO" -a -F "$T/fstab-u" -o DEVICE,STATE --raw --noheadings >"$T/out" 2>"$T/err"
expect_out "^$IDLE \?$" "unprivileged -a: a device fstab names but nobody can read is ?, not missing"
cmp_nobody() {
	local want
	want=$(vmswap "$HOG")
	nobody "$SWAPINFO" -P -x -n 0 --bytes --raw --noheadings -o PID,SWAP,SWAPPSS >"$T/nb" 2>"$T/nberr"
	echo "want $HOG $want ?, got $(grep "^$HOG " "$T/nb")"
	[ "$(grep "^$HOG " "$T/nb")" = "$HOG $want ?" ] && grep -q "SwapPss of [0-9]* process.* could not be read" "$T/nberr"
}
retry "unprivileged -P -x: root's hog has its VmSwap, its SwapPss is ? (not 0) with a warning" cmp_nobody

# --------------------------------------------------------------- cgroups
rel=${CG#/sys/fs/cgroup}
[ "$CGV" = 1 ] && rel=${CG#/sys/fs/cgroup/memory}
cg_swap() {
	if [ "$CGV" = 1 ]; then
		awk '$1 == "total_swap" { print $2 }' "$CG/memory.stat"
	else
		cat "$CG/memory.swap.current"
	fi
}
cmp_cgroup() {
	local want got
	want=$(cg_swap)
	got=$("$SWAPINFO" -G -n 0 --bytes --raw --noheadings -o CGROUP,SWAP,MEMMAX,PROCS | awk -v c="$rel" '$1 == c')
	echo "cgroup $rel: file $want, swapinfo: $got"
	[ -n "$want" ] && [ "$want" -gt 0 ] && [ "$got" = "$rel $want $((64 << 20)) 1" ]
}
retry "-G: our cgroup's swap, limit and process, as cgroup v$CGV's files say" cmp_cgroup
"$SWAPINFO" -G -n 0 --bytes --json >"$T/out" 2>"$T/err"
python3 - "$T/out" "$rel" "$HOGSWAP" <<'EOF' && ok "-G --json: our cgroup, its swap at most the hog's (swap cache is memory)" || { nok "-G --json"; show_out; }
import json, sys
c = [x for x in json.load(open(sys.argv[1]))['cgroups'] if x['cgroup'] == sys.argv[2]][0]
assert 0 < c['swap'] <= int(sys.argv[3]) + (4 << 20), c
EOF

# --------------------------------------------------------------- summary
cmp_summary() {
	python3 - "$SWAPINFO" <<'EOF'
import json, os, subprocess, sys
def meminfo():
    return {l.split(':')[0]: int(l.split()[1]) * 1024 for l in open('/proc/meminfo')}
def areas():
    return len(open('/proc/swaps').read().splitlines()) - 1
a, na = meminfo(), areas()
j = json.loads(subprocess.run([sys.argv[1], '-s', '--sample', '0', '--bytes', '--json'],
                              capture_output=True, text=True, check=True).stdout)['summary'][0]
b, nb = meminfo(), areas()
print(j, a['SwapTotal'], na)
if a['MemTotal'] != j['ram'] or j['swap-used'] + j['swap-free'] != j['swap']:
    sys.exit(1)
if os.environ.get('BOUNDS'):
    sys.exit(0 if 0 <= j['swap-used'] <= j['swap'] and j['areas'] >= 2 else 1)
if a['SwapTotal'] != b['SwapTotal'] or na != nb:
    sys.exit(3)             # another test added or removed an area meanwhile
if j['swap'] != a['SwapTotal'] or j['areas'] != na:
    sys.exit(1)
used = lambda m: m['SwapTotal'] - m['SwapFree']
if used(a) != used(b):
    sys.exit(3)
sys.exit(0 if j['swap-used'] == used(a) else 1)
EOF
}
retry_stable "-s: swap total, used and areas as /proc/meminfo and /proc/swaps say" cmp_summary
"$SWAPINFO" -s -o SWAPOUT,INTERVAL --sample 0.3 >"$T/out" 2>"$T/err"
expect_out "^INTERVAL +0\.3 seconds" "-s --sample 0.3: rates over 0.3 s"
"$SWAPINFO" --prometheus >"$T/out" 2>"$T/err"
check "--prometheus: our loop device's size in bytes" \
	grep -qx "swapctl_swap_area_size_bytes{device=\"$DISK\",type=\"loop\"} $((268435456 - 4096))" "$T/out"

# ------------------------------------------------------------------ zram
[ -e /sys/class/zram-control ] || modprobe zram num_devices=0 2>/dev/null
if [ ! -e /sys/class/zram-control/hot_add ]; then
	echo "skip - zram: this kernel has no zram (the zram fixture covers it)"
	exit 0
fi
ZRAM=$(cat /sys/class/zram-control/hot_add)
echo $((64 << 20)) >"/sys/block/zram$ZRAM/disksize"
mkswap "/dev/zram$ZRAM" >/dev/null 2>&1
swapon -p 32767 "/dev/zram$ZRAM" || { nok "swapon /dev/zram$ZRAM"; exit 1; }
start_hog 96             # the cgroup is full: this one goes to zram first
cmp_zram() {
	python3 - "$SWAPINFO" "zram$ZRAM" <<'EOF'
import json, subprocess, sys
z = sys.argv[2]
def mm():
    return [int(x) for x in open('/sys/block/%s/mm_stat' % z).read().split()]
a = mm()
j = json.loads(subprocess.run([sys.argv[1], '-s', '--sample', '0', '--bytes', '--json', '-o',
                               'NAME,DISKSIZE,ORIG,COMPR,MEMUSED,SAME,HUGE'],
                              capture_output=True, text=True, check=True).stdout)
b = mm()
r = [x for x in j['zram'] if x['name'] == z][0]
print(a, r)
ok = a == b and a[0] > 0 and r == {'name': z, 'disksize': 64 << 20, 'orig': a[0], 'compr': a[1],
                                   'memused': a[2], 'same': a[5], 'huge': a[7]}
sys.exit(0 if ok else 1)
EOF
}
retry "zram: -s shows this zram device as its mm_stat says" cmp_zram
"$SWAPINFO" -l -o DEVICE,TYPE,ROTA --raw --noheadings >"$T/out" 2>"$T/err"
expect_out "^/dev/zram$ZRAM zram 0$" "zram: -l type zram, not rotational"
"$SWAPINFO" -s --prometheus >"$T/out" 2>"$T/err"
check "zram: --prometheus has its compression ratio" grep -q "^swapctl_zram_compression_ratio{device=\"zram$ZRAM\"} " "$T/out"
