"""``action=parse``, ``action=expandtemplates`` and ``action=compare``, through the renderer
(``wikiengine.rendering`` and ``wikiengine.parser``) and ``wikiengine.diff``.

Owns the API shapes: ``parse.text["*"]`` (fv1) or ``parse.text`` (fv2) with links,
templates, categories, sections, display title and wikitext; ``expandtemplates.wikitext``
(the legacy ``*`` form without ``prop``); ``compare["*"]`` diff rows with the ids and titles
of both sides.
"""
from __future__ import annotations

from typing import Any

from markupsafe import escape

from .. import diff as diffs
from .. import rendering
from ..models import Page, Redirect, Revision
from ..store import revisions
from ..title import Title
from .base import ApiModule, HELP_BASE, action
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .formatting import actor_fields, api_time, parsed_comment
from .params import P

PARSE_PROPS = ("categories", "categorieshtml", "displaytitle", "externallinks", "images",
               "iwlinks", "langlinks", "limitreportdata", "links", "parsewarnings",
               "properties", "revid", "sections", "templates", "text", "wikitext")
DEFAULT_PROPS = ("text", "langlinks", "categories", "links", "templates", "images",
                 "externallinks", "sections", "revid", "displaytitle", "iwlinks",
                 "properties", "parsewarnings")


def _exists(ctx: ApiContext, titles: list[Title]) -> set[tuple[int, str]]:
    from .query import fetch_pages

    return set(fetch_pages(ctx.db, titles))


