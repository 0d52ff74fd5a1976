"""Checks that protect patients: a translated message against its English source.

Each check returns problems as short sentences.  A catalogue with any problem, any
untranslated or fuzzy message, or out of date with its leaflet, is not built.
Translate Toolkit's ``pofilter`` checks (numbers, urls, emails, printf, brackets)
were the reference for what translators' own tools already catch; these go further:

* numbers by value, not by spelling (``5,000`` = ``5 000`` = ``5.000`` in Romanian =
  ``٥٬٠٠٠``), times by the clock (``6pm`` = ``18:00`` = ``6 wieczorem``, never ``6 rano``),
  each number with its unit (``5 seconds`` is not ``5 times``), symbols counted;
* placeholders of one kind in the English order, unless the message is flagged
  :data:`REORDER_FLAG`;
* bold: as many bold spans, bold numbers and placeholders still bold, a bold "not" still
  on a negative;
* invisible format characters (bidi overrides, zero-width spaces) a translation adds.

What no pattern check can catch (a dropped "not" with no bold on it, a sentence that
says something else with the same numbers) is for the qualified translator's sign-off.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection

from pipeline.i18n.messages import PLACEHOLDER_RE, MessageError, from_message
from pipeline.i18n.numbers import (
    SOURCE_LANGUAGE,
    Quantity,
    Token,
    ascii_digits,
    language_of,
    read,
    symbol_units,
    tokenize,
    words_for,
)
from pipeline.i18n.words import COUNT_UNITS, PERIODS
from pipeline.model import UNPRINTABLE_RE, Emphasis, Inline, Link, Strong, Text
from pipeline.sentences import sentence_ends

__all__ = ["REORDER_FLAG", "ascii_digits", "check_message", "language_warnings"]

REORDER_FLAG = "placeholders-reordered"
"""PO flag a translator sets where this language needs same-kind placeholders in another order."""

_UNIT_NAMES = {"percent": "%", "degree": "degrees", "fahrenheit": "°F", "glass": "glasses or cups",
               "inch": "inches", "date": "a date", "stone": "stone", "mg": "mg", "ml": "ml", "kg": "kg",
               "mmol": "mmol", "cm": "cm", "mm": "mm", "km": "km"}
_INVISIBLE_OK = {"\u200c", "\u200d"}  # ZWNJ and ZWJ shape words in Urdu, Persian, Bengali, Hindi
_HARMLESS = {"\u200e", "\u200f", "\u061c", "\u00ad"}
"""Left-to-right, right-to-left and Arabic letter marks (an Urdu writer puts one after a number) and the soft
hyphen (Word's optional hyphen): they reverse or hide nothing.  The marks are removed before any file is made
(the exporters set the direction themselves); the soft hyphen is kept as a place a word may break."""
_JOINER_IN_NUMBER_RE = re.compile(r"\d[\u200c\u200d]+|[\u200c\u200d]+\d")


def _unit_name(unit: str | None) -> str:
    return _UNIT_NAMES.get(unit, unit + "s") if unit else "no unit"


def language_warnings(locale: str) -> list[str]:
    """What the checks cannot do for ``locale`` because the data file does not know its language."""
    words = words_for(locale)
    if words.known:
        return []
    return [f"no number words for '{words.language}' in pipeline/data/language_words.toml: units and "
            "morning/evening words are not checked for this language, and a pm time passes only on the "
            "24-hour clock; add the language's entry"]


def check_message(msgid: str, msgstr: str, locale: str = "und", flags: Collection[str] = ()) -> list[str]:
    """Problems with ``msgstr`` as the ``locale`` translation of ``msgid`` (empty list: none).

    ``flags`` are the PO entry's flags (``same-as-source``, :data:`REORDER_FLAG`).
    """
    if not msgstr.strip():
        return ["translation is empty"]
    problems = _numbers(msgid, msgstr, locale)
    problems += _braces(msgstr) or (_placeholders(msgid, msgstr, REORDER_FLAG in flags)
                                    or _labels(msgid, msgstr, locale))
    problems += _markup(msgid, msgstr, locale)
    problems += _invisible(msgid, msgstr)
    problems += _addresses(msgid, msgstr)
    problems += _dropped(msgid, msgstr, locale)
    problems += _script(msgstr, locale, "same-as-source" in flags)
    problems += _language(msgstr, locale, "same-as-source" in flags)
    if msgstr.strip() == msgid.strip() and "same-as-source" not in flags:
        problems.append("translation is identical to the English (flag it 'same-as-source' if that is right)")
    return problems


# --- Numbers, times, units ---------------------------------------------------------


def _pairs(sources: list[Quantity], targets: list[Quantity],
           fits: Callable[[Quantity, Quantity], bool]) -> dict[int, int]:
    """A largest matching of source to target quantities (augmenting paths; messages are short)."""
    owner: dict[int, int] = {}

    def place(s: int, seen: set[int]) -> bool:
        for t, target in enumerate(targets):
            if t in seen or not fits(sources[s], target):
                continue
            seen.add(t)
            if t not in owner or place(owner[t], seen):
                owner[t] = s
                return True
        return False

    for s in range(len(sources)):
        place(s, set())
    return {s: t for t, s in owner.items()}


def _fits(s: Quantity, t: Quantity) -> bool:
    """The same value: the same time where both name a period, the same count where one names a period and
    the other a unit ("Take 2 in the morning" as "Weź 2 tabletki rano"), else any meaning in common."""
    if s.period and t.period:
        return bool(_times(s) & _times(t))
    if s.period and t.unit in COUNT_UNITS:
        return bool(s.count & t.keys)
    if t.period and s.unit in COUNT_UNITS:
        return bool(s.keys & t.count)
    return bool(s.keys & t.keys)


def _same_unit(s: Quantity, t: Quantity) -> bool:
    """A clock time has no unit to compare ("6pm" and "godz. 18" are the same time); the thing counted
    may be said or left out ("Take 2" as "Weź 2 tabletki")."""
    return (s.unit == t.unit or _clock(s) or (s.unit in COUNT_UNITS and t.unit is None)
            or (t.unit in COUNT_UNITS and s.unit is None))


def _numbers(msgid: str, msgstr: str, locale: str) -> list[str]:
    source = read(msgid, SOURCE_LANGUAGE, placeholders=PLACEHOLDER_RE)
    target = read(msgstr, locale, placeholders=PLACEHOLDER_RE)
    known = words_for(locale).known
    symbols = symbol_units()
    src = source.quantities
    if not known:  # no words for the language: only symbols and figures can be compared
        for q in src:
            q.unit = q.unit if q.symbol or q.unit == "date" else None
        src = [q for q in src if not q.soft]
        source.symbols, target.symbols = source.written_symbols, target.written_symbols
    tgt = target.quantities
    problems: list[str] = []
    # Figures with figures first, then a number written as a word may stand for one ("twice", "dwie").
    exact: dict[int, int] = {}
    for soft_ok in (False, True):
        rest_s = [i for i in range(len(src)) if i not in exact and (soft_ok or not src[i].soft)]
        taken = set(exact.values())
        rest_t = [i for i in range(len(tgt)) if i not in taken and (soft_ok or not tgt[i].soft)]
        found = _pairs([src[i] for i in rest_s], [tgt[i] for i in rest_t],
                       lambda s, t: _fits(s, t) and _same_unit(s, t))
        exact.update({rest_s[a]: rest_t[b] for a, b in found.items()})
    rest_s = [i for i in range(len(src)) if i not in exact]
    matched = set(exact.values())
    rest_t = [i for i in range(len(tgt)) if i not in matched]
    by_value = _pairs([src[i] for i in rest_s], [tgt[i] for i in rest_t], _fits)
    for a, b in by_value.items():
        s, t = src[rest_s[a]], tgt[rest_t[b]]
        if s.soft and t.soft:
            continue
        if t.unit is None:
            written = f"{s.text} {_unit_name(s.unit)}"
            problems.append(f"'{written}': no word for {_unit_name(s.unit)} next to {t.text} here (if the "
                            "translation is right, add the form to pipeline/data/language_words.toml)")
        elif s.unit is None:
            problems.append(f"'{t.text}' goes with {_unit_name(t.unit)} here; the English has no unit the checks "
                            f"know next to {s.text}: check the unit (and add the English word to "
                            "pipeline/data/language_words.toml)")
        else:
            problems.append(f"'{s.text}' goes with {_unit_name(s.unit)} in the English but with "
                            f"{_unit_name(t.unit)} here")
    missing = [src[rest_s[a]] for a in range(len(rest_s)) if a not in by_value and not src[rest_s[a]].soft]
    paired = set(by_value.values())
    extra = [tgt[rest_t[b]] for b in range(len(rest_t)) if b not in paired and not tgt[rest_t[b]].soft]
    problems += _misread_times(missing, extra)
    problems += _swapped_dates(missing, extra, locale)
    if missing:
        problems.append("number(s) missing or changed: " + _listed([_shown(q) for q in missing]))
    if extra:
        problems.append("number(s) not in the English: " + _listed([_shown(q) for q in extra]))
    for unit in sorted(symbols):
        if source.symbols.get(unit, 0) != target.symbols.get(unit, 0):
            problems.append(f"{_unit_name(unit)} appears {source.symbols.get(unit, 0)} time(s) in the English "
                            f"and {target.symbols.get(unit, 0)} here")
    if source.periods:
        said = frozenset().union(*(PERIODS[p][1] for p in source.periods))
        for period in sorted(target.periods - source.periods):
            if not PERIODS[period][1] & said:
                problems.append(f"the English says {_said(source.periods)}; this says {_PERIOD_NAMES[period]}")
    return problems


_PERIOD_NAMES = {"am": "morning", "pm": "afternoon or evening", "morning": "morning", "noon": "noon",
                 "midday": "midday", "afternoon": "afternoon", "evening": "evening", "night": "night",
                 "midnight": "midnight", "bedtime": "bedtime", "day": "daytime"}


def _said(periods: set[str]) -> str:
    return " and ".join(dict.fromkeys(_PERIOD_NAMES[p] for p in sorted(periods)))


def _times(quantity: Quantity) -> frozenset[tuple[str, str]]:
    return frozenset(k for k in quantity.keys if k[0] == "t")


def _misread_times(missing: list[Quantity], extra: list[Quantity]) -> list[str]:
    """A time written so that it reads as another: "6pm" as "6:00" (a morning time), "12 noon" as
    "12 w nocy" (midnight).  Each pair found is taken off ``missing`` and ``extra``."""
    problems = []
    for s in [q for q in missing if q.period and _times(q)]:
        wanted = sorted(_times(s))[0][1]
        hour, minute = wanted.split(":")[0], wanted.split(":")[1][:2]
        clock = {f"{(int(hour) + shift) % 24:02d}:{minute}" for shift in (0, 12)} if hour.isdigit() else set()
        other = next((t for t in extra if any(value in clock and value != wanted for _, value in _times(t))), None)
        if other is None:
            continue
        read_as = next(value for _, value in sorted(_times(other)) if value in clock)
        morning = 0 < int(read_as[:2]) < 12 <= int(wanted[:2])
        problems.append(f"{_shown(s)} is written {_shown(other)} here, which reads as "
                        + (f"a morning time: write {wanted} or add the word for afternoon or evening" if morning
                           else f"{read_as}, not {wanted}: check the word for the time of day"))
        missing.remove(s)
        extra.remove(other)
    return problems


_ORDER_NAMES = {"dmy": "day, month, year", "mdy": "month, day, year", "ymd": "year, month, day"}


def _swapped_dates(missing: list[Quantity], extra: list[Quantity], locale: str) -> list[str]:
    """A date with its day and month the other way round ("14/03/2027" as "03/14/2027")."""
    problems = []
    for s in [q for q in missing if q.unit == "date"]:
        other = next((t for t in extra if t.unit == "date" and _date_parts(t) == _date_parts(s)), None)
        if other is None:
            continue
        problems.append(f"the date {s.text} is written {other.text} here: the day and month are the other way "
                        "round (a date in figures is read in the language's own order, here "
                        f"{_ORDER_NAMES.get(words_for(locale).date_order, 'day, month, year')})")
        missing.remove(s)
        extra.remove(other)
    return problems


def _date_parts(quantity: Quantity) -> list[int]:
    value = next(iter(quantity.keys))[1]
    return sorted(int(part) for part in re.findall(r"\d+", value))


def _listed(shown: list[str]) -> str:
    """Each number once (one written number read as its groups is still one), at most ten, then how
    many more: a problem is a line to read, not the message again."""
    once = list(dict.fromkeys(shown))
    return ", ".join(once[:10]) + (f" and {len(once) - 10} more" if len(once) > 10 else "")


SCRIPTS = {"pl": "LATIN", "cy": "LATIN", "ro": "LATIN", "en": "LATIN", "so": "LATIN", "pt": "LATIN", "es": "LATIN",
           "fr": "LATIN", "de": "LATIN", "it": "LATIN", "lt": "LATIN", "lv": "LATIN", "sk": "LATIN", "cs": "LATIN",
           "hu": "LATIN", "tr": "LATIN", "sq": "LATIN", "ur": "ARABIC", "ar": "ARABIC", "fa": "ARABIC",
           "ps": "ARABIC", "ku": "ARABIC", "bn": "BENGALI", "hi": "DEVANAGARI", "ne": "DEVANAGARI",
           "gu": "GUJARATI", "ta": "TAMIL", "ti": "ETHIOPIC", "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC",
           "zh": "CJK"}
"""The script each language's letters are in (Unicode character names begin with it).  Punjabi is left out:
it is written in Gurmukhi in India and in Shahmukhi (Arabic) in Pakistan."""


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _script(msgstr: str, locale: str, same_as_source: bool) -> list[str]:
    """Letters of another script than the language's (Hindi in an Urdu catalogue), or none of its own
    (English left in a Bengali one).  Latin letters are allowed beside any script: drug names, CT, NHS."""
    expected = SCRIPTS.get(language_of(locale))
    if expected is None or same_as_source:
        return []
    letters = [ch for ch in PLACEHOLDER_RE.sub(" ", msgstr) if ch.isalpha()]
    scripts = {_script_of(ch) for ch in letters}
    foreign = sorted(scripts - {expected, "LATIN", ""})
    problems = [f"letters of the {script.title()} script in a translation written in "
                f"{expected.title()} script: the wrong language?" for script in foreign]
    if expected != "LATIN" and len(letters) >= 4 and expected not in scripts:
        problems.append(f"no letters of the {expected.title()} script: English (or another language) left in?")
    return problems


FOREIGN_LETTERS = 2
"""A Latin-script translation with this many letters its language does not write (Czech ř, ě, ů in Polish)
is in another language.  One is let pass: a name or a borrowed word ("Guillain-Barré")."""
ENGLISH_WORDS = 3
"""A sentence of a translation with this many of English's commonest words, and more of them than of its own
language's, was left in English."""


def _language(msgstr: str, locale: str, same_as_source: bool) -> list[str]:
    """The wrong language in the right script: another language's letters (Czech in a Polish catalogue), or a
    sentence left in English (Welsh, Polish), by the language's letters and commonest words in the data file.
    A documented heuristic, not a language identifier: a sentence short of three common words is not judged."""
    words = words_for(locale)
    language = language_of(locale)
    if same_as_source or not words.known or language == SOURCE_LANGUAGE:
        return []
    text = PLACEHOLDER_RE.sub(" ", msgstr)
    problems = []
    script = SCRIPTS.get(language)
    if words.letters and script:
        foreign = [ch for ch in text.casefold() if ch.isalpha() and not ch.isascii() and _script_of(ch) == script
                   and ch not in words.letters]
        if len(foreign) >= FOREIGN_LETTERS:
            problems.append(f"letters {', '.join(sorted(set(foreign)))} are not written in this language "
                            f"({language}): the wrong language?")
    english = words_for(SOURCE_LANGUAGE).common - words.common
    cuts = [0, *sentence_ends(text), len(text)]
    for start, end in zip(cuts, cuts[1:], strict=False):
        tokens = [t.text for t in tokenize(text[start:end]) if t.kind == "word"]
        ours = sum(t in words.common for t in tokens)
        theirs = sum(t in english for t in tokens)
        latin_only = SCRIPTS.get(language, "LATIN") != "LATIN" and len(tokens) >= 4 and all(
            _script_of(ch) == "LATIN" for t in tokens for ch in t if ch.isalpha())
        if (theirs >= ENGLISH_WORDS and theirs > ours) or (latin_only and theirs >= 2):
            sentence = text[start:end].strip()
            problems.append(f"'{sentence[:40]}{'...' if len(sentence) > 40 else ''}' reads as English: "
                            "left untranslated?")
    return problems


def _dropped(msgid: str, msgstr: str, locale: str) -> list[str]:
    """A whole sentence left out, where no number marks it ("Do not take ibuprofen." gone): fewer sentences
    than the English, and shorter than the English less half its shortest sentence, at the language's usual
    length (Welsh runs about 10% longer than English).  Two sentences joined with a comma keep the length."""
    english = sentence_ends(msgid + " X")
    translated = len(sentence_ends(msgstr + " X"))
    if len(english) < 2 or translated >= len(english):
        return []
    cuts = [0, *english[:-1], len(msgid)]
    shortest = min(len(msgid[a:b].strip()) for a, b in zip(cuts, cuts[1:], strict=False))
    usual = words_for(locale).length_ratio
    length = len(msgstr.strip())
    if length < usual * (len(msgid.strip()) - shortest / 2):
        return [f"the English has {len(english)} sentences and this {translated}, at {length / len(msgid.strip()):.0%} "
                "of its length: a sentence left out?"]
    return []


def _clock(quantity: Quantity) -> bool:
    return all(kind == "t" for kind, _ in quantity.keys)


def _shown(quantity: Quantity) -> str:
    text = quantity.period_text
    if not text:
        return quantity.text
    return f"{quantity.text}{text}" if len(text) <= 2 and quantity.text[-1:].isdigit() else f"{quantity.text} {text}"


# --- Placeholders ------------------------------------------------------------------


def _placeholders(msgid: str, msgstr: str, reorder_ok: bool) -> list[str]:
    problems = []
    source_ph = Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(msgid))
    target_ph = Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(msgstr))
    for name in sorted(source_ph - target_ph):
        problems.append(f"{name} ({_kind(name)}) is missing")
    for name in sorted(target_ph - source_ph):
        problems.append(f"{name} is not in the English")
    if problems or reorder_ok:
        return problems
    for kind in ("phone", "link", "url", "email"):
        order_s = _first_seen(msgid, kind)
        order_t = _first_seen(msgstr, kind)
        if order_s != order_t:
            problems.append(f"{', '.join(order_t)} are in a different order from the English "
                            f"({', '.join(order_s)}): check each {_kind(order_s[0])} goes with its label; if this "
                            f"language needs the order, flag the message '{REORDER_FLAG}'")
    if problems:
        return problems
    # Kinds exchanged: "Call {phone1} or email {email1}" as "Call {email1} or email {phone1}" has a patient
    # ringing an e-mail address.  Which label goes with which no pattern can tell; the order can be seen.
    kinds_s = [_kind(name) for name in _first_seen(msgid, None)]
    kinds_t = [_kind(name) for name in _first_seen(msgstr, None)]
    if len(set(kinds_s)) > 1 and kinds_s != kinds_t:
        problems.append(f"{', '.join(_first_seen(msgstr, None))} are in a different order from the English "
                        f"({', '.join(_first_seen(msgid, None))}): the English gives the {kinds_s[0]} first, this the "
                        f"{kinds_t[0]}; check each goes with its label (a patient could ring an e-mail "
                        f"address); if this language needs the order, flag the message '{REORDER_FLAG}'")
    return problems


