"""How wide text is drawn, and where a line may break inside it: for laying out tables.

Widths are Helvetica Bold's (Arial and Liberation Sans share its metrics), in em, so a
table's columns are worked out the same on every machine, whatever fonts it has: the
same leaflet gives the same document.  Bold is the wider weight; text in other scripts
counts as 0.6 em a character, more than Arabic or Bengali letters take.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.patterns import ADDRESS_RE
from pipeline.phones import sub_phones

# Helvetica-Bold advance widths in 1/1000 em, for " " (32) to "~" (126).
_ASCII = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)
_OTHER = 0.6
_GLUE = "\u2060"
"""WORD JOINER: no break here (and it takes no room)."""


def em(text: str) -> float:
    """The width of ``text`` in em of its font size (bold)."""
    total = 0
    for char in text:
        code = ord(char)
        if 32 <= code <= 126:
            total += _ASCII[code - 32]
            continue
        if unicodedata.category(char) in ("Mn", "Me", "Cf") or char == _GLUE:
            continue  # accents drawn over a letter, invisible marks
        base = unicodedata.normalize("NFD", char)[0]
        total += _ASCII[ord(base) - 32] if 32 <= ord(base) <= 126 else round(_OTHER * 1000)
    return total / 1000


def pieces(text: str, keep_hyphens: bool = False) -> list[str]:
    """The parts of ``text`` a line never breaks inside, as the documents here are written.

    A phone number is one piece; a web or e-mail address breaks only after a slash; other
    words break at spaces, and after a hyphen unless ``keep_hyphens``.
    """
    found: list[str] = []
    pos = 0
    for m in [*ADDRESS_RE.finditer(text), None]:
        words = sub_phones(text[pos:m.start() if m else len(text)], lambda p: p.text.replace(" ", _GLUE))
        for word in re.split(r"[ \t\n\u200b]+", words):
            parts = [word] if keep_hyphens else re.split(r"(?<=\w-)(?=\w)", word)
            found += [part.replace(_GLUE, " ") for part in parts if part]
        if m:
            found += [part for part in re.split(r"(?<=/)(?=\w)", m.group(0)) if part]
            pos = m.end()
    return found


def widest(text: str, keep_hyphens: bool = False) -> float:
    """The width in em of the widest piece of ``text`` that cannot be broken."""
    return max((em(piece) for piece in pieces(text, keep_hyphens)), default=0.0)
