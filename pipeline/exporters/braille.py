"""Braille ready file (``.brf``) for embossers and braille displays, made with liblouis.

English is Unified English Braille grade 2; other languages use liblouis's own literary
table for the language (contracted where liblouis has one), and a language liblouis has
no table for is not made (:func:`unavailable` says so).  Words in another script than the
table knows, such as a web address in an Urdu leaflet, are written in uncontracted UEB.

The page is laid out here, following the Braille Authority of the UK's layout
conventions as far as a text file can:

* 40 cells a line, 25 lines a page, a form feed after every page, lines end CR LF;
* the braille page number at the right of the last line of every page (with at least
  three blank cells before it when text shares that line);
* the title centred on the first page, then the notices (draft, not checked by a
  qualified translator) in the leaflet's language and in English;
* section headings after a blank line: main headings centred, smaller ones from cell 5,
  never left as the last line of a page;
* paragraphs from cell 3, running on from cell 1; list items from cell 1 (deeper
  levels two cells in) with a hanging indent of two cells; bold warnings with UEB's
  bold indicators;
* no word split across lines; phone numbers, web and e-mail addresses kept on one line
  where they fit;
* the contacts, leaflet code and review dates at the end.

Cells are written in North American Braille ASCII, the character set BRF files use.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pipeline import bidi, liblouis
from pipeline.exporters import FormatUnavailable
from pipeline.exporters.common import address_to_write, closing_lines, language_line, notices, picture_line
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

WIDTH = 40
"""Cells a line."""
LINES = 25
"""Lines a page, the last one carrying the page number."""

BLANK = "\u2800"
_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""North American Braille ASCII: the character for each 6-dot cell, indexed by its dots as bits."""
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def unavailable(locale: str) -> str | None:
    """Why braille cannot be made in ``locale`` here (no liblouis, or no table for the language)."""
    missing = liblouis.missing()
    if missing:
        return missing
    if liblouis.table_for(locale) is None:
        from pipeline.i18n.catalogues import english_language_name

        return f"liblouis has no {english_language_name(locale)} braille table"
    return None


def export_braille(leaflet: Leaflet) -> bytes:
    """Render ``leaflet`` as a braille ready file (see the module docstring for the layout)."""
    meta = leaflet.meta
    why = unavailable(meta.language)
    if why:
        raise FormatUnavailable(why)
    table = liblouis.table_for(meta.language)
    assert table is not None
    where = f"{leaflet.source or meta.code} ({meta.language})"
    layout = _Layout(table, where, leaflet.meta.language)
    for line in _title_lines(layout.braille(_Run.plain(meta.title)).cells):
        layout.add(_Line(line))
    layout.blank()
    for notice, locale in notices(leaflet):
        layout.paragraph(_Run.plain(notice), 0, 2, table=liblouis.table_for(locale) or table)
    language = language_line(leaflet)
    if language:
        layout.paragraph(_Run.plain(language), 0, 2)
    for block in leaflet.blocks:
        layout.block(block, 0)
    layout.blank()
    for line in closing_lines(leaflet):
        layout.paragraph(_Run.plain(line), 0, 2)
    return layout.brf()


@dataclass(frozen=True, slots=True)
class _Run:
    """Text to translate, with each character's emphasis for liblouis."""

    text: str
    typeform: tuple[int, ...]

    @staticmethod
    def plain(text: str, typeform: int = 0) -> _Run:
        text = unicodedata.normalize("NFC", text.translate(_BIDI_CONTROLS))
        return _Run(text, (typeform,) * len(text))

    def __add__(self, other: _Run) -> _Run:
        return _Run(self.text + other.text, self.typeform + other.typeform)


def _runs(nodes: tuple[Inline, ...], typeform: int = 0) -> list[_Run]:
    """Inline content as lines of text (a hard line break starts a new line)."""
    lines = [_Run("", ())]
    for node in nodes:
        if isinstance(node, Text):
            lines[-1] += _Run.plain(node.text, typeform)
        elif isinstance(node, LineBreak):
            lines.append(_Run("", ()))
        elif isinstance(node, Strong | Emphasis):
            inner = _runs(node.children, typeform | (liblouis.BOLD if isinstance(node, Strong) else liblouis.ITALIC))
            lines[-1] += inner[0]
            lines.extend(inner[1:])
        elif isinstance(node, Link):
            inner = _runs(node.children, typeform)
            lines[-1] += inner[0]
            lines.extend(inner[1:])
            address = address_to_write(node)
            if address:
                lines[-1] += _Run.plain(f" ({address})", typeform)
    return lines


