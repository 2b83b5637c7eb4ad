#!/usr/bin/env bash
# The seed plan's whole workflow in a bare repository (a server has no work tree): every
# command with -C x.git, one commit per action, no index file and no checked-out files ever
# created, fsck clean; refusals write nothing there either. Then `git clone` of it holds the
# issued plan, and work done in the clone and pushed back is seen by docket in the bare one.
. "$(dirname "$0")/lib.sh"

B=$WORK/x.git
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
d() { "$DOCKET" -C "$B" "$@"; }
count() { git -C "$B" rev-list --count main; }

# bare_ok WHAT: still bare, no index, nothing checked out, only refs/heads/main, fsck clean
bare_ok() {
	[ "$(git -C "$B" rev-parse --is-bare-repository)" = true ] || fail "$1: not bare any more"
	[ ! -e "$B/index" ] || fail "$1: $B/index was created"
	[ ! -e "$B/.docket" ] && [ ! -e "$B/documents" ] && [ ! -e "$B/templates" ] ||
		fail "$1: files were checked out into the bare repository"
	[ "$(git -C "$B" for-each-ref --format='%(refname)')" = refs/heads/main ] ||
		fail "$1: refs other than main: $(git -C "$B" for-each-ref --format='%(refname)')"
	[ "$(git -C "$B" symbolic-ref HEAD)" = refs/heads/main ] || fail "$1: HEAD is not main"
	fsck_clean "$B"
}
done_one() { # WHAT CMD...
	local what=$1 before
	shift
	before=$(count)
	expect_exit 0 "$@"
	[ "$(count)" = $((before + 1)) ] || fail "$what: expected one new commit, got $(($(count) - before))"
	bare_ok "$what"
}
refused() { # CODE PATTERN CMD...
	local code=$1 pattern=$2 before
	shift 2
	before=$(snapshot "$B"; find "$B" -path "$B/objects" -prune -o -type f -print | LC_ALL=C sort)
	expect_exit "$code" "$@"
	expect_grep "docket: " "$WORK/err"
	expect_grep "$pattern" "$WORK/err"
	[ "$(snapshot "$B"; find "$B" -path "$B/objects" -prune -o -type f -print | LC_ALL=C sort)" = "$before" ] ||
		fail "a refusal changed the bare repository: $*"
	bare_ok "refusal"
}
trailers_are() {
	git -C "$B" log -1 --format=%B | grep '^Docket-' >"$WORK/trailers" || true
	printf '%s\n' "$@" >"$WORK/want"
	diff -u "$WORK/want" "$WORK/trailers" || fail "trailers of $(git -C "$B" log -1 --format=%s)"
}

expect_exit 0 "$DOCKET" init --bare "$B"
bare_ok init
done_one org d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" \
	--place "Cẩm Phả"
done_one LD d unit add LD --name "Lãnh đạo phòng"
done_one CTTT d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
done_one VT d unit add VT --name "Văn thư" --parent LD
done_one admin d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
done_one hoa d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
done_one minh d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
done_one lan d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
done_one thu d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
# review, approve and issue are signed by default: the signers get keys and certificates
enrol "$B" admin admin hoa minh lan thu
expect_exit 0 d person list --json
for p in admin hoa minh lan thu; do expect_grep "\"id\": \"$p\"" "$WORK/out"; done
expect_exit 0 d unit list --json
for u in LD CTTT VT; do expect_grep "\"id\": \"$u\"" "$WORK/out"; done
refused 1 "the admin role is required" d --as hoa unit add X --name X
ok "org, units and people in a bare repository: one commit each, no index, nothing checked out"

done_one add d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
[ "$(cat "$WORK/out")" = "$DOC" ] || fail "add printed '$(cat "$WORK/out")'"
git -C "$B" cat-file -e "HEAD:$F" || fail "no $F in HEAD"
expect_exit 0 d validate --all
expect_exit 0 d --as hoa status "$DOC" --json
expect_grep '"may": ["submit"]' "$WORK/out"
ok "add --draft into the bare repository"

