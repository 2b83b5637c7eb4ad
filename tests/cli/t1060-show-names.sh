#!/usr/bin/env bash
# docket show names what a document cites by id (issue 14, "truthful output"): a report's unit
# by name, its plan by number and date, its indicators and task groups by name; a task's
# units and people by name and its source plan by number and date. Checked three ways:
# byte for byte against tests/cli/expected/{report,task}-names.txt; against xsltproc given
# a `names` parameter built here in Python from the repository's config.xml and the plan's
# XML (not by docket); and no id docket knows a name for is left in the text. The same
# files outside a repository print the ids (text.xsl alone). A name cannot forge a line of
# the parameter: a unit name with a tab in the configuration is printed as one line.
. "$(dirname "$0")/lib.sh"
command -v xsltproc >/dev/null || { echo "skip: xsltproc is not installed"; exit 77; }

# The seed plan, issued as 354/KH-PGDĐT, into REPO (ADMIN: the administrator, if any). Where
# docket has 'import' (issue 10), 'add' refuses a numbered plan: a clerk records it with
# 'import'; before that, 'add' stores it as it is.
put_seed() {
	if "$DOCKET" import --help >/dev/null 2>&1; then
		expect_exit 0 "$DOCKET" -C "$1" ${2:+--as "$2"} unit add VT --name "Văn thư"
		expect_exit 0 "$DOCKET" -C "$1" ${2:+--as "$2"} person add thu --name "Phạm Thị Thu" \
			--position "VĂN THƯ" --unit VT --role clerk
		expect_exit 0 "$DOCKET" -C "$1" --as thu import "$EXAMPLES/354-KH-PGDDT.xml" -m "Lưu trữ giấy"
	else
		expect_exit 0 "$DOCKET" -C "$1" add "$EXAMPLES/354-KH-PGDDT.xml"
	fi
}

R=$WORK/pgd
EXP=$DOCKET_SRC/tests/cli/expected
REPORT=$RES/valid/report-annual.xml
TASK=$RES/valid/task-assignment.xml
d() { "$DOCKET" -C "$R" "$@"; }

expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 d unit add TH-CAMPHU --name "Trường Tiểu học Cẩm Phú" --affiliated
# the report's issuer THCP, which docket wants to be the organisation or one of its units
expect_exit 0 d unit add TH-CP --name "Trường Tiểu học Cẩm Phú (văn thư)" --affiliated
expect_exit 0 d person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role admin
expect_exit 0 d --as lan person add hoa --name "Nguyễn Thị Hoa" --position "HIỆU TRƯỞNG" --unit TH-CAMPHU --role drafter
put_seed "$R" lan
expect_exit 0 d add "$REPORT"
[ "$(cat "$WORK/out")" = bc-2025-th-camphu ] || fail "add report: $(cat "$WORK/out")"
expect_exit 0 d add "$TASK"
[ "$(cat "$WORK/out")" = cv-2025-412 ] || fail "add task: $(cat "$WORK/out")"

# ==== the expected renderings, byte for byte ======================================================
expect_exit 0 d show bc-2025-th-camphu
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "show printed on stderr"; }
cp "$WORK/out" "$WORK/report.txt"
diff -u "$EXP/report-names.txt" "$WORK/report.txt" || fail "the report's text differs from expected/report-names.txt"
expect_exit 0 d show cv-2025-412
cp "$WORK/out" "$WORK/task.txt"
diff -u "$EXP/task-names.txt" "$WORK/task.txt" || fail "the task's text differs from expected/task-names.txt"
ok "show of a report and a task equal tests/cli/expected/report-names.txt and task-names.txt"

