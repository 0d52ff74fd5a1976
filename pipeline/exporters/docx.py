"""Accessible DOCX, standard or large print: one writer, look set by a :class:`DocxProfile`.

Accessible by construction: the title is Heading 1 and sections Heading 2 and 3
(real outline levels for Word's navigation pane and screen readers), lists are
real Word lists, links are real hyperlinks, tables have a repeated header row,
the document language is set where Word reads it, every page has a footer with
the leaflet code, review dates and "Page X of Y".  Large print is a profile of
this writer (bigger type, one blank line between paragraphs, no italics, no
underlining), never a second writer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, RGBColor

from pipeline import bidi
from pipeline.exporters import ooxml, widths
from pipeline.exporters.common import address_to_write, closing_lines, language_line, notices, picture_line, review_line
from pipeline.exporters.profiles import STANDARD, DocxProfile
from pipeline.i18n.catalogues import language_tag
from pipeline.labels import label
from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Emphasis,
    Heading,
    Inline,
    Leaflet,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Picture,
    Strong,
    Table,
    Text,
    ThematicBreak,
    inline_text,
)
from pipeline.patterns import ADDRESS_RE
from pipeline.phones import sub_phones

FIGURE_SPACE = "\u2007"
"""Between the digit groups of a phone number: a space that never breaks.  Not U+00A0, which
LibreOffice makes a portion of its own, and then breaks the number mid-digit on a right-to-left
line ("0118 496 079" | "0")."""
WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"


def glued(text: str) -> str:
    """``text`` as printed: phone numbers never broken, addresses broken only after a slash.

    Inside an address each hyphen is held by word joiners (a break at "northfield-" reads
    as hyphenation, and the patient types the address without it), and a zero-width space
    after each slash is the one place a long address may wrap.  The link's target is kept
    as it was; only the text shown changes.
    """
    out, pos = [], 0
    for m in [*ADDRESS_RE.finditer(text), None]:
        out.append(sub_phones(text[pos:m.start() if m else len(text)],
                              lambda phone: phone.text.replace(" ", FIGURE_SPACE)))
        if m:
            address = m.group(0).replace("-", f"{WORD_JOINER}-{WORD_JOINER}")
            out.append(re.sub(r"(?<=[^/]/)(?=\w)", ZERO_WIDTH_SPACE, address))
            pos = m.end()
    return "".join(out)

_COMPLEX_FONTS = {
    # Fonts on a typical NHS (Windows) desktop; LibreOffice on Debian substitutes the
    # Noto family (fonts-noto-core) for any it lacks.
    "ar": "Arial", "ur": "Arial", "fa": "Arial", "ps": "Arial", "ckb": "Arial", "he": "Arial",
    "bn": "Nirmala UI", "hi": "Nirmala UI", "pa": "Nirmala UI", "gu": "Nirmala UI", "ne": "Nirmala UI",
    "ta": "Nirmala UI",
}
_EAST_ASIAN_FONTS = {"zh": "Microsoft YaHei", "ja": "Yu Gothic", "ko": "Malgun Gothic"}


def script_fonts(language: str, profile: DocxProfile) -> ooxml.Fonts:
    """The fonts for a language's scripts: Latin as the profile (or the house style) says, others by script."""
    code = language.replace("-", "_").split("_")[0]
    latin = house_font(profile)
    complex_font = dict(profile.complex_fonts).get(code) or _COMPLEX_FONTS.get(code, latin)
    return ooxml.Fonts(latin=latin, complex=complex_font, east_asian=_EAST_ASIAN_FONTS.get(code, latin))


def house_font(profile: DocxProfile) -> str:
    """The Latin typeface: the house template's body font where there is one (in large print only
    a sans-serif one), else the profile's."""
    reference = _reference(profile)
    if reference is None:
        return profile.font
    from pipeline.house import SANS_SERIF

    style: Any = reference.styles["Normal"]
    while style is not None and not style.font.name:
        style = style.base_style
    font = str(style.font.name) if style is not None else None
    if font is None or profile.large and font.casefold() not in SANS_SERIF:
        return profile.font
    return font


_REFERENCES: dict[str, Any] = {}


