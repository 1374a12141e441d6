"""The files API: stock pywikibot ``Site.upload`` (whole and chunked) against the live
server, ``prop=imageinfo`` with ``iiurlwidth``, ``list=allimages``, warnings, and bad input
(lying types, unfinished or out-of-order chunks) refused with nothing stored."""
from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from api_helpers import api, csrf, logged_in
from conftest import require
from files_helpers import jpeg, png

DATA = Path(__file__).parent / "data" / "files"
PASSWORD = "uploader-password"

FAMILY = '''from pywikibot import family


class Family(family.Family):
    name = "ours"
    langs = {{"fr": {netloc!r}}}

    def scriptpath(self, code):
        return "/w"

    def protocol(self, code):
        return "http"
'''
CONFIG = '''family = "ours"
mylang = "fr"
usernames["ours"]["fr"] = "Uploader"
password_file = "user-password.py"
put_throttle = 0
minthrottle = 0
maxthrottle = 1
max_retries = 1
'''


def _pwb(tmp_path: Path, url: str) -> Path:
    folder = tmp_path / "pwb"
    (folder / "families").mkdir(parents=True)
    netloc = urllib.parse.urlsplit(url).netloc
    (folder / "families" / "ours_family.py").write_text(FAMILY.format(netloc=netloc))
    (folder / "user-config.py").write_text(CONFIG)
    (folder / "user-password.py").write_text(f"('Uploader', {PASSWORD!r})\n")
    for name in ("user-config.py", "user-password.py"):
        (folder / name).chmod(0o600)
    return folder


def _run_upload(folder: Path, tmp_path: Path, data: bytes, title: str, chunk: int) -> dict:
    source = tmp_path / "source.jpg"
    source.write_bytes(data)
    proc = subprocess.run([sys.executable, str(DATA / "pwb_upload.py"), str(source), title,
                           str(chunk)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                             "PYWIKIBOT_DIR": str(folder)})
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_pywikibot_upload_whole_and_chunked(app, live_server, tmp_path) -> None:
    require(importlib.util.find_spec("pywikibot") is not None, "pywikibot",
            "pip install pywikibot (the test extra)")
    logged_in(app, "Uploader", PASSWORD, ())
    folder = _pwb(tmp_path, live_server)
    photo = jpeg(300, 200, gps=(48.38, -4.49))
    out = _run_upload(folder, tmp_path, photo, "Fichier:Quai.jpg", 0)
    assert out["ok"] and out["size"] == len(photo) and out["mime"] == "image/jpeg"
    assert out["sha1"] == hashlib.sha1(photo).hexdigest()
    assert urllib.request.urlopen(out["url"]).read() == photo
    assert "/thumb/" in out["thumburl"] and out["thumburl"].endswith("/40px-Quai.jpg")
    big = jpeg(640, 480, color=(5, 90, 30))
    assert len(big) > 3 * 1024
    out = _run_upload(folder, tmp_path, big, "Fichier:Port.jpg", 1024)  # several chunks
    assert out["ok"] and out["size"] == len(big)
    assert urllib.request.urlopen(out["url"]).read() == big
    assert out["sha1"] == hashlib.sha1(big).hexdigest()
    # No chunk is left in the stash once published.
    temp = Path(app.config["UPLOAD_DIR"]) / "temp"
    assert not temp.exists() or not any(temp.iterdir())


