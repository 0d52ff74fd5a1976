"""Readers: the model built from real leaflets, metadata detection, nothing lost."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline.errors import LeafletError
from pipeline.model import (
    BlockQuote,
    BulletList,
    Contact,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    ThematicBreak,
    iter_blocks,
    leaflet_text,
)
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS

WORD = re.compile(r"[\w’'.%-]+")


def words(text: str) -> Counter[str]:
    return Counter(w.strip(".'’-").lower() for w in WORD.findall(text) if w.strip(".'’-"))


def parser_words(source: Path) -> Counter[str]:
    """Words of markdown-it's own rendering of the source (HTML with tags stripped)."""
    text = source.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    return words(html.unescape(re.sub(r"<[^>]+>", " ", rendered)))


def model_words(source: Path) -> Counter[str]:
    leaflet = read_leaflet(str(source))
    meta = leaflet.meta
    extra = ["Reviewed", "Next review due"]
    for date in (meta.reviewed, meta.next_review):
        if date:
            extra.append(date.strftime("%B %Y"))
    return words(leaflet_text(leaflet) + "\n" + "\n".join(extra))


def test_reference_metadata(reference: Path) -> None:
    meta = read_leaflet(str(reference)).meta
    assert meta.title == "Sacroplasty (treatment of sacral fracture with bone cement)"
    assert meta.code == "RAD_0067"
    assert meta.reviewed == dt.date(2026, 5, 1)
    assert meta.next_review == dt.date(2028, 5, 1)
    assert meta.contacts == (
        Contact("Radiology Department", "0118 322 7991"),
        Contact("Radiology Day Case Unit", "0118 322 8368", "Monday-Friday 8.30am-5pm"),
    )
    assert meta.website == "http://www.royalberkshire.nhs.uk"
    assert meta.author == "Dr Archie Speirs, RBFT Radiology"
    assert meta.department == "Radiology Department"
    assert meta.offer_present is True
    assert meta.language == meta.source_language == "en_GB"


def test_reference_structure_and_lines(reference: Path) -> None:
    leaflet = read_leaflet(str(reference))
    headings = [b for b in leaflet.blocks if isinstance(b, Heading)]
    assert [h.level for h in headings] == [2, 2, 2, 3, 3, 3, 3, 3]
    first = headings[0]
    # "## **What is sacroplasty?**": the bold wrapper is dropped, the line kept.
    assert first.content[0].text == "What is sacroplasty?"  # type: ignore[union-attr]
    assert reference.read_text(encoding="utf-8").split("\n")[first.line - 1].startswith("## ")
    assert sum(isinstance(b, ThematicBreak) for b in leaflet.blocks) == 2
    # The colophon lines became metadata, not body paragraphs.
    body = leaflet_text(leaflet).split("\n")
    assert not any(line.startswith("Reviewed:") for line in body)


@pytest.mark.parametrize("name", ["reference", "all-blocks"])
def test_nothing_lost(name: str, reference: Path) -> None:
    source = reference if name == "reference" else FIXTURES / "all-blocks.md"
    missing = parser_words(source) - model_words(source)
    assert not missing, f"words lost from the model: {sorted(missing)}"


def test_every_block_and_inline_type() -> None:
    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    kinds = {type(b) for b in iter_blocks(leaflet.blocks)}
    assert {Heading, Paragraph, BulletList, OrderedList, BlockQuote, Table, ThematicBreak} <= kinds
    ordered = next(b for b in leaflet.blocks if isinstance(b, OrderedList))
    assert ordered.start == 3
    bullets = next(b for b in leaflet.blocks if isinstance(b, BulletList))
    assert isinstance(bullets.items[1].blocks[1], BulletList), "nested list kept as a nested list"
    intro = leaflet.blocks[0]
    assert isinstance(intro, Paragraph)
    inline_kinds = {type(i) for i in intro.content}
    assert {Strong, Emphasis, Link, LineBreak} <= inline_kinds
    link = next(i for i in intro.content if isinstance(i, Link))
    assert link.url == "https://www.example.nhs.uk/trust"
    table = next(b for b in leaflet.blocks if isinstance(b, Table))
    assert [c.content[0].text for c in table.header] == ["Medicine", "When to stop"]  # type: ignore[union-attr]
    assert len(table.rows) == 2
    assert leaflet.meta.organisation == "Example Hospitals NHS Trust"  # front matter
    assert leaflet.meta.code == "TST_0001"
    assert intro.line == 7, "line numbers count the front matter lines"


