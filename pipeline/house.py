"""The trust's own look ("house style"): its Word template and a few facts a template cannot hold.

A ``house/`` folder in the project (or ``--house DIR``, make ``HOUSE=``) holds:

- ``reference.docx``: the trust's Word template: its styles (fonts, colours, spacing), page
  size and margins, and header (with the logo).  The DOCX, large print and PDF are made
  from it, as pandoc's ``--reference-doc`` does;
- ``house.toml``: the trust's name as it should appear, the logo (a PNG) and its alt text,
  a line for the foot of each page, and the colours of the web page and e-book.

Every colour the house style brings is checked against its background before anything is
made (WCAG 2.2 AA: 4.5:1 for text, 3:1 for large text such as headings); one that fails is
refused in one line naming the style and the ratio (exit 2).  Large and giant print take
the house style only where it keeps to the large-print standard (:func:`large_print_notes`
says what was overridden).  Without a house folder everything is as it was: a plain,
accessible default.
"""

from __future__ import annotations

import hashlib
import io
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.errors import LeafletError

DEFAULT_FOLDER = Path("house")

SANS_SERIF = frozenset(name.casefold() for name in (
    "Arial", "Helvetica", "Helvetica Neue", "Frutiger", "Frutiger LT Std", "Verdana", "Tahoma", "Calibri", "Segoe UI",
    "Open Sans", "Source Sans Pro", "Source Sans 3", "Noto Sans", "Liberation Sans", "Gill Sans", "Gill Sans MT",
    "Trebuchet MS", "Century Gothic", "Lato", "Roboto", "Inter", "Aptos", "Myriad Pro", "Futura", "Univers",
    "DejaVu Sans", "Fira Sans", "PT Sans", "Montserrat", "Nunito", "Poppins", "Avenir", "Avenir Next",
))
"""Typefaces large print may keep: sans-serif ones (UKAAF).  Any other is replaced by Arial."""


USED_STYLES = frozenset(("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6",
                         "List Paragraph", "Quote", "Footer", "Header", "Hyperlink", "Strong", "Emphasis"))
"""The template's styles the leaflets are written in (their colours are checked; the rest are unused)."""


@dataclass(frozen=True)
class Colours:
    """The web page's and e-book's colours (``#RRGGBB``)."""

    text: str = "#111111"
    background: str = "#FFFFFF"
    heading: str = "#111111"
    link: str = "#004B8D"
    accent: str = "#B10E1E"


@dataclass(frozen=True)
class House:
    """A loaded house style; its ``repr`` is a fingerprint (it goes into the build key)."""

    folder: str
    sha: str
    """SHA-256 over everything that was read: a changed template or config makes the files again."""
    name: str | None = None
    """The trust's name, for a leaflet that does not say it."""
    reference: bytes | None = None
    """The Word template."""
    logo: bytes | None = None
    """The logo (PNG) for the web page and e-book."""
    logo_size: tuple[int, int] = (0, 0)
    """The logo's width and height in pixels."""
    logo_alt: str = ""
    footer: str | None = None
    """A line printed at the foot of each page (a switchboard, a PALS number)."""
    colours: Colours = Colours()

    def __repr__(self) -> str:
        return f"House({self.folder!r}, sha256={self.sha[:16]})"

    def apply(self, leaflet: Any) -> Any:
        """``leaflet`` with the trust's name where the leaflet does not say it."""
        if self.name and not leaflet.meta.organisation:
            return replace(leaflet, meta=replace(leaflet.meta, organisation=self.name))
        return leaflet


def find(given: Path | None) -> House | None:
    """The house style to use: ``given`` (``--house``), else ``house/`` when it exists, else none."""
    if given is None:
        return load(DEFAULT_FOLDER) if DEFAULT_FOLDER.is_dir() else None
    if not given.is_dir():
        raise LeafletError(str(given), "no house style folder here (it holds reference.docx and house.toml)")
    return load(given)