LABEL_REACH = 3
"""How many words from a placeholder its label may be ("Zadzwoń pod numer {phone1}", "{phone1} پر کال کریں")."""


def _labels(msgid: str, msgstr: str, locale: str) -> list[str]:
    """A word for "call" next to an e-mail or web address, or a word for "write" next to a phone number,
    where the English has them the right way round ("Zadzwoń pod {url1}": a patient would ring a web address)."""
    words = words_for(locale)
    if not words.known or not words.call_words or not PLACEHOLDER_RE.search(msgstr):
        return []

    def labelled(message: str, language: str) -> list[tuple[str, str]]:
        """(label kind, nearest placeholder) for each label word in ``message``."""
        lw = words_for(language)
        tokens = tokenize(PLACEHOLDER_RE.sub(" \ue000 ", message).casefold())
        names = [m.group(0) for m in PLACEHOLDER_RE.finditer(message)]
        places = [i for i, t in enumerate(tokens) if t.kind == "ph"]
        found = []
        for i in range(len(tokens)):
            for kind, phrases in (("phone", lw.call_words), ("address", lw.write_words)):
                phrase = next((p for p in phrases if _at(tokens, i, p)), None)
                if phrase is None:
                    continue
                near = sorted((min(abs(p - i), abs(p - (i + len(phrase) - 1))), n) for n, p in enumerate(places))
                if near and near[0][0] <= LABEL_REACH + 1 and len(names) == len(places):
                    found.append((kind, names[near[0][1]]))
        return found

    problems = []
    english_ok = {name for kind, name in labelled(msgid, SOURCE_LANGUAGE) if _fits_label(kind, name)}
    for kind, name in dict.fromkeys(labelled(msgstr, locale)):
        if not _fits_label(kind, name) and name in english_ok:
            what = "ring" if kind == "phone" else "write to"
            article = "an" if _kind(name)[0] in "aeiou" else "a"
            problems.append(f"{name} ({_kind(name)}) has a word for {'calling' if kind == 'phone' else 'writing'} "
                            f"next to it here: a patient would {what} {article} {_kind(name)}; check each "
                            "placeholder goes with its label")
    return problems


