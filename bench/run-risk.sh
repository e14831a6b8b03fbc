#!/usr/bin/env bash
# bench/run-risk.sh BUILD_DIR: the FAIR Monte Carlo against the NumPy baseline
# on the same register (examples/risk/registry-worksheet.csv) in the same run.
# Prints both rates and their ratio. TRIALS (default 1000000) and SEED may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
TRIALS=${TRIALS:-1000000}
SEED=${SEED:-1}
WS=examples/risk/registry-worksheet.csv
PY=/usr/bin/python3   # Debian's python3-numpy lives with the system interpreter
[[ -x $BUILD/bench/risk_bench ]] || make --no-print-directory BUILD="$BUILD" "$BUILD/bench/risk_bench" >/dev/null

echo "== risk: FAIR Monte Carlo, $WS, $TRIALS trials, seed $SEED ($(nproc) CPUs)"
ours=$(nice "$BUILD/bench/risk_bench" "$WS" "$TRIALS" "$SEED")
echo "$ours" | grep -v '^risk_bench: rate2'
rate=$(echo "$ours" | awk '/^risk_bench: rate2/ {print $3}')
core=$(echo "$ours" | awk '/whole run, 1 thread \(CPU time\)/ {for (i = 1; i <= NF; i++) if ($i == "M") print $(i-1) * 1e6}')
numpy=$(nice "$PY" bench/risk_numpy.py "$WS" "$TRIALS" "$SEED")
echo "$numpy" | tail -2
nrate=$(echo "$numpy" | awk '/^numpy: [0-9]/ {for (i = 1; i <= NF; i++) if ($i == "M") print $(i-1) * 1e6}')
ncore=$(echo "$numpy" | awk '/^numpy: CPU/ {for (i = 1; i <= NF; i++) if ($i == "M") print $(i-1) * 1e6}')
awk -v a="$core" -v b="$ncore" 'BEGIN { printf "risk: per core (CPU time), tldsec / NumPy = %.1fx\n", a / b }'
awk -v a="$rate" -v b="$nrate" 'BEGIN { printf "risk: wall clock, tldsec (2 threads) / NumPy (1 thread) = %.1fx\n", a / b }'
