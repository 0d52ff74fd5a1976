"""Translation as agencies work: XLIFF and a bilingual Word table out, and back in through every check.

The files are read with the libraries a translator's tools use: translate-toolkit for the
XLIFF (its placeables are how CAT tools see protected parts), python-docx for the table.
"""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.i18n.catalogues import read_catalog

LOCALES = ("pl", "cy", "ur")
LUNG = "leaflets/RAD_0102-ct-guided-lung-biopsy.md"
XLIFF = "urn:oasis:names:tc:xliff:document:1.2"


def _po(locale: str) -> Path:
    return Path(f"locales/{locale}/LC_MESSAGES/RAD_0102.po")


def _export(run_cli, locale: str, fmt: str = "xliff") -> Path:  # type: ignore[no-untyped-def]
    done = run_cli("i18n", "export", "RAD_0102", locale, "--format", fmt)
    assert done.code == 0, done.err
    path = Path(f"output/exchange/RAD_0102-{locale}.{'xlf' if fmt == 'xliff' else 'docx'}")
    assert path.exists() and str(path) in done.out
    return path


def _units(path: Path) -> list[etree._Element]:
    return etree.fromstring(path.read_bytes()).findall(f".//{{{XLIFF}}}trans-unit")


@pytest.mark.parametrize("locale", LOCALES)
def test_an_xliff_export_is_read_by_translate_toolkit_with_its_parts_protected(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    from translate.storage import xliff
    from translate.storage.placeables import lisa
    from translate.storage.placeables import xliff as xliff_placeables

    path = _export(run_cli, locale)
    store = xliff.xlifffile.parsestring(path.read_bytes())
    units = [u for u in store.units if u.getid()]
    catalog = read_catalog(_po(locale), locale)
    assert len(units) == len([m for m in catalog if m.id]) == 47
    ids = [re.sub(r".*(u[0-9a-f]{16})$", r"\1", u.getid()) for u in units]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"u[0-9a-f]{16}", i) for i in ids)
    assert all(not u.isfuzzy() for u in units), "translated, not fuzzy: approved as po2xliff writes it"
    assert {n for u in units for n in u.getnotes().split("\n")} >= {"Title", "Paragraph in: Contacting us"}
    with_phone = [u for u in units if u.source_dom.find(f".//{{{XLIFF}}}x[@id='phone1']") is not None]
    assert with_phone
    for unit in with_phone:
        for dom in (unit.source_dom, unit.target_dom):
            placeables = [p for p in lisa.xml_to_strelem(dom).depth_first() if isinstance(p, xliff_placeables.X)]
            assert "phone1" in {p.id for p in placeables}, "a CAT tool sees the phone number as a protected tag"
    bold = [u for u in units if u.source_dom.find(f".//{{{XLIFF}}}g[@ctype='bold']") is not None]
    assert bold and all(u.target_dom.find(f".//{{{XLIFF}}}g[@ctype='bold']") is not None for u in bold)
    assert "{phone1}" not in "".join(str(u.source) for u in units), "no placeholder left as editable text"


