"""Serving a patient's request: may this leaflet, in this language and format, be handed over now?

:func:`library` reads the leaflets; :func:`languages` says, per language, whether it
may be issued and, if not, why in words a team member can read out; :func:`offers`
adds the formats (ready, can be made now, or not available and why); :func:`serve`
makes one file (or re-uses a current one) and records it; :func:`recall` lists the
issued copies a correction affects.  The CLI prints; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pipeline
from pipeline.errors import LeafletError
from pipeline.exporters import Format
from pipeline.i18n.translate import Review
from pipeline.model import Leaflet
from pipeline.names import Entry, code_key
from pipeline.output import Manifest, Previous, sha256
from pipeline.records import Event, Issued, Records

log = logging.getLogger("pipeline")

DUE_SOON_DAYS = 90
"""``leaflet status`` lists leaflets whose next review is due within this many days."""


@dataclass
class Book:
    """One leaflet of the library, read."""

    path: str
    data: bytes
    leaflet: Leaflet

    @property
    def code(self) -> str:
        return self.leaflet.meta.code

    @property
    def title(self) -> str:
        return self.leaflet.meta.title

    @property
    def sha(self) -> str:
        return sha256(self.data)

    @property
    def entry(self) -> Entry:
        return Entry(self.code, self.title, self.path)

    @property
    def name(self) -> str:
        """``RAD_0102 (CT-guided lung biopsy)``."""
        return f"{self.code} ({self.title})"


def find(query: str, sources: list[str], out: Path) -> Book:
    """The leaflet ``query`` names (its code, or words of its title), read.

    At the desk, with a library of a thousand Word files, reading every one to find one
    takes many seconds.  When every source's stat is as when the last build hashed it and
    the build's index (``output/.sources.json``) has its code and title for those bytes,
    only the leaflet found is read; it is used only if what it really says (code, title,
    bytes) is what the index said.  Otherwise (a new or changed leaflet, no build yet, the
    index edited) every leaflet is read, as :func:`library` does.
    """
    from pipeline.names import find_leaflet

    found = _from_index(query, sources, out)
    if found is not None:
        return found
    books = library(sources)
    entry = find_leaflet(query, [b.entry for b in books])
    return next(b for b in books if b.path == entry.path)


def _from_index(query: str, sources: list[str], out: Path) -> Book | None:
    from pipeline.names import find_leaflet
    from pipeline.output import SourceIndex, trusted_stats
    from pipeline.readers import read_leaflet, read_source_bytes

    index = SourceIndex.load(out)
    entries: list[tuple[Entry, str]] = []
    with trusted_stats(out) as stats:
        for path in sources:
            digest, _ = stats.trusted(path)
            resolved = str(Path(path).resolve())
            known = index.lookup(resolved, digest) if digest is not None else None
            title = index.title(resolved, digest) if digest is not None else None
            if known is None or title is None or known[2]:
                return None  # not built yet, changed since, or a draft named from its file: read them all
            entries.append((Entry(known[0], title, path), digest or ""))
    if len({code_key(entry.code) for entry, _ in entries}) < len(entries):
        return None  # codes alike: read them all, to say so from what the leaflets really say
    try:
        entry = find_leaflet(query, [e for e, _ in entries])
    except LeafletError:
        return None  # no match, or several, by what the index says: decided from the leaflets themselves
    digest = next(d for e, d in entries if e.path == entry.path)
    try:
        data = read_source_bytes(entry.path)
        book = Book(entry.path, data, read_leaflet(entry.path, data))
    except LeafletError:
        return None
    if book.sha != digest or book.code != entry.code or book.title != entry.title:
        return None
    return book


def library(sources: Iterable[str]) -> list[Book]:
    """Every leaflet in ``sources`` that can be read and checked.

    At the desk, one broken file must not stop the request for a good one: a leaflet that
    cannot be read is named in one warning and left out, and the rest are served.
    """
    from pipeline.readers import read_leaflet, read_source_bytes

    books = []
    for path in sources:
        try:
            data = read_source_bytes(path)
            books.append(Book(path, data, read_leaflet(path, data)))
        except LeafletError as exc:
            log.warning("%s; left out (the other leaflets are served)", exc)
    groups: dict[str, list[Book]] = {}
    for book in books:
        groups.setdefault(code_key(book.code), []).append(book)
    for group in (g for g in groups.values() if len(g) > 1):
        log.warning("leaflet codes that differ only in case or separators: %s; a request must type the code "
                    "exactly, and 'make' refuses them until each has its own code",
                    "; ".join(f"{b.code} ({b.path})" for b in group))
    return books


@dataclass
class Language:
    """One language a leaflet exists in, and whether it may be issued."""

    locale: str
    name: str
    """The language's English name: ``Polish``."""
    review: Review | None = None
    """The catalogue's review; ``None`` for the leaflet's own language."""
    catalogue: Path | None = None
    catalogue_data: bytes | None = None

    @property
    def catalogue_sha(self) -> str:
        """SHA-256 of the catalogue file, ``""`` for the leaflet's own language."""
        return sha256(self.catalogue_data) if self.catalogue_data is not None else ""

    @property
    def may_issue(self) -> Literal["yes", "unchecked", "no"]:
        """``yes``; ``unchecked`` (only with the override, the file carrying the notice); ``no``."""
        if self.review is None:
            return "yes"
        state = self.review.state()
        return "yes" if state == "ready" else "unchecked" if state == "ready-unchecked" else "no"

    def why_not(self) -> str:
        """Why this translation may not be issued, in one sentence (``""`` when it may)."""
        rev = self.review
        if rev is None or rev.buildable:
            return ""
        if rev.error:
            return f"its catalogue file cannot be read ({rev.error})"
        reasons = []
        if rev.stale or rev.missing:
            changed = rev.missing + len(rev.fuzzy)
            reasons.append("the English leaflet has changed since it was translated"
                           + (f" ({changed} message(s) new or changed)" if changed else ""))
        elif rev.fuzzy:
            reasons.append(f"{len(rev.fuzzy)} message(s) changed in English wait for the translator to check them")
        if rev.untranslated:
            reasons.append(f"it is incomplete: {len(rev.untranslated)} of {rev.total} message(s) are not "
                           "translated yet")
        if rev.failures:
            examples = "; ".join(f"'{m[:40]}': {p}" for m, p in rev.failures[:2])
            reasons.append(f"it fails {len(rev.failures)} safety check(s) ({examples})")
        return "; ".join(reasons)

    def checked(self) -> str:
        """``checked by NAME on DATE`` or why not; ``original`` for the leaflet's own language."""
        return "original" if self.review is None else self.review.checked_state()


