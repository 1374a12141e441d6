"""Readable text from wikitext without rendering it, for when no rendered HTML is at hand.

Owns a fast, approximate markup stripper used while ``wikiengine.rendering`` is unavailable
and by the benchmark (which indexes 50,000 pages and measures the index, not the parser):
templates, tables' markup, comments, references' tags, files and category links are removed;
links keep their label; bold/italic quotes, heading signs and list bullets disappear.
Also finds categories, headings and a redirect target in wikitext.
"""
from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_NOWIKI_LIKE = re.compile(r"<(ref|gallery|math|syntaxhighlight|source|score|timeline|graph)"
                          r"\b[^>]*?(?:/>|>.*?</\1\s*>)", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_TABLE_LINE = re.compile(r"^\s*(?:\{\||\|\}|\|-|\|\+|!|\|)(?:[^|\n]*\|(?!\|))?", re.M)
_CELL_SEP = re.compile(r"\|\||!!")
_FILE_LINK = re.compile(r"\[\[\s*(?:file|image|fichier|média|media)\s*:[^\[\]]*"
                        r"(?:\[\[[^\]]*\]\][^\[\]]*)*\]\]", re.I)
_CATEGORY = re.compile(r"\[\[\s*(?:category|catégorie|categorie)\s*:\s*([^\]|]+)(?:\|[^\]]*)?\]\]",
                       re.I)
_INTERLANG = re.compile(r"\[\[[a-z]{2,3}(?:-[a-z]+)?:[^\]]*\]\]")
_LINK = re.compile(r"\[\[:?([^\]|]*)(?:\|([^\]]*))?\]\]([a-zà-ÿ]*)")
_EXTLINK = re.compile(r"\[(?:https?:|ftp:|//|mailto:)[^\s\]]*\s*([^\]]*)\]")
_QUOTES = re.compile(r"'{2,}")
_HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$", re.M)
_BULLETS = re.compile(r"^[*#:;]+\s*", re.M)
_SWITCH = re.compile(r"__[A-Z]+__")
_REDIRECT = re.compile(r"^\s*#\s*(?:redirect|redirection)\s*:?\s*\[\[([^\]|#]+)", re.I)
_BLANKS = re.compile(r"\n{3,}")
_INNER_TEMPLATE = re.compile(r"\{\{(?:(?!\{\{|\}\}).)*\}\}", re.S)


def strip_templates(text: str) -> str:
    """Remove ``{{…}}`` and ``{{{…}}}`` constructs, innermost first, to any depth.

    An unclosed ``{{`` stays as text, as MediaWiki shows it.
    """
    for _ in range(40):
        text, count = _INNER_TEMPLATE.subn("", text)
        if not count:
            break
    return text


def _link(match: re.Match[str]) -> str:
    target, label, trail = match.group(1), match.group(2), match.group(3)
    if label is None:
        label = target.split("#")[0]
    return label + trail


def wikitext_to_text(text: str) -> str:
    """Approximate reader text of ``text`` (see the module docstring)."""
    text = _COMMENT.sub("", text)
    text = _NOWIKI_LIKE.sub(" ", text)
    text = strip_templates(text)
    text = _FILE_LINK.sub(" ", text)
    text = _CATEGORY.sub("", text)
    text = _INTERLANG.sub("", text)
    text = _LINK.sub(_link, text)
    text = _EXTLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _TABLE_LINE.sub("", text)
    text = _CELL_SEP.sub(" ", text)
    text = _HEADING.sub(r"\2", text)
    text = _QUOTES.sub("", text)
    text = _BULLETS.sub("", text)
    text = _SWITCH.sub("", text)
    text = html.unescape(text)
    return _BLANKS.sub("\n\n", text).strip()


def categories(text: str) -> list[str]:
    """Category names linked in ``text`` (without the namespace, spaces, first letter upper)."""
    seen: dict[str, None] = {}
    for match in _CATEGORY.finditer(_COMMENT.sub("", text)):
        name = re.sub(r"[\s_]+", " ", match.group(1)).strip()
        if name:
            seen.setdefault(name[0].upper() + name[1:], None)
    return list(seen)


def headings(text: str) -> list[str]:
    """Section heading texts of ``text``, markup removed."""
    return [wikitext_to_text(m.group(2)) for m in _HEADING.finditer(_COMMENT.sub("", text))]


def redirect_target(text: str) -> str | None:
    """The target of a ``#REDIRECT [[…]]`` / ``#REDIRECTION [[…]]`` page, else None."""
    match = _REDIRECT.match(text)
    return match.group(1).strip() if match else None
