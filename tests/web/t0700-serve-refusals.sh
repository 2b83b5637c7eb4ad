#!/usr/bin/env bash
# docket serve refuses, with nothing written (refs and object count compared before and
# after): a POST without the CSRF token, or with another session's; a header naming the person
# from an address that is not the proxy's (the client bound to 127.0.0.2); an action the person
# may not take; a 10 MB body; a document id with markup in it (escaped, 404); any POST to a
# read-only server. Also: the security headers, the access log, a clean stop on SIGTERM and
# SIGINT. curl is the client; tests/web/t0710-serve-browser.sh drives a browser.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/setup.sh"
command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }

export DOCKET_NOW=2025-12-05T09:00:00+07:00
DOC=bc-2025-th-qt-1
serve ht --as ht-qt --trust "$CA"
serve px --auth-header X-Remote-User --proxy 127.0.0.1 --trust "$CA"
serve ro --read-only --trust "$CA"

# get NAME URL: GET with the cookie jar of NAME into $WORK/page, the status in $WORK/code
get() {
	curl -s -b "$WORK/jar.$1" -c "$WORK/jar.$1" -D "$WORK/headers" -o "$WORK/page" -w '%{http_code}' "${@:3}" "$2" >"$WORK/code"
}
# post NAME URL DATA [CURL-ARGS...]: the same for a form
post() {
	curl -s -b "$WORK/jar.$1" -c "$WORK/jar.$1" -D "$WORK/headers" -o "$WORK/page" -w '%{http_code}' \
		--data "$3" "${@:4}" "$2" >"$WORK/code"
}
status_is() { [ "$(cat "$WORK/code")" = "$1" ] || { cat "$WORK/page"; fail "$2: HTTP $(cat "$WORK/code"), expected $1"; }; }
token() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/page" | head -1; }
# unchanged WHAT CMD...: CMD leaves every ref and the object count as they were
unchanged() {
	local what=$1 before
	shift
	before=$(snapshot "$R")
	"$@"
	[ "$(snapshot "$R")" = "$before" ] || fail "$what wrote something"
}

# --- headers --------------------------------------------------------------------------------
get ht "$URL_ht/doc/$DOC"
status_is 200 "the report's page"
for h in "Content-Security-Policy: default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'" \
	"X-Content-Type-Options: nosniff" "X-Frame-Options: DENY" "SameSite=Strict" "HttpOnly"; do
	grep -qiF -- "$h" "$WORK/headers" || { cat "$WORK/headers"; fail "no '$h' header"; }
