"""Watchlists: watching a page watches its talk page too (as in MediaWiki), unwatching
both; the recent changes of watched pages for Special:Watchlist and ``list=watchlist``.

The one watchlist implementation: the web views (watch/unwatch actions, the edit form,
Special:EditWatchlist) and the API (``watch``, ``watchlist=`` on writes) all call
``set_watch``/``is_watched``/``watched_titles`` here."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import Select, and_, delete, or_, select
from sqlalchemy.orm import Session

from wikiengine.models import RecentChange, User, Watchlist, utcnow
from wikiengine.namespaces import Namespaces
from wikiengine.title import Title

from ._sql import insert_ignore
from .changes import recent_changes_query
from .errors import InvalidInput


def _pair(title: Title) -> list[Title]:
    if title.namespace < 0:
        raise InvalidInput(f"{title.prefixed_text} cannot be watched.", code="invalidtitle")
    return [title.subject_page(), title.subject_page().talk_page()]


def watch(session: Session, user: User, title: Title,
          expiry: _dt.datetime | None = None) -> None:
    """Add ``title`` and its talk (or subject) page to the user's watchlist."""
    if user.user_id is None:
        raise InvalidInput("You must be logged in to watch pages.", code="notloggedin")
    for t in _pair(title):
        insert_ignore(session, Watchlist, {"user_id": user.user_id, "namespace": t.namespace,
                                           "title": t.dbkey, "expiry": expiry})
        if expiry is not None:
            row = session.scalar(select(Watchlist).where(
                Watchlist.user_id == user.user_id, Watchlist.namespace == t.namespace,
                Watchlist.title == t.dbkey))
            if row is not None:
                row.expiry = expiry


def unwatch(session: Session, user: User, title: Title) -> None:
    if user.user_id is None:
        return
    for t in _pair(title):
        session.execute(delete(Watchlist).where(
            Watchlist.user_id == user.user_id, Watchlist.namespace == t.namespace,
            Watchlist.title == t.dbkey))


def is_watching(session: Session, user: User, title: Title) -> bool:
    if user.user_id is None or title.namespace < 0:
        return False
    row = session.scalar(select(Watchlist).where(
        Watchlist.user_id == user.user_id, Watchlist.namespace == title.namespace,
        Watchlist.title == title.dbkey))
    return row is not None and (row.expiry is None or row.expiry > utcnow())


def watching_query(user: User, title: Title) -> Select[Any]:
    """``SELECT namespace, title`` of the user's unexpired row for ``title``'s subject page
    (for callers folding the watch state into a query of their own, like the skin's)."""
    subject = title.subject_page()
    return select(Watchlist.namespace, Watchlist.title).where(
        Watchlist.user_id == user.user_id, Watchlist.namespace == subject.namespace,
        Watchlist.title == subject.dbkey,
        or_(Watchlist.expiry.is_(None), Watchlist.expiry > utcnow()))


def is_watched(session: Session, user: User, title: Title) -> bool:
    """Whether the user watches ``title``'s subject page (so a talk page reads as watched
    when its article is, as MediaWiki pairs them); False for visitors and special pages."""
    if user.user_id is None or title.namespace < 0:
        return False
    return is_watching(session, user, title.subject_page())


def set_watch(session: Session, user: User, title: Title, watch_it: bool) -> None:
    """Watch or unwatch ``title`` and its talk/subject page (no commit). Does nothing for
    visitors and special pages, which have no watchlist rows (the callers' forms and the
    API answer those cases themselves)."""
    if user.user_id is None or title.namespace < 0:
        return
    if watch_it:
        watch(session, user, title)
    else:
        unwatch(session, user, title)
    session.flush()


def watched_titles(session: Session, user: User,
                   namespaces: Namespaces | None = None) -> list[Title]:
    """The titles on the user's watchlist, subject and talk pages alike, sorted."""
    return [Title.make(row.namespace, row.title, namespaces) for row in watched(session, user)]


def watched(session: Session, user: User) -> list[Watchlist]:
    """The user's watchlist rows, by namespace and title (Special:EditWatchlist)."""
    if user.user_id is None:
        return []
    return list(session.scalars(select(Watchlist).where(Watchlist.user_id == user.user_id)
                                .order_by(Watchlist.namespace, Watchlist.title)))


def watchlist_changes(session: Session, user: User, limit: int = 50, offset: int = 0,
                      **filters: Any) -> list[RecentChange]:
    """Recent changes to the pages ``user`` watches, newest first (same filters as
    ``changes.recent_changes_query``)."""
    if user.user_id is None:
        return []
    query = recent_changes_query(**filters).join(Watchlist, and_(
        Watchlist.namespace == RecentChange.namespace, Watchlist.title == RecentChange.title,
        Watchlist.user_id == user.user_id))
    return list(session.scalars(query.limit(limit).offset(offset)))