def load(folder: Path) -> House:
    """Read and check ``folder``; a problem is a :class:`LeafletError` naming the file (exit 2)."""
    config_path = folder / "house.toml"
    reference_path = folder / "reference.docx"
    if not config_path.exists() and not reference_path.exists():
        raise LeafletError(str(folder), "a house style folder holds reference.docx, house.toml or both; it has neither")
    digest = hashlib.sha256()
    config: dict[str, Any] = {}
    if config_path.exists():
        raw = config_path.read_bytes()
        digest.update(raw)
        try:
            config = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LeafletError(str(config_path), f"cannot read it: {exc}") from None
    reference = reference_path.read_bytes() if reference_path.exists() else None
    template = None
    if reference is not None:
        digest.update(reference)
        template = _check_reference(reference, reference_path)
    logo, logo_size = None, (0, 0)
    if config.get("logo"):
        logo_path = folder / str(config["logo"])
        if not logo_path.is_file() or logo_path.resolve().parent != folder.resolve():
            raise LeafletError(str(config_path), f"logo {config['logo']!r}: no such file in {folder}")
        from pipeline.pictures import PictureError, reencode

        raw_logo = logo_path.read_bytes()
        digest.update(raw_logo)
        try:
            logo, width, height = reencode(raw_logo)  # its pixels only, as any picture
            logo_size = (width, height)
        except PictureError as exc:
            raise LeafletError(str(logo_path), f"the logo {exc}") from None
        if not str(config.get("logo_alt", "")).strip():
            raise LeafletError(str(config_path), "logo_alt is needed: the words a screen reader says for the logo")
    if logo is None and template is not None:
        logo, logo_size, alt = _header_logo(template, reference_path)
        if logo is not None and not str(config.get("logo_alt", "")).strip():
            if not alt:
                raise LeafletError(str(reference_path), "the picture in the header has no alt text: give it one "
                                                        "in Word, or logo_alt in house.toml")
            config["logo_alt"] = alt
    web = config.get("web", {})
    if not isinstance(web, dict):
        raise LeafletError(str(config_path), "[web] must be a table of colours")
    given = {key: _hex(str(value), f"[web] {key}", config_path) for key, value in web.items()
             if key in Colours.__dataclass_fields__}
    if template is not None and "heading" not in given:
        heading = style_colour(template.styles["Heading 1"]) if "Heading 1" in [
            s.name for s in template.styles] else None
        if heading is not None:
            given["heading"] = heading  # the template's heading colour (its contrast is checked above)
    colours = Colours(**given)
    unknown = sorted(set(web) - set(Colours.__dataclass_fields__))
    if unknown:
        raise LeafletError(str(config_path), f"[web] {unknown[0]!r} is not a colour it knows "
                                             f"({', '.join(Colours.__dataclass_fields__)})")
    for key, large in (("text", False), ("link", False), ("heading", True), ("accent", True)):
        _contrast(getattr(colours, key), colours.background, large, f"[web] {key}", config_path)
    return House(folder=str(folder), sha=digest.hexdigest(), name=_text(config, "name", config_path),
                 reference=reference, logo=logo, logo_size=logo_size,
                 logo_alt=str(config.get("logo_alt", "")).strip(),
                 footer=_text(config, "footer", config_path), colours=colours)


def _header_logo(document: Any, path: Path) -> tuple[bytes | None, tuple[int, int], str]:
    """The first picture in the template's header (the trust's logo), re-encoded, and its alt text."""
    from docx.oxml.ns import qn

    from pipeline.pictures import PictureError, reencode

    header = document.sections[0].header
    if header.is_linked_to_previous and not len(header._element):
        return None, (0, 0), ""
    for blip in header._element.iter(qn("a:blip")):
        relation = blip.get(qn("r:embed"))
        if not relation or relation not in header.part.rels:
            continue
        described = next(header._element.iter(qn("wp:docPr")), None)
        alt = (described.get("descr") or "").strip() if described is not None else ""
        try:
            logo, width, height = reencode(header.part.rels[relation].target_part.blob)
        except PictureError as exc:
            raise LeafletError(str(path), f"the picture in the header {exc}") from None
        return logo, (width, height), alt
    return None, (0, 0), ""


def _text(config: dict[str, Any], key: str, path: Path) -> str | None:
    value = config.get(key)
    if value is None:
        return None
    text = str(value).strip()
    if re.search(r"[\x00-\x1f\x7f]", text) or len(text) > 300:
        raise LeafletError(str(path), f"{key}: one line of at most 300 characters, please")
    return text or None


def _hex(value: str, where: str, path: Path) -> str:
    if not re.fullmatch(r"#?[0-9A-Fa-f]{6}", value.strip()):
        raise LeafletError(str(path), f"{where} = {value!r} is not a colour: write it as #RRGGBB")
    return "#" + value.strip().lstrip("#").upper()


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _contrast(colour: str, background: str, large: bool, where: str, path: Path) -> None:
    need = 3.0 if large else 4.5
    ratio = contrast(colour, background)
    if ratio < need:
        kind = "large text" if large else "text"
        raise LeafletError(str(path), f"{where}: {colour} on {background} has a contrast of {ratio:.2f}:1; "
                                      f"WCAG 2.2 AA needs {need:g}:1 for {kind}: choose a darker colour")


def _check_reference(data: bytes, path: Path) -> Any:
    """The template, opened once: it must open, and every text colour its styles bring pass WCAG AA on
    the page."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a file that is not a DOCX
        raise LeafletError(str(path), f"cannot be read as a Word document: {type(exc).__name__}: {exc}") from None
    background = _page_colour(document)
    for style in document.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) or style.name not in USED_STYLES:
            continue
        colour = style_colour(style)
        if colour is None:
            continue
        size = style_size(style)
        bold = _style_bold(style)
        large = size is not None and (size >= 18 or size >= 14 and bold) or style.name.startswith(("Heading", "Title"))
        _contrast(colour, background, large, f"style {style.name!r}", path)
    return document


def _page_colour(document: Any) -> str:
    from docx.oxml.ns import qn

    found = document.element.find(qn("w:background"))
    colour = found.get(qn("w:color")) if found is not None else None
    return "#" + colour.upper() if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour) else "#FFFFFF"


def style_colour(style: Any) -> str | None:
    """The style's own text colour, or the one it inherits, as #RRGGBB (None: automatic)."""
    while style is not None:
        colour = style.font.color
        if colour is not None and colour.type is not None and colour.rgb is not None:
            return f"#{colour.rgb}"
        style = style.base_style
    return None


