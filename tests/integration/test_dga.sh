#!/usr/bin/env bash
# tldsec dga: list, generate against the reference lists, --days, errors.
source "$(dirname "$0")/lib.sh"
DATA=$ROOT/tests/data/dga

run "$BIN" dga --help
expect_rc "dga --help exits 0" 0
expect_grep "dga --help prints a usage line" "$WORK/out" '^Usage: tldsec dga'
for v in list generate check; do
	run "$BIN" dga "$v" --help
	expect_rc "dga $v --help exits 0" 0
	expect_grep "dga $v --help prints a usage line" "$WORK/out" "^Usage: tldsec dga $v"
done

run "$BIN" dga list
expect_rc "dga list exits 0" 0
for f in necurs newgoz murofet nymaim qakbot locky ramnit pykspa banjori; do
	expect_grep "dga list shows $f" "$WORK/out" "^$f "
done
run "$BIN" dga list --format json
expect_rc "dga list --format json exits 0" 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==9 and d[0]["name"]=="necurs" and d[0]["names_per_period"]==2048' "$WORK/out"; then
	ok "dga list json parses, 9 families"
else
	not_ok "dga list json parses, 9 families" "$(head -5 "$WORK/out")"
fi
run "$BIN" dga list --format csv
expect_rc "dga list --format csv is a usage error" 2

# Full lists, byte for byte, against the reference lists.
check_list() {
	local name=$1 file=$2; shift 2
	run "$BIN" dga generate "$@"
	if [[ $RC -ne 0 ]]; then not_ok "$name" "exit $RC: $(head -3 "$WORK/err")"; return; fi
	zcat "$DATA/$file" >"$WORK/want"
	expect_same "$name" "$WORK/out" "$WORK/want"
}
check_list "necurs 2016-01-01 full list" necurs_2016-01-01_9.txt.gz necurs --date 2016-01-01
check_list "newgoz 2014-06-01 full list" newgoz_2014-06-01.txt.gz newgoz --date 2014-06-01
check_list "murofet 2011-01-01 full list" murofet_2011-01-01.txt.gz murofet --date 2011-01-01
check_list "nymaim 2014-11-14 full list" nymaim_2014-11-14.txt.gz nymaim --date 2014-11-14
check_list "qakbot 2016-01-01 seed 0 full list" qakbot_2016-01-01_0.txt.gz qakbot --date 2016-01-01 --seed 0
check_list "locky 2016-03-01 seed 9 full list" locky_2016-03-01_9.txt.gz locky --date 2016-03-01 --seed 9
check_list "ramnit EF214BBF full list" ramnit_EF214BBF.txt.gz ramnit --seed EF214BBF --tlds click,com,eu,bid --count 100
check_list "pykspa 2015-02-16 full list" pykspa_2015-02-16.txt.gz pykspa --date 2015-02-16
check_list "banjori seed chain" banjori_earnestnessbiophysicalohax.com.txt.gz banjori --seed earnestnessbiophysicalohax.com

# --days: one list per period, in date order.
run "$BIN" dga generate necurs --date 2016-01-01 --days 7
expect_rc "necurs --days 7 exits 0" 0
if [[ $(wc -l <"$WORK/out") -eq 4096 && $(sort -u "$WORK/out" | wc -l) -eq 4096 ]]; then
	ok "necurs 2016-01-01 + 7 days: two 4-day periods, 4096 distinct names"
else
	not_ok "necurs 2016-01-01 + 7 days: two 4-day periods" "$(wc -l <"$WORK/out") lines"
fi
zcat "$DATA/necurs_2016-01-01_9.txt.gz" >"$WORK/want"
head -2048 "$WORK/out" >"$WORK/got"
expect_same "necurs --days starts with the first day's list" "$WORK/got" "$WORK/want"
run "$BIN" dga generate newgoz --date 2014-06-01 --days 3 --count 2
expect_rc "newgoz --days 3 --count 2 exits 0" 0
if [[ $(wc -l <"$WORK/out") -eq 6 && $(head -1 "$WORK/out") == jjxcu32oe5o6nsd22ugdd72i.com ]]; then
	ok "newgoz: three days of two names"
else
	not_ok "newgoz: three days of two names" "$(cat "$WORK/out")"
fi
run "$BIN" dga generate ramnit --days 30 --date 2020-01-01 --count 3
if [[ $(wc -l <"$WORK/out") -eq 3 ]]; then ok "undated family prints its list once"; else not_ok "undated family prints its list once"; fi

