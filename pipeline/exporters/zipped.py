"""ZIP packages (DOCX, EPUB) written directly: members in a given order, dated 1980-01-01.

Python's ``zipfile`` stamps each member with the time of writing and compresses every
member on every save; here a member can be compressed once and reused, and the same
content always gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple


class Member(NamedTuple):
    """One member, ready to write: its bytes as stored and what the ZIP records about them."""

    name: str
    stored: bytes
    crc: int
    size: int
    method: int
    """8 deflated, 0 stored (EPUB's ``mimetype``)."""
    attributes: int = 0


def deflated(name: str, data: bytes, attributes: int = 0) -> Member:
    """``data`` compressed as a ZIP member (deflate, level 6, as ``zipfile`` does)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data), 8, attributes)


def stored(name: str, data: bytes) -> Member:
    """``data`` as an uncompressed member."""
    return Member(name, data, zlib.crc32(data), len(data), 0)


def write_zip(members: list[Member]) -> bytes:
    """The ZIP file holding ``members`` in this order, each dated 1980-01-01 00:00 (the ZIP format's "no date")."""
    local, central = bytearray(), bytearray()
    for member in members:
        raw = member.name.encode()
        header = struct.pack("<HHHHHIII", 20, 0, member.method, 0, 0x21, member.crc, len(member.stored), member.size)
        central += b"PK\x01\x02" + struct.pack("<H", 20) + header + struct.pack(
            "<HHHHHII", len(raw), 0, 0, 0, 0, member.attributes, len(local)) + raw
        local += b"PK\x03\x04" + header + struct.pack("<HH", len(raw), 0) + raw + member.stored
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)
