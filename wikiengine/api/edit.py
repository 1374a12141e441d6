"""``action=edit``: create and change pages through the one save path of the store.

Owns the API's edit options: ``text``/``appendtext``/``prependtext``, ``section`` (a number
or ``new`` with ``sectiontitle``), ``undo``/``undoafter``, ``md5``, ``createonly``,
``nocreate``, ``recreate``, ``minor``/``notminor``, ``bot``, ``redirect``, ``watchlist``, and
conflict detection from ``baserevid``, ``basetimestamp`` and ``starttimestamp`` (a user's own
intervening edits never conflict, as in MediaWiki). Rights, blocks and protection are checked
by ``store.permissions`` (through ``api.users.check``); rate limits by ``api.users``.
"""
from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select

from ..models import Actor, Page, Redirect, Revision
from ..store import pageops, revisions
from ..title import Title
from .base import ApiModule, HELP_BASE, action
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import api_time
from .params import P
from . import users, writes

FORMATS = ("text/x-wiki",)
#: ContentHandler::getAutosummary messages (autosumm-*) in the content languages.
AUTOSUMMARY = {
    "en": {"redirect": "Redirected page to [[{0}]]", "removed": "Removed redirect to [[{0}]]",
           "new": 'Created page with "{0}"', "blank": "Blanked the page",
           "replace": 'Replaced content with "{0}"',
           "undo": "Undo revision {0} by [[Special:Contributions/{1}|{1}]] "
                   "([[User talk:{1}|talk]])"},
    "fr": {"redirect": "Redirection vers [[{0}]]",
           "removed": "Suppression de la redirection vers [[{0}]]",
           "new": "Page créée avec « {0} »", "blank": "Page blanchie",
           "replace": "Contenu remplacé par « {0} »",
           "undo": "Annulation de la modification {0} de [[Special:Contributions/{1}|{1}]] "
                   "([[User talk:{1}|discussion]])"},
}
MODELS = ("wikitext",)


