#!/usr/bin/env bash
# The risk workbench and the ecosystem map through the binary: help, formats,
# errors with positions and exit codes, atomic --out, reproducible and
# thread-independent simulation, merge suppression in every format.
source "$(dirname "$0")/lib.sh"
EX=$ROOT/examples
WS=$EX/risk/registry-worksheet.csv

for v in "risk" "risk assess" "risk simulate" "risk merge" "risk taxonomy" "ecosystem" "ecosystem map"; do
	# shellcheck disable=SC2086
	run "$BIN" $v --help
	expect_rc "'$v --help' exits 0" 0
	expect_grep "'$v --help' starts with Usage" "$WORK/out" "^Usage: tldsec $v"
done

# ---- assess ---------------------------------------------------------------------
run "$BIN" risk assess "$WS"
expect_rc "assess the example" 0
expect_grep "assess: highest risk first" "$WORK/out" '^R1  high       high        high       account-credential-compromise$'
if [[ -s $WORK/err ]]; then not_ok "assess of the example prints no warning" "$(cat "$WORK/err")"; else ok "assess of the example prints no warning"; fi

run "$BIN" risk assess "$WS" --format json
expect_rc "assess --format json" 0
if jq -e '.rows | length == 7' "$WORK/out" >/dev/null; then ok "json: seven rows"; else not_ok "json: seven rows"; fi
if jq -e '[.rows[].id] == ["R1","R2","R3","R4","R6","R5","R7"]' "$WORK/out" >/dev/null; then
	ok "json: sorted by risk then likelihood"; else not_ok "json: sorted by risk then likelihood" "$(jq -c '[.rows[].id]' "$WORK/out")"; fi
if jq -e '.rows[0].notes | startswith("A hijacked")' "$WORK/out" >/dev/null; then
	ok "json: unknown columns carried through"; else not_ok "json: unknown columns carried through"; fi
if jq -e '[.rows[] | .risk] == ["high","high","high","high","moderate","moderate","low"]' "$WORK/out" >/dev/null; then
	ok "json: risk words in lower case"; else not_ok "json: risk words in lower case"; fi

run "$BIN" --format csv risk assess "$WS"
expect_rc "assess --format csv (global option before the command)" 0
expect_grep "csv: header ends with the derived columns" "$WORK/out" ',overall_likelihood,risk,likelihood_score,impact_score,risk_score'

run "$BIN" risk assess "$WS" --format html --out "$WORK/report.html"
expect_rc "assess --format html --out" 0
expect_grep "html: inline SVG heat map" "$WORK/report.html" '<svg xmlns='
if grep -qiE '<script|src=|href=|@import|url\(' "$WORK/report.html"; then
	not_ok "html: no script and no external resource"; else ok "html: no script and no external resource"; fi
if [[ ! -s $WORK/out ]]; then ok "--out leaves standard output empty"; else not_ok "--out leaves standard output empty"; fi
if sed -n '/<svg/,/<\/svg>/p' "$WORK/report.html" | xmllint --noout - 2>"$WORK/xml"; then
	ok "html: the heat map is well-formed SVG"; else not_ok "html: the heat map is well-formed SVG" "$(head -5 "$WORK/xml")"; fi

# unknown threat event: a warning, not an error
printf 'id,threat_event,initiation_likelihood,impact_likelihood,impact\nX1,alien invasion,low,low,low\n' >"$WORK/unknown.csv"
run "$BIN" risk assess "$WORK/unknown.csv"
expect_rc "unknown threat event still assesses" 0
expect_grep "unknown threat event is a warning at its cell" "$WORK/err" "unknown.csv:2:4: warning: threat event 'alien invasion' is not in the taxonomy"

# malformed worksheets: exit 1, FILE:LINE:COL, nothing written
printf 'id,threat_event,initiation_likelihood,impact_likelihood,impact\nX1,phishing,high,often,low\n' >"$WORK/bad.csv"
run "$BIN" risk assess "$WORK/bad.csv" --out "$WORK/never.json" --format json
expect_rc "malformed worksheet exits 1" 1
expect_grep "malformed worksheet names line and column" "$WORK/err" "^tldsec: .*bad.csv:2:18: impact_likelihood: 'often'"
if [[ ! -e $WORK/never.json ]] && ! ls "$WORK"/never.json.tmp.* >/dev/null 2>&1; then
	ok "failed run leaves no output file"; else not_ok "failed run leaves no output file"; fi
