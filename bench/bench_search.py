"""Search benchmark: Whoosh-Reloaded backend against SQLite FTS5 on the same text, same run.

Indexes the real articles of ../shared/corpus/articles (their wikitext stripped by
``wikiengine.search.plaintext``) plus generated pages (words drawn from the corpus vocabulary
with a Zipf law, French and English mixed, titles, headings, categories, a few namespaces) up
to ``--pages`` pages, then measures:

- full rebuild: pages per second (``WhooshBackend.replace_all``, one writer, as
  ``wikiengine rebuild-search`` does after reading the database);
- 200 varied queries through the facade (``wikiengine.search.search``: parsing, title boost,
  snippets, count, "did you mean" when nothing matches): median and 95th percentile;
- title prefix search (suggestions) on 100 prefixes;
- single-page update (one commit of one document) and the first query after it;
- the same build, queries (MATCH, bm25 with title weight, snippet, count) and single-row
  update with SQLite FTS5 (``unicode61 remove_diacritics 2``: no stemming).

Usage: .venv/bin/python bench/bench_search.py [--pages 50000] [--queries 200] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402

from wikiengine.search import SearchState, prefix_search, search  # noqa: E402
from wikiengine.search.analysis import fold  # noqa: E402
from wikiengine.search.backend import WhooshBackend  # noqa: E402
from wikiengine.search.document import SearchDocument  # noqa: E402
from wikiengine.search.indexer import Indexer  # noqa: E402
from wikiengine.search.plaintext import categories, headings, wikitext_to_text  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
PREFIXES = {0: "", 2: "Utilisateur:", 10: "Modèle:", 14: "Catégorie:"}
WORD = re.compile(r"[^\W\d_]{3,}")


def corpus_documents() -> list[SearchDocument]:
    docs = []
    for number, path in enumerate(sorted(CORPUS.glob("*.wikitext")), start=1):
        meta = json.loads(path.with_suffix(".json").read_text())
        text = path.read_text(encoding="utf-8")
        title = meta.get("original_title") or path.stem
        docs.append(SearchDocument(
            page_id=number, namespace=0, title=title, prefixed=title,
            content=wikitext_to_text(text), headings=headings(text),
            categories=categories(text), size=len(text.encode())))
    return docs


def vocabulary(docs: list[SearchDocument]) -> list[str]:
    counts: dict[str, int] = {}
    for doc in docs:
        for word in WORD.findall(doc.content.lower()):
            counts[word] = counts.get(word, 0) + 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


def generated_documents(vocab: list[str], start: int, count: int,
                        rng: random.Random) -> list[SearchDocument]:
    """Pages of Zipf-distributed words; sizes log-normal around 2.5 kB of text."""
    weights = [1.0 / (rank + 10) for rank in range(len(vocab))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    docs = []
    for page_id in range(start, start + count):
        n_words = max(20, min(6000, int(rng.lognormvariate(math.log(350), 0.9))))
        words = rng.choices(vocab, cum_weights=cumulative, k=n_words)
        sentences = []
        for i in range(0, len(words), 14):
            part = words[i:i + 14]
            sentences.append(part[0].capitalize() + " " + " ".join(part[1:]) + ".")
        title_words = rng.choices(vocab[200:20000], k=rng.randint(1, 4))
        title = " ".join(w.capitalize() if j == 0 else w for j, w in enumerate(title_words))
        title = f"{title} ({page_id})" if rng.random() < 0.3 else title
        namespace = rng.choices([0, 2, 10, 14], weights=[90, 4, 3, 3])[0]
        docs.append(SearchDocument(
            page_id=page_id, namespace=namespace, title=title,
            prefixed=PREFIXES[namespace] + title, content=" ".join(sentences),
            headings=[w.capitalize() for w in rng.choices(vocab[100:5000], k=3)],
            categories=[rng.choice(vocab[300:3000]).capitalize() for _ in range(2)],
            size=len(" ".join(sentences).encode())))
    return docs


def make_queries(vocab: list[str], docs: list[SearchDocument], rng: random.Random,
                 total: int) -> list[tuple[str, str, list[int] | None]]:
    """(kind, query, namespaces) tuples covering the shapes residents type."""
    common, rare = vocab[30:600], vocab[3000:20000]
    mains = [d for d in docs if d.namespace == 0]
    out: list[tuple[str, str, list[int] | None]] = []
    kinds = [("common word", 25), ("rare word", 20), ("two words", 20), ("three words", 10),
             ("phrase", 8), ("prefix*", 5), ("title", 6), ("misspelled", 4),
             ("all namespaces", 2)]
    for kind, share in kinds:
        for _ in range(max(1, total * share // 100)):
            ns: list[int] | None = [0]
            if kind == "common word":
                q = rng.choice(common)
            elif kind == "rare word":
                q = rng.choice(rare)
            elif kind == "two words":
                q = f"{rng.choice(common)} {rng.choice(vocab[100:3000])}"
            elif kind == "three words":
                q = " ".join(rng.choice(vocab[50:2000]) for _ in range(3))
            elif kind == "phrase":
                words = WORD.findall(rng.choice(mains).content)
                i = rng.randrange(max(1, len(words) - 2))
                q = '"' + " ".join(words[i:i + 2]) + '"'
            elif kind == "prefix*":
                q = rng.choice([w for w in common if len(w) > 5])[:4] + "*"
            elif kind == "title":
                q = rng.choice(mains).title
            elif kind == "misspelled":
                w = rng.choice([w for w in vocab[100:2000] if len(w) > 6])
                i = rng.randrange(1, len(w) - 1)
                q = w[:i] + w[i + 1:] + "x"
            else:
                q, ns = rng.choice(common), None
            out.append((kind, q, ns))
    return out[:total]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# -- Whoosh ------------------------------------------------------------------------------
def bench_whoosh(docs: list[SearchDocument], queries, folder: Path, language: str,
                 reuse: bool = False) -> dict:
    backend = WhooshBackend(folder / "whoosh", language)
    backend.open()
    started = time.perf_counter()
    if reuse and not backend.needs_rebuild and backend.doc_count() == len(docs):
        print("reusing the index in", folder / "whoosh", flush=True)
    else:
        backend.replace_all(iter(docs))
    build = time.perf_counter() - started
    size = sum(f.stat().st_size for f in (folder / "whoosh").iterdir())
    app = Flask("bench")
    app.config.update(LANGUAGE=language, META_NAMESPACE="Projet")
    app.extensions["search"] = SearchState(backend, Indexer(app, backend))
    search("warm up", app=app)
    times, per_kind, totals = [], {}, []
    for kind, q, ns in queries:
        t = time.perf_counter()
        results = search(q, namespaces=ns, limit=20, app=app)
        elapsed = time.perf_counter() - t
        times.append(elapsed)
        per_kind.setdefault(kind, []).append(elapsed)
        totals.append(results.total)
    prefixes = [fold(d.title)[:n] for d, n in zip(docs[::max(1, len(docs) // 100)],
                                                     [1, 2, 3, 4, 5] * 40)][:100]
    ptimes = []
    for prefix in prefixes:
        t = time.perf_counter()
        prefix_search(prefix, limit=10, app=app)
        ptimes.append(time.perf_counter() - t)
    updates, after = [], []
    for i in range(20):
        doc = docs[(i * 997) % len(docs)]
        doc.content += f" misajour{i}"
        t = time.perf_counter()
        backend.apply([doc], [])
        updates.append(time.perf_counter() - t)
        t = time.perf_counter()
        found = search(f"misajour{i}", namespaces=None, app=app)
        after.append(time.perf_counter() - t)
        assert found.total == 1, (i, found.total)
    return {
        "build_s": build, "pages_per_s": len(docs) / build, "index_mb": size / 1e6,
        "p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000,
        "max_ms": max(times) * 1000,
        "per_kind_p50_ms": {k: percentile(v, 50) * 1000 for k, v in per_kind.items()},
        "per_kind_p95_ms": {k: percentile(v, 95) * 1000 for k, v in per_kind.items()},
        "prefix_p50_ms": percentile(ptimes, 50) * 1000,
        "prefix_p95_ms": percentile(ptimes, 95) * 1000,
        "update_p50_ms": percentile(updates, 50) * 1000, "update_max_ms": max(updates) * 1000,
        "query_after_update_p50_ms": percentile(after, 50) * 1000,
        "zero_hit_queries": sum(1 for t in totals if t == 0),
    }


# -- SQLite FTS5 ---------------------------------------------------------------------------
def fts_query(q: str) -> str:
    """The same query in FTS5 syntax: words ANDed, phrases kept, ``pre*`` prefixes."""
    if q.startswith('"'):
        return '"' + q.strip('"').replace('"', "") + '"'
    parts = []
    for word in WORD.findall(q) if "*" not in q else [q.rstrip("*")]:
        parts.append(f'"{word}"' + ("*" if q.endswith("*") else ""))
    return " ".join(parts) or '""'


def bench_fts5(docs: list[SearchDocument], queries, folder: Path) -> dict:
    db = sqlite3.connect(folder / "fts.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE VIRTUAL TABLE pages USING fts5(title, content, ns UNINDEXED, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    with db:
        db.executemany("INSERT INTO pages(rowid, title, content, ns) VALUES (?, ?, ?, ?)",
                       ((d.page_id, d.prefixed, d.content, d.namespace) for d in docs))
    db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
    build = time.perf_counter() - started
    size = (folder / "fts.db").stat().st_size
    times, errors = [], 0
    for kind, q, ns in queries:
        match = fts_query(q)
        where = "pages MATCH ?" + (" AND ns = 0" if ns == [0] else "")
        t = time.perf_counter()
        try:
            total = db.execute(f"SELECT count(*) FROM pages WHERE {where}", (match,)).fetchone()
            rows = db.execute(
                f"SELECT rowid, title, snippet(pages, 1, '<b>', '</b>', '…', 24) FROM pages "
                f"WHERE {where} ORDER BY bm25(pages, 10.0, 1.0) LIMIT 20", (match,)).fetchall()
            assert total[0] >= len(rows)
        except sqlite3.OperationalError:
            errors += 1
        times.append(time.perf_counter() - t)
    updates = []
    for i in range(20):
        doc = docs[(i * 997) % len(docs)]
        t = time.perf_counter()
        with db:
            db.execute("DELETE FROM pages WHERE rowid = ?", (doc.page_id,))
            db.execute("INSERT INTO pages(rowid, title, content, ns) VALUES (?, ?, ?, ?)",
                       (doc.page_id, doc.prefixed, doc.content + " maj", doc.namespace))
        updates.append(time.perf_counter() - t)
    db.close()
    return {"build_s": build, "pages_per_s": len(docs) / build, "index_mb": size / 1e6,
            "p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000,
            "max_ms": max(times) * 1000, "errors": errors,
            "update_p50_ms": percentile(updates, 50) * 1000,
            "update_max_ms": max(updates) * 1000}


# -- end to end: database, rendering, index ---------------------------------------------------
def as_wikitext(doc: SearchDocument, rng: random.Random) -> str:
    """A generated page as wikitext: bold title, links, headings, categories."""
    words = doc.content.split(" ")
    for i in range(0, len(words), 9):
        if rng.random() < 0.5 and words[i].isalpha():
            words[i] = f"[[{words[i]}]]"
    text = " ".join(words)
    third = max(1, len(text) // 3)
    parts = ["'''" + doc.title + "''' " + text[:third]]
    for n, heading in enumerate(doc.headings[:2], start=1):
        parts.append(f"\n\n== {heading} ==\n{text[n * third:(n + 1) * third]}")
    parts.extend(f"\n[[Catégorie:{c}]]" for c in doc.categories)
    return "".join(parts)


def bench_database(docs: list[SearchDocument], count: int, folder: Path, render: bool) -> dict:
    """``wikiengine rebuild-search`` on a wiki database of ``count`` pages (the real articles'
    wikitext first, then generated wikitext): reading, rendering (or stripping), indexing."""
    from sqlalchemy import insert, update

    from wikiengine import create_app
    from wikiengine import search as facade
    from wikiengine.models import Content, Page, Revision
    from wikiengine.search.hooks import worker_session
    from wikiengine.store import setup, users

    rng = random.Random(7)
    instance = folder / f"wiki-{'render' if render else 'plain'}"
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
                      "DATABASE_URL": f"sqlite:///{instance / 'wiki.db'}",
                      "SEARCH_RENDER": render})
    setup.init_instance(app)
    real = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.wikitext"))]
    texts = [real[i] if i < len(real) else as_wikitext(doc, rng)
             for i, doc in enumerate(docs[:count])]
    # A session whose commits queue no index work: the timed rebuild starts from a cold
    # parser cache and has the index lock to itself.
    with app.app_context(), worker_session(app) as session:
        actor = users.get_actor(session, users.create_user(session, "Bench", None))
        for start in range(0, len(texts), 500):
            chunk = list(zip(docs[start:start + 500], texts[start:start + 500]))
            page_ids = session.execute(insert(Page).returning(
                Page.page_id, sort_by_parameter_order=True), [
                {"namespace": d.namespace, "title": f"{d.title.replace(' ', '_')}_{d.page_id}",
                 "len": len(t.encode())} for d, t in chunk]).scalars().all()
            content_ids = session.execute(insert(Content).returning(
                Content.content_id, sort_by_parameter_order=True), [
                {"text": t, "size": len(t.encode())} for _, t in chunk]).scalars().all()
            rev_ids = session.execute(insert(Revision).returning(
                Revision.rev_id, sort_by_parameter_order=True), [
                {"page_id": p, "actor_id": actor.actor_id, "content_id": c, "len": 0}
                for p, c in zip(page_ids, content_ids)]).scalars().all()
            for page_id, rev_id in zip(page_ids, rev_ids):
                session.execute(update(Page).where(Page.page_id == page_id)
                                .values(latest=rev_id))
    started = time.perf_counter()
    with app.app_context():
        pages = facade.rebuild(app=app)
    elapsed = time.perf_counter() - started
    return {"pages": pages, "seconds": elapsed, "pages_per_s": pages / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--language", default="fr")
    parser.add_argument("--seed", type=int, default=1946)
    parser.add_argument("--keep", help="folder to keep the indexes in (default: temporary)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: query the Whoosh index kept there by an earlier run "
                             "(same --pages and --seed) instead of rebuilding it; skips FTS5")
    parser.add_argument("--db-pages", type=int, default=2000,
                        help="pages of the end-to-end rebuild from a wiki database (0: skip)")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"missing {CORPUS}: the shared corpus must sit beside the checkout")
    rng = random.Random(args.seed)
    real = corpus_documents()
    vocab = vocabulary(real)
    docs = real + generated_documents(vocab, len(real) + 1, max(0, args.pages - len(real)), rng)
    text_mb = sum(len(d.content) for d in docs) / 1e6
    queries = make_queries(vocab, docs, rng, args.queries)
    print(f"{len(docs)} pages ({len(real)} real), {text_mb:.0f} M characters of text, "
          f"{len(queries)} queries, vocabulary {len(vocab)} words", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        fts = {} if args.reuse else bench_fts5(docs, queries, folder)
        print("fts5", json.dumps(fts, indent=1), flush=True)
        whoosh = bench_whoosh(docs, queries, folder, args.language, reuse=args.reuse)
        print("whoosh", json.dumps(whoosh, indent=1), flush=True)
        database = {}
        for render in (False, True) if args.db_pages else ():
            key = "rendered" if render else "wikitext stripped"
            database[key] = bench_database(docs, args.db_pages, folder, render)
            print("database rebuild,", key, json.dumps(database[key]), flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "search.json").write_text(json.dumps({"pages": len(docs), "text_mchars": text_mb,
                                                 "whoosh": whoosh, "fts5": fts,
                                                 "database": database}, indent=1))
    print(f"\n| engine | build s | pages/s | index MB | p50 ms | p95 ms | update ms |")
    print("|---|---|---|---|---|---|---|")
    for name, r in (("Whoosh-Reloaded", whoosh), ("SQLite FTS5", fts)):
        if not r:
            continue
        print(f"| {name} | {r['build_s']:.0f} | {r['pages_per_s']:.0f} | {r['index_mb']:.0f} | "
              f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['update_p50_ms']:.1f} |")


if __name__ == "__main__":
    main()
