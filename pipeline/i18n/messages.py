"""Model <-> translation messages: one message per block, inline markup kept in the message.

A message is the Markdown of one block's inline content (``**bold**``, ``*emphasis*``,
``[text]({link1})``), with the facts a translator must never retype replaced by
placeholders: phone numbers (``{phone1}``), link targets (``{link1}``), web and e-mail
addresses written in the text (``{url1}``, ``{email1}``).  At build time each
placeholder is filled from the *current* source, so a changed phone number reaches
every language without a translator, and a translation cannot change one.
Messages carry the python-brace-format flag, so GNU ``msgfmt -c`` checks the
placeholders too; a literal brace is doubled.

:func:`walk` visits every translatable unit in reading order; extraction and
translation both use it, so they can never disagree about what a unit is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import unquote

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
from pipeline.patterns import ADDRESS_RE
from pipeline.phones import find_phones

PLACEHOLDER_RE = re.compile(r"(?<!\{)\{(phone|link|url|email)(\d+)\}(?!\})")
_ESCAPE_RE = re.compile(r"([\\*_\[\]`<])")


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable block as the translator sees it."""

    msgid: str
    """The Markdown message, with placeholders."""
    role: str
    """``title``, ``heading``, ``paragraph``, ``list item``, ``table header``, ``table cell`` or ``quote``."""
    section: str
    """The heading of the section the unit is in (the title before the first heading)."""
    line: int
    """1-based source line."""
    values: tuple[tuple[str, str], ...]
    """Placeholder name and the value it stands for, e.g. ``("phone1", "0118 322 7991")``."""

    @property
    def comment(self) -> str:
        """The translator comment: what the unit is and where."""
        if self.role in ("title", "heading"):
            return self.role.capitalize()
        return f"{self.role.capitalize()} in: {self.section}"


