#!/usr/bin/env bash
# docket render and docket site (issue 13): the seed plan walked through its workflow with
# signed review, approval and issue (as t0400 builds it), then
# - render html: with --trust every signature box says valid, without one none does; the
#   page is what xsltproc makes with the pinned page.xsl and the same `verified`; a tampered
#   signature (in a file) and tampered content (committed with plain git) show invalid; the
#   repository's pinned stylesheet is used, and one that reads a file is refused; -o writes
#   atomically; errors and exit codes;
# - render pdf through WeasyPrint: every page A4 (pdfinfo), the number, the date line and the
#   signer in pdftotext's text; a missing weasyprint is exit 3 naming the Debian package, a
#   failing one exit 3 with its message, and neither leaves a file behind;
# - render and show of a FILE outside any repository;
# - site: index lists every document, every page and timeline exists, every link resolves
#   (python3 checks each href and fragment), a subject with <script> markup (hostile fixture
#   tests/resources/web/script-subject.xml) is escaped in index and timeline; a non-empty
#   OUTDIR is refused unless --force, nothing is left beside it;
# - headless Chromium (--dump-dom, --enable-logging=stderr, --log-net-log) loads the index and
#   a document page: no console message, no request the page made outside file:// (the check
#   is shown to fail on a page that does both). Skipped when chromium is not installed.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
CA=$WORK/ca/ca.pem
VALID="Chữ ký hợp lệ (đã kiểm tra)"
INVALID="CHỮ KÝ KHÔNG HỢP LỆ"
UNVERIFIED="Chưa kiểm tra (không có chứng thư gốc tin cậy)"

d() { "$DOCKET" -C "$R" "$@"; }
# count FILE TEXT: how many times TEXT occurs in FILE
count() { grep -oF -- "$2" "$1" | wc -l; }
# boxes FILE VALID INVALID UNVERIFIED: the signature boxes of FILE say exactly that
boxes() {
	local got
	got="$(count "$1" "$VALID") $(count "$1" "$INVALID") $(count "$1" "$UNVERIFIED")"
	[ "$got" = "$2 $3 $4" ] || fail "$1: valid/invalid/not-verified boxes $got, expected $2 $3 $4"
}
# no_temp DIR: nothing docket writes on the way (NAME.tmp.XXXXXX, .NAME.new/old.XXXXXX) is left
no_temp() {
	! ls -A "$1" | grep -E '\.tmp\.|\.new\.|\.old\.' || fail "temporary files left in $1"
}

# ==== a signed, issued seed plan ===========================================================
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 d unit add VT --name "Văn thư" --parent LD
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
expect_exit 0 d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" \
	--unit CTTT --role drafter --email hoa@pgd.example
expect_exit 0 d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" \
	--unit CTTT --role reviewer --email minh@pgd.example
expect_exit 0 d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" \
	--unit LD --role approver --email lan@pgd.example
expect_exit 0 d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" \
	--unit VT --role clerk --email thu@pgd.example
enrol "$R" admin admin hoa minh lan thu # every action is signed by its actor, the administrator first

export DOCKET_NOW=2021-05-10T08:00:00+07:00
expect_exit 0 d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 d --as hoa submit "$DOC" -m "Trình lãnh đạo phòng xem xét"
expect_exit 0 d --as minh review "$DOC"
expect_exit 0 d --as lan approve "$DOC"
export DOCKET_NOW=2021-05-11T09:00:00+07:00
expect_exit 0 d --as thu issue "$DOC"
unset DOCKET_NOW
NSIG=$(grep -c '<ds:Signature ' "$R/$F")
[ "$NSIG" = 3 ] || fail "the issued plan has $NSIG signatures, expected 3 (review, approval, origin)"
ok "seed plan submitted, reviewed, approved and issued with three signatures"

# ==== render html ===========================================================================
expect_exit 0 d render "$DOC" --trust "$CA"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "render printed on stderr"; }
cp "$WORK/out" "$WORK/trusted.html"
boxes "$WORK/trusted.html" 3 0 0
for s in "Số: 01/KH-PGDĐT" "Cẩm Phả, ngày 11 tháng 5 năm 2021" "Lê Thị Lan" "KT. TRƯỞNG PHÒNG" \
	">Phê duyệt<" ">Ban hành / Xác nhận nguồn gốc<" ">Kiểm tra<" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"; do
	expect_grep "$s" "$WORK/trusted.html"
