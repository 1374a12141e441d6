"""Special pages through the Flask test client: lists, recent changes and feeds, watchlist,
contributions, logs, and the administrator's tools (delete, undelete, protect, move,
rollback, block), each checked on the server for rights."""
from __future__ import annotations

import re
from xml.etree import ElementTree

from views_helpers import edit_form, login, make_user, save, token


def _admin(app, client, name="Admin"):
    make_user(app, name, groups=("sysop", "bureaucrat"))
    login(client, name)


def _post(client, url, **data):
    return client.post(url, data={"wpEditToken": token(client, url.split("?")[0]
                                                       if "action=" not in url else url),
                                  **data})


def test_lists_of_pages(app, client):
    _admin(app, client)
    for name in ("Brest", "Brestois", "Quimper"):
        save(client, name, f"Page {name} liée à [[Quimper]]")
    body = client.get("/wiki/Spécial:Toutes_les_pages").get_data(as_text=True)
    assert all(n in body for n in ("Brest", "Brestois", "Quimper"))
    prefix = client.get("/w/index.php?title=Spécial:Index&prefix=Bre").get_data(as_text=True)
    assert "Brestois" in prefix and ">Quimper<" not in prefix
    random = client.get("/wiki/Spécial:Page_au_hasard")
    assert random.status_code == 302 and "/wiki/" in random.headers["Location"]
    users = client.get("/wiki/Spécial:Liste_des_utilisateurs").get_data(as_text=True)
    assert "Admin" in users
    links = client.get("/wiki/Spécial:Pages_liées/Quimper").get_data(as_text=True)
    assert "Brestois" in links
    specials = client.get("/wiki/Spécial:Pages_spéciales").get_data(as_text=True)
    assert "Modifications récentes" in specials and "Bloquer un utilisateur" in specials


