#!/usr/bin/env bash
# The desk's actions out through `tldsec export`: `dga check --record` opens
# dga cases (registered and unregistered names), every action kind is taken
# with `tldsec case act`, then
#   - `export epp` writes each command and its undo, valid against the EPP
#     schemas (tests/xsd); kinds without a command get no file; a transfer
#     whose previous sponsor the desk does not know is refused, by name;
#   - `export reserved` and `export rpz` list what is blocked, reserved,
#     suspended now; `export zone` leaves the suspended and deleted names out;
#   - after `case undo` of every action, the lists are empty, the zone is the
#     original but for its serial, and nothing more is pending.
source "$(dirname "$0")/lib.sh"
cd "$WORK" || exit 1
export TLDSEC_NOW=2026-01-01T00:00:00Z
T=$BIN
XSD=$ROOT/tests/xsd/epp-all.xsd
tab=$'\t'

# the DGA names of the day (locky, TLDs example and net): four in .example
run "$T" dga generate locky --date 2026-01-01 --tlds example,net --count 6
mapfile -t names < <(grep '\.example$' "$WORK/out")
((${#names[@]} == 4)) && ok "four locky names in .example" || not_ok "four locky names in .example" "$(cat "$WORK/out")"
# the zone: the first two DGA names are registered, and three other domains
{
	echo '$ORIGIN .'
	sed "s/ /$tab/;s/ /$tab/;s/ /$tab/;s/ /$tab/" <<Z
example. 3600 IN SOA ns1.nic.example. hostmaster.nic.example. 2026010101 3600 600 604800 300
example. 3600 IN NS ns1.nic.example.
ns1.nic.example. 3600 IN A 192.0.2.53
${names[0]}. 3600 IN NS ns1.hoster.net.
${names[1]}. 3600 IN NS ns1.hoster.net.
lockme.example. 3600 IN NS ns1.hoster.net.
delme.example. 3600 IN NS ns1.delme.example.
ns1.delme.example. 3600 IN A 192.0.2.7
xfer.example. 3600 IN NS ns1.hoster.net.
Z
} >zone.txt

desk() { run "$T" "$@"; if [[ $RC -ne 0 ]]; then not_ok "tldsec $*" "exit $RC: $(head -3 "$WORK/err")"; fi; }
desk init
desk reporter add --name "Cyber Unit" --tier law_enforcement --verified

# ---- dga check --record ----
run "$T" dga check locky --date 2026-01-01 --days 1 --tlds example,net --count 6 --zone zone.txt --record
expect_rc "dga check --record" 0
cat >want <<W
{"domain":"${names[0]}","date":"2026-01-01","registered":true}
{"domain":"${names[1]}","date":"2026-01-01","registered":true}
{"domain":"${names[2]}","date":"2026-01-01","registered":false}
{"domain":"${names[3]}","date":"2026-01-01","registered":false}
W
expect_same "dga check prints the names in the zone's TLD, in the malware's order" "$WORK/out" want
expect_grep "its summary" "$WORK/err" '^\{"family":"locky","apex":"example","generated":6,"in_zone":4,"registered":2,"cases_opened":4,"cases_joined":0\}$'
run "$T" case list --format csv
expect_grep "four dga cases" "$WORK/out" "^4,${names[3]},dga,new,"
run "$T" dga check locky --date 2026-01-01 --days 1 --tlds example,net --count 6 --zone zone.txt --record
expect_grep "checking again joins the open cases" "$WORK/err" '"cases_opened":0,"cases_joined":4'

for dom in lockme delme xfer; do
	printf '{"domains":["%s.example"],"threat":"malware","description":"c2"}\n' "$dom" >"$dom.json"
	desk report submit --reporter 1 "$dom.json"
done
for c in 1 2 3 4 5 6 7; do
	desk case ack $c
	desk case assess $c --validity confirmed --registration malicious --responsible registrant
done
run "$T" case act 3 --action suspend
expect_rc "an unregistered DGA name cannot be suspended" 1

CO=(--court-order CO-2026-1)
desk case act 1 --action suspend                                            # action 1
desk case act 2 --action redirect "${CO[@]}" --sinkhole-ns sink1.sinkhole.example.net   # 2
desk case act 3 --action block                                              # 3
desk case act 4 --action reserve                                            # 4
desk case act 4 --action register "${CO[@]}"                                # 5
desk case act 5 --action lock "${CO[@]}"                                    # 6
desk case act 6 --action delete "${CO[@]}"                                  # 7
desk case act 7 --action transfer "${CO[@]}" --gaining-registrar reg-9      # 8
desk case act 7 --action refer-registrar                                    # 9

# ---- EPP ----
mkdir -p epp
run "$T" export epp --pending --dir epp --zone zone.txt --format csv
expect_rc "export epp: exit 1, the transfer cannot be written" 1
expect_grep "the transfer is named" "$WORK/err" "action 8: the registrar of xfer\\.example before the transfer is not known"
expect_grep "the refusal says to import registration data" "$WORK/err" "action 8: .*tldsec registrations import"
declare -A kind=([1]=suspend [2]=redirect [5]=register [6]=lock [7]=delete)
declare -A cse=([1]=1 [2]=2 [5]=4 [6]=5 [7]=6)
files=()
for a in 1 2 5 6 7; do
	files+=("epp/case-${cse[$a]}-action-$a-do.xml" "epp/case-${cse[$a]}-action-$a-undo.xml")
	expect_grep "listed: ${kind[$a]}" "$WORK/out" "^$a,${cse[$a]},${kind[$a]},"
done
xmllint --noout --schema "$XSD" "${files[@]}" >xl 2>&1
for f in "${files[@]}"; do
	if grep -qxF "$f validates" xl; then ok "$f validates against the EPP schemas"
	else not_ok "$f validates against the EPP schemas" "$(grep -F "$f" xl | head -5)"; fi
done
n=$(ls epp | wc -l)
((n == 10)) && ok "no file for block, reserve, refer-registrar, nor the transfer" || not_ok "ten files" "$(ls epp)"
dups=$(cat "${files[@]}" | grep -o '<clTRID>[^<]*</clTRID>' | sort | uniq -d)
[[ -z $dups ]] && ok "every clTRID is unique" || not_ok "every clTRID is unique" "$dups"
expect_grep "lock adds the three statuses" "epp/case-5-action-6-do.xml" 's="serverTransferProhibited"'
expect_grep "delete's undo is a restore" "epp/case-6-action-7-undo.xml" '<rgp:restore op="request"/>'
expect_grep "register creates the DGA name" "epp/case-4-action-5-do.xml" "<domain:name>${names[3]}</domain:name>"
expect_grep "register's undo deletes it" "epp/case-4-action-5-undo.xml" '<domain:delete'
run "$T" export epp --pending --dir epp --format csv
expect_rc "--pending: only the transfer is left, refused again" 1
[[ $(wc -l <"$WORK/out") -eq 1 ]] && ok "--pending writes nothing new" || not_ok "--pending writes nothing new" "$(cat "$WORK/out")"

# ---- reserved, RPZ, zone ----
run "$T" export reserved
expect_rc "export reserved" 0
printf '%s\n' "${names[2]}" "${names[3]}" | sort >want
expect_same "reserved: the blocked and the reserved name" "$WORK/out" want
run "$T" export rpz --origin rpz.example
expect_rc "export rpz" 0
grep -v '^\*' "$WORK/out" | grep -o "^[a-z0-9.-]*\.example\.rpz\.example\." | sed 's/\.rpz\.example\.$//' >got
printf '%s\n' "${names[0]}" "${names[2]}" | sort >want
expect_same "RPZ: the suspended and the blocked name (not the reserved, deleted or redirected)" got want
run "$T" export zone --zone zone.txt --out patched.txt
expect_rc "export zone" 0
expect_grep "zone: the suspension, the deletion, the redirect" "$WORK/err" '"suspended":2,"redirected":1,'
if grep -qE "^(${names[0]}|delme\\.example|ns1\\.delme\\.example)\\." patched.txt; then
	not_ok "the suspended and the deleted domain are gone" "$(cat patched.txt)"
else
	ok "the suspended and the deleted domain are gone"
fi
expect_grep "the lock changes nothing in the zone" patched.txt "^lockme\\.example\\.${tab}"

# ---- undo everything, latest first ----
for a in 9 8 7 6 5 4 3 2 1; do desk case undo $a; done
run "$T" export reserved
[[ $RC -eq 0 && ! -s $WORK/out ]] && ok "after undo: nothing reserved" || not_ok "after undo: nothing reserved" "$(cat "$WORK/out")"
run "$T" export rpz --origin rpz.example
if grep -q 'example\.rpz' "$WORK/out"; then not_ok "after undo: the RPZ lists nothing"; else ok "after undo: the RPZ lists nothing"; fi
run "$T" export zone --zone zone.txt --out restored.txt
sed 's/ 2026010102 / 2026010101 /' restored.txt >restored.cmp
expect_same "after undo: the zone is the original but for the serial" restored.cmp zone.txt
# a zone outside the registry's TLDs: refused, nothing recorded
printf 'net. 300 IN SOA ns.net. h.net. 1 1 1 1 1\n' >net.zone
run "$T" case list --format csv
cp "$WORK/out" cases.before
run "$T" dga check locky --date 2026-01-01 --days 1 --tlds net --count 3 --zone net.zone --record
expect_rc "dga check --record on another TLD's zone fails" 1
expect_grep "naming the name" "$WORK/err" "\.net: not under the registry's TLDs"
run "$T" case list --format csv
expect_same "and records nothing" "$WORK/out" cases.before
run "$T" export zone --zone zone.txt --out /nonexistent-dir/x.zone
expect_rc "an unwritable output fails" 4

# ---- a transfer with registration data: the imported registrar is the prior one ----
printf 'domain,registrar_id,registrar_name,created\nxfer.example,reg-1,First Registrar,2020-01-01\nlockme.example,reg-2,Second,2021-01-01\n' >reg.csv
desk registrations import reg.csv
desk case act 7 --action transfer "${CO[@]}" --gaining-registrar reg-9       # 10
run "$T" case show 7 --format json
expect_grep "the action's reversal names the imported registrar" "$WORK/out" "transfer xfer\\.example back to reg-1"
desk case act 6 --action transfer "${CO[@]}" --gaining-registrar reg-9       # 11: delme.example, no data
mkdir -p epp2
run "$T" export epp --pending --dir epp2 --format csv
expect_rc "export epp: exit 1, the transfer without data is refused" 1
expect_grep "the refusal names the domain without data" "$WORK/err" "action 11: the registrar of delme\\.example before the transfer is not known.*registrations import"
if grep -q "action 10" "$WORK/err"; then not_ok "the transfer with data is not refused" "$(cat "$WORK/err")"
else ok "the transfer with data is not refused"; fi
expect_grep "listed: the transfer" "$WORK/out" "^10,7,transfer,xfer\\.example,"
tx=(epp2/case-7-action-10-do.xml epp2/case-7-action-10-undo.xml)
xmllint --noout --schema "$XSD" "${tx[@]}" >xl 2>&1
for f in "${tx[@]}"; do
	if grep -qxF "$f validates" xl; then ok "$f validates against the EPP schemas"
	else not_ok "$f validates against the EPP schemas" "$(cat xl | head -5)"; fi
done
expect_grep "the transfer goes to the gaining registrar" "${tx[0]}" "registrar reg-9, the gaining sponsor"
expect_grep "its undo goes back to the imported registrar" "${tx[1]}" "registrar reg-1, the gaining sponsor"
expect_grep "the transfer's clTRID" "${tx[1]}" "<clTRID>tldsec-7-10-undo</clTRID>"
[[ $(ls epp2 | wc -l) -eq 2 ]] && ok "no file for the refused transfer" || not_ok "two files" "$(ls epp2)"
# the registrar recorded with the action stays, whatever is imported later
printf 'domain,registrar_id,registrar_name,created\nxfer.example,reg-7,Other,2020-01-01\n' >reg2.csv
desk registrations import reg2.csv
rm -f epp2/*
run "$T" export epp --dir epp2 --format csv
expect_grep "the recorded prior registrar is kept" epp2/case-7-action-10-undo.xml "registrar reg-1, the gaining sponsor"
done_testing
