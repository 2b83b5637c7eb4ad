#!/usr/bin/env bash
# docket validate: the fixtures of tests/resources/ (valid: exit 0; invalid: exit 1 with
# FILE:LINE:COL: error: findings), agreement with `xmllint --schema`, --all over the object store
# (also on a document committed behind docket's back), --rev, --json, the built-in schemas
# outside a repository, usage errors.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || fail "python3 is needed (Debian package python3)"
XSD="$DOCKET_SRC/schemas/docket.xsd"
SEED="$EXAMPLES/354-KH-PGDDT.xml"

# has_finding FILE OUT: a line of OUT reads "FILE:LINE:COL: error: ..."
has_finding() {
	awk -v p="$1:" 'index($0, p) == 1 && substr($0, length(p) + 1) ~ /^[0-9]+:[0-9]+: error: ./ { found = 1 }
		END { exit !found }' "$2"
}

# xmllint_error FILE: the "LINE<TAB>MESSAGE" of each schema error xmllint reports for FILE
xmllint_errors() {
	xmllint --noout --nonet --schema "$XSD" "$1" 2>&1 >/dev/null |
		sed -n "s|^$(basename "$1"):\([0-9]*\):.*Schemas validity error : \(.*\)|\1\t\2|p" || true
}
# docket_findings FILE OUT: the "LINE<TAB>MESSAGE" of each finding for FILE in OUT
docket_findings() {
	awk -v p="$1:" 'index($0, p) == 1 {
		rest = substr($0, length(p) + 1)
		if (match(rest, /^[0-9]+:[0-9]+: error: /)) {
			split(rest, a, ":")
			print a[1] "\t" substr(rest, RLENGTH + 1)
		}
	}' "$2"
}

expect_exit 0 "$DOCKET" init repo
expect_exit 0 "$DOCKET" -C repo add --draft "$SEED"
fsck_clean repo

