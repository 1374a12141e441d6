"""Tests for wikiengine.store.watchlist's shared entry points (``set_watch``, ``is_watched``,
``watched_titles``) used by both the web views and the API: the talk page is paired with
its subject page, visitors and special pages are no-ops, and both callers write the same rows."""
from __future__ import annotations

from sqlalchemy import func, select

from wikiengine import db
from wikiengine.models import Watchlist
from wikiengine.store import users, watchlist
from wikiengine.title import Title


def test_set_watch_pairs_talk_page_and_unwatches_both(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as s:
        anna = users.create_user(s, "Anna", "pw")
        watchlist.set_watch(s, anna, Title.new("Discussion:Port"), True)
        assert [t.prefixed_text for t in watchlist.watched_titles(s, anna)] == [
            "Port", "Discussion:Port"]
        assert watchlist.is_watched(s, anna, Title.new("Port"))
        assert watchlist.is_watched(s, anna, Title.new("Discussion:Port"))
        assert not watchlist.is_watched(s, anna, Title.new("Recouvrance"))
        watchlist.set_watch(s, anna, Title.new("Port"), True)  # twice: no duplicate rows
        assert s.scalar(select(func.count()).select_from(Watchlist)) == 2
        watchlist.set_watch(s, anna, Title.new("Port"), False)
        assert watchlist.watched_titles(s, anna) == []
        assert not watchlist.is_watched(s, anna, Title.new("Discussion:Port"))


def test_set_watch_ignores_visitors_and_special_pages(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as s:
        anna = users.create_user(s, "Anna", "pw")
        visitor = users.anonymous("192.0.2.7")
        watchlist.set_watch(s, visitor, Title.new("Port"), True)
        watchlist.set_watch(s, anna, Title.new("Special:RecentChanges"), True)
        assert s.scalar(select(func.count()).select_from(Watchlist)) == 0
        assert not watchlist.is_watched(s, visitor, Title.new("Port"))
        assert not watchlist.is_watched(s, anna, Title.new("Special:RecentChanges"))
        assert watchlist.watched_titles(s, visitor) == []
