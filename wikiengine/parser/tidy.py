"""Tidy: make the rendered HTML well-formed, as MediaWiki 1.39 does with RemexHtml.

Uses the Lexbor HTML5 tree builder (selectolax, C) so misnested and unclosed tags are
fixed exactly as a browser would, then serialises the <body> content. Like
RemexCompatFormatter, empty <p>, <li> and <tr> without attributes get the class
``mw-empty-elt``, and a <pre> whose content starts with a newline keeps it.
"""
from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_PRE_NL = re.compile(r"(<(?:pre|textarea|listing)(?:\s[^>]*)?>)\n", re.I)
_MARKED_EMPTY = "p, li, tr"
_WS = " \t\n\f\r"


def tidy(html: str) -> str:
    """Balance ``html`` (an HTML body fragment) and return the fixed fragment."""
    if not html:
        return html
    # keep a leading newline of <pre> content (the HTML parser drops one)
    if "<pre" in html or "<textarea" in html or "<listing" in html:
        html = _PRE_NL.sub(lambda m: m.group(1) + "\n\n", html)
    doc = LexborHTMLParser("<!DOCTYPE html><html><head></head><body>" + html)
    body = doc.body
    if body is None:
        return ""
    for node in body.css(_MARKED_EMPTY):
        if node.attributes:
            continue
        empty = True
        for child in node.iter(include_text=True):
            if child.tag != "-text" or (child.text_content or "").strip(_WS):
                empty = False
                break
        if empty:
            node.attrs["class"] = "mw-empty-elt"
    out = body.html or ""
    if out.startswith("<body>"):
        out = out[6:]
    if out.endswith("</body>"):
        out = out[:-7]
    return out


_FRENCH1 = re.compile(r" (?=[?:;!%»›](?!\w))")
_FRENCH2 = re.compile(r"([«‹]) ")
_TAG_SPLIT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_RAW_OPEN = re.compile(r"<(script|style)\b", re.I)


def armor_french_spaces(html: str) -> str:
    """Non-breaking space before ? : ; ! % » › and after « ‹, in text nodes only."""
    if not any(c in html for c in "?:;!%»›«‹"):
        return html
    parts = _TAG_SPLIT.split(html)
    raw: str | None = None
    for i, part in enumerate(parts):
        if i % 2:
            if raw is None:
                m = _RAW_OPEN.match(part)
                if m:
                    raw = m.group(1).lower()
            elif part.lower().startswith("</" + raw):
                raw = None
            continue
        if raw is None and part:
            parts[i] = _FRENCH2.sub(r"\1&#160;", _FRENCH1.sub("&#160;", part))
    return "".join(parts)
