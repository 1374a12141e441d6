"""wikiengine.parser: MediaWiki 1.39's wikitext parser, ported to Python. PURE (no I/O).

Public entry points: ``parse(text, title, source, options, site) -> ParserOutput`` and
``render_html(text, title, pages, site) -> str``. Phase 1 (``preprocess.expand``) expands
templates; phase 2 (``render``) turns the expanded wikitext into HTML.
"""
from __future__ import annotations

from typing import Any

from .context import ParseContext, ParserHooks, ParserOptions
from .output import PARSER_VERSION, ParserOutput
from .site import SiteConfig
from .source import DictPageSource, FileInfo, PageInfo, PageSource
from .strip import StripState

__all__ = [
    "parse", "render_html", "make_context", "ParseContext", "ParserHooks", "ParserOptions",
    "ParserOutput", "PARSER_VERSION", "SiteConfig", "DictPageSource", "FileInfo", "PageInfo",
    "PageSource", "StripState",
]


def _as_title(title: Any, site: SiteConfig) -> Any:
    from wikiengine.title import InvalidTitle, Title
    if isinstance(title, Title):
        return title
    text = str(title)
    if "&" in text:  # entities need their ";" (Sanitizer::decodeCharReferences), decode once
        from .sanitizer import decode_char_references
        text = decode_char_references(text).replace("&", "&amp;")
    try:
        return Title.new(text, site.namespaces)
    except InvalidTitle:
        return Title.new("Badtitle/Parser", site.namespaces)


def make_context(
    title: Any,
    source: PageSource,
    options: ParserOptions | None = None,
    site: SiteConfig | None = None,
    hooks: ParserHooks | None = None,
) -> ParseContext:
    """A fresh ParseContext for parsing one page."""
    site = site or SiteConfig.default()
    hooks = hooks or ParserHooks()
    from .render_coretags import default_tag_hooks
    for name, fn in default_tag_hooks().items():
        hooks.tags.setdefault(name, fn)
    return ParseContext(
        title=_as_title(title, site), source=source, site=site,
        options=options or ParserOptions(), hooks=hooks,
    )


def expand(text: str, ctx: ParseContext) -> str:
    """Phase 1 (PREPROCESS's ``preprocess.expand``) when it is available."""
    try:
        from . import preprocess
    except ImportError:
        return text
    fn = getattr(preprocess, "expand", None)
    if fn is None:
        return text
    # behaviour switches are handled after the tables, as Parser::internalParse does
    # (render.internal_parse), so "__NOTOC__!!" in a table row still splits the cell
    return fn(text, ctx, double_underscores=False)


def parse_context(text: str, ctx: ParseContext) -> ParserOutput:
    """Run both phases with an existing context and return its ParserOutput.

    A redirect page (``#REDIRECT [[Target]]``) records its target in ``output.redirect``
    and, as MediaWiki's WikitextContentHandler, shows the "Redirect to:" box followed by
    whatever follows the redirect link.
    """
    from .render import redirect_header, render_document
    target = None
    if text[:40].lstrip().startswith("#"):
        try:
            from .preprocess import redirect_target
        except ImportError:
            redirect_target = None  # type: ignore[assignment]
        if redirect_target is not None:
            target = redirect_target(text, ctx)
        if target is not None:
            ctx.output.redirect = target
            end = text.find("]]")
            text = text[end + 2:] if end != -1 else ""
    ctx.ext_state["orig_text"] = text  # formatHeadings measures section offsets in it
    expanded = expand(text, ctx)
    html = render_document(expanded, ctx)
    if target is not None:
        html = redirect_header(target, ctx) + html
        if ctx.options.wrap and html.startswith("<div class=\"redirectMsg\">"):
            inner = html.split('<div class="mw-parser-output">', 1)
            if len(inner) == 2:
                html = '<div class="mw-parser-output">' + inner[0] + inner[1]
    ctx.output.html = html
    return ctx.output


def parse(
    text: str,
    title: Any,
    source: PageSource,
    options: ParserOptions | None = None,
    site: SiteConfig | None = None,
    hooks: ParserHooks | None = None,
) -> ParserOutput:
    """Parse wikitext of page ``title`` into a ParserOutput (HTML plus link tables data)."""
    ctx = make_context(title, source, options, site, hooks)
    return parse_context(text, ctx)


def render_html(
    text: str,
    title: Any = "Main Page",
    pages: dict[str, str] | None = None,
    site: SiteConfig | None = None,
) -> str:
    """HTML body (no mw-parser-output wrapper) of ``text``; ``pages`` are the existing pages."""
    site = site or SiteConfig.default()
    source = DictPageSource(pages or {}, namespaces=site.namespaces)
    return parse(text, title, source, site=site).html
