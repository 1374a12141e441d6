"""Tests for wikiengine.search.backend and query: ranking, snippets, prefixes, suggestions,
bad input, and recovery from a missing or corrupt index (no database involved)."""
from __future__ import annotations

import codecs
import json
import time
from pathlib import Path

import pytest

from wikiengine.search.backend import WhooshBackend
from wikiengine.search.document import SearchDocument
from wikiengine.search.query import MAX_QUERY_LENGTH, QueryError, parse

DATA = Path(__file__).resolve().parent / "data" / "search"


def load_docs() -> list[SearchDocument]:
    docs = []
    prefixes = {0: "", 10: "Modèle:", 14: "Catégorie:"}
    for row in json.loads((DATA / "pages.json").read_text()):
        docs.append(SearchDocument(prefixed=prefixes[row["namespace"]] + row["title"], **row))
    return docs


def bad_queries() -> list[str]:
    """The hostile queries of tests/data/search/bad_queries.txt (``\\x00`` escapes decoded)."""
    lines = (DATA / "bad_queries.txt").read_text(encoding="ascii").splitlines()
    return [codecs.decode(line, "unicode_escape") for line in lines if not line.startswith("#")]


@pytest.fixture
def backend(tmp_path: Path) -> WhooshBackend:
    b = WhooshBackend(tmp_path / "index", "fr")
    b.open()
    b.replace_all(load_docs())
    return b


def titles(backend: WhooshBackend, text: str, namespaces=(0,), limit=10, offset=0) -> list[str]:
    total, hits = backend.search(parse(text, backend.schema).ranked(),
                                 namespaces=list(namespaces) if namespaces else None,
                                 limit=limit, offset=offset)
    return [h.title for h in hits]


def test_new_index_is_flagged_for_rebuild(tmp_path: Path) -> None:
    b = WhooshBackend(tmp_path / "index", "fr")
    b.open()
    assert b.needs_rebuild and "missing" in b.message
    b.replace_all([])
    assert not b.needs_rebuild
    again = WhooshBackend(tmp_path / "index", "fr")
    again.open()
    assert not again.needs_rebuild


def test_corrupt_index_is_recreated_with_a_message(tmp_path: Path, backend: WhooshBackend) -> None:
    backend.close()
    for f in (tmp_path / "index").glob("*.seg"):
        f.write_bytes(b"garbage" * 10)
    for f in (tmp_path / "index").glob("_MAIN_*.toc"):
        f.write_bytes(b"\x00\x01broken")
    b = WhooshBackend(tmp_path / "index", "fr")
    b.open()
    assert b.needs_rebuild and "unreadable" in b.message
    assert b.doc_count() == 0


def test_title_matches_rank_before_text_matches(backend: WhooshBackend) -> None:
    got = titles(backend, "recouvrance")
    assert got[0] == "Recouvrance"
    assert set(got[1:]) == {"Lavoir du Moulin-Blanc", "Penfeld", "Tour Tanguy"}
    assert titles(backend, "lavoir")[0] == "Lavoir du Moulin-Blanc"


def test_accents_plurals_elision_are_ignored(backend: WhooshBackend) -> None:
    assert titles(backend, "eglise saint louis")[0] == "Église Saint-Louis de Brest"
    assert "Lavoir du Moulin-Blanc" in titles(backend, "LAVOIRS")
    assert "Saint-Marc" in titles(backend, "l'eglise")
    assert "Rade de Brest" in titles(backend, "oeuvres")


def test_hyphenated_name_is_not_an_exclusion(backend: WhooshBackend) -> None:
    assert titles(backend, "Saint-Marc")[0] == "Saint-Marc"


def test_exclusion_phrase_and_operators(backend: WhooshBackend) -> None:
    assert "Lavoir du Moulin-Blanc" not in titles(backend, "brest -lavoir")
    assert titles(backend, '"rive droite"') == ["Recouvrance"]
    assert set(titles(backend, "vitraux OR tempêtes")) == {"Église Saint-Louis de Brest",
                                                           "Rade de Brest"}
    assert titles(backend, "intitle:tanguy") == ["Tour Tanguy"]
    assert "Saint-Marc" in titles(backend, "incategory:quartier")


def test_prefix_wildcard(backend: WhooshBackend) -> None:
    assert "Lavoir du Moulin-Blanc" in titles(backend, "lavandi*")


