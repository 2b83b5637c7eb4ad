#!/usr/bin/env bash
# docket serve: every free-text field of a draft through /doc/ID/edit (curl). The report
# skeleton's form has each field with its label (subject, preamble, a narrative per task
# group of the plan, difficulties, proposals, closing; a note per result once the figures
# are in); the plan's has its subject, preamble and closing. Editing one narrative records
# exactly one commit, whose trailers are those of `docket commit` of the same file (run on a
# copy of the repository); text with markup in it is stored as text (python3 reads the
# committed XML) and comes back in the form escaped, so that sending the form back as it is
# changes nothing (400, nothing written). Refused, with the refs and the object count
# unchanged: an edit of the issued plan (not an editable state), a change to a field with
# italics or footnote marks (the form cannot keep them), an emptied subject.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/setup.sh"
command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }

export DOCKET_NOW=2025-12-05T09:00:00+07:00
DOC=bc-2025-th-qt-1
F=documents/report/2025/TH-QT/$DOC.xml
serve gv --as gv-qt --trust "$CA"
serve hoa --as hoa --trust "$CA"

get() {
	curl -s -b "$WORK/jar.$1" -c "$WORK/jar.$1" -D "$WORK/headers" -o "$WORK/page" -w '%{http_code}' "${@:3}" "$2" >"$WORK/code"
}
# post NAME URL [CURL-ARGS...]: a form (the fields as --data-urlencode arguments)
post() {
	curl -s -b "$WORK/jar.$1" -c "$WORK/jar.$1" -D "$WORK/headers" -o "$WORK/page" -w '%{http_code}' "${@:3}" "$2" >"$WORK/code"
}
status_is() { [ "$(cat "$WORK/code")" = "$1" ] || { cat "$WORK/page"; fail "$2: HTTP $(cat "$WORK/code"), expected $1"; }; }
token() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/page" | head -1; }
unchanged() {
	local what=$1 before
	shift
	before=$(snapshot "$R")
	"$@"
	[ "$(snapshot "$R")" = "$before" ] || fail "$what wrote something"
}
# the textarea NAME of the page, as a browser would send it back (entities decoded, the
# newline after the start tag dropped)
field() {
	python3 - "$WORK/page" "$1" <<'EOF'
import html, re, sys
page = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<textarea[^>]* name="%s"[^>]*>\n?(.*?)</textarea>' % re.escape(html.escape(sys.argv[2])), page, re.S)
if not m:
    sys.exit('no textarea %s' % sys.argv[2])
sys.stdout.write(html.unescape(m.group(1)))
EOF
}

# --- the report's form: every field with its label ------------------------------------------------
get gv "$URL_gv/doc/$DOC/edit"
status_is 200 "the report's edit page"
for label in "Trích yếu (subject)" "Lời mở đầu, căn cứ (preamble)" "Khó khăn, vướng mắc (difficulties)" \
	"Đề xuất, kiến nghị (proposals)" "Đoạn kết (closing)" "(narrative)"; do
	expect_grep "$label" "$WORK/page"
