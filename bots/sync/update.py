"""``python -m bots.sync update`` (and ``resolve``): bring upstream changes into tracked pages.

For each tracked page: an upstream page turned into a redirect or moved (move log) is followed
and the move reported; a deleted one is reported and the local page kept. New upstream
revisions are applied by fast-forward when the local page did not change since the last sync,
otherwise by a three-way merge (base = the upstream revision last synced, local text, new
upstream text); on conflict the local text is kept and the conflict recorded with its diffs.
A run interrupted after a save and before the state was written merges to the same text on the
next run (no new revision) and records the sync then.
"""
from __future__ import annotations

from typing import Any

import pywikibot
from pywikibot.bot import CurrentPageBot, SingleSiteBot
from pywikibot.exceptions import Error as PywikibotError

from . import text as T
from .core import Context, now
from .merge import merge3, unified
from .state import Entry


def follow_upstream(ctx: Context, entry: Entry) -> pywikibot.Page | None:
    """The current upstream page of ``entry`` (moves followed and reported), None if deleted."""
    src = pywikibot.Page(ctx.source, entry.source_title)
    for _ in range(5):
        if src.exists() and not src.isRedirectPage():
            return src
        if src.exists():
            target = src.getRedirectTarget()
        else:
            moves = list(ctx.source.logevents(logtype="move", page=src.title(), total=1))
            if not moves:
                break
            target = moves[0].target_page
        event = (f"{now()[:10]} : [[{ctx.link(src.title())}]] déplacée en amont vers "
                 f"[[{ctx.link(target.title())}]]")
        if event not in entry.events:
            entry.events.append(event)
        pywikibot.warning(event)
        entry.source_title = target.title()
        src = pywikibot.Page(ctx.source, target.title())
    deletions = list(ctx.source.logevents(logtype="delete", page=src.title(), total=1))
    when = deletions[0].timestamp().isoformat()[:10] if deletions else now()[:10]
    event = f"{when} : [[{ctx.link(src.title())}]] supprimée en amont ; la page locale est conservée"
    if event not in entry.events:
        entry.events.append(event)
    return None


class UpdateBot(SingleSiteBot, CurrentPageBot):
    """Update every tracked local page of the generator from its source."""

    def __init__(self, ctx: Context, pages: list[pywikibot.Page], **kwargs: Any) -> None:
        super().__init__(site=ctx.local, generator=iter(pages), **kwargs)
        self.ctx, self.total, self.index = ctx, len(pages), 0

    def treat_page(self) -> None:
        self.index += 1
        entry = self.ctx.state.entries[self.current_page.title()]
        try:
            message = self.update_one(entry, self.current_page)
        except PywikibotError as exc:
            self.ctx.fail(entry.local_title, f"échec : {exc}")
            return
        self.ctx.info(self.index, self.total, entry.local_title, message)
        self.ctx.save_state(f"mise à jour de [[{entry.local_title}]]")

    def update_one(self, entry: Entry, local: pywikibot.Page) -> str:
        ctx = self.ctx
        src = follow_upstream(ctx, entry)
        if src is None:
            entry.status = "deleted"
            return "supprimée en amont : page locale conservée, signalée sur le rapport"
        if not local.exists():
            entry.status = "local-deleted"
            return "la page locale n'existe plus : rien à mettre à jour"
        new_rev = src.latest_revision
        local_changed = local.latest_revision_id != entry.local_revid
        if new_rev.revid == entry.source_revid:
            if entry.status in ("deleted", "local-deleted"):
                entry.status = "ok"
            return "déjà à jour" + (" (modifications locales non renvoyées)" if local_changed else "")
        if (entry.status == "conflict" and entry.conflict.get("upstream_revid") == new_rev.revid
                and entry.conflict.get("local_revid") == local.latest_revision_id):
            return "conflit toujours ouvert (voir le rapport)"
        rewritten = set(entry.rewritten)
        if ctx.options.links == "interwiki":
            rewritten |= ctx.missing_locally([src.text], set())
        new_text = ctx.transform(src.text, rewritten)
        link = ctx.link(src.title())
        if not local_changed:
            revid = ctx.save(local, new_text, T.import_summary(link, new_rev.revid, "Mis à jour depuis"))
            message = f"avance rapide jusqu'à la révision {new_rev.revid}"
        else:
            base = ctx.transform(src.getOldVersion(entry.source_revid), rewritten)
            result = merge3(base, local.text, new_text)
            if not result.clean:
                entry.status = "conflict"
                entry.conflict = {
                    "upstream_revid": new_rev.revid, "local_revid": local.latest_revision_id,
                    "seen": now(), "regions": len(result.conflicts),
                    "diff_local": unified(base, local.text, "synchronisé", "local"),
                    "diff_upstream": unified(base, new_text, "synchronisé", f"amont {new_rev.revid}")}
                return f"CONFLIT avec la révision {new_rev.revid} : texte local conservé, voir le rapport"
            revid = ctx.save(local, result.text,
                             T.import_summary(link, new_rev.revid, "Fusion avec")
                             + " : modifications locales conservées")
            message = f"fusion à trois voies avec la révision {new_rev.revid}"
        if pywikibot.config.simulate:
            return "simulation : " + message
        entry.source_revid, entry.source_timestamp = new_rev.revid, new_rev.timestamp.isoformat()
        entry.local_revid, entry.synced_at = revid, now()
        entry.rewritten = sorted(t for t in rewritten if t in T.link_targets(src.text))
        entry.status, entry.conflict = "ok", {}
        ctx.write_talk(entry, local)
        return message


def resolve(ctx: Context, titles: list[str]) -> None:
    """Mark conflicts as resolved by hand: the local text as it is now becomes the merge of the
    upstream revision that conflicted."""
    for index, title in enumerate(titles, 1):
        entry = ctx.state.entries.get(title)
        if entry is None or entry.status != "conflict":
            ctx.fail(title, "pas de conflit ouvert pour cette page")
            continue
        local = pywikibot.Page(ctx.local, title)
        entry.source_revid = entry.conflict["upstream_revid"]
        entry.local_revid, entry.synced_at = local.latest_revision_id, now()
        entry.status, entry.conflict = "ok", {}
        ctx.info(index, len(titles), title, "conflit marqué comme résolu")
        ctx.save_state(f"conflit résolu sur [[{title}]]")
