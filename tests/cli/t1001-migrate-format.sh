#!/usr/bin/env bash
# docket migrate moves a repository made by an earlier docket (tests/resources/legacy: format
# 1, rules 1) to document format 2 in one admin-signed commit; the history stays judged by the
# schemas each commit pinned (an old commit is refused a kind its own schemas do not know, the
# same file at the tip is valid); the audit with the trust anchor finds nothing before or
# after; a repository whose pinned schemas accept a document the new ones refuse is not
# migrated (nothing written).
. "$(dirname "$0")/lib.sh"

LEG=$RES/legacy
L=$WORK/legacy
export XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/legacy-home
mkdir -p "$XDG_CONFIG_HOME/docket/keys"
cp "$LEG/keys/admin.pem" "$XDG_CONFIG_HOME/docket/keys/admin.pem"
chmod 600 "$XDG_CONFIG_HOME/docket/keys/admin.pem"
git clone -q -b main "$LEG/legacy.bundle" "$L"
d() { "$DOCKET" -C "$L" "$@"; }
count() { git -C "$1" rev-list --count main; }

# audit_clean WHAT: `docket audit --trust` exits 0 and prints no finding (notes go to stderr)
audit_clean() {
	local rc=0
	d audit --trust "$LEG/ca.pem" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = 0 ] && [ ! -s "$WORK/out" ] || { cat "$WORK/out" "$WORK/err"; fail "$1: audit exited $rc"; }
}

# a general document for the legacy organisation (drafting unit CTTT), a draft
sed -e 's|<drafter unit="VP"/>|<drafter unit="CTTT"/>|' "$RES/valid/document-decision-ubnd.xml" >"$WORK/qd.xml"

audit_clean "before the migration"
expect_exit 0 d validate --all
expect_exit 1 d --as admin add --draft "$WORK/qd.xml"
expect_grep "The value 'document' is not an element of the set {'plan', 'report', 'task'}" "$WORK/err"
ok "legacy repository: audit clean, valid; a document of kind document refused by its pinned format 1 schemas"

# --- a repository whose pinned schemas accept what format 2 refuses is not migrated ----------
B=$WORK/loose
git clone -q "$L" "$B"
git -C "$B" checkout -q -B main origin/main
# its own schemas let the authority 'KT' (no full stop) through, and one plan uses it
sed -i 's|<xs:enumeration value="KT."/>|<xs:enumeration value="KT."/><xs:enumeration value="KT"/>|' \
	"$B/.docket/schemas/common.xsd"
sed -e 's|<authority>KT.</authority>|<authority>KT</authority>|; s|id="kh-2021-354"|id="kh-2021-999"|' \
	"$EXAMPLES/354-KH-PGDDT.xml" >"$B/documents/plan/2021/CTTT/kh-2021-999.xml"
grep -q '<authority>KT</authority>' "$B/documents/plan/2021/CTTT/kh-2021-999.xml" || fail "the loose plan has no 'KT'"
git -C "$B" add -A
git -C "$B" commit -qm "loose schemas, behind docket's back"
expect_exit 0 "$DOCKET" -C "$B" validate "$B/documents/plan/2021/CTTT/kh-2021-999.xml"
before=$(git -C "$B" rev-parse HEAD)
expect_exit 1 "$DOCKET" -C "$B" --as admin migrate
expect_grep "1 document valid under the repository's schemas would not be under docket's (documents/plan/2021/CTTT/kh-2021-999.xml:" "$WORK/err"
expect_grep "The value 'KT' is not an element of the set" "$WORK/err"
expect_grep "nothing was written" "$WORK/err"
[ "$(git -C "$B" rev-parse HEAD)" = "$before" ] || fail "a refused migration wrote a commit"
[ -z "$(git -C "$B" status --porcelain)" ] || fail "a refused migration changed the work tree"
ok "pinned schemas looser than format 2 (authority 'KT'): migrate exit 1, names the document and line, writes nothing"

# --- the migration ------------------------------------------------------------------------
before=$(count "$L")
expect_exit 0 d --as admin migrate
expect_grep "document format 2" "$WORK/out"
[ "$(count "$L")" = $((before + 1)) ] || fail "migrate: expected one commit"
MIG=$(git -C "$L" rev-parse HEAD)
git -C "$L" cat-file commit HEAD | grep -q '^gpgsig ' || fail "migrate: the commit is not signed"
git -C "$L" log -1 --format=%B | grep -qx "Docket-Action: migrate" || fail "migrate: no Docket-Action trailer"
git -C "$L" log -1 --format=%B | grep -qx "Docket-Actor: admin" || fail "migrate: no Docket-Actor trailer"
expect_grep '<signing rules="2"/>' "$L/.docket/config.xml"
for f in "$DOCKET_SRC"/schemas/*; do
	cmp -s "$f" "$L/.docket/schemas/$(basename "$f")" || fail "migrate: .docket/schemas/$(basename "$f") is not the built-in one"
done
cmp -s "$DOCKET_SRC/workflows/document.xml" "$L/.docket/workflows/document.xml" || fail "migrate: no document workflow"
cmp -s "$DOCKET_SRC/repo-template/templates/document.xml" "$L/templates/document.xml" || fail "migrate: no document template"
git -C "$L" diff --quiet HEAD~1 HEAD -- documents .docket/workflows/plan.xml .docket/workflows/report.xml \
	.docket/workflows/task.xml templates/department-plan.xml || fail "migrate changed a document, a workflow or a template it had"
[ -z "$(git -C "$L" status --porcelain)" ] || fail "migrate left the work tree unclean"
fsck_clean "$L"
expect_exit 1 d --as admin migrate
expect_grep "migrated already" "$WORK/err"
[ "$(git -C "$L" rev-parse HEAD)" = "$MIG" ] || fail "a second migrate wrote a commit"
ok "migrate: one admin-signed commit (Docket-Action: migrate): rules 2, the built-in schemas, the document workflow and template; documents untouched; again: exit 1, migrated already"

audit_clean "after the migration"
expect_exit 0 d validate --all
expect_exit 0 d validate --all --rev HEAD~1
ok "after migrate: audit --trust clean; validate --all at the tip and at the commit before it"

# --- the new kind in the migrated repository ------------------------------------------------
expect_exit 0 d --as admin add --draft "$WORK/qd.xml"
expect_grep "qd-2025-ubnd-01" "$WORK/out"
audit_clean "after a general document"
ok "after migrate: the decision (kind document) is added; audit --trust clean"

# --- each commit judged by its own schemas --------------------------------------------------
C=$WORK/judge
git clone -q "$L" "$C"
git -C "$C" checkout -q -b old "$MIG~1"
QD=$(git -C "$L" ls-files 'documents/document/*/CTTT/qd-2025-ubnd-01.xml')
[ -n "$QD" ] || fail "the decision is not filed under documents/document/YEAR/CTTT/"
mkdir -p "$C/$(dirname "$QD")"
cp "$L/$QD" "$C/$QD"
git -C "$C" add -A
git -C "$C" commit -qm "the new document on the old format, behind docket's back"
expect_exit 1 "$DOCKET" -C "$C" validate --all --rev old
expect_grep "qd-2025-ubnd-01.xml" "$WORK/out"
expect_grep "The value 'document' is not an element of the set" "$WORK/out"
expect_exit 0 "$DOCKET" -C "$C" validate --all --rev origin/main
ok "one file, two commits: refused where the commit pins format 1, valid where it pins format 2"
