# swapctl -c on active areas: the one off-change-on cycle.  A dry run changes
# nothing; -f skips the memory check; the discard policy comes back; a
# kernel-chosen priority is reported as it really is after a restore; an area
# the kernel refuses to take back is reported OFF with its own exit code;
# signals wait until the area is on again; an area whose device node was
# deleted is found through its device; no /proc/swaps is an error.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

prio_of() { awk -v p="$(readlink -f "$1")" '$1 == p { print $5 }' /proc/swaps; }
# the line of /proc/swaps naming $1 (areas cycled off and on move to the end)
line_of() { awk -v p="$(readlink -f "$1")" '$1 == p { print NR }' /proc/swaps; }
head_sum() { dd if="$1" bs=4096 count=1 status=none | md5sum | cut -d' ' -f1; }
label_of() { blkid -p -o value -s LABEL "$1"; }

truncate -s 32M d1.img; mkloop d1.img; L1=$LOOP
"$SWAPCTL" -F -L one "$L1" >/dev/null
"$SWAPCTL" -F -S 16M -L two f2 >/dev/null
"$SWAPCTL" -F -S 16M -L three f3 >/dev/null
remember_swap "$L1"; remember_swap "$T/f2"; remember_swap "$T/f3"
"$SWAPCTL" -a -p 20 "$L1" >/dev/null
"$SWAPCTL" -a -p 21 f2 >/dev/null

# 1. A dry run changes nothing, anywhere, and says what would happen.
sum1=$(head_sum "$L1") line1=$(line_of "$L1")
expect_exit 0 "-c -n -L on an active area" "$SWAPCTL" -c -n -L new "$L1"
expect_out "^would set the label of $L1 to 'new'$" "-n: the label it would write"
expect_out "^$L1 is active at priority 20: it would be deactivated and activated again at priority 20$" "-n: the cycle it would make"
expect_out "^  memory check: [0-9]+ MiB used, .* kept in reserve: passes$" "-n: the memory check"
check "-n wrote nothing on the active area" test "$(head_sum "$L1")" = "$sum1"
check "-n did not cycle it (same place in /proc/swaps, same priority)" test "$(line_of "$L1")/$(prio_of "$L1")" = "$line1/20"
expect_exit 0 "-c -n -u random -p 30 on an active area" "$SWAPCTL" -c -n -u random -p 30 "$L1"
expect_out "^would give $L1 a new random UUID$" "-n -u random: says so"
expect_out "^would change the priority of $L1 from 20 to 30$" "-n -p: old and new priority"
expect_out "activated again at priority 30$" "-n -p: back at the new priority"
check "-n -u -p wrote and cycled nothing" test "$(head_sum "$L1")/$(line_of "$L1")/$(prio_of "$L1")" = "$sum1/$line1/20"
"$SWAPCTL" -a f3 >/dev/null
expect_exit 0 "-c -n -L on an area at a kernel-chosen priority" "$SWAPCTL" -c -n -L x f3
expect_out "at the next priority the kernel chooses \(one it chose, like -[0-9]+, cannot be asked for\)$" "-n: says the priority cannot be kept"
swapoff "$T/f3"

# 1b. /proc/swaps is read once per state: the decision, the memory check
# and the open share one read under the lock; a cycle reads it again only
# to report the priority it came back at.  Other commands: one read.
reads() { strace -f -qq -e trace=openat -e signal=none -o "$T/reads" "$@" >/dev/null 2>&1; grep -c '"/proc/swaps"' "$T/reads"; }
check "-c -n -L on an active area reads /proc/swaps once" test "$(reads "$SWAPCTL" -c -n -L new "$L1")" = 1
check "-c -n -p reads /proc/swaps once" test "$(reads "$SWAPCTL" -c -n -p 30 "$L1")" = 1
check "-c -L on an inactive area reads /proc/swaps once" test "$(reads "$SWAPCTL" -c -L three f3)" = 1
check "-c -p: once to decide, once to report" test "$(reads "$SWAPCTL" -c -p 25 "$L1")/$(prio_of "$L1")" = 2/25
"$SWAPCTL" -c -p 20 "$L1" >/dev/null
check "swapinfo -a reads /proc/swaps once" test "$(reads "$SWAPINFO" -a)" = 1
check "swaptop -b (areas changed) reads /proc/swaps once" test "$(reads "$builddir/swaptop" -b -n 1)" = 1

