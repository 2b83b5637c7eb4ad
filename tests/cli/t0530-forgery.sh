#!/usr/bin/env bash
# Issue 12, "a history no one can forge": each attack that once passed `docket audit --trust`
# with 0 findings on a fully signed repository, built as an attacker would - with docket where
# docket lets them, with plain git where it does not - and the refusal or the precise finding
# (kind, commit, document) it now meets:
#  1. an action under another person's name without her key: refused; the plain-git commit
#     with her name in its trailers: commit-unsigned; a transition the administrator allows
#     unsigned: taken, and reported as unsigned-action (a note, not proof of who acted);
#  2. trailers injected through a message: refused ('Docket-' and '---' lines); the same
#     message committed with plain git: ambiguous-trailers, and `docket log` shows what docket
#     wrote, not the injected lines;
#  3. a line deleted from the register: register-tampered at the deletion, number-reused at
#     the issue that hands the number out again;
#  4. a review signature revived after a return: signature-replayed, and `docket verify` says
#     so;
#  6. main forced back: history-rewritten from a signed checkpoint in a fresh clone (and with
#     --no-cache), from the head kept outside the repository; a forged checkpoint is
#     checkpoint-invalid; stock `git verify-tag` checks a checkpoint;
#  7. the header changed after approval: `docket verify` refuses the approval, the audit
#     reports it.
# Also a repository made by docket before these rules (tests/resources/legacy): it audits with
# its unsigned commits and older signatures as notes, not forgeries; `docket migrate` by its
# administrator records the new rules in one signed commit, after which an unsigned commit is
# a finding.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
TRUST=$WORK/ca/ca.pem
A1=kh-2021-354
A2=kh-2021-360
A3=kh-2021-361
P=documents/plan/2021/CTTT
d() { "$DOCKET" -C "$R" "$@"; }
at() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$R" "$@" >/dev/null 2>"$WORK/at.err" || { cat "$WORK/at.err"; fail "docket $*"; }; }
count() { git -C "$1" rev-list --count main; }
head_of() { git -C "$1" rev-parse HEAD; }

# audit_of REPO ARGS...: docket audit --trust, stdout in $WORK/out, stderr in $WORK/err, status in
# $rc; each repository is audited by a verifier of its own ($XDG_STATE_HOME, where the head
# audited last is kept): the copies are sibling histories of one repository, not a rewrite
audit_of() {
	local repo=$1
	shift
	rc=0
	XDG_STATE_HOME=$WORK/state/$(basename "$repo") "$DOCKET" -C "$repo" audit --trust "$TRUST" "$@" \
		>"$WORK/out" 2>"$WORK/err" || rc=$?
}
# finds KIND COMMIT DOC: the last audit reported KIND naming COMMIT (12 hex) and DOC ('-': none)
finds() {
	local pat
	if [ "$3" = - ]; then pat="^$1: ${2:0:12}: "; else pat="^$1: ${2:0:12} $3: "; fi
	grep -q "$pat" "$WORK/out" || { cat "$WORK/out" "$WORK/err"; fail "no '$1' naming ${2:0:12} $3"; }
}
# only KIND...: the last audit exited 1 and reported these kinds and no other
only() {
	[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "audit exited $rc, expected 1"; }
	[ "$(cut -d: -f1 "$WORK/out" | sort -u)" = "$(printf '%s\n' "$@" | sort -u)" ] ||
		{ cat "$WORK/out"; fail "finding kinds '$(cut -d: -f1 "$WORK/out" | sort -u | xargs)', expected '$*'"; }
}
clean_audit() {
	audit_of "$1"
	[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "$2: audit exited $rc"; }
}
# copy NAME: a copy of $R in $A
copy() {
	A=$WORK/$1
	rm -rf "$A"
	cp -a "$R" "$A"
}
# as_git WHO ARGS...: plain git in $A as WHO, signed with WHO's own key (NOSIGN=1: unsigned)
as_git() {
	local who=$1 sign=""
	shift
	[ -n "${NOSIGN-}" ] || sign=$(git_signing "$who")
	# shellcheck disable=SC2086
	GIT_AUTHOR_NAME=$who GIT_COMMITTER_NAME=$who GIT_AUTHOR_EMAIL=$who@pgd.example \
		GIT_COMMITTER_EMAIL=$who@pgd.example git $sign -C "$A" "$@"
}

