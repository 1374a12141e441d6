"""Web benchmark: save latency of a 10 KB page and page-view throughput, each measured
against a bare Flask app returning a fixed string through the same server (gunicorn, several
sync workers, loopback) in the same run, so the figures are ratios to "the web stack alone".

    .venv/bin/python bench/bench_web.py [--workers 4] [--clients 6] [--rounds 5] [--seconds 2]
                                        [--saves 40]

Measured:
  * view throughput (requests/s) of /wiki/Page for an anonymous reader (whole-page cache),
    for a signed-in reader (skin rendered per request, parser cache), against the bare app;
  * save latency (POST of the edit form with a 10 KB text, until the 303) against a POST of
    10 KB to the bare app; the edit form is fetched outside the timed part.
"""
from __future__ import annotations

import argparse
import html
import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TITLE = "Page_de_mesure"
_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
_TOKEN = re.compile(r'name="wpLoginToken" value="([^"]+)"')


def bare_app():  # type: ignore[no-untyped-def]
    """The yardstick: Flask returning a fixed string (GET and POST)."""
    from flask import Flask

    app = Flask("bare")

    @app.route("/", methods=["GET", "POST"])
    @app.route("/<path:_rest>", methods=["GET", "POST"])
    def fixed(_rest: str = "") -> str:
        return "Bonjour de Brest"

    return app


def page_text(size: int = 10 * 1024, seed: int = 0) -> str:
    """About ``size`` bytes of ordinary wikitext: headings, links, lists, bold."""
    parts = []
    i = 0
    while sum(len(p.encode()) for p in parts) < size:
        parts.append(f"== Section {i} ==\nLe '''quartier {i}''' de [[Brest]] compte des "
                     f"[[jardins partagés]], une [[Médiathèque|médiathèque]] et "
                     f"{seed + i} associations.\n* point {i}a\n* point {i}b\n")
        i += 1
    return "\n".join(parts)


# -- servers -------------------------------------------------------------------------------
def serve(target: str, workers: int, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    port = sock.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"fd://{sock.fileno()}",
         "--pythonpath", str(HERE), "--log-level", "warning", "--backlog", "256", target],
        env={**os.environ, **env}, pass_fds=[sock.fileno()], cwd=str(ROOT))
    sock.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status < 500:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"{target} did not start")


# -- HTTP helpers --------------------------------------------------------------------------
def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _cookie(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";", 1)[0]


def _fetch(port: int, path: str, jar: dict[str, str]) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    text = response.read().decode()
    _cookie(response, jar)
    conn.close()
    return text


def _post(port: int, path: str, fields: dict[str, str], jar: dict[str, str]
          ) -> http.client.HTTPResponse:
    body = urlencode(fields).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    response.read()
    _cookie(response, jar)
    conn.close()
    return response


def login(port: int, name: str, password: str) -> dict[str, str]:
    jar: dict[str, str] = {}
    page = _fetch(port, "/wiki/Sp%C3%A9cial:Connexion", jar)
    token = html.unescape(_TOKEN.search(page).group(1))
    response = _post(port, "/wiki/Sp%C3%A9cial:Connexion", {
        "wpName": name, "wpPassword": password, "wpLoginToken": token}, jar)
    assert response.status == 303, response.status
    return jar


# -- measurements --------------------------------------------------------------------------
def _hammer(port: int, path: str, cookie: str, seconds: float, start, queue) -> None:  # type: ignore[no-untyped-def]
    headers = {"Cookie": cookie} if cookie else {}
    start.wait()
    count = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            count += response.status == 200
            errors += response.status != 200
        except OSError:
            errors += 1
    queue.put((count, errors))


