"""Dump import and export speed (revisions per second) and peak memory.

Measures ``dumps.loader.import_dump`` and ``dumps.export.export_dump`` on the real Wikimedia
full-history dump (aawiki, 1,307 revisions) and on generated dumps 10x and 100x its size
(the same pages copied under new titles and ids, written to a work folder in /tmp, never
into the project), each run in a fresh process on a fresh SQLite instance so that peak
memory (``ru_maxrss``) belongs to that run alone. With ``--mediawiki`` it also times
MediaWiki 1.39's ``importDump.php`` and ``dumpBackup.php --full`` on the same files through
``../shared/oracle/mediawiki.sh``.

    .venv/bin/python bench/bench_dumps.py --sizes 1,10,100 [--mediawiki] [--links]
"""
from __future__ import annotations

import argparse
import bz2
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCE = SHARED / "corpus" / "dumps" / "aawiki-20260101-pages-meta-history.xml.bz2"
ORACLE = SHARED / "oracle" / "mediawiki.sh"
sys.path.insert(0, str(ROOT))


def generate(copies: int, target: Path) -> Path:
    """A dump ``copies`` times the aawiki history: copy k renames every page ``… (k)``."""
    from dumps.reader import DumpReader
    from dumps.writer import DumpWriter

    if target.exists():
        return target
    part = target.with_suffix(".part")
    with DumpReader(SOURCE) as reader:
        pages = list(reader.pages())
        siteinfo = reader.siteinfo
    with bz2.open(part, "wb") as out, DumpWriter(out, siteinfo, lang="aa") as writer:
        for k in range(copies):
            for page, revisions in pages:
                copy = page if k == 0 else type(page)(
                    title=f"{page.title} ({k})", ns=page.ns, id=(page.id or 0) + k * 100_000,
                    redirect=page.redirect)
                moved = []
                for rev in revisions:
                    clone = type(rev)(**{f: getattr(rev, f) for f in rev.__slots__})
                    if k:
                        clone.id = (rev.id or 0) + k * 10_000_000
                        clone.origin = clone.id
                        clone.parent_id = rev.parent_id + k * 10_000_000 if rev.parent_id \
                            else None
                    moved.append(clone)
                writer.write_page(copy, moved)
    part.rename(target)
    return target


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(folder: Path):  # type: ignore[no-untyped-def]
    from wikiengine import create_app
    from wikiengine.store import setup

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{folder / 'wiki.db'}"})
    setup.init_instance(app)
    return app


def child_import(dump: Path, folder: Path, links: bool) -> dict:
    from dumps.loader import ImportOptions, import_dump

    app = _app(folder)
    base = _peak_mb()
    with app.app_context():
        start = time.perf_counter()
        report = import_dump(app, dump, ImportOptions(refresh_links=False,
                                                      update_search=False))
        seconds = time.perf_counter() - start
        result = {"revisions": report.imported, "seconds": seconds, "peak_mb": _peak_mb(),
                  "base_mb": base}
        if links:
            import datetime as _dt

            from dumps.refresh import derived_session, refresh_links, refresh_search

            with derived_session(app) as session:
                start = time.perf_counter()
                result["links_pages"] = refresh_links(session, _dt.datetime(1970, 1, 1))
                result["links_seconds"] = time.perf_counter() - start
                start = time.perf_counter()
                result["search_pages"] = refresh_search(app, session, _dt.datetime(1970, 1, 1))
                result["search_seconds"] = time.perf_counter() - start
    return result


def child_export(folder: Path, out: Path) -> dict:
    from dumps.export import Selection, export_dump
    from dumps.writer import open_output

    app = _app(folder)
    base = _peak_mb()
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        start = time.perf_counter()
        with open_output(out) as stream:
            stats = export_dump(app, session, stream, Selection(full=True))
        seconds = time.perf_counter() - start
    return {"revisions": stats.revisions, "seconds": seconds, "peak_mb": _peak_mb(),
            "base_mb": base}


