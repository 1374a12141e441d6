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


class FlakyProxy:
    """A loopback HTTP proxy in front of a wiki that answers ``maxlag`` to the first
    ``maxlag`` API requests carrying a ``maxlag`` parameter and HTTP 503 (an HTML page) to the
    next ``errors`` ones, then forwards everything: the stand-in for a busy Wikipedia."""

    def __init__(self, target: str, maxlag: int = 2, errors: int = 1) -> None:
        import http.server
        import threading
        import urllib.parse

        self.target, self.left_maxlag, self.left_errors = target, maxlag, errors
        self.injected: list[str] = []
        self.agents: set[str] = set()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.agents.add(self.headers.get("User-Agent", ""))
                params = urllib.parse.parse_qs(body.decode("utf-8", "replace") + "&" +
                                               urllib.parse.urlsplit(self.path).query)
                if "maxlag" in params and proxy.left_maxlag > 0:
                    proxy.left_maxlag -= 1
                    proxy.injected.append("maxlag")
                    return self._answer(200, b'{"error":{"code":"maxlag","info":"Waiting for db: 1 '
                                        b'seconds lagged","lag":1}}', "application/json", {"Retry-After": "1"})
                if "maxlag" in params and proxy.left_errors > 0:
                    proxy.left_errors -= 1
                    proxy.injected.append("503")
                    return self._answer(503, b"<html>Service Unavailable</html>", "text/html", {})
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(method, proxy.target + self.path, data=body or None,
                                          headers=headers, timeout=120, allow_redirects=False)
                extra = {k: v for k, v in answer.headers.items()
                         if k.lower() in ("set-cookie", "location", "retry-after")}
                self._answer(answer.status_code, answer.content,
                             answer.headers.get("Content-Type", "text/plain"), extra)

            def _answer(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                self._forward("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._forward("POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
