#!/usr/bin/env bash
# The response desk from the command line: whole cases through every state,
# clocks moved with TLDSEC_NOW, illegal transitions, refused actions, undo,
# messages, a tampered audit log, rejected reports, a locked database.
source "$(dirname "$0")/lib.sh"
cd "$WORK" || exit 1
export TLDSEC_NOW=2026-01-01T00:00:00Z
T=$BIN

run "$T" init
expect_rc "init creates the database" 0
expect_grep "init names the file and schema" "$WORK/out" '^initialised ./var/tldsec.db \(schema 2\)$'
[[ -f var/tldsec.db ]] && ok "database in ./var" || not_ok "database in ./var"
run "$T" init
expect_rc "init again is harmless" 0
run "$T" --db deep/er/t.db init
expect_rc "init creates missing directories" 0
run "$T" --db other/none.db case list
expect_rc "no database: exit 1" 1
expect_grep "no database says to run init" "$WORK/err" "tldsec init"

run "$T" reporter add --name "FBI Cyber" --tier law_enforcement --jurisdiction US --verified --email cyber@fbi.example --format json
expect_rc "reporter add" 0
expect_grep "reporter add prints id and token" "$WORK/out" '^\{"id":1,"token":"tsk_[A-Za-z0-9_-]{43}"\}$'
run "$T" reporter add --name "Jane Public" --tier public --email jane@example.org --format json
run "$T" reporter add --name X --tier wizard
expect_rc "unknown tier: exit 1" 1
run "$T" reporter add --name X
expect_rc "missing --tier: exit 2" 2
run "$T" reporter list --format csv
expect_grep "reporter list redacts e-mail" "$WORK/out" '^1,FBI Cyber,law_enforcement,true,false,US,\[redacted\],,'
run "$T" --show-personal-data reporter list --format csv
expect_grep "--show-personal-data shows it" "$WORK/out" 'cyber@fbi.example'

cat >flagged.json <<'J'
{"domains":["www.bad.example"],"urls":["https://login.bad.example/verify"],
 "threat":"phishing","flags":["threat_to_life"],"description":"kit aimed at hospital staff"}
J
run "$T" report submit --reporter 1 flagged.json
expect_rc "law-enforcement report accepted" 0
expect_same "high, ack 24 h after receipt, response 24 h after ack" "$WORK/out" <(echo '{"report_id":1,"case_ids":[1],"priority":"high","urgent_claim":false,"received_at":"2026-01-01T00:00:00Z","ack_due":"2026-01-02T00:00:00Z","response_due":"2026-01-03T00:00:00Z"}')
TLDSEC_NOW=2026-01-01T01:00:00Z run "$T" report submit --reporter 2 flagged.json
expect_grep "same report from the public: standard, urgent claim, same case" "$WORK/out" '"case_ids":\[1\],"priority":"standard","urgent_claim":true'
echo '{"domains":["plain.example"],"threat":"spam"}' >plain.json
run "$T" report submit --reporter 2 plain.json
expect_grep "plain public report: low" "$WORK/out" '"case_ids":\[2\],"priority":"low","urgent_claim":false'

