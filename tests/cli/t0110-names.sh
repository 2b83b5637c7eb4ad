#!/usr/bin/env bash
# Names (issue 12 item 5): document ids and tree paths are kept to the documented safe set
# (docs/format.md, "Names and the layout"). `add` refuses an id outside it ('trail ', upper
# case); the history index holds any name a tree can (a space, a newline) and an old-format
# index is rebuilt; the audit reports every tree entry outside the layout (a space, a
# newline, '..', '.git', an unknown folder) as path-outside-layout and a second file with an
# existing id as duplicate-id; `show` and `verify` of an id that names two files say so.
. "$(dirname "$0")/lib.sh"

SEED="$EXAMPLES/354-KH-PGDDT.xml"
SEED_PATH=documents/plan/2021/CTTT/kh-2021-354.xml

expect_exit 0 "$DOCKET" init repo
expect_exit 0 "$DOCKET" -C repo add --draft "$SEED"

# ids outside the set: refused, nothing changes
for id in 'trail ' 'KH-2021-355' '-lead' 'a b' "$(printf 'nl\nx')" "$(printf 'x%.0s' $(seq 65))" 'ký-2021'; do
	before=$(snapshot repo)
	expect_exit 1 "$DOCKET" -C repo add --draft "$SEED" --id "$id"
	expect_grep "is not allowed: an id is 1 to 64 lowercase ASCII letters, digits" "$WORK/err"
	[ "$(snapshot repo)" = "$before" ] || fail "add --id '$id' changed the repository"
	[ -z "$(git -C repo status --porcelain)" ] || fail "add --id '$id' left changes"
done
expect_exit 0 "$DOCKET" -C repo add --draft "$SEED" --id kh-2021-355.v2_a
ok "add refuses ids outside [a-z0-9][a-z0-9._-]{0,63} (trailing space, upper case, newline, 65 characters, non-ASCII)"

# graft REPO DIR NAME MODE OID: a commit on main (plain git, as an attacker would) whose tree is
# main's with the entry NAME (any bytes but NUL and '/') put into the folder DIR ('' the root)
graft() {
	python3 - "$@" <<'PY'
import subprocess, sys
repo, d, name, mode, oid = sys.argv[1:]
def git(*a, inp=None):
    return subprocess.run(["git", "-C", repo, *a], input=inp, check=True, capture_output=True).stdout
def put(tree, parts):
    ents = {}
    if tree:
        for e in git("ls-tree", "-z", tree).split(b"\0"):
            if e:
                meta, n = e.split(b"\t", 1)
                ents[n] = meta
    if not parts:
        ents[name.encode()] = f"{mode} {'tree' if mode == '040000' else 'blob'} {oid}".encode()
    else:
        sub = ents.get(parts[0].encode())
        new = put(sub.split()[2].decode() if sub else None, parts[1:])
        ents[parts[0].encode()] = b"040000 tree " + new.encode()
    return git("mktree", "-z", inp=b"".join(m + b"\t" + n + b"\0" for n, m in ents.items())).decode().strip()
tree = put(git("rev-parse", "main^{tree}").decode().strip(), [p for p in d.split("/") if p])
c = git("commit-tree", tree, "-p", "main", "-m", "smuggled").decode().strip()
git("update-ref", "refs/heads/main", c)
PY
}

blob=$(git -C repo hash-object -w "$SEED")
cp -a repo clean
# the audit of a repository: all findings of KIND
audit_kind() { grep -c "^$2: " "$1" || true; }

# (1) a document under a file name with a trailing space, another with a newline
A=$WORK/a1; cp -a clean "$A"
# each copy its own known head (kept outside the repository): sibling copies are not a rewrite
export XDG_STATE_HOME=$A.state
sed 's/id="kh-2021-354"/id="trail "/' "$SEED" >"$WORK/trail.xml"
graft "$A" documents/plan/2021/CTTT 'trail .xml' 100644 "$(git -C "$A" hash-object -w "$WORK/trail.xml")"
graft "$A" documents/plan/2021/CTTT "$(printf 'evil\n%s kh-2021-354\n.xml' "$(git -C clean rev-parse HEAD~1)")" 100644 "$blob"
expect_exit 1 "$DOCKET" -C "$A" audit
expect_grep "path-outside-layout: " "$WORK/out"
expect_grep "'documents/plan/2021/CTTT/trail .xml': a file name that is not a document id" "$WORK/out"
expect_grep "'documents/plan/2021/CTTT/evil\\x0a$(git -C clean rev-parse HEAD~1) kh-2021-354\\x0a.xml': a control character" "$WORK/out"
[ "$(audit_kind "$WORK/out" path-outside-layout)" = 2 ] || { cat "$WORK/out"; fail "expected 2 path-outside-layout findings"; }
[ "$(grep -c . "$WORK/out")" = "$(grep -cE '^[a-z-]+: ' "$WORK/out")" ] || { cat "$WORK/out"; fail "a finding spans lines"; }
# nothing is blamed on the earlier commit the name spells
grep -E "^[a-z-]+: $(git -C clean rev-parse --short=12 HEAD~1)" "$WORK/out" && fail "the audit blames the seed's add commit"
head -1 "$A/.git/docket/history" | grep -q "^docket-history 2 " || fail "the history index is not version 2"
ok "a space and a newline in a file name: reported as path-outside-layout, no false line in the index"

