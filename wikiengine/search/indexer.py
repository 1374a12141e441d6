"""The single asynchronous index writer of one app: a queue and one thread.

Owns applying index changes after the database commits them, so that no save ever waits on
the index lock: callers ``enqueue`` page ids (or ``(namespace, dbkey)`` names for pages whose id
is unknown); the writer thread wakes, drains everything queued, rereads those pages from the
database (so it always indexes committed state, never a rolled-back one), and writes them in
one Whoosh commit. Rebuilds run on the same thread, so updates arriving meanwhile simply wait.
The thread stops after a few idle seconds and is restarted by the next ``enqueue``; ``flush``
waits until everything queued so far is in the index (tests, CLI commands, imports).
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable, Iterable

from flask import Flask
from whoosh.index import LockError

from .backend import WhooshBackend

log = logging.getLogger(__name__)

#: Seconds the writer thread waits for more work before it stops.
IDLE_SECONDS = 3.0

_REBUILD = "rebuild"
#: Pages written per index commit when much arrives at once (an import): bounded memory.
COMMIT_PAGES = 1000


class Indexer:
    """Queue of pending index work for ``app``'s ``backend``."""

    def __init__(self, app: Flask, backend: WhooshBackend):
        self.app = app
        self.backend = backend
        self._queue: queue.Queue[object] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Condition()
        self._submitted = 0
        self._finished = 0
        self.rebuilding = False
        self.last_error = ""

    # -- producers ---------------------------------------------------------------------
    def enqueue(self, page_ids: Iterable[int] = (), names: Iterable[tuple[int, str]] = ()) -> None:
        """Ask for ``page_ids`` and ``names`` to be reindexed from the database (or removed)."""
        ids, keys = frozenset(page_ids), frozenset(names)
        if ids or keys:
            self._put(("pages", ids, keys))

    def request_rebuild(self) -> None:
        """Rebuild the whole index from the database on the writer thread."""
        self.rebuilding = True
        self._put(_REBUILD)

    def _put(self, item: object) -> None:
        with self._lock:
            with self._done:
                self._submitted += 1
            self._queue.put(item)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="search-writer",
                                                daemon=True)
                self._thread.start()

    def flush(self, timeout: float = 60.0) -> bool:
        """Wait until all work queued before this call is written; False on timeout."""
        with self._done:
            target = self._submitted
            return self._done.wait_for(lambda: self._finished >= target, timeout)

    def pending(self) -> int:
        with self._done:
            return self._submitted - self._finished

    # -- the writer thread -------------------------------------------------------------
    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            items = [first]
            while True:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._process(items)
            with self._done:
                self._finished += len(items)
                self._done.notify_all()

    def _process(self, items: list[object]) -> None:
        try:
            self.backend.open()
            # Rebuild while the index is incomplete; a requested rebuild that another process
            # (or an earlier batch) has finished meanwhile is not done twice.
            rebuild = self.backend.needs_rebuild
        except Exception:  # unreadable folder: the work below reports it
            log.exception("search: the index could not be opened")
            rebuild = _REBUILD in items
        if rebuild:
            self.rebuilding = True
            self._retry(self._rebuild)
            return  # the rebuild read every page after these items were committed
        self.rebuilding = False
        ids: set[int] = set()
        names: set[tuple[int, str]] = set()
        for item in items:
            if isinstance(item, tuple):
                ids |= item[1]
                names |= item[2]
        ordered = sorted(ids)
        for start in range(0, max(len(ordered), 1 if names else 0), COMMIT_PAGES):
            part = set(ordered[start:start + COMMIT_PAGES])
            extra = names if start == 0 else set()
            self._retry(lambda part=part, extra=extra: self._update(part, extra))

    def _retry(self, work: Callable[[], None], attempts: int = 60) -> None:
        """Run ``work``, waiting while another process holds the index lock."""
        for attempt in range(attempts):
            try:
                work()
                self.last_error = ""
                return
            except LockError:
                time.sleep(min(0.5 * (attempt + 1), 10.0))
            except Exception as exc:  # keep the writer alive; report and carry on
                log.exception("search: index update failed")
                self.last_error = f"{exc.__class__.__name__}: {exc}"
                if self._looks_corrupt(exc):
                    self.backend.reset(f"the search index {self.backend.path} is damaged")
                    self._rebuild()
                return
        self.last_error = "the search index stayed locked by another process"
        log.error("search: %s; pages will be reindexed by the next update or rebuild",
                  self.last_error)

    @staticmethod
    def _looks_corrupt(exc: Exception) -> bool:
        from .backend import CORRUPTION

        return isinstance(exc, CORRUPTION)

    def _update(self, ids: set[int], names: set[tuple[int, str]]) -> None:
        from .hooks import worker_session
        from . import pages

        with self.app.app_context(), worker_session(self.app) as session:
            if names:
                found = pages.page_ids_for_names(session, names)
                ids = ids | set(found.values())
                gone = names - set(found)
            else:
                gone = set()
            batch = pages.build(self.app, session, ids)
            extra = set(batch.also)
            for page_id in batch.removed:  # a redirect removed or retargeted
                extra.update(self.backend.redirect_targets(page_id))
            extra -= ids
            if extra:
                more = pages.build(self.app, session, extra)
                batch.documents.extend(more.documents)
                batch.removed.extend(more.removed)
        removed = set(batch.removed) | self._ids_of_names(gone)
        self.backend.apply(batch.documents, removed)

    def _ids_of_names(self, names: set[tuple[int, str]]) -> set[int]:
        """Page ids the index holds for titles that no longer exist in the database."""
        if not names:
            return set()
        from .pages import site_namespaces
        from ..title import Title

        ns = site_namespaces(self.app)
        found: set[int] = set()
        for namespace, dbkey in names:
            prefixed = Title.make(namespace, dbkey, ns).prefixed_text
            for fields in self.backend.titles_with_key(prefixed, [namespace]):
                if fields.get("prefixed") == prefixed:
                    found.add(int(fields["page_id"]))
        return found

    def _rebuild(self) -> None:
        from .rebuilding import rebuild_index

        try:
            rebuild_index(self.app, self.backend)
        finally:
            self.rebuilding = False
