"""Magic variables (MediaWiki's CoreMagicVariables / Parser::expandMagicVariable).

Owns what ``{{PAGENAME}}`` and its family, ``{{NAMESPACE}}``, ``{{CURRENTYEAR}}``/
``{{LOCALTIME}}`` & co (from the site clock and time zone), ``{{SITENAME}}``, ``{{SERVER}}``,
``{{NUMBEROFARTICLES}}`` (from the page source or the site's figures), ``{{PAGEID}}`` and
``{{REVISION*}}`` produce, with the output flags MediaWiki sets for them.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from .pplang import (DAYS, MONTHS, MONTHS_ABBR, RTL_LANGUAGES, escape_wikitext, format_num,
                     lang_of, page_info)
from .site import wfurlencode

# -- clock ------------------------------------------------------------------------------------
#: Longest time a rendering showing the clock may be cached (CoreMagicVariables::MAX_TTL role).
CLOCK_CACHE_TTL = 3600


def _now(ctx: Any, local: bool) -> _dt.datetime:
    now = ctx.site.clock()
    if now.tzinfo is None:
        now = now.replace(tzinfo=_dt.timezone.utc)
    if local and ctx.site.timezone and ctx.site.timezone != "UTC":
        try:
            from zoneinfo import ZoneInfo
            return now.astimezone(ZoneInfo(ctx.site.timezone))
        except Exception:  # unknown zone name: MediaWiki falls back to UTC as well
            return now.astimezone(_dt.timezone.utc)
    return now.astimezone(_dt.timezone.utc)


def _date_var(pp: Any, kind: str, d: _dt.datetime) -> str:
    ctx = pp.ctx
    lang = lang_of(ctx)
    months = MONTHS.get(lang, MONTHS["en"])
    if kind == "month":
        return format_num(ctx, f"{d.month:02d}", True)
    if kind == "month1":
        return format_num(ctx, str(d.month), True)
    if kind in ("monthname", "monthnamegen"):
        return months[d.month - 1]
    if kind == "monthabbrev":
        return MONTHS_ABBR.get(lang, MONTHS_ABBR["en"])[d.month - 1]
    if kind == "day":
        return format_num(ctx, str(d.day), True)
    if kind == "day2":
        return format_num(ctx, f"{d.day:02d}", True)
    if kind == "dayname":
        return DAYS.get(lang, DAYS["en"])[(d.weekday() + 1) % 7]
    if kind == "year":
        return format_num(ctx, str(d.year), True)
    if kind == "time":
        return format_num(ctx, f"{d.hour:02d}:{d.minute:02d}", True)
    if kind == "hour":
        return format_num(ctx, f"{d.hour:02d}", True)
    if kind == "week":
        return format_num(ctx, str(d.isocalendar()[1]), True)
    if kind == "dow":
        return format_num(ctx, str((d.weekday() + 1) % 7), True)
    if kind == "timestamp":
        return d.strftime("%Y%m%d%H%M%S")
    raise KeyError(kind)


# -- magic variables ----------------------------------------------------------------------------
def _page_name_value(ctx: Any, title: Any, mid: str) -> str | None:
    """The PAGENAME family (CoreMagicVariables / CoreParserFunctions::pagename & co)."""
    base = mid[:-1] if mid.endswith("ee") else mid
    encode = mid.endswith("ee") or (mid.endswith("e") and mid[:-1] in _PAGENAME_IDS)
    if base not in _PAGENAME_IDS:
        return None
    if base == "pagename":
        text = title.text
    elif base == "fullpagename":
        text = title.prefixed_text
    elif base == "subpagename":
        text = title.subpage_text
    elif base == "rootpagename":
        text = title.root_text
    elif base == "basepagename":
        text = title.base_text
    elif base == "talkpagename":
        if not title.can_have_talk():
            return ""
        text = title.talk_page().prefixed_text
    else:  # subjectpagename
        text = title.subject_page().prefixed_text
    if encode:
        return escape_wikitext(wfurlencode(text.replace(" ", "_")), ctx)
    return escape_wikitext(text, ctx)


_PAGENAME_IDS = ("pagename", "fullpagename", "subpagename", "rootpagename", "basepagename",
                 "talkpagename", "subjectpagename")


def _namespace_value(ctx: Any, title: Any, mid: str) -> str | None:
    ns = ctx.site.namespaces
    if mid in ("namespace", "namespacee"):
        text = ns.name(title.namespace)
    elif mid == "namespacenumber":
        return str(title.namespace)
    elif mid in ("talkspace", "talkspacee"):
        if not title.can_have_talk():
            return ""
        text = ns.name(ns.talk(title.namespace))
    elif mid in ("subjectspace", "subjectspacee"):
        text = ns.name(ns.subject(title.namespace))
    else:
        return None
    if mid.endswith("ee") or mid == "namespacee":
        return wfurlencode(text.replace(" ", "_"))
    return text


_STATS = {"numberofpages": "pages", "numberofarticles": "articles", "numberoffiles": "images",
          "numberofusers": "users", "numberofactiveusers": "activeusers",
          "numberofedits": "edits", "numberofadmins": "admins"}


def magic_variable(pp: Any, mid: str, frame: Any) -> str:
    """``Parser::expandMagicVariable`` (CoreMagicVariables::expand)."""
    ctx = pp.ctx
    site = ctx.site
    title = ctx.title
    if mid == "!":
        return "|"
    if mid == "=":
        return "="
    if mid.startswith(("current", "local")) and mid not in ("currentversion",):
        ctx.output.update_cache_expiry(CLOCK_CACHE_TTL)
        local = mid.startswith("local")
        kind = mid[5:] if local else mid[7:]
        return _date_var(pp, kind, _now(ctx, local))
    value = _page_name_value(ctx, title, mid)
    if value is not None:
        return value
    value = _namespace_value(ctx, title, mid)
    if value is not None:
        return value
    if mid in _STATS:
        return format_num(ctx, str(site_stats(ctx).get(_STATS[mid], 0)))
    if mid == "articlepath":
        return site.article_path
    if mid == "sitename":
        return site.sitename
    if mid == "server":
        return site.server
    if mid == "servername":
        m = re.match(r"(?:[a-z]+:)?//([^/:]+)", site.server)
        return m.group(1) if m else site.server
    if mid == "scriptpath":
        return site.script_path
    if mid == "stylepath":
        return site.extra.get("style_path", site.script_path + "/skins")
    if mid == "pageid":
        ctx.output.set_flag("vary-page-id")
        return str(site.page_id) if site.page_id else ""
    if mid == "revisionid":
        ctx.output.set_flag("vary-revision-id")
        rid = ctx.options.speculative_revision_id or site.revision_id
        return str(rid) if rid else ""
    if mid.startswith("revision"):
        return _revision_value(pp, mid[8:], None)
    if mid == "currentversion":
        return "1.39.17"
    if mid == "directionmark":
        return "\u200f" if lang_of(ctx) in RTL_LANGUAGES else "\u200e"
    if mid in ("contentlanguage", "pagelanguage"):
        return site.language
    if mid == "cascadingsources":
        return ""
    return ""


def _revision_value(pp: Any, what: str, title: Any) -> str:
    """REVISIONUSER/REVISIONSIZE/REVISIONTIMESTAMP & co of the page being parsed (``title``
    None or itself): its saved revision is described by ``site.revision_user``,
    ``site.revision_timestamp`` and ``options.extra["revision_text"]``; without a saved
    revision the timestamp variables fall back to the clock, as MediaWiki's do."""
    ctx = pp.ctx
    site = ctx.site
    self_page = title is None or title.prefixed_dbkey == ctx.title.prefixed_dbkey
    if what == "user":
        if self_page:
            ctx.output.set_flag("vary-user")
            return site.revision_user or ""
        return ""
    if what == "size":
        if self_page and "revision_text" in ctx.options.extra:
            return str(len(ctx.options.extra["revision_text"].encode("utf-8")))
        info = page_info(ctx, title or ctx.title)
        return str(info.length) if info else "0"
    ts: _dt.datetime | None = None
    if self_page:
        ctx.output.set_flag("vary-revision-timestamp")
        ts = site.revision_timestamp
        if ts is None and title is None:
            ts = site.clock()
    if ts is None:
        return ""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=_dt.timezone.utc)
    kind = {"day": "day", "day2": "day2", "month": "month", "month1": "month1",
            "year": "year", "timestamp": "timestamp"}.get(what)
    if kind is None:
        return ""
    return _date_var(pp, kind, ts.astimezone(_dt.timezone.utc))


def site_stats(ctx: Any) -> dict[str, int]:
    """Site statistics for NUMBEROF*: from the page source when it can count
    (``site_stats()``), else the figures configured in ``SiteConfig.stats``."""
    cache = ctx.ext_state.get("site_stats")
    if cache is None:
        counter = getattr(ctx.source, "site_stats", None)
        cache = dict(ctx.site.stats)
        if callable(counter):
            cache.update(counter())
        ctx.ext_state["site_stats"] = cache
    return cache
