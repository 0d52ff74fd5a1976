"""What the translation checks know of each language, read from ``pipeline/data/language_words.toml``.

A language or a missing form is a line of data, not code.  Month names come from CLDR (Babel),
with spellings CLDR lacks added in the data file.  The hours each period of the day can mean
are here, after CLDR's day-period rules: a language's words name the periods, these hours say
what the periods are.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.i18n.catalogues import date_order, month_names, number_symbols

DATA = Path(__file__).resolve().parent.parent / "data" / "language_words.toml"
SOURCE_LANGUAGE = "en"

Phrase = tuple[str, ...]
"""A form as the tokens a message is read into; a last token ending in ``*`` is a stem."""


def _span(first: int, last: int) -> frozenset[int]:
    """Hours ``first`` to ``last`` inclusive, across midnight if need be."""
    return frozenset(h % 24 for h in range(first, last + 1 + (24 if last < first else 0)))


PERIODS: dict[str, tuple[frozenset[int], frozenset[int]]] = {
    # name: (hours a number with the word can mean, hours the word itself stands for)
    "am": (_span(0, 11), _span(0, 11)),
    "pm": (_span(12, 23), _span(12, 23)),
    "morning": (_span(1, 11), _span(5, 11)),
    "noon": (frozenset({12}), frozenset({12})),
    "midday": (_span(11, 15), _span(11, 14)),
    "afternoon": (_span(12, 18), _span(12, 17)),
    "evening": (_span(16, 23), _span(17, 22)),
    "night": (_span(19, 5), _span(22, 4)),
    "midnight": (frozenset({0}), frozenset({0})),
    "bedtime": (_span(19, 2), _span(20, 2)),
    "day": (_span(9, 17), _span(9, 17)),
}
"""The day's periods as languages divide it, not as am and pm: "night" holds late evening and the small
hours ("2 w nocy" is 02:00, "11 w nocy" 23:00, "12 w nocy" midnight); noon and midnight are their own
words.  The second set is what the word says alone, for "the English says morning; this says night"."""

COUNT_UNITS = frozenset({"tablet", "capsule", "drop", "puff", "sachet", "dose"})
"""Units a translation may add or leave out ("Take 2" as "Weź 2 tabletki"): the thing counted, not a measure."""


def _tokens(form: str) -> Phrase:
    from pipeline.i18n.numbers import DOTTED_RE, tokenize  # one tokenizer for data and messages

    star = form.endswith("*")
    tokens = tuple(t.text for t in tokenize(DOTTED_RE.sub(r"\1\2", form.rstrip("*").casefold())))
    return (*tokens[:-1], tokens[-1] + "*") if star and tokens else tokens


def _longest_first(pairs: set[tuple[Phrase, Any]]) -> tuple[tuple[Phrase, Any], ...]:
    """Exact forms before stems, longer before shorter: "oră" is an hour before "or*" could be, and
    "miligram*" a milligram before "mil*" a mile."""
    return tuple(sorted((p for p in pairs if p[0]),
                        key=lambda p: (-len(p[0]), p[0][-1].endswith("*"), -len(p[0][-1]), p[0])))


@dataclass(frozen=True)
class Words:
    """A language's words for the checks (see ``language_words.toml``)."""

    language: str
    known: bool
    """False when the data file has no entry for the language (only symbols are known)."""
    periods: tuple[tuple[Phrase, str], ...] = ()
    """(form, period name): "rano" morning, "w nocy" night, "hanner nos" midnight."""
    period_side: str = "after"
    """Where the period word stands with a number: ``after`` ("6 wieczorem"), ``before`` ("শাম 6 بجے"), ``both``."""
    period_gap: frozenset[str] = frozenset()
    """Words that may stand between a number and its period word ("6 o'clock in the evening", "صبح کے 8 بجے")."""
    counters: frozenset[str] = frozenset()
    """Words that stand between a number and what it counts without meaning anything ("২টি ট্যাবলেট")."""
    ordinals: frozenset[str] = frozenset()
    """Endings written after a number to make it an ordinal ("2nd", "2il", "২য়")."""
    ordinal_dot: bool = False
    """"2. dnia": a full stop after a number, before a small letter, makes it an ordinal."""
    negation: tuple[Phrase, ...] = ()
    """Words that negate a verb ("not", "nie", "peidiwch", "مت")."""
    negation_weak: tuple[Phrase, ...] = ()
    """Words that negate a thing, not a verb ("without", "no", "avoid", "bez")."""
    connectors: frozenset[str] = frozenset()
    half_after: tuple[Phrase, ...] = ()
    """Words after a number that add a half ("2 and a half", "2 i pół")."""
    half_before: tuple[Phrase, ...] = ()
    """Words before a number that add a half ("ساڑھے 3", "half past 8")."""
    numbers: tuple[tuple[Phrase, tuple[str, str | None]], ...] = ()
    """(form, (value, unit or None)): numbers written as words ("half", "twice", "dwie", "ail")."""
    units: tuple[tuple[Phrase, str], ...] = ()
    symbols: tuple[tuple[Phrase, str], ...] = ()
    """(symbol as tokens, unit) for the symbols every language shares: %, mg, °C ..."""
    months: tuple[tuple[Phrase, int], ...] = ()
    date_of: frozenset[str] = frozenset()
    """Words between a day and its month ("the 14th of March", "14eg o Fawrth")."""
    date_order: str = "dmy"
    decimal: str = "."
    group: str = ","
    length_ratio: float = 1.0
    """How long a translation usually is against its English."""
    call_words: tuple[Phrase, ...] = ()
    """Words that label a phone number ("call", "zadzwoń", "کال")."""
    write_words: tuple[Phrase, ...] = ()
    """Words that label an e-mail or web address ("email", "napisz", "ای میل")."""
    common: frozenset[str] = frozenset()
    """The language's commonest words, to tell it from English in the same script."""
    letters: str = ""
    """Letters with marks the language writes (""): others of the Latin script are another language's."""


