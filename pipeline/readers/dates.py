"""Dates as leaflets write them, read with python-dateutil (UK order: day first).

``12/03/2024`` is 12 March 2024; ``26 January 2023`` keeps its day.  ``March 2027``,
``03/2027`` and ``2027-03`` name a month, not a day: they are read as a :class:`MonthYear`,
which is shown as "March 2027" everywhere (never "1 March 2027") and, as a deadline, lasts
to the end of the month (:func:`ends`).  A date without a four-digit year or
without a month (``04/05/06``, ``2024``, ``12 March``) is ambiguous: it is reported, never
guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


class AmbiguousDate(ValueError):
    """A date that could be read more than one way; the message says why."""


class MonthYear(dt.date):
    """A month and year, written without a day: held as the first of the month.

    Its ISO form is ``2027-03`` and it is shown as "March 2027"; a comparison with a day
    uses :func:`ends` (the month's last day) or the date itself (its first day) as the
    question needs.
    """

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"MonthYear({self.year}, {self.month})"

    def __reduce__(self) -> tuple[type, tuple[int, int, int]]:
        return (type(self), (self.year, self.month, 1))

    @property
    def day_of(self) -> dt.date:
        """The first of the month as a plain date (arithmetic on a month gives days, not months)."""
        return dt.date(self.year, self.month, 1)

    def __add__(self, other: dt.timedelta) -> dt.date:  # type: ignore[override]
        return self.day_of + other

    __radd__ = __add__  # type: ignore[assignment]

    def __sub__(self, other: Any) -> Any:
        return self.day_of - other


def shown(date: dt.date) -> str:
    """``date`` as a person reads it, with the precision it was written: "March 2027" or "1 March 2027"."""
    return f"{date:%B %Y}" if isinstance(date, MonthYear) else f"{date:%-d %B %Y}"


def ends(date: dt.date) -> dt.date:
    """The last day ``date`` covers: the day itself, or the month's last day for a :class:`MonthYear`.

    "Next review due March 2027" is overdue from 1 April 2027, not from 2 March.
    """
    if not isinstance(date, MonthYear):
        return date
    following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def read_date(text: str) -> dt.date | None:
    """The date ``text`` names, ``None`` when it is not a date, :class:`AmbiguousDate` when unclear."""
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text.strip().rstrip(".,;"), flags=re.I)
    if not cleaned or not re.search(r"\d", cleaned) or len(cleaned) > 40:
        return None
    if re.fullmatch(r"\d{1,2}[./-]\d{4}", cleaned):  # 03/2027: month and year
        month, year = (int(n) for n in re.split(r"[./-]", cleaned))
        return MonthYear(year, month, 1) if 1 <= month <= 12 else None
    dayfirst = not re.fullmatch(r"\d{4}-\d{1,2}(?:-\d{1,2})?", cleaned)  # ISO 2026-05-12 is year first
    try:
        from dateutil import parser as _parser  # (here: the CLI imports this module for shown() at start-up)

        first = _parser.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(1, 1, 1))
        second = _parser.parse(cleaned, dayfirst=dayfirst, default=dt.datetime(2, 2, 2))
    except (ValueError, OverflowError):
        return None
    if not re.search(r"\d{4}", cleaned):
        raise AmbiguousDate(f"{text.strip()!r} has no four-digit year")
    if first.month != second.month:
        raise AmbiguousDate(f"{text.strip()!r} has no month")
    if first.day != second.day:  # no day written: the month is what was meant
        return MonthYear(first.year, first.month, 1)
    return first.date()
