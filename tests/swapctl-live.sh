# swapctl -a -d -c -l -s on the running kernel, with real loop devices and
# files made here; every refusal with its message and exit code.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

truncate -s 64M d1.img d2.img
mkloop d1.img; L1=$LOOP
mkloop d2.img; L2=$LOOP
"$SWAPCTL" -F -L live1 "$L1" >/dev/null && "$SWAPCTL" -F -L live2 "$L2" >/dev/null
"$SWAPCTL" -F -S 32M f1 >/dev/null
remember_swap "$L1"; remember_swap "$L2"; remember_swap "$T/f1"

prio_of() { awk -v p="$(readlink -f "$1")" '$1 == p { print $5 }' /proc/swaps; }
# Priorities no other area has (other tests run meanwhile): -l -p and -s -p
# select by priority, so they must see only ours.
free_prio() {
	local p
	while :; do
		p=$(( $1 + RANDOM % 8000 ))
		awk -v p="$p" 'NR > 1 && $NF == p { found = 1 } END { exit !found }' /proc/swaps || break
	done
	echo "$p"
}
P1=$(free_prio 1000) P2=$(free_prio 9000)

expect_exit 0 "-a -p $P1 on a loop device" "$SWAPCTL" -a -p "$P1" "$L1"
expect_out "^$L1: activated at priority $P1$" "says the priority"
check "/proc/swaps has it at priority $P1" test "$(prio_of "$L1")" = "$P1"
expect_exit 0 "-a -p $P2 on another" "$SWAPCTL" -a -p "$P2" "$L2"
expect_exit 0 "-a without -p on a file" "$SWAPCTL" -a "$T/f1"
check "the kernel chose a negative priority" test "$(prio_of "$T/f1")" -lt 0

# Listing, NetBSD layout, and units.
expect_exit 0 "-l" env -u BLOCKSIZE "$SWAPCTL" -l
expect_out '^Device +512-blocks +Used +Avail +Capacity +Priority$' "-l header, 512-byte blocks by default"
expect_out "^$L1 +131064 +[0-9]+ +[0-9]+ +[0-9]+% +$P1$" "-l row: 64 MiB less the header in 512-byte blocks"
expect_out '^Total ' "-l has a Total row with several areas"
expect_exit 0 "-l -k" "$SWAPCTL" -l -k
expect_out '^Device +1K-blocks ' "-k: 1K-blocks"
expect_exit 0 "BLOCKSIZE=1M -l" env BLOCKSIZE=1M "$SWAPCTL" -l
expect_out '^Device +1M-blocks ' "BLOCKSIZE=1M: 1M-blocks"
expect_out "^$L1 +63 " "BLOCKSIZE=1M: 63 whole MiB"
expect_exit 0 "-l -h" "$SWAPCTL" -l -h
expect_out "^$L1 +64M " "-h: human sizes"
expect_exit 0 "-l -p $P2 shows only priority $P2" "$SWAPCTL" -l -p "$P2"
check "-l -p $P2: one area, no Total" sh -c "grep -c '^/' '$T/out' | grep -qx 1 && ! grep -q '^Total' '$T/out' && grep -q '^$L2 ' '$T/out'"
# only the areas this test made, and their used figures only when
# /proc/swaps did not move while swapctl read it (others may swap into ours)
cmp_json() {
	python3 - "$SWAPCTL" "$L1" "$L2" "$T/f1" <<'EOF'
import json, os, subprocess, sys
mine = [os.path.realpath(p) for p in sys.argv[2:]]
def swaps():
    return {l.split()[0]: [int(x) for x in l.split()[2:5]] for l in open("/proc/swaps").readlines()[1:]}
a = swaps()
rows = {r["device"]: r for r in json.loads(subprocess.run([sys.argv[1], "-l", "--bytes", "--json"],
        capture_output=True, text=True, check=True).stdout)["devices"]}
b = swaps()
print(a, rows)
for m in mine:
    size, used, prio = a[m]
    r = rows[m]
    assert a[m] == b[m]
    assert r["size"] == size * 1024 and r["used"] == used * 1024 and r["prio"] == prio, (r, a[m])
EOF
}
ok_json=
for _ in 1 2 3 4 5; do cmp_json >"$T/out" 2>"$T/err" && { ok_json=1; break; }; sleep 0.2; done
if [ -n "$ok_json" ]; then ok "--json agrees with /proc/swaps on our areas"; else nok "--json agrees with /proc/swaps"; show_out; fi
expect_exit 0 "-l -o Device,Label" "$SWAPCTL" -l -o Device,Label
expect_out "^$L1 +live1$" "-o Label shows the label"
expect_exit 1 "-l -o Bogus" "$SWAPCTL" -l -o Bogus
expect_err "unknown column 'Bogus'" "unknown column: one line"
expect_exit 0 "-s" env -u BLOCKSIZE "$SWAPCTL" -s -p "$P1"
expect_out '^total: 131064 blocks allocated, [0-9]+ blocks used, [0-9]+ blocks available$' "-s: NetBSD summary"
expect_exit 0 "-s -h" "$SWAPCTL" -s -h -p "$P1"
expect_out '^total: 64M allocated, .* used, .* available\.$' "-s -h: human summary"

# Priority change (swapoff + swapon under the lock).
expect_exit 0 "-c -p 7" "$SWAPCTL" -c -p 7 "$L1"
expect_out "^$L1: priority $P1 -> 7$" "-c -p says old and new"
check "/proc/swaps shows priority 7" test "$(prio_of "$L1")" = 7
expect_exit 7 "-c -p 7 again: nothing to do" "$SWAPCTL" -c -p 7 "$L1"
check "a failed swapon at the new priority restores the old one" sh -c \
	"SWAPCTL_DEBUG_FAIL=swapon-new '$SWAPCTL' -c -p 9 '$L1' 2>'$T/rerr'; test \$? -eq 5"
