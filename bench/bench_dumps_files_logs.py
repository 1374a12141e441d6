"""Import speed of ``<logitem>``s and of ``<upload>``s with embedded files, as ratios to
page revisions imported in the same command.

Generates three dumps in /tmp (never in the project): ``N`` one-revision pages (the
baseline), the same pages followed by ``N`` log items (move, block and delete entries with
PHP-serialised params), and ``M`` File pages each with one embedded PNG (64x64 pixels of
noise, base64, ~12 kB). Each is imported by ``dumps.loader.import_dump`` in a fresh process
on a fresh SQLite instance (links and search refresh off, so only the loader is timed), and
the time per log item and per file version is reported against the time per revision.

    .venv/bin/python bench/bench_dumps_files_logs.py --items 5000 --files 200
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HEAD = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
        'xml:lang="fr">\n')


def _page(title: str, ns: int, page_id: int, text: str, extra: str = "") -> str:
    return (f"  <page>\n    <title>{title}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}</id>\n"
            f"    <revision>\n      <id>{page_id}</id>\n"
            f"      <timestamp>2024-01-01T00:00:00Z</timestamp>\n"
            f"      <contributor><username>Bench</username><id>1</id></contributor>\n"
            f"      <text xml:space=\"preserve\">{text}</text>\n    </revision>\n{extra}"
            f"  </page>\n")


def _logitem(i: int) -> str:
    kind = ("move", "block", "delete")[i % 3]
    params = {"move": f'a:2:{{s:9:"4::target";s:{len(f"Cible {i}")}:"Cible {i}";'
                      f's:10:"5::noredir";s:1:"0";}}',
              "block": "a:2:{s:11:\"5::duration\";s:8:\"infinity\";s:8:\"6::flags\";"
                       "s:8:\"nocreate\";}",
              "delete": ""}[kind]
    second = i % 60
    minute = (i // 60) % 60
    hour = (i // 3600) % 24
    return (f"  <logitem>\n    <id>{i + 1}</id>\n"
            f"    <timestamp>2023-05-{1 + i // 86400:02d}T{hour:02d}:{minute:02d}:"
            f"{second:02d}Z</timestamp>\n"
            f"    <contributor><username>Bench</username><id>1</id></contributor>\n"
            f"    <comment>entrée {i}</comment>\n    <type>{kind}</type>\n"
            f"    <action>{kind}</action>\n    <logtitle>Page {i}</logtitle>\n"
            f"    <params xml:space=\"preserve\">{params}</params>\n  </logitem>\n")


def _png(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (64, 64), bytes(rng.randrange(256) for _ in range(64 * 64 * 3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def generate(work: Path, items: int, files: int) -> dict[str, Path]:
    from dumps.records import base36_sha1

    work.mkdir(parents=True, exist_ok=True)
    pages = "".join(_page(f"Page {i}", 0, i + 1, f"Texte {i}") for i in range(items))
    paths = {"revisions": work / "revisions.xml", "logs": work / "logs.xml",
             "files": work / "files.xml"}
    paths["revisions"].write_text(HEAD + pages + "</mediawiki>\n", "utf-8")
    paths["logs"].write_text(HEAD + pages + "".join(_logitem(i) for i in range(items))
                             + "</mediawiki>\n", "utf-8")
    with paths["files"].open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for i in range(files):
            data = _png(i)
            name = f"Image_{i}.png"
            encoded = base64.b64encode(data).decode()
            lines = "\n".join(encoded[k:k + 76] for k in range(0, len(encoded), 76))
            upload = (f"    <upload>\n      <timestamp>2024-01-02T00:00:00Z</timestamp>\n"
                      f"      <contributor><username>Bench</username><id>1</id></contributor>\n"
                      f"      <filename>{name}</filename>\n"
                      f"      <src>https://example.org/{name}</src>\n"
                      f"      <size>{len(data)}</size>\n"
                      f"      <sha1base36>{base36_sha1(data)}</sha1base36>\n"
                      f"      <contents encoding=\"base64\">{lines}</contents>\n    </upload>\n")
            out.write(_page(f"Fichier:{name}", 6, 1_000_000 + i, f"Image {i}", upload))
        out.write("</mediawiki>\n")
    return paths


def child(dump: Path, folder: Path) -> dict:
    from wikiengine import create_app
    from wikiengine.store import setup

    from dumps.loader import ImportOptions, import_dump

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{folder / 'wiki.db'}"})
    setup.init_instance(app)
    with app.app_context():
        started = time.perf_counter()
        report = import_dump(app, dump, ImportOptions(refresh_links=False, update_search=False))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "revisions": report.imported, "logs": report.logs_imported,
            "files": report.uploads_imported, "problems": report.problem_count}


def _run(dump: Path, folder: Path) -> dict:
    shutil.rmtree(folder, ignore_errors=True)
    out = subprocess.run([sys.executable, __file__, "--child", str(dump), str(folder)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/wikiengine-files-logs-bench"))
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    paths = generate(args.work, args.items, args.files)
    base = _run(paths["revisions"], args.work / "instance-revisions")
    logs = _run(paths["logs"], args.work / "instance-logs")
    files = _run(paths["files"], args.work / "instance-files")
    per_rev = base["seconds"] / max(base["revisions"], 1)
    per_log = (logs["seconds"] - base["seconds"]) / max(logs["logs"], 1)
    per_file = files["seconds"] / max(files["files"], 1)
    print(f"revisions: {base['revisions']} in {base['seconds']:.2f} s "
          f"({per_rev * 1000:.3f} ms each)")
    print(f"log items: {logs['logs']} in {logs['seconds'] - base['seconds']:.2f} s beyond the "
          f"same pages ({per_log * 1000:.3f} ms each, {per_log / per_rev:.2f}x a revision)")
    print(f"file versions: {files['files']} (+{files['files']} pages) in "
          f"{files['seconds']:.2f} s ({per_file * 1000:.2f} ms each, "
          f"{per_file / per_rev:.1f}x a revision)")
    for name, result in (("logs", logs), ("files", files)):
        if result["problems"]:
            print(f"  {name}: {result['problems']} problems", file=sys.stderr)


if __name__ == "__main__":
    main()
