"""How the section headings and warnings of English leaflets start.

A reader that has lost the markup (a paste, a Word document with bold lines instead of
heading styles) uses these cues to tell a heading from a list item or a bold warning.
"""

from __future__ import annotations

import re

HEADING_START_RE = re.compile(
    r"(?:what|how|when|why|who|where|which|will|can|could|do|does|is|are|should|after|before|during|about"
    r"|contact(?:ing)?(?:\s+us)?|further|more\s+information|useful|going\s+home|risks?|benefits?|alternatives?"
    r"|side\s+effects|preparing|preparation|on\s+the\s+day|follow-?up|results|introduction|summary|getting"
    r"|looking\s+after|caring\s+for|questions|help|feedback|references|leaving|at\s+home|coming\s+into|consent)\b",
    re.I)
"""How section headings start: decides between a heading and the last item of a list."""

WARNING_START_RE = re.compile(
    r"(?:do\s+not|don['’]t|never|always|call|ring|phone|stop|seek|go\s+(?:to|straight)|you\s+must|must|if\b"
    r"|remember|important|warning|caution|please|tell|take|avoid|keep)\b", re.I)
"""How a bold warning starts ("Do not drive for 24 hours"): such a line is never made a heading."""


def heading_like(text: str, max_words: int = 10) -> bool:
    """True when a short line of text reads as a section heading rather than a warning or an item."""
    text = text.strip()
    if not text or len(text.split()) > max_words or text.endswith((".", "!", ":", ";", ",")):
        return False
    if WARNING_START_RE.match(text) and not text.endswith("?"):
        return False
    return text.endswith("?") or bool(HEADING_START_RE.match(text)) or len(text.split()) <= 6


def title_like(text: str) -> bool:
    """True when a line reads as a leaflet's title: at most 15 words, no full stop, not a contact or a fact."""
    from pipeline.patterns import ADDRESS_RE
    from pipeline.phones import has_phone
    from pipeline.readers.metadata import standalone_line

    text = text.strip()
    return (len(text.split()) <= 15 and len(text) <= 100 and not text.endswith((".", ",", ";", ":"))
            and not has_phone(text) and not standalone_line(text) and not ADDRESS_RE.search(text)
            and not re.match(r"[•\-–*▪●◦]\s", text) and any(ch.isalpha() for ch in text))
