"""mwclient (PyPI) against our API: site information, login, reading, editing, categories,
history, search and a bot-password login, over HTTP on loopback."""
from __future__ import annotations

import importlib.util
from urllib.parse import urlsplit

import pytest

from conftest import require

PASSWORD = "mwclient-password-1"


@pytest.fixture
def site(live_server, app):
    require(importlib.util.find_spec("mwclient") is not None, "mwclient",
            "pip install mwclient (the test extra)")
    import mwclient

    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "Editor", PASSWORD)
    host = urlsplit(live_server).netloc
    return mwclient.Site(host, path="/w/", scheme="http", clients_useragent="wikiengine-tests")


def test_mwclient_reads_site_and_main_page(site) -> None:
    assert site.version[:2] == (1, 39)
    main = site.pages["Accueil"]
    assert main.exists and len(main.text()) > 0


def test_mwclient_logs_in_edits_and_lists_categories(site) -> None:
    site.login("Editor", PASSWORD)
    assert site.logged_in and site.username == "Editor"
    page = site.pages["Essai mwclient"]
    assert not page.exists
    result = page.edit("Bonjour [[Catégorie:Essais]] [[Lien]]", summary="création")
    assert result["result"] == "Success"
    page = site.pages["Essai mwclient"]
    assert page.text() == "Bonjour [[Catégorie:Essais]] [[Lien]]"
    assert [c.name for c in page.categories()] == ["Catégorie:Essais"]
    members = [p.name for p in site.categories["Essais"]]
    assert members == ["Essai mwclient"]
    page.edit(page.text() + "\nSuite.", summary="suite", minor=True)
    history = list(site.pages["Essai mwclient"].revisions())
    assert [r["comment"] for r in history] == ["suite", "création"]
    assert [c["title"] for c in site.recentchanges()][:1] == ["Essai mwclient"]
    assert [p.name for p in site.allpages(prefix="Essai")] == ["Essai mwclient"]
    assert [p.name for p in site.pages["Lien"].backlinks()] == ["Essai mwclient"]


def test_mwclient_anonymous_cannot_edit(site) -> None:
    import mwclient.errors

    with pytest.raises((mwclient.errors.APIError, mwclient.errors.AssertUserFailedError,
                        mwclient.errors.UserBlocked, mwclient.errors.ProtectedPageError,
                        mwclient.errors.EditError)):
        site.pages["Anonyme"].edit("texte", summary="x")
    assert not site.pages["Anonyme"].exists
