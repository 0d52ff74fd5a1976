"""Translate a leaflet model with a catalogue, after checking the catalogue is safe to issue.

:func:`review` reports on a catalogue against the *current* source leaflet;
:func:`translate` maps the source model to a translated model.  Exporters only ever
see the translated model; they never call gettext.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.messages.catalog import Catalog

from pipeline.errors import LeafletError
from pipeline.i18n.catalogues import active_messages, direction
from pipeline.i18n.checks import check_message
from pipeline.i18n.messages import MessageError, Unit, contexts, from_message, units, walk
from pipeline.model import Inline, Leaflet, Translation


def first_words(message: str, count: int = 6) -> str:
    """The first words of a message, to name it in a report."""
    words = " ".join(message.split()).split(" ")
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


@dataclass
class Review:
    """The state of one leaflet's catalogue for one locale."""

    code: str
    locale: str
    path: str
    total: int = 0
    translated: int = 0
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(message, problem) for translated and fuzzy messages that fail a check."""
    stale: list[str] = field(default_factory=list)
    """Why the catalogue is out of date with the leaflet (empty when it is current)."""
    checked_by: str | None = None
    checked_on: dt.date | None = None

    @property
    def buildable(self) -> bool:
        """True when the catalogue may be issued: complete, nothing fuzzy, checks pass, current."""
        return not (self.untranslated or self.fuzzy or self.failures or self.stale)

    def problems(self, limit: int = 3) -> list[str]:
        """Lines saying what stops this locale being built, the first few messages of each kind."""
        lines: list[str] = []
        if self.stale:
            lines.append(f"out of date with the leaflet: {'; '.join(self.stale)} (run 'make update')")
        if self.untranslated:
            lines.append(f"{len(self.untranslated)} of {self.total} message(s) untranslated: "
                         + "; ".join(f"'{first_words(m)}'" for m in self.untranslated[:limit]))
        if self.fuzzy:
            lines.append(f"{len(self.fuzzy)} fuzzy message(s) to review: "
                         + "; ".join(f"'{first_words(m)}'" for m in self.fuzzy[:limit]))
        for message, problem in self.failures:
            lines.append(f"'{first_words(message)}': {problem}")
        return lines


def _lookup(catalog: Catalog) -> dict[tuple[str | None, str], object]:
    return {(m.context, m.id): m for m in active_messages(catalog) if isinstance(m.id, str)}


def review(leaflet: Leaflet, catalog: Catalog, locale: str, path: Path) -> Review:
    """Check ``catalog`` against the current ``leaflet``: completeness, fuzzy, checks, staleness."""
    report = Review(code=leaflet.meta.code, locale=locale, path=str(path))
    found = units(leaflet)
    ctx = contexts(found)
    wanted = {(ctx[(u.msgid, u.role)], u.msgid) for u in found}
    messages = _lookup(catalog)
    missing = wanted - set(messages)
    extra = [key for key, m in messages.items() if key not in wanted and not getattr(m, "obsolete", False)]
    if missing:
        report.stale.append(f"{len(missing)} message(s) of the current leaflet are not in the catalogue")
    if extra:
        report.stale.append(f"{len(extra)} message(s) in the catalogue are no longer in the leaflet")
    report.total = len(wanted)
    in_order = list(dict.fromkeys((ctx[(u.msgid, u.role)], u.msgid) for u in found))
    for key in (k for k in in_order if k in messages):
        message = messages[key]
        msgid = key[1]
        string = message.string if isinstance(message.string, str) else ""  # type: ignore[attr-defined]
        if not string:
            report.untranslated.append(msgid)
            continue
        if message.fuzzy:  # type: ignore[attr-defined]
            report.fuzzy.append(msgid)
        else:
            report.translated += 1
        for problem in check_message(msgid, string, locale, message.flags):  # type: ignore[attr-defined]
            report.failures.append((msgid, problem))
    checked_by = getattr(catalog, "header", lambda _: None)("X-Checked-By")
    report.checked_by = checked_by
    checked_on = getattr(catalog, "header", lambda _: None)("X-Checked-Date")
    if checked_on:
        try:
            report.checked_on = dt.date.fromisoformat(checked_on)
        except ValueError:
            raise LeafletError(str(path), f"X-Checked-Date {checked_on!r} is not a date (YYYY-MM-DD)") from None
    return report


def translate(leaflet: Leaflet, catalog: Catalog, locale: str, rev: Review, draft: bool = False) -> Leaflet:
    """The leaflet in ``locale``.  Without ``draft`` the catalogue must be buildable.

    In a draft, untranslated and fuzzy messages fall back to the English and the model
    is marked as a draft, so every exporter prints the draft notice.
    """
    if not draft and not rev.buildable:
        raise ValueError(f"catalogue {rev.path} is not buildable")
    ctx_of = contexts(units(leaflet))
    messages = _lookup(catalog)
    failing = {msgid for msgid, _ in rev.failures}

    def visit(unit: Unit, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        message = messages.get((ctx_of[(unit.msgid, unit.role)], unit.msgid))
        string = getattr(message, "string", "") if message is not None else ""
        if not string or getattr(message, "fuzzy", False) or unit.msgid in failing:
            return inlines  # only reachable in a draft: the English stands in
        try:
            return from_message(str(string), dict(unit.values))
        except MessageError:
            return inlines
    translated = walk(leaflet, visit)
    meta = replace(
        translated.meta,
        language=locale,
        direction="rtl" if direction(locale) == "rtl" else "ltr",
        translation=Translation(locale=locale, checked_by=rev.checked_by, checked_on=rev.checked_on, draft=draft),
    )
    return replace(translated, meta=meta)
