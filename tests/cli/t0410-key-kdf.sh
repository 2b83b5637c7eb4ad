#!/usr/bin/env bash
# Key files (issue 12 item 9): a new key is encrypted under scrypt (PBES2, N=16384 r=8 p=5),
# not OpenSSL's default PBKDF2 with 2,048 iterations - shown with `openssl asn1parse`, opened
# with `openssl pkey`; a key written by `openssl genpkey -aes-256-cbc` (PBKDF2, 2,048
# iterations) still signs a transition.
. "$(dirname "$0")/lib.sh"

SEED="$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 "$DOCKET" init repo
d() { expect_exit 0 "$DOCKET" -C repo "$@"; }
d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
d unit add LD --name "Lãnh đạo phòng"
d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer

# a new key: PBES2 with scrypt, the parameters docket chose, a 16-byte salt
d key generate --person hoa --out "$WORK/hoa.pem"
openssl asn1parse -in "$WORK/hoa.pem" >"$WORK/asn1" || fail "openssl asn1parse cannot read the key"
awk '/OBJECT/ { o = o " " $NF } /INTEGER/ { i = i " " $NF } /OCTET STRING/ && !s { s = $0 }
	END { print o; print i; print s }' "$WORK/asn1" | sed 's/^ //' >"$WORK/got"
sed -n 3p "$WORK/got" | grep -q 'l=  16 prim: OCTET STRING' || { cat "$WORK/asn1"; fail "the salt is not 16 bytes"; }
printf ':PBES2 :scrypt :aes-256-cbc\n:4000 :08 :05\n' | diff -u - <(head -2 "$WORK/got") ||
	{ cat "$WORK/asn1"; fail "the new key is not PBES2/scrypt N=16384 r=8 p=5/AES-256-CBC"; }
grep -q PBKDF2 "$WORK/asn1" && fail "the new key still uses PBKDF2"
openssl pkey -in "$WORK/hoa.pem" -passin pass:"$DOCKET_PASSPHRASE" -noout || fail "openssl cannot open docket's key"
openssl pkey -in "$WORK/hoa.pem" -passin pass:wrong -noout 2>/dev/null && fail "the key opens with a wrong passphrase"
ok "a new key: PBES2, scrypt N=16384 r=8 p=5, 16-byte salt, AES-256-CBC; openssl opens it"

# an old-style key: openssl genpkey's default PBKDF2 at 2,048 iterations
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc \
	-pass pass:"$DOCKET_PASSPHRASE" -out "$WORK/old.pem" 2>/dev/null || fail "openssl genpkey"
openssl asn1parse -in "$WORK/old.pem" >"$WORK/asn1"
grep -q ':PBKDF2' "$WORK/asn1" && grep -q 'INTEGER *:0800' "$WORK/asn1" ||
	{ cat "$WORK/asn1"; fail "the old-style key is not PBKDF2 with 2,048 iterations"; }
DOCKET_NOW=2020-01-01T00:00:00+07:00 "$DOCKET" ca init "$WORK/ca" --name "Test CA" >/dev/null || fail "ca init"
openssl req -new -key "$WORK/old.pem" -passin pass:"$DOCKET_PASSPHRASE" -subj "/CN=minh" -out "$WORK/old.csr" ||
	fail "openssl req"
DOCKET_NOW=2020-01-01T00:00:00+07:00 expect_exit 0 "$DOCKET" ca issue --ca "$WORK/ca" "$WORK/old.csr" --days 3650 --out "$WORK/minh.crt"
# every action is signed by its actor once certificates exist: the administrator and hoa get
# keys and certificates first (lib.sh's enrol), then minh's old-style key is recorded
enrol repo admin admin hoa
d --as admin person cert minh "$WORK/minh.crt"
d --as hoa add --draft "$SEED"
d --as hoa submit kh-2021-354
DOCKET_KEY="$WORK/old.pem" expect_exit 0 "$DOCKET" -C repo --as minh review kh-2021-354
git -C repo cat-file blob "main:documents/plan/2021/CTTT/kh-2021-354.xml" | grep -q '<ds:SignatureValue' ||
	fail "the review was not signed"
git -C repo cat-file blob main:.docket/config.xml >/dev/null
DOCKET_PASSPHRASE=wrong DOCKET_KEY="$WORK/hoa.pem" expect_exit 1 "$DOCKET" -C repo --as minh approve kh-2021-354
expect_grep "wrong passphrase" "$WORK/err"
ok "a key from openssl genpkey -aes-256-cbc (PBKDF2, 2,048 iterations) still opens and signs"
