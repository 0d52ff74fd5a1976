"""Plain-text reader, for leaflets pasted from a web page, a PDF or a Word document.

Pasting keeps the words but loses the structure, and leaves things behind.  The reader
works in four steps:

1. **Leftovers** (:mod:`pipeline.readers.paste`): page numbers, running headers and
   footers, logo text and a "Patient information" kicker above the title, and a web
   page's furniture are dropped, each with a warning naming its line.
2. **Title**: the first line left, if it reads as a title (at most 15 words, no full
   stop, not a phone number).  Otherwise no title is guessed: the file name gives a
   provisional one and the outputs are drafts.
3. **Lines**: a bullet alone on its line joins the text after it; bullets written
   inline (``for example: • Nosebleeds • Blood in urine``) become items; lines a PDF
   wrapped at the page's width are joined back into their sentence.
4. **Blocks**.  A line starting with a bullet (``•``, ``-``, ``*``, ``▪``, ``o`` under
   another bullet ...) or ``1.`` is a list item; deeper indentation or a second kind of
   bullet nests.  A line that is a contact (``Ward 5: 0118 496 0000``), a web or e-mail
   address, a leaflet code or review dates is never a heading.  A short line (at most
   12 words, no closing punctuation) followed by text is a section heading; short
   lines after a line ending in ``:``, or between a heading and the next, are list
   items.  A label, a number alone on the next line and the opening hours under it
   stay together as one contact.

Blank lines, where a leaflet has them, separate paragraphs: the lines of a paragraph are
joined.  Where a leaflet has none (a paste with single line breaks), every line is its own
paragraph unless it was wrapped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from pipeline.model import (
    Block,
    BulletList,
    Heading,
    Inline,
    Leaflet,
    LineBreak,
    ListItem,
    OrderedList,
    Paragraph,
    Text,
)
from pipeline.patterns import ADDRESS_RE
from pipeline.phones import find_phones, has_phone
from pipeline.readers import paste
from pipeline.readers.cues import HEADING_START_RE, title_like
from pipeline.readers.metadata import detect, fact_line, fact_segments, hours_like, split_front_matter, standalone_line

log = logging.getLogger("pipeline")

_BULLETS = "•▪●◦■□➢►✓·‣⁃\uf0b7\uf0a7\uf0a8\uf076\uf0d8\uf0fc\uf0e0"
_BULLET_RE = re.compile(rf"(?P<indent>\s*)(?P<marker>[{_BULLETS}\-–*])\s+(?P<text>\S.*)")
_SUB_BULLET_RE = re.compile(r"(?P<indent>\s*)(?P<marker>[o§])\s+(?P<text>\S.*)")
"""``o`` and ``§``: the second and third bullets of Word's default list, seen only under another bullet."""
_MARKER_KINDS = {**dict.fromkeys("▪■□\uf0a7\uf0a8", "▪"), **dict.fromkeys("o◦\uf06f", "o"), **dict.fromkeys("-–", "-"),
                 "*": "*", "§": "§", "➢": "➢", "►": "➢", "\uf0d8": "➢", "✓": "✓", "\uf0fc": "✓"}
"""Bullets that look the same are one kind (a PDF's Symbol-font bullet U+F0B7 is Word's "•")."""
_ORDERED_RE = re.compile(r"(?P<indent>\s*)(?P<number>\d{1,3})[.)]\s+(?P<text>\S.*)")
_LONE_MARKER_RE = re.compile(rf"\s*(?:[{_BULLETS}\-–*o]|\d{{1,3}}[.)])\s*")
_INLINE_BULLET_RE = re.compile(rf"(?<=\S)\s+[{_BULLETS}]\s+(?=\S)")
_TERMINAL = (".", "!", ":", ";", ",")
_SUBTITLE_RE = re.compile(r"(?:information|advice|a\s+guide|guidance)\s+(?:for|about|on)\b|for\s+", re.I)
_OPEN_END_RE = re.compile(r"(?:,|\b(?:and|or|but|the|a|an|of|to|with|for|your|in|on|at|is|are|be|by|from|as|that"
                          r"|which|if|you|can|will|may|not))$", re.I)
"""How a line ends when its sentence goes on to the next line."""
_PHONE_PREFIX_RE = re.compile(r"\s*(?:(?:tel(?:ephone)?|phone|t|call|ring)\.?\s*:?\s*)?", re.I)


