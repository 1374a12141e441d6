"""The index's posting format: Whoosh 3's, with bigger blocks stored as raw arrays.

Whoosh 3 writes each term's postings in blocks of 128, each block a compressed pickle of
Python tuples: reading a posting list of 40,000 pages meant 300 blocks and 40,000 Python
integers, floats and (for positional fields) byte strings to unpickle, which ``search.arrays``
then turned back into arrays: the cost of a query on a common word that was not cached yet.
``ArrayCodec`` keeps Whoosh's file layout, block headers, term statistics and matcher
interface (so Whoosh's own matchers, merges and readers work unchanged) but writes blocks of
1,024 postings whose contents are byte strings: document-number gaps as 32-bit integers,
weights as 32-bit floats (or one value, or none, as Whoosh does), and variable-size values
joined with their lengths. ``search.arrays`` reads them with ``numpy.frombuffer``.

The codec object is stored in each segment's entry of the index's table of contents, so
segments written by Whoosh's default codec stay readable; the backend writes every segment
with this one (``WhooshBackend._writer``) and bumps its schema version when this changes.
"""
from __future__ import annotations

import sys
from array import array
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter

#: Postings per block (Whoosh: 128). Bigger blocks mean fewer reads and less per-block Python
#: work; Whoosh's own block skipping gets coarser, which the array scorer does not use.
BLOCK_POSTINGS = 1024

_LITTLE = sys.byteorder == "little"
_SMALL = 64


def _little(values: array) -> bytes:
    """``values`` as little-endian bytes."""
    if not _LITTLE:
        values.byteswap()
    return values.tobytes()


def _from_little(typecode: str, raw: bytes) -> array:
    """An ``array`` of the little-endian ``raw`` bytes."""
    values = array(typecode)
    values.frombytes(raw)
    if not _LITTLE:
        values.byteswap()
    return values


class ArrayCodec(W3Codec):
    """Whoosh 3 with array blocks (see the module's description)."""

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = 3,
                 inlinelimit: int = 1):
        super().__init__(blocklimit=blocklimit, compression=compression,
                         inlinelimit=inlinelimit)

    def postings_writer(self, dbfile, byteids=False):  # type: ignore[no-untyped-def]
        if byteids:  # term vectors: Whoosh's own layout
            return super().postings_writer(dbfile, byteids=True)
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=False,
                                   compression=self._compression,
                                   inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):  # type: ignore[no-untyped-def]
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class ArrayPostingsWriter(W3PostingsWriter):
    """Writes a block's ids, weights and values as byte strings."""

    # Small blocks (most terms of a page saved alone) are packed with ``array``: numpy's
    # per-call cost would double the time of a one-page update.

    def _mini_ids(self):  # type: ignore[no-untyped-def]
        ids = self._ids
        if len(ids) <= _SMALL:
            return _little(array("I", map(int.__sub__, ids, [0, *ids[:-1]])))
        ids = np.frombuffer(ids, dtype=np.uint32) if _LITTLE else np.asarray(ids)
        return np.diff(ids, prepend=np.uint32(0)).astype("<u4").tobytes()

    def _mini_weights(self):  # type: ignore[no-untyped-def]
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            return None if first == 1.0 else first
        return _little(array("f", weights))

    def _mini_values(self):  # type: ignore[no-untyped-def]
        fixedsize = self._format.fixed_value_size()
        values = self._values
        if fixedsize is None or fixedsize < 0:
            return (b"".join(values), _little(array("I", map(len, values))))
        return super()._mini_values()


class ArrayLeafMatcher(W3LeafMatcher):
    """Reads :class:`ArrayPostingsWriter` blocks for Whoosh's matcher interface."""

    def _read_ids(self):  # type: ignore[no-untyped-def]
        if self._data is None:
            self._read_data()
        raw = self._data[0]
        if len(raw) <= 4 * _SMALL:
            self._ids = list(accumulate(_from_little("I", raw)))
        else:
            self._ids = np.cumsum(np.frombuffer(raw, dtype="<u4"), dtype=np.int64).tolist()

    def _read_weights(self):  # type: ignore[no-untyped-def]
        if self._data is None:
            self._read_data()
        weights = self._data[1]
        count = self._blocklength
        if weights is None or isinstance(weights, float):
            self._weights = array("f", [1.0 if weights is None else weights]) * count
        else:
            self._weights = _from_little("f", weights)

    def _read_values(self):  # type: ignore[no-untyped-def]
        if self._data is None:
            self._read_data()
        fixedsize = self._fixedsize
        if fixedsize is None or fixedsize < 0:
            blob, lengths = self._data[2]
            ends = np.cumsum(np.frombuffer(lengths, dtype="<u4")).tolist()
            starts = [0, *ends[:-1]]
            self._values = tuple(blob[a:b] for a, b in zip(starts, ends))
        else:
            super()._read_values()
