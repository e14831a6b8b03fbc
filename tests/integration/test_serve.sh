#!/usr/bin/env bash
# tldsec serve: the real daemon on a random loopback port, every endpoint and
# error answer, roles, rate limits, caps, a slow client, TLS, SIGTERM; the
# daemon's stderr must hold no sanitizer report.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/servelib.sh"
cd "$WORK" || exit 1
trap 'kill -9 $SPID 2>/dev/null; rm -rf "$WORK"' EXIT
command -v curl >/dev/null || { not_ok "curl is installed (scripts/deps.sh)"; done_testing; exit 1; }

T=$BIN
DB=$WORK/t.db
"$T" --db "$DB" init >/dev/null
tok() { "$T" --db "$DB" reporter add --format csv "$@" | tail -1 | cut -d, -f2; }
LE=$(tok --name "Police" --tier law_enforcement --verified)
PUB=$(tok --name "Jane" --tier public)
AN=$(tok --name "Ana" --tier public --role analyst)
AUD=$(tok --name "Audrey" --tier public --role auditor)
OFF=$(tok --name "Gone" --tier government)
"$T" --db "$DB" reporter disable 5 >/dev/null

run "$T" reporter add --name X --tier public --role wizard --db "$DB"
expect_rc "unknown role refused" 1
run "$T" serve --help
expect_grep "serve --help" "$WORK/out" '^Usage: tldsec serve'
run "$T" serve --workers 0
expect_rc "--workers 0 is a usage error" 2
run "$T" serve --tls-cert x.pem
expect_rc "--tls-cert without --tls-key is a usage error" 2
run "$T" --db "$DB" serve --listen nowhere
expect_rc "a bad --listen is a usage error" 2

serve_start "$DB" "" || { not_ok "daemon starts" "$(cat "$WORK/serve.err")"; done_testing; exit 1; }
ok "daemon starts and prints its readiness line"
expect_grep "readiness line is key=value" "$WORK/serve.err" '^ts=[0-9T:Z-]+ level=info msg=ready url=http://127\.0\.0\.1:[0-9]+ workers=2 tls=no'

# ---- reports ----
REP='{"domains":["www.bad.example"],"urls":["https://login.bad.example/x"],"threat":"phishing","flags":["threat_to_life"],"description":"kit"}'
req POST /v1/reports "$LE" "$REP"
expect_code "POST /v1/reports: 201" 201
[[ $(json_get out 'd["report_id"], d["case_ids"], d["priority"]') == "1 [1] high" ]] && ok "receipt: report, cases, priority" ||
	not_ok "receipt: report, cases, priority" "$(cat out)"
expect_grep "receipt has the clocks" out '"received_at":"[0-9T:Z-]+","ack_due":"[0-9T:Z-]+","response_due":"[0-9T:Z-]+"'
run "$T" --db "$DB" case show 1
expect_grep "the acknowledged report is in the database" "$WORK/out" 'bad\.example'

req POST /v1/reports "$PUB" '{"domains":["shop.bad.example"],"threat":"malware"}'
expect_code "second reporter's report: 201" 201
req POST /v1/reports "$LE" '{"domains":["www.bad.example"],"threat":"phishing",'
expect_code "malformed JSON: 400" 400
[[ $(json_get out 'd["error"]["code"], d["error"]["line"], d["error"]["col"]') == "malformed_json 1 51" ]] &&
	ok "malformed JSON: code and byte position" || not_ok "malformed JSON: code and byte position" "$(cat out)"
req POST /v1/reports "$LE" $'{"domains":["a.example"],\n "threat":"phishing", "colour":"red"}'
expect_code "unknown field: 400" 400
[[ $(json_get out 'd["error"]["code"], d["error"]["field"]') == 'unknown_field $.colour' ]] &&
	ok "unknown field: its path" || not_ok "unknown field: its path" "$(cat out)"
