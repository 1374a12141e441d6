"""A private wiki (PRIVATE_WIKI: reading for signed-in users only) answers readapidenied as
MediaWiki does, lets clients fetch a login token and log in, then works; and
Special:BotPasswords creates bot passwords with grants behind a CSRF-protected form."""
from __future__ import annotations

import re

import pytest

from api_helpers import api, login, make_user


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["PRIVATE_WIKI"] = True
    return app_config


def test_private_wiki_denies_anonymous_reads(app, client) -> None:
    for params in ({"meta": "siteinfo"}, {"meta": "userinfo"}, {"titles": "Accueil"},
                   {"list": "allpages"}, {"meta": "tokens", "titles": "Accueil"}):
        data = api(client, action="query", **params)
        assert data["error"]["code"] == "readapidenied", params
        assert data["error"]["info"] == "You need read permission to use this module."
    assert api(client, action="parse", text="x")["error"]["code"] == "readapidenied"
    assert "query" in api(client, action="query", meta="tokens", type="login")
    assert "paraminfo" in api(client, action="paraminfo", modules="query")
    make_user(app, "Lectrice", "lectrice-password")
    assert login(client, "Lectrice", "lectrice-password")["login"]["result"] == "Success"
    data = api(client, action="query", meta="siteinfo|userinfo", titles="Accueil")
    assert data["query"]["userinfo"]["name"] == "Lectrice"
    assert "missing" not in next(iter(data["query"]["pages"].values()))


def test_special_botpasswords_form(app, client) -> None:
    make_user(app, "Proprio", "proprio-password")
    assert client.get("/wiki/Special:BotPasswords").status_code == 302
    token = api(client, action="query", meta="tokens", type="login")["query"]["tokens"]
    signed = api(client, action="clientlogin", username="Proprio", password="proprio-password",
                 loginreturnurl="http://127.0.0.1/", logintoken=token["logintoken"])
    assert signed["clientlogin"]["status"] == "PASS"  # the web session of the same cookie
    html = client.get("/wiki/Special:BotPasswords").get_data(as_text=True)
    edit_token = re.search(r'name="wpEditToken"\s+value="([^"]+)"', html).group(1)
    refused = client.post("/wiki/Special:BotPasswords",
                          data={"op": "create", "app_id": "robot", "grants": "editpage"})
    assert refused.status_code == 400
    created = client.post("/wiki/Special:BotPasswords", data={
        "op": "create", "app_id": "robot", "grants": ["editpage", "<script>"],
        "wpEditToken": edit_token}).get_data(as_text=True)
    secret = re.search(r'class="secret">([0-9a-f]+)<', created).group(1)
    assert "<script>" not in created
    bot = app.test_client()
    assert login(bot, "Proprio@robot", secret)["login"]["result"] == "Success"
    rights = api(bot, action="query", meta="userinfo", uiprop="rights")["query"]["userinfo"]
    assert "edit" in rights["rights"] and "move" not in rights["rights"]
    client.post("/wiki/Special:BotPasswords", data={"op": "delete", "app_id": "robot",
                                                    "wpEditToken": edit_token})
    assert api(bot, action="query", meta="userinfo")["error"]["code"] == "readapidenied"


def test_botpasswords_listed_among_special_pages(app) -> None:
    from wikiengine.views import special

    with app.test_request_context():
        assert special.lookup("BotPasswords") is not None
        assert special.lookup("Mots de passe de robot") is not None
