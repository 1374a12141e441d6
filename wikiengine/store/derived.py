"""Derived data: link tables (pagelinks, templatelinks, categorylinks + category counts,
externallinks, langlinks, iwlinks, imagelinks, page_props, redirect) filled from a
ParserOutput, and ``page_touched`` bumps of the pages that depend on a changed page.

Everything here can be rebuilt from the revisions (``wikiengine refresh-links``).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select, union, update
from sqlalchemy.orm import Session

from wikiengine.models import (Category, CategoryLink, ExternalLink, ImageLink, IwLink, LangLink,
                               Page, PageLink, PageProp, Redirect, TemplateLink, utcnow)
from wikiengine.namespaces import CATEGORY, FILE
from wikiengine.title import InvalidTitle, Title

_REDIRECT = re.compile(r"^\s*#(?:REDIRECT|REDIRECTION)\s*:?\s*\[\[([^\]|]+)", re.I)


def redirect_target(title: Title, text: str, output: Any = None) -> Title | None:
    """Where a page's text redirects to (``#REDIRECT [[…]]``, French ``#REDIRECTION``)."""
    target = getattr(output, "redirect", None) if output is not None else None
    if target is not None:
        return target
    m = _REDIRECT.match(text)
    if not m:
        return None
    try:
        return Title.new(m.group(1).strip(), title.namespaces)
    except InvalidTitle:
        return None


def el_index(url: str) -> str:
    """MediaWiki's ``el_index``: the host reversed (``http://org.example.www./path``)."""
    parts = urlsplit(url if not url.startswith("//") else "http:" + url)
    host = (parts.hostname or "")
    if not host:
        return url
    reversed_host = ".".join(reversed(host.split("."))) + "."
    rest = url.split(parts.netloc, 1)[1] if parts.netloc else ""
    scheme = (parts.scheme + ":") if not url.startswith("//") else ""
    return f"{scheme}//{reversed_host}{rest or '/'}"[:767]


def _category_sortkey(title: Title, prefix: str) -> str:
    """``Title::getCategorySortkey`` under the ``uppercase`` collation, 230 bytes at most."""
    key = f"{prefix}\n{title.text}" if prefix else title.text
    return key.upper().encode("utf-8")[:230].decode("utf-8", "ignore")


def _sync(session: Session, model: Any, from_attr: str, page_id: int,
          wanted: dict[tuple, dict[str, Any]], key_attrs: tuple[str, ...]) -> tuple[set, set]:
    """Make ``model``'s rows of ``page_id`` equal ``wanted`` (key tuple -> other values);
    returns (added keys, removed keys)."""
    column = getattr(model, from_attr)
    existing = {tuple(getattr(row, a) for a in key_attrs): row
                for row in session.scalars(select(model).where(column == page_id))}
    removed = set(existing) - set(wanted)
    added = set(wanted) - set(existing)
    for key in removed:
        session.delete(existing[key])
    for key, row in existing.items():
        if key in wanted:
            for attr, value in wanted[key].items():
                if getattr(row, attr) != value:
                    setattr(row, attr, value)
    for key in added:
        values = dict(zip(key_attrs, key))
        values.update(wanted[key])
        session.add(model(**{from_attr: page_id}, **values))
    session.flush()
    return added, removed


def update_links(session: Session, page: Page, title: Title, output: Any,
                 redirect: Title | None = None) -> None:
    """Replace the link-table rows of ``page`` by what ``output`` (a ParserOutput, or None
    when no parser is available: tables emptied) says."""
    pid, ns = page.page_id, page.namespace
    links: dict[tuple, dict[str, Any]] = {}
    templates: dict[tuple, dict[str, Any]] = {}
    categories: dict[tuple, dict[str, Any]] = {}
    images: dict[tuple, dict[str, Any]] = {}
    externals: dict[str, None] = {}
    langs: dict[tuple, dict[str, Any]] = {}
    iw: dict[tuple, dict[str, Any]] = {}
    props: dict[tuple, dict[str, Any]] = {}
    if output is not None:
        for target in output.links.values():
            if getattr(target, "interwiki", "") or target.namespace < 0:
                continue
            if (target.namespace, target.dbkey) == (ns, page.title):
                continue  # MediaWiki renders self-links as bold text and records no link
            links[(target.namespace, target.dbkey[:255])] = {"from_namespace": ns}
        for target in output.templates.values():
            if target.namespace >= 0 and not getattr(target, "interwiki", ""):
                templates[(target.namespace, target.dbkey[:255])] = {"from_namespace": ns}
        defaultsort = str(output.properties.get("DEFAULTSORT")
                          or output.properties.get("defaultsort") or "")
        cl_type = "subcat" if ns == CATEGORY else "file" if ns == FILE else "page"
        for name, sortkey in output.categories.items():
            prefix = sortkey or defaultsort
            categories[(name[:255],)] = {
                "sortkey": _category_sortkey(title, prefix), "sortkey_prefix": prefix[:255],
                "type": cl_type, "collation": "uppercase"}
        for name in output.images:
            images[(str(name)[:255],)] = {"from_namespace": ns}
        externals = dict.fromkeys(output.external_links)
        for link in output.language_links:
            lang, _, target = str(link).partition(":")
            langs.setdefault((lang.lower()[:35],), {"title": target.replace("_", " ")[:255]})
        for prefix, keys in output.interwiki_links.items():
            for key in keys:
                iw[(prefix[:32], key[:255])] = {}
        for name, value in output.properties.items():
            text = "" if value is True or value is None else str(value)
            props[(name.lower()[:60],)] = {"value": text}
    _sync(session, PageLink, "from_id", pid, links, ("namespace", "title"))
    _sync(session, TemplateLink, "from_id", pid, templates, ("namespace", "title"))
    added, removed = _sync(session, CategoryLink, "from_id", pid, categories, ("to",))
    _sync(session, ImageLink, "from_id", pid, images, ("to",))
    _sync(session, LangLink, "from_id", pid, langs, ("lang",))
    _sync(session, IwLink, "from_id", pid, iw, ("prefix", "title"))
    _sync(session, PageProp, "page_id", pid, props, ("name",))
    _sync_external(session, pid, externals)
    _sync_redirect(session, pid, redirect)
    recount_categories(session, {k[0] for k in added | removed})
    session.execute(update(Page).where(Page.page_id == pid).values(links_updated=utcnow())
                    .execution_options(synchronize_session=False))


