<?xml version="1.0" encoding="UTF-8"?>
<!--
  docket document format 1: render a document as ONE self-contained HTML5 page laid out as
  Decree 30/2020/NĐ-CP Annex I lays out the paper: A4, margins 20/15/20/30 mm, Times New
  Roman 13-14 pt, issuing body beside the national motto, number beside place and date,
  type name and summary centred, the body, "Nơi nhận:" beside the signer block, then the
  footnotes. The same page prints (and converts to PDF) as A4 sheets. See docs/rendering.md.

    xsltproc schemas/page.xsl examples/354-KH-PGDDT.xml > 354.html

  (parameters are passed with xsltproc's stringparam option, see docs/rendering.md)

  XSLT 1.0, no extensions, no document(), no external resources: the page carries its own
  CSS, loads nothing and runs no script. Text goes out as text nodes (the serializer
  escapes it). Same reading of the document model as text.xsl.

  Parameters:
    verified  space-separated SIGNATURE-ID=STATUS pairs, STATUS valid | invalid | unknown,
              e.g. 'sig-1=valid sig-2=valid'. Only the caller that verified the signatures
              (docket, with the organisation's trust anchor) can say so: a signature whose
              Id is not listed is shown "not verified", never "valid".
    state     the workflow state to show in a small banner ('draft' gives "DỰ THẢO");
              default: the document's own workflow/@state; nothing for 'issued' or when
              the document has no workflow (a paper document recorded as issued).
    targets   a report's plan targets, which the report itself does not carry (docket reads
              them from the plan in the repository): one line per indicator of the plan,
              each "ID TAB COMPARISON TAB TARGET TAB YEAR TAB MET TAB UNIT TAB NAME", MET 1
              (met), 0 (not met) or empty (not judged), the string beginning and ending
              with a newline. Given, the results table gets the indicator's name, its
              target and a met / not met column; empty: the report's own figures only.
    names     what the document cites by id, as text.xsl's parameter of that name: units,
              people, documents (type, number, date), a report's plan's task groups.
              Empty: the ids are printed.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:d="urn:docket:document:1"
                xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
                xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"
                exclude-result-prefixes="d ds xades">

  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:param name="verified" select="''"/>
  <xsl:param name="state" select="''"/>
  <xsl:param name="targets" select="''"/>
  <xsl:param name="names" select="''"/>
  <xsl:variable name="nl" select="'&#10;'"/>
  <xsl:variable name="tab" select="'&#9;'"/>
  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyzàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ'"/>

  <xsl:variable name="motto1" select="'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"/>
  <xsl:variable name="motto2" select="'Độc lập - Tự do - Hạnh phúc'"/>
  <xsl:variable name="commitment" select="'http://uri.etsi.org/01903/v1.2.2#'"/>

  <xsl:key name="footnote" match="d:footnote" use="@id"/>
  <!-- milestone years of a plan's indicators, for one table column each -->
  <xsl:key name="target-year" match="d:plan/d:objectives/d:specific/d:objective/d:indicator/d:target" use="@year"/>

  <!-- ================================================================== -->
  <!-- Page                                                               -->
  <!-- ================================================================== -->

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="d:document">
        <xsl:apply-templates select="d:document"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">page.xsl: not a docket document (urn:docket:document:1)</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="d:document">
    <xsl:variable name="h" select="d:header"/>
    <xsl:variable name="state-now">
      <xsl:choose>
        <xsl:when test="normalize-space($state) != ''">
          <xsl:value-of select="normalize-space($state)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="normalize-space(d:workflow/@state)"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>

    <html lang="vi">
      <head>
        <meta http-equiv="Content-Security-Policy"
              content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="docket schemas/page.xsl"/>
        <title>
          <xsl:call-template name="number-line"/>
          <xsl:text> - </xsl:text>
          <xsl:value-of select="normalize-space($h/d:subject)"/>
        </title>
        <style>
          <xsl:call-template name="css"/>
        </style>
      </head>
      <body>
        <div class="sheet">
          <xsl:attribute name="data-kind"><xsl:value-of select="@kind"/></xsl:attribute>
          <xsl:if test="$state-now != '' and $state-now != 'issued'">
            <xsl:call-template name="state-banner">
              <xsl:with-param name="s" select="$state-now"/>
            </xsl:call-template>
          </xsl:if>

          <xsl:call-template name="heading"/>

          <xsl:apply-templates select="$h/d:addressees"/>

          <div class="body">
            <!-- as text.xsl: the issuing authority's line (a first preamble paragraph in
                 capitals) centred, the legal bases (a basis without its printed text only
                 when there is no preamble), the other preamble paragraphs -->
            <xsl:variable name="p1" select="d:content/d:preamble[1]"/>
            <xsl:variable name="authorityLine"
                          select="not($h/d:issuingAuthority) and $p1 and not($p1/*)
                                  and translate(normalize-space($p1), $lower, '') = normalize-space($p1)
                                  and translate(normalize-space($p1), $upper, '') != normalize-space($p1)"/>
            <xsl:for-each select="$h/d:issuingAuthority">
              <p class="authority-line"><xsl:value-of select="normalize-space(.)"/></p>
            </xsl:for-each>
            <xsl:if test="$authorityLine">
              <p class="authority-line"><xsl:value-of select="normalize-space($p1)"/></p>
            </xsl:if>
            <xsl:apply-templates select="$h/d:bases">
              <xsl:with-param name="composed" select="not(d:content/d:preamble)"/>
            </xsl:apply-templates>
            <xsl:for-each select="d:content/d:preamble[not($authorityLine and position() = 1)]">
              <p class="para preamble"><xsl:apply-templates select="node()" mode="inline"/></p>
            </xsl:for-each>
            <xsl:apply-templates select="d:content/d:plan | d:content/d:report | d:content/d:task | d:content/d:body"/>
            <xsl:for-each select="d:content/d:closing">
              <p class="para closing"><xsl:apply-templates select="node()" mode="inline"/></p>
            </xsl:for-each>
          </div>

          <xsl:call-template name="signoff"/>

          <xsl:call-template name="other-signatures"/>

          <xsl:apply-templates select="d:content/d:footnotes"/>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Heading: issuer | motto, number | place and date, type and summary -->
  <!-- ================================================================== -->

  <xsl:template name="heading">
    <xsl:variable name="h" select="d:header"/>
    <div class="heading">
      <table class="head" role="presentation">
        <tr>
          <td class="issuer">
            <xsl:choose>
              <!-- the issuing body as printed, one line each -->
              <xsl:when test="$h/d:issuer/d:lines">
                <xsl:for-each select="$h/d:issuer/d:lines/d:line">
                  <div>
                    <xsl:attribute name="class">
                      <xsl:choose>
                        <xsl:when test="@parent = 'true' or @parent = '1'">issuer-parent</xsl:when>
                        <xsl:otherwise>issuer-name</xsl:otherwise>
                      </xsl:choose>
                    </xsl:attribute>
                    <xsl:value-of select="normalize-space(.)"/>
                  </div>
                </xsl:for-each>
              </xsl:when>
              <xsl:otherwise>
                <xsl:if test="normalize-space($h/d:issuer/d:parent) != ''">
                  <div class="issuer-parent"><xsl:value-of select="normalize-space($h/d:issuer/d:parent)"/></div>
                </xsl:if>
                <div class="issuer-name"><xsl:value-of select="normalize-space($h/d:issuer/d:name)"/></div>
              </xsl:otherwise>
            </xsl:choose>
            <div class="rule issuer-rule"></div>
          </td>
          <td class="motto">
            <div class="motto1"><xsl:value-of select="$motto1"/></div>
            <div class="motto2"><span><xsl:value-of select="$motto2"/></span></div>
          </td>
        </tr>
        <tr>
          <td class="number">
            <div class="number-line"><xsl:call-template name="number-line"/></div>
            <!-- a công văn (no type name) has its summary under the number -->
            <xsl:if test="not($h/d:type)">
              <div class="vv">
                <xsl:text>V/v </xsl:text>
                <xsl:value-of select="normalize-space($h/d:subject)"/>
              </div>
            </xsl:if>
            <xsl:apply-templates select="$h/d:marks"/>
          </td>
          <td class="place-date">
            <xsl:value-of select="normalize-space($h/d:place)"/>
            <xsl:text>, </xsl:text>
            <xsl:choose>
              <xsl:when test="normalize-space($h/d:date) != ''">
                <xsl:call-template name="long-date">
                  <xsl:with-param name="date" select="normalize-space($h/d:date)"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:otherwise>ngày … tháng … năm …</xsl:otherwise>
            </xsl:choose>
          </td>
        </tr>
      </table>
      <xsl:if test="$h/d:type">
        <h1 class="doctype">
          <span class="type-name"><xsl:value-of select="normalize-space($h/d:type)"/></span>
          <span class="subject"><xsl:value-of select="normalize-space($h/d:subject)"/></span>
        </h1>
        <div class="rule subject-rule"></div>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- "Số: 354/KH-PGDĐT"; unnumbered: "Số: …/KH-PGDĐT" (as text.xsl) -->
  <xsl:template name="number-line">
    <xsl:variable name="h" select="/d:document/d:header"/>
    <xsl:text>Số: </xsl:text>
    <xsl:choose>
      <xsl:when test="normalize-space($h/d:code/d:number) != ''">
        <xsl:value-of select="normalize-space($h/d:code/d:number)"/>
      </xsl:when>
      <xsl:otherwise>…</xsl:otherwise>
    </xsl:choose>
    <xsl:text>/</xsl:text>
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
      <div class="mark"><span><xsl:value-of select="$secrecy"/></span></div>
    </xsl:if>
    <xsl:if test="$urgency != ''">
      <div class="mark"><span><xsl:value-of select="$urgency"/></span></div>
    </xsl:if>
  </xsl:template>

  <xsl:template match="d:addressees">
    <div class="addressees">
      <xsl:choose>
        <xsl:when test="count(d:addressee) = 1">
          <p><span class="label">Kính gửi: </span><xsl:value-of select="normalize-space(d:addressee)"/><xsl:text>.</xsl:text></p>
        </xsl:when>
        <xsl:otherwise>
          <table role="presentation">
            <tr>
              <td class="label">Kính gửi:</td>
              <td>
                <xsl:for-each select="d:addressee">
                  <div>
                    <xsl:value-of select="concat('- ', normalize-space(.))"/>
                    <xsl:choose>
                      <xsl:when test="position() = last()">.</xsl:when>
                      <xsl:otherwise>;</xsl:otherwise>
                    </xsl:choose>
                  </div>
                </xsl:for-each>
              </td>
            </tr>
          </table>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <!-- "Căn cứ văn bản số 902/KH-SGDĐT ngày 01/04/2021 của Sở Giáo dục và Đào tạo về …;" -->
  <xsl:template match="d:bases">
    <xsl:param name="composed" select="true()"/>
    <xsl:for-each select="d:basis[normalize-space(d:text) != '']">
      <p class="para basis"><xsl:value-of select="normalize-space(d:text)"/></p>
    </xsl:for-each>
    <xsl:for-each select="d:basis[normalize-space(d:text) = '' and $composed]">
      <p class="para basis">
        <xsl:text>Căn cứ văn bản</xsl:text>
        <xsl:if test="normalize-space(d:code) != ''">
          <xsl:value-of select="concat(' số ', normalize-space(d:code))"/>
        </xsl:if>
        <xsl:if test="normalize-space(d:date) != ''">
          <xsl:text> ngày </xsl:text>
          <xsl:call-template name="short-date">
            <xsl:with-param name="date" select="normalize-space(d:date)"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="normalize-space(d:issuer) != ''">
          <xsl:value-of select="concat(' của ', normalize-space(d:issuer))"/>
        </xsl:if>
        <xsl:if test="d:summary">
          <xsl:value-of select="concat(' về ', normalize-space(d:summary))"/>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="position() = last()">.</xsl:when>
          <xsl:otherwise>;</xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="state-banner">
    <xsl:param name="s"/>
    <div class="state">
      <xsl:choose>
        <xsl:when test="$s = 'draft'">DỰ THẢO</xsl:when>
        <xsl:otherwise>
          <xsl:text>Trạng thái: </xsl:text>
          <xsl:choose>
            <xsl:when test="$s = 'submitted'">ĐÃ TRÌNH</xsl:when>
            <xsl:when test="$s = 'reviewed'">ĐÃ KIỂM TRA</xsl:when>
            <xsl:when test="$s = 'approved'">ĐÃ PHÊ DUYỆT</xsl:when>
            <xsl:when test="$s = 'assigned'">ĐÃ GIAO</xsl:when>
            <xsl:when test="$s = 'accepted'">ĐÃ NHẬN</xsl:when>
            <xsl:when test="$s = 'done'">ĐÃ HOÀN THÀNH</xsl:when>
            <xsl:when test="$s = 'verified'">ĐÃ NGHIỆM THU</xsl:when>
            <xsl:when test="$s = 'recalled'">ĐÃ THU HỒI</xsl:when>
            <xsl:when test="$s = 'replaced'">ĐÃ BỊ THAY THẾ</xsl:when>
            <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
          </xsl:choose>
          <xsl:if test="/d:document/@kind = 'plan'"> - chưa ban hành</xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </div>
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

  <!-- a part or a chapter of a body: centred, its title under its label ("Chương I" / "QUY ĐỊNH CHUNG") -->
  <xsl:template match="d:part[not(parent::d:purposes)] | d:chapter" mode="body" priority="2">
    <div class="division">
      <xsl:variable name="mark">
        <xsl:choose>
          <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="normalize-space(@label)"/></xsl:when>
          <xsl:when test="normalize-space(@num) != '' and self::d:part"><xsl:value-of select="concat('PHẦN ', normalize-space(@num))"/></xsl:when>
          <xsl:when test="normalize-space(@num) != ''"><xsl:value-of select="concat('Chương ', normalize-space(@num))"/></xsl:when>
        </xsl:choose>
      </xsl:variable>
      <h2 class="division-head">
        <xsl:if test="$mark != ''"><span class="division-label"><xsl:value-of select="$mark"/></span></xsl:if>
        <xsl:if test="normalize-space(@title) != ''"><span class="division-title"><xsl:value-of select="normalize-space(@title)"/></span></xsl:if>
      </h2>
      <xsl:apply-templates select="*" mode="body"/>
    </div>
  </xsl:template>

  <!-- a section or an article without a title whose first block is a paragraph: "Điều 1. Ban hành …" -->
  <xsl:template match="*[(@num or @label) and not(@title)][*[1][self::d:p]][not(self::d:item or self::d:objective)]" mode="body" priority="1">
    <div class="sec run-in">
      <p class="para">
        <strong>
          <xsl:choose>
            <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="normalize-space(@label)"/></xsl:when>
            <xsl:when test="self::d:article"><xsl:value-of select="concat('Điều ', normalize-space(@num), '.')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="concat(normalize-space(@num), '.')"/></xsl:otherwise>
          </xsl:choose>
        </strong>
        <xsl:text> </xsl:text>
        <xsl:apply-templates select="*[1]/node()" mode="inline"/>
      </p>
      <xsl:apply-templates select="*[position() &gt; 1]" mode="body"/>
    </div>
  </xsl:template>

  <!--
    Any other numbered or titled section: "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "1.1. Bộ
    phận CTTT", "Điều 3. Phạm vi" (the label as printed, else the number and a full stop)
  -->
  <xsl:template match="*[@num or @label or @title][not(self::d:item)]" mode="body">
    <xsl:variable name="level" select="count(ancestor::*[@num or @label or @title][not(self::d:item or self::d:part or self::d:chapter or self::d:objective)]) + 1"/>
    <xsl:variable name="head">
      <xsl:choose>
        <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="normalize-space(@label)"/></xsl:when>
        <xsl:when test="normalize-space(@num) != '' and self::d:article"><xsl:value-of select="concat('Điều ', normalize-space(@num), '.')"/></xsl:when>
        <xsl:when test="normalize-space(@num) != ''"><xsl:value-of select="concat(normalize-space(@num), '.')"/></xsl:when>
      </xsl:choose>
      <xsl:if test="normalize-space(@title) != ''">
        <xsl:if test="normalize-space(@label) != '' or normalize-space(@num) != ''"><xsl:text> </xsl:text></xsl:if>
        <xsl:value-of select="normalize-space(@title)"/>
      </xsl:if>
    </xsl:variable>
    <div>
      <xsl:attribute name="class">
        <xsl:value-of select="concat('sec level', $level)"/>
      </xsl:attribute>
      <xsl:if test="@id">
        <xsl:attribute name="id"><xsl:value-of select="concat('s-', @id)"/></xsl:attribute>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$level = 1">
          <h2><xsl:value-of select="$head"/></h2>
        </xsl:when>
        <xsl:when test="$level = 2">
          <h3><xsl:value-of select="$head"/></h3>
        </xsl:when>
        <xsl:otherwise>
          <h4><xsl:value-of select="$head"/></h4>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="*" mode="body"/>
      <xsl:if test="self::d:specific and d:objective/d:indicator">
        <xsl:call-template name="indicator-table"/>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- "(4). Tỷ lệ trẻ em hoàn thành …" -->
  <xsl:template match="d:objective" mode="body" priority="3">
    <p class="para objective">
      <xsl:value-of select="concat('(', normalize-space(@num), '). ')"/>
      <xsl:apply-templates select="d:text/node()" mode="inline"/>
    </p>
  </xsl:template>

  <!-- "- TEXT" or "LABEL TEXT" ("a) …"); nested items one level further in -->
  <xsl:template match="d:item" mode="body">
    <p>
      <xsl:attribute name="class">
        <xsl:text>para item</xsl:text>
        <xsl:if test="ancestor::d:item">
          <xsl:value-of select="concat(' nested depth', count(ancestor::d:item))"/>
        </xsl:if>
      </xsl:attribute>
      <xsl:choose>
        <xsl:when test="normalize-space(@label) != ''"><xsl:value-of select="concat(normalize-space(@label), ' ')"/></xsl:when>
        <xsl:otherwise>- </xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="node()[not(self::d:item)]" mode="inline"/>
    </p>
    <xsl:apply-templates select="d:item" mode="body"/>
  </xsl:template>

  <!-- a table of the body as printed: header rows as th, spans kept -->
  <xsl:template match="d:table" mode="body">
    <table class="grid body-table">
      <xsl:if test="d:caption">
        <caption><xsl:apply-templates select="d:caption/node()" mode="inline"/></caption>
      </xsl:if>
      <xsl:if test="d:row[@header = 'true' or @header = '1']">
        <thead>
          <xsl:for-each select="d:row[@header = 'true' or @header = '1']">
            <tr><xsl:apply-templates select="d:cell" mode="cell"><xsl:with-param name="tag" select="'th'"/></xsl:apply-templates></tr>
          </xsl:for-each>
        </thead>
      </xsl:if>
      <tbody>
        <xsl:for-each select="d:row[not(@header = 'true' or @header = '1')]">
          <tr><xsl:apply-templates select="d:cell" mode="cell"><xsl:with-param name="tag" select="'td'"/></xsl:apply-templates></tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="d:cell" mode="cell">
    <xsl:param name="tag"/>
    <xsl:element name="{$tag}">
      <xsl:if test="@colspan and @colspan != '1'">
        <xsl:attribute name="colspan"><xsl:value-of select="number(@colspan)"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="@rowspan and @rowspan != '1'">
        <xsl:attribute name="rowspan"><xsl:value-of select="number(@rowspan)"/></xsl:attribute>
      </xsl:if>
      <xsl:apply-templates select="node()" mode="inline"/>
      <xsl:for-each select="d:p">
        <div class="cell-p"><xsl:apply-templates select="node()" mode="inline"/></div>
      </xsl:for-each>
      <xsl:for-each select=".//d:item">
        <div class="cell-item"><xsl:value-of select="'- '"/><xsl:apply-templates select="node()[not(self::d:item)]" mode="inline"/></div>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <xsl:template match="d:p" mode="body">
    <p class="para"><xsl:apply-templates select="node()" mode="inline"/></p>
  </xsl:template>

  <!-- period, indicators: in the table, not as paragraphs -->
  <xsl:template match="*" mode="body"/>

  <!-- one row per indicator; one column per milestone year of the plan -->
  <xsl:template name="indicator-table">
    <xsl:variable name="years"
                  select="d:objective/d:indicator/d:target[generate-id() = generate-id(key('target-year', @year)[1])]"/>
    <xsl:variable name="baselines" select="d:objective/d:indicator/d:baseline"/>
    <xsl:variable name="period" select="../../d:period"/>
    <table class="grid indicators">
      <caption>
        <xsl:text>Chỉ tiêu và mục tiêu theo các mốc</xsl:text>
        <xsl:if test="$period">
          <xsl:value-of select="concat(' (giai đoạn ', $period/@start, '-', $period/@end, ')')"/>
        </xsl:if>
      </caption>
      <thead>
        <tr>
          <th class="c-id">TT</th>
          <th class="c-name">Chỉ tiêu</th>
          <th class="c-cmp">So sánh</th>
          <th class="c-unit">Đơn vị</th>
          <xsl:if test="$baselines">
            <th class="c-year">Hiện trạng</th>
          </xsl:if>
          <xsl:for-each select="$years">
            <xsl:sort select="@year" data-type="number"/>
            <th class="c-year"><xsl:value-of select="concat('Năm ', @year)"/></th>
          </xsl:for-each>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="d:objective/d:indicator">
          <xsl:variable name="ind" select="."/>
          <tr>
            <xsl:attribute name="id"><xsl:value-of select="concat('ind-', @id)"/></xsl:attribute>
            <td class="c-id"><xsl:value-of select="@id"/></td>
            <td class="c-name"><xsl:value-of select="normalize-space(d:name)"/></td>
            <td class="c-cmp">
              <xsl:call-template name="comparison">
                <xsl:with-param name="c" select="@comparison"/>
              </xsl:call-template>
            </td>
            <td class="c-unit"><xsl:value-of select="normalize-space(@unit)"/></td>
            <xsl:if test="$baselines">
              <td class="c-year">
                <xsl:if test="d:baseline">
                  <xsl:call-template name="decimal">
                    <xsl:with-param name="v" select="d:baseline/@value"/>
                  </xsl:call-template>
                  <span class="note"><xsl:value-of select="concat(' (', d:baseline/@year, ')')"/></span>
                </xsl:if>
              </td>
            </xsl:if>
            <xsl:for-each select="$years">
              <xsl:sort select="@year" data-type="number"/>
              <xsl:variable name="t" select="$ind/d:target[@year = current()/@year]"/>
              <td class="c-year target">
                <xsl:choose>
                  <xsl:when test="$t">
                    <xsl:call-template name="decimal">
                      <xsl:with-param name="v" select="$t/@value"/>
                    </xsl:call-template>
                    <xsl:if test="$t/@maintain = 'true' or $t/@maintain = '1'">
                      <span class="note"> (duy trì)</span>
                    </xsl:if>
                  </xsl:when>
                  <xsl:otherwise>-</xsl:otherwise>
                </xsl:choose>
              </td>
            </xsl:for-each>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template name="comparison">
    <xsl:param name="c"/>
    <xsl:choose>
      <xsl:when test="$c = 'ge'">≥ (đạt)</xsl:when>
      <xsl:when test="$c = 'gt'">&gt; (trên)</xsl:when>
      <xsl:when test="$c = 'le'">≤ (tối đa)</xsl:when>
      <xsl:when test="$c = 'lt'">&lt; (dưới)</xsl:when>
      <xsl:when test="$c = 'eq'">= (bằng)</xsl:when>
      <xsl:otherwise><xsl:value-of select="$c"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- 99.5 as Vietnamese writes it: 99,5 -->
  <xsl:template name="decimal">
    <xsl:param name="v"/>
    <xsl:value-of select="translate(normalize-space($v), '.', ',')"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Report                                                             -->
  <!-- ================================================================== -->

  <xsl:template match="d:report">
    <table class="facts" role="presentation">
      <tr>
        <td class="label">Kế hoạch:</td>
        <td>
          <xsl:call-template name="doc-ref">
            <xsl:with-param name="id" select="normalize-space(d:plan/@ref)"/>
            <xsl:with-param name="code" select="normalize-space(d:plan/@code)"/>
            <xsl:with-param name="date" select="normalize-space(d:plan/@date)"/>
            <xsl:with-param name="type" select="'KH'"/>
          </xsl:call-template>
        </td>
      </tr>
      <xsl:if test="d:year">
        <tr><td class="label">Năm báo cáo:</td><td><xsl:value-of select="normalize-space(d:year)"/></td></tr>
      </xsl:if>
      <xsl:if test="d:unit">
        <tr>
          <td class="label">Đơn vị báo cáo:</td>
          <td>
            <xsl:call-template name="unit-name">
              <xsl:with-param name="id" select="normalize-space(d:unit)"/>
            </xsl:call-template>
          </td>
        </tr>
      </xsl:if>
    </table>
    <xsl:apply-templates select="*[not(self::d:plan or self::d:year or self::d:unit)]" mode="report"/>
  </xsl:template>

  <!-- a report's free parts: blocks of the general body -->
  <xsl:template match="*" mode="report">
    <xsl:apply-templates select="." mode="body"/>
  </xsl:template>

  <xsl:template match="d:results" mode="report">
    <xsl:variable name="with-targets" select="normalize-space($targets) != ''"/>
    <div class="sec level1">
      <h2><xsl:call-template name="report-num"/>KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU</h2>
      <table class="grid results">
        <thead>
          <tr>
            <th class="c-id">Chỉ tiêu</th>
            <xsl:if test="$with-targets">
              <th class="c-name">Tên chỉ tiêu</th>
              <th class="c-year">Mục tiêu</th>
            </xsl:if>
            <th class="c-num">Tử số</th>
            <th class="c-num">Mẫu số</th>
            <th class="c-num">Kết quả</th>
            <xsl:if test="$with-targets">
              <th class="c-year">Đánh giá</th>
            </xsl:if>
            <th class="c-name">Ghi chú</th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="d:result">
            <!-- this indicator's line of $targets, without its id: COMPARISON TAB TARGET ... -->
            <xsl:variable name="line"
                          select="substring-before(substring-after($targets, concat('&#10;', @indicator, '&#9;')), '&#10;')"/>
            <tr>
              <xsl:attribute name="id"><xsl:value-of select="concat('res-', @indicator)"/></xsl:attribute>
              <td class="c-id"><xsl:value-of select="@indicator"/></td>
              <xsl:if test="$with-targets">
                <xsl:call-template name="result-target">
                  <xsl:with-param name="line" select="$line"/>
                </xsl:call-template>
              </xsl:if>
              <td class="c-num"><xsl:value-of select="@numerator"/></td>
              <td class="c-num"><xsl:value-of select="@denominator"/></td>
              <td class="c-num actual">
                <xsl:call-template name="decimal">
                  <xsl:with-param name="v" select="@value"/>
                </xsl:call-template>
              </td>
              <xsl:if test="$with-targets">
                <xsl:variable name="met"
                              select="substring-before(substring-after(substring-after(substring-after($line, '&#9;'), '&#9;'), '&#9;'), '&#9;')"/>
                <td class="c-year met">
                  <xsl:choose>
                    <xsl:when test="$met = '1'">Đạt</xsl:when>
                    <xsl:when test="$met = '0'"><span class="not-met">Chưa đạt</span></xsl:when>
                  </xsl:choose>
                </td>
              </xsl:if>
              <td class="c-name"><xsl:apply-templates select="node()" mode="inline"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <!-- the name and target cells of a result, from its line of $targets (empty: not in the plan) -->
  <xsl:template name="result-target">
    <xsl:param name="line"/>
    <xsl:variable name="cmp" select="substring-before($line, '&#9;')"/>
    <xsl:variable name="r1" select="substring-after($line, '&#9;')"/>
    <xsl:variable name="target" select="substring-before($r1, '&#9;')"/>
    <xsl:variable name="r2" select="substring-after($r1, '&#9;')"/>
    <xsl:variable name="year" select="substring-before($r2, '&#9;')"/>
    <xsl:variable name="r4" select="substring-after(substring-after($r2, '&#9;'), '&#9;')"/>
    <xsl:variable name="unit" select="substring-before($r4, '&#9;')"/>
    <td class="c-name"><xsl:value-of select="substring-after($r4, '&#9;')"/></td>
    <td class="c-year target">
      <xsl:if test="$target != ''">
        <xsl:call-template name="comparison-sign">
          <xsl:with-param name="c" select="$cmp"/>
        </xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="decimal">
          <xsl:with-param name="v" select="$target"/>
        </xsl:call-template>
        <xsl:if test="$unit != ''"><xsl:value-of select="concat(' ', $unit)"/></xsl:if>
        <span class="note"><xsl:value-of select="concat(' (năm ', $year, ')')"/></span>
      </xsl:if>
    </td>
  </xsl:template>

  <xsl:template name="comparison-sign">
    <xsl:param name="c"/>
    <xsl:choose>
      <xsl:when test="$c = 'ge'">≥</xsl:when>
      <xsl:when test="$c = 'gt'">&gt;</xsl:when>
      <xsl:when test="$c = 'le'">≤</xsl:when>
      <xsl:when test="$c = 'lt'">&lt;</xsl:when>
      <xsl:when test="$c = 'eq'">=</xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="d:narratives" mode="report">
    <div class="sec level1">
      <h2><xsl:call-template name="report-num"/>KẾT QUẢ THỰC HIỆN NHIỆM VỤ</h2>
      <xsl:for-each select="d:narrative">
        <div class="sec level2">
          <h3>
            <xsl:value-of select="concat(position(), '. ')"/>
            <xsl:choose>
              <xsl:when test="@title"><xsl:value-of select="normalize-space(@title)"/></xsl:when>
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
          </h3>
          <xsl:apply-templates select="*" mode="body"/>
        </div>
      </xsl:for-each>
    </div>
  </xsl:template>

  <xsl:template match="d:difficulties" mode="report">
    <div class="sec level1">
      <h2><xsl:call-template name="report-num"/>KHÓ KHĂN, VƯỚNG MẮC</h2>
      <xsl:apply-templates select="*" mode="body"/>
    </div>
  </xsl:template>

  <xsl:template match="d:proposals" mode="report">
    <div class="sec level1">
      <h2><xsl:call-template name="report-num"/>ĐỀ XUẤT, KIẾN NGHỊ</h2>
      <xsl:apply-templates select="*" mode="body"/>
    </div>
  </xsl:template>

  <!-- "I. ", "II. " … numbered by the parts the report has -->
  <xsl:template name="report-num">
    <xsl:variable name="n" select="count(preceding-sibling::d:results | preceding-sibling::d:narratives
                                         | preceding-sibling::d:difficulties | preceding-sibling::d:proposals) + 1"/>
    <xsl:choose>
      <xsl:when test="$n = 1">I</xsl:when>
      <xsl:when test="$n = 2">II</xsl:when>
      <xsl:when test="$n = 3">III</xsl:when>
      <xsl:otherwise>IV</xsl:otherwise>
    </xsl:choose>
    <xsl:text>. </xsl:text>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Names: what the `names` parameter says about an id (as text.xsl)   -->
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
  <!-- Task                                                               -->
  <!-- ================================================================== -->

  <xsl:template match="d:task">
    <table class="facts" role="presentation">
      <tr>
        <td class="label">Đơn vị giao:</td>
        <td>
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
        </td>
      </tr>
      <tr>
        <td class="label">Đơn vị thực hiện:</td>
        <td>
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
        </td>
      </tr>
      <xsl:if test="d:source">
        <tr>
          <td class="label">Căn cứ:</td>
          <td>
            <xsl:call-template name="doc-ref">
              <xsl:with-param name="id" select="normalize-space(d:source/@plan)"/>
              <xsl:with-param name="type" select="'KH'"/>
            </xsl:call-template>
            <xsl:if test="d:source/@section">
              <xsl:value-of select="concat(', mục ', normalize-space(d:source/@section))"/>
            </xsl:if>
          </td>
        </tr>
      </xsl:if>
      <tr>
        <td class="label">Thời hạn hoàn thành:</td>
        <td class="due">
          <xsl:call-template name="short-date">
            <xsl:with-param name="date" select="normalize-space(d:due)"/>
          </xsl:call-template>
        </td>
      </tr>
      <tr>
        <td class="label">Sản phẩm:</td>
        <td><xsl:value-of select="normalize-space(d:deliverable)"/></td>
      </tr>
    </table>
    <xsl:apply-templates select="d:description/* | d:p | d:item | d:table | d:part | d:chapter | d:section | d:article" mode="body"/>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Nơi nhận | signer                                                  -->
  <!-- ================================================================== -->

  <xsl:template name="signoff">
    <xsl:variable name="h" select="d:header"/>
    <xsl:variable name="sigs" select="d:signatures/ds:Signature"/>
    <table class="signoff" role="presentation">
      <tr>
        <td class="recipients">
          <xsl:if test="$h/d:recipients">
            <div class="recipients-head">Nơi nhận:</div>
            <xsl:for-each select="$h/d:recipients/d:recipient">
              <div class="recipient">
                <xsl:value-of select="concat('- ', normalize-space(.))"/>
                <xsl:if test="@purpose">
                  <xsl:value-of select="concat(' (', normalize-space(@purpose), ')')"/>
                </xsl:if>
                <xsl:choose>
                  <xsl:when test="position() = last()">.</xsl:when>
                  <xsl:otherwise>;</xsl:otherwise>
                </xsl:choose>
              </div>
            </xsl:for-each>
          </xsl:if>
        </td>
        <td class="signer">
          <xsl:for-each select="$h/d:signer[1]">
            <xsl:call-template name="signer-lines"/>
          </xsl:for-each>
          <!-- Annex I: the signer's digital signature between the title and the name, the
               organisation's beside it; with neither, room for a handwritten signature -->
          <div class="sign-space">
            <xsl:apply-templates select="$sigs[.//xades:CommitmentTypeIndication/xades:CommitmentTypeId/xades:Identifier
                                              = concat($commitment, 'ProofOfApproval')
                                              or .//xades:CommitmentTypeIndication/xades:CommitmentTypeId/xades:Identifier
                                              = concat($commitment, 'ProofOfOrigin')]"/>
          </div>
          <xsl:if test="$h/d:signer">
            <div class="signer-name"><xsl:value-of select="normalize-space($h/d:signer/d:fullName)"/></div>
          </xsl:if>
        </td>
      </tr>
      <!-- other signers (a minutes: its secretary beside its chair), two to a row -->
      <xsl:for-each select="$h/d:signer[position() &gt; 1][(position() mod 2) = 1]">
        <tr class="more-signers">
          <td class="signer">
            <xsl:for-each select="following-sibling::d:signer[1]">
              <xsl:call-template name="signer-lines"/>
              <div class="sign-space"></div>
              <div class="signer-name"><xsl:value-of select="normalize-space(d:fullName)"/></div>
            </xsl:for-each>
          </td>
          <td class="signer">
            <xsl:call-template name="signer-lines"/>
            <div class="sign-space"></div>
            <div class="signer-name"><xsl:value-of select="normalize-space(d:fullName)"/></div>
          </td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- "KT. TRƯỞNG PHÒNG", or the authority lines stacked ("TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH"); the position -->
  <xsl:template name="signer-lines">
    <xsl:choose>
      <xsl:when test="d:line">
        <xsl:for-each select="d:line">
          <div class="signer-title"><xsl:value-of select="normalize-space(concat(@authority, ' ', .))"/></div>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <div class="signer-title">
          <xsl:if test="normalize-space(d:authority) != ''">
            <xsl:value-of select="concat(normalize-space(d:authority), ' ')"/>
          </xsl:if>
          <xsl:value-of select="normalize-space(d:title)"/>
        </div>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="normalize-space(d:position) != ''">
      <div class="signer-position"><xsl:value-of select="normalize-space(d:position)"/></div>
    </xsl:if>
  </xsl:template>

  <!-- review and any other signatures, after the sign-off block -->
  <xsl:template name="other-signatures">
    <xsl:variable name="others"
                  select="d:signatures/ds:Signature[not(.//xades:CommitmentTypeIndication/xades:CommitmentTypeId/xades:Identifier
                                                       = concat($commitment, 'ProofOfApproval')
                                                       or .//xades:CommitmentTypeIndication/xades:CommitmentTypeId/xades:Identifier
                                                       = concat($commitment, 'ProofOfOrigin'))]"/>
    <xsl:if test="$others">
      <div class="other-signatures">
        <div class="other-head">Chữ ký số khác trên văn bản:</div>
        <xsl:apply-templates select="$others"/>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- one digital signature: who (certificate subject CN, when the XML carries it), when,
       what it means, and what the verifier said (parameter verified; absent = not verified) -->
  <xsl:template match="ds:Signature">
    <xsl:variable name="id" select="normalize-space(@Id)"/>
    <xsl:variable name="props" select="ds:Object/xades:QualifyingProperties/xades:SignedProperties"/>
    <xsl:variable name="meaning-uri"
                  select="normalize-space($props/xades:SignedDataObjectProperties/xades:CommitmentTypeIndication/xades:CommitmentTypeId/xades:Identifier)"/>
    <xsl:variable name="time" select="normalize-space($props/xades:SignedSignatureProperties/xades:SigningTime)"/>
    <xsl:variable name="role" select="normalize-space($props/xades:SignedSignatureProperties/xades:SignerRole/xades:ClaimedRoles/xades:ClaimedRole)"/>
    <xsl:variable name="subject" select="normalize-space(ds:KeyInfo/ds:X509Data/ds:X509SubjectName)"/>
    <xsl:variable name="cn">
      <xsl:call-template name="subject-cn">
        <xsl:with-param name="dn" select="$subject"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="padded" select="concat(' ', normalize-space($verified), ' ')"/>
    <xsl:variable name="status">
      <xsl:if test="$id != '' and contains($padded, concat(' ', $id, '='))">
        <xsl:value-of select="substring-before(substring-after($padded, concat(' ', $id, '=')), ' ')"/>
      </xsl:if>
    </xsl:variable>
    <xsl:variable name="status-class">
      <xsl:choose>
        <xsl:when test="$status = 'valid'">valid</xsl:when>
        <xsl:when test="$status = 'invalid'">invalid</xsl:when>
        <xsl:when test="$status = 'unknown'">unknown</xsl:when>
        <xsl:otherwise>unverified</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="origin" select="$meaning-uri = concat($commitment, 'ProofOfOrigin')"/>

    <div>
      <xsl:attribute name="class"><xsl:value-of select="concat('sig sig-', $status-class)"/></xsl:attribute>
      <xsl:if test="$id != ''">
        <xsl:attribute name="id"><xsl:value-of select="concat('sig-box-', $id)"/></xsl:attribute>
      </xsl:if>
      <div class="sig-meaning">
        <xsl:choose>
          <xsl:when test="$meaning-uri = concat($commitment, 'ProofOfApproval')">Phê duyệt</xsl:when>
          <xsl:when test="$origin">Ban hành / Xác nhận nguồn gốc</xsl:when>
          <xsl:when test="$meaning-uri = 'urn:docket:commitment:1:review'">Kiểm tra</xsl:when>
          <xsl:when test="$meaning-uri = concat($commitment, 'ProofOfCreation')">Khởi tạo</xsl:when>
          <xsl:when test="$meaning-uri = concat($commitment, 'ProofOfReceipt')">Xác nhận đã nhận</xsl:when>
          <xsl:when test="$meaning-uri != ''"><xsl:value-of select="$meaning-uri"/></xsl:when>
          <xsl:otherwise>Ý nghĩa không ghi trong chữ ký</xsl:otherwise>
        </xsl:choose>
      </div>
      <xsl:if test="$origin">
        <div class="sig-line">
          <span class="k">Cơ quan: </span>
          <xsl:value-of select="normalize-space(/d:document/d:header/d:issuer/d:name)"/>
        </div>
        <div class="sig-line">
          <xsl:call-template name="number-line"/>
        </div>
      </xsl:if>
      <div class="sig-line">
        <span class="k">Người ký: </span>
        <xsl:choose>
          <xsl:when test="$cn != ''"><xsl:value-of select="$cn"/></xsl:when>
          <xsl:when test="$subject != ''"><xsl:value-of select="$subject"/></xsl:when>
          <xsl:otherwise><span class="muted">(tên trong chứng thư số)</span></xsl:otherwise>
        </xsl:choose>
      </div>
      <xsl:if test="$role != ''">
        <div class="sig-line"><span class="k">Chức vụ (tự khai): </span><xsl:value-of select="$role"/></div>
      </xsl:if>
      <div class="sig-line">
        <span class="k">Thời gian ký: </span>
        <xsl:choose>
          <xsl:when test="$time != ''">
            <xsl:call-template name="signing-time">
              <xsl:with-param name="t" select="$time"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise><span class="muted">(không ghi)</span></xsl:otherwise>
        </xsl:choose>
      </div>
      <div class="sig-status">
        <xsl:choose>
          <xsl:when test="$status-class = 'valid'">Chữ ký hợp lệ (đã kiểm tra)</xsl:when>
          <xsl:when test="$status-class = 'invalid'">CHỮ KÝ KHÔNG HỢP LỆ</xsl:when>
          <xsl:when test="$status-class = 'unknown'">Không xác định được hiệu lực chữ ký</xsl:when>
          <xsl:otherwise>Chưa kiểm tra (không có chứng thư gốc tin cậy)</xsl:otherwise>
        </xsl:choose>
        <xsl:if test="$id != ''">
          <span class="sig-id"><xsl:value-of select="concat(' [', $id, ']')"/></span>
        </xsl:if>
      </div>
    </div>
  </xsl:template>

  <!-- CN of an RFC 4514 / xmlsec-style distinguished name: "CN=Lê Thị Lan,O=…" -->
  <xsl:template name="subject-cn">
    <xsl:param name="dn"/>
    <xsl:variable name="s" select="concat(',', translate($dn, ';', ','))"/>
    <xsl:variable name="after">
      <xsl:choose>
        <xsl:when test="contains($s, ',CN=')"><xsl:value-of select="substring-after($s, ',CN=')"/></xsl:when>
        <xsl:when test="contains($s, ', CN=')"><xsl:value-of select="substring-after($s, ', CN=')"/></xsl:when>
        <xsl:when test="contains($s, ',cn=')"><xsl:value-of select="substring-after($s, ',cn=')"/></xsl:when>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="contains($after, ',')"><xsl:value-of select="normalize-space(substring-before($after, ','))"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($after)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "2026-11-30T17:10:54+07:00" -> "17:10:54 ngày 30/11/2026 (UTC+07:00)" (Annex I: hh:mm:ss, date, offset) -->
  <xsl:template name="signing-time">
    <xsl:param name="t"/>
    <xsl:variable name="zone">
      <xsl:choose>
        <xsl:when test="substring($t, string-length($t)) = 'Z'">UTC</xsl:when>
        <xsl:otherwise><xsl:value-of select="concat('UTC', substring($t, string-length($t) - 5))"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <span class="time">
      <xsl:attribute name="datetime"><xsl:value-of select="$t"/></xsl:attribute>
      <xsl:value-of select="concat(substring($t, 12, 8), ' ngày ')"/>
      <xsl:call-template name="short-date">
        <xsl:with-param name="date" select="substring($t, 1, 10)"/>
      </xsl:call-template>
      <xsl:value-of select="concat(' (', $zone, ')')"/>
    </span>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Footnotes and rich text                                            -->
  <!-- ================================================================== -->

  <xsl:template match="d:footnotes">
    <div class="footnotes">
      <div class="rule footnote-rule"></div>
      <xsl:for-each select="d:footnote">
        <p class="footnote">
          <xsl:attribute name="id"><xsl:value-of select="concat('fn-', @id)"/></xsl:attribute>
          <sup><xsl:value-of select="@num"/></sup>
          <xsl:text> </xsl:text>
          <xsl:apply-templates select="node()" mode="inline"/>
        </p>
      </xsl:for-each>
    </div>
  </xsl:template>

  <!-- whitespace collapsed, as for xs:token; a space next to em or fnref is kept (as text.xsl) -->
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
    <em><xsl:value-of select="normalize-space(.)"/></em>
  </xsl:template>

  <xsl:template match="d:fnref" mode="inline">
    <sup class="fnref">
      <a>
        <xsl:attribute name="href"><xsl:value-of select="concat('#fn-', @ref)"/></xsl:attribute>
        <xsl:value-of select="key('footnote', @ref)/@num"/>
      </a>
    </sup>
  </xsl:template>

  <xsl:template match="*" mode="inline"/>

  <!-- ================================================================== -->
  <!-- Dates (as text.xsl)                                                -->
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
  <!-- Style: one sheet of A4 on screen, A4 pages in print                -->
  <!-- ================================================================== -->

  <xsl:template name="css">
