"""CategoryTree: the tag's markup and options, its errors, and the tree drawn in a browser
from the Action API (subcategories unfold on click)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from wikiengine import registry
from wikiengine.parser import DictPageSource, parse

HOOKS = registry.build(["CategoryTree"]).parser_hooks()


def render(text: str, pages: dict | None = None) -> str:
    return parse(text, "Test", DictPageSource(pages or {}), hooks=HOOKS.copy()).html


def test_markup_and_options() -> None:
    html = render('<categorytree mode="pages" depth="9">Jardins</categorytree>',
                  {"Category:Jardins": "Les jardins"})
    assert 'data-ct-category="Jardins" data-ct-mode="pages" data-ct-depth="3"' in html
    assert 'data-ct-api="/w/api.php"' in html
    assert '<a href="/wiki/Category:Jardins" class="CategoryTreeLabel"' in html
    assert html.count("categorytree.js") == 1


def test_missing_category_and_bad_options() -> None:
    html = render('<categorytree mode="bizarre" depth="x" hideroot>Nulle part</categorytree>')
    assert 'data-ct-mode="categories" data-ct-depth="1"' in html
    assert "CategoryTreeLabel" not in html  # hideroot
    html = render("<categorytree>Nulle part</categorytree>")
    assert 'href="/w/index.php?title=Category:Nulle_part&amp;action=edit&amp;redlink=1"' in html
    assert "Category name missing." in render("<categorytree/>")
    assert "<script>" not in render('<categorytree><script>x</script></categorytree>')


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["EXTENSIONS"] = ["CategoryTree"]
    return app_config


@pytest.mark.browser
def test_tree_unfolds_in_a_browser(app, live_server, browser) -> None:
    from wikiengine.db import session_scope
    from wikiengine.store import revisions, users
    from wikiengine.title import Title

    with session_scope(app) as session:
        users.create_user(session, "Animatrice", "un mot de passe solide")
    with app.app_context(), session_scope(app) as session:
        user = users.get_user(session, "Animatrice")
        for name, text in (("Jardin du Tour", "[[Catégorie:Jardins]]"),
                           ("Catégorie:Jardins partagés", "[[Catégorie:Jardins]]"),
                           ("Jardin de Kerbernier", "[[Catégorie:Jardins partagés]]"),
                           ("Arbre", '<categorytree mode="pages">Jardins</categorytree>')):
            revisions.save_page(session, Title.new(name), text, user)
    tab = browser.new_page()
    tab.goto(f"{live_server}/wiki/{quote('Arbre')}")
    tab.get_by_text("Jardin du Tour").wait_for(timeout=15000)
    sub = tab.locator(".CategoryTreeItem", has_text="Jardins partagés").first
    assert tab.get_by_text("Jardin de Kerbernier").count() == 0
    sub.locator(".CategoryTreeBullet").click()
    tab.get_by_text("Jardin de Kerbernier").wait_for(timeout=15000)
