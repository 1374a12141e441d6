"""One import batch written in one transaction: the row-level half of the loader.

Owns the per-page state carried across batches (``PageState``: page id, newest revision,
revision ids already seen) and ``write_batch``: look up the batch's pages in one query, drop
revisions already present (same page, timestamp and sha1), create missing pages, resolve
actors, insert contents and revisions in bulk with parent ids following timestamp order,
move ``page_latest`` to the newest revision, and write one ``import`` log entry per finished
page. Nothing here commits.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, text, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wikiengine.models import Content, LogEntry, Page, Revision
from wikiengine.store._sql import insert_ignore
from wikiengine.store.revisions import is_redirect_text
from wikiengine.title import Title

from .actors import ActorResolver
from .records import RevisionRecord, base36_sha1

if TYPE_CHECKING:
    from .loader import ImportReport

_RANDOM = random.Random()  # page_random values, without touching the global generator
#: ``rev_deleted`` bits (MediaWiki's RevisionRecord::DELETED_*).
DELETED_TEXT, DELETED_COMMENT, DELETED_USER = 1, 2, 4


@dataclass
class RevisionRow:
    """A revision accepted for import, with what the database needs."""

    record: RevisionRecord
    timestamp: _dt.datetime
    actor_name: str
    model: str
    sha1: str = ""
    size: int = 0

    def __post_init__(self) -> None:
        assert self.record.text is not None
        raw = self.record.text.encode("utf-8")
        self.size = len(raw)
        self.sha1 = base36_sha1(raw)


@dataclass(eq=False)
class PageState:
    """A dump page while it is imported (it may span several batches)."""

    record_title: str
    title: Title | None
    line: int | None
    page_id: int | None = None
    known: bool = False          # looked up in the database
    created: bool = False        # created by this run
    latest_id: int = 0
    latest_ts: _dt.datetime | None = None
    latest_size: int = 0
    latest_model: str = "wikitext"
    latest_redirect: bool = False
    imported: int = 0
    counted: bool = False
    filtered: bool = False       # outside the chosen namespaces: skipped silently
    seen_ids: dict[int, int] = field(default_factory=dict)


@dataclass
class Batch:
    rows: list[tuple[PageState, RevisionRow]] = field(default_factory=list)
    finished: list[PageState] = field(default_factory=list)
    revisions: int = 0
    bytes: int = 0

    def add(self, state: PageState, row: RevisionRow) -> None:
        self.rows.append((state, row))
        self.revisions += 1
        self.bytes += row.size

    def finish(self, state: PageState) -> None:
        if state.title is not None:
            self.finished.append(state)

    def empty(self) -> bool:
        return not self.rows and not self.finished


def write_batch(session: Session, batch: Batch, actors: ActorResolver, importer_actor: int,
                report: "ImportReport", comment: str, now: _dt.datetime) -> None:
    """Write ``batch`` in the session's transaction (the caller commits)."""
    states = list(dict.fromkeys(state for state, _ in batch.rows))
    _load_pages(session, [s for s in states if not s.known])
    rows = _drop_present(session, batch.rows, report)
    if rows:
        # contents first: their insert opens the transaction (SQLite takes the write lock
        # here), so the savepoint around the page inserts nests inside it
        actor_ids = actors.resolve(session, {row.actor_name for _, row in rows})
        content_ids = list(session.execute(
            insert(Content).returning(Content.content_id, sort_by_parameter_order=True),
            [{"size": row.size, "sha1": row.sha1, "model": row.model,
              "text": row.record.text} for _, row in rows]).scalars())
        new = [s for s in dict.fromkeys(state for state, _ in rows) if s.page_id is None]
        if new:
            _create_pages(session, new, now)
        _insert_revisions(session, rows, actor_ids, content_ids)
        report.imported += len(rows)
        _update_pages(session, list(dict.fromkeys(s for s, _ in rows)), now)
    _log(session, batch.finished, importer_actor, report, comment, now)


