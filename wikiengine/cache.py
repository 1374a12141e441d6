"""The parser cache: rendered revisions in the ``parser_cache`` table.

Key: page id, revision id, a hash of the parser options that change the HTML, and
``PARSER_VERSION`` (conventions #11). An entry is valid only while it is newer than
``page.touched`` (bumped by edits, template edits and link-target creations/deletions) and,
for clock-dependent output, younger than its ``cache_expiry``.
Writes go through their own short transaction on a separate connection: filling the cache
from a page view never depends on (or blocks) the caller's transaction, and a failed cache
write only costs a re-parse later.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import logging
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from wikiengine.models import Page, ParserCacheEntry, utcnow
from wikiengine.title import Title

log = logging.getLogger(__name__)

#: ParserOptions fields that do not change the cached HTML (signatures only matter in PST).
_IGNORED_OPTIONS = {"user_name", "user_nickname", "user_fancy_sig", "is_pst",
                    "speculative_revision_id"}


def options_hash(options: Any) -> str:
    values = {k: v for k, v in dataclasses.asdict(options).items() if k not in _IGNORED_OPTIONS}
    blob = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:16]


def _extensions_key() -> str:
    """Which extensions (and versions) rendered the output: another set must miss."""
    try:
        from wikiengine import registry
    except ImportError:
        return "-"
    return registry.cache_key()


def cache_key(page_id: int, rev_id: int, options: Any) -> str:
    from wikiengine.parser.output import PARSER_VERSION

    return (f"{page_id}:{rev_id}:{options_hash(options)}:{_extensions_key()}:"
            f"{PARSER_VERSION}")[:255]


def _title_json(t: Any) -> list[Any] | None:
    if t is None:
        return None
    return [t.namespace, t.dbkey, getattr(t, "fragment", ""), getattr(t, "interwiki", "")]


def _title_from(data: list[Any] | None) -> Title | None:
    if data is None:
        return None
    from wikiengine.rendering import site_namespaces

    ns, dbkey, fragment, interwiki = data
    return Title(ns, dbkey, fragment, interwiki, site_namespaces())


def serialize(output: Any) -> str:
    """JSON form of a ParserOutput (titles as [namespace, dbkey, fragment, interwiki])."""
    data = {
        "html": output.html,
        "links": [_title_json(t) for t in output.links.values()],
        "templates": [_title_json(t) for t in output.templates.values()],
        "categories": output.categories,
        "images": list(output.images),
        "external_links": list(output.external_links),
        "language_links": output.language_links,
        "interwiki_links": output.interwiki_links,
        "properties": output.properties,
        "redirect": _title_json(output.redirect),
        "sections": output.sections,
        "limit_report": output.limit_report,
        "warnings": output.warnings,
        "indicators": output.indicators,
        "toc_html": output.toc_html,
        "display_title": output.display_title,
        "flags": sorted(output.flags),
        "modules": output.modules,
        "cache_expiry": getattr(output, "cache_expiry", None),
    }
    return json.dumps(data, ensure_ascii=False, default=str)


def deserialize(blob: str) -> Any:
    from wikiengine.parser.output import ParserOutput

    data = json.loads(blob)
    out = ParserOutput(html=data["html"])
    for field, target in (("links", out.links), ("templates", out.templates)):
        for item in data[field]:
            t = _title_from(item)
            assert t is not None
            target[t.prefixed_dbkey] = t
    out.categories = data["categories"]
    out.images = dict.fromkeys(data["images"])
    out.external_links = dict.fromkeys(data["external_links"])
    out.language_links = data["language_links"]
    out.interwiki_links = data["interwiki_links"]
    out.properties = data["properties"]
    out.redirect = _title_from(data["redirect"])
    out.sections = data["sections"]
    out.limit_report = data["limit_report"]
    out.warnings = data["warnings"]
    out.indicators = data["indicators"]
    out.toc_html = data["toc_html"]
    out.display_title = data["display_title"]
    out.flags = set(data["flags"])
    out.modules = data["modules"]
    out.cache_expiry = data.get("cache_expiry")
    return out


def get(session: Session, page: Page, rev_id: int, options: Any) -> Any:
    """The cached ParserOutput, or None when missing or older than ``page.touched``."""
    entry = session.get(ParserCacheEntry, cache_key(page.page_id, rev_id, options))
    if entry is None:
        return None
    # The page row the caller just read (a view loads it to find the revision): its
    # ``touched`` is as fresh as the cache entry read in the same request.
    touched = page.touched
    if touched is None or entry.cached <= touched:
        return None
    try:
        output = deserialize(entry.value)
    except (ValueError, KeyError, TypeError):
        return None
    # Clock-dependent output ({{CURRENTTIME}}, #time of now) expires after its TTL.
    if output.cache_expiry is not None and _aware(entry.cached) + _dt.timedelta(
            seconds=output.cache_expiry) <= _aware(utcnow()):
        return None
    return output


def _aware(moment: Any) -> Any:
    return moment.replace(tzinfo=_dt.timezone.utc) if moment.tzinfo is None else moment


def put(session: Session, page: Page, rev_id: int, options: Any, output: Any,
        parsed_at: Any = None) -> bool:
    """Store ``output`` on a separate short transaction; False when the database is busy.

    ``parsed_at`` is when the parse started: a page touched after it (a template saved during
    the parse) makes the entry stale at once."""
    key = cache_key(page.page_id, rev_id, options)
    value = serialize(output)
    engine = session.get_bind()
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            try:
                with conn.begin():
                    if sqlite:  # wait briefly for a writer, then give up (cache only)
                        conn.exec_driver_sql("PRAGMA busy_timeout = 2000")
                    conn.execute(delete(ParserCacheEntry).where(
                        (ParserCacheEntry.key == key) | (
                            (ParserCacheEntry.page_id == page.page_id)
                            & (ParserCacheEntry.rev_id != rev_id))))
                    conn.execute(ParserCacheEntry.__table__.insert().values(
                        pc_key=key, pc_page=page.page_id, pc_rev=rev_id,
                        pc_time=parsed_at or utcnow(), pc_value=value))
            finally:
                if sqlite:
                    conn.exec_driver_sql("PRAGMA busy_timeout = 30000")
                    conn.rollback()
    except SQLAlchemyError as exc:
        log.info("parser cache write skipped for %s: %s", key, exc)
        return False
    return True


def purge(session: Session, page_id: int | None = None) -> int:
    """Delete cached renderings of one page, or all; in the caller's transaction."""
    stmt = delete(ParserCacheEntry)
    if page_id is not None:
        stmt = stmt.where(ParserCacheEntry.page_id == page_id)
    return session.execute(stmt).rowcount or 0