printf 'id,threat_event,initiation_likelihood,impact_likelihood,impact\nX1,"phishing,high,low,low\n' >"$WORK/bad2.csv"
run "$BIN" risk assess "$WORK/bad2.csv"
expect_rc "unterminated quote exits 1" 1
expect_grep "unterminated quote is positioned" "$WORK/err" 'bad2.csv:2:4: unterminated quoted field'
run "$BIN" risk assess "$WORK/missing.csv"
expect_rc "missing file exits 1" 1

# usage errors
run "$BIN" risk assess
expect_rc "assess without a worksheet exits 2" 2
run "$BIN" risk assess "$WS" --bogus
expect_rc "unknown option exits 2" 2
run "$BIN" risk assess "$WS" --format yaml
expect_rc "unknown format exits 2" 2
run "$BIN" risk frobnicate
expect_rc "unknown verb exits 2" 2
run "$BIN" risk simulate "$WS" --trials 0
expect_rc "--trials 0 exits 2" 2
run "$BIN" risk simulate "$WS" --seed -3
expect_rc "negative seed exits 2" 2

# ---- simulate ---------------------------------------------------------------------
run "$BIN" risk simulate "$WS" --trials 200000 --seed 7 --threads 1 --format json
expect_rc "simulate with 1 thread" 0
cp "$WORK/out" "$WORK/sim1.json"
run "$BIN" risk simulate "$WS" --trials 200000 --seed 7 --threads 2 --format json
cp "$WORK/out" "$WORK/sim2.json"
expect_same "same seed, 1 or 2 threads: byte-identical" "$WORK/sim2.json" "$WORK/sim1.json"
run "$BIN" risk simulate "$WS" --trials 200000 --seed 8 --threads 2 --format json
if cmp -s "$WORK/out" "$WORK/sim1.json"; then not_ok "another seed gives another result"; else ok "another seed gives another result"; fi
if jq -e '.trials == 200000 and .seed == 7 and (.rows | length) == 7 and (.total.ale_mean > 0)
          and ([.rows[] | .p10 <= .p50 and .p50 <= .p90] | all)' "$WORK/sim1.json" >/dev/null; then
	ok "simulate json has the contract's keys"; else not_ok "simulate json has the contract's keys" "$(head -c 400 "$WORK/sim1.json")"; fi
if jq -e '[.rows[] | ((.ale_mean - .ale_analytic) / .ale_analytic | fabs) < 0.05] | all' "$WORK/sim1.json" >/dev/null; then
	ok "simulated means near the analytic means"; else not_ok "simulated means near the analytic means"; fi
run "$BIN" risk simulate "$WS" --trials 50000 --format html --out "$WORK/sim.html"
expect_rc "simulate --format html" 0
expect_grep "simulate html: loss exceedance SVG" "$WORK/sim.html" 'aria-label="loss exceedance curve"'
if sed -n '/<svg/,/<\/svg>/p' "$WORK/sim.html" | xmllint --noout - 2>"$WORK/xml"; then
	ok "simulate html: the curve is well-formed SVG"; else not_ok "simulate html: the curve is well-formed SVG" "$(head -5 "$WORK/xml")"; fi
run "$BIN" risk simulate "$WORK/unknown.csv"
expect_rc "simulate without quantitative columns exits 1" 1
expect_grep "simulate names the missing column" "$WORK/err" "unknown.csv:1:1: missing column 'tef_min'"

# ---- merge ---------------------------------------------------------------------------
C=$EX/risk/community
printf 'id,threat_event,initiation_likelihood,impact_likelihood,impact\nZ1,our-secret-weakness,very high,very high,very high\n' >"$WORK/zz.csv"
for fmt in table json csv; do
	run "$BIN" risk merge "$C"/operator-*.csv "$WORK/zz.csv" --format "$fmt"
	expect_rc "merge --format $fmt" 0
	if grep -qiE 'secret|insider|dnssec-key-loss|botnet' "$WORK/out" "$WORK/err"; then
		not_ok "merge --format $fmt never names a suppressed event"; else ok "merge --format $fmt never names a suppressed event"; fi
