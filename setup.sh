#!/bin/sh
# Quick start, step 1: install the missing build and test dependencies
# (Debian 12 package names), build with warnings as errors, run the demo.
# As root it installs with apt-get; otherwise it prints the apt-get line.
set -e
cd "$(dirname "$0")"

PKGS="build-essential autoconf automake libtool pkg-config
libblkid-dev libmount-dev libsmartcols-dev libudev-dev uuid-dev
libncurses-dev liburing-dev libfuse3-dev fuse3
util-linux mount fdisk e2fsprogs dosfstools btrfs-progs cryptsetup-bin udev
mandoc groff-base bash-completion python3 tmux fio htop smem procps clang strace"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: missing packages; as root run:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
	echo "setup.sh: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure --enable-werror
make -j"$(nproc)"
make demo
