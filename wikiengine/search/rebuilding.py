"""Rebuilding the whole index from the database.

Owns reading every page in batches (keyset paging over ``page_id``), building its document and
streaming all of them into one Whoosh writer that replaces the old index at commit
(``mergetype=CLEAR``): searches keep using the old index until the new one is complete, and a
failed rebuild leaves the old index untouched.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Iterator

from flask import Flask

from .backend import WhooshBackend
from .document import SearchDocument

log = logging.getLogger(__name__)

Progress = Callable[[int, float], None]


def documents(app: Flask, progress: Progress | None = None) -> Iterator[SearchDocument]:
    """Every indexable page of ``app``'s database as a document, in page id order."""
    from .hooks import worker_session
    from . import pages

    started = time.monotonic()
    count = 0
    with app.app_context(), worker_session(app) as session:
        for ids in pages.all_page_ids(session, chunk=pages.BATCH):
            batch = pages.build(app, session, ids)
            session.expunge_all()
            for doc in batch.documents:
                count += 1
                yield doc
            if progress is not None:
                progress(count, time.monotonic() - started)


def rebuild_index(app: Flask, backend: WhooshBackend, progress: Progress | None = None) -> int:
    """Replace ``backend``'s content with every page of the database; returns the page count."""
    started = time.monotonic()
    count = backend.replace_all(documents(app, progress))
    log.info("search: index rebuilt with %d pages in %.1f s", count, time.monotonic() - started)
    return count
