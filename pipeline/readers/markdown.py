"""Markdown reader: CommonMark (plus tables) through markdown-it-py's syntax tree.

Raw HTML is never passed on as markup.  HTML tags are removed with a warning that
names the line; the text between tags is kept as plain text (so no visible word
is lost), ``<br>`` becomes a line break, and HTML comments are dropped.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from pipeline.errors import LeafletError
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
    ListItem,
    OrderedList,
    Paragraph,
    Picture,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    inline_text,
)
from pipeline.readers.metadata import detect, split_front_matter

log = logging.getLogger(__name__)

_BR_RE = re.compile(r"<br\s*/?>", re.I)

MAX_LIST_DEPTH = 6
"""Lists nested deeper than this are flattened into the sixth level, with a warning: Word has
nine list levels, and at large-print sizes six indents already fill half the page."""
MAX_QUOTE_DEPTH = 3
"""Quotes nested deeper than this are flattened into the third, with a warning."""
MAX_INLINE_DEPTH = 20
"""Bold, italic and links nested deeper than this lose the inner markup (never the text)."""
_MAX_NESTING = 100
"""markdown-it's own limit: past it the parser silently drops the rest of the file, so a
source that reaches it is refused rather than read in part."""

_parser = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table")
# Every link is parsed as a link, so that one to an unsafe address (javascript:, data:, file:)
# keeps its text and loses its address, with a warning, instead of staying as raw "[text](...)".
_parser.validateLink = lambda url: True  # type: ignore[method-assign]
_SAFE_LINK_RE = re.compile(r"(?:https?://|mailto:|tel:|#|/(?![/\\])|\./|\.\./)|[^:/?#\s\\]+(?:[/?#]|$)", re.I)
"""Web, e-mail, phone and relative links; never a scheme that runs code or a ``//host`` or ``\\\\host`` path."""


def parse_markdown(text: str, path: str = "<text>") -> SyntaxTreeNode:
    """The markdown-it syntax tree of ``text`` (the same parser the reader uses).

    Nesting that reaches markdown-it's limit is a :class:`LeafletError`: the parser would
    have dropped everything after it without a word.
    """
    tokens = _parser.parse(_calm_brackets(text, path))
    for token in tokens:
        if token.nesting == 1 and token.level >= _MAX_NESTING - 2:
            line = token.map[0] + 1 if token.map else None
            raise LeafletError(path, f"lists or quotes are nested more than {_MAX_NESTING // 2} deep here: "
                                     "nothing can show them, and the text after them could be lost; "
                                     "flatten them", line)
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _shallow(token.children, path, token.map[0] + 1 if token.map else 0)
    return SyntaxTreeNode(tokens)


_BRACKET_BUDGET = 2_000_000
"""markdown-it looks for the end of a link's text from every ``[``, to the end of its paragraph:
time grows with brackets x length.  Past this product (no leaflet comes near: five links in a
500-character paragraph make 2,500) the paragraph's brackets are read as brackets."""
_PARAGRAPH_BREAK_RE = re.compile(r"(\n[ \t]*\n)")


def _calm_brackets(text: str, path: str | None) -> str:
    """``text`` with the brackets of a paragraph past :data:`_BRACKET_BUDGET` escaped (kept as text), warned about."""
    if text.count("[") * len(text) <= _BRACKET_BUDGET:
        return text
    chunks = _PARAGRAPH_BREAK_RE.split(text)
    line = 1
    for i, chunk in enumerate(chunks):
        if i % 2 == 0 and chunk.count("[") * len(chunk) > _BRACKET_BUDGET:
            if path:
                log.warning("%s:%d: %d '[' in one paragraph: read as text, not as links", path, line,
                            chunk.count("["))
            chunks[i] = re.sub(r"\\?\[", r"\\[", chunk)
        line += chunk.count("\n")
    return "".join(chunks)


