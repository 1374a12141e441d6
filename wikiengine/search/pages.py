"""From the database to search documents: what gets indexed for a page.

Owns reading pages in batches (page row, latest revision text and timestamp, categories,
redirects pointing to each page) and turning each into a ``SearchDocument``: the text readers
see (the page rendered by ``wikiengine.rendering`` and stripped of markup; the wikitext stripped
by ``plaintext`` when rendering is switched off with ``SEARCH_RENDER = False`` or fails for one
page), title, namespace, categories, section headings, redirects, last-modified date.
Redirect pages are not documents of their own: their titles are part of their target's.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CategoryLink, Content, Page, Redirect, Revision, TemplateLink
from ..namespaces import Namespaces
from ..title import Title
from . import plaintext
from .document import SearchDocument, html_to_text

log = logging.getLogger(__name__)

BATCH = 200
#: Pages reindexed at most when a page they transclude (a template) changes.
MAX_DEPENDANTS = 5000


def site_namespaces(app: Flask) -> Namespaces:
    """The namespace table of ``app``'s content language."""
    cached = app.extensions.get("search_namespaces")
    if cached is None:
        cached = Namespaces(language=app.config.get("LANGUAGE", "fr"),
                            meta=app.config.get("META_NAMESPACE", "Project"))
        app.extensions["search_namespaces"] = cached
    return cached


@dataclass
class Batch:
    """Documents to write, page ids to remove, and pages whose document must be redone."""

    documents: list[SearchDocument] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    also: set[int] = field(default_factory=set)


def _chunks(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def page_ids_for_names(session: Session, names: Iterable[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """``{(namespace, dbkey): page_id}`` for the names that exist."""
    found: dict[tuple[int, str], int] = {}
    wanted = list(set(names))
    for start in range(0, len(wanted), BATCH):
        part = wanted[start:start + BATCH]
        titles = {t for _, t in part}
        rows = session.execute(select(Page.page_id, Page.namespace, Page.title)
                               .where(Page.title.in_(titles)))
        keys = set(part)
        for page_id, ns, dbkey in rows:
            if (ns, dbkey) in keys:
                found[(ns, dbkey)] = page_id
    return found


def build(app: Flask, session: Session, page_ids: Iterable[int]) -> Batch:
    """Documents for ``page_ids``; missing pages and redirect pages go to ``removed``.

    A redirect page adds its target to ``also`` (the target lists its redirects); a page
    transcluded by others (a template) adds them (their text shows it).
    """
    batch = Batch()
    ids = sorted(set(page_ids))
    for part in _chunks(ids):
        _build_part(app, session, part, batch)
    return batch


def _build_part(app: Flask, session: Session, ids: list[int], batch: Batch) -> None:
    ns = site_namespaces(app)
    rows = session.execute(
        select(Page, Revision, Content.text, Content.model)
        .join(Revision, Revision.rev_id == Page.latest, isouter=True)
        .join(Content, Content.content_id == Revision.content_id, isouter=True)
        .where(Page.page_id.in_(ids))
    ).all()
    present = {row[0].page_id for row in rows}
    batch.removed.extend(i for i in ids if i not in present)
    pages = [row for row in rows if not row[0].is_redirect]
    for row in rows:
        if row[0].is_redirect:
            batch.removed.append(row[0].page_id)
    redirect_rows = session.execute(
        select(Redirect.rd_from, Page.page_id).join(
            Page, (Page.namespace == Redirect.namespace) & (Page.title == Redirect.title))
        .where(Redirect.rd_from.in_([r[0].page_id for r in rows if r[0].is_redirect]))
    ).all()
    batch.also.update(target for _, target in redirect_rows)
    if not pages:
        return
    batch.also.update(_transcluders(session, {(r[0].namespace, r[0].title) for r in pages}))
    page_ids = [row[0].page_id for row in pages]
    categories: dict[int, list[str]] = {}
    for from_id, to in session.execute(select(CategoryLink.from_id, CategoryLink.to)
                                       .where(CategoryLink.from_id.in_(page_ids))):
        categories.setdefault(from_id, []).append(to.replace("_", " "))
    redirects: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    names = {(row[0].namespace, row[0].title) for row in pages}
    source = Page.__table__.alias("source")
    for rd_ns, rd_title, from_id, from_ns, from_title in session.execute(
            select(Redirect.namespace, Redirect.title, source.c.page_id,
                   source.c.page_namespace, source.c.page_title)
            .join(source, source.c.page_id == Redirect.rd_from)
            .where(Redirect.title.in_({t for _, t in names}))):
        if (rd_ns, rd_title) in names:
            redirects.setdefault((rd_ns, rd_title), []).append((from_id, from_ns, from_title))
    for page, revision, text, model in pages:
        title = Title.make(page.namespace, page.title, ns)
        doc = SearchDocument(page_id=page.page_id, namespace=page.namespace, title=title.text,
                             prefixed=title.prefixed_text,
                             timestamp=revision.timestamp if revision is not None else None,
                             size=page.len or len((text or "").encode()))
        _fill_text(app, session, doc, title, text or "", model or "wikitext", page, revision)
        if categories.get(page.page_id):
            doc.categories = categories[page.page_id]
        for from_id, from_ns, from_title in redirects.get((page.namespace, page.title), []):
            doc.redirects.append(Title.make(from_ns, from_title, ns).prefixed_text)
            doc.redirect_ids.append(from_id)
        batch.documents.append(doc)


def _transcluders(session: Session, names: set[tuple[int, str]]) -> set[int]:
    """Pages that transclude one of ``names``: their rendered text changes with it
    (at most ``MAX_DEPENDANTS``; beyond that ``wikiengine rebuild-search`` catches up)."""
    found: set[int] = set()
    rows = session.execute(select(TemplateLink.from_id, TemplateLink.namespace, TemplateLink.title)
                           .where(TemplateLink.title.in_({t for _, t in names}))
                           .limit(MAX_DEPENDANTS * 2))
    for from_id, ns, title in rows:
        if (ns, title) in names:
            found.add(from_id)
            if len(found) >= MAX_DEPENDANTS:
                break
    return found


def _fill_text(app: Flask, session: Session, doc: SearchDocument, title: Title, text: str,
               model: str, page: Page, revision: Revision | None) -> None:
    """Content, headings and (from the text) categories of one page."""
    if model != "wikitext":
        doc.content = text
        return
    if app.config.get("SEARCH_RENDER", True):
        try:
            from ..rendering import render_revision

            output = render_revision(session, title, text, page=page, revision=revision)
            doc.content = html_to_text(output.html)
            doc.headings = [html_to_text(s.get("line", "")) for s in output.sections]
            doc.categories = [c.replace("_", " ") for c in output.categories]
            return
        except ImportError:
            pass
        except Exception:  # a parser bug must not keep the page out of search
            log.exception("search: rendering %s failed; indexing its wikitext",
                          title.prefixed_text)
    doc.content = plaintext.wikitext_to_text(text)
    doc.headings = plaintext.headings(text)
    doc.categories = plaintext.categories(text)


def all_page_ids(session: Session, chunk: int = 5000) -> Iterator[list[int]]:
    """Every page id, in order, ``chunk`` at a time (keyset paging, no OFFSET)."""
    last = 0
    while True:
        ids = list(session.scalars(select(Page.page_id).where(Page.page_id > last)
                                   .order_by(Page.page_id).limit(chunk)))
        if not ids:
            return
        yield ids
        last = ids[-1]
