#!/usr/bin/env bash
# Issue 14 leftover 2 and issue 10: the commit kinds made by the bulk commands and by import
# go through the central repository's pre-receive hook and through pull's replay. A central
# bare repository with the hook and the server's own trust anchor, served by git daemon; the
# department's clone pushes, each accepted: 'unit import', 'person import', 'enrol' (many
# keys and certificates in one commit), 'import' (the seed, issued as 354), 'new report
# --all', 'fill --plan --csv' (one commit for all reports). An import whose register another
# office moved meanwhile is recorded again on the central tip with its own number; a fill
# another push outran is replayed and signed anew. Forged variants pushed with stock git are
# refused by the hook, each naming its rule.
. "$(dirname "$0")/lib.sh"
. "$DOCKET_SRC/tests/cli/remote-lib.sh"

SRV=$WORK/srv
C=$SRV/pgd.git
PLAN=kh-2021-354
A=$WORK/dept B=$WORK/dept2
main_of() { git -C "$1" rev-parse refs/heads/main; }
# pushed DIR WHO ACTION...: WHO acts in DIR, then pushes; the hook accepts; central main = DIR's
pushed() {
	local dir=$1 who=$2
	shift 2
	expect_exit 0 "$DOCKET" -C "$dir" --as "$who" "$@"
	cp "$WORK/out" "$WORK/act"
	expect_exit 0 "$DOCKET" -C "$dir" --as "$who" push
	[ "$(main_of "$dir")" = "$(main_of "$C")" ] || fail "after '$*', the central main is not $dir's"
}
last_subject() { git -C "$C" log -1 --format=%s main; }

# --- the central repository: the bootstrap, then the hook ---------------------------------------
export DOCKET_NOW=2020-01-01T00:00:00+07:00
"$DOCKET" server init "$C" >/dev/null || fail "server init"
"$DOCKET" -C "$C" org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" \
	--place "Cẩm Phả" >/dev/null || fail "org set"
"$DOCKET" -C "$C" unit add LD --name "Lãnh đạo phòng" >/dev/null || fail "unit add"
"$DOCKET" -C "$C" person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null ||
	fail "person add"
enrol "$C" admin admin
"$DOCKET" server install-hook "$C" --trust "$WORK/ca/ca.pem" >/dev/null || fail "install-hook"
start_gitd "$SRV"
GITD=git://127.0.0.1:$GIT_PORT/pgd.git
expect_exit 0 "$DOCKET" clone "$GITD" "$A"

# --- each bulk kind, pushed ------------------------------------------------------------------------
cat >"$WORK/units.csv" <<'EOF'
id,name,parent,affiliated
CTTT,Bộ phận Chính trị tư tưởng,LD,false
VT,Văn thư,LD,false
S001,Trường Tiểu học số 1,,true
S002,Trường Tiểu học số 2,,true
S003,Trường Tiểu học số 3,,true
EOF
cat >"$WORK/people.csv" <<'EOF'
id,name,position,unit,role,email
hoa,Nguyễn Thị Hoa,CHUYÊN VIÊN,CTTT,drafter,
minh,Trần Văn Minh,TỔ TRƯỞNG CTTT,CTTT,reviewer,
lan,Lê Thị Lan,PHÓ TRƯỞNG PHÒNG,LD,approver,
thu,Phạm Thị Thu,VĂN THƯ,VT,clerk,
tk,Vũ Thị Kê,CHUYÊN VIÊN THỐNG KÊ,CTTT,statistician,
ht-s001,Hiệu trưởng 1,HIỆU TRƯỞNG,S001,reviewer,
ht-s002,Hiệu trưởng 2,HIỆU TRƯỞNG,S002,reviewer,
ht-s003,Hiệu trưởng 3,HIỆU TRƯỞNG,S003,reviewer,
EOF
pushed "$A" admin unit import "$WORK/units.csv"
[ "$(last_subject)" = "docket: add 5 units" ] || fail "unit import: the central tip is '$(last_subject)'"
pushed "$A" admin person import "$WORK/people.csv"
pushed "$A" admin enrol hoa minh lan thu tk ht-s001 ht-s002 ht-s003 --ca "$WORK/ca" --days 3650
[ "$(git -C "$C" log -1 --format=%B main | grep -c '^Docket-')" -ge 1 ] || fail "enrol: no trailers"
git -C "$C" cat-file commit main | grep -q '^gpgsig ' || fail "the enrol commit is not signed"
ok "pushed and accepted by the hook: unit import, person import, enrol of 8 people (one commit each)"