# rejected reports: exit 1, the JSON path, nothing stored
bad() { # NAME JSON PATTERN
	printf '%s' "$2" >bad.json
	run "$T" report submit --reporter 1 bad.json
	expect_rc "$1: exit 1" 1
	expect_grep "$1: names the problem" "$WORK/err" "$3"
}
bad "malformed JSON" '{"domains":["a.example"' '^tldsec: bad.json:1:[0-9]+: malformed JSON'
bad "wrong type" '{"domains":"a.example","threat":"spam"}' 'bad.json: \$\.domains: expected an array'
bad "unknown field" '{"domains":["a.example"],"threat":"spam","evidence":[{"kind":"url","value":"x","note":1}]}' '\$\.evidence\[0\]\.note: unknown field'
bad "name outside the TLDs" '{"domains":["a.example","evil.com"],"urls":["http://x.org/"],"threat":"spam"}' "2 names outside the registry's TLDs: \\\$\\.domains\\[1\\] 'evil.com'.*\\\$\\.urls\\[0\\] 'http://x.org/'"
names=$(for i in $(seq 0 1000); do printf '"n%d.example",' "$i"; done)
bad "1001 names" "{\"threat\":\"spam\",\"domains\":[${names%,}]}" '\$\.domains\[1000\]: more than 1000 names'
run "$T" case list --format csv
[[ $(wc -l <"$WORK/out") -eq 3 ]] && ok "rejected reports stored nothing" || not_ok "rejected reports stored nothing" "$(cat "$WORK/out")"
echo '{"domains":["a.example"],"threat":"spam"}' >anon.json
run "$T" report submit - <anon.json
expect_rc "anonymous refused by default: exit 1" 1
expect_grep "refusal says why" "$WORK/err" 'allow_anonymous'

# clocks at their boundary seconds (case 1 high: ack due 2026-01-02T00:00:00Z)
TLDSEC_NOW=2026-01-02T00:00:00Z run "$T" case list --overdue --format csv
[[ $(wc -l <"$WORK/out") -eq 1 ]] && ok "at the due second: not overdue" || not_ok "at the due second: not overdue" "$(cat "$WORK/out")"
TLDSEC_NOW=2026-01-02T00:00:01Z run "$T" case list --overdue --format csv
expect_grep "one second later: overdue" "$WORK/out" '^1,bad.example,phishing,new,high,true,2026-01-01T00:00:00Z,ack,2026-01-02T00:00:00Z,true$'
TLDSEC_NOW=2026-01-02T00:00:01Z run "$T" sla --fail-on-overdue
expect_rc "sla --fail-on-overdue exits 3" 3
expect_grep "sla names the clock" "$WORK/out" 'overdue 2 \(acknowledgement 2, response 0\)'
TLDSEC_NOW=2026-01-01T23:59:59Z run "$T" sla --fail-on-overdue --format json
expect_rc "sla before the due time exits 0" 0
expect_grep "sla json" "$WORK/out" '"overdue_cases":\[\],"open":2,"clocks_running":2,"overdue":0'

# the whole case: ack, assess, refused actions, act, undo, refer, close
export TLDSEC_NOW=2026-01-01T06:00:00Z
run "$T" case assess 1 --validity confirmed --registration compromised --responsible registrar
expect_rc "assess before ack: exit 1" 1
expect_grep "illegal transition says why" "$WORK/err" "case 1 is new: 'assess' is allowed only when it is acknowledged or assessed"
run "$T" case ack 1 --message "We are looking into it."
expect_rc "ack" 0
TLDSEC_NOW=2026-01-02T06:00:01Z run "$T" case list --overdue --format csv
expect_grep "response clock from the ack: 24 h + 1 s is overdue" "$WORK/out" '^1,.*,response,2026-01-02T06:00:00Z,true$'
run "$T" case assess 1 --validity confirmed --registration compromised --responsible registrar --note "hacked CMS"
expect_rc "assess" 0
for a in lock redirect transfer delete; do
	extra=()
	[[ $a == redirect ]] && extra=(--sinkhole-ns sink.example.net)
	[[ $a == transfer ]] && extra=(--gaining-registrar R-42)
	run "$T" case act 1 --action $a "${extra[@]}"
	expect_rc "$a without --court-order: refused, exit 1" 1
	expect_grep "$a refusal says why" "$WORK/err" "'$a' needs a court order"
