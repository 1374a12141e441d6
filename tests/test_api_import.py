"""``action=import`` (dumps/api.py): an uploaded dump imported through the API with the same
loader as Special:Import, MediaWiki 1.39's parameters, answer and errors (codes and texts
as the real MediaWiki gives them), bad input refused with nothing written, and mwclient
(a real client, over HTTP) importing a file."""
from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from api_helpers import api, csrf, logged_in, make_user
from conftest import require

DATA = Path(__file__).parent / "data" / "api_import"
DUMPS = Path(__file__).parent / "data" / "dumps"


def _import(client: Any, path: Path | None, token: str | None = None,
            method: str = "post", **params: Any) -> dict[str, Any]:
    """POST action=import as multipart, ``path`` as the ``xml`` file."""
    data: dict[str, Any] = {"action": "import", "format": "json"}
    if token is not None:
        data["token"] = token
    data.update({k: ("" if v is True else str(v)) for k, v in params.items()
                 if v is not None and v is not False})
    if method == "get":
        resp = client.get("/w/api.php", query_string=data)
    else:
        if path is not None:
            data["xml"] = (io.BytesIO(path.read_bytes()), path.name)
        resp = client.post("/w/api.php", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()


def _count(app: Any, model: Any, *where: Any) -> int:
    from wikiengine.db import session_scope

    with app.app_context(), session_scope(app) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _pages(app: Any) -> int:
    from wikiengine.models import Page

    return _count(app, Page)


def _revisions(app: Any, namespace: int, dbkey: str) -> list[tuple[str, str, str]]:
    """(actor name, comment, text) of a page's revisions, oldest first."""
    from wikiengine.db import session_scope
    from wikiengine.models import Actor, Content, Page, Revision

    with app.app_context(), session_scope(app) as s:
        rows = s.execute(
            select(Actor.name, Revision.comment, Content.text)
            .join(Revision, Revision.actor_id == Actor.actor_id)
            .join(Content, Content.content_id == Revision.content_id)
            .join(Page, Page.page_id == Revision.page_id)
            .where(Page.namespace == namespace, Page.title == dbkey)
            .order_by(Revision.timestamp))
        return [tuple(r) for r in rows]


@pytest.fixture
def admin(app):  # type: ignore[no-untyped-def]
    return logged_in(app, "Bibliothécaire", "biblio-password-1")


def test_import_answers_each_page_with_its_revisions_as_mediawiki(app, admin) -> None:
    out = _import(admin, DATA / "two-pages.xml", csrf(admin), interwikiprefix="brest",
                  summary="depuis les archives")
    assert out == {"import": [
        {"ns": 0, "title": "Pont de Recouvrance", "revisions": 2},
        {"ns": 10, "title": "Modèle:Patrimoine", "revisions": 1}]}
    history = _revisions(app, 0, "Pont_de_Recouvrance")
    assert [(who, why) for who, why, _ in history] == [
        ("brest>Annaig", "création"), ("brest>Importé", "inauguration")]
    assert "inauguré en 1954" in history[-1][2]
    assert _revisions(app, 10, "Patrimoine")[0][0] == "192.0.2.7"  # an IP stays an IP
    log = api(admin, action="query", list="logevents", letype="import")["query"]["logevents"]
    assert {(e["title"], e["action"], e["user"], e["comment"]) for e in log} == {
        ("Pont de Recouvrance", "upload", "Bibliothécaire", "depuis les archives"),
        ("Modèle:Patrimoine", "upload", "Bibliothécaire", "depuis les archives")}
    # the page renders with the imported template (link tables rebuilt by the loader)
    parsed = api(admin, action="parse", page="Pont de Recouvrance", prop="templates")
    assert [t["*"] for t in parsed["parse"]["templates"]] == ["Modèle:Patrimoine"]
    # a second import adds nothing: the same pages, no revision counted twice
    again = _import(admin, DATA / "two-pages.xml", csrf(admin), interwikiprefix="brest",
                    formatversion="2")
    assert again == {"import": [
        {"ns": 0, "title": "Pont de Recouvrance", "revisions": 0},
        {"ns": 10, "title": "Modèle:Patrimoine", "revisions": 0}]}
    assert len(_revisions(app, 0, "Pont_de_Recouvrance")) == 2


def test_namespace_rootpage_and_known_users(app, admin) -> None:
    make_user(app, "Annaig", "annaig-password-1")
    out = _import(admin, DATA / "two-pages.xml", csrf(admin), interwikiprefix="brest",
                  namespace=4, assignknownusers=True)
    assert out["import"] == [{"ns": 4, "title": "Projet:Pont de Recouvrance", "revisions": 2},
                             {"ns": 4, "title": "Projet:Patrimoine", "revisions": 1}]
    # Annaig has an account here: credited to it; Importé has none: prefixed
    assert [r[0] for r in _revisions(app, 4, "Pont_de_Recouvrance")] == [
        "Annaig", "brest>Importé"]
    out = _import(admin, DATA / "two-pages.xml", csrf(admin), interwikiprefix="w:fr",
                  rootpage="Aide:Archives")
    assert out["import"] == [
        {"ns": 12, "title": "Aide:Archives/Pont de Recouvrance", "revisions": 2},
        {"ns": 12, "title": "Aide:Archives/Modèle:Patrimoine", "revisions": 1}]
    assert [r[0] for r in _revisions(app, 12, "Archives/Pont_de_Recouvrance")] == [
        "w:fr>Annaig", "w:fr>Importé"]  # without assignknownusers, prefixed


@pytest.mark.parametrize("params, code, info", [
    ({"namespace": 4, "rootpage": "Aide:X"}, "invalidparammix",
     'The parameters "namespace" and "rootpage" can not be used together.'),
    ({"rootpage": "Aide:A|B"}, "import-rootpage-invalid",
     "Given root page is an invalid title."),
    ({"rootpage": "Catégorie:Archives"}, "import-rootpage-nosubpage",
     'Namespace "Catégorie" of the root page does not allow subpages.'),
    ({"interwikiprefix": None}, "nointerwikiprefix",
     'The "interwikiprefix" parameter must be set.'),
    ({"interwikiprefix": "a>b"}, "badvalue",
     'Unrecognized value for parameter "interwikiprefix": a>b.'),
    ({"interwikisource": "meta", "interwikipage": "Help:Foo"}, "badvalue",
     'Unrecognized value for parameter "interwikisource": meta.'),
    ({"namespace": 9999}, "badvalue", 'Unrecognized value for parameter "namespace": 9999.'),
    ({"namespace": -1}, "badvalue", 'Unrecognized value for parameter "namespace": -1.'),
])
def test_parameter_errors_as_mediawiki(app, admin, params, code, info) -> None:
    values = {"interwikiprefix": "brest", **params}
    out = _import(admin, DATA / "two-pages.xml", csrf(admin), **values)
    assert (out["error"]["code"], out["error"]["info"]) == (code, info)
    assert _pages(app) == 1  # only the main page the instance starts with


def test_no_file_bad_token_and_get_are_refused(app, admin) -> None:
    out = _import(admin, None, csrf(admin), interwikiprefix="brest")
    assert (out["error"]["code"], out["error"]["info"]) == ("nofile",
                                                            "No import file was uploaded.")
    assert _import(admin, DATA / "two-pages.xml", "forged+\\",
                   interwikiprefix="brest")["error"]["code"] == "badtoken"
    assert _import(admin, DATA / "two-pages.xml", None,
                   interwikiprefix="brest")["error"]["code"] == "missingparam"
    got = _import(admin, None, csrf(admin), method="get", interwikiprefix="brest")
    assert got["error"]["code"] == "mustbeposted"
    assert _pages(app) == 1


def test_only_users_with_importupload(app, admin) -> None:
    reader = logged_in(app, "Lecteur", "lecteur-password-1", groups=())
    out = _import(reader, DATA / "two-pages.xml", csrf(reader), interwikiprefix="brest")
    assert (out["error"]["code"], out["error"]["info"]) == (
        "cantimport-upload", "You don't have permission to import uploaded pages.")
    anonymous = app.test_client()
    out = _import(anonymous, DATA / "two-pages.xml", csrf(anonymous), interwikiprefix="brest")
    assert out["error"]["code"] in ("cantimport-upload", "writeapidenied")
    # the right, not the group, decides: a group given importupload may import
    app.config["GROUP_PERMISSIONS"] = {"archiviste": {"importupload": True}}
    make_user(app, "Archiviste", "archiviste-password-1", groups=("archiviste",))
    from api_helpers import login

    archivist = app.test_client()
    assert login(archivist, "Archiviste", "archiviste-password-1")["login"]["result"] == \
        "Success"
    assert _pages(app) == 1
    out = _import(archivist, DATA / "two-pages.xml", csrf(archivist), interwikiprefix="brest")
    assert [p["revisions"] for p in out["import"]] == [2, 1]


def test_bot_password_needs_the_import_grant(app) -> None:
    """A sysop's bot password narrows the rights to its grants (MediaWiki's ``import``
    grant gives ``importupload``)."""
    from api_helpers import login
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        sysop = users.create_user(s, "Archives", "archives-password-1", groups=["sysop"])
        narrow = users.create_bot_password(s, sysop, "lecture", ("basic", "editpage"))
        wide = users.create_bot_password(s, sysop, "import", ("basic", "import"))
    refused, allowed = app.test_client(), app.test_client()
    assert login(refused, "Archives@lecture", narrow)["login"]["result"] == "Success"
    assert login(allowed, "Archives@import", wide)["login"]["result"] == "Success"
    out = _import(refused, DATA / "two-pages.xml", csrf(refused), interwikiprefix="brest")
    assert out["error"]["code"] == "cantimport-upload"
    assert _pages(app) == 1
    out = _import(allowed, DATA / "two-pages.xml", csrf(allowed), interwikiprefix="brest")
    assert [p["revisions"] for p in out["import"]] == [2, 1]


def test_blocked_importer_is_refused(app, admin) -> None:
    from wikiengine.db import session_scope
    from wikiengine.store import blocks, users

    with app.app_context(), session_scope(app) as s:
        blocks.block(s, "Bibliothécaire", users.system_user(s), reason="test",
                     check_permissions=False)
    out = _import(admin, DATA / "two-pages.xml", csrf(admin), interwikiprefix="brest")
    assert out["error"]["code"] == "blocked" and "blockinfo" in out["error"]
    assert _pages(app) == 1


@pytest.mark.parametrize("path, problem", [
    (DATA / "malformed.xml", "at line 43"),
    (DUMPS / "entity-bomb.xml", "DOCTYPE"),
    (DUMPS / "external-entity.xml", "DOCTYPE"),
    (DUMPS / "wrong-schema.xml", ""),
])
def test_unreadable_dump_is_an_error_and_writes_nothing(app, admin, path, problem) -> None:
    out = _import(admin, path, csrf(admin), interwikiprefix="brest")
    assert out["error"]["code"] == "import-unknownerror"
    info = out["error"]["info"]
    assert info.startswith(f"Unknown error on import: {path.name}: ") and problem in info
    assert "import-" not in info.split(": ", 1)[1]  # the upload's name, not the temporary file
    assert _pages(app) == 1
    assert api(admin, action="query", list="logevents", letype="import")["query"][
        "logevents"] == []


def test_decompressed_size_is_bounded(app, admin) -> None:
    app.config["IMPORT_MAX_XML_BYTES"] = 1 << 20
    out = _import(admin, DATA / "expands-4mb.xml.gz", csrf(admin), interwikiprefix="brest")
    assert out["error"]["code"] == "import-unknownerror"
    assert "larger than this wiki's limit of 1048576 bytes" in out["error"]["info"]
    assert _pages(app) == 1
    app.config["IMPORT_MAX_XML_BYTES"] = 8 << 20  # under the limit, the same file imports
    out = _import(admin, DATA / "expands-4mb.xml.gz", csrf(admin), interwikiprefix="brest")
    assert [p["revisions"] for p in out["import"]] == [2, 1]


def test_refused_pages_are_warned_and_the_rest_imported(app, admin) -> None:
    out = _import(admin, DUMPS / "bad-pages.xml", csrf(admin), interwikiprefix="brest")
    titles = {p["title"]: p["revisions"] for p in out["import"]}
    assert titles == {"Good page": 3, "Modèle:Box": 1}  # an invalid title is no page
    warning = out["warnings"]["import"]["*"].split("\n")
    assert "Not imported: Bad|Title, line 27: invalid title on this wiki " \
           "(title-invalid-characters)." in warning
    assert "Not imported: Good page (revision 42), line 66: The content model " \
           "'not-a-defined-model' is not registered on this wiki." in warning
    assert len(warning) == 6
    assert len(_revisions(app, 0, "Good_page")) == 3


def test_paraminfo_describes_the_module(app, admin) -> None:
    info = api(admin, action="paraminfo", modules="import")["paraminfo"]["modules"][0]
    assert (info["name"], info["classname"], info["path"]) == ("import", "ApiImport", "import")
    assert "mustbeposted" in info and "writerights" in info
    params = {p["name"]: p for p in info["parameters"]}
    assert list(params) == ["summary", "xml", "interwikiprefix", "interwikisource",
                            "interwikipage", "fullhistory", "templates", "namespace",
                            "assignknownusers", "rootpage", "tags", "token"]
    assert params["xml"]["type"] == "upload" and params["interwikisource"]["type"] == []
    assert params["token"]["tokentype"] == "csrf"
    assert "import" in api(admin, action="paraminfo", modules="main")["paraminfo"][
        "modules"][0]["parameters"][0]["type"]


def test_mwclient_imports_a_file_over_http(app, live_server) -> None:
    require(importlib.util.find_spec("mwclient") is not None, "mwclient",
            "pip install mwclient (the test extra)")
    import mwclient

    make_user(app, "Bibliothécaire", "biblio-password-1", groups=("sysop",))
    site = mwclient.Site(urlsplit(live_server).netloc, path="/w/", scheme="http",
                         clients_useragent="wikiengine-tests")
    site.login("Bibliothécaire", "biblio-password-1")
    path = DATA / "two-pages.xml"
    with path.open("rb") as handle:
        raw = site.raw_call("api", {"action": "import", "format": "json",
                                    "interwikiprefix": "brest", "summary": "mwclient",
                                    "token": site.get_token("csrf")},
                            files={"xml": (path.name, handle)})
    assert json.loads(raw) == {"import": [
        {"ns": 0, "title": "Pont de Recouvrance", "revisions": 2},
        {"ns": 10, "title": "Modèle:Patrimoine", "revisions": 1}]}
    page = site.pages["Pont de Recouvrance"]
    assert page.exists and "inauguré en 1954" in page.text()
    assert [r["user"] for r in page.revisions(dir="newer")] == ["brest>Annaig",
                                                                 "brest>Importé"]


# -- the same requests to the real MediaWiki 1.39 ----------------------------------------------

@pytest.fixture(scope="module")
def mediawiki(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real MediaWiki 1.39 (../shared/oracle/mediawiki.sh) on loopback, for this module."""
    from bots_harness import mediawiki_installed, start_oracle, stop_oracle
    from conftest import shared_path

    require(mediawiki_installed(), "real MediaWiki 1.39", "../shared/oracle/mediawiki.sh install")
    shared_path("oracle", "mediawiki.sh")
    datadir = tmp_path_factory.mktemp("mw-import")
    yield start_oracle(datadir)
    stop_oracle(datadir)


class _Remote:
    """A requests session on the real MediaWiki's api.php, signed in or not."""

    def __init__(self, url: str) -> None:
        import requests

        self.api = f"{url}/w/api.php"
        self.http = requests.Session()

    def call(self, files: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
        params["format"] = "json"
        return self.http.post(self.api, data=params, files=files, timeout=60).json()

    def token(self, kind: str = "csrf") -> str:
        return self.call(action="query", meta="tokens", type=kind)["query"]["tokens"][
            f"{kind}token"]

    def login(self, name: str, password: str) -> "_Remote":
        answer = self.call(action="login", lgname=name, lgpassword=password,
                           lgtoken=self.token("login"))
        assert answer["login"]["result"] == "Success", answer
        return self

    def create_account(self, name: str, password: str) -> "_Remote":
        answer = self.call(action="createaccount", username=name, password=password,
                           retype=password, createreturnurl="http://127.0.0.1/",
                           createtoken=self.token("createaccount"))
        assert answer["createaccount"]["status"] == "PASS", answer
        return self


def _comparable(answer: dict[str, Any], compare: str) -> Any:
    if "error" in answer:
        error = answer["error"]
        return error["code"] if compare == "code" else (error["code"], error["info"])
    return answer


def test_answers_agree_with_mediawiki(app, admin, mediawiki) -> None:
    """Each request of data/api_import/differential.json gets the same answer (error code and
    text, or the import list) from the real MediaWiki and from this wiki. (Not compared on
    purpose: with data/api_import/malformed.xml MediaWiki imports the first page, then fails
    with internal_api_error_Error; this wiki checks the whole file first and writes nothing.)"""
    cases = json.loads((DATA / "differential.json").read_text(encoding="utf-8"))
    theirs = {"admin": _Remote(mediawiki).login("Admin", "oracle-admin-pass"),
              "reader": _Remote(mediawiki).create_account("Lecteur", "lecteur-password-1")}
    ours = {"admin": admin, "reader": logged_in(app, "Lecteur", "lecteur-password-1", ())}
    for case in cases:
        user = case.get("user", "admin")
        params = {"action": "import", **case["params"]}
        path = DATA / case["file"] if case["file"] else None
        files = {"xml": (path.name, path.read_bytes())} if path else None
        remote = theirs[user].call(files=files, **{"token": theirs[user].token(), **params})
        params.pop("action")
        token = params.pop("token", None) or csrf(ours[user])
        local = _import(ours[user], path, token, **params)
        assert _comparable(local, case["compare"]) == _comparable(remote, case["compare"]), \
            case["id"]
