"""Readers: turn a leaflet source file into the document model.

:func:`read_leaflet` checks the file (size, type, text encoding) and picks the reader
by suffix from :data:`READERS`.  Every problem is a :class:`~pipeline.errors.LeafletError`.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from pipeline.errors import LeafletError
from pipeline.model import Leaflet

MAX_SOURCE_BYTES = 1_000_000
"""A text leaflet larger than this (1 MB, about 300 printed pages) is refused: it is not a leaflet."""
MAX_DOCUMENT_BYTES = 50_000_000
"""A Word or PDF leaflet may be larger (its pictures): at most 50 MB."""


@dataclass(frozen=True)
class Reader:
    """One source format: how to read it into the model."""

    name: str
    """What the format is called in messages."""
    module: str
    """The module in :mod:`pipeline.readers` holding ``function``."""
    function: str
    """``(text, path) -> Leaflet`` for text formats, ``(data, path) -> Leaflet`` for binary ones."""
    binary: bool
    """Read as bytes (Word, PDF) rather than UTF-8 text."""
    max_bytes: int
    """Larger files are refused."""


# The registry: one line per source format, by file suffix.
READERS: dict[str, Reader] = {
    ".md":       Reader("Markdown",   "markdown", "read_markdown", False, MAX_SOURCE_BYTES),
    ".markdown": Reader("Markdown",   "markdown", "read_markdown", False, MAX_SOURCE_BYTES),
    ".txt":      Reader("plain text", "text",     "read_text",     False, MAX_SOURCE_BYTES),
    ".docx":     Reader("Word",       "word",     "read_word",     True,  MAX_DOCUMENT_BYTES),
    ".pdf":      Reader("PDF",        "pdf",      "read_pdf",      True,  MAX_DOCUMENT_BYTES),
}  # fmt: skip
SUFFIXES = tuple(READERS)
REFUSED = {
    ".doc": "a Word 97-2003 document: open it in Word and save it as 'Word Document (.docx)'",
    ".docm": "a macro-enabled Word document: save it as 'Word Document (.docx)'",
    ".dot": "a Word template: make a document from it and save that as .docx",
    ".dotx": "a Word template: make a document from it and save that as .docx",
    ".dotm": "a Word template: make a document from it and save that as .docx",
    ".odt": "an OpenDocument text: save it as 'Word Document (.docx)'",
    ".rtf": "a Rich Text file: save it as 'Word Document (.docx)'",
    ".pages": "a Pages document: export it as Word (.docx)",
}
"""Document formats a team may have that are not read, with what to do instead."""

log = logging.getLogger("pipeline")
# Control characters a Word or web paste brings (vertical tab, form feed, escape ...) and the
# invisible format characters that reorder or hide text (bidi overrides, zero-width spaces).
# ZWJ and ZWNJ are kept: they shape words in Urdu, Persian, Bengali and Hindi.
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"})
_INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u200e\u200f\u202a-\u202e"
                           "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")


def _reader(path: str) -> Reader:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in REFUSED:
        raise LeafletError(path, f"is {REFUSED[suffix]}")
    if suffix not in READERS:
        raise LeafletError(path, f"unsupported file type {suffix or '(none)'!r}: use {', '.join(SUFFIXES)}")
    return READERS[suffix]


def leaflet_files(folder: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The leaflet sources in ``folder`` (sorted), and every other file with why it is not read.

    Nothing in a leaflets folder is passed over in silence: a ``.doc`` is named with what to
    do, Word's lock files (``~$name.docx``, there while a document is open) are named as such.
    Hidden files (``.name``) and the team's style map are not leaflets and are not named.
    """
    sources: list[str] = []
    skipped: list[tuple[str, str]] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = os.path.join(folder, entry.name)
        suffix = os.path.splitext(entry.name)[1].lower()
        if entry.name.startswith(".") or entry.name == "word-styles.toml":
            continue
        if entry.name.startswith("~$"):
            skipped.append((path, "Word's lock file (the document is open in Word): not a leaflet"))
        elif entry.is_dir():
            skipped.append((path, "a folder: leaflets in folders below this one are not read"))
        elif suffix in READERS:
            sources.append(path)
        elif suffix in REFUSED:
            skipped.append((path, f"not read: it is {REFUSED[suffix]}"))
        else:
            skipped.append((path, f"not read: not a leaflet file (use {', '.join(SUFFIXES)})"))
    return sources, skipped


