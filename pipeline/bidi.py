"""Numbers, phone numbers, times, dates and addresses kept in their order in right-to-left text.

In an Urdu sentence, ``0118 496 0123`` is a run of digit groups separated by spaces, and
the Unicode bidirectional algorithm lays such runs out right to left: a patient would
see ``0123 496 0118``.  The same happens to ``9am - 5pm``, ``12/03/2026 - 12/03/2028``
and addresses with digits.  Every format that shows right-to-left text isolates these
spans as left-to-right: the web page with ``<bdi dir="ltr">``, text and Word documents
with a LEFT-TO-RIGHT MARK on each side (:func:`marked`), which every viewer honours.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.patterns import ADDRESS_RE
from pipeline.phones import find_phones

LRM = "\u200e"
"""LEFT-TO-RIGHT MARK: an invisible strong left-to-right character."""

_ATOM = r"\d+(?:[.:,]\d+)*(?:\s?(?:am|pm|a\.m\.|p\.m\.)(?![^\W\d_]))?"
_NUMBERS_RE = re.compile(rf"(?<![\d.:,]){_ATOM}(?:(?:\s?[-–—/]\s?|[ \u00a0]){_ATOM})+", re.I)
"""Two or more numbers joined by spaces, dashes or slashes: ``0118 496 0123``, ``9am - 5pm``, ``1-2``."""


def ltr_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has something that must read left to right: phone numbers, addresses, number runs."""
    spans = [(p.start, p.end) for p in find_phones(text)]
    spans += [m.span() for m in ADDRESS_RE.finditer(text)]
    spans += [m.span() for m in _NUMBERS_RE.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def isolate(text: str, outside: Callable[[str], str], inside: Callable[[str], str]) -> str:
    """``text`` with each left-to-right span passed through ``inside`` and the rest through ``outside``."""
    out, pos = [], 0
    for start, end in ltr_spans(text):
        out += [outside(text[pos:start]), inside(text[start:end])]
        pos = end
    out.append(outside(text[pos:]))
    return "".join(out)


def marked(text: str) -> str:
    """``text`` with a LEFT-TO-RIGHT MARK on each side of every left-to-right span (for text and Word)."""
    return isolate(text, str, lambda span: f"{LRM}{span}{LRM}")
