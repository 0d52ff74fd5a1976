"""Translation catalogues: extraction, GNU msgfmt, updates, the checks that protect patients."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from babel.messages.catalog import Catalog

from pipeline.i18n.catalogues import (
    catalog_bytes,
    direction,
    language_name,
    month_year,
    new_catalog,
    read_catalog,
    update_catalog,
)
from pipeline.i18n.checks import check_message
from pipeline.i18n.extract import template
from pipeline.i18n.messages import from_message, to_message, units
from pipeline.model import Link, Strong, Text
from pipeline.readers import read_leaflet
from tests.conftest import LEAFLETS, LOCALES, ROOT, soffice

MSGFMT = shutil.which("msgfmt")
CATALOGUES = sorted(LOCALES.glob("*.pot")) + sorted(LOCALES.glob("*/LC_MESSAGES/*.po"))


def set_msgstr(po: Path, msgid_start: str, new: str) -> None:
    """Replace the translation of the message whose msgid starts with ``msgid_start``."""
    catalog = read_catalog(po)
    message = next(m for m in catalog if m.id and str(m.id).startswith(msgid_start))
    message.string = new
    po.write_bytes(catalog_bytes(catalog))


def msgstr(po: Path, msgid_start: str) -> str:
    return str(next(m for m in read_catalog(po) if m.id and str(m.id).startswith(msgid_start)).string)


# --- Catalogue files ----------------------------------------------------------


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext not installed (apt-get install gettext)")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALES)))
def test_msgfmt_accepts_every_catalogue(path: Path, tmp_path: Path) -> None:
    done = subprocess.run([MSGFMT, "-c", "-o", str(tmp_path / "x.mo"), str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    if path.suffix == ".po":
        assert done.stderr == "", done.stderr  # complete header: no warnings at all


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(LOCALES)))
def test_read_then_write_changes_nothing(path: Path) -> None:
    assert catalog_bytes(read_catalog(path)) == path.read_bytes()


def test_headers_and_review_status() -> None:
    po = LOCALES / "pl" / "LC_MESSAGES" / "END_0031.po"
    text = po.read_text(encoding="utf-8")
    assert '"Language: pl\\n"' in text
    assert "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4" in text
    assert "charset=utf-8" in text
    catalog = read_catalog(po)
    assert "NOT checked by a qualified translator" in catalog.last_translator
    assert catalog.header("X-Checked-By") is None
    catalog.set_header("X-Checked-By", "A. Kowalska (NRPSI 12345)")
    catalog.set_header("X-Checked-Date", "2026-11-20")
    again = read_catalog_bytes(catalog_bytes(catalog))
    assert again.header("X-Checked-By") == "A. Kowalska (NRPSI 12345)"


def read_catalog_bytes(data: bytes):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import PoFileParser

    from pipeline.i18n.catalogues import _Catalog

    catalog = _Catalog()
    PoFileParser(catalog).parse(io.BytesIO(data))
    return catalog


# --- Extraction ------------------------------------------------------------------


def test_one_message_per_block_with_comments_references_and_placeholders() -> None:
    source = "leaflets/RAD_0102-ct-guided-lung-biopsy.md"
    leaflet = read_leaflet(str(ROOT / source))
    pot = template(leaflet, source)
    ids = [str(m.id) for m in pot if m.id]
    assert ids[0] == "CT-guided lung biopsy"
    assert "warfarin, apixaban, rivaroxaban, edoxaban or dabigatran (blood thinners);" in ids
    assert "About 1 in 5 people" in ids  # table cell
    risks = next(m for m in pot if m.id == "About 1 in 5 people")
    assert risks.auto_comments[0] == "Table cell in: What are the risks?"
    contact = next(m for m in pot if str(m.id).startswith("CT Department"))
    assert contact.id == "CT Department, Tel {phone1} (Monday-Friday 9am-5pm)."
    assert "0118 496 0123" in " ".join(contact.auto_comments)
    assert "python-brace-format" in contact.flags
    assert contact.locations == [(source, 69)]
    assert ROOT.joinpath(source).read_text(encoding="utf-8").splitlines()[68].startswith("CT Department")
    link = next(m for m in pot if "Trust visit" in str(m.id))
    assert link.id == "To find out more about our Trust visit [{url1}]({link1})"
    assert not any("RAD_0102" in i or "0118" in i or "http" in i for i in ids), "no codes, phones or URLs"
    heading = next(m for m in pot if m.id == "What are the risks?")
    assert heading.auto_comments == ["Heading"]


def test_msgctxt_where_one_text_has_two_roles(tmp_path: Path) -> None:
    path = tmp_path / "TST_0002-x.md"
    path.write_text("# T\n\n## Risks\n\nRisks\n\n- Risks\n- Other\n\nTST_0002\n", encoding="utf-8")
    pot = template(read_leaflet(str(path)), "x.md")
    contexts = sorted((m.context or "") for m in pot if m.id == "Risks")
    assert contexts == ["heading", "list item", "paragraph"]


def test_messages_round_trip_inline_markup() -> None:
    inlines = (Text("Call "), Strong((Text("0118 496 0123"),)), Text(" or see "),
               Link("https://x.nhs.uk/a", (Text("our *site*"),)), Text(" {now}"))
    message, values = to_message(inlines)
    assert message == "Call **{phone1}** or see [our \\*site\\*]({link1}) {{now}}"
    assert from_message(message, dict(values)) == inlines


def test_pybabel_extract_uses_our_extractor(tmp_path: Path) -> None:
    pybabel = Path(sys.executable).parent / "pybabel"
    if not pybabel.exists():
        pytest.skip("pybabel not installed in this environment")
    out = tmp_path / "all.pot"
    done = subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-o", str(out), "."],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pot = out.read_text(encoding="utf-8")
    assert 'msgid "CT-guided lung biopsy"' in pot
    assert "#. Table cell in: What are the risks?" in pot
    assert "leaflets/PHY_0015-after-a-hip-replacement.txt:" in pot


# --- Locale data --------------------------------------------------------------------


def test_locale_names_dates_and_direction() -> None:
    import datetime as dt

    assert language_name("pl") == "Polski"
    assert language_name("cy") == "Cymraeg"
    assert language_name("ur") == "اردو"
    assert month_year(dt.date(2026, 5, 1), "pl") == "maj 2026"
    assert month_year(dt.date(2026, 5, 1), "cy") == "Mai 2026"
    assert direction("ur") == "rtl" and direction("ar") == "rtl" and direction("pl") == "ltr"


# --- Checks ----------------------------------------------------------------------


@pytest.mark.parametrize(("source", "translation", "problem"), [
    ("Take **1** tablet", "Weź **2** tabletki", "number(s) missing or changed: 1"),
    ("Stop 5 days before", "Przerwij 7 dni wcześniej", "number(s) missing or changed: 5"),
    ("About 1 in 200", "Około 1 na 2000", "number(s) missing or changed: 200"),
    ("Call {phone1} now", "Zadzwoń 0118 496 0124", "{phone1} (phone number) is missing"),
    ("See [our site]({link1}).", "Zobacz naszą stronę.", "links: 1 in the English, 0 here"),
    ("**Do not eat.**", "Nie jedz.", "bold text in the English is not bold here"),
    ("**Do not eat.**", "**Nie jedz.", "unbalanced markup"),
    ("Do not eat.", "", "translation is empty"),
    ("Do not eat.", "Do not eat.", "identical to the English"),
])
def test_check_catches(source: str, translation: str, problem: str) -> None:
    problems = check_message(source, translation)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(("source", "translation"), [
    ("Take 2 tablets", "خذ ٢ أقراص"),  # Arabic-Indic digits
    ("Take 2 tablets", "۲ گولیاں لیں"),  # Urdu (extended Arabic-Indic) digits
    ("Take 2 tablets", "২টি ট্যাবলেট নিন"),  # Bengali digits
    ("Open 8.30am-5pm", "Otwarte 8:30–17:00"),  # 24-hour clock for a pm time
    ("2-4 hours, 50% of people", "2–4 godziny, 50% osób"),
    ("Call {phone1} (Monday-Friday 9am-12 noon).", "Tel. {phone1} (pon.–pt. 9:00–12:00)."),
])
def test_check_accepts_faithful_translations(source: str, translation: str) -> None:
    assert check_message(source, translation) == []


def test_check_refuses_a_wrong_afternoon_hour() -> None:
    assert check_message("Open 9am-5pm", "Otwarte 9:00–15:00")


def test_babel_fuzzy_match_never_carries_an_old_dose_silently() -> None:
    """Babel's difflib match copies "Take **2** tablets" into "Take **1** tablet"."""
    old = Catalog()
    old.add("Take **2** tablets each morning with water.", locations=[("x.md", 5)])
    po = new_catalog(old, "pl")
    po["Take **2** tablets each morning with water."].string = "Weź **2** tabletki każdego ranka, popijając wodą."
    new = Catalog()
    new.add("Take **1** tablet each morning with water.", locations=[("x.md", 5)])
    fuzzy = update_catalog(po, new)
    message = po["Take **1** tablet each morning with water."]
    assert [m.id for m in fuzzy] == [message.id]
    assert message.fuzzy, "the carried-over translation is marked fuzzy"
    assert message.previous_id == ["Take **2** tablets each morning with water."]
    problems = check_message(str(message.id), str(message.string))
    assert any("number(s) missing or changed: 1" in p for p in problems), "and its changed number is caught"