def test_recent_changes_filters_and_feeds(app, client):
    make_user(app, "Robot", groups=("bot",))
    bot = app.test_client()
    login(bot, "Robot")
    save(bot, "Automatique", "fait par un robot")
    _admin(app, client)
    save(client, "Humain", "fait par une personne")
    save(client, "Humain", "fait par une personne !", "retouche-xyz", wpMinoredit="1")
    rc = client.get("/wiki/Spécial:Modifications_récentes").get_data(as_text=True)
    assert "Humain" in rc and "Automatique" not in rc
    with_bots = client.get("/wiki/Spécial:Modifications_récentes?hidebots=0").get_data(
        as_text=True)
    assert "Automatique" in with_bots
    no_minor = client.get("/wiki/Spécial:Modifications_récentes?hideminor=1").get_data(
        as_text=True)
    assert "retouche-xyz" not in no_minor and "Humain" in no_minor
    mine_hidden = client.get("/wiki/Spécial:Modifications_récentes?hidemyself=1").get_data(
        as_text=True)
    assert "mw-changeslist-title\">Humain" not in mine_hidden
    ns = client.get("/wiki/Spécial:Modifications_récentes?namespace=2").get_data(as_text=True)
    assert 'mw-changeslist-title">Humain' not in ns
    atom = client.get("/wiki/Spécial:Modifications_récentes?feed=atom")
    assert atom.mimetype == "application/atom+xml"
    tree = ElementTree.fromstring(atom.data)
    titles = [e.text for e in tree.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Humain" in titles
    rss = client.get("/wiki/Spécial:Modifications_récentes?feed=rss")
    assert rss.mimetype == "application/rss+xml"
    assert "Humain" in [e.text for e in ElementTree.fromstring(rss.data).iter("title")]
    assert client.get("/wiki/Spécial:Modifications_récentes?feed=pdf").status_code == 400


def test_watchlist_and_contributions(app, client):
    _admin(app, client)
    save(client, "Suivie", "v1", wpWatchthis="1")
    save(client, "Non suivie", "v1")
    other = app.test_client()
    make_user(app, "Bob")
    login(other, "Bob")
    save(other, "Suivie", "v2 par Bob")
    save(other, "Non suivie", "v2 par Bob")
    watch = client.get("/wiki/Spécial:Liste_de_suivi").get_data(as_text=True)
    assert 'mw-changeslist-title">Suivie' in watch
    assert 'mw-changeslist-title">Non suivie' not in watch
    response = client.post("/w/index.php?title=Non_suivie&action=watch",
                           data={"wpEditToken": token(client, "/wiki/Non_suivie")})
    assert response.status_code == 303
    watch = client.get("/wiki/Spécial:Liste_de_suivi").get_data(as_text=True)
    assert 'mw-changeslist-title">Non suivie' in watch
    client.post("/w/index.php?title=Suivie&action=unwatch",
                data={"wpEditToken": token(client, "/wiki/Suivie")})
    watch = client.get("/wiki/Spécial:Liste_de_suivi").get_data(as_text=True)
    assert 'mw-changeslist-title">Suivie' not in watch
    assert client.get("/w/index.php?title=Suivie&action=watch").status_code == 200  # form
    contribs = client.get("/wiki/Spécial:Contributions/Bob").get_data(as_text=True)
    assert "Suivie" in contribs and "Non suivie" in contribs and "(actuelle)" in contribs
    assert app.test_client().get("/wiki/Spécial:Liste_de_suivi").status_code == 403


def test_delete_undelete_and_logs(app, client):
    make_user(app, "Alice")
    alice = app.test_client()
    login(alice, "Alice")
    save(alice, "Éphémère", "à supprimer")
    assert alice.get("/w/index.php?title=Éphémère&action=delete").status_code == 403
    refused = alice.post("/w/index.php?title=Éphémère&action=delete",
                         data={"wpEditToken": token(alice, "/wiki/Éphémère"), "wpReason": "x"})
    assert refused.status_code == 403
    assert alice.get("/wiki/Éphémère").status_code == 200
    _admin(app, client)
    assert client.get("/w/index.php?title=Éphémère&action=delete").status_code == 200
    assert client.get("/wiki/Éphémère").status_code == 200  # GET never deletes
    done = client.post("/w/index.php?title=Éphémère&action=delete",
                       data={"wpEditToken": token(client, "/wiki/Éphémère"),
                             "wpReason": "essai"})
    assert done.status_code == 303
    gone = client.get("/wiki/Éphémère")
    assert gone.status_code == 404 and "essai" in gone.get_data(as_text=True)
    log = client.get("/wiki/Spécial:Journal/delete").get_data(as_text=True)
    assert "a supprimé la page Éphémère" in log
    undel = client.get("/wiki/Spécial:Restaurer/Éphémère").get_data(as_text=True)
    assert "à supprimer" not in undel and "octets" in undel
    restored = client.post("/wiki/Spécial:Restaurer/Éphémère",
                           data={"wpEditToken": token(client, "/wiki/Spécial:Restaurer/Éphémère"),
                                 "wpComment": "retour"})
    assert restored.status_code == 303
    assert "à supprimer" in client.get("/wiki/Éphémère").get_data(as_text=True)


def test_protect_blocks_ordinary_users(app, client):
    _admin(app, client)
    save(client, "Mairie", "horaires")
    page = "/w/index.php?title=Mairie&action=protect"
    response = client.post(page, data={"wpEditToken": token(client, page),
                                       "mwProtect-level-edit": "sysop",
                                       "mwProtect-level-move": "sysop",
                                       "wpProtectExpiry": "infinite",
                                       "mwProtect-reason": "vandalisme"})
    assert response.status_code == 303
    make_user(app, "Alice")
    alice = app.test_client()
    login(alice, "Alice")
    form = edit_form(alice, "Mairie")
    assert form["_status"] == "403"
    refused = save(alice, "Mairie", "piraté", form={**form, "wpEditToken": token(
        alice, "/wiki/Mairie")})
    assert refused.status_code == 403 and "protégée" in refused.get_data(as_text=True)
    assert "horaires" in client.get("/w/index.php?title=Mairie&action=raw").get_data(
        as_text=True)
    bad = client.post(page, data={"wpEditToken": token(client, page),
                                  "mwProtect-level-edit": "everyone",
                                  "wpProtectExpiry": "infinite"})
    assert bad.status_code == 400
    unprotect = "/w/index.php?title=Mairie&action=unprotect"
    assert client.post(unprotect, data={"wpEditToken": token(client, unprotect)}
                       ).status_code == 303
    assert save(alice, "Mairie", "modifié par Alice").status_code == 303


def test_move_leaves_redirect(app, client):
    _admin(app, client)
    save(client, "Vieux nom", "contenu déplacé")
    url = "/wiki/Spécial:Renommer_une_page/Vieux_nom"
    response = client.post(url, data={"wpEditToken": token(client, url),
                                      "wpOldTitle": "Vieux nom", "wpNewTitle": "Nouveau nom",
                                      "wpReason": "meilleur", "wpLeaveRedirect": "1"})
    assert response.status_code == 303
    assert "contenu déplacé" in client.get("/wiki/Nouveau_nom").get_data(as_text=True)
    followed = client.get("/wiki/Vieux_nom").get_data(as_text=True)
    assert "Redirigé depuis" in followed
    again = client.post(url, data={"wpEditToken": token(client, "/wiki/Spécial:Connexion"),
                                   "wpOldTitle": "Nouveau nom", "wpNewTitle": "Nouveau nom"})
    assert again.status_code in (400, 404)


def test_rollback_by_admin(app, client):
    make_user(app, "Alice")
    make_user(app, "Vandale")
    alice, vandal = app.test_client(), app.test_client()
    login(alice, "Alice")
    login(vandal, "Vandale")
    save(alice, "Cible", "bon texte")
    save(vandal, "Cible", "mauvais 1")
    save(vandal, "Cible", "mauvais 2")
    _admin(app, client)
    history = client.get("/w/index.php?title=Cible&action=history").get_data(as_text=True)
    assert "action=rollback" in history
    assert "action=rollback" not in alice.get(
        "/w/index.php?title=Cible&action=history").get_data(as_text=True)
    url = "/w/index.php?title=Cible&action=rollback&from=Vandale"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"wpEditToken": token(client, url)}).status_code == 303
    assert client.get("/w/index.php?title=Cible&action=raw").get_data(as_text=True) == \
        "bon texte"


