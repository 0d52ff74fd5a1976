"""Word (``.docx``) reader: WordprocessingML read directly, as a reader of the document sees it.

The package is opened with limits (entries, expanded size, compression ratio) and each
XML part parsed without entities, DTDs or network.  The body is walked in document order:

* **kept**: paragraphs, tables, content controls, inserted text of tracked changes, field
  results (never field codes), hyperlinks, soft line breaks, no-break hyphens, ``w:sym``
  characters, and text boxes (DrawingML and VML) after the paragraph that anchors them;
  of ``mc:AlternateContent`` only one branch is read;
* **dropped**: tracked deletions and moved-from text, comments, hidden text (``w:vanish``
  directly, through a character or paragraph style, or the document defaults; ``w:val="0"``
  turns it off again), template placeholders in content controls, field instructions, a
  table of contents (every output makes its own);
* **headers and footers** are read for facts only (leaflet code, dates, organisation,
  department, the offer line), never as body text; page number fields are ignored.

Headings come from the Title style, a content control titled "Title", outline levels
through the style chain, the style names ``Heading 1`` ..., or the team's own style map
(``word-styles.toml`` beside the leaflets; see :func:`style_map`).  Lists come from
Word's numbering (``numPr`` on the paragraph or its style, ``abstractNum`` and
``lvlOverride``), from list styles (``List Bullet 2``) and from typed bullets.  Shaded or
bordered paragraphs and one-cell tables are notices.  Everything else is decided by
:mod:`pipeline.readers.layout`, which the PDF reader shares.

Unresolved tracked changes or comments make the leaflet a draft, with one line saying
how many and by whom.  Whatever the reader cannot place (an unmapped custom style with
heading-like formatting, a picture, an embedded object, an equation) gets one warning.
"""

from __future__ import annotations

import io
import logging
import re
import tomllib
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path, PurePosixPath

from lxml import etree

from pipeline.errors import LeafletError
from pipeline.model import Emphasis, Inline, Leaflet, LineBreak, Link, Picture, Strong, Text, inline_text
from pipeline.readers.layout import TITLE, Figure, Grid, Item, Para, blocks_from_layout, margin_facts

log = logging.getLogger("pipeline")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


MAX_ENTRIES = 2000
"""A Word leaflet has a few dozen parts; more than this is refused (a zip bomb, or not a leaflet)."""
MAX_EXPANDED = 200_000_000
"""At most 200 MB unpacked, all parts together."""
MAX_PART = 25_000_000
"""At most 25 MB for one XML part read."""
MAX_RATIO = 200
"""A part compressed more than 200 to 1 is refused: real documents compress about 10 to 1."""
MAX_PICTURES = 40
"""Pictures carried from one document; more are named and their alt text stands in."""
STYLE_MAP_NAME = "word-styles.toml"
"""The team's style map, read from the folder the Word leaflet is in (or any folder above it in the project)."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)

# Private-use characters of the Symbol and Wingdings fonts that Word uses for bullets and ticks.
_SYMBOLS = {"F0B7": "•", "F0A7": "▪", "F0A8": "□", "F06F": "o", "F0D8": "➢", "F0FC": "✓", "F0FB": "✗",
            "F0E0": "→", "F076": "❖", "F0A2": "●", "F06E": "■", "F071": "❑", "F0FE": "☑", "F0A1": "○",
            "F02D": "-", "F0D7": "•", "F0B0": "°", "F0B1": "±", "F0AE": "→", "F0DF": "←"}
_BULLET_CHARS = "•▪●◦■□➢►✓·‣⁃o§-–*❖○❑"
_TYPED_BULLET_RE = re.compile(r"\s*([•▪●◦■□➢►✓·‣⁃❖○❑\uf0b7\uf0a7\uf0a8\uf0d8\uf0fc\-–*o§])\s*\t\s*"
                              r"|\s*([•▪●◦■□➢►·‣⁃❖])\s+")
_SECOND_LEVEL = "o◦○§▪\uf0a7"
"""Word's second and third bullets (``o``, ``§``, ``▪``) typed by hand: an item under another."""
_TYPED_NUMBER_RE = re.compile(r"\s*(\d{1,2})[.)]\s*\t\s*")
_WEB_LINK_RE = re.compile(r"(?:https?://[^\s/]|mailto:|tel:)", re.I)
"""The links a Word leaflet keeps: web, e-mail and phone."""
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF"}
_DROPPED_FIELDS = {"TOC", "INDEX", "TOA", "XE", "TC"}
_HEADING_NAME_RE = re.compile(r"heading\s*([1-9])", re.I)
_LIST_STYLE_RE = re.compile(r"list\s*(bullet|number|paragraph|continue)?\s*([2-9])?$", re.I)


# --- The package --------------------------------------------------------------


