"""Changes and logs: ``list=recentchanges|watchlist|logevents``.

Owns the API shapes of recent changes (``rccontinue=timestamp|rcid``, flags, sizes, log
details, ``rcshow`` filters), a user's watchlist changes and log events (move targets as
``target_ns``/``target_title``), and the timestamp continuation helpers they share with
``lists_users``.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import and_, func, or_, select

from ..models import (RC_EDIT, RC_LOG, RC_NEW, Actor, LogEntry, Page, RecentChange, Revision,
                      Watchlist)
from ..store import changes
from ..title import Title
from .base import HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import actor_fields, api_time, mw_time, parsed_comment, sha1_hex
from .lists import ListModule, limit_param
from .params import P, parse_timestamp

RC_TYPES = {"edit": RC_EDIT, "new": RC_NEW, "log": RC_LOG}
RC_TYPE_NAMES = {RC_EDIT: "edit", RC_NEW: "new", RC_LOG: "log"}
RC_PROPS = ("comment", "flags", "ids", "loginfo", "parsedcomment", "patrolled", "redirect",
            "sha1", "sizes", "tags", "timestamp", "title", "user", "userid")
RC_SHOW = ("!anon", "!bot", "!minor", "!redirect", "anon", "bot", "minor", "redirect")


def ts_continue(value: str) -> tuple[_dt.datetime, int]:
    parts = value.split("|")
    ts = parse_timestamp(parts[0]) if len(parts) == 2 else None
    if ts is None or not parts[1].isdigit():
        raise ApiError("badcontinue")
    return ts, int(parts[1])


def after(ts_col: Any, id_col: Any, value: str, newer: bool) -> Any:
    ts, ident = ts_continue(value)
    top = ts.replace(microsecond=999999)
    if newer:
        return or_(ts_col > top, and_(ts_col >= ts, id_col >= ident))
    return or_(ts_col < ts, and_(ts_col <= top, id_col <= ident))


def time_range(q: Any, col: Any, start: Any, end: Any, newer: bool) -> Any:
    if start is not None:
        q = q.where(col >= start if newer else col <= start.replace(microsecond=999999))
    if end is not None:
        q = q.where(col <= end.replace(microsecond=999999) if newer else col >= end)
    return q


def user_name(text: str) -> str:
    name = text.replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def log_params_api(ctx: ApiContext, entry_type: str, params: dict[str, Any],
                   action: str = "") -> dict[str, Any]:
    """``log_params`` as the API shows them (move target split into ns and title; the
    store's own bookkeeping left out)."""
    out = {k: v for k, v in params.items() if k != "redirect_page"}
    if (entry_type, action) == ("delete", "delete"):
        out.pop("count", None)
    if entry_type == "move" and "target" in out:
        target = out.pop("target")
        try:
            title = Title.new(str(target), site_namespaces())
            out["target_ns"] = title.namespace
            out["target_title"] = title.prefixed_text
        except ValueError:
            out["target_title"] = str(target)
        if out.pop("noredir", False):
            ctx.flag(out, "suppressredirect", True)
    for key, value in list(out.items()):
        if isinstance(value, bool):
            del out[key]
            ctx.flag(out, key, value)
    return out


@query_module
class RecentChanges(ListModule):
    name, prefix, classname = "recentchanges", "rc", "ApiQueryRecentChanges"
    helpurls = (HELP_BASE + "RecentChanges",)
    params = (P("start", "timestamp"), P("end", "timestamp"),
              P("dir", ("newer", "older"), default="older"),
              P("namespace", "namespace", multi=True, allspecifier="*"),
              P("user", "user", subtypes=("name", "ip", "id")),
              P("excludeuser", "user", subtypes=("name", "ip", "id")), P("tag", "string"),
              P("prop", RC_PROPS, default="title|timestamp|ids", multi=True),
              P("show", RC_SHOW, multi=True), limit_param(),
              P("type", ("edit", "log", "new"), default="edit|new|log", multi=True),
              P("toponly", "boolean"), P("title", "string"), P("continue", "string"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        newer = v["dir"] == "newer"
        q = select(RecentChange)
        q = time_range(q, RecentChange.timestamp, v["start"], v["end"], newer)
        if v["namespace"] is not None:
            q = q.where(RecentChange.namespace.in_(v["namespace"]))
        if v["user"] is not None and v["excludeuser"] is not None:
            raise ApiError("invalidparammix", '"rcuser", "rcexcludeuser"')
        if v["user"] is not None or v["excludeuser"] is not None:
            q = q.join(Actor, Actor.actor_id == RecentChange.actor_id)
            if v["user"] is not None:
                q = q.where(Actor.name == user_name(v["user"]))
            else:
                q = q.where(Actor.name != user_name(v["excludeuser"]))
        if v["tag"]:
            q = q.where(RecentChange.rc_id < 0)
        q = q.where(RecentChange.type.in_([RC_TYPES[t] for t in v["type"] or []] or [-1]))
        q = self._show(ctx, q, set(v["show"] or ()))
        if v["toponly"]:
            q = q.join(Page, Page.page_id == RecentChange.page_id).where(
                Page.latest == RecentChange.this_oldid)
        if v["title"]:
            title = ctx.title(v["title"])
            q = q.where(RecentChange.namespace == title.namespace,
                        RecentChange.title == title.dbkey)
        if v["continue"] is not None:
            q = q.where(after(RecentChange.timestamp, RecentChange.rc_id, v["continue"], newer))
        order = [RecentChange.timestamp, RecentChange.rc_id]
        q = q.order_by(*[c.asc() if newer else c.desc() for c in order])
        rows = list(ctx.db.scalars(q.limit(v["limit"] + 1)))
        if len(rows) > v["limit"]:
            nxt = rows[v["limit"]]
            return rows[:v["limit"]], f"{mw_time(nxt.timestamp)}|{nxt.rc_id}"
        return rows, None

    def _show(self, ctx: ApiContext, q: Any, show: set[str]) -> Any:
        for flag in ("minor", "bot", "anon", "redirect"):
            if flag in show and f"!{flag}" in show:
                raise ApiError("show", info='Incorrect parameter - mutually exclusive values '
                                            'may not be supplied.')
        if "minor" in show:
            q = q.where(RecentChange.minor.is_(True))
        if "!minor" in show:
            q = q.where(RecentChange.minor.is_(False))
        if "bot" in show:
            q = q.where(RecentChange.bot.is_(True))
        if "!bot" in show:
            q = q.where(RecentChange.bot.is_(False))
        anon_actors = select(Actor.actor_id).where(Actor.user_id.is_(None))
        if "anon" in show:
            q = q.where(RecentChange.actor_id.in_(anon_actors))
        if "!anon" in show:
            q = q.where(RecentChange.actor_id.not_in(anon_actors))
        redirects = select(Page.page_id).where(Page.is_redirect.is_(True))
        if "redirect" in show:
            q = q.where(RecentChange.page_id.in_(redirects))
        if "!redirect" in show:
            q = q.where(or_(RecentChange.page_id.is_(None),
                            RecentChange.page_id.not_in(redirects)))
        return q

    def item(self, ctx: ApiContext, v: dict[str, Any], rc: Any) -> dict[str, Any]:
        return rc_item(ctx, set(v["prop"] or ()), rc)

    def target(self, rc: Any) -> Any:
        return Title.make(rc.namespace, rc.title, site_namespaces())


def rc_item(ctx: ApiContext, props: set[str], rc: RecentChange) -> dict[str, Any]:
    out: dict[str, Any] = {"type": RC_TYPE_NAMES.get(rc.type, "edit")}
    title = Title.make(rc.namespace, rc.title, site_namespaces())
    if "title" in props:
        out["ns"] = rc.namespace
        out["title"] = title.prefixed_text
    if "ids" in props:
        out.update(pageid=rc.page_id or 0, revid=rc.this_oldid or 0,
                   old_revid=rc.last_oldid or 0, rcid=rc.rc_id)
    if "user" in props or "userid" in props:
        actor_fields(ctx, out, rc.actor, "user" in props, "userid" in props)
    if "flags" in props:
        ctx.flag(out, "bot", bool(rc.bot))
        ctx.flag(out, "new", bool(rc.new))
        ctx.flag(out, "minor", bool(rc.minor))
    if "sizes" in props:
        out["oldlen"] = rc.old_len or 0
        out["newlen"] = rc.new_len or 0
    if "timestamp" in props:
        out["timestamp"] = api_time(rc.timestamp)
    if "comment" in props:
        out["comment"] = rc.comment or ""
    if "parsedcomment" in props:
        out["parsedcomment"] = parsed_comment(rc.comment or "", title.prefixed_text)
    if "redirect" in props and rc.page_id:
        page = ctx.db.get(Page, rc.page_id)
        ctx.flag(out, "redirect", bool(page is not None and page.is_redirect))
    if "patrolled" in props:
        ctx.flag(out, "patrolled", bool(rc.patrolled))
        ctx.flag(out, "unpatrolled", not rc.patrolled)
    if "loginfo" in props and rc.type == RC_LOG:
        import json

        try:
            params = json.loads(rc.params or "{}")
        except ValueError:
            params = {}
        out.update(logid=rc.logid, logtype=rc.log_type, logaction=rc.log_action,
                   logparams=log_params_api(ctx, rc.log_type or "", params
                                            if isinstance(params, dict) else {},
                                            rc.log_action or ""))
    if "sha1" in props and rc.this_oldid:
        rev = ctx.db.get(Revision, rc.this_oldid)
        out["sha1"] = sha1_hex(rev.sha1) if rev is not None else ""
    if "tags" in props:
        out["tags"] = []
    return out


@query_module
class WatchlistChanges(ListModule):
    name, prefix, classname = "watchlist", "wl", "ApiQueryWatchlist"
    helpurls = (HELP_BASE + "Watchlist",)
    params = (P("allrev", "boolean"), P("start", "timestamp"), P("end", "timestamp"),
              P("namespace", "namespace", multi=True, allspecifier="*"),
              P("user", "user", subtypes=("name", "ip", "id")),
              P("excludeuser", "user", subtypes=("name", "ip", "id")),
              P("dir", ("newer", "older"), default="older"), limit_param(),
              P("prop", ("comment", "flags", "ids", "loginfo", "parsedcomment", "sizes",
                         "timestamp", "title", "user", "userid"),
                default="ids|title|flags", multi=True),
              P("show", ("!anon", "!bot", "!minor", "anon", "bot", "minor"), multi=True),
              P("type", ("edit", "log", "new"), default="edit|new|log", multi=True),
              P("continue", "string"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        if ctx.user.is_anon:
            raise ApiError("notloggedin", info="You must be logged in to have a watchlist.")
        if "viewmywatchlist" not in ctx.rights():
            raise ApiError("permissiondenied", "view your watchlist")
        newer = v["dir"] == "newer"
        watched = select(Watchlist.namespace, Watchlist.title).where(
            Watchlist.user_id == ctx.user.user_id)
        pairs = list(ctx.db.execute(watched))
        if not pairs:
            return [], None
        cond = or_(*[and_(RecentChange.namespace == ns, RecentChange.title == t)
                     for ns, t in pairs])
        q = select(RecentChange).where(cond)
        q = time_range(q, RecentChange.timestamp, v["start"], v["end"], newer)
        if v["namespace"] is not None:
            q = q.where(RecentChange.namespace.in_(v["namespace"]))
        q = q.where(RecentChange.type.in_([RC_TYPES[t] for t in v["type"] or []] or [-1]))
        if v["user"] is not None or v["excludeuser"] is not None:
            q = q.join(Actor, Actor.actor_id == RecentChange.actor_id)
            if v["user"] is not None:
                q = q.where(Actor.name == user_name(v["user"]))
            if v["excludeuser"] is not None:
                q = q.where(Actor.name != user_name(v["excludeuser"]))
        q = RecentChanges._show(self, ctx, q, set(v["show"] or ()))  # type: ignore[arg-type]
        if not v["allrev"]:
            latest = select(func.max(RecentChange.rc_id)).where(cond).group_by(
                RecentChange.namespace, RecentChange.title)
            q = q.where(RecentChange.rc_id.in_(latest))
        if v["continue"] is not None:
            q = q.where(after(RecentChange.timestamp, RecentChange.rc_id, v["continue"], newer))
        order = [RecentChange.timestamp, RecentChange.rc_id]
        q = q.order_by(*[c.asc() if newer else c.desc() for c in order])
        rows = list(ctx.db.scalars(q.limit(v["limit"] + 1)))
        if len(rows) > v["limit"]:
            nxt = rows[v["limit"]]
            return rows[:v["limit"]], f"{mw_time(nxt.timestamp)}|{nxt.rc_id}"
        return rows, None

    def item(self, ctx: ApiContext, v: dict[str, Any], rc: Any) -> dict[str, Any]:
        return rc_item(ctx, set(v["prop"] or ()), rc)

    def target(self, rc: Any) -> Any:
        return Title.make(rc.namespace, rc.title, site_namespaces())


LE_PROPS = ("comment", "details", "ids", "parsedcomment", "tags", "timestamp", "title", "type",
            "user", "userid")
LOG_TYPES = ("", "block", "create", "delete", "import", "merge", "move", "newusers", "patrol",
             "protect", "rights", "upload")
#: type/action pairs this wiki writes (MediaWiki's $wgLogActionsHandler keys we use).
LOG_ACTIONS = ("block/block", "block/reblock", "block/unblock", "create/create",
               "delete/delete", "delete/delete_redir", "delete/event", "delete/restore",
               "delete/revision", "import/interwiki", "import/upload", "merge/merge",
               "move/move", "move/move_redir", "newusers/autocreate", "newusers/byemail",
               "newusers/create", "newusers/create2", "newusers/newusers", "patrol/autopatrol",
               "patrol/patrol", "protect/modify", "protect/move_prot", "protect/protect",
               "protect/unprotect", "rights/autopromote", "rights/rights", "upload/overwrite",
               "upload/revert", "upload/upload")


@query_module
class LogEvents(ListModule):
    name, prefix, classname = "logevents", "le", "ApiQueryLogEvents"
    helpurls = (HELP_BASE + "Logevents",)
    generator = False
    params = (P("prop", LE_PROPS, default="ids|title|type|user|timestamp|comment|details",
                multi=True),
              P("type", LOG_TYPES), P("action", LOG_ACTIONS), P("start", "timestamp"),
              P("end", "timestamp"), P("dir", ("newer", "older"), default="older"),
              P("user", "user", subtypes=("name", "ip", "id")), P("title", "string"),
              P("namespace", "namespace"), P("prefix", "string"), P("tag", "string"),
              limit_param(), P("continue", "string"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        newer = v["dir"] == "newer"
        q = select(LogEntry)
        if v["type"]:
            q = q.where(LogEntry.type == v["type"])
        if v["action"]:
            kind, _sep, act = v["action"].partition("/")
            q = q.where(LogEntry.type == kind, LogEntry.action == act)
        q = time_range(q, LogEntry.timestamp, v["start"], v["end"], newer)
        if v["user"] is not None:
            q = q.join(Actor, Actor.actor_id == LogEntry.actor_id).where(
                Actor.name == user_name(v["user"]))
        if v["title"] is not None:
            title = ctx.title(v["title"])
            q = q.where(LogEntry.namespace == title.namespace, LogEntry.title == title.dbkey)
        if v["namespace"] is not None:
            q = q.where(LogEntry.namespace == v["namespace"])
        if v["prefix"]:
            title = ctx.title(v["prefix"])
            q = q.where(LogEntry.namespace == title.namespace,
                        LogEntry.title.startswith(title.dbkey, autoescape=True))
        if v["tag"]:
            q = q.where(LogEntry.log_id < 0)
        if v["continue"] is not None:
            q = q.where(after(LogEntry.timestamp, LogEntry.log_id, v["continue"], newer))
        order = [LogEntry.timestamp, LogEntry.log_id]
        q = q.order_by(*[c.asc() if newer else c.desc() for c in order])
        rows = list(ctx.db.scalars(q.limit(v["limit"] + 1)))
        if len(rows) > v["limit"]:
            nxt = rows[v["limit"]]
            return rows[:v["limit"]], f"{mw_time(nxt.timestamp)}|{nxt.log_id}"
        return rows, None

    def item(self, ctx: ApiContext, v: dict[str, Any], e: Any) -> dict[str, Any]:
        props = set(v["prop"] or ())
        title = Title.make(e.namespace, e.title, site_namespaces())
        out: dict[str, Any] = {}
        if "ids" in props:
            out.update(logid=e.log_id, pageid=e.page_id or 0, logpage=e.page_id or 0)
        if "title" in props:
            out.update(ns=e.namespace, title=title.prefixed_text)
        if "details" in props:
            out["params"] = log_params_api(ctx, e.type, changes.log_params(e), e.action)
        if "type" in props:
            out.update(type=e.type, action=e.action)
        if "user" in props or "userid" in props:
            actor_fields(ctx, out, e.actor, "user" in props, "userid" in props)
        if "timestamp" in props:
            out["timestamp"] = api_time(e.timestamp)
        if "comment" in props:
            out["comment"] = e.comment or ""
        if "parsedcomment" in props:
            out["parsedcomment"] = parsed_comment(e.comment or "", title.prefixed_text)
        if "tags" in props:
            out["tags"] = []
        return out
