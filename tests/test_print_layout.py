"""Printed pages as a reviewer reads them: every example and fixture, in every print profile,
in English and right to left, made into PDF by LibreOffice and measured with poppler.

- no table row (or, in large print, a row's labelled block) is split across two pages;
- no word in a table is broken inside it (each cell's text is on its page, whole);
- no phone number is split across two lines, and no web or e-mail address breaks at
  its own hyphen or mid-word (it may wrap only after a slash).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from pipeline.exporters.docx import export_docx
from pipeline.exporters.profiles import GIANT_PRINT, LARGE_PRINT, PDF_FONTS, STANDARD, DocxProfile
from pipeline.i18n.catalogues import read_catalog
from pipeline.i18n.translate import review, translate
from pipeline.model import Leaflet, Table, inline_text, iter_blocks, leaflet_text
from pipeline.office import convert_many, docx_to_pdf
from pipeline.patterns import ADDRESS_RE
from pipeline.phones import find_phones
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES, LEAFLETS, LOCALES, soffice

pytestmark = [pytest.mark.slow,  # make test SLOW=1, and CI, run it (README, 'Development')
              pytest.mark.skipif(soffice() is None,
                                 reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")]

PROFILES = {p.name: replace(p, complex_fonts=PDF_FONTS) for p in (STANDARD, LARGE_PRINT, GIANT_PRINT)}


def right_to_left(leaflet: Leaflet) -> Leaflet:
    return replace(leaflet, meta=replace(leaflet.meta, language="ur", source_language="ur", direction="rtl"))


def leaflets() -> Iterator[tuple[str, Leaflet]]:
    """Every example in English and Urdu, and the fixtures with tables, phones and addresses."""
    for source in sorted(LEAFLETS.iterdir()):
        leaflet = read_leaflet(str(source))
        yield f"{leaflet.meta.code}-en", leaflet
        po = LOCALES / "ur" / "LC_MESSAGES" / f"{leaflet.meta.code}.po"
        catalog = read_catalog(po, "ur")
        yield f"{leaflet.meta.code}-ur", translate(leaflet, catalog, "ur", review(leaflet, catalog, "ur", po))
    wide = read_leaflet(str(FIXTURES / "wide-tables.md"))
    yield "wide-tables", wide
    yield "wide-tables-rtl", right_to_left(wide)
    yield "all-blocks", read_leaflet(str(FIXTURES / "all-blocks.md"))
    yield "rtl-numbers", right_to_left(read_leaflet(str(FIXTURES / "rtl-numbers.md")))


@dataclass(frozen=True)
class Word:
    page: int
    left: float
    top: float
    text: str


@dataclass
class Printed:
    leaflet: Leaflet
    profile: DocxProfile
    pages: list[str]
    """Each page's text, normalised (see :func:`flat`)."""
    words: list[Word]


