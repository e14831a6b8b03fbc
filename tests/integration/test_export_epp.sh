#!/usr/bin/env bash
# EPP commands of the export writers: every command kind and its undo
# validates against the EPP schemas (tests/xsd, from RFCs 5730, 5731, 5732,
# 3915) with xmllint; broken documents are rejected; the schemas hold the
# RFCs' limits from both sides (and accept the RFCs' other shapes: a greeting,
# a restore report, an info response, a host create); and applying a command
# then its undo to a model of the registry's domain object returns the object
# to the state it had.
source "$(dirname "$0")/lib.sh"
DRIVER=${TLDSEC_BUILD:?}/tests/test_export
XSD=$ROOT/tests/xsd/epp-all.xsd
OUT=$WORK/epp
mkdir -p "$OUT"

run "$DRIVER" epp-all "$OUT"
expect_rc "the driver writes every EPP command" 0
kinds=(suspend lock lock-partial redirect transfer delete register)
files=()
for k in "${kinds[@]}"; do files+=("$OUT/$k-do.xml" "$OUT/$k-undo.xml"); done
# one xmllint run for all of them (the schemas compile once): it prints
# "FILE validates" or "FILE fails to validate" for each
xmllint --noout --schema "$XSD" "${files[@]}" >"$WORK/xl" 2>&1
for f in "${files[@]}"; do
	name=$(basename "$f" .xml)
	if [[ ! -s $f ]]; then not_ok "$name: written" "missing $f"; continue; fi
	if grep -qxF "$f validates" "$WORK/xl"; then
		ok "$name validates against the EPP schemas"
	else
		not_ok "$name validates against the EPP schemas" "$(grep -F "$f" "$WORK/xl" | head -5)"
	fi
done
# No two commands share a clTRID.
six=("$OUT"/{suspend,lock,redirect,transfer,delete,register}-{do,undo}.xml)
dups=$(grep -ho '<clTRID>[^<]*</clTRID>' "${six[@]}" | sort | uniq -d)
n=$(grep -ho '<clTRID>[^<]*</clTRID>' "${six[@]}" | sort -u | wc -l)
if [[ -z $dups && $n -eq 12 ]]; then ok "12 commands, 12 distinct clTRIDs"; else not_ok "12 commands, 12 distinct clTRIDs" "$n distinct; repeated: $dups"; fi

# Broken documents are rejected, so the validation above can fail. xmllint
# exits 3 when a well-formed document fails the schemas, 1 when the XML
# itself is broken: each case says which it expects (3 unless given).
xl_reject() {
	local name=$1 file=$2 want=${3:-3} rc=0
	xmllint --noout --schema "$XSD" "$file" >"$WORK/xl" 2>&1 || rc=$?
	if [[ $rc -eq $want ]]; then
		ok "rejects: $name"
	else
		not_ok "rejects: $name" "xmllint exit $rc, not $want" "$(head -3 "$WORK/xl")"
	fi
}
reject() {
	local name=$1 src=$2 expr=$3
	sed -E "$expr" "$OUT/$src" >"$WORK/bad.xml"
	if cmp -s "$WORK/bad.xml" "$OUT/$src"; then not_ok "rejects: $name" "the edit changed nothing"; return; fi
	xl_reject "$name" "$WORK/bad.xml" "${4:-3}"
}
reject "an unknown status value" suspend-do.xml 's/s="serverHold"/s="serverHalt"/'
reject "a command without the domain name" suspend-do.xml '/<domain:name>/d'
reject "a clTRID of 65 characters" suspend-do.xml 's#<clTRID>[^<]*#<clTRID>'"$(printf 'x%.0s' {1..65})"'#'
reject "a clTRID of 2 characters" suspend-do.xml 's#<clTRID>[^<]*#<clTRID>ab#'
reject "an unescaped ampersand" suspend-do.xml 's/&amp;/\&/' 1
reject "rem before add" redirect-do.xml 's/domain:add>/domain:TMP>/g; s/domain:rem>/domain:add>/g; s/domain:TMP>/domain:rem>/g'
reject "a 100-year period" register-do.xml 's#unit="y">1<#unit="y">100<#'
reject "a create without authInfo" register-do.xml '/authInfo>|domain:pw>/d'
reject "an unknown restore operation" delete-undo.xml 's/op="request"/op="undo"/'
reject "a transfer without op" transfer-do.xml 's/ op="request"//'
reject "the domain mapping in another namespace" lock-do.xml 's#ns:domain-1.0#ns:domain-9.9#'
# The facets of RFC 5730/5731/3915 that our documents come near, each from
# both sides: what the RFCs allow validates, one step past it does not.
accept() {
	local name=$1 src=$2 expr=$3
	sed -E "$expr" "$OUT/$src" >"$WORK/good.xml"
	if cmp -s "$WORK/good.xml" "$OUT/$src"; then not_ok "accepts: $name" "the edit changed nothing"; return; fi
	if xmllint --noout --schema "$XSD" "$WORK/good.xml" >"$WORK/xl" 2>&1; then
		ok "accepts: $name"
	else
		not_ok "accepts: $name" "$(head -5 "$WORK/xl")"
	fi
}
accept "a clTRID of 64 characters" suspend-do.xml 's#<clTRID>[^<]*#<clTRID>'"$(printf 'x%.0s' {1..64})"'#'
accept "a clTRID of 3 characters" suspend-do.xml 's#<clTRID>[^<]*#<clTRID>abc#'
accept "11 statuses in one add" suspend-do.xml '/<domain:status/{p;p;p;p;p;p;p;p;p;p}'
reject "12 statuses in one add" suspend-do.xml '/<domain:status/{p;p;p;p;p;p;p;p;p;p;p}'
reject "a host status in the domain mapping" suspend-do.xml 's/s="serverHold"/s="linked"/'
accept "a period in months" register-do.xml 's/unit="y"/unit="m"/'
reject "a period in days" register-do.xml 's/unit="y"/unit="d"/'
accept "a 99-year period" register-do.xml 's#unit="y">1<#unit="y">99<#'
reject "a 0-year period" register-do.xml 's#unit="y">1<#unit="y">0<#'
accept "a registrant of 16 characters" register-do.xml 's#<domain:registrant>[^<]*#<domain:registrant>abcdefghijklmnop#'
reject "a registrant of 17 characters" register-do.xml 's#<domain:registrant>[^<]*#<domain:registrant>abcdefghijklmnopq#'
reject "a registrant of 2 characters" register-do.xml 's#<domain:registrant>[^<]*#<domain:registrant>ab#'
accept "name servers as host attributes with addresses" redirect-do.xml \
	's#<domain:hostObj>([^<]*)</domain:hostObj>#<domain:hostAttr><domain:hostName>\1</domain:hostName><domain:hostAddr ip="v6">2001:db8::53</domain:hostAddr></domain:hostAttr>#g'