def _without_tags(text: str) -> str:
    """``text`` with HTML comments and tags replaced by a space, in one pass (an unclosed comment runs to
    the end, as in a browser; an unclosed ``<`` is text)."""
    out, pos = [], 0
    while (start := text.find("<", pos)) >= 0:
        if text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            end = len(text) if end < 0 else end + 3
        else:
            close = text.find(">", start + 1)
            if close < 0:
                break
            end = close + 1
        out += [text[pos:start], " "]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _shallow(children: list[Token], path: str, line: int) -> list[Token]:
    """Inline tokens with emphasis nested past :data:`MAX_INLINE_DEPTH` unwrapped (their text kept)."""
    depth, deepest = 0, 0
    for child in children:
        depth += child.nesting
        deepest = max(deepest, depth)
    if deepest <= MAX_INLINE_DEPTH:
        return children
    log.warning("%s:%d: emphasis nested %d deep: the inner markup is removed, the text kept", path, line, deepest)
    kept, depth = [], 0
    for child in children:
        if child.nesting == 1:
            depth += 1
        if child.nesting == 0 or depth <= MAX_INLINE_DEPTH:
            kept.append(child)
        if child.nesting == -1:
            depth -= 1
    return kept


def read_inline(text: str, path: str | None = None, line: int = 0) -> tuple[Inline, ...]:
    """Inline Markdown (a translation message) as model inlines, the way the reader converts them.

    Markup that is dropped (an HTML tag, an unsafe link) is warned about at ``path:line``, the
    message's place in its catalogue; with no ``path``, quietly (a check reports it itself).
    """
    tree = SyntaxTreeNode(_parser.parseInline(_calm_brackets(text, path)))
    return _Converter(path).inlines(tree.children[0], line) if tree.children else ()


def read_markdown(text: str, path: str) -> Leaflet:
    """Read a Markdown leaflet's text into a :class:`~pipeline.model.Leaflet`.

    Markdown saved from Word (by pandoc or an online converter) often has no heading
    markup: the title and headings are bold lines.  When a leaflet has no ``##``
    headings, a bold line that reads as a heading (not a bold warning such as "Do not
    drive for 24 hours") is one, and without a ``#`` title the first such line is the title.
    Pandoc's attribute spans (``[urgent]{.underline}``) keep their text.
    """
    front, body = split_front_matter(text, path)
    body = _PANDOC_ATTR_RE.sub("", _PANDOC_SPAN_RE.sub(r"\1", body))
    converter = _Converter(path)
    blocks = _headings_from_bold(converter.blocks(parse_markdown(body, path).children), path)
    return detect(blocks, front, path)


_PANDOC_SPAN_RE = re.compile(r"\[([^\[\]\n]*)\]\{[.#][^{}\n]*\}")
_PANDOC_ATTR_RE = re.compile(r"(?<![ \t])[ \t]*\{[#.][\w.#=\" -]*\}[ \t]*$", re.M)


def _wholly_bold(block: Block) -> str | None:
    if isinstance(block, Paragraph) and len(block.content) == 1 and isinstance(block.content[0], Strong):
        return inline_text(block.content).strip()
    return None


def _headings_from_bold(blocks: tuple[Block, ...], path: str) -> tuple[Block, ...]:
    """A leaflet whose headings are bold lines (or plain first line as its title), with real headings."""
    from pipeline.readers.cues import heading_like, title_like
    from pipeline.readers.metadata import standalone_line
    from pipeline.readers.paste import header_lines

    out = list(blocks)
    if not any(isinstance(b, Heading) and b.level == 1 for b in out):
        leading = []
        for block in out:
            if not isinstance(block, Paragraph):
                break
            leading.append((block.line, inline_text(block.content)))
        skip, _ = header_lines(leading, path, standalone_line, warn=False)  # detect() drops them, and warns
        first = out[skip] if skip < len(out) else None
        if isinstance(first, Paragraph) and skip + 1 < len(out):
            text = _wholly_bold(first) or inline_text(first.content).strip()
            if title_like(text) and (_wholly_bold(first) or isinstance(out[skip + 1], Heading)):
                out[skip] = Heading(1, (Text(text),), first.line)
    if any(isinstance(b, Heading) and b.level >= 2 for b in out):
        return tuple(out)
    for index, block in enumerate(out[:-1]):
        bold = _wholly_bold(block)
        if bold and heading_like(bold) and not isinstance(out[index + 1], Heading):
            out[index] = Heading(2, (Text(bold),), block.line)
    return tuple(out)


