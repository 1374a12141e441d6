"""Snippets: the piece of a page shown under a search result, matched words highlighted.

Owns finding the first place where the page's text matches the query and marking matched
words as MediaWiki does (``<span class="searchmatch">word</span>``), everything else escaped.
Whoosh's own highlighter re-analyses the whole stored text through token objects for every
hit (about three quarters of a query's time in our measurements); here words are scanned with
one regular expression and turned into index terms through the analyser's per-word cache, and
the scan stops as soon as the snippet's window is known.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable, Iterable

from .analysis import WORD

_WORD = re.compile(WORD)

#: Length of a snippet and the context kept before the first match, in characters.
WIDTH = 300
BEFORE = 80
#: How far into a page the first match is looked for.
SCAN_LIMIT = 200_000

Normaliser = Callable[[str], "str | None"]


def lead(content: str, width: int = WIDTH) -> str:
    """The first words of ``content``, escaped: the snippet when no word of the text matched."""
    text = content[:width]
    if len(content) > width and " " in text:
        text = text.rsplit(" ", 1)[0]
    return html.escape(text, quote=False)


def _mark(text: str, spans: Iterable[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start], quote=False))
        out.append(f'<span class="searchmatch">{html.escape(text[start:end], quote=False)}'
                   "</span>")
        last = end
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


_ACCENTS = {"a": "aàâäáãå", "c": "cç", "e": "eéèêë", "i": "iîïíì", "o": "oôöóòõø",
            "u": "uùûüú", "y": "yÿý", "n": "nñ"}


@lru_cache(maxsize=256)
def _candidates(terms: frozenset[str]) -> re.Pattern[str] | None:
    """Words that may stem to one of ``terms``: each term as the start of a word, accents
    tolerated. A regular expression finds these at C speed; each is then checked exactly.
    None when there are too many terms (a wide wildcard) to be worth it."""
    if not terms or len(terms) > 200:
        return None
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        parts.append("".join(f"[{_ACCENTS[c]}]" if c in _ACCENTS else re.escape(c)
                             for c in term[:6]))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _matches(text: str, terms: frozenset[str], term: Normaliser, start: int = 0,
             stop: int | None = None) -> Iterable[tuple[int, int]]:
    end = len(text) if stop is None else min(stop, len(text))
    pattern = _candidates(terms)
    if pattern is None:
        for match in _WORD.finditer(text, start, min(end, start + SCAN_LIMIT // 8)):
            if term(match.group(0)) in terms:
                yield match.span()
        return
    for candidate in pattern.finditer(text, start, end):
        match = _WORD.match(text, candidate.start())
        if match is not None and term(match.group(0)) in terms:
            yield match.span()


def highlight_all(text: str, terms: frozenset[str], term: Normaliser) -> tuple[str, int]:
    """All of ``text`` (a title) with its matching words marked, and how many matched."""
    spans = list(_matches(text, terms, term)) if terms else []
    return _mark(text, spans), len(spans)


def snippet(content: str, terms: frozenset[str], term: Normaliser) -> str:
    """About ``WIDTH`` characters around the first match in ``content``, matches marked;
    the lead of the page when nothing in its first ``SCAN_LIMIT`` characters matches."""
    if not terms:
        return lead(content)
    first = next(iter(_matches(content, terms, term, 0, SCAN_LIMIT)), None)
    if first is None:
        return lead(content)
    start = max(0, first[0] - BEFORE)
    if start:
        space = content.find(" ", start, first[0])
        start = space + 1 if space != -1 else start
    end = min(len(content), start + WIDTH)
    if end < len(content):
        space = content.rfind(" ", first[1], end)
        end = space if space != -1 else end
    window = content[start:end]
    return _mark(window, _matches(window, terms, term))
