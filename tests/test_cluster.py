"""Building on a Dask cluster (``leaflet build --cluster ADDRESS``).

Each test starts a real scheduler and worker processes with Dask's own commands, on the
loopback address, each with a deadline, and stops them afterwards.  Workers send the
files back; the build writes them, and must give the bytes ``--jobs 1`` gives.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.office import soffice
from tests.conftest import LEAFLETS, LOCALES, ROOT
from tests.test_parallel import _digests as _all_digests

DASK = Path(sys.executable).parent / "dask"
START_WAIT = 60.0
"""Seconds a scheduler or worker has to start before the test fails."""
SOURCES = ["leaflets/PHY_0015-after-a-hip-replacement.txt", "leaflets/CARD_0040-heart-monitor.docx"]
FORMATS = ["-f", "text", "-f", "docx", "-f", "large-print", "-f", "html", "-f", "braille", "-f", "epub"] + (
    ["-f", "large-print-pdf"] if soffice() else [])
"""Every kind of format: text, DOCX, LibreOffice's PDF (made ahead in batches), liblouis, speech (the
read-along book); the MP3s are compared in the speech cache test."""


class LocalCluster:
    """A Dask scheduler and workers, each its own process, on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    def _start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - the process keeps it
        process = subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                   env=env or dict(os.environ), start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def start_scheduler(self) -> str:
        self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                    "--scheduler-file", str(self.file))
        deadline = time.monotonic() + START_WAIT
        while not self.file.exists() or not self.file.read_text().strip().endswith("}"):
            assert time.monotonic() < deadline, (self.folder / "scheduler.log").read_text()
            time.sleep(0.1)
        import json

        self.address: str = json.loads(self.file.read_text())["address"]
        return self.address

    def add_worker(self, name: str, env: dict[str, str] | None = None, wait: bool = True) -> None:
        self.workers[name] = self._start(name, "worker", "--scheduler-file", str(self.file), "--nthreads", "1",
                                         "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", name,
                                         "--death-timeout", "60", env=env)
        if wait:
            self.wait_for(lambda names: name in names)

    def client(self) -> object:
        from distributed import Client

        return Client(self.address, timeout=START_WAIT, set_as_default=False)

    def names(self) -> set[str]:
        client = self.client()
        try:
            return {info["name"] for info in client.scheduler_info(n_workers=-1)["workers"].values()}
        finally:
            client.close()

    def wait_for(self, condition: object) -> None:
        deadline = time.monotonic() + START_WAIT
        while not condition(self.names()):  # type: ignore[operator]
            assert time.monotonic() < deadline, "workers did not start: " + " ".join(
                (self.folder / f"{n}.log").read_text()[-500:] for n in self.workers)
            time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """A scheduler and two worker processes, for the module's tests."""
    local = LocalCluster(tmp_path_factory.mktemp("cluster"))
    try:
        local.start_scheduler()
        local.add_worker("one", wait=False)
        local.add_worker("two", wait=False)
        local.wait_for(lambda names: {"one", "two"} <= names)
        yield local
    finally:
        local.stop()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(LEAFLETS, tmp_path / "leaflets")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return tmp_path


