"""End to end: ``python -m bots.sync`` with stock pywikibot between a real MediaWiki 1.39 (the
stand-in for Wikipedia, ../shared/oracle/mediawiki.sh) and our engine served on loopback.

Each test writes its own pages on the stand-in (titles carry a name unique to the test) and gets
a fresh local wiki and PYWIKIBOT_DIR; the bot runs in a subprocess as a facilitator would run it.
"""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from bots import family
from bots_harness import (ORACLE_BOT, ROOT, Api, FlakyProxy, data, mediawiki_installed, run_bot, start_oracle,
                          stop_oracle)
from conftest import require, shared_path

BOT_PASSWORD = "sync-bot-password-123"
HABITANTE_PASSWORD = "habitante-password-123"
STATE = "Projet:Synchronisation/état"
REPORT = "Projet:Synchronisation"


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory):
    require(mediawiki_installed(), "real MediaWiki 1.39", "../shared/oracle/mediawiki.sh install")
    shared_path("oracle", "mediawiki.sh")
    datadir = tmp_path_factory.mktemp("mw-oracle")
    url = start_oracle(datadir)
    yield url
    stop_oracle(datadir)


@pytest.fixture(scope="session")
def upstream(oracle: str) -> Api:
    return Api(oracle).login(*ORACLE_BOT)


class Sync:
    """One test's setting: the local wiki, its PYWIKIBOT_DIR, the stand-in and a unique name."""

    def __init__(self, pwb: Path, local: Api, upstream: Api, url: str) -> None:
        self.pwb, self.local, self.upstream, self.url = pwb, local, upstream, url
        self.p = "T" + uuid.uuid4().hex[:6]

    def run(self, *args: str) -> tuple[int, str]:
        return run_bot(self.pwb, "bots.sync", *args, "-source:oracle:en", "-prefix:w:en")

    def seed(self, *pages: str) -> dict[str, int]:
        """Write the templates and the given pages (data file names) on the stand-in."""
        p = self.p
        for name, title in (("pays.wiki", f"Template:Ville {p}/pays"), ("ville.wiki", f"Template:Ville {p}"),
                            ("infobox.wiki", f"Template:Infobox {p}")):
            self.upstream.edit(title, data(name, p))
        self.upstream.edit(f"Category:{p} ponts", f"[[Category:{p} quartiers]]")
        titles = {"article.wiki": f"Recouvrance {p}", "pont.wiki": f"Pont de Recouvrance {p}"}
        return {titles[n]: self.upstream.edit(titles[n], data(n, p)) for n in pages}

    def state(self) -> dict:
        text = self.local.page(STATE)["text"]
        return json.loads(re.search(r"<pre>\n(.*)\n</pre>", text, re.S).group(1))["pages"]


@pytest.fixture
def sync(app, live_server: str, oracle: str, upstream: Api, tmp_path: Path) -> Sync:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "SyncBot", BOT_PASSWORD, groups=["bot"])
        users.create_user(s, "Habitante", HABITANTE_PASSWORD)
    pwb = tmp_path / "pwb"
    family.run([f"-api:{live_server}/w/api.php", "-name:local", "-user:SyncBot",
                f"-password:{BOT_PASSWORD}", f"-dir:{pwb}", "-default", "-putthrottle:0"])
    family.run([f"-api:{oracle}/w/api.php", "-name:oracle", "-user:Admin",
                f"-botpassword:oracle:{ORACLE_BOT[1]}", f"-dir:{pwb}", "-putthrottle:0"])
    return Sync(pwb, Api(live_server), upstream, live_server)


