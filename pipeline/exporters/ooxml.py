"""Every python-docx workaround in one place: the WordprocessingML that python-docx has no API for.

python-docx has no public API for hyperlinks, page-number fields, list numbering
instances, right-to-left paragraphs, complex-script fonts and sizes, or the document
proofing language.  This module adds them as raw XML, so the DOCX exporter only
speaks in terms of the document model, and a python-docx upgrade touches one file.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from pipeline.exporters.zipped import Member, deflated, write_zip

Element = Any  # lxml elements from python-docx's oxml layer

BULLET_CHARS = ("•", "◦", "▪")


@dataclass(frozen=True, slots=True)
class Fonts:
    """The typeface for each kind of script Word distinguishes."""

    latin: str
    """Latin, Greek, Cyrillic (``w:ascii``, ``w:hAnsi``)."""
    complex: str
    """Complex scripts: Arabic, Urdu, Hebrew, Bengali, Devanagari, Gurmukhi (``w:cs``)."""
    east_asian: str
    """Chinese, Japanese, Korean (``w:eastAsia``)."""


def set_run_fonts(rpr: Element, fonts: Fonts, size_pt: float | None = None, rtl: bool = False) -> None:
    """Set every script's font (Latin, East Asian, complex script) and both sizes on ``w:rPr``.

    python-docx's ``font.size`` sets only ``w:sz``; Arabic-script and Indic text is
    sized by ``w:szCs``, so without it an Urdu "large print" document stays small.
    """
    element = _child(rpr, "w:rFonts")
    for attr, font in (("w:ascii", fonts.latin), ("w:hAnsi", fonts.latin), ("w:eastAsia", fonts.east_asian),
                       ("w:cs", fonts.complex)):
        element.set(qn(attr), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        element.attrib.pop(qn(attr), None)
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        _child(rpr, "w:sz").set(qn("w:val"), half_points)
        _child(rpr, "w:szCs").set(qn("w:val"), half_points)
    if rtl:
        _child(rpr, "w:rtl")


def set_document_language(document: Any, locale_tag: str, fonts: Fonts, size_pt: float, latin: bool = True) -> None:
    """Set the proofing language, fonts and size in the styles' default run properties.

    ``core_properties.language`` alone does not change the language Word and screen
    readers use; ``w:lang`` in ``w:docDefaults`` does.  ``locale_tag`` is BCP 47 (``en-GB``).
    With ``latin`` false (a house template's look), only the complex-script font and size are set.
    """
    styles = document.styles.element
    defaults = _child(_child(_child(styles, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    if latin:
        set_run_fonts(defaults, fonts, size_pt)
    else:
        _set_complex(defaults, fonts, size_pt)
    lang = _child(defaults, "w:lang")
    lang.set(qn("w:val"), locale_tag)
    lang.set(qn("w:eastAsia"), locale_tag)
    lang.set(qn("w:bidi"), locale_tag)


def _set_complex(rpr: Element, fonts: Fonts, size_pt: float, rtl: bool = False) -> None:
    element = _child(rpr, "w:rFonts")
    element.set(qn("w:cs"), fonts.complex)
    element.set(qn("w:eastAsia"), fonts.east_asian)
    for attr in ("w:cstheme", "w:eastAsiaTheme"):
        element.attrib.pop(qn(attr), None)
    _child(rpr, "w:szCs").set(qn("w:val"), str(round(size_pt * 2)))
    if rtl:
        _child(rpr, "w:rtl")


def set_complex_font(style: Any, fonts: Fonts, size_pt: float, rtl: bool = False) -> None:
    """Give a style the complex-script and East Asian fonts and the complex-script size only (its
    Latin font and size are the house template's)."""
    _set_complex(style.element.get_or_add_rPr(), fonts, size_pt, rtl)


def add_missing_styles(document: Any, source: Any, names: tuple[str, ...]) -> None:
    """Copy the styles ``names`` from ``source`` into ``document`` where it lacks them (a house template
    made in Word defines only the styles it used)."""
    have = {style.name for style in document.styles}
    for name in names:
        if name not in have and name in {style.name for style in source.styles}:
            document.styles.element.append(copy.deepcopy(source.styles[name].element))


def footer_paragraph(document: Any) -> Element:
    """An empty paragraph in the Footer style, to start a footer with."""
    para = OxmlElement("w:p")
    ids = style_ids(document)
    if "Footer" in ids:
        ppr = para.makeelement(_E_PPR, {})
        ppr.append(para.makeelement(_E_PSTYLE, {_E_VAL: ids["Footer"]}))
        para.append(ppr)
    return para


def plain_for_large_print(document: Any) -> None:
    """No italics, underlining or justified text in any style (UKAAF large print), whatever a house
    template's styles say."""
    for style in document.styles:
        font = getattr(style, "font", None)
        if font is not None:
            if font.italic:
                font.italic = False
            if font.underline:
                font.underline = False
        paragraph = getattr(style, "paragraph_format", None)
        if paragraph is not None and paragraph.alignment is not None and int(paragraph.alignment) in (3, 4, 5, 7, 8, 9):
            paragraph.alignment = None  # justified in any form: back to the start edge


def set_style_fonts(style: Any, fonts: Fonts, size_pt: float, rtl: bool = False) -> None:
    """Give a style its font for every script, and both the Latin and complex-script size."""
    set_run_fonts(style.element.get_or_add_rPr(), fonts, size_pt, rtl)


def no_hyphenation(style: Any) -> None:
    """Never split words across lines in paragraphs of this style (UKAAF large print)."""
    _child(style.element.get_or_add_pPr(), "w:suppressAutoHyphens")


def new_paragraph(before: Element, style_id: str | None = None) -> Element:
    """A new ``w:p`` (in style ``style_id``) inserted just before ``before`` (the body's section properties)."""
    para = before.makeelement(_E_P, {})
    if style_id:
        ppr = para.makeelement(_E_PPR, {})
        ppr.append(para.makeelement(_E_PSTYLE, {_E_VAL: style_id}))
        para.append(ppr)
    before.addprevious(para)
    return para


def append_paragraph(parent: Element) -> Element:
    """A new, empty ``w:p`` at the end of ``parent`` (e.g. a footer)."""
    para = parent.makeelement(_E_P, {})
    parent.append(para)
    return para


def _ppr(paragraph: Any) -> Element:
    """The ``w:pPr`` of a paragraph element, python-docx paragraph or paragraph style, made if missing."""
    if hasattr(paragraph, "get_or_add_pPr"):
        return paragraph.get_or_add_pPr()
    return (paragraph._element if hasattr(paragraph, "_element") else paragraph.element).get_or_add_pPr()


def page_break_before(paragraph: Any) -> None:
    """Start ``paragraph`` on a new page."""
    _child(_ppr(paragraph), "w:pageBreakBefore")


def keep_with_next(paragraph: Any) -> None:
    """Keep ``paragraph`` on the same page as the next one (a picture with its caption)."""
    _child(_ppr(paragraph), "w:keepNext")


def space_after(paragraph: Any, points_after: float) -> None:
    """Set the space after one paragraph, in points (its style's otherwise)."""
    _child(_ppr(paragraph), "w:spacing").set(qn("w:after"), str(round(points_after * 20)))


def no_indent(paragraph: Element) -> None:
    """No left indent: a list item's second paragraph, under the item's text."""
    _child(_ppr(paragraph), "w:ind").set(qn("w:left"), "0")


def set_paragraph_rtl(paragraph_or_style: Any) -> None:
    """Mark a paragraph (or paragraph style) right-to-left: ``w:bidi`` in its ``w:pPr``."""
    _child(_ppr(paragraph_or_style), "w:bidi")


def set_paragraph_ltr(paragraph: Any) -> None:
    """Mark one paragraph left-to-right and left-aligned inside a right-to-left document."""
    ppr = _ppr(paragraph)
    _child(ppr, "w:bidi").set(qn("w:val"), "0")
    _child(ppr, "w:jc").set(qn("w:val"), "left")


def set_section_rtl(section: Any) -> None:
    """Lay a section out right-to-left (page numbers and columns mirror)."""
    _child(section._sectPr, "w:bidi")


def add_hyperlink(document: Any, paragraph: Element, url: str) -> Any:
    """Append an external ``w:hyperlink`` to ``paragraph`` (a ``w:p``); returns it, to add runs into."""
    r_id = document.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    paragraph.append(link)
    return link


def add_break(paragraph: Element) -> None:
    """Append a line break (its own ``w:r``) to a ``w:p``."""
    run = paragraph.makeelement(_E_R, {})
    run.append(paragraph.makeelement(_E_BR, {}))
    paragraph.append(run)


def add_plain_run(paragraph: Element, text: str, bold: bool = False) -> None:
    """Append a run as python-docx's ``add_run(text)`` writes it (``xml:space`` only when needed)."""
    run = paragraph.makeelement(_E_R, {})
    if bold:
        rpr = paragraph.makeelement(_E_RPR, {})
        rpr.append(paragraph.makeelement(_E_B, {}))
        run.append(rpr)
    t = paragraph.makeelement(_E_T, {})
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_E_SPACE, "preserve")
    run.append(t)
    paragraph.append(run)


_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def add_text(run: Element, text: str, keep_hyphens: bool = False) -> None:
    """Append ``text`` to a ``w:r``; with ``keep_hyphens``, hyphens inside words become
    ``w:noBreakHyphen``, so "9am-5pm" is never split across two lines."""
    parts = _INNER_HYPHEN.split(text) if keep_hyphens and "-" in text else [text]
    for index, part in enumerate(parts):
        if index:
            run.append(run.makeelement(_E_NO_BREAK_HYPHEN, {}))
        if part:
            t = run.makeelement(_E_T, {_E_SPACE: "preserve"})
            t.text = part
            run.append(t)


def add_run_to(parent: Element, text: str, rpr_values: dict[str, Any]) -> Element:
    """Append a ``w:r`` with ``text`` to a ``w:p`` or ``w:hyperlink``: ``style`` (a character style
    id), ``b`` (bold, with ``w:bCs``), ``i``, ``rtl``, ``keep_hyphens``, ``lang`` (a BCP 47 tag)."""
    run = parent.makeelement(_E_R, {})
    properties = []
    if rpr_values.get("style"):
        properties.append(parent.makeelement(_E_RSTYLE, {_E_VAL: rpr_values["style"]}))
    if rpr_values.get("b"):
        properties += [parent.makeelement(_E_B, {}), parent.makeelement(_E_BCS, {})]
    if rpr_values.get("i"):
        properties.append(parent.makeelement(_E_I, {}))
    if rpr_values.get("rtl"):
        properties.append(parent.makeelement(_E_RTL, {}))
    if rpr_values.get("lang"):  # text in another language than the document's: Word's proofing and voices
        tag = rpr_values["lang"]
        properties.append(parent.makeelement(qn("w:lang"), {qn("w:val"): tag, qn("w:bidi"): tag}))
    if properties:
        rpr = parent.makeelement(_E_RPR, {})
        rpr.extend(properties)
        run.append(rpr)
    add_text(run, text, bool(rpr_values.get("keep_hyphens")))
    parent.append(run)
    return run


def ensure_hyperlink_style(document: Any, underline: bool) -> None:
    """Add the Hyperlink character style, which python-docx's default template lacks.

    Without underlining (large print) the link is plain black text, as UKAAF asks.
    """
    names = {s.name for s in document.styles}
    if "Hyperlink" in names:
        return
    style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.base_style = document.styles["Default Paragraph Font"]
    # Dark blue has AAA contrast on white; large print keeps links black.
    style.font.color.rgb = RGBColor(0x00, 0x4B, 0x8D) if underline else RGBColor(0, 0, 0)
    style.font.underline = underline
    style.unhide_when_used = True


def add_field(paragraph: Element, instruction: str, placeholder: str = "1") -> None:
    """Append a complex field (e.g. ``PAGE`` or ``NUMPAGES``) that Word and LibreOffice update."""
    def fld_char(kind: str) -> Element:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    paragraph.append(fld_char("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    paragraph.append(instr_run)
    paragraph.append(fld_char("separate"))
    add_plain_run(paragraph, placeholder)
    paragraph.append(fld_char("end"))


class Numbering:
    """Real Word lists: one bullet and one decimal definition, one instance per list.

    Each list gets its own ``w:num`` so a numbered list restarts at its own start
    number instead of continuing the previous list's count.
    """

    def __init__(self, document: Any, indent_twips: int, rtl: bool = False) -> None:
        self._numbering = document.part.numbering_part.element
        existing = [int(a.get(qn("w:abstractNumId")))
                    for a in self._numbering.findall(qn("w:abstractNum"))]
        base = max(existing, default=0) + 1
        self._bullet = self._add_abstract(base, "bullet", indent_twips, rtl)
        self._decimal = self._add_abstract(base + 1, "decimal", indent_twips, rtl)

    def _add_abstract(self, ident: int, kind: str, indent: int, rtl: bool) -> int:
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(ident))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "multilevel")
        abstract.append(multi)
        for level in range(9):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(level))
            _val(lvl, "w:start", "1")
            _val(lvl, "w:numFmt", kind)
            text = BULLET_CHARS[level % 3] if kind == "bullet" else f"%{level + 1}."
            _val(lvl, "w:lvlText", text)
            _val(lvl, "w:lvlJc", "left")
            ppr = OxmlElement("w:pPr")
            if rtl:
                ppr.append(OxmlElement("w:bidi"))
            ind = OxmlElement("w:ind")
            # In a right-to-left paragraph Word and LibreOffice read w:left as the leading side.
            ind.set(qn("w:left"), str(indent * (level + 1)))
            ind.set(qn("w:hanging"), str(indent))
            ppr.append(ind)
            lvl.append(ppr)
            abstract.append(lvl)
        # abstractNum elements must come before any w:num.
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        return ident

    def new_list(self, ordered: bool, start: int = 1) -> int:
        """A new list instance; returns its ``numId``."""
        ids = [int(n.get(qn("w:numId"))) for n in self._numbering.findall(qn("w:num"))]
        num_id = max(ids, default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        _val(num, "w:abstractNumId", str(self._decimal if ordered else self._bullet))
        if ordered:
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            _val(override, "w:startOverride", str(start))
            num.append(override)
        self._numbering.append(num)
        return num_id

    @staticmethod
    def apply(paragraph: Element, num_id: int, level: int) -> None:
        """Make ``paragraph`` (a ``w:p``) an item of list ``num_id`` at nesting ``level`` (0-based)."""
        ppr = paragraph.get_or_add_pPr()
        numpr = _child(ppr, "w:numPr")
        _child(numpr, "w:ilvl").set(qn("w:val"), str(level))
        _child(numpr, "w:numId").set(qn("w:val"), str(num_id))


def repeat_header_row(row: Any) -> None:
    """Mark a table row as a header row, repeated on each page and announced by screen readers."""
    trpr = row._tr.get_or_add_trPr()
    _child(trpr, "w:tblHeader")


def keep_row_whole(row: Any) -> None:
    """A table row never breaks across two pages (a cell's last words alone on the next page)."""
    _child(row._tr.get_or_add_trPr(), "w:cantSplit")


def set_column_widths(table: Any, twips: list[int]) -> None:
    """Fix a python-docx table's column widths (in twentieths of a point): the grid, each cell,
    and a fixed layout, so Word and LibreOffice keep them rather than fit the columns to their text."""
    tblpr = table._tbl.tblPr
    width = _child(tblpr, "w:tblW")
    width.set(qn("w:w"), str(sum(twips)))
    width.set(qn("w:type"), "dxa")
    _child(tblpr, "w:tblLayout").set(qn("w:type"), "fixed")
    for col, value in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
        col.w = Twips(value)
    for tr in table._tbl.tr_lst:
        for tc, value in zip(tr.tc_lst, twips, strict=False):
            tc.width = Twips(value)


def set_table_style(table: Any, style_id: str) -> None:
    """Give a python-docx table the table style with id ``style_id`` (looked up once, not per table)."""
    table._tbl.tblPr.style = style_id


def set_table_rtl(table: Any) -> None:
    """Lay a table out right-to-left (first column on the right)."""
    tblpr = table._tbl.tblPr
    _child(tblpr, "w:bidiVisual")


def table_cells(table: Any) -> list[list[Element]]:
    """Each row's cells of a new python-docx table, as the first ``w:p`` in each cell.

    ``table.cell(r, c)`` walks the whole table on every call; this walks it once.
    """
    return [[tc.find(_E_P) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def style_ids(document: Any) -> dict[str, str]:
    """Style name -> style id (python-docx looks a style up by name on every use)."""
    return {style.name: style.style_id for style in document.styles}


def has_text(paragraph: Element) -> bool:
    """Whether a ``w:p`` holds any text."""
    return any(t.text for t in paragraph.iter(_E_T))


def paragraph_border_bottom(paragraph: Element) -> None:
    """Draw a rule under a paragraph: the thematic break."""
    ppr = paragraph.get_or_add_pPr()
    borders = _child(ppr, "w:pBdr")
    bottom = _child(borders, "w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)


def points(value: float) -> Any:
    """A python-docx length in points."""
    return Pt(value)


# Qualified names of the elements and attributes written for every run, looked up once.
(_E_P, _E_PPR, _E_PSTYLE, _E_R, _E_RPR, _E_T, _E_BR, _E_B, _E_BCS, _E_I, _E_RTL, _E_RSTYLE, _E_NO_BREAK_HYPHEN, _E_VAL,
 _E_SPACE) = (
    qn(tag) for tag in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:t", "w:br", "w:b", "w:bCs", "w:i", "w:rtl",
                        "w:rStyle", "w:noBreakHyphen", "w:val", "xml:space"))


def _val(parent: Element, tag: str, value: str) -> Element:
    el = OxmlElement(tag)
    el.set(qn("w:val"), value)
    parent.append(el)
    return el


_RPR = (
    "w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike w:outline "
    "w:shadow w:emboss w:imprint w:noProof w:snapToGrid w:vanish w:webHidden w:color "
    "w:spacing w:w w:kern w:position w:sz w:szCs w:highlight w:u w:effect w:bdr w:shd "
    "w:fitText w:vertAlign w:rtl w:cs w:em w:lang w:eastAsianLayout w:specVanish w:oMath"
)
_PPR = (
    "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
    "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
    "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd "
    "w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc "
    "w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle "
    "w:rPr w:sectPr w:pPrChange"
)
_SECTPR = (
    "w:headerReference w:footerReference w:footnotePr w:endnotePr w:type w:pgSz w:pgMar "
    "w:paperSrc w:pgBorders w:lnNumType w:pgNumType w:cols w:formProt w:vAlign w:noEndnote "
    "w:titlePg w:textDirection w:bidi w:rtlGutter w:docGrid w:printerSettings w:sectPrChange"
)
_TBLPR = (
    "w:tblStyle w:tblpPr w:tblOverlap w:bidiVisual w:tblStyleRowBandSize w:tblStyleColBandSize "
    "w:tblW w:jc w:tblCellSpacing w:tblInd w:tblBorders w:shd w:tblLayout w:tblCellMar "
    "w:tblLook w:tblCaption w:tblDescription"
)
# Schema order of the property elements this module writes into (ECMA-376 part 1).
_ORDER = {
    qn("w:rPr"): tuple(_RPR.split()),
    qn("w:pPr"): tuple(_PPR.split()),
    qn("w:sectPr"): tuple(_SECTPR.split()),
    qn("w:tblPr"): tuple(_TBLPR.split()),
    qn("w:trPr"): ("w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc"),
    qn("w:numPr"): ("w:ilvl", "w:numId"),
    qn("w:pBdr"): ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"),
}


def _child(parent: Element, tag: str) -> Element:
    """The first ``tag`` child of ``parent``, created in schema order when missing.

    Word refuses (offers to "repair") documents whose property elements are out of
    the schema's order, so new children go before the first sibling that must follow.
    """
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = OxmlElement(tag)
    order = _ORDER.get(parent.tag)
    if order and tag in order:
        later = {qn(t) for t in order[order.index(tag) + 1 :]}
        for sibling in parent:
            if sibling.tag in later:
                sibling.addprevious(found)
                return found
    parent.append(found)
    return found


_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_PNG_TYPE = re.compile(rb'<Default Extension="png" ContentType="image/png"/>')


def _xml_attr(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text, {'"': "&quot;", "\n": "&#10;"})


def _parse(xml: str) -> Element:
    from docx.oxml import parse_xml

    return parse_xml(xml)


class Package:
    """A python-docx document set up once, then filled and written for one leaflet after another.

    Writing a DOCX with python-docx serialises and compresses every part, and its default
    template's style parts are 800 kB of XML: most of the time of a short leaflet.  Here
    the parts that are the same for every leaflet with this look are compressed once;
    the parts a leaflet changes (its body, lists, links, footer, properties) are written
    fresh, and put back as they were by :meth:`reset`.  Members are dated 1980-01-01 (no
    time of saving), so the same leaflet gives the same bytes.
    """

    CHANGING = ("/word/document.xml", "/word/numbering.xml", "/docProps/core.xml")

    def __init__(self, document: Any) -> None:
        import io
        import zipfile

        self.document = document
        self.body = document.element.body
        self._images: list[tuple[str, bytes]] = []
        section = document.sections[0]
        self.footer = section.footer._element
        self._footer_children = [copy.deepcopy(child) for child in self.footer]
        part = document.part
        self._numbering = part.numbering_part.element
        self._nums = len(self._numbering.findall(qn("w:num")))
        self._rels = set(part.rels)
        self._changing: dict[str, Callable[[], bytes]] = {"/word/_rels/document.xml.rels": lambda: part.rels.xml}
        for each in part.package.iter_parts():
            if str(each.partname) in self.CHANGING or each is section.footer.part:
                self._changing[str(each.partname)] = functools.partial(getattr, each, "blob")
        buffer = io.BytesIO()
        document.save(buffer)
        self._members: list[tuple[str, int, Member | None]] = []
        with zipfile.ZipFile(buffer) as saved:
            for member in saved.infolist():
                changing = "/" + member.filename in self._changing
                self._members.append((member.filename, member.external_attr, None if changing else deflated(
                    member.filename, saved.read(member.filename), member.external_attr)))
        # The parts that never change are kept compressed above; python-docx's parsed copies
        # (the styles alone are 800 kB of XML, several MB parsed) are let go.
        for each in part.package.iter_parts():
            if str(each.partname) not in self._changing and each is not part:
                for attribute in ("_element", "_blob"):
                    if hasattr(each, attribute):
                        setattr(each, attribute, None)

    def write(self) -> bytes:
        """The package as it is now, as DOCX bytes (with this leaflet's pictures, if any)."""
        members = []
        for name, attributes, member in self._members:
            if member is not None and name == "[Content_Types].xml" and self._images:
                types = _PNG_TYPE.sub(b"", self._content_types())
                types = types.replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
                member = deflated(name, types, attributes)
            members.append(member or deflated(name, self._changing["/" + name](), attributes))
        members += [deflated(name, data) for name, data in self._images]
        return write_zip(members)

    def _content_types(self) -> bytes:
        import zlib

        member = next(m for name, _, m in self._members if name == "[Content_Types].xml")
        assert member is not None
        return zlib.decompress(member.stored, -15)

    def add_picture(self, paragraph: Element, png: bytes, width_emu: int, height_emu: int, alt: str) -> None:
        """Put a PNG picture in ``paragraph``, ``width_emu`` by ``height_emu``, described by ``alt``."""
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        number = len(self._images) + 1
        name = f"word/media/leaflet-picture{number}.png"
        part = Part(PackURI("/" + name), "image/png", png, self.document.part.package)
        r_id = self.document.part.relate_to(part, RT.IMAGE)
        self._images.append((name, png))
        alt_attr = _xml_attr(alt)
        run = OxmlElement("w:r")
        run.append(_parse(
            f'<w:drawing {_NS}><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:docPr id="{1000 + number}" '
            f'name="Picture {number}" descr="{alt_attr}"/><wp:cNvGraphicFramePr>'
            '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="{number}" name="picture{number}.png" descr="{alt_attr}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
            "</wp:inline></w:drawing>"))
        paragraph.append(run)

    def reset(self) -> None:
        """Back to the state it was set up in: empty body, no lists or links, the template footer."""
        section_properties = self.body[-1]
        for child in list(self.body):
            if child is not section_properties:
                self.body.remove(child)
        for num in self._numbering.findall(qn("w:num"))[self._nums:]:
            self._numbering.remove(num)
        rels = self.document.part.rels
        for r_id in [r for r in rels if r not in self._rels]:
            del rels[r_id]
        self._images.clear()
        for child in list(self.footer):
            self.footer.remove(child)
        self.footer.extend(copy.deepcopy(child) for child in self._footer_children)
