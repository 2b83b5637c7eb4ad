#!/usr/bin/env bash
# schemas/page.xsl end to end: documents rendered as Decree 30 HTML pages, then as A4 PDF.
#
#   DOCKET_SRC=/path/to/docket DOCKET_PAGE_OUT=/tmp/pages bash tests/page/check-page.sh
#
# DOCKET_SRC       the source tree (default: two levels above this script)
# DOCKET_PAGE_OUT  where the pages, screenshots and PDFs are written and KEPT as artefacts
#                  (default: a new temporary directory, printed at the end)
#
# 1. xsltproc renders the seed plan, the valid report and task fixtures, and the plan as the
#    example walkthrough signed and issued it (tests/page/fixtures), its `verified` parameter
#    computed by xmlsec1 against the fixture's CA; every page is well-formed HTML, self-contained
#    (no script, no external resource, no style attribute, a Content-Security-Policy), and says
#    what the document says: number, place and date, signer, every indicator with every
#    milestone target in its table, report results, the công văn's "V/v", the signature boxes
#    (never "valid" unless the caller said so).
# 2. headless Chromium takes a 794x1123 screenshot (A4 at 96 dpi) and prints each page to PDF;
#    pdfinfo: every page is A4; pdffonts: every font embedded; pdftotext: number, date line
#    and signer are extractable. The same for WeasyPrint's PDFs when weasyprint is installed.
# Needs xsltproc, xmllint, python3; step 2 needs chromium and poppler-utils (else exit 77,
# skipped, after step 1 passed); xmlsec1 is optional (without it the signed page is checked
# as "not verified").
set -euo pipefail

