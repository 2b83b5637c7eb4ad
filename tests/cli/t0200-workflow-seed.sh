#!/usr/bin/env bash
# The seed plan 354/KH-PGDĐT walked through the default plan workflow by named people:
# org, units and people set up with docket's own commands; the plan added as a fresh draft;
# submit -> return (with a reason) -> submit -> review -> approve -> issue. After every
# command: exactly one new commit, its trailers and author, the step appended to the XML,
# what `docket status --json` says each person may do next, a clean work tree and
# `git fsck --strict`. At issue: the number 01/KH-PGDĐT from the register and the date.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml

d() { "$DOCKET" -C "$R" "$@"; }
count() { git -C "$R" rev-list --count main; }

# jf FIELD... < JSON: each field (a dot path: state, last_step.actor, 0.id) on its own line;
# arrays joined with ',', null as 'null'. perl's JSON::PP comes with git on Debian.
jf() {
	perl -MJSON::PP -e '
		binmode STDOUT, ":encoding(UTF-8)";
		my $j = JSON::PP->new->utf8->decode(do { local $/; <STDIN> });
		for my $path (@ARGV) {
			my $v = $j;
			for my $k (split /\./, $path) { $v = ref $v eq "ARRAY" ? $v->[$k] : $v->{$k}; }
			print !defined $v ? "null" : ref $v eq "ARRAY" ? join(",", @$v) :
			      JSON::PP::is_bool($v) ? ($v ? "true" : "false") : $v, "\n";
		}' "$@"
}

# xp XPATH-ON-LOCAL-NAMES FILE: the string value, e.g. xp header/code/number FILE
xp() {
	local p="" part
	for part in $(echo "$1" | tr / ' '); do p="$p/*[local-name()='$part']"; done
	xmllint --xpath "string(/*[local-name()='document']$p)" "$2"
}

# clean WHAT: the work tree and index match HEAD
clean() {
	local s
	s=$(git -C "$R" status --porcelain --untracked-files=all)
	[ -z "$s" ] || fail "the work tree is not clean after $1: $s"
}

# one_commit WHAT CMD...: CMD exits 0 and writes exactly one commit on main, the work tree
# stays clean and fsck passes.
one_commit() {
	local what=$1 before after
	shift
	before=$(count)
	expect_exit 0 "$@"
	after=$(count)
	[ "$after" = $((before + 1)) ] || fail "$what: expected one new commit, got $((after - before))"
	[ "$(git -C "$R" rev-parse HEAD)" = "$(git -C "$R" rev-parse refs/heads/main)" ] ||
		fail "$what: HEAD is not main"
	clean "$what"
	fsck_clean "$R"
}

# trailers_are EXPECTED: the Docket-* lines of HEAD's message, in order
trailers_are() {
	git -C "$R" log -1 --format=%B | grep '^Docket-' >"$WORK/trailers" || true
	printf '%s\n' "$@" >"$WORK/trailers.want"
	diff -u "$WORK/trailers.want" "$WORK/trailers" || fail "trailers of $(git -C "$R" log -1 --format='%h %s')"
}

# author_is NAME: author and committer of HEAD
author_is() {
	[ "$(git -C "$R" log -1 --format=%an)" = "$1" ] ||
		fail "author of HEAD is '$(git -C "$R" log -1 --format=%an)', expected '$1'"
	[ "$(git -C "$R" log -1 --format=%cn)" = "$1" ] ||
		fail "committer of HEAD is '$(git -C "$R" log -1 --format=%cn)', expected '$1'"
}

expect_exit 0 "$DOCKET" init "$R"
clean init

# --- the organisation, its units and people ------------------------------------------------
one_commit "org set" d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
trailers_are "Docket-Action: config"
expect_exit 0 d org show
cat >"$WORK/want" <<'EOF'
name:   PHÒNG GIÁO DỤC VÀ ĐÀO TẠO
abbr:   PGDĐT
parent: UBND THÀNH PHỐ CẨM PHẢ
place:  Cẩm Phả
EOF
diff -u "$WORK/want" "$WORK/out" || fail "org show"
ok "org set: one commit (Docket-Action: config); org show prints it"

