"""``list=search`` and ``list=prefixsearch`` through the search facade (``wikiengine.search``).

Owns the API shapes of a search: ``searchinfo`` (total hits, suggestion), hits with size,
word count, timestamp and snippets, ``sroffset`` continuation, and the generator form whose
pages carry their rank as ``index``. Without ``srwhat`` a search looks at titles, as
MediaWiki's database search backends do (``srwhat=text`` searches the text). Pending index
work is flushed first, so a page saved just before is found.
"""
from __future__ import annotations

import re
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..models import Page
from ..title import Title
from .base import HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .lists import ListModule, limit_param
from .params import P

SR_PROPS = ("redirecttitle", "score", "size", "snippet", "timestamp", "titlesnippet",
            "wordcount")
_WORD = re.compile(r"[^\s\"()]+")


def _search_module() -> Any:
    from .. import search

    return search


def _flush() -> None:
    search = _search_module()
    search.flush(timeout=float(current_app.config.get("API_SEARCH_FLUSH_TIMEOUT", 20.0)))


@query_module
class Search(ListModule):
    name, prefix, classname = "search", "sr", "ApiQuerySearch"
    helpurls = (HELP_BASE + "Search",)
    continue_name = "offset"
    params = (P("search", "string", required=True),
              P("namespace", "namespace", default=0, multi=True, allspecifier="*"),
              limit_param(), P("offset", "integer", default=0),
              P("what", ("nearmatch", "text", "title")),
              P("info", ("suggestion", "totalhits"), default="totalhits|suggestion",
                multi=True),
              P("prop", SR_PROPS, default="size|wordcount|timestamp|snippet", multi=True),
              P("sort", ("relevance",), default="relevance"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        text = v["search"].strip()
        if not text:
            raise ApiError("missingparam", f"{self.prefix}search")
        offset = max(0, v["offset"] or 0)
        what = v["what"] or "title"
        namespaces = v["namespace"]
        if what == "nearmatch":
            found = _search_module().find_title(text, session=ctx.db)
            rows: list[Any] = []
            if found is not None and (namespaces is None or found.namespace in namespaces):
                page = ctx.db.scalar(select(Page).where(Page.namespace == found.namespace,
                                                        Page.title == found.dbkey))
                if page is not None:
                    rows = [_NearMatch(page, found)]
            self._results = None
            return rows, None
        _flush()
        query = text if what == "text" else " ".join(
            f"intitle:{w}" for w in _WORD.findall(text))
        results = _search_module().search(query, namespaces=namespaces, limit=v["limit"],
                                          offset=offset)
        if results.error_code and results.error_code != "unavailable":
            raise ApiError(f"search-{results.error_code}", info=results.error or "Bad query.")
        self._results = results
        hits = list(results.hits)
        nxt = offset + len(hits) if offset + len(hits) < results.total and hits else None
        return hits, (str(nxt) if nxt is not None else None)

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        if isinstance(row, _NearMatch):
            return {"ns": row.page.namespace, "title": row.title.prefixed_text,
                    "pageid": row.page.page_id}
        props = set(v["prop"] or ())
        out: dict[str, Any] = {"ns": row.namespace, "title": row.title, "pageid": row.page_id}
        for key, value in (("size", row.size), ("wordcount", row.wordcount),
                           ("snippet", row.snippet), ("timestamp", row.timestamp),
                           ("titlesnippet", row.titlesnippet), ("score", row.score)):
            if key in props:
                out[key] = value
        if "redirecttitle" in props and row.redirecttitle:
            out["redirecttitle"] = row.redirecttitle
        return out

    def extra(self, ctx: ApiContext, v: dict[str, Any], query: dict[str, Any]) -> None:
        results = getattr(self, "_results", None)
        info: dict[str, Any] = {}
        wanted = set(v["info"] or ())
        if "totalhits" in wanted:
            info["totalhits"] = results.total if results is not None else len(
                query.get(self.name, []))
        if "suggestion" in wanted and results is not None and results.suggestion:
            info["suggestion"] = results.suggestion
            info["suggestionsnippet"] = results.suggestion
        query["searchinfo"] = info
        items = query.pop(self.name)
        query[self.name] = items

    def generate(self, ctx: ApiContext, pageset: Any, mgr: Any) -> list[Any]:
        v = self.read(ctx, as_generator=True)
        rows, nxt = self.fetch(ctx, v)
        if nxt is not None:
            mgr.add_generator(self, self.continue_name, nxt)
        offset = max(0, v["offset"] or 0)
        out = []
        ns = site_namespaces()
        for i, row in enumerate(rows):
            title = row.title if isinstance(row, _NearMatch) else Title.make(
                row.namespace, Title.new(row.title, ns).dbkey, ns)
            pageset.generator_data[(title.namespace, title.dbkey)] = {"index": offset + i + 1}
            out.append(title)
        return out


class _NearMatch:
    def __init__(self, page: Page, title: Title):
        self.page = page
        self.title = title


@query_module
class PrefixSearch(ListModule):
    name, prefix, classname = "prefixsearch", "ps", "ApiQueryPrefixSearch"
    helpurls = (HELP_BASE + "Prefixsearch",)
    continue_name = "offset"
    params = (P("search", "string", required=True),
              P("namespace", "namespace", default=0, multi=True, allspecifier="*"),
              limit_param(), P("offset", "integer", default=0))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        _flush()
        offset = max(0, v["offset"] or 0)
        found = _search_module().prefix_search(v["search"], namespaces=v["namespace"],
                                               limit=min(offset + v["limit"] + 1, 10_000))
        rows = found[offset:offset + v["limit"] + 1]
        if len(rows) > v["limit"]:
            return rows[:v["limit"]], str(offset + v["limit"])
        return rows, None

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        return {"ns": row["namespace"], "title": row["title"], "pageid": row["page_id"]}

    def generate(self, ctx: ApiContext, pageset: Any, mgr: Any) -> list[Any]:
        v = self.read(ctx, as_generator=True)
        rows, nxt = self.fetch(ctx, v)
        if nxt is not None:
            mgr.add_generator(self, self.continue_name, nxt)
        ns = site_namespaces()
        out = []
        for i, row in enumerate(rows):
            title = Title.new(row["title"], ns)
            pageset.generator_data[(title.namespace, title.dbkey)] = {
                "index": (v["offset"] or 0) + i + 1}
            out.append(title)
        return out
