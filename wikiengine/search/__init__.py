"""Search: the facade every other part of the wiki calls (web views, API, CLI, importers).

Owns the public functions below and the per-app search state (``app.extensions["search"]``:
the Whoosh backend and the asynchronous writer). A scale-out backend (OpenSearch, as
MediaWiki's CirrusSearch uses Elasticsearch) would replace ``backend``/``indexer`` behind the
same functions.

- ``search(query, namespaces=None, limit=20, offset=0) -> Results`` — ranked full-text search
  (``namespaces`` None: all; syntax in ``query``: words all required, ``"phrase"``, ``-word``,
  ``OR``, ``pre*``, ``intitle:``, ``incategory:``);
  ``Results.total``, ``.hits`` (``Hit``: ``page_id``, ``namespace``, ``title`` (prefixed text),
  ``snippet`` and ``titlesnippet`` (HTML with ``<span class="searchmatch">``), ``score``,
  ``size`` (bytes), ``wordcount``, ``timestamp`` (ISO 8601 UTC), ``redirecttitle``), and
  ``.suggestion`` ("did you mean"), ``.error``/``.error_code`` (``toolong``, ``empty``: bad
  query; ``unavailable``: index damaged, being rebuilt; ``failed``: a logged bug), ``.notice``.
- ``prefix_search(prefix, namespaces=None, limit=10) -> list[dict]`` — titles starting with
  ``prefix`` (``namespaces`` None: the main namespace; a ``Modèle:`` prefix in the text wins),
  accents and case ignored: ``{"title", "namespace", "page_id", "redirect_from"}``.
- ``find_title(text) -> Title | None`` — the "Go" target: exact title, else a title or redirect
  equal to ``text`` ignoring case and accents.
- ``index_page(page)``, ``remove_page(page_id)``, ``update_pages(page_ids)`` — queue index work
  (saves need not call them: committed changes are followed automatically, see ``hooks``).
- ``rebuild(progress=None) -> int``, ``flush()``, ``status()``.

Every function takes an optional ``app`` (default: ``current_app``).
"""
from __future__ import annotations

import atexit
import logging
import re
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from flask import Flask, current_app

from . import analysis
from .backend import CORRUPTION, WhooshBackend
from .document import Hit, Results, SearchDocument
from .indexer import Indexer
from .query import MAX_QUERY_LENGTH, QueryError, parse

__all__ = [
    "search", "prefix_search", "find_title", "index_page", "remove_page", "update_pages",
    "rebuild", "flush", "status", "Results", "Hit", "SearchDocument", "QueryError",
    "MAX_QUERY_LENGTH", "init_app",
]

log = logging.getLogger(__name__)

#: Largest page of results and deepest offset served (MediaWiki caps these too).
MAX_LIMIT = 500
MAX_OFFSET = 10_000

DEFAULTS: dict[str, Any] = {
    "SEARCH_RENDER": True,        # index rendered text (False: wikitext stripped of markup)
    "SEARCH_LANGUAGE": None,      # analysis language; None: the content language LANGUAGE
    "SEARCH_CACHE_MB": 96,        # decoded postings kept in memory per process (search.arrays)
}


@dataclass
class SearchState:
    backend: WhooshBackend
    indexer: Indexer


def _state(app: Flask | None = None) -> SearchState:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    state: SearchState | None = app.extensions.get("search")
    if state is None:
        raise RuntimeError("wikiengine.search.init_app(app) has not run for this app")
    return state


def _ready(state: SearchState) -> str:
    """Open the index; schedule a rebuild when it had to be recreated. Returns a notice."""
    state.backend.open()
    if state.backend.needs_rebuild and not state.indexer.rebuilding:
        state.indexer.request_rebuild()
    if state.indexer.rebuilding or state.backend.needs_rebuild:
        return "The search index is being rebuilt; results may be incomplete for a while."
    return ""


# -- queries ---------------------------------------------------------------------------
def search(query: str, *, namespaces: Iterable[int] | None = None, limit: int = 20,
           offset: int = 0, snippets: bool = True, suggest: bool = True,
           app: Flask | None = None) -> Results:
    """Full-text search; never raises for bad input (see ``Results.error``).

    :param namespaces: namespace numbers to search; None means all.
    """
    state = _state(app)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, min(int(offset), MAX_OFFSET))
    results = Results(query=query, offset=offset)
    try:
        parsed = parse(query, state.backend.schema)
    except QueryError as exc:
        results.error, results.error_code = exc.message, exc.code
        return results
    results.query = parsed.text
    nslist = None if namespaces is None else sorted(set(int(n) for n in namespaces))
    try:
        results.notice = _ready(state)
        results.total, results.hits = state.backend.search(
            parsed.ranked(), namespaces=nslist, limit=limit, offset=offset,
            snippets=snippets)
        if suggest and results.total == 0:
            results.suggestion = _suggestion(state, parsed.text, nslist)
    except Exception as exc:  # never a 500: a damaged index is rebuilt, a bug is logged
        results.hits, results.total = [], 0
        if _damaged(state, exc):
            results.error_code = "unavailable"
            results.error = ("The search index was damaged and is being rebuilt; "
                             "please search again in a moment.")
        else:
            results.error_code = "failed"
            results.error = "The search failed; the error has been logged for the administrators."
    return results


