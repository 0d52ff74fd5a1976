"""Translation as agencies work: a leaflet's catalogue out to a CAT tool or a Word table, and back.

``leaflet i18n export CODE LOCALE --format xliff|docx`` writes every message of the current
leaflet as an exchange :class:`Unit` (a stable id from its context and English, the section,
the note a translator needs, the state) with placeholders and inline marks protected;
``leaflet i18n import FILE`` maps each unit back by id, refuses a file made for another
version of the English (naming what changed), refuses a unit whose protected parts or
safety checks fail, and writes the PO with the one catalogue writer.  A re-imported
unchanged export changes nothing.

Each format is one module and one line of :data:`FORMATS`.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import LeafletError
from pipeline.i18n.checks import check_message
from pipeline.i18n.exchange import table, xliff
from pipeline.i18n.exchange.inline import Node, tree
from pipeline.i18n.messages import MessageError, contexts, first_words, units
from pipeline.model import Leaflet


@dataclass(frozen=True)
class Unit:
    """One message as an agency's file holds it."""

    id: str
    """Stable while the English and its context are: ``u`` + 16 hex digits of their SHA-256."""
    context: str
    """The PO ``msgctxt`` ("" for none)."""
    section: str
    note: str
    """What the message is and where ("Paragraph in: Before your appointment")."""
    english: str
    translation: str
    state: str
    """``new``, ``needs-review`` (fuzzy), ``translated`` or ``signed-off`` (in a signed-off catalogue)."""
    direction: str = "ltr"


@dataclass(frozen=True)
class Header:
    """What an exchange file is for: the leaflet, the language, the English it was made from."""

    code: str
    locale: str
    english: str
    """A fingerprint of the English of every message, in order."""
    title: str = ""
    sources: tuple[tuple[str, str], ...] = ()
    """(unit id, English) of every unit, so an import can say what changed since."""


@dataclass
class Returned:
    """What an exchange file brings back."""

    header: Header
    translated: dict[str, tuple[Node, ...] | None] = field(default_factory=dict)
    """Unit id -> its translation as a tree (None: not translated)."""
    states: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    """Unit id -> why its translation cannot be read (a protected element that is not the English's)."""


@dataclass(frozen=True)
class Format:
    """An exchange format: its file suffix, and its writer and reader."""

    suffix: str
    write: Callable[[Header, list[Unit]], bytes]
    read: Callable[[bytes, str], Returned]


FORMATS: dict[str, Format] = {
    "xliff": Format(".xlf", xliff.write, xliff.read),
    "docx": Format(".docx", table.write, table.read),
}


def unit_id(context: str | None, english: str) -> str:
    return "u" + hashlib.sha256(f"{context or ''}\x04{english}".encode()).hexdigest()[:16]


def english_fingerprint(pairs: list[tuple[str | None, str]]) -> str:
    digest = hashlib.sha256()
    for context, english in pairs:
        digest.update(f"{context or ''}\x04{english}\x00".encode())
    return digest.hexdigest()[:16]


def exchange_units(leaflet: Leaflet, catalog: object, locale: str, signed_off: bool, direction: str) -> list[Unit]:
    """Every message of the current ``leaflet`` with its translation in ``catalog``, in reading order."""
    found = units(leaflet)
    ctx = contexts(found)
    messages = {(m.context, m.id): m for m in catalog if m.id}  # type: ignore[attr-defined]
    out: list[Unit] = []
    seen: set[tuple[str | None, str]] = set()
    for u in found:
        key = (ctx[(u.msgid, u.role)], u.msgid)
        if key in seen:
            continue
        seen.add(key)
        message = messages.get(key)
        string = str(message.string) if message is not None and isinstance(message.string, str) else ""
        state = ("new" if not string else "needs-review" if message.fuzzy  # type: ignore[union-attr]
                 else "signed-off" if signed_off else "translated")
        out.append(Unit(unit_id(key[0], u.msgid), key[0] or "", u.section, u.comment, u.msgid, string, state,
                        direction))
    return out


