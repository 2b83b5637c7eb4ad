#!/bin/sh
# Generate the large hostile fixtures into OUTDIR (they are never committed):
#   quadratic-blowup.xml  one 50 KB internal entity referenced 50,000 times (~200 KB of input
#                         that would expand to 2.5 GB of text)
#   deep-nesting.xml      100,000 nested <section> elements inside a plan (~4 MB: under the
#                         size limit, so only the depth limit can stop it)
#   big-50mb.xml          a docket document padded to 50 MB with task items (over the 8 MB limit)
# usage: generate.sh OUTDIR
set -eu
out=${1:?usage: generate.sh OUTDIR}
mkdir -p "$out"

head_part() { # $1 = subject text
	cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="urn:docket:document:1" id="kh-2021-hostile" kind="plan">
  <header>
    <issuer>
      <name>TRƯỜNG TIỂU HỌC CẨM PHÚ</name>
      <abbr>THCP</abbr>
    </issuer>
    <place>Cẩm Phả</place>
    <type code="KH">KẾ HOẠCH</type>
    <subject>$1</subject>
  </header>
  <content Id="content">
    <plan>
      <period start="2021" end="2025"/>
      <objectives num="I" title="MỤC TIÊU">
        <specific num="1" title="Mục tiêu cụ thể">
          <objective num="1">
            <text>Tỷ lệ học sinh hoàn thành chương trình tiểu học đạt 99,5% vào năm 2025.</text>
          </objective>
        </specific>
      </objectives>
      <tasks num="II" title="NHIỆM VỤ, GIẢI PHÁP">
        <group id="g1" num="1" title="Công tác chăm sóc, bảo vệ và giáo dục trẻ em">
EOF
}
tail_part() {
	cat <<'EOF'
        </group>
      </tasks>
    </plan>
  </content>
</document>
EOF
}
item='          <item>Tổ chức các hoạt động giáo dục kỹ năng sống cho học sinh theo từng khối lớp.</item>'

# quadratic blow-up: the entity is 51,200 bytes, referenced 50,000 times
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	printf '<!DOCTYPE document [\n  <!ENTITY a "'
	yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
		| head -n 200 | tr -d '\n'
	printf '">\n]>\n'
	head_part "$(yes '&a;' | head -n 50000 | tr -d '\n')" | sed 1d
	echo "$item"
	tail_part
} >"$out/quadratic-blowup.xml"

# 100,000 levels of nesting
{
	head_part 'Kế hoạch lồng 100.000 cấp'
	echo "$item"
	yes '<section num="1" title="T">' | head -n 100000 | tr -d '\n'
	yes '</section>' | head -n 100000 | tr -d '\n'
	echo
	tail_part
} >"$out/deep-nesting.xml"

# 50 MB: at least 52,428,800 bytes (each item line is 126 bytes)
{
	head_part 'Kế hoạch 50 MB'
	yes "$item" | head -n 416200
	tail_part
} >"$out/big-50mb.xml"

# Cheap input, expensive processing (issue 12 item 8): each just under the 8 MiB size limit.
# ns-root.xml     462,000 unused namespace declarations on the root element
# ns-spread.xml   one namespace declaration on each of 370,000 elements (under the per-element
#                 limit, over the per-document one)
# attrs.xml       750,000 attributes on one element
# nodes.xml       2,000,000 empty elements
# comments.xml    1,150,000 empty comments
# The prefix p<N>, the attribute a<N>: all distinct, so nothing stops on a duplicate.
# root_with ATTRS SUBJECT: the document with ATTRS (a command's output) on its root element
root_with() {
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	printf '<document xmlns="urn:docket:document:1"'
	$1 | tr -d '\n'
	echo ' id="kh-2021-hostile" kind="plan">'
	head_part "$2" | sed 1,2d
	echo "$item"
	tail_part
}
ns_decls() { seq 1 462000 | sed 's/.*/ xmlns:p&="u"/'; }
attr_list() { seq 1 750000 | sed 's/.*/ a&=""/'; }
root_with ns_decls 'Kế hoạch nhiều không gian tên' >"$out/ns-root.xml"
{
	head_part 'Kế hoạch nhiều không gian tên'
	seq 1 370000 | sed 's/.*/<b xmlns:p&="u"\/>/' | tr -d '\n'
	echo
	tail_part
} >"$out/ns-spread.xml"
root_with attr_list 'Kế hoạch nhiều thuộc tính' >"$out/attrs.xml"
{
	head_part 'Kế hoạch nhiều nút'
	yes '<b/>' | head -n 2000000 | tr -d '\n'
	echo
	tail_part
} >"$out/nodes.xml"
{
	head_part 'Kế hoạch nhiều chú thích'
	yes '<!---->' | head -n 1150000 | tr -d '\n'
	echo
	tail_part
} >"$out/comments.xml"
