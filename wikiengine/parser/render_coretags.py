"""Core tag hooks other than <nowiki>/<pre>: <gallery> and <indicator>.

Ports CoreTagHooks::indicator (REL1_39); <gallery> (CoreTagHooks::gallery, every mode) is
gallery.py's. They are registered on every parse (``default_tag_hooks``) unless the caller's
hooks override them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .gallery import gallery_hook

if TYPE_CHECKING:
    from .context import ParseContext

_ERROR = '<span class="error"><strong>Error:</strong> {}</span>'


def expand(text: str, ctx: "ParseContext", frame: Any) -> str:
    """Tag content with its templates and variables expanded (in ``frame`` when given)."""
    from . import preprocess
    if frame is None:
        return preprocess.expand(text, ctx, double_underscores=False)
    return preprocess.expand(text, ctx, frame=frame, double_underscores=False)


def parse_half(text: str, ctx: "ParseContext", frame: Any) -> str:
    """Tag content expanded and half-parsed, its links resolved (Parser::recursiveTagParse:
    no paragraphs, the page's block pass adds them)."""
    from .links import LinkHolders
    from .render import internal_parse
    holders = LinkHolders(ctx)
    return holders.replace(internal_parse(expand(text, ctx, frame), ctx, holders, False))


def parse_fully(text: str, ctx: "ParseContext", frame: Any) -> str:
    """Tag content expanded and fully parsed (Parser::recursiveTagParseFully)."""
    from .render import recursive_tag_parse_fully
    return recursive_tag_parse_fully(expand(text, ctx, frame), ctx)


def indicator_hook(content: Any, attrs: dict, ctx: "ParseContext", frame: Any) -> str:
    name = (attrs.get("name") or "").strip()
    if name == "":
        return _ERROR.format("Page status indicators' <code>name</code> attribute must not "
                             "be empty.")
    html = parse_fully(content or "", ctx, frame).strip()
    ctx.output.indicators[name] = html
    return ""


def default_tag_hooks() -> dict:
    return {"gallery": gallery_hook, "indicator": indicator_hook}
