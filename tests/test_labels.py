"""The words the pipeline adds (review dates, page numbers, notices) are a catalogue of their own per language.

A new language's labels are translated and checked like a leaflet; until they are, its
outputs carry the English labels and say so.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import labels
from pipeline.i18n.catalogues import catalog_bytes, read_catalog

EYE = "leaflets/EYE_0112-eye-drops.pdf"
GERMAN = {
    "reviewed": "Überprüft: {date}", "next_review": "Nächste Überprüfung fällig: {date}",
    "page": "Seite {page} von {pages}", "code": "Merkblatt-Code: {code}",
    "draft": "ENTWURF: nicht geprüft, nicht zur Ausgabe an Patienten",
    "unchecked": "Diese Übersetzung wurde nicht von einer qualifizierten Fachkraft geprüft.",
    "large_print": "Großdruck", "giant_print": "Sehr großer Druck", "audio_from": "Von {organisation}.",
    "audio_sections": "Diese Aufnahme hat {count} Abschnitte.",
    "audio_skip": "Um zum nächsten Abschnitt zu gelangen, springen Sie zum nächsten Titel oder Kapitel.",
    "audio_intro": "Einleitung",
    "epub_summary": "Ein Merkblatt für Patienten mit Überschriften, Inhaltsverzeichnis und logischer Lesereihenfolge. "
                    "Textgröße und Farben lassen sich ändern.",
    "epub_summary_audio": "Ein Merkblatt für Patienten mit Überschriften, Inhaltsverzeichnis und logischer "
                          "Lesereihenfolge. Textgröße und Farben lassen sich ändern. Jeder Satz wird von einer "
                          "synthetischen Stimme vorgelesen und beim Lesen hervorgehoben.",
    "audio_closing": "Kontakt und Überprüfungsdaten", "audio_end": "Ende der Aufnahme.",
    "skip_to_content": "Zum Merkblatt springen", "contents": "Inhalt", "picture": "Bild: {alt}",
    "picture_no_alt": "Bild (nicht beschrieben)", "important": "Wichtig: {text}",
}


def _add_german(run_cli) -> None:  # type: ignore[no-untyped-def]
    """German in LINGUAS, the eye-drops leaflet 'translated' (its English kept, flagged same-as-source)."""
    linguas = Path("locales/LINGUAS")
    linguas.write_text(linguas.read_text(encoding="utf-8") + "de\n", encoding="utf-8")
    assert run_cli("i18n", "update").code == 0
    po = Path("locales/de/LC_MESSAGES/EYE_0112.po")
    catalog = read_catalog(po, "de")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.add("same-as-source")
    po.write_bytes(catalog_bytes(catalog))


def _text(run_cli) -> str:  # type: ignore[no-untyped-def]
    done = run_cli("build", EYE, "-l", "de", "-f", "text")
    assert done.code in (0, 1), done.err
    return Path("output/EYE_0112/de/EYE_0112-de.txt").read_text(encoding="utf-8")


def _translate_labels(change: dict[str, str] | None = None) -> None:
    po = Path("locales/de/LC_MESSAGES/labels.po")
    catalog = read_catalog(po, "de")
    for message in catalog:
        if message.id:
            message.string = {**GERMAN, **(change or {})}[message.context]
    po.write_bytes(catalog_bytes(catalog))


def test_a_new_language_gets_a_labels_catalogue_and_english_labels_that_say_so(run_cli) -> None:  # type: ignore[no-untyped-def]
    _add_german(run_cli)
    assert Path("locales/labels.pot").exists() and Path("locales/de/LC_MESSAGES/labels.po").exists()
    catalog = read_catalog(Path("locales/de/LC_MESSAGES/labels.po"), "de")
    assert {m.context for m in catalog if m.id} == set(labels.ENGLISH) - labels.ENGLISH_ONLY
    text = _text(run_cli)
    assert "Next review due" in text and "their translation into Deutsch is not ready yet" in text
    check = run_cli("check", EYE)
    count = len(labels.ENGLISH) - len(labels.ENGLISH_ONLY)
    assert f"warning: locales/de/LC_MESSAGES/labels.po: de: labels incomplete: {count} of {count}" in check.out, \
        check.out


def test_translated_labels_are_used_and_the_notice_goes(run_cli) -> None:  # type: ignore[no-untyped-def]
    _add_german(run_cli)
    _translate_labels()
    text = _text(run_cli)
    assert "Nächste Überprüfung fällig:" in text and "Next review due" not in text
    assert "not ready yet" not in text
    assert "de/LC_MESSAGES/labels.po" not in run_cli("check", EYE).out
    # A label changed later makes the outputs again (the labels are part of the build key).
    _translate_labels({"next_review": "Nächste Prüfung: {date}"})
    assert "Nächste Prüfung:" in _text(run_cli)


def test_a_label_that_fails_a_check_is_not_used(run_cli) -> None:  # type: ignore[no-untyped-def]
    _add_german(run_cli)
    _translate_labels({"next_review": "Nächste Überprüfung fällig"})  # {date} dropped
    check = run_cli("check", EYE)
    assert "warning: " in check.out and "label 'next_review': the label must keep {date}" in check.out, check.out
    text = _text(run_cli)
    assert "Next review due" in text and "not ready yet" in text, "English and saying so, never without its date"


def test_the_project_labels_for_polish_welsh_and_urdu_are_catalogues_that_pass() -> None:
    from tests.conftest import LOCALES

    problems = labels.load(LOCALES)
    assert problems["pl"] == problems["cy"] == problems["ur"] == []
    assert labels.label("next_review", "pl", date="maj 2027").startswith("Następny przegląd")
    assert labels.label("next_review", "ro", date="mai 2027") == "Next review due: mai 2027"
    assert not labels.translated("ro") and labels.translated("pl") and labels.translated("en_GB")
