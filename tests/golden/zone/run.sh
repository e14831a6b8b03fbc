#!/usr/bin/env bash
# Golden tests of `tldsec zone stats`: each NAME.in is a zone; NAME.args holds
# extra arguments (optional), NAME.rc the expected exit status (default 0);
# stdout must equal NAME.out byte for byte. TLDSEC_NOW is fixed.
set -uo pipefail
cd "$(dirname "$0")"
BIN=${TLDSEC_BIN:?TLDSEC_BIN must name the tldsec binary}
export TLDSEC_NOW=2026-01-03T00:00:00Z
n=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for in in *.in; do
	name=${in%.in}
	n=$((n + 1))
	args=()
	[[ -f $name.args ]] && read -r -a args <"$name.args"
	want_rc=0
	[[ -f $name.rc ]] && want_rc=$(<"$name.rc")
	"$BIN" zone stats "$in" "${args[@]}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [[ $rc -ne $want_rc ]]; then
		echo "not ok $n - $name: exit $rc, wanted $want_rc"
		sed 's/^/#   /' "$tmp/err" | head -5
		fail=$((fail + 1))
	elif ! diff -u "$name.out" "$tmp/out" >"$tmp/diff"; then
		echo "not ok $n - $name: output differs"
		sed 's/^/#   /' "$tmp/diff" | head -40
		fail=$((fail + 1))
	elif grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/err"; then
		echo "not ok $n - $name: sanitizer report"
		fail=$((fail + 1))
	else
		echo "ok $n - $name"
	fi
done
echo "1..$n"
((fail == 0))