reject "host objects and host attributes in one domain:ns" redirect-do.xml \
	's#<domain:hostObj>(ns2[^<]*)</domain:hostObj>#<domain:hostAttr><domain:hostName>\1</domain:hostName></domain:hostAttr>#'
reject "a host address of the wrong family name" redirect-do.xml \
	's#<domain:hostObj>([^<]*)</domain:hostObj>#<domain:hostAttr><domain:hostName>\1</domain:hostName><domain:hostAddr ip="ipv6">2001:db8::53</domain:hostAddr></domain:hostAttr>#g'
accept "a transfer request with period and authInfo" transfer-do.xml \
	's#(</domain:name>)#\1<domain:period unit="y">1</domain:period><domain:authInfo><domain:pw roid="DOM1-EXAMPLE">2fooBAR</domain:pw></domain:authInfo>#'
reject "authInfo before the period in a transfer" transfer-do.xml \
	's#(</domain:name>)#\1<domain:authInfo><domain:pw>2fooBAR</domain:pw></domain:authInfo><domain:period unit="y">1</domain:period>#'
reject "a transfer op outside RFC 5730's five" transfer-do.xml 's/op="request"/op="force"/'
reject "the clTRID before the extension" delete-undo.xml \
	'/<clTRID>/d; s#^    <extension>#    <clTRID>tldsec-1-2-undo</clTRID>\n    <extension>#'
reject "a restore without op" delete-undo.xml 's#<rgp:restore op="request"/>#<rgp:restore/>#'
reject "a restore report without its data" delete-undo.xml 's#<rgp:restore op="request"/>#<rgp:restore op="report"><rgp:report/></rgp:restore>#'
reject "a cleared authInfo outside domain:chg" register-do.xml \
	's#<domain:pw>[^<]*</domain:pw>#<domain:null/>#'

# Documents of the RFCs' other shapes (written here, not by tldsec) validate:
# the schemas are no stricter than the RFCs where we do not use them yet.
cat >"$WORK/greeting.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <greeting>
    <svID>registry test server</svID>
    <svDate>2026-11-21T22:00:00.0Z</svDate>
    <svcMenu>
      <version>1.0</version>
      <lang>en</lang>
      <objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>
      <objURI>urn:ietf:params:xml:ns:host-1.0</objURI>
      <svcExtension><extURI>urn:ietf:params:xml:ns:rgp-1.0</extURI></svcExtension>
    </svcMenu>
    <dcp>
      <access><all/></access>
      <statement>
        <purpose><admin/><prov/></purpose>
        <recipient><ours/><public/></recipient>
        <retention><stated/></retention>
      </statement>
    </dcp>
  </greeting>
