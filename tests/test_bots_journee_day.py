"""bots.journee end to end: our engine on loopback, a scripted collection day (three accounts
edit pages and upload photos through the API; the test then spreads the timestamps over the
day in the database, as if the day had happened), then ``prepare``, ``follow``, ``report`` and
``close`` run with stock pywikibot in a subprocess (fresh PYWIKIBOT_DIR), and the pages they
wrote are checked against what happened."""
from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
import requests

from bots import family
from bots_harness import Api, run_bot
from files_helpers import png

DATA = Path(__file__).resolve().parent / "data" / "journee"
THEME = "Lavoirs"
BOT_PASSWORD = "journee-bot-password-123"
PASSWORDS = {"Anna": "anna-password-123", "Bob": "bob-password-123", "Chloé": "chloe-password-123"}


class Day:
    def __init__(self, pwb: Path, url: str, date: str, app) -> None:  # type: ignore[no-untyped-def]
        self.pwb, self.url, self.date, self.app = pwb, url, date, app
        self.reader = Api(url)
        self.landing = f"Projet:Wiki-journées/{date} {THEME}"

    def run(self, *args: str) -> tuple[int, str]:
        began = time.monotonic()
        result = run_bot(self.pwb, "bots.journee", *args, "--theme", THEME, "--date", self.date, timeout=600)
        print(f"bots.journee {' '.join(args)}: {time.monotonic() - began:.1f} s")
        return result

    def text(self, title: str) -> str:
        return self.reader.page(title)["text"]

    def revisions(self, title: str) -> int:
        return len(self.reader.history(title))

    def upload(self, api: Api, name: str, data: bytes) -> None:
        answer = api.http.post(api.api, data={"action": "upload", "filename": name, "token": api.token,
                                              "text": "Photo de la wiki-journée", "comment": "photo",
                                              "ignorewarnings": "1", "format": "json", "formatversion": "2"},
                               files={"file": (name, data, "image/png")}, timeout=60).json()
        assert answer.get("upload", {}).get("result") == "Success", answer

    def file_revid(self, name: str) -> int:
        return self.reader.page(f"Fichier:{name}")["revid"]

    def shift(self, times: dict[int, float], uploads: dict[str, float]) -> None:
        """Spread the participants' revisions (``rev_id: hour of the day``) and uploads over
        the day; every other revision (the bot's preparation) moves to the evening before."""
        from sqlalchemy import select

        from wikiengine.db import session_scope
        from wikiengine.models import Image, LogEntry, Revision, User

        day = dt.datetime.strptime(self.date, "%Y-%m-%d")
        with self.app.app_context(), session_scope(self.app) as s:
            for rev in s.scalars(select(Revision)).all():
                rev.timestamp = day + dt.timedelta(hours=times[rev.rev_id]) if rev.rev_id in times \
                    else day - dt.timedelta(hours=4) + dt.timedelta(seconds=rev.rev_id)
            for entry in s.scalars(select(LogEntry).where(LogEntry.type == "upload")).all():
                entry.timestamp = day + dt.timedelta(hours=uploads[entry.title.replace("_", " ")])
            for image in s.scalars(select(Image)).all():
                image.timestamp = day + dt.timedelta(hours=uploads[image.name.replace("_", " ")])
            anna = s.scalars(select(User).where(User.name == "Anna")).one()
            anna.registration = day - dt.timedelta(days=400)


