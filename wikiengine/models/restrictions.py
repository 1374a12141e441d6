"""Protections and blocks: ``page_restrictions``, ``protected_titles``, ``ipblocks``.

Differences from MediaWiki: expiries are NULL for "infinity"; ``ipblocks`` is named
``ipblocks`` as in 1.39 but keeps the target address and the blocker's actor inline
(``ipb_address``/``ipb_user``/``ipb_by_actor``), and range blocks store the CIDR text.
"""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, String, Text as SaText,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ._base import Base, utcnow


class PageRestriction(Base):
    """``page_restrictions``: protection of an existing page for one action (``edit`` or
    ``move``; ``upload`` for files) at a level (``autoconfirmed`` or ``sysop``)."""

    __tablename__ = "page_restrictions"
    __table_args__ = (UniqueConstraint("pr_page", "pr_type", name="uq_page_restrictions_page_type"),)

    pr_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(
        "pr_page", ForeignKey("page.page_id", ondelete="CASCADE"), nullable=False)
    type: Mapped[str] = mapped_column("pr_type", String(60), nullable=False)
    level: Mapped[str] = mapped_column("pr_level", String(60), nullable=False)
    cascade: Mapped[bool] = mapped_column("pr_cascade", Boolean, default=False)
    expiry: Mapped[_dt.datetime | None] = mapped_column("pr_expiry", DateTime)


class ProtectedTitle(Base):
    """``protected_titles``: a missing page protected against creation."""

    __tablename__ = "protected_titles"
    __table_args__ = (UniqueConstraint("pt_namespace", "pt_title", name="uq_protected_titles_name"),)

    pt_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    namespace: Mapped[int] = mapped_column("pt_namespace", Integer, nullable=False)
    title: Mapped[str] = mapped_column("pt_title", String(255), nullable=False)
    actor_id: Mapped[int] = mapped_column("pt_user", ForeignKey("actor.actor_id"), nullable=False)
    reason: Mapped[str] = mapped_column("pt_reason", SaText, default="")
    timestamp: Mapped[_dt.datetime] = mapped_column("pt_timestamp", DateTime, default=utcnow)
    expiry: Mapped[_dt.datetime | None] = mapped_column("pt_expiry", DateTime)
    create_perm: Mapped[str] = mapped_column("pt_create_perm", String(60), nullable=False)


class Block(Base):
    """``ipblocks``: a block of a registered user (``user_id``) or of an IP address or range
    (``address``, ``user_id`` NULL). ``expiry`` NULL means infinite."""

    __tablename__ = "ipblocks"
    __table_args__ = (
        Index("ix_ipblocks_address", "ipb_address"),
        Index("ix_ipblocks_user", "ipb_user"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column("ipb_id", Integer, primary_key=True)
    address: Mapped[str] = mapped_column("ipb_address", String(255), nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        "ipb_user", ForeignKey("user.user_id", ondelete="CASCADE"))
    by_actor_id: Mapped[int] = mapped_column(
        "ipb_by_actor", ForeignKey("actor.actor_id"), nullable=False)
    reason: Mapped[str] = mapped_column("ipb_reason", SaText, default="")
    timestamp: Mapped[_dt.datetime] = mapped_column("ipb_timestamp", DateTime, default=utcnow)
    anon_only: Mapped[bool] = mapped_column("ipb_anon_only", Boolean, default=False)
    create_account: Mapped[bool] = mapped_column("ipb_create_account", Boolean, default=True)
    allow_usertalk: Mapped[bool] = mapped_column("ipb_allow_usertalk", Boolean, default=True)
    expiry: Mapped[_dt.datetime | None] = mapped_column("ipb_expiry", DateTime)

    by_actor: Mapped["Actor"] = relationship(lazy="joined")  # noqa: F821
