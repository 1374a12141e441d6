"""Browser test of wikiengine/search/static/suggest.js: suggestions while typing, in Chromium."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from wikiengine import search
from wikiengine.db import session_scope
from wikiengine.store import revisions, users
from wikiengine.title import Title


@pytest.mark.browser
def test_suggestions_appear_while_typing_and_open_the_page(app, live_server, browser) -> None:
    with session_scope(app) as session:
        users.create_user(session, "Bibliothécaire", "un mot de passe solide")
    with app.app_context(), session_scope(app) as session:
        user = users.get_user(session, "Bibliothécaire")
        for name in ("Église Saint-Louis de Brest", "Église Saint-Martin", "Recouvrance"):
            revisions.save_page(session, Title.new(name), f"Page {name}.", user)
    assert search.flush(app=app)
    page = browser.new_page()
    page.goto(f"{live_server}/wiki/{quote('Spécial:Recherche')}")
    page.locator("#searchText").press_sequentially("eglise s", delay=20)
    items = page.locator("#searchText-suggestions li")
    items.first.wait_for(timeout=10_000)
    assert items.all_inner_texts() == ["Église Saint-Louis de Brest", "Église Saint-Martin"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/wiki/%C3%89glise_Saint-Louis_de_Brest", timeout=10_000)


@pytest.mark.browser
def test_suggestions_in_the_skin_search_box_of_any_page(app, live_server, browser) -> None:
    with app.app_context(), session_scope(app) as session:
        author = users.create_user(session, "Habitante", "un mot de passe solide")
        revisions.save_page(session, Title.new("Lavoir de Recouvrance"), "Le lavoir.", author)
    assert search.flush(app=app)
    page = browser.new_page()
    page.goto(f"{live_server}/wiki/Accueil")
    page.locator("#searchInput").press_sequentially("lavoir", delay=20)
    items = page.locator("#searchInput-suggestions li")
    items.first.wait_for(timeout=10_000)
    assert items.all_inner_texts() == ["Lavoir de Recouvrance"]
