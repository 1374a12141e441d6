"""Benchmark of the whole parser (wikiengine.parser.parse) on the corpus, plus fidelity.

For every article of ../shared/corpus/articles/ (under the settings of
../shared/corpus/reference-html/README.md: /w/index.php, html5+legacy anchors, no external
images, only "Main Page" exists, Cite and ParserFunctions when installed): render time (best
of --repeat), totals per size bucket; how many outputs equal MediaWiki's reference HTML after
../shared/parsertests/normalize.py, and a similarity score (difflib ratio of the normalized
HTML lines) for the others; then generated inputs at 1x/10x/100x (lists, tables, nested
templates, quotes) to show the cost grows linearly.

    .venv/bin/python bench/bench_parser.py [--repeat N] [--no-fidelity] [--only SLUG]
        [--mediawiki /tmp/mw-perf]   # also time real MediaWiki 1.39 (../shared/oracle)
"""
from __future__ import annotations

import argparse
import difflib
import functools
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wikiengine.namespaces import Namespaces  # noqa: E402
from wikiengine.parser import DictPageSource, ParserHooks, ParserOptions, parse  # noqa: E402
from wikiengine.parser.site import Interwiki, SiteConfig  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "articles"
REFERENCE = SHARED / "corpus" / "reference-html"
BUCKETS = [(0, 10_000), (10_000, 50_000), (50_000, 200_000), (200_000, 10 ** 9)]
#: MediaWiki's default interwiki.list prefixes that corpus pages may use (no language codes).
DEFAULT_INTERWIKI = {
    "wikipedia": "https://en.wikipedia.org/wiki/$1", "wikt": "https://en.wiktionary.org/wiki/$1",
    "wiktionary": "https://en.wiktionary.org/wiki/$1", "mw": "https://www.mediawiki.org/wiki/$1",
    "mediawikiwiki": "https://www.mediawiki.org/wiki/$1",
    "commons": "https://commons.wikimedia.org/wiki/$1", "meta": "https://meta.wikimedia.org/wiki/$1",
    "metawikimedia": "https://meta.wikimedia.org/wiki/$1",
    "imdbtitle": "https://www.imdb.com/title/tt$1/", "imdbname": "https://www.imdb.com/name/nm$1/",
    "google": "https://www.google.com/search?q=$1", "wikidata": "https://www.wikidata.org/wiki/$1",
    "foundation": "https://foundation.wikimedia.org/wiki/$1",
}


def reference_site() -> SiteConfig:
    return SiteConfig(
        sitename="OracleWiki", server="http://127.0.0.1:8091", script_path="/w",
        script="/w/index.php", article_path="/wiki/$1",
        namespaces=Namespaces(language="en", meta="OracleWiki"),
        interwiki={k: Interwiki(k, v) for k, v in DEFAULT_INTERWIKI.items()},
        fragment_mode=("html5", "legacy"), allow_external_images=False)


@functools.lru_cache(maxsize=1)
def reference_hooks() -> ParserHooks:
    try:
        from wikiengine.registry import hooks_for_extensions
    except ImportError:
        return ParserHooks()
    loaded = []
    for name in ("ParserFunctions", "Cite"):
        try:
            hooks_for_extensions([name])
            loaded.append(name)
        except (LookupError, ImportError, AttributeError):
            continue
    return hooks_for_extensions(loaded) if loaded else ParserHooks()


def render(text: str, title: str, site: SiteConfig) -> tuple[str, float]:
    source = DictPageSource({"Main Page": ""}, namespaces=site.namespaces)
    opts = ParserOptions(wrap=True)
    start = time.perf_counter()
    out = parse(text, title, source, opts, site, reference_hooks().copy())
    return out.html, time.perf_counter() - start


