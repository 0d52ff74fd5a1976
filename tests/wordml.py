"""Hand-written WordprocessingML in Word's own shape, zipped into ``.docx`` files for the reader's tests.

Word writes namespaces, relationships and content types in a fixed way; these helpers
do the same, so a test states only the XML that matters to it (a paragraph with a
tracked deletion, a footer with a date content control ...).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
      'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
      'mc:Ignorable="w14 w15"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

STYLES = f"""<w:styles {NS}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="24"/>
<w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
<w:rPr><w:b/><w:sz w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/>
<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet2"><w:name w:val="List Bullet 2"/><w:basedOn w:val="Normal"/>
<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Hidden"><w:name w:val="Hidden Note"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TemplateNote"><w:name w:val="Template Note"/><w:basedOn w:val="Normal"/>
<w:rPr><w:vanish/><w:color w:val="FF0000"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TrustSection"><w:name w:val="Trust Section"/>
<w:basedOn w:val="TrustBase"/></w:style>
<w:style w:type="paragraph" w:styleId="TrustBase"><w:name w:val="Trust Base"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:color w:val="005EB8"/><w:sz w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="LeafletHeadingA">
<w:name w:val="Leaflet Heading A"/><w:basedOn w:val="Normal"/>
<w:rPr><w:color w:val="005EB8"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="WarnBox"><w:name w:val="Warning Box"/><w:basedOn w:val="Normal"/>
<w:pPr><w:pBdr><w:top w:val="single" w:sz="8"/><w:left w:val="single" w:sz="8"/><w:bottom w:val="single" w:sz="8"/>
<w:right w:val="single" w:sz="8"/></w:pBdr></w:pPr></w:style>
<w:style w:type="numbering" w:styleId="TrustBullets"><w:name w:val="Trust Bullets"/>
<w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>
</w:styles>"""


def _level(ilvl: int, fmt: str, text: str, start: int = 1, font: str | None = None) -> str:
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>{rpr}</w:lvl>')


SYMBOL_BULLET = "\uf0b7"
WINGDINGS_SQUARE = "\uf0a7"
NUMBERING = f"""<w:numbering {NS}>
<w:abstractNum w:abstractNumId="0">{_level(0, "bullet", SYMBOL_BULLET, font="Symbol")}
{_level(1, "bullet", "o", font="Courier New")}{_level(2, "bullet", WINGDINGS_SQUARE, font="Wingdings")}</w:abstractNum>
<w:abstractNum w:abstractNumId="1">{_level(0, "decimal", "%1.")}{_level(1, "lowerLetter", "%2)")}</w:abstractNum>
<w:abstractNum w:abstractNumId="2">{_level(0, "bullet", "o", font="Courier New")}</w:abstractNum>
<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="TrustBullets"/></w:abstractNum>
<w:abstractNum w:abstractNumId="4"><w:styleLink w:val="TrustBullets"/>{_level(0, "bullet", "•")}
{_level(1, "bullet", "–")}</w:abstractNum>
<w:abstractNum w:abstractNumId="6">{_level(0, "none", "")}</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="4"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="1"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
<w:num w:numId="7"><w:abstractNumId w:val="6"/></w:num>
</w:numbering>"""


def p(text: str = "", style: str | None = None, ppr: str = "", runs: str | None = None) -> str:
    """A paragraph: ``text`` as one run (escaped), or ``runs`` as raw XML."""
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    body = runs if runs is not None else r(text)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


def r(text: str, rpr: str = "") -> str:
    """A run of text (spaces kept)."""
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def numbered(text: str, num_id: int, ilvl: int = 0, style: str | None = None) -> str:
    return p(text, style, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def table(rows: list[list[str]], *, tcpr: dict[tuple[int, int], str] | None = None,
          skip: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(), tblpr: str = "") -> str:
    """A table of one-paragraph cells; ``tcpr`` adds cell properties, ``skip`` leaves cells out (spanned)."""
    out = [f"<w:tbl><w:tblPr>{tblpr}</w:tblPr>"]
    for i, row in enumerate(rows):
        out.append("<w:tr>")
        for j, text in enumerate(row):
            if (i, j) in skip:
                continue
            props = (tcpr or {}).get((i, j), "")
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def textbox_run(inner: str, fallback: bool = True) -> str:
    """A DrawingML text box holding ``inner`` block XML, with Word's VML fallback (the same text)."""
    choice = (f'<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Text Box 1"/>'
              f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
              f'<wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp>'
              f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>')
    back = (f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox>'
            f'</v:shape></w:pict></mc:Fallback>') if fallback else ""
    return f"<w:r><mc:AlternateContent>{choice}{back}</mc:AlternateContent></w:r>"


def vml_textbox_run(inner: str) -> str:
    return (f"<w:r><w:pict><v:shape><v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape>"
            "</w:pict></w:r>")


def field(instruction: str, result: str) -> str:
    """A complex field: instruction runs, then its result."""
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
            f'{escape(instruction)} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(result)}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def picture_run(rid: str, alt: str | None, name: str = "Picture 1", decorative: bool = False,
                anchor: bool = False) -> str:
    """A DrawingML picture (inline, or floating with ``anchor``) showing the image related as ``rid``."""
    descr = f' descr="{escape(alt, {chr(34): "&quot;"})}"' if alt is not None else ""
    mark = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
            'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext>'
            "</a:extLst>") if decorative else ""
    kind = "anchor" if anchor else "inline"
    return (f'<w:r><w:drawing><wp:{kind}><wp:extent cx="1828800" cy="1219200"/><wp:docPr id="7" name="{name}"'
            f"{descr}>{mark}</wp:docPr><a:graphic><a:graphicData "
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
            '<pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData>'
            f"</a:graphic></wp:{kind}></w:drawing></w:r>")


