"""Catalogue faults that reach a patient: lapsed sign-offs, broken or garbled files, duplicates,
withdrawn locales, and catalogues GNU gettext cannot read after a workflow step.

Each class is tried in several locales (pl, cy, ur) on copies of the example catalogues.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.i18n.catalogues import catalog_bytes, read_catalog
from pipeline.i18n.syntax import PoSyntaxError, validate

MSGFMT = shutil.which("msgfmt")
MSGCAT = shutil.which("msgcat")
LOCALES = ("pl", "cy", "ur")
LUNG = "leaflets/RAD_0102-ct-guided-lung-biopsy.md"


def _po(locale: str, code: str = "RAD_0102") -> Path:
    return Path(f"locales/{locale}/LC_MESSAGES/{code}.po")


def _edit(po: Path, msgid_start: str, new: str) -> None:
    catalog = read_catalog(po)
    message = next(m for m in catalog if m.id and str(m.id).startswith(msgid_start))
    message.string = new
    po.write_bytes(catalog_bytes(catalog))


def _gettext_accepts(path: Path) -> None:
    if MSGFMT is None or MSGCAT is None:
        pytest.skip("GNU gettext not installed (apt-get install gettext)")
    for command in ([MSGFMT, "-c", "-o", "/dev/null", str(path)], [MSGCAT, "-o", "/dev/null", str(path)]):
        done = subprocess.run(command, capture_output=True, text=True)
        assert done.returncode == 0, f"{command[0]}: {done.stderr}"


# --- 6. A sign-off is bound to what was checked ----------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_sign_off_lapses_when_a_translation_changes(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    signed = run_cli("i18n", "sign-off", "rad_0102", locale, "--name", "A. Translator",
                     "--qualification", "NRPSI 12345", "--date", "2026-11-20")
    assert signed.code == 0, signed.err
    header = read_catalog(_po(locale))
    assert header.header("X-Checked-By") == "A. Translator (NRPSI 12345)"
    assert header.header("X-Checked-Date") == "2026-11-20" and len(header.header("X-Checked-Fingerprint") or "") == 64
    _gettext_accepts(_po(locale))
    assert run_cli("build", LUNG, "-l", locale, "-f", "text").code == 0
    text = Path(f"output/RAD_0102/{locale}/RAD_0102-{locale}.txt").read_text(encoding="utf-8")
    assert "has not been checked" not in text
    status = json.loads(run_cli("i18n", "status", "--json").out)
    row = next(r for r in status if r["leaflet"] == "RAD_0102" and r["locale"] == locale)
    assert row["state"] == "ready" and row["checked_by"] == "A. Translator (NRPSI 12345)"

    # A later edit (the numbers still pass the checks) makes the sign-off lapse everywhere.
    catalog = read_catalog(_po(locale))
    message = next(m for m in catalog if m.id and str(m.id).startswith("You lie on the CT scanner"))
    message.string = str(message.string) + " "
    _po(locale).write_bytes(catalog_bytes(catalog))
    assert run_cli("build", LUNG, "-l", locale, "-f", "text").code == 0
    text = Path(f"output/RAD_0102/{locale}/RAD_0102-{locale}.txt").read_text(encoding="utf-8")
    assert "has not been checked" in text
    status = json.loads(run_cli("i18n", "status", "--json").out)
    row = next(r for r in status if r["leaflet"] == "RAD_0102" and r["locale"] == locale)
    assert row["state"] == "ready-unchecked" and row["checked_by"] is None
    assert "changed since the sign-off by A. Translator" in row["checked"]
    table = run_cli("i18n", "status").out
    assert "CHANGED SINCE SIGN-OFF" in next(line for line in table.splitlines()
                                            if line.startswith("RAD_0102") and f" {locale} " in line)
    assert "changed since the sign-off" in run_cli("check", LUNG).out


def test_a_hand_written_sign_off_without_fingerprint_does_not_count(run_cli) -> None:  # type: ignore[no-untyped-def]
    catalog = read_catalog(_po("pl"))
    catalog.set_header("X-Checked-By", "Someone")
    _po("pl").write_bytes(catalog_bytes(catalog))
    assert run_cli("build", LUNG, "-l", "pl", "-f", "text").code == 0
    assert "has not been checked" in Path("output/RAD_0102/pl/RAD_0102-pl.txt").read_text(encoding="utf-8")


def test_sign_off_is_refused_for_a_catalogue_that_cannot_be_issued(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("i18n", "sign-off", "RAD_0102", "ro", "--name", "X", "--qualification", "Y")
    assert result.code == 1 and "46 of 47 message(s) untranslated" in result.err
    assert read_catalog(_po("ro")).header("X-Checked-By") is None
    assert run_cli("i18n", "sign-off", "NOPE_0001", "pl", "--name", "X", "--qualification", "Y").code == 2


# --- 7, 8. Charset, syntax and duplicates: refused with file and line --------------------

TITLE = 'msgid "CT-guided lung biopsy"\nmsgstr "'
BROKEN = {
    "missing opening quote": lambda t: t.replace(TITLE, TITLE[:-1], 1),
    "stray line": lambda t: t.replace("\n\n#. Heading", "\na translator's note\n\n#. Heading", 1),
    "unclosed string": lambda t: t.replace('msgid "What is a CT-guided lung biopsy?"',
                                           'msgid "What is a CT-guided lung biopsy?', 1),
    "comment inside an entry": lambda t: t.replace('msgid "What is a CT-guided lung biopsy?"\n',
                                                   'msgid "What is a CT-guided lung biopsy?"\n# note\n', 1),
    "bad escape": lambda t: t.replace(TITLE, TITLE + "\\q", 1),
    "msgid without msgstr": lambda t: t.replace(TITLE, 'msgid "CT-guided lung biopsy"\n\nmsgid "x"\nmsgstr "', 1),
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_po_gnu_gettext_refuses_is_refused_with_its_line(fault: str, locale: str, tmp_path: Path) -> None:
    from tests.conftest import LOCALES as REPO_LOCALES

    text = (REPO_LOCALES / locale / "LC_MESSAGES" / "RAD_0102.po").read_text(encoding="utf-8")
    broken = BROKEN[fault](text)
    assert broken != text, "the fault was applied"
    path = tmp_path / "RAD_0102.po"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(PoSyntaxError) as caught:
        read_catalog(path, locale)
    assert caught.value.line is not None and caught.value.line > 1
    if MSGFMT:
        assert subprocess.run([MSGFMT, "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0


PLURAL_FORMS = {  # value -> what msgfmt -c says (True: accepted); ours must refuse every one it refuses
    "nplurals=-1; plural=0;": False, "nplurals=0; plural=0;": False, "nplurals=2; plural=n/0;": False,
    "nplurals=2; plural=(n%0);": False, "nplurals=2; plural=n%(n-n);": False, "nplurals=2; plural=n**2;": False,
    "nplurals=2; plural=n>1 ? 5 : 0;": False, "nplurals=3; plural=n;": False, "nplurals=2; plural=n-1;": False,
    'nplurals=2; plural=__import__("os").system("id");': False, "nplurals=2; plural=abs(n);": False,
    "nplurals=2; plural=abc;": False, "nplurals=2; plural=n != 1 and 1 or 0;": False,
    "nplurals=2; plural=(n != 1;": False, "nplurals=2; plural=n != 1);": False, "nplurals=2; plural=;": False,
    "nplurals=x; plural=0;": False, "nplurals=2; plural=n ? : 1;": False, "nplurals=2; plural=-n;": False,
    "nplurals=2; plural=" + "(" * 200 + "n" + ")" * 200 + ";": False,
    "nplurals=1; plural=0;": True, "nplurals=2; plural=(n != 1);": True, "nplurals=2; plural=n!=1": True,
    "nplurals=2; plural=n>1;": True, "nplurals=2;": True, " nplurals = 2 ; plural = ( n != 1 ) ;": True,
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);": True,
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);": True,
    "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;": True,
    "nplurals=2; plural=!(n == 1);": True, "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2;": True,
}


@pytest.mark.parametrize("value", sorted(PLURAL_FORMS))
def test_plural_forms_are_checked_as_msgfmt_checks_them(value: str, tmp_path: Path) -> None:
    from tests.conftest import LOCALES as REPO_LOCALES

    text = (REPO_LOCALES / "pl" / "LC_MESSAGES" / "RAD_0102.po").read_text(encoding="utf-8")
    start = text.index('"Plural-Forms:')
    end = text.index('"MIME-Version')
    path = tmp_path / "RAD_0102.po"
    path.write_text(text[:start] + '"Plural-Forms: ' + value.replace('"', '\\"') + '\\n"\n' + text[end:],
                    encoding="utf-8")
    if MSGFMT:
        done = subprocess.run([MSGFMT, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert (done.returncode == 0) == PLURAL_FORMS[value], done.stderr
    if PLURAL_FORMS[value]:
        read_catalog(path, "pl")
    else:
        with pytest.raises(PoSyntaxError, match="Plural-Forms") as caught:
            read_catalog(path, "pl")
        assert caught.value.line is not None


@pytest.mark.parametrize("value", ["nplurals=7; plural=n%7;", "nplurals=999999999; plural=0;",
                                   "nplurals=2; plural=" + "!" * 300 + "n;",
                                   "nplurals=2; plural=" + "+".join(["n"] * 400) + " > 0;"])
def test_more_plural_forms_than_any_language_has_are_refused_though_msgfmt_passes_them(value: str,
                                                                                         tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    f'"Plural-Forms: {value}\\n"\n', encoding="utf-8")
    with pytest.raises(PoSyntaxError, match="1 to 6 plural forms|too long|nested too deeply"):
        read_catalog(path, "pl")


@pytest.mark.parametrize(("locale", "encoding"), [("pl", "iso-8859-2"), ("pl", "cp1250"), ("cy", "iso-8859-14"),
                                                  ("ur", "cp1256")])
def test_a_catalogue_that_is_not_utf8_is_refused_never_garbled(locale: str, encoding: str, tmp_path: Path) -> None:
    from tests.conftest import LOCALES as REPO_LOCALES

    text = (REPO_LOCALES / locale / "LC_MESSAGES" / "RAD_0102.po").read_text(encoding="utf-8")
    path = tmp_path / "RAD_0102.po"
    path.write_bytes(text.replace("charset=utf-8", f"charset={encoding.upper()}").encode(encoding, "replace"))
    with pytest.raises(PoSyntaxError, match="UTF-8"):
        read_catalog(path, locale)
    path.write_bytes(text.replace("charset=utf-8", "charset=ISO-8859-2").encode("utf-8"))  # lies about itself
    with pytest.raises(PoSyntaxError, match="charset=ISO-8859-2"):
        read_catalog(path, "pl")
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(PoSyntaxError, match="UTF-16"):
        read_catalog(path, "pl")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with pytest.raises(PoSyntaxError, match="byte-order mark"):
        read_catalog(path, "pl")


@pytest.mark.parametrize("locale", LOCALES)
def test_duplicate_entries_are_refused_naming_both_lines(locale: str, tmp_path: Path) -> None:
    from tests.conftest import LOCALES as REPO_LOCALES

    text = (REPO_LOCALES / locale / "LC_MESSAGES" / "RAD_0102.po").read_text(encoding="utf-8")
    first = text.index('msgid "What are the risks?"')
    entry = text[first:text.index("\n\n", first)]
    path = tmp_path / "RAD_0102.po"
    path.write_text(text + "\n" + entry.replace('msgstr "', 'msgstr "altered ', 1) + "\n", encoding="utf-8")
    with pytest.raises(PoSyntaxError) as caught:
        read_catalog(path, locale)
    first_line = text[:first].count("\n") + 1
    assert f"duplicate message 'What are the risks?' at lines {first_line} and" in str(caught.value)


def test_crlf_line_ends_and_multiple_strings_are_fine(tmp_path: Path) -> None:
    data = (b'msgid ""\r\nmsgstr ""\r\n"Content-Type: text/plain; charset=UTF-8\\n"\r\n\r\n'
            b'msgid "a" "b"\r\nmsgstr "c"\r\n')
    validate(data, "x.po")


# --- 9. Outputs with no current, readable, passing catalogue are withdrawn ----------------


@pytest.mark.parametrize("locale", LOCALES)
def test_an_unreadable_catalogue_refuses_only_its_leaflet_locale(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    assert Path(f"output/RAD_0102/{locale}/RAD_0102-{locale}.docx").exists()
    po = _po(locale)
    po.write_bytes(po.read_bytes().replace(b'msgstr "', b"msgstr ", 3))
    result = run_cli("build")
    assert result.code == 1
    assert f"RAD_0102 {locale}: not built".lower() in result.err.lower() and "cannot be read" in result.err
    assert f"{po}:" in result.err, "names the file and line"
    assert f"catalogue(s) that cannot be read: RAD_0102 {locale}" in result.err
    assert not Path(f"output/RAD_0102/{locale}").exists(), "its old outputs are withdrawn"
    assert Path(f"output/END_0031/{locale}/END_0031-{locale}.docx").exists(), "the rest is built"
    check = run_cli("check")
    assert check.code == 1 and f"{po}: {locale}: cannot be read" in check.out


@pytest.mark.parametrize("how", ["deleted", "not in LINGUAS"])
def test_a_withdrawn_locale_loses_its_outputs(run_cli, how: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    assert Path("output/PHY_0015/ur/PHY_0015-ur.txt").exists()
    if how == "deleted":
        _po("ur", "PHY_0015").unlink()
    else:
        linguas = Path("locales/LINGUAS")
        linguas.write_text(linguas.read_text(encoding="utf-8").replace("\nur\n", "\n"), encoding="utf-8")
    result = run_cli("build")
    assert result.code == 0
    assert "PHY_0015 ur: withdrew" in result.err and "no catalogue for it any more" in result.err
    assert not Path("output/PHY_0015/ur").exists()
    assert Path("output/PHY_0015/pl/PHY_0015-pl.txt").exists()


@pytest.mark.parametrize("locale", LOCALES)
def test_files_made_with_options_are_withdrawn_with_their_locale(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", LUNG, "-f", "large-print", "--point-size", "24").code == 0
    assert run_cli("build", LUNG).code == 0
    folder = Path(f"output/RAD_0102/{locale}")
    assert (folder / f"RAD_0102-{locale}-large-print-24pt.docx").exists()
    source = Path(LUNG)
    source.write_text(source.read_text(encoding="utf-8").replace("about 30 to 45 minutes", "about 30 to 50 minutes"),
                      encoding="utf-8")
    assert run_cli("i18n", "update").code == 0
    result = run_cli("build")
    assert f"RAD_0102 {locale}: not built".lower() in result.err.lower()
    assert not folder.exists() or not any(folder.iterdir()), sorted(folder.iterdir())
    status = json.loads(run_cli("i18n", "status", "--json").out)
    row = next(r for r in status if r["leaflet"] == "RAD_0102" and r["locale"] == locale)
    assert row["state"] == "refused" and row["built"] == []


def test_withdrawal_never_deletes_what_the_pipeline_did_not_name(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    folder = Path("output/PHY_0015/ur")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][str(outside)] = {"format": "text"}
    manifest["files"]["../../../precious.txt"] = {"format": "text"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "notes-from-the-team.txt").write_text("ours", encoding="utf-8")
    _po("ur", "PHY_0015").unlink()
    run_cli("build")
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert (folder / "notes-from-the-team.txt").exists()
    assert not list(folder.glob("PHY_0015-ur*"))


# --- 10, 11. check reports what the build refuses, stale names its messages -----------------


@pytest.mark.parametrize("locale", LOCALES)
def test_check_reports_fuzzy_and_empty_messages(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    catalog = read_catalog(_po(locale))
    messages = [m for m in catalog if m.id]
    messages[3].flags.add("fuzzy")
    messages[4].string = ""
    _po(locale).write_bytes(catalog_bytes(catalog))
    result = run_cli("check", LUNG)
    assert result.code == 1
    assert f"{_po(locale)}: {locale}: incomplete: 1 untranslated and 1 fuzzy of 47 message(s)" in result.out


@pytest.mark.parametrize("locale", LOCALES)
def test_a_stale_catalogue_names_the_messages_that_differ(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    source = Path(LUNG)
    source.write_text(source.read_text(encoding="utf-8").replace(
        "## Your results", "## Your results\n\nBring your reading glasses."), encoding="utf-8")
    result = run_cli("check", LUNG)
    assert result.code == 1
    assert (f"{locale}: out of date: 1 message(s) of the current leaflet are not in the catalogue: "
            "'Bring your reading glasses.'") in result.out


# --- Every catalogue the pipeline writes passes msgfmt -c and msgcat at every step --------


def test_gnu_gettext_reads_every_catalogue_at_every_workflow_step(run_cli) -> None:  # type: ignore[no-untyped-def]
    def all_catalogues() -> list[Path]:
        return sorted(Path("locales").glob("*.pot")) + sorted(Path("locales").glob("*/LC_MESSAGES/*.po"))

    assert run_cli("i18n", "extract").code == 0
    for path in all_catalogues():
        _gettext_accepts(path)
    source = Path(LUNG)
    text = source.read_text(encoding="utf-8")
    long_paragraph = next(p for p in text.split("\n\n") if len(p) > 150 and p[0].isalpha())
    source.write_text(text.replace(long_paragraph, long_paragraph + " Ask us."), encoding="utf-8")
    for _ in range(2):  # update after an English change, then update again
        assert run_cli("i18n", "update").code == 0
        for path in all_catalogues():
            _gettext_accepts(path)
        po = _po("pl").read_text(encoding="utf-8")
        assert "#| msgid" in po and "# |" not in po
    fuzzy = next(m for m in read_catalog(_po("pl")) if m.fuzzy and m.id)
    assert fuzzy.previous_id == [" ".join(long_paragraph.split("\n"))]
    assert len(fuzzy.previous_id[0]) > 150, "long enough to wrap"
    catalog = read_catalog(_po("cy"))
    assert run_cli("i18n", "sign-off", "END_0031", "cy", "--name", "X", "--qualification", "Y").code == 0
    _gettext_accepts(_po("cy", "END_0031"))
    assert catalog_bytes(read_catalog(_po("cy"))) == catalog_bytes(catalog)


@pytest.mark.parametrize("name", ["A. Translator\nContent-Type: text/plain; charset=latin-1",
                                  "A. Translator\nLanguage: de", "A\x00B", "A\rX-Checked-Date: 1999-01-01",
                                  "A\\nB\\"])
def test_a_catalogue_is_read_back_before_it_replaces_the_original(run_cli, name: str) -> None:  # type: ignore[no-untyped-def]
    """Below the command line's own refusal: whatever reaches the writer, a file the strict reader
    would refuse (or read differently) never replaces a translator's catalogue."""
    import datetime as dt

    from pipeline.errors import LeafletError
    from pipeline.i18n.workflow import sign_off_catalogue
    from pipeline.readers import leaflet_files

    po = _po("cy")
    before = po.read_bytes()
    sources, _ = leaflet_files("leaflets")
    try:
        sign_off_catalogue(sources, "RAD_0102", "cy", Path("locales"), name=name, qualification="MCIL",
                           date=dt.date(2026, 11, 20))
    except LeafletError as exc:
        assert "not written" in exc.message and str(po) in str(exc)
        assert po.read_bytes() == before
    else:  # written only if it reads back exactly as meant
        assert read_catalog(po).header("X-Checked-By") == f"{name} (MCIL)"
        _gettext_accepts(po)


