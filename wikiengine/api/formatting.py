"""Small value formatters shared by API modules.

Owns the API's timestamp form, hexadecimal SHA-1 from the stored base-36 value, the HTML of
an edit summary (``parsedcomment``: escaped, ``[[links]]`` and ``/* section */`` rendered as
MediaWiki's ``Linker::formatComment`` does) and page/file URLs.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any
from urllib.parse import quote

from flask import current_app

_LINK = re.compile(r"\[\[:?([^\]|]+)(?:\|([^\]]*))?\]\]")
_AUTO = re.compile(r"/\*\s*(.*?)\s*\*/")


def api_time(value: _dt.datetime | None) -> str:
    """``2026-11-25T19:50:57Z`` (``infinity`` for a missing expiry)."""
    if value is None:
        return "infinity"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def mw_time(value: _dt.datetime) -> str:
    return value.strftime("%Y%m%d%H%M%S")


def sha1_hex(base36: str | None) -> str:
    """MediaWiki stores SHA-1 in base 36; the API shows 40 hex digits."""
    if not base36:
        return ""
    try:
        return format(int(base36, 36), "040x")
    except ValueError:
        return ""


def wiki_url(prefixed_dbkey: str) -> str:
    path = current_app.config.get("ARTICLE_PATH", "/wiki/$1")
    return path.replace("$1", quote(prefixed_dbkey.replace(" ", "_"), safe=";@$!*(),/~:"))


def index_url(prefixed_dbkey: str, query: str) -> str:
    script = current_app.config.get("SCRIPT_PATH", "/w")
    key = quote(prefixed_dbkey.replace(" ", "_"), safe=";@$!*(),/~:")
    return f"{script}/index.php?title={key}&{query}"


def escape(text: str) -> str:
    """``htmlspecialchars`` as MediaWiki calls it (``&quot;`` and ``&#039;``)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#039;"))


def parsed_comment(comment: str, title_text: str = "") -> str:
    """The HTML of an edit summary."""
    out: list[str] = []
    pos = 0
    text = comment or ""
    for m in _AUTO.finditer(text):
        out.append(_links(text[pos:m.start()]))
        section = m.group(1)
        anchor = quote(section.replace(" ", "_"), safe="")
        link = wiki_url(title_text) + "#" + anchor if title_text else "#" + anchor
        out.append(f'<span dir="auto"><span class="autocomment"><a href="{escape(link)}">'
                   f'\u2192{escape(section)}</a></span></span>')
        pos = m.end()
    out.append(_links(text[pos:]))
    return "".join(out)


def _links(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(escape(text[pos:m.start()]))
        target = m.group(1).strip()
        label = m.group(2) if m.group(2) is not None else target
        out.append(f'<a href="{escape(wiki_url(target))}" title="{escape(target)}">'
                   f'{escape(label)}</a>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def actor_fields(ctx: Any, target: dict[str, Any], actor: Any, name: bool = True,
                 userid: bool = True) -> None:
    """``user``/``userid``/``anon`` of an actor row."""
    if actor is None:
        return
    if name:
        target["user"] = actor.name
    if userid:
        target["userid"] = actor.user_id or 0
    if actor.user_id is None:
        ctx.flag(target, "anon", True)
