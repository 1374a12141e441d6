"""``action=import`` over HTTP against the loader called directly, on the same dumps.

Each measurement runs in a fresh process on a fresh SQLite instance: the baseline calls
``dumps.loader.import_dump`` on the file (prefix, importer and comment as the API gives them,
link tables and search index rebuilt as the API's import does); the API run serves the wiki
on loopback (werkzeug, threaded) and a sysop posts the same file as ``xml`` (multipart,
``requests``) to ``/w/api.php?action=import``: upload parsing, the temporary copy and the
answer's page list are the difference. Dumps are bench_dumps.py's (the real aawiki history
and copies of it, in /tmp). Peak memory is the process's ``ru_maxrss`` (with the API, client
and server share the process).

    .venv/bin/python bench/bench_api_import.py --sizes 1,10 --runs 2
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dumps import SOURCE, _app, _peak_mb, generate  # noqa: E402

PASSWORD = "bench-import-password"


def child_direct(dump: Path, folder: Path) -> dict:
    from dumps.loader import ImportOptions, import_dump

    app = _app(folder)
    with app.app_context():
        start = time.perf_counter()
        report = import_dump(app, dump, ImportOptions(prefix="bench", importer="Bench",
                                                      comment="bench"), name=dump.name)
        seconds = time.perf_counter() - start
    return {"revisions": report.imported, "pages": report.pages, "seconds": seconds,
            "peak_mb": _peak_mb()}


def child_api(dump: Path, folder: Path) -> dict:
    import requests
    from werkzeug.serving import make_server

    from wikiengine.db import session_scope
    from wikiengine.store import users

    app = _app(folder)
    app.config["MAX_CONTENT_LENGTH"] = 1 << 30
    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "Bench", PASSWORD, groups=["sysop"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api = f"http://127.0.0.1:{server.server_port}/w/api.php"
    http = requests.Session()

    def call(**params: str) -> dict:
        return http.post(api, data={**params, "format": "json"}, timeout=3600).json()

    token = call(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
    assert call(action="login", lgname="Bench", lgpassword=PASSWORD,
                lgtoken=token)["login"]["result"] == "Success"
    csrf = call(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
    start = time.perf_counter()
    with dump.open("rb") as handle:
        answer = http.post(api, data={"action": "import", "format": "json", "token": csrf,
                                      "interwikiprefix": "bench", "summary": "bench"},
                           files={"xml": (dump.name, handle)}, timeout=3600).json()
    seconds = time.perf_counter() - start
    server.shutdown()
    assert "import" in answer, str(answer)[:500]
    return {"revisions": sum(p["revisions"] for p in answer["import"]),
            "pages": len(answer["import"]), "seconds": seconds, "peak_mb": _peak_mb()}


def _run_child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                            capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--work", default="/tmp/wikiengine-dumps-bench")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, dump, folder = args.child
        run = child_direct if kind == "direct" else child_api
        print(json.dumps(run(Path(dump), Path(folder))))
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("| dump | revisions | pages | direct rev/s | API rev/s | API / direct time "
          "| direct peak MB | API peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.sizes.split(",")]:
        dump = SOURCE if size == 1 else generate(size, work / f"aawiki-x{size}.xml.bz2")
        best: dict[str, dict] = {}
        for run in range(args.runs):
            for kind in ("direct", "api"):  # alternated, so load changes hit both alike
                folder = work / f"api-import-{kind}-x{size}"
                shutil.rmtree(folder, ignore_errors=True)
                result = _run_child(kind, str(dump), str(folder))
                shutil.rmtree(folder, ignore_errors=True)
                if kind not in best or result["seconds"] < best[kind]["seconds"]:
                    best[kind] = result
        direct, api = best["direct"], best["api"]
        assert direct["revisions"] == api["revisions"], (direct, api)
        print(f"| {size}× | {direct['revisions']:,} | {direct['pages']:,} "
              f"| {direct['revisions'] / direct['seconds']:,.0f} "
              f"| {api['revisions'] / api['seconds']:,.0f} "
              f"| {api['seconds'] / direct['seconds']:.2f} "
              f"| {direct['peak_mb']:.0f} | {api['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
