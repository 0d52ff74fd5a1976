"""A corpus of Word leaflets of our own, made the ways trusts' documents are made.

* hand-written WordprocessingML in Word's shape (tests/wordml.py): text boxes, tracked
  changes, comments, hidden template notes, facts in footers, a trust's own styles, a
  medicines chart with merged cells;
* python-docx (what scripts and mail-merges write): built-in styles, bold-line headings;
* LibreOffice from HTML and from ODT (what a team gets when it saves a web page or an
  OpenDocument file as Word).

Each document's expected reading (its outline and facts) and its text export are golden
files under tests/golden/word/ (``pytest --regenerate`` rewrites them); each also lists
words that must reach the text output and words (hidden, deleted, comments) that never may.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx as python_docx
import pytest
from docx.shared import Pt

from pipeline.exporters.text import export_text
from pipeline.model import Leaflet
from pipeline.readers import read_leaflet
from tests.conftest import soffice
from tests.test_word import outline
from tests.wordml import docx, numbered, p, r, table, textbox_run
from tests.wordml import field as wfield

END = p("Leaflet code: {code}") + p("Reviewed: March 2026. Next review due: March 2029.")
OFFER = p("Please ask if you need this information in another language or format.")


@dataclass
class Case:
    make: Callable[[], bytes] | str
    """Bytes of the .docx, or the name of an HTML file in tests/fixtures/word/ for LibreOffice."""
    must: list[str]
    never: list[str] = field(default_factory=list)
    draft: bool = False
    via_odt: bool = False


def _end(code: str) -> str:
    return END.replace("{code}", code)


def _boxes() -> bytes:
    box = p("Come back to the Emergency Department if:") + numbered("the wound bleeds through the dressing", 1) \
        + numbered("you have a fever over 38°C", 1)
    warning = p("Call 999 if you have chest pain or cannot breathe.")
    return docx(p("Caring for your wound", "Title") + p("This leaflet tells you how to look after your wound.")
                + p("Keeping it clean", "Heading1")
                + p(runs=r("Keep the dressing dry for 48 hours. ") + textbox_run(box))
                + p("When to get help", "Heading1") + p(runs=r("Most wounds heal well.") + textbox_run(warning))
                + p("Ring the ward on 0113 496 0555 with any questions.") + OFFER + _end("ED_0101"))


def _tracked() -> bytes:
    phone = (r("Ring the Stroke Unit on 0113 496 0") + '<w:del w:id="1" w:author="Nurse Lee"><w:r><w:delText>788'
             '</w:delText></w:r></w:del><w:ins w:id="2" w:author="Nurse Lee">' + r("790") + "</w:ins>" + r("."))
    aspirin = ('<w:del w:id="3" w:author="Dr Khan"><w:r><w:delText>You can also give them aspirin.</w:delText>'
               "</w:r></w:del>")
    return docx(p("Stroke: what to do", "Title") + p("Act fast", "Heading1")
                + p("If you think someone is having a stroke, call 999 at once.") + p(runs=aspirin)
                + p(runs=phone) + OFFER + _end("STR_0007"))


def _hidden_and_comments() -> bytes:
    comment = ('<w:comment w:id="0" w:author="Editor"><w:p w14:paraId="0A0B0C0D">' + r("Check this dose") + "</w:p>"
               "</w:comment>")
    body = (p("Taking iron tablets", "Title") + p("Delete this note before printing: use the trust template.",
                                                   "TemplateNote")
            + p("How to take them", "Heading1")
            + p(runs='<w:commentRangeStart w:id="0"/>' + r("Take one tablet a day with orange juice.")
                + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>')
            + p(runs=r("Side effects include dark stools. ") + r("Internal: update after audit.", "<w:vanish/>"))
            + OFFER + _end("HAE_0042"))
    return docx(body, comments=comment)


def _footer_facts() -> bytes:
    footer = table([["Ref: PI/CARD/0310", ""], ["Published: May 2025", "Review date: May 2028"]])
    footer = footer.replace(r(""), r("Page ") + wfield("PAGE", "1") + r(" of ") + wfield("NUMPAGES", "2"), 1)
    header = p("Northfield University Hospitals NHS Foundation Trust") + p("Cardiology Department")
    return docx(p("Your heart monitor", "Title") + p("Why you have a monitor", "Heading1")
                + p("The monitor records your heart rhythm for 24 hours.") + p("Looking after it", "Heading1")
                + p("Do not get the monitor wet.") + p("Cardiology Day Unit: 0113 496 0321 (Monday to Friday, 9am to "
                                                       "5pm)"),
                headers=[header], footers=[footer, p("Please ask if you need this information in another language "
                                                     "or format.")])


def _trust_styles() -> bytes:
    return docx(p("Physiotherapy after a fracture", "Title") + p("Why exercise matters", "TrustSection")
                + p("Gentle exercise helps your bone heal.") + p("Exercises to do", "LeafletHeadingA")
                + numbered("Bend your elbow 10 times", 2) + numbered("Straighten it 10 times", 2)
                + p("Stop if the pain gets worse.", "WarnBox") + OFFER + _end("PHY_0220"))


def _medicines() -> bytes:
    rows = [["Medicine", "Morning", "Evening"], ["Bisoprolol 2.5mg", "1 tablet", ""], ["", "", "1 tablet"],
            ["Ramipril 5mg", "none", "1 tablet"]]
    tcpr = {(1, 0): '<w:vMerge w:val="restart"/>', (2, 0): "<w:vMerge/>"}
    return docx(p("Your heart medicines", "Title") + p("When to take them", "Heading1") + table(rows, tcpr=tcpr)
                + p(runs=r("Never stop a medicine without asking your doctor.", "<w:b/>")) + OFFER + _end("CARD_0099"))


def _python_docx_styles() -> bytes:
    document = python_docx.Document()
    document.add_paragraph("Going home after a hip replacement", style="Title")
    document.add_heading("Walking", level=1)
    document.add_paragraph("Use your frame or crutches for the first 6 weeks.")
    document.add_paragraph("Walk a little every hour.", style="List Bullet")
    document.add_paragraph("Rest with your leg raised.", style="List Bullet")
    document.add_paragraph("Use a pillow under the calf.", style="List Bullet 2")
    document.add_heading("Getting help", level=1)
    document.add_paragraph("Orthopaedic Ward 7, Tel 0113 496 0777 (24 hours)")
    document.add_paragraph("Please ask if you need this information in another language or format.")
    section = document.sections[0]
    section.footer.paragraphs[0].text = "Leaflet code: ORTH_0015 | Next review due: January 2029"
    section.header.paragraphs[0].text = "Westmoor Hospitals NHS Trust"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _python_docx_formatted() -> bytes:
    document = python_docx.Document()
    title = document.add_paragraph().add_run("Eye drops after cataract surgery")
    title.bold, title.font.size = True, Pt(20)
    document.add_paragraph("You will need eye drops for 4 weeks after your operation.")
    for heading, text in (("How to put in your drops", "Wash your hands first. Tilt your head back."),
                          ("When to get help", "Ring the Eye Clinic on 0113 496 0999 if your eye is red or painful.")):
        run = document.add_paragraph().add_run(heading)
        run.bold, run.font.size = True, Pt(14)
        document.add_paragraph(text)
    warning = document.add_paragraph().add_run("Do not rub your eye for 2 weeks.")
    warning.bold = True
    document.add_paragraph("Please ask if you need this information in another language or format.")
    document.add_paragraph("Leaflet code: OPH_0033")
    document.add_paragraph("Reviewed: June 2026. Next review due: June 2029.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CASES: dict[str, Case] = {
    "wordml-text-boxes": Case(_boxes, ["Come back to the Emergency Department if:", "you have a fever over 38°C",
                                       "Call 999 if you have chest pain or cannot breathe."]),
    "wordml-tracked-changes": Case(_tracked, ["0113 496 0790", "call 999 at once"], ["0788", "aspirin"], draft=True),
    "wordml-hidden-and-comments": Case(_hidden_and_comments, ["orange juice", "dark stools"],
                                       ["Delete this note", "Internal", "Check this dose"], draft=True),
    "wordml-footer-facts": Case(_footer_facts, ["records your heart rhythm", "0113 496 0321"],
                                ["Page 1", "Ref:", "Published"]),
    "wordml-trust-styles": Case(_trust_styles, ["Bend your elbow 10 times", "Stop if the pain gets worse."]),
    "wordml-medicines-chart": Case(_medicines, ["Bisoprolol 2.5mg", "Ramipril 5mg", "Never stop a medicine"]),
    "python-docx-styles": Case(_python_docx_styles, ["first 6 weeks", "Use a pillow under the calf."]),
    "python-docx-formatted": Case(_python_docx_formatted, ["Tilt your head back.", "Do not rub your eye"]),
    "libreoffice-from-html": Case("gastroscopy.html", ["Small sips only.", "Omeprazole 20mg"]),
    "libreoffice-from-odt": Case("blood-test.html", ["Drink plenty of water", "0113 496 0246"], via_odt=True),
}
FIXTURE_HTML = Path(__file__).parent / "fixtures" / "word"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case as a .docx file, LibreOffice's made in one batch per route."""
    folder = tmp_path_factory.mktemp("word-corpus")
    (folder / "word-styles.toml").write_text('[styles]\n"Leaflet Heading A" = "heading 2"\n"Warning Box" = "notice"\n',
                                             encoding="utf-8")
    made: dict[str, Path] = {}
    for name, case in CASES.items():
        if callable(case.make):
            (folder / f"{name}.docx").write_bytes(case.make())
            made[name] = folder / f"{name}.docx"
    office = soffice()
    if office is None:
        return made
    for name, case in CASES.items():
        if isinstance(case.make, str):
            source = folder / f"{name}.html"
            shutil.copy(FIXTURE_HTML / case.make, source)
            profile = f"-env:UserInstallation=file://{folder}/profile"
            if case.via_odt:
                subprocess.run([office, profile, "--headless", "--convert-to", "odt", "--outdir", str(folder / "odt"),
                                str(source)], check=True, capture_output=True, timeout=120)
                source = folder / "odt" / f"{name}.odt"
            subprocess.run([office, profile, "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                            str(folder), str(source)], check=True, capture_output=True, timeout=120)
            made[name] = folder / f"{name}.docx"
    return made


@pytest.fixture(params=sorted(CASES), ids=str)
def case(request: pytest.FixtureRequest, corpus: dict[str, Path]) -> tuple[str, Path]:
    if request.param not in corpus:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    return request.param, corpus[request.param]


def test_the_corpus_covers_every_way_of_making_a_word_leaflet() -> None:
    kinds = {name.split("-")[0] for name in CASES}
    assert kinds == {"wordml", "python", "libreoffice"} and len(CASES) >= 10


def reading(leaflet: Leaflet) -> str:
    """What a leaflet was read as, for a golden file: its facts, then its outline."""
    meta = leaflet.meta
    facts = [f"title: {meta.title}", f"code: {meta.shown_code}", f"organisation: {meta.organisation}",
             f"department: {meta.department}", f"reviewed: {meta.reviewed}", f"next review: {meta.next_review}",
             f"offer: {meta.offer_present}", f"contacts: {[(c.label, c.phone, c.hours) for c in meta.contacts]}",
             f"found in: {dict(meta.found_in)}", f"draft: {list(meta.unfinished)}"]
    return "\n".join([*facts, "", *outline(leaflet.blocks), ""])


def test_expected_reading(case: tuple[str, Path], golden: Callable[[str, str], None]) -> None:
    name, path = case
    leaflet = read_leaflet(str(path))
    meta = leaflet.meta
    golden(f"word/{name}.reading.txt", reading(leaflet))
    assert bool(meta.unfinished) == CASES[name].draft
    assert not meta.provisional_code and not meta.provisional_title, "title and code are read, not made up"


def test_text_output_and_no_text_lost(case: tuple[str, Path], golden: Callable[[str, str], None]) -> None:
    name, path = case
    text = export_text(read_leaflet(str(path)))
    golden(f"word/{name}.txt", text)
    flat = " ".join(text.split())
    for words in CASES[name].must:
        assert words in flat, f"{name}: {words!r} did not reach the text output"
    for words in CASES[name].never:
        assert words not in flat, f"{name}: {words!r} (hidden, deleted, a comment or a footer) reached the output"
