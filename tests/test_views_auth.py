"""Accounts on the web: create account, log in and out, rate limit, preferences, session
cookie settings."""
from __future__ import annotations

import pytest

from views_helpers import login, make_user, save, token


def test_create_account_logs_in_and_is_logged(app, client):
    url = "/wiki/Spécial:Créer_un_compte"
    response = client.post(url, data={"wpEditToken": token(client, url), "wpName": "marie",
                                      "wpPassword": "un-mot-de-passe", "wpRetype":
                                      "un-mot-de-passe", "returnto": "Accueil"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/wiki/Accueil")
    page = client.get("/wiki/Accueil").get_data(as_text=True)
    assert "Marie" in page and "Se déconnecter" in page
    log = client.get("/wiki/Spécial:Journal/newusers").get_data(as_text=True)
    assert "Utilisateur:Marie" in log


def test_create_account_refusals(app, client):
    make_user(app, "Existant")
    url = "/wiki/Spécial:Créer_un_compte"
    cases = [("Existant", "motdepasse1", "motdepasse1", "déjà utilisé"),
             ("Nouveau", "court", "court", "au moins"),
             ("Nouveau", "motdepasse1", "motdepasse2", "ne correspondent pas"),
             ("127.0.0.1", "motdepasse1", "motdepasse1", "adresse IP"),
             ("a/b", "motdepasse1", "motdepasse1", "« / »"),
             ("A[b]", "motdepasse1", "motdepasse1", "pas valide")]
    for name, password, retype, message in cases:
        response = client.post(url, data={"wpEditToken": token(client, url), "wpName": name,
                                          "wpPassword": password, "wpRetype": retype})
        assert response.status_code == 400, name
        assert message in response.get_data(as_text=True), name
    with client.session_transaction() as sess:
        assert "user_id" not in sess


def test_login_logout_and_wrong_password(app, client):
    make_user(app, "Alice", "le-bon-mot-de-passe")
    wrong = client.post("/wiki/Spécial:Connexion", data={
        "wpName": "Alice", "wpPassword": "mauvais", "wpLoginToken": token(client)})
    assert wrong.status_code == 400 and "incorrect" in wrong.get_data(as_text=True)
    login(client, "Alice", "le-bon-mot-de-passe")
    with client.session_transaction() as sess:
        assert sess.get("user_id")
    assert client.get("/wiki/Spécial:Déconnexion").status_code == 200  # GET only asks
    with client.session_transaction() as sess:
        assert sess.get("user_id")
    out = client.post("/wiki/Spécial:Déconnexion",
                      data={"wpEditToken": token(client, "/wiki/Spécial:Déconnexion")})
    assert out.status_code == 303
    with client.session_transaction() as sess:
        assert "user_id" not in sess


def test_login_rate_limit(app, client):
    app.config["LOGIN_RATE_LIMIT"] = (3, 300)
    make_user(app, "Alice", "le-bon-mot-de-passe")
    for _ in range(3):
        response = client.post("/wiki/Spécial:Connexion", data={
            "wpName": "Alice", "wpPassword": "faux", "wpLoginToken": token(client)})
        assert response.status_code == 400
    blocked = client.post("/wiki/Spécial:Connexion", data={
        "wpName": "Alice", "wpPassword": "le-bon-mot-de-passe", "wpLoginToken": token(client)})
    assert blocked.status_code == 429 and "trop de tentatives" in blocked.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert "user_id" not in sess


def test_preferences_language(app, client):
    make_user(app, "Alice")
    login(client, "Alice")
    url = "/wiki/Spécial:Préférences"
    assert client.post(url, data={"wpEditToken": token(client, url), "wplanguage": "en"}
                       ).status_code == 303
    body = client.get("/wiki/Accueil", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
    assert ">Edit<" in body or ">View source<" in body
    assert 'lang="en"' in body
    bad = client.post(url, data={"wpEditToken": token(client, url), "wplanguage": "xx"})
    assert bad.status_code == 400
    assert app.test_client().get(url).status_code == 403


def test_password_change_ends_other_sessions(app, client):
    from wikiengine.db import session_scope
    from wikiengine.store import users

    make_user(app, "Alice")
    login(client, "Alice")
    with session_scope(app) as db:
        users.set_password(db, users.get_user(db, "Alice"), "tout-nouveau-mdp")
    body = client.get("/wiki/Accueil").get_data(as_text=True)
    assert "Se déconnecter" not in body


def test_session_cookie_flags(app, client):
    make_user(app, "Alice")
    response = login(client, "Alice")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # SERVER is http:// in tests


def test_secure_cookie_on_https_sites(app_config):
    from wikiengine import create_app

    app_config["SERVER"] = "https://wiki.example.org"
    assert create_app(app_config).config["SESSION_COOKIE_SECURE"] is True


def test_returnto_stays_on_the_wiki(app, client):
    make_user(app, "Alice", "le-bon-mot-de-passe")
    for target, expected in (("https://ailleurs.example/piege", "/wiki/Https://ailleurs.example/piege"),
                             ("Spécial:Connexion", "/wiki/Accueil"),
                             ("Rue de Siam", "/wiki/Rue_de_Siam")):
        fresh = app.test_client()
        response = fresh.post("/wiki/Spécial:Connexion", data={
            "wpName": "Alice", "wpPassword": "le-bon-mot-de-passe",
            "wpLoginToken": token(fresh), "returnto": target})
        assert response.status_code == 303
        assert response.headers["Location"] == expected, target


@pytest.fixture
def open_wiki(app_config):
    app_config["ANONYMOUS_EDIT"] = True
    return app_config


@pytest.fixture
def private_wiki(app_config):
    app_config["PRIVATE_WIKI"] = True
    return app_config


def test_anonymous_editing_when_the_site_allows_it(open_wiki, app, client):
    form_page = client.get("/w/index.php?title=Ouverte&action=edit")
    assert form_page.status_code == 200 and "wpMinoredit" not in form_page.get_data(
        as_text=True)
    assert save(client, "Ouverte", "écrit sans compte").status_code == 303
    history = client.get("/w/index.php?title=Ouverte&action=history").get_data(as_text=True)
    assert "127.0.0.1" in history


def test_private_wiki_needs_login(private_wiki, app, client):
    make_user(app, "Alice")
    assert client.get("/wiki/Accueil").status_code == 403
    assert client.get("/w/index.php?title=Accueil&action=raw").status_code == 403
    assert client.get("/wiki/Spécial:Modifications_récentes").status_code == 403
    assert client.get("/wiki/Spécial:Connexion").status_code == 200
    login(client, "Alice")
    assert client.get("/wiki/Accueil").status_code == 200


def test_rate_limit_is_shared_between_workers(app):
    """Two app instances on one instance folder (two gunicorn workers) share the count."""
    from wikiengine import create_app

    app.config["LOGIN_RATE_LIMIT"] = (2, 300)
    make_user(app, "Alice", "le-bon-mot-de-passe")
    other = create_app({**{k: app.config[k] for k in ("TESTING", "DATABASE_URL",
                                                        "SECRET_KEY")},
                        "INSTANCE_PATH": app.instance_path, "LOGIN_RATE_LIMIT": (2, 300)})
    for worker in (app, other):
        client = worker.test_client()
        response = client.post("/wiki/Spécial:Connexion", data={
            "wpName": "Alice", "wpPassword": "faux", "wpLoginToken": token(client)})
        assert response.status_code == 400
    client = other.test_client()
    response = client.post("/wiki/Spécial:Connexion", data={
        "wpName": "Alice", "wpPassword": "le-bon-mot-de-passe", "wpLoginToken": token(client)})
    assert response.status_code == 429
