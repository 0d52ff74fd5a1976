"""The `leaflet` command as a user runs it: builds, rebuilds, bad input, atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.exporters import FORMATS
from tests.conftest import EXAMPLE_BUILDS, Result

EXAMPLES = ("CARD_0040", "END_0031", "EYE_0112", "PHY_0015", "RAD_0102")


def test_help_and_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--help")
    assert result.code == 0 and "another language" in result.out
    assert run_cli("build", "--help").code == 0
    result = run_cli("--version")
    assert result.code == 0 and result.out.startswith("leaflet ")
    assert run_cli().code == 2


def test_build_every_example(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build")
    assert result.code == 0, result.err
    for code in EXAMPLES:
        folder = Path("output", code, "en_GB")
        assert (folder / f"{code}-en_GB.docx").stat().st_size > 5000
        assert (folder / f"{code}-en_GB.txt").read_text(encoding="utf-8").startswith(
            ("Fasting", "Exercises", "CT", "Wearing", "Eye drops"))
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        entry = manifest["files"][f"{code}-en_GB.docx"]
        assert entry["format"] == "docx"
        assert entry["source"].startswith("leaflets/") and len(entry["source_sha256"]) == 64
        assert entry["engine"].startswith("python-docx ")
        assert entry["tool_versions"]["pipeline"]
        assert entry["created"].endswith("+00:00")
    assert not list(Path("output").rglob("*.tmp")), "no temporary files left behind"


def test_no_op_and_one_edit_rebuild(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build").code == 0
    again = run_cli("build")
    # 3 leaflets x (en_GB, pl, cy, ur) x (text, docx, large-print, giant-print, html, epub, braille); Romanian
    # is refused.  Without liblouis, braille is skipped.
    from pipeline.exporters import FORMATS

    formats = 6 + (FORMATS["braille"].unavailable("en_GB") is None)
    assert again.code == 0 and f"0 file(s) built, {EXAMPLE_BUILDS * formats} up to date" in again.err
    source = next(Path("leaflets").glob("END_0031-*.md"))
    source.write_text(source.read_text(encoding="utf-8").replace("6 hours", "8 hours"), encoding="utf-8")
    edited = run_cli("build")
    # The English is rebuilt; its translations are now of an older version, so they are
    # withdrawn, not rebuilt; the other two leaflets are untouched.
    assert f"{formats} file(s) built, {(EXAMPLE_BUILDS - 4) * formats} up to date" in edited.err, edited.err
    assert "8 hours" in Path("output/END_0031/en_GB/END_0031-en_GB.txt").read_text(encoding="utf-8")
    assert not Path("output/END_0031/pl/END_0031-pl.docx").exists()
    assert "END_0031 pl: not built".lower() in edited.err.lower() and "out of date" in edited.err


def test_a_damaged_output_file_is_rebuilt(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "--format", "text").code == 0
    target = Path("output/RAD_0102/en_GB/RAD_0102-en_GB.txt")
    target.write_text("tampered", encoding="utf-8")
    assert "1 file(s) built" in run_cli("build", "--format", "text").err
    assert "tampered" not in target.read_text(encoding="utf-8")


def test_format_and_locale_selection(run_cli, reference: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", reference, "--format", "docx", "--locale", "en_GB", "--out", "out2")
    assert result.code == 0, result.err
    assert sorted(p.name for p in Path("out2/RAD_0067/en_GB").iterdir()) == ["RAD_0067-en_GB.docx",
                                                                             "manifest.json"]
    assert [p.name for p in Path("out2/RAD_0067").iterdir()] == ["en_GB"], "no catalogues for RAD_0067"


def test_formats_lists_the_registry(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("formats")
    assert result.code == 0
    for name in FORMATS:
        assert name in result.out


def test_info_prints_metadata(run_cli, reference: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("info", reference)
    data = json.loads(result.out)
    assert data["code"] == "RAD_0067" and data["reviewed"] == "2026-05"


BAD_INPUTS = {
    "missing": (None, "no such file"),
    "directory": ("DIR", "is a directory"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
    "not-utf8": ("# Caf\xe9 leaflet\n\nText.\n".encode("latin-1"), "not UTF-8"),
    "empty": (b"  \n\n", "is empty"),
    "slash-code": (b"---\ncode: ../../etc\n---\n# Title\n\nText.\n", "is not allowed"),
    "dotdot-code": (b"---\ncode: RAD..0067\n---\n# Title\n\nText.\n", "is not allowed"),
    "absolute-code": (b"---\ncode: /etc/passwd\n---\n# Title\n\nText.\n", "is not allowed"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_exits_2_and_writes_nothing(run_cli, case: str) -> None:  # type: ignore[no-untyped-def]
    content, message = BAD_INPUTS[case]
    path = Path(f"{case}.md")
    if content == "DIR":
        path = Path("somefolder.md")
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    # A good leaflet first: a bad one later in the list must still stop everything.
    result: Result = run_cli("build", "leaflets/RAD_0102-ct-guided-lung-biopsy.md", path)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert str(path) in lines[0] and message in lines[0]
    assert not Path("output").exists()


def test_unknown_format_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "--format", "braile")
    assert result.code == 2 and "unknown format 'braile'" in result.err
    assert not Path("output").exists()


def test_unknown_locale_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("build", "--locale", "xx")
    assert result.code == 2 and "no locale 'xx'" in result.err
    assert not Path("output").exists()


def test_failed_export_leaves_no_partial_file(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import pipeline.output as output

    real_replace = os.replace

    def crash(src: str, dst: str) -> None:
        if str(dst).endswith(".docx"):
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", crash)
    result = run_cli("build", "leaflets/RAD_0102-ct-guided-lung-biopsy.md")
    assert result.code == 2 and "disk full" in result.err
    assert not list(Path("output").rglob("*.docx"))
    assert not list(Path("output").rglob("*.tmp"))


def test_duplicate_codes_are_refused(run_cli) -> None:  # type: ignore[no-untyped-def]
    Path("copy.md").write_text(Path("leaflets/RAD_0102-ct-guided-lung-biopsy.md").read_text(encoding="utf-8"),
                               encoding="utf-8")
    result = run_cli("build", "leaflets/RAD_0102-ct-guided-lung-biopsy.md", "copy.md")
    assert result.code == 2 and "RAD_0102 is also used by" in result.err


def test_check_fails_an_overdue_leaflet(run_cli) -> None:  # type: ignore[no-untyped-def]
    Path("old.md").write_text("# Old leaflet\n\nShort text.\n\nOLD_0001\n\nReviewed: May 2019. "
                              "Next review due: May 2021.\n", encoding="utf-8")
    result = run_cli("check", "old.md")
    assert result.code == 1
    assert "old.md: review overdue: the next review was due May 2021" in result.out
