# Sourced by swaptop's live tests after lib.sh: two swap areas of our own on
# loop devices, at priorities above anything else (so the kernel uses them
# first), and a process in a memory cgroup of ours whose pages were pushed
# into swap (by the cgroup's limit, then MADV_PAGEOUT).
#
#   L1, L2      the loop devices (labels $LA, $LB; priorities 32700, 32699)
#   SPID        the process (its command line holds $SWAPPER)
# Labels and the script's name hold this test's PID: the same tests may run
# at once from another tree, and a filter must find only this one's.
#   CG, CGV     its cgroup and the cgroup version (from lib.sh's mkcgroup)
#   SWAPTOP     the command under test
SWAPTOP=${SWAPTOP:-$builddir/swaptop}
PY=$(command -v /usr/bin/python3 || command -v python3) || { nok "python3 is not installed"; exit 1; }

truncate -s 64M a.img b.img
mkloop a.img; L1=$LOOP
mkloop b.img; L2=$LOOP
LA=stA$$ LB=stB$$ SWAPPER=swapper$$.py
"$SWAPCTL" -F -L "$LA" "$L1" >/dev/null && "$SWAPCTL" -F -L "$LB" "$L2" >/dev/null ||
	{ nok "swapctl -F on $L1 and $L2"; exit 1; }
activate "$L1" -p 32700 && activate "$L2" -p 32699 || { nok "swapon $L1 $L2"; exit 1; }

cat >"$SWAPPER" <<'EOF'
# Fill MIB of private memory, push it into swap, write our PID, wait.
import mmap, os, signal, sys
n = int(sys.argv[1]) << 20
m = mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
for i in range(0, n, 4096):
    m[i] = (i >> 12) % 251 + 1
m.madvise(getattr(mmap, "MADV_PAGEOUT", 21))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
signal.pause()
EOF
# a cgroup of 32 MiB for 48 MiB: reclaim charges the cgroup with swap
# (MADV_PAGEOUT alone does not, on cgroup v1)
mkcgroup
if [ "$CGV" = 1 ]; then
	echo $((32 << 20)) >"$CG/memory.limit_in_bytes"
else
	echo $((32 << 20)) >"$CG/memory.max"
	echo max >"$CG/memory.swap.max" 2>/dev/null
fi
(echo "$BASHPID" >"$CG/cgroup.procs" && exec "$PY" "$SWAPPER" 48 swapper.pid) &
remember_pid $!
for _ in $(seq 100); do [ -s swapper.pid ] && break; sleep 0.1; done
[ -s swapper.pid ] || { nok "the swapper did not start"; exit 1; }
SPID=$(cat swapper.pid)
remember_pid "$SPID"
vmswap() { awk '/^VmSwap:/ { print $2 }' "/proc/$1/status"; }
[ "$(vmswap "$SPID")" -gt 0 ] || { nok "MADV_PAGEOUT put nothing into swap"; exit 1; }
