"""Recent changes and the log: rows written by the save path and by every logged action
(delete, restore, move, protect, block, newusers, create), and the queries that list them.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wikiengine.models import (RC_EDIT, RC_LOG, RC_NEW, SRC_EDIT, SRC_LOG, SRC_NEW, Actor,
                               LogEntry, Page, RecentChange, Revision, UserGroup, utcnow)
from wikiengine.title import Title

#: MediaWiki's ``$wgRCMaxAge``: recent changes older than 90 days are purged.
RC_MAX_AGE = _dt.timedelta(days=90)


def log(session: Session, log_type: str, action: str, actor: Actor, title: Title,
        comment: str = "", params: dict[str, Any] | None = None, page_id: int | None = None,
        timestamp: _dt.datetime | None = None, bot: bool = False, rc: bool = True) -> LogEntry:
    """Write a ``logging`` row and (unless ``rc`` is False, as for page creations whose
    recent change is the edit itself) its recent-change row; returns the log entry."""
    from .revisions import normalize_summary

    when = timestamp or utcnow()
    comment = normalize_summary(comment)
    entry = LogEntry(type=log_type, action=action, timestamp=when, actor_id=actor.actor_id,
                     namespace=title.namespace, title=title.dbkey, page_id=page_id,
                     comment=comment, params=json.dumps(params or {}, ensure_ascii=False),
                     deleted=0)
    session.add(entry)
    session.flush()
    if not rc:
        return entry
    session.add(RecentChange(
        timestamp=when, actor_id=actor.actor_id, namespace=title.namespace, title=title.dbkey,
        comment=comment, minor=False, bot=bot, new=False, page_id=page_id or 0,
        this_oldid=0, last_oldid=0, type=RC_LOG, source=SRC_LOG, patrolled=1,
        ip=actor.name if actor.user_id is None else "", logid=entry.log_id,
        log_type=log_type, log_action=action, params=entry.params))
    return entry


def record_edit(session: Session, page: Page, revision: Revision, actor: Actor, *,
                old_len: int | None, bot: bool, new: bool) -> RecentChange:
    """The recent-change row of a saved revision (``rc_new`` for page creations)."""
    rc = RecentChange(
        timestamp=revision.timestamp, actor_id=actor.actor_id, namespace=page.namespace,
        title=page.title, comment=revision.comment, minor=revision.minor_edit, bot=bot,
        new=new, page_id=page.page_id, this_oldid=revision.rev_id,
        last_oldid=revision.parent_id or 0, type=RC_NEW if new else RC_EDIT,
        source=SRC_NEW if new else SRC_EDIT, patrolled=0,
        ip=actor.name if actor.user_id is None else "", old_len=old_len, new_len=revision.len,
        params="")
    session.add(rc)
    return rc


def log_params(entry: LogEntry) -> dict[str, Any]:
    """The decoded ``log_params`` of an entry ({} when empty or not JSON)."""
    try:
        value = json.loads(entry.params or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def recent_changes_query(*, namespaces: Iterable[int] | None = None, hide_minor: bool = False,
                         hide_bots: bool = True, hide_anons: bool = False,
                         hide_actor_id: int | None = None, since: _dt.datetime | None = None,
                         types: Iterable[int] | None = None) -> Select:
    """A ``SELECT recentchanges`` newest first, filtered like Special:RecentChanges."""
    query = select(RecentChange).order_by(RecentChange.timestamp.desc(), RecentChange.rc_id.desc())
    if namespaces is not None:
        query = query.where(RecentChange.namespace.in_(list(namespaces)))
    if hide_minor:
        query = query.where(RecentChange.minor.is_(False))
    if hide_bots:
        query = query.where(RecentChange.bot.is_(False))
    if hide_anons:
        query = query.where(RecentChange.actor_id.in_(
            select(Actor.actor_id).where(Actor.user_id.is_not(None))))
    if hide_actor_id is not None:
        query = query.where(RecentChange.actor_id != hide_actor_id)
    if since is not None:
        query = query.where(RecentChange.timestamp >= since)
    if types is not None:
        query = query.where(RecentChange.type.in_(list(types)))
    return query


def recent_changes(session: Session, limit: int = 50, offset: int = 0,
                   **filters: Any) -> list[RecentChange]:
    query = recent_changes_query(**filters).limit(limit).offset(offset)
    return list(session.scalars(query))


def log_entries(session: Session, log_type: str | None = None, title: Title | None = None,
                actor_id: int | None = None, limit: int = 50, offset: int = 0) -> list[LogEntry]:
    """Log entries newest first, optionally of one type, about one page or by one actor."""
    query = select(LogEntry).order_by(LogEntry.timestamp.desc(), LogEntry.log_id.desc())
    if log_type:
        query = query.where(LogEntry.type == log_type)
    if title is not None:
        query = query.where(LogEntry.namespace == title.namespace, LogEntry.title == title.dbkey)
    if actor_id is not None:
        query = query.where(LogEntry.actor_id == actor_id)
    return list(session.scalars(query.limit(limit).offset(offset)))


def is_bot_actor(session: Session, actor: Actor) -> bool:
    """True when the actor's user is in the ``bot`` group."""
    if actor.user_id is None:
        return False
    return session.scalar(select(UserGroup.group).where(
        UserGroup.user_id == actor.user_id, UserGroup.group == "bot")) is not None


def purge_old(session: Session, now: _dt.datetime | None = None) -> int:
    """Delete recent changes older than ``RC_MAX_AGE``; returns how many."""
    from sqlalchemy import delete

    cutoff = (now or utcnow()) - RC_MAX_AGE
    result = session.execute(delete(RecentChange).where(RecentChange.timestamp < cutoff))
    return result.rowcount or 0
