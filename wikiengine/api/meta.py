"""``meta=siteinfo``, ``meta=userinfo`` and ``meta=tokens``.

Owns what the wiki says about itself (generator ``MediaWiki 1.39.17`` plus the ``wikiengine``
version, namespaces with their local names, aliases, interwiki map, statistics, extensions,
file extensions, user groups), about the current user (groups, rights, block, edit count) and
the session tokens clients need before they write.
"""
from __future__ import annotations

import datetime as _dt
import re
import time
from typing import Any

from flask import current_app
from sqlalchemy import distinct, func, select

from .. import __version__
from ..models import (Actor, Image, Page, RecentChange, Revision, User, UserGroup)
from ..namespaces import MAIN, MEDIAWIKI
from .base import ApiModule, HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .main import GENERATOR, TOKEN_SALTS, make_token
from .params import P
from . import users

FILE_EXTENSIONS = ("png", "gif", "jpg", "jpeg", "webp", "svg", "pdf")
LINKTRAIL = {"fr": "/^([a-zàâçéèêîôûäëïöüùÇÉÂÊÎÔÛÄËÏÖÜÀÈÙ]+)(.*)$/sDu",
             "en": "/^([a-z]+)(.*)$/sD"}
SITEINFO_PROPS = ("general", "namespaces", "namespacealiases", "interwikimap", "statistics",
                  "usergroups", "extensions", "fileextensions", "rightsinfo", "restrictions",
                  "languages", "skins", "protocols")


def wiki_id() -> str:
    configured = current_app.config.get("WIKI_ID")
    if configured:
        return str(configured)
    return re.sub(r"[^a-z0-9]", "", current_app.config.get("SITENAME", "wiki").lower()) or "wiki"


def interwiki_map() -> dict[str, Any]:
    """The renderer's interwiki table (``prefix -> Interwiki``): what links really do."""
    from .. import rendering

    return dict(rendering.site_config().interwiki)


