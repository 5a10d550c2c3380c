# Every man page passes mandoc's linter with no warning.
. "$srcdir/tests/lib.sh"
for m in "$srcdir"/man/*.[1-8]; do
	out=$(mandoc -Tlint -W warning "$m" 2>&1)
	if [ -z "$out" ]; then ok "mandoc -Tlint $(basename "$m")"
	else nok "mandoc -Tlint $(basename "$m")"; echo "$out" | sed 's/^/#   /'; fi
done
