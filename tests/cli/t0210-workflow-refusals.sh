#!/usr/bin/env bash
# Every refusal of the workflow engine: wrong state, role or unit, separation of duties, a
# missing reason, an unknown or missing actor, an invalid document, edits outside an
# editable state or to docket's own metadata, unrecorded work-tree edits, configuration
# changes by a non-administrator, an unknown transition, a malformed DOCKET_NOW, a state
# written by hand that no step led to. Each one exits with its exact code, says why on stderr,
# and leaves the repository, the work tree and the document as they were.
# Also the happy path of `docket commit` in a draft.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml

d() { "$DOCKET" -C "$R" "$@"; }
count() { git -C "$R" rev-list --count main; }

# state_of REPO: refs, objects, every file of the work tree and .git (but the object store)
# with its content hash, and git status: all of it must be unchanged by a refusal.
state_of() {
	snapshot "$R"
	(cd "$R" && find . -path ./.git/objects -prune -o -type f -print | LC_ALL=C sort |
		while read -r f; do printf '%s %s\n' "$(git hash-object --no-filters "$f")" "$f"; done)
	git -C "$R" status --porcelain --untracked-files=all
}

# refused CODE PATTERN CMD...: CMD exits with CODE, says PATTERN on stderr (after 'docket: '),
# prints nothing on stdout, and changes nothing at all.
refused() {
	local code=$1 pattern=$2
	shift 2
	state_of >"$WORK/before"
	expect_exit "$code" "$@"
	expect_grep "docket" "$WORK/err"
	expect_grep "$pattern" "$WORK/err"
	[ ! -s "$WORK/out" ] || fail "a refusal printed on stdout: $(cat "$WORK/out")"
	state_of >"$WORK/after"
	diff -u "$WORK/before" "$WORK/after" || fail "a refusal changed the repository: $*"
	fsck_clean "$R"
}

# done_one CMD...: CMD succeeds with exactly one new commit and a clean work tree
done_one() {
	local before
	before=$(count)
	expect_exit 0 "$@"
	[ "$(count)" = $((before + 1)) ] || fail "expected one new commit: $*"
	[ -z "$(git -C "$R" status --porcelain --untracked-files=all)" ] ||
		fail "work tree not clean after: $* ($(git -C "$R" status --porcelain))"
	fsck_clean "$R"
}

state() { xmllint --xpath "string(//*[local-name()='workflow']/@state)" "$R/$1"; }

expect_exit 0 "$DOCKET" init "$R"
done_one d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" \
	--place "Cẩm Phả"
done_one d unit add LD --name "Lãnh đạo phòng"
done_one d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
done_one d unit add VT --name "Văn thư" --parent LD
done_one d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
A="d --as admin"
done_one $A person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
done_one $A person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
done_one $A person add vy --name "Vũ Thị Vy" --position "TỔ TRƯỞNG VĂN THƯ" --unit VT --role reviewer
done_one $A person add dung --name "Đặng Văn Dũng" --position "CHUYÊN VIÊN" --unit CTTT --role drafter,reviewer
done_one $A person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
done_one $A person add quang --name "Ngô Văn Quang" --position "TRƯỞNG PHÒNG" --unit LD --role drafter,approver
done_one $A person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
# review, approve and issue are signed by default: the signers get keys and certificates
enrol "$R" admin admin hoa minh vy dung lan quang thu
done_one d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
[ "$(cat "$WORK/out")" = "$DOC" ] || fail "add printed '$(cat "$WORK/out")'"
cp "$R/$F" "$WORK/draft.xml"
ok "set-up: organisation, units LD > CTTT, VT, eight people, the seed plan as a draft"

