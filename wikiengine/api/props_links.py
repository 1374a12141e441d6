"""``prop=categories|templates|links|images|langlinks|extlinks|imageinfo``: what a page
links to, read from the link tables the save path fills before the edit answer returns.

Owns the shared walk over a link table for the pages of the query (ordered by page, then
target; ``XXcontinue=pageid|ns|title``), its generator form (``generator=links`` …) and
file information for File: pages.
"""
from __future__ import annotations

import json
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select

from ..models import (CategoryLink, ExternalLink, Image, ImageLink, LangLink, PageLink,
                      PageProp, TemplateLink)
from ..namespaces import CATEGORY, FILE
from ..title import InvalidTitle, Title
from .base import ApiModule, HELP_BASE, query_module
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import actor_fields, api_time, parsed_comment, sha1_hex
from .params import P

ASC = ("ascending", "descending")


class LinkProp(ApiModule):
    """A prop module over one link table; also a generator of the link targets."""

    group = "prop"
    generator = True
    #: target namespace when the table has no namespace column
    fixed_ns: int | None = None
    output_key = ""
    filter_param = ""

    def model_columns(self) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        rows = self._rows(ctx, pageset, v, mgr, False)
        for pid, ns, key, extra in rows:
            item = {"ns": ns, "title": Title.make(ns, key, site_namespaces()).prefixed_text}
            item.update(extra)
            pageset.entries[str(pid)].setdefault(self.output_key, []).append(item)

    def generate(self, ctx: ApiContext, pageset: Any, mgr: Any) -> list[Title]:
        v = self.read(ctx, as_generator=True)
        ns = site_namespaces()
        seen, out = set(), []
        for _pid, tns, key, _extra in self._rows(ctx, pageset, v, mgr, True):
            if (tns, key) not in seen:
                seen.add((tns, key))
                out.append(Title.make(tns, key, ns))
        return out

    def _rows(self, ctx: ApiContext, pageset: Any, v: dict[str, Any], mgr: Any,
              as_generator: bool) -> list[tuple[int, int, str, dict[str, Any]]]:
        ids = [p.page_id for p, _t in pageset.good]
        if not ids:
            return []
        from_col, ns_col, title_col = self.model_columns()
        cols = [from_col, title_col] + ([ns_col] if ns_col is not None else [])
        q = select(*cols, *self.extra_columns(v)).where(from_col.in_(ids))
        namespaces = v.get("namespace")
        if namespaces is not None and ns_col is not None:
            q = q.where(ns_col.in_(namespaces))
        elif namespaces is not None and self.fixed_ns not in namespaces:
            return []
        wanted = v.get(self.filter_param) if self.filter_param else None
        if wanted:
            pairs = []
            for text in wanted:
                try:
                    t = Title.new(text, site_namespaces())
                except InvalidTitle:
                    continue
                pairs.append((t.namespace, t.dbkey))
            if ns_col is not None:
                q = q.where(or_(*[and_(ns_col == n, title_col == k) for n, k in pairs]))
            else:
                q = q.where(title_col.in_([k for n, k in pairs if n == self.fixed_ns] or [""]))
        desc = v.get("dir") == "descending"
        q = self.extra_filter(q, v)
        if v.get("continue") is not None:
            q = q.where(self._after(v["continue"], from_col, ns_col, title_col, desc))
        orders = [from_col] + ([ns_col] if ns_col is not None else []) + [title_col]
        q = q.order_by(*[c.desc() if desc else c.asc() for c in orders])
        limit = v["limit"]
        rows = list(ctx.db.execute(q.limit(limit + 1)))
        out = []
        for i, row in enumerate(rows):
            pid, key = row[0], row[1]
            tns = row[2] if ns_col is not None else self.fixed_ns
            if i == limit:
                value = f"{pid}|{tns}|{key}" if ns_col is not None else f"{pid}|{key}"
                (mgr.add_generator if as_generator else mgr.add)(self, "continue", value)
                break
            n = 3 if ns_col is not None else 2
            out.append((pid, tns, key, self.extra_output(ctx, v, row[n:])))
        return out

    def _after(self, value: str, from_col: Any, ns_col: Any, title_col: Any, desc: bool) -> Any:
        parts = value.split("|")
        want = 3 if ns_col is not None else 2
        if len(parts) != want or not parts[0].isdigit() or (
                ns_col is not None and not parts[1].lstrip("-").isdigit()):
            raise ApiError("badcontinue")
        pid = int(parts[0])
        key = parts[-1]
        if desc:
            if ns_col is not None:
                ns = int(parts[1])
                return or_(from_col < pid, and_(from_col == pid, or_(
                    ns_col < ns, and_(ns_col == ns, title_col <= key))))
            return or_(from_col < pid, and_(from_col == pid, title_col <= key))
        if ns_col is not None:
            ns = int(parts[1])
            return or_(from_col > pid, and_(from_col == pid, or_(
                ns_col > ns, and_(ns_col == ns, title_col >= key))))
        return or_(from_col > pid, and_(from_col == pid, title_col >= key))

    def extra_columns(self, v: dict[str, Any]) -> list[Any]:
        return []

    def extra_filter(self, q: Any, v: dict[str, Any]) -> Any:
        return q

    def extra_output(self, ctx: ApiContext, v: dict[str, Any], values: Any) -> dict[str, Any]:
        return {}


