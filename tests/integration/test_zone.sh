#!/usr/bin/env bash
# `tldsec zone stats`: the sample zone, gzip and stdin input, options, and
# every kind of bad input ending with exit 1 and FILE:LINE:COL.
source "$(dirname "$0")/lib.sh"
DATA=$ROOT/tests/data/zone
export TLDSEC_NOW=2026-01-03T00:00:00Z

run "$BIN" zone stats "$DATA/sample.zone"
expect_rc "sample zone: exit 0" 0
expect_grep "sample zone: origin" "$WORK/out" '"origin": "sample",'
expect_grep "sample zone: records" "$WORK/out" '"records": 5031,'
expect_grep "sample zone: delegations" "$WORK/out" '"delegations": 2000,'
expect_grep "sample zone: DS delegations" "$WORK/out" '"ds_delegations": 198,'
cp "$WORK/out" "$WORK/plain.json"

gzip -c "$DATA/sample.zone" >"$WORK/sample.zone.gz"
run "$BIN" zone stats "$WORK/sample.zone.gz"
expect_rc "gzip zone: exit 0" 0
expect_same "gzip zone: same statistics" "$WORK/out" "$WORK/plain.json"

"$BIN" zone stats - <"$DATA/sample.zone" >"$WORK/out" 2>"$WORK/err"
RC=$?
expect_rc "stdin zone: exit 0" 0
expect_same "stdin zone: same statistics" "$WORK/out" "$WORK/plain.json"

for t in 1 2 4; do
	run "$BIN" zone stats --threads "$t" "$DATA/sample.zone"
	expect_same "--threads $t: same statistics" "$WORK/out" "$WORK/plain.json"
done
if [[ -s $WORK/err ]]; then not_ok "no progress bar in a pipe" "$(head -3 "$WORK/err")"; else ok "no progress bar in a pipe"; fi

run "$BIN" zone stats --help
expect_rc "zone stats --help exits 0" 0
expect_grep "zone stats --help: usage line" "$WORK/out" '^Usage: tldsec zone stats'
run "$BIN" zone --help
expect_grep "zone --help: usage line" "$WORK/out" '^Usage: tldsec zone'
run "$BIN" zone stats
expect_rc "zone stats without ZONE: exit 2" 2
run "$BIN" zone stats --threads 0 "$DATA/sample.zone"
expect_rc "--threads 0: exit 2" 2
run "$BIN" zone stats --warn-expiry-days x "$DATA/sample.zone"
expect_rc "--warn-expiry-days x: exit 2" 2
run "$BIN" zone frob
expect_rc "unknown sub-command: exit 2" 2
run "$BIN" zone stats --origin 'a..b' "$DATA/sample.zone"
expect_rc "bad --origin: exit 2" 2

# expiring signatures: exit 3, still the JSON
cat >"$WORK/signed.zone" <<'Z'
$ORIGIN signed.
@ SOA ns hm 1 2 3 4 5
@ DNSKEY 257 3 13 AAAA
@ RRSIG SOA 13 1 3600 20260108000000 20260101000000 1 signed. AAAA
Z
run "$BIN" zone stats "$WORK/signed.zone"
expect_rc "signature expiring within 7 days: exit 3" 3
expect_grep "expiring signature counted" "$WORK/out" '"expiring_signatures": 1'
expect_grep "earliest expiry printed" "$WORK/out" '"earliest_rrsig_expiry": "2026-01-08T00:00:00Z"'
run "$BIN" zone stats --warn-expiry-days 2 "$WORK/signed.zone"
expect_rc "no signature expiring within 2 days: exit 0" 0

# bad input: exit 1 and FILE:LINE:COL
bad() { # NAME CONTENT PATTERN
	printf '%b' "$2" >"$WORK/bad.zone"
	run "$BIN" zone stats "$WORK/bad.zone"
	expect_rc "$1: exit 1" 1
	expect_grep "$1: message names the position" "$WORK/err" "$3"
}
bad "malformed record" '$ORIGIN x.\na NS b\nc 1x NS d\n' "bad\\.zone:3:3: bad TTL"
bad "unknown directive" 'a NS b\n$GENERATE 1-2 x A 1.2.3.4\n' "bad\\.zone:2:1: unknown directive"
bad "unterminated parenthesis" 'a NS b\nc DS ( 1 8 2\n ab\n' "bad\\.zone:2:6: unterminated parenthesis"
bad "binary file" 'a NS b\n\001\002\000\003' "bad\\.zone:2:3: binary data"
bad "unknown type" 'a IN FOO b\n' "bad\\.zone:1:6: unknown record type"
printf 'a NS b\n$INCLUDE bad.zone\n' >"$WORK/bad.zone"
run "$BIN" zone stats "$WORK/bad.zone"
expect_rc "\$INCLUDE loop: exit 1" 1
expect_grep "\$INCLUDE loop: position" "$WORK/err" "bad\\.zone:2:10: \\\$INCLUDE loop"
printf 'a NS b\n$INCLUDE other.zone\n' >"$WORK/inc.zone"
printf 'c NS d\n' >"$WORK/other.zone"
run "$BIN" zone stats --origin x "$WORK/inc.zone"
expect_rc "\$INCLUDE: exit 0" 0
expect_grep "\$INCLUDE: records of both files" "$WORK/out" '"records": 2,'
run "$BIN" zone stats --no-include --origin x "$WORK/inc.zone"
expect_rc "--no-include: exit 1" 1
expect_grep "--no-include: position" "$WORK/err" "inc\\.zone:2:10: .*switched off"
run "$BIN" zone stats "$WORK/missing.zone"
expect_rc "missing file: exit 1" 1
expect_grep "missing file: named" "$WORK/err" "missing\\.zone: cannot open"
printf 'not gzip' | gzip -c | head -c 12 >"$WORK/trunc.gz"
run "$BIN" zone stats "$WORK/trunc.gz"
expect_rc "truncated gzip: exit 1" 1

done_testing
