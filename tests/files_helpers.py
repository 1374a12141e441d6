"""Small images made with Pillow for the files tests (photos with EXIF, bombs, liars)."""
from __future__ import annotations

import io
from fractions import Fraction

from PIL import Image


def jpeg(width: int = 64, height: int = 48, color=(120, 160, 200), exif: dict | None = None,
         gps: tuple[float, float] | None = None, orientation: int | None = None) -> bytes:
    im = Image.new("RGB", (width, height), color)
    for x in range(width // 2):  # a red left half: orientation shows in thumbnails
        for y in range(height):
            im.putpixel((x, y), (220, 20, 20))
    ex = Image.Exif()
    for tag, value in (exif or {}).items():
        ex[tag] = value
    if orientation:
        ex[0x0112] = orientation
    if gps:
        def dms(value: float) -> tuple:
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round((value - d - m / 60) * 3600, 4)
            return (Fraction(d), Fraction(m), Fraction(s).limit_denominator(10000))
        ifd = ex.get_ifd(0x8825)
        ifd[1] = "N" if gps[0] >= 0 else "S"
        ifd[2] = dms(gps[0])
        ifd[3] = "E" if gps[1] >= 0 else "W"
        ifd[4] = dms(gps[1])
    out = io.BytesIO()
    im.save(out, "JPEG", exif=ex.tobytes(), quality=90)
    return out.getvalue()


def png(width: int = 40, height: int = 30, color=(10, 200, 10), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), color if mode == "RGB" else 0).save(out, "PNG")
    return out.getvalue()


def gif(width: int = 30, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("P", (width, height), 3).save(out, "GIF")
    return out.getvalue()


def webp(width: int = 30, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (1, 2, 3)).save(out, "WEBP")
    return out.getvalue()


def bomb() -> bytes:
    """A small PNG declaring 9000×9000 pixels (81 megapixels): a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def animated_gif(width: int = 120, height: int = 80, frames: int = 4,
                 durations: tuple[int, ...] = (100, 200, 300, 400), loop: int | None = 0) -> bytes:
    """An animated GIF whose frames differ (a bar moving right), each with its duration;
    ``loop=None`` writes no loop count (the animation plays once)."""
    images = []
    for i in range(frames):
        im = Image.new("RGB", (width, height), (240, 240, 240))
        x = i * width // max(frames, 1)
        im.paste((200, 30, 30), (x, 0, x + max(1, width // max(frames, 1)), height))
        images.append(im)
    options: dict = {"save_all": True, "append_images": images[1:], "optimize": False,
                     "duration": [durations[i % len(durations)] for i in range(frames)]}
    if loop is not None:
        options["loop"] = loop
    out = io.BytesIO()
    images[0].save(out, "GIF", **options)
    return out.getvalue()


#: Colours of the pages of ``pdf()``: page 1 red, page 2 blue, page 3 green.
PAGE_COLOURS = [(220, 30, 30), (30, 30, 220), (30, 200, 30)]


def pdf(pages: int = 3, size: tuple[int, int] = (200, 100),
        sizes: list[tuple[int, int]] | None = None) -> bytes:
    """A PDF of ``pages`` plain pages of ``size`` points (Pillow writes 72 dpi), or of
    the given ``sizes``, each of its own colour (``PAGE_COLOURS``)."""
    sizes = sizes or [size] * pages
    images = [Image.new("RGB", s, PAGE_COLOURS[i % len(PAGE_COLOURS)])
              for i, s in enumerate(sizes)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72.0)
    return out.getvalue()


def upload_file(app, name: str, data: bytes, comment: str = "photo") -> None:  # type: ignore[no-untyped-def]
    """Upload ``data`` as ``name`` through the files service, as the sysop "Admin" (created
    when missing); the upload must succeed."""
    from wikiengine.db import session_scope
    from wikiengine.files import service
    from wikiengine.store import users

    with app.test_request_context(), session_scope(app) as s:
        user = users.get_user(s, "Admin")
        if user is None:
            user = users.create_user(s, "Admin", "admin-password", groups=["sysop"])
        result = service.upload(s, user, name, data, comment=comment, ignore_warnings=True)
        assert result.result == "Success", result