def _load_pages(session: Session, states: list[PageState]) -> None:
    """Fill page id and newest revision of the pages that already exist."""
    for start in range(0, len(states), 300):
        chunk = states[start:start + 300]
        by_key = {(s.title.namespace, s.title.dbkey): s for s in chunk if s.title is not None}
        query = (select(Page.page_id, Page.namespace, Page.title, Page.latest, Page.len,
                        Page.is_redirect, Page.page_content_model, Revision.timestamp)
                 .outerjoin(Revision, Revision.rev_id == Page.latest)
                 .where(tuple_(Page.namespace, Page.title).in_(list(by_key))))
        for row in session.execute(query):
            state = by_key[(row.namespace, row.title)]
            state.page_id, state.latest_id, state.latest_ts = row.page_id, row.latest, row.timestamp
            state.latest_size, state.latest_redirect = row.len, row.is_redirect
            state.latest_model = row.page_content_model
        for state in chunk:
            state.known = True


def _drop_present(session: Session, rows: list[tuple[PageState, RevisionRow]],
                  report: "ImportReport") -> list[tuple[PageState, RevisionRow]]:
    """Rows whose revision is not in the database yet nor earlier in this batch."""
    known = [s for s in dict.fromkeys(s for s, _ in rows) if s.page_id is not None]
    found: set[tuple[int, _dt.datetime, str]] = set()
    for start in range(0, len(known), 200):
        pages = [s.page_id for s in known[start:start + 200]]
        wanted = {s.page_id for s in known[start:start + 200]}
        stamps = sorted({row.timestamp for s, row in rows if s.page_id in wanted})
        for first in range(0, len(stamps), 500):
            found.update((row[0], row[1], row[2]) for row in session.execute(
                select(Revision.page_id, Revision.timestamp, Revision.sha1).where(
                    Revision.page_id.in_(pages),
                    Revision.timestamp.in_(stamps[first:first + 500]))))
    seen: set[tuple[int, _dt.datetime, str]] = set()
    kept = []
    for state, row in rows:
        key = (id(state), row.timestamp, row.sha1)
        if key in seen or (state.page_id is not None
                           and (state.page_id, row.timestamp, row.sha1) in found):
            report.already_present += 1
            continue
        seen.add(key)
        kept.append((state, row))
    return kept


def _create_pages(session: Session, states: list[PageState], now: _dt.datetime) -> None:
    """Insert the new pages in one statement; if one was created meanwhile by someone else
    (unique title), fall back to one insert-or-lookup per page."""
    values = [{"namespace": s.title.namespace, "title": s.title.dbkey, "is_redirect": False,
               "is_new": True, "touched": now, "latest": 0, "len": 0,
               "random": _RANDOM.random(), "page_content_model": "wikitext"}
              for s in states if s.title is not None]
    try:
        with session.begin_nested():
            ids = list(session.execute(
                insert(Page).returning(Page.page_id, sort_by_parameter_order=True),
                values).scalars())
    except IntegrityError:
        for state in states:
            _create_page(session, state, now)
        return
    for state, page_id in zip(states, ids):
        state.page_id, state.created = page_id, True


def _create_page(session: Session, state: PageState, now: _dt.datetime) -> None:
    assert state.title is not None
    page_id = insert_ignore(session, Page, {
        "namespace": state.title.namespace, "title": state.title.dbkey, "is_redirect": False,
        "is_new": True, "touched": now, "latest": 0, "len": 0,
        "page_content_model": "wikitext"}, returning=Page.page_id)
    if page_id is None:  # created by someone else since the lookup
        state.known = False
        _load_pages(session, [state])
        return
    state.page_id, state.created = page_id, True


