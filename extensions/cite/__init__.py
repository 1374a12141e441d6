"""Cite: ``<ref>`` and ``<references>``, a port of MediaWiki 1.39's Cite extension.

Owns the two tag hooks and their validation (``Validator``: numeric names, too many
attributes, ``follow`` with ``name``, ``dir``, empty refs, unclosed ``<ref>``, refs defined
inside ``<references>``), the per-parse state (``ctx.ext_state["cite"]``) and the
after-render step that appends the default group's list when the page has no
``<references/>`` (and reports groups that were never listed), as Cite does.
``extends`` (book referencing) is off unless ``CITE_BOOK_REFERENCING`` is set, as in 1.39.
"""
from __future__ import annotations

import re
from typing import Any

from wikiengine.namespaces import MEDIAWIKI
from wikiengine.parser.strip import MARKER_PREFIX

from .format import Anchors, ListFormatter, error_html, mark_html
from .stack import ReferenceStack

__version__ = "1.0.0-1.39"

REF_ATTRIBUTES = ("name", "group", "follow", "extends", "dir")
REFERENCES_ATTRIBUTES = ("group", "responsive")
MAX_NESTING = 20
_INCLUDED_REF = re.compile(r"<ref(erences)?\b[^>]*+>", re.I)
_INCLUDED_REFERENCES = re.compile(re.escape(MARKER_PREFIX) + "-(?i:references)-")
_TAGS_AND_COMMENTS = re.compile(r"<(\w++)[^>]*+>.*?</\1\s*>|<!--.*?-->", re.S)


#: Cite's tracking category (cite-tracking-category-cite-error), by content language
ERROR_CATEGORY = {"en": "Pages with reference errors", "fr": "Pages avec des erreurs de référence"}


def _error(ctx: Any, state: "CiteState", key: str, *params: str) -> str:
    """The error's HTML; the page joins Cite's tracking category, as in MediaWiki."""
    name = ERROR_CATEGORY.get(ctx.site.language, ERROR_CATEGORY["en"])
    ctx.output.add_category(name.replace(" ", "_"),
                            ctx.output.properties.get("defaultsort", "") or "")
    return error_html(state.lang, key, *params)


class CiteState:
    def __init__(self, ctx: Any, config: dict) -> None:
        self.stack = ReferenceStack()
        self.in_references: str | None = None
        self.references_errors: list[str] = []
        self.depth = 0
        self.anchors = Anchors(tuple(ctx.site.fragment_mode))
        self.lang = ctx.options.interface_language or "en"
        case = ctx.site.extra.get("config") or {}
        self.book_referencing = bool(case.get("wgCiteBookReferencing",
                                              config.get("CITE_BOOK_REFERENCING", False)))
        self.responsive = bool(case.get("wgCiteResponsiveReferences",
                                        config.get("CITE_RESPONSIVE_REFERENCES", True)))
        self.labels: dict[str, list[str] | None] = {}


def _state(ctx: Any, config: dict) -> CiteState:
    state = ctx.ext_state.get("cite")
    if state is None:
        state = ctx.ext_state["cite"] = CiteState(ctx, config)
    return state


def _half_parse(ctx: Any, text: str) -> str:
    """``Parser::recursiveTagParse`` of a ref's text, with its links resolved."""
    from wikiengine.parser.links import LinkHolders
    from wikiengine.parser.render import internal_parse

    expanded = _expand(ctx, text)
    holders = LinkHolders(ctx)
    out = internal_parse(expanded, ctx, holders, False)
    return holders.replace(out)


def _expand(ctx: Any, text: str) -> str:
    """Expand in a fresh root frame; strip markers already in ``text`` (a ref's text made by
    ``{{#tag:ref}}``) are kept, as ``recursiveTagParse`` keeps them."""
    from wikiengine.parser.frame import Frame
    from wikiengine.parser.preprocess import expand, get_state

    return expand(text, ctx, frame=Frame(get_state(ctx), ctx.title), double_underscores=False)


def _custom_labels(ctx: Any, state: CiteState, group: str) -> list[str] | None:
    if group not in state.labels:
        labels = None
        if group:
            title = ctx.make_title(f"Cite_link_label_group-{group}", MEDIAWIKI)
            text = ctx.source.get_text(title) if title is not None else None
            if text and text.strip():
                labels = text.split()
        state.labels[group] = labels
    return state.labels[group]


def _arguments(attrs: dict, allowed: tuple[str, ...]) -> dict[str, Any] | None:
    """``Cite::parseArguments``: None when an attribute is not allowed."""
    if any(k not in allowed for k in attrs):
        return None
    return {k: (attrs[k].strip() if k in attrs else None) for k in allowed}


def _validate(state: CiteState, text: str | None, group: str, name: str | None,
              extends: str | None, follow: str | None, dir_: str | None
              ) -> tuple[str, tuple] | None:
    if any(v is not None and v.isdigit() and v.isascii() for v in (name, extends, follow)):
        return "cite_error_ref_numeric_key", ()
    if extends:
        if not state.book_referencing:
            return "cite_error_ref_too_many_keys", ()
        refs = state.stack.group_refs(group)
        if name and name in refs and refs[name].extends is None:
            return "cite_error_references_duplicate_key", (name,)
        if extends in refs and refs[extends].extends is not None:
            return "cite_error_ref_nested_extends", (extends, refs[extends].extends or "")
    if follow and (name or extends):
        return "cite_error_ref_too_many_keys", ()
    if dir_ is not None and dir_.lower() not in ("ltr", "rtl"):
        return "cite_error_ref_invalid_dir", (dir_,)
    if state.in_references is None:
        if not name:
            if text is None:
                return "cite_error_ref_no_key", ()
            if text.strip() == "":
                return "cite_error_ref_no_input", ()
        if text is not None and _INCLUDED_REF.search(_TAGS_AND_COMMENTS.sub("", text)):
            return "cite_error_included_ref", ()
        return None
    if group != state.in_references:
        return "cite_error_references_group_mismatch", (group,)
    if not name:
        return "cite_error_references_no_key", ()
    if text is None or text.strip() == "":
        return "cite_error_empty_references_define", (name, group)
    if name not in state.stack.group_refs(group):
        return "cite_error_references_missing_key", (name,)
    return None


