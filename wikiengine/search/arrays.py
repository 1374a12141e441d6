"""Array-based matching and scoring of parsed queries (numpy), instead of Whoosh's matchers.

Whoosh answers a query by walking a tree of matcher objects in pure Python: every query word
is an OR over five weighted fields, words are intersected by leapfrogging, and every matching
page is scored one call at a time. On a wiki of 50,000 pages a common word matches most pages,
and that walk was the whole cost of the slow queries (p95 143 ms). Here the same query is
answered with whole-array operations: each (field, term)'s postings are read block by block
from Whoosh's posting file into arrays (and kept while the searcher lives), each query node
becomes a mask of matching pages and an array of scores over one segment, and the top N is
picked with ``argpartition``. Scores are Whoosh's own BM25F (same idf, average field length,
encoded field lengths, boosts), and ties are broken as Whoosh's ``TopCollector`` breaks them
(lower document number first), so results and totals are Whoosh's (tested against it).

Query shapes handled: ``Term`` on scorable fields, ``And``/``Or``/``AndNot``/``AndMaybe``/
``Not``, ``Phrase`` (slop up to ``MAX_SLOP``), ``FlatPrefix``/``FlatWildcard`` and ``NullQuery``.
Anything else raises :class:`Unsupported` and the caller runs Whoosh's own matchers.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Iterable

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import FixedBytesColumn
from whoosh.formats import Positions
from whoosh.reading import SegmentReader
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from .codec import ArrayLeafMatcher

#: Decoded postings kept per searcher, in bytes of arrays (least recently used dropped first).
CACHE_BYTES = 96 * 1024 * 1024

#: Widest phrase slop (``"a b"~N``) matched here; wider ones go to Whoosh's span matcher.
MAX_SLOP = 32

_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A query shape (or index layout) the array scorer does not handle."""


class DamagedPostings(Exception):
    """A posting list could not be read: the index files are damaged (rebuild them)."""


class Postings:
    """One (field, term)'s postings in one segment: document numbers, weights and, when
    read for a phrase, every position (``positions`` flat, ``starts`` per document)."""

    __slots__ = ("ids", "weights", "positions", "nbytes")

    def __init__(self, ids: np.ndarray, weights: np.ndarray,
                 positions: np.ndarray | None = None):
        self.ids = ids
        self.weights = weights
        self.positions = positions
        self.nbytes = ids.nbytes + weights.nbytes + (0 if positions is None else positions.nbytes)


_EMPTY = Postings(np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.int64))


def read_postings(reader: SegmentReader, fieldname: str, btext: bytes,
                  positions: bool = False) -> Postings:
    """The postings of ``btext`` in ``fieldname`` of one segment, deleted documents included.

    Blocks written by :class:`ArrayCodec` are joined and decoded with numpy; positions come
    from :class:`FastPositions` values.
    """
    if (fieldname, btext) not in reader:
        return _EMPTY
    format_ = reader.schema[fieldname].format
    try:
        matcher = reader._terms.matcher(fieldname, btext, format_)  # no deletion filter
        if isinstance(matcher, ArrayLeafMatcher):
            return _array_postings(matcher, format_, positions)
    except (Unsupported, MemoryError):
        raise
    except Exception as exc:  # garbled bytes: Whoosh's "Block tag error", zlib, pickle, numpy
        raise DamagedPostings(f"{fieldname}:{btext!r}: {exc}") from exc
    # Segments of another codec (Whoosh's default): through its matcher interface.
    return _generic_postings(matcher, format_, positions)


def _array_postings(matcher: ArrayLeafMatcher, format_, positions: bool) -> Postings:  # type: ignore[no-untyped-def]
    """Postings written by :class:`ArrayCodec`: byte strings joined, decoded at once."""
    gaps: list[bytes] = []
    firsts: list[int] = []  # where each block starts in the joined ids
    maxids: list[int] = []
    weights: list[np.ndarray] = []
    blobs: list[bytes] = []
    count_so_far = 0
    while matcher.is_active():
        matcher._read_data()
        block_ids, block_weights, block_values = matcher._data
        count = matcher._blocklength
        gaps.append(block_ids)
        firsts.append(count_so_far)
        maxids.append(matcher._maxid)
        count_so_far += count
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.frombuffer(block_weights, dtype="<f4"))
        if positions:
            blobs.append(block_values[0])
        matcher._next_block()
    if not gaps:
        return _EMPTY
    deltas = np.frombuffer(b"".join(gaps), dtype="<u4").astype(np.int64)
    # Each block's first gap is from 0: make it a gap from the previous block's last id.
    deltas[firsts[1:]] -= np.asarray(maxids[:-1], dtype=np.int64)
    ids = np.cumsum(deltas)
    weight = np.concatenate(weights).astype(np.float64)
    found = None
    if positions:
        decode = getattr(format_, "decode_positions_array", None)
        if decode is None:
            raise Unsupported("no positions")
        found = decode([b"".join(blobs)], weight)
    return Postings(ids, weight, found)


