"""Accessible web page: one self-contained HTML file, no scripts, nothing fetched from elsewhere.

Built for screen readers, phone browsers and people who enlarge text: the page
declares its language and direction (``lang``, ``dir``), has one ``h1`` and a heading
outline that follows the leaflet, a contents list of links to the sections, real
lists and tables (header cells with ``scope``), notices as ``role="note"``, phone
numbers as ``tel:`` links that can be tapped, and sizes in ``rem`` so browser zoom and
text size settings work.  It prints cleanly too.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterable
from typing import Any

from pipeline import bidi
from pipeline.exporters.common import closing_lines, language_line, notices, picture_line
from pipeline.i18n.catalogues import language_tag
from pipeline.labels import label
from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Emphasis,
    Heading,
    Inline,
    Leaflet,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Picture,
    Strong,
    Table,
    Text,
    ThematicBreak,
    inline_text,
    iter_blocks,
)
from pipeline.patterns import ADDRESS_RE, web_href
from pipeline.phones import Phone, sub_phones

_STYLE = """
html { font-size: 112.5%; }
body { font-family: Arial, "Noto Sans", "Noto Naskh Arabic", sans-serif; line-height: 1.5; color: #111;
       background: #fff; max-width: 42rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.8rem; line-height: 1.25; } h2 { font-size: 1.4rem; margin-top: 2rem; }
h3 { font-size: 1.2rem; margin-top: 1.5rem; }
a { color: #004b8d; } a:focus { outline: 3px solid #ffbf47; background: #ffbf47; color: #111; }
.notice { border-left: 0.4rem solid #b10e1e; padding: 0.5rem 1rem; background: #fbeaea; font-weight: bold; }
[dir="rtl"] .notice { border-left: 0; border-right: 0.4rem solid #b10e1e; }
h1, h2, h3, h4, p, li, td, th, dd, dt { overflow-wrap: break-word; hyphens: auto; }
.table:focus { outline: 3px solid #ffbf47; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #555; padding: 0.4rem;
       text-align: start; vertical-align: top; }
blockquote { margin-inline: 1.5rem; }
figure { margin: 1rem 0; } img { max-width: 100%; height: auto; } figcaption { margin-top: 0.3rem; }
footer { margin-top: 2rem; border-top: 1px solid #555; }
.skip { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip:focus { position: static; width: auto; height: auto; clip: auto; }
@media print { nav, .skip { display: none; } a { color: #111; text-decoration: none; } }
"""


def house_css(house: Any) -> str:
    """The house style's colours (contrast checked when it was loaded) over the default look."""
    if house is None:
        return ""
    c = house.colours
    return (f"\nbody {{ color: {c.text}; background: {c.background}; }} h1, h2, h3, h4 {{ color: {c.heading}; }}"
            f"\na {{ color: {c.link}; }} footer, hr {{ border-color: {c.accent}; }}"
            "\n.logo { display: block; max-width: min(16rem, 100%); height: auto; margin-bottom: 0.5rem; }\n")


def logo_html(house: Any, src: str | None = None, xml: bool = False) -> str:
    """The trust's logo with its alt text, or nothing; ``src`` defaults to the picture itself (``data:``)."""
    if house is None or house.logo is None:
        return ""
    width, height = house.logo_size
    source = src or "data:image/png;base64," + base64.b64encode(house.logo).decode("ascii")
    end = "/>" if xml else ">"
    return (f'<img class="logo" src="{source}" alt="{html.escape(house.logo_alt, quote=True)}" '
            f'width="{width}" height="{height}"{end}')


def export_html(leaflet: Leaflet, house: Any = None) -> str:
    """Render ``leaflet`` as an accessible, self-contained web page (in the trust's colours, with its
    logo, when a house style is given)."""
    meta = leaflet.meta
    esc = html.escape
    ids: dict[str, int] = {}
    headings = [b for b in leaflet.blocks if isinstance(b, Heading)]
    anchors = {id(h): _anchor(inline_text(h.content), ids) for h in headings}
    body: list[str] = []
    rtl = meta.direction == "rtl"
    for block in leaflet.blocks:
        body.extend(_block(block, anchors, rtl, meta.language))
    contents = "".join(f'<li><a href="#{anchors[id(h)]}">{plain_html(inline_text(h.content), rtl)}</a></li>'
                       for h in headings)
    top = [f"<p>{plain_html(line, rtl)}</p>" for line in filter(None, [language_line(leaflet)])]
    for notice, locale in notices(leaflet):
        lang = language_tag(locale)
        top.append(f'<p class="notice" role="note" lang="{lang}" dir="auto">{esc(notice)}</p>')
    footer = "".join(f"<p>{linked_html(line, rtl)}</p>" for line in closing_lines(leaflet))
    tag = language_tag(meta.language)
    return f"""<!DOCTYPE html>
<html lang="{tag}" dir="{meta.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(meta.title)}</title>
<style>{_STYLE}{table_css(leaflet)}{house_css(house)}</style>
</head>
<body>
<a class="skip" href="#content">{esc(label("skip_to_content", meta.language))}</a>
<header>
{logo_html(house)}
<h1>{plain_html(meta.title, rtl)}</h1>
{"".join(top)}
</header>
<nav aria-label="{esc(label("contents", meta.language))}"><ul>{contents}</ul></nav>
<main id="content">
{chr(10).join(body)}
</main>
<footer>{footer}</footer>
</body>
</html>
"""


def _anchor(text: str, used: dict[str, int]) -> str:
    base = re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "section"
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}-{used[base]}"


def _block(block: Block, anchors: dict[int, str], rtl: bool, locale: str = "en_GB") -> list[str]:
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 6)
        return [f'<h{level} id="{anchors[id(block)]}"{lang_attributes(block.lang)}>'
                f"{inlines_html(block.content, rtl)}</h{level}>"]
    if isinstance(block, Paragraph):
        return [f"<p{lang_attributes(block.lang)}>{inlines_html(block.content, rtl)}</p>"]
    if isinstance(block, BulletList | OrderedList):
        items = []
        for item in block.items:
            # A tight item's one paragraph is the item itself, without <p> around it.
            parts = [inlines_html(b.content, rtl) if isinstance(b, Paragraph) and len(item.blocks) == 1
                     else "\n".join(_block(b, anchors, rtl, locale)) for b in item.blocks]
            tight = item.blocks[0] if len(item.blocks) == 1 and isinstance(item.blocks[0], Paragraph) else None
            items.append(f"<li{lang_attributes(tight.lang if tight else None)}>{''.join(parts)}</li>")
        return [list_html(block, items)]
    if isinstance(block, BlockQuote):
        quoted = "\n".join(line for b in block.blocks for line in _block(b, anchors, rtl, locale))
        return [f"<blockquote>{quoted}</blockquote>"]
    if isinstance(block, Table):
        return [table_html(block, rtl)]
    if isinstance(block, ThematicBreak):
        return ["<hr>"]
    if isinstance(block, Picture):
        return [figure_html(block, rtl, locale, picture_src(block))]
    return []


def lang_attributes(lang: str | None, xml: bool = False) -> str:
    """`` lang="en-GB" dir="ltr"`` for text in another language than the page's (nothing for the page's own)."""
    if not lang:
        return ""
    from pipeline.i18n.catalogues import direction

    tag = language_tag(lang)
    return f' lang="{tag}"' + (f' xml:lang="{tag}"' if xml else "") + f' dir="{direction(lang)}"'


def picture_src(picture: Picture) -> str:
    """The picture inside the page itself (a ``data:`` address): the web page stays one file."""
    return "data:image/png;base64," + base64.b64encode(picture.image).decode("ascii")


def figure_html(picture: Picture, rtl: bool, locale: str, src: str, attributes: str = "") -> str:
    """A ``figure`` with the picture, its alt text and caption; without a picture, the words that stand for it.

    ``attributes`` go on the outer element (the e-book's ``id`` for the read-along).
    """
    caption = f"<figcaption>{inlines_html(picture.caption, rtl)}</figcaption>" if picture.caption else ""
    if not picture.image:
        words = plain_html(picture_line(picture, locale), rtl)
        return f'<div class="picture"{attributes}><p>{words}</p>{caption}</div>'
    return (f'<figure{attributes}><img src="{src}" alt="{html.escape(picture.alt, quote=True)}" '
            f'width="{picture.width}" height="{picture.height}"/>{caption}</figure>')


def inlines_html(nodes: tuple[Inline, ...], rtl: bool, in_link: bool = False) -> str:
    """Inline content as escaped HTML: bold, emphasis, links, line breaks; addresses and phone numbers
    linked outside links (shared with the EPUB, which makes ``<br>`` XHTML)."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(plain_html(node.text, rtl) if in_link else linked_html(node.text, rtl))
        elif isinstance(node, LineBreak):
            out.append("<br>")
        elif isinstance(node, Strong):
            out.append(f"<strong>{inlines_html(node.children, rtl, in_link)}</strong>")
        elif isinstance(node, Emphasis):
            out.append(f"<em>{inlines_html(node.children, rtl, in_link)}</em>")
        elif isinstance(node, Link):
            out.append(f'<a href="{html.escape(node.url, quote=True)}">{inlines_html(node.children, rtl, True)}</a>')
    return "".join(out)


def list_html(block: BulletList | OrderedList, items: list[str]) -> str:
    """``<ol>`` (with its start number) or ``<ul>`` around ``items`` (each an ``<li>``)."""
    if isinstance(block, OrderedList):
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}>{''.join(items)}</ol>"
    return f"<ul>{''.join(items)}</ul>"


# A table is laid out as a table only where its columns fit; in a narrower box (a phone, or
# large text) each row becomes a block and each cell shows its column heading above its
# text, as the audio reads it.  The switch is a container query in em, so it follows the
# text size as well as the screen width; the table's roles are given explicitly because
# browsers drop table semantics from elements whose display is changed.
_FITS = range(25, 85, 5)
"""The widths, in em of the table's own text, at which a table may switch to blocks."""

def table_css(leaflet: Leaflet) -> str:
    """The table rules shared by the web page and the e-book, for the widths its tables use."""
    return table_rules({table_fit(b) for b in iter_blocks(leaflet.blocks) if isinstance(b, Table)})


def table_rules(fits: Iterable[int]) -> str:
    """Rules for tables in ``<div class="table fit-N">`` that become one block per row below ``N`` em."""
    return """
.table { overflow-x: auto; max-width: 100%; container-type: inline-size; }
.cell-label { display: none; }
td, th { hyphens: manual; }
.nw, a[href^="tel"] { white-space: nowrap; }
""" + "".join(f"""@container (max-width: {n}em) {{
.fit-{n} table, .fit-{n} tbody, .fit-{n} tr, .fit-{n} td, .fit-{n} tbody th {{ display: block;
  width: auto; }}
.fit-{n} thead, .fit-{n} thead tr, .fit-{n} thead th {{ position: absolute; width: 1px; height: 1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; padding: 0; border: 0; }}
.fit-{n} tr {{ border: 1px solid #555; margin: 0 0 0.8em; }}
.fit-{n} td, .fit-{n} tbody th {{ border: 0; border-top: 1px solid #999; }}
.fit-{n} tr > :first-child {{ border-top: 0; }}
.fit-{n} .cell-label, .fit-{n} caption {{ display: block; font-weight: bold; }}
}}
""" for n in sorted(set(fits)))


def table_fit(table: Table) -> int:
    """The width in em below which ``table`` is shown one block per row (one of :data:`_FITS`).

    A column needs room for its longest word (never split) and its padding; a table with
    more columns than a phone's width allows always becomes blocks on a phone.
    """
    columns = max([len(table.header), *(len(row) for row in table.rows)])
    need = 0.0
    for i in range(columns):
        texts = [inline_text(row[i].content) for row in (table.header, *table.rows) if i < len(row)]
        longest = max((len(word) for text in texts for word in text.split()), default=1)
        need += max(longest * 0.65, 6.0) + 1.5  # bold glyphs average under 0.65 em; padding and border
    return next((n for n in _FITS if n >= need), _FITS[-1])


def table_html(table: Table, rtl: bool, xml: bool = False,
               attributes: Callable[[int, int], str] = lambda row, column: "") -> str:
    """``table`` as a table that becomes one labelled block per row where its columns do not fit.

    ``attributes(row, column)`` adds attributes to a cell (row 0 is the header row), as the
    e-book's read-along ids; ``xml`` writes XHTML.
    """
    head = "".join(f'<th scope="col" role="columnheader"{attributes(0, i)}>{inlines_html(c.content, rtl)}</th>'
                   for i, c in enumerate(table.header))
    rows = []
    for r, row in enumerate(table.rows, start=1):
        cells = []
        for i, cell in enumerate(row):
            heading = table.header[i] if i < len(table.header) else None
            shown = heading is not None and inline_text(heading.content).strip()
            # aria-hidden: a screen reader already hears the column heading from the table.
            label_html = (f'<span class="cell-label" aria-hidden="true">{inlines_html(heading.content, rtl)}'
                          f'{"" if str(shown).endswith((":", "：")) else ":"} </span>'
                          if heading is not None and shown else "")
            cells.append(f'<td role="cell"{attributes(r, i)}>{label_html}{inlines_html(cell.content, rtl)}</td>')
        rows.append(f'<tr role="row">{"".join(cells)}</tr>')
    focus = "" if xml else ' tabindex="0"'
    # Where it stays a table and is still too wide, it scrolls inside its own region, never
    # the whole page (WCAG 1.4.10); the region can be reached and scrolled with the keyboard.
    return (f'<div class="table fit-{table_fit(table)}" role="region"{focus} aria-label="{table_label(table)}">'
            f'<table role="table"><thead role="rowgroup"><tr role="row">{head}</tr></thead>'
            f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></div>')


def table_label(table: Table) -> str:
    """A table's accessible name: its column headings (escaped for an attribute)."""
    return html.escape(", ".join(inline_text(c.content) for c in table.header)[:120], quote=True)


def plain_html(text: str, rtl: bool) -> str:
    """Escaped text; on a right-to-left page, numbers and addresses isolated left to right."""
    return bidi.isolate(text, html.escape, _ltr(html.escape)) if rtl else html.escape(text)


def _ltr(inner: Callable[[str], str]) -> Callable[[str], str]:
    return lambda span: f'<bdi dir="ltr">{inner(span)}</bdi>'


def linked_html(text: str, rtl: bool = False) -> str:
    """Escaped text with web and e-mail addresses and phone numbers as links; on a right-to-left
    page, each number, phone number and address isolated left to right (see :mod:`pipeline.bidi`)."""
    return bidi.isolate(text, _links, _ltr(_links)) if rtl else _links(text)


def _links(text: str) -> str:
    out, pos = [], 0
    for m in ADDRESS_RE.finditer(text):
        out.append(_phones(html.escape(text[pos:m.start()])))
        address = m.group(0)
        href = f"mailto:{address}" if m.lastgroup == "email" else web_href(address)
        out.append(f'<a href="{html.escape(href, quote=True)}">{address_html(address)}</a>')
        pos = m.end()
    out.append(_phones(html.escape(text[pos:])))
    return "".join(out)


_ADDRESS_PART_RE = re.compile(r"[^./@?&=]*[/?&=]+|[.@][^./@?&=]*[/?&=]*|[^./@?&=]+")


def address_html(address: str) -> str:
    """A web or e-mail address that may wrap only before a dot or ``@`` and after a slash.

    A line break at the address's own hyphen ("northfield-" / "hospitals") reads as a word
    broken by hyphenation, so a patient types the address without it: each part that holds
    a hyphen is kept whole (``white-space: nowrap``), and ``<wbr>`` marks where it may wrap.
    """
    parts = [html.escape(part) for part in _ADDRESS_PART_RE.findall(address)]
    return "<wbr>".join(f'<span class="nw">{part}</span>' if "-" in part or "_" in part else part
                        for part in parts)


def _phones(escaped: str) -> str:
    """Phone numbers become ``tel:`` links, so a patient can tap to call (two for ``01632 960001/2``)."""
    def link(number: Phone) -> str:
        if len(number.dial) == 1:
            return f'<a href="tel:{number.dial[0]}">{number.text}</a>'
        head, _, tail = number.text.rpartition("/")
        return f'<a href="tel:{number.dial[0]}">{head}</a>/<a href="tel:{number.dial[1]}">{tail}</a>'
    return sub_phones(escaped, link)


