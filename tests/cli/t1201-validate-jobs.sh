#!/usr/bin/env bash
# validate --all on several threads: the same findings in the same order whatever --jobs (text
# and JSON), more documents than one batch, a damaged document among them; --progress counts
# on stderr, never with --json; a bad --jobs is a usage error.
. "$(dirname "$0")/lib.sh"

R=$WORK/repo
d() { "$DOCKET" -C "$R" "$@"; }
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d add --draft "$EXAMPLES/354-KH-PGDDT.xml"  # a numbered plan is refused: it was issued
# behind docket's back: every invalid fixture 12 times over, in 12 unit folders, and a file
# that is not XML at all
n=1
for k in $(seq 1 12); do
	mkdir -p "$R/documents/plan/2021/U$k"
	for f in "$RES"/invalid/*.xml; do
		cp "$f" "$R/documents/plan/2021/U$k/$(basename "$f" .xml)-$k.xml"
		n=$((n + 1))
	done
done
printf 'not <xml' >"$R/documents/plan/2021/U1/broken.xml"
n=$((n + 1))
git -C "$R" add -A documents
git -C "$R" commit -qm "invalid documents, behind docket's back"
[ "$n" -gt 300 ] || fail "only $n documents: fewer than one batch of 256 and more"

expect_exit 1 d validate --all --jobs 1
cp "$WORK/out" "$WORK/one"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "stderr not empty without --progress"; }
[ "$(cut -d: -f1 "$WORK/one" | sort -u | wc -l)" -gt 300 ] || fail "findings in 300 documents or fewer"
for f in "$RES"/invalid/*.xml; do
	b=$(basename "$f" .xml)
	grep -q "^documents/plan/2021/U12/$b-12.xml:" "$WORK/one" || fail "no finding for $b-12"
done
expect_grep "documents/plan/2021/U1/broken.xml:" "$WORK/one"
# the walk's order: git's tree order of the paths
cut -d: -f1 "$WORK/one" | uniq >"$WORK/order"
git -C "$R" ls-tree -r --name-only main documents/ | grep -Fxf "$WORK/order" >"$WORK/tree-order"
diff -u "$WORK/tree-order" "$WORK/order" || fail "the findings are not in the tree's order"
for j in 2 3 8; do
	expect_exit 1 d validate --all --jobs $j
	cmp -s "$WORK/one" "$WORK/out" || { diff -u "$WORK/one" "$WORK/out" | head; fail "--jobs $j differs from --jobs 1"; }
done
expect_exit 1 d validate --all
cmp -s "$WORK/one" "$WORK/out" || fail "the default --jobs differs from --jobs 1"
ok "validate --all: $n documents, $(wc -l <"$WORK/one") findings, identical with 1, 2, 3, 8 and the default workers, in the tree's order"

expect_exit 1 d validate --all --json --jobs 1
cp "$WORK/out" "$WORK/json1"
expect_exit 1 d validate --all --json --jobs 2 --progress
cmp -s "$WORK/json1" "$WORK/out" || fail "--json differs between 1 and 2 workers"
[ ! -s "$WORK/err" ] || { cat "$WORK/err"; fail "--json --progress wrote on stderr"; }
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" || fail "--json is not JSON"
expect_exit 1 d validate --all --progress
cmp -s "$WORK/one" "$WORK/out" || fail "--progress changed stdout"
expect_grep "validated $n documents" "$WORK/err"
ok "--json identical with 1 and 2 workers, no progress in it; --progress counts to $n on stderr"

# the documents docket added are valid: the seed alone, at the first commit, in parallel
expect_exit 0 d validate --all --rev main~1 --jobs 2
[ ! -s "$WORK/out" ] || fail "findings at main~1"

for bad in 0 65 x 2x ""; do
	expect_exit 2 d validate --all --jobs "$bad"
	expect_grep "--jobs takes a number of workers" "$WORK/err"
done
ok "--jobs 0, 65, x, 2x and '' are usage errors"

# the numbers across documents, in parallel: each document's number comes out of its own
# validation, the repeats are judged in the walk's order after every document's findings, and a
# document with findings of its own is left out. 300 valid drafts with typed numbers, each
# number twice, over more than one batch, and a broken one repeating a number.
seed=$(git -C "$R" ls-tree -r --name-only main documents/ | grep '\.xml$' | grep -v '/U[0-9]*/' | head -1)
id=$(basename "$seed" .xml)
grep -q '<number/>' "$R/$seed" || fail "the seed has a number: $seed"
mkdir -p "$R/documents/plan/2021/NUM"
for k in $(seq 1 300); do
	sed -e "s/$id/num-$k/g" -e "s|<number/>|<number>$((1000 + k % 150))</number>|" \
		-e 's|<notation/>|<notation>KH-PGDĐT</notation>|' "$R/$seed" >"$R/documents/plan/2021/NUM/num-$k.xml"
done
sed -e 's/num-1\b/num-301/g' -e 's|</header>|</header><broken>|' "$R/documents/plan/2021/NUM/num-1.xml" \
	>"$R/documents/plan/2021/NUM/num-301.xml"
git -C "$R" add -A documents
git -C "$R" commit -qm "typed numbers, each twice, behind docket's back"
expect_exit 1 d validate --all --jobs 1
cp "$WORK/out" "$WORK/one"
[ "$(grep -c 'is carried by' "$WORK/one")" = 150 ] || { grep 'NUM/' "$WORK/one" | head; fail "expected 150 repeated numbers"; }
[ "$(tail -n 150 "$WORK/one" | grep -c 'is carried by')" = 150 ] || fail "the repeated numbers are not after every document's findings"
grep -q "^documents/plan/2021/NUM/num-151.xml:[0-9]*:[0-9]*: error: the number 1001/KH-PGDĐT of .* is carried by documents/plan/2021/NUM/num-1.xml too" "$WORK/one" ||
	{ grep 'num-151' "$WORK/one"; fail "num-151 does not repeat the number of num-1"; }
expect_grep "documents/plan/2021/NUM/num-301.xml:" "$WORK/one"
! grep 'carried by' "$WORK/one" | grep -q 'num-301' || fail "the broken document was judged for its number"
[ "$(grep -c 'NUM/num-[0-9]*.xml' "$WORK/one")" = "$(grep -c 'NUM/num-301.xml:' "$WORK/one" | awk '{print $1 + 150}')" ] ||
	{ grep 'NUM/' "$WORK/one" | grep -v 'carried by' | grep -v num-301 | head; fail "findings in the valid drafts"; }
expect_exit 1 d validate --all --jobs 2
cmp -s "$WORK/one" "$WORK/out" || { diff -u "$WORK/one" "$WORK/out" | head; fail "--jobs 2 differs from --jobs 1"; }
ok "150 repeated numbers among 300 drafts, after every document's findings, the broken one left out; identical with 1 and 2 workers"
