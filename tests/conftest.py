"""Shared fixtures: paths, the reference leaflet, golden files, running the CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
LEAFLETS = ROOT / "leaflets"
LOCALES = ROOT / "locales"
REFERENCE = ROOT.parent / "shared" / "leaflets" / "RAD_0067-sacroplasty.md"
EXAMPLE_BUILDS = len([p for p in LEAFLETS.iterdir() if not p.name.startswith(".")]) * 4
"""Leaflet-languages ``make`` builds from the examples: each in en_GB, pl, cy and ur (ro is incomplete)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regenerate", action="store_true",
                     help="rewrite the golden files in tests/golden/ from the current output")
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (make test SLOW=1; always in CI, CI=true)")


def _with_slow(config: pytest.Config) -> bool:
    return bool(config.getoption("--slow")) or os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the slow end-to-end runs unless asked for (``--slow``) or in CI: ``make test`` stays
    within five minutes on two cores, and CI runs everything."""
    if _with_slow(config) or config.getoption("markexpr"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
        config.hook.pytest_deselected(items=slow)


def pytest_report_header(config: pytest.Config) -> str:
    if _with_slow(config):
        return "slow tests: included"
    return "slow tests: left out (make test SLOW=1 runs them; CI always does)"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the network: gTTS is never "reachable", so ``--tts auto`` picks eSpeak NG."""
    import pipeline.speech.audio as audio
    import pipeline.speech.engines as engines

    monkeypatch.setattr(engines, "reachable", lambda timeout=3: False)
    monkeypatch.setattr(audio, "reachable", lambda timeout=3: False)
    audio.engine_for.cache_clear()
    audio._accent_notice.cache_clear()


@pytest.fixture
def reference() -> Path:
    """The real leaflet in ../shared (read only; never copied into the repo)."""
    if not REFERENCE.exists():
        pytest.skip(f"reference leaflet not found at {REFERENCE}")
    return REFERENCE


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/<name>``; ``pytest --regenerate`` rewrites it."""
    regenerate = request.config.getoption("--regenerate")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if regenerate:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --regenerate"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return check


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> Callable[..., Result]:
    """Run ``leaflet`` in-process in a fresh working folder holding a copy of leaflets/ and locales/.

    The slow formats (the LibreOffice PDF, 1.5 s a file, and audio) are left out, and the
    EPUB is made without its read-along audio; tests of those use ``run_cli_all``.
    """
    from dataclasses import replace

    from pipeline.exporters import FORMATS

    monkeypatch.delitem(FORMATS, "large-print-pdf")
    monkeypatch.delitem(FORMATS, "audio")
    monkeypatch.setitem(FORMATS, "epub", replace(FORMATS["epub"], speech=False, options={}, setup=None))
    return _runner(capsys, monkeypatch, tmp_path)


@pytest.fixture
def run_cli_all(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                tmp_path: Path) -> Callable[..., Result]:
    """``run_cli`` with every format, the PDF and audio included."""
    return _runner(capsys, monkeypatch, tmp_path)


def _runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> Callable[..., Result]:
    from pipeline.cli import main

    work = tmp_path / "work"
    shutil.copytree(LEAFLETS, work / "leaflets")
    shutil.copytree(LOCALES, work / "locales")
    monkeypatch.chdir(work)

    def run(*argv: str | os.PathLike[str]) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (``CI=true``) a test skipped for a missing program or file fails instead: CI installs them."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() == "true":
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if "not installed" in reason or "not found" in reason:
            report.outcome = "failed"
            report.longrepr = f"skipped in CI, where it must run: {reason}"


@pytest.fixture(autouse=True)
def _labels_read_afresh() -> Iterator[None]:
    """A test that ran the CLI in a folder of its own leaves that folder's labels loaded: the next test reads
    the labels of where it runs."""
    yield
    from pipeline import labels

    labels._STATE["loaded"] = False
