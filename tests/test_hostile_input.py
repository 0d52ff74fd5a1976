"""Careless and hostile input: what a Word paste, a shared output drive or a wrong file can bring."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import unicodedata
from pathlib import Path

import docx
import pytest

from pipeline.exporters.html import export_html
from pipeline.i18n.extract import template
from pipeline.readers import read_leaflet
from tests.conftest import FIXTURES

LEAFLET = """# Taking your tablets

**Please ask if you need this information in another language or format.**

## How to take them

Take 2 tablets each morning.{junk}Call the ward on 0118 496{zw} 0123 if you feel unwell.

Leaflet code: TST_0042
Next review due: January 2028
"""


@pytest.mark.parametrize(("junk", "zw"), [
    ("\v", "\u200b"), ("\f", "\u202e"), ("\x1b[1m", "\u2066"), ("\u2028", "\ufeff"), ("\x07", "\u200e"),
])
def test_pasted_control_and_invisible_characters_are_cleaned_with_a_warning(
        run_cli, caplog: pytest.LogCaptureFixture, junk: str, zw: str) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0042-tablets.md")
    source.write_text(LEAFLET.format(junk=junk, zw=zw), encoding="utf-8")
    leaflet = read_leaflet(str(source))
    msgids = [str(m.id) for m in template(leaflet, str(source)) if m.id]
    assert any("{phone1}" in m for m in msgids) and not any("0118" in m for m in msgids)
    assert "invisible character(s) removed" in caplog.text and "TST_0042-tablets.md:7" in caplog.text
    result = run_cli("build", source, "-f", "docx", "-f", "text")
    assert result.code == 0, result.err
    text = Path("output/TST_0042/en_GB/TST_0042-en_GB.txt").read_text(encoding="utf-8")
    assert "0118 496 0123" in text and "Take 2 tablets each morning." in text
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text.replace("\n", "")), repr(text)
    body = " ".join(p.text for p in docx.Document("output/TST_0042/en_GB/TST_0042-en_GB.docx").paragraphs)
    assert "0118\u2007496\u20070123" in body, "kept whole on one line, as every phone number"


def test_a_pipe_in_leaflets_is_refused_not_waited_on(run_cli) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo("leaflets/ZZZ_0001-pipe.md")
    result = run_cli("build")
    assert result.code == 2 and "not a regular file" in result.err
    assert not Path("output").exists()


def test_a_source_over_the_size_limit_is_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    big = Path("leaflets/BIG_0001-big.md")
    big.write_text("# Big\n\n" + ("Word " * 250_000) + "\n\nBIG_0001\n", encoding="utf-8")
    result = run_cli("build", big)
    assert result.code == 2 and "at most 1,000,000 bytes" in result.err


def test_a_tampered_source_index_cannot_send_outputs_outside(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "-f", "text").code == 0
    index_path = Path("output/.sources.json")
    index = json.loads(index_path.read_text(encoding="utf-8"))
    for entry in index.values():
        entry["code"] = "../../../../escaped"
    index_path.write_text(json.dumps(index), encoding="utf-8")
    result = run_cli("build", "-f", "text", "--force")
    assert result.code == 0, result.err
    assert not list(tmp_path.rglob("escaped*")) and not Path("../escaped").exists()
    assert Path("output/RAD_0102/en_GB/RAD_0102-en_GB.txt").exists()


def test_a_tampered_manifest_is_rebuilt_and_never_followed(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "-f", "text").code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    manifest_path = Path("output/END_0031/ro/manifest.json")
    manifest_path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps({"files": {"../../../../victim.txt": {"format": "text"},
                                                   str(victim): {"format": "text"}}}), encoding="utf-8")
    result = run_cli("build", "-f", "text")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert "END_0031 ro: not built".lower() in result.err.lower()


def test_outputs_follow_the_umask(run_cli) -> None:  # type: ignore[no-untyped-def]
    from pipeline.output import _file_mode

    old = os.umask(0o022)
    _file_mode.cache_clear()
    try:
        assert run_cli("build", "-f", "text", "-l", "en_GB").code == 0
    finally:
        os.umask(old)
        _file_mode.cache_clear()
    mode = stat.S_IMODE(Path("output/RAD_0102/en_GB/RAD_0102-en_GB.txt").stat().st_mode)
    assert mode == 0o644, oct(mode)


@pytest.mark.parametrize(("front", "message"), [
    ("code: TST_0001\nnext_review: 2026-02-30", "impossible value"),
    ("a: &x [1, 2]\nb: [*x, *x]\ncode: TST_0001", "aliases"),
    ("code: TST_0001\ncode: TST_0002", "'code' is given twice"),
    ("code: CON", "Windows reserves it"),
    ("code: lpt1", "is not allowed"),
    ("title: " + "x" * 25_000, "at most 20,000"),
])
def test_hostile_front_matter_is_one_line_and_exit_2(run_cli, front: str, message: str) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0001-front.md")
    source.write_text(f"---\n{front}\n---\n# Title\n\nSome text.\n", encoding="utf-8")
    result = run_cli("info", source)
    assert result.code == 2 and message in result.err, result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1


def _deep_list(depth: int) -> str:
    items = "\n".join("  " * level + f"- step {level} of the list" for level in range(depth))
    return (f"# Deep lists\n\n## Steps\n\n{items}\n\n## Contacting us\n\n**Call 999 in an emergency.**\n\n"
            "TST_0077\n\nReviewed: May 2026. Next review due: May 2028.\n")


@pytest.mark.parametrize("depth", [7, 10, 30])
def test_a_list_nested_too_deep_is_flattened_with_a_warning_and_nothing_after_it_lost(
        run_cli, caplog: pytest.LogCaptureFixture, depth: int) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0077-deep.md")
    source.write_text(_deep_list(depth), encoding="utf-8")
    result = run_cli("build", str(source), "--format", "text", "--format", "docx")
    assert result.code == 0, result.err
    assert f"{source}:11:" in caplog.text and "flattened to 6 levels" in caplog.text
    assert caplog.text.count("flattened") == 1, "one warning per flattened list, not one per level"
    text = Path("output/TST_0077/en_GB/TST_0077-en_GB.txt").read_text(encoding="utf-8")
    assert all(f"step {n} of the list" in text for n in range(depth))
    assert "Call 999 in an emergency." in text and "Next review due: May 2028" in text
    document = docx.Document("output/TST_0077/en_GB/TST_0077-en_GB.docx")
    levels = [int(v) for v in document.element.body.xpath(".//w:ilvl/@w:val")]
    assert levels and max(levels) <= 5, "no list level Word cannot show"
    assert any("Call 999" in p.text for p in document.paragraphs)


def test_nesting_past_the_parsers_limit_is_refused_not_truncated(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0078-deeper.md")
    quote = "> " * 120
    source.write_text(f"# Deep\n\n{quote}hidden words\n\nCall 999.\n\nTST_0078\n", encoding="utf-8")
    result = run_cli("build", str(source))
    assert result.code == 2 and f"{source}:3:" in result.err and "nested" in result.err
    assert not Path("output/TST_0078").exists()


def test_emphasis_nested_thousands_deep_keeps_its_words(
        run_cli, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0079-stars.md")
    stars = "*" * 3000
    source.write_text(f"# Stars\n\n{stars}keep these words{stars}\n\n{'[' * 2000}x{']' * 2000}\n\nTST_0079\n",
                      encoding="utf-8")
    result = run_cli("build", str(source), "--format", "text", "--format", "docx")
    assert result.code == 0, result.err
    assert "emphasis nested" in caplog.text
    assert "keep these words" in Path("output/TST_0079/en_GB/TST_0079-en_GB.txt").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_second_build_waits_for_the_first(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    import time

    from pipeline.output import locked
    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with locked(Path("output")):
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "--format", "text"],
                                stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(3)
        assert proc.poll() is None, "the second build waits while the first holds the folder"
        assert not list(Path("output").iterdir()), "nothing written while it waits"
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "waiting for another build" in err
    assert Path("output/RAD_0102/en_GB/RAD_0102-en_GB.txt").exists()


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "vbscript:msgbox",
                                  "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd"])
def test_an_unsafe_link_keeps_its_text_and_loses_its_address(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                             href: str) -> None:
    from pipeline.exporters.html import export_html
    from pipeline.exporters.text import export_text
    from pipeline.speech.script import script_text, speech_script

    source = tmp_path / "TST_0043-links.md"
    source.write_text(f"# Links\n\nRead [our advice]({href}) or [the NHS page](https://www.nhs.uk).\n\nTST_0043\n",
                      encoding="utf-8")
    leaflet = read_leaflet(str(source))
    outputs = [export_text(leaflet), export_html(leaflet), script_text(leaflet, speech_script(leaflet))]
    for output in outputs:
        assert "our advice" in output and href.split(":")[0].lower() not in output.lower().replace("https", "")
        assert "](" not in output, "no raw Markdown read aloud or printed"
    assert "TST_0043-links.md:3: link to" in caplog.text


def test_markup_dropped_from_a_translation_is_located_in_its_catalogue(
        run_cli, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    from pipeline.i18n.messages import from_message

    with open("locales/pl/LC_MESSAGES/RAD_0102.po", "rb") as fh:
        catalog = read_po(fh)
    message = next(m for m in catalog if m.id and m.string)
    from_message(f"<b>{message.string}</b>", {}, ("locales/pl/LC_MESSAGES/RAD_0102.po", message.lineno))
    assert f"RAD_0102.po:{message.lineno}: raw HTML tag <b> removed" in caplog.text
    assert message.lineno > 0 and "<message>" not in caplog.text


@pytest.mark.parametrize(("front", "said"), [
    ("language: klingon", "front matter language: 'klingon' is not a language code"),
    ("source_language: 42x", "front matter source_language: '42x' is not a language code"),
])
def test_a_bad_language_in_front_matter_is_named_as_such(run_cli, front: str, said: str) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0044-lang.md")
    source.write_text(f"---\n{front}\n---\n# Lang\n\nText.\n\nTST_0044\n", encoding="utf-8")
    result = run_cli("build", source, "-f", "text")
    assert result.code == 2 and said in result.err and "LINGUAS" not in result.err


def test_a_dashes_block_that_is_not_front_matter_is_said_and_kept(tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    source = tmp_path / "TST_0045-list.md"
    source.write_text("---\n- stay in bed\n---\n# Rest\n\nText.\n\nTST_0045\n", encoding="utf-8")
    from pipeline.exporters.text import export_text

    assert "stay in bed" in export_text(read_leaflet(str(source)))
    assert "TST_0045-list.md:1: the '---' block at the top is not front matter" in caplog.text


def test_hostile_markup_stays_text_in_every_format_with_links(caplog: pytest.LogCaptureFixture) -> None:
    """Scripts, event handlers, javascript:/data:/vbscript: links and a </title> in a heading
    (tests/fixtures/hostile.md) never become live in the web page or the Word document."""
    import zipfile

    import lxml.etree
    import lxml.html

    from pipeline.exporters.docx import export_docx

    leaflet = read_leaflet(str(FIXTURES / "hostile.md"))
    page = lxml.html.document_fromstring(export_html(leaflet))
    live = "//script|//iframe|//img|//svg|//object|//embed|//body//style|//form|//base|//meta[@http-equiv]"
    assert not page.xpath(live)
    assert len(page.xpath("//style")) == 1, "only the page's own style sheet"
    handlers = [f"{el.tag} {name}" for el in page.iter() if isinstance(el.tag, str)
                for name in el.attrib if name.lower().startswith("on")]
    assert not handlers
    addresses = page.xpath("//@href|//@src|//@action|//@formaction")
    assert addresses and all(re.match(r"(https://|mailto:|tel:\+|#)", a) for a in addresses), addresses
    assert page.findtext(".//title") == leaflet.meta.title and "<" not in leaflet.meta.title
    assert "alert(" in page.text_content(), "the words are kept, as text"

    docx = zipfile.ZipFile(io.BytesIO(export_docx(leaflet)))
    rels = lxml.etree.fromstring(docx.read("word/_rels/document.xml.rels"))
    targets = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    assert targets and all(re.match(r"(https://|mailto:|tel:\+)", t) for t in targets), targets
    body = docx.read("word/document.xml").decode("utf-8")
    assert not re.search(r"(?i)HYPERLINK\s+\"?(javascript|data|vbscript):", body)
    assert "alert(" in body


@pytest.mark.parametrize("url", ["//evil.example/x", "\\\\host\\share", "/\\evil.example"])
def test_a_protocol_relative_or_unc_link_is_not_kept(tmp_path: Path, url: str) -> None:
    source = tmp_path / "ABC_0001-x.md"
    source.write_text(f"# Title\n\nSee [our page]({url}).\n\nABC_0001\n", encoding="utf-8")
    from pipeline.model import Paragraph, iter_links
    from pipeline.readers import read_leaflet

    para = read_leaflet(str(source)).blocks[0]
    assert isinstance(para, Paragraph)
    # Never a link to another host: refused, or (backslashes) percent-encoded into a harmless relative path.
    assert all(not link.url.startswith(("//", "\\", "/\\")) and "\\" not in link.url
               for link in iter_links(para.content))
    if url.startswith("//"):
        assert not list(iter_links(para.content))


# --- Control characters: one gate before every exporter ------------------------------------

_BAD = "\x00\x07\x08\x0b\x0c\x1b\x7f\x85\u200b\u202e\u2066\ufeff\u2028"


def _outputs_clean(folder: Path) -> None:
    """No file made holds any of the characters, in its text or inside its zip."""
    import zipfile

    assert list(folder.iterdir())
    for path in folder.iterdir():
        if path.suffix in (".docx", ".epub"):
            with zipfile.ZipFile(path) as package:
                texts = [package.read(n).decode("utf-8") for n in package.namelist() if n.endswith((".xml", ".xhtml"))]
        elif path.suffix in (".txt", ".html", ".brf"):
            texts = [path.read_text(encoding="utf-8")]
        else:
            continue
        for text in texts:
            found = {f"U+{ord(ch):04X}" for ch in text if ch in _BAD and ch != "\x0c"}  # \f is braille's page break
            assert not found, f"{path.name}: {found}"


@pytest.mark.parametrize("escape", ["\\a", "\\b", "\\f", "\\v", "\\x1b", "\\u202e", "\\u200b", "\\0", "\\ud800",
                                    "\\N"])
def test_yaml_escapes_in_front_matter_reach_no_file(run_cli, escape: str) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/TST_0009-escapes.md")
    source.write_text(f'---\ntitle: "Your{escape} operation"\norganisation: "North{escape}field"\n'
                      f'department: "Day{escape} unit"\n---\n# Your operation\n\nCall 0118 496 0000.\n\n'
                      "TST_0009\n\nReviewed: May 2026. Next review due: May 2028.\n", encoding="utf-8")
    result = run_cli("build", source, "-l", "en_GB")
    assert result.code in (0, 2), result.err
    assert "Traceback" not in result.err
    if result.code == 0:
        _outputs_clean(Path("output/TST_0009/en_GB"))
    else:
        assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("locale", ["pl", "cy", "ur"])
@pytest.mark.parametrize("escape", ["\\a", "\\b", "\\f", "\\v", "\\x0b", "\\033[2J"])
def test_po_escapes_are_refused_by_the_checks_and_reach_no_file(run_cli, locale: str, escape: str) -> None:  # type: ignore[no-untyped-def]
    po = Path(f"locales/{locale}/LC_MESSAGES/RAD_0102.po")
    text = po.read_text(encoding="utf-8")
    title = text.index('msgid "CT-guided lung biopsy"\nmsgstr "') + len('msgid "CT-guided lung biopsy"\nmsgstr "')
    po.write_text(text[:title] + escape + text[title:], encoding="utf-8")
    check = run_cli("check", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert "Traceback" not in check.err
    if escape in ("\\a", "\\b", "\\f", "\\v"):  # valid PO escapes: the translation check names the character
        assert check.code == 1 and "invisible character U+00" in check.out, check.out
    else:  # not PO escapes: the catalogue cannot be read
        assert check.code != 0
    for draft in ([], ["--draft"]):
        result = run_cli("build", "leaflets/RAD_0102-ct-guided-lung-biopsy.md", "-l", locale, *draft)
        assert "Traceback" not in result.err
        folder = Path(f"output/RAD_0102/{locale}")
        if folder.is_dir():
            _outputs_clean(folder)


def test_a_file_name_that_becomes_a_title_reaches_no_file_with_its_control_characters(run_cli) -> None:  # type: ignore[no-untyped-def]
    source = Path("leaflets/after\x1b[31m your\x0b\u202eoperation.md")
    source.write_text("Rest for a day after your operation.\n\nCall 0118 496 0000 if you are worried.\n",
                      encoding="utf-8")
    result = run_cli("build", source, "-l", "en_GB")
    assert "Traceback" not in result.err and result.code in (0, 1), result.err
    [folder] = [p for p in Path("output").glob("*/en_GB") if p.is_dir()]
    _outputs_clean(folder)


def test_the_gate_cleans_every_text_of_the_model_once() -> None:
    from dataclasses import replace

    from pipeline.exporters import FORMATS
    from pipeline.model import printable

    leaflet = read_leaflet(str(FIXTURES / "all-blocks.md"))
    dirty = replace(leaflet, meta=replace(leaflet.meta, title="A\x0bB\u202e", author="x\x00y"))
    clean = printable(dirty)
    assert clean.meta.title == "AB" and clean.meta.author == "xy"
    assert printable(dirty) is clean and printable(leaflet) is leaflet
    text = FORMATS["text"].export(dirty)
    assert isinstance(text, str) and "\x0b" not in text and "AB" in text
    data = FORMATS["docx"].export(dirty)
    assert isinstance(data, bytes) and docx.Document(io.BytesIO(data)).core_properties.title == "AB"


# --- Size: a paragraph and a message are bounded, refused with their line ----------------------

_LONG = "Rest and drink plenty of water. " * 320  # 10,240 characters


@pytest.mark.parametrize("where", ["paragraph", "list item", "heading", "table cell", "pasted text", "word"])
def test_a_paragraph_past_the_limit_is_refused_with_its_line(run_cli, where: str) -> None:  # type: ignore[no-untyped-def]
    from tests import wordml

    tail = "\n\nTST_0010\n\nReviewed: May 2026. Next review due: May 2028.\n"
    sources = {
        "paragraph": ("md", f"# Aftercare\n\n## At home\n\n{_LONG}{tail}", 5),
        "list item": ("md", f"# Aftercare\n\n## At home\n\n- Short.\n- {_LONG}{tail}", 6),
        "heading": ("md", f"# Aftercare\n\n## {_LONG}\n\nText.{tail}", 3),
        "table cell": ("md", f"# Aftercare\n\n## At home\n\n| When | What |\n|---|---|\n| Day 1 | {_LONG} |{tail}", 5),
        "pasted text": ("txt", f"Aftercare\n\nAt home\n\n{_LONG}{tail}", 5),
    }
    if where == "word":
        path = Path("leaflets/TST_0010-aftercare.docx")
        path.write_bytes(wordml.docx(wordml.p("Aftercare", "Title") + wordml.p("At home", "Heading1")
                                     + wordml.p(_LONG) + wordml.p("TST_0010")))
        line = None
    else:
        suffix, text, line = sources[where]
        path = Path(f"leaflets/TST_0010-aftercare.{suffix}")
        path.write_text(text, encoding="utf-8")
    result = run_cli("build", path, "-f", "text")
    assert result.code == 2 and "characters: a leaflet's paragraphs are at most 10,000" in result.err, result.err
    assert str(path) in result.err and len(result.err.strip().splitlines()) == 1
    if line is not None:
        assert f"{path}:{line}:" in result.err
    assert not Path("output/TST_0010").exists()


def test_a_translation_past_the_limit_is_refused_with_its_line(run_cli) -> None:  # type: ignore[no-untyped-def]
    po = Path("locales/pl/LC_MESSAGES/RAD_0102.po")
    text = po.read_text(encoding="utf-8")
    anchor = 'msgid "CT-guided lung biopsy"\nmsgstr "'
    line = text[: text.index(anchor)].count("\n") + 1
    po.write_text(text.replace(anchor, anchor + "x" * 1_000_000, 1), encoding="utf-8")
    check = run_cli("check", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert f"{po}:{line}" in check.out + check.err and "a translation of 1,000,0" in check.out + check.err
    result = run_cli("build", "leaflets/RAD_0102-ct-guided-lung-biopsy.md", "-l", "pl", "-f", "text")
    assert "Traceback" not in result.err and not Path("output/RAD_0102/pl/RAD_0102-pl.txt").exists()


def test_unrelated_output_folders_do_not_queue_behind_each_other(tmp_path: Path) -> None:
    import threading

    from pipeline.output import locked

    shared = tmp_path / "srv"
    waited: list[str] = []
    with locked(shared / "trust-a"):
        with locked(shared / "trust-b", waiting=lambda: waited.append("b")):
            pass
        assert waited == [], "another output folder is another lock"
        done = threading.Event()

        def same() -> None:
            with locked(shared / "trust-a", waiting=lambda: waited.append("a")):
                done.set()

        thread = threading.Thread(target=same)
        thread.start()
        thread.join(1.0)
        assert waited == ["a"] and not done.is_set(), "the same folder waits"
    thread.join(10)
    assert done.is_set()
    assert not (shared / "trust-b").exists(), "a folder made only to be locked is not left behind"


@pytest.mark.parametrize("argv", [["request", "x" * 100_000, "--format", "text"], ["x" * 100_000],
                                  ["build", "--format", "y" * 100_000], ["request", "lung", "--locale", "z" * 100_000],
                                  ["requests", "--leaflet", "w" * 100_000]])
def test_a_huge_argument_is_not_echoed_back(run_cli, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*argv)
    assert result.code in (0, 2) and len(result.err) < 3000, len(result.err)
    assert "Traceback" not in result.err


def test_cannot_write_names_the_file_not_its_temporary(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    import pipeline.output

    def full(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", src)

    monkeypatch.setattr(pipeline.output.os, "replace", full)
    result = run_cli("build", "-f", "text", "-l", "en_GB", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert result.code == 2 and "No space left on device" in result.err
    assert "RAD_0102-en_GB.txt" in result.err and ".tmp" not in result.err, result.err