done
run "$T" case act 1 --action suspend
expect_rc "suspend on a compromised domain without --force: refused" 1
expect_grep "suspend refusal says why" "$WORK/err" 'assessed compromised.*--force'
run "$T" case act 1 --action lock --court-order "SDNY 26-cv-1"
expect_rc "lock with a court order" 0
expect_grep "act prints the undo command" "$WORK/out" '^undo: tldsec case undo 1$'
run "$T" case act 1 --action suspend --force
expect_grep "forced suspension" "$WORK/out" '^undo: tldsec case undo 2$'
run "$T" case undo 1
expect_rc "undo out of order: refused" 1
expect_grep "says which to undo first" "$WORK/err" 'action 2 came later'
run "$T" case undo 2
expect_rc "undo 2" 0
run "$T" case undo 1
expect_rc "undo 1" 0
run "$T" case show 1 --format json
expect_grep "undo restored the prior state" "$WORK/out" '"state": "assessed"'
expect_grep "undone actions are marked" "$WORK/out" '"undone_at": "2026-01-01T06:00:00Z"'
run "$T" case act 1 --action refer-registrar --reason "please clean the site"
expect_rc "refer to the registrar" 0
run "$T" case act 1 --action no-action
expect_rc "no-action without --reason: exit 1" 1
run "$T" case close 1 --outcome "registrar cleaned the site"
expect_rc "close" 0
run "$T" case close 1
expect_rc "close twice: exit 1" 1
run "$T" case undo 3
expect_grep "undo on a closed case says reopen" "$WORK/err" 'reopen it first'
run "$T" case reopen 1 --reason "site compromised again"
expect_rc "reopen" 0
run "$T" case close 1 --outcome "cleaned again"
run "$T" case show 1 --format json
expect_grep "case show json has the contract's fields" "$WORK/out" '"id": 1,'
for k in domain threat state priority urgent_claim received_at ack_due response_due reports actions; do
	grep -q "\"$k\":" "$WORK/out" && ok "case show has $k" || not_ok "case show has $k"
done
expect_grep "case show redacts reporter contacts" "$WORK/out" '"to": "\[redacted\]"'

# messages: both reporters answered at every step; one referral with XARF
run "$T" outbox list --format csv
for kind in acknowledgement assessment outcome; do
	[[ $(grep -c ",1,$kind,reporter," "$WORK/out") -ge 2 ]] && ok "both reporters got the $kind" || not_ok "both reporters got the $kind" "$(cat "$WORK/out")"
