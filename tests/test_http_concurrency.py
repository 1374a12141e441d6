"""Several processes save the same page at once through HTTP, against the wiki served by
gunicorn with several workers on a loopback port (the production path).

Checked afterwards: every accepted save (303) is a revision whose parent is the revision it
was based on, or else a three-way merge of its base, its parent and the proposed text; the
history is one chain; no accepted text disappears; refused saves (409 conflicts) left
nothing behind."""
from __future__ import annotations

import html
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

WORKERS = 3          # gunicorn worker processes
CLIENTS = 4          # client processes saving at once
ROUNDS = 4           # saves per client
TITLE = "Tableau_partagé"
_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
_TEXT = re.compile(r'<textarea id="wpTextbox1"[^>]*>\n(.*?)</textarea>', re.S)
_TOKEN = re.compile(r'name="wpLoginToken" value="([^"]+)"')


def _seed_text() -> str:
    blocks = [f"== Section {i} ==\nclient {i}: 0\nremplissage a\nremplissage b\nremplissage c"
              for i in range(CLIENTS)]
    return "compteur: 0\nséparation 1\nséparation 2\nséparation 3\n" + "\n".join(blocks)


def _client(base: str, index: int, barrier, queue) -> None:  # type: ignore[no-untyped-def]
    http = requests.Session()
    login_page = http.get(f"{base}/wiki/Spécial:Connexion", timeout=30).text
    token = html.unescape(_TOKEN.search(login_page).group(1))
    http.post(f"{base}/wiki/Spécial:Connexion", data={
        "wpName": f"Client{index}", "wpPassword": "mot-de-passe-client",
        "wpLoginToken": token}, timeout=30, allow_redirects=False).raise_for_status()
    results = []
    barrier.wait(timeout=120)
    for k in range(1, ROUNDS + 1):
        page = http.get(f"{base}/w/index.php", params={"title": TITLE, "action": "edit"},
                        timeout=60).text
        fields = {n: html.unescape(v) for n, v in _FIELD.findall(page)}
        text = html.unescape(_TEXT.search(page).group(1))
        text = re.sub(rf"^client {index}: .*$", f"client {index}: {k}", text, flags=re.M)
        if k % 2 == 0:  # everybody also touches the shared line: real conflicts
            text = re.sub(r"^compteur: .*$", f"compteur: {index}-{k}", text, flags=re.M)
        fields.update({"wpTextbox1": text, "wpSummary": f"client {index} tour {k}",
                       "wpSave": "1"})
        response = http.post(f"{base}/w/index.php?title={TITLE}&action=submit", data=fields,
                             timeout=120, allow_redirects=False)
        results.append((index, k, response.status_code, int(fields["baseRevId"]), text))
    queue.put(results)


def _serve(app, sock: socket.socket) -> subprocess.Popen:
    env = {**os.environ, "WIKIENGINE_INSTANCE": app.instance_path,
           "WIKIENGINE_DATABASE_URL": app.config["DATABASE_URL"],
           "WIKIENGINE_SECRET_KEY": app.config["SECRET_KEY"]}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [str(gunicorn), "--workers", str(WORKERS), "--bind", f"fd://{sock.fileno()}",
         "--timeout", "120", "--log-level", "warning", "wikiengine:create_app()"],
        env=env, pass_fds=[sock.fileno()], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)


def _wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()[-3000:]
        try:
            if requests.get(f"{base}/wiki/Accueil", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 120 s")


def test_concurrent_saves_through_gunicorn(app):
    from wikiengine.db import session_scope
    from wikiengine.diff import merge3
    from wikiengine.rendering import site_namespaces
    from wikiengine.store import revisions, users
    from wikiengine.title import Title

    title = Title.new(TITLE, site_namespaces())
    with session_scope(app) as db:
        for i in range(CLIENTS):
            users.create_user(db, f"Client{i}", "mot-de-passe-client")
        seed = users.create_user(db, "Graine", "mot-de-passe-graine")
        revisions.save_page(db, title, _seed_text(), seed, summary="graine")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = _serve(app, sock)
    try:
        _wait_ready(base, server)
        ctx = multiprocessing.get_context("fork")
        barrier, queue = ctx.Barrier(CLIENTS), ctx.Queue()
        procs = [ctx.Process(target=_client, args=(base, i, barrier, queue))
                 for i in range(CLIENTS)]
        for p in procs:
            p.start()
        results = [r for _ in procs for r in queue.get(timeout=300)]
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
    finally:
        server.terminate()
        server.wait(30)
        sock.close()

    statuses = [status for _i, _k, status, _b, _t in results]
    assert set(statuses) <= {303, 409}, statuses
    print("accepted", statuses.count(303), "conflicts", statuses.count(409))
    accepted = [(i, k, base_id, text) for i, k, status, base_id, text in results
                if status == 303]
    assert len(accepted) >= CLIENTS  # every client got at least its non-conflicting saves
    with session_scope(app) as db:
        page = revisions.get_page(db, title)
        chain = revisions.history(db, page, limit=1000, newest_first=False)
        texts = {r.rev_id: r.text for r in chain}
        # One chain: each revision's parent is the one before it; nothing forked or lost.
        assert [r.parent_id for r in chain[1:]] == [r.rev_id for r in chain[:-1]]
        assert len(chain) == 1 + len(accepted)
        final = texts[page.latest]
    merges = 0
    for i, k, base_id, proposed in accepted:
        marker = f"client {i}: {k}"
        holders = [r for r in chain if re.search(rf"^{marker}$", r.text, re.M)]
        assert holders, f"accepted save {marker} left no revision"
        rev = holders[0]
        if rev.parent_id != base_id:  # a concurrent save came first: a merge was recorded
            merges += 1
            assert rev.text == merge3(texts[base_id], texts[rev.parent_id], proposed), marker
        else:
            assert rev.text == proposed.rstrip()
    print("merged", merges)
    for i in range(CLIENTS):
        mine = [k for j, k, _b, _t in accepted if j == i]
        assert re.search(rf"^client {i}: {max(mine)}$", final, re.M), (i, final)
