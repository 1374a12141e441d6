"""Special:Upload through the browser form (MediaWiki's field names): storing, the file page,
warnings, new versions and revert, deletion and restore, and bad input refused with a clear
message and nothing stored."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from api_helpers import logged_in
from files_helpers import bomb, gif, jpeg, png, webp

DATA = Path(__file__).parent / "data" / "files"
UPLOAD = "/wiki/Spécial:Téléverser"


def _token(client) -> str:
    html = client.get(UPLOAD).get_data(as_text=True)
    return re.search(r'name="wpEditToken" value="([^"]+)"', html).group(1)


def _post(client, data: bytes, name: str, **fields):
    form = {"wpEditToken": _token(client), "wpDestFile": name, "wpUpload": "1",
            "wpUploadDescription": "Le lavoir en 1950", "wpLicense": "cc-by-sa-4.0", **fields}
    if data is not None:
        form["wpUploadFile"] = (io.BytesIO(data), name)
    return client.post(UPLOAD, data=form, content_type="multipart/form-data")


def _special(app, name: str, sub: str) -> str:
    from wikiengine.views.common import special_url

    with app.test_request_context():
        return special_url(name, sub)


def _stored(app) -> list[str]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


def _images(app) -> list[str]:
    from sqlalchemy import select

    from wikiengine.db import session_scope
    from wikiengine.models import Image

    with app.app_context(), session_scope(app) as s:
        return list(s.scalars(select(Image.name)))


@pytest.fixture
def user(app):
    return logged_in(app, "Alice", "alice-password", ())


@pytest.fixture
def sysop(app):
    return logged_in(app, "Admin", "admin-password", ("sysop",))


def test_form_upload_stores_serves_and_describes(app, user) -> None:
    photo = jpeg(gps=(48.3904, -4.4861), exif={0x010F: "Kodak", 0x0110: "Brownie"})
    resp = _post(user, photo, "Lavoir du Pont.jpg", wpAuthor="Yann", wpSource="archives",
                 wpDate="1950")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    assert "Lavoir_du_Pont.jpg" in resp.headers["Location"]
    assert _images(app) == ["Lavoir_du_Pont.jpg"]
    page = user.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'class="mw-file-licence' in page and "CC BY-SA 4.0" in page
    assert "Kodak Brownie" in page
    assert 'data-lat="48.3904' in page and 'data-lon="-4.4861' in page
    assert "Yann" in page and "archives" in page
    url = re.search(r'<div class="fullImageLink" id="file"><a href="([^"]+)"', page).group(1)
    served = user.get(url)
    assert served.status_code == 200 and served.data == photo
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline")
    from sqlalchemy import select

    from wikiengine.db import session_scope
    from wikiengine.models import Image, PageProp

    with app.app_context(), session_scope(app) as s:
        image = s.get(Image, "Lavoir_du_Pont.jpg")
        meta = json.loads(image.metadata_json)
        props = dict(s.execute(select(PageProp.name, PageProp.value)).all())
    assert (image.width, image.height, image.major_mime, image.minor_mime) == (64, 48, "image",
                                                                                "jpeg")
    assert meta["Make"] == "Kodak" and abs(meta["GPSLatitude"] - 48.3904) < 1e-4
    assert props["license"] == "cc-by-sa-4.0"
    assert "48.39" in props["maps-coordinates"]


@pytest.mark.parametrize("maker,name,mime", [(png, "Église Saint-Louis.png", "image/png"),
                                             (gif, "Anim.gif", "image/gif"),
                                             (webp, "Photo.webp", "image/webp")])
def test_other_formats(app, user, maker, name, mime) -> None:
    assert _post(user, maker(), name).status_code == 303
    served = user.get(f"/images/{_hashed(name.replace(' ', '_'))}")
    assert served.status_code == 200 and served.mimetype == mime
    page = user.get(f"/wiki/Fichier:{name.replace(' ', '_')}").get_data(as_text=True)
    url = re.search(r'<div class="fullImageLink" id="file"><a href="([^"]+)"', page).group(1)
    assert user.get(url).data == served.data


def _hashed(name: str) -> str:
    from wikiengine.files.storage import hashed_path

    return hashed_path(name)


def test_clean_svg_served_with_csp(app, user) -> None:
    resp = _post(user, (DATA / "clean.svg").read_bytes(), "Carte.svg")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:1500]
    served = user.get(f"/images/{_hashed('Carte.svg')}")
    assert served.mimetype == "image/svg+xml"
    assert "default-src 'none'" in served.headers["Content-Security-Policy"]


def test_warnings_new_version_and_revert(app, user) -> None:
    first, second = png(color=(1, 2, 3)), png(color=(200, 100, 0))
    assert _post(user, first, "Plan.png").status_code == 303
    warned = _post(user, second, "Plan.png")
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "mw-upload-warning-exists" in html
    assert "Un fichier portant ce nom existe déjà" in html
    key = re.search(r'name="wpSessionKey" value="([^"]+)"', html).group(1)
    assert user.get(f"/images/{_hashed('Plan.png')}").data == first
    assert user.get(f"/images/temp/{key}").status_code == 404
    done = _post(user, None, "Plan.png", wpSessionKey=key, wpIgnoreWarning="1")
    assert done.status_code == 303
    assert user.get(f"/images/{_hashed('Plan.png')}").data == second
    dup = _post(user, second, "Copie du plan.png").get_data(as_text=True)
    assert "mw-upload-warning-duplicate" in dup and "Fichier:Plan.png" in dup
    page = user.get("/wiki/Fichier:Plan.png").get_data(as_text=True)
    archive = re.search(r'name="oldimage" value="([^"]+)"', page).group(1)
    old_url = re.search(r'href="(/images/archive/[^"]+)"', page).group(1)
    assert user.get(old_url).data == first
    token = re.search(r'name="wpEditToken" value="([^"]+)"', page).group(1)
    resp = user.post(_special(app, "FileRevert", "Plan.png"),
                     data={"wpEditToken": token, "oldimage": archive})
    assert resp.status_code == 303
    assert user.get(f"/images/{_hashed('Plan.png')}").data == first
    history = user.get("/wiki/Fichier:Plan.png").get_data(as_text=True)
    assert history.count('name="oldimage"') == 2


def test_delete_and_restore_by_sysop(app, user, sysop) -> None:
    data = png(color=(9, 9, 9))
    assert _post(user, data, "Vieux.png").status_code == 303
    token = _token(sysop)
    denied = user.post(_special(app, "FileDelete", "Vieux.png"), data={"wpEditToken": _token(user)})
    assert denied.status_code == 403
    assert sysop.post(_special(app, "FileDelete", "Vieux.png"),
                      data={"wpEditToken": token, "wpReason": "doublon"}).status_code == 303
    assert _images(app) == []
    assert sysop.get(f"/images/{_hashed('Vieux.png')}").status_code == 404
    assert not any(p.startswith(_hashed("Vieux.png")[:4]) for p in _stored(app))
    assert sysop.post(_special(app, "FileRestore", "Vieux.png"),
                      data={"wpEditToken": token}).status_code == 303
    assert _images(app) == ["Vieux.png"]
    assert sysop.get(f"/images/{_hashed('Vieux.png')}").data == data
    assert sysop.get("/wiki/Fichier:Vieux.png").status_code == 200


def test_form_in_french_with_licences(app, user) -> None:
    html = user.get(UPLOAD).get_data(as_text=True)
    assert "Téléverser un fichier" in html and "Ignorer les avertissements" in html
    for name in ("wpUploadFile", "wpDestFile", "wpUploadDescription", "wpLicense",
                 "wpIgnoreWarning", "wpUpload", "wpAuthor", "wpSource", "wpDate"):
        assert f'name="{name}"' in html
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', html)
    assert options[0] == ("cc-by-sa-4.0", " selected", "CC BY-SA 4.0")
    assert [o[2] for o in options][1:] == ["CC BY 4.0", "CC0 1.0 (domaine public volontaire)",
                                          "témoignage signé : CC BY-ND 4.0", "Domaine public"]


def test_list_files(app, user, client) -> None:
    assert _post(user, png(color=(3, 3, 3)), "Premier.png").status_code == 303
    assert _post(user, jpeg(), "Second.jpg").status_code == 303
    import datetime as dt

    from wikiengine.db import session_scope
    from wikiengine.models import Image

    with app.app_context(), session_scope(app) as s:  # uploaded an hour before the other
        first = s.get(Image, "Premier.png")
        first.timestamp = first.timestamp - dt.timedelta(hours=1)
    html = client.get(_special(app, "ListFiles", "")).get_data(as_text=True)
    assert "2 fichiers sur ce wiki." in html
    table = html.split('id="mw-listfiles-table"')[1]
    assert table.index("Second.jpg") < table.index("Premier.png")  # newest first
    assert "Alice" in table


def test_anonymous_cannot_upload(client) -> None:
    assert client.get(UPLOAD).status_code == 403


BAD = [
    (lambda: png(), "Menteur.jpg", "ne correspond pas au type MIME détecté"),
    (lambda: (DATA / "disguised.html").read_bytes(), "Page.png", "pas une image ou un document reconnu"),
    (lambda: png()[:60] + b"<script>alert(1)</script>" + png()[60:], "Piege.png",
     "du code HTML ou des scripts"),
    (lambda: (DATA / "script.svg").read_bytes(), "Script.svg", "un élément <script>"),
    (lambda: (DATA / "onload.svg").read_bytes(), "Onload.svg",
     "gestionnaire d’évènement (onload)"),
    (lambda: (DATA / "external.svg").read_bytes(), "Dehors.svg",
     "fait référence à une autre ressource"),
    (lambda: (DATA / "entity.svg").read_bytes(), "Entite.svg", "déclare des entités"),
    (bomb, "Bombe.png", "bombes de décompression"),
    (lambda: png(), "../../etc/passwd.png", "ne peuvent pas contenir"),
    (lambda: png(), "dossier\\image.png", "ne peuvent pas contenir"),
    (lambda: png(), "Nom\x07cloche.png", "caractères de contrôle"),
    (lambda: png(), "Sans extension", "pas d’extension"),
    (lambda: b"", "Vide.png", "est vide"),
    (lambda: b"MZ\x90\x00" + b"\x00" * 200, "Programme.exe", "pas un type de fichier autorisé"),
    (lambda: jpeg()[:200], "Coupee.jpg", "endommagé"),
]


@pytest.mark.parametrize("make,name,message", BAD)
def test_bad_input_refused_nothing_stored(app, user, make, name, message) -> None:
    resp = _post(user, make(), name)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400, html[:1500]
    assert message in html.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
    assert _images(app) == [] and _stored(app) == []


def test_oversize_refused(app, user) -> None:
    app.config["UPLOAD_MAX_SIZE"] = 1000
    resp = _post(user, jpeg(200, 200), "Grande.jpg")
    assert resp.status_code == 400 and "le maximum autorisé est de 1000 octets" in resp.get_data(
        as_text=True)
    assert _images(app) == [] and _stored(app) == []


def test_missing_token_refused(app, user) -> None:
    resp = user.post(UPLOAD, data={"wpDestFile": "X.png",
                                   "wpUploadFile": (io.BytesIO(png()), "X.png")},
                     content_type="multipart/form-data")
    assert resp.status_code == 400 and _images(app) == []


def test_page_deletion_deletes_the_file(app, user, sysop) -> None:
    from api_helpers import api, csrf

    data = png(color=(7, 70, 7))
    assert _post(user, data, "Efface.png").status_code == 303
    done = api(sysop, action="delete", title="Fichier:Efface.png", reason="test",
               token=csrf(sysop))
    assert "delete" in done, done
    assert _images(app) == []
    assert sysop.get(f"/images/{_hashed('Efface.png')}").status_code == 404
    restored = api(sysop, action="undelete", title="Fichier:Efface.png", token=csrf(sysop))
    assert "undelete" in restored, restored
    page = sysop.get("/wiki/Fichier:Efface.png").get_data(as_text=True)
    assert "Versions supprimées de ce fichier pouvant être restaurées : 1." in page
    assert sysop.post(_special(app, "FileRestore", "Efface.png"),
                      data={"wpEditToken": _token(sysop)}).status_code == 303
    assert sysop.get(f"/images/{_hashed('Efface.png')}").data == data


def test_concurrent_new_version_loses_cleanly(app, user) -> None:
    """Two uploads over one file at once: the one that read the older row is refused."""
    from wikiengine.db import session_scope
    from wikiengine.files import service
    from wikiengine.files.verify import UploadError, verify
    from wikiengine.models import Image
    from wikiengine.store import users

    assert _post(user, png(color=(1, 1, 1)), "Course.png").status_code == 303
    second, third = png(color=(2, 2, 2)), png(color=(3, 3, 3))
    with app.test_request_context():
        with session_scope(app) as slow:
            alice = users.get_user(slow, "Alice")
            stale = slow.get(Image, "Course.png")  # read before the other upload
            assert stale is not None
            with session_scope(app) as fast:
                service.upload(fast, users.get_user(fast, "Alice"), "Course.png", second,
                               ignore_warnings=True)
            title = service.file_title("Course.png")
            with pytest.raises(UploadError) as refused:
                service.store_version(slow, alice, title, third, verify(third, "Course.png"),
                                      service.sha1_base36(third), "", "overwrite")
            assert refused.value.code == "fileexists-forbidden"
            slow.rollback()
    assert user.get(f"/images/{_hashed('Course.png')}").data == second


def test_moving_the_page_moves_the_file(app, user, sysop) -> None:
    from api_helpers import api, csrf

    first, second = png(color=(4, 4, 4)), png(color=(5, 5, 5))
    assert _post(user, first, "Ancien nom.png").status_code == 303
    assert _post(user, second, "Ancien nom.png", wpIgnoreWarning="1").status_code == 303
    moved = api(sysop, action="move", **{"from": "Fichier:Ancien nom.png"},
                to="Fichier:Nouveau nom.png", reason="renommage", token=csrf(sysop))
    assert "move" in moved, moved
    assert _images(app) == ["Nouveau_nom.png"]
    assert user.get(f"/images/{_hashed('Nouveau_nom.png')}").data == second
    assert user.get(f"/images/{_hashed('Ancien_nom.png')}").status_code == 404
    page = user.get("/wiki/Fichier:Nouveau_nom.png").get_data(as_text=True)
    old_url = re.search(r'href="(/images/archive/[^"]+)"', page).group(1)
    assert "Nouveau_nom.png" in old_url and user.get(old_url).data == first


def test_bad_file_name_warning(app, user) -> None:
    html = _post(user, png(color=(6, 6, 6)), "Deux  espaces.png").get_data(as_text=True)
    assert "mw-upload-warning-badfilename" in html and "Deux espaces.png" in html


def test_browser_path_in_source_name_is_dropped(app, user) -> None:
    form = {"wpEditToken": _token(user), "wpUpload": "1", "wpLicense": "cc0",
            "wpUploadFile": (io.BytesIO(png(color=(8, 8, 8))), "Mes photos/2024/Kerinou.png")}
    resp = user.post(UPLOAD, data=form, content_type="multipart/form-data")
    assert resp.status_code == 303, re.findall(r"errorbox.{0,300}", resp.get_data(as_text=True))
    assert _images(app) == ["Kerinou.png"]
