# swapctl -A, -U and -q with a temporary fstab: LABEL= and UUID= specs, the
# options pri=, discard, nofail and noauto, -t blk|noblk, -n, bad lines.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"

truncate -s 32M a.img b.img
mkloop a.img; LA=$LOOP
mkloop b.img; LB=$LOOP
"$SWAPCTL" -F -L fstab-a "$LA" >/dev/null
"$SWAPCTL" -F "$LB" >/dev/null
UB=$(blkid -p -o value -s UUID "$LB")
"$SWAPCTL" -F -S 16M file.swap >/dev/null
"$SWAPCTL" -F -S 16M noauto.swap >/dev/null
remember_swap "$LA"; remember_swap "$LB"; remember_swap "$T/file.swap"; remember_swap "$T/noauto.swap"
prio_of() { awk -v p="$(readlink -f "$1")" '$1 == p { print $5 }' /proc/swaps; }

cat > fstab <<EOT
# a comment
LABEL=fstab-a   none  swap  pri=40,discard  0 0
UUID=$UB        none  swap  pri=30,discard=once,nofail  0 0
$T/file.swap    none  swap  pri=20  0 0
$T/noauto.swap  none  swap  noauto  0 0
$T/missing.swap none  swap  nofail  0 0
/dev/null       /mnt  ext4  defaults 0 0
EOT

expect_exit 0 "-q: fstab defines swap" "$SWAPCTL" -q --fstab fstab
echo "/dev/null /mnt ext4 defaults 0 0" > noswap
expect_exit 1 "-q: fstab without swap" "$SWAPCTL" -q --fstab noswap

expect_exit 0 "-A -n" "$SWAPCTL" -A -n --fstab fstab
expect_out "^would activate $LA at priority 40$" "-n: LABEL= resolved, pri= read"
expect_out "^would activate $LB at priority 30$" "-n: UUID= resolved"
check "-n: nothing activated" sh -c "! grep -q '^$LA ' /proc/swaps"

expect_exit 0 "-A -t blk: only block devices" "$SWAPCTL" -A -t blk --fstab fstab
check "LABEL= device active at pri 40" test "$(prio_of "$LA")" = 40
check "UUID= device active at pri 30" test "$(prio_of "$LB")" = 30
check_not "-t blk left the file alone" is_active "$T/file.swap"
expect_exit 0 "-A -t noblk: the file" "$SWAPCTL" -A -t noblk --fstab fstab
check "file active at pri 20" test "$(prio_of "$T/file.swap")" = 20
check_not "noauto is never activated by -A" is_active "$T/noauto.swap"
expect_exit 7 "-A again: nothing to do" "$SWAPCTL" -A --fstab fstab

# -U: every active area fstab names, newest first; others untouched.
"$SWAPCTL" -a "$T/noauto.swap" >/dev/null
"$SWAPCTL" -F -S 8M other.swap >/dev/null; remember_swap "$T/other.swap"; "$SWAPCTL" -a other.swap >/dev/null
expect_exit 0 "-U" "$SWAPCTL" -U --fstab fstab
check "-U left an area fstab does not name" is_active "$T/other.swap"
swapoff "$T/other.swap"
check "-U went newest first" test "$(grep deactivated "$T/out" | tr '\n' ' ')" = \
	"$T/noauto.swap: deactivated $T/file.swap: deactivated $LB: deactivated $LA: deactivated "
check "-U also took down the noauto area fstab names" sh -c "! grep -q '^$T/noauto.swap ' /proc/swaps"
expect_exit 7 "-U again: nothing to do" "$SWAPCTL" -U --fstab fstab

# A missing device without nofail is an error; with others it is partial.
printf 'LABEL=no-such-label none swap defaults 0 0\n%s none swap defaults 0 0\n' "$T/file.swap" > partial
expect_exit 6 "-A with a missing device: partial" "$SWAPCTL" -A --fstab partial
check "the missing one is named" grep -q "^swapctl: LABEL=no-such-label: cannot find the device$" "$T/err"
check "the good one was activated" is_active "$T/file.swap"
"$SWAPCTL" -d "$T/file.swap" >/dev/null

# Bad lines and options.
printf 'LABEL=x none swap pri=high 0 0\n' > badpri
expect_exit 1 "pri=high is refused" "$SWAPCTL" -A --fstab badpri
expect_err "LABEL=x: pri=high is not a number from 0 to 32767" "bad pri: one line naming the entry"
printf 'LABEL=x none swap discard=sometimes 0 0\n' > baddiscard
expect_exit 1 "discard=sometimes is refused" "$SWAPCTL" -A --fstab baddiscard
printf '/dev/sda1 / ext4 defaults 0 1\nLABEL=x none swap defaults zero 0\n' > malformed
expect_exit 1 "a malformed line" "$SWAPCTL" -A --fstab malformed
expect_err "^swapctl: malformed:2: malformed line$" "malformed: file and line number"
expect_exit 2 "a missing fstab" "$SWAPCTL" -A --fstab nosuch
expect_err "^swapctl: nosuch: No such file or directory$" "missing fstab: one line"
expect_exit 1 "-t bogus" "$SWAPCTL" -A -t bogus --fstab fstab
expect_exit 1 "-t without -A/-U" "$SWAPCTL" -l -t blk