@pytest.mark.parametrize("locale", LOCALES)
def test_an_unchanged_export_imports_as_no_change(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    before = _po(locale).read_bytes()
    for fmt in ("xliff", "docx"):
        path = _export(run_cli, locale, fmt)
        done = run_cli("i18n", "import", path)
        assert done.code == 0, done.out + done.err
        assert "changed 0, unchanged 47" in done.out
        assert _po(locale).read_bytes() == before


def test_a_cat_tool_edit_round_trips_through_translate_toolkit(run_cli) -> None:  # type: ignore[no-untyped-def]
    """A translator's tool (translate-toolkit here) edits a target, keeping its tags, and saves the file."""
    from translate.storage import xliff

    path = _export(run_cli, "pl")
    store = xliff.xlifffile.parsestring(path.read_bytes())
    unit = next(u for u in store.units if u.getid() and u.target_dom.find(f".//{{{XLIFF}}}x[@id='phone1']")
                is not None and "Respiratory" in str(u.source))
    unit.target_dom.text = "Pielęgniarki oddziału chorób płuc, tel. "  # the tags stay where they are
    path.write_bytes(bytes(store))
    done = run_cli("i18n", "import", path)
    assert done.code == 0, done.out + done.err
    assert "changed 1," in done.out
    entry = next(m for m in read_catalog(_po("pl"), "pl") if m.id and "Respiratory" in m.id)
    assert entry.string == "Pielęgniarki oddziału chorób płuc, tel. {phone1}."
    assert not entry.fuzzy


def _remove(element: etree._Element) -> None:
    """Take an inline element out, keeping the text after it (as deleting a tag in an editor does)."""
    parent, previous = element.getparent(), element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (element.tail or "")
    else:
        parent.text = (parent.text or "") + (element.tail or "")
    parent.remove(element)


@pytest.mark.parametrize(("edit", "said"), [
    (lambda x: x.set("id", "phone2"), "differ from the English's: bold, phone2 for bold, phone1"),
    (_remove, "differ from the English's: bold for bold, phone1"),
    (lambda x: x.set("id", "br1"), "differ from the English's"),
])
def test_a_unit_whose_placeholder_was_edited_is_refused(run_cli, edit, said: str) -> None:  # type: ignore[no-untyped-def]
    path = _export(run_cli, "pl")
    before = _po("pl").read_bytes()
    root = etree.fromstring(path.read_bytes())
    edit(root.find(f".//{{{XLIFF}}}target//{{{XLIFF}}}x[@id='phone1']"))
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    done = run_cli("i18n", "import", path)
    assert done.code == 1 and "refused 1" in done.out and "REFUSED" in done.out, done.out + done.err
    assert said in done.out, done.out
    assert _po("pl").read_bytes() == before, "nothing else changed, so nothing is written"


def test_a_failing_translation_is_refused_and_the_rest_taken(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _export(run_cli, "cy")
    root = etree.fromstring(path.read_bytes())
    targets = root.findall(f".//{{{XLIFF}}}target")
    four = next(t for t in targets if "4" in "".join(t.itertext()) and "awr" in "".join(t.itertext()))
    for node in four.iter():
        node.text = node.text.replace("4", "2") if node.text else node.text
        node.tail = node.tail.replace("4", "2") if node.tail and node is not four else node.tail
    title = targets[0]
    title.text = "Biopsi ysgyfaint dan arweiniad CT (wedi'i diwygio)"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    done = run_cli("i18n", "import", path)
    assert done.code == 1, done.out + done.err
    assert "changed 1," in done.out and "refused 1" in done.out and "missing or changed: 4" in done.out
    catalog = read_catalog(_po("cy"), "cy")
    assert next(m for m in catalog if m.id == "CT-guided lung biopsy").string.endswith("(wedi'i diwygio)")


def test_an_export_for_an_old_english_is_refused_naming_what_changed(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _export(run_cli, "pl")
    source = Path(LUNG)
    text = source.read_text(encoding="utf-8")
    assert "A biopsy means taking a small piece of tissue" in text
    source.write_text(text.replace("A biopsy means taking a small piece of tissue",
                                   "A biopsy means taking a very small piece of tissue"), encoding="utf-8")
    assert run_cli("i18n", "update").code == 0
    before = _po("pl").read_bytes()
    done = run_cli("i18n", "import", path)
    assert done.code == 2, done.out + done.err
    assert "made for another version of the English" in done.err
    assert "'A biopsy means taking a small piece of tissue" in done.err and "is now 'A biopsy means taking a very" \
        in done.err
    assert _po("pl").read_bytes() == before


def test_the_word_table_round_trips_right_to_left_and_with_bold(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _export(run_cli, "ur", "docx")
    document = docx.Document(str(path))
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["ID", "Section", "English", "Translation (ur)", "Notes"]
    assert len(table.rows) == 48
    settings = document.settings.element.xml
    assert 'w:edit="readOnly"' in settings and 'w:enforcement="1"' in settings
    assert 'w:edGrp="everyone"' in table.rows[1].cells[3]._tc.xml, "the translation cell is the editable range"
    assert "<w:bidi/>" in table.rows[1].cells[3]._tc.xml and "<w:rtl/>" in table.rows[1].cells[3]._tc.xml
    bold_row = next(r for r in table.rows[1:] if any(run.bold for run in r.cells[2].paragraphs[0].runs))
    assert any(run.bold for run in bold_row.cells[3].paragraphs[0].runs)
    phone_row = next(r for r in table.rows[1:] if "{phone1}" in r.cells[2].text)
    assert "{phone1}" in phone_row.cells[3].text
    # The translator replaces one translation, in Word, keeping the shaded {phone1}.
    row = next(r for r in table.rows[1:] if r.cells[2].text.startswith("Respiratory Nurse Specialists"))
    cell = row.cells[3]
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    for run in cell.paragraphs[0].runs:
        run._r.getparent().remove(run._r)
    cell.paragraphs[0].add_run("سانس کی بیماریوں کی ماہر نرسیں، فون ")
    cell.paragraphs[0].add_run("{phone1}")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    done = run_cli("i18n", "import", path)
    assert done.code == 0 and "changed 1," in done.out, done.out + done.err
    entry = next(m for m in read_catalog(_po("ur"), "ur") if m.id and m.id.startswith("Respiratory Nurse"))
    assert entry.string == "سانس کی بیماریوں کی ماہر نرسیں، فون {phone1}"
    # The same row with its placeholder typed differently is refused.
    cell.paragraphs[0].runs[1].text = "{phone3}"
    document.save(buffer := io.BytesIO())
    path.write_bytes(buffer.getvalue())
    done = run_cli("i18n", "import", path)
    assert done.code == 1 and "REFUSED" in done.out, done.out + done.err


@pytest.mark.parametrize(("content", "said"), [
    (b"not xml at all", "not readable as XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff version="1.2">&e;</xliff>',
     "not exported by this pipeline"),
    (b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file/></xliff>',
     "not exported by this pipeline"),
])
def test_a_file_that_is_not_an_export_is_refused_in_one_line(run_cli, tmp_path: Path, content: bytes,  # type: ignore[no-untyped-def]
                                                            said: str) -> None:
    path = tmp_path / "agency.xlf"
    path.write_bytes(content)
    done = run_cli("i18n", "import", path)
    assert done.code == 2 and said in done.err and "Traceback" not in done.err, done.err
    assert "root:" not in done.err


def test_an_import_for_a_language_not_in_linguas_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _export(run_cli, "pl")
    linguas = Path("locales/LINGUAS")
    linguas.write_text(linguas.read_text(encoding="utf-8").replace("\npl\n", "\n"), encoding="utf-8")
    done = run_cli("i18n", "import", path)
    assert done.code == 2 and "is not in locales/LINGUAS" in done.err, done.err


def test_a_needs_review_state_comes_back_as_fuzzy(run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _export(run_cli, "pl")
    root = etree.fromstring(path.read_bytes())
    unit = root.find(f".//{{{XLIFF}}}trans-unit")
    target = unit.find(f"{{{XLIFF}}}target")
    target.set("state", "needs-review-translation")
    copy.deepcopy(target)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    done = run_cli("i18n", "import", path)
    assert done.code == 0 and "changed 1," in done.out, done.out
    assert next(m for m in read_catalog(_po("pl"), "pl") if m.id == "CT-guided lung biopsy").fuzzy


# --- Word counts and the memory across leaflets -------------------------------------------------

LIVER = """---
organisation: Northfield Hospitals NHS Foundation Trust
---

# CT-guided liver biopsy

## Before your appointment

Please tell us **at least 7 days before** your appointment if you take any of these medicines:

- warfarin, apixaban, rivaroxaban, edoxaban or dabigatran (blood thinners);
- injections to thin your blood, such as enoxaparin.

## Your results

The doctor who asked for the biopsy will give you the results, usually within 3 weeks.

## Contacting us

Out of hours, call NHS 111.

**Please ask if you need this information in another language or format.**

RAD\\_0110

Reviewed: October 2026. Next review due: October 2028.
"""


def test_a_shared_message_is_filled_from_another_leaflet_and_shown_as_needing_review(run_cli) -> None:  # type: ignore[no-untyped-def]
    from pipeline.i18n.memory import MEMORY_COMMENT, SUGGESTION_COMMENT

    Path("leaflets/RAD_0110-ct-guided-liver-biopsy.md").write_text(LIVER, encoding="utf-8")
    before = run_cli("i18n", "status", "--json")
    assert before.code == 0
    done = run_cli("i18n", "update")
    assert done.code == 0, done.err
    assert "from translation memory" in done.out
    catalog = read_catalog(Path("locales/pl/LC_MESSAGES/RAD_0110.po"), "pl")
    lung = {m.id: m.string for m in read_catalog(_po("pl"), "pl") if m.id}
    shared = next(m for m in catalog if m.id == "Out of hours, call NHS {phone1}.")
    assert shared.string == lung["Out of hours, call NHS {phone1}."]
    assert shared.fuzzy, "filled from memory: to review, never built unchecked as if translated here"
    assert any(c.startswith(MEMORY_COMMENT) and "RAD_0102" in c for c in shared.user_comments)
    bold = next(m for m in catalog if m.id and m.id.startswith("Please tell us **at least 7 days before**"))
    assert bold.string and bold.fuzzy
    near = next(m for m in catalog if m.id and m.id.startswith("The doctor who asked for the biopsy"))
    assert not near.string, "a near match is never used as the translation"
    assert SUGGESTION_COMMENT in " ".join(near.auto_comments) and "RAD_0102" in " ".join(near.auto_comments)
    new = next(m for m in catalog if m.id == "CT-guided liver biopsy")
    assert not new.string
    # Nothing filled from memory is built until a translator confirms it.
    build = run_cli("build", "leaflets/RAD_0110-ct-guided-liver-biopsy.md", "-l", "pl", "-f", "text")
    assert not Path("output/RAD_0110/pl/RAD_0110-pl.txt").exists(), build.err
    # The status counts the words the memory offers and says so.
    status = run_cli("i18n", "status", "leaflets/RAD_0110-ct-guided-liver-biopsy.md")
    assert "fuzzy" in status.out and "from memory" in status.out
    # A second update changes nothing (no comment added twice).
    po = Path("locales/pl/LC_MESSAGES/RAD_0110.po").read_bytes()
    assert run_cli("i18n", "update").code == 0
    assert Path("locales/pl/LC_MESSAGES/RAD_0110.po").read_bytes() == po


def test_word_counts_as_a_quote_counts_them(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Counted by hand: RAD_0110's Polish before any translation, with RAD_0102 translated."""
    from pipeline.i18n.memory import words

    assert words("Call **{phone1}** or see [the page]({link1}).") == 5  # placeholders and markup not counted
    assert words("Take 2 tablets at 8am, 1 at 6pm.") == 8  # numbers are words; 8am one word
    assert words("CT-guided biopsy: don't eat.") == 4  # hyphenated and apostrophised words are one
    Path("leaflets/RAD_0110-ct-guided-liver-biopsy.md").write_text(LIVER, encoding="utf-8")
    assert run_cli("i18n", "extract").code == 0
    import json

    assert run_cli("i18n", "update").code == 0
    rows = {r["locale"]: r for r in json.loads(run_cli("i18n", "status", "leaflets/RAD_0110-ct-guided-liver-biopsy.md",
                                                        "--json", "--csv", tmp_path / "quote.csv").out)}
    pl = rows["pl"]
    # By hand: the title 3 ("CT-guided" is one word); "Before your appointment" 3; the bold paragraph 17; the
    # list items 8 and 8; "Your results" 2; the results sentence 16; "Contacting us" 2; "Out of hours, call
    # NHS {phone1}." 5 (the number not counted); the offer line 12.  All but the title, the second list item
    # and the results sentence (3 weeks, not 2) are in other leaflets: update filled them, to review.
    assert pl["words_total"] == 3 + 3 + 17 + 8 + 8 + 2 + 16 + 2 + 5 + 12 == 76
    assert pl["words_fuzzy"] == 3 + 17 + 8 + 2 + 2 + 5 + 12
    assert pl["words_new"] == 3 + 8 + 16
    assert rows["ro"]["words_total"] == 76
    text = (tmp_path / "quote.csv").read_text(encoding="utf-8")
    assert text.startswith("leaflet,locale,state,") and "RAD_0110,pl," in text
