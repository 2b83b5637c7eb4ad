#!/usr/bin/env bash
# Hostile input (issue 2, "Hostile input"; issue 12 item 8, cheap input that is expensive to
# process: namespace declarations, attributes, nodes past docket's limits): every fixture of tests/resources/hostile/ (and the
# large ones generate.sh makes at test time) is refused by `docket validate` and `docket add`
# with exit 1, a FILE:LINE:COL: error: finding that names the reason, in well under a second,
# without leaking /etc/passwd, and with the repository untouched.
. "$(dirname "$0")/lib.sh"

HOSTILE="$RES/hostile"
LIMIT_MS=2000 # "well under a second", generous because test machines are shared

sh "$HOSTILE/generate.sh" "$WORK/gen" || fail "generate.sh failed"
[ "$(wc -c <"$WORK/gen/big-50mb.xml")" -ge 52428800 ] || fail "big-50mb.xml is under 50 MB"
[ "$(wc -c <"$WORK/gen/deep-nesting.xml")" -lt 8388608 ] || fail "deep-nesting.xml must stay under the 8 MB limit"
[ "$(grep -o '<section ' "$WORK/gen/deep-nesting.xml" | wc -l)" -eq 100000 ] || fail "deep-nesting.xml is not 100,000 levels"
[ "$(grep -o '&a;' "$WORK/gen/quadratic-blowup.xml" | wc -l)" -eq 50000 ] || fail "quadratic-blowup.xml: not 50,000 references"
for f in ns-root ns-spread attrs nodes comments; do
	[ "$(wc -c <"$WORK/gen/$f.xml")" -lt 8388608 ] || fail "$f.xml must stay under the 8 MiB limit"
done
[ "$(grep -o ' xmlns:p[0-9]*=' "$WORK/gen/ns-root.xml" | wc -l)" -eq 462000 ] || fail "ns-root.xml: not 462,000 declarations"
[ "$(head -2 "$WORK/gen/attrs.xml" | grep -o ' a[0-9]*=' | wc -l)" -eq 750000 ] || fail "attrs.xml: not 750,000 attributes"
ok "large fixtures generated"

# "name:x:uid:gid" of every account: none of it may ever appear in docket's output
cut -d: -f1-4 /etc/passwd | grep -v '^$' >"$WORK/passwd-pat"
[ -s "$WORK/passwd-pat" ] || fail "cannot read /etc/passwd"
no_leak() {
	if grep -qF -f "$WORK/passwd-pat" "$WORK/out" "$WORK/err"; then
		cat "$WORK/out" "$WORK/err"
		fail "/etc/passwd content in the output of: $*"
	fi
}

# timed WANT LABEL CMD...: expect_exit WANT CMD..., within LIMIT_MS; the time goes to $MS
timed() {
	local want=$1 label=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	expect_exit "$want" "$@"
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	[ "$MS" -le "$LIMIT_MS" ] || fail "$label took ${MS} ms (limit $LIMIT_MS ms)"
}

# finding FILE LINE KEYWORD OUTFILE: OUTFILE has "FILE:LINE:COL: error: ...KEYWORD..."
finding() {
	local file=$1 line=$2 key=$3 where=$4
	grep -F -- "$file:$line:" "$where" | grep -E -- "^.*:[0-9]+:[0-9]+: error: " | grep -qF -- "$key" || {
		echo "--- $where:"; cat "$where"
		fail "no '$file:$line:COL: error: ...$key...' finding"
	}
}

# file (relative to the hostile dir, or gen/NAME for the generated ones) | line | key word
cases="
xxe-file.xml|3|DTD
xxe-network.xml|3|DTD
billion-laughs.xml|3|DTD
gen/quadratic-blowup.xml|2|DTD
internal-dtd.xml|3|DTD
external-dtd.xml|3|DTD
invalid-utf8.xml|12:89|invalid UTF-8
gen/deep-nesting.xml|25|depth
gen/big-50mb.xml|1:1|larger than
wrong-namespace.xml|3|expected {urn:docket:document:1}document
duplicate-ids.xml|46:18|duplicate id 'content'
utf16.xml|1:1|UTF-8
utf16le-nobom.xml|1:2|NUL byte (UTF-16 or UTF-32 without a byte-order mark?); docket accepts UTF-8 only
non-utf8-declared.xml|1:1|UTF-8
gen/ns-root.xml|2:1|too many namespace declarations on one element: 462001 (docket allows 16)
gen/attrs.xml|2:1|too many attributes on one element: 750002 (docket allows 16)
gen/ns-spread.xml|24|too many namespace declarations: more than 256 in the document
gen/nodes.xml|24|too many nodes: more than 500000 elements, text runs and comments
gen/comments.xml|24|too many nodes: more than 500000 elements, text runs and comments
"

