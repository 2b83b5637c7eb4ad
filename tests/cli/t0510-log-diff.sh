#!/usr/bin/env bash
# docket log and docket diff on the seed plan's full signed workflow, every step at a fixed
# DOCKET_NOW: add, submit, return with a reason, a draft edit with `docket commit` (indicator
# 4.1's 2025 target 99.5 -> 99.0), submit, review, approve, issue. The timeline, the last
# step's diff and the edit's diff are compared with tests/cli/expected/seed-log.txt,
# seed-diff-issue.txt and seed-diff-edit.txt, each commit id replaced by <commit N> (N: the
# Nth commit that touched the plan), so the ids are checked too. --json of both parses and
# says the same. Then the plan is moved to another folder with plain git mv + commit: the
# audit reports that commit as outside-docket, and the log still shows the whole timeline.
# Set DOCKET_REGENERATE=1 to rewrite the expected files (then read them before committing).
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
TRUST=$WORK/ca/ca.pem
EXPECTED=$DOCKET_SRC/tests/cli/expected

d() { "$DOCKET" -C "$R" "$@"; }
at() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$R" "$@" >/dev/null || fail "docket $*"; }

# --- the organisation and its people, as in t0500; the CA and certificates "in 2021" --------
export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả" >/dev/null
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d --as admin unit add VT --name "Văn thư" --parent LD >/dev/null
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver >/dev/null
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk >/dev/null
enrol "$R" admin hoa minh lan thu
unset DOCKET_NOW

# --- the seed plan's workflow ---------------------------------------------------------------
at 2021-05-03T07:30:00+07:00 --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 3 d diff $DOC
expect_grep "'$DOC' has only 1 version: nothing to compare" "$WORK/err"
at 2021-05-03T08:00:00+07:00 --as hoa submit $DOC -m "Trình lãnh đạo phòng xem xét"
at 2021-05-04T10:15:00+07:00 --as minh return $DOC -m "Đề nghị rà soát lại chỉ tiêu 4 và 5"
RETURNED=$(git -C "$R" rev-parse HEAD)
grep -q '<target year="2025" value="99.5"/>' "$R/$F" || fail "indicator 4.1's 2025 target is not 99.5 in the seed"
sed -i '/<indicator id="4.1"/,/<\/indicator>/s|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$R/$F"
at 2021-05-05T08:00:00+07:00 --as hoa commit $DOC -m "Sửa chỉ tiêu 4.1 theo ý kiến tổ trưởng"
EDITED=$(git -C "$R" rev-parse HEAD)
at 2021-05-05T14:30:00+07:00 --as hoa submit $DOC -m "Đã rà soát chỉ tiêu"
at 2021-05-06T09:00:00+07:00 --as minh review $DOC
at 2021-05-10T16:45:00+07:00 --as lan approve $DOC
at 2021-05-11T09:00:00+07:00 --as thu issue $DOC

# the commits that touched the plan, oldest first: <commit 1> .. <commit 8>
git -C "$R" rev-list --reverse main -- "$F" >"$WORK/commits"
[ "$(wc -l <"$WORK/commits")" = 8 ] || fail "expected 8 commits touching $F, got $(wc -l <"$WORK/commits")"
# ids FILE: FILE with each commit id (12-hex prefix or whole) named by its place in the plan's
# history; an id of no commit of the plan is left as it is, and then differs from the expected
ids() {
	local n=0 c script=""
	while read -r c; do
		n=$((n + 1))
		script="$script;s/$c/<commit $n>/g;s/${c:0:12}/<commit $n>/g"
	done <"$WORK/commits"
	sed -e "${script#;}" "$1"
}
# against NAME FILE: FILE (ids named) is tests/cli/expected/NAME
against() {
	ids "$2" >"$WORK/$1"
	if [ -n "${DOCKET_REGENERATE-}" ]; then
		cp "$WORK/$1" "$EXPECTED/$1"
		echo "# regenerated $EXPECTED/$1"
	fi
	diff -u "$EXPECTED/$1" "$WORK/$1" || fail "output differs from expected/$1"
}