def _limit() -> Any:

    return P("limit", "limit", default=10, min=1, max=500, highmax=5000)


@query_module
class Links(LinkProp):
    name, prefix, classname = "links", "pl", "ApiQueryLinks"
    helpurls = (HELP_BASE + "Links",)
    output_key, filter_param = "links", "titles"
    params = (P("namespace", "namespace", multi=True, allspecifier="*"), _limit(),
              P("continue", "string"), P("titles", "string", multi=True), P("dir", ASC,
                                                                           default="ascending"))

    def model_columns(self) -> tuple[Any, Any, Any]:
        return PageLink.from_id, PageLink.namespace, PageLink.title


@query_module
class Templates(LinkProp):
    name, prefix, classname = "templates", "tl", "ApiQueryLinks"
    helpurls = (HELP_BASE + "Templates",)
    output_key, filter_param = "templates", "templates"
    params = (P("namespace", "namespace", multi=True, allspecifier="*"), _limit(),
              P("continue", "string"), P("templates", "string", multi=True),
              P("dir", ASC, default="ascending"))

    def model_columns(self) -> tuple[Any, Any, Any]:
        return TemplateLink.from_id, TemplateLink.namespace, TemplateLink.title


@query_module
class Images(LinkProp):
    name, prefix, classname = "images", "im", "ApiQueryImages"
    helpurls = (HELP_BASE + "Images",)
    output_key, filter_param, fixed_ns = "images", "images", FILE
    params = (_limit(), P("continue", "string"), P("images", "string", multi=True),
              P("dir", ASC, default="ascending"))

    def model_columns(self) -> tuple[Any, Any, Any]:
        return ImageLink.from_id, None, ImageLink.to


@query_module
class Categories(LinkProp):
    name, prefix, classname = "categories", "cl", "ApiQueryCategories"
    helpurls = (HELP_BASE + "Categories",)
    output_key, filter_param, fixed_ns = "categories", "categories", CATEGORY
    params = (P("prop", ("hidden", "sortkey", "timestamp"), multi=True),
              P("show", ("!hidden", "hidden"), multi=True), _limit(), P("continue", "string"),
              P("categories", "string", multi=True), P("dir", ASC, default="ascending"))

    def model_columns(self) -> tuple[Any, Any, Any]:
        return CategoryLink.from_id, None, CategoryLink.to

    def extra_columns(self, v: dict[str, Any]) -> list[Any]:
        return [CategoryLink.sortkey, CategoryLink.sortkey_prefix, CategoryLink.timestamp]

    def extra_filter(self, q: Any, v: dict[str, Any]) -> Any:
        show = set(v.get("show") or ())
        if "hidden" in show and "!hidden" in show:
            raise ApiError("show", info='Incorrect parameter - mutually exclusive values may '
                                        'not be supplied.')
        if show:
            hidden = select(PageProp.page_id).where(PageProp.name == "hiddencat")
            from ..models import Page

            hidden_cats = select(Page.title).where(Page.namespace == CATEGORY,
                                                   Page.page_id.in_(hidden))
            q = q.where(CategoryLink.to.in_(hidden_cats) if "hidden" in show
                        else CategoryLink.to.not_in(hidden_cats))
        return q

    def extra_output(self, ctx: ApiContext, v: dict[str, Any], values: Any) -> dict[str, Any]:
        props = set(v.get("prop") or ())
        out: dict[str, Any] = {}
        if "sortkey" in props:
            out["sortkey"] = (values[0] or "").encode("utf-8").hex()
            out["sortkeyprefix"] = values[1] or ""
        if "timestamp" in props:
            out["timestamp"] = api_time(values[2])
        return out


