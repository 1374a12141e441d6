"""action=edit and the page actions: results in MediaWiki's shapes, conflicts, tokens,
rights, protection and blocks checked by the store's one permission check; a refused write
leaves nothing behind."""
from __future__ import annotations

import hashlib

from api_helpers import api, csrf, edit, logged_in, login, make_user


def _text(client, title: str) -> str | None:
    page = api(client, action="query", prop="revisions", titles=title, rvprop="content",
               rvslots="main", formatversion=2)["query"]["pages"][0]
    return None if page.get("missing") else page["revisions"][0]["slots"]["main"]["content"]


def test_create_edit_and_null_edit(app) -> None:
    client = logged_in(app)
    first = edit(client, "Lavoir", "Le lavoir.", summary="création")["edit"]
    assert first["result"] == "Success" and first["new"] == "" and first["oldrevid"] == 0
    second = edit(client, "Lavoir", "Le lavoir du Pont.", summary="précision")["edit"]
    assert second["oldrevid"] == first["newrevid"] and "new" not in second
    same = edit(client, "Lavoir", "Le lavoir du Pont.")["edit"]
    assert same["nochange"] == "" and "newrevid" not in same
    assert _text(client, "Lavoir") == "Le lavoir du Pont."


def test_append_prepend_and_sections(app) -> None:
    client = logged_in(app)
    edit(client, "Page", "== Un ==\nA\n== Deux ==\nB")
    api(client, action="edit", title="Page", appendtext="\nfin", token=csrf(client))
    api(client, action="edit", title="Page", prependtext="début\n", token=csrf(client))
    assert _text(client, "Page") == "début\n== Un ==\nA\n== Deux ==\nB\nfin"
    api(client, action="edit", title="Page", section="2", text="== Deux ==\nC",
        token=csrf(client))
    assert _text(client, "Page") == "début\n== Un ==\nA\n== Deux ==\nC"
    api(client, action="edit", title="Page", section="new", sectiontitle="Trois", text="D",
        token=csrf(client))
    assert _text(client, "Page").endswith("== Trois ==\n\nD")
    bad = api(client, action="edit", title="Page", section="9", text="x", token=csrf(client))
    assert bad["error"]["code"] == "nosuchsection"


def test_md5_createonly_nocreate(app) -> None:
    client = logged_in(app)
    wrong = edit(client, "Md5", "texte", md5="0" * 32)
    assert wrong["error"]["code"] == "badmd5" and _text(client, "Md5") is None
    right = edit(client, "Md5", "texte", md5=hashlib.md5(b"texte").hexdigest())
    assert right["edit"]["result"] == "Success"
    assert edit(client, "Md5", "autre", createonly=True)["error"]["code"] == "articleexists"
    assert edit(client, "Absente", "x", nocreate=True)["error"]["code"] == "missingtitle"
    assert _text(client, "Absente") is None


def test_conflict_detection_with_basetimestamp_and_baserevid(app) -> None:
    alice = logged_in(app, "Alice", "alice-password", ())
    bob = logged_in(app, "Bob", "bob-password", ())
    edit(alice, "Conflit", "ligne 1\nligne 2\nligne 3")
    info = api(alice, action="query", prop="revisions", titles="Conflit",
               rvprop="ids|timestamp", formatversion=2)["query"]["pages"][0]["revisions"][0]
    edit(bob, "Conflit", "ligne 1\nligne 2 par Bob\nligne 3")
    clash = edit(alice, "Conflit", "ligne 1\nligne 2 par Alice\nligne 3",
                 basetimestamp=info["timestamp"])
    assert clash["error"]["code"] == "editconflict"
    clash2 = edit(alice, "Conflit", "ligne 1\nligne 2 par Alice\nligne 3",
                  baserevid=info["revid"])
    assert clash2["error"]["code"] == "editconflict"
    assert _text(alice, "Conflit") == "ligne 1\nligne 2 par Bob\nligne 3"
    merged = edit(alice, "Conflit", "ligne 0\nligne 1\nligne 2\nligne 3",
                  baserevid=info["revid"])
    assert merged["edit"]["result"] == "Success"
    assert _text(alice, "Conflit") == "ligne 0\nligne 1\nligne 2 par Bob\nligne 3"


def test_own_intervening_edits_do_not_conflict(app) -> None:
    client = logged_in(app)
    first = edit(client, "Soi", "a")["edit"]
    edit(client, "Soi", "b")
    again = edit(client, "Soi", "c", baserevid=first["newrevid"])
    assert again["edit"]["result"] == "Success"