def _damaged(state: SearchState, exc: Exception) -> bool:
    """Rebuild the index when ``exc`` says its files are damaged (True); otherwise log it."""
    if not isinstance(exc, CORRUPTION):
        log.exception("search: query failed")
        return False
    log.exception("search: the index could not be read (%s)", exc)
    state.backend.reset(f"the search index {state.backend.path} could not be read")
    state.indexer.request_rebuild()
    return True


_SUGGEST_WORD = re.compile(analysis.WORD)
_OPERATOR_WORDS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def _suggestion(state: SearchState, text: str, namespaces: list[int] | None) -> str:
    """``text`` with unknown words replaced by close known ones, if that query finds pages."""
    spans: list[tuple[int, int, str]] = []
    for match in _SUGGEST_WORD.finditer(text):
        if match.group(0) in _OPERATOR_WORDS or text[match.end():match.end() + 1] == ":":
            continue
        words = analysis.words(match.group(0), state.backend.language)
        if len(words) == 1:
            word = words[0]
            start = match.start() + match.group(0).lower().rfind(word)
            spans.append((start, start + len(word), word))
    if not spans:
        return ""
    fixed = state.backend.suggest([w for _, _, w in spans])
    if not fixed:
        return ""
    out, last = [], 0
    for (start, end, word), new in zip(spans, fixed):
        out.append(text[last:start])
        original = text[start:end]
        out.append(new.capitalize() if original[:1].isupper() and new != word else
                   (original if new == word else new))
        last = end
    out.append(text[last:])
    suggestion = "".join(out)
    try:
        parsed = parse(suggestion, state.backend.schema)
        total, _hits = state.backend.search(parsed.ranked(), namespaces=namespaces,
                                            limit=1, offset=0, snippets=False)
    except QueryError:
        return ""
    return suggestion if total else ""


def _namespaces(app: Flask):  # type: ignore[no-untyped-def]
    from .pages import site_namespaces

    return site_namespaces(app)


def prefix_search(prefix: str, *, namespaces: Iterable[int] | None = None, limit: int = 10,
                  app: Flask | None = None) -> list[dict[str, Any]]:
    """Titles starting with ``prefix`` (case and accents ignored), exact match first.

    A namespace prefix in ``prefix`` (``Modèle:Inf``) wins over ``namespaces`` (default: 0).
    Pages found through a redirect are returned once, with ``redirect_from`` set.
    """
    from .query import clean

    state = _state(app)
    app = state.indexer.app
    try:
        text = clean(prefix)
    except QueryError:
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    ns = _namespaces(app)
    spaces = list(namespaces) if namespaces is not None else [0]
    head, sep, rest = text.partition(":")
    number = ns.lookup(head) if sep else None
    if number is not None and number >= 0:
        spaces, text = [number], rest.lstrip()
    try:
        _ready(state)
        found: list[dict[str, Any]] = []
        for number in spaces:
            name = ns.name(number)
            key = f"{name}:{text}" if name else text
            for fields in state.backend.prefix(key, [number], limit):
                found.append(_prefix_hit(fields, key))
    except Exception as exc:
        _damaged(state, exc)
        return []
    found.sort(key=lambda f: (not f["exact"], analysis.fold(f["title"])))
    for entry in found:
        del entry["exact"]
    return found[:limit]


def _prefix_hit(fields: dict[str, Any], key: str) -> dict[str, Any]:
    folded = analysis.fold_word(re.sub(r"[\s_]+", " ", key).lstrip())
    title = fields.get("prefixed") or fields["title"]
    redirect_from = None
    if not analysis.fold(title).startswith(folded):
        for line in (fields.get("redirects") or "").split("\n"):
            if analysis.fold(line).startswith(folded):
                redirect_from = line
                break
    matched = redirect_from or title
    return {"title": title, "namespace": int(fields["namespace"]),
            "page_id": int(fields["page_id"]), "redirect_from": redirect_from,
            "exact": analysis.fold(matched) == analysis.fold(key)}


