"""Babel, wrapped: building templates, reading and writing PO files, updating, compiling.

Where things live:

* ``locales/LINGUAS``: the locales to translate into, one per line (the gettext
  convention); adding a language is one line here plus ``make update``;
* ``locales/<CODE>.pot``: the template for leaflet ``<CODE>`` (domain = leaflet code);
* ``locales/<locale>/LC_MESSAGES/<CODE>.po``: a translator's catalogue;
* ``build/locale/<locale>/LC_MESSAGES/<CODE>.mo``: compiled catalogues (not committed).

Review status lives in the PO header: ``X-Checked-By`` (the qualified translator
who checked the catalogue), ``X-Checked-Date`` and ``X-Checked-Fingerprint`` (what was
checked: see :func:`translation_fingerprint`), written by ``leaflet i18n sign-off``.  Babel drops headers it does not
know, so :class:`_Catalog` keeps ``X-`` headers through a read and a write.

Updating never lets Babel's fuzzy matching carry an old translation silently into a
changed message: Babel's difflib match would copy "Take **2** tablets" into the entry
for "Take **1** tablet".  The match is kept as a *fuzzy* suggestion (with the previous
``msgid`` shown), fuzzy entries are never built, and the number check runs on them, so
``leaflet i18n status`` shows both the fuzzy state and the changed number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileParser, generate_po, normalize

from pipeline.errors import LeafletError

LOCALES_DIR = Path("locales")
MO_DIR = Path("build") / "locale"
SAME_AS_SOURCE = "same-as-source"
"""PO flag a translator sets where the translation is rightly identical to the English."""
SHARED_TRANSLATION = "shared-translation"
"""PO flag a translator sets where two different English messages rightly have the same translation."""
BRACE_FLAG = "python-brace-format"
GENERATED_BY = "nhs-leaflet-pipeline"
"""``Generated-By`` of a catalogue this project creates: no tool's version, so that an upgrade of
Babel changes no catalogue file."""
_WIDTH = 76


class _Catalog(Catalog):
    """A Babel catalogue that keeps ``X-`` headers (review status) through read and write.

    ``Generated-By`` is written as it was read (left out if the file had none;
    :data:`GENERATED_BY` in a new catalogue), never as Babel's own version: a file must not
    change because a library was upgraded.
    """

    extra_headers: list[tuple[str, str]]
    generated_by: str | None = GENERATED_BY

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = [(name, f"{self.generated_by}\n" if name.lower() == "generated-by" else value)
                   for name, value in super()._get_mime_headers()
                   if name.lower() != "generated-by" or self.generated_by]
        if not headers[-1][1].endswith("\n"):  # Babel ends the header block with its Generated-By line
            headers[-1] = (headers[-1][0], headers[-1][1] + "\n")
        extra = getattr(self, "extra_headers", [])
        if not extra:
            return headers
        # Babel ends its last header with "\n" to end the header block; keep that at the end.
        name, value = headers[-1]
        headers[-1] = (name, value.rstrip("\n"))
        *first, (last_name, last_value) = extra
        return [*headers, *first, (last_name, last_value + "\n")]

    def _set_mime_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        headers = list(headers)
        self.generated_by = next((v.strip() for k, v in headers if k.lower() == "generated-by"), None)
        self.extra_headers = [(k, v.strip()) for k, v in headers if k.lower().startswith("x-")]
        super()._set_mime_headers([(k, v) for k, v in headers if not k.lower().startswith("x-")])

    mime_headers = property(_get_mime_headers, _set_mime_headers)

    def header(self, name: str) -> str | None:
        """The value of an ``X-`` header, or ``None``."""
        for key, value in getattr(self, "extra_headers", []):
            if key.lower() == name.lower():
                return value or None
        return None

    def set_header(self, name: str, value: str | None) -> None:
        """Set or remove an ``X-`` header."""
        kept = [(k, v) for k, v in getattr(self, "extra_headers", []) if k.lower() != name.lower()]
        self.extra_headers = [*kept, (name, value)] if value else kept


CHECKED_BY = "X-Checked-By"
CHECKED_DATE = "X-Checked-Date"
CHECKED_FINGERPRINT = "X-Checked-Fingerprint"


def translation_fingerprint(catalog: Catalog) -> str:
    """A SHA-256 of every message's context, English, translation and flags.

    Written with a sign-off; when the translations change afterwards the fingerprint no
    longer matches and the catalogue counts as unchecked again.  It detects changes made
    by mistake or by a later update, not a forgery: anyone who can edit the PO can edit it.
    """
    digest = hashlib.sha256()
    for message in sorted(active_messages(catalog), key=lambda m: (m.context or "", str(m.id))):
        record = [message.context, message.id, message.string, sorted(message.flags)]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


def sign_off(catalog: _Catalog, name: str, qualification: str, date: dt.date) -> None:
    """Record that a qualified translator checked the catalogue as it is now."""
    catalog.set_header(CHECKED_BY, f"{name} ({qualification})" if qualification else name)
    catalog.set_header(CHECKED_DATE, date.isoformat())
    catalog.set_header(CHECKED_FINGERPRINT, translation_fingerprint(catalog))


def linguas(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """The locales listed in ``locales/LINGUAS`` (comments and blank lines ignored)."""
    path = locales_dir / "LINGUAS"
    if not path.exists():
        return []
    found = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        for name in line.split():
            parse_locale(name, str(path), number)
            found.append(name)
    return found


def parse_locale(name: str, path: str = "locales/LINGUAS", line: int | None = None) -> Locale:
    """Babel's ``Locale`` for ``pl``, ``en_GB`` or ``en-GB``; bad names are a :class:`LeafletError`."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise LeafletError(path, f"unknown locale {name!r} (use e.g. pl, cy, ur, pt_PT)", line) from None


