# The Quick start's main job: make a demo swap file, verify it, show its header.
set -e
builddir=${1:-.}
dir=$builddir/demo
mkdir -p "$dir"
rm -f "$dir/demo.swap"
echo "== swapctl -F -S 32M -L demo $dir/demo.swap"
"$builddir/swapctl" -F -S 32M -L demo "$dir/demo.swap"
echo "== swapctl -V $dir/demo.swap"
"$builddir/swapctl" -V "$dir/demo.swap"
echo "== the header: bytes 1024..1099 and the magic at 4086"
od -A d -t x1 -j 1024 -N 76 "$dir/demo.swap"
od -A d -c -j 4086 -N 10 "$dir/demo.swap"
