#!/usr/bin/env bash
# tldsec stats on a database seeded through the real commands with the clock
# moved (reports, acks, assessments, actions, two recorded scans, an
# imported registration file): every number of the JSON against a
# hand-computed expectation (tests/data/stats/expected.json), cases across
# both edges of the period, the CSV, the HTML rendered by headless Chromium.
source "$(dirname "$0")/lib.sh"
D=$ROOT/tests/data/stats
cd "$WORK" || exit 1
T=$BIN
at() { TLDSEC_NOW=$1; shift; TLDSEC_NOW=$TLDSEC_NOW "$@"; }
q() { "$@" >/dev/null 2>"$WORK/seed.err" || { echo "# seeding failed: $* ($(head -3 "$WORK/seed.err"))"; exit 1; }; }
cid() { "$T" case list --format csv | awk -F, -v d="$1" '$2 == d { print $1 }'; }
report() { # NOW REPORTER DOMAIN THREAT [FLAG]
	local flags='[]'
	[[ -n ${5:-} ]] && flags="[\"$5\"]"
	printf '{"domains":["%s"],"threat":"%s","flags":%s}' "$3" "$4" "$flags" >r.json
	q at "$1" "$T" report submit --reporter "$2" r.json
}

q at 2026-01-01T00:00:00Z "$T" init
q at 2026-01-01T00:00:00Z "$T" reporter add --name Police --tier law_enforcement --verified
q at 2026-01-01T00:00:00Z "$T" reporter add --name Jane --tier public --email jane@example.org
# C1: before the period, high; acknowledged before it, assessed, suspended, closed inside it
report 2026-01-05T00:00:00Z 1 c1.example phishing threat_to_life
C1=$(cid c1.example)
q at 2026-01-05T12:00:00Z "$T" case ack "$C1"
q at 2026-01-11T00:00:00Z "$T" case assess "$C1" --validity confirmed --registration malicious --responsible registrant
q at 2026-01-11T01:00:00Z "$T" case act "$C1" --action suspend
q at 2026-01-12T00:00:00Z "$T" case close "$C1"
# C6: received at the first second of the period, low, closed the same day
report 2026-01-10T00:00:00Z 2 pharm6.example pharming
C6=$(cid pharm6.example)
q at 2026-01-10T01:00:00Z "$T" case ack "$C6"
q at 2026-01-10T02:00:00Z "$T" case assess "$C6" --validity false-positive --registration unknown --responsible other
q at 2026-01-10T03:00:00Z "$T" case close "$C6"
# C2: low, acknowledged and answered in time, no action, closed
report 2026-01-15T00:00:00Z 2 spam1.example spam
C2=$(cid spam1.example)
q at 2026-01-15T06:00:00Z "$T" case ack "$C2"
q at 2026-01-16T06:00:00Z "$T" case assess "$C2" --validity insufficient-evidence --registration unknown --responsible registrant
q at 2026-01-16T07:00:00Z "$T" case act "$C2" --action no-action --reason "not enough evidence"
q at 2026-01-16T08:00:00Z "$T" case close "$C2"
# scan 1: alpha and beta (malware, standard)
printf 'alpha.example\nbeta.example\n' >feed1.txt
q at 2026-01-20T00:00:00Z "$T" scan --zone "$D/zone.txt" --feed "domains:feed1.txt:malware" --record --out f1.jsonl
A=$(cid alpha.example)
q at 2026-01-20T12:00:00Z "$T" case ack "$A"
q at 2026-01-21T12:00:00Z "$T" case assess "$A" --validity confirmed --registration compromised --responsible hosting
q at 2026-01-21T13:00:00Z "$T" case act "$A" --action refer-registrar
# C4: low, acknowledged late, never answered
report 2026-02-01T00:00:00Z 2 phish4.example phishing
q at 2026-02-03T00:00:00Z "$T" case ack "$(cid phish4.example)"
# scan 2: alpha again (joins its open case) and delta (new)
printf 'alpha.example\ndelta.example\n' >feed2.txt
q at 2026-02-15T00:00:00Z "$T" scan --zone "$D/zone.txt" --feed "domains:feed2.txt:malware" --record --out f2.jsonl
q at 2026-02-15T01:00:00Z "$T" case ack "$(cid delta.example)"
# C3: high, near the end, acknowledged only after the period
report 2026-02-27T00:00:00Z 1 mal3.example malware threat_to_life
q at 2026-03-02T00:00:00Z "$T" case ack "$(cid mal3.example)"
# C5: received at the period's end (excluded: the end is exclusive)
report 2026-03-01T00:00:00Z 2 late5.example spam
run "$T" registrations import "$D/registrations.csv"
expect_rc "registrations import" 0
expect_same "import counts rows, domains, registrars" "$WORK/out" <(echo '{"rows":11,"domains":10,"registrars":3}')

