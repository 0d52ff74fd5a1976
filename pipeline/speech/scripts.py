"""Which writing system each part of a sentence is in, so each part gets a voice that can say it.

An Urdu leaflet names "Northfield Hospitals NHS Foundation Trust"; an English one ends
with "اگر آپ کو یہ معلومات ..." for Urdu readers.  The Urdu voice cannot say the first,
nor the English voice the second.  :func:`runs` cuts a sentence where its script changes
and names the language to speak each foreign run in: English for Latin letters in a
language written otherwise; for another script, the language that script is most used for
here (Arabic letters with Urdu's own letters are Urdu, with Persian's are Persian).
"""

from __future__ import annotations

import functools
import unicodedata

_LANGUAGE_OF_SCRIPT = {
    "LATIN": "en_GB", "BENGALI": "bn", "DEVANAGARI": "hi", "GURMUKHI": "pa", "GUJARATI": "gu", "TAMIL": "ta",
    "GREEK": "el", "CYRILLIC": "ru", "HEBREW": "he", "CJK": "zh", "HANGUL": "ko", "THAI": "th", "ARABIC": "ar",
    "ETHIOPIC": "am", "SINHALA": "si", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml", "ORIYA": "or",
}
_URDU = set("ٹڈڑںےہھۓ")
_PERSIAN = set("پچژگک") - _URDU


def script(char: str) -> str | None:
    """``LATIN``, ``ARABIC``, ``BENGALI`` ... for a letter; ``None`` for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    first = name.split(" ")[0]
    return "CJK" if first in ("CJK", "HIRAGANA", "KATAKANA") else first or None


@functools.cache
def script_of(locale: str) -> str | None:
    """The script ``locale``'s language is written in, from its own name for itself (CLDR)."""
    from pipeline.i18n.catalogues import language_name

    letters = [s for s in map(script, language_name(locale)) if s]
    return max(set(letters), key=letters.count) if letters else None


def _language(run_script: str, text: str) -> str:
    if run_script == "ARABIC":
        letters = set(text)
        return "ur" if letters & _URDU else "fa" if letters & _PERSIAN else "ar"
    return _LANGUAGE_OF_SCRIPT.get(run_script, "en_GB")


def runs(text: str, locale: str) -> list[tuple[str, str | None]]:
    """``text`` cut where its script changes: (part, language), the language ``None`` for the
    leaflet's own script.  Spaces, digits and punctuation go with the part they follow."""
    own = script_of(locale)
    found: list[tuple[str, str | None]] = []
    current: str | None = None  # the script of the part being collected (None: the language's own)
    start = 0
    for index, char in enumerate(text):
        letter = script(char)
        if letter is None:
            continue
        kind = None if letter == own else letter
        if kind != current and index > start:
            cut = _cut(text, start, index)
            found.append((text[start:cut], current))
            start = cut
        current = kind
    found.append((text[start:], current))
    merged: list[tuple[str, str | None]] = []
    carried = ""  # a part with no letters ("(", " ") goes with the part that follows it
    for part, kind in found:
        if not any(c.isalpha() for c in part):
            if merged:
                merged[-1] = (merged[-1][0] + part, merged[-1][1])
            else:
                carried += part
            continue
        merged.append((carried + part, kind))
        carried = ""
    if carried or not merged:
        merged.append((carried, None))
    return [(part.strip(), None if kind is None else _language(kind, part)) for part, kind in merged]


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a part that runs from ``start`` up to the letter at ``end``: after its last
    letter and the punctuation that closes it, before the space that opens the next."""
    cut = end
    while (cut > start and not text[cut - 1].isalnum() and text[cut - 1] not in ".,;:!?)]»”’۔؟،"
           and not unicodedata.category(text[cut - 1]).startswith("M")):  # a vowel sign ends its word
        cut -= 1
    return cut if cut > start else end