@query_module
class SiteInfo(ApiModule):
    name, group, prefix, classname = "siteinfo", "meta", "si", "ApiQuerySiteinfo"
    helpurls = (HELP_BASE + "Siteinfo",)
    params = (
        P("prop", SITEINFO_PROPS, default="general", multi=True),
        P("filteriw", ("!local", "local")),
        P("numberingroup", "boolean"),
    )

    def execute(self, ctx: ApiContext) -> None:
        values = self.read(ctx)
        query = ctx.result.setdefault("query", {})
        for prop in values["prop"]:
            query[prop] = getattr(self, "_" + prop)(ctx, values)

    def _general(self, ctx: ApiContext, _v: dict[str, Any]) -> dict[str, Any]:
        cfg = current_app.config
        ns = site_namespaces()
        server = ctx.request.host_url.rstrip("/")
        script_path = cfg.get("SCRIPT_PATH", "/w")
        article_path = cfg.get("ARTICLE_PATH", "/wiki/$1")
        main_page = cfg.get("MAIN_PAGE", "Accueil")
        lang = cfg.get("LANGUAGE", "fr")
        fv2 = ctx.fv == 2
        thumbs = [120, 150, 180, 200, 250, 300]
        images = [(320, 240), (640, 480), (800, 600), (1024, 768), (1280, 1024), (2560, 2048)]
        g: dict[str, Any] = {
            "mainpage": main_page,
            "base": server + article_path.replace("$1", main_page.replace(" ", "_")),
            "sitename": cfg.get("SITENAME", "Wiki"),
            "mainpageisdomainroot": False,
            "logo": server + "/static/logo.svg",
            "generator": GENERATOR,
            "wikiengine": __version__,
            "phpversion": "8.2.0",
            "phpsapi": "wikiengine",
            "dbtype": "postgres" if cfg["DATABASE_URL"].startswith("postgres") else "sqlite",
            "dbversion": "",
            "imagewhitelistenabled": False,
            "langconversion": False,
            "linkconversion": False,
            "titleconversion": False,
            "linkprefixcharset": "",
            "linkprefix": "",
            "linktrail": LINKTRAIL.get(lang, LINKTRAIL["en"]),
            "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
            "invalidusernamechars": "@:>",
            "allunicodefixes": False,
            "fixarabicunicode": True,
            "fixmalayalamunicode": True,
            "case": "first-letter" if ns.capital_links else "case-sensitive",
            "lang": lang,
            "fallback": [],
            "rtl": False,
            "fallback8bitEncoding": "windows-1252",
            "readonly": bool(cfg.get("READ_ONLY")),
            "writeapi": True,
            "maxarticlesize": int(cfg.get("MAX_ARTICLE_SIZE", 2 * 1024 * 1024)),
            "timezone": "UTC",
            "timeoffset": 0,
            "articlepath": article_path,
            "scriptpath": script_path,
            "script": f"{script_path}/index.php",
            "variantarticlepath": False,
            "server": server,
            "servername": ctx.request.host.split(":")[0],
            "wikiid": wiki_id(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "misermode": False,
            "uploadsenabled": bool(cfg.get("UPLOADS_ENABLED", True)),
            "maxuploadsize": int(cfg.get("MAX_UPLOAD_SIZE", 100 * 1024 * 1024)),
            "minuploadchunksize": 1024,
            "galleryoptions": {"imagesPerRow": 0, "imageWidth": 120, "imageHeight": 120,
                               "captionLength": True, "showBytes": True, "mode": "traditional",
                               "showDimensions": True},
            "thumblimits": {str(i): t for i, t in enumerate(thumbs)} if fv2 else thumbs,
            "imagelimits": ({str(i): {"width": w, "height": h} for i, (w, h) in enumerate(images)}
                            if fv2 else [{"width": w, "height": h} for w, h in images]),
            "favicon": server + "/favicon.ico",
            "centralidlookupprovider": "local",
            "allcentralidlookupproviders": ["local"],
            "interwikimagic": True,
            "magiclinks": {"ISBN": False, "PMID": False, "RFC": False} if fv2 else [],
            "categorycollation": "uppercase",
            "nofollowlinks": True,
            "nofollownsexceptions": [],
            "nofollowdomainexceptions": [],
            "externallinktarget": False,
        }
        if cfg.get("READ_ONLY"):
            g["readonlyreason"] = str(cfg["READ_ONLY"])
        return _bools(ctx, g)

    def _namespaces(self, ctx: ApiContext, _v: dict[str, Any]) -> dict[str, Any]:
        ns = site_namespaces()
        out: dict[str, Any] = {}
        for number in ns.numbers():
            entry: dict[str, Any] = {"id": number, "case": "first-letter"
                                     if ns.is_capitalized(number) else "case-sensitive"}
            entry["name" if ctx.fv == 2 else "*"] = ns.name(number)
            canonical = ns.canonical(number)
            if canonical:
                entry["canonical"] = canonical
            ctx.boolean(entry, "subpages", ns.has_subpages(number))
            ctx.boolean(entry, "content", number == MAIN)
            ctx.boolean(entry, "nonincludable", False)
            if number == MEDIAWIKI:
                entry["namespaceprotection"] = "editinterface"
            out[str(number)] = entry
        return out

    def _namespacealiases(self, ctx: ApiContext, _v: dict[str, Any]) -> list[dict[str, Any]]:
        ns = site_namespaces()
        key = "alias" if ctx.fv == 2 else "*"
        return [{"id": number, key: alias} for number in ns.numbers()
                for alias in ns.aliases(number)]

    def _interwikimap(self, ctx: ApiContext, v: dict[str, Any]) -> list[dict[str, Any]]:
        from .. import rendering

        site = rendering.site_config()
        out = []
        for prefix, iw in sorted(interwiki_map().items()):
            local = bool(iw.local) or prefix in site.local_interwikis
            if v["filteriw"] == "local" and not local or v["filteriw"] == "!local" and local:
                continue
            entry: dict[str, Any] = {"prefix": prefix}
            ctx.flag(entry, "local", local)
            if prefix in site.interlanguage:
                entry["language"] = prefix
            entry["url"] = iw.url
            out.append(entry)
        return out

    def _statistics(self, ctx: ApiContext, _v: dict[str, Any]) -> dict[str, Any]:
        db = ctx.db
        since = _dt.datetime.utcnow() - _dt.timedelta(days=30)
        active = db.scalar(select(func.count(distinct(Actor.user_id)))
                           .join(RecentChange, RecentChange.actor_id == Actor.actor_id)
                           .where(Actor.user_id.is_not(None), RecentChange.timestamp >= since))
        return {
            "pages": db.scalar(select(func.count(Page.page_id))) or 0,
            "articles": db.scalar(select(func.count(Page.page_id)).where(
                Page.namespace == MAIN, Page.is_redirect.is_(False))) or 0,
            "edits": db.scalar(select(func.count(Revision.rev_id))) or 0,
            "images": db.scalar(select(func.count(Image.name))) or 0,
            "users": db.scalar(select(func.count(User.user_id))) or 0,
            "activeusers": active or 0,
            "admins": db.scalar(select(func.count(UserGroup.user_id)).where(
                UserGroup.group == "sysop")) or 0,
            "jobs": 0,
        }

    def _usergroups(self, ctx: ApiContext, v: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for group, rights in users.group_rights().items():
            entry: dict[str, Any] = {"name": group, "rights": sorted(rights)}
            if v["numberingroup"]:
                if group in ("*", "user", "autoconfirmed"):
                    entry["number"] = ctx.db.scalar(select(func.count(User.user_id))) or 0
                else:
                    entry["number"] = ctx.db.scalar(select(func.count(UserGroup.user_id)).where(
                        UserGroup.group == group)) or 0
            out.append(entry)
        return out

    def _extensions(self, ctx: ApiContext, _v: dict[str, Any]) -> list[dict[str, Any]]:
        """The enabled extensions as the registry describes them (Special:Version's list)."""
        from ..registry import get_registry

        best: dict[str, Any] = {}
        for info in get_registry().extensions.values():
            known = best.get(info.name.lower())
            score = sum(bool(x) for x in (info.version, info.author, info.url,
                                          info.description)) + (info.name != info.name.lower())
            if known is None or score > known[0]:
                best[info.name.lower()] = (score, info)
        out = []
        for _score, info in best.values():
            entry: dict[str, Any] = {"type": "parserhook", "name": info.name}
            for key, value in (("version", info.version), ("author", info.author),
                               ("url", info.url), ("descriptionmsg", info.description),
                               ("license-name", info.license)):
                if value:
                    entry[key] = value
            out.append(entry)
        return out

    def _fileextensions(self, ctx: ApiContext, _v: dict[str, Any]) -> list[dict[str, Any]]:
        exts = current_app.config.get("FILE_EXTENSIONS", FILE_EXTENSIONS)
        return [{"ext": e} for e in exts]

    def _rightsinfo(self, ctx: ApiContext, _v: dict[str, Any]) -> dict[str, Any]:
        return {"url": current_app.config.get("RIGHTS_URL", ""),
                "text": current_app.config.get("RIGHTS_TEXT", "")}

    def _restrictions(self, ctx: ApiContext, _v: dict[str, Any]) -> dict[str, Any]:
        return {"types": ["create", "edit", "move", "upload"],
                "levels": ["", "autoconfirmed", "sysop"],
                "cascadinglevels": ["sysop"], "semiprotectedlevels": ["autoconfirmed"]}

    def _languages(self, ctx: ApiContext, _v: dict[str, Any]) -> list[dict[str, Any]]:
        names = {"fr": "français", "en": "English", "br": "brezhoneg"}
        key = "name" if ctx.fv == 2 else "*"
        return [{"code": c, "bcp47": c, key: names.get(c, c)}
                for c in current_app.config.get("LANGUAGES", ["fr", "en"])]

    def _skins(self, ctx: ApiContext, _v: dict[str, Any]) -> list[dict[str, Any]]:
        entry: dict[str, Any] = {"code": "wikiengine", "name" if ctx.fv == 2 else "*": "Brest"}
        ctx.flag(entry, "default", True)
        return [entry]

    def _protocols(self, ctx: ApiContext, _v: dict[str, Any]) -> list[str]:
        return ["http://", "https://", "ftp://", "ftps://", "irc://", "ircs://", "mailto:",
                "news:", "sftp://", "ssh://", "tel:", "geo:", "//"]


def _bools(ctx: ApiContext, data: dict[str, Any]) -> dict[str, Any]:
    """Booleans of a plain data object in MediaWiki's fv1 form (nested objects too)."""
    if ctx.fv == 2:
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _bools(ctx, value)
        if value is True:
            out[key] = ""
        elif value is not False:
            out[key] = value
    return out


USERINFO_PROPS = ("blockinfo", "hasmsg", "rights", "changeablegroups", "options",
                  "editcount", "ratelimits", "email", "realname", "registrationdate",
                  "groups", "groupmemberships", "implicitgroups", "acceptlang",
                  "latestcontrib", "centralids")


@query_module
class UserInfo(ApiModule):
    name, group, prefix, classname = "userinfo", "meta", "ui", "ApiQueryUserInfo"
    helpurls = (HELP_BASE + "Userinfo",)
    params = (P("prop", tuple(sorted(USERINFO_PROPS)), multi=True, allspecifier="*"),)

    def execute(self, ctx: ApiContext) -> None:
        props = set(self.read(ctx)["prop"] or ())
        ctx.result.setdefault("query", {})["userinfo"] = userinfo(ctx, props)


def userinfo(ctx: ApiContext, props: set[str]) -> dict[str, Any]:
    user = ctx.user
    anon = bool(user.is_anon)
    out: dict[str, Any] = {"id": 0 if anon else user.user_id, "name": user.name}
    ctx.flag(out, "anon", anon)
    if "blockinfo" in props:
        block = users.active_block(ctx.db, user)
        if block is not None:
            out.update(users.block_info(ctx, block))
    if "hasmsg" in props:
        ctx.boolean(out, "messages", False)
    if "groups" in props:
        out["groups"] = users.all_groups(user)
    if "groupmemberships" in props:
        out["groupmemberships"] = [
            {"group": g.group, "expiry": users.api_expiry(g.expiry)}
            for g in (user.groups or [])]
    if "implicitgroups" in props:
        out["implicitgroups"] = [g for g in users.all_groups(user)
                                 if g in ("*", "user", "autoconfirmed")]
    if "rights" in props:
        out["rights"] = sorted(ctx.rights())
    if "changeablegroups" in props:
        groups = users.changeable_groups(ctx)
        out["changeablegroups"] = {"add": groups, "remove": groups, "add-self": [],
                                   "remove-self": []}
    if "options" in props:
        out["options"] = dict(user.options or {}) if not anon else {}
    if "editcount" in props:
        out["editcount"] = 0 if anon else int(user.editcount or 0)
    if "ratelimits" in props:
        out["ratelimits"] = users.rate_limits_for(ctx)
    if "realname" in props and not anon:
        out["realname"] = user.real_name or ""
    if "email" in props and not anon:
        out["email"] = user.email or ""
    if "registrationdate" in props and not anon and user.registration:
        out["registrationdate"] = api_time(user.registration)
    if "acceptlang" in props:
        out["acceptlang"] = [{"q": q, "code" if ctx.fv == 2 else "*": code}
                             for code, q in ctx.request.accept_languages]
    if "centralids" in props:
        out["centralids"] = {"local": 0 if anon else user.user_id}
        out["attachedlocal"] = {"local": not anon} if ctx.fv == 2 else (
            {"local": ""} if not anon else {})
    if "latestcontrib" in props and not anon:
        latest = ctx.db.scalar(select(func.max(Revision.timestamp)).join(
            Actor, Actor.actor_id == Revision.actor_id).where(Actor.user_id == user.user_id))
        if latest is not None:
            out["latestcontrib"] = api_time(latest)
    return out


def api_time(value: _dt.datetime | None) -> str:
    """ISO 8601 as the API writes timestamps (``2026-11-25T19:50:57Z``)."""
    if value is None:
        return "infinity"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


@query_module
class Tokens(ApiModule):
    name, group, prefix, classname = "tokens", "meta", "", "ApiQueryTokens"
    helpurls = (HELP_BASE + "Tokens",)
    readrights = False
    params = (P("type", tuple(sorted(TOKEN_SALTS)), default="csrf", multi=True,
                allspecifier="*"),)

    def execute(self, ctx: ApiContext) -> None:
        types = self.read(ctx)["type"] or []
        tokens = {f"{t}token": make_token(ctx, t) for t in types}
        ctx.result.setdefault("query", {})["tokens"] = tokens

