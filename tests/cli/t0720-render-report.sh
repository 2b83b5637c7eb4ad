#!/usr/bin/env bash
# docket render of a report (issue 13: "a report's results beside the targets"): a school's
# 2025 report on the issued seed plan, its figures committed, rendered as its A4 page in the
# repository. Each result's row has the plan's indicator name, the target of the milestone
# the year is judged against (comparison, value, unit, year) and a met / not met mark; the
# marks are checked against python3's exact fractions over the plan's XML, not against
# docket. The same report as a FILE (no repository, no plan) renders as before, byte for byte
# xsltproc's page without the parameter; its text rendering (docket show) is byte for byte
# xsltproc's text.xsl, as before. A repository pinning the former page.xsl (no `targets`
# parameter) still renders.
. "$(dirname "$0")/lib.sh"
command -v xsltproc >/dev/null || { echo "skip: xsltproc is not installed"; exit 77; }

R=$WORK/pgd
PLAN=kh-2021-354
DOC=bc-2025-th-qt-1
F=documents/report/2025/TH-QT/$DOC.xml
d() { "$DOCKET" -C "$R" "$@"; }

export DOCKET_NOW=2021-05-11T08:00:00+07:00
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 d unit add VT --name "Văn thư" --parent LD
expect_exit 0 d unit add TH-QT --name "Trường TH và THCS Quang Trung" --affiliated
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
a() { expect_exit 0 d --as admin person add "$@"; }
a hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
a minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
a lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
a thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
a gv-qt --name "Giáo viên qt" --position "GIÁO VIÊN" --unit TH-QT --role drafter
enrol "$R" admin admin hoa minh lan thu gv-qt
expect_exit 0 d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 d --as hoa submit $PLAN
expect_exit 0 d --as minh review $PLAN
expect_exit 0 d --as lan approve $PLAN
expect_exit 0 d --as thu issue $PLAN
export DOCKET_NOW=2025-12-01T09:00:00+07:00
expect_exit 0 d --as gv-qt new report --plan $PLAN --year 2025 --unit TH-QT

# the figures: some targets met, some not (2: 98.33 < 99.1; 4.2: 0.25 is not < 0.08; 7.1: 50 < 55)
perl -0pi -e 's/^[ \t]*<!-- docket: the figures[^\n]*\n//m; s/^[ \t]*-->\n//m' "$R/$F"
for x in 1=3/3=100 2=118/120=98.33 3=60/60=100 4.1=398/400=99.5 4.2=3/1200=0.25 5.1=2000/2000=100 \
	5.2=0/600=0 6=1/1=100 7.1=1/2=50 7.2=4/5=80; do
	IFS='=' read -r i f v <<<"$x"
	I=$i N=${f%/*} D=${f#*/} V=$v perl -pi -e 's{<result indicator="\Q$ENV{I}\E" numerator="…" denominator="…" value="…"/>}{<result indicator="$ENV{I}" numerator="$ENV{N}" denominator="$ENV{D}" value="$ENV{V}"/>}' \
		"$R/$F"
done
grep -q '…' "$R/$F" && fail "a figure of the skeleton was left unfilled"
expect_exit 0 d --as gv-qt commit $DOC -m "Số liệu năm 2025"

# ==== in the repository: the targets beside the results =========================================
expect_exit 0 d render $DOC -o "$WORK/report.html"
expect_grep '<th class="c-year">Mục tiêu</th>' "$WORK/report.html"
expect_grep '<th class="c-year">Đánh giá</th>' "$WORK/report.html"
# what docket shows, row by row: id, name, target cell, met cell
python3 - "$WORK/report.html" >"$WORK/got" <<'EOF'
import re, sys, html
page = open(sys.argv[1], encoding='utf-8').read()
table = page[page.index('<table class="grid results">'):]
table = table[:table.index('</table>')]
for row in re.findall(r'<tr id="res-([^"]*)">(.*?)</tr>', table, re.S):
    cells = [html.unescape(re.sub(r'<[^>]*>', '', c)).strip() for c in re.findall(r'<td[^>]*>(.*?)</td>', row[1], re.S)]
    # id, name, target, numerator, denominator, value, met, note
    print('|'.join([row[0], cells[1], cells[2], cells[6]]))
EOF
# what they should be, from the plan's XML and exact fractions (the nearest milestone of 2025
# is 2025's own target for every indicator of the seed)
python3 - "$R/documents/plan/2021/CTTT/$PLAN.xml" "$R/$F" >"$WORK/want" <<'EOF'
import sys
from fractions import Fraction
import xml.etree.ElementTree as ET
ns = {'d': 'urn:docket:document:1'}
plan = ET.parse(sys.argv[1]).getroot()
report = ET.parse(sys.argv[2]).getroot()
sign = {'ge': '≥', 'gt': '>', 'le': '≤', 'lt': '<', 'eq': '='}
test = {'ge': lambda a, b: a >= b, 'gt': lambda a, b: a > b, 'le': lambda a, b: a <= b,
        'lt': lambda a, b: a < b, 'eq': lambda a, b: a == b}
