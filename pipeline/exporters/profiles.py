"""DOCX profiles: what the standard, large-print and giant-print documents differ in.

Large print is configuration on the one DOCX writer, not a second writer.  This
module imports nothing heavy, so the registry can name profiles cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class DocxProfile:
    """The look of a DOCX: everything the standard and large-print documents differ in."""

    name: str
    """Profile name, e.g. ``standard`` or ``large-print``."""
    body_pt: float = 12
    """Body text size in points; footers, page numbers and labels use it too."""
    font: str = "Arial"
    """Typeface for Latin script (other scripts: :func:`script_fonts`)."""
    heading_scale: tuple[float, ...] = (1.75, 1.4, 1.2, 1.1, 1.05, 1.0)
    """Heading sizes as multiples of the body size, for levels 1 to 6."""
    space_after: float = 0.6
    """Space after each paragraph, as a multiple of the body size (1.0 = one blank line)."""
    line_spacing: float = 1.15
    """Line spacing (1.0 = single)."""
    italics: bool = True
    """When False, emphasis is rendered bold: UKAAF large print allows no italics."""
    underline_links: bool = True
    """When False, links are plain text with their address written out, never underlined."""
    margin_cm: float = 2.0
    """Page margins on every side."""
    cover_label: str | None = None
    """Label key (see :mod:`pipeline.labels`) for a first page saying what the document is."""
    sizeable: bool = False
    """True when users may choose the body size (``--point-size``)."""
    keep_words_whole: bool = False
    """When True, hyphenated words ("9am-5pm", web addresses) never break across lines (UKAAF)."""
    tables_as_blocks: bool = False
    """When True, a table is one block per row, each cell labelled by its column heading (UKAAF: no columns in
    large print; at 18 pt and more a long word breaks inside a narrow cell)."""
    complex_fonts: tuple[tuple[str, str], ...] = ()
    """(language, font) pairs that replace the usual complex-script font, e.g. for a PDF made here."""
    house: Any = None
    """The trust's house style (:class:`pipeline.house.House`), or ``None`` for the plain default."""

    @property
    def large(self) -> bool:
        """True for large and giant print, where the large-print standard overrides a house style."""
        return self.cover_label is not None


STANDARD = DocxProfile(name="standard")
LARGE_PRINT = DocxProfile(
    name="large-print", body_pt=18, heading_scale=(1.5, 1.3, 1.15, 1.1, 1.05, 1.0), space_after=1.0,
    line_spacing=1.0, italics=False, underline_links=False, cover_label="large_print", sizeable=True,
    keep_words_whole=True, tables_as_blocks=True,
)
"""UKAAF large print: 18 pt Arial, single spacing, a blank line between paragraphs, no italics or underlining."""
# Noto Naskh rather than Noto Nastaliq for Urdu: the PDF's text must extract correctly for
# screen readers, and LibreOffice 7.4's Nastaliq output does not.
PDF_FONTS = (("ur", "Noto Naskh Arabic"), ("ar", "Noto Naskh Arabic"), ("fa", "Noto Naskh Arabic"),
             ("ps", "Noto Naskh Arabic"), ("ckb", "Noto Naskh Arabic"), ("bn", "Noto Sans Bengali"),
             ("hi", "Noto Sans Devanagari"), ("ne", "Noto Sans Devanagari"), ("pa", "Noto Sans Gurmukhi"))
"""Fonts for a PDF made on this machine, which embeds them: the Noto families LibreOffice has here."""
LARGE_PRINT_PDF = replace(LARGE_PRINT, complex_fonts=PDF_FONTS)
"""Large print for PDF: the same profile, with fonts that exist where the PDF is made."""
GIANT_PRINT = replace(LARGE_PRINT, name="giant-print", body_pt=24, cover_label="giant_print")
"""Giant print: the large-print profile at 24 pt."""

MIN_LARGE_PRINT_PT = 16
MAX_LARGE_PRINT_PT = 48
