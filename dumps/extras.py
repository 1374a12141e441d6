"""The loader's handling of a dump's records other than pages: ``<upload>`` and ``<logitem>``.

Owns ``Extras``, which the loader (``loader._Loader``) calls for each ``UploadRecord`` (after
the revisions read so far are written, so the File page exists; one transaction per file
version, through ``uploads.import_upload``) and each ``LogItemRecord`` (checked here,
written in batches by ``logitems.write_log_rows``), and the counts it adds to the report.
A refused upload or log item is a ``Problem`` of the report; nothing of it is written.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from wikiengine.title import InvalidTitle, Title

from .batch import PageState
from .logitems import LogRow, decode_params, deleted_bits, known_types, write_log_rows
from .records import LogItemRecord, PageRecord, UploadRecord
from .uploads import UploadRefused, import_upload

if TYPE_CHECKING:
    from .loader import _Loader


class Extras:
    def __init__(self, loader: "_Loader"):
        self.loader = loader
        self.report = loader.report
        self.options = loader.options
        self.max_upload = int(loader.app.config.get("UPLOAD_MAX_SIZE", 100 * 1024 * 1024))
        self.log_rows: list[LogRow] = []
        self.log_ids: dict[int, int] = {}
        self.log_types = known_types()

    # -- uploads ----------------------------------------------------------------------
    def upload(self, session: Session, state: PageState | None, record: UploadRecord) -> None:
        from wikiengine.models import Actor

        report = self.report
        report.uploads += 1
        if state is None or state.filtered:
            return
        where = f"{state.record_title} <upload> {record.timestamp}"
        if state.title is None:
            report.uploads_refused += 1
            report.problem(where, None, record.line, "the page was not imported", revisions=0)
            return
        actors = self.loader.actors
        try:
            actor = None
            if not self.options.dry_run:
                name = actors.name_of(record.contributor)
                actor = session.get(Actor, actors.resolve(session, {name})[name])
            stored = import_upload(session, state.title, record, actor,
                                   store=not self.options.dry_run,
                                   user=self._importer(session))
            if not self.options.dry_run:
                session.commit()
        except UploadRefused as exc:
            if not self.options.dry_run:
                session.rollback()
                actors.forget()
            report.uploads_refused += 1
            report.problem(where, None, record.line, str(exc), revisions=0)
            return
        finally:
            record.contents = None  # the bytes are not kept
        if stored:
            report.uploads_imported += 1
        else:
            report.uploads_present += 1

    def _importer(self, session: Session):  # type: ignore[no-untyped-def]
        """The account importing through the web (its rights are checked), else None."""
        from wikiengine.store import users

        if not self.options.importer:
            return None
        return users.get_user(session, self.options.importer)

    # -- log items --------------------------------------------------------------------
    def log_item(self, record: LogItemRecord) -> bool:
        """Check ``record`` and queue it; True when the queue should be written."""
        self.report.log_items += 1
        reason = self._refusal(record)
        if reason is not None:
            self.report.logs_refused += 1
            where = f"<logitem> {record.id if record.id is not None else '?'}"
            self.report.problem(where, None, record.line, reason, revisions=0)
        return len(self.log_rows) >= self.options.batch_revisions

    def _refusal(self, record: LogItemRecord) -> str | None:
        if record.id is not None:
            first = self.log_ids.get(record.id)
            if first is not None:
                return f"duplicate log item id {record.id} (first at line {first})"
            self.log_ids[record.id] = record.line or 0
        if record.type not in self.log_types:
            return (f"unknown log type {record.type[:40]!r}: this wiki has no such log "
                    f"(known: {', '.join(sorted(self.log_types))})")
        if not record.action or len(record.action) > 32:
            return "missing or too long log <action>"
        if record.title is None:
            return ("no target title (hidden on the source wiki, or no <logtitle>): "
                    "MediaWiki skips such log items too")
        try:
            params = decode_params(record.params, record.type)
        except ValueError as exc:
            return str(exc)
        try:
            title = self._title(record.title)
        except (InvalidTitle, ValueError) as exc:
            return (f"invalid target title {record.title[:100]!r} on this wiki "
                    f"({getattr(exc, 'code', exc)})")
        self.log_rows.append(LogRow(
            record, _dt.datetime.fromisoformat(record.timestamp[:-1]), title.namespace,
            title.dbkey, self.loader.actors.name_of(record.contributor),
            json.dumps(params, ensure_ascii=False), deleted_bits(record)))
        return None

    def _title(self, text: str) -> Title:
        """A log target as a page title would be (the dump's namespace names, else this
        wiki's; then the import's target namespace or root page, as MediaWiki's
        ``processTitle`` does for log items too)."""
        siteinfo = self.loader.siteinfo
        if siteinfo.namespaces:
            ns = siteinfo.namespace_number(text)[0]
        else:
            ns = Title.new(text, self.loader.namespaces).namespace
        return self.loader._title(PageRecord(title=text, ns=ns))

    def flush_logs(self, session: Session) -> None:
        rows, self.log_rows = self.log_rows, []
        if not rows:
            return
        names = {row.actor_name for row in rows}
        written = write_log_rows(session, rows, self.loader.actors.resolve(session, names))
        self.report.logs_imported += written
        self.report.logs_present += len(rows) - written
        if not self.options.dry_run:
            session.commit()
