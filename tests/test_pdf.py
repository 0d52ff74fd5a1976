"""The PDF reader: untagged PDFs read from their layout, tagged ones from their structure tree.

Untagged PDFs are written here with tests/pdfmake.py (text exactly where a test puts it);
tagged and untagged PDFs are also made by LibreOffice from the Word corpus, as a trust's
published PDFs are made from its Word files.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from pipeline.errors import LeafletError
from pipeline.model import Leaflet, Paragraph, iter_links
from pipeline.readers import read_leaflet
from tests.conftest import soffice
from tests.pdfmake import Page, pdf
from tests.test_word import outline
from tests.test_word_corpus import CASES


def read(tmp_path: Path, data: bytes, name: str = "leaflet.pdf") -> Leaflet:
    path = tmp_path / name
    path.write_bytes(data)
    return read_leaflet(str(path))


def _running(pages: list[Page]) -> None:
    for number, page in enumerate(pages, start=1):
        page.text(60, 30, "Eastbridge Hospitals NHS Foundation Trust", 8)
        page.text(60, 800, f"Ref: URO_0456    Page {number} of {len(pages)}", 8)


def cystoscopy() -> bytes:
    """Two pages: running header and footer, hyphenated line ends, Symbol bullets with a hanging line,
    a shaded warning box, a ruled table, a link, a paragraph broken by the page."""
    one, two = Page(), Page()
    _running([one, two])
    one.text(60, 80, "Having a cystoscopy", 22, bold=True)
    one.text(60, 120, "What is a cystoscopy?", 14, bold=True)
    y = one.lines(60, 142, ["A cystoscopy is a test that looks inside your bladder. We do it care-",
                            "fully with a thin tube. It is part of your self-", "care plan."])
    one.text(60, y + 10, "Before the test", 14, bold=True)
    y += 32
    one.bullet(66, y).text(80, y, "Drink plenty of water.")
    one.bullet(66, y + 15).text(80, y + 15, "Bring a list of your medicines and any allergies you have, so that")
    one.text(80, y + 30, "the nurse can check them.")
    y += 55
    one.rect(55, y - 5, 480, 40, fill=(1.0, 0.9, 0.9))
    one.text(65, y + 3, "Call 999 if you cannot pass urine and are in severe pain.", bold=True)
    y += 55
    one.text(60, y, "Read more on the NHS website about what to expect.")
    one.link(180, y, 80, 12, "https://www.nhs.uk/conditions/cystoscopy/")
    y += 30
    cols = [60, 220, 380, 540]
    rows = [["Medicine", "Before", "After"], ["Warfarin", "Ask the clinic", "Restart next day"],
            ["Aspirin", "Keep taking", "Keep taking"]]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            one.text(cols[c] + 4, y + r * 20 + 4, cell, bold=(r == 0))
    for r in range(len(rows) + 1):
        one.rule(cols[0], y + r * 20, cols[-1], y + r * 20)
    for c in cols:
        one.rule(c, y, c, y + 20 * len(rows))
    y += 20 * len(rows) + 20
    one.text(60, y, "After the test you may see a little blood in your urine for a day or two. This is")
    two.text(60, 80, "normal and should settle by itself.")
    two.text(60, 110, "Going home", 14, bold=True)
    two.text(60, 132, "Ring the Urology Unit on 0113 496 0456 if you have a fever.")
    two.text(60, 156, "Please ask if you need this information in another language or format.")
    two.text(60, 180, "Reviewed: March 2026. Next review due: March 2029.")
    return pdf([one, two])


def test_untagged_pdf_read_from_its_layout(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING):
        leaflet = read(tmp_path, cystoscopy())
    meta = leaflet.meta
    assert meta.title == "Having a cystoscopy" and meta.code == "URO_0456" and not meta.provisional
    assert meta.organisation == "Eastbridge Hospitals NHS Foundation Trust"
    assert dict(meta.found_in) == {"organisation": "header", "code": "footer"}
    assert str(meta.next_review) == "2029-03" and meta.offer_present
    assert outline(leaflet.blocks) == [
        "H2 What is a cystoscopy?",
        "P A cystoscopy is a test that looks inside your bladder. We do it carefully with a thin tube. It is part "
        "of your self-care plan.",
        "H2 Before the test",
        "- Drink plenty of water.",
        "- Bring a list of your medicines and any allergies you have, so that the nurse can check them.",
        "> P Call 999 if you cannot pass urine and are in severe pain.",
        "P Read more on the NHS website about what to expect.",
        "T Medicine | Before | After", "T Warfarin | Ask the clinic | Restart next day",
        "T Aspirin | Keep taking | Keep taking",
        "P After the test you may see a little blood in your urine for a day or two. This is normal and should "
        "settle by itself.",
        "H2 Going home",
        "P Ring the Urology Unit on 0113 496 0456 if you have a fever.",
        "P Please ask if you need this information in another language or format."]
    links = [link.url for b in leaflet.blocks if isinstance(b, Paragraph) for link in iter_links(b.content)]
    assert links == ["https://www.nhs.uk/conditions/cystoscopy/"]
    assert not any("Page" in m for m in caplog.messages), "page numbers are not named as lost text"


def _two_columns(left: list[str], right: list[str]) -> Page:
    page = Page()
    page.text(60, 60, "Looking after your stoma", 22, bold=True)
    page.lines(60, 110, left)
    page.lines(310, 110, right)
    return page


LEFT = ["Empty the bag when it is a third", "full. Change it every two or three", "days, or sooner if it leaks. Wash",
        "the skin with warm water only."]
RIGHT = ["Call the stoma nurses on 0113", "496 0999 if the skin is sore. We", "can check the fit of your bag and",
         "give you a new size to try."]


def _contacts() -> bytes:
    page = Page()
    page.text(60, 60, "Contacting us", 22, bold=True)
    page.text(60, 100, "You can ring these numbers at any time of day or night if you are worried.")
    for n, (label, number) in enumerate([("Ward 5", "0113 496 0501"), ("Ward 6", "0113 496 0601"),
                                         ("Day Unit", "0113 496 0701"), ("Pharmacy", "0113 496 0801")]):
        page.text(60, 130 + n * 18, label)
        page.text(330, 130 + n * 18, number)
    page.text(60, 780, "Leaflet code: CON_0001")
    return pdf([page])


def _columns() -> bytes:
    page = _two_columns(LEFT, RIGHT)
    page.text(60, 780, "Leaflet code: STO_0101")
    return pdf([page])


def _box_beside() -> bytes:
    page = Page()
    page.text(60, 60, "After your operation", 22, bold=True)
    page.lines(60, 110, ["Rest for a few days and build up", "slowly. Most people go back to", "work after two weeks."])
    page.rect(330, 105, 200, 50, fill=(0.9, 0.9, 1.0))
    page.lines(340, 112, ["Call 999 if your wound", "bleeds heavily."])
    page.text(60, 780, "Leaflet code: OPS_0002")
    return pdf([page])


def test_two_columns_read_column_by_column_and_only_as_a_draft(tmp_path: Path) -> None:
    leaflet = read(tmp_path, _columns())
    text = " ".join(outline(leaflet.blocks))
    assert "Wash the skin with warm water only." in text and "Call the stoma nurses on 0113 496 0999" in text
    assert text.index("warm water") < text.index("stoma nurses"), "the left column is read first"
    assert leaflet.meta.unfinished and "two columns" in leaflet.meta.unfinished[0]
    assert leaflet.meta.provisional


def test_label_and_value_rows_are_not_columns(tmp_path: Path) -> None:
    leaflet = read(tmp_path, _contacts())
    assert not leaflet.meta.unfinished
    assert [(c.label, c.phone) for c in leaflet.meta.contacts][:2] == [("Ward 5", "0113 496 0501"),
                                                                       ("Ward 6", "0113 496 0601")]


def test_a_box_beside_the_text_makes_a_draft(tmp_path: Path) -> None:
    leaflet = read(tmp_path, _box_beside())
    assert any("box beside the text" in reason for reason in leaflet.meta.unfinished)


PDF_CASES = {"untagged-cystoscopy": cystoscopy, "untagged-two-columns": _columns,
             "untagged-label-value-rows": _contacts, "untagged-box-beside-text": _box_beside}
"""Untagged PDFs written here; the tagged ones are LibreOffice's (the fixture ``published``)."""


