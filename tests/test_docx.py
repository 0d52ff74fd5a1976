"""The standard DOCX, read back as Word and LibreOffice would read it."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from pipeline.exporters.docx import export_docx
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS, soffice
from tests.test_readers import parser_words, words

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(source: Path) -> bytes:
    return export_docx(read_leaflet(str(source)))


@pytest.fixture(scope="module")
def fixture_doc() -> docx.document.Document:
    return docx.Document(io.BytesIO(build(FIXTURES / "all-blocks.md")))


def test_headings_use_real_outline_styles(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    styled = [(p.style.name, p.text) for p in fixture_doc.paragraphs if p.style.name.startswith("Heading")]
    assert styled[0] == ("Heading 1", "Every block and inline type")
    assert ("Heading 2", "Lists") in styled and ("Heading 3", "A quote") in styled


def test_lists_are_real_word_lists(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    items = [p for p in fixture_doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    texts = [p.text for p in items]
    assert texts[:3] == ["First bullet", "Second bullet with bold", "Nested bullet"]
    levels = {p.text: int(p._p.pPr.numPr.ilvl.val) for p in items}
    assert levels["Nested bullet"] == 1 and levels["First bullet"] == 0
    numbering = fixture_doc.part.numbering_part.element
    ordered_num = items[texts.index("Third step first")]._p.pPr.numPr.numId.val
    num = numbering.find(f"{W}num[@{W}numId='{ordered_num}']")
    assert num.find(f"{W}lvlOverride/{W}startOverride").get(qn("w:val")) == "3"


def test_links_are_real_hyperlinks(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    body = fixture_doc.element.body
    links = body.findall(f".//{W}hyperlink")
    assert links, "no w:hyperlink"
    r_id = links[0].get(qn("r:id"))
    assert fixture_doc.part.rels[r_id].target_ref == "https://www.example.nhs.uk/trust"
    assert links[0].find(f".//{W}rStyle").get(qn("w:val")) == "Hyperlink"
    assert "Hyperlink" in [s.name for s in fixture_doc.styles]


def test_bold_table_and_quote(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    intro = fixture_doc.paragraphs[1]
    bold = [r.text for r in intro.runs if r.bold]
    assert bold == ["strong words"]
    table = fixture_doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Medicine", "When to stop"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    quotes = [p.text for p in fixture_doc.paragraphs if p.style.name == "Quote"]
    assert quotes == ["Quoted patient words here.", "Second quoted paragraph."]


def test_fonts_alignment_language_and_properties(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    normal = fixture_doc.styles["Normal"]
    assert normal.font.name == "Arial" and normal.font.size.pt == 12
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for para in fixture_doc.paragraphs:
        assert para.alignment != WD_ALIGN_PARAGRAPH.JUSTIFY
    lang = fixture_doc.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:val")) == "en-GB"
    props = fixture_doc.core_properties
    assert props.title == "Every block and inline type"
    assert props.subject == "TST_0001"
    assert props.author == "Ms Test Author, Example Unit"
    assert "TST_0001" in props.keywords and props.language == "en-GB"
    section = fixture_doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_footer_has_code_and_page_fields_and_the_review_dates_are_printed_once(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    footer = fixture_doc.sections[0].footer
    text = "\n".join(p.text for p in footer.paragraphs)
    assert "TST_0001" in text and "Review" not in text
    body = "\n".join(p.text for p in fixture_doc.paragraphs)
    assert body.count("Next review due: January 2027") == 1, "once, at the end of the text"
    instructions = [i.text.strip() for i in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert text.splitlines()[-1].startswith("Page ") and " of " in text.splitlines()[-1]


def test_property_elements_are_in_schema_order(fixture_doc) -> None:  # type: ignore[no-untyped-def]
    """Word offers to repair a document whose rPr children are out of order."""
    order = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "sz", "szCs", "u", "rtl", "lang"]
    with zipfile.ZipFile(io.BytesIO(build(FIXTURES / "all-blocks.md"))) as z:
        for name in ("word/document.xml", "word/styles.xml"):
            xml = z.read(name).decode()
            for rpr in re.findall(r"<w:rPr>(.*?)</w:rPr>", xml):
                tags = [t for t in re.findall(r"<w:(\w+)", rpr) if t in order]
                assert tags == sorted(tags, key=order.index), f"{name}: {tags}"


def test_docx_golden(golden) -> None:  # type: ignore[no-untyped-def]
    """The document body as XML (DOCX compared as XML, not bytes)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(build(FIXTURES / "all-blocks.md"))) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    golden("all-blocks.document.xml", etree.tostring(root, pretty_print=True, encoding="unicode"))


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_converts_reference_with_every_word(reference: Path, tmp_path: Path) -> None:
    target = tmp_path / "RAD_0067-en_GB.docx"
    target.write_bytes(build(reference))
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "RAD_0067-en_GB.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    # Hyphenated words may break across lines in the PDF; join them back first.
    missing = parser_words(reference) - words(text.replace("-\n", "-"))
    assert not missing, f"words missing from the PDF: {sorted(missing)}"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Sacroplasty (treatment of sacral fracture with bone cement)" in info
    assert re.search(r"Pages:\s+[2-9]", info)


def test_the_same_leaflet_gives_the_same_bytes() -> None:
    """No time of saving inside the package: a DOCX is a function of its source (PDF batches rely on it)."""
    import zipfile

    from pipeline.exporters.docx import export_docx
    from pipeline.readers import read_leaflet

    data = export_docx(read_leaflet(str(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md")))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {m.date_time for m in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.testzip() is None