one_commit "unit add LD" d unit add LD --name "Lãnh đạo phòng"
trailers_are "Docket-Action: config"
one_commit "unit add CTTT" d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
one_commit "unit add VT" d unit add VT --name "Văn thư" --parent LD
expect_exit 0 d unit list --json
jf 0.id 0.name 0.parent 1.id 1.name 1.parent 2.id 2.name 2.parent 3.id <"$WORK/out" >"$WORK/units" ||
	fail "unit list --json is not JSON: $(cat "$WORK/out")"
cat >"$WORK/want" <<'EOF'
LD
Lãnh đạo phòng
null
CTTT
Bộ phận Chính trị tư tưởng
LD
VT
Văn thư
LD
null
EOF
diff -u "$WORK/want" "$WORK/units" || fail "unit list --json"
ok "unit add (three units, two under LD): one commit each; unit list --json"

# the first person may be added by anyone (there is no administrator yet); then only admin
one_commit "person add admin" d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" \
	--unit LD --role admin
one_commit "person add hoa" d --as admin person add hoa --name "Nguyễn Thị Hoa" \
	--position "CHUYÊN VIÊN" --unit CTTT --role drafter
trailers_are "Docket-Action: config" "Docket-Actor: admin"
author_is "Đỗ Văn Quản"
one_commit "person add minh" d --as admin person add minh --name "Trần Văn Minh" \
	--position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
one_commit "person add lan" d --as admin person add lan --name "Lê Thị Lan" \
	--position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
one_commit "person add thu" d --as admin person add thu --name "Phạm Thị Thu" \
	--position "VĂN THƯ" --unit VT --role clerk --email "thu@pgd.example"
trailers_are "Docket-Action: config" "Docket-Actor: admin"
author_is "Đỗ Văn Quản"
expect_exit 0 d person list --json
perl -MJSON::PP -e '
	binmode STDOUT, ":encoding(UTF-8)";
	my $j = JSON::PP->new->utf8->decode(do { local $/; <STDIN> });
	print join("|", $_->{id}, $_->{name}, $_->{position}, $_->{unit}, $_->{roles}, $_->{email}), "\n" for @$j;
' <"$WORK/out" >"$WORK/people" || fail "person list --json is not JSON: $(cat "$WORK/out")"
cat >"$WORK/want" <<'EOF'
admin|Đỗ Văn Quản|CHUYÊN VIÊN|LD|admin|
hoa|Nguyễn Thị Hoa|CHUYÊN VIÊN|CTTT|drafter|
minh|Trần Văn Minh|TỔ TRƯỞNG CTTT|CTTT|reviewer|
lan|Lê Thị Lan|PHÓ TRƯỞNG PHÒNG|LD|approver|
thu|Phạm Thị Thu|VĂN THƯ|VT|clerk|thu@pgd.example
EOF
diff -u "$WORK/want" "$WORK/people" || fail "person list --json"
expect_exit 0 d person list
for p in admin hoa minh lan thu; do expect_grep "$p" "$WORK/out"; done
expect_grep "Nguyễn Thị Hoa" "$WORK/out"
ok "person add (admin first, then --as admin): one commit each, authored by the admin; person list"

# every action is signed by its actor once certificates exist: everyone who acts gets a key and
# a certificate, the administrator first (who then signs every configuration change)
enrol "$R" admin admin hoa minh lan thu
ok "keys and certificates for admin, hoa, minh, lan and thu"

