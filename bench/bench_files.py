"""Files benchmark: thumbnails of a 12-megapixel photo (4000×3000 JPEG, generated with
noise so it compresses like a photo), cold (decode, orient, scale, encode, store) and cached
(served again through the wiki's ``/images/thumb/…`` URL), against Pillow's bare
open + resize + save of the same image in the same run.

SVG: PNG thumbnails of a generated map-like drawing (2,000 filled paths, gradients, text),
cold (clean the drawing, render it with resvg in a time- and memory-bound process, store)
and cached, against resvg called directly in this process on the same drawing and width.
Animated GIF: a 20-frame 480×360 animation, all frames scaled, against the first frame only.
PDF: a 20-page A4 document of scanned-like pages; the upload check (page count and sizes
read by PDFium in the limited worker process) and page-5 JPEG thumbnails cold and cached,
against pypdfium2 called directly in this process (open + count; open + render + JPEG).

    .venv/bin/python bench/bench_files.py [--repeat 5] [--widths 220,330,440,800]
        [--parts photo,svg,gif,pdf]

Each figure is the best of ``--repeat`` runs, in milliseconds.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def photo(width: int = 4000, height: int = 3000) -> bytes:
    """A photo-like JPEG: a gradient with noise (about 3-4 MB at quality 90)."""
    noise = Image.effect_noise((width, height), 40).convert("L")
    gradient = Image.linear_gradient("L").resize((width, height))
    im = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90)
    return out.getvalue()


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def drawing(paths: int = 2000, seed: int = 7) -> bytes:
    """A map-like SVG (800×600): a gradient sea, ``paths`` random filled polygons, labels."""
    import random

    rnd = random.Random(seed)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" '
             'viewBox="0 0 800 600"><defs><linearGradient id="sea" x2="0" y2="1">'
             '<stop offset="0" stop-color="#9cf"/><stop offset="1" stop-color="#036"/>'
             '</linearGradient></defs><rect width="800" height="600" fill="url(#sea)"/>']
    for i in range(paths):
        x, y = rnd.uniform(0, 800), rnd.uniform(0, 600)
        points = " ".join(f"{x + rnd.uniform(-30, 30):.1f},{y + rnd.uniform(-30, 30):.1f}"
                          for _ in range(8))
        parts.append(f'<path d="M{points}Z" fill="#{rnd.randrange(0x1000000):06x}" '
                     f'fill-opacity="0.6" stroke="#333" stroke-width="0.5"/>')
        if i % 100 == 0:
            parts.append(f'<text x="{x:.0f}" y="{y:.0f}" font-size="14">Kerinou {i}</text>')
    parts.append("</svg>")
    return "".join(parts).encode()


def animation(width: int = 480, height: int = 360, frames: int = 20) -> bytes:
    """An animated GIF of noise frames (each different), 50 ms a frame, looping."""
    images = [Image.effect_noise((width, height), 60 + i).convert("P") for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=50, loop=0)
    return out.getvalue()


def bare_resize(data: bytes, width: int) -> bytes:
    im = Image.open(io.BytesIO(data))
    height = round(im.height * width / im.width)
    out = io.BytesIO()
    im.resize((width, height), Image.Resampling.LANCZOS).save(out, "JPEG", quality=85)
    return out.getvalue()


def _upload(app, user_name: str, name: str, data: bytes) -> None:
    from wikiengine.db import session_scope
    from wikiengine.files import service
    from wikiengine.store import users

    with app.test_request_context(), session_scope(app) as s:
        user = users.get_user(s, user_name)
        service.upload(s, user, name, data, comment="bench", ignore_warnings=True)


def bench_photo(app, data: bytes, upload_ms: float, widths: list[int], repeat: int) -> None:
    from wikiengine.files.storage import get_storage, hashed_path, thumb_dir
    from wikiengine.files.thumbs import thumbnail

    storage = get_storage(app)
    client = app.test_client()
    print(f"photo: 4000x3000 JPEG, {len(data) / 1e6:.2f} MB; upload (checks, EXIF, store) "
          f"{upload_ms:.0f} ms; repeat {repeat}; best times in ms")
    print("| width | Pillow bare resize | ours cold | ours cached (HTTP) | cold / bare |")
    print("|---|---|---|---|---|")
    for width in widths:
        bare = best(lambda: bare_resize(data, width), repeat)

        def cold() -> None:
            storage.delete_tree(thumb_dir("Photo.jpg"))
            with app.app_context():
                thumbnail(storage, "Photo.jpg", hashed_path("Photo.jpg"), "image/jpeg", width)
        ours = best(cold, repeat)
        url = f"/images/{thumb_dir('Photo.jpg')}/{width}px-Photo.jpg"
        assert client.get(url).status_code == 200

        def cached() -> None:
            resp = client.get(url)
            assert resp.status_code == 200
            resp.get_data()
        hit = best(cached, max(repeat, 20))
        print(f"| {width} | {bare:.0f} | {ours:.0f} | {hit:.2f} | {ours / bare:.2f} |")


def bench_svg(app, user: str, widths: list[int], repeat: int) -> None:
    import resvg_py

    from wikiengine.files.storage import get_storage, hashed_path, thumb_dir
    from wikiengine.files.thumbs import thumbnail

    storage = get_storage(app)
    client = app.test_client()
    for name, paths in (("Carte.svg", 2000), ("Logo.svg", 20)):
        svg = drawing(paths)
        _upload(app, user, name, svg)
        text = svg.decode()
        print(f"\nSVG {name}: 800x600 drawing, {len(svg) / 1e3:.0f} kB, {paths} paths; "
              "best times in ms")
        print("| width | resvg in-process (bare) | ours cold (clean + process) "
              "| ours cached (HTTP) | cold / bare |")
        print("|---|---|---|---|---|")
        for width in widths:
            height = round(600 * width / 800)
            bare = best(lambda: resvg_py.svg_to_bytes(svg_string=text, width=width,
                                                       height=height), repeat)

            def cold() -> None:
                storage.delete_tree(thumb_dir(name))
                with app.app_context():
                    thumbnail(storage, name, hashed_path(name), "image/svg+xml", width,
                              (800, 600))
            ours = best(cold, repeat)
            url = f"/images/{thumb_dir(name)}/{width}px-{name}.png"
            assert client.get(url).status_code == 200

            def cached() -> None:
                resp = client.get(url)
                assert resp.status_code == 200 and resp.mimetype == "image/png"
                resp.get_data()
            hit = best(cached, max(repeat, 20))
            print(f"| {width} | {bare:.1f} | {ours:.1f} | {hit:.2f} | {ours / bare:.2f} |")


def bench_gif(app, user: str, repeat: int) -> None:
    from wikiengine.files.storage import get_storage, hashed_path, thumb_dir
    from wikiengine.files.thumbs import thumbnail

    gif = animation()
    _upload(app, user, "Manege.gif", gif)
    storage = get_storage(app)

    def first_frame() -> bytes:
        out = io.BytesIO()
        Image.open(io.BytesIO(gif)).convert("RGBA").resize(
            (220, 165), Image.Resampling.LANCZOS).save(out, "GIF")
        return out.getvalue()

    def cold() -> None:
        storage.delete_tree(thumb_dir("Manege.gif"))
        with app.app_context():
            thumbnail(storage, "Manege.gif", hashed_path("Manege.gif"), "image/gif", 220)
    bare = best(first_frame, repeat)
    ours = best(cold, repeat)
    size = storage.size(f"{thumb_dir('Manege.gif')}/220px-Manege.gif")
    print(f"\nanimated GIF 480x360, 20 frames, {len(gif) / 1e3:.0f} kB -> 220 px "
          f"({size / 1e3:.0f} kB): all frames {ours:.0f} ms, first frame only (bare Pillow) "
          f"{bare:.0f} ms, ratio {ours / bare:.1f}")


def document(pages: int = 20) -> bytes:
    """An A4 PDF (595×842 pt) of ``pages`` noisy pages, as a scan is (JPEG pages)."""
    images = []
    for i in range(pages):
        noise = Image.effect_noise((595, 842), 30 + i).convert("L")
        images.append(Image.merge("RGB", (noise, noise, noise)))
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72.0)
    return out.getvalue()


def bench_pdf(app, user: str, widths: list[int], repeat: int) -> None:
    import pypdfium2

    from wikiengine.files import pdf
    from wikiengine.files.storage import get_storage, hashed_path, thumb_dir
    from wikiengine.files.thumbs import thumbnail

    doc = document()
    _upload(app, user, "Rapport.pdf", doc)
    storage = get_storage(app)
    client = app.test_client()

    def bare_info() -> None:
        d = pypdfium2.PdfDocument(doc)
        [d.get_page_size(i) for i in range(len(d))]
    bare = best(bare_info, repeat)
    ours = best(lambda: pdf.info(doc), repeat)
    print(f"\nPDF Rapport.pdf: 20 A4 pages, {len(doc) / 1e3:.0f} kB; upload check (page count "
          f"and sizes): ours (process) {ours:.1f} ms, in-process {bare:.1f} ms, "
          f"ratio {ours / bare:.1f}")
    print("| width | pypdfium2 in-process (bare) | ours cold (process) | ours cached (HTTP) "
          "| cold / bare |")
    print("|---|---|---|---|---|")
    for width in widths:
        def bare_page() -> None:
            page = pypdfium2.PdfDocument(doc)[4]
            im = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
            im.save(io.BytesIO(), "JPEG", quality=85, progressive=True)
        cold_bare = best(bare_page, repeat)

        def cold() -> None:
            storage.delete_tree(thumb_dir("Rapport.pdf"))
            with app.app_context():
                thumbnail(storage, "Rapport.pdf", hashed_path("Rapport.pdf"),
                          "application/pdf", width, (595, 842), 5)
        cold_ours = best(cold, repeat)
        url = f"/images/{thumb_dir('Rapport.pdf')}/page5-{width}px-Rapport.pdf.jpg"
        assert client.get(url).status_code == 200

        def cached() -> None:
            resp = client.get(url)
            assert resp.status_code == 200 and resp.mimetype == "image/jpeg"
            resp.get_data()
        hit = best(cached, max(repeat, 20))
        print(f"| {width} | {cold_bare:.1f} | {cold_ours:.1f} | {hit:.2f} "
              f"| {cold_ours / cold_bare:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--widths", default="220,330,440,800")
    parser.add_argument("--parts", default="photo,svg,gif,pdf")
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]

    from wikiengine import create_app
    from wikiengine.db import session_scope
    from wikiengine.files import service
    from wikiengine.store import setup, users

    parts = set(args.parts.split(","))
    data = photo() if "photo" in parts else b""
    folder = tempfile.mkdtemp(prefix="bench-files-")
    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{folder}/wiki.db"})
    setup.init_instance(app)
    with app.test_request_context(), session_scope(app) as s:
        user = users.create_user(s, "Bench", "bench-password", groups=["sysop"])
        start = time.perf_counter()
        if data:
            service.upload(s, user, "Photo.jpg", data, comment="bench", ignore_warnings=True)
        upload_ms = (time.perf_counter() - start) * 1000
        user = user.name
    if "photo" in parts:
        bench_photo(app, data, upload_ms, widths, args.repeat)
    if "svg" in parts:
        bench_svg(app, user, widths, args.repeat)
    if "gif" in parts:
        bench_gif(app, user, args.repeat)
    if "pdf" in parts:
        bench_pdf(app, user, widths, args.repeat)
    print(f"load average: {os.getloadavg()[0]:.1f}")
    from wikiengine.db import engine

    engine(app).dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
