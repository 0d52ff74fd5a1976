"""Leaflet metadata: optional YAML front matter, and detection from the text as written.

Detection rules, applied to the body blocks a reader produced:

* **title**: the first level-1 heading (removed from the body); a reader may pass one.
* **code**: a paragraph that is only a leaflet code (``RAD_0067``, ``CARD-012``), or a
  line ``Leaflet code: X``; removed from the body.  Failing that, the file name's
  leading code (``RAD_0067-sacroplasty.md``).
* **review dates**: a paragraph that is only ``Reviewed: May 2026. Next review due: May 2028.``
  (either part alone also works); removed from the body into the dates.
* **author**: a short paragraph (under 15 words, no full stop at the end) standing
  between the code and the review line at the end of the leaflet; removed.
* **contacts**: every paragraph or list item of the form ``Label, Tel 0118 322 7991
  (hours).``; these stay in the body.
* **website**: the first ``http(s)`` link.
* **department**: the first contact label naming a department (else a unit, service,
  clinic or ward).
* **offer**: any block that says the information is available "in another language or format".

Only paragraphs that are *wholly* metadata are moved out of the body, so no words
are lost.  Front matter keys override anything detected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from pipeline.errors import LeafletError
from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Contact,
    Heading,
    Leaflet,
    Meta,
    OrderedList,
    Paragraph,
    Table,
    block_text,
    inline_text,
    iter_blocks,
    iter_links,
)
from pipeline.patterns import CODE_RE, PHONE_RE, SAFE_CODE_RE, WEB_RE, web_href
from pipeline.phones import has_phone
from pipeline.readers.paste import Header, header_lines

_LEAFLET_CODE_LINE = re.compile(
    r"(?:leaflet\s+(?:code|number|ref(?:erence)?)\s*:?\s*)?(" + CODE_RE.pattern + r")\.?", re.I
)


# Labels leaflets put before their facts.  "Review date" is the next review (NHS usage);
# "Published", "Issue date" and "Date of issue" count as the last review when none is given.
_FACT_LABELS = {
    "reviewed": r"(?:page\s+)?(?:date\s+)?(?:last\s+)?reviewed(?:\s+on)?|date\s+of\s+(?:last\s+)?review"
                r"|(?:page\s+)?last\s+updated(?:\s+on)?|date(?=\s*:)|adolygwyd|dyddiad\s+(?:cyhoeddi|adolygu\s+diwethaf)"
                r"|(?:date\s+)?published(?:\s+on)?|publication\s+date|issue\s+date|date\s+of\s+issue"
                r"|issued(?:\s+on)?|(?:date\s+)?produced|date\s+written",
    "next_review": r"next\s+review(?:\s+date)?(?:\s+due)?(?:\s+(?:by|on))?|review\s+due(?:\s+(?:date|by|on))?"
                   r"|review\s+date|due\s+for\s+review(?:\s+(?:by|on))?|to\s+be\s+reviewed(?:\s+(?:by|on))?"
                   r"|review\s+by|expiry\s+date|expires(?:\s+on)?|review(?=\s*:)|dyddiad\s+adolygu(?:\s+nesaf)?"
                   r"|adolygiad\s+nesaf",
    "code": r"(?:patient\s+information\s+)?(?:leaflet|pil|pif|information\s+leaflet)\s*"
            r"(?:code|number|no\.?|ref(?:erence)?(?:\s+(?:no\.?|number))?|id)"
            r"|(?:leaflet\s+)?(?:code|ref(?:erence)?(?:\s+(?:no\.?|number))?)"
            r"|patient\s+information\s+leaflet(?=\s*\d)|leaflet(?=\s+\d)|cyfeirnod(?:\s+y\s+daflen)?|rhif\s+y\s+daflen",
}
_LABEL_RE = re.compile(r"(?<![\w/])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _FACT_LABELS.items())
                       + r")\s*[:.\-–—]?\s*", re.I)
_SEPARATOR_RE = re.compile(r"\s*[|•·;]\s*|\t+|\s{3,}")
_VERSION_RE = re.compile(r"(?:^|\s)\(?(?:issue|version|ver\.?|v)\s*\d+(?:\.\d+)*\)?\.?(?=\s|$)", re.I)
_CODE_VALUE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /_.-]{0,39}")

_CONTACT_RE = re.compile(
    r"(?P<label>[^,:]+?)[,:]?\s+(?:tel(?:ephone)?|phone|call)\.?:?\s*"
    r"(?P<phone>" + PHONE_RE.pattern + r")"
    r"\s*(?:\((?P<hours>[^)]*)\))?\s*\.?\s*$",
    re.I,
)
_ORG_RE = re.compile(
    r"(?<![\w'’&.-])(?:[A-Z][\w'’&.-]*\s+(?:(?:and|of|the|&|y|yr|upon|on)\s+)?){1,6}"
    r"(?:NHS\s+Foundation\s+Trust|NHS\s+Trust|University\s+Health\s+Board|Health\s+Board|Integrated\s+Care\s+Board)"
    r"|NHS\s+(?:Highland|Grampian|Lothian|Tayside|Fife|Borders|Ayrshire\s+(?:&|and)\s+Arran|Dumfries\s+(?:&|and)\s+Galloway"
    r"|Forth\s+Valley|Greater\s+Glasgow\s+(?:&|and)\s+Clyde|Lanarkshire|Orkney|Shetland|Western\s+Isles"
    r"|Golden\s+Jubilee)\b")
_OFFER_RE = re.compile(r"another\s+language\s+or\s+format|other\s+languages?\s+or\s+formats?", re.I)
OFFER_RE = _OFFER_RE
"""The offer line: "Please ask if you need this information in another language or format"."""

FIELDS = {f.name for f in dataclasses.fields(Meta)} - {"translation", "direction", "title_line",
                                                      "code_as_written", "provisional_code", "provisional_title",
                                                      "unfinished", "found_in"}
log = logging.getLogger("pipeline")


_WINDOWS_RESERVED = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])")
"""Names Windows will not create as folders (a shared drive may be read from Windows)."""
MAX_FRONT_MATTER = 20_000
"""Front matter is a few lines of facts; a larger block is refused rather than parsed."""


def _load_yaml(block: str) -> object:
    """Parse front matter with PyYAML's safe loader, refusing aliases and duplicate keys.

    Aliases are refused because they can expand a few lines into gigabytes (a "billion
    laughs"); duplicate keys because the second silently wins.  Errors are a
    :class:`LeafletError` whose line is relative to the block.
    """
    import yaml  # only needed when a source has front matter

    class StrictLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise LeafletError("", "front matter may not use YAML aliases (*name)", event.start_mark.line + 1)
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise LeafletError("", f"front matter key {key!r} is given twice", key_node.start_mark.line + 1)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(block, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LeafletError("", f"front matter is not valid YAML: {problem}", mark.line + 1 if mark else 0) from None
    except (ValueError, TypeError) as exc:  # e.g. the date 2026-02-30
        raise LeafletError("", f"front matter has an impossible value: {exc}", 0) from None


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter from a source's text.

    Front matter is recognised only when the file's first line is ``---`` and the
    block up to the next ``---`` (or ``...``) line is a YAML mapping; otherwise the
    text is returned unchanged, so a leading thematic break is not mistaken for it.
    Returns the mapping and the text with the front matter blanked out (its lines
    kept empty, so line numbers still point into the file).
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, text
    block = "\n".join(lines[1:end])
    if len(block) > MAX_FRONT_MATTER:
        raise LeafletError(path, f"front matter is {len(block):,} characters; at most {MAX_FRONT_MATTER:,}", 1)
    try:
        data = _load_yaml(block)
    except LeafletError as exc:
        raise LeafletError(path, exc.message, (exc.line or 0) + 1) from None
    if not isinstance(data, dict):
        log.warning("%s:1: the '---' block at the top is not front matter ('key: value' lines), so it is read as "
                    "part of the leaflet", path)
        return {}, text
    unknown = sorted(set(map(str, data)) - FIELDS)
    if unknown:
        raise LeafletError(
            path,
            f"unknown front matter key {unknown[0]!r}; known keys: {', '.join(sorted(FIELDS))}",
            1,
        )
    return data, "\n" * (end + 1) + "\n".join(lines[end + 1 :])


def parse_date(value: object, path: str, line: int | None = None) -> dt.date:
    """A front matter date: a YAML date, or text as :func:`pipeline.readers.dates.read_date` reads it."""
    from pipeline.readers.dates import AmbiguousDate, read_date

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        date = read_date(text)
    except AmbiguousDate as exc:
        raise LeafletError(path, f"cannot read the date: {exc}; write e.g. 'May 2026'", line) from None
    if date is None:
        raise LeafletError(path, f"cannot read {text!r} as a date (write e.g. 'May 2026')", line)
    return date


def parse_contact(text: str) -> Contact | None:
    """A :class:`Contact` when ``text`` is a whole contact line, e.g. ``Unit, Tel 0118 322 8368``."""
    text = text.strip()
    m = _CONTACT_RE.fullmatch(text) if len(text) <= _LINE_LIMIT else None  # a contact line is short
    if not m:
        return None
    return Contact(label=m["label"].strip(), phone=m["phone"].strip(), hours=m["hours"])


_LABEL_TAIL_RE = re.compile(
    r"(?:[\s,:;.\-–—(]|\b(?:tel(?:ephone)?|phone|mobile|call(?:ing)?|ring|dial|contact|on|number"
    r"|no|us|them|please|or|and|the|via|at|free|freephone|helpline))*$", re.I)
_LABEL_VERB_RE = re.compile(r".*\b(?:call|ring|phone|contact|telephone)\s+(?:the\s+|our\s+)?", re.I | re.S)
_LABEL_HEAD_RE = re.compile(r"^(?:[\s,:;.\-–—)]|\b(?:or|and|then|also|the|our)\b)*", re.I)
_HOURS_RE = re.compile(
    r"\s*(?:\((?P<paren>[^)]{2,80})\)|(?:,\s*)?(?P<plain>24/7|24 hours(?: a day)?(?:,? 7 days a week)?))", re.I)
_LINE_LIMIT = 300
"""What a label before a number, a contact line or the hours after a number can take: the
patterns that read them are given no more (their time would grow with a long paragraph)."""
_HOURS_WORDS_RE = re.compile(r"\d\s*(?:am|pm)|\d[:.]\d\d|hours|24/7|daily|weekdays?|weekends?|noon|midnight"
                             r"|\b(?:mon|tue|wed|thu|fri|sat|sun)", re.I)


_TRAILING_HOURS_RE = re.compile(
    r"(?:\s*\([^)]*\))?[\s,]*(?P<hours>(?:open\s+)?(?:mon|tue|wed|thu|fri|sat|sun|daily|weekdays|every\s+day|\d)(?:[^.!?]|\.(?=\d))*?)"
    r"[.\s]*$", re.I)


def contacts_in(text: str, fallback: str = "") -> list[Contact]:
    """Every phone contact in ``text`` with its label and opening hours, wherever the leaflet puts it.

    ``Radiology Department: 0118 ...``, ``Call the Fracture Clinic on 0118 ... (24 hours)``,
    ``Ward 5, Tel 0118 ... Ward 6, Tel 0118 ...`` (several in one pasted paragraph).  A
    number with no words before it takes ``fallback`` (the line or heading above it).
    999, 111 and 112 are not contacts of the team.
    """
    from pipeline.phones import find_phones

    found = []
    previous_end = 0
    numbers = find_phones(text)
    for index, number in enumerate(numbers):
        if number.dial[0].isdigit():
            previous_end = number.end
            continue
        before = text[previous_end:number.start]
        before = re.split(r"(?<=[.!?])\s+|\n", before[-_LINE_LIMIT:])[-1]
        label = _LABEL_HEAD_RE.sub("", _LABEL_VERB_RE.sub("", _LABEL_TAIL_RE.sub("", before))).strip()
        hours_match = _HOURS_RE.match(text, number.end)
        hours = None
        if hours_match:
            hours = hours_match.group("paren") or hours_match.group("plain")
            if not _HOURS_WORDS_RE.search(hours):
                hours = None
        if hours is None and index + 1 == len(numbers) and len(text) - number.end <= _LINE_LIMIT:
            # "Eye Casualty / 0118 496 0777 (option 2) / 8am - 5pm, Mon-Fri": the hours on the line under it.
            rest = _TRAILING_HOURS_RE.match(text, number.end)
            if rest and _HOURS_WORDS_RE.search(rest["hours"]) and len(rest["hours"].split()) <= 10:
                hours = rest["hours"].strip()
        found.append(Contact(label=label or fallback, phone=number.text, hours=hours))
        previous_end = hours_match.end() if hours_match and hours else number.end
    return found


def safe_code(written: str) -> str:
    """A leaflet code as written (``PI/RAD/0102``, ``PIF 1234/V3``) made safe to name a folder."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", written).strip("-")


