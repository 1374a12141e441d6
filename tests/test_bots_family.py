"""``python -m bots.family``: family file and user-config.py from our engine's siteinfo, used
as is by stock pywikibot (login, siteinfo) in a fresh PYWIKIBOT_DIR; bad input refused."""
from __future__ import annotations

import http.server
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bots import family
from bots_harness import free_port, run_bot

PASSWORD = "family-bot-password-1"


@pytest.fixture
def bot_user(app) -> str:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "FamilyBot", PASSWORD, groups=["bot"])
    return "FamilyBot"


def test_family_and_user_config_work_with_pywikibot(live_server: str, bot_user: str, tmp_path: Path) -> None:
    pwb = tmp_path / "pwb"
    rc, out = run_bot(pwb, "bots.family", f"-api:{live_server}/w/api.php", f"-user:{bot_user}",
                      f"-password:{PASSWORD}", "-name:brest", "-putthrottle:0", "-contact:anim@example.org")
    assert rc == 0 and "famille 'brest', code 'fr'" in out, out
    source = (pwb / "families" / "brest_family.py").read_text()
    assert live_server.split("//")[1] in source and "'/w'" in source
    config = (pwb / "user-config.py").read_text()
    assert "family = 'brest'" in config and "usernames['brest']['fr'] = 'FamilyBot'" in config
    assert "contact: anim@example.org" in config and "write_maxlag = 5" in config
    assert stat.S_IMODE((pwb / "user-password.py").stat().st_mode) == 0o600
    script = tmp_path / "check.py"
    script.write_text("import pywikibot\ns = pywikibot.Site()\ns.login()\n"
                      "print('SITE', s.siteinfo['lang'], s.user(), s.has_right('bot'))\n")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYWIKIBOT_DIR": str(pwb), "HOME": str(tmp_path)})
    assert "SITE fr FamilyBot True" in proc.stdout, proc.stdout + proc.stderr
    # a second wiki is added beside the first, which stays the default
    rc, out = run_bot(pwb, "bots.family", "-family:wikipedia", "-lang:fr", "-user:Moi",
                      "-botpassword:sync:secret")
    assert rc == 0, out
    config = (pwb / "user-config.py").read_text()
    assert "family = 'brest'" in config and "usernames['wikipedia']['fr'] = 'Moi'" in config
    assert "BotPassword('sync', 'secret')" in (pwb / "user-password.py").read_text()


class _Redirect(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.2:9/w/api.php")
        self.end_headers()

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


def test_bad_input_is_refused(live_server: str, tmp_path: Path) -> None:
    cases = [
        ([f"-api:{live_server}/wiki/Accueil"], "l'URL complète de api.php"),
        ([f"-api:http://127.0.0.1:{free_port()}/w/api.php"], "wiki injoignable"),
        ([f"-api:{live_server}/w/api.php", "-name:Pas Bon"], "-name doit être"),
        ([f"-api:{live_server}/w/api.php", "-botpassword:sanssuffixe"], "-botpassword s'écrit"),
        (["-frobnicate:1"], "option(s) inconnue(s) : frobnicate"),
        ([], "donnez -api"),
    ]
    for args, message in cases:
        with pytest.raises(family.FamilyError, match=message.replace("(", r"\(").replace(")", r"\)")):
            family.run([*args, f"-dir:{tmp_path / 'pwb'}"])
    assert not (tmp_path / "pwb" / "user-config.py").exists()
    assert not (tmp_path / "pwb" / "bots-sites.json").exists()
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(family.FamilyError, match="redirige vers un autre hôte"):
            family.fetch_siteinfo(f"http://127.0.0.1:{server.server_port}/w/api.php")
    finally:
        server.shutdown()
    assert family.main("-api:ftp://x/api.php") == 2