def _run_child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                            capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def _timed(command: list[str], stdout=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall time and peak RSS (MB) of a command run in a fresh helper process."""
    code = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
            "out=open(sys.argv[1],'wb') if sys.argv[1]!='-' else subprocess.DEVNULL;"
            "subprocess.run(sys.argv[2:],check=True,stdout=out,stderr=subprocess.DEVNULL);"
            "print(json.dumps([time.perf_counter()-t,"
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024]))")
    target = str(stdout) if stdout else "-"
    result = subprocess.run([sys.executable, "-c", code, target, *command], check=True,
                            capture_output=True, text=True)
    seconds, peak = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, peak


def mediawiki(dump: Path, work: Path, revisions: int) -> dict:
    """importDump.php then dumpBackup.php --full on a fresh MediaWiki (SQLite)."""
    datadir = work / f"mw-{dump.stem}"
    if datadir.exists():
        subprocess.run(["bash", str(ORACLE), "reset", str(datadir)], check=False,
                       capture_output=True)
    port = str(18000 + os.getpid() % 1000)
    subprocess.run(["bash", str(ORACLE), "start", port, str(datadir)], check=True,
                   capture_output=True)
    subprocess.run(["bash", str(ORACLE), "stop", str(datadir)], check=True,
                   capture_output=True)
    plain = work / (dump.stem if dump.suffix == ".bz2" else dump.name)
    if not plain.exists():
        with bz2.open(dump) as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    seconds, peak = _timed(["bash", str(ORACLE), "php", str(datadir), "importDump.php",
                            "--no-updates", str(plain)])
    out = work / f"mw-export-{dump.stem}.xml"
    dump_seconds, dump_peak = _timed(["bash", str(ORACLE), "php", str(datadir),
                                      "dumpBackup.php", "--full", "--quiet"], stdout=out)
    subprocess.run(["bash", str(ORACLE), "reset", str(datadir)], check=False,
                   capture_output=True)
    return {"import_rate": revisions / seconds, "import_peak_mb": peak,
            "export_rate": revisions / dump_seconds, "export_peak_mb": dump_peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--work", default="/tmp/wikiengine-dumps-bench")
    parser.add_argument("--mediawiki", action="store_true")
    parser.add_argument("--mediawiki-sizes", default="1,10")
    parser.add_argument("--links", action="store_true",
                        help="also time the link-table rebuild after the 1x import")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "import":
            result = child_import(Path(rest[0]), Path(rest[1]), rest[2] == "links")
        else:
            result = child_export(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("| dump | revisions | MB (bz2) | import rev/s | import peak MB | export rev/s "
          "| export peak MB |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        dump = SOURCE if size == 1 else generate(size, work / f"aawiki-x{size}.xml.bz2")
        folder = work / f"instance-x{size}"
        shutil.rmtree(folder, ignore_errors=True)
        imported = _run_child("import", str(dump), str(folder),
                              "links" if args.links and size == 1 else "no")
        # plain XML, as dumpBackup.php writes it to standard output
        exported = _run_child("export", str(folder), str(work / f"export-x{size}.xml"))
        row = {"size": size, "import": imported, "export": exported,
               "mb": dump.stat().st_size / 1e6}
        print(f"| {size}x | {imported['revisions']:,} | {row['mb']:.1f} | "
              f"{imported['revisions'] / imported['seconds']:,.0f} | {imported['peak_mb']:.0f} | "
              f"{exported['revisions'] / exported['seconds']:,.0f} | "
              f"{exported['peak_mb']:.0f} |", flush=True)
        if "links_seconds" in imported:
            print(f"|  | links rebuilt for {imported['links_pages']} pages in "
                  f"{imported['links_seconds']:.1f} s, search index for "
                  f"{imported['search_pages']} in {imported['search_seconds']:.1f} s |",
                  flush=True)
        if args.mediawiki and str(size) in args.mediawiki_sizes.split(","):
            row["mediawiki"] = mediawiki(dump, work, imported["revisions"])
            mw = row["mediawiki"]
            print(f"| {size}x MediaWiki 1.39 | {imported['revisions']:,} | | "
                  f"{mw['import_rate']:,.0f} | {mw['import_peak_mb']:.0f} | "
                  f"{mw['export_rate']:,.0f} | {mw['export_peak_mb']:.0f} |", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        rows.append(row)
    (work / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
