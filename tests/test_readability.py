"""Readability: figures as textstat computes them on the text readers read, suggestions, the gate."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.readability.metrics import _textstat, scored, syllables, vowel_group_syllables
from pipeline.readability.report import analyse, cleaned_text, plain_words, split_sentences, to_html, to_json
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS, ROOT

CLINICIAN = FIXTURES / "clinician-summary.md"


@pytest.fixture(scope="module")
def reference_report(reference: Path):  # type: ignore[no-untyped-def]
    return analyse(read_leaflet(str(reference)))


@pytest.fixture(scope="module")
def reference() -> Path:  # module-scoped twin of the conftest fixture
    from tests.conftest import REFERENCE

    if not REFERENCE.exists():
        pytest.skip("reference leaflet not found")
    return REFERENCE


def test_reference_figures_match_textstat_on_the_same_cleaned_sentences(reference: Path, reference_report) -> None:  # type: ignore[no-untyped-def]
    textstat = _textstat()
    textstat.set_lang("en")
    text = cleaned_text(read_leaflet(str(reference)))
    assert text.count("\n") + 1 == len(reference_report.sentences)
    scores = reference_report.scores
    assert scores.flesch_reading_ease == round(textstat.flesch_reading_ease(text), 1)
    assert scores.flesch_kincaid_grade == round(textstat.flesch_kincaid_grade(text), 1)
    assert scores.smog == round(textstat.smog_index(text), 1)
    assert scores.gunning_fog == round(textstat.gunning_fog(text), 1)
    assert scores.coleman_liau == round(textstat.coleman_liau_index(text), 1)
    assert scores.words == textstat.lexicon_count(text)


def test_reference_report_names_hard_sections_and_concrete_suggestions(reference_report) -> None:  # type: ignore[no-untyped-def]
    assert reference_report.reading_age >= 15, "the reference is far above the NHS target"
    worst = [s.heading for s in reference_report.worst_sections()]
    assert "What is sacroplasty?" in worst
    tips = [i.suggestion for s in reference_report.sentences for i in s.issues]
    for expected in ("'Prior to' -> 'before'", "'approximately' -> 'about'", "'administered' -> 'given'",
                     "'analgesia' -> 'pain relief'", "'Anticoagulation' -> 'blood thinning'"):
        assert any(expected in tip for tip in tips), expected
    kinds = {i.kind for s in reference_report.sentences for i in s.issues}
    assert kinds == {"long sentence", "plain words", "passive voice", "unexplained term"}
    unexplained = [i.text for s in reference_report.sentences for i in s.issues if i.kind == "unexplained term"]
    assert "osteoporosis" in unexplained
    assert "sacrum" not in unexplained, "explained in brackets: 'sacrum (bone in the lower spine)'"
    assert "interventional radiologist" not in unexplained, "introduced as 'called an interventional radiologist'"
    long = [s for s in reference_report.sentences if any(i.kind == "long sentence" for i in s.issues)]
    assert all(s.words > 25 for s in long) and long


def test_text_readers_read_lists_are_sentences_headings_are_units() -> None:
    leaflet = read_leaflet(str(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"))
    report = analyse(leaflet)
    texts = [s.text for s in report.sentences]
    assert "clopidogrel, prasugrel or ticagrelor;" in texts  # a list item is its own sentence
    assert "What are the risks?" in texts  # so is a heading
    assert "About 1 in 5 people" in texts  # and a table cell
    assert not any("**" in t or "](" in t for t in texts), "markup stripped"


def test_sentence_splitting_and_cleaning() -> None:
    assert split_sentences("Take it e.g. with food. Then rest. Call Dr. Jones at 8.30am. Done!") == [
        "Take it e.g. with food.", "Then rest.", "Call Dr. Jones at 8.30am.", "Done!"]
    from pipeline.readability.report import clean

    assert clean("Open 8.30am, e.g. Monday.") == "Open 830am, eg Monday."


def test_clinician_text_is_held_back(run_cli) -> None:  # type: ignore[no-untyped-def]
    report = analyse(read_leaflet(str(CLINICIAN)))
    assert report.reading_age >= 18 and report.over_gate
    result = run_cli("check", CLINICIAN)
    assert result.code == 1
    assert "reading age" in result.out and "Indications and patient selection" in result.out


def test_example_leaflets_pass_the_gate(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("check")
    assert "reading age" not in result.out
    assert all(": ro: incomplete:" in line or ": ro: labels incomplete" in line
               for line in result.out.splitlines()), "only the unfinished Romanian"


def test_smog_warning_below_30_sentences() -> None:
    report = analyse(read_leaflet(str(CLINICIAN)))
    assert not report.smog_reliable
    assert any("SMOG is not reliable" in w for w in report.warnings())
    assert json.loads(to_json(report))["smog_reliable"] is False


def test_json_report_fields(reference_report) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(to_json(reference_report))
    for key in ("reading_age", "target_reading_age", "flesch_reading_ease", "flesch_kincaid_grade", "smog",
                "gunning_fog", "coleman_liau", "sentences_count", "words_count", "sections", "sentences"):
        assert key in data, key
    assert data["target_reading_age"] == 11
    assert {"heading", "reading_age", "smog"} <= set(data["sections"][0])
    sentence = next(s for s in data["sentences"] if s["issues"])
    assert {"text", "section", "words", "issues"} <= set(sentence)
    assert {"kind", "suggestion"} <= set(sentence["issues"][0])


def test_html_report_highlights(reference_report) -> None:  # type: ignore[no-untyped-def]
    page = to_html(reference_report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert 'class="s very-hard"' in page and '<mark class="plain">' in page and '<mark class="passive">' in page


def test_html_report_does_not_rest_on_colour_alone(reference_report) -> None:  # type: ignore[no-untyped-def]
    import lxml.html

    doc = lxml.html.document_fromstring(to_html(reference_report))
    assert len(doc.findall(".//main")) == 1 and doc.find(".//main").find(".//h1") is not None
    for sentence in doc.xpath("//main//p[contains(@class, 's ')][not(ancestor::ul)]"):
        css = sentence.get("class").split()
        flag = sentence.find("strong")
        if "very-hard" in css:
            assert flag is not None and flag.text == "Very hard:"
        elif "hard" in css:
            assert flag is not None and flag.text == "Hard:"
    for mark in doc.xpath("//main//p//mark"):
        said = mark.find("span")
        assert said is not None and said.get("class") == "sr" and said.text.endswith(": "), "each mark says its kind"
    key = doc.xpath("//ul[@class='key']//text()")
    for words in ("Hard:", "Very hard:", "plainer word available", "passive voice", "medical term not explained",
                  "dotted underline", "dashed underline", "double underline"):
        assert any(words in t for t in key), f"the key explains {words!r}"


def test_write_reports_for_every_leaflet_and_skip_when_current(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("readability", "--write").code == 0
    data = json.loads(Path("output/RAD_0102/readability.json").read_text(encoding="utf-8"))
    assert data["leaflet"] == "RAD_0102" and data["reading_age"] < 15
    assert Path("output/END_0031/readability.html").exists()
    stamp = Path("output/RAD_0102/readability.html").stat().st_mtime_ns
    assert run_cli("readability", "--write").code == 0
    assert Path("output/RAD_0102/readability.html").stat().st_mtime_ns == stamp, "current reports are kept"


def test_print_formats(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = run_cli("readability", "leaflets/END_0031-sedation-fasting.md")
    assert text.code == 0 and "reading age" in text.out and "Hardest sections" in text.out
    assert json.loads(run_cli("readability", "leaflets/END_0031-sedation-fasting.md", "--format", "json").out)
    assert "<html" in run_cli("readability", "leaflets/END_0031-sedation-fasting.md", "--format", "html").out


@pytest.mark.parametrize(("locale", "name"),
                         [("cy", "Cymraeg (Welsh)"), ("ur", "اردو (Urdu)"), ("pl", "Polski (Polish)")])
def test_no_english_formula_for_other_languages(run_cli, locale: str, name: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("readability", "leaflets/RAD_0102-ct-guided-lung-biopsy.md", "--locale", locale)
    assert result.code == 0
    assert result.out.strip() == f"RAD_0102: no validated readability formula for {name}"
    assert not scored(locale) and scored("es") and scored("en_GB")


def test_plain_words_list() -> None:
    entries = {phrase.lower(): suggestion for _, phrase, suggestion, _ in plain_words()}
    assert len(entries) >= 100
    for phrase, suggestion in (("prior to", "before"), ("approximately", "about"), ("administered", "given"),
                               ("analgesia", "pain relief"), ("anticoagulation", "blood thinning"),
                               ("commence", "start"), ("in order to", "to")):
        assert entries[phrase] == suggestion


def test_syllable_counter_measured_on_known_words() -> None:
    """The figures quoted in the README and in pipeline/readability/metrics.py."""
    import pyphen

    rows = list(csv.DictReader((ROOT / "pipeline/data/syllables.csv").read_text(encoding="utf-8").splitlines()))
    ours = sum(syllables(r["word"]) == int(r["syllables"]) for r in rows)
    gb = pyphen.Pyphen(lang="en_GB")
    hyphenation = sum(len(gb.positions(r["word"])) + 1 == int(r["syllables"]) for r in rows)
    assert len(rows) == 77 and ours == 76 and hyphenation == 44
    for word, count in (("paracetamol", 5), ("anaesthetic", 4), ("osteoporosis", 6), ("interventional", 5)):
        assert syllables(word) == count
    assert vowel_group_syllables("sacroplasty") == 4


def test_scoring_never_touches_the_network() -> None:
    code = f"""
