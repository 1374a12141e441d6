"""Link tables filled from a ParserOutput on save: ``pagelinks``, ``templatelinks``,
``categorylinks``, ``externallinks``, ``langlinks``, ``imagelinks``, ``iwlinks``,
``page_props``, and the ``category`` counts.

Differences from MediaWiki 1.39: ``templatelinks`` keeps ``tl_namespace``/``tl_title``
instead of a ``linktarget`` id; ``externallinks.el_index`` holds the reversed-host form of
1.39 but we keep only one index row per link; ``categorylinks.cl_sortkey`` is the
upper-cased sort key text (no ICU collation).
"""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text as SaText
from sqlalchemy.orm import Mapped, mapped_column

from ._base import Base, utcnow

_PAGE_FK = dict(ondelete="CASCADE")


class PageLink(Base):
    """``pagelinks``: page ``from_id`` links to ``namespace:title`` (existing or not)."""

    __tablename__ = "pagelinks"
    __table_args__ = (
        Index("ix_pagelinks_namespace_title_from", "pl_namespace", "pl_title", "pl_from"),
    )

    from_id: Mapped[int] = mapped_column(
        "pl_from", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    namespace: Mapped[int] = mapped_column("pl_namespace", Integer, primary_key=True)
    title: Mapped[str] = mapped_column("pl_title", String(255), primary_key=True)
    from_namespace: Mapped[int] = mapped_column("pl_from_namespace", Integer, default=0)


class TemplateLink(Base):
    """``templatelinks``: page ``from_id`` transcludes ``namespace:title``."""

    __tablename__ = "templatelinks"
    __table_args__ = (
        Index("ix_templatelinks_namespace_title_from", "tl_namespace", "tl_title", "tl_from"),
    )

    from_id: Mapped[int] = mapped_column(
        "tl_from", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    namespace: Mapped[int] = mapped_column("tl_namespace", Integer, primary_key=True)
    title: Mapped[str] = mapped_column("tl_title", String(255), primary_key=True)
    from_namespace: Mapped[int] = mapped_column("tl_from_namespace", Integer, default=0)


class CategoryLink(Base):
    """``categorylinks``: page ``from_id`` is in category ``to`` (dbkey without prefix).
    ``type`` is ``page``, ``subcat`` or ``file``; ``sortkey_prefix`` is what the page asked
    for (``[[Category:X|prefix]]`` or DEFAULTSORT), ``sortkey`` the key pages sort by."""

    __tablename__ = "categorylinks"
    __table_args__ = (
        Index("ix_categorylinks_to_type_sortkey", "cl_to", "cl_type", "cl_sortkey", "cl_from"),
        Index("ix_categorylinks_to_timestamp", "cl_to", "cl_timestamp"),
    )

    from_id: Mapped[int] = mapped_column(
        "cl_from", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    to: Mapped[str] = mapped_column("cl_to", String(255), primary_key=True)
    sortkey: Mapped[str] = mapped_column("cl_sortkey", String(255), default="")
    sortkey_prefix: Mapped[str] = mapped_column("cl_sortkey_prefix", String(255), default="")
    timestamp: Mapped[_dt.datetime] = mapped_column("cl_timestamp", DateTime, default=utcnow)
    collation: Mapped[str] = mapped_column("cl_collation", String(32), default="uppercase")
    type: Mapped[str] = mapped_column("cl_type", String(6), default="page")


class Category(Base):
    """``category``: member counts per category (pages, subcategories, files)."""

    __tablename__ = "category"

    cat_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column("cat_title", String(255), unique=True, nullable=False)
    pages: Mapped[int] = mapped_column("cat_pages", Integer, default=0)
    subcats: Mapped[int] = mapped_column("cat_subcats", Integer, default=0)
    files: Mapped[int] = mapped_column("cat_files", Integer, default=0)


class ExternalLink(Base):
    """``externallinks``: page ``from_id`` links to URL ``to``; ``index`` is the URL with
    the host reversed (``http://org.example.www./path``) for prefix searches."""

    __tablename__ = "externallinks"
    __table_args__ = (
        Index("ix_externallinks_from", "el_from"),
        Index("ix_externallinks_index", "el_index"),
    )

    el_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_id: Mapped[int] = mapped_column(
        "el_from", ForeignKey("page.page_id", **_PAGE_FK), nullable=False)
    to: Mapped[str] = mapped_column("el_to", SaText, nullable=False)
    index: Mapped[str] = mapped_column("el_index", String(767), default="")


class LangLink(Base):
    """``langlinks``: page ``from_id`` has an interlanguage link to ``lang:title``."""

    __tablename__ = "langlinks"
    __table_args__ = (Index("ix_langlinks_lang_title", "ll_lang", "ll_title"),)

    from_id: Mapped[int] = mapped_column(
        "ll_from", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    lang: Mapped[str] = mapped_column("ll_lang", String(35), primary_key=True)
    title: Mapped[str] = mapped_column("ll_title", String(255), default="")


class IwLink(Base):
    """``iwlinks``: page ``from_id`` links to ``prefix:title`` on another wiki."""

    __tablename__ = "iwlinks"
    __table_args__ = (Index("ix_iwlinks_prefix_title_from", "iwl_prefix", "iwl_title", "iwl_from"),)

    from_id: Mapped[int] = mapped_column(
        "iwl_from", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    prefix: Mapped[str] = mapped_column("iwl_prefix", String(32), primary_key=True)
    title: Mapped[str] = mapped_column("iwl_title", String(255), primary_key=True)


class ImageLink(Base):
    """``imagelinks``: page ``from_id`` shows file ``to`` (dbkey without ``File:``)."""

    __tablename__ = "imagelinks"
    __table_args__ = (Index("ix_imagelinks_to_from", "il_to", "il_from"),)

    from_id: Mapped[int] = mapped_column(
        "il_from", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    to: Mapped[str] = mapped_column("il_to", String(255), primary_key=True)
    from_namespace: Mapped[int] = mapped_column("il_from_namespace", Integer, default=0)


class PageProp(Base):
    """``page_props``: properties a parse set (``defaultsort``, ``displaytitle``,
    ``notoc``, ``hiddencat``…), names lower-case as in MediaWiki."""

    __tablename__ = "page_props"
    __table_args__ = (Index("ix_page_props_propname_page", "pp_propname", "pp_page"),)

    page_id: Mapped[int] = mapped_column(
        "pp_page", ForeignKey("page.page_id", **_PAGE_FK), primary_key=True)
    name: Mapped[str] = mapped_column("pp_propname", String(60), primary_key=True)
    value: Mapped[str] = mapped_column("pp_value", SaText, default="")
    sortkey: Mapped[float | None] = mapped_column("pp_sortkey", Float)