def _reserve_revision_ids(session: Session, count: int) -> list[int]:
    """``count`` new revision ids. PostgreSQL: from the sequence; SQLite: above the highest
    id, which is safe because the batch already holds the write lock (its first insert)."""
    if session.get_bind().dialect.name == "postgresql":
        ids = session.execute(text(
            "SELECT nextval(pg_get_serial_sequence('revision', 'rev_id')) "
            "FROM generate_series(1, :n)"), {"n": count}).scalars()
        return sorted(ids)
    top = session.scalar(select(func.max(Revision.rev_id))) or 0
    return list(range(top + 1, top + 1 + count))


def _predecessor(session: Session, state: PageState, when: _dt.datetime,
                 pending: list[tuple[_dt.datetime, int]]) -> int | None:
    """The revision just before ``when`` on the page: in the database or earlier in this
    batch (used only for revisions older than the page's newest)."""
    best: tuple[_dt.datetime, int] | None = None
    if state.page_id is not None:
        row = session.execute(
            select(Revision.timestamp, Revision.rev_id)
            .where(Revision.page_id == state.page_id, Revision.timestamp < when)
            .order_by(Revision.timestamp.desc(), Revision.rev_id.desc()).limit(1)).first()
        if row is not None:
            best = (row[0], row[1])
    for stamp, rev_id in pending:
        if stamp < when and (best is None or (stamp, rev_id) > best):
            best = (stamp, rev_id)
    return best[1] if best else None


def _insert_revisions(session: Session, rows: list[tuple[PageState, RevisionRow]],
                      actor_ids: dict[str, int], content_ids: list[int]) -> None:
    rev_ids = _reserve_revision_ids(session, len(rows))
    pending: dict[int, list[tuple[_dt.datetime, int]]] = {}
    values = []
    for (state, row), rev_id, content_id in zip(rows, rev_ids, content_ids):
        mine = pending.setdefault(id(state), [])
        if state.latest_ts is None or row.timestamp >= state.latest_ts:
            parent = state.latest_id or None
            state.latest_id, state.latest_ts, state.latest_size = rev_id, row.timestamp, row.size
            state.latest_model = row.model
            state.latest_redirect = row.model == "wikitext" and is_redirect_text(
                row.record.text or "")
        else:  # an older revision arriving late (MediaWiki's "interleaved" imports)
            parent = _predecessor(session, state, row.timestamp, mine)
        mine.append((row.timestamp, rev_id))
        rec = row.record
        deleted = (DELETED_COMMENT if rec.comment_deleted else 0) | (
            DELETED_USER if rec.contributor.deleted else 0)
        values.append({
            "rev_id": rev_id, "page_id": state.page_id, "parent_id": parent,
            "timestamp": row.timestamp, "actor_id": actor_ids[row.actor_name],
            "comment": rec.comment or "", "minor_edit": rec.minor, "deleted": deleted,
            "len": row.size, "sha1": row.sha1, "content_id": content_id})
        state.imported += 1
    session.execute(insert(Revision), values)


def _update_pages(session: Session, states: list[PageState], now: _dt.datetime) -> None:
    session.execute(update(Page), [{
        "page_id": s.page_id, "latest": s.latest_id, "len": s.latest_size,
        "is_redirect": s.latest_redirect, "is_new": s.created and s.imported == 1,
        "touched": now, "page_content_model": s.latest_model} for s in states])


def _log(session: Session, finished: list[PageState], importer_actor: int,
         report: "ImportReport", comment: str, now: _dt.datetime) -> None:
    entries = []
    for state in finished:
        if state.counted:
            continue
        state.counted = True
        if state.created:
            report.pages_created += 1
        elif state.imported:
            report.pages_updated += 1
        if state.imported and state.title is not None and state.page_id is not None:
            entries.append({
                "type": "import", "action": "upload", "timestamp": now,
                "actor_id": importer_actor, "namespace": state.title.namespace,
                "title": state.title.dbkey, "page_id": state.page_id, "comment": comment,
                "params": json.dumps({"count": state.imported, "source": report.source},
                                     ensure_ascii=False), "deleted": 0})
    if entries:
        session.execute(insert(LogEntry), entries)
