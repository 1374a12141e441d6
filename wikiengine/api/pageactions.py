"""``action=move|delete|undelete|protect|rollback|purge|watch``: page operations through the
store (``store.pageops``), each checked by the shared permission check first.

Owns the API parameters and answers of these actions in MediaWiki 1.39's shapes
(``move.redirectcreated``, ``delete.logid``, ``undelete.revisions``,
``protect.protections[].expiry``, ``rollback.revid``, ``purge[].purged``,
``watch[].watched``/``unwatched``).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import update

from ..models import Page, utcnow
from ..store import pageops, revisions
from ..title import Title
from .base import ApiModule, HELP_BASE, action, submodules
from .context import ApiContext
from .errors import ApiError
from .formatting import api_time
from .params import INFINITY, P, parse_timestamp
from . import users, writes


@action
class Move(ApiModule):
    name, classname = "move", "ApiMove"
    helpurls = (HELP_BASE + "Move",)
    mustbeposted = writerights = True
    params = (P("from", "string"), P("fromid", "integer"), P("to", "string", required=True),
              P("reason", "string", default=""), P("movetalk", "boolean"),
              P("movesubpages", "boolean"), P("noredirect", "boolean"),
              writes.watchlist_param(), P("ignorewarnings", "boolean"),
              P("tags", (), multi=True), writes.token_param())

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        old, page = writes.page_target(ctx, v, "from", "fromid")
        new = ctx.title(v["to"])
        if page is None:
            raise ApiError("missingtitle")
        if (old.namespace, old.dbkey) == (new.namespace, new.dbkey):
            raise ApiError("selfmove")
        users.check(ctx, "move", old)
        users.check(ctx, "move", new)
        users.rate_limit(ctx, "move")
        noredirect = bool(v["noredirect"]) and ctx.has_right("suppressredirect")
        old_talk, new_talk = old.talk_page(), new.talk_page()
        talk_exists = (old.can_have_talk() and not old.is_talk and
                       revisions.get_page(ctx.db, old_talk) is not None)
        with writes.store_errors(ctx):
            pageops.move_page(ctx.db, old, new, ctx.user, v["reason"],
                              leave_redirect=not noredirect, move_talk=bool(v["movetalk"]),
                              check_permissions=False)
        out: dict[str, Any] = {"from": old.prefixed_text, "to": new.prefixed_text,
                               "reason": v["reason"]}
        ctx.flag(out, "redirectcreated", not noredirect)
        ctx.flag(out, "moveoverredirect", False)
        if v["movetalk"] and talk_exists:
            if revisions.get_page(ctx.db, new_talk) is not None and \
                    revisions.get_page(ctx.db, old_talk) is not None and noredirect:
                out["talkmove-error-code"] = "articleexists"
            else:
                out["talkfrom"] = old_talk.prefixed_text
                out["talkto"] = new_talk.prefixed_text
        writes.apply_watchlist(ctx, new, v["watchlist"], "watchmoves")
        ctx.result["move"] = out


@action
class Delete(ApiModule):
    name, classname = "delete", "ApiDelete"
    helpurls = (HELP_BASE + "Delete",)
    mustbeposted = writerights = True
    params = (P("title", "string"), P("pageid", "integer"), P("reason", "string"),
              P("tags", (), multi=True), P("deletetalk", "boolean"), writes.watchlist_param(),
              writes.token_param())

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        title, page = writes.page_target(ctx, v)
        if page is None:
            raise ApiError("missingtitle")
        users.check(ctx, "delete", title)
        reason = v["reason"] or ""
        with writes.store_errors(ctx):
            entry = pageops.delete_page(ctx.db, title, ctx.user, reason, check_permissions=False)
            if v["deletetalk"] and not title.is_talk and title.can_have_talk():
                talk = title.talk_page()
                if revisions.get_page(ctx.db, talk) is not None:
                    pageops.delete_page(ctx.db, talk, ctx.user, reason, check_permissions=False)
        writes.apply_watchlist(ctx, title, v["watchlist"], "watchdeletion")
        ctx.result["delete"] = {"title": title.prefixed_text, "reason": reason,
                                "logid": entry.log_id}


@action
class Undelete(ApiModule):
    name, classname = "undelete", "ApiUndelete"
    helpurls = (HELP_BASE + "Undelete",)
    mustbeposted = writerights = True
    params = (P("title", "string", required=True), P("reason", "string", default=""),
              P("tags", (), multi=True), P("timestamps", "timestamp", multi=True),
              P("undeletetalk", "boolean"), writes.watchlist_param(), writes.token_param())

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        title = ctx.title(v["title"])
        users.check(ctx, "undelete", title)
        archived = pageops.deleted_revisions(ctx.db, title)
        wanted = None
        if v["timestamps"]:
            stamps = {t.strftime("%Y%m%d%H%M%S") for t in v["timestamps"]}
            wanted = [a.rev_id for a in archived if a.timestamp.strftime("%Y%m%d%H%M%S")
                      in stamps]
            if not wanted:
                raise ApiError("cantundelete")
        count = len(archived) if wanted is None else len(wanted)
        if not archived:
            raise ApiError("cantundelete")
        with writes.store_errors(ctx, "cantundelete"):
            pageops.undelete_page(ctx.db, title, ctx.user, v["reason"], wanted,
                                  check_permissions=False)
            if v["undeletetalk"] and title.can_have_talk() and not title.is_talk and \
                    pageops.deleted_revisions(ctx.db, title.talk_page()):
                pageops.undelete_page(ctx.db, title.talk_page(), ctx.user, v["reason"],
                                      check_permissions=False)
        writes.apply_watchlist(ctx, title, v["watchlist"], "watchdefault")
        ctx.result["undelete"] = {"title": title.prefixed_text, "revisions": count,
                                  "fileversions": 0, "reason": v["reason"]}


@action
class Protect(ApiModule):
    name, classname = "protect", "ApiProtect"
    helpurls = (HELP_BASE + "Protect",)
    mustbeposted = writerights = True
    params = (P("title", "string"), P("pageid", "integer"),
              P("protections", "string", multi=True, required=True),
              P("expiry", "string", default="infinite", multi=True, allowsduplicates=True),
              P("reason", "string", default=""), P("tags", (), multi=True),
              P("cascade", "boolean"), writes.watchlist_param(), writes.token_param())

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        title, page = writes.page_target(ctx, v)
        users.check(ctx, "protect", title)
        protections = [p for p in v["protections"] if p]
        expiries = v["expiry"] or ["infinite"]
        if len(expiries) != 1 and len(expiries) != len(protections):
            raise ApiError("toofewexpiries", len(expiries), len(protections))
        levels: dict[str, str] = {}
        result: list[dict[str, Any]] = []
        parsed = []
        for i, item in enumerate(protections):
            kind, sep, level = item.partition("=")
            if not sep:
                raise ApiError("protect-invalidaction", item)
            level = "" if level == "all" else level
            if kind not in ("edit", "move", "create", "upload"):
                raise ApiError("protect-invalidaction", kind)
            if level not in pageops.PROTECTION_LEVELS:
                raise ApiError("protect-invalidlevel", level)
            if page is None and kind != "create":
                raise ApiError("missingtitle-createonly")
            if page is not None and kind == "create":
                raise ApiError("create-titleexists")
            raw = expiries[i if len(expiries) > 1 else 0]
            expiry = None if raw.strip().lower() in INFINITY else parse_timestamp(raw)
            if raw.strip().lower() not in INFINITY and expiry is None:
                raise ApiError("badexpiry", "expiry", raw)
            levels[kind] = level
            parsed.append((kind, level, expiry))
        by_expiry: dict[Any, dict[str, str]] = {}
        for kind, level, expiry in parsed:
            by_expiry.setdefault(expiry, {})[kind] = level
        with writes.store_errors(ctx):
            for expiry, group in by_expiry.items():
                pageops.protect_page(ctx.db, title, ctx.user, group, expiry, v["reason"],
                                     cascade=bool(v["cascade"]), check_permissions=False)
        for kind, level, expiry in parsed:
            result.append({kind: level or "all",
                           "expiry": "infinite" if expiry is None else api_time(expiry)})
        writes.apply_watchlist(ctx, title, v["watchlist"], "watchdefault")
        out: dict[str, Any] = {"title": title.prefixed_text, "reason": v["reason"]}
        if v["cascade"]:
            ctx.flag(out, "cascade", True)
        out["protections"] = result
        ctx.result["protect"] = out


@action
class Rollback(ApiModule):
    name, classname = "rollback", "ApiRollback"
    helpurls = (HELP_BASE + "Rollback",)
    mustbeposted = writerights = True
    params = (P("title", "string"), P("pageid", "integer"), P("tags", (), multi=True),
              P("user", "user", required=True, subtypes=("name", "ip", "id")),
              P("summary", "string", default=""), P("markbot", "boolean"),
              writes.watchlist_param(), writes.token_param("rollback"))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        title, page = writes.page_target(ctx, v)
        if page is None:
            raise ApiError("missingtitle")
        users.check(ctx, "rollback", title)
        users.check(ctx, "edit", title)
        users.rate_limit(ctx, "rollback")
        old_latest = page.latest
        with writes.store_errors(ctx):
            try:
                result = pageops.rollback(ctx.db, title, ctx.user, v["user"], v["summary"],
                                          bot=bool(v["markbot"]), check_permissions=False)
            except Exception as exc:
                code = getattr(exc, "code", "")
                if code == "alreadyrolled":
                    raise ApiError(code, info=_already_rolled(ctx, title, page,
                                                              v["user"])) from None
                if code == "onlyauthor":
                    raise ApiError(code) from None
                raise
        writes.apply_watchlist(ctx, title, v["watchlist"], "watchrollback")
        rev = result.revision
        out = {"title": title.prefixed_text, "pageid": result.page.page_id,
               "summary": rev.comment if rev is not None else v["summary"],
               "revid": rev.rev_id if rev is not None else old_latest,
               "old_revid": old_latest,
               "last_revid": rev.parent_id if rev is not None else old_latest}
        ctx.result["rollback"] = out


def _user_links(name: str) -> str:
    return (f"[[User:{name}|{name}]] ([[User talk:{name}|talk]] | "
            f"[[Special:Contributions/{name}|contribs]])")


def _already_rolled(ctx: ApiContext, title: Title, page: Page, user: str) -> str:
    """MediaWiki's ``alreadyrolled`` text, naming who edited last."""
    latest = revisions.get_revision(ctx.db, page.latest)
    last = latest.actor.name if latest is not None and latest.actor is not None else ""
    user = user.replace("_", " ")
    return (f"Cannot rollback the last edit of [[:{title.prefixed_text}]] by "
            f"{_user_links(user)}. Someone else has edited or rolled back the page already. "
            f"The last edit to the page was by {_user_links(last)}.")


