#!/usr/bin/env bash
# A department's year at the terminal, at the scale of a district: 3 sections and 300 schools
# onboarded from two CSV files and enrolled in one command; the seed plan issued; its tasks
# made and sent to every school in one command; 300 reports drafted in one command and filled
# from one spreadsheet by the statistician; each submitted by its school's head (a loop: a
# head signs for her own school only); reviewed and approved in one command each; the
# aggregate checked against sums computed independently in python3 from the spreadsheet, with
# the 5 schools that did not report named. Ten lower-secondary schools mark the preschool
# indicators (2, 3) not applicable: they submit without them and the aggregate leaves them
# out. No XML is edited anywhere. Bad input: a bad CSV line, a figure out of range, a
# denominator of 0 - each refused with its message, nothing written. The number of docket
# commands and the time of each phase are printed.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
PLAN=kh-2021-354
NSCHOOLS=${NSCHOOLS:-300}
NCMD=0
d() { NCMD=$((NCMD + 1)); "$DOCKET" -C "$R" "$@"; }
count() { git -C "$R" rev-list --count main; }
T0=$(date +%s)
phase() { local now; now=$(date +%s); echo "   ($1: $((now - T0)) s)"; T0=$now; }

# one_commit WHAT CMD...: CMD exits 0 and writes exactly one commit
one_commit() {
	local what=$1 before after
	shift
	before=$(count)
	expect_exit 0 "$@"
	after=$(count)
	[ "$after" = $((before + 1)) ] || fail "$what: expected one new commit, got $((after - before))"
}
# refused WHAT CMD...: CMD exits 1, writes nothing; stderr has WHAT
refused() {
	local what=$1 before
	shift
	before=$(snapshot "$R")
	expect_exit 1 "$@"
	expect_grep "$what" "$WORK/err"
	[ "$(snapshot "$R")" = "$before" ] || fail "a refused command changed the repository: $*"
}
school() { printf 'S%03d' "$1"; }

# --- onboarding from two spreadsheets ------------------------------------------------------------
export DOCKET_NOW=2021-05-04T08:00:00+07:00
python3 - "$NSCHOOLS" "$WORK" <<'EOF'
import csv, sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/units.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["id", "name", "parent", "affiliated"])
    w.writerow(["LD", "Lãnh đạo phòng", "", "false"])
    w.writerow(["CTTT", "Bộ phận Chính trị tư tưởng", "LD", "false"])
    w.writerow(["VT", "Văn thư", "LD", "false"])
    for i in range(1, n + 1):
        kind = "Trường THCS" if i <= 10 else "Trường Tiểu học"
        w.writerow([f"S{i:03d}", f"{kind} số {i}, \"Cẩm Phả\"", "", "true"])
