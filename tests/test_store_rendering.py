"""Tests for wikiengine.rendering and wikiengine.cache: pages rendered through the parser
with a database PageSource (templates, red/blue links), the parser cache (hit, miss on
``page.touched`` bump, version and options in the key), and the escaped-text fallback."""
from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from typing import Iterator

import pytest

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wikiengine import cache, db, rendering
from wikiengine.models import Page, ParserCacheEntry, utcnow
from wikiengine.store import revisions, users
from wikiengine.title import Title


@pytest.fixture(autouse=True)
def _no_search_rendering(app) -> None:  # type: ignore[no-untyped-def]
    """The search writer thread renders saved pages in the background (and so fills the
    cache at times these tests cannot see); index plain wikitext instead here."""
    app.config["SEARCH_RENDER"] = False


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


def _save(app, title: str, text: str) -> None:  # type: ignore[no-untyped-def]
    with tx(app) as s:
        user = users.get_user(s, "Scribe") or users.create_user(s, "Scribe", "pw")
        revisions.save_page(s, Title.new(title), text, user)


def _render(app, title: str):  # type: ignore[no-untyped-def]
    with tx(app) as s:
        page = revisions.get_page(s, Title.new(title))
        rev = revisions.latest_revision(s, page)
        return rendering.render_revision(s, Title.new(title), revisions.revision_text(s, rev),
                                         page=page, revision=rev)


def _entries(app) -> int:  # type: ignore[no-untyped-def]
    with tx(app) as s:
        return s.scalar(select(func.count()).select_from(ParserCacheEntry)) or 0


def test_render_uses_database_pages(app) -> None:
    _save(app, "Modèle:Lieu", "lieu de [[{{{1}}}]]")
    _save(app, "Existe", "oui")
    _save(app, "Page", "{{Lieu|Existe}} et [[Manque]]")
    output = _render(app, "Page")
    assert 'href="/wiki/Existe"' in output.html
    assert "Manque" in output.html and 'class="new"' in output.html
    assert "Modèle:Lieu" in output.templates


def test_cache_hit_then_invalidated_by_touch(app) -> None:
    _save(app, "Modèle:Signe", "premier")
    _save(app, "Cachée", "{{Signe}}")
    first = _render(app, "Cachée")
    assert "premier" in first.html and _entries(app) >= 1
    with tx(app) as s:  # a cached entry is served as is: change it to see the hit
        page = revisions.get_page(s, Title.new("Cachée"))
        entry = s.scalars(select(ParserCacheEntry)
                          .where(ParserCacheEntry.page_id == page.page_id)).one()
        entry.value = entry.value.replace("premier", "depuis le cache")
    assert "depuis le cache" in _render(app, "Cachée").html
    _save(app, "Modèle:Signe", "second")  # template edit bumps page_touched of users
    again = _render(app, "Cachée")
    assert "second" in again.html and "depuis le cache" not in again.html


def test_cache_key_carries_version_and_options(app) -> None:
    _save(app, "Clé", "texte")
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Clé"))
        fr = rendering.parser_options()
        en = rendering.parser_options(interface_language="en")
        from wikiengine.parser.output import PARSER_VERSION

        key = cache.cache_key(page.page_id, page.latest, fr)
        assert key.endswith(PARSER_VERSION) and key.startswith(f"{page.page_id}:{page.latest}:")
        assert key != cache.cache_key(page.page_id, page.latest, en)
        signed = rendering.parser_options(users.anonymous("192.0.2.3"))
        assert key == cache.cache_key(page.page_id, page.latest, signed)


def test_stale_entry_is_not_served(app) -> None:
    _save(app, "Vieille", "texte")
    _render(app, "Vieille")
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Vieille"))
        s.execute(update(Page).where(Page.page_id == page.page_id).values(touched=utcnow()))
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Vieille"))
        assert cache.get(s, page, page.latest, rendering.parser_options()) is None


def test_serialization_round_trip(app) -> None:
    _save(app, "Ronde", "== Titre ==\n[[Lien]] [[Catégorie:Essai]] [http://example.org x]")
    output = _render(app, "Ronde")
    again = cache.deserialize(cache.serialize(output))
    assert again.html == output.html
    assert list(again.links) == list(output.links)
    assert again.categories == output.categories and again.sections == output.sections
    assert list(again.external_links) == list(output.external_links)


def test_fallback_without_parser(app, monkeypatch) -> None:
    monkeypatch.setattr(rendering, "_parser", lambda: None)
    _save(app, "Brut", "<script>alert(1)</script> [[Lien]]")
    output = _render(app, "Brut")
    assert output.html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; [[Lien]]</p>"
    with tx(app) as s:
        from wikiengine.models import PageLink

        page = revisions.get_page(s, Title.new("Brut"))
        assert s.scalar(select(PageLink).where(PageLink.from_id == page.page_id)) is None


