#!/usr/bin/env bash
# Many offices, one history. A central bare repository made by `docket server init`, with the
# pre-receive hook and the server's own trust anchor, served by nginx + fcgiwrap + git
# http-backend (basic authentication; the hook checks REMOTE_USER against every pushed
# commit's actor) and by git daemon. The department works in a clone over HTTP, two schools in
# clones over git:// and HTTP: the seed plan's workflow, unit plans, tasks and a round of
# reports, each office acting offline and pushing; pushes that lost the race are replayed on
# the central tip (commits signed anew, an issue renumbered and signed anew), a document
# changed on both sides is refused by name. The central history audits clean. Then pushes
# made with stock git are refused by the hook, each naming its rule.
. "$(dirname "$0")/lib.sh"
. "$DOCKET_SRC/tests/cli/remote-lib.sh"

SRV=$WORK/srv
C=$SRV/pgd.git
PLAN=kh-2021-354
people="admin hoa minh lan thu gv-qt ht-qt gv-cp ht-cp"
c() { "$DOCKET" -C "$C" "$@"; }
main_of() { git -C "$1" rev-parse refs/heads/main; }

# --- the central repository ------------------------------------------------------------------
export DOCKET_NOW=2021-05-11T08:00:00+07:00
expect_exit 0 "$DOCKET" server init "$C"
[ "$(git -C "$C" rev-parse --is-bare-repository)" = true ] || fail "server init: not bare"
for k in receive.denyNonFastForwards receive.denyDeletes receive.fsckObjects http.receivepack; do
	[ "$(git -C "$C" config --bool $k)" = true ] || fail "server init: $k is not set"
done
# the organisation is set up on the server itself, by its administrator (whose own
# configuration changes are signed once his certificate is recorded)
expect_exit 0 c org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 c unit add LD --name "Lãnh đạo phòng"
expect_exit 0 c unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 c unit add VT --name "Văn thư" --parent LD
expect_exit 0 c unit add TH-QT --name "Trường TH và THCS Quang Trung" --affiliated
expect_exit 0 c unit add TH-CP --name "Trường TH và THCS Cẩm Phú" --affiliated
expect_exit 0 c person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
a() { expect_exit 0 c --as admin person add "$@"; }
a hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
a minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
a lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
a thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
for s in qt:TH-QT cp:TH-CP; do
	a "gv-${s%%:*}" --name "Giáo viên ${s%%:*}" --position "GIÁO VIÊN" --unit "${s#*:}" --role drafter
	a "ht-${s%%:*}" --name "Hiệu trưởng ${s%%:*}" --position "HIỆU TRƯỞNG" --unit "${s#*:}" --role reviewer
done
enrol "$C" admin admin hoa minh lan thu gv-qt ht-qt gv-cp ht-cp
expect_exit 0 "$DOCKET" server install-hook "$C" --trust "$WORK/ca/ca.pem"
[ -x "$C/hooks/pre-receive" ] || fail "no executable hooks/pre-receive"
cmp -s "$WORK/ca/ca.pem" "$C/docket/trust.pem" || fail "the trust anchor was not copied into the repository's own directory"
expect_grep "hook pre-receive --trust '$(cd "$C" && pwd -P)/docket/trust.pem'" "$C/hooks/pre-receive"
expect_exit 0 c audit --trust "$WORK/ca/ca.pem"
ok "server init: bare, git's guards on; organisation and people; hook with the server's own copy of the CA"