def _title_lines(cells: str) -> list[str]:
    return [line.center(WIDTH, BLANK) for line in _wrap(cells, [c == BLANK for c in cells], WIDTH - 4, WIDTH - 4)]


@dataclass(frozen=True, slots=True)
class _Line:
    cells: str
    keep_with_next: bool = False


class _Layout:
    """Lines of cells, then pages."""

    def __init__(self, table: str, where: str, locale: str = "en_GB") -> None:
        self.table = table
        self.where = where
        self.locale = locale
        self.lines: list[_Line | None] = []  # None: a blank line

    def braille(self, run: _Run, table: str | None = None) -> liblouis.Braille:
        return liblouis.translate(run.text, table or self.table, list(run.typeform), where=self.where)

    def add(self, line: _Line) -> None:
        self.lines.append(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1] is not None:
            self.lines.append(None)

    def paragraph(self, run: _Run, first: int, rest: int, *, table: str | None = None,
                  heading: bool = False, centre: bool = False) -> None:
        """Lay out ``run`` starting in cell ``first + 1`` and running on from cell ``rest + 1``."""
        text = run.text.strip()
        if not text:
            return
        lead = len(run.text) - len(run.text.lstrip())
        run = _Run(text, run.typeform[lead:lead + len(text)])
        braille = self.braille(run, table)
        breakable = _breakable(braille, run.text)
        width = WIDTH - 4 if centre else WIDTH
        for n, line in enumerate(_wrap(braille.cells, breakable, width - first, width - rest)):
            cells = line.center(WIDTH, BLANK) if centre else BLANK * (first if n == 0 else rest) + line
            self.add(_Line(cells, keep_with_next=heading))

    def block(self, block: Block, depth: int) -> None:
        if isinstance(block, Heading):
            self.blank()
            text = _Run.plain(inline_text(block.content))
            if block.level <= 2:
                self.paragraph(text, 0, 0, heading=True, centre=True)
            else:
                self.paragraph(text, 4, 4, heading=True)
        elif isinstance(block, Paragraph):
            for n, run in enumerate(_runs(block.content)):
                indent = depth * 2
                self.paragraph(run, indent + 2 if n == 0 else indent, indent)
        elif isinstance(block, BulletList | OrderedList):
            for n, item in enumerate(block.items):
                marker = f"{block.start + n}. " if isinstance(block, OrderedList) else "\u2022 "
                self._item(marker, item.blocks, depth)
        elif isinstance(block, BlockQuote):
            for child in block.blocks:
                self.block(child, depth + 1)
        elif isinstance(block, Table):
            headers = [inline_text(c.content) for c in block.header]
            used = [any(len(row) > i and inline_text(row[i].content).strip() for row in block.rows)
                    for i in range(len(headers))]
            for row in block.rows:
                pairs = [f"{h}: {inline_text(c.content)}" if h else inline_text(c.content)
                         for h, c, filled in zip(headers, row, used, strict=False)
                         if inline_text(c.content).strip() or not filled]
                self.paragraph(_Run.plain("; ".join(pairs)), depth * 2, depth * 2 + 2)
        elif isinstance(block, ThematicBreak):
            self.blank()
        elif isinstance(block, Picture):
            self.paragraph(_Run.plain(picture_line(block, self.locale)), depth * 2 + 2, depth * 2)
            if block.caption:
                self.paragraph(_Run.plain(inline_text(block.caption)), depth * 2 + 2, depth * 2)

    def _item(self, marker: str, blocks: tuple[Block, ...], depth: int) -> None:
        indent = depth * 2
        first = True
        for child in blocks:
            if isinstance(child, Paragraph):
                for run in _runs(child.content):
                    if first:
                        run = _Run.plain(marker) + run
                    self.paragraph(run, indent, indent + 2)
                    first = False
            elif isinstance(child, BulletList | OrderedList):
                self.block(child, depth + 1)
            else:
                if first:
                    self.paragraph(_Run.plain(marker.strip()), indent, indent + 2)
                    first = False
                self.block(child, depth + 1)

    def pages(self) -> list[list[str]]:
        """The lines, cut into pages with their numbers."""
        pages: list[list[str]] = []
        lines = list(self.lines)
        while lines and lines[-1] is None:
            lines.pop()
        pos = 0
        while pos < len(lines):
            number = self.braille(_Run.plain(str(len(pages) + 1))).cells
            last_room = WIDTH - 3 - len(number)
            page: list[str] = []
            while pos < len(lines) and len(page) < LINES:
                line = lines[pos]
                if line is None and not page:  # no blank line at the top of a page
                    pos += 1
                    continue
                cells = "" if line is None else line.cells
                if len(page) == LINES - 1 and len(cells.rstrip(BLANK)) > last_room:
                    break
                if (page and line is not None and line.keep_with_next
                        and not self._fits_with_next(lines, pos, len(page))):
                    break
                page.append(cells)
                pos += 1
            page += [""] * (LINES - len(page))
            page[-1] = page[-1].rstrip(BLANK).ljust(WIDTH - len(number), BLANK) + number
            pages.append(page)
        return pages

    @staticmethod
    def _fits_with_next(lines: list[_Line | None], pos: int, used: int) -> bool:
        """A heading (all its lines) and the first line after it fit on this page."""
        end = pos
        while end < len(lines) and (line := lines[end]) is not None and line.keep_with_next:
            end += 1
        return used + (end - pos) + 1 <= LINES - 1

    def brf(self) -> bytes:
        out = []
        for page in self.pages():
            out.append("".join(to_ascii(line.rstrip(BLANK)) + "\r\n" for line in page) + "\f")
        return "".join(out).encode("ascii")


