"""The trust's own look: a house style from its Word template, within the accessibility rules."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from pipeline.errors import LeafletError
from pipeline.exporters.docx import export_docx
from pipeline.exporters.epub import epub_bytes
from pipeline.exporters.html import export_html
from pipeline.exporters.profiles import GIANT_PRINT, LARGE_PRINT, STANDARD
from pipeline.house import House, contrast, large_print_notes, load, write_example
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS
from tests.test_large_print import model


@pytest.fixture(scope="module")
def houses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, House]:
    """Two example house styles of our own: a plain sans-serif one, and one with a serif font and italics."""
    root = tmp_path_factory.mktemp("house")
    write_example(root / "plain")
    write_example(root / "serif", serif=True)
    return {"plain": load(root / "plain"), "serif": load(root / "serif")}


def document(leaflet, profile, house):  # type: ignore[no-untyped-def]
    return docx.Document(io.BytesIO(export_docx(leaflet, replace(profile, house=house))))


def colour_of(style) -> str | None:  # type: ignore[no-untyped-def]
    return str(style.font.color.rgb) if style.font.color is not None and style.font.color.rgb is not None else None


def test_standard_print_takes_the_templates_look(houses: dict[str, House]) -> None:
    for name, font in (("plain", "Arial"), ("serif", "Georgia")):
        doc = document(model("en_GB"), STANDARD, houses[name])
        assert doc.styles["Normal"].font.name == font and doc.styles["Normal"].font.size.pt == 12
        assert colour_of(doc.styles["Heading 2"]) == "005EB8" and doc.styles["Heading 1"].font.size.pt == 22
        header = doc.sections[0].header._element
        pictures = list(header.iter(qn("wp:docPr")))
        assert pictures and all(p.get("descr") for p in pictures), "the logo in the header, with alt text"
        assert doc.sections[0].top_margin.cm == pytest.approx(3, abs=0.01)
        footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
        assert "RAD_0102" in footer and "Switchboard 0118" in footer, footer
        footer_xml = doc.sections[0].footer._element.xml
        assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
        body = [p.text for p in doc.paragraphs]
        assert "This template is an example made by the leaflet pipeline." not in body, "the template's text left out"
        assert body[0] == "CT-guided lung biopsy"
        defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"


def test_the_pipeline_keeps_what_it_owns_in_a_right_to_left_language(houses: dict[str, House]) -> None:
    doc = document(model("ur"), STANDARD, houses["serif"])
    normal = doc.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Georgia" and fonts.get(qn("w:cs")) == "Arial"
    assert normal.element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "24"
    assert normal.element.pPr.find(qn("w:bidi")) is not None
    assert any("سی ٹی" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize("profile", [LARGE_PRINT, GIANT_PRINT])
def test_large_print_keeps_to_the_standard_over_the_house_style(houses: dict[str, House], profile) -> None:  # type: ignore[no-untyped-def]
    doc = document(model("en_GB"), profile, houses["serif"])
    normal = doc.styles["Normal"]
    assert normal.font.name == "Arial", "a serif house font is replaced in large print"
    assert normal.font.size.pt == profile.body_pt and doc.styles["Footer"].font.size.pt == profile.body_pt
    for style in doc.styles:
        font = getattr(style, "font", None)
        assert font is None or not font.italic, f"{style.name} is italic"
        assert font is None or not font.underline, f"{style.name} is underlined"
        alignment = getattr(style, "paragraph_format", None)
        assert alignment is None or alignment.alignment is None or int(alignment.alignment) not in (3, 4, 5, 7, 8, 9)
    assert colour_of(doc.styles["Heading 2"]) == "005EB8", "the heading colour is kept (its contrast was checked)"
    assert all(not r.italic for p in doc.paragraphs for r in p.runs)
    assert doc.sections[0].header._element.find(".//" + qn("wp:docPr")) is not None
    notes = large_print_notes(houses["serif"], "Arial")
    assert "Normal font 'Georgia' replaced by Arial (large print is sans-serif)" in notes
    assert any(n.startswith("italics of") and "Quote" in n for n in notes) and "heading colour kept" in notes
    assert not any("replaced" in n for n in large_print_notes(houses["plain"], "Arial"))


def test_a_colour_below_wcag_aa_is_refused_naming_the_style_and_the_ratio(tmp_path: Path) -> None:
    write_example(tmp_path / "pale", low_contrast=True)
    with pytest.raises(LeafletError) as refused:
        load(tmp_path / "pale")
    message = str(refused.value)
    assert "style 'Heading 1'" in message and "2.13:1" in message and "needs 3:1" in message
    write_example(tmp_path / "web")
    config = (tmp_path / "web" / "house.toml").read_text(encoding="utf-8")
    (tmp_path / "web" / "house.toml").write_text(config.replace('link = "#004B8D"', 'link = "#7FA7D9"'),
                                                 encoding="utf-8")
    with pytest.raises(LeafletError) as web:
        load(tmp_path / "web")
    assert "[web] link: #7FA7D9 on #FFFFFF" in str(web.value) and "needs 4.5:1" in str(web.value)
    assert round(contrast("#005EB8", "#FFFFFF"), 2) == 6.38 and round(contrast("#000000", "#FFFFFF"), 1) == 21.0


@pytest.mark.parametrize(("change", "says"), [
    (('logo_alt = "Northfield Example Hospitals NHS Foundation Trust logo"', 'logo_alt = ""'), "logo_alt is needed"),
    (('logo = "logo.png"', 'logo = "../secret.png"'), "no such file"),
    (('heading = "#005EB8"', 'heading = "blue"'), "is not a colour"),
    (("[web]", "[web]\ncolour = \"#000000\""), "is not a colour it knows"),
    (('name = "', 'name = "Line\\nbreak'), "one line"),
])
def test_a_bad_house_config_is_one_line(tmp_path: Path, change: tuple[str, str], says: str) -> None:
    write_example(tmp_path / "h")
    config = tmp_path / "h" / "house.toml"
    text = config.read_text(encoding="utf-8")
    assert change[0] in text
    config.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(LeafletError) as refused:
        load(tmp_path / "h")
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_web_page_and_e_book_take_the_colours_and_logo(houses: dict[str, House]) -> None:
    house = houses["plain"]
    page = export_html(model("en_GB"), house=house)
    assert '<img class="logo" src="data:image/png;base64,' in page and 'alt="Northfield Example Hospitals' in page
    assert "h1, h2, h3, h4 { color: #005EB8; }" in page and 'src="http' not in page
    with zipfile.ZipFile(io.BytesIO(epub_bytes(model("ur"), house=house))) as book:
        assert book.read("EPUB/images/logo.png") == house.logo
        assert b'href="images/logo.png"' in book.read("EPUB/package.opf")
        assert b'<img class="logo" src="images/logo.png" alt="Northfield' in book.read("EPUB/leaflet.xhtml")
        assert b"color: #005EB8" in book.read("EPUB/style.css")
    plain = export_html(model("en_GB"))
    assert "logo" not in plain and "#005EB8" not in plain, "without a house style, the default look"


def test_the_trusts_name_fills_a_leaflet_that_does_not_say_it(houses: dict[str, House]) -> None:
    from pipeline.exporters import FORMATS

    leaflet = read_leaflet(str(FIXTURES / "speech.md"))
    leaflet = replace(leaflet, meta=replace(leaflet.meta, organisation=None))
    text = replace(FORMATS["text"], options={"house": houses["plain"]}).export(leaflet)
    assert isinstance(text, str) and "Northfield Example Hospitals NHS Foundation Trust" in text
    own = read_leaflet(str(LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"))
    said = replace(FORMATS["text"], options={"house": houses["plain"]}).export(own)
    assert isinstance(said, str) and "Northfield Example Hospitals" not in said, "the leaflet's own name is kept"


def test_a_build_uses_house_and_makes_again_when_it_changes(run_cli, houses: dict[str, House]) -> None:  # type: ignore[no-untyped-def]
    source = "leaflets/RAD_0102-ct-guided-lung-biopsy.md"
    assert run_cli("build", "--format", "docx", "--locale", "en_GB", source).code == 0
    plain = Path("output/RAD_0102/en_GB/RAD_0102-en_GB.docx").read_bytes()
    write_example(Path("house"))
    built = run_cli("build", "--format", "docx", "--format", "large-print", "--locale", "en_GB", source)
    assert built.code == 0 and "house style: house" in built.err and "house style in large print:" in built.err
    styled = Path("output/RAD_0102/en_GB/RAD_0102-en_GB.docx").read_bytes()
    assert styled != plain and docx.Document(io.BytesIO(styled)).sections[0].header._element.find(
        ".//" + qn("wp:docPr")) is not None
    again = run_cli("build", "--format", "docx", "--locale", "en_GB", source)
    assert "0 file(s) built" in again.err or "1 up to date" in again.err
    config = Path("house/house.toml")
    config.write_text(config.read_text(encoding="utf-8").replace("Switchboard", "Main desk"), encoding="utf-8")
    assert "1 file(s) built" in run_cli("build", "--format", "docx", "--locale", "en_GB", source).err
    listing = run_cli("request", "lung", "--list").out
    assert "ready: output/RAD_0102/en_GB/RAD_0102-en_GB.docx" in listing, "the desk sees the house-styled file current"
    checked = run_cli("house")
    assert checked.code == 0 and "colours pass WCAG 2.2 AA contrast" in checked.out
    write_example(Path("pale"), low_contrast=True)
    refused = run_cli("build", "--format", "docx", "--house", "pale", source)
    assert refused.code == 2 and "contrast of 2.13:1" in refused.err and len(refused.err.strip().splitlines()) == 1


def test_the_logo_and_heading_colour_come_from_the_template_when_the_config_is_silent(tmp_path: Path) -> None:
    """A trust that gives only its Word template: the header's picture (with its alt text) is the logo of
    the web page and e-book, and the template's heading colour their heading colour."""
    write_example(tmp_path / "h")
    config = tmp_path / "h" / "house.toml"
    text = config.read_text(encoding="utf-8")
    for line in ('logo = "logo.png"\n', 'logo_alt = "Northfield Example Hospitals NHS Foundation Trust logo"\n',
                 'heading = "#005EB8"\n'):
        assert line in text
        text = text.replace(line, "")
    config.write_text(text, encoding="utf-8")
    (tmp_path / "h" / "logo.png").unlink()
    house = load(tmp_path / "h")
    assert house.logo is not None and house.logo_size == (600, 150)
    assert house.logo_alt == "Northfield Example Hospitals logo" and house.colours.heading == "#005EB8"
    page = export_html(model("en_GB"), house=house)
    assert 'alt="Northfield Example Hospitals logo"' in page
    # A header picture without alt text and no logo_alt: refused, since a screen reader would say nothing.
    import docx as python_docx

    template = python_docx.Document(str(tmp_path / "h" / "reference.docx"))
    for described in template.sections[0].header._element.iter(qn("wp:docPr")):
        described.set("descr", "")
    template.save(str(tmp_path / "h" / "reference.docx"))
    with pytest.raises(LeafletError) as refused:
        load(tmp_path / "h")
    assert "no alt text" in str(refused.value)
