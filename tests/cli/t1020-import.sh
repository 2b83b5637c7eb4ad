#!/usr/bin/env bash
# docket import (issue 10): a document issued outside docket recorded as issued with its own
# number and date, in one commit whose step says it was imported, by whom and from where.
# The seed keeps 354/KH-PGDĐT and the next plan PGDĐT issues in 2021 is 355. Refusals (not a
# clerk, a number taken, no number, a kind docket never numbers, workflow steps carried), each
# leaving the repository untouched; `issue` refuses a document that already has a number.
# Forged imports made with plain git (by a drafter, without the register line) and an issued
# number changed afterwards are audit findings.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
TRUST=$WORK/ca/ca.pem
REG=.docket/register/2021/PGDDT.txt

d() { "$DOCKET" -C "$R" "$@"; }
at() { local t=$1; shift; DOCKET_NOW=$t "$DOCKET" -C "$R" "$@" >/dev/null || fail "at $t: $*"; }
xp() {
	local p="" part
	for part in $(echo "$1" | tr / ' '); do
		case $part in @*) p="$p/$part" ;; *) p="$p/*[local-name()='$part']" ;; esac
	done
	xmllint --xpath "string(/*[local-name()='document']$p)" "$2"
}
audit_of() {
	local repo=$1
	shift
	rc=0
	XDG_STATE_HOME=$WORK/state/$(basename "$repo") "$DOCKET" -C "$repo" audit --trust "$TRUST" "$@" \
		>"$WORK/out" 2>"$WORK/err" || rc=$?
}
finds() {
	grep -q "^$1: ${2:0:12} $3: .*$4" "$WORK/out" || { cat "$WORK/out" "$WORK/err"; fail "no '$1' naming ${2:0:12} $3 ($4)"; }
}
copy() { A=$WORK/$1; rm -rf "$A"; cp -a "$R" "$A"; }
as_git() {
	local who=$1
	shift
	# shellcheck disable=SC2046
	GIT_AUTHOR_NAME=$who GIT_COMMITTER_NAME=$who GIT_AUTHOR_EMAIL=$who@pgd.example \
		GIT_COMMITTER_EMAIL=$who@pgd.example git $(git_signing "$who") -C "$A" "$@"
}
# untouched WHAT: the repository is as it was at $before, its work tree clean
untouched() {
	[ "$(snapshot "$R")" = "$before" ] || fail "$1 changed the repository"
	[ -z "$(git -C "$R" status --porcelain)" ] || fail "$1 left changes in the work tree"
	[ ! -s "$WORK/out" ] || fail "$1 printed on stdout"
}

# --- a department, everyone enrolled --------------------------------------------------------
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
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk >/dev/null
enrol "$R" admin hoa minh lan thu
unset DOCKET_NOW

# --- refusals, each leaving everything as it was ---------------------------------------------
before=$(snapshot "$R")
expect_exit 1 d --as hoa import "$EXAMPLES/354-KH-PGDDT.xml"
expect_grep "docket: cannot import 'kh-2021-354': recording an issued document is the work of whoever may 'issue' it" "$WORK/err"
expect_grep "needs role 'clerk' in the organisation" "$WORK/err"
untouched "import by a drafter"
expect_exit 2 d import "$EXAMPLES/354-KH-PGDDT.xml"
expect_grep "give --as CLERK" "$WORK/err"
untouched "import with no one acting"
unnumbered_seed "$WORK/plan.xml"
expect_exit 1 d --as thu import "$WORK/plan.xml"
expect_grep "carries its number, notation and date" "$WORK/err"
expect_grep "'docket add --draft'" "$WORK/err"
untouched "import of an unnumbered plan"
expect_exit 1 d --as thu import "$RES/valid/report-annual.xml"
expect_grep "the report workflow numbers no document" "$WORK/err"
untouched "import of a report"
# the issuer's abbreviation is a whole group of the notation, not its prefix
sed 's|<notation>KH-PGDĐT</notation>|<notation>KH-PGDĐTX</notation>|' "$EXAMPLES/354-KH-PGDDT.xml" >"$WORK/bad-notation.xml"
expect_exit 1 d --as thu import "$WORK/bad-notation.xml"
grep -q "^$WORK/bad-notation.xml:14:7: error: the notation 'KH-PGDĐTX' names issuer 'PGDĐTX' but the issuer's abbreviation is 'PGDĐT'" "$WORK/err" ||
	{ cat "$WORK/err"; fail "no finding for the notation KH-PGDĐTX"; }
untouched "import of an invalid plan"
ok "import refused (exit 1/2, nothing written): by a drafter, with no one acting, without a number, a report, an invalid plan"

# --- the seed, recorded from the paper archive -------------------------------------------------
n0=$(git -C "$R" rev-list --count main)
DOCKET_NOW=2021-06-01T08:00:00+07:00 expect_exit 0 d --as thu import "$EXAMPLES/354-KH-PGDDT.xml" \
	-m "Lưu trữ giấy, hồ sơ KH 2021"
