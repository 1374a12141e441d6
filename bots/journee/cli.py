"""The command line of ``python -m bots.journee prepare|follow|report|close [options]``.

Global pywikibot options work as in every script (``-simulate``, ``-dir:``, ``-user:``, …).
Options of this bot (``--name value``, ``--name=value`` or ``-name:value``)::

    --theme "Lavoirs"        theme of the day (required)
    --date 2026-03-08        date of the day (required)
    --place "Médiathèque"    where it happens (prepare)
    --topics sujets.csv      topics CSV (prepare): landing list and stub pages
    --no-stubs               prepare: list the topics without creating their pages
    --preload Modèle:…       preload template of the "create a page" box
    --root Projet:…          folder of the landing pages (default Projet:Wiki-journées)
    --landing TITLE          landing page title (default ROOT/DATE THEME)
    --every 5m               follow: interval (s, m or h); --cycles N stops after N updates
    --retry-wait 5s          follow: first wait after a network error (doubles up to --every)
    --since/--until ISO      window of the day (default: the date, 00:00 to 24:00 UTC)
    --short 600              report: pages below this size (bytes) are "very short"
    --thank                  report: thank each participant on their talk page
    --protect                close: protect the landing page (sysop only)
Pages counted besides the topics and the day's category: pywikibot's page generator options
(``-page:Titre``, ``-cat:Catégorie``, ``-file:liste.txt``, …).
Exit status: 0 done, 1 done with bad CSV lines, 2 bad input or unreachable wiki.
"""
from __future__ import annotations

import re
import sys

import pywikibot
from pywikibot import pagegenerators

from .bot import Journee, JourneeError, check_reachable
from .topics import TopicsError
from .wikitext import ROOT, Day

COMMANDS = ("prepare", "follow", "report", "close")
FLAGS = {"no-stubs", "thank", "protect"}
VALUES = {"theme", "date", "place", "topics", "preload", "root", "landing", "every", "cycles", "retry-wait",
          "since", "until", "short"}


def duration(value: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*", value)
    if not m:
        raise JourneeError(f"durée invalide {value!r} (exemples : 30s, 5m, 1h)")
    return float(m.group(1)) * {"s": 1, None: 1, "m": 60, "min": 60, "h": 3600}[m.group(2)]


def parse(args: list[str]) -> tuple[str, dict[str, str], list[str]]:
    """The command, this bot's options and the page generator arguments (``-page:``, ``-cat:``,
    … for pywikibot's GeneratorFactory); pywikibot's global options are already removed."""
    command, opts, rest, i = "", {}, [], 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-"):
            if command:
                raise JourneeError(f"argument inattendu : {arg!r}")
            command = arg
            i += 1
            continue
        name = arg.lstrip("-")
        name, sep, value = (name.partition("=") if arg.startswith("--") else name.partition(":"))
        if name in FLAGS:
            opts[name] = "1"
        elif name in VALUES:
            if not sep:
                if i + 1 >= len(args):
                    raise JourneeError(f"--{name} attend une valeur")
                i += 1
                value = args[i]
            opts[name] = value
        elif arg.startswith("--"):
            raise JourneeError(f"option inconnue : {arg}")
        else:
            rest.append(arg)
        i += 1
    if command not in COMMANDS:
        raise JourneeError(f"commande attendue : {' | '.join(COMMANDS)} (reçu {command or 'rien'!r})")
    if not opts.get("theme") and not opts.get("landing"):
        raise JourneeError("--theme est obligatoire (ou --landing avec le titre de la page d'accueil)")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", opts.get("date", "")):
        raise JourneeError("--date AAAA-MM-JJ est obligatoire")
    return command, opts, rest


def run(args: list[str]) -> int:
    command, opts, rest = parse(args)
    day = Day(theme=opts.get("theme", "").strip(), date=opts["date"], place=opts.get("place", ""),
              root=opts.get("root", ROOT), preload=opts.get("preload", ""), landing_title=opts.get("landing", ""))
    if not opts.get("short", "600").isdigit() or not opts.get("cycles", "0").isdigit():
        raise JourneeError("--short et --cycles attendent un nombre entier")
    journee = Journee(day, opts.get("since", ""), opts.get("until", ""), int(opts.get("short", "600")))
    factory = pagegenerators.GeneratorFactory(site=journee.site)
    for arg in rest:
        if not factory.handle_arg(arg):
            raise JourneeError(f"option inconnue : {arg}")
    generator = factory.getCombinedGenerator()
    journee.extra = [p.title() for p in generator] if generator else []
    pywikibot.info(f"Wiki-journée « {day.theme} » du {day.date} : {day.landing}")
    if command == "prepare":
        found = journee.prepare(opts.get("topics", ""), stubs="no-stubs" not in opts)
        pywikibot.info(f"prepare terminé : {len(found.topics)} sujet(s) lu(s), {len(found.errors)} ligne(s) en erreur")
        return 1 if found.errors else 0
    if command == "follow":
        every = duration(opts.get("every", "5m"))
        done = journee.follow(every, int(opts.get("cycles", "0")), duration(opts.get("retry-wait", "5s")))
        pywikibot.info(f"follow terminé après {done} mise(s) à jour")
    elif command == "report":
        act = journee.report(thank="thank" in opts)
        pywikibot.info(f"bilan écrit sur {day.report} : {len(act.edits)} modification(s), "
                       f"{len(act.contributors)} participant(s)")
    else:
        journee.close(protect="protect" in opts)
        pywikibot.info(f"album écrit sur {day.album} ; page d'accueil archivée")
    return 0


def main(*args: str) -> int:
    try:
        check_reachable()
        try:
            local = pywikibot.handle_args(list(args or sys.argv[1:]))
        except pywikibot.exceptions.Error as exc:
            raise JourneeError(f"connexion au wiki impossible : {exc}") from exc
        return run(local)
    except (JourneeError, TopicsError) as exc:
        pywikibot.error(f"bots.journee : {exc}")
        return 2
    except KeyboardInterrupt:
        pywikibot.info("interrompu")
        return 130
