"""The bilingual Word table, for translators who work in Word.

One row per message: id, section, English, translation, note.  Bold and italic are real
bold and italic; a placeholder (``{phone1}``) and a link's target (``[text]({link1})``) are
shown as they are, shaded, and must be kept.  The document is protected read-only with
the translation cells as the only editable ranges (Word honours this; it is as far as Word
allows: a placeholder inside a cell cannot be locked, so every one is checked on import).
A right-to-left language's cells are set right to left.  The leaflet, the language and a
fingerprint of the English are in the document's core properties (identifier).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from pipeline.errors import LeafletError
from pipeline.i18n.exchange.inline import Br, Node, Ph, tree
from pipeline.i18n.messages import MessageError

if TYPE_CHECKING:
    from pipeline.i18n.exchange import Header, Returned, Unit

HEADINGS = ("ID", "Section", "English", "Translation", "Notes")
_ID_PREFIX = "leaflet-exchange"
_PROTECTED_RE = re.compile(r"(\{(?:phone|url|email|link)\d+\})")
_STATE_WORDS = {"new": "not translated", "needs-review": "to review", "translated": "translated",
                "signed-off": "signed off"}


def _shade(run: object, fill: str = "D9D9D9") -> None:
    props = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _runs(paragraph: Paragraph, nodes: tuple[Node, ...], bold: bool, italic: bool, rtl: bool) -> None:
    def add(text: str, shaded: bool = False) -> None:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if shaded:
            _shade(run)
            run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x93)
        if rtl:
            run.font.rtl = True

    for node in nodes:
        if isinstance(node, str):
            add(node)
        elif isinstance(node, Ph):
            add("{" + node.name + "}", shaded=True)
        elif isinstance(node, Br):
            paragraph.add_run().add_break()
        elif node.kind == "link":
            add("[")
            _runs(paragraph, node.children, bold, italic, rtl)
            add("](" + "{" + node.link + "})", shaded=True)
        else:
            _runs(paragraph, node.children, bold or node.kind == "bold", italic or node.kind == "italic", rtl)


def _editable(cell: _Cell, number: int) -> None:
    """Mark a cell's content as the range everyone may edit in a read-only document."""
    first, last = cell.paragraphs[0]._p, cell.paragraphs[-1]._p
    start = OxmlElement("w:permStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:edGrp"), "everyone")
    end = OxmlElement("w:permEnd")
    end.set(qn("w:id"), str(number))
    properties = first.find(qn("w:pPr"))
    (properties.addnext if properties is not None else lambda e: first.insert(0, e))(start)
    last.append(end)