def _code_value(text: str) -> str | None:
    """The code in a labelled value (``PI/RAD/0102``, ``RAD_0102 Issue 3`` -> ``RAD_0102``), if it is one."""
    value = _VERSION_RE.sub("", text).strip(" .,:")
    if not _CODE_VALUE_RE.fullmatch(value) or not re.search(r"\d", value) or len(value.split()) > 3:
        return None
    return value


def facts(text: str, path: str = "", line: int = 0) -> dict[str, Any] | None:
    """The facts in ``text`` when it is wholly labelled facts (review dates, a leaflet code), else ``None``.

    ``Reviewed: 12/03/2024 | Next review: 03/2027 | Ref: PI/RAD/0102``, ``Published: May 2024.
    Review date: May 2027.``, ``RAD_0102 Issue 3 - Review due March 2027``.  A date that
    could be read two ways is reported with a warning and the text is left as it is.
    """
    from pipeline.readers.dates import AmbiguousDate, read_date

    found: dict[str, Any] = {}
    labelled = False
    text = unicodedata.normalize("NFKC", text)  # a code or date typed in fullwidth forms
    for chunk in _SEPARATOR_RE.split(text.strip()):
        labels = list(_LABEL_RE.finditer(chunk))
        prefix = chunk[: labels[0].start()] if labels else chunk
        prefix = _VERSION_RE.sub("", prefix).strip(" .,:-–—")
        if prefix:
            if not CODE_RE.fullmatch(safe_code(prefix)) or "code" in found:
                return None
            found["code"] = prefix
        for n, label in enumerate(labels):
            end = labels[n + 1].start() if n + 1 < len(labels) else len(chunk)
            value = chunk[label.end():end].strip(" ,;:-–—")
            kind = next(k for k, v in label.groupdict().items() if v is not None)
            if value in ("", "/") and n + 1 < len(labels):
                continue  # "Cyfeirnod / Reference: URO-0456": one fact, labelled in two languages
            if kind == "code":
                code = _code_value(value)
                if code is None:
                    return None
                found.setdefault("code", code)
            else:
                try:
                    date = read_date(_VERSION_RE.sub("", value))
                except AmbiguousDate as exc:
                    log.warning("%s:%d: review date not read: %s; write it with a four-digit year and a "
                                "month, e.g. 'March 2027'", path, line, exc)
                    return None
                if date is None:
                    return None
                found.setdefault(kind, date)
            labelled = True
    if not found or not (labelled or "code" in found):
        return None
    return found


