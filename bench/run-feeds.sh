#!/usr/bin/env bash
# Benchmarks of src/feeds and src/scan (figures in bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
"$BUILD/bench/url_bench"
"$BUILD/bench/scan_bench"