SRC=${DOCKET_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
OUT=${DOCKET_PAGE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/docket-page.XXXXXX")}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
XSL=$SRC/schemas/page.xsl
FIX=$SRC/tests/page/fixtures
export TZ=Asia/Ho_Chi_Minh LC_ALL=C.UTF-8

fail() { echo "FAIL [check-page]: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
has() { grep -qF -- "$2" "$1" || fail "$(basename "$1"): '$2' not found"; }
hasnt() { ! grep -qF -- "$2" "$1" || fail "$(basename "$1"): '$2' should not be there"; }

for tool in xsltproc xmllint python3; do
	command -v $tool >/dev/null || fail "$tool is needed"
done

# render NAME FILE [XSLTPROC-ARGS...]: $OUT/NAME.html
render() {
	local name=$1 file=$2
	shift 2
	xsltproc "$@" "$XSL" "$file" >"$OUT/$name.html" 2>"$OUT/$name.xslt.err" ||
		{ cat "$OUT/$name.xslt.err"; fail "xsltproc $name"; }
	[ ! -s "$OUT/$name.xslt.err" ] || { cat "$OUT/$name.xslt.err"; fail "xsltproc $name said something"; }
}

# wellformed NAME: libxml2's HTML parser has nothing to say, every element is closed in order,
# and the page is self-contained
wellformed() {
	local f=$OUT/$1.html
	xmllint --html --noout "$f" 2>"$OUT/$1.lint" || { cat "$OUT/$1.lint"; fail "$1: xmllint --html"; }
	[ ! -s "$OUT/$1.lint" ] || { cat "$OUT/$1.lint"; fail "$1: xmllint --html complains"; }
	python3 - "$f" <<'EOF' || fail "$1: not well-formed or not self-contained"
import sys
from html.parser import HTMLParser
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.doctype = [], [], None
    def handle_decl(self, d): self.doctype = d
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "iframe", "object", "embed", "link", "img", "base"):
            self.errors.append("element <%s>" % tag)
        if "style" in a: self.errors.append("style attribute on <%s>" % tag)
        for k, v in attrs:
            if k.startswith("on"): self.errors.append("event handler %s" % k)
            if k in ("src", "href") and v and not v.startswith("#"):
                self.errors.append("external reference %s=%s" % (k, v))
        if tag not in VOID: self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID: self.stack.pop()
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("</%s> at %s closes %s" % (tag, self.getpos(), self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()
text = open(sys.argv[1], encoding="utf-8").read()
p = P(); p.feed(text); p.close()
if p.stack: p.errors.append("unclosed: %s" % p.stack)
if (p.doctype or "").lower().split()[:2] != ["doctype", "html"]: p.errors.append("no <!DOCTYPE html>: %r" % p.doctype)
csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
if ('http-equiv="Content-Security-Policy" content="%s"' % csp) not in text: p.errors.append("no CSP meta")
if "@page" not in text or "size: A4" not in text: p.errors.append("no @page A4 rule")
for e in p.errors: print(sys.argv[1] + ": " + e, file=sys.stderr)
sys.exit(1 if p.errors else 0)
EOF
}

# --- 1. the pages -------------------------------------------------------------------------

SEED=$SRC/examples/354-KH-PGDDT.xml
REPORT=$SRC/tests/resources/valid/report-annual.xml
TASK=$SRC/tests/resources/valid/task-assignment.xml
SIGNED=$FIX/kh-2021-354-issued.xml

render seed "$SEED"
render report "$REPORT"
render task "$TASK"
for n in seed report task; do wellformed $n; done
for f in "$SRC"/tests/resources/valid/*.xml; do
	n=valid-$(basename "$f" .xml)
	render "$n" "$f"
	wellformed "$n"
done
has "$OUT/valid-plan-draft-minimal.html" "Số: …/KH-THCP"
has "$OUT/valid-plan-draft-minimal.html" "ngày … tháng … năm …"
has "$OUT/valid-plan-draft-returned.html" '<div class="state">DỰ THẢO</div>'
has "$OUT/valid-plan-draft-returned.html" "0,1<span class=\"note\"> (2020)</span>"
ok "seed plan and every valid fixture render as well-formed, self-contained HTML pages"

S=$OUT/seed.html
has "$S" "Số: 354/KH-PGDĐT"
has "$S" "Cẩm Phả, ngày 11 tháng 5 năm 2021"
has "$S" "UBND THÀNH PHỐ CẨM PHẢ"
has "$S" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
has "$S" "Độc lập - Tự do - Hạnh phúc"
has "$S" ">KẾ HOẠCH<"
has "$S" "Lê Thị Lan"
has "$S" "KT. TRƯỞNG PHÒNG"
has "$S" "PHÓ TRƯỞNG PHÒNG"
has "$S" "Nơi nhận:"
has "$S" "- Lưu: VT, CTTT."
has "$S" "V. TỔ CHỨC THỰC HIỆN"
has "$S" "1.1. Bộ phận CTTT"
has "$S" '<sup class="fnref"><a href="#fn-fn1">1</a></sup>'
has "$S" '<p class="footnote" id="fn-fn1"><sup>1</sup>'
hasnt "$S" 'class="state"'     # recorded as issued on paper: no banner
hasnt "$S" 'class="vv"'        # it has a type name
ok "seed plan: heading, number, date, type, sections, footnote, recipients, signer"

# every indicator of the plan is a row of the table with each of its milestone targets,
# in a decimal-comma cell of that year's column
python3 - "$SEED" "$S" <<'EOF' || fail "seed plan: indicator table"
import sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
NS = {"d": "urn:docket:document:1"}
doc = ET.parse(sys.argv[1]).getroot()
class T(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.rows, self.head, self.cell, self.where = False, [], [], None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "indicators" in (a.get("class") or ""): self.inside = True
        if not self.inside: return
        if tag == "thead": self.where = "head"
        if tag == "tbody": self.where = "body"
        if tag == "tr" and self.where == "body": self.rows.append([])
        if tag in ("td", "th"): self.cell = ""
    def handle_endtag(self, tag):
        if not self.inside: return
        if tag in ("td", "th") and self.cell is not None:
            (self.head if self.where == "head" else self.rows[-1]).append(" ".join(self.cell.split()))
            self.cell = None
        if tag == "table": self.inside = False
    def handle_data(self, d):
        if self.inside and self.cell is not None: self.cell += d
t = T(); t.feed(open(sys.argv[2], encoding="utf-8").read())
rows = {r[0]: r for r in t.rows}
objectives = doc.findall("d:content/d:plan/d:objectives/d:specific/d:objective", NS)
errors, checked = [], 0
for o in objectives:
    inds = o.findall("d:indicator", NS)
    if not inds: errors.append("objective %s has no indicator" % o.get("num"))
    for i in inds:
        r = rows.get(i.get("id"))
        if r is None: errors.append("indicator %s: no row" % i.get("id")); continue
        name = " ".join(i.find("d:name", NS).text.split())
        if r[1] != name: errors.append("indicator %s: name %r" % (i.get("id"), r[1]))
        for tg in i.findall("d:target", NS):
            col = t.head.index("Năm " + tg.get("year"))
            want = tg.get("value").replace(".", ",")
            if tg.get("maintain") == "true": want += " (duy trì)"
            if r[col] != want: errors.append("indicator %s %s: %r, want %r" % (i.get("id"), tg.get("year"), r[col], want))
            checked += 1
if len(objectives) != 7: errors.append("%d objectives, the seed has 7" % len(objectives))
if len(rows) != len(doc.findall(".//d:indicator", NS)): errors.append("%d rows" % len(rows))
# spot checks written out, independent of the loop above
for ind, y25, y30 in (("4.1", "99,5", "100"), ("4.2", "0,08", "0,05"), ("7.2", "80", "90"), ("6", "100", "-")):
    if rows.get(ind, [None])[-2:] != [y25, y30]: errors.append("indicator %s: %r" % (ind, rows.get(ind)))
if rows.get("4.2", [None] * 3)[2] != "< (dưới)": errors.append("indicator 4.2 comparison %r" % rows.get("4.2"))
for e in errors: print("indicator table: " + e, file=sys.stderr)
if not errors: print("ok - seed plan: %d objectives, %d indicators, %d milestone targets in the table" % (len(objectives), len(rows), checked))
sys.exit(1 if errors else 0)
EOF

R=$OUT/report.html
has "$R" "Số: 05/BC-THCP"
has "$R" "Cẩm Phả, ngày 10 tháng 12 năm 2025"
has "$R" "Kính gửi: </span>Phòng Giáo dục và Đào tạo thành phố Cẩm Phả."
has "$R" '<tr id="res-4.1"><td class="c-id">4.1</td><td class="c-num">398</td><td class="c-num">400</td><td class="c-num actual">99,5</td>'
has "$R" "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"
has "$R" "IV. ĐỀ XUẤT, KIẾN NGHỊ"
has "$R" "Nguyễn Thị Hoa"
has "$R" "Trạng thái: ĐÃ TRÌNH"
has "$R" "Chưa kiểm tra (không có chứng thư gốc tin cậy)"   # its placeholder signature
hasnt "$R" "Chữ ký hợp lệ"
ok "report: heading, Kính gửi, results table, parts, state banner, unverified signature box"

K=$OUT/task.html
has "$K" "Số: 412/PGDĐT-CTTT"
has "$K" "Cẩm Phả, ngày 20 tháng 11 năm 2025"
has "$K" '<div class="vv">V/v Báo cáo kết quả thực hiện Chương trình hành động quốc gia vì trẻ em năm 2025</div>'
has "$K" "<span>KHẨN</span>"
has "$K" "15/12/2025"
has "$K" "KT. TRƯỞNG PHÒNG"
has "$K" "Lê Thị Lan"
hasnt "$K" 'class="doctype"'
ok "task (công văn): V/v under the number, no type name, KHẨN, due date, signer"

# the state parameter overrides the document's own
render seed-draft "$SEED" --stringparam state draft
has "$OUT/seed-draft.html" '<div class="state">DỰ THẢO</div>'
ok "state=draft prints the DỰ THẢO banner"

# the signed plan: statuses from xmlsec1 with the fixture's CA, at each signature's own time
render signed-unverified "$SIGNED"
U=$OUT/signed-unverified.html
[ "$(grep -o 'Chưa kiểm tra (không có chứng thư gốc tin cậy)' "$U" | wc -l)" = 3 ] ||
	fail "signed plan without 'verified': three 'not verified' boxes expected"
hasnt "$U" "Chữ ký hợp lệ"
has "$U" ">Phê duyệt<"
has "$U" ">Ban hành / Xác nhận nguồn gốc<"
has "$U" ">Kiểm tra<"
has "$U" "17:10:54 ngày 30/11/2026 (UTC+07:00)"
has "$U" "Số: 01/KH-PGDĐT"
ok "signed plan, nothing verified: three boxes (approval, origin, review), none claims validity"

verified=""
if command -v xmlsec1 >/dev/null; then
	for id in $(xmllint --xpath "//*[local-name()='Signature']/@Id" "$SIGNED" | sed 's/ *Id="\([^"]*\)"/\1 /g'); do
		t=$(xmllint --xpath "string(//*[local-name()='Signature'][@Id='$id']//*[local-name()='SigningTime'])" "$SIGNED")
		# "2026-11-30T17:10:54+07:00" -> GMT "2026-11-30 10:10:54"
		gmt=$(date -u -d "$t" '+%Y-%m-%d %H:%M:%S')
		st=invalid
		xmlsec1 --verify --trusted-pem "$FIX/ca.pem" --enabled-key-data x509 --verification-gmt-time "$gmt" \
			--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content \
			--id-attr:Id urn:docket:document:1:header \
			--node-xpath "//*[local-name()='Signature'][@Id='$id']" "$SIGNED" >/dev/null 2>&1 && st=valid
		verified="$verified $id=$st"
	done
	[ "$verified" = " sig-1=valid sig-2=valid sig-3=valid" ] || fail "xmlsec1 on the signed fixture: $verified"
	ok "xmlsec1 verifies the fixture's three signatures against its CA:$verified"
else
	verified=" sig-1=valid sig-2=valid sig-3=valid"
	echo "# xmlsec1 not installed: statuses as recorded when the fixture was made"
fi
render signed "$SIGNED" --stringparam verified "${verified# }"
V=$OUT/signed.html
wellformed signed
[ "$(grep -o 'Chữ ký hợp lệ (đã kiểm tra)' "$V" | wc -l)" = 3 ] || fail "signed plan: three valid boxes expected"
hasnt "$V" "Chưa kiểm tra"

render signed-mixed "$SIGNED" --stringparam verified 'sig-2=invalid sig-3=unknown sig-30=valid'
M=$OUT/signed-mixed.html
has "$M" "CHỮ KÝ KHÔNG HỢP LỆ"
has "$M" "Không xác định được hiệu lực chữ ký"
[ "$(grep -o 'Chưa kiểm tra (không có chứng thư gốc tin cậy)' "$M" | wc -l)" = 1 ] || fail "signed-mixed: sig-1 should be 'not verified'"
hasnt "$M" "Chữ ký hợp lệ"     # sig-30 is not sig-3
ok "verified: valid, invalid, unknown and absent ids each shown as such"

# the certificate subject's CN, when the signature carries a ds:X509SubjectName (docket writes
# only the certificate; KeyInfo is outside what is signed, so adding the name breaks nothing)
python3 - "$SIGNED" "$OUT/signed-subject.xml" <<'EOF'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace("<ds:X509Data>", "<ds:X509Data>\n<ds:X509SubjectName>CN=Lê Thị Lan,emailAddress=lan@pgd.example</ds:X509SubjectName>", 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
EOF
render signed-subject "$OUT/signed-subject.xml"
has "$OUT/signed-subject.html" 'Người ký: </span>Lê Thị Lan</div>'
ok "a ds:X509SubjectName's CN is shown as the signer"

# --- 2. Chromium: screenshot and PDF ------------------------------------------------------

missing=""
for tool in chromium pdfinfo pdftotext pdffonts; do
	command -v $tool >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "# skip: not installed:$missing (apt-get install chromium poppler-utils fonts-liberation2)"
	echo "# pages in $OUT"
	exit 77
fi

PROFILE=$OUT/.chromium-profile
chrome() {
	timeout 180 chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --no-first-run \
		--user-data-dir="$PROFILE" --disable-extensions --disable-sync "$@" >"$OUT/chromium.log" 2>&1 ||
		{ tail -20 "$OUT/chromium.log"; fail "chromium $*"; }
}
for n in seed report task signed; do
	chrome --window-size=794,1123 --screenshot="$OUT/$n.png" "file://$OUT/$n.html"
	python3 - "$OUT/$n.png" <<'EOF' || fail "$n.png is not a 794x1123 PNG"
import struct, sys
b = open(sys.argv[1], "rb").read(24)
sys.exit(0 if b[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", b[16:24]) == (794, 1123) else 1)
EOF
	chrome --no-pdf-header-footer --print-to-pdf="$OUT/$n.pdf" "file://$OUT/$n.html"
	pages=$(pdfinfo "$OUT/$n.pdf" | sed -n 's/^Pages: *//p')
	[ "${pages:-0}" -ge 1 ] || fail "$n.pdf has no pages"
	bad=$(pdfinfo -f 1 -l "$pages" "$OUT/$n.pdf" | grep '^Page .* size:' |
		grep -Evc 'size: +59[45]\.[0-9]+ x 841\.[0-9]+ pts' || true)
	[ "$bad" = 0 ] || { pdfinfo -f 1 -l "$pages" "$OUT/$n.pdf" | grep size; fail "$n.pdf: $bad page(s) not A4"; }
	pdffonts "$OUT/$n.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
		{ pdffonts "$OUT/$n.pdf"; fail "$n.pdf: a font is not embedded"; }
	pdftotext -layout "$OUT/$n.pdf" "$OUT/$n.txt"
	echo "ok - $n: $n.png 794x1123, $n.pdf $pages A4 page(s), fonts embedded"
done
rm -rf "$PROFILE"

# WeasyPrint, the converter docs/rendering.md recommends, when installed: same checks
if command -v weasyprint >/dev/null; then
	for n in seed report task signed; do
		timeout 180 weasyprint "$OUT/$n.html" "$OUT/$n.weasyprint.pdf" 2>"$OUT/weasyprint.log" ||
			{ cat "$OUT/weasyprint.log"; fail "weasyprint $n"; }
		pages=$(pdfinfo "$OUT/$n.weasyprint.pdf" | sed -n 's/^Pages: *//p')
		bad=$(pdfinfo -f 1 -l "$pages" "$OUT/$n.weasyprint.pdf" | grep '^Page .* size:' |
			grep -Evc 'size: +595\.[0-9]+ x 841\.[0-9]+ pts' || true)
		[ "$bad" = 0 ] || fail "$n.weasyprint.pdf: $bad page(s) not A4"
		pdffonts "$OUT/$n.weasyprint.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
			fail "$n.weasyprint.pdf: a font is not embedded"
		pdftotext -layout "$OUT/$n.weasyprint.pdf" "$OUT/$n.weasyprint.txt"
	done
	has "$OUT/seed.weasyprint.txt" "Số: 354/KH-PGDĐT"
	has "$OUT/seed.weasyprint.txt" "Cẩm Phả, ngày 11 tháng 5 năm 2021"
	has "$OUT/seed.weasyprint.txt" "Lê Thị Lan"
	ok "weasyprint: every page A4, fonts embedded, number, date line and signer extractable"
else
	echo "# weasyprint not installed: its PDFs not checked"
fi

T=$OUT/seed.txt
has "$T" "Số: 354/KH-PGDĐT"
has "$T" "Cẩm Phả, ngày 11 tháng 5 năm 2021"
has "$T" "Lê Thị Lan"
has "$T" "KT. TRƯỞNG PHÒNG"
has "$T" "99,5"
has "$OUT/report.txt" "Số: 05/BC-THCP"
has "$OUT/task.txt" "V/v Báo cáo kết quả thực hiện"
has "$OUT/signed.txt" "Chữ ký hợp lệ (đã kiểm tra)"
ok "pdftotext finds the number, the date line, the signer and the figures"

echo "# pages, screenshots and PDFs kept in $OUT"
