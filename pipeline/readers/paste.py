"""What pasting a leaflet from a web page or a PDF leaves behind, recognised so it can be dropped.

A page number alone on a line, the running header and footer a PDF repeats on every
page, the trust's logo text above the title ("NHS" / "Eastbridge Hospitals" / "NHS
Foundation Trust"), a "Patient information" kicker, and a web page's furniture
("Skip to main content", breadcrumbs, "Show [+]Hide [-]", "Back to top", cookie
banners) are not part of the leaflet.  Each is dropped with a warning naming its line,
never made into a title, a heading or an audio track.  What they say that matters (the
organisation, the department, the code and dates in a running footer) is kept as a fact.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("pipeline")

_WEB_LEFTOVER_RE = re.compile(
    r"skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation)|back\s+to\s+(?:the\s+)?top(?:\s+of\s+(?:the\s+)?page)?"
    r"|(?:show|hide|expand|collapse|open|close)\s+(?:all(?:\s+sections)?|section)|menu|search(?:\s+(?:this\s+)?site)?"
    r"|was\s+this\s+page\s+(?:helpful|useful)\??(?:\s+(?:yes|no))*|(?:print|share|e-?mail)\s+this\s+page\b.{0,60}"
    r"|you\s+are\s+here:?.{0,200}|cookies\s+on\s+(?:our|this|the)\s+(?:web\s*)?site.{0,40}"
    r"|.{0,200}\b(?:accept|reject)\s+(?:all\s+|optional\s+|additional\s+)?cookies.{0,80}"
    r"|cookie\s+(?:settings|preferences|policy)|manage\s+cookies"
    r"|(?:(?:print|share(?:\s+this)?|feedback|download(?:\s+(?:as\s+)?pdf)?|tweet|facebook|twitter|x|linkedin|whatsapp"
    r"|e-?mail|top|home|previous|next)[\s|•·,:]*){1,8}",
    re.I)
_CRUMB_SEPARATOR_RE = re.compile(r"[>›»/|]")
_CRUMB_HOME_RE = re.compile(r"\s*(?:home(?:\s*page)?|nhs)\s*", re.I)
_ACCORDION_RE = re.compile(r"(?<!\s)\s*(?:show\s*\[\+\]\s*hide\s*\[-\]|(?:show|expand)\s*\[\+\]"
                           r"|(?:hide|collapse)\s*\[-\]"
                           r"|\[\+\]|\[-\])\s*", re.I)
_PAGE_RE = re.compile(r"\s*(?:[-–—]\s*)?(?:page\s+)?(?:[1-9]\d?|[1-9]\d?\s*(?:of|/)\s*[1-9]\d?)(?:\s*[-–—])?\s*", re.I)
_PAGE_MARK_RE = re.compile(r"(?:^|(?<!\s)\s{2,}|(?<!\s)\s*[|•–—-]\s*)page\s+[1-9]\d{0,2}(?:\s+of\s+[1-9]\d{0,2})?\s*$"
                           r"|^\s*page\s+[1-9]\d{0,2}(?:\s+of\s+[1-9]\d{0,2})?(?:\s{2,}|\s*[|•–—-]\s*)", re.I)
_TRUST_SUFFIX_RE = re.compile(r"(?:NHS\s+(?:Foundation\s+)?Trust|(?:University\s+)?(?:Teaching\s+)?Health\s+Board"
                              r"|Integrated\s+Care\s+Board)\.?", re.I)
_KICKER_RE = re.compile(
    r"(?:(?:patient|public|parent|carer)s?\s+information(?:\s+(?:leaflet|sheet|booklet))?"
    r"|information\s+(?:for|about)\s+(?:patients|you)(?:,?\s+(?:and|relatives|families|carers|visitors)){0,4}"
    r"|patient\s+(?:leaflet|guide)|leaflet\s+for\s+patients|gwybodaeth\s+(?:i|ar\s+gyfer)\s+gleifion"
    r"|taflen\s+wybodaeth(?:\s+i\s+gleifion)?|NHS)\.?", re.I)
_WELSH_ORG_RE = re.compile(r"\b(?:Bwrdd\s+Iechyd|Ymddiriedolaeth\s+GIG|GIG\s+Cymru|Iechyd\s+Cyhoeddus\s+Cymru)\b", re.I)
_DEPARTMENT_RE = re.compile(
    r"(?<![\w'’&-])(?:[A-Z][\w'’&-]*\s+(?:(?:and|of|&)\s+)?){1,5}(?:Department|Unit|Services?|Clinic|Team|Directorate|Division"
    r"|Centre|Center|Suite)")
_BILINGUAL_SPLIT_RE = re.compile(r"(?<!\s)\s+[/|]\s+")


def web_leftover(text: str) -> bool:
    """True for a web page's furniture: "Skip to main content", "Back to top", breadcrumbs, cookie banners."""
    text = text.strip()
    return bool(text) and bool(_breadcrumb(text) or _WEB_LEFTOVER_RE.fullmatch(text))


