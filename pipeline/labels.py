"""The fixed words exporters add around a leaflet's own text (footers, notices, dates).

The English labels are here; every other language's are a gettext catalogue of their own,
``locales/<locale>/LC_MESSAGES/labels.po`` (template ``locales/labels.pot``, made by
``make extract``, kept current by ``make update``), translated and checked like a
leaflet's.  A language's labels are used once its catalogue is complete and passes the
checks; until then its outputs carry the English labels and a notice saying so, never
silently English.  Dates and language names come from CLDR (Babel).  The Polish, Welsh
and Urdu labels were written by the project, not by a qualified translator.

:func:`load` reads the catalogues once, when a command starts (forked build workers
inherit them); :func:`label` then answers from memory, so exporters read no files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from babel.messages.catalog import Catalog

ENGLISH: dict[str, str] = {
    "reviewed": "Reviewed: {date}",
    "next_review": "Next review due: {date}",
    "page": "Page {page} of {pages}",
    "code": "Leaflet code: {code}",
    "draft": "DRAFT: not checked, not for issue to patients",
    "unchecked": "This translation has not been checked by a qualified translator.",
    "large_print": "Large print",
    "giant_print": "Giant print",
    "audio_from": "From {organisation}.",
    "audio_sections": "This recording has {count} sections.",
    "audio_skip": "To move to the next section, skip to the next track or chapter.",
    "audio_intro": "Introduction",
    "epub_summary": "A patient information leaflet with headings, a table of contents and a logical reading order. "
                    "Text can be resized and its colours changed.",
    "epub_summary_audio": "A patient information leaflet with headings, a table of contents and a logical reading "
                          "order. Text can be resized and its colours changed. Every sentence is read aloud by a "
                          "synthetic voice and highlighted as it is read.",
    "audio_closing": "Contacts and review dates",
    "audio_end": "End of recording.",
    "skip_to_content": "Skip to the leaflet",
    "contents": "Contents",
    "picture": "Picture: {alt}",
    "picture_no_alt": "Picture (not described)",
    "important": "Important: {text}",
    "labels_missing": "The words this document adds (page numbers, review dates, notices) are in English: their "
                      "translation into {language} is not ready yet.",
}

ENGLISH_ONLY = frozenset({"labels_missing"})
"""Labels only ever shown in English (to the staff, about a language whose labels are not ready)."""
DOMAIN = "labels"
"""The labels' catalogue name: ``locales/labels.pot``, ``locales/<locale>/LC_MESSAGES/labels.po``."""
_LABEL_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")
_LOADED: dict[str, dict[str, str]] = {}
"""Language -> its labels, for each language whose labels catalogue is complete and passes the checks."""
_PROBLEMS: dict[str, list[str]] = {}
_STATE = {"loaded": False}


def _ready() -> None:
    """Read ``locales/`` on first use when no command has (a library user, a test calling an exporter)."""
    if not _STATE["loaded"]:
        load(Path("locales"))


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def template(project: str = "labels") -> Catalog:  # "labels": the catalogue's name
    """The labels' template: one message per label, its key as the context."""
    from pipeline.i18n.catalogues import add_message, new_template

    catalog = new_template(project, "the words the pipeline adds to every leaflet")
    for key, english in ENGLISH.items():
        if key in ENGLISH_ONLY:
            continue
        names = _LABEL_PLACEHOLDER_RE.findall(english)
        comment = [f"Keep {', '.join('{' + n + '}' for n in names)} as it is: the pipeline fills it in."] if names \
            else []
        add_message(catalog, english, context=key, comments=["A label the pipeline adds to every leaflet.", *comment],
                    location=("pipeline/labels.py", 1))
    return catalog


def check_label(english: str, translation: str, locale: str) -> list[str]:
    """Problems with ``translation`` as ``locale``'s label for ``english``: the same ``{names}``, and every check
    a leaflet's message gets."""
    from pipeline.i18n.checks import check_message

    if sorted(_LABEL_PLACEHOLDER_RE.findall(english)) != sorted(_LABEL_PLACEHOLDER_RE.findall(translation)):
        return [f"the label must keep {', '.join('{' + n + '}' for n in _LABEL_PLACEHOLDER_RE.findall(english))} "
                "exactly, and add none"]
    return check_message(_LABEL_PLACEHOLDER_RE.sub("\u2026", english),
                         _LABEL_PLACEHOLDER_RE.sub("\u2026", translation), locale, ("same-as-source",))