def organisation_in(text: str) -> str | None:
    """The organisation named in ``text`` ("... NHS Foundation Trust", "... Health Board", "NHS Highland")."""
    found = _ORG_RE.search(text)
    if not found:
        return None
    return re.sub(r"^(?:(?:The|Produced\s+by|Copyright|©)\s+)+", "", found.group(0)).strip()


def fact_segments(text: str) -> tuple[list[str], list[str]]:
    """A header or footer line's parts that are facts (``Ref: PI/END/0456``) and the rest (``Colonoscopy``)."""
    read: list[str] = []
    rest: list[str] = []
    for part in filter(None, _SEPARATOR_RE.split(text.strip())):
        (read if facts(part) else rest).append(part)
    return read, rest


def hours_like(text: str) -> bool:
    """True when ``text`` reads as opening hours (``Monday to Friday, 8am to 6pm``, ``24/7``)."""
    return bool(_HOURS_WORDS_RE.search(text))


def fact_line(text: str) -> bool:
    """True when ``text`` is wholly labelled facts: a leaflet code, review dates."""
    return bool(facts(text) or _LEAFLET_CODE_LINE.fullmatch(text))


def standalone_line(text: str) -> bool:
    """True when ``text`` is wholly a contact, or wholly labelled facts (a leaflet code, review dates)."""
    return parse_contact(text) is not None or fact_line(text)


