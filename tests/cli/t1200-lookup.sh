#!/usr/bin/env bash
# The id index (docs/lookup.md): documents are found by id through a cache keyed by the
# documents/ tree, not by walking every file. Two `docket new` started at once never get one
# id; a document moved, copied or deleted with plain git is found where it is (or not at all),
# by every command, in the repository and in a fresh clone; `add` refuses an id that a moved
# document holds.
. "$(dirname "$0")/lib.sh"

R=$WORK/repo
d() { "$DOCKET" -C "$R" "$@"; }
export DOCKET_NOW=2021-05-11T08:00:00+07:00
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
expect_exit 0 d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit LD --role drafter
expect_exit 0 d --as admin person add lan --name "Lê Thị Lan" --position "CHUYÊN VIÊN" --unit LD --role drafter

# --- two `new` at once, again and again: never one id ----------------------------------------
ROUNDS=${DOCKET_T1200_ROUNDS:-8}
before=$(git -C "$R" rev-list --count main)
for round in $(seq 1 "$ROUNDS"); do
	d --as hoa new plan >"$WORK/a.$round" 2>"$WORK/a.$round.err" &
	pa=$!
	d --as lan new plan >"$WORK/b.$round" 2>"$WORK/b.$round.err" &
	pb=$!
	wait $pa || { cat "$WORK/a.$round.err"; fail "round $round: the first new failed"; }
	wait $pb || { cat "$WORK/b.$round.err"; fail "round $round: the second new failed"; }
	[ "$(cat "$WORK/a.$round")" != "$(cat "$WORK/b.$round")" ] || fail "round $round: both got $(cat "$WORK/a.$round")"
done
cat "$WORK"/a.[0-9] "$WORK"/a.[0-9][0-9] "$WORK"/b.[0-9] "$WORK"/b.[0-9][0-9] 2>/dev/null | sort >"$WORK/ids" || true
n=$((2 * ROUNDS))
[ "$(sort -u "$WORK/ids" | wc -l)" = "$n" ] || { cat "$WORK/ids"; fail "$n new commands did not give $n ids"; }
seq 1 "$n" | sed 's/^/kh-2021-ld-/' | sort >"$WORK/want"
diff -u "$WORK/want" "$WORK/ids" || fail "the ids are not kh-2021-ld-1..$n"
[ "$(git -C "$R" rev-list --count main)" = $((before + n)) ] || fail "not one commit per new"
[ "$(git -C "$R" ls-tree -r --name-only main documents/plan | wc -l)" = "$n" ] || fail "not $n files"
fsck_clean "$R"
ok "$ROUNDS rounds of two concurrent 'new plan': $n distinct ids kh-2021-ld-1..$n, one commit each"

# --- a document moved by plain git ------------------------------------------------------------
mkdir -p "$R/documents/plan/2022/LD"
git -C "$R" mv documents/plan/2021/LD/kh-2021-ld-3.xml documents/plan/2022/LD/
git -C "$R" commit -qm "moved by plain git"
expect_exit 0 d show kh-2021-ld-3
expect_grep "KẾ HOẠCH" "$WORK/out"
expect_exit 0 d status kh-2021-ld-3 --json
expect_grep '"draft"' "$WORK/out"
expect_exit 0 d --as hoa submit kh-2021-ld-3
git -C "$R" diff-tree -r --no-commit-id --name-only HEAD >"$WORK/changed"
printf 'documents/plan/2022/LD/kh-2021-ld-3.xml\n' | diff -u - "$WORK/changed" ||
	fail "submit did not change the moved file where it is"
ok "a document moved by plain git is found by show, status and submit where it is"

# the moved document still holds its number: the next id is after every one
expect_exit 0 d --as hoa new plan
[ "$(cat "$WORK/out")" = "kh-2021-ld-$((n + 1))" ] || fail "new after the move gave $(cat "$WORK/out")"
# and add refuses its id, naming where it is
git -C "$R" show HEAD:documents/plan/2022/LD/kh-2021-ld-3.xml >"$WORK/copy.xml"
expect_exit 1 d --as hoa add "$WORK/copy.xml"
expect_grep "exists already at documents/plan/2022/LD/kh-2021-ld-3.xml" "$WORK/err"
ok "after the move: new gives kh-2021-ld-$((n + 1)); add of the moved id refused, naming its new place"

# --- a copy (one id, two files), then a delete, by plain git ----------------------------------
cp "$R/documents/plan/2021/LD/kh-2021-ld-1.xml" "$R/documents/plan/2022/LD/"
git -C "$R" add -A documents && git -C "$R" commit -qm "copied by plain git"
expect_exit 1 d show kh-2021-ld-1
expect_grep "names 2 files" "$WORK/err"
git -C "$R" rm -q documents/plan/2021/LD/kh-2021-ld-1.xml && git -C "$R" commit -qm "deleted by plain git"
expect_exit 0 d show kh-2021-ld-1
git -C "$R" rm -q documents/plan/2022/LD/kh-2021-ld-1.xml && git -C "$R" commit -qm "deleted by plain git"
expect_exit 3 d show kh-2021-ld-1
expect_grep "no document with the id 'kh-2021-ld-1'" "$WORK/err"
ok "a plain-git copy: the id names 2 files; each delete seen at once"

# --- moved outside the layout -----------------------------------------------------------------
mkdir -p "$R/documents/plan/misc"
git -C "$R" mv documents/plan/2021/LD/kh-2021-ld-2.xml documents/plan/misc/
git -C "$R" commit -qm "moved outside the layout"
expect_exit 1 d show kh-2021-ld-2
expect_grep "outside the layout" "$WORK/err"
git -C "$R" reset -q --hard HEAD~1
expect_exit 0 d show kh-2021-ld-2
ok "a document moved outside the layout is refused, naming the place; the branch rewound, it is found again"

# --- a fresh clone, and the index of the original removed ---------------------------------------
git clone -q --bare "$R" "$WORK/clone.git"
[ ! -e "$WORK/clone.git/docket/ids" ] || fail "a fresh clone already has an id index"
for id in kh-2021-ld-2 kh-2021-ld-3 "kh-2021-ld-$((n + 1))"; do
	expect_exit 0 "$DOCKET" -C "$WORK/clone.git" show "$id"
	d show "$id" | cmp -s - "$WORK/out" || fail "the clone shows $id differently"
done
expect_exit 3 "$DOCKET" -C "$WORK/clone.git" show kh-2021-ld-1
[ -s "$WORK/clone.git/docket/ids" ] || fail "the clone's id index was not written"
rm -f "$R/.git/docket/ids"
expect_exit 0 d show kh-2021-ld-3
expect_exit 0 d validate --all
fsck_clean "$R"
fsck_clean "$WORK/clone.git"
ok "a fresh clone (no index yet) and the repository without its index give the same answers"