@query_module
class LangLinks(ApiModule):
    name, group, prefix, classname = "langlinks", "prop", "ll", "ApiQueryLangLinks"
    helpurls = (HELP_BASE + "Langlinks",)
    params = (P("prop", ("url",), multi=True), P("lang", "string"), P("title", "string"),
              P("dir", ASC, default="ascending"), _limit(), P("continue", "string"))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        ids = [p.page_id for p, _t in pageset.good]
        if not ids:
            return
        q = select(LangLink).where(LangLink.from_id.in_(ids))
        if v["lang"]:
            q = q.where(LangLink.lang == v["lang"])
            if v["title"]:
                q = q.where(LangLink.title == v["title"])
        elif v["title"]:
            raise ApiError("invalidparammix", info='The "lltitle" parameter requires "lllang".')
        if v["continue"] is not None:
            parts = v["continue"].split("|")
            if len(parts) != 2 or not parts[0].isdigit():
                raise ApiError("badcontinue")
            pid = int(parts[0])
            q = q.where(or_(LangLink.from_id > pid, and_(LangLink.from_id == pid,
                                                        LangLink.lang >= parts[1])))
        desc = v["dir"] == "descending"
        q = q.order_by(LangLink.from_id.desc() if desc else LangLink.from_id,
                       LangLink.lang.desc() if desc else LangLink.lang)
        rows = list(ctx.db.scalars(q.limit(v["limit"] + 1)))
        from .meta import interwiki_map

        iw = {p: i.url for p, i in interwiki_map().items()}
        for i, row in enumerate(rows):
            if i == v["limit"]:
                mgr.add(self, "continue", f"{row.from_id}|{row.lang}")
                break
            item: dict[str, Any] = {"lang": row.lang}
            if "url" in (v["prop"] or ()):
                base = iw.get(row.lang, f"https://{row.lang}.wikipedia.org/wiki/$1")
                item["url"] = base.replace("$1", row.title.replace(" ", "_"))
            item["title" if ctx.fv == 2 else "*"] = row.title
            pageset.entries[str(row.from_id)].setdefault("langlinks", []).append(item)


@query_module
class ExtLinks(ApiModule):
    name, group, prefix, classname = "extlinks", "prop", "el", "ApiQueryExternalLinks"
    helpurls = (HELP_BASE + "Extlinks",)
    params = (_limit(), P("continue", "string"), P("query", "string"))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        ids = [p.page_id for p, _t in pageset.good]
        if not ids:
            return
        q = select(ExternalLink).where(ExternalLink.from_id.in_(ids))
        if v["query"]:
            q = q.where(ExternalLink.to.contains(v["query"]))
        if v["continue"] is not None:
            parts = v["continue"].split("|")
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise ApiError("badcontinue")
            pid, elid = int(parts[0]), int(parts[1])
            q = q.where(or_(ExternalLink.from_id > pid, and_(ExternalLink.from_id == pid,
                                                            ExternalLink.el_id >= elid)))
        q = q.order_by(ExternalLink.from_id, ExternalLink.el_id)
        rows = list(ctx.db.scalars(q.limit(v["limit"] + 1)))
        key = "url" if ctx.fv == 2 else "*"
        for i, row in enumerate(rows):
            if i == v["limit"]:
                mgr.add(self, "continue", f"{row.from_id}|{row.el_id}")
                break
            pageset.entries[str(row.from_id)].setdefault("extlinks", []).append({key: row.to})