def languages(book: Book, locales_dir: Path) -> list[Language]:
    """The leaflet's own language, then each catalogue in ``locales/LINGUAS`` that exists for it."""
    from pipeline.i18n.catalogues import english_language_name, linguas, po_path, read_catalog
    from pipeline.i18n.translate import review

    source_locale = book.leaflet.meta.source_language
    found = [Language(source_locale, english_language_name(source_locale))]
    listed = linguas(locales_dir) if (locales_dir / "LINGUAS").exists() else []
    for locale in listed:
        path = po_path(book.code, locale, locales_dir)
        if locale == source_locale or not path.exists():
            continue
        lang = Language(locale, english_language_name(locale), catalogue=path)
        try:
            lang.catalogue_data = path.read_bytes()
            lang.review = review(book.leaflet, read_catalog(path, locale, lang.catalogue_data), locale, path)
        except (LeafletError, OSError) as exc:
            lang.review = Review(code=book.code, locale=locale, path=str(path), error=str(exc))
        found.append(lang)
    return found


def review_due(book: Book, today: dt.date) -> tuple[Literal["overdue", "due-soon", "ok", "unknown"], str]:
    """Whether the leaflet's review is overdue or due within :data:`DUE_SOON_DAYS`, and a sentence saying so."""
    due = book.leaflet.meta.next_review
    if due is None:
        return "unknown", "no 'next review due' date found in the leaflet"
    from pipeline.readers.dates import MonthYear, ends, shown

    if ends(due) < today:
        return "overdue", f"the next review was due {shown(due)}"
    if (due - today).days <= DUE_SOON_DAYS:
        when = "this month" if due <= today else f"in {(due - today).days} days"
        return "due-soon", f"the next review is due {shown(due)}" + (
            f", {when}" if isinstance(due, MonthYear) or due > today else "")
    return "ok", f"next review due {shown(due)}"


