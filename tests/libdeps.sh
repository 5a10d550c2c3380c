# lib/ has no file-level cycles: from the symbols each object of the
# library defines and uses (nm), no file calls into one that calls back
# into it, directly or through others.  HACKING's layering depends on it.
. "$srcdir/tests/lib.sh"

objs=$(ls "$builddir"/lib/.libs/libswapctl_internal_la-*.o "$builddir"/lib/pager/.libs/libswapctl_internal_la-*.o 2>/dev/null)
if [ -z "$objs" ]; then nok "the library's objects are built"; exit 1; fi

for o in $objs; do
	f=${o#*libswapctl_internal_la-}; f=${f%.o}
	case $o in */pager/*) f=pager/$f ;; esac
	nm "$o" | awk -v f="$f" '$2 ~ /^[TDBR]$/ { print "D", f, $3 } $1 == "U" { print "U", f, $2 }'
done >"$T/syms"
check "nm listed the objects' symbols" test -s "$T/syms"

# edges "user definer", then every cycle by repeated removal of files with
# no outgoing edge left (what remains lies on or behind a cycle)
awk '$1 == "D" { def[$3] = $2 } $1 == "U" { use[NR] = $2 " " $3 }
     END { for (i in use) { split(use[i], p, " "); if ((p[2] in def) && def[p[2]] != p[1]) print p[1], def[p[2]] } }' \
	"$T/syms" | sort -u >"$T/edges"
check "the files call each other (edges found)" test -s "$T/edges"
cp "$T/edges" "$T/left"
while :; do
	awk '{ out[$1] = 1; node[$1] = 1; node[$2] = 1 } END { for (n in node) if (!(n in out)) print n }' "$T/left" >"$T/sinks"
	[ -s "$T/sinks" ] || break
	awk 'NR == FNR { s[$1] = 1; next } !($2 in s)' "$T/sinks" "$T/left" >"$T/next"
	mv "$T/next" "$T/left"
done
if [ -s "$T/left" ]; then
	nok "no file-level cycle in lib/: these calls lie on or lead into one: $(tr '\n' ';' <"$T/left")"
else
	ok "no file-level cycle in lib/ ($(wc -l <"$T/edges") calls between $(awk '{print $1; print $2}' "$T/edges" | sort -u | wc -l) files)"
fi
