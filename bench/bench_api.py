"""API benchmark: requests per second for ``action=query&prop=revisions`` (10 titles, with
content) and for ``action=edit``, against MediaWiki 1.39 on the same machine in the same run
(../shared/oracle/mediawiki.sh: ``php -S``, one process), then ours through gunicorn with one
sync worker (the same server model) and with several workers.

    .venv/bin/python bench/bench_api.py [--seconds 5] [--workers 4] [--clients 4]
                                        [--no-mediawiki]

Each figure is requests completed in ``--seconds`` by keep-alive clients (one client for the
single-process servers, ``--clients`` threads for the multi-worker figure), after a warm-up.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import requests

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PASSWORD = "bench-admin-password"
ORACLE_PASSWORD = "oracle-admin-pass"
TITLES = [f"Bench page {i}" for i in range(10)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(url, params={"action": "query", "format": "json"},
                            timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def prepare_instance(folder: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["WIKIENGINE_INSTANCE"] = str(folder)
    from wikiengine import create_app
    from wikiengine.db import session_scope
    from wikiengine.store import setup, users

    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench-secret",
                      "DATABASE_URL": f"sqlite:///{folder / 'wiki.db'}"})
    setup.init_instance(app)
    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "Admin", PASSWORD, groups=["sysop", "bot"])
    (folder / "settings.py").write_text(
        f"SECRET_KEY = 'bench-secret'\nDATABASE_URL = 'sqlite:///{folder / 'wiki.db'}'\n"
        "API_RATE_LIMITS = {}\n")


def start_ours(folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wikiengine:create_app()"],
        env={**os.environ, "WIKIENGINE_INSTANCE": str(folder)}, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}/w/api.php"
    wait_up(url)
    return proc, url


def start_mediawiki(folder: Path) -> tuple[str, Path]:
    script = SHARED / "oracle" / "mediawiki.sh"
    port = free_port()
    subprocess.run(["bash", str(script), "start", str(port), str(folder)], check=True,
                   capture_output=True, timeout=600, env={**os.environ, "ORACLE_WORKERS": "1"})
    url = f"http://127.0.0.1:{port}/w/api.php"
    wait_up(url)
    return url, script


def session_for(url: str, user: str, password: str) -> tuple[requests.Session, str]:
    s = requests.Session()
    token = s.post(url, data={"action": "query", "meta": "tokens", "type": "login",
                              "format": "json"}).json()["query"]["tokens"]["logintoken"]
    done = s.post(url, data={"action": "clientlogin", "username": user, "password": password,
                             "loginreturnurl": "http://127.0.0.1/", "logintoken": token,
                             "format": "json"}).json()
    assert done["clientlogin"]["status"] == "PASS", done
    csrf = s.post(url, data={"action": "query", "meta": "tokens",
                             "format": "json"}).json()["query"]["tokens"]["csrftoken"]
    return s, csrf


def seed(url: str, password: str) -> None:
    s, csrf = session_for(url, "Admin", password)
    body = "Un paragraphe de texte sur [[Brest]] et ses quartiers. " * 40
    for title in TITLES:
        r = s.post(url, data={"action": "edit", "title": title, "text": f"{title}\n{body}",
                              "token": csrf, "format": "json", "bot": "1"}).json()
        assert r.get("edit", {}).get("result") == "Success", r


def read_once(s: requests.Session, url: str, _csrf: str, _i: int) -> None:
    r = s.post(url, data={"action": "query", "prop": "revisions", "titles": "|".join(TITLES),
                          "rvprop": "ids|timestamp|user|content", "rvslots": "main",
                          "format": "json"})
    assert len(r.json()["query"]["pages"]) == 10


def edit_once(s: requests.Session, url: str, csrf: str, i: int) -> None:
    title = TITLES[(i // 10_000) % len(TITLES)]  # one page per client: no conflicts
    r = s.post(url, data={"action": "edit", "title": title, "appendtext": f"\nligne {i}",
                          "token": csrf, "format": "json", "bot": "1"})
    assert r.json()["edit"]["result"] == "Success", r.text[:300]


def rate(url: str, password: str, op: Callable[..., None], seconds: float,
         clients: int) -> float:
    sessions = [session_for(url, "Admin", password) for _ in range(clients)]
    counts = [0] * clients
    for k, (s, csrf) in enumerate(sessions):
        for j in range(3):
            op(s, url, csrf, 1_000_000 * (k + 1) + j)
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        s, csrf = sessions[k]
        n = 0
        while time.monotonic() < stop:
            op(s, url, csrf, 10_000 * (k + 1) + n)
            n += 1
        counts[k] = n

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--no-mediawiki", action="store_true")
    args = ap.parse_args()
    results: dict[str, tuple[float, float]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    try:
        if not args.no_mediawiki and shutil.which("php"):
            mw_url, script = start_mediawiki(tmp / "mw")
            try:
                seed(mw_url, ORACLE_PASSWORD)
                results["MediaWiki 1.39 (php -S, 1 process, 1 client)"] = (
                    rate(mw_url, ORACLE_PASSWORD, read_once, args.seconds, 1),
                    rate(mw_url, ORACLE_PASSWORD, edit_once, args.seconds, 1))
            finally:
                subprocess.run(["bash", str(script), "stop", str(tmp / "mw")],
                               capture_output=True)
        folder = tmp / "ours"
        folder.mkdir()
        prepare_instance(folder)
        for workers, clients in ((1, 1), (args.workers, args.clients)):
            proc, url = start_ours(folder, workers)
            try:
                if workers == 1:
                    seed(url, PASSWORD)
                label = (f"wikiengine (gunicorn, {workers} sync worker"
                         f"{'s' if workers > 1 else ''}, {clients} client"
                         f"{'s' if clients > 1 else ''})")
                results[label] = (rate(url, PASSWORD, read_once, args.seconds, clients),
                                  rate(url, PASSWORD, edit_once, args.seconds, clients))
            finally:
                proc.terminate()
                proc.wait(30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"| server | query prop=revisions, 10 titles (req/s) | edit (req/s) |")
    print("|---|---|---|")
    base = next((v for k, v in results.items() if k.startswith("MediaWiki")), None)
    for label, (reads, edits) in results.items():
        ratio = f" ({reads / base[0]:.1f}x / {edits / base[1]:.1f}x)" if base and not \
            label.startswith("MediaWiki") else ""
        print(f"| {label}{ratio} | {reads:.1f} | {edits:.1f} |")


if __name__ == "__main__":
    main()