req POST /v1/reports "$LE" '{"domains":["www.bad.com","ok.example","evil.org"],"threat":"phishing"}'
expect_code "names outside the TLDs: 422" 422
expect_grep "422 names each bad name" out "www\.bad\.com.*evil\.org"
req POST /v1/reports "$LE" '{"domains":[],"threat":"phishing"}'
expect_code "a report without names: 400" 400
req POST /v1/reports "$LE" '[1,2]'
expect_code "a body that is not an object: 400" 400
head -c 1100000 /dev/zero | tr '\0' ' ' >big.json
req POST /v1/reports "$LE" @big.json
expect_code "oversize body (declared length): 413" 413
expect_grep "413 names the cap" out 'max_body_bytes'
req POST /v1/reports "$LE" @big.json -H 'Transfer-Encoding: chunked' -H 'Expect:'
# the daemon answers and closes while curl is still sending: curl may see the reset
grep -q '^HTTP/1.1 413' hdr && grep -q '"code":"too_large"' out && ok "oversize body (chunked, no length): 413" ||
	not_ok "oversize body (chunked, no length): 413" "$(cat hdr out)"
req GET /v1/cases "$AN" "" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)"
expect_code "oversize headers: 431" 431

# ---- tokens and roles ----
req POST /v1/reports - "$REP"
expect_code "no token (anonymous not allowed): 401" 401
expect_grep "401 says what is missing" out 'bearer token'
grep -qi '^WWW-Authenticate: Bearer' hdr && ok "401 carries WWW-Authenticate" || not_ok "401 carries WWW-Authenticate"
req POST /v1/reports "tsk_wrongwrongwrongwrongwrongwrongwrongwrongwro" "$REP"
expect_code "wrong token: 401" 401
req POST /v1/reports "$OFF" "$REP"
expect_code "disabled reporter's token: 401" 401
req GET /v1/cases - "" -H "Authorization: Basic dXNlcjpwYXNz"
expect_code "not a bearer token: 401" 401
req GET /v1/cases "$LE"
expect_code "reporter lists cases: 403" 403
req GET /v1/cases/1 "$PUB"
expect_code "reporter reads a case: 403" 403
req GET /v1/stats "$LE"
expect_code "reporter reads stats: 403" 403
req GET /v1/reports/1 "$PUB"
expect_code "reporter reads another reporter's report: 404" 404
req GET /v1/reports/2 "$PUB"
expect_code "reporter reads its own report: 200" 200
[[ $(json_get out 'd["report_id"], d["cases"][0]["domain"], d["cases"][0]["state"]') == "2 bad.example new" ]] &&
	ok "own report shows its case" || not_ok "own report shows its case" "$(cat out)"
req POST /v1/reports "$AN" "$REP"
expect_code "analyst submits a report: 403" 403
req POST /v1/cases/1/ack "$AUD" '{}'
expect_code "auditor acknowledges: 403" 403
req GET /v1/cases "$AUD"
expect_code "auditor lists cases: 200" 200

# ---- cases ----
req GET /v1/cases "$AN"
expect_code "analyst lists cases: 200" 200
[[ $(json_get out 'd["count"], d["cases"][0]["priority"], d["cases"][0]["clock"]') == "2 high ack" ]] &&
	ok "case list: high priority first, ack clock" || not_ok "case list" "$(cat out)"
req GET '/v1/cases?state=new&priority=standard' "$AN"
[[ $(json_get out 'd["count"]') == "0" ]] && ok "case list filters" || not_ok "case list filters" "$(cat out)"
req GET '/v1/cases?colour=red' "$AN"
expect_code "unknown query argument: 400" 400
req GET '/v1/cases?overdue=maybe' "$AN"
expect_code "bad overdue value: 400" 400
req GET /v1/cases/1 "$AN"
expect_code "case show: 200" 200
[[ $(json_get out 'd["domain"], len(d["reports"]), d["reports"][0]["tier"]') == "bad.example 1 law_enforcement" ]] &&
	ok "case show: reports" || not_ok "case show: reports" "$(cat out)"
req GET /v1/cases/99 "$AN"
expect_code "unknown case: 404" 404
req POST /v1/cases/1/actions "$AN" '{"kind":"suspend","reason":"x"}'
expect_code "act before assessing: 409" 409
req POST /v1/cases/1/ack "$AN" '{"message":"on it"}'
expect_code "ack: 200" 200
[[ $(json_get out 'd["state"], d["clock"]') == "acknowledged response" ]] && ok "ack starts the response clock" ||
	not_ok "ack starts the response clock" "$(cat out)"