class _Converter:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self.list_depth = 0
        self.quote_depth = 0
        self.flattening = False
        self.pictures: list[Picture] = []
        """Pictures met in the block being read: they follow it as blocks of their own."""

    def blocks(self, nodes: list[SyntaxTreeNode]) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node)
            if isinstance(block, Paragraph) and not inline_text(block.content).strip() and self.pictures:
                block = None  # a paragraph that was only a picture
            if isinstance(block, tuple):
                out.extend(block)
            elif block is not None:
                out.append(block)
            out.extend(self.pictures)
            self.pictures = []
        return tuple(out)

    def _flattened(self, node: SyntaxTreeNode, line: int, what: str, depth: int) -> tuple[Block, ...]:
        """The blocks inside a list or quote nested too deep, as blocks of its parent (no text lost)."""
        outermost = not self.flattening
        if outermost:
            log.warning("%s:%d: %s nested more than %d deep flattened to %d levels (no format can show "
                        "more); the text is kept", self.path, line, what, depth, depth)
        self.flattening = True
        inner = [child for item in node.children for child in item.children] if what == "lists" else node.children
        try:
            return self.blocks(inner)
        finally:
            self.flattening = not outermost

    def block(self, node: SyntaxTreeNode) -> Block | tuple[Block, ...] | None:
        line = node.map[0] + 1 if node.map else 0
        kind = node.type
        if kind == "heading":
            content = self.inlines(node.children[0], line)
            # "## **What is it?**": a heading's own style is bold, so the wrapper adds nothing
            # and would only clutter the translator's message.
            if len(content) == 1 and isinstance(content[0], Strong):
                content = content[0].children
            return Heading(level=int(node.tag[1]), content=content, line=line)
        if kind == "paragraph":
            return Paragraph(self.inlines(node.children[0], line), line)
        if kind in ("bullet_list", "ordered_list"):
            if self.list_depth >= MAX_LIST_DEPTH:
                return self._flattened(node, line, "lists", MAX_LIST_DEPTH)
            self.list_depth += 1
            items = tuple(ListItem(self.blocks(item.children), item.map[0] + 1 if item.map else line)
                          for item in node.children)
            self.list_depth -= 1
            if kind == "bullet_list":
                return BulletList(items, line)
            start = node.attrs.get("start", 1)
            return OrderedList(items, int(start), line)
        if kind == "blockquote":
            if self.quote_depth >= MAX_QUOTE_DEPTH:
                return self._flattened(node, line, "quotes", MAX_QUOTE_DEPTH)
            self.quote_depth += 1
            quoted = self.blocks(node.children)
            self.quote_depth -= 1
            return BlockQuote(quoted, line)
        if kind == "hr":
            return ThematicBreak(line)
        if kind == "table":
            return self.table(node, line)
        if kind in ("code_block", "fence"):
            code_lines: list[Inline] = []
            for i, text in enumerate(node.content.rstrip("\n").split("\n")):
                if i:
                    code_lines.append(LineBreak())
                code_lines.append(Text(text))
            return Paragraph(tuple(code_lines), line)
        if kind == "html_block":
            text = html.unescape(_without_tags(_BR_RE.sub("\n", node.content)))
            self._warn(line, "raw HTML removed (its text is kept)")
            words = " ".join(text.split())
            return Paragraph((Text(words),), line) if words else None
        self._warn(line, f"unsupported Markdown {kind!r} skipped")
        return None

    def table(self, node: SyntaxTreeNode, line: int) -> Table:
        header: tuple[TableCell, ...] = ()
        rows: list[tuple[TableCell, ...]] = []
        for section in node.children:
            for row in section.children:
                row_line = row.map[0] + 1 if row.map else line
                cells = tuple(
                    TableCell(self.inlines(cell.children[0], row_line) if cell.children else (),
                              row_line)
                    for cell in row.children
                )
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        return Table(header, tuple(rows), line)

    def _picture(self, src: str, alt: str, title: str, line: int) -> Picture:
        """A picture from ``![alt](src "caption")``: a file beside the leaflet, read and re-encoded."""
        from pipeline.pictures import PictureError, reencode

        caption: tuple[Inline, ...] = (Text(title),) if title else ()
        if not alt:
            self._warn(line, f"picture {src[:60]!r} has no alt text: say what it shows in ![...] (people who "
                             "cannot see it are told only that there is a picture)")
        where = picture_file(src, self.path or "")
        if isinstance(where, str):
            self._warn(line, f"picture {src[:60]!r} {where}; its alt text stands in for it")
            return Picture(alt, caption=caption, line=line)
        try:
            with where.open("rb") as fh:
                image, width, height = reencode(fh.read(20_000_001))
        except (OSError, PictureError) as exc:
            self._warn(line, f"picture {src[:60]!r} {exc}; its alt text stands in for it")
            return Picture(alt, caption=caption, line=line)
        return Picture(alt, image, width, height, caption, line)

    def _warn(self, line: int, what: str) -> None:
        if self.path is not None:
            log.warning("%s:%d: %s", self.path, line, what)

    def inlines(self, inline: SyntaxTreeNode, line: int) -> tuple[Inline, ...]:
        merged = _merge(self._inline_nodes(inline.children, line))
        if not any(isinstance(n, Text) and _PICTURE_GAP in n.text for n in merged):
            return merged
        # Where a picture stood in a sentence, its words are gone with it: one space is left.
        out = [Text(re.sub(rf" *{_PICTURE_GAP}+ *", " ", n.text)) if isinstance(n, Text) else n for n in merged]
        if out and isinstance(out[0], Text):
            out[0] = Text(out[0].text.lstrip())
        if out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text.rstrip())
        return tuple(n for n in out if not (isinstance(n, Text) and not n.text))

    def _inline_nodes(self, nodes: list[SyntaxTreeNode], line: int) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            kind = node.type
            if kind == "text":
                out.append(Text(node.content))
            elif kind == "softbreak":
                out.append(Text(" "))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "code_inline":
                out.append(Text(node.content))
            elif kind == "strong":
                out.append(Strong(_merge(self._inline_nodes(node.children, line))))
            elif kind == "em":
                out.append(Emphasis(_merge(self._inline_nodes(node.children, line))))
            elif kind == "link":
                children = _merge(self._inline_nodes(node.children, line))
                href = str(node.attrs.get("href", ""))
                if _SAFE_LINK_RE.match(href):
                    out.append(Link(href, children))
                else:
                    self._warn(line, f"link to {href[:40]!r} removed (only web, e-mail and phone links are kept); "
                                     "its text is kept")
                    out.extend(children)
            elif kind == "image":
                alt = " ".join("".join(c.content for c in node.children if c.type == "text").split())
                title = str(node.attrs.get("title") or "").strip()
                self.pictures.append(self._picture(str(node.attrs.get("src", "")), alt, title, line))
                out.append(Text(_PICTURE_GAP))
            elif kind == "html_inline":
                if _BR_RE.fullmatch(node.content.strip()):
                    out.append(LineBreak())
                elif not node.content.startswith("<!--"):
                    self._warn(line, f"raw HTML tag {node.content} removed")
            else:
                out.append(Text(node.content))
        return out


_PICTURE_GAP = "\x00"
"""Stands where a picture was in a line of text until the line is tidied."""


def picture_file(src: str, source: str) -> Path | str:
    """The file a leaflet's picture names, or why it is not read (a web address, a path leaving the folder).

    A picture must be a file in the leaflet's folder or below it, reached without leaving
    it through ``..`` or a symbolic link: a leaflet cannot publish any other file.
    """
    from urllib.parse import unquote, urlparse

    parsed = urlparse(src)
    if parsed.scheme in ("http", "https", "ftp") or src.startswith("//"):
        return "is on the web and is not fetched (save it beside the leaflet)"
    if parsed.scheme or not src:
        return "is not a file beside the leaflet"
    folder = Path(source).resolve().parent
    target = (folder / unquote(parsed.path)).resolve()
    if not target.is_relative_to(folder):
        return "is outside the leaflet's folder and is not read"
    if not target.is_file():
        return "is not there"
    return target


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring text runs, so the model has one Text where the reader saw several."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)
