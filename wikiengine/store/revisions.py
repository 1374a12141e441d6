"""Pages and revisions: reading, history and the save path (MediaWiki's PageUpdater).

A save runs in the caller's transaction (never committed here): pre-save transform, size
limit, then a compare-and-swap on ``page.page_latest`` taken *before* anything is written
(``UPDATE page … WHERE page_latest = :base`` locks the row on PostgreSQL and takes the write
lock on SQLite); when it fails, another save won the race and the three texts are merged as
MediaWiki's diff3 does (clean: the merged text is saved on top of the current revision;
overlapping: ``EditConflict``). Delete, undelete, move and protect live in ``pageops`` and are
re-exported here.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wikiengine import diff
from wikiengine.models import Content, Page, Revision, User, utcnow
from wikiengine.title import Title

from . import changes, derived, events, permissions, users
from ._sql import insert_ignore
from .errors import (EditConflict, InvalidInput, MissingPage, NoSuchRevision, PageExists,
                     PageTooLarge)

_REDIRECT = re.compile(r"^\s*#(?:REDIRECT|REDIRECTION)\s*:?\s*\[\[([^\]|]+)", re.I)
#: How often a save retries when other saves keep winning the compare-and-swap.
_MAX_MERGE_ROUNDS = 10


@dataclass
class SaveResult:
    """What ``save_page`` did: ``revision`` is None for a null edit; ``merged`` when the text
    was merged with a concurrent edit; ``created`` when the page is new."""

    page: Page
    revision: Revision | None
    null_edit: bool = False
    merged: bool = False
    created: bool = False
    output: Any = field(default=None, repr=False)


def sha1_base36(text: str) -> str:
    """MediaWiki's ``rev_sha1``: SHA-1 of the UTF-8 text in base 36, 31 digits, zero-padded."""
    value = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(digits[rem])
    return "".join(reversed(out)).rjust(31, "0")


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: MediaWiki's ``CommentStore::COMMENT_CHARACTER_LIMIT``.
COMMENT_LIMIT = 500


def clean(text: str) -> str:
    """Text any database can store: NUL removed, lone surrogates replaced by U+FFFD, NFC."""
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)
    return unicodedata.normalize("NFC", text)


def normalize_text(text: str) -> str:
    """What MediaWiki does to any saved text: NFC, ``\\n`` line ends, no trailing whitespace."""
    return clean(text).replace("\r\n", "\n").replace("\r", "\n").rstrip()


def normalize_summary(summary: str) -> str:
    """An edit summary on one line, at most ``COMMENT_LIMIT`` characters."""
    return re.sub(r"[\r\n]+", " ", clean(summary or "")).strip()[:COMMENT_LIMIT]


# -- reading -------------------------------------------------------------------------------

def get_page(session: Session, title: Title) -> Page | None:
    """The page row of ``title`` or None."""
    return session.scalar(select(Page).where(Page.namespace == title.namespace,
                                             Page.title == title.dbkey))


def get_page_by_id(session: Session, page_id: int) -> Page | None:
    return session.get(Page, page_id)


def page_title(page: Page) -> Title:
    """The Title of a page row (namespaces of the current site)."""
    from wikiengine.rendering import site_namespaces

    return Title.make(page.namespace, page.title, site_namespaces())


def get_revision(session: Session, rev_id: int) -> Revision | None:
    return session.get(Revision, rev_id)


def latest_revision(session: Session, page: Page) -> Revision | None:
    return session.get(Revision, page.latest) if page.latest else None


def revision_text(session: Session, revision: Revision) -> str:
    content = session.get(Content, revision.content_id)
    return content.text if content is not None else ""


def page_text(session: Session, page: Page | None) -> str | None:
    """Text of the latest revision of ``page`` (None for a missing page)."""
    if page is None or not page.latest:
        return None
    rev = session.get(Revision, page.latest)
    return revision_text(session, rev) if rev is not None else None