# Errors: usage (2) and bad values (1), with a message.
run "$BIN" dga generate conficker --date 2016-01-01
expect_rc "unknown family exits 2" 2
expect_grep "unknown family is named" "$WORK/err" "unknown family 'conficker'"
run "$BIN" dga generate necurs
expect_rc "missing --date exits 2" 2
run "$BIN" dga generate
expect_rc "missing family exits 2" 2
run "$BIN" dga generate necurs --date 2016-01-01 --bogus
expect_rc "unknown option exits 2" 2
run "$BIN" dga generate necurs --date
expect_rc "option without value exits 2" 2
run "$BIN" dga frob
expect_rc "unknown sub-command exits 2" 2
run "$BIN" dga generate nymaim --date 2016-01-01 --seed 3
expect_rc "--seed for a family without seed exits 2" 2
run "$BIN" dga generate qakbot --date 2016-01-01 --tlds com
expect_rc "--tlds for a fixed-TLD family exits 2" 2
run "$BIN" dga generate necurs --date 2016-02-30
expect_rc "impossible date exits 1" 1
expect_grep "bad date is named" "$WORK/err" "2016-02-30"
run "$BIN" dga generate necurs --date 16-01-01
expect_rc "malformed date exits 1" 1
run "$BIN" dga generate necurs --date 1969-12-31
expect_rc "date before 1970 exits 1" 1
run "$BIN" dga generate qakbot --date 2016-01-01 --seed 2
expect_rc "qakbot seed 2 exits 1" 1
expect_grep "bad seed is explained" "$WORK/err" "seed '2' is not an integer from 0 to 1"
run "$BIN" dga generate ramnit --seed XYZ
expect_rc "ramnit non-hex seed exits 1" 1
run "$BIN" dga generate banjori --seed abc
expect_rc "banjori seed without a 4-letter label exits 1" 1
run "$BIN" dga generate locky --date 2016-03-01 --tlds 'com,,net'
expect_rc "empty TLD exits 1" 1
run "$BIN" dga generate necurs --date 2016-01-01 --days 0
expect_rc "--days 0 exits 1" 1
run "$BIN" dga generate necurs --date 2016-01-01 --days 99999
expect_rc "--days too large exits 1" 1
run "$BIN" dga generate necurs --date 9999-12-31 --days 2
expect_rc "range past 9999-12-31 exits 1" 1
run "$BIN" dga generate necurs --date 2016-01-01 --count 0
expect_rc "--count 0 exits 1" 1
if [[ -e /dev/full ]]; then
	"$BIN" dga generate necurs --date 2016-01-01 >/dev/full 2>"$WORK/err"
	RC=$?
	expect_rc "write error (disk full) exits 4" 4
fi

# dga check: usage and zone errors (the cases it opens: test_export_desk.sh)
run "$BIN" dga check locky --date 2026-01-01 --days 1
expect_rc "dga check without --zone is a usage error" 2
printf 'a.example. 300 NS ns.b.\n' >"$WORK/nosoa.zone"
run "$BIN" dga check locky --date 2026-01-01 --days 1 --zone "$WORK/nosoa.zone"
expect_rc "dga check on a file without an SOA fails" 1
expect_grep "and says so" "$WORK/err" 'no SOA record'
printf 'example. 300 IN SOA a. b. 1 1 1 1 1\nx.example. 300 NS (\n' >"$WORK/broken.zone"
run "$BIN" dga check locky --date 2026-01-01 --days 1 --zone "$WORK/broken.zone"
expect_rc "dga check on a broken zone fails" 1
expect_grep "naming the place" "$WORK/err" 'broken\.zone:2:[0-9]+: '
printf 'example. 300 IN SOA a. b. 1 1 1 1 1\n' >"$WORK/empty.zone"
run "$BIN" -q dga check ramnit --date 2026-01-01 --days 1 --tlds example,org --count 10 --zone "$WORK/empty.zone"
expect_rc "dga check ramnit" 0
n=$(grep -c '"registered":false}$' "$WORK/out")
m=$("$BIN" dga generate ramnit --tlds example,org --count 10 | grep -c '\.example$')
[[ $n -eq $m && $n -gt 0 ]] && ok "dga check keeps exactly the names in the zone's TLD ($n)" || not_ok "dga check keeps the names in the zone's TLD" "$n vs $m"
done_testing
