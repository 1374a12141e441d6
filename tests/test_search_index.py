"""Tests for the search facade on a real wiki: the index follows committed saves, deletions,
moves, undeletions and redirects (never a rolled-back save), Go, prefix search, rebuilds."""
from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from wikiengine import search
from wikiengine.db import session_scope
from wikiengine.store import revisions, users
from wikiengine.title import Title

DATA = Path(__file__).resolve().parent / "data" / "search"


def save(app, title: str, text: str) -> None:
    with app.app_context(), session_scope(app) as session:
        user = users.get_user(session, "Bibliothécaire")
        revisions.save_page(session, Title.new(title), text, user, summary="test")


@pytest.fixture
def wiki(app):
    with session_scope(app) as session:
        users.create_user(session, "Bibliothécaire", "un mot de passe solide", groups=["sysop"])
    for page in json.loads((DATA / "wiki_pages.json").read_text()):
        save(app, page["title"], page["text"])
    assert search.flush(app=app)
    return app


def titles(app, text: str, **kwargs) -> list[str]:
    with app.app_context():
        return [hit.title for hit in search.search(text, **kwargs).hits]


def test_saved_pages_are_found_with_rendered_text_and_categories(wiki) -> None:
    assert titles(wiki, "recouvrance")[0] == "Recouvrance"
    assert titles(wiki, "eglise saint-sauveur") == ["Recouvrance"]
    assert set(titles(wiki, "incategory:quartier")) == {"Recouvrance", "Saint-Marc"}
    with wiki.app_context():
        results = search.search("tanguy")
    hit = results.hits[0]
    assert hit.title == "Tour Tanguy" and hit.size > 0 and hit.wordcount > 3
    assert hit.timestamp.endswith("Z")
    assert "<script>" not in hit.snippet  # rendered text is escaped again in snippets
    assert "'''" not in titles(wiki, "musée")  # markup is not indexed


def test_edit_updates_and_rollback_never_reaches_the_index(wiki) -> None:
    save(wiki, "Saint-Marc", "Saint-Marc possède un lavoir et une chapelle.")
    assert search.flush(app=wiki)
    assert "Saint-Marc" in titles(wiki, "chapelle")
    assert "Saint-Marc" not in titles(wiki, "XIXe")
    with wiki.app_context():
        session = wiki.extensions["db_sessionmaker"]()
        user = users.get_user(session, "Bibliothécaire")
        revisions.save_page(session, Title.new("Kerbonne"), "Le quartier de Kerbonne.", user)
        session.flush()
        session.rollback()
        session.close()
    assert search.flush(app=wiki)
    assert titles(wiki, "kerbonne") == []


def test_delete_move_undelete_follow(wiki) -> None:
    with wiki.app_context(), session_scope(wiki) as session:
        user = users.get_user(session, "Bibliothécaire")
        revisions.delete_page(session, Title.new("Tour Tanguy"), user, "test")
    assert search.flush(app=wiki)
    assert titles(wiki, "tanguy") == ["Recouvrance"]  # it mentions the tower; the tower is gone
    with wiki.app_context(), session_scope(wiki) as session:
        user = users.get_user(session, "Bibliothécaire")
        revisions.undelete_page(session, Title.new("Tour Tanguy"), user, "test")
    assert search.flush(app=wiki)
    assert titles(wiki, "tanguy") == ["Tour Tanguy", "Recouvrance"]
    with wiki.app_context(), session_scope(wiki) as session:
        user = users.get_user(session, "Bibliothécaire")
        revisions.move_page(session, Title.new("Saint-Marc"), Title.new("Saint-Marc (Brest)"),
                          user, "test")
    assert search.flush(app=wiki)
    with wiki.app_context():
        results = search.search("rattaché village")
        assert [h.title for h in results.hits] == ["Saint-Marc (Brest)"]
        # the old title is now a redirect: it is part of the moved page's document
        assert search.find_title("saint-marc").prefixed_text in ("Saint-Marc",
                                                                 "Saint-Marc (Brest)")
        found = search.prefix_search("saint-m")
        assert [f["title"] for f in found] == ["Saint-Marc (Brest)"]


