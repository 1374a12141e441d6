"""Phase 1 of the parser: template expansion (MediaWiki's Parser::replaceVariables & co).

Owns ``expand()`` — the page's text through the preprocessor tree (``ppnodes``) and the
expansion frames (``frame``) — and the per-parse state behind it: ``braceSubstitution``
(subst, magic variables, msgnw/raw, parser functions, templates with redirects, loop and depth
checks, the post-expand include size), ``argSubstitution`` (``{{{1|default}}}``),
``extensionSubstitution`` (``<nowiki>``, ``<pre>`` and hooked tags become strip markers),
and MediaWiki's limit warnings and tracking categories.
"""
from __future__ import annotations

import re
from typing import Any

from wikiengine.namespaces import MEDIAWIKI, SPECIAL, TEMPLATE

from . import corefunctions, pptags
from .pplang import (escape_wikitext, format_num, normalize_subpage_link, parser_message,
                     system_message)
from .ppvariables import magic_variable
from .frame import PHP_WS, RECOVER_ORIG, STRIP_COMMENTS, Frame, PPArg, bracketed
from .ppmeta import special_transclusion
from .magicwords import add_tracking_category, handle_double_underscore, magic_words
from .ppnodes import preprocess_to_tree

_BLOCK_START = re.compile(r"(?:\{\||:|;|#|\*)")
_ERROR_PREFIX = '<span class="error">'

def _byte_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8"))


