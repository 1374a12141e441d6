"""Importing dumps into the store: the real Wikimedia history, MediaWiki's own import
fixtures with their expected results, idempotence, resuming a killed import, bad input."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from conftest import require
from dumps.batch import write_batch
from dumps.export import Selection, export_dump
from dumps.loader import ImportOptions, import_dump
from dumps.records import DumpError, base36_sha1
from wikiengine.models import (Actor, CategoryLink, Content, LogEntry, Page, PageLink,
                               RecentChange, Revision)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dumps"
MW = CORPUS / "mediawiki-1.39-import-tests"
DATA = Path(__file__).parent / "data" / "dumps"
HISTORY = CORPUS / "aawiki-20260101-pages-meta-history.xml.bz2"


def _corpus() -> None:
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")


def _import(app, source, **options):  # type: ignore[no-untyped-def]
    with app.app_context():
        return import_dump(app, source, ImportOptions(**options))


def _session(app):  # type: ignore[no-untyped-def]
    return app.extensions["db_sessionmaker"]()


def _count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    with _session(app) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _check_invariants(app) -> None:  # type: ignore[no-untyped-def]
    """page_latest is the newest revision; parents chain by timestamp; sha1/len match."""
    with _session(app) as s:
        for page in s.scalars(select(Page)):
            revs = list(s.execute(select(Revision, Content).join(
                Content, Content.content_id == Revision.content_id)
                .where(Revision.page_id == page.page_id)
                .order_by(Revision.timestamp, Revision.rev_id)))
            assert revs, page
            newest = revs[-1][0]
            assert page.latest == newest.rev_id and page.len == newest.len
            for rev, content in revs:
                assert rev.sha1 == content.sha1 == base36_sha1(content.text)
                assert rev.len == content.size == len(content.text.encode("utf-8"))
            assert revs[0][0].parent_id is None
            keys = [(r.timestamp, r.sha1) for r, _ in revs]
            assert len(keys) == len(set(keys)), f"duplicate revisions in {page.title}"


def test_full_history_import(app) -> None:
    _corpus()
    base, changes = _count(app, Revision), _count(app, RecentChange)
    report = _import(app, HISTORY, refresh_links=False)
    assert (report.pages, report.revisions, report.imported) == (507, 1307, 1307)
    assert report.pages_created == 507 and report.skipped == 0 and not report.problems
    _check_invariants(app)
    with _session(app) as s:
        page = s.scalar(select(Page).where(Page.namespace == 0, Page.title == "Main_Page"))
        revs = list(s.scalars(select(Revision).where(Revision.page_id == page.page_id)
                              .order_by(Revision.timestamp)))
        # parents follow the history in order
        assert [r.parent_id for r in revs[1:]] == [r.rev_id for r in revs[:-1]]
        first = revs[0]
        assert first.timestamp.isoformat() == "2005-07-07T15:31:37"
        assert s.get(Actor, first.actor_id).name == "imported>Arde~aawiki"
        assert s.get(Actor, first.actor_id).user_id is None
        ips = s.scalar(select(func.count()).select_from(Actor).where(
            Actor.name.like("%.%.%.%"), Actor.user_id.is_(None)))
        assert ips > 0
        assert s.scalar(select(func.count()).select_from(Revision).where(
            Revision.minor_edit.is_(True))) > 0
        logs = list(s.scalars(select(LogEntry).where(LogEntry.type == "import")))
        assert len(logs) == 507 and {e.action for e in logs} == {"upload"}
        assert sum(__import__("json").loads(e.params)["count"] for e in logs) == 1307
        # no flood of recent changes: imported revisions are history, not new edits
        assert s.scalar(select(func.count()).select_from(RecentChange)) == changes
    again = _import(app, HISTORY, refresh_links=False)
    assert again.imported == 0 and again.already_present == 1307
    assert _count(app, Revision) == base + 1307
    assert _count(app, LogEntry, LogEntry.type == "import") == 507


def _mediawiki_fixture(tmp_path: Path, name: str, title: str) -> Path:
    path = tmp_path / name
    path.write_text((MW / name).read_text("utf-8").replace("{{page1_title}}", title), "utf-8")
    return path


def _export_page(app, title: str) -> etree._Element:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with app.app_context(), _session(app) as s:
        export_dump(app, s, out, Selection(full=True, titles=[title]))
    root = etree.fromstring(out.getvalue())
    pages = root.findall("{*}page")
    assert len(pages) == 1
    return pages[0]


def _shape(elem: etree._Element) -> tuple:
    children = [c for c in elem if isinstance(c.tag, str)]
    text = (elem.text or "") if not children else ""
    return (etree.QName(elem).localname, dict(elem.attrib), text,
            [_shape(c) for c in children])


def _expected(name: str, values: dict[str, str]) -> etree._Element:
    text = (MW / name).read_text("utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return etree.fromstring(text.encode("utf-8")).find("{*}page")


@pytest.mark.parametrize("fixture,imports", [
    ("Basic", ["Basic.import-1.xml"]),
    ("Dupes", ["Dupes.import-1.xml", "Dupes.import-2.xml"]),
])
def test_mediawiki_import_fixtures(app, tmp_path: Path, fixture: str, imports: list[str]) -> None:
    _corpus()
    title = f"{fixture} test page"
    for name in imports:
        _import(app, _mediawiki_fixture(tmp_path, name, title))
    with _session(app) as s:
        page = s.scalar(select(Page).where(Page.title == title.replace(" ", "_")))
        rev_ids = list(s.scalars(select(Revision.rev_id).where(Revision.page_id == page.page_id)
                                 .order_by(Revision.rev_id)))
    values = {"page1_title": title, "page1_namespace": "0", "page1_pageid": str(page.page_id)}
    values.update({f"page1_rev{i}_id": str(r) for i, r in enumerate(rev_ids, 1)})
    expected = _expected(f"{fixture}.expected.0.11.xml", values)
    assert _shape(_export_page(app, title)) == _shape(expected)


@pytest.mark.parametrize("fixture,message", [
    ("MissingMainTextField", "Missing text field in import."),
    ("MissingSlotTextField", "Missing text field in import."),
    ("MissingSlotRole", "Missing role for imported slot."),
    ("UndefinedSlotRole", "Undefined slot role 'unknownslotroletest'"),
    ("UndefinedContentModel", "Undefined slot role 'importfailuretest'"),
    ("Slots.import-1", "Undefined slot role 'importexporttest'"),
])
def test_mediawiki_failure_fixtures(app, tmp_path: Path, fixture: str, message: str) -> None:
    _corpus()
    name = fixture if fixture.endswith(".import-1") else fixture
    before = _count(app, Revision)
    report = _import(app, _mediawiki_fixture(tmp_path, f"{name}.xml", f"{fixture} page"))
    assert report.imported == 0 and report.skipped == 1
    assert message in str(report.problems[0])
    assert "revision 4" in str(report.problems[0]) and "line 33" in str(report.problems[0])
    assert _count(app, Revision) == before
    assert _count(app, Page, Page.title == f"{fixture}_page") == 0


@pytest.mark.parametrize("name", ["BadXML.xml", "MissingMediaWikiTag.xml"])
def test_malformed_files_leave_nothing_behind(app, name: str) -> None:
    _corpus()
    before = (_count(app, Page), _count(app, Revision), _count(app, Actor))
    with pytest.raises(DumpError) as info:
        _import(app, MW / name)
    assert info.value.line in (1, 3)
    assert (_count(app, Page), _count(app, Revision), _count(app, Actor)) == before


def test_truncated_history_leaves_nothing_behind(app, tmp_path: Path) -> None:
    _corpus()
    cut = tmp_path / "cut.xml.bz2"
    data = HISTORY.read_bytes()
    cut.write_bytes(data[: len(data) * 3 // 4])
    before = _count(app, Revision)
    with pytest.raises(DumpError, match="truncated"):
        _import(app, cut, batch_revisions=50)
    assert _count(app, Revision) == before


def test_interleaved_imports_chain_parents_by_timestamp(app) -> None:
    # MediaWiki's Interleaved fixture (main slot only): revisions arrive out of order
    for n in range(1, 8):
        _import(app, DATA / f"interleaved-{n}.xml")
    with _session(app) as s:
        page = s.scalar(select(Page).where(Page.title == "Interleaved"))
        revs = list(s.scalars(select(Revision).where(Revision.page_id == page.page_id)
                              .order_by(Revision.rev_id)))
        assert len(revs) == 7
        r1, r2, r3, r4, r5, r6, r7 = revs
        assert [r.parent_id for r in revs] == [None, r1.rev_id, r2.rev_id, r3.rev_id,
                                               r1.rev_id, r2.rev_id, r4.rev_id]
        assert page.latest == r7.rev_id
    for n in range(1, 8):  # all present already
        assert _import(app, DATA / f"interleaved-{n}.xml").imported == 0
    assert _count(app, Revision, Revision.page_id == page.page_id) == 7


def test_bad_pages_and_revisions_are_reported(app) -> None:
    application = app
    application.config["MAX_ARTICLE_SIZE"] = 60
    report = _import(application, DATA / "bad-pages.xml")
    reasons = [str(p) for p in report.problems]
    assert any("Module:Lua" in r and "namespace 828 (Module) does not exist" in r
               for r in reasons)
    assert any("Bad|Title" in r and "title-invalid-characters" in r for r in reasons)
    assert any("Template:Wrong namespace" in r and "namespace 10" in r for r in reasons)
    assert any("revision 41" in r and "duplicate revision id 41" in r for r in reasons)
    assert any("revision 42" in r and "'not-a-defined-model' is not registered" in r
               for r in reasons)
    assert any("revision 43" in r and "deleted on the source wiki" in r for r in reasons)
    assert any("revision 44" in r and "limit of 60" in r for r in reasons)
    assert report.imported == 3 and report.pages_created == 2
    with _session(application) as s:
        good = s.scalar(select(Page).where(Page.title == "Good_page"))
        names = [s.get(Actor, r.actor_id).name for r in s.scalars(
            select(Revision).where(Revision.page_id == good.page_id).order_by(Revision.rev_id))]
        assert names == ["192.0.2.1", "imported>Unknown user"]
        last = s.get(Revision, good.latest)
        assert last.minor_edit and last.comment == "last" and last.deleted == 4
        box = s.scalar(select(Page).where(Page.namespace == 10, Page.title == "Box"))
        assert box.is_redirect
        assert s.get(Actor, s.get(Revision, box.latest).actor_id).name == "other>Bob"
        # link tables were rebuilt after the import
        assert s.scalar(select(func.count()).select_from(CategoryLink).where(
            CategoryLink.from_id == good.page_id, CategoryLink.to == "Imported")) == 1
        assert s.scalar(select(func.count()).select_from(PageLink).where(
            PageLink.from_id == good.page_id, PageLink.title == "Link_target")) == 1
    # and the search index holds the imported pages
    if "search" in application.extensions:
        from wikiengine import search

        assert report.search_indexed >= 2
        with application.app_context():
            hits = search.search("Two", app=application).hits
        assert "Good page" in [hit.title for hit in hits]


def test_namespace_filter_prefix_user_map_and_dry_run(app, tmp_path: Path) -> None:
    from wikiengine.store import users

    dry = _import(app, DATA / "bad-pages.xml", dry_run=True)
    assert dry.imported == 4 and dry.dry_run and "would import" in dry.summary()
    assert _count(app, Page, Page.title == "Good_page") == 0
    with app.app_context(), _session(app) as s:
        users.create_user(s, "Alicia", "secret-password-1")
        s.commit()
    report = _import(app, DATA / "bad-pages.xml", namespaces=frozenset({10}), prefix="src",
                     user_map={"other>Bob": "Alicia"})
    assert report.imported == 1 and report.filtered == 4
    with _session(app) as s:
        box = s.scalar(select(Page).where(Page.namespace == 10, Page.title == "Box"))
        actor = s.get(Actor, s.get(Revision, box.latest).actor_id)
        assert actor.name == "Alicia" and actor.user_id is not None
    report = _import(app, DATA / "bad-pages.xml", namespaces=frozenset({0}), prefix="src")
    with _session(app) as s:
        names = set(s.scalars(select(Actor.name)))
        assert {"src>Unknown user", "src>Alice"} <= names and "imported>Alice" not in names


def test_interrupted_import_resumes(app, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus()
    calls = {"n": 0}

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt("killed")
        return write_batch(*args, **kwargs)

    base = _count(app, Revision)
    monkeypatch.setattr("dumps.loader.write_batch", failing)
    with pytest.raises(KeyboardInterrupt):
        _import(app, HISTORY, batch_revisions=100, refresh_links=False)
    partial = _count(app, Revision) - base
    assert 400 <= partial < 1307
    _check_invariants(app)
    monkeypatch.undo()
    report = _import(app, HISTORY, batch_revisions=100, refresh_links=False)
    assert report.imported + report.already_present == 1307
    assert _count(app, Revision) - base == 1307
    _check_invariants(app)


def test_killed_process_resumes(app, app_config: dict, tmp_path: Path) -> None:
    _corpus()
    base = _count(app, Revision)
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "from wikiengine import create_app\n"
        "from dumps.loader import import_dump, ImportOptions\n"
        f"app = create_app({app_config!r})\n"
        "with app.app_context():\n"
        f"    import_dump(app, {str(HISTORY)!r}, ImportOptions(batch_revisions=20,"
        " refresh_links=False))\n")
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.time() + 120
    try:
        while time.time() < deadline and proc.poll() is None:
            if _count(app, Revision) >= base + 200:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        proc.wait(60)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert 200 <= _count(app, Revision) - base < 1307
    _check_invariants(app)
    _import(app, HISTORY, refresh_links=False)
    assert _count(app, Revision) - base == 1307
    _check_invariants(app)


def test_upload_without_contents_is_reported_and_log_item_imported(app) -> None:
    report = _import(app, DATA / "upload-and-log.xml", refresh_links=False)
    assert report.imported == 1
    reasons = [str(p) for p in report.problems]
    assert len(reasons) == 1 and "line 12" in reasons[0]
    assert "only its address http://source.example/images/Plan.png: files are never " \
        "fetched from the network" in reasons[0]
    assert (report.log_items, report.logs_imported) == (1, 1)
    assert _count(app, LogEntry, LogEntry.type == "upload", LogEntry.title == "Plan.png") == 1
    with _session(app) as s:
        assert s.scalar(select(Page).where(Page.namespace == 6, Page.title == "Plan.png"))
