"""Page lists: ``list=allpages|allcategories|categorymembers|backlinks|embeddedin|random``,
each also a generator (``generator=allpages&gapprefix=…``).

Owns ``ListModule`` (a list answered as ``query.<name>[]`` or, as a generator, turned into
the query's page set, with its continuation written in the right place) and the list
modules that walk the page and link tables.
"""
from __future__ import annotations

import random
from typing import Any

from sqlalchemy import and_, func, or_, select

from ..models import CategoryLink, Page, PageLink, PageProp, TemplateLink
from ..namespaces import CATEGORY
from ..title import Title
from .base import ApiModule, HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import api_time
from .params import P

ASC = ("ascending", "descending")
REDIR = ("all", "nonredirects", "redirects")


def limit_param(default: int = 10) -> P:
    return P("limit", "limit", default=default, min=1, max=500, highmax=5000)


class ListModule(ApiModule):
    """A list; ``fetch`` returns (rows, continue value or None)."""

    group = "list"
    generator = True

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        rows, nxt = self.fetch(ctx, v)
        if nxt is not None:
            mgr.add(self, self.continue_name, nxt)
        query = ctx.result.setdefault("query", {})
        query[self.name] = [self.item(ctx, v, row) for row in rows]
        self.extra(ctx, v, query)

    def generate(self, ctx: ApiContext, pageset: Any, mgr: Any) -> list[Any]:
        v = self.read(ctx, as_generator=True)
        rows, nxt = self.fetch(ctx, v)
        if nxt is not None:
            mgr.add_generator(self, self.continue_name, nxt)
        return [self.target(row) for row in rows]

    continue_name = "continue"

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        raise NotImplementedError

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        return page_item(row)

    def target(self, row: Any) -> Any:
        return row

    def extra(self, ctx: ApiContext, v: dict[str, Any], query: dict[str, Any]) -> None:
        return None


def page_item(page: Page) -> dict[str, Any]:
    title = Title.make(page.namespace, page.title, site_namespaces())
    return {"pageid": page.page_id, "ns": page.namespace, "title": title.prefixed_text}


def title_key(text: str, namespace: int = 0) -> str:
    """A title fragment as a dbkey (``titlePartToKey``: underscores, first letter upper)."""
    key = text.replace(" ", "_")
    if site_namespaces().is_capitalized(namespace) and key:
        key = key[0].upper() + key[1:]
    return key


def split_rows(rows: list[Any], limit: int) -> tuple[list[Any], Any]:
    if len(rows) > limit:
        return rows[:limit], rows[limit]
    return rows, None


def redirect_filter(q: Any, value: str) -> Any:
    if value == "redirects":
        return q.where(Page.is_redirect.is_(True))
    if value == "nonredirects":
        return q.where(Page.is_redirect.is_(False))
    return q


def target_title(ctx: ApiContext, v: dict[str, Any], name: str) -> Title:
    """The ``title`` or ``pageid`` a backlink-style list is about."""
    prefix = ""
    if v.get("title") is not None and v.get("pageid") is not None:
        raise ApiError("invalidparammix", f'"{name}title", "{name}pageid"')
    if v.get("pageid") is not None:
        page = ctx.db.get(Page, v["pageid"])
        if page is None:
            raise ApiError("nosuchpageid", v["pageid"])
        return Title.make(page.namespace, page.title, site_namespaces())
    if v.get("title") is None:
        raise ApiError("missingparam-one-of", f'"{prefix}{name}title", "{name}pageid"')
    return ctx.title(v["title"])


