"""Special:Export and Special:Import in the browser's shoes (Flask test client)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from dumps import web
from dumps.reader import DumpReader
from views_helpers import login, make_user, token

DATA = Path(__file__).parent / "data" / "dumps"


@pytest.fixture
def wiki(app):  # type: ignore[no-untyped-def]
    web.init_app(app)
    return app


def _upload(client, path: Path, prefix: str = "imported", form_token: str | None = None):  # type: ignore[no-untyped-def]
    return client.post("/wiki/Spécial:Importation", data={
        "wpEditToken": form_token or token(client, "/wiki/Spécial:Importation"),
        "usernamePrefix": prefix, "log-comment": "from the archive",
        "xmlimport": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data")


def test_import_needs_the_right_and_a_token(wiki) -> None:
    client = wiki.test_client()
    assert client.get("/wiki/Spécial:Importation").status_code == 403
    assert client.get("/wiki/Special:Import").status_code in (301, 403)
    make_user(wiki, "Lecteur")
    login(client, "Lecteur")
    assert client.get("/wiki/Spécial:Importation").status_code == 403
    admin = wiki.test_client()
    make_user(wiki, "Bibliothécaire", groups=("sysop",))
    login(admin, "Bibliothécaire")
    page = admin.get("/wiki/Spécial:Importation")
    assert page.status_code == 200 and 'name="xmlimport"' in page.get_data(as_text=True)
    refused = _upload(admin, DATA / "bad-pages.xml", form_token="forged")
    assert refused.status_code == 400
    with wiki.app_context():
        from sqlalchemy import func, select

        from wikiengine.db import session_scope
        from wikiengine.models import Page

        with session_scope(wiki) as s:
            assert s.scalar(select(func.count()).select_from(Page).where(
                Page.title == "Good_page")) == 0


def test_import_report_and_export_round_trip(wiki) -> None:
    admin = wiki.test_client()
    make_user(wiki, "Bibliothécaire", groups=("sysop",))
    login(admin, "Bibliothécaire")
    response = _upload(admin, DATA / "bad-pages.xml", prefix="archive")
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    assert "4 versions importées dans 2 pages" in body
    assert "Bad|Title" in body and "namespace 828 (Module)" in body
    assert "<script" not in body.split("import-problems")[1][:2000]

    # view the export in the browser (Special:Export/Title)
    shown = admin.get("/wiki/Spécial:Exporter/Good_page")
    assert shown.status_code == 200 and shown.mimetype == "application/xml"
    assert "attachment" not in shown.headers.get("Content-Disposition", "")
    (page, revisions), = DumpReader(io.BytesIO(shown.data), name="web").pages()
    assert page.title == "Good page" and len(revisions) == 1
    assert revisions[0].text.startswith("Two [[Link target]]")

    # the form: add a category's pages, then download the full history
    form = admin.get("/wiki/Spécial:Exporter").get_data(as_text=True)
    assert "Ajouter les pages de la catégorie" in form
    filled = admin.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(admin, "/wiki/Spécial:Exporter"), "catname": "Imported",
        "addcat": "1", "pages": "Modèle:Box"}).get_data(as_text=True)
    assert "Modèle:Box\nGood page</textarea>" in filled
    download = admin.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(admin, "/wiki/Spécial:Exporter"), "pages": "Good page\nModèle:Box",
        "wpDownload": "1"})
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    root = etree.fromstring(download.data)
    assert len(root.findall("{*}page/{*}revision")) == 4  # full history: 3 + 1
    users = {e.text for e in root.iter("{*}username")}
    assert "archive>Alice" in users and "archive>Bob" not in users and "other>Bob" in users


def test_export_is_open_to_readers_and_checks_input(wiki) -> None:
    client = wiki.test_client()
    form = client.get("/wiki/Spécial:Exporter")
    assert form.status_code == 200
    empty = client.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(client, "/wiki/Spécial:Exporter"), "pages": ""})
    assert empty.status_code == 400 and "Indiquez au moins un titre" in empty.get_data(as_text=True)
    bad_ns = client.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(client, "/wiki/Spécial:Exporter"), "nsindex": "999", "addns": "1"})
    assert bad_ns.status_code == 400
    main = client.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(client, "/wiki/Spécial:Exporter"), "nsindex": "0", "addns": "1"})
    assert "Accueil</textarea>" in main.get_data(as_text=True)
    xml = client.get("/wiki/Spécial:Exporter?pages=Accueil")
    assert b"<title>Accueil</title>" in xml.data


def test_export_with_the_log_for_importers_only(wiki) -> None:
    from sqlalchemy import func, select

    from test_dumps_export import _validate
    from wikiengine.db import session_scope
    from wikiengine.models import LogEntry

    reader = wiki.test_client()
    make_user(wiki, "Lecteur")
    login(reader, "Lecteur")
    assert 'name="logs"' not in reader.get("/wiki/Spécial:Exporter").get_data(as_text=True)
    refused = reader.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(reader, "/wiki/Spécial:Exporter"), "pages": "Accueil", "logs": "1"})
    assert refused.status_code == 403 and b"<logitem" not in refused.data
    admin = wiki.test_client()
    make_user(wiki, "Bibliothécaire", groups=("sysop",))
    login(admin, "Bibliothécaire")
    assert 'name="logs"' in admin.get("/wiki/Spécial:Exporter").get_data(as_text=True)
    plain = admin.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(admin, "/wiki/Spécial:Exporter"), "pages": "Accueil"})
    assert plain.status_code == 200 and b"<logitem" not in plain.data
    with_log = admin.post("/wiki/Spécial:Exporter", data={
        "wpEditToken": token(admin, "/wiki/Spécial:Exporter"), "pages": "Accueil",
        "logs": "1", "wpDownload": "1"})
    assert with_log.status_code == 200
    _validate(with_log.data)
    root = etree.fromstring(with_log.data)
    items = root.findall("{*}logitem")
    with wiki.app_context(), session_scope(wiki) as s:
        expected = s.scalar(select(func.count()).select_from(LogEntry))
    assert expected and len(items) == expected
    assert {i.findtext("{*}type") for i in items} >= {"newusers"}
    assert root.find("{*}page/{*}title").text == "Accueil"
