"""No file is written through a symbolic link inside output/ (the output folder itself may be one).

A leaflet's, a language's, the audio or the speech cache's folder replaced by a link is
refused in one line (exit 2) by every command that writes, and nothing lands where it points.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.output import AUDIO_FOLDER

SOURCE = "leaflets/END_0031-sedation-fasting.md"


def _link_instead(folder: Path, elsewhere: Path) -> None:
    """Replace ``folder`` (made by a first build) with a link to ``elsewhere``."""
    elsewhere.mkdir(parents=True, exist_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(elsewhere, folder)


@pytest.mark.parametrize("where", ["output/END_0031", "output/END_0031/pl", "output/END_0031/en_GB",
                                   f"output/END_0031/en_GB/{AUDIO_FOLDER}", "output/.cache/speech"])
@pytest.mark.slow
def test_a_linked_folder_below_output_is_never_written_through(run_cli_all, tmp_path: Path, where: str) -> None:  # type: ignore[no-untyped-def]
    formats = ["-f", "text", "-f", "audio", "--tts", "espeak"]
    assert run_cli_all("build", SOURCE, "-l", "en_GB", "-l", "pl", *formats).code == 0
    elsewhere = tmp_path / "elsewhere"
    _link_instead(Path(where), elsewhere)
    result = run_cli_all("build", SOURCE, "-l", "en_GB", "-l", "pl", *formats, "--force")
    assert result.code == 2, result.err
    assert "is a symbolic link inside the output folder" in result.err and where.split("/")[-1] in result.err
    assert "Traceback" not in result.err
    assert not list(elsewhere.rglob("*")), "nothing lands where the link points"


@pytest.mark.parametrize("command", [["index"], ["readability", "--write"]])
def test_index_and_readability_do_not_write_through_a_link_either(run_cli, tmp_path: Path, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", SOURCE, "-f", "text").code == 0
    elsewhere = tmp_path / "elsewhere"
    if command == ["index"]:
        Path("output/index.html").unlink(missing_ok=True)
        _link_instead(Path("output/END_0031"), elsewhere)  # index writes only output/index.html: allowed
        assert run_cli(*command).code == 0
        assert not list(elsewhere.rglob("*"))
    else:
        _link_instead(Path("output/END_0031"), elsewhere)
        result = run_cli(*command)
        assert result.code == 2 and "is a symbolic link inside the output folder" in result.err
        assert not list(elsewhere.rglob("*"))


def test_a_linked_output_folder_itself_is_fine(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shared = tmp_path / "shared-drive"
    shared.mkdir()
    os.symlink(shared, "output")
    assert run_cli("build", SOURCE, "-f", "text", "-l", "en_GB").code == 0
    assert (shared / "END_0031" / "en_GB" / "END_0031-en_GB.txt").exists()
