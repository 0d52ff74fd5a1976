"""Hostile and damaged Word and PDF files: each is read or refused in one line, never a traceback.

Mutations of the example documents (bytes flipped, truncated, parts removed or swapped for
other parts, XML made huge or deep) must give a leaflet or a :class:`LeafletError`, and
nothing else, within a short time.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import LeafletError
from pipeline.readers import read_leaflet
from tests.conftest import LEAFLETS
from tests.examples import PDF_NAME, WORD_NAME

WORD = (LEAFLETS / WORD_NAME).read_bytes()
PDF = (LEAFLETS / PDF_NAME).read_bytes()


def _read(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        read_leaflet(str(path))
    except LeafletError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    assert time.perf_counter() - started < 20, "a hostile file must not hold the reader up"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(PDF) - 1), st.integers(0, 255)), min_size=1, max_size=30))
def test_pdf_with_bytes_changed(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(PDF)
    for at, value in flips:
        data[at] = value
    _read(tmp_path, "flipped.pdf", bytes(data))


@pytest.mark.parametrize("cut", [10, 200, len(PDF) // 2, len(PDF) - 30])
def test_truncated_pdf(tmp_path: Path, cut: int) -> None:
    _read(tmp_path, "cut.pdf", PDF[:cut])


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(_parts(WORD))), st.integers(0, 2**32), st.sampled_from(["flip", "drop", "swap", "cut"]))
def test_word_with_a_part_damaged(tmp_path: Path, part: str, seed: int, how: str) -> None:
    parts = _parts(WORD)
    rng = random.Random(seed)
    data = bytearray(parts[part])
    if how == "flip" and data:
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        parts[part] = bytes(data)
    elif how == "drop":
        del parts[part]
    elif how == "swap":
        parts[part] = parts[rng.choice(sorted(parts))]
    else:
        parts[part] = bytes(data[: rng.randrange(len(data) + 1)])
    _read(tmp_path, "damaged.docx", _zipped(parts))


@pytest.mark.parametrize("xml", [
    b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
    + b"<w:tbl><w:tr><w:tc>" * 400 + b"</w:tc></w:tr></w:tbl>" * 400 + b"</w:body></w:document>",
    b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
    + b"<w:p><w:r><w:t>" + b"x" * 2_000_000 + b"</w:t></w:r></w:p>" * 3 + b"</w:body></w:document>",
    b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
    + b"<w:p><w:pPr><w:numPr><w:ilvl w:val='99999999999'/><w:numId w:val='-1'/></w:numPr></w:pPr></w:p>"
    + b"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val='100000000'/></w:tcPr></w:tc></w:tr></w:tbl>"
    + b"</w:body></w:document>",
], ids=["nested-tables", "huge-runs", "absurd-numbers"])
def test_word_with_hostile_xml(tmp_path: Path, xml: bytes) -> None:
    parts = _parts(WORD)
    parts["word/document.xml"] = xml
    _read(tmp_path, "hostile.docx", _zipped(parts))
