#!/usr/bin/env bash
# The real corpus, examples/real (README "Real documents"): administrative documents of other
# issuers and types, found on public sites and encoded as far as the copy found goes. For
# every examples/real/NAME.xml:
#   - its source is kept as found in examples/real/sources/NAME.txt and the XML names the
#     same address in its comment;
#   - 'docket validate NAME.xml' passes, outside any repository;
#   - 'docket show NAME.xml' prints examples/real/NAME.txt byte for byte (the rendering read
#     line by line against the original);
#   - it is recorded issued in a repository of its own issuer, configured with docket's
#     commands from its header: a numbered document imported as issued by the records clerk
#     ('docket import', its own number and date kept, the register told), an unnumbered one
#     (as published, a draft) walked through the document workflow by named people who sign
#     with their own keys - its approval refused while it names no signer, the drafter then
#     completing the signer block (and recipients, where the copy has none) - and numbered
#     01 at issue. Then 'validate --all' and 'audit' are clean.
# At least eight documents, at least six distinct Decree 30 type codes among them. Finally
# the comparison is shown able to fail: one changed figure changes the rendering.
. "$(dirname "$0")/lib.sh"

REAL=$EXAMPLES/real

# xp XPATH-ON-LOCAL-NAMES FILE: the string value, e.g. xp header/code/number FILE
xp() {
	local p="" part
	for part in $(echo "$1" | tr / ' '); do p="$p/*[local-name()='$part']"; done
	xmllint --xpath "string(/*[local-name()='document']$p)" "$2"
}

# tcode FILE: the document's type code (header/type/@code), empty for a công văn
tcode() {
	xmllint --xpath "string(/*/*[local-name()='header']/*[local-name()='type']/@code)" "$1"
}

# jf FIELD < JSON: one top-level field of a JSON object
jf() {
	perl -MJSON::PP -e '
		binmode STDOUT, ":encoding(UTF-8)";
		my $j = JSON::PP->new->utf8->decode(do { local $/; <STDIN> });
		my $v = $j->{$ARGV[0]}; print defined $v ? $v : "null", "\n";' "$1"
}

# setup R X: a repository for the issuer of X, configured from X's header with docket's own
# commands: the organisation (name, abbreviation, parent, place), one unit VP, an
# administrator and the records clerk 'vt' (more people are added by the caller). An issuer
# whose abbreviation has several groups ("BCĐPCGD-XMC", a district's steering board) is a
# unit of its parent body, the organisation ("UBND HUYỆN NGA SƠN", abbreviation "UBND"):
# no organisation's abbreviation holds a '-'.
setup() {
	local r=$1 x=$2 parent abbr
	expect_exit 0 "$DOCKET" init "$r"
	parent=$(xp header/issuer/parent "$x")
	abbr=$(xp header/issuer/abbr "$x")
	case $abbr in
	*-*)
		expect_exit 0 "$DOCKET" -C "$r" org set --name "$parent" --abbr "${parent%% *}" \
			--place "$(xp header/place "$x")"
		expect_exit 0 "$DOCKET" -C "$r" unit add "$abbr" --name "$(xp header/issuer/name "$x")"
		;;
	*)
		expect_exit 0 "$DOCKET" -C "$r" org set --name "$(xp header/issuer/name "$x")" \
			--abbr "$abbr" ${parent:+--parent "$parent"} --place "$(xp header/place "$x")"
		;;
	esac
	expect_exit 0 "$DOCKET" -C "$r" unit add VP --name "Văn phòng"
	expect_exit 0 "$DOCKET" -C "$r" person add ad --name "Quản Trị Viên" --position "CHUYÊN VIÊN" --unit VP --role admin
	expect_exit 0 "$DOCKET" -C "$r" --as ad person add vt --name "Văn Thư Thử" --position "VĂN THƯ" \
		--unit VP --role clerk
}

# clean_repo R: validate --all and audit find nothing; git fsck passes
clean_repo() {
	expect_exit 0 "$DOCKET" -C "$1" validate --all
	if [ -f "$WORK/ca/ca.pem" ] && [ -n "$(git -C "$1" ls-files .docket/config.xml)" ] &&
		grep -q '<certificate' "$1/.docket/config.xml"; then
		expect_exit 0 "$DOCKET" -C "$1" audit --trust "$WORK/ca/ca.pem"
	else
		expect_exit 0 "$DOCKET" -C "$1" audit
	fi
	grep -q ': 0 findings$' "$WORK/err" || { cat "$WORK/err"; fail "$2: the audit has findings"; }
	fsck_clean "$1"
}

