"""Extraction: a leaflet's translatable units as a gettext template (POT).

:func:`template` builds the pipeline's own POT; :func:`babel_extractor` is the same
extraction behind Babel's ``babel.extractors`` entry point, so ``pybabel extract -F
babel.cfg`` works as Babel users expect.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from pipeline.i18n.catalogues import _Catalog, add_message, new_template
from pipeline.i18n.messages import Unit, contexts, units
from pipeline.model import Leaflet


def _comments(unit: Unit) -> list[str]:
    notes = [unit.comment]
    for name, value in unit.values:
        kind = "".join(ch for ch in name if ch.isalpha())
        what = {"phone": "phone number", "link": "link address", "url": "web address",
                "email": "e-mail address"}[kind]
        notes.append(f"{{{name}}} is the {what} {value}: keep it, the pipeline fills it in.")
    return notes


def template(leaflet: Leaflet, source: str) -> _Catalog:
    """The POT for ``leaflet``; ``source`` is the path written in the ``#:`` references."""
    found = units(leaflet)
    ctx = contexts(found)
    reviewed = leaflet.meta.reviewed
    version = f"reviewed {reviewed:%Y-%m}" if reviewed else None
    catalog = new_template(leaflet.meta.code, leaflet.meta.title, version)
    for unit in found:
        add_message(catalog, unit.msgid, context=ctx[(unit.msgid, unit.role)],
                    comments=_comments(unit), location=(source, unit.line))
    return catalog


def babel_extractor(fileobj: Any, keywords: Mapping[str, Any], comment_tags: Collection[str],
                    options: Mapping[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extraction method for leaflet sources (``[leaflet: leaflets/*.md]`` in babel.cfg)."""
    from pipeline.readers import read_leaflet

    path = getattr(fileobj, "name", "leaflet.md")
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    leaflet = read_leaflet(str(path), fileobj.read())
    found = units(leaflet)
    ctx = contexts(found)
    for unit in found:
        context = ctx[(unit.msgid, unit.role)]
        if context:
            yield unit.line, "pgettext", (context, unit.msgid), _comments(unit)
        else:
            yield unit.line, "gettext", unit.msgid, _comments(unit)
