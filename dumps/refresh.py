"""Derived data after an import: link tables and the search index of the imported pages.

Owns ``refresh_links``: every page whose ``page_touched`` is at or after the start of the
import and whose links were not rebuilt since is parsed once (STORE's ``parse_for_links``
and ``update_links``, the same code as ``wikiengine refresh-links``), in committed batches
walking page ids, so memory stays flat. And ``refresh_search``: the same pages handed to the
search facade (``wikiengine.search.update_pages``) a batch at a time, waiting for each batch
to be written so the index queue never holds more than one batch. The import's own sessions
are marked so the search hooks do not follow them row by row (``SEARCH_IGNORE``).
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Callable, Iterator

from flask import Flask
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wikiengine.models import Page
from wikiengine.title import Title

if TYPE_CHECKING:
    from .loader import ImportReport

BATCH = 100
#: ``session.info`` key that makes wikiengine.search's hooks ignore a session's writes.
SEARCH_IGNORE = "search_ignore"


def derived_session(app: Flask) -> Session:
    """A session whose commits the search hooks do not follow (we index in batches)."""
    return app.extensions["db_sessionmaker"](info={SEARCH_IGNORE: True})


def _touched_ids(session: Session, since: _dt.datetime, size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(session.scalars(select(Page.page_id).where(
            Page.page_id > last, Page.touched >= since).order_by(Page.page_id).limit(size)))
        if not ids:
            return
        last = ids[-1]
        yield ids


def refresh_links(session: Session, since: _dt.datetime,
                  progress: Callable[[Any, str], None] | None = None,
                  report: "ImportReport | None" = None) -> int:
    """Rebuild the link tables of the pages touched since ``since``; commits per batch.
    Returns the number of pages done."""
    from wikiengine import rendering
    from wikiengine.store import derived
    from wikiengine.store.revisions import page_text

    namespaces = rendering.site_namespaces()
    done = 0
    last = 0
    while True:
        pages = list(session.scalars(
            select(Page).where(Page.page_id > last, Page.touched >= since,
                               or_(Page.links_updated.is_(None), Page.links_updated < since))
            .order_by(Page.page_id).limit(BATCH)))
        if not pages:
            return done
        for page in pages:
            title = Title.make(page.namespace, page.title, namespaces)
            text = page_text(session, page) or ""
            output = rendering.parse_for_links(session, title, text)
            derived.update_links(session, page, title, output,
                                 derived.redirect_target(title, text, output))
            last = page.page_id
            done += 1
        session.commit()
        if progress is not None and report is not None:
            report.links_refreshed = done
            progress(report, "links")


def refresh_search(app: Flask, session: Session, since: _dt.datetime,
                   progress: Callable[[Any, str], None] | None = None,
                   report: "ImportReport | None" = None) -> int:
    """Queue the pages touched since ``since`` for the search index, one batch at a time,
    waiting for each; returns the number of pages (0 when search is not set up)."""
    if "search" not in app.extensions:
        return 0
    from wikiengine import search

    done = 0
    for ids in _touched_ids(session, since, 200):
        search.update_pages(ids, app=app)
        search.flush(app=app, timeout=600)
        done += len(ids)
        if progress is not None and report is not None:
            report.search_indexed = done
            progress(report, "search")
    return done
