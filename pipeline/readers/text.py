"""Plain-text reader, for leaflets pasted from a web page or a Word document.

Rules:

* the first non-empty line is the title;
* blank lines separate paragraphs; the lines of a paragraph are joined with spaces;
* a line starting (after any indentation) with ``•``, ``-``, ``–``, ``*`` or ``▪`` is a
  bullet-list item, one starting with ``1.`` or ``1)`` an ordered-list item;
  neighbouring items form one list;
* a line that is wholly a contact (``Ward, Tel 0118 496 0612.``), a leaflet code or a
  review-date line is a paragraph of its own, as such lines usually are in the original;
* the first line of a paragraph is a section heading (level 2) when it is at most
  12 words and 60 characters, does not end in ``.``, ``,``, ``;`` or ``:``, is not a
  list item or contact line, and more text follows it (on the next line or after a
  blank line).  Question headings ("What is a biopsy?") therefore count, while
  "For the first 6 weeks:" introduces a list instead.

Front matter and metadata detection work as for Markdown.
"""

from __future__ import annotations

import re

from pipeline.model import (
    Block,
    BulletList,
    Heading,
    Leaflet,
    ListItem,
    OrderedList,
    Paragraph,
    Text,
)
from pipeline.readers.metadata import detect, split_front_matter, standalone_line

_BULLET_RE = re.compile(r"\s*[•\-–*▪]\s+(.*)")
_ORDERED_RE = re.compile(r"\s*(\d{1,3})[.)]\s+(.*)")


def read_text(text: str, path: str) -> Leaflet:
    """Read a plain-text leaflet into a :class:`~pipeline.model.Leaflet`."""
    front, body = split_front_matter(text, path)
    lines = body.split("\n")
    title: str | None = None
    title_line = 0
    chunks: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if title is None:
            if line.strip():
                title, title_line = line.strip(), number
            continue
        if line.strip():
            chunks[-1].append((number, line))
        elif chunks[-1]:
            chunks.append([])
    chunks = [c for c in chunks if c]

    blocks: list[Block] = []
    for index, chunk in enumerate(chunks):
        more_follows = index + 1 < len(chunks)
        blocks.extend(_chunk_blocks(chunk, more_follows))
    return detect(tuple(blocks), front, path, title=title, title_line=title_line)


def _is_heading(line: str) -> bool:
    text = line.strip()
    return (
        len(text.split()) <= 12
        and len(text) <= 60
        and not text.endswith((".", ",", ";", ":"))
        and not _BULLET_RE.match(line)
        and not _ORDERED_RE.match(line)
        and not standalone_line(text)
    )


def _chunk_blocks(chunk: list[tuple[int, str]], more_follows: bool) -> list[Block]:
    number, first = chunk[0]
    if (len(chunk) > 1 or more_follows) and _is_heading(first):
        heading: list[Block] = [Heading(2, (Text(first.strip()),), number)]
        return heading + (_body_blocks(chunk[1:]) if len(chunk) > 1 else [])
    return _body_blocks(chunk)


def _body_blocks(chunk: list[tuple[int, str]]) -> list[Block]:
    out: list[Block] = []
    para: list[tuple[int, str]] = []
    items: list[ListItem] = []
    ordered: bool | None = None
    start = 1

    def flush_para() -> None:
        if para:
            out.append(Paragraph((Text(" ".join(t.strip() for _, t in para)),), para[0][0]))
            para.clear()

    def flush_list() -> None:
        nonlocal ordered
        if items:
            line = items[0].line
            out.append(OrderedList(tuple(items), start, line) if ordered
                       else BulletList(tuple(items), line))
            items.clear()
        ordered = None

    for number, line in chunk:
        bullet = _BULLET_RE.fullmatch(line)
        numbered = _ORDERED_RE.fullmatch(line)
        if bullet or numbered:
            flush_para()
            is_ordered = numbered is not None
            if ordered is not None and ordered != is_ordered:
                flush_list()
            if ordered is None and numbered is not None:
                start = int(numbered.group(1))
            ordered = is_ordered
            text = numbered.group(2) if numbered else bullet.group(1)  # type: ignore[union-attr]
            items.append(ListItem((Paragraph((Text(text.strip()),), number),), number))
        elif items and line.startswith((" ", "\t")):
            # An indented continuation line belongs to the list item above it.
            last = items[-1]
            para_block = last.blocks[0]
            assert isinstance(para_block, Paragraph)
            joined = para_block.content[0].text + " " + line.strip()  # type: ignore[union-attr]
            items[-1] = ListItem((Paragraph((Text(joined),), para_block.line),), last.line)
        elif standalone_line(line.strip()):
            flush_list()
            flush_para()
            out.append(Paragraph((Text(line.strip()),), number))
        else:
            flush_list()
            para.append((number, line))
    flush_para()
    flush_list()
    return out
