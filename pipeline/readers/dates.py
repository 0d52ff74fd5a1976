"""Dates as leaflets write them, read with python-dateutil (UK order: day first).

``12/03/2024`` is 12 March 2024; ``March 2027``, ``03/2027`` and ``2027-03`` are the first
of the month; ``26 January 2023`` keeps its day.  A date without a four-digit year or
without a month (``04/05/06``, ``2024``, ``12 March``) is ambiguous: it is reported, never
guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as _parser


class AmbiguousDate(ValueError):
    """A date that could be read more than one way; the message says why."""


def read_date(text: str) -> dt.date | None:
    """The date ``text`` names, ``None`` when it is not a date, :class:`AmbiguousDate` when unclear."""
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text.strip().rstrip(".,;"), flags=re.I)
    if not cleaned or not re.search(r"\d", cleaned) or len(cleaned) > 40:
        return None
    if re.fullmatch(r"\d{1,2}[./-]\d{4}", cleaned):  # 03/2027: month and year
        cleaned = "1/" + re.sub(r"[.-]", "/", cleaned)
    dayfirst = not re.fullmatch(r"\d{4}-\d{1,2}(?:-\d{1,2})?", cleaned)  # ISO 2026-05-12 is year first
    try:
        first = _parser.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(1, 1, 1))
        second = _parser.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(2, 2, 2))
    except (ValueError, OverflowError):
        return None
    if not re.search(r"\d{4}", cleaned):
        raise AmbiguousDate(f"{text.strip()!r} has no four-digit year")
    if first.month != second.month:
        raise AmbiguousDate(f"{text.strip()!r} has no month")
    return first.date()
