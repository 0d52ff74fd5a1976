"""Numbers as a reader understands them, in the English and in a translation.

A message is read into :class:`Quantity` items: each number with every value it can mean
in that language (``5,000`` is 5000 in English; ``5 000``, ``5.000`` in Romanian and
``٥٬٠٠٠`` are 5000 too; ``8.30`` may be a time or a decimal), whether a morning or evening
word goes with it (``6pm``, ``6 wieczorem``, ``شام 6 بجے``), and the unit written next to
it (``2 hours``, ``2 godziny``, ``2 گھنٹے``).  The words come from
``pipeline/data/language_words.toml``, so a language or a missing form is a line of data.

The checks in :mod:`pipeline.i18n.checks` compare quantities by value, period and unit,
never by order: a translation may reorder a sentence, not change what it says.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.i18n.catalogues import number_symbols

DATA = Path(__file__).resolve().parent.parent / "data" / "language_words.toml"
SOURCE_LANGUAGE = "en"

Key = tuple[str, str]
"""One meaning of a number: ``("n", "5000")`` for a quantity, ``("t", "18:00")`` for a time of day."""

_SEPARATORS = ".,:\u066b\u066c \u00a0\u202f"
_NUMBER_RE = re.compile(r"\d+(?:(?:[.,:\u066b\u066c]|[ \u00a0\u202f](?=\d{3}(?![\d.,:\u066b\u066c]\d)))\d+)*")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212/~"
_STOPS = ",;.:!?()[]{}\"\u060c\u061b\u06d4\u0964\u3001\u3002\n"
_SYMBOLS = "%\u066a\ufe6a\uff05\u2103"
_SKIP = "*_`\\<>'\u2018\u201c\u201d\u00ab\u00bb"
_DOTTED_RE = re.compile(r"(?<![^\W\d_])([^\W\d_])\.\s?([^\W\d_])\.")
PLACEHOLDER_TOKEN = "\ue000"
_FRACTIONS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"
_FRACTION_RE = re.compile(rf"(?:(?<![\d.,])(\d+)[ \u00a0\u202f]?)?([{_FRACTIONS}])")


def _fraction(match: re.Match[str]) -> str:
    """``1½`` as ``1.5``: a fraction character is a number (``Take 1½ tablets`` as ``1 tablet`` is refused)."""
    value = Decimal(match.group(1) or 0) + Decimal(str(round(unicodedata.numeric(match.group(2)), 3)))
    return format(value.normalize(), "f")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic, Urdu, Bengali, Devanagari ...) as 0-9."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


@dataclass(frozen=True)
class Words:
    """A language's words for the checks (see ``language_words.toml``)."""

    language: str
    known: bool
    """False when the data file has no entry for the language (only symbols are known)."""
    am: tuple[tuple[str, ...], ...] = ()
    pm: tuple[tuple[str, ...], ...] = ()
    period_before: bool = False
    negation: tuple[tuple[str, ...], ...] = ()
    connectors: frozenset[str] = frozenset()
    units: tuple[tuple[tuple[str, ...], str], ...] = ()
    """(form as tokens, unit), longest forms first; a last token ending in ``*`` is a stem."""
    symbols: tuple[tuple[tuple[str, ...], str], ...] = ()
    """(symbol as tokens, unit) for the symbols every language shares: %, mg, °C ..."""
    decimal: str = "."
    group: str = ","


def _phrase(form: str) -> tuple[str, ...]:
    star = form.endswith("*")
    # Read as a message is read: "j.m." is "jm" there, as "a.m." is "am".
    tokens = tuple(t.text for t in tokenize(_DOTTED_RE.sub(r"\1\2", form.rstrip("*").casefold())))
    return (*tokens[:-1], tokens[-1] + "*") if star and tokens else tokens


def _phrases(forms: list[str]) -> tuple[tuple[str, ...], ...]:
    found = {_phrase(f) for f in forms if f.strip()}
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


@functools.cache
def _data() -> dict[str, Any]:
    with open(DATA, "rb") as fh:
        return tomllib.load(fh)


def language_of(locale: str) -> str:
    """``pl`` for ``pl_PL``, ``pl-PL`` or ``pl``."""
    return re.split(r"[_\-@.]", locale, maxsplit=1)[0].lower()