@pytest.mark.parametrize("name", sorted(PDF_CASES))
def test_expected_reading_and_text(tmp_path: Path, golden, name: str) -> None:  # type: ignore[no-untyped-def]
    from pipeline.exporters.text import export_text
    from tests.test_word_corpus import reading

    leaflet = read(tmp_path, PDF_CASES[name](), f"{name}.pdf")
    golden(f"pdf/{name}.reading.txt", reading(leaflet))
    golden(f"pdf/{name}.txt", export_text(leaflet))


def test_ligatures_are_letters_again(tmp_path: Path) -> None:
    page = Page()
    page.text(60, 60, "Eye drops", 22, bold=True)
    page.text(60, 110, "Wash your hands \x80rst, then \x80nish the course.", font="F4")
    page.text(60, 780, "Leaflet code: LIG_0001")
    text = " ".join(outline(read(tmp_path, pdf([page])).blocks))
    assert "Wash your hands first, then finish the course." in text and "\ufb01" not in text


@pytest.mark.parametrize(("data", "says"), [
    (pdf([Page().text(60, 60, "Unreadable words in a font without a map " * 4, font="F5")]), "Unicode mapping"),
    (pdf([Page().rect(50, 50, 400, 600, fill=(0.5, 0.5, 0.5))]), "no text layer"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "damaged"),
    (b"This is a text file saved as .pdf", "not a PDF"),
    (pdf([Page().text(60, 60, f"Page {n}") for n in range(61)]), "61 pages"),
], ids=["unmapped-text", "scan", "truncated", "not-a-pdf", "too-many-pages"])
def test_refused_in_one_line(tmp_path: Path, data: bytes, says: str) -> None:
    with pytest.raises(LeafletError) as err:
        read(tmp_path, data)
    assert says in str(err.value) and "\n" not in str(err.value)