def number_symbols(locale: str) -> tuple[str, str]:
    """The decimal mark and grouping separator CLDR gives ``locale`` for Latin digits (``pl``: ``,``, no-break space).

    An unknown locale gets the English ``.`` and ``,``.
    """
    try:
        symbols = parse_locale(locale).number_symbols["latn"]
        return str(symbols["decimal"]), str(symbols["group"])
    except (LeafletError, KeyError):
        return ".", ","


def month_names(locale: str) -> dict[int, set[str]]:
    """Every name CLDR gives each month in ``locale`` (wide and abbreviated, in a date and alone),
    without an abbreviation's full stop: ``pl`` 3 -> marzec, marca, mar.  English is British English."""
    try:
        loc = parse_locale("en_GB" if locale.split("_")[0] == "en" else locale)
    except LeafletError:
        return {}
    names: dict[int, set[str]] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in loc.months[context][width].items():
                names.setdefault(int(number), set()).add(str(name).rstrip(".").casefold())
    return names


def date_order(locale: str) -> str:
    """The order of day, month and year in ``locale``'s short dates: ``dmy`` (en_GB, pl, ur), ``mdy``, ``ymd``."""
    try:
        pattern = parse_locale("en_GB" if locale.split("_")[0] == "en" else locale).date_formats["short"].pattern
    except (LeafletError, KeyError):
        return "dmy"
    order = "".join(dict.fromkeys(ch.lower() for ch in pattern if ch in "dMy"))
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def language_name(locale: str) -> str:
    """The language's own name, capitalised: ``Polski``, ``Cymraeg``, ``اردو``."""
    name = parse_locale(locale).get_display_name() or locale
    return name[:1].upper() + name[1:]


def language_tag(locale: str) -> str:
    """The BCP 47 tag with a region for document metadata: ``ur`` -> ``ur-PK``, ``en_GB`` -> ``en-GB``.

    A bare language gets its likely region from CLDR, so tools that need one (LibreOffice
    would say ``ur-IN``) do not guess.
    """
    from babel.core import get_global

    loc = parse_locale(locale)
    if loc.territory:
        return f"{loc.language}-{loc.territory}"
    likely = str(get_global("likely_subtags").get(loc.language, loc.language)).split("_")
    region = next((part for part in likely[1:] if len(part) == 2 and part.isupper()), None)
    return f"{loc.language}-{region}" if region else loc.language


def english_language_name(locale: str) -> str:
    """The language's name in English: ``Polish``, ``Welsh``, ``Urdu``."""
    return parse_locale(locale).get_display_name("en") or locale