req POST /v1/cases/1/ack "$AN" '{}'
expect_code "ack twice: 409" 409
req POST /v1/cases/1/assess "$AN" '{"validity":"confirmed","registration":"malicious","colour":1}'
expect_code "assess with an unknown field: 400" 400
[[ $(json_get out 'd["error"]["field"]') == '$.colour' ]] && ok "verb body: unknown field path" || not_ok "verb body: unknown field path" "$(cat out)"
req POST /v1/cases/1/assess "$AN" '{"validity":3}'
expect_code "assess with a number: 400" 400
req POST /v1/cases/1/assess "$AN" '{"validity":"confirmed",'
expect_code "verb body malformed: 400" 400
expect_grep "verb body malformed: position" out '"line":1,"col":[0-9]+'
req POST /v1/cases/1/assess "$AN" '{"validity":"confirmed","registration":"malicious","responsible":"registrant","note":"kit"}'
expect_code "assess: 200" 200
req POST /v1/cases/1/actions "$AN" '{"kind":"lock"}'
expect_code "lock without a court order: 409" 409
req POST /v1/cases/1/actions "$AN" '{"kind":"suspend","reason":"phishing kit"}'
expect_code "act: 201" 201
expect_grep "act returns the action and its undo" out '"action_id":1,"undo":"tldsec case undo 1"'
req POST /v1/cases/1/close "$AN" '{"outcome":"suspended"}'
expect_code "close: 200" 200
req POST /v1/cases/1/close "$AN" '{}'
expect_code "close without outcome: 400" 400
req GET /v1/reports/1 "$LE"
[[ $(json_get out 'len(d["answers"]) >= 2') == True ]] && ok "the reporter sees the answers" || not_ok "the reporter sees the answers" "$(cat out)"
req GET /v1/cases/1/ack "$AN"
expect_code "GET on a POST route: 405" 405
req DELETE /v1/cases/1 "$AN"
expect_code "DELETE: 405" 405
req GET /v1/nothing "$AN"
expect_code "unknown path: 404" 404
req GET /v1/cases/0 "$AN"
expect_code "case id 0: 404" 404

# ---- stats, health, metrics ----
# the database holds two cases received during this test (phishing high, one closed; malware), reported
# by a law-enforcement and a public reporter
req GET /v1/stats "$AN"
expect_code "stats: 200" 200
[[ $(json_get out 'd["threats"]["total"], d["threats"]["by_type"]["phishing"], d["threats"]["by_type"]["malware"]') == "2 1 1" ]] &&
	ok "stats (last 30 days): threats by type" || not_ok "stats counts" "$(cat out)"
FROM=$(date -u -d '-1 day' +%Y-%m-%d); TO=$(date -u -d '+2 days' +%Y-%m-%d)
req GET "/v1/stats?from=$FROM&to=$TO" "$AUD"
expect_code "stats with from and to (auditor): 200" 200
cp out daemon.json
"$T" --db "$DB" stats --from "$FROM" --to "$TO" --format json >cli.json 2>"$WORK/err"
cmp -s daemon.json cli.json && ok "stats: the same document as 'tldsec stats --format json'" ||
	not_ok "stats: the same document as the CLI" "$(diff daemon.json cli.json | head -5)"
[[ $(json_get daemon.json 'd["period"]["from"], d["origins"]["reports_by_tier"]["law_enforcement"], d["origins"]["reports_by_tier"]["public"], d["backlog"]["open"]') == "${FROM}T00:00:00Z 1 1 1" ]] &&
	ok "stats: the period, origins by tier and the backlog at to" || not_ok "stats: the period and origins by tier" "$(cat out)"
req GET "/v1/stats?from=2020-01-01&to=2020-02-01" "$AN"
[[ $CODE == 200 && $(json_get out 'd["threats"]["total"], d["backlog"]["open"]') == "0 0" ]] &&
	ok "stats of a period before the cases: none" || not_ok "stats of an old period" "$CODE $(cat out)"
req GET "/v1/stats?from=yesterday" "$AN"
[[ $CODE == 400 && $(json_get out 'd["error"]["code"], d["error"]["field"]') == "invalid from" ]] &&
	ok "stats: a bad from is 400 naming the field" || not_ok "stats: bad from" "$CODE $(cat out)"
req GET "/v1/stats?from=2026-02-01&to=2026-01-01" "$AN"
[[ $CODE == 400 && $(json_get out 'd["error"]["field"]') == "from" ]] &&
	ok "stats: from after to is 400" || not_ok "stats: from after to" "$CODE $(cat out)"
req GET "/v1/stats?to=2026-13-01" "$AN"
[[ $CODE == 400 && $(json_get out 'd["error"]["field"]') == "to" ]] &&
	ok "stats: a bad to is 400 naming the field" || not_ok "stats: bad to" "$CODE $(cat out)"
