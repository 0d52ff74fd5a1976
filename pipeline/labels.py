"""The fixed words exporters add around a leaflet's own text (footers, notices, dates).

Labels are looked up by locale; a locale without its own labels uses English.
Dates are written as month and year, the way leaflets give review dates.
"""

from __future__ import annotations

import datetime as dt

ENGLISH: dict[str, str] = {
    "reviewed": "Reviewed: {date}",
    "next_review": "Next review due: {date}",
    "page": "Page {page} of {pages}",
    "code": "Leaflet code: {code}",
    "contacts": "Contacts",
    "draft": "DRAFT: not checked, not for issue to patients",
    "unchecked": "This translation has not been checked by a qualified translator.",
    "large_print": "Large print",
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def label(key: str, locale: str = "en_GB", **values: object) -> str:
    """The label ``key`` for ``locale``, with ``values`` filled in."""
    return ENGLISH[key].format(**values)


def month_year(date: dt.date, locale: str = "en_GB") -> str:
    """``May 2026``: a review date as a leaflet writes it."""
    return f"{_MONTHS[date.month - 1]} {date.year}"
