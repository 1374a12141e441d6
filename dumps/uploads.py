"""Importing a dump's ``<upload>``s: file versions stored through the files service.

Owns ``import_upload`` (MediaWiki's ``ImportableUploadRevisionImporter``): an upload whose
bytes are embedded (``<contents encoding="base64">``, as ``dumpBackup --include-files``
writes) is checked like any upload (safe file name, size limit, ``files.verify`` content
checks) and its SHA-1 against ``<sha1base36>``, then stored by ``files.service``
(``store_version`` for a version newer than the current one, ``store_old_version`` for an
older one) with its own timestamp and contributor. An upload with only a ``<src>`` address
is never fetched from the network: it is reported, and nothing is stored. A version already
present (same name, timestamp and SHA-1) is skipped, so a second import adds nothing; with
``UPLOADS_ENABLED`` off no file is imported (MediaWiki's ``$wgEnableUploads``).
Any refusal raises ``UploadRefused`` before anything is written.
"""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wikiengine.namespaces import FILE
from wikiengine.title import Title

from .records import UploadRecord

if TYPE_CHECKING:
    from wikiengine.models import Actor, User


class UploadRefused(ValueError):
    """An ``<upload>`` that is not stored, and why (nothing was written)."""


NOT_EMBEDDED = ("the file is not embedded in the dump, only its address {src}: files are "
                "never fetched from the network; export the source wiki with "
                "--include-files (MediaWiki's dumpBackup --uploads --include-files) or "
                "upload the file by hand")


def import_upload(session: Session, page: Title, record: UploadRecord,
                  actor: "Actor | None", store: bool = True, user: "User | None" = None) -> bool:
    """Store ``record`` as a version of ``page``'s file; False when already present.
    With ``store=False`` (a dry run) every check is made and nothing is written. ``user``:
    the account importing through the web (Special:Import, ``action=import``), who needs the
    ``upload`` right (``reupload`` over an existing file), as for an upload; None for the
    command line.

    :raises UploadRefused: not embedded, bad contents, wrong SHA-1 or size, refused by the
        upload checks (nothing is written).
    """
    from wikiengine.files import service
    from wikiengine.files.verify import UploadError, verify
    from wikiengine.models import Image, OldImage, Page, utcnow

    if not current_app.config.get("UPLOADS_ENABLED", True):
        raise UploadRefused("uploads are disabled on this wiki (UPLOADS_ENABLED, MediaWiki's "
                            "$wgEnableUploads): file versions are not imported")
    if record.contents is None:
        raise UploadRefused(record.contents_error or NOT_EMBEDDED.format(
            src=record.src[:200] or "(none)"))
    if page.namespace != FILE:
        raise UploadRefused(f"an <upload> belongs to a File page, not to {page.prefixed_text!r}")
    try:
        title = service.file_title(record.filename or page.dbkey)
    except UploadError as exc:
        raise UploadRefused(f"file name refused: {exc.message}") from None
    if title.dbkey != page.dbkey:
        raise UploadRefused(f"the <filename> {record.filename[:100]!r} does not match the page "
                            f"{page.prefixed_text!r}")
    data = record.contents
    if record.size and record.size != len(data):
        raise UploadRefused(f"the dump gives a <size> of {record.size} bytes but the embedded "
                            f"file has {len(data)} bytes")
    sha1 = service.sha1_base36(data)
    if record.sha1base36 and record.sha1base36 != sha1:
        raise UploadRefused(f"SHA-1 mismatch: the dump says {record.sha1base36[:40]!r}, the "
                            f"embedded file hashes to {sha1!r} (corrupt or altered contents)")
    try:
        facts = verify(data, title.dbkey, service.limits())
    except UploadError as exc:
        raise UploadRefused(f"refused by the upload checks ({exc.code}): {exc.message}") \
            from None
    when = _dt.datetime.fromisoformat(record.timestamp[:-1])  # checked by the reader
    if store:
        # first statement of the transaction, a write: SQLite takes its write lock here and
        # waits for it, instead of failing later on a snapshot older than another commit
        session.execute(update(Page).where(Page.namespace == FILE, Page.title == title.dbkey)
                        .values(touched=utcnow()).execution_options(synchronize_session=False))
    current = session.get(Image, title.dbkey)
    if user is not None:
        from wikiengine.store import permissions
        from wikiengine.store.errors import PermissionDenied

        try:
            permissions.user_can(session, user, "upload", title)
            if current is not None:
                permissions.user_can(session, user, "reupload", title)
        except PermissionDenied as exc:
            raise UploadRefused(f"{user.name} may not upload this file here ({exc.code}): "
                                f"file versions need the upload right") from None
    if current is not None and current.timestamp == when and current.sha1 == sha1:
        return False
    if session.scalar(select(OldImage.oi_id).where(
            OldImage.name == title.dbkey, OldImage.timestamp == when,
            OldImage.sha1 == sha1).limit(1)) is not None:
        return False
    if not store:
        return True
    assert actor is not None
    try:
        with session.begin_nested():
            if current is None or when > current.timestamp:
                service.store_version(
                    session, None, title, data, facts, sha1, record.comment,
                    "overwrite" if current is not None else "upload", timestamp=when,
                    actor=actor, rc=False)
            else:
                service.store_old_version(session, actor, title, data, facts, sha1,
                                          record.comment, when)
    except UploadError as exc:
        raise UploadRefused(f"not stored: {exc.message}") from None
    return True