II_PROPS = ("archivename", "bitdepth", "canonicaltitle", "comment", "commonmetadata",
            "dimensions", "extmetadata", "mediatype", "metadata", "mime", "parsedcomment",
            "sha1", "size", "timestamp", "url", "user", "userid")


def file_url(ctx: ApiContext, name: str) -> str:
    """Where the bytes of the current version of file ``name`` are served."""
    from ..rendering import file_url_parts

    base = current_app.config.get("UPLOAD_URL", "/images").rstrip("/")
    if not base.startswith(("http://", "https://")):
        base = ctx.request.host_url.rstrip("/") + base
    from urllib.parse import quote

    return f"{base}/{quote(file_url_parts(name))}"


def image_info(ctx: ApiContext, image: Image, props: set[str], title: Title) -> dict[str, Any]:
    """One ``imageinfo`` entry for the current version of a file."""
    out: dict[str, Any] = {}
    if "timestamp" in props:
        out["timestamp"] = api_time(image.timestamp)
    if "user" in props or "userid" in props:
        from ..models import Actor

        actor_fields(ctx, out, ctx.db.get(Actor, image.actor_id), "user" in props,
                     "userid" in props)
    if "size" in props or "dimensions" in props:
        out.update(size=image.size, width=image.width, height=image.height)
        if image.minor_mime == "pdf":  # ApiQueryImageInfo: pagecount of a multipage file
            try:
                out["pagecount"] = int(json.loads(image.metadata_json or "{}").get("pages") or 1)
            except (ValueError, TypeError, AttributeError):
                out["pagecount"] = 1
    if "comment" in props:
        out["comment"] = image.description or ""
    if "parsedcomment" in props:
        out["parsedcomment"] = parsed_comment(image.description or "", title.prefixed_text)
    if "canonicaltitle" in props:
        out["canonicaltitle"] = title.prefixed_text
    if "url" in props:
        server = ctx.request.host_url.rstrip("/")
        from .formatting import index_url, wiki_url

        out["url"] = file_url(ctx, image.name)
        out["descriptionurl"] = server + wiki_url(title.prefixed_dbkey)
        out["descriptionshorturl"] = server + index_url("", f"curid={image.name}")
    if "sha1" in props:
        out["sha1"] = sha1_hex(image.sha1)
    if "mime" in props:
        out["mime"] = f"{image.major_mime}/{image.minor_mime}"
    if "mediatype" in props:
        out["mediatype"] = image.media_type
    if "bitdepth" in props:
        out["bitdepth"] = image.bits
    if "metadata" in props or "commonmetadata" in props:
        try:
            meta = json.loads(image.metadata_json or "{}")
        except ValueError:
            meta = {}
        items = [{"name": k, "value": v} for k, v in meta.items()] if isinstance(
            meta, dict) else []
        if "metadata" in props:
            out["metadata"] = items
        if "commonmetadata" in props:
            out["commonmetadata"] = []
    if "extmetadata" in props:
        out["extmetadata"] = {}
    return out


@query_module
class ImageInfo(ApiModule):
    name, group, prefix, classname = "imageinfo", "prop", "ii", "ApiQueryImageInfo"
    helpurls = (HELP_BASE + "Imageinfo",)
    params = (P("prop", II_PROPS,
                default="timestamp|user", multi=True),
              P("limit", "limit", default=1, min=1, max=500, highmax=5000),
              P("continue", "string"))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        v = self.read(ctx)
        props = set(v["prop"] or ())
        files = [t for t in pageset.titles() if t.namespace == FILE]
        if not files:
            return
        images = {i.name: i for i in ctx.db.scalars(select(Image).where(
            Image.name.in_([t.dbkey for t in files])))}
        for title in files:
            page = next((p for p, t in pageset.good if t == title), None)
            entry = pageset.entry(page if page is not None else title)
            image = images.get(title.dbkey)
            if image is None:
                entry["imagerepository"] = ""
                continue
            entry["imagerepository"] = "local"
            entry["imageinfo"] = [image_info(ctx, image, props, title)]
