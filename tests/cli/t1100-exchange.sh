#!/usr/bin/env bash
# Documents that travel (issue 15, docs/exchange.md), end to end between two organisations,
# each its own repository, CA and people:
# - the department (PGDĐT) issues the seed plan signed at every step and exports it as an
#   edXML envelope: it validates against schemas/edxml.xsd (docket's own check and
#   xmllint --schema), carries the document byte for byte (digest checked with openssl),
#   From the department's exchange id, To the recipient configured as external;
# - the provincial department (SGDĐT, a second repository) receives it: arrival number 01,
#   the original kept byte for byte (cmp), its three signatures verified against the
#   sender's CA and xmlsec1 agreeing; assigned to a unit with a due date, completed by that
#   unit; a status message (edXML, schema-valid) after each step; a reply drafted with
#   'new --reply-to', walked to issued, whose export carries ResponseFor pointing back;
# - a plan with an annex exported and received (arrival 02), the annex byte for byte;
#   two clerks receiving at once get 01 and 02;
# - refusals that change nothing: the same envelope again (duplicate receipt), a DTD, the
#   document changed in transit, the digest removed, an annex changed, added or swapped (its
#   envelope digest recomputed: caught by the signed list), a header that does not match its
#   document, a status message given as a document, a recall, a non-clerk; an assign step
#   without a unit, made with plain git, found by the audit;
# - 'docket audit --trust' of both repositories is clean.
. "$(dirname "$0")/lib.sh"

P=$WORK/pgd          # the department: sender
S=$WORK/sgd          # the provincial department: receiver
DOC=kh-2021-354
CA=$WORK/ca/ca.pem
CA2=$WORK/ca2/ca.pem
XSD=$DOCKET_SRC/schemas/edxml.xsd
EDXML=http://www.mic.gov.vn/TBT/QCVN_102_2016
DSIG=http://www.w3.org/2000/09/xmldsig#
export DOCKET_NOW=2021-05-11T09:00:00+07:00

p() { "$DOCKET" -C "$P" "$@"; }
s() { "$DOCKET" -C "$S" "$@"; }
count() { git -C "$1" rev-list --count main; }
# one_commit REPO WHAT CMD...: CMD exits 0 and writes exactly one commit on REPO's main
one_commit() {
	local repo=$1 what=$2 before
	shift 2
	before=$(count "$repo")
	expect_exit 0 "$@"
	[ "$(count "$repo")" = $((before + 1)) ] || fail "$what: expected one new commit, got $(($(count "$repo") - before))"
}
# refused REPO CODE WHAT PHRASE CMD...: CMD exits CODE naming PHRASE, and REPO is as it was
refused() {
	local repo=$1 want=$2 what=$3 phrase=$4 before
	shift 4
	before=$(snapshot "$repo")
	expect_exit "$want" "$@"
	grep -qF -- "$phrase" "$WORK/err" || { cat "$WORK/err"; fail "$what: '$phrase' not in the message"; }
	[ "$(snapshot "$repo")" = "$before" ] || fail "$what: refused, but the repository changed"
}
# ex FILE XPATH: the string value of XPATH (edXML prefix e:) in FILE
ex() { xmllint --xpath "string($2)" "$1" 2>/dev/null | sed "s/^$//"; }
ev() { xmllint --xpath "string(/*[local-name()='edXMLEnvelope']$2)" "$1"; }
sig_ids() {
	xmllint --xpath "//*[local-name()='Signature' and namespace-uri()='$DSIG']/@Id" "$1" 2>/dev/null |
		sed -n 's/^ *Id="\([^"]*\)"$/\1/p'
}
XS_IDS=(--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content
	--id-attr:Id urn:docket:document:1:header)

# ==== the department: people, keys, the seed plan issued ====================================
expect_exit 0 "$DOCKET" init "$P"
expect_exit 0 p org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 p unit add LD --name "Lãnh đạo phòng"
expect_exit 0 p unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 p unit add VT --name "Văn thư" --parent LD
expect_exit 0 p person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
expect_exit 0 p --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
expect_exit 0 p --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
expect_exit 0 p --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
expect_exit 0 p --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
enrol "$P" admin admin hoa minh lan thu
one_commit "$P" add p --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
one_commit "$P" submit p --as hoa submit "$DOC"
one_commit "$P" review p --as minh review "$DOC"
one_commit "$P" approve p --as lan approve "$DOC"
one_commit "$P" issue p --as thu issue "$DOC"
F=$P/documents/plan/2021/CTTT/$DOC.xml

