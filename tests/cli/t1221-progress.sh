#!/usr/bin/env bash
# Progress on stderr (issue 11): `docket log DOC` on a fresh clone (which builds the history
# index) and `docket audit` count what they did on stderr with --progress, and only then when
# stderr is not a terminal (here it never is); never with --json, which stays one JSON value
# on stdout; stdout is the same with and without --progress. --jobs takes 1 to 64 threads
# and nothing else (exit 2).
. "$(dirname "$0")/lib.sh"

R=$WORK/repo
d() { "$DOCKET" -C "$R" "$@"; }
"$DOCKET" init "$R" >/dev/null
d unit add CTTT --name "Bộ phận Chính trị tư tưởng" >/dev/null
d person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml" >/dev/null
d --as hoa submit kh-2021-354 >/dev/null
N=$(git -C "$R" rev-list --count main)
[ "$N" -ge 4 ] || fail "expected at least 4 commits, got $N"

# --- log on a fresh clone: the index is built, and counted with --progress ---------------
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
	expect_exit 0 "$DOCKET" -C "$WORK/clone" log kh-2021-354 $args
	[ -f "$WORK/clone/.git/docket/history" ] || fail "log $args did not build the history index"
	cp "$WORK/out" "$WORK/log.$mode.out"
	case $mode in
	progress)
		# the last count is the whole history, ended by a newline
		expect_counts "$WORK/err" "indexing history" "0/$N" "$N/$N"
		;;
	*)
		[ ! -s "$WORK/err" ] || { cat -A "$WORK/err"; fail "log $args wrote to stderr"; }
		;;
	esac
done
cmp "$WORK/log.quiet.out" "$WORK/log.progress.out" || fail "log --progress changed stdout"
cmp "$WORK/log.json.out" "$WORK/log.json-progress.out" || fail "log --json --progress changed stdout"
python3 -m json.tool "$WORK/log.json-progress.out" >/dev/null || fail "log --json --progress is not JSON"
ok "log on a fresh clone: 'indexing history 0/$N' .. '$N/$N' on stderr with --progress only, never with --json"

# --- audit ----------------------------------------------------------------------------------
expect_exit 0 d audit --no-cache --progress
expect_counts "$WORK/err" auditing "$N/$N"
grep -q "^docket: audited $N commits" "$WORK/err" || fail "audit --progress: the summary is gone"
cp "$WORK/out" "$WORK/audit.progress.out"
expect_exit 0 d audit --no-cache
grep -q "auditing" "$WORK/err" && { cat -A "$WORK/err"; fail "audit without --progress counted on stderr"; }
cmp "$WORK/out" "$WORK/audit.progress.out" || fail "audit --progress changed stdout"
expect_exit 0 d audit --no-cache --json --progress
grep -q "auditing\|indexing" "$WORK/err" && { cat -A "$WORK/err"; fail "audit --json --progress counted on stderr"; }
python3 -m json.tool "$WORK/out" >/dev/null || fail "audit --json --progress is not JSON"
# a re-run counts only the new commits it judges
expect_exit 0 d audit --progress
d person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG" --unit CTTT --role reviewer >/dev/null || fail "person add"
expect_exit 0 d audit --progress
expect_counts "$WORK/err" auditing 1/1   # a re-run after one new commit
ok "audit: 'auditing $N/$N' on stderr with --progress only; stdout unchanged; never with --json"

for bad in 0 65 -1 two ""; do
	expect_exit 2 d audit --jobs "$bad"
	expect_grep "--jobs takes a number of threads from 1 to 64" "$WORK/err"
done
for j in 1 2 64; do
	expect_exit 0 d audit --no-cache --jobs $j
done
ok "--jobs: 1 to 64 accepted, 0, 65, -1, 'two' and '' refused with exit 2"
