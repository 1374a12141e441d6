"""doBlockLevels: paragraphs, lists (* # ; :) and indent-pre, as MediaWiki's BlockLevelPass.

A line-by-line port of includes/parser/BlockLevelPass.php (REL1_39).
"""
from __future__ import annotations

import re

_PRE_CLOSE = re.compile(r"</pre", re.I)
_PRE_OPEN = re.compile(r"<pre", re.I)
_BLOCK = "table|h1|h2|h3|h4|h5|h6|pre|p|ul|ol|dl"
_ANTI_BLOCK = "td|th"
_OPEN_MATCH = re.compile(r"<((" + _BLOCK + r")|/(" + _ANTI_BLOCK + r")|/?(tr|caption|dt|dd|li))\b", re.I)
_CLOSE_MATCH = re.compile(
    r"<(/(" + _BLOCK + r")|(" + _ANTI_BLOCK + r")|/?(center|blockquote|div|hr|mw:|aside))\b", re.I)
_BLOCKQUOTE = re.compile(r"<(/?)blockquote[\s>]", re.I)
_STYLE_LINE = re.compile(r"^(?:<style\b[^>]*>.*?</style>\s*|<link\b[^>]*>\s*)+$", re.I)
_COLON_FIRST = re.compile(r":|<|-\{")
_LC = re.compile(r"-\{|\}-")
_PHP_WS = " \t\n\r\0\x0b"

_OPEN_LIST = {"*": "<ul><li>", "#": "<ol><li>", ":": "<dl><dd>", ";": "<dl><dt>"}


def _find_colon_no_links(s: str) -> tuple[str, str] | None:
    m = _COLON_FIRST.search(s)
    if not m:
        return None
    if m.group(0) == ":":
        p = m.start()
        return s[:p], s[p + 1:]
    TEXT, TAG, TAGSTART, CLOSETAG, TAGSLASH, COMMENT, COMMENTDASH, COMMENTDASHDASH, LC = range(9)
    state = TEXT
    lt_level = 0
    lc_level = 0
    n = len(s)
    i = m.start()
    while i < n:
        c = s[i]
        if state == TEXT:
            if c == "<":
                state = TAGSTART
            elif c == ":":
                if lt_level == 0:
                    return s[:i], s[i + 1:]
            else:
                m = _COLON_FIRST.search(s, i)
                if not m:
                    return None
                if m.group(0) == "-{":
                    state = LC
                    lc_level += 1
                    i = m.start() + 1
                else:
                    i = m.start() - 1
        elif state == LC:
            m = _LC.search(s, i)
            if not m:
                break
            if m.group(0) == "-{":
                i = m.start() + 1
                lc_level += 1
            else:
                i = m.start() + 1
                lc_level -= 1
                if lc_level == 0:
                    state = TEXT
        elif state == TAG:
            if c == ">":
                lt_level += 1
                state = TEXT
            elif c == "/":
                state = TAGSLASH
        elif state == TAGSTART:
            if c == "/":
                state = CLOSETAG
            elif c == "!":
                state = COMMENT
            elif c == ">":
                state = TEXT
            else:
                state = TAG
        elif state == CLOSETAG:
            if c == ">":
                if lt_level > 0:
                    lt_level -= 1
                state = TEXT
        elif state == TAGSLASH:
            state = TEXT if c == ">" else TAG
        elif state == COMMENT:
            if c == "-":
                state = COMMENTDASH
        elif state == COMMENTDASH:
            state = COMMENTDASHDASH if c == "-" else COMMENT
        elif state == COMMENTDASHDASH:
            state = TEXT if c == ">" else COMMENT
        i += 1
    return None


