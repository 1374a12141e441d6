"""Phase 2: render expanded wikitext to HTML (Parser::internalParse and what follows).

Order of MediaWiki's passes: sanitizer, tables, horizontal rules, behaviour switches,
headings, internal links, quotes, external links, magic links, heading anchors/TOC; then
unstrip, block levels (paragraphs, lists, pre), link holders (one existence lookup),
unstrip, character references, tidy, and ParserOutput::getText's edit links and TOC.
"""
from __future__ import annotations

import re

from .blocklevel import do_block_levels
from .context import ParseContext
from .headings import (TOC_PLACEHOLDER, do_headings, finalize_toc, format_headings,
                       replace_edit_sections)
from .links import NOPARSE, LinkHolders, replace_internal_links
from .quotes import do_all_quotes
from .render_extlinks import do_magic_links, replace_external_links
from .render_i18n import msg
from .sanitizer import normalize_char_references, remove_html_tags
from .tables import do_table_stuff
from .tidy import armor_french_spaces, tidy

_HR = re.compile(r"(^|\n)-----*")
DOUBLE_UNDERSCORES = ("notoc", "nogallery", "forcetoc", "toc", "noeditsection",
                      "newsectionlink", "nonewsectionlink", "hiddencat", "index", "noindex",
                      "staticredirect", "nocontentconvert", "nocc", "notitleconvert", "notc",
                      "expectunusedcategory", "expected_unconnected_page", "disambig")
_DU_RE = re.compile(r"__(" + "|".join(d for d in DOUBLE_UNDERSCORES) + r")__", re.I)
_DU_ALIAS = {"nocc": "nocontentconvert", "notc": "notitleconvert"}


_RAW_TEXT = re.compile(r"(<(script|style)\b[^>]*>.*?</\2\s*>)", re.I | re.S)


def _normalize_refs_outside_raw_text(text: str) -> str:
    """Sanitizer::normalizeCharReferences, leaving <script>/<style> content alone (T406391)."""
    if "<script" not in text and "<style" not in text:
        return normalize_char_references(text)
    parts = _RAW_TEXT.split(text)
    out = []
    for i, part in enumerate(parts):
        k = i % 3
        if k == 0:
            out.append(normalize_char_references(part))
        elif k == 1:
            out.append(part)
    return "".join(out)


def do_double_underscore(text: str, ctx: ParseContext) -> str:
    """Record and remove __NOTOC__ & co; the first __TOC__ becomes the TOC placeholder."""
    if "__" not in text:
        return text
    seen_toc = False

    def repl(m: re.Match[str]) -> str:
        nonlocal seen_toc
        word = m.group(1).lower()
        word = _DU_ALIAS.get(word, word)
        if word == "toc":
            if seen_toc:
                return ""
            seen_toc = True
            ctx.ext_state["force_toc_position"] = True
            return TOC_PLACEHOLDER
        ctx.output.properties[word] = ""
        return ""

    return _DU_RE.sub(repl, text)


def internal_parse(text: str, ctx: ParseContext, holders: LinkHolders,
                   is_main: bool = True) -> str:
    """Parser::internalParse on already expanded text."""
    orig = ctx.ext_state.get("orig_text", text) if is_main else text
    fm = tuple(ctx.site.fragment_mode)
    text = remove_html_tags(text, fm, extra_tags=ctx.ext_state.get("extra_html_tags", frozenset()))
    text = do_table_stuff(text, ctx.strip.unstrip_both, fm)
    if "----" in text:
        text = _HR.sub(r"\1<hr />", text)
    if is_main:
        try:
            from .magicwords import handle_double_underscore
        except ImportError:
            handle_double_underscore = None  # type: ignore[assignment]
        if handle_double_underscore is not None:
            text = handle_double_underscore(text, ctx)
    text = do_double_underscore(text, ctx)
    text = do_headings(text)
    text = replace_internal_links(text, ctx, holders)
    text = do_all_quotes(text)
    text = replace_external_links(text, ctx)
    if NOPARSE in text:
        text = text.replace(NOPARSE, "")
    text = do_magic_links(text, ctx)
    if is_main or "<h" in text.lower():
        text = format_headings(text, orig, ctx, holders.replace_text, is_main)
    return text