done
groups=$(python3 -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
print(" ".join(n.get("group") for n in r.iter("{urn:docket:document:1}narrative") if n.get("group")))' "$R/$F")
[ -n "$groups" ] || fail "the skeleton has no narrative of a task group"
for g in $groups; do
	grep -qF "name=\"narrative:$g\"" "$WORK/page" || fail "no field for the narrative of group $g"
done
grep -q 'name="note:' "$WORK/page" && fail "a note field before any result"
T=$(token)
G=${groups%% *}
ok "the report's form: subject, preamble, a narrative per task group ($groups), difficulties, proposals, closing, each labelled"

# --- a narrative edited: one commit, the CLI's trailers -----------------------------------------------
cp -a "$R" "$WORK/cli"
TEXT=$'- <b>Đã</b> tổ chức 3 buổi & "chuyên đề" <script>alert(1)</script>\nHọc sinh tham gia đầy đủ; <!-- không phải chú thích --> &amp;'
before=$(git -C "$R" rev-list --count HEAD)
post gv "$URL_gv/doc/$DOC/edit" --data-urlencode "narrative:$G=$TEXT" --data-urlencode "message=Viết kết quả nhiệm vụ" \
	--data-urlencode "csrf=$T"
status_is 303 "the narrative's edit"
[ "$(git -C "$R" rev-list --count HEAD)" = $((before + 1)) ] || fail "the edit is not exactly one commit"
[ "$(git -C "$R" diff --name-only HEAD~1 HEAD)" = "$F" ] || fail "the edit changed another file"
git -C "$R" show "HEAD:$F" >"$WORK/cli/$F"
expect_exit 0 "$DOCKET" -C "$WORK/cli" --as gv-qt commit $DOC -m "Viết kết quả nhiệm vụ"
trailers() { git -C "$1" log -1 --format='%an <%ae>%n%B' | grep -v '^Docket-Commit-Id'; }
diff -u <(trailers "$WORK/cli") <(trailers "$R") || fail "the web's commit differs from docket commit's"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Action: edit" || fail "no edit trailer"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Actor: gv-qt" || fail "no actor trailer"
[ "$(git -C "$R" rev-parse HEAD^{tree})" = "$(git -C "$WORK/cli" rev-parse HEAD^{tree})" ] ||
	fail "the web's tree differs from docket commit's"
ok "a narrative edited: exactly one commit, its author, message and trailers those of docket commit of the same file"

# --- markup typed is text ------------------------------------------------------------------------------
python3 - "$R/$F" "$G" "$TEXT" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = '{urn:docket:document:1}'
r = ET.parse(sys.argv[1]).getroot()
n = [n for n in r.iter(ns + 'narrative') if n.get('group') == sys.argv[2]][0]
blocks = [(b.tag[len(ns):], b.text or '', len(list(b))) for b in n]
want = [('item', '<b>Đã</b> tổ chức 3 buổi & "chuyên đề" <script>alert(1)</script>', 0),
        ('p', 'Học sinh tham gia đầy đủ; <!-- không phải chú thích --> &amp;', 0)]
if blocks != want:
    sys.exit('the narrative is %r, expected %r' % (blocks, want))
EOF
expect_exit 0 d validate "$R/$F"
get gv "$URL_gv/doc/$DOC/edit"
status_is 200 "the edit page after the edit"
grep -qE '<b>|<script>|<!-- không' "$WORK/page" && fail "the typed markup is markup in the form"
expect_grep '&lt;b&gt;Đã&lt;/b&gt; tổ chức 3 buổi &amp; &quot;chuyên đề&quot;' "$WORK/page"
[ "$(field "narrative:$G")" = "$TEXT" ] || { field "narrative:$G"; fail "the field does not come back as it was typed"; }
T=$(token)
unchanged "the form sent back as it is" post gv "$URL_gv/doc/$DOC/edit" --data-urlencode "narrative:$G=$(field "narrative:$G")" \
	--data-urlencode "subject=$(field subject)" --data-urlencode "csrf=$T"
status_is 400 "the form sent back unchanged"
expect_grep "nothing was changed" "$WORK/page"
get gv "$URL_gv/doc/$DOC/page"
grep -qE '<b>Đã|<script>alert' "$WORK/page" && fail "the typed markup is markup in the A4 page"
ok "markup typed into a field is stored as text (python3 reads it back), shown escaped, and round-trips: sent back as it is, nothing changes"

# --- the other fields: the subject, the preamble made, the difficulties; notes once there are results --
post gv "$URL_gv/doc/$DOC/edit" --data-urlencode "subject=Báo cáo kết quả năm 2025 <của trường>" \
	--data-urlencode "preamble=Thực hiện Kế hoạch số 354/KH-PGDĐT," --data-urlencode $'difficulties=Thiếu phòng học\n- Thiếu giáo viên' \
	--data-urlencode "csrf=$T"
status_is 303 "subject, preamble and difficulties"
python3 - "$R/$F" <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = '{urn:docket:document:1}'
r = ET.parse(sys.argv[1]).getroot()
assert r.find(ns + 'header/' + ns + 'subject').text == 'Báo cáo kết quả năm 2025 <của trường>'
c = r.find(ns + 'content')
assert list(c)[0].tag == ns + 'preamble' and list(c)[0].text == 'Thực hiện Kế hoạch số 354/KH-PGDĐT,', list(c)[0].tag
d = [(b.tag[len(ns):], b.text) for b in c.find(ns + 'report/' + ns + 'difficulties')]
assert d == [('p', 'Thiếu phòng học'), ('item', 'Thiếu giáo viên')], d
EOF
expect_exit 0 d validate "$R/$F"
perl -0pi -e 's/^[ \t]*<!-- docket: the figures[^\n]*\n//m; s/^[ \t]*-->\n//m; s/numerator="…" denominator="…" value="…"/numerator="1" denominator="1" value="100"/g' "$R/$F"
expect_exit 0 d --as gv-qt commit $DOC -m "Số liệu"
get gv "$URL_gv/doc/$DOC/edit"
expect_grep 'Ghi chú chỉ tiêu 4.1 (note on indicator 4.1)' "$WORK/page"
T=$(token)
post gv "$URL_gv/doc/$DOC/edit" --data-urlencode "note:4.1=Theo sổ theo dõi <2025>" --data-urlencode "csrf=$T"
status_is 303 "a result's note"
git -C "$R" show "HEAD:$F" | grep -qF '<result indicator="4.1" numerator="1" denominator="1" value="100">Theo sổ theo dõi &lt;2025&gt;</result>' ||
	fail "the note is not in the result"
unchanged "an emptied subject" post gv "$URL_gv/doc/$DOC/edit" --data-urlencode "subject= " --data-urlencode "csrf=$T"
status_is 400 "an emptied subject"
ok "the subject, a preamble made where there was none, bullets and paragraphs of the difficulties, a result's note: each stored as text where the schema puts it"

# --- refusals: a field with footnote marks; a document in a state that is not editable -------------
perl -0pi -e 's{(<proposals>\s*)<p/>}{$1<p>Đề nghị <em>Phòng</em> hỗ trợ</p>}' "$R/$F"
expect_exit 0 d --as gv-qt commit $DOC -m "Đề xuất"
get gv "$URL_gv/doc/$DOC/edit"
grep -qE '<textarea[^>]*name="proposals"[^>]*readonly' "$WORK/page" || fail "a field with italics is not read-only"
T=$(token)
unchanged "a change to a field with italics" post gv "$URL_gv/doc/$DOC/edit" --data-urlencode "proposals=Đề nghị Phòng hỗ trợ thêm" \
	--data-urlencode "csrf=$T"
status_is 422 "a change to a field with italics"
expect_grep "italics or footnote marks" "$WORK/page"

get hoa "$URL_hoa/doc/$PLAN/edit"
status_is 200 "the plan's edit page"
for label in "Trích yếu (subject)" "Lời mở đầu, căn cứ (preamble)" "Đoạn kết (closing)"; do
	expect_grep "$label" "$WORK/page"
done
expect_grep "Phòng Giáo dục và Đào tạo (GDĐT) thành phố xây dựng Kế hoạch" "$WORK/page"
grep -q '(narrative)' "$WORK/page" && fail "a plan with narratives"
T=$(token)
unchanged "an edit of the issued plan" post hoa "$URL_hoa/doc/$PLAN/edit" --data-urlencode "preamble=Căn cứ tình hình thực tế," \
	--data-urlencode "csrf=$T"
status_is 403 "an edit of the issued plan"
expect_grep "Nothing was written" "$WORK/page"
ok "refused with nothing written: a change to a field with italics (422; the field read-only), an edit of the issued plan (403); the plan's form has its subject, preamble and closing"

expect_exit 0 d audit --trust "$CA"
fsck_clean "$R"
ok "the audit is clean after the web's edits"
