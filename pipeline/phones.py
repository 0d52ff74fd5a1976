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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


@functools.lru_cache(maxsize=4096)
def find_phones(text: str) -> tuple[Phone, ...]:
    """Every phone number in ``text``, in order, not overlapping."""
    if not any(ch.isdigit() for ch in text):
        return ()
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
        found.append(Phone(start, end, text[start:end], tuple(dial), number.extension or None))
    # libphonenumber drops a candidate that runs into more digits ("0118 496 0003 24 hours"):
    # the written UK shapes are looked for as well, so such a number is never missed.
    taken = _Spans((p.start, p.end) for p in found)
    for m in PHONE_RE.finditer(text):
        if not taken.overlaps(m.start(), m.end()):
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
    return tuple(sorted(found, key=lambda p: p.start))


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