done
grep -q '<script' "$WORK/page" && fail "a page with a script"
expect_grep 'value="submit"' "$WORK/page"
T=$(token)
[ ${#T} = 64 ] || fail "no CSRF token in the form"
ok "security headers, a session cookie (HttpOnly, SameSite=Strict), the submit button with its CSRF token"

# --- CSRF ------------------------------------------------------------------------------------
unchanged "a POST without a token" post ht "$URL_ht/doc/$DOC/act" "transition=submit"
status_is 403 "a POST without a token"
expect_grep "not from this workspace" "$WORK/page"
unchanged "a POST with a wrong token" post ht "$URL_ht/doc/$DOC/act" "transition=submit&csrf=$(printf '%064d' 0)"
status_is 403 "a POST with a wrong token"
unchanged "a POST with another session's token" post other "$URL_ht/doc/$DOC/act" "transition=submit&csrf=$T"
status_is 403 "a POST with another session's token"
unchanged "a POST of the token to another form" post ht "$URL_ht/doc/$DOC/edit" "subject=X&csrf=$T"
status_is 403 "a token of another form"
ok "a POST without the CSRF token, with a wrong one, another session's or another form's: 403, nothing written"

# --- actions the person may not take ---------------------------------------------------------------
# the token of the document's actions is valid; the library refuses the actions themselves
unchanged "approve by a school head" post ht "$URL_ht/doc/$DOC/act" "transition=approve&csrf=$T"
status_is 403 "approve by a school head"
expect_grep "cannot approve" "$WORK/page"
unchanged "submit of an incomplete report" post ht "$URL_ht/doc/$DOC/act" "transition=submit&csrf=$T"
status_is 422 "submit of an incomplete report"
expect_grep "has no result" "$WORK/page"
unchanged "a transition that does not exist" post ht "$URL_ht/doc/$DOC/act" "transition=%3Cb%3E&csrf=$T"
status_is 400 "a transition with markup"
# the school's figures recorded and the report submitted, reviewed at the department (CLI):
# the school head's token of the draft's actions, still valid, cannot approve it either
cp "$R/documents/report/2025/TH-QT/$DOC.xml" "$WORK/skeleton.xml"
perl -0pi -e 's/^[ \t]*<!-- docket: the figures[^\n]*\n//m; s/^[ \t]*-->\n//m' "$R/documents/report/2025/TH-QT/$DOC.xml"
for x in 1=3/3=100 2=118/120=98.33 3=60/60=100 4.1=398/400=99.5 4.2=0/1200=0 5.1=2000/2000=100 5.2=0/600=0 6=1/1=100 7.1=1/1=100 7.2=4/5=80; do
	IFS='=' read -r i f v <<<"$x"
	I=$i N=${f%/*} D=${f#*/} V=$v perl -pi -e 's{<result indicator="\Q$ENV{I}\E" numerator="…" denominator="…" value="…"/>}{<result indicator="$ENV{I}" numerator="$ENV{N}" denominator="$ENV{D}" value="$ENV{V}"/>}' \
		"$R/documents/report/2025/TH-QT/$DOC.xml"
done
expect_exit 0 d --as gv-qt commit $DOC -m "Số liệu năm 2025"
expect_exit 0 d --as ht-qt submit $DOC
expect_exit 0 d --as minh review $DOC
unchanged "approve by a school head" post ht "$URL_ht/doc/$DOC/act" "transition=approve&csrf=$T"
status_is 403 "approve of a reviewed report by a school head"
expect_grep "cannot approve" "$WORK/page"
get ht "$URL_ht/doc/$DOC"
grep -q 'name="transition"' "$WORK/page" && fail "a button for a transition ht-qt may not take"
ok "an action the person may not take (approve by a school head, submit of an incomplete report): refused, nothing written"

# --- the proxy's header -----------------------------------------------------------------------
get px "$URL_px/doc/$DOC" -H "X-Remote-User: lan"
status_is 200 "the proxy naming lan"
expect_grep "Người thực hiện: lan" "$WORK/page"
expect_grep 'value="approve"' "$WORK/page"
LT=$(token)
unchanged "a forged header" get forged "$URL_px/doc/$DOC" -H "X-Remote-User: lan" --interface 127.0.0.2
status_is 403 "the header from 127.0.0.2"
expect_grep "accepted from the proxy only" "$WORK/page"
unchanged "a forged header on a POST" post px "$URL_px/doc/$DOC/act" "transition=approve&csrf=$LT" \
	-H "X-Remote-User: lan" --interface 127.0.0.2
status_is 403 "a POST with the header from 127.0.0.2"
get forged "$URL_px/" --interface 127.0.0.2
status_is 403 "a request from 127.0.0.2 without the header"
unchanged "lan's token sent for gv-qt" post px "$URL_px/doc/$DOC/act" "transition=approve&csrf=$LT" -H "X-Remote-User: gv-qt"
status_is 403 "lan's token with another person"
get px "$URL_px/doc/$DOC" -H "X-Remote-User: nobody"
status_is 403 "a person the organisation does not have"
ok "--auth-header: believed from the proxy's address only; another address (127.0.0.2) refused 403, with or without it"

# --- a 10 MB body -------------------------------------------------------------------------------
head -c 10485760 /dev/zero | tr '\0' 'a' >"$WORK/big"
unchanged "a 10 MB body" post px "$URL_px/doc/$DOC/act" "@$WORK/big" -H "X-Remote-User: lan"
status_is 413 "a 10 MB body"
{ printf 'transition=approve&csrf=%s&message=' "$LT"; cat "$WORK/big"; } >"$WORK/big2"
unchanged "a 10 MB chunked body" post px "$URL_px/doc/$DOC/act" "@$WORK/big2" -H "X-Remote-User: lan" \
	-H "Transfer-Encoding: chunked"
status_is 413 "a 10 MB chunked body"
ok "a 10 MB body (announced, and chunked): 413, nothing written"

# --- markup in a document id ---------------------------------------------------------------------
unchanged "an id with markup" get ht "$URL_ht/doc/%3Cimg%20src=x%20onerror=alert(1)%3E"
status_is 404 "an id with markup"
grep -q '<img' "$WORK/page" && fail "the id's markup is in the page"
expect_grep "no document &#39;&lt;img src=x onerror=alert(1)&gt;&#39;" "$WORK/page"
get ht "$URL_ht/?q=%3Cscript%3E&unit=%22%3E%3Cb%3E"
status_is 200 "a search with markup"
grep -qE '<script|<b>' "$WORK/page" && fail "the search's markup is in the page"
ok "a document id or a search with markup: escaped (404 for the id)"

# --- read-only ----------------------------------------------------------------------------------
get ro "$URL_ro/doc/$DOC"
status_is 200 "the read-only page"
grep -q 'method="post"' "$WORK/page" && fail "the read-only workspace offers an action"
unchanged "a POST to the read-only server" post ro "$URL_ro/doc/$DOC/act" "transition=approve"
status_is 403 "a POST to the read-only server"
ok "--read-only: no action offered, POST refused 403"

# --- finally: the approval through the proxy works, the log, the stop ----------------------------
post px "$URL_px/doc/$DOC/act" "transition=approve&csrf=$LT" -H "X-Remote-User: lan"
status_is 303 "lan's approval through the proxy"
[ "$(git -C "$R" log -1 --format=%an)" = "Lê Thị Lan" ] || fail "the commit's author is not lan"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Transition: approve" || fail "no approve trailer"
git -C "$R" log -1 --format=%B | grep -qx "Docket-Actor: lan" || fail "no actor trailer"
expect_exit 0 d audit --trust "$CA"
ok "lan approves through the proxy: the CLI's commit and trailers, signed; the audit is clean"

grep -qE '^127\.0\.0\.1 - lan \[[^]]*\] "POST /doc/bc-2025-th-qt-1/act" 303 0$' "$WORK/px.log" || { cat "$WORK/px.log"; fail "no access log line"; }
grep -qE '^127\.0\.0\.2 - - \[[^]]*\] "GET /" 403 ' "$WORK/px.log" || fail "the refused request is not logged"
kill -TERM "$PID_ht"
wait "$PID_ht" || fail "docket serve did not exit 0 on SIGTERM"
expect_grep "docket: stopped (SIGTERM)" "$WORK/ht.log"
kill -INT "$PID_ro"
wait "$PID_ro" || fail "docket serve did not exit 0 on SIGINT"
expect_grep "docket: stopped (SIGINT)" "$WORK/ro.log"
expect_exit 2 d serve --auth-header X-Remote-User --read-only
expect_exit 3 d serve --listen 127.0.0.1:99999
fsck_clean "$R"
ok "an access log line per request; SIGTERM and SIGINT stop it cleanly; usage errors"