# --- who is acting -------------------------------------------------------------------------
refused 2 "--as" d submit "$DOC"
expect_grep "DOCKET_ACTOR" "$WORK/err"
refused 2 "--as" d transition "$DOC" submit
refused 1 "'nobody' is not a person of this organisation" d --as nobody submit "$DOC"
refused 1 "'nobody' is not a person" env DOCKET_ACTOR=nobody "$DOCKET" -C "$R" submit "$DOC"
refused 1 "'nobody' is not a person" d --as nobody commit "$DOC" -m "x"
ok "no actor: exit 2 telling to use --as or DOCKET_ACTOR; an unknown person: exit 1"

# --- unknown transition --------------------------------------------------------------------
refused 2 "no transition 'nosuch'" d --as hoa transition "$DOC" nosuch
refused 2 "no transition 'Submit'" d --as hoa transition "$DOC" Submit
refused 2 "usage: docket" d --as hoa transition "$DOC"
ok "an unknown transition name exits 2 and names it"

# --- wrong state ---------------------------------------------------------------------------
refused 1 "cannot review '$DOC': state is 'draft', expected 'submitted'" d --as minh review "$DOC"
refused 1 "cannot approve '$DOC': state is 'draft', expected 'reviewed'" d --as lan approve "$DOC"
refused 1 "cannot issue '$DOC': state is 'draft', expected 'approved'" d --as thu issue "$DOC"
refused 1 "cannot return '$DOC': state is 'draft', expected 'submitted' or 'reviewed'" \
	d --as minh return "$DOC" -m "lý do"
refused 1 "state is 'draft', expected 'submitted'" d --as minh transition "$DOC" review
ok "wrong state: exit 1, 'state is 'draft', expected ...'"

# --- wrong role ----------------------------------------------------------------------------
refused 1 "'thu' (unit VT, roles clerk) may not submit it" d --as thu submit "$DOC"
expect_grep "role 'drafter'" "$WORK/err"
refused 1 "'lan' (unit LD, roles approver) may not submit it" d --as lan submit "$DOC"
refused 1 "'minh' (unit CTTT, roles reviewer) may not submit it" d --as minh submit "$DOC"
refused 1 "'admin' (unit LD, roles admin) may not submit it" d --as admin submit "$DOC"
ok "wrong role: exit 1, names the person, their roles and the role needed"

# --- an invalid document is never committed --------------------------------------------------
sed 's|<place>Cẩm Phả</place>|<plaice>Cẩm Phả</plaice>|' "$WORK/draft.xml" >"$R/$F"
line=$(grep -n '<plaice>' "$R/$F" | cut -d: -f1)
refused 1 "not valid" d --as hoa commit "$DOC" -m "Sửa nơi ban hành"
expect_grep "$F:$line:" "$WORK/err"
grep -q "^$F:$line:[0-9][0-9]*: error: .*plaice" "$WORK/err" || fail "no FILE:LINE:COL: error: finding: $(cat "$WORK/err")"
grep -q '<plaice>' "$R/$F" || fail "the refused commit lost the user's edit"
# a transition on top of it is refused too: the edit is not recorded
refused 1 "has edits not yet recorded" d --as hoa submit "$DOC"
cp "$WORK/draft.xml" "$R/$F"
[ -z "$(git -C "$R" status --porcelain)" ] || fail "the work tree is not clean after restoring the draft"
ok "commit of a schema-invalid edit: exit 1 with FILE:LINE:COL: error:, nothing written, edit kept"

# --- docket's own metadata may not be edited by hand ---------------------------------------------
# a forged workflow element in a draft that has none
sed 's|^</document>|  <workflow state="issued"/>\n</document>|' "$WORK/draft.xml" >"$R/$F"
refused 1 "written by docket only" d --as hoa commit "$DOC" -m "Tự ban hành"
cp "$WORK/draft.xml" "$R/$F"
ok "commit of a hand-made workflow element: refused, nothing written"

