"""The rebuild's fast paths write exactly what Whoosh's own writer and formats would."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh.formats import Frequency, Positions

from wikiengine.search import analysis
from wikiengine.search.backend import WhooshBackend, to_fields
from wikiengine.search.bulk import MemoryPool
from wikiengine.search.document import SearchDocument

DATA = Path(__file__).resolve().parent / "data" / "search"


def load_docs() -> list[SearchDocument]:
    prefixes = {0: "", 10: "Modèle:", 14: "Catégorie:"}
    return [SearchDocument(prefixed=prefixes[row["namespace"]] + row["title"], **row)
            for row in json.loads((DATA / "pages.json").read_text())]


def texts() -> list[str]:
    out = []
    for doc in load_docs():
        out.extend([doc.title, doc.content, "\n".join(doc.categories)])
    return out + ["", "le la de l'", "Œuvre d'art, qu'il l'a dit: aujourd'hui 3 fois"]


@pytest.mark.parametrize("language", ["fr", "en", "br"])
@pytest.mark.parametrize("make", [analysis.text_analyzer, analysis.title_analyzer,
                                  analysis.spelling_analyzer])
def test_fast_formats_give_whooshs_postings(language: str, make) -> None:  # type: ignore[no-untyped-def]
    """Same terms, frequencies, weights and positions (``FastPositions`` stores positions
    in its own layout: compared decoded; ``FastFrequency`` writes the same bytes)."""
    analyzer = make(language)
    for text in texts():
        for slow, fast in ((Positions(), analysis.FastPositions()),
                           (Frequency(), analysis.FastFrequency())):
            assert (decoded(fast, fast.word_values(text, analyzer, mode="index"))
                    == decoded(slow, slow.word_values(text, analyzer, mode="index"))), text


def decoded(format_, values):  # type: ignore[no-untyped-def]
    if isinstance(format_, Positions):
        return sorted((word, freq, weight, format_.decode_frequency(value),
                       format_.decode_positions(value)) for word, freq, weight, value in values)
    return sorted(values)


def test_fast_positions_decode_one_value_and_whole_posting_lists() -> None:
    fast = analysis.FastPositions()
    lists = [[0], [3, 5, 9], [7], [0, 1, 2, 100_000], list(range(0, 3000, 3))]
    values = [fast.encode(positions) for positions in lists]
    assert [fast.decode_positions(v) for v in values] == lists
    assert [fast.decode_frequency(v) for v in values] == [len(p) for p in lists]
    flat = fast.decode_positions_array(values, [len(p) for p in lists])
    assert flat.tolist() == [n for positions in lists for n in positions]
    assert fast.decode_positions_array([], []).tolist() == []


def test_fast_formats_fall_back_for_other_analysers() -> None:
    analyzer = analysis.key_analyzer()
    text = "Église Saint-Marc\nRecouvrance"
    assert (list(analysis.FastFrequency().word_values(text, analyzer, mode="index"))
            == list(Frequency().word_values(text, analyzer, mode="index")))


def test_memory_pool_orders_postings_by_term_then_document() -> None:
    pool = MemoryPool()
    pool.add(("content", b"rade", 2, 1.0, b"x"))
    pool.add(("content", b"brest", 0, 2.0, b""))
    pool.add(("content", b"rade", 1, 3.0, b"yz"))
    pool.add(("title", b"brest", 0, 1.0, b"t"))
    assert list(pool.iter_postings()) == [
        ("content", b"brest", 0, 2.0, b""), ("content", b"rade", 1, 3.0, b"yz"),
        ("content", b"rade", 2, 1.0, b"x"), ("title", b"brest", 0, 1.0, b"t")]
    assert pool.fieldnames == {"content", "title"}


def postings(backend: WhooshBackend) -> list[tuple]:
    with backend.searcher() as searcher:
        return [tuple(p) for p in searcher.reader().iter_postings()]


def test_rebuild_writes_the_same_index_as_whooshs_writer(tmp_path: Path) -> None:
    docs = load_docs()
    bulk = WhooshBackend(tmp_path / "bulk", "fr")
    bulk.open()
    assert bulk.replace_all(docs) == len(docs)
    plain = WhooshBackend(tmp_path / "plain", "fr")
    writer = plain.open().writer()
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    plain._changed()
    found = postings(bulk)
    assert found and found == postings(plain)
    with bulk.searcher() as a, plain.searcher() as b:
        assert [a.stored_fields(n) for n in range(len(docs))] == \
               [b.stored_fields(n) for n in range(len(docs))]
        for field in ("content", "title"):
            assert [a.doc_field_length(n, field) for n in range(len(docs))] == \
                   [b.doc_field_length(n, field) for n in range(len(docs))]
