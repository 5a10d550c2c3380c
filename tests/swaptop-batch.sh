# swaptop -b (batch mode, live): frames parsed and checked against
# /proc/swaps, /proc/meminfo, the VmSwap of a process we pushed into swap
# and the swap of its memory cgroup; units, --top, -n, thresholds from the
# command line and the environment; every option error with its one line
# and exit code.
. "$srcdir/tests/lib.sh"
need_root
srcdir=$(cd "$srcdir" && pwd)
cd "$T"
unset BLOCKSIZE NO_COLOR SWAPTOP_THRESHOLDS
. "$srcdir/tests/swaptop-setup.sh"

# The checker: frames of swaptop -b against the kernel's files, read after
# swaptop; swap can move meanwhile, so a failed check is retried.
cat >check.py <<'EOF'
import os, re, sys
out, unit, spid, cg = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
frames, cur, tables = [], None, None
for line in open(out).read().split("\n"):
    if line.startswith("swaptop frame="):
        cur = {"head": dict(kv.split("=", 1) for kv in line.split()[1:]), "tables": [[]]}
        frames.append(cur)
    elif cur is None:
        continue
    elif line == "":
        cur["tables"].append([])
    elif re.match(r"^(swap|ram|paging|psi) ", line):
        cur[line.split()[0]] = dict(kv.split("=", 1) for kv in line.split()[1:])
    else:
        cur["tables"][-1].append(line)
def unescape(s):
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)
def table(f, first):
    for t in f["tables"]:
        if t and t[0].split()[0] == first:
            cols = t[0].split()
            return [dict(zip(cols, r.split(None, len(cols) - 1))) for r in t[1:]]
    raise SystemExit("no table starting with " + first)
swaps = {}
for l in open("/proc/swaps").readlines()[1:]:
    n, typ, size, used, prio = l.split()
    swaps[unescape(n)] = (int(size), int(used), int(prio))
mem = {l.split(":")[0]: int(l.split()[1]) for l in open("/proc/meminfo")}
vmswap = int(re.search(r"VmSwap:\s+(\d+)", open("/proc/%s/status" % spid).read()).group(1))
f = frames[-1]
assert len(frames) == int(sys.argv[5]), "%d frames" % len(frames)
# the header: totals that add up and hold this test's areas (the system's
# totals move whenever another area comes or goes, or anything swaps)
sw = f["swap"]
assert int(sw["total"]) == int(sw["used"]) + int(sw["free"]), sw
assert int(sw["total"]) >= sum(swaps[n][0] for n in sys.argv[6:]) * 1024 // unit, sw
assert int(f["ram"]["total"]) == mem["MemTotal"] * 1024 // unit, f["ram"]
# the areas this test made: as /proc/swaps has them (other areas may come
# and go meanwhile: tests of another tree can run at the same time)
areas = {unescape(r["NAME"]): r for r in table(f, "NAME")}
for n in sys.argv[6:]:
    assert n in areas and n in swaps, (n, set(areas), set(swaps))
    size, used, prio = swaps[n]
    r = areas[n]
    # USED moves with anything that swaps (ours are the first areas used)
    assert int(r["SIZE"]) == size * 1024 // unit and 0 <= int(r["USED"]) <= int(r["SIZE"]), (r, n)
    assert int(r["PRIO"]) == prio, (r, prio)
# the swapper: its VmSwap
procs = {r["PID"]: r for r in table(f, "PID")}
assert int(procs[spid]["SWAP"]) == vmswap * 1024 // unit, (procs[spid], vmswap)
assert "swapper" in procs[spid]["COMMAND"], procs[spid]
# its cgroup holds swap
cgs = {r["CGROUP"]: r for r in table(f, "SWAP")}
mine = [r for p, r in cgs.items() if p.endswith("/" + os.path.basename(cg))]
assert mine and int(mine[0]["SWAP"]) > 0, mine
EOF
# batch_check NAME UNIT FRAMES SWAPTOP-ARGS...
batch_check() {
	local name=$1 unit=$2 frames=$3 i; shift 3
	for i in $(seq 10); do
		if "$SWAPTOP" -b --top 0 "$@" >"$T/out" 2>"$T/err" &&
		   "$PY" check.py "$T/out" "$unit" "$SPID" "$CG" "$frames" "$L1" "$L2" 2>"$T/cerr"; then
			ok "$name"; return
		fi
		sleep 0.2
	done
	nok "$name"; show_out; sed 's/^/#   check: /' "$T/cerr"
}

batch_check "-b -n 2: areas, totals, the process and its cgroup agree (1K-blocks)" 1024 2 -n 2 -d 0.2
batch_check "-b --bytes agrees too" 1 1 -n 1 --bytes
batch_check "-b -m agrees too" $((1024 * 1024)) 1 -n 1 -m

expect_exit 0 "-b -n 3 -d 0.1" "$SWAPTOP" -b -n 3 -d 0.1
check "three frames, numbered" test "$(grep -c '^swaptop frame=[123] ' "$T/out")" -eq 3
check "the first rates are since boot, the next measured" sh -c \
	"grep '^paging ' '$T/out' | head -1 | grep -q since_boot=1 && grep '^paging ' '$T/out' | tail -1 | grep -q since_boot=0"