def _fits_label(kind: str, name: str) -> bool:
    return (kind == "phone") == name.startswith("{phone")


def _at(tokens: list[Token], at: int, phrase: tuple[str, ...]) -> bool:
    if at + len(phrase) > len(tokens):
        return False
    return all(tokens[at + k].kind in ("word", "dash") and tokens[at + k].text == part for k, part in enumerate(phrase))


_BRACE_RE = re.compile(r"\{\{|\}\}|\{([^{}]{0,40})(\}?)")


def _braces(msgstr: str) -> list[str]:
    """A ``{`` that is neither doubled nor one of the English placeholders (``msgfmt -c`` refuses ``{}``,
    ``{0}``, ``{phone1!r}``, an unclosed ``{``; a name of its own would be printed as it is)."""
    problems = []
    for match in _BRACE_RE.finditer(msgstr):
        if match.group(0) in ("{{", "}}"):
            continue
        inside, closed = match.group(1), match.group(2)
        if not closed:
            problems.append(f"'{{{inside[:20]}' opens a placeholder that is never closed: write a brace as '{{{{'")
        elif not PLACEHOLDER_RE.fullmatch(match.group(0)):
            problems.append(f"'{{{inside}}}' is not a placeholder: use the English's placeholders as they are "
                            "({phone1}, {link1} ...), and write a brace as '{{' or '}}'")
    return problems


