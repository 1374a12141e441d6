"""Helpers shared by the extensions: re-parsing a tag's wikitext as MediaWiki's
``Parser::recursiveTagParse`` does (templates expanded in the tag's frame, inline wikitext
rendered, links resolved in one batch), and building HTML attributes safely.
"""
from __future__ import annotations

import html
from typing import Any


def recursive_tag_parse(ctx: Any, text: str, frame: Any = None) -> str:
    """Half-parsed HTML of ``text`` (no paragraphs: the page's block pass adds them)."""
    from wikiengine.parser.frame import Frame
    from wikiengine.parser.links import LinkHolders
    from wikiengine.parser.preprocess import expand, get_state
    from wikiengine.parser.render import internal_parse

    if frame is None:
        frame = Frame(get_state(ctx), ctx.title)
    expanded = expand(text, ctx, frame=frame, double_underscores=False)
    holders = LinkHolders(ctx)
    return holders.replace(internal_parse(expanded, ctx, holders, False))


def attributes(attrs: dict[str, Any]) -> str:
    """`` name="value"`` pairs, values escaped; None values are left out."""
    return "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items()
                   if v is not None)


def first_use(ctx: Any, key: str) -> bool:
    """True the first time ``key`` is asked for in this parse (assets added once per page)."""
    used = ctx.ext_state.setdefault("assets", set())
    if key in used:
        return False
    used.add(key)
    return True


def recursive_tag_parse_fully(ctx: Any, text: str, frame: Any = None) -> str:
    """Fully parsed HTML of ``text`` (paragraphs included), as the parser's core tags do
    for gallery captions (``Parser::recursiveTagParseFully``)."""
    from wikiengine.parser import render
    from wikiengine.parser.frame import Frame
    from wikiengine.parser.preprocess import expand, get_state

    if frame is None:
        frame = Frame(get_state(ctx), ctx.title)
    expanded = expand(text, ctx, frame=frame, double_underscores=False)
    return render.recursive_tag_parse_fully(expanded, ctx)
