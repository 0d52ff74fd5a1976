"""Text normalisation for listening: what a reader sees, turned into what a listener needs to hear.

Rules, in order:

* **phone numbers** are read digit by digit in their groups:
  ``0118 322 7991`` -> "zero one one eight, three two two, seven nine nine one";
  so are 999, 111 and 112 ("nine nine nine");
* **web and e-mail addresses** are spoken: ``www.royalberkshire.nhs.uk`` ->
  "royal berkshire dot n h s dot u k" (``www.`` and ``https://`` dropped, run-together
  words split with the CMU dictionary, short parts spelled);
* **times** (English): ``8.30am`` -> "8:30 in the morning", ``5pm`` -> "5 in the afternoon";
* **ranges**: ``2-4 hours`` -> "2 to 4 hours", ``Monday-Friday`` -> "Monday to Friday";
* **per cent**: ``50%`` -> "50 per cent" (English; other languages keep ``%`` for the engine);
* **abbreviations** from ``pipeline/data/abbreviations.csv`` (English): ``MRI`` -> "M R I",
  ``e.g.`` -> "for example";
* **numbers** are written as words with num2words in the leaflet's language where
  num2words has it ("1 in 200" -> "one in two hundred"; Polish and Welsh numbers in
  Polish and Welsh); otherwise the engine reads the digits.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re

from pipeline.patterns import WEB_RE
from pipeline.phones import Phone, sub_phones

_URL_RE = re.compile(r"(?<![\w.-])(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[^\s]*)?", re.I)
_EMAIL_RE = re.compile(r"(?<![\w.+-])([\w.+-]+)@((?:[\w-]+\.)+[a-z]{2,})\b", re.I)
_TIME_RE = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)\b", re.I)
_RANGE_RE = re.compile(r"(?<=\w)\s*[-–]\s*(?=\d)|(?<=\d)\s*[-–]\s*(?=\w)")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_RANGE_RE = re.compile(r"\b(" + "|".join(_DAYS) + r")\s*[-–]\s*(" + "|".join(_DAYS) + r")\b")
_SHORT_DAYS = {"mon": "Monday", "tue": "Tuesday", "tues": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
               "thur": "Thursday", "thurs": "Thursday", "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
_SHORT_DAY = r"(Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)"
_SHORT_DAY_RANGE_RE = re.compile(r"\b" + _SHORT_DAY + r"\.?\s*[-–—]\s*" + _SHORT_DAY + r"(?!\w)")
_NUMBER_RE = re.compile(r"(?<![\w.:])\d+(?!\w|[.:]\d)")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_YEAR_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r") ((?:19|20)\d\d)\b")

DOT = {"en": "dot", "pl": "kropka", "cy": "dot", "ur": "ڈاٹ", "ro": "punct"}
AT = {"en": "at", "pl": "małpa", "cy": "at", "ur": "ایٹ", "ro": "arond"}
HYPHEN = {"en": "hyphen", "pl": "myślnik", "cy": "cysylltnod", "ur": "ہائفن", "ro": "cratimă", "ar": "شرطة",
          "bn": "হাইফেন", "fa": "خط تیره"}
"""Said wherever an address has a hyphen: "northfield hyphen hospitals", or a listener types the wrong address."""
UNDERSCORE = {"en": "underscore", "pl": "podkreślnik", "cy": "tanlinell", "ur": "انڈر سکور", "ro": "liniuță jos",
              "ar": "شرطة سفلية", "bn": "আন্ডারস্কোর", "fa": "زیرخط"}


def language(locale: str) -> str:
    """``en_GB`` -> ``en``."""
    return locale.replace("-", "_").split("_")[0].lower()


@functools.cache
def abbreviations() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The editable abbreviation list, longest first."""
    text = importlib.resources.files("pipeline").joinpath("data/abbreviations.csv").read_text(encoding="utf-8")
    rows = [(r["written"].strip(), r["spoken"].strip()) for r in csv.DictReader(io.StringIO(text))]
    rows.sort(key=lambda r: -len(r[0]))
    return tuple((re.compile(r"(?<![\w.])" + re.escape(w) + (r"(?!\w)" if w[-1].isalnum() else "")), s)
                 for w, s in rows)


def _digit_words(lang: str) -> list[str] | None:
    words = _num2words(lang)
    return [words(d) for d in range(10)] if words else None


@functools.cache
def _num2words(lang: str):  # type: ignore[no-untyped-def]
    from num2words import CONVERTER_CLASSES, num2words

    if lang not in CONVERTER_CLASSES:
        return None
    return lambda n: num2words(n, lang=lang)


def phone(number: str, lang: str) -> str:
    """A phone number digit by digit, groups separated by commas."""
    digits = _digit_words(lang)
    groups = re.split(r"[\s-]+", number.replace("+", "plus ").strip())
    spoken = []
    for group in groups:
        if group == "plus":
            spoken.append("plus")
            continue
        chars = [ch for ch in group if ch.isdigit()]
        spoken.append(" ".join(digits[int(ch)] if digits else ch for ch in chars))
    return ", ".join(spoken)


_OR = {"en": "or", "pl": "lub", "cy": "neu", "ro": "sau", "ur": "یا", "ar": "أو", "bn": "অথবা"}
_EXTENSION = {"en": "extension", "pl": "wewnętrzny", "cy": "estyniad", "ro": "interior"}


