"""The example Word and PDF leaflets are exactly what tests/examples.py makes (``pytest --regenerate``)."""

from __future__ import annotations

import pytest

from pipeline.model import Picture, iter_blocks
from pipeline.readers import read_leaflet
from tests.conftest import LEAFLETS
from tests.examples import PDF_NAME, WORD_NAME, pdf_leaflet, word_leaflet


@pytest.mark.parametrize(("name", "make"), [(WORD_NAME, word_leaflet), (PDF_NAME, pdf_leaflet)], ids=str)
def test_example_is_made_by_our_code(request: pytest.FixtureRequest, name: str, make) -> None:  # type: ignore[no-untyped-def]
    path = LEAFLETS / name
    data = make()
    if request.config.getoption("--regenerate"):
        path.write_bytes(data)
    assert path.read_bytes() == data, f"{path} is not what tests/examples.py makes: run pytest --regenerate"


def test_examples_read_as_written() -> None:
    word = read_leaflet(str(LEAFLETS / WORD_NAME))
    assert (word.meta.title, word.meta.code, str(word.meta.next_review)) == (
        "Wearing a heart monitor at home", "CARD_0040", "2029-04")
    assert dict(word.meta.found_in) == {"organisation": "header", "code": "footer", "reviewed": "footer",
                                        "next_review": "footer"}
    (picture,) = [b for b in iter_blocks(word.blocks) if isinstance(b, Picture)]
    assert picture.alt.startswith("A small heart monitor") and picture.image and picture.caption
    eye = read_leaflet(str(LEAFLETS / PDF_NAME))
    assert (eye.meta.title, eye.meta.code, str(eye.meta.reviewed)) == (
        "Eye drops after cataract surgery", "EYE_0112", "2026-05")
    assert not word.meta.provisional and not eye.meta.provisional
