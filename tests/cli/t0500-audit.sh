#!/usr/bin/env bash
# docket audit against crafted histories. A clean, signed history made with docket's own
# commands (organisation, people, a CA and certificates, the seed plan walked to issued,
# a second plan left in draft and a third reviewed) reports nothing. Then, each in its own
# copy of that repository, an attacker or a careless user changes the history with plain git
# - sed on the XML, `git commit -am` with or without trailers, `git commit --amend`,
# `git reset --hard` - or makes docket do in a scratch copy with loosened rules what it
# refuses, and copies the result over: the audit exits 1 and reports exactly the expected
# kinds of finding, each naming the commit and the document. Also the DOC filter, --since,
# --json, and the incremental cache (re-audit costs only the new commits; deleting the
# cache changes no verdict). VERBOSE=1 prints each crafted history's findings.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
TRUST=$WORK/ca/ca.pem
SEED=kh-2021-354   # walked to issued: three signatures (review, approval, origin)
DRAFT=kh-2021-360  # left in draft
REVD=kh-2021-361   # submitted by hoa, reviewed (signed) by minh
path_of() { echo "documents/plan/2021/CTTT/$1.xml"; }

d() { "$DOCKET" -C "$R" "$@"; }
# at NOW ARGS...: docket in $R at a fixed time
at() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$R" "$@" >/dev/null || fail "docket $*"; }

# --- a clean, signed history -----------------------------------------------------------------
# The CA and every certificate are made "in 2021" too, so that each signature is judged at its
# own signing time against certificates valid then.
export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin # from here on every configuration change is signed by the administrator
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

at 2021-05-03T07:30:00+07:00 --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
at 2021-05-03T08:00:00+07:00 --as hoa submit $SEED -m "Trình lãnh đạo phòng xem xét"
at 2021-05-04T10:15:00+07:00 --as minh return $SEED -m "Đề nghị rà soát lại chỉ tiêu 4 và 5"
at 2021-05-05T14:30:00+07:00 --as hoa submit $SEED -m "Đã rà soát chỉ tiêu"
at 2021-05-06T09:00:00+07:00 --as minh review $SEED
at 2021-05-10T16:45:00+07:00 --as lan approve $SEED
at 2021-05-11T09:00:00+07:00 --as thu issue $SEED
at 2021-05-12T08:00:00+07:00 --as hoa add --draft --id $DRAFT "$EXAMPLES/354-KH-PGDDT.xml"
at 2021-05-12T08:10:00+07:00 --as hoa add --draft --id $REVD "$EXAMPLES/354-KH-PGDDT.xml"
at 2021-05-12T09:00:00+07:00 --as hoa submit $REVD -m "Trình"
at 2021-05-13T09:00:00+07:00 --as minh review $REVD
[ -z "$(git -C "$R" status --porcelain)" ] || fail "the work tree is not clean after the walk"
NCOMMITS=$(git -C "$R" rev-list --count main)

# audit_of REPO ARGS...: `docket audit --trust CA ARGS` in REPO, stdout in $WORK/out, stderr in $WORK/err,
# its exit status in $rc
audit_of() {
	local repo=$1
	shift
	rc=0
	"$DOCKET" -C "$repo" audit --trust "$TRUST" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
}

# json_findings < JSON: "kind commit document" per finding (commit/document '-' when null);
# fails when the input is not JSON
json_findings() {
	python3 -c '
import json, sys
j = json.load(sys.stdin)
for f in j["findings"]:
    print(f["kind"], f["commit"] or "-", f["document"] or "-")
'
}

audit_of "$R"
[ "$rc" = 0 ] || { cat "$WORK/out" "$WORK/err"; fail "the clean history: audit exited $rc"; }
[ ! -s "$WORK/out" ] || fail "the clean history: findings: $(cat "$WORK/out")"
grep -qx "docket: audited $NCOMMITS commits, verified [1-9][0-9]* signatures: 0 findings" "$WORK/err" ||
	fail "the clean history: summary '$(cat "$WORK/err")'"
audit_of "$R" --json --no-cache
[ "$rc" = 0 ] || fail "the clean history: audit --json exited $rc"
python3 -m json.tool "$WORK/out" >/dev/null || fail "audit --json is not JSON: $(cat "$WORK/out")"
python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["findings"] == [], j
assert j["commits"] == int(sys.argv[2]), j
assert j["signatures"] >= 4 and j["trust"] is True, j
' "$WORK/out" "$NCOMMITS" || fail "audit --json of the clean history: $(cat "$WORK/out")"
ok "a clean signed history ($NCOMMITS commits): exit 0, no findings; --json findings == []"

