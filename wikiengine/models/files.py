"""Uploaded files: ``image`` (current version), ``oldimage`` (previous versions),
``filearchive`` (deleted versions).

Differences from MediaWiki: descriptions are inline text (no ``comment`` table);
``img_metadata`` is JSON text; ``fa_storage_key`` names the file in the instance's deleted
files folder.
"""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import (DateTime, ForeignKey, Index, Integer, SmallInteger, String,
                        Text as SaText)
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, utcnow


class Image(Base):
    """``image``: the current version of the file ``name`` (dbkey without ``File:``)."""

    __tablename__ = "image"
    __table_args__ = (
        Index("ix_image_actor_timestamp", "img_actor", "img_timestamp"),
        Index("ix_image_sha1", "img_sha1"),
        Index("ix_image_timestamp", "img_timestamp"),
    )

    name: Mapped[str] = mapped_column("img_name", String(255), primary_key=True)
    size: Mapped[int] = mapped_column("img_size", Integer, default=0)
    width: Mapped[int] = mapped_column("img_width", Integer, default=0)
    height: Mapped[int] = mapped_column("img_height", Integer, default=0)
    metadata_json: Mapped[str] = mapped_column("img_metadata", SaText, default="{}")
    bits: Mapped[int] = mapped_column("img_bits", Integer, default=0)
    media_type: Mapped[str] = mapped_column("img_media_type", String(16), default="UNKNOWN")
    major_mime: Mapped[str] = mapped_column("img_major_mime", String(16), default="unknown")
    minor_mime: Mapped[str] = mapped_column("img_minor_mime", String(100), default="unknown")
    description: Mapped[str] = mapped_column("img_description", SaText, default="")
    actor_id: Mapped[int] = mapped_column("img_actor", ForeignKey("actor.actor_id"), nullable=False)
    timestamp: Mapped[_dt.datetime] = mapped_column("img_timestamp", DateTime, default=utcnow)
    sha1: Mapped[str] = mapped_column("img_sha1", String(32), default="")


class OldImage(Base):
    """``oldimage``: a previous version of a file; ``archive_name`` is its stored name."""

    __tablename__ = "oldimage"
    __table_args__ = (Index("ix_oldimage_name_timestamp", "oi_name", "oi_timestamp"),)

    oi_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column("oi_name", String(255), nullable=False)
    archive_name: Mapped[str] = mapped_column("oi_archive_name", String(255), default="")
    size: Mapped[int] = mapped_column("oi_size", Integer, default=0)
    width: Mapped[int] = mapped_column("oi_width", Integer, default=0)
    height: Mapped[int] = mapped_column("oi_height", Integer, default=0)
    bits: Mapped[int] = mapped_column("oi_bits", Integer, default=0)
    description: Mapped[str] = mapped_column("oi_description", SaText, default="")
    actor_id: Mapped[int] = mapped_column("oi_actor", ForeignKey("actor.actor_id"), nullable=False)
    timestamp: Mapped[_dt.datetime] = mapped_column("oi_timestamp", DateTime, default=utcnow)
    metadata_json: Mapped[str] = mapped_column("oi_metadata", SaText, default="{}")
    media_type: Mapped[str] = mapped_column("oi_media_type", String(16), default="UNKNOWN")
    major_mime: Mapped[str] = mapped_column("oi_major_mime", String(16), default="unknown")
    minor_mime: Mapped[str] = mapped_column("oi_minor_mime", String(100), default="unknown")
    deleted: Mapped[int] = mapped_column("oi_deleted", SmallInteger, default=0)
    sha1: Mapped[str] = mapped_column("oi_sha1", String(32), default="")


class FileArchive(Base):
    """``filearchive``: a deleted file version, restorable from ``storage_key``."""

    __tablename__ = "filearchive"
    __table_args__ = (Index("ix_filearchive_name_timestamp", "fa_name", "fa_timestamp"),)

    fa_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column("fa_name", String(255), nullable=False)
    archive_name: Mapped[str | None] = mapped_column("fa_archive_name", String(255))
    storage_group: Mapped[str | None] = mapped_column("fa_storage_group", String(16))
    storage_key: Mapped[str] = mapped_column("fa_storage_key", String(64), default="")
    deleted_user: Mapped[int | None] = mapped_column("fa_deleted_user", Integer)
    deleted_timestamp: Mapped[_dt.datetime | None] = mapped_column(
        "fa_deleted_timestamp", DateTime, default=utcnow)
    deleted_reason: Mapped[str] = mapped_column("fa_deleted_reason", SaText, default="")
    size: Mapped[int] = mapped_column("fa_size", Integer, default=0)
    width: Mapped[int] = mapped_column("fa_width", Integer, default=0)
    height: Mapped[int] = mapped_column("fa_height", Integer, default=0)
    metadata_json: Mapped[str] = mapped_column("fa_metadata", SaText, default="{}")
    bits: Mapped[int] = mapped_column("fa_bits", Integer, default=0)
    media_type: Mapped[str] = mapped_column("fa_media_type", String(16), default="UNKNOWN")
    major_mime: Mapped[str] = mapped_column("fa_major_mime", String(16), default="unknown")
    minor_mime: Mapped[str] = mapped_column("fa_minor_mime", String(100), default="unknown")
    description: Mapped[str] = mapped_column("fa_description", SaText, default="")
    actor_id: Mapped[int] = mapped_column("fa_actor", ForeignKey("actor.actor_id"), nullable=False)
    timestamp: Mapped[_dt.datetime | None] = mapped_column("fa_timestamp", DateTime)
    deleted: Mapped[int] = mapped_column("fa_deleted", SmallInteger, default=0)
    sha1: Mapped[str] = mapped_column("fa_sha1", String(32), default="")
