"""``action=paraminfo`` and ``action=help``: the API describing itself.

Owns answers generated from the same ``P`` declarations that validate requests, so what
pywikibot learns (prefixes, limits, allowed values, submodules, POST-only modules) is what the
dispatcher enforces. Unknown modules are listed under ``missing`` as MediaWiki does.
"""
from __future__ import annotations

from typing import Any

from markupsafe import escape

from .base import ACTIONS, QUERY_MODULES, ApiModule, HELP_BASE, action, find_module
from .context import ApiContext
from .params import P


def _describe(ctx: ApiContext, path: str) -> dict[str, Any] | None:
    from .main import JSON_FORMAT, MAIN

    if path == "main":
        return MAIN.describe(ctx)
    if path == "json":
        return JSON_FORMAT.describe(ctx)
    module = find_module(path)
    return module.describe(ctx) if module is not None else None


def _query_module_names() -> list[str]:
    return sorted(n for g in QUERY_MODULES.values() for n in g)


@action
class ParamInfo(ApiModule):
    name, classname = "paraminfo", "ApiParamInfo"
    helpurls = (HELP_BASE + "Parameter_information",)
    readrights = False
    params = (
        P("modules", "string", multi=True),
        P("helpformat", ("html", "none", "raw", "wikitext"), default="none"),
        P("querymodules", _query_module_names, multi=True, deprecated=True),
        P("mainmodule", "string", deprecated=True),
        P("formatmodules", ("json", "jsonfm", "none"), multi=True, deprecated=True),
    )

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        paths: list[str] = []
        for item in v["modules"] or []:
            paths.extend(_expand(item))
        paths += [f"query+{m}" for m in v["querymodules"] or []]
        if v["mainmodule"] is not None:
            paths.insert(0, "main")
        paths += list(v["formatmodules"] or [])
        modules, missing = [], []
        for path in paths:
            info = _describe(ctx, path)
            if info is None:
                entry: dict[str, Any] = {"name": path}
                ctx.flag(entry, "missing", True)
                missing.append(entry)
            else:
                modules.append(info)
        out: dict[str, Any] = {"helpformat": v["helpformat"], "modules": modules}
        if missing:
            out["missing"] = missing
        ctx.result["paraminfo"] = out


def _expand(item: str) -> list[str]:
    """``query+*`` and ``*`` wildcards as MediaWiki accepts them."""
    if item == "*":
        return sorted(ACTIONS)
    if item == "query+*":
        return [f"query+{n}" for g in QUERY_MODULES.values() for n in sorted(g)]
    return [item]


@action
class Help(ApiModule):
    name, classname = "help", "ApiHelp"
    helpurls = (HELP_BASE + "Main_page",)
    readrights = False
    params = (
        P("modules", "string", default="main", multi=True),
        P("submodules", "boolean"),
        P("recursivesubmodules", "boolean"),
        P("wrap", "boolean"),
        P("toc", "boolean"),
    )

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        parts = ["<div class=\"apihelp\"><h1>MediaWiki API help</h1>",
                 "<p>This wiki answers MediaWiki's Action API. Modules:</p>"]
        for path in v["modules"] or ["main"]:
            info = _describe(ctx, path)
            if info is None:
                continue
            parts.append(f"<h2 id=\"{escape(path)}\">{escape(path)}</h2><dl>")
            for p in info["parameters"]:
                kind = p["type"] if isinstance(p["type"], str) else " | ".join(p["type"])
                parts.append(f"<dt>{escape(info['prefix'] + p['name'])}</dt>"
                             f"<dd>{escape(kind)}</dd>")
            parts.append("</dl>")
        parts.append("<h2>Actions</h2><ul>")
        parts += [f"<li>{escape(n)}</li>" for n in sorted(ACTIONS)]
        parts.append("</ul></div>")
        html = "".join(parts)
        if getattr(ctx, "format", "") == "jsonfm" and not v["wrap"]:
            from flask import Response

            page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<title>MediaWiki API help</title></head><body>" + html + "</body></html>")
            ctx.result["__raw__"] = Response(page, 200, content_type="text/html; charset=utf-8")
            return
        ctx.result["help"] = {"mime": "text/html", "help": html}
