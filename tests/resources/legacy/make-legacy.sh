#!/usr/bin/env bash
# Makes the legacy fixture: a repository written by docket before every commit was signed
# (main at ad0b91a, before the "history no one can forge" rules). Kept to show how the
# fixture was made; it is NOT run by the tests (they must see what the old docket wrote,
# not what today's writes). Run once as:  make-legacy.sh OLD-DOCKET-BINARY OUT-DIR
#
# What it holds, in the old rules: a CA and five people with certificates (admin, hoa, minh,
# lan, thu); the seed plan added by hoa and edited by her (`docket commit`) - the old docket
# signed neither commit, though her key was there - and submitted, returned, submitted again,
# reviewed, approved and issued (the old docket signed transition commits when the actor had a
# key): three XML-DSig signatures without step binding. Output: OUT-DIR/legacy.bundle (branch main), OUT-DIR/ca.pem (the trust
# anchor), OUT-DIR/keys/admin.pem (the administrator's key, passphrase "test-passphrase") and
# OUT-DIR/admin.crt.
set -eu
OLD=$(realpath "$1")
OUT=$(realpath "$2")
SRC=$(cd "$(dirname "$0")/../../.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export HOME=$W/home GIT_CONFIG_NOSYSTEM=1 TZ=Asia/Ho_Chi_Minh DOCKET_PASSPHRASE=test-passphrase
mkdir -p "$HOME"
git config --global user.name "Docket Legacy"
git config --global user.email legacy@docket.invalid
R=$W/pgd
d() { "$OLD" -C "$R" "$@" >/dev/null; }
export DOCKET_NOW=2021-04-01T08:00:00+07:00
"$OLD" init "$R" >/dev/null
d unit add LD --name "Lãnh đạo phòng"
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
DOCKET_NOW=2020-01-01T00:00:00+07:00 "$OLD" ca init "$W/ca" --name "Legacy Test CA" >/dev/null
enrol() {
	for p in "$@"; do
		"$OLD" -C "$R" key generate --person "$p" >/dev/null
		DOCKET_NOW=2020-01-01T00:00:00+07:00 "$OLD" ca issue --ca "$W/ca" \
			"$HOME/.config/docket/keys/$p.pem.csr" --days 3650 --out "$W/ca/$p.crt" >/dev/null
		d --as admin person cert "$p" "$W/ca/$p.crt"
	done
}
enrol admin
d --as admin org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
d --as admin unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
d --as admin unit add VT --name "Văn thư" --parent LD
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
enrol hoa minh lan thu
DOC=kh-2021-354
F=$R/documents/plan/2021/CTTT/$DOC.xml
DOCKET_NOW=2021-05-03T07:30:00+07:00 d --as hoa add --draft "$SRC/examples/354-KH-PGDDT.xml"
DOCKET_NOW=2021-05-03T08:00:00+07:00 d --as hoa submit $DOC -m "Trình lãnh đạo phòng xem xét"
DOCKET_NOW=2021-05-04T10:15:00+07:00 d --as minh return $DOC -m "Đề nghị rà soát lại chỉ tiêu 4 và 5"
sed -i 's|Thực hiện Chương trình|Thực hiện  Chương trình|' "$F"
DOCKET_NOW=2021-05-05T14:00:00+07:00 d --as hoa commit $DOC -m "Rà soát chỉ tiêu"
DOCKET_NOW=2021-05-05T14:30:00+07:00 d --as hoa submit $DOC -m "Đã rà soát chỉ tiêu"
DOCKET_NOW=2021-05-06T09:00:00+07:00 d --as minh review $DOC
DOCKET_NOW=2021-05-10T16:45:00+07:00 d --as lan approve $DOC
DOCKET_NOW=2021-05-11T09:00:00+07:00 d --as thu issue $DOC
git -C "$R" diff --quiet HEAD~5 HEAD~4 && { echo "the edit changed nothing" >&2; exit 1; }
mkdir -p "$OUT/keys"
git -C "$R" bundle create "$OUT/legacy.bundle" main 2>/dev/null
cp "$W/ca/ca.pem" "$OUT/ca.pem"
cp "$W/ca/admin.crt" "$OUT/admin.crt"
cp "$HOME/.config/docket/keys/admin.pem" "$OUT/keys/admin.pem"
echo "made $OUT/legacy.bundle ($(git -C "$R" rev-list --count main) commits)"