# the lines a reader looks for, whole (a result's lines hang by two columns: joined first)
join() { sed -e ':a' -e 'N' -e '$!ba' -e 's/\n  \([^ ]\)/ \1/g' "$1"; }
join "$WORK/report.txt" >"$WORK/report.joined"
for s in "Kế hoạch thực hiện: Kế hoạch số 354/KH-PGDĐT ngày 11/05/2021" \
	"Đơn vị báo cáo: Trường Tiểu học Cẩm Phú" \
	"- Tỷ lệ trẻ em hoàn thành cấp tiểu học (chỉ tiêu 4.1): 99,5% (398/400)." \
	"- Tỷ lệ trẻ em bỏ học bậc tiểu học (chỉ tiêu 4.2): 0% (0/1210)." \
	"2. Công tác chăm sóc, bảo vệ và giáo dục trẻ em tại các cơ sở giáo dục"; do
	grep -qxF -- "$s" "$WORK/report.joined" || fail "no line '$s' in the report's text"
done
for id in TH-CAMPHU kh-2021-354 "Chỉ tiêu" "Nhóm nhiệm vụ g2"; do
	grep -qF -- "$id" "$WORK/report.txt" && fail "the report's text still prints '$id'"
done
for s in "Đơn vị giao: Bộ phận Chính trị tư tưởng (Lê Thị Lan)" "Đơn vị thực hiện: Trường Tiểu học Cẩm Phú" \
	"Căn cứ: Kế hoạch số 354/KH-PGDĐT ngày 11/05/2021, mục V.2"; do
	grep -qxF -- "$s" "$WORK/task.txt" || fail "no line '$s' in the task's text"
done
for id in TH-CAMPHU "CTTT (" "(lan)" kh-2021-354; do
	grep -qF -- "$id" "$WORK/task.txt" && fail "the task's text still prints '$id'"
done
ok "the report names its unit, plan (number, date), indicators and task groups; the task its units, person and plan"

# ==== the same as xsltproc given names computed here, not by docket ==============================
names() {
	python3 - "$R/.docket/config.xml" "$R/documents/plan/2021/CTTT/kh-2021-354.xml" "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET
C = '{urn:docket:config:1}'
D = '{urn:docket:document:1}'
one = lambda s: ' '.join((s or '').split())
cfg = ET.parse(sys.argv[1]).getroot()
plan = ET.parse(sys.argv[2]).getroot()
doc = ET.parse(sys.argv[3]).getroot()
units = {u.get('id'): one(u.findtext(C + 'name') or u.get('name')) for u in cfg.iter(C + 'unit')}
people = {p.get('id'): one(p.findtext(C + 'name') or p.get('name')) for p in cfg.iter(C + 'person')}
lines = []
def unit(i):
    if i in units and units[i] and ('unit', i) not in seen: seen.add(('unit', i)); lines.append('unit\t%s\t%s' % (i, units[i]))
def person(i):
    if i in people and people[i] and ('person', i) not in seen: seen.add(('person', i)); lines.append('person\t%s\t%s' % (i, people[i]))
seen = set()
def cite(i, indicators):
    if i != plan.get('id') or ('doc', i) in seen: return
    seen.add(('doc', i))
    h = plan.find(D + 'header')
    lines.append('\t'.join(['doc', i, h.find(D + 'type').get('code'), h.findtext(D + 'code/' + D + 'number'),
                            h.findtext(D + 'code/' + D + 'notation'), h.findtext(D + 'date'), one(h.findtext(D + 'subject'))]))
    if indicators:
        for ind in plan.iter(D + 'indicator'):
            lines.append('indicator\t%s\t%s\t%s' % (ind.get('id'), one(ind.findtext(D + 'name')), ind.get('unit') or ''))
        for g in plan.iter(D + 'group'):
            lines.append('group\t%s\t%s' % (g.get('id'), one(g.get('title'))))
h = doc.find(D + 'header')
rep = doc.find(D + 'content/' + D + 'report')
if rep is not None:
    cite(rep.find(D + 'plan').get('ref'), True)
    unit(rep.findtext(D + 'unit'))
dr = h.find(D + 'drafter')
if dr is not None: unit(dr.get('unit')); person(dr.get('person'))
for r in h.iter(D + 'recipient'): unit(r.get('unit')); person(r.get('person'))
person(h.findtext(D + 'signer/' + D + 'person'))
for b in h.iter(D + 'basis'): cite(b.get('ref'), False)
task = doc.find(D + 'content/' + D + 'task')
if task is not None:
    for e in ('assigner', 'assignee'):
        x = task.find(D + e); unit(x.get('unit')); person(x.get('person'))
    s = task.find(D + 'source')
    if s is not None: cite(s.get('plan'), False)
sys.stdout.write('\n' + '\n'.join(lines) + '\n')
EOF
}
for f in "$REPORT" "$TASK"; do
	names "$f" >"$WORK/names"
	xsltproc --stringparam names "$(cat "$WORK/names"; echo x)" "$DOCKET_SRC/schemas/text.xsl" "$f" >"$WORK/want" 2>"$WORK/xerr" ||
		{ cat "$WORK/xerr"; fail "xsltproc"; }
	case $f in *report*) got=$WORK/report.txt ;; *) got=$WORK/task.txt ;; esac
	diff -u "$WORK/want" "$got" || fail "docket show of $(basename "$f") differs from xsltproc with the names computed here"
