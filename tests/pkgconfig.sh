# libswapctl.pc: Requires.private names a pkg-config module for every shared
# library libswapctl links, and the public headers build with no other
# package's flags.  The ABI: exported symbols and their version nodes, and
# every exported call starting with a clean message.
. "$srcdir/tests/lib.sh"

pc=$builddir/lib/libswapctl.pc
so=$(ls "$builddir"/lib/.libs/libswapctl.so.* 2>/dev/null | head -n1)
if [ ! -r "$pc" ] || [ -z "$so" ]; then nok "built lib/libswapctl.pc and the shared library"; exit 1; fi

req=$(sed -n 's/^Requires.private: *//p' "$pc")
libs=" "
for m in $req; do
	l=$(pkg-config --libs-only-l "$m" 2>/dev/null) || { nok "pkg-config knows module $m"; continue; }
	libs="$libs$l "
done
libs="$libs$(sed -n 's/^Libs.private: *//p' "$pc") "
for n in $(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[lib\([^].]*\)\.so.*/\1/p'); do
	case $n in c|pthread|dl|rt) continue ;; esac   # the C library's own parts
	case $n in clang_rt*|asan|ubsan) continue ;;   # sanitizer runtimes
	esac
	if [[ $libs == *" -l$n "* ]]; then ok "libswapctl links lib$n: the .pc names it"
	else nok "libswapctl links lib$n, but Requires.private ($req) does not give -l$n"; fi
done

cat >"$T/use.c" <<'C'
#include <libswapctl.h>
int main(void)
{
	struct swapctl_ctx *ctx = NULL;
	return ctx != NULL;
}
C
if cc -std=c11 -Wall -Werror -I"$srcdir/lib" -c -o "$T/use.o" "$T/use.c" 2>"$T/err"; then
	ok "libswapctl.h compiles with no other package's flags"
else
	nok "libswapctl.h compiles with no other package's flags"; sed 's/^/#   /' "$T/err"
fi

# The allocators and the engine have their own headers; each builds alone.
for h in libswapctl-alloc.h libswapctl-pager.h; do
	printf '#include <%s>\nint main(void) { return 0; }\n' "$h" >"$T/one.c"
	if cc -std=c11 -Wall -Werror -I"$srcdir/lib" -c -o "$T/one.o" "$T/one.c" 2>"$T/err"; then
		ok "$h compiles alone"
	else
		nok "$h compiles alone"; sed 's/^/#   /' "$T/err"
	fi
done

# The ABI: each symbol of lib/libswapctl.sym is exported in its own version
# node, nothing else is exported, and every function the public headers
# declare is one of them.
objdump -T "$so" | awk '$2 == "g" && $4 == ".text" { print $6, $7 }' | sort >"$T/exported"
awk '/^LIBSWAPCTL_[0-9.]* *{/ { node = $1 } /^\t[a-z_0-9]*;/ { sub(/;/, "", $1); print node, $1 }' \
	"$srcdir/lib/libswapctl.sym" | sort >"$T/listed"
if [ -s "$T/listed" ] && cmp -s "$T/exported" "$T/listed"; then
	ok "the exported symbols are those of libswapctl.sym, each in its version node ($(wc -l <"$T/listed"))"
else
	nok "the exported symbols are those of libswapctl.sym, each in its version node"
	diff "$T/listed" "$T/exported" | sed 's/^/#   /' | head -20
fi
missing=$(cat "$srcdir"/lib/libswapctl.h "$srcdir"/lib/libswapctl-alloc.h "$srcdir"/lib/libswapctl-pager.h |
	grep -o '^[a-z].*\bswapctl_[a-z_0-9]*(' | grep -o 'swapctl_[a-z_0-9]*($' | tr -d '(' | sort -u |
	while read -r f; do grep -q " $f\$" "$T/listed" || echo "$f"; done)
if [ -z "$missing" ]; then ok "every function the public headers declare is exported"
else nok "declared but not exported: $missing"; fi

# Every exported call that can fail and takes a context, an engine or a
# trace starts with a clean message (SWAPCTL_ENTER as its first line).
cat >"$T/enter.awk" <<'AWK'
/^SWAPCTL_EXPORT int / { sig = $0; insig = 1; name = $0; sub(/\(.*/, "", name); sub(/.* /, "", name); }
insig && !/^SWAPCTL_EXPORT/ { sig = sig $0 }
insig && /^\{/ { insig = 0; want = (sig ~ /[(,][ \t]*struct swapctl_(ctx|engine|trace) \*[a-z]/); getline first;
	if (want && first !~ /^\tSWAPCTL_ENTER\(/) print FILENAME ": " name }
AWK
noenter=$(awk -f "$T/enter.awk" "$srcdir"/lib/*.c "$srcdir"/lib/pager/*.c)
if [ -z "$noenter" ] && cat "$srcdir"/lib/*.c | grep -q "^.SWAPCTL_ENTER"; then
	ok "every exported call taking a context starts with SWAPCTL_ENTER"
else
	nok "exported calls without SWAPCTL_ENTER first: $(echo $noenter)"
fi