def test_purge(app) -> None:
    _save(app, "Purge", "x")
    _render(app, "Purge")
    assert _entries(app) >= 1
    with tx(app) as s:
        assert cache.purge(s) >= 1
    assert _entries(app) == 0


def test_only_current_revision_is_cached(app) -> None:
    _save(app, "Versions", "ancienne")
    _render(app, "Versions")
    _save(app, "Versions", "nouvelle")
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Versions"))
        old = revisions.history(s, page)[1]
        output = rendering.render_revision(s, Title.new("Versions"), "ancienne", page=page,
                                           revision=old)
        assert "ancienne" in output.html
    _render(app, "Versions")
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Versions"))
        revs = set(s.scalars(select(ParserCacheEntry.rev_id)
                             .where(ParserCacheEntry.page_id == page.page_id)))
        assert revs == {page.latest}


def test_interwiki_and_interlanguage_links(app) -> None:
    app.config["INTERLANGUAGE"] = ["br"]
    _save(app, "Liens externes", "[[wikipedia:Brest]] [[br:Brest]] [[commons:Category:Brest]]")
    output = _render(app, "Liens externes")
    assert 'href="https://fr.wikipedia.org/wiki/Brest"' in output.html
    assert "br.wikipedia.org" not in output.html  # a language link is not in the text
    assert output.language_links == ["br:Brest"]
    with tx(app) as s:
        from wikiengine.models import IwLink, LangLink, PageLink

        page = revisions.get_page(s, Title.new("Liens externes"))
        assert [(r.lang, r.title) for r in s.scalars(
            select(LangLink).where(LangLink.from_id == page.page_id))] == [("br", "Brest")]
        assert {(r.prefix, r.title) for r in s.scalars(
            select(IwLink).where(IwLink.from_id == page.page_id))} == {
            ("wikipedia", "Brest"), ("commons", "Category:Brest")}
        assert s.scalar(select(PageLink).where(PageLink.from_id == page.page_id)) is None
    app.config["INTERWIKI"] = {"quartiers": {"url": "https://quartiers.example/$1", "local": True}}
    with app.app_context():
        assert rendering.site_config().interwiki["quartiers"].local
        assert "wikipedia" not in rendering.site_config().interwiki


def test_links_to_redirects_get_mw_redirect_class(app) -> None:
    _save(app, "Nouveau nom", "la page")
    _save(app, "Ancien nom", "#REDIRECTION [[Nouveau nom]]")
    _save(app, "Liens", "[[Ancien nom]] et [[Nouveau nom]]")
    with tx(app) as s:
        source = rendering.DbPageSource(s)
        assert source.redirects_many([Title.new("Ancien nom"), Title.new("Nouveau nom"),
                                      Title.new("Absente")]) == {"Ancien_nom"}
    html = _render(app, "Liens").html
    assert html.count("mw-redirect") == 1
    links = dict((text, tag) for tag, text in re.findall(r"(<a [^>]*>)([^<]*)</a>", html))
    assert 'class="mw-redirect"' in links["Ancien nom"]
    assert "mw-redirect" not in links["Nouveau nom"]


def test_ifexist_knows_registered_special_pages(app) -> None:
    _save(app, "Spéciales", "{{#ifexist:Special:RecentChanges|oui|non}}/"
                            "{{#ifexist:special:watchlist/Anna|oui|non}}/"
                            "{{#ifexist:Special:PageQuiNExistePas|oui|non}}")
    assert "oui/oui/non" in _render(app, "Spéciales").html


@pytest.mark.parametrize("text,expiry", [
    ("Il est {{CURRENTTIME}}.", 3600),
    ("Année {{LOCALYEAR}}.", 3600),
    ("{{#time:H:i}}", 3600),
    ("{{#time:Y|2020-05-01}} {{PAGENAME}}", None),
])
def test_clock_output_expires_from_the_parser_cache(app, text: str, expiry) -> None:  # type: ignore[no-untyped-def]
    _save(app, "Horloge", text)
    output = _render(app, "Horloge")
    assert output.cache_expiry == expiry
    assert cache.deserialize(cache.serialize(output)).cache_expiry == expiry
    with tx(app) as s:  # a fresh entry is served within its expiry
        page = revisions.get_page(s, Title.new("Horloge"))
        assert cache.get(s, page, page.latest, rendering.parser_options()) is not None
        entry = s.scalars(select(ParserCacheEntry)
                          .where(ParserCacheEntry.page_id == page.page_id)).one()
        entry.cached = entry.cached - dt.timedelta(hours=2)
        page.touched = page.touched - dt.timedelta(hours=3)
    with tx(app) as s:  # two hours later: a clock page is re-rendered, others still served
        page = revisions.get_page(s, Title.new("Horloge"))
        hit = cache.get(s, page, page.latest, rendering.parser_options())
        assert (hit is None) == (expiry is not None)