@dataclass
class _Line:
    number: int
    text: str
    indent: int = 0
    marker: str = ""
    """A list item's bullet, or "1." for an ordered item; "" for other lines."""
    ordinal: int = 0
    gap: bool = False
    """A blank line comes before this one."""

    @property
    def item(self) -> bool:
        return bool(self.marker)


def read_text(text: str, path: str) -> Leaflet:
    """Read a plain-text leaflet into a :class:`~pipeline.model.Leaflet`."""
    front, body = split_front_matter(text, path)
    lines = _cleaned(body.split("\n"), path)
    content = [(number, line) for number, line in lines if line]
    _, header = paste.header_lines(content, path, standalone_line)
    dropped = set(header.dropped)
    lines = [(n, t) for n, t in lines if n not in dropped]
    title: str | None = None
    title_line = 0
    first = next(((n, t) for n, t in lines if t), None)
    if first and title_like(first[1]):
        title, title_line = first[1].strip(), first[0]
        lines = [(n, t) for n, t in lines if n != title_line]
    logical = _logical_lines(lines)
    line_mode = _single_breaks(lines)
    blocks = _blocks(logical, line_mode)
    return detect(tuple(blocks), front, path, title=title, title_line=title_line, header=header)


def _cleaned(raw: list[str], path: str) -> list[tuple[int, str]]:
    """Numbered lines without a paste's leftovers (each warned about); blank lines kept as ``""``."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(raw, start=1):
        line = line.expandtabs(4).rstrip()
        if not line.strip():
            lines.append((number, ""))
            continue
        plain = paste.without_accordion(line)
        if plain != line.strip():
            log.warning("%s:%d: a web page's show/hide control removed", path, number)
            line = " " * (len(line) - len(line.lstrip())) + plain
        if paste.web_leftover(line):
            log.warning("%s:%d: not part of the leaflet, dropped: left over from a web page (%r)",
                        path, number, line.strip()[:60])
            continue
        marked = paste.without_page_mark(line)
        if marked != line.strip() and marked:
            # A header or footer with its page number ("Stoma care | Page 1 of 4"): its code and dates
            # are read, the rest dropped.
            kept, _ = fact_segments(marked)
            log.warning("%s:%d: not part of the leaflet, dropped: a page header or footer (%r)%s", path, number,
                        line.strip()[:60], "; its code and dates are read" if kept else "")
            lines.append((number, "\f"))
            if kept:
                lines.append((number, "   ".join(kept)))
            continue
        if (marked == "" or paste.page_number(line)) and not has_phone(line):
            log.warning("%s:%d: not part of the leaflet, dropped: a page number (%r)", path, number, line.strip())
            lines.append((number, "\f"))
            continue
        lines.append((number, line))
    pages = {n for n, t in lines if t == "\f"}
    content = [(n, t) for n, t in lines if t not in ("", "\f")]
    running = paste.running_lines(content, pages)
    top = {n for n, _ in content[:6]}
    written = dict(content)
    replace: dict[int, str | None] = {}
    for text, where in running.items():
        facts_only, rest = fact_segments(written[where[0]])
        keep: int | None = None
        if facts_only:  # a running footer's code and dates are read once
            keep = where[0]
            replace[keep] = "   ".join(facts_only)
        elif where[0] in top:  # the first page's copy of a running header may be the title or the logo
            keep = where[0]
        for number in where:
            if number != keep:
                replace[number] = None
                log.warning("%s:%d: not part of the leaflet, dropped: a running header or footer repeated on each "
                            "page (%r)", path, number, text[:60])
        if keep is not None and keep in replace and rest:
            log.warning("%s:%d: a running footer: its code and dates are read, the rest (%r) dropped",
                        path, keep, "   ".join(rest))
    out = []
    for number, text in lines:
        if number in replace:
            new = replace[number]
            if new is not None:
                out.append((number, new))
        elif text == "\f":
            continue
        else:
            out.append((number, text))
    return out


def _single_breaks(lines: list[tuple[int, str]]) -> bool:
    """True when the text has (almost) no blank lines: every line is then a paragraph of its own."""
    content = sum(1 for _, t in lines if t)
    blanks = sum(1 for i, (_, t) in enumerate(lines) if not t and 0 < i < len(lines) - 1 and lines[i - 1][1])
    return content >= 6 and blanks * 8 <= content


def _logical_lines(lines: list[tuple[int, str]]) -> list[_Line]:
    """The lines as the author wrote them: lone bullets joined, inline bullets split, wrapped lines joined."""
    merged: list[tuple[int, str, bool]] = []
    gap = False
    pending: tuple[int, str] | None = None
    for number, text in lines:
        if not text:
            gap = True
            continue
        if pending is not None:
            number, text = pending[0], f"{pending[1].strip()} {text.strip()}"
            pending = None
        elif _LONE_MARKER_RE.fullmatch(text):
            pending = (number, text)
            continue
        merged.append((number, text, gap))
        gap = False
    if pending is not None:
        merged.append((pending[0], pending[1], gap))

    width = _wrap_width([t for _, t, _ in merged])
    joined: list[tuple[int, str, bool]] = []
    last = ""
    for number, text, gap in merged:
        if joined and not gap and _continues(last, text, width):
            joined[-1] = (joined[-1][0], f"{joined[-1][1].rstrip()} {text.strip()}", joined[-1][2])
        else:
            joined.append((number, text, gap))
        last = text

    out: list[_Line] = []
    for number, text, gap in joined:
        pieces = _INLINE_BULLET_RE.split(text)
        head, items = pieces[0], pieces[1:]
        bullet = None if _BULLET_RE.fullmatch(head) or _ORDERED_RE.fullmatch(head) else "•"
        if items and bullet and not head.strip():
            head = ""
        line = _classify(number, head, gap, previous=out[-1] if out else None) if head.strip() else None
        if line is not None:
            out.append(line)
        indent = line.indent if line is not None and line.item else len(head) - len(head.lstrip())
        for piece in items:
            out.append(_Line(number, piece.strip(), indent, "•", gap=gap and line is None))
    return out


def _classify(number: int, text: str, gap: bool, previous: _Line | None) -> _Line:
    indent = len(text) - len(text.lstrip())
    ordered = _ORDERED_RE.fullmatch(text)
    if ordered:
        return _Line(number, ordered["text"].strip(), indent, "1.", int(ordered["number"]), gap)
    bullet = _BULLET_RE.fullmatch(text)
    if bullet is None and previous is not None and previous.item and not gap:
        bullet = _SUB_BULLET_RE.fullmatch(text)
    if bullet:
        return _Line(number, bullet["text"].strip(), indent, _MARKER_KINDS.get(bullet["marker"], "•"), gap=gap)
    return _Line(number, text.strip(), indent, gap=gap)


def _wrap_width(texts: list[str]) -> int:
    """The width a PDF or e-mail wrapped the text at, or 0 when its lines were not wrapped."""
    lengths = sorted(len(t.strip()) for t in texts)
    if len(lengths) < 6:
        return 0
    top = lengths[int(len(lengths) * 0.95) - 1 if len(lengths) >= 20 else -1]
    if top > 130 or top < 40:
        return 0
    long = [n for n in lengths if n > top * 0.5]
    near = [n for n in long if n >= top * 0.8]
    return top if len(near) >= 4 and len(near) >= 0.4 * len(long) else 0


def _contact_line(text: str) -> bool:
    """A line giving a phone number, web or e-mail address (not a sentence that mentions one)."""
    text = text.strip()
    if ADDRESS_RE.search(text) and len(text.split()) <= 12:
        return True
    return has_phone(text) and not text.endswith((".", ","))


def _continues(previous: str, text: str, width: int) -> bool:
    """True when ``text`` carries on the sentence of the line before (a wrapped line)."""
    prev, nxt = previous.strip(), text.strip()
    if (not nxt or _BULLET_RE.fullmatch(text) or _ORDERED_RE.fullmatch(text) or _contact_line(prev)
            or _contact_line(nxt) or standalone_line(prev) or standalone_line(nxt)):
        return False
    item = _BULLET_RE.fullmatch(previous) or _ORDERED_RE.fullmatch(previous)
    indent = len(text) - len(text.lstrip())
    if item and indent > len(item["indent"]):  # an indented line under a list item belongs to it
        return True
    if prev.endswith((".", "!", "?", ":", ";")):
        return False
    if _INLINE_BULLET_RE.search(prev):  # the line ended a list written inline: a new line is new text
        return nxt[0].islower() and len(prev) - max(m.end() for m in _INLINE_BULLET_RE.finditer(prev)) >= 40
    if width and len(prev) >= 0.7 * width:
        return True
    return nxt[0].islower() and (len(prev) >= 60 or bool(_OPEN_END_RE.search(prev)))


def _short(line: _Line) -> bool:
    """A line that may be a heading or a one-line list item: short, no closing punctuation, not a contact."""
    text = line.text
    words = len(text.split())
    lower_item = text[:1].islower() and words <= 25 and len(text) <= 160
    return (not line.item and (words <= 12 and len(text) <= 80 or lower_item) and not text.endswith(_TERMINAL)
            and not _contact_line(text) and not standalone_line(text) and any(ch.isalpha() for ch in text))


def _heading_ok(line: _Line) -> bool:
    first = next((ch for ch in line.text if ch.isalnum()), "")
    return _short(line) and (first.isupper() or first.isdigit())


def _phone_alone(line: _Line) -> bool:
    """A line that is a phone number, perhaps with its hours: ``01632 960450 (option 3)``."""
    phones = find_phones(line.text)
    if not phones or line.item:
        return False
    if not _PHONE_PREFIX_RE.fullmatch(line.text[: phones[0].start]):
        return False
    rest = re.sub(r"\([^)]*\)", "", line.text[phones[-1].end:])
    return len(re.findall(r"[^\W\d_]+", rest)) <= 2


def _blocks(lines: list[_Line], line_mode: bool) -> list[Block]:
    out: list[Block] = []
    paragraph: list[_Line] = []

    def flush() -> None:
        if paragraph:
            out.append(Paragraph((Text(" ".join(line.text for line in paragraph)),), paragraph[0].number))
            paragraph.clear()

    def starts_chunk(i: int) -> bool:
        return line_mode or i == 0 or lines[i].gap

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.gap:
            flush()
        if i == 0 and _short(line) and _SUBTITLE_RE.match(line.text):  # "Information for patients and carers"
            out.append(Paragraph((Text(line.text),), line.number))
            i += 1
            continue
        if line.item:
            flush()
            i = _list(lines, i, out)
            continue
        if _short(line) and i + 1 < len(lines) and _phone_alone(lines[i + 1]) and not lines[i + 1].gap:
            flush()
            i = _contact_group(lines, i, out)
            continue
        if standalone_line(line.text) or _contact_line(line.text):
            flush()
            out.append(Paragraph((Text(line.text),), line.number))
            i += 1
            continue
        if _short(line) and starts_chunk(i):
            flush()
            i = _run(lines, i, out, line_mode)
            continue
        if (not line_mode and 0 < i < len(lines) - 1 and _heading_ok(line) and not lines[i + 1].gap
                and not lines[i - 1].item and lines[i - 1].text.endswith((".", "!", "?"))
                and not _short(lines[i + 1]) and lines[i + 1].text[:1].isupper()):
            flush()  # a heading inside a block of lines ("... clean." / "When to get help" / "Call us ...")
            out.append(Heading(2, (Text(line.text),), line.number))
            i += 1
            continue
        if _short(line) and i + 1 < len(lines) and _short(lines[i + 1]) and not lines[i + 1].gap:
            flush()  # short lines inside a paragraph block: one-line items ("What to avoid" / "Rubbing your eye")
            i = _run(lines, i, out, line_mode, items_only=True)
            continue
        if line_mode:
            out.append(Paragraph((Text(line.text),), line.number))
        else:
            paragraph.append(line)
        i += 1
    flush()
    return out


def _run(lines: list[_Line], start: int, out: list[Block], line_mode: bool, items_only: bool = False) -> int:
    """Place a run of short lines: section headings at its ends, list items between."""
    end = start
    while (end < len(lines) and _short(lines[end]) and (end == start or not lines[end].gap or line_mode)
           and not (end + 1 < len(lines) and _phone_alone(lines[end + 1]) and end > start)):
        end += 1
    run = lines[start:end]
    before = lines[start - 1] if start > 0 else None
    after = lines[end:]
    follows = any(not fact_line(x.text) for x in after[:3])
    after_colon = before is not None and before.text.endswith(":") and not before.item
    heads: set[int] = set()
    if not items_only:
        first = run[0]
        if _heading_ok(first) and follows and (not after_colon or HEADING_START_RE.match(first.text)
                                               or first.text.endswith("?")):
            heads.add(0)
        last = run[-1]
        lower_items = all(x.text[:1].islower() for x in run[int(0 in heads):-1])
        if (len(run) > 1 and _heading_ok(last) and follows and (line_mode or end < len(lines) and not lines[end].gap)
                and (HEADING_START_RE.match(last.text) or last.text.endswith("?") or lower_items)):
            heads.add(len(run) - 1)
    items: list[_Line] = []
    if not follows and not after_colon:  # short lines at the very end (an author, a department): paragraphs
        out.extend(Paragraph((Text(line.text),), line.number) for line in run)
        return end
    for n, line in enumerate(run):
        if n in heads:
            _put_items(items, out)
            out.append(Heading(2, (Text(line.text),), line.number))
        elif len(run) - len(heads) == 1 and not after_colon and not (0 in heads and n == 1 and not line_mode):
            out.append(Paragraph((Text(line.text),), line.number))
        else:
            items.append(line)
    _put_items(items, out)
    return end


def _put_items(items: list[_Line], out: list[Block]) -> None:
    if items:
        out.append(BulletList(tuple(ListItem((Paragraph((Text(x.text),), x.number),), x.number) for x in items),
                              items[0].number))
        items.clear()


def _contact_group(lines: list[_Line], start: int, out: list[Block]) -> int:
    """A label, the number under it and the hours under that: one paragraph, line by line."""
    group = [lines[start], lines[start + 1]]
    following = lines[start + 2] if start + 2 < len(lines) else None
    if (following is not None and not following.gap and not following.item and hours_like(following.text)
            and len(following.text.split()) <= 10 and not has_phone(following.text)):
        group.append(following)
    content: list[Inline] = []
    for line in group:
        if content:
            content.append(LineBreak())
        content.append(Text(line.text))
    out.append(Paragraph(tuple(content), group[0].number))
    return start + len(group)


def _list(lines: list[_Line], start: int, out: list[Block]) -> int:
    """Consecutive list items, nested by indentation and by a second kind of bullet."""
    end = start
    while end < len(lines) and lines[end].item and (end == start or not lines[end].gap or lines[end].indent > 0):
        end += 1
    first = lines[start]
    heading = _Line(first.number, first.text)
    if (end == start + 1 and first.marker == "1." and _heading_ok(heading) and end < len(lines)
            and not lines[end].item and not _short(lines[end]) and not standalone_line(lines[end].text)):
        # A numbered heading ("1." / "Emptying your bag" / text): a section, not a list of one.
        out.append(Heading(2, (Text(f"{first.ordinal}. {first.text}"),), first.number))
        return end
    # Each item's level: deeper indentation nests; at the same indentation a new kind of bullet
    # nests (Word's "•" then "o"), and a kind seen above closes back to its level.
    stack: list[tuple[int, str]] = []
    levels: list[int] = []
    for line in lines[start:end]:
        kind = (line.indent, "1." if line.marker == "1." else line.marker)
        while stack and stack[-1][0] > line.indent:
            stack.pop()
        if kind in stack:
            del stack[stack.index(kind) + 1:]
        elif stack and line.indent == stack[-1][0] and not any(m == kind[1] for _, m in stack):
            stack.append(kind)
        elif stack and line.indent == stack[-1][0]:
            depth = next(n for n, (_, m) in enumerate(stack) if m == kind[1])
            del stack[depth + 1:]
            stack[depth] = kind
        else:
            stack.append(kind)
        levels.append(len(stack) - 1)
    out.extend(_nest(lines[start:end], levels))
    return end


def _nest(items: list[_Line], levels: list[int]) -> list[Block]:
    """Lists from items with their levels (each level at most one deeper than the item before it)."""
    blocks: list[Block] = []
    i = 0
    while i < len(items):
        ordered = items[i].marker == "1."
        members: list[ListItem] = []
        base = levels[i]
        first_ordinal = items[i].ordinal
        while i < len(items) and levels[i] == base and (items[i].marker == "1.") == ordered:
            j = i + 1
            while j < len(items) and levels[j] > base:
                j += 1
            children = _nest(items[i + 1:j], levels[i + 1:j])
            members.append(ListItem((Paragraph((Text(items[i].text),), items[i].number), *children), items[i].number))
            i = j
        if ordered:
            blocks.append(OrderedList(tuple(members), first_ordinal or 1, members[0].line))
        else:
            blocks.append(BulletList(tuple(members), members[0].line))
        if i < len(items) and levels[i] < base:
            break
    return blocks
