"""Benchmark of the preprocessor alone (wikiengine.parser.preprocess.expand) on the corpus.

Times, for every article of ../shared/corpus/articles/, building the preprocessor tree
(uncached) and the whole phase 1 (tree + expansion, templates mostly missing as in the
corpus README), then generated inputs at 1x/10x/100x (100, 1,000 and 10,000 repetitions of
a unit; best of N runs) to show the cost grows linearly.

    .venv/bin/python bench/bench_preprocess.py [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wikiengine.parser import DictPageSource, make_context  # noqa: E402
from wikiengine.parser.ppnodes import TREE_CACHE, build_tree  # noqa: E402
from wikiengine.parser.preprocess import expand  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
BUCKETS = [(0, 10_000), (10_000, 50_000), (50_000, 200_000), (200_000, 10 ** 9)]


def _expand(text: str, title: str, pages: dict[str, str] | None = None) -> float:
    TREE_CACHE.clear()
    ctx = make_context(title, DictPageSource(pages or {}))
    start = time.perf_counter()
    expand(text, ctx)
    return time.perf_counter() - start


def _tree(text: str) -> float:
    start = time.perf_counter()
    build_tree(text, False)
    return time.perf_counter() - start


def corpus(repeat: int) -> None:
    files = sorted(CORPUS.glob("*.wikitext"))
    rows = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        tree = min(_tree(text) for _ in range(repeat))
        full = min(_expand(text, f.stem) for _ in range(repeat))
        rows.append((len(text.encode("utf-8")), f.stem, tree, full))
    total_bytes = sum(r[0] for r in rows)
    print(f"articles: {len(rows)}, {total_bytes / 1e6:.2f} MB")
    print(f"tree only: {sum(r[2] for r in rows):.3f} s   tree + expansion: "
          f"{sum(r[3] for r in rows):.3f} s")
    print("| bytes | articles | tree s | expand s | MB/s (expand) |")
    print("|---|---|---|---|---|")
    for lo, hi in BUCKETS:
        sel = [r for r in rows if lo <= r[0] < hi]
        if not sel:
            continue
        b = sum(r[0] for r in sel)
        t = sum(r[2] for r in sel)
        e = sum(r[3] for r in sel)
        print(f"| {lo}-{hi if hi < 10 ** 9 else '…'} | {len(sel)} | {t:.3f} | {e:.3f} | "
              f"{b / 1e6 / e:.2f} |")
    worst = max(rows, key=lambda r: r[3])
    print(f"slowest: {worst[1]} ({worst[0]} bytes) {worst[3]:.3f} s")


def generated(repeat: int) -> None:
    pages = {"Template:Box": "<div class=\"{{{class|box}}}\">{{{1}}}</div>{{Inner|{{{1}}}}}",
             "Template:Inner": "[{{{1|}}}]<!-- c -->{{lc:{{{1}}}}}"}
    units = {
        "nested templates": "{{Box|text {{Box|inner|class=a}} more|class=b}}\n",
        "arguments": "{{{a|{{{b|{{{c|x}}}}}}}}} ",
        "comments and tags": "a<!-- c --><nowiki>[[x]]</nowiki><pre>p</pre>\n",
        "headings and links": "== Head ==\n[[a|b]] [[c]] '''d''' {{PAGENAME}}\n",
    }
    print("| input | 1x s | 10x s | 100x s | 10x / 1x | 100x / 10x |")
    print("|---|---|---|---|---|---|")
    for name, unit in units.items():
        times = []
        for n in (100, 1000, 10000):
            text = unit * n
            times.append(min(_expand(text, "Bench", pages) for _ in range(repeat)))
        print(f"| {name} | {times[0]:.4f} | {times[1]:.4f} | {times[2]:.4f} | "
              f"{times[1] / times[0]:.1f} | {times[2] / times[1]:.1f} |")


def main() -> None:
    if hasattr(os, "getloadavg"):
        print(f"load average before the run: {os.getloadavg()[0]:.1f} "
              f"({os.cpu_count()} CPUs): figures are only comparable on an idle machine")
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    corpus(args.repeat)
    generated(args.repeat)


if __name__ == "__main__":
    main()