def to_message(inlines: tuple[Inline, ...]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The message for inline content, and the placeholder values it uses."""
    values: list[tuple[str, str]] = []
    counters: dict[str, int] = {}

    def placeholder(kind: str, value: str) -> str:
        for name, existing in values:
            if existing == value and name.startswith(kind):
                return "{" + name + "}"
        counters[kind] = counters.get(kind, 0) + 1
        name = f"{kind}{counters[kind]}"
        values.append((name, value))
        return "{" + name + "}"

    def text(value: str) -> str:
        facts = [(m.start(), m.end(), m.lastgroup or "url") for m in ADDRESS_RE.finditer(value)]
        facts += [(p.start, p.end, "phone") for p in find_phones(value)
                  if not any(s < p.end and p.start < e for s, e, _ in facts)]  # a number inside an address
        out: list[str] = []
        pos = 0
        for start, end, kind in sorted(facts):
            out.append(_escape(value[pos:start]))
            out.append(placeholder(kind, value[start:end]))
            pos = end
        out.append(_escape(value[pos:]))
        return "".join(out)

    def render(nodes: tuple[Inline, ...]) -> str:
        parts: list[str] = []
        for node in nodes:
            if isinstance(node, Text):
                parts.append(text(node.text))
            elif isinstance(node, LineBreak):
                parts.append("\\\n")
            elif isinstance(node, Strong):
                parts.append(f"**{render(node.children)}**")
            elif isinstance(node, Emphasis):
                parts.append(f"*{render(node.children)}*")
            elif isinstance(node, Link):
                inner = render(node.children)
                parts.append(f"[{inner}]({placeholder('link', node.url)})")
        return "".join(parts)

    return render(inlines).strip(), tuple(values)


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(r"\\\1", text).replace("{", "{{").replace("}", "}}")


class MessageError(ValueError):
    """A translated message that cannot be turned back into inline content."""


def from_message(message: str, values: dict[str, str], where: tuple[str, int] | None = None) -> tuple[Inline, ...]:
    """Parse a (translated) message back into inline content, filling in placeholders.

    The message is read by the Markdown reader's own inline conversion, so a translation
    can use exactly the markup a leaflet can.  ``where`` (catalogue, line) locates warnings
    about markup that is dropped; without it they are not given.
    """
    from pipeline.readers.markdown import read_inline

    def fill(text: str) -> str:
        def sub(m: re.Match[str]) -> str:
            name = m.group(1) + m.group(2)
            if name not in values:
                raise MessageError(f"unknown placeholder {{{name}}}")
            return values[name]
        return PLACEHOLDER_RE.sub(sub, text).replace("{{", "{").replace("}}", "}")

    def filled(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(Text(fill(node.text)))
            elif isinstance(node, Strong | Emphasis):
                out.append(type(node)(filled(node.children)))
            elif isinstance(node, Link):
                out.append(Link(fill(unquote(node.url)), filled(node.children)))
            else:
                out.append(node)
        return tuple(out)

    return filled(read_inline(message, *where) if where else read_inline(message))


Translate = Callable[[Unit, tuple[Inline, ...]], tuple[Inline, ...]]
"""Called once per unit with the source inlines; returns the inlines to use."""


def walk(leaflet: Leaflet, visit: Translate) -> Leaflet:
    """Visit every translatable unit in reading order; returns the leaflet rebuilt from the results."""
    section = leaflet.meta.title
    title_inlines = (Text(leaflet.meta.title),)
    title_msg, title_values = to_message(title_inlines)
    title_unit = Unit(title_msg, "title", section, leaflet.meta.title_line, title_values)
    new_title = inline_text(visit(title_unit, title_inlines))

    def unit(role: str, inlines: tuple[Inline, ...], line: int) -> tuple[Inline, ...]:
        msgid, values = to_message(inlines)
        if not msgid or not has_words(msgid):
            return inlines
        return visit(Unit(msgid, role, section, line, values), inlines)

    def blocks(items: tuple[Block, ...], role: str) -> tuple[Block, ...]:
        nonlocal section
        out: list[Block] = []
        for block in items:
            if isinstance(block, Heading | Paragraph) and block.lang:
                # A bilingual leaflet's other language is kept as written: it is not the source language.
                if isinstance(block, Heading):
                    section = inline_text(block.content).strip()
                out.append(block)
            elif isinstance(block, Heading):
                section = inline_text(block.content).strip()
                out.append(replace(block, content=unit("heading", block.content, block.line)))
            elif isinstance(block, Paragraph):
                out.append(replace(block, content=unit(role, block.content, block.line)))
            elif isinstance(block, BulletList | OrderedList):
                out.append(replace(block, items=tuple(
                    ListItem(blocks(item.blocks, "list item"), item.line) for item in block.items)))
            elif isinstance(block, BlockQuote):
                out.append(replace(block, blocks=blocks(block.blocks, "quote")))
            elif isinstance(block, Table):
                header = tuple(TableCell(unit("table header", c.content, c.line), c.line) for c in block.header)
                rows = tuple(tuple(TableCell(unit("table cell", c.content, c.line), c.line) for c in row)
                             for row in block.rows)
                out.append(replace(block, header=header, rows=rows))
            elif isinstance(block, Picture):
                # The alt text is what a patient who cannot see the picture is told: translated too.
                alt = inline_text(unit("picture", (Text(block.alt),), block.line)) if block.alt else ""
                out.append(replace(block, alt=alt, caption=unit("caption", block.caption, block.line)))
            else:
                out.append(block)
        return tuple(out)

    new_blocks = blocks(leaflet.blocks, "paragraph")
    return replace(leaflet, meta=replace(leaflet.meta, title=new_title), blocks=new_blocks)


def units(leaflet: Leaflet) -> list[Unit]:
    """Every translatable unit of ``leaflet``, in reading order."""
    found: list[Unit] = []

    def record(u: Unit, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        found.append(u)
        return inlines

    walk(leaflet, record)
    return found


def contexts(found: list[Unit]) -> dict[tuple[str, str], str | None]:
    """The ``msgctxt`` for each (msgid, role): the role, where one text has two roles."""
    roles: dict[str, set[str]] = {}
    for u in found:
        roles.setdefault(u.msgid, set()).add(u.role)
    return {(u.msgid, u.role): (u.role if len(roles[u.msgid]) > 1 else None) for u in found}


def first_words(message: str, count: int = 6) -> str:
    """The first words of a message, to name it in a report."""
    words = " ".join(message.split()).split(" ")
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


def has_words(message: str) -> bool:
    """True when a message has something to translate besides placeholders and numbers."""
    return bool(re.search(r"[^\W\d_]", PLACEHOLDER_RE.sub("", message)))