@functools.cache
def words_for(locale: str) -> Words:
    """The words the checks know for ``locale``'s language (symbols only if it has no entry)."""
    data = _data()
    language = language_of(locale)
    entry: dict[str, Any] = data.get(language, {})
    common: dict[str, list[str]] = data.get("common", {}).get("units", {})
    own: dict[str, list[str]] = entry.get("units", {})
    symbols = [(_phrase(f), unit) for unit, forms in common.items() for f in forms]
    unit_forms = symbols + [(_phrase(f), unit) for unit, forms in own.items() for f in forms]
    # Exact forms before stems, longer before shorter: "oră" is an hour before "or*" could be.
    unit_forms = sorted({u for u in unit_forms if u[0]}, key=lambda u: (-len(u[0]), u[0][-1].endswith("*")))
    decimal, group = number_symbols(locale)

    def listed(name: str) -> list[str]:
        value = entry.get(name, [])
        return [str(v) for v in value] if isinstance(value, list) else []

    return Words(
        language=language,
        known=bool(entry),
        am=_phrases(listed("am")),
        pm=_phrases(listed("pm")),
        period_before=bool(entry.get("period_before", False)),
        negation=_phrases(listed("negation")),
        connectors=frozenset(t.casefold() for t in listed("connectors")),
        units=tuple(unit_forms),
        symbols=tuple(sorted({s for s in symbols if s[0]}, key=lambda s: -len(s[0]))),
        decimal=decimal,
        group=group,
    )


@dataclass(frozen=True)
class Token:
    """A piece of a message: ``num``, ``word``, ``sym`` (%), ``dash``, ``stop`` or ``ph`` (placeholder)."""

    kind: str
    text: str


