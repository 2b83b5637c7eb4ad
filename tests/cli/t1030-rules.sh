#!/usr/bin/env bash
# The rules of issue 10, each with its fixture: approving the seed as a second approver whose
# name is not the printed signer is refused naming both people; a deputy in another position,
# a plan with no signer, a plan with no recipients (at issue) are refused; KT. with no
# position, TUQ. with no authorising document, an issuer that is neither the organisation nor
# one of its units are validation findings; 'org set --abbr' refuses what no notation can
# carry; a number typed into two drafts is a finding of 'validate --all'. Every refusal
# leaves the repository as it was.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
SEED=$EXAMPLES/354-KH-PGDDT.xml

d() { "$DOCKET" -C "$R" "$@"; }
at() { local t=$1; shift; DOCKET_NOW=$t "$DOCKET" -C "$R" "$@" >/dev/null || fail "at $t: $*"; }
untouched() {
	[ "$(snapshot "$R")" = "$before" ] || fail "$1 changed the repository"
	[ -z "$(git -C "$R" status --porcelain)" ] || fail "$1 left changes in the work tree"
}
# to_reviewed ID FILE: FILE added as a draft with id ID, submitted and reviewed
to_reviewed() {
	at 2021-05-03T07:30:00+07:00 --as hoa add --draft --id "$1" "$2"
	at 2021-05-03T08:00:00+07:00 --as hoa submit "$1"
	at 2021-05-04T08:00:00+07:00 --as minh review "$1"
}
# finding FILE LINE MESSAGE: 'validate FILE' in the repository exits 1 with that finding
finding() {
	expect_exit 1 d validate "$1"
	grep -qF -- "$1:$2: error: $3" "$WORK/out" || { cat "$WORK/out" "$WORK/err"; fail "no finding '$1:$2: error: $3'"; }
}

export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" \
	--place "Cẩm Phả" >/dev/null
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d --as admin unit add VT --name "Văn thư" --parent LD >/dev/null
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver >/dev/null
d --as admin person add tuan --name "Ngô Văn Tuấn" --position "TRƯỞNG PHÒNG" --unit LD --role approver >/dev/null
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk >/dev/null
enrol "$R" admin hoa minh lan tuan thu
unset DOCKET_NOW

# --- approve: the approver is the printed signer ----------------------------------------------
to_reviewed kh-2021-354 "$SEED"
before=$(snapshot "$R")
DOCKET_NOW=2021-05-05T08:00:00+07:00 expect_exit 1 d --as tuan approve kh-2021-354
expect_grep "docket: cannot approve 'kh-2021-354': it is printed to be signed by Lê Thị Lan (PHÓ TRƯỞNG PHÒNG), not by Ngô Văn Tuấn (tuan) who approves it" "$WORK/err"
untouched "an approval by a second approver"
at 2021-05-05T09:00:00+07:00 --as lan approve kh-2021-354
at 2021-05-06T08:00:00+07:00 --as thu issue kh-2021-354
ok "approving the seed as Ngô Văn Tuấn, not its printed signer Lê Thị Lan: refused naming both; Lê Thị Lan approves, it is issued"

# a deputy's signature (KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG) printed for the head himself
sed 's|<fullName>Lê Thị Lan</fullName>|<fullName>Ngô Văn Tuấn</fullName>|' "$SEED" >"$WORK/head-as-deputy.xml"
to_reviewed kh-deputy "$WORK/head-as-deputy.xml"
before=$(snapshot "$R")
DOCKET_NOW=2021-05-05T08:00:00+07:00 expect_exit 1 d --as tuan approve kh-deputy
expect_grep "the signer block prints the position 'PHÓ TRƯỞNG PHÒNG', but Ngô Văn Tuấn (tuan) is 'TRƯỞNG PHÒNG' in the configuration (signed KT., the deputy's own position)" "$WORK/err"
untouched "an approval in another position"
ok "a KT. signer block printing the deputy's position, approved by the head: refused"

# no signer at all
sed '/<signer>/,/<\/signer>/d' "$SEED" >"$WORK/no-signer.xml"
to_reviewed kh-nosigner "$WORK/no-signer.xml"
before=$(snapshot "$R")
DOCKET_NOW=2021-05-05T08:00:00+07:00 expect_exit 1 d --as lan approve kh-nosigner
expect_grep "docket: cannot approve 'kh-nosigner': it names no signer (header/signer)" "$WORK/err"
untouched "an approval of a plan with no signer"
ok "a plan with no signer block: approve refused"

# no recipients: approved, but not issued
sed '/<recipients>/,/<\/recipients>/d' "$SEED" >"$WORK/no-recipients.xml"
to_reviewed kh-norecip "$WORK/no-recipients.xml"
at 2021-05-05T09:00:00+07:00 --as lan approve kh-norecip
before=$(snapshot "$R")
DOCKET_NOW=2021-05-06T08:00:00+07:00 expect_exit 1 d --as thu issue kh-norecip
expect_grep "docket: cannot issue 'kh-norecip': it has no recipients; a document is issued to its recipients ('Nơi nhận'), the last of them 'Lưu: VT, <drafting unit>'" "$WORK/err"
untouched "an issue with no recipients"
ok "a plan with no recipients: issue refused"