# --- who may edit ----------------------------------------------------------------------------
sed 's|<subject>Thực hiện|<subject>Triển khai thực hiện|' "$WORK/draft.xml" >"$R/$F"
cp "$R/$F" "$WORK/edited.xml"
refused 1 "'vy' (unit VT, roles reviewer) may not edit it" d --as vy commit "$DOC" -m "Sửa trích yếu"
refused 1 "'thu' (unit VT, roles clerk) may not edit it" d --as thu commit "$DOC" -m "Sửa trích yếu"
refused 1 "'lan' (unit LD, roles approver) may not edit it" d --as lan commit "$DOC" -m "Sửa trích yếu"
refused 2 "-m MESSAGE" d --as hoa commit "$DOC"
refused 2 "-m MESSAGE" d --as hoa commit "$DOC" -m ""
cmp -s "$R/$F" "$WORK/edited.xml" || fail "a refused commit changed the edited file"
ok "commit by someone outside the drafting unit, or without -m: refused, the edit kept"

# --- transition with unrecorded edits ------------------------------------------------------
refused 1 "'$F' has edits not yet recorded" d --as hoa submit "$DOC"
cmp -s "$R/$F" "$WORK/edited.xml" || fail "the refused submit overwrote the user's edit"
ok "a transition while the file has unrecorded edits: refused, the edit kept"

# --- the happy path of docket commit -----------------------------------------------------------
done_one d --as hoa commit "$DOC" -m "Sửa trích yếu"
expect_grep "$DOC: edit recorded in state draft [" "$WORK/out"
git -C "$R" log -1 --format=%B | grep '^Docket-' >"$WORK/trailers"
cat >"$WORK/want" <<EOF
Docket-Document: $DOC
Docket-Action: edit
Docket-State: draft
Docket-Actor: hoa
EOF
diff -u "$WORK/want" "$WORK/trailers" || fail "trailers of the edit commit"
git -C "$R" log -1 --format=%B | grep -qxF "Sửa trích yếu" || fail "the message is not in the edit commit"
[ "$(git -C "$R" log -1 --format=%an)" = "Nguyễn Thị Hoa" ] || fail "author of the edit commit"
git -C "$R" cat-file blob "HEAD:$F" | cmp -s - "$WORK/edited.xml" || fail "HEAD does not hold the edit byte for byte"
[ "$(git -C "$R" diff-tree --no-commit-id --name-only -r HEAD)" = "$F" ] || fail "the edit commit changed other files"
refused 1 "nothing changed" d --as hoa commit "$DOC" -m "Không sửa gì"
# the reviewer of the drafting unit may edit a draft too
sed -i 's|<subject>Triển khai thực hiện|<subject>Tổ chức triển khai thực hiện|' "$R/$F"
done_one d --as minh commit "$DOC" -m "Sửa trích yếu lần hai"
[ "$(git -C "$R" log -1 --format=%an)" = "Trần Văn Minh" ] || fail "author of minh's edit"
cp "$R/$F" "$WORK/draft.xml"
ok "docket commit in draft: one commit, Docket-Action: edit, the file as edited; nothing to commit refused"

# --- separation of duties needs the document submitted: DOCKET_ACTOR works too ---------------------
done_one env DOCKET_ACTOR=hoa "$DOCKET" -C "$R" submit "$DOC" -m "Trình"
[ "$(git -C "$R" log -1 --format=%an)" = "Nguyễn Thị Hoa" ] || fail "DOCKET_ACTOR: author"
git -C "$R" log -1 --format=%B | grep -qxF "Docket-Actor: hoa" || fail "DOCKET_ACTOR: trailer"
cp "$R/$F" "$WORK/submitted.xml"
ok "DOCKET_ACTOR=hoa submits"

# --- editing outside an editable state ------------------------------------------------------
sed 's|<subject>Tổ chức triển khai|<subject>Triển khai|' "$WORK/submitted.xml" >"$R/$F"
refused 1 "cannot edit '$DOC': its state 'submitted' is not editable" d --as hoa commit "$DOC" -m "Sửa sau khi trình"
refused 1 "its state 'submitted' is not editable" d --as minh commit "$DOC" -m "Sửa sau khi trình"
cp "$WORK/submitted.xml" "$R/$F"
ok "docket commit in state submitted: refused"

