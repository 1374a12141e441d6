"""The preprocessor's node tree: a port of MediaWiki's ``Preprocessor_Hash::preprocessToObj``.

Owns turning wikitext into a light tree of comments, ``<noinclude>``/``<includeonly>``/
``<onlyinclude>`` (as ``ignore`` nodes), extension tags, headings, templates ``{{…}}`` and
template arguments ``{{{…}}}`` with MediaWiki's brace-matching rules (rightmost wins,
``{{{{{…}}}}}`` ambiguity, ``[[…]]`` hiding pipes, ``-{…}-`` language-converter braces), and
the per-text cache of those trees.

Node shapes (tuples, first item the kind; text is a plain ``str``):

* ``("template"|"tplarg", title: list, parts: list[Part], line_start: bool)``
  where a part is ``("part", name: list | None, value: list, index: int | None)``
* ``("comment", text)``, ``("ignore", text)``
* ``("ext", name, attr, inner | None, close | None)``
* ``("h", level, index, children)`` at the root, ``("possible-h", …)`` elsewhere
* ``EQUALS`` inside the parts of unfinished braces only
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, Iterable

Node = Any  # str | tuple
EQUALS = ("equals",)

# Preprocessor::$rules
_RULES: dict[str, tuple[str, dict[int, str | None], int, int]] = {
    "{": ("}", {2: "template", 3: "tplarg"}, 2, 3),
    "[": ("]", {2: None}, 2, 2),
    "-{": ("}-", {2: None}, 2, 2),
}

_CORE_STRIP = ("pre", "nowiki")


class _Part:
    __slots__ = ("out", "eqpos", "comment_end", "visual_end")

    def __init__(self, out: list | None = None) -> None:
        self.out: list = out if out is not None else []
        self.eqpos: int | None = None
        self.comment_end: int | None = None
        self.visual_end: int | None = None


class _Piece:
    __slots__ = ("open", "close", "saved_prefix", "count", "parts", "line_start", "start_pos")

    def __init__(self, open_: str, close: str, count: int, saved_prefix: str = "",
                 line_start: bool = False, start_pos: int = 0, first: str | None = None) -> None:
        self.open = open_
        self.close = close
        self.count = count
        self.saved_prefix = saved_prefix
        self.line_start = line_start
        self.start_pos = start_pos
        self.parts = [_Part([first] if first else [])]

    def flags(self) -> tuple[bool, bool, bool]:
        """(findPipe, findEquals, inHeading) as ``PPDStackElement::getFlags``."""
        find_pipe = self.open != "\n" and self.open != "["
        find_equals = find_pipe and len(self.parts) > 1 and self.parts[-1].eqpos is None
        return find_pipe, find_equals, self.open == "\n"

    def break_syntax(self, opening_count: int | None = None) -> list:
        """What the piece stands for when its close is never found."""
        if self.open == "\n":
            accum: list = [self.saved_prefix]
            for node in self.parts[0].out:
                _append(accum, node)
            return accum
        if opening_count is None:
            opening_count = self.count
        s = self.open[:-1]
        s += self.open[-1] * (opening_count - len(s))
        accum = [self.saved_prefix + s]
        first = True
        for part in self.parts:
            if first:
                first = False
            else:
                _append(accum, "|")
            for node in part.out:
                _append(accum, node)
        return accum


def _append(accum: list, node: Node) -> None:
    if node is EQUALS:
        node = "="
    if type(node) is not str or node:
        accum.append(node)


def _add_literal(accum: list, text: str) -> None:
    accum.append(text)


def _merge(nodes: list) -> list:
    """Join runs of adjacent strings (literals are appended unmerged while scanning, so that
    long pages do not copy their growing text on every line)."""
    out: list = []
    run: list[str] = []
    for node in nodes:
        if node is EQUALS:
            node = "="
        if type(node) is str:
            if node:
                run.append(node)
        else:
            if run:
                out.append("".join(run))
                run = []
            out.append(node)
    if run:
        out.append("".join(run))
    return out


def _rspn(text: str, chars: str, end: int) -> int:
    """How many characters from ``chars`` end just before ``end`` (strspn on strrev)."""
    n = 0
    while end - n - 1 >= 0 and text[end - n - 1] in chars:
        n += 1
    return n


_RUN_CACHE: dict[str, re.Pattern[str]] = {}


def _spn(text: str, chars: str, start: int, limit: int | None = None) -> int:
    """PHP ``strspn($text, $chars, $start, $limit)``, scanning in C."""
    pat = _RUN_CACHE.get(chars)
    if pat is None:
        pat = re.compile("[" + re.escape(chars) + "]+")
        _RUN_CACHE[chars] = pat
    end = len(text) if limit is None else min(len(text), start + limit)
    m = pat.match(text, start, end)
    return m.end() - start if m else 0


_SEARCH_CACHE: dict[str, re.Pattern[str]] = {}


def _search_re(chars: str) -> re.Pattern[str]:
    pat = _SEARCH_CACHE.get(chars)
    if pat is None:
        pat = re.compile("[" + re.escape(chars) + "]")
        _SEARCH_CACHE[chars] = pat
    return pat


_ELEMENT_RE_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}
_CLOSE_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _elements_re(names: tuple[str, ...]) -> re.Pattern[str]:
    pat = _ELEMENT_RE_CACHE.get(names)
    if pat is None:
        alt = "|".join(re.escape(n) for n in names)
        pat = re.compile(r"(" + alt + r")(?:\s|/>|>)|(!--)", re.I | re.A)
        _ELEMENT_RE_CACHE[names] = pat
    return pat


def _close_re(name: str) -> re.Pattern[str]:
    pat = _CLOSE_RE_CACHE.get(name.lower())
    if pat is None:
        pat = re.compile(r"</" + re.escape(name) + r"\s*>", re.I | re.A)
        _CLOSE_RE_CACHE[name.lower()] = pat
    return pat


def build_tree(text: str, for_include: bool = False,
               tags: Iterable[str] = (), lang_conversion: bool = True) -> list:
    """Preprocess ``text`` into the children list of the root node."""
    strip_list = list(_CORE_STRIP) + [t for t in tags if t not in _CORE_STRIP]
    allow_missing_end = ("includeonly", "noinclude", "onlyinclude")
    enable_onlyinclude = False
    if for_include:
        ignored_tags = ("includeonly", "/includeonly")
        ignored_elements = ("noinclude",)
        strip_list.append("noinclude")
        if "<onlyinclude>" in text and "</onlyinclude>" in text:
            enable_onlyinclude = True
    else:
        ignored_tags = ("noinclude", "/noinclude", "onlyinclude", "/onlyinclude")
        ignored_elements = ("includeonly",)
        strip_list.append("includeonly")
    elements_re = _elements_re(tuple(strip_list) + ignored_tags)

    search_base = "[{<\n" + ("-" if lang_conversion else "")
    length = len(text)
    stack: list[_Piece] = []
    root: list = []
    accum = root
    find_equals = False
    find_pipe = False
    heading_index = 1
    in_heading = False
    no_more_gt = False
    no_more_closing: set[str] = set()
    find_onlyinclude = enable_onlyinclude
    fake_line_start = True
    i = 0

    def restore_flags() -> None:
        nonlocal find_pipe, find_equals, in_heading
        if stack:
            find_pipe, find_equals, in_heading = stack[-1].flags()
        else:
            find_pipe = find_equals = in_heading = False

    while True:
        if find_onlyinclude:
            start = text.find("<onlyinclude>", i)
            if start == -1:
                accum.append(("ignore", text[i:]))
                break
            tag_end = start + 13
            accum.append(("ignore", text[i:tag_end]))
            i = tag_end
            find_onlyinclude = False

        rule = None
        if fake_line_start:
            found = "line-start"
            cur = ""
        else:
            search = search_base
            if stack:
                current_closing = stack[-1].close
                search += current_closing
            else:
                current_closing = ""
            if find_pipe:
                search += "|"
            if find_equals:
                search += "="
            m = _search_re(search).search(text, i)
            nxt = m.start() if m else length
            if nxt > i:
                _add_literal(accum, text[i:nxt])
                i = nxt
            if i >= length:
                if current_closing == "\n":
                    cur = ""
                    found = "line-end"
                else:
                    break
            else:
                cur = text[i]
                cur2 = text[i:i + 2]
                if cur == "|":
                    found = "pipe"
                elif cur == "=":
                    found = "equals"
                elif cur == "<":
                    found = "angle"
                elif cur == "\n":
                    found = "line-end" if in_heading else "line-start"
                elif cur2 == current_closing:
                    found = "close"
                    cur = cur2
                elif cur == current_closing:
                    found = "close"
                elif cur2 in _RULES:
                    cur = cur2
                    found = "open"
                    rule = _RULES[cur]
                elif cur in _RULES:
                    found = "open"
                    rule = _RULES[cur]
                else:
                    if cur == "-" or cur == "}":
                        _add_literal(accum, cur)
                    i += 1
                    continue

        if found == "angle":
            if enable_onlyinclude and text.startswith("</onlyinclude>", i):
                find_onlyinclude = True
                continue
            m = elements_re.match(text, i + 1)
            if not m:
                _add_literal(accum, "<")
                i += 1
                continue
            if m.group(2) == "!--":
                end_pos = text.find("-->", i + 4)
                if end_pos == -1:
                    accum.append(("comment", text[i:]))
                    i = length
                    continue
                ws_start = i - _rspn(text, " \t", i) if i else 0
                ws_end = end_pos + 2 + _spn(text, " \t", end_pos + 3)
                comments = [(ws_start, ws_end)]
                while text.startswith("<!--", ws_end + 1):
                    c = text.find("-->", ws_end + 5)
                    if c == -1:
                        break
                    c += 2 + _spn(text, " \t", c + 3)
                    comments.append((ws_end + 1, c))
                    ws_end = c
                if ws_start > 0 and text[ws_start - 1:ws_start] == "\n" \
                        and text[ws_end + 1:ws_end + 2] == "\n":
                    ws_length = i - ws_start
                    if ws_length > 0 and accum and isinstance(accum[-1], str) \
                            and len(accum[-1]) >= ws_length \
                            and accum[-1][-ws_length:].strip(" \t") == "":
                        accum[-1] = accum[-1][:-ws_length]
                    for com in comments[:-1]:
                        accum.append(("comment", text[com[0]:com[1] + 1]))
                    start_pos, end_pos = comments[-1][0], comments[-1][1] + 1
                    fake_line_start = True
                else:
                    start_pos = i
                    end_pos += 2
                if stack:
                    part = stack[-1].parts[-1]
                    if not (part.comment_end is not None and part.comment_end == ws_start - 1):
                        part.visual_end = ws_start
                    part.comment_end = end_pos
                i = end_pos + 1
                accum.append(("comment", text[start_pos:end_pos + 1]))
                continue
            name = m.group(1)
            attr_start = i + len(name) + 1
            tag_end = -1 if no_more_gt else text.find(">", attr_start)
            if tag_end == -1:
                no_more_gt = True
                _add_literal(accum, "<")
                i += 1
                continue
            lower = name.lower()
            if lower in ignored_tags:
                accum.append(("ignore", text[i:tag_end + 1]))
                i = tag_end + 1
                continue
            tag_start = i
            inner: str | None
            close: str | None
            if text[tag_end - 1] == "/":
                attr_end = tag_end - 1
                inner = None
                i = tag_end + 1
                close = None
            else:
                attr_end = tag_end
                cm = None if lower in no_more_closing else _close_re(name).search(text, tag_end + 1)
                if cm:
                    close = cm.group(0)
                    inner = text[tag_end + 1:cm.start()]
                    i = cm.end()
                elif name in allow_missing_end:
                    inner = text[tag_end + 1:]
                    i = length
                    close = None
                else:
                    i = tag_end + 1
                    _add_literal(accum, text[tag_start:tag_end + 1])
                    no_more_closing.add(lower)
                    continue
            if lower in ignored_elements:
                accum.append(("ignore", text[tag_start:i]))
                continue
            attr = "" if attr_end <= attr_start else text[attr_start:attr_end]
            accum.append(("ext", name, attr, inner, close))

        elif found == "line-start":
            if fake_line_start:
                fake_line_start = False
            else:
                _add_literal(accum, cur)
                i += 1
            count = _spn(text, "=", i, 6) if text.startswith("=", i) else 0
            if count == 1 and find_equals:
                pass  # DWIM: a name/value separator, not a heading
            elif count > 0:
                stack.append(_Piece("\n", "\n", count, start_pos=i, first="=" * count))
                accum = stack[-1].parts[-1].out
                restore_flags()
                i += count

        elif found == "line-end":
            piece = stack[-1]
            part = piece.parts[-1]
            ws_length = _rspn(text, " \t", i)
            search_start = i - ws_length
            if part.comment_end is not None and search_start - 1 == part.comment_end:
                assert part.visual_end is not None
                search_start = part.visual_end
                search_start -= _rspn(text, " \t", search_start)
            equals_length = _rspn(text, "=", search_start)
            element: list
            if equals_length > 0:
                if search_start - equals_length == piece.start_pos:
                    if equals_length < 3:
                        count = 0
                    else:
                        count = min(6, (equals_length - 1) // 2)
                else:
                    count = min(equals_length, piece.count)
                if count > 0:
                    element = [("possible-h", count, heading_index, _merge(accum))]
                    heading_index += 1
                else:
                    element = accum
            else:
                element = accum
            stack.pop()
            accum = stack[-1].parts[-1].out if stack else root
            restore_flags()
            for node in element:
                _append(accum, node)

        elif found == "open":
            assert rule is not None
            cur_len = len(cur)
            if cur_len > 1:
                count = _spn(text, cur[-1], i + 1) + 1
            else:
                count = _spn(text, cur, i)
            saved_prefix = ""
            line_start = i > 0 and text[i - 1] == "\n"
            if cur == "-{" and count > cur_len:
                saved_prefix = "-"
                i += 1
                cur = "{"
                count -= 1
                rule = _RULES[cur]
            if cur == "[" and not stack:
                # A link at the top level changes nothing (no pipes or equals are looked
                # for there and its text is kept as it is): skip its stack entry.
                _add_literal(accum, cur * count)
            elif count >= rule[2]:
                stack.append(_Piece(cur, rule[0], count, saved_prefix, line_start))
                accum = stack[-1].parts[-1].out
                restore_flags()
            else:
                _add_literal(accum, saved_prefix + cur * count)
            i += count

        elif found == "close":
            piece = stack[-1]
            max_count = piece.count
            if piece.close == "}-" and cur == "}":
                max_count -= 1
            cur_len = len(cur)
            count = cur_len if cur_len > 1 else _spn(text, cur, i, max_count)
            _close, names, _min, rmax = _RULES[piece.open]
            if count > rmax:
                matching = rmax
            else:
                matching = count
                while matching > 0 and matching not in names:
                    matching -= 1
            if matching <= 0:
                _add_literal(accum, text[i:i + count])
                i += count
                continue
            name = names[matching]
            if name is None:
                element = piece.break_syntax(matching)
                _append(element, text[i:i + matching])
            else:
                parts = piece.parts
                title = _merge(parts[0].out)
                out_parts = []
                arg_index = 1
                for part in parts[1:]:
                    if part.eqpos is not None:
                        out_parts.append(("part", _merge(part.out[:part.eqpos]),
                                          _merge(part.out[part.eqpos + 1:]), None))
                    else:
                        out_parts.append(("part", None, _merge(part.out), arg_index))
                        arg_index += 1
                line_start = max_count == matching and piece.line_start and piece.saved_prefix == ""
                element = [(name, title, out_parts, line_start)]
            i += matching
            stack.pop()
            accum = stack[-1].parts[-1].out if stack else root
            if matching < piece.count:
                piece.parts = [_Part()]
                piece.count -= matching
                if piece.count >= _RULES[piece.open][2]:
                    stack.append(piece)
                    accum = piece.parts[-1].out
                elif piece.count == 1 and piece.open == "{" and piece.saved_prefix == "-":
                    piece.saved_prefix = ""
                    piece.open = "-{"
                    piece.count = 2
                    piece.close = _RULES["-{"][0]
                    stack.append(piece)
                    accum = piece.parts[-1].out
                else:
                    s = piece.open[:-1]
                    s += piece.open[-1] * (piece.count - len(s))
                    _add_literal(accum, piece.saved_prefix + s)
            elif piece.saved_prefix:
                _add_literal(accum, piece.saved_prefix)
            restore_flags()
            for node in element:
                _append(accum, node)

        elif found == "pipe":
            find_equals = True
            stack[-1].parts.append(_Part())
            accum = stack[-1].parts[-1].out
            i += 1

        elif found == "equals":
            find_equals = False
            accum.append(EQUALS)
            stack[-1].parts[-1].eqpos = len(accum) - 1
            i += 1

    for piece in stack:
        for node in piece.break_syntax():
            _append(root, node)
    root = _merge(root)
    for k, node in enumerate(root):
        if type(node) is tuple and node[0] == "possible-h":
            root[k] = ("h",) + node[1:]
    return root


class TreeCache:
    """Preprocessed trees keyed by (text, for_include, tag set): a template used many times
    is parsed once (MediaWiki keeps them in its object cache keyed by the text's hash).
    Bounded by entry count and total text size, least recently used first out; safe across
    threads."""

    def __init__(self, max_entries: int = 4000, max_chars: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._data: OrderedDict[tuple[str, bool, tuple[str, ...]], list] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str, for_include: bool, tags: tuple[str, ...]) -> list:
        key = (text, for_include, tags)
        tree = self._data.get(key)
        if tree is not None:
            with self._lock:  # least recently used goes first: templates stay, pages rotate
                if key in self._data:
                    self._data.move_to_end(key)
            return tree
        tree = build_tree(text, for_include, tags)
        if len(text) <= self.max_chars // 4:
            with self._lock:
                if key not in self._data:
                    self._data[key] = tree
                    self._chars += len(text)
                    while len(self._data) > self.max_entries or self._chars > self.max_chars:
                        old, _ = self._data.popitem(last=False)
                        self._chars -= len(old[0])
        return tree

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._chars = 0


#: Process-wide cache; trees are never mutated after being built.
TREE_CACHE = TreeCache()


def preprocess_to_tree(text: str, for_include: bool = False, tags: Iterable[str] = ()) -> list:
    """The (cached) tree of ``text``: the children of MediaWiki's ``root`` node."""
    return TREE_CACHE.get(text, for_include, tuple(sorted(set(tags))))
