"""Importing a dump's ``<logitem>``s into ``logging`` (MediaWiki's ``importLogItem``).

Owns turning a ``LogItemRecord`` into a ``LogEntry`` row and back: the log type must be one
this wiki knows (the API's ``list=logevents`` types), the target must be a valid title here,
``<params>`` (PHP-serialised, or MediaWiki's legacy newline-separated list) become the JSON
object ``log_params`` holds (``4::target`` -> ``target``), hidden parts become
``log_deleted`` bits. An item already present is skipped, as MediaWiki does (same type,
action, timestamp, target and params; for ``upload`` entries params aside, because storing
the file writes its own entry), so importing a dump twice adds nothing. No recent-changes
rows (MediaWiki's importer writes none for log items either). ``encode_params`` is the
inverse used by the exporter.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from typing import Any

import phpserialize

from .records import LogItemRecord

#: ``log_deleted`` bits (MediaWiki's LogPage::DELETED_*).
DELETED_ACTION, DELETED_COMMENT, DELETED_USER = 1, 2, 4
#: Longest ``<params>`` read (MediaWiki's own are a few hundred bytes).
MAX_PARAMS = 64 * 1024
#: Names of the positional values of MediaWiki's legacy (pre-1.19) newline-separated params.
LEGACY_NAMES = {
    "move": ("target", "noredir"), "block": ("duration", "flags"),
    "protect": ("description", "cascade"), "rights": ("oldgroups", "newgroups"),
    "merge": ("dest", "mergepoint"), "patrol": ("curid", "previd", "auto"),
}
_BOOLEAN = {"noredir", "cascade", "auto"}
#: MediaWiki's keys of the named values its log formatters read (``N:type:name``: the
#: message position and how to format the value), by log type.
MW_KEYS = {
    "move": {"target": "4::target", "noredir": "5::noredir"},
    "block": {"duration": "5::duration", "flags": "6::flags"},
    "protect": {"description": "4::description", "cascade": "5:bool:cascade"},
    "rights": {"oldgroups": "4::oldgroups", "newgroups": "5::newgroups"},
    "merge": {"dest": "4::dest", "mergepoint": "5::mergepoint"},
    "patrol": {"curid": "4::curid", "previd": "5::previd", "auto": "6::auto"},
    "newusers": {"userid": "4::userid"},
}
_MW_KEY = re.compile(r"^\d+:[a-z-]*:(.+)$")


def known_types() -> frozenset[str]:
    from wikiengine.api.lists_changes import LOG_TYPES

    return frozenset(t for t in LOG_TYPES if t)


def _plain(value: Any) -> Any:
    """phpserialize's values as JSON ones: dicts keyed 0..n-1 become lists."""
    if isinstance(value, dict):
        if list(value) == list(range(len(value))):
            return [_plain(v) for v in value.values()]
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def decode_params(raw: str, log_type: str) -> dict[str, Any]:
    """``<params>`` as a JSON-able dict, or ``ValueError`` saying why it cannot be read."""
    if len(raw) > MAX_PARAMS:
        raise ValueError(f"<params> longer than {MAX_PARAMS} characters")
    text = raw.strip()
    if not text:
        return {}
    if text.startswith("a:") and text.endswith("}"):
        try:
            value = phpserialize.loads(text.encode("utf-8"), decode_strings=True)
        except (ValueError, RecursionError, UnicodeDecodeError, IndexError) as exc:
            raise ValueError(f"unreadable PHP-serialised <params> ({exc})") from None
        if not isinstance(value, dict):
            raise ValueError("<params> is not a PHP array")
        params: dict[str, Any] = {}
        for key, item in value.items():
            match = _MW_KEY.match(str(key))
            name = match.group(1) if match else str(key)
            item = _plain(item)
            if name in _BOOLEAN and isinstance(item, str) and item in ("0", "1", ""):
                item = item == "1"
            params[name] = item
        return params
    lines = raw.split("\n")
    names = LEGACY_NAMES.get(log_type, ())
    params = {}
    for index, line in enumerate(lines):
        name = names[index] if index < len(names) else str(index)
        params[name] = (line == "1") if name in _BOOLEAN else line
    return params


def encode_params(params: dict[str, Any], log_type: str) -> str:
    """``log_params`` as MediaWiki writes them in dumps: a PHP-serialised array whose keys
    carry the message position (``4::target``, ``6::flags``) for the values MediaWiki's
    formatters of ``log_type`` read that way (``MW_KEYS``)."""
    if not params:
        return ""
    keys = MW_KEYS.get(log_type, {})
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif value is None:
            value = ""
        elif isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        out[keys.get(key, key)] = value
    return phpserialize.dumps(out, charset="utf-8").decode("utf-8")


@dataclass
class LogRow:
    """A log item accepted for import, with the values of its ``logging`` row."""

    record: LogItemRecord
    timestamp: _dt.datetime
    namespace: int
    title: str
    actor_name: str
    params: str
    deleted: int

    def key(self) -> tuple:
        params = "" if self.record.type == "upload" else self.params
        return (self.record.type, self.record.action, self.timestamp, self.namespace,
                self.title, params)


def deleted_bits(item: LogItemRecord) -> int:
    return (DELETED_ACTION if item.action_deleted else 0) | (
        DELETED_COMMENT if item.comment_deleted else 0) | (
        DELETED_USER if item.contributor.deleted else 0)


def write_log_rows(session: Any, rows: list[LogRow], actor_ids: dict[str, int]) -> int:
    """Insert the rows not present yet (nor earlier in ``rows``); returns how many were
    written. The caller commits."""
    from sqlalchemy import and_, insert, or_, select, tuple_

    from wikiengine.models import LogEntry, Page

    # dumps give seconds; entries written here may carry microseconds
    stamps = sorted({row.timestamp for row in rows})
    second = _dt.timedelta(seconds=1)
    present: set[tuple] = set()
    for start in range(0, len(stamps), 100):
        chunk = stamps[start:start + 100]
        for found in session.execute(
                select(LogEntry.type, LogEntry.action, LogEntry.timestamp, LogEntry.namespace,
                       LogEntry.title, LogEntry.params)
                .where(or_(*[and_(LogEntry.timestamp >= stamp,
                                  LogEntry.timestamp < stamp + second) for stamp in chunk]))):
            params = "" if found.type == "upload" else found.params
            present.add((found.type, found.action, found.timestamp.replace(microsecond=0),
                         found.namespace, found.title, params))
    pages: dict[tuple[int, str], int] = {}
    targets = sorted({(row.namespace, row.title) for row in rows})
    for start in range(0, len(targets), 300):
        pages.update(((ns, title), page_id) for page_id, ns, title in session.execute(
            select(Page.page_id, Page.namespace, Page.title).where(
                tuple_(Page.namespace, Page.title).in_(targets[start:start + 300]))))
    values = []
    for row in rows:
        key = row.key()
        if key in present:
            continue
        present.add(key)
        rec = row.record
        values.append({
            "type": rec.type, "action": rec.action, "timestamp": row.timestamp,
            "actor_id": actor_ids[row.actor_name], "namespace": row.namespace,
            "title": row.title, "page_id": pages.get((row.namespace, row.title)),
            "comment": "" if rec.comment_deleted else (rec.comment or ""),
            "params": row.params, "deleted": row.deleted})
    if values:
        session.execute(insert(LogEntry), values)
    return len(values)
