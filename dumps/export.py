"""Exporting the wiki, or a selection of it, as a MediaWiki XML dump (schema 0.11).

Owns what librarians choose (``Selection``: namespaces, categories, titles, a date, current
revision or full history, templates used by the chosen pages, file descriptions, with the
files' bytes embedded or not, the log) and the
batched queries that feed ``writer.DumpWriter``: page ids walked in chunks (keyset on
``page_id``), each chunk's revisions streamed with their text and author, so memory stays
flat whatever the size of the wiki. Hidden parts of revisions (``rev_deleted``) are written
as deleted, as MediaWiki does. With ``logs``, every ``logging`` row follows the pages as a
``<logitem>`` (in ``log_id`` chunks). Also ``site_info``: this wiki's ``<siteinfo>``.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import json
from operator import itemgetter
from functools import lru_cache
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator

from flask import Flask
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

import wikiengine
from wikiengine.files.storage import archive_key, get_storage, public_key
from wikiengine.models import Actor, CategoryLink, Content, Image, LogEntry, OldImage, Page, \
    Redirect, Revision, TemplateLink
from wikiengine.namespaces import CATEGORY, FILE, Namespaces
from wikiengine.title import InvalidTitle, Title

from .batch import DELETED_COMMENT, DELETED_TEXT, DELETED_USER
from .records import (WIKITEXT_MODEL, Contributor, LogItemRecord, Namespace, PageRecord,
                      RevisionRecord, SiteInfo, UploadRecord)
from .writer import DumpWriter

CHUNK = 200
_PAGE_COLUMNS = (Page.page_id, Page.namespace, Page.title, Page.is_redirect)
FORMATS = {"wikitext": "text/x-wiki", "css": "text/css", "javascript": "text/javascript",
           "json": "application/json", "text": "text/plain"}


@dataclass
class Selection:
    """Which pages and revisions to export. Empty ``namespaces``, ``categories`` and
    ``titles`` mean every page. ``since``: only revisions from then on (pages without any
    are left out). ``templates``: add the templates the chosen pages use. ``uploads``:
    describe the versions of the files of File pages (``<upload>``); ``include_files``:
    with their bytes embedded (MediaWiki's ``--include-files``); ``logs``: add the log."""

    full: bool = False
    namespaces: list[int] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    since: _dt.datetime | None = None
    templates: bool = False
    uploads: bool = False
    include_files: bool = False
    logs: bool = False


@dataclass
class ExportStats:
    pages: int = 0
    revisions: int = 0
    bytes: int = 0
    total_revisions: int = 0
    log_items: int = 0
    unknown_titles: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)


def site_info(app: Flask, namespaces: Namespaces) -> SiteInfo:
    """This wiki's ``<siteinfo>``: name, database name, main page URL, namespaces."""
    conf = app.config
    main = Title.new(conf.get("MAIN_PAGE", "Accueil"), namespaces).prefixed_dbkey
    base = conf.get("SERVER", "") + conf.get("ARTICLE_PATH", "/wiki/$1").replace("$1", main)
    case = "first-letter" if namespaces.capital_links else "case-sensitive"
    url = str(conf.get("DATABASE_URL", ""))
    dbname = conf.get("DBNAME") or url.rsplit("/", 1)[-1].split("?")[0].rsplit(".", 1)[0] \
        or "wiki"
    return SiteInfo(
        sitename=conf.get("SITENAME", "Wiki"), dbname=dbname, base=base,
        generator=f"wikiengine {wikiengine.__version__}", case=case,
        namespaces=[Namespace(n, namespaces.name(n), case) for n in namespaces.numbers()])


def contributor(name: str, user_id: int | None, hidden: bool) -> Contributor:
    """How an actor appears in a dump: a hidden one, an IP address, or a user name with
    its local id (0 for imported actors without an account)."""
    if hidden:
        return Contributor(deleted=True)
    if user_id is None and _is_ip(name):
        return Contributor(ip=name)
    return Contributor(username=name, user_id=user_id or 0)


@lru_cache(maxsize=20_000)
def _is_ip(name: str) -> bool:
    from wikiengine.store.users import is_ip

    return is_ip(name)


def export_dump(app: Flask, session: Session, out: IO[bytes], selection: Selection,
                progress: Callable[[ExportStats], None] | None = None) -> ExportStats:
    """Write the selected pages to ``out`` (a binary stream) and return what was written."""
    from wikiengine.rendering import site_namespaces

    namespaces = site_namespaces()
    stats = ExportStats()
    exporter = _Exporter(app, session, selection, namespaces, stats)
    stats.total_revisions = exporter.count_revisions()
    with DumpWriter(out, site_info(app, namespaces), lang=app.config.get("LANGUAGE", "fr"),
                    trust_sha1=True) as writer:
        for chunk in exporter.page_chunks():
            exporter.write_chunk(writer, chunk)
            stats.bytes = writer.text_bytes
            if progress is not None:
                progress(stats)
        if selection.logs:
            exporter.write_logs(writer)
    return stats