# --- validation findings -----------------------------------------------------------------------
sed '/<position>PHÓ TRƯỞNG PHÒNG<\/position>/d' "$SEED" >"$WORK/kt-no-position.xml"
finding "$WORK/kt-no-position.xml" 35:5 "the signer signs 'KT. TRƯỞNG PHÒNG' but no position is printed"
sed -e 's|<authority>KT.</authority>|<authority>TUQ.</authority>|' "$SEED" >"$WORK/tuq-no-authorisation.xml"
finding "$WORK/tuq-no-authorisation.xml" 35:5 "the signer signs 'TUQ. TRƯỞNG PHÒNG' but names no authorising document"
sed -e 's|</fullName>|</fullName>\n      <authorisation code="12/GUQ-PGDĐT" date="2021-01-04"/>|' "$WORK/tuq-no-authorisation.xml" >"$WORK/tuq.xml"
expect_exit 0 d validate "$WORK/tuq.xml"
sed -e 's|<abbr>PGDĐT</abbr>|<abbr>SGDĐT</abbr>|' -e 's|<notation>KH-PGDĐT</notation>|<notation>KH-SGDĐT</notation>|' "$SEED" >"$WORK/other-issuer.xml"
finding "$WORK/other-issuer.xml" 10:7 "the issuer 'SGDĐT' of this numbered document is neither the organisation ('PGDĐT') nor one of its units"
before=$(snapshot "$R")
expect_exit 1 d --as thu import "$WORK/other-issuer.xml" --id kh-other
expect_grep "cannot import 'kh-other': its issuer 'SGDĐT' is neither the organisation ('PGDĐT') nor one of its units" "$WORK/err"
untouched "import of a plan of another issuer"
# a draft may name another issuer (drafted for it to sign); docket does not number it
to_reviewed kh-other "$WORK/other-issuer.xml"
at 2021-05-05T09:00:00+07:00 --as lan approve kh-other
before=$(snapshot "$R")
DOCKET_NOW=2021-05-06T08:00:00+07:00 expect_exit 1 d --as thu issue kh-other
expect_grep "cannot issue 'kh-other': its issuer 'SGDĐT' is neither the organisation ('PGDĐT') nor one of its units" "$WORK/err"
untouched "issue of a plan of another issuer"
sed -e 's|<abbr>PGDĐT</abbr>|<abbr>CTTT</abbr>|' -e 's|<notation>KH-PGDĐT</notation>|<notation>KH-CTTT</notation>|' "$SEED" >"$WORK/unit-issuer.xml"
expect_exit 0 d validate "$WORK/unit-issuer.xml"
ok "findings: KT. with no position, TUQ. with no authorising document (valid with one), a numbered document of an issuer neither the organisation nor a unit (a unit is one); import and issue of it refused"

# --- org set --abbr: what a notation can carry ---------------------------------------------------
before=$(snapshot "$R")
for bad in "PGD ĐT" "PGD-ĐT" "PGD/ĐT" "PGD.ĐT" "ABCDEFGHIJKLMNOPQRSTU"; do
	expect_exit 1 d --as admin org set --abbr "$bad"
	expect_grep "the abbreviation '$bad' cannot stand in a notation such as '01/KH-$bad'" "$WORK/err"
done
untouched "org set --abbr of a bad abbreviation"
expect_exit 0 d --as admin org show
expect_grep "abbr:   PGDĐT" "$WORK/out"
ok "org set --abbr refuses a space, '-', '/', '.', 21 characters (exit 1, nothing written)"

# --- a number/notation used twice by one issuer in one year ----------------------------------------
for id in kh-typed-a kh-typed-b; do
	at 2021-06-01T07:30:00+07:00 --as hoa add --draft --id $id "$SEED"
	f=documents/plan/2021/CTTT/$id.xml
	sed -i -e 's|<number/>|<number>400</number>|' -e 's|<notation/>|<notation>KH-PGDĐT</notation>|' "$R/$f"
	at 2021-06-01T08:00:00+07:00 --as hoa commit $id -m "số gõ tay"
done
expect_exit 1 d validate --all
expect_grep "documents/plan/2021/CTTT/kh-typed-b.xml:13:7: error: the number 400/KH-PGDĐT of PGDĐT in 2021 is carried by documents/plan/2021/CTTT/kh-typed-a.xml too" "$WORK/out"
[ "$(grep -c 'is carried by' "$WORK/out")" = 1 ] || { cat "$WORK/out"; fail "expected one duplicate-number finding"; }
# and the issued 01 against a draft carrying 01
at 2021-06-02T07:30:00+07:00 --as hoa add --draft --id kh-typed-c "$SEED"
sed -i -e 's|<number/>|<number>01</number>|' -e 's|<notation/>|<notation>KH-PGDĐT</notation>|' "$R/documents/plan/2021/CTTT/kh-typed-c.xml"
at 2021-06-02T08:00:00+07:00 --as hoa commit kh-typed-c -m "số gõ tay"
expect_exit 1 d validate --all
expect_grep "the number 01/KH-PGDĐT of PGDĐT in 2021 is carried by" "$WORK/out"
[ "$(grep -c 'is carried by' "$WORK/out")" = 2 ] || { cat "$WORK/out"; fail "expected two duplicate-number findings"; }
ok "validate --all: a number typed into two drafts, and a draft carrying the number of an issued plan, are findings"