def test_redirect_titles_belong_to_their_target(wiki) -> None:
    save(wiki, "Quartier de Recouvrance", "#REDIRECTION [[Recouvrance]]")
    assert search.flush(app=wiki)
    with wiki.app_context():
        results = search.search("quartier recouvrance")
        assert results.hits[0].title == "Recouvrance"
        assert results.hits[0].redirecttitle == "Quartier de Recouvrance"
        assert "Quartier de Recouvrance" not in [h.title for h in results.hits]
        found = search.prefix_search("quartier de r")
        assert found == [{"title": "Recouvrance", "namespace": 0, "page_id": found[0]["page_id"],
                          "redirect_from": "Quartier de Recouvrance"}]
    save(wiki, "Quartier de Recouvrance", "#REDIRECTION [[Penfeld]]")
    assert search.flush(app=wiki)
    with wiki.app_context():
        assert search.search("quartier recouvrance").hits[0].redirecttitle == ""


def test_go_finds_exact_then_case_and_accent_insensitive_titles(wiki) -> None:
    with wiki.app_context():
        assert search.find_title("Recouvrance").prefixed_text == "Recouvrance"
        assert search.find_title("EGLISE SAINT-LOUIS DE BREST").prefixed_text == \
            "Église Saint-Louis de Brest"
        assert search.find_title("modele:infobox quartier").prefixed_text == \
            "Modèle:Infobox Quartier"
        assert search.find_title("Nulle part") is None
        assert search.find_title("[[") is None


def test_prefix_search_namespaces_and_limits(wiki) -> None:
    with wiki.app_context():
        assert [f["title"] for f in search.prefix_search("sai")] == ["Saint-Marc"]
        assert [f["title"] for f in search.prefix_search("Modèle:Inf")] == [
            "Modèle:Infobox Quartier"]
        assert [f["title"] for f in search.prefix_search("inf", namespaces=[10])] == [
            "Modèle:Infobox Quartier"]
        assert len(search.prefix_search("", limit=2)) == 2
        assert search.prefix_search("x" * 10_000) == []


def test_namespaces_paging_counts_and_suggestion(wiki) -> None:
    with wiki.app_context():
        assert search.search("infobox", namespaces=[0]).total == 0
        assert titles(wiki, "infobox", namespaces=[10]) == ["Modèle:Infobox Quartier"]
        everything = search.search("brest", namespaces=None, limit=2)
        assert everything.total >= 5 and len(everything.hits) == 2
        second = search.search("brest", namespaces=None, limit=2, offset=2)
        assert not {h.title for h in everything.hits} & {h.title for h in second.hits}
        missed = search.search("recouvrence rives")
        assert missed.total == 0 and missed.suggestion == "recouvrance rives"


def test_bad_queries_never_raise(wiki) -> None:
    with wiki.app_context():
        for text in ['"lavoir', "AND", "*", "x" * 10_000, "lav\x00oir\x1b", "(((", "-"]:
            results = search.search(text)
            assert results.error or results.total >= 0
        assert search.search("x" * 10_000).error_code == "toolong"
        assert search.search("*").error_code == "empty"


def test_missing_index_is_rebuilt_with_a_notice(wiki) -> None:
    state = wiki.extensions["search"]
    state.backend.close()
    shutil.rmtree(wiki.config["SEARCH_INDEX_DIR"])
    with wiki.app_context():
        first = search.search("lavoir")
        assert "rebuilt" in first.notice
        assert search.flush(app=wiki)
        again = search.search("lavoir")
        assert again.notice == "" and again.hits[0].title == "Lavoir du Moulin-Blanc"


def test_corrupt_index_found_while_searching_is_rebuilt(wiki) -> None:
    state = wiki.extensions["search"]
    state.backend.close()
    folder = Path(wiki.config["SEARCH_INDEX_DIR"])
    for path in folder.iterdir():
        if path.suffix in (".seg", ".toc"):
            path.write_bytes(b"\x00broken")
    with wiki.app_context():
        results = search.search("lavoir")
        assert results.notice or results.error_code == "unavailable"
        assert search.flush(app=wiki)
        assert titles(wiki, "lavoir") == ["Lavoir du Moulin-Blanc"]


def test_garbled_postings_found_while_searching_are_rebuilt(wiki) -> None:
    """Segment files present and of the right size, their postings overwritten."""
    state = wiki.extensions["search"]
    state.backend.close()
    folder = Path(wiki.config["SEARCH_INDEX_DIR"])
    for path in folder.glob("*.pst"):
        size = path.stat().st_size
        path.write_bytes(b"\xa5" * size)
    with wiki.app_context():
        results = search.search("lavoir")
        assert results.error_code == "unavailable" and not results.hits
        assert search.flush(app=wiki)
        assert titles(wiki, "lavoir") == ["Lavoir du Moulin-Blanc"]


