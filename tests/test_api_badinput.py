"""Bad input never gives a 500, an HTML page (with format=json) or a half-written page:
unknown modules and parameters, wrong types, oversized values, broken encodings, hostile
titles, and a Hypothesis sweep over random parameters of every action."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from api_helpers import api, csrf, logged_in


def test_no_action_gives_help(client) -> None:
    data = api(client)
    assert "help" in data


def test_wrong_types_and_values(client) -> None:
    cases = [
        ({"action": "query", "list": "allpages", "aplimit": "many"}, "badinteger"),
        ({"action": "query", "list": "allpages", "apnamespace": "9999"}, "badvalue"),
        ({"action": "query", "list": "recentchanges", "rcstart": "yesterday"},
         "badtimestamp"),
        ({"action": "query", "prop": "revisions", "revids": "1|x"}, "badinteger"),
        ({"action": "query", "titles": "A", "pageids": "1"}, "invalidparammix"),
        ({"action": "query", "list": "categorymembers"}, "missingparam-one-of"),
        ({"action": "query", "list": "categorymembers", "cmtitle": "Pas une catégorie"},
         "invalidcategory"),
        ({"action": "query", "list": "backlinks", "bltitle": "[[x]]"}, "invalidtitle"),
        ({"action": "parse", "page": "N'existe pas"}, "missingtitle"),
        ({"action": "parse", "oldid": "999999"}, "nosuchrevid"),
        ({"action": "compare", "fromrev": "999999", "torev": "1"}, "nosuchrevid"),
        ({"action": "query", "formatversion": "3"}, "badvalue"),
        ({"action": "query", "errorformat": "fancy"}, "badvalue"),
    ]
    for params, code in cases:
        data = api(client, **params)
        assert data.get("error", {}).get("code") == code, (params, data)


def test_oversized_values(client) -> None:
    big = "x" * (300 * 1024)
    data = api(client, action="query", titles=big)
    page = next(iter(data["query"]["pages"].values()))
    assert page["invalid"] == ""
    assert api(client, action="query", list="search", srsearch=big)["error"]["code"] == \
        "search-toolong"


def test_oversized_edit_writes_nothing(app) -> None:
    app.config["MAX_ARTICLE_SIZE"] = 1000
    client = logged_in(app)
    data = api(client, action="edit", title="Énorme", text="é" * 1000, token=csrf(client))
    assert data["error"]["code"] == "contenttoobig"
    q = api(client, action="query", titles="Énorme")["query"]["pages"]
    assert next(iter(q.values()))["missing"] == ""


def test_unused_and_deprecated_parameters_warn(client) -> None:
    data = api(client, action="paraminfo", modules="query", mainmodule="1", xyz="1")
    assert "Unrecognized parameter: xyz." in data["warnings"]["main"]["*"]
    assert "deprecated" in data["warnings"]["paraminfo"]["*"]


def test_get_for_write_modules_refused(client) -> None:
    # As MediaWiki: a missing token is reported first, then the method.
    assert api(client, "get", action="edit")["error"]["code"] == "missingparam"
    login_token = api(client, action="query", meta="tokens", type="login")["query"][
        "tokens"]["logintoken"]
    for action in ("edit", "move", "delete", "undelete", "protect", "purge", "watch",
                   "rollback", "login", "clientlogin", "logout"):
        token = login_token if action == "clientlogin" else "+\\"
        data = api(client, "get", action=action, token=token, logintoken=token)
        assert data["error"]["code"] == "mustbeposted", action


def test_undecodable_bytes_never_500(client) -> None:
    resp = client.post("/w/api.php", data=b"action=query&titles=%FF%FE&format=json",
                       content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 200
    json.loads(resp.get_data(as_text=True))


ACTIONS = ["query", "edit", "parse", "expandtemplates", "compare", "move", "delete",
           "undelete", "protect", "purge", "watch", "rollback", "opensearch", "paraminfo",
           "login", "clientlogin", "logout", "feedrecentchanges"]
NAMES = ["title", "titles", "text", "prop", "list", "meta", "generator", "limit", "rvlimit",
         "aplimit", "continue", "rvcontinue", "apcontinue", "pageids", "revids", "fromrev",
         "torev", "section", "protections", "expiry", "to", "from", "user", "search",
         "srsearch", "modules", "formatversion", "undo", "basetimestamp", "type", "token",
         "gapprefix", "generator", "cmtitle", "list", "rcstart"]
VALUES = st.one_of(st.text(max_size=40), st.sampled_from(
    ["max", "-1", "0", "99999999999999999999", "|||", "\x1fa\x1fb", "2026-13-45T99:00:00Z",
     "allpages", "revisions|info", "*", "new", "edit=sysop", "Spécial:X", "a|b|c", "+\\",
     "Page", "Page|Autre", "1", "2", "", "Nouvelle page", "127.0.0.1"]))


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(ACTIONS),
       params=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=5))
def test_random_parameters_never_crash(client, action, params) -> None:
    params = {k: v for k, v in params.items() if "\x00" not in k}
    resp = client.post("/w/api.php", data={**params, "action": action, "format": "json"})
    assert resp.status_code == 200
    if action == "feedrecentchanges" and "error" not in resp.get_data(as_text=True):
        return
    if action == "opensearch" and resp.get_data(as_text=True).startswith("["):
        return
    data = json.loads(resp.get_data(as_text=True))
    code = data.get("error", {}).get("code", "")
    assert not code.startswith("internal_api_error"), (action, params, data)


def test_oversized_body_answers_json(app, client) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    resp = client.post("/w/api.php", data={"action": "query", "titles": "x" * 5000,
                                            "format": "json"})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.get_json()["error"]["code"] == "toobig"


WRITE_ACTIONS = ["edit", "move", "delete", "undelete", "protect", "purge", "watch", "rollback",
                 "parse", "compare", "query"]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(WRITE_ACTIONS),
       params=st.dictionaries(st.sampled_from(NAMES + ["appendtext", "prependtext",
                                                       "sectiontitle", "createonly",
                                                       "nocreate", "md5", "undoafter",
                                                       "baserevid", "starttimestamp",
                                                       "noredirect", "movetalk", "reason",
                                                       "cascade", "timestamps", "unwatch",
                                                       "torelative", "oldid", "page"]),
                              VALUES, max_size=6))
def test_random_writes_by_a_sysop_never_crash(admin_client, action, params) -> None:
    client, token = admin_client
    params = {k: v for k, v in params.items() if k != "token"}
    resp = client.post("/w/api.php", data={**params, "action": action, "format": "json",
                                            "token": token})
    assert resp.status_code == 200
    data = json.loads(resp.get_data(as_text=True))
    code = data.get("error", {}).get("code", "") if isinstance(data, dict) else ""
    assert not code.startswith("internal_api_error"), (action, params, data)


@pytest.fixture
def admin_client(app):
    client = logged_in(app)
    api(client, action="edit", title="Page", text="== Un ==\na\n== Deux ==\nb",
        token=csrf(client))
    return client, csrf(client)
