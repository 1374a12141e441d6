"""Whoosh-Reloaded backend: the on-disk index, its schema, one shared searcher, writes.

Owns the index folder (``SEARCH_INDEX_DIR``): creating it, noticing that it is missing or
corrupt (then it is recreated empty and ``needs_rebuild`` is set, with a message), applying
batches of updates and deletions in one writer, replacing everything at once on rebuild
(``mergetype=CLEAR``, so readers never see a half-built index), and answering queries through
one searcher that is reused until the index changes. Whoosh searchers are not safe to share
between threads, so searches take a lock; a query costs milliseconds, so they queue briefly.
Nothing here knows about Flask or the database: ``SearchDocument`` comes in, ``Hit`` goes out.
"""
from __future__ import annotations

import logging
import pickle
import shutil
import struct
import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, IndexWriter

from . import analysis, arrays, snippets
from .bulk import BulkWriter
from .codec import ArrayCodec
from .document import Hit, SearchDocument, iso
from .document import MAX_CONTENT_CHARS

log = logging.getLogger(__name__)

#: What reading damaged index files raises (missing, truncated or garbled files): the index
#: is then recreated and rebuilt. Anything else is a bug, logged, and leaves the index alone.
CORRUPTION = (whoosh_index.IndexError, EOFError, FileNotFoundError, struct.error, zlib.error,
              pickle.UnpicklingError, arrays.DamagedPostings)

#: Bumped when the schema or analysis changes: an older index is rebuilt on open.
SCHEMA_VERSION = 7
#: Characters of body text (its first sentences) whose words join titles, redirects, headings
#: and categories in the "did you mean" vocabulary (as CirrusSearch suggests from titles and
#: redirects); all the text would nearly double the indexing time.
SPELL_LEAD = 300
_VERSION_FILE = "wikiengine-schema"
#: Title keys looked at, at most, for one prefix search (other namespaces are skipped).
PREFIX_WALK = 5000
#: Present while the index is incomplete (created empty, rebuild not finished): every process
#: sharing the folder sees it, so a rebuild interrupted by a crash is started again.
_MARKER = "needs-rebuild"


def make_schema(language: str) -> Schema:
    """The index fields; text fields use ``language``'s analysers."""
    text = analysis.text_analyzer(language)
    titles = analysis.title_analyzer(language)
    schema = Schema(
        page_id=ID(stored=True, unique=True),
        namespace=ID(stored=True),
        title=TEXT(analyzer=titles, stored=True),
        prefixed=STORED(),
        keys=TEXT(analyzer=analysis.key_analyzer(), phrase=False),
        redirects=TEXT(analyzer=titles, stored=True),
        redirect_ids=KEYWORD(commas=False),
        headings=TEXT(analyzer=titles),
        categories=TEXT(analyzer=titles, stored=True),
        category_keys=TEXT(analyzer=analysis.key_analyzer(), phrase=False),
        content=TEXT(analyzer=text, stored=True),
        spell=TEXT(analyzer=analysis.spelling_analyzer(language), phrase=False),
        size=NUMERIC(stored=True),
        wordcount=NUMERIC(stored=True),
        timestamp=STORED(),
    )
    for name in schema.names():
        field = schema[name]
        if isinstance(field, TEXT):
            field.format = analysis.fast_format(field.format)
    return schema


def to_fields(doc: SearchDocument) -> dict[str, object]:
    """The Whoosh field values of ``doc``."""
    content = doc.content[:MAX_CONTENT_CHARS]
    names = [doc.title, *doc.redirects]
    return {
        "page_id": str(doc.page_id),
        "namespace": str(doc.namespace),
        "title": doc.title,
        "prefixed": doc.prefixed,
        "keys": "\n".join([doc.prefixed, *doc.redirects]),
        "redirects": "\n".join(doc.redirects),
        "redirect_ids": " ".join(str(i) for i in doc.redirect_ids),
        "headings": "\n".join(doc.headings),
        "categories": "\n".join(doc.categories),
        "category_keys": "\n".join(doc.categories),
        "content": content,
        "spell": "\n".join([*names, *doc.headings, *doc.categories, content[:SPELL_LEAD]]),
        "size": doc.size,
        "wordcount": len(content.split()),
        "timestamp": iso(doc.timestamp),
    }


