"""Large print read back as a sight-loss charity would check it (UKAAF G003/MS03)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from pipeline.exporters import FORMATS
from pipeline.exporters.docx import export_docx
from pipeline.exporters.profiles import GIANT_PRINT, LARGE_PRINT
from pipeline.i18n.catalogues import read_catalog
from pipeline.i18n.translate import review, translate
from pipeline.model import Leaflet, leaflet_text
from pipeline.office import soffice
from pipeline.readers import read_leaflet
from tests.conftest import EXAMPLE_BUILDS, FIXTURES, LEAFLETS, LOCALES
from tests.test_readers import words

SOURCE = LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"


def model(locale: str) -> Leaflet:
    leaflet = read_leaflet(str(SOURCE))
    if locale == "en_GB":
        return leaflet
    po = LOCALES / locale / "LC_MESSAGES" / "RAD_0102.po"
    catalog = read_catalog(po, locale)
    return translate(leaflet, catalog, locale, review(leaflet, catalog, locale, po))


def xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode()


@pytest.fixture(scope="module", params=["en_GB", "ur"])
def large(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    return request.param, export_docx(model(request.param), LARGE_PRINT)


def test_sizes_including_complex_script(large: tuple[str, bytes]) -> None:
    locale, data = large
    document = docx.Document(io.BytesIO(data))
    styles = xml(data, "word/styles.xml")
    for name in ("Normal", "Footer", "List Paragraph"):
        style = document.styles[name]
        assert style.font.size.pt == 18, name
        rpr = style.element.rPr
        assert rpr.find(f"{{{W}}}szCs").get(f"{{{W}}}val") == "36", f"{name}: w:szCs sets Urdu's size"
    for level in (1, 2, 3):
        assert document.styles[f"Heading {level}"].font.size.pt > 18
        assert document.styles[f"Heading {level}"].font.bold
    assert 'w:sz w:val="36"' in styles and 'w:szCs w:val="36"' in styles


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_no_italics_no_underline_no_justification(large: tuple[str, bytes]) -> None:
    locale, data = large
    body = xml(data, "word/document.xml")
    styles = xml(data, "word/styles.xml")
    assert "<w:i/>" not in body and "<w:i " not in body
    assert "<w:u " not in body
    hyperlink_style = re.search(r'w:styleId="Hyperlink".*?</w:style>', styles, re.S)
    assert hyperlink_style and not re.search(r'<w:u w:val="(?!none)', hyperlink_style.group(0))
    assert 'w:jc w:val="both"' not in body + styles and 'w:val="distribute"' not in body
    document = docx.Document(io.BytesIO(data))
    normal = document.styles["Normal"]
    if locale == "en_GB":
        assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    else:
        assert normal.paragraph_format.alignment is None  # start edge: right, for right-to-left
        assert "<w:bidi/>" in body
    assert normal.element.pPr.find(f"{{{W}}}suppressAutoHyphens") is not None, "words never split"
    assert normal.paragraph_format.space_after.pt == 18, "one blank line between paragraphs"
    assert normal.paragraph_format.line_spacing == 1.0


def test_page_fonts_and_cover(large: tuple[str, bytes]) -> None:
    locale, data = large
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert len(document.sections) == 1 and "w:num=" not in xml(data, "word/document.xml")  # one column
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(f"{{{W}}}ascii") == "Arial" and fonts.get(f"{{{W}}}cs") == "Arial"
    texts = [p.text for p in document.paragraphs[:6]]
    expected_label = "Large print" if locale == "en_GB" else "بڑا پرنٹ"
    assert texts[1] == expected_label
    assert "Northfield Hospitals NHS Foundation Trust" in texts
    assert any("RAD_0102" in t for t in texts)
    breaks = [p for p in document.paragraphs if p._p.pPr is not None
              and p._p.pPr.find(f"{{{W}}}pageBreakBefore") is not None]
    assert len(breaks) == 1, "the cover stands on its own page"


def test_emphasis_becomes_bold_and_link_addresses_are_written_out() -> None:
    data = export_docx(read_leaflet(str(FIXTURES / "all-blocks.md")), LARGE_PRINT)
    document = docx.Document(io.BytesIO(data))
    intro = next(p for p in document.paragraphs if p.text.startswith("Intro paragraph"))
    emphasised = next(r for r in intro.runs if r.text == "emphasised words")
    assert emphasised.bold and not emphasised.italic
    assert "(https://www.example.nhs.uk/trust)" in intro.text.replace("\u200b", "")
    assert "(https://www.example.nhs.uk/\u200btrust)" in intro.text, "it may wrap after its slash, nowhere else"


def test_giant_print_is_24_point() -> None:
    document = docx.Document(io.BytesIO(export_docx(model("en_GB"), GIANT_PRINT)))
    assert document.styles["Normal"].font.size.pt == 24
    assert document.paragraphs[1].text == "Giant print"


def test_point_size_in_file_name_and_refused_below_16(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", SOURCE.name and "leaflets/RAD_0102-ct-guided-lung-biopsy.md", "--locale", "pl",
                     "--format", "large-print", "--point-size", "20")
    assert result.code == 0, result.err
    target = Path("output/RAD_0102/pl/RAD_0102-pl-large-print-20pt.docx")
    assert docx.Document(str(target)).styles["Normal"].font.size.pt == 20
    assert not Path("output/RAD_0102/pl/RAD_0102-pl-large-print.docx").exists()
    for bad in ("12", "15.5", "49"):
        refused = run_cli("build", "--format", "large-print", "--point-size", bad)
        assert refused.code == 2 and "--point-size" in refused.err and len(refused.err.splitlines()) == 1
    assert run_cli("build", "--format", "docx", "--point-size", "20").code == 2


@pytest.mark.slow
def test_missing_libreoffice_skips_the_pdf_with_a_hint(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real_which = shutil.which
    hidden = ("soffice", "libreoffice")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in hidden else real_which(name))
    run_cli = run_cli_all
    result = run_cli("build", "leaflets/END_0031-sedation-fasting.md", "--locale", "en_GB")
    assert result.code == 0
    assert "large-print-pdf: skipped: LibreOffice is not installed on this computer (install it with: " \
        "sudo apt-get install libreoffice-writer-nogui" in result.err
    assert Path("output/END_0031/en_GB/END_0031-en_GB-large-print.docx").exists()
    assert not Path("output/END_0031/en_GB/END_0031-en_GB-large-print.pdf").exists()
    asked = run_cli("build", "leaflets/END_0031-sedation-fasting.md", "--format", "large-print-pdf")
    assert asked.code == 1


@pytest.fixture(scope="module", params=["en_GB", "ur"])
def pdf(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    if soffice() is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    return request.param, FORMATS["large-print-pdf"].export(model(request.param))  # type: ignore[return-value]


def test_pdf_fonts_embedded_title_tagged_pages(pdf: tuple[str, bytes], tmp_path: Path) -> None:
    locale, data = pdf
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts
    if locale == "ur":
        assert "NotoNastaliqUrdu" in fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert f"Title:           {model(locale).meta.title}" in info
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Page size:\s+595.\d+ x 841.\d+ pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert f"/Lang({'en-GB' if locale == 'en_GB' else 'ur-PK'})".encode() in data
    assert 3 <= pages <= 12


def test_pdf_text_has_every_word_of_the_translated_model(pdf: tuple[str, bytes], tmp_path: Path) -> None:
    locale, data = pdf
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)  # bidi marks pdftotext adds
    text = text.replace("\u2011", "-").replace("\u00a0", " ")
    if locale == "en_GB":
        assert "9am-\n" not in text and "northfield-\n" not in text, "hyphenated words stay whole"
    text = re.sub(r"-\n\s*", "-", text)
    def split_digits(value: str) -> str:
        """pdftotext moves the spaces around numbers and Latin words in right-to-left text."""
        value = re.sub(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)", " ", value)
        return re.sub(r"(?<=[A-Za-z])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[A-Za-z])", " ", value)

    expected = words(split_digits(leaflet_text(model(locale))))
    found = words(split_digits(text))
    missing = set(expected) - set(found)
    assert not missing, sorted(missing)[:20]


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_a_build_converts_its_pdfs_in_few_libreoffice_runs_each_to_its_own_file(
        run_cli_all, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, jobs: str) -> None:  # type: ignore[no-untyped-def]
    import pipeline.office as office

    log = tmp_path / "runs.log"  # workers are other processes: they count in a file
    real = office._run

    def counted(command: list[str], timeout: float):  # type: ignore[no-untyped-def]
        with log.open("a") as fh:
            fh.write(f"{sum(part.endswith('.docx') for part in command)}\n")
        return real(command, timeout)

    monkeypatch.setattr(office, "_run", counted)
    result = run_cli_all("build", "--format", "large-print-pdf", "--format", "docx", "--jobs", jobs)
    assert result.code == 0, result.err
    runs = sorted(int(n) for n in log.read_text().split())
    pdfs = sorted(Path("output").rglob("*-large-print.pdf"))
    # One LibreOffice run per worker, each converting its share: never one run per file.
    # One LibreOffice run per worker, for batches of at most 16 documents.
    assert len(pdfs) == EXAMPLE_BUILDS and sum(runs) == EXAMPLE_BUILDS, runs
    assert len(runs) == max(int(jobs), -(-EXAMPLE_BUILDS // 16)), runs
    for pdf in pdfs:
        code, locale = pdf.parent.parent.name, pdf.parent.name
        docx_file = pdf.with_name(f"{code}-{locale}.docx")
        title = docx.Document(str(docx_file)).core_properties.title
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Title:           {title}" in info, f"{pdf} is not its own leaflet's PDF"
    if jobs != "1":  # (one process keeps its profile until it exits)
        assert not list(Path("output/.cache/tmp").glob("leaflet-lo-*")), "a worker left its LibreOffice profile"


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
def test_a_batch_that_fails_loses_no_pdf(run_cli_all, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.office as office

    real = office._run

    def hanging_batch(command: list[str], timeout: float):  # type: ignore[no-untyped-def]
        if sum(part.endswith(".docx") for part in command) > 1:
            raise subprocess.TimeoutExpired(command, timeout)  # as if LibreOffice hung on one of them
        return real(command, timeout)

    monkeypatch.setattr(office, "_run", hanging_batch)
    result = run_cli_all("build", "--format", "large-print-pdf", "leaflets/PHY_0015-after-a-hip-replacement.txt")
    assert result.code == 0, result.err
    assert len(list(Path("output").rglob("*-large-print.pdf"))) == 4, "each converted on its own instead"


@pytest.mark.parametrize("profile", [LARGE_PRINT, GIANT_PRINT])
def test_a_table_in_large_print_is_one_labelled_block_per_row(profile) -> None:  # type: ignore[no-untyped-def]
    """UKAAF: no columns in large print (at 18 or 24 pt a long word broke inside a narrow cell)."""
    from pipeline.exporters.profiles import STANDARD

    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    document = docx.Document(io.BytesIO(export_docx(leaflet, profile)))
    assert not document.tables
    text = [p.text for p in document.paragraphs]
    start = text.index("Medicine: Warfarin")
    assert text[start:start + 4] == ["Medicine: Warfarin", "When to stop: 5 days before", "Medicine: Aspirin",
                                     "When to stop: Do not stop"]
    first = document.paragraphs[start]
    assert first.runs[0].bold and first.runs[0].text == "Medicine: "
    assert first.paragraph_format.keep_with_next, "a row's lines stay on one page"
    # The standard document keeps the table, each row whole on a page and the header repeated.
    standard = docx.Document(io.BytesIO(export_docx(leaflet, STANDARD)))
    rows = standard.tables[0].rows
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_heading_sizes_are_whole_points() -> None:
    from pipeline.exporters.profiles import STANDARD

    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    for profile in (STANDARD, LARGE_PRINT, GIANT_PRINT):
        document = docx.Document(io.BytesIO(export_docx(leaflet, profile)))
        sizes = [document.styles[f"Heading {n}"].font.size.pt for n in range(1, 7)]
        assert all(size == int(size) for size in sizes), (profile.name, sizes)
