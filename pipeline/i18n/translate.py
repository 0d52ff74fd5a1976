"""Translate a leaflet model with a catalogue, after checking the catalogue is safe to issue.

:func:`review` reports on a catalogue against the *current* source leaflet;
:func:`translate` maps the source model to a translated model.  Exporters only ever
see the translated model; they never call gettext.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog

from pipeline.errors import LeafletError
from pipeline.i18n.catalogues import (
    CHECKED_BY,
    CHECKED_DATE,
    CHECKED_FINGERPRINT,
    SHARED_TRANSLATION,
    active_messages,
    direction,
    translation_fingerprint,
)
from pipeline.i18n.checks import check_message, language_warnings
from pipeline.i18n.messages import (
    MessageError,
    Unit,
    contexts,
    first_words,
    from_message,
    has_words,
    units,
    walk,
)
from pipeline.model import Inline, Leaflet, Translation


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
    """The qualified translator whose sign-off still matches the translations (else ``None``)."""
    checked_on: dt.date | None = None
    signoff_lapsed: str | None = None
    """Why a sign-off in the catalogue no longer counts (the translations changed after it)."""
    warnings: list[str] = field(default_factory=list)
    """What the checks could not do for this language (no number words in the data file)."""
    missing: int = 0
    """Messages of the current leaflet that are not in the catalogue at all (run 'make update')."""
    error: str | None = None
    """Why the catalogue could not be read (then nothing else is known)."""

    @property
    def buildable(self) -> bool:
        """True when the catalogue may be issued: readable, complete, nothing fuzzy, checks pass, current."""
        return not (self.error or self.untranslated or self.fuzzy or self.failures or self.stale)

    def state(self) -> str:
        """The one answer to "may this be issued?": ``ready``, ``ready-unchecked``, ``refused`` or ``unreadable``."""
        if self.error:
            return "unreadable"
        if not self.buildable:
            return "refused"
        return "ready" if self.checked_by else "ready-unchecked"

    @property
    def complete(self) -> bool:
        """True when every message of the current leaflet has a translation that is not fuzzy."""
        return not (self.untranslated or self.fuzzy)

    def checked_state(self) -> str:
        """``checked by NAME on DATE``, or why it is not checked, in words."""
        if self.checked_by:
            on = f" on {self.checked_on.isoformat()}" if self.checked_on else ""
            return f"checked by {self.checked_by}{on}"
        return self.signoff_lapsed or "not checked by a qualified translator"

    def problems(self, limit: int = 3) -> list[str]:
        """Lines saying what stops this locale being built, the first few messages of each kind."""
        lines: list[str] = []
        if self.error:
            return [f"the catalogue cannot be read: {self.error}"]
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


class Entry(NamedTuple):
    """What :func:`translate` needs of one catalogue message."""

    string: object
    fuzzy: bool
    lineno: int


Messages = dict[tuple[str | None, str], Entry]
"""A catalogue's messages as :func:`translate` reads them, by (context, English): a library's
thousands of catalogues held between checking and making are a fraction of Babel's objects."""


def messages_of(catalog: Catalog) -> Messages:
    """The messages of ``catalog`` that :func:`translate` uses, and only what it reads of them."""
    return {(m.context, m.id): Entry(m.string, m.fuzzy, m.lineno or 0)
            for m in active_messages(catalog) if isinstance(m.id, str)}


def copied(messages: list[tuple[str, str, bool]]) -> list[tuple[str, str]]:
    """(English, problem) for each translation identical to the translation of a different English message
    (a heading given its neighbour's translation), unless flagged ``shared-translation``.

    ``messages`` are (English, translation, flagged) in catalogue order; case and spacing do not count.
    """
    given: dict[str, list[tuple[str, bool]]] = {}
    for msgid, string, flagged in messages:
        if has_words(string):
            given.setdefault(" ".join(string.split()).casefold(), []).append((msgid, flagged))
    problems = []
    for sharing in given.values():
        englishes = list(dict.fromkeys(msgid for msgid, _ in sharing))
        for msgid, flagged in sharing:
            other = next((e for e in englishes if e != msgid), None)
            if other is not None and not flagged:
                problems.append((msgid, f"the same translation as '{first_words(other)}', a different English "
                                        "message: copied from it? If both are right, flag both "
                                        f"'{SHARED_TRANSLATION}'"))
    return problems