def _leaflet(folder: Path, *args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=timeout)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples built by one process (``--jobs 1``), every format, to compare with."""
    folder = tmp_path_factory.mktemp("one")
    shutil.copytree(LEAFLETS, folder / "leaflets")
    shutil.copytree(LOCALES, folder / "locales")
    done = _leaflet(folder, "build", "--jobs", "1", "--tts", "espeak", "--out", "out", *FORMATS, *SOURCES)
    assert done.returncode == 0, done.stderr
    return folder / "out"


def _digests(out: Path) -> dict[str, str]:
    """Every output file's SHA-256 (manifests without their times); not the source index, which
    holds the absolute paths of the sources, here in another folder than ``--jobs 1`` read."""
    found = _all_digests(out)
    assert found.pop(".sources.json")
    return found


def _with_speech_of(reference: Path, out: Path) -> None:
    # eSpeak NG's pitch flutter runs on from one utterance to the next inside the library, so a
    # sentence synthesised afresh differs slightly from run to run: with the same cache, the same
    # sound goes in, and every byte of every MP3 must then be the same.
    shutil.copytree(reference / ".cache" / "speech", out / ".cache" / "speech")


@pytest.mark.slow
def test_the_cluster_makes_the_same_files_as_one_process(cluster: LocalCluster, one_process: Path,
                                                          folder: Path) -> None:
    _with_speech_of(one_process, folder / "out")
    done = _leaflet(folder, "build", "--cluster", cluster.address, "--tts", "espeak", "--out", "out", *FORMATS,
                    *SOURCES)
    assert done.returncode == 0, done.stderr
    assert f"making the files on the cluster at {cluster.address} (2 worker(s))" in done.stderr
    first, second = _digests(one_process), _digests(folder / "out")
    kinds = {Path(name).suffix for name in first}
    assert {".txt", ".docx", ".html", ".brf", ".epub", ".json"} <= kinds, kinds
    assert len(first) > 60 and first.keys() == second.keys()
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"differ between --jobs 1 and the cluster: {differ[:5]}"
    # Both workers made some of them (the cluster was used, not this process).
    logs = {name: (cluster.folder / f"{name}.log").read_text() for name in ("one", "two")}
    assert all("Starting Worker" in log for log in logs.values())
    # Run again: nothing to do, nothing sent.
    again = _leaflet(folder, "build", "--cluster", cluster.address, "--tts", "espeak", "--out", "out", *FORMATS,
                     *SOURCES)
    assert again.returncode == 0 and " 0 file(s) built" in again.stderr, again.stderr


def _cache(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / ".cache" / "speech").rglob("*.pcm")}


@pytest.mark.slow
def test_workers_share_the_speech_cache_and_synthesise_nothing_twice(cluster: LocalCluster, folder: Path) -> None:
    args = ["build", "--cluster", cluster.address, "--tts", "espeak", "--out", "out", "-f", "audio", "-f", "epub",
            "-l", "en_GB", "-l", "pl", SOURCES[0]]
    first = _leaflet(folder, *args)
    assert first.returncode == 0, first.stderr
    made = _cache(folder / "out")
    assert len(made) > 20
    mp3 = (folder / "out" / "PHY_0015" / "pl" / "PHY_0015-pl.mp3").read_bytes()
    for path in (folder / "out" / "PHY_0015").rglob("*"):
        if path.is_file():
            path.unlink()
    for manifest in (folder / "out").rglob("manifest.json"):
        manifest.unlink()
    second = _leaflet(folder, *args)
    assert second.returncode == 0, second.stderr
    # Every piece came from the cache the first build left (not one file rewritten, none added),
    # whichever worker made the file the second time: the same sound, the same bytes.
    assert _cache(folder / "out") == made
    assert (folder / "out" / "PHY_0015" / "pl" / "PHY_0015-pl.mp3").read_bytes() == mp3
    # And one process given the same sound makes the same MP3s, tracks, playlists and books.
    _with_speech_of(folder / "out", folder / "one")
    one = _leaflet(folder, *[a for a in args if a not in ("--cluster", cluster.address)], "--jobs", "1",
                   "--out", "one")
    assert one.returncode == 0, one.stderr
    here, there = _digests(folder / "one"), _digests(folder / "out")
    assert any(name.endswith(".mp3") for name in here) and here == there


@pytest.mark.slow
def test_a_worker_killed_mid_task_loses_nothing(cluster: LocalCluster, one_process: Path, folder: Path) -> None:
    cluster.add_worker("doomed")
    _with_speech_of(one_process, folder / "out")
    build = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "--cluster", cluster.address, "--tts",
                              "espeak", "--out", "out", *FORMATS, *SOURCES], cwd=folder, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.extend(build.stderr or []), daemon=True)
    reader.start()
    client = cluster.client()
    killed = False
    try:
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline and build.poll() is None:
            busy = {info["name"] for address, info in client.scheduler_info(n_workers=-1)["workers"].items()  # type: ignore[attr-defined]
                    if client.processing([address]).get(address)}  # type: ignore[attr-defined]
            if "doomed" in busy:
                os.kill(cluster.workers["doomed"].pid, signal.SIGKILL)  # in the middle of making files
                killed = True
                break
            time.sleep(0.05)
        build.wait(timeout=600)
    finally:
        client.close()  # type: ignore[attr-defined]
        if build.poll() is None:
            build.kill()
            build.wait()
        reader.join(10)
        if build.stderr:
            build.stderr.close()
    assert killed, "the extra worker was never given a task"
    text = "".join(err)
    assert build.returncode == 0, text
    assert "Traceback" not in text
    first, second = _digests(one_process), _digests(folder / "out")
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []
    cluster.wait_for(lambda names: "doomed" not in names)


class _Listener:
    """A loopback port where something that is not a Dask scheduler answers."""

    def __init__(self, answer: bytes | None, close: bool) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.answer, self.close, self.held = answer, close, []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            if self.answer is not None:
                conn.sendall(self.answer)
            if self.close:
                conn.close()
            else:
                self.held.append(conn)  # says nothing more, keeps the line open


def _closed_port() -> str:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return f"tcp://127.0.0.1:{server.getsockname()[1]}"


@pytest.mark.parametrize("kind", ["refused", "no-port", "not-an-address", "web-server", "hangs-up", "silent",
                                  "empty"])
@pytest.mark.slow
def test_a_scheduler_that_cannot_be_reached_is_one_line_and_exit_2(folder: Path, kind: str) -> None:
    listener = None
    if kind in ("web-server", "hangs-up", "silent"):
        listener = _Listener({"web-server": b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4,
                              "hangs-up": None, "silent": None}[kind], close=kind != "silent")
    address = {"refused": _closed_port(), "no-port": "127.0.0.1", "not-an-address": "http://[::1", "empty": " ",
               }.get(kind) or (listener.address if listener else "")
    started = time.monotonic()
    done = _leaflet(folder, "build", "--cluster", address, "-f", "text", LEAFLET_CLUSTER_TIMEOUT="2")
    took = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0], done.stderr
    assert "dask scheduler" in lines[0] and "without --cluster" in lines[0]
    assert not (folder / "output").exists()  # nothing read, nothing written
    assert took < 30, f"took {took:.1f} s to say so"


@pytest.mark.slow
def test_a_scheduler_with_no_workers_is_one_line_and_exit_2(folder: Path, tmp_path: Path) -> None:
    empty = LocalCluster(tmp_path / "empty")
    empty.folder.mkdir()
    try:
        address = empty.start_scheduler()
        done = _leaflet(folder, "build", "--cluster", address, "-f", "text", LEAFLET_CLUSTER_TIMEOUT="1")
    finally:
        empty.stop()
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "has no workers (waited 3 s)" in lines[0] and "dask worker" in lines[0], lines
    assert not (folder / "output").exists()


@pytest.mark.slow
def test_a_worker_running_other_code_is_refused_before_anything_is_made(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(ROOT / "pipeline", other / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "pipeline" / "cluster.py").open("a") as fh:
        fh.write("\n# another commit\n")
    odd = LocalCluster(tmp_path / "odd")
    odd.folder.mkdir()
    try:
        address = odd.start_scheduler()
        odd.add_worker("elsewhere", env={**os.environ, "PYTHONPATH": str(other)})
        done = _leaflet(folder, "build", "--cluster", address, "-f", "text")
    finally:
        odd.stop()
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "would not make the same files as this machine: the pipeline's code differs" in lines[0]
    assert "restart its workers" in lines[0]
    assert not (folder / "output").exists()


def test_differences_name_each_package_program_and_font() -> None:
    from pipeline.cluster import _differences, facts

    here = facts(["text", "braille", "large-print-pdf"])
    assert "code" in here and "versions" in here
    there = {**here, "versions": {**here["versions"], "python-docx": "0.8.0"},
             "program:liblouis": "missing (liblouis is not installed)", "fonts": "abc"}
    said = _differences(here, there)
    assert any(s.startswith("python-docx 0.8.0 (here ") for s in said), said
    assert any(s.startswith("liblouis missing") for s in said), said
    assert any("other fonts" in s for s in said), said
    assert _differences(here, dict(here)) == []


def test_make_passes_cluster_to_the_build() -> None:
    done = subprocess.run(["make", "-n", "-C", str(ROOT), "build", "CLUSTER=tcp://10.0.0.5:8786"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "--cluster 'tcp://10.0.0.5:8786'" in done.stdout
    plain = subprocess.run(["make", "-n", "-C", str(ROOT), "build"], capture_output=True, text=True, timeout=60,
                           check=False)
    assert "--cluster" not in plain.stdout


@pytest.mark.slow
def test_ctrl_c_stops_a_cluster_build_and_takes_back_its_work(cluster: LocalCluster, folder: Path) -> None:
    from tests.test_interrupt import _final_files, _valid

    build = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "build", "--cluster", cluster.address, "--tts",
                              "espeak", "--out", "out", *FORMATS, *SOURCES], cwd=folder, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + START_WAIT
        while not list((folder / "out").rglob("manifest.json")):  # the first files have come back
            assert time.monotonic() < deadline and build.poll() is None, "no file was made"
            time.sleep(0.05)
        build.send_signal(signal.SIGINT)
        _, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 130 and b"interrupted" in err, err
    assert b"Traceback" not in err, err
    bad = [p for p in _final_files(folder / "out") if not _valid(p)]
    assert not bad, f"invalid file under a final name: {bad[:3]}"
    # What was sent was taken back: the workers are free at once for the next build, which finishes it.
    client = cluster.client()
    try:
        deadline = time.monotonic() + 30
        while any(client.processing().values()):  # type: ignore[attr-defined]
            assert time.monotonic() < deadline, "the interrupted build's tasks are still running"
            time.sleep(0.1)
    finally:
        client.close()  # type: ignore[attr-defined]
    again = _leaflet(folder, "build", "--cluster", cluster.address, "--tts", "espeak", "--out", "out", *FORMATS,
                     *SOURCES)
    assert again.returncode == 0, again.stderr
    assert "NOT BUILT" not in again.stderr and "Traceback" not in again.stderr


def test_bytes_that_do_not_match_their_sha256_are_not_written(tmp_path: Path) -> None:
    import hashlib

    from pipeline.build import _Made, _written

    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    made = _Made("text", good, "key", ((good, hashlib.sha256(b"right").hexdigest(), 5),
                                       (bad, hashlib.sha256(b"right").hexdigest(), 5)))
    with pytest.raises(RuntimeError, match="do not match the SHA-256"):
        _written(made, {good: b"right", bad: b"wrong"})
    assert not good.exists() and not bad.exists()  # checked first, then written
    assert _written(made, {good: b"right", bad: b"right"}) is made
    assert good.read_bytes() == bad.read_bytes() == b"right"


def test_a_file_error_on_a_worker_is_named_as_the_workers() -> None:
    from pipeline.cluster import _run_task

    def unwritable(folder: str) -> None:
        Path(folder, "x").write_bytes(b"")

    with pytest.raises(RuntimeError, match=r"on the cluster worker .*: /nonexistent/folder/x: No such file"):
        _run_task(unwritable, "/nonexistent/folder")


def test_the_worker_check_covers_the_voices_when_speech_is_made() -> None:
    from pipeline.cluster import _differences, facts

    spoken, silent = facts(["audio"]), facts(["text"])
    assert "voices" in spoken and "voices" not in silent
    assert any(s.startswith("other voices") for s in _differences(spoken, {**spoken, "voices": "hibari 9: x@1"}))
