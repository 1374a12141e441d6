"""The footer names the licence of the page shown: the site's, or the one the page declares."""
from __future__ import annotations

from wikiengine.db import session_scope
from wikiengine.store import revisions, users
from wikiengine.title import Title


def _save(app, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), session_scope(app) as session:
        author = users.get_user(session, "Conteuse") or users.create_user(
            session, "Conteuse", "un mot de passe solide")
        revisions.save_page(session, Title.new(name), text, author)


def test_footer_shows_the_site_licence_by_default(app, client) -> None:
    _save(app, "Rue de Siam", "La rue de Siam.")
    html = client.get("/wiki/Rue_de_Siam", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'id="footer-info-copyright"' in html
    assert 'rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr">CC BY-SA 4.0</a>' in html
    assert "sauf mention contraire" in html


def test_footer_shows_the_licence_a_page_declares(app, client) -> None:
    _save(app, "Souvenir du lavoir", "Mon souvenir.\n{{#licence:temoignage-cc-by-nd}}")
    html = client.get("/wiki/Souvenir_du_lavoir", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "creativecommons.org/licenses/by-nd/4.0" in html.split('id="footer-info-copyright"')[1]
    assert "Content is available under" in html