done
# the same bytes as xsltproc with the pinned stylesheet and the verdicts docket reached
git -C "$R" show "main:.docket/schemas/page.xsl" >"$WORK/pinned.xsl"
xsltproc --stringparam verified "sig-1=valid sig-2=valid sig-3=valid" "$WORK/pinned.xsl" "$R/$F" >"$WORK/xslt.html"
cmp -s "$WORK/trusted.html" "$WORK/xslt.html" || { diff "$WORK/trusted.html" "$WORK/xslt.html" | head; fail "render --trust differs from xsltproc"; }
ok "render --trust: three boxes say '$VALID'; number, date, signer; byte for byte xsltproc's page"

expect_exit 0 d render "$DOC"
cp "$WORK/out" "$WORK/untrusted.html"
boxes "$WORK/untrusted.html" 0 0 3
xsltproc "$WORK/pinned.xsl" "$R/$F" | cmp -s - "$WORK/untrusted.html" || fail "render without --trust differs from xsltproc"
# the user's own trust anchor is one (never the repository's): ~/.config/docket/trust.pem
mkdir -p "$HOME/.config/docket" && cp "$CA" "$HOME/.config/docket/trust.pem"
expect_exit 0 d render "$DOC"
boxes "$WORK/out" 3 0 0
rm "$HOME/.config/docket/trust.pem"
ok "render without a trust anchor: no box says valid, all three 'not verified'; ~/.config/docket/trust.pem is one"

# --rev: the plan as approved, before issue: no number yet, a state banner
expect_exit 0 d render "$DOC" --rev main~1 --trust "$CA"
expect_grep 'class="state"' "$WORK/out"
expect_grep "Số: …/KH-PGDĐT" "$WORK/out"
boxes "$WORK/out" 2 0 0
ok "render --rev main~1: the approved plan, unnumbered, with its banner and two valid signatures"

# a tampered signature value in a file: that box says invalid, the others valid
cp "$R/$F" "$WORK/tampered.xml"
SIG=sig-2 perl -0pi -e 's{(<ds:Signature [^>]*Id="\Q$ENV{SIG}\E">.*?<ds:SignatureValue>)(.)(.)}{$1 . $3 . $2}se or die' "$WORK/tampered.xml"
cmp -s "$R/$F" "$WORK/tampered.xml" && fail "the tampering changed nothing"
expect_exit 0 "$DOCKET" render "$WORK/tampered.xml" --trust "$CA"
boxes "$WORK/out" 2 1 0
expect_grep "$INVALID" "$WORK/out"
# tampered content committed with plain git: every signature covers it
cp -a "$R" "$WORK/forged"
sed -i 's/99.5/98.5/' "$WORK/forged/$F"
git -C "$WORK/forged" commit -q -a -m "forged edit"
expect_exit 0 "$DOCKET" -C "$WORK/forged" render "$DOC" --trust "$CA"
boxes "$WORK/out" 0 3 0
ok "a tampered signature value shows that box '$INVALID'; content changed behind docket's back shows all three invalid"

# the repository's pinned stylesheet is the one used; one that reads a file is refused
cp -a "$R" "$WORK/styled"
sed -i 's/Độc lập - Tự do - Hạnh phúc/Độc lập - Tự do - Hạnh phúc (restyled)/' "$WORK/styled/.docket/schemas/page.xsl"
git -C "$WORK/styled" commit -q -a -m "restyle"
expect_exit 0 "$DOCKET" -C "$WORK/styled" render "$DOC"
expect_grep "Hạnh phúc (restyled)" "$WORK/out"
expect_exit 0 "$DOCKET" -C "$WORK/styled" render "$DOC" --rev main~1
! grep -qF "(restyled)" "$WORK/out" || fail "render --rev used the stylesheet of the tip"
perl -0pi -e 's{<xsl:param name="state" select="\x27\x27"/>}{<xsl:param name="state" select="document(\x27/etc/passwd\x27)"/>}' \
	"$WORK/styled/.docket/schemas/page.xsl"
grep -q "document('/etc/passwd')" "$WORK/styled/.docket/schemas/page.xsl" || fail "cannot plant document() in page.xsl"
git -C "$WORK/styled" commit -q -a -m "hostile stylesheet"
expect_exit 3 "$DOCKET" -C "$WORK/styled" render "$DOC"
! grep -q "root:" "$WORK/out" "$WORK/err" || fail "the stylesheet read /etc/passwd"
expect_grep "docket: cannot render '$DOC'" "$WORK/err"
ok "the pinned page.xsl at the revision rendered is used; a pinned stylesheet reading /etc/passwd fails (exit 3), nothing read"