# --- PDFs made by LibreOffice from Word, tagged and untagged ------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three corpus leaflets published as PDFs, tagged and untagged, and one with a password."""
    office = soffice()
    if office is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("published")
    for name in ("wordml-footer-facts", "wordml-medicines-chart", "python-docx-styles"):
        make = CASES[name].make
        assert callable(make)
        (folder / f"{name}.docx").write_bytes(make())
    docs = sorted(str(p) for p in folder.glob("*.docx"))
    profile = f"-env:UserInstallation=file://{folder}/profile"
    tagged = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    locked = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
              '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    for target, outdir, files in ((tagged, "tagged", docs), ("pdf", "plain", docs), (locked, "locked", docs[:1])):
        subprocess.run([office, profile, "--headless", "--convert-to", target, "--outdir", str(folder / outdir),
                        *files], check=True, capture_output=True, timeout=180)
    return folder


@pytest.mark.parametrize("kind", ["tagged", "plain"])
def test_published_pdfs_golden(published: Path, golden, kind: str) -> None:  # type: ignore[no-untyped-def]
    from tests.test_word_corpus import reading

    for name in ("wordml-footer-facts", "wordml-medicines-chart", "python-docx-styles"):
        leaflet = read_leaflet(str(published / kind / f"{name}.pdf"))
        golden(f"pdf/libreoffice-{kind}-{name}.reading.txt", reading(leaflet))


@pytest.mark.parametrize("kind", ["tagged", "plain"])
def test_published_pdfs_read_as_their_word_originals(published: Path, kind: str) -> None:
    for name in ("wordml-footer-facts", "wordml-medicines-chart", "python-docx-styles"):
        original = read_leaflet(str(published / f"{name}.docx"))
        leaflet = read_leaflet(str(published / kind / f"{name}.pdf"))
        assert leaflet.meta.title == original.meta.title
        assert leaflet.meta.code == original.meta.code and leaflet.meta.next_review == original.meta.next_review
        assert not leaflet.meta.unfinished, leaflet.meta.unfinished
        lines, expected = outline(leaflet.blocks), outline(original.blocks)
        if kind == "plain" and name == "wordml-medicines-chart":
            # An untagged PDF does not say a cell spans two rows: the second row's first cell is empty.
            expected = [line.replace("T Bisoprolol 2.5mg |  | 1 tablet", "T  |  | 1 tablet") for line in expected]
        if kind == "tagged" and name == "python-docx-styles":
            # "List Bullet 2" is a list of its own in Word and in the PDF's tags: it is not nested there.
            expected = [line.replace("  - Use a pillow", "- Use a pillow") for line in expected]
        assert lines == expected, f"{kind}/{name}"


def test_tagged_pdf_headers_and_footers_are_facts_only(published: Path) -> None:
    leaflet = read_leaflet(str(published / "tagged" / "wordml-footer-facts.pdf"))
    assert dict(leaflet.meta.found_in)["code"] == "footer"
    assert leaflet.meta.organisation == "Northfield University Hospitals NHS Foundation Trust"
    assert "Page" not in " ".join(outline(leaflet.blocks))


def test_password_protected_pdf_refused(published: Path) -> None:
    (path,) = (published / "locked").glob("*.pdf")
    with pytest.raises(LeafletError, match="password-protected"):
        read_leaflet(str(path))
