"""Thumbnails made on demand with Pillow and kept in ``thumb/`` of the storage.

A thumbnail URL is MediaWiki's ``/images/thumb/a/ab/Name.jpg/220px-Name.jpg``; the width is
any whole number of pixels below the original's (the parser asks for 1×, 1.5× and 2× for
``srcset``). EXIF orientation is applied before scaling; JPEG uses Pillow's draft mode so a
12-megapixel photo is decoded at a reduced scale when the thumbnail is much smaller.
"""
from __future__ import annotations

import io
import re
import threading

from PIL import Image as PILImage
from PIL import ImageOps

from .storage import LocalStorage, thumb_dir

THUMB_NAME = re.compile(r"^(?P<width>[1-9][0-9]{0,4})px-(?P<name>.+)$")
SAVE_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF",
               "image/webp": "WEBP"}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class ThumbError(ValueError):
    """A thumbnail that cannot be made (bad width, unknown file)."""


def parse_thumb_name(thumb_name: str, name: str) -> int:
    """The width asked for by ``220px-Name.jpg`` (the name must be the file's own)."""
    m = THUMB_NAME.match(thumb_name)
    if not m or m.group("name") not in (name, name + ".png"):
        raise ThumbError(f"bad thumbnail name {thumb_name!r}")
    return int(m.group("width"))


def thumb_key(name: str, width: int) -> str:
    return f"{thumb_dir(name)}/{width}px-{name}"


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def render_thumbnail(data: bytes, mime: str, width: int) -> bytes:
    """The bytes of ``data`` scaled to ``width`` pixels wide, in the same format."""
    im = PILImage.open(io.BytesIO(data))
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
              width: int) -> str:
    """The storage key of the ``width``-pixel thumbnail of file ``name``, made if missing.

    One lock per thumbnail: concurrent first requests make it once.
    """
    if mime not in SAVE_FORMAT:
        raise ThumbError(f"no thumbnails for {mime}")
    key = thumb_key(name, width)
    if storage.exists(key):
        return key
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        if not storage.exists(key):
            storage.put(key, render_thumbnail(storage.read(source_key), mime, width))
    with _locks_guard:
        _locks.pop(key, None)
    return key