# The expectation, by hand, for [2026-01-10, 2026-03-01):
# - identified (received in the period): pharm6 (at the first second), spam1, alpha, beta, phish4, delta,
#   mal3 = 7: phishing 1, malware 4, pharming 1, spam 1; c1 (before) and late5 (at the end) are out.
#   Months: January from the 10th: 4 (malware 2, pharming, spam), 3 actions; February: 3 (malware 2, phishing).
# - origins: links of reports received in the period: the feed's 4 (two scans x two domains; alpha's
#   second scan report joins its case), police 1 (mal3), public 3 (pharm6, spam1, phish4).
# - actions in the period: suspend (c1), no-action (spam1), refer-registrar (alpha) = 3.
# - high: no ack in the period (c1 before, mal3 after); response: c1 assessed 01-11, 6 days after
#   receipt = 518400 s, later than its due (01-06T12). standard: acks alpha 12 h, delta 1 h, both in
#   time: median (nearest rank 1 of 2) 3600, p90 (rank 2) 43200; response alpha 36 h = 129600, in time.
#   low: acks pharm6 1 h, spam1 6 h, phish4 48 h (late): median rank 2 of 3 = 21600, p90 rank 3 = 172800,
#   2 of 3 = 66.67 %; responses pharm6 2 h, spam1 30 h: median 7200, p90 108000, both in time.
#   Histogram (report to assessment): 2 h in 1-4, 30 h and 36 h in 24-48, 144 h in 72-168.
# - at 03-01: open alpha (actioned, no clock), beta (ack due 01-21: overdue), phish4 (response due
#   02-10: overdue), delta (response due 02-18: overdue), mal3 (ack due 02-28: overdue) = 5, 4 overdue
#   (2 ack, 2 response): high 1, standard 3, low 1. The daily series counts the cases received before
#   each midnight and not closed before it (c1 until 01-12, spam1 on 01-16, ...).
# - scans: 12 records, 4 delegations, 2 with DS (50 %), beta and gamma single-NS, gamma in-bailiwick,
#   5 NS hosts, providers hostco.net 2, gamma.example 1, otherdns.org 1: HHI 50^2 + 25^2 + 25^2 = 3750.
# - registrations: 11 rows, spam1 moved to R2 by its second (differently written) row: R1 alpha beta
#   gamma, R2 delta phish4 spam1, R3 mal3 c1 r3a r3b. Threats: R2 delta, phish4 (7 days old), spam1
#   (26 days) = 3, 2 young, 10000 per 10k; R1 alpha (10 days), beta = 2, 1 young, 6666.67; R3 mal3 = 1,
#   2500. Matched 6, unmatched 1 (pharm6), young 3 of 6 = 50 %.
run "$T" stats --from 2026-01-10 --to 2026-03-01 --format json
expect_rc "stats exits 0" 0
cp "$WORK/out" stats.json
if jq -e . stats.json >/dev/null 2>&1; then ok "stats prints valid JSON"; else not_ok "stats prints valid JSON" "$(head -c 400 stats.json)"; fi
# every number but the scans' record counts and times, which the next checks pin
jq -S 'del(.scans[].at, .zone.at)' stats.json >got.json
jq -S . "$D/expected.json" >want.json
expect_same "every number matches the hand-computed expectation" got.json want.json
if jq -e '[.scans[].at] == ["2026-01-20T00:00:00Z","2026-02-15T00:00:00Z"] and .zone.at == "2026-02-15T00:00:00Z"' stats.json >/dev/null; then
	ok "scans carry the time they were recorded"; else not_ok "scan times" "$(jq -c '[.scans[].at]' stats.json)"; fi

# a period inside one month: no month rows, a daily backlog, nothing identified
run "$T" stats --from 2026-02-02 --to 2026-02-10 --format json
if jq -e '.months == [] and .threats.total == 0 and .backlog.open == 3 and (.backlog.series | length) == 9' "$WORK/out" >/dev/null; then
	ok "one-month period: no month rows, backlog 3"; else not_ok "one-month period" "$(jq -c '{months,threats,backlog:.backlog.open,n:(.backlog.series|length)}' "$WORK/out")"; fi
# a long period: monthly backlog points
run "$T" stats --from 2025-11-01 --to 2026-06-01 --format json
if jq -e '.backlog.series_step == "month" and (.backlog.series | length) == 8 and (.months | length) == 7 and .threats.total == 9' "$WORK/out" >/dev/null; then
	ok "seven-month period: month rows and monthly backlog"; else not_ok "long period" "$(jq -c '{s:.backlog.series_step,n:(.backlog.series|length),m:(.months|length),t:.threats.total}' "$WORK/out")"; fi

# CSV: one table with a section column
run "$T" stats --from 2026-01-10 --to 2026-03-01 --format csv --out stats.csv
expect_rc "stats --format csv --out" 0
expect_grep "CSV header" stats.csv '^section,key,subkey,value$'
expect_grep "CSV threats by type" stats.csv '^threats_by_type,malware,,4$'
expect_grep "CSV low ack share" stats.csv '^ack_times,low,within_due_pct,66\.67$'
expect_grep "CSV registrar name quoted" stats.csv '^registrar,R1,name,"Alpha Registrar, Inc\."$'

