#!/usr/bin/env bash
# Plans and reports whose structured parts real documents leave out: a steering board's report
# standing alone (its plan cited by number and date only, free parts around its results) walks
# submit -> review -> approve; a People's Committee's plan with milestone groups but no period,
# no specific objectives and no task list walks to issued, a school drafts its unit plan from
# it and its tasks are assigned from its responsibilities; the audit finds nothing.
. "$(dirname "$0")/lib.sh"

R=$WORK/ubnd
d() { "$DOCKET" -C "$R" "$@"; }
xp() { # xp XPATH-ON-LOCAL-NAMES FILE
	local p="" part
	for part in $(echo "$1" | tr / ' '); do p="$p/*[local-name()='$part']"; done
	xmllint --xpath "string(/*[local-name()='document']$p)" "$2"
}
export DOCKET_NOW=2023-12-01T08:00:00+07:00

expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM" --abbr UBND --place "Quảng Nam"
expect_exit 0 d unit add LĐ --name "Lãnh đạo"
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LĐ --role admin
for u in "BCĐ:Ban Chỉ đạo 389" "SGDĐT:Sở Giáo dục và Đào tạo" "KGVX:Phòng Khoa giáo - Văn xã" "VT:Văn thư"; do
	expect_exit 0 d --as admin unit add "${u%%:*}" --name "${u#*:}" --parent LĐ
done
expect_exit 0 d --as admin unit add TH-A --name "Trường Mầm non A" --affiliated
a() { expect_exit 0 d --as admin person add "$@"; }
a an --name "Lê Văn An" --position "CHUYÊN VIÊN" --unit BCĐ --role drafter
a binh --name "Trần Văn Bình" --position "PHÓ TRƯỞNG BAN" --unit BCĐ --role reviewer
a cuong --name "Phạm Văn Cường" --position "CHÁNH VĂN PHÒNG" --unit SGDĐT --role reviewer
a hoa --name "Nguyễn Thị Hoa" --position "PHÓ CHỦ TỊCH" --unit LĐ --role approver
a dung --name "Võ Thị Dung" --position "CHUYÊN VIÊN" --unit SGDĐT --role drafter
a thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
a gv --name "Giáo viên A" --position "GIÁO VIÊN" --unit TH-A --role drafter
enrol "$R" admin admin an binh cuong hoa dung thu gv

# --- a report standing alone -----------------------------------------------------------------
# the fixture as a draft: no number and date yet; reviewed by the unit it is sent to (SGDĐT)
sed -e 's|<number>12</number>|<number/>|; s|<notation>BC-BCĐ389-UBND</notation>|<notation/>|' \
	-e 's|<date>2023-12-20</date>||; s|<abbr>BCĐ389-UBND</abbr>|<abbr>UBND</abbr>|' \
	-e 's|<recipient purpose="b/c" unit="BCĐ">|<recipient purpose="b/c" unit="SGDĐT">|' \
	"$RES/valid/report-steering-board.xml" >"$WORK/report.xml"
expect_exit 0 d --as an add --draft "$WORK/report.xml"
REP=bc-2023-bcd389
F=documents/report/2023/BCD/$REP.xml
git -C "$R" cat-file -e "HEAD:$F" || fail "the report is not at $F"
expect_exit 0 d --as binh submit $REP
expect_exit 0 d --as cuong review $REP
expect_exit 0 d --as hoa approve $REP
expect_grep '<workflow state="approved">' "$R/$F"
expect_grep '<plan code="05/KH-BCĐ389-UBND" date="2023-01-10"/>' "$R/$F"
expect_exit 0 d show $REP
expect_grep "05/KH-BCĐ389-UBND" "$WORK/out"
ok "a report on a plan cited by number and date only, with free parts: submitted, reviewed, approved"

# the same report naming a plan of the repository that is not there is still refused at submit
sed -e 's|id="bc-2023-bcd389"|id="bc-2023-bcd389-b"|; s|<plan code="05/KH-BCĐ389-UBND" date="2023-01-10"/>|<plan ref="kh-2023-404"/>|' \
	"$WORK/report.xml" >"$WORK/report-b.xml"
expect_exit 1 d --as an add --draft "$WORK/report-b.xml"
expect_grep "the plan reported on 'kh-2023-404' is not a document in this repository" "$WORK/err"
ok "a report citing by id a plan the repository lacks: refused"

# --- a plan with milestone groups only ---------------------------------------------------------
sed -e 's|<number>45</number>|<number/>|; s|<notation>KH-UBND</notation>|<notation/>|; s|<date>2022-02-14</date>||' \
	-e 's|<drafter unit="SGDĐT"/>|<drafter unit="SGDĐT" person="dung"/>|' \
	-e 's|<fullName>Nguyễn Thị Hoa</fullName>|<fullName>Nguyễn Thị Hoa</fullName><person>hoa</person>|' \
	"$RES/valid/plan-milestones-only.xml" >"$WORK/plan.xml"
grep -q '<objective ' "$WORK/plan.xml" && fail "the plan fixture has specific objectives"
grep -q '<tasks ' "$WORK/plan.xml" && fail "the plan fixture has a task list"
PLAN=kh-2022-ubnd-45
expect_exit 0 d --as dung add --draft "$WORK/plan.xml"
expect_exit 0 d --as dung submit $PLAN
expect_exit 0 d --as cuong review $PLAN
expect_exit 0 d --as hoa approve $PLAN
expect_exit 0 d --as thu issue $PLAN
PF=$(git -C "$R" ls-files "documents/plan/*/SGDDT/$PLAN.xml")
[ -n "$PF" ] || fail "the plan is not filed under SGDDT"
[ "$(xp header/code/number "$R/$PF")/$(xp header/code/notation "$R/$PF")" = "01/KH-UBND" ] ||
	fail "issued as $(xp header/code/number "$R/$PF")/$(xp header/code/notation "$R/$PF")"
ok "a plan with no period, objectives or task list: submitted, reviewed, approved, issued 01/KH-UBND"

expect_exit 0 d --as gv new unit-plan --from $PLAN --unit TH-A
UP=$(cat "$WORK/out")
expect_exit 0 d validate --all
ok "a school's unit plan drafted from it ($UP)"
expect_exit 0 d --as dung assign $PLAN --draft
expect_exit 0 d validate --all
ok "its tasks assigned from its responsibilities, as drafts"

expect_exit 0 d audit --trust "$WORK/ca/ca.pem"
fsck_clean "$R"
ok "audit --trust: no finding"
