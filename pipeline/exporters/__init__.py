"""The exporter registry: every output format the pipeline can build, at a glance.

Adding a format is one module in this package plus one line in :data:`FORMATS`.
An exporter is a function from a :class:`~pipeline.model.Leaflet` (and the entry's
options) to ``str`` (``kind="text"``, written as UTF-8), ``bytes``, or a :class:`Bundle`
of several files (``kind="files"``, e.g. audio tracks and a playlist).  Exporters never
write output files: the CLI names, writes and records what they return.

Entries name their function as ``"module:function"`` so that a build that has
nothing to do never imports python-docx or any other heavy library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pipeline.exporters.profiles import GIANT_PRINT, LARGE_PRINT, LARGE_PRINT_PDF, STANDARD, DocxProfile
from pipeline.model import Leaflet, printable


class FormatUnavailable(RuntimeError):
    """This format cannot be made for this leaflet here (e.g. no voice for the language)."""


@dataclass(frozen=True, slots=True)
class Bundle:
    """Several files from one exporter, named relative to the locale folder.

    ``{stem}`` in a name stands for ``<CODE>-<locale>`` and ``{audio}`` for the audio
    folder; the build fills them in (drafts get ``-DRAFT`` in both).
    """

    files: dict[str, bytes]
    """Relative name -> content.  The one named ``{stem}<suffix>`` is the main file."""
    engine: str
    """What made the files, for the manifest, e.g. ``eSpeak NG 1.52.0, voice en``."""


@dataclass(frozen=True, slots=True)
class Format:
    """One output format."""

    name: str
    """What users type: ``leaflet build --format NAME``."""
    suffix: str
    """Appended to ``<CODE>-<locale>`` to name the file, e.g. ``.docx``."""
    kind: Literal["text", "bytes", "files"]
    """Whether the exporter returns text (written as UTF-8), bytes, or a :class:`Bundle`."""
    exporter: str
    """``module:function`` of the exporter."""
    description: str
    """One line for ``leaflet formats`` and the README."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Keyword arguments for the exporter, e.g. a DOCX profile."""
    engine: str | None = None
    """The library (PyPI name) that makes the file, recorded with its version in the manifest."""
    requires: str | None = None
    """A system program the format needs (checked before building; skipped with a hint if missing)."""
    aliases: tuple[str, ...] = ()
    """Other names users type for it (lower case, hyphens): ``pdf``, ``mp3``, ``word``."""
    availability: str | None = None
    """``module:function(locale, **options) -> str | None``: why the format cannot be made in a
    language (e.g. no voice), asked before building; ``None`` means it can."""
    ahead: str | None = None
    """``module:function(leaflets, **options) -> None``: prepare many leaflets at once before they
    are exported one by one (the PDF: one LibreOffice run for several files).  Only an
    optimisation: :meth:`export` gives the same bytes without it."""
    speech: bool = False
    """The format speaks: it takes ``--tts`` and the speech cache as options."""
    styled: bool = False
    """True when the exporter takes the house style itself (``house=``: the web page and e-book); the DOCX
    formats take it in their profile, the others only the trust's name."""
    setup: str | None = None
    """``module:function(**options) -> None``: run once in the build's main process before any
    leaflet is exported, for what must be decided once per build, not once per worker process
    (the speech engine ``auto`` chooses)."""

    def _options(self, exporting: bool = False) -> dict[str, Any]:
        """The options the entry's functions take: the house style only to a ``styled`` exporter."""
        options = dict(self.options)
        house = options.pop("house", None)
        if house is not None and self.styled and exporting:
            options["house"] = house
        return options

    def _house(self, leaflet: Leaflet) -> Leaflet:
        house = self.options.get("house")
        return house.apply(leaflet) if house is not None else leaflet

    def export(self, leaflet: Leaflet) -> str | bytes | Bundle:
        """Run the exporter on ``leaflet`` (with the trust's name from the house style where it lacks one)."""
        module, _, function = self.exporter.partition(":")
        func: Callable[..., str | bytes | Bundle] = getattr(importlib.import_module(module), function)
        result = func(printable(self._house(leaflet)), **self._options(exporting=True))
        expected = {"text": str, "bytes": bytes, "files": Bundle}[self.kind]
        if not isinstance(result, expected):
            raise TypeError(f"exporter {self.exporter} returned {type(result).__name__}")
        return result

    def prepare(self, leaflets: list[Leaflet]) -> None:
        """Run the entry's ``ahead`` function on ``leaflets``, if it has one."""
        if self.ahead is None or not leaflets:
            return
        module, _, function = self.ahead.partition(":")
        getattr(importlib.import_module(module), function)([printable(self._house(lf)) for lf in leaflets],
                                                           **self._options())

    def start(self) -> None:
        """Run the entry's ``setup`` function, if it has one."""
        if self.setup is not None:
            module, _, function = self.setup.partition(":")
            getattr(importlib.import_module(module), function)(**self._options())

    def unavailable(self, locale: str) -> str | None:
        """Why this format cannot be made in ``locale`` here, or ``None`` (programs and voices)."""
        if self.requires:
            from pipeline.programs import missing_program

            why = missing_program(self.requires)
            if why:
                return why
        if self.availability is None:
            return None
        module, _, function = self.availability.partition(":")
        check: Callable[..., str | None] = getattr(importlib.import_module(module), function)
        return check(locale, **self._options())

    @property
    def profile(self) -> DocxProfile | None:
        """The DOCX profile in the options, if any."""
        profile = self.options.get("profile")
        return profile if isinstance(profile, DocxProfile) else None

    def at_size(self, points: float) -> Format:
        """This format with a large-print body size chosen by the user (``--point-size``).

        The size goes into the file name when it is not the profile's own:
        ``RAD_0102-pl-large-print-20pt.docx``.
        """
        profile = self.profile
        if profile is None or not profile.sizeable or points == profile.body_pt:
            return self
        base, dot, ext = self.suffix.rpartition(".")
        return replace(self, suffix=f"{base}-{points:g}pt{dot}{ext}",
                       options={**self.options, "profile": replace(profile, body_pt=points)})


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("text", ".txt", "text", "pipeline.exporters.text:export_text",
           "Plain UTF-8 text for e-mail and screen readers", aliases=("txt", "plain-text")),
    Format("docx", ".docx", "bytes", "pipeline.exporters.docx:export_docx",
           "Accessible Word document (Arial 12 pt, real headings, lists and links)",
           {"profile": STANDARD}, engine="python-docx", aliases=("word", "standard-print")),
    Format("large-print", "-large-print.docx", "bytes", "pipeline.exporters.docx:export_docx",
           "Large print to the UKAAF standard: Arial 18 pt (--point-size 16 to 48), no italics",
           {"profile": LARGE_PRINT}, engine="python-docx", aliases=("large", "lp", "large-print-docx", "big-print",
                                                                  "bigger-print", "large-text", "big-text")),
    Format("giant-print", "-giant-print.docx", "bytes", "pipeline.exporters.docx:export_docx",
           "Giant print: the large-print profile at 24 pt",
           {"profile": GIANT_PRINT}, engine="python-docx", aliases=("giant",)),
    Format("large-print-pdf", "-large-print.pdf", "bytes", "pipeline.exporters.pdf:export_pdf",
           "Large print as a tagged PDF with embedded fonts (needs LibreOffice)",
           {"profile": LARGE_PRINT_PDF}, engine="LibreOffice", requires="soffice", aliases=("pdf", "large-pdf"),
           ahead="pipeline.exporters.pdf:convert_ahead"),
    Format("html", ".html", "text", "pipeline.exporters.html:export_html",
           "Accessible web page: one file, no scripts, contents list, phone numbers you can tap",
           aliases=("web", "web-page", "htm", "phone", "mobile", "smartphone", "read-on-my-phone",
                    "on-my-phone", "read-on-a-phone", "on-screen", "online"), styled=True),
    Format("braille", ".brf", "bytes", "pipeline.exporters.braille:export_braille",
           "Braille ready file for embossers and displays: UEB grade 2, 40 cells x 25 lines (needs liblouis)",
           engine="liblouis", requires="liblouis", aliases=("brf", "braille-ready-file", "ueb"),
           availability="pipeline.exporters.braille:unavailable"),
    Format("epub", ".epub", "files", "pipeline.exporters.epub:export_epub",
           "EPUB 3 read-along e-book (Thorium Reader, Apple Books, Dolphin EasyReader): each sentence heard "
           "and highlighted (--tts)", {"engine": "auto"}, aliases=("e-book", "ebook", "epub3", "read-along"),
           setup="pipeline.speech.audio:choose_engine", speech=True, styled=True),
    Format("audio", ".mp3", "files", "pipeline.speech.audio:export_audio",
           "MP3 with a chapter per section, section tracks, playlist and speech script (--tts)",
           {"engine": "auto"}, aliases=("mp3", "sound", "speech", "spoken", "listen", "listening", "hear", "cd",
                                        "voice", "read-aloud", "read-to-me"),
           availability="pipeline.speech.audio:unavailable", setup="pipeline.speech.audio:choose_engine",
           speech=True),
)}
