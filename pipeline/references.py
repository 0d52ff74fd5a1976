"""The desk's reference (``--ref``): a ticket or request number, never what identifies a patient.

The record of issued copies is kept on a shared drive and holds no patient data, so a
reference that holds any is refused before anything is made or written.  Refused:

- an NHS number (England, Wales, Isle of Man) or Health and Care number (Northern
  Ireland): ten digits, spaced or not, whose last is a valid modulus 11 check digit;
- a CHI number (Scotland): ten digits starting with a date of birth (DDMMYY), whatever
  its check digit;
- a UK postcode (``RG1 5AN``, ``rg15an``);
- a date (a date of birth looks like any other date): ``12/03/1956``, ``12-3-56``,
  ``1956-03-12``, ``12 March 1956``, ``12 Mar 56``;
- a title followed by a name or an initial: ``Mr Smith``, ``Mr J Smith``, ``MRS JONES``,
  ``Mrs. O'Neil``, ``Dr Patel``, ``Ms``, ``Miss``, ``Mx``, ``Prof``, ``Sir``, ``Dame``, ``Lady``,
  ``Lord``, ``Rev``;
- an e-mail address or a phone number.

No check can tell a bare name ("Jones 4 pm") or a date written in words from a ticket
number: the desk is told, in ``request --help`` and the README, to use the ticket only.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.phones import find_phones

_TEN_DIGITS_RE = re.compile(r"(?<!\d)\d(?:[ -]?\d){9}(?!\d)")
_POSTCODE_RE = re.compile(
    r"(?<![A-Z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Z0-9])", re.IGNORECASE)
_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
           "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE_RES = (
    re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)"),
    re.compile(rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\.?,?\s*'?\d{{2,4}}(?!\d)", re.IGNORECASE),
    re.compile(rf"(?<![a-z])(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)", re.IGNORECASE),
)
_TITLE_RE = re.compile(r"\b(?i:mr|mrs|ms|miss|mx|dr|prof|sir|dame|lady|lord|rev)\b\.?\s+[A-Z][a-zA-Z'’-]*")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def modulus_11(digits: str) -> bool:
    """True when the tenth digit is the modulus 11 check digit of the first nine (NHS, H&C, CHI numbers)."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _is_date(day: int, month: int, year: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def patient_data(ref: str) -> str | None:
    """What in ``ref`` identifies a patient ("an NHS number", "a postcode" ...), or ``None``."""
    for m in _TEN_DIGITS_RE.finditer(ref):
        digits = re.sub(r"\D", "", m.group(0))
        # A CHI number starts with a date of birth; its check digit is not needed to refuse it.
        if _is_date(int(digits[:2]), int(digits[2:4]), 1900 + int(digits[4:6])):
            return "a CHI number (ten digits starting with a date of birth)"
        if modulus_11(digits):
            return "an NHS number"
    if _EMAIL_RE.search(ref):
        return "an e-mail address"
    if _TITLE_RE.search(ref):
        return "a name (a title followed by a name)"
    for pattern in _DATE_RES[:2]:
        for m in pattern.finditer(ref):
            a, b, c = (int(g) for g in m.groups())
            day, month, year = (c, b, a) if pattern is _DATE_RES[1] else (a, b, c if c > 99 else 1900 + c)
            if _is_date(day, month, year) or _is_date(month, day, year):
                return "a date (a date of birth cannot be told from other dates)"
    if any(p.search(ref) for p in _DATE_RES[2:]):
        return "a date (a date of birth cannot be told from other dates)"
    if _POSTCODE_RE.search(ref):
        return "a postcode"
    if find_phones(ref):
        return "a phone number"
    return None