@action
class Parse(ApiModule):
    name, classname = "parse", "ApiParse"
    helpurls = (HELP_BASE + "Parsing_wikitext", HELP_BASE + "Parse")
    params = (
        P("title", "string"), P("text", "text"), P("revid", "integer"), P("summary", "string"),
        P("page", "string"), P("pageid", "integer"), P("redirects", "boolean"),
        P("oldid", "integer"), P("prop", PARSE_PROPS, default="|".join(DEFAULT_PROPS),
                                 multi=True),
        P("wrapoutputclass", "string", default="mw-parser-output"), P("pst", "boolean"),
        P("onlypst", "boolean"), P("section", "string"), P("sectiontitle", "string"),
        P("disablelimitreport", "boolean"), P("disableeditsection", "boolean"),
        P("preview", "boolean"), P("sectionpreview", "boolean"), P("disabletoc", "boolean"),
        P("contentformat", ("text/x-wiki",)), P("contentmodel", ("wikitext",)),
    )

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        props = set(v["prop"] or ())
        sources = [k for k in ("text", "page", "pageid", "oldid") if v[k] is not None]
        if len(sources) > 1 and not (sources == ["text"]):
            raise ApiError("invalidparammix", ", ".join(f'"{s}"' for s in sources))
        out: dict[str, Any] = {}
        page: Page | None = None
        rev: Revision | None = None
        if v["text"] is None and v["summary"] is not None and not sources:
            title = ctx.title(v["title"] or "API")
            out.update(title=title.prefixed_text, pageid=0)
            out["parsedsummary"] = self._wrap(ctx, parsed_comment(v["summary"],
                                                                  title.prefixed_text))
            ctx.result["parse"] = out
            return
        if v["text"] is not None or not sources:
            if v["text"] is None:
                raise ApiError("missingparam-one-of", info='One of the parameters "text", '
                               '"page", "pageid" or "oldid" is required.')
            title = ctx.title(v["title"] or "API")
            text = v["text"]
            if v["pst"] or v["onlypst"]:
                text = rendering.pre_save_transform(ctx.db, title, text, ctx.user)
            if v["onlypst"]:
                ctx.result["parse"] = {"title": title.prefixed_text, "pageid": 0,
                                       "text": self._wrap(ctx, text)}
                return
            page = revisions.get_page(ctx.db, title)
        else:
            title, page, rev = self._source(ctx, v, out)
            text = revisions.revision_text(ctx.db, rev)
        if v["section"] is not None:
            text = self._section(text, v["section"], v["sectiontitle"])
        options = rendering.parser_options(ctx.user)
        if v["disableeditsection"]:
            options.section_edit_links = False
        if v["preview"] or v["sectionpreview"]:
            options.preview = True
        if v["disabletoc"]:
            options.allow_toc = False
        if rev is not None and v["section"] is None:
            output = rendering.render_revision(ctx.db, title, text, page=page, revision=rev,
                                               options=options)
        else:
            output = rendering.render_revision(ctx.db, title, text, options=options,
                                               use_cache=False)
        out.setdefault("title", title.prefixed_text)
        out.setdefault("pageid", page.page_id if page is not None else 0)
        if rev is not None and "revid" in props:
            out["revid"] = rev.rev_id
        self._fill(ctx, v, props, out, output, title, text)
        ctx.result["parse"] = out

    def _source(self, ctx: ApiContext, v: dict[str, Any], out: dict[str, Any]
                ) -> tuple[Title, Page | None, Revision]:
        if v["oldid"] is not None:
            rev = ctx.db.get(Revision, v["oldid"])
            if rev is None:
                raise ApiError("nosuchrevid", v["oldid"])
            page = ctx.db.get(Page, rev.page_id)
            assert page is not None
            return Title.make(page.namespace, page.title, site_namespaces()), page, rev
        if v["pageid"] is not None:
            page = ctx.db.get(Page, v["pageid"])
            if page is None:
                raise ApiError("nosuchpageid", v["pageid"])
        else:
            title = ctx.title(v["page"])
            page = revisions.get_page(ctx.db, title)
            if page is None:
                raise ApiError("missingtitle")
        if v["redirects"] and page.is_redirect:
            rd = ctx.db.get(Redirect, page.page_id)
            if rd is not None and not rd.interwiki:
                start = Title.make(page.namespace, page.title, site_namespaces())
                target = Title.make(rd.namespace, rd.title, site_namespaces())
                row = revisions.get_page(ctx.db, target)
                if row is not None:
                    out["redirects"] = [{"from": start.prefixed_text,
                                         "to": target.prefixed_text}]
                    page = row
        rev = ctx.db.get(Revision, page.latest)
        if rev is None:
            raise ApiError("missingtitle")
        return Title.make(page.namespace, page.title, site_namespaces()), page, rev

    def _section(self, text: str, section: str, sectiontitle: str | None) -> str:
        from ..parser import sections

        if section == "new":
            return sections.add_section("", sectiontitle or "", text)
        if not section.isdigit():
            raise ApiError("invalidsection")
        found = sections.get_section(text, int(section), default=None)
        if found is None:
            raise ApiError("nosuchsection", section)
        return found

    def _wrap(self, ctx: ApiContext, value: str) -> Any:
        return value if ctx.fv == 2 else {"*": value}

    def _fill(self, ctx: ApiContext, v: dict[str, Any], props: set[str], out: dict[str, Any],
              output: Any, title: Title, text: str) -> None:
        ns = site_namespaces()
        if "text" in props:
            html = output.html
            if v["wrapoutputclass"]:
                html = (f'<div class="{escape(v["wrapoutputclass"])}">{html}</div>')
            out["text"] = self._wrap(ctx, html)
        if "langlinks" in props:
            items = []
            for link in output.language_links:
                lang, _sep, target = link.partition(":")
                item: dict[str, Any] = {"lang": lang, "url": "", "langname": lang,
                                        "autonym": lang}
                item["title" if ctx.fv == 2 else "*"] = target
                items.append(item)
            out["langlinks"] = items
        if "categories" in props:
            cats = []
            for name, sortkey in output.categories.items():
                item = {"sortkey": sortkey or ""}
                item["category" if ctx.fv == 2 else "*"] = name
                cats.append(item)
            out["categories"] = cats
        if "links" in props or "templates" in props:
            for key, source in (("links", output.links), ("templates", output.templates)):
                if key not in props:
                    continue
                targets = [t for t in source.values() if isinstance(t, Title)]
                existing = _exists(ctx, targets)
                items = []
                for t in targets:
                    item = {"ns": t.namespace}
                    ctx.flag(item, "exists", (t.namespace, t.dbkey) in existing)
                    item["title" if ctx.fv == 2 else "*"] = t.prefixed_text
                    items.append(item)
                out[key] = items
        if "images" in props:
            out["images"] = [str(k) for k in output.images]
        if "externallinks" in props:
            out["externallinks"] = list(output.external_links)
        if "sections" in props:
            out["sections"] = [{k: v for k, v in s.items() if k != "linkAnchor"}
                               for s in output.sections]
        if "parsewarnings" in props:
            out["parsewarnings"] = list(output.warnings)
        if "displaytitle" in props:
            out["displaytitle"] = output.display_title or str(escape(title.prefixed_text))
        if "iwlinks" in props:
            items = []
            for prefix, keys in output.interwiki_links.items():
                for key in keys:
                    item = {"prefix": prefix, "url": ""}
                    item["title" if ctx.fv == 2 else "*"] = f"{prefix}:{key}"
                    items.append(item)
            out["iwlinks"] = items
        if "properties" in props:
            pairs = {str(k).lower(): str(val) for k, val in output.properties.items()}
            out["properties"] = pairs if ctx.fv == 2 else [
                {"name": k, "*": val} for k, val in pairs.items()]
        if "wikitext" in props:
            out["wikitext"] = self._wrap(ctx, text)
        if "limitreportdata" in props:
            out["limitreportdata"] = [{"name": k, "0": val} for k, val in
                                      output.limit_report.items()]
        if "categorieshtml" in props:
            links = "".join(f'<li><a href="/wiki/{escape(ns.name(14))}:{escape(c)}">'
                            f"{escape(c.replace('_', ' '))}</a></li>"
                            for c in output.categories)
            out["categorieshtml"] = self._wrap(ctx, f'<div id="catlinks" class="catlinks">'
                                                    f"<ul>{links}</ul></div>" if links else "")