def pageset_params() -> tuple[P, ...]:
    return (P("continue", "string"), P("titles", "string", multi=True),
            P("pageids", "integer", multi=True), P("revids", "integer", multi=True),
            P("generator", submodules=submodules("generator"), submoduleparamprefix="g"),
            P("redirects", "boolean"), P("converttitles", "boolean"))


def build_pageset(ctx: ApiContext, v: dict[str, Any]) -> Any:
    """The pages named by ``titles``/``pageids``/``revids``/``generator`` of a write."""
    from .base import ACTIONS
    from .query import ContinuationManager, PageSet

    pageset = PageSet(ctx)
    mgr = ContinuationManager(ctx, [], [])
    if v["generator"]:
        ACTIONS["query"]._generate(ctx, v, pageset, mgr)  # type: ignore[attr-defined]
    elif v["titles"] is not None:
        pageset.add_titles(v["titles"])
    elif v["pageids"] is not None:
        pageset.add_pageids(v["pageids"])
    elif v["revids"] is not None:
        pageset.add_revids(v["revids"])
    if v["redirects"]:
        pageset.resolve_redirects()
    data, _complete = mgr.result()
    if data:
        ctx.result["continue"] = data
    return pageset


def _listed(ctx: ApiContext, pageset: Any) -> list[tuple[dict[str, Any], Any, Any]]:
    """Invalid and special titles, then missing pages, then existing ones (MediaWiki's
    order for purge and watch)."""
    odd, missing, good = [], [], []
    for entry, title, page in pageset.items():
        if title is None or title.namespace < 0:
            odd.append((dict(entry), None, None))
        elif page is None:
            missing.append(({"ns": title.namespace, "title": title.prefixed_text}, title, None))
        else:
            good.append(({"ns": title.namespace, "title": title.prefixed_text}, title, page))
    return odd + missing + good


