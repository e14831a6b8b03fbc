#!/usr/bin/env bash
# The issue's acceptance test at full size: a zone of 1M delegations in
# varied legal syntax (bench/gen_zone.py: relative and absolute owners,
# blank owners, TTL and class in either order, parentheses, comments, DS
# records split over lines, glue, records of one owner apart) and three
# feeds give exactly the implicated registered domains; zone stats gives
# the exact counts; the gzip of the zone gives the same. The generated
# files are kept in build/testdata between runs (deterministic by seed).
source "$(dirname "$0")/lib.sh"
DATA=$ROOT/build/testdata/z1m
if [[ ! -s $DATA/zone.db.gz || ! -s $DATA/implicated.txt ]]; then
	mkdir -p "$DATA"
	python3 "$ROOT/bench/gen_zone.py" 1000000 "$DATA" --seed 7 --feed-hits 1000 >/dev/null &&
		gzip -1 -c "$DATA/zone.db" >"$DATA/zone.db.gz.tmp" && mv "$DATA/zone.db.gz.tmp" "$DATA/zone.db.gz"
fi
FEEDS=(--feed "openphish:$DATA/openphish.txt" --feed "urlhaus:$DATA/urlhaus.csv" --feed "domains:$DATA/domains.txt:botnet")

for z in zone.db zone.db.gz; do
	run "$BIN" scan --threads 2 --zone "$DATA/$z" "${FEEDS[@]}" --out "$WORK/f.jsonl" --summary "$WORK/s.json"
	expect_rc "scan of the 1M zone ($z) exits 0" 0
	jq -r .domain "$WORK/f.jsonl" | sort -u >"$WORK/got"
	expect_same "$z: exactly the implicated registered domains" "$WORK/got" "$DATA/implicated.txt"
	for k in delegations ds_delegations records; do
		want=$(jq ".$k" "$DATA/expected.json")
		got=$(jq ".$k" "$WORK/s.json")
		[[ $got == "$want" ]] && ok "$z: scan summary $k = $want" || not_ok "$z: scan summary $k" "got $got, want $want"
	done
	run "$BIN" zone stats "$DATA/$z"
	expect_rc "zone stats of the 1M zone ($z) exits 0" 0
	cp "$WORK/out" "$WORK/zs.json"
	for k in delegations ds_delegations single_ns_delegations in_bailiwick_delegations distinct_ns_hosts records; do
		want=$(jq ".$k" "$DATA/expected.json")
		got=$(jq ".$k" "$WORK/zs.json")
		[[ $got == "$want" ]] && ok "$z: zone stats $k = $want" || not_ok "$z: zone stats $k" "got $got, want $want"
	done
done

done_testing
