#!/usr/bin/env bash
# make bench: runs every bench/run-*.sh with the build directory given.
# Each prints its figures and ratios against its anchor in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
status=0
for b in bench/run-*.sh; do
	[[ -f $b ]] || continue
	echo "==== $b"
	bash "$b" "$BUILD" || { echo "bench: $b failed" >&2; status=1; }
done
exit $status
