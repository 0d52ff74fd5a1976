"""A corpus of leaflets written the ways trusts write them, read as a team would expect.

tests/fixtures/corpus/ holds leaflets of our own in the shapes seen in real libraries: a
pasted web page (breadcrumbs, accordions, "Back to top"), a PDF paste (logo text, running
headers and footers, page numbers, hard-wrapped lines, inline and nested bullets), text
with single line breaks only, Markdown exported from Word (bold lines for headings),
Welsh bilingual headers, and leaflets without a code or a title.  expected.toml says what
each must read as; the text export of each is a golden file (``pytest --regenerate``).
"""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from pipeline.exporters.html import export_html
from pipeline.exporters.text import export_text
from pipeline.i18n.extract import template
from pipeline.model import BulletList, Heading, OrderedList, Paragraph, inline_text, iter_blocks
from pipeline.phones import find_phones, has_phone
from pipeline.readers import read_leaflet
from pipeline.readers.metadata import fact_line
from tests.conftest import FIXTURES
from tests.test_readers import words

CORPUS = FIXTURES / "corpus"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def test_the_corpus_is_big_enough() -> None:
    sources = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".md", ".txt"))
    assert sources == sorted(EXPECTED) and len(sources) >= 12


@pytest.fixture(params=sorted(EXPECTED), ids=str)
def case(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any]]:
    return CORPUS / request.param, EXPECTED[request.param]


def item_texts(blocks: tuple[Any, ...]) -> list[str]:
    """The first paragraph of every list item, nested items included, in reading order."""
    texts = []
    for block in blocks:
        if isinstance(block, BulletList | OrderedList):
            for item in block.items:
                if item.blocks and isinstance(item.blocks[0], Paragraph):
                    texts.append(inline_text(item.blocks[0].content).strip())
                texts.extend(item_texts(item.blocks))
    return texts


def test_read_with_the_right_facts_and_structure(case: tuple[Path, dict[str, Any]]) -> None:
    path, expected = case
    leaflet = read_leaflet(str(path))
    meta = leaflet.meta
    assert meta.title == expected["title"]
    assert meta.shown_code == expected["code"]
    assert meta.organisation == expected.get("organisation")
    assert meta.reviewed == expected.get("reviewed") and meta.next_review == expected.get("next_review")
    assert bool(meta.provisional) == expected.get("draft", False)
    headings = [inline_text(b.content).strip() for b in iter_blocks(leaflet.blocks) if isinstance(b, Heading)]
    assert headings == expected["headings"]
    assert item_texts(leaflet.blocks) == expected["items"]
    if "contacts" in expected:
        found = [f"{c.label}|{c.phone}|{c.hours or ''}" for c in meta.contacts]
        assert found == expected["contacts"]


def test_nested_bullets_stay_nested() -> None:
    def depth(blocks: tuple[Any, ...]) -> int:
        lists = [b for b in blocks if isinstance(b, BulletList | OrderedList)]
        return max((1 + max((depth(i.blocks) for i in lst.items), default=0) for lst in lists), default=0)

    assert depth(read_leaflet(str(CORPUS / "pdf-colonoscopy.txt")).blocks) == 2
    assert depth(read_leaflet(str(CORPUS / "md-radiology-nested.md")).blocks) == 3
    assert depth(read_leaflet(str(CORPUS / "word-physio.md")).blocks) == 2


def test_every_phone_is_a_placeholder_a_link_and_read_digit_by_digit(case: tuple[Path, dict[str, Any]]) -> None:
    from pipeline.speech.script import script_text, speech_script

    path, expected = case
    leaflet = read_leaflet(str(path))
    text = export_text(leaflet)
    dials = {dial for phone in find_phones(text) for dial in phone.dial}
    assert dials == set(expected["phones"])
    for message in template(leaflet, str(path)):
        if message.id:
            assert not has_phone(str(message.id)), f"a phone number left for translators to retype: {message.id}"
    doc = lxml.html.document_fromstring(export_html(leaflet))
    links = [a.get("href") for a in doc.xpath("//main//a")]
    assert {link for link in links if link.startswith("tel:")} == {f"tel:{d}" for d in expected["phones"]}
    if "links" in expected:
        assert set(links) == set(expected["links"])
    spoken = script_text(leaflet, speech_script(leaflet))
    for dial in expected["phones"]:
        digits = dial if len(dial) == 3 else "0" + dial[3:5]
        assert " ".join(DIGITS[int(d)] for d in digits) in spoken, dial