def _reference(profile: DocxProfile) -> Any:
    """The house style's Word template, opened (once per process), or ``None``."""
    house = profile.house
    if house is None or house.reference is None:
        return None
    if house.sha not in _REFERENCES:
        import io

        _REFERENCES[house.sha] = docx.Document(io.BytesIO(house.reference))
    return _REFERENCES[house.sha]


def export_docx(leaflet: Leaflet, profile: DocxProfile = STANDARD) -> bytes:
    """Render ``leaflet`` as a DOCX document with ``profile``'s look."""
    return _Writer(leaflet, profile).render()


@dataclass
class _Template:
    package: ooxml.Package
    numbering: ooxml.Numbering
    style_ids: dict[str, str]


_TEMPLATES: dict[tuple[DocxProfile, str, ooxml.Fonts, bool], _Template] = {}
"""Documents set up for a look and a language, reused leaflet after leaflet (see :class:`ooxml.Package`)."""


def _template(profile: DocxProfile, language: str, fonts: ooxml.Fonts, rtl: bool) -> _Template:
    key = (profile, language, fonts, rtl)
    if key not in _TEMPLATES:
        doc = _house_document(profile) if _reference(profile) is not None else docx.Document()
        numbering = _set_up(doc, profile, language, fonts, rtl)
        ids = ooxml.style_ids(doc)
        _TEMPLATES[key] = _Template(ooxml.Package(doc), numbering, ids)
    return _TEMPLATES[key]


def _house_document(profile: DocxProfile) -> Any:
    """The house template as the start of a document: its styles, page, header (the logo); its body and
    footer emptied (the pipeline writes the footer), and the styles the writer uses added where missing."""
    import io

    assert profile.house is not None and profile.house.reference is not None
    doc = docx.Document(io.BytesIO(profile.house.reference))
    body = doc.element.body
    for child in list(body)[:-1]:
        body.remove(child)
    ooxml.add_missing_styles(doc, docx.Document(), ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5",
                                                   "Heading 6", "List Paragraph", "Quote", "Footer", "Table Grid"))
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    for child in list(footer._element):
        footer._element.remove(child)
    footer._element.append(ooxml.footer_paragraph(doc))
    return doc


def _set_up(doc: Any, profile: DocxProfile, language: str, fonts: ooxml.Fonts, rtl: bool) -> ooxml.Numbering:
    """Styles, language, list definitions, page and footer: what every leaflet with this look shares.

    With a house style in standard print, the template's fonts, sizes, colours, spacing and
    page are kept and only what the pipeline owns is set (language, direction, the font and
    size for complex scripts, no hyphenation, headings kept with what follows).  In large
    print the large-print standard wins (see :func:`pipeline.house.large_print_notes`).
    """
    if profile.house is not None and profile.house.reference is not None and not profile.large:
        return _set_up_house(doc, profile, language, fonts, rtl)
    tag = language_tag(language)
    ooxml.set_document_language(doc, tag, fonts, profile.body_pt)

    normal = doc.styles["Normal"]
    ooxml.set_style_fonts(normal, fonts, profile.body_pt, rtl=rtl)
    ooxml.no_hyphenation(normal)
    fmt = normal.paragraph_format
    fmt.space_before = ooxml.points(0)
    fmt.space_after = ooxml.points(profile.body_pt * profile.space_after)
    fmt.line_spacing = profile.line_spacing
    # Right-to-left paragraphs take no explicit alignment: their start (right) edge is
    # the default, while "right" would mean the end edge to Word.
    fmt.alignment = None if rtl else WD_ALIGN_PARAGRAPH.LEFT
    fmt.widow_control = True
    if rtl:
        ooxml.set_paragraph_rtl(normal)

    house_styles = _reference(profile)
    for level in range(1, 7):
        style = doc.styles[f"Heading {level}"]
        size = round(profile.body_pt * profile.heading_scale[level - 1])  # whole points: 23, not 23.5
        ooxml.set_style_fonts(style, fonts, size, rtl=rtl)
        style.font.bold = True
        style.font.italic = False
        style.font.underline = False
        colour = _house_colour(house_styles, f"Heading {level}")  # the trust's heading colour, contrast checked
        style.font.color.rgb = RGBColor.from_string(colour) if colour else RGBColor(0, 0, 0)
        style.paragraph_format.space_before = ooxml.points(profile.body_pt)
        style.paragraph_format.space_after = ooxml.points(profile.body_pt * profile.space_after)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = fmt.alignment

    for name in ("Footer", "List Paragraph", "Quote"):
        # Page numbers and footers at the body size (UKAAF), in the body font.
        ooxml.set_style_fonts(doc.styles[name], fonts, profile.body_pt, rtl=rtl)
    footer = doc.styles["Footer"].paragraph_format
    footer.space_after, footer.line_spacing = ooxml.points(0), 1.0
    quote = doc.styles["Quote"]
    quote.font.italic = False
    quote.font.color.rgb = RGBColor(0, 0, 0)
    quote.paragraph_format.left_indent = Cm(1)
    ooxml.ensure_hyperlink_style(doc, profile.underline_links)
    if house_styles is not None:
        # A house template's own styles may bring italics, underlining, justification: not in large print.
        ooxml.plain_for_large_print(doc)
        colour = _house_colour(house_styles, "Normal")
        if colour:
            normal.font.color.rgb = RGBColor.from_string(colour)
    numbering = ooxml.Numbering(doc, indent_twips=round(profile.body_pt * 30), rtl=rtl)

    section = doc.sections[0]
    if house_styles is None:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, max(Cm(profile.margin_cm), getattr(section, side) or 0) if house_styles is not None
                else Cm(profile.margin_cm))
    # The footer's two lines (code, "Page X of Y") sit in the bottom margin with room above
    # them: at 24 pt they are taller than a 2 cm margin, and would touch the last line of text.
    section.footer_distance = Cm(1)
    footer_height = 2 * profile.body_pt * 1.2 + profile.body_pt * 1.5
    section.bottom_margin = max(Cm(profile.margin_cm), Cm(1) + ooxml.points(footer_height))
    if rtl:
        ooxml.set_section_rtl(section)
    section.footer.paragraphs[0]  # noqa: B018 - the footer part exists from here on, filled per leaflet
    return numbering


