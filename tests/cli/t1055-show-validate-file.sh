#!/usr/bin/env bash
# docket show and docket validate take a file path as well as an id (issue 10): a path that
# exists on disk is read and rendered or validated with the repository's schemas when run in
# one, with the built-in ones outside any; inside a repository an argument that is not a
# file is a document of the repository (id or path). Which schemas were used is proved by
# what only they do: a repository whose pinned text.xsl prints a marker, a report whose
# plan the repository does not hold (a finding only where a repository is consulted).
. "$(dirname "$0")/lib.sh"

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

REPORT=$RES/valid/report-annual.xml
SEED=$EXAMPLES/354-KH-PGDDT.xml
mkdir nowhere
expect_exit 0 "$DOCKET" init repo
d() { "$DOCKET" -C repo "$@"; }

# ==== show FILE: the repository's stylesheet inside, the built-in outside =======================
sed -i 's/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM (mẫu của kho)/' repo/.docket/schemas/text.xsl
git -C repo commit -q -am "a pinned text.xsl of the repository's own"
expect_exit 0 d show "$SEED"
expect_grep "(mẫu của kho)" "$WORK/out"
(cd repo && expect_exit 0 "$DOCKET" show "$SEED")
expect_grep "(mẫu của kho)" "$WORK/out"
(cd nowhere && expect_exit 0 "$DOCKET" show "$SEED")
grep -q "(mẫu của kho)" "$WORK/out" && fail "show FILE outside a repository used a repository's stylesheet"
cmp -s "$WORK/out" "$DOCKET_SRC/tests/cli/expected/seed.txt" || fail "show FILE outside a repository is not the built-in rendering"
ok "show FILE: the repository's pinned text.xsl inside one (with -C or from its work tree), the built-in outside"

# show ID and path still work, a missing one is named
put_seed repo
expect_exit 0 d show kh-2021-354
expect_grep "(mẫu của kho)" "$WORK/out"
expect_exit 0 d show documents/plan/2021/CTTT/kh-2021-354.xml
expect_grep "Số: 354/KH-PGDĐT" "$WORK/out"
expect_exit 3 d show no-such.xml
expect_grep "no document" "$WORK/err"
(cd nowhere && expect_exit 3 "$DOCKET" show kh-2021-354)
expect_grep "no such file" "$WORK/err"
ok "show ID and show PATH in the repository; an unknown one exit 3; an id outside a repository exit 3"

# ==== validate FILE: the repository's schemas and documents inside, the built-in outside =========
expect_exit 0 "$DOCKET" init empty
expect_exit 1 "$DOCKET" -C empty validate "$REPORT"
expect_grep "$REPORT:" "$WORK/out"
expect_grep "not a document in this repository" "$WORK/out"
(cd empty && expect_exit 1 "$DOCKET" validate "$REPORT")
expect_grep "not a document in this repository" "$WORK/out"
(cd nowhere && expect_exit 0 "$DOCKET" validate "$REPORT")
[ ! -s "$WORK/out" ] || fail "validate FILE outside a repository: $(cat "$WORK/out")"
expect_exit 0 d validate "$REPORT"
[ ! -s "$WORK/out" ] || fail "validate FILE in a repository holding its plan: $(cat "$WORK/out")"
ok "validate FILE: in a repository its citations are resolved there (a missing plan is a finding), outside the built-in schemas alone"

# a repository whose pinned schema is stricter than the built-in one: only inside is it refused
sed -i 's|<xs:maxLength value="500"/></xs:restriction>|<xs:maxLength value="20"/></xs:restriction>|' repo/.docket/schemas/common.xsd
grep -q 'maxLength value="20"' repo/.docket/schemas/common.xsd || fail "the pinned schema was not changed"
git -C repo commit -q -am "a pinned schema of the repository's own: summaries of 20 characters at most"
expect_exit 1 d validate "$SEED"
expect_grep "$SEED:" "$WORK/out"
(cd nowhere && expect_exit 0 "$DOCKET" validate "$SEED")
ok "validate FILE uses the repository's pinned schemas inside it, the built-in outside"

# ==== validate DOC: a document of the repository by id or path ====================================
git -C repo revert --no-edit HEAD >/dev/null
expect_exit 0 d validate kh-2021-354
[ ! -s "$WORK/out" ] || fail "validate ID: $(cat "$WORK/out")"
expect_exit 0 d validate documents/plan/2021/CTTT/kh-2021-354.xml
# a stored document that breaks the schema, committed behind docket's back: its path is named
P=documents/plan/2021/CTTT/kh-2021-354.xml
sed -i 's|<place>Cẩm Phả</place>|<place></place>|' "repo/$P"
git -C repo commit -q -am "an empty place, behind docket's back"
expect_exit 1 d validate kh-2021-354
grep -q "^$P:[0-9]*:[0-9]*: error: " "$WORK/out" || { cat "$WORK/out"; fail "validate ID: no finding naming $P"; }
expect_exit 1 d validate kh-2021-354 --json
expect_grep "\"file\": \"$P\"" "$WORK/out"
expect_exit 3 d validate no-such-doc
expect_grep "cannot validate 'no-such-doc': no such file" "$WORK/err"
(cd nowhere && expect_exit 3 "$DOCKET" validate kh-2021-354)
expect_exit 2 d validate
ok "validate ID or PATH: the committed document, findings naming its path; unknown exit 3; none exit 2"
fsck_clean repo
