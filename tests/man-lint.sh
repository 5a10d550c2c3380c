# Every man page passes mandoc's linter with no warning, and groff renders it
# with every warning on (-ww) and none printed: a line of text that starts
# with a macro's name (In, Ar ...) renders wrongly under groff only.
. "$srcdir/tests/lib.sh"
for m in "$srcdir"/man/*.[1-8]; do
	out=$(mandoc -Tlint -W warning "$m" 2>&1)
	if [ -z "$out" ]; then ok "mandoc -Tlint $(basename "$m")"
	else nok "mandoc -Tlint $(basename "$m")"; echo "$out" | sed 's/^/#   /'; fi
	out=$(groff -ww -mandoc -Tutf8 -z "$m" 2>&1)
	if [ -z "$out" ]; then ok "groff -ww $(basename "$m")"
	else nok "groff -ww $(basename "$m")"; echo "$out" | sed 's/^/#   /'; fi
done