# --- crafted histories -------------------------------------------------------------------------
# copy NAME: a fresh copy of the clean repository (with its audit cache) in $A. Each copy is
# audited as by a verifier of its own ($XDG_STATE_HOME, where the head audited last is kept):
# the copies are different histories of the same repository, not one history rewritten.
copy() {
	A=$WORK/$1
	rm -rf "$A"
	cp -a "$R" "$A"
	export XDG_STATE_HOME=$WORK/state/$1
}
# as_git WHO ARGS...: plain git in $A, author and committer WHO (a person id of the config),
# commits signed with WHO's own key as an insider would (every commit is signed by its actor:
# what each crafted history tests is the rule it breaks, not a missing signature); NOSIGN=1:
# unsigned
as_git() {
	local who=$1 name sign=""
	shift
	case $who in
	hoa) name="Nguyễn Thị Hoa" ;; minh) name="Trần Văn Minh" ;; lan) name="Lê Thị Lan" ;;
	thu) name="Phạm Thị Thu" ;; admin) name="Đỗ Văn Quản" ;; *) name=$who ;;
	esac
	[ -n "${NOSIGN-}" ] || [ ! -f "$HOME/.config/docket/keys/$who.pem" ] || sign=$(git_signing "$who")
	# shellcheck disable=SC2086
	GIT_AUTHOR_NAME=$name GIT_COMMITTER_NAME=$name GIT_AUTHOR_EMAIL=$who@pgd.example \
		GIT_COMMITTER_EMAIL=$who@pgd.example git $sign -C "$A" "$@"
}
# trailers KEY=VALUE...: a commit message body of Docket-KEY: VALUE trailers
trailers() {
	local kv
	for kv in "$@"; do printf 'Docket-%s: %s\n' "${kv%%=*}" "${kv#*=}"; done
}
# forge NOW LOOSEN DOCKET-ARGS...: what an attacker does to get a well-formed, validly signed
# action that docket refuses in $A: in a scratch copy of $A, loosen the rules with the shell
# command LOOSEN (sed on .docket/, committed there), have docket take the action there, then
# copy the document it wrote into $A and commit it with plain git, with docket's message and
# author. $A's own history never sees the loosened rules. $TAMPER, when set, is run in $A on
# the copied document ($f) before the commit.
forge() {
	local now=$1 loosen=$2 s=$WORK/scratch f
	shift 2
	rm -rf "$s"
	cp -a "$A" "$s"
	if [ -n "$loosen" ]; then
		(cd "$s" && eval "$loosen" && git commit -qam "loosen the rules") || fail "forge: $loosen"
	fi
	DOCKET_NOW=$now "$DOCKET" -C "$s" "$@" >/dev/null 2>"$WORK/forge.err" ||
		fail "forge: docket $* in the scratch copy: $(cat "$WORK/forge.err")"
	f=$(git -C "$s" diff-tree --no-commit-id --name-only -r HEAD -- documents/)
	cp "$s/$f" "$A/$f"
	if [ -n "${TAMPER-}" ]; then (cd "$A" && eval "$TAMPER") || fail "forge: $TAMPER"; fi
	git -C "$s" log -1 --format=%B >"$WORK/forge.msg"
	# signed by the actor its trailers name, with her own key
	# shellcheck disable=SC2046
	GIT_AUTHOR_NAME=$(git -C "$s" log -1 --format=%an) GIT_AUTHOR_EMAIL=x@pgd.example \
		GIT_AUTHOR_DATE=$(git -C "$s" log -1 --format=%aI) \
		GIT_COMMITTER_NAME=$(git -C "$s" log -1 --format=%cn) GIT_COMMITTER_EMAIL=x@pgd.example \
		GIT_COMMITTER_DATE=$(git -C "$s" log -1 --format=%cI) \
		git $(git_signing "$(git -C "$s" log -1 --format='%(trailers:key=Docket-Actor,valueonly)')") \
		-C "$A" commit -q -F "$WORK/forge.msg" -- "$f" || fail "forge: git commit"
	rm -rf "$s"
}

