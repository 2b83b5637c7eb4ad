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
# - refusals that change nothing: the same envelope again (duplicate receipt), a DTD, the
#   document changed in transit, the digest removed, an annex added, a header that does not
#   match its document, a status message given as a document, a non-clerk;
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
