"""Files benchmark: thumbnails of a 12-megapixel photo (4000×3000 JPEG, generated with
noise so it compresses like a photo), cold (decode, orient, scale, encode, store) and cached
(served again through the wiki's ``/images/thumb/…`` URL), against Pillow's bare
open + resize + save of the same image in the same run.

    .venv/bin/python bench/bench_files.py [--repeat 5] [--widths 220,330,440,800]

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


def bare_resize(data: bytes, width: int) -> bytes:
    im = Image.open(io.BytesIO(data))
    height = round(im.height * width / im.width)
    out = io.BytesIO()
    im.resize((width, height), Image.Resampling.LANCZOS).save(out, "JPEG", quality=85)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--widths", default="220,330,440,800")
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]

    from wikiengine import create_app
    from wikiengine.db import session_scope
    from wikiengine.files import service
    from wikiengine.files.storage import get_storage, hashed_path, thumb_dir
    from wikiengine.files.thumbs import thumbnail
    from wikiengine.store import setup, users

    data = photo()
    folder = tempfile.mkdtemp(prefix="bench-files-")
    app = create_app({"INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{folder}/wiki.db"})
    setup.init_instance(app)
    with app.test_request_context(), session_scope(app) as s:
        user = users.create_user(s, "Bench", "bench-password", groups=["sysop"])
        start = time.perf_counter()
        service.upload(s, user, "Photo.jpg", data, comment="bench", ignore_warnings=True)
        upload_ms = (time.perf_counter() - start) * 1000
    storage = get_storage(app)
    client = app.test_client()
    print(f"photo: 4000x3000 JPEG, {len(data) / 1e6:.2f} MB; upload (checks, EXIF, store) "
          f"{upload_ms:.0f} ms; repeat {args.repeat}; best times in ms")
    print("| width | Pillow bare resize | ours cold | ours cached (HTTP) | cold / bare |")
    print("|---|---|---|---|---|")
    for width in widths:
        bare = best(lambda: bare_resize(data, width), args.repeat)

        def cold() -> None:
            storage.delete_tree(thumb_dir("Photo.jpg"))
            with app.app_context():
                thumbnail(storage, "Photo.jpg", hashed_path("Photo.jpg"), "image/jpeg", width)
        ours = best(cold, args.repeat)
        url = f"/images/{thumb_dir('Photo.jpg')}/{width}px-Photo.jpg"
        assert client.get(url).status_code == 200

        def cached() -> None:
            resp = client.get(url)
            assert resp.status_code == 200
            resp.get_data()
        hit = best(cached, max(args.repeat, 20))
        print(f"| {width} | {bare:.0f} | {ours:.0f} | {hit:.2f} | {ours / bare:.2f} |")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    from wikiengine.db import engine

    engine(app).dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
