"""SiteConfig: the wiki-wide settings the parser needs (MediaWiki's $wg* globals).

Owns server and paths, namespaces, interwiki/interlanguage tables, link and fragment
settings, the clock, limits. ``SiteConfig.default()`` is a stock English wiki; the
parser-test wiki is built by ``conformance.parser_test_site()``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from wikiengine.namespaces import Namespaces


@dataclass(frozen=True)
class Interwiki:
    prefix: str
    url: str
    local: bool = False


@dataclass
class Limits:
    max_include_size: int = 2 * 1024 * 1024
    max_expansion_depth: int = 40
    max_node_count: int = 1_000_000
    expensive_function_limit: int = 100
    max_pp_expand_depth: int = 100


@dataclass
class SiteConfig:
    sitename: str = "MediaWiki"
    server: str = "http://localhost"
    script_path: str = "/w"
    script: str = "/w/index.php"
    article_path: str = "/wiki/$1"
    namespaces: Namespaces = field(default_factory=lambda: Namespaces(language="en", meta="Project"))
    language: str = "en"
    #: lower-case prefix -> Interwiki
    interwiki: dict[str, Interwiki] = field(default_factory=dict)
    #: prefixes that are interlanguage links when used without a leading colon
    interlanguage: frozenset[str] = frozenset()
    #: prefixes of this very wiki (``[[local:Foo]]`` is an internal link)
    local_interwikis: frozenset[str] = frozenset()
    capital_links: bool = True
    nofollow: bool = True
    nofollow_exceptions: tuple[str, ...] = ()
    external_link_target: str | None = None
    fragment_mode: tuple[str, ...] = ("legacy",)
    #: $wgEnableMagicLinks: off by default since MediaWiki 1.28
    enable_magic_links: dict[str, bool] = field(
        default_factory=lambda: {"ISBN": False, "PMID": False, "RFC": False})
    max_toc_level: int = 999
    now: _dt.datetime | None = None
    timezone: str = "UTC"
    page_id: int = 0
    revision_id: int = 0
    revision_timestamp: _dt.datetime | None = None
    revision_user: str = ""
    upload_base_url: str = "/images"
    upload_hash_levels: int = 2
    thumb_limit: int = 180
    allow_external_images: bool = False
    limits: Limits = field(default_factory=Limits)
    raw_html: bool = False
    allow_display_title: bool = True
    restrict_display_title: bool = True
    url_protocols: tuple[str, ...] = (
        "bitcoin:", "ftp://", "ftps://", "geo:", "git://", "gopher://", "http://", "https://",
        "irc://", "ircs://", "magnet:", "mailto:", "matrix:", "mms://", "news:", "nntp://",
        "redis://", "sftp://", "sip:", "sips:", "sms:", "ssh://", "svn://", "tel:", "telnet://",
        "urn:", "worldwind://", "xmpp:", "//",
    )
    stats: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def default(cls) -> "SiteConfig":
        """A stock English MediaWiki on http://localhost."""
        return cls()

    def copy(self, **changes: Any) -> "SiteConfig":
        return replace(self, **changes)

    def clock(self) -> _dt.datetime:
        return self.now or _dt.datetime.now(_dt.timezone.utc)

    # -- URLs ------------------------------------------------------------------------
    def local_url(self, prefixed_dbkey: str, query: str = "") -> str:
        """``Title::getLocalURL``: /wiki/Foo or /index.php?title=Foo&query."""
        key = wfurlencode(prefixed_dbkey)
        if not query:
            return self.article_path.replace("$1", key)
        return f"{self.script}?title={key}&{query}"

    def full_url(self, prefixed_dbkey: str, query: str = "") -> str:
        url = self.local_url(prefixed_dbkey, query)
        return url if url.startswith(("http://", "https://", "//")) else self.server + url

    def is_interwiki(self, prefix: str) -> bool:
        return prefix.lower() in self.interwiki


_URLENCODE_SAFE = ";@$!*(),/~:"


def wfurlencode(s: str) -> str:
    """MediaWiki's ``wfUrlencode``: rawurlencode keeping ; @ $ ! * ( ) , / ~ :"""
    return quote(s.encode("utf-8"), safe=_URLENCODE_SAFE)
