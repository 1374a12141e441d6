"""Pages, revisions, their text, and deleted revisions (``page``, ``revision``, ``content``,
``archive``, ``redirect``).

Differences from MediaWiki 1.39: there are no ``slots``/``slot_roles``/``content_models``/
``text`` tables; a revision has exactly one (main) slot, so ``revision.rev_content_id``
points straight at a ``content`` row that holds the text itself. Comments are stored inline
(``rev_comment``) instead of through the ``comment`` table.
"""
from __future__ import annotations

import datetime as _dt
import random

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, String, Text as SaText,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ._base import Base, utcnow

#: Own generator for ``page_random`` (keeps the global ``random`` state untouched).
_RANDOM = random.Random()


class Content(Base):
    """``content`` + ``text``: one stored text. MediaWiki keeps the text in ``text`` (or
    external storage) and an address in ``content_address``; here the text is inline."""

    __tablename__ = "content"
    #: ids are never reused (MediaWiki relies on it), also on SQLite
    __table_args__ = {"sqlite_autoincrement": True}

    content_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column("content_size", Integer, default=0)
    sha1: Mapped[str] = mapped_column("content_sha1", String(32), default="")
    model: Mapped[str] = mapped_column("content_model", String(32), default="wikitext")
    text: Mapped[str] = mapped_column("content_text", SaText, default="")


#: MediaWiki's ``text`` table is merged into ``content``; the name stays available.
Text = Content


class Page(Base):
    """``page``: one row per existing page. ``title`` is the dbkey (underscores, no
    namespace prefix). ``touched`` is bumped whenever the rendered page may change (edit,
    template edit, link target created or deleted): caches older than it are stale."""

    __tablename__ = "page"
    __table_args__ = (
        UniqueConstraint("page_namespace", "page_title", name="uq_page_name_title"),
        Index("ix_page_random", "page_random"),
        Index("ix_page_len", "page_len"),
        Index("ix_page_redirect_namespace_len", "page_is_redirect", "page_namespace", "page_len"),
        {"sqlite_autoincrement": True},
    )

    page_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    namespace: Mapped[int] = mapped_column("page_namespace", Integer, nullable=False)
    title: Mapped[str] = mapped_column("page_title", String(255), nullable=False)
    is_redirect: Mapped[bool] = mapped_column("page_is_redirect", Boolean, default=False)
    is_new: Mapped[bool] = mapped_column("page_is_new", Boolean, default=True)
    random: Mapped[float] = mapped_column("page_random", default=_RANDOM.random)
    touched: Mapped[_dt.datetime] = mapped_column("page_touched", DateTime, default=utcnow)
    links_updated: Mapped[_dt.datetime | None] = mapped_column("page_links_updated", DateTime)
    latest: Mapped[int] = mapped_column("page_latest", Integer, default=0)
    len: Mapped[int] = mapped_column("page_len", Integer, default=0)
    page_content_model: Mapped[str] = mapped_column(String(32), default="wikitext")
    lang: Mapped[str | None] = mapped_column("page_lang", String(35))

    latest_revision: Mapped["Revision | None"] = relationship(
        primaryjoin="foreign(Page.latest) == Revision.rev_id", viewonly=True, lazy="select")

    def __repr__(self) -> str:
        return f"<Page {self.page_id} {self.namespace}:{self.title} latest={self.latest}>"


