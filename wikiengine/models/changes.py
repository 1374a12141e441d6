"""Recent changes and the log: ``recentchanges`` and ``logging``.

Differences from MediaWiki: comments are inline text (no ``comment`` table); log parameters
are JSON text in ``log_params`` (MediaWiki serialises PHP arrays); ``rc_params`` likewise.
"""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, SmallInteger, String,
                        Text as SaText)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ._base import Base, utcnow

#: ``rc_type`` values (MediaWiki's RC_EDIT, RC_NEW, RC_LOG).
RC_EDIT, RC_NEW, RC_LOG = 0, 1, 3
#: ``rc_source`` values.
SRC_EDIT, SRC_NEW, SRC_LOG = "mw.edit", "mw.new", "mw.log"


class RecentChange(Base):
    """``recentchanges``: one row per edit, page creation or log action, for
    Special:RecentChanges, watchlists and ``list=recentchanges``."""

    __tablename__ = "recentchanges"
    __table_args__ = (
        Index("ix_recentchanges_timestamp", "rc_timestamp"),
        Index("ix_recentchanges_namespace_title_timestamp", "rc_namespace", "rc_title",
              "rc_timestamp"),
        Index("ix_recentchanges_actor_timestamp", "rc_actor", "rc_timestamp"),
        Index("ix_recentchanges_this_oldid", "rc_this_oldid"),
        {"sqlite_autoincrement": True},
    )

    rc_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    timestamp: Mapped[_dt.datetime] = mapped_column("rc_timestamp", DateTime, default=utcnow)
    actor_id: Mapped[int] = mapped_column("rc_actor", ForeignKey("actor.actor_id"), nullable=False)
    namespace: Mapped[int] = mapped_column("rc_namespace", Integer, default=0)
    title: Mapped[str] = mapped_column("rc_title", String(255), default="")
    comment: Mapped[str] = mapped_column("rc_comment", SaText, default="")
    minor: Mapped[bool] = mapped_column("rc_minor", Boolean, default=False)
    bot: Mapped[bool] = mapped_column("rc_bot", Boolean, default=False)
    new: Mapped[bool] = mapped_column("rc_new", Boolean, default=False)
    page_id: Mapped[int | None] = mapped_column("rc_cur_id", Integer)
    this_oldid: Mapped[int] = mapped_column("rc_this_oldid", Integer, default=0)
    last_oldid: Mapped[int] = mapped_column("rc_last_oldid", Integer, default=0)
    type: Mapped[int] = mapped_column("rc_type", SmallInteger, default=RC_EDIT)
    source: Mapped[str] = mapped_column("rc_source", String(16), default=SRC_EDIT)
    patrolled: Mapped[int] = mapped_column("rc_patrolled", SmallInteger, default=0)
    ip: Mapped[str] = mapped_column("rc_ip", String(40), default="")
    old_len: Mapped[int | None] = mapped_column("rc_old_len", Integer)
    new_len: Mapped[int | None] = mapped_column("rc_new_len", Integer)
    deleted: Mapped[int] = mapped_column("rc_deleted", SmallInteger, default=0)
    logid: Mapped[int] = mapped_column("rc_logid", Integer, default=0)
    log_type: Mapped[str | None] = mapped_column("rc_log_type", String(32))
    log_action: Mapped[str | None] = mapped_column("rc_log_action", String(32))
    params: Mapped[str] = mapped_column("rc_params", SaText, default="")

    actor: Mapped["Actor"] = relationship(lazy="joined")  # noqa: F821


class LogEntry(Base):
    """``logging``: deletions, undeletions, moves, protections, blocks, new users, page
    creations. ``params`` is a JSON object (e.g. ``{"target": "New title",
    "noredir": false}`` for a move)."""

    __tablename__ = "logging"
    __table_args__ = (
        Index("ix_logging_type_timestamp", "log_type", "log_timestamp"),
        Index("ix_logging_timestamp", "log_timestamp"),
        Index("ix_logging_namespace_title_timestamp", "log_namespace", "log_title",
              "log_timestamp"),
        Index("ix_logging_actor_timestamp", "log_actor", "log_timestamp"),
        {"sqlite_autoincrement": True},
    )

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column("log_type", String(32), nullable=False)
    action: Mapped[str] = mapped_column("log_action", String(32), nullable=False)
    timestamp: Mapped[_dt.datetime] = mapped_column("log_timestamp", DateTime, default=utcnow)
    actor_id: Mapped[int] = mapped_column("log_actor", ForeignKey("actor.actor_id"), nullable=False)
    namespace: Mapped[int] = mapped_column("log_namespace", Integer, default=0)
    title: Mapped[str] = mapped_column("log_title", String(255), default="")
    page_id: Mapped[int | None] = mapped_column("log_page", Integer)
    comment: Mapped[str] = mapped_column("log_comment", SaText, default="")
    params: Mapped[str] = mapped_column("log_params", SaText, default="{}")
    deleted: Mapped[int] = mapped_column("log_deleted", SmallInteger, default=0)

    actor: Mapped["Actor"] = relationship(lazy="joined")  # noqa: F821