def _parsed(name: str) -> Locale | None:
    parts = name.strip().replace("-", "_").split("_")
    if not parts[0].isascii() or not parts[0].isalpha():
        return None
    parts[0] = parts[0].lower()
    parts[1:] = [p.upper() if len(p) == 2 else p.title() for p in parts[1:]]
    try:
        return Locale.parse("_".join(parts))
    except (ValueError, UnknownLocaleError):
        return None


def locale_names(locale: str) -> list[str]:
    """What people may call ``locale``: its code and its name in English and in itself.

    ``pl``: ``pl``, ``Polish``, ``polski``; ``ur``: ``ur``, ``Urdu``, ``اردو``.
    """
    loc = parse_locale(locale)
    names = [locale, str(loc), loc.get_display_name("en") or "", loc.get_display_name() or "",
             loc.get_language_name("en") or "", loc.get_language_name() or ""]
    return [n for n in dict.fromkeys(names) if n]


def find_locale(text: str, available: Iterable[str]) -> str | None:
    """The locale in ``available`` that ``text`` names, forgivingly, or ``None``.

    ``pl``, ``pl_PL``, ``pl-PL``, ``Polish``, ``polski`` all find ``pl``; ``en`` and
    ``English`` find ``en_GB``.  A different region of the same language is not a match
    when both are given (``pt_BR`` is not ``pt_PT``).
    """
    wanted = text.strip().casefold()
    choices = list(available)
    for locale in choices:
        if wanted in (n.casefold() for n in locale_names(locale)):
            return locale
    asked = _parsed(text)
    if asked is None:
        return None
    for locale in choices:
        have = parse_locale(locale)
        if have.language == asked.language and (not have.territory or not asked.territory
                                                 or have.territory == asked.territory):
            return locale
    return None


def language_meant(text: str) -> str | None:
    """The English name of the language ``text`` names (a code or an English name), if any."""
    asked = _parsed(text)
    if asked is not None:
        return asked.get_display_name("en")
    wanted = text.strip().casefold()
    for name in Locale.parse("en").languages.values():
        if name.casefold() == wanted:
            return str(name)
    return None


def direction(locale: str) -> str:
    """``rtl`` for right-to-left scripts (Arabic, Urdu, Hebrew ...), else ``ltr``."""
    return "rtl" if parse_locale(locale).text_direction == "rtl" else "ltr"


def month_year(date: dt.date, locale: str) -> str:
    """A review date in the locale's month names: ``maj 2026``, ``Mai 2026``."""
    return format_date(date, "LLLL y", locale=parse_locale(locale))


