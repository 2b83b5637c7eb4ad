#!/usr/bin/env bash
# docket show: the seed plan as Decree-30-style text (checked against tests/cli/expected/seed.txt,
# which was read against shared/seed/354-KH-PGDDT.txt) and as its stored XML; by id, by path,
# at a revision, in a bare repository; the same text as `xsltproc schemas/text.xsl`; errors.
. "$(dirname "$0")/lib.sh"

SEED="$EXAMPLES/354-KH-PGDDT.xml"
SEED_PATH=documents/plan/2021/CTTT/kh-2021-354.xml
EXPECTED="$DOCKET_SRC/tests/cli/expected/seed.txt"

# the seed is issued (354/KH-PGDĐT): recorded as such by the records clerk ('add' refuses a
# numbered plan); what is stored is the seed's bytes with the import step after its content
expect_exit 0 "$DOCKET" init repo
with_clerk repo
expect_exit 0 "$DOCKET" -C repo --as thu import "$SEED" -m "paper archive"
git -C repo cat-file blob "HEAD:$SEED_PATH" >"$WORK/stored.xml"
diff "$SEED" "$WORK/stored.xml" | grep '^[<>]' | grep -v '^> *<workflow state="issued">$' |
	grep -v '^> *<step date="[^"]*" actor="thu" role="clerk" transition="import" from="draft" to="issued">paper archive</step>$' |
	grep -v '^> *</workflow>$' && fail "the stored seed differs from the example beyond its import step"

# text (the default)
expect_exit 0 "$DOCKET" -C repo show kh-2021-354
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "show printed on stderr"; }
cp "$WORK/out" "$WORK/seed.txt"
for s in "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "Độc lập - Tự do - Hạnh phúc" \
	"UBND THÀNH PHỐ CẨM PHẢ" "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" \
	"Số: 354/KH-PGDĐT" "Cẩm Phả, ngày 11 tháng 5 năm 2021" "KẾ HOẠCH" \
	"Nơi nhận:" "- Sở GDĐT (b/c);" "- Lưu: VT, CTTT." \
	"KT. TRƯỞNG PHÒNG" "PHÓ TRƯỞNG PHÒNG" "Lê Thị Lan"; do
	expect_grep "$s" "$WORK/seed.txt"
done
for n in 1 2 3 4 5 6 7; do
	grep -q "^($n)\. " "$WORK/seed.txt" || fail "no '($n). ' objective line"
done
[ "$(grep -c '^([0-9]*)\. ' "$WORK/seed.txt")" = 7 ] || fail "not exactly 7 objective lines"
expect_grep "(4). Tỷ lệ trẻ em hoàn thành cấp tiểu học đạt 99,5% vào năm 2025" "$WORK/seed.txt"
for s in "I. MỤC ĐÍCH, YÊU CẦU" "II. MỤC TIÊU" "III. NHIỆM VỤ, GIẢI PHÁP" "IV. KINH PHÍ THỰC HIỆN" "V. TỔ CHỨC THỰC HIỆN"; do
	grep -qx "$s" "$WORK/seed.txt" || fail "no section line '$s'"
done
# the footnote, whole again after the page break, after the signer block
# (word-wrapped at 80 columns: its lines joined again)
sed -n '/^¹ /,$p' "$WORK/seed.txt" | tr '\n' ' ' | tr -s ' ' |
	grep -q '^¹ \*Văn bản của Trung ương\*: .*giai đoạn 2021-2025; Kế hoạch số 39/KH-UBND' ||
	fail "footnote 1 is not whole"
[ "$(grep -n 'Lê Thị Lan' "$WORK/seed.txt" | cut -d: -f1)" -lt "$(grep -n '^¹ ' "$WORK/seed.txt" | cut -d: -f1)" ] ||
	fail "the footnote does not follow the signer block"
ok "show (text) has the motto, number, place and date, type, 7 objectives, recipients, signer"

diff -u "$EXPECTED" "$WORK/seed.txt" || fail "show differs from tests/cli/expected/seed.txt"
expect_exit 0 "$DOCKET" -C repo show kh-2021-354 --format text
cmp -s "$WORK/out" "$EXPECTED" || fail "--format text differs from the default"
expect_exit 0 "$DOCKET" -C repo show --format=text kh-2021-354
cmp -s "$WORK/out" "$EXPECTED" || fail "--format=text differs from the default"
expect_exit 0 "$DOCKET" -C repo show "$SEED_PATH"
cmp -s "$WORK/out" "$EXPECTED" || fail "show by path differs"
ok "show text equals tests/cli/expected/seed.txt (by id, by path, --format text)"

