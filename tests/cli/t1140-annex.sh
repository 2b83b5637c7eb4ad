#!/usr/bin/env bash
# Annexes (issue 15): 'docket attach' in a draft stores the file byte for byte as
# ID.annexes/NAME and lists its name, media type, size and SHA-256 inside the content, so the
# signatures taken later cover it (xmlsec1 verifies them). Refused, each changing nothing: a
# state that is not editable (naming it), a file over the configured limit (saying both sizes),
# an empty file, hostile names (path traversal, a leading dot, '/', control characters, too
# long, not ASCII), a malformed media type, a name listed already, a person of another unit.
# 'verify' and 'audit' name each tampered annex precisely: the file changed, removed, its
# digest removed from the XML, a file nobody listed.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
TRUST=$WORK/ca/ca.pem
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
A=documents/plan/2021/CTTT/$DOC.annexes
d() { "$DOCKET" -C "$R" "$@"; }
at() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$R" "$@" >/dev/null || fail "docket $*"; }

export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả" >/dev/null
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d --as admin unit add CM --name "Bộ phận Chuyên môn" --parent LD >/dev/null
d --as admin unit add VT --name "Văn thư" --parent LD >/dev/null
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add binh --name "Vũ Văn Bình" --position "CHUYÊN VIÊN" --unit CM --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver >/dev/null
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk >/dev/null
enrol "$R" admin hoa binh minh lan thu
unset DOCKET_NOW
at 2021-05-03T07:30:00+07:00 --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"

# --- attach -------------------------------------------------------------------------------------
# a binary annex with every byte value, CR LF and NUL: kept exactly
python3 -c '
import sys
sys.stdout.buffer.write(b"%PDF-1.4\r\n" + bytes(range(256)) * 40 + b"\r\n%%EOF\n")' >"$WORK/phu-luc-1.pdf"
SHA=$(sha256sum "$WORK/phu-luc-1.pdf" | cut -d' ' -f1)
SIZE=$(stat -c %s "$WORK/phu-luc-1.pdf")
N0=$(git -C "$R" rev-list --count main)
expect_exit 0 d --as hoa attach $DOC "$WORK/phu-luc-1.pdf"
[ "$(cat "$WORK/out")" = "$DOC: attached phu-luc-1.pdf (application/pdf, $SIZE bytes, sha256 $SHA) [$(git -C "$R" rev-parse --short=12 main)]" ] ||
	fail "attach output: $(cat "$WORK/out")"
[ "$(git -C "$R" rev-list --count main)" = $((N0 + 1)) ] || fail "attach is not one commit"
git -C "$R" show main:$A/phu-luc-1.pdf | cmp -s - "$WORK/phu-luc-1.pdf" || fail "the annex's bytes changed in the repository"
cmp -s "$R/$A/phu-luc-1.pdf" "$WORK/phu-luc-1.pdf" || fail "the work tree's annex differs"
grep -qF "<annex name=\"phu-luc-1.pdf\" type=\"application/pdf\" size=\"$SIZE\" sha256=\"$SHA\"/>" "$R/$F" ||
	fail "the annex is not listed in the content: $(grep -n annex "$R/$F")"
python3 -c '
import sys, xml.etree.ElementTree as E
ns = "{urn:docket:document:1}"
r = E.parse(sys.argv[1]).getroot()
assert r.find(ns + "content/" + ns + "annexes/" + ns + "annex") is not None' "$R/$F" || fail "the list is not inside the content"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Action: attach" || fail "no Docket-Action: attach trailer"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Annex: phu-luc-1.pdf" || fail "no Docket-Annex trailer"
# a Vietnamese file name needs --name; --type is taken as given; --json
printf 'Chỉ tiêu;2025;2030\r\nHoàn thành tiểu học;99,5;100\r\n' >"$WORK/Bảng chỉ tiêu.csv"
expect_exit 1 d --as hoa attach $DOC "$WORK/Bảng chỉ tiêu.csv"
expect_grep "cannot attach 'Bảng chỉ tiêu.csv': an annex name is 1 to 100 letters, digits, '.', '_' or '-'" "$WORK/err"
expect_grep "--name NAME" "$WORK/err"
expect_exit 0 d --as hoa attach $DOC "$WORK/Bảng chỉ tiêu.csv" --name phu-luc-2.csv --type text/csv --json
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["document"] == "kh-2021-354" and j["annex"] == "phu-luc-2.csv" and j["type"] == "text/csv", j
assert j["size"] == int(sys.argv[2]) and j["sha256"] == sys.argv[3], j' "$WORK/out" \
	"$(stat -c %s "$WORK/Bảng chỉ tiêu.csv")" "$(sha256sum "$WORK/Bảng chỉ tiêu.csv" | cut -d' ' -f1)" ||
	fail "attach --json: $(cat "$WORK/out")"
