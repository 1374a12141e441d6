"""Thumbnails of SVG drawings and animated GIFs, as MediaWiki makes them: an SVG becomes a PNG
``220px-Name.svg.png`` of the drawing's aspect ratio (at any width up to ``$wgSVGMaxSize``)
shown by articles and file pages with ``srcset``; a drawing never reads another resource it
names (files, URLs), ``<use>`` bombs and huge sizes are refused and rendering is time-bound
(a drawing that keeps failing is not tried again for a while);
without resvg the sanitised SVG is served instead, with a message. An animated GIF keeps
all its frames, durations and loop count while width × height × frames is at most
``$wgMaxAnimatedGifArea``; above it the thumbnail is the first frame."""
from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from PIL import Image, ImageSequence

from api_helpers import api, csrf, logged_in
from files_helpers import animated_gif, png, upload_file

DATA = Path(__file__).parent / "data" / "files"


def _path(url: str) -> str:
    return url[url.index("/images/"):]


def _img(html: str, marker: str) -> str:
    return re.search(r'<img [^>]*src="[^"]*' + re.escape(marker) + r'[^"]*"[^>]*>', html).group(0)


def _attr(tag: str, name: str) -> str:
    return re.search(name + r'="([^"]*)"', tag).group(1)


def test_svg_thumbnail_in_article_is_a_png_of_the_drawing(app) -> None:
    from wikiengine.files.storage import thumb_dir

    client = logged_in(app)
    upload_file(app, "Carte.svg", (DATA / "clean.svg").read_bytes())  # 120×80
    text = "[[Fichier:Carte.svg|vignette|60px|Plan]]\n[[Fichier:Carte.svg|300px|Grand]]"
    assert api(client, action="edit", title="Plan", text=text,
               token=csrf(client))["edit"]["result"] == "Success"
    html = client.get("/wiki/Plan").get_data(as_text=True)
    small = _img(html, "/60px-Carte.svg.png")
    assert (_attr(small, "width"), _attr(small, "height")) == ("60", "40")
    assert _attr(small, "srcset").endswith(
        "/90px-Carte.svg.png 1.5x, " + _attr(small, "src").replace("/60px-", "/120px-") + " 2x")
    resp = client.get(_path(_attr(small, "src")))
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    thumb = Image.open(io.BytesIO(resp.data))
    assert (thumb.format, thumb.size) == ("PNG", (60, 40))
    # The gradient of the drawing (#036 → #6cf), not a blank canvas.
    left, right = thumb.convert("RGB").getpixel((2, 20)), thumb.convert("RGB").getpixel((57, 20))
    assert left[2] < 110 and right[2] > 200 and right[1] > left[1] + 80
    # Larger than its nominal size: a vector is rendered at 300 px, not stretched by the browser.
    big = _img(html, "/300px-Carte.svg.png")
    assert (_attr(big, "width"), _attr(big, "height")) == ("300", "200")
    assert Image.open(io.BytesIO(client.get(_path(_attr(big, "src"))).data)).size == (300, 200)
    cached = Path(app.config["UPLOAD_DIR"]) / thumb_dir("Carte.svg") / "300px-Carte.svg.png"
    assert cached.is_file()
    # The drawing itself is still the file (MediaWiki's URL without .png is not a thumbnail).
    assert client.get(f"/images/{thumb_dir('Carte.svg')}/60px-Carte.svg").status_code == 404
    assert client.get(f"/images/{thumb_dir('Carte.svg')}/60px-Carte.png").status_code == 404


