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
#: stands for "&" while the HTML parser runs (a Unicode noncharacter)
_AMP = "\ufdd0"
_VOID_TAG = re.compile(r"<(area|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)"
                       r"((?:\s[^<>]*?)?)\s*/?>")
_TAG = re.compile(r"<(/?)(table|tbody|thead|tfoot|tr|td|th|caption)?\b[^>]*>", re.I)
_TAG_NAME = re.compile(r"<([A-Za-z][^\s/>]*)")
#: stands before what the HTML parser will foster out of a table: an element, so that it
#: never merges with a neighbouring text node; the serializer drops it
_FOSTER = "<mw-foster></mw-foster>"


def _mark_fostered(html: str) -> str:
    """Prefix with ``_FOSTER`` every text that stands inside a table but outside its cells:
    the HTML parser moves it before the table, and RemexCompatMunger does not p-wrap such
    fostered content."""
    out: list[str] = []
    pos = 0
    stack: list[str] = []  # "t" for an open table, "c" for an open cell/caption
    for m in _TAG.finditer(html):
        seg = html[pos:m.start()]
        if seg:
            # whitespace stays in the table; other text is fostered (HTML5 "in table text")
            out.append(_FOSTER + seg if stack and stack[-1] == "t" and seg.strip(_WS) else seg)
        name = m.group(2)
        if not name and not m.group(1) and stack and stack[-1] == "t":
            tag = _TAG_NAME.match(m.group(0))
            if tag and tag.group(1).lower() in _INLINE:
                # an inline element fostered out of the table: mark it too (block ones
                # are never p-wrapped, and whitespace before them must stay whitespace)
                out.append(_FOSTER)
        out.append(m.group(0))
        pos = m.end()
        if not name:
            continue
        name = name.lower()
        closing = bool(m.group(1))
        if name == "table":
            if not closing:
                if stack and stack[-1] == "t":
                    # a table start tag in table context ends the open table (HTML5)
                    stack.pop()
                stack.append("t")
            elif "t" in stack:
                while stack and stack.pop() != "t":
                    pass
        elif name in ("td", "th", "caption"):
            if stack and stack[-1] == "c":
                stack.pop()
            if not closing and stack:
                stack.append("c")
        elif name in ("tr", "tbody", "thead", "tfoot") and stack and stack[-1] == "c":
            stack.pop()
    out.append(html[pos:])
    return "".join(out)


_WS = " \t\n\f\r"


def tidy(html: str) -> str:
    """Balance ``html`` (an HTML body fragment) and return the fixed fragment."""
    if not html:
        return html
    # Like Remex in MediaWiki's tidy, keep character references as written: hide the "&"
    # from the HTML parser (every "&" is an entity once normalizeCharReferences ran)
    if _AMP in html:
        html = html.replace(_AMP, "\ufffd")
    html = html.replace("&", _AMP)
    if "<table" in html or "<TABLE" in html:
        html = _mark_fostered(html)
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
    out = _serialize_children(body, _Source(html))
    out = out.replace("&nbsp;", "&#160;").replace(_AMP, "&")
    if "<mw-foster>" in out:
        out = out.replace(_FOSTER, "")
    if "<pre" in out or "<textarea" in out or "<listing" in out:
        # the HTML serialisation rule: a leading newline of <pre> content is doubled
        out = _PRE_NL.sub(lambda m: m.group(1) + "\n\n", out)
    if "<" in out:
        out = _VOID_TAG.sub(r"<\1\2 />", out)
    return out


#: RemexCompatMunger::$onlyInlineElements: the elements that get p-wrapped.
_INLINE = frozenset("""a abbr acronym applet b basefont bdo big br button cite code del dfn em
    font i iframe img input ins kbd label legend map object param q rb rbc rp rt rtc ruby s samp
    select small span strike strong sub sup textarea tt u var video audio bdi data time
    mark""".split())
#: Invisible elements that neither start nor end a p-wrapper.
_METADATA = frozenset("style script link meta".split())
#: Formatting elements, which the munger splits around a block instead of moving them.
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_BLOCK_TAGS = frozenset("""address article aside blockquote center details dialog dir div dl
    fieldset figcaption figure footer header hgroup main menu nav ol p section summary ul h1 h2
    h3 h4 h5 h6 pre listing form li dd dt plaintext table hr xmp caption colgroup col tbody
    thead tfoot tr td th""".split())
_BLOCK_SELECTOR = ",".join(sorted(_BLOCK_TAGS))


