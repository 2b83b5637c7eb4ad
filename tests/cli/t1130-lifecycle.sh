#!/usr/bin/env bash
# After issue: replace, correct and recall (issue 15). The seed plan is issued; a replacement
# (whose header says <amends relation="replaces">) is issued and 'docket replace' marks the seed
# replaced, frozen, pointing at it; a correcting letter is issued and 'docket correct' links it
# to the replacement, which stays in force; the approver recalls the letter with a signed step.
# Each leaves 'audit --trust' clean and every old signature valid (docket verify and xmlsec1).
# Refused: a link without --by, to a draft, to a document that does not say it, to another
# issuer, to itself, twice; a recall by the clerk or without a reason; any edit, attach or
# transition of a recalled or replaced document. Made by plain git instead, the audit flags it:
# an edit of the recalled letter (with and without docket's trailers) and a forged replace step
# linking a document that does not say it replaces.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
TRUST=$WORK/ca/ca.pem
OLD=kh-2021-354     # the seed, issued, then replaced
NEW=kh-2021-402     # replaces it, then corrected
LETTER=kh-2021-410  # corrects NEW, then recalled
OTHER=kh-2021-420   # issued, states nothing
path_of() { echo "documents/plan/2021/CTTT/$1.xml"; }
d() { "$DOCKET" -C "$R" "$@"; }
at() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$R" "$@" >/dev/null || fail "docket $*"; }

export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả" >/dev/null
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d --as admin unit add VT --name "Văn thư" --parent LD >/dev/null
# an issuer other than the organisation that docket may still number for (docket numbers only
# what the organisation or one of its units issues, docs/rules.md): the "foreign" letter below
d --as admin unit add SGDĐT --name "Tổ công tác liên ngành" --parent LD >/dev/null
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver >/dev/null
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk >/dev/null
enrol "$R" admin hoa minh lan thu
unset DOCKET_NOW