def _breakable(braille: liblouis.Braille, text: str) -> list[bool]:
    """For each cell: may a line end here (a blank outside a phone number or address)?"""
    kept = [False] * len(text)
    for start, end in bidi.ltr_spans(text):  # phone numbers, addresses, runs of numbers: kept whole
        for i in range(start, end):
            kept[i] = True
    return [c == BLANK and not kept[min(src, len(text) - 1)] for c, src in zip(braille.cells, braille.source,
                                                                                 strict=True)]


def _wrap(cells: str, breakable: list[bool], first: int, rest: int) -> list[str]:
    """Cut ``cells`` into lines of at most ``first`` then ``rest`` cells, at breakable blanks.

    A protected group (phone number, address) too long for a line breaks at its own blanks;
    a single word longer than a line is cut at the width, as nothing else can be done.
    """
    words: list[tuple[str, list[int]]] = []  # (cells, positions of protected blanks inside)
    start = 0
    for i, can in enumerate([*breakable, True]):
        if i == len(cells) or can:
            if i > start:
                word = cells[start:i]
                words.append((word, [j - start for j in range(start, i) if cells[j] == BLANK]))
            start = i + 1
    lines: list[str] = []
    current = ""
    for word, inner in words:
        room = first if not lines else rest
        if not current and len(word) <= room:
            current = word
        elif current and len(current) + 1 + len(word) <= room:
            current += BLANK + word
        else:
            if current:
                lines.append(current)
                current = ""
                room = rest
            while len(word) > room:
                cut = max((j for j in inner if 0 < j <= room), default=room)
                lines.append(word[:cut])
                skip = cut + (1 if cut < len(word) and word[cut] == BLANK else 0)
                word = word[skip:]
                inner = [j - skip for j in inner if j >= skip]
                room = rest
            current = word
    if current:
        lines.append(current)
    return lines


def to_ascii(cells: str) -> str:
    """Unicode braille cells (6-dot) as Braille ASCII."""
    return "".join(_ASCII[ord(c) - 0x2800] if 0x2800 <= ord(c) < 0x2840 else "?" for c in cells)


def from_ascii(line: str) -> str:
    """Braille ASCII as Unicode braille cells (for reading a BRF back)."""
    return "".join(chr(0x2800 + _ASCII.index(c)) if c in _ASCII else c for c in line.upper())
