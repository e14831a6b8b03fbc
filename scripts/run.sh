#!/usr/bin/env bash
# make run: the main job on the shipped sample. The sample (examples/scan/)
# is made by bench/gen_zone.py (3,000 delegations, seed 11, three feeds);
# regenerate it with:  python3 bench/gen_zone.py 3000 examples/scan --seed 11 --origin example --feed-hits 25
# Then it starts tldsec serve on a demo database (var/demo.db: the scan's findings
# recorded as cases, a demo reporter and analyst) on 127.0.0.1:8053 in the
# foreground (TLDSEC_LISTEN=ADDR:PORT to move it), after printing curl commands.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/release}/tldsec
S=examples/scan
mkdir -p var
echo "== tldsec scan: the Specification 11 technical analysis of the sample zone"
echo "\$ tldsec scan --zone $S/zone.db --feed openphish:$S/openphish.txt --feed urlhaus:$S/urlhaus.csv \\"
echo "      --feed domains:$S/domains.txt:botnet --out var/findings.jsonl --summary var/summary.json"
"$BIN" scan --zone "$S/zone.db" --feed "openphish:$S/openphish.txt" --feed "urlhaus:$S/urlhaus.csv" \
	--feed "domains:$S/domains.txt:botnet" --out var/findings.jsonl --summary var/summary.json
echo
echo "Findings (var/findings.jsonl, first 5 of $(wc -l <var/findings.jsonl)):"
head -5 var/findings.jsonl
echo
echo "Summary (var/summary.json):"
cat var/summary.json
echo
echo "== tldsec zone stats: DNSSEC adoption and name-server concentration"
"$BIN" zone stats "$S/zone.db" | head -20
echo "  ..."
echo
echo "== tldsec serve: the intake API on a demo database (var/demo.db)"
DB=var/demo.db
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" --db "$DB" init
"$BIN" --db "$DB" scan --zone "$S/zone.db" --feed "openphish:$S/openphish.txt" --feed "urlhaus:$S/urlhaus.csv" \
	--feed "domains:$S/domains.txt:botnet" --record --out /dev/null >/dev/null
echo "recorded the scan's findings as cases: $("$BIN" --db "$DB" case list --format csv | tail -n +2 | wc -l) cases"
REP=$("$BIN" --db "$DB" reporter add --name "Demo CERT" --tier government --verified --format csv | tail -1 | cut -d, -f2)
ANA=$("$BIN" --db "$DB" reporter add --name "Demo analyst" --tier public --role analyst --format csv | tail -1 | cut -d, -f2)
LISTEN=${TLDSEC_LISTEN:-127.0.0.1:8053}
cat <<MSG

Demo tokens (shown once; only their SHA-256 is stored):
  reporter (government, verified): $REP
  analyst:                         $ANA

Submit a report:
  curl -s -H 'Authorization: Bearer $REP' \\
       -d '{"domains":["login.bank-secure.example"],"threat":"phishing","description":"kit"}' \\
       http://$LISTEN/v1/reports

Work the queue as the analyst:
  curl -s -H 'Authorization: Bearer $ANA' 'http://$LISTEN/v1/cases?limit=5'
  curl -s -H 'Authorization: Bearer $ANA' -d '{"message":"on it"}' http://$LISTEN/v1/cases/1/ack
  curl -s http://$LISTEN/metrics

Starting the daemon in the foreground (Ctrl-C stops it):
MSG
exec "$BIN" --db "$DB" serve --listen "$LISTEN"
