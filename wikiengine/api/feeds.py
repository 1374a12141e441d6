"""``action=opensearch`` and ``action=feedrecentchanges``.

Owns the OpenSearch suggestion answer (``[query, titles, descriptions, urls]``, through the
search facade's prefix search) and the RSS/Atom feed of recent changes (escaped XML, built
with ``xml.etree`` so nothing a user typed can break it).
"""
from __future__ import annotations

import datetime as _dt
import json
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from flask import Response, current_app
from sqlalchemy import select

from ..models import RC_LOG, Actor, RecentChange
from ..title import Title
from .base import ApiModule, HELP_BASE, action
from .context import ApiContext, site_namespaces
from .formatting import api_time, wiki_url
from .params import P


@action
class OpenSearch(ApiModule):
    name, classname = "opensearch", "ApiOpenSearch"
    helpurls = (HELP_BASE + "Opensearch",)
    params = (P("search", "string", required=True),
              P("namespace", "namespace", default=0, multi=True, allspecifier="*"),
              P("limit", "limit", default=10, min=1, max=500, highmax=5000),
              P("redirects", ("resolve", "return")), P("format", ("json", "jsonfm"),
                                                       default="json"),
              P("warningsaserror", "boolean"))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        from .. import search

        search.flush(timeout=float(current_app.config.get("API_SEARCH_FLUSH_TIMEOUT", 20.0)))
        hits = search.prefix_search(v["search"], namespaces=v["namespace"], limit=v["limit"])
        server = ctx.request.host_url.rstrip("/")
        titles, urls = [], []
        for hit in hits:
            text = hit["title"]
            if v["redirects"] == "return" and hit.get("redirect_from"):
                text = hit["redirect_from"]
            titles.append(text)
            urls.append(server + wiki_url(text))
        body = [v["search"], titles, [""] * len(titles), urls]
        text = json.dumps(body, ensure_ascii=False)
        ctx.result["__raw__"] = Response(text, 200, {"Cache-Control": "private, max-age=0"},
                                         content_type="application/json; charset=utf-8")


@action
class FeedRecentChanges(ApiModule):
    name, classname = "feedrecentchanges", "ApiFeedRecentChanges"
    helpurls = (HELP_BASE + "Feedrecentchanges",)
    params = (P("feedformat", ("atom", "rss"), default="rss"), P("namespace", "namespace"),
              P("invert", "boolean"), P("days", "integer", default=7, min=1),
              P("limit", "integer", default=50, min=1, max=50), P("from", "timestamp"),
              P("hideminor", "boolean"), P("hidebots", "boolean"), P("hideanons", "boolean"),
              P("hideliu", "boolean"), P("hidemyself", "boolean"))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        q = select(RecentChange).join(Actor, Actor.actor_id == RecentChange.actor_id)
        since = v["from"] or (_dt.datetime.utcnow() - _dt.timedelta(days=v["days"]))
        q = q.where(RecentChange.timestamp >= since)
        if v["namespace"] is not None:
            q = q.where(RecentChange.namespace != v["namespace"] if v["invert"]
                        else RecentChange.namespace == v["namespace"])
        if v["hideminor"]:
            q = q.where(RecentChange.minor.is_(False))
        if v["hidebots"]:
            q = q.where(RecentChange.bot.is_(False))
        if v["hideanons"]:
            q = q.where(Actor.user_id.is_not(None))
        if v["hideliu"]:
            q = q.where(Actor.user_id.is_(None))
        if v["hidemyself"]:
            q = q.where(Actor.name != ctx.user.name)
        q = q.order_by(RecentChange.timestamp.desc(), RecentChange.rc_id.desc())
        rows = list(ctx.db.scalars(q.limit(v["limit"])))
        server = ctx.request.host_url.rstrip("/")
        sitename = current_app.config.get("SITENAME", "Wiki")
        lang = current_app.config.get("LANGUAGE", "fr")
        feed_title = f"{sitename}  - Recent changes [{lang}]"
        link = server + wiki_url("Special:RecentChanges")
        if v["feedformat"] == "atom":
            xml, mime = _atom(rows, feed_title, link, server), "application/atom+xml"
        else:
            xml, mime = _rss(rows, feed_title, link, server, lang), "application/rss+xml"
        ctx.result["__raw__"] = Response(xml, 200, content_type=f"{mime}; charset=utf-8")


def _entry_title(rc: RecentChange) -> tuple[str, str]:
    title = Title.make(rc.namespace, rc.title, site_namespaces())
    return title.prefixed_text, title.prefixed_dbkey


def _summary(rc: RecentChange) -> str:
    if rc.type == RC_LOG:
        return f"{rc.log_type}/{rc.log_action}: {rc.comment or ''}"
    return rc.comment or ""


def _rss(rows: list[RecentChange], title: str, link: str, server: str, lang: str) -> bytes:
    rss = ET.Element("rss", version="2.0", attrib={"xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    channel = ET.SubElement(rss, "channel")
    for tag, text in (("title", title), ("link", link), ("language", lang),
                      ("description", "Track the most recent changes to the wiki in this feed."),
                      ("generator", "MediaWiki 1.39.17")):
        ET.SubElement(channel, tag).text = text
    for rc in rows:
        text, key = _entry_title(rc)
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = text
        url = server + wiki_url(key)
        if rc.this_oldid:
            url = f"{server}{current_app.config.get('SCRIPT_PATH', '/w')}/index.php?title=" \
                  f"{key}&diff={rc.this_oldid}&oldid={rc.last_oldid or rc.this_oldid}"
        ET.SubElement(item, "link").text = url
        ET.SubElement(item, "guid", isPermaLink="false").text = url
        ET.SubElement(item, "description").text = _summary(rc)
        ET.SubElement(item, "pubDate").text = format_datetime(
            rc.timestamp.replace(tzinfo=_dt.timezone.utc), usegmt=True)
        ET.SubElement(item, "dc:creator").text = rc.actor.name if rc.actor else ""
        ET.SubElement(item, "comments").text = server + wiki_url(
            Title.make(rc.namespace, rc.title, site_namespaces()).talk_page().prefixed_dbkey
            if rc.namespace >= 0 else key)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="utf-8")


def _atom(rows: list[RecentChange], title: str, link: str, server: str) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    feed = ET.Element("feed", xmlns=ns)
    ET.SubElement(feed, "id").text = link
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=link)
    ET.SubElement(feed, "updated").text = api_time(rows[0].timestamp) if rows else \
        api_time(_dt.datetime.utcnow())
    ET.SubElement(feed, "generator").text = "MediaWiki 1.39.17"
    for rc in rows:
        text, key = _entry_title(rc)
        entry = ET.SubElement(feed, "entry")
        url = server + wiki_url(key)
        ET.SubElement(entry, "id").text = f"{url}?rcid={rc.rc_id}"
        ET.SubElement(entry, "title").text = text
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
        ET.SubElement(entry, "updated").text = api_time(rc.timestamp)
        ET.SubElement(entry, "summary", type="html").text = _summary(rc)
        author = ET.SubElement(entry, "author")
        ET.SubElement(author, "name").text = rc.actor.name if rc.actor else ""
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")