# --- a fully signed repository ----------------------------------------------------------------
export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --place "Cẩm Phả" >/dev/null
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d --as admin unit add VT --name "Văn thư" --parent LD >/dev/null
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver >/dev/null
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk >/dev/null
enrol "$R" admin hoa minh lan thu
unset DOCKET_NOW
for doc in $A1 $A2 $A3; do
	at 2021-05-03T07:30:00+07:00 --as hoa add --draft --id $doc "$EXAMPLES/354-KH-PGDDT.xml"
done
at 2021-05-03T08:00:00+07:00 --as hoa submit $A1 -m "Trình"
at 2021-05-04T09:00:00+07:00 --as minh review $A1
[ -z "$(git -C "$R" status --porcelain)" ] || fail "the work tree is not clean after the walk"
for c in $(git -C "$R" rev-list main); do
	git -C "$R" cat-file commit "$c" | grep -q '^gpgsig ' && continue
	# the bootstrap: init, the first unit and administrator, before any certificate
	[ "$(git -C "$R" rev-list --count "$c")" -le 3 ] || fail "commit $c is not signed: $(git -C "$R" log -1 --format=%s "$c")"
done
d signers >"$WORK/allowed" || fail "docket signers"
for c in $(git -C "$R" rev-list main | head -n -3); do
	git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed" verify-commit "$c" 2>/dev/null ||
		fail "git verify-commit refuses $(git -C "$R" log -1 --format=%s "$c")"
done
clean_audit "$R" "the signed history"
expect_grep "note: unsigned-bootstrap: " "$WORK/err"
[ "$(grep -c 'note: unsigned-bootstrap' "$WORK/err")" = 1 ] || fail "the bootstrap is not noted once"
ok "a fully signed history: every commit after the bootstrap signed (git verify-commit with 'docket signers' accepts each); audit exit 0, the bootstrap one note"

# ==== 1. actions under another person's name ==================================================
mkdir -p "$WORK/nokeys"
nokey() { env XDG_CONFIG_HOME="$WORK/nokeys" "$DOCKET" -C "$R" "$@"; }
before=$(count "$R")
expect_exit 1 nokey --as lan return $A1 -m "Trả lại"
expect_grep "cannot return '$A1': it requires lan's signature: every action is signed by its actor" "$WORK/err"
expect_exit 1 nokey --as hoa submit $A2 -m "Trình"
expect_grep "requires hoa's signature" "$WORK/err"
expect_exit 1 env DOCKET_KEY="$HOME/.config/docket/keys/hoa.pem" "$DOCKET" -C "$R" --as lan return $A1 -m "Trả lại"
expect_grep "the certificate is not for this key" "$WORK/err"
sed -i 's|Thực hiện Chương trình|Thực hiện  Chương trình|' "$R/$P/$A2.xml"
expect_exit 1 nokey --as hoa commit $A2 -m "Sửa"
expect_grep "cannot edit '$A2': it requires hoa's signature" "$WORK/err"
git -C "$R" checkout -q -- "$P/$A2.xml"
expect_exit 1 nokey --as admin unit add X --name "X"
expect_grep "requires admin's signature" "$WORK/err"
[ "$(count "$R")" = "$before" ] || fail "a refused unsigned action committed"
ok "return as lan, submit and edit as hoa, a unit added as admin, without their keys (or with another's): exit 1, nothing committed"

