"""The dispatcher: error shape, warnings, formats, limits, maxlag, asserts, CORS, siteinfo,
userinfo, tokens and paraminfo compared with what MediaWiki 1.39 answers (../shared fixtures).
"""
from __future__ import annotations

import json

import pytest

from api_helpers import api
from conftest import shared_path


def test_unknown_action_is_badvalue_with_http_200(client) -> None:
    data = api(client, action="nosuchaction")
    assert data["error"]["code"] == "badvalue"
    assert data["error"]["info"] == 'Unrecognized value for parameter "action": nosuchaction.'
    assert "*" in data["error"]


def test_error_shape_formatversion_2(client) -> None:
    data = api(client, action="nosuchaction", formatversion=2)
    assert set(data["error"]) == {"code", "info", "docref"}


def test_unrecognized_parameter_warning(client) -> None:
    data = api(client, action="query", meta="siteinfo", bogus="1", other="2")
    assert data["warnings"]["main"]["*"] == "Unrecognized parameters: bogus, other."
    v2 = api(client, action="query", meta="siteinfo", bogus="1", formatversion=2)
    assert v2["warnings"]["main"]["warnings"] == "Unrecognized parameter: bogus."


def test_unrecognized_multi_value_is_a_warning(client) -> None:
    data = api(client, action="query", meta="siteinfo", siprop="general|nonsense")
    assert "general" in data["query"]
    assert "nonsense" in data["warnings"]["siteinfo"]["*"]


def test_bad_enum_value_is_an_error(client) -> None:
    data = api(client, action="query", list="allpages", apfilterredir="sideways")
    assert data["error"]["code"] == "badvalue"


def test_bad_integer(client) -> None:
    data = api(client, action="query", list="allpages", apminsize="ten")
    assert data["error"]["code"] == "badinteger"


def test_limit_is_clamped_with_a_warning(client) -> None:
    data = api(client, action="query", list="allpages", aplimit=100000)
    assert "allpages" in data["query"]
    assert "must be between 1 and 500" in data["warnings"]["allpages"]["*"]
    as_max = api(client, action="query", list="allpages", aplimit="max")
    assert "warnings" not in as_max and as_max["limits"] == {"allpages": 500}


def test_missing_required_parameter(client) -> None:
    data = api(client, action="query", list="search")
    assert data["error"] == {**data["error"], "code": "missingparam",
                             "info": 'The "srsearch" parameter must be set.'}


def test_too_many_titles(client) -> None:
    titles = "|".join(f"T{i}" for i in range(10000))
    data = api(client, action="query", titles=titles)
    assert data["error"]["code"] == "toomanyvalues"
    assert "The limit is 50" in data["error"]["info"]


def test_must_be_posted(client) -> None:
    data = api(client, "get", action="logout", token="+\\")
    assert data["error"]["code"] == "mustbeposted"


def test_assert_user_fails_for_anonymous(client) -> None:
    data = api(client, action="query", meta="userinfo", **{"assert": "user"})
    assert data["error"]["code"] == "assertuserfailed"


def test_maxlag_answers_retry_after(app, client) -> None:
    app.config["API_MAX_QUEUE_DEPTH"] = -1
    resp = client.post("/w/api.php", data={"action": "query", "meta": "siteinfo",
                                            "maxlag": "0", "format": "json"})
    assert resp.status_code == 200
    assert resp.get_json()["error"]["code"] == "maxlag"
    assert int(resp.headers["Retry-After"]) >= 5
    assert resp.headers["MediaWiki-API-Error"] == "maxlag"
    app.config["API_MAX_QUEUE_DEPTH"] = 32
    assert "error" not in api(client, action="query", meta="siteinfo", maxlag=0)


def test_maxlag_from_the_front_proxys_queue_time(client) -> None:
    import time

    waited = {"X-Request-Start": f"t={int((time.time() - 12) * 1000)}"}
    resp = client.post("/w/api.php", data={"action": "query", "meta": "siteinfo",
                                            "maxlag": "5", "format": "json"}, headers=waited)
    error = resp.get_json()["error"]
    assert error["code"] == "maxlag" and 11 <= error["lag"] <= 14
    assert resp.headers["Retry-After"] == str(error["lag"])
    fresh = {"X-Request-Start": f"t={time.time():.3f}"}
    ok = client.post("/w/api.php", data={"action": "query", "meta": "siteinfo",
                                          "maxlag": "5", "format": "json"}, headers=fresh)
    assert "error" not in ok.get_json()