def internal_parse_half_parsed(text: str, ctx: ParseContext, holders: LinkHolders,
                               line_start: bool = True, do_tidy: bool = True) -> str:
    text = ctx.strip.unstrip_general(text)
    text = do_block_levels(text, line_start)
    text = holders.replace(text)
    text = ctx.strip.unstrip_nowiki(text)
    text = ctx.strip.unstrip_general(text)
    text = _normalize_refs_outside_raw_text(text)
    if do_tidy:
        text = tidy(text)
        text = armor_french_spaces(text)
    return text


def render_document(text: str, ctx: ParseContext) -> str:
    """Render expanded wikitext of a whole page to its HTML body (ParserOutput::getText)."""
    holders = LinkHolders(ctx)
    html = internal_parse(text, ctx, holders, True)
    # after_render hooks run where MediaWiki runs ParserAfterParse: on the half-parsed
    # text, so what they add (Cite's reference list) gets block levels and tidy too
    for hook in ctx.hooks.after_render:
        html = hook(html, ctx)
    html = internal_parse_half_parsed(html, ctx, holders)
    html = replace_edit_sections(html, ctx, ctx.options.section_edit_links
                                 and "noeditsection" not in ctx.output.properties)
    html = finalize_toc(html, ctx.options.allow_toc, ctx.output.toc_html)
    if ctx.output.display_title is None:
        ctx.output.display_title = default_display_title(ctx)
    if ctx.output.toc_html:
        ctx.output.set_flag("show-toc")
    if ctx.options.wrap:
        html = f'<div class="mw-parser-output">{html}</div>'
    return html


def redirect_header(target, ctx: ParseContext) -> str:
    """Article::getRedirectHeaderHtml: the "Redirect to:" box of a redirect page."""
    from .links import make_broken_link, make_known_link
    from .sanitizer import htmlspecialchars
    text = htmlspecialchars(target.full_text, False)
    if target.interwiki or target.namespace < 0 or ctx.title_exists(target):
        link = make_known_link(ctx, target, text)
    else:
        link = make_broken_link(ctx, target, text)
    if not target.interwiki and target.namespace >= 0:
        ctx.output.add_link(target.without_fragment())
    label = msg(ctx.options.interface_language, "redirectto")
    return (f'<div class="redirectMsg"><p>{label}</p><ul class="redirectText"><li>'
            + link + "</li></ul></div>")


def default_display_title(ctx: ParseContext) -> str:
    """The page title as ParserOutput::getTitleText gives it without DISPLAYTITLE."""
    from .sanitizer import htmlspecialchars
    t = ctx.title
    main = f'<span class="mw-page-title-main">{htmlspecialchars(t.text, False)}</span>'
    if not t.ns_text:
        return main
    return (f'<span class="mw-page-title-namespace">{htmlspecialchars(t.ns_text, False)}</span>'
            '<span class="mw-page-title-separator">:</span>' + main)


def recursive_tag_parse(text: str, ctx: ParseContext) -> str:
    """Half-parse wikitext inside an extension tag (Parser::recursiveTagParse)."""
    holders = LinkHolders(ctx)
    out = internal_parse(text, ctx, holders, False)
    pending = ctx.ext_state.setdefault("_pending_holders", [])
    pending.append(holders)
    return out


def recursive_tag_parse_fully(text: str, ctx: ParseContext) -> str:
    """Fully parse wikitext inside an extension tag (Parser::recursiveTagParseFully)."""
    holders = LinkHolders(ctx)
    out = internal_parse(text, ctx, holders, False)
    return internal_parse_half_parsed(out, ctx, holders, True, do_tidy=False)
