"""Files in pages: ``[[Fichier:X.jpg|vignette|…]]`` rendered with real thumbnails (1×,
1.5×, 2× in ``srcset``) made on demand with EXIF orientation honoured and then cached,
red links to upload missing files, and the "used on" list of the file page."""
from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from api_helpers import api, csrf, logged_in
from files_helpers import jpeg, upload_file


def test_thumbnail_in_article(app) -> None:
    client = logged_in(app)
    # 400×300 stored with orientation 6 (rotate 90° clockwise): shown as 300×400.
    upload_file(app, "Lavoir.jpg", jpeg(400, 300, orientation=6))
    text = "[[Fichier:Lavoir.jpg|vignette|120px|Le lavoir en 1950]]"
    assert api(client, action="edit", title="Lavoir de Kerinou", text=text,
               token=csrf(client))["edit"]["result"] == "Success"
    html = client.get("/wiki/Lavoir_de_Kerinou").get_data(as_text=True)
    assert "Le lavoir en 1950" in html and 'class="thumb tright"' in html
    frame = html.split('class="thumb tright"')[1]
    img = re.search(r'<img [^>]*src="([^"]+)"[^>]*>', frame).group(0)
    src = re.search(r'src="([^"]+)"', img).group(1)
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    assert src.endswith("/120px-Lavoir.jpg")
    assert "180px-Lavoir.jpg 1.5x" in srcset and "240px-Lavoir.jpg 2x" in srcset
    path = src.split("://", 1)[-1]
    path = path[path.index("/images/"):] if "/images/" in path else path
    first = client.get(path)
    assert first.status_code == 200 and first.mimetype == "image/jpeg"
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    thumb = Image.open(io.BytesIO(first.data))
    # Orientation honoured: the stored 400×300 photo is 300×400 once turned.
    assert thumb.size == (120, 160) and 'height="160"' in img
    top, bottom = thumb.convert("RGB").getpixel((60, 20)), thumb.convert("RGB").getpixel((60, 140))
    assert top[0] > 180 and top[2] < 80  # the red left half is now on top
    assert bottom[2] > 150 and bottom[0] < 160
    cached = Path(app.config["UPLOAD_DIR"]) / path[len("/images/"):]
    assert cached.is_file()
    stamp = cached.stat().st_mtime_ns
    again = client.get(path)
    assert again.data == first.data and cached.stat().st_mtime_ns == stamp
    for entry in srcset.split(","):
        url = entry.strip().split(" ")[0]
        url = url[url.index("/images/"):]
        got = Image.open(io.BytesIO(client.get(url).data))
        assert got.size[0] in (180, 240)
    page = client.get("/wiki/Fichier:Lavoir.jpg").get_data(as_text=True)
    assert "Lavoir de Kerinou" in page.split('id="filelinks"')[1]
    usage = api(client, action="query", list="imageusage", iutitle="Fichier:Lavoir.jpg")
    assert [p["title"] for p in usage["query"]["imageusage"]] == ["Lavoir de Kerinou"]


def test_thumbnail_widths_checked(app) -> None:
    client = logged_in(app)
    upload_file(app, "Petit.jpg", jpeg(100, 80))
    from wikiengine.files.storage import thumb_dir

    base = f"/images/{thumb_dir('Petit.jpg')}"
    assert client.get(f"{base}/50px-Petit.jpg").status_code == 200
    big = client.get(f"{base}/500px-Petit.jpg")
    assert big.status_code == 302 and big.headers["Location"].endswith("/Petit.jpg")
    assert client.get(f"{base}/50px-Autre.jpg").status_code == 404
    assert client.get(f"{base}/0px-Petit.jpg").status_code == 404
    assert client.get("/images/thumb/../../secret_key").status_code == 404
    assert client.get("/images/deleted/x.png").status_code == 404