# --- the seed plan, as a fresh draft ---------------------------------------------------------
one_commit "add --draft" d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
[ "$(cat "$WORK/out")" = "$DOC" ] || fail "add printed '$(cat "$WORK/out")', expected the id alone"
trailers_are "Docket-Document: $DOC" "Docket-Action: add" "Docket-Actor: hoa"
author_is "Nguyễn Thị Hoa"
git -C "$R" cat-file -e "HEAD:$F" || fail "the plan is not at $F"
git -C "$R" cat-file blob "HEAD:$F" | cmp -s - "$R/$F" || fail "the work tree copy of $F differs from HEAD"
[ -z "$(xp header/code/number "$R/$F")" ] || fail "add --draft kept the number"
! grep -q '<step ' "$R/$F" || fail "add --draft kept workflow steps"
expect_exit 0 d validate --all
[ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "validate --all printed findings"
ok "add --draft prints '$DOC', one commit by Nguyễn Thị Hoa, no number or steps"

# may WHO STATE LAST-ACTOR MAY: what `docket --as WHO status DOC --json` says
may() {
	expect_exit 0 d --as "$1" status "$DOC" --json
	jf state last_step.actor actor may <"$WORK/out" >"$WORK/st" || fail "status --json is not JSON: $(cat "$WORK/out")"
	printf '%s\n' "$2" "$3" "$1" "$4" >"$WORK/st.want"
	diff -u "$WORK/st.want" "$WORK/st" || fail "status of $DOC as $1"
	clean "status --json"
}
may hoa draft null submit
may minh draft null ""
may lan draft null ""
may thu draft null ""
expect_exit 0 d --as hoa status "$DOC"
expect_grep "state:     draft" "$WORK/out"
expect_grep "hoa may submit" "$WORK/out"
ok "status: in draft only hoa may submit"

# --- the workflow --------------------------------------------------------------------------
: >"$WORK/steps.want"
# act NOW WHO NAME FULLNAME FROM TO ROLE [MESSAGE]: one transition and everything it must record
act() {
	local now=$1 who=$2 name=$3 full=$4 from=$5 to=$6 role=$7 msg=${8-} head
	if [ -n "$msg" ]; then
		one_commit "$name" env DOCKET_NOW="$now" "$DOCKET" -C "$R" --as "$who" "$name" "$DOC" -m "$msg"
	else
		one_commit "$name" env DOCKET_NOW="$now" "$DOCKET" -C "$R" --as "$who" "$name" "$DOC"
	fi
	head=$(git -C "$R" rev-parse HEAD)
	expect_grep "$DOC: $from -> $to" "$WORK/out"
	expect_grep "[${head:0:12}]" "$WORK/out"
	author_is "$full"
	[ "$(git -C "$R" log -1 --format=%aI)" = "$now" ] ||
		fail "$name: commit date $(git -C "$R" log -1 --format=%aI), expected DOCKET_NOW $now"
	[ "$(git -C "$R" log -1 --format=%s)" = "docket: $name $DOC ($from -> $to)" ] ||
		fail "$name: subject '$(git -C "$R" log -1 --format=%s)'"
	if [ -n "$msg" ]; then
		git -C "$R" log -1 --format=%b | grep -qxF -- "$msg" || fail "$name: the message is not in the commit"
	fi
	# the step, appended; the earlier ones unchanged
	if [ -n "$msg" ]; then
		printf '    <step date="%s" actor="%s" role="%s" transition="%s" from="%s" to="%s">%s</step>\n' \
			"$now" "$who" "$role" "$name" "$from" "$to" "$msg" >>"$WORK/steps.want"
	else
		printf '    <step date="%s" actor="%s" role="%s" transition="%s" from="%s" to="%s"/>\n' \
			"$now" "$who" "$role" "$name" "$from" "$to" >>"$WORK/steps.want"
	fi
	git -C "$R" cat-file blob "HEAD:$F" >"$WORK/doc.xml"
	cmp -s "$WORK/doc.xml" "$R/$F" || fail "$name: the work tree copy of $F differs from HEAD"
	grep '<step ' "$WORK/doc.xml" >"$WORK/steps" || true
	diff -u "$WORK/steps.want" "$WORK/steps" || fail "$name: the workflow steps in $F"
	[ "$(xmllint --xpath "string(//*[local-name()='workflow']/@state)" "$WORK/doc.xml")" = "$to" ] ||
		fail "$name: workflow/@state is not '$to'"
	[ "$(xmllint --xpath "count(//*[local-name()='workflow'])" "$WORK/doc.xml")" = 1 ] ||
		fail "$name: not exactly one workflow element"
	xmllint --noout --schema "$R/.docket/schemas/docket.xsd" "$WORK/doc.xml" 2>"$WORK/xsd" ||
		{ cat "$WORK/xsd"; fail "$name: the committed document does not validate with xmllint"; }
}
# the trailers of a transition (the number at issue)
trailers_of() { # NAME FROM TO ACTOR ROLE [NUMBER]
	if [ -n "${6-}" ]; then
		trailers_are "Docket-Document: $DOC" "Docket-Transition: $1" "Docket-From: $2" "Docket-To: $3" \
			"Docket-Actor: $4" "Docket-Role: $5" "Docket-Number: $6"
	else
		trailers_are "Docket-Document: $DOC" "Docket-Transition: $1" "Docket-From: $2" "Docket-To: $3" \
			"Docket-Actor: $4" "Docket-Role: $5"
	fi
}

act 2021-05-03T08:00:00+07:00 hoa submit "Nguyễn Thị Hoa" draft submitted drafter "Trình lãnh đạo phòng xem xét"
trailers_of submit draft submitted hoa drafter
may hoa submitted hoa ""
may minh submitted hoa review,return
may lan submitted hoa return
may thu submitted hoa ""
ok "hoa submits: one commit, trailers, author, step; minh may review or return, lan may return"

act 2021-05-04T10:15:00+07:00 minh return "Trần Văn Minh" submitted draft reviewer "Đề nghị rà soát lại chỉ tiêu 4 và 5"
trailers_of return submitted draft minh reviewer
may hoa draft minh submit
may minh draft minh ""
ok "minh returns it with a reason: back in draft, the reason in the step and the commit"

act 2021-05-05T14:30:00+07:00 hoa submit "Nguyễn Thị Hoa" draft submitted drafter "Đã rà soát chỉ tiêu"
trailers_of submit draft submitted hoa drafter
may minh submitted hoa review,return
ok "hoa submits again"

act 2021-05-06T09:00:00+07:00 minh review "Trần Văn Minh" submitted reviewed reviewer
trailers_of review submitted reviewed minh reviewer
may lan reviewed minh approve,return
may minh reviewed minh return
may hoa reviewed minh ""
may thu reviewed minh ""
ok "minh reviews: lan may approve or return"

act 2021-05-10T16:45:00+07:00 lan approve "Lê Thị Lan" reviewed approved approver
trailers_of approve reviewed approved lan approver
may thu approved lan issue
may lan approved lan ""
may minh approved lan ""
[ -z "$(xp header/code/number "$R/$F")" ] || fail "approve assigned a number"
ok "lan approves: thu may issue; no number yet"

act 2021-05-11T09:00:00+07:00 thu issue "Phạm Thị Thu" approved issued clerk
trailers_of issue approved issued thu clerk "01/KH-PGDĐT"
expect_grep "number 01/KH-PGDĐT" "$WORK/out"
# after issue: nothing for the drafting unit; the clerk may link a correcting letter or a
# replacement, the approver also recall (the plan workflow's transitions after issue, t1130)
for p in hoa minh admin; do may "$p" issued thu ""; done
may thu issued thu "correct,replace"
may lan issued thu "correct,replace,recall"
ok "thu issues: one commit with Docket-Number; nobody may do anything more"

# --- the number, the date, the register ----------------------------------------------------
[ "$(xp header/code/number "$R/$F")" = 01 ] || fail "number is '$(xp header/code/number "$R/$F")'"
[ "$(xp header/code/notation "$R/$F")" = KH-PGDĐT ] || fail "notation is '$(xp header/code/notation "$R/$F")'"
[ "$(xp header/date "$R/$F")" = 2021-05-11 ] || fail "date is '$(xp header/date "$R/$F")', expected DOCKET_NOW's"
git -C "$R" cat-file -e HEAD:.docket/register/2021/PGDDT.txt || fail "no register .docket/register/2021/PGDDT.txt in HEAD"
printf '01\tKH-PGDĐT\t%s\t2021-05-11\n' "$DOC" >"$WORK/want"
git -C "$R" cat-file blob HEAD:.docket/register/2021/PGDDT.txt | diff -u "$WORK/want" - || fail "register 2021"
diff -u "$WORK/want" "$R/.docket/register/2021/PGDDT.txt" || fail "register 2021 in the work tree"
# the issue commit changed exactly the document and the register
git -C "$R" diff-tree --no-commit-id --name-only -r HEAD >"$WORK/changed"
printf '%s\n' .docket/register/2021/PGDDT.txt "$F" >"$WORK/want"
diff -u "$WORK/want" "$WORK/changed" || fail "the issue commit changed other files"
expect_exit 0 d show "$DOC"
expect_grep "Số: 01/KH-PGDĐT" "$WORK/out"
expect_grep "Cẩm Phả, ngày 11 tháng 5 năm 2021" "$WORK/out"
expect_exit 0 d --as thu status "$DOC" --json
[ "$(jf number <"$WORK/out")" = 01/KH-PGDĐT ] || fail "status --json number"
[ "$(jf last_step.transition last_step.date last_step.role <"$WORK/out" | tr '\n' ' ')" = \
  "issue 2021-05-11T09:00:00+07:00 clerk " ] || fail "status --json last_step: $(cat "$WORK/out")"
expect_exit 0 d status --json
[ "$(jf 0.id 0.state 0.unit 0.number 0.path 1.id <"$WORK/out" | tr '\n' ' ')" = \
  "$DOC issued CTTT 01/KH-PGDĐT $F null " ] || fail "status --json (all): $(cat "$WORK/out")"
expect_exit 0 d status
expect_grep "1 document: 1 issued" "$WORK/out"
ok "issued as 01/KH-PGDĐT dated 2021-05-11: header, register line, show 'Số: 01/KH-PGDĐT', status"

# the history tells the story in order, and every commit but init and the bootstrap names its person
git -C "$R" log --reverse --format=%s -7 >"$WORK/log"
cat >"$WORK/want" <<EOF
docket: add $DOC
docket: submit $DOC (draft -> submitted)
docket: return $DOC (submitted -> draft)
docket: submit $DOC (draft -> submitted)
docket: review $DOC (submitted -> reviewed)
docket: approve $DOC (reviewed -> approved)
docket: issue $DOC (approved -> issued)
EOF
diff -u "$WORK/want" "$WORK/log" || fail "git log"
[ "$(count)" = 22 ] || fail "expected 22 commits (init, org, 3 units, 5 people, 5 certificates, add, 6 actions), got $(count)"
expect_exit 0 d validate --all
[ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "validate --all printed findings"
clean "the walk"
fsck_clean "$R"
ok "git log: add and six actions in order, 17 commits in all; validate --all clean"

# --- without DOCKET_NOW: today's date in Vietnam, a +07:00 step date -------------------------
DOC2=kh-2021-360
one_commit "add --draft --id" d --as hoa add --draft --id "$DOC2" "$EXAMPLES/354-KH-PGDDT.xml"
[ "$(cat "$WORK/out")" = "$DOC2" ] || fail "add --id printed '$(cat "$WORK/out")'"
F2=documents/plan/2021/CTTT/$DOC2.xml
[ -f "$R/$F2" ] || fail "no $F2"
one_commit "submit 2" d --as hoa submit "$DOC2"
one_commit "review 2" d --as minh review "$DOC2"
one_commit "approve 2" d --as lan approve "$DOC2"
day0=$(TZ=Asia/Ho_Chi_Minh date +%F)
one_commit "issue 2" d --as thu issue "$DOC2"
day1=$(TZ=Asia/Ho_Chi_Minh date +%F)
date=$(xp header/date "$R/$F2")
[ "$date" = "$day0" ] || [ "$date" = "$day1" ] || fail "issued without DOCKET_NOW: date $date, today is $day1"
grep '<step ' "$R/$F2" >"$WORK/steps"
[ "$(wc -l <"$WORK/steps")" = 4 ] || fail "expected 4 steps in $F2"
if grep -v 'date="[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+07:00"' "$WORK/steps"; then
	fail "a step date without the +07:00 offset"
fi
year=${date%%-*}
if [ "$year" = 2021 ]; then n=02; else n=01; fi
[ "$(xp header/code/number "$R/$F2")" = "$n" ] || fail "number of $DOC2 is '$(xp header/code/number "$R/$F2")', expected $n"
git -C "$R" cat-file blob "HEAD:.docket/register/$year/PGDDT.txt" | tail -n 1 >"$WORK/reg"
printf '%s\tKH-PGDĐT\t%s\t%s\n' "$n" "$DOC2" "$date" >"$WORK/want"
diff -u "$WORK/want" "$WORK/reg" || fail "register $year"
expect_exit 0 d show "$DOC2"
expect_grep "Số: $n/KH-PGDĐT" "$WORK/out"
expect_grep "ngày " "$WORK/out"
expect_exit 0 d validate --all
fsck_clean "$R"
clean "the second walk"
ok "without DOCKET_NOW: dated today ($date) in Vietnam, step dates in +07:00, number $n of $year"

# --- DOCKET_NOW given in another offset: recorded in Vietnam time -----------------------------
# 20:00 UTC on 11 May is 03:00 on 12 May in Cẩm Phả: the step and the header say so.
DOC3=kh-2021-361
one_commit "add 3" d --as hoa add --draft --id "$DOC3" "$EXAMPLES/354-KH-PGDDT.xml"
F3=documents/plan/2021/CTTT/$DOC3.xml
export DOCKET_NOW=2021-05-11T20:00:00Z
one_commit "submit 3" d --as hoa submit "$DOC3"
one_commit "review 3" d --as minh review "$DOC3"
one_commit "approve 3" d --as lan approve "$DOC3"
one_commit "issue 3" d --as thu issue "$DOC3"
unset DOCKET_NOW
[ "$(grep -c 'date="2021-05-12T03:00:00+07:00"' "$R/$F3")" = 4 ] ||
	{ grep '<step ' "$R/$F3"; fail "DOCKET_NOW=2021-05-11T20:00:00Z: steps not dated 2021-05-12T03:00:00+07:00"; }
[ "$(xp header/date "$R/$F3")" = 2021-05-12 ] ||
	fail "DOCKET_NOW=2021-05-11T20:00:00Z: issued on '$(xp header/date "$R/$F3")', expected 2021-05-12 (Vietnam)"
n3=$(printf '%02d' "$(git -C "$R" cat-file blob HEAD:.docket/register/2021/PGDDT.txt | wc -l)")
[ "$n3" = 02 ] || [ "$year" = 2021 ] || fail "the 2021 register has $n3 lines, expected 02"
[ "$(xp header/code/number "$R/$F3")" = "$n3" ] || fail "the next 2021 number is '$(xp header/code/number "$R/$F3")'"
git -C "$R" cat-file blob HEAD:.docket/register/2021/PGDDT.txt | tail -n 1 >"$WORK/reg"
printf '%s\tKH-PGDĐT\t%s\t2021-05-12\n' "$n3" "$DOC3" >"$WORK/want"
diff -u "$WORK/want" "$WORK/reg" || fail "register 2021, second line"
expect_exit 0 d validate --all
fsck_clean "$R"
clean "the third walk"
ok "DOCKET_NOW in UTC: steps and issue date in Vietnam time (+07:00), number $n3 of 2021"
