"""EPUB 3.3: the leaflet as an accessible e-book for reading apps (Thorium, Apple Books, EasyReader).

One XHTML content document for the whole leaflet (a leaflet is a few pages; one document
keeps the heading outline of the web page: one ``h1``, sections ``h2``, in a ``main``
landmark), with a navigation document whose table of contents links to each section
heading.  No page list: reflowable text has no fixed pages.  Every text a reading system
may highlight (heading, sentence, list item, table cell) is an element with an ``id``,
in reading order, ready to be paired with its spoken clip.  ``lang`` and ``dir`` come
from the locale, the unchecked-translation or draft notice comes first, there are no
scripts, and the package carries the accessibility metadata of EPUB Accessibility 1.1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html

from pipeline.exporters.common import closing_lines, language_line, notices
from pipeline.exporters.html import inlines_html, linked_html, plain_html, table_label
from pipeline.exporters.zipped import deflated, stored, write_zip
from pipeline.i18n.catalogues import language_tag
from pipeline.labels import label
from pipeline.model import (
    Block,
    BlockQuote,
    BulletList,
    Heading,
    Inline,
    Leaflet,
    OrderedList,
    Paragraph,
    Table,
    ThematicBreak,
    inline_text,
)
from pipeline.sentences import leading_space, split

_CSS = """
body { font-family: sans-serif; line-height: 1.5; margin: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.15em; }
.notice { border-inline-start: 0.3em solid #b10e1e; padding: 0.3em 0.8em; font-weight: bold; }
table { border-collapse: collapse; } th, td { border: 1px solid #555; padding: 0.3em; text-align: start;
  vertical-align: top; }
.-epub-media-overlay-active, .reading { background-color: #ffdd00; color: #000; }
"""


class _Ids:
    """``s1``, ``s2``, ...: an id for each element a reading system may highlight, in reading order."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"s{self.count}"


def export_epub(leaflet: Leaflet) -> bytes:
    """Render ``leaflet`` as an EPUB 3.3 package."""
    meta = leaflet.meta
    rtl = meta.direction == "rtl"
    lang = language_tag(meta.language)
    ids = _Ids()
    top = [f'<h1 id="{ids()}">{plain_html(meta.title, rtl)}</h1>']
    for notice, locale in notices(leaflet):
        top.append(f'<p class="notice" role="note" lang="{language_tag(locale)}" dir="auto" '
                   f'xml:lang="{language_tag(locale)}" id="{ids()}">{html.escape(notice)}</p>')
    line = language_line(leaflet)
    if line:
        top.append(f'<p id="{ids()}">{plain_html(line, rtl)}</p>')
    body: list[str] = []
    contents: list[tuple[str, str]] = []
    for block in leaflet.blocks:
        if isinstance(block, Heading):
            contents.append((f"s{ids.count + 1}", inline_text(block.content).strip()))
        body.extend(_block(block, ids, rtl))
    closing = [f'<p id="{ids()}">{linked_html(text, rtl)}</p>' for text in closing_lines(leaflet)]
    document = (f"<header>\n{chr(10).join(top)}\n</header>\n<main>\n{chr(10).join(body)}\n</main>\n"
                f"<footer>\n{chr(10).join(closing)}\n</footer>")
    files = {"EPUB/leaflet.xhtml": _xhtml(meta.title, document, lang, meta.direction)}
    toc = "".join(f'<li><a href="leaflet.xhtml#{anchor}">{plain_html(title, rtl)}</a></li>'
                  for anchor, title in [("s1", meta.title), *contents])
    heading = html.escape(label("contents", meta.language))
    files["EPUB/nav.xhtml"] = _xhtml(
        heading, f'<main><nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-heading">'
                 f'<h1 id="toc-heading">{heading}</h1><ol>{toc}</ol></nav></main>', lang, meta.direction)
    files["EPUB/style.css"] = _CSS.encode("utf-8")
    files["EPUB/package.opf"] = _package(leaflet, ["leaflet.xhtml"])
    files["META-INF/container.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        b'<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
        b"</rootfiles></container>\n")
    # The mimetype first and uncompressed, so that a reading system can tell what the file is.
    return write_zip([stored("mimetype", b"application/epub+zip"), *(deflated(n, d) for n, d in sorted(files.items()))])


def _block(block: Block, ids: _Ids, rtl: bool) -> list[str]:
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 6)
        return [f'<h{level} id="{ids()}">{inlines_html(block.content, rtl)}</h{level}>']
    if isinstance(block, Paragraph):
        return [_sentences("p", block.content, ids, rtl)]
    if isinstance(block, BulletList | OrderedList):
        items = []
        for item in block.items:
            if len(item.blocks) == 1 and isinstance(item.blocks[0], Paragraph):
                items.append(_sentences("li", item.blocks[0].content, ids, rtl))
            else:
                items.append(f"<li>{''.join(part for b in item.blocks for part in _block(b, ids, rtl))}</li>")
        if isinstance(block, OrderedList):
            start = f' start="{block.start}"' if block.start != 1 else ""
            return [f"<ol{start}>{''.join(items)}</ol>"]
        return [f"<ul>{''.join(items)}</ul>"]
    if isinstance(block, BlockQuote):
        return [f"<blockquote>{''.join(part for b in block.blocks for part in _block(b, ids, rtl))}</blockquote>"]
    if isinstance(block, Table):
        head = "".join(f'<th scope="col" id="{ids()}">{inlines_html(c.content, rtl)}</th>' for c in block.header)
        rows = "".join("<tr>" + "".join(f'<td id="{ids()}">{inlines_html(c.content, rtl)}</td>' for c in row) + "</tr>"
                       for row in block.rows)
        return [f'<table aria-label="{table_label(block)}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>"]
    if isinstance(block, ThematicBreak):
        return ["<hr/>"]
    return []


def _sentences(tag: str, content: tuple[Inline, ...], ids: _Ids, rtl: bool) -> str:
    """A paragraph or list item; with more than one sentence, each sentence a ``span`` with its own id."""
    sentences = split(content)
    if len(sentences) <= 1:
        return f'<{tag} id="{ids()}">{inlines_html(content, rtl)}</{tag}>'
    parts = []
    for sentence in sentences:
        space, rest = leading_space(sentence)
        parts.append(f'{space}<span id="{ids()}">{inlines_html(rest, rtl)}</span>')
    return f"<{tag}>{''.join(parts)}</{tag}>"


def _xhtml(title: str, body: str, lang: str, direction: str) -> bytes:
    body = body.replace("<br>", "<br/>").replace("<hr>", "<hr/>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{lang}" xml:lang="{lang}" dir="{direction}">\n'
            f'<head><meta charset="utf-8"/><title>{html.escape(title)}</title>'
            f'<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
            f"<body>\n{body}\n</body>\n</html>\n").encode()


def _package(leaflet: Leaflet, names: list[str]) -> bytes:
    meta = leaflet.meta
    lang = language_tag(meta.language)
    esc = html.escape
    # The leaflet, the language and the exact text: a new identifier for a new version.
    text = repr(leaflet).encode("utf-8")
    identifier = f"urn:leaflet:{meta.code}:{meta.language}:{hashlib.sha256(text).hexdigest()[:16]}"
    modified = dt.datetime.combine(meta.reviewed or dt.date(2000, 1, 1), dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = label("epub_summary", meta.language)
    metadata = [
        f'<dc:identifier id="id">{esc(identifier)}</dc:identifier>',
        f"<dc:title>{esc(meta.title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        f'<meta property="dcterms:modified">{modified}</meta>',
        *([f"<dc:publisher>{esc(meta.organisation)}</dc:publisher>"] if meta.organisation else []),
        *([f"<dc:creator>{esc(meta.author)}</dc:creator>"] if meta.author else []),
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        *(f'<meta property="schema:accessibilityFeature">{feature}</meta>'
          for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{esc(summary)}</meta>',
        '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>',
    ]
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="css" href="style.css" media-type="text/css"/>']
    items += [f'<item id="c{n}" href="{name}" media-type="application/xhtml+xml"/>'
              for n, name in enumerate(names, start=1)]
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, len(names) + 1))
    direction = ' page-progression-direction="rtl"' if meta.direction == "rtl" else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="{lang}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(metadata) + "\n</metadata>\n"
            f"<manifest>{''.join(items)}</manifest>\n<spine{direction}>{spine}</spine>\n</package>\n").encode("utf-8")