@dataclass
class Offer:
    """One language and format of a leaflet: ready (a current file), can be made now, or not available."""

    language: Language
    fmt: Format
    target: Path
    state: Literal["ready", "can-make", "unavailable"]
    why: str = ""
    drafts: list[Path] = field(default_factory=list)
    """Current draft files (not for patients), for the catalogue page."""


def offers(book: Book, langs: list[Language], formats: Iterable[Format], out: Path) -> list[Offer]:
    """Every language x format of ``book`` with its state."""
    from pipeline.build import planned

    found = []
    formats = list(formats)
    for lang in langs:
        folder = out / book.code / lang.locale
        manifest = Manifest.load(folder)
        for fmt in formats:
            target, key = planned(folder, book.code, lang.locale, fmt, book.sha, lang.catalogue_sha)
            draft, draft_key = planned(folder, book.code, lang.locale, fmt, book.sha, lang.catalogue_sha, True)
            drafts = [draft] if manifest.up_to_date(draft, draft_key) else []
            if lang.may_issue == "no":
                offer = Offer(lang, fmt, target, "unavailable", lang.why_not(), drafts)
            elif why := fmt.unavailable(lang.locale):
                offer = Offer(lang, fmt, target, "unavailable", why, drafts)
            elif manifest.up_to_date(target, key):
                offer = Offer(lang, fmt, target, "ready", "", drafts)
            else:
                stale = "the file there is out of date" if target.exists() else ""
                offer = Offer(lang, fmt, target, "can-make", stale, drafts)
            found.append(offer)
    return found


@dataclass
class Overrides:
    """What the team member chose to allow, and why (recorded with the issue)."""

    allow_unchecked: bool = False
    allow_overdue: bool = False
    reason: str | None = None
    allow_previous: bool = False
    """Issue the last good translation when the current one may not be (the English changed, the catalogue
    broke): needs a reason; what changed in the English since is shown first and the copy is recorded as such."""

    no_ref: bool = False
    """Issued without a reference (``--no-ref``): recorded, and flagged on every recall list, since such a
    copy cannot be traced to its patient."""

    def recorded(self, used: list[str]) -> list[dict[str, str]]:
        return [{"override": name, "reason": self.reason or ""} for name in [*used, *(["no-ref"] * self.no_ref)]]


class Refused(Exception):
    """The request may not be served; the message is one paragraph to read out (exit 1)."""


