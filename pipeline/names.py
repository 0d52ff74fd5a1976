"""Forgiving names: what a team member types for a leaflet, a format or a size, resolved or explained.

Every refusal names the nearest real choice ("did you mean 'large-print-pdf'?"), because
the person typing is often on the phone to a patient.  Language names are resolved with
Babel's locale data in :func:`pipeline.i18n.catalogues.find_locale`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import LeafletError

if TYPE_CHECKING:
    from pipeline.exporters import Format


class UnknownName(LeafletError):
    """A name that does not resolve (exit 2); the message lists the choices."""

    def __init__(self, message: str) -> None:
        super().__init__("leaflet", message)

    def __str__(self) -> str:
        return self.message


def nearest(word: str, choices: Iterable[str], count: int = 3) -> list[str]:
    """The choices close enough to ``word`` to be what was meant (case-insensitive), best first.

    Close enough is a typing slip: at most one letter wrong, missing, extra or two swapped in
    a word of 3 to 5 letters, two in 6 to 10, three in longer, or the start of a choice
    ("brail"); a word of one or two letters gets no suggestion ("fr" is not a slip for "ur",
    nor "mobile" for "braille").
    """
    wanted = word.casefold().strip()
    if len(wanted) < 3:
        return []
    allowed = 1 if len(wanted) <= 5 else 2 if len(wanted) <= 10 else 3
    options = list(dict.fromkeys(choices))
    scored = sorted((0 if c.casefold().startswith(wanted) else d, -difflib.SequenceMatcher(None, wanted, c.casefold())
                     .ratio(), n, c) for n, c in enumerate(options)
                    if (d := _slips(wanted, c.casefold())) <= allowed or c.casefold().startswith(wanted))
    return [c for *_, c in scored[:count]]


def _slips(a: str, b: str) -> int:
    """Optimal string alignment distance: letters changed, added, removed or two neighbours swapped."""
    if abs(len(a) - len(b)) > 3:
        return 99
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"``, or ``"."`` when nothing is close (ends a clause either way)."""
    close = nearest(word, choices, 1)
    return f"; did you mean {close[0]!r}?" if close else "."


def _fold(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().casefold())


EITHER = {"email": ("html", "text"), "e-mail": ("html", "text"), "by-email": ("html", "text"),
          "send-by-email": ("html", "text")}
"""What a patient asks for that two formats answer: the desk is asked to choose, with why."""


def resolve_format(name: str, formats: dict[str, Format]) -> Format:
    """The format ``name`` means: ``pdf``, ``large_print``, ``Large print`` and ``LARGE-PRINT`` all work,
    as do the words patients use (``phone``, ``read on my phone``, ``listen``, ``big print``: each
    format's aliases in the registry)."""
    wanted = _fold(name)
    if wanted in EITHER:
        first, second = EITHER[wanted]
        raise UnknownName(f"{name!r}: both go by e-mail: {first!r} (a web page, which reads well on a phone and "
                          f"with a screen reader) or {second!r} (plain text in the e-mail itself): say which")
    for fmt in formats.values():
        if wanted == fmt.name or wanted in fmt.aliases:
            return fmt
    words = list(formats) + [a for f in formats.values() for a in f.aliases]
    close = nearest(wanted, words, 1)
    hint = "."
    if close:
        target = next(f.name for f in formats.values() if close[0] in (f.name, *f.aliases))
        hint = f"; did you mean {target!r}?"
    raise UnknownName(f"unknown format {name!r}{hint} Formats: {', '.join(formats)}")


def point_size(text: str) -> float:
    """``20``, ``20pt``, ``20 pt`` or ``20.5pt`` as a number of points (for argparse)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:pt|points?)?\s*", text, re.IGNORECASE)
    if not match:
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} is not a size in points, e.g. 20 or 20pt")
    return float(match.group(1))


@dataclass(frozen=True)
class Entry:
    """One leaflet in the library: enough to find it by code or title."""

    code: str
    title: str
    path: str


def code_key(text: str) -> str:
    """A leaflet code without case, separators or fullwidth forms: ``RAD_0102``, ``rad-0102`` and
    ``ＲＡＤ０１０２`` are all ``rad0102``."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).casefold())


def same_code(a: str, b: str) -> bool:
    """True when two leaflet codes are the same but for case and separators (``RAD_0102``, ``rad0102``)."""
    return code_key(a) == code_key(b)


_WORDS_RE = re.compile(r"[\w\s'’.,:()&/+-]{1,200}")
"""What a title search may hold: words and the punctuation titles have, nothing a pattern would."""


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def find_leaflet(query: str, entries: Sequence[Entry]) -> Entry:
    """The leaflet ``query`` names: a code (``RAD_0067``, ``rad0067``) or words from its title or file name.

    More than one match, or none, is a :class:`UnknownName` listing the candidates or the
    nearest titles.
    """
    key = code_key(query)
    if not key:
        raise UnknownName("no leaflet named: give a leaflet code (e.g. RAD_0102) or words from its title")
    exact = [e for e in entries if e.code == query.strip()]
    if len(exact) == 1:
        return exact[0]  # typed exactly: that one, whatever else normalises to the same
    by_code = [e for e in entries if code_key(e.code) == key]
    if len(by_code) == 1:
        return by_code[0]
    if by_code:
        listing = "; ".join(f"{e.code} ({e.title}, {e.path})" for e in by_code)
        raise UnknownName(f"{query!r} could be {len(by_code)} leaflets whose codes differ only in case or "
                          f"separators: {listing}. Type the code exactly, and give each leaflet its own code.")
    if not _WORDS_RE.fullmatch(query.strip()):
        raise UnknownName(f"{query[:60]!r} is neither a leaflet code nor words from a title: give a code (e.g. "
                          "RAD_0102) or words (e.g. lung biopsy)")
    words = _words(query)
    if not any(len(w) >= 3 or w.isdigit() for w in words):
        raise UnknownName(f"{query[:60]!r}: give a leaflet code or at least one word of three letters from its title")
    found = [e for e in entries
             if all(any(t.startswith(w) for t in _words(e.title) + _words(Path(e.path).stem)) for w in words)]
    if len(found) == 1:
        return found[0]
    if found:
        listing = "; ".join(f"{e.code} ({e.title})" for e in found)
        raise UnknownName(f"{query!r} matches {len(found)} leaflets: {listing}. Give the code.")
    titles = {e.title: e for e in entries}
    close = nearest(query, titles, 3) or nearest(query, [w for e in entries for w in _words(e.title)], 3)
    suggestions = [titles[c] for c in close if c in titles] or [
        e for e in entries if any(c in _words(e.title) for c in close)]
    listing = "; ".join(f"{e.code} ({e.title})" for e in suggestions[:3])
    hint = f" Nearest: {listing}." if listing else f" {len(entries)} leaflet(s) in the library: " + "; ".join(
        f"{e.code} ({e.title})" for e in entries[:5]) + "."
    raise UnknownName(f"no leaflet matches {query!r}.{hint}")
