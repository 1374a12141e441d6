"""Where a signed-in page view goes: SQL statements per request and in-process time per
request (Flask test client, no server), for the same 10 KB page as ``bench_web.py``.

    .venv/bin/python bench/bench_view_queries.py [--requests 200] [--show-sql]
                                                 [--database-url postgresql+psycopg://…]

Prints the statements of one warm view (after the parser cache is filled) and the median
and mean time of ``--requests`` views; a throw-away instance in a temporary folder.
"""
from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_web import TITLE, page_text  # noqa: E402

_TOKEN = re.compile(r'name="(wpEditToken|wpLoginToken)" value="([^"]+)"')
_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--database-url", default="",
                        help="e.g. a throw-away PostgreSQL database (default: SQLite file)")
    args = parser.parse_args(argv)
    from sqlalchemy import event

    from wikiengine import create_app
    from wikiengine.db import engine, session_scope
    from wikiengine.store import setup, users

    folder = tempfile.mkdtemp(prefix="bench-view-")
    url = args.database_url or f"sqlite:///{folder}/wiki.db"
    app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": url,
                      "TESTING": False, "SEARCH_RENDER": False})
    with app.app_context():
        setup.init_instance(app)
        with session_scope(app) as s:
            if users.get_user(s, "Lectrice") is None:  # a reused database has her already
                users.create_user(s, "Lectrice", "motdepasse-solide")
        eng = engine()
    if True:
        client = app.test_client()
        page = client.get("/wiki/Spécial:Connexion").get_data(as_text=True)
        token = html.unescape(_TOKEN.search(page).group(2))
        assert client.post("/wiki/Spécial:Connexion", data={
            "wpName": "Lectrice", "wpPassword": "motdepasse-solide",
            "wpLoginToken": token}).status_code == 303
        form = client.get(f"/w/index.php?title={TITLE}&action=edit").get_data(as_text=True)
        fields = {k: html.unescape(v) for k, v in _FIELD.findall(form)}
        fields.update({"wpTextbox1": page_text(), "wpSave": "1", "wpSummary": "mesure"})
        saved = client.post(f"/w/index.php?title={TITLE}&action=submit", data=fields)
        assert saved.status_code == 303, saved.get_data(as_text=True)[:3000]
        statements: list[str] = []
        event.listen(eng, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
        client.get(f"/wiki/{TITLE}")  # fills the parser cache
        statements.clear()
        assert client.get(f"/wiki/{TITLE}").status_code == 200
        print(f"SQL statements per signed-in view: {len(statements)}")
        if args.show_sql:
            for sql in statements:
                print("  ", " ".join(sql.split())[:160])
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            client.get(f"/wiki/{TITLE}")
            times.append((time.perf_counter() - start) * 1000)
        print(f"signed-in view in-process: median {statistics.median(times):.2f} ms, "
              f"mean {statistics.mean(times):.2f} ms over {args.requests} requests")


if __name__ == "__main__":
    main()
