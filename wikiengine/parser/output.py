"""ParserOutput: everything one parse produces (HTML plus the page's link tables data).

Mirrors MediaWiki's includes/parser/ParserOutput.php: links, templates, categories with
sort keys, images, external links, language and interwiki links, page properties,
sections (shaped like action=parse ``sections``), the limit report and warnings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Bumped whenever the HTML produced for the same input changes (parser cache key).
PARSER_VERSION = "wikiengine-1.39-2"


@dataclass
class ParserOutput:
    html: str = ""
    #: prefixed dbkey -> Title of every internal link target (pagelinks)
    links: dict[str, Any] = field(default_factory=dict)
    #: prefixed dbkey -> Title of every transcluded page (templatelinks)
    templates: dict[str, Any] = field(default_factory=dict)
    #: category dbkey (without namespace) -> sort key ("" means the page's default)
    categories: dict[str, str] = field(default_factory=dict)
    #: file dbkeys used (imagelinks)
    images: dict[str, Any] = field(default_factory=dict)
    #: external URLs linked (externallinks)
    external_links: dict[str, None] = field(default_factory=dict)
    #: interlanguage links, "prefix:Title" in order of appearance (langlinks)
    language_links: list[str] = field(default_factory=list)
    #: prefix -> {dbkey: True} (iwlinks)
    interwiki_links: dict[str, dict[str, bool]] = field(default_factory=dict)
    #: page properties: DEFAULTSORT, DISPLAYTITLE, NOTOC, FORCETOC, NOEDITSECTION, ...
    properties: dict[str, Any] = field(default_factory=dict)
    redirect: Any = None
    #: [{toclevel, level, line, number, index, fromtitle, byteoffset, anchor, linkAnchor}]
    sections: list[dict[str, Any]] = field(default_factory=list)
    limit_report: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    indicators: dict[str, str] = field(default_factory=dict)
    #: the TOC HTML (also inserted in ``html`` unless suppressed)
    toc_html: str = ""
    #: title shown to the reader (DISPLAYTITLE) as HTML, or None
    display_title: str | None = None
    #: flags such as "vary-revision", "vary-user" (parser test ``showflags``)
    flags: set[str] = field(default_factory=set)
    #: extension modules / styles requested (ResourceLoader names)
    modules: list[str] = field(default_factory=list)
    #: seconds this output may stay in the parser cache (None: until the page changes);
    #: lowered by clock-dependent content (``ParserOutput::updateCacheExpiry``)
    cache_expiry: int | None = None

    def add_link(self, title: Any) -> None:
        self.links.setdefault(title.prefixed_dbkey, title)

    def add_category(self, name: str, sortkey: str) -> None:
        self.categories.setdefault(name, sortkey)

    def add_external_link(self, url: str) -> None:
        self.external_links.setdefault(url, None)

    def add_language_link(self, link: str) -> None:
        if link not in self.language_links:
            self.language_links.append(link)

    def add_interwiki_link(self, prefix: str, dbkey: str) -> None:
        self.interwiki_links.setdefault(prefix, {})[dbkey] = True

    def set_flag(self, flag: str) -> None:
        self.flags.add(flag)

    def update_cache_expiry(self, seconds: int) -> None:
        """Keep the shortest expiry asked for (MediaWiki's ``updateCacheExpiry``)."""
        if self.cache_expiry is None or seconds < self.cache_expiry:
            self.cache_expiry = max(0, int(seconds))
