"""ParseContext: the state of one parse, shared by the preprocessor and the renderer.

Owns ``ParserOptions`` (per-parse choices), ``ParserHooks`` (tag hooks, parser functions,
after-render hooks until ``wikiengine.registry`` provides them) and ``ParseContext``
(title, page source, site, output, strip state, counters, extension state).
PREPROCESS may add fields here, each with a comment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .output import ParserOutput
from .site import SiteConfig
from .source import PageSource
from .strip import StripState

#: tag hook: (content or None for <tag/>, attributes, ctx, frame) -> HTML
TagHook = Callable[[Any, dict, "ParseContext", Any], str]
#: parser function: (ctx, frame, args) -> wikitext
FunctionHook = Callable[["ParseContext", Any, list], str]


@dataclass
class ParserHooks:
    """Extension points: ``<tag>`` hooks, ``{{#function:}}`` hooks and HTML post-filters."""

    tags: dict[str, TagHook] = field(default_factory=dict)
    functions: dict[str, FunctionHook] = field(default_factory=dict)
    after_render: list[Callable[[str, "ParseContext"], str]] = field(default_factory=list)
    #: hooks whose tag output must be re-parsed as wikitext is the tag's own business;
    #: names here are variable-like magic words added by extensions: name -> fn(ctx) -> str
    variables: dict[str, Callable[["ParseContext"], str]] = field(default_factory=dict)

    def copy(self) -> "ParserHooks":
        return ParserHooks(dict(self.tags), dict(self.functions), list(self.after_render),
                           dict(self.variables))


@dataclass
class ParserOptions:
    """Per-parse options (MediaWiki's ParserOptions)."""

    preview: bool = False
    section_edit_links: bool = True
    #: insert the TOC into the HTML (parser test ``notoc`` turns it off)
    allow_toc: bool = True
    #: wrap the output in <div class="mw-parser-output">
    wrap: bool = False
    user_name: str = "127.0.0.1"
    user_nickname: str = ""
    user_fancy_sig: bool = False
    #: interface (user) language code
    interface_language: str = "en"
    #: content language variant, for language conversion
    variant: str = ""
    is_pst: bool = False
    #: parse as an interface message (``msg`` mode)
    interface_message: bool = False
    #: target language for {{int:}} and messages
    target_language: str = ""
    #: external link target (_blank ...)
    external_link_target: str | None = None
    #: suppress the "Template loop" etc. warnings in HTML
    suppress_warnings: bool = False
    #: maximum include size override (bytes), None = site default
    max_include_size: int | None = None
    max_template_depth: int | None = None
    #: speculative revision id for {{REVISIONID}} during preview/PST
    speculative_revision_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Counters:
    expensive: int = 0
    include_size: int = 0
    node_count: int = 0
    max_depth_seen: int = 0
    template_argument_size: int = 0


@dataclass
class ParseContext:
    title: Any                      # wikiengine.title.Title of the page being parsed
    source: PageSource
    site: SiteConfig
    options: ParserOptions = field(default_factory=ParserOptions)
    output: ParserOutput = field(default_factory=ParserOutput)
    strip: StripState = field(default_factory=StripState)
    hooks: ParserHooks = field(default_factory=ParserHooks)
    counters: Counters = field(default_factory=Counters)
    ext_state: dict[str, Any] = field(default_factory=dict)
    #: headings met by the preprocessor: (prefixed title text it came from, heading index
    #: in that page); the marker ``strip.heading_marker(serial)`` refers to entry ``serial``
    headings: list[tuple[str, int]] = field(default_factory=list)
    #: DEFAULTSORT key (also in output.properties["defaultsort"])
    default_sort: str = ""
    #: pages whose existence was already asked for (prefixed dbkey -> bool)
    exists_cache: dict[str, bool] = field(default_factory=dict)

    @property
    def registry(self) -> ParserHooks:
        """Alias used by the interface description."""
        return self.hooks

    def title_exists(self, title: Any) -> bool:
        key = title.prefixed_dbkey
        if key not in self.exists_cache:
            self.exists_cache[key] = key in self.source.exists_many([title])
        return self.exists_cache[key]

    def make_title(self, text: str, default_namespace: int = 0) -> Any:
        """Parse ``text`` as a title of this wiki (interwiki prefixes known); None if invalid."""
        from wikiengine.title import InvalidTitle, Title
        if "&" in text:
            # MediaWiki decodes character references once and only with their ";"
            # (Sanitizer::decodeCharReferences); Title.new must not decode again
            from .sanitizer import decode_char_references
            text = decode_char_references(text).replace("&", "&amp;")
        try:
            return Title.new(text, self.site.namespaces, default_namespace,
                             interwiki=self.site.is_interwiki)
        except InvalidTitle:
            return None