expect_out "^swaptop frame=1 time=[0-9T:-]+ interval=0.1 units=1K-blocks$" "frame header: time, interval, units"
expect_out "^paging in=[0-9.]+ out=[0-9.]+ zswap_in=[-0-9.]+ zswap_out=[-0-9.]+ unit=pages/s " "paging line"
expect_out "^psi some=[-0-9.]+ full=[-0-9.]+ some_level=[a-z-]+ full_level=[a-z-]+$" "psi line"
expect_out "^$L1 +loop +32700 +65532 +[0-9]+ +[0-9.]+ +$LA +(yes|no|\\?) +-$" "area row: name, type, priority, size, used, label"

expect_exit 0 "-b -h: human sizes" "$SWAPTOP" -b -n 1 -h
expect_out "^$L2 +loop +32699 +64M " "-h: 64M"
expect_out "units=human" "-h: said in the header"
expect_exit 0 "--top 1" "$SWAPTOP" -b -n 1 --top 1
check "--top 1: one process row" sh -c "awk '/^ *PID /{p=1; next} p && /^\$/{exit} p{n++} END{exit n!=1}' '$T/out'"

# Thresholds: a swap threshold of 0 is always crossed, one of 200 % never.
expect_exit 0 "--threshold swap=0:0" "$SWAPTOP" -b -n 1 --threshold swap=0:0
expect_out "^swap .* level=crit$" "swap at or over its critical level: crit"
expect_exit 0 "--threshold swap=200:300" "$SWAPTOP" -b -n 1 --threshold swap=200:300
expect_out "^swap .* level=ok$" "swap under its warning level: ok"
expect_exit 0 "SWAPTOP_THRESHOLDS=swap=0:0" env SWAPTOP_THRESHOLDS=swap=0:0 "$SWAPTOP" -b -n 1
expect_out "^swap .* level=crit$" "thresholds from the environment"
expect_exit 0 "--threshold wins over SWAPTOP_THRESHOLDS" env SWAPTOP_THRESHOLDS=swap=0:0 \
	"$SWAPTOP" -b -n 1 --threshold swap=200:300
expect_out "^swap .* level=ok$" "the option wins"
expect_exit 0 "--threshold swapout=0:0,psi-some=0:0" "$SWAPTOP" -b -n 1 --threshold swapout=0:0,psi-some=0:0
expect_out "^paging .* level=crit$" "swap-out at or over 0 pages/s: crit"

# Errors: one line, the documented exit code.
expect_exit 1 "-n 0" "$SWAPTOP" -b -n 0
expect_err "^swaptop: -n: '0' is not a whole number from 1 " "-n 0: one line"
expect_exit 1 "-d 0.01" "$SWAPTOP" -b -d 0.01
expect_err "^swaptop: -d: '0.01' is not a number from 0.1 to 3600 " "-d 0.01: one line"
expect_exit 1 "an argument without -r" "$SWAPTOP" -b extra
expect_err "^swaptop: unexpected argument 'extra' \\(a TRACE goes with -r\\)" "argument: one line"
expect_exit 1 "--top without -b" "$SWAPTOP" --top 3
expect_err "go with -b" "--top without -b: one line"
expect_exit 1 "--threshold bogus=1" "$SWAPTOP" -b --threshold bogus=1
expect_err "^swaptop: --threshold: unknown threshold 'bogus' " "unknown threshold: one line"
expect_exit 1 "--threshold swap=x" "$SWAPTOP" -b --threshold swap=x
expect_err "^swaptop: --threshold: swap: 'x' is not a number " "bad number: one line"
expect_exit 1 "--threshold swap=9:3" "$SWAPTOP" -b --threshold swap=9:3
expect_err "WARN <= CRIT" "warning above critical: one line"
expect_exit 1 "SWAPTOP_THRESHOLDS=swap" env SWAPTOP_THRESHOLDS=swap "$SWAPTOP" -b -n 1
expect_err "^swaptop: SWAPTOP_THRESHOLDS: 'swap' is not NAME=\\[WARN:\\]CRIT " "bad environment: one line"
expect_exit 1 "--speed without -r" "$SWAPTOP" --speed 10
expect_err "go with -r" "--speed without -r: one line"
expect_exit 1 "--pane bogus" "$SWAPTOP" --pane bogus
expect_err "^swaptop: --pane: 'bogus' is not areas, processes or cgroups " "--pane: one line"
expect_exit 1 "an unknown option" "$SWAPTOP" --bogus
expect_exit 1 "the screen without a terminal" "$SWAPTOP" -n 1
expect_err "^swaptop: standard output is not a terminal \\(-b gives plain-text frames\\)$" "no terminal: one line"
expect_exit 0 "--help" "$SWAPTOP" --help
expect_out "^Usage:" "--help prints the usage"
expect_exit 0 "--version" "$SWAPTOP" --version
expect_out "^swaptop [0-9]" "--version prints the version"