class _BlockLevelPass:
    def __init__(self, text: str, line_start: bool) -> None:
        self.text = text
        self.line_start = line_start
        self.dt_open = False
        self.in_pre = False
        self.last_paragraph = ""

    def close_paragraph(self, at_the_end: bool = False) -> str:
        result = ""
        if self.last_paragraph:
            result = "</" + self.last_paragraph + ">"
            if not at_the_end:
                result += "\n"
        self.in_pre = False
        self.last_paragraph = ""
        return result

    def open_list(self, char: str) -> str:
        result = self.close_paragraph()
        if char == ";":
            self.dt_open = True
        return result + _OPEN_LIST.get(char, "<!-- ERR 1 -->")

    def next_item(self, char: str) -> str:
        if char in "*#":
            return "</li>\n<li>"
        if char in ":;":
            close = "</dt>\n" if self.dt_open else "</dd>\n"
            if char == ";":
                self.dt_open = True
                return close + "<dt>"
            self.dt_open = False
            return close + "<dd>"
        return "<!-- ERR 2 -->"

    def close_list(self, char: str) -> str:
        if char == "*":
            return "</li></ul>"
        if char == "#":
            return "</li></ol>"
        if char == ":":
            if self.dt_open:
                self.dt_open = False
                return "</dt></dl>"
            return "</dd></dl>"
        return "<!-- ERR 3 -->"

    def execute(self) -> str:
        lines = self.text.split("\n")
        out: list[str] = []
        last_prefix = ""
        self.dt_open = False
        in_block_elem = False
        prefix_length = 0
        prefix2 = ""
        pending_p: str | bool = False
        in_blockquote = False
        nlines = len(lines)
        for idx, input_line in enumerate(lines):
            not_last_line = idx + 1 < nlines
            if not self.line_start:
                out.append(input_line)
                self.line_start = True
                continue
            last_prefix_length = len(last_prefix)
            pre_close = _PRE_CLOSE.search(input_line) is not None
            pre_open = _PRE_OPEN.search(input_line) is not None
            if not self.in_pre:
                prefix_length = 0
                for ch in input_line:
                    if ch in "*#:;":
                        prefix_length += 1
                    else:
                        break
                prefix = input_line[:prefix_length]
                prefix2 = prefix.replace(";", ":")
                t = input_line[prefix_length:]
                self.in_pre = pre_open
            else:
                prefix_length = 0
                prefix = prefix2 = ""
                t = input_line

            if prefix_length and last_prefix == prefix2:
                out.append(self.next_item(prefix[-1]))
                pending_p = False
                if prefix[-1] == ";":
                    found = _find_colon_no_links(t)
                    if found is not None:
                        term, t = found
                        out.append(term.strip(_PHP_WS) + self.next_item(":"))
            elif prefix_length or last_prefix_length:
                common = 0
                shorter = min(len(prefix), len(last_prefix))
                while common < shorter and prefix[common] == last_prefix[common]:
                    common += 1
                pending_p = False
                while common < last_prefix_length:
                    out.append(self.close_list(last_prefix[last_prefix_length - 1]))
                    last_prefix_length -= 1
                if prefix_length <= common and common > 0:
                    out.append(self.next_item(prefix[common - 1]))
                if self.dt_open and common > 0 and prefix[common - 1] == ":":
                    out.append(self.next_item(":"))
                if last_prefix and prefix_length > common:
                    out.append("\n")
                while prefix_length > common:
                    char = prefix[common]
                    out.append(self.open_list(char))
                    if char == ";":
                        found = _find_colon_no_links(t)
                        if found is not None:
                            term, t = found
                            out.append(term.strip(_PHP_WS) + self.next_item(":"))
                    common += 1
                if not prefix_length and last_prefix:
                    out.append("\n")
                last_prefix = prefix2

            if prefix_length == 0:
                open_match = _OPEN_MATCH.search(t)
                close_match = _CLOSE_MATCH.search(t)
                if open_match or close_match:
                    pending_p = False
                    if not self.in_pre or pre_open:
                        out.append(self.close_paragraph())
                    if pre_open and not pre_close:
                        self.in_pre = True
                    for bq in _BLOCKQUOTE.finditer(t):
                        in_blockquote = not bq.group(1)
                    in_block_elem = not close_match
                elif not in_block_elem and not self.in_pre:
                    if t[:1] == " " and (self.last_paragraph == "pre" or t.strip(_PHP_WS) != "") \
                            and not in_blockquote:
                        if self.last_paragraph != "pre":
                            pending_p = False
                            out.append(self.close_paragraph() + "<pre>")
                            self.last_paragraph = "pre"
                        t = t[1:]
                    elif _STYLE_LINE.match(t):
                        if pending_p:
                            out.append(self.close_paragraph())
                            pending_p = False
                    else:
                        if t.strip(_PHP_WS) == "":
                            if pending_p:
                                out.append(pending_p + "<br />")  # type: ignore[operator]
                                pending_p = False
                                self.last_paragraph = "p"
                            elif self.last_paragraph != "p":
                                out.append(self.close_paragraph())
                                pending_p = "<p>"
                            else:
                                pending_p = "</p><p>"
                        elif pending_p:
                            out.append(pending_p)  # type: ignore[arg-type]
                            pending_p = False
                            self.last_paragraph = "p"
                        elif self.last_paragraph != "p":
                            out.append(self.close_paragraph() + "<p>")
                            self.last_paragraph = "p"
            if pre_close and self.in_pre:
                self.in_pre = False
            if pending_p is False:
                if prefix_length == 0:
                    out.append(t)
                    if not_last_line or self.last_paragraph:
                        out.append("\n")
                else:
                    out.append(t.strip(_PHP_WS))
        while prefix_length:
            out.append(self.close_list(prefix2[prefix_length - 1]))
            prefix_length -= 1
            if not prefix_length and self.last_paragraph:
                out.append("\n")
        out.append(self.close_paragraph(True))
        return "".join(out)


def do_block_levels(text: str, line_start: bool = True) -> str:
    """Make paragraphs, lists and indent-pre blocks from lines of ``text``."""
    return _BlockLevelPass(text, line_start).execute()