@query_module
class AllPages(ListModule):
    name, prefix, classname = "allpages", "ap", "ApiQueryAllPages"
    helpurls = (HELP_BASE + "Allpages",)
    params = (P("from", "string"), P("continue", "string"), P("to", "string"),
              P("prefix", "string"), P("namespace", "namespace", default=0),
              P("filterredir", REDIR, default="all"), P("minsize", "integer"),
              P("maxsize", "integer"), limit_param(), P("dir", ASC, default="ascending"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        ns = v["namespace"]
        q = select(Page).where(Page.namespace == ns)
        desc = v["dir"] == "descending"
        start = v["continue"] if v["continue"] is not None else (
            title_key(v["from"], ns) if v["from"] is not None else None)
        if start is not None:
            q = q.where(Page.title <= start if desc else Page.title >= start)
        if v["to"] is not None:
            end = title_key(v["to"], ns)
            q = q.where(Page.title >= end if desc else Page.title <= end)
        if v["prefix"]:
            q = q.where(Page.title.startswith(title_key(v["prefix"], ns), autoescape=True))
        q = redirect_filter(q, v["filterredir"])
        if v["minsize"] is not None:
            q = q.where(Page.len >= v["minsize"])
        if v["maxsize"] is not None:
            q = q.where(Page.len <= v["maxsize"])
        q = q.order_by(Page.title.desc() if desc else Page.title).limit(v["limit"] + 1)
        rows, nxt = split_rows(list(ctx.db.scalars(q)), v["limit"])
        return rows, nxt.title if nxt is not None else None


@query_module
class AllCategories(ListModule):
    name, prefix, classname = "allcategories", "ac", "ApiQueryAllCategories"
    helpurls = (HELP_BASE + "Allcategories",)
    params = (P("from", "string"), P("continue", "string"), P("to", "string"),
              P("prefix", "string"), P("dir", ASC, default="ascending"), P("min", "integer"),
              P("max", "integer"), limit_param(), P("prop", ("hidden", "size"), multi=True))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        count = func.count(CategoryLink.from_id)
        q = select(CategoryLink.to, count).group_by(CategoryLink.to)
        desc = v["dir"] == "descending"
        start = v["continue"] if v["continue"] is not None else (
            title_key(v["from"], CATEGORY) if v["from"] is not None else None)
        if start is not None:
            q = q.where(CategoryLink.to <= start if desc else CategoryLink.to >= start)
        if v["to"] is not None:
            end = title_key(v["to"], CATEGORY)
            q = q.where(CategoryLink.to >= end if desc else CategoryLink.to <= end)
        if v["prefix"]:
            q = q.where(CategoryLink.to.startswith(title_key(v["prefix"], CATEGORY),
                                                   autoescape=True))
        if v["min"] is not None:
            q = q.having(count >= v["min"])
        if v["max"] is not None:
            q = q.having(count <= v["max"])
        q = q.order_by(CategoryLink.to.desc() if desc else CategoryLink.to)
        rows, nxt = split_rows(list(ctx.db.execute(q.limit(v["limit"] + 1))), v["limit"])
        return rows, nxt[0] if nxt is not None else None

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        name = row[0]
        out: dict[str, Any] = {("category" if ctx.fv == 2 else "*"): name.replace("_", " ")}
        props = set(v["prop"] or ())
        if "size" in props:
            counts = {k: n for k, n in ctx.db.execute(
                select(CategoryLink.type, func.count()).where(CategoryLink.to == name)
                .group_by(CategoryLink.type))}
            out.update(size=sum(counts.values()), pages=counts.get("page", 0),
                       files=counts.get("file", 0), subcats=counts.get("subcat", 0))
        if "hidden" in props:
            hidden = ctx.db.scalar(select(func.count()).select_from(PageProp).join(
                Page, Page.page_id == PageProp.page_id).where(
                Page.namespace == CATEGORY, Page.title == name, PageProp.name == "hiddencat"))
            ctx.flag(out, "hidden", bool(hidden))
        return out

    def target(self, row: Any) -> Any:
        return Title.make(CATEGORY, row[0], site_namespaces())


CM_TYPES = ("page", "subcat", "file")


@query_module
class CategoryMembers(ListModule):
    name, prefix, classname = "categorymembers", "cm", "ApiQueryCategoryMembers"
    helpurls = (HELP_BASE + "Categorymembers",)
    params = (P("title", "string"), P("pageid", "integer"),
              P("prop", ("ids", "sortkey", "sortkeyprefix", "timestamp", "title", "type"),
                default="ids|title", multi=True),
              P("namespace", "namespace", multi=True, allspecifier="*"),
              P("type", ("file", "page", "subcat"), default="page|subcat|file", multi=True),
              P("continue", "string"), limit_param(),
              P("sort", ("sortkey", "timestamp"), default="sortkey"),
              P("dir", ("asc", "ascending", "desc", "descending", "newer", "older"),
                default="ascending"),
              P("start", "timestamp"), P("end", "timestamp"),
              P("starthexsortkey", "string"), P("endhexsortkey", "string"),
              P("startsortkeyprefix", "string"), P("endsortkeyprefix", "string"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        cat = target_title(ctx, v, self.prefix)
        if cat.namespace != CATEGORY:
            raise ApiError("invalidcategory")
        desc = v["dir"] in ("desc", "descending", "older")
        types = [t for t in CM_TYPES if t in (v["type"] or ())]
        q = (select(CategoryLink, Page).join(Page, Page.page_id == CategoryLink.from_id)
             .where(CategoryLink.to == cat.dbkey, CategoryLink.type.in_(types)))
        if v["namespace"] is not None:
            q = q.where(Page.namespace.in_(v["namespace"]))
        by_time = v["sort"] == "timestamp"
        if by_time:
            if v["start"] is not None:
                q = q.where(CategoryLink.timestamp <= v["start"] if desc
                            else CategoryLink.timestamp >= v["start"])
            if v["end"] is not None:
                q = q.where(CategoryLink.timestamp >= v["end"] if desc
                            else CategoryLink.timestamp <= v["end"])
        else:
            q = self._sortkey_range(q, v, desc)
        if v["continue"] is not None:
            q = q.where(self._after(v["continue"], by_time, desc))
        if by_time:
            order = [CategoryLink.timestamp, CategoryLink.from_id]
        else:
            order = [CategoryLink.sortkey, CategoryLink.from_id]
        q = q.order_by(*[c.desc() if desc else c.asc() for c in order])
        if not by_time and len(types) > 1:
            rows = []
            for kind in (reversed(types) if desc else types):
                need = v["limit"] + 1 - len(rows)
                if need <= 0:
                    break
                rows += list(ctx.db.execute(q.where(CategoryLink.type == kind).limit(need)))
        else:
            rows = list(ctx.db.execute(q.limit(v["limit"] + 1)))
        rows, nxt = split_rows(rows, v["limit"])
        if nxt is None:
            return rows, None
        link = nxt[0]
        if by_time:
            return rows, f"{link.timestamp.strftime('%Y%m%d%H%M%S')}|{link.from_id}"
        return rows, f"{link.type}|{link.sortkey.encode('utf-8').hex()}|{link.from_id}"

    def _sortkey_range(self, q: Any, v: dict[str, Any], desc: bool) -> Any:
        for name, lower in (("start", not desc), ("end", desc)):
            key = None
            if v[f"{name}hexsortkey"]:
                try:
                    key = bytes.fromhex(v[f"{name}hexsortkey"]).decode("utf-8", "replace")
                except ValueError:
                    raise ApiError("badvalue", f"cm{name}hexsortkey",
                                   v[f"{name}hexsortkey"]) from None
            elif v[f"{name}sortkeyprefix"] is not None:
                key = v[f"{name}sortkeyprefix"].upper()
            if key is not None:
                q = q.where(CategoryLink.sortkey >= key if lower else CategoryLink.sortkey <= key)
        return q

    def _after(self, value: str, by_time: bool, desc: bool) -> Any:
        parts = value.split("|")
        if by_time:
            from .params import parse_timestamp

            ts = parse_timestamp(parts[0]) if len(parts) == 2 else None
            if ts is None or not parts[1].isdigit():
                raise ApiError("badcontinue")
            pid = int(parts[1])
            col = CategoryLink.timestamp
            if desc:
                return or_(col < ts, and_(col <= ts.replace(microsecond=999999),
                                          CategoryLink.from_id <= pid))
            return or_(col > ts.replace(microsecond=999999),
                       and_(col >= ts, CategoryLink.from_id >= pid))
        if len(parts) != 3 or parts[0] not in CM_TYPES or not parts[2].isdigit():
            raise ApiError("badcontinue")
        try:
            key = bytes.fromhex(parts[1]).decode("utf-8")
        except ValueError:
            raise ApiError("badcontinue") from None
        kind, pid = parts[0], int(parts[2])
        order = list(CM_TYPES)
        if desc:
            before = order[:order.index(kind)]
            same = and_(CategoryLink.type == kind, or_(
                CategoryLink.sortkey < key, and_(CategoryLink.sortkey == key,
                                                 CategoryLink.from_id <= pid)))
            return or_(CategoryLink.type.in_(before), same)
        after = order[order.index(kind) + 1:]
        same = and_(CategoryLink.type == kind, or_(
            CategoryLink.sortkey > key, and_(CategoryLink.sortkey == key,
                                             CategoryLink.from_id >= pid)))
        return or_(CategoryLink.type.in_(after), same)

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        link, page = row
        props = set(v["prop"] or ())
        out: dict[str, Any] = {}
        if "ids" in props:
            out["pageid"] = page.page_id
        if "title" in props:
            out["ns"] = page.namespace
            out["title"] = Title.make(page.namespace, page.title,
                                      site_namespaces()).prefixed_text
        if "sortkey" in props:
            out["sortkey"] = (link.sortkey or "").encode("utf-8").hex()
        if "sortkeyprefix" in props:
            out["sortkeyprefix"] = link.sortkey_prefix or ""
        if "type" in props:
            out["type"] = link.type
        if "timestamp" in props:
            out["timestamp"] = api_time(link.timestamp)
        return out

    def target(self, row: Any) -> Any:
        return row[1]


class BacklinkList(ListModule):
    """Pages whose links (``pagelinks``/``templatelinks``, ``imagelinks`` in
    ``files.api``) point to one title."""

    model: Any = None

    def linking_pages(self, target: Title) -> Any:
        """The pages linking to ``target`` (a select of ``Page``), before filters."""
        m = self.model
        return (select(Page).join(m, m.from_id == Page.page_id)
                .where(m.namespace == target.namespace, m.title == target.dbkey))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        target = target_title(ctx, v, self.prefix)
        q = self.linking_pages(target)
        if v["namespace"] is not None:
            q = q.where(Page.namespace.in_(v["namespace"]))
        q = redirect_filter(q, v["filterredir"])
        desc = v["dir"] == "descending"
        if v["continue"] is not None:
            parts = v["continue"].split("|")
            if len(parts) != 3 or not parts[2].isdigit():
                raise ApiError("badcontinue")
            start = int(parts[2])
            q = q.where(Page.page_id <= start if desc else Page.page_id >= start)
        q = q.order_by(Page.page_id.desc() if desc else Page.page_id)
        rows, nxt = split_rows(list(ctx.db.scalars(q.limit(v["limit"] + 1))), v["limit"])
        if nxt is None:
            return rows, None
        return rows, f"{target.namespace}|{target.dbkey}|{nxt.page_id}"

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        out = page_item(row)
        ctx.flag(out, "redirect", bool(row.is_redirect))
        return out


def backlink_params() -> tuple[P, ...]:
    return (P("title", "string"), P("pageid", "integer"), P("continue", "string"),
            P("namespace", "namespace", multi=True, allspecifier="*"),
            P("dir", ASC, default="ascending"), P("filterredir", REDIR, default="all"),
            limit_param())


@query_module
class Backlinks(BacklinkList):
    name, prefix, classname = "backlinks", "bl", "ApiQueryBacklinks"
    helpurls = (HELP_BASE + "Backlinks",)
    model = PageLink
    params = backlink_params()


@query_module
class EmbeddedIn(BacklinkList):
    name, prefix, classname = "embeddedin", "ei", "ApiQueryBacklinks"
    helpurls = (HELP_BASE + "Embeddedin",)
    model = TemplateLink
    params = backlink_params()


@query_module
class RandomPages(ListModule):
    name, prefix, classname = "random", "rn", "ApiQueryRandom"
    helpurls = (HELP_BASE + "Random",)
    params = (P("namespace", "namespace", multi=True, allspecifier="*"),
              P("filterredir", REDIR, default="nonredirects"), limit_param(1),
              P("continue", "string"))

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        if v["continue"] is not None:
            parts = v["continue"].split("|")
            try:
                start = float(parts[0])
            except ValueError:
                raise ApiError("badcontinue") from None
            if len(parts) != 2 or not parts[1].isdigit():
                raise ApiError("badcontinue")
        else:
            start = random.random()
        base = select(Page)
        if v["namespace"] is not None:
            base = base.where(Page.namespace.in_(v["namespace"]))
        base = redirect_filter(base, v["filterredir"])
        limit = v["limit"]
        q = base.where(Page.random >= start).order_by(Page.random, Page.page_id)
        rows = list(ctx.db.scalars(q.limit(limit + 1)))
        if len(rows) <= limit:
            wrap = base.where(Page.random < start).order_by(Page.random, Page.page_id)
            rows += list(ctx.db.scalars(wrap.limit(limit + 1 - len(rows))))
        rows, nxt = split_rows(rows, limit)
        return rows, (f"{nxt.random}|{nxt.page_id}" if nxt is not None else None)

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        out = page_item(row)
        out["id"] = out.pop("pageid")
        return {"id": out["id"], "ns": out["ns"], "title": out["title"]}

