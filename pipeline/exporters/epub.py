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
import logging
from typing import Any

from pipeline.exporters import Bundle, FormatUnavailable
from pipeline.exporters.common import closing_lines, language_line, notices
from pipeline.exporters.html import (
    figure_html,
    house_css,
    inlines_html,
    lang_attributes,
    linked_html,
    list_html,
    logo_html,
    plain_html,
    table_css,
    table_html,
)
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
    Picture,
    Table,
    TableCell,
    ThematicBreak,
    inline_text,
    iter_blocks,
)
from pipeline.sentences import leading_space, split
from pipeline.speech.audio import PARAGRAPH_PAUSE, SENTENCE_PAUSE
from pipeline.speech.narration import Narration, Piece, narrate
from pipeline.speech.script import cell_text, code_line, item_prefix, picture_words, spoken_sentences
from pipeline.speech.script import say as spoken

log = logging.getLogger("pipeline")

_CSS = """
body { font-family: sans-serif; line-height: 1.5; margin: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.15em; }
.notice { border-inline-start: 0.3em solid #b10e1e; padding: 0.3em 0.8em; font-weight: bold; }
table { border-collapse: collapse; } th, td { border: 1px solid #555; padding: 0.3em; text-align: start;
  vertical-align: top; }
.-epub-media-overlay-active, .reading { background-color: #ffdd00; color: #000; }
"""


class _Pieces:
    """Ids ``s1``, ``s2``, ... for the elements a reading system highlights, in reading order,
    with what each says: the pieces of the narration."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.pieces: list[Piece] = []
        self.part = 0
        self.images: dict[str, bytes] = {}
        """The book's pictures: ``images/pN.png`` -> PNG bytes."""

    def __call__(self, spoken: str, locale: str | None = None, pause: float = PARAGRAPH_PAUSE) -> str:
        """`` id="sN"`` for an element that says ``spoken``; nothing for one with nothing to say."""
        if not spoken:
            return ""
        piece_id = f"s{len(self.pieces) + 1}"
        self.pieces.append(Piece(piece_id, spoken, locale or self.locale, pause, self.part))
        return f' id="{piece_id}"'

    def next_part(self) -> None:
        """The pieces that follow are in the next audio file (a new section)."""
        if self.pieces and self.pieces[-1].part == self.part:
            self.part += 1


def export_epub(leaflet: Leaflet, engine: str | None = None, cache_dir: str | None = None,
                refresh_cache: bool | float = False, house: Any = None) -> Bundle:
    """Render ``leaflet`` as an EPUB 3.3 package; read aloud with ``engine`` (``--tts``) when it has a voice.

    Without ``engine``, or when the engine has no voice for the language, the book has no
    audio (and a warning says so when an engine was asked for).
    """
    files, pieces = _content(leaflet, house)
    narration = _narration(leaflet, pieces, engine, cache_dir, refresh_cache)
    files["EPUB/style.css"] = (_CSS + table_css(leaflet) + house_css(house)).encode("utf-8")
    if narration is not None:
        files["EPUB/leaflet.smil"] = _smil(narration)
        files.update((f"EPUB/{name}", mp3) for name, mp3 in narration.audio.items())
    files["EPUB/package.opf"] = _package(leaflet, narration, logo=house is not None and house.logo is not None)
    files["META-INF/container.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        b'<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
        b"</rootfiles></container>\n")
    # The mimetype first and uncompressed, so that a reading system can tell what the file is;
    # MP3s stored as they are (compressing compressed sound gains nothing).
    members = [stored("mimetype", b"application/epub+zip")]
    members += [stored(n, d) if n.endswith(".mp3") else deflated(n, d) for n, d in sorted(files.items())]
    return Bundle({"{stem}.epub": write_zip(members)}, engine=narration.engine if narration else "")


def read_along(leaflet: Leaflet) -> list[Piece]:
    """What the book's narration says, element by element, in reading order."""
    return _content(leaflet)[1]