@action
class ExpandTemplates(ApiModule):
    name, classname = "expandtemplates", "ApiExpandTemplates"
    helpurls = (HELP_BASE + "Expandtemplates",)
    params = (P("title", "string"), P("text", "text", required=True), P("revid", "integer"),
              P("prop", ("categories", "properties", "volatile", "wikitext"), multi=True))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        title = ctx.title(v["title"] or "API")
        expanded, ctx_out = expand_text(ctx, title, v["text"], v["revid"])
        props = v["prop"]
        if props is None:
            ctx.warn(self.name, 'Because no values have been specified for the "prop" '
                                'parameter, a legacy format has been used for the output. This '
                                'format is deprecated, and in the future, a default value will '
                                'be set for the "prop" parameter, causing the new format to '
                                'always be used.', "deprecation")
            ctx.result["expandtemplates"] = {ctx.content_key(): expanded}
            return
        out: dict[str, Any] = {}
        if "wikitext" in props:
            out["wikitext"] = expanded
        if "categories" in props and ctx_out is not None:
            out["categories"] = [{"sortkey": s, ("category" if ctx.fv == 2 else "*"): c}
                                 for c, s in ctx_out.categories.items()]
        if "properties" in props and ctx_out is not None:
            out["properties"] = [{"name": str(k).lower(), "*": str(val)}
                                 for k, val in ctx_out.properties.items()]
        if "volatile" in props:
            ctx.flag(out, "volatile", False)
        ctx.result["expandtemplates"] = out


def expand_text(ctx: ApiContext, title: Title, text: str,
                revid: int | None) -> tuple[str, Any]:
    """Phase 1 of the parser on ``text`` as if it were page ``title``."""
    try:
        from .. import parser
    except ImportError:
        return text, None
    changes: dict[str, Any] = {}
    if revid is not None:
        changes["revision_id"] = revid
    options = rendering.parser_options(ctx.user)
    from .. import registry

    pctx = parser.make_context(title, rendering.DbPageSource(ctx.db), options,
                               rendering.site_config(**changes), registry.parser_hooks())
    return parser.expand(text, pctx), pctx.output