# --- hand edits of the workflow steps and state ----------------------------------------------------
edit_refused() { # SED-EXPR WHAT
	sed "$1" "$WORK/submitted.xml" >"$R/$F"
	cmp -s "$R/$F" "$WORK/submitted.xml" && fail "the sed for '$2' changed nothing"
	refused 1 "$3" d --as hoa commit "$DOC" -m "$2"
	cp "$WORK/submitted.xml" "$R/$F"
}
# in draft again, so that only the metadata rule can refuse
done_one d --as minh return "$DOC" -m "Trả lại để kiểm tra"
cp "$R/$F" "$WORK/submitted.xml"
edit_refused 's|<workflow state="draft">|<workflow state="approved">|' "state" "written by docket only"
edit_refused '/transition="return"/d' "drop a step" "written by docket only"
edit_refused 's|>Trình</step>|>Trình lãnh đạo</step>|' "reword a step" "written by docket only"
edit_refused 's|actor="hoa"|actor="dung"|' "change an actor" "written by docket only"
edit_refused 's|\(</workflow>\)|  <step date="2021-05-01T08:00:00+07:00" actor="lan" role="approver" transition="approve" from="reviewed" to="approved"/>\n  \1|' \
	"forge a step" "written by docket only"
[ "$(state "$F")" = draft ] || fail "the document is no longer in draft"
ok "hand edits of the workflow state or steps: refused with 'written by docket only'"

# --- missing reason --------------------------------------------------------------------------
done_one d --as hoa submit "$DOC" -m "Trình lại"
refused 1 "cannot return '$DOC': a reason is required (-m REASON)" d --as minh return "$DOC"
refused 1 "a reason is required" d --as minh return "$DOC" -m ""
refused 1 "a reason is required" d --as lan transition "$DOC" return
ok "return without a reason: refused"

# --- wrong unit --------------------------------------------------------------------------------
refused 1 "'vy' (unit VT, roles reviewer) may not review it: it needs role 'reviewer' in the drafting unit (CTTT)" \
	d --as vy review "$DOC"
refused 1 "'vy' (unit VT, roles reviewer) may not return it" d --as vy return "$DOC" -m "Không thuộc đơn vị"
expect_exit 0 d --as vy status "$DOC" --json
grep -qF '"may": []' "$WORK/out" || fail "status says vy may act: $(cat "$WORK/out")"
ok "a reviewer of another unit (VT) may not review or return a CTTT plan"

