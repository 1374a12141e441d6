"""Users and what they did: ``list=usercontribs|users|allusers``.

Owns the API shapes of contributions (``top``, ``new``, ``sizediff``, ``uccontinue``) and of
users (groups, implicit groups, rights, edit count, registration, blocks, missing and invalid
names).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select

from ..models import Actor, Page, RecentChange, Revision, User, UserGroup
from ..store import permissions
from ..store import users as store_users
from ..title import Title
from .base import HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import api_time, mw_time, parsed_comment
from .lists import ListModule, limit_param
from .lists_changes import after, time_range, user_name
from .params import P
from . import users as api_users


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


US_PROPS = ("blockinfo", "cancreate", "editcount", "emailable", "gender", "groupmemberships",
            "groups", "implicitgroups", "registration", "rights")


def user_fields(ctx: ApiContext, user: User, props: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"userid": user.user_id, "name": user.name}
    if "editcount" in props:
        out["editcount"] = user.editcount or 0
    if "registration" in props:
        out["registration"] = api_time(user.registration) if user.registration else ""
    if "groups" in props:  # explicit groups first, then the implicit ones, as MediaWiki
        implicit = permissions.implicit_groups(user)
        out["groups"] = [g for g in user.group_names if g not in implicit] + implicit
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
        """MediaWiki's order: invalid names, then the users found, then the missing ones."""
        invalid: list[Any] = []
        found: list[Any] = []
        missing: list[Any] = []
        for name in v["users"] or []:
            if store_users.is_ip(name):
                invalid.append(("invalid", name))
                continue
            try:
                canonical = store_users.normalize_name(name)
            except ValueError:
                invalid.append(("invalid", name))
                continue
            user = store_users.get_user(ctx.db, canonical)
            (found if user is not None else missing).append(
                user if user is not None else ("missing", canonical))
        for uid in v["userids"] or []:
            user = ctx.db.get(User, uid)
            (found if user is not None else missing).append(
                user if user is not None else ("missingid", uid))
        found.sort(key=lambda u: u.name)
        return invalid + found + missing, None

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        if isinstance(row, tuple):
            kind, value = row
            out: dict[str, Any] = {"userid": value} if kind == "missingid" else {"name": value}
            ctx.flag(out, "invalid" if kind == "invalid" else "missing", True)
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
