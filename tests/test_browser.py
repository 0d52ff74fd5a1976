"""Every web page the pipeline writes, opened in headless Chromium as a patient's browser would.

tests/browser/check_pages.mjs runs axe-core (WCAG 2.2 A/AA and best practices) on each
page, checks it at 320 CSS pixels and with text at 200% for sideways scrolling, and, on
right-to-left pages, measures where each part of every number, phone number, date range
and address is drawn.  Needs Node.js, Chromium and ``npm ci --prefix tests/browser``;
without them these tests skip on a developer's machine and fail in CI.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pipeline.exporters.epub import epub_bytes
from pipeline.exporters.html import export_html
from pipeline.exporters.text import export_text
from pipeline.model import Leaflet
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS, LOCALES, ROOT

BROWSER = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js not installed (apt-get install nodejs npm)"
    if CHROMIUM is None:
        return "Chromium not installed (apt-get install chromium)"
    if not all((BROWSER / "node_modules" / package).is_dir() for package in ("axe-core", "playwright-core")):
        return "axe-core and playwright-core not installed (run: npm ci --prefix tests/browser)"
    return None


pytestmark = [pytest.mark.slow,  # make test SLOW=1, and CI, run it (README, 'Development')
              pytest.mark.skipif(_missing() is not None, reason=_missing() or "")]


def rtl(leaflet: Leaflet) -> Leaflet:
    """The leaflet as if written in Urdu (the fixture's text is Urdu; the model is told so)."""
    meta = replace(leaflet.meta, language="ur", source_language="ur", direction="rtl")
    return replace(leaflet, meta=meta)


def run_checks(files: list[Path]) -> dict[str, Any]:
    done = subprocess.run(["node", str(BROWSER / "check_pages.mjs"), *map(str, files)], capture_output=True,
                          text=True, timeout=900, env={**os.environ, "CHROMIUM": CHROMIUM or ""}, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results: dict[str, Any] = json.loads(done.stdout)
    return results


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Every page `make` writes (all example leaflets in every built language, the readability
    reports, index.html) and test pages, checked in one browser run."""
    from pipeline.cli import main

    work = tmp_path_factory.mktemp("site")
    shutil.copytree(LEAFLETS, work / "leaflets")
    shutil.copytree(LOCALES, work / "locales")
    out = work / "output"
    here = Path.cwd()
    os.chdir(work)  # as `make` runs: from the project folder
    try:
        assert main(["build", "--quiet", "--format", "html"]) == 0
        assert main(["readability", "--write"]) in (0, 1)
        assert main(["index"]) == 0
    finally:
        os.chdir(here)
    extra = out.parent / "extra"
    extra.mkdir()
    (extra / "all-blocks.html").write_text(export_html(read_leaflet(str(FIXTURES / "all-blocks.md"))),
                                           encoding="utf-8")
    urdu = rtl(read_leaflet(str(FIXTURES / "rtl-numbers.md")))
    (extra / "rtl-numbers.html").write_text(export_html(urdu), encoding="utf-8")
    (extra / "rtl-numbers.txt").write_text(export_text(urdu), encoding="utf-8")
    # The same pages without the isolation, to show the measurement finds the fault it guards against.
    unfixed = re.sub(r'<bdi dir="ltr">|</bdi>', "", export_html(urdu))
    (extra / "rtl-unfixed.html").write_text(unfixed, encoding="utf-8")
    (extra / "rtl-unfixed.txt").write_text(export_text(urdu).replace("\u200e", ""), encoding="utf-8")
    (extra / "hostile.html").write_text(export_html(read_leaflet(str(FIXTURES / "hostile.md"))), encoding="utf-8")
    wide = read_leaflet(str(FIXTURES / "wide-tables.md"))
    (extra / "wide-tables.html").write_text(export_html(wide), encoding="utf-8")
    (extra / "wide-tables-rtl.html").write_text(export_html(rtl(wide)), encoding="utf-8")
    # The tables as they were laid out before: one table that scrolls on its own, cut off on a phone.
    (extra / "tables-unfixed.html").write_text(re.sub(r'class="table fit-\d+"', 'class="table"', export_html(wide)),
                                               encoding="utf-8")
    # A trust's house style: its colours and logo, left to right and right to left.
    from pipeline.house import load, write_example
    from tests.test_large_print import model

    write_example(extra.parent / "house")
    house = load(extra.parent / "house")
    (extra / "house-en.html").write_text(export_html(model("en_GB"), house=house), encoding="utf-8")
    (extra / "house-ur.html").write_text(export_html(model("ur"), house=house), encoding="utf-8")
    long_word = read_leaflet(str(FIXTURES / "all-blocks.md"))
    title = "Przeciwwskazania" * 3 + " i niepełnosprawność"
    (extra / "long-word.html").write_text(export_html(replace(long_word, meta=replace(
        long_word.meta, title=title, language="pl"))), encoding="utf-8")
    # EPUB content documents, as a reading app's web view shows them: every block type, and a
    # right-to-left book (DAISY Ace needs its own Chromium download, so the same axe-core rules
    # run here instead).
    books = extra / "epub"
    with zipfile.ZipFile(io.BytesIO(epub_bytes(model("ur"), house=house))) as book:
        book.extractall(books / "house-ur")
    for name, leaflet in (("all-blocks", read_leaflet(str(FIXTURES / "all-blocks.md"))), ("wide-tables", wide),
                          ("hostile", read_leaflet(str(FIXTURES / "hostile.md")))):
        with zipfile.ZipFile(io.BytesIO(epub_bytes(leaflet))) as book:
            book.extractall(books / name)
    work_book = work / "RAD_0102-ur.epub"
    os.chdir(work)
    try:
        assert main(["build", "--quiet", "--format", "epub", "--locale", "ur",
                     "leaflets/RAD_0102-ct-guided-lung-biopsy.md"]) == 0
    finally:
        os.chdir(here)
    work_book.write_bytes((out / "RAD_0102" / "ur" / "RAD_0102-ur.epub").read_bytes())
    with zipfile.ZipFile(work_book) as book:
        book.extractall(books / "RAD_0102-ur")
    pages = sorted(out.rglob("*.html")) + sorted(p for p in extra.iterdir() if p.is_file()) + sorted(
        books.rglob("*.xhtml"))
    return out, run_checks(pages)


def _pages(site: tuple[Path, dict[str, Any]], unfixed: bool = False) -> dict[str, Any]:
    return {k: v for k, v in site[1].items() if ("unfixed" in k) == unfixed}


def test_every_page_make_writes_is_checked(site: tuple[Path, dict[str, Any]]) -> None:
    out, results = site
    names = {Path(k).relative_to(out).as_posix() for k in results if k.startswith(str(out))}
    for code in ("END_0031", "PHY_0015", "RAD_0102"):
        for locale in ("en_GB", "pl", "cy", "ur"):
            assert f"{code}/{locale}/{code}-{locale}.html" in names
        assert f"{code}/readability.html" in names
    assert "index.html" in names


def test_house_style_pages_are_checked_in_both_directions(site: tuple[Path, dict[str, Any]]) -> None:
    """axe-core, 320 px and 200% text run on them as on every page (the tests above): here, that they ran."""
    checked = {Path(k).name: r for k, r in site[1].items()}
    assert checked["house-en.html"]["rtl"] is False and checked["house-ur.html"]["rtl"] is True
    assert any(k.endswith("house-ur/EPUB/leaflet.xhtml") for k in site[1])
    for name in ("house-en.html", "house-ur.html"):
        result = checked[name]
        assert not result["violations"] and not result["reflow"] and not result["zoom"], (name, result)


def test_every_epub_document_is_checked(site: tuple[Path, dict[str, Any]]) -> None:
    checked = [Path(k) for k in site[1] if k.endswith(".xhtml")]
    for book in ("all-blocks", "hostile", "RAD_0102-ur", "house-ur"):
        documents = [p for p in checked if p.parent.parent.name == book]
        assert {p.name for p in documents} == {"leaflet.xhtml", "nav.xhtml"}, (book, documents)


def test_axe_finds_no_violations(site: tuple[Path, dict[str, Any]]) -> None:
    found = {Path(k).name: [f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:2]}" for v in r["violations"]]
             for k, r in _pages(site).items() if r["violations"]}
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_no_sideways_scrolling_at_320_css_pixels_or_with_text_at_200_percent(
        site: tuple[Path, dict[str, Any]]) -> None:
    found = {Path(k).name: {"320px": r["reflow"], "text 200%": r["zoom"]}
             for k, r in _pages(site).items() if r["reflow"] or r["zoom"]}
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_every_table_cell_can_be_read_at_320_css_pixels_and_with_text_at_200_percent(
        site: tuple[Path, dict[str, Any]]) -> None:
    """No cell cut off (by the window or by a region that scrolls) and no word split across lines."""
    pages = _pages(site)
    with_tables = {k: r for k, r in pages.items() if r["cells"]}
    for page in ("RAD_0102/en_GB/RAD_0102-en_GB.html", "RAD_0102/ur/RAD_0102-ur.html", "wide-tables.html",
                 "wide-tables-rtl.html", "rtl-numbers.html", "all-blocks.html", "wide-tables/EPUB/leaflet.xhtml"):
        assert any(k.endswith(page) for k in with_tables), f"{page}: no table measured"
    found = {}
    for name, result in with_tables.items():
        for size in ("cellsNarrow", "cellsZoom"):
            assert result[size]["measured"] > 0, f"{name} {size}: no cell measured"
            if result[size]["found"]:
                found[f"{Path(name).name} {size}"] = result[size]["found"]
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_index_page_can_be_scanned_on_a_phone(site: tuple[Path, dict[str, Any]]) -> None:
    """At 320 px the index opens as a list of leaflets, each a few lines, not a scroll of tables."""
    out, results = site
    index = results[str(out / "index.html")]
    leaflets = len({p.parent.parent.name for p in out.glob("*/*/*.html")})
    assert leaflets >= 5 and index["height"] < 700 + 330 * leaflets, index["height"]
    assert index["cellsNarrow"]["measured"] > 20 and not index["cellsNarrow"]["found"]


def test_the_measurement_catches_a_table_cut_off_on_a_phone(site: tuple[Path, dict[str, Any]]) -> None:
    [cut] = [r for k, r in site[1].items() if k.endswith("tables-unfixed.html")]
    assert any("can be seen" in problem for problem in cut["cellsNarrow"]["found"]), cut["cellsNarrow"]


def test_right_to_left_numbers_phone_numbers_and_addresses_are_drawn_left_to_right(
        site: tuple[Path, dict[str, Any]]) -> None:
    pages = _pages(site)
    urdu = {k: r for k, r in pages.items() if r["rtl"]}
    assert any(k.endswith("RAD_0102-ur.html") for k in urdu) and any(k.endswith("rtl-numbers.txt") for k in urdu)
    assert any(k.endswith("RAD_0102-ur/EPUB/leaflet.xhtml") for k in urdu)
    for name, result in urdu.items():
        # (a book's contents list has no numbers to measure)
        assert result["measured"] > 0 or name.endswith("nav.xhtml"), f"{name}: nothing was measured"
        assert not result["reversed"], f"{name}: {result['reversed']}"
    fixture = next(r for k, r in urdu.items() if k.endswith("rtl-numbers.html"))
    assert fixture["measured"] >= 8  # phones, the alternative, hours, times, date range, address, table numbers


def test_the_measurement_catches_numbers_drawn_backwards(site: tuple[Path, dict[str, Any]]) -> None:
    unfixed = {k: r for k, r in _pages(site, unfixed=True).items() if "rtl-unfixed" in k}
    assert len(unfixed) == 2
    for name, result in unfixed.items():
        reversed_ = " ".join(result["reversed"])
        # ("9am - 5pm" happens to survive: the bidi algorithm reads the 5 after "am" as left to right.)
        for shown in ("0118 496 0123", "0118 496 0456", "12/03/2026 - 12/03/2028", "2-3", "0118 496 0999"):
            assert shown in reversed_, f"{name}: {shown} was not caught: {result['reversed']}"


def test_hostile_text_runs_nothing_in_the_browser(site: tuple[Path, dict[str, Any]]) -> None:
    for name, result in _pages(site).items():
        if name.endswith(".html"):
            assert result["scripts"] == 0 and result["dialogs"] == [], f"{name}: {result['dialogs']}"
    assert any(k.endswith("hostile.html") for k in site[1])


def test_html_isolates_each_number_run_on_right_to_left_pages() -> None:
    urdu = export_html(rtl(read_leaflet(str(FIXTURES / "rtl-numbers.md"))))
    page = re.sub(r'<wbr>|<span class="nw">|</span>', "", urdu)
    for shown in ("0118 496 0123", "9am - 5pm", "12/03/2026 - 12/03/2028", "www.example.nhs.uk/page-2"):
        assert re.search(r'<bdi dir="ltr">(?:<a [^>]+>)?' + re.escape(shown), page), shown
    assert '<bdi dir="ltr"><a href="tel:+441184960123">0118 496 0123</a></bdi>' in page
    english = export_html(read_leaflet(str(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md")))
    assert "<bdi" not in english, "left-to-right pages are left as they are"