def _is_word_char(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch).startswith("M")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` (digits already ASCII) into numbers, words, symbols, dashes and stops."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        number = _NUMBER_RE.match(text, i) if ch.isdigit() else None
        if number:
            tokens.append(Token("num", number.group(0)))
            i = number.end()
        elif _is_word_char(ch):
            j = i + 1
            while j < len(text) and (_is_word_char(text[j]) or (
                    text[j] in "'\u2019-" and j + 1 < len(text) and _is_word_char(text[j + 1]))):
                j += 1
            tokens.append(Token("word", text[i:j].casefold()))
            i = j
        elif ch == "\u00b0":
            j = i + 1
            while j < len(text) and text[j] == " ":
                j += 1
            # The scale is its own symbol: °C, °F, °م (Arabic) are different units; a bare ° is a degree.
            scale = j < len(text) and text[j].isalpha() and (j + 1 == len(text) or not _is_word_char(text[j + 1]))
            if scale:
                letter = text[j].casefold()
                tokens.append(Token("sym", "\u00b0" + ("c" if letter in "cс" else letter)))
                i = j + 1
            else:
                tokens.append(Token("sym", "\u00b0"))
                i += 1
        elif ch in _SYMBOLS:
            tokens.append(Token("sym", ch.casefold()))
            i += 1
        elif ch == PLACEHOLDER_TOKEN:
            tokens.append(Token("ph", ch))
            i += 1
        elif ch in _DASHES:
            tokens.append(Token("dash", ch))
            i += 1
        elif ch in _STOPS:
            tokens.append(Token("stop", ch))
            i += 1
        else:
            i += 1  # spaces and markup
    return tokens


@dataclass
class Quantity:
    """A number in a message and what it means."""

    text: str
    """The number as written (digits made ASCII)."""
    keys: frozenset[Key]
    """Every value it can mean."""
    period: str | None = None
    """``am`` or ``pm`` when a morning or evening word (or am/pm) goes with it."""
    unit: str | None = None
    """The unit written next to it: ``hour``, ``percent``, ``mg`` ..."""
    symbol: bool = False
    """The unit is written as a symbol every language shares (``20%``, ``5 mg``), not as a word."""


@dataclass
class Reading:
    """What a message says in numbers."""

    quantities: list[Quantity] = field(default_factory=list)
    periods: set[str] = field(default_factory=set)
    """``am``/``pm`` for every morning or evening word in the message, with a number or not."""
    symbols: dict[str, int] = field(default_factory=dict)
    """How often each symbol-like unit (%, mg, ml, °C ...) appears, as a symbol or as its word."""
    written_symbols: dict[str, int] = field(default_factory=dict)
    """How often each appears as the symbol itself."""


def _decimal(text: str) -> str:
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def _time(hour: int, minute: int) -> Key:
    return ("t", f"{hour % 24:02d}:{minute:02d}")


def meanings(number: str, words: Words) -> list[frozenset[Key]]:
    """The values a written number can have in the language (one set per number).

    A number that cannot be read as one value in the language (``12.03.2024``) is read as
    its digit groups, one number each.
    """
    groups = re.split(f"[{re.escape(_SEPARATORS)}]", number)
    seps = re.findall(f"[{re.escape(_SEPARATORS)}]", number)
    if not seps:
        value = int(groups[0])
        return [frozenset({("n", str(value))} | ({_time(value, 0)} if value <= 24 else set()))]
    keys: set[Key] = set()
    decimal = {words.decimal, ".", "\u066b"}
    group = {words.group, " ", "\u00a0", "\u202f", "\u066c"} | ({","} if words.decimal != "," else {"."})
    if len(seps) == 1 and seps[0] in ":." and len(groups[1]) == 2 and int(groups[0]) <= 24 and int(groups[1]) < 60:
        keys.add(_time(int(groups[0]), int(groups[1])))
    if len(seps) == 1 and seps[0] in decimal:
        keys.add(("n", _decimal(f"{groups[0]}.{groups[1]}")))
    for whole in (len(seps), len(seps) - 1):  # all grouping, or grouping then one decimal mark
        if whole < 1 or not 1 <= len(groups[0]) <= 3:
            continue
        if len({*seps[:whole]}) == 1 and seps[0] in group and all(len(g) == 3 for g in groups[1:whole + 1]):
            integer = "".join(groups[: whole + 1])
            if whole == len(seps):
                keys.add(("n", str(int(integer))))
            elif seps[-1] in decimal and seps[-1] != seps[0]:
                keys.add(("n", _decimal(f"{integer}.{groups[-1]}")))
    if (len(groups) >= 3 and len(set(seps)) == 1 and seps[0] in group and 1 <= len(groups[0]) <= 2
            and all(len(g) == 2 for g in groups[1:-1]) and len(groups[-1]) == 3):
        keys.add(("n", str(int("".join(groups)))))  # Indian grouping: 1,00,000 is 100,000
    if keys:
        return [frozenset(keys)]
    return [meanings(g, words)[0] for g in groups if g]


def _matches(tokens: list[Token], at: int, phrase: tuple[str, ...]) -> bool:
    if at + len(phrase) > len(tokens):
        return False
    for offset, part in enumerate(phrase):
        token = tokens[at + offset]
        if token.kind == "stop" and token.text == part:  # the full stop of an abbreviation: "godz.", "j.m."
            continue
        if token.kind not in ("word", "sym"):
            return False
        if part.endswith("*") and offset == len(phrase) - 1:
            if not token.text.startswith(part[:-1]):
                return False
        elif token.text != part:
            return False
    return True


def _phrase_at(tokens: list[Token], at: int, phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    return next((p for p in phrases if _matches(tokens, at, p)), None)


def _unit_at(tokens: list[Token], at: int, words: Words) -> str | None:
    return next((unit for phrase, unit in words.units if _matches(tokens, at, phrase)), None)


def _symbol_at(tokens: list[Token], at: int, words: Words) -> str | None:
    return next((unit for phrase, unit in words.symbols if _matches(tokens, at, phrase)), None)


def _period_at(tokens: list[Token], at: int, words: Words) -> str | None:
    if _phrase_at(tokens, at, words.am):
        return "am"
    if _phrase_at(tokens, at, words.pm):
        return "pm"
    return None


def _unit_after(tokens: list[Token], at: int, words: Words) -> tuple[str, int] | None:
    """The unit after the number at ``at``: across a range ("2 to 4 hours") and one other word."""
    budget = 1
    i = at + 1
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "stop":
            return None
        unit = _unit_at(tokens, i, words)
        if unit:
            return unit, i
        if token.kind == "dash" or (token.kind == "word" and token.text in words.connectors):
            i += 1
            continue
        if token.kind == "num":
            previous = tokens[i - 1]
            if previous.kind == "dash" or (previous.kind == "word" and previous.text in words.connectors):
                i += 1
                continue
            return None
        if budget == 0:
            return None
        budget -= 1
        i += 1
    return None


def _unit_before(tokens: list[Token], at: int, words: Words) -> tuple[str, int] | None:
    """A unit written just before the number ("Day 2", "dzień 2")."""
    for length in range(1, 4):
        start = at - length
        if start < 0 or any(t.kind in ("stop", "num") for t in tokens[start:at]):
            return None
        for phrase, unit in words.units:
            if len(phrase) == length and _matches(tokens, start, phrase):
                return unit, start
    return None


def _period_near(tokens: list[Token], at: int, words: Words) -> str | None:
    """The morning or evening word that goes with the number at ``at``, if any.

    Looked for first on the side the language puts it (after: "6 wieczorem", "6pm"; before:
    "شام 6 بجے"), up to three words away, then one word on the other side.
    """
    def ending_at(end: int) -> str | None:
        for phrases, period in ((words.am, "am"), (words.pm, "pm")):
            if any(_matches(tokens, end - len(p) + 1, p) for p in phrases if end - len(p) + 1 >= 0):
                return period
        return None

    def scan(step: int, reach: int) -> str | None:
        i = at + step
        for _ in range(reach):
            if not 0 <= i < len(tokens) or tokens[i].kind in ("stop", "num", "dash"):
                return None
            period = _period_at(tokens, i, words) if step > 0 else ending_at(i)
            if period:
                return period
            i += step
        return None

    first, second = (-1, 1) if words.period_before else (1, -1)
    return scan(first, 3) or scan(second, 1)


def _with_period(keys: frozenset[Key], period: str | None) -> frozenset[Key]:
    """A number with a period word: only times remain, moved to the afternoon for pm."""
    if period is None:
        return keys
    times = set()
    for kind, value in keys:
        if kind != "t":
            continue
        hour, minute = (int(part) for part in value.split(":"))
        if hour == 0 and period == "pm":
            hour = 24  # "0:00" is not an afternoon time: leave it to fail
        if period == "pm" and 1 <= hour < 12:
            hour += 12
        elif period == "am" and hour == 12:
            hour = 0
        times.add(_time(hour, minute))
    return frozenset(times) or keys


def read(message: str, locale: str, *, placeholders: re.Pattern[str] | None = None) -> Reading:
    """The quantities, periods and symbols of ``message`` in ``locale``'s language."""
    words = words_for(locale)
    text = ascii_digits(message)
    if placeholders is not None:
        text = placeholders.sub(PLACEHOLDER_TOKEN, text)
    text = _DOTTED_RE.sub(r"\1\2", text)  # a.m., p.m., y.h. -> am, pm, yh
    text = _FRACTION_RE.sub(_fraction, text)  # 1½, 1 ½, ½ -> 1.5, 1.5, 0.5
    tokens = tokenize(text)
    reading = Reading()
    symbols: dict[int, str] = {}  # token index -> symbol-like unit written there, as a symbol or a word
    written: dict[int, str] = {}  # token index -> symbol written there
    for i in range(len(tokens)):
        period = _period_at(tokens, i, words)
        if period and len(tokens[i].text) > 2:  # "am", "yh", "م" mean a period only beside a number
            reading.periods.add(period)
        symbol = _symbol_at(tokens, i, words)
        if symbol:
            symbols[i] = written[i] = symbol
    for i, token in enumerate(tokens):
        if token.kind != "num":
            continue
        period = _period_near(tokens, i, words)
        found = None if period else (_unit_after(tokens, i, words) or _unit_before(tokens, i, words))
        unit = found[0] if found else None
        as_symbol = found is not None and found[1] in written
        if found and unit in symbol_units():
            symbols[found[1]] = found[0]  # "20 per cent", "20 فیصد": the word for a symbol counts as the symbol
        if period:
            reading.periods.add(period)
        for keys in meanings(token.text, words):
            clock = all(kind == "t" for kind, _ in keys)  # "la ora 18:00": o'clock is not a unit
            reading.quantities.append(Quantity(token.text, _with_period(keys, period), period,
                                               None if clock else unit, as_symbol and not clock))
    for unit in symbols.values():
        reading.symbols[unit] = reading.symbols.get(unit, 0) + 1
    for unit in written.values():
        reading.written_symbols[unit] = reading.written_symbols.get(unit, 0) + 1
    return reading


@functools.cache
def symbol_units() -> frozenset[str]:
    """Units written with a symbol every language shares (%, mg, ml, °C ...)."""
    return frozenset(_data().get("common", {}).get("units", {}))
