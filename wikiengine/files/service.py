"""The upload service: names, warnings, storing new versions (old ones kept), revert,
deletion and restore of files. Web form and API both call these functions; the caller owns
the transaction (conventions #4). Bytes are checked by ``verify`` before anything is written.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Actor, FileArchive, Image, OldImage, Page, User, utcnow
from ..namespaces import FILE
from ..store import changes, derived, permissions, users
from ..store import revisions as rv
from ..title import InvalidTitle, Title
from .storage import archive_key, get_storage, public_key, thumb_dir
from .verify import FileFacts, Limits, UploadError, extension_of, verify  # noqa: F401

__all__ = ["UploadError", "UploadResult", "file_title", "limits", "sha1_base36",
           "check_warnings", "upload", "revert", "get_image", "file_history"]


@dataclass
class UploadResult:
    """``Success`` (``image`` stored) or ``Warning`` (nothing stored, ``warnings`` set)."""

    result: str
    title: Title
    warnings: dict[str, Any] = field(default_factory=dict)
    image: Image | None = None


def sha1_base36(data: bytes) -> str:
    """MediaWiki's ``img_sha1``: SHA-1 of the bytes in base 36, 31 digits."""
    value = int(hashlib.sha1(data).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(digits[rem])
    return "".join(reversed(out)).rjust(31, "0")


def limits() -> Limits:
    conf = current_app.config
    return Limits(max_size=int(conf.get("UPLOAD_MAX_SIZE", 100 * 1024 * 1024)),
                  max_pixels=int(conf.get("UPLOAD_MAX_PIXELS", 50_000_000)),
                  extensions=tuple(conf.get("FILE_EXTENSIONS") or Limits().extensions))


def _namespaces() -> Any:
    from ..rendering import site_namespaces

    return site_namespaces()


def file_title(raw: str) -> Title:
    """The ``File:`` title of a destination name, or ``UploadError``: path separators,
    control characters, a colon, no extension and names too long are refused."""
    text = (raw or "").strip()
    if not text:
        raise UploadError("missingparam", "Please give the file a name.")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
           and c not in "\u200e\u200f"]
    if bad:
        raise UploadError("illegal-filename",
                          "The file name contains control characters, which are not allowed.")
    if "/" in text or "\\" in text:
        raise UploadError("illegal-filename",
                          "File names may not contain “/” or “\\”: choose a name without "
                          "folder separators.", filename=text)
    try:
        title = Title.new(text, _namespaces(), FILE)
    except InvalidTitle as exc:
        raise UploadError("illegal-filename", "“%(name)s” is not a valid file name (%(code)s).",
                          {"name": text, "code": exc.code}, filename=text) from None
    if title.namespace != FILE or title.interwiki or title.fragment or ":" in title.dbkey:
        raise UploadError("illegal-filename",
                          "“%(name)s” is not a valid file name: “:” and “#” are not "
                          "allowed.",
                          {"name": text}, filename=text)
    if len(title.dbkey.encode("utf-8")) > 240:
        raise UploadError("filename-toolong", "The file name is too long (240 bytes at most).")
    if not extension_of(title.dbkey) or title.dbkey.startswith("."):
        raise UploadError("filetype-missing", "The file name has no extension (like “.jpg”).")
    return title


def get_image(session: Session, title: Title) -> Image | None:
    return session.get(Image, title.dbkey)


def file_history(session: Session, name: str) -> list[OldImage]:
    return list(session.scalars(select(OldImage).where(OldImage.name == name)
                                .order_by(OldImage.timestamp.desc(), OldImage.oi_id.desc())))


