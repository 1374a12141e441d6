"""Helpers for the bots' end-to-end tests: the real MediaWiki 1.39 stand-in for Wikipedia
(../shared/oracle/mediawiki.sh, one per test session), a small Action API client used by the
tests to play the Wikipedia editors and to read the local wiki, and the runner of
``python -m bots.sync`` in a subprocess with its own PYWIKIBOT_DIR.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "bots"
MW_DEFINES = Path("/usr/share/mediawiki/includes/Defines.php")
ORACLE_BOT = ("Admin@oracle", "0racle0bot0password0123456789abc")


def mediawiki_installed() -> bool:
    return MW_DEFINES.exists() and shutil.which("php") is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def data(name: str, prefix: str) -> str:
    return (DATA / name).read_text(encoding="utf-8").replace("PREFIX", prefix)


class Api:
    """A minimal Action API client (requests, JSON, formatversion 2)."""

    def __init__(self, url: str) -> None:
        self.api = f"{url}/w/api.php"
        self.http = requests.Session()
        self.token = ""

    def call(self, **params: Any) -> dict[str, Any]:
        params.update(format="json", formatversion="2")
        answer = self.http.post(self.api, data=params, timeout=60).json()
        assert "error" not in answer, answer
        return answer

    def login(self, name: str, password: str) -> "Api":
        token = self.call(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        result = self.call(action="login", lgname=name, lgpassword=password, lgtoken=token)
        assert result["login"]["result"] == "Success", result
        self.token = self.call(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        return self

    def edit(self, title: str, text: str, summary: str = "test") -> int:
        answer = self.call(action="edit", title=title, text=text, summary=summary, token=self.token)
        return answer["edit"].get("newrevid") or answer["edit"].get("oldrevid") or 0

    def move(self, old: str, new: str) -> None:
        self.call(action="move", **{"from": old}, to=new, reason="test", token=self.token)

    def delete(self, title: str) -> None:
        self.call(action="delete", title=title, reason="test", token=self.token)

    def page(self, title: str) -> dict[str, Any]:
        """``{exists, text, revid, comment, user}`` of the latest revision of ``title``."""
        pages = self.call(action="query", prop="revisions", titles=title,
                          rvprop="ids|comment|user|content", rvslots="main")["query"]["pages"]
        page = pages[0]
        if page.get("missing") or "revisions" not in page:
            return {"exists": False, "text": "", "revid": 0, "comment": "", "user": ""}
        rev = page["revisions"][0]
        return {"exists": True, "text": rev["slots"]["main"]["content"], "revid": rev["revid"],
                "comment": rev.get("comment", ""), "user": rev.get("user", "")}

    def history(self, title: str) -> list[dict[str, Any]]:
        pages = self.call(action="query", prop="revisions", titles=title, rvprop="ids|comment|user",
                          rvlimit="50")["query"]["pages"]
        return pages[0].get("revisions", [])


def start_oracle(datadir: Path) -> str:
    script = ROOT.parent / "shared" / "oracle" / "mediawiki.sh"
    port = free_port()
    proc = subprocess.run(["bash", str(script), "start", str(port), str(datadir)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return f"http://127.0.0.1:{port}"


def stop_oracle(datadir: Path) -> None:
    script = ROOT.parent / "shared" / "oracle" / "mediawiki.sh"
    subprocess.run(["bash", str(script), "stop", str(datadir)], capture_output=True, timeout=60)


def run_bot(pwb_dir: Path, module: str, *args: str, timeout: int = 300) -> tuple[int, str]:
    """Run ``python -m MODULE ARGS`` with its own PYWIKIBOT_DIR; (exit code, output)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(pwb_dir.parent),
           "PYWIKIBOT_DIR": str(pwb_dir), "PYWIKIBOT_NO_USER_CONFIG": "0", "LANG": "C.UTF-8"}
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr
