"""The catalogue workflow behind ``leaflet i18n extract|update|compile|status`` and ``leaflet check``."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from pipeline.errors import LeafletError
from pipeline.i18n.catalogues import (
    _Catalog,
    catalog_bytes,
    compile_catalog,
    linguas,
    mo_path,
    new_catalog,
    po_path,
    pot_path,
    read_catalog,
    sign_off,
    update_catalog,
)
from pipeline.i18n.extract import template
from pipeline.i18n.translate import Review, review
from pipeline.model import Leaflet
from pipeline.output import Manifest, write_atomic
from pipeline.readers import read_leaflet

_UNSTABLE_HEADERS = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')


def _signature(data: bytes) -> bytes:
    """PO text without the header lines that change with the clock or a tool's version.

    A catalogue whose messages did not change is not written again, so ``make extract`` and
    ``make update`` leave the files (and a translator's repository) as they are.
    """
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(_UNSTABLE_HEADERS))


def _write_catalogue(path: Path, catalog: Catalog, locale: str | None) -> bool:
    """Write ``catalog`` to ``path`` unless only its clock or tool lines would change; True if written.

    The one way a catalogue is written.  What would be written is read back with the strict
    reader first and must hold the same messages and header: otherwise nothing is replaced
    (a translator's file is never swapped for one the next build would refuse).
    """
    data = catalog_bytes(catalog)
    try:
        back = read_catalog(path, locale, data)
    except LeafletError as exc:
        raise LeafletError(str(path), f"not written: the new text would not read back ({exc.message}); the file "
                                      "is left as it was") from None
    if _content(back) != _content(catalog):
        raise LeafletError(str(path), "not written: the new text reads back differently from what was meant; "
                                      "the file is left as it was")
    if path.exists() and _signature(path.read_bytes()) == _signature(data):
        return False
    write_atomic(path, data)
    return True


def _content(catalog: Catalog) -> tuple[object, ...]:
    """What a catalogue says: its header fields and each message, with its flags."""
    headers = tuple((k, v) for k, v in catalog.mime_headers if k not in ("POT-Creation-Date", "PO-Revision-Date"))
    messages = tuple((m.context, m.id, m.string, tuple(sorted(m.flags)), obsolete)
                     for obsolete, group in ((False, list(catalog)), (True, list(catalog.obsolete.values())))
                     for m in group if m.id)
    return headers, messages


def extract(sources: list[str], locales_dir: Path) -> list[tuple[Path, bool]]:
    """Write ``locales/<CODE>.pot`` for each source; returns (path, changed) pairs."""
    from pipeline import labels

    done = []
    for source in sources:
        leaflet = read_leaflet(source)
        path = pot_path(leaflet.meta.code, locales_dir)
        done.append((path, _write_catalogue(path, template(leaflet, source), None)))
    path = pot_path(labels.DOMAIN, locales_dir)
    done.append((path, _write_catalogue(path, labels.template(), None)))
    return done


@dataclass
class Updated:
    """One catalogue touched by ``update``."""

    path: Path
    created: bool
    changed: bool
    newly_fuzzy: list[str]
    from_memory: list[str] = field(default_factory=list)
    """Messages filled from another leaflet's translation (to review unless both are signed off)."""


def update(sources: list[str], locales_dir: Path) -> list[Updated]:
    """Create or update every leaflet's PO for every locale in ``locales/LINGUAS``."""
    from pipeline.i18n.memory import Memory, memory_for

    results = []
    memories: dict[str, Memory] = {}
    for source in sources:
        leaflet = read_leaflet(source)
        pot = template(leaflet, source)
        _write_catalogue(pot_path(leaflet.meta.code, locales_dir), pot, None)
        for locale in linguas(locales_dir):
            memory = memories.get(locale) or memories.setdefault(locale, memory_for(locale, locales_dir))
            results.append(_refresh(po_path(leaflet.meta.code, locale, locales_dir), pot, locale,
                                    functools.partial(_from_memory, code=leaflet.meta.code, memory=memory)))
    results += _update_labels(locales_dir)
    return results


def _from_memory(catalog: Catalog, *, code: str, memory: object) -> list[str]:
    from pipeline.i18n.memory import Memory, fill

    assert isinstance(memory, Memory)
    return fill(catalog, code, memory)


def _refresh(path: Path, pot: Catalog, locale: str, fill: Callable[[Catalog], list[str]] | None) -> Updated:
    """Make ``path`` from ``pot``, or bring it up to date; ``fill`` then fills what it can (the memory)."""
    created = not path.exists()
    catalog = new_catalog(pot, locale) if created else read_catalog(path, locale)
    fuzzy = [] if created else [str(m.id) for m in update_catalog(catalog, pot)]
    remembered = fill(catalog) if fill is not None else []
    changed = _write_catalogue(path, catalog, locale)
    return Updated(path, created, created or changed, fuzzy, remembered)


def _update_labels(locales_dir: Path) -> list[Updated]:
    """The labels' template and each listed language's labels catalogue, made or brought up to date."""
    from pipeline import labels

    pot = labels.template()
    _write_catalogue(pot_path(labels.DOMAIN, locales_dir), pot, None)
    results = [_refresh(po_path(labels.DOMAIN, locale, locales_dir), pot, locale, None)
               for locale in linguas(locales_dir)]
    labels.load(locales_dir)
    return results


def sign_off_catalogue(sources: list[str], code: str, locale: str, locales_dir: Path, *, name: str,
                       qualification: str, date: dt.date) -> tuple[Path, Review]:
    """Sign off ``code``'s ``locale`` catalogue if it may be issued; returns its path and review.

    The catalogue is written only when the review finds it complete, current and passing
    every check; otherwise it is left as it is and the review says why.
    """
    leaflet, path, catalog, rev = _reviewed(sources, code, locale, locales_dir)
    if rev.buildable:
        sign_off(catalog, name, qualification, date)
        _write_catalogue(path, catalog, locale)
        rev = review(leaflet, read_catalog(path, locale), locale, path)
    return path, rev


def compile_all(sources: list[str], locales_dir: Path, mo_dir: Path) -> list[Path]:
    """Compile every catalogue to an MO file under ``mo_dir``."""
    written = []
    for leaflet, locale, path in _catalogues(sources, locales_dir):
        target = mo_path(leaflet.meta.code, locale, mo_dir)
        write_atomic(target, compile_catalog(read_catalog(path, locale)))
        written.append(target)
    return written


def _catalogues(sources: list[str], locales_dir: Path) -> list[tuple[Leaflet, str, Path]]:
    found = []
    for source in sources:
        leaflet = read_leaflet(source)
        for locale in linguas(locales_dir):
            path = po_path(leaflet.meta.code, locale, locales_dir)
            if path.exists():
                found.append((leaflet, locale, path))
    return found


def reviews(sources: list[str], locales_dir: Path) -> list[Review]:
    """A :class:`Review` of every catalogue of every source; one that cannot be read says why."""
    found = []
    for leaflet, locale, path in _catalogues(sources, locales_dir):
        try:
            found.append(review(leaflet, read_catalog(path, locale), locale, path))
        except LeafletError as exc:
            found.append(Review(code=leaflet.meta.code, locale=locale, path=str(path), error=str(exc)))
    return found


def word_counts(sources: list[str], locales_dir: Path) -> dict[tuple[str, str], object]:
    """(leaflet code, locale) -> :class:`pipeline.i18n.memory.Count` for every leaflet and listed locale.

    A message met again in the same request (this catalogue, or an earlier leaflet of the list)
    counts as repeated, and one another leaflet has translated as from memory, as a CAT tool's
    analysis would count them.
    """
    from pipeline.i18n.memory import count, memory_for
    from pipeline.i18n.messages import contexts, units

    counts: dict[tuple[str, str], object] = {}
    english = []
    for source in sources:
        leaflet = read_leaflet(source)
        found = units(leaflet)
        ctx = contexts(found)
        english.append((leaflet.meta.code, list(dict.fromkeys((ctx[(u.msgid, u.role)], u.msgid) for u in found))))
    for locale in linguas(locales_dir):
        memory = memory_for(locale, locales_dir)
        seen: set[str] = set()
        for code, messages in english:
            path = po_path(code, locale, locales_dir)
            try:
                catalog = read_catalog(path, locale) if path.exists() else None
            except LeafletError:
                catalog = None
            counts[(code, locale)] = count(messages, catalog, code, memory, seen)
    return counts


def status_rows(sources: list[str], locales_dir: Path, out: Path) -> list[dict[str, object]]:
    """One row per leaflet and locale, for ``leaflet i18n status``."""
    from pipeline.i18n.memory import Count

    counts = word_counts(sources, locales_dir)
    rows = []
    for rev in reviews(sources, locales_dir):
        words = counts.get((rev.code, rev.locale))
        assert words is None or isinstance(words, Count)
        folder = out / rev.code / rev.locale
        files = Manifest.load(folder).files
        built = sorted({str(entry.get("format")) + ("(draft)" if entry.get("draft") else "")
                        for name, entry in files.items() if (folder / name).exists()})
        rows.append({
            "leaflet": rev.code,
            "locale": rev.locale,
            "state": rev.state(),
            "why": rev.problems(),
            "translated_percent": round(100 * rev.translated / rev.total) if rev.total else 0,
            "total": rev.total,
            "translated": rev.translated,
            "fuzzy": len(rev.fuzzy),
            "untranslated": len(rev.untranslated),
            "not_in_catalogue": rev.missing,
            "check_failures": len(rev.failures),
            "stale": bool(rev.stale),
            "checked_by": rev.checked_by,
            "checked": rev.checked_state(),
            "signoff_lapsed": rev.signoff_lapsed is not None,
            "built": built,
            "words_new": words.new if words else None,
            "words_fuzzy": words.fuzzy if words else None,
            "words_repeated": words.repeated if words else None,
            "words_memory": words.memory if words else None,
            "words_translated": words.translated if words else None,
            "words_total": words.total if words else None,
        })
    return rows


def _leaflet_for(sources: list[str], code: str) -> Leaflet:
    """The leaflet whose code is ``code``: typed exactly wins; codes that differ only in case or separators are
    not guessed between."""
    from pipeline.names import Entry, UnknownName, find_leaflet, same_code

    candidates = [(s, lf) for s, lf in ((s, read_leaflet(s)) for s in sources) if same_code(lf.meta.code, code)]
    if not candidates:
        raise LeafletError(code, "no leaflet with this code in the sources")
    try:
        chosen = find_leaflet(code, [Entry(lf.meta.code, lf.meta.title, s) for s, lf in candidates])
    except UnknownName as exc:
        raise LeafletError(code, exc.message) from None
    return next(lf for s, lf in candidates if s == chosen.path)


def _reviewed(sources: list[str], code: str, locale: str, locales_dir: Path
              ) -> tuple[Leaflet, Path, _Catalog, Review]:
    """``code``'s leaflet, its ``locale`` catalogue (path and contents) and the catalogue's review."""
    leaflet = _leaflet_for(sources, code)
    path = po_path(leaflet.meta.code, locale, locales_dir)
    if not path.exists():
        raise LeafletError(str(path), f"no {locale} catalogue for {leaflet.meta.code}: run make update first")
    catalog = read_catalog(path, locale)
    return leaflet, path, catalog, review(leaflet, catalog, locale, path)


def exchange_file(sources: list[str], code: str, locale: str, locales_dir: Path, fmt: str) -> tuple[str, bytes]:
    """The ``fmt`` exchange file (XLIFF, Word table) of ``code``'s ``locale`` catalogue: (file name, bytes)."""
    from pipeline.i18n.catalogues import direction
    from pipeline.i18n.exchange import FORMATS, Header, english_fingerprint, exchange_units

    leaflet, path, catalog, rev = _reviewed(sources, code, locale, locales_dir)
    if rev.stale:
        raise LeafletError(str(path), "the catalogue is not up to date with the leaflet: run make update first, "
                                      "so the agency translates the current English")
    found = exchange_units(leaflet, catalog, locale, bool(rev.checked_by), direction(locale))
    header = Header(leaflet.meta.code, locale, english_fingerprint([(u.context or None, u.english) for u in found]),
                    leaflet.meta.title)
    return f"{leaflet.meta.code}-{locale}{FORMATS[fmt].suffix}", FORMATS[fmt].write(header, found)


def import_exchange(sources: list[str], file: Path, locales_dir: Path, *, dry_run: bool = False
                    ) -> tuple[Path, object]:
    """Take an exchange file's translations into its catalogue; returns (catalogue path, :class:`Imported`).

    Nothing is written when the file is refused; a unit that fails is left as it was.
    """
    from pipeline.i18n.catalogues import direction
    from pipeline.i18n.exchange import FORMATS, apply, exchange_units, suffix_format

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise LeafletError(str(file), f"cannot be read ({exc.strerror})") from None
    returned = FORMATS[suffix_format(file)].read(data, str(file))
    code, locale = returned.header.code, returned.header.locale
    if locale not in linguas(locales_dir):
        raise LeafletError(str(file), f"is a {locale} translation, and {locale} is not in {locales_dir}/LINGUAS")
    leaflet = _leaflet_for(sources, code)
    path = po_path(leaflet.meta.code, locale, locales_dir)
    if not path.exists():
        raise LeafletError(str(path), f"no {locale} catalogue for {leaflet.meta.code}: run make update first")
    catalog = read_catalog(path, locale)
    current = exchange_units(leaflet, catalog, locale, False, direction(locale))
    report = apply(returned, current, catalog, locale, str(file))
    if report.changed and not dry_run:
        _write_catalogue(path, catalog, locale)
    return path, report
