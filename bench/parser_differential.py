"""Differential test of the parser against real MediaWiki 1.39 (../shared/oracle).

Generates random wikitext from common markup fragments (links, lists, tables, headings,
quotes, external links, images, refs, a few HTML tags), renders every page with
MediaWiki (bench/mw_parse_batch.php through ../shared/oracle/mediawiki.sh) and with
wikiengine under the same settings, and counts the pages whose HTML differs after
../shared/parsertests/normalize.py. Needs php and the mediawiki package
(``../shared/oracle/mediawiki.sh install``); the wiki in DATADIR is installed on first use.

    .venv/bin/python bench/parser_differential.py [--pages 300] [--seed 1] [--show 5]
        [--datadir /tmp/mw-perf-render] [--html]   # --html adds stray/misnested HTML tags
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_parser as bp  # noqa: E402

from wikiengine.parser import DictPageSource, ParserOptions, parse  # noqa: E402

FRAGMENTS = [
    "''", "'''", "[[Foo]]", "[[Foo|bar]]", "[[Main Page]]", "[[Main Page#Sec|x]]", "[[foo]]s",
    "[[Foo|", "]]", "[http://x.org y]", "http://x.org/a.", "http://x.org/(b)", "[http://x.org]",
    "[//x.org z]", "\n", "\n\n", " ", "\n*", "\n**", "\n#", "\n#*", "\n;", ":", "\n:", "\n ",
    "\n----\n", "\n== H ==\n", "\n=== H3 ===\n", "\n==H2==\n", "\n{|\n", "\n{| class=\"wikitable\"\n",
    "\n|-\n", "\n|", "\n!", "||", "!!", "\n|}\n", "\n|+ cap", " style=\"color:red\" |",
    "<nowiki>''x''</nowiki>", "&amp;", "&nbsp;", "&#123;", "x", "word", "é", "« ", " »", " ?",
    " :", "\n<pre>a\n b</pre>\n", "[[File:X.jpg|thumb|cap]]", "[[File:X.jpg|left|50px]]",
    "[[Category:C]]", "[[Category:C|k]]", "__NOTOC__", "[[:Category:C]]", "<br/>", "<b>b</b>",
    "<i>i</i>", "<span style=\"color:red\">s</span>", "<div>d</div>", "<ref>r</ref>",
    "<references/>", "[[wikipedia:Foo]]", "[[#anchor]]", "[[/sub]]",
]
HTML_FRAGMENTS = ["<b>", "</b>", "<i>", "</i>", "<div>", "</div>", "<span>", "</span>", "<p>",
                  "</p>", "<blockquote>", "</blockquote>", "<small>", "</small>", "<table>",
                  "<tr>", "<td>", "</td>", "</tr>", "</table>", "<center>", "</center>", "<s>",
                  "</s>", "<code>", "</code>", "<sup>", "</sup>", "<h2>", "</h2>", "<dl>", "<dd>"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--datadir", default="/tmp/mw-perf-render")
    ap.add_argument("--html", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    frags = FRAGMENTS + (HTML_FRAGMENTS if args.html else [])
    pages = ["".join(rng.choice(frags) for _ in range(rng.randint(1, 25)))
             for _ in range(args.pages)]
    script = bp.ORACLE / "mediawiki.sh"
    if not (Path(args.datadir) / "LocalSettings.php").exists():
        subprocess.run(["bash", str(script), "start", "8091", args.datadir], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["bash", str(script), "stop", args.datadir], check=True,
                       stdout=subprocess.DEVNULL)
    proc = subprocess.run(["bash", str(script), "php", args.datadir,
                           str(ROOT / "bench" / "mw_parse_batch.php")],
                          input=json.dumps(pages), capture_output=True, text=True, check=True)
    theirs = json.loads(proc.stdout[proc.stdout.index("["):])
    norm = bp._normalizer()
    site = bp.reference_site()
    hooks = bp.reference_hooks()
    differ = 0
    for text, mw in zip(pages, theirs):
        source = DictPageSource({"Main Page": ""}, namespaces=site.namespaces)
        ours = parse(text, "Sandbox", source, ParserOptions(), site, hooks.copy()).html
        if norm.normalize(mw) != norm.normalize(ours):
            differ += 1
            if differ <= args.show:
                print("=====", repr(text))
                print("MediaWiki:", norm.normalize(mw)[:800])
                print("wikiengine:", norm.normalize(ours)[:800])
    print(f"{differ} of {len(pages)} random pages differ from MediaWiki after normalization "
          f"(seed {args.seed}{', with stray HTML tags' if args.html else ''}).")


if __name__ == "__main__":
    main()