def detect(
    blocks: tuple[Block, ...],
    front: Mapping[str, Any],
    path: str,
    title: str | None = None,
    title_line: int = 0,
    header: Header | None = None,
    margins: Mapping[str, Any] | None = None,
) -> Leaflet:
    """Build a :class:`Leaflet` from body blocks, front matter and the detection rules above.

    ``header`` is what a reader found above the title (logo text, a department line);
    ``margins`` the facts a reader found in running headers and footers, used where the
    body does not give them (front matter still overrides both).
    """
    body = list(blocks)
    found: dict[str, Any] = {}

    if title is None:
        for i, block in enumerate(body):
            if isinstance(block, Heading) and block.level == 1:
                title = inline_text(block.content).strip()
                title_line = block.line
                del body[i]
                leading = [(b.line, inline_text(b.content)) for b in body[:i] if isinstance(b, Paragraph)]
                if leading and len(leading) == i:  # logo text and kickers above a Markdown title
                    count, header = header_lines(leading, path, standalone_line)
                    del body[:count]
                break
    if header is not None:
        if header.organisation:
            found["organisation"] = header.organisation
        if header.department:
            found["department"] = header.department
    if title:
        found["title"] = _in_body_language(title, body, path, title_line)
        found["title_line"] = title_line

    # The closing colophon: code, author and review lines, scanned from the end.
    metadata_lines: list[int] = []
    author_candidates: list[int] = []
    i = len(body) - 1
    while i >= 0 and isinstance(body[i], Paragraph):
        para = body[i]
        assert isinstance(para, Paragraph)
        text = inline_text(para.content).strip()
        read = facts(text, path, para.line)
        code = _LEAFLET_CODE_LINE.fullmatch(text)
        if read is not None:
            for key, value in read.items():
                found.setdefault(key, value)
            metadata_lines.append(i)
        elif code:
            found.setdefault("code", code.group(1))
            metadata_lines.append(i)
        elif _looks_like_author(para):
            author_candidates.append(i)
        else:
            break
        i -= 1
    if metadata_lines and author_candidates:
        author = body[author_candidates[0]]
        assert isinstance(author, Paragraph)
        found["author"] = inline_text(author.content).strip()
        metadata_lines.append(author_candidates[0])
    # Labelled facts anywhere else ("Ref: PI/RAD/0102" under the title, a footer line between
    # sections): read, and moved out of the body so a date is never read out as text.
    for index, block in enumerate(body):
        if index not in metadata_lines and isinstance(block, Paragraph):
            read = facts(inline_text(block.content).strip(), path, block.line)
            if read is not None and (set(read) - {"code"} or "code" not in found):
                for key, value in read.items():
                    found.setdefault(key, value)
                metadata_lines.append(index)
    for index in sorted(metadata_lines, reverse=True):
        del body[index]

    contacts: list[Contact] = []
    above = ""
    for block in iter_blocks(tuple(body)):
        if isinstance(block, Paragraph):
            text = inline_text(block.content)
            contacts.extend(c for c in contacts_in(text, above.rstrip(":"))
                            if c.phone not in {known.phone for known in contacts})
            above = text if len(text) < 60 and not has_phone(text) else ""
            if _OFFER_RE.search(text):
                found["offer_present"] = True
            org = organisation_in(text)
            if org and "organisation" not in found:
                found["organisation"] = org
            if "website" not in found:
                for link in iter_links(block.content):
                    if link.url.startswith(("http://", "https://")):
                        found["website"] = link.url
                        break
                else:
                    bare = WEB_RE.search(text)
                    if bare:
                        found["website"] = web_href(bare.group(0))
        elif isinstance(block, Table):  # a contacts table: one contact a row, its first cell the label
            for row in block.rows:
                cells = [inline_text(cell.content).strip() for cell in row]
                label_cell = cells[0] if cells and not has_phone(cells[0]) else ""
                contacts.extend(dataclasses.replace(c, label=label_cell or c.label)
                                for c in contacts_in(" ".join(cells), label_cell)
                                if c.phone not in {known.phone for known in contacts})
        elif isinstance(block, Heading):
            above = inline_text(block.content)
            if _OFFER_RE.search(above):
                found["offer_present"] = True
    found["contacts"] = tuple(contacts)
    for kind in ("department", "unit", "service", "clinic", "ward"):
        named = [c.label for c in contacts if re.search(rf"\b{kind}\b", c.label, re.I)]
        if named:
            found.setdefault("department", named[0])
            break

    for key, value in (margins or {}).items():
        found.setdefault(key, value)
    stem = path.replace("\\", "/").rsplit("/", 1)[-1]
    if "code" not in found:
        m = re.match(CODE_RE.pattern, stem)
        if m:
            found["code"] = m.group(0)

    found.update(_front_matter_fields(front, path))
    if not found.get("title"):
        found["title"] = _title_from_name(stem)
        found["provisional_title"] = True
        log.warning("%s: no title found (the first line is not a title: it is a sentence, or longer than a title "
                    "would be): using %r, made from the file name; the leaflet's files are drafts until its title is "
                    "on the first line on its own ('# Title' in Markdown)", path, found["title"])
    given = found.get("code")
    if given and unicodedata.normalize("NFKC", str(given)) != given:  # fullwidth ＲＡＤ_０１０２ is RAD_0102
        given = found["code"] = unicodedata.normalize("NFKC", str(given))
    code = given
    if code and re.search(r"[^\W_]", re.sub(r"[A-Za-z0-9]", "", str(code))):
        raise LeafletError(path, f"leaflet code {str(code)!r} has letters or digits outside A-Z and 0-9 (another "
                                 "alphabet's look-alikes?): write the code in plain letters and digits")
    if not code:
        # Reading needs no code; issuing does.  Outputs are drafts under a provisional name.
        found["code"] = safe_code(stem.rsplit(".", 1)[0])[:40] or "untitled"
        found["provisional_code"] = True
    elif safe_code(str(code)) != code:
        written = str(code)
        if ".." in written or written.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", written):
            raise LeafletError(path, f"leaflet code {written!r} is not allowed: it looks like a path "
                                     "(it would name the output folder)")
        found["code_as_written"] = written
        found["code"] = safe_code(written)
    code = found["code"]
    if _WINDOWS_RESERVED.fullmatch(str(code)):
        raise LeafletError(path, f"leaflet code {code!r} is not allowed: Windows reserves it as a device name "
                                 "(CON, PRN, AUX, NUL, COM1-9, LPT1-9), so no folder can have it on a shared drive")
    if not SAFE_CODE_RE.fullmatch(str(code)):
        raise LeafletError(
            path,
            f"leaflet code {code!r} is not allowed: use letters, digits, '_' and '-' only "
            "(it names the output folder)",
        )
    _warn_misread_numbers(tuple(body), path)
    return Leaflet(meta=Meta(**found), blocks=tuple(body), source=path)


