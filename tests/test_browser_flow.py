"""The main flow in real headless Chromium (Debian's, driven by Playwright): create an
account, log out and in, create a page with preview and "show changes", save, edit again,
read the history and a diff, and meet the edit-conflict screen from a second browser."""
from __future__ import annotations

import pytest


def _sign_up(page, base: str, name: str) -> None:
    page.goto(f"{base}/wiki/Spécial:Créer_un_compte")
    page.fill("#wpName2", name)
    page.fill("#wpPassword2", "un-long-mot-de-passe")
    page.fill("#wpRetype", "un-long-mot-de-passe")
    page.click("#wpCreateaccount")
    page.wait_for_load_state()
    assert "Se déconnecter" in page.content()


def _edit(page, base: str, title: str):
    page.goto(f"{base}/w/index.php?title={title}&action=edit")
    return page


@pytest.mark.browser
def test_main_flow(live_server, browser):
    base = live_server
    page = browser.new_page(locale="fr-FR")
    _sign_up(page, base, "Marie")
    page.click("text=Se déconnecter")
    page.wait_for_load_state()
    assert "Se connecter" in page.content()
    page.click("#pt-login")
    page.fill("#wpName1", "Marie")
    page.fill("#wpPassword1", "un-long-mot-de-passe")
    page.click("#wpLoginAttempt")
    page.wait_for_load_state()
    assert "Marie" in page.inner_text(".personal")

    _edit(page, base, "Jardin_partagé")
    assert "Création de Jardin partagé" in page.inner_text("#firstHeading")
    page.fill("#wpTextbox1", "Le jardin est ouvert le '''samedi'''.")
    page.click("#wpPreview")
    page.wait_for_load_state()
    assert "Ceci n’est qu’une prévisualisation" in page.content()
    assert page.inner_text("#wikiPreview b") == "samedi"
    page.click("#wpDiff")
    page.wait_for_load_state()
    assert page.locator("#wikiDiff table.diff").count() == 1
    page.fill("#wpSummary", "création")
    page.click("#wpSave")
    page.wait_for_load_state()
    assert page.url.endswith("/wiki/Jardin_partag%C3%A9")
    assert "Le jardin est ouvert le samedi." in page.inner_text("#mw-content-text")

    page.click("#ca-edit")
    page.wait_for_load_state()
    page.fill("#wpTextbox1", "Le jardin est ouvert le '''dimanche'''.")
    page.fill("#wpSummary", "changement de jour")
    page.click("#wpSave")
    page.wait_for_load_state()
    assert "dimanche" in page.inner_text("#mw-content-text")

    page.click("#ca-history")
    page.wait_for_load_state()
    rows = page.locator("#pagehistory li")
    assert rows.count() == 2
    assert "changement de jour" in rows.nth(0).inner_text()
    page.click(".historysubmit >> nth=0")
    page.wait_for_load_state()
    assert page.locator("del.diffchange").first.inner_text() == "samedi"
    assert page.locator("ins.diffchange").first.inner_text() == "dimanche"

    # Two residents edit at once: the second save meets the conflict screen.
    other = browser.new_page(locale="fr-FR")
    _sign_up(other, base, "Yann")
    _edit(page, base, "Jardin_partagé")
    _edit(other, base, "Jardin_partagé")
    other.fill("#wpTextbox1", "Le jardin est ouvert le lundi.")
    other.click("#wpSave")
    other.wait_for_load_state()
    page.fill("#wpTextbox1", "Le jardin est fermé.")
    page.click("#wpSave")
    page.wait_for_load_state()
    assert page.locator("#mw-editconflict").count() == 1
    assert page.input_value("#wpTextbox1").strip() == "Le jardin est ouvert le lundi."
    assert page.input_value("#wpTextbox2").strip() == "Le jardin est fermé."
    assert page.locator("#mw-editconflict ~ table.diff, form table.diff").count() >= 1


@pytest.mark.browser
def test_skin_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB",
                                  is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/wiki/Accueil")
    assert page.locator("html").get_attribute("lang") == "en"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    sidebar = page.locator(".sidebar").bounding_box()
    content = page.locator("#content").bounding_box()
    assert sidebar["y"] >= content["y"] + content["height"] - 1  # navigation after the text
    page.click(".menu-button")
    assert page.url.endswith("#mw-navigation")
    assert page.locator(".sidebar").is_visible()
    page.goto(f"{live_server}/wiki/Accueil")
    assert page.locator("#ca-history").is_visible()
    page.fill("#searchInput", "jardin")
    with page.expect_navigation():
        page.press("#searchInput", "Enter")
    assert "search=jardin" in page.url
    context.close()