</epp>
XML
cat >"$WORK/restore-report.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <command>
    <update>
      <domain:update xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:name>bad-site.example</domain:name>
        <domain:chg/>
      </domain:update>
    </update>
    <extension>
      <rgp:update xmlns:rgp="urn:ietf:params:xml:ns:rgp-1.0">
        <rgp:restore op="report">
          <rgp:report>
            <rgp:preData>registration data before the delete</rgp:preData>
            <rgp:postData>registration data now</rgp:postData>
            <rgp:delTime>2026-11-01T10:00:00.0Z</rgp:delTime>
            <rgp:resTime>2026-11-03T09:00:00.0Z</rgp:resTime>
            <rgp:resReason>deleted by mistake</rgp:resReason>
            <rgp:statement>the information is true</rgp:statement>
            <rgp:statement>the restore serves no illegal purpose</rgp:statement>
          </rgp:report>
        </rgp:restore>
      </rgp:update>
    </extension>
    <clTRID>tldsec-42-104-report</clTRID>
  </command>
</epp>
XML
cat >"$WORK/info-response.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <response>
    <result code="1000"><msg>Command completed successfully</msg></result>
    <resData>
      <domain:infData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
        <domain:name>bad-site.example</domain:name>
        <domain:roid>BADSITE1-EXAMPLE</domain:roid>
        <domain:status s="serverHold" lang="en">case 42</domain:status>
        <domain:registrant>reg-contact</domain:registrant>
        <domain:contact type="tech">tech-contact</domain:contact>
        <domain:ns><domain:hostObj>ns1.hoster.example.com</domain:hostObj></domain:ns>
        <domain:clID>registrar-1</domain:clID>
        <domain:crID>registrar-1</domain:crID>
        <domain:crDate>2025-01-01T00:00:00.0Z</domain:crDate>
        <domain:exDate>2027-01-01T00:00:00.0Z</domain:exDate>
      </domain:infData>
    </resData>
    <extension>
      <rgp:infData xmlns:rgp="urn:ietf:params:xml:ns:rgp-1.0">
        <rgp:rgpStatus s="redemptionPeriod"/>
      </rgp:infData>
    </extension>
    <trID><clTRID>tldsec-42-1-info</clTRID><svTRID>srv-0001</svTRID></trID>
  </response>
</epp>
XML
cat >"$WORK/host-create.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
  <command>
    <create>
      <host:create xmlns:host="urn:ietf:params:xml:ns:host-1.0">
        <host:name>ns1.sinkhole.example</host:name>
        <host:addr ip="v4">192.0.2.53</host:addr>
        <host:addr ip="v6">2001:db8::53</host:addr>
      </host:create>
    </create>
    <clTRID>tldsec-42-9-host</clTRID>
  </command>
</epp>
XML
for d in greeting restore-report info-response host-create; do
	if xmllint --noout --schema "$XSD" "$WORK/$d.xml" >"$WORK/xl" 2>&1; then
		ok "accepts the RFC shape: $d"
	else
		not_ok "accepts the RFC shape: $d" "$(head -5 "$WORK/xl")"
	fi
done
# ... and one step past the RFC in each is rejected.
reject_doc() {
	local name=$1 src=$2 expr=$3
	sed -E "$expr" "$WORK/$src" >"$WORK/bad.xml"
	if cmp -s "$WORK/bad.xml" "$WORK/$src"; then not_ok "rejects: $name" "the edit changed nothing"; return; fi
	xl_reject "$name" "$WORK/bad.xml"
}
reject_doc "a greeting without a data collection policy" greeting.xml '/<dcp>/,/<\/dcp>/d'
reject_doc "a protocol version other than 1.0" greeting.xml 's#<version>1.0<#<version>1.1<#'
reject_doc "a restore report with three statements" restore-report.xml '/<rgp:statement>the restore/p'
reject_doc "an unknown grace period status" info-response.xml 's/s="redemptionPeriod"/s="gracePeriod"/'
reject_doc "a result code outside RFC 5730's list" info-response.xml 's/code="1000"/code="1002"/'
reject_doc "a response without svTRID" info-response.xml 's#<svTRID>[^<]*</svTRID>##'
reject_doc "an info response without clID" info-response.xml '/<domain:clID>/d'
reject_doc "a contact type outside admin, billing, tech" info-response.xml 's/type="tech"/type="abuse"/'
reject_doc "a host address of 46 characters" host-create.xml \
	's#>2001:db8::53<#>'"$(printf '1%.0s' {1..46})"'<#'

