# libswapctl.pc: Requires.private names a pkg-config module for every shared
# library libswapctl links, and the public header builds with no other
# package's flags.
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
