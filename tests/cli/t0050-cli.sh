#!/usr/bin/env bash
# The command line itself: "did you mean" for a mistyped command or option; global options
# after the command; --opt=value, --as=PERSON, glued -mVALUE; --version and docket version;
# every command's generated help lists in its usage every option it documents; a command
# that needs a repository, run outside one, fails once with exit 3; the generated man page
# renders without warnings and the generated bash completion completes commands and options.
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
d() { "$DOCKET" -C "$R" "$@"; }

# --- did you mean ------------------------------------------------------------------------
expect_exit 2 "$DOCKET" sumbit
expect_grep "docket: 'sumbit' is not a docket command" "$WORK/err"
grep -qx "	submit" "$WORK/err" || fail "no suggestion 'submit': $(cat "$WORK/err")"
expect_exit 2 "$DOCKET" stauts
grep -qx "	status" "$WORK/err" || fail "no suggestion 'status': $(cat "$WORK/err")"
expect_exit 2 "$DOCKET" help sumbit
grep -qx "	submit" "$WORK/err" || fail "help sumbit: no suggestion"
expect_exit 2 "$DOCKET" frobnicate
expect_grep "not a docket command" "$WORK/err"
! grep -q "most similar" "$WORK/err" || fail "a far-off word got a suggestion: $(cat "$WORK/err")"
expect_exit 2 "$DOCKET" show --frmat xml DOC
expect_grep "unknown option '--frmat'" "$WORK/err"
grep -qx "	--format" "$WORK/err" || fail "no suggestion '--format': $(cat "$WORK/err")"
expect_exit 2 "$DOCKET" unit ad X
grep -qx "	add" "$WORK/err" || fail "no suggestion 'add' for 'unit ad': $(cat "$WORK/err")"
ok "a mistyped command, option or subcommand: exit 2 and the closest ones"

# --- version -----------------------------------------------------------------------------
expect_exit 0 "$DOCKET" --version
head -1 "$WORK/out" | grep -qE '^docket [0-9]+\.[0-9]+\.[0-9]+' || fail "--version: $(cat "$WORK/out")"
for lib in libgit2 libxml2 OpenSSL; do grep -q "^$lib [0-9]" "$WORK/out" || fail "--version: no $lib"; done
cp "$WORK/out" "$WORK/version"
expect_exit 0 "$DOCKET" version
cmp -s "$WORK/out" "$WORK/version" || fail "docket version differs from docket --version"
ok "docket --version and docket version: docket, libgit2, libxml2, OpenSSL"

# --- every command's help ----------------------------------------------------------------
expect_exit 0 "$DOCKET" help
sed -n '/^Commands:/,/^$/p' "$WORK/out" | awk 'NF > 1 { print $1 }' >"$WORK/commands"
[ "$(wc -l <"$WORK/commands")" -ge 25 ] || fail "docket help lists $(wc -l <"$WORK/commands") commands"
while read -r cmd; do
	expect_exit 0 "$DOCKET" "$cmd" --help
	cp "$WORK/out" "$WORK/help-$cmd"
	expect_exit 0 "$DOCKET" "$cmd" -h
	cmp -s "$WORK/out" "$WORK/help-$cmd" || fail "$cmd: -h and --help differ"
	expect_exit 0 "$DOCKET" help "$cmd"
	cmp -s "$WORK/out" "$WORK/help-$cmd" || fail "$cmd: help $cmd and --help differ"
	grep -q "^usage: docket $cmd" "$WORK/help-$cmd" || fail "$cmd: no usage line"
	grep -q "^Exit status: " "$WORK/help-$cmd" || fail "$cmd: no exit status"
	# the usage: from 'usage:' to the first blank line; the options: the option lines below
	sed -n '1,/^$/p' "$WORK/help-$cmd" >"$WORK/usage"
	# (an option with a short name appears in the usage by its short name, as in git's)
	sed -n '/^Options/,/^Global options/p' "$WORK/help-$cmd" |
		grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z-]*' | sed -E 's/^  (-[a-zA-Z]), .*/\1/; s/^  //' |
		grep -vx -- -h | sort -u >"$WORK/opts" || true
	[ -s "$WORK/opts" ] || grep -q "^  -h, --help" "$WORK/help-$cmd" || fail "$cmd: no options in the help"
	while read -r opt; do
		grep -qE -- "(^|[[ ])$opt([] ]|\$)" "$WORK/usage" ||
			fail "$cmd: option $opt is in the help but not in the usage: $(cat "$WORK/usage")"
	done <"$WORK/opts"