class _Source:
    """The tidy input, for the serializer's look-ups in it."""

    __slots__ = ("html", "cursor")

    #: how far after the last text found the next one is looked for (keeps tidy linear)
    WINDOW = 16384

    def __init__(self, html: str) -> None:
        self.html = html
        self.cursor = 0

    def seen(self, needle: str) -> bool:
        """Whether ``needle`` occurs in the input near where the serializer has got to."""
        pos = self.html.find(needle, self.cursor, self.cursor + self.WINDOW + len(needle))
        if pos == -1:
            return False
        self.cursor = pos + len(needle)
        return True

    def near(self, needle: str) -> bool:
        """Whether ``needle`` occurs within a window around where the serializer has got to
        (the cursor does not move)."""
        lo = max(0, self.cursor - self.WINDOW)
        return self.html.find(needle, lo, self.cursor + self.WINDOW + len(needle)) != -1


def _start_tag(node) -> str:
    attrs = "".join(
        f' {k}="{(v or "").replace("&", "&amp;").replace(chr(34), "&quot;").replace(chr(160), "&nbsp;")}"'
        for k, v in node.attributes.items())
    return f"<{node.tag}{attrs}>"


def _is_block(node) -> bool:
    tag = node.tag
    return tag not in _INLINE and tag not in _METADATA


def _nonblank(html: str) -> bool:
    return "<" in html or bool(html.strip(_WS))


def _blank_element(node) -> bool:
    """An element holding nothing but blank text."""
    for child in node.iter(include_text=True):
        if child.tag != "-text" or (child.text_content or "").strip(_WS):
            return False
    return True


def _block_follows(children: list, start: int) -> bool:
    """Whether the next sibling after blank text is a block element."""
    for child in children[start:start + 8]:
        tag = child.tag
        if tag == "-text":
            if (child.text_content or "").strip(_WS):
                return False
            continue
        return tag != "-comment" and _is_block(child) and tag != "mw-foster"
    return False


def _split_formatting(node, src: "_Source", depth: int = 0) -> list[tuple[bool, str]]:
    """A formatting element holding blocks, cut as the munger's splitTagStack does:
    (is_block, html) segments, each wrapped in a copy of the element."""
    segments: list[tuple[bool, list[str]]] = []

    def add(block: bool, html: str) -> None:
        if segments and segments[-1][0] == block:
            segments[-1][1].append(html)
        else:
            segments.append((block, [html]))

    for child in node.iter(include_text=True):
        tag = child.tag
        if tag in ("-text", "-comment") or tag in _METADATA:
            add(False, child.html or "")
            continue
        has_block = _is_block(child) or child.css_first(_BLOCK_SELECTOR) is not None
        if has_block and tag in _FORMATTING and depth < _MAX_DEPTH:
            # a nested formatting element is split too, its pieces inside copies of ours
            for block, html in _split_formatting(child, src, depth + 1):
                add(block, html)
            continue
        add(has_block, _serialize(child, src, depth + 1))
    start = _start_tag(node)
    end = f"</{node.tag}>"
    out = []
    after_block = False
    for i, (block, parts) in enumerate(segments):
        inner = "".join(parts)
        if not block and not _nonblank(inner):
            if after_block and i == len(segments) - 1:
                # blank text ending the element after a block: the munger splits the
                # block-mode clone for it too (insertCharacters), leaving an empty copy
                # (blank text between two blocks goes into the next block's copy)
                out.append((True, start + end + inner))
            continue  # other blank clones are removed
        after_block = after_block or block
        # content fostered out of a table is not p-wrapped either: pass it on as a block
        out.append((block or _FOSTER in inner, start + inner + end))
    return out


