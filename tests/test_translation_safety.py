"""Translation faults that could hurt a patient, one class at a time, in several languages and scripts.

The corpora are in tests/fixtures/translations/: ``faults.tsv`` (each must be refused, with
the problem named) and ``correct.tsv`` (each must pass: zero false alarms).
"""

from __future__ import annotations

import pytest

from pipeline.i18n.checks import REORDER_FLAG, check_message, language_warnings
from pipeline.i18n.numbers import meanings, read, words_for
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "translations"


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@pytest.mark.parametrize("row", _rows("faults.tsv"), ids=lambda r: f"{r[0]}:{r[2][:30]}")
def test_fault_is_refused_and_named(row: list[str]) -> None:
    locale, english, translation, expected = row
    problems = check_message(english, translation, locale)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("row", _rows("correct.tsv"), ids=lambda r: f"{r[0]}:{r[2][:30]}")
def test_correct_translation_passes(row: list[str]) -> None:
    locale, english, translation = row
    assert check_message(english, translation, locale) == []


def test_each_fault_class_is_tested_in_at_least_three_locales() -> None:
    classes: dict[str, set[str]] = {}
    current = ""
    for line in (CORPUS / "faults.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and line[2:3].isdigit():
            current = line
        elif line.strip() and not line.startswith("#"):
            classes.setdefault(current, set()).add(line.split("\t")[0])
    assert len(classes) == 5
    for name, locales in classes.items():
        assert len(locales) >= 3, name


def test_correct_corpus_covers_every_script_and_form() -> None:
    rows = _rows("correct.tsv")
    assert {r[0] for r in rows} >= {"pl", "cy", "ur", "ar", "bn", "ro"}
    text = " ".join(r[2] for r in rows)
    for form in ("08:00", "8:00", "5000", "5 000", "5\u00a0000", "5\u202f000", "5.000", "٥٬٠٠٠", "٢٫٥", "2,5",
                 "১৮:০০"):
        assert form in text, form


# --- The pieces, for the record of what they mean -------------------------------------


@pytest.mark.parametrize(("written", "locale", "value"), [
    ("5,000", "en", "5000"), ("5 000", "pl", "5000"), ("5\u202f000", "pl", "5000"), ("5.000", "ro", "5000"),
    ("5٬000", "ar", "5000"), ("2٫5", "ur", "2.5"), ("2,5", "pl", "2.5"), ("1,234.5", "en", "1234.5"),
    ("1.234,5", "ro", "1234.5"), ("0.5", "en", "0.5"),
])
def test_numbers_are_read_by_value(written: str, locale: str, value: str) -> None:
    [keys] = meanings(written, words_for(locale))
    assert ("n", value) in keys


def test_a_date_is_read_as_its_parts() -> None:
    parts = meanings("12.03.2027", words_for("pl"))
    assert [("n", "12") in parts[0], ("n", "3") in parts[1], ("n", "2027") in parts[2]] == [True] * 3


def test_times_take_their_period_from_the_words_around_them() -> None:
    def times(message: str, locale: str) -> list[set[tuple[str, str]]]:
        return [set(q.keys) for q in read(message, locale).quantities]

    assert times("6pm", "en") == [{("t", "18:00")}]
    assert times("12 noon", "en") == [{("t", "12:00")}]
    assert times("12 midnight", "en") == [{("t", "00:00")}]
    assert times("o 6 po południu", "pl") == [{("t", "18:00")}]
    assert times("od 8 rano do 6 wieczorem", "pl") == [{("t", "08:00")}, {("t", "18:00")}]
    assert times("صبح 8 بجے سے شام 6 بجے تک", "ur") == [{("t", "08:00")}, {("t", "18:00")}]
    assert times("বিকেল ৫টা", "bn") == [{("t", "17:00")}]


def test_units_take_their_plural_and_case_forms() -> None:
    units = [q.unit for q in read("1 godzina, 2 godziny, 5 godzin, 3 awr, 4 oriau, 1 گھنٹہ, 2 گھنٹے", "x").quantities]
    assert units == [None] * 7, "a language's words are used only for that language"
    assert [q.unit for q in read("1 godzina, 2 godziny, 5 godzin", "pl").quantities] == ["hour"] * 3
    assert [q.unit for q in read("3 awr, 4 oriau", "cy").quantities] == ["hour"] * 2
    assert [q.unit for q in read("1 گھنٹہ, 2 گھنٹے", "ur").quantities] == ["hour"] * 2


def test_a_range_shares_its_unit() -> None:
    assert [q.unit for q in read("2 to 4 hours", "en").quantities] == ["hour", "hour"]
    assert [q.unit for q in read("2–4 godziny", "pl").quantities] == ["hour", "hour"]
    assert [q.unit for q in read("8 tablets in 24 hours", "en").quantities] == ["tablet", "hour"]


def test_reordering_same_kind_placeholders_is_allowed_only_when_flagged() -> None:
    english, polish = "Ward: {phone1}. Pharmacy: {phone2}.", "Apteka: {phone2}. Oddział: {phone1}."
    assert any("different order" in p for p in check_message(english, polish, "pl"))
    assert check_message(english, polish, "pl", flags={REORDER_FLAG}) == []


def test_a_language_without_words_is_warned_about_not_silently_passed() -> None:
    assert language_warnings("pl") == []
    [warning] = language_warnings("pa")
    assert "'pa'" in warning and "language_words.toml" in warning
    # Without its words a pm time still needs the 24-hour clock, and symbols are still counted.
    assert check_message("Come at 6pm", "ਸ਼ਾਮ 6 ਵਜੇ ਆਓ", "pa")
    assert check_message("Come at 6pm", "18:00 ਵਜੇ ਆਓ", "pa") == []
    assert any("%" in p for p in check_message("About 20% of people", "ਲਗਭਗ 20 ਲੋਕ", "pa"))


def test_every_locale_with_a_catalogue_has_its_words() -> None:
    from pipeline.i18n.catalogues import linguas
    from tests.conftest import LOCALES

    for locale in linguas(LOCALES):
        assert words_for(locale).known, f"{locale} has no entry in pipeline/data/language_words.toml"


def test_data_file_is_where_the_warning_says() -> None:
    from pipeline.i18n.words import DATA

    assert DATA.name == "language_words.toml" and DATA.parent.name == "data" and DATA.exists()


def test_every_form_in_the_data_file_is_matchable_next_to_a_number() -> None:
    """A form the checks can never match (``godz.`` once ended at its full stop) makes the advice
    "add the form to language_words.toml" useless: each is read as its unit next to a number."""
    import tomllib

    from pipeline.i18n.words import DATA

    with open(DATA, "rb") as fh:
        data = tomllib.load(fh)
    unmatched = []
    count = 0
    for language, entry in data.items():
        if language == "common":
            continue
        for unit, forms in entry.get("units", {}).items():
            for form in forms:
                count += 1
                shown = form[:-1] + "a" if form.endswith("*") else form
                if not any(any(q.unit == unit for q in read(message, language).quantities)
                           for message in (f"Take 5 {shown} now", f"{shown} 5", f"5 {shown}")):
                    unmatched.append(f"{language} {unit} {form!r}")
    assert count > 300 and not unmatched, unmatched


@pytest.mark.parametrize(("english", "translation", "locale", "said"), [
    ("Call 0118 496 0789 now.", "Zadzwoń teraz.", "pl", "number(s) missing or changed: 0118 496 0789"),
    ("Take 100,000 units.", "ہر دن 10,00,000 یونٹ لیں۔", "ur", "number(s) not in the English: 10,00,000"),
    ("Call us if it is over 38°C.", "Zadzwoń, jeśli przekroczy 38°F.", "pl", "degrees appears 1 time(s)"),
])
def test_each_number_is_named_once_and_apart_from_its_unit(english: str, translation: str, locale: str,
                                                          said: str) -> None:
    problems = check_message(english, translation, locale)
    line = next(p for p in problems if said in p)
    assert line.endswith(said) or line.count(said.split(": ")[-1]) == 1, problems
    assert "38degrees" not in " ".join(problems)


# --- Round 3: every class in five languages, and the English the checks must know ------------------

ROUND_THREE = ("pl", "cy", "ur", "bn", "ar")
"""Polish, Welsh, Urdu, Bengali, and Arabic for a different script convention (Arabic-Indic digits, its own
decimal and grouping marks, right to left, dual forms that carry the number: "يومين" is two days)."""


def _sections(name: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current = None
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("# R3 "):
            current = line[5:]
            sections[current] = []
        elif line.startswith("#"):
            current = None
        elif line.strip() and current is not None:
            sections[current].append(line.split("\t"))
    return sections


@pytest.mark.parametrize("name", ["faults.tsv", "correct.tsv"])
def test_each_round_three_class_has_five_variants_in_each_language(name: str) -> None:
    from collections import Counter

    sections = _sections(name)
    assert len(sections) >= 6
    for title, rows in sections.items():
        wanted = set(ROUND_THREE) - ({"ur", "ar"} if title.startswith("Abbreviated") else set())
        counts = Counter(row[0] for row in rows)
        assert not {lang: counts[lang] for lang in wanted if counts[lang] < 5}, title


@pytest.mark.parametrize("language", ROUND_THREE)
def test_a_translation_copied_from_another_message_is_refused_in_each_language(language: str) -> None:
    from pipeline.i18n.translate import copied

    rows = list({row[1]: row for row in _rows("correct.tsv") if row[0] == language}.values())
    pairs = list(zip(rows[0::2], rows[1::2], strict=False))[:5]
    assert len(pairs) == 5
    for (_, english, translation, *_), (_, neighbour, *_) in pairs:
        for given in (translation, "  " + translation.upper(), translation.replace(" ", "  ")):
            found = copied([(english, translation, False), (neighbour, given, False)])
            assert {msgid for msgid, _ in found} == {english, neighbour}, (english, neighbour)
            assert all("the same translation as" in problem for _, problem in found)
        assert copied([(english, translation, True), (neighbour, translation, True)]) == []
        assert copied([(english, translation, False), (english, translation, False)]) == [], \
            "the same English in two places may have the same translation"


NOT_UNITS = frozenset({"a", "at", "if", "in", "of", "to", "people", "small", "wires"})
"""Words that follow a number in the English of the examples and fixtures without being a measure."""


def _english_messages() -> list[str]:
    from babel.messages.pofile import read_po

    from tests.conftest import LOCALES

    messages = []
    for pot in sorted(LOCALES.glob("*.pot")):
        with open(pot, "rb") as fh:
            messages += [m.id for m in read_po(fh) if isinstance(m.id, str) and m.id]
    for name in ("faults.tsv", "correct.tsv"):
        messages += [row[1] for row in _rows(name)]
    return messages


def test_every_english_unit_of_the_examples_and_fixtures_is_known() -> None:
    """A unit the data file does not know is compared as no unit ("2 litres" as "2 glasses" would pass):
    every word after a number in the English is a unit the checks know, or listed here as not a measure."""
    from pipeline.i18n.messages import PLACEHOLDER_RE
    from pipeline.i18n.numbers import prepared

    words = words_for("en")
    unknown = set()
    for message in _english_messages():
        tokens, periods = prepared(message, "en", placeholders=PLACEHOLDER_RE)
        for i, token in enumerate(tokens[:-1]):
            after = tokens[i + 1]
            if token.kind in ("num", "nword") and after.kind == "word" and after.text not in NOT_UNITS \
                    and after.text not in words.ordinals and i + 1 not in periods \
                    and not any(phrase[0] == after.text or (phrase[0].endswith("*") and after.text.startswith(
                        phrase[0][:-1])) for phrase, _ in words.units):
                unknown.add(after.text)
    assert not unknown, f"add each to [en.units] in language_words.toml, or to NOT_UNITS: {sorted(unknown)}"
