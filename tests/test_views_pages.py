"""Reading pages through the Flask test client: URLs, canonical redirects, redirect pages,
missing pages, raw, info, old revisions, history paging, diffs, bad input."""
from __future__ import annotations

import re

from views_helpers import login, make_user, save


def _setup(app, client):
    make_user(app, "Alice")
    login(client, "Alice")


def test_main_page_at_root_and_wiki(client):
    for url in ("/", "/wiki/"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'id="firstHeading"' in response.get_data(as_text=True)
        assert "Accueil" in response.get_data(as_text=True)


def test_canonical_title_redirect(app, client):
    _setup(app, client)
    save(client, "Rue de Siam", "La rue principale.")
    response = client.get("/wiki/rue de Siam?action=history")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/wiki/Rue_de_Siam?action=history")
    assert client.get("/wiki/Rue_de_Siam").status_code == 200
    special = client.get("/wiki/Special:RecentChanges")
    assert special.status_code == 301
    assert "Modifications_r%C3%A9centes" in special.headers["Location"]


def test_missing_page_is_404_with_create_link(app, client):
    response = client.get("/wiki/Nulle_part")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "aucun texte" in body
    assert "create-link" not in body  # anonymous users cannot create here
    _setup(app, client)
    body = client.get("/wiki/Nulle_part").get_data(as_text=True)
    assert 'class="create-link"' in body and "action=edit" in body


def test_redirect_followed_once(app, client):
    _setup(app, client)
    save(client, "Cible", "Le texte de la cible.")
    save(client, "Ancien nom", "#REDIRECTION [[Cible]]")
    save(client, "Double", "#REDIRECT [[Ancien nom]]")
    body = client.get("/wiki/Ancien_nom").get_data(as_text=True)
    assert "Le texte de la cible." in body and "Redirigé depuis" in body
    assert "redirect=no" in body
    own = client.get("/w/index.php?title=Ancien_nom&redirect=no").get_data(as_text=True)
    assert "Page de redirection" in own and "Le texte de la cible." not in own
    double = client.get("/wiki/Double").get_data(as_text=True)
    assert "Redirigé depuis" in double and "Le texte de la cible." not in double


def test_raw_info_and_old_revisions(app, client):
    _setup(app, client)
    save(client, "Phare", "premier")
    save(client, "Phare", "second <b>gras</b>")
    raw = client.get("/w/index.php?title=Phare&action=raw")
    assert raw.status_code == 200 and raw.mimetype == "text/x-wiki"
    assert raw.get_data(as_text=True) == "second <b>gras</b>"
    assert client.get("/w/index.php?title=Absent&action=raw").status_code == 404
    history = client.get("/w/index.php?title=Phare&action=history").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r'data-mw-revid="(\d+)"', history)]
    assert len(ids) == 2 and ids[0] > ids[1]
    old = client.get(f"/w/index.php?title=Phare&oldid={ids[1]}").get_data(as_text=True)
    assert "premier" in old and "version archivée" in old
    info = client.get("/w/index.php?title=Phare&action=info").get_data(as_text=True)
    assert "Nombre total de modifications" in info and "Alice" in info


def test_history_paging_and_sizes(app, client):
    _setup(app, client)
    for n in range(1, 6):
        save(client, "Liste", "x" * (n * 10), f"étape {n}")
    first = client.get("/w/index.php?title=Liste&action=history&limit=2").get_data(
        as_text=True)
    assert first.count("data-mw-revid") == 2 and "étape 5" in first and "étape 4" in first
    assert "offset=2" in first and "(+10)" in first
    second = client.get("/w/index.php?title=Liste&action=history&limit=2&offset=4")
    body = second.get_data(as_text=True)
    assert body.count("data-mw-revid") == 1 and "étape 1" in body and "(+10)" in body


def test_diffs(app, client):
    _setup(app, client)
    save(client, "Carte", "ligne un\nligne deux")
    save(client, "Carte", "ligne un\nligne 2 modifiée")
    save(client, "Carte", "ligne un\nligne 2 modifiée\nligne trois")
    history = client.get("/w/index.php?title=Carte&action=history").get_data(as_text=True)
    newest, middle, oldest = [int(i) for i in re.findall(r'data-mw-revid="(\d+)"', history)]
    diff = client.get(f"/w/index.php?title=Carte&diff={middle}&oldid={oldest}")
    body = diff.get_data(as_text=True)
    assert diff.status_code == 200 and 'class="diff' in body
    assert '<del class="diffchange diffchange-inline">deux</del>' in body
    assert "diffchange-inline" in body and "modifiée" in body
    for query in (f"diff=prev&oldid={middle}", f"diff=next&oldid={oldest}"):
        assert "diffchange" in client.get(f"/w/index.php?title=Carte&{query}").get_data(
            as_text=True)
    cur = client.get(f"/w/index.php?title=Carte&diff=cur&oldid={oldest}").get_data(
        as_text=True)
    assert "ligne trois" in cur
    alone = client.get(f"/w/index.php?diff={newest}").get_data(as_text=True)
    assert "ligne trois" in alone and "diff-addedline" in alone


