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

    <!-- the preamble; without one, the legal bases, one "Căn cứ" line each -->
    <xsl:choose>
      <xsl:when test="d:content/d:preamble">
        <xsl:for-each select="d:content/d:preamble">
          <xsl:call-template name="paragraph"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="$h/d:bases"/>
      </xsl:otherwise>
    </xsl:choose>

    <xsl:apply-templates select="d:content/d:plan | d:content/d:report | d:content/d:task"/>
    <xsl:for-each select="d:content/d:closing">
      <xsl:call-template name="paragraph"/>
    </xsl:for-each>

    <!-- "Nơi nhận:" | the signer block -->
    <xsl:if test="$h/d:recipients or $h/d:signer">
      <xsl:call-template name="columns">
        <xsl:with-param name="left">
          <xsl:apply-templates select="$h/d:recipients"/>
        </xsl:with-param>
        <xsl:with-param name="right">
          <xsl:apply-templates select="$h/d:signer"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>

    <xsl:apply-templates select="d:content/d:footnotes"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Heading                                                            -->
  <!-- ================================================================== -->

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
    <xsl:for-each select="d:basis">
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
          <xsl:value-of select="concat('số ', $code, ' ngày ')"/>
          <xsl:call-template name="short-date">
            <xsl:with-param name="date" select="normalize-space(d:date)"/>
          </xsl:call-template>
          <xsl:value-of select="concat(' của ', normalize-space(d:issuer))"/>
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
    </xsl:for-each>
    <xsl:value-of select="$nl"/>
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

  <!-- "KT. TRƯỞNG PHÒNG" / "PHÓ TRƯỞNG PHÒNG" / room for the signature / "Lê Thị Lan" -->
  <xsl:template match="d:signer">
    <xsl:variable name="authority" select="normalize-space(d:authority)"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text">
        <xsl:if test="$authority != ''">
          <xsl:value-of select="concat($authority, ' ')"/>
        </xsl:if>
        <xsl:value-of select="normalize-space(d:title)"/>
      </xsl:with-param>
      <xsl:with-param name="width" select="$RW"/>
      <xsl:with-param name="align" select="'centre'"/>
    </xsl:call-template>
    <xsl:if test="normalize-space(d:position) != ''">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(d:position)"/>
        <xsl:with-param name="width" select="$RW"/>
        <xsl:with-param name="align" select="'centre'"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:value-of select="concat($nl, $nl, $nl)"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="normalize-space(d:fullName)"/>
      <xsl:with-param name="width" select="$RW"/>
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

  <!-- any numbered, titled section: "I. MỤC ĐÍCH, YÊU CẦU", "1.1. Bộ phận CTTT" -->
  <xsl:template match="*[@num and @title]" mode="body">
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="concat(normalize-space(@num), '. ', normalize-space(@title))"/>
      <xsl:with-param name="width" select="$W"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
    <xsl:apply-templates select="*" mode="body"/>
  </xsl:template>

  <!-- "(4). Tỷ lệ trẻ em hoàn thành …"; the indicators are data, the sentence says them -->
  <xsl:template match="d:objective" mode="body">
    <xsl:for-each select="d:text">
      <xsl:call-template name="paragraph">
        <xsl:with-param name="lead" select="concat('(', normalize-space(../@num), '). ')"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="d:item" mode="body">
    <xsl:call-template name="paragraph">
      <xsl:with-param name="lead" select="'- '"/>
      <xsl:with-param name="hang" select="2"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="d:p" mode="body">
    <xsl:call-template name="paragraph"/>
  </xsl:template>

  <!-- period, indicators: not printed -->
  <xsl:template match="*" mode="body"/>

  <!-- ================================================================== -->
  <!-- Report                                                             -->
  <!-- ================================================================== -->

  <xsl:template match="d:report">
    <xsl:call-template name="wrap">
      <xsl:with-param name="text">
        <xsl:text>Kế hoạch thực hiện: </xsl:text>
        <xsl:call-template name="doc-ref">
          <xsl:with-param name="id" select="normalize-space(d:plan/@ref)"/>
          <xsl:with-param name="code" select="normalize-space(d:plan/@code)"/>
          <xsl:with-param name="type" select="'KH'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="width" select="$W"/>
    </xsl:call-template>
    <xsl:value-of select="concat('Năm báo cáo: ', normalize-space(d:year), $nl)"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text">
        <xsl:text>Đơn vị báo cáo: </xsl:text>
        <xsl:call-template name="unit-name">
          <xsl:with-param name="id" select="normalize-space(d:unit)"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="width" select="$W"/>
    </xsl:call-template>
    <xsl:value-of select="$nl"/>
    <xsl:apply-templates select="d:results | d:narratives | d:difficulties | d:proposals" mode="report"/>
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
              <xsl:if test="$unit = '%'">%</xsl:if>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="concat('- Chỉ tiêu ', $id, ': ', translate(normalize-space(@value), '.', ','))"/>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:if test="@numerator and @denominator">
            <xsl:value-of select="concat(' (', normalize-space(@numerator), '/', normalize-space(@denominator), ')')"/>
          </xsl:if>
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
    <xsl:apply-templates select="d:description/*" mode="body"/>
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
        <xsl:variable name="date" select="substring-before($r3, $tab)"/>
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
            <xsl:if test="$date != ''">
              <xsl:text> ngày </xsl:text>
              <xsl:call-template name="short-date">
                <xsl:with-param name="date" select="$date"/>
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
    <xsl:variable name="lead">
      <xsl:choose>
        <xsl:when test="$first">0</xsl:when>
        <xsl:otherwise><xsl:value-of select="$hang"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
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
    <xsl:when test="$text != ''">
      <xsl:variable name="line">
        <xsl:choose>
          <xsl:when test="string-length($text) &lt;= $w">
            <xsl:value-of select="$text"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:variable name="head">
              <xsl:call-template name="words-before-last">
                <xsl:with-param name="s" select="substring($text, 1, $w + 1)"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:choose>
              <xsl:when test="$head != ''">
                <xsl:value-of select="$head"/>
              </xsl:when>
              <xsl:when test="contains($text, ' ')">
                <xsl:value-of select="substring-before($text, ' ')"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:value-of select="$text"/>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="pad">
        <xsl:choose>
          <xsl:when test="$align = 'centre' and string-length($line) &lt; $box">
            <xsl:value-of select="floor(($box - string-length($line)) div 2)"/>
          </xsl:when>
          <xsl:otherwise>0</xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:value-of select="concat(substring($spaces, 1, $indent + $lead + $pad), $line, $nl)"/>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="substring($text, string-length($line) + 2)"/>
        <xsl:with-param name="width" select="$width"/>
        <xsl:with-param name="align" select="$align"/>
        <xsl:with-param name="indent" select="$indent"/>
        <xsl:with-param name="hang" select="$hang"/>
        <xsl:with-param name="first" select="false()"/>
        <xsl:with-param name="box" select="$box"/>
        <xsl:with-param name="balanced" select="$balanced"/>
      </xsl:call-template>
    </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- s without its last word (everything before its last blank) -->
  <xsl:template name="words-before-last">
    <xsl:param name="s"/>
    <xsl:if test="contains($s, ' ')">
      <xsl:variable name="rest" select="substring-after($s, ' ')"/>
      <xsl:value-of select="substring-before($s, ' ')"/>
      <xsl:if test="contains($rest, ' ')">
        <xsl:text> </xsl:text>
        <xsl:call-template name="words-before-last">
          <xsl:with-param name="s" select="$rest"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