def test_missing_file_is_red_upload_link(app) -> None:
    client = logged_in(app)
    api(client, action="edit", title="Sans photo", text="[[Fichier:Absent.jpg|vignette|x]]",
        token=csrf(client))
    html = client.get("/wiki/Sans_photo").get_data(as_text=True)
    assert "wpDestFile=Absent.jpg" in html
    page = client.get("/wiki/Fichier:Absent.jpg")
    assert page.status_code == 404


def test_page_declares_its_licence(app) -> None:
    client = logged_in(app)
    api(client, action="edit", title="Témoignage de Marie", token=csrf(client),
        text="Mon souvenir du lavoir.\n{{#licence:temoignage-cc-by-nd}}")
    api(client, action="edit", title="Sans licence", text="Texte.", token=csrf(client))
    html = client.get("/wiki/Témoignage_de_Marie").get_data(as_text=True)
    box = html.split('class="mw-licence-box"')[1].split("</div>")[0]
    assert "témoignage signé&#160;: CC BY-ND 4.0" in box and 'rel="license"' in box
    bad = api(client, action="parse", text="{{#licence:inconnue}}", contentmodel="wikitext",
              formatversion=2)["parse"]["text"]
    assert "Unknown licence: inconnue" in bad
    from wikiengine.db import session_scope
    from wikiengine.files.licences import page_licence
    from wikiengine.models import Page

    with app.test_request_context(), session_scope(app) as s:
        pages = {p.title: p.page_id for p in s.query(Page)}
        assert page_licence(s, pages["Témoignage_de_Marie"]).code == "temoignage-cc-by-nd"
        assert page_licence(s, pages["Sans_licence"]).code == "cc-by-sa-4.0"


def test_thumbnails_of_every_format(app) -> None:
    from files_helpers import gif, png, webp
    from wikiengine.files.storage import thumb_dir

    client = logged_in(app)
    for name, data, fmt in (("Vert.png", png(200, 100), "PNG"),
                            ("Anim.gif", gif(200, 100), "GIF"),
                            ("Photo.webp", webp(200, 100), "WEBP")):
        upload_file(app, name, data)
        resp = client.get(f"/images/{thumb_dir(name)}/50px-{name}")
        assert resp.status_code == 200, name
        thumb = Image.open(io.BytesIO(resp.data))
        assert (thumb.format, thumb.size) == (fmt, (50, 25))
    svg = (Path(__file__).parent / "data" / "files" / "clean.svg").read_bytes()
    upload_file(app, "Carte.svg", svg)
    api(client, action="edit", title="Plan", text="[[Fichier:Carte.svg|vignette|Plan]]",
        token=csrf(client))
    html = client.get("/wiki/Plan").get_data(as_text=True)
    src = re.search(r'src="([^"]*Carte\.svg[^"]*)"', html).group(1)
    assert src.endswith("px-Carte.svg.png")  # a PNG rendering (test_files_thumbs.py)
    resp = client.get(src[src.index("/images/"):])
    assert resp.status_code == 200 and resp.mimetype == "image/png"


def test_gallery_and_media_link(app) -> None:
    client = logged_in(app)
    upload_file(app, "Quai.jpg", jpeg(600, 400))
    upload_file(app, "Phare.jpg", jpeg(400, 600, color=(30, 30, 30)))
    api(client, action="edit", title="Port", token=csrf(client),
        text="<gallery>\nFichier:Quai.jpg|Le quai\nFichier:Phare.jpg|Le phare\n</gallery>\n"
             "[[Média:Quai.jpg|la photo du quai]]")
    html = client.get("/wiki/Port").get_data(as_text=True)
    gallery = html.split('<ul class="gallery')[1].split("</ul>")[0]
    thumbs = re.findall(r'src="([^"]+/thumb/[^"]+)"', gallery)
    assert len(thumbs) == 2
    for url in thumbs:
        got = client.get(url[url.index("/images/"):])
        assert got.status_code == 200 and got.mimetype == "image/jpeg"
    media = re.search(r'<a href="([^"]+)"[^>]*>la photo du quai</a>', html).group(1)
    assert client.get(media[media.index("/images/"):]).data == jpeg(600, 400)