def _normalizer():
    spec = importlib.util.spec_from_file_location("pt_normalize",
                                                  SHARED / "parsertests" / "normalize.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _article_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip(" \t\n\r\0\x0b")


def corpus(repeat: int, fidelity: bool, only: str | None) -> None:
    site = reference_site()
    norm = _normalizer() if fidelity else None
    rows = []
    matches = 0
    scores = []
    for f in sorted(CORPUS.glob("*.wikitext")):
        if only and f.stem != only:
            continue
        meta = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
        text = _article_text(f)
        title = meta.get("original_title") or "Corpus test"
        best = None
        html = ""
        for _ in range(repeat):
            html, secs = render(text, title, site)
            best = secs if best is None else min(best, secs)
        rows.append((len(text.encode("utf-8")), f.stem, best or 0.0))
        ref = REFERENCE / f"{f.stem}.html"
        if norm is not None and ref.exists():
            a = norm.normalize(ref.read_text(encoding="utf-8"))
            b = norm.normalize(html)
            if a == b:
                matches += 1
                scores.append(1.0)
            else:
                scores.append(difflib.SequenceMatcher(None, a.split("\n"), b.split("\n"),
                                                      autojunk=False).ratio())
    total_bytes = sum(r[0] for r in rows)
    total = sum(r[2] for r in rows)
    print(f"## Corpus: {len(rows)} articles, {total_bytes / 1e6:.2f} MB, best of {repeat}\n")
    print("| bytes | articles | render s | MB/s |")
    print("|---|---|---|---|")
    for lo, hi in BUCKETS:
        sel = [r for r in rows if lo <= r[0] < hi]
        if not sel:
            continue
        b = sum(r[0] for r in sel)
        t = sum(r[2] for r in sel)
        label = f"{lo}-{hi}" if hi < 10 ** 9 else f"{lo}-…"
        print(f"| {label} | {len(sel)} | {t:.3f} | {b / 1e6 / t if t else 0:.1f} |")
    print(f"| **all** | {len(rows)} | **{total:.2f}** | {total_bytes / 1e6 / total if total else 0:.1f} |")
    if rows:
        slow = max(rows, key=lambda r: r[2])
        print(f"\nSlowest article: `{slow[1]}` ({slow[0] // 1000} kB) {slow[2]:.2f} s.")
    if scores:
        print(f"\nFidelity against reference-html: {matches}/{len(scores)} identical after "
              f"normalization; mean similarity {sum(scores) / len(scores):.3f} "
              f"(difflib ratio of normalized lines, 1.0 = identical).")


GENERATORS = {
    "lists": lambda n: "".join(f"* item {i}\n** sub ''{i}''\n# num [[Link {i}]]\n" for i in range(n)),
    "tables": lambda n: "{|\n" + "".join(f"|-\n| a{i} || b{i}\n! h{i}\n" for i in range(n)) + "|}\n",
    "nested templates": lambda n: "".join("{{Outer|x={{Inner|" + str(i) + "}}}}\n" for i in range(n)),
    "quotes": lambda n: "".join(f"''it {i}'' '''bold''' '''''both''''' l'''apostrophe\n" for i in range(n)),
}
TEMPLATES = {"Template:Outer": "<b>{{{x}}}</b>{{Inner|{{{x}}}}}", "Template:Inner": "[[{{{1}}}]] ''{{{1}}}''"}


def linearity() -> None:
    site = reference_site()
    print("\n## Linearity (units repeated 200 / 2000 / 20000 times)\n")
    print("| input | 1x s | 10x s | 100x s | 100x / 1x |")
    print("|---|---|---|---|---|")
    for name, gen in GENERATORS.items():
        times = []
        for n in (200, 2000, 20000):
            text = gen(n)
            source = DictPageSource(TEMPLATES, namespaces=site.namespaces)
            best = None
            for _ in range(2):
                start = time.perf_counter()
                parse(text, "Bench", source, ParserOptions(), site)
                secs = time.perf_counter() - start
                best = secs if best is None else min(best, secs)
            times.append(best or 0.0)
        ratio = times[2] / times[0] if times[0] else 0
        print(f"| {name} | {times[0]:.4f} | {times[1]:.4f} | {times[2]:.4f} | {ratio:.0f} |")


ORACLE = SHARED / "oracle"


def mediawiki(datadir: str, runs: int) -> None:
    """Time real MediaWiki 1.39 on the same articles (../shared/oracle), start-up excluded.

    The wiki in ``datadir`` is installed by ``mediawiki.sh start`` if needed (its server is
    stopped right away: rendering runs as a maintenance script)."""
    import subprocess
    import tempfile
    script = str(ORACLE / "mediawiki.sh")
    if not (Path(datadir) / "LocalSettings.php").exists():
        subprocess.run(["bash", script, "start", "8091", datadir], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["bash", script, "stop", datadir], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "mw.json"
        subprocess.run(["bash", script, "php", datadir, str(ORACLE / "mw_render_bench.php"),
                        "--runs", str(runs), "--warmup", "1", "--json", str(out), str(CORPUS)],
                       check=True, stdout=subprocess.DEVNULL)
        data = json.loads(out.read_text(encoding="utf-8"))
    totals = data.get("totals", {})
    ms = totals.get("ms_median_sum", 0.0)
    print(f"\n## MediaWiki 1.39 on the same articles (median of {runs} runs, start-up excluded)\n")
    print(f"Total {ms / 1000:.2f} s (parse only {totals.get('ms_parse_median_sum', 0) / 1000:.2f} s)"
          f" for {totals.get('articles', len(data.get('articles', [])))} articles.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-fidelity", action="store_true")
    ap.add_argument("--only")
    ap.add_argument("--no-linearity", action="store_true")
    ap.add_argument("--mediawiki", metavar="DATADIR",
                    help="also time real MediaWiki (../shared/oracle, needs php + mediawiki)")
    args = ap.parse_args()
    corpus(args.repeat, not args.no_fidelity, args.only)
    if not args.no_linearity and not args.only:
        linearity()
    if args.mediawiki:
        mediawiki(args.mediawiki, max(args.repeat, 1))


if __name__ == "__main__":
    main()