def _brace_faults() -> list[list[str]]:
    from tests.test_translation_safety import _rows

    return [row for row in _rows("faults.tsv") if "not a placeholder" in row[3] or "never closed" in row[3]]


@pytest.mark.parametrize("row", _brace_faults(), ids=lambda r: r[2][:30])
def test_braces_our_check_refuses_msgfmt_refuses_too(row: list[str], tmp_path: Path) -> None:
    from pipeline.i18n.checks import check_message

    locale, english, translation, expected = row
    assert any(expected in p for p in check_message(english, translation, locale))
    if MSGFMT is None:
        pytest.skip("GNU gettext not installed (apt-get install gettext)")
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    f'#, python-brace-format\nmsgid "{english}"\nmsgstr "{translation}"\n', encoding="utf-8")
    assert subprocess.run([MSGFMT, "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0


@pytest.mark.parametrize("locale", LOCALES)
def test_a_fuzzy_header_is_warned_about_and_its_sign_off_does_not_count(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    signed = run_cli("i18n", "sign-off", "RAD_0102", locale, "--name", "A. Translator", "--qualification", "MCIL")
    assert signed.code == 0
    po = _po(locale)
    po.write_text(po.read_text(encoding="utf-8").replace('msgid ""\nmsgstr ""', '#, fuzzy\nmsgid ""\nmsgstr ""', 1),
                  encoding="utf-8")
    built = run_cli("build", LUNG, "-l", locale, "-f", "text")
    assert "header is marked '#, fuzzy'" in built.err, built.err
    text = Path(f"output/RAD_0102/{locale}/RAD_0102-{locale}.txt").read_text(encoding="utf-8")
    assert "has not been checked" in text, "a sign-off in a fuzzy header does not count"
    assert "header is marked '#, fuzzy'" in run_cli("check", LUNG).out + run_cli("check", LUNG).err


@pytest.mark.parametrize("locale", LOCALES)
def test_a_translation_copied_from_another_message_is_refused_unless_flagged(run_cli, locale: str) -> None:  # type: ignore[no-untyped-def]
    po = _po(locale)
    catalog = read_catalog(po)
    source = next(m for m in catalog if m.id == "Why do I need it?")
    _edit(po, "Before your appointment", str(source.string))  # a heading given its neighbour's translation
    check = run_cli("check", LUNG)
    assert check.code == 1 and "the same translation as 'Why do I need it?'" in check.out, check.out
    result = run_cli("build", LUNG, "-l", locale, "-f", "text")
    assert not Path(f"output/RAD_0102/{locale}/RAD_0102-{locale}.txt").exists(), result.err
    catalog = read_catalog(po)
    for message in catalog:
        if message.id in ("Why do I need it?", "Before your appointment"):
            message.flags.add("shared-translation")
    po.write_bytes(catalog_bytes(catalog))
    assert "the same translation as" not in run_cli("check", LUNG).out


@pytest.mark.parametrize("how", ["catalogue deleted", "out of LINGUAS"])
def test_check_names_a_withdrawn_translation_whose_files_are_still_there(run_cli, how: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", LUNG, "-l", "pl", "-f", "text").code == 0
    assert Path("output/RAD_0102/pl/RAD_0102-pl.txt").exists()
    assert "withdrawn translation" not in run_cli("check", LUNG).out
    if how == "catalogue deleted":
        _po("pl").unlink()
    else:
        linguas = Path("locales/LINGUAS")
        linguas.write_text("\n".join(line for line in linguas.read_text(encoding="utf-8").splitlines()
                                     if line.strip() != "pl") + "\n", encoding="utf-8")
    check = run_cli("check", LUNG)
    assert check.code == 1 and "output/RAD_0102/pl: files of a withdrawn translation" in check.out, check.out
    assert "requests --affected-by RAD_0102" in check.out
    assert run_cli("build", LUNG, "-f", "text").code in (0, 1)
    assert not Path("output/RAD_0102/pl/RAD_0102-pl.txt").exists(), "the build removes them, as the line says"
    assert "withdrawn translation" not in run_cli("check", LUNG).out
