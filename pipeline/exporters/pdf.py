"""PDF: not a writer of its own, but the DOCX writer plus an engine (LibreOffice)."""

from __future__ import annotations

from pipeline.exporters.docx import export_docx
from pipeline.exporters.profiles import LARGE_PRINT_PDF, DocxProfile
from pipeline.model import Leaflet
from pipeline.office import convert_many, docx_to_pdf


def export_pdf(leaflet: Leaflet, profile: DocxProfile = LARGE_PRINT_PDF) -> bytes:
    """A tagged PDF of the DOCX ``profile`` makes, fonts embedded, title and language set."""
    return docx_to_pdf(export_docx(leaflet, profile), name=leaflet.meta.code, dated=leaflet.meta.reviewed)


def convert_ahead(leaflets: list[Leaflet], profile: DocxProfile = LARGE_PRINT_PDF) -> None:
    """Convert several leaflets in one LibreOffice run, so that :func:`export_pdf` finds them made.

    Starting LibreOffice costs about a second; converting one more file in the same run a
    quarter of that.
    """
    convert_many([(leaflet.meta.code, export_docx(leaflet, profile)) for leaflet in leaflets])