@page {
  size: A4;
  margin: 20mm 15mm 20mm 30mm;
  @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", serif; }
}
@page :first { @top-center { content: none; } }

html { background: #e8e8e8; }
body {
  margin: 0;
  font-family: "Times New Roman", "Liberation Serif", serif;
  font-size: 14pt;
  line-height: 1.3;
  color: #000;
}
.sheet {
  box-sizing: border-box;
  width: 210mm;
  min-height: 297mm;
  margin: 0 auto;
  padding: 20mm 15mm 20mm 30mm;
  background: #fff;
  position: relative;
}
@media screen and (min-width: 230mm) {
  body { padding: 10mm 0; }
  .sheet { box-shadow: 0 2px 12px rgba(0, 0, 0, 0.35); }
}
@media print {
  html, body { background: none; }
  body { padding: 0; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; }
}
a { color: inherit; text-decoration: none; }

/* heading: issuer | motto, number | place and date */
table { border-collapse: collapse; }
table.head { width: 100%; table-layout: fixed; }
table.head td { vertical-align: top; text-align: center; padding: 0; }
td.issuer, td.number { width: 44%; }
td.motto, td.place-date { width: 56%; }
.issuer-parent { font-size: 12pt; text-transform: uppercase; }
.issuer-name { font-size: 12pt; font-weight: bold; text-transform: uppercase; }
.rule { border-top: 1px solid #000; height: 0; margin: 1pt auto 0; }
.issuer-rule { width: 30%; margin-top: 3pt; }
.motto1 { font-size: 12pt; font-weight: bold; white-space: nowrap; }
.motto2 { font-size: 13pt; font-weight: bold; }
.motto2 span { display: inline-block; border-bottom: 1px solid #000; padding-bottom: 1pt; }
table.head tr + tr td { padding-top: 6pt; }
.number-line { font-size: 13pt; }
.vv { font-size: 12.5pt; margin: 3pt 4mm 0; }
.place-date { font-size: 14pt; font-style: italic; }
.mark { margin-top: 6pt; }
.mark span { display: inline-block; border: 1px solid #000; padding: 0 6pt; font-weight: bold; }
.state {
  position: absolute; top: 8mm; right: 15mm;
  font-size: 9pt; font-family: sans-serif; letter-spacing: 0.5pt;
  border: 1px solid #a00; color: #a00; padding: 1pt 5pt;
}
h1.doctype { margin: 18pt 0 0; text-align: center; font-size: 14pt; font-weight: bold; }
h1.doctype .type-name { display: block; text-transform: uppercase; }
h1.doctype .subject { display: block; margin: 0 8%; }
.subject-rule { width: 25%; margin-top: 2pt; }
.addressees { margin: 12pt 0 6pt; text-align: center; }
.addressees p { margin: 0; }
.addressees table { margin: 0 auto; text-align: left; }
.addressees td { vertical-align: top; padding: 0 4pt 0 0; }

/* body */
.body { margin-top: 12pt; }
p.para { margin: 0 0 6pt; text-indent: 10mm; text-align: justify; }
h2, h3, h4 { font-size: 14pt; margin: 8pt 0 6pt; text-indent: 10mm; break-after: avoid; page-break-after: avoid; }
h2 { font-weight: bold; }
h3 { font-weight: bold; }
h4 { font-weight: bold; font-style: italic; }
sup { font-size: 65%; line-height: 0; }
table.facts { margin: 0 0 6pt 10mm; }
table.facts td { padding: 0 6pt 2pt 0; vertical-align: top; }
table.facts td.label { white-space: nowrap; }

/* indicator and result tables */
table.grid { width: 100%; margin: 6pt 0 10pt; font-size: 12pt; line-height: 1.2; }
table.grid caption { font-style: italic; font-size: 12pt; padding-bottom: 3pt; }
table.grid th, table.grid td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
table.grid th { font-weight: bold; text-align: center; vertical-align: middle; }
th.c-year { white-space: nowrap; }
table.grid thead { display: table-header-group; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
td.c-id, td.c-cmp, td.c-unit, td.c-year, td.c-num { text-align: center; white-space: nowrap; }
td.c-name { text-align: left; }
.note { font-size: 10pt; font-style: italic; }

/* Nơi nhận | signer */
table.signoff { width: 100%; table-layout: fixed; margin-top: 12pt; break-inside: avoid; page-break-inside: avoid; }
table.signoff td { vertical-align: top; padding: 0; }
td.recipients { width: 45%; }
td.signer { width: 55%; text-align: center; }
.recipients-head { font-size: 12pt; font-weight: bold; font-style: italic; }
.recipient { font-size: 11pt; line-height: 1.2; }
.signer-title, .signer-position { font-weight: bold; text-transform: uppercase; }
.sign-space { min-height: 25mm; padding: 4pt 0; }
.signer-name { font-weight: bold; }
.division { margin-top: 8pt; }
h2.division-head { text-align: center; }
.division-label, .division-title { display: block; }
p.authority-line { text-align: center; font-weight: bold; margin: 0 0 6pt; }
p.item.nested { margin-left: 8mm; }
p.item.depth2 { margin-left: 16mm; }
p.item.depth3 { margin-left: 24mm; }
table.body-table td .cell-p, table.body-table td .cell-item { margin: 0; }

/* digital signatures */
.sig {
  display: inline-block; box-sizing: border-box; width: 78mm; margin: 3pt 0;
  border: 1.5px solid #1a3c8c; border-radius: 3pt; padding: 3pt 6pt;
  text-align: left; font-size: 10pt; line-height: 1.25; color: #1a3c8c;
  break-inside: avoid; page-break-inside: avoid; vertical-align: top;
}
.sig-meaning { font-weight: bold; text-transform: uppercase; font-size: 10pt; }
.sig .k { font-style: italic; }
.sig .muted { font-style: italic; color: #555; }
.sig-status { margin-top: 2pt; padding-top: 2pt; border-top: 1px dotted #1a3c8c; font-weight: bold; }
.sig-id { font-weight: normal; font-size: 8.5pt; }
.sig-valid { border-color: #176b2c; color: #176b2c; }
.sig-valid .sig-status { border-color: #176b2c; }
.sig-invalid { border-color: #b00000; color: #b00000; border-style: dashed; }
.sig-invalid .sig-status { border-color: #b00000; }
.sig-unverified, .sig-unknown { border-color: #555; color: #333; }
.sig-unverified .sig-status, .sig-unknown .sig-status { border-color: #555; }
.other-signatures { margin-top: 10pt; break-inside: avoid; page-break-inside: avoid; }
.other-head { font-size: 11pt; font-style: italic; margin-bottom: 2pt; }
.other-signatures .sig { margin-right: 4mm; }

/* footnotes */
.footnotes { margin-top: 14pt; font-size: 11pt; line-height: 1.2; text-align: justify; }
.footnote-rule { width: 35%; margin: 0 0 4pt; }
p.footnote { margin: 0 0 3pt; }
  </xsl:template>

</xsl:stylesheet>
