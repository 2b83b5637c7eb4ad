#!/usr/bin/env bash
# Four offices push at once. A central repository with the pre-receive hook, served by git
# daemon (two clients) and nginx + git http-backend (two clients, each push authenticated as
# its actor). Each client adds documents and walks each one to issued - add, submit, review
# (signed), approve (signed), issue (numbered, signed) - pushing after every action, all four
# at the same time. Pushes lose races, fetch, replay and push again; issues whose number was
# taken meanwhile are renumbered and signed anew. At the end every accepted action is in the
# central history exactly once, none is lost, the numbers of the year are unique and without
# gaps, the central history audits clean and git fsck --strict passes.
# DOCKET_T0910_DOCS: documents per client (default 10: 50 actions each, 200 in all).
. "$(dirname "$0")/lib.sh"
. "$DOCKET_SRC/tests/cli/remote-lib.sh"

NDOCS=${DOCKET_T0910_DOCS:-10}
SRV=$WORK/srv
C=$SRV/pgd.git
c() { "$DOCKET" -C "$C" "$@"; }
export DOCKET_NOW=2021-05-11T08:00:00+07:00

expect_exit 0 "$DOCKET" server init "$C"
expect_exit 0 c org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" --place "Cẩm Phả"
expect_exit 0 c unit add LD --name "Lãnh đạo phòng"
expect_exit 0 c unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 c unit add VT --name "Văn thư" --parent LD
expect_exit 0 c person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
expect_exit 0 c --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT --role drafter
expect_exit 0 c --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG" --unit CTTT --role reviewer
expect_exit 0 c --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" --unit LD --role approver
expect_exit 0 c --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT --role clerk
enrol "$C" admin admin hoa minh lan thu
expect_exit 0 "$DOCKET" server install-hook "$C" --trust "$WORK/ca/ca.pem"
start_http "$SRV" hoa minh lan thu
start_gitd "$SRV"
base=$(git -C "$C" rev-list --count main)

for k in 1 2 3 4; do
	if [ $((k % 2)) = 1 ]; then url=git://127.0.0.1:$GIT_PORT/pgd.git; else url=http://127.0.0.1:$HTTP_PORT/pgd.git; fi
	expect_exit 0 env DOCKET_REMOTE_USER=hoa DOCKET_REMOTE_PASSWORD=pw-hoa "$DOCKET" clone "$url" "$WORK/c$k"
done
ok "four clones, two over git://, two over HTTP"

# client K: NDOCS documents each walked to issued, a push after every action
client() {
	local k=$1 dir=$WORK/c$1 i id
	step() {
		local who=$1
		shift
		DOCKET_REMOTE_PASSWORD=pw-$who "$DOCKET" -C "$dir" --as "$who" "$@" >>"$WORK/c$k.log" 2>&1 ||
			{ echo "client $k: $who $* failed" >>"$WORK/c$k.log"; return 1; }
		DOCKET_REMOTE_PASSWORD=pw-$who "$DOCKET" -C "$dir" --as "$who" push --tries 100 >>"$WORK/c$k.log" 2>&1 ||
			{ echo "client $k: push after $who $* failed" >>"$WORK/c$k.log"; return 1; }
	}
	for i in $(seq "$NDOCS"); do
		id=kh-2021-c$k-$i
		step hoa add --draft --id "$id" "$EXAMPLES/354-KH-PGDDT.xml" || return 1
		step hoa submit "$id" || return 1
		step minh review "$id" || return 1
		step lan approve "$id" || return 1
		step thu issue "$id" || return 1
	done
}
t0=$(date +%s.%N)
pids=""
for k in 1 2 3 4; do
	client "$k" &
	pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=1; done
elapsed=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
if [ "$failed" = 1 ]; then
	for k in 1 2 3 4; do echo "--- client $k"; tail -5 "$WORK/c$k.log"; done
	fail "a client failed"
fi
tries=$(grep -ho '([0-9]* tr[iesy]*)' "$WORK"/c?.log | tr -dc '0-9\n' | awk '{ s += $1; n++; if ($1 > m) m = $1 } END { printf "%d pushes, %d attempts, at most %d for one", n, s, m }')
renumbered=$(grep -hc 'was taken on the remote meanwhile' "$WORK"/c?.log | awk '{ s += $1 } END { print s }')
echo "# 4 clients x $((NDOCS * 5)) actions, each pushed: ${elapsed} s; $tries; $renumbered issues renumbered"
ok "four clients pushed $((NDOCS * 5)) actions each at the same time (${elapsed} s)"

total=$((4 * NDOCS * 5))
[ "$(git -C "$C" rev-list --count main)" = $((base + total)) ] ||
	fail "the central main has $(($(git -C "$C" rev-list --count main) - base)) new commits, expected $total"
git -C "$C" log --format='%B%x00' main | awk -v RS='\0' '
	/Docket-Document: kh-2021-c/ {
		d = ""; t = ""
		n = split($0, l, "\n")
		for (i = 1; i <= n; i++) {
			if (l[i] ~ /^Docket-Document: /) d = substr(l[i], 18)
			if (l[i] ~ /^Docket-Transition: /) t = substr(l[i], 20)
			if (l[i] ~ /^Docket-Action: /) t = substr(l[i], 16)
		}
		print d, t
	}' | sort | uniq -c | awk '{ print $1 }' | sort | uniq -c >"$WORK/counts"
[ "$(cat "$WORK/counts" | tr -s ' ')" = " $total 1" ] ||
	{ cat "$WORK/counts"; fail "not every action is in the central history exactly once"; }
ok "every one of the $total actions is in the central history exactly once"

reg=$(git -C "$C" ls-tree -r --name-only main .docket/register)
[ "$(echo "$reg" | wc -l)" = 1 ] || fail "expected one register: $reg"
git -C "$C" show "main:$reg" | cut -f1 >"$WORK/numbers"
seq -f "%02g" 1 $((4 * NDOCS)) | diff -u - "$WORK/numbers" || fail "the numbers are not 01..$((4 * NDOCS)), each once"
for k in 1 2 3 4; do
	for i in $(seq "$NDOCS"); do
		n=$(git -C "$C" show "main:documents/plan/2021/CTTT/kh-2021-c$k-$i.xml" |
			xmllint --xpath "string(//*[local-name()='header']/*[local-name()='code']/*[local-name()='number'])" -)
		echo "$n"
	done
done | sort >"$WORK/docnumbers"
seq -f "%02g" 1 $((4 * NDOCS)) | diff -u - "$WORK/docnumbers" || fail "the documents' numbers are not unique and gap-free"
ok "numbers 01..$((4 * NDOCS)): unique, gap-free, each document's own number the register's"

expect_exit 0 c audit --trust "$WORK/ca/ca.pem" --no-cache
fsck_clean "$C"
ok "the central history audits clean with the CA; git fsck --strict clean"
