"""Every path that deletes an output goes through one function, and it deletes only what the pipeline made.

``manifest.json`` lives in ``output/`` where anyone may edit it: names in it (and files found
beside the outputs) are deleted only when they follow the pipeline's own naming rules, inside
their folder, and never through a symbolic link.  Routes: the withdrawal of a language whose
catalogue is no longer safe, and the clean-up of audio tracks a shorter leaflet no longer has.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.output import owned

SOURCE = "leaflets/END_0031-sedation-fasting.md"
KEEP = "a member of staff's notes"


def _plant(folder: Path, outside: Path, part_of: str | None) -> list[Path]:
    """Staff files in and beside ``folder``, each named in its manifest as if the pipeline had made it."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text(KEEP, encoding="utf-8")
    os.symlink(outside, folder / "linked")
    (folder / "audio").mkdir(exist_ok=True)
    victims = [folder / "notes.txt", folder / "END_0031-x-notes.docx", folder / "audio" / "notes.txt",
               folder / f"{folder.name}-notes.docx", folder / f"{folder.name} checked by JS.docx",
               folder / "audio" / "01-notes.txt", outside / "secret.txt"]
    for victim in victims:
        victim.write_text(KEEP, encoding="utf-8")
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    names = ["notes.txt", "END_0031-x-notes.docx", "audio/notes.txt", f"{folder.name}-notes.docx",
             f"{folder.name} checked by JS.docx", "audio/01-notes.txt", "linked/secret.txt",
             "linked/END_0031-" + folder.name + ".txt"]
    for name in names:
        data["files"][name] = {"format": "audio", "sha256": "0" * 64, "build_key": "x",
                               **({"part_of": part_of} if part_of else {})}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    return victims


def _kept(victims: list[Path]) -> None:
    for victim in victims:
        assert victim.read_text(encoding="utf-8") == KEEP, f"{victim} was deleted or changed"


@pytest.mark.slow
def test_track_clean_up_deletes_only_tracks(run_cli_all, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    formats = ["-f", "audio", "--tts", "espeak", "-l", "en_GB"]
    assert run_cli_all("build", SOURCE, *formats).code == 0
    folder = Path("output/END_0031/en_GB")
    victims = _plant(folder, tmp_path / "outside", "END_0031-en_GB.mp3")
    # The real clean-up still works: a section taken out of the leaflet takes its track with it.
    tracks = sorted(p.name for p in (folder / "audio").glob("0*.mp3"))
    source = Path(SOURCE)
    text = source.read_text(encoding="utf-8")
    start = text.index("\n## ", text.index("\n## ") + 1)
    end = text.index("\n## ", start + 1)
    source.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_cli_all("build", SOURCE, *formats)
    assert result.code == 0, result.err
    after = sorted(p.name for p in (folder / "audio").glob("0*.mp3"))
    assert len(after) == len(tracks) - 1 and tracks[-1] not in after
    _kept(victims)


def test_withdrawal_deletes_only_what_the_pipeline_made(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", SOURCE, "-l", "pl", "-f", "text", "-f", "html").code == 0
    folder = Path("output/END_0031/pl")
    victims = _plant(folder, tmp_path / "outside", None)
    catalogue = Path("locales/pl/LC_MESSAGES/END_0031.po")
    catalogue.write_bytes(b"\xff\xfe not a catalogue")
    result = run_cli("build", SOURCE, "-l", "pl", "-f", "text", "-f", "html")
    assert "END_0031-pl.txt" not in {p.name for p in folder.iterdir()}, "the unsafe translation is withdrawn"
    assert not (folder / "END_0031-pl.html").exists()
    _kept(victims)
    assert "Traceback" not in result.err


@pytest.mark.parametrize(("name", "mine"), [
    ("END_0031-pl.txt", True), ("END_0031-pl-DRAFT.docx", True), ("END_0031-pl-large-print-20pt.docx", True),
    ("END_0031-pl-DRAFT-giant-print.docx", True), ("END_0031-pl.speech.txt", True), ("END_0031-pl.epub", True),
    ("audio/03-before-you-come.mp3", True), ("audio/END_0031-pl.m3u8", True),
    ("audio-DRAFT/END_0031-pl-DRAFT.m3u8", True),
    ("END_0031-pl-notes.docx", False), ("END_0031-pl.txt.bak", False), ("END_0031-pl copy.docx", False),
    ("END_0031-plx.txt", False), ("END_0031-en_GB.txt", False), ("manifest.json", False),
    ("audio/notes.txt", False), ("audio/01-notes.txt", False), ("notes/END_0031-pl.txt", False),
    ("../END_0031-pl.txt", False), ("audio/../END_0031-pl.txt", False), ("/tmp/END_0031-pl.txt", False),
    ("audio/sub/01-x.mp3", False), ("audio\\01-x.mp3", False), ("", False),
])
def test_the_naming_rule(name: str, mine: bool) -> None:
    assert owned(name, "END_0031", "pl") is mine
