#!/usr/bin/env bash
# make run: the main job on the shipped sample. The sample (examples/scan/)
# is made by bench/gen_zone.py (3,000 delegations, seed 11, three feeds);
# regenerate it with:  python3 bench/gen_zone.py 3000 examples/scan --seed 11 --origin example --feed-hits 25
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