def test_block_and_unblock(app, client):
    _admin(app, client)
    make_user(app, "Alice")
    url = "/wiki/Spécial:Bloquer"
    response = client.post(url, data={"wpEditToken": token(client, url), "wpTarget": "Alice",
                                      "wpExpiry": "1 day", "wpReason": "pause"})
    assert response.status_code == 303
    assert "Alice" in client.get("/wiki/Spécial:Liste_des_blocages").get_data(as_text=True)
    alice = app.test_client()
    login(alice, "Alice")
    blocked = save(alice, "Essai", "texte")
    assert blocked.status_code == 403 and "pause" in blocked.get_data(as_text=True)
    url = "/wiki/Spécial:Débloquer"
    assert client.post(url, data={"wpEditToken": token(client, url), "wpTarget": "Alice"}
                       ).status_code == 303
    assert save(alice, "Essai", "texte").status_code == 303
    unknown = client.post("/wiki/Spécial:Bloquer", data={
        "wpEditToken": token(client, "/wiki/Spécial:Bloquer"), "wpTarget": "Personne"})
    assert unknown.status_code == 400
    assert alice.get("/wiki/Spécial:Bloquer").status_code == 403


def test_user_rights_by_bureaucrat(app, client):
    _admin(app, client)
    make_user(app, "Alice")
    url = "/wiki/Spécial:Permissions/Alice"
    response = client.post(url, data={"wpEditToken": token(client, url),
                                      "groups": ["sysop"]})
    assert response.status_code == 303
    assert re.search(r"Alice</a> \(sysop\)", client.get(
        "/wiki/Spécial:Liste_des_utilisateurs").get_data(as_text=True))


def test_my_pages_redirect_to_the_signed_in_user(app, client):
    anonymous = client.get("/wiki/Spécial:Ma_page")
    assert anonymous.status_code == 302 and "Connexion" in anonymous.headers["Location"]
    make_user(app, "Alice")
    login(client, "Alice")
    assert client.get("/wiki/Spécial:Ma_page").headers["Location"].endswith(
        "/wiki/Utilisateur:Alice")
    assert client.get("/wiki/Special:MyTalk/Brouillon", follow_redirects=False).status_code \
        == 301  # canonical name first
    assert client.get("/wiki/Spécial:Mes_discussions/Brouillon").headers["Location"].endswith(
        "/wiki/Discussion_utilisateur:Alice/Brouillon")
    assert "Contributions/Alice" in client.get(
        "/wiki/Spécial:Mes_contributions").headers["Location"]
