"""Tests for wikiengine.store.changes and watchlist: recent changes rows and their filters
(minor, bots, anonymous, own edits, namespaces), log entries for every logged action,
watching pages with their talk pages, preferences."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.models import RC_LOG, RC_NEW, User
from wikiengine.store import blocks, changes, revisions, users, watchlist
from wikiengine.store.errors import InvalidInput
from wikiengine.title import Title


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


@pytest.fixture
def wiki(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    app.config["ANONYMOUS_EDIT"] = True
    with tx(app) as s:
        anna = users.create_user(s, "Anna", "pw")
        robot = users.create_user(s, "Robot", "pw", groups=("bot",))
        admin = users.create_user(s, "Admin", "pw", groups=("sysop",))
        revisions.save_page(s, Title.new("Port"), "v1", anna, summary="création")
        revisions.save_page(s, Title.new("Port"), "v2", anna, minor=True)
        revisions.save_page(s, Title.new("Port"), "v3", robot, bot=True)
        revisions.save_page(s, Title.new("Discussion:Port"), "?", users.anonymous("192.0.2.5"))
        return {"anna": anna.user_id, "robot": robot.user_id, "admin": admin.user_id}


def _rc(s: Session, **filters) -> list:  # type: ignore[no-untyped-def]
    """Recent changes of this test's pages (not the main page made by init)."""
    return [r for r in changes.recent_changes(s, limit=100, **filters) if r.title == "Port"]


def test_recent_changes_filters(app, wiki) -> None:
    with tx(app) as s:
        edits = _rc(s, types=[0, 1], hide_bots=False)
        assert len(edits) == 4 and edits[0].namespace == 1  # newest first
        assert [r.type for r in edits].count(RC_NEW) == 2
        assert len(_rc(s, types=[0, 1])) == 3
        assert len(_rc(s, types=[0, 1], hide_bots=False, hide_minor=True)) == 3
        anon = _rc(s, types=[0, 1], hide_bots=False, hide_anons=True)
        assert all(r.namespace == 0 for r in anon) and len(anon) == 3
        anna = users.get_actor(s, s.get(User, wiki["anna"]))
        mine_hidden = _rc(s, types=[0, 1], hide_bots=False, hide_actor_id=anna.actor_id)
        assert len(mine_hidden) == 2
        talk = changes.recent_changes(s, namespaces=[1], hide_bots=False)
        assert [r.ip for r in talk] == ["192.0.2.5"]
        assert changes.is_bot_actor(s, users.get_actor(s, s.get(User, wiki["robot"])))


def test_every_action_is_logged(app, wiki) -> None:
    with tx(app) as s:
        admin = s.get(User, wiki["admin"])
        revisions.protect_page(s, Title.new("Port"), admin, {"edit": "sysop"})
        revisions.move_page(s, Title.new("Port"), Title.new("Port de Brest"), admin)
        revisions.delete_page(s, Title.new("Port de Brest"), admin, "essai")
        revisions.undelete_page(s, Title.new("Port de Brest"), admin)
        blocks.block(s, "Anna", admin)
    with tx(app) as s:
        kinds = {(e.type, e.action) for e in changes.log_entries(s, limit=100)}
        assert {("create", "create"), ("newusers", "create"), ("protect", "protect"),
                ("move", "move"), ("delete", "delete"), ("delete", "restore"),
                ("block", "block")} <= kinds
        log_rcs = changes.recent_changes(s, types=[RC_LOG], limit=100)
        assert {r.log_type for r in log_rcs} >= {"delete", "move", "protect", "block"}
        assert "create" not in {r.log_type for r in log_rcs}
        creation = changes.log_entries(s, "create", Title.new("Port"))[0]
        assert creation.comment == "création" and changes.log_params(creation)["revid"]
        admin_actor = users.get_actor(s, s.get(User, wiki["admin"]))
        assert len(changes.log_entries(s, actor_id=admin_actor.actor_id, limit=100)) >= 5


def test_watchlist_with_talk_pages(app, wiki) -> None:
    with tx(app) as s:
        anna = s.get(User, wiki["anna"])
        watchlist.watch(s, anna, Title.new("Port"))
        assert watchlist.is_watching(s, anna, Title.new("Discussion:Port"))
        assert [(w.namespace, w.title) for w in watchlist.watched(s, anna)] == [(0, "Port"),
                                                                               (1, "Port")]
        rows = watchlist.watchlist_changes(s, anna, hide_bots=False)
        assert {r.namespace for r in rows} == {0, 1} and len(rows) == 4
        watchlist.unwatch(s, anna, Title.new("Discussion:Port"))
        assert watchlist.watched(s, anna) == []
        with pytest.raises(InvalidInput):
            watchlist.watch(s, users.anonymous("192.0.2.1"), Title.new("Port"))


def test_interface_language_preference(app, wiki) -> None:
    with tx(app) as s:
        users.set_option(s, s.get(User, wiki["anna"]), "language", "en")
    with tx(app) as s:
        assert s.get(User, wiki["anna"]).options == {"language": "en"}
        users.set_option(s, s.get(User, wiki["anna"]), "language", None)
    with tx(app) as s:
        assert s.get(User, wiki["anna"]).options == {}
