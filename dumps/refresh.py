"""Derived data after an import: link tables of the pages the import touched.

Owns ``refresh_links``: every page whose ``page_touched`` is at or after the start of the
import and whose links were not rebuilt since is parsed once (STORE's ``parse_for_links``
and ``update_links``, the same code as ``wikiengine refresh-links``), in committed batches,
walking page ids so memory stays flat. The search index follows these commits by itself.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wikiengine.models import Page
from wikiengine.title import Title

if TYPE_CHECKING:
    from .loader import ImportReport

BATCH = 100


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