done <"$WORK/commands"
grep -q -- "^usage: docket submit \[DOC...\] \[-m MESSAGE\]" "$WORK/help-submit" || fail "submit: -m not in the usage"
grep -q -- "^  -m, --message MESSAGE" "$WORK/help-submit" || fail "submit: -m, --message not in the options"
grep -q -- "--set NAME=VALUE\]\.\.\." "$WORK/help-new" || fail "new: --set not shown as repeatable"
ok "every command's --help, -h and help CMD agree; every option in the help is in the usage"

# --- outside a repository -----------------------------------------------------------------
mkdir outside
for cmd in "status" "submit x" "show x" "log x" "audit" "unit list" "org show"; do
	(cd outside && expect_exit 3 "$DOCKET" $cmd)
	[ "$(wc -l <"$WORK/err")" = 1 ] || fail "$cmd outside a repository: not one message: $(cat "$WORK/err")"
	expect_grep "docket: " "$WORK/err"
	expect_grep "not in a docket repository" "$WORK/err"
done
(cd outside && expect_exit 0 "$DOCKET" status --help)
(cd outside && expect_exit 0 "$DOCKET" unit add -h)
ok "a command needing a repository, outside one: exit 3, one message; its help works"

# --- global options after the command; --opt=value; glued -mVALUE ---------------------------
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 "$DOCKET" org set -C "$R" --name="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr=PGDĐT \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place=Cẩm\ Phả
expect_exit 0 d org show
expect_grep "abbr:   PGDĐT" "$WORK/out"
expect_grep "place:  Cẩm Phả" "$WORK/out"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d unit add CTTT --name="Bộ phận Chính trị tư tưởng" --parent=LD
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
expect_exit 0 d person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" --unit CTTT \
	--role drafter --as admin
expect_exit 0 d person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" --unit CTTT \
	--role reviewer --as=admin
expect_exit 0 d person list --json
for p in admin hoa minh; do expect_grep "\"id\": \"$p\"" "$WORK/out"; done
expect_exit 0 d add --draft "$EXAMPLES/354-KH-PGDDT.xml" --as hoa
[ "$(cat "$WORK/out")" = "$DOC" ] || fail "add printed '$(cat "$WORK/out")'"
expect_exit 0 d status "$DOC" --as hoa
expect_grep "hoa may submit" "$WORK/out"
expect_exit 0 d status "$DOC" --as=minh --json
expect_grep '"actor": "minh"' "$WORK/out"
expect_exit 0 "$DOCKET" status "$DOC" -C "$R" --as hoa
expect_grep "hoa may submit" "$WORK/out"
ok "-C and --as after the command, --as=PERSON, --opt=value"

expect_exit 0 d submit "$DOC" -m"Trình lãnh đạo phòng" --as hoa
expect_grep "$DOC: draft -> submitted" "$WORK/out"
git -C "$R" log -1 --format=%B | grep -qxF "Trình lãnh đạo phòng" || fail "-mVALUE: the message is not in the commit"
expect_exit 0 d --as minh return "$DOC" --message="Rà soát lại chỉ tiêu 4"
git -C "$R" log -1 --format=%B | grep -qxF "Rà soát lại chỉ tiêu 4" || fail "--message=VALUE: not in the commit"
expect_exit 0 d --as hoa submit -m "-- lần hai" -- "$DOC"
git -C "$R" log -1 --format=%B | grep -qxF -- "-- lần hai" || fail "-m VALUE starting with --: not in the commit"
expect_exit 2 d --as hoa submit "$DOC" -m
expect_grep "needs a value" "$WORK/err"
expect_exit 2 d show "$DOC" --rev
expect_exit 2 d unit list --json=yes
expect_grep "takes no value" "$WORK/err"
expect_exit 2 d show "$DOC" -- --format
expect_grep "unexpected argument" "$WORK/err"
ok "-mVALUE glued, --message=VALUE, -m VALUE, --; a missing value or a value for a flag: exit 2"

