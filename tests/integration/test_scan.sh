#!/usr/bin/env bash
# tldsec scan on the sample zone and feeds: the implicated domains, the
# summary's counts, gzip and stdin input, the rpz feed, threads, and the
# error paths (exit codes, positions, nothing half-written).
source "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/scan
Z=$ROOT/tests/data/zone/sample.zone
FEEDS=(--feed "openphish:$D/openphish.txt" --feed "urlhaus:$D/urlhaus.csv" --feed "domains:$D/domains.txt:botnet")

run "$BIN" scan --zone "$Z" "${FEEDS[@]}" --out "$WORK/f.jsonl" --summary "$WORK/s.json"
expect_rc "scan of the sample exits 0" 0
jq -r .domain "$WORK/f.jsonl" | sort -u >"$WORK/got"
expect_same "the implicated registered domains are the expected ones" "$WORK/got" "$D/expected-domains.txt"
if jq -e 'has("domain") and has("threat") and has("feed") and has("indicator") and has("line")' "$WORK/f.jsonl" >/dev/null; then
	ok "every finding has domain, threat, feed, indicator, line"; else not_ok "finding keys"; fi
if jq -s -e 'any(.[]; .domain=="0ateiwhd6r5cr659y.sample" and .threat=="malware" and .feed=="urlhaus" and .line==10)' "$WORK/f.jsonl" >/dev/null; then
	ok "a urlhaus finding carries its threat, feed and line"; else not_ok "urlhaus finding"; fi
if jq -s -e '[.[] | select(.feed=="domains")] | length == 6 and all(.[]; .threat=="botnet")' "$WORK/f.jsonl" >/dev/null; then
	ok "the domains feed takes the threat given"; else not_ok "domains threat"; fi
