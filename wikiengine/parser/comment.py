"""Edit summaries: Linker::formatComment (autocomments ``/* section */`` and [[links]]).

Used for the parser tests' ``comment`` mode and by the history/recent-changes views.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING

from wikiengine.namespaces import FILE

from .links import (make_broken_link, make_known_link, make_link_title, make_media_link,
                    normalize_subpage_link, split_trail, title_url)
from .sanitizer import decode_char_references, htmlspecialchars

if TYPE_CHECKING:
    from .context import ParseContext

_AUTO = re.compile(r"(?:(?<=(.)))?/\*\s*(.*?)\s*\*/(?:(?=(.)))?", re.S)
_LINK = re.compile(r"\[\[\s*:?([^\[\]|]+)(?:\|((?:\]?[^\]])*))?\]\]([^\[]*)", re.S)
_MEDIA = re.compile(r"^(?:media):(.*)$", re.I | re.S)
_ARROW = "\u2192\u200e"


def _link(ctx: "ParseContext", t, text: str, noclasses: bool = False) -> str:
    if not t.dbkey and not t.interwiki:
        return f'<a href="{htmlspecialchars(title_url(ctx, t))}">{text}</a>'
    if t.interwiki:
        from .links import make_interwiki_link
        return make_interwiki_link(ctx, t, text)
    if noclasses or ctx.title_exists(t) or (t.namespace == ctx.title.namespace
                                            and t.dbkey == ctx.title.dbkey):
        return make_known_link(ctx, t, text)
    return make_broken_link(ctx, t, text)


def _format_autocomments(comment: str, ctx: "ParseContext", local: bool) -> str:
    append = []

    def repl(m: re.Match[str]) -> str:
        pre = m.group(1) is not None
        post = m.group(3) is not None
        auto = m.group(2)
        section = auto.replace("[[:", "").replace("[[", "").replace("]]", "")
        section_text = auto.replace("[", "&#91;").replace("]", "&#93;")
        from .headings import _normalize_section_name
        section = _normalize_section_name(decode_char_references(
            re.sub(r"[ _]+", " ", section).strip()))
        if section:
            t = ctx.title.with_fragment(section)
            if local:
                t = type(ctx.title)(0, "", section, "", ctx.site.namespaces)
            auto = _link(ctx, t, _ARROW + section_text, noclasses=True)
        if pre:
            auto = "-&#32;" + auto
        if post:
            auto += ": "
        if auto:
            auto = '<span dir="auto"><span class="autocomment">' + auto + "</span>"
            append.append("</span>")
        return auto

    out = _AUTO.sub(repl, comment, count=1)
    return out + "".join(append)


def _format_links(comment: str, ctx: "ParseContext", local: bool) -> str:
    def repl(m: re.Match[str]) -> str:
        target = m.group(1)
        if "%" in target:
            target = urllib.parse.unquote(target).replace("<", "&lt;").replace(">", "&gt;")
        text = m.group(2) if m.group(2) else target
        mm = _MEDIA.match(target)
        if mm:
            t, _ = make_link_title(ctx, "File:" + mm.group(1))
            if t is None or t.namespace != FILE:
                return m.group(0)
            return make_media_link(ctx, t, text) + m.group(3)
        target = target.lstrip(":")
        if not target:
            return m.group(0)
        inside, trail = split_trail(m.group(3), ctx.site.language)
        link_text = text
        if ctx.title.has_subpages:
            target, new_text = normalize_subpage_link(ctx.title, target, None if m.group(2) else "")
            if not m.group(2) and new_text:
                link_text = new_text
        t, _ = make_link_title(ctx, target)
        if t is None:
            return m.group(0)
        if not t.dbkey and not t.interwiki and not local:
            t = ctx.title.with_fragment(t.fragment)
        return _link(ctx, t, link_text + inside) + trail

    return _LINK.sub(repl, comment)


def format_comment(comment: str, ctx: "ParseContext", local: bool = False) -> str:
    """HTML of an edit summary: entities kept, HTML escaped, autocomments and links made."""
    comment = comment.replace("\n", " ")
    comment = htmlspecialchars(decode_char_references(comment))
    comment = _format_autocomments(comment, ctx, local)
    return _format_links(comment, ctx, local)