_COMMON_TLDS = ("uk|com|org|net|info|biz|io|co|me|app|online|site|xyz|top|click|link|shop|eu|ie|us|ca|au|"
                "pl|pk|bd|in|ro|de|fr|es|it|nl|pt|ru|cn|tk|ml|ga|cf|gq|ly|to|cc|tv|ws|wales|scot|cymru|nhs|gov")
_ANY_ADDRESS_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail, in any script
    r"|\b[a-z][a-z0-9+.-]{1,15}://[^\s<>\"]+"  # any scheme with //
    r"|\b(?:mailto|tel|sms|javascript|vbscript|data|file):[^\s<>\"]+"
    r"|\bwww\d?\.[^\s<>\"]+"
    r"|(?<![\w.@-])(?:[\w-]{1,63}\.)+(?:" + _COMMON_TLDS + r")(?![\w-])(?:/[^\s<>\"]*)?",
    re.I,
)
"""A web or e-mail address as a reader (or a word processor's auto-link) would take it, placeholders aside."""


def _addresses_in(text: str) -> list[str]:
    found = []
    for match in _ANY_ADDRESS_RE.finditer(PLACEHOLDER_RE.sub(" ", text)):
        address = match.group(0).rstrip(".,;:!?)\u06d4\u0964")
        if len(address) >= 6 or "@" in address or "//" in address:  # "m.in", "np.pl" are words
            found.append(address)
    return found