def test_pull_category_with_templates_and_attribution(sync: Sync) -> None:
    p = sync.p
    revs = sync.seed("article.wiki", "pont.wiki")
    rc, out = sync.run("pull", f"-cat:{p} quartiers", "-simulate")
    assert rc == 0 and "[1/1] Recouvrance" in out, out  # the bridge is in a subcategory
    rc, out = sync.run("pull", f"-cat:{p} quartiers", "-depth:1")
    assert rc == 0, out
    assert "[2/2]" in out
    page = sync.local.page(f"Recouvrance {p}")
    assert page["comment"] == f"Importé depuis [[w:en:Recouvrance {p}]] (révision {revs[f'Recouvrance {p}']})"
    assert page["user"] == "SyncBot"
    # links: missing locally -> interwiki to the source; pulled together -> kept local
    assert "[[w:en:Penfeld|Penfeld]]" in page["text"]
    assert f"[[w:en:Rue de la Porte {p}|rue de la Porte]]" in page["text"]
    assert f"[[Pont de Recouvrance {p}]]" in page["text"]
    for tpl in (f"Modèle:Infobox {p}", f"Modèle:Ville {p}", f"Modèle:Ville {p}/pays"):
        assert sync.local.page(tpl)["exists"], tpl
        assert sync.local.page(tpl)["comment"].startswith("Importé depuis [[w:en:Template:")
    talk = sync.local.page(f"Discussion:Recouvrance {p}")["text"]
    assert "CC BY-SA 4.0" in talk and "{{Source synchronisée|site=oracle:en" in talk
    assert f"action=history" in talk and f"révision={revs[f'Recouvrance {p}']}" in talk
    entry = sync.state()[f"Recouvrance {p}"]
    assert entry["source_revid"] == revs[f"Recouvrance {p}"] and entry["source_timestamp"]
    assert "Penfeld" in entry["rewritten"]
    report = sync.local.page(REPORT)["text"]
    assert f"[[Recouvrance {p}]] || à jour" in report
    assert f"== Fichiers à importer ==\n\n* [[w:en:File:Pont {p}.jpg]]" in report
    assert sync.state()[f"Pont de Recouvrance {p}"]["files"] == [f"File:Pont {p}.jpg"]
    # idempotent: a second pull changes nothing
    before = len(sync.local.history(f"Recouvrance {p}"))
    rc, out = sync.run("pull", f"-cat:{p} quartiers", "-depth:1")
    assert rc == 0 and "déjà suivie" in out, out
    assert len(sync.local.history(f"Recouvrance {p}")) == before


def _edit_paragraph(text: str, old: str, new: str) -> str:
    assert old in text, (old, text)
    return text.replace(old, new)


def test_update_fast_forward_merge_and_conflict(sync: Sync) -> None:
    p = sync.p
    title = f"Pont de Recouvrance {p}"
    sync.seed("pont.wiki")
    assert sync.run("pull", f"-page:{title}")[0] == 0
    # 1. upstream edit only: fast-forward
    up = _edit_paragraph(data("pont.wiki", p), "en 1954.", "en 1954 par René Coty.")
    rev = sync.upstream.edit(title, up)
    rc, out = sync.run("status")
    assert rc == 0 and re.search(rf"{title}\s+en retard", out), out
    rc, out = sync.run("update")
    assert rc == 0 and "avance rapide" in out, out
    local = sync.local.page(title)
    assert "par René Coty" in local["text"]
    assert local["comment"] == f"Mis à jour depuis [[w:en:{title}]] (révision {rev})"
    # 2. local and upstream edits on different paragraphs: clean three-way merge
    hab = Api(sync.url).login("Habitante", HABITANTE_PASSWORD)
    hab.edit(title, _edit_paragraph(local["text"], "pont levant", "pont levant (le plus grand d'Europe)"))
    up2 = _edit_paragraph(up, "par René Coty.", "par René Coty.\n\nIl a été rénové en 2011.")
    rev2 = sync.upstream.edit(title, up2)
    rc, out = sync.run("update")
    assert rc == 0 and "fusion à trois voies" in out, out
    merged = sync.local.page(title)
    assert "le plus grand d'Europe" in merged["text"] and "rénové en 2011" in merged["text"]
    assert merged["comment"].startswith(f"Fusion avec [[w:en:{title}]] (révision {rev2})")
    # 3. same paragraph on both sides: conflict recorded, local text kept
    hab.edit(title, _edit_paragraph(merged["text"], "rénové en 2011", "rénové en 2011 et repeint"))
    kept = sync.local.page(title)
    sync.upstream.edit(title, _edit_paragraph(up2, "rénové en 2011", "rénové entre 2010 et 2011"))
    rc, out = sync.run("update")
    assert rc == 0 and "CONFLIT" in out, out
    assert sync.local.page(title)["revid"] == kept["revid"]
    report = sync.local.page(REPORT)["text"]
    assert "=== [[" + title + "]] ===" in report
    assert "+Il a été rénové en 2011 et repeint." in report
    assert "+Il a été rénové entre 2010 et 2011." in report
    assert sync.state()[title]["status"] == "conflict"
    rc, out = sync.run("status")
    assert rc == 0 and re.search(rf"{title}\s+conflit", out), out
    # re-running keeps the conflict without a new revision
    rc, out = sync.run("update")
    assert "conflit toujours ouvert" in out and sync.local.page(title)["revid"] == kept["revid"]
    # the facilitator settles it by hand, then marks it resolved: in sync again, nothing rewritten
    assert sync.run("resolve", f"-page:{title}")[0] == 0
    assert sync.state()[title]["status"] == "ok"
    rc, out = sync.run("update")
    assert rc == 0 and "déjà à jour" in out and sync.local.page(title)["revid"] == kept["revid"], out
    assert "Aucun conflit ouvert." in sync.local.page(REPORT)["text"]
    rc, out = sync.run("resolve", f"-page:{title}")
    assert rc == 1 and "pas de conflit ouvert" in out