# --- log -----------------------------------------------------------------------------------------
expect_exit 0 d log $DOC --trust "$TRUST"
[ ! -s "$WORK/err" ] || fail "log wrote on stderr: $(cat "$WORK/err")"
cp "$WORK/out" "$WORK/log.txt"
against seed-log.txt "$WORK/log.txt"
expect_exit 0 d log $DOC --trust "$TRUST" --json
python3 -m json.tool "$WORK/out" >/dev/null || fail "log --json is not JSON: $(cat "$WORK/out")"
python3 - "$WORK/out" "$WORK/commits" <<'EOF' || fail "log --json: $(cat "$WORK/out")"
import json, sys
log = json.load(open(sys.argv[1]))
commits = open(sys.argv[2]).read().split()
assert [e["commit"] for e in log] == commits, "commits"
assert [e["action"] for e in log] == ["add", "submit", "return", "edit", "submit", "review", "approve", "issue"]
assert [(e["from"], e["to"]) for e in log] == [(None, "draft"), ("draft", "submitted"), ("submitted", "draft"),
    ("draft", "draft"), ("draft", "submitted"), ("submitted", "reviewed"), ("reviewed", "approved"),
    ("approved", "issued")], [(e["from"], e["to"]) for e in log]
assert [e["actor"] for e in log] == ["hoa", "hoa", "minh", "hoa", "hoa", "minh", "lan", "thu"]
assert log[2]["name"] == "Trần Văn Minh" and log[2]["position"] == "TỔ TRƯỞNG CTTT"
assert log[2]["message"] == "Đề nghị rà soát lại chỉ tiêu 4 và 5"
assert log[3]["message"] == "Sửa chỉ tiêu 4.1 theo ý kiến tổ trưởng"
assert [e["time"] for e in log][-1] == "2021-05-11T09:00:00+07:00"
sigs = [(e["action"], s["id"], s["signer"], s["meaning"], s["time"], s["status"]) for e in log for s in e["signatures"]]
assert sigs == [("review", "sig-1", "Trần Văn Minh", "review", "2021-05-06T09:00:00+07:00", "valid"),
    ("approve", "sig-2", "Lê Thị Lan", "approval", "2021-05-10T16:45:00+07:00", "valid"),
    ("issue", "sig-3", "Phạm Thị Thu", "origin", "2021-05-11T09:00:00+07:00", "valid")], sigs
assert all(e["path"] == "documents/plan/2021/CTTT/kh-2021-354.xml" and not e["deleted"] for e in log)
EOF
# without a trust anchor the signatures are shown, not judged
expect_exit 0 d log $DOC
[ "$(grep -c 'signature sig-[123]: .*: not verified (no trust anchor)$' "$WORK/out")" = 3 ] ||
	fail "log without --trust: $(cat "$WORK/out")"
expect_exit 3 d log kh-2021-999
expect_grep "no document with the id 'kh-2021-999'" "$WORK/err"
ok "log: the plan's timeline as expected (seed-log.txt); --json says the same; no trust anchor: not verified"

# --- diff ----------------------------------------------------------------------------------------
expect_exit 0 d diff $DOC
cp "$WORK/out" "$WORK/diff-issue.txt"
against seed-diff-issue.txt "$WORK/diff-issue.txt"
expect_exit 0 d diff $DOC "$RETURNED" "$EDITED"
cp "$WORK/out" "$WORK/diff-edit.txt"
against seed-diff-edit.txt "$WORK/diff-edit.txt"
expect_grep "indicator 4.1 target 2025: 99.5 -> 99.0" "$WORK/diff-edit.txt"
# the same by short revisions, and REV1 alone against the tip
expect_exit 0 d diff $DOC "${RETURNED:0:7}" "${EDITED:0:7}"
cmp -s "$WORK/out" "$WORK/diff-edit.txt" || fail "diff with short revisions differs"
expect_exit 0 d diff $DOC main~1
cmp -s "$WORK/out" "$WORK/diff-issue.txt" || fail "diff DOC main~1 is not the last step's diff"
expect_exit 0 d diff $DOC "$EDITED" "$EDITED"
printf '%s: %s -> %s\nno changes\n' $DOC "${EDITED:0:12}" "${EDITED:0:12}" | diff -u - "$WORK/out" ||
	fail "diff of a version with itself"
for rev in "$EDITED $RETURNED" ""; do
	# shellcheck disable=SC2086
	expect_exit 0 d diff $DOC $rev --json
	python3 -m json.tool "$WORK/out" >/dev/null || fail "diff --json is not JSON: $(cat "$WORK/out")"