# the same return made with plain git: lan's name in the trailers, no key of hers
copy unsigned
python3 - "$A/$P/$A1.xml" <<'EOF' || fail "cannot craft the return"
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace('state="reviewed"', 'state="draft"', 1)
s = re.sub(r'\n  <signatures>.*?</signatures>', '', s, flags=re.S)
s = s.replace('</workflow>', '  <step date="2021-05-05T08:00:00+07:00" actor="lan" role="approver" transition="return" from="reviewed" to="draft">Trả lại</step>\n  </workflow>', 1)
open(p, "w", encoding="utf-8").write(s)
EOF
NOSIGN=1 as_git lan commit -qam "docket: return $A1 (reviewed -> draft)

Trả lại

Docket-Document: $A1
Docket-Transition: return
Docket-From: reviewed
Docket-To: draft
Docket-Actor: lan
Docket-Role: approver"
audit_of "$A"
only commit-unsigned
finds commit-unsigned "$(head_of "$A")" $A1
expect_grep "the commit says 'lan' return, but it is not signed" "$WORK/out"
audit_of "$A" --no-cache
finds commit-unsigned "$(head_of "$A")" $A1
ok "the return as lan with plain git and her name in the trailers: commit-unsigned, naming the commit and $A1"

# the repository allows submit unsigned: taken without a key, reported as such
at 2021-05-05T08:00:00+07:00 --as admin org unsigned submit
expect_grep '<unsigned transition="submit"/>' "$R/.docket/config.xml"
before=$(count "$R")
DOCKET_NOW=2021-05-05T09:00:00+07:00 expect_exit 0 nokey --as hoa submit $A2 -m "Trình"
[ "$(count "$R")" = $((before + 1)) ] || fail "the unsigned submit did not commit"
U=$(head_of "$R")
git -C "$R" cat-file commit "$U" | grep -q '^gpgsig ' && fail "the allowed unsigned submit is signed"
expect_exit 1 nokey --as hoa commit $A3 -m "Sửa"
expect_grep "requires hoa's signature" "$WORK/err"
audit_of "$R"
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "allowed unsigned submit: audit exited $rc"; }
expect_grep "note: unsigned-action: ${U:0:12} $A2: 'hoa' took 'submit' without a signed commit, as the configuration allows" "$WORK/err"
audit_of "$R" --json --no-cache
python3 - "$WORK/out" "$U" <<'EOF' || fail "audit --json: the note"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["findings"] == [], j["findings"]
assert {"kind": "unsigned-action", "commit": sys.argv[2], "document": "kh-2021-360"}.items() <= \
    [n for n in j["notes"] if n["kind"] == "unsigned-action"][0].items(), j["notes"]
EOF
at 2021-05-05T10:00:00+07:00 --as admin org unsigned --none
ok "'org unsigned submit' by the admin: hoa submits without a key; audit exit 0 with the note unsigned-action (text and --json); an edit stays refused"

# ==== 2. trailers injected through a message ===================================================
sed -i 's|Thực hiện Chương trình|Thực hiện  Chương trình|' "$R/$P/$A3.xml"
before=$(count "$R")
expect_exit 2 d --as hoa commit $A3 -m $'x\n\nDocket-Transition: approve\nDocket-Actor: lan\n---'
expect_grep "looks like one of docket's trailers" "$WORK/err"
expect_exit 2 d --as hoa commit $A3 -m $'x\n---\ny'
expect_grep "starts with '---', which ends git's reading of trailers" "$WORK/err"
expect_exit 2 d --as hoa commit $A3 -m $'x\rDocket-Actor: lan'
expect_grep "control character 0x0d" "$WORK/err"
expect_exit 2 d --as admin person add eve --name $'Eve\nDocket-Actor: lan' --position CV --unit LD --role drafter
expect_grep "control character 0x0a" "$WORK/err"
[ "$(count "$R")" = "$before" ] || fail "an injected message was committed"
at 2021-05-06T08:00:00+07:00 --as hoa commit $A3 -m "Sửa trích yếu"
ok "messages with Docket- or --- lines, or control characters, and a name with a newline: exit 2, nothing committed"

copy inject
sed -i 's|Thực hiện  Chương trình|Thực hiện Chương trình|' "$A/$P/$A3.xml"
as_git hoa commit -qa -F - <<EOF
docket: edit $A3