def _addresses(msgid: str, msgstr: str) -> list[str]:
    """Web or e-mail addresses the translation has and the English does not (they would become live links)."""
    english = {a.lower() for a in _addresses_in(msgid)}
    return [f"'{address}' is a web or e-mail address the English does not have: a translation may only use the "
            "English's own addresses, as placeholders ({url1}, {email1} ...)"
            for address in dict.fromkeys(_addresses_in(msgstr)) if address.lower() not in english]


def _first_seen(message: str, kind: str | None) -> list[str]:
    """The placeholders of ``kind`` (all if None) in the order they first appear."""
    return list(dict.fromkeys(m.group(0) for m in PLACEHOLDER_RE.finditer(message) if kind in (None, m.group(1))))


def _kind(placeholder: str) -> str:
    kind = re.sub(r"[{}\d]", "", placeholder)
    return {"phone": "phone number", "link": "link", "url": "web address", "email": "e-mail address"}[kind]


# --- Markup ------------------------------------------------------------------------


def _markup(msgid: str, msgstr: str, locale: str) -> list[str]:
    # Placeholders stand for themselves, so they can be found inside bold text.
    values = {m.group(1) + m.group(2): f"\u27e6{m.group(1)}{m.group(2)}\u27e7"
              for m in PLACEHOLDER_RE.finditer(msgid + " " + msgstr)}
    try:
        source = from_message(msgid, values)
        target = from_message(msgstr, values)
    except MessageError as exc:
        return [str(exc)]
    problems = []
    stray = [t for t in _texts(target) if re.search(r"\*\*|(?<!\\)\*|\]\(|(?<!\\)\[.*\]", t)]
    if stray:
        problems.append(f"unbalanced markup near {stray[0].strip()[:30]!r}")
    if _count(source, Link) != _count(target, Link):
        problems.append(f"links: {_count(source, Link)} in the English, {_count(target, Link)} here")
    problems += _bold(source, target, locale)
    return problems


