"""Hostile text takes time in proportion to its length, through every route that reads user text.

A regular expression with a repeated group that can match the same text two ways (or one
tried from every position of a long run) takes seconds on a line of a few hundred bytes:
a 205-byte breadcrumb line once took 11.7 s, a line of 240 KB of ``[`` 65 s.  Each case here
doubles the input and asserts the time at most ~2.5x (the best of three runs, with a small
allowance for timer noise); each was quadratic or exponential before it was fixed.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.bidi import ltr_spans
from pipeline.errors import LeafletError
from pipeline.i18n.checks import check_message
from pipeline.readers import read_leaflet
from pipeline.readers.metadata import contacts_in, parse_contact
from pipeline.readers.paste import web_leftover
from pipeline.sentences import sentence_ends
from pipeline.speech.normalise import normalise


def _best(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _linear(run: Callable[[int], object], n: int) -> None:
    small, large = _best(lambda: run(n)), _best(lambda: run(2 * n))
    assert large <= 2.5 * small + 0.03, f"{small:.3f} s for n, {large:.3f} s for 2n"


def _read(tmp_path: Path, suffix: str, body: str) -> None:
    path = tmp_path / f"TST_0001-x{suffix}"
    head = "# Title\n\n" if suffix == ".md" else "Your operation\n\n"
    path.write_text(head + body + "\n\nTST_0001\n", encoding="utf-8")
    with contextlib.suppress(LeafletError):
        read_leaflet(str(path))


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


@pytest.mark.parametrize("unit", ["[", "![", " \t", "B", "Home > ", "0118 496 0000 ", "<!--", "<", "{#", "[x]{",
                                  "Trust ", "Department "])
def test_markdown_leaflets(tmp_path: Path, unit: str) -> None:
    _linear(lambda n: _read(tmp_path, ".md", unit * (n // len(unit))), 6000)


@pytest.mark.parametrize("unit", ["Home > ", "Home > a > ", "call ", "0118 ", "Page 1 ", "| ", "B", "!"])
def test_pasted_text_leaflets(tmp_path: Path, unit: str) -> None:
    _linear(lambda n: _read(tmp_path, ".txt", unit * (n // len(unit))), 4000)


def test_a_breadcrumb_trail_is_not_exponential() -> None:
    _linear(lambda n: web_leftover("Home > " + "Section > " * n + "A page."), 2000)
    start = time.perf_counter()
    assert web_leftover("Home > " + "a > " * 30 + "x.") is False
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("text", [lambda n: "Call " * n + "0118 496 0000", lambda n: "0118 496 0000" + " " * n + "x",
                                  lambda n: "0118 496 0000" + " ," * n, lambda n: "Ward, Tel" + " " * n + "x"])
def test_contacts(text: Callable[[int], str]) -> None:
    _linear(lambda n: (contacts_in(text(n)), parse_contact(text(n))), 20000)


@pytest.mark.parametrize("unit", ["1.", "!", "{", "www.a", "a@", "[", "0118 496 0000 "])
def test_translation_checks(unit: str) -> None:
    _linear(lambda n: check_message("Call {phone1} now.", unit * (n // len(unit)), "pl"), 8000)


@pytest.mark.parametrize("unit", ["a-", "a.", "!", "a@b.", "www."])
def test_speech(unit: str) -> None:
    _linear(lambda n: normalise(unit * (n // len(unit)), "en_GB"), 8000)


@pytest.mark.parametrize("unit", ["!", "a. ", ". A"])
def test_sentences(unit: str) -> None:
    _linear(lambda n: sentence_ends(unit * (n // len(unit))), 20000)


@pytest.mark.parametrize("unit", ["0", "0 0 ", "1.1"])
def test_right_to_left_number_runs(unit: str) -> None:
    _linear(lambda n: ltr_spans(unit * (n // len(unit))), 20000)


@pytest.mark.parametrize("unit", [" \t", "  ", " | "])
def test_pasted_page_furniture(unit: str) -> None:
    from pipeline.readers.paste import organisation_line, without_accordion, without_page_mark

    for clean in (without_accordion, without_page_mark, organisation_line):
        _linear(lambda n, clean=clean: clean(unit * (n // len(unit)) + "x"), 40000)  # type: ignore[misc]