def _spoken_phone(number: Phone, lang: str) -> str:
    """A phone number as a person reads it out: ``999`` "nine nine nine"; two numbers written as
    one (``01632 960001/2``) joined by "or"; an extension after its number."""
    if number.dial[0].isdigit():  # 999, 111
        return phone(number.dial[0], lang)
    spoken = f" {_OR.get(lang, 'or')} ".join(phone(part.replace("(0)", ""), lang) for part in number.parts)
    if number.extension:
        spoken += f", {_EXTENSION.get(lang, 'extension')} " + phone(number.extension, lang)
    return spoken


@functools.cache
def _dictionary() -> frozenset[str]:
    from pipeline.readability.metrics import _cmu_counts

    return frozenset(w for w in _cmu_counts() if len(w) >= 3 and w.isalpha())


def _split_words(label: str) -> list[str] | None:
    """``royalberkshire`` -> ``["royal", "berkshire"]`` with the fewest dictionary words, or None."""
    words = _dictionary()
    best: list[list[str] | None] = [None] * (len(label) + 1)
    best[0] = []
    for end in range(1, len(label) + 1):
        for start in range(max(0, end - 20), end):
            prev = best[start]
            if prev is not None and label[start:end] in words:
                candidate = [*prev, label[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = candidate
    return best[-1]


def _marks(text: str, lang: str) -> str:
    """An address's hyphens and underscores as words in the language (a listener must type them)."""
    return (text.replace("-", f" {HYPHEN.get(lang, HYPHEN['en'])} ")
            .replace("_", f" {UNDERSCORE.get(lang, UNDERSCORE['en'])} "))


def _domain_part(part: str, lang: str) -> str:
    if len(part) <= 3 or not part.replace("-", "").isalpha():
        return " ".join(part) if part.isalpha() else _marks(part, lang)
    pieces = []
    for chunk in part.split("-"):
        split = _split_words(chunk.lower()) if lang == "en" or chunk.isascii() else None
        pieces.append(" ".join(split) if split else chunk)
    return f" {HYPHEN.get(lang, HYPHEN['en'])} ".join(pieces)


def address(text: str, lang: str) -> str:
    """A web address as it is said: ``www.northfield-hospitals.nhs.uk`` -> "northfield hospitals dot n h s dot u k"."""
    m = _URL_RE.fullmatch(text)
    if not m:
        return text
    dot = f" {DOT.get(lang, 'dot')} "
    spoken = dot.join(_domain_part(p, lang) for p in m.group(1).split("."))
    path = (m.group(2) or "").strip("/")
    if path:
        spoken += ", slash " + " slash ".join(_marks(p, lang) for p in path.split("/"))
    return spoken


def _email(m: re.Match[str], lang: str) -> str:
    user = _marks(m.group(1), lang).replace(".", f" {DOT.get(lang, 'dot')} ")
    return f"{user} {AT.get(lang, 'at')} {address(m.group(2), lang)}"


def _time(m: re.Match[str]) -> str:
    hour, minutes, half = int(m.group(1)), m.group(2), m.group(3).lower()
    clock = f"{hour}:{minutes}" if minutes and minutes != "00" else f"{hour}"
    if half == "am":
        return f"{clock} in the morning"
    return f"{clock} in the evening" if 6 <= hour < 12 else f"{clock} in the afternoon"


def normalise(text: str, locale: str) -> str:
    """``text`` rewritten for listening in ``locale`` (see the module docstring)."""
    lang = language(locale)
    text = sub_phones(text, lambda p: _spoken_phone(p, lang))
    text = _EMAIL_RE.sub(lambda m: _email(m, lang), text)
    text = WEB_RE.sub(lambda m: address(m.group(0).rstrip("./"), lang), text)
    if lang == "en":
        text = re.sub(r"(?<![\d/])24\s*/\s*7(?![\d/])", "24 hours a day, 7 days a week", text)
        text = _SHORT_DAY_RANGE_RE.sub(
            lambda m: f"{_SHORT_DAYS[m.group(1).lower()]} to {_SHORT_DAYS[m.group(2).lower()]}", text)
        text = _DAY_RANGE_RE.sub(r"\1 to \2", text)
        text = _TIME_RE.sub(_time, text)
        text = re.sub(r"(\d)\s*%", r"\1 per cent", text)
        for pattern, spoken in abbreviations():
            text = pattern.sub(spoken, text)
        text = _RANGE_RE.sub(" to ", text)
    else:
        text = re.sub(r"(\d)\s*[-–]\s*(\d)", r"\1 – \2", text)
    words = _num2words(lang)
    if words:
        if lang == "en":  # "May 2026" is "May twenty twenty-six"
            text = _YEAR_RE.sub(lambda m: f"{m.group(1)} {_year(int(m.group(2)), lang) or m.group(2)}", text)
        text = _NUMBER_RE.sub(lambda m: words(int(m.group(0))), text)
    return " ".join(text.split())


def _year(year: int, lang: str) -> str | None:
    """"twenty twenty-six" rather than "two thousand and twenty-six", where num2words can say it."""
    from num2words import num2words

    try:
        return str(num2words(year, lang=lang, to="year"))
    except (NotImplementedError, TypeError, ValueError):
        return None