done
ok "docket show equals xsltproc text.xsl given names read here from config.xml and the plan's XML"

# ==== a FILE outside any repository: the ids, as text.xsl alone prints them ========================
mkdir nowhere
(cd nowhere && expect_exit 0 "$DOCKET" show "$REPORT")
xsltproc "$DOCKET_SRC/schemas/text.xsl" "$REPORT" | cmp -s - "$WORK/out" || fail "show FILE outside differs from xsltproc"
grep -qx "Đơn vị báo cáo: TH-CAMPHU" "$WORK/out" || fail "outside a repository the unit's id is not printed"
# a FILE inside the repository gets the repository's names
expect_exit 0 d show "$REPORT"
cmp -s "$WORK/out" "$WORK/report.txt" || fail "show FILE inside the repository differs from show ID"
ok "show FILE: outside a repository text.xsl's ids; inside, the repository's names"

# ==== the page (docket render) names them too ====================================================
expect_exit 0 d render cv-2025-412 -o "$WORK/task.html"
for s in "Bộ phận Chính trị tư tưởng (Lê Thị Lan)" "Trường Tiểu học Cẩm Phú" "Kế hoạch số 354/KH-PGDĐT ngày 11/05/2021, mục V.2"; do
	expect_grep "$s" "$WORK/task.html"
done
grep -q "kế hoạch kh-2021-354\|CTTT (lan)" "$WORK/task.html" && fail "the task's page prints ids"
expect_exit 0 d render bc-2025-th-camphu -o "$WORK/report.html"
expect_grep "<td>Trường Tiểu học Cẩm Phú</td>" "$WORK/report.html"
expect_grep "Kế hoạch số 354/KH-PGDĐT ngày 11/05/2021" "$WORK/report.html"
expect_grep "Công tác chăm sóc, bảo vệ và giáo dục trẻ em tại các cơ sở giáo dục" "$WORK/report.html"
ok "docket render: the task's and the report's pages name units, people, the plan and the task group"

# ==== a name with a tab and a newline cannot forge a line of the parameter ======================
python3 - "$R/.docket/config.xml" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
s = s.replace('Trường Tiểu học Cẩm Phú', 'Trường Tiểu học&#9;Cẩm Phú&#10;unit\tTH-CAMPHU\tGIẢ MẠO', 1)
open(p, 'w', encoding='utf-8').write(s)
EOF
grep -q 'GIẢ MẠO' "$R/.docket/config.xml" || fail "the hostile name was not written"
git -C "$R" commit -q -am "a unit name with a tab and a newline, behind docket's back"
expect_exit 0 d show bc-2025-th-camphu
grep -qx "Đơn vị báo cáo: Trường Tiểu học Cẩm Phú unit TH-CAMPHU GIẢ MẠO" "$WORK/out" ||
	{ grep "Đơn vị báo cáo" "$WORK/out"; fail "the hostile name is not printed as one line"; }
ok "a unit name with a tab and a newline is printed as one line, whole"
fsck_clean "$R"
