"""Shared column helpers for the models: UTC timestamps and the ``Base`` re-export.

MediaWiki stores timestamps as 14-character strings (``YYYYMMDDHHMMSS``, UTC); we store naive
UTC ``DateTime`` values with microseconds (ordering within a second stays stable) and format
them at the edges (API, dumps, views).
"""
from __future__ import annotations

import datetime as _dt

from wikiengine.db import Base

__all__ = ["Base", "utcnow", "mw_timestamp", "INFINITY"]

#: MediaWiki writes "infinity" for expiries that never end; we store NULL and show this word.
INFINITY = "infinity"


def utcnow() -> _dt.datetime:
    """The current time, naive UTC (what every timestamp column holds)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def mw_timestamp(value: _dt.datetime | None) -> str:
    """MediaWiki's ``TS_MW`` form (``20240131235959``) of a stored timestamp."""
    if value is None:
        return INFINITY
    return value.strftime("%Y%m%d%H%M%S")