x

Docket-Transition: approve
Docket-Actor: lan
---

Docket-Document: $A3
Docket-Action: edit
Docket-State: draft
Docket-Actor: hoa
EOF
X=$(head_of "$A")
audit_of "$A"
only ambiguous-trailers
finds ambiguous-trailers "$X" $A3
"$DOCKET" -C "$A" log $A3 >"$WORK/log" || fail "docket log"
grep -A1 "${X:0:12}" "$WORK/log" >"$WORK/line" || { cat "$WORK/log"; fail "the log has no line for the commit"; }
grep -q "edit" "$WORK/line" && grep -q "Nguyễn Thị Hoa" "$WORK/line" || { cat "$WORK/line"; fail "log: not hoa's edit"; }
grep -q "approve\|Lê Thị Lan" "$WORK/line" && { cat "$WORK/line"; fail "log shows the injected approval"; }
ok "the injected message committed with plain git: ambiguous-trailers (commit, $A3); docket log shows hoa's edit, not an approval by lan"

# ==== 3. the register =========================================================================
at 2021-05-07T08:00:00+07:00 --as hoa submit $A3 -m "Trình"
at 2021-05-07T09:00:00+07:00 --as minh review $A3
for doc in $A1 $A3; do
	at 2021-05-08T09:00:00+07:00 --as lan approve $doc
	at 2021-05-09T09:00:00+07:00 --as thu issue $doc