def _content(leaflet: Leaflet, house: Any = None) -> tuple[dict[str, bytes], list[Piece]]:
    """The content and navigation documents, and the pieces their ids name (the house logo, if any, is
    shown, not read aloud)."""
    meta = leaflet.meta
    rtl = meta.direction == "rtl"
    locale = meta.language
    lang = language_tag(locale)
    say = _Pieces(locale)
    top = [logo] if (logo := logo_html(house, "images/logo.png", xml=True)) else []
    top.append(f"<h1{say(spoken(meta.title, locale))}>{plain_html(meta.title, rtl)}</h1>")
    for notice, notice_locale in notices(leaflet):
        top.append(f'<p class="notice" role="note" lang="{language_tag(notice_locale)}" dir="auto" '
                   f'xml:lang="{language_tag(notice_locale)}"{say(spoken(notice, notice_locale), notice_locale)}>'
                   f"{html.escape(notice)}</p>")
    line = language_line(leaflet)
    if line:
        top.append(f"<p{say(spoken(line, locale))}>{plain_html(line, rtl)}</p>")
    body: list[str] = []
    contents: list[tuple[str, str]] = []
    for block in leaflet.blocks:
        if isinstance(block, Heading):
            say.next_part()
            contents.append((f"s{len(say.pieces) + 1}", inline_text(block.content).strip()))
        body.extend(_block(block, say, rtl))
    say.next_part()
    code = label("code", locale, code=meta.shown_code)
    closing = [f"<p{say(code_line(leaflet) if text == code else spoken(text, locale))}>{linked_html(text, rtl)}</p>"
               for text in closing_lines(leaflet)]
    document = (f"<header>\n{chr(10).join(top)}\n</header>\n<main>\n{chr(10).join(body)}\n</main>\n"
                f"<footer>\n{chr(10).join(closing)}\n</footer>")
    files = {"EPUB/leaflet.xhtml": _xhtml(meta.title, document, lang, meta.direction)}
    files.update((f"EPUB/{name}", image) for name, image in say.images.items())
    if house is not None and house.logo is not None:
        files["EPUB/images/logo.png"] = house.logo
    toc = "".join(f'<li><a href="leaflet.xhtml#{anchor}">{plain_html(title, rtl)}</a></li>'
                  for anchor, title in [("s1", meta.title), *contents])
    heading = html.escape(label("contents", locale))
    files["EPUB/nav.xhtml"] = _xhtml(
        heading, f'<main><nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-heading">'
                 f'<h1 id="toc-heading">{heading}</h1><ol>{toc}</ol></nav></main>', lang, meta.direction)
    return files, say.pieces


def epub_bytes(leaflet: Leaflet, **options: object) -> bytes:
    """The book's bytes (:func:`export_epub` with ``options``), for callers that want one file."""
    return export_epub(leaflet, **options).files["{stem}.epub"]  # type: ignore[arg-type]


def _narration(leaflet: Leaflet, pieces: list[Piece], engine: str | None, cache_dir: str | None,
               refresh_cache: bool | float) -> Narration | None:
    """The book's audio, or ``None`` (said in one warning when an engine was asked for)."""
    if engine is None:
        return None
    try:
        return narrate(pieces, leaflet.meta.language, engine=engine, cache_dir=cache_dir,
                       refresh_cache=refresh_cache)
    except FormatUnavailable as exc:
        log.warning("%s %s: the EPUB is made without read-along audio: %s", leaflet.meta.shown_code,
                    leaflet.meta.language, exc)
        return None


def _block(block: Block, say: _Pieces, rtl: bool) -> list[str]:
    locale = say.locale
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 6)
        spoken_heading = spoken(inline_text(block.content).strip(), block.lang or locale)
        return [f"<h{level}{lang_attributes(block.lang, xml=True)}{say(spoken_heading, block.lang)}>"
                f"{inlines_html(block.content, rtl)}</h{level}>"]
    if isinstance(block, Paragraph):
        return [_sentences("p", block.content, say, rtl, lang=block.lang)]
    if isinstance(block, BulletList | OrderedList):
        items = []
        for number, item in enumerate(block.items, start=getattr(block, "start", 1)):
            first, *rest = item.blocks or (None,)
            if isinstance(first, Paragraph) and not rest:
                items.append(_sentences("li", first.content, say, rtl, item_prefix(block, number), first.lang))
                continue
            parts = [_sentences("p", first.content, say, rtl, item_prefix(block, number), first.lang)
                     if isinstance(first, Paragraph) else "".join(_block(first, say, rtl)) if first else ""]
            parts += [part for b in rest for part in _block(b, say, rtl)]
            items.append(f"<li>{''.join(parts)}</li>")
        return [list_html(block, items)]
    if isinstance(block, BlockQuote):
        return [f"<blockquote>{''.join(part for b in block.blocks for part in _block(b, say, rtl))}</blockquote>"]
    if isinstance(block, Table):
        def read_along(r: int, i: int) -> str:
            """The cell's narration id: the heading alone, or the cell's text with its column heading."""
            row = (block.header, *block.rows)[r]
            pause = _pause(i == len(row) - 1)
            if r == 0:
                return say(spoken(inline_text(row[i].content), locale), pause=pause)
            heading: TableCell | None = block.header[i] if i < len(block.header) else None
            return say(cell_text(heading, row[i].content, locale), pause=pause)

        return [table_html(block, rtl, xml=True, attributes=read_along)]
    if isinstance(block, ThematicBreak):
        return ["<hr/>"]
    if isinstance(block, Picture):
        name = f"images/p{len(say.images) + 1}.png"
        if block.image:
            say.images[name] = block.image
        return [figure_html(block, rtl, locale, name, say(picture_words(block, locale)))]
    return []


def _pause(last: bool) -> float:
    """After the last sentence of a paragraph (or cell of a row), the paragraph's pause."""
    return PARAGRAPH_PAUSE if last else SENTENCE_PAUSE


