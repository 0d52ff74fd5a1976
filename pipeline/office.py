"""LibreOffice, wrapped: headless conversion of a DOCX to a tagged PDF.

Each process gets its own LibreOffice user profile in a temporary folder, because
two LibreOffice instances sharing a profile block each other (``make -j``).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
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


@functools.cache
def _profile() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="leaflet-lo-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def docx_to_pdf(docx: bytes, name: str = "leaflet", timeout: float = 180) -> bytes:
    """Convert DOCX bytes to a tagged PDF with embedded fonts."""
    program = soffice()
    if program is None:
        from pipeline.programs import missing_program

        raise OfficeError(missing_program("soffice") or "LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="leaflet-pdf-") as work:
        source = Path(work) / f"{name}.docx"
        source.write_bytes(docx)
        done = subprocess.run(
            [program, "--headless", "--norestore", f"-env:UserInstallation={_profile().as_uri()}",
             "--convert-to", _PDF_FILTER, "--outdir", work, str(source)],
            capture_output=True, text=True, timeout=timeout,
        )
        target = Path(work) / f"{name}.pdf"
        if done.returncode != 0 or not target.exists():
            detail = done.stderr.strip() or done.stdout.strip()
            raise OfficeError(f"LibreOffice could not convert {name}.docx: {detail}")
        return target.read_bytes()
