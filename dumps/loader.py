"""Importing a dump into the store: streaming, batched, idempotent and resumable.

Owns ``import_dump``: a first pass reads the whole file (nothing is written if it is not a
well-formed dump, and the totals feed the progress display); the second pass groups pages
and revisions into batches of a few hundred revisions, each committed in one transaction
that keeps the store's invariants: ``page_latest`` is the newest revision by timestamp,
``rev_parent_id`` the revision before it on that page, sha1 and sizes computed from the
text, one ``import`` log entry per page, and no recent-changes rows (MediaWiki's importer
does not flood Special:RecentChanges either). Revisions already present (same page,
timestamp and sha1) are skipped, so a second run adds nothing and a killed run, started
again, completes without duplicates or gaps. Revision ids are new (as in MediaWiki).
Bad revisions and pages are skipped with a ``Problem`` naming page, revision, line and
reason. As MediaWiki's ``WikiImporter``, pages can be put into one chosen namespace
(``target_namespace``) or under a root page (``root_page``), contributors that have a local
account can be credited to it (``assign_known_users``), the decompressed XML can be bounded
(``max_xml_bytes``) and each finished page is reported to ``on_page`` (``action=import``'s
answer). Afterwards the link tables of the imported pages are rebuilt and the pages are
indexed for search, in bounded batches (``refresh``). ``<upload>``s and ``<logitem>``s
are handled by ``extras`` (file versions through the files service, log entries).
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from flask import Flask
from sqlalchemy.orm import Session

from wikiengine.namespaces import Namespaces
from wikiengine.title import InvalidTitle, Title

from .actors import ActorResolver
from .batch import Batch, PageState, RevisionRow, write_batch
from .reader import DumpReader
from .refresh import derived_session, refresh_links, refresh_search
from .extras import Extras
from .records import (MAIN_ROLE, WIKITEXT_MODEL, DumpError, LogItemRecord, PageRecord,
                      RevisionRecord, SiteInfo, UploadRecord)

#: Content models this wiki knows (MediaWiki core's), with their serialisation format.
MODELS = {"wikitext": "text/x-wiki", "css": "text/css", "javascript": "text/javascript",
          "json": "application/json", "text": "text/plain"}
MAX_PROBLEMS_KEPT = 1000


@dataclass
class ImportOptions:
    """What ``import_dump`` does. ``namespaces``: only pages of these (dump) namespaces;
    ``prefix``: the interwiki-style prefix of imported user names; ``user_map``: dump name →
    local account; ``dry_run``: check and count, write nothing; ``importer``: the local user
    name the log entries are written under (default: the system user);
    ``target_namespace``: every page goes into this namespace, its title without the dump's
    namespace prefix (MediaWiki's ``setTargetNamespace``); ``root_page``: every page becomes
    ``Root/<dump title>`` (``setTargetRootPage``; the caller checks the root allows
    subpages); ``assign_known_users``: a contributor whose name is a local account is credited
    to it instead of ``prefix>Name``; ``max_xml_bytes``: refuse a dump whose XML (after
    decompression) is larger; ``on_page(title, revisions)``: called for each page imported or
    already present, with the number of revisions this run added to it."""

    namespaces: frozenset[int] | None = None
    prefix: str = "imported"
    user_map: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    batch_revisions: int = 500
    batch_bytes: int = 8 << 20
    refresh_links: bool = True
    update_search: bool = True
    comment: str = ""
    importer: str | None = None
    target_namespace: int | None = None
    root_page: Title | None = None
    assign_known_users: bool = False
    max_xml_bytes: int | None = None
    on_page: Callable[[Title, int], None] | None = None


@dataclass
class Problem:
    """A page or revision that was not imported, and why."""

    page: str
    revision: int | None
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f" (revision {self.revision})" if self.revision is not None else ""
        at = f", line {self.line}" if self.line else ""
        return f"{self.page}{where}{at}: {self.reason}"


@dataclass
class ImportReport:
    """Counts of one import run and the problems met (the first ``MAX_PROBLEMS_KEPT``)."""

    source: str = ""
    pages: int = 0
    revisions: int = 0
    total_pages: int = 0
    total_revisions: int = 0
    pages_created: int = 0
    pages_updated: int = 0
    imported: int = 0
    already_present: int = 0
    filtered: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    links_refreshed: int = 0
    search_indexed: int = 0
    dry_run: bool = False
    bytes_read: int = 0
    bytes_total: int | None = None
    total_uploads: int = 0
    total_log_items: int = 0
    uploads: int = 0
    uploads_imported: int = 0
    uploads_present: int = 0
    uploads_refused: int = 0
    log_items: int = 0
    logs_imported: int = 0
    logs_present: int = 0
    logs_refused: int = 0

    def problem(self, page: str, revision: int | None, line: int | None, reason: str,
                revisions: int = 1) -> None:
        self.problem_count += 1
        self.skipped += revisions
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Problem(page, revision, line, reason))

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        text = (f"{verb} {self.imported} revisions ({self.pages_created} new pages, "
                f"{self.pages_updated} updated) of {self.revisions} read in {self.pages} pages; "
                f"{self.already_present} already present, {self.skipped} skipped")
        if self.filtered:
            text += f", {self.filtered} pages outside the chosen namespaces"
        if self.uploads:
            text += (f"; files: {verb} {self.uploads_imported} of {self.uploads} versions, "
                     f"{self.uploads_present} already present, {self.uploads_refused} "
                     f"not imported")
        if self.log_items:
            text += (f"; log: {verb} {self.logs_imported} of {self.log_items} entries, "
                     f"{self.logs_present} already present, {self.logs_refused} not imported")
        return text


Progress = Callable[[ImportReport, str], None]


def check_dump(source: str | os.PathLike[str] | BinaryIO, report: ImportReport | None = None,
               progress: Progress | None = None, tee: BinaryIO | None = None,
               name: str | None = None) -> ImportReport:
    """Read the whole dump without writing: raises ``DumpError`` if it is not a readable
    dump; fills ``total_pages``/``total_revisions``. ``tee`` receives the decompressed XML;
    ``name`` is the file's name in messages (default: the path's)."""
    report = report or ImportReport()
    with DumpReader(source, name, tee=tee) as reader:
        report.source = reader.name
        report.bytes_total = reader.size
        for record in reader:
            if isinstance(record, RevisionRecord):
                report.total_revisions += 1
                if progress and report.total_revisions % 2000 == 0:
                    report.bytes_read = reader.consumed
                    progress(report, "checking")
            elif isinstance(record, PageRecord):
                report.total_pages += 1
            elif isinstance(record, UploadRecord):
                report.total_uploads += 1
                record.contents = None
            elif isinstance(record, LogItemRecord):
                report.total_log_items += 1
        report.bytes_read = reader.consumed
    return report


def import_dump(app: Flask, source: str | os.PathLike[str] | BinaryIO,
                options: ImportOptions | None = None,
                progress: Progress | None = None, name: str | None = None) -> ImportReport:
    """Import ``source`` (a path or a binary file) into ``app``'s wiki.

    Must run inside ``app.app_context()``. Raises ``DumpError`` before writing anything when
    the file is not a readable dump; problems with single pages or revisions are reported in
    the returned ``ImportReport``. ``name``: the file's name in messages and log entries.
    """
    options = options or ImportOptions()
    report = ImportReport(dry_run=options.dry_run)
    with tempfile.TemporaryFile(prefix="wikiengine-import-") as plain:
        # the check decompresses once and keeps the XML, so the import reads it plainly
        tee: BinaryIO = plain
        if options.max_xml_bytes is not None:
            label = name or (Path(source).name if isinstance(source, (str, os.PathLike))
                             else "dump")
            tee = _BoundedCopy(plain, options.max_xml_bytes, label)  # type: ignore[assignment]
        check_dump(source, report, progress, tee=tee, name=name)
        plain.flush()
        plain.seek(0)
        report.bytes_total, report.bytes_read = plain.seek(0, os.SEEK_END), 0
        plain.seek(0)
        loader = _Loader(app, options, report, progress)
        loader.run(plain, report.source)
    return report


class _BoundedCopy:
    """The check's copy of the XML, refusing to grow past ``limit`` bytes (a compressed
    upload that expands without end is refused before anything is written)."""

    def __init__(self, target: BinaryIO, limit: int, name: str):
        self.target, self.limit, self.name, self.written = target, limit, name, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > self.limit:
            raise DumpError(f"the XML is larger than this wiki's limit of {self.limit} bytes "
                            f"once decompressed", source=self.name)
        return self.target.write(data)


class _Loader:
    def __init__(self, app: Flask, options: ImportOptions, report: ImportReport,
                 progress: Progress | None):
        from wikiengine.rendering import site_namespaces

        self.app = app
        self.options = options
        self.report = report
        self.progress = progress
        self.namespaces: Namespaces = site_namespaces()
        self.actors = ActorResolver(options.prefix, options.user_map,
                                    assign_known=options.assign_known_users)
        self.max_size = int(app.config.get("MAX_ARTICLE_SIZE", 2 * 1024 * 1024))
        self.started = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
        self.siteinfo = SiteInfo()
        self.extras = Extras(self)

    def run(self, source: BinaryIO, name: str) -> None:
        session = derived_session(self.app)
        try:
            self._prepare(session)
            with DumpReader(source, name, max_upload_bytes=self.extras.max_upload) as reader:
                self._stream(session, reader)
            if self.options.dry_run:
                session.rollback()
                return
            if self.options.refresh_links:
                self.report.links_refreshed = refresh_links(session, self.started, self.progress,
                                                            self.report)
            if self.options.update_search:
                self.report.search_indexed = refresh_search(self.app, session, self.started,
                                                            self.progress, self.report)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _prepare(self, session: Session) -> None:
        from wikiengine.store import users

        missing = self.actors.check_user_map(session)
        if missing:
            raise DumpError(f"the user map names accounts that do not exist here: "
                            f"{', '.join(missing[:10])}", source="user map")
        importer = None
        if self.options.importer:
            importer = users.get_user(session, self.options.importer)
        if importer is None:
            importer = users.system_user(session)
        self.importer_actor = users.get_actor(session, importer).actor_id
        if not self.options.dry_run:
            session.commit()

    # -- streaming --------------------------------------------------------------------
    def _stream(self, session: Session, reader: DumpReader) -> None:
        batch = Batch()
        state: PageState | None = None
        for record in reader:
            if isinstance(record, RevisionRecord):
                self.report.revisions += 1
                if state is not None and state.title is not None:
                    row = self._row(state, record)
                    if row is not None:
                        batch.add(state, row)
                elif state is not None and not state.filtered:
                    self.report.skipped += 1  # a page refused as a whole
                if batch.revisions >= self.options.batch_revisions or \
                        batch.bytes >= self.options.batch_bytes:
                    self._flush(session, batch, reader)
                    batch = Batch()
            elif isinstance(record, PageRecord):
                if state is not None:
                    batch.finish(state)
                self.report.pages += 1
                state = self._page(record)
            elif isinstance(record, UploadRecord):
                self._flush(session, batch, reader)  # the File page first
                batch = Batch()
                self.extras.upload(session, state, record)
                self._progress(reader)
            elif isinstance(record, LogItemRecord):
                if self.extras.log_item(record):
                    self.extras.flush_logs(session)
                    self._progress(reader)
            elif isinstance(record, SiteInfo):
                self.siteinfo = record
        if state is not None:
            batch.finish(state)
        self._flush(session, batch, reader)
        self.extras.flush_logs(session)
        for name, (count, line) in reader.skipped.items():
            self.report.problem(f"<{name}>", None, line, f"{count} <{name}> elements "
                                f"ignored: this element is not imported", revisions=0)

    def _progress(self, reader: DumpReader) -> None:
        self.report.bytes_read = reader.consumed
        if self.progress:
            self.progress(self.report, "importing")

    def _flush(self, session: Session, batch: Batch, reader: DumpReader) -> None:
        if batch.empty():
            return
        write_batch(session, batch, self.actors, self.importer_actor, self.report,
                    self.options.comment, self.started)
        if not self.options.dry_run:
            session.commit()
        if self.options.on_page is not None:
            for state in batch.finished:
                if state.title is not None:
                    self.options.on_page(state.title, state.imported)
        self.report.bytes_read = reader.consumed
        if self.progress:
            self.progress(self.report, "importing")

    # -- validation -------------------------------------------------------------------
    def _page(self, record: PageRecord) -> PageState:
        state = PageState(record.title, None, record.line)
        if self.options.namespaces is not None and record.ns not in self.options.namespaces:
            self.report.filtered += 1
            state.filtered = True
            return state
        retargeted = self.options.target_namespace is not None or \
            self.options.root_page is not None
        if record.ns < 0 or not (retargeted or self.namespaces.exists(record.ns)):
            foreign = next((n.name for n in self.siteinfo.namespaces if n.key == record.ns), "")
            self.report.problem(record.title, None, record.line,
                                f"namespace {record.ns} ({foreign or 'unnamed'}) does not "
                                f"exist on this wiki", revisions=0)
            return state
        try:
            state.title = self._title(record)
        except InvalidTitle as exc:
            self.report.problem(record.title, None, record.line,
                                f"invalid title on this wiki ({exc.code})", revisions=0)
        except ValueError as exc:
            self.report.problem(record.title, None, record.line, str(exc), revisions=0)
        return state

    def _title(self, record: PageRecord) -> Title:
        """The local title of a dump page: the dump's namespace number, the text after the
        dump's own namespace prefix, normalised with this wiki's rules."""
        text = record.title
        if record.ns != 0:
            names = {n.name.lower() for n in self.siteinfo.namespaces if n.key == record.ns}
            names |= {self.namespaces.name(record.ns).lower(),
                      self.namespaces.canonical(record.ns).lower()} - {""}
            prefix, sep, rest = text.partition(":")
            if sep and (prefix.replace("_", " ").strip().lower() in names
                        or self.namespaces.lookup(prefix) == record.ns):
                text = rest
        wanted = record.ns
        root, target = self.options.root_page, self.options.target_namespace
        if root is not None:  # MediaWiki's SubpageImportTitleFactory: Root/<full dump title>
            wanted = root.namespace
            title = Title.new(f"{root.prefixed_text}/{record.title}", self.namespaces)
        else:  # NamespaceImportTitleFactory, or the dump's own namespace
            if target is not None:
                wanted = target
            local = self.namespaces.name(wanted) or self.namespaces.canonical(wanted)
            title = Title.new(f"{local}:{text}" if wanted else text, self.namespaces)
        if title.namespace != wanted or title.interwiki or title.fragment:
            raise ValueError(f"the title would be {title.prefixed_text!r} in namespace "
                             f"{title.namespace} on this wiki, not in namespace {wanted}")
        return title

    def _row(self, state: PageState, rev: RevisionRecord) -> RevisionRow | None:
        problem = self._refusal(rev)
        if problem is None and rev.id is not None:
            first = state.seen_ids.get(rev.id)
            if first is not None:
                problem = f"duplicate revision id {rev.id} in this page (first at line {first})"
            else:
                state.seen_ids[rev.id] = rev.line or 0
        if problem is not None:
            self.report.problem(state.record_title, rev.id, rev.line, problem)
            return None
        assert rev.text is not None
        timestamp = _dt.datetime.fromisoformat(rev.timestamp[:-1])  # checked by the reader
        return RevisionRow(rev, timestamp, self.actors.name_of(rev.contributor),
                           rev.model or WIKITEXT_MODEL)

    def _refusal(self, rev: RevisionRecord) -> str | None:
        """Why a revision cannot be imported (MediaWiki's messages where it has one)."""
        if rev.text is None:
            if not rev.has_text_element:
                return "Missing text field in import."
            if rev.text_deleted:
                return "the text was deleted on the source wiki"
            return "the dump has no text for this revision (a stub dump)"
        for slot in rev.slots:
            if slot.role is None:
                return "Missing role for imported slot."
            if slot.text is None:
                return "Missing text field in import."
            if slot.role != MAIN_ROLE:
                return (f"Undefined slot role {slot.role!r}: this wiki stores only the main "
                        f"slot")
        model = rev.model or WIKITEXT_MODEL
        if model not in MODELS:
            return f"The content model {model!r} is not registered on this wiki."
        size = len(rev.text.encode("utf-8"))
        if size > self.max_size:
            return f"the text has {size} bytes, more than this wiki's limit of {self.max_size}"
        return None