def test_prefix_matches_each_page_once_title_matches_first(backend: WhooshBackend) -> None:
    from whoosh.query import Prefix

    from wikiengine.search.query import FlatPrefix

    parsed = parse("lav*", backend.schema).ranked()
    assert any(isinstance(leaf, FlatPrefix) for leaf in parsed.leaves())
    whoosh_own = parsed.accept(lambda q: Prefix(q.fieldname, q.text, boost=q.boost)
                               if isinstance(q, FlatPrefix) else q)
    with backend.searcher() as s:
        expected = {s.stored_fields(n)["page_id"] for n in s.docs_for_query(whoosh_own)}
    total, hits = backend.search(parsed, namespaces=None, limit=500, offset=0)
    assert expected and {str(h.page_id) for h in hits} == expected
    assert total == len(hits) == len(expected)
    in_title = [h for h in hits if h.title.split(":")[-1].lower().startswith("lav")]
    assert in_title and hits[:len(in_title)] == in_title


def test_namespace_filter_and_all(backend: WhooshBackend) -> None:
    assert titles(backend, "infobox") == []
    assert titles(backend, "infobox", namespaces=(10,)) == ["Modèle:Infobox Quartier"]
    assert "Catégorie:Quartier de Brest" in titles(backend, "quartiers", namespaces=None)


def test_paging_and_total(backend: WhooshBackend) -> None:
    total, first = backend.search(parse("brest", backend.schema).ranked(), namespaces=[0],
                                  limit=2, offset=0)
    _, second = backend.search(parse("brest", backend.schema).ranked(), namespaces=[0],
                               limit=2, offset=2)
    assert total == 7
    assert len(first) == 2 and len(second) == 2
    assert not {h.page_id for h in first} & {h.page_id for h in second}


def test_total_counts_every_match_whatever_the_limit(tmp_path: Path) -> None:
    b = WhooshBackend(tmp_path / "index", "fr")
    b.open()
    # Whoosh's collector may swap in a pruned matcher once its top N is full, which also
    # drops pages from the count; the total must not depend on the limit.
    docs = [SearchDocument(page_id=n, namespace=0, title=f"Page {n}", prefixed=f"Page {n}",
                           content=f"Rue {n}, près du lavoir, " + "mot " * n)
            for n in range(1, 60)]
    docs[29] = SearchDocument(page_id=30, namespace=0, title="Lavoir", prefixed="Lavoir",
                              content="Le lavoir.")
    b.replace_all(docs)
    for text in ("lavoir", "lav*"):
        query = parse(text, b.schema).ranked()
        for limit in (1, 5, 100):
            total, hits = b.search(query, namespaces=[0], limit=limit, offset=0)
            assert total == 59, (text, limit, total)
            assert hits[0].title == "Lavoir"
    for text in ("lav* OR mot", "rue lavoir", "mot -lavoir", "lav* 3"):
        query = parse(text, b.schema).ranked()
        with b.searcher() as s:
            expected = len(set(s.docs_for_query(query)))
        assert [b.search(query, namespaces=None, limit=limit, offset=0)[0]
                for limit in (1, 3, 100)] == [expected] * 3, text


def test_snippets_highlight_and_escape(backend: WhooshBackend) -> None:
    _, hits = backend.search(parse("musée", backend.schema).ranked(), namespaces=[0],
                             limit=5, offset=0)
    assert hits[0].title == "Tour Tanguy"
    assert '<span class="searchmatch">musée</span>' in hits[0].snippet
    assert "<script>" not in hits[0].snippet
    _, hits = backend.search(parse("tanguy", backend.schema).ranked(), namespaces=[0],
                             limit=5, offset=0)
    assert hits[0].titlesnippet == 'Tour <span class="searchmatch">Tanguy</span>'
    assert hits[0].wordcount > 10 and hits[0].score > 0


def test_redirect_title_is_searchable(backend: WhooshBackend) -> None:
    _, hits = backend.search(parse("quartier recouvrance", backend.schema).ranked(),
                             namespaces=[0], limit=5, offset=0)
    assert hits[0].title == "Recouvrance"
    assert hits[0].redirecttitle == "Quartier de Recouvrance"
    assert backend.redirect_targets(101) == [1]


def test_prefix_exact_first_then_alphabetical(backend: WhooshBackend) -> None:
    assert [f["prefixed"] for f in backend.prefix("r", [0], 10)] == ["Rade de Brest",
                                                                      "Recouvrance"]
    assert [f["prefixed"] for f in backend.prefix("re", [0], 10)] == ["Recouvrance"]
    assert [f["prefixed"] for f in backend.prefix("", [0], 3)] == [
        "Église Saint-Louis de Brest", "Lavoir du Moulin-Blanc", "Penfeld"]
    assert [f["prefixed"] for f in backend.prefix("Recouvrance", [0], 10)][0] == "Recouvrance"
    assert [f["prefixed"] for f in backend.prefix("egl", [0], 10)] == [
        "Église Saint-Louis de Brest"]
    assert [f["prefixed"] for f in backend.prefix("quartier de r", [0], 10)] == ["Recouvrance"]