# expect_findings WHAT COMMIT DOC KIND...: `docket audit --trust CA` in $A exits 1 and reports
# exactly the kinds KIND... (each at least once, nothing else); every finding names COMMIT
# (its 12-hex prefix) and DOC ('-' for none: a finding about the repository's configuration).
# The same with --json, and the same again from a fresh audit without the cache.
expect_findings() {
	local what=$1 commit=$2 doc=$3 want got
	shift 3
	want=$(printf '%s\n' "$@" | sort -u)
	audit_of "$A"
	if [ "$rc" != 1 ]; then
		cat "$WORK/out" "$WORK/err"
		fail "$what: audit exited $rc, expected 1"
	fi
	got=$(cut -d: -f1 "$WORK/out" | sort -u)
	[ "$got" = "$want" ] || { cat "$WORK/out"; fail "$what: finding kinds '$(echo $got)', expected '$(echo $want)'"; }
	if [ "$doc" = - ]; then
		grep -v "^[a-z-]*: ${commit:0:12}: " "$WORK/out" && fail "$what: a finding not naming ${commit:0:12} alone"
	else
		grep -v "^[a-z-]*: ${commit:0:12} $doc: " "$WORK/out" && fail "$what: a finding not naming ${commit:0:12} $doc"
	fi
	n=$(wc -l <"$WORK/out")
	expect_grep "$n finding" "$WORK/err"
	cp "$WORK/out" "$WORK/out.text"
	[ -z "${VERBOSE-}" ] || sed "s/^/    | /" "$WORK/out"
	audit_of "$A" --json --no-cache
	[ "$rc" = 1 ] || fail "$what: audit --json --no-cache exited $rc"
	json_findings <"$WORK/out" >"$WORK/json" || fail "$what: audit --json is not JSON: $(cat "$WORK/out")"
	[ "$(wc -l <"$WORK/json")" = "$n" ] || { cat "$WORK/json"; fail "$what: --json has not the $n findings of the text"; }
	if grep -v "^[a-z-]* $commit $doc\$" "$WORK/json"; then fail "$what: --json findings not naming $commit $doc"; fi
	[ "$(cut -d' ' -f1 "$WORK/json" | sort -u)" = "$want" ] || fail "$what: --json kinds differ"
	rm -f "$A/.git/docket/audit"
	audit_of "$A"
	[ "$rc" = 1 ] || fail "$what: without the cache, audit exited $rc"
	diff -u "$WORK/out.text" "$WORK/out" || fail "$what: verdicts differ without the cache"
	cp "$WORK/out.text" "$WORK/out"
}
head_of() { git -C "$A" rev-parse HEAD; }
F=$(path_of $DRAFT)

# 1. a state change not made by a legal transition: the draft set to "issued" by hand, with a
#    step draft -> issued and docket's trailers. It also lacks the signature the issue requires.
copy illegal
sed -i 's|^</document>|  <workflow state="issued">\n    <step date="2021-06-01T08:00:00+07:00" actor="thu" role="clerk" transition="issue" from="draft" to="issued"/>\n  </workflow>\n</document>|' "$A/$F"
grep -q 'to="issued"' "$A/$F" || fail "the crafted step is not in $F: $(grep -n workflow "$A/$F")"
as_git thu commit -qam "docket: issue $DRAFT (draft -> issued)

$(trailers Document=$DRAFT Transition=issue From=draft To=issued Actor=thu Role=clerk)"
expect_findings "draft -> issued by hand" "$(head_of)" $DRAFT illegal-transition signature-missing
expect_grep "'issue' from 'draft' to 'issued' is not allowed by the workflow in force" "$WORK/out"
ok "draft -> issued by hand, with trailers: illegal-transition (and the issue's signature missing)"

# 1b. the state alone changed, no step, as an "edit"
copy state-only
sed -i 's|^</document>|  <workflow state="approved"/>\n</document>|' "$A/$F"
as_git hoa commit -qam "docket: edit $DRAFT

$(trailers Document=$DRAFT Action=edit State=draft Actor=hoa)"
expect_findings "state changed without a step" "$(head_of)" $DRAFT illegal-transition
expect_grep "the state changed from 'draft' to 'approved' without a workflow step" "$WORK/out"
ok "state draft -> approved written by hand in an 'edit': illegal-transition"

# 2. an actor without the role: hoa (drafter) approves the reviewed plan. docket refuses; in a
#    scratch copy where the approve transition allows drafters (and no separation), docket
#    does it with hoa's own key, and the signed document is committed here with plain git.
#    (The scratch workflow numbers nothing, so docket there does not ask the approver to be
#    the printed signer, Lê Thị Lan: the forgery is the role alone.)
copy role
expect_exit 1 "$DOCKET" -C "$A" --as hoa approve $REVD
expect_grep "cannot approve" "$WORK/err"
forge 2021-06-02T10:00:00+07:00 \
	"sed -i -e '/<transition id=\"approve\"/,/<\/transition>/{s/role=\"approver\"/role=\"drafter\"/;/<separate/d}' -e '/assign-number/d' .docket/workflows/plan.xml" \
	--as hoa approve $REVD
git -C "$A" log -1 --format=%B | grep -qx "Docket-Actor: hoa" || fail "the forged approve is not by hoa"
expect_findings "hoa approves" "$(head_of)" $REVD unauthorised-actor
expect_grep "hoa" "$WORK/out"
ok "hoa (drafter) approves, signed with her own key, committed with plain git: unauthorised-actor"

# 2b. an actor outside the unit: son, head of the records office (reviewer of VT), reviews a
#     plan of CTTT. He is added and certified with docket; the review is forged as above,
#     where the scratch copy's configuration puts him in CTTT.
copy unit
DOCKET_NOW=2021-06-01T08:00:00+07:00 "$DOCKET" -C "$A" --as admin person add son --name "Vũ Văn Sơn" \
	--position "TRƯỞNG BỘ PHẬN VĂN THƯ" --unit VT --role reviewer >/dev/null || fail "person add son"
