"""Errors raised by the store; views and the API turn them into messages with MediaWiki's
error codes (``code``), never into a 500.
"""
from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base class: ``code`` is MediaWiki's API error code, ``message`` an English sentence."""

    code = "internal"

    def __init__(self, message: str = "", code: str | None = None, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.message = message or self.code
        self.params = params
        super().__init__(self.message)


class PermissionDenied(StoreError):
    """The user may not do this (``permissiondenied``, ``protectedpage``, ``blocked``,
    ``cantcreate``, ``readapidenied``, …). ``params`` may hold ``block`` or ``level``."""

    code = "permissiondenied"

    def __init__(self, code: str = "permissiondenied", message: str = "", **params: Any) -> None:
        super().__init__(message or code, code=code, **params)


class EditConflict(StoreError):
    """Someone saved the page since ``base``: the three texts and the current revision let
    the edit-conflict screen show both versions and a diff. ``current_rev_id``
    and ``current_timestamp`` stay usable after the caller rolled back and closed its
    session (the revision object is then expired)."""

    code = "editconflict"

    def __init__(self, base: str, current: str, proposed: str, current_revision: Any,
                 message: str = "Edit conflict.") -> None:
        super().__init__(message)
        self.base = base
        self.current = current
        self.proposed = proposed
        self.current_revision = current_revision
        self.current_rev_id: int | None = getattr(current_revision, "rev_id", None)
        self.current_timestamp = getattr(current_revision, "timestamp", None)


class PageTooLarge(StoreError):
    """The text is larger than ``MAX_ARTICLE_SIZE`` bytes (``contenttoobig``)."""

    code = "contenttoobig"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The content you supplied exceeds the page size limit of {limit // 1024} kibibytes.",
            size=size, limit=limit)
        self.size = size
        self.limit = limit


class PageExists(StoreError):
    """The page already exists (``articleexists``): a create-only save or a move target."""

    code = "articleexists"


class MissingPage(StoreError):
    """The page does not exist (``missingtitle``)."""

    code = "missingtitle"


class NoSuchRevision(StoreError):
    """No revision with this id (``nosuchrevid``)."""

    code = "nosuchrevid"


class InvalidInput(StoreError):
    """Bad input the store refuses (``invalidtitle``, ``selfmove``, ``badexpiry``, …)."""

    code = "invalidinput"