def test_titles_with_key_ignores_case_and_accents(backend: WhooshBackend) -> None:
    assert [f["prefixed"] for f in backend.titles_with_key("EGLISE saint-louis de brest", [0])] \
        == ["Église Saint-Louis de Brest"]
    assert backend.titles_with_key("eglise", [0]) == []


def test_did_you_mean(backend: WhooshBackend) -> None:
    assert backend.suggest(["recouvrence", "lavoor"]) == ["recouvrance", "lavoir"]
    # a word that matches through its stem (plural, missing accent) is left alone
    assert backend.suggest(["recouvrence", "lavoirs", "eglise"]) == [
        "recouvrance", "lavoirs", "eglise"]
    assert backend.suggest(["recouvrance"]) == []


def test_edit_distance_bound() -> None:
    from wikiengine.search.backend import within

    assert within("lavoir", "lavoir", 0) and within("lavoir", "lavoirs", 1)
    assert within("recouvrance", "recouvranse", 1) and not within("recouvrance", "recouvrnse", 1)
    assert within("recouvrance", "recouvrnse", 2) and not within("brest", "brestois", 2)
    assert within("", "ab", 2) and not within("", "abc", 2)


def test_closest_word_agrees_with_whooshs_automaton(backend: WhooshBackend) -> None:
    with backend.searcher() as s:
        reader = s.reader()
        words = [t.decode() for t in reader.lexicon("spell") if len(t) > 4]
        assert len(words) > 20
        for word in words[::3]:
            for typo in (word[:2] + word[3:], word[:3] + "x" + word[4:], word + "q"):
                expected = ""
                for distance, prefix in ((1, 1), (2, 2)):
                    found = sorted(reader.terms_within("spell", typo, distance, prefix=prefix),
                                   key=lambda t: (-reader.doc_frequency("spell", t), t))
                    found = [t for t in found if t != typo]
                    if found:
                        expected = found[0]
                        break
                assert backend._closest(reader, typo) == expected, typo


def test_update_and_delete_are_seen_by_the_shared_searcher(backend: WhooshBackend) -> None:
    assert titles(backend, "kerinou") == []
    doc = SearchDocument(page_id=50, namespace=0, title="Kerinou", prefixed="Kerinou",
                         content="Kerinou est un quartier.")
    started = time.perf_counter()
    backend.apply([doc], [])
    assert time.perf_counter() - started < 2.0
    assert titles(backend, "kerinou") == ["Kerinou"]
    backend.apply([], [50])
    assert titles(backend, "kerinou") == []


def test_bad_queries_give_results_or_a_clear_error(backend: WhooshBackend) -> None:
    queries = bad_queries()
    queries += ["lavoir " * 1500, "x" * 10_000, "*" * 301]
    for text in queries:
        try:
            parsed = parse(text, backend.schema)
        except QueryError as exc:
            assert exc.code in ("empty", "toolong") and exc.message
            continue
        total, hits = backend.search(parsed.ranked(), namespaces=[0], limit=5, offset=0)
        assert total >= len(hits)


def test_too_long_and_empty_messages(backend: WhooshBackend) -> None:
    with pytest.raises(QueryError) as too_long:
        parse("a" * (MAX_QUERY_LENGTH + 1), backend.schema)
    assert too_long.value.code == "toolong" and str(MAX_QUERY_LENGTH) in too_long.value.message
    with pytest.raises(QueryError) as empty:
        parse(" * ", backend.schema)
    assert empty.value.code == "empty"
    assert parse("lav\x00oir", backend.schema).text == "lav oir"


def test_an_interrupted_rebuild_is_seen_by_every_process(tmp_path: Path) -> None:
    first = WhooshBackend(tmp_path / "index", "fr")
    first.open()
    other = WhooshBackend(tmp_path / "index", "fr")  # another worker process, same folder
    other.open()
    assert first.needs_rebuild and other.needs_rebuild and "incomplete" in other.message
    other.replace_all(load_docs())
    assert not first.needs_rebuild


def test_changing_the_site_language_rebuilds_the_index(tmp_path: Path) -> None:
    french = WhooshBackend(tmp_path / "index", "fr")
    french.open()
    french.replace_all(load_docs())
    english = WhooshBackend(tmp_path / "index", "en")
    english.open()
    assert english.needs_rebuild and "language" in english.message
    assert english.doc_count() == 0