@action
class Compare(ApiModule):
    name, classname = "compare", "ApiComparePages"
    helpurls = (HELP_BASE + "Compare",)
    params = (P("fromtitle", "string"), P("fromid", "integer"), P("fromrev", "integer"),
              P("fromtext", "text", deprecated=True), P("totitle", "string"),
              P("toid", "integer"), P("torev", "integer"),
              P("torelative", ("cur", "next", "prev")), P("totext", "text", deprecated=True),
              P("prop", ("comment", "diff", "diffsize", "ids", "parsedcomment", "rel", "size",
                         "timestamp", "title", "user"), default="diff|ids|title", multi=True))

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        props = set(v["prop"] or ())
        from_rev, from_text = self._side(ctx, v, "from", None)
        to_rev, to_text = self._side(ctx, v, "to", from_rev)
        out: dict[str, Any] = {}
        for side, rev in (("from", from_rev), ("to", to_rev)):
            if rev is None:
                continue
            page = ctx.db.get(Page, rev.page_id)
            if "ids" in props:
                out[f"{side}id"] = rev.page_id
                out[f"{side}revid"] = rev.rev_id
            if "title" in props and page is not None:
                out[f"{side}ns"] = page.namespace
                out[f"{side}title"] = Title.make(page.namespace, page.title,
                                                 site_namespaces()).prefixed_text
            if "size" in props:
                out[f"{side}size"] = rev.len
            if "timestamp" in props:
                out[f"{side}timestamp"] = api_time(rev.timestamp)
            if "user" in props:
                user: dict[str, Any] = {}
                actor_fields(ctx, user, rev.actor)
                out.update({f"{side}{k}": val for k, val in user.items()})
            if "comment" in props:
                out[f"{side}comment"] = rev.comment or ""
                out[f"{side}parsedcomment"] = parsed_comment(rev.comment or "")
            elif "parsedcomment" in props:
                out[f"{side}parsedcomment"] = parsed_comment(rev.comment or "")
        if "rel" in props and to_rev is not None:
            prev = ctx.db.get(Revision, to_rev.parent_id) if to_rev.parent_id else None
            if prev is not None:
                out["prev"] = prev.rev_id
            nxt = revisions.next_revision(ctx.db, to_rev)
            if nxt is not None:
                out["next"] = nxt.rev_id
        if "diffsize" in props or "diff" in props:
            rows = diffs.diff_table_rows(diffs.line_diff(from_text, to_text))
            if "diffsize" in props:
                out["diffsize"] = len(rows)
            if "diff" in props:
                out["body" if ctx.fv == 2 else "*"] = rows
        ctx.result["compare"] = out

    def _side(self, ctx: ApiContext, v: dict[str, Any], side: str,
              other: Revision | None) -> tuple[Revision | None, str]:
        if side == "to" and v["torelative"] is not None:
            if other is None:
                raise ApiError("compare-relative-to-nothing",
                               info="'torelative' cannot be used relative to text.")
            if v["torelative"] == "prev":
                rev = ctx.db.get(Revision, other.parent_id) if other.parent_id else None
                if rev is None:
                    return None, ""
            elif v["torelative"] == "next":
                rev = revisions.next_revision(ctx.db, other)
                if rev is None:
                    return None, revisions.revision_text(ctx.db, other)
            else:
                page = ctx.db.get(Page, other.page_id)
                rev = ctx.db.get(Revision, page.latest) if page is not None else None
            if rev is None:
                raise ApiError("nosuchrevid", other.rev_id)
            return rev, revisions.revision_text(ctx.db, rev)
        if v[f"{side}text"] is not None:
            return None, v[f"{side}text"]
        rev: Revision | None = None
        if v[f"{side}rev"] is not None:
            rev = ctx.db.get(Revision, v[f"{side}rev"])
            if rev is None:
                raise ApiError("nosuchrevid", v[f"{side}rev"])
        elif v[f"{side}id"] is not None:
            page = ctx.db.get(Page, v[f"{side}id"])
            if page is None:
                raise ApiError("nosuchpageid", v[f"{side}id"])
            rev = ctx.db.get(Revision, page.latest)
        elif v[f"{side}title"] is not None:
            title = ctx.title(v[f"{side}title"])
            page = revisions.get_page(ctx.db, title)
            if page is None:
                raise ApiError("missingtitle")
            rev = ctx.db.get(Revision, page.latest)
        else:
            raise ApiError(f"compare-no{side}revision")
        assert rev is not None
        return rev, revisions.revision_text(ctx.db, rev)

