"""Accounts: ``actor``, ``user``, ``user_groups``, ``bot_passwords``, ``watchlist``.

Differences from MediaWiki: user preferences live in one JSON column (``user_options``)
instead of the ``user_properties`` table; passwords are argon2 hashes (MediaWiki's
``:argon2:`` type) in ``user_password``; ``user_name`` is the normalised ``User:`` title text
(spaces, first letter capitalised).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import (JSON, DateTime, ForeignKey, Index, Integer, String, Text as SaText,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ._base import Base, utcnow


class User(Base):
    """``user``: a registered account. An anonymous visitor is a ``User`` that is never
    added to the database (``user_id`` None, ``name`` the IP address): see
    ``store.users.anonymous``."""

    __tablename__ = "user"
    #: ids are never reused (MediaWiki relies on it), also on SQLite
    __table_args__ = {"sqlite_autoincrement": True}

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column("user_name", String(255), unique=True, nullable=False)
    real_name: Mapped[str] = mapped_column("user_real_name", String(255), default="")
    password: Mapped[str] = mapped_column("user_password", SaText, default="")
    email: Mapped[str] = mapped_column("user_email", String(255), default="")
    email_authenticated: Mapped[_dt.datetime | None] = mapped_column(
        "user_email_authenticated", DateTime)
    touched: Mapped[_dt.datetime] = mapped_column("user_touched", DateTime, default=utcnow)
    token: Mapped[str] = mapped_column("user_token", String(64), default="")
    registration: Mapped[_dt.datetime | None] = mapped_column(
        "user_registration", DateTime, default=utcnow)
    editcount: Mapped[int] = mapped_column("user_editcount", Integer, default=0)
    options: Mapped[dict[str, Any]] = mapped_column("user_options", JSON, default=dict)

    groups: Mapped[list["UserGroup"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    @property
    def is_anon(self) -> bool:
        """True for a visitor who is not logged in (never stored)."""
        return self.user_id is None

    @property
    def group_names(self) -> list[str]:
        """Explicit groups (not the implicit ``*``, ``user``, ``autoconfirmed``), unexpired."""
        now = utcnow()
        return sorted(g.group for g in self.groups if g.expiry is None or g.expiry > now)

    def __repr__(self) -> str:
        return f"<User {self.user_id} {self.name!r}>"


class UserGroup(Base):
    """``user_groups``: explicit membership (sysop, bureaucrat, bot…), optional expiry."""

    __tablename__ = "user_groups"

    user_id: Mapped[int] = mapped_column(
        "ug_user", ForeignKey("user.user_id", ondelete="CASCADE"), primary_key=True)
    group: Mapped[str] = mapped_column("ug_group", String(255), primary_key=True)
    expiry: Mapped[_dt.datetime | None] = mapped_column("ug_expiry", DateTime)

    user: Mapped[User] = relationship(back_populates="groups")


class Actor(Base):
    """``actor``: who did something: a registered user (``user_id``) or an IP address."""

    __tablename__ = "actor"
    #: ids are never reused (MediaWiki relies on it), also on SQLite
    __table_args__ = {"sqlite_autoincrement": True}

    actor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        "actor_user", ForeignKey("user.user_id"), unique=True)
    name: Mapped[str] = mapped_column("actor_name", String(255), unique=True, nullable=False)

    user: Mapped[User | None] = relationship(lazy="select")

    def __repr__(self) -> str:
        return f"<Actor {self.actor_id} {self.name!r}>"


class BotPassword(Base):
    """``bot_passwords``: per-application passwords (``User@app``) for API clients such as
    pywikibot. ``password`` is an argon2 hash; ``grants`` and ``restrictions`` are JSON text
    as in MediaWiki."""

    __tablename__ = "bot_passwords"

    user_id: Mapped[int] = mapped_column(
        "bp_user", ForeignKey("user.user_id", ondelete="CASCADE"), primary_key=True)
    app_id: Mapped[str] = mapped_column("bp_app_id", String(32), primary_key=True)
    password: Mapped[str] = mapped_column("bp_password", SaText, nullable=False)
    token: Mapped[str] = mapped_column("bp_token", String(32), default="")
    restrictions: Mapped[str] = mapped_column("bp_restrictions", SaText, default="{}")
    grants: Mapped[str] = mapped_column("bp_grants", SaText, default="[]")


class Watchlist(Base):
    """``watchlist``: pages a user watches (subject and talk page are both listed, as in
    MediaWiki). ``expiry`` replaces the ``watchlist_expiry`` table."""

    __tablename__ = "watchlist"
    __table_args__ = (
        UniqueConstraint("wl_user", "wl_namespace", "wl_title", name="uq_watchlist_user"),
        Index("ix_watchlist_namespace_title", "wl_namespace", "wl_title"),
    )

    wl_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        "wl_user", ForeignKey("user.user_id", ondelete="CASCADE"), nullable=False)
    namespace: Mapped[int] = mapped_column("wl_namespace", Integer, nullable=False)
    title: Mapped[str] = mapped_column("wl_title", String(255), nullable=False)
    notificationtimestamp: Mapped[_dt.datetime | None] = mapped_column(
        "wl_notificationtimestamp", DateTime)
    expiry: Mapped[_dt.datetime | None] = mapped_column("wl_expiry", DateTime)
