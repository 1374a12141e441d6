"""The command line of ``python -m bots.sync pull|update|status|push|resolve [options]``.

Global pywikibot options work as in every script (``-simulate``, ``-dir:``, ``-log``, …).
Options of this bot::

    -source:wikipedia:fr  source wiki (family:language, as registered with bots.family)
    -prefix:w:fr          interwiki prefix of the source on the local wiki (attribution, links)
    -report:TITLE         report page (default Projet:Synchronisation; state in TITLE/état)
    -state:TITLE          state page      -authors:TITLE  CC BY-SA agreement page
    -links:interwiki|red  links to pages missing locally: interwiki to the source, or kept red
    -force-templates      re-import templates that exist locally
    -allowpush            pull: allow push for these pages (renvoi=oui on the talk page)
    -confirm              push: really edit the source (default: show the diffs)
    -depth:N              with -cat:, go N levels into subcategories
    -history:FILE.xml     pull: write the full history (with templates) for the dumps importer
    -history:import       pull: import that history into the local wiki (action=import, needs
                          the importupload right), then pull and track the pages as usual
Pages: ``-page:Titre``, ``-cat:Catégorie``, ``-file:liste.txt`` (pywikibot's page generators,
read from the source for pull and from the local wiki for the other commands).
Exit status: 0 done, 1 some pages failed or were refused, 2 bad input / unreachable wiki.
"""
from __future__ import annotations

import sys

import pywikibot
from pywikibot import pagegenerators
from pywikibot.exceptions import Error as PywikibotError

from .core import Context, Options, SyncError, check_reachable
from .state import StateError

COMMANDS = ("pull", "update", "status", "push", "resolve")
FLAGS = {"-force-templates": "force_templates", "-allowpush": "allow_push", "-confirm": "confirm"}
VALUES = {"-source": "source", "-prefix": "prefix", "-report": "report", "-state": "state",
          "-authors": "authors", "-links": "links"}


def parse(args: list[str]) -> tuple[str, Options, list[str]]:
    """The command, this bot's options and the remaining (page generator) arguments."""
    command, options, rest = "", Options(), []
    for arg in args:
        key, _, value = arg.partition(":")
        if not arg.startswith("-") and not command:
            command = arg
        elif arg in FLAGS:
            setattr(options, FLAGS[arg], True)
        elif key in VALUES:
            setattr(options, VALUES[key], value)
        elif key == "-history":
            if not value:
                raise SyncError("-history s'écrit -history:FICHIER.xml ou -history:import")
            options.history = value
        elif key == "-depth":
            if not value.isdigit():
                raise SyncError(f"-depth attend un nombre, pas {value!r}")
            options.depth = int(value)
        else:
            rest.append(arg)
    if command not in COMMANDS:
        raise SyncError(f"commande attendue : {' | '.join(COMMANDS)} (reçu {command or 'rien'!r})")
    options.finish()
    return command, options, rest


def pages_from(site: pywikibot.site.APISite, args: list[str], depth: int) -> list[pywikibot.Page] | None:
    """Pages named by generator arguments on ``site`` (None when no generator was given)."""
    factory = pagegenerators.GeneratorFactory(site=site)
    extra = []
    for arg in args:
        if arg.startswith("-cat:") and depth:
            cat = pywikibot.Category(site, arg[5:])
            extra.append(pagegenerators.CategorizedPageGenerator(cat, recurse=depth))
        elif not factory.handle_arg(arg):
            raise SyncError(f"option inconnue : {arg}")
    gen = factory.getCombinedGenerator()
    gens = ([gen] if gen else []) + extra
    if not gens:
        return None
    seen: dict[str, pywikibot.Page] = {}
    for generator in gens:
        for page in generator:
            seen.setdefault(page.title(), page)
    return list(seen.values())


def tracked(ctx: Context, args: list[str]) -> list[pywikibot.Page]:
    """The tracked local pages, all of them or those named by the arguments."""
    chosen = pages_from(ctx.local, args, ctx.options.depth)
    titles = list(ctx.state.entries) if chosen is None else [p.title() for p in chosen]
    unknown = [t for t in titles if t not in ctx.state.entries]
    if unknown:
        raise SyncError("pages non suivies (importez-les avec pull) : " + ", ".join(unknown))
    return [pywikibot.Page(ctx.local, t) for t in titles]


def run(args: list[str]) -> int:
    from . import pull, push, status, update

    config = pywikibot.config
    check_reachable(config.family, config.mylang, "le wiki local")  # before pywikibot retries
    command, options, rest = parse(pywikibot.handle_args(args))
    ctx = Context(options, need_login=command != "status")
    refusals: list[str] = []
    if command == "pull":
        pages = pull.resolve(ctx, pages_from(ctx.source, rest, options.depth) or [])
        if options.history == "import":
            pywikibot.info(pull.import_history(ctx, pages))
        elif options.history:
            pywikibot.info(pull.export_history(ctx, pages, options.history))
            return 0
        pull.PullBot(ctx, pages).run()
    elif command == "update":
        update.UpdateBot(ctx, tracked(ctx, rest)).run()
    elif command == "resolve":
        update.resolve(ctx, [p.title() for p in tracked(ctx, rest)])
    elif command == "push":
        bot = push.PushBot(ctx, tracked(ctx, rest))
        bot.run()
        refusals = bot.refusals
    pages = tracked(ctx, rest) if command == "status" else None
    entries = ([ctx.state.entries[p.title()] for p in pages] if pages is not None
               else list(ctx.state.entries.values()))
    rows = status.compute_rows(ctx, entries)
    pywikibot.info(status.terminal_table(rows))
    status.write_report(ctx, rows if command == "status" or len(entries) == len(ctx.state.entries) else None,
                        refusals)
    for message in refusals + ctx.errors:
        pywikibot.error(message)
    return 1 if refusals or ctx.errors else 0


def main(*args: str) -> int:
    try:
        return run(list(args or sys.argv[1:]))
    except (SyncError, StateError) as exc:
        pywikibot.error(f"bots.sync : {exc}")
        return 2
    except PywikibotError as exc:
        pywikibot.error(f"bots.sync : erreur du wiki : {exc}")
        return 2