def _bold(source: tuple[Inline, ...], target: tuple[Inline, ...], locale: str) -> list[str]:
    source_spans, target_spans = _strong_texts(source), _strong_texts(target)
    if source_spans and not target_spans:
        return ["bold text in the English is not bold here (warnings must stay bold)"]
    problems = []
    if len(source_spans) != len(target_spans):
        problems.append(f"bold: {len(source_spans)} bold part(s) in the English, {len(target_spans)} here")
    target_bold = " ".join(target_spans)
    bold_keys = {key for q in read(target_bold, locale).quantities for key in q.keys}
    for span in source_spans:
        for q in read(span, SOURCE_LANGUAGE).quantities:
            if not q.keys & bold_keys:
                problems.append(f"'{q.text}' is bold in the English but not here")
        for name in re.findall("\u27e6(\\w+)\u27e7", span):
            if f"\u27e6{name}\u27e7" not in target_bold:
                problems.append(f"{{{name}}} is bold in the English but not here")
    words = words_for(locale)
    if words.known:
        english = words_for(SOURCE_LANGUAGE)
        # "Do not stop" negates a verb; "without", "no", "avoid" negate a thing.  A bold "Do not" kept as a bold
        # "without" ("**Stop the injections without ...**") has turned round, so a verb's negation needs a verb's.
        strong_source = sum(_has_phrase(span, english.negation) for span in source_spans)
        any_source = sum(_has_phrase(span, english.negation + english.negation_weak) for span in source_spans)
        strong_target = sum(_has_phrase(span, words.negation) for span in target_spans)
        any_target = sum(_has_phrase(span, words.negation + words.negation_weak) for span in target_spans)
        if strong_target < strong_source:
            problems.append("the bold warning in the English negates what to do ('do not ...'); the bold here "
                            "has no word that negates a verb ('nie', 'peidiwch', 'مت' ...): the bold must stay on "
                            "what the patient must not do")
        elif any_target < any_source:
            problems.append("the bold warning in the English is a negative ('no ...', 'without ...'); the bold "
                            "here has no negative word: the bold must stay on what the patient must not do")
    source_share, target_share = _bold_share(source), _bold_share(target)
    if source_share > 0.9 and target_share < 0.5:
        problems.append("the whole message is bold in the English, only part of it here")
    return problems


