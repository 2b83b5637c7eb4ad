<?xml version="1.0" encoding="UTF-8"?>
<!--
  docket document format 1: render a document as plain UTF-8 text laid out the way
  Decree 30/2020/NĐ-CP lays out the paper (docs/format.md, "Rendering").

    xsltproc schemas/text.xsl examples/354-KH-PGDDT.xml

  A page 80 columns wide (the `width` parameter). The heading in two columns: the issuing
  body's lines beside the national motto, the number (and a công văn's "V/v" summary under
  it) beside the place and date; the type name and summary centred; "Kính gửi:"; the
  preamble (or the legal bases, one "Căn cứ" line each), the body word-wrapped; at the end
  "Nơi nhận:" in the left column beside the signer block in the right column, whichever is
  longer; then the footnotes. Only the document is rendered: workflow steps and signatures
  are not.

  XSLT 1.0, no extensions, no document(). Widths count characters (string-length counts
  characters, not bytes): text must be NFC, as docket requires, so one letter is one column.

  Parameters:
    fnmarks  'superscript' (default: ¹ ² ³) or 'bracket' ([1] [2] [3])
    em       the mark put around italic text (default '*')
    width    the page width in columns (default 80; at least 60)
    names    what the document cites by id, as docket reads it from the repository: lines
             "KIND<TAB>ID<TAB>FIELD…", the string beginning and ending with a newline:
               unit<TAB>ID<TAB>NAME              person<TAB>ID<TAB>FULL NAME
               doc<TAB>ID<TAB>TYPE CODE<TAB>NUMBER<TAB>NOTATION<TAB>DATE<TAB>SUBJECT
               indicator<TAB>ID<TAB>NAME<TAB>UNIT   group<TAB>ID<TAB>TITLE
                 (the indicators and task groups of a report's plan)
             Empty (a FILE rendered on its own): ids are printed where names are unknown.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:d="urn:docket:document:1"
                exclude-result-prefixes="d">

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="fnmarks" select="'superscript'"/>
  <xsl:param name="em" select="'*'"/>
  <xsl:param name="width" select="80"/>
  <xsl:param name="names" select="''"/>

  <xsl:variable name="nl" select="'&#10;'"/>
  <xsl:variable name="tab" select="'&#9;'"/>
  <xsl:variable name="spaces"
                select="'                                                                                                                                                                        '"/>
  <xsl:variable name="dashes"
                select="'------------------------------------------------------------------------------------------------------------------------'"/>
  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyzàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ'"/>
  <xsl:variable name="motto1" select="'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"/>
  <xsl:variable name="motto2" select="'Độc lập - Tự do - Hạnh phúc'"/>

  <!-- the page: W columns; the left column (issuer, number, recipients) LW, a gap, the right RW -->
  <xsl:variable name="W">
    <xsl:choose>
      <xsl:when test="number($width) &gt;= 60 and number($width) &lt;= 160"><xsl:value-of select="floor(number($width))"/></xsl:when>
      <xsl:otherwise>80</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="LW" select="floor($W * 9 div 20)"/>
  <xsl:variable name="GAP" select="4"/>
  <xsl:variable name="RW" select="$W - $LW - $GAP"/>

  <xsl:key name="footnote" match="d:footnote" use="@id"/>

  <!-- ================================================================== -->
  <!-- Document                                                           -->
  <!-- ================================================================== -->

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="d:document">
        <xsl:apply-templates select="d:document"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">text.xsl: not a docket document (urn:docket:document:1)</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="d:document">
    <xsl:variable name="h" select="d:header"/>

    <!-- issuing body | national motto -->
    <xsl:call-template name="columns">
      <xsl:with-param name="left">
        <xsl:apply-templates select="$h/d:issuer" mode="heading"/>
      </xsl:with-param>
      <xsl:with-param name="right">
        <xsl:call-template name="centre"><xsl:with-param name="text" select="$motto1"/><xsl:with-param name="box" select="$RW"/></xsl:call-template>
        <xsl:call-template name="centre"><xsl:with-param name="text" select="$motto2"/><xsl:with-param name="box" select="$RW"/></xsl:call-template>
        <xsl:call-template name="centre">
          <xsl:with-param name="text" select="substring($dashes, 1, string-length($motto2))"/>
          <xsl:with-param name="box" select="$RW"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>

    <!-- number (a công văn's "V/v" summary and the marks under it) | place and date -->
    <xsl:call-template name="columns">
      <xsl:with-param name="left">
        <xsl:call-template name="number-block"/>
      </xsl:with-param>
      <xsl:with-param name="right">
        <xsl:call-template name="wrap">
          <xsl:with-param name="text">
            <xsl:value-of select="concat(normalize-space($h/d:place), ', ')"/>
            <xsl:choose>
              <xsl:when test="$h/d:date">
                <xsl:call-template name="long-date">
                  <xsl:with-param name="date" select="normalize-space($h/d:date)"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:otherwise>ngày … tháng … năm …</xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
          <xsl:with-param name="width" select="$RW"/>
          <xsl:with-param name="align" select="'centre'"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>

    <!-- type name and summary -->
    <xsl:if test="$h/d:type">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($h/d:type)"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($h/d:subject)"/>
        <xsl:with-param name="width" select="$W - 16"/>
        <xsl:with-param name="align" select="'centre'"/>
        <xsl:with-param name="indent" select="8"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:if>

    <xsl:apply-templates select="$h/d:addressees"/>

    <!--
      The issuing authority's line (a first preamble paragraph in capitals: "CHỦ TỊCH ỦY BAN
      NHÂN DÂN TỈNH …") centred; the legal bases one a line; the other preamble paragraphs.
      A basis without its printed text is composed from its fields, and only when the
      document has no preamble (which then says the bases in its own words).
    -->
    <xsl:variable name="p1" select="d:content/d:preamble[1]"/>
    <xsl:variable name="authorityLine"
                  select="not($h/d:issuingAuthority) and $p1 and not($p1/*)
                          and translate(normalize-space($p1), $lower, '') = normalize-space($p1)
                          and translate(normalize-space($p1), $upper, '') != normalize-space($p1)"/>
    <xsl:for-each select="$h/d:issuingAuthority">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(.)"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:for-each>
    <xsl:if test="$authorityLine">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($p1)"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:if>
    <xsl:apply-templates select="$h/d:bases">
      <xsl:with-param name="composed" select="not(d:content/d:preamble)"/>
    </xsl:apply-templates>
    <xsl:for-each select="d:content/d:preamble[not($authorityLine and position() = 1)]">
      <xsl:call-template name="paragraph"/>
    </xsl:for-each>

    <xsl:apply-templates select="d:content/d:plan | d:content/d:report | d:content/d:task | d:content/d:body"/>
    <xsl:for-each select="d:content/d:closing">
      <xsl:call-template name="paragraph"/>
    </xsl:for-each>

    <!--
      "Nơi nhận:" | the signer block. Several signers (a minutes: the chair and the
      secretary) side by side: the first on the right, the second on the left when there are
      no recipients; any others in pairs below.
    -->
    <xsl:if test="$h/d:recipients or $h/d:signer">
      <xsl:call-template name="columns">
        <xsl:with-param name="left">
          <xsl:choose>
            <xsl:when test="$h/d:recipients">
              <xsl:apply-templates select="$h/d:recipients"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates select="$h/d:signer[2]">
                <xsl:with-param name="box" select="$LW"/>
                <xsl:with-param name="beside" select="$h/d:signer[1]"/>
              </xsl:apply-templates>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
        <xsl:with-param name="right">
          <xsl:apply-templates select="$h/d:signer[1]">
            <xsl:with-param name="beside" select="$h/d:signer[2][not($h/d:recipients)]"/>
          </xsl:apply-templates>
        </xsl:with-param>
      </xsl:call-template>
      <xsl:variable name="placed" select="1 + number(not($h/d:recipients))"/>
      <xsl:for-each select="$h/d:signer[position() &gt; $placed][(position() mod 2) = 1]">
        <xsl:value-of select="$nl"/>
        <xsl:call-template name="columns">
          <xsl:with-param name="left">
            <xsl:apply-templates select="following-sibling::d:signer[1]">
              <xsl:with-param name="box" select="$LW"/>
              <xsl:with-param name="beside" select="."/>
            </xsl:apply-templates>
          </xsl:with-param>
          <xsl:with-param name="right">
            <xsl:apply-templates select=".">
              <xsl:with-param name="beside" select="following-sibling::d:signer[1]"/>
            </xsl:apply-templates>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:if>

    <xsl:apply-templates select="d:content/d:footnotes"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Heading                                                            -->
  <!-- ================================================================== -->

  <!-- the issuing body's lines as printed (issuer/lines), each centred, a short rule beneath -->
  <xsl:template match="d:issuer[d:lines]" mode="heading">
    <xsl:for-each select="d:lines/d:line">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(.)"/>
        <xsl:with-param name="width" select="$LW"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:variable name="body" select="d:lines/d:line[not(@parent = 'true' or @parent = '1')]"/>
    <xsl:variable name="longest">
      <xsl:for-each select="$body">
        <xsl:sort select="string-length(normalize-space(.))" data-type="number" order="descending"/>
        <xsl:if test="position() = 1"><xsl:value-of select="string-length(normalize-space(.))"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="centre">
      <xsl:with-param name="text" select="substring($dashes, 1, floor(number(concat('0', $longest)) div 3) + 2)"/>
      <xsl:with-param name="box" select="$LW"/>
    </xsl:call-template>
  </xsl:template>

  <!-- the parent body over the issuing body, each line centred, a short rule beneath -->
  <xsl:template match="d:issuer" mode="heading">
    <xsl:variable name="name" select="normalize-space(d:name)"/>
    <xsl:if test="normalize-space(d:parent) != ''">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(d:parent)"/>
        <xsl:with-param name="width" select="$LW"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="$name"/>
      <xsl:with-param name="width" select="$LW"/>
      <xsl:with-param name="align" select="'centre'"/>
    </xsl:call-template>
    <xsl:call-template name="centre">
      <xsl:with-param name="text" select="substring($dashes, 1, floor(string-length($name) div 3) + 2)"/>
      <xsl:with-param name="box" select="$LW"/>
    </xsl:call-template>
  </xsl:template>

  <!-- "Số: 354/KH-PGDĐT" (unnumbered: "Số: …/KH-PGDĐT"), a công văn's "V/v …", the marks -->
  <xsl:template name="number-block">
    <xsl:variable name="h" select="d:header"/>
    <xsl:variable name="notation">
      <xsl:choose>
        <xsl:when test="normalize-space($h/d:code/d:notation) != ''">
          <xsl:value-of select="normalize-space($h/d:code/d:notation)"/>
        </xsl:when>
        <xsl:when test="$h/d:type">
          <xsl:value-of select="concat($h/d:type/@code, '-', normalize-space($h/d:issuer/d:abbr))"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="normalize-space($h/d:issuer/d:abbr)"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="number">
      <xsl:choose>
        <xsl:when test="normalize-space($h/d:code/d:number) != ''">
          <xsl:value-of select="normalize-space($h/d:code/d:number)"/>
        </xsl:when>
        <xsl:otherwise>…</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="concat('Số: ', $number, '/', $notation)"/>
      <xsl:with-param name="width" select="$LW"/>
      <xsl:with-param name="align" select="'centre'"/>
    </xsl:call-template>
    <xsl:if test="not($h/d:type)">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="concat('V/v ', normalize-space($h/d:subject))"/>
        <xsl:with-param name="width" select="$LW - 4"/>
        <xsl:with-param name="align" select="'centre'"/>
        <xsl:with-param name="indent" select="2"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:apply-templates select="$h/d:marks"/>
  </xsl:template>

  <xsl:template match="d:marks">
    <xsl:variable name="secrecy">
      <xsl:choose>
        <xsl:when test="@secrecy = 'confidential'">MẬT</xsl:when>
        <xsl:when test="@secrecy = 'secret'">TỐI MẬT</xsl:when>
        <xsl:when test="@secrecy = 'top-secret'">TUYỆT MẬT</xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="urgency">
      <xsl:choose>
        <xsl:when test="@urgency = 'urgent'">KHẨN</xsl:when>
        <xsl:when test="@urgency = 'very-urgent'">THƯỢNG KHẨN</xsl:when>
        <xsl:when test="@urgency = 'express'">HỎA TỐC</xsl:when>
        <xsl:when test="@urgency = 'express-timed'">HỎA TỐC HẸN GIỜ</xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="$secrecy != ''">
      <xsl:call-template name="centre"><xsl:with-param name="text" select="$secrecy"/><xsl:with-param name="box" select="$LW"/></xsl:call-template>
    </xsl:if>
    <xsl:if test="$urgency != ''">
      <xsl:call-template name="centre"><xsl:with-param name="text" select="$urgency"/><xsl:with-param name="box" select="$LW"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "Kính gửi: X." on one line, or "Kính gửi: - A;" with "- B." aligned under it -->
  <xsl:template match="d:addressees">
    <xsl:variable name="lead" select="concat(substring($spaces, 1, 10), 'Kính gửi: ')"/>
    <xsl:variable name="at" select="string-length($lead)"/>
    <xsl:variable name="block">
      <xsl:choose>
        <xsl:when test="count(d:addressee) = 1">
          <xsl:call-template name="wrap">
            <xsl:with-param name="text" select="concat(normalize-space(d:addressee), '.')"/>
            <xsl:with-param name="width" select="$W - $at"/>
            <xsl:with-param name="indent" select="$at"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="d:addressee">
            <xsl:call-template name="wrap">
              <xsl:with-param name="text">
                <xsl:value-of select="concat('- ', normalize-space(.))"/>
                <xsl:choose>
                  <xsl:when test="position() = last()">.</xsl:when>
                  <xsl:otherwise>;</xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
              <xsl:with-param name="width" select="$W - $at"/>
              <xsl:with-param name="indent" select="$at"/>
              <xsl:with-param name="hang" select="2"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:value-of select="concat($lead, substring($block, $at + 1), $nl)"/>
  </xsl:template>

  <!-- "Căn cứ Kế hoạch số 902/KH-SGDĐT ngày 01/04/2021 của Sở … về …;" one a line -->
  <xsl:template match="d:bases">
    <xsl:param name="composed" select="true()"/>
    <xsl:for-each select="d:basis[normalize-space(d:text) != '' or $composed]">
      <xsl:choose>
      <xsl:when test="normalize-space(d:text) != ''">
        <xsl:call-template name="wrap">
          <xsl:with-param name="text" select="normalize-space(d:text)"/>
          <xsl:with-param name="width" select="$W"/>
        </xsl:call-template>
        <xsl:value-of select="$nl"/>
      </xsl:when>
      <xsl:otherwise>
      <xsl:variable name="code" select="normalize-space(d:code)"/>
      <xsl:variable name="type">
        <xsl:call-template name="type-name">
          <xsl:with-param name="code" select="substring-before(concat(substring-after($code, '/'), '-'), '-')"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:text>Căn cứ </xsl:text>
          <xsl:if test="$type != ''">
            <xsl:value-of select="concat($type, ' ')"/>
          </xsl:if>
          <xsl:if test="$code != ''">
            <xsl:value-of select="concat('số ', $code)"/>
          </xsl:if>
          <xsl:if test="normalize-space(d:date) != ''">
            <xsl:if test="$code != ''"><xsl:text> </xsl:text></xsl:if>
            <xsl:text>ngày </xsl:text>
            <xsl:call-template name="short-date">
              <xsl:with-param name="date" select="normalize-space(d:date)"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:if test="normalize-space(d:issuer) != ''">
            <xsl:value-of select="concat(' của ', normalize-space(d:issuer))"/>
          </xsl:if>
          <xsl:if test="normalize-space(d:summary) != ''">
            <xsl:value-of select="concat(' về ', normalize-space(d:summary))"/>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="position() = last()">.</xsl:when>
            <xsl:otherwise>;</xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
        <xsl:with-param name="width" select="$W"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
      </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Sign-off                                                           -->
  <!-- ================================================================== -->

  <!-- "Nơi nhận:" then "- X (b/c);" lines, the last ending with "." -->
  <xsl:template match="d:recipients">
    <xsl:value-of select="concat('Nơi nhận:', $nl)"/>
    <xsl:for-each select="d:recipient">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:value-of select="concat('- ', normalize-space(.))"/>
          <xsl:if test="@purpose">
            <xsl:value-of select="concat(' (', normalize-space(@purpose), ')')"/>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="position() = last()">.</xsl:when>
            <xsl:otherwise>;</xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
        <xsl:with-param name="width" select="$LW"/>
        <xsl:with-param name="hang" select="2"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!--
    "KT. TRƯỞNG PHÒNG" (or the authority lines stacked: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ
    TỊCH") / "PHÓ TRƯỞNG PHÒNG" / room for the signature / "Lê Thị Lan"; centred in BOX
  -->
  <xsl:template match="d:signer">
    <xsl:param name="box" select="$RW"/>
    <xsl:param name="beside" select="/.."/>
    <xsl:choose>
      <xsl:when test="d:line">
        <xsl:for-each select="d:line">
          <xsl:call-template name="wrap">
            <xsl:with-param name="text" select="normalize-space(concat(@authority, ' ', .))"/>
            <xsl:with-param name="width" select="$box"/>
            <xsl:with-param name="align" select="'centre'"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="wrap">
          <xsl:with-param name="text" select="normalize-space(concat(d:authority, ' ', d:title))"/>
          <xsl:with-param name="width" select="$box"/>
          <xsl:with-param name="align" select="'centre'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="normalize-space(d:position) != ''">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(d:position)"/>
        <xsl:with-param name="width" select="$box"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="d:authorisation">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:value-of select="concat('(Giấy ủy quyền số ', normalize-space(d:authorisation/@code))"/>
          <xsl:if test="d:authorisation/@date">
            <xsl:text> ngày </xsl:text>
            <xsl:call-template name="short-date">
              <xsl:with-param name="date" select="normalize-space(d:authorisation/@date)"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:text>)</xsl:text>
        </xsl:with-param>
        <xsl:with-param name="width" select="$box"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:if>
    <!-- a signer beside another with more lines above the name: names on one row -->
    <xsl:variable name="mine" select="count(d:line) + number(not(d:line)) + number(normalize-space(d:position) != '') + count(d:authorisation)"/>
    <xsl:variable name="theirs" select="count($beside/d:line) + number($beside and not($beside/d:line)) + number(normalize-space($beside/d:position) != '') + count($beside/d:authorisation)"/>
    <xsl:if test="$theirs &gt; $mine">
      <xsl:value-of select="substring(concat($nl, $nl, $nl, $nl, $nl, $nl), 1, $theirs - $mine)"/>
    </xsl:if>
    <xsl:value-of select="concat($nl, $nl, $nl)"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="normalize-space(d:fullName)"/>
      <xsl:with-param name="width" select="$box"/>
      <xsl:with-param name="align" select="'centre'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="d:footnotes">
    <xsl:value-of select="concat($nl, '__________', $nl)"/>
    <xsl:for-each select="d:footnote">
      <xsl:variable name="mark">
        <xsl:call-template name="fnmark">
          <xsl:with-param name="num" select="@num"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:variable name="t">
        <xsl:apply-templates select="node()" mode="inline"/>
      </xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="concat($mark, ' ', normalize-space($t))"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="hang" select="string-length($mark) + 1"/>
      </xsl:call-template>
      <xsl:if test="position() != last()">
        <xsl:value-of select="$nl"/>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Plan                                                               -->
  <!-- ================================================================== -->

  <xsl:template match="d:plan">
    <xsl:apply-templates select="*" mode="body"/>
  </xsl:template>

  <!-- the general document's body: blocks -->
  <xsl:template match="d:body">
    <xsl:apply-templates select="*" mode="body"/>
  </xsl:template>

  <!--
    A division and the plan's sections: "I. MỤC ĐÍCH, YÊU CẦU", "1.1. Bộ phận CTTT",
    "Điều 3. Phạm vi" (the label as printed, else the number and a full stop); a part or a
    chapter centred, its title on the line below ("Chương I" / "QUY ĐỊNH CHUNG"). A division
    without a title whose first block is a paragraph runs into it: "Điều 1. Ban hành …".
  -->
  <xsl:template match="*[@num or @label or @title][not(self::d:item)]" mode="body">
    <xsl:variable name="mark">
      <xsl:choose>
        <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="normalize-space(@label)"/></xsl:when>
        <xsl:when test="normalize-space(@num) != '' and self::d:part and not(parent::d:purposes)"><xsl:value-of select="concat('PHẦN ', normalize-space(@num))"/></xsl:when>
        <xsl:when test="normalize-space(@num) != '' and self::d:chapter"><xsl:value-of select="concat('Chương ', normalize-space(@num))"/></xsl:when>
        <xsl:when test="normalize-space(@num) != '' and self::d:article"><xsl:value-of select="concat('Điều ', normalize-space(@num), '.')"/></xsl:when>
        <xsl:when test="normalize-space(@num) != ''"><xsl:value-of select="concat(normalize-space(@num), '.')"/></xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="title" select="normalize-space(@title)"/>
    <xsl:choose>
      <xsl:when test="(self::d:part and not(parent::d:purposes)) or self::d:chapter">
        <xsl:if test="$mark != ''">
          <xsl:call-template name="wrap">
            <xsl:with-param name="text" select="$mark"/>
            <xsl:with-param name="width" select="$W"/>
            <xsl:with-param name="align" select="'centre'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$title != ''">
          <xsl:call-template name="wrap">
            <xsl:with-param name="text" select="$title"/>
            <xsl:with-param name="width" select="$W - 8"/>
            <xsl:with-param name="indent" select="4"/>
            <xsl:with-param name="align" select="'centre'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:value-of select="$nl"/>
        <xsl:apply-templates select="*" mode="body"/>
      </xsl:when>
      <xsl:when test="$title = '' and *[1][self::d:p]">
        <xsl:for-each select="*[1]">
          <xsl:call-template name="paragraph">
            <xsl:with-param name="lead" select="concat($mark, ' ')"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:apply-templates select="*[position() &gt; 1]" mode="body"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="wrap">
          <xsl:with-param name="text" select="normalize-space(concat($mark, ' ', $title))"/>
          <xsl:with-param name="width" select="$W"/>
        </xsl:call-template>
        <xsl:value-of select="$nl"/>
        <xsl:apply-templates select="*" mode="body"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "(4). Tỷ lệ trẻ em hoàn thành …"; the indicators are data, the sentence says them -->
  <xsl:template match="d:objective" mode="body" priority="3">
    <xsl:for-each select="d:text">
      <xsl:call-template name="paragraph">
        <xsl:with-param name="lead" select="concat('(', normalize-space(../@num), '). ')"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- "- TEXT", or "LABEL TEXT" ("a) …"), hanging; nested items two columns further in -->
  <xsl:template match="d:item" mode="body">
    <xsl:param name="depth" select="0"/>
    <xsl:variable name="lead">
      <xsl:choose>
        <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="concat(normalize-space(@label), ' ')"/></xsl:when>
        <xsl:otherwise>- </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="t">
      <xsl:apply-templates select="node()[not(self::d:item)]" mode="inline"/>
    </xsl:variable>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="normalize-space(concat($lead, normalize-space($t)))"/>
      <xsl:with-param name="width" select="$W - 2 * $depth"/>
      <xsl:with-param name="indent" select="2 * $depth"/>
      <xsl:with-param name="hang" select="string-length($lead)"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
    <xsl:apply-templates select="d:item" mode="body">
      <xsl:with-param name="depth" select="$depth + 1"/>
    </xsl:apply-templates>
  </xsl:template>

  <xsl:template match="d:p" mode="body">
    <xsl:call-template name="paragraph"/>
  </xsl:template>

  <!-- period, indicators: not printed -->
  <xsl:template match="*" mode="body"/>

  <!-- ================================================================== -->
  <!-- Tables, as aligned text                                            -->
  <!-- ================================================================== -->

  <!--
    A table drawn with "|", "-" and "+", each cell word-wrapped in its column. The columns are those
    of the first row (its cells' colspans); each later row's cells take the next columns not
    covered by a cell spanning rows from above. A column is as wide as its widest cell,
    shrunk to fit the page (wide columns share what the narrow ones leave). A cell spanning
    rows is printed in its first row, with no rule under it until it ends. Header rows are
    ruled off with '='.
    The layout is computed as strings: per column a 3-digit field ("pending", the rows a
    cell still covers; "widths", the columns' widths), and one line per cell,
    "ROW<TAB>COLUMN<TAB>SPAN<TAB>CELL-ID<TAB>".
  -->
  <xsl:key name="cell" match="d:cell" use="generate-id()"/>

  <!--
    A table too large to lay out in columns (more than 1000 cells: the layout's recursion
    goes cell by cell, and libxslt stops one some thousands deep) or too wide for the page
    (each column needs three columns of rules and three of text): each row a paragraph, its
    cells joined by " | ".
  -->
  <xsl:template name="table-plain">
    <xsl:if test="d:caption">
      <xsl:variable name="t"><xsl:apply-templates select="d:caption/node()" mode="inline"/></xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($t)"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:for-each select="d:row">
      <xsl:variable name="t">
        <xsl:for-each select="d:cell">
          <xsl:if test="position() &gt; 1"> | </xsl:if>
          <xsl:apply-templates select="node()" mode="inline"/>
          <xsl:for-each select="d:p | .//d:item">
            <xsl:text> </xsl:text>
            <xsl:apply-templates select="node()[not(self::d:item)]" mode="inline"/>
          </xsl:for-each>
        </xsl:for-each>
      </xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(concat('| ', normalize-space($t), ' |'))"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="hang" select="2"/>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:value-of select="$nl"/>
  </xsl:template>

  <xsl:template match="d:table" mode="body">
    <xsl:variable name="ncols" select="sum(d:row[1]/d:cell/@colspan) + count(d:row[1]/d:cell[not(@colspan)])"/>
    <xsl:choose>
      <xsl:when test="count(d:row/d:cell) &gt; 1000 or $ncols &gt; floor(($W - 1) div 6)">
        <xsl:call-template name="table-plain"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="table-grid">
          <xsl:with-param name="ncols" select="$ncols"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="table-grid">
    <xsl:param name="ncols"/>
    <xsl:variable name="zeros" select="substring('000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', 1, 3 * $ncols)"/>
    <xsl:variable name="grid">
      <xsl:call-template name="grid-rows">
        <xsl:with-param name="rows" select="d:row"/>
        <xsl:with-param name="r" select="1"/>
        <xsl:with-param name="pending" select="$zeros"/>
        <xsl:with-param name="ncols" select="$ncols"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="natural">
      <xsl:call-template name="natural-widths">
        <xsl:with-param name="grid" select="string($grid)"/>
        <xsl:with-param name="c" select="1"/>
        <xsl:with-param name="ncols" select="$ncols"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="widths">
      <xsl:call-template name="fit-widths">
        <xsl:with-param name="natural" select="string($natural)"/>
        <xsl:with-param name="ncols" select="$ncols"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="d:caption">
      <xsl:variable name="t"><xsl:apply-templates select="d:caption/node()" mode="inline"/></xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($t)"/>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="table-rule">
      <xsl:with-param name="widths" select="string($widths)"/>
      <xsl:with-param name="pending" select="$zeros"/>
      <xsl:with-param name="char" select="'-'"/>
    </xsl:call-template>
    <xsl:for-each select="d:row">
      <xsl:variable name="r" select="position()"/>
      <xsl:variable name="before">
        <xsl:choose>
          <xsl:when test="$r = 1"><xsl:value-of select="$zeros"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="row-pending"><xsl:with-param name="grid" select="string($grid)"/><xsl:with-param name="r" select="$r - 1"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="after">
        <xsl:call-template name="row-pending"><xsl:with-param name="grid" select="string($grid)"/><xsl:with-param name="r" select="$r"/></xsl:call-template>
      </xsl:variable>
      <!-- each cell of the row: its lines, wrapped to its columns' width -->
      <xsl:variable name="blocks">
        <xsl:call-template name="row-blocks">
          <xsl:with-param name="grid" select="substring-after(string($grid), concat($nl, 'cell', $tab, $r, $tab))"/>
          <xsl:with-param name="r" select="$r"/>
          <xsl:with-param name="widths" select="string($widths)"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:call-template name="row-lines">
        <xsl:with-param name="blocks" select="string($blocks)"/>
        <xsl:with-param name="widths" select="string($widths)"/>
        <xsl:with-param name="before" select="string($before)"/>
        <xsl:with-param name="ncols" select="$ncols"/>
        <xsl:with-param name="i" select="1"/>
      </xsl:call-template>
      <xsl:call-template name="table-rule">
        <xsl:with-param name="widths" select="string($widths)"/>
        <xsl:with-param name="pending">
          <xsl:choose>
            <xsl:when test="position() = last()"><xsl:value-of select="$zeros"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$after"/></xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
        <xsl:with-param name="char">
          <xsl:choose>
            <xsl:when test="(@header = 'true' or @header = '1') and not(following-sibling::d:row[1][@header = 'true' or @header = '1'])">=</xsl:when>
            <xsl:otherwise>-</xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
    <xsl:value-of select="$nl"/>
  </xsl:template>

  <!-- the grid: per row "\nrow<TAB>R<TAB>PENDING-AFTER", per cell "\ncell<TAB>R<TAB>C<TAB>SPAN<TAB>ID<TAB>" -->
  <xsl:template name="grid-rows">
    <xsl:param name="rows"/>
    <xsl:param name="r"/>
    <xsl:param name="pending"/>
    <xsl:param name="ncols"/>
    <xsl:if test="$rows[$r]">
      <xsl:variable name="out">
        <xsl:call-template name="grid-cells">
          <xsl:with-param name="cells" select="$rows[$r]/d:cell"/>
          <xsl:with-param name="r" select="$r"/>
          <xsl:with-param name="c" select="1"/>
          <xsl:with-param name="k" select="1"/>
          <xsl:with-param name="pending" select="$pending"/>
          <xsl:with-param name="ncols" select="$ncols"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:variable name="next" select="substring-after($out, '#')"/>
      <xsl:value-of select="concat(substring-before($out, '#'), $nl, 'row', $tab, $r, $tab, $next, $tab)"/>
      <xsl:call-template name="grid-rows">
        <xsl:with-param name="rows" select="$rows"/>
        <xsl:with-param name="r" select="$r + 1"/>
        <xsl:with-param name="pending" select="$next"/>
        <xsl:with-param name="ncols" select="$ncols"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- one row's cells placed from column C on; ends with "#" and the pending string after the row -->
  <xsl:template name="grid-cells">
    <xsl:param name="cells"/>
    <xsl:param name="r"/>
    <xsl:param name="c"/>
    <xsl:param name="k"/>
    <xsl:param name="pending"/>
    <xsl:param name="ncols"/>
    <xsl:variable name="p" select="number(substring($pending, 3 * $c - 2, 3))"/>
    <xsl:choose>
      <xsl:when test="$c &gt; $ncols">
        <xsl:value-of select="concat('#', $pending)"/>
      </xsl:when>
      <xsl:when test="$p &gt; 0">
        <xsl:call-template name="grid-cells">
          <xsl:with-param name="cells" select="$cells"/>
          <xsl:with-param name="r" select="$r"/>
          <xsl:with-param name="c" select="$c + 1"/>
          <xsl:with-param name="k" select="$k"/>
          <xsl:with-param name="pending" select="concat(substring($pending, 1, 3 * $c - 3), substring(1000 + $p - 1, 2), substring($pending, 3 * $c + 1))"/>
          <xsl:with-param name="ncols" select="$ncols"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$cells[$k]">
        <xsl:variable name="cell" select="$cells[$k]"/>
        <xsl:variable name="span0">
          <xsl:choose>
            <xsl:when test="$cell/@colspan"><xsl:value-of select="number($cell/@colspan)"/></xsl:when>
            <xsl:otherwise>1</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <!-- a cell reaching past the last column is cut at it -->
        <xsl:variable name="span" select="$span0 - ($c + $span0 - 1 &gt; $ncols) * ($c + $span0 - 1 - $ncols)"/>
        <xsl:variable name="rs">
          <xsl:choose>
            <xsl:when test="$cell/@rowspan"><xsl:value-of select="number($cell/@rowspan) - 1"/></xsl:when>
            <xsl:otherwise>0</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:value-of select="concat($nl, 'cell', $tab, $r, $tab, $c, $tab, $span, $tab, generate-id($cell), $tab)"/>
        <xsl:call-template name="grid-cells">
          <xsl:with-param name="cells" select="$cells"/>
          <xsl:with-param name="r" select="$r"/>
          <xsl:with-param name="c" select="$c + $span"/>
          <xsl:with-param name="k" select="$k + 1"/>
          <xsl:with-param name="pending">
            <xsl:call-template name="fill-pending">
              <xsl:with-param name="pending" select="$pending"/>
              <xsl:with-param name="from" select="$c"/>
              <xsl:with-param name="to" select="$c + $span - 1"/>
              <xsl:with-param name="value" select="substring(1000 + $rs, 2)"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="ncols" select="$ncols"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="grid-cells">
          <xsl:with-param name="cells" select="$cells"/>
          <xsl:with-param name="r" select="$r"/>
          <xsl:with-param name="c" select="$c + 1"/>
          <xsl:with-param name="k" select="$k"/>
          <xsl:with-param name="pending" select="$pending"/>
          <xsl:with-param name="ncols" select="$ncols"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="fill-pending">
    <xsl:param name="pending"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:param name="value"/>
    <xsl:choose>
      <xsl:when test="$from &gt; $to"><xsl:value-of select="$pending"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="fill-pending">
          <xsl:with-param name="pending" select="concat(substring($pending, 1, 3 * $from - 3), $value, substring($pending, 3 * $from + 1))"/>
          <xsl:with-param name="from" select="$from + 1"/>
          <xsl:with-param name="to" select="$to"/>
          <xsl:with-param name="value" select="$value"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="row-pending">
    <xsl:param name="grid"/>
    <xsl:param name="r"/>
    <xsl:value-of select="substring-before(substring-after($grid, concat($nl, 'row', $tab, $r, $tab)), $tab)"/>
  </xsl:template>

  <!-- the widest paragraph of a cell, in characters -->
  <xsl:template name="cell-natural">
    <xsl:param name="cell"/>
    <xsl:variable name="t"><xsl:apply-templates select="$cell/node()" mode="inline"/></xsl:variable>
    <xsl:variable name="all">
      <xsl:value-of select="concat(string-length(normalize-space($t)), ' ')"/>
      <xsl:for-each select="$cell/d:p | $cell//d:item">
        <xsl:variable name="u"><xsl:apply-templates select="node()[not(self::d:item)]" mode="inline"/></xsl:variable>
        <xsl:value-of select="concat(string-length(normalize-space($u)) + 2 * count(self::d:item), ' ')"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="max-of">
      <xsl:with-param name="list" select="string($all)"/>
      <xsl:with-param name="best" select="1"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="max-of">
    <xsl:param name="list"/>
    <xsl:param name="best"/>
    <xsl:choose>
      <xsl:when test="normalize-space($list) = ''"><xsl:value-of select="$best"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="v" select="number(substring-before($list, ' '))"/>
        <xsl:call-template name="max-of">
          <xsl:with-param name="list" select="substring-after($list, ' ')"/>
          <xsl:with-param name="best" select="$best + ($v &gt; $best) * ($v - $best)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- per column, the widest of its one-column cells: a 3-digit field each -->
  <xsl:template name="natural-widths">
    <xsl:param name="grid"/>
    <xsl:param name="c"/>
    <xsl:param name="ncols"/>
    <xsl:if test="$c &lt;= $ncols">
      <xsl:variable name="all">
        <xsl:call-template name="column-naturals">
          <xsl:with-param name="grid" select="$grid"/>
          <xsl:with-param name="c" select="$c"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:variable name="m">
        <xsl:call-template name="max-of">
          <xsl:with-param name="list" select="string($all)"/>
          <xsl:with-param name="best" select="1"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:value-of select="substring(1000 + $m - ($m &gt; 999) * ($m - 999), 2)"/>
      <xsl:call-template name="natural-widths">
        <xsl:with-param name="grid" select="$grid"/>
        <xsl:with-param name="c" select="$c + 1"/>
        <xsl:with-param name="ncols" select="$ncols"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="column-naturals">
    <xsl:param name="grid"/>
    <xsl:param name="c"/>
    <xsl:if test="contains($grid, concat($nl, 'cell', $tab))">
      <xsl:variable name="rec" select="substring-before(substring-after($grid, concat($nl, 'cell', $tab)), $nl)"/>
      <xsl:variable name="f2" select="substring-after($rec, $tab)"/>
      <xsl:variable name="col" select="number(substring-before($f2, $tab))"/>
      <xsl:variable name="f3" select="substring-after($f2, $tab)"/>
      <xsl:variable name="span" select="number(substring-before($f3, $tab))"/>
      <xsl:variable name="id" select="substring-before(substring-after($f3, $tab), $tab)"/>
      <xsl:if test="$col = $c and $span = 1">
        <xsl:call-template name="cell-natural">
          <xsl:with-param name="cell" select="key('cell', $id)"/>
        </xsl:call-template>
        <xsl:text> </xsl:text>
      </xsl:if>
      <xsl:call-template name="column-naturals">
        <xsl:with-param name="grid" select="substring-after($grid, concat($nl, 'cell', $tab))"/>
        <xsl:with-param name="c" select="$c"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!--
    The natural widths fitted to the page: each column gets at most an equal share of what
    the rules leave; what narrow columns do not use is shared by the wide ones.
  -->
  <xsl:template name="fit-widths">
    <xsl:param name="natural"/>
    <xsl:param name="ncols"/>
    <xsl:variable name="room" select="$W - 3 * $ncols - 1"/>
    <xsl:variable name="share" select="floor($room div $ncols)"/>
    <xsl:variable name="narrow">
      <xsl:call-template name="sum-fields">
        <xsl:with-param name="s" select="$natural"/>
        <xsl:with-param name="below" select="$share + 1"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="nwide">
      <xsl:call-template name="count-fields">
        <xsl:with-param name="s" select="$natural"/>
        <xsl:with-param name="from" select="$share + 1"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="wide" select="floor(($room - $narrow) div ($nwide + ($nwide = 0)))"/>
    <xsl:call-template name="cap-fields">
      <xsl:with-param name="s" select="$natural"/>
      <xsl:with-param name="share" select="$share"/>
      <xsl:with-param name="wide" select="$wide"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="sum-fields">
    <xsl:param name="s"/>
    <xsl:param name="below"/>
    <xsl:param name="acc" select="0"/>
    <xsl:choose>
      <xsl:when test="$s = ''"><xsl:value-of select="$acc"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="v" select="number(substring($s, 1, 3))"/>
        <xsl:call-template name="sum-fields">
          <xsl:with-param name="s" select="substring($s, 4)"/>
          <xsl:with-param name="below" select="$below"/>
          <xsl:with-param name="acc" select="$acc + ($v &lt; $below) * $v"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="count-fields">
    <xsl:param name="s"/>
    <xsl:param name="from"/>
    <xsl:param name="acc" select="0"/>
    <xsl:choose>
      <xsl:when test="$s = ''"><xsl:value-of select="$acc"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="count-fields">
          <xsl:with-param name="s" select="substring($s, 4)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="acc" select="$acc + (number(substring($s, 1, 3)) &gt;= $from)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="cap-fields">
    <xsl:param name="s"/>
    <xsl:param name="share"/>
    <xsl:param name="wide"/>
    <xsl:if test="$s != ''">
      <xsl:variable name="v" select="number(substring($s, 1, 3))"/>
      <xsl:choose>
        <xsl:when test="$v &lt;= $share or $v &lt;= $wide"><xsl:value-of select="substring($s, 1, 3)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="substring(1000 + $wide + ($wide &lt; 1) * (1 - $wide), 2)"/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="cap-fields">
        <xsl:with-param name="s" select="substring($s, 4)"/>
        <xsl:with-param name="share" select="$share"/>
        <xsl:with-param name="wide" select="$wide"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- the width of columns FROM .. FROM + SPAN - 1 with the rules between them -->
  <xsl:template name="span-width">
    <xsl:param name="widths"/>
    <xsl:param name="from"/>
    <xsl:param name="span"/>
    <xsl:choose>
      <xsl:when test="$span &lt;= 1"><xsl:value-of select="number(substring($widths, 3 * $from - 2, 3))"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="rest">
          <xsl:call-template name="span-width">
            <xsl:with-param name="widths" select="$widths"/>
            <xsl:with-param name="from" select="$from + 1"/>
            <xsl:with-param name="span" select="$span - 1"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:value-of select="number(substring($widths, 3 * $from - 2, 3)) + 3 + $rest"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the row's cells, each "cCOL<TAB>SPAN<TAB>LINES<TAB>": its lines wrapped to its width -->
  <xsl:template name="row-blocks">
    <xsl:param name="grid"/>
    <xsl:param name="r"/>
    <xsl:param name="widths"/>
    <xsl:if test="$grid != ''">
      <xsl:variable name="rec" select="substring-before(concat($grid, $nl), $nl)"/>
      <xsl:variable name="col" select="number(substring-before($rec, $tab))"/>
      <xsl:variable name="f2" select="substring-after($rec, $tab)"/>
      <xsl:variable name="span" select="number(substring-before($f2, $tab))"/>
      <xsl:variable name="id" select="substring-before(substring-after($f2, $tab), $tab)"/>
      <xsl:variable name="w">
        <xsl:call-template name="span-width">
          <xsl:with-param name="widths" select="$widths"/>
          <xsl:with-param name="from" select="$col"/>
          <xsl:with-param name="span" select="$span"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:value-of select="concat('c', $col, $tab, $span, $tab)"/>
      <xsl:for-each select="key('cell', $id)">
        <xsl:variable name="t"><xsl:apply-templates select="node()" mode="inline"/></xsl:variable>
        <xsl:call-template name="wrap">
          <xsl:with-param name="text" select="normalize-space($t)"/>
          <xsl:with-param name="width" select="number($w)"/>
        </xsl:call-template>
        <xsl:for-each select="d:p | .//d:item">
          <xsl:variable name="u"><xsl:apply-templates select="node()[not(self::d:item)]" mode="inline"/></xsl:variable>
          <xsl:call-template name="wrap">
            <xsl:with-param name="text" select="normalize-space(concat(substring('- ', 1, 2 * count(self::d:item)), normalize-space($u)))"/>
            <xsl:with-param name="width" select="number($w)"/>
            <xsl:with-param name="hang" select="2 * count(self::d:item)"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:for-each>
      <xsl:value-of select="$tab"/>
      <xsl:variable name="next" select="concat($nl, 'cell', $tab, $r, $tab)"/>
      <xsl:if test="contains($grid, $next)">
        <xsl:call-template name="row-blocks">
          <xsl:with-param name="grid" select="substring-after($grid, $next)"/>
          <xsl:with-param name="r" select="$r"/>
          <xsl:with-param name="widths" select="$widths"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- line I of the row (and the next ones while any cell has lines left) -->
  <xsl:template name="row-lines">
    <xsl:param name="blocks"/>
    <xsl:param name="widths"/>
    <xsl:param name="before"/>
    <xsl:param name="ncols"/>
    <xsl:param name="i"/>
    <xsl:variable name="line">
      <xsl:call-template name="row-line">
        <xsl:with-param name="blocks" select="$blocks"/>
        <xsl:with-param name="widths" select="$widths"/>
        <xsl:with-param name="c" select="1"/>
        <xsl:with-param name="ncols" select="$ncols"/>
        <xsl:with-param name="i" select="$i"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$i = 1 or translate($line, '| ', '') != ''">
      <xsl:call-template name="trim-right"><xsl:with-param name="s" select="string($line)"/></xsl:call-template>
      <xsl:value-of select="$nl"/>
      <xsl:call-template name="row-lines">
        <xsl:with-param name="blocks" select="$blocks"/>
        <xsl:with-param name="widths" select="$widths"/>
        <xsl:with-param name="before" select="$before"/>
        <xsl:with-param name="ncols" select="$ncols"/>
        <xsl:with-param name="i" select="$i + 1"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="row-line">
    <xsl:param name="blocks"/>
    <xsl:param name="widths"/>
    <xsl:param name="c"/>
    <xsl:param name="ncols"/>
    <xsl:param name="i"/>
    <xsl:if test="$c = 1">|</xsl:if>
    <xsl:if test="$c &lt;= $ncols">
      <xsl:variable name="key" select="concat('c', $c, $tab)"/>
      <!-- the cell starting in column C, if any: blocks are "cCOL<TAB>SPAN<TAB>LINES<TAB>" -->
      <xsl:variable name="rest">
        <xsl:choose>
          <xsl:when test="starts-with($blocks, $key)"><xsl:value-of select="substring-after($blocks, $key)"/></xsl:when>
          <xsl:when test="contains($blocks, concat($tab, $key))"><xsl:value-of select="substring-after($blocks, concat($tab, $key))"/></xsl:when>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="body" select="substring-before(substring-after($rest, $tab), $tab)"/>
      <xsl:variable name="span">
        <xsl:choose>
          <xsl:when test="string($rest) = ''">1</xsl:when>
          <xsl:otherwise><xsl:value-of select="substring-before($rest, $tab)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="w">
        <xsl:call-template name="span-width">
          <xsl:with-param name="widths" select="$widths"/>
          <xsl:with-param name="from" select="$c"/>
          <xsl:with-param name="span" select="number($span)"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:variable name="text">
        <xsl:call-template name="nth-line">
          <xsl:with-param name="s" select="string($body)"/>
          <xsl:with-param name="i" select="$i"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:value-of select="concat(' ', $text, substring($spaces, 1, $w - string-length($text)), ' |')"/>
      <xsl:call-template name="row-line">
        <xsl:with-param name="blocks" select="$blocks"/>
        <xsl:with-param name="widths" select="$widths"/>
        <xsl:with-param name="c" select="$c + number($span)"/>
        <xsl:with-param name="ncols" select="$ncols"/>
        <xsl:with-param name="i" select="$i"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="nth-line">
    <xsl:param name="s"/>
    <xsl:param name="i"/>
    <xsl:choose>
      <xsl:when test="$i &lt;= 1"><xsl:value-of select="substring-before($s, $nl)"/></xsl:when>
      <xsl:when test="contains($s, $nl)">
        <xsl:call-template name="nth-line">
          <xsl:with-param name="s" select="substring-after($s, $nl)"/>
          <xsl:with-param name="i" select="$i - 1"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- a rule of CHAR with + at the joints; blank under a column whose cell spans on into the next row -->
  <xsl:template name="table-rule">
    <xsl:param name="widths"/>
    <xsl:param name="pending"/>
    <xsl:param name="char"/>
    <xsl:param name="c" select="1"/>
    <!-- a joint is "+" beside a rule, "|" between two cells that go on -->
    <xsl:variable name="open" select="number(substring($pending, 3 * $c - 2, 3)) &gt; 0"/>
    <xsl:variable name="nextOpen" select="string-length($widths) &lt; 3 * $c + 3 or number(substring($pending, 3 * $c + 1, 3)) &gt; 0"/>
    <xsl:if test="$c = 1">
      <xsl:choose>
        <xsl:when test="$open">|</xsl:when>
        <xsl:otherwise>+</xsl:otherwise>
      </xsl:choose>
    </xsl:if>
    <xsl:if test="string-length($widths) &gt;= 3 * $c">
      <xsl:variable name="w" select="number(substring($widths, 3 * $c - 2, 3)) + 2"/>
      <xsl:choose>
        <xsl:when test="$open"><xsl:value-of select="substring($spaces, 1, $w)"/></xsl:when>
        <xsl:when test="$char = '='"><xsl:value-of select="translate(substring($dashes, 1, $w), '-', '=')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="substring($dashes, 1, $w)"/></xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="$open and $nextOpen">|</xsl:when>
        <xsl:otherwise>+</xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="table-rule">
        <xsl:with-param name="widths" select="$widths"/>
        <xsl:with-param name="pending" select="$pending"/>
        <xsl:with-param name="char" select="$char"/>
        <xsl:with-param name="c" select="$c + 1"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$c = 1"><xsl:value-of select="$nl"/></xsl:if>
  </xsl:template>

  <xsl:template name="trim-right">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="substring($s, string-length($s)) = ' '">
        <xsl:call-template name="trim-right"><xsl:with-param name="s" select="substring($s, 1, string-length($s) - 1)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Report                                                             -->
  <!-- ================================================================== -->

  <xsl:template match="d:report">
    <xsl:if test="d:plan">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:text>Kế hoạch thực hiện: </xsl:text>
          <xsl:call-template name="doc-ref">
            <xsl:with-param name="id" select="normalize-space(d:plan/@ref)"/>
            <xsl:with-param name="code" select="normalize-space(d:plan/@code)"/>
            <xsl:with-param name="date" select="normalize-space(d:plan/@date)"/>
            <xsl:with-param name="type" select="'KH'"/>
          </xsl:call-template>
        </xsl:with-param>
        <xsl:with-param name="width" select="$W"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="d:year">
      <xsl:value-of select="concat('Năm báo cáo: ', normalize-space(d:year), $nl)"/>
    </xsl:if>
    <xsl:if test="d:unit">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:text>Đơn vị báo cáo: </xsl:text>
          <xsl:call-template name="unit-name">
            <xsl:with-param name="id" select="normalize-space(d:unit)"/>
          </xsl:call-template>
        </xsl:with-param>
        <xsl:with-param name="width" select="$W"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="d:plan or d:year or d:unit">
      <xsl:value-of select="$nl"/>
    </xsl:if>
    <xsl:apply-templates select="*[not(self::d:plan or self::d:year or self::d:unit)]" mode="report"/>
  </xsl:template>

  <!-- a report's free parts: blocks of the general body -->
  <xsl:template match="*" mode="report">
    <xsl:apply-templates select="." mode="body"/>
  </xsl:template>

  <!-- "- Tỷ lệ trẻ em hoàn thành cấp tiểu học (chỉ tiêu 4.1): 99,5% (398/400)." -->
  <xsl:template match="d:results" mode="report">
    <xsl:call-template name="report-heading">
      <xsl:with-param name="title" select="'KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU'"/>
    </xsl:call-template>
    <xsl:for-each select="d:result">
      <xsl:variable name="id" select="normalize-space(@indicator)"/>
      <xsl:variable name="name">
        <xsl:call-template name="lookup">
          <xsl:with-param name="kind" select="'indicator'"/>
          <xsl:with-param name="id" select="$id"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:variable name="unit">
        <xsl:call-template name="lookup">
          <xsl:with-param name="kind" select="'indicator'"/>
          <xsl:with-param name="id" select="$id"/>
          <xsl:with-param name="field" select="2"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:variable name="t">
        <xsl:apply-templates select="node()" mode="inline"/>
      </xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:choose>
            <xsl:when test="$name != ''">
              <xsl:value-of select="concat('- ', $name, ' (chỉ tiêu ', $id, '): ', translate(normalize-space(@value), '.', ','))"/>
              <xsl:if test="$unit = '%' and normalize-space(@value) != ''">%</xsl:if>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="concat('- Chỉ tiêu ', $id, ': ', translate(normalize-space(@value), '.', ','))"/>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:if test="@numerator and @denominator">
            <xsl:value-of select="concat(' (', normalize-space(@numerator), '/', normalize-space(@denominator), ')')"/>
          </xsl:if>
          <xsl:if test="@applicable = 'false' or @applicable = '0'">không áp dụng</xsl:if>
          <xsl:text>.</xsl:text>
          <xsl:if test="normalize-space($t) != ''">
            <xsl:value-of select="concat(' ', normalize-space($t))"/>
          </xsl:if>
        </xsl:with-param>
        <xsl:with-param name="width" select="$W"/>
        <xsl:with-param name="hang" select="2"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="d:narratives" mode="report">
    <xsl:call-template name="report-heading">
      <xsl:with-param name="title" select="'KẾT QUẢ THỰC HIỆN NHIỆM VỤ'"/>
    </xsl:call-template>
    <xsl:for-each select="d:narrative">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:value-of select="concat(position(), '. ')"/>
          <xsl:choose>
            <xsl:when test="@title">
              <xsl:value-of select="normalize-space(@title)"/>
            </xsl:when>
            <xsl:when test="@group">
              <xsl:variable name="g">
                <xsl:call-template name="lookup">
                  <xsl:with-param name="kind" select="'group'"/>
                  <xsl:with-param name="id" select="normalize-space(@group)"/>
                </xsl:call-template>
              </xsl:variable>
              <xsl:choose>
                <xsl:when test="$g != ''"><xsl:value-of select="$g"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="concat('Nhóm nhiệm vụ ', normalize-space(@group))"/></xsl:otherwise>
              </xsl:choose>
            </xsl:when>
            <xsl:otherwise>Nhiệm vụ khác</xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
        <xsl:with-param name="width" select="$W"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
      <xsl:apply-templates select="*" mode="body"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="d:difficulties" mode="report">
    <xsl:call-template name="report-heading">
      <xsl:with-param name="title" select="'KHÓ KHĂN, VƯỚNG MẮC'"/>
    </xsl:call-template>
    <xsl:apply-templates select="*" mode="body"/>
  </xsl:template>

  <xsl:template match="d:proposals" mode="report">
    <xsl:call-template name="report-heading">
      <xsl:with-param name="title" select="'ĐỀ XUẤT, KIẾN NGHỊ'"/>
    </xsl:call-template>
    <xsl:apply-templates select="*" mode="body"/>
  </xsl:template>

  <!-- "I. …", "II. …" numbered by the parts the report has -->
  <xsl:template name="report-heading">
    <xsl:param name="title"/>
    <xsl:variable name="n" select="count(preceding-sibling::d:results | preceding-sibling::d:narratives
                                         | preceding-sibling::d:difficulties | preceding-sibling::d:proposals) + 1"/>
    <xsl:call-template name="roman">
      <xsl:with-param name="n" select="$n"/>
    </xsl:call-template>
    <xsl:value-of select="concat('. ', $title, $nl, $nl)"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Task                                                               -->
  <!-- ================================================================== -->

  <xsl:template match="d:task">
    <xsl:call-template name="wrap">
      <xsl:with-param name="text">
        <xsl:text>Đơn vị giao: </xsl:text>
        <xsl:call-template name="unit-name">
          <xsl:with-param name="id" select="normalize-space(d:assigner/@unit)"/>
        </xsl:call-template>
        <xsl:if test="d:assigner/@person">
          <xsl:text> (</xsl:text>
          <xsl:call-template name="person-name">
            <xsl:with-param name="id" select="normalize-space(d:assigner/@person)"/>
          </xsl:call-template>
          <xsl:text>)</xsl:text>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="width" select="$W"/>
    </xsl:call-template>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text">
        <xsl:text>Đơn vị thực hiện: </xsl:text>
        <xsl:call-template name="unit-name">
          <xsl:with-param name="id" select="normalize-space(d:assignee/@unit)"/>
        </xsl:call-template>
        <xsl:if test="d:assignee/@person">
          <xsl:text> (</xsl:text>
          <xsl:call-template name="person-name">
            <xsl:with-param name="id" select="normalize-space(d:assignee/@person)"/>
          </xsl:call-template>
          <xsl:text>)</xsl:text>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="width" select="$W"/>
    </xsl:call-template>
    <xsl:if test="d:source">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text">
          <xsl:text>Căn cứ: </xsl:text>
          <xsl:call-template name="doc-ref">
            <xsl:with-param name="id" select="normalize-space(d:source/@plan)"/>
            <xsl:with-param name="type" select="'KH'"/>
          </xsl:call-template>
          <xsl:if test="d:source/@section">
            <xsl:value-of select="concat(', mục ', normalize-space(d:source/@section))"/>
          </xsl:if>
        </xsl:with-param>
        <xsl:with-param name="width" select="$W"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:text>Thời hạn hoàn thành: </xsl:text>
    <xsl:call-template name="short-date">
      <xsl:with-param name="date" select="normalize-space(d:due)"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="concat('Sản phẩm: ', normalize-space(d:deliverable))"/>
      <xsl:with-param name="width" select="$W"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
    <xsl:apply-templates select="d:description/* | d:p | d:item | d:table | d:part | d:chapter | d:section | d:article" mode="body"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Names: what the `names` parameter says about an id                 -->
  <!-- ================================================================== -->

  <!-- field FIELD (1 = the first after the id) of the line "KIND<TAB>ID<TAB>…"; '' when absent -->
  <xsl:template name="lookup">
    <xsl:param name="kind"/>
    <xsl:param name="id"/>
    <xsl:param name="field" select="1"/>
    <xsl:variable name="key" select="concat($nl, $kind, $tab, $id, $tab)"/>
    <xsl:if test="$id != '' and contains($names, $key)">
      <xsl:call-template name="field">
        <xsl:with-param name="s" select="concat(substring-before(substring-after($names, $key), $nl), $tab)"/>
        <xsl:with-param name="n" select="$field"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="field">
    <xsl:param name="s"/>
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="$n &lt;= 1"><xsl:value-of select="substring-before($s, $tab)"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="field">
          <xsl:with-param name="s" select="substring-after($s, $tab)"/>
          <xsl:with-param name="n" select="$n - 1"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="unit-name">
    <xsl:param name="id"/>
    <xsl:variable name="n">
      <xsl:call-template name="lookup">
        <xsl:with-param name="kind" select="'unit'"/>
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$n != ''"><xsl:value-of select="$n"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="person-name">
    <xsl:param name="id"/>
    <xsl:variable name="n">
      <xsl:call-template name="lookup">
        <xsl:with-param name="kind" select="'person'"/>
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$n != ''"><xsl:value-of select="$n"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    Another document as people cite it: "Kế hoạch số 354/KH-PGDĐT ngày 11/05/2021". From
    `names` when docket passed it; else from this document's own legal basis with the same
    ref, else CODE (as the reference carries it); else the id. An unnumbered document is
    cited by its summary: "Kế hoạch “…” (chưa ban hành)".
  -->
  <xsl:template name="doc-ref">
    <xsl:param name="id"/>
    <xsl:param name="code" select="''"/>
    <xsl:param name="date" select="''"/>
    <xsl:param name="type" select="''"/>
    <xsl:variable name="key" select="concat($nl, 'doc', $tab, $id, $tab)"/>
    <xsl:variable name="basis" select="/d:document/d:header/d:bases/d:basis[@ref = $id][1]"/>
    <xsl:choose>
      <xsl:when test="$id != '' and contains($names, $key)">
        <xsl:variable name="line" select="concat(substring-before(substring-after($names, $key), $nl), $tab)"/>
        <xsl:variable name="tcode" select="substring-before($line, $tab)"/>
        <xsl:variable name="r1" select="substring-after($line, $tab)"/>
        <xsl:variable name="number" select="substring-before($r1, $tab)"/>
        <xsl:variable name="r2" select="substring-after($r1, $tab)"/>
        <xsl:variable name="notation" select="substring-before($r2, $tab)"/>
        <xsl:variable name="r3" select="substring-after($r2, $tab)"/>
        <xsl:variable name="ddate" select="substring-before($r3, $tab)"/>
        <xsl:variable name="subject" select="substring-before(substring-after($r3, $tab), $tab)"/>
        <xsl:variable name="tname">
          <xsl:call-template name="type-name">
            <xsl:with-param name="code" select="$tcode"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="$tname != ''"><xsl:value-of select="$tname"/></xsl:when>
          <xsl:otherwise>Văn bản</xsl:otherwise>
        </xsl:choose>
        <xsl:choose>
          <xsl:when test="$number != ''">
            <xsl:value-of select="concat(' số ', $number, '/', $notation)"/>
            <xsl:if test="$ddate != ''">
              <xsl:text> ngày </xsl:text>
              <xsl:call-template name="short-date">
                <xsl:with-param name="date" select="$ddate"/>
              </xsl:call-template>
            </xsl:if>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="concat(' “', $subject, '” (chưa ban hành)')"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="$basis">
        <xsl:call-template name="type-name">
          <xsl:with-param name="code" select="$type"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' số ', normalize-space($basis/d:code), ' ngày ')"/>
        <xsl:call-template name="short-date">
          <xsl:with-param name="date" select="normalize-space($basis/d:date)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$code != ''">
        <xsl:call-template name="type-name">
          <xsl:with-param name="code" select="$type"/>
        </xsl:call-template>
        <xsl:value-of select="concat(' số ', $code)"/>
        <xsl:if test="$date != ''">
          <xsl:text> ngày </xsl:text>
          <xsl:call-template name="short-date">
            <xsl:with-param name="date" select="$date"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$id"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Decree 30 Annex III type names, and the legal documents legal bases cite most -->
  <xsl:template name="type-name">
    <xsl:param name="code"/>
    <xsl:choose>
      <xsl:when test="$code = 'NQ'">Nghị quyết</xsl:when>
      <xsl:when test="$code = 'QĐ'">Quyết định</xsl:when>
      <xsl:when test="$code = 'CT'">Chỉ thị</xsl:when>
      <xsl:when test="$code = 'QC'">Quy chế</xsl:when>
      <xsl:when test="$code = 'QyĐ'">Quy định</xsl:when>
      <xsl:when test="$code = 'TC'">Thông cáo</xsl:when>
      <xsl:when test="$code = 'TB'">Thông báo</xsl:when>
      <xsl:when test="$code = 'HD'">Hướng dẫn</xsl:when>
      <xsl:when test="$code = 'CTr'">Chương trình</xsl:when>
      <xsl:when test="$code = 'KH'">Kế hoạch</xsl:when>
      <xsl:when test="$code = 'PA'">Phương án</xsl:when>
      <xsl:when test="$code = 'ĐA'">Đề án</xsl:when>
      <xsl:when test="$code = 'DA'">Dự án</xsl:when>
      <xsl:when test="$code = 'BC'">Báo cáo</xsl:when>
      <xsl:when test="$code = 'BB'">Biên bản</xsl:when>
      <xsl:when test="$code = 'TTr'">Tờ trình</xsl:when>
      <xsl:when test="$code = 'HĐ'">Hợp đồng</xsl:when>
      <xsl:when test="$code = 'CĐ'">Công điện</xsl:when>
      <xsl:when test="$code = 'BGN'">Bản ghi nhớ</xsl:when>
      <xsl:when test="$code = 'BTT'">Bản thỏa thuận</xsl:when>
      <xsl:when test="$code = 'GUQ'">Giấy ủy quyền</xsl:when>
      <xsl:when test="$code = 'GM'">Giấy mời</xsl:when>
      <xsl:when test="$code = 'GGT'">Giấy giới thiệu</xsl:when>
      <xsl:when test="$code = 'GNP'">Giấy nghỉ phép</xsl:when>
      <xsl:when test="$code = 'PG'">Phiếu gửi</xsl:when>
      <xsl:when test="$code = 'PC'">Phiếu chuyển</xsl:when>
      <xsl:when test="$code = 'PB'">Phiếu báo</xsl:when>
      <xsl:when test="$code = 'SY'">Bản sao y</xsl:when>
      <xsl:when test="$code = 'TrS'">Bản trích sao</xsl:when>
      <xsl:when test="$code = 'SL'">Bản sao lục</xsl:when>
      <xsl:when test="$code = 'NĐ'">Nghị định</xsl:when>
      <xsl:when test="$code = 'TT'">Thông tư</xsl:when>
      <xsl:when test="$code = 'CV'">Công văn</xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Rich text                                                          -->
  <!-- ================================================================== -->

  <!-- the current element's inline content word-wrapped after LEAD, then a blank line -->
  <xsl:template name="paragraph">
    <xsl:param name="lead" select="''"/>
    <xsl:param name="hang" select="0"/>
    <xsl:variable name="t">
      <xsl:apply-templates select="node()" mode="inline"/>
    </xsl:variable>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="normalize-space(concat($lead, normalize-space($t)))"/>
      <xsl:with-param name="width" select="$W"/>
      <xsl:with-param name="hang" select="$hang"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
  </xsl:template>

  <!-- whitespace collapsed, as for xs:token; a space next to em or fnref is kept -->
  <xsl:template match="text()" mode="inline">
    <xsl:variable name="text" select="normalize-space(.)"/>
    <xsl:variable name="before" select="normalize-space(substring(., 1, 1)) = '' and preceding-sibling::node()"/>
    <xsl:variable name="after" select="normalize-space(substring(., string-length(.), 1)) = '' and following-sibling::node()"/>
    <xsl:choose>
      <xsl:when test="$text = ''">
        <xsl:if test="$before and $after">
          <xsl:text> </xsl:text>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="$before">
          <xsl:text> </xsl:text>
        </xsl:if>
        <xsl:value-of select="$text"/>
        <xsl:if test="$after">
          <xsl:text> </xsl:text>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="d:em" mode="inline">
    <xsl:value-of select="concat($em, normalize-space(.), $em)"/>
  </xsl:template>

  <xsl:template match="d:fnref" mode="inline">
    <xsl:call-template name="fnmark">
      <xsl:with-param name="num" select="key('footnote', @ref)/@num"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="*" mode="inline"/>

  <xsl:template name="fnmark">
    <xsl:param name="num"/>
    <xsl:choose>
      <xsl:when test="$fnmarks = 'bracket'">
        <xsl:value-of select="concat('[', $num, ']')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="translate($num, '0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Numbers and dates                                                  -->
  <!-- ================================================================== -->

  <xsl:template name="roman">
    <xsl:param name="n"/>
    <xsl:choose>
      <xsl:when test="$n &gt;= 40"><xsl:value-of select="$n"/></xsl:when>
      <xsl:when test="$n &gt;= 10">
        <xsl:text>X</xsl:text>
        <xsl:call-template name="roman"><xsl:with-param name="n" select="$n - 10"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$n = 9">IX</xsl:when>
      <xsl:when test="$n &gt;= 5">
        <xsl:text>V</xsl:text>
        <xsl:call-template name="roman"><xsl:with-param name="n" select="$n - 5"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$n = 4">IV</xsl:when>
      <xsl:when test="$n &gt;= 1">
        <xsl:text>I</xsl:text>
        <xsl:call-template name="roman"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- "ngày 11 tháng 5 năm 2021"; days below 10 and months 1-2 take a leading zero -->
  <xsl:template name="long-date">
    <xsl:param name="date"/>
    <xsl:variable name="m" select="number(substring($date, 6, 2))"/>
    <xsl:value-of select="concat('ngày ', substring($date, 9, 2), ' tháng ')"/>
    <xsl:choose>
      <xsl:when test="$m &lt; 3">
        <xsl:value-of select="concat('0', $m)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$m"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat(' năm ', substring($date, 1, 4))"/>
  </xsl:template>

  <!-- "15/12/2025" -->
  <xsl:template name="short-date">
    <xsl:param name="date"/>
    <xsl:value-of select="concat(substring($date, 9, 2), '/', substring($date, 6, 2), '/', substring($date, 1, 4))"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Layout                                                             -->
  <!-- ================================================================== -->

  <!--
    Two blocks of lines side by side: each line of LEFT, then from column LW + GAP the line
    of RIGHT beside it; the longer block goes on alone. No line ends in blanks.
  -->
  <xsl:template name="columns">
    <xsl:param name="left"/>
    <xsl:param name="right"/>
    <xsl:if test="$left != '' or $right != ''">
      <xsl:variable name="l">
        <xsl:choose>
          <xsl:when test="contains($left, $nl)"><xsl:value-of select="substring-before($left, $nl)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$left"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="r">
        <xsl:choose>
          <xsl:when test="contains($right, $nl)"><xsl:value-of select="substring-before($right, $nl)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$right"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:value-of select="$l"/>
      <xsl:if test="$r != ''">
        <xsl:choose>
          <xsl:when test="string-length($l) &lt; $LW + $GAP">
            <xsl:value-of select="substring($spaces, 1, $LW + $GAP - string-length($l))"/>
          </xsl:when>
          <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
        </xsl:choose>
        <xsl:value-of select="$r"/>
      </xsl:if>
      <xsl:value-of select="$nl"/>
      <xsl:call-template name="columns">
        <xsl:with-param name="left" select="substring-after($left, $nl)"/>
        <xsl:with-param name="right" select="substring-after($right, $nl)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- one line centred in BOX columns -->
  <xsl:template name="centre">
    <xsl:param name="text"/>
    <xsl:param name="box"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="$text"/>
      <xsl:with-param name="width" select="$box"/>
      <xsl:with-param name="align" select="'centre'"/>
    </xsl:call-template>
  </xsl:template>

  <!--
    TEXT (white space already collapsed) word-wrapped to WIDTH columns, each line after
    INDENT blanks, every line but the first after HANG more (and HANG columns narrower);
    ALIGN 'centre' centres each line in WIDTH, the lines made of even length. A word longer
    than a line stands alone.
  -->
  <xsl:template name="wrap">
    <xsl:param name="text"/>
    <xsl:param name="width"/>
    <xsl:param name="align" select="'left'"/>
    <xsl:param name="indent" select="0"/>
    <xsl:param name="hang" select="0"/>
    <xsl:param name="first" select="true()"/>
    <xsl:param name="box" select="$width"/>
    <xsl:param name="balanced" select="false()"/>
    <!-- HOLD: the last line is not printed but given back after a tab (wrap-open) -->
    <xsl:param name="hold" select="false()"/>
    <!-- CUT: the length of this line when the caller found it (else -1) -->
    <xsl:param name="cut" select="-1"/>
    <xsl:variable name="lead" select="$hang * number(not($first))"/>
    <xsl:variable name="w" select="$width - $lead"/>
    <xsl:variable name="n" select="string-length($text)"/>
    <xsl:choose>
    <!-- centred text of several lines: lines of even length, not one long and one short -->
    <xsl:when test="$align = 'centre' and not($balanced) and $n &gt; $w">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="$text"/>
        <xsl:with-param name="width" select="ceiling($n div ceiling($n div $w)) + 6 - (ceiling($n div ceiling($n div $w)) + 6 &gt; $w) * (ceiling($n div ceiling($n div $w)) + 6 - $w)"/>
        <xsl:with-param name="box" select="$width"/>
        <xsl:with-param name="align" select="$align"/>
        <xsl:with-param name="indent" select="$indent"/>
        <xsl:with-param name="balanced" select="true()"/>
      </xsl:call-template>
    </xsl:when>
    <!--
      A long paragraph is wrapped half by half (wrap-open), so that the recursion is as deep
      as the logarithm of its length, not as its number of lines: libxslt stops a recursion
      some thousands deep, and a document may hold a paragraph of megabytes.
    -->
    <xsl:when test="$n &gt; 480 and $align != 'centre' and not($hold) and $cut &lt; 0">
      <xsl:variable name="r">
        <xsl:call-template name="wrap-open">
          <xsl:with-param name="text" select="$text"/>
          <xsl:with-param name="width" select="$width"/>
          <xsl:with-param name="indent" select="$indent"/>
          <xsl:with-param name="hang" select="$hang"/>
          <xsl:with-param name="first" select="$first"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:value-of select="substring-before($r, $tab)"/>
      <!-- the held line is one line (a word longer than the page included): printed as it is -->
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="substring-after($r, $tab)"/>
        <xsl:with-param name="width" select="$width"/>
        <xsl:with-param name="indent" select="$indent"/>
        <xsl:with-param name="hang" select="$hang"/>
        <xsl:with-param name="first" select="false()"/>
        <xsl:with-param name="cut" select="string-length(substring-after($r, $tab))"/>
      </xsl:call-template>
    </xsl:when>
    <!-- the last line (or the only one): as it is, no further call -->
    <xsl:when test="$text != '' and $n &lt;= $w">
      <xsl:choose>
        <xsl:when test="$hold">
          <xsl:value-of select="concat($tab, $text)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="concat(substring($spaces, 1, $indent + $lead + ($align = 'centre' and $n &lt; $box) * floor(($box - $n) div 2)), $text, $nl)"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:when>
    <xsl:when test="$text != ''">
      <!--
        The line: up to the last blank that fits (a word longer than the line: the first word).
        The blank is found without a call or a result tree fragment, which cost more than all
        the arithmetic, when it is the next character or among the line's last 13 columns (the
        sum of K for the one K that holds a blank with none after it); else CUT is searched
        (words-before-last) and the call made again with it.
      -->
      <xsl:variable name="next" select="substring($text, $w + 1, 1) = ' '"/>
      <xsl:variable name="near" select="$w * (substring($text, $w, 1) = ' ') + (substring($text, ($w - 1), 1) = ' ' and not(contains(substring($text, ($w - 1) + 1, 1), ' '))) * ($w - 1) + (substring($text, ($w - 2), 1) = ' ' and not(contains(substring($text, ($w - 2) + 1, 2), ' '))) * ($w - 2) + (substring($text, ($w - 3), 1) = ' ' and not(contains(substring($text, ($w - 3) + 1, 3), ' '))) * ($w - 3) + (substring($text, ($w - 4), 1) = ' ' and not(contains(substring($text, ($w - 4) + 1, 4), ' '))) * ($w - 4) + (substring($text, ($w - 5), 1) = ' ' and not(contains(substring($text, ($w - 5) + 1, 5), ' '))) * ($w - 5) + (substring($text, ($w - 6), 1) = ' ' and not(contains(substring($text, ($w - 6) + 1, 6), ' '))) * ($w - 6) + (substring($text, ($w - 7), 1) = ' ' and not(contains(substring($text, ($w - 7) + 1, 7), ' '))) * ($w - 7) + (substring($text, ($w - 8), 1) = ' ' and not(contains(substring($text, ($w - 8) + 1, 8), ' '))) * ($w - 8) + (substring($text, ($w - 9), 1) = ' ' and not(contains(substring($text, ($w - 9) + 1, 9), ' '))) * ($w - 9) + (substring($text, ($w - 10), 1) = ' ' and not(contains(substring($text, ($w - 10) + 1, 10), ' '))) * ($w - 10) + (substring($text, ($w - 11), 1) = ' ' and not(contains(substring($text, ($w - 11) + 1, 11), ' '))) * ($w - 11) + (substring($text, ($w - 12), 1) = ' ' and not(contains(substring($text, ($w - 12) + 1, 12), ' '))) * ($w - 12)"/>
      <xsl:variable name="len" select="($cut &gt;= 0) * $cut + ($cut &lt; 0) * ($next * $w + (not($next)) * (($near &gt; 1) * ($near - 1) - ($near &lt;= 1)))"/>
      <xsl:choose>
      <xsl:when test="$len &lt; 0">
        <xsl:variable name="head">
          <xsl:call-template name="words-before-last">
            <xsl:with-param name="s" select="substring($text, 1, $w + 1)"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:call-template name="wrap">
          <xsl:with-param name="text" select="$text"/>
          <xsl:with-param name="width" select="$width"/>
          <xsl:with-param name="align" select="$align"/>
          <xsl:with-param name="indent" select="$indent"/>
          <xsl:with-param name="hang" select="$hang"/>
          <xsl:with-param name="first" select="$first"/>
          <xsl:with-param name="box" select="$box"/>
          <xsl:with-param name="balanced" select="$balanced"/>
          <xsl:with-param name="hold" select="$hold"/>
          <xsl:with-param name="cut" select="string-length($head) + (string($head) = '') * string-length(substring-before(concat($text, ' '), ' '))"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
      <xsl:variable name="line" select="substring($text, 1, $len)"/>
      <xsl:variable name="pad" select="($align = 'centre' and $len &lt; $box) * floor(($box - $len) div 2)"/>
      <xsl:variable name="rest" select="substring($text, string-length($line) + 2)"/>
      <xsl:choose>
        <!-- wrap-open wants the last line unfinished: a tab, then its words -->
        <xsl:when test="$hold and $rest = ''">
          <xsl:value-of select="concat($tab, $line)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="concat(substring($spaces, 1, $indent + $lead + $pad), $line, $nl)"/>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="$rest"/>
        <xsl:with-param name="width" select="$width"/>
        <xsl:with-param name="align" select="$align"/>
        <xsl:with-param name="indent" select="$indent"/>
        <xsl:with-param name="hang" select="$hang"/>
        <xsl:with-param name="first" select="false()"/>
        <xsl:with-param name="box" select="$box"/>
        <xsl:with-param name="balanced" select="$balanced"/>
        <xsl:with-param name="hold" select="$hold"/>
      </xsl:call-template>
      </xsl:otherwise>
      </xsl:choose>
    </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!--
    TEXT wrapped as wrap does, but its last line held back: the finished lines, a tab, then
    the last line's words, which the caller continues with what follows. Halves are wrapped
    one after the other, the second starting with the first's held line: the same lines as
    one pass, at a recursion depth of log2(length / 1000).
  -->
  <xsl:template name="wrap-open">
    <xsl:param name="text"/>
    <xsl:param name="width"/>
    <xsl:param name="indent"/>
    <xsl:param name="hang"/>
    <xsl:param name="first"/>
    <xsl:variable name="n" select="string-length($text)"/>
    <xsl:variable name="mid" select="floor($n div 2)"/>
    <!-- cut at the first blank from the middle on -->
    <xsl:variable name="word" select="substring-before(concat(substring($text, $mid), ' '), ' ')"/>
    <xsl:variable name="head" select="substring($text, 1, $mid + string-length($word) - 1)"/>
    <xsl:variable name="tail" select="substring($text, $mid + string-length($word) + 1)"/>
    <xsl:choose>
      <xsl:when test="$n &lt;= 480 or $tail = '' or $head = ''">
        <xsl:call-template name="wrap">
          <xsl:with-param name="text" select="$text"/>
          <xsl:with-param name="width" select="$width"/>
          <xsl:with-param name="indent" select="$indent"/>
          <xsl:with-param name="hang" select="$hang"/>
          <xsl:with-param name="first" select="$first"/>
          <xsl:with-param name="hold" select="true()"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="a">
          <xsl:call-template name="wrap-open">
            <xsl:with-param name="text" select="$head"/>
            <xsl:with-param name="width" select="$width"/>
            <xsl:with-param name="indent" select="$indent"/>
            <xsl:with-param name="hang" select="$hang"/>
            <xsl:with-param name="first" select="$first"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:value-of select="substring-before($a, $tab)"/>
        <xsl:call-template name="wrap-open">
          <xsl:with-param name="text" select="concat(substring-after($a, $tab), ' ', $tail)"/>
          <xsl:with-param name="width" select="$width"/>
          <xsl:with-param name="indent" select="$indent"/>
          <xsl:with-param name="hang" select="$hang"/>
          <xsl:with-param name="first" select="false()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    S without its last word (everything before its last blank; '' when it has none). The last
    blank is found by halving the range it may be in: a handful of steps for a line, where
    going word by word took one step a word.
  -->
  <xsl:template name="words-before-last">
    <xsl:param name="s"/>
    <xsl:param name="lo" select="1"/>
    <xsl:param name="hi" select="string-length($s)"/>
    <xsl:choose>
      <xsl:when test="not(contains($s, ' '))"/>
      <xsl:when test="$lo &gt;= $hi">
        <xsl:value-of select="substring($s, 1, $lo - 1)"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- the last blank is at LO..HI; is there one after the middle? -->
        <xsl:variable name="mid" select="floor(($lo + $hi) div 2)"/>
        <xsl:choose>
          <xsl:when test="contains(substring($s, $mid + 1, $hi - $mid), ' ')">
            <xsl:call-template name="words-before-last">
              <xsl:with-param name="s" select="$s"/>
              <xsl:with-param name="lo" select="$mid + 1"/>
              <xsl:with-param name="hi" select="$hi"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="words-before-last">
              <xsl:with-param name="s" select="$s"/>
              <xsl:with-param name="lo" select="$lo"/>
              <xsl:with-param name="hi" select="$mid"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