done
python3 - "$WORK/out" "$(sed -n 7p "$WORK/commits")" "$(sed -n 8p "$WORK/commits")" <<'EOF' || fail "diff --json: $(cat "$WORK/out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["document"] == "kh-2021-354" and j["from"] == sys.argv[2] and j["to"] == sys.argv[3], j
ch = {c["path"]: (c["change"], c["old"], c["new"]) for c in j["changes"]}
assert ch["header number"] == ("changed", "", "01"), ch
assert ch["workflow state"] == ("changed", "approved", "issued"), ch
assert ch["signature sig-3"][0] == "added" and ch["signature sig-3"][1] is None, ch
assert ch["signature sig-3"][2].startswith("Phạm Thị Thu"), ch
EOF
expect_exit 0 d diff $DOC "$EDITED" "$RETURNED" --json
python3 - "$WORK/out" <<'EOF' || fail "diff --json of the edit, reversed: $(cat "$WORK/out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["changes"] == [{"change": "changed", "path": "objective 4 indicator 4.1 target 2025", "old": "99.0", "new": "99.5"}], j
EOF
expect_exit 2 d diff
ok "diff: the last step (seed-diff-issue.txt), the edit (seed-diff-edit.txt: indicator 4.1 target 2025: 99.5 -> 99.0); --json"

# --- moved with plain git ------------------------------------------------------------------------
expect_exit 0 d audit --trust "$TRUST"
mkdir -p "$R/documents/plan/2021/LD"
git -C "$R" mv "$F" documents/plan/2021/LD/
GIT_AUTHOR_DATE=2021-06-01T08:00:00+07:00 GIT_COMMITTER_DATE=2021-06-01T08:00:00+07:00 \
	git -C "$R" commit -qm "Chuyển kế hoạch sang thư mục Lãnh đạo phòng"
MOVED=$(git -C "$R" rev-parse HEAD)
expect_exit 1 d audit --trust "$TRUST"
grep -v "^outside-docket: ${MOVED:0:12} $DOC: " "$WORK/out" && fail "the audit of the move reports something else"
expect_grep "documents/plan/2021/LD/$DOC.xml was changed by a commit without docket's trailers" "$WORK/out"
expect_exit 0 d log $DOC --trust "$TRUST"
ids "$WORK/out" >"$WORK/log-moved.txt"
n=$(wc -l <"$EXPECTED/seed-log.txt")
head -n "$n" "$WORK/log-moved.txt" | diff -u "$EXPECTED/seed-log.txt" - || fail "the log after the move lost its beginning"
tail -n +$((n + 1)) "$WORK/log-moved.txt" >"$WORK/log-tail"
cat >"$WORK/want" <<EOF
2021-06-01T08:00:00+07:00  outside docket in issued  ${MOVED:0:12}
    by Docket Test
    "Chuyển kế hoạch sang thư mục Lãnh đạo phòng"
    moved from $F to documents/plan/2021/LD/$DOC.xml
EOF
diff -u "$WORK/want" "$WORK/log-tail" || fail "the log's last entry after the move"
expect_exit 0 d log $DOC --json
python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))
assert len(log) == 9 and log[-1]["action"] == "outside docket" and not log[-1]["deleted"], log[-1]
assert log[-1]["path"] == "documents/plan/2021/LD/kh-2021-354.xml" and log[-1]["from"] == log[-1]["to"] == "issued", log[-1]
' "$WORK/out" || fail "log --json after the move: $(cat "$WORK/out")"
expect_exit 0 d diff $DOC
printf '%s: %s -> %s\nno changes\n' $DOC "$(sed -n 8p "$WORK/commits" | cut -c1-12)" "${MOVED:0:12}" |
	diff -u - "$WORK/out" || fail "diff across the move"
expect_exit 0 d diff $DOC "$RETURNED" "$EDITED"
cmp -s "$WORK/out" "$WORK/diff-edit.txt" || fail "diff of old versions after the move"
ok "moved with git mv: audit says outside-docket for that commit; log keeps the whole timeline and says moved"

# --- a signature's bytes changed: the diff names it (its value alone), the audit too ------------
FL=documents/plan/2021/LD/$DOC.xml
python3 - "$R/$FL" <<'EOF2'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
j = s.index("SignatureValue>", s.index('Id="sig-3"')) + len("SignatureValue>")
s = s[:j] + ("B" if s[j] != "B" else "C") + s[j + 1:]
open(p, "w", encoding="utf-8").write(s)
EOF2
git -C "$R" commit -qam "Sửa chữ ký"
expect_exit 0 d diff $DOC
[ "$(sed -n 2p "$WORK/out" | cut -d: -f1)" = "~ signature sig-3 value" ] && [ "$(wc -l <"$WORK/out")" = 2 ] ||
	fail "diff of a changed SignatureValue: $(cat "$WORK/out")"
expect_exit 1 d audit --trust "$TRUST" $DOC
expect_grep "outside-docket: $(git -C "$R" rev-parse --short=12 HEAD) $DOC: " "$WORK/out"
ok "a SignatureValue changed with plain git: diff shows '~ signature sig-3 value', the audit outside-docket"
