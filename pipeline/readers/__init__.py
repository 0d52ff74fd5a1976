"""Readers: turn a leaflet source file into the document model.

:func:`read_leaflet` checks the file is a readable UTF-8 text leaflet and picks the
reader by suffix.  Every problem is a :class:`~pipeline.errors.LeafletError`.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import unicodedata
from collections.abc import Callable

from pipeline.errors import LeafletError
from pipeline.model import Leaflet

SUFFIXES = (".md", ".markdown", ".txt")
MAX_SOURCE_BYTES = 1_000_000
"""A leaflet larger than this (1 MB, about 300 printed pages) is refused: it is not a leaflet."""

log = logging.getLogger("pipeline")
# Control characters a Word or web paste brings (vertical tab, form feed, escape ...) and the
# invisible format characters that reorder or hide text (bidi overrides, zero-width spaces).
# ZWJ and ZWNJ are kept: they shape words in Urdu, Persian, Bengali and Hindi.
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"})
_INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u200e\u200f\u202a-\u202e"
                           "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")


def _reader(suffix: str) -> Callable[[str, str], Leaflet]:
    if suffix == ".txt":
        from pipeline.readers.text import read_text

        return read_text
    from pipeline.readers.markdown import read_markdown

    return read_markdown


def read_source_bytes(path: str) -> bytes:
    """The bytes of a leaflet source, or a :class:`LeafletError` saying why it cannot be one."""
    if not os.path.exists(path):
        raise LeafletError(path, "no such file")
    if os.path.isdir(path):
        raise LeafletError(path, "is a directory, not a leaflet file")
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SUFFIXES:
        raise LeafletError(
            path, f"unsupported file type {suffix or '(none)'!r}: use {', '.join(SUFFIXES)}"
        )
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise LeafletError(path, "is not a regular file (a pipe, socket or device): give a leaflet file")
        if info.st_size > MAX_SOURCE_BYTES:
            raise LeafletError(path, f"is {info.st_size:,} bytes; a leaflet may be at most {MAX_SOURCE_BYTES:,} "
                                     "bytes (1 MB): split it or check it is the right file")
        with open(path, "rb") as fh:
            data = fh.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise LeafletError(path, f"cannot read: {exc.strerror}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise LeafletError(path, f"a leaflet may be at most {MAX_SOURCE_BYTES:,} bytes (1 MB)")
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


def read_leaflet(path: str, data: bytes | None = None) -> Leaflet:
    """Read and check one leaflet source (``.md``, ``.markdown`` or ``.txt``)."""
    if data is None:
        data = read_source_bytes(path)
    text = decode_source(data, path)
    return _reader(os.path.splitext(path)[1].lower())(text, path)