def docx(body: str, *, headers: list[str] = (), footers: list[str] = (), comments: str | None = None,
         comments_extended: str | None = None, styles: str = STYLES, numbering: str = NUMBERING,
         links: dict[str, str] | None = None, main_type: str = MAIN_TYPE, sect: bool = True,
         sect_extra: str = "", media: dict[str, bytes] | None = None) -> bytes:
    """A whole ``.docx``: the body XML inside ``w:body``, headers and footers as inner XML of ``w:hdr``/``w:ftr``."""
    rels = [("rIdStyles", "styles", "styles.xml"), ("rIdNumbering", "numbering", "numbering.xml")]
    parts = {"word/styles.xml": styles, "word/numbering.xml": numbering}
    refs = []
    for kind, stories, tag in (("header", headers, "hdr"), ("footer", footers, "ftr")):
        for n, story in enumerate(stories, start=1):
            rid = f"rId{kind}{n}"
            rels.append((rid, kind, f"{kind}{n}.xml"))
            parts[f"word/{kind}{n}.xml"] = f"<w:{tag} {NS}>{story}</w:{tag}>"
            kinds = ("default", "first", "even")
            refs.append(f'<w:{kind}Reference w:type="{kinds[(n - 1) % 3]}" r:id="{rid}"/>')
    if comments is not None:
        rels.append(("rIdComments", "comments", "comments.xml"))
        parts["word/comments.xml"] = f"<w:comments {NS}>{comments}</w:comments>"
    if comments_extended is not None:
        rels.append(("rIdCommentsEx", "commentsExtended", "commentsExtended.xml"))
        parts["word/commentsExtended.xml"] = f"<w15:commentsEx {NS}>{comments_extended}</w15:commentsEx>"
    external = [(rid, url) for rid, url in (links or {}).items()]
    images = {}
    for rid, data in (media or {}).items():
        rels.append((rid, "image", f"media/{rid}.bin"))
        images[f"word/media/{rid}.bin"] = data
    sect_xml = f"<w:sectPr>{''.join(refs)}{sect_extra}</w:sectPr>" if sect else ""
    parts["word/document.xml"] = f"<w:document {NS}><w:body>{body}{sect_xml}</w:body></w:document>"
    rel_xml = "".join(f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>' for rid, kind, target in rels)
    rel_xml += "".join(f'<Relationship Id="{rid}" Type="{REL}/hyperlink" Target="{escape(url)}" TargetMode="External"/>'
                       for rid, url in external)
    parts["word/_rels/document.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rel_xml
        + "</Relationships>")
    parts["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        # Dated 1980-01-01, so the same document gives the same bytes.
        for name, text in parts.items():
            zf.writestr(_member(name), '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
        for name, data in images.items():
            zf.writestr(_member(name), data)
    return buffer.getvalue()
