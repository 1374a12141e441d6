"""Whole-page cache for anonymous readers (MediaWiki's file cache / front-end cache role).

Owns keeping the finished HTML of ``/wiki/Title`` for visitors who are not logged in, per
worker process, keyed by everything the page shows: the title, the interface language, the
page's latest revision and ``page_touched`` (bumped by the store whenever the rendered page
may change: edits, template edits, link targets created or deleted, moves) and whether its
discussion page exists. One small query checks the key on each request, so a change saved
through any worker or machine is seen at once. Used only when anonymous visitors cannot edit
(the default), so the tabs they see depend on nothing else; never for redirects, old
revisions, File: pages (their file parts are live), query strings, flashed messages or
signed-in users.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

from flask import Flask, current_app, request, session
from sqlalchemy.engine import Engine
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..namespaces import FILE
from ..title import InvalidTitle, Title

_QUERY = ("SELECT page_namespace, page_latest, page_touched, page_is_redirect FROM page "
          "WHERE page_title = {0} AND page_namespace IN ({0}, {0})")
#: File pages show live parts (file history, pages using the file) beside their text.
UNCACHED_NAMESPACES = frozenset({FILE})
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
            and title.namespace >= 0 and title.namespace not in UNCACHED_NAMESPACES
            and not session.get("user_id")
            and "_flashes" not in session and not app.config.get("ANONYMOUS_EDIT")
            and not app.config.get("PRIVATE_WIKI") and not app.config.get("GROUP_PERMISSIONS"))

def key(title: Title) -> tuple[Any, ...] | None:
    """The cache key of ``title`` now, or None when the page is missing or a redirect."""
    from ..db import engine
    from ..i18n import select_locale

    return _lookup(engine(), title, select_locale())

def _lookup(eng: Engine, title: Title, locale: str) -> tuple[Any, ...] | None:
    subject = title.subject_page()
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
    return (title.namespace, title.dbkey, locale, own[0][1], str(own[0][2]), other)

def get(cache_key: tuple[Any, ...]) -> bytes | None:
    store = _store()
    return store.get(cache_key) if store is not None else None

def put(cache_key: tuple[Any, ...], body: bytes) -> None:
    store = _store()
    if store is not None:
        store.put(cache_key, body)

DEFAULT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: https:; object-src 'none'; base-uri 'self'; "
               "frame-ancestors 'self'; form-action 'self'")

HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("X-Content-Type-Options", "nosniff"),
           ("X-Frame-Options", "SAMEORIGIN"),
           ("Referrer-Policy", "strict-origin-when-cross-origin"),
           ("Vary", "Accept-Language, Cookie")]

class Middleware:
    """Answers cache hits before Flask sees the request: ``GET /wiki/Title`` (or ``/``) with
    no query string and no session cookie, for a canonical title. Anything else, and every
    miss, goes to the wiki app, which fills the cache."""

    def __init__(self, wsgi_app: Callable[..., Any], app: Flask, store: PageCache) -> None:
        from ..rendering import site_namespaces

        self.wsgi_app = wsgi_app
        self.store = store
        policy = str(app.config.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP))
        self.headers = HEADERS + ([("Content-Security-Policy", policy)] if policy else [])
        self.engine = app.extensions["db_engine"]
        self.cookie = str(app.config.get("SESSION_COOKIE_NAME", "session")) + "="
        self.languages = list(app.config.get("LANGUAGES", ["fr", "en"]))
        self.default = str(app.config.get("LANGUAGE", "fr"))
        with app.app_context():  # the same namespace table as the views use
            self.namespaces = site_namespaces()
        self.main_page = str(app.config.get("MAIN_PAGE", "Accueil"))

    def _title(self, environ: dict[str, Any]) -> Title | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        if self.cookie in environ.get("HTTP_COOKIE", ""):
            return None
        path = environ.get("PATH_INFO", "")
        try:
            path = path.encode("latin-1").decode("utf-8")
            if path in ("/", "/wiki/"):
                return Title.new(self.main_page, self.namespaces)
            if not path.startswith("/wiki/"):
                return None
            title = Title.new(path[6:], self.namespaces)
        except (UnicodeError, InvalidTitle):
            return None
        if title.prefixed_dbkey != path[6:] or title.namespace < 0 or title.interwiki \
                or title.namespace in UNCACHED_NAMESPACES:
            return None
        return title

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        title = self._title(environ)
        if title is not None:
            header = environ.get("HTTP_ACCEPT_LANGUAGE", "")
            locale = (parse_accept_header(header, LanguageAccept).best_match(self.languages)
                      if header else None) or self.default
            cache_key = _lookup(self.engine, title, locale)
            body = self.store.get(cache_key) if cache_key is not None else None
            if body is not None:
                start_response("200 OK", self.headers + [("Content-Length", str(len(body)))])
                return [body]
        return self.wsgi_app(environ, start_response)

def init_app(app: Flask) -> None:
    size = int(app.config.setdefault("PAGE_CACHE_BYTES", 64 * 1024 * 1024))
    if size > 0:
        app.extensions["page_cache"] = PageCache(size)

def install_middleware(app: Flask) -> None:
    """Put the cache in front of the app when anonymous pages may be cached at all."""
    store = app.extensions.get("page_cache")
    if store is None or app.config.get("ANONYMOUS_EDIT") or app.config.get("PRIVATE_WIKI") \
            or app.config.get("GROUP_PERMISSIONS"):
        return
    app.wsgi_app = Middleware(app.wsgi_app, app, store)  # type: ignore[method-assign]
