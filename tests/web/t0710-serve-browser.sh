#!/usr/bin/env bash
# docket serve in a browser (Debian's chromium, chromium-driver, python3-selenium; skipped,
# 77, without them). One server per person, each started with --as PERSON and finding that
# person's key where `docket --as PERSON` would: the school's drafter (gv-qt) fills in the
# 2025 report's figures, the school's head (ht-qt) submits it (the report workflow gives
# submit to the unit's head, who signs), the section (minh) returns it with a reason, the
# drafter corrects it, the head resubmits, the section reviews, the leader (lan) approves.
# tests/web/browser.py checks every page for console messages and every request for where it
# went, and the seed plan's A4 page (number, date line, indicators and milestones, signer,
# a box per signature), with a screenshot at A4 size kept in $DOCKET_BUILD/web-artefacts.
# Afterwards: `docket audit --trust` is clean, and `docket log` shows the same steps as the
# same run made with the CLI on a copy of the repository.
. "$(dirname "$0")/../cli/lib.sh"

PY=/usr/bin/python3
missing=""
for t in /usr/bin/chromium /usr/bin/chromedriver $PY; do [ -x "$t" ] || missing="$missing $t"; done
[ -z "$missing" ] && ! $PY -c 'import selenium' 2>/dev/null && missing=" python3-selenium"
if [ -n "$missing" ]; then
	echo "# skip: not installed:$missing (apt-get install chromium chromium-driver python3-selenium fonts-liberation2)"
	exit 77
fi

. "$(dirname "$0")/setup.sh"
DOC=bc-2025-th-qt-1
F=documents/report/2025/TH-QT/$DOC.xml
ART=${DOCKET_BUILD:-$WORK}/web-artefacts
rm -rf "$ART"
mkdir -p "$ART"

# the same run with the CLI, on a copy made before anything happens
cp -a "$R" "$WORK/cli"
export DOCKET_NOW=2025-12-05T09:00:00+07:00
for p in gv-qt ht-qt minh lan; do
	serve "$p" --as "$p" --trust "$CA"
done

cat >"$WORK/browser.json" <<EOF
{"servers": {"gv-qt": "$URL_gv_qt", "ht-qt": "$URL_ht_qt", "minh": "$URL_minh", "lan": "$URL_lan"},
 "artefacts": "$ART", "plan": "$PLAN", "plan_source": "$EXAMPLES/354-KH-PGDDT.xml", "report": "$DOC",
 "figures": {"1": [3, 3], "2": [118, 120], "3": [60, 60], "4.1": [396, 400], "4.2": [0, 1200],
             "5.1": [2000, 2000], "5.2": [0, 600], "6": [1, 1], "7.1": [1, 1], "7.2": [4, 5]},
 "corrected": {"1": [3, 3], "2": [118, 120], "3": [60, 60], "4.1": [398, 400], "4.2": [0, 1200],
               "5.1": [2000, 2000], "5.2": [0, 600], "6": [1, 1], "7.1": [1, 1], "7.2": [4, 5]},
 "messages": {"fill": "Số liệu năm 2025", "submit": "Trường Quang Trung báo cáo",
              "return": "Số liệu chỉ tiêu 4.1 chưa khớp sổ theo dõi", "correct": "Sửa chỉ tiêu 4.1",
              "resubmit": "Đã sửa chỉ tiêu 4.1"}}
EOF
$PY "$DOCKET_SRC/tests/web/browser.py" "$WORK/browser.json" || {
	for p in gv_qt ht_qt minh lan; do echo "--- $p"; tail -20 "$WORK/$(echo $p | tr _ -).log"; done
	fail "the browser run"
}
stop_servers
for p in gv-qt ht-qt minh lan; do expect_grep "docket: stopped (SIGTERM)" "$WORK/$p.log"; done
ok "the browser run, every step through the servers' pages and buttons"

expect_exit 0 d audit --trust "$CA"
fsck_clean "$R"
ok "docket audit --trust: no findings after the browser run"

# the CLI run: the same people, messages, times and figures (each edit's file as the web
# workspace recorded it)
c() { "$DOCKET" -C "$WORK/cli" "$@"; }
edits=$(git -C "$R" log --reverse --format=%H --grep '^Docket-Action: edit$' -- "$F")
set -- $edits
[ $# = 2 ] || fail "expected two edits of the report, found $#"
git -C "$R" show "$1:$F" >"$WORK/cli/$F"
expect_exit 0 c --as gv-qt commit $DOC -m "Số liệu năm 2025"
expect_exit 0 c --as ht-qt submit $DOC -m "Trường Quang Trung báo cáo"
expect_exit 0 c --as minh return $DOC -m "Số liệu chỉ tiêu 4.1 chưa khớp sổ theo dõi"
git -C "$R" show "$2:$F" >"$WORK/cli/$F"
expect_exit 0 c --as gv-qt commit $DOC -m "Sửa chỉ tiêu 4.1"
expect_exit 0 c --as ht-qt submit $DOC -m "Đã sửa chỉ tiêu 4.1"
expect_exit 0 c --as minh review $DOC
expect_exit 0 c --as lan approve $DOC

# the steps as `docket log --json` gives them, without what differs between two runs
# (commit ids and times, signature values)
steps() {
	"$DOCKET" -C "$1" log $DOC --trust "$CA" --json | $PY -c '
import json, sys
for e in json.load(sys.stdin):
    sigs = ",".join("%s:%s:%s" % (s["meaning"], s["signer"], s["status"]) for s in e["signatures"])
    print("|".join(str(e[k]) for k in ("action", "from", "to", "actor", "name", "message", "path")) + "|" + sigs)'
}
steps "$R" >"$WORK/web.steps"
steps "$WORK/cli" >"$WORK/cli.steps"
diff -u "$WORK/cli.steps" "$WORK/web.steps" || fail "docket log differs between the CLI run and the web run"
[ "$(wc -l <"$WORK/web.steps")" = 8 ] || fail "expected eight steps: $(cat "$WORK/web.steps")"
grep -q "^approve|reviewed|approved|lan|Lê Thị Lan|" "$WORK/web.steps" || fail "no approval by lan"
grep -q "|approval:[^:]*:valid" "$WORK/web.steps" || fail "the approval's signature is not valid"
cmp -s "$R/$F" "$WORK/cli/$F" || diff <(grep -v 'SignatureValue\|SigningTime\|DigestValue' "$WORK/cli/$F") \
	<(grep -v 'SignatureValue\|SigningTime\|DigestValue' "$R/$F") >/dev/null ||
	fail "the approved report differs between the runs"
ok "docket log shows the same steps, actors, messages and signatures as the CLI run"
[ -s "$ART/seed-plan-a4.png" ] || fail "no screenshot"
ok "artefacts in $ART"