with open(f"{work}/people.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "name", "position", "unit", "role", "email"])
    w.writerow(["admin", "Đỗ Văn Quản", "CHUYÊN VIÊN", "LD", "admin", ""])
    w.writerow(["lan", "Lê Thị Lan", "PHÓ TRƯỞNG PHÒNG", "LD", "approver", "lan@pgd.example"])
    w.writerow(["minh", "Trần Văn Minh", "TỔ TRƯỞNG CTTT", "CTTT", "reviewer;drafter", ""])
    w.writerow(["hoa", "Nguyễn Thị Hoa", "CHUYÊN VIÊN", "CTTT", "drafter", ""])
    w.writerow(["tk", "Vũ Thị Kê", "CHUYÊN VIÊN THỐNG KÊ", "CTTT", "statistician", ""])
    w.writerow(["thu", "Phạm Thị Thu", "VĂN THƯ", "VT", "clerk", ""])
    for i in range(1, n + 1):
        w.writerow([f"ht-s{i:03d}", f"Hiệu trưởng {i}", "HIỆU TRƯỞNG", f"S{i:03d}", "reviewer", ""])
EOF
NCMD=$((NCMD + 1))
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr PGDĐT --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"

# a bad spreadsheet first: every bad line named, nothing written
{
	head -3 "$WORK/units.csv"
	printf 'S001,Trường 1,,true\r\nS001,Trường trùng,,true\r\nS002,"Trường ""hai""",,maybe\r\nS003,Trường 3,NOPE,false\r\nS004,Trường 4\r\n'
} >"$WORK/bad-units.csv"
refused "bad-units.csv:5: error: the unit 'S001' exists already" d unit import "$WORK/bad-units.csv"
expect_grep "bad-units.csv:6: error: affiliated is 'maybe'" "$WORK/err"
expect_grep "bad-units.csv:7: error: the parent unit 'NOPE' does not exist" "$WORK/err"
expect_grep "bad-units.csv:8: error: 2 fields where the header has 4" "$WORK/err"
expect_grep "docket: cannot import '$WORK/bad-units.csv': 4 problems; nothing was written" "$WORK/err"
printf 'id,name,parent,affiliated\nS9,"unclosed,,true\n' >"$WORK/bad-quote.csv"
refused "bad-quote.csv:2: a quoted field is never closed" d unit import "$WORK/bad-quote.csv"

one_commit "unit import" d unit import "$WORK/units.csv"
expect_grep "$((NSCHOOLS + 3)) units added" "$WORK/out"
one_commit "person import" d person import "$WORK/people.csv"
expect_grep "$((NSCHOOLS + 6)) people added" "$WORK/out"
expect_exit 0 d unit list --json
[ "$(python3 -c 'import json,sys; u=json.load(sys.stdin); print(len(u), sum(x["affiliated"] for x in u), u[3]["name"])' <"$WORK/out")" = \
  "$((NSCHOOLS + 3)) $NSCHOOLS Trường THCS số 1, \"Cẩm Phả\"" ] || fail "unit list after the import: $(head -c 300 "$WORK/out")"
grep -q 'id="minh".*roles="reviewer,drafter"' "$R/.docket/config.xml" || fail "two roles of one cell"
ok "onboarding: $((NSCHOOLS + 3)) units and $((NSCHOOLS + 6)) people from two CSV files, one commit each; a bad file names every bad line and writes nothing"
phase onboarding

# --- keys and certificates for everybody, in one command -------------------------------------------
DOCKET_NOW=2020-01-01T00:00:00+07:00 "$DOCKET" ca init "$WORK/ca" --name "PGDĐT Cẩm Phả CA" >/dev/null ||
	fail "ca init"
NCMD=$((NCMD + 1))
t=$(date +%s%N)
DOCKET_NOW=2020-01-01T00:00:00+07:00 one_commit "enrol" d --as admin enrol --all --ca "$WORK/ca" --days 3650
t=$((($(date +%s%N) - t) / 1000000))
[ "$(wc -l <"$WORK/out")" = $((NSCHOOLS + 6)) ] || fail "enrol printed $(wc -l <"$WORK/out") lines"
[ -f "$HOME/.config/docket/keys/ht-s300.pem" ] || [ "$NSCHOOLS" -lt 300 ] || fail "no key where key generate writes it"
[ "$(stat -c %a "$HOME/.config/docket/keys/lan.pem")" = 600 ] || fail "key mode"
expect_exit 0 d person list --json
[ "$(python3 -c 'import json,sys; print(all(p["certificate"] for p in json.load(sys.stdin)))' <"$WORK/out")" = True ] ||
	fail "a person without a certificate after enrol"
refused "nobody to enrol" d --as admin enrol --all --ca "$WORK/ca"
ok "enrol --all: $((NSCHOOLS + 6)) ECDSA keys, requests, certificates, recorded in one commit ($t ms)"
phase enrol

# --- the plan, issued ---------------------------------------------------------------------------------
expect_exit 0 d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 d --as hoa submit $PLAN
expect_exit 0 d --as minh review $PLAN
expect_exit 0 d --as lan approve $PLAN
expect_exit 0 d --as thu issue $PLAN
expect_grep "number 01/KH-PGDĐT" "$WORK/out"
ok "the plan issued as 01/KH-PGDĐT"

# --- tasks to every school, sent, in one command -----------------------------------------------------
export DOCKET_NOW=2025-01-10T09:00:00+07:00
one_commit "assign" d --as minh assign $PLAN --due 2025-12-15
[ "$(grep -c ' V.2$' "$WORK/out")" = "$NSCHOOLS" ] || fail "assign: not one task per school"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Transition: assign" || fail "assign: the tasks were not sent"
[ "$(grep -l 'state="assigned"' "$R"/documents/task/2025/CTTT/*.xml | wc -l)" -ge "$NSCHOOLS" ] || fail "tasks not assigned"
expect_exit 0 d --as ht-s007 status nv-2025-s007-1
expect_grep "state:     assigned" "$WORK/out"
expect_grep "ht-s007 may accept" "$WORK/out"
ok "assign: $NSCHOOLS tasks made and sent (state assigned) in one commit"
phase assign

# --- 300 reports drafted in one command, filled from one spreadsheet ---------------------------------
export DOCKET_NOW=2025-11-20T09:00:00+07:00
one_commit "new report --all" d --as tk new report --plan $PLAN --year 2025 --all
[ "$(wc -l <"$WORK/out")" = "$NSCHOOLS" ] || fail "new report --all drafted $(wc -l <"$WORK/out")"
refused "no report to draft" d --as tk new report --plan $PLAN --year 2025 --all

# the spreadsheet of the statistics office: a row per school, a column per indicator; schools
# S001-S010 are lower-secondary (na for the preschool indicators 2 and 3); the last 5 schools
# send nothing
python3 - "$NSCHOOLS" "$WORK" <<'EOF'
import csv, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(354)
inds = ["1", "2", "3", "4.1", "4.2", "5.1", "5.2", "6", "7.1", "7.2"]
with open(f"{work}/figures.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["unit"] + inds)
    for i in range(1, n - 4):
        row = [f"S{i:03d}"]
        for ind in inds:
            if i <= 10 and ind in ("2", "3"):
                row.append("na")
                continue
            den = rnd.randint(1, 1500)
            num = rnd.randint(0, den // 50) if ind in ("4.2", "5.2") else rnd.randint(den * 95 // 100, den)
            row.append(f"{num}/{den}")
        w.writerow(row)
EOF
# a figure out of range and a denominator of 0: refused, named by indicator and line; nothing written
sed -e '3s#,[0-9]*/[0-9]*,#,900/100,#' -e '5s#\(,[^,]*\)$#,7/0#' "$WORK/figures.csv" >"$WORK/bad-figures.csv"
refused "bad-figures.csv:3: error: indicator 1 (Tỷ lệ cơ sở giáo dục cho trẻ em có công trình vệ sinh đảm bảo): the numerator 900 is larger than the denominator 100: a rate lies between 0 and 100 %" \
	d --as tk fill --plan $PLAN --year 2025 --csv "$WORK/bad-figures.csv"
expect_grep "bad-figures.csv:5: error: indicator 7.2 (Tỷ lệ trẻ em khuyết tật" "$WORK/err"
expect_grep "the denominator is 0: a rate needs a positive denominator" "$WORK/err"
expect_grep "nothing was written" "$WORK/err"
# a bad CSV line
{ cat "$WORK/figures.csv"; printf 'S299,"1/2,3\n'; } >"$WORK/bad-line.csv"
refused "bad-line.csv:$(($(wc -l <"$WORK/figures.csv") + 1)): a quoted field is never closed" \
	d --as tk fill --plan $PLAN --year 2025 --csv "$WORK/bad-line.csv"
# a school's head may not fill another school's report
refused "cannot fill 'bc-2025-s002-1'" d --as ht-s001 fill bc-2025-s002-1 4.1=1/2
one_commit "fill --plan --csv" d --as tk fill --plan $PLAN --year 2025 --csv "$WORK/figures.csv"
expect_grep "$((NSCHOOLS - 5)) reports, $(((NSCHOOLS - 5) * 10)) figures filled in one commit" "$WORK/out"
F=$R/documents/report/2025/S001/bc-2025-s001-1.xml
grep -q '<result indicator="2" applicable="false"/>' "$F" || fail "S001: indicator 2 not marked not applicable"
grep -q '…' "$F" && fail "the skeleton's places are still in $F"
# one school corrects a figure itself, on the command line
expect_exit 0 d --as ht-s011 fill bc-2025-s011-1 4.1=149/150
expect_grep "bc-2025-s011-1: 1 figure filled" "$WORK/out"
grep -q '<result indicator="4.1" numerator="149" denominator="150" value="99.33"/>' \
	"$R/documents/report/2025/S011/bc-2025-s011-1.xml" || fail "4.1 of S011 not 149/150 = 99.33"
sed -i '/^S011,/s#^\(S011,[^,]*,[^,]*,[^,]*,\)[^,]*,#\1149/150,#' "$WORK/figures.csv"
ok "$NSCHOOLS reports drafted in one commit, filled from one spreadsheet in one commit; out of range, 0 denominators, bad lines refused"
phase "draft and fill"

# --- submitted by each head, reviewed and approved in one command each ---------------------------------
export DOCKET_NOW=2025-12-01T09:00:00+07:00
for i in $(seq 1 $((NSCHOOLS - 5))); do
	s=$(school "$i")
	d --as "ht-${s,,}" submit "bc-2025-${s,,}-1" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "submit of $s"; }
done
ok "$((NSCHOOLS - 5)) reports submitted, each by its school's head (S001-S010 without the preschool figures)"
phase submit
export DOCKET_NOW=2025-12-05T09:00:00+07:00
expect_exit 0 d --as minh review --plan $PLAN --year 2025 --state submitted
expect_grep "review: $((NSCHOOLS - 5)) done, 0 failed" "$WORK/err"
export DOCKET_NOW=2025-12-10T09:00:00+07:00
expect_exit 0 d --as lan approve --plan $PLAN --year 2025 --state reviewed
expect_grep "approve: $((NSCHOOLS - 5)) done, 0 failed" "$WORK/err"
refused "approve: 0 done, 2 failed" d --as lan approve bc-2025-s001-1 bc-2025-s002-1
# each signature claims its signer's own role: the head's submission HIỆU TRƯỞNG, the
# department approver's PHÓ TRƯỞNG PHÒNG (not the school head's title printed in the header)
F11=$R/documents/report/2025/S001/bc-2025-s001-1.xml
[ "$(grep -o 'ClaimedRole>[^<]*<' "$F11" | tr '\n' ' ')" = "ClaimedRole>HIỆU TRƯỞNG< ClaimedRole>PHÓ TRƯỞNG PHÒNG< " ] ||
	fail "claimed roles of $F11: $(grep -o 'ClaimedRole>[^<]*<' "$F11")"
expect_exit 0 d verify bc-2025-s001-1 --trust "$WORK/ca/ca.pem"
ok "reviewed and approved in one command each (each its own commit); each signature claims its signer's own role"
phase "review and approve"

# --- what is late, and the department's report ------------------------------------------------------------
export DOCKET_NOW=2025-12-20T09:00:00+07:00
expect_exit 0 d status --overdue --csv
# the 5 schools, and CTTT's own task: the department's report, not yet made
[ "$(tail -n +2 "$WORK/out" | wc -l)" = 6 ] || fail "status --overdue: $(cat "$WORK/out")"
grep -q "^2025-12-15,CTTT,Bộ phận Chính trị tư tưởng,report,,not-started,draft the report,Trần Văn Minh (minh); Nguyễn Thị Hoa (hoa)," "$WORK/out" ||
	fail "status --overdue: the department's own report"
last=$(school "$NSCHOOLS")
grep -q "^2025-12-15,$last,.*,report,bc-2025-${last,,}-1,draft,submit,Hiệu trưởng $NSCHOOLS (ht-${last,,})" "$WORK/out" ||
	fail "status --overdue does not say $last's head must submit: $(cat "$WORK/out")"
expect_exit 0 d status --plan $PLAN --year 2025 --csv
[ "$(grep -c ',approved,' "$WORK/out")" = $((NSCHOOLS - 5)) ] || fail "status --csv"

one_commit "aggregate" d --as hoa aggregate --plan $PLAN --year 2025
AG=$(head -1 "$WORK/out")
for i in $(seq $((NSCHOOLS - 4)) "$NSCHOOLS"); do
	expect_grep "not counted:  $(school "$i") bc-2025-$(school "$i" | tr A-Z a-z)-1 (state 'draft')" "$WORK/err"
done
# run again: the same report, nothing new
expect_exit 0 d --as hoa aggregate --plan $PLAN --year 2025 --json
python3 - "$WORK/figures.csv" "$WORK/out" "$AG" <<'EOF' || fail "the aggregate does not match the spreadsheet"
import csv, json, sys
from decimal import Decimal, ROUND_HALF_UP
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
agg = json.load(open(sys.argv[2], encoding="utf-8"))
assert agg["id"] == sys.argv[3] and agg["changed"] is False, (agg["id"], agg["changed"])
got = {t["indicator"]: t for t in agg["indicators"]}
for ind in ["1", "2", "3", "4.1", "4.2", "5.1", "5.2", "6", "7.1", "7.2"]:
    figs = [r[ind] for r in rows if r[ind] != "na"]
    num = sum(int(f.split("/")[0]) for f in figs)
    den = sum(int(f.split("/")[1]) for f in figs)
    na = sum(1 for r in rows if r[ind] == "na")
    t = got[ind]
    assert (t["numerator"], t["denominator"], t["units"], t["not_applicable"]) == (num, den, len(figs), na), (ind, t, num, den)
    if not figs:
        assert t["value"] is None, (ind, t)
        continue
    # half up to 2 places (more only where 2 would contradict the verdict)
    want = (Decimal(100 * num) / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(t["value"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == want, (ind, t["value"], want)
print("aggregate = python's sums for", len(rows), "schools")
EOF
expect_exit 0 d status --plan $PLAN --year 2025 --json
ok "aggregate: every indicator's sums equal python's from the spreadsheet; na left out; 5 schools not counted, named; run again, the same report"
phase aggregate

expect_exit 0 d --as hoa aggregate --plan $PLAN --year 2025 --csv
[ "$(head -1 "$WORK/out")" = "indicator,name,measure,numerator,denominator,value,comparison,target,target_year,met,units,not_applicable" ] ||
	fail "aggregate --csv header"
# the department's report leaves draft: aggregate then refuses, naming it
expect_exit 0 d --as minh submit "$AG"
refused "the report '$AG' of CTTT on 2025 is in the state 'submitted'" d --as hoa aggregate --plan $PLAN --year 2025
ok "aggregate --csv; once the department's report is submitted, aggregate refuses and names it"
# the whole year's history, replayed: every action legal, signed by its actor, every signature valid
expect_exit 0 d audit --trust "$WORK/ca/ca.pem"
expect_grep ": 0 findings" "$WORK/err"
phase audit
echo "docket commands run: $NCMD"
ok "$NCMD docket commands for the whole year of $NSCHOOLS schools"
