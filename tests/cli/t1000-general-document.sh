#!/usr/bin/env bash
# The general administrative document (kind document, docs/format.md "The general document")
# and unit ids in Vietnamese letters: units BCĐ and LĐ get the ASCII folders BCD and LD, a unit
# whose folder another unit has already (BCD, bcđ) is refused and so is a look-alike letter;
# a notice (TB) drafted with 'docket new document' by the unit BCĐ is filed under
# documents/document/YEAR/BCD/, walks draft -> submitted -> reviewed -> approved -> issued
# and the audit finds nothing; a công văn and a decision with the new header and body forms
# are added as drafts, validate, render, and pass the audit.
. "$(dirname "$0")/lib.sh"

R=$WORK/so
d() { "$DOCKET" -C "$R" "$@"; }
export DOCKET_NOW=2024-03-04T08:00:00+07:00

expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "SỞ GIÁO DỤC VÀ ĐÀO TẠO" --abbr "SGDĐT" --parent "UBND TỈNH QUẢNG NAM" \
	--place "Quảng Nam"
expect_exit 0 d unit add LĐ --name "Lãnh đạo Sở"
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LĐ --role admin

# --- unit ids in Vietnamese letters, their folders, collisions ---------------------------
for u in "BCĐ:Ban Chỉ đạo" "KHTC:Phòng Kế hoạch - Tài chính" "VT:Văn thư"; do
	expect_exit 0 d --as admin unit add "${u%%:*}" --name "${u#*:}" --parent LĐ
done
before=$(git -C "$R" rev-parse HEAD)
expect_exit 1 d --as admin unit add BCD --name "Ban khác"
expect_grep "the unit 'BCD' would share the folder 'BCD' with the unit 'BCĐ'" "$WORK/err"
expect_exit 1 d --as admin unit add bcđ --name "Ban khác"
expect_grep "the unit 'bcđ' would share the folder 'BCD' with the unit 'BCĐ'" "$WORK/err"
expect_exit 1 d --as admin unit add ld --name "Lãnh đạo khác"
expect_grep "would share the folder 'LD' with the unit 'LĐ'" "$WORK/err"
# Ð (U+00D0, Icelandic eth) looks like Đ (U+0110) but is no Vietnamese letter
expect_exit 2 d --as admin unit add "BCÐ" --name "Giả mạo"
expect_grep "'BCÐ' is not a valid unit id" "$WORK/err"
# decomposed (NFD) Vietnamese: a combining mark is no letter of a unit id
expect_exit 2 d --as admin unit add "$(printf 'TRU\xcc\x9b\xcc\x80O\xcc\x9bNG')" --name "NFD"
expect_grep "is not a valid unit id" "$WORK/err"
for bad in "BC/Đ" ".BCĐ" "-BCĐ" "BC Đ" "$(printf 'BC\nD')"; do
	expect_exit 2 d --as admin unit add "$bad" --name "x"
done
[ "$(git -C "$R" rev-parse HEAD)" = "$before" ] || fail "a refused unit wrote a commit"
expect_exit 0 d unit list --json
expect_grep '"id": "BCĐ"' "$WORK/out"
ok "unit ids BCĐ, LĐ accepted; BCD, bcđ, ld (same folder), Ð look-alike, NFD, '/', space, newline refused; nothing written"

expect_exit 0 d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit BCĐ --role drafter
expect_exit 0 d --as admin person add minh --name "Trần Văn Minh" --position "PHÓ TRƯỞNG BAN" --unit BCĐ --role reviewer
expect_exit 0 d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ GIÁM ĐỐC" --unit LĐ --role approver
expect_exit 0 d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
enrol "$R" admin admin hoa minh lan thu

# --- a notice drafted with 'docket new document' ------------------------------------------
expect_exit 0 d --as hoa new document --set type.code=TB --set "type.name=THÔNG BÁO" \
	--title "Kết luận của Trưởng ban tại cuộc họp tháng 3"
