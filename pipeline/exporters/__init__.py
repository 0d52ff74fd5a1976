"""The exporter registry: every output format the pipeline can build, at a glance.

Adding a format is one module in this package plus one line in :data:`FORMATS`.
An exporter is a function from a :class:`~pipeline.model.Leaflet` (and the entry's
options) to ``str`` (``kind="text"``, written as UTF-8) or ``bytes``.  Exporters never
touch files: the CLI names, writes and records what they return.

Entries name their function as ``"module:function"`` so that a build that has
nothing to do never imports python-docx or any other heavy library.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pipeline.model import Leaflet


@dataclass(frozen=True, slots=True)
class Format:
    """One output format."""

    name: str
    """What users type: ``leaflet build --format NAME``."""
    suffix: str
    """Appended to ``<CODE>-<locale>`` to name the file, e.g. ``.docx``."""
    kind: Literal["text", "bytes"]
    """Whether the exporter returns text (written as UTF-8) or bytes."""
    exporter: str
    """``module:function`` of the exporter."""
    description: str
    """One line for ``leaflet formats`` and the README."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Keyword arguments for the exporter, e.g. a DOCX profile."""
    engine: str | None = None
    """The library (PyPI name) that makes the file, recorded with its version in the manifest."""

    def export(self, leaflet: Leaflet) -> str | bytes:
        """Run the exporter on ``leaflet``."""
        module, _, function = self.exporter.partition(":")
        func: Callable[..., str | bytes] = getattr(importlib.import_module(module), function)
        result = func(leaflet, **self.options)
        expected = str if self.kind == "text" else bytes
        if not isinstance(result, expected):
            raise TypeError(f"exporter {self.exporter} returned {type(result).__name__}")
        return result


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("text", ".txt", "text", "pipeline.exporters.text:export_text",
           "Plain UTF-8 text for e-mail and screen readers"),
    Format("docx", ".docx", "bytes", "pipeline.exporters.docx:export_docx",
           "Accessible Word document (Arial 12 pt, real headings, lists and links)",
           engine="python-docx"),
)}
