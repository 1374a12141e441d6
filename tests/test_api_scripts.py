"""Stock pywikibot scripts (the ``pywikibot-scripts`` package) run unchanged against our
API: replace.py over a category, category.py add, touch.py, pagefromfile.py, and
transferbot.py copying pages from our wiki to a second instance of it."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api_helpers import api, login
from conftest import require, shared_path

PASSWORD = "scripts-password"


def _setup_user(application) -> None:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with application.app_context(), session_scope(application) as s:
        users.create_user(s, "Bot", PASSWORD, groups=["sysop", "bot"])


@pytest.fixture
def second(tmp_path):
    """A second instance of our wiki on another loopback port (the transfer target)."""
    from wikiengine import create_app
    from wikiengine.db import engine
    from wikiengine.store import setup

    folder = tmp_path / "second"
    # Its own cookie name, as MediaWiki's $wgCookiePrefix: both wikis share 127.0.0.1.
    other = create_app({"TESTING": True, "INSTANCE_PATH": str(folder), "SECRET_KEY": "two",
                        "DATABASE_URL": f"sqlite:///{folder / 'wiki.db'}",
                        "SESSION_COOKIE_NAME": "second_session"})
    setup.init_instance(other)
    _setup_user(other)
    server = make_server("127.0.0.1", 0, other, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield other, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    engine(other).dispose()


@pytest.fixture
def pwb(app, live_server, second, tmp_path):
    """A PYWIKIBOT_DIR knowing two families (``ours`` and ``second``) and a runner."""
    require(importlib.util.find_spec("pywikibot_scripts") is not None, "pywikibot-scripts",
            "pip install pywikibot-scripts (the test extra)")
    _setup_user(app)
    smoke = _load_smoke()
    folder = tmp_path / "pwb"
    (folder / "families").mkdir(parents=True)
    config = [smoke.USER_CONFIG_TEMPLATE.format(family="ours", code="en", user="Bot")]
    passwords = []
    for family, url in (("ours", live_server), ("second", second[1])):
        parts = urllib.parse.urlsplit(url)
        (folder / "families" / f"{family}_family.py").write_text(smoke.FAMILY_TEMPLATE.format(
            name=family, code="en", netloc=parts.netloc, scriptpath="/w", scheme="http"))
        config.append(f"usernames[{family!r}]['en'] = 'Bot'\n")
        passwords.append(f"('en', {family!r}, 'Bot', {PASSWORD!r})\n")
    (folder / "user-config.py").write_text("".join(config))
    (folder / "user-password.py").write_text("".join(passwords))
    for name in ("user-config.py", "user-password.py"):
        (folder / name).chmod(0o600)

    def run(*args: str, stdin: str = "") -> str:
        proc = subprocess.run([str(Path(sys.executable).parent / "pwb"), *args],
                              input=stdin, capture_output=True, text=True, timeout=300,
                              cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                 "PYWIKIBOT_DIR": str(folder)})
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0, out[-3000:]
        return out

    for family in ("ours", "second"):  # the usual first step: `pwb login` keeps the cookie
        assert "Logged in" in run("login", f"-family:{family}", "-lang:en")
    return run


def _load_smoke():
    path = shared_path("oracle", "pywikibot_smoke.py")
    spec = importlib.util.spec_from_file_location("pywikibot_smoke", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _text(client, title: str):
    page = api(client, action="query", prop="revisions", titles=title, rvprop="content",
               rvslots="main", formatversion=2)["query"]["pages"][0]
    return None if page.get("missing") else page["revisions"][0]["slots"]["main"]["content"]


def _seed(app) -> None:
    client = app.test_client()
    assert login(client, "Bot", PASSWORD)["login"]["result"] == "Success"
    token = api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    for title, text in (("Lavoir du Pont", "Le lavoir de Brest. [[Catégorie:Lavoirs]]"),
                        ("Lavoir de Kerinou", "Un lavoir à Brest. [[Catégorie:Lavoirs]]"),
                        ("Hors catégorie", "Brest aussi.")):
        assert api(client, action="edit", title=title, text=text, token=token)["edit"][
            "result"] == "Success"


def test_replace_category_touch(app, client, pwb) -> None:
    _seed(app)
    pwb("replace", "-family:ours", "-lang:en", "-cat:Lavoirs", "Brest", "Brest (Finistère)",
        "-always", "-summary:remplacement")
    assert _text(client, "Lavoir du Pont") == \
        "Le lavoir de Brest (Finistère). [[Catégorie:Lavoirs]]"
    assert _text(client, "Lavoir de Kerinou").startswith("Un lavoir à Brest (Finistère).")
    assert _text(client, "Hors catégorie") == "Brest aussi."
    out = pwb("category", "add", "-family:ours", "-lang:en", "-page:Hors catégorie",
              "-to:Patrimoine", "-summary:catégorie", stdin="a\n")
    assert "[[Catégorie:Patrimoine]]" in _text(client, "Hors catégorie"), out
    members = api(client, action="query", list="categorymembers",
                  cmtitle="Catégorie:Patrimoine")["query"]["categorymembers"]
    assert [m["title"] for m in members] == ["Hors catégorie"]
    out = pwb("touch", "-family:ours", "-lang:en", "-page:Lavoir du Pont")
    assert "Lavoir du Pont" in out


def test_pagefromfile(client, pwb, tmp_path) -> None:
    source = tmp_path / "pages.txt"
    source.write_text("{{-start-}}\n'''Fontaine Saint-Martin'''\nUne fontaine.\n{{-stop-}}\n"
                      "{{-start-}}\n'''Rue de Siam'''\nUne rue.\n{{-stop-}}\n", "utf-8")
    out = pwb("pagefromfile", "-family:ours", "-lang:en", f"-file:{source}", "-notitle",
              "-summary:import")
    assert _text(client, "Fontaine Saint-Martin") == "Une fontaine.", out
    assert _text(client, "Rue de Siam") == "Une rue."


def test_transferbot_to_a_second_instance(app, client, second, pwb) -> None:
    _seed(app)
    out = pwb("transferbot", "-family:ours", "-lang:en", "-tofamily:second", "-tolang:en",
              "-page:Lavoir du Pont")
    other = second[0].test_client()
    copied = _text(other, "Lavoir du Pont")
    assert copied is not None and copied.startswith("Le lavoir de Brest.")
    history = _text(other, "Lavoir du Pont/edithistory")
    assert history is not None and "Bot" in history, out