DOCKET_NOW=2021-06-01T08:00:00+07:00 enrol "$A" admin son
DOCKET_NOW=2021-06-02T08:00:00+07:00 "$DOCKET" -C "$A" --as hoa submit $DRAFT >/dev/null || fail "submit"
expect_exit 1 "$DOCKET" -C "$A" --as son review $DRAFT
forge 2021-06-02T10:00:00+07:00 "sed -i '/<person id=\"son\"/s/unit=\"VT\"/unit=\"CTTT\"/' .docket/config.xml" \
	--as son review $DRAFT
expect_findings "son of VT reviews a CTTT plan" "$(head_of)" $DRAFT unauthorised-actor
ok "a reviewer of another unit reviews: unauthorised-actor"

# 3. separation of duties: tam, drafter and reviewer of CTTT (made so with docket), submits
#    the draft with docket, which then refuses her review of it; the review is forged in a
#    scratch copy whose workflow has no separation.
copy sod
DOCKET_NOW=2021-06-01T08:00:00+07:00 "$DOCKET" -C "$A" --as admin person add tam --name "Đinh Thị Tâm" \
	--position "PHÓ TỔ TRƯỞNG CTTT" --unit CTTT --role drafter,reviewer >/dev/null || fail "person add tam"
DOCKET_NOW=2021-06-01T08:00:00+07:00 enrol "$A" admin tam
DOCKET_NOW=2021-06-02T08:00:00+07:00 "$DOCKET" -C "$A" --as tam submit $DRAFT >/dev/null || fail "tam submits"
expect_exit 1 "$DOCKET" -C "$A" --as tam review $DRAFT
forge 2021-06-02T10:00:00+07:00 \
	"sed -i '/<transition id=\"review\"/,/<\/transition>/{/<separate/d}' .docket/workflows/plan.xml" \
	--as tam review $DRAFT
expect_findings "tam submits then reviews" "$(head_of)" $DRAFT separation-of-duties
expect_grep "tam" "$WORK/out"
ok "the same person submits and reviews (the review validly signed): separation-of-duties"

# 4. a signature that fails: lan's approval, made by docket in a scratch copy, one character
#    of its SignatureValue changed before it is committed here
copy badsig
# flip SIG: change the first character of signature SIG's SignatureValue in $f
flip_py='
import re, sys
p, sig = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
i = s.index("Id=\"%s\"" % sig)
j = s.index("SignatureValue>", i) + len("SignatureValue>")
s = s[:j] + ("B" if s[j] != "B" else "C") + s[j + 1:]
open(p, "w", encoding="utf-8").write(s)
'
TAMPER='python3 -c "$flip_py" "$f" sig-2' forge 2021-06-02T10:00:00+07:00 "" --as lan approve $REVD
expect_findings "a changed SignatureValue" "$(head_of)" $REVD signature-invalid
expect_grep "signature sig-2 is not valid" "$WORK/out"
ok "an approval whose SignatureValue was changed: signature-invalid"

# 4b. a signature missing where the workflow requires one: an approve step without it
copy nosig
F2=$(path_of $REVD)
sed -i -e 's|<workflow state="reviewed">|<workflow state="approved">|' \
	-e 's|^\(  </workflow>\)|    <step date="2021-06-02T10:00:00+07:00" actor="lan" role="approver" transition="approve" from="reviewed" to="approved"/>\n\1|' "$A/$F2"
grep -q 'transition="approve"' "$A/$F2" || fail "no approve step crafted"
as_git lan commit -qam "docket: approve $REVD (reviewed -> approved)

$(trailers Document=$REVD Transition=approve From=reviewed To=approved Actor=lan Role=approver)"
expect_findings "approve without a signature" "$(head_of)" $REVD signature-missing
expect_grep "'lan' took 'approve', which requires a signature (ProofOfApproval)" "$WORK/out"
ok "an approve step without a signature: signature-missing"

# 5. content changed in a non-editable state: after submit, indicator 4.1's 2025 target edited,
#    committed as an edit with docket's trailers
copy noedit
DOCKET_NOW=2021-06-02T08:00:00+07:00 "$DOCKET" -C "$A" --as hoa submit $DRAFT >/dev/null || fail "submit"
expect_exit 1 "$DOCKET" -C "$A" --as hoa commit $DRAFT -m "x" # nothing to commit, and not editable
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$F"
git -C "$A" diff --quiet && fail "the target was not edited"
as_git hoa commit -qam "docket: edit $DRAFT

Sửa chỉ tiêu 4.1

