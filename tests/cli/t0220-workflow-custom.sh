#!/usr/bin/env bash
# A repository's own workflow instead of the default: .docket/workflows/plan.xml replaced
# (with plain git: docket has no command for it yet) by draft -> checked -> published, where
# `publish` assigns the number. Transitions follow it, the default ones are unknown. An
# inconsistent workflow file (unreachable state, a transition out of a final state, an unknown
# state, no initial state) is refused by `docket validate FILE`, and once committed by
# `docket validate --all`, naming the file and the state.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
WF=.docket/workflows/plan.xml
d() { "$DOCKET" -C "$R" "$@"; }
count() { git -C "$R" rev-list --count main; }
xp() { # PATH FILE: string value by local names under document
	local p="" part
	for part in $(echo "$1" | tr / ' '); do p="$p/*[local-name()='$part']"; done
	xmllint --xpath "string(/*[local-name()='document']$p)" "$2"
}
clean() {
	[ -z "$(git -C "$R" status --porcelain --untracked-files=all)" ] ||
		fail "work tree not clean after $1: $(git -C "$R" status --porcelain)"
}
done_one() { # WHAT CMD...
	local what=$1 before
	shift
	before=$(count)
	expect_exit 0 "$@"
	[ "$(count)" = $((before + 1)) ] || fail "$what: expected one new commit"
	clean "$what"
	fsck_clean "$R"
}
refused() { # CODE PATTERN CMD...: exit CODE, PATTERN on stderr, nothing changed
	local code=$1 pattern=$2 before
	shift 2
	before=$(snapshot "$R"; git -C "$R" status --porcelain)
	expect_exit "$code" "$@"
	expect_grep "docket: " "$WORK/err"
	expect_grep "$pattern" "$WORK/err"
	[ "$(snapshot "$R"; git -C "$R" status --porcelain)" = "$before" ] || fail "a refusal changed the repository: $*"
}

expect_exit 0 "$DOCKET" init "$R"
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
done_one tam d --as admin person add tam --name "Hoàng Văn Tâm" --position "CHÁNH VĂN PHÒNG" --unit LD --role reviewer,clerk

# --- the custom workflow ------------------------------------------------------------------------
cat >"$WORK/custom.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- A shorter plan workflow: the head of the drafting unit checks, the records clerk publishes. -->
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="checked"/>
  <state id="published" final="true"/>
  <transition id="check" from="draft" to="checked">
    <allow role="reviewer" scope="drafting-unit"/>
  </transition>
  <transition id="publish" from="checked" to="published">
    <allow role="clerk" scope="organisation"/>
    <separate from="check"/>
    <effect name="assign-number"/>
  </transition>
  <transition id="reject" from="checked" to="draft" reason="required">
    <allow role="clerk" scope="organisation"/>
  </transition>
</workflow>
EOF
expect_exit 0 "$DOCKET" validate "$WORK/custom.xml"
[ ! -s "$WORK/out" ] || fail "validate of the custom workflow printed: $(cat "$WORK/out")"
expect_exit 0 d validate "$WORK/custom.xml"
cp "$WORK/custom.xml" "$R/$WF"
git -C "$R" commit -q -m "Quy trình kế hoạch riêng của phòng" -- "$WF"
git -C "$R" cat-file blob "HEAD:$WF" | cmp -s - "$WORK/custom.xml" || fail "the custom workflow is not in HEAD"
expect_exit 0 d validate --all
clean "the custom workflow commit"
ok "a custom plan workflow (draft -> checked -> published) validates and is committed with git"

DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
done_one add d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 d --as minh status "$DOC" --json
expect_grep '"state": "draft"' "$WORK/out"
expect_grep '"may": ["check"]' "$WORK/out"
expect_exit 0 d --as hoa status "$DOC" --json
expect_grep '"may": []' "$WORK/out"
ok "status follows the custom workflow: minh may check, hoa (drafter) nothing"

