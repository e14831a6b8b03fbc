#!/usr/bin/env bash
# EPP commands of the export writers: every command kind and its undo
# validates against the EPP schemas (tests/xsd, from RFCs 5730, 5731, 5732,
# 3915) with xmllint; broken documents are rejected; and applying a command
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

# Broken documents are rejected, so the validation above can fail.
reject() {
	local name=$1 src=$2 expr=$3
	sed -E "$expr" "$OUT/$src" >"$WORK/bad.xml"
	if cmp -s "$WORK/bad.xml" "$OUT/$src"; then not_ok "rejects: $name" "the edit changed nothing"; return; fi
	if xmllint --noout --schema "$XSD" "$WORK/bad.xml" >"$WORK/xl" 2>&1; then
		not_ok "rejects: $name" "xmllint accepted it"
	else
		ok "rejects: $name"
	fi
}
reject "an unknown status value" suspend-do.xml 's/s="serverHold"/s="serverHalt"/'
reject "a command without the domain name" suspend-do.xml '/<domain:name>/d'
reject "a clTRID of 65 characters" suspend-do.xml 's#<clTRID>[^<]*#<clTRID>'"$(printf 'x%.0s' {1..65})"'#'
reject "a clTRID of 2 characters" suspend-do.xml 's#<clTRID>[^<]*#<clTRID>ab#'
reject "an unescaped ampersand" suspend-do.xml 's/&amp;/\&/'
reject "rem before add" redirect-do.xml 's/domain:add>/domain:TMP>/g; s/domain:rem>/domain:add>/g; s/domain:TMP>/domain:rem>/g'
reject "a 100-year period" register-do.xml 's#unit="y">1<#unit="y">100<#'
reject "a create without authInfo" register-do.xml '/authInfo>|domain:pw>/d'
reject "an unknown restore operation" delete-undo.xml 's/op="request"/op="undo"/'
reject "a transfer without op" transfer-do.xml 's/ op="request"//'
reject "the domain mapping in another namespace" lock-do.xml 's#ns:domain-1.0#ns:domain-9.9#'

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
