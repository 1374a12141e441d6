"""End to end: ``python -m bots.sync pull -history:import`` (stock pywikibot) sends the full
history of the pulled pages and their templates from the stand-in for Wikipedia (the real
MediaWiki 1.39) straight to our wiki through ``action=import``, then tracks the pages as an
ordinary pull does. The fixtures are those of ``test_bots_sync``."""
from __future__ import annotations

from bots_harness import data
from test_bots_sync import Sync, oracle, sync, upstream  # noqa: F401  (fixtures)


def _authors(sync: Sync, title: str) -> list[str]:
    return [r["user"] for r in reversed(sync.local.history(title))]


def test_pull_imports_the_full_history_through_the_api(sync: Sync, app) -> None:
    p = sync.p
    title = f"Pont de Recouvrance {p}"
    sync.seed("pont.wiki")
    upstream_rev = sync.upstream.edit(
        title, data("pont.wiki", p).replace("en 1954.", "en 1954 (deuxième version)."))
    # simulated: the history is read, nothing is written
    rc, out = sync.run("pull", f"-page:{title}", "-history:import", "-simulate")
    assert rc == 0 and "simulation : l'historique de 1 page(s)" in out, out
    assert not sync.local.page(title)["exists"]
    # the bot's group may not import: a clear refusal, nothing written
    rc, out = sync.run("pull", f"-page:{title}", "-history:import")
    assert rc == 2 and "n'a pas le droit d'importer (importupload)" in out, out
    assert not sync.local.page(title)["exists"]
    app.config["GROUP_PERMISSIONS"] = {"bot": {"importupload": True}}
    rc, out = sync.run("pull", f"-page:{title}", "-history:import")
    assert rc == 0, out
    assert "historique importé sur le wiki local : 4 page(s), 5 révision(s) ajoutée(s)" in out
    assert "reprise de l'historique importé" in out
    # every upstream revision, with its upstream author under the source's prefix
    assert _authors(sync, title) == ["w:en>Admin", "w:en>Admin"]
    assert sync.local.page(title)["text"] == sync.upstream.page(title)["text"]
    assert _authors(sync, f"Modèle:Infobox {p}") == ["w:en>Admin"]
    state = sync.state()
    assert state[title]["source_revid"] == upstream_rev
    log = sync.local.call(action="query", list="logevents", letype="import",
                          lelimit="10")["query"]["logevents"]
    assert {e["title"] for e in log} >= {title, f"Modèle:Infobox {p}"}
    assert all(e["user"] == "SyncBot" for e in log)
    # again: nothing added, the page stays tracked once
    rc, out = sync.run("pull", f"-page:{title}", "-history:import")
    assert rc == 0 and "0 révision(s) ajoutée(s)" in out and "déjà suivie" in out, out
    assert len(sync.local.history(title)) == 2