# (2) '..' and '.git' entries, at the root and under documents/, made with git mktree
A=$WORK/a2; cp -a clean "$A"
# each copy its own known head (kept outside the repository): sibling copies are not a rewrite
export XDG_STATE_HOME=$A.state
graft "$A" documents/plan/2021 .. 040000 "$(git -C "$A" rev-parse 'main:documents/plan/2021')"
graft "$A" documents .git 040000 "$(git -C "$A" rev-parse 'main:documents/plan')"
graft "$A" '' .GIT 100644 "$blob"
graft "$A" documents/plan/2021/CTTT/ kh-2021-999.xml 120000 "$(printf 'target' | git -C "$A" hash-object -w --stdin)"
expect_exit 1 "$DOCKET" -C "$A" audit
expect_grep "a '.' or '..' path component" "$WORK/out"
expect_grep "'documents/.git/" "$WORK/out"
expect_grep "'.GIT': a '.git' path component" "$WORK/out"
expect_grep "'documents/plan/2021/CTTT/kh-2021-999.xml': not a plain file (mode 120000)" "$WORK/out"
ok "'..', '.git' (any case) and a symbolic link in the tree: reported as path-outside-layout"

# (3) a second file with an existing id, under another unit
A=$WORK/a3; cp -a clean "$A"
# each copy its own known head (kept outside the repository): sibling copies are not a rewrite
export XDG_STATE_HOME=$A.state
graft "$A" documents/plan/2021/LD kh-2021-354.xml 100644 "$blob"
expect_exit 1 "$DOCKET" -C "$A" audit
expect_grep "duplicate-id: " "$WORK/out"
expect_grep "'documents/plan/2021/LD/kh-2021-354.xml' has the id 'kh-2021-354', which 1 other file under documents/ already has" "$WORK/out"
[ "$(audit_kind "$WORK/out" duplicate-id)" = 1 ] || { cat "$WORK/out"; fail "expected 1 duplicate-id finding"; }
[ "$(audit_kind "$WORK/out" path-outside-layout)" = 0 ] || fail "a path inside the layout reported as outside"
"$DOCKET" ca init "$WORK/ca" --name "Test CA" >/dev/null || fail "cannot make a CA"
for cmd in show "verify --trust $WORK/ca/ca.pem"; do
	expect_exit 1 "$DOCKET" -C "$A" $cmd kh-2021-354
	expect_grep "the id 'kh-2021-354' names 2 files: 'documents/plan/2021/CTTT/kh-2021-354.xml', 'documents/plan/2021/LD/kh-2021-354.xml'; the repository is damaged (see 'docket audit')" "$WORK/err"
done
ok "a second file with an existing id: duplicate-id; show and verify name both files"

# (4) a document outside the layout is not shown as if it belonged
A=$WORK/a4; cp -a clean "$A"
# each copy its own known head (kept outside the repository): sibling copies are not a rewrite
export XDG_STATE_HOME=$A.state
graft "$A" documents/plan/2021/CTTT kh-2021-400.XML 100644 "$blob"
graft "$A" documents/misc kh-2021-401.xml 100644 "$blob"
expect_exit 1 "$DOCKET" -C "$A" show kh-2021-401
expect_grep "the document 'kh-2021-401' is at 'documents/misc/kh-2021-401.xml', outside the layout docket keeps" "$WORK/err"
expect_exit 1 "$DOCKET" -C "$A" audit
[ "$(audit_kind "$WORK/out" path-outside-layout)" = 2 ] || { cat "$WORK/out"; fail "expected 2 path-outside-layout findings"; }
ok "a document outside the layout: show refuses it, the audit reports it"

# (5) an index of version 1 is rebuilt, not misread
A=$WORK/a5; cp -a clean "$A"
# each copy its own known head (kept outside the repository): sibling copies are not a rewrite
export XDG_STATE_HOME=$A.state
expect_exit 0 "$DOCKET" -C "$A" audit
printf 'docket-history 1 %s 1\n%s documents/plan/2021/CTTT/x.xml\n' "$(git -C "$A" rev-parse main)" \
	"$(git -C "$A" rev-parse main)" >"$A/.git/docket/history"
expect_exit 0 "$DOCKET" -C "$A" log kh-2021-354
head -1 "$A/.git/docket/history" | grep -q "^docket-history 2 $(git -C "$A" rev-parse main) 3\$" ||
	fail "the version 1 index was not rebuilt: $(head -1 "$A/.git/docket/history")"
expect_exit 0 "$DOCKET" -C "$A" audit --no-cache
ok "a version 1 history index is rebuilt in version 2"
fsck_clean clean
