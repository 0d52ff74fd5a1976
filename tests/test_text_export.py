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
