"""Headings: ``== x ==`` to <hN>, anchors (legacy/html5), TOC, section edit links.

Ports Parser::handleHeadings and Parser::finalizeHeadings/formatHeadings (REL1_39) plus
the Linker TOC helpers and the edit-section link ParserOutput::getText inserts.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Callable

from .sanitizer import (decode_char_references, escape_id_for_attribute, escape_id_for_link,
                        htmlspecialchars)
from .render_i18n import msg
from .strip import HEADING_MARKER_RE, MARKER_PREFIX

if TYPE_CHECKING:
    from .context import ParseContext

TOC_START = "<mw:toc>"
TOC_END = "</mw:toc>"
#: Where __TOC__ stood; replaced by the TOC wrapped in <mw:toc> (a block-level element
#: even when empty, that ParserOutput::getText unwraps or drops)
TOC_PLACEHOLDER = "<!--MWTOC'\"-->"

_HEADING_RES = [
    (i, re.compile(r"^(?:" + "=" * i + r")[ \t]*(.+?)[ \t]*(?:" + "=" * i + r")\s*$", re.M))
    for i in range(6, 0, -1)
]
_OPEN_H = re.compile(r"<h([1-6])", re.I)
_CLOSE_H = re.compile(r"</h[1-6] *>", re.I)


class _Headline:
    """One match of formatHeadings' /<H([1-6])(.*?>)([\\s\\S]*?)<\\/H[1-6] *>/i."""

    __slots__ = ("start", "end", "level", "attrib", "header")

    def __init__(self, start: int, end: int, level: str, attrib: str, header: str) -> None:
        self.start, self.end, self.level, self.attrib, self.header = \
            start, end, level, attrib, header

    def group(self, name: str) -> str:
        return getattr(self, name)


def _find_headlines(text: str) -> list[_Headline]:
    """The headline matches of ``text`` in linear time (a lazy regex would rescan the rest
    of the page for every unclosed <hN>)."""
    closes = [(m.start(), m.end()) for m in _CLOSE_H.finditer(text)]
    if not closes:
        return []
    close_starts = [c[0] for c in closes]
    out: list[_Headline] = []
    pos = 0
    for m in _OPEN_H.finditer(text):
        if m.start() < pos:
            continue
        gt = text.find(">", m.end())
        if gt == -1:
            break
        if text.find("\n", m.end(), gt) != -1:
            continue  # "(.*?>)" does not cross a line end
        k = bisect.bisect_left(close_starts, gt + 1)
        if k == len(closes):
            break
        cs, ce = closes[k]
        out.append(_Headline(m.start(), ce, m.group(1), text[m.end():gt + 1], text[gt + 1:cs]))
        pos = ce
    return out
_STYLE_SCRIPT = re.compile(r"<(style|script)(?: [^>]*[^>/])?>.*?</\1>", re.I | re.S)
_TOC_STRIP1 = re.compile(r"<(?!/?(span|sup|sub|bdi|i|b|s|strike)(?: [^>]*)?>).*?>")
_TOC_STRIP2 = re.compile(r"<(/?(?:span(?: dir=\"(?:rtl|ltr)\")?|sup|sub|bdi|i|b|s|strike))(?: .*?)?>")
_ANY_TAG = re.compile(r"<.*?>")
_WS_US = re.compile(r"[ _]+")
EDITSECTION_RE = re.compile(
    r'<(?:mw:)?editsection page="(.*?)" section="(.*?)"(?:/>|>(.*?)(</(?:mw:)?editsection>))', re.S)


#: PHP strtolower: ASCII letters only
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def do_headings(text: str) -> str:
    if "=" not in text:
        return text
    for i, rx in _HEADING_RES:
        text = rx.sub(lambda m, i=i: f"<h{i}>{m.group(1)}</h{i}>", text)
    return text


def _normalize_section_whitespace(text: str) -> str:
    """Sanitizer::normalizeSectionNameWhitespace."""
    return _WS_US.sub(" ", text).strip()