start_http "$SRV" $people
start_gitd "$SRV"
HTTP=http://127.0.0.1:$HTTP_PORT/pgd.git
GITD=git://127.0.0.1:$GIT_PORT/pgd.git
DEPT=$WORK/dept QT=$WORK/qt CP=$WORK/cp
# on: an office acts (as WHO); over HTTP it authenticates as WHO with WHO's password
on() { local dir=$1 who=$2; shift 2; DOCKET_REMOTE_PASSWORD=pw-$who "$DOCKET" -C "$dir" --as "$who" "$@"; }
expect_exit 1 env DOCKET_REMOTE_USER=hoa DOCKET_REMOTE_PASSWORD=wrong "$DOCKET" clone "$HTTP" "$DEPT"
expect_grep "authentication failed" "$WORK/err"
[ ! -e "$DEPT" ] || fail "a failed clone left $DEPT behind"
expect_exit 0 env DOCKET_REMOTE_USER=hoa DOCKET_REMOTE_PASSWORD=pw-hoa "$DOCKET" clone "$HTTP" "$DEPT"
expect_exit 0 "$DOCKET" clone "$GITD" "$QT"
expect_exit 0 on "$WORK" gv-cp clone "$HTTP" "$CP"
for d in "$DEPT" "$QT" "$CP"; do
	[ "$(main_of "$d")" = "$(main_of "$C")" ] || fail "$d: main is not the central main"
	[ -f "$d/.docket/config.xml" ] || fail "$d: nothing checked out"
done
expect_exit 0 on "$DEPT" hoa status
expect_grep "main:      up to date with origin/main" "$WORK/out"
ok "clones: the department over HTTP (a wrong password refused, nothing left), QT over git://, CP over HTTP"

# act_push DIR WHO ACTION...: WHO acts in DIR (its output kept in $WORK/act), then pushes; the
# central main is DIR's main
act_push() {
	local dir=$1 who=$2
	shift 2
	expect_exit 0 on "$dir" "$who" "$@"
	cp "$WORK/out" "$WORK/act"
	expect_exit 0 on "$dir" "$who" push
	[ "$(main_of "$dir")" = "$(main_of "$C")" ] || fail "after $who's push, the central main is not $dir's"
}

# --- the seed plan, in the department ---------------------------------------------------------
act_push "$DEPT" hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 on "$DEPT" hoa submit $PLAN -m "Trình lãnh đạo phòng"
expect_exit 0 on "$DEPT" hoa status
expect_grep "main:      1 ahead of, 0 behind origin/main" "$WORK/out"
expect_exit 0 on "$DEPT" hoa push
expect_grep "origin has main at $(main_of "$DEPT" | cut -c1-12) (1 try)" "$WORK/out"
act_push "$DEPT" minh review $PLAN
act_push "$DEPT" lan approve $PLAN
act_push "$DEPT" thu issue $PLAN
expect_grep "number 01/KH-PGDĐT" "$WORK/act"
git -C "$C" log -1 --format=%B | grep -qx "Docket-Actor: thu" || fail "the central tip is not thu's issue"
expect_exit 0 c audit --trust "$WORK/ca/ca.pem"
ok "the seed plan walked to issued in the department's clone, each action pushed by its actor over HTTP"

# --- unit plans: both schools act, the second push replays --------------------------------------
export DOCKET_NOW=2021-06-01T09:00:00+07:00
expect_exit 0 "$DOCKET" -C "$QT" pull
expect_grep "main moved forward by" "$WORK/out"
expect_exit 0 on "$CP" gv-cp pull
expect_exit 0 "$DOCKET" -C "$QT" --as gv-qt new unit-plan --from $PLAN --unit TH-QT
expect_exit 0 on "$CP" gv-cp new unit-plan --from $PLAN --unit TH-CP
expect_exit 0 "$DOCKET" -C "$QT" push
expect_exit 0 on "$CP" gv-cp push
expect_grep "1 local commit made anew on them" "$WORK/out"
expect_grep "(2 tries)" "$WORK/out"
for id in kh-2021-th-qt-1 kh-2021-th-cp-1; do
	git -C "$C" ls-tree -r --name-only main | grep -q "/$id.xml$" || fail "$id is not central"
done
[ -z "$(git -C "$CP" status --porcelain)" ] || fail "the work tree of CP is not clean after the replay"
[ -f "$QT/documents/plan/2021/TH-QT/kh-2021-th-qt-1.xml" ] || fail "QT lost its unit plan's file"
ok "unit plans drafted offline by two schools: the second push replayed on the first"

