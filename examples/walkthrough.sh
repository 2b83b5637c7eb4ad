#!/usr/bin/env bash
# The main job of docket on the built-in example: the department's plan 354/KH-PGDĐT walked
# through its whole workflow by named people, in a fresh repository.
#
# usage: examples/walkthrough.sh [DOCKET-BINARY] [REPO-DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
docket=${1:-$here/../build/docket}
repo=${2:-$(mktemp -d /tmp/docket-example.XXXXXX)/repo}
d() { echo "\$ docket $*" >&2; "$docket" -C "$repo" "$@"; }

echo "== A new document repository in $repo"
"$docket" init "$repo"

echo
echo "== The organisation, its units and people"
d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
d unit add LD --name "Lãnh đạo phòng"
d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
d unit add VT --name "Văn thư" --parent LD
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
d person list

echo
echo "== The seed plan, added as a fresh draft and validated"
d --as hoa add --draft "$here/354-KH-PGDDT.xml"
d validate --all
d --as hoa status kh-2021-354

echo
echo "== Its workflow: submit, return with a reason, submit again, review, approve, issue"
d --as hoa submit kh-2021-354 -m "Trình lãnh đạo phòng xem xét"
d --as minh return kh-2021-354 -m "Đề nghị rà soát lại chỉ tiêu 4 và 5"
d --as hoa submit kh-2021-354 -m "Đã rà soát chỉ tiêu"
d --as minh review kh-2021-354
d --as lan approve kh-2021-354
d --as thu issue kh-2021-354
d status

echo
echo "== The issued plan, as text"
d show kh-2021-354

echo
echo "== The history in git"
git -C "$repo" log --format='%h %an: %s' -8
echo
echo "Done: the repository is $repo"