# -o: written atomically, the same bytes; errors
mkdir "$WORK/o"
echo old >"$WORK/o/page.html"
expect_exit 0 d render "$DOC" --trust "$CA" -o "$WORK/o/page.html"
[ ! -s "$WORK/out" ] || fail "render -o FILE wrote on stdout"
cmp -s "$WORK/o/page.html" "$WORK/trusted.html" || fail "render -o differs from stdout"
expect_exit 0 d render "$DOC" --trust "$CA" -o -
cmp -s "$WORK/out" "$WORK/trusted.html" || fail "render -o - differs"
no_temp "$WORK/o"
expect_exit 2 d render "$DOC" --format docx
expect_grep "unknown format 'docx'" "$WORK/err"
expect_exit 2 d render "$DOC" --format pdf
expect_grep "a PDF needs -o FILE" "$WORK/err"
expect_exit 2 d render "$DOC" --format pdf -o -
expect_exit 3 d render no-such-document
expect_grep "docket: cannot render 'no-such-document'" "$WORK/err"
expect_exit 3 d render "$DOC" --trust "$WORK/no-such-ca.pem"
expect_exit 3 d render "$DOC" -o "$WORK/no-such-dir/page.html"
expect_exit 2 d render "$EXAMPLES/354-KH-PGDDT.xml" --rev main
ok "render -o: atomic, same bytes, no temporary left; unknown format, PDF to stdout, --rev with a file: exit 2; no document, unreadable trust anchor, unwritable output: exit 3"

# ==== render pdf ============================================================================
mkdir "$WORK/emptybin" "$WORK/fakebin"
expect_exit 3 env PATH="$WORK/emptybin" "$DOCKET" -C "$R" render "$DOC" --format pdf -o "$WORK/o/x.pdf"
expect_grep "'weasyprint' is not installed (Debian package 'weasyprint'" "$WORK/err"
[ ! -e "$WORK/o/x.pdf" ] || fail "a PDF file appeared without weasyprint"
printf '#!/bin/sh\necho "WeasyPrint could not do it: boom" >&2\nexit 1\n' >"$WORK/fakebin/weasyprint"
chmod +x "$WORK/fakebin/weasyprint"
expect_exit 3 env PATH="$WORK/fakebin:$PATH" "$DOCKET" -C "$R" render "$DOC" --format pdf -o "$WORK/o/x.pdf"
expect_grep "'weasyprint' failed (exit status 1): WeasyPrint could not do it: boom" "$WORK/err"
[ ! -e "$WORK/o/x.pdf" ] || fail "a PDF file appeared although weasyprint failed"
no_temp "$WORK/o"
ok "no weasyprint: exit 3 naming the Debian package; a failing one: exit 3 with its message; no file left"

if command -v weasyprint >/dev/null && command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null; then
	expect_exit 0 d render "$DOC" --format pdf -o "$WORK/o/354.pdf" --trust "$CA"
	pages=$(pdfinfo "$WORK/o/354.pdf" | sed -n 's/^Pages: *//p')
	[ "${pages:-0}" -ge 2 ] || fail "354.pdf has ${pages:-no} pages"
	bad=$(pdfinfo -f 1 -l "$pages" "$WORK/o/354.pdf" | grep '^Page .* size:' |
		grep -Evc 'size: +595\.[0-9]+ x 841\.[0-9]+ pts' || true)
	[ "$bad" = 0 ] || fail "354.pdf: $bad page(s) not A4"
	pdftotext "$WORK/o/354.pdf" "$WORK/354.txt"
	for s in "Số: 01/KH-PGDĐT" "Cẩm Phả, ngày 11 tháng 5 năm 2021" "Lê Thị Lan" "$VALID"; do
		expect_grep "$s" "$WORK/354.txt"
	done
	no_temp "$WORK/o"
	ok "render --format pdf: $pages pages, every one A4; pdftotext finds the number, the date line, the signer, valid boxes"
else
	echo "# weasyprint or poppler-utils not installed: the PDF itself not checked"
fi