class PPState:
    """Everything the preprocessor keeps for one parse (Parser's m* members)."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.ot = "html"
        site = ctx.site
        limits = site.limits
        opts = ctx.options
        self.max_node_count = limits.max_node_count
        self.max_expand_depth = getattr(limits, "max_pp_expand_depth", 100)
        self.max_template_depth = opts.max_template_depth or limits.max_expansion_depth
        self.max_include_size = opts.max_include_size or limits.max_include_size
        self.expensive_limit = limits.expensive_function_limit
        self.node_count = 0
        self.expansion_depth = 0
        self.highest_depth = 0
        self.include_sizes = {"post-expand": 0, "arg": 0}
        self.expensive_count = 0
        self.remove_comments = True
        self.dom_cache: dict[str, list | None] = {}
        self.redirect_cache: dict[str, Any] = {}
        self.mw = magic_words(site.language)
        tags = set(ctx.hooks.tags) | {"indicator"}
        if site.raw_html:
            tags.add("html")
        self.tags = tuple(sorted(tags))
        self._warned: set[str] = set()
        self._titles: dict[tuple[str, int], Any] = {}
        self._names: dict[Any, tuple[str, str]] = {}

    # -- limits ------------------------------------------------------------------------
    def limitation_warn(self, kind: str, current: int | None = None, maximum: int | None = None
                        ) -> None:
        text = parser_message(self.ctx.options.interface_language or self.ctx.site.language,
                              f"{kind}-warning", current, maximum) or kind
        if text not in self._warned:
            self._warned.add(text)
            self.ctx.output.warnings.append(text)
        add_tracking_category(self.ctx, f"{kind}-category")

    def increment_include_size(self, kind: str, size: int) -> bool:
        if self.include_sizes[kind] + size > self.max_include_size:
            return False
        self.include_sizes[kind] += size
        return True

    def increment_expensive(self) -> bool:
        """``Parser::incrementExpensiveFunctionCount``; warns once past the limit."""
        self.expensive_count += 1
        if self.expensive_count > self.expensive_limit:
            self.limitation_warn("expensive-parserfunction", self.expensive_count,
                                 self.expensive_limit)
            return False
        return True

    def duplicate_arg(self, frame: Frame, title: Any, key: str | int) -> None:
        warning = parser_message(
            self.ctx.options.interface_language or self.ctx.site.language,
            "duplicate-args-warning", frame.title.prefixed_text,
            title.prefixed_text if title is not None else "", key)
        if warning and warning not in self.ctx.output.warnings:
            self.ctx.output.warnings.append(warning)
        add_tracking_category(self.ctx, "duplicate-args-category")

    # -- templates -----------------------------------------------------------------------
    def names(self, title: Any) -> tuple[str, str]:
        """(prefixed text, prefixed dbkey) of ``title``, computed once per parse."""
        try:
            return self._names[title]
        except KeyError:
            text = title.prefixed_text
            got = self._names[title] = (text, text.replace(" ", "_"))
            return got

    def make_title(self, text: str, default_ns: int = 0) -> Any:
        key = (text, default_ns)
        try:
            return self._titles[key]
        except KeyError:
            title = self._titles[key] = self.ctx.make_title(text, default_ns)
            return title

    def fetch_template(self, title: Any) -> tuple[str | None, Any]:
        """``Parser::statelessFetchTemplate``: text of ``title`` following one redirect;
        every page read is recorded in ``output.templates``."""
        text: str | None = None
        final = title
        source = self.ctx.source
        for _ in range(2):
            if title is None:
                break
            content = source.get_text(title) if not title.interwiki else None
            self.ctx.output.templates.setdefault(self.names(title)[1], title)
            if content is None:
                if title.namespace == MEDIAWIKI:
                    content = system_message(self.ctx, title)
                if content is None:
                    break
            text = content
            final = title
            title = redirect_target(content, self.ctx)
        if text is not None:
            text = text.replace("\x7f", "?")
        return text, final

    def get_template_dom(self, title: Any) -> tuple[list | None, Any]:
        key = self.names(title)[1]
        if key in self.redirect_cache:
            title = self.redirect_cache[key]
        tkey = self.names(title)[1]
        if tkey in self.dom_cache:
            return self.dom_cache[tkey], title
        text, final = self.fetch_template(title)
        if text is None:
            self.dom_cache[tkey] = None
            return None, final
        dom = preprocess_to_tree(text, True, self.tags)
        self.dom_cache[tkey] = dom
        if self.names(final)[1] != key:
            self.redirect_cache[key] = final
        return dom, final

    def brace_substitution(self, node: tuple, frame: Frame) -> tuple[str, list | None]:
        """``Parser::braceSubstitution``: returns (text, None) or ("", nodes to expand)."""
        _kind, title_nodes, parts, line_start = node
        ctx = self.ctx
        mw = self.mw
        found = nowiki = is_html = is_child_obj = is_local_obj = False
        text: Any = ""
        title = None
        title_text: str | None = None
        title_with_spaces = frame.expand(title_nodes)
        part1 = title_with_spaces.strip(PHP_WS)
        original_title = part1

        has_colon = ":" in part1
        subst = None
        if has_colon:
            subst, rest = mw.match_start_and_remove(part1, "subst", "safesubst")
            if subst is not None:
                part1 = rest
        literal = (subst is None) if self.ot == "wiki" else (subst == "subst")
        if literal:
            text = bracketed("{{", title_with_spaces, parts, "}}")
            is_local_obj = found = True

        if not found and not parts:
            mid = mw.match_variable(part1)
            if mid is not None:
                text = magic_variable(self, mid, frame)
                found = True
            elif part1 in ctx.hooks.variables:
                text = ctx.hooks.variables[part1](ctx)
                found = True

        if not found and has_colon:
            m, rest = mw.match_start_and_remove(part1, "msgnw")
            if m is not None:
                nowiki = True
                part1 = rest
            else:
                m, rest = mw.match_start_and_remove(part1, "msg")
                if m is not None:
                    part1 = rest
            m, rest = mw.match_start_and_remove(part1, "raw")
            if m is not None:
                part1 = rest

        dom = None
        if not found:
            colon = part1.find(":")
            if colon != -1:
                result = self.call_parser_function(frame, part1[:colon],
                                                   part1[colon + 1:].strip(PHP_WS), parts)
                if result is not None:
                    found = result.get("found", True)
                    text = result.get("text", "")
                    nowiki = result.get("nowiki", nowiki)
                    is_html = result.get("isHTML", False)
                    if result.get("isChildObj"):
                        is_child_obj = True
                        dom = text
                    if result.get("isLocalObj"):
                        is_local_obj = True
                    if "title" in result:
                        title = result["title"]

        if not found:
            ns = TEMPLATE
            relative = normalize_subpage_link(ctx, ctx.title, part1)
            if relative is not None:
                part1 = relative
                ns = ctx.title.namespace
            title = self.make_title(part1, ns)
            if title is not None:
                title_text = self.names(title)[0]
                if frame.depth >= self.max_template_depth:
                    found = True
                    text = (_ERROR_PREFIX + (parser_message(
                        ctx.site.language, "parser-template-recursion-depth-warning",
                        format_num(ctx, str(self.max_template_depth))) or "") + "</span>")

        if not found and title is not None:
            if not title.interwiki:
                if title.namespace == SPECIAL:
                    if self.ot == "html":
                        html = special_transclusion(self, title, self._page_args(parts, frame))
                        if html is not None:
                            text, found, is_html = html, True, True
                else:
                    dom, title = self.get_template_dom(title)
                    if dom is not None:
                        found = is_child_obj = True
                if not found and self.ot in ("html", "pre"):
                    text = f"[[:{title_text}]]"
                    found = True
            if self.names(title)[1] in frame.loop_check:  # after redirects, as MediaWiki
                found = True
                is_child_obj = False
                text = (_ERROR_PREFIX + (parser_message(
                    ctx.site.language, "parser-template-loop-warning", title_text) or "")
                    + "</span>")
                add_tracking_category(ctx, "template-loop-category")
                warning = parser_message(ctx.options.interface_language or ctx.site.language,
                                         "template-loop-warning", title_text) or ""
                if warning not in ctx.output.warnings:
                    ctx.output.warnings.append(warning)

        if not found:
            return "", bracketed("{{", title_with_spaces, parts, "}}")

        if is_child_obj:
            new_frame = frame.new_child(parts, title if title is not None else frame.title)
            if nowiki:
                text = new_frame.expand(dom, RECOVER_ORIG)
            elif title_text is not None and new_frame.is_empty():
                text = new_frame.cached_expand(title_text, dom)
            else:
                text = new_frame.expand(dom)
        if is_local_obj and nowiki:
            text = frame.expand(text, RECOVER_ORIG)
            is_local_obj = False

        if is_html:
            text = ctx.strip.add_general(text, "item")
        elif nowiki and self.ot in ("html", "pre"):
            text = escape_wikitext(text, ctx)
        elif isinstance(text, str) and not line_start and _BLOCK_START.match(text):
            text = "\n" + text

        if isinstance(text, str) and not self.increment_include_size("post-expand",
                                                                    _byte_len(text)):
            if title_text is not None:
                text = f"[[:{title_text}]]"
            else:
                text = f"[[:{original_title}]]"
            text += ctx.strip.add_general(
                "<!-- WARNING: template omitted, post-expand include size too large -->",
                "item")
            self.limitation_warn("post-expand-template-inclusion")

        if is_local_obj:
            return "", text
        return text, None

    @staticmethod
    def _page_args(parts: list, frame: Frame) -> dict[str, str]:
        """The named arguments of a special page transclusion (its URL parameters)."""
        args: dict[str, str] = {}
        for _kind, name, value, index in parts:
            if index is None:
                args[frame.expand(name, STRIP_COMMENTS).strip(PHP_WS)] = \
                    frame.expand(value).strip(PHP_WS)
        return args

    def call_parser_function(self, frame: Frame, func: str, first: str,
                             parts: list) -> dict | None:
        """``Parser::callParserFunction``: None when ``func`` is not a function name."""
        hooks = self.ctx.hooks.functions
        hook = hooks.get(func) or hooks.get(func.lower())
        if hook is not None:
            args: list = [first] + [PPArg(frame, p) for p in parts]
            result = hook(self.ctx, frame, args)
        else:
            mid = self.mw.function_id(func)
            if mid is None or (mid == "displaytitle" and not self.ctx.site.allow_display_title):
                return None
            fn = corefunctions.FUNCTIONS.get(mid)
            if fn is None:
                return None
            if mid in corefunctions.OBJECT_ARGS:
                args = [first] + [PPArg(frame, p) for p in parts]
            else:
                args = [first] + [frame.expand([p]).strip(PHP_WS) for p in parts]
            result = fn(self, frame, args)
        if not isinstance(result, dict):
            return {"found": True, "text": result if result is not None else ""}
        result.setdefault("found", True)
        if result.get("noparse") is False:
            result["text"] = preprocess_to_tree(result.get("text", ""),
                                                bool(result.get("for_include")), self.tags)
            result["isChildObj"] = True
        return result

    def arg_substitution(self, node: tuple, frame: Frame) -> tuple[str, list | None]:
        """``Parser::argSubstitution``: ``{{{name|default}}}``."""
        _kind, title_nodes, parts, _ls = node
        name_with_spaces = frame.expand(title_nodes)
        arg_name = name_with_spaces.strip(PHP_WS)
        obj: list | None = None
        text = frame.get_argument(arg_name)
        if text is None and parts and (
                self.ot in ("html", "pre") or (self.ot == "wiki" and frame.is_template())):
            obj = parts[0][2] if parts[0][1] is None else [parts[0]]
        error = ""
        if not self.increment_include_size("arg", _byte_len(text or "")):
            error = "<!-- WARNING: argument omitted, expansion size too large -->"
            self.limitation_warn("post-expand-template-argument")
        if text is None and obj is None:
            obj = bracketed("{{{", name_with_spaces, parts, "}}}")
        if obj is not None:
            return "", obj + ([error] if error else [])
        return (text or "") + error, None

    def extension_substitution(self, node: tuple, frame: Frame) -> str:
        """``Parser::extensionSubstitution`` for an ``ext`` node of the tree."""
        _kind, name, attr_text, content, close = node
        return self.extension_substitution_params(name, None, attr_text, content, frame, close)

    def extension_substitution_params(self, name: str, attributes: dict | None, attr_text: str,
                                      content: str | None, frame: Frame,
                                      close: str | None = None) -> str:
        """The tag's HTML behind a strip marker (``<nowiki>``, ``<pre>``, hooked tags);
        ``attributes`` are extra parsed attributes (``{{#tag:}}``)."""
        ctx = self.ctx
        marker_type = "general"
        if self.ot == "html":
            lname = name.lower()
            from .sanitizer import decode_tag_attributes
            attrs = decode_tag_attributes(attr_text) if attr_text else {}
            if attributes:
                for k, v in attributes.items():
                    attrs.setdefault(k, v)
            if lname == "nowiki":
                output: Any = pptags.nowiki_tag(content)
            elif lname == "pre":
                output = pptags.pre_tag(content, attrs, ctx)
            elif lname in ctx.hooks.tags:
                output = ctx.hooks.tags[lname](content, attrs, ctx, frame)
            elif lname == "indicator":
                output = pptags.indicator_tag(content, attrs, ctx, frame)
            elif lname == "html" and ctx.site.raw_html:
                # CoreTagHooks::html: the raw HTML, unstripped early like <nowiki>
                output = (content or "", {"markerType": "nowiki"})
            else:
                from .sanitizer import htmlspecialchars
                output = (f"{_ERROR_PREFIX}Invalid tag extension name: "
                          f"{htmlspecialchars(lname)}</span>")
            if isinstance(output, tuple):
                output, flags = output
                marker_type = flags.get("markerType", marker_type)
            output = output if output is not None else ""
        else:
            if attributes:
                from .sanitizer import htmlspecialchars
                attr_text += "".join(f' {htmlspecialchars(k)}="{htmlspecialchars(v)}"'
                                     for k, v in attributes.items())
            if content is None:
                output = f"<{name}{attr_text}/>"
            else:
                output = f"<{name}{attr_text}>{content}{close or ''}"
        if marker_type == "none":
            return output
        if marker_type == "nowiki":
            return ctx.strip.add_nowiki(output, name.lower())
        return ctx.strip.add_general(output, name.lower())


_REDIRECT_OPEN = re.compile(r"\s*:?\s*\[\[")


def redirect_target(text: str, ctx: Any) -> Any:
    """``WikitextContent::getRedirectTarget``: the Title a ``#REDIRECT [[…]]`` page points
    to (French ``#REDIRECTION`` too), or None."""
    if "[[" not in text:
        return None
    mw = magic_words(ctx.site.language)
    mid, rest = mw.match_start_and_remove(text.lstrip(PHP_WS), "redirect")
    if mid is None:
        return None
    # WikitextContent's '!^\s*:?\s*\[{2}(.*?)(?:\|.*?)?\]{2}!s', without its backtracking:
    # the target ends at the first "|" that has a "]]" after it, else at the first "]]"
    m = _REDIRECT_OPEN.match(rest)
    if not m:
        return None
    end = rest.find("]]", m.end())
    if end == -1:
        return None
    pipe = rest.find("|", m.end(), end)
    target = rest[m.end():pipe if pipe != -1 else end]
    if "%" in target:
        from urllib.parse import unquote
        target = unquote(target.lstrip(":"))
    title = ctx.make_title(target)
    if title is None:
        return None
    if title.namespace == SPECIAL and title.dbkey.split("/", 1)[0].lower() in (
            "userlogout", "filepath", "mypage", "mytalk", "redirect"):
        return None
    return title


def get_state(ctx: Any) -> PPState:
    """The preprocessor state of this parse (created on first use)."""
    pp = ctx.ext_state.get("preprocess")
    if pp is None:
        pp = PPState(ctx)
        ctx.ext_state["preprocess"] = pp
    return pp


def _limit_report(pp: PPState) -> None:
    ctx = pp.ctx
    ctx.counters.node_count = pp.node_count
    ctx.counters.include_size = pp.include_sizes["post-expand"]
    ctx.counters.template_argument_size = pp.include_sizes["arg"]
    ctx.counters.expensive = pp.expensive_count
    ctx.counters.max_depth_seen = pp.highest_depth
    ctx.output.limit_report.update({
        "limitreport-ppvisitednodes": [pp.node_count, pp.max_node_count],
        "limitreport-postexpandincludesize": [pp.include_sizes["post-expand"],
                                              pp.max_include_size],
        "limitreport-templateargumentsize": [pp.include_sizes["arg"], pp.max_include_size],
        "limitreport-expansiondepth": [pp.highest_depth, pp.max_expand_depth],
        "limitreport-expensivefunctioncount": [pp.expensive_count, pp.expensive_limit],
    })


def expand(text: str, ctx: Any, *, for_include: bool = False, frame: Frame | None = None,
           double_underscores: bool = True) -> str:
    """Expand ``text`` for HTML output: comments removed, templates/arguments/magic words/
    parser functions expanded, extension tags replaced by strip markers, headings marked,
    behaviour switches recorded in ``ctx.output.properties`` and removed.

    :param frame: expand inside this frame (tag hooks re-parsing their content with the
        arguments of the template that holds them, as ``recursiveTagParse`` does).
    """
    pp = get_state(ctx)
    old_ot = pp.ot
    pp.ot = "html"
    try:
        if not text or _byte_len(text) > pp.max_include_size:
            out = text
        else:
            if frame is None:
                # U+007F builds strip markers: it may not come from the page text itself
                # (Parser::parse), or a page could forge a marker.
                text = text.replace("\x7f", "?")
                frame = Frame(pp, ctx.title)
            include = for_include or frame.depth > 0
            out = frame.expand(preprocess_to_tree(text, include, pp.tags))
    finally:
        pp.ot = old_ot
    if double_underscores:
        out = handle_double_underscore(out, ctx)
    _limit_report(pp)
    return out


def preprocess_wikitext(text: str, ctx: Any, *, ot: str = "wiki", for_include: bool = False
                        ) -> str:
    """Expand in another output type: ``wiki`` (pre-save transform: only ``subst:`` expands,
    comments and tags are kept through strip markers) or ``pre`` (``Parser::preprocess``)."""
    pp = get_state(ctx)
    old_ot = pp.ot
    pp.ot = ot
    text = text.replace("\x7f", "?")
    try:
        frame = Frame(pp, ctx.title)
        out = frame.expand(preprocess_to_tree(text, for_include, pp.tags))
    finally:
        pp.ot = old_ot
    _limit_report(pp)
    return out
