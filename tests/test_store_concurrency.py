"""Several processes save the same page at once through the store, each with its own
engine and sessions on the same database (SQLite file or PostgreSQL server).

Each process edits its own line (non-overlapping: merged when it lost the race) and now and
then a shared line (overlapping: refused as an edit conflict when it lost the race). Checks:
every accepted save is a revision whose parent is its base revision, or a recorded merge on
top of a newer one; the history is one unbroken chain holding exactly the accepted saves;
each accepted change is in its own revision and the last one of every process survives.
"""
from __future__ import annotations

import multiprocessing
import random
import time
from typing import Any

import pytest

PROCESSES = 4
SAVES = 8
TITLE = "Concurrence"


def _initial_text() -> str:
    lines = ["shared: initial", ""]
    for p in range(PROCESSES):
        lines += [f"slot {p}: initial", ""]
    return "\n".join(lines).strip()


def _edit(text: str, proc: int, i: int, shared: bool) -> str:
    lines = text.split("\n")
    out = []
    for line in lines:
        if line.startswith(f"slot {proc}:"):
            line = f"slot {proc}: value {i}"
        elif shared and line.startswith("shared:"):
            line = f"shared: by {proc} at {i}"
        out.append(line)
    return "\n".join(out)


def _worker(config: dict[str, Any], proc: int, queue: Any, barrier: Any) -> None:
    from wikiengine import create_app, db
    from wikiengine.store import revisions, users
    from wikiengine.store.errors import EditConflict
    from wikiengine.title import Title

    app = create_app(config)
    rng = random.Random(proc)
    records: list[dict[str, Any]] = []
    try:
        barrier.wait(timeout=120)  # every process is ready: start saving together
        for i in range(SAVES):
            with app.app_context(), db.session_scope(app) as s:
                page = revisions.get_page(s, Title.new(TITLE))
                base_id, base_text = page.latest, revisions.page_text(s, page)
            proposed = _edit(base_text, proc, i, shared=(i % 3 == 2))
            time.sleep(rng.uniform(0, 0.02))  # let the others save in between
            try:
                with app.app_context(), db.session_scope(app) as s:
                    user = users.get_user(s, f"Writer {proc}")
                    result = revisions.save_page(s, Title.new(TITLE), proposed, user,
                                                 base_rev_id=base_id, summary=f"{proc}/{i}")
                    rev = result.revision
                    records.append({"i": i, "base": base_id, "rev": rev.rev_id if rev else None,
                                    "parent": rev.parent_id if rev else None,
                                    "merged": result.merged, "null": result.null_edit})
            except EditConflict:
                records.append({"i": i, "base": base_id, "conflict": True})
    except BaseException as exc:  # report, never hang the parent
        queue.put((proc, None, repr(exc)))
        raise
    finally:
        db.engine(app).dispose()
    queue.put((proc, records, None))


@pytest.mark.db
def test_concurrent_saves_lose_nothing(app, app_config) -> None:
    from sqlalchemy import select

    from wikiengine import db
    from wikiengine.models import Content, Revision
    from wikiengine.store import revisions, users
    from wikiengine.title import Title

    app.config["SEARCH_RENDER"] = False
    with app.app_context(), db.session_scope(app) as s:
        for p in range(PROCESSES):
            users.create_user(s, f"Writer {p}", "pw")
        first = revisions.save_page(s, Title.new(TITLE), _initial_text(),
                                    users.get_user(s, "Writer 0")).revision.rev_id
    config = dict(app_config, SEARCH_RENDER=False)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    barrier = ctx.Barrier(PROCESSES)
    procs = [ctx.Process(target=_worker, args=(config, p, queue, barrier))
             for p in range(PROCESSES)]
    for proc in procs:
        proc.start()
    results: dict[int, list[dict[str, Any]]] = {}
    for _ in procs:
        proc_id, records, error = queue.get(timeout=300)
        assert error is None, f"worker {proc_id} failed: {error}"
        results[proc_id] = records
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0

    with app.app_context(), db.session_scope(app) as s:
        page = revisions.get_page(s, Title.new(TITLE))
        rows = {r.rev_id: (r.parent_id, text) for r, text in s.execute(
            select(Revision, Content.text).join(Content, Content.content_id == Revision.content_id)
            .where(Revision.page_id == page.page_id))}
        final_text = revisions.page_text(s, page)
        latest = page.latest
    accepted = [(p, r) for p, recs in results.items() for r in recs if r.get("rev")]
    conflicts = [r for recs in results.values() for r in recs if r.get("conflict")]
    # history: one unbroken chain from the latest revision back to the first, nothing else
    chain, cursor = [], latest
    while cursor is not None:
        chain.append(cursor)
        cursor = rows[cursor][0]
    assert chain[-1] == first and sorted(chain) == sorted(rows)
    assert len(rows) == 1 + len(accepted)
    for proc, rec in accepted:
        parent, text = rows[rec["rev"]]
        assert parent == rec["parent"]
        if rec["merged"]:
            assert parent != rec["base"] and parent > rec["base"]
        else:
            assert parent == rec["base"]
        assert f"slot {proc}: value {rec['i']}" in text.split("\n")
    for proc, recs in results.items():
        own = [r for r in recs if r.get("rev")]
        if own:
            assert f"slot {proc}: value {own[-1]['i']}" in final_text.split("\n")
    merged = [r for _, r in accepted if r["merged"]]
    assert len(accepted) + len(conflicts) + sum(
        1 for recs in results.values() for r in recs if r.get("null")) == PROCESSES * SAVES
    print(f"accepted {len(accepted)} (merged {len(merged)}), conflicts {len(conflicts)}")
    # the race really happened: some saves were merged over someone else's
    assert merged, "no save was ever merged: the processes did not overlap"