class _Package:
    """A checked ``.docx`` package: its parts by name, read lazily, each at most once."""

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        if data[:8] == OLE_MAGIC:
            if path.lower().endswith(".doc"):
                raise LeafletError(path, "is a Word 97-2003 document (.doc): open it in Word and save it as "
                                         "'Word Document (.docx)'")
            raise LeafletError(path, "is password-protected (encrypted): remove the password in Word (File > Info "
                                     "> Protect Document) and save it again as .docx")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise LeafletError(path, "is damaged or not a Word document: open it in Word and save it again as "
                                     ".docx") from None
        if len(infos) > MAX_ENTRIES:
            raise LeafletError(path, f"has {len(infos):,} parts (a Word leaflet has a few dozen; at most "
                                     f"{MAX_ENTRIES:,}): not read")
        total = sum(i.file_size for i in infos)
        if total > MAX_EXPANDED:
            raise LeafletError(path, f"would unpack to {total:,} bytes (at most {MAX_EXPANDED:,}): not read")
        for info in infos:
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise LeafletError(path, f"part {info.filename} is compressed {ratio} to 1 (a zip bomb?): not read")
        self.names = {i.filename for i in infos}
        self._parsed: dict[str, etree._Element | None] = {}
        main = self._main_part()
        self.main = main
        self.rels = self.relationships(main)

    def _main_part(self) -> str:
        rels = self.xml("_rels/.rels")
        if rels is None:
            raise LeafletError(self.path, "is damaged or not a Word document (no _rels/.rels): save it again as .docx")
        for rel in rels:
            kind = rel.get("Type", "")
            if kind == STRICT_OFFICE_DOCUMENT:
                raise LeafletError(self.path, "is saved as 'Strict Open XML Document': save it as 'Word Document "
                                              "(.docx)'")
            if kind == OFFICE_DOCUMENT:
                name = _join("", rel.get("Target", ""))
                if name not in self.names:
                    break
                content_types = self.xml("[Content_Types].xml")
                kinds = [] if content_types is None else [
                    o.get("ContentType", "") for o in content_types
                    if o.get("PartName", "").lstrip("/") == name]
                if any("macroEnabled" in k for k in kinds):
                    raise LeafletError(self.path, "is a macro-enabled Word document (.docm): save it as 'Word "
                                                  "Document (.docx)'")
                if any("template" in k for k in kinds):
                    raise LeafletError(self.path, "is a Word template (.dotx): make a document from it and save "
                                                  "that as .docx")
                return name
        raise LeafletError(self.path, "is damaged or not a Word document (no main document part): save it again "
                                      "as .docx")

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        info = self.zip.getinfo(name)
        if info.file_size > MAX_PART:
            raise LeafletError(self.path, f"part {name} is {info.file_size:,} bytes (at most {MAX_PART:,}): not read")
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_PART + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise LeafletError(self.path, f"part {name} cannot be read ({exc}): open it in Word and save it again"
                               ) from None
        if len(data) > MAX_PART:
            raise LeafletError(self.path, f"part {name} is larger than {MAX_PART:,} bytes: not read")
        return data

    def xml(self, name: str) -> etree._Element | None:
        if name not in self._parsed:
            data = self.read(name)
            if data is None:
                self._parsed[name] = None
            else:
                try:
                    tree = etree.parse(io.BytesIO(data), _PARSER)
                except etree.XMLSyntaxError as exc:
                    raise LeafletError(self.path, f"part {name} is damaged ({exc.msg}): open it in Word and save it "
                                                  "again") from None
                if tree.docinfo.doctype:
                    raise LeafletError(self.path, f"part {name} has a DOCTYPE, which Word never writes: not read")
                root = tree.getroot()
                if root.tag.startswith(f"{{{STRICT_W}}}"):
                    raise LeafletError(self.path, "is saved as 'Strict Open XML Document': save it as 'Word "
                                                  "Document (.docx)'")
                self._parsed[name] = root
        return self._parsed[name]

    def relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """``rId`` -> (type's last word, target part or URL, external) for ``part``."""
        folder, _, base = part.rpartition("/")
        rels = self.xml(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
        found: dict[str, tuple[str, str, bool]] = {}
        for rel in [] if rels is None else rels:
            external = rel.get("TargetMode") == "External"
            target = rel.get("Target", "")
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target if external
                                        else _join(folder, target), external)
        return found

    def related(self, kind: str) -> list[str]:
        return [target for k, target, external in self.rels.values() if k == kind and not external]


