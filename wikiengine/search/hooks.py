"""Following database changes: which pages a transaction touched, handed over after COMMIT.

Owns the SQLAlchemy session events on the app's sessionmaker. After each flush, the pages
touched by the rows written are noted in ``session.info`` — pages, revisions, archived
revisions (delete), redirects, category links, recent changes and log entries (save, delete,
move, undelete, import, protect) — including rows written with ``session.execute(insert(…))``.
``after_commit`` passes them to the writer queue; a rollback forgets them. The writer rereads
each page from the database, so only committed state is ever indexed. No store code calls us.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from ..models import Archive, CategoryLink, LogEntry, Page, RecentChange, Redirect, Revision

_KEY = "search_touched"
#: ``session.info`` flag of the writer's own sessions (what it writes, e.g. parser cache
#: rows while rendering, must not queue more index work).
IGNORE = "search_ignore"

#: Table name → the columns naming a page id in rows written with Core-style statements.
_ID_COLUMNS = {
    "page": ("page_id",), "revision": ("rev_page", "page_id"),
    "archive": ("ar_page_id", "page_id"), "redirect": ("rd_from",),
    "categorylinks": ("cl_from", "from_id"), "recentchanges": ("rc_cur_id", "page_id"),
    "logging": ("log_page", "page_id"),
}
_NAME_COLUMNS = {  # (namespace, title) keys: column names, then ORM attribute names
    "recentchanges": (("rc_namespace", "rc_title"), ("namespace", "title")),
    "logging": (("log_namespace", "log_title"), ("namespace", "title")),
    "archive": (("ar_namespace", "ar_title"), ("namespace", "title")),
    "page": (("page_namespace", "page_title"), ("namespace", "title")),
}


def _touched(session: Session) -> tuple[set[int], set[tuple[int, str]]]:
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = (set(), set())
    return found


def _note(session: Session, obj: Any) -> None:
    ids, names = _touched(session)
    page_id: int | None = None
    name: tuple[int, str] | None = None
    if isinstance(obj, Page):
        page_id, name = obj.page_id, (obj.namespace, obj.title)
    elif isinstance(obj, Revision):
        page_id = obj.page_id
    elif isinstance(obj, Archive):
        page_id, name = obj.page_id, (obj.namespace, obj.title)
    elif isinstance(obj, Redirect):
        page_id = obj.rd_from
    elif isinstance(obj, CategoryLink):
        page_id = obj.from_id
    elif isinstance(obj, (RecentChange, LogEntry)):
        page_id, name = obj.page_id, (obj.namespace, obj.title)
    if page_id:
        ids.add(int(page_id))
    if name and name[1]:
        names.add((int(name[0]), str(name[1])))


def _after_flush(session: Session, _context: Any) -> None:
    for group in (session.new, session.dirty, session.deleted):
        for obj in group:
            _note(session, obj)


def _on_execute(state: ORMExecuteState) -> None:
    """Rows written by ``session.execute(insert/update/delete(Model)…)`` (bulk writes)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    tname = getattr(table, "name", "")
    if tname not in _ID_COLUMNS:
        return
    ids, names = _touched(state.session)
    rows: list[dict[str, Any]] = []
    params = state.parameters
    if isinstance(params, dict):
        rows.append(params)
    elif isinstance(params, (list, tuple)):
        rows.extend(p for p in params if isinstance(p, dict))
    try:
        compiled = state.statement.compile()
        rows.append(dict(compiled.params))
    except Exception:  # a statement that cannot compile without a dialect: params suffice
        pass
    for row in rows:
        for key, value in row.items():
            base = key.rsplit("_", 1)[0] if key[-1:].isdigit() else key
            if base in _ID_COLUMNS[tname] and isinstance(value, int) and value > 0:
                ids.add(value)
        for ns_key, title_key in _NAME_COLUMNS.get(tname, ()):
            if isinstance(row.get(ns_key), int) and isinstance(row.get(title_key), str):
                names.add((row[ns_key], row[title_key]))


@contextmanager
def worker_session(app: Flask) -> Iterator[Session]:
    """A session for the index writer: commits at the end, never queues index work."""
    session = app.extensions["db_sessionmaker"](info={IGNORE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def install(maker: sessionmaker, deliver: Callable[[set[int], set[tuple[int, str]]], None]) -> None:
    """Listen on sessions made by ``maker``; ``deliver(ids, names)`` runs after each commit."""

    def after_commit(session: Session) -> None:
        found = session.info.pop(_KEY, None)
        if found and (found[0] or found[1]) and not session.info.get(IGNORE):
            deliver(found[0], found[1])

    def after_rollback(session: Session) -> None:
        session.info.pop(_KEY, None)

    event.listen(maker, "after_flush", _after_flush)
    event.listen(maker, "do_orm_execute", _on_execute)
    event.listen(maker, "after_commit", after_commit)
    event.listen(maker, "after_rollback", after_rollback)
