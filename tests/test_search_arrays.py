"""The array scorer (``search.arrays``) answers exactly as Whoosh's own matchers do.

Pages are generated from the words of real articles (Zipf-like, so some words are in most
pages), indexed in two segments with deletions and updates, and every query of
``data/search/differential_queries.txt`` is run both ways in several namespace filters.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from whoosh.query import AndNot

from tests.conftest import shared_path
from wikiengine.search import arrays
from wikiengine.search.backend import WhooshBackend
from wikiengine.search.document import SearchDocument
from wikiengine.search.plaintext import wikitext_to_text
from wikiengine.search.query import parse

DATA = Path(__file__).resolve().parent / "data" / "search"
WORD = re.compile(r"[^\W\d_]{3,}")
PREFIXES = {0: "", 10: "Modèle:", 14: "Catégorie:"}


def vocabulary() -> list[str]:
    counts: dict[str, int] = {}
    for path in sorted(shared_path("corpus", "articles").glob("*.wikitext"))[:40]:
        for word in WORD.findall(wikitext_to_text(path.read_text(encoding="utf-8")).lower()):
            counts[word] = counts.get(word, 0) + 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:3000]


def generate(vocab: list[str], count: int, rng: random.Random) -> list[SearchDocument]:
    weights = [1.0 / (rank + 3) for rank in range(len(vocab))]
    docs = []
    for page_id in range(1, count + 1):
        words = rng.choices(vocab, weights=weights, k=rng.randint(5, 400))
        title = " ".join(rng.choices(vocab[50:800], k=rng.randint(1, 3))).capitalize()
        namespace = rng.choices([0, 10, 14], weights=[85, 5, 10])[0]
        docs.append(SearchDocument(
            page_id=page_id, namespace=namespace, title=title,
            prefixed=PREFIXES[namespace] + title, content=" ".join(words) + ".",
            headings=[w.capitalize() for w in rng.choices(vocab[20:400], k=2)],
            categories=[rng.choice(vocab[30:200]).capitalize()],
            redirects=[rng.choice(vocab[100:900]).capitalize()] if rng.random() < 0.1 else []))
    return docs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):  # type: ignore[no-untyped-def]
    rng = random.Random(29)
    vocab = vocabulary()
    docs = generate(vocab, 700, rng)
    backend = WhooshBackend(tmp_path_factory.mktemp("arrays") / "index", "fr")
    backend.open()
    backend.replace_all(docs[:600])
    # A second segment, pages deleted from the first, and pages updated (deleted + added).
    for doc in docs[10:40]:
        doc.content += " " + " ".join(rng.choices(vocab[:40], k=30))
    backend.apply(docs[600:] + docs[10:40], deletions=[d.page_id for d in docs[40:60]])
    yield backend, vocab, docs
    backend.close()


def queries(vocab: list[str], docs: list[SearchDocument]) -> list[str]:
    rng = random.Random(3)
    out = []
    for line in (DATA / "differential_queries.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        for _ in range(3):
            words = WORD.findall(rng.choice(docs).content)
            i = rng.randrange(len(words) - 3) if len(words) > 3 else 0
            out.append(line.format(
                common=rng.choice(vocab[:30]), common2=rng.choice(vocab[:60]),
                rare=rng.choice(vocab[1000:]), word=rng.choice(vocab[30:600]),
                title=rng.choice(docs).title, phrase=" ".join(words[i:i + 2]),
                phrase3=" ".join(words[i:i + 3]), prefix=rng.choice(vocab[:300])[:3],
                category=rng.choice(docs).categories[0]))
    return out


def answers(backend: WhooshBackend, text: str, namespaces, use_arrays: bool,  # type: ignore[no-untyped-def]
            limit: int = 30, offset: int = 0):
    backend.use_arrays = use_arrays
    total, hits = backend.search(parse(text, backend.schema).ranked(), namespaces=namespaces,
                                 limit=limit, offset=offset, snippets=False)
    return total, [(h.page_id, h.score) for h in hits]


@pytest.mark.parametrize("namespaces", [None, [0], [0, 14], []])
def test_same_totals_order_and_scores_as_whoosh(corpus, namespaces, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    backend, vocab, docs = corpus
    whoosh = {q: answers(backend, q, namespaces, False) for q in queries(vocab, docs)}
    # The array scorer must answer every one of these itself, not fall back to Whoosh.
    monkeypatch.setattr(WhooshBackend, "_whoosh_search", staticmethod(_no_fallback))
    matched = 0
    for text, (total, hits) in whoosh.items():
        got_total, got = answers(backend, text, namespaces, True)
        if got_total != total and type(parse(text, backend.schema).ranked()) is AndNot:
            # Whoosh's AndNotMatcher lets through some pages of the excluded part (seen with
            # a union over fields as the excluded part, in the second segment): the answer
            # must then be the set difference of Whoosh's own answers for the two parts.
            assert got_total == len(set_difference(backend, text, namespaces)), text
            continue
        assert got_total == total, text
        assert [p for p, _ in got] == [p for p, _ in hits], text
        assert [s for _, s in got] == pytest.approx([s for _, s in hits], rel=1e-6), text
        matched += total > 0
    assert matched > len(whoosh) * 0.6  # the queries do find pages


def set_difference(backend: WhooshBackend, text: str, namespaces) -> set[int]:  # type: ignore[no-untyped-def]
    """Pages matching ``a`` and not ``b`` of the query ``a -b``, from Whoosh's answers for
    each part (``docs_for_query`` walks a matcher without skipping), in ``namespaces``."""
    query = parse(text, backend.schema).ranked()
    with backend.searcher() as s:
        found = set(s.docs_for_query(query.a)) - set(s.docs_for_query(query.b))
        pages = {int(s.stored_fields(n)["page_id"]): int(s.stored_fields(n)["namespace"])
                 for n in found}
    return {p for p, ns in pages.items() if not namespaces or ns in namespaces}


def test_excluded_words_are_excluded_where_whoosh_lets_one_through(corpus) -> None:  # type: ignore[no-untyped-def]
    """The case where Whoosh's AndNotMatcher keeps a page containing the excluded word
    ('state' stems as 'states' does): the array scorer excludes it."""
    backend, _vocab, docs = corpus
    text = "have -states"
    total, hits = answers(backend, text, [0, 14], True, limit=1000)
    whoosh_total, whoosh_hits = answers(backend, text, [0, 14], False, limit=1000)
    assert total == len(set_difference(backend, text, [0, 14])) == whoosh_total - 1
    let_through = {p for p, _ in whoosh_hits} - {p for p, _ in hits}
    assert [d.page_id for d in docs if d.page_id in let_through and
            re.search(r"\bstates?\b", d.content)] == list(let_through)


def _no_fallback(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("the array scorer fell back to Whoosh's matchers")


def test_paging_and_deleted_pages(corpus) -> None:  # type: ignore[no-untyped-def]
    backend, vocab, _docs = corpus
    word = vocab[0]
    total, first = answers(backend, word, None, True, limit=10)
    _, second = answers(backend, word, None, True, limit=10, offset=10)
    _, both = answers(backend, word, None, True, limit=20)
    assert both == first + second and total > 20
    _, everything = answers(backend, word, None, True, limit=1000)
    deleted = set(range(41, 61))
    assert not deleted & {p for p, _ in everything}


def test_unsupported_shapes_fall_back_to_whoosh(corpus) -> None:  # type: ignore[no-untyped-def]
    backend, vocab, _docs = corpus
    for text in (f'"{vocab[0]} {vocab[1]}"~40', f'"{vocab[2]} {vocab[3]}"~33'):
        query = parse(text, backend.schema).ranked()
        with backend.searcher() as s, pytest.raises(arrays.Unsupported):
            arrays.ArraySearcher(s).top(query, namespaces=None, limit=10)
        assert answers(backend, text, None, True) == answers(backend, text, None, False)


def test_cached_arrays_follow_updates_deletions_and_merges(tmp_path: Path) -> None:
    """The arrays cached per segment outlive a searcher; new segments, deletions and
    merges are seen at once."""
    backend = WhooshBackend(tmp_path / "index", "fr")
    backend.open()
    page = SearchDocument(page_id=1, namespace=0, title="Lavoir du Pilier Rouge",
                          prefixed="Lavoir du Pilier Rouge", content="Un lavoir couvert.")
    other = SearchDocument(page_id=2, namespace=0, title="Recouvrance",
                           prefixed="Recouvrance", content="Le quartier et son lavoir.")
    backend.replace_all([page, other])
    assert [p for p, _ in answers(backend, "lavoir", None, True)[1]] == [1, 2]
    backend.apply([], deletions=[1])
    assert [p for p, _ in answers(backend, "lavoir", None, True)[1]] == [2]
    page.page_id, page.content = 3, "Un lavoir restauré en 2024."
    backend.apply([page], deletions=[])
    assert [p for p, _ in answers(backend, "restauré", None, True)[1]] == [3]
    assert answers(backend, "lavoir", None, True) == answers(backend, "lavoir", None, False)
    backend.optimize()
    assert answers(backend, "lavoir", None, True) == answers(backend, "lavoir", None, False)
    with backend.searcher() as s:
        live = {leaf.reader()._segment.segment_id() for leaf, _ in s.leaf_searchers()}
    assert {key[0] for key in backend._array_cache.lengths} <= live
    backend.close()


def test_cache_size_comes_from_the_settings(app) -> None:  # type: ignore[no-untyped-def]
    backend = app.extensions["search"].backend
    assert backend._array_cache.postings.limit == 96 * 1024 * 1024
    small = WhooshBackend(Path(app.config["SEARCH_INDEX_DIR"]) / "x", "fr", cache_mb=0.5)
    assert small._array_cache.postings.limit == 512 * 1024


def test_posting_cache_is_bounded() -> None:
    import numpy as np
    cache = arrays.PostingCache(limit=1000)
    for key in range(10):
        cache.put(("seg", "content", key), arrays.Postings(np.zeros(20, np.int64), np.zeros(20)))
    assert cache.size <= 1000  # 320 bytes each
    assert cache.get(("seg", "content", 9)) is not None
    assert cache.get(("seg", "content", 0)) is None
    cache.retain({"other"})
    assert cache.size == 0 and cache.get(("seg", "content", 9)) is None