def write(header: Header, units: list[Unit]) -> bytes:
    """The Word table for ``units``."""
    document = docx.Document()
    document.core_properties.title = f"{header.title} ({header.code}): translation into {header.locale}"
    document.core_properties.identifier = f"{_ID_PREFIX}:{header.code}:{header.locale}:{header.english}"
    document.core_properties.subject = header.locale
    document.add_heading(f"{header.title} ({header.code}): translation into {header.locale}", level=1)
    document.add_paragraph(
        "Write each translation in the Translation column only.  Keep bold as bold.  Keep every shaded part "
        "exactly as it is: {phone1}, {url1} and the like are filled in with the real phone numbers and "
        "addresses, and [words]({link1}) is a link whose words you translate.  Return this file as it is; it "
        "is checked before it is used.")
    rtl = bool(units) and units[0].direction == "rtl"
    grid = document.add_table(rows=1, cols=len(HEADINGS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, HEADINGS, strict=True):
        cell.text = text if text != "Translation" else f"Translation ({header.locale})"
        cell.paragraphs[0].runs[0].bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for number, unit in enumerate(units, start=1):
        cells = grid.add_row().cells
        cells[0].text = unit.id
        cells[0].paragraphs[0].runs[0].font.size = Pt(7)
        cells[1].text = unit.section
        _runs(cells[2].paragraphs[0], tree(unit.english), False, False, False)
        target = cells[3].paragraphs[0]
        if rtl:
            bidi = OxmlElement("w:bidi")
            target._p.get_or_add_pPr().append(bidi)
        if unit.translation:
            _runs(target, tree(unit.translation), False, False, rtl)
        cells[4].text = f"{unit.note} ({_STATE_WORDS[unit.state]})"
        _editable(cells[3], number)
    protection = OxmlElement("w:documentProtection")
    protection.set(qn("w:edit"), "readOnly")
    protection.set(qn("w:enforcement"), "1")
    document.settings.element.append(protection)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _escaped(text: str) -> str:
    parts = _PROTECTED_RE.split(text)
    return "".join(part if i % 2 else re.sub(r"([\\*_`<])", r"\\\1", part).replace("{", "{{").replace("}", "}}")
                   for i, part in enumerate(parts))


def cell_message(cell: _Cell) -> str:
    """A cell's content as a message: real bold and italic as ``**`` and ``*``, paragraphs as line breaks."""
    lines = []
    for paragraph in cell.paragraphs:
        pieces: list[tuple[str, bool, bool]] = []
        for run in paragraph.runs:
            for k, text in enumerate(run.text.split("\n")):
                if k:
                    pieces.append(("\n", False, False))
                if text:
                    pieces.append((text.replace("\t", " "), bool(run.bold), bool(run.italic)))
        out, current = [], (False, False)
        for text, bold, italic in pieces:
            if text == "\n":
                out.append(("**" if current[0] else "") + ("*" if current[1] else ""))
                current = (False, False)
                out.append("\\\n")
                continue
            if (bold, italic) != current:
                out.append(("*" if current[1] else "") + ("**" if current[0] else ""))
                out.append(("**" if bold else "") + ("*" if italic else ""))
                current = (bold, italic)
            out.append(_escaped(text))
        out.append(("*" if current[1] else "") + ("**" if current[0] else ""))
        lines.append("".join(out).replace("****", "").strip())
    return "\\\n".join(line for line in lines if line)


def read(data: bytes, path: str) -> Returned:
    """The header, translations and states of a Word table this project wrote (edited in Word)."""
    from pipeline.i18n.exchange import Header, Returned

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a DOCX
        raise LeafletError(path, f"not readable as a Word document ({type(exc).__name__})") from None
    identifier = str(document.core_properties.identifier or "")
    parts = identifier.split(":")
    if len(parts) != 4 or parts[0] != _ID_PREFIX:
        raise LeafletError(path, "not a translation table exported by this pipeline (its identifier property is "
                                 "missing): export the leaflet with leaflet i18n export CODE LOCALE --format docx")
    grids = [t for t in document.tables if t.rows and t.rows[0].cells[0].text.strip() == HEADINGS[0]]
    if len(grids) != 1 or len(grids[0].columns) != len(HEADINGS):
        raise LeafletError(path, "the translation table (ID, Section, English, Translation, Notes) is missing or "
                                 "has been changed")
    returned = Returned(Header(parts[1], parts[2], parts[3]))
    sources: list[tuple[str, str]] = []
    for number, row in enumerate(grids[0].rows[1:], start=2):
        cells = row.cells
        uid = cells[0].text.strip()
        if uid in returned.translated or uid in returned.errors:
            raise LeafletError(path, f"the row {uid} is in the table twice (row {number})")
        sources.append((uid, cell_message(cells[2])))
        text = cell_message(cells[3])
        if not text.strip():
            returned.translated[uid] = None
            returned.states[uid] = "new"
            continue
        try:
            returned.translated[uid] = tree(text)
        except MessageError as exc:
            returned.errors[uid] = f"row {number}: {exc}"
            continue
        returned.states[uid] = "translated"  # a filled cell of a returned table is the translator's answer
    returned.header = Header(parts[1], parts[2], parts[3], sources=tuple(sources))
    return returned