# valid fixtures: docket (in a repository holding the documents they cite) and xmllint agree
nvalid=0
for f in "$RES"/valid/*.xml "$SEED"; do
	expect_exit 0 "$DOCKET" -C repo validate "$f"
	[ ! -s "$WORK/out" ] || { cat "$WORK/out"; fail "validate $f printed findings"; }
	xmllint --noout --nonet --schema "$XSD" "$f" 2>"$WORK/xmllint" || { cat "$WORK/xmllint"; fail "xmllint rejects $f"; }
	nvalid=$((nvalid + 1))
done
[ "$nvalid" -ge 5 ] || fail "only $nvalid valid fixtures"
ok "$nvalid valid fixtures: docket exit 0, xmllint --schema exit 0"

# invalid fixtures: each fails the schema for exactly one reason (tests/resources/README.md);
# docket reports it at the same line as xmllint, with the same message (docket's own root
# check speaks first for a wrong root)
ninvalid=0
for f in "$RES"/invalid/*.xml; do
	name=$(basename "$f")
	expect_exit 1 "$DOCKET" -C repo validate "$f"
	has_finding "$f" "$WORK/out" || { cat "$WORK/out"; fail "validate $name: no FILE:LINE:COL: error: line"; }
	docket_findings "$f" "$WORK/out" >"$WORK/d-findings"
	(cd "$(dirname "$f")" && xmllint_errors "$name") >"$WORK/x-findings"
	if (cd "$(dirname "$f")" && xmllint --noout --nonet --schema "$XSD" "$name" 2>/dev/null); then
		fail "xmllint accepts $name, which the README lists as a schema defect"
	fi
	[ "$(wc -l <"$WORK/x-findings")" = 1 ] || { cat "$WORK/x-findings"; fail "xmllint: not exactly one error for $name"; }
	[ "$(wc -l <"$WORK/d-findings")" = 1 ] || { cat "$WORK/out"; fail "docket: not exactly one finding for $name"; }
	case $name in
	root-not-document.xml | wrong-namespace.xml)
		[ "$(cut -f1 "$WORK/d-findings")" = "$(cut -f1 "$WORK/x-findings")" ] ||
			fail "$name: docket line $(cut -f1 "$WORK/d-findings"), xmllint line $(cut -f1 "$WORK/x-findings")"
		expect_grep "expected {urn:docket:document:1}document" "$WORK/d-findings"
		;;
	*)
		diff -u "$WORK/x-findings" "$WORK/d-findings" || fail "$name: docket and xmllint disagree"
		;;
	esac
	ninvalid=$((ninvalid + 1))
done
[ "$ninvalid" -ge 20 ] || fail "only $ninvalid invalid fixtures"
ok "$ninvalid invalid fixtures: docket exit 1, xmllint fails too, same line and message"

# C-rule-only defects (tests/resources/README.md, hostile/): the schema lets them through,
# docket does not
for name in duplicate-ids.xml internal-dtd.xml external-dtd.xml non-utf8-declared.xml utf16.xml utf16le-nobom.xml; do
	f="$RES/hostile/$name"
	(cd "$RES/hostile" && xmllint --noout --nonet --schema "$XSD" "$name" 2>"$WORK/xmllint") ||
		{ cat "$WORK/xmllint"; fail "xmllint rejects $name: it is not a C-rule-only defect any more"; }
	expect_exit 1 "$DOCKET" -C repo validate "$f"
	has_finding "$f" "$WORK/out" || { cat "$WORK/out"; fail "validate $name: no FILE:LINE:COL: error: line"; }
done
ok "C-rule-only defects: xmllint passes, docket exit 1"

# the C rules see the repository: a report on a plan the repository does not hold
expect_exit 0 "$DOCKET" init empty
expect_exit 1 "$DOCKET" -C empty validate "$RES/valid/report-annual.xml"
expect_grep "kh-2021-354" "$WORK/out"
expect_grep "not a document in this repository" "$WORK/out"
ok "a citation of a document missing from the repository is a finding"

# many files: every one is reported, valid ones silently
expect_exit 1 "$DOCKET" -C repo validate "$RES/valid/plan-draft-minimal.xml" "$RES/invalid/bad-date.xml" \
	"$RES/valid/task-assignment.xml" "$RES/invalid/bad-number.xml"
has_finding "$RES/invalid/bad-date.xml" "$WORK/out" || fail "bad-date.xml not reported"
has_finding "$RES/invalid/bad-number.xml" "$WORK/out" || fail "bad-number.xml not reported"
[ "$(wc -l <"$WORK/out")" = 2 ] || { cat "$WORK/out"; fail "expected exactly 2 findings"; }
ok "several files: all findings reported, exit 1"

# --all, from the object store
expect_exit 0 "$DOCKET" -C repo validate --all
[ ! -s "$WORK/out" ] || fail "validate --all printed findings on a valid repository"
ok "--all on a repository with the seed: exit 0"

# an invalid document committed with plain git, bypassing docket
BAD=documents/plan/2021/CTTT/kh-bad-date.xml
blob=$(git -C repo hash-object -w "$RES/invalid/bad-date.xml")
git -C repo update-index --add --cacheinfo "100644,$blob,$BAD"
git -C repo commit -q -m "an invalid document, behind docket's back"
git -C repo checkout -q -- "$BAD"
fsck_clean repo
expect_exit 1 "$DOCKET" -C repo validate --all
has_finding "$BAD" "$WORK/out" || { cat "$WORK/out"; fail "--all does not name $BAD"; }
expect_grep "$BAD:15:5: error: " "$WORK/out"
[ "$(wc -l <"$WORK/out")" = 1 ] || { cat "$WORK/out"; fail "--all: findings beyond $BAD"; }
expect_exit 1 "$DOCKET" -C repo validate --all --rev HEAD
expect_grep "$BAD" "$WORK/out"
expect_exit 0 "$DOCKET" -C repo validate --all --rev HEAD~1
[ ! -s "$WORK/out" ] || fail "--all --rev HEAD~1 printed findings"
ok "--all names a document committed behind docket's back (exit 1); --all --rev HEAD~1 exit 0"

# --all needs no work tree: a bare clone, and a work tree that lies
git clone -q --bare repo bare.git
expect_exit 1 "$DOCKET" -C bare.git validate --all
expect_grep "$BAD:15:5: error: " "$WORK/out"
expect_exit 0 "$DOCKET" -C bare.git validate --all --rev HEAD~1
cp "$SEED" "repo/$BAD"
expect_exit 1 "$DOCKET" -C repo validate --all
expect_grep "$BAD:15:5: error: " "$WORK/out"
git -C repo checkout -q -- "$BAD"
ok "--all reads the object store: works in a bare clone, ignores the work tree"

# --json
expect_exit 1 "$DOCKET" -C repo validate --json "$RES"/invalid/*.xml
python3 -m json.tool "$WORK/out" >/dev/null || { cat "$WORK/out"; fail "--json output is not JSON"; }
cp "$WORK/out" "$WORK/json"
expect_exit 1 "$DOCKET" -C repo validate "$RES"/invalid/*.xml
python3 - "$WORK/json" "$WORK/out" <<'PY' || fail "--json does not match the text findings"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read().splitlines()
assert isinstance(items, list) and items, items
for it in items:
    assert set(it) == {"file", "line", "col", "message"}, it
    assert isinstance(it["line"], int) and isinstance(it["col"], int), it
lines = ["%s:%d:%d: error: %s" % (i["file"], i["line"], i["col"], i["message"]) for i in items]
assert lines == text, (lines, text)
PY
expect_exit 1 "$DOCKET" -C repo validate --json --all
python3 -m json.tool "$WORK/out" >/dev/null || { cat "$WORK/out"; fail "--json --all output is not JSON"; }
expect_grep "\"file\": \"$BAD\"" "$WORK/out"
expect_exit 1 "$DOCKET" -C repo validate --json "$RES"/hostile/*.xml
python3 -m json.tool "$WORK/out" >/dev/null || { cat "$WORK/out"; fail "--json on hostile input is not JSON"; }
expect_exit 0 "$DOCKET" -C repo validate --json "$SEED"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == []' "$WORK/out" || { cat "$WORK/out"; fail "--json of a valid file is not []"; }
ok "--json parses with python3 -m json.tool and matches the text findings"

# outside any repository: the built-in schemas
mkdir outside
cd outside
for f in "$RES"/valid/*.xml "$SEED"; do
	expect_exit 0 "$DOCKET" validate "$f"
done
for f in "$RES"/invalid/*.xml; do
	expect_exit 1 "$DOCKET" validate "$f"
	has_finding "$f" "$WORK/out" || { cat "$WORK/out"; fail "outside: no finding for $f"; }
done
cp "$RES/invalid/bad-date.xml" rel.xml
expect_exit 1 "$DOCKET" validate rel.xml
expect_grep "rel.xml:15:5: error: " "$WORK/out"
cd "$WORK"
ok "outside a repository: built-in schemas, same verdicts"

# usage and other errors
expect_exit 2 "$DOCKET" -C repo validate
expect_exit 2 "$DOCKET" -C repo validate --rev HEAD "$SEED"
expect_exit 2 "$DOCKET" -C repo validate --frobnicate "$SEED"
expect_exit 2 "$DOCKET" -C repo validate --all --rev
expect_exit 3 "$DOCKET" -C repo validate "$WORK/no-such-file.xml"
expect_exit 3 "$DOCKET" -C repo validate --all --rev no-such-rev
(cd outside && expect_exit 3 "$DOCKET" validate --all)
ok "usage errors exit 2; missing file, unknown revision, --all outside a repository exit 3"
fsck_clean repo

# a plain git repository (not a docket one) is "outside a docket repository" too
git init -q plain
echo "a project" >plain/README
git -C plain add README
git -C plain commit -q -m "a project that is not a docket repository"
(cd plain && expect_exit 0 "$DOCKET" validate "$SEED")
(cd plain && expect_exit 1 "$DOCKET" validate "$RES/invalid/bad-date.xml")
has_finding "$RES/invalid/bad-date.xml" "$WORK/out" || { cat "$WORK/out" "$WORK/err"; fail "plain git repository: no finding"; }
ok "inside a plain git repository: built-in schemas"
