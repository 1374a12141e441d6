"""Section extraction and replacement for ``&section=N`` edits (Parser::extractSections).

Owns finding section N of a page's wikitext the way MediaWiki counts headings: only the
headings the preprocessor sees at the top level (not those inside templates, comments,
``<nowiki>`` or other extension tags), with ``T-N`` ids counting headings inside
``<includeonly>`` (sections shown through transclusion); section 0 is the lead; a section
runs until the next heading of the same or a higher level. Also the "new section" append.
"""
from __future__ import annotations

from typing import Iterable

from .ppnodes import build_tree

_MISSING = object()

#: MediaWiki's core tags beyond <pre>/<nowiki> (CoreTagHooks): their content holds no
#: sections either. Callers add the extension tags of their wiki (``<ref>``…).
CORE_TAGS = ("gallery", "indicator", "langconvert")


def _tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(CORE_TAGS) | set(tags)))


def recover_original(node: object) -> str:
    """A node's original wikitext (``PPFrame::RECOVER_ORIG`` with no frame state)."""
    out: list[str] = []
    stack = [iter([node])]
    while stack:
        for n in stack[-1]:
            if type(n) is str:
                out.append(n)
                continue
            kind = n[0]
            new: list | None = None
            if kind in ("template", "tplarg"):
                brace = "{{" if kind == "template" else "{{{"
                new = [brace, ("list", n[1])]
                for part in n[2]:
                    new.append("|")
                    new.append(part)
                new.append(brace.replace("{", "}"))
            elif kind == "part":
                new = n[2] if n[1] is None else [("list", n[1]), "=", ("list", n[2])]
            elif kind == "list":
                new = n[1]
            elif kind in ("comment", "ignore"):
                out.append(n[1])
            elif kind == "ext":
                _k, name, attr, inner, close = n
                out.append(f"<{name}{attr}>{inner}{close or ''}" if inner is not None
                           else f"<{name}{attr}/>")
            elif kind in ("h", "possible-h"):
                new = n[3]
            elif kind == "equals":
                out.append("=")
            if new is not None:
                stack.append(iter(new))
                break
        else:
            stack.pop()
    return "".join(out)


def _parse_id(section: int | str) -> tuple[int, bool] | None:
    parts = str(section).split("-")
    try:
        index = int(parts[-1])
    except ValueError:
        return None
    return index, "T" in parts[:-1]


def _extract(text: str, section: int | str, mode: str, new_text: str,
             tags: Iterable[str]) -> object:
    parsed = _parse_id(section)
    if parsed is None:
        return _MISSING
    index, for_include = parsed
    if text == "":
        if index == 0:
            return "" if mode == "get" else new_text
        return _MISSING
    nodes = build_tree(text, for_include, _tags(tags))
    out: list[str] = []
    pos = 0
    target_level = 1000
    if index != 0:
        while pos < len(nodes):
            node = nodes[pos]
            if type(node) is tuple and node[0] == "h" and node[2] == index:
                target_level = node[1]
                break
            if mode == "replace":
                out.append(recover_original(node))
            pos += 1
        else:
            return _MISSING
    while pos < len(nodes):
        node = nodes[pos]
        if type(node) is tuple and node[0] == "h" and node[2] != index and node[1] <= target_level:
            break
        if mode == "get":
            out.append(recover_original(node))
        pos += 1
    if mode == "replace":
        if new_text != "":
            out.append(new_text + "\n\n")
        out.extend(recover_original(n) for n in nodes[pos:])
    return "".join(out).rstrip(" \t\n\r\0\x0b")


def get_section(text: str, section: int | str, default: str | None = None,
                tags: Iterable[str] = ()) -> str | None:
    """Wikitext of section ``section`` (``0``, ``3``, ``"T-2"``) or ``default`` when the page
    has no such section."""
    result = _extract(text, section, "get", "", tags)
    return default if result is _MISSING else str(result)


def replace_section(text: str, section: int | str, new: str,
                    tags: Iterable[str] = ()) -> str | None:
    """The page text with section ``section`` replaced by ``new`` (None: no such section)."""
    result = _extract(text, section, "replace", new, tags)
    return None if result is _MISSING else str(result)


def add_section(text: str, heading: str, body: str) -> str:
    """``section=new``: append ``== heading ==`` and ``body`` (WikitextContent::replaceSection)."""
    content = f"== {heading} ==\n\n{body}" if heading != "" else body
    return f"{text}\n\n{content}" if text.strip(" \t\n\r\0\x0b") else content


def section_numbers(text: str, tags: Iterable[str] = (), for_include: bool = False) -> list[int]:
    """The section numbers of ``text``'s editable headings, in order. As in MediaWiki they
    can have gaps: a heading inside a template argument takes a number but is no section."""
    return [n[2] for n in build_tree(text, for_include, _tags(tags))
            if type(n) is tuple and n[0] == "h"]
