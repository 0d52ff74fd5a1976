"""The speech script: a leaflet as it will be heard, section by section, before any sound is made.

The script is plain text per section; the engine only turns it into sound.  It is
written next to the audio (``<CODE>-<locale>.speech.txt``) so a person can proof-read
what will be said.  It opens with what the recording is (title, organisation, how many
sections, how to skip, and the unchecked-translation or draft notice), has one section
per heading, and closes with the contacts, the leaflet code and the review dates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.exporters.common import contact_line, notices, review_line
from pipeline.labels import label
from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Contact,
    Heading,
    Leaflet,
    OrderedList,
    Paragraph,
    Table,
    inline_text,
    iter_blocks,
)
from pipeline.speech.normalise import language, normalise


@dataclass(frozen=True, slots=True)
class Section:
    """One track: a heading and the paragraphs spoken under it."""

    title: str
    """The heading as written (chapter and track title)."""
    paragraphs: tuple[str, ...]
    """What is spoken, normalised for listening; a short pause follows each."""


def _end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:;۔؟" else text + "."


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [inline_text(block.content)]
    if isinstance(block, BulletList | OrderedList):
        lines = []
        for number, item in enumerate(block.items, start=getattr(block, "start", 1)):
            for index, child in enumerate(item.blocks):
                for line in _block_lines(child):
                    prefix = f"{number}. " if isinstance(block, OrderedList) and index == 0 else ""
                    lines.append(prefix + line)
        return lines
    if isinstance(block, BlockQuote):
        return [line for child in block.blocks for line in _block_lines(child)]
    if isinstance(block, Table):
        headers = [inline_text(c.content) for c in block.header]
        return ["; ".join(f"{h}: {inline_text(c.content)}" if h else inline_text(c.content)
                          for h, c in zip(headers, row, strict=False)) for row in block.rows]
    return []


def speech_script(leaflet: Leaflet) -> list[Section]:
    """The sections to record, in order: introduction, one per heading, closing."""
    meta = leaflet.meta
    locale = meta.language

    def say(text: str) -> str:
        return normalise(_end(text), locale)

    body: list[tuple[str, list[str]]] = []
    lead: list[str] = []
    for block in leaflet.blocks:
        if isinstance(block, Heading):
            body.append((inline_text(block.content).strip(), []))
        else:
            (body[-1][1] if body else lead).extend(_block_lines(block))
    count = len(body) + 2
    intro = [say(meta.title)]
    if meta.organisation:
        intro.append(say(label("audio_from", locale, organisation=meta.organisation)))
    for notice, notice_locale in notices(leaflet):
        if language(notice_locale) == language(locale):  # spoken in the listener's language
            intro.append(say(notice))
    intro.append(say(label("audio_sections", locale, count=count)))
    intro.append(say(label("audio_skip", locale)))
    intro.extend(say(line) for line in lead)
    sections = [Section(label("audio_intro", locale), tuple(p for p in intro if p))]
    for heading, lines in body:
        spoken = [say(heading)] + [say(line) for line in lines]
        sections.append(Section(heading, tuple(p for p in spoken if p)))
    closing = [say(label("audio_closing", locale))]
    closing.extend(say(_contact(leaflet, c)) for c in meta.contacts)
    closing.append(say(label("code", locale, code=_spell_code(meta.shown_code))))
    review = review_line(leaflet)
    if review:
        closing.append(say(review))
    closing.append(say(label("audio_end", locale)))
    sections.append(Section(label("audio_closing", locale), tuple(p for p in closing if p)))
    return sections


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
        out.extend(section.paragraphs)
        out.append("")
    return "\n".join(out)


_ASCII_EXTRA = {ord(k): v for k, v in {"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "đ": "d"}.items()}


def slug(text: str) -> str:
    """``What is sacroplasty?`` -> ``what-is-sacroplasty``; ASCII only, so the file names travel
    safely by e-mail and USB stick (``Przed wizytą`` -> ``przed-wizyta``; other scripts -> ``section``)."""
    text = text.lower().translate(_ASCII_EXTRA)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "section"