# the same text as the stylesheet through an independent XSLT processor
xsltproc "$DOCKET_SRC/schemas/text.xsl" "$SEED" | cmp -s - "$EXPECTED" || fail "xsltproc text.xsl disagrees with show"
# (in a repository a report or task is shown with the names of what it cites, read from the
# repository: t0720, t1060; a FILE outside any repository is the stylesheet's text alone)
mkdir -p nowhere
# (added as drafts: a numbered fixture of a kind docket numbers is refused by plain 'add')
for f in "$RES"/valid/*.xml; do
	expect_exit 0 "$DOCKET" -C repo add --draft "$f"
	id=$(cat "$WORK/out")
	expect_exit 0 "$DOCKET" -C repo show "$id"
	(cd nowhere && expect_exit 0 "$DOCKET" show "$f")
	xsltproc "$DOCKET_SRC/schemas/text.xsl" "$f" | diff -u - "$WORK/out" || fail "show $f differs from xsltproc text.xsl"
done
ok "show text equals xsltproc schemas/text.xsl for the seed and every valid fixture (as files)"

# xml: the stored bytes exactly
expect_exit 0 "$DOCKET" -C repo show kh-2021-354 --format xml
cmp "$WORK/out" "$WORK/stored.xml" || fail "show --format xml is not the stored file byte for byte"
git -C repo cat-file blob "HEAD:$SEED_PATH" | cmp -s - "$WORK/out" || fail "show --format xml is not the stored blob"
ok "show --format xml prints the stored bytes exactly"

# --rev
expect_exit 0 "$DOCKET" -C repo show kh-2021-354 --rev HEAD
cmp -s "$WORK/out" "$EXPECTED" || fail "show --rev HEAD differs"
seed_commit=$(git -C repo log --format=%H -1 -- "$SEED_PATH")
expect_exit 0 "$DOCKET" -C repo show kh-2021-354 --rev "$seed_commit" --format xml
cmp -s "$WORK/out" "$WORK/stored.xml" || fail "show --rev <the import commit> --format xml differs"
expect_exit 3 "$DOCKET" -C repo show kh-2021-354 --rev "$seed_commit~1"
expect_grep "no document" "$WORK/err"
ok "show --rev: the document as it was (absent before it was added: exit 3)"

# a bare repository
expect_exit 0 "$DOCKET" init --bare bare.git
with_clerk bare.git
expect_exit 0 "$DOCKET" -C bare.git --as thu import "$SEED" -m "paper archive"
expect_exit 0 "$DOCKET" -C bare.git show kh-2021-354
cmp -s "$WORK/out" "$EXPECTED" || fail "show in a bare repository differs"
expect_exit 0 "$DOCKET" -C bare.git show kh-2021-354 --format xml
git -C bare.git cat-file blob "HEAD:$SEED_PATH" | cmp -s - "$WORK/out" ||
	fail "show --format xml in a bare repository differs"
fsck_clean bare.git
ok "show works in a bare repository through -C"

# errors
expect_exit 3 "$DOCKET" -C repo show no-such-doc
expect_grep "no document" "$WORK/err"
expect_grep "no-such-doc" "$WORK/err"
[ ! -s "$WORK/out" ] || fail "show of an unknown document printed on stdout"
expect_exit 3 "$DOCKET" -C repo show documents/plan/2021/CTTT/no-such-doc.xml
expect_grep "no document" "$WORK/err"
expect_exit 2 "$DOCKET" -C repo show kh-2021-354 --format pdf
expect_grep "pdf" "$WORK/err"
[ ! -s "$WORK/out" ] || fail "show --format pdf printed on stdout"
expect_exit 2 "$DOCKET" -C repo show kh-2021-354 --format
expect_exit 2 "$DOCKET" -C repo show
expect_exit 2 "$DOCKET" -C repo show kh-2021-354 other
expect_exit 2 "$DOCKET" -C repo show --frobnicate kh-2021-354
mkdir outside
(cd outside && expect_exit 3 "$DOCKET" show kh-2021-354)
ok "unknown document exit 3 'no document'; bad --format and usage errors exit 2; no repository exit 3"

# a stored document that is not well-formed (committed behind docket's back): exit 1
BROKEN=documents/plan/2021/CTTT/kh-broken.xml
blob=$(printf '<?xml version="1.0" encoding="UTF-8"?>\n<document xmlns="urn:docket:document:1" id="kh-broken" kind="plan">\n' |
	git -C repo hash-object -w --stdin)
git -C repo update-index --add --cacheinfo "100644,$blob,$BROKEN"
git -C repo commit -q -m "a broken document, behind docket's back"
git -C repo checkout -q -- "$BROKEN"
expect_exit 1 "$DOCKET" -C repo show kh-broken
expect_grep "$BROKEN" "$WORK/err"
expect_exit 0 "$DOCKET" -C repo show kh-broken --format xml
git -C repo cat-file blob "HEAD:$BROKEN" | cmp -s - "$WORK/out" || fail "show --format xml of the broken document"
ok "a stored document that is not well-formed: text exit 1, xml shows its bytes"
fsck_clean repo
