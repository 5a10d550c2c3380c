# The pager engine takes a fast path for a fault when the configuration
# allows it (one device in use, cluster 1, simulated: lib/pager/paging.c);
# SWAPCTL_DEBUG_ENGINE_SLOWPATH=1 keeps it on the general path.  Both must
# give the same --json replay, byte for byte, on traces where the fast
# path comes and goes: one device or two, writes, a swapoff that leaves
# one device, swap full, several pages at once, RAM resized.
. "$srcdir/tests/lib.sh"
cd "$T"

cat > gen.py <<'PY'
import random, sys
kind = sys.argv[1]
r = random.Random(11)
if kind == "swapoff":
    # two devices (general path); one goes and the other is alone (fast)
    print("swaptrace 1\nram 400\ndev add a 3000 prio=5 cluster=1\ndev add b 3000 prio=5 cluster=1")
    print("obj new x 2500\nobj new y 700")
    for n in range(30000):
        o, size = ("x", 2500) if r.random() < 0.7 else ("y", 700)
        print("%s %s %d" % ("r" if r.random() < 0.6 else "w", o, r.randrange(size)))
        if n == 12000:
            print("dev del a")
        if n == 20000:
            print("dev add c 2000 cluster=1")
        if n == 25000:
            print("dev del b")     # refused: no room
elif kind in ("full", "full2"):
    # clean pages keep their slots: swap fills up, the low water warns,
    # then only clean pages can go and (full2, RAM shrunk) faults fail
    ram, swap, pages, w = (300, 400, 650, 0.3) if kind == "full" else (100, 200, 290, 0.5)
    print("swaptrace 1\nram %d\ndev add s %d cluster=1\nobj new x %d" % (ram, swap, pages))
    for n in range(20000):
        print("%s x %d" % ("w" if r.random() < w else "r", r.randrange(pages)))
        if kind == "full2" and n == 5000:
            print("ram 60")     # below what is reserved: faults can fail
elif kind == "multi":
    # several pages at once, RAM shrinking and growing, page-outs, frees
    print("swaptrace 1\nram 300\ndev add d 5000 cluster=1\nobj new a 1500\nobj new b 900")
    for n in range(20000):
        o, size = ("a", 1500) if r.random() < 0.6 else ("b", 900)
        first = min(int(r.expovariate(1 / 150)), size - 1)
        count = 1 if r.random() < 0.7 else r.randint(1, min(40, size - first))
        op = "r" if r.random() < 0.6 else "w"
        if r.random() < 0.02:
            op = "out" if r.random() < 0.5 else "free"
        print("%s %s %d%s" % (op, o, first, " %d" % count if count > 1 else ""))
        if n % 500 == 0:
            print("tick")
        if n == 7000:
            print("ram 120")
        if n == 14000:
            print("ram 450")
PY

field() { sed -n "s/^ *\"$2\": \\([0-9]*\\),\$/\\1/p" "$1" | head -1; }

for spec in "random,pages=8192,ram=2048,devs=1,events=40000,cluster=1" \
	"zipf,pages=8192,ram=1024,devs=1,events=40000,cluster=1,seed=3" \
	"random,pages=8192,ram=2048,devs=2,events=30000,cluster=1" \
	"mixed,pages=8192,ram=2048,devs=2,events=30000" \
	"fork,pages=4096,ram=1024,devs=1,events=20000" \
	swapoff full full2 multi; do
	case $spec in
	*,*)    t=${spec%%,*}.$(echo "$spec" | cksum | cut -d' ' -f1).trace
		"$SWAPINFO" -W "$spec" > "$t" ;;
	*)      t=$spec.trace
		python3 gen.py "$spec" > "$t" ;;
	esac
	for c in "--cluster 1" ""; do
		# shellcheck disable=SC2086
		"$SWAPINFO" -r "$t" $c --json > fast.json 2>fast.err
		# shellcheck disable=SC2086
		SWAPCTL_DEBUG_ENGINE_SLOWPATH=1 "$SWAPINFO" -r "$t" $c --json > slow.json 2>slow.err
		check "$spec ${c:-(its cluster)}: fast and general paths give the same --json" cmp fast.json slow.json
		check "$spec ${c:-(its cluster)}: and the same messages" cmp fast.err slow.err
		check "$spec ${c:-(its cluster)}: there are page-outs to compare" test "$(field fast.json pageouts)" -gt 0
	done
done
check "swap full: some faults failed (full2)" test "$(SWAPCTL_DEBUG_ENGINE_SLOWPATH=1 "$SWAPINFO" -r full2.trace --json > f.json; field f.json fault_failures)" -gt 0
