"""The plain-text export, golden-tested on leaflets we wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.exporters.text import export_text
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS
from tests.test_readers import parser_words, words


@pytest.mark.parametrize("source", [FIXTURES / "all-blocks.md", FIXTURES / "plain.txt",
                                    *sorted(LEAFLETS.iterdir())], ids=lambda p: p.name)
def test_text_golden(source: Path, golden) -> None:  # type: ignore[no-untyped-def]
    golden(f"{source.stem}.txt", export_text(read_leaflet(str(source))))


def test_reference_text_keeps_every_word_and_ends_with_metadata(reference: Path) -> None:
    text = export_text(read_leaflet(str(reference)))
    assert not parser_words(reference) - words(text)
    tail = text.rstrip().splitlines()[-3:]
    assert tail == ["Leaflet code: RAD_0067", "Dr Archie Speirs, RBFT Radiology",
                    "Reviewed: May 2026. Next review due: May 2028."]
    assert "0118 322 8368" in text, "phone numbers are never split across lines"
    assert "**" not in text and "](" not in text


def test_links_written_out() -> None:
    text = export_text(read_leaflet(str(LEAFLETS / "END_0031-sedation-fasting.md")))
    assert "our website (https://www.northfield-hospitals.nhs.uk/endoscopy)" in " ".join(text.split())


@pytest.mark.parametrize("locale", ["en_GB", "pl", "cy", "ur"])
def test_a_warning_stands_out_in_words_and_each_paragraph_is_one_line(locale: str) -> None:
    """Plain text has no bold: a warning (a paragraph bold throughout) starts "Important:" in the leaflet's
    language, on a line of its own; no paragraph is hard-wrapped (a mail app reflows it to the phone)."""
    from pipeline.exporters.text import export_text
    from pipeline.i18n.catalogues import read_catalog
    from pipeline.i18n.translate import review, translate
    from pipeline.labels import label
    from pipeline.readers import read_leaflet
    from tests.conftest import LEAFLETS, LOCALES

    leaflet = read_leaflet(str(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"))
    if locale != "en_GB":
        po = LOCALES / locale / "LC_MESSAGES" / "RAD_0102.po"
        catalog = read_catalog(po, locale)
        leaflet = translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po))
    text = export_text(leaflet)
    word = label("important", locale, text="").strip()
    warnings = [line for line in text.splitlines() if line.lstrip("\u200e\u200f").startswith(word)]
    assert len(warnings) >= 2, text  # the opening line and the emergency warning are bold throughout
    assert any("999" in line for line in warnings)
    partly = "at least 7 days before" if locale == "en_GB" else None
    if partly:
        line = next(line for line in text.splitlines() if partly in line)
        assert not line.startswith(word), "a paragraph only partly bold is not a warning"
    paragraphs = [line for line in text.splitlines() if len(line) > 72]
    assert paragraphs, "long paragraphs stay on one line"