# --- Building and checking as a user does -------------------------------------------


def test_make_builds_every_complete_locale_and_skips_the_incomplete_one(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build")
    assert result.code == 0, result.err
    for code in ("END_0031", "PHY_0015", "RAD_0102"):
        for locale in ("en_GB", "pl", "cy", "ur"):
            assert Path(f"output/{code}/{locale}/{code}-{locale}.docx").exists()
        assert not Path(f"output/{code}/ro").exists()
        assert f"{code} ro: not built".lower() in result.err.lower()
    assert "untranslated" in result.err
    polish = Path("output/RAD_0102/pl/RAD_0102-pl.txt").read_text(encoding="utf-8")
    assert polish.startswith("Biopsja płuca")
    assert "\nPolski (Polish)\n" in polish
    assert "To tłumaczenie nie zostało sprawdzone" in polish and "has not been checked" in polish
    assert "0118 496 0123" in polish, "phone numbers come from the source"
    assert "Data przeglądu: wrzesień 2026" in polish
    document = docx.Document("output/RAD_0102/pl/RAD_0102-pl.docx")
    first_page = " ".join(p.text for p in document.paragraphs[:4])
    assert "has not been checked by a qualified translator" in first_page
    assert document.core_properties.language == "pl-PL"


def test_explicitly_requested_locale_that_is_refused_exits_1(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "leaflets/END_0031-sedation-fasting.md", "--locale", "ro")
    assert result.code == 1
    assert "END_0031 ro: not built".lower() in result.err.lower() and "19 of 28 message(s) untranslated" in result.err


def test_draft_build_is_marked_and_named(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "leaflets/END_0031-sedation-fasting.md", "--locale", "ro", "--draft")
    assert result.code == 0, result.err
    text = Path("output/END_0031/ro/END_0031-ro-DRAFT.txt").read_text(encoding="utf-8")
    assert "DRAFT: not checked, not for issue to patients" in text
    assert "Postul înainte de sedare" in text and "Sedation makes you relaxed" in text  # English fall-back
    document = docx.Document("output/END_0031/ro/END_0031-ro-DRAFT.docx")
    assert any("DRAFT: not checked" in p.text for p in document.paragraphs[:4])
    assert not Path("output/END_0031/ro/END_0031-ro.docx").exists()


def test_check_and_build_catch_a_changed_number_phone_and_link(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = run_cli("check")
    assert before.code == 1, "the deliberately incomplete Romanian is reported"
    assert all(": ro: incomplete:" in line or ": ro: labels incomplete" in line for line in before.out.splitlines()), \
        before.out
    po = Path("locales/pl/LC_MESSAGES/RAD_0102.po")
    set_msgstr(po, "The biopsy usually takes", "Biopsja trwa zwykle około 30 do 50 minut.")
    set_msgstr(po, "CT Department", "Pracownia TK, tel. 0118 496 0999 (poniedziałek–piątek 9:00–17:00).")
    set_msgstr(po, "To find out more", "Więcej informacji o naszym szpitalu: {url1}")
    result = run_cli("check")
    assert result.code == 1
    out = result.out
    assert "pl: 'The biopsy usually takes about 30 to 45" in out and "45" in out
    assert "{phone1} (phone number) is missing" in out
    assert "links: 1 in the English, 0 here" in out
    built = run_cli("build", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert built.code == 0
    assert not Path("output/RAD_0102/pl").exists() or not list(Path("output/RAD_0102/pl").glob("*.docx"))
    assert "RAD_0102 pl: not built".lower() in built.err.lower() and "number(s)" in built.err
    assert Path("output/RAD_0102/cy/RAD_0102-cy.docx").exists()


def test_edited_source_makes_the_message_fuzzy_until_fixed(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    assert Path("output/PHY_0015/pl/PHY_0015-pl.docx").exists()
    source = Path("leaflets/PHY_0015-after-a-hip-replacement.txt")
    source.write_text(source.read_text(encoding="utf-8").replace("hold for 5 seconds", "hold for 10 seconds"),
                      encoding="utf-8")
    assert run_cli("i18n", "update").code == 0
    po = Path("locales/pl/LC_MESSAGES/PHY_0015.po")
    message = next(m for m in read_catalog(po) if m.id and "Buttock squeezes" in str(m.id))
    assert message.fuzzy and "10 seconds" in str(message.id)
    built = run_cli("build")
    assert "PHY_0015 pl: not built".lower() in built.err.lower() and "fuzzy" in built.err
    assert not Path("output/PHY_0015/pl/PHY_0015-pl.docx").exists(), "the old translation is withdrawn"
    # The translator fixes the number and clears the fuzzy flag:
    catalog = read_catalog(po)
    fixed = catalog[str(message.id)]
    fixed.string = str(fixed.string).replace("5 sekund", "10 sekund")
    fixed.flags.discard("fuzzy")
    po.write_bytes(catalog_bytes(catalog))
    again = run_cli("build")
    assert "PHY_0015 pl: not built".lower() not in again.err.lower(), again.err
    assert "10 sekund" in Path("output/PHY_0015/pl/PHY_0015-pl.txt").read_text(encoding="utf-8")


def test_stale_catalogue_is_not_built(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    source.write_text(source.read_text(encoding="utf-8").replace(
        "## Your results", "## Your results\n\nA new paragraph about results."), encoding="utf-8")
    result = run_cli("check")
    assert result.code == 1 and "out of date" in result.out
    built = run_cli("build", source, "--locale", "cy")
    assert built.code == 1 and "1 message(s) of the current leaflet are not in the catalogue" in built.err


def test_status_table_and_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    run_cli("build")
    table = run_cli("i18n", "status")
    assert table.code == 0
    rows = {tuple(line.split()[:2]): line for line in table.out.splitlines()[1:]}
    assert "47/47" in rows[("RAD_0102", "ur")] and "NOT CHECKED" in rows[("RAD_0102", "ur")]
    assert "READY (unchecked notice)" in rows[("RAD_0102", "ur")] and "REFUSED" in rows[("RAD_0102", "ro")]
    assert "docx, epub, giant-print, html, large-print, text" in rows[("RAD_0102", "ur")]
    import json

    data = json.loads(run_cli("i18n", "status", "--json").out)
    ro = next(r for r in data if r["leaflet"] == "END_0031" and r["locale"] == "ro")
    assert ro["untranslated"] == 19 and ro["state"] == "refused" and ro["built"] == []
    assert "19 of 28 message(s) untranslated" in ro["why"][0]
    pl = next(r for r in data if r["leaflet"] == "END_0031" and r["locale"] == "pl")
    assert pl["state"] == "ready-unchecked", "an unchecked translation is never shown as plainly ready"
    assert pl["checked"] == "not checked by a qualified translator"
    assert pl["translated"] + pl["fuzzy"] + pl["untranslated"] + pl["not_in_catalogue"] == pl["total"]


def test_adding_a_locale_is_one_line_and_update(run_cli) -> None:  # type: ignore[no-untyped-def]
    linguas = Path("locales/LINGUAS")
    linguas.write_text(linguas.read_text(encoding="utf-8") + "pa\n", encoding="utf-8")
    result = run_cli("i18n", "update")
    assert result.code == 0
    assert "created locales/pa/LC_MESSAGES/RAD_0102.po" in result.out
    assert "Language: pa" in Path("locales/pa/LC_MESSAGES/RAD_0102.po").read_text(encoding="utf-8")
    assert "updated" not in result.out.replace("unchanged", ""), "existing catalogues are left as they are"


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("babel_version", ["2.18.0", "3.0.0"])
def test_extract_and_update_write_nothing_when_no_english_changed(run_cli, monkeypatch, babel_version) -> None:  # type: ignore[no-untyped-def]
    """Neither the clock nor the installed Babel's version changes a catalogue file; a changed message does."""
    import babel.messages.catalog

    monkeypatch.setattr(babel.messages.catalog, "VERSION", babel_version)
    before = _snapshot(Path("locales"))
    assert run_cli("i18n", "extract").code == 0
    assert run_cli("i18n", "update").code == 0
    assert _snapshot(Path("locales")) == before, "no English changed, so no catalogue may be written"

    source = Path("leaflets/END_0031-sedation-fasting.md")
    text = source.read_text(encoding="utf-8")
    old = re.search(r"^[A-Z][^\n]{20,}\.$", text, re.M)
    assert old is not None
    source.write_text(text.replace(old.group(0), old.group(0)[:-1] + " today."), encoding="utf-8")
    assert run_cli("i18n", "update").code == 0
    after = _snapshot(Path("locales"))
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == sorted(["END_0031.pot", *(f"{loc}/LC_MESSAGES/END_0031.po" for loc in ("cy", "pl", "ro", "ur"))])
    for name in changed:
        header = re.findall(rb'^"Generated-By: .*$', after[name][0], re.M)
        assert header == [b'"Generated-By: nhs-leaflet-pipeline\\n"'], "no tool's version is written into a catalogue"


def test_new_catalogue_names_no_tool_version(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    linguas = Path("locales/LINGUAS")
    linguas.write_text(linguas.read_text(encoding="utf-8") + "bn\n", encoding="utf-8")
    assert run_cli("i18n", "update").code == 0
    text = Path("locales/bn/LC_MESSAGES/END_0031.po").read_text(encoding="utf-8")
    assert '"Generated-By: nhs-leaflet-pipeline\\n"' in text
    assert catalog_bytes(read_catalog(Path("locales/bn/LC_MESSAGES/END_0031.po"))) == text.encode("utf-8")
    # A catalogue from another tool without the header is written back without it, unchanged.
    other = Path("other.po")
    other.write_text(text.replace('"Generated-By: nhs-leaflet-pipeline\\n"\n', ""), encoding="utf-8")
    assert "Generated-By" not in other.read_text(encoding="utf-8")
    assert catalog_bytes(read_catalog(other)) == other.read_bytes()


def test_compile_writes_mo_files(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("i18n", "compile")
    assert result.code == 0
    assert Path("build/locale/pl/LC_MESSAGES/RAD_0102.mo").stat().st_size > 1000


def test_urdu_docx_is_right_to_left(tmp_path: Path) -> None:
    from pipeline.exporters.docx import export_docx
    from pipeline.i18n.translate import review, translate

    source = LEAFLETS / "RAD_0102-ct-guided-lung-biopsy.md"
    leaflet = read_leaflet(str(source))
    po = LOCALES / "ur" / "LC_MESSAGES" / "RAD_0102.po"
    catalog = read_catalog(po, "ur")
    rev = review(leaflet, catalog, "ur", po)
    assert rev.buildable, rev.problems()
    urdu = translate(leaflet, catalog, "ur", rev)
    assert urdu.meta.direction == "rtl" and urdu.meta.language == "ur"
    data = export_docx(urdu)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert body.count("<w:bidi/>") > 40 and "<w:rtl/>" in body and "<w:bidiVisual/>" in body
    assert re.search(r"<w:sectPr[^>]*>.*<w:bidi/>", body)
    assert 'w:lang w:val="ur-PK" w:eastAsia="ur-PK" w:bidi="ur-PK"' in styles
    assert 'w:szCs w:val="24"' in styles and 'w:cs="Arial"' in styles
    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    target = tmp_path / "RAD_0102-ur.docx"
    target.write_bytes(data)
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "odt",
                    "--outdir", str(tmp_path), str(target)], check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "RAD_0102-ur.odt") as z:
        content = z.read("content.xml").decode() + z.read("styles.xml").decode()
    assert 'style:writing-mode="rl-tb"' in content, "LibreOffice reads the paragraphs as right-to-left"
    assert "سی ٹی کی رہنمائی میں پھیپھڑے کی بایوپسی" in content


def test_every_unit_round_trips_through_its_message() -> None:
    for source in sorted(LEAFLETS.iterdir()):
        for unit in units(read_leaflet(str(source))):
            inlines = from_message(unit.msgid, dict(unit.values))
            assert to_message(inlines) == (unit.msgid, unit.values)


def test_a_checked_catalogue_drops_the_unchecked_notice(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    signed = run_cli("i18n", "sign-off", "END_0031", "cy", "--name", "Example Checker", "--qualification",
                     "qualified translator", "--date", "2026-11-20")
    assert signed.code == 0, signed.err
    assert run_cli("build", "leaflets/END_0031-sedation-fasting.md", "-l", "cy", "-l", "pl").code == 0
    welsh = Path("output/END_0031/cy/END_0031-cy.txt").read_text(encoding="utf-8")
    polish = Path("output/END_0031/pl/END_0031-pl.txt").read_text(encoding="utf-8")
    assert "has not been checked" not in welsh and "has not been checked" in polish
    entry = json.loads(Path("output/END_0031/cy/manifest.json").read_text(encoding="utf-8"))["files"]["END_0031-cy.txt"]
    assert entry["checked_by"] == "Example Checker (qualified translator)" and entry["checked_on"] == "2026-11-20"
    assert entry["language"] == "cy" and entry["draft"] is False


@pytest.mark.parametrize("field", ["Content-Type: text/plain; charset=ISO-8859-2", "Language: cy",
                                   "Plural-Forms: nplurals=1; plural=0;", "X-Checked-By: Someone",
                                   "content-type: text/plain; charset=UTF-8"])
def test_a_header_field_given_twice_is_refused(tmp_path: Path, field: str) -> None:
    from pipeline.errors import LeafletError

    text = (LOCALES / "pl" / "LC_MESSAGES" / "END_0031.po").read_text(encoding="utf-8")
    if field.startswith("X-Checked-By"):
        text = text.replace('"Language: pl\\n"', '"Language: pl\\n"\n"X-Checked-By: A\\n"', 1)
    text = text.replace('"MIME-Version: 1.0\\n"', f'"MIME-Version: 1.0\\n"\n"{field}\\n"', 1)
    po = tmp_path / "END_0031.po"
    po.write_text(text, encoding="utf-8")
    with pytest.raises(LeafletError, match="twice") as err:
        read_catalog(po, "pl")
    assert err.value.line is not None