done
run "$BIN" risk merge "$C"/operator-*.csv "$WORK/zz.csv" --format json
if jq -e '.suppressed == 4 and .participants == 6 and ([.events[] | .participants >= 3] | all)' "$WORK/out" >/dev/null; then
	ok "merge json: counts and suppression"; else not_ok "merge json: counts and suppression" "$(cat "$WORK/out")"; fi
run "$BIN" risk merge "$C"/operator-*.csv --min-participants 9
expect_rc "merge with a high K" 0
expect_grep "merge with a high K publishes nothing" "$WORK/out" '^0 threat events published; 7 suppressed'
run "$BIN" risk merge "$C"/operator-*.csv --format csv
expect_grep "merge csv: the suppressed count on stderr, unnamed" "$WORK/err" 'warning: 3 threat events suppressed'
run "$BIN" risk merge "$C"/operator-a.csv "$WORK/bad.csv"
expect_rc "merge with a malformed worksheet exits 1" 1
run "$BIN" risk merge "$C"/operator-a.csv --min-participants 0
expect_rc "merge --min-participants 0 exits 2" 2

# ---- taxonomy -------------------------------------------------------------------------
run "$BIN" risk taxonomy --format json
expect_rc "taxonomy --format json" 0
cp "$WORK/out" "$WORK/taxonomy.json"
if jq -e '(.entries | length) as $n | [.entries[] | select(.provenance | length > 0)] | length == $n and $n > 30' "$WORK/out" >/dev/null \
   && jq -e '[.entries[].provenance] | map(test("RFC 3833")) | any' "$WORK/out" >/dev/null \
   && jq -e '[.entries[].provenance] | map(test("SAC 040")) | any' "$WORK/out" >/dev/null \
   && jq -e '[.entries[].provenance] | map(test("SAC 044")) | any' "$WORK/out" >/dev/null \
   && jq -e '[.entries[].provenance] | map(test("DSSA")) | any' "$WORK/out" >/dev/null; then
	ok "taxonomy: every entry has its provenance"; else not_ok "taxonomy: every entry has its provenance"; fi
run "$BIN" risk taxonomy
expect_grep "taxonomy text groups by kind" "$WORK/out" '^Vulnerabilities$'
(cd "$WORK" && "$BIN" risk taxonomy --format json >"$WORK/elsewhere.json" 2>&1)
expect_same "taxonomy does not need the source tree" "$WORK/elsewhere.json" "$WORK/taxonomy.json"

# ---- ecosystem map ----------------------------------------------------------------------
run "$BIN" ecosystem map "$EX/ecosystem-map.csv" --format json
expect_rc "ecosystem map --format json" 0
if jq -e '(.cells | length) == 30 and (.gaps | length) == 14 and (.overlaps | length) == 1 and (.disagreements | length) == 17' "$WORK/out" >/dev/null; then
	ok "ecosystem json: cells, gaps, overlaps, disagreements"; else not_ok "ecosystem json: cells, gaps, overlaps, disagreements"; fi
run "$BIN" ecosystem map "$EX/ecosystem-map.csv" --overlap 1
expect_grep "ecosystem --overlap changes the threshold" "$WORK/out" '^14 gaps, 7 overlaps'
run "$BIN" ecosystem map "$EX/ecosystem-map.csv" --format html --out "$WORK/map.html"
expect_rc "ecosystem map --format html" 0
expect_grep "ecosystem html marks gaps" "$WORK/map.html" 'class="gap"'
printf 'organization,function,layer,scope,basis\nX,incident response,middle,internal,self\n' >"$WORK/badmap.csv"
run "$BIN" ecosystem map "$WORK/badmap.csv"
expect_rc "bad layer exits 1" 1
expect_grep "bad layer is positioned" "$WORK/err" "badmap.csv:2:21: layer: 'middle' is not edge\\|glue\\|core"
run "$BIN" ecosystem nothing
expect_rc "unknown ecosystem verb exits 2" 2

done_testing