def review(leaflet: Leaflet, catalog: Catalog, locale: str, path: Path) -> Review:
    """Check ``catalog`` against the current ``leaflet``: completeness, fuzzy, checks, staleness."""
    report = Review(code=leaflet.meta.code, locale=locale, path=str(path))
    found = units(leaflet)
    ctx = contexts(found)
    wanted = {(ctx[(u.msgid, u.role)], u.msgid) for u in found}
    messages = _lookup(catalog)
    in_order = list(dict.fromkeys((ctx[(u.msgid, u.role)], u.msgid) for u in found))
    missing = [key for key in in_order if key not in messages]
    extra = [key for key, m in messages.items() if key not in wanted and not getattr(m, "obsolete", False)]
    report.missing = len(missing)
    if missing:
        report.stale.append(f"{len(missing)} message(s) of the current leaflet are not in the catalogue: "
                            + "; ".join(f"'{first_words(msgid)}'" for _, msgid in missing[:3]))
    if extra:
        report.stale.append(f"{len(extra)} message(s) in the catalogue are no longer in the leaflet: "
                            + "; ".join(f"'{first_words(msgid)}'" for _, msgid in extra[:3]))
    report.total = len(wanted)
    given: list[tuple[str, str, bool]] = []  # (English, translation, flagged shared) of each message
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
        given.append((msgid, string, SHARED_TRANSLATION in message.flags))  # type: ignore[attr-defined]
    report.failures += copied(given)
    report.warnings = language_warnings(locale)
    if getattr(catalog, "fuzzy", False):
        report.warnings.append(f"{path}: the header is marked '#, fuzzy': GNU gettext ignores such a header (its "
                               "charset and plural forms) and a sign-off in it does not count; remove the flag "
                               "once the header is right")
    _sign_off_state(report, catalog, path)
    return report


def _sign_off_state(report: Review, catalog: Catalog, path: Path) -> None:
    """A sign-off counts only while the translations are the ones that were checked."""
    header = getattr(catalog, "header", lambda _: None)
    checked_by, checked_on, fingerprint = header(CHECKED_BY), header(CHECKED_DATE), header(CHECKED_FINGERPRINT)
    if not checked_by:
        return
    if getattr(catalog, "fuzzy", False):
        report.signoff_lapsed = (f"NOT CHECKED: the sign-off by {checked_by} is in a header marked fuzzy, which "
                                 "does not count; remove the '#, fuzzy' flag from the header")
        return
    when = None
    if checked_on:
        try:
            when = dt.date.fromisoformat(checked_on)
        except ValueError:
            raise LeafletError(str(path), f"{CHECKED_DATE} {checked_on!r} is not a date (YYYY-MM-DD)") from None
    if fingerprint != translation_fingerprint(catalog):
        why = "have changed since" if fingerprint else "carry no fingerprint of what was checked in"
        report.signoff_lapsed = (f"NOT CHECKED: the translations {why} the sign-off by {checked_by}"
                                 f"{' on ' + checked_on if checked_on else ''}; run 'leaflet i18n sign-off' "
                                 "after a qualified translator has checked them again")
        return
    report.checked_by, report.checked_on = checked_by, when


def translate(leaflet: Leaflet, catalog: Catalog | Messages, locale: str, rev: Review, draft: bool = False) -> Leaflet:
    """The leaflet in ``locale``.  Without ``draft`` the catalogue must be buildable.

    ``catalog`` is the catalogue, or its :func:`messages_of`.

    In a draft, untranslated and fuzzy messages fall back to the English and the model
    is marked as a draft, so every exporter prints the draft notice.
    """
    if not draft and not rev.buildable:
        raise ValueError(f"catalogue {rev.path} is not buildable")
    ctx_of = contexts(units(leaflet))
    messages = catalog if isinstance(catalog, dict) else messages_of(catalog)
    failing = {msgid for msgid, _ in rev.failures}

    def visit(unit: Unit, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        message = messages.get((ctx_of[(unit.msgid, unit.role)], unit.msgid))
        string = getattr(message, "string", "") if message is not None else ""
        if not string or getattr(message, "fuzzy", False) or unit.msgid in failing:
            return inlines  # only reachable in a draft: the English stands in
        try:
            return from_message(str(string), dict(unit.values), (str(rev.path), getattr(message, "lineno", 0) or 0))
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
