"""Core tag hooks of the preprocessor (CoreTagHooks) and ``{{#tag:}}``.

Owns ``<nowiki>`` (escaped exactly as CoreTagHooks::nowiki), ``<pre>`` (CoreTagHooks::pre),
``<indicator>`` (page status indicators into ``output.indicators``), ``{{#tag:name|…}}``
(CoreParserFunctions::tagObj) and ``StringUtils::delimiterReplace``.
"""
from __future__ import annotations

import re
from typing import Any

from .frame import PHP_WS, STRIP_COMMENTS, PPArg

_NOWIKI_TR = re.compile(r"-\{|\}-|<|>")
_NOWIKI_MAP = {"-{": "-&#123;", "}-": "&#125;-", "<": "&lt;", ">": "&gt;"}


def nowiki_tag(content: str | None) -> tuple[str, dict]:
    """``CoreTagHooks::nowiki``."""
    content = content or ""
    return _NOWIKI_TR.sub(lambda m: _NOWIKI_MAP[m.group(0)], content), {"markerType": "nowiki"}


def _delimiter_replace(start: str, end: str, text: str) -> str:
    """``StringUtils::delimiterReplace(start, end, '$1', text, 'i')``."""
    pat = re.compile(re.escape(start) + "(.*?)" + re.escape(end), re.I | re.S)
    return pat.sub(lambda m: m.group(1), text)


def html_attributes(attribs: dict[str, str]) -> str:
    """``Html::expandAttributes``."""
    out = []
    for k, v in attribs.items():
        v = v.replace("&", "&amp;").replace('"', "&quot;").replace("\n", "&#10;") \
            .replace("\r", "&#13;").replace("\t", "&#9;")
        out.append(f' {k}="{v}"')
    return "".join(out)


def pre_tag(content: str | None, attributes: dict[str, str], ctx: Any) -> str:
    """``CoreTagHooks::pre``."""
    from .sanitizer import validate_tag_attributes
    text = _delimiter_replace("<nowiki>", "</nowiki>", content or "")
    attrs = validate_tag_attributes(attributes, "pre", tuple(ctx.site.fragment_mode))
    text = text.replace(">", "&gt;").replace("<", "&lt;")
    return f"<pre{html_attributes(attrs)}>{text}</pre>"


def strip_outer_paragraph(html: str) -> str:
    """``Parser::stripOuterParagraph``."""
    m = re.match(r"<p>(.*?)\n?</p>\n?\Z", html, re.S)
    if m and "</p>" not in m.group(1):
        return m.group(1)
    return html


def indicator_tag(content: str | None, attributes: dict[str, str], ctx: Any, frame: Any) -> str:
    """``CoreTagHooks::indicator``: page status indicators go to ``output.indicators``."""
    name = attributes.get("name", "").strip(PHP_WS)
    if not name:
        return ('<span class="error"><strong>Error:</strong> Page status indicators\' '
                '<code>name</code> attribute must not be empty.</span>')
    html = ""
    if content:
        from .preprocess import expand
        from .render import recursive_tag_parse_fully
        html = recursive_tag_parse_fully(expand(content, ctx, frame=frame), ctx)
    ctx.output.indicators[name] = strip_outer_paragraph(html)
    return ""


_DELIMS: dict[tuple[str, str], re.Pattern[str]] = {}


def delimiter_remove(text: str, start: str, end: str) -> str:
    """``StringUtils::delimiterReplace(start, end, '', text)``: remove balanced, possibly
    nested ``start…end`` spans; an unclosed one and what follows stay. Linear time."""
    if start not in text:
        return text
    pat = _DELIMS.get((start, end))
    if pat is None:
        pat = _DELIMS[(start, end)] = re.compile("|".join(re.escape(d) for d in (start, end)))
    out: list[str] = []
    keep_from = 0
    depth = 0
    span_start = 0
    for m in pat.finditer(text):
        if m.group(0) == start:
            if depth == 0:
                span_start = m.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                out.append(text[keep_from:span_start])
                keep_from = m.end()
    out.append(text[keep_from:])
    return "".join(out)


def pf_tag(pp: Any, frame: Any, args: list) -> str:
    """``CoreParserFunctions::tagObj``."""
    from .frame import PROCESS_NOWIKI
    from .sanitizer import htmlspecialchars
    if not args:
        return ""
    tag = args[0].strip(PHP_WS).lower()
    rest: list[PPArg] = list(args[1:])
    inner: str | None = None
    if rest:
        flags = PROCESS_NOWIKI if tag == "pre" else 0
        inner = rest[0].frame.expand([rest.pop(0).part], flags)
    attributes: dict[str, str] = {}
    for a in rest:
        if a.part[3] is None:
            name = frame.expand(a.part[1], STRIP_COMMENTS).strip(PHP_WS)
            value = frame.expand(a.part[2]).strip(PHP_WS)
            m = re.match(r"""(?:["'](.+)["']|""|'')\Z""", value, re.S)
            if m:
                value = m.group(1) or ""
            attributes[name] = value
    if tag not in ("nowiki", "pre") and tag not in pp.tags:
        attr_text = "".join(f' {htmlspecialchars(k)}="{htmlspecialchars(v)}"'
                            for k, v in attributes.items())
        if inner is None:
            return f"<{tag}{attr_text}/>"
        return f"<{tag}{attr_text}>{inner}</{tag}>"
    return pp.extension_substitution_params(tag, attributes, "", inner, frame, f"</{tag}>")


#: functions given lazily-expanded PPArg objects (SFH_OBJECT_ARGS)
OBJECT_ARGS = frozenset({"tag"})