@dataclass
class Imported:
    """What an import did."""

    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    untranslated: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(English, why) for each unit not taken."""


def changes_since(header: Header, current: list[tuple[str, str]]) -> list[str]:
    """What changed in the English between the export in ``header`` and ``current`` (id, English) pairs."""
    old = [english for _, english in header.sources]
    new = [english for _, english in current]
    lines = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "replace":
            for before, after in zip(old[a1:a2], new[b1:b2], strict=False):
                lines.append(f"'{first_words(before, 10)}' is now '{first_words(after, 10)}'")
            lines += [f"'{first_words(e, 10)}' was removed" for e in old[a1 + (b2 - b1):a2]]
            lines += [f"'{first_words(e, 10)}' is new" for e in new[b1 + (a2 - a1):b2]]
        elif op == "delete":
            lines += [f"'{first_words(e, 10)}' was removed" for e in old[a1:a2]]
        elif op == "insert":
            lines += [f"'{first_words(e, 10)}' is new" for e in new[b1:b2]]
    return lines


def apply(returned: Returned, current: list[Unit], catalog: object, locale: str, path: str) -> Imported:
    """Take the translations of an exchange file into ``catalog`` (changed in place).

    Raises :class:`LeafletError` when the file was made for another leaflet, language or
    version of the English; a unit that fails is refused and the rest are taken.
    """
    from pipeline.i18n.exchange.inline import message as to_message
    from pipeline.i18n.exchange.inline import protected

    header, translated, states = returned.header, returned.translated, returned.states
    by_id = {u.id: u for u in current}
    fingerprint = english_fingerprint([(u.context or None, u.english) for u in current])
    if header.english != fingerprint or set(translated) - set(by_id) or set(returned.errors) - set(by_id):
        changes = changes_since(header, [(u.id, u.english) for u in current]) or ["the messages differ"]
        raise LeafletError(path, f"made for another version of the English of {header.code}: export it again "
                                 "and send the new file (what changed since this file was made: "
                                 + "; ".join(changes[:8]) + (f"; and {len(changes) - 8} more" if len(changes) > 8
                                                             else "") + ")")
    messages = {(m.context or "", m.id): m for m in catalog if m.id}  # type: ignore[attr-defined]
    report = Imported()
    for uid, why in returned.errors.items():
        report.refused.append((by_id[uid].english, why))
    for uid, nodes in translated.items():
        unit = by_id[uid]
        entry = messages.get((unit.context, unit.english))
        if entry is None:
            report.refused.append((unit.english, "not in the catalogue: run make update first"))
            continue
        if nodes is None or not nodes:
            report.untranslated += 1
            continue
        english_parts = sorted(protected(tree(unit.english)))
        if sorted(protected(nodes)) != english_parts:
            report.refused.append((unit.english, "its protected parts (placeholders, bold, links) differ from the "
                                                 f"English's: {', '.join(protected(nodes)) or 'none'} for "
                                                 f"{', '.join(protected(tree(unit.english))) or 'none'}"))
            continue
        text = to_message(nodes)
        problems = check_message(unit.english, text, locale, entry.flags)
        if problems:
            report.refused.append((unit.english, "; ".join(problems)))
            continue
        review = states.get(uid) == "needs-review"
        try:
            same = isinstance(entry.string, str) and entry.string and tree(entry.string) == tuple(nodes)
        except MessageError:
            same = False
        if same and bool(entry.fuzzy) == review:
            report.unchanged += 1
            continue
        if not same:
            entry.string = text
        if review:
            entry.flags.add("fuzzy")
        else:
            entry.flags.discard("fuzzy")
            entry.previous_id = []
        report.changed.append(unit.english)
    return report


def suffix_format(path: Path) -> str:
    """The exchange format a file's name says (``.xlf``/``.xliff``, ``.docx``)."""
    name = path.name.lower()
    if name.endswith((".xlf", ".xliff")):
        return "xliff"
    if name.endswith(".docx"):
        return "docx"
    raise LeafletError(str(path), "not an exchange file: expected .xlf, .xliff or .docx")