printf '%s\n' "$DOC" | diff -u - "$WORK/out" || fail "import printed more than the id"
[ "$(git -C "$R" rev-list --count main)" = $((n0 + 1)) ] || fail "import did not make exactly one commit"
git -C "$R" log -1 --format=%B | grep '^Docket-' >"$WORK/trailers"
cat >"$WORK/want" <<EOF
Docket-Document: $DOC
Docket-Transition: import
Docket-From: draft
Docket-To: issued
Docket-Actor: thu
Docket-Role: clerk
Docket-Number: 354/KH-PGDĐT
EOF
diff -u "$WORK/want" "$WORK/trailers" || fail "the import commit's trailers"
git -C "$R" log -1 --format=%B | grep -qx "Lưu trữ giấy, hồ sơ KH 2021" || fail "the provenance is not in the commit message"
[ "$(git -C "$R" log -1 --format=%an)" = "Phạm Thị Thu" ] || fail "the import commit is not the clerk's"
git -C "$R" diff-tree -r --no-commit-id --name-status HEAD^ HEAD >"$WORK/paths"
printf 'A\t%s\nA\t%s\n' "$REG" "$F" | diff -u - "$WORK/paths" || fail "the import commit changes other paths"
printf '354\tKH-PGDĐT\t%s\t2021-05-11\n' "$DOC" | diff -u - "$R/$REG" || fail "the register"
[ "$(xp workflow/@state "$R/$F")" = issued ] || fail "state is not issued"
[ "$(xp workflow/step/@transition "$R/$F")" = import ] || fail "the step is not 'import'"
[ "$(xp workflow/step/@actor "$R/$F")" = thu ] || fail "the step's actor"
[ "$(xp workflow/step/@date "$R/$F")" = 2021-06-01T08:00:00+07:00 ] || fail "the step's date"
[ "$(xp workflow/step "$R/$F")" = "Lưu trữ giấy, hồ sơ KH 2021" ] || fail "the step's provenance"
[ "$(xp header/code/number "$R/$F")" = 354 ] && [ "$(xp header/date "$R/$F")" = 2021-05-11 ] ||
	fail "the number or date changed"
git -C "$R" cat-file commit HEAD | grep -q '^gpgsig ' || fail "the import commit is not signed"
fsck_clean "$R"
ok "import: one signed commit by the clerk, trailers, the step (import draft -> issued, provenance), the register learns 354"

expect_exit 0 d log "$DOC"
expect_grep "import" "$WORK/out"
expect_grep "draft -> issued" "$WORK/out"
expect_grep "Phạm Thị Thu" "$WORK/out"
expect_grep "Lưu trữ giấy, hồ sơ KH 2021" "$WORK/out"
expect_exit 0 d status "$DOC" --json
expect_grep '"issued"' "$WORK/out"
expect_exit 0 d validate --all
audit_of "$R"
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "audit after import exited $rc"; }
ok "log shows the import, status says issued, validate --all and audit --trust are clean"

# the same number again, under another id: refused; the same id: refused
before=$(snapshot "$R")
expect_exit 1 d --as thu import "$EXAMPLES/354-KH-PGDDT.xml" --id kh-copy
expect_grep "the number 354 of PGDĐT in 2021 was given already, to 'kh-2021-354'" "$WORK/err"
untouched "a second import of 354"
expect_exit 1 d --as thu import "$R/$F" --id kh-again
expect_grep "it carries workflow steps" "$WORK/err"
untouched "import of a document with steps"
ok "a number taken, a document carrying workflow steps: refused, nothing written"

# --- the next plan issued by PGDĐT in 2021 is 355 ---------------------------------------------
at 2021-06-02T07:30:00+07:00 --as hoa add --draft --id kh-2021-next "$EXAMPLES/354-KH-PGDDT.xml"
at 2021-06-02T08:00:00+07:00 --as hoa submit kh-2021-next
at 2021-06-03T08:00:00+07:00 --as minh review kh-2021-next
at 2021-06-04T08:00:00+07:00 --as lan approve kh-2021-next
DOCKET_NOW=2021-06-05T08:00:00+07:00 expect_exit 0 d --as thu issue kh-2021-next
expect_grep "number 355/KH-PGDĐT" "$WORK/out"
N=documents/plan/2021/CTTT/kh-2021-next.xml
[ "$(xp header/code/number "$R/$N")" = 355 ] || fail "the next plan is not 355"
tail -1 "$R/$REG" | grep -q "^355	KH-PGDĐT	kh-2021-next	2021-06-05$" || { cat "$R/$REG"; fail "the register's second line"; }
audit_of "$R"
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "audit after issue exited $rc"; }
ok "the next plan issued by PGDĐT in 2021 is 355/KH-PGDĐT; audit clean"

