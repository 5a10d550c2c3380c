# Sourced by the command tests.  Every test works in its own temporary
# directory, creates its own swap files, loop devices and mounts, and removes
# them in the EXIT trap.  It never touches an area or device it did not make.
set -u
: "${builddir:=$(pwd)}"
: "${srcdir:=.}"
SWAPCTL=${SWAPCTL:-$builddir/swapctl}
SWAPINFO=${SWAPINFO:-$builddir/swapinfo}
T=$(mktemp -d /tmp/swapctl-test.XXXXXX)
_loops=() _swaps=() _mounts=() _pids=() _cgroups=() _fuse=()

cleanup() {
	local x
	for x in ${_pids[@]+"${_pids[@]}"}; do kill "$x" 2>/dev/null; kill -CONT "$x" 2>/dev/null; wait "$x" 2>/dev/null; done
	for x in ${_cgroups[@]+"${_cgroups[@]}"}; do rmdir "$x" 2>/dev/null; done
	# every remembered area is the test's own: swapoff fails harmlessly on
	# those that are not active (and /proc/swaps escapes blanks in names)
	for x in ${_swaps[@]+"${_swaps[@]}"}; do swapoff "$x" 2>/dev/null; done
	for x in ${_mounts[@]+"${_mounts[@]}"}; do umount "$x" 2>/dev/null; done
	for x in ${_loops[@]+"${_loops[@]}"}; do losetup -d "$x" 2>/dev/null; done
	# after the loop devices on them; lazily when udev still holds one
	[ ${#_fuse[@]} -eq 0 ] || udevadm settle 2>/dev/null
	for x in ${_fuse[@]+"${_fuse[@]}"}; do
		umount "$x" 2>/dev/null || { sleep 0.2; umount "$x" 2>/dev/null; } || umount -l "$x" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
# Show a command's output in the log, as comments.
show_out() {
	sed 's/^/#   out: /' "$T/${1:-out}"; sed 's/^/#   err: /' "$T/${2:-err}"
}

# check NAME CMD...: passes when CMD succeeds.  Its output goes to cout/cerr,
# so $T/out still holds the output of the last expect_exit.
check() {
	local name=$1; shift
	if "$@" >"$T/cout" 2>"$T/cerr"; then ok "$name"; else nok "$name"; show_out cout cerr; fi
}
# check_not NAME CMD...: passes when CMD fails.
check_not() {
	local name=$1; shift
	if "$@" >"$T/cout" 2>"$T/cerr"; then nok "$name"; show_out cout cerr; else ok "$name"; fi
}
# expect_exit CODE NAME CMD...: passes when CMD exits with CODE.
expect_exit() {
	local code=$1 name=$2 rc; shift 2
	"$@" >"$T/out" 2>"$T/err"; rc=$?
	if [ "$rc" -eq "$code" ]; then ok "$name (exit $code)"; else nok "$name: exit $rc, expected $code"; show_out; fi
}
# expect_err REGEX NAME: the last command printed exactly one stderr line matching REGEX.
expect_err() {
	local re=$1 name=$2
	if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -qE -- "$re" "$T/err"; then ok "$name"
	else nok "$name: stderr should be one line matching /$re/"; show_out; fi
}
# expect_out REGEX NAME: the last command's stdout matches REGEX.
expect_out() {
	if grep -qE -- "$1" "$T/out"; then ok "$2"; else nok "$2: stdout should match /$1/"; show_out; fi
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then echo "skip - $(basename "$0"): needs root"; exit 0; fi
}

# mkloop FILE: attach FILE to a new loop device; the device is in $LOOP.
mkloop() {
	LOOP=$(losetup --show -f "$1") || { nok "losetup $1"; exit 1; }
	_loops+=("$LOOP")
	udevadm settle 2>/dev/null || true
}
# activate PATH [ARGS]: swapon with util-linux, remembered for cleanup.
activate() {
	local p=$1; shift
	_swaps+=("$p")
	swapon "$@" "$p"
}
# need_fuse: the faulty disk needs /dev/fuse (the one reason to skip) and
# tests/faultfs, which is built when configure finds libfuse3.
need_fuse() {
	if [ ! -c /dev/fuse ]; then echo "skip - $(basename "$0"): no /dev/fuse (FUSE missing from this kernel)"; exit 0; fi
	if [ ! -x "$builddir/tests/faultfs" ]; then
		nok "tests/faultfs not built: configure found no libfuse3 (setup.sh installs libfuse3-dev)"; exit 1
	fi
}
# mkfaultloop SIZE: a faulty disk of SIZE bytes (truncate's suffixes) on a
# new loop device, in $LOOP.  tests/faultfs serves the file under
# $T/faultN/mnt from the backing file $FAULTIMG; loop reads and writes go
# through it uncached (--direct-io=off, FUSE direct_io), so the faults set
# with `fault` reach the block layer as I/O errors.  Detached and unmounted
# in the EXIT trap.
mkfaultloop() {
	local dir
	dir=$(mktemp -d "$T/fault.XXXXXX") && mkdir "$dir/mnt" && truncate -s "$1" "$dir/backing.img" ||
		{ nok "mkfaultloop $1: cannot make its files"; exit 1; }
	"$builddir/tests/faultfs" "$dir/backing.img" "$dir/mnt" || { nok "faultfs cannot mount $dir/mnt"; exit 1; }
	_fuse+=("$dir/mnt")
	LOOP=$(losetup --show -f --direct-io=off "$dir/mnt/disk") || { nok "losetup $dir/mnt/disk"; exit 1; }
	_loops+=("$LOOP")
	FAULTCTL=$dir/mnt/ctl FAULTIMG=$dir/backing.img
	udevadm settle 2>/dev/null || true
}
# fault COMMAND: set the last faulty disk's faults (see tests/faultfs.c):
# read-fail PAGES, write-fail PAGES, drop-writes, fail-all,
# fail-after BYTES, clear.  PAGES: 5 or 5,9 or 5-9, in 4 KiB pages.
fault() {
	printf '%s\n' "$*" >"$FAULTCTL" || { nok "fault $*: refused by faultfs"; exit 1; }
}
# faultstat KEY: a counter of the last faulty disk (reads, writes,
# read_errors, write_errors, dropped, bytes).
faultstat() { awk -v k="$1" '$1 == k { print $2 }' "$FAULTCTL"; }
remember_swap() { _swaps+=("$1"); }
remember_mount() { _mounts+=("$1"); }
remember_pid() { _pids+=("$1"); }
# mkcgroup: a new memory cgroup, removed at exit (its processes killed first):
# cgroup v2 at /sys/fs/cgroup when it has the memory controller, else v1
# below this shell's own v1 memory cgroup.  Its directory is $CG, its
# version $CGV.
mkcgroup() {
	local parent
	if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		CGV=2 parent=/sys/fs/cgroup
	elif [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
		CGV=1 parent=/sys/fs/cgroup/memory$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
	else
		nok "no memory cgroup controller under /sys/fs/cgroup"; exit 1
	fi
	CG=${parent%/}/swapctl-test.$$.$RANDOM
	mkdir "$CG" || { nok "mkdir $CG"; exit 1; }
	_cgroups+=("$CG")
}
is_active() { grep -q "^$(readlink -f "$1")[[:space:]]" /proc/swaps; }
sum() { md5sum <"$1" | cut -d' ' -f1; }
