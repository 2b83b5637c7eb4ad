#!/usr/bin/env bash
# Signed approvals end to end, through the real binary and checked with independent tools:
# - the seed plan walked through its workflow by people signing with their own P-256 keys
#   at the default place (hoa submits, minh reviews, lan approves, thu issues); xmlsec1
#   accepts every ds:Signature docket made; `docket verify` (text and --json) names three
#   good signatures; `docket signers` as git's allowedSignersFile makes stock
#   `git verify-commit` accept every transition commit, and refuse lan's once her key is
#   left out of it;
# - keys: mode 0600, never overwritten, wrong passphrase refused; a signed transition without
#   a key, without a recorded certificate, or with another person's key is refused and
#   commits nothing;
# - forgeries committed with plain git, each refused by `docket verify` (exit 1) with its own
#   message: content or header changed after signing, a signature moved to another document,
#   signature wrapping, duplicate Ids, an attacker's key in KeyValue or in a self-made
#   certificate, a signature by a person without the role (or by a certificate recorded for
#   two people), expired and not-yet-valid certificates, a different CA;
# - docket accepts a signature xmlsec1 makes on docket's own template;
# - the seed plan again, approved with a key on a SoftHSM2 token (skipped only when SoftHSM2
#   is not installed).
. "$(dirname "$0")/lib.sh"

R=$WORK/pgd
DOC=kh-2021-354
F=documents/plan/2021/CTTT/$DOC.xml
CA=$WORK/ca/ca.pem
KEYS=$HOME/.config/docket/keys
DSIG=http://www.w3.org/2000/09/xmldsig#

d() { "$DOCKET" -C "$R" "$@"; }
count() { git -C "$R" rev-list --count main; }

# jf FIELD... < JSON: each field (a dot path: valid, signatures.0.id) on its own line
jf() {
	perl -MJSON::PP -e '
		binmode STDOUT, ":encoding(UTF-8)";
		my $j = JSON::PP->new->utf8->decode(do { local $/; <STDIN> });
		for my $path (@ARGV) {
			my $v = $j;
			for my $k (split /\./, $path) { $v = ref $v eq "ARRAY" ? $v->[$k] : $v->{$k}; }
			print !defined $v ? "null" : JSON::PP::is_bool($v) ? ($v ? "true" : "false") : $v, "\n";
		}' "$@"
}

# one_commit WHAT CMD...: CMD exits 0 and writes exactly one commit on main of $R
one_commit() {
	local what=$1 before
	shift
	before=$(count)
	expect_exit 0 "$@"
	[ "$(count)" = $((before + 1)) ] || fail "$what: expected one new commit, got $(($(count) - before))"
}

# refused REPO WHAT PHRASE CMD...: CMD exits 1 naming PHRASE, and REPO is exactly as it was
refused() {
	local repo=$1 what=$2 phrase=$3 before
	shift 3
	before=$(snapshot "$repo")
	expect_exit 1 "$@"
	expect_grep "$phrase" "$WORK/err"
	[ "$(snapshot "$repo")" = "$before" ] || fail "$what: refused, but the repository changed"
	[ -z "$(git -C "$repo" status --porcelain --untracked-files=all)" ] || fail "$what: the work tree is not clean"
}

# sig_ids FILE: the Id of every XML-DSig Signature element of FILE, one a line
sig_ids() {
	xmllint --xpath "//*[local-name()='Signature' and namespace-uri()='$DSIG']/@Id" "$1" 2>/dev/null |
		sed -n 's/^ *Id="\([^"]*\)"$/\1/p'
}

XS_IDS=(--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content
	--id-attr:Id urn:docket:document:1:header)