def load(locales_dir: Path) -> dict[str, list[str]]:
    """Read every listed language's labels catalogue; returns locale -> problems (none: its labels are used)."""
    from pipeline.errors import LeafletError
    from pipeline.i18n.catalogues import linguas, po_path, read_catalog

    _LOADED.clear()
    _PROBLEMS.clear()
    _STATE["loaded"] = True
    try:
        locales = linguas(locales_dir)
    except LeafletError:
        return {}
    for locale in locales:
        path = po_path(DOMAIN, locale, locales_dir)
        problems: list[str] = []
        table: dict[str, str] = {}
        if not path.exists():
            problems.append(f"{path}: {locale}: no labels catalogue (run make update, then translate it)")
        else:
            try:
                messages = {(m.context, m.id): m for m in read_catalog(path, locale) if m.id}
            except LeafletError as exc:
                messages = {}
                problems.append(str(exc))
            missing: list[str] = []
            for key, english in ENGLISH.items() if messages else ():
                if key in ENGLISH_ONLY:
                    continue
                message = messages.get((key, english))
                string = message.string if message is not None and isinstance(message.string, str) else ""
                if message is None or not string or message.fuzzy:
                    missing.append(key)
                    continue
                found = check_label(english, string, locale)
                if found:
                    problems.append(f"{path}: {locale}: label '{key}': {'; '.join(found)}")
                    continue
                table[key] = string
            if missing:
                problems.insert(0, f"{path}: {locale}: labels incomplete: {len(missing)} of "
                                   f"{len(ENGLISH) - len(ENGLISH_ONLY)} untranslated or fuzzy ({', '.join(missing[:4])}"
                                   f"{' ...' if len(missing) > 4 else ''}); its outputs carry the English labels, "
                                   "and say so, until they are translated")
        _PROBLEMS[locale] = problems
        if not problems:
            _LOADED[_language(locale)] = table
    return dict(_PROBLEMS)


def translated(locale: str) -> bool:
    """True when ``locale``'s outputs get labels in its own language (English is its own)."""
    _ready()
    return _language(locale) == "en" or _language(locale) in _LOADED


def fingerprint(locale: str) -> str:
    """What the labels of ``locale`` are, for build keys: a changed label makes its outputs again."""
    _ready()
    table = _LOADED.get(_language(locale))
    if not table:
        return ""
    # (asked once per file of a build: 12,000 times for a library's no-op; the table is the key)
    cached = _FINGERPRINTS.get(id(table))
    if cached is None or cached[0] is not table:
        text = json.dumps(table, sort_keys=True, ensure_ascii=False)
        cached = (table, hashlib.sha256(text.encode()).hexdigest()[:16])
        _FINGERPRINTS[id(table)] = cached
    return cached[1]


_FINGERPRINTS: dict[int, tuple[object, str]] = {}


def state() -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """The labels as loaded, to send to a process that cannot read this ``locales/`` (a cluster worker)."""
    _ready()
    return {k: dict(v) for k, v in _LOADED.items()}, {k: list(v) for k, v in _PROBLEMS.items()}


def restore(loaded: tuple[dict[str, dict[str, str]], dict[str, list[str]]]) -> None:
    """Use labels as :func:`state` gave them, instead of reading ``locales/``."""
    tables, problems = loaded
    if _STATE["loaded"] and tables == _LOADED and problems == _PROBLEMS:
        return
    _LOADED.clear()
    _LOADED.update(tables)
    _PROBLEMS.clear()
    _PROBLEMS.update(problems)
    _FINGERPRINTS.clear()
    _STATE["loaded"] = True


def label(key: str, locale: str = "en_GB", **values: object) -> str:
    """The label ``key`` in ``locale``'s language (English until its labels catalogue is ready), filled in."""
    _ready()
    table = _LOADED.get(_language(locale), ENGLISH)
    return table.get(key, ENGLISH[key]).format(**values)


def month_year(date: dt.date, locale: str = "en_GB") -> str:
    """``May 2026`` in the locale's month names (``maj 2026``, ``Mai 2026``)."""
    from pipeline.i18n.catalogues import month_year as babel_month_year

    return babel_month_year(date, locale)
