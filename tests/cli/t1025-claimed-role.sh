#!/usr/bin/env bash
# Issue 14, leftover 1: each signature's claimed role is the signer's own (the position the
# configuration in force gave her). A review signed in another office whose configuration
# made the reviewer "TRƯỞNG PHÒNG" is brought into the department's history with plain git,
# signed by the reviewer's own key: the signature itself verifies (xmlsec1 accepts it), but
# 'docket verify' refuses it and 'docket audit' reports signature-role-mismatch. The same
# review made by docket here claims "TỔ TRƯỞNG CTTT" and is clean.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
TRUST=$WORK/ca/ca.pem

d() { "$DOCKET" -C "$R" "$@"; }
at() { local t=$1; shift; DOCKET_NOW=$t "$DOCKET" -C "$R" "$@" >/dev/null || fail "at $t: $*"; }
audit_of() {
	rc=0
	XDG_STATE_HOME=$WORK/state/$(basename "$1") "$DOCKET" -C "$1" audit --trust "$TRUST" >"$WORK/out" 2>"$WORK/err" || rc=$?
}
role_of() {
	xmllint --xpath "string(//*[local-name()='SignedSignatureProperties']//*[local-name()='ClaimedRole'])" "$1"
}

export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --place "Cẩm Phả" >/dev/null
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
enrol "$R" admin hoa minh
unset DOCKET_NOW
at 2021-05-03T07:30:00+07:00 --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
at 2021-05-03T08:00:00+07:00 --as hoa submit $DOC

# the honest review: the reviewer's own position
H=$WORK/honest
cp -a "$R" "$H"
DOCKET_NOW=2021-05-04T08:00:00+07:00 "$DOCKET" -C "$H" --as minh review $DOC >/dev/null || fail "review"
[ "$(role_of "$H/$F")" = "TỔ TRƯỞNG CTTT" ] || fail "the review claims '$(role_of "$H/$F")'"
audit_of "$H"
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "audit of the honest review exited $rc"; }
expect_exit 0 "$DOCKET" -C "$H" verify $DOC --trust "$TRUST"
ok "a review by docket claims the reviewer's own position 'TỔ TRƯỞNG CTTT'; verify and audit accept it"

# the forged one: signed where the configuration said "TRƯỞNG PHÒNG"
B=$WORK/elsewhere
cp -a "$R" "$B"
sed -i 's|position="TỔ TRƯỞNG CTTT"|position="TRƯỞNG PHÒNG"|; s|<position>TỔ TRƯỞNG CTTT</position>|<position>TRƯỞNG PHÒNG</position>|' \
	"$B/.docket/config.xml"
grep -q "TRƯỞNG PHÒNG" "$B/.docket/config.xml" && ! grep -q "TỔ TRƯỞNG CTTT" "$B/.docket/config.xml" ||
	fail "could not change the reviewer's position in the other office's configuration"
git -C "$B" commit -q -am "another office's configuration"
DOCKET_NOW=2021-05-04T08:00:00+07:00 "$DOCKET" -C "$B" --as minh review $DOC >/dev/null || fail "review elsewhere"
[ "$(role_of "$B/$F")" = "TRƯỞNG PHÒNG" ] || fail "the forged review claims '$(role_of "$B/$F")'"
# xmlsec1, independently: the signature itself holds - only the role it claims is false
command -v xmlsec1 >/dev/null || fail "xmlsec1 is needed (Debian package xmlsec1)"
sig=$(xmllint --xpath "string(//*[local-name()='Signature']/@Id)" "$B/$F")
xmlsec1 --verify --trusted-pem "$TRUST" --enabled-key-data x509 --enabled-reference-uris same-doc \
	--id-attr:Id urn:docket:document:1:content --id-attr:Id urn:docket:document:1:header \
	--node-xpath "//*[local-name()='Signature'][@Id='$sig']" "$B/$F" >"$WORK/xs.out" 2>&1 ||
	{ cat "$WORK/xs.out"; fail "xmlsec1 does not verify the review signed elsewhere"; }
cp "$B/$F" "$R/$F"
git -C "$B" log -1 --format=%B >"$WORK/msg"
# shellcheck disable=SC2046
GIT_AUTHOR_NAME="Trần Văn Minh" GIT_COMMITTER_NAME="Trần Văn Minh" git $(git_signing minh) -C "$R" commit -q -a -F "$WORK/msg"
c=$(git -C "$R" rev-parse HEAD)
audit_of "$R"
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit of the forged role exited $rc"; }
grep -q "^signature-role-mismatch: ${c:0:12} $DOC: signature .* claims the role 'TRƯỞNG PHÒNG', but 'minh' signs 'review' as 'TỔ TRƯỞNG CTTT'" "$WORK/out" ||
	{ cat "$WORK/out"; fail "no signature-role-mismatch finding"; }
[ "$(cut -d: -f1 "$WORK/out" | sort -u)" = signature-role-mismatch ] || { cat "$WORK/out"; fail "other findings than the role"; }
expect_exit 1 "$DOCKET" -C "$R" verify $DOC --trust "$TRUST"
expect_grep "the signature claims the role 'TRƯỞNG PHÒNG', but 'minh' signed as 'TỔ TRƯỞNG CTTT'" "$WORK/out"
ok "a review claiming 'TRƯỞNG PHÒNG' for the reviewer 'TỔ TRƯỞNG CTTT': verify exits 1, audit reports signature-role-mismatch (and nothing else)"
