"""The parser cache table ``parser_cache`` (MediaWiki keeps it in ``objectcache``).

One row per (page, revision, options hash, parser version); ``value`` is the JSON form of a
ParserOutput; ``cached`` is compared with ``page.touched`` to decide validity.
"""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text as SaText
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, utcnow


class ParserCacheEntry(Base):
    """``parser_cache``: a rendered revision. ``key`` joins page, revision, options hash and
    PARSER_VERSION, so a version bump or an option change simply misses."""

    __tablename__ = "parser_cache"
    __table_args__ = (Index("ix_parser_cache_page", "pc_page"),)

    key: Mapped[str] = mapped_column("pc_key", String(255), primary_key=True)
    page_id: Mapped[int] = mapped_column(
        "pc_page", ForeignKey("page.page_id", ondelete="CASCADE"), nullable=False)
    rev_id: Mapped[int] = mapped_column("pc_rev", Integer, nullable=False)
    cached: Mapped[_dt.datetime] = mapped_column("pc_time", DateTime, default=utcnow)
    value: Mapped[str] = mapped_column("pc_value", SaText, nullable=False)