class _Exporter:
    def __init__(self, app: Flask, session: Session, selection: Selection,
                 namespaces: Namespaces, stats: ExportStats):
        self.app = app
        self.session = session
        self.selection = selection
        self.namespaces = namespaces
        self.stats = stats
        self.title_keys = self._title_keys()
        self.done: set[int] = set()  # only filled when templates are added

    # -- choosing pages ---------------------------------------------------------------
    def _title_keys(self) -> list[tuple[int, str]]:
        keys = []
        for text in self.selection.titles:
            try:
                title = Title.new(text.strip(), self.namespaces)
            except InvalidTitle:
                self.stats.unknown_titles.append(text)
                continue
            keys.append((title.namespace, title.dbkey))
        return keys

    def _page_filter(self, query):  # type: ignore[no-untyped-def]
        sel = self.selection
        if sel.namespaces:
            query = query.where(Page.namespace.in_(sel.namespaces))
        if sel.categories:
            names = []
            for name in sel.categories:  # "Brest", "Catégorie:Brest" or "Category:Brest"
                try:
                    names.append(Title.new(name, self.namespaces, default_namespace=CATEGORY)
                                 .dbkey)
                except InvalidTitle:
                    if name not in self.stats.unknown_titles:
                        self.stats.unknown_titles.append(name)
            query = query.where(Page.page_id.in_(
                select(CategoryLink.from_id).where(CategoryLink.to.in_(names))))
        if self.title_keys:
            query = query.where(tuple_(Page.namespace, Page.title).in_(self.title_keys))
        if sel.since is not None:
            query = query.where(Page.page_id.in_(select(Revision.page_id).where(
                Revision.timestamp >= sel.since) if sel.full else select(Page.page_id).join(
                Revision, Revision.rev_id == Page.latest).where(Revision.timestamp >= sel.since)))
        return query

    def count_revisions(self) -> int:
        query = select(func.count()).select_from(Revision).join(Page, Page.page_id ==
                                                                Revision.page_id)
        if not self.selection.full:
            query = query.where(Revision.rev_id == Page.latest)
        elif self.selection.since is not None:
            query = query.where(Revision.timestamp >= self.selection.since)
        return self.session.scalar(self._page_filter(query)) or 0

    def page_chunks(self) -> Iterator[list[Any]]:
        """Rows (page_id, namespace, title, is_redirect) of the chosen pages, in chunks."""
        last = 0
        while True:
            query = self._page_filter(select(*_PAGE_COLUMNS).where(Page.page_id > last)) \
                .order_by(Page.page_id).limit(CHUNK)
            pages = list(self.session.execute(query))
            if not pages:
                break
            last = pages[-1].page_id
            yield pages
        if self.selection.templates:
            yield from self._template_chunks()

    def _template_chunks(self) -> Iterator[list[Any]]:
        """Pages used as templates by the exported pages, not exported yet."""
        used = select(TemplateLink.namespace, TemplateLink.title).where(
            TemplateLink.from_id.in_(self._page_filter(select(Page.page_id))))
        last = 0
        while True:
            pages = [p for p in self.session.execute(
                select(*_PAGE_COLUMNS).where(Page.page_id > last,
                                   tuple_(Page.namespace, Page.title).in_(used))
                .order_by(Page.page_id).limit(CHUNK))]
            if not pages:
                return
            last = pages[-1].page_id
            yield [p for p in pages if p.page_id not in self.done]

    # -- writing ----------------------------------------------------------------------
    def write_chunk(self, writer: DumpWriter, pages: list[Any]) -> None:
        if not pages:
            return
        ids = [p.page_id for p in pages]
        if self.selection.templates:
            self.done.update(ids)
        redirects = {row.rd_from: Title.make(row.namespace, row.title, self.namespaces)
                     for row in self.session.scalars(
                         select(Redirect).where(Redirect.rd_from.in_(ids)))}
        by_id = {p.page_id: p for p in pages}
        rows = self.session.execute(self._revision_query(ids).execution_options(
            yield_per=CHUNK))
        for page_id, group in itertools.groupby(rows, key=itemgetter(0)):
            page = by_id[page_id]
            title = Title.make(page.namespace, page.title, self.namespaces)
            target = redirects.get(page_id)
            record = PageRecord(
                title=title.prefixed_text, ns=page.namespace, id=page.page_id,
                redirect=(target.prefixed_text if target is not None else
                          ("" if page.is_redirect else None)))
            uploads = self._uploads(page) if page.namespace == FILE and (
                self.selection.uploads or self.selection.include_files) else ()
            writer.write_page(record, self._revisions(writer, group), uploads)
            self.stats.pages += 1

    def _revision_query(self, ids: list[int]):  # type: ignore[no-untyped-def]
        query = (select(Revision.page_id, Revision.rev_id, Revision.parent_id,
                        Revision.timestamp, Revision.comment, Revision.minor_edit,
                        Revision.deleted, Revision.sha1, Content.text, Content.model,
                        Actor.name.label("actor_name"), Actor.user_id)
                 .join(Content, Content.content_id == Revision.content_id)
                 .join(Actor, Actor.actor_id == Revision.actor_id)
                 .where(Revision.page_id.in_(ids)))
        if not self.selection.full:
            query = query.join(Page, Page.page_id == Revision.page_id).where(
                Revision.rev_id == Page.latest)
        elif self.selection.since is not None:
            query = query.where(Revision.timestamp >= self.selection.since)
        return query.order_by(Revision.page_id, Revision.timestamp, Revision.rev_id)

    def _revisions(self, writer: DumpWriter, rows: Iterable[Any]
                   ) -> Iterator[RevisionRecord | bytes]:
        """The group's revisions: visible ones serialised at once (``revision_bytes``),
        the others (hidden parts, text XML cannot hold) as records."""
        stats = self.stats
        fast = writer.revision_bytes
        for (_, rev_id, parent_id, stamp, comment, minor, deleted, sha1, text, model, name,
             user_id) in rows:
            stats.revisions += 1
            model = model or WIKITEXT_MODEL
            timestamp = stamp.isoformat(timespec="seconds") + "Z"
            if not deleted and text is not None and sha1:
                raw = fast(rev_id, parent_id, timestamp, name, user_id,
                           user_id is None and _is_ip(name), bool(minor), comment or None,
                           rev_id, model, FORMATS.get(model, "text/x-wiki"), text, sha1)
                if raw is not None:
                    yield raw
                    continue
            deleted = deleted or 0
            who = contributor(name, user_id, bool(deleted & DELETED_USER))
            hidden_text = bool(deleted & DELETED_TEXT)
            yield RevisionRecord(
                id=rev_id, parent_id=parent_id, timestamp=timestamp, contributor=who,
                text=None if hidden_text else text, text_deleted=hidden_text,
                text_sha1=sha1, minor=bool(minor),
                comment=None if deleted & DELETED_COMMENT else (comment or None),
                comment_deleted=bool(deleted & DELETED_COMMENT), model=model,
                format=FORMATS.get(model, "text/x-wiki"), origin=rev_id)

    def _uploads(self, page: Any) -> Iterator[UploadRecord]:
        """The versions of the file a File page describes (current, then older ones), each
        read from storage only when the writer reaches it (``include_files``)."""
        from wikiengine.rendering import file_url_parts

        image = self.session.get(Image, page.title)
        if image is None:
            return
        base = self.app.config.get("SERVER", "") + self.app.config.get("UPLOAD_URL", "/images")
        versions = [(image.timestamp, image.actor_id, image.description, image.size,
                     file_url_parts(image.name), image.sha1, public_key(image.name))]
        for old in self.session.scalars(select(OldImage).where(OldImage.name == image.name)
                                        .order_by(OldImage.timestamp.desc())):
            versions.append((old.timestamp, old.actor_id, old.description, old.size,
                             "archive/" + file_url_parts(image.name).rsplit("/", 1)[0]
                             + "/" + old.archive_name, old.sha1,
                             archive_key(old.archive_name, image.name)))
        storage = get_storage() if self.selection.include_files else None
        for stamp, actor_id, description, size, path, sha1, key in versions:
            actor = self.session.get(Actor, actor_id)
            record = UploadRecord(
                timestamp=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                contributor=contributor(actor.name, actor.user_id, False)
                if actor is not None else Contributor(deleted=True),
                filename=image.name, src=f"{base}/{path}", size=max(int(size or 0), 1),
                comment=description or "")
            if storage is not None:
                if storage.exists(key):
                    record.contents = storage.read(key)  # one file version at a time
                    record.sha1base36, record.rel = sha1, path
                else:
                    self.stats.missing_files.append(f"{image.name} ({record.timestamp})")
            yield record

    def write_logs(self, writer: DumpWriter) -> None:
        """Every log entry, oldest id first, in chunks (MediaWiki's ``dumpBackup --logs``)."""
        from .logitems import DELETED_ACTION, encode_params

        last = 0
        while True:
            entries = list(self.session.execute(
                select(LogEntry, Actor.name, Actor.user_id)
                .join(Actor, Actor.actor_id == LogEntry.actor_id)
                .where(LogEntry.log_id > last).order_by(LogEntry.log_id).limit(CHUNK)))
            if not entries:
                return
            for entry, name, user_id in entries:
                try:
                    params = json.loads(entry.params or "{}")
                except ValueError:
                    params = {}
                deleted = entry.deleted or 0
                writer.write_logitem(LogItemRecord(
                    id=entry.log_id, timestamp=entry.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    contributor=contributor(name, user_id, bool(deleted & DELETED_USER)),
                    type=entry.type, action=entry.action,
                    title=Title.make(entry.namespace, entry.title,
                                     self.namespaces).prefixed_text,
                    params=encode_params(params if isinstance(params, dict) else {},
                                         entry.type),
                    comment=entry.comment or None,
                    comment_deleted=bool(deleted & DELETED_COMMENT),
                    action_deleted=bool(deleted & DELETED_ACTION)))
                self.stats.log_items += 1
            last = entries[-1][0].log_id
