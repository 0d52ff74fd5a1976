"""The accessible web page, read back as a browser and a screen reader would."""

from __future__ import annotations

import re

import lxml.html
import pytest

from pipeline.exporters.html import export_html
from pipeline.i18n.catalogues import read_catalog
from pipeline.i18n.translate import review, translate
from pipeline.model import leaflet_text
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS, LOCALES
from tests.test_readers import words


def page(source, locale: str = "en_GB"):  # type: ignore[no-untyped-def]
    leaflet = read_leaflet(str(source))
    if locale != "en_GB":
        po = LOCALES / locale / "LC_MESSAGES" / f"{leaflet.meta.code}.po"
        catalog = read_catalog(po, locale)
        leaflet = translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po))
    text = export_html(leaflet)
    return leaflet, text, lxml.html.document_fromstring(text)


def test_html_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("all-blocks.html", page(FIXTURES / "all-blocks.md")[1])


def test_structure_for_screen_readers() -> None:
    leaflet, text, doc = page(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md")
    assert doc.get("lang") == "en-GB" and doc.get("dir") == "ltr"
    assert len(doc.findall(".//h1")) == 1 and doc.findtext(".//title") == "CT-guided lung biopsy"
    headings = doc.xpath("//main//h2|//main//h3")
    links = doc.xpath("//nav//a/@href")
    assert links == [f"#{h.get('id')}" for h in headings], "the contents list links to every section"
    assert doc.xpath("//a[@class='skip']/@href") == ["#content"] and doc.get_element_by_id("content").tag == "main"
    assert [th.get("scope") for th in doc.xpath("//table//th")] == ["col"] * 3
    assert doc.xpath("//main//ol/li") and doc.xpath("//main//ul/li")
    assert "<script" not in text and not re.search(r'\bsrc="', text), "no scripts, nothing fetched"
    assert doc.xpath("//strong[contains(., 'at least 7 days before')]")


def test_phone_numbers_can_be_tapped() -> None:
    _, _, doc = page(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md")
    tel = doc.xpath("//a[starts-with(@href, 'tel:')]")
    assert ("tel:+441184960123", "0118 496 0123") in [(a.get("href"), a.text) for a in tel]
    assert not doc.xpath("//a//a"), "no link inside a link"


@pytest.mark.parametrize("source", sorted(LEAFLETS.iterdir()), ids=lambda p: p.name)
def test_every_word_is_on_the_page(source) -> None:  # type: ignore[no-untyped-def]
    leaflet, _, doc = page(source)
    body = " ".join(doc.find("body").itertext()) + " " + " ".join(img.get("alt", "") for img in doc.iter("img"))
    assert not set(words(leaflet_text(leaflet))) - set(words(body)), "every word, a picture's alt text too"


def test_urdu_page_is_right_to_left_with_both_notices() -> None:
    _, _, doc = page(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md", "ur")
    assert doc.get("lang") == "ur-PK" and doc.get("dir") == "rtl"
    notes = doc.xpath("//*[@role='note']")
    assert [n.get("lang") for n in notes] == ["ur-PK", "en-GB"]
    assert "has not been checked by a qualified translator" in notes[1].text_content()
    assert doc.xpath("//a[@class='skip']")[0].text == "کتابچے پر جائیں"