def _warn_misread_numbers(blocks: tuple[Block, ...], path: str) -> None:
    """Say where a phone number has a letter for a digit (it cannot be linked or protected) or digits
    of another script (read as digits, shown as written)."""
    from pipeline.phones import find_phones, letter_for_digit

    for block in iter_blocks(blocks):
        if isinstance(block, BulletList | OrderedList | BlockQuote):
            continue
        text = block_text(block)
        line = getattr(block, "line", 0)
        for written in letter_for_digit(text):
            log.warning("%s:%d: %r looks like a phone number with a letter for a digit (O for 0, l or I for 1): it is "
                        "not linked, protected or read out as a number until it is corrected", path, line, written)
        for number in find_phones(text):
            if not number.text.isascii():
                log.warning("%s:%d: the phone number %r is written in look-alike digits: it is read as %s; "
                            "write it in plain digits", path, line, number.text, number.dial[0])


def _title_from_name(stem: str) -> str:
    """A provisional title from a file name: ``RAD_0102-ct-guided-biopsy.txt`` -> ``Ct guided biopsy``."""
    name = re.sub(r"^" + CODE_RE.pattern + r"[-_ ]*", "", stem.rsplit(".", 1)[0]) or stem.rsplit(".", 1)[0]
    words = re.sub(r"[-_.]+", " ", name).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled leaflet"