export DOCKET_NOW=2021-05-11T09:00:00+07:00
# act WHO NAME FROM TO ROLE FULLNAME [MSG]
act() {
	local who=$1 name=$2 from=$3 to=$4 role=$5 full=$6
	shift 6
	done_one "$name" d --as "$who" "$name" "$DOC" "$@"
	expect_grep "$DOC: $from -> $to" "$WORK/out"
	expect_grep "[$(git -C "$B" rev-parse HEAD | cut -c1-12)]" "$WORK/out"
	[ "$(git -C "$B" log -1 --format=%an)" = "$full" ] || fail "$name: author $(git -C "$B" log -1 --format=%an)"
	git -C "$B" cat-file blob "HEAD:$F" >"$WORK/doc.xml"
	[ "$(xmllint --xpath "string(//*[local-name()='workflow']/@state)" "$WORK/doc.xml")" = "$to" ] ||
		fail "$name: state in HEAD:$F is not $to"
	# the last step (signatures, when any, follow the workflow element)
	[ "$(xmllint --xpath "concat((//*[local-name()='step'])[last()]/@transition, ' ', (//*[local-name()='step'])[last()]/@from, ' ', (//*[local-name()='step'])[last()]/@to)" "$WORK/doc.xml")" = "$name $from $to" ] ||
		fail "$name: no step appended at the end of the workflow"
}
refused 1 "state is 'draft', expected 'submitted'" d --as minh review "$DOC"
act hoa submit draft submitted drafter "Nguyễn Thị Hoa" -m "Trình lãnh đạo phòng xem xét"
trailers_are "Docket-Document: $DOC" "Docket-Transition: submit" "Docket-From: draft" "Docket-To: submitted" \
	"Docket-Actor: hoa" "Docket-Role: drafter"
refused 1 "a reason is required" d --as minh return "$DOC"
act minh return submitted draft reviewer "Trần Văn Minh" -m "Đề nghị rà soát lại chỉ tiêu 4 và 5"
# edits come from a work tree; a bare repository has none
refused 2 "bare repository" d --as hoa commit "$DOC" -m "Sửa"
act hoa submit draft submitted drafter "Nguyễn Thị Hoa" -m "Đã rà soát chỉ tiêu"
refused 1 "'vy' is not a person" d --as vy review "$DOC"
act minh review submitted reviewed reviewer "Trần Văn Minh"
act lan approve reviewed approved approver "Lê Thị Lan"
act thu issue approved issued clerk "Phạm Thị Thu"
expect_grep "number 01/KH-PGDĐT" "$WORK/out"
trailers_are "Docket-Document: $DOC" "Docket-Transition: issue" "Docket-From: approved" "Docket-To: issued" \
	"Docket-Actor: thu" "Docket-Role: clerk" "Docket-Number: 01/KH-PGDĐT"
unset DOCKET_NOW
printf '01\tKH-PGDĐT\t%s\t2021-05-11\n' "$DOC" >"$WORK/want"
git -C "$B" cat-file blob HEAD:.docket/register/2021/PGDDT.txt | diff -u "$WORK/want" - || fail "register in the bare repository"
[ "$(count)" = 22 ] || fail "expected 22 commits (5 of them certificates), got $(count)"
expect_exit 0 d show "$DOC"
expect_grep "Số: 01/KH-PGDĐT" "$WORK/out"
expect_exit 0 d --as thu status "$DOC" --json
expect_grep '"state": "issued"' "$WORK/out"
# after issue the records clerk may only link a correcting letter or a replacement (t1130)
expect_grep '"may": ["correct", "replace"]' "$WORK/out"
expect_exit 0 d validate --all
expect_exit 0 d validate --all --rev main~6
bare_ok "the walk"
ok "submit, return, submit, review, approve, issue with -C x.git: numbered 01/KH-PGDĐT, no index ever"

# --- a clone holds the issued plan ----------------------------------------------------------------
git clone -q "$B" "$WORK/clone" || fail "git clone of the bare repository failed"
C=$WORK/clone
[ -f "$C/$F" ] || fail "the clone has no $F"
git -C "$B" cat-file blob "HEAD:$F" | cmp -s - "$C/$F" || fail "the clone's $F differs from the bare repository's"
[ "$(xmllint --xpath "string(//*[local-name()='workflow']/@state)" "$C/$F")" = issued ] || fail "clone: state"
[ "$(xmllint --xpath "string(//*[local-name()='header']/*[local-name()='code']/*[local-name()='number'])" "$C/$F")" = 01 ] ||
	fail "clone: number"
[ "$(grep -c '<step ' "$C/$F")" = 6 ] || fail "clone: expected 6 steps"
printf '01\tKH-PGDĐT\t%s\t2021-05-11\n' "$DOC" | diff -u - "$C/.docket/register/2021/PGDDT.txt" || fail "clone: register"
expect_exit 0 "$DOCKET" -C "$C" validate --all
expect_exit 0 "$DOCKET" -C "$C" --as lan status "$DOC" --json
expect_grep '"state": "issued"' "$WORK/out"
fsck_clean "$C"
ok "git clone of the bare repository: the plan issued with its six steps, the register, validate clean"

# --- work in the clone, pushed back, is seen in the bare repository ---------------------------------
expect_exit 0 "$DOCKET" -C "$C" --as hoa add --draft --id kh-2021-355 "$EXAMPLES/354-KH-PGDDT.xml"
sed -i 's|<subject>Thực hiện|<subject>Tiếp tục thực hiện|' "$C/documents/plan/2021/CTTT/kh-2021-355.xml"
expect_exit 0 "$DOCKET" -C "$C" --as hoa commit kh-2021-355 -m "Sửa trích yếu"
expect_exit 0 "$DOCKET" -C "$C" --as hoa submit kh-2021-355
[ -z "$(git -C "$C" status --porcelain)" ] || fail "the clone's work tree is not clean"
git -C "$C" push -q origin main || fail "push to the bare repository failed"
expect_exit 0 d --as minh status kh-2021-355 --json
expect_grep '"state": "submitted"' "$WORK/out"
expect_grep '"may": ["review", "return"]' "$WORK/out"
done_one "review after push" d --as minh review kh-2021-355
expect_exit 0 d validate --all
bare_ok "after push"
ok "work done in the clone and pushed is continued in the bare repository"
