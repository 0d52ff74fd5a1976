"""Right-to-left print, measured on the rendered page: LibreOffice draws the Urdu large-print
PDF, and pdftotext reports where each word was drawn.

A patient reading Urdu must see ``0118 496 0123`` and ``12/03/2026 - 12/03/2028`` in
that order, and the bullet or step number of a list on the right, where the line starts.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from pipeline.exporters import FORMATS
from pipeline.model import Leaflet
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, soffice

pytestmark = pytest.mark.skipif(soffice() is None,
                                reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")


@dataclass(frozen=True)
class Word:
    page: int
    left: float
    right: float
    top: float
    text: str


def urdu() -> Leaflet:
    leaflet = read_leaflet(str(FIXTURES / "rtl-numbers.md"))
    return replace(leaflet, meta=replace(leaflet.meta, language="ur", source_language="ur", direction="rtl"))


def drawn(pdf: bytes, tmp_path: Path) -> list[Word]:
    """Every word of the PDF with where it was drawn."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                             page):
            words.append(Word(number, float(m[1]), float(m[3]), float(m[2]), m[4]))
    return words


def in_order(words: list[Word], *parts: str) -> bool | None:
    """Whether ``parts`` are drawn left to right on one line (``None`` when not all on one line)."""
    for first in (w for w in words if w.text == parts[0]):
        line = [w for w in words if w.page == first.page and abs(w.top - first.top) < 3]
        found = [next((w for w in line if w.text == p), None) for p in parts]
        if all(found):
            lefts = [w.left for w in found if w is not None]
            return lefts == sorted(lefts)
    return None


RUNS = [("0118", "496", "0123"), ("0118", "496", "0789"), ("12/03/2026", "12/03/2028"), ("0118", "496", "0999")]


@pytest.fixture(scope="module")
def urdu_pdf() -> bytes:
    return FORMATS["large-print-pdf"].export(urdu())  # type: ignore[return-value]


def test_numbers_phone_numbers_and_date_ranges_read_left_to_right(urdu_pdf: bytes, tmp_path: Path) -> None:
    words = drawn(urdu_pdf, tmp_path)
    for run in RUNS:
        assert in_order(words, *run) is True, f"{' '.join(run)} is not drawn left to right"


def test_the_measurement_catches_a_reversed_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.exporters.docx as docx_exporter

    monkeypatch.setattr(docx_exporter.bidi, "isolate", lambda text, outside, inside: text)
    words = drawn(FORMATS["large-print-pdf"].export(urdu()), tmp_path)  # type: ignore[arg-type]
    assert in_order(words, "0118", "496", "0123") is False
    assert "12/03/2026" not in {w.text for w in words}, "without isolation the date is torn apart and reordered"


def test_list_markers_stand_on_the_right_of_their_lines(urdu_pdf: bytes, tmp_path: Path) -> None:
    # The fixture has three numbered steps, then two bullets.  Each marker must be the rightmost
    # word of its line (where a right-to-left line starts), never at the left margin.
    words = drawn(urdu_pdf, tmp_path)
    width = 595
    bullets = [w for w in words if w.text in {"•", "◦", "▪"}]
    assert len(bullets) == 2 and all(w.left > width / 2 for w in bullets), bullets
    steps = []
    for word in words:
        line = [w for w in words if w.page == word.page and abs(w.top - word.top) < 3]
        if max(line, key=lambda w: w.right) is word and re.fullmatch(r"\.?[123]\.?", word.text):
            steps.append(word.text.strip("."))
    assert steps == ["1", "2", "3"], steps
    for marker in bullets:
        line = [w for w in words if w.page == marker.page and abs(w.top - marker.top) < 3 and w is not marker]
        assert line and all(w.right <= marker.left + 1 for w in line), "a bullet is not the rightmost on its line"
