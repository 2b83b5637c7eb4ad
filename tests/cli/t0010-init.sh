#!/usr/bin/env bash
# docket init: a new repository from repo-template/ with the pinned schemas and workflows,
# one commit; refuses a non-empty target; --bare; help and usage errors.
. "$(dirname "$0")/lib.sh"

# help works anywhere, outside a repository too
expect_exit 0 "$DOCKET" help
expect_grep "usage: docket" "$WORK/out"
expect_grep "init" "$WORK/out"
expect_exit 0 "$DOCKET" --help
expect_grep "usage: docket" "$WORK/out"
for cmd in init add validate show; do
	expect_exit 0 "$DOCKET" "$cmd" -h
	expect_grep "usage: docket" "$WORK/out"
	expect_grep "$cmd" "$WORK/out"
	expect_exit 0 "$DOCKET" help "$cmd"
done
expect_exit 0 "$DOCKET" init --help
expect_grep "usage: docket init" "$WORK/out"
expect_grep "--bare" "$WORK/out"
ok "docket help, docket --help, docket CMD -h, docket help CMD exit 0"

# the template files every repository starts with
schemas="common.xsd docket.xsd plan.xsd report.xsd task.xsd workflow.xsd"
workflows="plan.xml report.xml task.xml"
check_tree() { # REPO: the template files are in HEAD's tree and equal the sources (templates/: below)
	local repo=$1 f
	git -C "$repo" cat-file -e HEAD:.docket/config.xml || fail "$repo: no .docket/config.xml in HEAD"
	for f in $schemas; do
		git -C "$repo" cat-file -e "HEAD:.docket/schemas/$f" || fail "$repo: no .docket/schemas/$f in HEAD"
		git -C "$repo" cat-file blob "HEAD:.docket/schemas/$f" | cmp -s - "$DOCKET_SRC/schemas/$f" ||
			fail "$repo: .docket/schemas/$f differs from schemas/$f"
	done
	for f in $workflows; do
		git -C "$repo" cat-file -e "HEAD:.docket/workflows/$f" || fail "$repo: no .docket/workflows/$f in HEAD"
		git -C "$repo" cat-file blob "HEAD:.docket/workflows/$f" | cmp -s - "$DOCKET_SRC/workflows/$f" ||
			fail "$repo: .docket/workflows/$f differs from workflows/$f"
	done
	[ "$(git -C "$repo" cat-file -t HEAD:documents 2>/dev/null)" = tree ] || fail "$repo: no documents/ in HEAD"
	git -C "$repo" cat-file blob HEAD:.docket/config.xml | xmllint --noout - ||
		fail "$repo: .docket/config.xml is not well-formed"
	[ "$(git -C "$repo" rev-list --count HEAD)" = 1 ] || fail "$repo: expected exactly one commit"
	[ "$(git -C "$repo" symbolic-ref HEAD)" = refs/heads/main ] || fail "$repo: HEAD is not refs/heads/main"
	[ "$(git -C "$repo" for-each-ref --format='%(refname)')" = refs/heads/main ] ||
		fail "$repo: refs other than main: $(git -C "$repo" for-each-ref)"
}

# a new directory
expect_exit 0 "$DOCKET" init repo
[ -d repo/.git ] || fail "init made no .git"
[ "$(git -C repo rev-parse --is-bare-repository)" = false ] || fail "init made a bare repository"
check_tree repo
[ -f repo/.docket/config.xml ] || fail "no .docket/config.xml in the work tree"
for f in $schemas; do [ -f "repo/.docket/schemas/$f" ] || fail "no .docket/schemas/$f in the work tree"; done
for f in $workflows; do [ -f "repo/.docket/workflows/$f" ] || fail "no .docket/workflows/$f in the work tree"; done
[ -d repo/documents ] || fail "no documents/ in the work tree"
[ -z "$(git -C repo status --porcelain)" ] || { git -C repo status; fail "the new work tree is not clean"; }
fsck_clean repo
ok "init DIR: .docket/config.xml, schemas, workflows, documents/; one commit on main"

