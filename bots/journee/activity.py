"""What happened during a wiki-journée, read through the Action API with pywikibot.

Owns the day's window (the date, 00:00 to 24:00 UTC, or ``--since``/``--until``), the day's
pages (the topics listed on the landing page and the members of the day's category), their
revisions by participants (every account but the bot's own), the photos uploaded in the
window, the per-page figures (created or improved, edits, bytes, references added) and the
quality checklist (no source, no category, no image, very short, red links).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field

import pywikibot

REF = re.compile(r"<ref[\s>/]", re.I)
CATEGORY = re.compile(r"\[\[\s*(?:Catégorie|Category)\s*:\s*([^\]|]+)", re.I)


@dataclass
class PageFacts:
    title: str
    exists: bool = True
    created: bool = False
    edits: int = 0
    bytes: int = 0
    refs_added: int = 0
    size: int = 0
    users: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    red_links: list[str] = field(default_factory=list)
    coords: list[tuple[float, float]] = field(default_factory=list)
    text: str = ""
    images: list[str] = field(default_factory=list)


@dataclass
class Activity:
    start: dt.datetime
    end: dt.datetime
    pages: list[PageFacts] = field(default_factory=list)
    edits: list[tuple[dt.datetime, str, str]] = field(default_factory=list)  # (time, user, title)
    uploads: list[tuple[dt.datetime, str, str]] = field(default_factory=list)  # (time, user, file)
    newcomers: list[str] = field(default_factory=list)

    @property
    def contributors(self) -> list[str]:
        count = Counter(u for _, u, _ in self.edits) + Counter(u for _, u, _ in self.uploads)
        return sorted(count, key=lambda u: (-count[u], u))

    def per_person(self) -> list[tuple[str, int, int]]:
        edits, uploads = Counter(u for _, u, _ in self.edits), Counter(u for _, u, _ in self.uploads)
        return [(u, edits[u], uploads[u]) for u in self.contributors]

    @property
    def created(self) -> list[PageFacts]:
        return [p for p in self.pages if p.created]

    @property
    def improved(self) -> list[PageFacts]:
        return [p for p in self.pages if p.edits and not p.created]

    @property
    def open_topics(self) -> list[PageFacts]:
        return [p for p in self.pages if not p.exists or (not p.edits and p.size < 600)]


def window(date: str, since: str = "", until: str = "") -> tuple[dt.datetime, dt.datetime]:
    """The day's window in UTC; raises ValueError on a bad date."""
    day = dt.datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    start = dt.datetime.fromisoformat(since).replace(tzinfo=dt.timezone.utc) if since else day
    end = dt.datetime.fromisoformat(until).replace(tzinfo=dt.timezone.utc) if until else day + dt.timedelta(days=1)
    if end <= start:
        raise ValueError("la fin de la période précède son début")
    return start, end


def _utc(ts: pywikibot.Timestamp) -> dt.datetime:
    return ts.replace(tzinfo=dt.timezone.utc) if ts.tzinfo is None else ts.astimezone(dt.timezone.utc)


def collect(site: pywikibot.site.APISite, titles: list[str], start: dt.datetime, end: dt.datetime, *,
            bot_user: str, exclude_files: set[str] = frozenset(), short: int = 600,
            day_category: str = "", checklist: bool = False) -> Activity:
    """Read the day's activity on ``titles`` (and the uploads in the window)."""
    act = Activity(start, end)
    pages = [pywikibot.Page(site, t) for t in dict.fromkeys(titles)]
    for index, page in enumerate(pages, start=1):
        facts = PageFacts(page.title())
        act.pages.append(facts)
        if not page.exists():
            facts.exists = False
            pywikibot.info(f"[{index}/{len(pages)}] {facts.title} : pas encore écrite")
            continue
        # sizes of every revision, texts of only the two that count (long histories stay cheap)
        revs = sorted(page.revisions(content=False), key=lambda r: (r.timestamp, r.revid))
        before = [r for r in revs if _utc(r.timestamp) < start]
        during = [r for r in revs if start <= _utc(r.timestamp) < end]
        previous_size = before[-1].size if before else 0
        previous_text = page.getOldVersion(before[-1].revid) or "" if before and during else ""
        last_text = (page.getOldVersion(during[-1].revid) or "") if during else previous_text
        for rev in during:
            if rev.user != bot_user:
                facts.edits += 1
                facts.bytes += rev.size - previous_size
                if rev.user not in facts.users:
                    facts.users.append(rev.user)
                act.edits.append((_utc(rev.timestamp), rev.user, facts.title))
            previous_size = rev.size
        first = revs[0]
        facts.created = bool(during) and first is during[0] and first.user != bot_user
        facts.refs_added = max(0, len(REF.findall(last_text)) - len(REF.findall(previous_text)))
        facts.text = page.text
        facts.size = len(page.text.encode("utf-8"))
        facts.images = [f.title() for f in page.imagelinks() if f.title() not in exclude_files]
        props = page.properties()
        if props.get("maps-coordinates"):
            facts.coords = [(float(p[0]), float(p[1])) for p in json.loads(props["maps-coordinates"])]
        if checklist:
            _check(site, page, facts, short, day_category)
        pywikibot.info(f"[{index}/{len(pages)}] {facts.title} : {facts.edits} modification(s), "
                       f"{facts.bytes:+d} octets" + (f", à revoir : {', '.join(facts.issues)}" if facts.issues else ""))
    for entry in site.logevents(logtype="upload", start=end, end=start):
        name = entry.page().title()
        if entry.user() == bot_user or name in exclude_files:
            continue
        act.uploads.append((_utc(entry.timestamp()), entry.user(), name))
    act.edits.sort()
    act.uploads.sort()
    names = act.contributors
    if names:
        counts = Counter(u for _, u, _ in act.edits)
        for info in site.users(names):
            reg = info.get("registration")
            registered = _utc(pywikibot.Timestamp.fromISOformat(reg)) if reg else None
            if (registered and registered >= start - dt.timedelta(days=1)) or \
                    int(info.get("editcount", 0)) <= counts[info["name"]]:
                act.newcomers.append(info["name"])
    return act


def _check(site: pywikibot.site.APISite, page: pywikibot.Page, facts: PageFacts, short: int,
           day_category: str) -> None:
    text = facts.text
    if not REF.search(text):
        facts.issues.append("source")
    day = day_category.split(":", 1)[-1].strip().lower()
    if not [c for c in CATEGORY.findall(text) if c.strip().lower() != day]:
        facts.issues.append("catégorie")
    if not facts.images:
        facts.issues.append("image")
    if facts.size < short:
        facts.issues.append("court")
    linked = list(page.linkedPages(namespaces=[0]))
    if linked:
        facts.red_links = sorted(p.title() for p in site.preloadpages(linked, content=False)
                                 if not p.exists())
        if facts.red_links:
            facts.issues.append("liens rouges")
