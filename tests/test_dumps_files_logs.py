"""Importing ``<upload>`` and ``<logitem>`` elements: file versions stored through the files
service with their SHA-1 checked, log items in ``logging`` (Special:Log, list=logevents),
idempotent re-imports, and bad input reported without anything half-written."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from sqlalchemy import func, select

from conftest import require
from dumps.export import Selection, export_dump
from dumps.loader import ImportOptions, import_dump
from dumps.logitems import decode_params, encode_params
from dumps.reader import DumpReader
from dumps.records import DumpError, LogItemRecord, UploadRecord, base36_sha1
from wikiengine.files.storage import archive_key, get_storage, public_key
from wikiengine.models import Actor, Image, LogEntry, OldImage, Page, RecentChange

DATA = Path(__file__).parent / "data" / "dumps"
FILES = DATA / "files"
GOOD = FILES / "uploads-and-logs.xml"
BAD = FILES / "uploads-bad.xml"


def _import(app, source, **options):  # type: ignore[no-untyped-def]
    options.setdefault("refresh_links", False)
    options.setdefault("update_search", False)
    with app.app_context():
        return import_dump(app, source, ImportOptions(**options))


def _session(app):  # type: ignore[no-untyped-def]
    return app.extensions["db_sessionmaker"]()


def _embedded(path: Path) -> list[UploadRecord]:
    with DumpReader(path) as reader:
        return [r for r in reader if isinstance(r, UploadRecord)]


def _logs(app, **where):  # type: ignore[no-untyped-def]
    with _session(app) as s:
        query = select(LogEntry).where(*[getattr(LogEntry, k) == v for k, v in where.items()])
        return [(e.type, e.action, e.namespace, e.title, e.timestamp.isoformat(), e.comment,
                 json.loads(e.params), e.deleted, e.actor.name)
                for e in s.scalars(query.order_by(LogEntry.log_id))]


def test_reader_decodes_uploads_and_log_items() -> None:
    with DumpReader(GOOD) as reader:
        records = list(reader)
    uploads = [r for r in records if isinstance(r, UploadRecord)]
    items = [r for r in records if isinstance(r, LogItemRecord)]
    assert [u.timestamp for u in uploads] == ["2024-02-01T12:00:00Z", "2024-03-05T09:30:00Z"]
    for upload in uploads:
        assert upload.contents is not None and upload.contents.startswith(b"\x89PNG")
        assert upload.size == len(upload.contents)
        assert upload.sha1base36 == base36_sha1(upload.contents)
        assert upload.filename == "Plan_du_quartier.png" and upload.rel
    assert [(i.id, i.type, i.action, i.title) for i in items] == [
        (1, "upload", "upload", "Fichier:Plan du quartier.png"),
        (2, "move", "move", "Rue de Siam (ancien)"),
        (3, "block", "block", "Utilisateur:192.0.2.66"),
        (4, "delete", "delete", "Brouillon")]
    assert items[3].contributor.deleted and items[3].comment_deleted
    assert reader.skipped == {}


def test_reader_bounds_and_checks_embedded_contents() -> None:
    uploads = _embedded(BAD)
    assert "not valid base64" in (uploads[0].contents_error or "")
    assert uploads[5].contents is None and uploads[5].contents_error is None  # src only
    assert "unknown <contents> encoding 'uuencode'" in (uploads[6].contents_error or "")
    with DumpReader(GOOD, max_upload_bytes=20) as reader:
        small = [r for r in reader if isinstance(r, UploadRecord)]
    assert all(u.contents is None and "larger than this wiki's limit of 20 bytes"
               in (u.contents_error or "") for u in small)


def test_embedded_file_over_the_text_node_limit_is_a_clear_error(tmp_path: Path) -> None:
    text = GOOD.read_text("utf-8")
    start = text.index('<contents encoding="base64">') + len('<contents encoding="base64">')
    end = text.index("</contents>", start)
    huge = tmp_path / "huge.xml"
    with huge.open("w", encoding="utf-8") as out:  # 10.4 MB of base64 in one text node
        out.write(text[:start])
        for _ in range(2600):
            out.write("QUFB" * 1000)
        out.write(text[end:])
    with pytest.raises(DumpError) as err, DumpReader(huge) as reader:
        list(reader)
    assert "larger than 10 MB" in str(err.value) and "upload such files by hand" in str(err.value)


@pytest.mark.parametrize("name,message", [
    ("upload-entity-bomb.xml", "DOCTYPE"),
    ("logitem-undeclared-entity.xml", "secret"),
])
def test_entities_in_uploads_and_log_items_are_refused(app, name: str, message: str) -> None:
    with _session(app) as s:
        before = s.scalar(select(func.count()).select_from(LogEntry))
    with pytest.raises(DumpError) as err:
        _import(app, FILES / name)
    assert message in str(err.value)
    with _session(app) as s:
        assert s.scalar(select(func.count()).select_from(LogEntry)) == before
        assert s.scalar(select(func.count()).select_from(Image)) == 0


def test_uploads_are_stored_with_history_and_reimport_adds_nothing(app) -> None:
    old, new = (u.contents for u in _embedded(GOOD))
    assert old is not None and new is not None
    report = _import(app, GOOD)
    assert (report.uploads, report.uploads_imported, report.uploads_refused) == (2, 2, 0), \
        report.problems
    assert "files: imported 2 of 2 versions" in report.summary()
    with _session(app) as s:
        image = s.get(Image, "Plan_du_quartier.png")
        assert image is not None
        assert image.sha1 == base36_sha1(new) and image.size == len(new)
        assert (image.width, image.height) == (6, 4)
        assert image.timestamp.isoformat() == "2024-03-05T09:30:00"
        assert image.description == "couleurs corrigées"
        assert s.get(Actor, image.actor_id).name == "imported>Annaig"
        olds = list(s.scalars(select(OldImage)))
        assert [(o.sha1, o.timestamp.isoformat(), o.archive_name) for o in olds] == [
            (base36_sha1(old), "2024-02-01T12:00:00", "20240201120000!Plan_du_quartier.png")]
        # the dump's import does not flood recent changes
        assert s.scalar(select(func.count()).select_from(RecentChange)
                        .where(RecentChange.log_type == "upload")) == 0
    with app.app_context():
        storage = get_storage()
        assert storage.read(public_key("Plan_du_quartier.png")) == new
        assert storage.read(archive_key(olds[0].archive_name, "Plan_du_quartier.png")) == old
    uploads_logged = _logs(app, type="upload")
    assert [(a, t, ts) for _ty, a, _ns, t, ts, *_rest in uploads_logged] == [
        ("upload", "Plan_du_quartier.png", "2024-02-01T12:00:00"),
        ("overwrite", "Plan_du_quartier.png", "2024-03-05T09:30:00")]

    again = _import(app, GOOD)
    assert (again.uploads_imported, again.uploads_present) == (0, 2)
    assert (again.logs_imported, again.logs_present) == (0, 4)
    assert _logs(app, type="upload") == uploads_logged
    with _session(app) as s:
        assert s.scalar(select(func.count()).select_from(OldImage)) == 1


def test_log_items_are_imported_and_shown(app, client) -> None:
    report = _import(app, GOOD)
    assert (report.log_items, report.logs_refused) == (4, 0), report.problems
    # the <logitem> of the first upload is the entry storing the file already wrote
    assert (report.logs_imported, report.logs_present) == (3, 1)
    assert _logs(app, type="move") == [
        ("move", "move", 0, "Rue_de_Siam_(ancien)", "2024-02-02T08:00:00", "nom plus clair",
         {"target": "Rue de Siam", "noredir": False}, 0, "imported>Yann")]
    assert _logs(app, type="block") == [
        ("block", "block", 2, "192.0.2.66", "2010-05-01T10:00:00", "vandalisme",
         {"duration": "2 weeks", "flags": "anononly,nocreate"}, 0, "192.0.2.7")]
    _import(app, DATA / "upload-and-log.xml")  # its <logitem> names a page it creates
    with _session(app) as s:  # log_page: the target's page id where it exists here
        assert s.scalar(select(LogEntry.page_id).where(LogEntry.type == "move")) is None
        page_id = s.scalar(select(Page.page_id).where(Page.namespace == 6,
                                                      Page.title == "Plan.png"))
        assert page_id and s.scalar(select(LogEntry.page_id).where(
            LogEntry.type == "upload", LogEntry.title == "Plan.png")) == page_id
    (deleted,) = _logs(app, type="delete")
    assert deleted[5] == "" and deleted[7] == 2 | 4  # comment and user hidden
    answer = client.get("/w/api.php", query_string={
        "action": "query", "list": "logevents", "letype": "move", "format": "json",
        "formatversion": "2"}).get_json()
    (event,) = answer["query"]["logevents"]
    assert event["title"] == "Rue de Siam (ancien)" and event["user"] == "imported>Yann"
    assert event["timestamp"] == "2024-02-02T08:00:00Z"
    page = client.get("/w/index.php", query_string={"title": "Special:Log", "type": "move"})
    assert page.status_code == 200
    assert "Rue de Siam (ancien)" in page.get_data(as_text=True)


def test_log_targets_follow_the_import_root_page(app) -> None:
    from wikiengine.rendering import site_namespaces
    from wikiengine.title import Title

    with app.app_context():
        root = Title.new("Archives", site_namespaces())
    report = _import(app, GOOD, root_page=root)
    assert report.uploads_refused == 2  # the File page became Archives/Fichier:…
    assert "belongs to a File page" in str(report.problems[0])
    assert [row[3] for row in _logs(app, type="move")] == ["Archives/Rue_de_Siam_(ancien)"]
    assert [row[3] for row in _logs(app, type="block")] == ["Archives/Utilisateur:192.0.2.66"]


def test_bad_uploads_and_log_items_are_reported_and_nothing_half_written(app) -> None:
    report = _import(app, BAD)
    assert report.imported == 1  # the File page itself
    assert (report.uploads, report.uploads_imported, report.uploads_refused) == (7, 0, 7)
    reasons = [str(p) for p in report.problems]

    def one(text: str) -> str:
        found = [r for r in reasons if text in r]
        assert len(found) == 1, (text, reasons)
        return found[0]

    assert "line 17" in one("not valid base64")
    one("SHA-1 mismatch: the dump says '0000000000000000000000000000000'")
    one("<size> of")
    one("does not match the page 'Fichier:Plan du quartier.png'")
    one("refused by the upload checks (verification-error)")
    assert "https://wiki.example.org/images/a/a1/Plan_du_quartier.png" in one(
        "files are never fetched from the network")
    one("unknown <contents> encoding")
    one("unknown log type 'thanks'")
    one("invalid target title 'Page [invalide]'")
    one("unreadable PHP-serialised <params>")
    one("no target title")
    one("duplicate log item id 14")
    assert (report.log_items, report.logs_imported, report.logs_refused) == (6, 1, 5)
    with _session(app) as s:
        assert s.scalar(select(func.count()).select_from(Image)) == 0
        assert s.scalar(select(func.count()).select_from(OldImage)) == 0
    with app.app_context():
        assert not get_storage().exists(public_key("Plan_du_quartier.png"))
    assert [row[3] for row in _logs(app, type="delete")] == ["Bonne_entrée"]


@pytest.mark.db  # the app comes from request.getfixturevalue
def test_upload_larger_than_the_limit_is_refused(app_config: dict,
                                                 request: pytest.FixtureRequest) -> None:
    app_config["UPLOAD_MAX_SIZE"] = 64
    app = request.getfixturevalue("app")
    report = _import(app, GOOD)
    assert report.uploads_refused == 2
    assert all("larger than this wiki's limit of 64 bytes" in str(p) for p in report.problems
               if "<upload>" in str(p))


@pytest.mark.db  # the app comes from request.getfixturevalue
def test_no_files_imported_when_uploads_are_disabled(app_config: dict,
                                                     request: pytest.FixtureRequest) -> None:
    app_config["UPLOADS_ENABLED"] = False
    app = request.getfixturevalue("app")
    report = _import(app, GOOD)
    assert report.uploads_refused == 2 and report.imported == 1
    assert "uploads are disabled on this wiki" in str(report.problems[0])
    with _session(app) as s:
        assert s.scalar(select(func.count()).select_from(Image)) == 0


@pytest.mark.db  # the app comes from request.getfixturevalue
def test_web_importer_needs_the_upload_right(app_config: dict,
                                             request: pytest.FixtureRequest) -> None:
    from views_helpers import make_user

    app_config["GROUP_PERMISSIONS"] = {"user": {"upload": False}, "sysop": {"upload": False}}
    app = request.getfixturevalue("app")
    make_user(app, "Bibliothécaire", groups=("sysop",))
    report = _import(app, GOOD, importer="Bibliothécaire")
    assert report.uploads_refused == 2 and report.imported == 1
    assert "Bibliothécaire may not upload this file here" in str(report.problems[0])
    with _session(app) as s:
        assert s.scalar(select(func.count()).select_from(Image)) == 0
    assert _import(app, GOOD).uploads_imported == 2  # the command line is trusted


def test_dry_run_checks_uploads_and_writes_nothing(app) -> None:
    report = _import(app, BAD, dry_run=True)
    assert report.uploads_refused == 7 and "SHA-1 mismatch" in " ".join(map(str, report.problems))
    report = _import(app, GOOD, dry_run=True)
    assert report.uploads_imported == 2 and "files: would import 2 of 2" in report.summary()
    with _session(app) as s:
        assert s.scalar(select(func.count()).select_from(Image)) == 0
    with app.app_context():
        assert not get_storage().exists(public_key("Plan_du_quartier.png"))


def test_progress_is_reported_while_importing_files_and_logs(app) -> None:
    seen: list[tuple[str, int, int]] = []

    def progress(report, phase):  # type: ignore[no-untyped-def]
        seen.append((phase, report.uploads, report.log_items))

    with app.app_context():
        import_dump(app, GOOD, ImportOptions(refresh_links=False, update_search=False,
                                             batch_revisions=2), progress)
    importing = [s for s in seen if s[0] == "importing"]
    assert [u for _p, u, _l in importing if u] [:2] == [1, 2]  # after each file version
    assert [logs for _p, _u, logs in importing if logs][:2] == [2, 4]  # each log batch


@pytest.mark.parametrize("raw,kind,expected", [
    ('a:2:{s:9:"4::target";s:3:"Foo";s:10:"5::noredir";s:1:"1";}', "move",
     {"target": "Foo", "noredir": True}),
    ("Foo\n0", "move", {"target": "Foo", "noredir": False}),
    ('a:1:{s:6:"groups";a:2:{i:0;s:5:"sysop";i:1;s:3:"bot";}}', "rights",
     {"groups": ["sysop", "bot"]}),
    ("", "delete", {}),
])
def test_log_params_are_read(raw: str, kind: str, expected: dict) -> None:
    assert decode_params(raw, kind) == expected


@pytest.mark.parametrize("raw", ['a:1:{s:1:"x";O:8:"stdClass":0:{}}', 'a:9:{s:1:"x";}',
                                 "a:1:{" * 5000 + "}"])
def test_bad_log_params_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        decode_params(raw, "move")


@pytest.mark.parametrize("kind,params,keys", [
    ("move", {"target": "Rue de Siam", "noredir": False, "redirect_page": 3},
     ["4::target", "5::noredir", "redirect_page"]),
    ("block", {"duration": "2 weeks", "flags": "anononly", "blockId": 7},
     ["5::duration", "6::flags", "blockId"]),
    ("protect", {"description": "[edit=sysop]", "cascade": True},
     ["4::description", "5:bool:cascade"]),
])
def test_log_params_round_trip_with_mediawiki_keys(kind: str, params: dict,
                                                   keys: list[str]) -> None:
    import phpserialize

    raw = encode_params(params, kind)
    assert list(phpserialize.loads(raw.encode(), decode_strings=True)) == keys
    assert decode_params(raw, kind) == params


def test_base64_is_checked_strictly() -> None:
    text = GOOD.read_text("utf-8")
    broken = text.replace('<contents encoding="base64">', '<contents encoding="base64">=', 1)
    with DumpReader(io.BytesIO(broken.encode()), name="mem") as reader:
        first = next(r for r in reader if isinstance(r, UploadRecord))
    assert first.contents is None and "not valid base64" in (first.contents_error or "")


# -- export: --uploads --include-files --logs, and the round trip ------------------------
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "schema" / \
    "export-0.11-local.xsd"
MEDIAWIKI_EXTRAS = ("sha1base36", "rel", "contents")  # dumpBackup writes them, the XSD lacks


def _validate(data: bytes, strip: tuple[str, ...] = ()) -> etree._Element:
    require(SCHEMA.exists(), "../shared/corpus/schema", "the shared corpus beside the checkout")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    root = etree.fromstring(data)
    for name in strip:
        for elem in root.iter(f"{{*}}{name}"):
            elem.getparent().remove(elem)
    assert schema.validate(root), schema.error_log.filter_from_errors()[:3]
    return root


def _export(app, selection: Selection) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with app.app_context(), _session(app) as session:
        export_dump(app, session, out, selection)
    return out.getvalue()


def test_export_with_files_and_logs_round_trips(app) -> None:
    originals = _embedded(GOOD)
    _import(app, GOOD)
    described = _export(app, Selection(namespaces=[6], full=True, uploads=True, logs=True))
    root = _validate(described)  # without the bytes: valid against the 0.11 XSD
    assert not root.findall(".//{*}contents")
    assert len(root.findall(".//{*}logitem")) == len(_logs(app))

    data = _export(app, Selection(namespaces=[6], full=True, include_files=True, logs=True))
    _validate(data, MEDIAWIKI_EXTRAS)  # everything else stays valid
    with DumpReader(io.BytesIO(data), name="export") as reader:
        records = list(reader)
    uploads = sorted((r for r in records if isinstance(r, UploadRecord)),
                     key=lambda u: u.timestamp)
    assert [(u.timestamp, u.contents, u.sha1base36, u.comment) for u in uploads] == [
        (o.timestamp, o.contents, o.sha1base36, o.comment) for o in originals]
    items = [r for r in records if isinstance(r, LogItemRecord)]
    stored = _logs(app)
    assert len(items) == len(stored)
    move = next(i for i in items if i.type == "move")
    assert move.title == "Rue de Siam (ancien)" and move.comment == "nom plus clair"
    assert decode_params(move.params, "move") == {"target": "Rue de Siam", "noredir": False}
    hidden = next(i for i in items if i.type == "delete")
    assert hidden.contributor.deleted and hidden.comment_deleted

    again = _import(app, io.BytesIO(data))  # our own export reads as the same data
    assert (again.uploads_imported, again.uploads_present, again.uploads_refused) == (0, 2, 0)
    assert (again.logs_imported, again.logs_refused) == (0, 0), again.problems
    assert _logs(app) == stored


def test_cli_import_then_export_with_files_and_logs(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from wikiengine.cli import main

    monkeypatch.setenv("WIKIENGINE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("WIKIENGINE_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(main, ["import-dump", str(GOOD)])
    assert result.exit_code == 0, result.output
    assert "files: imported 2 of 2 versions" in result.output
    assert "log: imported 3 of 4 entries, 1 already present" in result.output
    out = tmp_path / "files.xml"
    result = runner.invoke(main, ["export-dump", str(out), "--namespace", "6",
                                  "--include-files", "--logs"])
    assert result.exit_code == 0, result.output
    assert "entries" in result.output
    with DumpReader(out) as reader:
        records = list(reader)
    assert sorted(u.contents for u in records if isinstance(u, UploadRecord)) == \
        sorted(u.contents for u in _embedded(GOOD))
    assert len([i for i in records if isinstance(i, LogItemRecord)]) >= 4


def test_special_import_reports_files_and_log(app) -> None:
    from dumps import web
    from views_helpers import login, make_user, token

    web.init_app(app)
    admin = app.test_client()
    make_user(app, "Bibliothécaire", groups=("sysop",))
    login(admin, "Bibliothécaire")
    response = admin.post("/wiki/Spécial:Importation", data={
        "wpEditToken": token(admin, "/wiki/Spécial:Importation"), "usernamePrefix": "archive",
        "xmlimport": (io.BytesIO(BAD.read_bytes()), BAD.name)},
        content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:2000]
    assert "Fichiers : 0 versions importées sur 7 ; 0 déjà présentes ; 7 non importées." in body
    assert "Journal : 1 entrées importées sur 6" in body
    problems = body.split('id="import-problems"')[1]
    assert "SHA-1 mismatch" in problems and "unknown log type &#39;thanks&#39;" in problems


# MediaWiki 1.39's own output (the shared oracle): two versions of File:Carte_Brest.png
# uploaded with importImages.php, a page moved with moveBatch.php, then
# ``dumpBackup.php --full --uploads --include-files`` and ``dumpBackup.php --logs``
MW_FILES = FILES / "mediawiki-1.39-uploads-include-files.xml"
MW_LOGS = FILES / "mediawiki-1.39-logs.xml"


def test_mediawiki_dumps_with_files_and_logs_import(app) -> None:
    report = _import(app, MW_FILES)
    assert (report.uploads, report.uploads_imported) == (2, 2), report.problems
    assert not report.problems
    versions = _embedded(MW_FILES)
    with _session(app) as s:
        image = s.get(Image, "Carte_Brest.png")
        assert image is not None and image.sha1 == versions[1].sha1base36
        assert (image.width, image.height) == (7, 3)
        assert image.timestamp.isoformat() + "Z" == versions[1].timestamp
        (old,) = s.scalars(select(OldImage))
        assert old.sha1 == versions[0].sha1base36 and (old.width, old.height) == (5, 5)
    report = _import(app, MW_LOGS)
    assert (report.log_items, report.logs_refused) == (6, 0), report.problems
    # the two upload entries are those storing the files wrote
    assert (report.logs_imported, report.logs_present) == (4, 2)
    (move,) = _logs(app, type="move")
    assert move[3] == "Rue_de_Siam_(ancien)" and move[6] == {
        "target": "Rue de Siam", "noredir": False, "associated_rev_id": 5}
    assert (_import(app, MW_FILES).uploads_present, _import(app, MW_LOGS).logs_present) == (2, 6)


def test_special_export_can_embed_the_files(app) -> None:
    from dumps import web
    from views_helpers import token

    web.init_app(app)
    _import(app, GOOD)
    client = app.test_client()
    form = client.get("/wiki/Spécial:Exporter").get_data(as_text=True)
    assert 'name="files"' in form and "Inclure les fichiers des pages Fichier" in form
    fields = {"wpEditToken": token(client, "/wiki/Spécial:Exporter"),
              "pages": "Fichier:Plan du quartier.png"}
    plain = client.post("/wiki/Spécial:Exporter", data=fields)
    with_files = client.post("/wiki/Spécial:Exporter", data={**fields, "files": "1"})
    assert plain.status_code == with_files.status_code == 200
    assert b"<upload>" not in plain.data
    with DumpReader(io.BytesIO(with_files.data), name="web") as reader:
        uploads = [r for r in reader if isinstance(r, UploadRecord)]
    assert sorted(u.contents for u in uploads) == sorted(u.contents for u in _embedded(GOOD))


def test_upload_before_the_revisions_still_follows_its_page() -> None:
    text = GOOD.read_text("utf-8")
    first = text[text.index("    <upload>"):text.index("</upload>") + len("</upload>\n")]
    moved = text.replace(first, "").replace("    <revision>", first + "    <revision>", 1)
    with DumpReader(io.BytesIO(moved.encode()), name="mem") as reader:
        kinds = [type(r).__name__ for r in reader]
    assert kinds[:4] == ["PageRecord", "UploadRecord", "RevisionRecord", "UploadRecord"]
