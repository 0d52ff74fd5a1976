"""A translation memory across leaflets, and word counts as an agency quotes them.

The same sentence is in many leaflets (the offer line, contact blocks, "If you have any
questions ...").  :class:`Memory` holds, for one language, every translated message of
every leaflet's catalogue that is not fuzzy and passes the safety checks.  When a
catalogue is made or updated, an untranslated message whose English exactly matches one
is filled from it (what GNU gettext's ``msgmerge --compendium`` does), with a comment
saying where it came from, and marked fuzzy (to review) unless both catalogues are signed
off: a translator confirms it instead of paying for it again.  A near match is only a
suggestion, in a comment; it is never built.

Words are counted as CAT tools count them for a quote: the words of the English a
translator reads, placeholders (phone numbers, addresses, links' targets) and markup not
counted, numbers counted as words, a hyphenated or apostrophised word one word.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import LeafletError
from pipeline.i18n.catalogues import CHECKED_BY, read_catalog, translation_fingerprint
from pipeline.i18n.checks import check_message
from pipeline.i18n.messages import PLACEHOLDER_RE, first_words

MEMORY_COMMENT = "From translation memory:"
SUGGESTION_COMMENT = "Suggestion"
NEAR = 0.75
"""How alike two English messages must be (difflib's ratio) for one's translation to be suggested for the other."""
_WORD_RE = re.compile(r"[^\W_]+(?:[-'\u2019][^\W_]+)*")


def words(english: str) -> int:
    """The words of a message as a quote counts them (placeholders and markup not counted)."""
    return len(_WORD_RE.findall(PLACEHOLDER_RE.sub(" ", english)))


@dataclass(frozen=True)
class Remembered:
    """A translation the memory holds."""

    translation: str
    code: str
    """The leaflet it was translated for."""
    signed_off: bool


@dataclass
class Memory:
    """Every usable translation of one language, by its English."""

    locale: str
    entries: dict[str, list[Remembered]] = field(default_factory=dict)

    def exact(self, english: str, besides: str) -> Remembered | None:
        """A translation of exactly ``english`` from a leaflet other than ``besides`` (signed off first)."""
        found = [r for r in self.entries.get(english, []) if r.code != besides]
        return sorted(found, key=lambda r: (not r.signed_off, r.code))[0] if found else None

    def near(self, english: str, besides: str) -> tuple[float, str, Remembered] | None:
        """The most alike other English with a translation, if alike enough."""
        best: tuple[float, str, Remembered] | None = None
        matcher = difflib.SequenceMatcher(b=english, autojunk=False)
        for other, remembered in self.entries.items():
            candidates = [r for r in remembered if r.code != besides]
            if not candidates or other == english:
                continue
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
                continue
            ratio = matcher.ratio()
            if ratio >= NEAR and (best is None or ratio > best[0]):
                best = (ratio, other, candidates[0])
        return best


def signed_off(catalog: object) -> bool:
    """The catalogue has a sign-off that still matches its translations."""
    header = getattr(catalog, "header", lambda _: None)
    from pipeline.i18n.catalogues import CHECKED_FINGERPRINT

    return bool(header(CHECKED_BY)) and header(CHECKED_FINGERPRINT) == translation_fingerprint(
        catalog) and not getattr(catalog, "fuzzy", False)  # type: ignore[arg-type]


def memory_for(locale: str, locales_dir: Path) -> Memory:
    """The memory of ``locale``: every catalogue in ``locales/<locale>/`` that can be read."""
    memory = Memory(locale)
    folder = locales_dir / locale / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        try:
            catalog = read_catalog(path, locale)
        except LeafletError:
            continue  # an unreadable catalogue gives nothing; the check names it
        signed = signed_off(catalog)
        for message in catalog:
            string = message.string if isinstance(message.string, str) else ""
            if not message.id or not string or message.fuzzy:
                continue
            if check_message(str(message.id), string, locale, message.flags):
                continue
            memory.entries.setdefault(str(message.id), []).append(Remembered(string, path.stem, signed))
    return memory


def fill(catalog: object, code: str, memory: Memory) -> list[str]:
    """Fill ``catalog``'s untranslated messages from ``memory`` (changed in place); returns their English.

    A message filled is fuzzy unless both its source and this catalogue are signed off; a near
    match is added as a suggestion comment only.
    """
    receiving_signed = signed_off(catalog)
    filled = []
    for message in catalog:  # type: ignore[attr-defined]
        if not message.id:
            continue
        comments = [c for c in message.user_comments if not c.startswith(MEMORY_COMMENT)]
        string = message.string if isinstance(message.string, str) else ""
        if string:
            continue
        found = memory.exact(str(message.id), code)
        if found is not None:
            message.string = found.translation
            message.user_comments = comments + [
                f"{MEMORY_COMMENT} {found.code}" + (" (signed off)" if found.signed_off else "")]
            if not (found.signed_off and receiving_signed):
                message.flags.add("fuzzy")
            filled.append(str(message.id))
            continue
        near = memory.near(str(message.id), code)
        if near is not None:
            ratio, other, remembered = near
            suggestion = (f"{SUGGESTION_COMMENT} ({ratio:.0%} like '{first_words(other, 8)}' in {remembered.code}): "
                          f"{remembered.translation}")
            # An extracted comment: every update makes them afresh from the template, so a suggestion is
            # never kept twice, and goes once the message is translated.
            message.auto_comments = list(message.auto_comments) + [" ".join(suggestion.split())]
    return filled


@dataclass
class Count:
    """Words of one catalogue by what a translator must do with them."""

    new: int = 0
    fuzzy: int = 0
    repeated: int = 0
    memory: int = 0
    translated: int = 0

    @property
    def total(self) -> int:
        return self.new + self.fuzzy + self.repeated + self.memory + self.translated


def count(english: list[tuple[str | None, str]], catalog: object | None, code: str, memory: Memory | None,
          seen: set[str]) -> Count:
    """The words of one leaflet's messages (context, English) in one language.

    ``seen`` holds the English already counted as new in this quote (this catalogue, or an
    earlier leaflet of the same request): a message met again is repeated, not new.
    """
    messages = {(m.context, m.id): m for m in catalog if m.id} if catalog is not None else {}  # type: ignore[attr-defined]
    result = Count()
    for context, msgid in english:
        n = words(msgid)
        message = messages.get((context, msgid))
        string = message.string if message is not None and isinstance(message.string, str) else ""
        if string and message is not None and not message.fuzzy:
            result.translated += n
        elif string:
            result.fuzzy += n
        elif msgid in seen:
            result.repeated += n
        elif memory is not None and memory.exact(msgid, code) is not None:
            result.memory += n
        else:
            result.new += n
            seen.add(msgid)
    return result
