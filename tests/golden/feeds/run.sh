#!/usr/bin/env bash
# Golden tests of the feed readers: each CASE.in is read with the format
# named by its first dot-separated part (and the threat in CASE.threat when
# there is one); what the reader delivers is compared byte for byte with
# CASE.out. `run.sh --update` rewrites the .out files after a reviewed change.
set -uo pipefail
cd "$(dirname "$0")/../../.."
BUILD=${TLDSEC_BUILD:-$PWD/build/release}
dump=$BUILD/tests/test_feed
dir=tests/golden/feeds
update=0
[[ ${1:-} == --update ]] && update=1
n=0 bad=0
for in in "$dir"/*.in; do
	case=${in%.in}
	name=$(basename "$case")
	spec=${name%%.*}
	[[ -f $case.threat ]] && spec="$spec:$(<"$case.threat")"
	n=$((n + 1))
	got=$("$dump" --dump "$spec" "$in" 2>&1)
	if ((update)); then
		printf '%s\n' "$got" >"$case.out"
	fi
	if diff -u "$case.out" <(printf '%s\n' "$got") >/tmp/golden-feeds.$$ 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/# /' /tmp/golden-feeds.$$
		bad=$((bad + 1))
	fi
done
rm -f /tmp/golden-feeds.$$
echo "1..$n"
((bad == 0))
