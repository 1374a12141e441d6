"""The whole-page cache for anonymous readers: hits, and never a stale page after an edit,
a template change, a talk page creation or a deletion; never for signed-in users."""
from __future__ import annotations

from views_helpers import login, make_user, save, token


def test_cache_fills_and_serves_fresh_pages(app, client):
    cache = app.extensions["page_cache"]
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Halles", "version une")
    reader = app.test_client()
    assert "version une" in reader.get("/wiki/Halles").get_data(as_text=True)
    filled = len(cache)
    assert filled >= 1
    assert "version une" in reader.get("/wiki/Halles").get_data(as_text=True)
    assert len(cache) == filled
    save(editor, "Halles", "version deux")
    assert "version deux" in reader.get("/wiki/Halles").get_data(as_text=True)
    english = reader.get("/wiki/Halles", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert ">History<" in english


def test_talk_page_creation_turns_the_tab_blue(app, client):
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Marché", "texte")
    reader = app.test_client()
    assert 'class=" new"' in reader.get("/wiki/Marché").get_data(as_text=True).split(
        'id="ca-talk"')[0].rsplit("<li", 1)[1]
    save(editor, "Discussion:Marché", "une remarque")
    tab = reader.get("/wiki/Marché").get_data(as_text=True).split('id="ca-talk"')[0]
    assert "new" not in tab.rsplit("<li", 1)[1]


def test_template_change_reaches_cached_readers(app, client):
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Modèle:Horaires", "ouvert à 9 h")
    save(editor, "Piscine", "La piscine est {{Horaires}}.")
    reader = app.test_client()
    assert "ouvert à 9 h" in reader.get("/wiki/Piscine").get_data(as_text=True)
    save(editor, "Modèle:Horaires", "ouvert à 10 h")
    assert "ouvert à 10 h" in reader.get("/wiki/Piscine").get_data(as_text=True)


def test_deleted_page_is_not_served_from_cache(app, client):
    make_user(app, "Admin", groups=("sysop",))
    admin = app.test_client()
    login(admin, "Admin")
    save(admin, "Passagère", "bientôt supprimée")
    reader = app.test_client()
    assert reader.get("/wiki/Passagère").status_code == 200
    admin.post("/w/index.php?title=Passagère&action=delete",
               data={"wpEditToken": token(admin, "/wiki/Passagère"), "wpReason": "test"})
    assert reader.get("/wiki/Passagère").status_code == 404


def test_signed_in_users_bypass_the_cache(app, client):
    make_user(app, "Alice")
    login(client, "Alice")
    save(client, "Perso", "texte")
    anonymous = app.test_client().get("/wiki/Perso").get_data(as_text=True)
    mine = client.get("/wiki/Perso").get_data(as_text=True)
    assert "Se déconnecter" in mine and "Se déconnecter" not in anonymous


def test_hits_are_answered_before_flask(app):
    calls = []
    app.before_request(lambda: calls.append(1))
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Criée", "marché couvert")
    reader = app.test_client()
    first = reader.get("/wiki/Cri%C3%A9e")
    assert first.status_code == 200 and "marché couvert" in first.get_data(as_text=True)
    before = len(calls)
    again = reader.get("/wiki/Cri%C3%A9e")
    assert again.data == first.data and len(calls) == before
    assert again.headers["Vary"] == "Accept-Language, Cookie"
    assert "Set-Cookie" not in again.headers
    reader.get("/wiki/Cri%C3%A9e", headers={"Accept-Language": "en"})
    assert len(calls) == before + 1  # another language: a miss, filled by the app
    reader.get("/wiki/Cri%C3%A9e", headers={"Accept-Language": "en"})
    assert len(calls) == before + 1
    editor.get("/wiki/Cri%C3%A9e")
    assert len(calls) == before + 2  # a session cookie always goes to the app


def test_security_headers_on_both_paths(app):
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Abri", "texte")
    reader = app.test_client()
    for response in (reader.get("/wiki/Abri"), reader.get("/wiki/Abri"),
                     editor.get("/wiki/Abri")):
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_file_pages_are_not_cached(app):
    cache = app.extensions["page_cache"]
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Fichier:Phare.jpg", "description du phare")
    before = len(cache)
    reader = app.test_client()
    reader.get("/wiki/Fichier:Phare.jpg")
    reader.get("/wiki/Fichier:Phare.jpg")
    assert len(cache) == before


def test_clock_pages_are_not_kept_whole(app, client):
    cache = app.extensions["page_cache"]
    make_user(app, "Alice")
    editor = app.test_client()
    login(editor, "Alice")
    save(editor, "Horloge", "Il est {{CURRENTTIME}}.")
    save(editor, "Fixe", "Toujours pareil.")
    reader = app.test_client()
    before = len(cache)
    assert reader.get("/wiki/Horloge").status_code == 200
    assert len(cache) == before  # a page showing the time must follow the clock
    assert reader.get("/wiki/Fixe").status_code == 200
    assert len(cache) == before + 1