def blockers(book: Book, lang: Language, fmt: Format, overrides: Overrides,
             today: dt.date, previous: Previous | None = None) -> tuple[list[str], list[str]]:
    """Why the request may not be served (sentences), and the overrides it uses.

    ``previous``: the last good translation kept for this leaflet and language, if any.
    """
    reasons: list[str] = []
    used: list[str] = []
    what = f"The {lang.name} version of {book.name}" if lang.review else book.name
    if book.leaflet.meta.provisional_code:
        reasons.append(f"{book.path} has no leaflet code, so nothing made from it can be traced or recalled: "
                       "add a line 'Leaflet code: ABC_0123' at its end (or 'code:' in front matter) first.")
    for reason in book.leaflet.meta.unfinished:
        reasons.append(f"{book.path} is not final ({reason}): its files are drafts until then.")
    if book.leaflet.meta.provisional_title:
        reasons.append(f"{book.path} has no title line (its files are drafts): put the leaflet's title on its "
                       "first line ('# Title' in Markdown) first.")
    kept = previous is not None and previous.file(fmt.name) is not None and previous.texts() is not None
    if lang.may_issue == "no" and overrides.allow_previous and kept and overrides.reason:
        used.append("allow-previous-translation")
        assert previous is not None
        if _previous_checker(previous, lang.locale) is None:
            if overrides.allow_unchecked:
                used.append("allow-unchecked")
            else:
                reasons.append(f"The previous {lang.name} translation of {book.name} was not checked by a qualified "
                               "translator: add --allow-unchecked as well (recorded; the file says so).")
    elif lang.may_issue == "no" and overrides.allow_previous:
        reasons.append(f"{what} cannot be issued: {lang.why_not()}. "
                       + ("--allow-previous-translation needs --reason 'why' (recorded)." if kept else
                          f"No earlier {fmt.name} of it was kept (a translation's files are kept once built), so "
                          "there is no previous translation to issue."))
    elif lang.may_issue == "no":
        earlier = (" The last good translation (made for an earlier English) can be issued with "
                   "--allow-previous-translation --reason 'why' (with make: ALLOW_PREVIOUS=1 REASON='why'): "
                   "what changed since is shown first, and it is recorded.") if kept else ""
        reasons.append(f"{what} cannot be issued: {lang.why_not()}. A translator must put this right first; "
                       f"until then offer the English version with an interpreter.{earlier}")
    if why := fmt.unavailable(lang.locale):
        reasons.append(f"The {fmt.name} format cannot be made in {lang.name} here: {why}.")
    state, when = review_due(book, today)
    if state == "overdue":
        if overrides.allow_overdue and overrides.reason:
            used.append("allow-overdue")
        else:
            reasons.append(f"{book.name} is past its review date ({when}): it may be out of date. Have it "
                           "reviewed, or if the patient needs it now, add --allow-overdue --reason 'why' (with "
                           "make: ALLOW_OVERDUE=1 REASON='why'); the reason is recorded.")
    if lang.may_issue == "unchecked":
        if overrides.allow_unchecked:
            used.append("allow-unchecked")
        else:
            reasons.append(f"{what} has not been checked by a qualified translator, so it may contain "
                           "mistakes that no automatic check can find (a wrong word, a changed meaning). It "
                           "can be issued only with --allow-unchecked (with make: ALLOW_UNCHECKED=1); that is "
                           "recorded, and the file says on its first page that it is not checked.")
    return reasons, used


@dataclass
class Served:
    """A request served: the file to hand over and its record."""

    path: Path
    row: Issued
    reused: bool
    changes: list[str] = field(default_factory=list)
    """For a previous translation: what changed in the English since it was made, by section."""


