#!/usr/bin/env bash
# The text rendering laid out as on paper (issue 10): each document below, shown as a FILE
# outside any repository, equals its expected rendering under tests/cli/expected/ byte for
# byte and xsltproc's schemas/text.xsl; then the layout's rules are checked on every one of
# them in Python, counting characters (code points of NFC text), not bytes:
#   - no line is wider than 80 columns or ends in a blank; the text is NFC;
#   - the motto starts in the same column on every document, whatever the Vietnamese
#     letters to its left weigh in bytes, and the date line sits in the right column;
#   - "Nơi nhận:" starts the row of the signer's first line, which is in the right column,
#     and the signer's full name is below the last recipient when the recipients are the
#     shorter column and beside them when they are the longer;
#   - a công văn has "V/v" under the number, in the left column, and "Kính gửi:";
#   - every word of the document's text appears in the rendering, in order (nothing lost to
#     wrapping).
. "$(dirname "$0")/lib.sh"
command -v xsltproc >/dev/null || { echo "skip: xsltproc is not installed"; exit 77; }

EXP=$DOCKET_SRC/tests/cli/expected
# name | file | expected
DOCS="seed|$EXAMPLES/354-KH-PGDDT.xml|seed.txt
report|$RES/valid/report-annual.xml|report.txt
task|$RES/valid/task-assignment.xml|task.txt
cong-van|$RES/valid/document-cong-van.xml|cong-van.txt
decision-ubnd|$RES/valid/document-decision-ubnd.xml|decision-ubnd.txt
report-steering-board|$RES/valid/report-steering-board.xml|report-steering-board.txt"
for extra in "$RES"/render/*.xml; do
	[ -f "$extra" ] || continue
	b=$(basename "$extra" .xml)
	DOCS="$DOCS
$b|$extra|$b.txt"
done

mkdir nowhere
n=0
while IFS='|' read -r name file want; do
	(cd nowhere && expect_exit 0 "$DOCKET" show "$file")
	[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "show $name printed on stderr"; }
	cp "$WORK/out" "$WORK/$name.txt"
	diff -u "$EXP/$want" "$WORK/$name.txt" || fail "show $name differs from tests/cli/expected/$want"
	xsltproc "$DOCKET_SRC/schemas/text.xsl" "$file" | cmp -s - "$WORK/$name.txt" || fail "xsltproc text.xsl disagrees on $name"
	n=$((n + 1))
done <<<"$DOCS"
ok "$n documents shown as FILE equal their expected renderings and xsltproc's"

while IFS='|' read -r name file want; do
	python3 - "$WORK/$name.txt" "$file" "$name" <<'EOF' || fail "layout of $name"
import sys, unicodedata, re
import xml.etree.ElementTree as ET
text = open(sys.argv[1], encoding='utf-8').read()
doc = ET.parse(sys.argv[2]).getroot()
name = sys.argv[3]
D = '{urn:docket:document:1}'
h = doc.find(D + 'header')
lines = text.split('\n')
def bad(msg):
    print('%s: %s' % (name, msg)); sys.exit(1)
if unicodedata.normalize('NFC', text) != text: bad('not NFC')
for i, l in enumerate(lines, 1):
    if len(l) > 80: bad('line %d is %d columns wide' % (i, len(l)))
    if l != l.rstrip(): bad('line %d ends in a blank' % i)
LW, RIGHT = 36, 40
# the motto: centred in the right column (40..79), in the same column everywhere
m = lines[0].find('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
if m != RIGHT + (40 - 34) // 2: bad('the motto starts in column %d' % m)
if lines[1].find('Độc lập - Tự do - Hạnh phúc') != RIGHT + (40 - 27) // 2: bad('the second motto line is not centred under the first')
# the number in the left column, the place (its first word) beside it in the right one, the
# date after it (wrapped under it when the place is long)
place = h.findtext(D + 'place').split()[0]
num = [l for l in lines[:8] if 'Số: ' in l]
if not num or num[0].find('Số: ') >= LW: bad('the number is not in the left column')
if num[0].find(place, LW) < RIGHT: bad('the place is not beside the number, in the right column')
i = lines.index(num[0])
if not any(l.find('ngày ', RIGHT) >= RIGHT for l in lines[i:i + 3]): bad('the date is not in the right column')
# công văn: V/v under the number, in the left column
if h.find(D + 'type') is None:
    i = lines.index(num[0])
    if not lines[i + 1].lstrip().startswith('V/v '): bad('no V/v under the number')
    if len(lines[i + 1].rstrip()) > LW: bad('the V/v line leaves the left column')
if h.find(D + 'addressees') is not None and not any(l.lstrip().startswith('Kính gửi:') for l in lines): bad('no Kính gửi')
# sign-off: Nơi nhận beside the signer's first line; the name in the right column
signer = h.find(D + 'signer')
recips = h.find(D + 'recipients')
if recips is not None and signer is not None:
    row = [l for l in lines if l.startswith('Nơi nhận:')]
    if len(row) != 1: bad('no single Nơi nhận line')
    first = row[0][len('Nơi nhận:'):].strip()
    if row[0].find(first) < RIGHT: bad('the signer block does not start beside Nơi nhận')
    full = signer.findtext(D + 'fullName').strip()
    k = [i for i, l in enumerate(lines) if l.endswith(full) and l.find(full) >= RIGHT]
    if not k: bad('the full name is not at the end of a line in the right column')
    start = lines.index(row[0])
    last = max(i for i, l in enumerate(lines) if i >= start and l.startswith(('- ', '  ')) and l.find('Lưu') >= 0)
    if 'Lưu' not in lines[last]: bad('the last recipient is not Lưu')
    if k[-1] < start: bad('the signer is above Nơi nhận')
    # the signer block starts on the row of Nơi nhận and runs on whichever column is longer:
    # its lines from there to the full name are all in the right column, with exactly three
    # blank rows (the signature) among them
    cells = [lines[i][RIGHT:].strip() for i in range(start, k[-1] + 1)]
    if cells.count('') != 3: bad('the signer block is not contiguous from Nơi nhận: %r' % cells)
    if any(lines[i][:RIGHT].strip() and len(lines[i]) > RIGHT and lines[i][RIGHT - 1] != ' ' for i in range(start, k[-1] + 1)):
        bad('a recipient runs into the right column')
# every word of the document's prose (paragraphs, items, objectives, preamble, closing,
# footnotes), in document order
prose = {D + t for t in ('p', 'item', 'text', 'preamble', 'closing', 'footnote', 'paragraph', 'line')}
body = ' '.join(text.split())
pos = 0
for e in doc.find(D + 'content').iter():
    if e.tag not in prose: continue
    own = [e.text or '']
    for c in e:
        if c.tag == D + 'em': own.append(c.text or '')
        own.append(c.tail or '')
    for t in own:
        for w in t.split():
            j = body.find(w, pos)
            if j < 0: bad('word %r is missing (or out of order)' % w)
            pos = j
EOF
done <<<"$DOCS"
ok "$n layouts: at most 80 columns, no trailing blanks, NFC, motto and date in the right column, number and V/v in the left, signer beside Nơi nhận, every word of the content in order"

# ==== large input: a paragraph of a megabyte, many paragraphs, tables past the layout's limits ====
# (libxslt stops a recursion some thousands deep: the paragraph is wrapped half by half, a
# table of more than 1000 cells or too many columns is printed a row a paragraph)
python3 - "$RES/valid/document-cong-van.xml" "$WORK" <<'PYEOF'
import sys
src = open(sys.argv[1], encoding='utf-8').read()
anchor = '<p>Trong quá trình thực hiện'
def put(name, blocks):
    open('%s/%s.xml' % (sys.argv[2], name), 'w', encoding='utf-8').write(src.replace(anchor, blocks + anchor))
words = ['Nội', 'dung', 'văn', 'bản', 'được', 'viết', 'rất', 'dài', 'để', 'thử', 'việc', 'ngắt', 'dòng', 'Đề_án_“Xoá_mù_chữ”']
put('big-paragraph', '<p>' + ' '.join(words[i % len(words)] for i in range(120000)) + '</p>')
put('many-cells', '<table>' + ''.join('<row>' + ''.join('<cell>%d.%d</cell>' % (r, c) for c in range(5)) + '</row>' for r in range(1200)) + '</table>')
# words longer than a line, and paragraphs that are one word longer than the halving threshold
import random
random.seed(10)
long = ['x' * random.choice([1, 2, 3, 5, 8, 13, 20, 30, 85, 200]) for i in range(3000)] + ['Y' * 700]
put('long-words', '<p>' + ' '.join(long) + '</p><p>' + 'Z' * 600 + '</p><p>a ' + 'Q' * 600 + '</p>')
put('wide-table', '<table>' + ''.join('<row>' + ''.join('<cell>%d.%d</cell>' % (r, c) for c in range(18)) + '</row>' for r in range(3)) + '</table>')
PYEOF
for f in big-paragraph long-words many-cells wide-table; do
	(cd nowhere && expect_exit 0 "$DOCKET" show "$WORK/$f.xml")
	cp "$WORK/out" "$WORK/$f.txt"
done
python3 - "$WORK" <<'PYEOF' || fail "large input"
import sys
w = sys.argv[1]
for f in ('big-paragraph', 'many-cells', 'wide-table'):
    lines = open('%s/%s.txt' % (w, f), encoding='utf-8').read().split('\n')
    if max(len(l) for l in lines if ' ' in l) > 80: print(f, 'a line of words wider than 80'); sys.exit(1)
# the megabyte paragraph: every word, in order, wrapped greedily (each line as full as it can be)
lines = open(w + '/big-paragraph.txt', encoding='utf-8').read().split('\n')
i = next(k for k, l in enumerate(lines) if l.startswith('Nội dung văn bản'))
para = []
while lines[i]:
    para.append(lines[i]); i += 1
words = ' '.join(para).split()
if len(words) != 120000: print('words', len(words)); sys.exit(1)
for a, b in zip(para, para[1:]):
    if len(a) + 1 + len(b.split()[0]) <= 80: print('not greedy:', a); sys.exit(1)
# words longer than the line stand alone on their lines; the rest greedy as before
lines = open(w + '/long-words.txt', encoding='utf-8').read().split('\n')
i = next(k for k, l in enumerate(lines) if l.startswith('x'))
para = []
while lines[i]:
    para.append(lines[i]); i += 1
words = ' '.join(para).split()
if len(words) != 3001 or words[-1] != 'Y' * 700: print('long words lost'); sys.exit(1)
for l in para:
    if len(l) > 80 and ' ' in l: print('a long line holds more than its word'); sys.exit(1)
for a, b in zip(para, para[1:]):
    if len(a) + 1 + len(b.split()[0]) <= 80: print('not greedy:', a[:40]); sys.exit(1)
if 'Z' * 600 not in lines or 'a' not in lines or 'Q' * 600 not in lines: print('one-word paragraphs'); sys.exit(1)
# tables past the limits: a row a line, every cell there
cells = open(w + '/many-cells.txt', encoding='utf-8').read()
if cells.count('| 1199.0 | 1199.1 | 1199.2 | 1199.3 | 1199.4 |') != 1: print('many-cells'); sys.exit(1)
wide = ' '.join(open(w + '/wide-table.txt', encoding='utf-8').read().split())
if '| 2.0 | 2.1 | 2.2 | 2.3 | 2.4 | 2.5 | 2.6 | 2.7 | 2.8 | 2.9 | 2.10 | 2.11 | 2.12 | 2.13 | 2.14 | 2.15 | 2.16 | 2.17 |' not in wide:
    print('wide-table'); sys.exit(1)
PYEOF
ok "large input: a paragraph of 120,000 words wrapped greedily within 80 columns, words of 85 to 700 letters alone on their lines, tables of 6000 cells and 18 columns a row a line"

# ==== the page (page.xsl) in step: the same new parts as HTML ======================================
(cd nowhere && expect_exit 0 "$DOCKET" render "$RES/valid/document-decision-ubnd.xml" -o "$WORK/qd.html")
for s in '<div class="issuer-name">ỦY BAN NHÂN DÂN</div><div class="issuer-name">TỈNH QUẢNG NAM</div>' \
	'<div class="signer-title">TM. ỦY BAN NHÂN DÂN</div><div class="signer-title">KT. CHỦ TỊCH</div><div class="signer-position">PHÓ CHỦ TỊCH</div>' \
	'<p class="para basis">Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;</p>' \
	'<strong>Điều 1.</strong> Ban hành kèm theo Quyết định này' \
	'<span class="division-label">Chương I</span><span class="division-title">QUY ĐỊNH CHUNG</span>' \
	'<div class="signer-title">THƯ KÝ</div>' '<div class="signer-name">Lê Văn Nam</div>'; do
	expect_grep "$s" "$WORK/qd.html"
done
(cd nowhere && expect_exit 0 "$DOCKET" render "$RES/valid/document-cong-van.xml" -o "$WORK/cv.html")
for s in '<th rowspan="2">TT</th>' '<th colspan="2">Dự toán (triệu đồng)</th>' '<caption>Biểu tổng hợp dự toán</caption>' \
	'<p class="para item">1. Về thời gian' '<p class="para item nested depth2">- chi <em>không</em> thường xuyên.</p>' \
	'<div class="vv">V/v Hướng dẫn xây dựng kế hoạch và dự toán ngân sách năm 2025</div>'; do
	expect_grep "$s" "$WORK/cv.html"
done
ok "render: issuer lines, legal bases as printed, authority lines, a second signer, articles and chapters, nested labelled items, a table's spans and caption"