# the department assigns the tasks without having pulled the unit plans
export DOCKET_NOW=2025-01-10T09:00:00+07:00
expect_exit 0 on "$DEPT" hoa assign --draft $PLAN
expect_exit 0 on "$DEPT" hoa push
expect_grep "made anew on them" "$WORK/out"
[ "$(main_of "$DEPT")" = "$(main_of "$C")" ] || fail "the department's main is not central after assign"
[ -f "$DEPT/documents/plan/2021/TH-QT/kh-2021-th-qt-1.xml" ] || fail "the replay did not bring QT's unit plan into the work tree"
ok "tasks assigned in the department, offline from the schools: replayed on the schools' unit plans"

# --- the 2025 reports -------------------------------------------------------------------------
fill() {
	local f=$1 spec ind frac val
	shift
	perl -0pi -e 's/^[ \t]*<!-- docket: the figures[^\n]*\n//m; s/^[ \t]*-->\n//m' "$f"
	for spec in "$@"; do
		IFS='=' read -r ind frac val <<<"$spec"
		IND=$ind NUM=${frac%/*} DEN=${frac#*/} VAL=$val perl -pi -e '
			s{<result indicator="\Q$ENV{IND}\E" numerator="…" denominator="…" value="…"/>}
			 {<result indicator="$ENV{IND}" numerator="$ENV{NUM}" denominator="$ENV{DEN}" value="$ENV{VAL}"/>}' "$f"
	done
}
export DOCKET_NOW=2025-12-01T09:00:00+07:00
expect_exit 0 "$DOCKET" -C "$QT" pull
expect_exit 0 on "$CP" gv-cp pull
# QT works offline: draft, figures, the head's signed submission, all before any push
expect_exit 0 "$DOCKET" -C "$QT" --as gv-qt new report --plan $PLAN --year 2025 --unit TH-QT
fill "$QT/documents/report/2025/TH-QT/bc-2025-th-qt-1.xml" 1=3/3=100 2=118/120=98.33 3=60/60=100 \
	4.1=398/400=99.5 4.2=0/1200=0 5.1=2000/2000=100 5.2=0/600=0 6=1/1=100 7.1=1/1=100 7.2=4/5=80
expect_exit 0 "$DOCKET" -C "$QT" --as gv-qt commit bc-2025-th-qt-1 -m "Số liệu năm 2025"
expect_exit 0 "$DOCKET" -C "$QT" --as ht-qt submit bc-2025-th-qt-1 -m "Trường Quang Trung báo cáo"
expect_exit 0 "$DOCKET" -C "$QT" status
expect_grep "main:      3 ahead of, 0 behind origin/main" "$WORK/out"
# CP pushes each person's actions as that person
act_push "$CP" gv-cp new report --plan $PLAN --year 2025 --unit TH-CP
fill "$CP/documents/report/2025/TH-CP/bc-2025-th-cp-1.xml" 1=2/2=100 2=99/100=99 3=49/50=98 \
	4.1=248/250=99.2 4.2=1/300=0.33 5.1=2999/3000=99.97 5.2=0/400=0 6=1/1=100 7.1=0/1=0 7.2=3/4=75
act_push "$CP" gv-cp commit bc-2025-th-cp-1 -m "Số liệu năm 2025"
act_push "$CP" ht-cp submit bc-2025-th-cp-1
qt_signed=$(git -C "$QT" rev-parse main)
expect_exit 0 "$DOCKET" -C "$QT" push
expect_grep "3 local commits made anew on them" "$WORK/out"
[ "$(main_of "$QT")" = "$(main_of "$C")" ] || fail "QT's reports are not central"
[ "$(main_of "$QT")" != "$qt_signed" ] || fail "QT's commits were not made anew"
git -C "$C" cat-file -p main | grep -q '^gpgsig -----BEGIN SSH SIGNATURE-----' || fail "the replayed submission is not signed anew"
c signers >"$WORK/allowed"
git -C "$C" -c gpg.ssh.allowedSignersFile="$WORK/allowed" verify-commit main 2>"$WORK/vc" ||
	{ cat "$WORK/vc"; fail "git verify-commit of ht-qt's replayed submission"; }