def test_upstream_moved_and_deleted(sync: Sync) -> None:
    p = sync.p
    sync.seed("article.wiki", "pont.wiki")
    assert sync.run("pull", f"-cat:{p} quartiers", "-depth:1")[0] == 0
    sync.upstream.move(f"Pont de Recouvrance {p}", f"Pont levant de Recouvrance {p}")
    sync.upstream.delete(f"Recouvrance {p}")
    rc, out = sync.run("update")
    assert rc == 0, out
    state = sync.state()
    assert state[f"Pont de Recouvrance {p}"]["source_title"] == f"Pont levant de Recouvrance {p}"
    assert state[f"Recouvrance {p}"]["status"] == "deleted"
    assert sync.local.page(f"Recouvrance {p}")["exists"]
    report = sync.local.page(REPORT)["text"]
    assert f"déplacée en amont vers [[w:en:Pont levant de Recouvrance {p}]]" in report
    assert f"[[w:en:Recouvrance {p}]] supprimée en amont" in report
    rc, out = sync.run("status")
    assert re.search(rf"Recouvrance {p}\s+supprimée en amont", out), out


def test_push_simulate_confirm_and_refusals(sync: Sync) -> None:
    p = sync.p
    title = f"Pont de Recouvrance {p}"
    sync.seed("pont.wiki")
    assert sync.run("pull", f"-page:{title}", "-allowpush")[0] == 0
    hab = Api(sync.url).login("Habitante", HABITANTE_PASSWORD)
    local = sync.local.page(title)["text"]
    hab.edit(title, local.replace("en 1954.", "en 1954, au-dessus de la Penfeld."))
    before = sync.upstream.page(title)
    # an author who did not agree to CC BY-SA: refused (the diff is still shown)
    rc, out = sync.run("push", "-confirm")
    assert rc == 1 and "auteurs sans accord CC BY-SA" in out and "Habitante" in out, out
    assert "+Il a été inauguré en 1954, au-dessus de la Penfeld." in out
    assert sync.upstream.page(title)["revid"] == before["revid"]
    hab.edit(f"{REPORT}/Auteurs CC BY-SA", data("agreement.wiki", p))
    # default: simulate, prints the diff, writes nothing
    rc, out = sync.run("push")
    assert rc == 0 and "+Il a été inauguré en 1954, au-dessus de la Penfeld." in out, out
    assert "rien n'est écrit" in out
    assert sync.upstream.page(title)["revid"] == before["revid"]
    # once she agreed: the change arrives on the source, attributed
    rc, out = sync.run("push", "-confirm")
    assert rc == 0, out
    after = sync.upstream.page(title)
    assert "au-dessus de la Penfeld" in after["text"] and "[[w:en:" not in after["text"]
    assert "Amélioration proposée depuis" in after["comment"] and "Habitante" in after["comment"]
    assert "CC BY-SA 4.0" in after["comment"]
    assert sync.state()[title]["source_revid"] == after["revid"]
    # a page declared CC BY-ND locally: refused
    hab.edit(title, sync.local.page(title)["text"] + "\n{{Licence|CC BY-ND 4.0}}\n")
    rc, out = sync.run("push", "-confirm")
    assert rc == 1 and "licence locale incompatible avec CC BY-SA : CC BY-ND 4.0" in out, out
    assert sync.upstream.page(title)["revid"] == after["revid"]
    rc, out = sync.run("status")
    assert re.search(rf"{title}\s+en avance \(licence !\)", out), out
    assert f"* [[{title}]] déclare CC BY-ND 4.0 : une page reprise de" in sync.local.page(REPORT)["text"]


