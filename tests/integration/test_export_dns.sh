#!/usr/bin/env bash
# The export outputs against real DNS servers on loopback ports.
#  1. Knot DNS serves the TLD zone as `tldsec export zone` patches it, from a
#     desk database where the actions were taken with `tldsec case act`: a
#     suspended domain gets no referral (NXDOMAIN), a redirected one a
#     referral to the sinkhole name server, an untouched one its own referral.
#  2. Unbound, with the RPZ of `tldsec export rpz` and a second Knot serving
#     the unpatched TLD and its children behind it: listed names and their
#     subdomains are NXDOMAIN (or get the sinkhole addresses with --sinkhole),
#     other names resolve normally.
#  3. `tldsec export epp` writes each action's command and its undo, valid
#     against the EPP schemas; after `tldsec case undo` the exported zone is
#     the original again but for its serial, and the RPZ lists nothing.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dnslib.sh"
dns_need_tools

# ---- the desk: a suspension and a redirect, recorded through tldsec ----
cd "$WORK" || exit 1
export TLDSEC_NOW=2026-01-01T00:00:00Z
T=$BIN
# The TLD zone, written in the form `tldsec export zone` writes (absolute
# names, one record a line), so that an export with nothing in force is this
# file again but for the serial.
tab=$'\t'
sed "/^\\\$/!{s/ /$tab/;s/ /$tab/;s/ /$tab/;s/ /$tab/}" >"$WORK/example.zone" <<'Z'
$ORIGIN .
example. 3600 IN SOA ns1.nic.example. hostmaster.nic.example. 2026010101 3600 600 604800 300
example. 3600 IN NS ns1.nic.example.
ns1.nic.example. 3600 IN A 192.0.2.53
good.example. 3600 IN NS ns1.good.example.
ns1.good.example. 3600 IN A 192.0.2.1
bad.example. 3600 IN NS ns1.bad.example.
bad.example. 3600 IN DS 12345 13 2 3A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9
ns1.bad.example. 3600 IN A 192.0.2.2
redir.example. 3600 IN NS ns1.redir.example.
redir.example. 3600 IN DS 54321 13 2 0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9
ns1.redir.example. 3600 IN A 192.0.2.3
Z
desk() { run "$T" "$@"; if [[ $RC -ne 0 ]]; then not_ok "tldsec $*" "exit $RC: $(head -3 "$WORK/err")"; fi; }
desk init
desk reporter add --name "Cyber Unit" --tier law_enforcement --verified
for dom in bad redir; do
	printf '{"domains":["%s.example"],"threat":"phishing","description":"kit"}\n' "$dom" >"$dom.json"
	desk report submit --reporter 1 "$dom.json"
done
for c in 1 2; do
	desk case ack $c
	desk case assess $c --validity confirmed --registration malicious --responsible registrant
done
desk case act 1 --action suspend
expect_grep "suspend prints its undo" "$WORK/out" 'tldsec case undo 1'
desk case act 2 --action redirect --court-order "CO-2026-7" --sinkhole-ns sink1.sinkhole.example.net
run "$T" export zone --zone "$WORK/example.zone" --out "$WORK/example.patched.zone"
expect_rc "tldsec export zone writes the patched zone" 0
expect_grep "its summary counts the suspension, the redirect and the glue" "$WORK/err" \
	'"suspended":1,"redirected":1,"removed":6,"glue_removed":2,"glue_kept":0,"serial_old":2026010101,"serial_new":2026010102'
expect_grep "the redirect points at the sinkhole" "$WORK/example.patched.zone" "^redir\.example\.${tab}3600${tab}IN${tab}NS${tab}sink1\.sinkhole\.example\.net\.\$"
if grep -qE '^(bad|ns1\.bad|ns1\.redir)\.example\.|^redir\.example\..*DS' "$WORK/example.patched.zone"; then
	not_ok "the suspended delegation, its DS and glue, the redirect's DS and old glue are gone" "$(cat "$WORK/example.patched.zone")"
else
	ok "the suspended delegation, its DS and glue, the redirect's DS and old glue are gone"
fi

for child in good bad; do
	cat >"$WORK/$child.zone" <<Z
\$ORIGIN $child.example.
\$TTL 3600
@    IN SOA  ns1.$child.example. hostmaster.$child.example. 1 3600 600 604800 300
@    IN NS   ns1.$child.example.
@    IN A    192.0.2.8$([[ $child == good ]] && echo 0 || echo 1)
ns1  IN A    192.0.2.5
www  IN A    192.0.2.8$([[ $child == good ]] && echo 0 || echo 1)
Z
done

# ---- 1. the patched zone on Knot DNS ----
if knot_start KP "$WORK/knot-patched" "example.=$WORK/example.patched.zone"; then
	ok "knotd serves the patched zone on 127.0.0.1@$KP"
else
	not_ok "knotd serves the patched zone"
	done_testing; exit
fi

