#!/usr/bin/env bash
# Golden tests of the risk workbench: each line of `cases` runs tldsec and
# compares its standard output byte for byte with NAME.out (the diff is shown
# on failure). Regenerate after a reviewed change with: run.sh --update
set -uo pipefail
cd "$(dirname "$0")/../../.."
BIN=${TLDSEC_BIN:?TLDSEC_BIN must name the tldsec binary}
DIR=tests/golden/risk
update=${1:-}
n=0 fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while IFS='|' read -r name args; do
	name=${name// /}
	[[ -z $name || $name == \#* ]] && continue
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$BIN" $args >"$tmp" 2>/dev/null
	rc=$?
	if [[ $update == --update ]]; then
		cp "$tmp" "$DIR/$name.out"
	fi
	if [[ $rc -eq 0 ]] && diff -u "$DIR/$name.out" "$tmp" >/dev/null 2>&1; then
		echo "ok $n - $name"
	else
		fail=$((fail + 1))
		echo "not ok $n - $name (exit $rc)"
		diff -u "$DIR/$name.out" "$tmp" | head -40 | sed 's/^/#   /'
	fi
done <"$DIR/cases"
echo "1..$n"
((fail == 0))
