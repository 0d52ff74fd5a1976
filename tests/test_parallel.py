"""The build on every core: the same files as one process, Ctrl-C stops it all, errors come through.

Worker processes make the files; the main process records them.  These tests run real
builds (LibreOffice, eSpeak NG, liblouis where installed) in a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.office import soffice
from pipeline.workers import descendants
from tests.conftest import EXAMPLE_BUILDS, LEAFLETS, LOCALES, ROOT
from tests.test_interrupt import _alive, _final_files, _valid

pytestmark = pytest.mark.slow  # make test SLOW=1, and CI, run it (README, 'Development')

SMALL = ["leaflets/PHY_0015-after-a-hip-replacement.txt", "leaflets/END_0031-sedation-fasting.md"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(LEAFLETS, tmp_path / "leaflets")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return tmp_path


def _leaflet(folder: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=timeout)


def _digests(out: Path) -> dict[str, str]:
    """SHA-256 of every file under ``out`` but the caches, and each manifest without its times."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts and p.name != ".lock"):
        data = path.read_bytes()
        if path.name == "manifest.json":
            files = json.loads(data)["files"]
            for entry in files.values():
                entry.pop("created")  # the moment it was recorded: the one field that must differ
            data = json.dumps(files, sort_keys=True).encode()
        found[str(path.relative_to(out))] = hashlib.sha256(data).hexdigest()
    return found


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
def test_one_process_and_many_make_the_same_files(folder: Path) -> None:
    one = _leaflet(folder, "build", "--jobs", "1", "--tts", "espeak", "--out", "one", SMALL[0])
    assert one.returncode in (0, 1), one.stderr
    # eSpeak NG's pitch flutter runs on from one utterance to the next inside the library, so
    # speech synthesised afresh differs slightly from run to run; with the speech cache the
    # same sound goes in, and every byte of every file, MP3s included, must then be the same.
    shutil.copytree(folder / "one" / ".cache" / "speech", folder / "many" / ".cache" / "speech")
    many = _leaflet(folder, "build", "--jobs", "3", "--tts", "espeak", "--out", "many", SMALL[0])
    assert many.returncode == one.returncode, many.stderr
    first, second = _digests(folder / "one"), _digests(folder / "many")
    kinds = {Path(name).suffix for name in first}
    assert {".txt", ".docx", ".pdf", ".html", ".mp3", ".m3u8", ".json", ".epub"} <= kinds, kinds
    assert len(first) > 40 and first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"differ between --jobs 1 and --jobs 3: {differ[:5]}"
    # Both builds said which leaflet-locale each progress line is about, once each.
    lines = [line for line in many.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == 4 and sorted(line.split("] ")[1].split(":")[0] for line in lines) == sorted(
        line.split("] ")[1].split(":")[0] for line in one.stderr.splitlines() if line.startswith("["))


def test_the_same_leaflet_made_twice_gives_the_same_pdf_and_docx(folder: Path) -> None:
    formats = ["-f", "docx", "-f", "large-print"] + (["-f", "large-print-pdf"] if soffice() else [])
    for out in ("a", "b"):
        done = _leaflet(folder, "build", "--out", out, *formats, SMALL[0])
        assert done.returncode == 0, done.stderr
    first, second = _digests(folder / "a"), _digests(folder / "b")
    assert first == second


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


PDF_FORMATS = ["-f", "text", "-f", "docx", "-f", "html", "-f", "large-print-pdf"]


@pytest.mark.skipif(soffice() is None or not Path("/proc").is_dir(),
                    reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui), or no /proc")
@pytest.mark.parametrize("whole_group", [True, False], ids=["ctrl-c", "kill-int-main"])
def test_ctrl_c_stops_every_worker_and_libreoffice_within_two_seconds(folder: Path, whole_group: bool) -> None:
    build = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "--jobs", "2", *PDF_FORMATS],
                             cwd=folder, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        below: set[int] = set()
        while time.monotonic() < deadline:  # wait until LibreOffice is converting in a worker
            below = set(descendants(build.pid))
            if any("soffice" in _command(pid) for pid in below) and len(below) >= 3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("LibreOffice never started")
        time.sleep(0.3)
        below = set(descendants(build.pid))
        offices = [pid for pid in below if "soffice" in _command(pid)]
        sent = time.monotonic()
        if whole_group:  # Ctrl-C in a terminal: the build and its workers (LibreOffice has its own group)
            os.killpg(build.pid, signal.SIGINT)
        else:
            os.kill(build.pid, signal.SIGINT)
        while any(_alive(pid) for pid in below) and time.monotonic() - sent < 10:
            time.sleep(0.02)
        stopped = time.monotonic() - sent
        left = [(pid, _command(pid)) for pid in below if _alive(pid)]
        _, err = build.communicate(timeout=30)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert not left, f"still running: {left}"
    assert offices and stopped < 2, f"workers and LibreOffice took {stopped:.2f} s to stop"
    if build.returncode == 0 and b"file(s) built" in err and not whole_group:
        pass  # the build had just finished when the signal came: nothing was interrupted (seen on a fast run)
    else:
        assert build.returncode == 130 and b"interrupted" in err, err
    assert err.count(b"Traceback") == 0, err
    out = folder / "output"
    bad = [p for p in _final_files(out) if not _valid(p)]
    assert not bad, f"invalid file under a final name: {bad[:3]}"
    again = _leaflet(folder, "build", *PDF_FORMATS)
    assert again.returncode in (0, 1), again.stderr
    for manifest_path in out.glob("*/*/manifest.json"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for name, entry in manifest["files"].items():
            data = (manifest_path.parent / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert len(list(out.rglob("*-large-print.pdf"))) == EXAMPLE_BUILDS, "the next build finished the job"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("leaflet-")]


def test_bad_input_found_by_a_worker_is_reported_as_in_one_process(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from pipeline.errors import LeafletError
    from pipeline.exporters import html

    def broken(leaflet, **options):  # type: ignore[no-untyped-def]
        if leaflet.meta.language == "pl":
            raise LeafletError("locales/pl/LC_MESSAGES/RAD_0102.po", "a message that cannot be written", 12)
        return real(leaflet, **options)

    real = html.export_html
    monkeypatch.setattr(html, "export_html", broken)
    results = [run_cli("build", "-f", "html", "--jobs", jobs, "--out", f"out{jobs}") for jobs in ("1", "2")]
    for result in results:
        assert result.code == 2
        assert "leaflet: error: locales/pl/LC_MESSAGES/RAD_0102.po:12: a message that cannot be written" in result.err
        assert "Traceback" not in result.err


def test_a_worker_that_dies_is_reported_by_the_build(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from pipeline.exporters import text

    def dying(leaflet, **options):  # type: ignore[no-untyped-def]
        if leaflet.meta.language == "cy":
            os.kill(os.getpid(), signal.SIGKILL)  # as if the kernel ended it (out of memory)
        return real(leaflet, **options)

    real = text.export_text
    monkeypatch.setattr(text, "export_text", dying)
    result = run_cli("build", "-f", "text", "--jobs", "2")
    assert result.code == 1
    assert "a build worker stopped unexpectedly" in result.err, result.err
    for manifest_path in Path("output").glob("*/*/manifest.json"):  # what was recorded is whole
        for name, entry in json.loads(manifest_path.read_text(encoding="utf-8"))["files"].items():
            data = (manifest_path.parent / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_warnings_from_workers_reach_the_log(run_cli, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from pipeline.exporters import text

    real = text.export_text

    def noisy(leaflet, **options):  # type: ignore[no-untyped-def]
        import logging

        logging.getLogger("pipeline").warning("%s %s: a note from the exporter", leaflet.meta.code,
                                              leaflet.meta.language)
        return real(leaflet, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "export_text", noisy)
        result = run_cli("build", "-f", "text", "--jobs", "2")
    assert result.code in (0, 1), result.err
    notes = [r.getMessage() for r in caplog.records if "a note from the exporter" in r.getMessage()]
    assert len(notes) == EXAMPLE_BUILDS and len(set(notes)) == EXAMPLE_BUILDS, notes