check "the restore is reported" grep -q "swapon at priority 9 failed: .*; it is active again at its old priority 7$" "$T/rerr"
check "the area is active at its old priority" test "$(prio_of "$L1")" = 7
expect_exit 4 "-c -p on an inactive area" "$SWAPCTL" -c -p 5 "$T/d1.img"
expect_err "not an active swap area" "inactive: one line"
expect_exit 1 "-p 40000" "$SWAPCTL" -a -p 40000 "$L1"
expect_err "priority '40000' is not a number from 0 to 32767" "out-of-range priority: usage error"
expect_exit 1 "-p -1" "$SWAPCTL" -a -p -1 "$L1"

# Relabel an active area: swapoff, write, swapon at the same priority.
expect_exit 0 "relabel an active device" "$SWAPCTL" -c -L relabelled "$L1"
check "the new label is on the device" test "$(blkid -p -o value -s LABEL "$L1")" = relabelled
check "still active at priority 7" test "$(prio_of "$L1")" = 7

# Refusals.
expect_exit 4 "-a on an active area" "$SWAPCTL" -a "$L1"
expect_err "^swapctl: $L1: already active \(priority 7\)$" "already active: one line"
head -c 8M /dev/zero > zero.img; chmod 600 zero.img
expect_exit 4 "-a on something that is not swap" "$SWAPCTL" -a zero.img
expect_err "^swapctl: zero.img: not a usable swap area: no swap signature" "not swap: one line"
"$SWAPCTL" -F -S 8M -P 16K -L pg16 p16 >/dev/null 2>&1
expect_exit 4 "-a on a 16K-page area" "$SWAPCTL" -a p16
expect_err "made for 16384-byte pages.*fix: swapctl -F -P 4096 -L pg16 -u " "page size: names the fix keeping label and UUID"
"$SWAPCTL" -F -S 8M hib >/dev/null; printf S1SUSPEND | dd of=hib bs=1 seek=4086 conv=notrunc status=none
expect_exit 4 "-a on a hibernation image" "$SWAPCTL" -a hib
expect_err "hibernation image .*use -f to activate it anyway" "hibernation: refused with the way out"
check "the image was left alone" sh -c "dd if=hib bs=1 skip=4086 count=9 status=none | grep -q S1SUSPEND"
remember_swap "$T/hib"
expect_exit 0 "-a -f on a hibernation image" "$SWAPCTL" -a -f hib
check "it is active" is_active "$T/hib"
swapoff "$T/hib"
truncate -s 8M sparse; mkswap -q sparse >/dev/null 2>&1; chmod 600 sparse
expect_exit 4 "-a on a file with holes" "$SWAPCTL" -a sparse
expect_err "file has holes.*fix: swapctl -F -S 8388608 sparse" "holes: reason and fix"
"$SWAPCTL" -F -S 8M open >/dev/null; chmod 644 open
expect_exit 4 "-a on a world-readable file" "$SWAPCTL" -a open
expect_err "insecure mode 0644.*fix: chmod 0600 open.*use -f" "insecure: reason, fix, way out"
remember_swap "$T/open"
expect_exit 0 "-a -f on a world-readable file" "$SWAPCTL" -a -f open
swapoff "$T/open"
expect_exit 2 "-a on a missing path" "$SWAPCTL" -a nosuch
expect_err "^swapctl: nosuch: No such file or directory$" "missing: one line"
"$SWAPCTL" -F -S 8M f2 >/dev/null; remember_swap "$T/f2"
expect_exit 0 "-a -n says what it would do" "$SWAPCTL" -a -n -p 3 f2
expect_out "^would activate f2 at priority 3$" "-n: the plan"
check_not "-n activated nothing" is_active "$T/f2"
expect_exit 6 "-a on one good and one bad path: partial" "$SWAPCTL" -a "$T/f2" zero.img
check "the good one is active" is_active "$T/f2"
swapoff "$T/f2"

# swapoff's memory check against a recorded /proc/meminfo.
mkdir -p root/proc
# a recorded /proc/swaps with only our area, 60000 KiB of it used
printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n%s partition 65532 60000 50\n' \
	"$(readlink -f "$L2")" > root/proc/swaps
printf 'MemTotal: 1048576 kB\nMemFree: 8192 kB\nMemAvailable: 16384 kB\n' > root/proc/meminfo
expect_exit 4 "-d refused when memory cannot take the pages back" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -d "$L2"
expect_err "memory cannot take its pages back: 58 MiB used, 16 MiB available" "the refusal gives the numbers"
check "the area is still active" is_active "$L2"
printf 'MemTotal: 1048576 kB\nMemFree: 8192 kB\nMemAvailable: 4194304 kB\n' > root/proc/meminfo
expect_exit 0 "-d allowed when memory is plenty" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -d "$L2"
check "the area is off" sh -c "! grep -q '^$(readlink -f "$L2") ' /proc/swaps"
"$SWAPCTL" -a "$L2" >/dev/null
printf 'MemTotal: 1048576 kB\nMemFree: 8192 kB\nMemAvailable: 16384 kB\n' > root/proc/meminfo
expect_exit 0 "-d -f skips the memory check" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -d -f "$L2"

# Deactivate the rest.
expect_exit 0 "-d two areas" "$SWAPCTL" -d "$L1" "$T/f1"
expect_out "^$L1: deactivated$" "-d says so"
check "both are off" sh -c "! is_active '$L1' 2>/dev/null; ! grep -q '^$T/f1 ' /proc/swaps"
expect_exit 4 "-d on an inactive area" "$SWAPCTL" -d "$L1"
expect_err "not an active swap area" "-d inactive: one line"
