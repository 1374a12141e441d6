"""The edit form's MediaWiki parameters used by InputBox's boxes: ``preload`` (with the
preload transform), ``preloadparams[]``, ``preloadtitle`` with ``section=new``, ``summary``,
``editintro``; unreadable, missing or invalid preload pages give an empty box."""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlencode

from views_helpers import edit_form, login, make_user, save

DATA = Path(__file__).parent / "data" / "edit_preload"


def _summary(body: str) -> str:
    found = re.search(r'id="wpSummary" name="wpSummary" value="([^"]*)"', body)
    assert found, "no summary field"
    return html.unescape(found.group(1))


def _setup(app, client) -> None:  # type: ignore[no-untyped-def]
    make_user(app, "Alice")
    login(client, "Alice")
    save(client, "Modèle:Fiche jardin", (DATA / "fiche.wiki").read_text(encoding="utf-8"))
    save(client, "Projet:Collecte", (DATA / "intro.wiki").read_text(encoding="utf-8"))


def test_preload_with_params_fills_a_new_page(app, client) -> None:  # type: ignore[no-untyped-def]
    _setup(app, client)
    query = urlencode([("preload", "Modèle:Fiche jardin"), ("preloadparams[]", "Jardin <b>"),
                       ("preloadparams[]", "Recouvrance")])
    form = edit_form(client, "Jardin des explorateurs", preload="Modèle:Fiche jardin")
    assert form["_status"] == "200"
    assert form["wpTextbox1"].startswith("{{Infobox jardin")
    assert "Modèle de fiche" not in form["wpTextbox1"]  # <noinclude> dropped
    assert "[[Catégorie:Jardins]]" in form["wpTextbox1"]  # <includeonly> kept, tags gone
    assert "ici. {{{1}}} $3" in form["wpTextbox1"]  # nothing else expanded
    page = client.get(f"/w/index.php?title=Jardin_des_explorateurs&action=edit&{query}")
    body = page.get_data(as_text=True)
    text = html.unescape(re.search(r'<textarea id="wpTextbox1"[^>]*>\n(.*?)</textarea>',
                                   body, re.S).group(1))
    assert "| nom = Jardin <b>\n| quartier = Recouvrance" in text
    assert text.rstrip().endswith("$3")  # no third parameter: left as written
    assert "Jardin <b>" not in body  # escaped in the textarea
    saved = save(client, "Jardin des explorateurs", text, "création", form=edit_form(
        client, "Jardin des explorateurs"))
    assert saved.status_code == 303


def test_preload_ignored_for_existing_page_and_missing_or_bad_names(app, client) -> None:  # type: ignore[no-untyped-def]
    _setup(app, client)
    save(client, "Existante", "texte d'origine")
    assert edit_form(client, "Existante", preload="Modèle:Fiche jardin")["wpTextbox1"] \
        == "texte d'origine"
    assert edit_form(client, "Nouvelle", preload="Modèle:Absent")["wpTextbox1"] == ""
    bad = edit_form(client, "Nouvelle", preload="Modèle:[[Mauvais]]")
    assert bad["_status"] == "200" and bad["wpTextbox1"] == ""
    assert edit_form(client, "Nouvelle", preload="Spécial:Modifications récentes")[
        "wpTextbox1"] == ""


def test_preload_follows_a_redirect_once(app, client) -> None:  # type: ignore[no-untyped-def]
    _setup(app, client)
    save(client, "Modèle:Fiche", "#REDIRECTION [[Modèle:Fiche jardin]]")
    assert edit_form(client, "Autre jardin", preload="Modèle:Fiche")["wpTextbox1"].startswith(
        "{{Infobox jardin")


def test_unreadable_preload_page_is_not_leaked(app, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _setup(app, client)
    from wikiengine.views import preload

    real = preload.can
    monkeypatch.setattr(preload, "can", lambda action, title=None: real(action, title) and not (
        action == "read" and title is not None and title.dbkey == "Fiche_jardin"))
    form = edit_form(client, "Fuite", preload="Modèle:Fiche jardin")
    assert form["_status"] == "200" and form["wpTextbox1"] == ""
    assert edit_form(client, "Fuite", editintro="Modèle:Fiche jardin")["_status"] == "200"
    body = client.get("/w/index.php?title=Fuite&action=edit&editintro=Mod%C3%A8le:Fiche_jardin")
    assert "mw-editintro" not in body.get_data(as_text=True)


def test_new_section_with_preloadtitle_and_summary(app, client) -> None:  # type: ignore[no-untyped-def]
    _setup(app, client)
    save(client, "Discussion:Port", "== Ancien ==\nbonjour")
    body = client.get("/w/index.php?" + urlencode({
        "title": "Discussion:Port", "action": "edit", "section": "new",
        "preloadtitle": "Collecte du 12 avril", "preload": "Modèle:Fiche jardin",
        "summary": "ignoré pour une nouvelle section"})).get_data(as_text=True)
    assert _summary(body) == "Collecte du 12 avril"
    assert "{{Infobox jardin" in body
    form = edit_form(client, "Discussion:Port", section="new",
                     preloadtitle="Collecte du 12 avril")
    saved = save(client, "Discussion:Port", "Je viendrai.", "Collecte du 12 avril", form=form)
    assert saved.status_code == 303
    text = edit_form(client, "Discussion:Port")["wpTextbox1"]
    assert text.endswith("== Collecte du 12 avril ==\n\nJe viendrai.")
    existing = client.get("/w/index.php?" + urlencode({
        "title": "Discussion:Port", "action": "edit", "summary": "relecture\ncollecte"}))
    assert _summary(existing.get_data(as_text=True)) == "relecture collecte"


def test_editintro_shown_above_the_form_and_kept_on_preview(app, client) -> None:  # type: ignore[no-untyped-def]
    _setup(app, client)
    form = edit_form(client, "Lavoir", editintro="Projet:Collecte")
    assert form["editintro"] == "Projet:Collecte"
    body = client.get("/w/index.php?title=Lavoir&action=edit&editintro=Projet:Collecte") \
        .get_data(as_text=True)
    assert 'class="mw-editintro"' in body and "<b>Journée de collecte</b>" in body
    preview = save(client, "Lavoir", "Un lavoir.", button="wpPreview", form=form)
    assert "<b>Journée de collecte</b>" in preview.get_data(as_text=True)
    for name in ("Projet:Absent", "Spécial:Version", "<>"):
        other = client.get("/w/index.php?" + urlencode({
            "title": "Lavoir", "action": "edit", "editintro": name}))
        assert other.status_code == 200 and "mw-editintro" not in other.get_data(as_text=True)
