#!/usr/bin/env bash
# docket add: validate, then commit the document at documents/<kind>/<year>/<unit>/<id>.xml as
# one commit with Docket-* trailers; prints the id alone; refuses duplicates and invalid input
# leaving the repository untouched; works in a bare repository through -C without the index.
. "$(dirname "$0")/lib.sh"

# the seed plan before its issue: the issued one carries its number, which add refuses (below)
unnumbered_seed "$WORK/plan.xml"
SEED="$WORK/plan.xml"
SEED_PATH=documents/plan/2021/CTTT/kh-2021-354.xml

# has_finding FILE OUT: a line of OUT reads "FILE:LINE:COL: error: ..."
has_finding() {
	awk -v p="$1:" 'index($0, p) == 1 && substr($0, length(p) + 1) ~ /^[0-9]+:[0-9]+: error: ./ { found = 1 }
		END { exit !found }' "$2"
}

expect_exit 0 "$DOCKET" init repo
fsck_clean repo
tip0=$(git -C repo rev-parse HEAD)

# the seed plan
expect_exit 0 "$DOCKET" -C repo add "$SEED"
printf 'kh-2021-354\n' | diff -u - "$WORK/out" || fail "add printed more than the id on stdout"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "add printed on stderr"; }
ok "add prints exactly the id"

[ "$(git -C repo rev-list --count HEAD)" = 2 ] || fail "add did not make exactly one commit"
[ "$(git -C repo rev-parse HEAD^)" = "$tip0" ] || fail "the new commit's parent is not the previous tip"
[ "$(git -C repo rev-list --parents -1 HEAD | wc -w)" = 2 ] || fail "the add commit is a merge"
git -C repo cat-file blob "HEAD:$SEED_PATH" | cmp -s - "$SEED" || fail "$SEED_PATH is not the seed, byte for byte"
printf 'A\t%s\n' "$SEED_PATH" >"$WORK/want-diff"
git -C repo diff-tree -r --no-commit-id --name-status HEAD^ HEAD >"$WORK/got-diff"
diff -u "$WORK/want-diff" "$WORK/got-diff" || fail "the add commit changes more than $SEED_PATH"
ok "one commit adding $SEED_PATH (the file's bytes), HEAD's tree otherwise unchanged"

git -C repo log -1 --format=%B >"$WORK/msg"
git interpret-trailers --parse <"$WORK/msg" >"$WORK/trailers"
printf 'Docket-Document: kh-2021-354\nDocket-Action: add\n' >"$WORK/want-trailers"
diff -u "$WORK/want-trailers" "$WORK/trailers" || fail "commit trailers"
ok "commit message trailers Docket-Document: kh-2021-354, Docket-Action: add"

[ -f "repo/$SEED_PATH" ] && cmp -s "repo/$SEED_PATH" "$SEED" || fail "the work tree lacks $SEED_PATH"
[ -z "$(git -C repo status --porcelain)" ] || { git -C repo status; fail "the work tree is not clean after add"; }
fsck_clean repo
expect_exit 0 "$DOCKET" -C repo validate --all
ok "work tree follows; fsck clean; validate --all passes"

# the issued seed (numbered 354/KH-PGDĐT): refused with the ways to record it, nothing changes
before=$(snapshot repo)
expect_exit 1 "$DOCKET" -C repo add "$EXAMPLES/354-KH-PGDDT.xml" --id issued
expect_grep "carries the number 354/KH-PGDĐT" "$WORK/err"
expect_grep "'docket import'" "$WORK/err"
expect_grep "'docket add --draft'" "$WORK/err"
[ ! -s "$WORK/out" ] || fail "a refused add printed on stdout"
[ "$(snapshot repo)" = "$before" ] || fail "a refused add changed the repository"
ok "a numbered plan: exit 1 with a hint to 'docket import' or 'docket add --draft', repository untouched"

# adding it again: refused, nothing changes
before=$(snapshot repo)
expect_exit 1 "$DOCKET" -C repo add "$SEED"
expect_grep "exists already" "$WORK/err"
expect_grep "kh-2021-354" "$WORK/err"
[ ! -s "$WORK/out" ] || fail "a refused add printed on stdout"
[ "$(snapshot repo)" = "$before" ] || fail "a refused add changed the repository"
[ -z "$(git -C repo status --porcelain)" ] || fail "a refused add left changes"
fsck_clean repo
ok "adding the same id again: exit 1 'exists already', repository untouched"