expect_exit 0 c verify bc-2025-th-qt-1 --trust "$WORK/ca/ca.pem"
ok "QT's offline draft, figures and signed submission replayed on CP's: signed anew by ht-qt, git verify-commit, docket verify"

expect_exit 0 on "$DEPT" minh pull
act_push "$DEPT" minh review bc-2025-th-qt-1
act_push "$DEPT" minh review bc-2025-th-cp-1
act_push "$DEPT" lan approve bc-2025-th-qt-1
act_push "$DEPT" lan approve bc-2025-th-cp-1
ok "the department reviews and approves both reports"

# --- two clerks' machines issue offline: the later one is renumbered ------------------------------
DEPT2=$WORK/dept2
expect_exit 0 "$DOCKET" clone "$GITD" "$DEPT2"
for id in kh-2021-355 kh-2021-356 kh-2021-357; do
	act_push "$DEPT" hoa add --draft --id $id "$EXAMPLES/354-KH-PGDDT.xml"
	act_push "$DEPT" hoa submit $id
done
for id in kh-2021-355 kh-2021-356; do
	act_push "$DEPT" minh review $id
	act_push "$DEPT" lan approve $id
done
expect_exit 0 "$DOCKET" -C "$DEPT2" pull
# the register is per issuer and year: the first two numbers of 2025, taken on both machines
expect_exit 0 on "$DEPT" thu issue kh-2021-355
expect_grep "number 01/KH-PGDĐT" "$WORK/out"
expect_exit 0 "$DOCKET" -C "$DEPT2" --as thu issue kh-2021-356
expect_grep "number 01/KH-PGDĐT" "$WORK/out"
expect_exit 0 on "$DEPT" thu push
expect_exit 0 "$DOCKET" -C "$DEPT2" --as thu push
expect_grep "kh-2021-356: the number 01/KH-PGDĐT was taken on the remote meanwhile; issued again as 02/KH-PGDĐT" "$WORK/out"
git -C "$C" log -1 --format=%B | grep -qx "Docket-Number: 02/KH-PGDĐT" || fail "the central tip is not the renumbered issue"
expect_exit 0 c verify kh-2021-356 --trust "$WORK/ca/ca.pem"
expect_exit 0 c show kh-2021-356
expect_grep "Số: 02/KH-PGDĐT" "$WORK/out"
git -C "$C" ls-tree -r --name-only main .docket/register/2025 >"$WORK/reg"
[ "$(wc -l <"$WORK/reg")" = 1 ] || fail "expected one register for 2025: $(cat "$WORK/reg")"
git -C "$C" show "main:$(cat "$WORK/reg")" | cut -f1,3 >"$WORK/got"
printf '01\tkh-2021-355\n02\tkh-2021-356\n' | diff -u - "$WORK/got" || fail "the central register of 2025"
ok "an issue whose number was taken centrally meanwhile: issued again as 02, signed anew, never a duplicate"

# --- the same document acted on in two clones: refused by name ------------------------------------
expect_exit 0 on "$DEPT" minh pull
expect_exit 0 "$DOCKET" -C "$DEPT2" pull
expect_exit 0 on "$DEPT" minh review kh-2021-357
expect_exit 0 "$DOCKET" -C "$DEPT2" --as minh return kh-2021-357 -m "Chưa đủ căn cứ"
expect_exit 0 on "$DEPT" minh push
before=$(git -C "$DEPT2" for-each-ref refs/heads refs/docket; git -C "$DEPT2" status --porcelain)
expect_exit 1 "$DOCKET" -C "$DEPT2" --as minh push
expect_grep "cannot replay" "$WORK/err"
expect_grep "document 'kh-2021-357' was changed there too; nothing was changed here" "$WORK/err"
[ "$(git -C "$DEPT2" for-each-ref refs/heads refs/docket; git -C "$DEPT2" status --porcelain)" = "$before" ] ||
	fail "a refused replay changed the clone"