def style_size(style: Any) -> float | None:
    """The style's font size in points, its own or inherited (None: the document default)."""
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return None


def _style_bold(style: Any) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def large_print_notes(house: House, font: str) -> list[str]:
    """What large print keeps and what it overrides of ``house``'s Word styles, one short phrase each."""
    if house.reference is None:
        return []
    import docx

    document = docx.Document(io.BytesIO(house.reference))
    notes = []
    fonts = {name: _style_font(document.styles[name]) for name in ("Normal", "Heading 1", "Heading 2")
             if name in [s.name for s in document.styles]}
    for name, family in fonts.items():
        if family and family.casefold() not in SANS_SERIF:
            notes.append(f"{name} font {family!r} replaced by {font} (large print is sans-serif)")
    italic = [s.name for s in document.styles
              if s.name in USED_STYLES and getattr(s, "font", None) is not None and s.font.italic]
    if italic:
        notes.append(f"italics of {', '.join(sorted(italic)[:6])} removed")
    coloured = [n for n in ("Heading 1", "Heading 2") if n in fonts and style_colour(document.styles[n])]
    if coloured:
        notes.append("heading colour kept")
    notes.append("sizes, spacing and alignment from the large-print standard")
    return notes


def _style_font(style: Any) -> str | None:
    while style is not None:
        if style.font.name:
            return str(style.font.name)
        style = style.base_style
    return None


def write_example(folder: Path, *, serif: bool = False, low_contrast: bool = False) -> None:
    """Write an example house style of the project's own (not a real trust's branding) into ``folder``.

    The plain one: Arial 12, headings in a dark blue, a logo in the header, a footer line.
    ``serif``: Georgia body text, italic quotes and emphasis (which large print must override).
    ``low_contrast``: a pale heading colour, which is refused.
    """
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    folder.mkdir(parents=True, exist_ok=True)
    logo = _example_logo()
    (folder / "logo.png").write_bytes(logo)
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Georgia" if serif else "Arial"
    normal.font.size = Pt(12)
    normal.font.color.rgb = RGBColor(0x21, 0x2B, 0x32)
    heading_colour = RGBColor(0x9D, 0xB4, 0xCF) if low_contrast else RGBColor(0x00, 0x5E, 0xB8)
    for level, size in ((1, 22), (2, 16), (3, 13)):
        style = document.styles[f"Heading {level}"]
        style.font.name = "Georgia" if serif else "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = heading_colour
    if serif:
        document.styles["Quote"].font.italic = True
        names = [style.name for style in document.styles]
        emphasis = (document.styles["Emphasis"] if "Emphasis" in names
                    else document.styles.add_style("Emphasis", WD_STYLE_TYPE.CHARACTER))
        emphasis.font.italic = True
    section = document.sections[0]
    section.top_margin = Cm(3)
    run = section.header.paragraphs[0].add_run()
    run.add_picture(io.BytesIO(logo), width=Cm(5))
    from docx.oxml.ns import qn

    for properties in section.header._element.iter(qn("wp:docPr")):
        properties.set("descr", "Northfield Example Hospitals logo")
    document.add_paragraph("This template is an example made by the leaflet pipeline.")
    document.save(str(folder / "reference.docx"))
    name = "Northfield Example Hospitals NHS Foundation Trust"
    (folder / "house.toml").write_text(
        f'# An example house style made by the leaflet pipeline: not a real trust\'s branding.\n'
        f'name = "{name}"\n'
        f'logo = "logo.png"\n'
        f'logo_alt = "{name} logo"\n'
        f'footer = "Switchboard 0118 496 0000 | www.northfield-example.nhs.uk"\n'
        f'\n[web]\n'
        f'heading = "{"#9DB4CF" if low_contrast else "#005EB8"}"\n'
        f'link = "#004B8D"\n'
        f'accent = "#005EB8"\n'
        f'text = "#212B32"\n'
        f'background = "#FFFFFF"\n', encoding="utf-8")


def _example_logo() -> bytes:
    """A plain logo of the project's own: a blue block with the words, as a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (600, 150), (0, 94, 184))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 588, 138), outline=(255, 255, 255), width=4)
    font = ImageFont.load_default(size=34)
    draw.text((36, 34), "NORTHFIELD EXAMPLE", fill=(255, 255, 255), font=font)
    draw.text((36, 80), "HOSPITALS", fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