def test_svg_aspect_from_viewbox_and_file_page_srcset(app) -> None:
    client = logged_in(app)
    upload_file(app, "Bandes.svg", (DATA / "viewbox.svg").read_bytes())  # viewBox 300×100
    html = client.get("/wiki/Fichier:Bandes.svg").get_data(as_text=True)
    img = re.search(r'<div class="fullImageLink" id="file"><a href="([^"]+)"><img [^>]*>',
                    html)
    assert img.group(1).endswith("/Bandes.svg")  # the link is to the drawing itself
    tag = img.group(0)
    src, srcset = _attr(tag, "src"), _attr(tag, "srcset")
    assert src.endswith("/300px-Bandes.svg.png") and _attr(tag, "height") == "100"
    assert "450px-Bandes.svg.png 1.5x" in srcset and "600px-Bandes.svg.png 2x" in srcset
    for url, size in ((src, (300, 100)), (srcset.split(", ")[1].split(" ")[0], (600, 200))):
        thumb = Image.open(io.BytesIO(client.get(_path(url)).data)).convert("RGB")
        assert thumb.size == size
        w, h = size  # three bands, not squeezed: red, green, blue thirds
        r, g, b = (thumb.getpixel((x, h // 2)) for x in (w // 6, w // 2, 5 * w // 6))
        assert r[0] > 180 and r[2] < 60 and g[1] > 120 and g[0] < 60 and b[2] > 180
    info = api(client, action="query", prop="imageinfo", titles="Fichier:Bandes.svg",
               iiprop="url|mime|thumbmime", iiurlwidth=120)
    ii = next(iter(info["query"]["pages"].values()))["imageinfo"][0]
    assert ii["thumburl"].endswith("/120px-Bandes.svg.png") and ii["thumbheight"] == 40
    assert ii["thumbmime"] == "image/png" and ii["mime"] == "image/svg+xml"
    assert ii["responsiveUrls"]["2"].endswith("/240px-Bandes.svg.png")


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        body = png(10, 10, (220, 0, 0))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_svg_never_reads_the_files_or_urls_it_names(tmp_path) -> None:
    from wikiengine.files import svg
    from wikiengine.files.thumbs import ThumbError, render_svg

    red = tmp_path / "secret.png"
    red.write_bytes(png(40, 40, (220, 0, 0)))
    server = HTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Counting.hits = []
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        drawing = (DATA / "external_refs.svg").read_text().replace("{png}", str(red)) \
            .replace("{url}", url).encode()
        # The threat is real: resvg itself draws a local file an <image> names.
        raw = subprocess.run([sys.executable, "-I", str(svg.WORKER), "40", "40", "10",
                              str(svg.MEMORY)], input=drawing, capture_output=True, timeout=30)
        assert raw.returncode == 0
        leaked = Image.open(io.BytesIO(raw.stdout)).convert("RGB").getpixel((5, 20))
        assert leaked[0] > 180 and leaked[1] < 60
        # Through the wiki, every reference is removed before rendering.
        thumb = Image.open(io.BytesIO(render_svg(drawing, 40, 40, 40))).convert("RGB")
        assert thumb.size == (40, 40)
        for x in (5, 15, 25, 35):
            pixel = thumb.getpixel((x, 20))
            assert pixel[1] > 120 and pixel[0] < 60, (x, pixel)  # the green background
        cleaned = svg.clean(drawing)
        assert str(red).encode() not in cleaned and url.encode() not in cleaned
        time.sleep(0.2)
        assert _Counting.hits == []
    finally:
        server.shutdown()
    with pytest.raises(ThumbError):
        render_svg(b"<svg xmlns='http://www.w3.org/2000/svg'><oops></svg>", 10, 10, 5)


def test_svg_bombs_and_huge_sizes_are_refused_quickly(app, monkeypatch) -> None:
    from wikiengine.files import svg
    from wikiengine.files.storage import thumb_dir
    from wikiengine.files.thumbs import ThumbError, render_svg
    from wikiengine.files.verify import UploadError, verify

    bomb = (DATA / "use_bomb.svg").read_bytes()
    start = time.perf_counter()
    with pytest.raises(ThumbError, match="more than 200000 elements"):
        render_svg(bomb, 100, 100, 50)
    with pytest.raises(UploadError, match="too complex"):
        verify(bomb, "Bombe.svg")
    assert time.perf_counter() - start < 10  # refused before any rendering: no hang
    clean = (DATA / "clean.svg").read_bytes()
    # $wgSVGMaxSize on the smaller side, and an area limit for tall drawings.
    assert svg.thumb_size(120, 80, 5120) == (5120, 3413)
    for width, height, asked in ((120, 80, 7681), (10, 10000, 220), (120, 80, 99999)):
        with pytest.raises(ThumbError, match="larger than allowed"):
            render_svg(clean, width, height, asked)
    # The renderer runs in a process that is stopped at the time limit; a drawing that
    # failed three times is not tried again for an hour (other drawings still are).
    monkeypatch.setattr(svg, "_failures", {})
    for _ in range(svg.MAX_FAILURES):
        with pytest.raises(svg.SvgError, match="took more than"):
            svg.rasterise(clean, 2000, 1333, timeout=0.001)
    with pytest.raises(svg.SvgError, match="failed 3 times"):
        svg.rasterise(clean, 200, 133)
    assert svg.rasterise((DATA / "viewbox.svg").read_bytes(), 30, 10).startswith(b"\x89PNG")
    monkeypatch.setattr(svg, "_failures", {})
    # …and whose address space is limited: a canvas larger than the limit is not allocated.
    monkeypatch.setattr(svg, "MEMORY", 100 * 1024 * 1024)
    assert svg.rasterise(clean, 60, 40).startswith(b"\x89PNG")
    with pytest.raises(svg.SvgError, match="memory allocation"):
        svg.rasterise(clean, 5100, 3400)  # 69 MB of pixels
    upload_file(app, "Carte.svg", clean, comment="dessin")
    client = app.test_client()
    start = time.perf_counter()
    assert client.get(f"/images/{thumb_dir('Carte.svg')}/99999px-Carte.svg.png"
                      ).status_code == 404
    assert time.perf_counter() - start < 10  # refused before any rendering: no hang
    assert not (Path(app.config["UPLOAD_DIR"]) / thumb_dir("Carte.svg")).exists()


def test_without_resvg_the_sanitised_svg_is_served(app, monkeypatch, caplog) -> None:
    import importlib.util

    from wikiengine.files import svg
    from wikiengine.files.storage import thumb_dir

    upload_file(app, "Carte.svg", (DATA / "clean.svg").read_bytes(), comment="dessin")
    real = importlib.util.find_spec
    try:
        with monkeypatch.context() as m:
            m.setattr(importlib.util, "find_spec",
                      lambda name, *a: None if name == "resvg_py" else real(name, *a))
            svg.available.cache_clear()
            with caplog.at_level(logging.WARNING, logger="wikiengine.files.svg"):
                resp = app.test_client().get(
                    f"/images/{thumb_dir('Carte.svg')}/60px-Carte.svg.png")
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/Carte.svg")
        assert "resvg_py package is not installed" in caplog.text
    finally:
        svg.available.cache_clear()
    assert svg.available()


def _frames(data: bytes) -> tuple[Image.Image, list[int]]:
    im = Image.open(io.BytesIO(data))
    return im, [f.info.get("duration") for f in ImageSequence.Iterator(im)]


def test_animated_gif_thumbnail_keeps_frames_durations_and_loop(app) -> None:
    from wikiengine.files.storage import thumb_dir

    client = app.test_client()
    for name, loop in (("Manege.gif", 0), ("Une-fois.gif", None)):
        original = animated_gif(240, 160, 4, loop=loop)
        upload_file(app, name, original, comment="dessin")
        resp = client.get(f"/images/{thumb_dir(name)}/60px-{name}")
        assert resp.status_code == 200 and resp.mimetype == "image/gif"
        thumb, durations = _frames(resp.data)
        assert thumb.size == (60, 40) and thumb.n_frames == 4
        assert durations == [100, 200, 300, 400]
        assert thumb.info.get("loop") == loop
        assert len(resp.data) < len(original)
        for i in range(4):  # the red bar moves right, frame by frame
            thumb.seek(i)
            rgb = thumb.convert("RGB")
            assert rgb.getpixel((i * 15 + 7, 20))[0] > 180
            assert rgb.getpixel(((i * 15 + 37) % 60, 20))[1] > 200


def test_animated_gif_thumbnail_keeps_transparency() -> None:
    from wikiengine.files.thumbs import render_thumbnail

    frames = []
    for i in range(3):  # an opaque red bar moving over a transparent background
        im = Image.new("RGBA", (90, 60), (0, 0, 0, 0))
        im.paste((200, 0, 0, 255), (i * 30, 0, i * 30 + 30, 60))
        frames.append(im)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0,
                   disposal=2)
    thumb = Image.open(io.BytesIO(render_thumbnail(out.getvalue(), "image/gif", 45)))
    assert thumb.n_frames == 3 and thumb.size == (45, 30)
    for i in range(3):
        thumb.seek(i)
        alpha = [thumb.convert("RGBA").getpixel((x, 15))[3] for x in (7, 22, 37)]
        assert alpha == [255 if j == i else 0 for j in range(3)], (i, alpha)


def test_animated_gif_over_area_keeps_the_first_frame(app) -> None:
    from wikiengine.files.storage import thumb_dir
    from wikiengine.files.thumbs import MAX_ANIMATED_GIF_AREA, animates

    assert MAX_ANIMATED_GIF_AREA == 12_500_000
    assert animates(1000, 1000, 12) and not animates(1000, 1000, 13)
    assert not animates(100, 100, 1)
    upload_file(app, "Grand.gif", animated_gif(1000, 1000, 13, durations=(70,)), comment="dessin")
    resp = app.test_client().get(f"/images/{thumb_dir('Grand.gif')}/100px-Grand.gif")
    assert resp.status_code == 200 and resp.mimetype == "image/gif"
    thumb = Image.open(io.BytesIO(resp.data))
    assert thumb.size == (100, 100) and getattr(thumb, "n_frames", 1) == 1
    assert thumb.convert("RGB").getpixel((3, 50))[0] > 180  # frame 0: the bar on the left
    assert thumb.convert("RGB").getpixel((50, 50))[1] > 200


@pytest.mark.browser
def test_svg_thumbnail_shown_in_browser(app, live_server, browser) -> None:
    client = logged_in(app)
    upload_file(app, "Carte.svg", (DATA / "clean.svg").read_bytes(), comment="dessin")
    api(client, action="edit", title="Plan", text="[[Fichier:Carte.svg|vignette|90px|Plan]]",
        token=csrf(client))
    page = browser.new_page(locale="fr-FR", device_scale_factor=2)
    responses: list[tuple[str, str]] = []
    page.on("response", lambda r: responses.append((r.url, r.headers.get("content-type", ""))))
    page.goto(f"{live_server}/wiki/Plan")
    page.wait_for_function("() => { const i = document.querySelector('.thumb img');"
                           " return i && i.complete && i.naturalWidth > 0 }")
    natural = page.evaluate("() => { const i = document.querySelector('.thumb img');"
                            " return [i.currentSrc, i.naturalWidth, i.naturalHeight] }")
    # A 2× screen picks the 2× PNG rendering of the srcset.
    assert natural[0].endswith("/180px-Carte.svg.png")
    assert natural[1] * 2 == natural[2] * 3
    assert any(url.endswith(".svg.png") and ctype == "image/png" for url, ctype in responses)
