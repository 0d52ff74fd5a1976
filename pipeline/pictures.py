"""Pictures from leaflets, re-encoded: Pillow, wrapped here.

A picture from a source is never passed through as it was: it is decoded and written
again as a PNG without metadata, so nothing a file may carry besides its pixels (scripts
in an SVG, a payload in a comment, a huge canvas) reaches an output.  Limits:

* at most :data:`MAX_BYTES` read, at most :data:`MAX_PIXELS` decoded (Pillow's guard
  against decompression bombs is made an error);
* scaled down to :data:`MAX_SIDE` pixels on the long side (enough for a full A4 width
  at 150 dpi);
* PNG, JPEG, GIF (first frame), BMP, TIFF and WebP are read; SVG, EMF and WMF are not (a
  picture in one of them is named, with what to do).
"""

from __future__ import annotations

import io
import warnings

MAX_BYTES = 20_000_000
"""A picture file larger than 20 MB is not read."""
MAX_PIXELS = 40_000_000
"""A picture of more than 40 megapixels is not decoded."""
MAX_SIDE = 1600
"""Pictures are scaled down to 1,600 pixels on the long side."""
_READ = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP", "MPO")


class PictureError(ValueError):
    """The picture cannot be carried; the message says why and what to do."""


def reencode(data: bytes) -> tuple[bytes, int, int]:
    """The picture in ``data`` as fresh PNG bytes, with its width and height in pixels."""
    from PIL import Image

    if len(data) > MAX_BYTES:
        raise PictureError(f"is {len(data):,} bytes (at most {MAX_BYTES:,})")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        raise PictureError("is an SVG drawing, which is not carried: save it as PNG")
    if data[:4] in (b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a") or data[:2] == b"\x01\x00":
        raise PictureError("is an EMF or WMF drawing, which is not carried: save it as PNG")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_READ) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise PictureError(f"is {image.width} x {image.height} pixels (at most {MAX_PIXELS:,} in all)")
                image.seek(0)
                picture = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    except PictureError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(f"is larger than {MAX_PIXELS:,} pixels") from None
    except Exception as exc:  # Pillow raises many kinds on a file it cannot read
        raise PictureError(f"cannot be read as a picture ({type(exc).__name__})") from None
    return _png(picture)


def _png(picture: object) -> tuple[bytes, int, int]:
    from PIL import Image

    assert isinstance(picture, Image.Image)
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue(), picture.width, picture.height


def from_pixels(image: object) -> tuple[bytes, int, int]:
    """A picture already decoded (a Pillow image, e.g. a PDF's figure rendered) as PNG bytes, width, height."""
    from PIL import Image

    if not isinstance(image, Image.Image):
        raise PictureError("is not a picture")
    return _png(image.convert("RGBA" if "A" in image.getbands() else "RGB"))