# --- export refused without an exchange id; then set, with the provincial department as an external organisation
refused "$P" 1 "no exchange id" "docket org set --organ-id" p export "$DOC"
one_commit "$P" "organ id" p --as admin org set --organ-id 000.31.21.H44
expect_exit 0 p org show
expect_grep "organ-id: 000.31.21.H44" "$WORK/out"
one_commit "$P" "external" p --as admin external add sgddt --name "Sở GDĐT" --organ-id 000.00.12.H44
expect_exit 0 p external list
expect_grep "sgddt	000.00.12.H44	Sở GDĐT	no CA" "$WORK/out"
ok "the department's exchange id and its external organisation are configuration, set by its administrator"

# ==== export ================================================================================
expect_exit 0 p export "$DOC" --format edxml -o "$WORK/354.edxml"
[ ! -s "$WORK/out" ] || fail "export -o printed to standard output"
xmllint --noout --schema "$XSD" "$WORK/354.edxml" 2>"$WORK/xmllint.err" ||
	{ cat "$WORK/xmllint.err"; fail "xmllint --schema refuses the export"; }
A="/*[local-name()='edXMLHeader']/*[local-name()='MessageHeader']"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='From']/*[local-name()='OrganId']")" = 000.31.21.H44 ] || fail "From/OrganId"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='To']/*[local-name()='OrganId']")" = 000.00.12.H44 ] || fail "To/OrganId"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='Code']/*[local-name()='CodeNumber']")" = 01 ] || fail "CodeNumber"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='Code']/*[local-name()='CodeNotation']")" = KH-PGDĐT ] || fail "CodeNotation"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='DocumentType']/*[local-name()='Type']")" = KH ] || fail "Type"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='SignerInfo']/*[local-name()='Competence']")" = "KT. TRƯỞNG PHÒNG" ] || fail "Competence"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='SignerInfo']/*[local-name()='FullName']")" = "Lê Thị Lan" ] || fail "FullName"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='OtherInfo']/*[local-name()='Appendixes']")" = 0 ] || fail "Appendixes"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='DocumentId']")" = "000.31.21.H44,2021/05/11,01/KH-PGDĐT" ] || fail "DocumentId"
[ "$(ev "$WORK/354.edxml" "$A/*[local-name()='ToPlaces']/*[local-name()='Place'][1]")" = "Sở GDĐT" ] || fail "ToPlaces"
[ "$(ev "$WORK/354.edxml" "/*[local-name()='edXMLHeader']/*[local-name()='TraceHeaderList']/*[local-name()='TraceHeader']/*[local-name()='Timestamp']")" = "$DOCKET_NOW" ] || fail "TraceHeader Timestamp"
# the attachment is the stored document, byte for byte, and its digest is the bytes' SHA-256
ATT="/*[local-name()='edXMLBody']/*[local-name()='AttachmentEncoded']/*[local-name()='Attachment']"
ev "$WORK/354.edxml" "$ATT" | base64 -d >"$WORK/carried.xml"
git -C "$P" show "main:documents/plan/2021/CTTT/$DOC.xml" >"$WORK/stored.xml"
cmp "$WORK/carried.xml" "$WORK/stored.xml" || fail "the attachment is not the stored document"
[ "$(xmllint --xpath "string(/*[local-name()='edXMLEnvelope']$ATT/@DigestValue)" "$WORK/354.edxml")" = \
  "$(openssl dgst -sha256 -binary "$WORK/stored.xml" | base64)" ] || fail "DigestValue is not the SHA-256 of the document"
ok "export: xmllint --schema edxml.xsd accepts it; From/To/Code/Type/SignerInfo/OtherInfo/DocumentId/TraceHeader from the header and configuration; the attachment is the stored document byte for byte with its SHA-256"

expect_exit 0 p export "$DOC" >/dev/null
cp "$WORK/out" "$WORK/stdout.edxml"
cmp "$WORK/stdout.edxml" "$WORK/354.edxml" || fail "export to stdout differs from -o"
expect_exit 1 p export "$DOC" --status
expect_grep "not an incoming document" "$WORK/err"
expect_exit 2 p export "$DOC" --format pdf
expect_exit 3 p export no-such-doc
ok "export to standard output is the same; --status of an outgoing document exit 1, an unknown format exit 2, no such document exit 3"

# ==== the provincial department: its own repository, CA and people ===========================
# enrol2 PERSON...: keys as enrol makes them, certificates from the second CA ($WORK/ca2)
enrol2() {
	local p
	[ -f "$CA2" ] || DOCKET_NOW=2020-01-01T00:00:00+07:00 "$DOCKET" ca init "$WORK/ca2" \
		--name "SGD Test CA" >/dev/null || fail "cannot make the second CA"
	for p in "$@"; do
		"$DOCKET" -C "$S" key generate --person "$p" >/dev/null || fail "key generate $p"
		DOCKET_NOW=2020-01-01T00:00:00+07:00 "$DOCKET" ca issue --ca "$WORK/ca2" \
			"$HOME/.config/docket/keys/$p.pem.csr" --days 3650 --out "$WORK/ca2/$p.crt" >/dev/null || fail "ca issue $p"
		"$DOCKET" -C "$S" --as sadmin person cert "$p" "$WORK/ca2/$p.crt" >/dev/null || fail "person cert $p"
	done
}
# (made at another time than the department's: two repositories made from the template in the same
# second by the same git identity share their first commit, and the audit would take them for one)
DOCKET_NOW=2021-05-12T08:00:00+07:00 expect_exit 0 "$DOCKET" init "$S"
expect_exit 0 s org set --name "SỞ GIÁO DỤC VÀ ĐÀO TẠO" --abbr "SGDĐT" --parent "UBND TỈNH QUẢNG NINH" \
	--place "Quảng Ninh" --organ-id 000.00.12.H44
expect_exit 0 s unit add LDS --name "Lãnh đạo Sở"
expect_exit 0 s unit add KHTC --name "Phòng Kế hoạch - Tài chính" --parent LDS
expect_exit 0 s unit add VP --name "Văn phòng" --parent LDS
expect_exit 0 s person add sadmin --name "Hà Văn Trị" --position "CHUYÊN VIÊN" --unit VP --role admin
expect_exit 0 s --as sadmin person add vt2 --name "Đào Thị Vân" --position "VĂN THƯ" --unit VP --role clerk
expect_exit 0 s --as sadmin person add cv2 --name "Ngô Văn Khải" --position "CHUYÊN VIÊN" --unit KHTC --role drafter
expect_exit 0 s --as sadmin person add tp2 --name "Bùi Thị Hạnh" --position "TRƯỞNG PHÒNG KHTC" --unit KHTC --role reviewer
expect_exit 0 s --as sadmin person add gd2 --name "Lý Văn Đức" --position "PHÓ GIÁM ĐỐC" --unit LDS --role approver
enrol2 sadmin vt2 cv2 tp2 gd2

# --- received before the sender is configured: registered, signatures reported unchecked
cp -a "$S" "$WORK/sgd-unconfigured"
expect_exit 0 "$DOCKET" -C "$WORK/sgd-unconfigured" --as vt2 receive "$WORK/354.edxml"
expect_grep "signatures not checked: the sender 000.31.21.H44 is not an external organisation" "$WORK/out"
rm -rf "$WORK/sgd-unconfigured"
one_commit "$S" "external" s --as sadmin external add pgddt --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" \
	--organ-id 000.31.21.H44 --ca "$CA"
refused "$S" 1 "own exchange id" "this organisation's own exchange id" \
	s --as sadmin external add self --name "Tự" --organ-id 000.00.12.H44

# ==== receive ===============================================================================
refused "$S" 1 "not a clerk" "clerk role is required" s --as cv2 receive "$WORK/354.edxml"
export DOCKET_NOW=2021-05-13T08:15:00+07:00
one_commit "$S" receive s --as vt2 receive "$WORK/354.edxml"
R=den-2021-01
IF=$S/documents/incoming/2021/VP/$R.xml
expect_grep "$R: arrival 01/2021 at 2021-05-13T08:15:00+07:00, from PHÒNG GIÁO DỤC VÀ ĐÀO TẠO (000.31.21.H44): 01/KH-PGDĐT of 2021-05-11, 0 annexes" "$WORK/out"
[ "$(grep -c '^ok  ' "$WORK/out")" = 3 ] || { cat "$WORK/out"; fail "receive does not report three good signatures"; }
[ -f "$IF" ] || fail "no incoming document at $IF"
xmllint --noout --schema "$DOCKET_SRC/schemas/docket.xsd" "$IF" 2>"$WORK/xmllint.err" ||
	{ cat "$WORK/xmllint.err"; fail "xmllint refuses the incoming document"; }
expect_exit 0 s status "$R"
expect_grep "received" "$WORK/out"
# byte for byte: the original as it arrived is the sender's stored document
expect_exit 0 s export "$R" --original -o "$WORK/original.xml"
cmp "$WORK/original.xml" "$WORK/stored.xml" || fail "the original kept is not the sender's document byte for byte"
# and its signatures verify with the sender's CA, by xmlsec1 too
for id in $(sig_ids "$WORK/original.xml"); do
	xmlsec1 --verify --trusted-pem "$CA" --enabled-key-data x509 "${XS_IDS[@]}" \
		--node-xpath "//*[local-name()='Signature'][@Id='$id']" "$WORK/original.xml" >"$WORK/xs.out" 2>&1 ||
		{ cat "$WORK/xs.out"; fail "xmlsec1 does not verify $id of the received original"; }
	grep -q "^ok   $id:" "$WORK/out" 2>/dev/null || true
done
[ "$(sig_ids "$WORK/original.xml" | wc -l)" = 3 ] || fail "the original does not hold three signatures"
ok "receive: den-2021-01, arrival number 01 of 2021; the original byte for byte (cmp); three signatures verified with the sender's CA, and by xmlsec1"

expect_exit 0 s export "$R" --status -o "$WORK/st-received.edxml"
xmllint --noout --schema "$XSD" "$WORK/st-received.edxml" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err"; fail "status received not valid"; }
ST="/*[local-name()='edXMLHeader']/*[local-name()='Status']"
[ "$(ev "$WORK/st-received.edxml" "$ST/*[local-name()='StatusCode']")" = 03 ] || fail "status received is not 03"
[ "$(ev "$WORK/st-received.edxml" "$ST/*[local-name()='ResponseFor']/*[local-name()='DocumentId']")" = "000.31.21.H44,2021/05/11,01/KH-PGDĐT" ] || fail "status ResponseFor"
expect_exit 0 s export "$R" --status --code arrived -o "$WORK/st-arrived.edxml"
[ "$(ev "$WORK/st-arrived.edxml" "$ST/*[local-name()='StatusCode']")" = 01 ] || fail "status arrived is not 01"
refused "$S" 1 "not assigned yet" "has not been assigned" s export "$R" --status --code assigned
ok "status messages arrived (01) and received (03): edXML, schema-valid, ResponseFor the sender's DocumentId; assigned refused before it happens"

# ==== the workflow: assigned to a unit with a due date, done ================================
refused "$S" 2 "assign without a unit" "--unit UNIT --due" s --as vt2 transition "$R" assign
refused "$S" 2 "assign to no such unit" "'XYZ' is not a unit" s --as vt2 transition "$R" assign --unit XYZ --due 2021-05-31
refused "$S" 2 "a bad due date" "is not a date" s --as vt2 transition "$R" assign --unit KHTC --due 2021-02-30
refused "$S" 1 "a drafter assigns" "may not assign" s --as cv2 transition "$R" assign --unit KHTC --due 2021-05-31
export DOCKET_NOW=2021-05-13T10:00:00+07:00
one_commit "$S" assign s --as vt2 transition "$R" assign --unit KHTC --due 2021-05-31
expect_grep "$R: received -> assigned" "$WORK/out"
grep -q 'transition="assign" from="received" to="assigned" unit="KHTC" due="2021-05-31"' "$IF" ||
	{ grep step "$IF"; fail "the assign step does not name the unit and the due date"; }
expect_exit 0 s export "$R" --status -o "$WORK/st-assigned.edxml"
xmllint --noout --schema "$XSD" "$WORK/st-assigned.edxml" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err"; fail "status assigned not valid"; }
[ "$(ev "$WORK/st-assigned.edxml" "$ST/*[local-name()='StatusCode']")" = 04 ] || fail "status assigned is not 04"
[ "$(ev "$WORK/st-assigned.edxml" "$ST/*[local-name()='StaffInfo']/*[local-name()='Department']")" = "Phòng Kế hoạch - Tài chính" ] || fail "status assigned: Department"
[ "$(ev "$WORK/st-assigned.edxml" "$ST/*[local-name()='StaffInfo']/*[local-name()='DueDate']")" = 2021-05-31 ] || fail "status assigned: DueDate"
[ "$(ev "$WORK/st-assigned.edxml" "$ST/*[local-name()='Timestamp']")" = 2021-05-13T10:00:00+07:00 ] || fail "status assigned: Timestamp"
refused "$S" 1 "another unit completes" "may not complete" s --as sadmin transition "$R" complete
export DOCKET_NOW=2021-05-20T16:00:00+07:00
one_commit "$S" complete s --as cv2 transition "$R" complete
expect_exit 0 s export "$R" --status -o "$WORK/st-done.edxml"
xmllint --noout --schema "$XSD" "$WORK/st-done.edxml" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err"; fail "status done not valid"; }
[ "$(ev "$WORK/st-done.edxml" "$ST/*[local-name()='StatusCode']")" = 06 ] || fail "status done is not 06"
expect_exit 0 s export "$R" --status --code assigned -o "$WORK/st-assigned2.edxml"
cmp "$WORK/st-assigned.edxml" "$WORK/st-assigned2.edxml" || fail "the assigned status message changed once done"
ok "received -> assigned (the clerk names unit KHTC and due date 2021-05-31 in the step) -> done (by the handling unit's drafter); status messages 04 with the unit and due date, then 06; refusals exit 2 (no unit, unknown unit, bad date) or 1 (wrong role, wrong unit)"

# ==== the reply ==============================================================================
export DOCKET_NOW=2021-05-21T08:00:00+07:00
one_commit "$S" reply s --as cv2 new plan --reply-to "$R" --title "Kế hoạch thực hiện Kế hoạch số 01/KH-PGDĐT"
RP=$(tr -d '\n' <"$WORK/out")
one_commit "$S" "reply submit" s --as cv2 submit "$RP"
one_commit "$S" "reply review" s --as tp2 review "$RP"
one_commit "$S" "reply approve" s --as gd2 approve "$RP"
one_commit "$S" "reply issue" s --as vt2 issue "$RP"
expect_exit 0 s export "$RP" -o "$WORK/reply.edxml"
xmllint --noout --schema "$XSD" "$WORK/reply.edxml" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err"; fail "the reply's export is not valid"; }
RF="$A/*[local-name()='ResponseFor']"
[ "$(ev "$WORK/reply.edxml" "$RF/*[local-name()='OrganId']")" = 000.31.21.H44 ] || fail "ResponseFor/OrganId"
[ "$(ev "$WORK/reply.edxml" "$RF/*[local-name()='Code']")" = 01/KH-PGDĐT ] || fail "ResponseFor/Code"
[ "$(ev "$WORK/reply.edxml" "$RF/*[local-name()='PromulgationDate']")" = 2021-05-11 ] || fail "ResponseFor/PromulgationDate"
[ "$(ev "$WORK/reply.edxml" "$RF/*[local-name()='DocumentId']")" = "000.31.21.H44,2021/05/11,01/KH-PGDĐT" ] || fail "ResponseFor/DocumentId"
[ "$(ev "$WORK/reply.edxml" "$A/*[local-name()='To']/*[local-name()='OrganId']")" = 000.31.21.H44 ] || fail "the reply is not addressed to the sender"
# and the department receives the reply: its ResponseFor names its own plan
one_commit "$P" "external back" p --as admin external add sgddt --name "Sở GDĐT" --organ-id 000.00.12.H44 --ca "$CA2"
one_commit "$P" "receive the reply" p --as thu receive "$WORK/reply.edxml"
[ "$(grep -c '^ok  ' "$WORK/out")" = 3 ] || { cat "$WORK/out"; fail "the department does not verify the reply's three signatures with the SGD CA"; }
ok "a reply drafted with 'new plan --reply-to $R', issued, exported with ResponseFor (OrganId, Code, PromulgationDate, DocumentId of the department's plan) and To the department; the department receives it and verifies it with the second CA"

# ==== a document with an annex travels with it ===============================================
export DOCKET_NOW=2021-05-24T08:00:00+07:00
printf 'Trường,Chỉ tiêu\nTH Cẩm Phú,99.5\n' >"$WORK/phu-luc.csv"
one_commit "$P" "plan with annex" p --as hoa new plan --title "Kế hoạch kiểm tra chỉ tiêu năm 2021"
AX=$(tr -d '\n' <"$WORK/out")
one_commit "$P" attach p --as hoa attach "$AX" "$WORK/phu-luc.csv"
for step in "hoa submit" "minh review" "lan approve" "thu issue"; do
	set -- $step
	one_commit "$P" "$2 annexed" p --as "$1" "$2" "$AX"
done
expect_exit 0 p export "$AX" -o "$WORK/annexed.edxml"
xmllint --noout --schema "$XSD" "$WORK/annexed.edxml" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err"; fail "the annexed export is not valid"; }
[ "$(ev "$WORK/annexed.edxml" "$A/*[local-name()='OtherInfo']/*[local-name()='Appendixes']")" = 1 ] || fail "Appendixes is not 1"
# swapped on the way, the envelope's digest recomputed: the signed list still catches it
perl -0pe 'use MIME::Base64; use Digest::SHA qw(sha256);
	s{(AttachmentName="phu-luc.csv"[^>]*DigestValue=")[^"]*(">)[^<]*}{
		my $b = "Trường,Chỉ tiêu\nTH Cẩm Phú,100\n"; $1 . encode_base64(sha256($b), "") . $2 . encode_base64($b, "") }e
		or die "no annex\n"' "$WORK/annexed.edxml" >"$WORK/t-swapped.edxml" || fail "cannot swap the annex"
refused "$S" 1 "annex swapped" "annex 'phu-luc.csv' is not the one the document lists" s --as vt2 receive "$WORK/t-swapped.edxml"
export DOCKET_NOW=2021-05-25T08:00:00+07:00
one_commit "$S" "receive annexed" s --as vt2 receive "$WORK/annexed.edxml"
expect_grep "den-2021-02: arrival 02/2021" "$WORK/out"
expect_grep ", 1 annex [" "$WORK/out"
[ "$(grep -c '^ok  ' "$WORK/out")" = 3 ] || { cat "$WORK/out"; fail "the annexed document's signatures are not all verified"; }
expect_exit 0 s export den-2021-02 --original --annex phu-luc.csv -o "$WORK/annex-kept.csv"
cmp "$WORK/annex-kept.csv" "$WORK/phu-luc.csv" || fail "the annex kept is not the one attached, byte for byte"
expect_exit 3 s export den-2021-02 --original --annex khong-co.csv
ok "a plan with an annex: exported with Appendixes 1, received as arrival 02 with the annex byte for byte (cmp); the annex swapped on the way with a recomputed envelope digest is refused against the signed list"

# ==== two clerks at once: two numbers =========================================================
C2=$WORK/concurrent
cp -a "$S" "$C2"
git -C "$C2" reset -q --hard "$(git -C "$S" log --format=%H --grep='set external organisation pgddt' -1)"
"$DOCKET" -C "$C2" --as vt2 receive "$WORK/354.edxml" >"$WORK/c1.out" 2>"$WORK/c1.err" & c1=$!
"$DOCKET" -C "$C2" --as vt2 receive "$WORK/annexed.edxml" >"$WORK/c2.out" 2>"$WORK/c2.err" & c2=$!
wait $c1 || { cat "$WORK/c1.err"; fail "the first concurrent receive failed"; }
wait $c2 || { cat "$WORK/c2.err"; fail "the second concurrent receive failed"; }
[ "$(cat "$WORK/c1.out" "$WORK/c2.out" | grep -o 'arrival 0[0-9]/2021' | sort | tr '\n' ' ')" = "arrival 01/2021 arrival 02/2021 " ] ||
	{ cat "$WORK/c1.out" "$WORK/c2.out"; fail "two receipts at once did not get 01 and 02"; }
[ "$(ls "$C2/documents/incoming/2021/VP" | tr '\n' ' ')" = "den-2021-01.xml den-2021-02.xml " ] || fail "not two incoming documents"
expect_exit 0 "$DOCKET" -C "$C2" audit --trust "$CA2" --known-head "$WORK/concurrent.head"
ok "two clerks receiving at once (two processes): arrival numbers 01 and 02, the audit clean"

# ==== hostile and repeated envelopes: each refused (or reported) precisely, nothing written ===
HX=$RES/exchange
refused "$S" 1 "duplicate receipt" "this document was received already: 000.31.21.H44 01/KH-PGDĐT of 2021-05-11 is $R (arrival number 01/2021)" \
	s --as vt2 receive "$WORK/354.edxml"
refused "$S" 1 "DTD (XXE)" "DTD" s --as vt2 receive "$HX/dtd-xxe.edxml"
grep -q "root:" "$WORK/err" "$WORK/out" && fail "the XXE envelope leaked /etc/passwd"
refused "$S" 1 "DTD (billion laughs)" "DTD" s --as vt2 receive "$HX/billion-laughs.edxml"
refused "$S" 1 "status as a document" "is a status message, not a document" s --as vt2 receive "$HX/status-message.edxml"

# tamper MODE OUT: a copy of the department's envelope changed by a man in the middle
tamper() {
	MODE=$1 perl -0pe '
		use MIME::Base64;
		use Digest::SHA qw(sha256);
		my $m = $ENV{MODE};
		sub redo_att {
			my ($change, $fix) = @_;
			s{(<edXML:Attachment [^>]*DigestValue=")([^"]*)(">)([^<]*)}{
				my ($a, $d, $c, $b) = ($1, $2, $3, $4);
				my $bytes = decode_base64($b);
				$bytes = $change->($bytes);
				$d = encode_base64(sha256($bytes), "") if $fix;
				$a . $d . $c . encode_base64($bytes, "")
			}e or die "no attachment\n";
		}
		sub annex {
			my ($name, $d, $bytes) = @_;
			return "\n      <edXML:Attachment ContentId=\"annex1\" ContentType=\"text/plain\" " .
			       "ContentTransferEncoded=\"base64\" AttachmentName=\"$name\" Description=\"annex\" " .
			       "DigestAlgorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\" DigestValue=\"$d\">" .
			       encode_base64($bytes, "") . "</edXML:Attachment>";
		}
		if ($m eq "content") {          # the subject changed inside the document, digest kept
			redo_att(sub { my $x = shift; $x =~ s/vì trẻ em/vì người lớn/ or die "no subject\n"; $x }, 0);
		} elsif ($m eq "content-redigested") {   # the same, the digest recomputed to match
			redo_att(sub { my $x = shift; $x =~ s/ngành giáo dục giai đoạn/ngành giáo dục, giai đoạn/ or die "no subject\n"; $x }, 1);
		} elsif ($m eq "no-digest") {
			s{ DigestValue="[^"]*"}{} or die "no digest\n";
		} elsif ($m eq "annex-changed") {  # an annex carried with a digest its bytes do not match
			s{<edXML:Appendixes>0<}{<edXML:Appendixes>1<};
			my $bytes = "Phụ lục: danh sách trường\n";
			my $d = encode_base64(sha256($bytes), "");
			$bytes =~ s/trường/lớp/;
			my $att = annex("phu-luc.txt", $d, $bytes);
			s{(</edXML:Attachment>)}{$1$att} or die "no attachment\n";
		} elsif ($m eq "annex-added") {    # an annex slipped in, the header still says none
			my $bytes = "Phụ lục thêm\n";
			my $att = annex("them.txt", encode_base64(sha256($bytes), ""), $bytes);
			s{(</edXML:Attachment>)}{$1$att} or die "no attachment\n";
		} elsif ($m eq "recall") {        # the sender recalls the document (business operation 1)
			s{(</edXML:SteeringType>)}{$1\n      <edXML:Business>\n        <edXML:BusinessDocType>1</edXML:BusinessDocType>\n        <edXML:BusinessDocReason>Sai sót</edXML:BusinessDocReason>\n      </edXML:Business>} or die "no SteeringType\n";
		} elsif ($m eq "code") {          # the header says another number than the document
			s{<edXML:CodeNumber>01<}{<edXML:CodeNumber>02<} or die "no CodeNumber\n";
		} else { die "unknown mode $m\n" }' "$WORK/354.edxml" >"$2" || fail "cannot tamper ($1)"
}
# the department's plan arrives at a third organisation, which has configured the sender
T=$WORK/third
cp -a "$S" "$T"
git -C "$T" reset -q --hard "$(git -C "$S" log --format=%H --grep='set external organisation pgddt' -1)"
t() { "$DOCKET" -C "$T" "$@"; }
[ ! -d "$T/documents/incoming" ] || fail "the third repository already holds incoming documents"
tamper content "$WORK/t-content.edxml"
refused "$T" 1 "content changed" "attachment '$DOC.xml' does not match its digest" t --as vt2 receive "$WORK/t-content.edxml"
tamper no-digest "$WORK/t-nodigest.edxml"
refused "$T" 1 "digest removed" "The attribute 'DigestValue' is required but missing" t --as vt2 receive "$WORK/t-nodigest.edxml"
expect_grep "is not a valid edXML envelope" "$WORK/err"
tamper annex-changed "$WORK/t-annex.edxml"
refused "$T" 1 "annex changed" "attachment 'phu-luc.txt' does not match its digest" t --as vt2 receive "$WORK/t-annex.edxml"
tamper annex-added "$WORK/t-added.edxml"
refused "$T" 1 "annex added" "the header announces 0 annexes (Appendixes) but 1 is carried" t --as vt2 receive "$WORK/t-added.edxml"
tamper code "$WORK/t-code.edxml"
refused "$T" 1 "header changed" "the envelope says 02/KH-PGDĐT of 2021-05-11 but the document it carries is 01/KH-PGDĐT of 2021-05-11" \
	t --as vt2 receive "$WORK/t-code.edxml"
tamper recall "$WORK/t-recall.edxml"
xmllint --noout --schema "$XSD" "$WORK/t-recall.edxml" 2>/dev/null || fail "the recall envelope is not valid edXML"
refused "$S" 1 "a recall of a document not recalled" "recalls 01/KH-PGDĐT of 2021-05-11 (edXML business operation 1) but the document it carries is not recalled (state 'issued')" \
	s --as vt2 receive "$WORK/t-recall.edxml"
# a tamperer who also recomputes the digest: the envelope holds, the signatures do not - reported
tamper content-redigested "$WORK/t-redigest.edxml"
one_commit "$T" "redigested" t --as vt2 receive "$WORK/t-redigest.edxml"
[ "$(grep -c '^FAIL ' "$WORK/out")" = 3 ] || { cat "$WORK/out"; fail "the changed document's three signatures are not reported failed"; }
expect_grep "3 of the sender's 3 signatures failed" "$WORK/err"
ok "refused with nothing written: the same envelope again (names $R), a DTD with XXE and billion laughs, a status message, the document changed (digest mismatch), the digest removed (schema), an annex whose bytes do not match, an annex not announced, a header that is not its document's, a recall whose document is not recalled; the document changed with a recomputed digest is registered with its three signature failures reported"

# an 'assign' made with plain git that names no handling unit: the audit finds it
perl -0pi -e 's{(</content>)}{$1\n  <workflow state="assigned">\n    <step date="2021-05-14T08:00:00+07:00" actor="vt2" role="clerk" transition="assign" from="received" to="assigned"/>\n  </workflow>}' \
	"$T/documents/incoming/2021/VP/$R.xml" || fail "cannot forge the assign step"
git -C "$T" commit -q -a -m "docket: assign $R (received -> assigned)

Docket-Document: $R
Docket-Transition: assign
Docket-From: received
Docket-To: assigned
Docket-Actor: vt2
Docket-Role: clerk" || fail "git commit in $T"
# (its own known-head file: it is a copy of the provincial repository, which the audit would
# otherwise take for that one rewritten)
expect_exit 1 t audit --trust "$CA2" --known-head "$WORK/third.head"
expect_grep "'assign' must name a unit of the organisation that handles the document and a due date" "$WORK/out"
ok "an 'assign' step without a handling unit, committed with plain git, is an audit finding"

# ==== the sender recalls its plan: the recall travels and freezes the incoming document ====
export DOCKET_NOW=2021-06-01T09:00:00+07:00
one_commit "$P" recall p --as lan recall "$DOC" -m "Sai sót về chỉ tiêu 4"
expect_exit 0 p export "$DOC" -o "$WORK/recall.edxml"
xmllint --noout --schema "$XSD" "$WORK/recall.edxml" 2>"$WORK/xmllint.err" || { cat "$WORK/xmllint.err"; fail "the recall envelope is not valid"; }
[ "$(ev "$WORK/recall.edxml" "$A/*[local-name()='Business']/*[local-name()='BusinessDocType']")" = 1 ] || fail "the recall's BusinessDocType is not 1"
export DOCKET_NOW=2021-06-02T08:00:00+07:00
one_commit "$S" "receive the recall" s --as vt2 receive "$WORK/recall.edxml"
expect_grep "$R: recalled by its sender PHÒNG GIÁO DỤC VÀ ĐÀO TẠO (000.31.21.H44): 01/KH-PGDĐT of 2021-05-11, recalled by the sender: Sai sót về chỉ tiêu 4" "$WORK/out"
[ "$(grep -c '^ok  ' "$WORK/out")" = 4 ] || { cat "$WORK/out"; fail "the recalled document's four signatures (recall included) are not all verified"; }
expect_exit 0 s status "$R"
expect_grep "recalled" "$WORK/out"
refused "$S" 1 "the recall again" "expected 'received' or 'assigned' or 'done'" s --as vt2 receive "$WORK/recall.edxml"
refused "$S" 1 "an edit of a recalled incoming document" "is not editable" s --as vt2 commit "$R" -m "sửa"
expect_exit 0 s export "$R" --status -o "$WORK/st-after-recall.edxml"
[ "$(ev "$WORK/st-after-recall.edxml" "$ST/*[local-name()='StatusCode']")" = 06 ] || fail "the status after the recall is not the last one reached (06)"
ok "the department recalls its plan; the recall envelope (BusinessDocType 1) received: $R takes 'recall' with the sender's reason, its four signatures verified; again refused; its last status stays 06"

# ==== the audit of both histories ============================================================
expect_exit 0 s log "$R"
expect_grep "add            -> received" "$WORK/out"
expect_grep "assign         received -> assigned" "$WORK/out"
expect_exit 0 p audit --trust "$CA"
expect_exit 0 s audit --trust "$CA2"
fsck_clean "$P"
fsck_clean "$S"
ok "'docket audit --trust' is clean in both repositories (receipts, assignments with unit and due date, completion, the reply); git fsck --strict"