for kv in records=5031 delegations=2000 ds_delegations=198 findings=20 domains=20 malformed=1 \
          out_of_zone=10 unregistered=6 ip_skipped=3; do
	k=${kv%=*} v=${kv#*=}
	got=$(jq -r ".$k" "$WORK/s.json")
	if [[ $got == "$v" ]]; then ok "summary $k = $v"; else not_ok "summary $k = $v" "got $got"; fi
done
if jq -e '.zone_bytes > 0 and .seconds >= 0 and .mb_per_s >= 0 and .indicators == 36' "$WORK/s.json" >/dev/null; then
	ok "summary has zone_bytes, seconds, mb_per_s, indicators"; else not_ok "summary fields" "$(cat "$WORK/s.json")"; fi
if jq -e '.malformed_lines[0].line == 14' "$WORK/s.json" >/dev/null; then
	ok "the malformed line is named with its number"; else not_ok "malformed line named"; fi
expect_grep "the malformed line is warned about with FILE:LINE" "$WORK/err" 'openphish.txt:14: warning: malformed line'

# Same findings from gzip, from stdin, with one thread, and the zone stats' counts agree.
cp "$WORK/f.jsonl" "$WORK/want.jsonl"
gzip -c "$Z" >"$WORK/z.gz"
run "$BIN" scan --zone "$WORK/z.gz" "${FEEDS[@]}" --out "$WORK/g.jsonl" --summary "$WORK/gs.json"
expect_rc "scan of the gzip zone exits 0" 0
expect_same "gzip gives the same findings" "$WORK/g.jsonl" "$WORK/want.jsonl"
run bash -c "'$BIN' scan --zone - --origin sample. ${FEEDS[*]} < '$Z' > '$WORK/i.jsonl'"
expect_rc "scan of stdin exits 0" 0
expect_same "stdin gives the same findings" "$WORK/i.jsonl" "$WORK/want.jsonl"
run "$BIN" scan --threads 1 --zone "$Z" "${FEEDS[@]}" --out "$WORK/t.jsonl"
expect_same "one thread gives the same findings" "$WORK/t.jsonl" "$WORK/want.jsonl"
expect_grep "the summary goes to stderr by default" "$WORK/err" '"delegations":2000'
"$BIN" zone stats "$Z" >"$WORK/zs.json"
if [[ $(jq .delegations "$WORK/zs.json") == 2000 && $(jq .ds_delegations "$WORK/zs.json") == 198 ]]; then
	ok "zone stats and scan count the same delegations"; else not_ok "zone stats agreement"; fi

# An RPZ feed: triggers relative to the policy zone, a wildcard, IP triggers skipped.
cat >"$WORK/feed.rpz" <<'RPZ'
$ORIGIN rpz.example.net.
$TTL 300
@ SOA localhost. hostmaster.localhost. ( 1 3600 600 86400 300 )
  NS localhost.
gf8tl.sample CNAME .
*.gf8tl.sample CNAME .
*.wtg.sample CNAME .
deep.name.under.v3nu.sample A 192.0.2.1
32.1.2.0.192.rpz-ip CNAME .
nothere.sample CNAME .
other.tld CNAME .
RPZ
run "$BIN" scan --zone "$Z" --origin sample --feed "rpz:$WORK/feed.rpz:malware" --out "$WORK/r.jsonl" --summary "$WORK/rs.json"
expect_rc "scan with an rpz feed exits 0" 0
jq -r .domain "$WORK/r.jsonl" | sort -u | tr '\n' ' ' >"$WORK/rd"
expect_grep "rpz triggers implicate their registered domains" "$WORK/rd" '^gf8tl.sample v3nu.sample wtg.sample $'
if jq -s -e 'any(.[]; .domain=="v3nu.sample" and .indicator=="deep.name.under.v3nu.sample.rpz.example.net" and .threat=="malware" and .line==8)' "$WORK/r.jsonl" >/dev/null; then
	ok "an rpz finding names its trigger and line"; else not_ok "rpz finding" "$(cat "$WORK/r.jsonl")"; fi
if jq -e '.unregistered == 1 and .out_of_zone == 1 and .indicators == 6' "$WORK/rs.json" >/dev/null; then
	ok "rpz: unregistered and out-of-zone triggers counted, IP trigger skipped"; else not_ok "rpz counts" "$(cat "$WORK/rs.json")"; fi
printf 'bad.sample CNAME .\n' >"$WORK/nosoa.rpz"
run "$BIN" scan --zone "$Z" --feed "rpz:$WORK/nosoa.rpz:spam" --out "$WORK/x.jsonl"
expect_rc "an rpz feed without its SOA exits 1" 1
expect_grep "and says so with its position" "$WORK/err" 'nosoa.rpz:1:1: not an RPZ zone'

# Errors: nothing half-written, exit codes, positions.
rm -f "$WORK/o.jsonl" "$WORK/o.json"
printf '$ORIGIN sample.\n@ SOA a. b. 1 2 3 4 5\nok NS ns.x.\nbad IN NS (\n' >"$WORK/broken.zone"
run "$BIN" scan --zone "$WORK/broken.zone" "${FEEDS[@]}" --out "$WORK/o.jsonl" --summary "$WORK/o.json"
expect_rc "a broken zone exits 1" 1
expect_grep "the error names file, line and column" "$WORK/err" 'broken.zone:4:[0-9]+: '
if [[ ! -e $WORK/o.jsonl && ! -e $WORK/o.json ]] && ! ls "$WORK"/o.jsonl.tmp.* >/dev/null 2>&1; then
	ok "nothing is written when the zone is broken"; else not_ok "no output on error"; fi
run "$BIN" scan --zone "$Z" --feed "openphish:$WORK/missing.txt" --out "$WORK/o.jsonl"
expect_rc "a missing feed exits 1" 1
expect_grep "and is named" "$WORK/err" 'missing.txt: cannot open'
[[ ! -e $WORK/o.jsonl ]] && ok "nothing is written when a feed is missing" || not_ok "no output on missing feed"
run "$BIN" scan --zone "$WORK/nope.zone" --origin sample "${FEEDS[@]}"
expect_rc "a missing zone exits 1" 1
head -c 4096 /dev/urandom | tr -d '\n' | tr '\000' '\001' >"$WORK/bin.zone"
printf '\000\000' >>"$WORK/bin.zone"
run "$BIN" scan --zone "$WORK/bin.zone" --origin sample "${FEEDS[@]}"
expect_rc "a binary zone exits 1" 1
printf 'x NS ns.example.\n' >"$WORK/nosoa.zone"
run "$BIN" scan --zone "$WORK/nosoa.zone" "${FEEDS[@]}"
expect_rc "a zone without a leading SOA and no --origin exits 1" 1
expect_grep "and asks for --origin" "$WORK/err" 'give --origin'
run "$BIN" scan "${FEEDS[@]}"
expect_rc "no --zone is a usage error" 2
run "$BIN" scan --zone "$Z"
expect_rc "no --feed is a usage error" 2
run "$BIN" scan --zone "$Z" --feed "nosuch:$D/domains.txt"
expect_rc "an unknown feed format is a usage error" 2
run "$BIN" scan --zone "$Z" --feed "domains:$D/domains.txt"
expect_rc "a domains feed without a threat is a usage error" 2
run "$BIN" scan --zone "$Z" "${FEEDS[@]}" --threads 0
expect_rc "--threads 0 is a usage error" 2

# --record: cases per (registered domain, threat) in one transaction; a
# second scan joins them instead of opening new ones.
mkdir -p "$WORK/desk" && printf '[registry]\ntlds = sample\n' >"$WORK/desk/tldsec.conf"
DB=(--db "$WORK/desk/t.db" --config "$WORK/desk/tldsec.conf")
run "$BIN" "${DB[@]}" init
run "$BIN" "${DB[@]}" scan --zone "$Z" "${FEEDS[@]}" --record --out "$WORK/rec.jsonl" --summary "$WORK/recs.json"
expect_rc "scan --record exits 0" 0
if jq -e '.cases_opened == 20 and .cases_joined == 0' "$WORK/recs.json" >/dev/null; then
	ok "scan --record opens a case per implicated domain and threat"; else not_ok "record opened" "$(cat "$WORK/recs.json")"; fi
run "$BIN" "${DB[@]}" --format json case list
if jq -e 'length == 20 and all(.[]; .state == "new")' "$WORK/out" >/dev/null; then
	ok "the recorded cases are listed, new"; else not_ok "recorded cases" "$(head -c 300 "$WORK/out")"; fi
run "$BIN" "${DB[@]}" scan --zone "$Z" "${FEEDS[@]}" --record --out /dev/null --summary "$WORK/recs2.json"
if jq -e '.cases_opened == 0 and .cases_joined == 20' "$WORK/recs2.json" >/dev/null; then
	ok "a second scan joins the open cases"; else not_ok "record joined" "$(cat "$WORK/recs2.json")"; fi
run "$BIN" --db "$WORK/desk/none.db" --config "$WORK/desk/tldsec.conf" scan --zone "$Z" "${FEEDS[@]}" --record --out "$WORK/nodb.jsonl"
[[ $RC -ne 0 && ! -e $WORK/nodb.jsonl ]] && ok "scan --record without a database fails and writes nothing" || not_ok "record without db" "rc $RC"

# A zone of several parallel blocks (256 KiB each) whose continuation lines
# start at column 0 and look like owners, so that blocks parsed on a guess
# are often guessed wrong and parsed again; with $ORIGIN changes, owners
# whose NS and DS lie apart and a feed hit in every block: the same
# findings and counts with 2 threads as in order.
awk 'BEGIN {
	print "$ORIGIN mz.\n$TTL 300\n@ SOA ns.mz. h.mz. 1 2 3 4 5\n@ NS ns.mz."
	o = "mz"
	for (i = 0; i < 60000; i++) {
		if (i % 1000 == 0) print "d" i "." o > "/dev/stderr"
		printf "k%d DNSKEY ( 257 3 8\nAwEAAb%d\nAwEAAc%d )\n", i, i, i
		printf "d%d NS (\nns1.p%d.net. ) ; a comment\n\tNS ns2.p.net.\n", i, i % 97
		if (i % 3 == 0) printf "d%d DS 1 8 2 ABCDEF0123\n", i
		if (i % 12000 == 11999) { printf "$ORIGIN s%d.mz.\n", i; o = "s" i ".mz" }
		if (i % 7 == 0) printf "x%d NS ns.p.net.\nx%d DS 2 8 2 AB\n", i - 3, i - 3
	}
}' 2>"$WORK/many.feed" >"$WORK/many.db"
MANY=(--zone "$WORK/many.db" --feed "domains:$WORK/many.feed:botnet")
run "$BIN" scan "${MANY[@]}" --threads 1 --out "$WORK/m1.jsonl" --summary "$WORK/m1.json"
expect_rc "the zone of many blocks scans in order" 0
run "$BIN" scan "${MANY[@]}" --threads 2 --out "$WORK/m2.jsonl" --summary "$WORK/m2.json"
expect_rc "the zone of many blocks scans in parallel" 0
expect_same "parallel blocks, some guessed wrong: the same findings" "$WORK/m2.jsonl" "$WORK/m1.jsonl"
if [[ $(stat -c %s "$WORK/many.db") -gt 1500000 && $(wc -l <"$WORK/m1.jsonl") -eq 60 ]] &&
   [[ $(jq -c 'del(.seconds, .mb_per_s)' "$WORK/m1.json") == $(jq -c 'del(.seconds, .mb_per_s)' "$WORK/m2.json") ]]; then
	ok "parallel blocks, some guessed wrong: the same counts ($(jq -c '[.delegations, .ds_delegations, .findings]' "$WORK/m2.json"))"
else not_ok "many blocks counts" "$(cat "$WORK/m1.json")" "$(cat "$WORK/m2.json")"; fi

# The sample `make run` ships finds exactly what its generator planted.
E=$ROOT/examples/scan
run "$BIN" scan --zone "$E/zone.db" --feed "openphish:$E/openphish.txt" --feed "urlhaus:$E/urlhaus.csv" \
	--feed "domains:$E/domains.txt:botnet" --out "$WORK/e.jsonl" --summary "$WORK/es.json"
jq -r .domain "$WORK/e.jsonl" | sort -u >"$WORK/eg"
expect_same "the shipped sample's findings are the planted ones" "$WORK/eg" "$E/implicated.txt"

done_testing