# Do, then undo, on a model of the domain object: every kind changes the
# object and its undo restores it exactly.
cat >"$WORK/model.py" <<'PY'
import re, sys, xml.etree.ElementTree as ET
E = "{urn:ietf:params:xml:ns:epp-1.0}"
D = "{urn:ietf:params:xml:ns:domain-1.0}"
R = "{urn:ietf:params:xml:ns:rgp-1.0}"

class Refused(Exception):
    pass

def apply(state, path):
    text = open(path, encoding="utf-8").read()
    cmd = ET.fromstring(text.encode()).find(E + "command")
    verb = cmd[0]
    obj = verb[0]
    name = obj.find(D + "name").text
    if name != state["name"]:
        raise Refused("wrong name " + name)
    s = dict(state, status=set(state["status"]), ns=set(state["ns"]))
    tag = verb.tag[len(E):]
    if tag == "update":
        if not s["exists"] and cmd.find(E + "extension/" + R + "update") is None:
            raise Refused("update of a missing domain")
        restore = cmd.find(E + "extension/" + R + "update/" + R + "restore")
        if restore is not None:
            if s["exists"] or not s["pending_delete"]:
                raise Refused("restore of a domain not pending delete")
            s["exists"], s["pending_delete"] = True, False
        for part, sign in (("add", 1), ("rem", -1)):
            el = obj.find(D + part)
            if el is None:
                continue
            for st in el.findall(D + "status"):
                v = st.get("s")
                if sign > 0:
                    if v in s["status"]: raise Refused("status already set: " + v)
                    if not (st.text or "").strip(): raise Refused("status without reason")
                    s["status"].add(v)
                else:
                    if v not in s["status"]: raise Refused("status not set: " + v)
                    s["status"].remove(v)
            for h in el.findall(D + "ns/" + D + "hostObj"):
                if sign > 0:
                    if h.text in s["ns"]: raise Refused("ns already there: " + h.text)
                    s["ns"].add(h.text)
                else:
                    if h.text not in s["ns"]: raise Refused("ns not there: " + h.text)
                    s["ns"].remove(h.text)
    elif tag == "delete":
        if not s["exists"]: raise Refused("delete of a missing domain")
        s["exists"], s["pending_delete"] = False, not s["new"]
    elif tag == "create":
        if s["exists"]: raise Refused("create of an existing domain")
        s.update(exists=True, new=True, status=set(),
                 ns={h.text for h in obj.findall(D + "ns/" + D + "hostObj")},
                 sponsor="registry")
    elif tag == "transfer":
        if verb.get("op") != "request": raise Refused("transfer op")
        m = re.search(r"session of registrar (\S+),", text)
        if not m or m.group(1) == s["sponsor"]: raise Refused("no new sponsor")
        s["sponsor"] = m.group(1)
    else:
        raise Refused("unexpected command " + tag)
    return s

def view(s):
    if not s["exists"] and not s["pending_delete"]:
        return ("absent",)
    return (s["exists"], s["pending_delete"], sorted(s["status"]), sorted(s["ns"]), s["sponsor"])

out, kind = sys.argv[1], sys.argv[2]
prior_status = {"serverDeleteProhibited"} if kind == "lock-partial" else set()
if sys.argv[3:] == ["held"]:
    prior_status = {"serverHold"}
start = dict(name="bad-site.example", exists=True, pending_delete=False, new=False,
             status=prior_status, ns={"ns1.hoster.example.com", "ns2.hoster.example.com"},
             sponsor="registrar-1")
if kind == "register":
    start = dict(start, name="qxkzmwpr.example", exists=False, status=set(), ns=set(), sponsor=None)
try:
    mid = apply(start, "%s/%s-do.xml" % (out, kind))
    end = apply(mid, "%s/%s-undo.xml" % (out, kind))
except Refused as e:
    print("refused:", e); sys.exit(1)
if view(mid) == view(start):
    print("the command changed nothing:", view(mid)); sys.exit(1)
if view(end) != view(start):
    print("undo left", view(end), "not", view(start)); sys.exit(1)
print("ok", view(start), "->", view(mid), "->", view(end))
PY
for k in "${kinds[@]}"; do
	if python3 "$WORK/model.py" "$OUT" "$k" >"$WORK/m" 2>&1; then
		ok "$k then its undo restores the domain object"
	else
		not_ok "$k then its undo restores the domain object" "$(cat "$WORK/m")"
	fi
done
# The model itself can fail: a suspend of a domain on hold already is refused.
if python3 "$WORK/model.py" "$OUT" suspend held >"$WORK/m" 2>&1; then
	not_ok "the model refuses a suspend of a held domain" "$(cat "$WORK/m")"
else
	expect_grep "the model refuses a suspend of a held domain" "$WORK/m" '^refused: status already set: serverHold'
fi

done_testing
