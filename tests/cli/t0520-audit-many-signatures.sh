#!/usr/bin/env bash
# docket audit on a document carrying more signatures than the audit once kept track of (16):
# a repository workflow whose transitions between two non-editable states each require a
# signature, walked until one plan carries 21. The clean history audits with no findings; a
# transition whose commit also removes signature 17, or changes the value of signature 18, is
# found (signature-removed, content-changed-after-signing), so the clean verdict is not vacuous.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
TRUST=$WORK/ca/ca.pem
WF=.docket/workflows/plan.xml
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
d() { "$DOCKET" -C "$R" "$@"; }
at() { local now=$1; shift; DOCKET_NOW=$now "$DOCKET" -C "$R" "$@" >/dev/null || fail "docket $*"; }
nsigs() { grep -c '<ds:Signature ' "$1" || true; }
# audit_of REPO: `docket audit --trust CA --no-cache` in REPO, stdout in $WORK/out, stderr in
# $WORK/err, its exit status in $rc
audit_of() {
	rc=0
	"$DOCKET" -C "$1" audit --trust "$TRUST" --no-cache >"$WORK/out" 2>"$WORK/err" || rc=$?
}

# --- the history: the workflow is set before the first administrator (the bootstrap) -----------
export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$DOCKET" init "$R" >/dev/null || fail "init"
cat >"$R/$WF" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Every transition out of "open" and back is countersigned: signatures accumulate. -->
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="open"/>
  <state id="countersigned"/>
  <state id="closed" final="true"/>
  <transition id="open" from="draft" to="open">
    <allow role="drafter" scope="drafting-unit"/>
  </transition>
  <transition id="countersign" from="open" to="countersigned">
    <allow role="reviewer" scope="drafting-unit"/>
    <signature meaning="review"/>
  </transition>
  <transition id="reopen" from="countersigned" to="open">
    <allow role="reviewer" scope="drafting-unit"/>
    <signature meaning="review"/>
  </transition>
  <transition id="close" from="open countersigned" to="closed">
    <allow role="reviewer" scope="drafting-unit"/>
  </transition>
</workflow>
EOF
git -C "$R" commit -q -m "Quy trình ký nhiều lần" -- "$WF" || fail "commit the workflow"
d unit add LD --name "Lãnh đạo phòng" >/dev/null
d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD >/dev/null
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin >/dev/null
enrol "$R" admin admin
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter >/dev/null
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer >/dev/null
enrol "$R" admin hoa minh
unset DOCKET_NOW

at 2021-05-03T07:30:00+07:00 --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
at 2021-05-03T08:00:00+07:00 --as hoa transition $DOC open
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then t=countersign; else t=reopen; fi
	at "$(printf '2021-05-%02dT09:00:00+07:00' $((i + 3)))" --as minh transition $DOC $t
done
[ "$(nsigs "$R/$F")" = 20 ] || fail "expected 20 signatures on $DOC, found $(nsigs "$R/$F")"
expect_grep 'Id="sig-17"' "$R/$F"
NCOMMITS=$(git -C "$R" rev-list --count main)

audit_of "$R"
[ "$rc" = 0 ] || { cat "$WORK/out" "$WORK/err"; fail "the clean history: audit exited $rc"; }
[ ! -s "$WORK/out" ] || fail "the clean history: findings: $(cat "$WORK/out")"
grep -qx "docket: audited $NCOMMITS commits, verified [1-9][0-9]* signatures: 0 findings" "$WORK/err" ||
	fail "the clean history: summary '$(cat "$WORK/err")'"
ok "a plan with 20 signatures: audit --trust reports 0 findings"

# tampered SCRIPT SIG: in a copy, the 21st countersignature (made by docket) is committed with
# SCRIPT run on the document (python: argv[1] the file, argv[2] SIG); $A, $X the copy and commit
tampered() {
	A=$WORK/$2
	rm -rf "$A"
	cp -a "$R" "$A"
	# a verifier of its own for each copy: the copies are sibling histories, not a rewrite
	export XDG_STATE_HOME=$WORK/state/$2
	DOCKET_NOW=2021-05-30T09:00:00+07:00 "$DOCKET" -C "$A" --as minh transition $DOC countersign >/dev/null ||
		fail "the 21st signature"
	python3 -c "$1" "$A/$F" "$2" || fail "tamper with $2"
	# minh amends his own commit, signing it again with his key: what is tested is the signature
	# inside the document, not the commit's
	# shellcheck disable=SC2046
	git $(git_signing minh) -C "$A" commit -q --amend --no-edit -a || fail "amend with $2 tampered"
	X=$(git -C "$A" rev-parse HEAD)
	audit_of "$A"
	[ "$rc" = 1 ] || { cat "$WORK/out" "$WORK/err"; fail "$2 tampered: audit exited $rc, expected 1"; }
}
remove_py='
import re, sys
p, sig = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
t = re.sub(r"[ \t]*<ds:Signature [^>]*Id=\"%s\".*?</ds:Signature>\n?" % sig, "", s, count=1, flags=re.S)
assert t != s, "no " + sig
open(p, "w", encoding="utf-8").write(t)
'
flip_py='
import sys
p, sig = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
i = s.index("Id=\"%s\"" % sig)
j = s.index("SignatureValue>", i) + len("SignatureValue>")
s = s[:j] + ("B" if s[j] != "B" else "C") + s[j + 1:]
open(p, "w", encoding="utf-8").write(s)
'

tampered "$remove_py" sig-17
[ "$(nsigs "$A/$F")" = 20 ] || fail "sig-17 removed: expected 20 signatures left"
[ "$(cut -d: -f1 "$WORK/out" | sort -u)" = signature-removed ] || { cat "$WORK/out"; fail "sig-17 removed: kinds"; }
expect_grep "signature-removed: ${X:0:12} $DOC: signature sig-17 was removed from the document" "$WORK/out"
[ "$(wc -l <"$WORK/out")" = 1 ] || { cat "$WORK/out"; fail "sig-17 removed: expected one finding"; }
ok "signature 17 removed in the commit of the 21st: signature-removed, naming sig-17"

tampered "$flip_py" sig-18
[ "$(cut -d: -f1 "$WORK/out" | sort -u)" = content-changed-after-signing ] ||
	{ cat "$WORK/out"; fail "sig-18 changed: kinds"; }
expect_grep "content-changed-after-signing: ${X:0:12} $DOC: signature sig-18 (Trần Văn Minh, ?) no longer verifies" \
	"$WORK/out"
[ "$(wc -l <"$WORK/out")" = 1 ] || { cat "$WORK/out"; fail "sig-18 changed: expected one finding"; }
ok "signature 18 changed in the commit of the 21st: content-changed-after-signing, not a new invalid one"