def throughput(port: int, path: str, clients: int, seconds: float, cookie: str = ""
               ) -> tuple[float, int]:
    """Requests per second answered 200 by ``clients`` processes during ``seconds``."""
    ctx = multiprocessing.get_context("fork")
    start, queue = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(port, path, cookie, seconds, start, queue))
             for _ in range(clients)]
    for p in procs:
        p.start()
    start.set()
    results = [queue.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join()
    return sum(r[0] for r in results) / seconds, sum(r[1] for r in results)


def save_latency(port: int, jar: dict[str, str], saves: int) -> list[float]:
    timings = []
    for n in range(saves):
        form = _fetch(port, f"/w/index.php?title={TITLE}&action=edit", jar)
        fields = {k: html.unescape(v) for k, v in _FIELD.findall(form)}
        fields.update({"wpTextbox1": page_text(seed=n + 1), "wpSummary": f"mesure {n}",
                       "wpSave": "1"})
        started = time.perf_counter()
        response = _post(port, f"/w/index.php?title={TITLE}&action=submit", fields, jar)
        timings.append(time.perf_counter() - started)
        assert response.status == 303, response.status
    return timings


def bare_post_latency(port: int, saves: int) -> list[float]:
    body = urlencode({"wpTextbox1": page_text(), "wpSave": "1"}).encode()
    timings = []
    for _ in range(saves):
        started = time.perf_counter()
        response = request(port, "POST", "/w/index.php", body,
                           {"Content-Type": "application/x-www-form-urlencoded"})
        timings.append(time.perf_counter() - started)
        assert response.status == 200
    return timings


def prepare(folder: str) -> dict[str, str]:
    env = {"WIKIENGINE_INSTANCE": folder}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from wikiengine import create_app
    from wikiengine.db import session_scope
    from wikiengine.rendering import site_namespaces
    from wikiengine.store import revisions, setup, users
    from wikiengine.title import Title

    app = create_app()
    setup.init_instance(app)
    with app.app_context(), session_scope(app) as db:
        user = users.create_user(db, "Mesureur", "mot-de-passe-mesure")
        revisions.save_page(db, Title.new(TITLE, site_namespaces()), page_text(), user,
                            summary="graine")
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=2.0, help="per run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--saves", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        env = prepare(folder)
        wiki, wiki_port = serve("wikiengine:create_app()", args.workers, env)
        bare, bare_port = serve("bench_web:bare_app()", args.workers, env)
        try:
            path = f"/wiki/{TITLE}"
            for _ in range(args.workers * 4):  # warm every worker's caches
                request(wiki_port, "GET", path)
            jar = login(wiki_port, "Mesureur", "mot-de-passe-mesure")
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            for _ in range(args.workers * 2):
                request(wiki_port, "GET", path, headers={"Cookie": cookie})
            # Interleaved short runs: a shared machine's load drifts, ratios per round don't.
            rounds: list[tuple[float, float, float]] = []
            anon_err = user_err = 0
            for _ in range(args.rounds):
                bare_r, _e = throughput(bare_port, path, args.clients, args.seconds)
                anon_r, e1 = throughput(wiki_port, path, args.clients, args.seconds)
                user_r, e2 = throughput(wiki_port, path, args.clients, args.seconds, cookie)
                rounds.append((bare_r, anon_r, user_r))
                anon_err, user_err = anon_err + e1, user_err + e2
            bare_post = bare_post_latency(bare_port, args.saves)
            saves = save_latency(wiki_port, jar, args.saves)
        finally:
            for proc in (wiki, bare):
                proc.terminate()
                proc.wait(30)
    med = statistics.median
    p95 = lambda xs: sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]  # noqa: E731
    bare_rps, anon_rps, user_rps = (med(r[i] for r in rounds) for i in range(3))
    anon_ratio = med(r[0] / r[1] for r in rounds)
    user_ratio = med(r[0] / r[2] for r in rounds)
    print(f"gunicorn sync workers: {args.workers}, client processes: {args.clients}, "
          f"{args.rounds} rounds of {args.seconds:g} s per kind, {args.saves} saves of "
          f"{len(page_text().encode())} bytes; medians over rounds")
    print(f"bare Flask GET:                 {bare_rps:8.0f} req/s")
    print(f"page view, anonymous (cached):  {anon_rps:8.0f} req/s   bare/wiki = "
          f"{anon_ratio:.2f}x   errors {anon_err}")
    print(f"page view, signed in:           {user_rps:8.0f} req/s   bare/wiki = "
          f"{user_ratio:.2f}x   errors {user_err}")
    print(f"bare Flask POST 10 KB:          median {med(bare_post) * 1000:6.1f} ms   "
          f"p95 {p95(bare_post) * 1000:6.1f} ms")
    print(f"save 10 KB page:                median {med(saves) * 1000:6.1f} ms   "
          f"p95 {p95(saves) * 1000:6.1f} ms   wiki/bare = {med(saves) / med(bare_post):.1f}x")


if __name__ == "__main__":
    main()