def test_raw_html_is_removed_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    text = leaflet_text(leaflet)
    assert "<span>" not in text and "<div>" not in text
    assert "html wrapped" in text and "Block html words" in text
    assert any("all-blocks.md:37" in r.getMessage() for r in caplog.records), caplog.text
    assert any("all-blocks.md:39" in r.getMessage() for r in caplog.records), caplog.text


def test_plain_text_reader() -> None:
    leaflet = read_leaflet(str(FIXTURES / "plain.txt"))
    meta = leaflet.meta
    assert meta.title == "Looking after your plaster cast"
    assert meta.code == "ORT_0020"
    assert meta.reviewed == dt.date(2026, 2, 1)
    assert meta.contacts == (Contact("Fracture Clinic", "0118 496 0321", "Monday-Friday 9am-5pm"),)
    assert meta.offer_present
    headings = [b.content[0].text for b in leaflet.blocks if isinstance(b, Heading)]  # type: ignore[union-attr]
    assert headings == ["Keeping it dry", "Warning signs", "What to do"]
    bullets = next(b for b in leaflet.blocks if isinstance(b, BulletList))
    assert len(bullets.items) == 2, "'-' under '•' is a nested bullet, as Word pastes it"
    nested = bullets.items[1].blocks[1]
    assert isinstance(nested, BulletList) and len(nested.items) == 1
    assert "rubbing your skin" in leaflet_text(leaflet), "indented line continues its item"
    ordered = next(b for b in leaflet.blocks if isinstance(b, OrderedList))
    assert len(ordered.items) == 3


def test_plain_text_example_leaflet() -> None:
    leaflet = read_leaflet(str(LEAFLETS / "PHY_0015-after-a-hip-replacement.txt"))
    assert leaflet.meta.author == "Physiotherapy Department, Northfield Hospitals"
    assert len(leaflet.meta.contacts) == 2


@pytest.mark.parametrize("path", sorted(LEAFLETS.iterdir()), ids=lambda p: p.name)
def test_example_leaflets_have_full_metadata(path: Path) -> None:
    meta = read_leaflet(str(path)).meta
    assert path.name.startswith(meta.code + "-")
    assert meta.reviewed and meta.next_review and meta.next_review > meta.reviewed
    # A Word or PDF leaflet keeps its facts in the footer, where there is no author line.
    assert meta.contacts and meta.offer_present and (meta.author or dict(meta.found_in).get("code") == "footer")


def test_front_matter_overrides_and_bad_yaml(tmp_path: Path) -> None:
    good = tmp_path / "x.md"
    good.write_text("---\ncode: ABC_0001\nreviewed: 2025-03\n---\n# Title\n\nText.\n\nXYZ_0002\n")
    meta = read_leaflet(str(good)).meta
    assert meta.code == "ABC_0001" and meta.reviewed == dt.date(2025, 3, 1)
    bad = tmp_path / "bad.md"
    bad.write_text("---\ncode: [unclosed\n---\n# Title\n")
    with pytest.raises(LeafletError, match="not valid YAML") as err:
        read_leaflet(str(bad))
    assert err.value.line == 2
    assert "\n" not in str(err.value)
    unknown = tmp_path / "unknown.md"
    unknown.write_text("---\ncolour: blue\n---\n# Title\n")
    with pytest.raises(LeafletError, match="unknown front matter key 'colour'"):
        read_leaflet(str(unknown))


def test_leading_thematic_break_is_not_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "ABC_0003-x.md"
    path.write_text("---\n\n# Title\n\nSome text.\n\n---\n\nMore.\n")
    leaflet = read_leaflet(str(path))
    assert leaflet.meta.title == "Title" and leaflet.meta.code == "ABC_0003"


def test_a_link_to_a_file_outside_the_project_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "leaflets").mkdir(parents=True)
    secret = tmp_path / "private-notes.md"
    secret.write_text("# Private notes\n\nNot for patients.\n", encoding="utf-8")
    inside = project / "drafts" / "ABC_0001-x.md"
    inside.parent.mkdir()
    inside.write_text("# A leaflet\n\nText.\n\nABC_0001\n", encoding="utf-8")
    os.symlink(secret, project / "leaflets" / "ABC_0002-notes.md")
    os.symlink("/etc/hostname", project / "leaflets" / "ABC_0003-system.txt")
    os.symlink(inside, project / "leaflets" / "ABC_0001-x.md")
    monkeypatch.chdir(project)
    for name in ("ABC_0002-notes.md", "ABC_0003-system.txt"):
        with pytest.raises(LeafletError, match="is a link to a file outside the project"):
            read_leaflet(f"leaflets/{name}")
    assert read_leaflet("leaflets/ABC_0001-x.md").meta.title == "A leaflet", "a link inside the project is read"