def check_warnings(session: Session, title: Title, sha1: str,
                   requested: str = "") -> dict[str, Any]:
    """MediaWiki's upload warnings: ``exists``, ``nochange``, ``duplicate``,
    ``duplicate-archive``, ``was-deleted``, ``badfilename``."""
    warnings: dict[str, Any] = {}
    name = title.dbkey
    wanted = requested.strip().replace(" ", "_")
    if ":" in wanted:
        wanted = wanted.split(":", 1)[1]
    if wanted and wanted != name and wanted[:1].upper() + wanted[1:] != name:
        warnings["badfilename"] = name
    current = session.get(Image, name)
    if current is not None:
        if current.sha1 == sha1:
            warnings["nochange"] = {"timestamp": current.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")}
        else:
            warnings["exists"] = name
    dupes = sorted(n for n in session.scalars(select(Image.name).where(Image.sha1 == sha1))
                   if n != name)
    if dupes:
        warnings["duplicate"] = dupes
    archived = session.scalar(select(FileArchive.name).where(FileArchive.sha1 == sha1).limit(1))
    if archived is not None:
        warnings["duplicate-archive"] = archived
    if current is None and session.scalar(select(FileArchive.fa_id).where(
            FileArchive.name == name).limit(1)) is not None:
        warnings["was-deleted"] = name
    return warnings


def _touch_users(session: Session, title: Title) -> None:
    """Bump ``page_touched`` of pages that show, link to or transclude the file, so their
    rendering (size, red or blue link) is redone."""
    from sqlalchemy import update

    from ..models import ImageLink

    derived.invalidate_backlinks(session, title, links=False)
    ids = select(ImageLink.from_id).where(ImageLink.to == title.dbkey)
    session.execute(update(Page).where(Page.page_id.in_(ids)).values(touched=utcnow())
                    .execution_options(synchronize_session=False))


def _archive_name(when: _dt.datetime, name: str) -> str:
    return f"{when:%Y%m%d%H%M%S}!{name}"


def description_text(description: str, licence: str = "", author: str = "", source: str = "",
                     date: str = "", coords: tuple[float, float] | None = None) -> str:
    """The first text of a new file description page (plain wikitext, no templates)."""
    from .licences import licence_wikitext

    lines = ["== Description ==", description.strip() or "", ""]
    for label, value in (("Auteur", author), ("Source", source), ("Date", date)):
        if value.strip():
            lines.append(f"* {label} : {value.strip()}")
    if coords is not None:
        lines.append(f"* Position : {{{{#coordinates:{coords[0]:.6f}, {coords[1]:.6f}}}}}")
    if licence:
        lines += ["", "== Licence ==", licence_wikitext(licence)]
    return "\n".join(lines).strip() + "\n"


def _check_rights(session: Session, user: User, title: Title, overwrite: bool,
                  ip: str | None) -> None:
    permissions.user_can(session, user, "upload", title, ip=ip)
    if overwrite:
        permissions.user_can(session, user, "reupload", title, ip=ip)
    permissions.user_can(session, user, "edit", title, ip=ip)


def upload(session: Session, user: User, requested_name: str, data: bytes, *,
           comment: str = "", page_text: str | Callable[[FileFacts], str] | None = None,
           ignore_warnings: bool = False,
           ip: str | None = None, log_action: str | None = None) -> UploadResult:
    """Check and store ``data`` as the new current version of ``File:requested_name``.

    :raises UploadError: bad name or bad content (nothing stored).
    :raises PermissionDenied: no ``upload`` (or ``reupload``) right, protected page, block.
    """
    title = file_title(requested_name)
    facts = verify(data, title.dbkey, limits())
    sha1 = sha1_base36(data)
    current = session.get(Image, title.dbkey)
    _check_rights(session, user, title, current is not None, ip)
    warnings = check_warnings(session, title, sha1, requested_name)
    if warnings and not ignore_warnings:
        return UploadResult("Warning", title, warnings)
    if rv.get_page(session, title) is None:
        text = (page_text(facts) if callable(page_text) else page_text) if page_text \
            is not None else description_text(comment)
        rv.save_page(session, title, text or comment or "", user, summary=comment,
                     check_permissions=False, ip=ip)
    image = store_version(session, user, title, data, facts, sha1, comment,
                          log_action or ("overwrite" if current is not None else "upload"))
    return UploadResult("Success", title, {}, image)


def store_version(session: Session, user: User | None, title: Title, data: bytes,
                  facts: FileFacts, sha1: str, comment: str, log_action: str, *,
                  timestamp: _dt.datetime | None = None, actor: Actor | None = None,
                  rc: bool = True) -> Image:
    """Write the ``image`` row (the previous version moves to ``oldimage``), then the bytes.

    The row is claimed first (compare-and-swap on ``img_timestamp``, or an insert in a
    savepoint), so two uploads of one name at the same moment cannot both win; files are
    touched only after the database rows are written. A dump import passes the version's
    own ``timestamp`` and ``actor`` (and ``rc=False``: no recent change for the log entry).
    """
    name = title.dbkey
    now = (timestamp or utcnow()).replace(microsecond=0)
    if actor is None:
        assert user is not None
        actor = users.get_actor(session, user)
    image = session.get(Image, name)
    archived: str | None = None
    if image is not None:
        previous = image.timestamp
        if now <= previous:  # archive names and history need distinct seconds
            now = previous + _dt.timedelta(seconds=1)
        claimed = session.execute(
            update(Image).where(Image.name == name, Image.timestamp == previous)
            .values(timestamp=now).execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            raise _raced()
        archived = _archive_name(previous, name)
        session.add(OldImage(
            name=name, archive_name=archived, size=image.size, width=image.width,
            height=image.height, bits=image.bits, description=image.description,
            actor_id=image.actor_id, timestamp=previous,
            metadata_json=image.metadata_json, media_type=image.media_type,
            major_mime=image.major_mime, minor_mime=image.minor_mime, deleted=0,
            sha1=image.sha1))
    else:
        image = Image(name=name, actor_id=actor.actor_id, timestamp=now, sha1=sha1)
        try:
            with session.begin_nested():
                session.add(image)
        except IntegrityError:
            raise _raced() from None
    image.size, image.width, image.height, image.bits = (len(data), facts.width,
                                                         facts.height, facts.bits)
    image.metadata_json = json.dumps(facts.metadata, ensure_ascii=False)
    image.media_type, image.major_mime, image.minor_mime = (facts.media_type, facts.major,
                                                            facts.minor)
    image.description = rv.normalize_summary(comment)
    image.actor_id, image.timestamp, image.sha1 = actor.actor_id, now, sha1
    session.flush()
    page = rv.get_page(session, title)
    if page is not None:
        page.touched = utcnow()
    changes.log(session, "upload", log_action, actor, title, comment,
                page_id=page.page_id if page else None,
                params={"img_sha1": sha1, "img_timestamp": now.strftime("%Y%m%d%H%M%S")},
                timestamp=now, rc=rc)
    _touch_users(session, title)
    storage = get_storage()
    if archived is not None:
        storage.move(public_key(name), archive_key(archived, name))
        storage.delete_tree(thumb_dir(name))
    storage.put(public_key(name), data)
    return image


def store_old_version(session: Session, actor: Actor, title: Title, data: bytes,
                      facts: FileFacts, sha1: str, comment: str,
                      timestamp: _dt.datetime) -> OldImage:
    """Add a version older than the current one (a dump import meeting versions out of
    order): an ``oldimage`` row, then the bytes under its archive name. No log entry (as
    MediaWiki's ``OldLocalFile::uploadOld``)."""
    name = title.dbkey
    when = timestamp.replace(microsecond=0)
    archived = _archive_name(when, name)
    if session.scalar(select(OldImage.oi_id).where(OldImage.name == name,
                                                   OldImage.archive_name == archived)):
        raise UploadError("fileexists-forbidden", "An older version of this file with the "
                          "same timestamp already exists.")
    old = OldImage(
        name=name, archive_name=archived, size=len(data), width=facts.width,
        height=facts.height, bits=facts.bits, description=rv.normalize_summary(comment),
        actor_id=actor.actor_id, timestamp=when,
        metadata_json=json.dumps(facts.metadata, ensure_ascii=False),
        media_type=facts.media_type, major_mime=facts.major, minor_mime=facts.minor,
        deleted=0, sha1=sha1)
    session.add(old)
    session.flush()
    get_storage().put(archive_key(archived, name), data)
    return old


def _raced() -> UploadError:
    return UploadError("fileexists-forbidden", "Another upload of this file finished at the "
                       "same moment; look at the file page and try again if needed.")


def revert(session: Session, user: User, title: Title, archive_name: str, comment: str = "",
           ip: str | None = None) -> Image:
    """Make the archived version ``archive_name`` current again (as a new version)."""
    old = session.scalar(select(OldImage).where(OldImage.name == title.dbkey,
                                                OldImage.archive_name == archive_name))
    if old is None:
        raise UploadError("filerevert-badversion",
                          "There is no previous local version of this file with the "
                          "provided timestamp.")
    _check_rights(session, user, title, True, ip)
    data = get_storage().read(archive_key(archive_name, title.dbkey))
    facts = verify(data, title.dbkey, limits())
    when = old.timestamp.strftime("%Y-%m-%d %H:%M:%S")
    return store_version(session, user, title, data, facts, old.sha1,
                         comment or f"Reverted to version as of {when}", "revert")


def pages_using(session: Session, name: str, limit: int = 100) -> list[Page]:
    """Pages that show the file (``imagelinks``), by namespace then title."""
    from ..models import ImageLink

    return list(session.scalars(select(Page).join(ImageLink, ImageLink.from_id == Page.page_id)
                                .where(ImageLink.to == name)
                                .order_by(Page.namespace, Page.title).limit(limit)))


def base36_of_hex(value: str) -> str:
    """A hexadecimal SHA-1 (as the API takes it) in the base 36 of ``img_sha1``."""
    number = int(value, 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while number:
        number, rem = divmod(number, 36)
        out.append(digits[rem])
    return "".join(reversed(out)).rjust(31, "0")