def history(session: Session, page: Page, limit: int = 50, offset: int = 0,
            newest_first: bool = True) -> list[Revision]:
    """Revisions of ``page`` (newest first by default), ``limit`` rows after ``offset``."""
    order = (Revision.timestamp.desc(), Revision.rev_id.desc()) if newest_first else \
        (Revision.timestamp.asc(), Revision.rev_id.asc())
    query = select(Revision).where(Revision.page_id == page.page_id).order_by(*order)
    return list(session.scalars(query.limit(limit).offset(offset)))


def revision_count(session: Session, page: Page) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Revision).where(
        Revision.page_id == page.page_id)) or 0


def previous_revision(session: Session, revision: Revision) -> Revision | None:
    return session.get(Revision, revision.parent_id) if revision.parent_id else None


def next_revision(session: Session, revision: Revision) -> Revision | None:
    return session.scalar(select(Revision).where(
        Revision.page_id == revision.page_id, Revision.rev_id > revision.rev_id)
        .order_by(Revision.rev_id).limit(1))


def is_redirect_text(text: str) -> bool:
    return _REDIRECT.match(text) is not None


# -- saving --------------------------------------------------------------------------------

def save_page(session: Session, title: Title, text: str, user: User, *, summary: str = "",
              minor: bool = False, bot: bool = False, base_rev_id: int | None = None,
              start_time: _dt.datetime | str | None = None, create_only: bool = False,
              no_create: bool = False, check_permissions: bool = True,
              ip: str | None = None) -> SaveResult:
    """Save ``text`` as the new version of ``title`` by ``user``.

    ``base_rev_id`` is the revision the editor started from (None: the current one);
    ``start_time`` when the edit form was opened (detects a deletion in between).

    :raises EditConflict: overlapping concurrent edit (or page deleted since ``start_time``).
    :raises PageTooLarge: text over ``MAX_ARTICLE_SIZE``; nothing is written.
    :raises PermissionDenied: rights, protection, block.
    :raises PageExists: ``create_only`` and the page exists.
    :raises MissingPage: ``no_create`` and the page does not exist.
    """
    from wikiengine import rendering

    if title.namespace < 0 or title.interwiki:
        raise InvalidInput(f"{title.prefixed_text} cannot be edited.", code="invalidtitle")
    page = get_page(session, title)
    if page is not None and create_only:
        raise PageExists(f"The page {title.prefixed_text} already exists.")
    if page is None and no_create:
        raise MissingPage(f"The page {title.prefixed_text} does not exist.")
    if check_permissions:
        permissions.user_can(session, user, "edit", title, ip=ip)
    text = rendering.pre_save_transform(session, title, normalize_text(text), user)
    summary = normalize_summary(summary)
    _check_size(text)
    minor = minor and permissions.has_right(user, "minoredit") and page is not None
    bot = bot and permissions.has_right(user, "bot")
    if page is None:
        _check_not_deleted_since(session, title, base_rev_id, start_time, text)
        return _create(session, title, text, user, summary, minor, bot, create_only)
    return _update(session, page, title, text, user, summary, minor, bot, base_rev_id)


def _check_size(text: str) -> None:
    limit = int(permissions.settings().get("MAX_ARTICLE_SIZE", 2 * 1024 * 1024))
    size = len(text.encode("utf-8"))
    if size > limit:
        raise PageTooLarge(size, limit)


def _check_not_deleted_since(session: Session, title: Title, base_rev_id: int | None,
                             start_time: _dt.datetime | str | None, text: str) -> None:
    """MediaWiki's "page deleted while you were editing" conflict."""
    if base_rev_id:
        raise EditConflict("", "", text, None,
                           message="This page has been deleted since you started editing.")
    if isinstance(start_time, str):  # wpStarttime: MediaWiki's 14-digit timestamp
        try:
            start_time = _dt.datetime.strptime(start_time, "%Y%m%d%H%M%S")
        except ValueError:
            start_time = None
    if start_time is not None:
        deleted = changes.log_entries(session, "delete", title, limit=1)
        if deleted and deleted[0].timestamp > start_time.replace(tzinfo=None):
            raise EditConflict("", "", text, None,
                               message="This page has been deleted since you started editing.")