_WORD_RE = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)*(?!\w)")


def _in_body_language(title: str, body: list[Block], path: str, line: int) -> str:
    """The half of a title given in two languages (``Biopsi'r prostad / Your prostate biopsy``) in the body's language.

    A title is split only when one half's words are mostly found in the body and the
    other's mostly not (``Hip / knee replacement`` stays whole).
    """
    halves = re.split(r"\s+[/|]\s+", title)
    if len(halves) != 2:
        return title
    body_words = {w.lower() for b in body[:40] for w in _WORD_RE.findall(block_text(b))}

    def share(half: str) -> float:
        found = [w.lower() for w in _WORD_RE.findall(half)]
        return sum(w in body_words for w in found) / len(found) if found else 0.0

    scores = [share(h) for h in halves]
    best = 0 if scores[0] >= scores[1] else 1
    if scores[best] < 0.5 or scores[1 - best] > 0.34:
        return title
    log.warning("%s:%d: the title is given in two languages; the leaflet's is %r (%r is left out)",
                path, line, halves[best], halves[1 - best])
    return halves[best]


def _looks_like_author(para: Paragraph) -> bool:
    text = inline_text(para.content).strip()
    return (
        len(text.split()) < 15
        and not text.endswith((".", "?", "!", ":"))
        and not _OFFER_RE.search(text)
        and not has_phone(text)
        and not _LABEL_RE.search(text)
        and not _ORG_RE.search(text)
        and not any(True for _ in iter_links(para.content))
    )