def _sync_external(session: Session, page_id: int, urls: dict[str, None]) -> None:
    existing = {row.to: row for row in session.scalars(
        select(ExternalLink).where(ExternalLink.from_id == page_id))}
    for url, row in existing.items():
        if url not in urls:
            session.delete(row)
    for url in urls:
        if url not in existing:
            session.add(ExternalLink(from_id=page_id, to=url, index=el_index(url)))
    session.flush()


def _sync_redirect(session: Session, page_id: int, target: Title | None) -> None:
    row = session.get(Redirect, page_id)
    if target is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = Redirect(rd_from=page_id)
        session.add(row)
    row.namespace = target.namespace
    row.title = target.dbkey[:255]
    row.interwiki = target.interwiki or None
    row.fragment = target.fragment[:255] or None
    session.flush()


def recount_categories(session: Session, names: Iterable[str]) -> None:
    """Refresh ``category`` counts (pages, subcats, files) of the named categories."""
    for name in sorted(set(names)):
        counts = dict(session.execute(
            select(CategoryLink.type, func.count()).where(CategoryLink.to == name)
            .group_by(CategoryLink.type)).all())
        row = session.scalar(select(Category).where(Category.title == name))
        if row is None:
            row = Category(title=name)
            session.add(row)
        row.subcats = counts.get("subcat", 0)
        row.files = counts.get("file", 0)
        row.pages = sum(counts.values())
    session.flush()


def clear_links(session: Session, page_id: int) -> None:
    """Remove every link-table row of a page (before it is deleted)."""
    names = list(session.scalars(select(CategoryLink.to).where(CategoryLink.from_id == page_id)))
    for model, column in ((PageLink, PageLink.from_id), (TemplateLink, TemplateLink.from_id),
                          (CategoryLink, CategoryLink.from_id), (ImageLink, ImageLink.from_id),
                          (LangLink, LangLink.from_id), (IwLink, IwLink.from_id),
                          (PageProp, PageProp.page_id), (ExternalLink, ExternalLink.from_id),
                          (Redirect, Redirect.rd_from)):
        session.execute(delete(model).where(column == page_id)
                        .execution_options(synchronize_session=False))
    session.expire_all()
    recount_categories(session, names)


def invalidate_backlinks(session: Session, title: Title, links: bool = False) -> int:
    """Bump ``page_touched`` of pages that transclude ``title`` (and, with ``links``, of
    pages that link to it or show it as a file: their links change colour). Returns count."""
    parts = [select(TemplateLink.from_id).where(TemplateLink.namespace == title.namespace,
                                                TemplateLink.title == title.dbkey)]
    if links:
        parts.append(select(PageLink.from_id).where(PageLink.namespace == title.namespace,
                                                    PageLink.title == title.dbkey))
        if title.namespace == FILE:
            parts.append(select(ImageLink.from_id).where(ImageLink.to == title.dbkey))
    ids = union(*parts) if len(parts) > 1 else parts[0]
    id_list = list(session.scalars(ids))
    if not id_list:
        return 0
    session.execute(update(Page).where(Page.page_id.in_(id_list)).values(touched=utcnow())
                    .execution_options(synchronize_session=False))
    return len(id_list)


def invalidate_backlinks_after_commit(session: Session, title: Title,
                                      links: bool = False) -> None:
    """``invalidate_backlinks`` in its own transaction once the caller's commit is done."""
    from .events import after_commit

    after_commit(session, lambda other: invalidate_backlinks(other, title, links))


def refresh_all(session: Session, batch: int = 200,
                on_batch: Callable[[], None] | None = None) -> int:
    """Rebuild the link tables of every page from its latest revision; returns pages done.
    ``on_batch`` runs after each batch (the CLI commits there); nothing is committed here."""
    from wikiengine import rendering
    from wikiengine.store.revisions import page_text

    done = 0
    last = 0
    while True:
        pages = list(session.scalars(select(Page).where(Page.page_id > last)
                                     .order_by(Page.page_id).limit(batch)))
        if not pages:
            return done
        for page in pages:
            title = Title.make(page.namespace, page.title, rendering.site_namespaces())
            text = page_text(session, page) or ""
            output = rendering.parse_for_links(session, title, text)
            update_links(session, page, title, output, redirect_target(title, text, output))
            done += 1
            last = page.page_id
        if on_batch is not None:
            on_batch()