# usage and data errors
run "$T" stats --from 2026-03-01 --to 2026-01-01
expect_rc "--from after --to: exit 2" 2
run "$T" stats --from yesterday --to 2026-01-01
expect_rc "bad date: exit 2" 2
run "$T" stats --from 2026-01-01 --to 2026-02-01 --format table
expect_rc "table is not a stats format: exit 2" 2
printf 'domain,registrar_id,registrar_name,created\nok.example,R9,X,2026-01-01\nbad..example,R9,X,2026-01-01\n' >bad.csv
run "$T" registrations import bad.csv
expect_rc "bad domain: exit 1" 1
expect_grep "bad domain names FILE:LINE:COL" "$WORK/err" 'bad.csv:3:[0-9]+: .*bad domain'
printf 'domain,registrar_id,registrar_name,created\nok.example,R9,X,last week\n' >bad2.csv
run "$T" registrations import bad2.csv
expect_grep "bad date names FILE:LINE:COL" "$WORK/err" 'bad2.csv:2:17: .*created'
printf 'domain,registrar,created\n' >bad3.csv
run "$T" registrations import bad3.csv
expect_grep "missing column named" "$WORK/err" "lacks the column 'registrar_id'"
run "$T" stats --from 2026-01-10 --to 2026-03-01 --format json
if jq -e '.registrations.domains == 10' "$WORK/out" >/dev/null; then
	ok "a refused import leaves the data as it was"; else not_ok "refused import kept data"; fi

# the zone statistics of a scan recorded with one thread (no statistics thread) are the same
run env TLDSEC_NOW=2026-01-20T00:00:00Z "$T" --db one.db init
run env TLDSEC_NOW=2026-01-20T00:00:00Z "$T" --db one.db scan --zone "$D/zone.txt" --feed "domains:feed1.txt:malware" --record --threads 1 --out /dev/null --summary /dev/null
expect_rc "scan --record --threads 1" 0
run "$T" --db one.db stats --from 2026-01-01 --to 2026-02-01
if jq -e --slurpfile w "$D/expected.json" '.zone | del(.at) == $w[0].scans[0]' "$WORK/out" >/dev/null; then
	ok "one-thread scan records the same zone statistics"; else not_ok "one-thread scan" "$(jq -c .zone "$WORK/out")"; fi

# HTML: self-contained, the charts present, rendered by headless Chromium
run "$T" stats --from 2026-01-10 --to 2026-03-01 --format html --out stats.html
expect_rc "stats --format html" 0
for id in chart-types chart-months chart-response chart-backlog chart-scans; do
	expect_grep "HTML has the chart $id" stats.html "<svg [^>]*id=\"$id\""
done
[[ $(grep -o 'class="bar"' stats.html | wc -l) -eq 9 ]] && ok "bars: 7 types and 2 months" || not_ok "bar count"
[[ $(grep -o 'class="bin"' stats.html | wc -l) -eq 8 ]] && ok "histogram: 8 bins" || not_ok "bin count"
expect_grep "backlog line" stats.html '<polyline class="line"'
expect_grep "registrar name escaped" stats.html 'Gamma &lt;Reg&gt;'
if grep -qiE '<script|src="http|href="http|@import|url\(' stats.html; then not_ok "no script, no external reference"; else ok "no script, no external reference"; fi
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $CHROME ]]; then
	not_ok "chromium is installed (scripts/deps.sh)"
else
	prof=$(mktemp -d)
	flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
	       --disable-sync --no-first-run --user-data-dir="$prof" --enable-logging=stderr --v=0)
	timeout 60 "$CHROME" "${flags[@]}" --screenshot="$WORK/stats.png" --window-size=1200,2000 \
		"file://$WORK/stats.html" >chrome.out 2>chrome.err
	timeout 60 "$CHROME" "${flags[@]}" --dump-dom "file://$WORK/stats.html" >dom.html 2>>chrome.err
	rm -rf "$prof"
	if grep -qE 'Uncaught|CONSOLE\(|console\.(error|warn)' chrome.err; then
		not_ok "no console error in Chromium" "$(grep -E 'Uncaught|CONSOLE' chrome.err | head -5)"; else ok "no console error in Chromium"; fi
	n=$(grep -o '<svg[^>]*class="chart"' dom.html | wc -l)
	[[ $n -eq 5 ]] && ok "Chromium parsed the five charts" || not_ok "Chromium parsed the five charts" "got $n"
	if python3 "$ROOT/tests/integration/png_check.py" "$WORK/stats.png" 1200 2000; then
		ok "the screenshot is a 1200x2000 PNG with the charts' colours"
	else
		not_ok "screenshot check" "$(tail -3 chrome.err)"
	fi
fi
done_testing
