"""Checks that protect patients: a translated message against its English source.

Each check returns problems as short sentences.  A catalogue with any problem, any
untranslated or fuzzy message, or out of date with its leaflet, is not built.
Translate Toolkit's ``pofilter`` checks (numbers, urls, emails, printf, brackets)
were the reference for what translators' own tools already catch.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from pipeline.i18n.messages import PLACEHOLDER_RE, MessageError, from_message
from pipeline.model import Emphasis, Inline, Link, Strong, Text

_NUMBER_RE = re.compile(r"\d+(?:[.,:]\d+)*")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic, Urdu, Bengali, Devanagari ...) as 0-9."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


_PM_RE = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*pm\b", re.I)


def _groups(number: str) -> tuple[str, ...]:
    groups = re.split(r"[.,:]", number)
    while len(groups) > 1 and set(groups[-1]) == {"0"}:
        groups.pop()  # 8:00 is 8, as in "8am"
    return tuple(groups)


def numbers(message: str) -> Counter[tuple[str, ...]]:
    """The numbers in a message as digit groups: ``8.30`` and ``8:30`` are one number, ``8:00`` is ``8``."""
    text = ascii_digits(PLACEHOLDER_RE.sub(" ", message))
    return Counter(_groups(m.group(0)) for m in _NUMBER_RE.finditer(text))


def _afternoon_times(message: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each "pm" time in the English with its 24-hour form: ``6pm`` may be written ``18:00``."""
    times = {}
    for m in _PM_RE.finditer(message):
        hour = int(m.group(1))
        if hour < 12:
            minutes = (m.group(2),) if m.group(2) and m.group(2) != "00" else ()
            times[(str(hour), *minutes)] = (str(hour + 12), *minutes)
    return times


def _show(groups: tuple[str, ...]) -> str:
    return ".".join(groups)


def check_message(msgid: str, msgstr: str, same_as_source_ok: bool = False) -> list[str]:
    """Problems with ``msgstr`` as a translation of ``msgid`` (empty list: none)."""
    problems: list[str] = []
    if not msgstr.strip():
        return ["translation is empty"]
    source_numbers, target_numbers = numbers(msgid), numbers(msgstr)
    missing = source_numbers - target_numbers
    extra = target_numbers - source_numbers
    for twelve, twenty_four in _afternoon_times(msgid).items():
        while missing[twelve] and extra[twenty_four]:
            missing[twelve] -= 1
            extra[twenty_four] -= 1
    missing, extra = +missing, +extra
    if missing:
        problems.append("number(s) missing or changed: " + ", ".join(_show(n) for n in sorted(missing)))
    if extra:
        problems.append("number(s) not in the English: " + ", ".join(_show(n) for n in sorted(extra)))
    source_ph = Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(msgid))
    target_ph = Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(msgstr))
    for name in sorted(source_ph - target_ph):
        problems.append(f"{name} ({_kind(name)}) is missing")
    for name in sorted(target_ph - source_ph):
        problems.append(f"{name} is not in the English")
    problems.extend(_markup(msgid, msgstr))
    if msgstr.strip() == msgid.strip() and not same_as_source_ok:
        problems.append("translation is identical to the English (flag it 'same-as-source' if that is right)")
    return problems


def _kind(placeholder: str) -> str:
    kind = re.sub(r"[{}\d]", "", placeholder)
    return {"phone": "phone number", "link": "link", "url": "web address", "email": "e-mail address"}[kind]


def _markup(msgid: str, msgstr: str) -> list[str]:
    values = {m.group(1) + m.group(2): "x" for m in PLACEHOLDER_RE.finditer(msgid + " " + msgstr)}
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
    if _count(source, Strong) and not _count(target, Strong):
        problems.append("bold text in the English is not bold here (warnings must stay bold)")
    return problems


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
