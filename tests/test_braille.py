"""Braille ready files, read back with liblouis as a braille reader's software would."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import liblouis
from pipeline.exporters import FORMATS, FormatUnavailable
from pipeline.exporters.braille import BLANK, LINES, WIDTH, export_braille, from_ascii, to_ascii
from pipeline.i18n.catalogues import read_catalog
from pipeline.i18n.translate import review, translate
from pipeline.labels import label
from pipeline.model import Leaflet, block_text
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS, LOCALES
from tests.test_readers import parser_words

pytestmark = pytest.mark.skipif(liblouis.missing() is not None,
                                reason="liblouis not installed (apt-get install liblouis-bin liblouis-data "
                                       "python3-louis)")

RAD = LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"


def model(source: Path, locale: str = "en_GB") -> Leaflet:
    leaflet = read_leaflet(str(source))
    if locale != "en_GB":
        po = LOCALES / locale / "LC_MESSAGES" / f"{leaflet.meta.code}.po"
        catalog = read_catalog(po, locale)
        leaflet = translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po))
    return leaflet


def pages(brf: bytes) -> list[list[str]]:
    """The BRF's pages, each a list of its lines (ASCII braille)."""
    text = brf.decode("ascii")
    assert text.endswith("\f"), "every page ends with a form feed"
    out = []
    for page in text[:-1].split("\f"):
        assert page.endswith("\r\n") and "\n" not in page.replace("\r\n", ""), "lines end CR LF"
        out.append(page[:-2].split("\r\n"))
    return out


def back(brf: bytes, table: str) -> str:
    """What a reader's software gives back from the whole file (page numbers left out)."""
    lines = [line[:-6].rstrip() if re.search(r" {3}#[A-J]+$", line) else line
             for page in pages(brf) for line in page]
    cells = from_ascii(" ".join(line.strip() for line in lines if line.strip())).replace(" ", BLANK)
    return liblouis.back_translate(cells, table)


def norm_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


def test_reference_leaflet_reads_back_with_95_percent_of_its_words(reference: Path) -> None:
    brf = export_braille(read_leaflet(str(reference)))
    wanted = {w.lower() for w in parser_words(reference) if re.fullmatch(r"[^\W\d_]+", w)}
    got = norm_words(back(brf, "en-ueb-g2.ctb"))
    found = len(wanted & got) / len(wanted)
    assert found >= 0.95, f"only {found:.1%} of the words read back; missing: {sorted(wanted - got)[:40]}"


@pytest.mark.parametrize("source", [*sorted(LEAFLETS.iterdir()), FIXTURES / "all-blocks.md"], ids=lambda p: p.name)
def test_page_geometry(source: Path) -> None:
    brf = export_braille(read_leaflet(str(source)))
    assert set(brf) <= {*range(0x20, 0x60), 0x0D, 0x0A, 0x0C}, "Braille ASCII only: 64 cells, no lower case"
    for number, page in enumerate(pages(brf), start=1):
        assert len(page) == LINES, f"page {number} has {len(page)} lines"
        assert all(len(line) <= WIDTH for line in page), f"page {number} has a line over {WIDTH} cells"
        shown = liblouis.translate(str(number), "en-ueb-g2.ctb").cells
        assert page[-1].endswith(to_ascii(shown)) and len(page[-1]) == WIDTH, "page number at the right"
        head = page[-1][: WIDTH - len(shown)]
        assert head.strip() == "" or head.endswith("   "), "three blank cells before the page number"


def test_golden_brf(golden) -> None:  # type: ignore[no-untyped-def]
    brf = export_braille(read_leaflet(str(FIXTURES / "all-blocks.md"))).decode("ascii")
    assert "\r\n" in brf
    golden("braille/all-blocks.brf", brf.replace("\r\n", "\n"))


