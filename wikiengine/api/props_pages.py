"""``prop=info``, ``prop=revisions``, ``prop=categoryinfo``, ``prop=pageprops``,
``prop=contributors``: what a page is and how it came to be.

Owns page information (content model, touched, latest revision, length, protection and the
restriction types, URLs, talk/subject ids, watched), revisions (the latest of each page, or
an enumeration of one page's history with ``rvcontinue``; slots in the 1.39 shape), category
member counts, page properties and the list of contributors.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_, select

from ..models import (Actor, CategoryLink, Category, Content, Page, PageProp, Revision,
                      Watchlist)
from ..namespaces import CATEGORY
from ..store import permissions
from ..title import Title
from .base import ApiModule, HELP_BASE, query_module
from .context import ApiContext
from .errors import ApiError
from .formatting import (actor_fields, api_time, index_url, mw_time, parsed_comment, sha1_hex,
                         wiki_url)
from .params import P, parse_timestamp

INFO_PROPS = ("associatedpage", "displaytitle", "protection", "subjectid", "talkid", "url",
              "watched")


@query_module
class Info(ApiModule):
    name, group, prefix, classname = "info", "prop", "in", "ApiQueryInfo"
    helpurls = (HELP_BASE + "Info",)
    params = (P("prop", INFO_PROPS, multi=True), P("continue", "string"))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        props = set(self.read(ctx)["prop"] or ())
        lang = current_app.config.get("LANGUAGE", "fr")
        watched = _watched(ctx, pageset) if "watched" in props else set()
        display = _props(ctx, [p.page_id for p, _t in pageset.good], ["displaytitle"])
        for page, title in pageset.good:
            entry = pageset.entry(page)
            entry.update({"contentmodel": page.page_content_model or "wikitext",
                          "pagelanguage": page.lang or lang, "pagelanguagehtmlcode":
                          page.lang or lang, "pagelanguagedir": "ltr",
                          "touched": api_time(page.touched), "lastrevid": page.latest,
                          "length": page.len})
            ctx.flag(entry, "redirect", bool(page.is_redirect))
            ctx.flag(entry, "new", bool(page.is_new))
            self._extra(ctx, props, entry, title, page, watched,
                        display.get(page.page_id, {}).get("displaytitle"))
        for title in pageset.missing:
            entry = pageset.entry(title)
            entry.update({"contentmodel": "wikitext", "pagelanguage": lang,
                          "pagelanguagehtmlcode": lang, "pagelanguagedir": "ltr"})
            self._extra(ctx, props, entry, title, None, watched, None)

    def _extra(self, ctx: ApiContext, props: set[str], entry: dict[str, Any], title: Title,
               page: Page | None, watched: set[tuple[int, str]], display: str | None) -> None:
        if "protection" in props:
            entry["protection"] = protection_list(ctx, title, page)
            entry["restrictiontypes"] = ["edit", "move"] if page is not None else ["create"]
        if "watched" in props:
            ctx.flag(entry, "watched", (title.namespace, title.dbkey) in watched)
        if "talkid" in props and not title.is_talk and title.can_have_talk():
            talk = _page_id(ctx, title.talk_page())
            if talk:
                entry["talkid"] = talk
        if "subjectid" in props and title.is_talk:
            subject = _page_id(ctx, title.subject_page())
            if subject:
                entry["subjectid"] = subject
        if "associatedpage" in props and title.namespace >= 0:
            other = title.subject_page() if title.is_talk else title.talk_page()
            entry["associatedpage"] = other.prefixed_text
        if "url" in props:
            server = ctx.request.host_url.rstrip("/")
            entry["fullurl"] = server + wiki_url(title.prefixed_dbkey)
            entry["editurl"] = server + index_url(title.prefixed_dbkey, "action=edit")
            entry["canonicalurl"] = server + wiki_url(title.prefixed_dbkey)
        if "displaytitle" in props:
            entry["displaytitle"] = display or title.prefixed_text


def protection_list(ctx: ApiContext, title: Title, page: Page | None) -> list[dict[str, Any]]:
    if page is None:
        row = permissions.create_protection(ctx.db, title)
        if row is None:
            return []
        return [{"type": "create", "level": row.create_perm, "expiry": api_time(row.expiry)}]
    out = []
    for kind, (level, expiry) in sorted(permissions.restrictions(ctx.db, page.page_id).items()):
        out.append({"type": kind, "level": level, "expiry": api_time(expiry)})
    return out


def _page_id(ctx: ApiContext, title: Title) -> int:
    return ctx.db.scalar(select(Page.page_id).where(Page.namespace == title.namespace,
                                                    Page.title == title.dbkey)) or 0


def _watched(ctx: ApiContext, pageset: Any) -> set[tuple[int, str]]:
    if ctx.user.is_anon:
        return set()
    rows = ctx.db.execute(select(Watchlist.namespace, Watchlist.title).where(
        Watchlist.user_id == ctx.user.user_id))
    return {(ns, t) for ns, t in rows}


def _props(ctx: ApiContext, page_ids: list[int], names: list[str] | None
           ) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    if not page_ids:
        return out
    query = select(PageProp).where(PageProp.page_id.in_(page_ids))
    if names is not None:
        query = query.where(PageProp.name.in_(names))
    for row in ctx.db.scalars(query):
        out.setdefault(row.page_id, {})[row.name] = row.value
    return out


REV_PROPS = ("comment", "content", "contentmodel", "flags", "ids", "parsedcomment", "roles",
             "sha1", "size", "slotsha1", "slotsize", "tags", "timestamp", "user", "userid")
SINGLE_PAGE = ("limit", "startid", "endid", "start", "end", "user", "excludeuser")


@query_module
class Revisions(ApiModule):
    name, group, prefix, classname = "revisions", "prop", "rv", "ApiQueryRevisions"
    helpurls = (HELP_BASE + "Revisions",)
    params = (
        P("prop", REV_PROPS, default="ids|timestamp|flags|comment|user", multi=True),
        P("slots", ("main",), multi=True, allspecifier="*"),
        P("limit", "limit", min=1, max=500, highmax=5000, info=("singlepageonly",)),
        P("section", "string"),
        P("startid", "integer", info=("singlepageonly",)),
        P("endid", "integer", info=("singlepageonly",)),
        P("start", "timestamp", info=("singlepageonly",)),
        P("end", "timestamp", info=("singlepageonly",)),
        P("dir", ("newer", "older"), default="older", info=("singlepageonly",)),
        P("user", "user", subtypes=("name", "ip", "id"), info=("singlepageonly",)),
        P("excludeuser", "user", subtypes=("name", "ip", "id"), info=("singlepageonly",)),
        P("tag", "string"),
        P("continue", "string"),
    )

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        props = set(v["prop"] or ())
        enum = any(v[k] is not None for k in SINGLE_PAGE) or v["dir"] == "newer"
        if pageset.revids:
            if enum:
                raise ApiError("invalidparammix", info='The "revids" parameter may not be used '
                               'with the list options (rvlimit, rvstartid, rvendid, '
                               'rvdir=newer, rvstart, and rvend).')
            revs = self._by_ids(ctx, pageset.revids, v["continue"])
            self._output(ctx, pageset, v, props, revs)
            return
        if enum:
            if len(pageset.good) > 1:
                raise ApiError("invalidparammix", info='titles, pageids or a generator was used '
                               'to supply multiple pages, but the rvlimit, rvstartid, rvendid, '
                               'rvdir=newer, rvuser, rvexcludeuser, rvstart, and rvend '
                               'parameters may only be used on a single page.')
            if pageset.good:
                self._enumerate(ctx, pageset, mgr, v, props)
            return
        ids = [p.latest for p, _t in pageset.good if p.latest]
        start = _int_continue(v["continue"])
        if start is not None:
            ids = [i for i in ids if i >= start]
        limit = 50 if "content" in props and not ctx.high_limits() else 500
        ids.sort()
        if len(ids) > limit:
            mgr.add(self, "continue", ids[limit])
            ids = ids[:limit]
        self._output(ctx, pageset, v, props, self._load(ctx, ids))

    def _by_ids(self, ctx: ApiContext, revids: list[int], cont: str | None) -> list[Revision]:
        start = _int_continue(cont)
        ids = sorted(i for i in revids if start is None or i >= start)
        return self._load(ctx, ids)

    def _load(self, ctx: ApiContext, ids: list[int]) -> list[Revision]:
        if not ids:
            return []
        rows = {r.rev_id: r for r in ctx.db.scalars(select(Revision).where(
            Revision.rev_id.in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    def _enumerate(self, ctx: ApiContext, pageset: Any, mgr: Any, v: dict[str, Any],
                   props: set[str]) -> None:
        page, _title = pageset.good[0]
        limit = v["limit"] or 10
        if "content" in props:
            cap = 500 if ctx.high_limits() else 50
            if limit > cap:
                if ctx.raw(self.prefix + "limit") != "max":
                    ctx.warn(self.name, f'The value "{ctx.raw(self.prefix + "limit")}" for '
                                        f'parameter "{self.prefix}limit" must be between 1 '
                                        f'and {cap}.', "outofrange")
                limit = cap
        newer = v["dir"] == "newer"
        q = select(Revision).where(Revision.page_id == page.page_id)
        if v["startid"] is not None:
            q = q.where(Revision.rev_id >= v["startid"] if newer else
                        Revision.rev_id <= v["startid"])
        if v["endid"] is not None:
            q = q.where(Revision.rev_id <= v["endid"] if newer else Revision.rev_id >= v["endid"])
        if v["start"] is not None:
            q = q.where(Revision.timestamp >= v["start"] if newer else
                        Revision.timestamp <= v["start"].replace(microsecond=999999))
        if v["end"] is not None:
            q = q.where(Revision.timestamp <= v["end"].replace(microsecond=999999) if newer
                        else Revision.timestamp >= v["end"])
        if v["user"] is not None or v["excludeuser"] is not None:
            q = q.join(Actor, Actor.actor_id == Revision.actor_id)
            if v["user"] is not None:
                q = q.where(Actor.name == _user_name(v["user"]))
            if v["excludeuser"] is not None:
                q = q.where(Actor.name != _user_name(v["excludeuser"]))
        if v["tag"]:
            q = q.where(Revision.rev_id < 0)
        if v["continue"] is not None:
            ts, rid = _ts_continue(v["continue"])
            tsq = Revision.timestamp
            if newer:
                q = q.where(or_(tsq > ts.replace(microsecond=999999),
                                and_(tsq >= ts, Revision.rev_id >= rid)))
            else:
                q = q.where(or_(tsq < ts, and_(tsq <= ts.replace(microsecond=999999),
                                               Revision.rev_id <= rid)))
        order = (Revision.timestamp.asc(), Revision.rev_id.asc()) if newer else \
            (Revision.timestamp.desc(), Revision.rev_id.desc())
        revs = list(ctx.db.scalars(q.order_by(*order).limit(limit + 1)))
        if len(revs) > limit:
            nxt = revs[limit]
            mgr.add(self, "continue", f"{mw_time(nxt.timestamp)}|{nxt.rev_id}")
            revs = revs[:limit]
        self._output(ctx, pageset, v, props, revs, keep_order=True)

    def _output(self, ctx: ApiContext, pageset: Any, v: dict[str, Any], props: set[str],
                revs: list[Revision], keep_order: bool = False) -> None:
        titles = {p.page_id: t for p, t in pageset.good}
        slots = v["slots"]
        if slots is None and "content" in props or slots is None and "contentmodel" in props:
            ctx.warn(self.name, 'Because "rvslots" was not specified, a legacy format has been '
                                'used for the output. This format is deprecated, and in the '
                                'future the new format will always be used.', "deprecation")
        contents: dict[int, Content] = {}
        if "content" in props or "slotsha1" in props or "slotsize" in props:
            ids = [r.content_id for r in revs]
            contents = {c.content_id: c for c in ctx.db.scalars(
                select(Content).where(Content.content_id.in_(ids)))} if ids else {}
        for rev in revs:
            title = titles.get(rev.page_id)
            if title is None:
                continue
            data = revision_data(ctx, rev, props, slots, contents.get(rev.content_id), title,
                                 v["section"])
            entry = pageset.entry(next(p for p, _t in pageset.good if p.page_id == rev.page_id))
            entry.setdefault("revisions", []).append(data)


def _user_name(name: str) -> str:
    name = name.replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def _int_continue(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit():
        raise ApiError("badcontinue")
    return int(value)


def _ts_continue(value: str) -> tuple[Any, int]:
    parts = value.split("|")
    ts = parse_timestamp(parts[0]) if len(parts) == 2 else None
    if ts is None or not parts[1].isdigit():
        raise ApiError("badcontinue")
    return ts, int(parts[1])


def revision_data(ctx: ApiContext, rev: Revision, props: set[str], slots: list[str] | None,
                  content: Content | None, title: Title, section: str | None) -> dict[str, Any]:
    """One revision as ``prop=revisions`` shows it."""
    out: dict[str, Any] = {}
    if "ids" in props:
        out["revid"] = rev.rev_id
        out["parentid"] = rev.parent_id or 0
    if "flags" in props:
        ctx.flag(out, "minor", bool(rev.minor_edit))
    if "user" in props or "userid" in props:
        actor_fields(ctx, out, rev.actor, "user" in props, "userid" in props)
    if "timestamp" in props:
        out["timestamp"] = api_time(rev.timestamp)
    if "size" in props:
        out["size"] = rev.len
    if "sha1" in props:
        out["sha1"] = sha1_hex(rev.sha1)
    if "roles" in props:
        out["roles"] = ["main"]
    if "comment" in props:
        out["comment"] = rev.comment or ""
    if "parsedcomment" in props:
        out["parsedcomment"] = parsed_comment(rev.comment or "", title.prefixed_text)
    if "tags" in props:
        out["tags"] = []
    model = content.model if content is not None else "wikitext"
    text = content.text if content is not None else ""
    if "content" in props and section is not None:
        text = _section(text, section)
    slot: dict[str, Any] = {}
    if "slotsize" in props:
        slot["size"] = content.size if content is not None else rev.len
    if "slotsha1" in props:
        slot["sha1"] = sha1_hex(content.sha1 if content is not None else rev.sha1)
    if "contentmodel" in props:
        slot["contentmodel"] = model
    if "content" in props:
        slot["contentmodel"] = model
        slot["contentformat"] = "text/x-wiki"
        slot[ctx.content_key()] = text
    if slots is None:
        out.update(slot)
    elif slot:
        out["slots"] = {"main": slot}
    return out


def _section(text: str, section: str) -> str:
    from ..parser import sections

    if not section.isdigit():
        raise ApiError("invalidsection")
    found = sections.get_section(text, int(section), default=None)
    if found is None:
        raise ApiError("nosuchsection", section)
    return found


@query_module
class CategoryInfo(ApiModule):
    name, group, prefix, classname = "categoryinfo", "prop", "ci", "ApiQueryCategoryInfo"
    helpurls = (HELP_BASE + "Categoryinfo",)
    params = (P("continue", "string"),)

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        self.read(ctx)
        cats = [t for t in pageset.titles() if t.namespace == CATEGORY]
        if not cats:
            return
        names = [t.dbkey for t in cats]
        counts = category_counts(ctx, names)
        rows = {c.title for c in ctx.db.scalars(select(Category).where(
            Category.title.in_(names)))}
        hidden_ids = {pid for pid, props in _props(
            ctx, [p.page_id for p, t in pageset.good if t.namespace == CATEGORY],
            ["hiddencat"]).items() if props}
        for title in cats:
            c = counts.get(title.dbkey, {"page": 0, "subcat": 0, "file": 0})
            total = c["page"] + c["subcat"] + c["file"]
            if total == 0 and title.dbkey not in rows:
                continue
            info: dict[str, Any] = {"size": total, "pages": c["page"], "files": c["file"],
                                    "subcats": c["subcat"]}
            page = next((p for p, t in pageset.good if t == title), None)
            ctx.flag(info, "hidden", page is not None and page.page_id in hidden_ids)
            pageset.entry(page if page is not None else title)["categoryinfo"] = info


def category_counts(ctx: ApiContext, names: list[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    q = select(CategoryLink.to, CategoryLink.type, func.count()).where(
        CategoryLink.to.in_(names)).group_by(CategoryLink.to, CategoryLink.type)
    for to, kind, n in ctx.db.execute(q):
        out.setdefault(to, {"page": 0, "subcat": 0, "file": 0})[kind] = n
    return out


@query_module
class PageProps(ApiModule):
    name, group, prefix, classname = "pageprops", "prop", "pp", "ApiQueryPageProps"
    helpurls = (HELP_BASE + "Pageprops",)
    params = (P("continue", "string"), P("prop", "string", multi=True))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        ids = [p.page_id for p, _t in pageset.good]
        for pid, props in _props(ctx, ids, v["prop"]).items():
            pageset.entries[str(pid)]["pageprops"] = props


@query_module
class Contributors(ApiModule):
    name, group, prefix, classname = "contributors", "prop", "pc", "ApiQueryContributors"
    helpurls = (HELP_BASE + "Contributors",)
    params = (P("limit", "limit", default=10, min=1, max=500, highmax=5000),
              P("continue", "string"))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        ids = sorted(p.page_id for p, _t in pageset.good)
        start_page, start_user = 0, 0
        if v["continue"] is not None:
            parts = v["continue"].split("|")
            if len(parts) != 2 or not all(x.isdigit() for x in parts):
                raise ApiError("badcontinue")
            start_page, start_user = int(parts[0]), int(parts[1])
        limit = v["limit"]
        count = 0
        for pid in ids:
            if pid < start_page:
                continue
            q = (select(Actor.user_id, Actor.name).join(Revision, Revision.actor_id ==
                                                         Actor.actor_id)
                 .where(Revision.page_id == pid, Actor.user_id.is_not(None))
                 .group_by(Actor.user_id, Actor.name).order_by(Actor.user_id))
            if pid == start_page:
                q = q.where(Actor.user_id >= start_user)
            entry = pageset.entries[str(pid)]
            for uid, uname in ctx.db.execute(q):
                if count >= limit:
                    mgr.add(self, "continue", f"{pid}|{uid}")
                    return
                entry.setdefault("contributors", []).append({"userid": uid, "name": uname})
                count += 1
            anon = ctx.db.scalar(select(func.count(func.distinct(Revision.actor_id))).join(
                Actor, Actor.actor_id == Revision.actor_id).where(
                Revision.page_id == pid, Actor.user_id.is_(None)))
            if anon and pid != start_page:
                entry["anoncontributors"] = anon

