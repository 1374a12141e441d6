"""``python -m bots.sync push``: propose local improvements back to the source.

Without ``-confirm`` (the default) the diffs are only printed. With ``-confirm`` the source page
is edited, one page at a time through pywikibot (its write throttle, ``maxlag=5``, bot flag and
the User-Agent written by ``bots.family``), for pages whose sync policy allows it (``renvoi=oui``
on the talk page's ``{{Source synchronisée}}``, or pulled with ``-allowpush``) and only when:
the upstream page did not change since the last sync (run ``update`` first); the page declares
no licence incompatible with CC BY-SA (``{{Licence|CC BY-ND}}`` is refused); every author of
the local changes is listed on the agreement page (``Projet:Synchronisation/Auteurs CC BY-SA``)
as having agreed to publish under CC BY-SA.
"""
from __future__ import annotations

from typing import Any

import re

import pywikibot
from pywikibot.bot import CurrentPageBot, SingleSiteBot
from pywikibot.exceptions import Error as PywikibotError

from . import text as T
from .core import Context, now
from .merge import unified
from .state import Entry


def agreed_authors(ctx: Context) -> set[str]:
    """User names listed on the agreement page (``* [[Utilisateur:Nom]]`` or ``* Nom``)."""
    page = pywikibot.Page(ctx.local, ctx.options.authors)
    if not page.exists():
        return set()
    names = set()
    for line in page.text.splitlines():
        match = re.match(r"\*\s*(?:\[\[[^:\]]+:([^\]|]+)(?:\|[^\]]*)?\]\]|([^\[\]{}|#<>]+))", line.strip())
        if match:
            names.add((match.group(1) or match.group(2)).strip().replace("_", " "))
    return names


class PushBot(SingleSiteBot, CurrentPageBot):
    """Show, or with -confirm write, the local changes of each tracked page to its source."""

    def __init__(self, ctx: Context, pages: list[pywikibot.Page], **kwargs: Any) -> None:
        super().__init__(site=ctx.local, generator=iter(pages), **kwargs)
        self.ctx, self.total, self.index = ctx, len(pages), 0
        self.agreed = agreed_authors(ctx)
        self.refusals: list[str] = []

    def refuse(self, title: str, reason: str) -> None:
        pywikibot.warning(f"{title} : renvoi refusé : {reason}")
        self.refusals.append(f"[[{title}]] : renvoi refusé : {reason}")

    def treat_page(self) -> None:
        self.index += 1
        entry = self.ctx.state.entries[self.current_page.title()]
        try:
            self.push_one(entry, self.current_page)
        except PywikibotError as exc:
            self.ctx.fail(entry.local_title, f"échec du renvoi : {exc}")

    def push_one(self, entry: Entry, local: pywikibot.Page) -> None:
        ctx, title = self.ctx, entry.local_title
        talk = local.toggleTalkPage()
        policy = T.block_param(talk.text, "renvoi") if talk.exists() else None
        if not (policy == "oui" or (policy is None and entry.push)):
            ctx.info(self.index, self.total, title,
                     "renvoi non autorisé par la politique de la page (renvoi=non)")
            return
        if local.latest_revision_id == entry.local_revid:
            ctx.info(self.index, self.total, title, "aucune modification locale à renvoyer")
            return
        src = pywikibot.Page(ctx.source, entry.source_title)
        if not src.exists() or src.latest_revision_id != entry.source_revid:
            self.refuse(title, "la source a changé depuis la dernière synchronisation : "
                        "lancez update d'abord")
            return
        new_text = T.unrewrite_links(local.text, ctx.options.prefix)
        diff = unified(src.text, new_text, f"{ctx.options.source}:{src.title()}", f"local:{title}")
        pywikibot.info(diff or "(aucune différence de texte)")
        bad = T.incompatible_licences(local.text)
        if bad:
            self.refuse(title, f"licence locale incompatible avec CC BY-SA : {', '.join(bad)}")
            return
        me = ctx.local.username() or ""
        authors = T.unique(r.user for r in local.revisions() if r.revid > entry.local_revid and r.user)
        unknown = [a for a in authors if a != me and a not in self.agreed]
        if unknown:
            self.refuse(title, "auteurs sans accord CC BY-SA (voir [[" + ctx.options.authors + "]]) : "
                        + ", ".join(unknown))
            return
        if not ctx.options.confirm or pywikibot.config.simulate:
            ctx.info(self.index, self.total, title, "simulation : différences affichées, rien n'est écrit "
                     "(ajoutez -confirm pour modifier la source)")
            return
        url = local.full_url()
        summary = (f"Amélioration proposée depuis {ctx.local.siteinfo['sitename']} ({url}, révision "
                   f"{local.latest_revision_id}) ; auteurs : {', '.join(authors) or me} ; texte sous "
                   f"{T.LICENCE}")
        src.text = new_text
        src.save(summary=summary, quiet=True, bot=True)
        fresh = pywikibot.Page(ctx.source, src.title())
        entry.source_revid = fresh.latest_revision_id
        entry.source_timestamp = fresh.latest_revision.timestamp.isoformat()
        entry.local_revid, entry.synced_at = local.latest_revision_id, now()
        ctx.write_talk(entry, local)
        ctx.save_state(f"renvoi de [[{title}]] vers la source")
        ctx.info(self.index, self.total, title, f"renvoyée vers la source (révision {entry.source_revid})")
