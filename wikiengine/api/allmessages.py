"""``meta=allmessages``: interface messages clients ask for (separators, month names,
revert summaries…), from ``messages.json`` in the content language, overridden by the
wiki's own ``MediaWiki:`` pages as in MediaWiki.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..models import Page
from ..namespaces import MEDIAWIKI
from ..store import revisions
from .base import ApiModule, HELP_BASE, query_module
from .context import ApiContext
from .params import P


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    return json.loads((Path(__file__).parent / "messages.json").read_text("utf-8"))


def _ucfirst(name: str) -> str:
    return name[:1].upper() + name[1:]


@query_module
class AllMessages(ApiModule):
    name, group, prefix, classname = "allmessages", "meta", "am", "ApiQueryAllMessages"
    helpurls = (HELP_BASE + "Allmessages",)
    params = (P("messages", "string", default="*", multi=True),
              P("prop", ("default",), multi=True), P("nocontent", "boolean"),
              P("args", "string", multi=True, allowsduplicates=True), P("filter", "string"),
              P("customised", ("all", "modified", "unmodified"), default="all"),
              P("lang", "string"), P("from", "string"), P("to", "string"),
              P("prefix", "string"))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        cat = catalogue()
        lang = v["lang"] or current_app.config.get("LANGUAGE", "fr")
        table = {**cat["en"], **cat.get(lang, {})}
        names = v["messages"] or ["*"]
        if names == ["*"]:
            names = sorted(table)
        names = [n.lower() if n[:1].isupper() and n.lower() in table else n for n in names]
        if v["from"]:
            names = [n for n in names if n >= v["from"]]
        if v["to"]:
            names = [n for n in names if n <= v["to"]]
        if v["prefix"]:
            names = [n for n in names if n.startswith(v["prefix"])]
        if v["filter"]:
            names = [n for n in names if v["filter"] in n]
        local = self._local(ctx, names)
        out = []
        for name in names:
            entry: dict[str, Any] = {"name": name, "normalizedname": name}
            text = local.get(name, table.get(name))
            customised = name in local
            if v["customised"] == "modified" and not customised:
                continue
            if v["customised"] == "unmodified" and customised:
                continue
            if text is None:
                ctx.flag(entry, "missing", True)
            elif not v["nocontent"]:
                for i, arg in enumerate(v["args"] or [], 1):
                    text = text.replace(f"${i}", arg)
                entry["content" if ctx.fv == 2 else "*"] = text
            if customised:
                ctx.flag(entry, "customised", True)
            if "default" in (v["prop"] or ()) and customised and name in table:
                entry["defaultmissing" if name not in table else "default"] = table[name]
            out.append(entry)
        ctx.result.setdefault("query", {})["allmessages"] = out

    def _local(self, ctx: ApiContext, names: list[str]) -> dict[str, str]:
        keys = {_ucfirst(n).replace(" ", "_"): n for n in names}
        found: dict[str, str] = {}
        if not keys:
            return found
        for page in ctx.db.scalars(select(Page).where(Page.namespace == MEDIAWIKI,
                                                      Page.title.in_(list(keys)))):
            text = revisions.page_text(ctx.db, page)
            if text is not None:
                found[keys[page.title]] = text
        return found