q() { kdig @127.0.0.1 -p "$1" +norec +time=2 +retry=1 "$2" "$3" >"$WORK/out" 2>"$WORK/err"; }
has()  { expect_grep "$1" "$WORK/out" "$2"; }
lacks() { if grep -qE -- "$2" "$WORK/out"; then not_ok "$1" "unexpected /$2/:" "$(cat "$WORK/out")"; else ok "$1"; fi; }

q "$KP" www.bad.example A
has "suspended: www.bad.example is NXDOMAIN" 'status: NXDOMAIN'
lacks "suspended: no referral for bad.example" 'bad\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+NS'
has "suspended: the answer is the TLD's SOA" '^example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+SOA.* 2026010102 '
q "$KP" bad.example NS
has "suspended: bad.example NS is NXDOMAIN" 'status: NXDOMAIN'
q "$KP" ns1.bad.example A
has "suspended: its glue is gone too" 'status: NXDOMAIN'

q "$KP" www.redir.example A
has "redirected: NOERROR" 'status: NOERROR'
has "redirected: referral to the sinkhole name server" '^redir\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+NS[[:space:]]+sink1\.sinkhole\.example\.net\.'
lacks "redirected: the old name server is gone" 'ns1\.redir\.example'
lacks "redirected: a referral, not an authoritative answer" 'flags: qr aa'

q "$KP" www.good.example A
has "untouched: NOERROR" 'status: NOERROR'
has "untouched: its own referral" '^good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+NS[[:space:]]+ns1\.good\.example\.'
has "untouched: with its glue" '^ns1\.good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.1$'
lacks "untouched: a referral, not an authoritative answer" 'flags: qr aa'

# ---- 2. Unbound with the RPZ, behind Knot with the unpatched zones ----
if knot_start KO "$WORK/knot-orig" "example.=$WORK/example.zone" \
	"good.example.=$WORK/good.zone" "bad.example.=$WORK/bad.zone"; then
	ok "knotd serves the unpatched TLD and two children on 127.0.0.1@$KO"
else
	not_ok "knotd serves the unpatched TLD and two children"
	done_testing; exit
fi
q "$KO" www.bad.example A
has "without the RPZ, www.bad.example resolves at its own server" '^www\.bad\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.81$'

STUBS=("example.=$KO" "good.example.=$KO" "bad.example.=$KO")
r() { dig @127.0.0.1 -p "$1" +time=3 +tries=1 "$2" "$3" >"$WORK/out" 2>"$WORK/err"; }

# The RPZ of what the desk holds now: the suspended domain (the redirected
# one is served by its sinkhole, not listed).
run "$T" export rpz --origin rpz.example --out "$WORK/rpz.zone"
expect_rc "tldsec export rpz writes the NXDOMAIN RPZ" 0
expect_grep "the RPZ lists bad.example, with its subdomains" "$WORK/rpz.zone" '^\*\.bad\.example\.rpz\.example\.	300	IN	CNAME	\.$'
if grep -q redir "$WORK/rpz.zone"; then not_ok "the redirected name is not listed"; else ok "the redirected name is not listed"; fi
if unbound_start UP "$WORK/unbound-nx" rpz.example. "$WORK/rpz.zone" "$KO" "${STUBS[@]}"; then
	ok "unbound loads the RPZ on 127.0.0.1@$UP"
	r "$UP" www.good.example A
	has "RPZ: an unlisted name resolves normally" '^www\.good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80$'
	r "$UP" bad.example A
	has "RPZ: the listed name is NXDOMAIN" 'status: NXDOMAIN'
	r "$UP" www.bad.example A
	has "RPZ: a subdomain of the listed name is NXDOMAIN" 'status: NXDOMAIN'
	r "$UP" deep.www.bad.example AAAA
	has "RPZ: a deeper subdomain is NXDOMAIN" 'status: NXDOMAIN'
	r "$UP" good.example A
	has "RPZ: the unlisted parent resolves" '^good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80$'
	r "$UP" www.iana.org A
	has "nothing leaves the machine: a name outside the local zones fails" 'status: (SERVFAIL|REFUSED)'
	expect_grep "unbound logged the policy hits" "$WORK/unbound-nx/unbound.log" 'rpz: applied \[tldsec-test\] \*\.bad\.example\. rpz-nxdomain .* www\.bad\.example\. A IN'
else
	not_ok "unbound loads the RPZ" "$(cat "$WORK/unbound-nx/unbound.log" 2>/dev/null | head -20)"
fi

run "$T" export rpz --origin rpz.example --sinkhole 192.0.2.66 --sinkhole 2001:db8::66 --out "$WORK/rpz-sink.zone"
expect_rc "tldsec export rpz writes the sinkhole RPZ" 0
if unbound_start US "$WORK/unbound-sink" rpz.example. "$WORK/rpz-sink.zone" "$KO" "${STUBS[@]}"; then
	ok "unbound loads the sinkhole RPZ on 127.0.0.1@$US"
	r "$US" www.bad.example A
	has "sinkhole: a subdomain of the listed name gets the sinkhole A" '^www\.bad\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.66$'
	r "$US" bad.example AAAA
	has "sinkhole: the listed name gets the sinkhole AAAA" '^bad\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+AAAA[[:space:]]+2001:db8::66$'
	r "$US" www.good.example A
	has "sinkhole: an unlisted name resolves normally" '^www\.good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80$'
