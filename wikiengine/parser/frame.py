"""Expansion frames: a port of MediaWiki's ``PPFrame_Hash`` and ``PPTemplateFrame_Hash``.

Owns walking a preprocessed tree (see ``ppnodes``) and producing text: template and argument
nodes are handed to the preprocessor (``preprocess.PPState``), comments/ignore/extension
nodes are handled according to the output type and the expansion flags, headings get their
``-h-N-`` markers. Template frames hold the call's numbered and named arguments, expand them
lazily (named ones trimmed) and carry the loop-check set and the depth.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .preprocess import PPState

# PPFrame flags
NO_ARGS = 1
NO_TEMPLATES = 2
STRIP_COMMENTS = 4
NO_IGNORE = 8
RECOVER_COMMENTS = 16
NO_TAGS = 32
PROCESS_NOWIKI = 64
RECOVER_ORIG = NO_ARGS | NO_TEMPLATES | NO_IGNORE | RECOVER_COMMENTS | NO_TAGS

#: the characters PHP's trim() removes
PHP_WS = " \t\n\r\0\x0b"

_INT_KEY_MAX = 2 ** 63


def arg_key(name: str | int) -> str | int:
    """PHP array-key semantics: ``"1"`` and ``1`` are the same argument, ``"01"`` is not."""
    if isinstance(name, int):
        return name
    n = len(name)
    if n and (name == "0" or (name[0] != "0" and name.isdigit()) or (
            n > 1 and name[0] == "-" and name[1] != "0" and name[1:].isdigit())):
        if name.isascii():
            v = int(name)
            if -_INT_KEY_MAX <= v < _INT_KEY_MAX:
                return v
    return name


def bracketed(start: str, title: list | str, parts: list, end: str) -> list:
    """``PPFrame::virtualBracketedImplode``: ``{{`` title ``|`` part ``|`` … ``}}``."""
    out: list = [start]
    if isinstance(title, str):
        out.append(title)
    else:
        out.append(("list", title))
    for part in parts:
        out.append("|")
        out.append(part)
    out.append(end)
    return out


class PPArg:
    """One argument of a parser function, expanded lazily in the calling frame
    (MediaWiki's SFH_OBJECT_ARGS part nodes).

    A function hook ``fn(ctx, frame, args)`` gets ``args[0]``: the text after the colon,
    expanded and trimmed (a ``str``), then one ``PPArg`` per ``|`` part: ``text()`` is the
    whole part (``name=value`` for named ones) expanded and trimmed, ``name()``/``value()``
    split at the first ``=``. Expand only the branches you use, as ``{{#if:}}`` does. The
    hook returns wikitext (a ``str``), or a dict with ``text`` and MediaWiki's flags
    (``noparse: False`` to preprocess the text again, ``isHTML``, ``nowiki``)."""

    __slots__ = ("frame", "part", "_text")

    def __init__(self, frame: "Frame", part: tuple) -> None:
        self.frame = frame
        self.part = part
        self._text: str | None = None

    def text(self) -> str:
        """The whole argument (``name=value`` for named ones), expanded and trimmed."""
        if self._text is None:
            self._text = self.frame.expand([self.part]).strip(PHP_WS)
        return self._text

    def name(self) -> str | None:
        """Expanded, trimmed name of a ``name=value`` argument; None for positional ones."""
        if self.part[1] is None:
            return None
        return self.frame.expand(self.part[1], STRIP_COMMENTS).strip(PHP_WS)

    def value(self) -> str:
        """Expanded, trimmed value (the part after the first ``=``)."""
        return self.frame.expand(self.part[2]).strip(PHP_WS)

    def __str__(self) -> str:
        return self.text()


class Frame:
    """``PPFrame_Hash``: the page's own frame (no arguments)."""

    def __init__(self, pp: "PPState", title: Any) -> None:
        self.pp = pp
        self.title = title
        self.parent: Frame | None = None
        self.depth = 0
        self.loop_check: frozenset[str] = frozenset()
        self.child_cache: dict[str, str] = {}
        self.volatile = False

    # -- arguments (none in the root frame) ---------------------------------------------
    def is_template(self) -> bool:
        return False

    def is_empty(self) -> bool:
        return True

    def get_argument(self, name: str | int) -> str | None:
        return None

    def get_arguments(self) -> dict[str | int, str]:
        return {}

    def set_volatile(self, flag: bool = True) -> None:
        self.volatile = flag

    def new_child(self, parts: list, title: Any) -> "TemplateFrame":
        """``PPFrame_Hash::newChild``: split the call's parts into numbered/named args."""
        named: dict[str | int, list] = {}
        numbered: dict[str | int, list] = {}
        for part in parts:
            _kind, name, value, index = part
            if index is not None:
                key: str | int = index
                if key in named or key in numbered:
                    self.pp.duplicate_arg(self, title, key)
                numbered[key] = value
                named.pop(key, None)
            else:
                key = arg_key(self.expand(name, STRIP_COMMENTS).strip(PHP_WS))
                if key in named or key in numbered:
                    self.pp.duplicate_arg(self, title, key)
                named[key] = value
                numbered.pop(key, None)
        return TemplateFrame(self.pp, self, numbered, named, title)

    def cached_expand(self, key: str, tree: list, flags: int = 0) -> str:
        return self.expand(tree, flags)

    # -- expansion ------------------------------------------------------------------------
    def expand(self, root: list | str, flags: int = 0) -> str:
        """``PPFrame_Hash::expand`` with its node-count and expansion-depth limits."""
        if isinstance(root, str):
            return root
        pp = self.pp
        pp.node_count += 1
        if pp.node_count > pp.max_node_count:
            pp.limitation_warn("node-count-exceeded", pp.node_count, pp.max_node_count)
            return '<span class="error">Node-count limit exceeded</span>'
        if pp.expansion_depth > pp.max_expand_depth:
            pp.limitation_warn("expansion-depth-exceeded", pp.expansion_depth,
                               pp.max_expand_depth)
            return '<span class="error">Expansion depth limit exceeded</span>'
        pp.expansion_depth += 1
        if pp.expansion_depth > pp.highest_depth:
            pp.highest_depth = pp.expansion_depth
        out: list[str] = []
        try:
            self._walk(root, flags, out)
        finally:
            pp.expansion_depth -= 1
        return "".join(out)

    def _walk(self, root: list, flags: int, out: list[str]) -> None:
        pp = self.pp
        ot = pp.ot
        append = out.append
        stack = [iter(root)]
        while stack:
            for node in stack[-1]:
                if type(node) is str:
                    append(node)
                    continue
                kind = node[0]
                new: list | None = None
                if kind == "template":
                    if flags & NO_TEMPLATES:
                        new = bracketed("{{", node[1], node[2], "}}")
                    else:
                        text, obj = pp.brace_substitution(node, self)
                        if obj is not None:
                            new = obj
                        else:
                            append(text)
                elif kind == "tplarg":
                    if flags & NO_ARGS:
                        new = bracketed("{{{", node[1], node[2], "}}}")
                    else:
                        text, obj = pp.arg_substitution(node, self)
                        if obj is not None:
                            new = obj
                        else:
                            append(text)
                elif kind == "part":
                    if node[1] is None:
                        new = node[2]
                    else:
                        new = [("list", node[1]), "=", ("list", node[2])]
                elif kind == "list":
                    new = node[1]
                elif kind == "comment":
                    if (ot == "html" or (ot == "pre" and pp.remove_comments)
                            or flags & STRIP_COMMENTS) and not flags & RECOVER_COMMENTS:
                        pass
                    elif ot == "wiki" and not flags & RECOVER_COMMENTS:
                        append(pp.ctx.strip.add_general(node[1], "comment"))
                    else:
                        append(node[1])
                elif kind == "ignore":
                    if (self.parent is None and ot == "wiki") or flags & NO_IGNORE:
                        append(node[1])
                elif kind == "ext":
                    if flags & NO_TAGS or (flags & PROCESS_NOWIKI and node[1].lower() == "nowiki"):
                        _k, name, attr, inner, close = node
                        if inner is not None:
                            append(f"<{name}{attr}>{inner}{close or ''}")
                        else:
                            append(f"<{name}{attr}/>")
                    else:
                        append(pp.extension_substitution(node, self))
                elif kind == "h":
                    if ot == "html":
                        s = self.expand(node[3], flags)
                        level = node[1]
                        pp.ctx.headings.append((self.title.prefixed_text, node[2]))
                        marker = pp.ctx.strip.add_heading(len(pp.ctx.headings) - 1)
                        append(s[:level] + marker + s[level:])
                    else:
                        new = node[3]
                elif kind == "possible-h":
                    new = node[3]
                elif kind == "equals":
                    append("=")
                else:
                    raise ValueError(f"unknown preprocessor node {kind!r}")
                if new is not None:
                    stack.append(iter(new))
                    break
            else:
                stack.pop()

    def implode(self, sep: str, nodes: list, flags: int = 0) -> str:
        return sep.join(self.expand([n], flags) for n in nodes)


class TemplateFrame(Frame):
    """``PPTemplateFrame_Hash``: a template call's frame with its arguments."""

    def __init__(self, pp: "PPState", parent: Frame, numbered: dict, named: dict,
                 title: Any) -> None:
        super().__init__(pp, title)
        self.parent = parent
        self.numbered = numbered
        self.named = named
        key = pp.names(title)[1] if title is not None else None
        self.loop_check = parent.loop_check | {key} if key is not None else parent.loop_check
        self.depth = parent.depth + 1
        self._num_cache: dict = {}
        self._named_cache: dict = {}

    def is_template(self) -> bool:
        return True

    def is_empty(self) -> bool:
        return not self.numbered and not self.named

    def cached_expand(self, key: str, tree: list, flags: int = 0) -> str:
        assert self.parent is not None
        cache = self.parent.child_cache
        if key in cache:
            return cache[key]
        value = self.expand(tree, flags)
        if not self.volatile:
            cache[key] = value
        return value

    def get_numbered_argument(self, key: str | int) -> str | None:
        if key not in self.numbered:
            return None
        if key not in self._num_cache:
            assert self.parent is not None
            self._num_cache[key] = self.parent.expand(self.numbered[key], STRIP_COMMENTS)
        return self._num_cache[key]

    def get_named_argument(self, key: str | int) -> str | None:
        if key not in self.named:
            return None
        if key not in self._named_cache:
            assert self.parent is not None
            self._named_cache[key] = self.parent.expand(self.named[key], STRIP_COMMENTS).strip(PHP_WS)
        return self._named_cache[key]

    def get_argument(self, name: str | int) -> str | None:
        key = arg_key(name)
        text = self.get_numbered_argument(key)
        if text is None:
            text = self.get_named_argument(key)
        return text

    def get_arguments(self) -> dict[str | int, str]:
        result: dict[str | int, str] = {}
        for key in list(self.numbered) + list(self.named):
            value = self.get_argument(key)
            if value is not None:
                result[key] = value
        return result

    def set_volatile(self, flag: bool = True) -> None:
        self.volatile = flag
        if self.parent is not None:
            self.parent.set_volatile(flag)