git -C "$R" show main:$A/phu-luc-2.csv | cmp -s - "$WORK/Bảng chỉ tiêu.csv" || fail "the CSV annex changed"
expect_exit 0 d validate --all
ok "attach: bytes kept exactly (binary, CR LF, Vietnamese text), listed inside the content with type, size and SHA-256, one commit"

# --- refusals: nothing changes -------------------------------------------------------------------
before=$(snapshot "$R")
refused() { # refused CODE MESSAGE ARGS...: exit CODE, MESSAGE on stderr, the repository untouched
	local code=$1 msg=$2
	shift 2
	expect_exit "$code" d "$@"
	expect_grep "$msg" "$WORK/err"
	[ "$(snapshot "$R")" = "$before" ] || fail "a refused '$*' changed the repository"
}
echo x >"$WORK/x.txt"
for name in ../x.txt ../../.docket/config.xml .hidden a/b '..' "$(printf 'a\nb')" "$(printf 'a\tb')" \
	"Phụ-lục.pdf" "a b.pdf" "-x.pdf" "$(printf 'x%.0s' $(seq 101))"; do
	refused 1 "an annex name is 1 to 100 letters" --as hoa attach $DOC "$WORK/x.txt" --name "$name"
done
refused 1 "not a media type" --as hoa attach $DOC "$WORK/x.txt" --type "Application/PDF"
refused 1 "not a media type" --as hoa attach $DOC "$WORK/x.txt" --type "pdf"
refused 1 "'$DOC' has an annex named 'phu-luc-1.pdf' already" --as hoa attach $DOC "$WORK/phu-luc-1.pdf"
: >"$WORK/empty.pdf"
refused 1 "the file is empty" --as hoa attach $DOC "$WORK/empty.pdf"
refused 3 "no such file" --as hoa attach $DOC "$WORK/missing.pdf"
refused 1 "'binh' (unit CM" --as binh attach $DOC "$WORK/x.txt"
refused 2 "" attach $DOC
ok "refused, the repository untouched: hostile names (traversal, dot, slash, newline, tab, non-ASCII, space, dash, 101 chars), bad media types, a listed name, empty, missing, another unit"

# --- the size limit -------------------------------------------------------------------------------
head -c $((20 * 1024 * 1024 + 1)) /dev/zero >"$WORK/big.bin"
refused 1 "it is 20971521 bytes, more than the annex limit of 20971520 bytes" --as hoa attach $DOC "$WORK/big.bin"
expect_exit 0 d --as admin org annex-limit 4096
before=$(snapshot "$R")
expect_exit 0 d org show
expect_grep "annex limit: 4096 bytes" "$WORK/out"
head -c 4097 /dev/urandom >"$WORK/p3.bin"
refused 1 "it is 4097 bytes, more than the annex limit of 4096 bytes" --as hoa attach $DOC "$WORK/p3.bin"
expect_exit 2 d --as admin org annex-limit 0
expect_exit 2 d --as admin org annex-limit 12abc
expect_exit 1 d --as hoa org annex-limit 99999999
head -c 4096 /dev/urandom >"$WORK/phu-luc-3.bin"
expect_exit 0 d --as hoa attach $DOC "$WORK/phu-luc-3.bin"
expect_grep "(application/octet-stream, 4096 bytes" "$WORK/out"
git -C "$R" show main:$A/phu-luc-3.bin | cmp -s - "$WORK/phu-luc-3.bin" || fail "the random annex changed"
ok "size limit: 20 MiB by default, 'org annex-limit' by an administrator; the refusal says the size and the limit"

# an edit may not change the annex list: it names files that change with it, by attach
cp "$R/$F" "$WORK/f.bak"
sed -i '/<annex name="phu-luc-2.csv"/d' "$R/$F"
before=$(snapshot "$R")
refused 1 "cannot edit '$DOC': its annex list changes only with its files ('docket attach')" \
	--as hoa commit $DOC -m "Bỏ phụ lục 2"
cp "$WORK/f.bak" "$R/$F"
[ -z "$(git -C "$R" status --porcelain)" ] || fail "the work tree is not clean again"
ok "an edit that changes the annex list is refused"

# --- signed over, then frozen -----------------------------------------------------------------------
at 2021-05-03T08:00:00+07:00 --as hoa submit $DOC -m "Trình"
before=$(snapshot "$R")
refused 1 "cannot attach to '$DOC': its state 'submitted' is not editable" --as hoa attach $DOC "$WORK/x.txt"
at 2021-05-06T09:00:00+07:00 --as minh review $DOC
at 2021-05-10T16:45:00+07:00 --as lan approve $DOC
at 2021-05-11T09:00:00+07:00 --as thu issue $DOC
before=$(snapshot "$R")
refused 1 "cannot attach to '$DOC': its state 'issued' is not editable" --as hoa attach $DOC "$WORK/x.txt" --name x.txt
XS_IDS=(--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content
	--id-attr:Id urn:docket:document:1:header)