def test_undo(app) -> None:
    client = logged_in(app)
    edit(client, "Annuler", "un\ndeux\ntrois")
    bad = edit(client, "Annuler", "un\nDEUX\ntrois")["edit"]
    edit(client, "Annuler", "un\nDEUX\ntrois\nquatre")
    api(client, action="edit", title="Annuler", undo=bad["newrevid"], token=csrf(client))
    assert _text(client, "Annuler") == "un\ndeux\ntrois\nquatre"


def test_tokens_checked(app) -> None:
    client = logged_in(app)
    missing = api(client, action="edit", title="T", text="x")
    assert missing["error"]["code"] == "missingparam"
    stale = api(client, action="edit", title="T", text="x", token="0" * 32 + "1+\\")
    assert stale["error"]["code"] == "badtoken"
    anon_token = api(client, action="edit", title="T", text="x", token="+\\")
    assert anon_token["error"]["code"] == "badtoken"
    other = logged_in(app, "Other", "other-password", ())
    assert api(other, action="edit", title="T", text="x", token=csrf(client))["error"][
        "code"] == "badtoken"
    assert _text(client, "T") is None


def test_anonymous_cannot_edit_by_default(client) -> None:
    data = api(client, action="edit", title="Anon", text="x", token="+\\")
    assert data["error"]["code"] in ("permissiondenied", "cantcreate")
    assert api(client, action="edit", title="Anon", text="x", token="+\\",
               **{"assert": "user"})["error"]["code"] == "assertuserfailed"


def test_protection_and_rights(app) -> None:
    admin = logged_in(app)
    user = logged_in(app, "Simple", "simple-password", ())
    edit(admin, "Protégée", "v1")
    prot = api(admin, action="protect", title="Protégée", protections="edit=sysop|move=sysop",
               token=csrf(admin))["protect"]
    assert prot["protections"] == [{"edit": "sysop", "expiry": "infinite"},
                                   {"move": "sysop", "expiry": "infinite"}]
    refused = edit(user, "Protégée", "v2")
    assert refused["error"]["code"] == "protectedpage"
    assert api(user, action="delete", title="Protégée", token=csrf(user))["error"][
        "code"] == "permissiondenied"
    assert api(user, action="protect", title="Protégée", protections="edit=all",
               token=csrf(user))["error"]["code"] == "permissiondenied"
    info = api(admin, action="query", prop="info", inprop="protection",
               titles="Protégée")["query"]["pages"]
    page = next(iter(info.values()))
    assert {p["type"]: p["level"] for p in page["protection"]} == {"edit": "sysop",
                                                                 "move": "sysop"}
    assert _text(admin, "Protégée") == "v1"


def test_blocked_user_cannot_edit(app) -> None:
    from wikiengine.db import session_scope
    from wikiengine.models import Block
    from wikiengine.store import users

    client = logged_in(app, "Bloqué", "blocked-password", ())
    with app.app_context(), session_scope(app) as s:
        target = users.get_user(s, "Bloqué")
        admin = users.create_user(s, "Blocker", "x-password", groups=["sysop"])
        s.add(Block(address="Bloqué", user_id=target.user_id,
                    by_actor_id=users.get_actor(s, admin).actor_id, reason="vandalisme"))
    data = edit(client, "Essai", "x")
    assert data["error"]["code"] == "blocked"
    assert data["error"]["blockinfo"]["blockreason"] == "vandalisme"
    info = api(client, action="query", meta="userinfo", uiprop="blockinfo")
    assert info["query"]["userinfo"]["blockedby"] == "Blocker"


def test_move_delete_undelete_rollback(app) -> None:
    admin = logged_in(app)
    vandal = logged_in(app, "Vandal", "vandal-password", ())
    edit(admin, "Ancien", "contenu")
    moved = api(admin, action="move", **{"from": "Ancien"}, to="Nouveau", reason="renommage",
                token=csrf(admin))["move"]
    assert moved == {"from": "Ancien", "to": "Nouveau", "reason": "renommage",
                     "redirectcreated": ""}
    redirects = api(admin, action="query", titles="Ancien", redirects=True)["query"]
    assert redirects["redirects"] == [{"from": "Ancien", "to": "Nouveau"}]
    edit(vandal, "Nouveau", "vandalisme")
    rb = api(admin, action="rollback", title="Nouveau", user="Vandal",
             token=api(admin, action="query", meta="tokens", type="rollback")["query"][
                 "tokens"]["rollbacktoken"])
    assert rb["rollback"]["title"] == "Nouveau"
    assert _text(admin, "Nouveau") == "contenu"
    deleted = api(admin, action="delete", title="Nouveau", reason="test", token=csrf(admin))
    assert deleted["delete"]["title"] == "Nouveau" and deleted["delete"]["logid"] > 0
    assert _text(admin, "Nouveau") is None
    restored = api(admin, action="undelete", title="Nouveau", token=csrf(admin))["undelete"]
    assert restored["revisions"] >= 2
    assert _text(admin, "Nouveau") == "contenu"
    again = api(admin, action="delete", title="Absente", token=csrf(admin))
    assert again["error"]["code"] == "missingtitle"