n=0
while IFS='|' read -r name line key; do
	[ -n "$name" ] || continue
	n=$((n + 1))
	case $name in
	gen/*) file="$WORK/$name" ;;
	*) file="$HOSTILE/$name" ;;
	esac
	[ -f "$file" ] || fail "missing fixture $file"
	repo="$WORK/repo$n"
	expect_exit 0 "$DOCKET" init "$repo"

	timed 1 "validate $name" "$DOCKET" -C "$repo" validate "$file"
	finding "$file" "$line" "$key" "$WORK/out"
	no_leak validate "$name"
	vms=$MS

	before=$(snapshot "$repo")
	timed 1 "add $name" "$DOCKET" -C "$repo" add "$file"
	[ ! -s "$WORK/out" ] || { cat "$WORK/out"; fail "add $name printed on stdout"; }
	finding "$file" "$line" "$key" "$WORK/err"
	expect_grep "docket: cannot add '$file'" "$WORK/err"
	no_leak add "$name"
	ams=$MS
	[ "$(snapshot "$repo")" = "$before" ] || fail "add $name changed the repository"
	[ -z "$(git -C "$repo" status --porcelain)" ] || { git -C "$repo" status; fail "add $name left changes"; }
	[ "$(git -C "$repo" rev-list --count HEAD)" = 1 ] || fail "add $name made a commit"
	fsck_clean "$repo"
	ok "$name refused ($key): validate ${vms} ms, add ${ams} ms; repository untouched"
done <<EOF
$cases
EOF
[ "$n" = 19 ] || fail "ran $n cases, expected 19"

# Nothing outside the file is ever opened: an external DTD and an external entity that name
# FIFOs would block the parser forever (no writer) if it tried to read them.
mkdir "$WORK/fifo"
mkfifo "$WORK/fifo/x.dtd" "$WORK/fifo/secret"
cp "$HOSTILE/external-dtd.xml" "$WORK/fifo/external-dtd.xml"
sed "s|file:///etc/passwd|file://$WORK/fifo/secret|" "$HOSTILE/xxe-file.xml" >"$WORK/fifo/xxe-fifo.xml"
grep -qF "$WORK/fifo/secret" "$WORK/fifo/xxe-fifo.xml" || fail "xxe-fifo.xml not made"
for f in external-dtd.xml xxe-fifo.xml; do
	(cd "$WORK/fifo" && expect_exit 1 timeout 10 "$DOCKET" -C "$WORK/repo1" validate "$f")
	expect_grep "DTD" "$WORK/out"
	(cd "$WORK/fifo" && expect_exit 1 timeout 10 "$DOCKET" -C "$WORK/repo1" add "$f")
done
ok "external DTD and external entity never opened (FIFOs did not block)"

# Nor the network: the XXE fixture pointed at a local listener gets no connection.
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 8, Proto => "tcp")
		or die "listen: $!";
	open(my $f, ">", "$ARGV[0].tmp") or die; print $f $s->sockport; close $f;
	rename("$ARGV[0].tmp", "$ARGV[0].port") or die;
	if (my $c = $s->accept) { open(my $h, ">", "$ARGV[0].hit") or die; print $h "connected\n"; close $h; }
' "$WORK/listen" &
listener=$!
trap 'kill "$listener" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -f "$WORK/listen.port" ] && break; sleep 0.05; done
[ -f "$WORK/listen.port" ] || fail "the test listener did not start"
port=$(cat "$WORK/listen.port")
sed "s|http://127.0.0.1:9/x|http://127.0.0.1:$port/x|" "$HOSTILE/xxe-network.xml" >"$WORK/xxe-listen.xml"
cp "$HOSTILE/external-dtd.xml" "$WORK/dtd-listen.xml"
sed -i "s|SYSTEM \"x.dtd\"|SYSTEM \"http://127.0.0.1:$port/x.dtd\"|" "$WORK/dtd-listen.xml"
for f in xxe-listen.xml dtd-listen.xml; do
	expect_exit 1 "$DOCKET" -C "$WORK/repo1" validate "$WORK/$f"
	expect_grep "DTD" "$WORK/out"
	expect_exit 1 "$DOCKET" -C "$WORK/repo1" add "$WORK/$f"
done
sleep 0.2
kill "$listener" 2>/dev/null || true
wait "$listener" 2>/dev/null || true
[ ! -e "$WORK/listen.hit" ] || fail "docket connected to the network for an external entity or DTD"
ok "external entity and DTD over http: no connection made"

# A hostile document that reached the repository behind docket's back (plain git) is refused
# the same way when read from the object store.
repo="$WORK/repo1"
blob=$(git -C "$repo" hash-object -w "$HOSTILE/xxe-file.xml")
GIT_INDEX_FILE="$WORK/idx" git -C "$repo" read-tree HEAD
GIT_INDEX_FILE="$WORK/idx" git -C "$repo" update-index --add --cacheinfo "100644,$blob,documents/plan/2021/THCP/kh-2021-hostile.xml"
tree=$(GIT_INDEX_FILE="$WORK/idx" git -C "$repo" write-tree)
commit=$(git -C "$repo" commit-tree "$tree" -p HEAD -m "smuggled")
git -C "$repo" update-ref refs/heads/main "$commit"
timed 1 "validate --all" "$DOCKET" -C "$repo" validate --all
finding "documents/plan/2021/THCP/kh-2021-hostile.xml" 3 DTD "$WORK/out"
no_leak validate --all
ok "validate --all refuses a smuggled XXE document (${MS} ms)"
timed 1 "show" "$DOCKET" -C "$repo" show kh-2021-hostile
expect_grep "DTD" "$WORK/err"
no_leak show
ok "show refuses to render it (${MS} ms)"
fsck_clean "$repo"