for id in $(grep -o '<ds:Signature[^>]*Id="[^"]*"' "$R/$F" | sed 's/.*Id="\([^"]*\)"/\1/'); do
	xmlsec1 --verify --trusted-pem "$TRUST" --enabled-key-data x509 "${XS_IDS[@]}" \
		--node-xpath "//*[local-name()='Signature'][@Id='$id']" "$R/$F" >"$WORK/xs.out" 2>&1 ||
		{ cat "$WORK/xs.out"; fail "xmlsec1 rejects $id"; }
done
expect_exit 0 d verify $DOC --trust "$TRUST"
cat >"$WORK/want" <<EOF
ok   annex phu-luc-1.pdf: application/pdf, $SIZE bytes, sha256 $SHA
EOF
grep "annex phu-luc-1.pdf" "$WORK/out" | diff -u "$WORK/want" - || fail "verify's annex line"
[ "$(grep -c '^ok   annex ' "$WORK/out")" = 3 ] || fail "verify: three annexes: $(cat "$WORK/out")"
# the signatures cover the list: the digest in the signed content is the file's
python3 - "$R/$F" "$SHA" <<'PY' || fail "the signed content does not carry the digest"
import sys, re
s = open(sys.argv[1], encoding="utf-8").read()
content = re.search(r'<content Id="content">.*?</content>', s, re.S).group(0)
assert 'sha256="%s"' % sys.argv[2] in content
PY
rc=0; d audit --trust "$TRUST" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "audit of the clean history: $rc"; }
fsck_clean "$R"
ok "issued with its annexes: xmlsec1 and verify accept every signature, verify lists each annex ok, audit clean"

# --- tampering by plain git: each named -----------------------------------------------------------
# tamper NAME SCRIPT: in a copy of the repository, run SCRIPT there and commit with plain git
tamper() {
	rm -rf "$WORK/t"
	cp -a "$R" "$WORK/t"
	(cd "$WORK/t" && eval "$2") || fail "tamper $1"
	git -C "$WORK/t" add -A
	git -C "$WORK/t" commit -q -m "$1"
	vrc=0; "$DOCKET" -C "$WORK/t" verify $DOC --trust "$TRUST" >"$WORK/vout" 2>&1 || vrc=$?
	# each copy's head recorded apart: the copies are not $R's history rewritten
	rm -f "$WORK/t.head"
	arc=0; "$DOCKET" -C "$WORK/t" audit --trust "$TRUST" --known-head "$WORK/t.head" >"$WORK/aout" 2>&1 || arc=$?
	[ "$vrc" = 1 ] || { cat "$WORK/vout"; fail "$1: verify exited $vrc"; }
	[ "$arc" = 1 ] || { cat "$WORK/aout"; fail "$1: audit exited $arc"; }
	[ -n "${VERBOSE-}" ] && cat "$WORK/vout" "$WORK/aout" || true
}
tamper "annex changed" "printf 'X' | dd of=$A/phu-luc-1.pdf bs=1 seek=100 conv=notrunc 2>/dev/null"
expect_grep "FAIL annex phu-luc-1.pdf: the annex 'phu-luc-1.pdf' was changed: $A/phu-luc-1.pdf has $SIZE bytes and SHA-256" "$WORK/vout"
expect_grep "the document lists $SIZE bytes and SHA-256 $SHA" "$WORK/vout"
grep -q "^ok   annex phu-luc-2.csv" "$WORK/vout" || fail "verify: the untouched annex must stay ok"
expect_grep "annex-changed" "$WORK/aout"
expect_grep "outside-docket" "$WORK/aout"
expect_grep "$A/phu-luc-1.pdf was changed by a commit without docket's trailers" "$WORK/aout"
tamper "annex removed" "git rm -q $A/phu-luc-2.csv"
expect_grep "FAIL annex phu-luc-2.csv: the annex 'phu-luc-2.csv' is missing: $A/phu-luc-2.csv is not in the repository" "$WORK/vout"
expect_grep "annex-missing" "$WORK/aout"
cat >"$WORK/strip.py" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
s = re.sub(r'\n\s*<annex name="phu-luc-1.pdf"[^>]*/>', "", s)
open(sys.argv[1], "w", encoding="utf-8").write(s)
PY
tamper "digest removed" "python3 $WORK/strip.py $F"
grep -q 'phu-luc-1.pdf' "$WORK/t/$F" && fail "the digest was not removed"
expect_grep "FAIL annex phu-luc-1.pdf: $A/phu-luc-1.pdf is not an annex of the document: its content lists no annex 'phu-luc-1.pdf'" "$WORK/vout"
expect_grep "FAIL sig-" "$WORK/vout"
expect_grep "annex-unlisted" "$WORK/aout"
expect_grep "outside-docket" "$WORK/aout"
tamper "file added" "printf 'thêm' >$A/phu-luc-9.txt"
expect_grep "FAIL annex phu-luc-9.txt: $A/phu-luc-9.txt is not an annex of the document" "$WORK/vout"
expect_grep "annex-unlisted" "$WORK/aout"
ok "tampered by plain git, each named by verify (exit 1) and audit (exit 1): annex changed, removed, digest removed from the XML, a file added"