def test_rebuild_counts_pages_and_status(wiki) -> None:
    with wiki.app_context():
        count = search.rebuild()
        info = search.status()
    assert count == 7  # six pages and the main page
    assert info["documents"] == 7 and info["pending"] == 0 and not info["rebuilding"]


def test_saves_do_not_wait_for_a_locked_index(wiki) -> None:
    state = wiki.extensions["search"]
    writer = state.backend.open().writer()  # another process holding the index lock
    try:
        started = time.perf_counter()
        save(wiki, "Kerinou", "Le quartier de Kerinou.")
        assert time.perf_counter() - started < 5.0
        assert not search.flush(app=wiki, timeout=0.5)
    finally:
        writer.cancel()
    assert search.flush(app=wiki, timeout=30)
    assert titles(wiki, "kerinou") == ["Kerinou"]


def test_concurrent_searches_share_one_searcher(wiki) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                assert titles(wiki, "lavoir")[0] == "Lavoir du Moulin-Blanc"
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    save(wiki, "Kerinou", "Le lavoir de Kerinou.")
    for t in threads:
        t.join(30)
    assert not errors
    with wiki.app_context():
        first = wiki.extensions["search"].backend
        with first.searcher() as a, first.searcher() as b:
            assert a is b


def test_bulk_writes_of_an_importer_are_followed(wiki) -> None:
    """Rows written with ``session.execute(insert(Model), rows)`` (as the dump importer does)."""
    from sqlalchemy import insert, update

    from wikiengine.models import Content, Page, Revision

    with wiki.app_context(), session_scope(wiki) as session:
        actor = users.get_actor(session, users.get_user(session, "Bibliothécaire"))
        page_id = session.execute(insert(Page).returning(Page.page_id), [
            {"namespace": 0, "title": "Moulin_de_Kerhuon", "latest": 0, "len": 0}]).scalar_one()
        content_id = session.execute(insert(Content).returning(Content.content_id), [
            {"text": "Un moulin à marée sur l'Elorn.", "size": 30}]).scalar_one()
        session.execute(insert(Revision), [{"page_id": page_id, "actor_id": actor.actor_id,
                                            "content_id": content_id, "len": 30}])
        rev_id = session.scalar(Revision.__table__.select().with_only_columns(
            Revision.rev_id).where(Revision.page_id == page_id))
        session.execute(update(Page).where(Page.page_id == page_id).values(latest=rev_id))
    assert search.flush(app=wiki)
    assert titles(wiki, "moulin marée") == ["Moulin de Kerhuon"]


def test_editing_a_template_reindexes_the_pages_that_use_it(wiki) -> None:
    save(wiki, "Modèle:Horaires", "Ouvert le samedi matin.")
    save(wiki, "Marché de Saint-Martin", "Le marché. {{Horaires}}")
    assert search.flush(app=wiki)
    assert "Marché de Saint-Martin" in titles(wiki, "samedi", namespaces=[0])
    save(wiki, "Modèle:Horaires", "Ouvert le dimanche midi.")
    assert search.flush(app=wiki)
    assert titles(wiki, "dimanche", namespaces=[0]) == ["Marché de Saint-Martin"]
    assert titles(wiki, "samedi", namespaces=[0]) == []


def test_imported_pages_are_indexed(wiki) -> None:
    from dumps.loader import import_dump

    with wiki.app_context():
        report = import_dump(wiki, DATA / "import.xml")
    assert report is not None
    assert search.flush(app=wiki)
    with wiki.app_context():
        hits = search.search("fontaine lavoir", namespaces=[0]).hits
        assert [h.title for h in hits] == ["Fontaine de Kerangoff"]
        assert search.find_title("kerangoff").prefixed_text == "Kerangoff"
        assert [f["title"] for f in search.prefix_search("kerang")] == ["Fontaine de Kerangoff"]


def test_a_bug_while_searching_is_a_message_and_keeps_the_index(wiki, monkeypatch) -> None:
    backend = wiki.extensions["search"].backend

    def broken(*args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(backend, "search", broken)
    with wiki.app_context():
        results = search.search("lavoir")
    assert results.error_code == "failed" and results.hits == []
    assert not backend.needs_rebuild
    monkeypatch.undo()
    assert titles(wiki, "lavoir")[0] == "Lavoir du Moulin-Blanc"
