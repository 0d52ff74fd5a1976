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
    ascii_digits,
    language_of,
    read,
    symbol_units,
    tokenize,
    words_for,
)
from pipeline.model import UNPRINTABLE_RE, Emphasis, Inline, Link, Strong, Text
from pipeline.sentences import sentence_ends

__all__ = ["REORDER_FLAG", "ascii_digits", "check_message", "language_warnings"]

REORDER_FLAG = "placeholders-reordered"
"""PO flag a translator sets where this language needs same-kind placeholders in another order."""

_UNIT_NAMES = {"percent": "%", "degree": "degrees", "microgram": "micrograms", "time": "times", "second": "seconds",
               "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks", "month": "months",
               "year": "years", "unit": "units"}
_INVISIBLE_OK = {"\u200c", "\u200d"}  # ZWNJ and ZWJ shape words in Urdu, Persian, Bengali, Hindi
_HARMLESS = {"\u200e", "\u200f", "\u061c", "\u00ad"}
"""Left-to-right, right-to-left and Arabic letter marks (an Urdu writer puts one after a number) and the soft
hyphen (Word's optional hyphen): they reverse or hide nothing.  The marks are removed before any file is made
(the exporters set the direction themselves); the soft hyphen is kept as a place a word may break."""
_JOINER_IN_NUMBER_RE = re.compile(r"\d[\u200c\u200d]+|[\u200c\u200d]+\d")


def _unit_name(unit: str | None) -> str:
    return _UNIT_NAMES.get(unit or "", unit or "no unit")


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
    problems += _braces(msgstr) or _placeholders(msgid, msgstr, REORDER_FLAG in flags)
    problems += _markup(msgid, msgstr, locale)
    problems += _invisible(msgid, msgstr)
    problems += _addresses(msgid, msgstr)
    problems += _dropped(msgid, msgstr)
    problems += _script(msgstr, locale, "same-as-source" in flags)
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


def _numbers(msgid: str, msgstr: str, locale: str) -> list[str]:
    source = read(msgid, SOURCE_LANGUAGE, placeholders=PLACEHOLDER_RE)
    target = read(msgstr, locale, placeholders=PLACEHOLDER_RE)
    known = words_for(locale).known
    symbols = symbol_units()
    src = source.quantities
    if not known:  # no unit words for the language: only symbols can be compared
        for q in src:
            q.unit = q.unit if q.symbol else None
        source.symbols, target.symbols = source.written_symbols, target.written_symbols
    tgt = target.quantities
    problems: list[str] = []
    # A clock time has no unit to compare ("6pm" and "godz. 18" are the same time).
    exact = _pairs(src, tgt, lambda s, t: bool(s.keys & t.keys) and (s.unit == t.unit or _clock(s)))
    rest_s = [i for i in range(len(src)) if i not in exact]
    matched = set(exact.values())
    rest_t = [i for i in range(len(tgt)) if i not in matched]
    by_value = _pairs([src[i] for i in rest_s], [tgt[i] for i in rest_t], lambda s, t: bool(s.keys & t.keys))
    for a, b in by_value.items():
        s, t = src[rest_s[a]], tgt[rest_t[b]]
        if t.unit is None:
            written = f"{s.text} {_unit_name(s.unit)}"
            problems.append(f"'{written}': no word for {_unit_name(s.unit)} next to {t.text} here (if the "
                            "translation is right, add the form to pipeline/data/language_words.toml)")
        else:
            problems.append(f"'{s.text}' goes with {_unit_name(s.unit)} in the English but with "
                            f"{_unit_name(t.unit)} here")
    missing = [src[rest_s[a]] for a in range(len(rest_s)) if a not in by_value]
    paired = set(by_value.values())
    extra = [tgt[rest_t[b]] for b in range(len(rest_t)) if b not in paired]
    for s in [q for q in missing if q.period == "pm"]:
        evening = next((value for kind, value in s.keys if kind == "t"), "00:00")
        hour, minute = (int(part) for part in evening.split(":"))
        morning = next((t for t in extra if ("t", f"{hour - 12:02d}:{minute:02d}") in t.keys), None)
        if morning is not None and hour > 12:
            problems.append(f"{s.text}pm is written {morning.text} here, which reads as a morning time: write "
                            f"{evening} or add the word for afternoon or evening")
            missing.remove(s)
            extra.remove(morning)
    if missing:
        problems.append("number(s) missing or changed: " + _listed([_shown(q) for q in missing]))
    if extra:
        problems.append("number(s) not in the English: " + _listed([_shown(q) for q in extra]))
    for unit in sorted(symbols):
        if source.symbols.get(unit, 0) != target.symbols.get(unit, 0):
            problems.append(f"{_unit_name(unit)} appears {source.symbols.get(unit, 0)} time(s) in the English "
                            f"and {target.symbols.get(unit, 0)} here")
    flipped = {"am": "morning", "pm": "afternoon or evening"}
    for period, other in (("am", "pm"), ("pm", "am")):
        if period in target.periods and period not in source.periods and other in source.periods:
            problems.append(f"the English says {flipped[other]}; this says {flipped[period]}")
    return problems


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


SHORTEST_RATIO = 0.7
"""A translation with fewer sentences than its English and under this share of its length has lost one:
the languages checked here run from about 0.9 to 1.4 times the English (two sentences joined with a
comma or a semicolon keep the length, so they pass)."""


def _dropped(msgid: str, msgstr: str) -> list[str]:
    """A whole sentence left out, where no number marks it ("Do not take ibuprofen." gone)."""
    english, translated = len(sentence_ends(msgid + " X")), len(sentence_ends(msgstr + " X"))
    ratio = len(msgstr.strip()) / max(len(msgid.strip()), 1)
    if english >= 2 and translated < english and ratio < SHORTEST_RATIO:
        return [f"the English has {english} sentences and this {translated}, at {ratio:.0%} of its length: "
                "a sentence left out?"]
    return []


def _clock(quantity: Quantity) -> bool:
    return all(kind == "t" for kind, _ in quantity.keys)


def _shown(quantity: Quantity) -> str:
    return quantity.text + (quantity.period or "")


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
    return problems


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


def _first_seen(message: str, kind: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in PLACEHOLDER_RE.finditer(message) if m.group(1) == kind))


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
        negative_source = sum(_has_phrase(span, words_for(SOURCE_LANGUAGE).negation)
                              for span in source_spans)
        negative_target = sum(_has_phrase(span, words.negation) for span in target_spans)
        if negative_target < negative_source:
            problems.append("the bold warning in the English is a negative ('do not ...'); the bold here "
                            "has no negative word: the bold must stay on what the patient must not do")
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