def serve(book: Book, lang: Language, fmt: Format, *, out: Path, locales_dir: Path, records: Records,
          overrides: Overrides, ref: str | None, by: str | None = None, today: dt.date | None = None) -> Served:
    """Make (or re-use) one file for a patient and record it; :class:`Refused` says why not.

    Nothing else in ``out`` is changed.  The file is handed over (returned) only once the
    record is committed.
    """
    from pipeline.build import build, planned

    previous = Previous.load(out, book.code, lang.locale) if lang.review is not None else None
    reasons, used = blockers(book, lang, fmt, overrides, today or dt.date.today(), previous)
    if reasons:
        raise Refused(" ".join(reasons))
    if "allow-previous-translation" in used:
        assert previous is not None
        return _serve_previous(book, lang, fmt, previous, records, overrides.recorded(used), ref, by)
    folder = out / book.code / lang.locale
    target, key = planned(folder, book.code, lang.locale, fmt, book.sha, lang.catalogue_sha)
    # A file is handed over again only when it still has the bytes the desk itself made for
    # this source, catalogue, format and pipeline (kept in the record, not in output/);
    # anything else (made by `make`, or changed since) is made again now.
    trusted = records.made(key)
    current = _current(folder, target, key, trusted) if trusted is not None else None
    made = current is None
    if current is None:
        result = build([book.path], [fmt], out, locales_dir, wanted_locales=[lang.locale], tidy=False, force=True)
        for _, _, _, why in result.unavailable:
            raise Refused(f"The {fmt.name} format could not be made in {lang.name}: {why}.")
        if result.refused:
            raise Refused(f"{book.name} in {lang.name} cannot be issued: " + "; ".join(result.refused[0].reasons))
        current = _current(folder, target, key, None)
        if current is None:
            # The leaflet or its catalogue changed on disk while the request was being made.
            raise LeafletError(book.path, "the leaflet or its translation changed while the file was being made; "
                                          "run the request again")
    data, entry = current
    meta = book.leaflet.meta
    rev = lang.review
    options: dict[str, object] = {}
    if fmt.profile is not None:
        options["point_size"] = fmt.profile.body_pt
    if fmt.speech:  # the voice that speaks it (the read-along book: or none)
        options["engine"] = entry.get("engine")
    row = Issued(
        leaflet_code=book.code, title=book.title, source_path=book.path, source_sha256=book.sha,
        last_reviewed=meta.reviewed.isoformat() if meta.reviewed else None,
        next_review=meta.next_review.isoformat() if meta.next_review else None,
        locale=lang.locale, language=lang.name,
        catalogue_path=str(lang.catalogue) if lang.catalogue else None,
        catalogue_sha256=lang.catalogue_sha or None,
        translator_check="source" if rev is None else ("checked" if rev.checked_by else "unchecked"),
        checked_by=rev.checked_by if rev else None,
        checked_on=rev.checked_on.isoformat() if rev and rev.checked_on else None,
        format=fmt.name, options=options, output_path=str(target), output_sha256=sha256(data),
        overrides=overrides.recorded(used), ref=ref, issued_by=by, pipeline_version=pipeline.__version__,
    )
    texts = {book.sha: ("source", book.data)}
    if lang.catalogue_data is not None:
        texts[lang.catalogue_sha] = ("catalogue", lang.catalogue_data)
    records.add(row, texts, made=key if made else None)
    return Served(target, row, reused=not made)


def _previous_checker(previous: Previous, locale: str) -> str | None:
    """Who signed off the catalogue the previous files were made from (None: nobody, or it changed since)."""
    from pipeline.i18n.catalogues import CHECKED_BY, read_catalog
    from pipeline.i18n.memory import signed_off

    texts = previous.texts()
    if texts is None:
        return None
    try:
        catalog = read_catalog(previous.folder / "catalogue.po", locale, texts[1])
    except LeafletError:
        return None
    return str(catalog.header(CHECKED_BY)) if signed_off(catalog) else None


def _serve_previous(book: Book, lang: Language, fmt: Format, previous: Previous, records: Records,
                    overrides: list[dict[str, str]], ref: str | None, by: str | None) -> Served:
    """Hand over the last good translation (made for an earlier English), recorded as what it is: its row holds
    the English and catalogue it was made from, so every recall list finds it."""
    from pipeline.readers import read_leaflet

    kept, texts = previous.file(fmt.name), previous.texts()
    if kept is None or texts is None:
        raise Refused(f"The previous {lang.name} {fmt.name} of {book.name} is no longer intact; it cannot be issued.")
    path, data = kept
    source_data, catalogue_data = texts
    state = previous.state
    source_path = str(state.get("source_path") or book.path)
    try:
        old = read_leaflet(source_path, source_data)
        changes = (["(none: the English is the same; the current catalogue is what cannot be used)"]
                   if state["source_sha"] == book.sha else
                   _diff(_sections(old), _sections(book.leaflet)) or ["(only the layout or markup changed)"])
    except LeafletError as exc:
        old, changes = None, [f"(the English it was made from can no longer be read: {exc.message})"]
    meta = (old or book.leaflet).meta
    checker = _previous_checker(previous, lang.locale)
    row = Issued(
        leaflet_code=book.code, title=book.title, source_path=book.path, source_sha256=str(state["source_sha"]),
        last_reviewed=meta.reviewed.isoformat() if meta.reviewed else None,
        next_review=meta.next_review.isoformat() if meta.next_review else None,
        locale=lang.locale, language=lang.name,
        catalogue_path=str(previous.folder / "catalogue.po"), catalogue_sha256=str(state["catalogue_sha"]),
        translator_check="checked" if checker else "unchecked", checked_by=checker, checked_on=None,
        format=fmt.name, options={"previous_translation": state.get("made", "")}, output_path=str(path),
        output_sha256=sha256(data), overrides=overrides, ref=ref, issued_by=by, pipeline_version=pipeline.__version__,
    )
    records.add(row, {str(state["source_sha"]): ("source", source_data),
                      str(state["catalogue_sha"]): ("catalogue", catalogue_data)}, made=None)
    return Served(path, row, reused=True, changes=changes)