@action
class Edit(ApiModule):
    name, classname = "edit", "ApiEditPage"
    helpurls = (HELP_BASE + "Edit",)
    mustbeposted = True
    writerights = True
    params = (
        P("title", "string"), P("pageid", "integer"), P("section", "string"),
        P("sectiontitle", "string"), P("text", "text"), P("summary", "string"),
        P("tags", (), multi=True), P("minor", "boolean"), P("notminor", "boolean"),
        P("bot", "boolean"), P("baserevid", "integer"), P("basetimestamp", "timestamp"),
        P("starttimestamp", "timestamp"), P("recreate", "boolean"),
        P("createonly", "boolean"), P("nocreate", "boolean"),
        P("watch", "boolean", deprecated=True), P("unwatch", "boolean", deprecated=True),
        writes.watchlist_param(), P("md5", "string"), P("prependtext", "text"),
        P("appendtext", "text"), P("undo", "integer", min=0), P("undoafter", "integer", min=0),
        P("redirect", "boolean"), P("contentformat", FORMATS), P("contentmodel", MODELS),
        writes.token_param(),
    )

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        title, page = writes.page_target(ctx, v)
        if title.namespace < 0:
            raise ApiError("pagecannotexist", info="Namespace doesn't allow actual pages.")
        pieces = [k for k in ("text", "appendtext", "prependtext", "undo") if v[k] is not None]
        if not pieces:
            raise ApiError("missingparam-one-of", '"text", "appendtext", "prependtext", "undo"',
                           info='One of the parameters "text", "appendtext", "prependtext" '
                                'and "undo" is required.')
        if v["redirect"] and page is not None and page.is_redirect:
            title, page = self._follow(ctx, page, title)
        users.check(ctx, "edit", title)
        users.rate_limit(ctx, "edit")
        text = self._new_text(ctx, v, title, page)
        if v["md5"] is not None:
            hashed = text if v["text"] is not None else (v["prependtext"] or "") + (
                v["appendtext"] or "")
            if hashlib.md5(hashed.encode("utf-8")).hexdigest() != v["md5"].lower():
                raise ApiError("badmd5")
        summary = v["summary"] or ""
        if v["section"] == "new" and not summary and v["sectiontitle"]:
            summary = f"/* {v['sectiontitle']} */ new section"
        if not summary and v["undo"] is not None:
            summary = undo_summary(ctx, v["undo"])
        if not summary:
            old_text = revisions.page_text(ctx.db, page) if page is not None else None
            summary = autosummary(title, old_text, text)
        base_rev = self._base_revision(ctx, v, page)
        if page is None and not v["recreate"] and (v["baserevid"] or v["basetimestamp"]):
            raise ApiError("pagedeleted")
        old_rev = page.latest if page is not None else 0
        minor = bool(v["minor"]) and not v["notminor"]
        with writes.store_errors(ctx):
            result = revisions.save_page(
                ctx.db, title, text, ctx.user, summary=summary, minor=minor,
                bot=bool(v["bot"]) and ctx.has_right("bot"), base_rev_id=base_rev,
                start_time=None if v["recreate"] else v["starttimestamp"],
                create_only=bool(v["createonly"]), no_create=bool(v["nocreate"]),
                check_permissions=False, ip=ctx.request.remote_addr)
        watch_value = "watch" if v["watch"] else "unwatch" if v["unwatch"] else v["watchlist"]
        is_watched = writes.apply_watchlist(ctx, title, watch_value, "watchdefault")
        out: dict[str, Any] = {}
        if result.created:
            ctx.flag(out, "new", True)
        out.update(result="Success", pageid=result.page.page_id, title=title.prefixed_text,
                   contentmodel="wikitext")
        if result.revision is None:
            ctx.flag(out, "nochange", True)
        else:
            out.update(oldrevid=old_rev, newrevid=result.revision.rev_id,
                       newtimestamp=api_time(result.revision.timestamp))
        ctx.flag(out, "watched", is_watched)
        ctx.result["edit"] = out

    def _follow(self, ctx: ApiContext, page: Page, title: Title) -> tuple[Title, Page | None]:
        rd = ctx.db.get(Redirect, page.page_id)
        if rd is None or rd.interwiki:
            return title, page
        target = Title.make(rd.namespace, rd.title, site_namespaces())
        row = ctx.db.scalar(select(Page).where(Page.namespace == target.namespace,
                                               Page.title == target.dbkey))
        return target, row

    def _new_text(self, ctx: ApiContext, v: dict[str, Any], title: Title,
                  page: Page | None) -> str:
        current = revisions.page_text(ctx.db, page) if page is not None else None
        if v["undo"] is not None:
            if page is None:
                raise ApiError("missingtitle")
            with writes.store_errors(ctx):
                undone = pageops.undo_text(ctx.db, page, v["undo"], v["undoafter"])
            if undone is None:
                raise ApiError("undofailure")
            return undone
        section = v["section"]
        if section is None:
            if v["text"] is not None:
                return v["text"]
            return (v["prependtext"] or "") + (current or "") + (v["appendtext"] or "")
        from ..parser import sections

        body = v["text"] if v["text"] is not None else ""
        if section == "new":
            heading = v["sectiontitle"] or v["summary"] or ""
            if v["text"] is None:
                body = (v["prependtext"] or "") + (v["appendtext"] or "")
            if not current:
                return f"== {heading} ==\n\n{body}" if heading else body
            return sections.add_section(current, heading, body)
        if not section.isdigit():
            raise ApiError("invalidsection")
        if page is None or current is None:
            if section == "0":
                return body
            raise ApiError("nosuchsection", section)
        old = sections.get_section(current, int(section), default=None)
        if old is None:
            raise ApiError("nosuchsection", section)
        if v["text"] is None:
            body = (v["prependtext"] or "") + old + (v["appendtext"] or "")
        return sections.replace_section(current, int(section), body)

    def _base_revision(self, ctx: ApiContext, v: dict[str, Any], page: Page | None) -> int | None:
        """The revision the client started from (None: no conflict check)."""
        if page is None:
            return None
        base: int | None = None
        if v["baserevid"] is not None:
            rev = ctx.db.get(Revision, v["baserevid"])
            if rev is None or rev.page_id != page.page_id:
                raise ApiError("nosuchrevid", v["baserevid"])
            base = rev.rev_id
        elif v["basetimestamp"] is not None:
            # MediaWiki's getRevisionByTimestamp: the (first) revision of that second,
            # else the last one before it.
            start = v["basetimestamp"].replace(microsecond=0)
            base = ctx.db.scalar(select(Revision.rev_id).where(
                Revision.page_id == page.page_id, Revision.timestamp >= start,
                Revision.timestamp <= start.replace(microsecond=999999))
                .order_by(Revision.timestamp, Revision.rev_id).limit(1))
            if base is None:
                base = ctx.db.scalar(select(Revision.rev_id).where(
                    Revision.page_id == page.page_id, Revision.timestamp < start)
                    .order_by(Revision.timestamp.desc(), Revision.rev_id.desc()).limit(1))
        if base is None or base == page.latest:
            return base
        if not ctx.user.is_anon:
            others = ctx.db.scalar(select(Revision.rev_id).join(
                Actor, Actor.actor_id == Revision.actor_id).where(
                Revision.page_id == page.page_id, Revision.rev_id > base,
                Actor.name != ctx.user.name).limit(1))
            if others is None:
                return page.latest
        return base


