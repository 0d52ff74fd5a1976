"""A small PDF writer for the PDF reader's tests: text placed where a test says, in the base fonts.

It writes what an untagged leaflet PDF holds and nothing more: lines of text at positions
(Helvetica, Helvetica-Bold), filled or framed rectangles, ruling lines, link annotations,
and a "Symbol-font" bullet whose text maps to Word's private-use character U+F0B7 (as PDFs
saved from Word do).  Coordinates are from the top left of an A4 page, in points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 595.0, 842.0


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@dataclass
class Page:
    """One page: add text, rectangles, rules and links, top-left coordinates."""

    ops: list[str] = field(default_factory=list)
    links: list[tuple[float, float, float, float, str]] = field(default_factory=list)
    images: list[tuple[int, int, bytes]] = field(default_factory=list)

    def image(self, x: float, y: float, w: float, h: float, size: tuple[int, int] = (40, 30),
              colour: tuple[int, int, int] = (0, 94, 184)) -> Page:
        """A picture (an image XObject of one colour, ``size`` pixels) drawn ``w`` by ``h`` points."""
        name = f"Im{len(self.images) + 1}"
        self.images.append((size[0], size[1], bytes(colour) * size[0] * size[1]))
        self.ops.append(f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {HEIGHT - y - h:.2f} cm /{name} Do Q")
        return self

    def text(self, x: float, y: float, text: str, size: float = 11, bold: bool = False,
             font: str | None = None) -> Page:
        """Text in Helvetica (``F2`` bold); ``font="F4"``: a font whose byte 0x80 is the ligature "ﬁ" (U+FB01);
        ``font="F5"``: a font whose letters have no Unicode mapping at all (as some subset fonts)."""
        font = font or ("F2" if bold else "F1")
        shown = f"<{''.join(f'{ord(c):04X}' for c in text)}>" if font == "F5" else f"({_escape(text)})"
        self.ops.append(f"BT /{font} {size} Tf {x:.2f} {HEIGHT - y - size:.2f} Td {shown} Tj ET")
        return self

    def bullet(self, x: float, y: float, size: float = 11) -> Page:
        """Word's Symbol bullet: code 0xB7 in a font whose ToUnicode maps it to U+F0B7."""
        self.ops.append(f"BT /F3 {size} Tf {x:.2f} {HEIGHT - y - size:.2f} Td <B7> Tj ET")
        return self

    def lines(self, x: float, y: float, texts: list[str], size: float = 11, bold: bool = False,
              leading: float = 1.3) -> float:
        """Several lines one under another; returns the y below the last."""
        for text in texts:
            self.text(x, y, text, size, bold)
            y += size * leading
        return y

    def rect(self, x: float, y: float, w: float, h: float, fill: tuple[float, float, float] | None = None,
             stroke: bool = True) -> Page:
        colour = f"{fill[0]} {fill[1]} {fill[2]} rg " if fill else ""
        paint = "B" if fill and stroke else "f" if fill else "S"
        self.ops.insert(0, f"q {colour}{x:.2f} {HEIGHT - y - h:.2f} {w:.2f} {h:.2f} re {paint} Q")
        return self

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> Page:
        self.ops.insert(0, f"q 0.5 w {x0:.2f} {HEIGHT - y0:.2f} m {x1:.2f} {HEIGHT - y1:.2f} l S Q")
        return self

    def link(self, x: float, y: float, w: float, h: float, url: str) -> Page:
        self.links.append((x, y, w, h, url))
        return self


def pdf(pages: list[Page]) -> bytes:
    """The bytes of a PDF with ``pages``."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_obj = add(b"")
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Bullet def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <B7> <F0B7> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    f3 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Symbol /ToUnicode %d 0 R >>" % to_unicode)
    ligature_map = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Lig def "
                    b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <0020> endbfrange "
                    b"1 beginbfchar <80> <FB01> endbfchar endcmap CMapName currentdict /CMap defineresource pop "
                    b"end end")
    ligature_unicode = add(b"<< /Length %d >>\nstream\n" % len(ligature_map) + ligature_map + b"\nendstream")
    f4 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode %d 0 R >>"
             % ligature_unicode)
    descendant = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry "
                     b"(Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>")
    f5 = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H "
             b"/DescendantFonts [%d 0 R] >>" % descendant)
    kids = []
    import zlib

    for page in pages:
        xobjects = []
        for n, (width, height, pixels) in enumerate(page.images, start=1):
            packed = zlib.compress(pixels)
            ref = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                      b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(packed))
                      + packed + b"\nendstream")
            xobjects.append(f"/Im{n} {ref} 0 R")
        stream = "\n".join(page.ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        annots = []
        for x, y, w, h, url in page.links:
            rect = f"[{x:.2f} {HEIGHT - y - h:.2f} {x + w:.2f} {HEIGHT - y:.2f}]"
            annots.append(add(f"<< /Type /Annot /Subtype /Link /Rect {rect} /Border [0 0 0] "
                              f"/A << /S /URI /URI ({_escape(url)}) >> >>".encode("latin-1")))
        refs = " ".join(f"{a} 0 R" for a in annots)
        kids.append(add(f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] "
                        f"/Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R /F3 {f3} 0 R /F4 {f4} 0 R "
                        f"/F5 {f5} 0 R >> "
                        f"/XObject << {' '.join(xobjects)} >> >> "
                        f"/Contents {content} 0 R /Annots [{refs}] >>".encode("latin-1")))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode()
    objects[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                              f"/Count {len(kids)} >>").encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)