def pot_path(code: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """``locales/<CODE>.pot``."""
    return locales_dir / f"{code}.pot"


def po_path(code: str, locale: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """``locales/<locale>/LC_MESSAGES/<CODE>.po``."""
    return locales_dir / locale / "LC_MESSAGES" / f"{code}.po"


def mo_path(code: str, locale: str, mo_dir: Path = MO_DIR) -> Path:
    """``build/locale/<locale>/LC_MESSAGES/<CODE>.mo``."""
    return mo_dir / locale / "LC_MESSAGES" / f"{code}.mo"


def new_template(code: str, title: str, version: str | None = None) -> _Catalog:
    """An empty template for leaflet ``code``; ``version`` names the leaflet's edition."""
    catalog = _Catalog(project=code, version=version, domain=code, charset="utf-8",
                       msgid_bugs_address="patient information team", copyright_holder="", fuzzy=False)
    catalog.header_comment = f"# Translation template for {code}: {title}\n#"
    return catalog


def add_message(catalog: Catalog, msgid: str, *, context: str | None, comments: list[str],
                location: tuple[str, int]) -> None:
    """Add one message (or another location and comments for one already there)."""
    existing = catalog.get(msgid, context)
    if existing is not None:
        existing.locations.append(location)
        existing.auto_comments.extend(c for c in comments if c not in existing.auto_comments)
        return
    flags = [BRACE_FLAG] if "{" in msgid else []
    catalog.add(msgid, "", locations=[location], auto_comments=comments, flags=flags, context=context)


def read_catalog(path: Path, locale: str | None = None, data: bytes | None = None) -> _Catalog:
    """Read a PO or POT file strictly (see :mod:`pipeline.i18n.syntax`); ``data``: its bytes, already read.

    Anything GNU ``msgfmt -c`` would refuse, a charset other than UTF-8 and duplicate
    entries are a :class:`LeafletError` naming the file and line.
    """
    from pipeline.i18n.syntax import validate

    catalog = _Catalog(locale=locale, domain=path.stem, charset="utf-8")
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise LeafletError(str(path), f"cannot read: {exc.strerror}") from None
    validate(data, str(path))
    try:
        PoFileParser(catalog, ignore_obsolete=False, abort_invalid=True).parse(io.BytesIO(data))
    except Exception as exc:  # Babel raises PoFileError and others on malformed input
        line = getattr(exc, "lineno", None)
        raise LeafletError(str(path), f"not a valid PO file: {exc}", line) from None
    for message in catalog:
        _previous_from_comments(message)
    return catalog


def _previous_from_comments(message: Message) -> None:
    """Babel reads ``#| msgid "..."`` lines as user comments; make them the message's old English again."""
    from pipeline.i18n.syntax import strings

    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    if not lines:
        return
    fields: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            rest = line
        else:
            current = keyword
        fields.setdefault(current, []).extend(strings(rest))
    if "msgid" in fields:
        message.previous_id = ["".join(fields["msgid"])]
        if "msgid_plural" in fields:
            message.previous_id.append("".join(fields["msgid_plural"]))
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]


def catalog_bytes(catalog: Catalog) -> bytes:
    """The PO text of ``catalog``, as every command writes it.

    Babel writes the old English of a fuzzy message (``#| msgid``) through its comment
    wrapper, which breaks a long one into lines GNU gettext cannot read; here it is written
    as gettext writes it, one quoted string per line, each line behind ``#| ``.
    """
    messages = list(catalog)  # the header first, in the order generate_po writes them
    out: list[str] = []
    index = 0
    for item in generate_po(catalog, width=_WIDTH, include_previous=False, ignore_obsolete=False):
        # generate_po yields each keyword with its strings as one item.
        if item.startswith(("msgctxt ", "msgid ")) and index < len(messages):
            message = messages[index]
            starts_block = item.startswith("msgctxt ") or not message.context
            if starts_block and message.previous_id:
                previous = normalize(message.previous_id[0], prefix="#| ", width=_WIDTH)
                out.append(f"#| msgid {previous}\n")
            if item.startswith("msgid "):
                index += 1
        out.append(item)
    return "".join(out).encode("utf-8")


def update_catalog(catalog: _Catalog, template: Catalog) -> list[Message]:
    """Bring ``catalog`` up to date with ``template``; returns the messages that became fuzzy."""
    before = {(m.context, m.id): m.string for m in catalog if m.id}
    previous = {(m.context, m.id): m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False,
                   keep_user_comments=True, update_creation_date=True)
    fuzzy = []
    for message in catalog:
        if message.id and message.fuzzy and not message.previous_id:  # still to review: keep the old English
            message.previous_id = list(previous.get((message.context, message.id), []))
        if message.id and message.fuzzy and (message.context, message.id) not in before:
            fuzzy.append(message)
    return fuzzy


def new_catalog(template: Catalog, locale: str) -> _Catalog:
    """A fresh PO for ``locale`` from ``template``, with Language and Plural-Forms from Babel."""
    loc = parse_locale(locale)
    catalog = _Catalog(locale=loc, domain=template.domain, project=template.project,
                       version=template.version, charset="utf-8", fuzzy=False,
                       msgid_bugs_address=template.msgid_bugs_address, copyright_holder="")
    catalog.header_comment = (f"# {language_name(locale)} ({locale}) translation of "
                              f"{template.project}.\n#")
    catalog.last_translator = "Unassigned"
    catalog.language_team = f"{language_name(locale)} <{locale}>"
    catalog.revision_date = dt.datetime.now(dt.UTC)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def compile_catalog(catalog: Catalog) -> bytes:
    """The MO file of ``catalog`` (fuzzy messages are left out, as gettext does)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def active_messages(catalog: Catalog) -> list[Any]:
    """The catalogue's messages, without the header and obsolete entries."""
    return [m for m in catalog if m.id]
