"""``ArrayCodec`` stores what Whoosh's own codec stores: read back through Whoosh's matchers
and through ``search.arrays``, postings spanning many blocks are the same."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3Codec

from wikiengine.search import arrays
from wikiengine.search.backend import WhooshBackend, to_fields
from wikiengine.search.codec import BLOCK_POSTINGS, ArrayCodec
from wikiengine.search.document import SearchDocument

WORDS = ["lavoir", "quartier", "pont", "rade", "arsenal", "tramway", "marché", "église"]


def pages(count: int) -> list[SearchDocument]:
    rng = random.Random(5)
    out = []
    for page_id in range(1, count + 1):
        words = rng.choices(WORDS, weights=[50, 20, 10, 5, 5, 5, 3, 2], k=rng.randint(1, 30))
        out.append(SearchDocument(page_id=page_id, namespace=rng.choice([0, 0, 0, 14]),
                                  title=f"Page {page_id}", prefixed=f"Page {page_id}",
                                  content=" ".join(words),
                                  headings=[rng.choice(WORDS).capitalize()]))
    return out


def build(path: Path, codec, docs: list[SearchDocument]) -> WhooshBackend:  # type: ignore[no-untyped-def]
    backend = WhooshBackend(path, "fr")
    writer = backend.open().writer(codec=codec)
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    backend._changed()
    return backend


def test_array_blocks_read_back_as_whooshs(tmp_path: Path) -> None:
    docs = pages(BLOCK_POSTINGS * 2 + 300)  # "lavoir" spans three blocks
    mine = build(tmp_path / "array", ArrayCodec(), docs)
    theirs = build(tmp_path / "w3", W3Codec(), docs)
    with mine.searcher() as a, theirs.searcher() as b:
        assert [tuple(p) for p in a.reader().iter_postings()] == \
               [tuple(p) for p in b.reader().iter_postings()]
        # Whoosh's own skipping through array blocks.
        for fieldname, term in (("content", b"lavoir"), ("content", b"eglis"),
                                ("headings", b"pont"), ("namespace", b"14")):
            ma, mb = a.postings(fieldname, term), b.postings(fieldname, term)
            for target in (5, 900, BLOCK_POSTINGS + 7, 2 * BLOCK_POSTINGS + 100):
                if not mb.is_active():
                    break
                ma.skip_to(target)
                mb.skip_to(target)
                assert ma.is_active() == mb.is_active()
                if mb.is_active():
                    assert (ma.id(), ma.weight(), ma.value()) == (mb.id(), mb.weight(), mb.value())
        # The array reader gives the same postings and positions for both layouts.
        reader_a, reader_b = a.reader(), b.reader()
        for fieldname, term in (("content", b"lavoir"), ("content", b"eglis"),
                                ("title", b"page"), ("namespace", b"0")):
            positional = fieldname in ("content", "title")
            pa = arrays.read_postings(reader_a, fieldname, term, positions=positional)
            pb = arrays.read_postings(reader_b, fieldname, term, positions=positional)
            assert pa.ids.size > BLOCK_POSTINGS or fieldname != "content" or term != b"lavoir"
            assert np.array_equal(pa.ids, pb.ids) and np.array_equal(pa.weights, pb.weights)
            if positional:
                assert np.array_equal(pa.positions, pb.positions)
    assert mine.search(_query(mine, "lavoir"), namespaces=[0], limit=10, offset=0,
                       snippets=False)[0] > BLOCK_POSTINGS


def _query(backend: WhooshBackend, text: str):  # type: ignore[no-untyped-def]
    from wikiengine.search.query import parse
    return parse(text, backend.schema).ranked()


def test_backend_writes_every_segment_with_the_array_codec(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path / "index", "fr")
    backend.open()
    docs = pages(50)
    backend.replace_all(docs[:40])
    backend.apply(docs[40:], deletions=[3])
    with backend.searcher() as s:
        codecs = {type(leaf.reader()._segment.codec()) for leaf, _ in s.leaf_searchers()}
    assert codecs == {ArrayCodec}
