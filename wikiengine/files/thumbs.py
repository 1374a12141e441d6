"""Thumbnails made on demand with Pillow and kept in ``thumb/`` of the storage.

A thumbnail URL is MediaWiki's ``/images/thumb/a/ab/Name.jpg/220px-Name.jpg``; the width is
any whole number of pixels below the original's (the parser asks for 1×, 1.5× and 2× for
``srcset``). EXIF orientation is applied before scaling; JPEG uses Pillow's draft mode so a
12-megapixel photo is decoded at a reduced scale when the thumbnail is much smaller.

SVG drawings become PNG thumbnails ``220px-Name.svg.png`` of any width within ``svg.py``'s
limits (larger than the nominal size too). Animated GIFs keep their animation (every frame
scaled, durations and loop kept) while width × height × frames is at most MediaWiki's
``$wgMaxAnimatedGifArea``; above it the thumbnail is the first frame only.

PDF documents become JPEG thumbnails of one page, named as PdfHandler names them:
``page2-220px-Doc.pdf.jpg`` (``page1-`` for the first page), rendered by ``pdf.py``.
"""
from __future__ import annotations

import io
import re
import threading

from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence

from . import svg
from .storage import LocalStorage, thumb_dir

THUMB_NAME = re.compile(r"^(?:page(?P<page>[1-9][0-9]{0,5})-)?"
                        r"(?P<width>[1-9][0-9]{0,4})px-(?P<name>.+)$")
SAVE_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF",
               "image/webp": "WEBP", "image/svg+xml": "PNG", "application/pdf": "JPEG"}
PDF = "application/pdf"
#: MediaWiki's ``$wgMaxAnimatedGifArea``: animated thumbnails up to this many pixels in all.
MAX_ANIMATED_GIF_AREA = 12_500_000
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class ThumbError(ValueError):
    """A thumbnail that cannot be made (bad width, unknown file)."""


def thumb_name(name: str, mime: str = "") -> str:
    """The file name part of a thumbnail: ``Name.jpg``, ``Name.svg.png`` for a drawing,
    ``Name.pdf.jpg`` for a document."""
    if mime == PDF:
        return name + ".jpg"
    return name + ".png" if mime == "image/svg+xml" else name


def thumb_mime(mime: str) -> str:
    """The type of the thumbnails of a ``mime`` file (PNG for SVG, JPEG for PDF)."""
    if mime == PDF:
        return "image/jpeg"
    return "image/png" if mime == "image/svg+xml" else mime


def parse_thumb_name(requested: str, name: str, mime: str = "") -> int:
    """The width asked for by ``220px-Name.jpg`` (``220px-Name.svg.png`` for a drawing;
    the name must be the file's own)."""
    m = THUMB_NAME.match(requested)
    if not m or m.group("name") != thumb_name(name, mime) \
            or (m.group("page") is not None) != (mime == PDF):
        raise ThumbError(f"bad thumbnail name {requested!r}")
    return int(m.group("width"))


def thumb_page(requested: str) -> int:
    """The page asked for by ``page2-220px-Doc.pdf.jpg`` (1 without ``pageN-``)."""
    m = THUMB_NAME.match(requested)
    return int(m.group("page")) if m and m.group("page") else 1


def thumb_key(name: str, width: int, mime: str = "", page: int = 1) -> str:
    prefix = f"page{page}-" if mime == PDF else ""
    return f"{thumb_dir(name)}/{prefix}{width}px-{thumb_name(name, mime)}"


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def render_svg(data: bytes, width: int, height: int, new_width: int) -> bytes:
    """A PNG of the ``width``×``height`` drawing ``data``, ``new_width`` pixels wide."""
    try:
        size = svg.thumb_size(width, height, new_width)
        return svg.rasterise(data, *size)
    except svg.SvgError as exc:
        raise ThumbError(str(exc)) from None


def _animated_gif(im: PILImage.Image, width: int, height: int) -> bytes:
    """Every frame of ``im`` scaled, with its duration, the loop count and transparency."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(im):
        durations.append(frame.info.get("duration", 0))
        frames.append(frame.convert("RGBA").resize((width, height),
                                                   PILImage.Resampling.LANCZOS))
    options: dict = {"save_all": True, "append_images": frames[1:], "duration": durations,
                     "disposal": 2, "optimize": True}
    if "loop" in im.info:  # without it the animation plays once, as the original
        options["loop"] = im.info["loop"]
    out = io.BytesIO()
    frames[0].save(out, "GIF", **options)
    return out.getvalue()


def animates(width: int, height: int, frames: int) -> bool:
    """Whether a GIF's thumbnail keeps its animation (``GIFHandler::canAnimateThumbnail``)."""
    return frames > 1 and width * height * frames <= MAX_ANIMATED_GIF_AREA


def render_thumbnail(data: bytes, mime: str, width: int) -> bytes:
    """The bytes of ``data`` scaled to ``width`` pixels wide, in the same format."""
    im = PILImage.open(io.BytesIO(data))
    if mime == "image/gif" and animates(im.width, im.height, getattr(im, "n_frames", 1)):
        if width >= im.width:
            raise ThumbError("a thumbnail is never larger than its original")
        return _animated_gif(im, width, scaled_height(im.width, im.height, width))
    if mime == "image/jpeg":
        # Decode at 1/2, 1/4 or 1/8 scale when that still leaves at least twice the
        # pixels needed (orientation may swap the axes: ask on the larger side).
        target = max(width, 1) * 2
        im.draft("RGB", (target, target))
    im = ImageOps.exif_transpose(im)
    if width >= im.width:
        raise ThumbError("a thumbnail is never larger than its original")
    height = scaled_height(im.width, im.height, width)
    if mime == "image/gif":
        im = im.convert("RGBA")
    elif im.mode not in ("RGB", "RGBA", "L", "LA"):
        im = im.convert("RGBA" if "transparency" in im.info or im.mode in ("P", "PA")
                        else "RGB")
    im = im.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    fmt = SAVE_FORMAT[mime]
    if fmt == "JPEG":
        im.convert("RGB").save(out, fmt, quality=85, optimize=False, progressive=True)
    elif fmt == "GIF":
        im.save(out, fmt)
    elif fmt == "WEBP":
        im.save(out, fmt, quality=85)
    else:
        im.save(out, fmt, optimize=False)
    return out.getvalue()


def thumbnail(storage: LocalStorage, name: str, source_key: str, mime: str,
              width: int, size: tuple[int, int] | None = None, page: int = 1) -> str:
    """The storage key of the ``width``-pixel thumbnail of file ``name``, made if missing.

    ``size`` is the file's recorded width and height (needed for SVG). One lock per
    thumbnail: concurrent first requests make it once.
    """
    if mime not in SAVE_FORMAT:
        raise ThumbError(f"no thumbnails for {mime}")
    if mime == "image/svg+xml" and not size:
        raise ThumbError("the size of a drawing is needed for its thumbnail")
    key = thumb_key(name, width, mime, page)
    if storage.exists(key):
        return key
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        try:
            if not storage.exists(key):
                data = storage.read(source_key)
                if mime == PDF:
                    from . import pdf

                    try:
                        storage.put(key, pdf.render_page(data, page, width))
                    except pdf.PdfError as exc:
                        raise ThumbError(str(exc)) from None
                elif mime == "image/svg+xml" and size:
                    storage.put(key, render_svg(data, size[0], size[1], width))
                else:
                    storage.put(key, render_thumbnail(data, mime, width))
        finally:
            with _locks_guard:
                _locks.pop(key, None)
    return key
