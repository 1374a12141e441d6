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
_TABLE_TAG = re.compile(r"<table[\s>]", re.I)


def _texts_before_tables(html: str) -> list[str]:
    """The two lines of input before each <table> start tag (stripped)."""
    out = []
    for m in _TABLE_TAG.finditer(html):
        i = m.start()
        j = html.rfind("\n", 0, i)
        if j > 0:
            j = html.rfind("\n", 0, j)
        out.append(html[j + 1:i].strip(_WS))
    return out

_WS = " \t\n\f\r"


def tidy(html: str) -> str:
    """Balance ``html`` (an HTML body fragment) and return the fixed fragment."""
    if not html:
        return html
    # keep a leading newline of <pre> content (the HTML parser drops one)
    if "<pre" in html or "<textarea" in html or "<listing" in html:
        html = _PRE_NL.sub(lambda m: m.group(1) + "\n\n", html)
    before = _texts_before_tables(html) if "<table" in html else None
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
    return _serialize_children(body, before)


#: Elements that end a paragraph in HTML5 (anything else is phrasing content here).
_BLOCK_TAGS = frozenset("""address article aside blockquote center details dialog dir div dl
    fieldset figcaption figure footer header hgroup main menu nav ol p section summary ul h1 h2
    h3 h4 h5 h6 pre listing form li dd dt plaintext table hr xmp caption colgroup col tbody
    thead tfoot tr td th style script link meta""".split())
_BLOCK_SELECTOR = ",".join(sorted(_BLOCK_TAGS - {"style", "script", "link", "meta"}))


def _start_tag(node) -> str:
    attrs = "".join(
        f' {k}="{(v or "").replace("&", "&amp;").replace(chr(34), "&quot;").replace(chr(160), "&nbsp;")}"'
        for k, v in node.attributes.items())
    return f"<{node.tag}{attrs}>"


def _serialize_children(parent, before: list[str] | None) -> str:
    """Serialise the children of <body>/<blockquote>, p-wrapping their inline content
    the way RemexCompatMunger does (a run with no element and only blank text stays bare).
    ``before`` lists the texts that preceded a <table> tag in the input: other text found
    right before a table was fostered out of it, and fostered content is not p-wrapped."""
    out: list[str] = []
    run: list[str] = []
    nonblank = False

    def flush() -> None:
        nonlocal nonblank
        if run:
            if nonblank:
                out.append("<p>" + "".join(run) + "</p>")
            else:
                out.append("".join(run))
            run.clear()
        nonblank = False

    for child in parent.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            text = child.html or ""
            if not nonblank and not text.strip(_WS):
                if run:
                    run.append(text)
                else:
                    out.append(text)
                continue
            run.append(text)
            nonblank = True
        elif tag == "-comment":
            (run if run else out).append(child.html or "")
        elif tag in _BLOCK_TAGS or (child.css_first(_BLOCK_SELECTOR) is not None):
            if tag == "table" and run and before is not None:
                last = run[-1].strip(_WS)
                if last and not any(b.endswith(last) for b in before):
                    nonblank = False  # content fostered out of a table is not p-wrapped
            flush()
            out.append(_serialize(child, before))
        else:
            run.append(child.html or "")
            nonblank = True
    flush()
    return "".join(out)


def _serialize(node, before: list[str] | None) -> str:
    """Serialise an element; blockquotes (at any depth) get their content p-wrapped."""
    if node.tag == "blockquote":
        return _start_tag(node) + _serialize_children(node, before) + "</blockquote>"
    if node.css_first("blockquote") is None:
        return node.html or ""
    parts = [_start_tag(node)]
    for child in node.iter(include_text=True):
        parts.append(_serialize(child, before) if child.tag not in ("-text", "-comment") else (child.html or ""))
    if node.tag not in _VOID:
        parts.append(f"</{node.tag}>")
    return "".join(parts)


_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

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