def read_source_bytes(path: str) -> bytes:
    """The bytes of a leaflet source, or a :class:`LeafletError` saying why it cannot be one."""
    if not os.path.exists(path):
        raise LeafletError(path, "no such file")
    if os.path.isdir(path):
        raise LeafletError(path, "is a directory, not a leaflet file")
    reader = _reader(path)
    limit = reader.max_bytes
    if os.path.islink(path):
        # A link may point anywhere readable (a private notes file, a system file): only one that stays
        # inside the project is followed.
        target = os.path.realpath(path)
        project = os.path.realpath(os.getcwd())
        if os.path.commonpath([target, project]) != project:
            raise LeafletError(path, f"is a link to a file outside the project ({target}): copy the leaflet "
                                     "into leaflets/ instead")
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise LeafletError(path, "is not a regular file (a pipe, socket or device): give a leaflet file")
        if info.st_size > limit:
            raise LeafletError(path, f"is {info.st_size:,} bytes; a {reader.name} leaflet may be at most {limit:,} "
                                     f"bytes ({limit // 1_000_000} MB): split it or check it is the right file")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise LeafletError(path, f"cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise LeafletError(path, f"a {reader.name} leaflet may be at most {limit:,} bytes ({limit // 1_000_000} MB)")
    return data


def decode_source(data: bytes, path: str) -> str:
    """Decode a source's bytes as UTF-8 text, refusing binary and empty files."""
    if b"\x00" in data[:8192]:
        raise LeafletError(path, "is a binary file, not a text leaflet")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LeafletError(
            path, f"is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", line
        ) from None
    if not text.strip():
        raise LeafletError(path, "is empty")
    text = _without_invisible(text.replace("\r\n", "\n").replace("\r", "\n"), path)
    return unicodedata.normalize("NFC", text.translate(_LINE_BREAKS))


def _without_invisible(text: str, path: str) -> str:
    """``text`` without control and invisible format characters, each removal warned about with its line."""
    if not _INVISIBLE_RE.search(text):
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        found = sorted(set(_INVISIBLE_RE.findall(line)))
        if found:
            names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}" for ch in found)
            log.warning("%s:%d: invisible character(s) removed: %s", path, number, names)
            lines[number - 1] = _INVISIBLE_RE.sub("", line)
    return "\n".join(lines)


MAX_BLOCK_CHARS = 10_000
"""The longest paragraph, heading, list item or table cell a leaflet may have (about 1,600 words;
plain-English guidance asks for paragraphs of a few sentences).  Longer is not a leaflet's
paragraph but a file read wrongly or a hostile one: it is refused, naming its line, before its
sound, its translation messages or its checks are made."""


def _bounded(leaflet: Leaflet, path: str) -> Leaflet:
    from pipeline.model import BlockQuote, BulletList, OrderedList, Table, block_text, iter_blocks

    for block in iter_blocks(leaflet.blocks):
        if isinstance(block, BulletList | OrderedList | BlockQuote):
            continue
        pieces = block_text(block).split("\n") if isinstance(block, Table) else [block_text(block)]
        longest = max((len(piece) for piece in pieces), default=0)
        if longest > MAX_BLOCK_CHARS:
            raise LeafletError(path, f"a paragraph of {longest:,} characters: a leaflet's paragraphs are "
                                     f"at most {MAX_BLOCK_CHARS:,} (split it, or check this is the right file)",
                               getattr(block, "line", 0) or None)
    if len(leaflet.meta.title) > MAX_BLOCK_CHARS:
        raise LeafletError(path, f"a title of {len(leaflet.meta.title):,} characters")
    return leaflet


def read_leaflet(path: str, data: bytes | None = None) -> Leaflet:
    """Read and check one leaflet source, with the reader :data:`READERS` names for its suffix."""
    reader = _reader(path)
    if data is None:
        data = read_source_bytes(path)
    function: Callable[..., Leaflet] = getattr(import_module(f"pipeline.readers.{reader.module}"), reader.function)
    if not reader.binary:
        return _bounded(function(decode_source(data, path), path), path)
    try:
        return _bounded(function(data, path), path)
    except LeafletError:
        raise
    except Exception as exc:  # noqa: BLE001 - any kind the libraries underneath raise on a damaged file
        # A damaged or hostile document the libraries underneath choke on: one line, never a traceback.
        log.debug("%s: %s", path, exc, exc_info=True)
        raise LeafletError(path, f"cannot be read as a {reader.name} document ({type(exc).__name__}): it may be "
                                 f"damaged; open it and save it again") from None
