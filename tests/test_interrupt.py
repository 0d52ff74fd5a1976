"""A build killed (SIGKILL) or interrupted (Ctrl-C) at any moment leaves nothing wrong behind.

After the kill: no file under a final name is invalid (half a DOCX, a cut HTML page).  After
the next build: every manifest matches the disk (each file it names is there with its
SHA-256, each file there is named), no temporary file is left anywhere under output/, and no
LibreOffice is left running.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import LEAFLETS, LOCALES, ROOT

FORMATS = ["-f", "text", "-f", "docx", "-f", "html", "-f", "large-print"]


def _start(folder: Path, output: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", *FORMATS], cwd=folder, env=env,
                            stdout=output, stderr=output, start_new_session=True)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(LEAFLETS, tmp_path / "leaflets")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return tmp_path


def _valid(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as archive:
                return archive.testzip() is None and "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            return False
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.suffix == ".json":
        try:
            json.loads(data)
            return True
        except ValueError:
            return False
    return len(data) > 0


def _final_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts and not p.name.endswith(".tmp")
            and p.name != ".lock"]


def _check_after_next_build(folder: Path) -> None:
    again = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", *FORMATS], cwd=folder,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)
    assert again.returncode in (0, 1), again.stderr
    out = folder / "output"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("leaflet-")], \
        "no temporary left behind"
    for manifest_path in out.glob("*/*/manifest.json"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        named = set(manifest["files"])
        for name, entry in manifest["files"].items():
            file = manifest_path.parent / name
            assert file.exists(), f"{file} is in the manifest but not on disk"
            assert hashlib.sha256(file.read_bytes()).hexdigest() == entry["sha256"], f"{file} differs from its record"
        on_disk = {str(p.relative_to(manifest_path.parent)) for p in manifest_path.parent.rglob("*")
                   if p.is_file() and p.name != "manifest.json"}
        assert on_disk <= named, f"files not recorded: {sorted(on_disk - named)[:3]}"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sigkill_at_any_moment(folder: Path, seed: int) -> None:
    build = _start(folder)
    time.sleep(random.Random(seed).uniform(0.3, 2.5))
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    out = folder / "output"
    if out.exists():
        bad = [p for p in _final_files(out) if not _valid(p)]
        assert not bad, f"invalid file under a final name: {bad[:3]}"
    _check_after_next_build(folder)


def test_ctrl_c_says_what_it_left_and_the_next_build_is_whole(folder: Path) -> None:
    build = _start(folder, subprocess.PIPE)
    time.sleep(1.2)
    os.killpg(build.pid, signal.SIGINT)
    _, err = build.communicate(timeout=60)
    assert build.returncode in (130, 0, 1), err
    if build.returncode == 130:
        assert b"interrupted" in err
    _check_after_next_build(folder)


def test_the_next_build_sweeps_what_a_killed_one_left(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("build", "-f", "text", "-l", "pl").code == 0
    folder = Path("output/RAD_0102/pl")
    stale = [folder / ".RAD_0102-pl.txt.k3j2h1g0.tmp", Path("output/.cache/speech/ab/.pcm.x1y2z3w4.tmp"),
             Path("output/.cache/tmp/leaflet-lo-q8w7e6r5/user/registrymodifications.xcu"),
             Path("output/.cache/tmp/leaflet-pdf-a1s2d3f4/RAD_0102.docx")]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
    theirs = [folder / "notes.tmp", folder / "RAD_0102-pl.txt.tmp", Path("output/README.txt")]
    for path in theirs:
        path.write_text("someone else's", encoding="utf-8")
    result = run_cli("build", "-f", "text", "-l", "pl")
    assert result.code == 0 and "removed 4 temporary file(s) left by an interrupted build" in result.err
    assert not any(p.exists() for p in stale) and not list(Path("output/.cache/tmp").iterdir())
    assert all(p.exists() for p in theirs), "only names the pipeline makes are removed"


def _office_processes(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "soffice" in command and marker in command:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_no_libreoffice_outlives_a_killed_build(folder: Path) -> None:
    from pipeline.office import soffice

    if soffice() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required in CI")
        pytest.skip("LibreOffice is not installed")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "-f", "large-print-pdf", "-l", "en_GB"],
                             cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    marker = str(folder / "output" / ".cache" / "tmp")
    deadline = time.monotonic() + 120
    while not _office_processes(marker) and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.02)
    assert _office_processes(marker), "LibreOffice was started with its profile under output/.cache/tmp"
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 30
    while _office_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _office_processes(marker), "LibreOffice was ended with the build"
    _check_after_next_build(folder)