n=0
codes=""
for x in "$REAL"/*.xml; do
	name=$(basename "$x" .xml)
	src=$REAL/sources/$name.txt
	# each issuer's people keep their keys in their own home (the same ids recur)
	export HOME=$WORK/home-$name
	mkdir -p "$HOME"
	cp "$WORK/home/.gitconfig" "$HOME/"
	id=$(xmllint --xpath "string(/*/@id)" "$x")
	[ "$id" = "$name" ] || fail "$name.xml: its id is '$id', not the file's name"

	# --- its source, as found, and the same address in the XML's comment -----------------
	[ -s "$src" ] || fail "$name: no source text at sources/$name.txt"
	url=$(sed -n '1s/^Source: //p' "$src")
	case $url in http://* | https://*) ;; *) fail "$name: sources/$name.txt does not begin with its address" ;; esac
	named=$(sed -n 's/^ *Source: \(http[^ ]*\).*/\1/p' "$x" | head -1 | sed 's/%2D/-/g')
	[ "$named" = "$url" ] || fail "$name.xml names its source '$named', not '$url' as sources/$name.txt"

	# --- validates, alone, outside any repository ---------------------------------------
	expect_exit 0 "$DOCKET" validate "$x"
	[ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || { cat "$WORK/out" "$WORK/err"; fail "$name: validate printed findings"; }

	# --- renders to its expected text, byte for byte -----------------------------------
	[ -f "$REAL/$name.txt" ] || fail "$name: no expected rendering $name.txt"
	expect_exit 0 "$DOCKET" show "$x"
	cmp -s "$WORK/out" "$REAL/$name.txt" || {
		diff -u "$REAL/$name.txt" "$WORK/out" | head -40
		fail "$name: 'docket show' differs from $name.txt"
	}

	# --- recorded issued, in a repository of its issuer -----------------------------------
	R=$WORK/repo-$name
	setup "$R" "$x"
	number=$(xp header/code/number "$x")
	notation=$(xp header/code/notation "$x")
	if [ -n "$number" ]; then
		expect_exit 0 "$DOCKET" -C "$R" --as vt import "$x" -m "$url"
		[ "$(cat "$WORK/out")" = "$id" ] || fail "$name: import printed '$(cat "$WORK/out")', not the id"
		git -C "$R" log -1 --format=%B >"$WORK/msg"
		expect_grep "Docket-Transition: import" "$WORK/msg"
		expect_grep "Docket-Actor: vt" "$WORK/msg"
		expect_grep "$url" "$WORK/msg"
		expect_exit 0 "$DOCKET" -C "$R" status "$id" --json
		[ "$(jf state <"$WORK/out")" = issued ] || fail "$name: imported, but $(cat "$WORK/out")"
		[ "$(jf number <"$WORK/out")" = "$number/$notation" ] ||
			fail "$name: imported as $(jf number <"$WORK/out"), printed $number/$notation"
		year=$(xp header/date "$x" | cut -c1-4)
		grep -qF "$(printf '%s\t%s\t%s' "$number" "$notation" "$id")" "$R"/.docket/register/"$year"/*.txt ||
			fail "$name: the register of $year does not hold $number/$notation"
		# what is committed is the document itself and its import step, nothing rewritten
		expect_exit 0 "$DOCKET" -C "$R" show "$id"
		cmp -s "$WORK/out" "$REAL/$name.txt" || fail "$name: imported, it renders differently"
		ok "$name: validates, renders as $name.txt, imported as issued $number/$notation"
	else
		# as published, a draft: its people, their keys, and the document workflow to issued
		# the signer's title: the one printed on the paper where it is (the school's "HIỆU
		# TRƯỞNG", printed without a name), else the test's own placeholder
		case $name in
		ttr-thcs-xuan-luong-*) title="HIỆU TRƯỞNG" ;;
		*) title="THỦ TRƯỞNG CƠ QUAN" ;;
		esac
		for p in "ds|Người Soạn Thảo|CHUYÊN VIÊN|drafter" "rv|Người Kiểm Tra|PHÓ TRƯỞNG|reviewer" \
			"ap|Nguyễn Văn A|$title|approver"; do
			IFS='|' read -r pid pname ppos prole <<<"$p"
			expect_exit 0 "$DOCKET" -C "$R" --as ad person add "$pid" --name "$pname" --position "$ppos" \
				--unit VP --role "$prole"
		done
		# one test CA for every issuer; the certificates it issued the last issuer's people go
		rm -f "$WORK"/ca/ad.crt "$WORK"/ca/ds.crt "$WORK"/ca/rv.crt "$WORK"/ca/ap.crt "$WORK"/ca/vt.crt
		enrol "$R" ad ad ds rv ap vt
		expect_exit 0 "$DOCKET" -C "$R" --as ds add --draft "$x"
		expect_exit 0 "$DOCKET" -C "$R" status "$id" --json
		[ "$(jf state <"$WORK/out")" = draft ] || fail "$name: added, but $(cat "$WORK/out")"
		# approving it needs the signer block of the person who approves: refused without one
		expect_exit 0 "$DOCKET" -C "$R" --as ds submit "$id"
		expect_exit 0 "$DOCKET" -C "$R" --as rv review "$id"
		expect_exit 1 "$DOCKET" -C "$R" --as ap approve "$id"
		expect_grep "names no signer" "$WORK/err"
		expect_exit 0 "$DOCKET" -C "$R" --as rv return "$id" -m "Bổ sung người ký"
		# the drafter completes it in the work tree: signer block (and recipients, if none)
		f=$R/$(git -C "$R" ls-files "documents/*/$id.xml")
		python3 - "$f" "$title" <<-'EOF' || fail "cannot complete the draft"
			import sys
			p, title = sys.argv[1], sys.argv[2]
			s = open(p, encoding="utf-8").read()
			signer = ("    <signer>\n      <title>%s</title>\n      <fullName>Nguyễn Văn A</fullName>\n"
			          "      <person>ap</person>\n    </signer>\n" % title)
			recips = "    <recipients>\n      <recipient>Như trên</recipient>\n      <recipient>Lưu: VT</recipient>\n    </recipients>\n"
			if "<recipients>" in s:
			    s = s.replace("    <recipients>", signer + "    <recipients>", 1)
			else:
			    s = s.replace("  </header>", signer + recips + "  </header>", 1)
			open(p, "w", encoding="utf-8").write(s)
		EOF
		expect_exit 0 "$DOCKET" -C "$R" --as ds commit "$id" -m "Người ký: Thủ trưởng đơn vị"
		expect_exit 0 "$DOCKET" -C "$R" --as ds submit "$id"
		expect_exit 0 "$DOCKET" -C "$R" --as rv review "$id"
		expect_exit 0 "$DOCKET" -C "$R" --as ap approve "$id"
		expect_exit 0 "$DOCKET" -C "$R" --as vt issue "$id"
		expect_exit 0 "$DOCKET" -C "$R" status "$id" --json
		[ "$(jf state <"$WORK/out")" = issued ] || fail "$name: issued, but $(cat "$WORK/out")"
		want="01/$(xmllint --xpath "string(/*/*[local-name()='header']/*[local-name()='type']/@code)" "$x")-$(xp header/issuer/abbr "$x")"
		[ "$(jf number <"$WORK/out")" = "$want" ] || fail "$name: issued as $(jf number <"$WORK/out"), expected $want"
		expect_exit 0 "$DOCKET" -C "$R" verify "$id" --trust "$WORK/ca/ca.pem"
		ok "$name: validates, renders as $name.txt, walked to issued as $want (signed review, approval, issue)"
	fi
	clean_repo "$R" "$name"

	n=$((n + 1))
	c=$(tcode "$x")
	codes="$codes ${c:-công-văn}"
done

[ "$n" -ge 8 ] || fail "examples/real holds $n documents, at least 8 wanted"
distinct=$(printf '%s\n' $codes | grep -v '^công-văn$' | sort -u | wc -l)
[ "$distinct" -ge 6 ] || fail "examples/real has $distinct distinct type codes ($codes), at least 6 wanted"
ok "$n real documents, $distinct distinct type codes:$(printf ' %s' $(printf '%s\n' $codes | sort -u))"

# --- the comparison can fail: one figure of the summary changed, the rendering differs -------
x=$REAL/tb-151-pgddt-dong-xoai.xml
sed '/<subject>/s/năm 2012/năm 2013/' "$x" >"$WORK/changed.xml"
! cmp -s "$x" "$WORK/changed.xml" || fail "the mutation did not change the file"
expect_exit 0 "$DOCKET" show "$WORK/changed.xml"
! cmp -s "$WORK/out" "$REAL/tb-151-pgddt-dong-xoai.txt" || fail "a changed body renders as the expected text"
ok "a changed year in the summary changes the rendering: the byte comparison is not vacuous"