# the right people still can: the refusals left nothing behind
done_one d --as minh review "$DOC"
refused 1 "state is 'reviewed', expected 'submitted'" d --as minh review "$DOC"
refused 1 "'thu' (unit VT, roles clerk) may not approve it" d --as thu approve "$DOC"
done_one d --as lan approve "$DOC"
refused 1 "'lan' (unit LD, roles approver) may not issue it" d --as lan issue "$DOC"
done_one d --as thu issue "$DOC"
refused 1 "state is 'issued', expected 'approved'" d --as thu issue "$DOC"
refused 1 "state is 'issued', expected 'submitted' or 'reviewed'" d --as lan return "$DOC" -m "Thu hồi"
sed -i 's|<subject>Tổ chức triển khai|<subject>Triển khai|' "$R/$F"
refused 1 "its state 'issued' is not editable" d --as hoa commit "$DOC" -m "Sửa văn bản đã ban hành"
git -C "$R" cat-file blob "HEAD:$F" >"$R/$F"
[ "$(xmllint --xpath "string(//*[local-name()='header']/*[local-name()='code']/*[local-name()='number'])" "$R/$F")" = 01 ] ||
	fail "the plan was not numbered 01"
ok "after the refusals the plan is reviewed, approved and issued; issued cannot be issued, returned or edited"

# --- separation of duties ----------------------------------------------------------------------
# dung is drafter and reviewer of CTTT: he may submit, but not also review what he submitted
DOC2=kh-2021-400
F2=documents/plan/2021/CTTT/$DOC2.xml
done_one d --as dung add --draft --id "$DOC2" "$EXAMPLES/354-KH-PGDDT.xml"
done_one d --as dung submit "$DOC2"
refused 1 "cannot review '$DOC2': 'dung' took 'submit' on this document and may not also take 'review' (separation of duties)" \
	d --as dung review "$DOC2"
refused 1 "separation of duties" d --as dung transition "$DOC2" review
expect_exit 0 d --as dung status "$DOC2" --json
grep -qF '"review"' "$WORK/out" && fail "status offers dung the review he may not take: $(cat "$WORK/out")"
done_one d --as minh review "$DOC2"
[ "$(state "$F2")" = reviewed ] || fail "$DOC2 is not reviewed"
# quang (LD, drafter and approver; LD is CTTT's parent unit) may submit a CTTT plan but not approve it
DOC3=kh-2021-401
F3=documents/plan/2021/CTTT/$DOC3.xml
done_one d --as hoa add --draft --id "$DOC3" "$EXAMPLES/354-KH-PGDDT.xml"
done_one d --as quang submit "$DOC3"
done_one d --as minh review "$DOC3"
refused 1 "'quang' took 'submit' on this document and may not also take 'approve' (separation of duties)" \
	d --as quang approve "$DOC3"
done_one d --as lan approve "$DOC3"
ok "separation of duties: the submitter may not review (drafter+reviewer) or approve (drafter+approver)"

# --- a document made invalid behind docket's back is not moved on ---------------------------------
DOC4=kh-2021-402
F4=documents/plan/2021/CTTT/$DOC4.xml
done_one d --as hoa add --draft --id "$DOC4" "$EXAMPLES/354-KH-PGDDT.xml"
sed -i 's|<place>Cẩm Phả</place>|<plaice>Cẩm Phả</plaice>|' "$R/$F4"
git -C "$R" commit -q -a -m "plain git: a broken draft"
line=$(grep -n '<plaice>' "$R/$F4" | cut -d: -f1)
refused 1 "not valid" d --as hoa submit "$DOC4"
grep -q "^$F4:$line:[0-9][0-9]*: error: " "$WORK/err" || fail "submit of an invalid document: no FILE:LINE:COL finding: $(cat "$WORK/err")"
expect_exit 1 d validate --all
cat "$WORK/out" "$WORK/err" | grep -q "^$F4:$line:" || fail "validate --all does not name $F4:$line"
ok "a transition on a document that does not validate: exit 1 with FILE:LINE:COL findings, nothing written"

# --- a malformed DOCKET_NOW is refused, not recorded or read past its end -----------------------
done_one d --as hoa add --draft --id kh-2021-403 "$EXAMPLES/354-KH-PGDDT.xml"
for bad in x 2021 2021-05-11 2021-05-11T09:00:00 "2021-05-11T09:00:00+07:00 junk"; do
	refused 2 "DOCKET_NOW" env DOCKET_NOW="$bad" "$DOCKET" -C "$R" --as hoa submit kh-2021-403
done
# issue takes the year and the day from it: refused too (it read past the end of "x" before)
refused 2 "DOCKET_NOW='x' is not a date and time" env DOCKET_NOW=x "$DOCKET" -C "$R" --as thu issue kh-2021-401
refused 2 "DOCKET_NOW='2021' is not a date and time" env DOCKET_NOW=2021 "$DOCKET" -C "$R" --as thu issue kh-2021-401
# add records no time of its own: the plan's year files it (it wrote past the end of "x" before)
done_one env DOCKET_NOW=x "$DOCKET" -C "$R" --as hoa add --draft --id kh-2021-407 "$EXAMPLES/354-KH-PGDDT.xml"
[ -f "$R/documents/plan/2021/CTTT/kh-2021-407.xml" ] || fail "add with DOCKET_NOW=x filed the plan elsewhere"
ok "a malformed DOCKET_NOW: transitions exit 2 and write nothing; add files by the plan's own year"

# --- configuration changes --------------------------------------------------------------------
refused 1 "'hoa' may not change the configuration: the admin role is required" d --as hoa unit add X --name "X"
refused 1 "only an administrator may change the configuration" d unit add X --name "X"
expect_grep "--as" "$WORK/err"
refused 1 "'nobody' may not change the configuration" d --as nobody unit add X --name "X"
refused 1 "the admin role is required" d --as lan person add eve --name "Eve" --position "CV" --unit LD --role admin
refused 1 "the admin role is required" d --as thu org set --name "TỔ CHỨC KHÁC"
refused 1 "the admin role is required" env DOCKET_ACTOR=minh "$DOCKET" -C "$R" org set --abbr "X"
refused 1 "the unit 'CTTT' exists already" d --as admin unit add CTTT --name "Trùng"
refused 1 "the person 'hoa' exists already" d --as admin person add hoa --name "Trùng" --position "CV" --unit LD --role drafter
expect_exit 0 d org show
expect_grep "name:   PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" "$WORK/out"
done_one d --as admin unit add TH-CAMPHU --name "Trường Tiểu học Cẩm Phú"
ok "configuration changes by a non-administrator, or by nobody, once an admin exists: exit 1"

# --- a state written by hand is not moved on ---------------------------------------------------
# A draft committed with plain git claiming to be approved, with no step that approved it: the
# clerk must not be able to issue it (that would skip review and approval), and nobody is
# offered any transition on it.
DOC5=kh-2021-404
F5=documents/plan/2021/CTTT/$DOC5.xml
done_one d --as hoa add --draft --id "$DOC5" "$EXAMPLES/354-KH-PGDDT.xml"
sed -i 's|^</document>|  <workflow state="approved"/>\n</document>|' "$R/$F5"
git -C "$R" commit -q -a -m "plain git: approved by hand"
refused 1 "its state is 'approved', but it has no workflow steps" d --as thu issue "$DOC5"
refused 1 "its state is 'approved', but it has no workflow steps" d --as lan return "$DOC5" -m "Không hợp lệ"
expect_exit 0 d --as thu status "$DOC5" --json
expect_grep '"may": []' "$WORK/out"
# the same with one forged step that starts where no step led
DOC6=kh-2021-405
F6=documents/plan/2021/CTTT/$DOC6.xml
done_one d --as hoa add --draft --id "$DOC6" "$EXAMPLES/354-KH-PGDDT.xml"
sed -i 's|^</document>|  <workflow state="approved">\n    <step date="2021-05-10T16:45:00+07:00" actor="lan" role="approver" transition="approve" from="reviewed" to="approved"/>\n  </workflow>\n</document>|' "$R/$F6"
git -C "$R" commit -q -a -m "plain git: one forged step"
refused 1 "its step 1 leaves 'reviewed', but the steps before it lead to 'draft'" d --as thu issue "$DOC6"
ok "a state its steps do not lead to (written by hand): no transition is taken or offered"

# format.md: "Workflow steps consistent with the workflow definition and with @state" is a rule
# checked in C, so `docket validate` reports both documents, and `docket add` refuses one.
expect_exit 1 d validate --all
cat "$WORK/out" "$WORK/err" | grep -q "^$F5:" || fail "validate --all does not report $F5 (state 'approved' without steps)"
cat "$WORK/out" "$WORK/err" | grep -q "^$F6:" || fail "validate --all does not report $F6 (a step from 'reviewed' first)"
sed -e 's|id="kh-2021-354"|id="kh-2021-406"|' -e 's|<number>354</number>|<number/>|' \
	-e 's|<notation>KH-PGDĐT</notation>|<notation/>|' -e 's|^</document>|  <workflow state="approved"/>\n</document>|' \
	"$EXAMPLES/354-KH-PGDDT.xml" >"$WORK/forged.xml"
refused 1 "" d --as hoa add "$WORK/forged.xml"
ok "validate --all reports both; add refuses a document whose state no step led to"
