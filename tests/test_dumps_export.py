"""Exporting from the database: XSD-valid schema 0.11, read by mwxml exactly as stored,
selections (namespace, category, titles, date, templates, files), and the round trip
export(import(x)) == x as a Hypothesis property."""
from __future__ import annotations

import datetime as _dt
import io
import itertools
from pathlib import Path

import mwxml
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree
from sqlalchemy import select

from conftest import require
from dumps.export import Selection, export_dump, site_info
from dumps.loader import ImportOptions, import_dump
from dumps.reader import DumpReader
from dumps.records import Contributor, PageRecord, RevisionRecord, SiteInfo
from dumps.writer import DumpWriter
from wikiengine.models import Actor, Content, Image, Page, Revision
from wikiengine.rendering import file_url_parts
from wikiengine.store.revisions import is_redirect_text
from wikiengine.title import InvalidTitle, Title

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dumps"
SCHEMA = ROOT.parent / "shared" / "corpus" / "schema" / "export-0.11-local.xsd"
DATA = Path(__file__).parent / "data" / "dumps"


def _export(app, selection: Selection) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        export_dump(app, session, out, selection)
    return out.getvalue()


def _validate(data: bytes) -> None:
    require(SCHEMA.exists(), "../shared/corpus/schema", "the shared corpus beside the checkout")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(etree.fromstring(data)), schema.error_log.filter_from_errors()[:3]


def _titles(data: bytes) -> list[str]:
    with DumpReader(io.BytesIO(data), name="export") as reader:
        return [page.title for page, _ in reader.pages()]


@pytest.fixture
def history(app):  # type: ignore[no-untyped-def]
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")
    with app.app_context():
        import_dump(app, CORPUS / "aawiki-20260101-pages-meta-history.xml.bz2",
                    ImportOptions(refresh_links=False))
    return app


def test_full_export_is_valid_and_mwxml_sees_the_database(history) -> None:
    app = history
    data = _export(app, Selection(full=True))
    _validate(data)
    seen = []
    dump = mwxml.Dump.from_file(io.BytesIO(data))
    # the database's name: wiki.db on SQLite, the database of the URL on PostgreSQL
    assert dump.site_info.dbname == app.config["DATABASE_URL"].rsplit("/", 1)[-1].split(".")[0]
    for page in dump:
        for rev in page:
            seen.append((page.id, page.namespace, rev.id, rev.parent_id, str(rev.timestamp),
                         rev.user.text if rev.user else None, rev.minor, rev.comment or "",
                         rev.text or "", rev.sha1))
    with app.extensions["db_sessionmaker"]() as s:
        rows = s.execute(select(Page.page_id, Page.namespace, Revision, Content.text,
                                Actor.name)
                         .join(Revision, Revision.page_id == Page.page_id)
                         .join(Content, Content.content_id == Revision.content_id)
                         .join(Actor, Actor.actor_id == Revision.actor_id)
                         .order_by(Page.page_id, Revision.timestamp, Revision.rev_id)).all()
    expected = [(pid, ns, rev.rev_id, rev.parent_id,
                 rev.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"), name, rev.minor_edit,
                 rev.comment, text, rev.sha1) for pid, ns, rev, text, name in rows]
    assert len(seen) == 1308 and seen == expected


def test_current_only_and_selections(history, tmp_path: Path) -> None:
    app = history
    current = _export(app, Selection())
    _validate(current)
    with DumpReader(io.BytesIO(current), name="current") as reader:
        pages = list(reader.pages())
    assert len(pages) == 508 and all(len(revs) == 1 for _, revs in pages)
    with app.extensions["db_sessionmaker"]() as s:
        latest = {p.page_id: p.latest for p in s.scalars(select(Page))}
    assert all(revs[0].id == latest[page.id] for page, revs in pages)

    templates = _titles(_export(app, Selection(namespaces=[10])))
    assert templates and all(t.startswith("Modèle:") for t in templates)

    chosen = _titles(_export(app, Selection(titles=["Main Page", "nonexistent page",
                                                    "Bad|title"])))
    assert chosen == ["Main Page"]

    since = _dt.datetime(2020, 1, 1)
    recent = _export(app, Selection(full=True, since=since))
    _validate(recent)
    with DumpReader(io.BytesIO(recent), name="recent") as reader:
        stamps = [r.timestamp for r in reader if isinstance(r, RevisionRecord)]
    assert stamps and min(stamps) >= "2020-01-01T00:00:00Z"
    with app.extensions["db_sessionmaker"]() as s:
        assert len(stamps) == s.scalar(select(__import__("sqlalchemy").func.count())
                                       .select_from(Revision).where(Revision.timestamp >= since))