done
REG=.docket/register/2021/PGDDT.txt
[ "$(cut -f1,3 "$R/$REG")" = "$(printf '01\t%s\n02\t%s' $A1 $A3)" ] || fail "the register: $(cat "$R/$REG")"
clean_audit "$R" "two issued plans"
copy register
sed -i '/^02\t/d' "$A/$REG"
as_git thu commit -qam "Sửa sổ đăng ký"
T=$(head_of "$A")
# A2 goes through the workflow and is issued: the register gives it 02 again
git -C "$A" checkout -q -- . 2>/dev/null || true
for step in "2021-05-10T08:00:00+07:00 --as minh review $A2" "2021-05-10T09:00:00+07:00 --as lan approve $A2" \
	"2021-05-10T10:00:00+07:00 --as thu issue $A2"; do
	# shellcheck disable=SC2086
	DOCKET_NOW=${step%% *} "$DOCKET" -C "$A" ${step#* } >/dev/null || fail "docket ${step#* } in the copy"
done
I=$(head_of "$A")
grep -q "^02	.*	$A2	" "$A/$REG" || fail "the copy's issue did not take 02: $(cat "$A/$REG")"
# each document is valid, but two issued plans now carry 02: validate --all says so (issue 10)
expect_exit 1 "$DOCKET" -C "$A" validate --all
expect_grep "error: the number 02/KH-PGDĐT of PGDĐT in 2021 is carried by" "$WORK/out"
[ "$(grep -c 'error: ' "$WORK/out")" = 1 ] || { cat "$WORK/out"; fail "validate --all: more than the number given twice"; }
audit_of "$A"
only register-tampered number-reused
finds register-tampered "$T" -
finds number-reused "$I" $A2
expect_grep "number 02 of the register $REG was given before, to $A3" "$WORK/out"
audit_of "$A" --no-cache
finds number-reused "$I" $A2
ok "line 02 deleted from the register with plain git, then 02 issued again: register-tampered at the deletion, number-reused at the issue of $A2"

# ==== 4. a review signature revived after a return =============================================
copy replay
F4=$A/$P/$A2.xml
DOCKET_NOW=2021-05-10T08:00:00+07:00 "$DOCKET" -C "$A" --as minh review $A2 >/dev/null || fail "review"
REV=$(head_of "$A")
DOCKET_NOW=2021-05-11T08:00:00+07:00 "$DOCKET" -C "$A" --as lan return $A2 -m "Trả lại" >/dev/null || fail "return"
DOCKET_NOW=2021-05-12T08:00:00+07:00 "$DOCKET" -C "$A" --as hoa submit $A2 -m "Trình lại" >/dev/null || fail "submit"
git -C "$A" show "$REV:$P/$A2.xml" >"$WORK/reviewed.xml"
python3 - "$F4" "$WORK/reviewed.xml" <<'EOF' || fail "cannot revive the review signature"
import re, sys
p, old = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
s = open(p, encoding="utf-8").read()
sigs = re.search(r'\n  <signatures>.*?</signatures>', old, re.S).group(0)
s = s.replace('state="submitted"', 'state="reviewed"', 1)
s = s.replace('</workflow>', '  <step date="2021-05-13T08:00:00+07:00" actor="minh" role="reviewer" transition="review" from="submitted" to="reviewed"/>\n  </workflow>' + sigs, 1)
open(p, "w", encoding="utf-8").write(s)
EOF
as_git minh commit -qa -F - <<EOF
docket: review $A2 (submitted -> reviewed)

Docket-Document: $A2
Docket-Transition: review
Docket-From: submitted
Docket-To: reviewed
Docket-Actor: minh
Docket-Role: reviewer
EOF
FORGED=$(head_of "$A")
# the approver signs on top of it, with docket
DOCKET_NOW=2021-05-14T08:00:00+07:00 "$DOCKET" -C "$A" --as lan approve $A2 >/dev/null || fail "approve on the revived review"
audit_of "$A"
only signature-replayed
finds signature-replayed "$FORGED" $A2
expect_grep "signature sig-1 (review) is bound to step 2, not to step 5 that this commit added" "$WORK/out"
expect_exit 1 "$DOCKET" -C "$A" verify $A2 --trust "$TRUST"
grep -q "^FAIL sig-1: .*signature replayed: it was made at step 2, and step 3 sent the document back to 'draft'" "$WORK/out" ||
	{ cat "$WORK/out"; fail "verify does not refuse the revived signature"; }
grep -q "^ok   sig-2: " "$WORK/out" || { cat "$WORK/out"; fail "lan's own approval should hold"; }
ok "the review signature of step 2 revived in a forged review after a return, approved on top: signature-replayed (commit, $A2); verify refuses sig-1"

# ==== 7. the header changed after approval =====================================================
copy header
DOCKET_NOW=2021-05-10T08:00:00+07:00 "$DOCKET" -C "$A" --as minh review $A2 >/dev/null || fail "review"
DOCKET_NOW=2021-05-10T09:00:00+07:00 "$DOCKET" -C "$A" --as lan approve $A2 >/dev/null || fail "approve"
expect_exit 0 "$DOCKET" -C "$A" verify $A2 --trust "$TRUST"
python3 - "$A/$P/$A2.xml" <<'EOF' || fail "cannot change the header"
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
t = re.sub(r'(<subject>)[^<]*', r'\1Thực hiện một chương trình khác', s, count=1)
assert t != s
open(p, "w", encoding="utf-8").write(t)
EOF
as_git hoa commit -qam "docket: edit $A2

Docket-Document: $A2
Docket-Action: edit
Docket-State: approved
Docket-Actor: hoa"
H=$(head_of "$A")
expect_exit 1 "$DOCKET" -C "$A" verify $A2 --trust "$TRUST"
grep -q "^FAIL sig-2: .*header changed after signing" "$WORK/out" || { cat "$WORK/out"; fail "verify accepts the changed header"; }
grep -q "^FAIL sig-1: .*header changed after signing" "$WORK/out" || { cat "$WORK/out"; fail "the review signature does not cover the header"; }
audit_of "$A"
only content-changed-in-non-editable-state content-changed-after-signing
finds content-changed-after-signing "$H" $A2
expect_grep "header changed after signing" "$WORK/out"
ok "the subject changed by plain git after approval: verify refuses the review and approval signatures, 'header changed after signing'; the audit reports it"

# ==== 6. history rewritten ====================================================================
before=$(git -C "$R" for-each-ref refs/tags | wc -l)
expect_exit 1 d --as hoa checkpoint
expect_grep "'hoa' is not an administrator" "$WORK/err"
DOCKET_NOW=2021-06-01T08:00:00+07:00 expect_exit 0 d --as admin checkpoint -m "tháng 5"
[ "$(cat "$WORK/out")" = docket/checkpoint/1 ] || fail "checkpoint printed '$(cat "$WORK/out")'"
[ "$(git -C "$R" cat-file -t refs/tags/docket/checkpoint/1)" = tag ] || fail "not an annotated tag"
[ "$(git -C "$R" rev-parse 'refs/tags/docket/checkpoint/1^{commit}')" = "$(head_of "$R")" ] || fail "not main's tip"
d signers >"$WORK/allowed"
git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed" verify-tag docket/checkpoint/1 2>"$WORK/vt" ||
	{ cat "$WORK/vt"; fail "git verify-tag refuses the checkpoint"; }
grep -v '^admin' "$WORK/allowed" >"$WORK/allowed-noadmin"
git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed-noadmin" verify-tag docket/checkpoint/1 2>/dev/null &&
	fail "git verify-tag accepts the checkpoint without the admin's key"
CP=$(head_of "$R")
at 2021-06-02T08:00:00+07:00 --as hoa add --draft --id kh-2021-370 "$EXAMPLES/354-KH-PGDDT.xml"
clean_audit "$R" "after the checkpoint"
ok "checkpoint: refused to hoa; by the admin an annotated tag of main, which git verify-tag accepts with 'docket signers' (not without the admin's key)"

# the server's main forced back two commits and a new commit made (the checkpointed tip is gone)
S=$WORK/server.git
git clone -q --bare "$R" "$S"
git -C "$S" update-ref refs/heads/main "$(git -C "$R" rev-parse main~2)"
W=$WORK/rewriter
git clone -q "$S" "$W"
git -C "$W" commit -q --allow-empty -m "docket: nothing to see"
git -C "$W" push -q -f origin main
C1=$WORK/fresh
git clone -q "$S" "$C1"
[ "$(git -C "$C1" tag -l 'docket/checkpoint/*')" = docket/checkpoint/1 ] || fail "the clone lacks the checkpoint tag"
audit_of "$C1" --no-cache
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "fresh clone: audit exited $rc"; }
finds history-rewritten "$CP" -
expect_grep "signed as docket/checkpoint/1: history was rewritten" "$WORK/out"
ok "main forced back on the server: a fresh clone's audit (--no-cache) reports history-rewritten from the signed checkpoint"