# --id
expect_exit 0 "$DOCKET" -C repo add "$SEED" --id other-id
printf 'other-id\n' | diff -u - "$WORK/out" || fail "add --id printed more than the id"
OTHER=documents/plan/2021/CTTT/other-id.xml
git -C repo cat-file blob "HEAD:$OTHER" >"$WORK/other.xml" || fail "no $OTHER"
[ "$(xmllint --xpath 'string(/*/@id)' "$WORK/other.xml")" = other-id ] || fail "the stored document's id is not other-id"
sed 's/id="kh-2021-354"/id="other-id"/' "$SEED" | cmp -s - "$WORK/other.xml" ||
	{ diff <(sed 's/id="kh-2021-354"/id="other-id"/' "$SEED") "$WORK/other.xml" | head -20; fail "--id changed more than the id"; }
xmllint --noout --schema "$DOCKET_SRC/schemas/docket.xsd" "$WORK/other.xml" 2>"$WORK/xmllint" ||
	{ cat "$WORK/xmllint"; fail "the stored other-id does not validate with xmllint"; }
printf 'A\t%s\n' "$OTHER" >"$WORK/want-diff"
git -C repo diff-tree -r --no-commit-id --name-status HEAD^ HEAD >"$WORK/got-diff"
diff -u "$WORK/want-diff" "$WORK/got-diff" || fail "the --id commit changes more than $OTHER"
git -C repo log -1 --format=%B | git interpret-trailers --parse | grep -qx 'Docket-Document: other-id' ||
	fail "the --id commit's trailer does not name other-id"
fsck_clean repo
ok "--id other-id: stored at $OTHER with id=\"other-id\", nothing else changed"

# a bad --id: refused like an invalid document
before=$(snapshot repo)
expect_exit 1 "$DOCKET" -C repo add "$SEED" --id "bad/id"
[ "$(snapshot repo)" = "$before" ] || fail "add --id bad/id changed the repository"
ok "--id bad/id refused (exit 1), repository untouched"

# invalid documents: exit 1, FILE:LINE:COL findings on stderr, nothing committed
before=$(snapshot repo)
n=0
for f in "$RES"/invalid/*.xml; do
	expect_exit 1 "$DOCKET" -C repo add "$f"
	has_finding "$f" "$WORK/err" || { cat "$WORK/err"; fail "add $f: no FILE:LINE:COL: error: finding on stderr"; }
	expect_grep "docket: cannot add '$f'" "$WORK/err"
	[ ! -s "$WORK/out" ] || fail "add $f printed on stdout"
	n=$((n + 1))
done
[ "$n" -ge 20 ] || fail "only $n invalid fixtures"
[ "$(snapshot repo)" = "$before" ] || fail "adding invalid documents changed the repository"
[ -z "$(git -C repo status --porcelain)" ] || fail "adding invalid documents left changes"
fsck_clean repo
ok "$n invalid fixtures: exit 1 with FILE:LINE:COL findings, nothing committed"

# usage and other errors
expect_exit 2 "$DOCKET" -C repo add
expect_exit 2 "$DOCKET" -C repo add "$SEED" "$SEED"
expect_exit 2 "$DOCKET" -C repo add --frobnicate "$SEED"
expect_exit 2 "$DOCKET" -C repo add "$SEED" --id
expect_exit 3 "$DOCKET" -C repo add "$WORK/no-such-file.xml"
expect_grep "no-such-file.xml" "$WORK/err"
mkdir outside
(cd outside && expect_exit 3 "$DOCKET" add "$SEED")
[ "$(snapshot repo)" = "$before" ] || fail "failed adds changed the repository"
ok "usage errors exit 2; a missing file or no repository exit 3"

# a bare repository through -C: no index is created
expect_exit 0 "$DOCKET" init --bare bare.git
expect_exit 0 "$DOCKET" -C bare.git add "$SEED"
printf 'kh-2021-354\n' | diff -u - "$WORK/out" || fail "bare add printed more than the id"
git -C bare.git cat-file blob "HEAD:$SEED_PATH" | cmp -s - "$SEED" || fail "bare: $SEED_PATH is not the seed"
[ "$(git -C bare.git rev-list --count HEAD)" = 2 ] || fail "bare: not exactly one commit added"
[ ! -e bare.git/index ] || fail "bare: the index was used (bare.git/index exists)"
[ ! -e bare.git/documents ] || fail "bare: files were written beside the git directory"
expect_exit 1 "$DOCKET" -C bare.git add "$SEED"
expect_grep "exists already" "$WORK/err"
expect_exit 0 "$DOCKET" -C bare.git validate --all
fsck_clean bare.git
ok "-C bare.git add: committed without an index"
