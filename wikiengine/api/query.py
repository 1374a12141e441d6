"""``action=query``: the page set, continuation and the dispatch to prop/list/meta modules.

Owns MediaWiki's ``ApiPageSet`` (titles, pageids, revids or a generator; ``normalized``,
``redirects``, missing and invalid titles with negative keys, ``indexpageids``) and
``ApiContinuationManager`` (the ``continue`` protocol: ``gapcontinue||userinfo``,
``-||userinfo``; modules already finished are skipped, the generator is kept in place while
prop modules still continue, ``batchcomplete`` when a batch is whole).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from sqlalchemy import and_, or_, select

from ..models import Page, Redirect, Revision
from ..namespaces import MEDIA, SPECIAL
from ..title import InvalidTitle, Title
from .base import QUERY_MODULES, ApiModule, HELP_BASE, action, submodules
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .params import P

SQL_BATCH = 400
#: What MediaWiki names in "contains invalid characters" (Title::getTitleInvalidRegex).
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f#<>\[\]|{}\ufffd]|%[0-9A-Fa-f]{2}"
                        r"|&[A-Za-z0-9\x80-\uffff]+;")


class ContinuationManager:
    """Which modules run in this request, and the ``continue`` object of the answer."""

    def __init__(self, ctx: ApiContext, modules: list[ApiModule], generated: list[str]):
        self.generated = set(generated)
        self.data: dict[str, dict[str, str]] = {}
        self.gen_data: dict[str, dict[str, str]] = {}
        self.gen_params: dict[str, str] = {}
        self.generator_done = False
        skip: set[str] = set()
        raw = ctx.raw("continue") or ""
        if raw:
            parts = raw.split("||")
            if len(parts) != 2:
                raise ApiError("badcontinue")
            self.generator_done = parts[0] == "-"
            skip = set(parts[1].split("|"))
            if not self.generator_done:
                for name in parts[0].split("|"):
                    if name in ctx.values:
                        self.gen_params[name] = ctx.values[name]
            else:
                skip |= self.generated
        self.all = {m.name: (None if m.name in skip else m) for m in modules}
        for m in modules:
            if m.name in skip:  # read anyway: no spurious "unrecognized parameter" warning
                try:
                    m.read(ctx)
                except ApiError:
                    pass

    def run_modules(self) -> list[ApiModule]:
        return [m for m in self.all.values() if m is not None]

    def add(self, module: ApiModule, name: str, value: Any) -> None:
        self.data.setdefault(module.name, {})[module.prefix + name] = _join(value)

    def add_generator(self, module: ApiModule, name: str, value: Any) -> None:
        self.gen_data.setdefault(module.name, {})["g" + module.prefix + name] = _join(value)

    def result(self) -> tuple[dict[str, str], bool]:
        data: dict[str, str] = {}
        batchcomplete = False
        finished = [n for n in self.all if n not in self.data]
        for name, kvp in self.data.items():
            if name not in self.generated:
                data.update({k: v for k, v in kvp.items() if k not in data})
        pending = {n: kvp for n, kvp in self.data.items() if n in self.generated}
        if pending:
            for kvp in pending.values():
                data.update({k: v for k, v in kvp.items() if k not in data})
            params = dict(self.gen_params)
            data.update({k: v for k, v in params.items() if k not in data})
            keys = "|".join(params)
        elif self.gen_data:
            params = {}
            for kvp in self.gen_data.values():
                params.update(kvp)
            data.update(params)
            finished = [n for n in finished if n not in self.generated]
            keys = "|".join(params)
            batchcomplete = True
        else:
            keys = "-"
            batchcomplete = True
        if data or keys != "-":
            data["continue"] = keys + "||" + "|".join(finished)
        return data, batchcomplete


def _join(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return str(value)


class PageSet:
    """The pages a query works on, and how their titles were understood."""

    def __init__(self, ctx: ApiContext):
        self.ctx = ctx
        self.normalized: list[dict[str, Any]] = []
        self.redirects: list[dict[str, Any]] = []
        self.interwiki: list[dict[str, Any]] = []
        self.badrevids: dict[str, dict[str, Any]] = {}
        self.entries: dict[str, dict[str, Any]] = {}
        self.good: list[tuple[Page, Title]] = []
        self.missing: list[Title] = []
        self.revids: list[int] = []
        self.generator_data: dict[tuple[int, str], dict[str, Any]] = {}
        self.key_of: dict[tuple[int, str], str] = {}
        self.title_of: dict[str, Title] = {}
        self.page_of: dict[str, Page] = {}
        self._next_missing = -1
        self._seen: set[tuple[int, str]] = set()

    # -- input ---------------------------------------------------------------------------
    def add_titles(self, texts: Iterable[str]) -> None:
        titles: list[Title] = []
        ns = site_namespaces()
        for text in texts:
            try:
                title = Title.new(text, ns)
            except InvalidTitle as exc:
                self._invalid(text, exc.code)
                continue
            if title.interwiki:
                self.interwiki.append({"title": text, "iw": title.interwiki})
                continue
            if title.fragment:
                title = title.without_fragment()
            if title.prefixed_text != text:
                self.normalized.append({"fromencoded": False, "from": text,
                                        "to": title.prefixed_text})
            titles.append(title)
        self.add_title_objects(titles)

    def add_title_objects(self, titles: Iterable[Title]) -> None:
        wanted: list[Title] = []
        for title in titles:
            key = (title.namespace, title.dbkey)
            if key in self._seen:
                continue
            self._seen.add(key)
            if title.namespace in (SPECIAL, MEDIA):
                entry = self._title_entry(title)
                self.ctx.flag(entry, "special", True)
                self._add_entry(str(self._next_missing), entry)
                self._next_missing -= 1
                continue
            wanted.append(title)
        found = fetch_pages(self.ctx.db, wanted)
        for title in wanted:
            page = found.get((title.namespace, title.dbkey))
            if page is None:
                self.missing.append(title)
                entry = self._title_entry(title)
                self.ctx.flag(entry, "missing", True)
                self.key_of[(title.namespace, title.dbkey)] = str(self._next_missing)
                self.title_of[str(self._next_missing)] = title
                self._add_entry(str(self._next_missing), entry)
                self._next_missing -= 1
            else:
                self._add_page(page, title)

    def add_pages(self, pages: Iterable[Page]) -> None:
        ns = site_namespaces()
        for page in pages:
            key = (page.namespace, page.title)
            if key in self._seen:
                continue
            self._seen.add(key)
            self._add_page(page, Title.make(page.namespace, page.title, ns))

    def add_pageids(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        rows = {p.page_id: p for p in fetch_by_ids(self.ctx.db, ids)}
        for pid in ids:
            page = rows.get(pid)
            if page is None:
                entry: dict[str, Any] = {"pageid": pid}
                self.ctx.flag(entry, "missing", True)
                self._add_entry(str(pid), entry)
            else:
                self.add_pages([page])

    def add_revids(self, revids: Iterable[int]) -> None:
        revids = list(revids)
        revs: dict[int, Revision] = {}
        for chunk in _chunks(revids):
            for rev in self.ctx.db.scalars(select(Revision).where(Revision.rev_id.in_(chunk))):
                revs[rev.rev_id] = rev
        page_ids = []
        for rid in revids:
            rev = revs.get(rid)
            if rev is None:
                entry: dict[str, Any] = {"revid": rid}
                self.ctx.flag(entry, "missing", True)
                self.badrevids[str(rid)] = entry
            else:
                self.revids.append(rid)
                page_ids.append(rev.page_id)
        self.add_pages(fetch_by_ids(self.ctx.db, list(dict.fromkeys(page_ids))))

    def resolve_redirects(self) -> None:
        """Replace redirect pages by their targets (``redirects=``), at most a few hops."""
        ns = site_namespaces()
        for _hop in range(5):
            redirs = [(p, t) for p, t in self.good if p.is_redirect]
            if not redirs:
                return
            targets = {r.rd_from: r for chunk in _chunks([p.page_id for p, _t in redirs])
                       for r in self.ctx.db.scalars(
                           select(Redirect).where(Redirect.rd_from.in_(chunk)))}
            new_titles: list[Title] = []
            for page, title in redirs:
                rd = targets.get(page.page_id)
                if rd is None:
                    continue
                self.good.remove((page, title))
                self.entries.pop(str(page.page_id), None)
                target = Title.make(rd.namespace, rd.title, ns)
                entry: dict[str, Any] = {"from": title.prefixed_text,
                                         "to": target.prefixed_text}
                if rd.fragment:
                    entry["tofragment"] = rd.fragment
                if rd.interwiki:
                    entry["tointerwiki"] = rd.interwiki
                self.redirects.append(entry)
                if not rd.interwiki:
                    self._seen.discard((target.namespace, target.dbkey))
                    new_titles.append(target)
            self.add_title_objects(new_titles)

    # -- output --------------------------------------------------------------------------
    def _title_entry(self, title: Title) -> dict[str, Any]:
        return {"ns": title.namespace, "title": title.prefixed_text}

    def _add_entry(self, key: str, entry: dict[str, Any]) -> None:
        self.entries[key] = entry

    def _add_page(self, page: Page, title: Title) -> None:
        self.good.append((page, title))
        entry = {"pageid": page.page_id, "ns": page.namespace, "title": title.prefixed_text}
        self.key_of[(page.namespace, page.title)] = str(page.page_id)
        self.title_of[str(page.page_id)] = title
        self.page_of[str(page.page_id)] = page
        self._add_entry(str(page.page_id), entry)

    def _invalid(self, text: str, code: str) -> None:
        entry: dict[str, Any] = {"title": text}
        self.ctx.flag(entry, "invalid", True)
        bad = _BAD_CHARS.search(text)
        entry["invalidreason"] = INVALID_REASONS.get(code, f'The requested page title "{text}" '
                                                           'is invalid.').format(
            bad.group(0) if bad is not None else text)
        self._add_entry(str(self._next_missing), entry)
        self._next_missing -= 1

    def entry(self, page_or_title: Any) -> dict[str, Any]:
        """The output object of a good page (a Page) or a missing Title."""
        if isinstance(page_or_title, Page):
            return self.entries[str(page_or_title.page_id)]
        return self.entries[self.key_of[(page_or_title.namespace, page_or_title.dbkey)]]

    def items(self) -> list[tuple[dict[str, Any], Title | None, Page | None]]:
        """``(entry, title, page)`` for every entry (title None: invalid or unknown id)."""
        return [(entry, self.title_of.get(key), self.page_of.get(key))
                for key, entry in self.entries.items()]

    def titles(self) -> list[Title]:
        return [t for _p, t in self.good] + list(self.missing)

    def write(self, query: dict[str, Any], indexpageids: bool) -> None:
        ctx = self.ctx
        if self.normalized:
            query["normalized"] = [_fromencoded(ctx, n) for n in self.normalized]
        if self.interwiki:
            query["interwiki"] = self.interwiki
        if self.redirects:
            query["redirects"] = self.redirects
        if self.badrevids:
            query["badrevids"] = self.badrevids
        if not self.entries:
            return
        for pair, extra in self.generator_data.items():
            key = self.key_of.get(pair)
            if key is not None:
                self.entries[key].update(extra)
        if indexpageids:
            query["pageids"] = list(self.entries)
        if ctx.fv == 2:
            query["pages"] = list(self.entries.values())
        else:
            query["pages"] = self.entries


def _fromencoded(ctx: ApiContext, item: dict[str, Any]) -> dict[str, Any]:
    out = dict(item)
    ctx.flag(out, "fromencoded", bool(out.pop("fromencoded")))
    return {k: out[k] for k in ("fromencoded", "from", "to") if k in out}


INVALID_REASONS = {
    "title-invalid-empty": "The requested page title is empty or contains only the name of "
                           "a namespace.",
    "title-invalid-characters": 'The requested page title contains invalid characters: '
                                '"{0}".',
    "title-invalid-relative": "Title has relative path. Relative page titles (./, ../) are "
                              "invalid, because they will often be unreachable when handled "
                              "by user's browser.",
    "title-invalid-magic-tilde": "The requested page title contains invalid magic tilde "
                                 "sequence (~~~).",
    "title-invalid-too-long": "The requested page title is too long. It must be no longer "
                              "than 255 bytes in UTF-8 encoding.",
    "title-invalid-leading-colon": "The requested page title contains an invalid colon at "
                                   "the beginning.",
    "title-invalid-talk-namespace": "The requested page title contains a talk page namespace "
                                    "that does not exist.",
}


def _chunks(items: list[Any], size: int = SQL_BATCH) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def fetch_pages(db: Any, titles: Iterable[Title]) -> dict[tuple[int, str], Page]:
    """Page rows of ``titles`` keyed by ``(namespace, dbkey)``, in few queries."""
    by_ns: dict[int, list[str]] = {}
    for t in titles:
        by_ns.setdefault(t.namespace, []).append(t.dbkey)
    found: dict[tuple[int, str], Page] = {}
    for ns, keys in by_ns.items():
        for chunk in _chunks(keys):
            for page in db.scalars(select(Page).where(Page.namespace == ns,
                                                      Page.title.in_(chunk))):
                found[(page.namespace, page.title)] = page
    return found


def fetch_by_ids(db: Any, ids: list[int]) -> list[Page]:
    rows: dict[int, Page] = {}
    for chunk in _chunks(ids):
        for page in db.scalars(select(Page).where(Page.page_id.in_(chunk))):
            rows[page.page_id] = page
    return [rows[i] for i in ids if i in rows]


def pages_condition(pairs: Iterable[tuple[int, str]]) -> Any:
    by_ns: dict[int, list[str]] = {}
    for ns, key in pairs:
        by_ns.setdefault(ns, []).append(key)
    return or_(*[and_(Page.namespace == ns, Page.title.in_(keys)) for ns, keys in by_ns.items()])


@action
class Query(ApiModule):
    name, classname = "query", "ApiQuery"
    helpurls = (HELP_BASE + "Query", HELP_BASE + "Meta", HELP_BASE + "Properties",
                HELP_BASE + "Lists")
    params = (
        P("prop", submodules=submodules("prop"), multi=True),
        P("list", submodules=submodules("list"), multi=True),
        P("meta", submodules=submodules("meta"), multi=True),
        P("indexpageids", "boolean"),
        P("continue", "string"),
        P("titles", "string", multi=True),
        P("pageids", "integer", multi=True),
        P("revids", "integer", multi=True),
        P("generator", submodules=submodules("generator"), submoduleparamprefix="g"),
        P("redirects", "boolean"),
        P("converttitles", "boolean"),
    )

    def needs_read(self, ctx: ApiContext) -> bool:
        """MediaWiki's ApiQuery::isReadMode: only meta modules that need no ``read`` right
        (tokens) may be asked for without it, and nothing else in the request."""
        given = {n for n in ("prop", "list", "titles", "pageids", "revids", "generator",
                             "redirects", "continue", "converttitles")
                 if ctx.values.get(n) not in (None, "")}
        metas = [m for m in (ctx.values.get("meta") or "").split("|") if m]
        if given or not metas:
            return True
        return any(m not in QUERY_MODULES["meta"] or QUERY_MODULES["meta"][m].readrights
                   for m in metas)

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        sources = [n for n in ("titles", "pageids", "revids") if v[n] is not None]
        if v["generator"] and (v["generator"] not in QUERY_MODULES["prop"] or not sources):
            sources.append("generator")
        if len(sources) > 1:
            names = ", ".join(f'"{s}"' for s in sources)
            raise ApiError("invalidparammix", names)
        modules: list[ApiModule] = []
        for group in ("prop", "list", "meta"):
            for name in v[group] or []:
                modules.append(QUERY_MODULES[group][name])
        props = [m.name for m in modules if m.group == "prop"]
        mgr = ContinuationManager(ctx, modules, props)
        ctx.continuation = mgr  # type: ignore[attr-defined]
        pageset = PageSet(ctx)
        query: dict[str, Any] = {}
        ctx.result["query"] = query
        if not mgr.generator_done:
            if v["generator"]:
                self._generate(ctx, v, pageset, mgr)
            elif v["titles"] is not None:
                pageset.add_titles(v["titles"])
            elif v["pageids"] is not None:
                pageset.add_pageids(v["pageids"])
            elif v["revids"] is not None:
                pageset.add_revids(v["revids"])
            if v["redirects"]:
                pageset.resolve_redirects()
            pageset.write(query, v["indexpageids"])
        ctx.pageset = pageset  # type: ignore[attr-defined]
        for module in mgr.run_modules():
            module.run(ctx, pageset, mgr)  # type: ignore[attr-defined]
        if not query:
            del ctx.result["query"]
        data, complete = mgr.result()
        head: dict[str, Any] = {}
        if complete:
            ctx.flag(head, "batchcomplete", True)
        if data:
            head["continue"] = data
        ctx.result = {**head, **ctx.result}

    def _generate(self, ctx: ApiContext, v: dict[str, Any], pageset: PageSet,
                  mgr: ContinuationManager) -> None:
        name = v["generator"]
        module = QUERY_MODULES["prop"].get(name) or QUERY_MODULES["list"][name]
        inner = PageSet(ctx)
        if module.group == "prop":
            if v["titles"] is not None:
                inner.add_titles(v["titles"])
            elif v["pageids"] is not None:
                inner.add_pageids(v["pageids"])
            elif v["revids"] is not None:
                inner.add_revids(v["revids"])
            if v["redirects"]:
                inner.resolve_redirects()
        result = module.generate(ctx, inner, mgr)  # type: ignore[attr-defined]
        pageset.generator_data.update(inner.generator_data)
        for item in result:
            if isinstance(item, Page):
                pageset.add_pages([item])
            else:
                pageset.add_title_objects([item])
