"""Readers: turn a leaflet source file into the document model.

:func:`read_leaflet` checks the file is a readable UTF-8 text leaflet and picks the
reader by suffix.  Every problem is a :class:`~pipeline.errors.LeafletError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pipeline.errors import LeafletError
from pipeline.model import Leaflet

SUFFIXES = (".md", ".markdown", ".txt")


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
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise LeafletError(path, f"cannot read: {exc.strerror}") from None


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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_leaflet(path: str, data: bytes | None = None) -> Leaflet:
    """Read and check one leaflet source (``.md``, ``.markdown`` or ``.txt``)."""
    if data is None:
        data = read_source_bytes(path)
    text = decode_source(data, path)
    return _reader(os.path.splitext(path)[1].lower())(text, path)