def _current(folder: Path, target: Path, key: str, sha: str | None) -> tuple[bytes, dict[str, Any]] | None:
    """``target``'s bytes and manifest entry if the manifest says it was made under ``key`` and (given
    ``sha``) it has those bytes."""
    manifest = Manifest.load(folder)
    if not manifest.up_to_date(target, key):
        return None
    try:
        data = target.read_bytes()
    except OSError:
        return None
    if sha is not None and sha256(data) != sha:
        return None
    return data, manifest.files[manifest.name(target)]


@dataclass
class Recalled:
    """An issued copy that a correction affects."""

    row: Issued
    why: list[str]
    """What differs: the leaflet, the translation, or both."""
    changes: list[str]
    """What changed, by section, where the old text is kept in the record."""
    state: str = "open"
    """``open``, ``replaced by issue N``, ``resolved: why (by whom, when)`` or ``void: why (...)``."""

    @property
    def open(self) -> bool:
        """True while something must still be done: the patient has not been given a corrected copy or told."""
        return self.state == "open"


def issue_state(row: Issued, events: dict[int, list[Event]], replaced_by: int | None = None) -> str:
    """What became of an issued copy: ``open``, ``replaced by issue N``, ``resolved: ...`` or ``void: ...``.

    A void entry wins (the copy was recorded in error); then a resolution by hand; then a
    later copy of the current version to the same reference.
    """
    from pipeline.records import local_time

    entries = {e.kind: e for e in events.get(row.id or 0, [])}
    for kind in ("void", "resolved"):
        if kind in entries:
            e = entries[kind]
            return f"{kind}: {e.reason} ({e.by}, {local_time(e.at)})"
    return f"replaced by issue {replaced_by}" if replaced_by else "open"


def to_put_right(path: Path, books: list[Book], locales_dir: Path) -> dict[str, int]:
    """Per leaflet code, how many issued copies came from an older version and are still open (not
    replaced, resolved or void): what ``make``, ``status`` and ``index.html`` remind the team of.
    Empty when there is no record, or it cannot be read (``requests`` says why)."""
    from pipeline.records import RecordError

    if not path.exists():
        return {}
    found: dict[str, int] = {}
    try:
        with Records(path, create=False) as records:
            issued = records.codes()
            for book in (b for b in books if b.code in issued):
                count = sum(item.open for item in recall(records, book, languages(book, locales_dir), changes=False))
                if count:
                    found[book.code] = count
    except RecordError:
        return {}
    return found