[ -z "$(git -C "$DEPT2" for-each-ref refs/docket)" ] || fail "the replay branch was left behind"
expect_exit 0 "$DOCKET" -C "$DEPT2" status
expect_grep "main:      1 ahead of, 1 behind origin/main" "$WORK/out"
git -C "$DEPT2" reset -q --hard origin/main
ok "a return and a review of the same document in two clones: the second refused, naming the document"

# --- every clone pulls: one history -----------------------------------------------------------------
for d in "$QT" "$DEPT2"; do expect_exit 0 "$DOCKET" -C "$d" pull; done
expect_exit 0 on "$DEPT" hoa pull
expect_exit 0 on "$CP" gv-cp pull
for d in "$DEPT" "$DEPT2" "$QT" "$CP"; do
	[ "$(main_of "$d")" = "$(main_of "$C")" ] || fail "$d is not at the central main"
	[ -z "$(git -C "$d" status --porcelain)" ] || fail "$d: the work tree is not clean"
done
expect_exit 0 c audit --trust "$WORK/ca/ca.pem" --no-cache
expect_grep "0 findings" "$WORK/err"
fsck_clean "$C"
ok "the central history audits clean with the CA; every clone at the central main; fsck --strict clean"

# --- stock git pushes the hook refuses, each naming its rule ------------------------------------------
E=$WORK/evil
git clone -q "$GITD" "$E" || fail "git clone over git://"
git -C "$E" config user.name "Kẻ Gian" && git -C "$E" config user.email evil@docket.invalid
# refused RULE [GIT PUSH ARGS...]: the push fails, the hook names RULE, the central main stays
refused() {
	local rule=$1 central
	shift
	central=$(main_of "$C")
	expect_exit 1 git -C "$E" push "${@:-origin}" HEAD:main
	expect_grep "remote: docket: refused $rule: " "$WORK/err"
	expect_grep "pre-receive hook declined" "$WORK/err"
	[ "$(main_of "$C")" = "$central" ] || fail "a refused push moved the central main"
	git -C "$E" fetch -q origin && git -C "$E" reset -q --hard origin/main
}
trailers() { printf 'Docket-Document: %s\nDocket-Transition: %s\nDocket-From: %s\nDocket-To: %s\nDocket-Actor: %s\nDocket-Role: %s\n' "$@"; }
F357=documents/plan/2021/CTTT/kh-2021-357.xml

# an approval by a person without the role (hoa is a drafter)
perl -0pi -e 's/state="reviewed"/state="approved"/; s{(\n\s*</workflow>)}{\n    <step date="2025-12-20T09:00:00+07:00" actor="hoa" role="approver" transition="approve" from="reviewed" to="approved"/>$1}' "$E/$F357"
git -C "$E" commit -qam "docket: approve kh-2021-357 (reviewed -> approved)

$(trailers kh-2021-357 approve reviewed approved hoa approver)"
refused unauthorised-actor
expect_grep "'hoa' (unit CTTT, roles drafter) may not approve it" "$WORK/err"
ok "refused: an approval by a person without the role"

# a forged signature: lan's real approval, its signature value altered
expect_exit 0 "$DOCKET" -C "$E" --as lan approve kh-2021-357
# (the last signature is lan's: greedy .* goes past the reviewer's)
perl -0pi -e 's{(.*<ds:SignatureValue>)(.)}{$1 . ($2 eq "A" ? "B" : "A")}se' "$E/$F357"
git -C "$E" commit -q -a --amend --no-edit
refused signature-invalid
ok "refused: a forged signature"