class Revision(Base):
    """``revision``: one saved version of a page. ``sha1`` is MediaWiki's base-36 SHA-1 of the
    text (31 characters, zero-padded); ``len`` is the size in bytes (UTF-8).
    ``content_id`` replaces MediaWiki's slots (one main slot per revision)."""

    __tablename__ = "revision"
    __table_args__ = (
        Index("ix_revision_page_timestamp", "rev_page", "rev_timestamp"),
        Index("ix_revision_actor_timestamp", "rev_actor", "rev_timestamp"),
        Index("ix_revision_timestamp", "rev_timestamp"),
        {"sqlite_autoincrement": True},
    )

    rev_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column("rev_page", ForeignKey("page.page_id"), nullable=False)
    parent_id: Mapped[int | None] = mapped_column("rev_parent_id", Integer)
    timestamp: Mapped[_dt.datetime] = mapped_column("rev_timestamp", DateTime, default=utcnow)
    actor_id: Mapped[int] = mapped_column("rev_actor", ForeignKey("actor.actor_id"), nullable=False)
    comment: Mapped[str] = mapped_column("rev_comment", SaText, default="")
    minor_edit: Mapped[bool] = mapped_column("rev_minor_edit", Boolean, default=False)
    deleted: Mapped[int] = mapped_column("rev_deleted", Integer, default=0)
    len: Mapped[int] = mapped_column("rev_len", Integer, default=0)
    sha1: Mapped[str] = mapped_column("rev_sha1", String(32), default="")
    content_id: Mapped[int] = mapped_column(
        "rev_content_id", ForeignKey("content.content_id"), nullable=False)

    content: Mapped[Content] = relationship(lazy="select")
    actor: Mapped["Actor"] = relationship(lazy="joined")  # noqa: F821
    page: Mapped[Page] = relationship(lazy="select")

    @property
    def text(self) -> str:
        return self.content.text

    def __repr__(self) -> str:
        return f"<Revision {self.rev_id} page={self.page_id} parent={self.parent_id}>"


class Archive(Base):
    """``archive``: revisions of deleted pages, kept so they can be undeleted.
    ``content_id`` replaces MediaWiki's slot rows; ``comment`` is inline."""

    __tablename__ = "archive"
    __table_args__ = (
        Index("ix_archive_name_title_timestamp", "ar_namespace", "ar_title", "ar_timestamp"),
        UniqueConstraint("ar_rev_id", name="uq_archive_ar_rev_id"),
        {"sqlite_autoincrement": True},
    )

    ar_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    namespace: Mapped[int] = mapped_column("ar_namespace", Integer, nullable=False)
    title: Mapped[str] = mapped_column("ar_title", String(255), nullable=False)
    comment: Mapped[str] = mapped_column("ar_comment", SaText, default="")
    actor_id: Mapped[int] = mapped_column("ar_actor", ForeignKey("actor.actor_id"), nullable=False)
    timestamp: Mapped[_dt.datetime] = mapped_column("ar_timestamp", DateTime, nullable=False)
    minor_edit: Mapped[bool] = mapped_column("ar_minor_edit", Boolean, default=False)
    rev_id: Mapped[int] = mapped_column("ar_rev_id", Integer, nullable=False)
    deleted: Mapped[int] = mapped_column("ar_deleted", Integer, default=0)
    len: Mapped[int] = mapped_column("ar_len", Integer, default=0)
    page_id: Mapped[int | None] = mapped_column("ar_page_id", Integer)
    parent_id: Mapped[int | None] = mapped_column("ar_parent_id", Integer)
    sha1: Mapped[str] = mapped_column("ar_sha1", String(32), default="")
    content_id: Mapped[int] = mapped_column(
        "ar_content_id", ForeignKey("content.content_id"), nullable=False)

    content: Mapped[Content] = relationship(lazy="select")
    actor: Mapped["Actor"] = relationship(lazy="joined")  # noqa: F821


class Redirect(Base):
    """``redirect``: where a redirect page points (filled on save from the parsed text)."""

    __tablename__ = "redirect"
    __table_args__ = (Index("ix_redirect_namespace_title", "rd_namespace", "rd_title", "rd_from"),)

    rd_from: Mapped[int] = mapped_column(
        ForeignKey("page.page_id", ondelete="CASCADE"), primary_key=True)
    namespace: Mapped[int] = mapped_column("rd_namespace", Integer, nullable=False)
    title: Mapped[str] = mapped_column("rd_title", String(255), nullable=False)
    interwiki: Mapped[str | None] = mapped_column("rd_interwiki", String(32))
    fragment: Mapped[str | None] = mapped_column("rd_fragment", String(255))