# 11 and 1. -f skips the memory check with -c -L/-u; without it the refusal
# gives the numbers, before anything is written.  Memory figures come from a
# recorded /proc (SWAPCTL_SYSROOT) listing our area with 30000 KiB used.
mkdir -p root/proc
printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n%s partition 32764 30000 20\n' \
	"$(readlink -f "$L1")" > root/proc/swaps
printf 'MemTotal: 1048576 kB\nMemFree: 8192 kB\nMemAvailable: 16384 kB\n' > root/proc/meminfo
expect_exit 4 "-c -L refused when memory cannot take the pages back" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -c -L low "$L1"
expect_err "^swapctl: $L1: memory cannot take its pages back: 29 MiB used, 16 MiB available.*use -f" "the refusal gives the numbers"
check "the refusal wrote nothing" test "$(head_sum "$L1")" = "$sum1"
expect_exit 4 "-c -n -L refused the same way" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -c -n -L low "$L1"
expect_exit 0 "-c -n -f -L: -f skips the check" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -c -n -f -L low "$L1"
expect_out "memory check: 29 MiB used, 16 MiB available .*: fails, -f skips it$" "-n -f: says the check fails and is skipped"
check "-n -f wrote nothing" test "$(head_sum "$L1")" = "$sum1"
expect_exit 0 "-c -f -L relabels despite the check" env SWAPCTL_SYSROOT="$T/root" "$SWAPCTL" -c -f -L forced "$L1"
check "-f: the label is written" test "$(label_of "$L1")" = forced
check "-f: the area is active again at priority 20" test "$(prio_of "$L1")" = 20

# 10. The discard policy fstab gives comes back with -c -L/-u as with -c -p.
printf '%s none swap discard=once,pri=20 0 0\n' "$L1" > fstab
strace -f -qq -e trace=swapon -e signal=none -o trace1 "$SWAPCTL" --fstab fstab -c -L disc "$L1" >/dev/null 2>&1
check "-c -L: swapon with discard=once" grep -q 'swapon(.*SWAP_FLAG_PREFER|SWAP_FLAG_DISCARD|SWAP_FLAG_DISCARD_ONCE|20) = 0' trace1
strace -f -qq -e trace=swapon -e signal=none -o trace2 "$SWAPCTL" --fstab fstab -c -p 22 "$L1" >/dev/null 2>&1
check "-c -p: swapon with discard=once" grep -q 'swapon(.*SWAP_FLAG_DISCARD_ONCE|22) = 0' trace2
strace -f -qq -e trace=swapon -e signal=none -o trace3 "$SWAPCTL" -c -L nodisc "$L1" >/dev/null 2>&1
check "not in fstab: swapon without discard" grep -q 'swapon(.*, SWAP_FLAG_PREFER|22) = 0' trace3
# fstab names the device by UUID=: found by identity (swapctl_fstab_find)
printf 'UUID=%s none swap discard=pages 0 0\n' "$(blkid -p -o value -s UUID "$L1")" > fstab-uuid
strace -f -qq -e trace=swapon -e signal=none -o trace4 "$SWAPCTL" --fstab fstab-uuid -c -p 23 "$L1" >/dev/null 2>&1
check "fstab by UUID=: swapon with discard=pages" grep -q 'swapon(.*SWAP_FLAG_DISCARD_PAGES|23) = 0' trace4
"$SWAPCTL" -c -p 20 "$L1" >/dev/null

# 7. A kernel-chosen priority cannot be asked for again: after a failed
# swapon at a new priority the area comes back at the next free negative
# one, and the message says which, as /proc/swaps has it.
"$SWAPCTL" -a f3 >/dev/null
"$SWAPCTL" -F -S 16M f4 >/dev/null; remember_swap "$T/f4"; "$SWAPCTL" -a f4 >/dev/null
old=$(prio_of "$T/f3")
expect_exit 5 "-c -p on a kernel-priority area whose new swapon fails" env SWAPCTL_DEBUG_FAIL=swapon-new "$SWAPCTL" -c -p 9 "$T/f3"
new=$(prio_of "$T/f3")
check "it is active again, below f4 (activated after it)" test -n "$new" -a "$new" -lt "$(prio_of "$T/f4")"
expect_err "^swapctl: $T/f3: swapon at priority 9 failed: Input/output error; it is active again, at priority $new instead of priority $old: the kernel had chosen" \
	"the message says the priority it really has"
swapoff "$T/f4"