$(trailers Document=$DRAFT Action=edit State=submitted Actor=hoa)"
expect_findings "edit after submit" "$(head_of)" $DRAFT content-changed-in-non-editable-state
expect_grep "was edited in the state 'submitted', which is not editable" "$WORK/out"
ok "content edited after submit, with an edit trailer: content-changed-in-non-editable-state"

# 5b. content changed after signing: the issued plan's target edited, as an edit with trailers:
#     not editable, and each of its three signatures no longer verifies
copy aftersign
FS=$(path_of $SEED)
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$FS"
as_git hoa commit -qam "docket: edit $SEED

$(trailers Document=$SEED Action=edit State=issued Actor=hoa)"
expect_findings "edit after approve and issue" "$(head_of)" $SEED content-changed-in-non-editable-state \
	content-changed-after-signing
for s in "sig-1 (Trần Văn Minh, review)" "sig-2 (Lê Thị Lan, approve)" "sig-3 (Phạm Thị Thu, issue)"; do
	expect_grep "signature $s no longer verifies" "$WORK/out"
done
ok "content edited after approval and issue: content-changed-after-signing (each signature), not editable"

# 5c. reported once, where it happened: the reviewed plan's target edited by hand (an edit with
#     trailers), then approved and issued with docket - which takes the edited text as it is -
#     the review signature stays broken, but the approval and the issue are not to blame
copy once
F2=$(path_of $REVD)
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$F2"
as_git hoa commit -qam "docket: edit $REVD

$(trailers Document=$REVD Action=edit State=reviewed Actor=hoa)"
X=$(head_of)
DOCKET_NOW=2021-06-02T10:00:00+07:00 "$DOCKET" -C "$A" --as lan approve $REVD >/dev/null || fail "approve"
DOCKET_NOW=2021-06-02T11:00:00+07:00 "$DOCKET" -C "$A" --as thu issue $REVD >/dev/null || fail "issue"
expect_findings "edited after review, then approved and issued" "$X" $REVD content-changed-in-non-editable-state \
	content-changed-after-signing
[ "$(wc -l <"$WORK/out")" = 2 ] || fail "expected two findings, at the edit only"
ok "an edit after review, then approval and issue: reported once, at the edit"

# 5d. content changed during a transition: the target edited in the same commit as the submit
copy intransition
sed -i -e 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' \
	-e 's|^</document>|  <workflow state="submitted">\n    <step date="2021-06-02T08:00:00+07:00" actor="hoa" role="drafter" transition="submit" from="draft" to="submitted"/>\n  </workflow>\n</document>|' "$A/$F"
as_git hoa commit -qam "docket: submit $DRAFT (draft -> submitted)

$(trailers Document=$DRAFT Transition=submit From=draft To=submitted Actor=hoa Role=drafter)"
expect_findings "content changed in a submit" "$(head_of)" $DRAFT content-changed-in-transition
ok "content changed in the same commit as a submit: content-changed-in-transition"

# 6. a commit touching a document without docket's trailers: a draft corrected with sed and
#    git commit -am (the draft is editable: only the missing trailers are wrong)
copy outside
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$F"
as_git hoa commit -qam "Sửa chỉ tiêu 4.1"
expect_findings "git commit -am" "$(head_of)" $DRAFT outside-docket
expect_grep "without docket's trailers" "$WORK/out"
ok "a draft edited with sed and git commit -am: outside-docket"

# 7. changes to .docket/ not made by an administrator: hoa gives herself the approver role in
#    config.xml, (a) with docket's trailers naming her, (b) with plain git and no trailers;
#    (c) the administrator's own change, by hand and so not signed with his key
copy config-hoa
sed -i '/<person id="hoa"/s/roles="drafter"/roles="drafter approver"/' "$A/.docket/config.xml"
git -C "$A" diff --quiet && fail "config.xml was not changed"
as_git hoa commit -qam "docket: add role approver to hoa

$(trailers Action=config Actor=hoa)"
expect_findings "config changed by hoa (trailers)" "$(head_of)" - config-not-by-admin
expect_grep "changed by 'hoa', who is not an administrator" "$WORK/out"
copy config-git
sed -i '/<person id="hoa"/s/roles="drafter"/roles="drafter approver"/' "$A/.docket/config.xml"
as_git hoa commit -qam "Thêm quyền phê duyệt"
expect_findings "config changed by plain git" "$(head_of)" - config-not-by-admin
expect_grep "changed by 'Nguyễn Thị Hoa', who is not an administrator" "$WORK/out"
copy config-unsigned
sed -i '/<person id="hoa"/s/roles="drafter"/roles="drafter approver"/' "$A/.docket/config.xml"
NOSIGN=1 as_git admin commit -qam "docket: add role approver to hoa

$(trailers Action=config Actor=admin)"
expect_findings "config changed by the admin, unsigned" "$(head_of)" - config-not-signed
ok "config.xml changed by hoa with trailers, by plain git, by the admin unsigned: config-not-by-admin, config-not-signed"

