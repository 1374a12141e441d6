"""Whole-page cache for anonymous readers (MediaWiki's file cache / front-end cache role).

Owns keeping the finished HTML of ``/wiki/Title`` for visitors who are not logged in, per
worker process, keyed by everything the page shows: the title, the interface language, the
page's latest revision and ``page_touched`` (bumped by the store whenever the rendered page
may change: edits, template edits, link targets created or deleted, moves) and whether its
discussion page exists. One small query checks the key on each request, so a change saved
through any worker or machine is seen at once. Used only when anonymous visitors cannot edit
(the default), so the tabs they see depend on nothing else; never for redirects, old
revisions, query strings, flashed messages or signed-in users.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, current_app, request, session

from ..title import Title

_QUERY = ("SELECT page_namespace, page_latest, page_touched, page_is_redirect FROM page "
          "WHERE page_title = {0} AND page_namespace IN ({0}, {0})")
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class PageCache:
    """A thread-safe LRU of rendered pages bounded by total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: tuple[Any, ...], body: bytes) -> None:
        if len(body) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = body
            self._size += len(body)
            while self._size > self.max_bytes and self._items:
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)


def _store() -> PageCache | None:
    return current_app.extensions.get("page_cache")


def usable(title: Title) -> bool:
    """Whether this request may be answered from (or fill) the cache."""
    app = current_app
    return (_store() is not None and request.method == "GET" and not request.query_string
            and title.namespace >= 0 and not session.get("user_id")
            and "_flashes" not in session and not app.config.get("ANONYMOUS_EDIT")
            and not app.config.get("PRIVATE_WIKI") and not app.config.get("GROUP_PERMISSIONS"))


def key(title: Title) -> tuple[Any, ...] | None:
    """The cache key of ``title`` now, or None when the page is missing or a redirect."""
    from ..db import engine
    from ..i18n import select_locale

    subject = title.subject_page()
    eng = engine()
    sql = _QUERY.format(_MARKERS.get(eng.dialect.paramstyle, "?"))
    raw = eng.raw_connection()  # one plain query: this is the hot path of anonymous reads
    try:
        cursor = raw.cursor()
        cursor.execute(sql, (title.dbkey, subject.namespace, subject.namespace + 1))
        rows = cursor.fetchall()
        cursor.close()
    finally:
        raw.close()
    own = [r for r in rows if r[0] == title.namespace]
    if not own or own[0][3]:
        return None
    other = any(r[0] != title.namespace for r in rows)
    return (title.namespace, title.dbkey, select_locale(), own[0][1], str(own[0][2]), other)


def get(cache_key: tuple[Any, ...]) -> bytes | None:
    store = _store()
    return store.get(cache_key) if store is not None else None


def put(cache_key: tuple[Any, ...], body: bytes) -> None:
    store = _store()
    if store is not None:
        store.put(cache_key, body)


def init_app(app: Flask) -> None:
    size = int(app.config.setdefault("PAGE_CACHE_BYTES", 64 * 1024 * 1024))
    if size > 0:
        app.extensions["page_cache"] = PageCache(size)