else
	not_ok "unbound loads the sinkhole RPZ" "$(cat "$WORK/unbound-sink/unbound.log" 2>/dev/null | head -20)"
fi

# A bad sinkhole address never reaches a resolver: the writer refuses it and
# leaves no file.
run "$T" export rpz --origin rpz.example --sinkhole 192.0.2.300 --out "$WORK/rpz-bad.zone"
expect_rc "tldsec export rpz refuses a bad sinkhole address" 1
expect_grep "and names it" "$WORK/err" 'not an IPv4 or IPv6 address: "192\.0\.2\.300"'
if [[ -e $WORK/rpz-bad.zone ]]; then not_ok "no RPZ file is left behind"; else ok "no RPZ file is left behind"; fi

# ---- 3. EPP commands, then undo ----
XSD=$ROOT/tests/xsd/epp-all.xsd
mkdir -p "$WORK/epp"
run "$T" export epp --pending --dir "$WORK/epp" --zone "$WORK/example.zone" --format csv
expect_rc "tldsec export epp writes the commands" 0
expect_grep "it lists the suspension" "$WORK/out" "^1,1,suspend,bad.example,false,$WORK/epp/case-1-action-1-do.xml,$WORK/epp/case-1-action-1-undo.xml$"
expect_grep "and the redirect" "$WORK/out" "^2,2,redirect,redir.example,false,"
files=("$WORK"/epp/case-{1-action-1,2-action-2}-{do,undo}.xml)
xmllint --noout --schema "$XSD" "${files[@]}" >"$WORK/xl" 2>&1
for f in "${files[@]}"; do
	if grep -qxF "$f validates" "$WORK/xl"; then ok "$(basename "$f") validates against the EPP schemas"
	else not_ok "$(basename "$f") validates against the EPP schemas" "$(grep -F "$f" "$WORK/xl" | head -5)"; fi
done
expect_grep "suspend adds serverHold" "$WORK/epp/case-1-action-1-do.xml" '<domain:status s="serverHold"'
expect_grep "its undo removes it" "$WORK/epp/case-1-action-1-undo.xml" '<domain:rem>'
# the redirect replaces the name servers read from the zone, and its undo puts them back
sed -n '/<domain:add>/,/<\/domain:add>/p' "$WORK/epp/case-2-action-2-do.xml" >"$WORK/add"
sed -n '/<domain:rem>/,/<\/domain:rem>/p' "$WORK/epp/case-2-action-2-do.xml" >"$WORK/rem"
expect_grep "redirect adds the sinkhole name server" "$WORK/add" 'hostObj>sink1\.sinkhole\.example\.net<'
expect_grep "and removes the zone's name server" "$WORK/rem" 'hostObj>ns1\.redir\.example<'
sed -n '/<domain:add>/,/<\/domain:add>/p' "$WORK/epp/case-2-action-2-undo.xml" >"$WORK/add"
expect_grep "the undo adds the zone's name server back" "$WORK/add" 'hostObj>ns1\.redir\.example<'
run "$T" export epp --pending --dir "$WORK/epp"
expect_rc "--pending again" 0
if [[ $(wc -l <"$WORK/out") -eq 1 ]]; then ok "--pending again writes nothing (exported actions are marked)"; else not_ok "--pending again writes nothing" "$(cat "$WORK/out")"; fi
run "$T" export epp --dir "$WORK/epp-all"
expect_rc "without --zone a redirect's command is refused" 1
expect_grep "naming what is missing" "$WORK/err" 'action 2: the name servers of redir\.example before the redirect are not known'

desk case undo 2
desk case undo 1
TLDSEC_NOW=2026-01-02T00:00:00Z run "$T" export zone --zone "$WORK/example.zone" --out "$WORK/example.undone.zone"
expect_rc "export zone after the undo" 0
expect_grep "the serial moves on to the day's" "$WORK/err" '"serial_old":2026010101,"serial_new":2026010200'
sed 's/ 2026010200 / 2026010101 /' "$WORK/example.undone.zone" >"$WORK/example.undone.cmp"
expect_same "after undo the exported zone is the original but for the serial" "$WORK/example.undone.cmp" "$WORK/example.zone"
run "$T" export rpz --origin rpz.example --out "$WORK/rpz-undone.zone"
if grep -q 'bad\.example' "$WORK/rpz-undone.zone"; then not_ok "after undo the RPZ lists nothing"; else ok "after undo the RPZ lists nothing"; fi

started=("${DNS_PIDS[@]}")
dns_stop_all
alive=0
for p in "${started[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
((${#started[@]} == 4)) || alive=1
if ((alive)); then not_ok "every server stopped"; else ok "every server stopped"; fi
done_testing