def _join(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in PurePosixPath(folder, target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


# --- Styles, numbering, the style map -------------------------------------------


@dataclass
class _Props:
    """Run and paragraph properties after the style chain (``None``: not said at this level)."""

    bold: bool | None = None
    italic: bool | None = None
    hidden: bool | None = None
    size: float | None = None
    outline: int | None = None
    num: tuple[str, int] | None = None
    boxed: str | None = None
    name: str = ""
    style_id: str = ""
    heading: int | None = None
    role: str | None = None
    lang: str | None = None
    """The language Word records for the text (``w:lang``; its ``w:bidi`` for right-to-left runs)."""

    def over(self, base: _Props) -> _Props:
        """These properties with ``base`` filling what is not said."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in values.items():
            if value is None or value == "":
                values[name] = getattr(base, name)
        return _Props(**values)


def _toggle(element: etree._Element | None) -> bool | None:
    if element is None:
        return None
    return element.get(_w("val"), "true").lower() not in ("0", "false", "off", "none")


def _run_props(rpr: etree._Element | None) -> _Props:
    if rpr is None:
        return _Props()
    size = rpr.find(_w("sz"))
    try:
        points = int(size.get(_w("val"), "")) / 2 if size is not None else None
    except ValueError:
        points = None
    lang_el = rpr.find(_w("lang"))
    rtl = _toggle(rpr.find(_w("rtl")))
    lang = None
    if lang_el is not None:
        lang = lang_el.get(_w("bidi")) if rtl else lang_el.get(_w("val"))
    return _Props(bold=_toggle(rpr.find(_w("b"))), italic=_toggle(rpr.find(_w("i"))),
                  hidden=_toggle(rpr.find(_w("vanish"))), size=points, lang=lang or None)


def _para_props(ppr: etree._Element | None) -> _Props:
    if ppr is None:
        return _Props()
    props = _Props()
    outline = ppr.find(_w("outlineLvl"))
    if outline is not None and outline.get(_w("val"), "").isdigit():
        props.outline = int(outline.get(_w("val"), "9"))
    numpr = ppr.find(_w("numPr"))
    if numpr is not None:
        num_id = numpr.find(_w("numId"))
        ilvl = numpr.find(_w("ilvl"))
        level = ilvl.get(_w("val"), "0") if ilvl is not None else "0"
        # Word's lists have nine levels (0 to 8).
        props.num = (num_id.get(_w("val"), "0") if num_id is not None else "",
                     min(int(level), 8) if level.isdigit() else 0)
    boxed = []
    borders = ppr.find(_w("pBdr"))
    if borders is not None:
        sides = [b for b in borders if b.get(_w("val"), "nil") not in ("nil", "none")]
        if len(sides) >= 3 or any(etree.QName(b).localname in ("left", "right") for b in sides):
            boxed.append("border:" + ",".join(sorted(etree.QName(b).localname for b in sides)))
    shading = ppr.find(_w("shd"))
    if shading is not None and _filled(shading):
        boxed.append("shade:" + shading.get(_w("fill"), ""))
    if boxed:
        props.boxed = " ".join(boxed)
    return props


def _filled(shading: etree._Element) -> bool:
    fill = (shading.get(_w("fill")) or "auto").upper()
    pattern = shading.get(_w("val"), "clear")
    return (fill not in ("AUTO", "FFFFFF", "")) or pattern not in ("clear", "nil", "none")


@dataclass
class StyleMap:
    """The team's names for their own Word styles: ``"Leaflet Heading A" = "heading 1"``.

    Roles: ``title``, ``heading 1`` .. ``heading 5`` (1 = a section under the title),
    ``notice`` (a warning box), ``bullet 1`` .. ``bullet 4``, ``number 1`` .. ``number 4``,
    ``body``, and ``ignore`` (template notes: never part of the leaflet).
    """

    roles: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def role(self, style_name: str) -> str | None:
        return self.roles.get(_norm(style_name))


_ROLE_RE = re.compile(r"title|heading [1-5]|notice|bullet [1-4]|number [1-4]|body|ignore")


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


def style_map(source: str) -> StyleMap:
    """The style map for a Word leaflet: ``word-styles.toml`` in its folder, else none.

    A file that is not valid TOML, or that names a role the reader does not know, is a
    :class:`LeafletError` naming the file and the line.
    """
    path = Path(source).parent / STYLE_MAP_NAME
    if not path.is_file():
        return StyleMap()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LeafletError(str(path), f"not valid TOML: {exc}") from None
    styles = data.get("styles", {})
    if not isinstance(styles, dict):
        raise LeafletError(str(path), "needs a [styles] table: \"Style name\" = \"heading 1\"")
    roles = {}
    for name, role in styles.items():
        if not isinstance(role, str) or not _ROLE_RE.fullmatch(_norm(role)):
            line = next((n for n, raw in enumerate(text.splitlines(), 1) if name in raw), None)
            raise LeafletError(str(path), f"style {name!r}: role {role!r} is not one of title, heading 1-5, notice, "
                                          "bullet 1-4, number 1-4, body, ignore", line)
        roles[_norm(name)] = _norm(role)
    return StyleMap(roles, str(path))


class _Styles:
    """``styles.xml`` resolved through ``basedOn`` chains, with the team's style map applied."""

    def __init__(self, root: etree._Element | None, mapping: StyleMap) -> None:
        self.map = mapping
        self.raw: dict[str, etree._Element] = {}
        self.defaults = _Props()
        self.default_para = ""
        self.unmapped: dict[str, None] = {}
        """The document's own styles used in the body that no rule and no map entry explains, in order."""
        self._cache: dict[str, _Props] = {}
        if root is None:
            return
        defaults = root.find(_w("docDefaults"))
        if defaults is not None:
            self.defaults = _run_props(defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}"))
        for style in root.iter(_w("style")):
            style_id = style.get(_w("styleId"), "")
            self.raw[style_id] = style
            if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on"):
                self.default_para = style_id

    def note_use(self, style_id: str, props: _Props) -> None:
        """Remember a custom style the reader has no rule for (it is read by its formatting alone)."""
        raw = self.raw.get(style_id)
        custom = raw is not None and raw.get(_w("customStyle")) in ("1", "true", "on")
        explained = props.role or props.heading is not None or props.num is not None or (
            props.outline is not None and props.outline < 9)
        if custom and not explained:
            self.unmapped.setdefault(props.name)

    def props(self, style_id: str, depth: int = 0) -> _Props:
        """A style's properties with everything it inherits (not the document defaults)."""
        if style_id in self._cache:
            return self._cache[style_id]
        style = self.raw.get(style_id)
        if style is None or depth > 20:
            return _Props(name=style_id, style_id=style_id)  # a style used but not defined: its id is its name
        name_el = style.find(_w("name"))
        name = name_el.get(_w("val"), style_id) if name_el is not None else style_id
        own = _run_props(style.find(_w("rPr"))).over(_Props())
        para = _para_props(style.find(_w("pPr")))
        own = _Props(own.bold, own.italic, own.hidden, own.size, para.outline, para.num, para.boxed,
                     name=name, style_id=style_id, lang=own.lang)
        role = self.map.role(name)
        if role is not None:
            own.role = role
        else:
            heading = _HEADING_NAME_RE.fullmatch(_norm(name))
            if heading:
                own.heading = int(heading.group(1))
            elif _norm(name) in ("title",):
                own.role = "title"
            elif _norm(name) in ("subtitle",):
                own.role = "body"
        based = style.find(_w("basedOn"))
        result = own.over(self.props(based.get(_w("val"), ""), depth + 1)) if based is not None else own
        result.name, result.style_id = name, style_id
        self._cache[style_id] = result
        return result


@dataclass
class _Level:
    ordered: bool
    start: int
    text: str


class _Numbering:
    """``numbering.xml``: what list each (``numId``, ``ilvl``) is, with overrides and style links."""

    def __init__(self, root: etree._Element | None, styles: _Styles) -> None:
        self.abstract: dict[str, etree._Element] = {}
        self.nums: dict[str, tuple[str, dict[int, etree._Element]]] = {}
        self.styles = styles
        self.counters: dict[tuple[str, int], int] = {}
        if root is None:
            return
        for abstract in root.findall(_w("abstractNum")):
            self.abstract[abstract.get(_w("abstractNumId"), "")] = abstract
        for num in root.findall(_w("num")):
            ref = num.find(_w("abstractNumId"))
            overrides = {}
            for override in num.findall(_w("lvlOverride")):
                ilvl = override.get(_w("ilvl"), "0")
                overrides[int(ilvl) if ilvl.isdigit() else 0] = override
            self.nums[num.get(_w("numId"), "")] = (ref.get(_w("val"), "") if ref is not None else "", overrides)

    def level(self, num_id: str, ilvl: int, depth: int = 0) -> _Level | None:
        if num_id in ("", "0") or num_id not in self.nums or depth > 5:
            return None
        abstract_id, overrides = self.nums[num_id]
        abstract = self.abstract.get(abstract_id)
        lvl = None
        start_override = None
        override = overrides.get(ilvl)
        if override is not None:
            lvl = override.find(_w("lvl"))
            start = override.find(_w("startOverride"))
            if start is not None and start.get(_w("val"), "").isdigit():
                start_override = int(start.get(_w("val"), "1"))
        if lvl is None and abstract is not None:
            lvl = next((x for x in abstract.findall(_w("lvl")) if x.get(_w("ilvl"), "0") == str(ilvl)), None)
            link = abstract.find(_w("numStyleLink"))
            if lvl is None and link is not None:  # the list's levels live in a numbering style
                linked = self.styles.props(self.styles_id(link.get(_w("val"), "")))
                if linked.num is not None and linked.num[0] != num_id:
                    return self.level(linked.num[0], ilvl, depth + 1)
        if lvl is None:
            return None
        fmt_el = lvl.find(_w("numFmt"))
        fmt = fmt_el.get(_w("val"), "decimal") if fmt_el is not None else "decimal"
        if fmt == "none":
            return None
        text_el = lvl.find(_w("lvlText"))
        start_el = lvl.find(_w("start"))
        start = int(start_el.get(_w("val"), "1")) if start_el is not None and start_el.get(_w("val"), "").isdigit() \
            else 1
        return _Level(fmt != "bullet", start_override if start_override is not None else start,
                      text_el.get(_w("val"), "") if text_el is not None else "")

    def styles_id(self, name_or_id: str) -> str:
        return name_or_id if name_or_id in self.styles.raw else next(
            (sid for sid, el in self.styles.raw.items()
             if (n := el.find(_w("name"))) is not None and n.get(_w("val")) == name_or_id), name_or_id)

    def number(self, num_id: str, ilvl: int, level: _Level) -> int:
        """The number Word shows on this item (counters restart below a higher level)."""
        key = (num_id, ilvl)
        value = self.counters.get(key, level.start - 1) + 1
        self.counters[key] = value
        for (nid, deeper) in list(self.counters):
            if nid == num_id and deeper > ilvl:
                del self.counters[(nid, deeper)]
        return value


# --- Walking the document -------------------------------------------------------


@dataclass
class _Seg:
    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None
    brk: bool = False
    size: float | None = None
    lang: str | None = None


@dataclass
class _Findings:
    """What the reader saw that a person must know about."""

    insertions: int = 0
    deletions: int = 0
    authors: set[str] = field(default_factory=set)
    hidden: int = 0
    placeholders: int = 0
    unplaced: dict[str, int] = field(default_factory=dict)
    pictures: int = 0
    no_alt: list[str] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    """Characters of visible body text in each language Word records (``cy-GB``, ``en-GB`` ...)."""

    def unplace(self, what: str) -> None:
        self.unplaced[what] = self.unplaced.get(what, 0) + 1


class _Walker:
    """Turns one story (the body, a header, a footer) into layout items."""

    def __init__(self, package: _Package, part: str, styles: _Styles, numbering: _Numbering,
                 findings: _Findings, facts_only: bool = False) -> None:
        self.package = package
        self.rels = package.relationships(part)
        self.styles = styles
        self.numbering = numbering
        self.findings = findings
        self.facts_only = facts_only
        self.items: list[Item] = []
        self.counter = 0
        self.boxes = 0
        self.fields: list[list[str]] = []  # per open field: [instruction, phase]
        self.default = styles.props(styles.default_para)
        self.title_hint = False  # the paragraph being read is in a title content control
        self.pending: list[Picture] = []  # pictures in the paragraph being read: they follow it
        self.languages: Counter[str] = Counter()  # of the paragraph being read

    def story(self, root: etree._Element) -> list[Item]:
        self.blocks(root, None)
        return self.items

    def blocks(self, parent: etree._Element, box: int | None, in_cell: bool = False) -> None:
        last_boxed: str | None = None
        for child in parent:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            ns = etree.QName(child).namespace if isinstance(child.tag, str) else ""
            if ns == MC and tag == "AlternateContent":
                self.blocks(_one_branch(child), box, in_cell)
            elif ns != W:
                continue
            elif tag == "p":
                last_boxed = self.paragraph(child, box, in_cell, last_boxed)
            elif tag == "tbl":
                last_boxed = None
                self.table(child, box)
            elif tag == "sdt":
                content = self._sdt_content(child)
                if content is not None:
                    before = len(self.items)
                    self.blocks(content, box, in_cell)
                    if _sdt_is_title(child):
                        for item in self.items[before:before + 1]:
                            if isinstance(item, Para):
                                item.level = TITLE
            elif tag in ("customXml", "ins", "moveTo", "smartTag"):
                if tag in ("ins", "moveTo"):
                    self._tracked(child, inserted=True)
                self.blocks(child, box, in_cell)
            elif tag in ("del", "moveFrom"):
                self._tracked(child, inserted=False)
            elif tag == "altChunk":
                self.findings.unplace("an embedded document (altChunk)")

    def _sdt_content(self, sdt: etree._Element) -> etree._Element | None:
        """A content control's content, or ``None`` for a template placeholder not filled in (counted)."""
        if _placeholder(sdt):
            self.findings.placeholders += 1
            return None
        return sdt.find(_w("sdtContent"))

    def _tracked(self, element: etree._Element, inserted: bool) -> None:
        if inserted:
            self.findings.insertions += 1
        else:
            self.findings.deletions += 1
        author = element.get(_w("author"))
        if author:
            self.findings.authors.add(author)

    def paragraph(self, p: etree._Element, box: int | None, in_cell: bool, last_boxed: str | None) -> str | None:
        ppr = p.find(_w("pPr"))
        style_el = ppr.find(_w("pStyle")) if ppr is not None else None
        style = self.styles.props(style_el.get(_w("val"), "")) if style_el is not None else self.default
        if style_el is not None and not self.facts_only:
            self.styles.note_use(style_el.get(_w("val"), ""), style)
        direct = _para_props(ppr)
        props = direct.over(style)
        mark = _run_props(ppr.find(_w("rPr")) if ppr is not None else None).over(style).over(self.styles.defaults)
        if ppr is not None:
            for change in ppr.iter(_w("pPrChange"), _w("rPrChange")):
                self._tracked(change, inserted=True)
        self.counter += 1
        line = self.counter
        segs: list[_Seg] = []
        anchored: list[etree._Element] = []
        self.title_hint = False
        self.languages = Counter()
        self.inline(p, segs, anchored, style, props)
        if self.title_hint:
            props.role = "title"
        if props.role == "ignore":
            if any(s.text.strip() for s in segs):
                self.findings.unplace(f"text in style {props.name!r} (the style map says: ignore)")
            segs = []
        content, bold, size = _inlines(segs)
        text = "".join(s.text for s in segs).strip()
        if not _standalone(text):  # a code or review line says nothing of the leaflet's language
            self.findings.languages.update(self.languages)
        paragraph_language = self.languages.most_common(1)[0][0] if self.languages else None
        if text and _norm(props.name) == "caption" and self.items and isinstance(self.items[-1], Figure):
            last = self.items[-1]
            last.picture = replace(last.picture, caption=_untab(content))
            return last_boxed
        if text and mark.hidden and not any(s.text.strip() for s in segs):
            content = ()
        boxed_now = props.boxed if box is None else None
        if text:
            para = Para(content, line, size=size, bold=bold, can_head=not in_cell, lang=paragraph_language)
            self._structure(para, props, segs)
            if not self.facts_only:  # a tab is a space in running text; in a footer it separates facts
                para.content = _untab(para.content)
            if props.role == "notice":
                boxed_now = f"style:{props.name}"
            if boxed_now is not None:
                if boxed_now != last_boxed:
                    self.boxes += 1
                para.box = 1000 + self.boxes
            else:
                para.box = box
            self.items.append(para)
        else:
            boxed_now = last_boxed if boxed_now is None and box is None else boxed_now
        pictures, self.pending = self.pending, []
        for picture in pictures:
            self.items.append(Figure(picture, line, box))
        for element in anchored:
            self.text_box(element)
        return boxed_now if text else last_boxed

    def _structure(self, para: Para, props: _Props, segs: list[_Seg]) -> None:
        """Heading level and list membership from the style, the numbering and typed bullets."""
        role = props.role or ""
        if role == "title":
            para.level = TITLE
        elif role.startswith("heading "):
            para.level = int(role.split()[1])
        elif props.heading is not None and (props.outline is None or props.outline < 9):
            para.level = props.heading
        elif props.outline is not None and props.outline < 9:
            para.level = props.outline + 1
        if role.startswith(("bullet ", "number ")):
            para.list_depth = int(role.split()[1]) - 1
            para.ordered = role.startswith("number")
        listed = _LIST_STYLE_RE.fullmatch(_norm(props.name)) if props.name else None
        # "List Bullet 2" is its own list in Word (ilvl 0 of another numbering): its depth is in its name.
        named_depth = int(listed.group(2) or 1) - 1 if listed and listed.group(1) in ("bullet", "number") else None
        if para.list_depth is None and props.num is not None and para.level is None:
            num_id, ilvl = props.num
            level = self.numbering.level(num_id, ilvl)
            if level is not None:
                para.list_depth = max(ilvl, named_depth or 0)
                para.ordered = level.ordered
                if level.ordered:
                    para.start = self.numbering.number(num_id, ilvl, level)
        if para.list_depth is None and para.level is None:
            if named_depth is not None and not (props.num is not None and props.num[0] == "0"):
                para.list_depth = named_depth
                para.ordered = listed is not None and listed.group(1) == "number"
            else:
                self._typed_marker(para)

    def _typed_marker(self, para: Para) -> None:
        """A bullet or number typed at the start of the paragraph (``•<tab>``, ``1.<tab>``) makes a list item."""
        first = para.content[0] if para.content else None
        if not isinstance(first, Text):
            return
        bullet = _TYPED_BULLET_RE.match(first.text)
        number = _TYPED_NUMBER_RE.match(first.text)
        found = bullet or number
        if not found or found.end() >= len(first.text):
            return
        para.content = (Text(first.text[found.end():]), *para.content[1:])
        para.list_depth = 1 if bullet and (bullet.group(1) or bullet.group(2) or "") in _SECOND_LEVEL else 0
        if number:
            para.ordered = True
            para.start = int(number.group(1))

    def inline(self, parent: etree._Element, segs: list[_Seg], anchored: list[etree._Element], style: _Props,
               para: _Props, url: str | None = None) -> None:
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            tag, ns = qname.localname, qname.namespace
            if ns == MC and tag == "AlternateContent":
                self.inline(_one_branch(child), segs, anchored, style, para, url)
            elif ns == M:
                if tag in ("oMath", "oMathPara"):
                    self.findings.unplace("an equation")
            elif ns != W:
                continue
            elif tag == "r":
                self.run(child, segs, anchored, style, url)
            elif tag == "hyperlink":
                target = None
                rid = child.get(f"{{{R}}}id")
                if rid and rid in self.rels and self.rels[rid][2]:
                    target = self.rels[rid][1].strip()
                    if not _WEB_LINK_RE.match(target):  # javascript:, file:, data:, \\host, //host ...
                        self.findings.unplace(f"a link to {target[:40]!r} (only web, e-mail and phone links are "
                                              "kept; its text is kept)")
                        target = None
                self.inline(child, segs, anchored, style, para, target or url)
            elif tag in ("ins", "moveTo"):
                self._tracked(child, inserted=True)
                self.inline(child, segs, anchored, style, para, url)
            elif tag in ("del", "moveFrom"):
                self._tracked(child, inserted=False)
            elif tag in ("smartTag", "customXml", "bdo", "dir"):
                self.inline(child, segs, anchored, style, para, url)
            elif tag == "sdt":
                content = self._sdt_content(child)
                if content is not None:
                    self.title_hint = self.title_hint or _sdt_is_title(child)
                    self.inline(content, segs, anchored, style, para, url)
            elif tag == "fldSimple":
                instruction = (child.get(_w("instr")) or "").split()
                kind = instruction[0].upper() if instruction else ""
                if kind in _PAGE_FIELDS or kind in _DROPPED_FIELDS:
                    continue
                link = _field_link(instruction) if kind == "HYPERLINK" else None
                self.inline(child, segs, anchored, style, para, link or url)
            elif tag == "subDoc":
                self.findings.unplace("a linked sub-document")

    def run(self, r: etree._Element, segs: list[_Seg], anchored: list[etree._Element], style: _Props,
            url: str | None) -> None:
        rpr = r.find(_w("rPr"))
        rstyle = rpr.find(_w("rStyle")) if rpr is not None else None
        props = _run_props(rpr)
        if rstyle is not None:
            props = props.over(self.styles.props(rstyle.get(_w("val"), "")))
        props = props.over(style).over(self.styles.defaults)
        if rpr is not None and rpr.find(_w("rPrChange")) is not None:
            self._tracked(rpr.find(_w("rPrChange")), inserted=True)
        for child in r:
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            tag, ns = qname.localname, qname.namespace
            if ns == MC and tag == "AlternateContent":
                branch = _one_branch(child)
                fake = etree.Element(_w("r"))
                fake.extend(list(branch))
                self.run(fake, segs, anchored, style, url)
                continue
            if ns != W:
                continue
            if tag == "fldChar":
                kind = child.get(_w("fldCharType"))
                if kind == "begin":
                    self.fields.append(["", "instr"])
                elif kind == "separate" and self.fields:
                    self.fields[-1][1] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == "instrText":
                if self.fields and self.fields[-1][1] == "instr":
                    self.fields[-1][0] += child.text or ""
                continue
            if not self._field_visible():
                continue
            link = self._field_link() or url
            if tag in ("drawing", "pict", "object"):
                self.drawing(child, anchored)
                continue
            if props.hidden:
                if tag == "t" and (child.text or "").strip():
                    self.findings.hidden += 1
                continue
            text = None
            if tag == "t":
                text = child.text or ""
            elif tag == "tab" or tag == "ptab":
                text = "\t"
            elif tag == "noBreakHyphen":
                text = "\u2011"
            elif tag == "softHyphen":
                text = ""
            elif tag == "sym":
                code = (child.get(_w("char")) or "").upper()
                if len(code) == 4 and code.startswith("00"):
                    code = "F0" + code[2:]
                text = _SYMBOLS.get(code)
                if text is None:
                    try:
                        text = chr(int(code, 16)) if code and not code.startswith("F0") else None
                    except ValueError:
                        text = None
                if text is None:
                    self.findings.unplace(f"a symbol character {code} in font {child.get(_w('font'))}")
                    continue
            elif tag in ("br", "cr"):
                if child.get(_w("type")) in ("page", "column"):
                    text = " "
                else:
                    segs.append(_Seg("", brk=True))
                    continue
            elif tag in ("footnoteReference", "endnoteReference"):
                self.findings.unplace("a footnote or endnote (its text is not read)")
                continue
            if text is not None:
                segs.append(_Seg(text, bool(props.bold), bool(props.italic), link, size=props.size, lang=props.lang))
                if props.lang and text.strip() and not self.facts_only:
                    self.languages[props.lang] += len(text.strip())

    def _field_visible(self) -> bool:
        for instruction, phase in self.fields:
            kind = instruction.split()[0].upper() if instruction.split() else ""
            if phase != "result" or kind in _PAGE_FIELDS or kind in _DROPPED_FIELDS:
                return False
        return True

    def _field_link(self) -> str | None:
        for instruction, _ in reversed(self.fields):
            words = instruction.split()
            if words and words[0].upper() == "HYPERLINK":
                return _field_link(words)
        return None

    def drawing(self, element: etree._Element, anchored: list[etree._Element]) -> None:
        """A text box is read after its paragraph; a picture is counted (pictures are not carried yet)."""
        boxes = list(element.iter(_w("txbxContent")))
        if boxes:
            anchored.extend(_outermost(boxes))
            return
        if etree.QName(element).localname == "object":
            self.findings.unplace("an embedded object (OLE)")
            return
        pictures = list(element.iter(f"{{{PIC}}}pic")) or list(element.iter(f"{{{V}}}imagedata"))
        if not pictures:
            self.findings.unplace("a shape without text")
            return
        if self.facts_only:
            return  # a logo in a header or footer is not part of the leaflet
        doc_pr = next(element.iter(f"{{{WP}}}docPr"), None)
        if doc_pr is not None and any(etree.QName(e).localname == "decorative" and e.get("val") in ("1", "true")
                                      for e in doc_pr.iter()):
            return  # marked decorative in Word: it says nothing
        shape = next(element.iter(f"{{{V}}}shape"), None)
        alt = " ".join(((doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None
                        else (shape.get("alt") or "") if shape is not None else "").split())
        name = doc_pr.get("name", "a picture") if doc_pr is not None else "a picture"
        self.pending.append(self._picture(pictures[0], alt, name))

    def _picture(self, element: etree._Element, alt: str, name: str) -> Picture:
        """The picture's image from its part, re-encoded; without one, its alt text stands in."""
        from pipeline.pictures import PictureError, reencode

        line = self.counter + 1
        self.findings.pictures += 1
        if not alt:
            self.findings.no_alt.append(name)
        if self.findings.pictures > MAX_PICTURES:
            self.findings.unplace(f"a picture past the first {MAX_PICTURES} (its alt text stands in)")
            return Picture(alt, line=line)
        blip = next(element.iter(f"{{{A}}}blip"), None)
        rid = (blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}link")) if blip is not None \
            else element.get(f"{{{R}}}id")
        target = self.rels.get(rid or "")
        if target is None:
            self.findings.unplace(f"a picture without its image ({name})")
            return Picture(alt, line=line)
        if target[2]:
            self.findings.unplace(f"a linked picture ({name}: its file is not inside the document)")
            return Picture(alt, line=line)
        data = self.package.read(target[1])
        try:
            image, width, height = reencode(data or b"")
        except PictureError as exc:
            self.findings.unplace(f"a picture ({name}) that {exc}")
            return Picture(alt, line=line)
        return Picture(alt, image, width, height, line=line)

    def text_box(self, content: etree._Element) -> None:
        self.boxes += 1
        box = 1000 + self.boxes
        self.blocks(content, box)

    def table(self, tbl: etree._Element, box: int | None) -> None:
        self.counter += 1
        line = self.counter
        rows: list[list[tuple[Inline, ...]]] = []
        shaded: list[bool] = []
        above: dict[int, tuple[Inline, ...]] = {}
        for tr in tbl.iter(_w("tr")):
            if _ancestor_table(tr) is not tbl:
                continue
            if (trpr := tr.find(_w("trPr"))) is not None and trpr.find(_w("del")) is not None:
                self._tracked(trpr.find(_w("del")), inserted=False)
                continue
            row: list[tuple[Inline, ...]] = []
            column = 0
            for tc in _cells(tr):
                tcpr = tc.find(_w("tcPr"))
                span_el = tcpr.find(_w("gridSpan")) if tcpr is not None else None
                span = min(int(span_el.get(_w("val"), "1")), 63) if span_el is not None and \
                    span_el.get(_w("val"), "").isdigit() else 1  # Word's tables have at most 63 columns
                merge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                shade = tcpr.find(_w("shd")) if tcpr is not None else None
                shaded.append(shade is not None and _filled(shade))
                if merge is not None and merge.get(_w("val"), "continue") == "continue":
                    content = above.get(column, ())
                else:
                    content = self.cell(tc)
                above[column] = content
                row.append(content)
                row.extend(() for _ in range(span - 1))
                column += span
            rows.append(row)
        one_cell = len(rows) == 1 and len([c for c in rows[0] if c]) <= 1
        boxed = box if box is not None else (1000 + self._new_box() if one_cell or (shaded and all(shaded) and
                                                                                    len(rows) == 1) else None)
        if one_cell:
            for item in self._cell_items(tbl):
                item.box = boxed
                self.items.append(item)
            return
        self.items.append(Grid([[c or (Text(""),) for c in row] for row in rows], line, boxed))

    def _new_box(self) -> int:
        self.boxes += 1
        return self.boxes

    def _cell_items(self, tbl: etree._Element) -> list[Item]:
        """The paragraphs of a one-cell table, read as paragraphs (a notice box)."""
        keep = self.items
        self.items = []
        for tc in tbl.iter(_w("tc")):
            self.blocks(tc, None)
        found, self.items = self.items, keep
        return found

    def cell(self, tc: etree._Element) -> tuple[Inline, ...]:
        """A cell's paragraphs joined with line breaks (lists keep their bullets as text)."""
        keep = self.items
        self.items = []
        self.blocks(tc, None, in_cell=True)
        found, self.items = self.items, keep
        out: list[Inline] = []
        for item in found:
            if isinstance(item, Figure):
                self.findings.unplace("a picture in a table cell (its alt text is kept)")
                parts: list[Inline] = [Text(picture_words(item.picture))]
            elif isinstance(item, Grid):
                self.findings.unplace("a table inside a table cell (flattened)")
                parts = [Text(", ".join(_plain_text(c) for c in row if _plain_text(c))) for row in item.rows]
            else:
                marker = (f"{item.start or 1}. " if item.ordered else "• ") if item.list_depth is not None else ""
                parts = [Text(marker), *item.content] if marker else list(item.content)
            if out:
                out.append(LineBreak())
            out.extend(parts)
        return tuple(out)


def _standalone(text: str) -> bool:
    from pipeline.readers.metadata import standalone_line

    return len(text) < 120 and standalone_line(" ".join(text.split()))


def _untab(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in content:
        if isinstance(node, Text):
            out.append(Text(re.sub(r"[ \t]*\t[ \t]*", " ", node.text)))
        elif isinstance(node, Strong | Emphasis):
            out.append(type(node)(_untab(node.children)))
        elif isinstance(node, Link):
            out.append(Link(node.url, _untab(node.children)))
        else:
            out.append(node)
    return tuple(out)


def picture_words(picture: Picture) -> str:
    """A picture inside text (a table cell) as words: its alt text, in brackets."""
    return f"[{picture.alt}]" if picture.alt else ""


def _plain_text(content: tuple[Inline, ...]) -> str:
    return inline_text(content).strip()


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    """A row's cells in order, through content controls and custom XML around them."""
    for child in tr:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag == "tc":
            yield child
        elif tag in ("sdt", "customXml"):
            inner = child.find(_w("sdtContent")) if tag == "sdt" else child
            if inner is not None:
                yield from _cells(inner)


def _ancestor_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != _w("tbl"):
        parent = parent.getparent()
    return parent


def _outermost(boxes: list[etree._Element]) -> list[etree._Element]:
    """Text box contents not inside another of them (a group's boxes, once each)."""
    ids = {id(b) for b in boxes}
    out = []
    for box in boxes:
        parent = box.getparent()
        while parent is not None and id(parent) not in ids:
            parent = parent.getparent()
        if parent is None:
            out.append(box)
    # A DrawingML box and its VML fallback are alternatives: only one branch was walked.
    return out


def _one_branch(alternate: etree._Element) -> etree._Element:
    """The branch of ``mc:AlternateContent`` to read: the first Choice, else the Fallback; never both."""
    choice = alternate.find(f"{{{MC}}}Choice")
    if choice is not None:
        return choice
    fallback = alternate.find(f"{{{MC}}}Fallback")
    return fallback if fallback is not None else etree.Element("empty")


def _placeholder(sdt: etree._Element) -> bool:
    pr = sdt.find(_w("sdtPr"))
    return pr is not None and _toggle(pr.find(_w("showingPlcHdr"))) is True


def _sdt_is_title(sdt: etree._Element) -> bool:
    pr = sdt.find(_w("sdtPr"))
    if pr is None:
        return False
    names = [(el.get(_w("val")) or "").lower() for el in (pr.find(_w("alias")), pr.find(_w("tag"))) if el is not None]
    binding = pr.find(_w("dataBinding"))
    bound = binding is not None and "dc:title" in (binding.get(_w("xpath")) or "")
    return bound or any(n in ("title", "leaflet title", "document title") for n in names)


def _field_link(words: list[str]) -> str | None:
    for word in words[1:]:
        word = word.strip('"')
        if word.startswith(("http://", "https://", "mailto:")):
            return word
    return None


def _inlines(segs: list[_Seg]) -> tuple[tuple[Inline, ...], bool, float | None]:
    """The model's inlines for a paragraph's segments: neighbours with the same formatting merged first,
    so a phone number split over runs is one text; and whether it is wholly bold."""
    weights: dict[float, int] = {}
    for seg in segs:
        if seg.size is not None and seg.text.strip():
            weights[seg.size] = weights.get(seg.size, 0) + len(seg.text.strip())
    size = max(weights, key=lambda k: weights[k]) if weights else None
    merged: list[_Seg] = []
    for seg in segs:
        if merged and not seg.brk and not merged[-1].brk and (
                (seg.bold, seg.italic, seg.url) == (merged[-1].bold, merged[-1].italic, merged[-1].url)
                or (not seg.text.strip() and seg.url == merged[-1].url)):
            merged[-1] = _Seg(merged[-1].text + seg.text, merged[-1].bold, merged[-1].italic, merged[-1].url)
        else:
            merged.append(seg)
    # Leading and trailing spaces and breaks are layout, not text.
    while merged and (merged[0].brk or not merged[0].text.strip()):
        merged.pop(0)
    while merged and (merged[-1].brk or not merged[-1].text.strip()):
        merged.pop()
    if merged:
        merged[0].text = merged[0].text.lstrip(" ")
        merged[-1].text = merged[-1].text.rstrip()
    visible = [s for s in merged if s.text.strip()]
    bold = bool(visible) and all(s.bold for s in visible)
    out: list[Inline] = []
    for seg in merged:
        if seg.brk:
            out.append(LineBreak())
            continue
        node: Inline = Text(seg.text)
        if seg.italic and seg.text.strip():
            node = Emphasis((node,))
        if seg.bold and seg.text.strip():
            node = Strong((node,))
        if seg.url:
            if out and isinstance(out[-1], Link) and out[-1].url == seg.url:
                out[-1] = Link(seg.url, (*out[-1].children, node))
                continue
            node = Link(seg.url, (node,))
        out.append(node)
    return tuple(out), bold, size


# --- Headers and footers --------------------------------------------------------


def _header_footer_lines(package: _Package, styles: _Styles, numbering: _Numbering,
                         findings: _Findings) -> list[tuple[str, str]]:
    """(where, text) for every line of every header and footer: paragraphs, table cells, text boxes."""
    lines: list[tuple[str, str]] = []
    for kind in ("header", "footer"):
        for part in sorted(set(package.related(kind))):
            root = package.xml(part)
            if root is None:
                continue
            walker = _Walker(package, part, styles, numbering, findings, facts_only=True)
            for item in walker.story(root):
                if isinstance(item, Grid):
                    lines.extend((kind, _plain_text(cell)) for row in item.rows for cell in row if _plain_text(cell))
                elif isinstance(item, Para):
                    lines.append((kind, _plain_text(item.content)))
    return [(where, " ".join(text.split())) for where, text in lines if text.strip()]


# --- The reader -----------------------------------------------------------------


@dataclass
class WordDocument:
    """What the Word reader saw: layout items, header and footer lines, and what a person must know."""

    items: list[Item]
    margins: list[tuple[str, str]]
    findings: _Findings
    comments: int
    comment_authors: set[str]


def read_word_layout(data: bytes, path: str) -> WordDocument:
    """Open a ``.docx`` and describe what its reader sees, without deciding structure yet."""
    package = _Package(data, path)
    mapping = style_map(path)
    styles = _Styles(package.xml(next(iter(package.related("styles")), "word/styles.xml")), mapping)
    numbering = _Numbering(package.xml(next(iter(package.related("numbering")), "word/numbering.xml")), styles)
    findings = _Findings()
    root = package.xml(package.main)
    if root is None:
        raise LeafletError(path, "is damaged: its main document part cannot be read; save it again as .docx")
    body = root.find(_w("body"))
    if body is None:
        raise LeafletError(path, "has no document body: save it again as .docx")
    walker = _Walker(package, package.main, styles, numbering, findings)
    items = walker.story(body)
    margins = _header_footer_lines(package, styles, numbering, _Findings())
    comments, authors = _open_comments(package)
    if styles.unmapped:
        names = ", ".join(repr(n) for n in list(styles.unmapped)[:6]) + (" ..." if len(styles.unmapped) > 6 else "")
        log.warning("%s: the document's own style(s) %s are read by their formatting alone: if one is a heading, a "
                    "notice or a list, say so in %s beside the leaflet", path, names, STYLE_MAP_NAME)
    return WordDocument(items, margins, findings, comments, authors)


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _locale(tag: str) -> str | None:
    """A locale code for a Word language tag: ``en-US`` -> ``en_GB`` (the pipeline's English), ``cy-GB`` -> ``cy``."""
    from babel import Locale, UnknownLocaleError

    primary = _primary(tag)
    if primary == "en":
        return "en_GB"
    try:
        return str(Locale.parse(primary))
    except (ValueError, UnknownLocaleError):
        return None


_ENGLISH_WORDS = frozenset([
    "the", "and", "you", "your", "to", "of", "is", "for", "a", "in", "it", "if", "be", "will", "with", "this",
    "are", "can", "or", "not"])


def _language(languages: Counter[str], text: str, path: str) -> str | None:
    """The leaflet's language when Word records one other than English for most of its text, else ``None``.

    Word's language marks follow the writer's keyboard and proofing settings as much as
    the text, so a mark is believed only when the words agree: text marked Welsh that reads
    as English (its commonest words are English ones) stays English, with a warning.  A
    document with a second language for a fifth or more of its text is named as bilingual.
    """
    from babel import Locale, UnknownLocaleError

    total = sum(languages.values())
    if not total:
        return None
    by_language: Counter[str] = Counter()
    for tag, count in languages.items():
        by_language[tag.replace("_", "-").split("-")[0].lower()] += count
    (main, count), *rest = by_language.most_common()
    second = rest[0] if rest else None
    if second and second[1] >= total * 0.2:
        log.warning("%s: bilingual: %d%% of the text is marked %s and %d%% %s; read as a %s leaflet whose %s "
                    "paragraphs are shown and spoken in their own language and not translated", path,
                    round(100 * count / total), main, round(100 * second[1] / total), second[0], main, second[0])
    if main == "en":
        return None
    try:
        locale = Locale.parse(main)
    except (ValueError, UnknownLocaleError):
        return None
    words = re.findall(r"[a-z']+", text.lower())
    english = sum(w in _ENGLISH_WORDS for w in words) / max(len(words), 1)
    if english > 0.15:
        log.warning("%s: Word marks the text as %s, but it reads as English: read as English (check the "
                    "document's proofing language)", path, locale.get_display_name("en"))
        return None
    return str(locale)


def _open_comments(package: _Package) -> tuple[int, set[str]]:
    """Comments not marked done, and their authors."""
    part = next(iter(package.related("comments")), None)
    root = package.xml(part) if part else None
    if root is None:
        return 0, set()
    done: set[str] = set()
    extended = next(iter(package.related("commentsExtended")), None)
    ext_root = package.xml(extended) if extended else None
    if ext_root is not None:
        for ex in ext_root.iter(f"{{{W15}}}commentEx"):
            if ex.get(f"{{{W15}}}done") == "1":
                done.add(ex.get(f"{{{W15}}}paraId", ""))
    count = 0
    authors: set[str] = set()
    for comment in root.iter(_w("comment")):
        paras = comment.findall(_w("p"))
        last = paras[-1].get(f"{{{W14}}}paraId", "") if paras else ""
        if last and last in done:
            continue
        count += 1
        if comment.get(_w("author")):
            authors.add(comment.get(_w("author"), ""))
    return count, authors


def read_word(data: bytes, path: str) -> Leaflet:
    """Read a Word leaflet into a :class:`~pipeline.model.Leaflet` (see the module's description)."""
    from dataclasses import replace

    from pipeline.readers.metadata import detect

    doc = read_word_layout(data, path)
    margins, found_in = margin_facts(doc.margins, path)
    text = " ".join(inline_text(item.content) for item in doc.items if isinstance(item, Para))
    language = _language(doc.findings.languages, text, path)
    # Each paragraph's own language is kept only where it is not the leaflet's.
    main = _primary(language or "en")
    for item in doc.items:
        if isinstance(item, Para):
            item.lang = None if not item.lang or _primary(item.lang) == main else _locale(item.lang)
    blocks = blocks_from_layout(doc.items)
    front = {"language": language, "source_language": language} if language else {}
    leaflet = detect(blocks, front, path, margins=margins)
    meta = leaflet.meta
    found_in = [(key, place) for key, place in found_in
                if (meta.shown_code if key == "code" else getattr(meta, key)) == margins[key]]
    found = doc.findings
    unfinished: list[str] = []
    changes = found.insertions + found.deletions
    if changes:
        who = f" (by {', '.join(sorted(found.authors))})" if found.authors else ""
        unfinished.append(f"{changes} tracked change(s) not yet accepted or rejected{who}: accept or reject "
                          "them in Word (Review > Accept), then save")
    if doc.comments:
        who = f" (by {', '.join(sorted(doc.comment_authors))})" if doc.comment_authors else ""
        unfinished.append(f"{doc.comments} comment(s) not resolved{who}: resolve or delete them in Word")
    if found.placeholders:
        unfinished.append(f"{found.placeholders} template placeholder(s) not filled in ('Click or tap here to "
                          "enter text'): fill them in or delete them in Word")
    if found.hidden:
        log.warning("%s: %d piece(s) of hidden text left out (Word's 'Hidden' font setting: not printed, so not "
                    "part of the leaflet)", path, found.hidden)
    if found.no_alt:
        names = ", ".join(repr(n) for n in found.no_alt[:3]) + (" ..." if len(found.no_alt) > 3 else "")
        log.warning("%s: %d picture(s) without alt text (%s): in Word, right-click the picture > View Alt Text "
                    "and say what it shows", path, len(found.no_alt), names)
    for what, count in sorted(found.unplaced.items()):
        log.warning("%s: %s left out%s", path, what, f" ({count} times)" if count > 1 else "")
    meta = replace(leaflet.meta, unfinished=tuple(unfinished), found_in=tuple(found_in))
    return replace(leaflet, meta=meta)