done
expect_grep "referral to the registrar" "$WORK/out" ',1,referral,registrar,'
run "$T" outbox export --dir mail
expect_rc "outbox export" 0
n=$(ls mail/*.eml | wc -l)
[[ $n -ge 7 ]] && ok "one .eml per message ($n)" || not_ok "one .eml per message" "$n"
ref=$(grep -l 'X-Tldsec-Kind: referral' mail/*.eml | head -1)
[[ -n $ref ]] && grep -q '"ReportType": "Phishing"' "$ref" && ok "referral carries XARF" || not_ok "referral carries XARF"
grep -q 'jane@example.org' mail/*.eml && not_ok "export redacts addresses" || ok "export redacts addresses"
run "$T" outbox export --dir mail
expect_grep "nothing exported twice" "$WORK/out" '^exported 0 messages'

# confidential: no referral
echo '{"domains":["quiet.example"],"threat":"botnet","confidential":true}' >conf.json
run "$T" report submit --reporter 1 conf.json
run "$T" case ack 3
run "$T" case assess 3 --validity confirmed --registration malicious --responsible registrant
run "$T" case act 3 --action refer-registrar
expect_rc "referral on a confidential case: refused" 1
expect_grep "refusal says why" "$WORK/err" 'confidential'

# every command answers --help
for c in "init" "reporter" "reporter add" "reporter list" "reporter disable" "report" "report submit" \
	"case" "case list" "case show" "case ack" "case assess" "case act" "case undo" "case close" "case reopen" \
	"sla" "audit" "audit verify" "privacy" "privacy purge" "outbox" "outbox list" "outbox export"; do
	# shellcheck disable=SC2086
	run "$T" $c --help
	[[ $RC -eq 0 ]] && grep -q "^Usage: tldsec ${c%% *}" "$WORK/out" && ok "'$c --help'" || not_ok "'$c --help'" "rc $RC"
done

# privacy purge keeps the counts
TLDSEC_NOW=2027-06-01T00:00:00Z run "$T" privacy purge --older-than 365
expect_rc "privacy purge" 0
expect_grep "purge counts" "$WORK/out" 'purged personal data .*: 1 cases, 2 reports'
run "$T" case list --state closed --format csv
expect_grep "purged case still listed" "$WORK/out" '^1,bad.example'

# the audit log: intact, then altered
run "$T" audit verify
expect_rc "audit verify on a clean database" 0
expect_grep "audit verify prints the head" "$WORK/out" 'chain intact; head [0-9a-f]{64}$'
# any column of any event row, altered in a copy: the first broken event is named
cp var/tldsec.db clean.db
for col in at case_id actor kind detail prev_hash hash; do
	for id in 1 5 $(python3 -c 'import sqlite3; print(sqlite3.connect("clean.db").execute("select max(id) from audit").fetchone()[0])'); do
		cp clean.db alt.db
		python3 - "$col" "$id" <<'P'
import sqlite3, sys
col, i = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect("alt.db")
if col in ("at", "case_id"):
    db.execute("UPDATE audit SET %s = coalesce(%s, 0) + 1 WHERE id = ?" % (col, col), (i,))
elif col in ("prev_hash", "hash"):
    v = db.execute("SELECT %s FROM audit WHERE id = ?" % col, (i,)).fetchone()[0]
    v = ("b" if v[:1] == "a" else "a") + v[1:]
    db.execute("UPDATE audit SET %s = ? WHERE id = ?" % col, (v, i))
else:
    db.execute("UPDATE audit SET %s = %s || 'x' WHERE id = ?" % (col, col), (i,))
db.commit()
P
		run "$T" --db alt.db audit verify
		want=$id
		if [[ $RC -eq 3 ]] && grep -q "audit chain broken at event $want[^0-9]" "$WORK/err"; then
			ok "altered $col of event $id: exit 3 naming event $want"
		else
			not_ok "altered $col of event $id: exit 3 naming event $want" "rc $RC: $(cat "$WORK/err")"
		fi
	done
done
python3 - <<'P'
import sqlite3
db = sqlite3.connect("var/tldsec.db")
db.execute("UPDATE audit SET detail = detail || ' ' WHERE id = 7")
db.commit()
P
run "$T" audit verify
expect_rc "audit verify after an altered event exits 3" 3
expect_grep "names the first broken event" "$WORK/err" 'audit chain broken at event 7'
python3 - <<'P'
import sqlite3
db = sqlite3.connect("var/tldsec.db")
db.execute("UPDATE audit SET at = at + 1 WHERE id = 3")
db.commit()
P
run "$T" audit verify --format json
expect_rc "still broken" 3
expect_grep "the first broken event is now 3" "$WORK/out" '"first_broken":3'

# policy file errors name the line; a locked database exits 4
printf '[clocks]\nack_hours = 24\nack_hourz = 3\n' >bad.conf
run "$T" --config bad.conf case list
expect_rc "bad config: exit 1" 1
expect_grep "bad config names file and line" "$WORK/err" "^tldsec: bad.conf:3: unknown key 'ack_hourz'"
printf '[database]\nbusy_timeout_ms = 100\n' >fast.conf
python3 - "$T" <<'P'
import sqlite3, subprocess, sys
db = sqlite3.connect("var/tldsec.db", isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
r = subprocess.run([sys.argv[1], "--config", "fast.conf", "case", "ack", "2"], capture_output=True, text=True)
open("locked.rc", "w").write("%d\n%s" % (r.returncode, r.stderr))
db.execute("ROLLBACK")
P
[[ $(head -1 locked.rc) == 4 ]] && ok "locked database: exit 4" || not_ok "locked database: exit 4" "$(cat locked.rc)"
grep -q "locked" locked.rc && ok "locked database: says so" || not_ok "locked database: says so" "$(cat locked.rc)"

done_testing
