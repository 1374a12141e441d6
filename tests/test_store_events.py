"""Tests for wikiengine.store.events: extension events fire after the commit with the
documented payloads, never for a transaction that was rolled back."""
from __future__ import annotations

from typing import Any

import pytest

from wikiengine import db
from wikiengine.store import revisions, users
from wikiengine.title import Title


def test_events_after_commit_only(app) -> None:
    registry = app.extensions["registry"]
    heard: list[tuple[str, dict[str, Any]]] = []
    for name in ("page_saved", "page_deleted", "page_moved"):
        registry.on(name, lambda _n=name, **payload: heard.append((_n, payload)))
    with app.app_context(), db.session_scope(app) as s:
        admin = users.create_user(s, "Admin", "pw", groups=("sysop",))
        revisions.save_page(s, Title.new("Écoutée"), "v1", admin)
        assert heard == []  # not before the commit
    assert [(n, p["title"].dbkey, p["created"]) for n, p in heard] == [
        ("page_saved", "Écoutée", True)]
    assert heard[0][1]["revision"].rev_id == heard[0][1]["page"].latest
    heard.clear()
    with pytest.raises(RuntimeError):
        with app.app_context(), db.session_scope(app) as s:
            revisions.save_page(s, Title.new("Écoutée"), "v2", users.get_user(s, "Admin"))
            raise RuntimeError("rolled back")
    assert heard == []
    with app.app_context(), db.session_scope(app) as s:
        admin = users.get_user(s, "Admin")
        revisions.save_page(s, Title.new("Écoutée"), "v3", admin)  # null edits are silent too
        revisions.save_page(s, Title.new("Écoutée"), "v3", admin)
        revisions.move_page(s, Title.new("Écoutée"), Title.new("Entendue"), admin,
                            leave_redirect=False)
        revisions.delete_page(s, Title.new("Entendue"), admin)
    assert [n for n, _ in heard] == ["page_saved", "page_moved", "page_deleted"]
    moved = heard[1][1]
    assert (moved["old_title"].dbkey, moved["new_title"].dbkey) == ("Écoutée", "Entendue")
    assert heard[2][1]["title"].dbkey == "Entendue" and heard[2][1]["page_id"]
