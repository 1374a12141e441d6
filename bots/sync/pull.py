"""``python -m bots.sync pull``: bring pages (title list, category with depth, file) from the
source wiki to the local wiki with their templates and modules, attribution and tracking.

Every title is checked on the source before anything is written: a missing or invalid title
stops the run with a clear message. Pages already tracked are left to ``update``; a page found
locally with the bot's own import summary (an interrupted run) is adopted, any other existing
local page is refused rather than overwritten. With ``-history`` the full history of the pages
and their templates is written to a file for ``wikiengine import-dump`` (``export_history``) or
sent to the local wiki's ``action=import`` before the pull (``import_history``).
"""
from __future__ import annotations

from typing import Any

import pywikibot
from pywikibot.bot import CurrentPageBot, SingleSiteBot
from pywikibot.exceptions import Error as PywikibotError

from . import text as T
from .core import Context, SyncError, now, revision_timestamp
from .state import Entry

CONTENT_NAMESPACES = (10, 828)  # Template, Module


def resolve(ctx: Context, pages: list[pywikibot.Page]) -> list[pywikibot.Page]:
    """The existing source pages (redirects followed), or :class:`SyncError` naming the others."""
    if not pages:
        raise SyncError("aucune page à importer : donnez -page:Titre, -cat:Catégorie ou -file:liste.txt")
    loaded = list(ctx.source.preloadpages(pages))
    missing = [p.title() for p in loaded if not p.exists()]
    if missing:
        raise SyncError("pages absentes de la source : " + ", ".join(missing) + " (rien n'a été écrit)")
    result = []
    for page in loaded:
        if page.isRedirectPage():
            target = page.getRedirectTarget()
            pywikibot.info(f"{page.title()} est une redirection vers {target.title()} : on importe la cible")
            page = target
        if page.title() not in {p.title() for p in result}:
            result.append(page)
    return result


def import_templates(ctx: Context, page: pywikibot.Page, entry_templates: list[str]) -> None:
    """Bring the templates and modules ``page`` uses, recursively (each one once)."""
    queue = list(page.templates())
    seen: set[str] = set()
    while queue:
        tpl = queue.pop(0)
        if tpl.title() in seen or tpl.namespace().id not in CONTENT_NAMESPACES:
            continue
        seen.add(tpl.title())
        ns = tpl.namespace().id
        if ns not in ctx.local.namespaces:
            ctx.fail(tpl.title(), "espace de noms absent du wiki local (module non importé)")
            continue
        local = pywikibot.Page(ctx.local, tpl.title(with_ns=False), ns=ns)
        entry_templates.append(local.title())
        if local.exists() and not ctx.options.force_templates:
            continue
        if not tpl.exists():
            continue
        summary = T.import_summary(ctx.link(tpl.title()), tpl.latest_revision_id)
        ctx.save(local, tpl.text, summary)
        pywikibot.info(f"    modèle importé : {local.title()}")
        queue.extend(tpl.templates())


def fetch_history(ctx: Context, pages: list[pywikibot.Page]) -> tuple[list[str], str]:
    """The titles and the full history of ``pages`` and of their templates, as the source's
    Special:Export gives it (MediaWiki XML)."""
    from pywikibot.comms import http

    titles = T.unique([p.title() for p in pages])
    url = ctx.source.base_url(ctx.source.path())
    answer = http.fetch(url, method="POST", data={
        "title": "Special:Export", "pages": "\n".join(titles), "history": "1", "templates": "1",
        "action": "submit", "wpDownload": "1"})
    if answer.status_code != 200 or "<mediawiki" not in answer.text[:2000]:
        raise SyncError(f"l'export de l'historique a échoué (HTTP {answer.status_code}) : "
                        "rien n'a été écrit")
    return titles, answer.text


def export_history(ctx: Context, pages: list[pywikibot.Page], path: str) -> str:
    """Write the full history of ``pages`` and of their templates to ``path``; for
    ``wikiengine import-dump``."""
    titles, xml = fetch_history(ctx, pages)
    with open(path, "w", encoding="utf-8") as out:
        out.write(xml)
    revisions = xml.count("<revision>")
    return (f"historique complet de {len(titles)} page(s) et de leurs modèles ({revisions} révisions) "
            f"écrit dans {path}.\nSur le serveur : wikiengine import-dump {path}\npuis relancez la "
            "même commande sans -history : les pages importées seront suivies.")


def import_history(ctx: Context, pages: list[pywikibot.Page]) -> str:
    """Send the full history of ``pages`` and of their templates straight to the local wiki
    (``action=import``, an XML upload: the bot's account needs the ``importupload`` right).
    Each revision keeps its author, as ``prefix>Name`` (``-prefix``); a second run adds
    nothing. The pages are then tracked by the ordinary ``pull`` that follows."""
    from pywikibot.exceptions import APIError

    titles, xml = fetch_history(ctx, pages)
    revisions = xml.count("<revision>")
    if pywikibot.config.simulate:
        return (f"simulation : l'historique de {len(titles)} page(s) et de leurs modèles "
                f"({revisions} révisions) serait importé sur le wiki local")
    request = ctx.local.simple_request(
        action="import", interwikiprefix=ctx.options.prefix, token=ctx.local.tokens["csrf"],
        summary=f"bots.sync : historique de {ctx.options.source}")
    request.mime = {"xml": (xml.encode("utf-8"), ("application", "xml"),
                            {"filename": "historique.xml"})}
    try:
        answer = request.submit()
    except APIError as exc:
        if exc.code == "cantimport-upload":
            raise SyncError("le compte du robot n'a pas le droit d'importer (importupload) sur "
                            "le wiki local : rien n'a été importé ; demandez-le à un "
                            "administrateur ou utilisez -history:FICHIER.xml") from exc
        raise SyncError(f"l'import de l'historique a été refusé ({exc.code} : {exc.info}) : "
                        "rien n'a été importé") from exc
    imported = answer.get("import", [])
    added = sum(int(page.get("revisions", 0)) for page in imported)
    return (f"historique importé sur le wiki local : {len(imported)} page(s), {added} "
            f"révision(s) ajoutée(s) sur {revisions}")


class PullBot(SingleSiteBot, CurrentPageBot):
    """Import each source page of the generator into the local wiki."""

    def __init__(self, ctx: Context, pages: list[pywikibot.Page], **kwargs: Any) -> None:
        super().__init__(site=ctx.source, generator=iter(pages), **kwargs)
        self.ctx = ctx
        self.total = len(pages)
        self.index = 0
        known = {p.title() for p in pages}
        self.missing = (ctx.missing_locally([p.text for p in pages], known)
                        if ctx.options.links == "interwiki" else set())

    def treat_page(self) -> None:
        self.index += 1
        try:
            self.pull_one(self.current_page)
        except PywikibotError as exc:
            self.ctx.fail(self.current_page.title(), f"échec : {exc}")

    def pull_one(self, src: pywikibot.Page) -> None:
        ctx, title = self.ctx, src.title()
        local = pywikibot.Page(ctx.local, src.title(with_ns=False), ns=src.namespace().id)
        if local.title() in ctx.state.entries:
            ctx.info(self.index, self.total, title, "déjà suivie (utilisez update)")
            return
        rev = src.latest_revision
        rewritten = sorted(t for t in T.link_targets(src.text) if t in self.missing)
        entry = Entry(source=ctx.options.source, source_title=title, source_revid=rev.revid,
                      source_timestamp=rev.timestamp.isoformat(), local_title=local.title(),
                      local_revid=0, synced_at=now(), rewritten=rewritten,
                      push=ctx.options.allow_push)
        if local.exists():
            done = T.parse_import_summary(local.latest_revision.comment or "")
            if local.text == src.text:  # history brought by the dumps importer (-history)
                done, entry.rewritten = (ctx.link(title), rev.revid), []
            if not done or done[0] != ctx.link(title):
                ctx.fail(local.title(), "existe déjà sur le wiki local sans être suivie : non remplacée")
                return
            entry.source_revid = done[1]
            entry.source_timestamp = revision_timestamp(src, done[1])
            entry.local_revid = local.latest_revision_id
            message = ("reprise de l'historique importé" if not entry.rewritten and local.text == src.text
                       else "reprise d'un import interrompu")
        else:
            import_templates(ctx, src, entry.templates)
            entry.files = [f.title() for f in src.imagelinks()]
            text = ctx.transform(src.text, set(rewritten))
            entry.local_revid = ctx.save(local, text, T.import_summary(ctx.link(title), rev.revid))
            message = f"importée (révision {rev.revid}, {len(entry.templates)} modèle(s))"
        if pywikibot.config.simulate:
            ctx.info(self.index, self.total, title, "simulation : " + message)
            return
        ctx.write_talk(entry, local)
        ctx.state.entries[local.title()] = entry
        ctx.save_state(f"import de [[{local.title()}]]")
        ctx.info(self.index, self.total, title, message)
