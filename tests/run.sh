#!/usr/bin/env bash
# Runs every test of one build directory: unit (cmocka), golden, integration,
# fuzz-corpus replay. Each runner speaks TAP ("ok N - name" / "not ok N - name");
# this script counts them and closes with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?usage: tests/run.sh BUILD_DIR}
export TLDSEC_BIN=$PWD/$BUILD/tldsec
export TLDSEC_BUILD=$PWD/$BUILD
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0 fail=0
failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run_tap NAME CMD...: runs a TAP producer and counts its results.
run_tap() {
	local name=$1; shift
	"$@" >"$log" 2>&1
	local rc=$?
	local ok nok
	ok=$(grep -cE '^ok [0-9]+' "$log")
	nok=$(grep -cE '^not ok [0-9]+' "$log")
	pass=$((pass + ok))
	fail=$((fail + nok))
	if ((nok > 0 || rc != 0)) || grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
		if ((nok == 0)); then fail=$((fail + 1)); fi
		failed+=("$name")
		echo "---- $name (exit $rc)"
		grep -vE '^ok [0-9]+' "$log" | head -120
	fi
	printf '%-44s %4d ok %4d not ok\n' "$name" "$ok" "$nok"
}

echo "== $BUILD: unit tests"
for t in "$BUILD"/tests/test_*; do
	[[ -x $t ]] || continue
	CMOCKA_MESSAGE_OUTPUT=TAP run_tap "unit/$(basename "$t")" "$t"
done

echo "== $BUILD: golden tests"
for g in tests/golden/*/run.sh; do
	[[ -f $g ]] || continue
	run_tap "golden/$(basename "$(dirname "$g")")" bash "$g"
done

echo "== $BUILD: integration tests"
for s in tests/integration/test_*.sh; do
	[[ -f $s ]] || continue
	run_tap "integration/$(basename "$s" .sh)" bash "$s"
done

echo "== $BUILD: fuzz corpus replay"
for f in "$BUILD"/fuzz-replay/fuzz_*; do
	[[ -x $f ]] || continue
	n=$(basename "$f")
	run_tap "fuzz/$n" "$f" "tests/fuzz/corpus/${n#fuzz_}" "tests/fuzz/crashes/${n#fuzz_}"
done

if ((${#failed[@]})); then
	echo "failed: ${failed[*]}"
fi
echo "$pass passed, $fail failed"
((fail == 0))