@pytest.fixture
def day(app, live_server: str, tmp_path: Path) -> Day:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        users.create_user(s, "JourneeBot", BOT_PASSWORD, groups=["bot", "sysop"])
        for name, password in PASSWORDS.items():
            users.create_user(s, name, password)
    pwb = tmp_path / "pwb"
    family.run([f"-api:{live_server}/w/api.php", "-name:local", "-user:JourneeBot",
                f"-password:{BOT_PASSWORD}", f"-dir:{pwb}", "-default", "-putthrottle:0"])
    return Day(pwb, live_server, dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d"), app)


def _wiki(name: str, date: str) -> str:
    return (DATA / name).read_text(encoding="utf-8").replace("DATE", date).replace("THEME", THEME)


def _figure(text: str, label: str) -> int:
    return int(re.search(rf"^\| {re.escape(label)} \|\| (-?\d+)$", text, re.M).group(1))


def test_collection_day_from_preparation_to_album(day: Day) -> None:
    d = day.date
    # --- preparation -------------------------------------------------------------------------
    rc, out = day.run("prepare", "--topics", str(DATA / "topics_good.csv"), "--place", "Maison de quartier")
    assert rc == 0, out
    landing = day.text(day.landing)
    for topic in ("Lavoir du Pilier Rouge", "Lavoir de Kerinou", "Lavoir de Lambézellec"):
        assert f"* [[{topic}]]" in landing
        assert f"[[Catégorie:Wiki-journée {d} {THEME}]]" in day.text(topic)
    assert "<inputbox>" in landing and f"preload=Modèle:Wiki-journée {THEME}/Nouvelle page" in landing
    assert "Maison de quartier" in landing and "== Inscriptions ==" in landing and "[[Aide:" in landing
    assert "| coordonnées = 48.4012, -4.4785" in day.text("Lavoir du Pilier Rouge")
    assert "[[Catégorie:Lavoirs de Brest]]" in day.text("Lavoir de Lambézellec")
    assert "| architecte = Inconnu" in day.text("Lavoir de Lambézellec")
    assert "<includeonly>" in day.text(f"Modèle:Wiki-journée {THEME}/Nouvelle page")
    assert day.reader.page(f"Catégorie:Wiki-journée {d} {THEME}")["exists"]
    revs_before = {t: day.revisions(t) for t in (day.landing, "Lavoir de Kerinou")}
    rc, out = day.run("prepare", "--topics", str(DATA / "topics_good.csv"), "--place", "Maison de quartier")
    assert rc == 0, out
    assert {t: day.revisions(t) for t in revs_before} == revs_before  # re-run: nothing duplicated

    # --- the day -----------------------------------------------------------------------------
    anna, bob, chloe = (Api(day.url).login(n, p) for n, p in PASSWORDS.items())
    times: dict[int, float] = {anna.edit("Brest", "Ville du Finistère.", "avant"): -24 * 30}
    times[anna.edit("Lavoir du Pilier Rouge", _wiki("pilier.wiki", d))] = 9.1
    day.upload(bob, "Pilier Rouge lavoir.png", png(color=(200, 10, 10)))
    times[day.file_revid("Pilier Rouge lavoir.png")] = 9.6
    times[bob.edit("Lavoir de Saint-Marc", _wiki("saint_marc.wiki", d))] = 10.25
    kerinou = day.text("Lavoir de Kerinou")
    times[chloe.edit("Lavoir de Kerinou", kerinou + (DATA / "kerinou_add.wiki").read_text(encoding="utf-8"))] = 14.3
    times[anna.edit("Lavoir de Saint-Marc", day.text("Lavoir de Saint-Marc").replace(
        "Saint-Marc]].", "Saint-Marc]]. Il a été restauré.", 1))] = 16.5
    day.upload(chloe, "Kerinou.png", png(color=(10, 10, 200)))
    times[day.file_revid("Kerinou.png")] = 16.75
    day.shift(times, {"Pilier Rouge lavoir.png": 9.6, "Kerinou.png": 16.75})

    # what happened, read independently through the API
    sizes = {}
    for title in ("Lavoir du Pilier Rouge", "Lavoir de Kerinou", "Lavoir de Saint-Marc"):
        revs = day.reader.call(action="query", prop="revisions", titles=title, rvprop="size|user",
                               rvlimit="50", rvdir="newer")["query"]["pages"][0]["revisions"]
        sizes[title] = revs[-1]["size"] - (revs[0]["size"] if revs[0]["user"] == "JourneeBot" else 0)
    added = sum(sizes.values())

    # --- follow ------------------------------------------------------------------------------
    rc, out = day.run("follow", "--every", "1s", "--cycles", "2")
    assert rc == 0, out
    assert out.count("cycle ") == 2 and "1 créée(s), 2 améliorée(s), 4 modification(s), 3 participant(s), " \
        "2 photo(s), 1 sujet(s) ouvert(s)" in out, out
    board = day.text(day.landing)
    assert _figure(board, "Pages créées") == 1 and _figure(board, "Pages améliorées") == 2
    assert _figure(board, "Modifications") == 4 and _figure(board, "Photos téléversées") == 2
    assert _figure(board, "Octets ajoutés") == added
    assert _figure(board, "Sujets encore ouverts") == 1 and "; Sujets ouverts : [[Lavoir de Lambézellec]]" in board
    assert board.count("== Tableau de bord ==") == 1

    # --- report ------------------------------------------------------------------------------
    rc, out = day.run("report", "--thank", "-simulate")
    assert rc == 0, out
    assert not day.reader.page(f"{day.landing}/Bilan")["exists"]
    assert not day.reader.page("Discussion utilisateur:Bob")["exists"]
    rc, out = day.run("report", "--thank")
    assert rc == 0, out
    assert "[4/4] Lavoir de Saint-Marc : 2 modification(s)" in out and "à revoir : source, catégorie" in out
    report = day.text(f"{day.landing}/Bilan")
    assert _figure(report, "Pages créées") == 1 and _figure(report, "Modifications") == 4
    assert _figure(report, "Contributeurs et contributrices") == 3
    assert _figure(report, "Nouveaux comptes ou premières contributions") == 2
    assert "; Nouveaux : [[Utilisateur:Bob|Bob]], [[Utilisateur:Chloé|Chloé]]" in report
    assert _figure(report, "Octets ajoutés") == added and _figure(report, "Références ajoutées") == 2
    assert "| [[Utilisateur:Anna|Anna]] || 2 || 0" in report and "| [[Utilisateur:Bob|Bob]] || 1 || 1" in report
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| \[\[([^\]]+)\]\] \|\| [^|]+(?:\|\| [^|]+){3}\|\| (.*)$",
                                                         report, re.M)}
    assert rows["Lavoir du Pilier Rouge"] == "rien", rows
    for issue in ("pas de source", "pas de catégorie", "pas d'image", "très court", "liens rouges"):
        assert issue in rows["Lavoir de Saint-Marc"], rows
    assert "pas de source" in rows["Lavoir de Kerinou"] and "pas de catégorie" in rows["Lavoir de Kerinou"]
    assert "pas de catégorie" not in rows["Lavoir de Lambézellec"]
    assert "{{fullurl:Lavoir de Saint-Marc|action=edit}}" in report
    assert "* [[Lavoir de Saint-Marc]] : [[Rue Inexistante de Saint-Marc]]" in report
    assert "{{#display_map:" in report and "48.3935,-4.4602~Lavoir de Saint-Marc~" in report
    assert "48.4012,-4.4785~Lavoir du Pilier Rouge~" in report
    for kind in ("activité", "contributions"):
        name = f"Fichier:Wiki-journée {d} {THEME} {kind}.svg"
        assert f"[[{name}|thumb" in report
        info = day.reader.call(action="query", prop="imageinfo", titles=name, iiprop="url|mime")
        url = info["query"]["pages"][0]["imageinfo"][0]["url"]
        svg = requests.get(url if url.startswith("http") else day.url + url, timeout=30).content
        if kind == "activité":
            assert b'data-hour="09" data-count="2"' in svg and b'data-hour="16" data-count="2"' in svg
            assert b'data-hour="10" data-count="1"' in svg and b'data-hour="14" data-count="1"' in svg
        else:
            assert b'data-user="Anna" data-count="2"' in svg and b'data-user="Chlo\xc3\xa9" data-count="1"' in svg
    html = requests.get(f"{day.url}/w/index.php", params={"title": f"{day.landing}/Bilan"}, timeout=30).text
    assert "maps-leaflet" in html and ".svg" in html
    assert "Merci pour la wiki-journée" in day.text("Discussion utilisateur:Bob")
    revs = {t: day.revisions(t) for t in (f"{day.landing}/Bilan", "Discussion utilisateur:Bob")}
    rc, out = day.run("report", "--thank")
    assert rc == 0, out
    assert {t: day.revisions(t) for t in revs} == revs
    assert day.revisions(f"Fichier:Wiki-journée {d} {THEME} activité.svg") == 1

    # --- close -------------------------------------------------------------------------------
    rc, out = day.run("close", "--protect")
    assert rc == 0, out
    album = day.text(f"Projet:Wiki-journées/Album {THEME}")
    assert "{{#display_map:" in album and "Lavoir de Saint-Marc~" in album
    gallery = re.search(r"<gallery>\n(.*)\n</gallery>", album, re.S).group(1).splitlines()
    assert sorted(line.split("|")[0] for line in gallery) == ["Fichier:Kerinou.png", "Fichier:Pilier Rouge lavoir.png"]
    assert "Le lavoir du Pilier Rouge est un lavoir public de Brest" in album
    assert "entretenu par le service des espaces verts" not in album  # extracts: first paragraph only
    assert "| [[Lavoir du Pilier Rouge]] || 48.40120, -4.47850 || Anna" in album
    contributors = album.split("== Contributeurs et contributrices ==")[1]
    assert all(f"[[Utilisateur:{n}|{n}]]" in contributors for n in PASSWORDS)
    closed = day.text(day.landing)
    assert "<!-- journee:bandeau -->" not in closed and "== Archive ==" in closed
    assert "1 pages créées, 2 améliorées, 2 photos, par 3 personnes" in closed
    info = day.reader.call(action="query", prop="info", inprop="protection", titles=day.landing)
    assert {"type": "edit", "level": "sysop", "expiry": "infinity"} in info["query"]["pages"][0]["protection"]
    revs = {t: day.revisions(t) for t in (day.landing, f"Projet:Wiki-journées/Album {THEME}")}
    rc, out = day.run("close", "--protect")
    assert rc == 0, out
    assert {t: day.revisions(t) for t in revs} == revs