def flat(text: str) -> str:
    """Text as compared here: no invisible marks, no-break characters as their plain forms, one space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # Arabic vowel marks: drawn in any order
    text = re.sub("[\u00ad\u200b-\u200f\u2060\u2066-\u2069\u061c]", "", text)
    text = text.replace("\u2011", "-").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=\w/) (?=\w)", "", text)  # an address wrapped after its slash


def _read(pdf: Path) -> tuple[list[str], list[Word]]:
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages, words = [], []
    for number, page in enumerate(boxes.split("<page ")[1:], start=1):
        drawn = [(float(m[1]), float(m[2]), float(m[3]), flat(_unescape(m[4]))) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)]
        # Glyphs drawn touching are one word as the eye reads it (poppler splits a word where a
        # zero-width word joiner comes from another font).
        found: list[Word] = []
        right = -1.0
        for left, top, end, text in drawn:
            if found and found[-1].top == top and 0 <= left - right < 0.5:
                found[-1] = replace(found[-1], text=found[-1].text + text)
            else:
                found.append(Word(number, left, top, text))
            right = end
        words += found
        pages.append(flat(" ".join(w.text for w in found)))
    return pages, words


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Every case in every profile, converted in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("print")
    documents = {f"{name}-{profile}": (leaflet, PROFILES[profile], export_docx(leaflet, PROFILES[profile]))
                 for name, leaflet in leaflets() for profile in PROFILES}
    convert_many([(name, data) for name, (_, _, data) in documents.items()])
    found = {}
    for name, (leaflet, profile, data) in documents.items():
        path = folder / f"{name}.pdf"
        path.write_bytes(docx_to_pdf(data, name))
        pages, words = _read(path)
        found[name] = Printed(leaflet, profile, pages, words)
    return found


def _lines(words: list[Word]) -> dict[tuple[int, int], list[Word]]:
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        key = next((k for k in lines if k[0] == word.page and abs(k[1] - word.top) < 3), (word.page, round(word.top)))
        lines.setdefault(key, []).append(word)
    return lines


def _rows(leaflet: Leaflet) -> Iterator[list[tuple[str, str]]]:
    """Each table row as (column heading, cell text) pairs; the header row with empty headings."""
    for table in (b for b in iter_blocks(leaflet.blocks) if isinstance(b, Table)):
        headings = [flat(inline_text(c.content)) for c in table.header]
        yield [("", heading) for heading in headings]
        for row in table.rows:
            yield [(headings[i] if i < len(headings) else "", flat(inline_text(c.content)))
                   for i, c in enumerate(row) if flat(inline_text(c.content))]


def _pages_of_row(printed: Printed, row: list[tuple[str, str]]) -> set[int] | None:
    """The pages a row is printed on; ``None`` when it is not printed whole (a word broken in it).

    Left to right, the row is looked for as one run of text, as a table row ("a b c") or as
    labelled lines ("A: a B: b"): a footer in the middle means it was split over pages.  Right
    to left, poppler may reverse a word's letters and a line's words, so each cell's words
    are looked for, and a row's pages are those that hold all of its words.
    """
    if printed.leaflet.meta.direction == "rtl":
        pages: set[int] | None = None
        for _, cell in row:
            words = [w.strip("()[]،,.؟?:۔") for w in cell.split()]
            holding = {n for n, page in enumerate(printed.pages, start=1)
                       if all(w in page or w[::-1] in page for w in words if w)}
            if not holding:
                return None
            pages = holding if pages is None else pages & holding or pages | holding
        return {min(pages)} if pages and len(pages) > 1 and _together(printed, row, pages) else pages
    whole = " ".join(printed.pages)
    starts = [sum(len(p) + 1 for p in printed.pages[:n]) for n in range(len(printed.pages))]
    for text in (" ".join(c for _, c in row), " ".join(f"{h}: {c}" if h else c for h, c in row)):
        at = whole.find(text)
        if at >= 0:
            return {n for n, start in enumerate(starts, start=1) if start < at + len(text) and
                    (n == len(starts) or starts[n] > at)}
    return None


def _together(printed: Printed, row: list[tuple[str, str]], pages: set[int]) -> bool:
    """Whether some one page holds every word of the row (common words are on many pages)."""
    words = [w.strip("()[]،,.؟?:۔") for _, cell in row for w in cell.split()]
    return any(all(w in printed.pages[n - 1] or w[::-1] in printed.pages[n - 1] for w in words if w) for n in pages)


def test_every_case_was_printed(printed: dict[str, Printed]) -> None:
    assert len(printed) == 3 * (2 * len(list(LEAFLETS.iterdir())) + 4)
    assert all(p.pages and p.words for p in printed.values())
    assert sum(1 for p in printed.values() for _ in _rows(p.leaflet)) > 100


def row_problems(name: str, case: Printed) -> list[str]:
    found = []
    rows = list(_rows(case.leaflet))
    for number, row in enumerate(rows):
        pages = _pages_of_row(case, row)
        header = all(not heading for heading, _ in row)
        if pages is None and header and number + 1 < len(rows) and _pages_of_row(case, rows[number + 1]):
            continue  # a table printed one labelled block per row has no header row
        if pages is None:
            found.append(f"{name}: the row {row[0][1][:40]!r} is not printed whole (split, or a word broken)")
        elif len(pages) > 1:
            found.append(f"{name}: the row {row[0][1][:40]!r} is split over pages {sorted(pages)}")
    return found


def phone_problems(name: str, case: Printed) -> tuple[list[str], int]:
    """Phone numbers split across lines, and how many printed numbers were measured."""
    found, measured = [], 0
    lines = _lines(case.words)
    for phone in {phone.text for phone in find_phones(leaflet_text(case.leaflet))}:
        groups = re.findall(r"\d+", phone)
        if len(groups) < 2:
            continue
        for line in lines.values():
            texts = [t for w in sorted(line, key=lambda w: w.left) if (t := w.text.strip("().,;:/-"))]
            for i in (i for i, text in enumerate(texts) if text == groups[0]):
                k = 1
                while k < len(groups) and i + k < len(texts) and texts[i + k] == groups[k]:
                    k += 1
                after = texts[i + k] if i + k < len(texts) else ""
                if k < len(groups) and after.isdigit() and not groups[k].startswith(after):
                    continue  # another number beginning with the same digits
                measured += 1
                if k < len(groups):
                    found.append(f"{name}: {phone!r} is split across lines: {' '.join(texts[i:i + k + 1])!r}")
    return found, measured


def address_problems(name: str, case: Printed) -> tuple[list[str], int]:
    """Addresses broken anywhere but after a slash, and how many addresses were looked for."""
    found, measured = [], 0
    addresses = {m.group(0).rstrip(".") for m in ADDRESS_RE.finditer(leaflet_text(case.leaflet))}
    for address in addresses:
        measured += 1
        for word in case.words:
            piece = word.text.strip("()[],;:")
            if len(piece) < 4 or piece in addresses or piece.rstrip(".") in addresses:
                continue
            if address.startswith(piece) and not piece.endswith("/"):
                found.append(f"{name}: {address!r} breaks after {piece!r}")
    return sorted(set(found)), measured


def test_no_table_row_is_split_across_pages_and_no_word_in_it_is_broken(printed: dict[str, Printed]) -> None:
    found = [problem for name, case in printed.items() for problem in row_problems(name, case)]
    assert not found, "\n".join(found[:20])


def test_no_phone_number_is_split_across_lines(printed: dict[str, Printed]) -> None:
    results = [phone_problems(name, case) for name, case in printed.items()]
    assert sum(measured for _, measured in results) > 100
    found = [problem for problems, _ in results for problem in problems]
    assert not found, "\n".join(found[:20])


def test_no_address_breaks_at_its_hyphen_or_mid_word(printed: dict[str, Printed]) -> None:
    results = [address_problems(name, case) for name, case in printed.items()]
    assert sum(measured for _, measured in results) > 20
    found = [problem for problems, _ in results for problem in problems]
    assert not found, "\n".join(found[:20])


def test_the_measurements_catch_the_faults_they_guard_against(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Printed as before: no-break spaces in phone numbers, plain hyphens in addresses, even columns."""
    import pipeline.exporters.docx as writer

    monkeypatch.setattr(writer, "FIGURE_SPACE", "\u00a0")
    monkeypatch.setattr(writer, "glued", lambda text: text)
    monkeypatch.setattr(writer._Writer, "_column_widths",
                        lambda self, table: [481.9 / len(table.header)] * len(table.header))
    wide = read_leaflet(str(FIXTURES / "wide-tables.md"))
    cases = {"wide-standard": (wide, PROFILES["standard"]),
             "urdu-giant": (dict(leaflets())["RAD_0102-ur"], PROFILES["giant-print"]),
             "rtl-giant": (right_to_left(read_leaflet(str(FIXTURES / "rtl-numbers.md"))), PROFILES["giant-print"])}
    documents = {name: export_docx(leaflet, profile) for name, (leaflet, profile) in cases.items()}
    convert_many(list(documents.items()))
    found: dict[str, list[str]] = {}
    for name, data in documents.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(docx_to_pdf(data, name))
        case = Printed(cases[name][0], cases[name][1], *_read(path))
        found[name] = row_problems(name, case) + phone_problems(name, case)[0] + address_problems(name, case)[0]
    assert any("breaks after 'www.northfield-'" in p for p in found["wide-standard"]), found["wide-standard"]
    assert any("not printed whole" in p for p in found["wide-standard"]), found["wide-standard"]
    assert any("is split across lines" in p for p in found["urdu-giant"] + found["rtl-giant"]), found