# a forged checkpoint: a tag by hoa (plain git, her own key) at the rewritten tip
git -C "$C1" $(git_signing hoa) tag -s -m "docket: checkpoint 2

Docket-Checkpoint: 2
Docket-Actor: hoa" docket/checkpoint/2 main
audit_of "$C1" --no-cache
finds checkpoint-invalid "$(head_of "$C1")" -
expect_grep "'hoa' was not an administrator with a certificate" "$WORK/out"
git -C "$C1" tag -d docket/checkpoint/2 >/dev/null
ok "a checkpoint tag made by hoa: checkpoint-invalid"

# the known head: a verifier audits main, then it is forced back under her; without checkpoints
# (the tags deleted on the server too) the head she keeps outside the repository still tells
V=$WORK/verifier
git clone -q "$R" "$V"
git -C "$V" tag -d docket/checkpoint/1 >/dev/null
clean_audit "$V" "the verifier's clone"
KNOWN=$(find "$WORK/state/verifier/docket/heads" -type f)
[ "$(cat "$KNOWN")" = "$(head_of "$V")" ] || fail "the known head is not the audited tip: $(cat "$KNOWN")"
git -C "$V" reset -q --hard main~2
git -C "$V" commit -q --allow-empty -m "docket: nothing to see"
rm -rf "$V/.git/docket"
audit_of "$V" --no-cache
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "known head: audit exited $rc"; }
finds history-rewritten "$(head_of "$R")" -
expect_grep "recorded outside the repository in $KNOWN" "$WORK/out"
audit_of "$V"
finds history-rewritten "$(head_of "$R")" -
ok "main reset under the verifier, tags gone, cache deleted: history-rewritten from the head kept in \$XDG_STATE_HOME (again on the next run)"
# --known-head FILE, given by the verifier, in a fresh clone of the rewritten history
echo "$(head_of "$R")" >"$WORK/known"
audit_of "$W" --no-cache --known-head "$WORK/known"
finds history-rewritten "$(head_of "$R")" -
ok "--known-head FILE: history-rewritten in a fresh clone"

