"""The leaflet document model: the only contract between the pipeline's stages.

Readers build a :class:`Leaflet`, the translator maps one ``Leaflet`` to another,
and exporters turn a ``Leaflet`` into bytes or text.  Every class is a frozen,
slotted dataclass so a stage can never change what another stage sees.

Inline content is a tuple of :data:`Inline` nodes; block content is a tuple of
:data:`Block` nodes.  Every block records the 1-based line of the source file it
came from, for error messages and for translators' references.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

# --- Inlines -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text."""

    text: str
    """The characters, with Markdown escapes already resolved."""


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong emphasis (``**bold**``): warnings and key instructions."""

    children: tuple[Inline, ...]
    """The emphasised content."""


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Emphasis (``*italic*``); large print renders it as bold."""

    children: tuple[Inline, ...]
    """The emphasised content."""


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink."""

    url: str
    """The target address, e.g. ``http://www.royalberkshire.nhs.uk``."""
    children: tuple[Inline, ...]
    """The visible link text."""


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


Inline: TypeAlias = Text | Strong | Emphasis | Link | LineBreak

# --- Blocks ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading.  Level 1 is reserved for the leaflet title."""

    level: int
    """Outline level, 1 to 6, as written in the source."""
    content: tuple[Inline, ...]
    """The heading text."""
    line: int = 0
    """1-based source line (0 when the block was not read from a file)."""
    lang: str | None = None
    """Its language when not the leaflet's (the other language of a bilingual leaflet), e.g. ``en_GB``."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    content: tuple[Inline, ...]
    """The paragraph's inline content."""
    line: int = 0
    """1-based source line."""
    lang: str | None = None
    """Its language when not the leaflet's (the other language of a bilingual leaflet), e.g. ``en_GB``.
    Such a paragraph is shown and spoken in its own language and not translated."""


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a bullet or ordered list; it holds blocks, so lists nest."""

    blocks: tuple[Block, ...]
    """The item's content: usually one paragraph, possibly a nested list."""
    line: int = 0
    """1-based source line."""


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list."""

    items: tuple[ListItem, ...]
    """The list items, in order."""
    line: int = 0
    """1-based source line."""


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list."""

    items: tuple[ListItem, ...]
    """The list items, in order."""
    start: int = 1
    """The number of the first item."""
    line: int = 0
    """1-based source line."""


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """A quoted block, e.g. a patient's words or a highlighted note."""

    blocks: tuple[Block, ...]
    """The quoted content."""
    line: int = 0
    """1-based source line."""


@dataclass(frozen=True, slots=True)
class TableCell:
    """One cell of a table."""

    content: tuple[Inline, ...]
    """The cell's inline content."""
    line: int = 0
    """1-based source line of the cell's row."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row."""

    header: tuple[TableCell, ...]
    """The header row's cells."""
    rows: tuple[tuple[TableCell, ...], ...]
    """The body rows, each a tuple of cells."""
    line: int = 0
    """1-based source line."""


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    """A horizontal rule between parts of the leaflet."""

    line: int = 0
    """1-based source line."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture, with the words that stand for it for people who cannot see it."""

    alt: str
    """Alt text: what the picture shows ("" when the source gave none: a warning names it)."""
    image: bytes = b""
    """The picture as PNG, decoded and written again by the reader (see :mod:`pipeline.pictures`)."""
    width: int = 0
    """Width in pixels."""
    height: int = 0
    """Height in pixels."""
    caption: tuple[Inline, ...] = ()
    """The caption printed with the picture, where the source has one."""
    line: int = 0
    """1-based source line (a paragraph number in a Word document, a page in a PDF)."""


Block: TypeAlias = (
    Heading | Paragraph | BulletList | OrderedList | BlockQuote | Table | ThematicBreak | Picture
)

# --- Metadata ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """A way to reach the team, as the leaflet gives it."""

    label: str
    """Who answers, e.g. ``Radiology Day Case Unit``."""
    phone: str
    """The number exactly as written, e.g. ``0118 322 8368``."""
    hours: str | None = None
    """Opening hours where given, e.g. ``Monday-Friday 8.30am-5pm``."""


Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True, slots=True)
class Translation:
    """How a translated leaflet was made; ``None`` on a source-language leaflet."""

    locale: str
    """The catalogue's locale, e.g. ``pl`` or ``ur``."""
    checked_by: str | None = None
    """The qualified translator who checked the catalogue, if anyone has."""
    checked_on: dt.date | None = None
    """When that check was made."""
    draft: bool = False
    """Built with ``--draft``: may contain English fall-backs; not for patients."""

    @property
    def checked(self) -> bool:
        """True when a qualified translator has signed the catalogue off."""
        return self.checked_by is not None


