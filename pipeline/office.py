"""LibreOffice, wrapped: headless conversion of a DOCX to a tagged PDF.

Each process gets its own LibreOffice user profile in a temporary folder, because
two LibreOffice instances sharing a profile block each other (``make -j``).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

_PDF_FILTER = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
               '"EmbedStandardFonts":{"type":"boolean","value":"true"}}')


class OfficeError(RuntimeError):
    """LibreOffice is missing or failed to convert."""


def soffice() -> str | None:
    """The LibreOffice program, or ``None`` when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def version() -> str:
    """``LibreOffice 7.4.7.2``, for the manifest."""
    program = soffice()
    if program is None:
        return "LibreOffice (not installed)"
    done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60)
    return " ".join(done.stdout.split()[:2]) or "LibreOffice"


_work_root: Path | None = None


@contextlib.contextmanager
def work_under(folder: Path) -> Iterator[None]:
    """Keep LibreOffice's temporary folders (its profile, the conversion) in ``folder`` while inside.

    A build puts them under ``output/.cache/tmp``, so what a killed build leaves is swept by
    the next one (:func:`pipeline.output.sweep`) instead of lingering in ``/tmp``.
    """
    global _work_root
    previous, _work_root = _work_root, folder.absolute()
    try:
        yield
    finally:
        _work_root = previous


def _work_dir() -> str:
    if _work_root is None:
        return tempfile.gettempdir()
    _work_root.mkdir(parents=True, exist_ok=True)
    return str(_work_root)


_profiles: dict[tuple[str, int], Path] = {}


def _profile(root: str) -> Path:
    """A LibreOffice user profile for this process (a build worker gets its own), in the temporary
    folder in use (under output/ in a build)."""
    key = (root, os.getpid())
    if key not in _profiles:
        folder = Path(tempfile.mkdtemp(prefix="leaflet-lo-", dir=root))
        atexit.register(shutil.rmtree, folder, True)
        _profiles[key] = folder
    return _profiles[key]


def _die_with_parent() -> None:
    """In the child: be killed if the build is (Linux), so no LibreOffice outlives a killed build."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in a process group of its own, ended with everything it started on any exit."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=_die_with_parent if sys.platform == "linux" else None)  # noqa: PLW1509
    try:
        out, err = process.communicate(timeout=timeout)
    except BaseException:  # a time-out, Ctrl-C, an error: LibreOffice does not outlive the build
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


_made: dict[str, bytes] = {}
"""PDFs converted ahead by :func:`convert_many`, by the SHA-256 of their DOCX; taken once."""


def convert_many(documents: list[tuple[str, bytes]], timeout_per_file: float = 60) -> None:
    """Convert several DOCX files in one LibreOffice run; :func:`docx_to_pdf` then returns them at once.

    Nothing is raised: a file this run did not convert (LibreOffice crashed, hung past the
    time limit, or refused it) is converted on its own by :func:`docx_to_pdf`, which says
    what went wrong with that file by name.
    """
    program = soffice()
    todo = {hashlib.sha256(data).hexdigest(): (name, data) for name, data in documents}
    todo = {key: value for key, value in todo.items() if key not in _made}
    if program is None or len(todo) < 2:
        return
    with tempfile.TemporaryDirectory(prefix="leaflet-pdf-", dir=_work_dir()) as work:
        sources = {}
        for n, (key, (name, data)) in enumerate(todo.items()):
            source = Path(work) / f"{n:04d}-{name}.docx"
            source.write_bytes(data)
            sources[key] = source
        profile = _profile(_work_dir())
        with contextlib.suppress(subprocess.TimeoutExpired):
            _run([program, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                  "--convert-to", _PDF_FILTER, "--outdir", work, *map(str, sources.values())],
                 timeout=30 + timeout_per_file * len(sources))
        for key, source in sources.items():
            target = source.with_suffix(".pdf")
            if target.exists() and target.stat().st_size > 0:
                _made[key] = target.read_bytes()


def forget_converted() -> None:
    """Drop PDFs converted ahead and not taken (a build that stopped early).

    In a build worker, also remove its LibreOffice profile: a worker ends without running
    ``atexit`` handlers.
    """
    _made.clear()
    from pipeline.workers import in_worker

    if in_worker():
        for key in [k for k in _profiles if k[1] == os.getpid()]:
            shutil.rmtree(_profiles.pop(key), ignore_errors=True)


def docx_to_pdf(docx: bytes, name: str = "leaflet", timeout: float = 180, dated: dt.date | None = None) -> bytes:
    """Convert DOCX bytes to a tagged PDF with embedded fonts (or take it from :func:`convert_many`).

    The PDF is dated ``dated`` (default 2000-01-01), not the moment of conversion, and its
    identifiers are made from its content: the same document gives the same bytes.
    """
    made = _made.pop(hashlib.sha256(docx).hexdigest(), None)
    if made is not None:
        return reproducible(made, dated)
    program = soffice()
    if program is None:
        from pipeline.programs import missing_program

        raise OfficeError(missing_program("soffice") or "LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="leaflet-pdf-", dir=_work_dir()) as work:
        source = Path(work) / f"{name}.docx"
        source.write_bytes(docx)
        profile = _profile(_work_dir())
        try:
            done = _run([program, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                         "--convert-to", _PDF_FILTER, "--outdir", work, str(source)], timeout)
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice took more than {timeout:.0f} s to convert {name}.docx; "
                              "it was stopped") from None
        target = Path(work) / f"{name}.pdf"
        if done.returncode != 0 or not target.exists():
            detail = done.stderr.strip() or done.stdout.strip()
            raise OfficeError(f"LibreOffice could not convert {name}.docx: {detail}")
        return reproducible(target.read_bytes(), dated)


_CREATED = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_IDS = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def reproducible(pdf: bytes, dated: dt.date | None = None) -> bytes:
    """LibreOffice's PDF with the time of conversion replaced by ``dated`` and its file identifier
    and checksum made from the content.  Each replacement has the length of what it replaces,
    so every byte offset in the file stays valid."""
    stamp = (dated or dt.date(2000, 1, 1)).strftime("%Y%m%d000000").encode()
    pdf = _CREATED.sub(lambda m: m.group(1) + stamp, pdf)
    blank = _CHECKSUM.sub(lambda m: m.group(1) + b"0" * 32,
                          _IDS.sub(lambda m: m.group(1) + b"0" * 32 + m.group(3) + b"0" * 32 + m.group(5), pdf))
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    pdf = _IDS.sub(lambda m: m.group(1) + digest + m.group(3) + digest + m.group(5), pdf)
    return _CHECKSUM.sub(lambda m: m.group(1) + digest, pdf)
