"""action=query: the page set (normalized, redirects, missing/invalid, indexpageids), props,
lists and generators, and the continue protocol, in formatversion 1 and 2."""
from __future__ import annotations

import pytest

from api_helpers import api, edit, logged_in


@pytest.fixture
def wiki(app):
    client = logged_in(app)
    edit(client, "Alpha", "Texte alpha [[Beta]] [[Gamma]] {{Modèle:Boîte}} "
                          "[[Catégorie:Lettres|A]] http://example.org/a")
    edit(client, "Beta", "#REDIRECTION [[Alpha#Histoire]]")
    edit(client, "Modèle:Boîte", "boîte")
    edit(client, "Catégorie:Lettres", "Les lettres.")
    for i in range(7):
        edit(client, f"Lettre {i}", f"Lettre numéro {i} [[Catégorie:Lettres]] [[Alpha]]")
    return client


def _pages(data):
    return list(data["query"]["pages"].values())


def test_page_set_shapes_fv1(wiki) -> None:
    data = api(wiki, action="query", titles="alpha|Beta|Nulle_part|Spécial:Accueil|a{b",
               indexpageids=True)
    q = data["query"]
    assert q["normalized"] == [{"from": "alpha", "to": "Alpha"},
                               {"from": "Nulle_part", "to": "Nulle part"}]
    assert q["pageids"] == list(q["pages"])
    by_title = {p["title"]: p for p in q["pages"].values()}
    assert by_title["Nulle part"]["missing"] == "" and int(
        next(k for k, v in q["pages"].items() if v["title"] == "Nulle part")) < 0
    assert by_title["Spécial:Accueil"]["special"] == ""
    assert by_title["a{b"]["invalid"] == "" and "invalidreason" in by_title["a{b"]
    assert data["batchcomplete"] == ""


def test_page_set_shapes_fv2(wiki) -> None:
    data = api(wiki, action="query", titles="Alpha|Nulle part", formatversion=2)
    pages = data["query"]["pages"]
    assert isinstance(pages, list)
    assert pages[1]["missing"] is True and "missing" not in pages[0]
    assert data["batchcomplete"] is True


def test_redirects_resolved(wiki) -> None:
    q = api(wiki, action="query", titles="Beta", redirects=True, prop="info")["query"]
    assert q["redirects"] == [{"from": "Beta", "to": "Alpha", "tofragment": "Histoire"}]
    assert [p["title"] for p in q["pages"].values()] == ["Alpha"]
    unresolved = api(wiki, action="query", titles="Beta", prop="info")["query"]
    assert _pages({"query": unresolved})[0]["redirect"] == ""


def test_link_props(app, wiki) -> None:
    from wikiengine.db import session_scope
    from wikiengine.models import LangLink, Page

    with app.app_context(), session_scope(app) as s:  # the renderer's interwiki map is not ours
        alpha = s.query(Page).filter_by(namespace=0, title="Alpha").one()
        s.add(LangLink(from_id=alpha.page_id, lang="en", title="Alpha"))
    page = _pages(api(wiki, action="query", titles="Alpha",
                      prop="links|templates|categories|langlinks|extlinks",
                      cllimit="max", pllimit="max"))[0]
    assert {"Beta", "Gamma"} <= {link["title"] for link in page["links"]}
    assert [t["title"] for t in page["templates"]] == ["Modèle:Boîte"]
    assert [c["title"] for c in page["categories"]] == ["Catégorie:Lettres"]
    assert page["langlinks"] == [{"lang": "en", "*": "Alpha"}]
    assert page["extlinks"] == [{"*": "http://example.org/a"}]


def test_categoryinfo_and_categorymembers_generator(wiki) -> None:
    info = _pages(api(wiki, action="query", titles="Catégorie:Lettres",
                      prop="categoryinfo"))[0]["categoryinfo"]
    assert info == {"size": 8, "pages": 8, "files": 0, "subcats": 0}
    titles, params = [], {"gcmlimit": 3}
    for _ in range(5):
        data = api(wiki, action="query", generator="categorymembers",
                   gcmtitle="Catégorie:Lettres", prop="info", **params)
        titles += [p["title"] for p in data["query"]["pages"].values()]
        if "continue" not in data:
            break
        params = {"gcmlimit": 3, **data["continue"]}
        assert data["continue"]["continue"] == "gcmcontinue||"
    assert sorted(titles) == sorted(["Alpha"] + [f"Lettre {i}" for i in range(7)])


def test_revisions_history_continuation(wiki) -> None:
    for i in range(3):
        edit(wiki, "Alpha", f"version {i}")
    seen, params = [], {}
    while True:
        data = api(wiki, action="query", prop="revisions", titles="Alpha", rvlimit=2,
                   rvprop="ids|comment", **params)
        seen += [r["revid"] for r in _pages(data)[0]["revisions"]]
        if "continue" not in data:
            break
        params = data["continue"]
    assert len(seen) == 4 and seen == sorted(seen, reverse=True)


