# Shared helpers for docket's end-to-end tests. Source it first:  . "$(dirname "$0")/lib.sh"
# Every test runs in a fresh temporary directory that is removed on exit.
set -eEu
# a command that fails outside expect_exit and friends ends the test (set -e): say which, so
# that no test fails without a word
trap 'echo "FAIL [${TEST_NAME-$(basename "$0" .sh)}]: line $LINENO: \"$BASH_COMMAND\" exited $?" >&2' ERR
: "${DOCKET:?DOCKET must name the docket binary (ctest sets it)}"
: "${DOCKET_SRC:?}"
RES="$DOCKET_SRC/tests/resources"
EXAMPLES="$DOCKET_SRC/examples"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/docket-test.XXXXXX")
trap '[ -n "${KEEP-}" ] || rm -rf "$WORK"' EXIT
cd "$WORK"
export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK/home" TZ=Asia/Ho_Chi_Minh
mkdir -p "$HOME"
git config --global user.name "Docket Test"
git config --global user.email "test@docket.invalid"
git config --global init.defaultBranch main
unset DOCKET_ACTOR DOCKET_KEY DOCKET_PASSPHRASE 2>/dev/null || true

TEST_NAME=$(basename "$0" .sh)
fail() { echo "FAIL [$TEST_NAME]: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# expect_exit CODE CMD...: run CMD, capture stdout/stderr in $WORK/out, $WORK/err; check the code.
expect_exit() {
	local want=$1; shift
	local got=0
	"$@" >"$WORK/out" 2>"$WORK/err" || got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout:"; cat "$WORK/out"; echo "--- stderr:"; cat "$WORK/err"
		fail "expected exit $want, got $got: $*"
	fi
}

# expect_grep PATTERN FILE: FILE contains PATTERN (fixed string).
expect_grep() {
	grep -qF -- "$1" "$2" || { echo "--- $2:"; cat "$2"; fail "'$1' not found in $2"; }
}

# expect_counts FILE WHAT COUNT...: the progress FILE (stderr: counts ended by \r, the last by a
# newline) holds the line "docket: WHAT COUNT" for each COUNT, e.g. expect_counts err "indexing
# history" 0/12 12/12.
expect_counts() {
	local file=$1 what=$2 c
	shift 2
	for c in "$@"; do
		tr '\r' '\n' <"$file" | grep -qxF "docket: $what $c" ||
			{ cat -A "$file"; fail "no 'docket: $what $c' in the progress on stderr"; }
	done
}

# fsck_clean REPO: git fsck --strict passes.
fsck_clean() {
	git -C "$1" fsck --strict --no-progress >"$WORK/fsck" 2>&1 || { cat "$WORK/fsck"; fail "git fsck --strict failed in $1"; }
}

# snapshot REPO: every ref and its target, to prove "nothing changed".
snapshot() {
	git -C "$1" for-each-ref --format='%(refname) %(objectname)' ; git -C "$1" count-objects -v | grep -E '^(count|in-pack):'
}

# enrol REPO ADMIN PERSON...: a test CA (made once, in $WORK/ca), and for each PERSON a key
# at its default place ($HOME/.config/docket/keys/PERSON.pem, which docket uses for
# --as PERSON), a certificate from the CA, recorded in REPO's configuration by ADMIN.
# Transitions that the default workflows sign (review, approve, issue) need it.
export DOCKET_PASSPHRASE=test-passphrase
enrol() {
	local repo=$1 admin=$2 p
	shift 2
	# the tests sign at fixed dates from 2021 on (DOCKET_NOW) and at today's: the CA and the
	# certificates are made as of 2020 and valid ten years, so every signing time is inside
	[ -f "$WORK/ca/ca.pem" ] || DOCKET_NOW=2020-01-01T00:00:00+07:00 "$DOCKET" ca init "$WORK/ca" \
		--name "Test CA" >/dev/null || fail "cannot make the test CA"
	for p in "$@"; do
		"$DOCKET" -C "$repo" key generate --person "$p" >/dev/null || fail "key generate $p"
		DOCKET_NOW=2020-01-01T00:00:00+07:00 "$DOCKET" ca issue --ca "$WORK/ca" \
			"$HOME/.config/docket/keys/$p.pem.csr" --days 3650 \
			--out "$WORK/ca/$p.crt" >/dev/null || fail "ca issue $p"
		"$DOCKET" -C "$repo" --as "$admin" person cert "$p" "$WORK/ca/$p.crt" >/dev/null ||
			fail "person cert $p"
	done
}

# unnumbered_seed FILE: the seed plan as it was before its issue - its number and notation
# empty - at FILE: what 'add' takes as it is (a numbered plan is refused: it was issued)
unnumbered_seed() {
	sed -e 's|<number>354</number>|<number/>|' -e 's|<notation>KH-PGDĐT</notation>|<notation/>|' \
		"$EXAMPLES/354-KH-PGDDT.xml" >"$1" || fail "unnumbered_seed $1"
}

# with_clerk REPO: a records office (unit VT) and its clerk 'thu', who records documents
# issued outside docket ('docket --as thu import FILE'); for repositories set up by no one else
with_clerk() {
	"$DOCKET" -C "$1" unit add VT --name "Văn thư" >/dev/null &&
		"$DOCKET" -C "$1" person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" --unit VT \
			--role clerk >/dev/null || fail "with_clerk $1"
}

# signing_key PERSON: PERSON's key (made by enrol or 'docket key generate'), decrypted for
# ssh-keygen at $WORK/ssh/PERSON.pem with its public half beside it; prints the path. What an
# insider holding her own key uses to sign a commit she makes with plain git.
signing_key() {
	local k=$WORK/ssh/$1.pem
	if [ ! -f "$k" ]; then
		mkdir -p "$WORK/ssh"
		openssl pkcs8 -in "$HOME/.config/docket/keys/$1.pem" -passin env:DOCKET_PASSPHRASE -out "$k" 2>/dev/null ||
			fail "cannot decrypt the key of $1"
		chmod 600 "$k"
		ssh-keygen -y -f "$k" >"$k.pub" || fail "ssh-keygen -y $1"
	fi
	echo "$k"
}
# git_signing PERSON: git -c options that make 'git commit' and 'git tag' sign with PERSON's key
git_signing() {
	echo "-c gpg.format=ssh -c user.signingkey=$(signing_key "$1") -c commit.gpgsign=true"
}