def _has_phrase(text: str, phrases: tuple[tuple[str, ...], ...]) -> bool:
    tokens = [t.text for t in tokenize(ascii_digits(text).casefold()) if t.kind in ("word", "sym")]
    for phrase in phrases:
        for i in range(len(tokens) - len(phrase) + 1):
            if all(tokens[i + k] == part for k, part in enumerate(phrase)):
                return True
    return False


def _strong_texts(inlines: tuple[Inline, ...]) -> list[str]:
    spans: list[str] = []
    for node in inlines:
        if isinstance(node, Strong):
            spans.append(" ".join(_texts(node.children)))
        elif isinstance(node, Emphasis | Link):
            spans.extend(_strong_texts(node.children))
    return spans


def _bold_share(inlines: tuple[Inline, ...]) -> float:
    """How much of the message's visible text is bold (0 to 1)."""
    def letters(text: str) -> int:
        return sum(ch.isalnum() for ch in text)

    total = sum(letters(t) for t in _texts(inlines))
    bold = sum(letters(s) for s in _strong_texts(inlines))
    return bold / total if total else 0.0


def _texts(inlines: tuple[Inline, ...]) -> list[str]:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Strong | Emphasis | Link):
            out.extend(_texts(node.children))
    return out


def _count(inlines: tuple[Inline, ...], kind: type) -> int:
    total = 0
    for node in inlines:
        if isinstance(node, kind):
            total += 1
        if isinstance(node, Strong | Emphasis | Link):
            total += _count(node.children, kind)
    return total


# --- Invisible characters -------------------------------------------------------------


def _invisible(msgid: str, msgstr: str) -> list[str]:
    """Format and control characters (bidi overrides, zero-width spaces, ``\\v`` ``\\f`` ``\\a`` escapes)
    the translation adds."""
    found = sorted({ch for ch in msgstr if ch not in msgid and ch not in _INVISIBLE_OK and ch not in _HARMLESS
                    and ch not in "\n\t"
                    and (unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Zl", "Zp") or UNPRINTABLE_RE.match(ch))})
    # A joiner belongs inside a word of a joining script, never against a digit, where it can split a number.
    found += sorted({ch for m in _JOINER_IN_NUMBER_RE.finditer(ascii_digits(msgstr)) for ch in m.group(0)
                     if not ch.isdigit()})
    return [f"invisible character U+{ord(ch):04X} ({unicodedata.name(ch, 'control character')}) in the "
            "translation: it can reverse, hide or break text; remove it" for ch in found]
