"""Phone numbers in running text, found with Google's libphonenumber (the ``phonenumbers`` package).

A phone number is a fact that must never change: it becomes a placeholder for
translators, a ``tel:`` link, digits read one by one, and is never split across lines.
libphonenumber finds UK numbers in every written form (``(0191) 496 0000``,
``0191-496-0000``, ``+44 (0)118 496 0000``, 11 digits run together, ``0800``/``0345``
numbers, extensions ``ext. 4321`` and ``x4321``).  Leniency is POSSIBLE, not VALID:
VALID rejects Ofcom's drama ranges (``01632 960000``, ``07700 900123``) that example
leaflets use, and a number's *validity* is not ours to judge.  The pipeline adds what
libphonenumber does not know: ``999``, ``111`` (as in ``NHS 111``) and ``112``, and two numbers
written as one (``01632 960001/2``).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import phonenumbers

from pipeline.patterns import PHONE_RE

_SERVICE_RE = re.compile(
    r"(?<![\w£$€.,/+-])(999|111|112)(?![\w/%]|[.,]\d"
    r"|\s*(?:mg|ml|g|kg|mcg|micrograms?|mmol|units?|tablets?|capsules?|drops?|doses?|patients|people|days?"
    r"|weeks?|months?|years?|hours?|minutes?|times|beds?|miles?|metres?|steps?)\b)", re.I)
_COUNTRY_RE = re.compile(r"\+44\s*$")
_ALTERNATIVE_RE = re.compile(r" ?/ ?(\d{1,4})(?![\d/]|[ ]?\d)")
_FORMS = ("0", "+", "(")
"""How a UK number is written: with its trunk 0 or +44 (a bare 10-digit figure is an NHS number)."""


@dataclass(frozen=True, slots=True)
class Phone:
    """One phone number (or two written as one) in a text."""

    start: int
    end: int
    text: str
    """As written, e.g. ``01632 960001/2`` or ``0118 496 0123 ext. 4321``."""
    dial: tuple[str, ...]
    """What to dial for each number written: ``+441632960001``, ``+441184960123;ext=4321``, ``999``."""
    extension: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        """Each number as written: ``01632 960001/2`` is ``01632 960001`` and ``01632 960002``."""
        main = self.text
        if self.extension:
            main = re.sub(r"[\s.,:;(#-]*(?:ext(?:ension)?|x)?[\s.:#-]*$", "", main[: main.rfind(self.extension)],
                          flags=re.I)
        if len(self.dial) == 1:
            return (main,)
        head, _, tail = main.rpartition("/")
        head, tail = head.rstrip(), tail.strip()
        return head, head[: len(head) - len(tail)] + tail


_LETTER_FOR_DIGIT_RE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)[\dOoIl]{2,4}(?:[ -]?[\dOoIl]{3,4}){1,2}(?![\w])")


def letter_for_digit(text: str) -> list[str]:
    """Phone numbers written with a letter for a digit (``0118 496 O123``: O for 0, l or I for 1),
    as written, after look-alike digits are made plain.  Such a number is not a phone number
    to the pipeline (no ``tel:`` link, not protected): it must be corrected."""
    return [text[start:end] for start, end in _letter_for_digit_spans(plain_digits(text))]


def _letter_for_digit_spans(plain: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LETTER_FOR_DIGIT_RE.finditer(plain)
            if re.search(r"[OoIl]", m.group(0)) and sum(c.isdigit() for c in m.group(0)) >= 6]


def plain_digits(text: str) -> str:
    """``text`` with every decimal digit of another script (fullwidth ０, Arabic-Indic ٠, Bengali ০,
    Devanagari ०, mathematical 𝟎) as its ASCII digit: the same length, so positions still fit."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


@functools.lru_cache(maxsize=4096)
def find_phones(text: str) -> tuple[Phone, ...]:
    """Every phone number in ``text``, in order, not overlapping.

    Digits of another script are read as digits (the phone's ``text`` stays as written, its
    ``dial`` is plain); a number with a letter for a digit is not a phone number (see
    :func:`letter_for_digit`), so no part of it becomes a truncated ``tel:`` link.
    """
    shown = text
    text = plain_digits(text)
    if not any(ch.isdigit() for ch in text):
        return ()
    return tuple(replace(p, text=shown[p.start:p.end]) if shown is not text else p for p in _found(text))


def _found(text: str) -> list[Phone]:
    suspect = _Spans(_letter_for_digit_spans(text))
    found: list[Phone] = []
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        number = match.number
        raw = match.raw_string
        if not raw.startswith(_FORMS) or len(str(number.national_number)) < 9:
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        start, end = match.start, match.end
        lead = _COUNTRY_RE.search(text, 0, start) if raw.startswith("(0)") else None
        if lead:  # "Ward 4: +44 (0)118 ...": the matcher can take the 4 for part of another number
            start = lead.start()
        dial = [e164]
        alternative = None if number.extension else _ALTERNATIVE_RE.match(text, end)
        if alternative:
            digits = alternative.group(1)
            dial.append(e164[: len(e164) - len(digits)] + digits)
            end = alternative.end()
        if number.extension:
            dial = [f"{d};ext={number.extension}" for d in dial]
        if not suspect.overlaps(start, end):
            found.append(Phone(start, end, text[start:end], tuple(dial), number.extension or None))
    # libphonenumber drops a candidate that runs into more digits ("0118 496 0003 24 hours"):
    # the written UK shapes are looked for as well, so such a number is never missed.
    taken = _Spans((p.start, p.end) for p in found)
    for m in PHONE_RE.finditer(text):
        if not taken.overlaps(m.start(), m.end()) and not suspect.overlaps(m.start(), m.end()):
            try:
                number = phonenumbers.parse(m.group(0), "GB")
            except phonenumbers.NumberParseException:
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Phone(m.start(), m.end(), m.group(0), (e164,)))
            taken.add(m.start(), m.end())
    for m in _SERVICE_RE.finditer(text):
        if not taken.overlaps(m.start(), m.start() + 1):
            found.append(Phone(m.start(), m.end(), m.group(0), (m.group(1),)))
    return sorted(found, key=lambda p: p.start)


class _Spans:
    """Non-overlapping (start, end) spans, asked "does this overlap one?" in logarithmic time
    (a line of 40,000 numbers must not take 40,000 x 40,000 comparisons)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._spans, (start, end))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._spans, (end, end))
        return i > 0 and self._spans[i - 1][1] > start


def has_phone(text: str) -> bool:
    """True when ``text`` holds a phone number."""
    return bool(find_phones(text))


def sub_phones(text: str, replace: Callable[[Phone], str]) -> str:
    """``text`` with each phone number replaced by ``replace(phone)``."""
    out, pos = [], 0
    for phone in find_phones(text):
        out += [text[pos:phone.start], replace(phone)]
        pos = phone.end
    out.append(text[pos:])
    return "".join(out)