inds = {i.get('id'): i for i in plan.iter('{urn:docket:document:1}indicator')}
for r in report.findall('.//d:results/d:result', ns):
    ind = inds[r.get('indicator')]
    t = [t for t in ind.findall('d:target', ns) if t.get('year') == '2025'][0]
    value = Fraction(100 * int(r.get('numerator')), int(r.get('denominator')))
    met = test[ind.get('comparison')](value, Fraction(t.get('value')))
    name = ' '.join(''.join(ind.find('d:name', ns).itertext()).split())
    target = '%s %s %s (năm 2025)' % (sign[ind.get('comparison')], t.get('value').replace('.', ','), ind.get('unit'))
    print('|'.join([r.get('indicator'), name, target, 'Đạt' if met else 'Chưa đạt']))
EOF
[ "$(wc -l <"$WORK/want")" = 10 ] || fail "the report should have 10 results"
diff -u "$WORK/want" "$WORK/got" || fail "the targets and marks beside the results differ from the plan's"
grep -c 'Chưa đạt' "$WORK/got" | grep -qx 3 || fail "expected three targets not met"
ok "render in the repository: each of the 10 results with its indicator's name, its 2025 target and met / not met, as exact fractions over the plan's XML say"

# ==== without a repository or plan: as before ======================================================
git -C "$R" show "HEAD:$F" >"$WORK/report.xml"
expect_exit 0 "$DOCKET" render "$WORK/report.xml" -o "$WORK/file.html"
xsltproc "$DOCKET_SRC/schemas/page.xsl" "$WORK/report.xml" >"$WORK/xsltproc.html"
cmp -s "$WORK/file.html" "$WORK/xsltproc.html" || fail "render FILE differs from xsltproc's page"
grep -q 'Mục tiêu\|Đánh giá' "$WORK/file.html" && fail "a target column without the plan"
expect_grep '<th class="c-num">Kết quả</th>' "$WORK/file.html"
ok "render FILE (no repository, no plan): the report's own figures, byte for byte xsltproc's page"

# the text: in the repository, names from it (issue 14); as a FILE outside any, text.xsl's alone
expect_exit 0 d show $DOC
sed -e ':a' -e 'N' -e '$!ba' -e 's/\n  \([^ ]\)/ \1/g' "$WORK/out" >"$WORK/show.txt"
for s in "Kế hoạch thực hiện: Kế hoạch số 01/KH-PGDĐT ngày 11/05/2021" "Đơn vị báo cáo: Trường TH và THCS Quang Trung" \
	"- Tỷ lệ trẻ em hoàn thành cấp tiểu học (chỉ tiêu 4.1): 99,5% (398/400)."; do
	grep -qxF -- "$s" "$WORK/show.txt" || { cat "$WORK/show.txt"; fail "no line '$s' in docket show"; }
done
grep -q "Chỉ tiêu 4.1:\|TH-QT\|$PLAN" "$WORK/show.txt" && fail "docket show prints an id where a name is known"
xsltproc "$R/.docket/schemas/text.xsl" "$WORK/report.xml" >"$WORK/text.txt"
grep -qx "Đơn vị báo cáo: TH-QT" "$WORK/text.txt" || fail "text.xsl alone does not print the unit's id"
expect_exit 0 "$DOCKET" show "$WORK/report.xml"
cmp -s "$WORK/out" "$WORK/text.txt" || fail "docket show FILE differs from text.xsl"
ok "the text rendering: in the repository with the unit's, plan's and indicators' names; as a FILE, text.xsl's"

# ==== a repository pinning the former page.xsl (no `targets` parameter) ==========================
cp "$R/.docket/schemas/page.xsl" "$WORK/cur.xsl"
python3 - "$WORK/cur.xsl" "$R/.docket/schemas/page.xsl" <<'EOF'
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
# the stylesheet as it was before the targets: no parameter, no use of it
s = s.replace('<xsl:param name="targets" select="\'\'"/>', '')
s = s.replace("normalize-space($targets) != ''", 'false()')
s = s.replace("$targets", "''")
open(sys.argv[2], 'w', encoding='utf-8').write(s)
EOF
git -C "$R" commit -q -am "page.xsl that knows no targets"
grep -q 'name="targets"\|$targets' "$R/.docket/schemas/page.xsl" && fail "the stylesheet still knows the parameter"
expect_exit 0 d render $DOC -o "$WORK/old.html"
grep -q 'Mục tiêu' "$WORK/old.html" && fail "a stylesheet without the parameter shows targets"
expect_grep 'res-4.1' "$WORK/old.html"
ok "a pinned page.xsl that knows no targets parameter renders the report as before"