def _breadcrumb(text: str) -> bool:
    """``Home > Services > Radiology > Lung biopsy``: a trail from the home page (split, not one regular
    expression: a pattern with a repeated group took seconds on a 200-character line)."""
    home, *crumbs = _CRUMB_SEPARATOR_RE.split(text)
    if not crumbs or not _CRUMB_HOME_RE.fullmatch(home):
        return False
    *middle, last = (crumb.strip() for crumb in crumbs)
    return (all(0 < len(crumb) <= 50 for crumb in middle) and 0 < len(last) <= 60 and "." not in last)


def page_number(text: str) -> bool:
    """True for a page number alone on its line: ``12``, ``- 3 -``, ``Page 2 of 8``, ``3/8``."""
    return bool(_PAGE_RE.fullmatch(text))


def without_page_mark(text: str) -> str:
    """``text`` without a ``Page 2 of 8`` at its start or end (a running footer's page number)."""
    return _PAGE_MARK_RE.sub("", text).strip()


def without_accordion(text: str) -> str:
    """``text`` without a web page's accordion controls (``Show [+]Hide [-]``, ``[+]``)."""
    return _ACCORDION_RE.sub(" ", text).strip()


def organisation_line(text: str) -> str | None:
    """The organisation when ``text`` is only its name (logo text), in English if it is given in two languages."""
    from pipeline.readers.metadata import organisation_in

    halves = _BILINGUAL_SPLIT_RE.split(text.strip())
    for half in reversed(halves):
        name = organisation_in(half)
        if name and len(half.split()) <= len(name.split()) + 2:
            return name
    if all(_WELSH_ORG_RE.search(half) for half in halves):
        return ""
    return None


def kicker(text: str) -> bool:
    """True for a line that only says what kind of document this is ("Patient information"), in any half."""
    return all(_KICKER_RE.fullmatch(half) for half in _BILINGUAL_SPLIT_RE.split(text.strip()))


def department_line(text: str) -> bool:
    """True for a short line that only names a department ("Eye Department", "Endoscopy Unit")."""
    return bool(_DEPARTMENT_RE.fullmatch(text.strip().rstrip(".")))


@dataclass
class Header:
    """What the lines above a leaflet's title said: the organisation and department, if named."""

    organisation: str | None = None
    department: str | None = None
    dropped: list[int] = field(default_factory=list)
    warn: bool = True


def header_lines(lines: list[tuple[int, str]], path: str, stop: Callable[[str], bool],
                 warn: bool = True) -> tuple[int, Header]:
    """How many of the leading ``lines`` are logo text, kickers or a department line, and what they said.

    ``lines`` are (line number, text) pairs with blank lines left out.  Scanning stops at
    the first line that is none of these, or for which ``stop`` is true (a line of facts).
    Each line passed over is warned about with its number (unless ``warn`` is false).
    """
    header = Header(warn=warn)
    index = 0
    while index < len(lines):
        number, text = lines[index]
        following = lines[index + 1][1].strip() if index + 1 < len(lines) else ""
        if stop(text):
            break
        if _TRUST_SUFFIX_RE.fullmatch(following) and re.fullmatch(r"(?:[A-Z][\w'’&.-]*\s*){1,6}", text.strip()):
            # A logo split over two lines: "Eastbridge Hospitals" / "NHS Foundation Trust".
            header.organisation = header.organisation or f"{text.strip()} {following.rstrip('.')}"
            _dropped(path, [number, lines[index + 1][0]], "logo text (the organisation's name)", header)
            index += 2
            continue
        name = organisation_line(text)
        if name is not None:
            header.organisation = header.organisation or name or None
            _dropped(path, [number], "logo text (the organisation's name)", header)
        elif kicker(text):
            _dropped(path, [number], f"a heading line saying what the document is ({text.strip()!r})", header)
        elif department_line(text) and index + 1 < len(lines):
            header.department = header.department or text.strip().rstrip(".")
            _dropped(path, [number], "the department's name above the title (kept as the department)", header)
        else:
            break
        index += 1
    return index, header


def _dropped(path: str, numbers: list[int], what: str, header: Header) -> None:
    for number in numbers if header.warn else ():
        log.warning("%s:%d: not part of the leaflet, dropped: %s", path, number, what)
    header.dropped.extend(numbers)


def running_lines(lines: list[tuple[int, str]], pages: set[int]) -> dict[str, list[int]]:
    """Running headers and footers: lines repeated on every page, keyed by their text, with their line numbers.

    ``lines`` are (number, text) pairs; ``pages`` the numbers of page-number lines.  With
    page numbers, a line repeated next to them (within two lines) is running; without, a
    short line without a full stop repeated three times or more, at least 15 lines apart.
    """
    counts = Counter(" ".join(text.split()) for _, text in lines if text.strip())
    running: dict[str, list[int]] = {}
    for text, count in counts.items():
        if count < 2 or len(text.split()) > 20 or re.match(r"[•\-–*▪●◦]\s", text):
            continue
        where = [number for number, line in lines if " ".join(line.split()) == text]
        near = [n for n in where if any(abs(n - p) <= 2 for p in pages)]
        by_pages = bool(pages) and len(near) >= max(1, len(where) - 1)
        spread = (not pages and count >= 3 and len(text.split()) <= 10 and not text.endswith((".", "!", "?", ":"))
                  and min(b - a for a, b in zip(where, where[1:], strict=False)) >= 15)
        if by_pages or spread:
            running[text] = where
    return running
