"""Stock pywikibot against our API: ../shared/oracle/pywikibot_smoke.py runs its operations
on our engine served on loopback, once with the main password (``action=clientlogin``) and
once with a bot password (``action=login`` as ``Admin@smoke``), each in a fresh PYWIKIBOT_DIR.

The wiki is configured like the oracle the script was written against (English, main page
"Main Page", ParserFunctions enabled); ``upload`` goes through the files subsystem's
``action=upload``. Every one of the 33 operations must pass.
"""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require, shared_path

PASSWORD = "smoke-admin-password"
BOT_GRANTS = ["basic", "highvolume", "editpage", "createeditmovepage", "delete", "protect",
              "editmywatchlist", "rollback", "uploadfile", "uploadeditmovefile"]


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config.update(LANGUAGE="en", META_NAMESPACE="Project", MAIN_PAGE="Main Page",
                      SITENAME="SmokeWiki", EXTENSIONS=["parserfunctions"])
    return app_config


@pytest.fixture
def bot_password(app) -> str:
    from wikiengine import SUBSYSTEMS, registry
    from wikiengine.db import session_scope
    from wikiengine.store import users

    if "registry" not in SUBSYSTEMS:  # enable EXTENSIONS as the registry's init_app does
        registry.init_app(app)
    with app.app_context(), session_scope(app) as s:
        admin = users.create_user(s, "Admin", PASSWORD, groups=["sysop", "bureaucrat"])
        return users.create_bot_password(s, admin, "smoke", BOT_GRANTS)


def _run_smoke(url: str, tmp: Path, *auth: str) -> tuple[str, list[str]]:
    require(importlib.util.find_spec("pywikibot") is not None, "pywikibot",
            "pip install pywikibot (the test extra)")
    script = shared_path("oracle", "pywikibot_smoke.py")
    cmd = [sys.executable, str(script), "--api", f"{url}/w/api.php", "--user", "Admin",
           "--pwb-dir", str(tmp / "pwb"), *auth]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp)})
    out = proc.stdout + proc.stderr
    failures = [line for line in out.splitlines() if line.startswith("FAIL")]
    return out, failures


def _summary(out: str) -> tuple[int, int]:
    m = re.search(r"^(\d+) passed, (\d+) failed$", out, re.M)
    assert m, out[-2000:]
    return int(m.group(1)), int(m.group(2))


def test_pywikibot_smoke_with_clientlogin(live_server, bot_password, tmp_path) -> None:
    out, failures = _run_smoke(live_server, tmp_path, "--password", PASSWORD)
    passed, failed = _summary(out)
    assert failed == 0 and not failures, "\n".join(failures) + out[-3000:]
    assert passed == 33
    assert "OK   login: user=Admin" in out


def test_pywikibot_smoke_with_bot_password(live_server, bot_password, tmp_path) -> None:
    out, failures = _run_smoke(live_server, tmp_path, "--bot-password",
                               f"smoke:{bot_password}")
    passed, failed = _summary(out)
    assert failed == 0 and not failures, "\n".join(failures) + out[-3000:]
    assert passed == 33
    assert "login botpassword" in out