def test_bad_topics_file_good_lines_still_written(day: Day) -> None:
    rc, out = day.run("prepare", "--topics", str(DATA / "topics_bad.csv"), "-simulate")
    assert rc == 1 and "ligne 3 :" in out, out
    assert not day.reader.page(day.landing)["exists"] and not day.reader.page("Lavoir de Recouvrance")["exists"]
    rc, out = day.run("prepare", "--topics", str(DATA / "topics_bad.csv"))
    assert rc == 1, out
    for number in (3, 4, 5, 7, 8, 9):
        assert f"ligne {number} :" in out
    assert day.reader.page("Lavoir de Recouvrance")["exists"] and day.reader.page("Lavoir de Saint-Pierre")["exists"]
    assert not day.reader.page("Lavoir du Moulin")["exists"]
    assert "* [[Lavoir de Saint-Pierre]]" in day.text(day.landing)
    # the landing page's box leads to an edit form started from the preload template
    html = requests.get(f"{day.url}/w/index.php", params={"title": day.landing}, timeout=30).text
    assert 'name="preload"' in html and "Nouvelle page" in html
    form = requests.get(f"{day.url}/w/index.php", timeout=30, params={
        "title": "Lavoir neuf", "action": "edit", "preload": f"Modèle:Wiki-journée {THEME}/Nouvelle page"}).text
    assert "{{Fiche wiki-journée" in form and "includeonly" not in form
    assert f"[[Catégorie:Wiki-journée {day.date} {THEME}]]" in form
    rc, out = day.run("prepare", "--topics", str(DATA / "topics_no_title.csv"))
    assert rc == 2 and "colonne(s) manquante(s) : titre" in out, out
    Api(day.url).login("Bob", PASSWORDS["Bob"]).edit("Lavoir sans catégorie", "Un lavoir.")
    rc, out = day.run("report", "-page:Lavoir sans catégorie")
    assert rc == 0, out
    report = day.text(f"{day.landing}/Bilan")
    assert "| [[Lavoir sans catégorie]] || créée || 1 ||" in report and _figure(report, "Pages créées") == 1
    rc, out = day.run("report", "-nosuchgenerator:x")
    assert rc == 2 and "option inconnue : -nosuchgenerator:x" in out, out
    rc, out = run_bot(day.pwb, "bots.journee", "follow", "--theme", "Inconnu", "--date", day.date, "--cycles", "1")
    assert rc == 2 and "lancez d'abord prepare" in out, out
    import shutil

    from bots_harness import free_port

    dead = day.pwb.parent / "pwb-dead"
    shutil.copytree(day.pwb, dead)
    fam = dead / "families" / "local_family.py"
    fam.write_text(re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{free_port()}", fam.read_text()))
    began = time.monotonic()
    rc, out = run_bot(dead, "bots.journee", "report", "--theme", THEME, "--date", day.date)
    assert rc == 2 and "le wiki injoignable" in out and "Traceback" not in out, out
    assert time.monotonic() - began < 60


class SwitchProxy:
    """A loopback HTTP proxy in front of the wiki that can be switched off (connections closed
    without an answer, as while the wiki restarts) and on again."""

    def __init__(self, target: str) -> None:
        import http.server
        import threading

        self.target, self.down, self.refused = target, False, 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.down:
                    proxy.refused += 1
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(self.command, proxy.target + self.path, data=body or None,
                                          headers=headers, timeout=120, allow_redirects=False)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() in ("set-cookie", "location", "content-type"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = _forward

            def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_follow_survives_a_wiki_restart(day: Day, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    rc, out = day.run("prepare")
    assert rc == 0, out
    proxy = SwitchProxy(day.url)
    pwb = tmp_path / "pwb-proxy"
    family.run([f"-api:{proxy.url}/w/api.php", "-name:local", "-user:JourneeBot",
                f"-password:{BOT_PASSWORD}", f"-dir:{pwb}", "-default", "-putthrottle:0"])
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "PYWIKIBOT_DIR": str(pwb),
           "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "bots.journee", "follow", "--theme", THEME, "--date", day.date,
                             "--every", "2s", "--cycles", "3", "--retry-wait", "1s"],
                            cwd=Path(__file__).resolve().parents[1], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "cycle 1 :" in line:
                proxy.down = True
                time.sleep(20)  # longer than pywikibot's own retries (2 + 4 + 8 s)
                proxy.down = False
        assert proc.wait(timeout=300) == 0, "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
        proxy.close()
    out = "".join(lines)
    # pywikibot retried (and logged) the refused requests, then gave up; the loop waited and
    # went on to its third update
    assert proxy.refused > 0 and "cycle 3 :" in out and "wiki injoignable ou en erreur" in out, out
    assert "== Tableau de bord ==" in day.text(day.landing)
