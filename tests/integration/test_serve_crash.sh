#!/usr/bin/env bash
# Durability: 20 rounds of submitting reports under load (8 connections),
# killing tldsec serve with SIGKILL mid-load, and restarting it on the same
# database. Every report the daemon acknowledged (201) must be stored, the
# audit chain must hold, and the daemon's stderr must hold no sanitizer report.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/servelib.sh"
cd "$WORK" || exit 1
trap 'kill -9 $SPID 2>/dev/null; rm -rf "$WORK"' EXIT
HERE=$ROOT/tests/integration
ROUNDS=${SERVE_CRASH_ROUNDS:-20}
DB=$WORK/c.db
cat >crash.conf <<'C'
[limits]
rate_law_enforcement = 1000000
C
"$BIN" --db "$DB" init >/dev/null
TOK=$("$BIN" --db "$DB" reporter add --name "Police" --tier law_enforcement --verified --format csv | tail -1 | cut -d, -f2)
: >acked
started=0
for r in $(seq "$ROUNDS"); do
	serve_start "$DB" crash.conf || break
	started=$((started + 1))
	python3 "$HERE/load_reports.py" "$URL" "$TOK" acked 8 30 &
	LPID=$!
	sleep 0.$((3 + RANDOM % 5))
	kill -9 "$SPID"
	wait "$SPID" 2>/dev/null
	wait "$LPID"
done
[[ $started -eq $ROUNDS ]] && ok "$ROUNDS rounds: the daemon restarted after every SIGKILL" ||
	not_ok "$ROUNDS rounds: the daemon restarted after every SIGKILL" "started $started" "$(tail -5 "$WORK/serve.err")"
n_acked=$(sort -u acked | wc -l)
((n_acked > ROUNDS * 10)) && ok "reports were acknowledged under load ($n_acked)" || not_ok "reports acknowledged under load" "only $n_acked"
python3 - "$DB" acked >missing <<'P'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = {r[0] for r in db.execute("SELECT id FROM reports")}
acked = {int(x) for x in open(sys.argv[2]) if x.strip()}
for rid in sorted(acked - stored):
    print(rid)
P
if [[ ! -s missing ]]; then ok "every acknowledged report is stored after $ROUNDS SIGKILLs"; else
	not_ok "every acknowledged report is stored after $ROUNDS SIGKILLs" "missing: $(head -c 300 missing)"; fi
# a graceful stop under load: exit 0 soon, and what was acknowledged is stored
serve_start "$DB" crash.conf
python3 "$HERE/load_reports.py" "$URL" "$TOK" acked 8 30 &
LPID=$!
sleep 0.5
t0=$(date +%s%N)
serve_stop
t1=$(date +%s%N)
wait "$LPID"
[[ $SRC -eq 0 ]] && ok "SIGTERM under load: exit 0" ||
	not_ok "SIGTERM under load: exit 0" "exit $SRC" "$(tail -20 "$WORK/serve.err")"
(( (t1 - t0) / 1000000 < 5000 )) && ok "SIGTERM under load: stopped in $(( (t1 - t0) / 1000000 )) ms" ||
	not_ok "SIGTERM under load: stopped within 5 s" "$(( (t1 - t0) / 1000000 )) ms"
python3 - "$DB" acked >missing <<'P'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = {r[0] for r in db.execute("SELECT id FROM reports")}
acked = {int(x) for x in open(sys.argv[2]) if x.strip()}
for rid in sorted(acked - stored):
    print(rid)
P
[[ ! -s missing ]] && ok "SIGTERM under load: every acknowledged report is stored" ||
	not_ok "SIGTERM under load: every acknowledged report is stored" "missing: $(head -c 300 missing)"
run "$BIN" --db "$DB" audit verify
expect_rc "the audit chain holds after the crashes" 0
expect_no_sanitizer "no sanitizer report in the daemon's stderr"
done_testing