def _house_colour(reference: Any, name: str) -> str | None:
    """The colour (``RRGGBB``) the house template gives style ``name``, if any."""
    if reference is None or name not in [s.name for s in reference.styles]:
        return None
    from pipeline.house import style_colour

    colour = style_colour(reference.styles[name])
    return colour.lstrip("#") if colour else None


def _set_up_house(doc: Any, profile: DocxProfile, language: str, fonts: ooxml.Fonts, rtl: bool) -> ooxml.Numbering:
    """Standard print in the house style: the template's look, with what the pipeline owns set on it."""
    from pipeline.house import style_size

    tag = language_tag(language)
    normal = doc.styles["Normal"]
    size = style_size(normal) or profile.body_pt
    ooxml.set_document_language(doc, tag, fonts, size, latin=False)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6",
                 "List Paragraph", "Quote", "Footer"):
        style = doc.styles[name]
        ooxml.set_complex_font(style, fonts, style_size(style) or size, rtl=rtl)
        if name.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
    ooxml.no_hyphenation(normal)
    normal.paragraph_format.widow_control = True
    if rtl:
        ooxml.set_paragraph_rtl(normal)
    ooxml.ensure_hyperlink_style(doc, profile.underline_links)
    numbering = ooxml.Numbering(doc, indent_twips=round(size * 30), rtl=rtl)
    section = doc.sections[0]
    if rtl:
        ooxml.set_section_rtl(section)
    section.footer_distance = min(section.footer_distance or Cm(1), Cm(1.25))
    footer_height = 3 * size * 1.2 + size * 1.5
    section.bottom_margin = max(section.bottom_margin or 0, section.footer_distance + ooxml.points(footer_height))
    return numbering