@action
class Purge(ApiModule):
    name, classname = "purge", "ApiPurge"
    helpurls = (HELP_BASE + "Purge",)
    mustbeposted = writerights = True
    params = (P("forcelinkupdate", "boolean"), P("forcerecursivelinkupdate", "boolean"),
              *pageset_params())

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        users.rate_limit(ctx, "purge")
        pageset = build_pageset(ctx, v)
        out = []
        for item, title, page in _listed(ctx, pageset):
            if page is None:
                if title is not None:
                    ctx.flag(item, "missing", True)
                out.append(item)
                continue
            self._purge(ctx, page, title, bool(v["forcelinkupdate"] or
                                              v["forcerecursivelinkupdate"]))
            ctx.flag(item, "purged", True)
            if v["forcelinkupdate"] or v["forcerecursivelinkupdate"]:
                ctx.flag(item, "linkupdate", True)
            out.append(item)
        ctx.flag(ctx.result, "batchcomplete", True)
        if pageset.normalized:
            ctx.result["normalized"] = [{"from": n["from"], "to": n["to"]}
                                        for n in pageset.normalized]
        ctx.result["purge"] = out

    def _purge(self, ctx: ApiContext, page: Page, title: Title, links: bool) -> None:
        from .. import cache

        cache.purge(ctx.db, page.page_id)
        ctx.db.execute(update(Page).where(Page.page_id == page.page_id).values(
            touched=utcnow()).execution_options(synchronize_session=False))
        if links:
            from .. import rendering
            from ..store import derived

            text = revisions.page_text(ctx.db, page) or ""
            output = rendering.parse_for_links(ctx.db, title, text)
            derived.update_links(ctx.db, page, title, output,
                                 redirect=derived.redirect_target(title, text, output))


@action
class Watch(ApiModule):
    name, classname = "watch", "ApiWatch"
    helpurls = (HELP_BASE + "Watch",)
    mustbeposted = writerights = True
    params = (P("title", "string", deprecated=True), P("unwatch", "boolean"),
              *pageset_params(), writes.token_param("watch"))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        if ctx.user.is_anon:
            raise ApiError("notloggedin", info="You must be logged in to have a watchlist.")
        if "editmywatchlist" not in ctx.rights():
            raise ApiError("permissiondenied", "edit your watchlist")
        if v["title"] is not None and v["titles"] is None:
            v["titles"] = [v["title"]]
        pageset = build_pageset(ctx, v)
        out = []
        for item, title, _page in _listed(ctx, pageset):
            if title is None:
                out.append(item)
                continue
            writes.set_watch(ctx, title, not v["unwatch"])
            if _page is None:
                ctx.flag(item, "missing", True)
            ctx.flag(item, "unwatched" if v["unwatch"] else "watched", True)
            out.append(item)
        ctx.flag(ctx.result, "batchcomplete", True)
        ctx.result["watch"] = out
