"""Tests for wikiengine.search.views: Special:Search (Go, results, paging, namespaces,
"did you mean", bad input) and the title suggestions route."""
from __future__ import annotations

import codecs
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from wikiengine import search
from wikiengine.db import session_scope
from wikiengine.store import revisions, users
from wikiengine.title import Title

DATA = Path(__file__).resolve().parent / "data" / "search"


@pytest.fixture
def wiki(app):
    with session_scope(app) as session:
        users.create_user(session, "Bibliothécaire", "un mot de passe solide", groups=["sysop"])
    with app.app_context():
        for page in json.loads((DATA / "wiki_pages.json").read_text()):
            with session_scope(app) as session:
                user = users.get_user(session, "Bibliothécaire")
                revisions.save_page(session, Title.new(page["title"]), page["text"], user)
    assert search.flush(app=app)
    return app


def get(client, **params):
    query = "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
    return client.get(f"/w/index.php?title={quote('Spécial:Recherche')}&{query}")


def test_go_to_exact_and_accent_insensitive_title(wiki, client) -> None:
    response = client.get("/w/index.php?search=Recouvrance&go=1")
    assert response.status_code == 302 and response.location.endswith("/wiki/Recouvrance")
    response = get(client, search="eglise saint-louis de brest", go="Lire")
    assert response.status_code == 302
    assert response.location.endswith("/wiki/%C3%89glise_Saint-Louis_de_Brest")


def test_go_without_match_shows_results_and_create_link(wiki, client) -> None:
    response = get(client, search="lavoirs", go="1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="mw-search-createlink"' in page and "title=Lavoirs&amp;action=edit" in page
    assert '<span class="searchmatch">Lavoir</span> du Moulin-Blanc' in page
    assert "Résultats 1 – 1 sur 1" in page


def test_fulltext_never_goes(wiki, client) -> None:
    response = get(client, search="Recouvrance", fulltext="1")
    assert response.status_code == 200
    assert 'href="/wiki/Recouvrance"' in response.get_data(as_text=True)


def test_paging_and_namespaces(wiki, client) -> None:
    page = get(client, search="brest", fulltext="1", limit="2", profile="all").get_data(
        as_text=True)
    assert page.count('class="mw-search-result"') == 2
    assert 'rel="next"' in page and "offset=2" in page
    second = get(client, search="brest", fulltext="1", limit="2", offset="2",
                 profile="all").get_data(as_text=True)
    assert 'rel="prev"' in second
    main = get(client, search="infobox", fulltext="1").get_data(as_text=True)
    assert "Il n’y a aucun résultat" in main
    templates = get(client, search="infobox", fulltext="1", ns10="1").get_data(as_text=True)
    assert "Modèle:Infobox Quartier" in templates


def test_did_you_mean_link(wiki, client) -> None:
    page = get(client, search="recouvrence", fulltext="1").get_data(as_text=True)
    assert 'class="searchdidyoumean"' in page and "search=recouvrance" in page


def test_bad_queries_give_a_page_never_a_500(wiki, client) -> None:
    lines = (DATA / "bad_queries.txt").read_text(encoding="ascii").splitlines()
    queries = [codecs.decode(line, "unicode_escape") for line in lines
               if not line.startswith("#")] + ["x" * 10_000]
    for text in queries:
        for mode in ({"fulltext": "1"}, {"go": "1"}):
            response = client.get("/w/index.php", query_string={
                "title": "Spécial:Recherche", "search": text, **mode})
            assert response.status_code in (200, 302, 400), (text, response.status_code)
            if response.status_code == 400:  # the web views refuse NUL characters, clearly
                assert "\x00" in text and "NUL" in response.get_data(as_text=True)
    page = get(client, search="x" * 10_000, fulltext="1").get_data(as_text=True)
    assert "trop longue" in page
    assert "Saisissez un ou plusieurs mots" in get(client, search="*", fulltext="1").get_data(
        as_text=True)
    assert get(client, search="lavoir", limit="abc").status_code == 400


def test_snippets_escape_page_text(wiki, client) -> None:
    page = get(client, search="musée", fulltext="1").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_empty_search_shows_the_form(wiki, client) -> None:
    response = client.get(f"/wiki/{quote('Spécial:Recherche')}")
    assert response.status_code == 200 and 'id="searchText"' in response.get_data(as_text=True)


def test_title_suggestions(wiki, client) -> None:
    data = client.get("/w/rest.php/v1/search/title?q=sai&limit=5").get_json()
    assert [p["title"] for p in data["pages"]] == ["Saint-Marc"]
    assert data["pages"][0]["key"] == "Saint-Marc"
    data = client.get(f"/w/rest.php/v1/search/title?q={quote('modèle:inf')}").get_json()
    assert [p["title"] for p in data["pages"]] == ["Modèle:Infobox Quartier"]
    assert client.get("/w/rest.php/v1/search/title?q=").get_json() == {"pages": []}
    assert client.get("/w/rest.php/v1/search/title?q=a&limit=x").status_code == 400
    assert client.get("/w/rest.php/v1/search/title?q=" + "a" * 5000).get_json() == {"pages": []}


def test_go_is_the_default_as_in_mediawiki(wiki, client) -> None:
    assert get(client, search="saint-marc").status_code == 302
    assert client.get(f"/wiki/{quote('Spécial:Recherche')}/Recouvrance").status_code == 302
    assert get(client, search="saint-marc", offset="0").status_code == 200