class _Writer:
    def __init__(self, leaflet: Leaflet, profile: DocxProfile) -> None:
        self.leaflet = leaflet
        self.profile = profile
        self.rtl = leaflet.meta.direction == "rtl"
        self.fonts = script_fonts(leaflet.meta.language, profile)
        template = _template(profile, leaflet.meta.language, self.fonts, self.rtl)
        self.package, self.numbering, self.style_ids = template.package, template.numbering, template.style_ids
        self.doc = self.package.document
        self.end = self.package.body[-1]  # the section properties: body paragraphs go before it
        self.paragraphs: list[Any] = []
        # LibreOffice 7.4 breaks an unbreakable left-to-right word mid-word inside a
        # right-to-left line; a break at its hyphen is the lesser harm there.
        self.keep_hyphens = profile.keep_words_whole and not self.rtl
        self.lang: str | None = None  # the language tag of the block being written, when not the leaflet's

    def render(self) -> bytes:
        try:
            return self._render()
        finally:
            self.package.reset()

    def _render(self) -> bytes:
        self._leaflet_set_up()
        meta = self.leaflet.meta
        self._run(self._paragraph("Heading 1"), meta.title)
        if self.profile.cover_label:
            # A first page that says what the document is (UKAAF): title, format, issuer, code.
            label_text = label(self.profile.cover_label, meta.language)
            self._run(self._paragraph(), label_text, bold=True)
            for line in (meta.organisation, meta.department if not meta.organisation else None,
                         label("code", meta.language, code=meta.shown_code)):
                if line:
                    self._plain_paragraph(line)
        ltr: list[Any] = []
        language = language_line(self.leaflet)
        if language:
            self._plain_paragraph(language)
        for notice, locale in notices(self.leaflet):
            para = self._paragraph()
            if locale != meta.language:  # the English copy of a notice, for staff
                ltr.append(para)
                ooxml.add_plain_run(para, notice, bold=True)
            else:
                self._run(para, notice, bold=True)
        first_body = len(self.paragraphs)
        self._blocks(self.leaflet.blocks, list_level=0)
        if self.profile.cover_label and len(self.paragraphs) > first_body:
            ooxml.page_break_before(self.paragraphs[first_body])
        for line in closing_lines(self.leaflet):
            self._plain_paragraph(line)
        if self.rtl:
            for para in self.paragraphs:
                if para in ltr:
                    ooxml.set_paragraph_ltr(para)
                else:
                    ooxml.set_paragraph_rtl(para)
        return self.package.write()

    # --- what differs from leaflet to leaflet outside the body -----------------

    def _leaflet_set_up(self) -> None:
        profile, meta = self.profile, self.leaflet.meta
        self._footer()
        props = self.doc.core_properties
        fields = {
            "title": meta.title, "subject": meta.code, "author": meta.author or meta.organisation or "",
            "keywords": ", ".join(x for x in ("patient information", meta.code, meta.department, profile.name) if x),
            "language": language_tag(meta.language), "category": "Patient information",
            "comments": review_line(self.leaflet) or "",
        }
        for name, value in fields.items():
            # Word's document properties hold 255 characters; the text itself is in the body.
            setattr(props, name, value if len(value) <= 255 else value[:254] + "…")
        # The same source gives the same document: no build-time timestamps inside.
        stamp = dt.datetime.combine(meta.reviewed or dt.date(2000, 1, 1), dt.time())
        props.created = props.modified = stamp
        props.last_modified_by = "leaflet pipeline"
        props.revision = 1

    def _footer(self) -> None:
        meta = self.leaflet.meta
        footer = self.package.footer
        first = footer[0]
        # The code only: the review dates are printed once, at the end of the text (a second copy in the
        # footer made the last page say them twice, and wrapped a large-print footer to three lines).
        self._run(first, meta.shown_code)
        pages = ooxml.append_paragraph(footer)
        template = label("page", meta.language, page="\0", pages="\0")
        before, middle, after = template.split("\0")
        self._run(pages, before)
        ooxml.add_field(pages, "PAGE")
        self._run(pages, middle)
        ooxml.add_field(pages, "NUMPAGES")
        self._run(pages, after)
        house = self.profile.house
        if house is not None and house.footer:
            self._run(ooxml.append_paragraph(footer), house.footer)

    # --- blocks ------------------------------------------------------------

    def _blocks(self, blocks: tuple[Block, ...], list_level: int) -> None:
        for block, following in zip(blocks, (*blocks[1:], None), strict=True):
            self._block(block, list_level)
            if (isinstance(block, Paragraph) and isinstance(following, BulletList | OrderedList | Table)
                    and inline_text(block.content).rstrip().endswith((":", "："))):
                # "Tell us if you take:" stays on the page of the list it leads into.
                ooxml.keep_with_next(self.paragraphs[-1])

    def _block(self, block: Block, list_level: int) -> None:
        if isinstance(block, Heading | Paragraph) and block.lang:
            self.lang = language_tag(block.lang)  # a bilingual leaflet's other language, on its runs
        if isinstance(block, Heading):
            para = self._paragraph(f"Heading {min(max(block.level, 2), 6)}")
            self._inlines(para, block.content)
        elif isinstance(block, Paragraph):
            self._inlines(self._paragraph(), block.content)
        elif isinstance(block, BulletList | OrderedList):
            ordered = isinstance(block, OrderedList)
            new_id = self.numbering.new_list(ordered, block.start if ordered else 1)  # type: ignore[union-attr]
            for item in block.items:
                for index, child in enumerate(item.blocks):
                    if isinstance(child, Paragraph):
                        para = self._paragraph("List Paragraph")
                        if index == 0:
                            ooxml.Numbering.apply(para, new_id, list_level)
                        else:
                            ooxml.no_indent(para)
                        self.lang = language_tag(child.lang) if child.lang else None
                        self._inlines(para, child.content)
                    else:
                        self._block(child, list_level + 1)
        elif isinstance(block, BlockQuote):
            for child in block.blocks:
                if isinstance(child, Paragraph):
                    self.lang = language_tag(child.lang) if child.lang else None
                    self._inlines(self._paragraph("Quote"), child.content)
                else:
                    self._block(child, list_level)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, ThematicBreak):
            # A rule under the paragraph before it, not a paragraph of its own: it then ends a
            # page rather than opening one, and never stands alone.
            # (After a table, whose last border already separates it, there is nothing to add.)
            if self.paragraphs and ooxml.has_text(self.paragraphs[-1]):
                ooxml.paragraph_border_bottom(self.paragraphs[-1])
        elif isinstance(block, Picture):
            self._picture(block)
        self.lang = None

    def _picture(self, picture: Picture) -> None:
        """The picture, as wide as the text in large print (at most its own size at 150 dpi otherwise);
        its alt text in the picture's description, its caption under it."""
        if picture.image and picture.width and picture.height:
            text_width = round((21.0 - 2 * self.profile.margin_cm) * 360_000)
            natural = round(picture.width / 150 * 914_400)
            width = text_width if self.profile.body_pt >= 16 else min(natural, text_width)
            height = round(width * picture.height / picture.width)
            most = round((29.7 - 2 * self.profile.margin_cm) * 360_000 * 0.6)
            if height > most:  # a tall picture leaves room on its page for the words around it
                width, height = round(width * most / height), most
            para = self._paragraph()
            if picture.caption:
                ooxml.keep_with_next(para)
            self.package.add_picture(para, picture.image, width, height, picture.alt)
        else:
            self._plain_paragraph(picture_line(picture, self.leaflet.meta.language))
        if picture.caption:
            self._inlines(self._paragraph(), picture.caption)

    def _table(self, block: Table) -> None:
        widths = None if self.profile.tables_as_blocks else self._column_widths(block)
        if widths is None:
            self._table_as_blocks(block)
            return
        columns = len(widths)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=columns)
        ooxml.set_column_widths(table, [round(w * 20) for w in widths])
        ooxml.set_table_style(table, self.style_ids["Table Grid"])
        if self.rtl:
            ooxml.set_table_rtl(table)
        ooxml.repeat_header_row(table.rows[0])
        for row in table.rows:
            ooxml.keep_row_whole(row)
        for row_index, (cells, row) in enumerate(zip((block.header, *block.rows), ooxml.table_cells(table),
                                                     strict=True)):
            for cell, para in zip(cells, row, strict=False):
                self._inlines(para, cell.content, bold=row_index == 0)
        self._paragraph()

    def _column_widths(self, block: Table) -> list[float] | None:
        """Column widths in points, from the content at this profile's size; ``None`` when the table
        cannot fit the page without breaking a word (it is then printed one block per row).

        Each column is at least as wide as its widest unbreakable piece (a long word, a phone
        number, an address up to a slash); the room left is shared as a browser shares it,
        in proportion to how much more each column's longest cell would like.
        """
        size, rows = self.profile.body_pt, (block.header, *block.rows)
        columns = max(len(row) for row in rows)
        if columns == 0:
            return None
        page = (21.0 - 2 * self.profile.margin_cm) / 2.54 * 72
        padding = 2 * 5.4 + 2  # Word's default cell margins (0.19 cm a side) and the borders
        texts = [[inline_text(row[c].content) for row in rows if c < len(row)] for c in range(columns)]
        least = [max((widths.widest(t, self.keep_hyphens) for t in column), default=0) * size * 1.05 + padding
                 for column in texts]
        most = [max(max((widths.em(t) for t in column), default=0) * size + padding, low)
                for column, low in zip(texts, least, strict=True)]
        if sum(least) > page:
            return None
        if sum(most) <= page:
            return [w * page / sum(most) for w in most]
        spare = (page - sum(least)) / (sum(most) - sum(least))
        return [low + (high - low) * spare for low, high in zip(least, most, strict=True)]

    def _table_as_blocks(self, block: Table) -> None:
        """A table as one block per row, each cell labelled by its column heading ("Risk: ... How often: ..."):
        UKAAF large print avoids columns, where a long word at 18 or 24 pt breaks inside a narrow cell."""
        headings = [inline_text(cell.content).strip() for cell in block.header]
        for row in block.rows:
            cells = [(index, cell) for index, cell in enumerate(row) if inline_text(cell.content).strip()]
            for number, (index, cell) in enumerate(cells):
                para = self._paragraph()
                heading = headings[index] if index < len(headings) else ""
                if heading:
                    self._run(para, f"{heading}: ", bold=True)
                self._inlines(para, cell.content, bold=number == 0 and not heading)
                if number < len(cells) - 1:
                    ooxml.keep_with_next(para)  # a row's lines stay together, and close together
                    ooxml.space_after(para, self.profile.body_pt * 0.25)

    # --- inlines -----------------------------------------------------------

    def _inlines(self, para: Any, inlines: tuple[Inline, ...], bold: bool = False,
                 italic: bool = False) -> None:
        for node in inlines:
            if isinstance(node, Text):
                self._run(para, node.text, bold=bold, italic=italic)
            elif isinstance(node, LineBreak):
                ooxml.add_break(para)
            elif isinstance(node, Strong):
                self._inlines(para, node.children, bold=True, italic=italic)
            elif isinstance(node, Emphasis):
                if self.profile.italics:
                    self._inlines(para, node.children, bold=bold, italic=True)
                else:
                    self._inlines(para, node.children, bold=True, italic=False)
            elif isinstance(node, Link):
                self._link(para, node, bold, italic)

    def _link(self, para: Any, node: Link, bold: bool, italic: bool) -> None:
        text = inline_text(node.children)
        text = bidi.isolate(text, str, lambda span: f"{bidi.LRM}{glued(span)}{bidi.LRM}") if self.rtl else glued(text)
        link = ooxml.add_hyperlink(self.doc, para, node.url)
        ooxml.add_run_to(link, text, {"style": "Hyperlink", "b": bold, "i": italic, "rtl": self.rtl,
                                      "keep_hyphens": self.keep_hyphens})
        address = address_to_write(node)
        if not self.profile.underline_links and address:
            self._run(para, f" ({address})", bold=bold, italic=italic)

    def _run(self, para: Any, text: str, bold: bool = False, italic: bool = False) -> None:
        # A phone number split over two lines is easy to misdial: its spaces do not break.  In
        # right-to-left text, numbers and addresses are also marked to read left to right.
        if self.rtl:
            text = bidi.isolate(text, str, lambda span: f"{bidi.LRM}{glued(span).replace(' ', FIGURE_SPACE)}{bidi.LRM}")
        else:
            text = glued(text)
        ooxml.add_run_to(para, text, {"b": bold, "bCs": bold, "i": italic, "rtl": self.rtl,
                                      "keep_hyphens": self.keep_hyphens, "lang": self.lang})

    def _paragraph(self, style: str | None = None) -> Any:
        """A new body paragraph, in ``style`` if given."""
        para = ooxml.new_paragraph(self.end, self.style_ids[style] if style else None)
        self.paragraphs.append(para)
        return para

    def _plain_paragraph(self, text: str) -> None:
        self._run(self._paragraph(), text)
