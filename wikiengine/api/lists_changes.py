"""Changes, logs and users: ``list=recentchanges|watchlist|usercontribs|logevents|users|
allusers``.

Owns the API shapes of recent changes (``rccontinue=timestamp|rcid``, flags, sizes, log
details, ``rcshow`` filters), a user's watchlist changes, contributions (``top``,
``sizediff``), log events (move targets as ``target_ns``/``target_title``) and users (groups,
rights, edit count, registration, blocks).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import and_, func, or_, select

from ..models import (RC_EDIT, RC_LOG, RC_NEW, Actor, LogEntry, Page, RecentChange, Revision,
                      User, UserGroup, Watchlist)
from ..store import changes, permissions
from ..store import users as store_users
from ..title import Title
from .base import HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import actor_fields, api_time, mw_time, parsed_comment, sha1_hex
from .lists import ListModule, limit_param
from .params import P, parse_timestamp
from . import users as api_users

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


def log_params_api(ctx: ApiContext, entry_type: str, params: dict[str, Any]) -> dict[str, Any]:
    """``log_params`` as the API shows them (move target split into ns and title)."""
    out = {k: v for k, v in params.items() if k != "redirect_page"}
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
                                            if isinstance(params, dict) else {}))
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


UC_PROPS = ("comment", "flags", "ids", "parsedcomment", "size", "sizediff", "tags",
            "timestamp", "title")


@query_module
class UserContribs(ListModule):
    name, prefix, classname = "usercontribs", "uc", "ApiQueryUserContribs"
    helpurls = (HELP_BASE + "Usercontribs",)
    generator = False
    params = (limit_param(), P("start", "timestamp"), P("end", "timestamp"),
              P("continue", "string"), P("user", "user", multi=True, subtypes=("name", "ip")),
              P("userids", "integer", multi=True), P("userprefix", "string"),
              P("dir", ("newer", "older"), default="older"),
              P("namespace", "namespace", multi=True, allspecifier="*"),
              P("prop", UC_PROPS, default="ids|title|timestamp|comment|size|flags", multi=True),
              P("show", ("!autopatrolled", "!minor", "!new", "!patrolled", "!top",
                         "autopatrolled", "minor", "new", "patrolled", "top"), multi=True),
              P("tag", "string"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        given = [k for k in ("user", "userids", "userprefix") if v[k]]
        if not given:
            raise ApiError("missingparam-at-least-one-of",
                           '"ucuser", "ucuserids", "ucuserprefix"')
        if len(given) > 1:
            raise ApiError("invalidparammix", ", ".join(f'"uc{g}"' for g in given))
        newer = v["dir"] == "newer"
        q = (select(Revision, Page, Actor).join(Page, Page.page_id == Revision.page_id)
             .join(Actor, Actor.actor_id == Revision.actor_id))
        if v["user"]:
            q = q.where(Actor.name.in_([user_name(u) for u in v["user"]]))
        elif v["userids"]:
            q = q.where(Actor.user_id.in_(v["userids"]))
        else:
            q = q.where(Actor.name.startswith(user_name(v["userprefix"]), autoescape=True))
        q = time_range(q, Revision.timestamp, v["start"], v["end"], newer)
        if v["namespace"] is not None:
            q = q.where(Page.namespace.in_(v["namespace"]))
        show = set(v["show"] or ())
        if "minor" in show:
            q = q.where(Revision.minor_edit.is_(True))
        if "!minor" in show:
            q = q.where(Revision.minor_edit.is_(False))
        if "new" in show:
            q = q.where(Revision.parent_id.is_(None) | (Revision.parent_id == 0))
        if "!new" in show:
            q = q.where(Revision.parent_id > 0)
        if "top" in show:
            q = q.where(Page.latest == Revision.rev_id)
        if "!top" in show:
            q = q.where(Page.latest != Revision.rev_id)
        if show & {"patrolled", "!patrolled", "autopatrolled", "!autopatrolled"}:
            if "patrol" not in ctx.rights() and "patrolmarks" not in ctx.rights():
                raise ApiError("permissiondenied", info="You need the patrol or patrolmarks "
                                                        "right to request the patrolled flag.")
            marked = select(RecentChange.this_oldid).where(RecentChange.patrolled > 0)
            if "patrolled" in show or "autopatrolled" in show:
                q = q.where(Revision.rev_id.in_(marked))
            if "!patrolled" in show or "!autopatrolled" in show:
                q = q.where(Revision.rev_id.not_in(marked))
        if v["tag"]:
            q = q.where(Revision.rev_id < 0)
        if v["continue"] is not None:
            q = q.where(after(Revision.timestamp, Revision.rev_id, v["continue"], newer))
        order = [Revision.timestamp, Revision.rev_id]
        q = q.order_by(*[c.asc() if newer else c.desc() for c in order])
        rows = list(ctx.db.execute(q.limit(v["limit"] + 1)))
        if len(rows) > v["limit"]:
            nxt = rows[v["limit"]][0]
            return rows[:v["limit"]], f"{mw_time(nxt.timestamp)}|{nxt.rev_id}"
        return rows, None

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        rev, page, actor = row
        props = set(v["prop"] or ())
        out: dict[str, Any] = {"userid": actor.user_id or 0, "user": actor.name}
        title = Title.make(page.namespace, page.title, site_namespaces())
        if "ids" in props:
            out.update(pageid=page.page_id, revid=rev.rev_id, parentid=rev.parent_id or 0)
        if "title" in props:
            out.update(ns=page.namespace, title=title.prefixed_text)
        if "timestamp" in props:
            out["timestamp"] = api_time(rev.timestamp)
        if "flags" in props:
            ctx.flag(out, "new", not rev.parent_id)
            ctx.flag(out, "minor", bool(rev.minor_edit))
            ctx.flag(out, "top", page.latest == rev.rev_id)
        if "comment" in props:
            out["comment"] = rev.comment or ""
        if "parsedcomment" in props:
            out["parsedcomment"] = parsed_comment(rev.comment or "", title.prefixed_text)
        if "size" in props:
            out["size"] = rev.len
        if "sizediff" in props:
            parent = ctx.db.get(Revision, rev.parent_id) if rev.parent_id else None
            out["sizediff"] = rev.len - (parent.len if parent is not None else 0)
        if "tags" in props:
            out["tags"] = []
        return out


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
            out["params"] = log_params_api(ctx, e.type, changes.log_params(e))
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


US_PROPS = ("blockinfo", "cancreate", "editcount", "emailable", "gender", "groupmemberships",
            "groups", "implicitgroups", "registration", "rights")


def user_fields(ctx: ApiContext, user: User, props: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"userid": user.user_id, "name": user.name}
    if "editcount" in props:
        out["editcount"] = user.editcount or 0
    if "registration" in props:
        out["registration"] = api_time(user.registration) if user.registration else ""
    if "groups" in props:
        out["groups"] = permissions.effective_groups(user)
    if "implicitgroups" in props:
        out["implicitgroups"] = permissions.implicit_groups(user)
    if "groupmemberships" in props:
        out["groupmemberships"] = [{"group": g.group, "expiry": api_users.api_expiry(g.expiry)}
                                   for g in user.groups]
    if "rights" in props:
        out["rights"] = sorted(permissions.user_rights(user))
    if "blockinfo" in props:
        block = permissions.get_block(ctx.db, user)
        if block is not None:
            out.update(api_users.block_info(ctx, block))
    if "emailable" in props:
        ctx.flag(out, "emailable", bool(user.email))
    if "gender" in props:
        out["gender"] = (user.options or {}).get("gender", "unknown")
    return out


@query_module
class Users(ListModule):
    name, prefix, classname = "users", "us", "ApiQueryUsers"
    helpurls = (HELP_BASE + "Users",)
    generator = False
    params = (P("prop", US_PROPS, multi=True), P("users", "string", multi=True),
              P("userids", "integer", multi=True))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        rows: list[Any] = []
        for name in v["users"] or []:
            user = store_users.get_user(ctx.db, name)
            rows.append(user if user is not None else ("missing", name))
        for uid in v["userids"] or []:
            user = ctx.db.get(User, uid)
            rows.append(user if user is not None else ("missingid", uid))
        return rows, None

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        if isinstance(row, tuple):
            kind, value = row
            if kind == "missingid":
                out: dict[str, Any] = {"userid": value}
                ctx.flag(out, "missing", True)
                return out
            out = {"name": user_name(value)}
            if store_users.is_ip(value):
                out["name"] = value
                ctx.flag(out, "invalid", True)
            else:
                try:
                    out["name"] = store_users.normalize_name(value)
                    ctx.flag(out, "missing", True)
                except ValueError:
                    ctx.flag(out, "invalid", True)
            return out
        return user_fields(ctx, row, set(v["prop"] or ()))


@query_module
class AllUsers(ListModule):
    name, prefix, classname = "allusers", "au", "ApiQueryAllUsers"
    helpurls = (HELP_BASE + "Allusers",)
    generator = False
    continue_name = "from"
    params = (P("from", "string"), P("to", "string"), P("prefix", "string"),
              P("dir", ("ascending", "descending"), default="ascending"),
              P("group", ("bot", "bureaucrat", "interface-admin", "sysop"), multi=True),
              P("excludegroup", ("bot", "bureaucrat", "interface-admin", "sysop"), multi=True),
              P("prop", ("blockinfo", "editcount", "groups", "implicitgroups", "registration",
                         "rights"), multi=True),
              limit_param(), P("witheditsonly", "boolean"), P("activeusers", "boolean"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        desc = v["dir"] == "descending"
        q = select(User)
        start = user_name(v["from"]) if v["from"] else None
        if start is not None:
            q = q.where(User.name <= start if desc else User.name >= start)
        if v["to"]:
            q = q.where(User.name >= user_name(v["to"]) if desc else
                        User.name <= user_name(v["to"]))
        if v["prefix"]:
            q = q.where(User.name.startswith(user_name(v["prefix"]), autoescape=True))
        if v["group"]:
            q = q.where(User.user_id.in_(select(UserGroup.user_id).where(
                UserGroup.group.in_(v["group"]))))
        if v["excludegroup"]:
            q = q.where(User.user_id.not_in(select(UserGroup.user_id).where(
                UserGroup.group.in_(v["excludegroup"]))))
        if v["witheditsonly"]:
            q = q.where(User.editcount > 0)
        if v["activeusers"]:
            since = _dt.datetime.utcnow() - _dt.timedelta(days=30)
            q = q.where(User.user_id.in_(select(Actor.user_id).join(
                RecentChange, RecentChange.actor_id == Actor.actor_id).where(
                RecentChange.timestamp >= since)))
        q = q.where(User.password != "")
        q = q.order_by(User.name.desc() if desc else User.name)
        rows = list(ctx.db.scalars(q.limit(v["limit"] + 1)))
        if len(rows) > v["limit"]:
            return rows[:v["limit"]], rows[v["limit"]].name
        return rows, None

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        return user_fields(ctx, row, set(v["prop"] or ()))