# 7b. a workflow loosened by hand (the approver may approve what she submitted): .docket/ too
copy workflow
sed -i '/<transition id="approve"/,/<\/transition>/{/<separate/d}' "$A/.docket/workflows/plan.xml"
as_git lan commit -qam "Bỏ phân tách nhiệm vụ"
expect_findings "workflow changed by plain git" "$(head_of)" - config-not-by-admin
ok "a workflow changed with plain git: config-not-by-admin"

# 8. history rewritten: after an audit (its cache covers the tip), the last commit is dropped
#    with git reset --hard HEAD~1 and a new one made with docket; or amended in place
for how in reset amend; do
	copy rewrite-$how
	old=$(head_of)
	if [ $how = reset ]; then
		git -C "$A" reset -q --hard HEAD~1
		DOCKET_NOW=2021-05-14T09:00:00+07:00 "$DOCKET" -C "$A" --as minh review $REVD >/dev/null || fail "review again"
	else
		as_git minh commit -q --amend -m "$(git -C "$A" log -1 --format=%B | sed 's/^docket: review/docket: Review/')"
	fi
	[ "$(head_of)" != "$old" ] || fail "$how: the tip did not change"
	for run in 1 2; do # reported, and still reported on the next audit (the cache keeps it)
		audit_of "$A"
		[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "history rewritten ($how, run $run): audit exited $rc"; }
		printf 'history-rewritten: repository: the previously audited commit %s is no longer in the history of the main branch: history was rewritten\n' \
			"${old:0:12}" >"$WORK/want"
		diff -u "$WORK/want" "$WORK/out" || fail "history rewritten ($how, run $run)"
	done
	audit_of "$A" --json
	[ "$rc" = 1 ] || fail "history rewritten ($how): audit --json exited $rc"
	[ "$(json_findings <"$WORK/out")" = "history-rewritten - -" ] || fail "history rewritten --json: $(cat "$WORK/out")"
done
ok "an audited commit dropped by git reset --hard HEAD~1 + a new commit, or by --amend: history-rewritten, kept"

# 9. the other kinds: a return without its reason; an earlier step rewritten; trailers that
#    do not match the step; a document deleted; the register changed without an issue; a
#    signature made with another person's certificate; an invalid document
copy reason
DOCKET_NOW=2021-06-02T08:00:00+07:00 "$DOCKET" -C "$A" --as hoa submit $DRAFT >/dev/null || fail "submit"
expect_exit 1 "$DOCKET" -C "$A" --as minh return $DRAFT
sed -i -e 's|<workflow state="submitted">|<workflow state="draft">|' \
	-e 's|^\(  </workflow>\)|    <step date="2021-06-02T10:00:00+07:00" actor="minh" role="reviewer" transition="return" from="submitted" to="draft"/>\n\1|' "$A/$F"
as_git minh commit -qam "docket: return $DRAFT (submitted -> draft)

$(trailers Document=$DRAFT Transition=return From=submitted To=draft Actor=minh Role=reviewer)"
expect_findings "return without a reason" "$(head_of)" $DRAFT reason-missing
ok "a return without its reason, by hand: reason-missing"

copy steps
sed -i '0,/actor="minh" role="reviewer" transition="return"/s//actor="lan" role="approver" transition="return"/' "$A/$FS"
git -C "$A" diff --quiet && fail "the step was not changed"
as_git hoa commit -qam "docket: edit $SEED

$(trailers Document=$SEED Action=edit State=issued Actor=hoa)"
expect_findings "an old step rewritten" "$(head_of)" $SEED steps-rewritten
ok "an earlier workflow step rewritten (who returned it): steps-rewritten"

copy trailer
forge 2021-06-02T10:00:00+07:00 "" --as lan approve $REVD
git -C "$A" log -1 --format=%B | sed 's/^Docket-Actor: lan$/Docket-Actor: minh/' >"$WORK/msg"
# minh claims lan's approval and signs the commit as the actor the trailer now names
as_git minh commit -q --amend -F "$WORK/msg" # not yet audited: no rewrite of audited history
expect_findings "trailer names another actor" "$(head_of)" $REVD trailer-mismatch
ok "an approval by lan whose trailer names minh (git commit --amend): trailer-mismatch"

copy deleted
as_git hoa rm -q "$F"
as_git hoa commit -qm "docket: remove $DRAFT

$(trailers Document=$DRAFT Action=edit Actor=hoa)"
expect_findings "a document deleted" "$(head_of)" $DRAFT document-deleted
ok "a document removed with git rm and trailers: document-deleted"

copy register
reg=$(git -C "$A" ls-tree -r --name-only HEAD .docket/register/ | head -n 1)
[ -n "$reg" ] || fail "no register in the tree"
tail -n 1 "$A/$reg" | sed "s/$SEED/$DRAFT/; s/^01/02/" >>"$A/$reg"
as_git thu commit -qam "Vào sổ"
expect_findings "register changed" "$(head_of)" - register-tampered
ok "a line added to the register by hand: register-tampered"