req GET "/v1/stats?colour=red" "$AN"
[[ $CODE == 400 && $(json_get out 'd["error"]["code"], d["error"]["field"]') == "unknown_field colour" ]] &&
	ok "stats: an unknown query argument is 400" || not_ok "stats: unknown argument" "$CODE $(cat out)"
req GET /healthz -
expect_code "healthz: 200" 200
expect_grep "healthz body" out '^\{"status":"ok"\}$'
req GET /metrics -
expect_code "metrics: 200" 200
expect_grep "metrics: requests by route and status" out '^tldsec_http_requests_total\{route="POST /v1/reports",status="201"\} 2$'
expect_grep "metrics: latency histogram" out '^tldsec_http_request_duration_seconds_bucket\{le="\+Inf"\} [0-9]+$'
expect_grep "metrics: reports by tier and priority" out '^tldsec_reports_total\{tier="law_enforcement",priority="high"\} 1$'
expect_grep "metrics: open cases" out '^tldsec_cases_open 1$'
expect_grep "metrics: overdue cases" out '^tldsec_cases_overdue 0$'
expect_grep "metrics: commit batch sizes" out '^tldsec_commit_batch_size_count [0-9]+$'
grep -qi '^Content-Type: text/plain; version=0.0.4' hdr && ok "metrics content type" || not_ok "metrics content type"

# ---- slow client ----
serve_stop
[[ $SRC -eq 0 ]] && ok "SIGTERM: exit 0" || not_ok "SIGTERM: exit 0" "exit $SRC"
expect_grep "shutdown is logged" "$WORK/serve.err" 'msg=stopped'

cat >limits.conf <<'C'
[server]
timeout_seconds = 1
[limits]
rate_public = 2
burst_seconds = 1
rate_anonymous = 1
[intake]
allow_anonymous = yes
C
serve_start "$DB" limits.conf || { not_ok "daemon starts with limits.conf" "$(tail "$WORK/serve.err")"; done_testing; exit 1; }
port=${URL##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /v1/reports HTTP/1.1\r\nHost: x\r\n' >&3
sleep 2.5
if timeout 3 cat <&3 >/dev/null; then ok "slow client: the connection is closed after timeout_seconds"; else
	not_ok "slow client: the connection is closed after timeout_seconds"; fi
exec 3>&-

# ---- rate limits ----
codes=""
for i in 1 2 3 4; do
	req POST /v1/reports "$PUB" '{"domains":["flood.example"],"threat":"spam"}'
	codes="$codes $CODE"
done
[[ $codes == *429* && $codes == " 201 201"* ]] && ok "per-token flood: 429 after the burst ($codes)" || not_ok "per-token flood: 429 after the burst" "$codes"
grep -qiE '^Retry-After: [0-9]+' hdr && ok "429 carries Retry-After" || not_ok "429 carries Retry-After" "$(cat hdr)"
expect_grep "429 body" out '"code":"rate_limited"'
req POST /v1/reports "$LE" '{"domains":["flood.example"],"threat":"spam"}'
expect_code "another token is not limited: 201" 201
req POST /v1/reports - '{"domains":["anon.example"],"threat":"spam"}'
expect_code "anonymous allowed by policy: 201" 201
req POST /v1/reports - '{"domains":["anon.example"],"threat":"spam"}'
expect_code "anonymous flood from one address: 429" 429
req POST /v1/reports - '{"domains":["anon.example"],"threat":"spam","reporter":{"email":"p@example.org"}}' -H 'X-Forwarded-For: 1.2.3.4'
expect_code "the per-address limit ignores X-Forwarded-For" 429
req GET /metrics -
expect_grep "metrics count the anonymous report by its tier" out '^tldsec_reports_total\{tier="anonymous",priority="low"\} 1$'
serve_stop

# ---- TLS ----
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost \
		-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
	if serve_start "$DB" "" --tls-cert cert.pem --tls-key key.pem; then
		ok "TLS: daemon starts"
		[[ $URL == https://* ]] && ok "TLS: readiness line says https" || not_ok "TLS: readiness says https" "$URL"
		req GET /healthz - "" --cacert cert.pem
		expect_code "TLS: healthz over HTTPS" 200
		serve_stop
	else
		not_ok "TLS: daemon starts" "$(tail -5 "$WORK/serve.err")"
	fi
fi
expect_no_sanitizer "no sanitizer report in the daemon's stderr"
done_testing