# --- the man page ------------------------------------------------------------------------
expect_exit 0 "$DOCKET" --generate-man
cp "$WORK/out" "$WORK/docket.1"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT "EXIT STATUS" FILES; do
	grep -q "^\.SH \"\?$s\"\?\$" "$WORK/docket.1" || fail "man page: no section $s"
done
for v in DOCKET_ACTOR DOCKET_KEY DOCKET_PASSPHRASE DOCKET_PASSPHRASE_FILE DOCKET_NOW; do
	grep -q "^\.B $v\$" "$WORK/docket.1" || fail "man page: $v not in ENVIRONMENT"
done
while read -r cmd; do
	grep -q "^\.SS \"$cmd\"" "$WORK/docket.1" || fail "man page: no command $cmd"
done <"$WORK/commands"
if command -v groff >/dev/null; then
	groff -ww -man -Tutf8 "$WORK/docket.1" >"$WORK/man.txt" 2>"$WORK/man.err" || fail "groff failed"
	[ ! -s "$WORK/man.err" ] || fail "groff warns: $(head "$WORK/man.err")"
	grep -q "docket unit add ID --name NAME" "$WORK/man.txt" || fail "the rendered man page lacks a usage"
fi
if [ -n "${DOCKET_BUILD:-}" ] && [ -f "$DOCKET_BUILD/docket.1" ]; then
	cmp -s "$WORK/docket.1" "$DOCKET_BUILD/docket.1" || fail "the built docket.1 is not what docket generates"
fi
ok "--generate-man: a docket(1) man page that groff renders without warnings"

# --- bash completion -----------------------------------------------------------------------
expect_exit 0 "$DOCKET" --generate-bash-completion
cp "$WORK/out" "$WORK/completion"
# complete WORD...: the completions of the last WORD, one a line
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _docket; printf "%s\n" "${COMPREPLY[@]}"' \
		complete "$WORK/completion" "$@"
}
complete_words docket sub >"$WORK/c"
grep -qx submit "$WORK/c" || fail "completion of 'docket sub': $(cat "$WORK/c")"
! grep -qx status "$WORK/c" || fail "'docket sub' completes status"
complete_words docket submit -- >"$WORK/c"
grep -qx -- --message "$WORK/c" || fail "completion of 'docket submit --': $(cat "$WORK/c")"
grep -qx -- --help "$WORK/c" || fail "completion of 'docket submit --': no --help"
complete_words docket -C repo --as hoa submit kh-2021-354 --m >"$WORK/c"
grep -qx -- --message "$WORK/c" || fail "completion after global options: $(cat "$WORK/c")"
complete_words docket unit "" >"$WORK/c"
[ "$(sort "$WORK/c" | tr '\n' ' ')" = "add import list " ] || fail "completion of 'docket unit': $(cat "$WORK/c")"
complete_words docket person add hoa --po >"$WORK/c"
grep -qx -- --position "$WORK/c" || fail "completion of 'docket person add --po': $(cat "$WORK/c")"
complete_words docket ca "" >"$WORK/c"
[ "$(sort "$WORK/c" | tr '\n' ' ')" = "init issue " ] || fail "completion of 'docket ca': $(cat "$WORK/c")"
complete_words docket new --set x=1 --te >"$WORK/c"
grep -qx -- --template "$WORK/c" || fail "completion after a value option: $(cat "$WORK/c")"
if [ -n "${DOCKET_BUILD:-}" ] && [ -f "$DOCKET_BUILD/docket.bash-completion" ]; then
	cmp -s "$WORK/completion" "$DOCKET_BUILD/docket.bash-completion" ||
		fail "the built docket.bash-completion is not what docket generates"
fi
ok "--generate-bash-completion: commands, subcommands and each command's options"
