#!/usr/bin/env bash
# Progress on stderr for the first build of the lookup indexes (issue 11): `status --plan`
# on a fresh clone builds the id and reference indexes, reading every document once, and
# counts the documents read with --progress ("docket: indexing references 0/N" .. "N/N"),
# only then when stderr is not a terminal (here it never is), never with --json; stdout is
# the same with and without it, and the indexes are the same as those built without it.
. "$(dirname "$0")/lib.sh"

R=$WORK/repo
d() { "$DOCKET" -C "$R" "$@"; }
"$DOCKET" init "$R" >/dev/null
d unit add CTTT --name "Bộ phận Chính trị tư tưởng" >/dev/null
d person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml" >/dev/null
# more documents than one reading chunk holds, by plain git: copies of the plan under new ids
P=$(git -C "$R" ls-files 'documents/*kh-2021-354.xml')
[ -n "$P" ] || fail "the plan is not in the tree"
mkdir -p "$R/documents/plan/2021/X"
for i in $(seq 1 1100); do
	sed "s/kh-2021-354/kh-2021-x$i/g" "$R/$P" >"$R/documents/plan/2021/X/kh-2021-x$i.xml" || fail "cannot copy the plan"
done
git -C "$R" add -A && git -C "$R" -c user.name=T -c user.email=t@t.invalid -c commit.gpgsign=false \
	commit -qm "many documents" || fail "commit"
N=$(git -C "$R" ls-files 'documents/*.xml' | wc -l)
[ "$N" -gt 1024 ] || fail "expected more than 1024 documents, got $N"

for mode in quiet progress json json-progress; do
	rm -rf "$WORK/clone"
	git clone -q "$R" "$WORK/clone"
	case $mode in
	quiet) args= ;;
	progress) args=--progress ;;
	json) args=--json ;;
	json-progress) args="--json --progress" ;;
	esac
	# shellcheck disable=SC2086
	expect_exit 0 "$DOCKET" -C "$WORK/clone" status --plan kh-2021-354 --year 2021 $args
	[ -f "$WORK/clone/.git/docket/refs" ] || fail "status --plan $args did not build the reference index"
	cp "$WORK/out" "$WORK/status.$mode.out"
	cp "$WORK/clone/.git/docket/refs" "$WORK/refs.$mode"
	cp "$WORK/clone/.git/docket/ids" "$WORK/ids.$mode"
	case $mode in
	progress)
		# from nothing, after the first chunk, to the whole
		expect_counts "$WORK/err" "indexing references" "0/$N" "1024/$N" "$N/$N"
		;;
	*)
		[ ! -s "$WORK/err" ] || { cat -A "$WORK/err"; fail "status --plan $args wrote to stderr"; }
		;;
	esac
done
cmp "$WORK/status.quiet.out" "$WORK/status.progress.out" || fail "status --plan --progress changed stdout"
cmp "$WORK/status.json.out" "$WORK/status.json-progress.out" || fail "--json --progress changed stdout"
python3 -m json.tool "$WORK/status.json-progress.out" >/dev/null || fail "status --plan --json --progress is not JSON"
for m in progress json json-progress; do
	cmp "$WORK/refs.quiet" "$WORK/refs.$m" || fail "the reference index built with $m differs"
	cmp "$WORK/ids.quiet" "$WORK/ids.$m" || fail "the id index built with $m differs"
done
ok "status --plan on a fresh clone: 'indexing references 0/$N' .. '$N/$N' with --progress only, never with --json"

# the indexes are built once: a second run has nothing to count
expect_exit 0 "$DOCKET" -C "$WORK/clone" status --plan kh-2021-354 --year 2021 --progress
[ ! -s "$WORK/err" ] || { cat -A "$WORK/err"; fail "a second status --plan counted again"; }
expect_exit 0 "$DOCKET" -C "$WORK/clone" aggregate --help
expect_grep "--progress" "$WORK/out"
ok "built once; aggregate takes --progress"