def _generic_postings(matcher, format_, positions: bool) -> Postings:  # type: ignore[no-untyped-def]
    ids, weights, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if positions:
            values.append(matcher.value())
        matcher.next()
    weight = np.asarray(weights, dtype=np.float64)
    return Postings(np.asarray(ids, dtype=np.int64), weight,
                    _positions(format_, values, weight) if positions else None)


def _positions(format_, values: list[bytes], weights: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Every position of every posting, flat, in posting order."""
    decode = getattr(format_, "decode_positions_array", None)
    if decode is not None:
        return decode(values, weights)
    if not isinstance(format_, Positions):
        raise Unsupported("no positions")
    flat: list[int] = []
    for value in values:
        flat.extend(format_.decode_positions(value))
    return np.asarray(flat, dtype=np.int64)


class LeafArrays:
    """One segment as seen by one searcher: its live documents (deletions change from one
    searcher to the next) and, through the shared cache, its lengths and postings (which do
    not: Whoosh never rewrites a segment)."""

    def __init__(self, reader: SegmentReader, offset: int, cache: "ArrayCache"):
        self.reader = reader
        self.offset = offset
        self.segment = reader._segment.segment_id()
        self.count = reader.doc_count_all()
        self.live = np.ones(self.count, dtype=bool)
        deleted = reader.deleted_docs_set if reader.has_deletions() else ()
        if deleted:
            self.live[np.fromiter(deleted, dtype=np.int64)] = False
        self._cache = cache

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in ``fieldname`` as Whoosh encodes it (one byte)."""
        key = (self.segment, fieldname)
        found = self._cache.lengths.get(key)
        if found is None:
            found = self._cache.lengths[key] = self._read_lengths(fieldname)
        return found

    def _read_lengths(self, fieldname: str) -> np.ndarray:
        perdoc = self.reader._perdoc
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        codes = np.zeros(self.count, dtype=np.uint8)
        if isinstance(column, FixedBytesColumn.Reader) and column._fixedlen == 1:
            stored = min(column._count, self.count)
            raw = column._dbfile.get(column._basepos, stored)
            codes[:stored] = np.frombuffer(raw, dtype=np.uint8)
        elif column is not None:
            for docnum in range(self.count):
                codes[docnum] = column[docnum]
        return _LENGTHS[codes]

    def postings(self, fieldname: str, btext: bytes, positions: bool = False) -> Postings:
        key = (self.segment, fieldname, btext)
        found = self._cache.postings.get(key)
        if found is None or (positions and found.positions is None):
            found = read_postings(self.reader, fieldname, btext, positions)
            self._cache.postings.put(key, found)
        return found


class PostingCache:
    """Least recently used postings, bounded in bytes."""

    def __init__(self, limit: int = CACHE_BYTES):
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[tuple, Postings] = OrderedDict()

    def get(self, key: tuple) -> Postings | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: tuple, postings: Postings) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= old.nbytes
        if postings.nbytes > self.limit:
            return
        self._items[key] = postings
        self.size += postings.nbytes
        while self.size > self.limit:
            _, dropped = self._items.popitem(last=False)
            self.size -= dropped.nbytes

    def retain(self, segments: set[str]) -> None:
        """Forget the postings of segments other than ``segments`` (merged away)."""
        for key in [k for k in self._items if k[0] not in segments]:
            self.size -= self._items.pop(key).nbytes


class ArrayCache:
    """What outlives one searcher: per segment, field lengths and decoded postings. After a
    page is saved, Whoosh adds a small segment; the big ones keep their cached arrays."""

    def __init__(self, cache_bytes: int = CACHE_BYTES):
        self.postings = PostingCache(cache_bytes)
        self.lengths: dict[tuple[str, str], np.ndarray] = {}

    def retain(self, segments: set[str]) -> None:
        self.postings.retain(segments)
        for key in [k for k in self.lengths if k[0] not in segments]:
            del self.lengths[key]


class Matches:
    """Pages matched by a query node in one segment, and their scores."""

    __slots__ = ("mask", "score")

    def __init__(self, mask: np.ndarray, score: np.ndarray):
        self.mask = mask
        self.score = score