# --- the audit: an approval by someone other than the printed signer, forged with plain git ---------
# In a scratch copy whose workflow numbers nothing (so docket there does not ask for the printed
# signer), Ngô Văn Tuấn approves a plan printed for Lê Thị Lan with his own key; the document is
# committed here with plain git, with docket's message, signed by him. The audit reports it.
TRUST=$WORK/ca/ca.pem
to_reviewed kh-forged "$SEED"
A=$WORK/forged
cp -a "$R" "$A"
S=$WORK/scratch
cp -a "$R" "$S"
sed -i '/assign-number/d' "$S/.docket/workflows/plan.xml"
git -C "$S" commit -qam "loosen the rules"
DOCKET_NOW=2021-05-05T08:00:00+07:00 "$DOCKET" -C "$S" --as tuan approve kh-forged >/dev/null || fail "approve in the scratch copy"
f=$(git -C "$S" diff-tree --no-commit-id --name-only -r HEAD -- documents/)
cp "$S/$f" "$A/$f"
git -C "$S" log -1 --format=%B >"$WORK/forge.msg"
# shellcheck disable=SC2046
GIT_AUTHOR_NAME="Ngô Văn Tuấn" GIT_COMMITTER_NAME="Ngô Văn Tuấn" git $(git_signing tuan) -C "$A" commit -q -F "$WORK/forge.msg" -- "$f"
c=$(git -C "$A" rev-parse HEAD)
rc=0
XDG_STATE_HOME=$WORK/state/forged "$DOCKET" -C "$A" audit --trust "$TRUST" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit of the forged approval exited $rc"; }
grep -q "^signer-mismatch: ${c:0:12} kh-forged: it is printed to be signed by Lê Thị Lan (PHÓ TRƯỞNG PHÒNG), not by Ngô Văn Tuấn (tuan) who approves it" "$WORK/out" ||
	{ cat "$WORK/out"; fail "no signer-mismatch finding"; }
[ "$(cut -d: -f1 "$WORK/out" | sort -u)" = signer-mismatch ] || { cat "$WORK/out"; fail "other findings than signer-mismatch"; }
# the same history without the forgery audits clean
rc=0
XDG_STATE_HOME=$WORK/state/clean "$DOCKET" -C "$R" audit --trust "$TRUST" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "audit of the department exited $rc"; }
ok "an approval by Ngô Văn Tuấn of a plan printed for Lê Thị Lan, forged with plain git: audit finds signer-mismatch; the rest audits clean"

# --- issue with no signer: a repository's own workflow whose approval signs nothing ----------------
# (with plain git, by the administrator, as docket has no command for workflows yet)
W=$WORK/own-workflow
cp -a "$R" "$W"
sed -i '/<transition id="approve"/,/<\/transition>/{/<signature/d}' "$W/.docket/workflows/plan.xml"
# (the approve transition only: recall, after issue, signs with ProofOfApproval too)
sed -n '/<transition id="approve"/,/<\/transition>/p' "$W/.docket/workflows/plan.xml" | grep -q 'meaning="ProofOfApproval"' &&
	fail "the approval still signs"
# shellcheck disable=SC2046
GIT_AUTHOR_NAME="Đỗ Văn Quản" GIT_COMMITTER_NAME="Đỗ Văn Quản" git $(git_signing admin) -C "$W" commit -q -am "docket: the approval signs nothing

Docket-Action: config
Docket-Actor: admin"
for step in "2021-07-01T07:30:00+07:00 --as hoa add --draft --id kh-unsigned $WORK/no-signer.xml" \
	"2021-07-01T08:00:00+07:00 --as hoa submit kh-unsigned" "2021-07-02T08:00:00+07:00 --as minh review kh-unsigned" \
	"2021-07-03T08:00:00+07:00 --as lan approve kh-unsigned"; do
	# shellcheck disable=SC2086
	DOCKET_NOW=${step%% *} "$DOCKET" -C "$W" ${step#* } >/dev/null || fail "docket ${step#* } in the own-workflow copy"
done
before=$(snapshot "$W")
DOCKET_NOW=2021-07-04T08:00:00+07:00 expect_exit 1 "$DOCKET" -C "$W" --as thu issue kh-unsigned
expect_grep "docket: cannot issue 'kh-unsigned': it names no signer (header/signer)" "$WORK/err"
[ "$(snapshot "$W")" = "$before" ] || fail "a refused issue changed the repository"
ok "a workflow whose approval signs nothing: a plan with no signer is approved, but its issue is refused"
