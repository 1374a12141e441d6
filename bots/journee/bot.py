"""The pywikibot bots of ``bots.journee`` and the four commands.

Owns ``WriterBot`` (a ``CurrentPageBot`` that writes computed texts, skipping unchanged pages
so that every command can be re-run), the chart uploads (skipped when the same bytes are
already there), the thanks, the protection, and the ``follow`` loop with its backoff.
``-simulate`` is honoured by pywikibot for edits; uploads and protection check it here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import time
from pathlib import Path
from typing import Callable

import pywikibot
from pywikibot.bot import CurrentPageBot, SingleSiteBot

from . import charts, pages
from .activity import Activity, collect, window
from .topics import TopicsFile, read_topics
from .wikitext import Day, category_page, factsheet_template, landing, preload_template, stub, \
    replace_block, topics_from_landing

SUMMARY = "bots.journee : {}"
NETWORK_ERRORS: tuple[type[BaseException], ...] = (pywikibot.exceptions.Error, OSError)
try:
    import requests
    NETWORK_ERRORS += (requests.exceptions.RequestException,)
except ImportError:  # pragma: no cover - pywikibot always brings requests
    pass


class JourneeError(Exception):
    """A clear message for the facilitator; the command stops with exit status 2."""


def check_reachable() -> None:
    """Fail fast when the configured wiki does not answer (bots.sync's TCP check, reused),
    before pywikibot retries for half a minute; raises JourneeError."""
    from bots.sync.core import SyncError, check_reachable as check

    try:
        check(pywikibot.config.family, pywikibot.config.mylang, "le wiki")
    except SyncError as exc:
        raise JourneeError(str(exc)) from exc


class WriterBot(CurrentPageBot, SingleSiteBot):
    """Write ``texts[title](old_text)`` on each page; ``only_missing`` creates but never edits."""

    update_options = {"summary": "", "only_missing": False}

    def __init__(self, site: pywikibot.site.APISite, texts: dict[str, Callable[[str], str]], **kwargs) -> None:
        self.texts = {pywikibot.Page(site, t).title(): f for t, f in texts.items()}
        super().__init__(site=site, generator=[pywikibot.Page(site, t) for t in self.texts],
                         always=True, **kwargs)
        self.written: list[str] = []

    def treat_page(self) -> None:
        page = self.current_page
        exists = page.exists()
        if self.opt.only_missing and exists:
            pywikibot.info(f"{page.title()} : existe déjà, laissée telle quelle")
            return
        old = page.text if exists else ""
        if self.put_current(self.texts[page.title()](old), summary=self.opt.summary):
            self.written.append(page.title())


def write(site: pywikibot.site.APISite, texts: dict[str, Callable[[str], str]], what: str,
          only_missing: bool = False) -> list[str]:
    bot = WriterBot(site, texts, summary=SUMMARY.format(what), only_missing=only_missing)
    bot.run()
    return bot.written


class Journee:
    """One wiki-journée on the configured site."""

    def __init__(self, day: Day, since: str = "", until: str = "", short: int = 600) -> None:
        self.day, self.short = day, short
        try:
            self.start, self.end = window(day.date, since, until)
        except ValueError as exc:
            raise JourneeError(f"date ou période invalide : {exc} (attendu : --date AAAA-MM-JJ)") from exc
        try:
            self.site = pywikibot.Site()
            self.site.login()
        except pywikibot.exceptions.Error as exc:
            raise JourneeError(f"connexion au wiki impossible : {exc} (lancez d'abord python -m bots.family)") from exc
        self.site.throttle.set_delays(writedelay=0)
        self.simulate = bool(pywikibot.config.simulate)
        self.extra: list[str] = []  # pages named on the command line (GeneratorFactory)

    # --- prepare -------------------------------------------------------------------------------
    def prepare(self, topics_path: str = "", stubs: bool = True) -> TopicsFile:
        day, site = self.day, self.site
        found = read_topics(topics_path) if topics_path else TopicsFile()
        for error in found.errors:
            pywikibot.warning(error)
        page = pywikibot.Page(site, day.landing)
        listed = topics_from_landing(page.text) if page.exists() else []
        titles = list(dict.fromkeys(listed + [pywikibot.Page(site, t.title).title() for t in found.topics]))
        write(site, {day.factsheet: lambda old: factsheet_template(),
                     day.preload: lambda old: preload_template(day)}, "modèles de la wiki-journée", only_missing=True)
        write(site, {day.category: lambda old: old or category_page(day),
                     day.landing: lambda old: landing(day, titles, old)}, "page d'accueil de la wiki-journée")
        if stubs and found.topics:
            texts = {t.title: (lambda old, t=t: stub(day, t)) for t in found.topics}
            written = write(site, texts, f"ébauche pour la wiki-journée du {day.date}", only_missing=True)
            pywikibot.info(f"{len(written)} ébauche(s) créée(s) sur {len(found.topics)} sujet(s)")
        return found

    # --- shared --------------------------------------------------------------------------------
    def titles(self) -> list[str]:
        page = pywikibot.Page(self.site, self.day.landing)
        if not page.exists():
            raise JourneeError(f"la page d'accueil {self.day.landing} n'existe pas : lancez d'abord prepare")
        members = [p.title() for p in pywikibot.Category(self.site, self.day.category).articles(namespaces=[0])]
        day = {self.day.landing, self.day.report, self.day.album}
        return [t for t in dict.fromkeys(topics_from_landing(page.text) + members + self.extra) if t not in day]

    def activity(self, checklist: bool = False) -> Activity:
        charts_files = {self.day.chart("activité"), self.day.chart("contributions")}
        return collect(self.site, self.titles(), self.start, self.end, bot_user=self.site.username(),
                       exclude_files=charts_files, short=self.short, day_category=self.day.category,
                       checklist=checklist)

    # --- follow --------------------------------------------------------------------------------
    def follow_once(self) -> Activity:
        act = self.activity()
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
        text = pages.board(act, when)
        write(self.site, {self.day.landing: lambda old: replace_block(old, "tableau", text, after="bandeau")},
              "tableau de bord")
        return act

    def follow(self, every: float, cycles: int = 0, retry_wait: float = 5.0,
               sleep: Callable[[float], None] = time.sleep) -> int:
        """Update the board every ``every`` seconds (``cycles`` times, 0 = until Ctrl-C)."""
        done = failures = 0
        while not cycles or done < cycles:
            try:
                act = self.follow_once()
            except NETWORK_ERRORS as exc:
                failures += 1
                wait = min(every or retry_wait, retry_wait * 2 ** (failures - 1))
                pywikibot.warning(f"wiki injoignable ou en erreur ({type(exc).__name__}: {exc}) ; "
                                  f"nouvel essai dans {wait:.0f} s (échec n° {failures})")
                sleep(wait)
                continue
            failures = 0
            done += 1
            pywikibot.info(f"[{dt.datetime.now():%H:%M:%S}] cycle {done} : {len(act.created)} créée(s), "
                           f"{len(act.improved)} améliorée(s), {len(act.edits)} modification(s), "
                           f"{len(act.contributors)} participant(s), {len(act.uploads)} photo(s), "
                           f"{len(act.open_topics)} sujet(s) ouvert(s)")
            if not cycles or done < cycles:
                sleep(every)
        return done

    # --- report --------------------------------------------------------------------------------
    def upload(self, title: str, data: bytes, description: str) -> None:
        page = pywikibot.FilePage(self.site, title)
        if page.exists() and page.latest_file_info.sha1 == hashlib.sha1(data).hexdigest():
            pywikibot.info(f"{title} : inchangé")
            return
        if self.simulate:
            pywikibot.info(f"{title} : serait téléversé (simulation)")
            return
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "chart.svg"
            path.write_bytes(data)
            ok = page.upload(str(path), comment=SUMMARY.format("graphique"), text=description,
                             ignore_warnings=True, report_success=False)
        if not ok:
            raise JourneeError(f"téléversement de {title} refusé par le wiki")
        pywikibot.info(f"{title} : téléversé")

    def report(self, thank: bool = False) -> Activity:
        day = self.day
        act = self.activity(checklist=True)
        desc = (f"Graphique de la [[{day.report}|wiki-journée du {day.date}]], produit par bots.journee.\n\n"
                "[[Catégorie:Wiki-journées]]")
        self.upload(day.chart("activité"), charts.hourly(f"Activité — {day.theme} ({day.date})", act.start,
                                                         act.end, [t for t, _, _ in act.edits + act.uploads]), desc)
        self.upload(day.chart("contributions"), charts.per_person(f"Contributions — {day.theme}",
                                                                  act.per_person()), desc)
        text = pages.report(day, act, [day.chart("activité"), day.chart("contributions")])
        write(self.site, {day.report: lambda old: text}, "bilan")
        if thank:
            heading, body = pages.thanks(day)

            def add(old: str) -> str:
                return old if f"== {heading} ==" in old else (old.rstrip() + f"\n\n== {heading} ==\n{body}\n").lstrip()
            write(self.site, {f"Discussion utilisateur:{u}": add for u in act.contributors}, "remerciements")
        return act

    # --- close ---------------------------------------------------------------------------------
    def close(self, protect: bool = False) -> Activity:
        day = self.day
        act = self.activity()
        charts_files = {day.chart("activité"), day.chart("contributions")}
        photos = list(dict.fromkeys([f for _, _, f in act.uploads] +
                                    [i for p in act.pages for i in p.images if i not in charts_files]))
        write(self.site, {day.album: lambda old: pages.album(day, act, photos)}, "album")
        summary = pages.archive(day, act)

        def archived(old: str) -> str:
            text = old.replace("<!-- journee:bandeau -->", "<!-- journee:archive -->", 1).replace(
                "<!-- /journee:bandeau -->", "<!-- /journee:archive -->", 1)
            return replace_block(text, "archive", summary)
        write(self.site, {day.landing: archived}, "archivage de la page d'accueil")
        if protect:
            page = pywikibot.Page(self.site, day.landing)
            if self.simulate:
                pywikibot.info(f"{day.landing} : serait protégée (simulation)")
            elif page.protection().get("edit", ("",))[0] != "sysop":
                self.site.protect(page, {"edit": "sysop", "move": "sysop"},
                                  reason=SUMMARY.format("wiki-journée terminée, page archivée"))
                pywikibot.info(f"{day.landing} : protégée")
        return act