# an existing empty directory is fine
mkdir empty
expect_exit 0 "$DOCKET" init empty
check_tree empty
fsck_clean empty
ok "init into an existing empty directory"

# a non-empty directory is refused and left as it was
mkdir full
echo "do not touch" >full/notes.txt
mkdir full/sub
echo "nested" >full/sub/x
(cd full && find . | sort && cat notes.txt sub/x) >"$WORK/full-before"
expect_exit 1 "$DOCKET" init full
expect_grep "docket: " "$WORK/err"
expect_grep "not empty" "$WORK/err"
(cd full && find . | sort && cat notes.txt sub/x) >"$WORK/full-after"
diff -u "$WORK/full-before" "$WORK/full-after" || fail "init changed the non-empty directory"
[ ! -e full/.git ] || fail "init left a .git in the non-empty directory"
mkdir hidden
touch hidden/.keep
expect_exit 1 "$DOCKET" init hidden
[ "$(ls -A hidden)" = .keep ] || fail "init changed a directory holding only a hidden file"
# an existing repository (init twice) is refused too, and stays as it was
before=$(snapshot repo)
expect_exit 1 "$DOCKET" init repo
[ "$(snapshot repo)" = "$before" ] || fail "init over an existing repository changed it"
fsck_clean repo
# a file in the way
echo x >afile
expect_exit 1 "$DOCKET" init afile
[ "$(cat afile)" = x ] || fail "init changed a file"
ok "init refuses a non-empty directory (exit 1), leaving it as it was"

# --bare
expect_exit 0 "$DOCKET" init --bare bare.git
[ "$(git -C bare.git rev-parse --is-bare-repository)" = true ] || fail "--bare made a non-bare repository"
check_tree bare.git
[ ! -e bare.git/index ] || fail "--bare: the index was used (bare.git/index exists)"
[ ! -e bare.git/.docket ] && [ ! -e bare.git/documents ] || fail "--bare: files were checked out"
fsck_clean bare.git
# docket can use it through -C
expect_exit 0 "$DOCKET" -C bare.git validate --all
ok "init --bare: a bare repository with the same single commit, no index"

# usage errors: exit 2, nothing created
expect_exit 2 "$DOCKET" init --frobnicate new1
expect_grep "unknown option" "$WORK/err"
[ ! -e new1 ] || fail "init with an unknown option created new1"
expect_exit 2 "$DOCKET" init
[ -s "$WORK/err" ] || fail "init without DIR printed nothing on stderr"
expect_exit 2 "$DOCKET" init a b
[ ! -e a ] && [ ! -e b ] || fail "init with two directories created one"
expect_exit 2 "$DOCKET" --frobnicate init new2
[ ! -e new2 ] || fail "an unknown global option created new2"
expect_exit 2 "$DOCKET" frobnicate
expect_grep "not a docket command" "$WORK/err"
expect_exit 2 "$DOCKET"
ok "usage errors exit 2 and create nothing"

# templates/ (issue 2: "a new git repository from repo-template/ (config, pinned schemas and
# workflows, templates, documents/ layout)"): git keeps no empty directory, so templates/ must
# hold a file to reach the commit, and a clone, at all.
for r in repo empty bare.git; do
	[ "$(git -C "$r" cat-file -t HEAD:templates 2>/dev/null)" = tree ] || fail "$r: no templates/ in HEAD"
done
[ -d repo/templates ] || fail "no templates/ in the work tree"
ok "templates/ is in the first commit and the work tree"

# -C DIR: "run as if started in DIR", as git -C DIR init NAME makes DIR/NAME
mkdir base
expect_exit 0 "$DOCKET" -C base init inner
[ ! -e inner ] || fail "-C base init inner created ./inner, not base/inner"
check_tree base/inner
fsck_clean base/inner
ok "-C DIR init NAME creates DIR/NAME"