copy wrongsigner
# in the scratch copy lan's recorded certificate is minh's, and lan signs with minh's key
loosen_cert='python3 -c "
import re
p = \".docket/config.xml\"
s = open(p, encoding=\"utf-8\").read()
cert = lambda who: re.search(r\"<person id=\\\"%s\\\".*?(<certificate>.*?</certificate>)\" % who, s, re.S)
m, l = cert(\"minh\"), cert(\"lan\")
s = s[:l.start(1)] + m.group(1) + s[l.end(1):]
open(p, \"w\", encoding=\"utf-8\").write(s)
"'
DOCKET_KEY=$HOME/.config/docket/keys/minh.pem forge 2021-06-02T10:00:00+07:00 "$loosen_cert" --as lan approve $REVD
expect_findings "signed with minh's key" "$(head_of)" $REVD signature-wrong-signer
expect_grep "made by 'Trần Văn Minh', not with the certificate recorded for the actor 'lan'" "$WORK/out"
ok "lan's approval signed with minh's key and certificate: signature-wrong-signer"

copy sigremoved
# lan's approval, made by docket, committed without minh's review signature
drop_py='
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
t = re.sub(r"\s*<ds:Signature [^>]*Id=\"sig-1\".*?</ds:Signature>", "", s, flags=re.S)
assert t != s
open(p, "w", encoding="utf-8").write(t)
'
TAMPER='python3 -c "$drop_py" "$f"' forge 2021-06-02T10:00:00+07:00 "" --as lan approve $REVD
grep -q 'Id="sig-1"' "$A/$(path_of $REVD)" && fail "sig-1 was not removed"
expect_findings "review signature dropped in the approval" "$(head_of)" $REVD signature-removed
expect_grep "signature sig-1 was removed" "$WORK/out"
ok "an approval that drops the review's signature: signature-removed"

copy invalid
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="chín chín"/>|' "$A/$F"
as_git hoa commit -qam "docket: edit $DRAFT

$(trailers Document=$DRAFT Action=edit State=draft Actor=hoa)"
expect_findings "an invalid target" "$(head_of)" $DRAFT document-invalid
ok "a target that is not a number, committed as an edit: document-invalid"

# --- the DOC filter and --since ------------------------------------------------------------------
# three bad commits: X an outside edit of the draft, Y the issued plan edited, Z hoa's config change
copy filters
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$F"
as_git hoa commit -qam "Sửa chỉ tiêu 4.1"
X=$(head_of)
sed -i 's|<target year="2030" value="100"/>|<target year="2030" value="99.9"/>|' "$A/$FS"
as_git hoa commit -qam "docket: edit $SEED

$(trailers Document=$SEED Action=edit State=issued Actor=hoa)"
Y=$(head_of)
sed -i '/<person id="hoa"/s/roles="drafter"/roles="drafter approver"/' "$A/.docket/config.xml"
as_git hoa commit -qam "docket: config

$(trailers Action=config Actor=hoa)"
Z=$(head_of)
audit_of "$A"
[ "$rc" = 1 ] || fail "filters: audit exited $rc"
cp "$WORK/out" "$WORK/all"
[ "$(grep -c "^outside-docket: ${X:0:12} $DRAFT: " "$WORK/all")" = 1 ] || fail "filters: X"
[ "$(grep -c " ${Y:0:12} $SEED: " "$WORK/all")" = 4 ] || fail "filters: Y"
[ "$(grep -c "^config-not-by-admin: ${Z:0:12}: " "$WORK/all")" = 1 ] || fail "filters: Z"
[ "$(wc -l <"$WORK/all")" = 6 ] || { cat "$WORK/all"; fail "filters: 6 findings expected"; }
audit_of "$A" $DRAFT
[ "$rc" = 1 ] || fail "audit $DRAFT exited $rc"
grep "^[a-z-]*: [0-9a-f]* $DRAFT: " "$WORK/all" | diff -u - "$WORK/out" || fail "audit $DRAFT"
audit_of "$A" $SEED $REVD
[ "$rc" = 1 ] || fail "audit $SEED $REVD exited $rc"
grep "^[a-z-]*: [0-9a-f]* $SEED: " "$WORK/all" | diff -u - "$WORK/out" || fail "audit $SEED $REVD"
audit_of "$A" $REVD
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || fail "audit $REVD (untouched): exit $rc, $(cat "$WORK/out")"
audit_of "$A" --since "$X"
[ "$rc" = 1 ] || fail "audit --since X exited $rc"
grep -v " ${X:0:12} " "$WORK/all" | diff -u - "$WORK/out" || fail "audit --since X"
expect_grep "audited 2 commits" "$WORK/err"
audit_of "$A" --since "$Y"
grep "${Z:0:12}" "$WORK/all" | diff -u - "$WORK/out" || fail "audit --since Y"
audit_of "$A" --since "$Z"
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || fail "audit --since Z: exit $rc, $(cat "$WORK/out")"
audit_of "$A" --since "$Y" $DRAFT
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || fail "audit --since Y $DRAFT: exit $rc, $(cat "$WORK/out")"
audit_of "$A"
diff -u "$WORK/all" "$WORK/out" || fail "the filters changed the full audit's verdicts"
ok "audit DOC... reports only those documents' findings; --since REV only the commits after REV"

# --- incremental -----------------------------------------------------------------------------------
# the copy's cache covers the clean tip: three new docket actions cost three commits
copy incremental
DOCKET_NOW=2021-06-02T08:00:00+07:00 "$DOCKET" -C "$A" --as hoa submit $DRAFT >/dev/null || fail "submit"
DOCKET_NOW=2021-06-02T09:00:00+07:00 "$DOCKET" -C "$A" --as minh review $DRAFT >/dev/null || fail "review"
DOCKET_NOW=2021-06-02T10:00:00+07:00 "$DOCKET" -C "$A" --as lan approve $DRAFT >/dev/null || fail "approve"
audit_of "$A"
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || fail "incremental: exit $rc, $(cat "$WORK/out")"
grep -q "^docket: 3 new commits, verified [0-9]* signatures: 0 findings$" "$WORK/err" ||
	fail "incremental: after 3 new actions: $(cat "$WORK/err")"
audit_of "$A" --json
[ "$rc" = 0 ] || fail "incremental: --json exited $rc"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["commits"] == 0 and j["findings"] == [], j' \
	"$WORK/out" || fail "incremental: nothing new: $(cat "$WORK/out")"
# one outside edit more: one commit audited, its finding; kept by the cache; the same without it
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$FS"
as_git hoa commit -qam "Sửa chỉ tiêu 4.1"
audit_of "$A" --json
[ "$rc" = 1 ] || fail "incremental: --json after an outside edit exited $rc"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["commits"] == 1 and len(j["findings"]) == 1, j' \
	"$WORK/out" || fail "incremental: one new commit: $(cat "$WORK/out")"
audit_of "$A"
[ "$rc" = 1 ] || fail "incremental: the cached finding: exit $rc"
grep -q "^docket: 0 new commits, verified 0 signatures; 1 finding recorded earlier$" "$WORK/err" ||
	fail "incremental: nothing new, the finding from the cache: $(cat "$WORK/err")"
expect_findings "an outside edit after an incremental audit" "$(head_of)" $SEED outside-docket
rm -f "$A/.git/docket/audit"
audit_of "$A" --json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["commits"] == int(sys.argv[2]) + 4 and len(j["findings"]) == 1, j' \
	"$WORK/out" "$NCOMMITS" || fail "incremental: without the cache: $(cat "$WORK/out")"
ok "incremental: 3 new actions -> '3 new commits'; cached verdicts kept ('1 finding recorded earlier'); the cache deleted, the same verdicts"

# --- a legal return after a signature is not a finding ----------------------------------------
# reviewed (signed by minh), returned by lan with a reason (which takes the signature off the
# draft), corrected in the draft with docket commit, submitted, reviewed and approved again,
# issued: nothing to report, with or without the cache.
copy return-after-review
A_=$A
at2() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$A_" "$@" >/dev/null || fail "docket $*"; }
at2 2021-06-02T08:00:00+07:00 --as hoa submit $DRAFT
at2 2021-06-02T09:00:00+07:00 --as minh review $DRAFT
at2 2021-06-02T10:00:00+07:00 --as lan return $DRAFT -m "Chỉ tiêu 4.1: đề nghị xem lại"
grep -q '<ds:Signature' "$A/$F" && fail "the return left a signature on the draft"
sed -i 's|<target year="2025" value="99.5"/>|<target year="2025" value="99.0"/>|' "$A/$F"
at2 2021-06-02T11:00:00+07:00 --as hoa commit $DRAFT -m "Sửa chỉ tiêu 4.1"
at2 2021-06-02T12:00:00+07:00 --as hoa submit $DRAFT
at2 2021-06-02T13:00:00+07:00 --as minh review $DRAFT
at2 2021-06-02T14:00:00+07:00 --as lan approve $DRAFT
at2 2021-06-02T15:00:00+07:00 --as thu issue $DRAFT
for cache in with without; do
	[ $cache = with ] || rm -f "$A/.git/docket/audit"
	audit_of "$A"
	[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] ||
		{ cat "$WORK/out"; fail "review, return, edit, resubmit, review, approve, issue ($cache the cache): exit $rc"; }
done
ok "reviewed, returned with a reason, corrected and walked again to issued with docket: no findings"
