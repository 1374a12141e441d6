"""The bulk writer used to rebuild the whole index: postings kept in memory, grouped by term.

Owns ``BulkWriter``, a Whoosh ``SegmentWriter`` for one new segment written from scratch (a
rebuild, ``mergetype=CLEAR``). Whoosh's own writer appends every posting to one list, and past
``limitmb`` pickles it to temporary "run" files, then sorts and merges them back, pickle by
pickle: at 2,000 pages that was half of the rebuild's time. Here each posting goes straight
into the list of its (field, term) as compact arrays; document numbers only grow, so each list
is already in order and only the terms need sorting at commit. Whoosh also looks up each
posting's document length in the length column it has just written (one file read per
posting); here every field's lengths are read once into a list.

Memory: about 15 bytes per posting (50,000 wiki pages: a few hundred MB) for the time of
the rebuild. Only for a writer that adds documents and merges no other segment.
"""
from __future__ import annotations

from array import array
from typing import Iterator

from whoosh.writing import SegmentWriter

Posting = tuple[str, bytes, int, float, bytes]


class MemoryPool:
    """Postings grouped by (field, term): document numbers, weights and value bytes."""

    def __init__(self) -> None:
        self.fieldnames: set[str] = set()
        self._terms: dict[tuple[str, bytes], tuple[array, array, bytearray, array]] = {}

    def add(self, item: Posting) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        lists = self._terms.get(key)
        if lists is None:
            self.fieldnames.add(fieldname)
            lists = self._terms[key] = (array("I"), array("f"), bytearray(), array("I", [0]))
        docs, weights, values, ends = lists
        docs.append(docnum)
        weights.append(weight)
        if vbytes:
            values += vbytes
        ends.append(len(values))

    def iter_postings(self) -> Iterator[Posting]:
        """Every posting in (field, term, document) order, as Whoosh's pool yields them."""
        terms = self._terms
        for key in sorted(terms):
            fieldname, tbytes = key
            docs, weights, values, ends = terms.pop(key)
            blob = bytes(values)
            order = range(len(docs))
            if any(docs[i] > docs[i + 1] for i in range(len(docs) - 1)):
                order = sorted(order, key=docs.__getitem__)
            for i in order:
                yield fieldname, tbytes, docs[i], weights[i], blob[ends[i]:ends[i + 1]]

    def cleanup(self) -> None:
        self._terms.clear()


class _Lengths:
    """``doc_field_length`` of a per-document reader, each field's column read once."""

    def __init__(self, reader, doccount: int):  # type: ignore[no-untyped-def]
        self._reader = reader
        self._doccount = doccount
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        found = self._fields.get(fieldname)
        if found is None:
            read = self._reader.doc_field_length
            found = self._fields[fieldname] = [read(d, fieldname, 0)
                                               for d in range(self._doccount)]
        return found[docnum] if docnum < len(found) else default


class BulkWriter(SegmentWriter):
    """A segment writer whose postings stay in memory, grouped by term (see module doc)."""

    def __init__(self, ix, **kwargs: object):  # type: ignore[no-untyped-def]
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool()  # type: ignore[assignment]

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(pdr, self.docnum) if pdr is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()
