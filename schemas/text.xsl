<?xml version="1.0" encoding="UTF-8"?>
<!--
  docket document format 1: render a document as plain UTF-8 text laid out the way
  Decree 30/2020/NĐ-CP lays out the paper (docs/format.md, "Rendering").

    xsltproc schemas/text.xsl examples/354-KH-PGDDT.xml

  Header in two columns (issuing body | national motto, number | place and date), type
  name and summary centred, then the content one paragraph a line with a blank line
  between, "Nơi nhận:", the signer block in the right-hand column and the footnotes.
  Only the document is rendered: workflow steps and signatures are not.
  XSLT 1.0, no extensions, no document(). Text must be NFC: widths are counted in
  characters.

  Parameters:
    fnmarks  'superscript' (default: ¹ ² ³) or 'bracket' ([1] [2] [3])
    em       the mark put around italic text (default '*')
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:d="urn:docket:document:1"
                exclude-result-prefixes="d">

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="fnmarks" select="'superscript'"/>
  <xsl:param name="em" select="'*'"/>

  <xsl:variable name="nl" select="'&#10;'"/>
  <xsl:variable name="gap" select="4"/>
  <xsl:variable name="spaces"
                select="'                                                                                                                        '"/>
  <xsl:variable name="dashes"
                select="'------------------------------------------------------------------------------------------------------------------------'"/>
  <xsl:variable name="motto1" select="'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"/>
  <xsl:variable name="motto2" select="'Độc lập - Tự do - Hạnh phúc'"/>

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

    <!-- "Số: 354/KH-PGDĐT"; unnumbered: "Số: …/KH-PGDĐT" -->
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
    <xsl:variable name="numberLine" select="concat('Số: ', $number, '/', $notation)"/>

    <xsl:variable name="dateLine">
      <xsl:value-of select="normalize-space($h/d:place)"/>
      <xsl:text>, </xsl:text>
      <xsl:choose>
        <xsl:when test="$h/d:date">
          <xsl:call-template name="long-date">
            <xsl:with-param name="date" select="normalize-space($h/d:date)"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>ngày … tháng … năm …</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>

    <xsl:variable name="parent" select="normalize-space($h/d:issuer/d:parent)"/>
    <xsl:variable name="name" select="normalize-space($h/d:issuer/d:name)"/>

    <!-- column widths: the left one fits the issuer and the number, the right one the motto and the date -->
    <xsl:variable name="lw1">
      <xsl:call-template name="max">
        <xsl:with-param name="a" select="string-length($parent)"/>
        <xsl:with-param name="b" select="string-length($name)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="lw">
      <xsl:call-template name="max">
        <xsl:with-param name="a" select="number($lw1)"/>
        <xsl:with-param name="b" select="string-length($numberLine)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="rw">
      <xsl:call-template name="max">
        <xsl:with-param name="a" select="string-length($motto1)"/>
        <xsl:with-param name="b" select="string-length($dateLine)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="width" select="$lw + $gap + $rw"/>

    <xsl:variable name="nameRule" select="substring($dashes, 1, floor(string-length($name) div 3) + 2)"/>
    <xsl:variable name="mottoRule" select="substring($dashes, 1, string-length($motto2))"/>

    <!-- issuing body | national motto -->
    <xsl:choose>
      <xsl:when test="$parent != ''">
        <xsl:call-template name="row">
          <xsl:with-param name="left" select="$parent"/><xsl:with-param name="right" select="$motto1"/>
          <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="left" select="$name"/><xsl:with-param name="right" select="$motto2"/>
          <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="left" select="$nameRule"/><xsl:with-param name="right" select="$mottoRule"/>
          <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="row">
          <xsl:with-param name="left" select="$name"/><xsl:with-param name="right" select="$motto1"/>
          <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="left" select="$nameRule"/><xsl:with-param name="right" select="$motto2"/>
          <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
        </xsl:call-template>
        <xsl:call-template name="row">
          <xsl:with-param name="left" select="''"/><xsl:with-param name="right" select="$mottoRule"/>
          <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="$nl"/>

    <!-- number | place and date -->
    <xsl:call-template name="row">
      <xsl:with-param name="left" select="$numberLine"/><xsl:with-param name="right" select="$dateLine"/>
      <xsl:with-param name="lw" select="$lw"/><xsl:with-param name="rw" select="$rw"/>
    </xsl:call-template>

    <!-- a công văn (no type name) has its summary under the number: "V/v …" -->
    <xsl:if test="not($h/d:type)">
      <xsl:variable name="vw">
        <xsl:call-template name="max">
          <xsl:with-param name="a" select="number($lw)"/>
          <xsl:with-param name="b" select="34"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="concat('V/v ', normalize-space($h/d:subject))"/>
        <xsl:with-param name="width" select="number($vw)"/>
        <xsl:with-param name="box" select="number($lw)"/>
      </xsl:call-template>
    </xsl:if>

    <xsl:apply-templates select="$h/d:marks">
      <xsl:with-param name="lw" select="$lw"/>
    </xsl:apply-templates>
    <xsl:value-of select="$nl"/>

    <!-- type name and summary -->
    <xsl:if test="$h/d:type">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($h/d:type)"/>
        <xsl:with-param name="width" select="$width"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space($h/d:subject)"/>
        <xsl:with-param name="width" select="$width - 12"/>
        <xsl:with-param name="box" select="$width"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:if>

    <xsl:apply-templates select="$h/d:addressees"/>

    <!-- content -->
    <xsl:for-each select="d:content/d:preamble">
      <xsl:call-template name="paragraph"/>
    </xsl:for-each>
    <xsl:apply-templates select="d:content/d:plan | d:content/d:report | d:content/d:task"/>
    <xsl:for-each select="d:content/d:closing">
      <xsl:call-template name="paragraph"/>
    </xsl:for-each>

    <!-- recipients and signer -->
    <xsl:apply-templates select="$h/d:recipients"/>
    <xsl:apply-templates select="$h/d:signer">
      <xsl:with-param name="indent" select="$lw + $gap"/>
      <xsl:with-param name="rw" select="$rw"/>
    </xsl:apply-templates>

    <xsl:apply-templates select="d:content/d:footnotes"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Header parts                                                       -->
  <!-- ================================================================== -->

  <xsl:template match="d:marks">
    <xsl:param name="lw"/>
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
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="$secrecy"/>
        <xsl:with-param name="width" select="$lw"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$urgency != ''">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="$urgency"/>
        <xsl:with-param name="width" select="$lw"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="d:addressees">
    <xsl:choose>
      <xsl:when test="count(d:addressee) = 1">
        <xsl:value-of select="concat('Kính gửi: ', normalize-space(d:addressee), '.', $nl, $nl)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat('Kính gửi:', $nl)"/>
        <xsl:for-each select="d:addressee">
          <xsl:value-of select="concat('- ', normalize-space(.))"/>
          <xsl:choose>
            <xsl:when test="position() = last()">.</xsl:when>
            <xsl:otherwise>;</xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="$nl"/>
        </xsl:for-each>
        <xsl:value-of select="$nl"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "Nơi nhận:" then "- X (b/c);" lines, the last ending with "." -->
  <xsl:template match="d:recipients">
    <xsl:value-of select="concat('Nơi nhận:', $nl)"/>
    <xsl:for-each select="d:recipient">
      <xsl:value-of select="concat('- ', normalize-space(.))"/>
      <xsl:if test="@purpose">
        <xsl:value-of select="concat(' (', normalize-space(@purpose), ')')"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="position() = last()">.</xsl:when>
        <xsl:otherwise>;</xsl:otherwise>
      </xsl:choose>
      <xsl:value-of select="$nl"/>
    </xsl:for-each>
    <xsl:value-of select="$nl"/>
  </xsl:template>

  <!-- "KT. TRƯỞNG PHÒNG" / "PHÓ TRƯỞNG PHÒNG" / blank (the signature) / "Lê Thị Lan" -->
  <xsl:template match="d:signer">
    <xsl:param name="indent"/>
    <xsl:param name="rw"/>
    <xsl:variable name="authority" select="normalize-space(d:authority)"/>
    <xsl:variable name="first">
      <xsl:if test="$authority != ''">
        <xsl:value-of select="concat($authority, ' ')"/>
      </xsl:if>
      <xsl:value-of select="normalize-space(d:title)"/>
    </xsl:variable>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="$first"/>
      <xsl:with-param name="width" select="$rw"/>
      <xsl:with-param name="indent" select="$indent"/>
    </xsl:call-template>
    <xsl:if test="d:position">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="normalize-space(d:position)"/>
        <xsl:with-param name="width" select="$rw"/>
        <xsl:with-param name="indent" select="$indent"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:value-of select="$nl"/>
    <xsl:call-template name="wrap">
      <xsl:with-param name="text" select="normalize-space(d:fullName)"/>
      <xsl:with-param name="width" select="$rw"/>
      <xsl:with-param name="indent" select="$indent"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="d:footnotes">
    <xsl:value-of select="concat($nl, '__________', $nl)"/>
    <xsl:for-each select="d:footnote">
      <xsl:call-template name="fnmark">
        <xsl:with-param name="num" select="@num"/>
      </xsl:call-template>
      <xsl:text> </xsl:text>
      <xsl:apply-templates select="node()" mode="inline"/>
      <xsl:value-of select="$nl"/>
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
    <xsl:value-of select="concat(normalize-space(@num), '. ', normalize-space(@title), $nl, $nl)"/>
    <xsl:apply-templates select="*" mode="body"/>
  </xsl:template>

  <!-- "(4). Tỷ lệ trẻ em hoàn thành …"; the indicators are data, the sentence says them -->
  <xsl:template match="d:objective" mode="body">
    <xsl:value-of select="concat('(', normalize-space(@num), '). ')"/>
    <xsl:apply-templates select="d:text/node()" mode="inline"/>
    <xsl:value-of select="concat($nl, $nl)"/>
  </xsl:template>

  <xsl:template match="d:item" mode="body">
    <xsl:text>- </xsl:text>
    <xsl:call-template name="paragraph"/>
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
    <xsl:text>Kế hoạch: </xsl:text>
    <xsl:choose>
      <xsl:when test="d:plan/@code">
        <xsl:value-of select="concat('số ', normalize-space(d:plan/@code), ' (', normalize-space(d:plan/@ref), ')')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="normalize-space(d:plan/@ref)"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat($nl, 'Năm báo cáo: ', normalize-space(d:year), $nl)"/>
    <xsl:value-of select="concat('Đơn vị báo cáo: ', normalize-space(d:unit), $nl, $nl)"/>
    <xsl:apply-templates select="d:results | d:narratives | d:difficulties | d:proposals" mode="report"/>
  </xsl:template>

  <xsl:template match="d:results" mode="report">
    <xsl:call-template name="report-heading">
      <xsl:with-param name="title" select="'KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU'"/>
    </xsl:call-template>
    <xsl:for-each select="d:result">
      <xsl:value-of select="concat('- Chỉ tiêu ', normalize-space(@indicator), ': ', translate(normalize-space(@value), '.', ','))"/>
      <xsl:if test="@numerator and @denominator">
        <xsl:value-of select="concat(' (', normalize-space(@numerator), '/', normalize-space(@denominator), ')')"/>
      </xsl:if>
      <xsl:text>.</xsl:text>
      <xsl:if test="normalize-space(.) != ''">
        <xsl:text> </xsl:text>
        <xsl:apply-templates select="node()" mode="inline"/>
      </xsl:if>
      <xsl:value-of select="concat($nl, $nl)"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="d:narratives" mode="report">
    <xsl:call-template name="report-heading">
      <xsl:with-param name="title" select="'KẾT QUẢ THỰC HIỆN NHIỆM VỤ'"/>
    </xsl:call-template>
    <xsl:for-each select="d:narrative">
      <xsl:value-of select="concat(position(), '. ')"/>
      <xsl:choose>
        <xsl:when test="@title">
          <xsl:value-of select="normalize-space(@title)"/>
        </xsl:when>
        <xsl:when test="@group">
          <xsl:value-of select="concat('Nhóm nhiệm vụ ', normalize-space(@group))"/>
        </xsl:when>
        <xsl:otherwise>Nhiệm vụ khác</xsl:otherwise>
      </xsl:choose>
      <xsl:value-of select="concat($nl, $nl)"/>
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
    <xsl:choose>
      <xsl:when test="$n = 1">I</xsl:when>
      <xsl:when test="$n = 2">II</xsl:when>
      <xsl:when test="$n = 3">III</xsl:when>
      <xsl:otherwise>IV</xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat('. ', $title, $nl, $nl)"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Task                                                               -->
  <!-- ================================================================== -->

  <xsl:template match="d:task">
    <xsl:value-of select="concat('Đơn vị giao: ', normalize-space(d:assigner/@unit))"/>
    <xsl:if test="d:assigner/@person">
      <xsl:value-of select="concat(' (', normalize-space(d:assigner/@person), ')')"/>
    </xsl:if>
    <xsl:value-of select="concat($nl, 'Đơn vị thực hiện: ', normalize-space(d:assignee/@unit))"/>
    <xsl:if test="d:assignee/@person">
      <xsl:value-of select="concat(' (', normalize-space(d:assignee/@person), ')')"/>
    </xsl:if>
    <xsl:value-of select="$nl"/>
    <xsl:if test="d:source">
      <xsl:value-of select="concat('Căn cứ: kế hoạch ', normalize-space(d:source/@plan))"/>
      <xsl:if test="d:source/@section">
        <xsl:value-of select="concat(', mục ', normalize-space(d:source/@section))"/>
      </xsl:if>
      <xsl:value-of select="$nl"/>
    </xsl:if>
    <xsl:text>Thời hạn hoàn thành: </xsl:text>
    <xsl:call-template name="short-date">
      <xsl:with-param name="date" select="normalize-space(d:due)"/>
    </xsl:call-template>
    <xsl:value-of select="concat($nl, 'Sản phẩm: ', normalize-space(d:deliverable), $nl, $nl)"/>
    <xsl:apply-templates select="d:description/*" mode="body"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Rich text                                                          -->
  <!-- ================================================================== -->

  <!-- the current element's inline content as one line, then a blank line -->
  <xsl:template name="paragraph">
    <xsl:apply-templates select="node()" mode="inline"/>
    <xsl:value-of select="concat($nl, $nl)"/>
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
  <!-- Dates                                                              -->
  <!-- ================================================================== -->

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

  <xsl:template name="max">
    <xsl:param name="a"/>
    <xsl:param name="b"/>
    <xsl:choose>
      <xsl:when test="$a &gt;= $b"><xsl:value-of select="$a"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$b"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- one line: left text centred in lw columns, a gap, right text centred in rw; no trailing blanks -->
  <xsl:template name="row">
    <xsl:param name="left"/>
    <xsl:param name="right"/>
    <xsl:param name="lw"/>
    <xsl:param name="rw"/>
    <xsl:variable name="lpad" select="floor(($lw - string-length($left)) div 2)"/>
    <xsl:variable name="rpad" select="floor(($rw - string-length($right)) div 2)"/>
    <xsl:choose>
      <xsl:when test="$right = ''">
        <xsl:if test="$left != ''">
          <xsl:value-of select="concat(substring($spaces, 1, $lpad), $left)"/>
        </xsl:if>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat(substring($spaces, 1, $lpad), $left,
                                     substring($spaces, 1, $lw - $lpad - string-length($left) + $gap),
                                     substring($spaces, 1, $rpad), $right)"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="$nl"/>
  </xsl:template>

  <!-- text word-wrapped to width columns, each line centred in box columns after indent blanks -->
  <xsl:template name="wrap">
    <xsl:param name="text"/>
    <xsl:param name="width"/>
    <xsl:param name="box" select="$width"/>
    <xsl:param name="indent" select="0"/>
    <xsl:variable name="line">
      <xsl:choose>
        <xsl:when test="string-length($text) &lt;= $width">
          <xsl:value-of select="$text"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="head">
            <xsl:call-template name="words-before-last">
              <xsl:with-param name="s" select="substring($text, 1, $width + 1)"/>
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
        <xsl:when test="string-length($line) &lt; $box">
          <xsl:value-of select="floor(($box - string-length($line)) div 2)"/>
        </xsl:when>
        <xsl:otherwise>0</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:value-of select="concat(substring($spaces, 1, $indent + $pad), $line, $nl)"/>
    <xsl:variable name="rest" select="substring($text, string-length($line) + 2)"/>
    <xsl:if test="$rest != ''">
      <xsl:call-template name="wrap">
        <xsl:with-param name="text" select="$rest"/>
        <xsl:with-param name="width" select="$width"/>
        <xsl:with-param name="box" select="$box"/>
        <xsl:with-param name="indent" select="$indent"/>
      </xsl:call-template>
    </xsl:if>
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
