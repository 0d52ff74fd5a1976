"""The Word reader: what a reader of the document sees, once, in order; nothing they do not see.

Each class of problem from issue #26 is tested with variants written here in Word's own
XML shape (tests/wordml.py): text boxes (DrawingML with VML fallback, VML alone, a list
inside), tracked changes, comments, hidden text, fields, content controls, headers and
footers, headings as people make them, lists from numbering, merged cells, notices, exact
characters, and files that must be refused.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import LeafletError
from pipeline.model import (
    BlockQuote,
    BulletList,
    Heading,
    Leaflet,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    inline_text,
    iter_links,
)
from pipeline.readers import read_leaflet
from tests.wordml import docx, field, numbered, p, r, table, textbox_run, vml_textbox_run

TITLE = p("Having a colonoscopy", "Title")
END = p("Leaflet code: END_0456") + p("Reviewed: March 2026. Next review due: March 2028.")


def read(tmp_path: Path, body: str, name: str = "END_0456-colonoscopy.docx", **kw: object) -> Leaflet:
    path = tmp_path / name
    path.write_bytes(docx(body, **kw))  # type: ignore[arg-type]
    return read_leaflet(str(path))


def outline(blocks: tuple[object, ...], depth: int = 0) -> list[str]:
    """The model as short lines: ``H2 text``, ``P text``, ``- item``, ``1. item``, ``> ...``, ``T a | b``."""
    out: list[str] = []
    pad = "  " * depth
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{pad}H{block.level} {inline_text(block.content)}")
        elif isinstance(block, Paragraph):
            out.append(f"{pad}P {inline_text(block.content)}")
        elif isinstance(block, BulletList | OrderedList):
            for n, item in enumerate(block.items):
                mark = "-" if isinstance(block, BulletList) else f"{block.start + n}."
                inner = outline(item.blocks, 0)
                out.append(f"{pad}{mark} {inner[0][2:]}")
                out.extend(f"{pad}  {line}" for line in inner[1:])
        elif isinstance(block, BlockQuote):
            out.extend(f"{pad}> {line}" for line in outline(block.blocks, 0))
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                out.append(f"{pad}T " + " | ".join(inline_text(c.content) for c in row))
    return out


def body_text(leaflet: Leaflet) -> str:
    return "\n".join(outline(leaflet.blocks))


# --- Everything a reader sees, once, in order -----------------------------------------


@pytest.mark.parametrize("kind", ["drawingml+vml", "drawingml", "vml"])
def test_text_box_is_read_once_after_its_anchor(tmp_path: Path, kind: str) -> None:
    inner = p("Call 999 if you have chest pain.") + numbered("you feel faint", 1) + numbered("you are sick", 1)
    run = {"drawingml+vml": textbox_run(inner), "drawingml": textbox_run(inner, fallback=False),
           "vml": vml_textbox_run(inner)}[kind]
    leaflet = read(tmp_path, TITLE + p("Before the box.") + p(runs=r("Anchor paragraph. ") + run) + p("After.") + END)
    assert outline(leaflet.blocks) == [
        "P Before the box.", "P Anchor paragraph.", "> P Call 999 if you have chest pain.", "> - you feel faint",
        "> - you are sick", "P After."]


def test_tracked_changes_deletions_dropped_insertions_kept_and_draft(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    phone = (r("Ring the unit on 0113 496 0") + '<w:del w:id="1" w:author="J. Smith"><w:r><w:delText>788'
             '</w:delText></w:r></w:del><w:ins w:id="2" w:author="A. Patel">' + r("790") + "</w:ins>" + r("."))
    deleted_para = ('<w:del w:id="3" w:author="J. Smith"><w:r><w:delText>You can also give them aspirin.'
                    '</w:delText></w:r></w:del>')
    moved = ('<w:moveFrom w:id="4" w:author="A. Patel">' + r("Moved away text.") + "</w:moveFrom>")
    with caplog.at_level(logging.WARNING):
        leaflet = read(tmp_path, TITLE + p(runs=phone) + p(runs=deleted_para) + p(runs=moved + r("Kept.")) + END)
    text = body_text(leaflet)
    assert "0113 496 0790" in text and "788" not in text
    assert "aspirin" not in text and "Moved away" not in text and "P Kept." in text
    assert leaflet.meta.provisional and len(leaflet.meta.unfinished) == 1
    assert "4 tracked change(s)" in leaflet.meta.unfinished[0]
    assert "A. Patel, J. Smith" in leaflet.meta.unfinished[0]


def test_comments_make_a_draft_unless_resolved(tmp_path: Path) -> None:
    body = TITLE + p(runs='<w:commentRangeStart w:id="0"/>' + r("Fast for 6 hours.") + '<w:commentRangeEnd w:id="0"/>'
                     '<w:r><w:commentReference w:id="0"/></w:r>') + END
    comment = ('<w:comment w:id="0" w:author="Sister Jones"><w:p w14:paraId="1A2B3C4D">'
               + r("Is it 6 or 4 hours?") + "</w:p></w:comment>")
    open_ = read(tmp_path, body, comments=comment)
    assert "Is it 6" not in body_text(open_)
    assert open_.meta.unfinished == ("1 comment(s) not resolved (by Sister Jones): resolve or delete them in Word",)
    resolved = '<w15:commentEx w15:paraId="1A2B3C4D" w15:done="1"/>'
    done = read(tmp_path, body, comments=comment, comments_extended=resolved)
    assert done.meta.unfinished == () and not done.meta.provisional


@pytest.mark.parametrize("hidden", [
    p(runs=r("Delete this note before printing.", "<w:vanish/>")),
    p(runs=r("Delete this note before printing.", '<w:rStyle w:val="Hidden"/>')),
    p("Delete this note before printing.", "TemplateNote"),
    p(runs=r("Delete this ", "<w:vanish/>") + r("note before printing.", '<w:vanish w:val="true"/>')),
], ids=["direct", "character-style", "paragraph-style", "split-runs"])
def test_hidden_text_is_never_read(tmp_path: Path, hidden: str) -> None:
    leaflet = read(tmp_path, TITLE + hidden + p("Visible text.") + END)
    assert "Delete this" not in body_text(leaflet) and body_text(leaflet) == "P Visible text."


def test_hidden_turned_off_again_is_read(tmp_path: Path) -> None:
    shown = p("Shown despite the style.", "TemplateNote", runs=r("Shown despite the style.", '<w:vanish w:val="0"/>'))
    assert body_text(read(tmp_path, TITLE + shown + END)) == "P Shown despite the style."


def test_fields_results_not_codes(tmp_path: Path) -> None:
    body = (TITLE
            + p(runs=r("See ") + field('HYPERLINK "https://www.example.nhs.uk/bowel"', "our bowel page") + r("."))
            + p(runs=r("Your consultant is ") + field("MERGEFIELD Consultant", "Dr A Example") + r("."))
            + p(runs=field("TOC \\o \"1-3\"", "What is a colonoscopy? 2"))
            + p(runs='<w:fldSimple w:instr=" DOCPROPERTY Department ">' + r("Endoscopy Unit") + "</w:fldSimple>")
            + p("Last paragraph.") + END)
    leaflet = read(tmp_path, body)
    text = body_text(leaflet)
    assert "HYPERLINK" not in text and "MERGEFIELD" not in text and "TOC" not in text
    assert "P See our bowel page." in text and "P Your consultant is Dr A Example." in text
    assert "What is a colonoscopy? 2" not in text, "a table of contents is left out: each output makes its own"
    assert "P Endoscopy Unit" in text
    links = [link.url for block in leaflet.blocks if isinstance(block, Paragraph) for link in iter_links(block.content)]
    assert links == ["https://www.example.nhs.uk/bowel"]


def test_hyperlinks_and_content_controls(tmp_path: Path) -> None:
    body = (p(runs='<w:sdt><w:sdtPr><w:alias w:val="Title"/></w:sdtPr><w:sdtContent>' + r("Bowel preparation")
              + "</w:sdtContent></w:sdt>")
            + p(runs=r("Visit ") + '<w:hyperlink r:id="rIdL1">' + r("the NHS website") + "</w:hyperlink>" + r("."))
            + '<w:sdt><w:sdtPr><w:tag w:val="body"/></w:sdtPr><w:sdtContent>' + p("Inside a block control.")
            + "</w:sdtContent></w:sdt>" + END)
    leaflet = read(tmp_path, body, links={"rIdL1": "https://www.nhs.uk/"})
    assert leaflet.meta.title == "Bowel preparation" and not leaflet.meta.provisional_title
    para = leaflet.blocks[0]
    assert isinstance(para, Paragraph)
    assert [link.url for link in iter_links(para.content)] == ["https://www.nhs.uk/"]
    assert outline(leaflet.blocks) == ["P Visit the NHS website.", "P Inside a block control."]


def test_template_placeholder_is_left_out_and_makes_a_draft(tmp_path: Path) -> None:
    placeholder = ('<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>'
                   + p("Click or tap here to enter text.") + "</w:sdtContent></w:sdt>")
    leaflet = read(tmp_path, TITLE + p("Real text.") + placeholder + END)
    assert body_text(leaflet) == "P Real text."
    assert "placeholder" in leaflet.meta.unfinished[0]


# --- Headers and footers: facts only ----------------------------------------------------


def test_facts_from_headers_and_footers_never_body(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    header = p("Eastbridge Hospitals NHS Foundation Trust") + p("Patient information")
    footer_table = table([["Ref: PI/END/0456", "Page " ], ["Review date: June 2028", "Endoscopy Unit"]])
    footer = footer_table.replace(r("Page "), r("Page ") + field("PAGE", "1") + r(" of ") + field("NUMPAGES", "4"))
    first_footer = p(runs=r("Published: ") + '<w:sdt><w:sdtPr><w:date w:fullDate="2025-06-01T00:00:00Z"/></w:sdtPr>'
                     "<w:sdtContent>" + r("June 2025") + "</w:sdtContent></w:sdt>")
    even = p("Please ask if you need this information in another language or format.") + p("Draft template v2 notes")
    with caplog.at_level(logging.WARNING):
        leaflet = read(tmp_path, TITLE + p("Body text only."), headers=[header], footers=[footer, first_footer, even])
    meta = leaflet.meta
    assert body_text(leaflet) == "P Body text only."
    assert meta.code == "PI-END-0456" and meta.code_as_written == "PI/END/0456" and not meta.provisional
    assert meta.organisation == "Eastbridge Hospitals NHS Foundation Trust"
    assert str(meta.next_review) == "2028-06" and str(meta.reviewed) == "2025-06"
    assert meta.department == "Endoscopy Unit" and meta.offer_present
    assert dict(meta.found_in) == {"organisation": "header", "code": "footer", "next_review": "footer",
                                   "department": "footer", "reviewed": "footer", "offer_present": "footer"}
    assert any("Draft template v2 notes" in m for m in caplog.messages)
    assert not any("Page" in m and "1 of 4" in m for m in caplog.messages)


def test_body_facts_win_over_the_footer(tmp_path: Path) -> None:
    leaflet = read(tmp_path, TITLE + p("Text.") + END, footers=[p("Ref: OLD_0001")])
    assert leaflet.meta.code == "END_0456"
    assert "code" not in dict(leaflet.meta.found_in)


# --- Title and headings as people make them -------------------------------------------


@pytest.mark.parametrize("title", [
    p("Having a colonoscopy", "Title"),
    p("Having a colonoscopy", "Heading1"),
    p(runs=r("Having a colonoscopy", '<w:b/><w:sz w:val="40"/>')),
    p(runs=r("Having a ", '<w:sz w:val="36"/>') + r("colonoscopy", '<w:sz w:val="36"/>')),
], ids=["title-style", "heading-1-first", "bold-large", "large-split-runs"])
def test_title_as_people_make_it(tmp_path: Path, title: str) -> None:
    body = (title + p("Endoscopy Unit information.") + p("What is a colonoscopy?", "Heading1")
            + p("A test of the bowel.") + p("After the test", "Heading1") + p("Rest at home.") + END)
    leaflet = read(tmp_path, body, name="END_0456-file-name.docx")
    assert leaflet.meta.title == "Having a colonoscopy" and not leaflet.meta.provisional_title
    assert [line for line in outline(leaflet.blocks) if line.startswith("H")] == [
        "H2 What is a colonoscopy?", "H2 After the test"]


def test_trust_styles_through_the_chain_and_the_style_map(tmp_path: Path) -> None:
    (tmp_path / "word-styles.toml").write_text('[styles]\n"Leaflet Heading A" = "heading 2"\n'
                                               '"Warning Box" = "notice"\n', encoding="utf-8")
    body = (TITLE + p("Why you need the test", "TrustSection") + p("Text one.")
            + p("Who does it", "LeafletHeadingA") + p("Text two.") + p("Do not drive for 24 hours.", "WarnBox")
            + p("After.") + END)
    assert outline(read(tmp_path, body).blocks) == [
        "H2 Why you need the test", "P Text one.", "H3 Who does it", "P Text two.", "> P Do not drive for 24 hours.",
        "P After."]


def test_a_style_no_rule_explains_is_named_once(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    body = (TITLE + p("Why you need the test", "TrustSection") + p("Text one.") + p("Who does it", "LeafletHeadingA")
            + p("Text two.") + p("Who else", "LeafletHeadingA") + p("Text three.") + END)
    with caplog.at_level(logging.WARNING):
        read(tmp_path, body)
    named = [m for m in caplog.messages if "read by their formatting alone" in m]
    assert len(named) == 1 and "'Leaflet Heading A'" in named[0] and "Trust Section" not in named[0]
    (tmp_path / "word-styles.toml").write_text('[styles]\n"Leaflet Heading A" = "heading 2"\n', encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        read(tmp_path, body)
    assert not [m for m in caplog.messages if "read by their formatting alone" in m], "a mapped style is explained"


def test_bad_style_map_is_named(tmp_path: Path) -> None:
    (tmp_path / "word-styles.toml").write_text('[styles]\n"Leaflet Heading A" = "chapter"\n', encoding="utf-8")
    with pytest.raises(LeafletError) as err:
        read(tmp_path, TITLE + p("Text.") + END)
    assert "word-styles.toml" in str(err.value) and "chapter" in str(err.value) and ":2" in str(err.value)


def test_formatted_headings_ranked_by_size_and_bold_warnings_stay(tmp_path: Path) -> None:
    big = '<w:b/><w:sz w:val="32"/>'
    body = (TITLE + p(runs=r("What is sedation?", big)) + p("Sedation makes you feel relaxed.")
            + p(runs=r("On the day", "<w:b/>")) + p("Bring your medicines.")
            + p(runs=r("Do not drive for 24 hours after sedation", "<w:b/>")) + p("A friend must take you home.")
            + p(runs=r("Call 999 if you have chest pain", "<w:b/>")) + p(runs=r("Risks", big)) + p("Rare.") + END)
    lines = outline(read(tmp_path, body).blocks)
    assert [x for x in lines if not x.startswith("P ") or "999" in x or "drive" in x] == [
        "H2 What is sedation?", "H3 On the day", "P Do not drive for 24 hours after sedation",
        "P Call 999 if you have chest pain", "H2 Risks"]


def test_one_odd_paragraph_does_not_switch_headings_off(tmp_path: Path) -> None:
    odd = p(runs=r("This whole paragraph is bold and long, which a leaflet sometimes does for emphasis, and ends "
                   "with a full stop.", "<w:b/>"))
    body = (TITLE + odd + p(runs=r("Before the test", "<w:b/>")) + p("Text.") + p(runs=r("After the test", "<w:b/>"))
            + p("More.") + END)
    assert [x for x in outline(read(tmp_path, body).blocks) if x.startswith("H")] == [
        "H2 Before the test", "H2 After the test"]


# --- Lists from numbering -------------------------------------------------------------


def test_lists_from_numbering_styles_and_typed_markers(tmp_path: Path) -> None:
    body = (TITLE + p("Bring:")
            + numbered("your medicines", 1) + numbered("in their boxes", 1, ilvl=1) + numbered("a dressing gown", 1)
            + p("Steps:") + numbered("Arrive at 8am", 2) + numbered("Change", 2) + numbered("with help", 2, ilvl=1)
            + p("Continue:") + numbered("Fourth step", 6) + numbered("Fifth step", 6)
            + p("By style:") + p("first", "ListBullet") + p("second level", "ListBullet2")
            + p("Linked style:") + numbered("linked one", 4) + numbered("linked deeper", 4, ilvl=1)
            + p("Typed:") + p("•\tTyped bullet one") + p(runs='<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>'
                                                            + r("\tSymbol bullet"))
            + p("o\tTyped second level") + p("1.\tTyped number")
            + p("No marker", ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr>')
            + p("Removed from the list.", "ListBullet", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>') + END)
    assert outline(read(tmp_path, body).blocks) == [
        "P Bring:", "- your medicines", "  - in their boxes", "- a dressing gown",
        "P Steps:", "1. Arrive at 8am", "2. Change", "  1. with help",
        "P Continue:", "4. Fourth step", "5. Fifth step",
        "P By style:", "- first", "  - second level",
        "P Linked style:", "- linked one", "  - linked deeper",
        "P Typed:", "- Typed bullet one", "- Symbol bullet", "  - Typed second level", "1. Typed number",
        "P No marker",
        "P Removed from the list."]


# --- Tables ---------------------------------------------------------------------------


def test_merged_cells_expanded_so_each_row_keeps_its_meaning(tmp_path: Path) -> None:
    rows = [["Medicine", "Morning", "Evening"], ["Bisoprolol 2.5mg", "1 tablet", ""], ["", "1 tablet", "1 tablet"],
            ["Aspirin 75mg", "1 tablet", "none"]]
    tcpr = {(1, 0): '<w:vMerge w:val="restart"/>', (2, 0): "<w:vMerge/>", (1, 1): '<w:gridSpan w:val="2"/>'}
    leaflet = read(tmp_path, TITLE + table(rows, tcpr=tcpr, skip={(1, 2)}) + END)
    assert outline(leaflet.blocks) == [
        "T Medicine | Morning | Evening", "T Bisoprolol 2.5mg | 1 tablet | ",
        "T Bisoprolol 2.5mg | 1 tablet | 1 tablet",
        "T Aspirin 75mg | 1 tablet | none"]


@pytest.mark.parametrize("box", [
    table([["Call 999 if you have severe bleeding."]], tcpr={(0, 0): '<w:shd w:val="clear" w:fill="FFE5E5"/>'}),
    table([["Call 999 if you have severe bleeding."]]),
    p("Call 999 if you have severe bleeding.", ppr='<w:shd w:val="clear" w:fill="FFE5E5"/>'),
    p("Call 999 if you have severe bleeding.", ppr='<w:pBdr><w:top w:val="single"/><w:left w:val="single"/>'
      '<w:bottom w:val="single"/><w:right w:val="single"/></w:pBdr>'),
], ids=["shaded-cell", "one-cell", "shaded-paragraph", "bordered-paragraph"])
def test_a_box_is_a_notice_not_a_table(tmp_path: Path, box: str) -> None:
    leaflet = read(tmp_path, TITLE + p("Before.") + box + p("After.") + END)
    assert outline(leaflet.blocks) == ["P Before.", "> P Call 999 if you have severe bleeding.", "P After."]
    assert "|" not in body_text(leaflet)


def test_contacts_table_gives_contacts(tmp_path: Path) -> None:
    rows = [["Endoscopy Unit", "0113 496 0790", "Monday to Friday, 8am to 6pm"],
            ["Ward 5", "0113 496 0123", "24 hours"]]
    leaflet = read(tmp_path, TITLE + p("Contact us") + table(rows) + END)
    assert [(c.label, c.phone) for c in leaflet.meta.contacts] == [
        ("Endoscopy Unit", "0113 496 0790"), ("Ward 5", "0113 496 0123")]


# --- Words exactly as written ---------------------------------------------------------


def test_characters_exactly_as_written(tmp_path: Path) -> None:
    runs = (r("“Nil by mouth” – from midnight;\u00a00113\u00a0496 ") + r("0790", "<w:b/>") + r(" ")
            + "<w:r><w:t>X</w:t><w:noBreakHyphen/><w:t>ray</w:t><w:softHyphen/><w:t>s</w:t></w:r>"
            + '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>')
    leaflet = read(tmp_path, TITLE + p(runs=runs) + END)
    para = leaflet.blocks[0]
    assert isinstance(para, Paragraph)
    assert inline_text(para.content) == "“Nil by mouth” – from midnight;\u00a00113\u00a0496 0790 X\u2011rays✓"
    assert any(isinstance(node, Strong) for node in para.content)


def test_phone_number_split_over_runs_is_one_text(tmp_path: Path) -> None:
    leaflet = read(tmp_path, TITLE + p(runs=r("Call 0113 ") + r("496") + r(" 0790 today.")) + END)
    para = leaflet.blocks[0]
    assert isinstance(para, Paragraph) and len(para.content) == 1
    assert leaflet.meta.contacts and leaflet.meta.contacts[0].phone == "0113 496 0790"


# --- Refusals in one line -------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize(("name", "data", "says"), [
    ("old.doc", OLE, "Word 97-2003"),
    ("locked.docx", OLE, "password-protected"),
    ("macro.docx", docx(TITLE, main_type="application/vnd.ms-word.document.macroEnabled.main+xml"), "macro-enabled"),
    ("macro.docm", docx(TITLE), "macro-enabled"),
    ("damaged.docx", b"PK\x03\x04 this is not really a zip", "damaged"),
    ("text.docx", b"Just some text saved with the wrong name", "damaged"),
    ("empty.docx", _zip({"hello.txt": b"x"}), "not a Word document"),
    ("bomb.docx", _zip({f"word/p{i}.xml": b"" for i in range(2100)}), "parts"),
    ("ratio.docx", _zip({"_rels/.rels": b"<x/>", "word/document.xml": b" " * 30_000_000}), "zip bomb"),
    ("template.odt", b"PK", "OpenDocument"),
], ids=lambda v: v if isinstance(v, str) and not v.startswith(("PK", "Just")) else "")
def test_refused_in_one_line(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LeafletError) as err:
        read_leaflet(str(path))
    message = str(err.value)
    assert says in message and str(path) in message and "\n" not in message


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    data = docx(TITLE + END)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["word/document.xml"] = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                                  + parts["word/document.xml"].split(b"?>", 1)[1].replace(b"Having", b"&b;Having"))
    path = tmp_path / "entity.docx"
    path.write_bytes(_zip(parts))
    with pytest.raises(LeafletError, match="DOCTYPE"):
        read_leaflet(str(path))


def test_what_cannot_be_placed_is_named(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    body = (TITLE + p(runs=r("Formula: ") + "<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>")
            + p(runs='<w:r><w:object><v:shape/></w:object></w:r>' + r("Embedded."))
            + p(runs='<w:r><w:drawing><wp:inline><wp:docPr id="3" name="Picture 3" descr="A cannula in a hand"/>'
                '<a:graphic><a:graphicData><pic:pic/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
                + r("See the picture."))
            + END)
    with caplog.at_level(logging.WARNING):
        read(tmp_path, body)
    said = " ".join(caplog.messages)
    assert "an equation left out" in said and "an embedded object" in said
    assert "a picture without its image (Picture 3)" in said


def test_make_reads_word_leaflets_in_the_folder(run_cli) -> None:  # type: ignore[no-untyped-def]
    Path("leaflets/END_0456-colonoscopy.docx").write_bytes(docx(
        TITLE + p("What is a colonoscopy?", "Heading1") + p("A test that looks inside your bowel.") + END))
    result = run_cli("build", "--format", "text", "--locale", "en_GB")
    assert result.code == 0, result.err
    text = Path("output/END_0456/en_GB/END_0456-en_GB.txt").read_text(encoding="utf-8")
    assert "Having a colonoscopy" in text and "A test that looks inside your bowel." in text


def test_a_document_in_the_folder_that_cannot_be_read_is_named(run_cli) -> None:  # type: ignore[no-untyped-def]
    Path("leaflets/old-leaflet.doc").write_bytes(OLE)
    Path("leaflets/~$colonoscopy.docx").write_bytes(b"owner file")
    result = run_cli("build", "--format", "text", "--locale", "en_GB")
    assert "leaflets/old-leaflet.doc" in result.err and "Word 97-2003" in result.err
    assert "~$colonoscopy.docx" in result.err and "lock file" in result.err
    assert result.code == 0, "the readable leaflets are still built"


def test_unfinished_word_leaflet_builds_only_as_a_draft_and_is_not_issued(run_cli) -> None:  # type: ignore[no-untyped-def]
    tracked = (r("Ring 0113 496 0") + '<w:del w:id="1" w:author="J. Smith"><w:r><w:delText>788</w:delText></w:r>'
               '</w:del><w:ins w:id="2" w:author="J. Smith">' + r("790") + "</w:ins>" + r(" with questions."))
    Path("leaflets/END_0456-colonoscopy.docx").write_bytes(docx(TITLE + p(runs=tracked) + END))
    built = run_cli("build", "leaflets/END_0456-colonoscopy.docx", "--format", "text", "--locale", "en_GB")
    assert built.code == 0
    assert "its files are DRAFTS, not for patients: 2 tracked change(s) not yet accepted or rejected (by J. Smith)" \
        in built.err
    assert not Path("output/END_0456/en_GB/END_0456-en_GB.txt").exists()
    text = Path("output/END_0456/en_GB/END_0456-en_GB-DRAFT.txt").read_text(encoding="utf-8")
    assert "DRAFT" in text[:300]
    assert "0113 496 0790" in text and "0788" not in text
    served = run_cli("request", "END_0456", "--format", "text", "--ref", "T-1")
    assert served.code == 1 and "tracked change(s)" in served.out + served.err


CY = '<w:lang w:val="cy-GB"/>'


def test_a_welsh_word_leaflet_is_read_as_welsh(tmp_path: Path) -> None:
    body = (p(runs=r("Gofalu am eich clwyf", CY), style="Title") + p(runs=r("Cadwch y rhwymyn yn sych am 48 awr.", CY))
            + p(runs=r("Ffoniwch y ward os yw'r clwyf yn gwaedu.", CY)) + END)
    leaflet = read(tmp_path, body)
    assert leaflet.meta.language == "cy" and leaflet.meta.source_language == "cy"


def test_english_text_marked_welsh_by_the_proofing_setting_stays_english(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    body = (TITLE + p(runs=r("Keep the dressing dry for 48 hours and call the ward if it bleeds.", CY))
            + p(runs=r("You can take your usual tablets with a sip of water.", CY)) + END)
    with caplog.at_level(logging.WARNING):
        leaflet = read(tmp_path, body)
    assert leaflet.meta.language == "en_GB"
    assert any("reads as English" in m for m in caplog.messages)


def test_a_bilingual_leaflet_is_named_as_such(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    body = (p(runs=r("Gofalu am eich clwyf", CY), style="Title")
            + p(runs=r("Cadwch y rhwymyn yn sych am 48 awr. Ffoniwch y ward os yw'r clwyf yn gwaedu.", CY))
            + p(runs=r("Keep the dressing dry. Call the ward if it bleeds.", '<w:lang w:val="en-GB"/>'))
            + END)
    with caplog.at_level(logging.WARNING):
        leaflet = read(tmp_path, body)
    assert leaflet.meta.language == "cy"
    assert any("bilingual" in m and "cy" in m and "en" in m for m in caplog.messages)


def test_a_welsh_leaflet_goes_through_make_without_a_readability_formula(run_cli) -> None:  # type: ignore[no-untyped-def]
    body = (p(runs=r("Gofalu am eich clwyf", CY), style="Title") + p(runs=r("Cadwch y rhwymyn yn sych am 48 awr.", CY))
            + END)
    Path("leaflets/END_0456-clwyf.docx").write_bytes(docx(body))
    built = run_cli("build", "leaflets/END_0456-clwyf.docx", "-f", "text", "-f", "html")
    assert built.code == 0, built.err
    assert 'lang="cy-GB"' in Path("output/END_0456/cy/END_0456-cy.html").read_text(encoding="utf-8")
    assert run_cli("readability", "--write").code == 0
    said = run_cli("readability", "leaflets/END_0456-clwyf.docx")
    assert said.code == 0 and "no validated readability formula" in said.out
    assert run_cli("check", "leaflets/END_0456-clwyf.docx").code == 0


EN = '<w:lang w:val="en-GB"/>'


def _bilingual() -> bytes:
    return docx(p(runs=r("Gofalu am eich clwyf", CY), style="Title")
                + p(runs=r("Cadwch y rhwymyn yn sych am ddau ddiwrnod. Ffoniwch y ward os yw'r clwyf yn gwaedu.", CY))
                + p(runs=r("Caring for your wound", EN), style="Heading1")
                + p(runs=r("Keep the dressing dry. Call the ward if it bleeds.", EN))
                + p(runs=r("Gwybodaeth bellach", CY), style="Heading1")
                + p(runs=r("Mae'r nyrsys ar gael bob dydd i ateb eich cwestiynau am y clwyf.", CY)) + END)


def test_a_bilingual_leaflet_keeps_each_paragraphs_language(tmp_path: Path) -> None:
    from pipeline.exporters.docx import export_docx
    from pipeline.exporters.epub import read_along
    from pipeline.exporters.html import export_html
    from pipeline.i18n.messages import units
    from pipeline.speech.script import speech_script

    path = tmp_path / "END_0456-clwyf.docx"
    path.write_bytes(_bilingual())
    leaflet = read_leaflet(str(path))
    assert leaflet.meta.language == "cy"
    langs = [(type(b).__name__, b.lang) for b in leaflet.blocks if isinstance(b, Heading | Paragraph)]
    assert langs == [("Paragraph", None), ("Heading", "en_GB"), ("Paragraph", "en_GB"), ("Heading", None),
                     ("Paragraph", None)]
    page = export_html(leaflet)
    assert '<p lang="en-GB" dir="ltr">Keep the dressing dry.' in page and '<html lang="cy-GB"' in page
    with zipfile.ZipFile(io.BytesIO(export_docx(leaflet))) as zf:
        document = zf.read("word/document.xml").decode()
    assert document.count('w:lang w:val="en-GB"') == 2, "the English heading's and paragraph's runs"
    pieces = {p.text: p.locale for p in read_along(leaflet)}
    assert pieces["Keep the dressing dry."] == "en_GB" and pieces["Caring for your wound."] == "en_GB"
    assert any(locale == "cy" for text, locale in pieces.items() if text.startswith("Cadwch"))
    lines = [line for section in speech_script(leaflet) for line in section.paragraphs]
    assert [line.locale for line in lines if line[0].startswith(("Keep", "Caring"))] == ["en_GB", "en_GB"]
    assert {u.msgid for u in units(leaflet)}.isdisjoint({"Keep the dressing dry. Call the ward if it bleeds.",
                                                         "Caring for your wound"}), "English is not translated"


def test_a_bilingual_leaflets_audio_speaks_each_language_with_its_voice(run_cli_all) -> None:  # type: ignore[no-untyped-def]
    Path("leaflets/END_0456-clwyf.docx").write_bytes(_bilingual())
    built = run_cli_all("build", "leaflets/END_0456-clwyf.docx", "-f", "audio", "--tts", "espeak")
    assert built.code == 0, built.err
    assert "spoken by" in built.err and "are spoken by the" not in built.err, "both languages had a voice"
    assert Path("output/END_0456/cy/END_0456-cy.mp3").stat().st_size > 10_000


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
                                 "file:///etc/passwd", "\\\\host\\share\\x.exe", "//evil.example/x", "vbscript:x"])
def test_a_word_link_that_is_not_web_email_or_phone_is_dropped_keeping_its_text(tmp_path: Path, url: str,
                                                                                 caplog) -> None:  # type: ignore[no-untyped-def]
    body = TITLE + p(runs=r("See ") + '<w:hyperlink r:id="rIdBad">' + r("our page") + "</w:hyperlink>" + r(".")) + END
    with caplog.at_level(logging.WARNING):
        leaflet = read(tmp_path, body, links={"rIdBad": url})
    para = leaflet.blocks[0]
    assert isinstance(para, Paragraph) and inline_text(para.content) == "See our page."
    assert not list(iter_links(para.content))
    assert any("only web, e-mail and phone links are kept" in m for m in caplog.messages)