def _create(session: Session, title: Title, text: str, user: User, summary: str,
            minor: bool, bot: bool, create_only: bool, log_creation: bool = True) -> SaveResult:
    from wikiengine import rendering

    output = rendering.parse_for_links(session, title, text)
    now = utcnow()
    page_id = insert_ignore(session, Page, {
        "namespace": title.namespace, "title": title.dbkey, "is_redirect": False,
        "is_new": True, "touched": now, "latest": 0, "len": 0,
        "page_content_model": "wikitext"}, returning=Page.page_id)
    if page_id is None:
        # Someone created the page since we looked: a conflict against an empty base.
        page = get_page(session, title)
        assert page is not None
        if create_only:
            raise PageExists(f"The page {title.prefixed_text} already exists.")
        current = page_text(session, page) or ""
        if current == text:
            return SaveResult(page, None, null_edit=True)
        raise EditConflict("", current, text, latest_revision(session, page))
    page = session.get(Page, page_id)
    assert page is not None
    revision = _write_revision(session, page, title, text, user, summary, minor, bot,
                               parent_id=None, output=output, now=now)
    if log_creation:  # the redirect a move leaves behind is part of the move's log entry
        changes.log(session, "create", "create", users.get_actor(session, user), title, summary,
                    page_id=page.page_id, params={"revid": revision.rev_id}, timestamp=now,
                    rc=False)
    derived.invalidate_backlinks_after_commit(session, title, links=True)
    events.queue(session, "page_saved", title=title, page=page, revision=revision, created=True)
    return SaveResult(page, revision, created=True, output=output)


def _update(session: Session, page: Page, title: Title, text: str, user: User, summary: str,
            minor: bool, bot: bool, base_rev_id: int | None) -> SaveResult:
    from wikiengine import rendering

    base_id = base_rev_id or page.latest
    base_rev = session.get(Revision, base_id)
    if base_rev is None or base_rev.page_id != page.page_id:
        raise NoSuchRevision(f"There is no revision {base_id} of {title.prefixed_text}.")
    base_text = revision_text(session, base_rev)
    if base_id == page.latest and text == base_text:
        # Same text as the current revision: a null edit (no revision; links refreshed).
        derived.update_links(session, page, title, rendering.parse_for_links(session, title, text))
        return SaveResult(page, None, null_edit=True)
    # Parsed before the lock is taken (SQLite serialises writers); again only after a merge.
    output = rendering.parse_for_links(session, title, text)
    expected, proposed, merged = base_id, text, False
    for _round in range(_MAX_MERGE_ROUNDS):
        if _lock(session, page.page_id, expected):
            break
        current_rev = _current_revision(session, page.page_id)
        if current_rev is None:
            raise EditConflict(base_text, "", text, None,
                               message="This page has been deleted since you started editing.")
        current_text = revision_text(session, current_rev)
        result = diff.merge3(base_text, current_text, text)
        if result is None:
            raise EditConflict(base_text, current_text, text, current_rev)
        _check_size(result)
        if result == current_text:
            session.refresh(page)
            return SaveResult(page, None, null_edit=True, merged=result != text)
        expected, proposed, merged = current_rev.rev_id, result, True
    else:
        current_rev = _current_revision(session, page.page_id)
        raise EditConflict(base_text, revision_text(session, current_rev) if current_rev else "",
                           text, current_rev)
    session.refresh(page)
    if merged:  # the links of the merged text, not of the text as submitted
        output = rendering.parse_for_links(session, title, proposed)
    revision = _write_revision(session, page, title, proposed, user, summary, minor, bot,
                               parent_id=expected, output=output, now=utcnow())
    derived.invalidate_backlinks_after_commit(session, title, links=False)
    events.queue(session, "page_saved", title=title, page=page, revision=revision, created=False)
    return SaveResult(page, revision, merged=merged, output=output)


