"""Plain UTF-8 text: for e-mail, screen readers and pasting into other systems.

Headings are underlined with ``=`` (title) and ``-`` (sections), lists use ``- `` and
``1. ``, link addresses are written out after their text, tables are read row by
row as ``Header: value`` pairs, and the leaflet code, author and review dates close
the document.  Emphasis marks are dropped: a screen reader would read ``*`` aloud; a
paragraph bold throughout (a warning) starts "Important:" in the leaflet's language
instead.  One line a paragraph: mail apps reflow it.
"""

from __future__ import annotations

from pipeline import bidi
from pipeline.exporters.common import address_to_write, closing_lines, language_line, notices, picture_line
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

WIDTH = 72
"""The width of the rule before the closing lines (nothing is wrapped to it)."""


def export_text(leaflet: Leaflet) -> str:
    """Render ``leaflet`` as plain text."""
    title = leaflet.meta.title
    out: list[str] = [title, "=" * len(title), ""]
    language = language_line(leaflet)
    if language:
        out.extend([language, ""])
    for notice, _ in notices(leaflet):
        out.extend([_wrap(f"*** {notice} ***", ""), ""])
    for block in leaflet.blocks:
        out.extend(_block(block, "", leaflet.meta.language))
    out.extend(["-" * WIDTH, ""])
    for line in closing_lines(leaflet):
        out.append(_wrap(line, ""))
    text = "\n".join(out).rstrip("\n") + "\n"
    if leaflet.meta.direction == "rtl":  # numbers and addresses read left to right (pipeline.bidi)
        text = "\n".join(bidi.marked(line) for line in text.split("\n"))
    return text


def _all_bold(inlines: tuple[Inline, ...]) -> bool:
    """The paragraph is bold throughout (a warning), line breaks and spaces aside."""
    shown = [node for node in inlines if not (isinstance(node, Text) and not node.text.strip())
             and not isinstance(node, LineBreak)]
    return bool(shown) and all(isinstance(node, Strong) for node in shown)


def _block(block: Block, indent: str, locale: str = "en_GB") -> list[str]:
    if isinstance(block, Heading):
        text = inline_text(block.content).strip()
        rule = "-" if block.level <= 2 else "~"
        return [text, rule * len(text), ""]
    if isinstance(block, Paragraph):
        text = _inlines(block.content)
        if _all_bold(block.content):
            # A warning is bold in every other format; plain text has no bold (and a mail app or screen reader
            # shows asterisks as stars), so it is said in words, on a line of its own, as GOV.UK Notify does.
            text = label("important", locale, text=text.strip())
        return [*_wrap(text, indent).split("\n"), ""]
    if isinstance(block, BulletList | OrderedList):
        lines: list[str] = []
        for n, item in enumerate(block.items):
            marker = f"{block.start + n}. " if isinstance(block, OrderedList) else "- "
            inner: list[str] = []
            for child in item.blocks:
                inner.extend(line for line in _block(child, indent + " " * len(marker), locale) if line)
            if inner:
                first = inner[0][len(indent) + len(marker):]
                lines.append(indent + marker + first)
                lines.extend(inner[1:])
        return [*lines, ""]
    if isinstance(block, BlockQuote):
        lines = []
        for child in block.blocks:
            lines.extend(_block(child, indent + "    ", locale))
        return lines
    if isinstance(block, Table):
        headers = [_inlines(c.content) for c in block.header]
        used = [any(len(row) > i and _inlines(row[i].content).strip() for row in block.rows)
                for i in range(len(headers))]
        lines = []
        for row in block.rows:
            # An empty cell is not read out ("Evening: "), unless its column is empty in every row.
            pairs = [f"{h}: {_inlines(c.content)}" if h else _inlines(c.content)
                     for h, c, filled in zip(headers, row, used, strict=False)
                     if _inlines(c.content).strip() or not filled]
            lines.append(_wrap("; ".join(pairs), indent))
        return [*lines, ""]
    if isinstance(block, ThematicBreak):
        return []
    if isinstance(block, Picture):
        lines = [_wrap(f"[{picture_line(block, locale)}]", indent)]
        if block.caption:
            lines.append(_wrap(_inlines(block.caption), indent))
        return [*lines, ""]
    raise TypeError(f"unknown block {block!r}")


def _inlines(inlines: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Strong | Emphasis):
            parts.append(_inlines(node.children))
        elif isinstance(node, Link):
            address = address_to_write(node)
            parts.append(_inlines(node.children) + (f" ({address})" if address else ""))
    return "".join(parts)


def _wrap(text: str, indent: str) -> str:
    """One line a paragraph: a mail app reflows it to the screen, where a hard wrap at a fixed width gave
    ragged lines on a phone, and a phone number or address is never split across lines."""
    return "\n".join(indent + part for part in text.split("\n"))
