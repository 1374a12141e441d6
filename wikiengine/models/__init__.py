"""Typed SQLAlchemy models named after MediaWiki's tables (see each class's docstring for the
table it mirrors and what differs). Importing this package registers every table on
``wikiengine.db.Base.metadata`` (Alembic reads it there).
"""
from __future__ import annotations

from ._base import INFINITY, Base, mw_timestamp, utcnow
from .cache import ParserCacheEntry
from .changes import (RC_EDIT, RC_LOG, RC_NEW, SRC_EDIT, SRC_LOG, SRC_NEW, LogEntry,
                      RecentChange)
from .files import FileArchive, Image, OldImage
from .links import (Category, CategoryLink, ExternalLink, ImageLink, IwLink, LangLink,
                    PageLink, PageProp, TemplateLink)
from .page import Archive, Content, Page, Redirect, Revision, Text
from .restrictions import Block, PageRestriction, ProtectedTitle
from .users import Actor, BotPassword, User, UserGroup, Watchlist

__all__ = [
    "Base", "utcnow", "mw_timestamp", "INFINITY",
    "Page", "Revision", "Content", "Text", "Archive", "Redirect",
    "User", "UserGroup", "Actor", "BotPassword", "Watchlist",
    "RecentChange", "LogEntry", "RC_EDIT", "RC_NEW", "RC_LOG", "SRC_EDIT", "SRC_NEW", "SRC_LOG",
    "PageRestriction", "ProtectedTitle", "Block",
    "PageLink", "TemplateLink", "CategoryLink", "Category", "ExternalLink", "LangLink",
    "IwLink", "ImageLink", "PageProp",
    "Image", "OldImage", "FileArchive", "ParserCacheEntry",
]
