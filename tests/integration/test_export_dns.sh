#!/usr/bin/env bash
# The export outputs against real DNS servers on loopback ports.
#  1. Knot DNS serves a patched TLD zone: a suspended domain gets no referral
#     (NXDOMAIN), a redirected one a referral to the sinkhole name server, an
#     untouched one its own referral with glue. (The patched zone is written by
#     hand here; `tldsec export zone` will write it.)
#  2. Unbound, with an RPZ written by the export writer and a second Knot
#     serving the unpatched TLD and its children behind it: listed names and
#     their subdomains are NXDOMAIN (or get the sinkhole addresses with
#     --sinkhole), other names resolve normally.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dnslib.sh"
dns_need_tools
DRIVER=${TLDSEC_BUILD:?}/tests/test_export

# ---- zones, by hand ----
cat >"$WORK/example.zone" <<'Z'
$ORIGIN example.
$TTL 3600
@           IN SOA  ns1.nic.example. hostmaster.nic.example. 2026010101 3600 600 604800 300
@           IN NS   ns1.nic.example.
ns1.nic     IN A    192.0.2.53
good        IN NS   ns1.good.example.
ns1.good    IN A    192.0.2.1
bad         IN NS   ns1.bad.example.
ns1.bad     IN A    192.0.2.2
redir       IN NS   ns1.redir.example.
ns1.redir   IN A    192.0.2.3
Z
# suspended: bad's delegation and its glue leave the zone; redirected: redir's
# name servers are the sinkhole's; the serial moves on.
sed -e '/^bad /d; /^ns1\.bad /d' \
    -e 's/^redir .*/redir       IN NS   sink1.sinkhole.example.net./; /^ns1\.redir /d' \
    -e 's/2026010101/2026010102/' "$WORK/example.zone" >"$WORK/example.patched.zone"
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

# The RPZ: a suspended domain and an unregistered DGA name, written by the writer.
run "$DRIVER" rpz "$WORK/rpz.zone" rpz.example 1767312000 - bad.example QXKZMWPR.example bad.example.
expect_rc "the writer produces the NXDOMAIN RPZ" 0
expect_grep "the RPZ lists bad.example once, with its subdomains" "$WORK/rpz.zone" '^\*\.bad\.example\.rpz\.example\.	300	IN	CNAME	\.$'
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
	r "$UP" qxkzmwpr.example A
	has "RPZ: the blocked DGA name is NXDOMAIN" 'status: NXDOMAIN'
	r "$UP" good.example A
	has "RPZ: the unlisted parent resolves" '^good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80$'
	r "$UP" www.iana.org A
	has "nothing leaves the machine: a name outside the local zones fails" 'status: (SERVFAIL|REFUSED)'
	expect_grep "unbound logged the policy hits" "$WORK/unbound-nx/unbound.log" 'rpz: applied \[tldsec-test\] \*\.bad\.example\. rpz-nxdomain .* www\.bad\.example\. A IN'
else
	not_ok "unbound loads the RPZ" "$(cat "$WORK/unbound-nx/unbound.log" 2>/dev/null | head -20)"
fi

run "$DRIVER" rpz "$WORK/rpz-sink.zone" rpz.example 1767312001 192.0.2.66,2001:db8::66 bad.example qxkzmwpr.example
expect_rc "the writer produces the sinkhole RPZ" 0
if unbound_start US "$WORK/unbound-sink" rpz.example. "$WORK/rpz-sink.zone" "$KO" "${STUBS[@]}"; then
	ok "unbound loads the sinkhole RPZ on 127.0.0.1@$US"
	r "$US" www.bad.example A
	has "sinkhole: a subdomain of the listed name gets the sinkhole A" '^www\.bad\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.66$'
	r "$US" bad.example AAAA
	has "sinkhole: the listed name gets the sinkhole AAAA" '^bad\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+AAAA[[:space:]]+2001:db8::66$'
	r "$US" qxkzmwpr.example A
	has "sinkhole: the DGA name gets the sinkhole A" '[[:space:]]A[[:space:]]+192\.0\.2\.66$'
	r "$US" www.good.example A
	has "sinkhole: an unlisted name resolves normally" '^www\.good\.example\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80$'
else
	not_ok "unbound loads the sinkhole RPZ" "$(cat "$WORK/unbound-sink/unbound.log" 2>/dev/null | head -20)"
fi

# A bad sinkhole address never reaches a resolver: the writer refuses it and
# leaves no file.
run "$DRIVER" rpz "$WORK/rpz-bad.zone" rpz.example 1 192.0.2.300 bad.example
expect_rc "the writer refuses a bad sinkhole address" 1
expect_grep "and names it" "$WORK/err" 'not an IPv4 or IPv6 address: "192\.0\.2\.300"'
if [[ -e $WORK/rpz-bad.zone ]]; then not_ok "no RPZ file is left behind"; else ok "no RPZ file is left behind"; fi

started=("${DNS_PIDS[@]}")
dns_stop_all
alive=0
for p in "${started[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
((${#started[@]} == 4)) || alive=1
if ((alive)); then not_ok "every server stopped"; else ok "every server stopped"; fi
done_testing