# ==== render and show of a file outside any repository =====================================
mkdir "$WORK/outside"
(
	cd "$WORK/outside"
	expect_exit 0 "$DOCKET" render "$EXAMPLES/354-KH-PGDDT.xml" -o seed.html
	xsltproc "$DOCKET_SRC/schemas/page.xsl" "$EXAMPLES/354-KH-PGDDT.xml" | cmp -s - seed.html ||
		fail "render FILE outside a repository is not the built-in page.xsl's page"
	expect_grep "Số: 354/KH-PGDĐT" seed.html
	expect_exit 0 "$DOCKET" show "$EXAMPLES/354-KH-PGDDT.xml"
	xsltproc "$DOCKET_SRC/schemas/text.xsl" "$EXAMPLES/354-KH-PGDDT.xml" | cmp -s - "$WORK/out" ||
		fail "show FILE outside a repository is not text.xsl's text"
	expect_exit 0 "$DOCKET" show "$EXAMPLES/354-KH-PGDDT.xml" --format xml
	cmp -s "$WORK/out" "$EXAMPLES/354-KH-PGDDT.xml" || fail "show FILE --format xml is not the file"
	expect_exit 3 "$DOCKET" render kh-2021-354
	expect_grep "no such file, and" "$WORK/err"
	expect_exit 1 "$DOCKET" render "$DOCKET_SRC/tests/resources/hostile/xxe-file.xml"
	expect_grep "DTD" "$WORK/err"
)
ok "render and show FILE outside any repository: the built-in stylesheets' output; an id there: exit 3; a hostile file: exit 1"

# ==== site ==================================================================================
expect_exit 0 d --as hoa add --draft "$RES/web/script-subject.xml"
expect_exit 0 d --as hoa add --draft "$RES/valid/plan-draft-minimal.xml"
expect_exit 0 d site "$WORK/site" --trust "$CA"
expect_grep "3 documents, signatures verified" "$WORK/out"
S=$WORK/site
for id in $(git -C "$R" ls-tree -r --name-only main documents/ | sed -n 's|.*/\([^/]*\)\.xml$|\1|p'); do
	[ -s "$S/doc/$id.html" ] || fail "site: no page doc/$id.html"
	[ -s "$S/log/$id.html" ] || fail "site: no timeline log/$id.html"
	expect_grep "href=\"doc/$id.html\"" "$S/index.html"
	expect_grep "href=\"log/$id.html\"" "$S/index.html"
done
cmp -s "$S/doc/$DOC.html" "$WORK/trusted.html" || fail "site: the page of $DOC is not render --trust's"
for s in "Kế hoạch (plan)" "Năm 2021" "01/KH-PGDĐT" "Bộ phận Chính trị tư tưởng" "issued" "draft" \
	"Thực hiện Chương trình hành động quốc gia vì trẻ em ngành giáo dục giai đoạn 2021-2030"; do
	expect_grep "$s" "$S/index.html"
done
L=$S/log/$DOC.html
for s in "Lê Thị Lan" "PHÓ TRƯỞNG PHÒNG" "Phạm Thị Thu" "approve" "reviewed → approved" \
	"approved → issued" "Trình lãnh đạo phòng xem xét" "sig-2 (approval): " "— valid</div>"; do
	expect_grep "$s" "$L"
done
! grep -qF "INVALID" "$L" || fail "a signature is invalid in the timeline"
ok "site: index lists every document by kind and year (number, subject, state, unit name), a page and a timeline each"

# the hostile subject is text everywhere
for f in "$S/index.html" "$S/log/kh-2021-script.html" "$S/doc/kh-2021-script.html"; do
	! grep -qi "<script\|<img\|<style>body\|onerror=alert(1)>" "$f" || fail "$f: markup from the document reached the page"
done
expect_grep '&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; &#39;quoted&#39; &amp; &lt;/td&gt;&lt;/table&gt;' "$S/index.html"
expect_grep '&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;' "$S/log/kh-2021-script.html"
ok "site: the subject '<script>…' of the hostile fixture is escaped in the index, its timeline and its page"

# every link of every page resolves: the file exists inside the site, the fragment exists in it
python3 - "$S" <<'EOF' || fail "site: broken or external links"
import os, sys, urllib.parse
from html.parser import HTMLParser
root = os.path.realpath(sys.argv[1])
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        for k in ("href", "src", "action"):
            if k in a: self.links.append((tag, k, a[k]))
pages = {}
for d, _, files in os.walk(root):
    for f in files:
        if f.endswith(".html"):
            p = P(); p.feed(open(os.path.join(d, f), encoding="utf-8").read()); p.close()
            pages[os.path.join(d, f)] = p
errors, n = [], 0
for path, p in pages.items():
    for tag, k, v in p.links:
        n += 1
        u = urllib.parse.urlsplit(v)
        if u.scheme or u.netloc or v.startswith("/"):
            errors.append("%s: external or absolute %s=%s" % (path, k, v)); continue
        target = os.path.realpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(u.path))) if u.path else path
        if not target.startswith(root + os.sep) or target not in pages:
            errors.append("%s: %s=%s does not resolve inside the site" % (path, k, v)); continue
        if u.fragment and u.fragment not in pages[target].ids:
            errors.append("%s: %s=%s: no id '%s'" % (path, k, v, u.fragment))