def test_watch_purge(app) -> None:
    client = logged_in(app)
    edit(client, "Suivie", "x")
    assert api(client, action="watch", titles="Suivie", token=csrf(client))["error"][
        "code"] == "badtoken"  # MediaWiki wants the watch token here
    token = api(client, action="query", meta="tokens", type="watch")["query"]["tokens"][
        "watchtoken"]
    watched = api(client, action="watch", titles="Suivie|Manquante", token=token)
    assert watched["watch"] == [{"ns": 0, "title": "Manquante", "missing": "",
                                 "watched": ""},
                                {"ns": 0, "title": "Suivie", "watched": ""}]
    info = api(client, action="query", prop="info", inprop="watched", titles="Suivie")
    assert next(iter(info["query"]["pages"].values()))["watched"] == ""
    purged = api(client, action="purge", titles="Suivie")
    assert purged["purge"] == [{"ns": 0, "title": "Suivie", "purged": ""}]
    wl = api(client, action="query", list="watchlist")["query"]["watchlist"]
    assert [w["title"] for w in wl] == ["Suivie"]


def test_bot_password_grants_narrow_rights(app) -> None:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    make_user(app, "Robot", "robot-main-password", ("sysop",))
    with app.app_context(), session_scope(app) as s:
        secret = users.create_bot_password(s, users.get_user(s, "Robot"), "lecture",
                                           ["basic", "editpage"])
    client = app.test_client()
    assert login(client, "Robot@lecture", "wrong")["login"]["result"] == "Failed"
    answer = login(client, "Robot@lecture", secret)["login"]
    assert answer["result"] == "Success" and answer["lgusername"] == "Robot"
    me = api(client, action="query", meta="userinfo", uiprop="rights")["query"]["userinfo"]
    assert me["name"] == "Robot"
    assert "edit" in me["rights"] and "delete" not in me["rights"]
    edit(client, "Par robot", "x")
    refused = api(client, action="delete", title="Par robot", token=csrf(client))
    assert refused["error"]["code"] == "permissiondenied"
    web = client.get("/wiki/Special:BotPasswords")
    assert web.status_code == 302  # a bot-password session is not a web login


def test_rate_limits_for_new_users_are_configurable(app) -> None:
    app.config["API_RATE_LIMITS"] = {"edit": {"newbie": (2, 60)}}
    app.config["AUTOCONFIRM_COUNT"] = 50
    newbie = logged_in(app, "Nouveau", "nouveau-password", ())
    limits = api(newbie, action="query", meta="userinfo", uiprop="ratelimits")
    assert limits["query"]["userinfo"]["ratelimits"] == {
        "edit": {"newbie": {"hits": 2, "seconds": 60}}}
    assert edit(newbie, "Un", "1")["edit"]["result"] == "Success"
    assert edit(newbie, "Deux", "2")["edit"]["result"] == "Success"
    third = edit(newbie, "Trois", "3")
    assert third["error"]["code"] == "ratelimited"
    admin = logged_in(app)  # sysops have noratelimit
    for i in range(4):
        assert edit(admin, f"Admin {i}", "x")["edit"]["result"] == "Success"


def test_errorformat_plaintext(app) -> None:
    client = logged_in(app)
    data = api(client, action="edit", title="X", text="x", token="bad", errorformat="plaintext",
               formatversion=2)
    assert data["errors"] == [{"code": "badtoken", "text": "Invalid CSRF token.",
                               "module": "main"}]
    warned = api(client, action="query", meta="siteinfo", junk="1", errorformat="plaintext")
    assert warned["warnings"] == [{"code": "unrecognized-params",
                                   "text": "Unrecognized parameter: junk.", "module": "main"}]
