"""What every ``bots.sync`` command shares: the two sites (source and local), the options, the
state, the link rewriting of upstream text and the attribution written on each save (summary,
talk page block).
"""
from __future__ import annotations

import socket
import urllib.parse
from dataclasses import dataclass
import pywikibot
import pywikibot.family
from pywikibot.exceptions import Error as PywikibotError

from . import text as T
from .state import Entry, SyncState

DEFAULT_REPORT = "Projet:Synchronisation"


class SyncError(Exception):
    """A clear message for the facilitator; the command exits non-zero without writing."""


@dataclass
class Options:
    source: str = "wikipedia:fr"
    prefix: str = ""
    report: str = DEFAULT_REPORT
    state: str = ""
    authors: str = ""
    links: str = "interwiki"
    force_templates: bool = False
    allow_push: bool = False
    confirm: bool = False
    depth: int = 0
    history: str = ""

    def finish(self) -> None:
        family, _, code = self.source.partition(":")
        if not family or not code:
            raise SyncError("-source s'écrit famille:langue (par exemple wikipedia:fr), "
                            f"pas {self.source!r}")
        if self.links not in ("interwiki", "red"):
            raise SyncError("-links vaut interwiki (liens vers la source) ou red (liens rouges)")
        self.prefix = self.prefix or (f"w:{code}" if family == "wikipedia" else family)
        self.state = self.state or f"{self.report}/état"
        self.authors = self.authors or f"{self.report}/Auteurs CC BY-SA"


def check_reachable(family_name: str, code: str, role: str) -> None:
    """Fail fast (one TCP connection, 10 s) when the wiki's host does not answer (before
    pywikibot, which would retry for minutes)."""
    try:
        fam = pywikibot.family.Family.load(family_name)
        host, scheme = fam.hostname(code), fam.protocol(code)
    except (PywikibotError, KeyError, ValueError) as exc:
        raise SyncError(f"{role} : famille {family_name}:{code} inconnue ({exc}) ; "
                        "lancez d'abord python -m bots.family") from exc
    parts = urllib.parse.urlsplit(f"{scheme}://{host}")
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname or host, port), timeout=10).close()
    except OSError as exc:
        raise SyncError(f"{role} injoignable ({scheme}://{host}) : {exc}") from exc


class Context:
    """The sites, options, state and per-run counters of one command."""

    def __init__(self, options: Options, need_login: bool = True) -> None:
        self.options = options
        family, _, code = options.source.partition(":")
        config = pywikibot.config
        check_reachable(config.family, config.mylang, "le wiki local")
        check_reachable(family, code, "la source")
        try:
            self.local = pywikibot.Site()
            self.source = pywikibot.Site(code, family)
        except PywikibotError as exc:
            raise SyncError(f"site inconnu : {exc} (lancez d'abord python -m bots.family)") from exc
        if need_login:
            self.local.login()
        self.local.throttle.set_delays(writedelay=0)
        self.state = SyncState(self.local, options.state)
        self.errors: list[str] = []
        self.done: list[str] = []

    # --- links -------------------------------------------------------------------------------
    def _is_article_link(self, target: str) -> bool:
        prefix = target.split(":", 1)[0].strip() if ":" in target else ""
        if not prefix:
            return True
        if self.source.namespaces.lookup_name(prefix) is not None:
            return False
        interwikis = {i.get("prefix", "").lower() for i in self.source.siteinfo.get("interwikimap", [])}
        return prefix.lower() not in interwikis and prefix.lower() not in {"w", "wikipedia"}

    def missing_locally(self, texts: list[str], known: set[str]) -> set[str]:
        """Article link targets in ``texts`` that exist neither locally nor in ``known``."""
        targets = T.unique(t for text in texts for t in T.link_targets(text) if self._is_article_link(t))
        pages = {t: pywikibot.Page(self.local, t) for t in targets}
        pending = [p for t, p in pages.items() if p.title() not in known]
        exists = ({p.title() for p in self.local.preloadpages(pending, content=False) if p.exists()}
                  if pending else set())
        return {t for t, p in pages.items() if p.title() not in known and p.title() not in exists}

    def transform(self, text: str, rewritten: set[str]) -> str:
        """Upstream text as written locally: links to ``rewritten`` targets become interwiki."""
        if self.options.links == "red" or not rewritten:
            return text
        return T.rewrite_links(text, self.options.prefix, lambda t: t in rewritten)

    # --- attribution -------------------------------------------------------------------------
    def link(self, title: str) -> str:
        return f"{self.options.prefix}:{title}"

    def history_url(self, title: str) -> str:
        query = urllib.parse.urlencode({"title": title, "action": "history"})
        return self.source.base_url(self.source.path() + "?" + query)

    def write_talk(self, entry: Entry, page: pywikibot.Page) -> None:
        """Record the source, authors list and licence on the talk page (idempotent)."""
        talk = page.toggleTalkPage()
        old = talk.text if talk.exists() else ""
        policy = T.block_param(old, "renvoi") or ("oui" if entry.push else "non")
        entry.push = policy == "oui"
        params = {"site": entry.source, "page": entry.source_title, "révision": str(entry.source_revid),
                  "date": entry.source_timestamp, "licence": T.LICENCE, "renvoi": policy}
        new = T.replace_block(old, T.talk_block(params, self.history_url(entry.source_title),
                                                self.link(entry.source_title)))
        if new != old:
            talk.text = new
            talk.save(summary=T.import_summary(self.link(entry.source_title), entry.source_revid,
                                               "Source et licence :"), quiet=True)

    def save(self, page: pywikibot.Page, text: str, summary: str) -> int:
        """Save ``text`` (nothing when simulating); returns the page's latest revision id."""
        if page.exists() and page.text == text:
            return page.latest_revision_id
        page.text = text
        page.save(summary=summary, quiet=True)
        if pywikibot.config.simulate:
            return 0
        return pywikibot.Page(self.local, page.title()).latest_revision_id

    def save_state(self, what: str) -> None:
        self.state.save(f"bots.sync : {what}")

    def fail(self, title: str, message: str) -> None:
        pywikibot.error(f"{title} : {message}")
        self.errors.append(f"[[{title}]] : {message}")

    def info(self, index: int, total: int, title: str, message: str) -> None:
        pywikibot.info(f"[{index}/{total}] {title} : {message}")
        self.done.append(f"{title} : {message}")


def now() -> str:
    return pywikibot.Timestamp.now().isoformat()


def revision_timestamp(page: pywikibot.Page, revid: int) -> str:
    """The timestamp of revision ``revid`` of ``page`` (empty when not found)."""
    for rev in page.revisions():
        if rev.revid == revid:
            return rev.timestamp.isoformat()
    return ""