def test_category_templates_and_uploads(app) -> None:
    with app.app_context():
        import_dump(app, DATA / "bad-pages.xml", ImportOptions())
    # the category comes from the link tables rebuilt after the import
    assert _titles(_export(app, Selection(categories=["Imported"]))) == ["Good page"]
    with app.extensions["db_sessionmaker"]() as s:
        actor = s.scalar(select(Actor).where(Actor.name == "192.0.2.1"))
        s.add(Image(name="Plan.png", size=1234, description="Plan du quartier",
                    actor_id=actor.actor_id, timestamp=_dt.datetime(2024, 2, 1, 12, 0, 0)))
        s.add(Page(namespace=6, title="Plan.png", latest=0))
        s.commit()
    # the File page (created empty above) gets its description from a dump
    with app.app_context():
        import_dump(app, io.BytesIO(_file_page_dump()), ImportOptions(refresh_links=False))
    data = _export(app, Selection(namespaces=[6], uploads=True))
    _validate(data)
    root = etree.fromstring(data)
    upload = root.find("{*}page/{*}upload")
    assert upload.findtext("{*}filename") == "Plan.png"
    assert upload.findtext("{*}size") == "1234"
    assert upload.findtext("{*}src") == "http://127.0.0.1/images/" + file_url_parts("Plan.png")
    assert upload.findtext("{*}contributor/{*}ip") == "192.0.2.1"


def _file_page_dump() -> bytes:
    out = io.BytesIO()
    rev = RevisionRecord(id=1, timestamp="2024-02-01T12:00:00Z",
                         contributor=Contributor(ip="192.0.2.1"), text="Plan du quartier")
    with DumpWriter(out, SiteInfo()) as writer:
        writer.write_page(PageRecord(title="Fichier:Plan.png", ns=6, id=1), [rev])
    return out.getvalue()


def test_site_info_names_this_wiki(app) -> None:
    from wikiengine.namespaces import Namespaces

    info = site_info(app, Namespaces("fr", "Projet"))
    assert info.base.endswith("/wiki/Accueil") and info.generator.startswith("wikiengine")
    assert {n.key: n.name for n in info.namespaces}[10] == "Modèle"


# -- the round trip ----------------------------------------------------------------------
_counter = itertools.count()
_word = st.text("abcdéfghijklmnopqrstuvwxyzABCXYZ0123456789", min_size=1, max_size=8)
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                | st.sampled_from("\n\t\r<>&\"'[]{}|"), max_size=120).filter(
                    lambda t: not is_redirect_text(t))
_who = st.one_of(st.sampled_from(["192.0.2.1", "2001:db8::1"]).map(lambda ip: Contributor(ip=ip)),
                 _word.map(lambda w: Contributor(username=f"imported>{w.capitalize()}")))


@st.composite
def _dumps(draw) -> list[tuple[PageRecord, list[RevisionRecord]]]:  # type: ignore[no-untyped-def]
    pages = []
    for n in range(draw(st.integers(1, 3))):
        ns = draw(st.sampled_from([0, 10, 2]))
        prefix = {0: "", 10: "Modèle:", 2: "Utilisateur:"}[ns]
        name = f"{prefix}P{next(_counter)} {draw(_word)}"
        try:
            title = Title.new(name).prefixed_text
        except InvalidTitle:
            continue
        start = _dt.datetime(2020, 1, 1) + _dt.timedelta(minutes=draw(st.integers(0, 10_000)))
        revisions = []
        for i in range(draw(st.integers(1, 4))):
            stamp = start + _dt.timedelta(hours=i, seconds=draw(st.integers(0, 59)))
            revisions.append(RevisionRecord(
                id=n * 10 + i + 1, timestamp=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                contributor=draw(_who), text=draw(_text), minor=draw(st.booleans()),
                comment=draw(st.one_of(st.none(), _text.filter(lambda t: t.strip() == t and
                                                                 "\r" not in t and t)))))
        pages.append((PageRecord(title=title, ns=ns, id=n + 1), revisions))
    return pages


def _canonical(data: bytes) -> list[tuple]:
    """A dump without its ids: pages by title, revisions with the index of their parent."""
    out = []
    with DumpReader(io.BytesIO(data), name="dump") as reader:
        for page, revisions in reader.pages():
            index = {r.id: i for i, r in enumerate(revisions)}
            out.append((page.title, page.ns, [
                (r.timestamp, r.contributor.username, r.contributor.ip, r.minor,
                 r.comment or None, r.text, r.sha1, index.get(r.parent_id)) for r in revisions]))
    return sorted(out)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(x=_dumps())
def test_export_of_import_is_the_dump(app, x) -> None:  # type: ignore[no-untyped-def]
    if not x:
        return
    source = io.BytesIO()
    with DumpWriter(source, SiteInfo()) as writer:
        for page, revisions in x:
            for i, rev in enumerate(revisions):
                rev.parent_id = revisions[i - 1].id if i else None
            writer.write_page(page, revisions)
    with app.app_context():
        report = import_dump(app, io.BytesIO(source.getvalue()),
                             ImportOptions(refresh_links=False, update_search=False))
    assert not report.problems, report.problems
    exported = _export(app, Selection(full=True, titles=[p.title for p, _ in x]))
    _validate(exported)
    assert _canonical(exported) == _canonical(source.getvalue())