def find_title(text: str, *, app: Flask | None = None, session: Any = None):  # type: ignore[no-untyped-def]
    """The page "Go" jumps to: ``text`` itself if it exists, else the one page whose title or
    redirect equals ``text`` ignoring case and accents (preferring the main namespace).
    Returns a ``Title`` or None."""
    from ..title import InvalidTitle, Title
    from .query import clean

    state = _state(app)
    app = state.indexer.app
    ns = _namespaces(app)
    try:
        title = Title.new(clean(text), ns)
    except (InvalidTitle, QueryError):
        return None
    if title.interwiki or title.namespace < 0:
        return None
    if _exists(app, title, session):
        return title
    try:
        _ready(state)
        candidates = state.backend.titles_with_key(title.prefixed_text, None)
    except Exception as exc:
        _damaged(state, exc)
        return None
    if not candidates:
        return None
    candidates.sort(key=lambda f: (f.get("prefixed") != title.prefixed_text,
                                   f.get("namespace") != "0", f.get("prefixed", "")))
    best = candidates[0]
    return Title.make(int(best["namespace"]), best["title"].replace(" ", "_"), ns)


def _exists(app: Flask, title: Any, session: Any) -> bool:
    from sqlalchemy import select

    from ..models import Page

    query = select(Page.page_id).where(Page.namespace == title.namespace,
                                       Page.title == title.dbkey)
    if session is not None:
        return session.scalar(query) is not None
    from .hooks import worker_session

    with worker_session(app) as own:
        return own.scalar(query) is not None


# -- updates ---------------------------------------------------------------------------
def index_page(page: Any, *, app: Flask | None = None) -> None:
    """Queue ``page`` (a ``Page``, a page id, or a ``Title``) for reindexing from the database.

    Saves, deletions, moves and undeletions are followed automatically after commit; call this
    only for changes made outside the ORM session of the app (raw SQL, another database).
    """
    state = _state(app)
    if isinstance(page, int):
        state.indexer.enqueue([page])
    elif hasattr(page, "page_id"):
        state.indexer.enqueue([int(page.page_id)])
    else:
        state.indexer.enqueue(names=[(int(page.namespace), str(page.dbkey))])


def update_pages(page_ids: Iterable[int], *, app: Flask | None = None) -> None:
    """Queue many pages at once (an import batch): one index commit for all of them."""
    _state(app).indexer.enqueue([int(i) for i in page_ids])


def remove_page(page_id: int, *, app: Flask | None = None) -> None:
    """Queue the removal of ``page_id``'s document (no-op if the page exists again by then)."""
    _state(app).indexer.enqueue([int(page_id)])


def flush(*, app: Flask | None = None, timeout: float = 60.0) -> bool:
    """Wait until queued index work is written; False if ``timeout`` passed first."""
    return _state(app).indexer.flush(timeout)


def rebuild(*, app: Flask | None = None, progress: Any = None) -> int:
    """Rebuild the index from the database now, on this thread; returns the page count."""
    from .rebuilding import rebuild_index

    state = _state(app)
    state.backend.open()
    state.indexer.flush()
    return rebuild_index(state.indexer.app, state.backend, progress)


def status(*, app: Flask | None = None) -> dict[str, Any]:
    """``{"documents", "pending", "rebuilding", "message", "last_error", "path"}``."""
    state = _state(app)
    state.backend.open()
    return {"documents": state.backend.doc_count(), "pending": state.indexer.pending(),
            "rebuilding": state.indexer.rebuilding, "message": state.backend.message,
            "last_error": state.indexer.last_error, "path": str(state.backend.path)}


# -- set-up ----------------------------------------------------------------------------
def init_app(app: Flask) -> None:
    """Search state, the after-commit hooks, the Special:Search page and suggestions route."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    language = app.config.get("SEARCH_LANGUAGE") or app.config.get("LANGUAGE", "fr")
    backend = WhooshBackend(Path(app.config["SEARCH_INDEX_DIR"]), language,
                            cache_mb=float(app.config["SEARCH_CACHE_MB"]))
    indexer = Indexer(app, backend)
    app.extensions["search"] = SearchState(backend, indexer)
    from . import hooks, views

    hooks.install(app.extensions["db_sessionmaker"],
                  lambda ids, names: indexer.enqueue(ids, names))
    atexit.register(_flush_at_exit, weakref.ref(indexer))
    views.init_app(app)


def _flush_at_exit(ref: "weakref.ref[Indexer]") -> None:
    """A command that saved pages (import, bots) exits only once their index work is done."""
    indexer = ref()
    if indexer is not None and indexer.pending():
        indexer.flush(timeout=120.0)