class ArraySearcher:
    """Answers queries over one Whoosh searcher with arrays; build one per searcher.

    Not thread-safe by itself: the backend calls it with its search lock held.
    """

    def __init__(self, searcher, cache: ArrayCache | None = None):  # type: ignore[no-untyped-def]
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported("weighting")
        self.searcher = searcher
        self.B, self.K1 = weighting.B, weighting.K1
        self._field_B = weighting._field_B
        self.cache = cache if cache is not None else ArrayCache()
        self.leaves = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if not isinstance(reader, SegmentReader):
                raise Unsupported("reader")
            self.leaves.append(LeafArrays(reader, offset, self.cache))
        self.cache.retain({leaf.segment for leaf in self.leaves})
        self.doc_count_all = sum(leaf.count for leaf in self.leaves)
        self._masks: dict[object, list[np.ndarray]] = {}

    # -- the query ------------------------------------------------------------------------
    def top(self, query: wq.Query, *, namespaces: Iterable[int] | None,
            limit: int) -> tuple[int, list[tuple[int, float]]]:
        """How many pages match ``query`` in ``namespaces`` (None: all) and the best ``limit``
        of them as (document number, score), best first."""
        ids, scores = [], []
        filters = self._namespace_masks(namespaces)
        for number, leaf in enumerate(self.leaves):
            found = self._eval(query, leaf)
            if found is None:
                continue
            mask = found.mask & leaf.live
            if filters is not None:
                mask &= filters[number]
            local = np.flatnonzero(mask)
            ids.append(local + leaf.offset)
            scores.append(found.score[local])
        if not ids:
            return 0, []
        docnums = np.concatenate(ids)
        score = np.concatenate(scores)
        total = int(docnums.size)
        if total > limit > 0:
            # Everything scoring at least the limit-th best score, ties included, then the
            # exact order: score descending, document number ascending (as Whoosh).
            kth = np.partition(score, total - limit)[total - limit]
            keep = score >= kth
            docnums, score = docnums[keep], score[keep]
        order = np.lexsort((docnums, -score))[:limit]
        return total, [(int(docnums[i]), float(score[i])) for i in order]

    def _namespace_masks(self, namespaces: Iterable[int] | None) -> list[np.ndarray] | None:
        """Per segment, the documents in ``namespaces`` (the ``namespace`` field's postings)."""
        if namespaces is None:
            return None
        key = tuple(sorted(set(namespaces)))
        masks = self._masks.get(key)
        if masks is None:
            masks = []
            for leaf in self.leaves:
                mask = np.zeros(leaf.count, dtype=bool)
                for number in key:
                    mask[leaf.postings("namespace", str(number).encode()).ids] = True
                masks.append(mask)
            self._masks[key] = masks
        return masks

    # -- nodes ----------------------------------------------------------------------------
    def _eval(self, query: wq.Query, leaf: LeafArrays) -> Matches | None:
        """The matches of ``query`` in ``leaf``; None when nothing can match."""
        kind = type(query)
        if kind is wq.Term:
            return self._boosted_term(query, leaf)
        elif kind is wq.Or:
            if query.minmatch or getattr(query, "scale", None):
                raise Unsupported("Or options")
            found = self._or([self._eval(q, leaf) for q in query.subqueries], leaf)
        elif kind is wq.And:
            found = self._and(query.subqueries, leaf)
        elif kind is wq.AndNot:
            found = self._andnot(self._eval(query.a, leaf), self._eval(query.b, leaf))
        elif kind is wq.AndMaybe:
            found = self._andmaybe(self._eval(query.a, leaf), self._eval(query.b, leaf))
        elif kind is wq.Not:
            # Whoosh's inverse matcher: every page the query does not match, scoring 1.
            part = self._eval(query.query, leaf)
            mask = np.ones(leaf.count, dtype=bool) if part is None else ~part.mask
            return Matches(mask, mask.astype(np.float64))
        elif kind is wq.Phrase:
            return self._phrase(query, leaf)
        elif kind.__name__ in ("FlatPrefix", "FlatWildcard"):
            return self._flat(query, leaf)
        elif query is wq.NullQuery or kind is type(wq.NullQuery):
            return None
        else:
            raise Unsupported(kind.__name__)
        if found is not None and query.boost != 1.0:
            found.score = found.score * query.boost
        return found

    def _field(self, fieldname: str):  # type: ignore[no-untyped-def]
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        field = schema[fieldname]
        if not field.scorable or field.format is None:
            raise Unsupported(f"field {fieldname}")
        return field

    def _bm25(self, fieldname: str, btext: bytes, postings: Postings,
              leaf: LeafArrays) -> np.ndarray:
        searcher = self.searcher
        idf = searcher.idf(fieldname, btext)
        avgfl = searcher.avg_field_length(fieldname) or 1
        B, K1 = self._field_B.get(fieldname, self.B), self.K1
        tf = postings.weights
        fl = leaf.lengths(fieldname)[postings.ids]
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def _term(self, fieldname: str, text: object, leaf: LeafArrays,
              boost: float | None = None) -> Matches | None:
        field = self._field(fieldname)
        if field is None:
            return None
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return None
        postings = leaf.postings(fieldname, btext)
        if not postings.ids.size:
            return None
        mask = np.zeros(leaf.count, dtype=bool)
        mask[postings.ids] = True
        score = np.zeros(leaf.count)
        score[postings.ids] = self._bm25(fieldname, btext, postings, leaf)
        return Matches(mask, score)

    def _boosted_term(self, query: wq.Term, leaf: LeafArrays) -> Matches | None:
        found = self._term(query.fieldname, query.text, leaf)
        if found is not None and query.boost != 1.0:
            found.score *= query.boost
        return found

    @staticmethod
    def _or(parts: list[Matches | None], leaf: LeafArrays) -> Matches | None:
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        mask = parts[0].mask.copy()
        score = parts[0].score.copy()
        for part in parts[1:]:
            mask |= part.mask
            score += part.score
        return Matches(mask, score)

    def _and(self, subqueries: list[wq.Query], leaf: LeafArrays) -> Matches | None:
        positives = [q for q in subqueries if type(q) is not wq.Not]
        negatives = [q.query for q in subqueries if type(q) is wq.Not]
        if not positives:
            raise Unsupported("only negative")
        found: Matches | None = None
        for sub in positives:
            part = self._eval(sub, leaf)
            if part is None:
                return None
            if found is None:
                found = Matches(part.mask.copy(), part.score.copy())
            else:
                found.mask &= part.mask
                found.score += part.score
        assert found is not None
        for sub in negatives:
            # Whoosh intersects with an inverse matcher, whose score is 1 on every page.
            part = self._eval(sub, leaf)
            if part is not None:
                found.mask &= ~part.mask
            found.score += 1.0
        found.score[~found.mask] = 0.0
        return found

    @staticmethod
    def _andnot(a: Matches | None, b: Matches | None) -> Matches | None:
        if a is None or b is None:
            return a
        mask = a.mask & ~b.mask
        return Matches(mask, np.where(mask, a.score, 0.0))

    @staticmethod
    def _andmaybe(a: Matches | None, b: Matches | None) -> Matches | None:
        if a is None or b is None:
            return a
        return Matches(a.mask, a.score + np.where(a.mask, b.score, 0.0))

    def _phrase(self, query: wq.Phrase, leaf: LeafArrays) -> Matches | None:
        slop = query.slop
        if not 1 <= slop <= MAX_SLOP:
            raise Unsupported("phrase slop")
        field = self._field(query.fieldname)
        if field is None or not query.words:
            return None
        if not field.format.supports("positions"):
            raise Unsupported("phrase without positions")
        words = []
        for word in query.words:
            try:
                words.append(field.to_bytes(word))
            except ValueError:
                return None
        if field.format.field_boost != 1.0:
            raise Unsupported("phrase in a boosted field")  # weights are not frequencies
        lists = [leaf.postings(query.fieldname, w, positions=True) for w in words]
        if any(not p.ids.size for p in lists):
            return None
        candidates = np.zeros(leaf.count, dtype=bool)
        candidates[lists[0].ids] = True
        for postings in lists[1:]:
            present = np.zeros(leaf.count, dtype=bool)
            present[postings.ids] = True
            candidates &= present
        if not candidates.any():
            return None
        # Whoosh's ordered span match: positions q0 < q1 < … of the words in turn, each gap
        # q(i) - q(i-1) between 1 and the slop. Keyed by (document, position), the chain's
        # reachable ends are carried word to word; one posting list's keys are sorted
        # (documents ascending, positions ascending within one), so ``searchsorted`` matches.
        ends = None
        for postings in lists:
            docs = np.repeat(postings.ids, postings.weights.astype(np.int64))
            keep = candidates[docs]
            mine = (docs[keep] << 32) + postings.positions[keep]
            if ends is None:
                ends = mine
                continue
            if not mine.size:
                return None
            reached = []
            for gap in range(1, slop + 1):
                wanted = ends + gap
                at = np.minimum(np.searchsorted(mine, wanted), mine.size - 1)
                reached.append(wanted[mine[at] == wanted])
            ends = np.unique(np.concatenate(reached)) if slop > 1 else reached[0]
            if not ends.size:
                return None
        keys = ends
        mask = np.zeros(leaf.count, dtype=bool)
        mask[keys >> 32] = True
        score = np.zeros(leaf.count)
        for word, postings in zip(words, lists):
            score[postings.ids] += self._bm25(query.fieldname, word, postings, leaf)
        score[~mask] = 0.0
        if query.boost != 1.0:
            score *= query.boost
        return Matches(mask, score)

    def _flat(self, query: wq.Query, leaf: LeafArrays) -> Matches | None:
        fieldname = query.field()
        if self._field(fieldname) is None:
            return None
        mask = np.zeros(leaf.count, dtype=bool)
        for btext in query._btexts(leaf.reader):
            if btext:
                mask[leaf.postings(fieldname, btext).ids] = True
        if not mask.any():
            return None
        return Matches(mask, mask * float(query.boost or 1.0))