def _upload(client, **params) -> dict:
    data = {k: ("" if v is True else v) for k, v in params.items() if v is not None}
    data.update(action="upload", format="json", token=csrf(client))
    resp = client.post("/w/api.php", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200
    return resp.get_json()


def test_api_upload_warnings_imageinfo_allimages(app) -> None:
    client = logged_in(app, "Uploader", PASSWORD, ())
    photo = jpeg(200, 100)
    res = _upload(client, filename="Mur.jpg", comment="mur", text="Un mur.",
                  file=(io.BytesIO(photo), "x.jpg"))["upload"]
    assert res["result"] == "Success" and res["imageinfo"]["size"] == len(photo)
    again = _upload(client, filename="Mur.jpg", file=(io.BytesIO(jpeg(200, 100, (1, 1, 1))),
                                                       "x.jpg"))["upload"]
    assert again["result"] == "Warning" and again["warnings"]["exists"] == "Mur.jpg"
    published = _upload(client, filename="Mur.jpg", filekey=again["filekey"],
                        ignorewarnings=True)["upload"]
    assert published["result"] == "Success"
    info = api(client, action="query", prop="imageinfo", titles="Fichier:Mur.jpg",
               iiprop="url|size|sha1|mime|metadata", iiurlwidth=50, iilimit=5,
               formatversion=2)["query"]["pages"][0]["imageinfo"]
    assert len(info) == 2 and info[0]["thumbwidth"] == 50 and info[0]["thumbheight"] == 25
    assert info[0]["thumburl"].endswith("/50px-Mur.jpg") and "/archive/" in info[1]["url"]
    thumb = client.get(info[0]["thumburl"].split("localhost", 1)[-1])
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert info[1]["sha1"] == hashlib.sha1(photo).hexdigest()
    archived = api(client, action="query", prop="imageinfo", titles="Fichier:Mur.jpg",
                   iiprop="archivename", iilimit=2, formatversion=2)["query"]["pages"][0][
                       "imageinfo"][1]["archivename"]
    assert archived.endswith("!Mur.jpg")
    reverted = api(client, action="filerevert", filename="Mur.jpg", archivename=archived,
                   token=csrf(client))
    assert reverted["filerevert"]["result"] == "Success"
    assert client.get("/images/" + info[0]["url"].split("/images/", 1)[1]).data == photo
    bad = api(client, action="filerevert", filename="Mur.jpg", archivename="2001!Mur.jpg",
              token=csrf(client))
    assert bad["error"]["code"] == "filerevert-badversion"
    _upload(client, filename="Arbre.png", file=(io.BytesIO(png()), "a.png"))
    names = api(client, action="query", list="allimages", aiprop="size|mime",
                formatversion=2)["query"]["allimages"]
    assert [(n["name"], n["mime"]) for n in names] == [("Arbre.png", "image/png"),
                                                      ("Mur.jpg", "image/jpeg")]
    pages = api(client, action="query", generator="allimages", prop="imageinfo",
                iiprop="size", formatversion=2)["query"]["pages"]
    assert sorted((p["title"], p["imageinfo"][0]["size"]) for p in pages) == [
        ("Fichier:Arbre.png", len(png())), ("Fichier:Mur.jpg", len(photo))]
    mine = api(client, action="query", list="allimages", aiuser="Uploader")["query"]
    assert len(mine["allimages"]) == 2
    nobody = api(client, action="query", list="allimages", aiuser="Admin")["query"]
    assert nobody["allimages"] == []
    thumbmime = api(client, action="query", prop="imageinfo", titles="Fichier:Mur.jpg",
                    iiprop="url|thumbmime", iiurlwidth=20, formatversion=2)
    assert thumbmime["query"]["pages"][0]["imageinfo"][0]["thumbmime"] == "image/jpeg"
    import datetime as dt

    from wikiengine.db import session_scope
    from wikiengine.models import Image

    with app.app_context(), session_scope(app) as s:  # Mur.jpg uploaded a day earlier
        mur = s.get(Image, "Mur.jpg")
        mur.timestamp = mur.timestamp - dt.timedelta(days=1)
    newest = api(client, action="query", list="allimages", aisort="timestamp",
                 aidir="older", ailimit=1)
    assert [f["name"] for f in newest["query"]["allimages"]] == ["Arbre.png"]
    older = api(client, action="query", list="allimages", aisort="timestamp", aidir="older",
                ailimit=1, aicontinue=newest["continue"]["aicontinue"])
    assert [f["name"] for f in older["query"]["allimages"]] == ["Mur.jpg"]
    assert "continue" not in older
    broken = api(client, action="query", list="allimages", aisort="timestamp", aicontinue="x")
    assert broken["error"]["code"] == "badcontinue"
    first = api(client, action="query", list="allimages", ailimit=1)
    assert first["continue"]["aicontinue"] == "Mur.jpg"


def test_api_upload_records_gps_for_maps(app) -> None:
    client = logged_in(app, "Uploader", PASSWORD, ())
    res = _upload(client, filename="Phare.jpg", comment="le phare",
                  file=(io.BytesIO(jpeg(gps=(48.3583, -4.5706))), "p.jpg"))["upload"]
    assert res["result"] == "Success"
    props = api(client, action="query", prop="pageprops", titles="Fichier:Phare.jpg",
                formatversion=2)["query"]["pages"][0]["pageprops"]
    assert "48.358" in props["maps-coordinates"] and "-4.570" in props["maps-coordinates"]
    meta = api(client, action="query", prop="imageinfo", titles="Fichier:Phare.jpg",
               iiprop="metadata", formatversion=2)["query"]["pages"][0]["imageinfo"][0]
    values = {m["name"]: m["value"] for m in meta["metadata"]}
    assert abs(values["GPSLatitude"] - 48.3583) < 1e-4


def test_api_bad_input_and_unfinished_chunks(app) -> None:
    client = logged_in(app, "Uploader", PASSWORD, ())
    lie = _upload(client, filename="Faux.jpg", file=(io.BytesIO(png()), "f.jpg"))
    assert lie["error"]["code"] == "verification-error"
    assert "does not match the detected MIME type" in lie["error"]["info"]
    html = _upload(client, filename="Page.gif",
                   file=(io.BytesIO((DATA / "disguised.html").read_bytes()), "p.gif"))
    assert html["error"]["code"] == "verification-error"
    svg = _upload(client, filename="S.svg",
                  file=(io.BytesIO((DATA / "script.svg").read_bytes()), "s.svg"))
    assert "script" in svg["error"]["info"]
    slash = _upload(client, filename="a/b.png", file=(io.BytesIO(png()), "b.png"))
    assert slash["error"]["code"] == "illegal-filename"
    data = jpeg(300, 300)
    first = _upload(client, filename="Moitie.jpg", stash=True, filesize=len(data), offset=0,
                    chunk=(io.BytesIO(data[:1000]), "c"))["upload"]
    assert first["result"] == "Continue" and first["offset"] == 1000
    skipped = _upload(client, filename="Moitie.jpg", stash=True, filesize=len(data),
                      offset=2000, filekey=first["filekey"],
                      chunk=(io.BytesIO(data[2000:3000]), "c"))
    assert skipped["error"]["code"] == "stashfailed" and skipped["error"]["offset"] == 1000
    early = _upload(client, filename="Moitie.jpg", filekey=first["filekey"])
    assert early["error"]["code"] == "stashfailed"
    assert "unfinished" in early["error"]["info"]
    other = logged_in(app, "Other", "other-password", ())
    stolen = _upload(other, filename="Moitie.jpg", filekey=first["filekey"])
    assert stolen["error"]["code"] == "stashwrongowner"
    over = _upload(client, filename="Gros.jpg", stash=True, filesize=10, offset=0,
                   chunk=(io.BytesIO(data[:100]), "c"))
    assert over["error"]["code"] == "stashfailed" and "past the announced" in over["error"]["info"]
    huge = _upload(client, filename="Gros.jpg", stash=True, filesize=200 * 1024 * 1024,
                   offset=0, chunk=(io.BytesIO(data[:100]), "c"))
    assert huge["error"]["code"] == "file-too-large"
    anon = app.test_client()
    denied = _upload(anon, filename="Anon.png", file=(io.BytesIO(png()), "a.png"))
    assert "error" in denied
    from sqlalchemy import select

    from wikiengine.db import session_scope
    from wikiengine.models import Image

    with app.app_context(), session_scope(app) as s:
        assert list(s.scalars(select(Image.name))) == []
    root = Path(app.config["UPLOAD_DIR"])
    public = [p for p in root.rglob("*") if p.is_file() and "temp" not in p.parts]
    assert public == []