def _sentences(tag: str, content: tuple[Inline, ...], say: _Pieces, rtl: bool, prefix: str = "",
               lang: str | None = None) -> str:
    """A paragraph or list item; with more than one sentence, each sentence a ``span`` with its own id.

    ``lang``: the paragraph's own language (a bilingual leaflet's other one), marked and spoken in it.
    """
    sentences = split(content)
    said = spoken_sentences(content, lang or say.locale, prefix)
    marked = lang_attributes(lang, xml=True)
    if len(sentences) <= 1 or len(said) != len(sentences):
        return f"<{tag}{marked}{say(' '.join(said), lang)}>{inlines_html(content, rtl)}</{tag}>"
    parts = []
    for index, (sentence, text) in enumerate(zip(sentences, said, strict=True)):
        space, rest = leading_space(sentence)
        parts.append(f"{space}<span{say(text, lang, pause=_pause(index == len(said) - 1))}>"
                     f"{inlines_html(rest, rtl)}</span>")
    return f"<{tag}{marked}>{''.join(parts)}</{tag}>"


def _smil(narration: Narration) -> bytes:
    """The media overlay: one ``par`` per piece, in reading order, pairing its element with its clip."""
    pars = "\n".join(f'<par id="p{n}"><text src="leaflet.xhtml#{clip.id}"/>'
                     f'<audio src="{clip.audio}" clipBegin="{clip.begin:.3f}s" clipEnd="{clip.end:.3f}s"/></par>'
                     for n, clip in enumerate(narration.clips, start=1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
            f'<body>\n<seq id="leaflet" epub:textref="leaflet.xhtml">\n{pars}\n</seq>\n</body>\n</smil>\n'
            ).encode()


def _clock(seconds: float) -> str:
    """``0:04:07.250``: a SMIL full clock value."""
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def _xhtml(title: str, body: str, lang: str, direction: str) -> bytes:
    body = body.replace("<br>", "<br/>").replace("<hr>", "<hr/>").replace("<wbr>", "<wbr/>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{lang}" xml:lang="{lang}" dir="{direction}">\n'
            f'<head><meta charset="utf-8"/><title>{html.escape(title)}</title>'
            f'<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
            f"<body>\n{body}\n</body>\n</html>\n").encode()


def _package(leaflet: Leaflet, narration: Narration | None, logo: bool = False) -> bytes:
    meta = leaflet.meta
    lang = language_tag(meta.language)
    esc = html.escape
    # The leaflet, the language and the exact text: a new identifier for a new version.
    text = repr(leaflet).encode("utf-8")
    identifier = f"urn:leaflet:{meta.code}:{meta.language}:{hashlib.sha256(text).hexdigest()[:16]}"
    modified = dt.datetime.combine(meta.reviewed or dt.date(2000, 1, 1), dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = label("epub_summary_audio" if narration else "epub_summary", meta.language)
    modes = ["textual", "auditory"] if narration else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    pictures = [b for b in iter_blocks(leaflet.blocks) if isinstance(b, Picture) and b.image]
    visual = ["visual"] if pictures else []
    if pictures and all(p.alt for p in pictures):
        features.append("alternativeText")
    if narration:
        features.append("synchronizedAudioText")
    metadata = [
        f'<dc:identifier id="id">{esc(identifier)}</dc:identifier>',
        f"<dc:title>{esc(meta.title)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        f'<meta property="dcterms:modified">{modified}</meta>',
        *([f"<dc:publisher>{esc(meta.organisation)}</dc:publisher>"] if meta.organisation else []),
        *([f"<dc:creator>{esc(meta.author)}</dc:creator>"] if meta.author else []),
        *(f'<meta property="schema:accessMode">{mode}</meta>' for mode in [*modes, *visual]),
        *(f'<meta property="schema:accessModeSufficient">{mode}</meta>' for mode in modes),
        *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{esc(summary)}</meta>',
        '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>',
    ]
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="css" href="style.css" media-type="text/css"/>']
    items += [f'<item id="img{n}" href="images/p{n}.png" media-type="image/png"/>'
              for n in range(1, len(pictures) + 1)]
    items += ['<item id="logo" href="images/logo.png" media-type="image/png"/>'] if logo else []
    if narration is None:
        items.append('<item id="c1" href="leaflet.xhtml" media-type="application/xhtml+xml"/>')
    else:
        total = sum(narration.durations.values())
        metadata += [f'<meta property="media:duration" refines="#mo1">{_clock(total)}</meta>',
                     f'<meta property="media:duration">{_clock(total)}</meta>',
                     '<meta property="media:active-class">-epub-media-overlay-active</meta>',
                     f"<meta property=\"media:narrator\">{esc(narration.engine)}</meta>"]
        items += ['<item id="c1" href="leaflet.xhtml" media-type="application/xhtml+xml" media-overlay="mo1"/>',
                  '<item id="mo1" href="leaflet.smil" media-type="application/smil+xml"/>']
        items += [f'<item id="a{n}" href="{name}" media-type="audio/mpeg"/>'
                  for n, name in enumerate(narration.audio, start=1)]
    spine = '<itemref idref="c1"/>'

    direction = ' page-progression-direction="rtl"' if meta.direction == "rtl" else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="{lang}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(metadata) + "\n</metadata>\n"
            f"<manifest>{''.join(items)}</manifest>\n<spine{direction}>{spine}</spine>\n</package>\n").encode("utf-8")