# ==== a repository made before these rules ====================================================
L=$WORK/legacy
LEG=$DOCKET_SRC/tests/resources/legacy
export XDG_STATE_HOME=$WORK/state/legacy
git clone -q -b main "$LEG/legacy.bundle" "$L"
rc=0
"$DOCKET" -C "$L" audit --trust "$LEG/ca.pem" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "legacy: audit exited $rc"; }
expect_grep "note: unsigned-legacy: " "$WORK/err"
[ "$(grep -c 'note: unsigned-legacy' "$WORK/err")" = 1 ] || fail "legacy: the unsigned commits are not noted once"
expect_grep "2 commits" "$(grep -l unsigned-legacy "$WORK/err")"
[ "$(grep -c 'note: legacy-signature: ' "$WORK/err")" = 3 ] || { cat "$WORK/err"; fail "legacy: three older signatures expected"; }
expect_exit 0 "$DOCKET" -C "$L" verify kh-2021-354 --trust "$LEG/ca.pem"
ok "the legacy repository: audit exit 0; its two unsigned commits one note (unsigned-legacy), its three signatures legacy-signature notes; verify holds"

mkdir -p "$WORK/legacy-home/docket/keys"
cp "$LEG/keys/admin.pem" "$WORK/legacy-home/docket/keys/admin.pem"
chmod 600 "$WORK/legacy-home/docket/keys/admin.pem"
before=$(count "$L")
expect_exit 1 env XDG_CONFIG_HOME="$WORK/legacy-home" "$DOCKET" -C "$L" --as hoa migrate
expect_grep "'hoa' may not change the configuration" "$WORK/err"
expect_exit 0 env XDG_CONFIG_HOME="$WORK/legacy-home" "$DOCKET" -C "$L" --as admin migrate
[ "$(count "$L")" = $((before + 1)) ] || fail "migrate: expected one commit"
expect_grep '<signing rules="2"/>' "$L/.docket/config.xml"
git -C "$L" cat-file commit HEAD | grep -q '^gpgsig ' || fail "migrate: the commit is not signed"
expect_exit 1 env XDG_CONFIG_HOME="$WORK/legacy-home" "$DOCKET" -C "$L" --as admin migrate
expect_grep "recorded already" "$WORK/err"
rc=0
"$DOCKET" -C "$L" audit --trust "$LEG/ca.pem" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "migrated: audit exited $rc"; }
# after the migration an unsigned commit with trailers is a finding
sed -i 's|Thực hiện  Chương trình|Thực hiện Chương trình|' "$L/documents/plan/2021/CTTT/kh-2021-354.xml"
git -C "$L" diff --quiet && fail "migrated: the edit changed nothing"
git -C "$L" commit -qam "docket: edit kh-2021-354

Docket-Document: kh-2021-354
Docket-Action: edit
Docket-State: issued
Docket-Actor: hoa"
rc=0
"$DOCKET" -C "$L" audit --trust "$LEG/ca.pem" >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "migrated: an unsigned edit: audit exited $rc"; }
grep -q "^commit-unsigned: $(git -C "$L" rev-parse --short=12 HEAD) kh-2021-354: " "$WORK/out" ||
	{ cat "$WORK/out"; fail "migrated: the unsigned edit is not commit-unsigned"; }
ok "docket migrate: refused to hoa; by the admin one signed commit recording rules 2 (twice: refused); audit still exit 0; an unsigned commit after it: commit-unsigned"