@functools.cache
def data() -> dict[str, Any]:
    with open(DATA, "rb") as fh:
        return tomllib.load(fh)


def language_of(locale: str) -> str:
    """``pl`` for ``pl_PL``, ``pl-PL`` or ``pl``."""
    return re.split(r"[_\-@.]", locale, maxsplit=1)[0].lower()


def _number_key(key: str) -> tuple[str, str | None]:
    value, _, unit = key.partition(" ")
    return format(Decimal(value).normalize(), "f"), unit or None


@functools.cache
def words_for(locale: str) -> Words:
    """The words the checks know for ``locale``'s language (symbols only if it has no entry)."""
    everything = data()
    language = language_of(locale)
    entry: dict[str, Any] = everything.get(language, {})

    def listed(name: str) -> list[str]:
        value = entry.get(name, [])
        return [str(v) for v in value] if isinstance(value, list) else []

    def phrases(name: str) -> tuple[Phrase, ...]:
        return tuple(p for p, _ in _longest_first({(_tokens(f), None) for f in listed(name) if f.strip()}))

    common: dict[str, list[str]] = everything.get("common", {}).get("units", {})
    symbols = {(_tokens(f), unit) for unit, forms in common.items() for f in forms}
    units = symbols | {(_tokens(f), unit) for unit, forms in entry.get("units", {}).items() for f in forms}
    periods = {(_tokens(f), name) for name, forms in entry.get("periods", {}).items() for f in forms}
    numbers = {(_tokens(f), _number_key(key)) for key, forms in entry.get("numbers", {}).items() for f in forms}
    months = {(_tokens(name), number) for number, names in month_names(locale).items()
              for name in names}
    months |= {(_tokens(f), int(number)) for number, forms in entry.get("months", {}).items() for f in forms}
    decimal, group = number_symbols(locale)
    return Words(
        language=language,
        known=bool(entry),
        periods=_longest_first(periods),
        period_side=str(entry.get("period_side", "after")),
        period_gap=frozenset(t for f in listed("period_gap") for t in _tokens(f)),
        counters=frozenset(t.casefold() for t in listed("counters")),
        ordinals=frozenset(t.casefold() for t in listed("ordinals")),
        ordinal_dot=bool(entry.get("ordinal_dot", False)),
        negation=phrases("negation"),
        negation_weak=phrases("negation_weak"),
        connectors=frozenset(t.casefold() for t in listed("connectors")),
        half_after=phrases("half_after"),
        half_before=phrases("half_before"),
        numbers=_longest_first(numbers),
        units=_longest_first(units),
        symbols=_longest_first(symbols),
        months=_longest_first(months),
        date_order=date_order(locale),
        date_of=frozenset(t.casefold() for t in listed("date_of")),
        decimal=decimal,
        group=group,
        length_ratio=float(entry.get("length_ratio", 1.0)),
        call_words=phrases("call_words"),
        write_words=phrases("write_words"),
        common=frozenset(t.casefold() for t in listed("common")),
        letters=str(entry.get("letters", "")),
    )


@functools.cache
def symbol_units() -> frozenset[str]:
    """Units written with a symbol every language shares (%, mg, ml, °C ...)."""
    return frozenset(data().get("common", {}).get("units", {}))