def _light(hit) -> dict:  # type: ignore[no-untyped-def]
    """A hit's stored fields without the page text."""
    fields = dict(hit)
    fields.pop("content", None)
    return fields


class WhooshBackend:
    """One Whoosh index folder.

    :param path: the index folder (created when missing).
    :param language: content language code picking the analysers (``fr``, ``en``…).
    :param cache_mb: decoded postings kept in memory between queries (``arrays.ArrayCache``).
    """

    def __init__(self, path: str | Path, language: str = "fr", cache_mb: float = 96):
        self.path = Path(path)
        self.language = analysis.normalise_language(language)
        self.schema = make_schema(self.language)
        self.message = ""
        self._index: whoosh_index.Index | None = None
        self._searcher: Searcher | None = None
        self._search_lock = threading.RLock()
        self._open_lock = threading.Lock()
        self._checked = 0.0
        self._filters: dict[object, object] = {}
        self._spelling: dict[object, object] = {}
        self._arrays: arrays.ArraySearcher | None = None
        self._array_cache = arrays.ArrayCache(int(max(0.0, cache_mb) * 1024 * 1024))
        #: Answer queries with :mod:`arrays` (False: Whoosh's own matchers, for comparison).
        self.use_arrays = True
        self.generation = 0

    def _version(self) -> str:
        """What the index folder must have been built with: schema version and language."""
        return f"{SCHEMA_VERSION} {self.language}"

    @property
    def needs_rebuild(self) -> bool:
        """The index lacks pages: recreated empty, or its last rebuild did not finish."""
        return (self.path / _MARKER).exists()

    # -- opening ---------------------------------------------------------------------------
    def open(self) -> whoosh_index.Index:
        """The index, created (empty, ``needs_rebuild`` set) when missing, corrupt or outdated."""
        if self._index is not None:
            return self._index
        with self._open_lock:
            if self._index is None:
                self._index = self._open_or_create()
        return self._index

    def _open_or_create(self) -> whoosh_index.Index:
        version = self.path / _VERSION_FILE
        if not self.path.exists() or not any(self.path.glob("_MAIN_*.toc")):
            problem = f"the search index {self.path} is missing"
        elif not version.exists() or version.read_text().strip() != self._version():
            problem = (f"the search index {self.path} has an older format or another "
                       "language")
        else:
            try:
                ix = whoosh_index.open_dir(str(self.path))
                with ix.searcher() as searcher:
                    searcher.doc_count()
                if self.needs_rebuild:
                    self.message = (f"the search index {self.path} was left incomplete: "
                                    "it will be rebuilt.")
                    log.warning(self.message)
                return ix
            except Exception as exc:  # corrupt files: any Whoosh or OS error
                problem = f"the search index {self.path} is unreadable ({exc.__class__.__name__})"
        return self._create(problem)

    def _create(self, problem: str) -> whoosh_index.Index:
        self.message = f"{problem}: it has been recreated empty and will be rebuilt."
        log.warning(self.message)
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        ix = whoosh_index.create_in(str(self.path), self.schema)
        (self.path / _VERSION_FILE).write_text(self._version())
        (self.path / _MARKER).write_text(problem)
        return ix

    def reset(self, problem: str) -> None:
        """Drop a corrupt index found while using it and start over (``needs_rebuild``)."""
        with self._search_lock, self._open_lock:
            self._close_searcher()
            self._index = self._create(problem)
            self.generation += 1

    def close(self) -> None:
        with self._search_lock:
            self._close_searcher()
            self._index = None

    # -- reading -----------------------------------------------------------------------
    def _close_searcher(self) -> None:
        self._arrays = None
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """The shared searcher, refreshed only when the index has changed; holds the lock.

        Changes made by this process bump ``generation``; changes by another process (a CLI
        rebuild) are noticed by checking the index's table of contents at most once a second.
        """
        with self._search_lock:
            ix = self.open()
            now = time.monotonic()
            stale = self._searcher is None or self._seen != self.generation
            if not stale and now - self._checked > 1.0:
                self._checked = now
                stale = not self._searcher.up_to_date()
            if stale:
                # A new searcher, not ``refresh()``: Whoosh reuses a segment's reader on
                # refresh and would keep showing documents deleted from that segment.
                self._close_searcher()
                self._searcher = ix.searcher()
                self._seen = self.generation
                self._checked = now
            yield self._searcher

    def doc_count(self) -> int:
        with self.searcher() as s:
            return s.doc_count()

    # -- writing -----------------------------------------------------------------------
    def _writer(self, timeout: float, **kwargs: object) -> IndexWriter:
        # compound=False: Whoosh copies a compound segment's files into memory each time a
        # reader opens it (0.7 s for 50,000 pages, on every update and every new searcher);
        # plain segment files are opened in a millisecond.
        # ArrayCodec: blocks the array scorer reads with numpy (see search/codec.py).
        return self.open().writer(timeout=timeout, delay=0.05, compound=False,
                                  codec=ArrayCodec(), **kwargs)

    def apply(self, docs: Iterable[SearchDocument], deletions: Iterable[int],
              timeout: float = 30.0) -> None:
        """Index ``docs`` and remove pages ``deletions`` in one commit.

        :raises whoosh.index.LockError: when another writer holds the lock past ``timeout``.
        """
        writer = self._writer(timeout)
        try:
            for page_id in deletions:
                writer.delete_by_term("page_id", str(page_id))
            for doc in docs:
                writer.update_document(**to_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._changed()

    def replace_all(self, docs: Iterable[SearchDocument], timeout: float = 600.0) -> int:
        """Write every document anew and swap them in at once; returns how many."""
        # Postings grouped in memory (``bulk``): no sorted runs pickled to temporary files.
        writer = BulkWriter(self.open(), timeout=timeout, delay=0.05, compound=False,
                            codec=ArrayCodec())
        count = 0
        try:
            for doc in docs:
                writer.add_document(**to_fields(doc))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)
        (self.path / _MARKER).unlink(missing_ok=True)
        self.message = ""
        self._changed()
        return count

    def optimize(self) -> None:
        """Merge all segments into one (after an import, to keep queries fast)."""
        self._writer(600.0).commit(optimize=True)
        self._changed()

    def _changed(self) -> None:
        with self._search_lock:
            self.generation += 1

    def redirect_targets(self, redirect_id: int) -> list[int]:
        """Pages whose document lists the redirect page ``redirect_id``."""
        with self.searcher() as s:
            return [int(f["page_id"]) for f in
                    s.search(Term("redirect_ids", str(redirect_id)), limit=None)]

    # -- queries -----------------------------------------------------------------------
    def namespace_filter(self, namespaces: Iterable[int] | None) -> set[int] | None:
        """Document numbers in ``namespaces`` (None: no filter), cached per searcher.

        Call with the search lock held (inside ``searcher()``).
        """
        if namespaces is None:
            return None
        key = tuple(sorted(set(namespaces)))
        cache = self._filters
        if cache.get("searcher") is not self._searcher:
            cache.clear()
            cache["searcher"] = self._searcher
        if key not in cache:
            query = Or([Term("namespace", str(n)) for n in key])
            cache[key] = set(self._searcher.docs_for_query(query)) if key else set()
        return cache[key]  # type: ignore[return-value]

    def search(self, query: Query, *, namespaces: Iterable[int] | None,
               limit: int, offset: int, snippets: bool = True) -> tuple[int, list[Hit]]:
        """Ranked hits ``offset``..``offset+limit`` of ``query`` and the total count."""
        namespaces = None if namespaces is None else list(namespaces)
        if namespaces == []:
            namespaces = None  # no namespace named: all of them (as Whoosh's empty filter did)
        with self.searcher() as s:
            try:
                if not self.use_arrays:
                    raise arrays.Unsupported("switched off")
                if self._arrays is None or self._arrays.searcher is not s:
                    self._arrays = arrays.ArraySearcher(s, self._array_cache)
                total, top = self._arrays.top(query, namespaces=namespaces, limit=offset + limit)
                found = [(s.stored_fields(docnum), score) for docnum, score in top[offset:]]
            except arrays.Unsupported:
                total, found = self._whoosh_search(s, query, self.namespace_filter(namespaces),
                                                   offset + limit)
                found = found[offset:]
            terms = self._query_terms(s, query) if snippets else None
            return total, [self._hit(fields, score, terms) for fields, score in found]

    @staticmethod
    def _whoosh_search(s: Searcher, query: Query, allowed: set[int] | None,
                       limit: int) -> tuple[int, list[tuple[dict, float]]]:
        """Whoosh's own matchers, for query shapes :mod:`arrays` does not handle."""
        # Every match is scored in one pass, which also counts them. replace=0: Whoosh's
        # collector otherwise swaps in a pruned matcher once its top N is full (even with
        # optimize=False), dropping pages that cannot enter the top N from the count too
        # (pre* over 10,000 pages: 1,262 counted of 6,136).
        collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
        if allowed is not None:
            collector = collectors.FilterCollector(collector, allow=allowed)
        s.search_with_collector(query, collector)
        results = collector.results()
        return len(results), [(hit.fields(), hit.score) for hit in results[:limit]]

    def _query_terms(self, searcher: Searcher, query: Query) -> dict[str, frozenset[str]]:
        """Index terms of ``query`` per field, wildcards expanded to the terms they match."""
        found: dict[str, set[str]] = {}
        reader = searcher.reader()
        # (Whoosh's ``existing_terms`` drops leaves after the first: it reuses a variable.)
        for leaf in query.leaves():
            for fieldname, text in leaf.expanded_terms(reader, phrases=True):
                word = text.decode("utf-8") if isinstance(text, bytes) else str(text)
                found.setdefault(fieldname, set()).add(word)
        return {name: frozenset(words) for name, words in found.items()}

    def _normaliser(self, fieldname: str):  # type: ignore[no-untyped-def]
        """Word → index term for ``fieldname`` (the analyser's cached ``WordFilter.term``)."""
        last = self.schema[fieldname].analyzer.items[-1]
        return last.term

    def _hit(self, fields: dict, score: float, terms: dict[str, frozenset[str]] | None) -> Hit:
        out = Hit(page_id=int(fields["page_id"]), namespace=int(fields["namespace"]),
                  title=fields.get("prefixed") or fields["title"], score=round(score, 4),
                  size=fields.get("size", 0), wordcount=fields.get("wordcount", 0),
                  timestamp=fields.get("timestamp", ""))
        if terms is None:
            return out
        out.snippet = snippets.snippet(fields.get("content", ""), terms.get("content", frozenset()),
                                       self._normaliser("content"))
        marked, best = snippets.highlight_all(fields["title"], terms.get("title", frozenset()),
                                              self._normaliser("title"))
        out.titlesnippet = marked if best else ""
        redirect_terms = terms.get("redirects", frozenset())
        for line in fields.get("redirects", "").split("\n") if redirect_terms else ():
            _marked, count = snippets.highlight_all(line, redirect_terms,
                                                    self._normaliser("redirects"))
            if count > best:  # the redirect matched better than the title
                out.redirecttitle, best = line, count
        return out

    def titles_with_key(self, key: str, namespaces: Iterable[int] | None) -> list[dict]:
        """Stored fields of pages whose prefixed title or a redirect folds to ``key``."""
        with self.searcher() as s:
            found = s.search(Term("keys", analysis.fold(key)), limit=20,
                             filter=self.namespace_filter(namespaces))
            return [_light(f) for f in found]

    def prefix(self, prefix: str, namespaces: Iterable[int] | None, limit: int) -> list[dict]:
        """Stored fields of pages whose prefixed title or a redirect starts with ``prefix``,
        in alphabetical order of the folded title or redirect (so an exact match is first).

        Walks the sorted vocabulary of title keys from ``prefix`` and stops after ``limit``
        pages: the cost does not grow with the number of titles sharing a short prefix.
        """
        key = analysis.fold(prefix)
        found: list[dict] = []
        seen: set[int] = set()
        with self.searcher() as s:
            reader = s.reader()
            allowed = self.namespace_filter(namespaces)
            for walked, term in enumerate(reader.expand_prefix("keys", key)):
                if len(found) >= limit or walked >= PREFIX_WALK:
                    break
                for docnum in reader.postings("keys", term).all_ids():
                    if docnum in seen or (allowed is not None and docnum not in allowed):
                        continue
                    seen.add(docnum)
                    found.append(_light(s.stored_fields(docnum)))
        return found[:limit]

    def suggest(self, words: list[str]) -> list[str]:
        """Each word replaced by the closest known word when the word itself is unknown."""
        out, changed = [], False
        with self.searcher() as s:
            reader = s.reader()
            for word in words:
                if len(word) < 3 or self._known(reader, word):
                    out.append(word)
                    continue
                found = self._closest(reader, word)
                changed = changed or bool(found)
                out.append(found or word)
        return out if changed else []

    def _known(self, reader, word: str) -> bool:  # type: ignore[no-untyped-def]
        """The word as written, or its stem (plural, accents…), is in the index."""
        if reader.doc_frequency("spell", word) > 0:
            return True
        stems = list(self.schema["content"].process_text(word, mode="query"))
        return bool(stems) and all(reader.doc_frequency("content", t) > 0 for t in stems)

    def _closest(self, reader, word: str) -> str:  # type: ignore[no-untyped-def]
        """The most frequent known word at edit distance 1 (same first letter), else 2 (same
        first two letters: a two-edit search over the whole vocabulary is slow).

        The words sharing the first letter are read once per searcher (``_spelling_words``)
        and compared in memory; Whoosh's ``terms_within`` walked the on-disk term table with
        an automaton, thousands of file reads per word. (Whoosh's own corrector ranks every
        word within the distance by frequency alone.)
        """
        words = self._spelling_words(reader, word[:1])
        for distance, prefix in ((1, 1), (2, 2)):
            best, best_freq = "", 0
            head = word[:prefix]
            for term in words:
                if (term != word and abs(len(term) - len(word)) <= distance
                        and term.startswith(head) and within(word, term, distance)):
                    freq = reader.doc_frequency("spell", term)
                    if freq > best_freq or (freq == best_freq and term < best):
                        best, best_freq = term, freq
            if best:
                return best
        return ""

    def _spelling_words(self, reader, letter: str) -> list[str]:  # type: ignore[no-untyped-def]
        """The "did you mean" vocabulary starting with ``letter``, cached per searcher."""
        cache = self._spelling
        if cache.get("searcher") is not self._searcher:
            cache.clear()
            cache["searcher"] = self._searcher
        if letter not in cache:
            cache[letter] = [t.decode("utf-8") if isinstance(t, bytes) else t
                             for t in reader.expand_prefix("spell", letter)]
        return cache[letter]  # type: ignore[return-value]


def within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance between ``a`` and ``b`` is at most ``limit`` (early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit
