"""``python -m bots.sync status`` and the report page every command rewrites.

Each tracked page is in sync, behind (upstream changed), ahead (local changed), diverged (both),
in conflict, or deleted/moved upstream; the table shows the ages of the last sync and of the
newest upstream revision, with links to the diffs on both wikis. The report page
(``Projet:Synchronisation`` by default) holds the same table, the open conflicts with their
diffs, upstream moves and deletions, files to upload, refusals and errors of the last run.
"""
from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass

import pywikibot

from . import text as T
from .core import Context
from .state import Entry

LABELS = {"sync": "à jour", "behind": "en retard", "ahead": "en avance", "diverged": "divergente",
          "conflict": "conflit", "deleted": "supprimée en amont", "local-deleted": "supprimée localement"}


@dataclass
class Row:
    entry: Entry
    state: str
    upstream_revid: int
    local_revid: int
    upstream_age: str
    sync_age: str
    bad_licences: list[str]


def age(iso: str) -> str:
    """``3 j``, ``5 h``, ``12 min`` since the ISO timestamp ``iso``."""
    if not iso:
        return "?"
    seconds = (pywikibot.Timestamp.now() - pywikibot.Timestamp.fromISOformat(iso)).total_seconds()
    if seconds >= 86400:
        return f"{int(seconds // 86400)} j"
    if seconds >= 3600:
        return f"{int(seconds // 3600)} h"
    return f"{max(0, int(seconds // 60))} min"


def compute_rows(ctx: Context, entries: list[Entry]) -> list[Row]:
    """The sync state of ``entries`` (two batched requests per 50 pages)."""
    srcs = {e.local_title: pywikibot.Page(ctx.source, e.source_title) for e in entries}
    locs = {e.local_title: pywikibot.Page(ctx.local, e.local_title) for e in entries}
    if entries:
        list(ctx.source.preloadpages(list(srcs.values()), content=False))
        list(ctx.local.preloadpages(list(locs.values()), content=True))
    rows = []
    for e in entries:
        src, loc = srcs[e.local_title], locs[e.local_title]
        up = src.latest_revision_id if src.exists() else 0
        lo = loc.latest_revision_id if loc.exists() else 0
        if e.status in ("conflict", "deleted", "local-deleted"):
            state = e.status
        elif not src.exists():
            state = "deleted"
        elif not loc.exists():
            state = "local-deleted"
        else:
            behind, ahead = up != e.source_revid and not src.isRedirectPage(), lo != e.local_revid
            state = ("diverged" if behind and ahead else "behind" if behind
                     else "ahead" if ahead else "sync")
        up_age = age(src.latest_revision.timestamp.isoformat()) if src.exists() else "?"
        bad = T.incompatible_licences(loc.text) if loc.exists() else []
        rows.append(Row(e, state, up, lo, up_age, age(e.synced_at), bad))
    return rows


def terminal_table(rows: list[Row]) -> str:
    header = ("page", "état", "source", "rév. synchro", "rév. amont", "rév. locale",
              "dernière synchro", "amont modifié")
    data = [(r.entry.local_title, LABELS[r.state] + (" (licence !)" if r.bad_licences else ""),
             r.entry.source_title, str(r.entry.source_revid),
             str(r.upstream_revid), str(r.local_revid), f"il y a {r.sync_age}",
             f"il y a {r.upstream_age}") for r in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *data)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)) for line in (header, *data)]
    return "\n".join(lines[:1] + ["  ".join("-" * w for w in widths)] + lines[1:])


def _diff_url(site: pywikibot.site.APISite, title: str, old: int) -> str:
    query = urllib.parse.urlencode({"title": title, "diff": "cur", "oldid": old})
    return site.base_url(site.path() + "?" + query)


def _pre(text: str) -> str:
    return "<pre>\n" + html.escape(text or "(aucune différence)", quote=False) + "</pre>"


def report_text(ctx: Context, rows: list[Row], refusals: list[str]) -> str:
    """The wiki text of the report page."""
    out = ["Rapport tenu par le robot bots.sync (mis à jour à chaque passage ; ne pas modifier).",
           "", "== État des pages ==", '{| class="wikitable sortable"',
           "! Page !! État !! Source !! Dernière synchro !! Amont modifié !! Différences"]
    for r in rows:
        e = r.entry
        links = []
        if r.upstream_revid and r.upstream_revid != e.source_revid:
            links.append(f"[{_diff_url(ctx.source, e.source_title, e.source_revid)} amont]")
        if r.local_revid and e.local_revid and r.local_revid != e.local_revid:
            links.append(f"[{_diff_url(ctx.local, e.local_title, e.local_revid)} local]")
        out += ["|-", f"| [[{e.local_title}]] || {LABELS[r.state]} || [[{ctx.link(e.source_title)}]] "
                f"(rév. {e.source_revid}) || il y a {r.sync_age} || il y a {r.upstream_age} || "
                + (" · ".join(links) or "—")]
    out.append("|}")
    relicensed = [r for r in rows if r.bad_licences]
    if relicensed:
        out += ["", "== Licences incompatibles ==", ""]
        out += [f"* [[{r.entry.local_title}]] déclare {', '.join(r.bad_licences)} : une page reprise de "
                f"[[{ctx.link(r.entry.source_title)}]] reste sous {T.LICENCE} et ne peut pas changer de "
                "licence." for r in relicensed]
    conflicts = [e for e in ctx.state.entries.values() if e.status == "conflict"]
    out += ["", "== Conflits ==", ""]
    if not conflicts:
        out.append("Aucun conflit ouvert.")
    for e in conflicts:
        c = e.conflict
        out += [f"=== [[{e.local_title}]] ===",
                f"La révision {c['upstream_revid']} de [[{ctx.link(e.source_title)}]] modifie les mêmes "
                f"paragraphes que des modifications locales ({c['regions']} zone(s)). Le texte local est "
                "conservé. Reportez à la main ce qui doit l'être, puis lancez "
                f"<code>python -m bots.sync resolve -page:{e.local_title}</code>.",
                "; Modifications locales depuis la dernière synchronisation", _pre(c["diff_local"]),
                "; Modifications en amont", _pre(c["diff_upstream"]), ""]
    events = [(e, ev) for e in ctx.state.entries.values() for ev in e.events]
    out += ["", "== Pages déplacées ou supprimées en amont ==", ""]
    out += [f"* [[{e.local_title}]] : {ev}" for e, ev in events] or ["Aucune."]
    files = sorted({f for e in ctx.state.entries.values() for f in e.files})
    out += ["", "== Fichiers à importer ==", ""]
    out += [f"* [[{ctx.link(f)}]]" for f in files] or ["Aucun."]
    if refusals or ctx.errors:
        out += ["", "== Refus et erreurs du dernier passage ==", ""]
        out += [f"* {m}" for m in refusals + ctx.errors]
    return "\n".join(out) + "\n"


def write_report(ctx: Context, rows: list[Row] | None = None, refusals: list[str] | None = None) -> None:
    """Rewrite the report page (not when simulating)."""
    if pywikibot.config.simulate:
        return
    if rows is None:
        rows = compute_rows(ctx, list(ctx.state.entries.values()))
    page = pywikibot.Page(ctx.local, ctx.options.report)
    text = report_text(ctx, rows, refusals or [])
    if not page.exists() or page.text != text:
        page.text = text
        page.save(summary="bots.sync : rapport de synchronisation", quiet=True)
