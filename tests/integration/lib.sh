# lib.sh — helpers for integration tests that drive the real binary.
# Source it; every check prints one TAP line. Call `done_testing` at the end.
set -uo pipefail
BIN=${TLDSEC_BIN:?TLDSEC_BIN must name the tldsec binary}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=$ROOT/../shared
T_N=0
T_FAIL=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ok()     { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
not_ok() { T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# run CMD...: runs with stdout in $WORK/out, stderr in $WORK/err, status in $RC.
run() {
	"$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK/err"; then
		not_ok "no sanitizer report from: $*" "$(head -40 "$WORK/err")"
	fi
}

# expect_rc NAME CODE: the last run exited with CODE.
expect_rc() {
	if [[ $RC -eq $2 ]]; then ok "$1"; else not_ok "$1" "exit $RC, wanted $2" "stderr: $(head -5 "$WORK/err")"; fi
}

# expect_grep NAME FILE PATTERN: FILE ($WORK/out, $WORK/err or a path) matches.
expect_grep() {
	if grep -qE -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no match for /$3/ in $2:" "$(head -10 "$2")"; fi
}

# expect_same NAME GOT WANT: two files are identical (diff shown when not).
expect_same() {
	if diff -u "$3" "$2" >"$WORK/diff" 2>&1; then ok "$1"; else not_ok "$1" "$(head -40 "$WORK/diff")"; fi
}

done_testing() {
	echo "1..$T_N"
	((T_FAIL == 0))
}