@dataclass(frozen=True, slots=True)
class Meta:
    """Facts about a leaflet, detected from its text or set in front matter."""

    title: str
    """The leaflet's title (its level-1 heading), as plain text."""
    code: str
    """The leaflet code, e.g. ``RAD_0067``: names the output folder."""
    organisation: str | None = None
    """The NHS organisation that issues the leaflet."""
    department: str | None = None
    """The department responsible, e.g. ``Radiology Department``."""
    author: str | None = None
    """The author line, e.g. ``Dr A Example, Radiology``."""
    reviewed: dt.date | None = None
    """When the leaflet was last reviewed (first of the month when only a month is given)."""
    next_review: dt.date | None = None
    """When the next review is due."""
    contacts: tuple[Contact, ...] = ()
    """Phone contacts found in the leaflet, in order."""
    website: str | None = None
    """The organisation's web address as linked in the leaflet."""
    language: str = "en_GB"
    """The locale of this model's text (the source language on a source leaflet)."""
    source_language: str = "en_GB"
    """The locale the leaflet was written in."""
    offer_present: bool = False
    """True when the leaflet offers the information in another language or format."""
    direction: Direction = "ltr"
    """Text direction for this model's language."""
    translation: Translation | None = None
    """How the text was translated, or ``None`` for the source leaflet."""
    title_line: int = 0
    """1-based source line of the title (0 when it came from front matter)."""
    code_as_written: str | None = None
    """The code as the leaflet writes it (``PI/RAD/0102``) when ``code`` had to be made safe."""
    provisional_code: bool = False
    """No code was found: ``code`` was made from the file name, and outputs are drafts."""
    provisional_title: bool = False
    """No title line was found: ``title`` was made from the file name, and outputs are drafts."""
    unfinished: tuple[str, ...] = ()
    """Why the source itself is not final (unresolved tracked changes or comments, unfilled
    template placeholders, an uncertain reading order): each a sentence; outputs are drafts."""
    found_in: tuple[tuple[str, str], ...] = ()
    """Where facts not read from the body came from: (``code``, ``footer``), (``reviewed``, ``header``) ..."""

    @property
    def provisional(self) -> bool:
        """True when the code or the title had to be made up, or the source is unfinished: outputs are drafts."""
        return self.provisional_code or self.provisional_title or bool(self.unfinished)

    @property
    def shown_code(self) -> str:
        """The code to print: as the leaflet writes it."""
        return self.code_as_written or self.code


@dataclass(frozen=True, slots=True)
class Leaflet:
    """A whole leaflet: metadata plus body blocks (the title is in ``meta``)."""

    meta: Meta
    """What the leaflet is, who issues it and when it was reviewed."""
    blocks: tuple[Block, ...]
    """The body, in reading order, without the title and the closing colophon."""
    source: str = ""
    """Path of the file the leaflet was read from."""


# --- Helpers -----------------------------------------------------------------


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The visible text of inline content, with markup removed and line breaks as spaces."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(" ")
        else:
            parts.append(inline_text(node.children))
    return "".join(parts)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, including those nested in lists and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, BulletList | OrderedList):
            for item in block.items:
                yield from iter_blocks(item.blocks)
        elif isinstance(block, BlockQuote):
            yield from iter_blocks(block.blocks)


def iter_links(inlines: tuple[Inline, ...]) -> Iterator[Link]:
    """Every link in inline content."""
    for node in inlines:
        if isinstance(node, Link):
            yield node
        if isinstance(node, Strong | Emphasis | Link):
            yield from iter_links(node.children)


def block_text(block: Block) -> str:
    """The visible text of one block and everything inside it, blocks separated by newlines."""
    if isinstance(block, Heading | Paragraph):
        return inline_text(block.content)
    if isinstance(block, BulletList | OrderedList):
        return "\n".join(block_text(b) for item in block.items for b in item.blocks)
    if isinstance(block, BlockQuote):
        return "\n".join(block_text(b) for b in block.blocks)
    if isinstance(block, Table):
        cells = [*block.header, *(c for row in block.rows for c in row)]
        return "\n".join(inline_text(c.content) for c in cells)
    if isinstance(block, Picture):
        return "\n".join(x for x in (block.alt, inline_text(block.caption)) if x)
    return ""


def leaflet_text(leaflet: Leaflet) -> str:
    """All visible text of a leaflet: title, body, then the metadata lines exporters add."""
    meta = leaflet.meta
    parts = [meta.title]
    parts.extend(block_text(b) for b in leaflet.blocks)
    parts.extend(x for x in (meta.code, meta.author) if x)
    return "\n".join(parts)


# --- The gate before the exporters ---------------------------------------------

UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
                            "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]")
"""Control characters (all but tab and line feed), bidirectional overrides and marks, zero-width
and invisible operators, byte-order marks, noncharacters and lone surrogates: nothing a patient
should get, and some (vertical tab, NUL, a lone surrogate) that no DOCX, EPUB or PDF may hold.
Zero-width joiners and non-joiners stay: Urdu, Persian, Bengali and Hindi words need them."""
_SPACES = {"\x85": " ", "\u2028": " ", "\u2029": " "}
_log = logging.getLogger("pipeline")
_recent: list[tuple[Leaflet, Leaflet]] = []


def printable(leaflet: Leaflet) -> Leaflet:
    """``leaflet`` with every :data:`UNPRINTABLE_RE` character removed from every text in it, warned about once.

    The one gate every text passes before an exporter sees it, whatever brought the character
    in: a source, a YAML escape in front matter (``"\\0"``, ``"\\u202e"``), a PO escape in a
    translation (``\\v``, ``\\f``), a file name that became a title.  The readers and the
    translation checks refuse or report these where they can say more (file, line, message);
    this makes sure no route is left.
    """
    for given, done in _recent:
        if given is leaflet:
            return done
    found: set[str] = set()

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            if not UNPRINTABLE_RE.search(value):
                return value
            found.update(UNPRINTABLE_RE.findall(value))
            return UNPRINTABLE_RE.sub(lambda m: _SPACES.get(m.group(0), ""), value)
        if isinstance(value, tuple):
            items = tuple(clean(item) for item in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changed = {}
            for f in dataclasses.fields(value):
                old = getattr(value, f.name)
                new = clean(old)
                if new is not old:
                    changed[f.name] = new
            return dataclasses.replace(value, **changed) if changed else value
        return value

    result: Leaflet = clean(leaflet)
    if found:
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}" for ch in sorted(found))
        _log.warning("%s %s: invisible or control character(s) removed before the files were made: %s",
                     leaflet.meta.code, leaflet.meta.language, names)
    _recent[:] = [*_recent[-7:], (leaflet, result)]
    return result