# variant FILE ID [RELATION REF CODE DATE] [ABBR]: the seed as document ID, its header stating
# the relation to REF, issued by ABBR (default the seed's own)
variant() {
	python3 - "$EXAMPLES/354-KH-PGDDT.xml" "$@" <<'PY'
import sys
src, out, docid = sys.argv[1:4]
rest = sys.argv[4:]
s = open(src, encoding="utf-8").read()
s = s.replace('id="kh-2021-354"', 'id="%s"' % docid, 1)
if len(rest) >= 4 and rest[0]:
    rel, ref, code, date = rest[:4]
    s = s.replace("    </recipients>\n  </header>", "    </recipients>\n    <amends relation=\"%s\" ref=\"%s\" "
                  "code=\"%s\" date=\"%s\"/>\n  </header>" % (rel, ref, code, date), 1)
if len(rest) >= 5:
    s = s.replace("<abbr>PGDĐT</abbr>", "<abbr>%s</abbr>" % rest[4], 1)
open(out, "w", encoding="utf-8").write(s)
PY
}
# walk DOC DAY: submit, review, approve and issue DOC on 2021-MM-DD (DAY = MM-DD)
walk() {
	at 2021-$2T08:00:00+07:00 --as hoa submit "$1" -m "Trình"
	at 2021-$2T09:00:00+07:00 --as minh review "$1"
	at 2021-$2T10:00:00+07:00 --as lan approve "$1"
	at 2021-$2T11:00:00+07:00 --as thu issue "$1"
}
# code_of DOC / date_of DOC: its number/notation and its date, as issued
code_of() { python3 -c '
import sys, xml.etree.ElementTree as E
ns = "{urn:docket:document:1}"
h = E.parse(sys.argv[1]).getroot().find(ns + "header")
print(h.findtext(ns + "code/" + ns + "number") + "/" + h.findtext(ns + "code/" + ns + "notation"))' "$R/$(path_of "$1")"; }
date_of() { python3 -c '
import sys, xml.etree.ElementTree as E
ns = "{urn:docket:document:1}"
print(E.parse(sys.argv[1]).getroot().findtext(ns + "header/" + ns + "date"))' "$R/$(path_of "$1")"; }
state_of() { python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print(r.find("{urn:docket:document:1}workflow").get("state"))' "$R/$(path_of "$1")"; }
last_step() { python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
s = r.findall("{urn:docket:document:1}workflow/{urn:docket:document:1}step")[-1]
print(s.get("transition"), s.get("from"), s.get("to"), s.get("ref") or "-", s.get("actor"), (s.text or "").strip())' "$R/$(path_of "$1")"; }
audit_clean() {
	local rc=0
	"$DOCKET" -C "${2:-$R}" audit --trust "$TRUST" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "$1: audit exited $rc"; }
}
XS_IDS=(--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content
	--id-attr:Id urn:docket:document:1:header)
# xmlsec_all DOC: xmlsec1 verifies every signature of DOC's file against the CA; prints the count
xmlsec_all() {
	local f=$R/$(path_of "$1") n=0 id
	for id in $(grep -o '<ds:Signature[^>]*Id="[^"]*"' "$f" | sed 's/.*Id="\([^"]*\)"/\1/'); do
		xmlsec1 --verify --trusted-pem "$TRUST" --enabled-key-data x509 "${XS_IDS[@]}" \
			--node-xpath "//*[local-name()='Signature'][@Id='$id']" "$f" >"$WORK/xs.out" 2>&1 ||
			{ cat "$WORK/xs.out"; fail "xmlsec1 rejects signature $id of $1"; }
		n=$((n + 1))
	done
	echo "$n"
}

# --- the seed issued; a replacement says it replaces it ----------------------------------------
at 2021-05-03T07:30:00+07:00 --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
walk $OLD 05-11
OLDCODE=$(code_of $OLD)
variant "$WORK/new.xml" $NEW replaces $OLD "$OLDCODE" "$(date_of $OLD)"
variant "$WORK/other.xml" $OTHER
variant "$WORK/wrong.xml" kh-2021-403 replaces $OLD "354/KH-PGDĐT" "$(date_of $OLD)"
at 2021-06-01T07:00:00+07:00 --as hoa add --draft "$WORK/new.xml"
at 2021-06-01T07:05:00+07:00 --as hoa add --draft "$WORK/other.xml"
at 2021-06-01T07:10:00+07:00 --as hoa add --draft "$WORK/wrong.xml"
grep -q "<amends relation=\"replaces\" ref=\"$OLD\"" "$R/$(path_of $NEW)" || fail "add --draft dropped <amends>"
cp "$R/$(path_of $OLD)" "$WORK/old-issued.xml"
[ "$(xmlsec_all $OLD)" = 3 ] || fail "the issued seed does not carry three signatures"

# refused while NEW is a draft; without --by; by a document that does not say so; by itself
expect_exit 1 d --as thu replace $OLD --by $NEW
expect_grep "cannot replace '$OLD': the replacement '$NEW' is in the state 'draft'; it must be issued" "$WORK/err"
expect_exit 2 d --as thu replace $OLD
expect_grep "--by" "$WORK/err"
walk $NEW 06-02
walk $OTHER 06-03
walk kh-2021-403 06-04
expect_exit 1 d --as thu replace $OLD --by kh-2021-403
expect_grep "the replacement 'kh-2021-403' names '$OLD' as 354/KH-PGDĐT, but '$OLD' is $OLDCODE" "$WORK/err"
expect_exit 1 d --as thu replace $OLD --by $OTHER
expect_grep "the replacement '$OTHER' does not state that it replaces '$OLD'" "$WORK/err"
expect_exit 1 d --as thu replace $OLD --by $OLD
expect_grep "cannot be replaced by itself" "$WORK/err"
expect_exit 1 d --as thu correct $OLD --by $NEW
expect_grep "does not state that it corrects '$OLD'" "$WORK/err"
expect_exit 1 d --as hoa replace $OLD --by $NEW
expect_grep "'hoa'" "$WORK/err"
expect_exit 2 d --as thu submit $OLD --by $NEW
[ "$(state_of $OLD)" = issued ] || fail "a refused replace changed the seed"
cmp -s "$R/$(path_of $OLD)" "$WORK/old-issued.xml" || fail "a refused replace changed the seed's file"
ok "replace refused: replacement in draft, no --by, not stating it, naming another number, itself, correct for replace, a drafter, --by elsewhere"

# --- replace ----------------------------------------------------------------------------------
REPLACE_BASE=$(git -C "$R" rev-parse main)
DOCKET_NOW=2021-06-05T09:00:00+07:00 expect_exit 0 d --as thu replace $OLD --by $NEW -m "Thay thế do sai chỉ tiêu"
expect_grep "$OLD: issued -> replaced, replaced by $NEW" "$WORK/out"
[ "$(state_of $OLD)" = replaced ] || fail "the seed is not replaced"
[ "$(last_step $OLD)" = "replace issued replaced $NEW thu Thay thế do sai chỉ tiêu" ] ||
	fail "the replace step: $(last_step $OLD)"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Link: $NEW" || fail "no Docket-Link trailer"
# the signed parts are untouched: header and content byte for byte, the three signatures too
python3 - "$WORK/old-issued.xml" "$R/$(path_of $OLD)" <<'PY' || fail "replace changed the seed's signed parts"
import sys, re
a, b = (open(f, encoding="utf-8").read() for f in sys.argv[1:3])
for part in ("header", "content", "signatures"):
    x = re.search(r"<%s[ >].*?</%s>" % (part, part), a, re.S).group(0)
    y = re.search(r"<%s[ >].*?</%s>" % (part, part), b, re.S).group(0)
    assert x == y, part
PY
[ "$(xmlsec_all $OLD)" = 3 ] || fail "xmlsec1: the replaced seed's signatures"
expect_exit 0 d verify $OLD --trust "$TRUST"
audit_clean "after replace"
expect_exit 0 d log $OLD
expect_grep "    replaced by $NEW" "$WORK/out"
expect_exit 0 d log $OLD --json
python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))[-1]
assert e["action"] == "replace" and e["link"] == sys.argv[2] and (e["from"], e["to"]) == ("issued", "replaced"), e
' "$WORK/out" $NEW || fail "log --json: the replace step: $(cat "$WORK/out")"
ok "replace: the seed replaced, linked to $NEW by a step and a trailer (log shows it), its signed parts and signatures intact, audit clean"

# a replaced document is frozen
expect_exit 1 d --as thu replace $OLD --by $NEW
expect_grep "state is 'replaced', expected 'issued'" "$WORK/err"
expect_exit 1 d --as lan recall $OLD -m "Thu hồi"
expect_grep "state is 'replaced'" "$WORK/err"

# --- correct ----------------------------------------------------------------------------------
variant "$WORK/letter.xml" $LETTER corrects $NEW "$(code_of $NEW)" "$(date_of $NEW)"
variant "$WORK/foreign.xml" kh-2021-430 corrects $NEW "$(code_of $NEW)" "$(date_of $NEW)" SGDĐT
at 2021-06-10T07:00:00+07:00 --as hoa add --draft "$WORK/letter.xml"
at 2021-06-10T07:05:00+07:00 --as hoa add --draft "$WORK/foreign.xml"
walk $LETTER 06-11
walk kh-2021-430 06-12
expect_exit 1 d --as thu correct $NEW --by kh-2021-430
expect_grep "is issued by 'SGDĐT', not by the issuer of '$NEW' ('PGDĐT')" "$WORK/err"
cp "$R/$(path_of $NEW)" "$WORK/new-issued.xml"
DOCKET_NOW=2021-06-15T09:00:00+07:00 expect_exit 0 d --as thu correct $NEW --by $LETTER
expect_grep "$NEW: issued -> issued, corrected by $LETTER" "$WORK/out"
[ "$(state_of $NEW)" = issued ] || fail "a corrected document must stay issued"
[ "$(last_step $NEW)" = "correct issued issued $LETTER thu " ] || fail "the correct step: $(last_step $NEW)"
expect_exit 1 d --as thu correct $NEW --by $LETTER
expect_grep "'$NEW' is already linked to '$LETTER' by an earlier step" "$WORK/err"
[ "$(xmlsec_all $NEW)" = 3 ] || fail "xmlsec1: the corrected document's signatures"
expect_exit 0 d verify $NEW --trust "$TRUST"
audit_clean "after correct"
ok "correct: $NEW stays issued with $LETTER linked; another issuer's letter and a second link refused; signatures valid, audit clean"

# --- recall -----------------------------------------------------------------------------------
expect_exit 1 d --as thu recall $LETTER -m "Thu hồi"
expect_grep "'thu'" "$WORK/err"
expect_exit 2 d --as lan recall $LETTER
[ "$(state_of $LETTER)" = issued ] || fail "a refused recall changed the letter"
DOCKET_NOW=2021-06-20T09:00:00+07:00 expect_exit 0 d --as lan recall $LETTER -m "Thu hồi do ban hành nhầm"
expect_grep "$LETTER: issued -> recalled" "$WORK/out"
[ "$(state_of $LETTER)" = recalled ] || fail "the letter is not recalled"
[ "$(last_step $LETTER)" = "recall issued recalled - lan Thu hồi do ban hành nhầm" ] ||
	fail "the recall step: $(last_step $LETTER)"
# signed: a fourth signature, by lan, for the transition recall; the three before still hold
[ "$(xmlsec_all $LETTER)" = 4 ] || fail "xmlsec1: the recalled letter must carry four valid signatures"
expect_exit 0 d verify $LETTER --trust "$TRUST" --json
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["valid"], j
last = j["signatures"][-1]
assert last["transition"] == "recall" and last["person"] == "lan" and last["ok"], last
' "$WORK/out" || fail "verify --json: the recall signature: $(cat "$WORK/out")"
audit_clean "after recall"
ok "recall: by the approver with a reason, signed (xmlsec1 verifies all four signatures); clerk and no reason refused; audit clean"

# --- a recalled document is frozen --------------------------------------------------------------
F=$R/$(path_of $LETTER)
cp "$F" "$WORK/letter-recalled.xml"
sed -i 's/Chương trình hành động quốc gia vì trẻ em/Chương trình hành động/' "$F"
expect_exit 1 d --as hoa commit $LETTER -m "Sửa"
expect_grep "cannot edit '$LETTER': its state 'recalled' is not editable" "$WORK/err"
cp "$WORK/letter-recalled.xml" "$F"
printf 'phụ lục' >"$WORK/pl.txt"
expect_exit 1 d --as hoa attach $LETTER "$WORK/pl.txt"
expect_grep "cannot attach to '$LETTER': its state 'recalled' is not editable" "$WORK/err"
for t in submit review approve issue; do
	expect_exit 1 d --as lan $t $LETTER
done
expect_exit 1 d --as lan recall $LETTER -m "Lần nữa"
expect_exit 1 d --as thu correct $LETTER --by $NEW
[ -z "$(git -C "$R" status --porcelain)" ] || fail "a refusal left the work tree dirty"
audit_clean "after the refusals"
fsck_clean "$R"
ok "a recalled document: edit, attach and every transition refused"

# --- the same by plain git: flagged -------------------------------------------------------------
cp -a "$R" "$WORK/plain"
P=$WORK/plain
sed -i 's/Chương trình hành động quốc gia vì trẻ em/Chương trình hành động/' "$P/$(path_of $LETTER)"
git -C "$P" commit -q -am "Sửa văn bản đã thu hồi"
rc=0; "$DOCKET" -C "$P" audit --trust "$TRUST" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/out"; fail "plain git edit of the recalled letter: audit exited $rc"; }
expect_grep "outside-docket" "$WORK/out"
expect_grep "$LETTER" "$WORK/out"
git -C "$P" reset -q --hard HEAD~1
sed -i 's/Chương trình hành động quốc gia vì trẻ em/Chương trình hành động/' "$P/$(path_of $LETTER)"
git -C "$P" $(git_signing hoa) commit -q -a -m "docket: edit $LETTER

Docket-Document: $LETTER
Docket-Action: edit
Docket-State: recalled
Docket-Actor: hoa"
rc=0; "$DOCKET" -C "$P" audit --trust "$TRUST" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/out"; fail "forged edit of the recalled letter: audit exited $rc"; }
expect_grep "content-changed-in-non-editable-state" "$WORK/out"
expect_grep "edited in the state 'recalled', which is not editable" "$WORK/out"
ok "an edit of the recalled letter by plain git is flagged (outside-docket; with forged trailers, content changed in 'recalled')"

# a forged replace step: OTHER 'replaced' by NEW, which does not say it replaces OTHER
git -C "$P" reset -q --hard HEAD~1
python3 - "$P/$(path_of $OTHER)" "$NEW" <<'PY'
import sys
f, new = sys.argv[1:3]
s = open(f, encoding="utf-8").read()
s = s.replace('<workflow state="issued">', '<workflow state="replaced">', 1)
i = s.index("</workflow>")
j = s.rindex("\n", 0, i)
s = s[:j] + '\n    <step date="2021-06-25T09:00:00+07:00" actor="thu" role="clerk" transition="replace" from="issued" to="replaced" ref="%s"/>' % new + s[j:]
open(f, "w", encoding="utf-8").write(s)
PY
git -C "$P" $(git_signing thu) commit -q -a -m "docket: replace $OTHER (issued -> replaced)

Docket-Document: $OTHER
Docket-Transition: replace
Docket-From: issued
Docket-To: replaced
Docket-Actor: thu
Docket-Role: clerk
Docket-Link: $NEW"
rc=0; "$DOCKET" -C "$P" audit --trust "$TRUST" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/out"; fail "forged replace: audit exited $rc"; }
expect_grep "illegal-transition" "$WORK/out"
expect_grep "'replace' linking '$NEW': the replacement '$NEW' does not state that it replaces '$OTHER'" "$WORK/out"
ok "a replace step forged with plain git, linking a document that does not say it replaces, is flagged"

# --- exported as edXML business operations --------------------------------------------------------
expect_exit 0 d --as admin org set --organ-id "000.00.12.H10"
# bizop FILE: "TYPE|REASON|CODE" of the envelope's Business (or "none")
bizop() { python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as E
ns = "{http://www.mic.gov.vn/TBT/QCVN_102_2016}"
b = E.parse(sys.argv[1]).getroot().find(".//" + ns + "Business")
if b is None:
    print("none")
else:
    print("%s|%s|%s" % (b.findtext(ns + "BusinessDocType"), b.findtext(ns + "BusinessDocReason") or "",
          b.findtext(ns + "BusinessDocument/" + ns + "Code") or ""))
PY
}
expect_exit 0 d export $LETTER -o "$WORK/recall.edxml"
[ "$(bizop "$WORK/recall.edxml")" = "1|Thu hồi do ban hành nhầm|$(python3 -c '
import sys, xml.etree.ElementTree as E
ns = "{urn:docket:document:1}"
r = E.parse(sys.argv[1]).getroot()
print(r.findtext(ns + "header/" + ns + "code/" + ns + "number") + "/" + r.findtext(ns + "header/" + ns + "code/" + ns + "notation"))' "$R/$(path_of $LETTER)")" ] ||
	fail "the recalled letter's export: $(bizop "$WORK/recall.edxml")"
expect_exit 0 d export $NEW -o "$WORK/replace.edxml"
[ "$(bizop "$WORK/replace.edxml")" = "3||$OLDCODE" ] || fail "the replacement's export: $(bizop "$WORK/replace.edxml")"
expect_exit 0 d export kh-2021-430 -o "$WORK/update.edxml"
bizop "$WORK/update.edxml" | grep -q '^2||' || fail "the correcting letter's export: $(bizop "$WORK/update.edxml")"
expect_exit 0 d export $OTHER -o "$WORK/new.edxml"
[ "$(bizop "$WORK/new.edxml")" = none ] || fail "a plain issued document's export: $(bizop "$WORK/new.edxml")"
for f in recall replace update new; do
	xmllint --noout --nonet --schema "$DOCKET_SRC/schemas/edxml.xsd" "$WORK/$f.edxml" 2>"$WORK/xl" ||
		{ cat "$WORK/xl"; fail "xmllint: $f.edxml does not validate"; }
done
ok "export: the recall (1, with its reason), the replacement (3, pointing at $OLDCODE) and the correcting letter (2) as edXML business operations; xmllint validates each"

# --- the central repository's pre-receive hook accepts the lifecycle, refuses the forgery ------------
git clone -q --bare "$R" "$WORK/central.git"
git -C "$WORK/central.git" update-ref refs/heads/main "$REPLACE_BASE"
expect_exit 0 "$DOCKET" server install-hook "$WORK/central.git" --trust "$TRUST"
rc=0; git -C "$P" push -q "$WORK/central.git" main >"$WORK/push.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || { cat "$WORK/push.out"; fail "the hook accepted the forged replace step"; }
expect_grep "illegal-transition" "$WORK/push.out"
[ "$(git -C "$WORK/central.git" rev-parse main)" = "$REPLACE_BASE" ] || fail "a refused push moved main"
rc=0; git -C "$R" push -q "$WORK/central.git" main >"$WORK/push.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat "$WORK/push.out"; fail "the hook refused replace, correct and recall: exit $rc"; }
[ "$(git -C "$WORK/central.git" rev-parse main)" = "$(git -C "$R" rev-parse main)" ] || fail "the push did not land"
ok "pre-receive hook: replace, correct and recall pushed and accepted; the forged replace step refused"