def _front_matter_fields(front: Mapping[str, Any], path: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in front.items():
        if key in ("reviewed", "next_review"):
            fields[key] = parse_date(value, path, 1)
        elif key == "contacts":
            fields[key] = tuple(_contact_from_front(c, path) for c in value or ())
        elif key == "offer_present":
            fields[key] = bool(value)
        elif key in ("language", "source_language"):
            fields[key] = _locale_code(value, key, path)
        else:
            fields[key] = None if value is None else str(value)
    return fields


def _locale_code(value: object, key: str, path: str) -> str:
    """A front matter language as a locale code (``en_GB``, ``pl``), or a :class:`LeafletError` naming the key."""
    from babel import Locale, UnknownLocaleError

    text = str(value).strip().replace("-", "_")
    try:
        Locale.parse(text)
    except (ValueError, UnknownLocaleError):
        raise LeafletError(path, f"front matter {key}: {value!r} is not a language code (write e.g. 'en_GB' or "
                                 "'pl')", 1) from None
    return text


def _contact_from_front(value: object, path: str) -> Contact:
    if isinstance(value, Mapping) and "label" in value and "phone" in value:
        hours = value.get("hours")
        return Contact(str(value["label"]), str(value["phone"]), None if hours is None else str(hours))
    if isinstance(value, str) and (contact := parse_contact(value)):
        return contact
    raise LeafletError(path, f"front matter contact {value!r} needs 'label' and 'phone'", 1)

