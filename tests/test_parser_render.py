"""parse(): HTML plus what ParserOutput records (links, templates, categories, sections,
external and language links), from the cases in tests/data/render/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from wikiengine.namespaces import Namespaces
from wikiengine.parser import DictPageSource, ParserOptions, SiteConfig, parse, render_html
from wikiengine.parser.site import Interwiki

DATA = Path(__file__).resolve().parent / "data" / "render"
PAGES = json.loads((DATA / "pages.json").read_text(encoding="utf-8"))
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


def _site() -> SiteConfig:
    return SiteConfig(
        server="http://localhost", script="/w/index.php", article_path="/wiki/$1",
        namespaces=Namespaces(language="en", meta="Project"),
        interwiki={"fr": Interwiki("fr", "https://fr.wikipedia.org/wiki/$1")},
        interlanguage=frozenset({"fr"}))


def _parse(case: dict):
    site = _site()
    source = DictPageSource(PAGES, namespaces=site.namespaces)
    return parse(case["wikitext"], case.get("title", "Sandbox"), source, ParserOptions(), site)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_parse_records(case: dict) -> None:
    out = _parse(case)
    for s in case.get("html_contains", []):
        assert s in out.html, s
    for s in case.get("html_not_contains", []):
        assert s not in out.html, s
    if "links" in case:
        assert sorted(out.links) == sorted(case["links"])
    if "templates" in case:
        assert sorted(out.templates) == sorted(case["templates"])
    if "categories" in case:
        assert out.categories == case["categories"]
    if "external_links" in case:
        assert sorted(out.external_links) == sorted(case["external_links"])
    if "language_links" in case:
        assert out.language_links == case["language_links"]
    if "sections" in case:
        got = [{k: s[k] for k in ("level", "line", "anchor", "index", "number", "byteoffset")}
               for s in out.sections]
        assert got == case["sections"]


def test_render_html_defaults_to_a_stock_wiki() -> None:
    html = render_html("''x'' [[Main Page]] [[Other]]", pages={"Other": "x"})
    assert html.startswith("<p><i>x</i>")
    assert '<a href="/wiki/Other" title="Other">Other</a>' in html
    assert 'class="mw-selflink selflink"' in html


def test_existence_is_asked_once_for_all_links() -> None:
    site = _site()

    class Counting(DictPageSource):
        calls = 0

        def exists_many(self, titles):  # type: ignore[override]
            Counting.calls += 1
            return super().exists_many(titles)

    source = Counting(PAGES, namespaces=site.namespaces)
    text = " ".join(f"[[Page {i}]]" for i in range(200))
    out = parse(text, "Sandbox", source, ParserOptions(), site)
    assert Counting.calls == 1
    assert len(out.links) == 200


CASES_FR = json.loads((DATA / "cases_fr.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES_FR, ids=[c["name"] for c in CASES_FR])
def test_french_wiki(case: dict) -> None:
    site = SiteConfig(language="fr", namespaces=Namespaces(language="fr", meta="Projet"))
    source = DictPageSource({"Accueil": "x"}, namespaces=site.namespaces)
    out = parse(case["wikitext"], case["title"], source,
                ParserOptions(interface_language="fr"), site)
    for s in case["html_contains"]:
        assert s in out.html, (s, out.html)