def test_lists_with_continuation(wiki) -> None:
    seen, params = [], {}
    while True:
        data = api(wiki, action="query", list="allpages", apprefix="Lettre", aplimit=3,
                   **params)
        seen += [p["title"] for p in data["query"]["allpages"]]
        if "continue" not in data:
            break
        assert data["continue"]["continue"] == "-||"
        params = data["continue"]
    assert seen == [f"Lettre {i}" for i in range(7)]
    rc = api(wiki, action="query", list="recentchanges", rclimit=2, rcprop="title|ids")
    assert len(rc["query"]["recentchanges"]) == 2 and "rccontinue" in rc["continue"]
    bl = api(wiki, action="query", list="backlinks", bltitle="Alpha", bllimit="max")
    assert len(bl["query"]["backlinks"]) == 8  # the redirect Beta links to Alpha too
    assert bl["query"]["backlinks"][0] == {"pageid": 3, "ns": 0, "title": "Beta",
                                           "redirect": ""}
    ei = api(wiki, action="query", list="embeddedin", eititle="Modèle:Boîte")
    assert [p["title"] for p in ei["query"]["embeddedin"]] == ["Alpha"]
    uc = api(wiki, action="query", list="usercontribs", ucuser="Admin", uclimit=500)
    assert len(uc["query"]["usercontribs"]) == 11
    users = api(wiki, action="query", list="users", ususers="Admin|Personne",
                usprop="groups|editcount")["query"]["users"]
    assert users[0]["editcount"] == 11 and "sysop" in users[0]["groups"]
    assert users[1] == {"name": "Personne", "missing": ""}
    cats = api(wiki, action="query", list="allcategories", acprop="size")
    assert cats["query"]["allcategories"][0]["*"] == "Lettres"
    logs = api(wiki, action="query", list="logevents", letype="newusers")
    assert logs["query"]["logevents"][0]["title"] == "Utilisateur:Admin"


def test_userinfo_combined_with_every_query(wiki) -> None:
    data = api(wiki, action="query", list="allpages", meta="userinfo",
               uiprop="blockinfo|hasmsg", aplimit=2)
    assert data["query"]["userinfo"]["name"] == "Admin"
    assert data["continue"]["continue"] == "-||userinfo"
    following = api(wiki, action="query", list="allpages", meta="userinfo", aplimit=2,
                    **data["continue"])
    assert "userinfo" not in following["query"]


def test_malformed_continuation_is_badcontinue(wiki) -> None:
    for params in ({"continue": "garbage"}, {"apcontinue": "x", "continue": "-||"}):
        data = api(wiki, action="query", list="recentchanges", rccontinue="not|a|stamp",
                   **params)
        assert data["error"]["code"] == "badcontinue"
    data = api(wiki, action="query", prop="revisions", titles="Alpha", rvlimit=1,
               rvcontinue="zzz")
    assert data["error"]["code"] == "badcontinue"


def test_search_and_prefixsearch_see_a_fresh_edit(wiki) -> None:
    edit(wiki, "Fraîche", "mot introuvableailleurs")
    text = api(wiki, action="query", list="search", srsearch="introuvableailleurs",
               srwhat="text")["query"]
    assert [h["title"] for h in text["search"]] == ["Fraîche"]
    titles = api(wiki, action="query", list="search", srsearch="Lettre")["query"]["search"]
    assert {h["title"] for h in titles} >= {"Lettre 0", "Lettre 1"}
    gen = api(wiki, action="query", generator="prefixsearch", gpssearch="Lett", gpslimit=3)
    assert sorted(p["index"] for p in gen["query"]["pages"].values()) == [1, 2, 3]


def test_parse_expand_compare(wiki) -> None:
    parsed = api(wiki, action="parse", page="Alpha", prop="text|links|categories")["parse"]
    assert "Texte alpha" in parsed["text"]["*"]
    assert {"Beta", "Gamma"} <= {link["*"] for link in parsed["links"]}
    assert parsed["categories"][0]["*"] == "Lettres"
    v2 = api(wiki, action="parse", text="''x''", title="Essai", prop="text",
             formatversion=2)["parse"]
    assert "<i>x</i>" in v2["text"]
    exp = api(wiki, action="expandtemplates", text="{{Modèle:Boîte}}-{{PAGENAME}}",
              title="Foo bar", prop="wikitext")["expandtemplates"]
    assert exp == {"wikitext": "boîte-Foo bar"}
    revs = _pages(api(wiki, action="query", prop="revisions", titles="Lettre 1",
                      rvprop="ids"))[0]["revisions"]
    edit(wiki, "Lettre 1", "Autre texte")
    cmp = api(wiki, action="compare", fromrev=revs[0]["revid"], torelative="cur")["compare"]
    assert cmp["fromrevid"] == revs[0]["revid"] and "diff-addedline" in cmp["*"]


def test_opensearch_and_feed(wiki) -> None:
    data = api(wiki, action="opensearch", search="Lettre", limit=3)
    assert data[0] == "Lettre" and len(data[1]) == 3 and data[3][0].startswith("http")
    feed = wiki.get("/w/api.php", query_string={"action": "feedrecentchanges"})
    assert feed.mimetype == "application/rss+xml"
    assert b"<rss" in feed.data and b"Lettre 6" in feed.data


def test_continuation_without_spurious_warnings(wiki) -> None:
    first = api(wiki, action="query", generator="allpages", gapprefix="Lettre", gaplimit=2,
                prop="info|categoryinfo", inprop="protection", meta="userinfo",
                uiprop="blockinfo|hasmsg")
    assert "warnings" not in first
    nxt = api(wiki, action="query", generator="allpages", gapprefix="Lettre", gaplimit=2,
              prop="info|categoryinfo", inprop="protection", meta="userinfo",
              uiprop="blockinfo|hasmsg", **first["continue"])
    assert "warnings" not in nxt, nxt["warnings"]
    assert "userinfo" not in nxt["query"] and len(nxt["query"]["pages"]) == 2