# --- the hostile fixtures: annex lists refused by validation -----------------------------------------
for f in "$RES"/hostile/annex/*.xml; do
	expect_exit 1 "$DOCKET" validate "$f"
	expect_grep "$f:37:7: error: Element '{urn:docket:document:1}annex'" "$WORK/out"
done
ok "hostile annex lists (traversal, control character, no digest) refused by validation"

# --- the annexes travel with the document in its edXML export ----------------------------------------
expect_exit 0 d --as admin org set --organ-id "000.00.12.H10"
expect_exit 0 d export $DOC -o "$WORK/doc.edxml"
python3 - "$WORK/doc.edxml" "$WORK/phu-luc-1.pdf" "$WORK/Bảng chỉ tiêu.csv" "$WORK/phu-luc-3.bin" <<'PY' || fail "the export's annexes"
import sys, base64, hashlib, xml.etree.ElementTree as E
ns = "{http://www.mic.gov.vn/TBT/QCVN_102_2016}"
r = E.parse(sys.argv[1]).getroot()
assert r.findtext(".//" + ns + "OtherInfo/" + ns + "Appendixes") == "3"
att = r.findall(".//" + ns + "Attachment")
assert [a.get("Description") for a in att] == ["document", "annex", "annex", "annex"], att
for a, f, name in zip(att[1:], sys.argv[2:], ["phu-luc-1.pdf", "phu-luc-2.csv", "phu-luc-3.bin"]):
    data = base64.b64decode(a.text)
    assert data == open(f, "rb").read(), name
    assert a.get("AttachmentName") == name
    assert base64.b64decode(a.get("DigestValue")) == hashlib.sha256(data).digest()
PY
xmllint --noout --nonet --schema "$DOCKET_SRC/schemas/edxml.xsd" "$WORK/doc.edxml" 2>"$WORK/xl" || { cat "$WORK/xl"; fail "xmllint"; }
# an annex that no longer matches the signed list is not sent
rm -rf "$WORK/t"; cp -a "$R" "$WORK/t"
printf 'X' | dd of="$WORK/t/$A/phu-luc-1.pdf" bs=1 seek=100 conv=notrunc 2>/dev/null
git -C "$WORK/t" commit -q -am "tamper"
expect_exit 1 "$DOCKET" -C "$WORK/t" export $DOC -o "$WORK/bad.edxml"
expect_grep "cannot export '$DOC': the annex 'phu-luc-1.pdf' was changed" "$WORK/err"
[ ! -e "$WORK/bad.edxml" ] || fail "a refused export wrote its file"
ok "export carries the three annexes byte for byte after the document (Appendixes 3, each digest); a tampered annex is not exported"

# --- an annex named like a document is never read as one -----------------------------------------------
expect_exit 0 d --as admin org annex-limit 1048576
at 2021-06-01T08:00:00+07:00 --as hoa add --draft --id kh-2021-360 "$EXAMPLES/354-KH-PGDDT.xml"
sed 's/id="kh-2021-354"/id="kh-2021-999"/' "$EXAMPLES/354-KH-PGDDT.xml" >"$WORK/kh-2021-999.xml"
expect_exit 0 d --as hoa attach kh-2021-360 "$WORK/kh-2021-999.xml"
expect_exit 3 d show kh-2021-999
expect_grep "kh-2021-999" "$WORK/err"
expect_exit 0 d show kh-2021-360
expect_exit 0 d validate --all
expect_exit 0 d status --json
python3 -c '
import json, sys
ids = [d["id"] for d in json.load(open(sys.argv[1]))]
assert "kh-2021-999" not in ids and "kh-2021-360" in ids, ids' "$WORK/out" || fail "status lists the annex as a document"
rc=0; d audit --trust "$TRUST" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "audit after an annex named like a document: $rc"; }
ok "an annex kh-2021-999.xml is not the document kh-2021-999 (show, status, validate --all, the id index, audit)"