# a missing signature: the approval without it
expect_exit 0 "$DOCKET" -C "$E" --as lan approve kh-2021-357
perl -0pi -e 's{\n\s*<signatures>.*</signatures>}{}s' "$E/$F357"
git -C "$E" commit -q -a --amend --no-edit
refused signature-missing
ok "refused: an approval without its signature"

# a content edit of an approved document
QTR=documents/report/2025/TH-QT/bc-2025-th-qt-1.xml
sed -i 's|numerator="398" denominator="400" value="99.5"|numerator="400" denominator="400" value="100"|' "$E/$QTR"
git -C "$E" commit -qam "docket: edit bc-2025-th-qt-1

Docket-Document: bc-2025-th-qt-1
Docket-Action: edit
Docket-State: approved
Docket-Actor: gv-qt"
refused content-changed-in-non-editable-state
ok "refused: a content edit of an approved document"

# a rewritten history
git -C "$E" reset -q --hard HEAD~3
git -C "$E" commit -q --allow-empty -m "nothing happened"
central=$(main_of "$C")
expect_exit 1 git -C "$E" push --force origin HEAD:main
expect_grep "remote: docket: refused history-rewritten: " "$WORK/err"
[ "$(main_of "$C")" = "$central" ] || fail "a forced push moved the central main"
git -C "$E" fetch -q origin && git -C "$E" reset -q --hard origin/main
expect_exit 1 git -C "$E" push origin :main
expect_grep "remote: docket: refused branch-deleted: " "$WORK/err"
ok "refused: a forced push that rewrites history, the deletion of main"

# a configuration change not signed by an administrator
perl -0pi -e 's{(\n\s*<person id="hoa")}{\n    <person id="gian" name="Kẻ Gian" position="GIÁM ĐỐC" unit="LD" roles="approver"/>$1}' "$E/.docket/config.xml"
git -C "$E" commit -qam "docket: add person gian

Docket-Action: config
Docket-Actor: admin"
refused config-not-signed
ok "refused: a configuration change not signed by an administrator"

# other refs: refused unless the server's configuration allows them
expect_exit 1 git -C "$E" push origin HEAD:refs/heads/x
expect_grep "remote: docket: refused ref-not-allowed: " "$WORK/err"
git -C "$C" config --add docket.allowRef 'refs/heads/drafts/*'
expect_exit 0 git -C "$E" push origin HEAD:refs/heads/drafts/x
ok "refused: a push to another branch, until docket.allowRef allows it"

# over HTTP, a push authenticated as someone other than the commits' actor
H=$WORK/minh-http
git clone -q "http://minh:pw-minh@127.0.0.1:$HTTP_PORT/pgd.git" "$H" || fail "git clone over HTTP"
expect_exit 0 "$DOCKET" -C "$H" --as hoa add --draft --id kh-2021-358 "$EXAMPLES/354-KH-PGDDT.xml"
central=$(main_of "$C")
expect_exit 1 git -C "$H" push origin HEAD:main
expect_grep "remote: docket: refused pusher-not-actor: " "$WORK/err"
expect_grep "the action is 'hoa''s, but the push was authenticated as 'minh'" "$WORK/err"
[ "$(main_of "$C")" = "$central" ] || fail "a push as someone else moved the central main"
expect_exit 0 git -C "$H" push "http://hoa:pw-hoa@127.0.0.1:$HTTP_PORT/pgd.git" HEAD:main
[ "$(main_of "$C")" = "$(main_of "$H")" ] || fail "hoa's own push was not taken"
expect_exit 128 git -C "$H" push "http://hoa:wrong@127.0.0.1:$HTTP_PORT/pgd.git" HEAD:main
ok "refused over HTTP: a push as a user other than the commits' actor; the actor's own push taken"

expect_exit 0 c audit --trust "$WORK/ca/ca.pem" --no-cache
fsck_clean "$C"
ok "after the refusals, the central history still audits clean; fsck --strict clean"
