#!/usr/bin/env bash
# The main job of docket on the built-in example: the department's plan 354/KH-PGDĐT walked
# through its whole workflow by named people who sign with their own keys, every signature
# then verified by docket and by independent tools (xmlsec1, git), the plan's timeline shown
# and the whole history audited.
#
# usage: examples/walkthrough.sh [DOCKET-BINARY] [WORK-DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
docket=$(cd "$(dirname "${1:-$here/../build/docket}")" && pwd)/$(basename "${1:-$here/../build/docket}")
work=${2:-$(mktemp -d /tmp/docket-example.XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
repo=$work/repo
d() { echo "\$ docket $*" >&2; "$docket" -C "$repo" "$@"; }
as() { local who=$1; shift; echo "\$ DOCKET_KEY=keys/$who.pem docket --as $who $*" >&2
	DOCKET_KEY=$work/keys/$who.pem "$docket" -C "$repo" --as "$who" "$@"; }
# one passphrase for every key of the example; real users each have their own (or a token)
export DOCKET_PASSPHRASE=${DOCKET_PASSPHRASE:-example-passphrase}
unset DOCKET_KEY DOCKET_ACTOR

echo "== A new document repository in $repo, and the organisation's CA in $work/ca"
"$docket" init "$repo"
"$docket" ca init "$work/ca" --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO CẨM PHẢ - CA"

# person ID: key, certificate from the CA, recorded in the configuration by the admin
enrol() {
	"$docket" -C "$repo" key generate --person "$1" --out "$work/keys/$1.pem" >/dev/null
	"$docket" ca issue --ca "$work/ca" "$work/keys/$1.pem.csr" --out "$work/keys/$1.crt" >/dev/null
	as admin person cert "$1" "$work/keys/$1.crt"
}

echo
echo "== The organisation, its units and people (the administrator signs every change)"
d unit add LD --name "Lãnh đạo phòng"
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin --email quan@pgd.example
"$docket" -C "$repo" key generate --person admin --out "$work/keys/admin.pem" >/dev/null
"$docket" ca issue --ca "$work/ca" "$work/keys/admin.pem.csr" --out "$work/keys/admin.crt" >/dev/null
as admin person cert admin "$work/keys/admin.crt"
as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
as admin unit add VT --name "Văn thư" --parent LD
as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter --email hoa@pgd.example
as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer --email minh@pgd.example
as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver --email lan@pgd.example
as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk --email thu@pgd.example
for p in hoa minh lan thu; do enrol $p; done
d person list

echo
echo "== The seed plan, added as a fresh draft and validated"
as hoa add --draft "$here/354-KH-PGDDT.xml"
d validate --all
as hoa status kh-2021-354

echo
echo "== Its workflow: submit, return with a reason, submit again, review, approve, issue"
as hoa submit kh-2021-354 -m "Trình lãnh đạo phòng xem xét"
as minh return kh-2021-354 -m "Đề nghị rà soát lại chỉ tiêu 4 và 5"
as hoa submit kh-2021-354 -m "Đã rà soát chỉ tiêu"
as minh review kh-2021-354
as lan approve kh-2021-354
as thu issue kh-2021-354
d status

echo
echo "== The issued plan, as text"
d show kh-2021-354

echo
echo "== Every signature, verified by docket against the CA"
d verify kh-2021-354 --trust "$work/ca/ca.pem"

echo
echo "== ... and by xmlsec1, independently"
d show kh-2021-354 --format xml > "$work/plan.xml"
for sig in sig-1 sig-2 sig-3; do
	xmlsec1 --verify --trusted-pem "$work/ca/ca.pem" --enabled-key-data x509 \
		--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content \
		--id-attr:Id urn:docket:document:1:header \
		--node-xpath "//*[local-name()='Signature'][@Id='$sig']" "$work/plan.xml" 2>&1 | grep -E '^(OK|FAIL)' |
		sed "s/^/xmlsec1 $sig: /"
done

echo
echo "== Every signed commit, verified by stock git"
d signers > "$work/allowed_signers"
git -C "$repo" log --format=%H --grep='^Docket-Transition:' | while read -r c; do
	git -C "$repo" -c gpg.ssh.allowedSignersFile="$work/allowed_signers" verify-commit "$c" 2>&1 |
		grep -o 'Good "git" signature for [^ ]*' | sed "s/^/git ${c:0:12}: /"
done

echo
echo "== The plan's timeline"
d log kh-2021-354 --trust "$work/ca/ca.pem"

echo
echo "== What the last step changed"
d diff kh-2021-354


# ==== The cascade (drafting: docs/drafting.md) ============================================
# The plan goes down to three affiliated schools - each drafts its own plan from it, each is
# assigned the annual report - and the reports come back up: drafted from the skeleton,
# filled in, submitted by the school's head, one returned with a reason and corrected,
# reviewed by CTTT, approved by the department's leader, and summed into the department's
# own report. Runs after the audit above, which covers the plan's own history.
echo
echo "== The cascade: three affiliated schools, their drafters and heads"
year=$(date +%Y)
for s in "QT:Quang Trung" "CP:Cẩm Phú" "MD:Mông Dương"; do
	u=TH-${s%%:*}; p=$(echo "${s%%:*}" | tr A-Z a-z)
	as admin unit add "$u" --name "Trường Tiểu học ${s#*:}" --affiliated
	as admin person add "gv-$p" --name "Giáo viên ${s#*:}" --position "GIÁO VIÊN" --unit "$u" --role drafter
	as admin person add "ht-$p" --name "Hiệu trưởng ${s#*:}" --position "HIỆU TRƯỞNG" --unit "$u" --role reviewer
	enrol "gv-$p"
	enrol "ht-$p"
done
d unit list

echo
echo "== Each school drafts its own plan from the department's (its targets may not be weaker)"
for p in qt cp md; do as "gv-$p" new unit-plan --from kh-2021-354 --unit "TH-${p^^}"; done
d show "kh-$year-th-qt-1" > "$work/unit-plan.txt"
head -22 "$work/unit-plan.txt"; echo "[... the whole plan in $work/unit-plan.txt]"

echo
echo "== The tasks of the plan's section V, one per unit it names (CM is not a unit here: skipped)"
as hoa assign kh-2021-354

echo
echo "== The $year reports: drafted from the skeleton, figures filled in (a school's editor does this)"
# figures per school: INDICATOR=NUMERATOR/DENOMINATOR=VALUE (value = 100 × n / d, rounded)
declare -A figures=(
	[qt]="1=3/3=100 2=118/120=98.33 3=60/60=100 4.1=398/400=99.5 4.2=0/1200=0 5.1=2000/2000=100 5.2=0/600=0 6=1/1=100 7.1=1/1=100 7.2=4/5=80"
	[cp]="1=2/2=100 2=99/100=99 3=49/50=98 4.1=248/250=99.2 4.2=1/300=0.33 5.1=2999/3000=99.97 5.2=0/400=0 6=1/1=100 7.1=0/1=0 7.2=3/4=75"
	[md]="1=1/2=50 2=80/80=100 3=40/40=100 4.1=149/150=99.33 4.2=0/500=0 5.1=5000/5000=100 5.2=1/1000=0.1 6=1/1=100 7.1=1/1=100 7.2=2/2=100"
)
fill() { # FILE SPEC...: uncomment the results and write each figure in place of …
	local f=$1; shift
	perl -0pi -e 's/^[ \t]*<!-- docket: the figures[^\n]*\n//m; s/^[ \t]*-->\n//m' "$f"
	for spec in "$@"; do
		IFS='=' read -r ind frac val <<<"$spec"
		IND=$ind NUM=${frac%/*} DEN=${frac#*/} VAL=$val perl -pi -e \
			's{<result indicator="\Q$ENV{IND}\E" numerator="…" denominator="…" value="…"/>}{<result indicator="$ENV{IND}" numerator="$ENV{NUM}" denominator="$ENV{DEN}" value="$ENV{VAL}"/>}' "$f"
	done
}
for p in qt cp md; do
	id=$(as "gv-$p" new report --plan kh-2021-354 --year "$year" --unit "TH-${p^^}")
	f=$repo/documents/report/$year/TH-${p^^}/$id.xml
	# shellcheck disable=SC2086
	fill "$f" ${figures[$p]}
	perl -pi -e 's{(<narrative group="g2"[^>]*>)<item/>}{$1<item>Tổ chức tư vấn tâm lý học đường hằng tháng.</item>}' "$f"
	as "gv-$p" commit "$id" -m "Số liệu năm $year"
	as "ht-$p" submit "$id" -m "Nhà trường báo cáo"
done

echo
echo "== CTTT returns Cẩm Phú's report with a reason; the school corrects and resubmits"
as minh return "bc-$year-th-cp-1" -m "Chỉ tiêu 4.1: số liệu chưa khớp sổ theo dõi"
d status --plan kh-2021-354 --year "$year"
sed -i 's|numerator="248" denominator="250" value="99.2"|numerator="250" denominator="250" value="100"|' \
	"$repo/documents/report/$year/TH-CP/bc-$year-th-cp-1.xml"
as gv-cp commit "bc-$year-th-cp-1" -m "Sửa chỉ tiêu 4.1 theo sổ theo dõi"
as ht-cp submit "bc-$year-th-cp-1" -m "Đã sửa chỉ tiêu 4.1"

echo
echo "== CTTT reviews, the department's leader approves"
for p in qt cp md; do as minh review "bc-$year-th-$p-1"; done
for p in qt cp md; do as lan approve "bc-$year-th-$p-1"; done
d status --plan kh-2021-354 --year "$year"

echo
echo "== The three schools' approved reports"
for p in qt cp md; do d show "bc-$year-th-$p-1"; echo; done

echo
echo "== The department's report, summed from them: rates recomputed from the summed figures"
agg=$(as hoa aggregate --plan kh-2021-354 --year "$year")
d show "$agg"
# ==== end of the cascade ==================================================================

echo
echo "== In the end: the plan's timeline, and the whole history audited (every commit, every signature)"
d log kh-2021-354 --trust "$work/ca/ca.pem"
d audit --trust "$work/ca/ca.pem"

echo
echo "== The issued plan as the A4 page officials know, and its PDF (signatures checked against the CA)"
d render kh-2021-354 --format html --trust "$work/ca/ca.pem" -o "$work/kh-2021-354.html"
if command -v weasyprint >/dev/null 2>&1; then
	d render kh-2021-354 --format pdf --trust "$work/ca/ca.pem" -o "$work/kh-2021-354.pdf"
	echo "$work/kh-2021-354.html and $work/kh-2021-354.pdf"
else
	echo "$work/kh-2021-354.html (install weasyprint for the PDF)"
fi
echo
echo "Done: the repository is $repo"