def _guarded_ref(ctx: Any, state: CiteState, text: str | None, attrs: dict) -> str:
    args = _arguments(attrs, REF_ATTRIBUTES)
    if args is None:
        error: tuple[str, tuple] | None = ("cite_error_ref_too_many_keys", ())
        group = state.in_references if state.in_references is not None else ""
        name = extends = follow = dir_ = None
    else:
        name = args["name"] or None
        extends, follow, dir_ = args["extends"] or None, args["follow"] or None, args["dir"]
        group = args["group"] if args["group"] is not None else (
            state.in_references if state.in_references is not None else "")
        error = _validate(state, text, group, name, extends, follow, dir_)
    if state.in_references is not None:
        if error is not None:
            state.references_errors.append(_error(ctx, state, error[0], *error[1]))
        elif name is not None and text is not None:
            ref = state.stack.group_refs(group)[name]
            if ref.text is None:
                ref.text = text
            elif ref.text != text:
                ref.warnings.append(("cite_error_references_duplicate_key", (name,)))
        return ""
    if text is not None and text.strip() == "" and name:
        text = None
    if error is not None:
        state.stack.push_invalid()
        return _error(ctx, state, error[0], *error[1])
    pushed = state.stack.push(text, attrs, group, name, extends, follow, dir_)
    if pushed is None:
        return ""
    ref, use = pushed
    return mark_html(state.anchors, ref, use, _custom_labels(ctx, state, group))


def _list(ctx: Any, state: CiteState, group: str, responsive: bool) -> str:
    refs = state.stack.pop_group(group)
    fmt = ListFormatter(state.anchors, state.lang, lambda t: _half_parse(ctx, t))
    return fmt.format(refs, responsive)


def make_hooks(config: dict) -> tuple[Any, Any, Any]:
    def ref_hook(content: str | None, attrs: dict, ctx: Any, frame: Any) -> str:
        state = _state(ctx, config)
        if state.depth >= MAX_NESTING:
            return _error(ctx, state, "cite_error_ref_too_deep")
        state.depth += 1
        try:
            if frame is not None:
                frame.set_volatile()
            return _guarded_ref(ctx, state, content, attrs)
        finally:
            state.depth -= 1

    def references_hook(content: str | None, attrs: dict, ctx: Any, frame: Any) -> str:
        state = _state(ctx, config)
        if state.in_references is not None or state.depth >= MAX_NESTING:
            return _error(ctx, state, "cite_error_included_references")
        args = _arguments(attrs, REFERENCES_ATTRIBUTES)
        group = (args or {}).get("group") or ""
        state.in_references = group
        state.depth += 1
        try:
            if content and content.strip():
                if _INCLUDED_REFERENCES.search(content):  # {{#tag:references|…<references/>…}}
                    return _error(ctx, state, "cite_error_included_references")
                count = content.count(MARKER_PREFIX + "-ref-")
                for argv, text in state.stack.rollback(count):
                    _guarded_ref(ctx, state, text, argv)
                _expand(ctx, content)
            if args is None:
                return _error(ctx, state, "cite_error_references_invalid_parameters")
            responsive = state.responsive
            if args.get("responsive") is not None:
                responsive = args["responsive"] != "0"
            out = _list(ctx, state, group, responsive)
            if state.references_errors:
                out += "\n" + "<br />\n".join(state.references_errors)
                state.references_errors = []
            return out
        finally:
            state.in_references = None
            state.depth -= 1

    def after_render(html_text: str, ctx: Any) -> str:
        state = ctx.ext_state.get("cite")
        if state is None:
            return html_text
        extra = []
        errors = []
        for group in state.stack.groups():
            if group == "":
                state.in_references = ""
                try:
                    extra.append(_list(ctx, state, group, state.responsive))
                finally:
                    state.in_references = None
                if state.references_errors:  # refs met while listing (a ref in a ref's text)
                    errors.append("<br />".join(state.references_errors))
                    state.references_errors = []
            else:
                errors.append("<br />" + _error(
                    ctx, state, "cite_error_group_refs_without_references", group))
        if errors:
            extra.append("<p>" + "".join(errors) + "\n</p>")
        if not extra:
            return html_text
        return html_text + "\n" + ctx.strip.unstrip_both("\n".join(extra))

    return ref_hook, references_hook, after_render


def register(registry: Any, config: Any) -> None:
    registry.describe("Cite", __version__,
                      description="Adds <ref> and <references> tags, for citations",
                      url="https://www.mediawiki.org/wiki/Extension:Cite",
                      license="GPL-2.0-or-later", author="Ævar Arnfjörð Bjarmason, Andrew "
                                                         "Garrett, Marius Hoch and others")
    ref_hook, references_hook, after_render = make_hooks(dict(config or {}))
    registry.add_tag("ref", ref_hook)
    registry.add_tag("references", references_hook)
    registry.add_after_render(after_render)