def test_layout_title_headings_lists_and_closing() -> None:
    leaflet = read_leaflet(str(RAD))
    brf = export_braille(leaflet)
    first = pages(brf)[0]
    title = liblouis.translate(leaflet.meta.title, "en-ueb-g2.ctb").cells
    assert first[0].strip() == to_ascii(title)
    left, right = len(first[0]) - len(first[0].lstrip()), WIDTH - len(first[0])
    assert abs(left - right) <= 1, "the title is centred"
    lines = [line for page in pages(brf) for line in page[:-1]]
    heading = to_ascii(liblouis.translate("What happens on the day?", "en-ueb-g2.ctb").cells)
    at = next(n for n, line in enumerate(lines) if line.strip() == heading)
    assert lines[at - 1].strip() == "" and lines[at].startswith("     "), "blank line before, centred"
    # Numbered steps: the number in cell 1, runover lines two cells in (hanging indent).
    step = next(n for n, line in enumerate(lines) if line.startswith("#A4 "))
    assert lines[step + 1].startswith("  ") and not lines[step + 1].startswith("   ")
    # Paragraphs start in cell 3.
    para = to_ascii(liblouis.translate("A biopsy means", "en-ueb-g2.ctb").cells)
    assert any(line.startswith("  " + para) for line in lines)
    tail = back(brf, "en-ueb-g2.ctb")[-400:]
    assert "RAD_0102" in tail and "Next review due" in tail, "the code and review dates at the end"


def test_bold_warnings_carry_ueb_bold_indicators_not_markdown() -> None:
    brf = export_braille(read_leaflet(str(RAD))).decode("ascii")
    assert "^7" in brf and "^'" in brf, "bold passage indicator and terminator (dots 45-2356, 45-3)"
    assert "**" not in brf and "](" not in brf


def test_no_heading_is_left_at_the_foot_of_a_page(tmp_path: Path) -> None:
    blocks = "\n\n".join(f"## Heading {n}\n\nA short line of text for section {n}." for n in range(40))
    leaflet_path = tmp_path / "headings.md"
    leaflet_path.write_text(f"# Headings everywhere\n\n{blocks}\n\nLeaflet code: TST_0002\n", encoding="utf-8")
    brf = export_braille(read_leaflet(str(leaflet_path)))
    for page in pages(brf):
        text = [line for line in page[:-1] if line.strip()]
        assert not text[-1].strip().startswith(",HEAD+ #"), "a heading is never the last line of a page"


def test_phone_numbers_and_addresses_stay_on_one_line(tmp_path: Path) -> None:
    source = tmp_path / "phones.md"
    filler = "word " * 7
    paragraphs = [f"{filler[: n * 4]}Ring 0118 496 0{n:03d} or see www.example-hospital.nhs.uk/leaflets today."
                  for n in range(1, 20)]
    source.write_text("# Phones\n\n" + "\n\n".join(paragraphs) + "\n\nLeaflet code: TST_0003\n", encoding="utf-8")
    leaflet = read_leaflet(str(source))
    for locale, table in (("en_GB", "en-ueb-g2.ctb"), ("pl", "Pl-Pl-g1.utb")):
        brf = export_braille(replace(leaflet, meta=replace(leaflet.meta, language=locale)))
        lines = [line for page in pages(brf) for line in page]
        for n in range(1, 20):
            number = liblouis.translate(f"0118 496 0{n:03d}", table).cells
            assert any(to_ascii(number) in line for line in lines), f"{locale}: 0118 496 0{n:03d} split"
        address = to_ascii(liblouis.translate("www.example-hospital.nhs.uk/leaflets", table).cells)
        assert sum(address in line for line in lines) == 19, f"{locale}: an address was split"


def test_translation_starts_with_the_unchecked_notice_in_both_languages() -> None:
    brf = export_braille(model(RAD, "pl"))
    opening = back(brf, "Pl-Pl-g1.utb")[:400].lower()
    assert "nie zostało sprawdzone" in opening
    english = back(brf, "en-ueb-g2.ctb")[:600]
    assert "not been checked by a qualified translator" in english


