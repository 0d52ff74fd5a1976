"""Pictures: read from Markdown, Word and PDF, re-encoded, and carried into every format.

A picture is part of the document model (:class:`pipeline.model.Picture`): the image as a
fresh PNG, its alt text (a translatable message) and its caption.  Print and screen formats
show it; text, braille and speech say "Picture: <alt>".
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from pipeline.exporters.braille import export_braille
from pipeline.exporters.docx import export_docx
from pipeline.exporters.epub import epub_bytes
from pipeline.exporters.html import export_html
from pipeline.exporters.profiles import LARGE_PRINT
from pipeline.exporters.text import export_text
from pipeline.i18n.messages import units
from pipeline.model import Leaflet, Picture, iter_blocks
from pipeline.pictures import MAX_SIDE, PictureError, reencode
from pipeline.readers import read_leaflet
from pipeline.speech.script import speech_script
from tests.pdfmake import Page, pdf
from tests.wordml import docx, p, picture_run, r, textbox_run

ALT = "A nurse putting a cannula into the back of a hand"


def png(width: int = 300, height: int = 200, comment: str | None = None) -> bytes:
    image = Image.new("RGB", (width, height), (0, 94, 184))
    info = PngImagePlugin.PngInfo()
    if comment:
        info.add_text("Comment", comment)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def pictures(leaflet: Leaflet) -> list[Picture]:
    return [b for b in iter_blocks(leaflet.blocks) if isinstance(b, Picture)]


def markdown(tmp_path: Path, body: str, files: dict[str, bytes] | None = None) -> Leaflet:
    folder = tmp_path / "leaflets"
    folder.mkdir(exist_ok=True)
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    source = folder / "PIC_0001-cannula.md"
    source.write_text(f"# Having a cannula\n\n{body}\n\nLeaflet code: PIC_0001\n\nReviewed: March 2026. "
                      "Next review due: March 2029.\n", encoding="utf-8")
    return read_leaflet(str(source))


# --- Re-encoding ------------------------------------------------------------------------------


def test_a_picture_is_written_again_never_passed_through() -> None:
    original = png(comment="<script>alert(1)</script> payload")
    image, width, height = reencode(original)
    assert image != original and image.startswith(b"\x89PNG") and b"payload" not in image
    assert (width, height) == (300, 200)
    big, width, height = reencode(png(4000, 1000))
    assert max(width, height) == MAX_SIDE and Image.open(io.BytesIO(big)).size == (width, height)


@pytest.mark.parametrize(("data", "says"), [
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    (b"\x01\x00\x00\x00" + b"\x00" * 100, "EMF or WMF"),
    (b"GIF89a broken", "cannot be read"),
    (b"\x00" * 21_000_000, "bytes"),
], ids=["svg-with-script", "emf", "broken", "too-large-file"])
def test_what_cannot_be_carried_says_why(data: bytes, says: str) -> None:
    with pytest.raises(PictureError, match=says):
        reencode(data)


def test_a_decompression_bomb_is_refused() -> None:
    # A tiny file that claims 20,000 x 20,000 pixels.
    header = png(1, 1)
    bomb = header[:16] + (20000).to_bytes(4, "big") + (20000).to_bytes(4, "big") + header[24:]
    with pytest.raises(PictureError):
        reencode(bomb)


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_picture_with_alt_and_caption(tmp_path: Path) -> None:
    leaflet = markdown(tmp_path, f'A cannula is a thin tube.\n\n![{ALT}](images/hand.png "The cannula is taped down.")'
                                 "\n\nKeep it dry. ![](images/hand.png) Tell a nurse if it hurts.",
                       {"images/hand.png": png(comment="secret")})
    first, second = pictures(leaflet)
    assert first.alt == ALT and first.image.startswith(b"\x89PNG") and b"secret" not in first.image
    assert [type(b).__name__ for b in leaflet.blocks] == ["Paragraph", "Picture", "Paragraph", "Picture"]
    assert export_text(leaflet).count("Keep it dry. Tell a nurse if it hurts.") == 1
    assert second.alt == ""


@pytest.mark.parametrize(("src", "says"), [
    ("../secret.png", "outside the leaflet's folder"),
    ("/etc/passwd", "outside the leaflet's folder"),
    ("https://example.org/hand.png", "on the web and is not fetched"),
    ("data:image/png;base64,AAAA", "not a file beside the leaflet"),
    ("missing.png", "is not there"),
    ("link.png", "outside the leaflet's folder"),
    ("notes.txt", "cannot be read as a picture"),
], ids=["dotdot", "absolute", "web", "data", "missing", "symlink-out", "not-a-picture"])
def test_markdown_picture_that_is_not_read_is_named_and_its_alt_stands_in(tmp_path: Path, caplog, src: str,
                                                                          says: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secret.png").write_bytes(png())
    folder = tmp_path / "leaflets"
    folder.mkdir()
    os.symlink(tmp_path / "secret.png", folder / "link.png")
    (folder / "notes.txt").write_text("private notes", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        leaflet = markdown(tmp_path, f"Text.\n\n![{ALT}]({src})")
    (picture,) = pictures(leaflet)
    assert picture.image == b"" and picture.alt == ALT
    assert any(says in m and "alt text stands in" in m for m in caplog.messages), caplog.messages
    assert f"[Picture: {ALT}]" in export_text(leaflet)


def test_a_picture_without_alt_text_is_named(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING):
        markdown(tmp_path, "Text.\n\n![](hand.png)", {"hand.png": png()})
    assert any("has no alt text" in m for m in caplog.messages)


# --- Word and PDF -----------------------------------------------------------------------------


def test_word_pictures_alt_caption_decorative_and_logo(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    body = (p("Having a cannula", "Title") + p("A cannula is a thin tube.")
            + p(runs=picture_run("rIdImg1", ALT)) + p("The cannula is taped down.", "Caption")
            + p(runs=r("A border, for looks: ") + picture_run("rIdImg1", None, "Border", decorative=True))
            + p(runs=picture_run("rIdImg1", None, "Picture 9"))
            + p(runs=r("Box: ") + textbox_run(p(runs=picture_run("rIdImg1", "A dressing")), fallback=False))
            + p("Leaflet code: PIC_0002"))
    header = p(runs=picture_run("rIdImg1", "Trust logo", "Logo"))
    path = tmp_path / "PIC_0002.docx"
    path.write_bytes(docx(body, headers=[header], media={"rIdImg1": png(comment="secret")}))
    with caplog.at_level(logging.WARNING):
        leaflet = read_leaflet(str(path))
    found = pictures(leaflet)
    assert [(x.alt, bool(x.image)) for x in found] == [(ALT, True), ("", True), ("A dressing", True)]
    assert found[0].caption and "taped down" in export_text(leaflet)
    assert "Trust logo" not in export_text(leaflet), "a logo in the header is not part of the leaflet"
    assert any("1 picture(s) without alt text ('Picture 9')" in m for m in caplog.messages)
    assert all(b"secret" not in x.image for x in found)


def test_pdf_pictures_carried_without_alt_and_logo_left_out(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    page = Page()
    page.image(480, 20, 60, 40, colour=(0, 94, 184))  # the logo, top right: not part of the leaflet
    page.text(60, 80, "Having a cannula", 22, bold=True)
    page.text(60, 130, "A cannula is a thin tube put into a vein.")
    page.image(60, 160, 240, 160, colour=(200, 30, 30))
    page.text(60, 340, "Keep it dry.")
    page.text(60, 780, "Leaflet code: PIC_0003")
    path = tmp_path / "PIC_0003.pdf"
    path.write_bytes(pdf([page]))
    with caplog.at_level(logging.WARNING):
        leaflet = read_leaflet(str(path))
    (picture,) = pictures(leaflet)
    assert [type(b).__name__ for b in leaflet.blocks] == ["Paragraph", "Picture", "Paragraph"]
    assert picture.alt == "" and picture.image.startswith(b"\x89PNG") and picture.width >= 480
    red = Image.open(io.BytesIO(picture.image)).convert("RGB").getpixel((picture.width // 2, picture.height // 2))
    assert red == (200, 30, 30), "the picture is the one drawn there, rendered from the page"
    assert any("1 picture(s) without alt text" in m for m in caplog.messages)


# --- Every format -------------------------------------------------------------------------------


@pytest.fixture
def leaflet(tmp_path: Path) -> Leaflet:
    return markdown(tmp_path, f'A cannula is a thin tube.\n\n![{ALT}](hand.png "The cannula is taped down.")\n\n'
                              "## Looking after it\n\nKeep it dry.", {"hand.png": png(600, 400)})


def test_text_and_speech_say_the_picture(leaflet: Leaflet) -> None:
    assert f"[Picture: {ALT}]\nThe cannula is taped down." in export_text(leaflet)
    spoken = [line for section in speech_script(leaflet) for lines in section.paragraphs for line in lines]
    assert any(line.startswith("Picture: A nurse putting a cannula") and "taped down" in line for line in spoken)


def test_braille_says_the_picture(leaflet: Leaflet) -> None:
    from pipeline import liblouis

    if liblouis.missing() is not None:
        pytest.skip("liblouis not installed (apt-get install liblouis-bin liblouis-data python3-louis)")
    from tests.test_braille import back

    said = " ".join(back(export_braille(leaflet), "en-ueb-g2.ctb").split())
    assert "Picture: A nurse putting a cannula into the back of a hand" in said and "taped down" in said


def test_html_figure_with_the_reencoded_picture(leaflet: Leaflet) -> None:
    page = export_html(leaflet)
    figure = re.search(r'<figure><img src="data:image/png;base64,([^"]+)" alt="([^"]*)" width="600" height="400"/>'
                       r"<figcaption>(.*?)</figcaption></figure>", page)
    assert figure is not None
    assert base64.b64decode(figure.group(1)) == pictures(leaflet)[0].image
    assert figure.group(2) == ALT and "taped down" in figure.group(3)


@pytest.mark.parametrize("profile", ["standard", "large-print"])
def test_docx_picture_with_its_description(leaflet: Leaflet, profile: str) -> None:
    data = export_docx(leaflet, LARGE_PRINT) if profile == "large-print" else export_docx(leaflet)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        document = zf.read("word/document.xml").decode()
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        assert zf.read(media[0]) == pictures(leaflet)[0].image
        types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("word/_rels/document.xml.rels").decode()
    assert f'descr="{ALT}"' in document and 'Extension="png"' in types and media[0].split("/", 1)[1] in rels
    width = int(re.search(r'<wp:extent cx="(\d+)"', document).group(1))  # type: ignore[union-attr]
    text_width = round((21.0 - 2 * (LARGE_PRINT.margin_cm if profile == "large-print" else 2.0)) * 360_000)
    if profile == "large-print":
        assert width == text_width, "large print shows the picture as wide as the text"
    else:
        assert width == round(600 / 150 * 914_400) <= text_width
    again = export_docx(leaflet, LARGE_PRINT) if profile == "large-print" else export_docx(leaflet)
    assert again == data, "the same leaflet gives the same document (the picture is not added twice)"
    without = export_docx(Leaflet(leaflet.meta, leaflet.blocks[:1], leaflet.source))
    assert b"word/media/" not in without, "the next leaflet does not carry the last one's picture"


def test_epub_carries_the_picture_in_its_package(leaflet: Leaflet) -> None:
    with zipfile.ZipFile(io.BytesIO(epub_bytes(leaflet))) as zf:
        assert zf.read("EPUB/images/p1.png") == pictures(leaflet)[0].image
        package = zf.read("EPUB/package.opf").decode()
        content = zf.read("EPUB/leaflet.xhtml").decode()
    assert 'href="images/p1.png" media-type="image/png"' in package
    assert "<meta property=\"schema:accessMode\">visual</meta>" in package and "alternativeText" in package
    assert f'<img src="images/p1.png" alt="{ALT}"' in content


def test_alt_text_and_caption_are_messages_for_translators(leaflet: Leaflet) -> None:
    found = {(u.role, u.msgid) for u in units(leaflet)}
    assert ("picture", ALT) in found and ("caption", "The cannula is taped down.") in found


def test_check_names_pictures_without_alt_and_can_fail_for_them(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    Path("leaflets/hand.png").write_bytes(png())
    source = Path("leaflets/PIC_0009-cannula.md")
    source.write_text("# Having a cannula\n\nA thin tube.\n\n![](hand.png)\n\n![A hand](hand.png)\n\n"
                      "Ward 5, Tel 0118 496 0555\n\nPlease ask if you need this information in another language or "
                      "format.\n\nPIC_0009\n\nReviewed: March 2026. Next review due: March 2029.\n", encoding="utf-8")
    warned = run_cli("check", str(source))
    assert "warning: 1 picture(s) without alt text (at 5)" in warned.out and warned.code == 0
    strict = run_cli("check", "--require-alt-text", str(source))
    assert strict.code == 1 and f"{source}: 1 picture(s) without alt text" in strict.out