def _lock(session: Session, page_id: int, expected: int) -> bool:
    """Compare-and-swap guard: touch the page only if its latest revision is ``expected``.
    Holds the row (PostgreSQL) or the write lock (SQLite) until the caller commits."""
    result = session.execute(
        update(Page).where(Page.page_id == page_id, Page.latest == expected)
        .values(touched=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _current_revision(session: Session, page_id: int) -> Revision | None:
    latest = session.execute(select(Page.latest).where(Page.page_id == page_id)).scalar()
    if not latest:
        return None
    return session.get(Revision, latest)


def _write_revision(session: Session, page: Page, title: Title, text: str, user: User,
                    summary: str, minor: bool, bot: bool, *, parent_id: int | None,
                    output: Any, now: _dt.datetime) -> Revision:
    """Insert content and revision, move ``page_latest``, record the change. The caller
    holds the page (new row, or a successful ``_lock``)."""
    actor = users.get_actor(session, user)
    size = len(text.encode("utf-8"))
    sha1 = sha1_base36(text)
    content = Content(size=size, sha1=sha1, model="wikitext", text=text)
    session.add(content)
    session.flush()
    revision = Revision(page_id=page.page_id, parent_id=parent_id, timestamp=now,
                        actor_id=actor.actor_id, comment=summary, minor_edit=minor,
                        deleted=0, len=size, sha1=sha1, content_id=content.content_id)
    session.add(revision)
    session.flush()
    old_len = page.len if parent_id else None
    redirect = derived.redirect_target(title, text, output)
    session.execute(
        update(Page).where(Page.page_id == page.page_id)
        .values(latest=revision.rev_id, len=size, is_redirect=redirect is not None,
                is_new=parent_id is None, touched=now)
        .execution_options(synchronize_session=False))
    session.refresh(page)
    changes.record_edit(session, page, revision, actor, old_len=old_len, bot=bot,
                        new=parent_id is None)
    if user.user_id is not None:
        session.execute(update(User).where(User.user_id == user.user_id)
                        .values(editcount=User.editcount + 1)
                        .execution_options(synchronize_session=False))
    derived.update_links(session, page, title, output, redirect=redirect)
    return revision


def null_revision(session: Session, page: Page, user: User, comment: str) -> Revision:
    """A revision with the current text and a comment (moves, protections), as MediaWiki's
    null revisions: same content row, parent the current revision, minor."""
    current = session.get(Revision, page.latest)
    if current is None or not _lock(session, page.page_id, page.latest):
        raise MissingPage("The page has no current revision.")
    actor = users.get_actor(session, user)
    revision = Revision(page_id=page.page_id, parent_id=current.rev_id, timestamp=utcnow(),
                        actor_id=actor.actor_id, comment=normalize_summary(comment), minor_edit=True,
                        deleted=0, len=current.len, sha1=current.sha1,
                        content_id=current.content_id)
    session.add(revision)
    session.flush()
    session.execute(update(Page).where(Page.page_id == page.page_id)
                    .values(latest=revision.rev_id, is_new=False)
                    .execution_options(synchronize_session=False))
    session.refresh(page)
    return revision


_PAGEOPS = ("delete_page", "undelete_page", "move_page", "protect_page", "rollback",
            "undo_text", "deleted_revisions", "redirect_text")


def __getattr__(name: str) -> Any:
    """Re-export the page operations of ``pageops`` (imported lazily: pageops uses us)."""
    if name in _PAGEOPS:
        from . import pageops

        return getattr(pageops, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "SaveResult", "sha1_base36", "normalize_text", "get_page", "get_page_by_id", "page_title",
    "get_revision", "latest_revision", "revision_text", "page_text", "history",
    "revision_count", "previous_revision", "next_revision", "save_page", "null_revision",
    *_PAGEOPS,
]