import socket, sys
def refuse(*a, **k):
    raise OSError("network used during scoring")
class Refused(socket.socket):
    def __init__(self, *a, **k):
        refuse()
socket.socket = Refused
socket.create_connection = refuse
import nltk
nltk.download = refuse
sys.path.insert(0, {str(ROOT)!r})
from pipeline.readers import read_leaflet
from pipeline.readability.report import analyse
report = analyse(read_leaflet({str(LEAFLETS / 'RAD_0102-ct-guided-lung-biopsy.md')!r}))
print(report.reading_age)
"""
    env_home = {"NLTK_DATA": "/nonexistent", "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env_home, timeout=60)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) > 5


def test_a_spanish_catalogue_is_scored_with_spanish_constants(run_cli) -> None:  # type: ignore[no-untyped-def]
    from pipeline.i18n.catalogues import catalog_bytes, read_catalog

    Path("locales/LINGUAS").write_text("es\n", encoding="utf-8")
    assert run_cli("i18n", "update", "leaflets/PHY_0015-after-a-hip-replacement.txt").code == 0
    po = Path("locales/es/LC_MESSAGES/PHY_0015.po")
    catalog = read_catalog(po)
    for message in catalog:
        if message.id:  # stand-in text: enough to show the Spanish formulas are used
            clause = "haga los ejercicios tres veces al día durante las primeras semanas"
            repeats = -(-len(str(message.id)) // len(clause))  # as long as the English: no sentence "left out"
            message.string = "; ".join([clause.capitalize()] + [clause] * (repeats - 1)) + ". " + (
                " ".join(f"{{{name}}}" for name in re.findall(r"\{(\w+)\}", str(message.id))))
            numbers = re.findall(r"(\d+)(?:\.(\d+))?(pm)?", re.sub(r"\{\w+\}", "", str(message.id)))
            message.string += " " + " ".join(  # pm times on the 24-hour clock, as the checks require
                f"{int(h) + 12}:{m or '00'}" if pm else (f"{h}.{m}" if m else h) for h, m, pm in numbers)
            message.flags.add("shared-translation")  # one stand-in sentence for many messages, on purpose
    po.write_bytes(catalog_bytes(catalog))
    result = run_cli("readability", "leaflets/PHY_0015-after-a-hip-replacement.txt", "--locale", "es",
                     "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["language"] == "es" and data["words_count"] > 100
    # The gate covers the catalogue too: this stand-in Spanish is one long sentence per line.
    gate = run_cli("check", "leaflets/PHY_0015-after-a-hip-replacement.txt", "--margin", "3")
    assert gate.code == 1 and "locales/es/LC_MESSAGES/PHY_0015.po (es): reading age" in gate.out


@pytest.mark.parametrize(("sentence", "flagged"), [
    ("You will have an MRI scan next week.", ["MRI"]),
    ("You will have an MRI scan (a scan using magnets) next week.", []),
    ("A small air leak around the lung (pneumothorax) is common.", []),
    ("Osteoporosis means your bones are thin.", []),
    ("Sedation makes you sleepy.", []),
    ("The doctor is called a radiologist.", []),
    ("The radiologist checks the images. The radiologist is kind.", ["radiologist"]),
])
def test_medical_terms_need_an_explanation_at_first_use(sentence: str, flagged: list[str]) -> None:
    from pipeline.readability.report import _unexplained_terms

    seen: set[str] = set()
    found = [i.text for part in split_sentences(sentence) for i in _unexplained_terms(part, seen)]
    assert found == flagged


def test_smog_counts_in_the_headline_only_on_30_sentences_or_more(tmp_path: Path) -> None:
    import statistics

    from pipeline.readability.report import analyse, to_text
    from pipeline.readers import read_leaflet

    def report_for(sentences: int):  # type: ignore[no-untyped-def]
        body = " ".join("Osteoporosis complications necessitate comprehensive multidisciplinary evaluation."
                        if n % 3 == 0 else "Rest at home for a day." for n in range(sentences))
        path = tmp_path / f"TST_{sentences:04d}-x.md"
        path.write_text(f"# Test\n\n## Part\n\n{body}\n\nTST_{sentences:04d}\n", encoding="utf-8")
        return analyse(read_leaflet(str(path)))

    short = report_for(12)
    s = short.scores
    assert not short.smog_reliable and "SMOG" not in short.headline_formulas
    assert short.reading_age == round(statistics.median((s.flesch_kincaid_grade, s.gunning_fog, s.coleman_liau)) + 5, 1)
    assert "median of Flesch-Kincaid, Gunning Fog, Coleman-Liau" in to_text(short)
    assert "median of Flesch-Kincaid, Gunning Fog, Coleman-Liau" in to_html(short)
    long = report_for(36)
    assert long.smog_reliable and "SMOG" in long.headline_formulas and long.reading_age == long.scores.reading_age
