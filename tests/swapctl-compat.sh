# swapctl -F writes the same first page as util-linux mkswap, byte for byte,
# for every page size and byte order, given the same label and UUID.
# mkswap learnt -e in util-linux 2.39; with an older one the big-endian
# reference is mkswap's native page with its three header words swapped.
. "$srcdir/tests/lib.sh"
cd "$T"
uuid=4c08e1cd-9a2b-4e3f-8a11-223344556677
mkswap --help 2>&1 | grep -q -- '--endianness' && have_e=1 || have_e=0
native=$(python3 -c 'import sys; print(sys.byteorder)')

# swap32 FILE: byte-swap version, last_page and nr_badpages in place.
swap32() {
	python3 - "$1" <<'PY'
import struct, sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(1024); words = struct.unpack('<3I', f.read(12))
    f.seek(1024); f.write(struct.pack('>3I', *words))
PY
}

for ps in 4096 8192 16384 65536; do
	for e in native little big; do
		rm -f ours theirs
		truncate -s $((ps * 16)) ours theirs
		if [ $have_e = 1 ]; then
			mkswap -q -p "$ps" -e "$e" -L compatlabel -U "$uuid" theirs >/dev/null 2>&1
		else
			mkswap -q -p "$ps" -L compatlabel -U "$uuid" theirs >/dev/null 2>&1
			[ "$e" != native ] && [ "$e" != "$native" ] && swap32 theirs
		fi
		"$SWAPCTL" -F -P "$ps" -e "$e" -L compatlabel -u "$uuid" ours >/dev/null 2>&1
		if [ "$(blkid -p -o value -s TYPE theirs)" != swap ]; then
			nok "page size $ps, $e: mkswap made no reference area"
		elif cmp -n "$ps" ours theirs >/dev/null; then
			ok "page size $ps, $e byte order: first page identical to mkswap's"
		else
			nok "page size $ps, $e byte order: first page differs from mkswap's"
			cmp -l -n "$ps" ours theirs | head -5 | sed 's/^/#   /'
		fi
	done
done
# Without a label too, and with a cleared UUID.
rm -f ours theirs
truncate -s 65536 ours theirs
mkswap -q -U clear theirs >/dev/null 2>&1
"$SWAPCTL" -F -u clear ours >/dev/null 2>&1
check "no label, cleared UUID: identical to mkswap's" cmp -n 4096 ours theirs
