"""Structure from layout: the one place that turns laid-out paragraphs into the model's blocks.

Readers of laid-out documents (Word now, PDF next) do not guess structure themselves:
they describe what a reader of the page sees, paragraph by paragraph, as :class:`Para`
and :class:`Grid` items (the text with its bold and links, the heading level its style
declares, its size, whether it is a list item and at what depth, whether it sits in a box),
and :func:`blocks_from_layout` decides:

* **title**: the paragraph the source marks as the title (Word's Title style, a title
  content control); else a top-level heading at the start; else the largest short line
  near the top that reads as a title.  Never invented: with none, the reader's caller
  falls back to the file name and the outputs are drafts.
* **headings**: declared ones (by outline level or style), and formatted ones: a short
  paragraph wholly bold or larger than the body, that reads as a heading (not a bold
  warning such as "Call 999 if ..."), does not end in a full stop and is followed by
  text.  Levels are ranked: declared levels in order, formatted ones by size.  One odd
  paragraph never switches detection off for the rest.
* **lists**: consecutive list items, nested by their depth, numbered or bulleted.
* **boxes**: consecutive items in the same box (a text box, a bordered or shaded
  paragraph run, a one-cell table) become one notice (:class:`~pipeline.model.BlockQuote`).
* **tables**: rows and columns kept; the first row is the header.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Heading,
    Inline,
    ListItem,
    OrderedList,
    Paragraph,
    Picture,
    Strong,
    Table,
    TableCell,
    Text,
    inline_text,
)
from pipeline.phones import has_phone
from pipeline.readers.cues import heading_like, title_like

log = logging.getLogger("pipeline")

_PAGE_AT_END_RE = re.compile(r"(?:^|(?<!\s)\s+(?:[|•–—-]\s*)?)page(?:\s+\d{1,3})?(?:\s*(?:of|/)(?:\s*\d{1,3})?)?\s*$",
                             re.I)
"""A page number at the end of a running footer line: ``Ref: URO_0456 Page 1 of 2``, or what is left of one
when its fields are not read (``Page of``)."""


def without_page_number(text: str) -> str:
    """A running header or footer line without its page number (``Page 2 of 8``, ``- 3 -``, ``Page of``)."""
    from pipeline.readers.paste import without_page_mark

    return _PAGE_AT_END_RE.sub("", without_page_mark(text)).strip()

TITLE = 0
"""``Para.level`` of the paragraph the source marks as the title."""


@dataclass
class Para:
    """One paragraph as laid out."""

    content: tuple[Inline, ...]
    """Its text, with bold, italics and links."""
    line: int
    """Where it is in the source (a paragraph number for Word, a line for PDF)."""
    level: int | None = None
    """Heading level the source declares: :data:`TITLE`, or 1 for a top-level section, 2 below it ..."""
    size: float | None = None
    """Font size in points of most of its characters."""
    bold: bool = False
    """Every visible character is bold."""
    list_depth: int | None = None
    """0-based nesting depth when it is a list item, else ``None``."""
    ordered: bool = False
    """A numbered list item."""
    start: int | None = None
    """The number the source shows on a numbered item (first of a list: the list's start)."""
    box: int | None = None
    """Items with the same box number stand in one box (text box, shaded or bordered run)."""
    can_head: bool = True
    """False where a heading is impossible (a table cell, a notice's only line)."""
    lang: str | None = None
    """Its language when not the leaflet's (a bilingual document's other language)."""


@dataclass
class Grid:
    """A table as laid out: rows of cells, each cell's paragraphs joined."""

    rows: list[list[tuple[Inline, ...]]]
    """The cells row by row; merged cells already expanded, so every row is complete."""
    line: int
    """Where the table starts in the source."""
    box: int | None = None
    """Box number, as for :class:`Para`."""


@dataclass
class Figure:
    """A picture where it stands (its alt text, image and caption already read)."""

    picture: Picture
    """The model's picture."""
    line: int
    """Where it is in the source."""
    box: int | None = None
    """Box number, as for :class:`Para`."""


Item = Para | Grid | Figure


@dataclass
class _Ranks:
    declared: list[int] = field(default_factory=list)
    formatted: list[tuple[float, bool]] = field(default_factory=list)

    def level(self, para: Para, body_size: float) -> int:
        """The model's heading level (2 = a section under the title)."""
        if para.level is not None:
            return min(6, 2 + sorted(set(self.declared)).index(para.level))
        below = len(set(self.declared))
        key = (para.size or body_size, para.bold)
        order = sorted(set(self.formatted), reverse=True)
        return min(6, 2 + below + order.index(key))


def blocks_from_layout(items: list[Item]) -> tuple[Block, ...]:
    """The model's blocks for laid-out ``items``; the title, if found, is the one level-1 heading."""
    paras = [i for i in items if isinstance(i, Para)]
    body_size = _body_size(paras)
    title_at = _title_index(items, body_size)
    # Above the title stand logo text and kickers ("Patient information"), never headings.
    headings = {i for i, item in enumerate(items)
                if (title_at is None or i > title_at) and _is_heading(items, i, body_size)}
    ranks = _Ranks()
    for i in sorted(headings):
        para = items[i]
        assert isinstance(para, Para)
        if para.level is not None:
            ranks.declared.append(para.level)
        else:
            ranks.formatted.append((para.size or body_size, para.bold))
    out: list[Block] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.box is not None:
            j = i
            while j < len(items) and items[j].box == item.box:
                j += 1
            inner = [_unboxed(x) for x in items[i:j]]
            out.append(BlockQuote(blocks_from_layout(inner) if len(inner) > 1 else _plain(inner), line=item.line))
            i = j
            continue
        if isinstance(item, Grid):
            out.extend(_table(item))
        elif isinstance(item, Figure):
            out.append(item.picture)
        elif i == title_at:
            out.append(Heading(1, _unbold(item.content), item.line))
        elif i in headings:
            out.append(Heading(ranks.level(item, body_size), _unbold(item.content), item.line, item.lang))
        elif item.list_depth is not None:
            j = i
            while j < len(items) and isinstance(items[j], Para) and items[j].box is None \
                    and items[j].list_depth is not None and j not in headings:  # type: ignore[union-attr]
                j += 1
            out.extend(_lists([x for x in items[i:j] if isinstance(x, Para)]))
            i = j
            continue
        else:
            out.append(Paragraph(item.content, item.line, item.lang))
        i += 1
    return tuple(out)


def _unboxed(item: Item) -> Item:
    if isinstance(item, Para):
        return Para(item.content, item.line, None if item.level == TITLE else item.level, item.size, item.bold,
                    item.list_depth, item.ordered, item.start, None, item.can_head, item.lang)
    if isinstance(item, Figure):
        return Figure(item.picture, item.line, None)
    return Grid(item.rows, item.line, None)


def _plain(items: list[Item]) -> tuple[Block, ...]:
    """A box's single item: a paragraph or table, never a heading (a one-line notice is a warning)."""
    item = items[0]
    if isinstance(item, Grid):
        return tuple(_table(item))
    if isinstance(item, Figure):
        return (item.picture,)
    if item.list_depth is not None:
        return tuple(_lists([item]))
    return (Paragraph(item.content, item.line, item.lang),)


def _body_size(paras: list[Para]) -> float:
    weights: Counter[float] = Counter()
    for para in paras:
        if para.size is not None and para.level is None:
            weights[para.size] += len(inline_text(para.content))
    return weights.most_common(1)[0][0] if weights else 0.0


def _text(item: Item) -> str:
    return inline_text(item.content).strip() if isinstance(item, Para) else ""


def _title_index(items: list[Item], body_size: float) -> int | None:
    """Where the title is: declared, else a top-level heading first, else the largest title-like line near the top."""
    for i, item in enumerate(items):
        if isinstance(item, Para) and item.level == TITLE and item.box is None and _text(item):
            return i
    top = [(i, x) for i, x in enumerate(items[:12]) if isinstance(x, Para) and x.box is None and _text(x)]
    declared = [x.level for x in items if isinstance(x, Para) and x.level is not None]
    if top and top[0][1].level is not None and top[0][1].level == min(declared) and title_like(_text(top[0][1])):
        others = [x for x in items if isinstance(x, Para) and x.level == top[0][1].level]
        if len(others) == 1 or top[0][0] <= 3:
            return top[0][0]
    sized = [(x.size or 0.0, -i, i) for i, x in top[:8] if x.list_depth is None and title_like(_text(x))]
    if sized:
        size, _, index = max(sized)
        if size > body_size + 1:
            return index
    return None


def _is_heading(items: list[Item], i: int, body_size: float) -> bool:
    item = items[i]
    if not isinstance(item, Para) or not item.can_head or not _text(item):
        return False
    text = _text(item)
    if item.level is not None:
        return True
    if item.list_depth is not None or len(text.split()) > 12 or text.endswith((".", ",", ";", ":")):
        return False
    bigger = item.size is not None and body_size > 0 and item.size >= body_size + 1
    # Followed by something: a bold line at the very end is a closing warning, not a heading.
    return (item.bold or bigger) and heading_like(text, max_words=12) and i + 1 < len(items)


def _unbold(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A heading's text without the bold that made it one."""
    if len(content) == 1 and isinstance(content[0], Strong):
        return content[0].children
    return content


def _table(grid: Grid) -> list[Block]:
    rows = [row for row in grid.rows if any(inline_text(c).strip() for c in row)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    if width == 1 or len(rows) == 1:  # a layout table: its cells are paragraphs
        return [Paragraph(cell, grid.line) for row in rows for cell in row if inline_text(cell).strip()]
    if all(sum(has_phone(inline_text(c)) for c in row) == 1 for row in rows):
        return [Paragraph(_contact_row(row), grid.line) for row in rows]
    cells = [tuple(TableCell(c, grid.line) for c in row + [(Text(""),)] * (width - len(row))) for row in rows]
    return [Table(cells[0], tuple(cells[1:]), grid.line)]


def _contact_row(row: list[tuple[Inline, ...]]) -> tuple[Inline, ...]:
    """A contacts table's row as one line: ``Endoscopy Unit: 0113 496 0790 (Monday to Friday, 8am to 6pm)``."""
    cells = [c for c in row if inline_text(c).strip()]
    phone = next(i for i, c in enumerate(cells) if has_phone(inline_text(c)))
    out: list[Inline] = []
    for i, cell in enumerate(cells[:phone]):
        out.extend([Text(", ")] * bool(i) + list(cell))
    out.extend([Text(": ")] * bool(out) + list(cells[phone]))
    rest = cells[phone + 1:]
    if rest:
        out.append(Text(" ("))
        for i, cell in enumerate(rest):
            out.extend([Text(", ")] * bool(i) + list(cell))
        out.append(Text(")"))
    return tuple(out)


def _lists(items: list[Para]) -> list[Block]:
    """Nested lists from consecutive list items; a change of kind at the same depth starts a new list."""
    out: list[Block] = []
    i = 0
    while i < len(items):
        first = items[i]
        depth = first.list_depth or 0
        group: list[ListItem] = []
        while i < len(items) and (items[i].list_depth or 0) >= depth:
            item = items[i]
            if (item.list_depth or 0) == depth:
                if item.ordered != first.ordered and group:
                    break
                group.append(ListItem((Paragraph(item.content, item.line, item.lang),), item.line))
                i += 1
                continue
            j = i
            while j < len(items) and (items[j].list_depth or 0) > depth:
                j += 1
            nested = _lists(items[i:j])
            if group:
                last = group[-1]
                group[-1] = ListItem(last.blocks + tuple(nested), last.line)
            else:
                out.extend(nested)
            i = j
        if group:
            out.append(OrderedList(tuple(group), first.start or 1, first.line) if first.ordered
                       else BulletList(tuple(group), first.line))
    return out


def margin_facts(lines: list[tuple[str, str]], path: str) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Facts from running header and footer lines: code, dates, organisation, department, the offer.

    Returns the facts (for :func:`pipeline.readers.metadata.detect`'s ``margins``) and where
    each was found; the lines' other text is not part of the leaflet and is named in one warning.
    """
    from pipeline.readers.metadata import OFFER_RE, facts, organisation_in
    from pipeline.readers.paste import department_line, kicker, page_number

    found: dict[str, object] = {}
    where: list[tuple[str, str]] = []
    dropped: list[str] = []

    def keep(key: str, value: object, place: str) -> None:
        if key not in found:
            found[key] = value
            where.append((key, place))

    for place, raw in dict.fromkeys(lines):  # a running line repeated on every page, read once
        text = without_page_number(raw)
        if not text or page_number(text):
            continue
        pieces = [p for p in re.split(r"\s*[|•·]\s*|\t+|\s{3,}", text) if p.strip()]
        for piece in pieces or [text]:
            if page_number(piece) or not without_page_number(piece):
                continue
            read = facts(piece, path, 0)
            if read:
                for key, value in read.items():
                    keep(key, value, place)
            elif org := organisation_in(piece):
                keep("organisation", org, place)
            elif OFFER_RE.search(piece):
                keep("offer_present", True, place)
            elif department_line(piece):
                keep("department", piece.strip().rstrip("."), place)
            elif not kicker(piece) and piece not in dropped:
                dropped.append(piece)
    if dropped:
        shown = "; ".join(repr(d) for d in dropped[:3]) + (f" and {len(dropped) - 3} more" if len(dropped) > 3 else "")
        log.warning("%s: header/footer text not part of the leaflet, left out: %s", path, shown)
    return found, where
