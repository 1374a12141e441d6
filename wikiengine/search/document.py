"""The search document: what the index knows about one page, and the result shapes.

Owns ``SearchDocument`` (built from the database by ``wikiengine.search.pages``, or directly by
benchmarks and tests), ``Hit`` and ``Results`` (what the facade returns to the web views, the
API and the CLI), and turning rendered HTML into the plain text readers see.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

#: Body text kept in the index per page (a 2 MB article renders to far less than this).
MAX_CONTENT_CHARS = 1_000_000

_DROP_BLOCKS = re.compile(
    r"<(script|style|math|svg)\b[^>]*>.*?</\1\s*>"
    r"|<(?:div|span|ul|ol|table)\b[^>]*\b(?:id|class)=\"[^\"]*\b(?:toc|mw-editsection|"
    r"mw-references-wrap|catlinks|navbox)\b[^\"]*\"[^>]*>"
    r"|<!--.*?-->",
    re.S | re.I,
)
_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|li|tr|td|th|h[1-6]|dd|dt|pre|table|blockquote)\b[^>]*>",
                         re.I)
_TAGS = re.compile(r"<[^>]*>")
_EDIT_LINKS = re.compile(r"\[\s*(?:modifier|edit|modifier le code)\s*\]", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_LINES = re.compile(r"\s*\n\s*")


def html_to_text(markup: str) -> str:
    """The text of rendered HTML as a reader sees it: no tags, entities decoded.

    Scripts, styles and edit-section links are dropped; block boundaries become new lines.
    """
    text = _DROP_BLOCKS.sub(" ", markup)
    text = _BLOCK_TAGS.sub("\n", text)
    text = _TAGS.sub("", text)
    text = html.unescape(text)
    text = _EDIT_LINKS.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n", text).strip()


@dataclass
class SearchDocument:
    """One page as indexed.

    :param page_id: the page's ``page_id`` (the document's unique key).
    :param namespace: namespace number.
    :param title: title text without the namespace prefix, with spaces.
    :param prefixed: title text with the localised namespace prefix (what is displayed).
    :param content: plain text of the rendered page.
    :param redirects: prefixed titles of the redirect pages pointing here.
    :param redirect_ids: their page ids (to reindex the target when a redirect changes).
    """

    page_id: int
    namespace: int
    title: str
    prefixed: str
    content: str = ""
    headings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    redirect_ids: list[int] = field(default_factory=list)
    timestamp: datetime | None = None
    size: int = 0

    def wordcount(self) -> int:
        return len(self.content.split())


@dataclass
class Hit:
    """One search result (the shape the API's ``list=search`` reports).

    ``snippet`` and ``titlesnippet`` are HTML: escaped text with matched words wrapped in
    ``<span class="searchmatch">``. ``timestamp`` is ISO 8601 UTC (``2024-05-01T12:00:00Z``).
    ``redirecttitle`` is set when the query matched a redirect to the page.
    """

    page_id: int
    namespace: int
    title: str
    snippet: str = ""
    titlesnippet: str = ""
    score: float = 0.0
    size: int = 0
    wordcount: int = 0
    timestamp: str = ""
    redirecttitle: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "pageid": self.page_id, "ns": self.namespace, "title": self.title,
            "snippet": self.snippet, "titlesnippet": self.titlesnippet, "score": self.score,
            "size": self.size, "wordcount": self.wordcount, "timestamp": self.timestamp,
            "redirecttitle": self.redirecttitle,
        }


@dataclass
class Results:
    """A page of results.

    :param total: how many pages match in all (for "results 1–20 of 345").
    :param hits: this page of results, best first.
    :param suggestion: a corrected query ("did you mean") when the query found little.
    :param error: a message for the reader instead of results (query too long, empty…);
        ``error_code`` is the matching API code (``toolong``, ``empty``, ``unavailable``).
    :param notice: information shown above results (the index is being rebuilt…).
    """

    query: str = ""
    total: int = 0
    offset: int = 0
    hits: list[Hit] = field(default_factory=list)
    suggestion: str = ""
    error: str = ""
    error_code: str = ""
    notice: str = ""


def iso(moment: datetime | None) -> str:
    """MediaWiki's API timestamp format, UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
