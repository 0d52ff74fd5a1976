"""The speech script: a leaflet as it will be heard, section by section, before any sound is made.

The script is plain text per section; the engine only turns it into sound.  It is
written next to the audio (``<CODE>-<locale>.speech.txt``) so a person can proof-read
what will be said.  It opens with what the recording is (title, organisation, how many
sections, how to skip, and the unchecked-translation or draft notice), has one section
per heading, and closes with the contacts, the leaflet code and the review dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.exporters.common import contact_line, notices, picture_line, review_line
from pipeline.labels import label
from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Contact,
    Heading,
    Inline,
    Leaflet,
    OrderedList,
    Paragraph,
    Picture,
    Table,
    TableCell,
    inline_text,
    iter_blocks,
)
from pipeline.sentences import split
from pipeline.speech.normalise import language, normalise


class Line(tuple[str, ...]):
    """The sentences of one paragraph as spoken, and their language when it is not the leaflet's
    (a bilingual leaflet's other language: spoken by that language's voice)."""

    locale: str | None

    def __new__(cls, sentences: Iterable[str] = (), locale: str | None = None) -> Line:
        line = super().__new__(cls, sentences)
        line.locale = locale
        return line
"""A paragraph as spoken: its sentences, each synthesised on its own (a short pause between them)."""


@dataclass(frozen=True, slots=True)
class Section:
    """One track: a heading and the paragraphs spoken under it."""

    title: str
    """The heading as written (chapter and track title)."""
    paragraphs: tuple[Line, ...]
    """What is spoken, normalised for listening; a short pause follows each paragraph."""


def _end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:;۔؟" else text + "."


def say(text: str, locale: str) -> str:
    """``text`` as it is spoken in ``locale``: ended with a full stop, numbers and dates in words."""
    return normalise(_end(text), locale)


def spoken_sentences(content: tuple[Inline, ...], locale: str, prefix: str = "") -> Line:
    """Each sentence of ``content`` as spoken, ``prefix`` (a list item's number) before the first.

    The read-along book highlights exactly these pieces, and the recording is made of the
    same pieces, so one synthesis (and one cache entry) serves both.
    """
    out = []
    for index, sentence in enumerate(split(content)):
        text = say((prefix if index == 0 else "") + inline_text(sentence).strip(), locale)
        if text:
            out.append(text)
    return Line(out)


def cell_text(header: TableCell | None, cell: tuple[Inline, ...], locale: str) -> str:
    """A table cell as spoken: ``Time: Before the procedure.`` (its column's heading first)."""
    head = inline_text(header.content).strip() if header is not None else ""
    text = inline_text(cell).strip()
    return say(f"{head}: {text}" if head and text else text, locale)


def item_prefix(block: BulletList | OrderedList, number: int) -> str:
    """``3. `` before the first words of an ordered list's third item; nothing for bullets."""
    return f"{number}. " if isinstance(block, OrderedList) else ""


def _block_lines(block: Block, locale: str) -> list[Line]:
    if isinstance(block, Paragraph):
        return [Line(spoken_sentences(block.content, block.lang or locale), block.lang)]
    if isinstance(block, BulletList | OrderedList):
        lines = []
        for number, item in enumerate(block.items, start=getattr(block, "start", 1)):
            for index, child in enumerate(item.blocks):
                if index == 0 and isinstance(child, Paragraph):
                    lines.append(Line(spoken_sentences(child.content, child.lang or locale, item_prefix(block, number)),
                                      child.lang))
                else:
                    lines.extend(_block_lines(child, locale))
        return lines
    if isinstance(block, BlockQuote):
        return [line for child in block.blocks for line in _block_lines(child, locale)]
    if isinstance(block, Table):
        headers: list[TableCell | None] = [*block.header, *[None] * len(max(block.rows, key=len, default=()))]
        return [Line(cell_text(h, c.content, locale) for h, c in zip(headers, row, strict=False))
                for row in block.rows]
    if isinstance(block, Picture):
        return [Line([picture_words(block, locale)])]
    return []


def picture_words(picture: Picture, locale: str) -> str:
    """A picture as spoken: ``Picture: A nurse ...`` and its caption (the read-along book says the same)."""
    return say(" ".join(x for x in (picture_line(picture, locale), inline_text(picture.caption).strip()) if x),
               locale)


def speech_script(leaflet: Leaflet) -> list[Section]:
    """The sections to record, in order: introduction, one per heading, closing."""
    meta = leaflet.meta
    locale = meta.language

    def one(text: str) -> Line:
        return Line([say(text, locale)])

    body: list[tuple[str, list[Line]]] = []
    lead: list[Line] = []
    for block in leaflet.blocks:
        if isinstance(block, Heading):
            title = inline_text(block.content).strip()
            body.append((title, [Line([say(title, block.lang or locale)], block.lang)]))
        else:
            (body[-1][1] if body else lead).extend(_block_lines(block, locale))
    count = len(body) + 2
    intro = [one(meta.title)]
    if meta.organisation:
        intro.append(one(label("audio_from", locale, organisation=meta.organisation)))
    for notice, notice_locale in notices(leaflet):
        if language(notice_locale) == language(locale):  # spoken in the listener's language
            intro.append(one(notice))
    intro.append(one(label("audio_sections", locale, count=count)))
    intro.append(one(label("audio_skip", locale)))
    intro.extend(lead)
    sections = [Section(label("audio_intro", locale), _kept(intro))]
    for heading, lines in body:
        sections.append(Section(heading, _kept(lines)))
    closing = [one(label("audio_closing", locale))]
    closing.extend(one(_contact(leaflet, c)) for c in meta.contacts)
    closing.append(one(code_line(leaflet)))
    review = review_line(leaflet)
    if review:
        closing.append(one(review))
    closing.append(one(label("audio_end", locale)))
    sections.append(Section(label("audio_closing", locale), _kept(closing)))
    return sections


def _kept(lines: list[Line]) -> tuple[Line, ...]:
    """The lines with something to say."""
    return tuple(kept for kept in (Line((s for s in line if s), line.locale) for line in lines) if kept)


def code_line(leaflet: Leaflet) -> str:
    """``Leaflet code: R A D 0 0 6 7.``: the code line as written, with the code to be read letter by letter."""
    return label("code", leaflet.meta.language, code=_spell_code(leaflet.meta.shown_code))


def _contact(leaflet: Leaflet, contact: Contact) -> str:
    """The leaflet's own line for a contact (translated, in a translation), else a plain one."""
    heading = ""
    for block in iter_blocks(leaflet.blocks):
        if isinstance(block, Heading):
            heading = inline_text(block.content)
        elif isinstance(block, Paragraph) and contact.phone in inline_text(block.content):
            text = inline_text(block.content)
            # A number alone under its heading ("Stoma care nurses" / "0118 ..."): say whose it is.
            return f"{heading}: {text}" if heading and text.startswith(contact.phone) else text
    return contact_line(contact)


def _spell_code(code: str) -> str:
    """``RAD_0067`` -> "R A D 0 0 6 7": a code is read character by character."""
    return " ".join(ch for ch in code if ch.isalnum())


def script_text(leaflet: Leaflet, sections: list[Section]) -> str:
    """The ``.speech.txt`` file: each section's title, then what is said, a paragraph a line."""
    out = [f"# Speech script: {leaflet.meta.code} {leaflet.meta.language}: {leaflet.meta.title}", ""]
    for number, section in enumerate(sections, start=1):
        out.append(f"## {number:02d} {section.title}")
        out.extend(" ".join(line) for line in section.paragraphs)
        out.append("")
    return "\n".join(out)




def slug(text: str) -> str:
    """``What is sacroplasty?`` -> ``what-is-sacroplasty``; ASCII only, so the file names travel
    safely by e-mail and USB stick (``Przed wizytą`` -> ``przed-wizyta``).  Other scripts are
    transliterated (anyascii), so a carer can tell the tracks apart: ``خطرات کیا ہیں؟`` ->
    ``khtrt-ky-hyn``, ``ঝুঁকিগুলো কী?`` -> ``jhumkigulo-ki``; ``section`` only when nothing is left."""
    from anyascii import anyascii

    ascii_text = anyascii(text.lower()).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "section"