# --- issue refuses a document that already has a number ---------------------------------------
at 2021-06-06T07:30:00+07:00 --as hoa add --draft --id kh-2021-typed "$EXAMPLES/354-KH-PGDDT.xml"
T=documents/plan/2021/CTTT/kh-2021-typed.xml
sed -i -e 's|<number/>|<number>400</number>|' -e 's|<notation/>|<notation>KH-PGDĐT</notation>|' "$R/$T"
grep -q '<number>400</number>' "$R/$T" || fail "could not type a number into the draft"
at 2021-06-06T08:00:00+07:00 --as hoa commit kh-2021-typed -m "số do người soạn gõ"
at 2021-06-06T09:00:00+07:00 --as hoa submit kh-2021-typed
at 2021-06-07T08:00:00+07:00 --as minh review kh-2021-typed
at 2021-06-08T08:00:00+07:00 --as lan approve kh-2021-typed
before=$(snapshot "$R")
DOCKET_NOW=2021-06-09T08:00:00+07:00 expect_exit 1 d --as thu issue kh-2021-typed
expect_grep "cannot number 'kh-2021-typed': it already has the number 400/KH-PGDĐT" "$WORK/err"
expect_grep "'docket import'" "$WORK/err"
untouched "issue of a numbered document"
ok "issue refuses a document that already carries a number (exit 1), instead of numbering it again"

# --- forgeries, with plain git, each in a copy ---------------------------------------------------
# (1) a drafter records an "import" herself, signed with her own key
copy forged-by-drafter
sed -e 's/id="kh-2021-354"/id="kh-2021-360"/' -e 's|<number>354</number>|<number>360</number>|' \
	-e 's/actor="thu" role="clerk"/actor="hoa" role="clerk"/' "$A/$F" >"$A/documents/plan/2021/CTTT/kh-2021-360.xml"
printf '360\tKH-PGDĐT\tkh-2021-360\t2021-05-11\n' >>"$A/$REG"
as_git hoa add -A
as_git hoa commit -q -F - <<'EOF'
docket: import kh-2021-360 (issued 360/KH-PGDĐT)

Docket-Document: kh-2021-360
Docket-Transition: import
Docket-From: draft
Docket-To: issued
Docket-Actor: hoa
Docket-Role: clerk
Docket-Number: 360/KH-PGDĐT
EOF
c=$(git -C "$A" rev-parse HEAD)
audit_of "$A"
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit of a drafter's import exited $rc"; }
finds unauthorised-actor "$c" kh-2021-360 "may '"'issue'"' it: 'hoa'"
# (2) the clerk's import without its register line: the next issue could hand out 360 again
copy forged-no-register
sed -e 's/id="kh-2021-354"/id="kh-2021-360"/' -e 's|<number>354</number>|<number>360</number>|' \
	"$A/$F" >"$A/documents/plan/2021/CTTT/kh-2021-360.xml"
as_git thu add -A
as_git thu commit -q -F - <<'EOF'
docket: import kh-2021-360 (issued 360/KH-PGDĐT)

Docket-Document: kh-2021-360
Docket-Transition: import
Docket-From: draft
Docket-To: issued
Docket-Actor: thu
Docket-Role: clerk
Docket-Number: 360/KH-PGDĐT
EOF
c=$(git -C "$A" rev-parse HEAD)
audit_of "$A"
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit of an import without its register line exited $rc"; }
finds register-tampered "$c" kh-2021-360 "does not record it"
# (3) an "import" step appended to a document already in the repository
copy forged-late-import
sed -i 's|</workflow>|  <step date="2021-06-10T08:00:00+07:00" actor="thu" role="clerk" transition="import" from="approved" to="issued"/>\n  </workflow>|; s|<workflow state="approved">|<workflow state="issued">|' \
	"$A/$T"
as_git thu add -A
as_git thu commit -q -F - <<'EOF'
docket: import kh-2021-typed (issued 400/KH-PGDĐT)

Docket-Document: kh-2021-typed
Docket-Transition: import
Docket-From: approved
Docket-To: issued
Docket-Actor: thu
Docket-Role: clerk
Docket-Number: 400/KH-PGDĐT
EOF
c=$(git -C "$A" rev-parse HEAD)
audit_of "$A"
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit of a late import exited $rc"; }
finds illegal-transition "$c" kh-2021-typed "'import' is not a transition"
# (4) the issued plan's number changed afterwards
copy forged-renumbered
sed -i 's|<number>355</number>|<number>356</number>|' "$A/$N"
as_git thu add -A
as_git thu commit -q -F - <<'EOF'
docket: edit kh-2021-next

Docket-Document: kh-2021-next
Docket-Action: edit
Docket-State: issued
Docket-Actor: thu
EOF
c=$(git -C "$A" rev-parse HEAD)
audit_of "$A"
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit of a renumbered plan exited $rc"; }
finds number-changed "$c" kh-2021-next "were 355/KH-PGDĐT of 2021-06-05 and became 356/KH-PGDĐT of 2021-06-05"
ok "forged imports (by a drafter; without the register line; onto an existing document) and a changed number: audit findings"
