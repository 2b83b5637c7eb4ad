# The department of tests/cli/t0600-cascade.sh, for the web tests: sections CTTT (drafts,
# reviews the schools' reports), LD (approves), VT (issues), three affiliated schools each
# with a drafter (gv-*) and a head (ht-*); a CA and keys for those who sign; the seed plan
# walked to issued (three signatures); its tasks assigned; each school's 2025 report drafted
# (a skeleton to fill). Source it after tests/cli/lib.sh; it sets R, PLAN and d().
R=$WORK/pgd
PLAN=kh-2021-354
d() { "$DOCKET" -C "$R" "$@"; }

export DOCKET_NOW=2021-05-11T08:00:00+07:00
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 d unit add CM --name "Các bộ phận chuyên môn" --parent LD
expect_exit 0 d unit add VT --name "Văn thư" --parent LD
expect_exit 0 d unit add TH-QT --name "Trường TH và THCS Quang Trung" --affiliated
expect_exit 0 d unit add TH-CP --name "Trường TH và THCS Cẩm Phú" --affiliated
expect_exit 0 d unit add TH-MD --name "Trường TH và THCS Mông Dương" --affiliated
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
a() { expect_exit 0 d --as admin person add "$@"; }
a hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
a minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT --role reviewer
a lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
a thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
for s in qt:TH-QT cp:TH-CP md:TH-MD; do
	a "gv-${s%%:*}" --name "Giáo viên ${s%%:*}" --position "GIÁO VIÊN" --unit "${s#*:}" --role drafter
	a "ht-${s%%:*}" --name "Hiệu trưởng ${s%%:*}" --position "HIỆU TRƯỞNG" --unit "${s#*:}" --role reviewer
done
export DOCKET_PASSPHRASE=test-passphrase
expect_exit 0 "$DOCKET" ca init "$WORK/ca" --name "PGDĐT Cẩm Phả CA"
# every action is signed by its actor once certificates exist: everyone who acts has a key and a
# certificate, the administrator first (who records the others)
for p in admin hoa minh lan thu gv-qt gv-cp gv-md ht-qt ht-cp ht-md; do
	expect_exit 0 d key generate --person $p
	expect_exit 0 "$DOCKET" ca issue --ca "$WORK/ca" "$HOME/.config/docket/keys/$p.pem.csr" --out "$WORK/$p.crt" --days 3600
	expect_exit 0 d --as admin person cert $p "$WORK/$p.crt"
done
CA=$WORK/ca/ca.pem

expect_exit 0 d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
expect_exit 0 d --as hoa submit $PLAN
expect_exit 0 d --as minh review $PLAN
expect_exit 0 d --as lan approve $PLAN
expect_exit 0 d --as thu issue $PLAN
export DOCKET_NOW=2025-01-10T09:00:00+07:00
expect_exit 0 d --as hoa assign $PLAN
export DOCKET_NOW=2025-12-01T09:00:00+07:00
for s in qt:TH-QT cp:TH-CP md:TH-MD; do
	expect_exit 0 d --as "gv-${s%%:*}" new report --plan $PLAN --year 2025 --unit "${s#*:}"
done

# serve NAME ARGS...: start `docket serve` on a free loopback port in the background, its
# stderr in $WORK/NAME.log; sets URL_NAME (http://127.0.0.1:PORT) and PID_NAME (NAME's dashes
# as underscores). The servers are stopped with SIGTERM by stop_servers (also on exit), which
# then fails the test when a server's log has a report of AddressSanitizer, LeakSanitizer or
# UndefinedBehaviorSanitizer (a -DDOCKET_SANITIZE=ON build): a server runs in the background,
# so nothing else would see them.
SERVERS=""
SERVER_LOGS=""
serve() {
	local name=$1 var=${1//-/_} i url
	shift
	"$DOCKET" -C "$R" serve --listen 127.0.0.1:0 "$@" 2>"$WORK/$name.log" &
	eval "PID_$var=$!"
	SERVER_LOGS="$SERVER_LOGS $WORK/$name.log"
	SERVERS="$SERVERS $!"
	for i in $(seq 100); do
		url=$(sed -n 's|^docket: serving .* on \(http://[^/]*\)/.*|\1|p' "$WORK/$name.log" 2>/dev/null)
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { cat "$WORK/$name.log"; fail "docket serve $name did not start"; }
	eval "URL_$var=$url"
}
stop_servers() {
	local p
	for p in $SERVERS; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $SERVERS; do
		wait "$p" 2>/dev/null || true
	done
	SERVERS=""
	for p in $SERVER_LOGS; do
		if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$p" 2>/dev/null; then
			cat "$p" >&2
			fail "sanitizer report in $(basename "$p")"
		fi
	done
	SERVER_LOGS=""
}
trap 'stop_servers; rm -rf "$WORK"' EXIT