# --- import, replayed over another office's issue ---------------------------------------------------
expect_exit 0 "$DOCKET" clone "$GITD" "$B"
export DOCKET_NOW=2021-06-01T08:00:00+07:00
expect_exit 0 "$DOCKET" -C "$A" --as thu import "$EXAMPLES/354-KH-PGDDT.xml" -m "hồ sơ giấy"
import_commit=$(main_of "$A")
# meanwhile another office issues a plan of PGDĐT in 2021: the register moves on the server
for step in "hoa add --draft --id kh-2021-b $EXAMPLES/354-KH-PGDDT.xml" "hoa submit kh-2021-b" \
	"minh review kh-2021-b" "lan approve kh-2021-b" "thu issue kh-2021-b"; do
	set -- $step
	who=$1
	shift
	expect_exit 0 "$DOCKET" -C "$B" --as "$who" "$@"
done
expect_grep "number 01/KH-PGDĐT" "$WORK/out"
expect_exit 0 "$DOCKET" -C "$B" --as thu push
expect_exit 0 "$DOCKET" -C "$A" --as thu push
[ "$(main_of "$A")" = "$(main_of "$C")" ] || fail "after the replayed import, the central main is not the department's"
[ "$(main_of "$C")" != "$import_commit" ] || fail "the import was not replayed"
git -C "$C" log -1 --format=%B main | grep -qx "Docket-Transition: import" || fail "the central tip is not the import"
git -C "$C" log -1 --format=%B main | grep -qx "Docket-Number: 354/KH-PGDĐT" || fail "the replayed import lost its number"
git -C "$C" show main:.docket/register/2021/PGDDT.txt >"$WORK/reg"
printf '01\tKH-PGDĐT\tkh-2021-b\t2021-06-01\n354\tKH-PGDĐT\t%s\t2021-05-11\n' $PLAN | diff -u - "$WORK/reg" ||
	fail "the central register"
ok "import pushed after another office's issue: recorded again on the central tip as 354 (register 01, 354), the hook accepts it"