# xs FILE SIG [TRUST]: xmlsec1's verdict on signature SIG, as the issue's "Must show" runs it
xs() {
	xmlsec1 --verify --trusted-pem "${3:-$CA}" --enabled-key-data x509 "${XS_IDS[@]}" \
		--node-xpath "//*[local-name()='Signature'][@Id='$2']" "$1" >"$WORK/xs.out" 2>&1
}
# xs_sign FILE SIG KEY[,CERT]: xmlsec1 signs the template of signature SIG in FILE, in place
xs_sign() {
	xmlsec1 --sign --privkey-pem "$3" "${XS_IDS[@]}" \
		--node-xpath "//*[local-name()='Signature'][@Id='$2']" --output "$1.new" "$1" >"$WORK/xs.out" 2>&1 ||
		{ cat "$WORK/xs.out"; fail "xmlsec1 --sign $2 failed"; }
	mv "$1.new" "$1"
}
# strip_sig FILE SIG MODE [CERT]: turn docket's signature SIG back into a template for
# xmlsec1: every DigestValue of SignedInfo and the SignatureValue emptied; MODE x509 empties
# the X509Certificate (xmlsec1 writes the one given with the key), MODE keyvalue puts an
# empty KeyValue in KeyInfo instead (and RSA-SHA256: xmlsec1 1.2.37 cannot write an ECDSA
# KeyValue); with CERT, the signed SigningCertificateV2 names CERT.
strip_sig() {
	local dg=""
	[ -z "${4-}" ] || dg=$(openssl x509 -in "$4" -outform DER | openssl dgst -sha256 -binary | base64)
	SIG=$2 MODE=$3 DG=$dg perl -0pi -e '
		sub fix {
			my $b = shift;
			$b =~ s{(<ds:SignedInfo>.*?</ds:SignedInfo>)}{my $i = $1;
				$i =~ s{<ds:DigestValue>[^<]*</ds:DigestValue>}{<ds:DigestValue></ds:DigestValue>}g; $i}se or die "no SignedInfo\n";
			$b =~ s{<ds:SignatureValue>[^<]*</ds:SignatureValue>}{<ds:SignatureValue></ds:SignatureValue>} or die "no SignatureValue\n";
			if ($ENV{MODE} eq "keyvalue") {
				$b =~ s{<ds:KeyInfo>.*?</ds:KeyInfo>}{<ds:KeyInfo><ds:KeyValue/></ds:KeyInfo>}s or die "no KeyInfo\n";
				$b =~ s{xmldsig-more#ecdsa-sha256}{xmldsig-more#rsa-sha256} or die "not ECDSA\n";
			} else {
				$b =~ s{<ds:X509Certificate>[^<]*</ds:X509Certificate>}{<ds:X509Certificate/>} or die "no X509Certificate\n";
			}
			if ($ENV{DG}) {
				$b =~ s{(<xades:CertDigest>.*?<ds:DigestValue>)[^<]*}{$1$ENV{DG}}s or die "no CertDigest\n";
			}
			return $b;
		}
		s{(<ds:Signature [^>]*Id="\Q$ENV{SIG}\E">)(.*?)(</ds:Signature>)}{$1 . fix($2) . $3}se
			or die "no signature $ENV{SIG}\n";' "$1" || fail "cannot make a template of $2 in $1"
}
# plain PERSON: PERSON's key, decrypted to unencrypted PKCS#8 for xmlsec1
plain() {
	openssl pkcs8 -in "$KEYS/$1.pem" -passin env:DOCKET_PASSPHRASE -out "$WORK/$1-plain.pem" ||
		fail "openssl cannot decrypt the key of $1"
	echo "$WORK/$1-plain.pem"
}

# fork NAME: a copy of $R at $WORK/NAME for a forgery or an experiment ($FR, $FF: its document)
fork() {
	FR=$WORK/fork-$1
	cp -a "$R" "$FR"
	FF=$FR/$F
}
# forged REPO MESSAGE: commit the forger's edit with plain git (no docket)
forged() { git -C "$1" commit -q -a -m "$2" || fail "git commit in $1"; }
# verify_refused REPO DOC PHRASE [SIG...]: docket verify exits 1 naming PHRASE; each SIG FAILs
# (and the others are ok when SIGs are given)
verify_refused() {
	local repo=$1 doc=$2 phrase=$3 s
	shift 3
	expect_exit 1 "$DOCKET" -C "$repo" verify "$doc" --trust "$CA"
	expect_grep "$phrase" "$WORK/out"
	for s in "$@"; do grep -q "^FAIL $s: .*$phrase" "$WORK/out" || { cat "$WORK/out"; fail "$s does not fail with '$phrase'"; }; done
	if [ $# -gt 0 ]; then
		grep '^FAIL ' "$WORK/out" | sed 's/^FAIL \([^:]*\):.*/\1/' >"$WORK/failed"
		printf '%s\n' "$@" | diff -u - "$WORK/failed" || fail "other signatures than '$*' fail"
	fi
}

# ==== the organisation, its people, their keys and certificates ==============================
expect_exit 0 "$DOCKET" init "$R"
expect_exit 0 d org set --name "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" --abbr "PGDĐT" \
	--parent "UBND THÀNH PHỐ CẨM PHẢ" --place "Cẩm Phả"
expect_exit 0 d unit add LD --name "Lãnh đạo phòng"
expect_exit 0 d unit add CTTT --name "Bộ phận Chính trị tư tưởng" --parent LD
expect_exit 0 d unit add VT --name "Văn thư" --parent LD
expect_exit 0 d person add admin --name "Đỗ Văn Quản" --position "CHUYÊN VIÊN" --unit LD --role admin
expect_exit 0 d --as admin person add hoa --name "Nguyễn Thị Hoa" --position "CHUYÊN VIÊN" \
	--unit CTTT --role drafter --email hoa@pgd.example
expect_exit 0 d --as admin person add minh --name "Trần Văn Minh" --position "TỔ TRƯỞNG CTTT" \
	--unit CTTT --role reviewer --email minh@pgd.example
expect_exit 0 d --as admin person add lan --name "Lê Thị Lan" --position "PHÓ TRƯỞNG PHÒNG" \
	--unit LD --role approver --email lan@pgd.example
expect_exit 0 d --as admin person add thu --name "Phạm Thị Thu" --position "VĂN THƯ" \
	--unit VT --role clerk --email thu@pgd.example
enrol "$R" admin admin hoa minh lan thu

# --- keys: 0600, encrypted, never overwritten ------------------------------------------------
for p in hoa minh lan thu; do
	[ "$(stat -c %a "$KEYS/$p.pem")" = 600 ] || fail "$KEYS/$p.pem has mode $(stat -c %a "$KEYS/$p.pem"), expected 600"
	grep -q -- '-----BEGIN ENCRYPTED PRIVATE KEY-----' "$KEYS/$p.pem" || fail "$p's key is not encrypted PKCS#8"
	[ -f "$KEYS/$p.pem.csr" ] || fail "no CSR beside $p's key"
done
cp "$KEYS/lan.pem" "$WORK/lan.pem.before"
cp "$KEYS/lan.pem.csr" "$WORK/lan.csr.before"
expect_exit 1 d key generate --person lan
expect_grep "already exists" "$WORK/err"
cmp -s "$KEYS/lan.pem" "$WORK/lan.pem.before" || fail "key generate overwrote lan's key"
cmp -s "$KEYS/lan.pem.csr" "$WORK/lan.csr.before" || fail "key generate overwrote lan's CSR"
[ "$(stat -c %a "$KEYS/lan.pem")" = 600 ] || fail "lan's key changed mode"
expect_exit 1 d key generate --person lan --out "$KEYS/lan.pem"
cmp -s "$KEYS/lan.pem" "$WORK/lan.pem.before" || fail "key generate --out overwrote lan's key"
ok "keys: encrypted PKCS#8 of mode 0600 with a CSR beside; a second 'key generate' exits 1, both files unchanged"

# ==== the seed plan, signed at every step ====================================================
one_commit "add" d --as hoa add --draft "$EXAMPLES/354-KH-PGDDT.xml"
one_commit "submit" d --as hoa submit "$DOC" -m "Trình lãnh đạo phòng xem xét"

# --- refusals while it waits for minh's review: nothing is committed ------------------------
refused "$R" "wrong passphrase" "wrong passphrase" \
	env DOCKET_PASSPHRASE=not-minhs-passphrase "$DOCKET" -C "$R" --as minh review "$DOC"
# no key at all: no DOCKET_KEY and nothing at the default place
mkdir -p "$WORK/no-keys"
refused "$R" "no key" "DOCKET_KEY" env XDG_CONFIG_HOME="$WORK/no-keys" "$DOCKET" -C "$R" --as minh review "$DOC"
expect_grep "requires minh's signature" "$WORK/err"
# a person with a key but no certificate recorded
expect_exit 0 d --as admin person add tuan --name "Vũ Văn Tuấn" --position "TỔ PHÓ CTTT" \
	--unit CTTT --role reviewer --email tuan@pgd.example
expect_exit 0 d key generate --person tuan
refused "$R" "no certificate" "'tuan' has no certificate" d --as tuan review "$DOC"
ok "a signed transition is refused (exit 1, nothing committed): wrong passphrase; no key (message names DOCKET_KEY); no recorded certificate"

one_commit "review" d --as minh review "$DOC"
# lan's approval with the drafter's key: the key is not the one lan's certificate certifies
refused "$R" "another person's key" "the certificate is not for this key" \
	env DOCKET_KEY="$KEYS/hoa.pem" "$DOCKET" -C "$R" --as lan approve "$DOC"
ok "approving as lan with hoa's key (DOCKET_KEY) is refused: the key does not match lan's certificate"
one_commit "approve" d --as lan approve "$DOC"
one_commit "issue" d --as thu issue "$DOC"
fsck_clean "$R"
git -C "$R" cat-file blob "HEAD:$F" >"$WORK/plan.xml"
cmp -s "$WORK/plan.xml" "$R/$F" || fail "the work tree copy of $F differs from HEAD"

# --- xmlsec1 accepts every signature docket made ----------------------------------------------
sig_ids "$WORK/plan.xml" >"$WORK/ids"
printf '%s\n' sig-1 sig-2 sig-3 | diff -u - "$WORK/ids" || fail "the issued plan's signatures"
while read -r s; do
	xs "$WORK/plan.xml" "$s" || { cat "$WORK/xs.out"; fail "xmlsec1 refuses $s"; }
	grep -qx OK "$WORK/xs.out" || fail "xmlsec1 did not say OK for $s"
done <"$WORK/ids"
grep -q '<header Id="header">' "$WORK/plan.xml" || fail "the header has no Id for the issue signature"
[ "$(xmllint --xpath "count(//*[local-name()='Signature'][@Id='sig-3']//*[local-name()='Reference'][@URI='#header'])" "$WORK/plan.xml")" = 1 ] ||
	fail "the issue signature does not cover the header (number and date)"
ok "xmlsec1 --verify --enabled-key-data x509 --trusted-pem ca.pem accepts sig-1, sig-2 and sig-3 (sig-3 covers the header)"

# --- docket verify ------------------------------------------------------------------------------
expect_exit 0 d verify "$DOC" --trust "$CA"
grep -c '^ok   sig-' "$WORK/out" | grep -qx 3 || { cat "$WORK/out"; fail "verify: expected 3 ok lines"; }
expect_exit 0 d verify "$DOC" --trust "$CA" --json
jf document valid signatures.0.id signatures.0.ok signatures.0.meaning signatures.0.signer signatures.0.person \
	signatures.0.transition signatures.0.problem \
	signatures.1.id signatures.1.ok signatures.1.meaning signatures.1.signer signatures.1.person \
	signatures.1.transition signatures.1.problem \
	signatures.2.id signatures.2.ok signatures.2.meaning signatures.2.signer signatures.2.person \
	signatures.2.transition signatures.2.problem signatures.3 <"$WORK/out" >"$WORK/json" ||
	fail "verify --json is not JSON: $(cat "$WORK/out")"
cat >"$WORK/want" <<EOF
$DOC
true
sig-1
true
review
Trần Văn Minh
minh
review
null
sig-2
true
approval
Lê Thị Lan
lan
approve
null
sig-3
true
origin
Phạm Thị Thu
thu
issue
null
null
EOF
diff -u "$WORK/want" "$WORK/json" || fail "verify --json"
for i in 0 1 2; do
	jf "signatures.$i.time" <"$WORK/out" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+07:00$' ||
		fail "signature $i: signing time not in +07:00"
done
ok "docket verify --trust ca.pem: exit 0; --json: 3 ok signatures, review/approval/origin by Trần Văn Minh, Lê Thị Lan, Phạm Thị Thu"

# --- stock git verifies every transition commit -----------------------------------------------
expect_exit 0 d signers
cp "$WORK/out" "$WORK/allowed"
for p in hoa minh lan thu; do
	grep -q "^$p@pgd.example namespaces=\"git\" ecdsa-sha2-nistp256 " "$WORK/allowed" ||
		{ cat "$WORK/allowed"; fail "docket signers has no line for $p"; }
	ssh-keygen -y -f "$(plain "$p")" | cut -d' ' -f1,2 >"$WORK/pub"
	grep "^$p@" "$WORK/allowed" | cut -d' ' -f3,4 | diff -u "$WORK/pub" - || fail "the signers line of $p is not her key"
done
git -C "$R" log --format=%H --grep='^Docket-Transition:' >"$WORK/transitions"
[ "$(wc -l <"$WORK/transitions")" = 4 ] || fail "expected 4 transition commits, got $(wc -l <"$WORK/transitions")"
while read -r c; do
	git -C "$R" cat-file commit "$c" | grep -q '^gpgsig -----BEGIN SSH SIGNATURE-----' || fail "commit $c is not SSH-signed"
	git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed" verify-commit "$c" >"$WORK/gv" 2>&1 ||
		{ cat "$WORK/gv"; fail "git verify-commit refuses transition commit $c"; }
	who=$(git -C "$R" log -1 --format=%ae "$c")
	grep -qF "Good \"git\" signature for $who" "$WORK/gv" || { cat "$WORK/gv"; fail "commit $c: not a good signature for its author $who"; }
done <"$WORK/transitions"
# the signers file without lan's key: her approval is refused, the others still pass
grep -v '^lan@' "$WORK/allowed" >"$WORK/allowed-without-lan"
approve=$(git -C "$R" log -1 --format=%H --grep='^Docket-Transition: approve$')
review=$(git -C "$R" log -1 --format=%H --grep='^Docket-Transition: review$')
if git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed-without-lan" verify-commit "$approve" >"$WORK/gv" 2>&1; then
	cat "$WORK/gv"; fail "git verify-commit accepts lan's commit with a signers file lacking her key"
fi
expect_grep "No principal matched" "$WORK/gv"
git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed-without-lan" verify-commit "$review" >/dev/null 2>&1 ||
	fail "git verify-commit refuses minh's commit with a signers file lacking only lan's key"
ok "git verify-commit with 'docket signers' accepts the 4 transition commits (good signature for each author); without lan's line it refuses her approval"

# a second plan, same content, in review: the CLI experiments below approve it in copies of $R
DOC2=kh-2021-355
one_commit "add $DOC2" d --as hoa add --draft --id "$DOC2" "$EXAMPLES/354-KH-PGDDT.xml"
one_commit "submit $DOC2" d --as hoa submit "$DOC2"
one_commit "review $DOC2" d --as minh review "$DOC2"

# ==== forgeries, committed with plain git: docket verify refuses each ========================
# content changed after approval: a target of indicator 2 lowered from 99.1 to 90
fork content
perl -0pi -e 's{(<content Id="content">.*?<target year="2025" )value="99.1"}{${1}value="90"}s or die' "$FF" ||
	fail "cannot edit the target"
forged "$FR" "lower a target"
verify_refused "$FR" "$DOC" "content changed after signing" sig-1 sig-2 sig-3
expect_exit 1 "$DOCKET" -C "$FR" verify "$DOC" --trust "$CA" --json
[ "$(jf valid signatures.1.ok signatures.1.problem <"$WORK/out" | tr '\n' '|')" = "false|false|content changed after signing|" ] ||
	fail "verify --json of the changed content: $(cat "$WORK/out")"
xs "$FF" sig-2 && fail "xmlsec1 accepts the changed content"
ok "content changed after approval (a target lowered, git commit): exit 1, each signature 'content changed after signing'"

# the number changed after issue: only the organisation's signature covers the header
fork header
perl -0pi -e 's{(<header Id="header">.*?)<number>01</number>}{$1<number>02</number>}s or die' "$FF" ||
	fail "cannot edit the number"
forged "$FR" "renumber"
verify_refused "$FR" "$DOC" "header changed after signing" sig-3
ok "number changed after issue: exit 1, sig-3 'header changed after signing', sig-1 and sig-2 still ok"

# a signature moved to another document with the very same content: the digests still match
# (xmlsec1 accepts it), but the signature names the document it was made for
fork moved
expect_exit 0 "$DOCKET" -C "$FR" --as hoa add --draft --id kh-2021-360 "$EXAMPLES/354-KH-PGDDT.xml"
G=$FR/documents/plan/2021/CTTT/kh-2021-360.xml
SIG=$(perl -0ne 'print $1 if /(<ds:Signature [^>]*Id="sig-2">.*?<\/ds:Signature>)/s' "$FF")
[ -n "$SIG" ] || fail "cannot cut sig-2"
SIG=$SIG perl -0pi -e 's{</document>}{  <signatures>\n    $ENV{SIG}\n  </signatures>\n</document>} or die' "$G"
forged "$FR" "borrow lan's approval"
xs "$G" sig-2 || { cat "$WORK/xs.out"; fail "xmlsec1 refuses the moved signature: the test no longer shows a real move"; }
verify_refused "$FR" kh-2021-360 "signature references a different document ('$DOC'; this document is 'kh-2021-360')" sig-2
ok "lan's signature copied into kh-2021-360 (same content, xmlsec1 still says OK): exit 1, 'references a different document'"

# signature wrapping: the signed content moved into a ds:Object of sig-2, unsigned content
# (target lowered) put where docket reads, under another Id. xmlsec1 falls for it.
fork wrapping
perl -0pi -e '
	my ($c) = /(<content Id="content">.*?<\/content>)/s or die "no content\n";
	(my $f = $c) =~ s/Id="content"/Id="content-2"/;
	$f =~ s/value="99.1"/value="90"/ or die "no target\n";
	s/\Q$c\E/$f/ or die;
	s{(Id="sig-2">.*?)(\s*</ds:Signature>)}{$1\n      <ds:Object>$c</ds:Object>$2}s or die "no sig-2\n";' "$FF" ||
	fail "cannot wrap"
forged "$FR" "wrap"
for s in sig-1 sig-2 sig-3; do
	xs "$FF" "$s" || { cat "$WORK/xs.out"; fail "xmlsec1 refuses the wrapped $s: the test no longer shows wrapping"; }
done
verify_refused "$FR" "$DOC" "signature wrapping: reference '#content' points to a content element that is not the document's content" \
	sig-1 sig-2 sig-3
ok "signature wrapping (signed content in a ds:Object, unsigned content in place; xmlsec1 accepts): exit 1, 'signature wrapping'"

# duplicate Ids: a second element with Id="content", then with the Id of sig-1's properties
fork dup-content
perl -0pi -e 's{(Id="sig-2">.*?)(\s*</ds:Signature>)}{$1\n      <ds:Object Id="content"/>$2}s or die' "$FF" || fail "dup"
forged "$FR" "duplicate Id"
verify_refused "$FR" "$DOC" "duplicate Id 'content'" sig-1 sig-2 sig-3
fork dup-props
perl -0pi -e 's{(Id="sig-2">.*?)(\s*</ds:Signature>)}{$1\n      <ds:Object Id="sig-1-props"/>$2}s or die' "$FF" || fail "dup"
forged "$FR" "duplicate Id"
verify_refused "$FR" "$DOC" "duplicate Id 'sig-1-props'" sig-1
ok "duplicate Ids ('content'; 'sig-1-props'): exit 1, 'duplicate Id' for each signature referencing it"

# an attacker's key in KeyValue: lan's approval re-signed by xmlsec1 with a self-made RSA key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/evil-rsa.pem" 2>/dev/null ||
	fail "openssl genpkey"
fork keyvalue
strip_sig "$FF" sig-2 keyvalue
xs_sign "$FF" sig-2 "$WORK/evil-rsa.pem"
grep -q '<ds:RSAKeyValue>' "$FF" || fail "xmlsec1 wrote no RSAKeyValue"
forged "$FR" "re-sign the approval"
# without --enabled-key-data x509 xmlsec1 takes the KeyValue: the forgery is sound crypto
xmlsec1 --verify "${XS_IDS[@]}" --node-xpath "//*[local-name()='Signature'][@Id='sig-2']" "$FF" >/dev/null 2>&1 ||
	fail "xmlsec1 refuses the KeyValue signature even without x509: the test no longer shows the attack"
xs "$FF" sig-2 && fail "xmlsec1 --enabled-key-data x509 accepts a KeyValue signature"
verify_refused "$FR" "$DOC" "the signature's key is given only as a KeyValue, which is never trusted" sig-2
ok "an attacker's RSA key in KeyValue (xmlsec1 alone would accept it): exit 1, 'KeyValue, which is never trusted'"

# the attacker's self-signed certificate (CN Lê Thị Lan) in X509Certificate, named in the
# signed properties too
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/evil.pem" 2>/dev/null || fail "openssl ecparam"
openssl req -new -x509 -utf8 -key "$WORK/evil.pem" -subj "/CN=Lê Thị Lan/emailAddress=lan@pgd.example" \
	-days 30 -out "$WORK/evil.crt" 2>/dev/null || fail "openssl req -x509"
fork selfmade
strip_sig "$FF" sig-2 x509 "$WORK/evil.crt"
xs_sign "$FF" sig-2 "$WORK/evil.pem,$WORK/evil.crt"
forged "$FR" "re-sign the approval"
xs "$FF" sig-2 "$WORK/evil.crt" || { cat "$WORK/xs.out"; fail "xmlsec1 trusting the attacker's certificate refuses: not a sound forgery"; }
xs "$FF" sig-2 && fail "xmlsec1 accepts the attacker's certificate with the test CA"
verify_refused "$FR" "$DOC" "certificate not issued by the trusted CA" sig-2
ok "an attacker's self-made certificate for 'Lê Thị Lan': exit 1, 'not issued by the trusted CA'"

# a person without the role: hoa (drafter, CA-certified) signs lan's approval with xmlsec1; she
# leaves out the step binding (Step, StepsDigest), as a signature made before it would have none
fork role
strip_sig "$FF" sig-2 x509 "$WORK/ca/hoa.crt"
SIG=sig-2 perl -0pi -e 's{(<ds:Signature [^>]*Id="\Q$ENV{SIG}\E">.*?</ds:Signature>)}{my $b = $1;
	$b =~ s{\s*<d:Step>[^<]*</d:Step>}{} or die "no Step\n"; $b =~ s{\s*<d:StepsDigest>[^<]*</d:StepsDigest>}{} or die "no StepsDigest\n"; $b}se' "$FF" ||
	fail "cannot take the step binding out of sig-2"
xs_sign "$FF" sig-2 "$(plain hoa),$WORK/ca/hoa.crt"
forged "$FR" "hoa signs the approval"
xs "$FF" sig-2 || { cat "$WORK/xs.out"; fail "xmlsec1 refuses hoa's signature: it is CA-issued and should hold"; }
verify_refused "$FR" "$DOC" "signed with a certificate that is not the one recorded for 'lan'" sig-2
# ... and the workflow step rewritten to name hoa as the approver
perl -pi -e 's{actor="lan" role="approver" transition="approve"}{actor="hoa" role="approver" transition="approve"}' "$FF"
grep -q 'actor="hoa" role="approver"' "$FF" || fail "cannot rewrite the step"
forged "$FR" "hoa approved"
verify_refused "$FR" "$DOC" "'hoa' did not hold a role allowed to approve (approver)"
# the issue's signature is bound to the steps up to its own, the rewritten one among them
verify_refused "$FR" "$DOC" "the workflow steps up to step 4 are not those it was signed after"
grep -q "^FAIL sig-2: .*'hoa' did not hold a role allowed to approve" "$WORK/out" || fail "sig-2 is not refused for hoa's role"
grep -q "^FAIL sig-3: .*the workflow steps up to step 4 are not those it was signed after" "$WORK/out" ||
	fail "sig-3 (the issue) still holds over a rewritten step"
ok "the drafter's (CA-issued) certificate on the approval: exit 1, 'not the one recorded for lan'; with the step rewritten to hoa, 'did not hold a role allowed to approve', and the issue's signature bound to the rewritten steps fails"

# a Signature Id with a quote and a backslash: verify --json still prints JSON (the strings
# it prints come from the document)
fork json
perl -pi -e 's{Id="sig-2">}{Id="sig-2&quot;\\x">}' "$FF"
grep -q 'Id="sig-2&quot;\\x">' "$FF" || fail "cannot rename sig-2"
forged "$FR" "rename sig-2"
expect_exit 1 "$DOCKET" -C "$FR" verify "$DOC" --trust "$CA" --json
[ "$(jf valid signatures.1.id signatures.1.ok <"$WORK/out" | tr '\n' '|')" = 'false|sig-2"\x|false|' ] ||
	fail "verify --json with a hostile Id: $(cat "$WORK/out")"
expect_grep "do not name this signature as their target" "$WORK/out"
ok "a Signature Id with '\"' and '\\': exit 1, and verify --json escapes it"

# a different CA
expect_exit 0 "$DOCKET" ca init "$WORK/other-ca" --name "Other CA"
expect_exit 1 d verify "$DOC" --trust "$WORK/other-ca/ca.pem"
[ "$(grep -c '^FAIL sig-[123]: .*certificate not issued by the trusted CA' "$WORK/out")" = 3 ] ||
	{ cat "$WORK/out"; fail "verify --trust other-ca.pem"; }
xs "$WORK/plan.xml" sig-2 "$WORK/other-ca/ca.pem" && fail "xmlsec1 accepts with another CA"
ok "--trust another CA: exit 1, each signature 'not issued by the trusted CA'"

# ==== certificates through the CLI: recorded by the admin, used by lan =======================
# hoa's certificate recorded as lan's too: hoa's key can then take lan's step. docket signs
# (the recorded certificate matches the key), but a certificate recorded for two people does
# not identify the signer: verify refuses.
fork shared-cert
expect_exit 0 "$DOCKET" -C "$FR" --as admin person cert lan "$WORK/ca/hoa.crt"
expect_exit 0 env DOCKET_KEY="$KEYS/hoa.pem" "$DOCKET" -C "$FR" --as lan approve "$DOC2"
verify_refused "$FR" "$DOC2" "the certificate recorded for 'lan' is also recorded for 'hoa'" sig-2

# certificates from the test CA's own key with dates outside their use (openssl ca)
mkdir -p "$WORK/oca"
: >"$WORK/oca/index.txt"
echo 1000 >"$WORK/oca/serial"
cat >"$WORK/oca/cnf" <<EOF
[ca]
default_ca = dflt
[dflt]
database = $WORK/oca/index.txt
new_certs_dir = $WORK/oca
serial = $WORK/oca/serial
default_md = sha256
policy = any
x509_extensions = ext
unique_subject = no
[any]
commonName = supplied
emailAddress = optional
[ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
EOF
ts() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
cert_dated() { # NAME START END: lan's CSR certified by the test CA for [START, END]
	openssl ca -batch -config "$WORK/oca/cnf" -cert "$CA" -keyfile "$WORK/ca/ca.key" -passin env:DOCKET_PASSPHRASE \
		-in "$KEYS/lan.pem.csr" -out "$WORK/oca/$1.crt" -startdate "$(ts "$2")" -enddate "$(ts "$3")" \
		-notext -utf8 >"$WORK/oca/$1.log" 2>&1 || { cat "$WORK/oca/$1.log"; fail "openssl ca $1"; }
}
cert_dated expired "40 days ago" "10 days ago"
cert_dated future "100 days" "400 days"
# dated_approval NAME CERT PHRASE [ENV...]: lan's certificate replaced by CERT; lan approves
# (docket may refuse to sign with it: exit 1; if it signs, verify must refuse the signature)
dated_approval() {
	local name=$1 cert=$2 phrase=$3
	shift 3
	fork "$name"
	expect_exit 0 "$DOCKET" -C "$FR" --as admin person cert lan "$cert"
	"$@" env "$DOCKET" -C "$FR" --as lan approve "$DOC2" >"$WORK/out" 2>"$WORK/err" && rc=0 || rc=$?
	# docket refuses to sign with a certificate outside its validity at the signing time
	case $rc in
	1) expect_grep "$phrase" "$WORK/err" ;;
	0) verify_refused "$FR" "$DOC2" "$phrase" sig-2; fail "$name: docket signed with a certificate not valid at the signing time" ;;
	*) cat "$WORK/err"; fail "$name: approve exited $rc" ;;
	esac
}
dated_approval expired "$WORK/oca/expired.crt" "certificate expired at signing time"
dated_approval future "$WORK/oca/future.crt" "certificate not yet valid at signing time"
# lan's good certificate (valid from 2020), but the signature dated before it (and the CA) existed
dated_approval backdated "$WORK/ca/lan.crt" "not yet valid at signing time" env DOCKET_NOW=2019-05-10T16:45:00+07:00
ok "a certificate recorded for two people; an expired one; a not-yet-valid one; a signing time before the certificate: each signature refused"

# ==== docket accepts a signature xmlsec1 makes on docket's template ============================
# lan's approval stripped of its digests and value, re-signed by xmlsec1 with lan's CA-issued
# key. Its signed properties are docket's (approve, kh-2021-354, lan's certificate), and sig-2
# entered the history in lan's approve commit, so the signer/transition binding holds too:
# docket reports the whole signature ok, not just its cryptography.
fork xmlsec
grep -o '<ds:DigestValue>[^<]*</ds:DigestValue>' "$FF" >"$WORK/digests.docket"
sed -n '/Id="sig-2"/,/<\/ds:Signature>/p' "$FF" | grep -o '<ds:SignatureValue>[^<]*' >"$WORK/sigvalue.docket"
strip_sig "$FF" sig-2 x509
xs_sign "$FF" sig-2 "$(plain lan),$WORK/ca/lan.crt"
grep -o '<ds:DigestValue>[^<]*</ds:DigestValue>' "$FF" | diff -u "$WORK/digests.docket" - ||
	fail "xmlsec1's digests differ from docket's"
sed -n '/Id="sig-2"/,/<\/ds:Signature>/p' "$FF" | tr -d '\n' | grep -o '<ds:SignatureValue>[^<]*' >"$WORK/sigvalue.xmlsec"
cmp -s "$WORK/sigvalue.docket" "$WORK/sigvalue.xmlsec" && fail "the signature value did not change: xmlsec1 did not sign"
forged "$FR" "sig-2 as xmlsec1 makes it"
expect_exit 0 "$DOCKET" -C "$FR" verify "$DOC" --trust "$CA" --json
[ "$(jf valid signatures.1.id signatures.1.ok signatures.1.signer signatures.1.person signatures.1.problem <"$WORK/out" | tr '\n' '|')" = \
	"true|sig-2|true|Lê Thị Lan|lan|null|" ] || fail "docket verify of xmlsec1's signature: $(cat "$WORK/out")"
ok "xmlsec1 --sign on docket's template of sig-2 (same digests, new value): docket verify accepts it, binding to lan's approval included"

# ==== the seed plan approved with a key on a SoftHSM2 token ===================================
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
if [ ! -f "$SOFTHSM" ]; then
	echo "skip: $SOFTHSM is missing"
	exit 0
fi
# under AddressSanitizer: the pkcs11 engine's own leaks are known (tests/lsan-pkcs11.supp);
# the suppressions need full stacks to see them
export LSAN_OPTIONS="suppressions=$DOCKET_SRC/tests/lsan-pkcs11.supp"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
mkdir -p "$WORK/softhsm/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK/softhsm/tokens" \
	>"$WORK/softhsm/softhsm2.conf"
export SOFTHSM2_CONF=$WORK/softhsm/softhsm2.conf
softhsm2-util --init-token --free --label T --pin 123456 --so-pin 12345678 >"$WORK/hsm.log" 2>&1 ||
	{ cat "$WORK/hsm.log"; fail "softhsm2-util --init-token"; }
pkcs11-tool --module "$SOFTHSM" --token-label T --login --pin 123456 --keypairgen --key-type EC:prime256v1 \
	--id 01 --label approver >"$WORK/hsm.log" 2>&1 || { cat "$WORK/hsm.log"; fail "pkcs11-tool --keypairgen"; }
# docket has no command that makes a CSR for a token key ('docket key generate' writes a
# file key); OpenSSL's pkcs11 engine makes it
PKCS11_MODULE_PATH=$SOFTHSM openssl req -new -engine pkcs11 -keyform engine -utf8 \
	-key "pkcs11:token=T;object=approver;type=private;pin-value=123456" \
	-subj "/CN=Lê Thị Lan/emailAddress=lan@pgd.example" -out "$WORK/token.csr" >"$WORK/hsm.log" 2>&1 ||
	{ cat "$WORK/hsm.log"; fail "openssl req with the token key"; }
expect_exit 0 "$DOCKET" ca issue --ca "$WORK/ca" "$WORK/token.csr" --out "$WORK/token.crt"
expect_exit 0 d --as admin person cert lan "$WORK/token.crt"
# lan's earlier signatures still hold: they are judged by the configuration of their time
expect_exit 0 d verify "$DOC" --trust "$CA"
TOKEN="pkcs11:token=T;object=approver"
DOC3=kh-2021-370
F3=$R/documents/plan/2021/CTTT/$DOC3.xml
one_commit "add $DOC3" d --as hoa add --draft --id "$DOC3" "$EXAMPLES/354-KH-PGDDT.xml"
one_commit "submit $DOC3" d --as hoa submit "$DOC3"
one_commit "review $DOC3" d --as minh review "$DOC3"
refused "$R" "wrong PIN" "wrong PIN" \
	env DOCKET_KEY="$TOKEN" DOCKET_PKCS11_MODULE="$SOFTHSM" DOCKET_PASSPHRASE=654321 "$DOCKET" -C "$R" --as lan approve "$DOC3"
refused "$R" "file key after the token certificate" "the certificate is not for this key" d --as lan approve "$DOC3"
one_commit "approve $DOC3 (token)" env DOCKET_KEY="$TOKEN?module-path=$SOFTHSM" DOCKET_PASSPHRASE=123456 \
	"$DOCKET" -C "$R" --as lan approve "$DOC3"
token_commit=$(git -C "$R" rev-parse HEAD)
one_commit "issue $DOC3" d --as thu issue "$DOC3"
fsck_clean "$R"
expect_exit 0 d verify "$DOC3" --trust "$CA" --json
[ "$(jf valid signatures.1.ok signatures.1.signer signatures.1.person signatures.1.meaning signatures.2.ok <"$WORK/out" | tr '\n' '|')" = \
	"true|true|Lê Thị Lan|lan|approval|true|" ] || fail "docket verify of the token-signed plan: $(cat "$WORK/out")"
sig_ids "$F3" >"$WORK/ids3"
printf '%s\n' sig-1 sig-2 sig-3 | diff -u - "$WORK/ids3" || fail "signatures of $DOC3"
while read -r s; do
	xs "$F3" "$s" || { cat "$WORK/xs.out"; fail "xmlsec1 refuses $s of the token-signed plan"; }
done <"$WORK/ids3"
# the token's public key (uncompressed, whatever the token reports) in the signers file
expect_exit 0 d signers
cp "$WORK/out" "$WORK/allowed-token"
openssl x509 -in "$WORK/token.crt" -pubkey -noout >"$WORK/token-pub.pem"
ssh-keygen -i -m PKCS8 -f "$WORK/token-pub.pem" | cut -d' ' -f1,2 >"$WORK/token.ssh"
grep '^lan@' "$WORK/allowed-token" | cut -d' ' -f3,4 | diff -u "$WORK/token.ssh" - || fail "lan's signers line is not the token key"
git -C "$R" cat-file commit "$token_commit" | grep -q '^gpgsig -----BEGIN SSH SIGNATURE-----' || fail "the token commit is not signed"
git -C "$R" -c gpg.ssh.allowedSignersFile="$WORK/allowed-token" verify-commit "$token_commit" >"$WORK/gv" 2>&1 ||
	{ cat "$WORK/gv"; fail "git verify-commit refuses the token-signed approval"; }
expect_grep 'Good "git" signature for lan@pgd.example' "$WORK/gv"
ok "SoftHSM2: CSR by the token, certificate by 'docket ca issue'; wrong PIN refused; lan approves with DOCKET_KEY=pkcs11:…; docket verify, xmlsec1 and git verify-commit accept it"
