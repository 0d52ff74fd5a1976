"""Numbers as a reader understands them, in the English and in a translation.

A message is read into :class:`Quantity` items: each number with every value it can mean
in that language (``5,000`` is 5000 in English; ``5 000``, ``5.000`` in Romanian and
``٥٬٠٠٠`` are 5000 too; ``8.30`` may be a time or a decimal), the period of the day that
goes with it where the language puts one (``6pm``, ``6 wieczorem``, ``شام 6 بجے``,
``2 w nocy`` is 02:00), the unit written next to it (``2 hours``, ``2 godziny``, ``2 گھنٹے``),
dates by day, month and year (``14/03/2027`` = ``14 marca 2027``), fractions (``1½``, ``1/2``)
and numbers written as words (``half``, ``twice``, ``dwie``: they may stand for a number,
they are never required).  The words come from ``pipeline/data/language_words.toml``
(see :mod:`pipeline.i18n.words`), so a language or a missing form is a line of data.

The checks in :mod:`pipeline.i18n.checks` compare quantities by value, period and unit,
never by order: a translation may reorder a sentence, not change what it says.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pipeline.i18n.words import (
    PERIODS,
    SOURCE_LANGUAGE,
    Phrase,
    Words,
    language_of,
    symbol_units,
    words_for,
)

__all__ = ["PLACEHOLDER_TOKEN", "SOURCE_LANGUAGE", "Quantity", "Reading", "ascii_digits", "language_of",
           "Token", "meanings", "prepared", "read", "symbol_units", "tokenize", "words_for"]

Key = tuple[str, str]
"""One meaning: ``("n", "5000")`` a quantity, ``("t", "18:00")`` a time of day, ``("d", "2027-03-14")`` a date."""

_SEPARATORS = ".,:\u066b\u066c \u00a0\u202f'\u2019"
# A space or an apostrophe (Swiss "5'000") groups thousands only before three digits.
_NUMBER_RE = re.compile(r"\d+(?:(?:[.,:\u066b\u066c]|[ \u00a0\u202f'\u2019](?=\d{3}(?![\d.,:\u066b\u066c]\d)))\d+)*")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212/~"
_STOPS = ",;.:!?()[]{}\"\u060c\u061b\u06d4\u0964\u3001\u3002\n"
_SYMBOLS = "%\u066a\ufe6a\uff05\u2103\u2109"
DOTTED_RE = re.compile(r"(?<![^\W\d_])([^\W\d_])\.\s?([^\W\d_])\.")
"""``a.m.``, ``p.m.``, ``y.h.``, ``j.m.``: read as ``am``, ``pm``, ``yh``, ``jm`` (in messages and in the data)."""
PLACEHOLDER_TOKEN = "\ue000"
_FRACTIONS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"
_FRACTION_RE = re.compile(rf"(?:(?<![\d.,])(\d+)[ \u00a0\u202f]?)?([{_FRACTIONS}])")
_SLASH_FRACTION_RE = re.compile(r"(?<![\d/.,:\-])(?:(\d{1,2})[ \u00a0])?([1-9])/([2-9]|10)(?![\d/.,:\-]\d|\d)")
_ORDINAL_DOT_RE = re.compile(r"(?<=\d)\.(?=[ \u00a0]+([^\W\d_]))")


def _fraction(match: re.Match[str]) -> str:
    """``1½`` as ``1.5``: a fraction character is a number (``Take 1½ tablets`` as ``1 tablet`` is refused)."""
    value = Decimal(match.group(1) or 0) + Decimal(str(round(unicodedata.numeric(match.group(2)), 3)))
    return format(value.normalize(), "f")


def _slash_fraction(match: re.Match[str]) -> str:
    """``1/2`` as ``0.5`` and ``1 1/2`` as ``1.5`` (a numerator under its denominator: ``24/7`` is left)."""
    top, bottom = int(match.group(2)), int(match.group(3))
    if top >= bottom:
        return match.group(0)
    value = Decimal(match.group(1) or 0) + (Decimal(top) / Decimal(bottom)).quantize(Decimal("0.001"))
    return format(value.normalize(), "f")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic, Urdu, Bengali, Devanagari ...) as 0-9."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


@dataclass(frozen=True)
class Token:
    """A piece of a message: ``num``, ``word``, ``sym`` (%), ``dash``, ``stop``, ``ph`` (placeholder),
    ``date`` (text: ISO date, as far as written) or ``nword`` (a number written as a word; text: its value)."""

    kind: str
    text: str
    shown: str = ""
    """How a date or a number word was written, for messages."""
    unit: str | None = None
    """The unit a number word carries ("twice": times)."""
    half: bool = False
    """A half is added to the number ("2 and a half", "ساڑھے 3")."""


def _is_word_char(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch).startswith("M")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` (digits already ASCII) into numbers, words, symbols, dashes and stops.

    A hyphen is a token of its own ("৮টা-সন্ধ্যা ৬টা" is a range; "după-amiaza" is matched as
    three tokens, in the data as in a message); an apostrophe stays in its word ("o'clock", "gyda'r").
    """
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
                    text[j] in "'\u2019" and j + 1 < len(text) and _is_word_char(text[j + 1]))):
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
            tokens.append(Token("dash", "-" if ch in "-\u2010\u2011" else ch))
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
    """The number as written (digits made ASCII; a date or a number word as written)."""
    keys: frozenset[Key]
    """Every value it can mean (with a period: the times it can be)."""
    period: str | None = None
    """The period of the day that goes with it: ``am``, ``pm``, ``morning``, ``night``, ``noon`` ..."""
    period_text: str = ""
    """The period word as written ("pm", "w nocy")."""
    unit: str | None = None
    """The unit written next to it: ``hour``, ``percent``, ``mg`` ..."""
    symbol: bool = False
    """The unit is written as a symbol every language shares (``20%``, ``5 mg``), not as a word."""
    soft: bool = False
    """Written as a word ("half", "twice", "dwie"): it may stand for a number, it is never required."""
    count: frozenset[Key] = frozenset()
    """Its value as a quantity, whatever period goes with it ("Take 2 in the morning" is 2 tablets)."""