def _serialize_children(parent, src: "_Source", depth: int = 0) -> str:
    """Serialise the children of <body>/<blockquote>, p-wrapping their inline content the
    way RemexCompatMunger does: bare text and inline elements go into a <p> (printed only
    if it holds an element or non-blank text); a block ends it; a block inside an inline
    element splits a formatting element or moves any other element out of the <p>.
    Content fostered out of a table (marked by ``_mark_fostered``) is never p-wrapped."""
    out: list[str] = []
    run: list[str] = []
    state = {"open": False, "count": 0}

    def flush() -> None:
        if state["open"]:
            body = "".join(run)
            out.append(f"<p>{body}</p>" if state["count"] else body)
            run.clear()
        state["open"] = False
        state["count"] = 0

    def add_inline(html: str, counts: bool) -> None:
        if not state["open"]:
            state["open"] = True
        run.append(html)
        if counts:
            state["count"] += 1

    foster_next = False  # the node after a marker was fostered out of a table
    children = list(parent.iter(include_text=True))
    for index, child in enumerate(children):
        tag = child.tag
        if tag == "mw-foster":
            flush()
            foster_next = True
            continue
        if foster_next:  # fostered content is inserted as is, never p-wrapped
            foster_next = False
            if tag not in _BLOCK_TAGS:
                out.append(child.html or "")
                continue
        if tag in _INLINE and _FOSTER in (child.html or ""):
            # an inline element re-opened inside a table: its content was fostered
            flush()
            out.append(child.html or "")
            continue
        if tag == "-text":
            text = child.html or ""
            blank = not text.strip(_WS)
            if state["open"]:
                run.append(text)
                if not blank:
                    state["count"] += 1
            elif blank:
                out.append(text)
            else:
                lead = len(text) - len(text.lstrip(_WS))
                if lead and not src.seen(text[:lead + 1]):
                    # the whitespace and the text were separate tokens in the source (a tag
                    # the parser dropped stood between them): the whitespace stays outside
                    out.append(text[:lead])
                    text = text[lead:]
                add_inline(text, True)
        elif tag == "-comment" or tag in _METADATA:
            html = child.html or ""
            if state["open"]:
                run.append(html)
                if tag != "-comment":
                    state["count"] += 1
            else:
                out.append(html)
        elif tag in _INLINE:
            if tag in _FORMATTING and not state["open"] and _blank_element(child) \
                    and _block_follows(children, index + 1) \
                    and not src.seen(child.html or ""):
                # a formatting element re-opened before a block: the munger splits it
                # around the block and drops the blank part, leaving an empty copy
                # (one only: a split element before it may have left it already)
                copy = _start_tag(child) + f"</{tag}>"
                if not (out and "".join(out[-2:]).rstrip(_WS).endswith(copy)):
                    out.append(copy)
            elif child.css_first(_BLOCK_SELECTOR) is None:
                add_inline(child.html or "", True)
            elif tag in _FORMATTING:
                for block, html in _split_formatting(child, src, depth + 1):
                    if block:
                        flush()
                        out.append(html)
                    else:
                        add_inline(html, True)
            else:
                flush()
                out.append(_serialize(child, src, depth + 1))
        else:
            flush()
            if tag in _BLOCK_TAGS and index:
                clone = _adoption_clone(children, index, child, src)
                if clone and not "".join(out[-2:]).rstrip(_WS).endswith(clone):
                    out.append(clone)
            out.append(_serialize(child, src, depth + 1))
    flush()
    return "".join(out)


def _adoption_clone(children: list, index: int, block, src: "_Source") -> str:
    """The empty formatting element the munger leaves before ``block`` when the adoption
    agency moved the block out of it: the block opened inside a p-wrapped formatting
    element (split as a block-mode copy), then that element's end tag came inside the
    block, which now starts with a new copy of the element that the source never had."""
    first = block.child
    if first is None or first.tag not in _FORMATTING:
        return ""
    prev = None
    for sibling in reversed(children[max(0, index - 8):index]):
        if sibling.tag == "-text" and not (sibling.text_content or "").strip(_WS):
            continue
        prev = sibling
        break
    if prev is None or prev.tag != first.tag or prev.attributes != first.attributes \
            or _blank_element(prev):  # a blank one is the empty copy already
        return ""
    start = _start_tag(first)
    if src.near(_start_tag(block) + start):
        return ""  # written so in the source: no adoption happened
    return start + f"</{first.tag}>"


def _serialize(node, src: "_Source", depth: int = 0) -> str:
    """Serialise an element; blockquotes (at any depth) get their content p-wrapped.
    Past ``_MAX_DEPTH`` nested levels the parser's own serialisation is used as is."""
    if depth > _MAX_DEPTH:
        return node.html or ""
    if node.tag == "blockquote":
        return _start_tag(node) + _serialize_children(node, src, depth + 1) + "</blockquote>"
    if node.css_first("blockquote") is None:
        return node.html or ""
    parts = [_start_tag(node)]
    for child in node.iter(include_text=True):
        parts.append(_serialize(child, src, depth + 1) if child.tag not in ("-text", "-comment") else (child.html or ""))
    if node.tag not in _VOID:
        parts.append(f"</{node.tag}>")
    return "".join(parts)


#: nesting depth up to which the p-wrapping serializer recurses
_MAX_DEPTH = 150
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

_FRENCH1 = re.compile(r" (?=[?:;!%»›](?!\w))")
_FRENCH2 = re.compile(r"([«‹]) ")
_TAG_SPLIT = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_RAW_OPEN = re.compile(r"<(script|style)\b", re.I)
_FRENCH_ONE_PASS = re.compile(r"(<!--.*?-->|<[^>]*>)| (?=[?:;!%»›](?!\w))|([«‹]) ", re.S)


def _french_repl(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    if m.group(2) is not None:
        return m.group(2) + "&#160;"
    return "&#160;"


def armor_french_spaces(html: str) -> str:
    """Non-breaking space before ? : ; ! % » › and after « ‹, in text nodes only."""
    if not any(c in html for c in "?:;!%»›«‹"):
        return html
    if "<script" not in html and "<style" not in html:
        return _FRENCH_ONE_PASS.sub(_french_repl, html)
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