# 8. When the swapon that brings the area back fails, it is tried again; when
# the kernel refuses every time the area is OFF, and that is said, exit 11.
expect_exit 5 "-c -p: new swapon and first restore fail" env SWAPCTL_DEBUG_FAIL=swapon-new,swapon-restore-once "$SWAPCTL" -c -p 9 "$L1"
expect_err "; it is active again at its old priority 20 \(at a later attempt\)$" "the retry is reported"
check "active at priority 20" test "$(prio_of "$L1")" = 20
expect_exit 11 "-c -p: new swapon and every restore fail" env SWAPCTL_DEBUG_FAIL=swapon-new,swapon-restore "$SWAPCTL" -c -p 9 "$L1"
expect_err "^swapctl: $L1: swapon at priority 9 failed: Input/output error; activating it again failed too \(3 attempts: Input/output error\): the area is OFF \(it was active at priority 20\)$" \
	"the area left off is said, with its old priority"
check_not "the area is really off" is_active "$L1"
"$SWAPCTL" -a -p 20 "$L1" >/dev/null
expect_exit 11 "-c -L: the swapon after the write fails every time" env SWAPCTL_DEBUG_FAIL=swapon-restore "$SWAPCTL" -c -L off "$L1"
expect_err "^swapctl: $L1: activating it again failed \(3 attempts: Input/output error\): the area is OFF \(it was active at priority 20\)$" "-c -L: said too"
check "the label was written" test "$(label_of "$L1")" = off
"$SWAPCTL" -a -p 20 "$L1" >/dev/null

# 9. SIGHUP, SIGINT and SIGTERM sent while the area is off wait until it is
# on again.  SWAPCTL_DEBUG_PAUSE holds the cycle, area off, until the file exists.
SWAPCTL_DEBUG_PAUSE="$T/go" "$SWAPCTL" -c -L signalled "$L1" >sig.out 2>sig.err &
pid=$!; remember_pid "$pid"
for i in $(seq 1 500); do is_active "$L1" || break; sleep 0.02; done
check_not "the area is off inside the cycle" is_active "$L1"
kill -HUP "$pid"; kill -INT "$pid"; kill -TERM "$pid"
touch "$T/go"
wait "$pid"; rc=$?
check "swapctl still ended by a signal, after the cycle (exit $rc)" test "$rc" -gt 128
check "the area is active again at priority 20" test "$(prio_of "$L1")" = 20
check "with the new label" test "$(label_of "$L1")" = signalled

# 12. An area activated through a device node deleted since: /proc/swaps
# says 'NODE\040(deleted)'; the device itself finds the area.
truncate -s 16M d5.img; mkloop d5.img; L5=$LOOP; remember_swap "$L5"
"$SWAPCTL" -F "$L5" >/dev/null
node() { mknod -m 600 node b $((0x$(stat -c %t "$L5"))) $((0x$(stat -c %T "$L5"))) && swapon node && rm node; }
node
check "/proc/swaps has the escaped dead name" grep -q "^$T/node\\\\040(deleted) " /proc/swaps
expect_exit 0 "-l" "$SWAPCTL" -l
expect_out "^$T/node \(deleted\) " "-l decodes the name"
expect_exit 4 "-a through the device: already active" "$SWAPCTL" -a "$L5"
expect_err "already active" "-a: one line"
expect_exit 0 "-d through the device" "$SWAPCTL" -d "$L5"
check_not "it is off" grep -q "^$T/node" /proc/swaps
node
expect_exit 0 "-c -L through the device" "$SWAPCTL" -c -L alive "$L5"
check "now active under the device's name" is_active "$L5"
check "with the label" test "$(label_of "$L5")" = alive
swapoff "$L5"

# 31. No /proc/swaps is an error naming it, not "no swap".
mkdir -p empty
expect_exit 2 "-l without /proc/swaps" env SWAPCTL_SYSROOT="$T/empty" "$SWAPCTL" -l
expect_err "^swapctl: /proc/swaps: No such file or directory" "-l: one line naming /proc/swaps"
expect_exit 2 "-s without /proc/swaps" env SWAPCTL_SYSROOT="$T/empty" "$SWAPCTL" -s
expect_err "^swapctl: /proc/swaps: " "-s: one line naming /proc/swaps"
expect_exit 2 "-c -L without /proc/swaps" env SWAPCTL_SYSROOT="$T/empty" "$SWAPCTL" -c -L x "$T/f2"
check "nothing was written" test "$(label_of "$T/f2")" = two