def test_interrupted_pull_resumed(sync: Sync) -> None:
    p = sync.p
    sync.seed("article.wiki", "pont.wiki")
    env_run = [sys.executable, "-m", "bots.sync", "pull", f"-cat:{p} quartiers", "-depth:1",
               "-source:oracle:en", "-prefix:w:en"]
    proc = subprocess.Popen(env_run, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYWIKIBOT_DIR": str(sync.pwb), "HOME": str(sync.pwb)})
    deadline = time.time() + 120
    seen = ""
    while time.time() < deadline:
        line = proc.stdout.readline()
        seen += line
        if "modèle importé" in line or not line:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert "modèle importé" in seen, seen
    rc, out = sync.run("pull", f"-cat:{p} quartiers", "-depth:1")
    assert rc == 0, out
    state = sync.state()
    for title in (f"Recouvrance {p}", f"Pont de Recouvrance {p}"):
        history = sync.local.history(title)
        assert len(history) == 1 and history[0]["comment"].startswith("Importé depuis"), history
        assert title in state
    # an update stopped after saving the page and before writing the state: the next run
    # records the sync without a second revision
    title = f"Pont de Recouvrance {p}"
    new = data("pont.wiki", p).replace("en 1954.", "en 1954 (mise à jour).")
    rev = sync.upstream.edit(title, new)
    bot = Api(sync.url).login("SyncBot", BOT_PASSWORD)
    bot.edit(title, new, f"Mis à jour depuis [[w:en:{title}]] (révision {rev})")
    count = len(sync.local.history(title))
    rc, out = sync.run("update", f"-page:{title}")
    assert rc == 0, out
    assert len(sync.local.history(title)) == count
    assert sync.state()[title]["source_revid"] == rev and sync.state()[title]["status"] == "ok"


def test_bad_input(sync: Sync, tmp_path: Path) -> None:
    p = sync.p
    rc, out = sync.run("pull", f"-page:Absente {p}")
    assert rc == 2 and f"pages absentes de la source : Absente {p}" in out, out
    assert not sync.local.page(STATE)["exists"] and not sync.local.page(f"Absente {p}")["exists"]
    rc, out = sync.run("pull", "-page:Titre[invalide]")
    assert rc == 2 and "bots.sync" in out and "Traceback" not in out, out
    rc, out = sync.run("frobnicate")
    assert rc == 2 and "commande attendue" in out
    # a local page that is not tracked is never overwritten
    sync.seed("pont.wiki")
    sync.local.login("SyncBot", BOT_PASSWORD).edit(f"Pont de Recouvrance {p}", "Texte local.")
    rc, out = sync.run("pull", f"-page:Pont de Recouvrance {p}")
    assert rc == 1 and "existe déjà sur le wiki local sans être suivie" in out, out
    assert sync.local.page(f"Pont de Recouvrance {p}")["text"] == "Texte local."
    # unreachable source: clear message, nothing written
    dead = tmp_path / "dead"
    family.run([f"-api:{sync.url}/w/api.php", "-name:local", "-user:SyncBot",
                f"-password:{BOT_PASSWORD}", f"-dir:{dead}", "-default", "-putthrottle:0"])
    (dead / "families" / "oracle_family.py").write_text(
        (sync.pwb / "families" / "oracle_family.py").read_text().replace(
            re.search(r"127\.0\.0\.1:\d+", (sync.pwb / "families" / "oracle_family.py").read_text()).group(0),
            "127.0.0.1:9"))
    rc, out = run_bot(dead, "bots.sync", "pull", "-page:Brest", "-source:oracle:en")
    assert rc == 2 and "la source injoignable" in out, out
    local_family = dead / "families" / "local_family.py"
    local_family.write_text(re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:9", local_family.read_text()))
    rc, out = run_bot(dead, "bots.sync", "status", "-source:oracle:en")
    assert rc == 2 and "le wiki local injoignable" in out and "Traceback" not in out, out
    # no configuration at all: told to run bots.family, nothing contacted
    empty = tmp_path / "vide"
    empty.mkdir()
    rc, out = run_bot(empty, "bots.sync", "status")
    assert rc == 2 and "lancez d'abord python -m bots.family" in out, out


def test_pull_simulate_writes_nothing_and_red_links(sync: Sync, tmp_path: Path) -> None:
    p = sync.p
    sync.seed("article.wiki")
    rc, out = sync.run("pull", f"-page:Recouvrance {p}", "-simulate")
    assert rc == 0 and "simulation" in out, out
    for title in (f"Recouvrance {p}", f"Modèle:Infobox {p}", STATE, REPORT, f"Discussion:Recouvrance {p}"):
        assert not sync.local.page(title)["exists"], title
    titles = tmp_path / "titres.txt"
    titles.write_text(data("titles.txt", p), encoding="utf-8")
    rc, out = sync.run("pull", f"-file:{titles}", "-links:red")
    assert rc == 0, out
    text = sync.local.page(f"Recouvrance {p}")["text"]
    assert "[[Penfeld]]" in text and "w:en:" not in text
    assert sync.state()[f"Recouvrance {p}"]["rewritten"] == []


class TestTooLarge:
    @pytest.fixture
    def app_config(self, app_config: dict) -> dict:
        app_config["MAX_ARTICLE_SIZE"] = 3000
        return app_config

    def test_page_too_large_is_reported_and_not_tracked(self, sync: Sync) -> None:
        p = sync.p
        sync.seed("pont.wiki")
        big = f"Grande page {p}"
        sync.upstream.edit(big, data("pont.wiki", p) + "\nUn paragraphe de plus.\n" * 200)
        rc, out = sync.run("pull", f"-page:Pont de Recouvrance {p}", f"-page:{big}")
        assert rc == 1 and f"{big} : échec" in out, out
        assert not sync.local.page(big)["exists"]
        state = sync.state()
        assert big not in state and f"Pont de Recouvrance {p}" in state
        assert f"[[{big}]] : échec" in sync.local.page(REPORT)["text"]


def test_pull_full_history_through_the_dumps_importer(sync: Sync, app, tmp_path: Path) -> None:
    from dumps.loader import ImportOptions, import_dump

    p = sync.p
    title = f"Pont de Recouvrance {p}"
    sync.seed("pont.wiki")
    sync.upstream.edit(title, data("pont.wiki", p).replace("en 1954.", "en 1954 (deuxième version)."))
    dump = tmp_path / "historique.xml"
    rc, out = sync.run("pull", f"-page:{title}", f"-history:{dump}")
    assert rc == 0 and f"wikiengine import-dump {dump}" in out, out
    assert not sync.local.page(title)["exists"]
    assert dump.read_text(encoding="utf-8").count("<revision>") >= 5  # 2 + the 3 templates
    with app.app_context():
        import_dump(app, dump, ImportOptions(comment="test"), lambda report, phase: None)
    rc, out = sync.run("pull", f"-page:{title}")
    assert rc == 0 and "reprise" in out, out
    assert len(sync.local.history(title)) == 2
    assert sync.state()[title]["source_revid"] == sync.upstream.page(title)["revid"]
    assert sync.local.page(f"Modèle:Infobox {p}")["exists"]


def test_busy_source_maxlag_and_errors_are_retried(sync: Sync) -> None:
    p = sync.p
    sync.seed("pont.wiki")
    fam = sync.pwb / "families" / "oracle_family.py"
    source = fam.read_text()
    origin = re.search(r"127\.0\.0\.1:(\d+)", source)
    proxy = FlakyProxy(f"http://{origin.group(0)}", maxlag=2, errors=1)
    try:
        fam.write_text(source.replace(origin.group(0), f"127.0.0.1:{proxy.port}"))
        rc, out = sync.run("pull", f"-page:Pont de Recouvrance {p}")
    finally:
        proxy.close()
    assert rc == 0, out
    assert proxy.injected == ["maxlag", "maxlag", "503"]
    # a descriptive User-Agent with the contact written by bots.family, on every request
    assert proxy.agents and all("wikiengine-sync (bots.sync; contact:" in a for a in proxy.agents), proxy.agents
    assert sync.local.page(f"Pont de Recouvrance {p}")["comment"].startswith("Importé depuis")