def recall(records: Records, book: Book, langs: list[Language], changes: bool = True) -> list[Recalled]:
    """Every issued copy of ``book`` made from a source or catalogue other than the current one, with what
    became of it (:func:`issue_state`): a copy is resolved when the current version was issued later to
    the same reference, or by hand (``requests --resolved N``)."""
    current = {lang.locale: lang for lang in langs}
    events = records.events()
    found = []
    rows = records.rows(leaflet=book.code)
    for row in rows:
        why: list[str] = []
        said: list[str] = []
        if row.source_sha256 != book.sha:
            why.append("the leaflet has changed since")
            old = records.text(row.source_sha256) if changes else None
            said += _source_changes(book, old) if old is not None else [
                "(the old leaflet text is not in the record)"] if changes else []
        lang = current.get(row.locale)
        if row.catalogue_sha256 is not None:
            if lang is None or lang.catalogue_data is None:
                why.append("the translation has been withdrawn")
            elif row.catalogue_sha256 != lang.catalogue_sha:
                why.append("the translation has changed since")
                old = records.text(row.catalogue_sha256) if changes else None
                said += _catalogue_changes(lang, old) if old is not None else [
                    "(the old translation is not in the record)"] if changes else []
        if why:
            found.append(Recalled(row, why, said))
    stale = {item.row.id for item in found}
    for item in found:
        later = next((r.id for r in rows if r.id is not None and item.row.id is not None and r.id > item.row.id
                      and r.id not in stale and item.row.ref and r.ref == item.row.ref and r.locale == item.row.locale
                      and "void" not in {e.kind for e in events.get(r.id, [])}), None)
        item.state = issue_state(item.row, events, later)
    return found


def _rendered(msgid: str, values: tuple[tuple[str, str], ...]) -> str:
    filled = dict(values)
    return re.sub(r"\{(\w+)\}", lambda m: filled.get(m.group(1), m.group(0)), msgid)


def _sections(leaflet: Leaflet) -> dict[str, list[str]]:
    from pipeline.i18n.messages import units

    found: dict[str, list[str]] = {}
    for unit in units(leaflet):
        found.setdefault(unit.section or "(title)", []).append(_rendered(unit.msgid, unit.values))
    meta = leaflet.meta
    from pipeline.readers.dates import shown

    details = [f"Last reviewed: {shown(meta.reviewed) if meta.reviewed else None}",
               f"Next review due: {shown(meta.next_review) if meta.next_review else None}"]
    details += [f"Contact: {c.label}, {c.phone}" + (f" ({c.hours})" if c.hours else "") for c in meta.contacts]
    found["(leaflet details)"] = details
    return found


def _diff(old: dict[str, list[str]], new: dict[str, list[str]]) -> list[str]:
    from pipeline.i18n.messages import first_words

    lines = []
    for section in dict.fromkeys([*new, *old]):
        before, after = old.get(section, []), new.get(section, [])
        removed = [t for t in before if t not in after]
        added = [t for t in after if t not in before]
        if not (removed or added):
            continue
        if not before:
            lines.append(f"section '{section}' added")
            continue
        if not after:
            lines.append(f"section '{section}' removed")
            continue
        parts = [f"now '{first_words(t, 10)}'" for t in added[:3]]
        parts += [f"was '{first_words(t, 10)}'" for t in removed[:3]]
        lines.append(f"section '{section}': " + "; ".join(parts))
    return lines


def _source_changes(book: Book, old_data: bytes) -> list[str]:
    from pipeline.readers import read_leaflet

    try:
        old = read_leaflet(book.path, old_data)
    except LeafletError as exc:
        return [f"(the old leaflet can no longer be read: {exc.message})"]
    return _diff(_sections(old), _sections(book.leaflet)) or ["(only the layout or markup changed)"]


def _catalogue_changes(lang: Language, old_data: bytes) -> list[str]:
    from pipeline.i18n.catalogues import active_messages, read_catalog
    from pipeline.i18n.messages import first_words

    assert lang.catalogue is not None and lang.catalogue_data is not None
    try:
        old = read_catalog(lang.catalogue, lang.locale, old_data)
        new = read_catalog(lang.catalogue, lang.locale, lang.catalogue_data)
    except LeafletError as exc:
        return [f"(a translation can no longer be read: {exc.message})"]
    before = {(m.context, m.id): m.string for m in active_messages(old)}
    lines = []
    for message in active_messages(new):
        was = before.get((message.context, message.id))
        if message.id and was != message.string:
            section = next((c.partition(" in: ")[2] for c in message.auto_comments if " in: " in c), "")
            where = f"section '{section}': " if section else ""
            lines.append(f"{where}translation of '{first_words(str(message.id), 8)}' changed")
    return lines or ["(only the catalogue's header or comments changed)"]
