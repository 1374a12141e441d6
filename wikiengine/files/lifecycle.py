"""Deleting, restoring and renaming files: every version moves to ``filearchive`` (bytes
to the private ``deleted/`` folder) and back, and the store's ``page_deleted`` and
``page_moved`` events make deleting or moving a File: page do the same to its file, as in
MediaWiki. The caller owns the transaction.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import FileArchive, Image, OldImage, User, utcnow
from ..namespaces import FILE
from ..store import changes, permissions, users
from ..store import revisions as rv
from ..title import Title
from .service import _archive_name, _namespaces, _touch_users, file_history
from .storage import archive_key, get_storage, public_key, thumb_dir
from .verify import UploadError, extension_of


def _deleted_key(sha1: str, name: str) -> str:
    return f"deleted/{sha1[0]}/{sha1[1]}/{sha1}.{extension_of(name)}"


def _archive_versions(session: Session, image: Image, reason: str,
                      deleted_user: int | None) -> None:
    """Move every version of ``image`` to ``filearchive`` and its bytes to ``deleted/``."""
    storage = get_storage()
    versions: list[tuple[Any, str]] = [(image, public_key(image.name))]
    versions += [(o, archive_key(o.archive_name, o.name))
                 for o in file_history(session, image.name)]
    for row, key in versions:
        target = _deleted_key(row.sha1, row.name)
        if storage.exists(key):
            storage.move(key, target)
        session.add(FileArchive(
            name=row.name, archive_name=getattr(row, "archive_name", None),
            storage_group="deleted", storage_key=target, deleted_user=deleted_user,
            deleted_timestamp=utcnow(), deleted_reason=reason, size=row.size,
            width=row.width, height=row.height, metadata_json=row.metadata_json,
            bits=row.bits, media_type=row.media_type, major_mime=row.major_mime,
            minor_mime=row.minor_mime, description=row.description, actor_id=row.actor_id,
            timestamp=row.timestamp, deleted=0, sha1=row.sha1))
    storage.delete_tree(thumb_dir(image.name))
    session.execute(delete(OldImage).where(OldImage.name == image.name))
    session.delete(image)
    session.flush()


def delete_file(session: Session, user: User, title: Title, reason: str = "") -> None:
    """Move every version of the file to ``filearchive`` (and its page to the archive)."""
    permissions.user_can(session, user, "delete", title)
    image = session.get(Image, title.dbkey)
    if image is None:
        raise UploadError("filedelete-missing", "The file cannot be deleted because it does "
                          "not exist.")
    _archive_versions(session, image, reason, user.user_id)
    if rv.get_page(session, title) is not None:
        from ..store import pageops

        pageops.delete_page(session, title, user, reason)
    else:
        changes.log(session, "delete", "delete", users.get_actor(session, user), title, reason)
        _touch_users(session, title)


def on_page_deleted(title: Title | None = None, **_payload: Any) -> None:
    """``page_deleted`` hook: deleting a File: page (action=delete, web or API) deletes its
    file too, as in MediaWiki; the deletion itself was already checked and logged."""
    from ..db import session_scope

    if title is None or title.namespace != FILE:
        return
    with session_scope(current_app._get_current_object()) as session:  # type: ignore[attr-defined]
        image = session.get(Image, title.dbkey)
        if image is not None:
            _archive_versions(session, image, "", None)
            _touch_users(session, title)


def restore_file(session: Session, user: User, title: Title, reason: str = "") -> Image:
    """Bring back every deleted version of the file (and its description page)."""
    permissions.user_can(session, user, "undelete", title)
    if session.get(Image, title.dbkey) is not None:
        raise UploadError("fileexists", "A file with this name exists already; it cannot be "
                          "restored over it.")
    rows = list(session.scalars(select(FileArchive).where(FileArchive.name == title.dbkey)
                                .order_by(FileArchive.timestamp.desc())))
    if not rows:
        raise UploadError("filerestore-missing", "There are no deleted versions of this file.")
    storage = get_storage()
    newest, older = rows[0], rows[1:]
    fields = ("size", "width", "height", "bits", "metadata_json", "media_type", "major_mime",
              "minor_mime", "description", "actor_id", "sha1")
    image = Image(name=title.dbkey, timestamp=newest.timestamp,
                  **{f: getattr(newest, f) for f in fields})
    storage.move(newest.storage_key, public_key(title.dbkey))
    session.add(image)
    for row in older:
        archived = row.archive_name or _archive_name(row.timestamp, row.name)
        storage.move(row.storage_key, archive_key(archived, row.name))
        session.add(OldImage(name=row.name, archive_name=archived, timestamp=row.timestamp,
                             deleted=0, **{f: getattr(row, f) for f in fields}))
    for row in rows:
        session.delete(row)
    session.flush()
    from ..store import pageops

    if rv.get_page(session, title) is None and pageops.deleted_revisions(session, title):
        pageops.undelete_page(session, title, user, reason)
    else:
        changes.log(session, "delete", "restore", users.get_actor(session, user), title, reason)
        _touch_users(session, title)
    return image


def on_page_moved(old_title: Title | None = None, new_title: Title | None = None,
                  **_payload: Any) -> None:
    """``page_moved`` hook: moving a File: page moves its file and old versions, as in
    MediaWiki (the move itself was checked by the store, ``movefile`` right included)."""
    from ..db import session_scope

    if old_title is None or new_title is None or old_title.namespace != FILE \
            or new_title.namespace != FILE or old_title.dbkey == new_title.dbkey:
        return
    with session_scope(current_app._get_current_object()) as session:  # type: ignore[attr-defined]
        rename_file(session, old_title.dbkey, new_title.dbkey)


def rename_file(session: Session, old: str, new: str) -> bool:
    """Give the file ``old`` (all versions, bytes included) the name ``new``; False when there
    is no such file or ``new`` is taken."""
    image = session.get(Image, old)
    if image is None or session.get(Image, new) is not None:
        return False
    storage = get_storage()
    history = file_history(session, old)
    fields = ("size", "width", "height", "bits", "metadata_json", "media_type", "major_mime",
              "minor_mime", "description", "actor_id", "timestamp", "sha1")
    session.add(Image(name=new, **{f: getattr(image, f) for f in fields}))
    moves = [(public_key(old), public_key(new))]
    for row in history:
        archived = f"{row.archive_name.split('!', 1)[0]}!{new}"
        moves.append((archive_key(row.archive_name, old), archive_key(archived, new)))
        row.name, row.archive_name = new, archived
    session.delete(image)
    session.flush()
    for source, target in moves:
        if storage.exists(source):
            storage.move(source, target)
    storage.delete_tree(thumb_dir(old))
    _touch_users(session, Title.make(FILE, old, _namespaces()))
    _touch_users(session, Title.make(FILE, new, _namespaces()))
    return True