ID=$(cat "$WORK/out")
[ "$ID" = "vb-2024-bcd-1" ] || fail "new document printed '$ID', expected vb-2024-bcd-1"
F=documents/document/2024/BCD/$ID.xml
git -C "$R" cat-file -e "HEAD:$F" || fail "$F is not in HEAD: $(git -C "$R" ls-tree -r --name-only HEAD documents)"
expect_grep 'kind="document"' "$R/$F"
expect_grep '<drafter unit="BCĐ" person="hoa"/>' "$R/$F"
expect_grep '<type code="TB">THÔNG BÁO</type>' "$R/$F"
expect_exit 0 d validate --all
ok "new document: id $ID, filed at $F (BCĐ -> BCD), valid"

expect_exit 0 d --as hoa submit "$ID"
expect_exit 0 d --as minh review "$ID"
expect_exit 0 d --as lan approve "$ID"
expect_exit 0 d --as thu issue "$ID"
git -C "$R" show "HEAD:$F" >"$WORK/issued.xml"
expect_grep '<workflow state="issued">' "$WORK/issued.xml"
expect_exit 0 d show "$ID"
expect_grep "Số: 01/TB-SGDĐT" "$WORK/out"
expect_grep "THÔNG BÁO" "$WORK/out"
ok "the notice walks submit, review, approve, issue: 01/TB-SGDĐT"

# --- the new header and body forms, added as drafts -----------------------------------------
mkdir -p "$WORK/in"
# the fixtures carry numbers issued elsewhere; a draft has none yet
for f in document-cong-van document-decision-ubnd; do
	sed -e 's|<number>[0-9]*</number>|<number/>|; s|<notation>[^<]*</notation>|<notation/>|; s|<date>2024-08-05</date>||' \
		"$RES/valid/$f.xml" >"$WORK/in/$f.xml"
done
sed -i 's|<drafter unit="VP"/>|<drafter unit="KHTC"/>|' "$WORK/in/document-decision-ubnd.xml"
# a legal basis linked by @ref must name a document of the repository
expect_exit 1 d --as admin add --draft "$WORK/in/document-cong-van.xml"
expect_grep "document-cong-van.xml:25:14: error: the legal basis 'kh-2021-354' is not a document in this repository" "$WORK/err"
sed -i 's|<basis ref="kh-2021-354">|<basis>|' "$WORK/in/document-cong-van.xml"
expect_exit 0 d --as admin add --draft "$WORK/in/document-cong-van.xml"
git -C "$R" cat-file -e HEAD:documents/document/2024/KHTC/cv-2024-1520.xml ||
	fail "the công văn is not at documents/document/2024/KHTC/"
expect_exit 0 d show cv-2024-1520
expect_grep "V/v Hướng dẫn xây dựng kế hoạch" "$WORK/out"   # (wrapped in the left column: t1050)
expect_grep "Kính gửi:" "$WORK/out"
expect_exit 0 d --as admin add --draft "$WORK/in/document-decision-ubnd.xml"
expect_exit 0 d show qd-2025-ubnd-01
expect_grep "QUYẾT ĐỊNH" "$WORK/out"
expect_exit 0 d validate --all
ok "a công văn (V/v, Kính gửi) and a decision (issuer lines, articles, TM./KT. lines) added as drafts; valid; rendered"

# a document whose kind says document but whose content is a plan: the C rule names both
sed -e 's|kind="plan"|kind="document"|' "$EXAMPLES/354-KH-PGDDT.xml" >"$WORK/in/wrong-kind.xml"
expect_exit 1 "$DOCKET" validate "$WORK/in/wrong-kind.xml"
expect_grep "the document's kind is 'document' but its content holds no <body>" "$WORK/out"
ok "kind document with content/plan: refused with a precise finding"

expect_exit 0 d audit --trust "$WORK/ca/ca.pem"
fsck_clean "$R"
ok "audit --trust: no finding; git fsck --strict clean"