@dataclass
class Reading:
    """What a message says in numbers."""

    quantities: list[Quantity] = field(default_factory=list)
    periods: set[str] = field(default_factory=set)
    """The periods of the day the message names, with a number or not (``morning``, ``midnight`` ...)."""
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

    A number that cannot be read as one value in the language (``12.03.2024`` outside a date)
    is read as its digit groups, one number each.
    """
    groups = re.split(f"[{re.escape(_SEPARATORS)}]", number)
    seps = re.findall(f"[{re.escape(_SEPARATORS)}]", number)
    if not seps:
        value = int(groups[0])
        return [frozenset({("n", str(value))} | ({_time(value, 0)} if value <= 24 else set()))]
    keys: set[Key] = set()
    decimal = {words.decimal, ".", "\u066b"}
    group = {words.group, " ", "\u00a0", "\u202f", "\u066c", "'", "\u2019"} | ({","} if words.decimal != "," else {"."})
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


# --- Matching the data's forms -------------------------------------------------------


def _matches(tokens: list[Token], at: int, phrase: Phrase) -> bool:
    if at < 0 or at + len(phrase) > len(tokens):
        return False
    for offset, part in enumerate(phrase):
        token = tokens[at + offset]
        if token.kind in ("stop", "dash") and token.text == part:  # "godz.", "j.m.", "după-amiaza"
            continue
        if token.kind not in ("word", "sym"):
            return False
        if part.endswith("*") and offset == len(phrase) - 1:
            if not token.text.startswith(part[:-1]):
                return False
        elif token.text != part:
            return False
    return True


_Forms = tuple[tuple[Phrase, object], ...]
_INDEXES: dict[int, tuple[_Forms, dict[str, list[tuple[Phrase, object]]], list[tuple[Phrase, object]]]] = {}


def _index(forms: _Forms) -> tuple[dict[str, list[tuple[Phrase, object]]], list[tuple[Phrase, object]]]:
    """``forms`` by their first token (a stem's forms apart), in their order: a message is read a token at a
    time against hundreds of forms."""
    known = _INDEXES.get(id(forms))
    if known is None or known[0] is not forms:
        by_first: dict[str, list[tuple[Phrase, object]]] = {}
        stems = []
        for item in forms:
            if item[0][0].endswith("*"):
                stems.append(item)
            else:
                by_first.setdefault(item[0][0], []).append(item)
        known = _INDEXES[id(forms)] = (forms, by_first, stems)
    return known[1], known[2]


def _found(tokens: list[Token], at: int, forms: _Forms) -> tuple[Phrase, object] | None:
    """The first of ``forms`` (longest first) that ``tokens`` have at ``at``."""
    if not 0 <= at < len(tokens):
        return None
    by_first, stems = _index(forms)
    for item in by_first.get(tokens[at].text, ()):
        if _matches(tokens, at, item[0]):
            return item
    return next((item for item in stems if _matches(tokens, at, item[0])), None)


def _unit_at(tokens: list[Token], at: int, words: Words) -> str | None:
    found = _found(tokens, at, words.units)
    return str(found[1]) if found else None


def _symbol_at(tokens: list[Token], at: int, words: Words) -> str | None:
    found = _found(tokens, at, words.symbols)
    return str(found[1]) if found else None


def _starts_with(tokens: list[Token], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    return next((p for p in phrases if _matches(tokens, at, p)), None)


def _ends_with(tokens: list[Token], end: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    return next((p for p in phrases if _matches(tokens, end - len(p) + 1, p)), None)


# --- Dates ---------------------------------------------------------------------------------


def _date_key(day: int | None, month: int, year: int | None) -> str | None:
    if not 1 <= month <= 12:
        return None
    if year is not None and year < 100:
        year += 2000
    if day is not None and not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


def _numeric_date(parts: list[str], words: Words) -> str | None:
    """``14/03/2027`` or ``14.03.27`` in the language's order of day, month and year; ``03/2027``."""
    if not all(p.isdigit() for p in parts):
        return None
    if len(parts) == 2 and len(parts[0]) <= 2 and len(parts[1]) == 4:
        return _date_key(None, int(parts[0]), int(parts[1]))
    if len(parts) != 3:
        return None
    # Year first where it is written first; otherwise day and month in the language's order (a language that
    # puts the year first, as Persian does, writes "14/03/2027" day first when it writes the year last).
    order = "ymd" if len(parts[0]) == 4 else ("md" if words.date_order.index("m") < words.date_order.index("d")
                                              and words.date_order[0] != "y" else "dm") + "y"
    if [len(p) for p in parts] not in ([1, 1, 4], [1, 2, 4], [2, 1, 4], [2, 2, 4], [1, 1, 2], [1, 2, 2], [2, 1, 2],
                                       [2, 2, 2], [4, 2, 2], [4, 1, 1], [4, 1, 2], [4, 2, 1]):
        return None
    value = dict(zip(order, (int(p) for p in parts), strict=True))
    return _date_key(value["d"], value["m"], value["y"]) or "?" + "/".join(parts)


def _day(token: Token) -> int | None:
    return int(token.text) if token.kind == "num" and token.text.isdigit() and len(token.text) <= 2 \
        and 1 <= int(token.text) <= 31 else None


def _year(token: Token) -> int | None:
    return int(token.text) if token.kind == "num" and token.text.isdigit() and len(token.text) == 4 \
        and 1900 <= int(token.text) <= 2199 else None


def _dates(tokens: list[Token], words: Words) -> list[Token]:
    """``tokens`` with each date made one ``date`` token: numeric in the language's order, or with a
    month's name (CLDR's, in any case and width: "14 March 2027", "14 marca 2027", "১৪ মার্চ ২০২৭",
    "March 2028", "the 14th of March")."""
    out: list[Token] = []
    i = 0

    def month_at(at: int) -> tuple[int, int] | None:
        found = _found(tokens, at, words.months)
        if not found:
            return None
        end = at + len(found[0])
        if end < len(tokens) and tokens[end].text == "." and tokens[end].kind == "stop" and len(found[0][-1]) <= 5:
            end += 1  # "mar." and "ian."; a sentence's full stop is not lost (the date ends there)
        return int(str(found[1])), end

    def skip_ordinal(at: int) -> int:
        if at < len(tokens) and tokens[at].kind == "word" and tokens[at].text in words.ordinals:
            return at + 1
        return at

    while i < len(tokens):
        token = tokens[i]
        # 14.03.2027 as one number; 14/03/2027, 2027-03-14, 03/2027 as numbers and dashes
        if token.kind == "num" and re.fullmatch(r"\d+(\.\d+){1,2}", token.text):
            key = _numeric_date(token.text.split("."), words)
            if key and not key.startswith("?") or (key and token.text.count(".") == 2):
                out.append(Token("date", key, token.text))
                i += 1
                continue
        if token.kind == "num" and i + 2 < len(tokens) and tokens[i + 1].kind == "dash" \
                and tokens[i + 1].text in "/-." and tokens[i + 2].kind == "num":
            three = i + 4 < len(tokens) and tokens[i + 3].kind == "dash" and tokens[i + 3].text == tokens[i + 1].text \
                and tokens[i + 4].kind == "num"
            parts = [tokens[i].text, tokens[i + 2].text] + ([tokens[i + 4].text] if three else [])
            key = _numeric_date(parts, words)
            if key:
                out.append(Token("date", key, tokens[i + 1].text.join(parts)))
                i += 5 if three else 3
                continue
        day = _day(token)
        if day is not None:
            at = skip_ordinal(i + 1)
            if at < len(tokens) and tokens[at].kind == "word" and tokens[at].text in words.date_of:
                at += 1
            month = month_at(at)
            if month:
                after = month[1]
                if after + 1 < len(tokens) and tokens[after].kind == "stop" and tokens[after].text in ",\u060c" \
                        and _year(tokens[after + 1]) is not None:
                    after += 1  # "14 مارچ، 2027", "14 March, 2027"
                year = _year(tokens[after]) if after < len(tokens) else None
                end = after + 1 if year is not None else month[1]
                shown = " ".join(t.text for t in tokens[i:end])
                out.append(Token("date", _date_key(day, month[0], year) or "?" + shown, shown))
                i = end
                continue
        month = month_at(i)
        if month:
            at = month[1]
            day = _day(tokens[at]) if at < len(tokens) else None
            if day is not None:
                after = skip_ordinal(at + 1)
                if after < len(tokens) and tokens[after].kind == "stop" and tokens[after].text == ",":
                    after += 1
                year = _year(tokens[after]) if after < len(tokens) else None
                if year is not None:
                    shown = " ".join(t.text for t in tokens[i:after + 1])
                    out.append(Token("date", _date_key(day, month[0], year) or "?" + shown, shown))
                    i = after + 1
                    continue
            year = _year(tokens[at]) if at < len(tokens) else None
            if year is not None:
                shown = " ".join(t.text for t in tokens[i:at + 1])
                out.append(Token("date", _date_key(None, month[0], year) or "?" + shown, shown))
                i = at + 1
                continue
        out.append(token)
        i += 1
    return out


# --- Halves and numbers written as words ------------------------------------------------------


def _halves(tokens: list[Token], words: Words) -> list[Token]:
    """``tokens`` with the words that add a half to a number ("2 and a half", "ساڑھے 3", "half past 8")
    taken into the number."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        before = _starts_with(tokens, i, words.half_before)
        if before and i + len(before) < len(tokens) and tokens[i + len(before)].kind == "num":
            out.append(Token("num", tokens[i + len(before)].text, half=True))
            i += len(before) + 1
            continue
        after = _starts_with(tokens, i + 1, words.half_after) if tokens[i].kind == "num" else None
        if after:
            out.append(Token("num", tokens[i].text, half=True))
            i += len(after) + 1
            continue
        out.append(tokens[i])
        i += 1
    return out


def _with_half(keys: frozenset[Key]) -> frozenset[Key]:
    out: set[Key] = set()
    for kind, value in keys:
        if kind == "n":
            out.add(("n", _decimal(str(Decimal(value) + Decimal("0.5")))))
        elif kind == "t" and value.endswith(":00"):
            out.add(("t", value[:-3] + ":30"))
    return frozenset(out)


def _period_spans(tokens: list[Token], words: Words) -> dict[int, tuple[int, str]]:
    """Where period words are: start -> (end, period name), left to right, longest form first."""
    spans: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(tokens):
        found = _found(tokens, i, words.periods)
        if found:
            spans[i] = (i + len(found[0]), str(found[1]))
            i += len(found[0])
        else:
            i += 1
    return spans


def _number_words(tokens: list[Token], words: Words) -> list[Token]:
    """``tokens`` with each number written as a word made one ``nword`` token ("half", "twice", "dwie")."""
    if not words.numbers:
        return tokens
    covered = {k for start, (end, _) in _period_spans(tokens, words).items() for k in range(start, end)}
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        after_number = i > 0 and tokens[i - 1].kind in ("num", "nword")
        found = None if i in covered or after_number else _found(tokens, i, words.numbers)
        if found:
            phrase, meaning = found
            value, unit = meaning if isinstance(meaning, tuple) else (str(meaning), None)
            shown = " ".join(t.text for t in tokens[i:i + len(phrase)])
            out.append(Token("nword", str(value), shown, unit if isinstance(unit, str) else None))
            i += len(phrase)
        else:
            out.append(tokens[i])
            i += 1
    return out


# --- A number's unit and period ------------------------------------------------------------


def _unit_after(tokens: list[Token], at: int, words: Words, periods: dict[int, tuple[int, str]]
                ) -> tuple[str, int] | None:
    """The unit after the number at ``at``: across a range ("2 to 4 hours"), an ordinal ending ("2nd day"),
    a counter word ("২টি ট্যাবলেট") and one other word; not past a period word ("2 at night")."""
    budget = 1
    skipped = False
    i = at + 1
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "stop":
            return None
        unit = _unit_at(tokens, i, words)
        if i in periods and (skipped or unit is None):
            return None
        if unit:
            return unit, i
        if token.kind == "dash" or (token.kind == "word" and token.text in words.connectors):
            i += 1
            continue
        if token.kind in ("num", "nword"):
            previous = tokens[i - 1]
            if previous.kind == "dash" or (previous.kind == "word" and previous.text in words.connectors):
                i += 1
                continue
            return None
        if token.kind == "word" and (token.text in words.counters or (i == at + 1 and token.text in words.ordinals)):
            i += 1
            continue
        if budget == 0 or token.kind != "word":
            return None
        budget -= 1
        skipped = True
        i += 1
    return None


def _unit_before(tokens: list[Token], at: int, words: Words) -> tuple[str, int] | None:
    """A unit written just before the number ("Day 2", "dzień 2")."""
    for length in range(1, 4):
        start = at - length
        if start < 0 or any(t.kind in ("stop", "num", "nword", "date") for t in tokens[start:at]):
            return None
        found = _found(tokens, start, words.units)
        if found and len(found[0]) == length:
            return str(found[1]), start
    return None


_GAP_REACH = 4
_CLOCK_WORDS: dict[str, Key] = {"noon": ("t", "12:00"), "midnight": ("t", "00:00")}


def _period_for(tokens: list[Token], at: int, words: Words, periods: dict[int, tuple[int, str]]
                ) -> tuple[str, int] | None:
    """The period word that goes with the bare number at ``at`` (name, start), where the language puts it:
    on its side, across the words the language puts between ("6 o'clock in the evening", "صبح کے 8 بجے");
    on the other side only right next to it."""
    ends = {end - 1: (start, name) for start, (end, name) in periods.items()}

    def scan(step: int, gaps: bool) -> tuple[str, int] | None:
        i = at + step
        for _ in range(_GAP_REACH + 1):
            if not 0 <= i < len(tokens):
                return None
            if step > 0 and i in periods:
                return periods[i][1], i
            if step < 0 and i in ends:
                return ends[i][1], ends[i][0]
            token = tokens[i]
            free = token.kind == "word" and (token.text in words.counters
                                             or (i == at + 1 and token.text in words.ordinals))
            if not (free or (gaps and token.kind == "word" and token.text in words.period_gap)):
                return None
            i += step
        return None

    own = {"after": (1,), "before": (-1,), "both": (1, -1)}.get(words.period_side, (1,))
    for step in own:
        found = scan(step, True)
        if found:
            return found
    for step in (1, -1):
        if step not in own:
            found = scan(step, False)
            if found:
                return found
    return None


def _at_period(keys: frozenset[Key], period: str) -> frozenset[Key]:
    """The times a number can be with ``period``: "2 w nocy" 02:00, "11 w nocy" 23:00, "12 w nocy" 00:00."""
    hours = PERIODS.get(period, (frozenset(range(24)), frozenset()))[0]
    times: set[Key] = set()
    for kind, value in keys:
        if kind != "t":
            continue
        hour, minute = (int(part) for part in value.split(":"))
        candidates = {hour % 24, (hour + 12) % 24} if hour <= 12 else {hour % 24}
        times |= {_time(h, minute) for h in candidates & hours}
        if not candidates & hours:
            times.add(("t", f"{value} {period}?"))  # no such time: it can match nothing
    return frozenset(times)


def prepared(message: str, locale: str, *, placeholders: re.Pattern[str] | None = None
             ) -> tuple[list[Token], dict[int, tuple[int, str]]]:
    """``message`` as the tokens :func:`read` reads (dates, halves and number words each one token), and where
    its period words are (start -> (end, period))."""
    words = words_for(locale)
    text = ascii_digits(message)
    if placeholders is not None:
        text = placeholders.sub(PLACEHOLDER_TOKEN, text)
    text = DOTTED_RE.sub(r"\1\2", text)  # a.m., p.m., y.h. -> am, pm, yh
    text = _SLASH_FRACTION_RE.sub(_slash_fraction, text)  # 1/2 -> 0.5
    text = _FRACTION_RE.sub(_fraction, text)  # 1½, 1 ½, ½ -> 1.5, 1.5, 0.5
    if words.ordinal_dot:  # "2. dnia": the full stop of an ordinal, not a sentence's end
        text = _ORDINAL_DOT_RE.sub(lambda m: "" if m.group(1).islower() else ".", text)
    tokens = _number_words(_halves(_dates(tokenize(text), words), words), words)
    return tokens, _period_spans(tokens, words)


def read(message: str, locale: str, *, placeholders: re.Pattern[str] | None = None) -> Reading:
    """The quantities, periods and symbols of ``message`` in ``locale``'s language."""
    words = words_for(locale)
    tokens, periods = prepared(message, locale, placeholders=placeholders)
    reading = Reading()
    symbols: dict[int, str] = {}  # token index -> symbol-like unit written there, as a symbol or a word
    written: dict[int, str] = {}  # token index -> symbol written there
    used_periods: set[int] = set()
    unit_places: set[int] = set()
    for i in range(len(tokens)):
        symbol = _symbol_at(tokens, i, words)
        if symbol:
            symbols[i] = written[i] = symbol
    for i, token in enumerate(tokens):
        if token.kind == "date":
            reading.quantities.append(Quantity(token.shown, frozenset({("d", token.text)}), unit="date"))
            continue
        if token.kind not in ("num", "nword"):
            continue
        if token.kind == "nword":
            options = [frozenset({("n", token.text)} | ({_time(int(token.text), 0)} if token.text.isdigit()
                                                       and int(token.text) <= 12 else set()))]
        else:
            options = meanings(token.text, words)
        if token.half:
            options = [_with_half(keys) for keys in options]
        found = (token.unit, i) if token.unit else _unit_after(tokens, i, words, periods)
        period = None
        clockish = any(kind == "t" for keys in options for kind, _ in keys)
        if found is None and clockish:
            period = _period_for(tokens, i, words, periods)
        if found is None and period is None:
            found = _unit_before(tokens, i, words)
        unit = found[0] if found else None
        if found:
            unit_places.add(found[1])
        if period:
            used_periods.add(period[1])
        as_symbol = found is not None and found[1] in written
        if found and unit in symbol_units():
            symbols[found[1]] = found[0]  # "20 per cent", "20 فیصد": the word for a symbol counts as the symbol
        shown = token.shown or token.text
        for keys in options:
            clock = all(kind == "t" for kind, _ in keys)  # "la ora 18:00": o'clock is not a unit
            count = frozenset(k for k in keys if k[0] == "n")
            if period:
                name, start = period
                reading.quantities.append(Quantity(
                    shown, _at_period(keys, name), name, " ".join(t.text for t in tokens[start:periods[start][0]]),
                    None, False, token.kind == "nword", count))
            else:
                reading.quantities.append(Quantity(shown, keys, None, "", None if clock else unit,
                                                   as_symbol and not clock, token.kind == "nword", count))
    for start, (end, name) in periods.items():
        if name in _CLOCK_WORDS and start not in used_periods and start not in unit_places:
            # "o północy", "hanner nos", "noon": the time itself, which "12 midnight" may be written as
            phrase = " ".join(t.text for t in tokens[start:end])
            reading.quantities.append(Quantity(phrase, frozenset({_CLOCK_WORDS[name]}), name, "", soft=True))
        beside = start in used_periods or any(tokens[k].kind == "num" for k in (start - 1, end) if 0 <= k < len(tokens))
        if start in unit_places:
            continue  # "3 nights" counts nights; it names no time of day
        if beside or sum(len(t.text) for t in tokens[start:end]) > 2:  # "am", "yh", "م" only beside a number
            reading.periods.add(name)
    for unit in symbols.values():
        reading.symbols[unit] = reading.symbols.get(unit, 0) + 1
    for unit in written.values():
        reading.written_symbols[unit] = reading.written_symbols.get(unit, 0) + 1
    return reading
