"""Differential test: the same API requests (reads, edits, conflicts, errors, page actions;
tests/data/api/differential.json) go to real MediaWiki 1.39 (../shared/oracle/mediawiki.sh,
php on loopback) and to our engine; the answers must agree in shape and meaning once ids,
timestamps, tokens and URLs are set aside. Differences kept on purpose are listed in
``KEPT`` with their reason.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import require, shared_path

DATA = Path(__file__).parent / "data" / "api" / "differential.json"
PASSWORD = "oracle-admin-pass"
VOLATILE = {"pageid", "revid", "parentid", "oldrevid", "newrevid", "lastrevid", "lguserid",
            "userid", "logid", "rcid", "old_revid", "timestamp", "touched", "newtimestamp",
            "curtimestamp", "logpage", "id", "fromid", "toid", "redirect_page", "fromrevid",
            "torevid", "fromuserid", "touserid", "last_revid", "prev", "next"}
DROPPED = {"*docref", "docref", "servedby"}

#: (step id, path) -> why the difference is kept.
KEPT: dict[tuple[str, str], str] = {
    ("recentchanges", "query.recentchanges"):
        "the store records the redirect a move leaves behind as a new page in recent "
        "changes; MediaWiki logs only the move (reported to the store's owner); the step "
        "recentchanges_edits compares the edits themselves",
    ("users", "query.users[1].editcount"):
        "MediaWiki also counts the page move in the mover's edit count; the store counts "
        "saved revisions only (reported to the store's owner)",
    ("redirect_read", "query.pages[0].revisions[0].comment"):
        "the summary of the null revision a protection leaves is the store's wording, not "
        "MediaWiki's protect-summary message (reported to the store's owner)",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oracle(tmp_path):
    require(shutil.which("php") is not None and Path("/usr/share/mediawiki").exists(),
            "MediaWiki 1.39 with php", "../shared/oracle/mediawiki.sh install")
    script = shared_path("oracle", "mediawiki.sh")
    datadir = tmp_path / "mw"
    port = _free_port()
    subprocess.run(["bash", str(script), "start", str(port), str(datadir)], check=True,
                   capture_output=True, timeout=300)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run(["bash", str(script), "stop", str(datadir)], capture_output=True,
                       timeout=60)


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config.update(LANGUAGE="en", META_NAMESPACE="OracleWiki", MAIN_PAGE="Main Page",
                      SITENAME="OracleWiki", ANONYMOUS_EDIT=True)
    return app_config


@pytest.fixture
def ours(app, live_server) -> str:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "Admin", PASSWORD,
                          groups=["sysop", "bureaucrat", "interface-admin"])
    return live_server


class Client:
    """One engine: an anonymous and an admin session, and the answers so far."""

    def __init__(self, base: str):
        import requests

        self.api = base + "/w/api.php"
        self.sessions = {"anon": requests.Session(), "admin": requests.Session()}
        self.answers: dict[str, Any] = {}
        admin = self.sessions["admin"]
        token = admin.post(self.api, data={"action": "query", "meta": "tokens",
                                           "type": "login", "format": "json"}).json()
        result = admin.post(self.api, data={
            "action": "clientlogin", "username": "Admin", "password": PASSWORD,
            "loginreturnurl": "http://127.0.0.1/", "format": "json",
            "logintoken": token["query"]["tokens"]["logintoken"]}).json()
        assert result["clientlogin"]["status"] == "PASS", result

    def run(self, step: dict[str, Any], prefix: str) -> Any:
        session = self.sessions[step["user"]]
        params = {k: self._value(v, prefix) for k, v in step["params"].items()}
        params["format"] = "json"
        if step.get("token"):
            tokens = session.post(self.api, data={"action": "query", "meta": "tokens",
                                                  "type": step["token"],
                                                  "format": "json"}).json()
            params["token"] = tokens["query"]["tokens"][f"{step['token']}token"]
        if step.get("method") == "get":
            resp = session.get(self.api, params=params)
        else:
            resp = session.post(self.api, data=params)
        assert resp.status_code == 200, (step["id"], resp.status_code)
        answer = resp.json()
        self.answers[step["id"]] = answer
        return answer

    def _value(self, value: str, prefix: str) -> str:
        if value == "@many_titles":
            return "|".join(f"{prefix} t{i}" for i in range(60))
        if "|" in value and "@" in value:
            return "|".join(self._value(part, prefix) for part in value.split("|"))
        if value.startswith("@"):
            step, *path = value[1:].split(".")
            node: Any = self.answers[step]
            for key in path:
                node = node[key]
            return str(node)
        return value.replace("{P}", prefix)


def normalise(value: Any, key: str = "") -> Any:
    """Ids, timestamps, tokens and URLs replaced by their kind; page maps as sorted lists."""
    if isinstance(value, dict):
        if key == "pages" and all(k.lstrip("-").isdigit() for k in value):
            items = [normalise(v) for v in value.values()]
            return sorted(items, key=lambda p: json.dumps(p, sort_keys=True))
        out = {}
        for k, v in value.items():
            if k in DROPPED or (k == "*" and key == "error"):
                continue
            out[k] = normalise(v, k)
        return out
    if isinstance(value, list):
        items = [normalise(v, key) for v in value]
        if key == "pages":
            items.sort(key=lambda p: json.dumps(p, sort_keys=True))
        return items
    if key in VOLATILE or key == "pageids":
        return f"<{type(value).__name__}>"
    if key.endswith("continue") and key != "continue" and isinstance(value, str):
        return re.sub(r"\d+", "#", value)  # timestamps and ids inside continuation values
    return value


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if path else k
            if k not in a:
                out.append(f"{p}: only ours ({json.dumps(b[k])[:80]})")
            elif k not in b:
                out.append(f"{p}: only MediaWiki ({json.dumps(a[k])[:80]})")
            else:
                out += differences(a[k], b[k], p)
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items in MediaWiki, {len(b)} in ours"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{path}[{i}]")
        return out
    if a != b:
        return [f"{path}: MediaWiki {json.dumps(a)[:120]} != ours {json.dumps(b)[:120]}"]
    return []


def _only(answer: Any, paths: list[str]) -> Any:
    out: dict[str, Any] = {}
    for path in paths:
        node, target = answer, out
        keys = path.split(".")
        for k in keys[:-1]:
            node = node.get(k, {}) if isinstance(node, dict) else {}
            target = target.setdefault(k, {})
        if isinstance(node, dict) and keys[-1] in node:
            target[keys[-1]] = node[keys[-1]]
    return out


def test_same_answers_as_mediawiki(oracle, ours) -> None:
    steps = json.loads(DATA.read_text())
    prefix = "Diff test"
    mw, we = Client(oracle), Client(ours)
    report = []
    for step in steps:
        # MediaWiki finds a conflict's base revision by its timestamp (1 s resolution):
        # a step that must come after another one in time waits for the next second.
        time.sleep(step.get("sleep", 0))
        a, b = mw.run(step, prefix), we.run(step, prefix)
        if step.get("only"):
            a, b = _only(a, step["only"]), _only(b, step["only"])
        for diff in differences(normalise(a), normalise(b)):
            path = diff.split(":", 1)[0]
            if not any(step["id"] == sid and path.startswith(p) for sid, p in KEPT):
                report.append(f"{step['id']}: {diff}")
    if report:
        Path(os.environ.get("API_DIFF_DUMP", "/dev/null")).write_text(json.dumps(
            {"mediawiki": mw.answers, "ours": we.answers}, ensure_ascii=False, indent=1))
    assert not report, "\n".join(report)
