#!/usr/bin/env bash
# DGA generation speed: names per second of every family on one core, and
# the product's bar (>= 5 M names/s) checked for necurs and newgoz.
# Usage: bench/run-dga.sh [BUILD_DIR] [SECONDS_PER_FAMILY]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
SECS=${2:-1}
out=$(taskset -c 0 nice "$BUILD/bench/dga_bench" "$SECS" 2>/dev/null || nice "$BUILD/bench/dga_bench" "$SECS")
echo "$out"
status=0
for fam in necurs newgoz; do
	rate=$(awk -v f="$fam" '$1 == f {print $2}' <<<"$out")
	ratio=$(awk -v r="$rate" 'BEGIN {printf "%.2f", r / 5000000}')
	if awk -v r="$rate" 'BEGIN {exit !(r >= 5000000)}'; then
		echo "bar: $fam $rate names/s = ${ratio}x of 5 M names/s: met"
	else
		echo "bar: $fam $rate names/s = ${ratio}x of 5 M names/s: NOT met"
		status=1
	fi
done
exit $status