def test_jsonfm_is_escaped_html(client) -> None:
    resp = client.get("/w/api.php", query_string={"action": "query", "titles": "<script>"})
    assert resp.mimetype == "text/html"
    body = resp.get_data(as_text=True)
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_cors_origin_star_is_anonymous(client) -> None:
    resp = client.get("/w/api.php", query_string={"action": "query", "meta": "userinfo",
                                                  "origin": "*", "format": "json"},
                      headers={"Origin": "https://elsewhere.example"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.get_json()["query"]["userinfo"]["id"] == 0


def test_cors_origin_mismatch_refused(client) -> None:
    resp = client.get("/w/api.php", query_string={"action": "query", "meta": "userinfo",
                                                  "origin": "https://a.example"},
                      headers={"Origin": "https://b.example"})
    assert resp.status_code == 403


def test_siteinfo_matches_mediawiki_fields(client) -> None:
    oracle = json.loads(shared_path("oracle", "fixtures", "siteinfo-fv2.json").read_text())
    ours = api(client, action="query", meta="siteinfo", formatversion=2,
               siprop="general|namespaces|namespacealiases")["query"]
    missing = set(oracle["query"]["general"]) - set(ours["general"])
    # Not reported on purpose: we run no PHP (phpversion kept for clients), no Cite option.
    assert missing <= {"citeresponsivereferences"}, missing
    assert ours["general"]["generator"] == "MediaWiki 1.39.17"
    assert ours["general"]["wikiengine"]
    for number, ns in oracle["query"]["namespaces"].items():
        if number in ("828", "829"):
            continue  # Scribunto's Module namespaces: no Lua here
        mine = ours["namespaces"][number]
        assert set(ns) <= set(mine), (number, set(ns) - set(mine))
        assert mine["canonical" if "canonical" in ns else "id"] == ns[
            "canonical" if "canonical" in ns else "id"]
    assert ours["namespaces"]["10"]["name"] == "Modèle"
    assert {"id": 6, "alias": "Image"} in ours["namespacealiases"]


def test_siteinfo_formatversion_1_booleans(client) -> None:
    general = api(client, action="query", meta="siteinfo")["query"]["general"]
    assert general["writeapi"] == "" and "readonly" not in general
    assert isinstance(general["thumblimits"], list)


def test_siteinfo_statistics_and_interwiki(app, client) -> None:
    from wikiengine import rendering

    q = api(client, action="query", meta="siteinfo", siprop="statistics|interwikimap")["query"]
    assert q["statistics"]["pages"] >= 1
    with app.app_context():  # the interwiki map is the renderer's, not a second table
        assert [iw["prefix"] for iw in q["interwikimap"]] == sorted(
            rendering.site_config().interwiki)


def test_anonymous_userinfo_matches_mediawiki(client) -> None:
    oracle = json.loads(shared_path("oracle", "fixtures", "userinfo-anon.json").read_text())
    ours = api(client, action="query", meta="userinfo", formatversion=2,
               uiprop="blockinfo|groups|hasmsg|ratelimits|rights")["query"]["userinfo"]
    assert set(oracle["query"]["userinfo"]) <= set(ours)
    assert ours["anon"] is True and ours["id"] == 0 and ours["groups"] == ["*"]
    assert "read" in ours["rights"] and "edit" not in ours["rights"]


def test_tokens_for_anonymous(client) -> None:
    tokens = api(client, action="query", meta="tokens",
                 type="createaccount|csrf|login|patrol|rollback|userrights|watch",
                 formatversion=2)["query"]["tokens"]
    assert tokens["csrftoken"] == "+\\"
    assert tokens["logintoken"].endswith("+\\") and len(tokens["logintoken"]) > 2
    assert len(tokens) == 7


def _implemented_modules() -> list[str]:
    from wikiengine.api.base import ACTIONS, QUERY_MODULES

    return ["main"] + sorted(ACTIONS) + sorted(
        f"query+{n}" for group in QUERY_MODULES.values() for n in group)


@pytest.mark.parametrize("module", _implemented_modules())
def test_paraminfo_agrees_with_mediawiki(client, module: str) -> None:
    fixture = shared_path("oracle", "fixtures").joinpath(f"paraminfo-{module}.json")
    assert fixture.exists(), f"no MediaWiki paraminfo recorded for {module}"
    oracle = json.loads(fixture.read_text())["paraminfo"]["modules"][0]
    ours = api(client, action="paraminfo", modules=module)["paraminfo"]["modules"][0]
    for key in ("name", "path", "prefix", "classname"):
        assert ours[key] == oracle[key]
    assert ("mustbeposted" in ours) == ("mustbeposted" in oracle)
    assert ("readrights" in ours) == ("readrights" in oracle), module
    theirs = {p["name"]: p for p in oracle["parameters"]}
    for p in ours["parameters"]:
        assert p["name"] in theirs, f"{module}: {p['name']} is not a MediaWiki parameter"
        ref = theirs[p["name"]]
        for key in ("multi", "max", "highmax", "required", "tokentype"):
            assert (key in p) == (key in ref) and p.get(key) == ref.get(key), (module, p, ref)
        if isinstance(ref["type"], str):
            assert p["type"] == ref["type"], (module, p["name"])
        else:
            assert set(p["type"]) <= set(ref["type"]), (module, p["name"])


def test_paraminfo_unknown_module_is_missing(client) -> None:
    data = api(client, action="paraminfo", modules="nonesuch|query+nonesuch")
    assert [m["name"] for m in data["paraminfo"]["missing"]] == ["nonesuch", "query+nonesuch"]


def test_paraminfo_submodules_are_the_registry(client) -> None:
    info = api(client, action="paraminfo", modules="query")["paraminfo"]["modules"][0]
    params = {p["name"]: p for p in info["parameters"]}
    assert set(params["generator"]["type"]) <= set(params["prop"]["type"]) | set(
        params["list"]["type"])
    for name in ("categorymembers", "allpages", "backlinks", "search", "recentchanges"):
        assert params["list"]["submodules"][name] == f"query+{name}"
        data = api(client, action="query", list=name, **{
            "cmtitle": "Category:X", "bltitle": "X", "srsearch": "x"})
        assert "error" not in data, (name, data)


def test_siteinfo_lists_enabled_extensions(app, client) -> None:
    from wikiengine import registry

    app.config["EXTENSIONS"] = ["parserfunctions"]
    registry.init_app(app)
    exts = api(client, action="query", meta="siteinfo", siprop="extensions")["query"][
        "extensions"]
    assert [e["name"] for e in exts] == ["ParserFunctions"]


def test_help_page_in_a_browser(client) -> None:
    page = client.get("/w/api.php")
    assert page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert "<h1>MediaWiki API help</h1>" in body and "<li>query</li>" in body
    wrapped = api(client, action="help", modules="query")
    assert wrapped["help"]["mime"] == "text/html" and "titles" in wrapped["help"]["help"]
