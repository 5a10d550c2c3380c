# With --cluster 1 (no read-around, one page per eviction) the engine's RAM
# is an exact LRU cache of pages: its faults must equal the misses of a
# plain LRU model written here, independently of the engine, on traces of
# several shapes.  The model at other RAM sizes must disagree (so the
# comparison can fail).
. "$srcdir/tests/lib.sh"
cd "$T"

# lru.py TRACE [RAM...]: the misses of an LRU cache of pages over the pages
# of the r and w events, its size set by the trace's 'ram' events; with
# RAM, also of caches of those fixed sizes (one line each).
cat > lru.py <<'EOF'
import sys
from collections import OrderedDict

class LRU:
    def __init__(self, size):
        self.fixed, self.size, self.pages, self.misses = size, size, OrderedDict(), 0
    def resize(self, size):
        self.size = self.fixed or size
        while len(self.pages) > self.size:
            self.pages.popitem(last=False)
    def touch(self, key):
        if key in self.pages:
            self.pages.move_to_end(key)
            return
        self.misses += 1
        self.pages[key] = True
        if len(self.pages) > self.size:
            self.pages.popitem(last=False)

caches = [LRU(None)] + [LRU(int(a)) for a in sys.argv[2:]]
for line in open(sys.argv[1]):
    f = line.split("#")[0].split()
    if not f:
        continue
    if f[0] == "ram":
        for c in caches:
            c.resize(int(f[1]))
    elif f[0] in ("r", "w"):
        first, count = int(f[2]), int(f[3]) if len(f) > 3 else 1
        for i in range(first, first + count):
            for c in caches:
                c.touch((f[1], i))
    elif f[0] not in ("swaptrace", "dev", "obj", "tick"):
        sys.exit("lru.py: %s: the model does not know it" % f[0])
for c in caches:
    print(c.misses)
EOF
faults() { "$SWAPINFO" -r "$1" --cluster 1 --json | sed -n 's/^ *"faults": \([0-9]*\),$/\1/p'; }

# Two objects, accesses of several pages at once, RAM shrinking and growing.
python3 - > multi.trace <<'EOF'
import random
r = random.Random(7)
print("swaptrace 1\nram 300\ndev add d 5000\nobj new a 1500\nobj new b 900")
for n in range(8000):
    o, size = ("a", 1500) if r.random() < 0.6 else ("b", 900)
    first = min(int(r.expovariate(1 / 150)), size - 1)
    count = 1 if r.random() < 0.7 else r.randint(1, min(40, size - first))
    print("%s %s %d%s" % ("r" if r.random() < 0.7 else "w", o, first, " %d" % count if count > 1 else ""))
    if n % 500 == 0:
        print("tick")
    if n == 3000:
        print("ram 120")
    if n == 6000:
        print("ram 450")
EOF

loop=
for spec in "zipf,pages=4096,ram=1024,devs=1,events=20000" \
	"random,pages=4096,ram=1024,devs=2,events=20000" \
	"zipf,pages=20000,ram=700,devs=1,events=20000,seed=5" \
	"seq,pages=3000,ram=1000,devs=1,events=600" \
	"seq,pages=900,ram=1000,devs=1,events=600" \
	multi; do
	if [ "$spec" = multi ]; then
		t=multi.trace
	else
		t=${spec%%,*}.$(echo "$spec" | cksum | cut -d' ' -f1).trace
		"$SWAPINFO" -W "$spec" > "$t"
	fi
	f=$(faults "$t")
	ram=$(sed -n 's/^ram //p' "$t" | head -1)
	# shellcheck disable=SC2046
	set -- $(python3 lru.py "$t" $((ram - ram / 8)) $((ram * 4)))
	check "$spec: engine faults ($f) = LRU misses (${1:-})" test -n "$f" -a "$f" = "${1:-}"
	check "$spec: there are faults to compare" test "${1:-0}" -gt 0
	check_not "$spec: the model at 7/8 or 4 times the RAM disagrees (${2:-}, ${3:-})" \
		test "$f" = "${2:-}" -a "$f" = "${3:-}"
	case $spec in seq,pages=3000,*) loop=$t ;; esac
done

# The sequential loop larger than RAM is LRU's worst case: every page of
# every sweep faults.
check "a loop over 3000 pages in 1000 of RAM: every access faults" python3 -c '
import sys
pages = sum(int(l.split()[3]) for l in open(sys.argv[1]) if l[:2] in ("r ", "w "))
assert pages == int(sys.argv[2]), (pages, sys.argv[2])' "$loop" "$(faults "$loop")"