_TITLE_WS = re.compile("[ _\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def _normalize_section_name(text: str) -> str:
    """Parser::normalizeSectionName: the fragment of the title "#text", as the codec splits it."""
    key = _TITLE_WS.sub("_", "#" + text).rstrip("_")
    return key[1:].replace("_", " ")


def _free_suffix(refers: set[str], next_suffix: dict[str, int], key: str) -> int:
    """The smallest i >= 2 with key_i unused (taken ones stay taken, so the search resumes
    where the last one for ``key`` stopped); marks it used."""
    i = next_suffix.get(key, 2)
    while f"{key}_{i}" in refers:
        i += 1
    refers.add(f"{key}_{i}")
    next_suffix[key] = i + 1
    return i


def toc_list(toc: str, lang: str = "en", title: str = "Contents") -> str:
    return ('<div id="toc" class="toc" role="navigation" aria-labelledby="mw-toc-heading">'
            '<input type="checkbox" role="button" id="toctogglecheckbox" '
            'class="toctogglecheckbox" style="display:none" />'
            f'<div class="toctitle" lang="{lang}" dir="ltr"><h2 id="mw-toc-heading">{title}</h2>'
            '<span class="toctogglespan"><label class="toctogglelabel" for="toctogglecheckbox">'
            "</label></span></div>\n" + toc + "</ul>\n</div>\n")


def _toc_unindent(level: int) -> str:
    return "</li>\n" + "</ul>\n</li>\n" * max(level, 0)


def _toc_line(anchor: str, tocline: str, number: str, level: int, section: str | None) -> str:
    classes = f"toclevel-{level}"
    if section is not None:
        classes += f" tocsection-{section}"
    return (f'<li class="{classes}"><a href="#{htmlspecialchars(anchor)}">'
            f'<span class="tocnumber">{number}</span> <span class="toctext">{tocline}</span></a>')


def format_headings(text: str, orig_text: str, ctx: "ParseContext",
                    link_text: Callable[[str], str], is_main: bool = True) -> str:
    """Anchors, TOC and edit-section markers for every <hN> of ``text``."""
    props = ctx.output.properties
    show_edit = "noeditsection" not in props
    matches = _find_headlines(text) if "<" in text else []
    force_toc_position = bool(ctx.ext_state.get("force_toc_position"))
    show_toc = "notoc" not in props or force_toc_position
    enough_toc = show_toc and (len(matches) >= 4 or force_toc_position)
    if "forcetoc" in props:
        enough_toc = True
    fragment_mode = tuple(ctx.site.fragment_mode)
    max_toc = ctx.site.max_toc_level
    base_title = ctx.title.prefixed_dbkey
    toc: list[str] = []
    head: list[str] = []
    sublevel: dict[int, int] = {}
    level_count: dict[int, int] = {}
    level = prevlevel = toclevel = prevtoclevel = 0
    num_visible = 0
    refers: set[str] = set()
    next_suffix: dict[str, int] = {}
    tocraw = []
    heading_offsets: dict[int, int] | None = None
    for idx, m in enumerate(matches):
        headline = m.group("header")
        is_template = False
        title_text: str | None = None
        section_index: int | None = None
        mm = HEADING_MARKER_RE.match(headline)
        if mm:
            serial = int(mm.group(1))
            if serial < len(ctx.headings):
                title_text, section_index = ctx.headings[serial]
                is_template = title_text.replace(" ", "_") != base_title
            headline = HEADING_MARKER_RE.sub("", headline, count=1).lstrip()
        if toclevel:
            prevlevel = level
        level = int(m.group("level"))
        if level > prevlevel:
            toclevel += 1
            sublevel[toclevel] = 0
            if toclevel < max_toc:
                prevtoclevel = toclevel
                toc.append("\n<ul>\n")
                num_visible += 1
        elif level < prevlevel and toclevel > 1:
            i = toclevel
            while i > 0:
                if level_count.get(i) == level:
                    toclevel = i
                    break
                if level_count.get(i, 0) < level:
                    toclevel = i + 1
                    break
                i -= 1
            if i == 0:
                toclevel = 1
            if toclevel < max_toc:
                if prevtoclevel < max_toc:
                    toc.append(_toc_unindent(prevtoclevel - toclevel))
                    prevtoclevel = toclevel
                else:
                    toc.append("</li>\n")
        else:
            if toclevel < max_toc:
                toc.append("</li>\n")
        level_count[toclevel] = level
        sublevel[toclevel] = sublevel.get(toclevel, 0) + 1
        numbering = ".".join(str(sublevel[i]) for i in range(1, toclevel + 1) if sublevel.get(i))
        safe = link_text(headline)
        safe = ctx.strip.unstrip_both(safe)
        safe = _STYLE_SCRIPT.sub("", safe)
        tocline = _TOC_STRIP2.sub(r"<\1>", _TOC_STRIP1.sub("", safe))
        tocline = tocline.replace("<span></span>", "").strip()
        safe = _ANY_TAG.sub("", safe)
        safe = _normalize_section_whitespace(safe)
        hint = safe
        safe = decode_char_references(safe)
        safe = _normalize_section_name(safe)
        fallback = escape_id_for_attribute(safe, fragment_mode, 1)
        link_anchor = escape_id_for_link(safe, fragment_mode)
        safe_id = escape_id_for_attribute(safe, fragment_mode, 0) or ""
        if fallback == safe_id:
            fallback = None
        key = safe_id.translate(_ASCII_LOWER)
        anchor = safe_id
        fallback_anchor = fallback
        if key in refers:
            i = _free_suffix(refers, next_suffix, key)
            anchor += f"_{i}"
            link_anchor += f"_{i}"
        else:
            refers.add(key)
        if fallback is not None:
            fkey = fallback.translate(_ASCII_LOWER)
            if fkey in refers:
                fallback_anchor = f"{fallback}_{_free_suffix(refers, next_suffix, fkey)}"
            else:
                refers.add(fkey)
        section_str = None if section_index is None else (
            ("T-" if is_template else "") + str(section_index))
        if enough_toc and toclevel < max_toc:
            toc.append(_toc_line(link_anchor, tocline, numbering, toclevel,
                                 None if is_template or section_index is None else str(section_index)))
        byteoffset = None
        if is_main and not is_template and section_index is not None:
            if heading_offsets is None:
                heading_offsets = _heading_offsets(orig_text, ctx)
            byteoffset = heading_offsets.get(section_index)
        tocraw.append({
            "toclevel": toclevel, "level": str(level), "line": tocline, "number": numbering,
            "index": section_str or "", "fromtitle": (title_text.replace(" ", "_")
                                                      if title_text else False),
            "byteoffset": byteoffset, "anchor": anchor, "linkAnchor": link_anchor,
        })
        editlink = ""
        if show_edit and section_index is not None:
            page = title_text if is_template and title_text else ctx.title.prefixed_text
            editlink = (f'<mw:editsection page="{htmlspecialchars(page, False)}" '
                        f'section="{htmlspecialchars(section_str or "", False)}">{hint}'
                        "</mw:editsection>")
        fb_html = ""
        if fallback_anchor is not None and fallback_anchor != anchor:
            fb_html = f'<span id="{htmlspecialchars(fallback_anchor, False)}"></span>'
        head.append(f"<h{level}{m.group('attrib')}{fb_html}<span class=\"mw-headline\" "
                    f"id=\"{htmlspecialchars(anchor, False)}\">{headline}</span>{editlink}</h{level}>")
    if num_visible < 1:
        enough_toc = False
    toc_html = ""
    if enough_toc:
        if 0 < prevtoclevel < max_toc:
            toc.append(_toc_unindent(prevtoclevel - 1))
        lang = ctx.options.interface_language
        toc_html = toc_list("".join(toc), lang, msg(lang, "toc"))
        ctx.output.toc_html = toc_html
    toc_html = TOC_START + toc_html + TOC_END
    if is_main:
        ctx.output.sections = tocraw
    if not matches:
        if force_toc_position:
            return text.replace(TOC_PLACEHOLDER, toc_html)
        return text
    blocks = [text[:matches[0].start]] + [
        text[m.end:(matches[i + 1].start if i + 1 < len(matches) else len(text))]
        for i, m in enumerate(matches)]
    parts = []
    for i, block in enumerate(blocks):
        if i == 0 or i - 1 >= len(head):
            parts.append(block)
        else:
            parts.append(head[i - 1] + block)
    if enough_toc and is_main and not force_toc_position:
        parts[0] += toc_html + "\n"
    full = "".join(parts)
    if force_toc_position:
        return full.replace(TOC_PLACEHOLDER, toc_html)
    return full


def _heading_offsets(orig: str, ctx: "ParseContext") -> dict[int, int]:
    """Offsets (in characters, as MediaWiki's mb_strlen) of the top-level headings of the
    original wikitext, keyed by heading index: the preprocessor tree's root nodes are
    measured in their original text until each heading node (the tree is the cached one
    the expansion used)."""
    offsets: dict[int, int] = {}
    try:
        from .ppnodes import preprocess_to_tree
        from .preprocess import get_state
        from .sections import recover_original
    except ImportError:
        return offsets
    pos = 0
    for node in preprocess_to_tree(orig, False, get_state(ctx).tags):
        if type(node) is str:
            pos += len(node)
            continue
        if node[0] == "h":
            offsets.setdefault(node[2], pos)
        pos += len(recover_original(node))
    return offsets


def replace_edit_sections(text: str, ctx: "ParseContext", enabled: bool = True) -> str:
    """Turn <mw:editsection> markers into the skin's [edit] links (or drop them)."""
    if "editsection" not in text:
        return text
    if not enabled:
        return EDITSECTION_RE.sub("", text)

    lang = ctx.options.interface_language

    def repl(m: re.Match[str]) -> str:
        import html as _html
        page = _html.unescape(m.group(1))
        section = _html.unescape(m.group(2))
        content = decode_char_references(m.group(3)) if m.group(3) is not None else None
        t = ctx.make_title(page)
        if t is None:
            return ""
        href = ctx.site.local_url(t.prefixed_dbkey, "action=edit&section=" + section)
        title_attr = ""
        if content is not None:
            hint = htmlspecialchars(msg(lang, "editsectionhint", content))
            hint = hint.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
            title_attr = f' title="{hint}"'
        return ('<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
                f'<a href="{htmlspecialchars(href)}"{title_attr}>{msg(lang, "editsection")}</a>'
                '<span class="mw-editsection-bracket">]</span></span>')

    return EDITSECTION_RE.sub(repl, text)


def finalize_toc(text: str, allow_toc: bool, toc_html: str = "") -> str:
    """ParserOutput::getText: keep the TOC (when allowed) without its <mw:toc> wrapper."""
    if TOC_START not in text:
        return text
    if allow_toc:
        return text.replace(TOC_START, "").replace(TOC_END, "")
    return re.sub(re.escape(TOC_START) + ".*?" + re.escape(TOC_END), "", text, flags=re.S)


__all__ = ["do_headings", "format_headings", "replace_edit_sections", "finalize_toc",
           "TOC_PLACEHOLDER", "MARKER_PREFIX"]