# the default transitions do not exist here: an unknown transition is a usage error
refused 2 "the plan workflow has no transition 'submit'" d --as hoa submit "$DOC"
refused 2 "no transition 'submit'" d --as hoa transition "$DOC" submit
refused 2 "no transition 'review'" d --as minh review "$DOC"
refused 2 "no transition 'issue'" d --as thu issue "$DOC"
ok "submit, review, issue of the default workflow are unknown here (exit 2)"

# its rules hold: state, role, separation of duties, reason
refused 1 "cannot publish '$DOC': state is 'draft', expected 'checked'" d --as thu transition "$DOC" publish
refused 1 "'hoa' (unit CTTT, roles drafter) may not check it" d --as hoa transition "$DOC" check
# tam (LD, reviewer and clerk; LD is CTTT's parent) may check, but then not also publish
done_one check d --as tam transition "$DOC" check -m "Đã kiểm tra"
expect_grep "$DOC: draft -> checked [" "$WORK/out"
refused 1 "'tam' took 'check' on this document and may not also take 'publish' (separation of duties)" \
	d --as tam transition "$DOC" publish
expect_exit 0 d --as tam status "$DOC" --json
expect_grep '"may": ["reject"]' "$WORK/out"
refused 1 "cannot reject '$DOC': a reason is required" d --as thu transition "$DOC" reject
done_one reject d --as thu transition "$DOC" reject -m "Thiếu chữ ký"
[ "$(xmllint --xpath "string(//*[local-name()='workflow']/@state)" "$R/$F")" = draft ] || fail "reject did not go back to draft"
ok "the custom workflow's own rules: wrong state, role, separation of duties, reason"

export DOCKET_NOW=2021-06-01T10:00:00+07:00
done_one check d --as minh transition "$DOC" check
git -C "$R" log -1 --format=%B | grep '^Docket-' >"$WORK/trailers"
cat >"$WORK/want" <<EOF
Docket-Document: $DOC
Docket-Transition: check
Docket-From: draft
Docket-To: checked
Docket-Actor: minh
Docket-Role: reviewer
EOF
diff -u "$WORK/want" "$WORK/trailers" || fail "trailers of check"
expect_exit 0 d --as thu status "$DOC" --json
expect_grep '"may": ["publish", "reject"]' "$WORK/out"
done_one publish d --as thu transition "$DOC" publish
unset DOCKET_NOW
expect_grep "$DOC: checked -> published, number 01/KH-PGDĐT [" "$WORK/out"
git -C "$R" log -1 --format=%B | grep '^Docket-' >"$WORK/trailers"
cat >"$WORK/want" <<EOF
Docket-Document: $DOC
Docket-Transition: publish
Docket-From: checked
Docket-To: published
Docket-Actor: thu
Docket-Role: clerk
Docket-Number: 01/KH-PGDĐT
EOF
diff -u "$WORK/want" "$WORK/trailers" || fail "trailers of publish"
[ "$(git -C "$R" log -1 --format=%an)" = "Phạm Thị Thu" ] || fail "author of publish"
[ "$(xp header/code/number "$R/$F")" = 01 ] || fail "publish did not number the plan"
[ "$(xp header/code/notation "$R/$F")" = KH-PGDĐT ] || fail "publish: notation"
[ "$(xp header/date "$R/$F")" = 2021-06-01 ] || fail "publish: date"
printf '01\tKH-PGDĐT\t%s\t2021-06-01\n' "$DOC" >"$WORK/want"
git -C "$R" cat-file blob HEAD:.docket/register/2021/PGDDT.txt | diff -u "$WORK/want" - || fail "register after publish"
grep '<step ' "$R/$F" | sed 's/ date="[^"]*"//' >"$WORK/steps"
cat >"$WORK/want" <<'EOF'
    <step actor="tam" role="reviewer" transition="check" from="draft" to="checked">Đã kiểm tra</step>
    <step actor="thu" role="clerk" transition="reject" from="checked" to="draft">Thiếu chữ ký</step>
    <step actor="minh" role="reviewer" transition="check" from="draft" to="checked"/>
    <step actor="thu" role="clerk" transition="publish" from="checked" to="published"/>
EOF
diff -u "$WORK/want" "$WORK/steps" || fail "the steps of the custom walk"
refused 1 "state is 'published', expected 'checked'" d --as thu transition "$DOC" publish
refused 1 "state is 'published', expected 'checked'" d --as thu transition "$DOC" reject -m "Thu hồi"
expect_exit 0 d --as thu status "$DOC" --json
expect_grep '"state": "published"' "$WORK/out"
expect_grep '"may": []' "$WORK/out"
expect_exit 0 d show "$DOC"
expect_grep "Số: 01/KH-PGDĐT" "$WORK/out"
expect_exit 0 d validate --all
[ ! -s "$WORK/out" ] || fail "validate --all: $(cat "$WORK/out")"
fsck_clean "$R"
ok "check then publish: numbered 01/KH-PGDĐT by publish's assign-number effect; validate --all clean"

# --- inconsistent workflow files ------------------------------------------------------------------
# wf NAME: write $WORK/NAME.xml from stdin
wf() { cat >"$WORK/$1.xml"; }
wf unreachable <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="checked"/>
  <state id="archived"/>
  <state id="published" final="true"/>
  <transition id="check" from="draft" to="checked">
    <allow role="reviewer" scope="drafting-unit"/>
  </transition>
  <transition id="publish" from="checked" to="published">
    <allow role="clerk" scope="organisation"/>
  </transition>
</workflow>
EOF
wf out-of-final <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="published" final="true"/>
  <transition id="publish" from="draft" to="published">
    <allow role="clerk" scope="organisation"/>
  </transition>
  <transition id="withdraw" from="published" to="draft" reason="required">
    <allow role="approver" scope="organisation"/>
  </transition>
</workflow>
EOF
wf unknown-to <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="published" final="true"/>
  <transition id="publish" from="draft" to="publsihed">
    <allow role="clerk" scope="organisation"/>
  </transition>
</workflow>
EOF
wf unknown-from <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="published" final="true"/>
  <transition id="publish" from="draft chekced" to="published">
    <allow role="clerk" scope="organisation"/>
  </transition>
</workflow>
EOF
wf no-initial <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" editable="true"/>
  <state id="published" final="true"/>
  <transition id="publish" from="draft" to="published">
    <allow role="clerk" scope="organisation"/>
  </transition>
</workflow>
EOF
wf two-initial <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="published" initial="true" final="true"/>
  <transition id="publish" from="draft" to="published">
    <allow role="clerk" scope="organisation"/>
  </transition>
</workflow>
EOF
wf unknown-separate <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="published" final="true"/>
  <transition id="publish" from="draft" to="published">
    <allow role="clerk" scope="organisation"/>
    <separate from="submit"/>
  </transition>
</workflow>
EOF
wf bad-scope <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<workflow xmlns="urn:docket:workflow:1" kind="plan">
  <state id="draft" initial="true" editable="true"/>
  <state id="published" final="true"/>
  <transition id="publish" from="draft" to="published">
    <allow role="clerk" scope="everyone"/>
  </transition>
</workflow>
EOF
# NAME LINE MESSAGE: validate FILE outside and inside a repository, text and JSON
bad_wf() {
	local name=$1 line=$2 msg=$3 where
	for where in outside inside; do
		if [ $where = outside ]; then
			expect_exit 1 "$DOCKET" validate "$WORK/$name.xml"
		else
			expect_exit 1 d validate "$WORK/$name.xml"
		fi
		grep -qF "$WORK/$name.xml:$line:" "$WORK/out" ||
			fail "validate $name.xml ($where): no finding at line $line: $(cat "$WORK/out" "$WORK/err")"
		grep -F "$WORK/$name.xml:$line:" "$WORK/out" | grep -qF ": error: $msg" ||
			fail "validate $name.xml ($where): expected '$msg': $(cat "$WORK/out")"
	done
	expect_exit 1 "$DOCKET" validate --json "$WORK/$name.xml"
	perl -MJSON::PP -e '
		my $j = JSON::PP->new->utf8->decode(do { local $/; <STDIN> });
		exit !(ref $j eq "ARRAY" && grep { $_->{line} == $ARGV[0] && index($_->{message}, $ARGV[1]) >= 0 } @$j);
	' "$line" "$msg" <"$WORK/out" || fail "validate --json $name.xml: $(cat "$WORK/out")"
}
bad_wf unreachable 5 "the state 'archived' cannot be reached from the initial state 'draft'"
bad_wf out-of-final 8 "transition 'withdraw' leaves the final state 'published'"
bad_wf unknown-to 5 "transition 'publish' goes to the unknown state 'publsihed'"
bad_wf unknown-from 5 "transition 'publish' leaves the unknown state 'chekced'"
bad_wf no-initial 2 "the workflow must have exactly one initial state, not 0"
bad_wf two-initial 2 "the workflow must have exactly one initial state, not 2"
bad_wf unknown-separate 5 "transition 'publish' is separated from the unknown transition 'submit'"
expect_exit 1 "$DOCKET" validate "$WORK/bad-scope.xml"
expect_grep "$WORK/bad-scope.xml:6:" "$WORK/out"
expect_grep "everyone" "$WORK/out"
# several files: every one is reported, the good one is not
expect_exit 1 "$DOCKET" validate "$WORK/unreachable.xml" "$WORK/custom.xml" "$WORK/out-of-final.xml"
expect_grep "unreachable.xml:5:" "$WORK/out"
expect_grep "out-of-final.xml:8:" "$WORK/out"
! grep -q "custom.xml" "$WORK/out" || fail "the good workflow got a finding"
ok "validate FILE refuses inconsistent workflows (exit 1), FILE:LINE naming the state or transition"

# --- an inconsistent workflow committed to the repository --------------------------------------
DOC2=kh-2021-355
F2=documents/plan/2021/CTTT/$DOC2.xml
done_one add2 d --as hoa add --draft --id "$DOC2" "$EXAMPLES/354-KH-PGDDT.xml"
good=$(git -C "$R" rev-parse HEAD)
cp "$WORK/unreachable.xml" "$R/$WF"
git -C "$R" commit -q -m "Quy trình lỗi" -- "$WF"
expect_exit 1 d validate --all
grep -q "^$WF:5:[0-9]*: error: the state 'archived' cannot be reached" "$WORK/out" ||
	fail "validate --all does not name $WF:5 and the state: $(cat "$WORK/out" "$WORK/err")"
expect_exit 1 d validate --all --json
expect_grep "\"file\": \"$WF\"" "$WORK/out"
# the revision before is still judged clean by its own workflow
expect_exit 0 d validate --all --rev "$good"
# nothing moves under a broken workflow; the message names the file
refused 1 "$WF" d --as minh transition "$DOC2" check
expect_grep "archived" "$WORK/err"
cp "$WORK/out-of-final.xml" "$R/$WF"
git -C "$R" commit -q -m "Quy trình lỗi 2" -- "$WF"
expect_exit 1 d validate --all
grep -q "^$WF:8:[0-9]*: error: transition 'withdraw' leaves the final state 'published'" "$WORK/out" ||
	fail "validate --all: $(cat "$WORK/out" "$WORK/err")"
cp "$WORK/unknown-to.xml" "$R/$WF"
git -C "$R" commit -q -m "Quy trình lỗi 3" -- "$WF"
expect_exit 1 d validate --all
grep -q "^$WF:5:[0-9]*: error: transition 'publish' goes to the unknown state 'publsihed'" "$WORK/out" ||
	fail "validate --all: $(cat "$WORK/out" "$WORK/err")"
refused 1 "$WF" d --as minh transition "$DOC2" check
# repaired: docket works again
cp "$WORK/custom.xml" "$R/$WF"
git -C "$R" commit -q -m "Sửa quy trình" -- "$WF"
expect_exit 0 d validate --all
done_one "check after repair" d --as minh transition "$DOC2" check
fsck_clean "$R"
ok "a committed inconsistent workflow: validate --all exits 1 naming $WF and the state; transitions refused"