# --- new report --all and fill --plan --csv ---------------------------------------------------------
export DOCKET_NOW=2025-11-20T09:00:00+07:00
pushed "$A" tk new report --plan $PLAN --year 2025 --all
[ "$(wc -l <"$WORK/act")" = 3 ] || { cat "$WORK/act"; fail "new report --all drafted $(wc -l <"$WORK/act") reports"; }
python3 - "$WORK" <<'EOF'
import csv, sys
inds = ["1", "2", "3", "4.1", "4.2", "5.1", "5.2", "6", "7.1", "7.2"]
with open(f"{sys.argv[1]}/figures.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["unit"] + inds)
    for i in (1, 2, 3):
        w.writerow([f"S{i:03d}"] + [f"{9 * i}/{10 * i}" if ind not in ("4.2", "5.2") else f"0/{10 * i}" for ind in inds])
EOF
# the fill is outrun by another office's push: replayed (its files untouched there), signed anew
expect_exit 0 "$DOCKET" -C "$A" --as tk fill --plan $PLAN --year 2025 --csv "$WORK/figures.csv"
fill_commit=$(main_of "$A")
expect_exit 0 "$DOCKET" -C "$B" pull
expect_exit 0 "$DOCKET" -C "$B" --as hoa add --draft --id kh-2025-c "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 "$DOCKET" -C "$B" --as hoa push
expect_exit 0 "$DOCKET" -C "$A" --as tk push
[ "$(main_of "$A")" = "$(main_of "$C")" ] || fail "after the replayed fill, the central main is not the department's"
[ "$(main_of "$C")" != "$fill_commit" ] || fail "the fill was not replayed"
git -C "$C" diff-tree -r --no-commit-id --name-only main^ main | grep -c '^documents/report/2025/' >"$WORK/n"
[ "$(cat "$WORK/n")" = 3 ] || fail "the replayed fill changes $(cat "$WORK/n") reports, expected 3"
git -C "$C" cat-file commit main | grep -q '^gpgsig ' || fail "the replayed fill is not signed"
expect_exit 0 "$DOCKET" -C "$C" audit --trust "$WORK/ca/ca.pem"
ok "new report --all (3 reports, one commit) pushed; fill --csv (3 reports, one commit) replayed over another push, signed anew; the central history audits clean"

# --- forged variants, pushed with stock git ----------------------------------------------------------
E=$WORK/evil
git clone -q "$GITD" "$E" || fail "git clone over git://"
refused() {
	local rule=$1 central
	central=$(main_of "$C")
	expect_exit 1 git -C "$E" push origin HEAD:main
	expect_grep "remote: docket: refused $rule: " "$WORK/err"
	[ "$(main_of "$C")" = "$central" ] || fail "a refused push moved the central main"
	git -C "$E" fetch -q origin && git -C "$E" reset -q --hard origin/main
}
as_git() {
	local who=$1
	shift
	# shellcheck disable=SC2046
	GIT_AUTHOR_NAME=$who GIT_COMMITTER_NAME=$who GIT_AUTHOR_EMAIL=$who@pgd.example \
		GIT_COMMITTER_EMAIL=$who@pgd.example git $(git_signing "$who") -C "$E" "$@"
}
F=documents/plan/2021/CTTT/$PLAN.xml
# (1) a drafter records an issued plan herself
sed -e "s/id=\"$PLAN\"/id=\"kh-2021-360\"/" -e 's|<number>354</number>|<number>360</number>|' \
	-e 's/actor="thu" role="clerk"/actor="hoa" role="clerk"/' "$E/$F" >"$E/documents/plan/2021/CTTT/kh-2021-360.xml"
printf '360\tKH-PGDĐT\tkh-2021-360\t2021-05-11\n' >>"$E/.docket/register/2021/PGDDT.txt"
as_git hoa add -A
as_git hoa commit -q -m "docket: import kh-2021-360 (issued 360/KH-PGDĐT)

Docket-Document: kh-2021-360
Docket-Transition: import
Docket-From: draft
Docket-To: issued
Docket-Actor: hoa
Docket-Role: clerk
Docket-Number: 360/KH-PGDĐT"
refused unauthorised-actor
expect_grep "may 'issue' it" "$WORK/err"
# (2) the clerk's import without its register line
sed -e "s/id=\"$PLAN\"/id=\"kh-2021-361\"/" -e 's|<number>354</number>|<number>361</number>|' \
	"$E/$F" >"$E/documents/plan/2021/CTTT/kh-2021-361.xml"
as_git thu add -A
as_git thu commit -q -m "docket: import kh-2021-361 (issued 361/KH-PGDĐT)

Docket-Document: kh-2021-361
Docket-Transition: import
Docket-From: draft
Docket-To: issued
Docket-Actor: thu
Docket-Role: clerk
Docket-Number: 361/KH-PGDĐT"
refused register-tampered
# (3) a "person import" by someone who is not an administrator: people added to the configuration
perl -0pi -e 's{(<person id="tk")}{<person id="evil" name="Kẻ Gian" position="TRƯỞNG PHÒNG" unit="LD" roles="approver"/>\n    $1}' \
	"$E/.docket/config.xml"
grep -q 'id="evil"' "$E/.docket/config.xml" || fail "could not forge the configuration"
as_git hoa commit -qam "docket: import 1 person

Docket-Action: config
Docket-Actor: hoa"
refused config-not-by-admin
# (4) a "new report --all" whose reports enter already approved
R1=$(cd "$E" && ls documents/report/2025/S001/*.xml | head -1)
perl -0pe 's{ id="[^"]*" kind="report"}{ id="bc-forged" kind="report"}; s{</content>}{</content>\n  <workflow state="approved">\n    <step date="2025-11-20T09:00:00+07:00" actor="tk" role="statistician" transition="approve" from="draft" to="approved"/>\n  </workflow>}' \
	"$E/$R1" >"$E/documents/report/2025/S001/bc-forged.xml"
grep -q 'state="approved"' "$E/documents/report/2025/S001/bc-forged.xml" || fail "could not forge the report"
as_git tk add -A
as_git tk commit -q -m "docket: new report (1 drafted)

Docket-Document: bc-forged
Docket-Action: add
Docket-Actor: tk"
refused illegal-transition
ok "refused by the hook: an import by a drafter, an import without its register line, people added by a non-administrator, a report drafted as approved"