for e in errors: print(e, file=sys.stderr)
print("ok - site: %d pages, %d links, every one relative and resolving" % (len(pages), n))
sys.exit(1 if errors else 0)
EOF

# OUTDIR: refused when not empty, replaced whole with --force, nothing left beside it
sum_before=$(find "$S" -type f -exec sha256sum {} + | sort | sha256sum)
expect_exit 1 d site "$S"
expect_grep "is not empty (--force replaces it)" "$WORK/err"
[ "$(find "$S" -type f -exec sha256sum {} + | sort | sha256sum)" = "$sum_before" ] || fail "a refused site changed OUTDIR"
touch "$S/stale.html"
expect_exit 0 d site "$S" --force
expect_grep "signatures not verified (no trust anchor)" "$WORK/out"
[ ! -e "$S/stale.html" ] || fail "site --force kept a file of the old site"
boxes "$S/doc/$DOC.html" 0 0 3
expect_grep "not verified (no trust anchor)" "$S/log/$DOC.html"
no_temp "$WORK"
mkdir "$WORK/empty-out"
expect_exit 0 d site "$WORK/empty-out/"
[ -s "$WORK/empty-out/index.html" ] || fail "site into an empty directory"
echo x >"$WORK/a-file"
expect_exit 1 d site "$WORK/a-file"
expect_grep "is not a directory" "$WORK/err"
expect_exit 3 "$DOCKET" -C "$WORK/outside" site "$WORK/site2"
no_temp "$WORK"
ok "site: a non-empty OUTDIR refused (exit 1, unchanged); --force replaces it whole; an empty one filled; a file refused; no repository: exit 3"

# ==== headless Chromium: no console message, no request outside file:// ===================
if ! command -v chromium >/dev/null; then
	echo "# chromium not installed: the browser check skipped"
	exit 0
fi
# load URL: dump the DOM to $WORK/dom, the log to $WORK/chrome.err, the net log to $WORK/net.json
load() {
	rm -rf "$WORK/profile" "$WORK/net.json"
	timeout 180 chromium --headless --disable-gpu --no-sandbox --no-first-run --hide-scrollbars \
		--user-data-dir="$WORK/profile" --disable-extensions --disable-sync --disable-background-networking \
		--enable-logging=stderr --log-net-log="$WORK/net.json" --dump-dom "$1" >"$WORK/dom" 2>"$WORK/chrome.err" ||
		{ tail -20 "$WORK/chrome.err"; fail "chromium $1"; }
}
# quiet URL: the page logged nothing to its console and requested nothing but file:// URLs
# (the browser's own background requests have no page initiator and are not counted)
quiet() {
	load "$1"
	if grep -F ':CONSOLE' "$WORK/chrome.err"; then return 1; fi
	python3 - "$WORK/net.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
names = {v: k for k, v in d["constants"]["logEventTypes"].items()}
bad = [e["params"]["url"] for e in d["events"]
       if names.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in e.get("params", {})
       and not e["params"]["url"].startswith("file:")
       and e["params"].get("initiator") != "not an origin"]
for u in bad: print("request by the page: " + u)
sys.exit(1 if bad else 0)
EOF
}
quiet "file://$S/index.html" || fail "index.html: console message or request outside file://"
expect_grep "Danh mục văn bản" "$WORK/dom"
quiet "file://$S/doc/$DOC.html" || fail "doc/$DOC.html: console message or request outside file://"
expect_grep "Số: 01/KH-PGDĐT" "$WORK/dom"
quiet "file://$S/log/kh-2021-script.html" || fail "log/kh-2021-script.html: console message or request outside file://"
# the check can fail: a page that loads an image from the network and breaks its own CSP
printf '<!DOCTYPE html><html><body><img src="http://192.0.2.1/x.png"></body></html>' >"$WORK/leak.html"
! quiet "file://$WORK/leak.html" >/dev/null || fail "the browser check misses a request to the network"
printf '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src %s"></head><body><img src="x.png"></body></html>' "'none'" >"$WORK/csp.html"
! quiet "file://$WORK/csp.html" >/dev/null || fail "the browser check misses a console message"
ok "chromium (--dump-dom, net log): index, a page and a hostile timeline load with no console message and no request outside file://; the check catches both"
