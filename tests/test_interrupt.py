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


@pytest.mark.slow
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


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_ctrl_c_sigterm_and_sighup_say_what_they_left_and_the_next_build_is_whole(folder: Path, stop: int) -> None:
    build = _start(folder, subprocess.PIPE)
    time.sleep(1.2)
    os.killpg(build.pid, stop)
    _, err = build.communicate(timeout=60)
    assert build.returncode in (128 + stop, 0, 1), err
    if build.returncode == 128 + stop:
        said = b"interrupted:" if stop == signal.SIGINT else f"interrupted by {signal.Signals(stop).name}:".encode()
        assert said in err and b"Traceback" not in err, err
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


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(path: Path, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.02)
    raise AssertionError(f"{path} was not written")


@pytest.fixture
def stand_in(tmp_path: Path) -> Path:
    """A stand-in for LibreOffice: starts a helper of its own (as oosplash starts soffice.bin) and waits."""
    script = tmp_path / "fake-soffice"
    script.write_text('#!/bin/sh\necho $$ > "$1"\nsleep 60 &\necho $! > "$2"\nwait\n', encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_libreoffice_and_what_it_started_end_on_a_time_out(stand_in: Path, tmp_path: Path) -> None:
    from pipeline.office import _run

    with pytest.raises(subprocess.TimeoutExpired):
        _run([str(stand_in), str(tmp_path / "main.pid"), str(tmp_path / "helper.pid")], timeout=1)
    pids = [_wait_for(tmp_path / "main.pid"), _wait_for(tmp_path / "helper.pid")]
    time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids), "the whole process group was ended"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_libreoffice_dies_with_a_killed_build(stand_in: Path, tmp_path: Path) -> None:
    code = (f"from pipeline.office import _run; _run([{str(stand_in)!r}, {str(tmp_path / 'main.pid')!r}, "
            f"{str(tmp_path / 'helper.pid')!r}], timeout=120)")
    build = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                             start_new_session=True)
    try:
        main = _wait_for(tmp_path / "main.pid")
        helper = _wait_for(tmp_path / "helper.pid")
        assert _alive(main) and _alive(helper)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 10
    while _alive(main) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(main), "the kernel ends LibreOffice's launcher with the killed build (PR_SET_PDEATHSIG)"
    os.kill(helper, signal.SIGKILL)  # soffice.bin finishes its one document and exits; the stand-in would not


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_worker_stopped_by_a_signal_names_it_however_late_this_process_sees_its_own(stop: int) -> None:
    """The race the whole-group test met under load: the workers see SIGTERM or SIGHUP and stop before
    the main process has run its own handler.  Here only the workers are signalled: the build must
    still be reported as stopped by that signal, not as Ctrl-C and not as a worker that failed."""
    from pipeline.workers import Interrupted, run

    def work(index: int) -> int:
        if index == 0:
            for pid in _siblings():
                os.kill(pid, stop)
        time.sleep(2)
        return index

    with pytest.raises(Interrupted) as stopped:
        for _ in run(work, 4, 2):
            pass
    assert stopped.value.signum == stop


def _siblings() -> list[int]:
    """The build's worker processes: this one and the others forked from the same parent (same command
    line; a program the parent started, LibreOffice or Chromium, is left alone)."""
    parent, own = os.getppid(), Path("/proc/self/cmdline").read_bytes()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                same = (entry / "cmdline").read_bytes() == own
            except OSError:
                continue
            if int(fields[1]) == parent and same:
                found.append(int(entry.name))
    return found