def _redirect_target(title: Title, text: str | None) -> Title | None:
    from ..store import derived

    return derived.redirect_target(title, text) if text else None


def _summary_text(text: str, room: int) -> str:
    """TextContent::getTextForSummary: newlines as spaces, cut to ``room`` UTF-8 bytes."""
    flat = text.replace("\r", " ").replace("\n", " ")
    data = flat.encode("utf-8")
    if len(data) <= room:
        return flat
    return data[:max(0, room - 3)].decode("utf-8", "ignore") + "..."


def autosummary(title: Title, old: str | None, new: str) -> str:
    """The summary MediaWiki writes when the editor gave none (redirect, new, blank,
    replace), in the content language."""
    from flask import current_app

    from ..store.revisions import normalize_text

    msgs = AUTOSUMMARY.get(current_app.config.get("LANGUAGE", "fr"), AUTOSUMMARY["en"])
    new = normalize_text(new)
    new_target = _redirect_target(title, new)
    old_target = _redirect_target(title, old)
    if new_target is not None and (old_target is None or old_target != new_target):
        return msgs["redirect"].format(new_target.full_text)
    if old_target is not None and new_target is None:
        return msgs["removed"].format(old_target.full_text)
    size = len(new.encode("utf-8"))
    if old is None and size > 0:
        room = 200 - len(msgs["new"].format("").encode("utf-8"))
        return msgs["new"].format(_summary_text(new, room))
    if old and size == 0:
        return msgs["blank"]
    if old and len(old.encode("utf-8")) > 10 * size and size < 500:
        room = 200 - len(msgs["replace"].format("").encode("utf-8"))
        return msgs["replace"].format(_summary_text(new, room))
    return ""


def undo_summary(ctx: ApiContext, rev_id: int) -> str:
    """MediaWiki's ``undo-summary`` in the content language."""
    from flask import current_app

    rev = ctx.db.get(Revision, rev_id)
    who = rev.actor.name if rev is not None and rev.actor is not None else ""
    msgs = AUTOSUMMARY.get(current_app.config.get("LANGUAGE", "fr"), AUTOSUMMARY["en"])
    return msgs["undo"].format(rev_id, who)