def test_welsh_uses_liblouis_welsh_table_and_every_word_is_there() -> None:
    # liblouis's Welsh tables do not back-translate cleanly (its own round trip turns "byddwch" into
    # "byddiweddch"), so each word is translated on its own and looked for in the file instead.
    table = liblouis.table_for("cy")
    if table is None:
        pytest.skip("this liblouis has no Welsh table")
    assert table == "cy-cy-g2.ctb" or table == "cy-cy-g1.utb"
    leaflet = model(LEAFLETS / "END_0031-sedation-fasting.md", "cy")
    flat = " " + " ".join(line.strip() for page in pages(export_braille(leaflet)) for line in page) + " "
    words = {w for w in re.findall(r"[^\W\d_]+", " ".join(
        block_text(b) for b in leaflet.blocks)) if len(w) > 1}
    missing = [w for w in words if to_ascii(liblouis.translate(w, table).cells) not in flat]
    assert len(missing) <= len(words) * 0.03, f"{len(missing)} of {len(words)} words not found: {missing[:20]}"
    welsh = to_ascii(liblouis.translate(label("unchecked", "cy"), table).cells)
    assert welsh.split(" ")[0] in flat[:200], "the Welsh notice opens the file"


def test_urdu_writes_latin_words_in_english_braille_and_loses_nothing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    if liblouis.table_for("ur") is None:
        pytest.skip("this liblouis has no Urdu table")
    source = tmp_path / "mixed.md"
    source.write_text("# Mixed\n\nڈاکٹر سے بات کریں: www.example.nhs.uk یا CT-اسکین\n\nLeaflet code: TST_0005\n",
                      encoding="utf-8")
    leaflet = read_leaflet(str(source))
    with caplog.at_level(logging.WARNING):
        brf = export_braille(replace(leaflet, meta=replace(leaflet.meta, language="ur")))
    assert "no braille table" not in caplog.text
    assert "www.example.nhs.uk" in back(brf, "en-ueb-g1.ctb")
    assert "ڈاکٹر" in back(brf, "ur-pk-g1.utb") or "ڈاکٹر" in back(brf, liblouis.table_for("ur") or "")
    assert len(pages(export_braille(model(RAD, "ur")))) > 1


def test_a_language_without_a_table_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    leaflet = read_leaflet(str(RAD))
    with pytest.raises(FormatUnavailable, match="liblouis has no Romanian braille table"):
        export_braille(replace(leaflet, meta=replace(leaflet.meta, language="ro")))
    assert FORMATS["braille"].unavailable("ro") == "liblouis has no Romanian braille table"
    assert FORMATS["braille"].unavailable("pl") is None


def test_a_character_no_table_has_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    source = tmp_path / "odd.md"
    source.write_text("# Odd\n\nThe sign 你 means you. Leaflet code: TST_0004\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        brf = export_braille(read_leaflet(str(source)))
    assert "U+4F60" in caplog.text and "as '?'" in caplog.text
    assert back(brf, "en-ueb-g2.ctb").count("?") >= 1


def test_build_makes_brf_and_says_what_it_cannot(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "--draft", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert result.code == 0, result.err  # like make: every format, and one line for what cannot be made
    out = Path("output/RAD_0102")
    assert (out / "en_GB" / "RAD_0102-en_GB.brf").stat().st_size > 1000
    assert (out / "pl" / "RAD_0102-pl.brf").exists() and (out / "cy" / "RAD_0102-cy.brf").exists()
    assert "RAD_0102 ro: braille not made: liblouis has no Romanian braille table" in result.err


def test_missing_liblouis_skips_braille_with_the_packages_named(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(liblouis, "_louis", lambda: None)
    result = run_cli("build", "--format", "braille", "--format", "text", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert "braille: skipped: liblouis is not installed on this computer (install it with: sudo apt-get install " \
           "liblouis-bin liblouis-data python3-louis)" in result.err
    assert Path("output/RAD_0102/en_GB/RAD_0102-en_GB.txt").exists()
    assert not list(Path("output").rglob("*.brf"))