def test_bad_input_never_500(app, client):
    _setup(app, client)
    save(client, "Vrai", "texte")
    cases = {
        "/wiki/A[b]": 400,
        "/w/index.php?title=A%7Cb": 400,
        "/w/index.php?title=Vrai&action=n-importe-quoi": 404,
        "/w/index.php?title=Vrai&oldid=999999": 404,
        "/w/index.php?title=Vrai&oldid=abc": 400,
        "/w/index.php?title=Vrai&diff=999999&oldid=1": 404,
        "/w/index.php?title=Vrai&diff=xyz": 400,
        "/w/index.php?title=Vrai&action=history&limit=abc": 400,
        "/wiki/Spécial:Page_inexistante_xyz": 404,
        "/w/index.php?title=Spécial:Modifications_récentes&namespace=999": 400,
        "/w/index.php?curid=424242": 404,
        "/wiki/" + "x" * 300: 400,
    }
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert "<!DOCTYPE html>" in response.get_data(as_text=True), url
    post = client.post("/w/index.php?title=Vrai&action=history", data={})
    assert post.status_code == 400


def test_english_interface_by_browser_language(app, client):
    _setup(app, client)
    save(client, "Ville", "texte")
    body = client.get("/wiki/Ville", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True)
    assert ">Edit<" in body and ">History<" in body and 'lang="en"' in body
    body = client.get("/wiki/Ville").get_data(as_text=True)
    assert ">Modifier<" in body and ">Historique<" in body and 'lang="fr"' in body


def test_odd_requests_get_pages_not_errors(app, client):
    _setup(app, client)
    save(client, "Vrai", "texte\n== Un ==\nsection")
    urls = [
        "/wiki/%00", "/wiki/Vrai%00", "/wiki/%FF%FE", "/wiki/Vrai#ancre", "/wiki/Sp%C3%A9cial:",
        "/w/index.php?title=Vrai&action=history&limit=-5&offset=-3",
        "/w/index.php?title=Vrai&action=history&limit=999999999999",
        "/w/index.php?title=Vrai&oldid=0", "/w/index.php?title=Vrai&oldid=-1",
        "/w/index.php?title=Absente&diff=prev", "/w/index.php?diff=cur",
        "/w/index.php?title=Vrai&action=edit&undo=abc",
        "/w/index.php?title=Vrai&action=edit&undo=999999",
        "/w/index.php?title=Vrai&action=edit&section=abc",
        "/w/index.php?title=Vrai&action=edit&section=-1",
        "/w/index.php?title=Vrai&action=info&uselang=xx",
        "/w/index.php?title=Vrai&action=rollback",
        "/w/index.php?title=Spécial:Contributions&target=%00",
        "/w/index.php?title=Spécial:Journal&type=inconnu",
        "/w/index.php?title=Spécial:Journal&page=A[b]",
        "/w/index.php?title=Spécial:Toutes_les_pages&namespace=-1",
        "/w/index.php?title=Spécial:Toutes_les_pages&from=%FF",
        "/w/index.php?title=Spécial:Pages_liées&target=Spécial:Accueil",
        "/w/index.php?title=Spécial:Modifications_récentes&days=abc",
        "/w/index.php?title=Spécial:Modifications_récentes&limit=0&days=0",
        "/w/index.php?title=Vrai&action=watch", "/w/index.php?title=Vrai&action=purge",
        "/w/index.php?title=Spécial:Restaurer&target=Vrai",
        "/wiki/Spécial:Renommer_une_page", "/wiki/Spécial:Bloquer/Personne",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
    posts = [
        ("/w/index.php?title=Vrai&action=submit", {"wpTextbox1": "x"}),
        ("/w/index.php?title=Vrai&action=delete", {"wpEditToken": "bidon"}),
        ("/wiki/Spécial:Préférences", {"wpEditToken": "+\\"}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 400, url
    assert client.post("/w/index.php?title=Vrai&action=submit", data=b"\xff\xfe",
                       content_type="application/x-www-form-urlencoded").status_code == 400


def test_user_text_is_escaped_everywhere(app, client):
    _setup(app, client)
    evil = '<script>alert("x")</script>'
    save(client, "Piège", f"texte {evil}", evil)
    for url in ("/w/index.php?title=Piège&action=history", "/wiki/Spécial:Modifications_récentes",
                "/wiki/Spécial:Contributions/Alice", "/w/index.php?title=Piège&action=edit",
                "/wiki/Piège", "/wiki/Spécial:Modifications_récentes?feed=atom"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in body, url
        assert "&lt;script&gt;" in body, url


def test_unexpected_error_gives_a_localised_500_page(app, client, monkeypatch):
    from wikiengine.views import pages

    def broken(title):  # type: ignore[no-untyped-def]
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(pages, "view_page", broken)
    app.testing = False  # as in production: the error page, not the exception
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/wiki/Accueil?x=1")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur interne" in body and "Rien n’a été enregistré" in body
    assert "panne simulée" not in body and "Traceback" not in body
