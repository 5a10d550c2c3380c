# As an unprivileged user every changing command fails cleanly with the
# not-permitted exit code (3) and one line; listing works.
. "$srcdir/tests/lib.sh"
need_root
cd "$T"
chmod 755 "$T"
"$SWAPCTL" -F -S 16M sw >/dev/null
remember_swap "$T/sw"
"$SWAPCTL" -a sw >/dev/null
"$SWAPCTL" -F -S 16M off >/dev/null
printf '%s none swap defaults 0 0\n%s none swap defaults 0 0\n' "$T/sw" "$T/off" > fstab; chmod 644 fstab
"$SWAPCTL" -l >/dev/null        # let libtool's wrapper settle as root
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

expect_exit 0 "-l works unprivileged" nobody "$SWAPCTL" -l
expect_out "^$T/sw " "-l shows the active area"
expect_exit 0 "-s works unprivileged" nobody "$SWAPCTL" -s
expect_exit 3 "-a as nobody" nobody "$SWAPCTL" -a "$T/off"
expect_err "^swapctl: $T/off: swapon: not permitted \(needs root or CAP_SYS_ADMIN\)$" "-a: one line"
expect_exit 3 "-d as nobody" nobody "$SWAPCTL" -d "$T/sw"
expect_err "swapoff: not permitted" "-d: one line"
expect_exit 3 "-c -p as nobody" nobody "$SWAPCTL" -c -p 5 "$T/sw"
expect_err "priority change: not permitted" "-c -p: one line"
expect_exit 3 "-A as nobody" nobody "$SWAPCTL" -A --fstab "$T/fstab"
expect_exit 3 "-U as nobody" nobody "$SWAPCTL" -U --fstab "$T/fstab"
expect_exit 3 "-F as nobody" nobody "$SWAPCTL" -F "$T/off"
expect_err "^swapctl: $T/off: Permission denied$" "-F: one line"
expect_exit 3 "-c -L as nobody" nobody "$SWAPCTL" -c -L x "$T/off"
check "nothing changed: sw still active" is_active "$T/sw"
check "nothing changed: off still inactive" sh -c "! grep -q '^$T/off ' /proc/swaps"