def test_text_output_is_as_golden(case: tuple[Path, dict[str, Any]], golden) -> None:  # type: ignore[no-untyped-def]
    path, _ = case
    golden(f"corpus/{path.stem}{path.suffix.replace('.', '-')}.txt", export_text(read_leaflet(str(path))))


def test_no_word_is_lost_unless_its_line_is_named(case: tuple[Path, dict[str, Any]],
                                                   caplog: pytest.LogCaptureFixture) -> None:
    path, _ = case
    caplog.set_level(logging.WARNING, logger="pipeline")
    text = export_text(read_leaflet(str(path)))
    named = {int(n) for n in re.findall(rf"{re.escape(path.name)}:(\d+)", caplog.text)}
    # Lines of facts (code, review dates) become the leaflet's metadata, printed in the house style.
    source = [line for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
              if n not in named and not fact_line(line.replace("\\|", "|").strip(" *"))]
    source_text = re.sub(r"\{\.\w+\}|\]\([^)]*\)|^\s*o\s|(?<!\w)_|_(?!\w)", " ", "\n".join(source), flags=re.M)
    missing = set(words(source_text)) - set(words(text))
    assert not missing, sorted(missing)


def test_a_leaflet_without_a_title_line_says_so_and_is_a_draft(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/PHY_0022-walking-frame.txt")
    source.write_text((CORPUS / "no-title.txt").read_text(encoding="utf-8"), encoding="utf-8")
    checked = run_cli("check", source)
    assert "no title line" in checked.out and "Walking frame" in checked.out
    built = run_cli("build", source, "--locale", "en_GB", "--format", "text")
    assert built.code == 0 and "DRAFTS" in built.err
    text = Path("output/PHY_0022/en_GB/PHY_0022-en_GB-DRAFT.txt").read_text(encoding="utf-8")
    assert text.startswith("Walking frame\n") and "DRAFT" in text
    refused = run_cli("request", "--ref", "T-1", "PHY_0022", "--locale", "en", "--format", "text",
                      "--db", "requests.sqlite")
    assert refused.code == 1 and "no title line" in refused.out + refused.err


@pytest.mark.parametrize("breaks", ["blank lines", "single line breaks"])
def test_the_reference_pasted_as_plain_text_reads_as_its_markdown(reference: Path, tmp_path: Path,
                                                                   breaks: str) -> None:
    """The real leaflet, its Markdown taken off as a paste from the web page would, reads the same."""
    markdown = read_leaflet(str(reference))
    text = reference.read_text(encoding="utf-8")
    text = re.sub(r"^#+\s*", "", text, flags=re.M).replace("**", "").replace("\\_", "_")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"^\s*[-*]\s+", "• ", text, flags=re.M))
    if breaks == "single line breaks":
        text = "\n".join(line for line in text.split("\n") if line.strip())
    path = tmp_path / "RAD_0067.txt"
    path.write_text(text, encoding="utf-8")
    pasted = read_leaflet(str(path))
    for field in ("title", "code", "reviewed", "next_review", "contacts", "author", "offer_present"):
        assert getattr(pasted.meta, field) == getattr(markdown.meta, field), field

    def outline(leaflet: Any) -> list[str]:
        return [inline_text(b.content) for b in leaflet.blocks if isinstance(b, Heading)]

    assert outline(pasted) == outline(markdown)
    assert item_texts(pasted.blocks) == item_texts(markdown.blocks)