def test_print_layout_rules_in_the_document(printed: dict[str, Printed]) -> None:
    """What LibreOffice and Word both honour: a lead-in ending in ':' stays with its list, no chain of
    kept-together paragraphs longer than a table row, no rule opening a page, room above the footer."""
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    checked = 0
    for name, (leaflet, profile) in {n: (c.leaflet, c.profile) for n, c in printed.items()}.items():
        data = export_docx(leaflet, profile)
        body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(f"{w}body")
        paragraphs = body.findall(f"{w}p")
        texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in paragraphs]
        kept = [p.find(f"{w}pPr/{w}keepNext") is not None for p in paragraphs]
        styles = [p.find(f"{w}pPr/{w}pStyle") for p in paragraphs]
        for i, text in enumerate(texts[:-1]):
            following = styles[i + 1]
            if text.rstrip().endswith(":") and following is not None and following.get(f"{w}val") == "ListParagraph":
                checked += 1
                assert kept[i], f"{name}: the lead-in {text!r} may be left at the foot of a page"
        chain = longest = 0
        for keep in kept:
            chain = chain + 1 if keep else 0
            longest = max(longest, chain)
        columns = max((len(t.header) for t in iter_blocks(leaflet.blocks) if isinstance(t, Table)), default=1)
        assert longest <= max(columns, 2), f"{name}: {longest} paragraphs kept together in a chain"
        ruled = [t for p, t in zip(paragraphs, texts, strict=True) if p.find(f".//{w}pBdr") is not None]
        assert all(t.strip() for t in ruled), f"{name}: a rule as a paragraph of its own"
        margins = body.find(f"{w}sectPr/{w}pgMar")
        room = (int(margins.get(f"{w}bottom")) - int(margins.get(f"{w}footer"))) / 20
        assert room >= 2 * profile.body_pt * 1.2 + profile.body_pt, f"{name}: the footer touches the text"
    assert checked >= 10
