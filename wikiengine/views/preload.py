"""The edit form's URL parameters from MediaWiki's EditPage: ``preload`` (a page whose text
starts a new page or a new section), ``preloadparams[]`` (its ``$1``, ``$2``…),
``preloadtitle`` (the new section's title), ``summary`` (a preset summary), ``editintro``
(a page shown above the form). InputBox's create-from-template boxes send these.

Owns reading them into the ``EditState`` (``apply_edit_params``), loading the preload text
(readable page, redirect followed once, then the parser's preload transform:
``<noinclude>`` dropped, ``<includeonly>`` kept, nothing else expanded) and rendering the
edit intro (transcluded in the edited page's context, as MediaWiki does).
"""
from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from ..db import get_session
from ..title import InvalidTitle, Title
from .common import can, current_user, namespaces

_PARAM = re.compile(r"\$(\d+)")


def _readable_title(name: str) -> Title | None:
    """The page named ``name`` if it is a local page the current user may read."""
    if not name or not name.strip():
        return None
    try:
        title = Title.new(name, namespaces())
    except InvalidTitle:
        return None
    if title.namespace < 0 or title.interwiki or not can("read", title):
        return None
    return title


def _page_text(title: Title) -> str | None:
    from ..store import revisions

    db = get_session()
    page = revisions.get_page(db, title)
    if page is None:
        return None
    revision = revisions.get_revision(db, page.latest)
    return revision.text if revision is not None else None


def replace_params(text: str, params: list[str]) -> str:
    """``Message::params()->plain()``: ``$1``… replaced by the parameters given, others
    (``$0``, ``$9`` without a ninth parameter) left as written."""
    def sub(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return params[n - 1] if 1 <= n <= len(params) else m.group(0)
    return _PARAM.sub(sub, text) if params else text


def preload_text(title: Title, name: str, params: list[str]) -> str:
    """``EditPage::getPreloadedContent``: the text ``name`` gives a new page ``title``, or
    "" when the preload page is missing, unreadable or not a valid title."""
    from ..store.derived import redirect_target

    source = _readable_title(name)
    text = _page_text(source) if source is not None else None
    if source is not None and text is not None:
        target = redirect_target(source, text)
        if target is not None:  # MediaWiki follows a redirecting preload page once
            target = _readable_title(target.prefixed_text)
            text = _page_text(target) if target is not None else None
    if text is None:
        return ""
    return _transform(title, replace_params(text, params))


def _transform(title: Title, text: str) -> str:
    from .. import rendering

    parser = rendering._parser()
    if parser is None or not hasattr(parser, "make_context"):
        return text
    from ..parser.pst import preload_transform

    ctx = parser.make_context(title, rendering.DbPageSource(get_session()),
                              rendering.parser_options(current_user()), rendering.site_config(),
                              rendering.parser_hooks())
    return preload_transform(text, ctx)


def _clean_summary(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")[:500]


def apply_edit_params(title: Title, state: Any, args: Any) -> None:
    """Fill a fresh edit form from the request's query string (``EditPage::importFormData``
    for a form not yet posted)."""
    if state.section == "new":
        if args.get("preloadtitle"):
            state.summary = _clean_summary(args["preloadtitle"])
    elif args.get("summary"):
        state.summary = _clean_summary(args["summary"])
    preload = args.get("preload", "")
    if preload and (not state.exists or state.section == "new"):
        params = args.getlist("preloadparams[]") + args.getlist("preloadparams")
        state.text = preload_text(title, preload, params)
    state.edit_intro = args.get("editintro", "")[:255]


def edit_intro_html(title: Title, name: str) -> Markup | None:
    """``EditPage::showCustomIntro``: the page ``name`` transcluded above the form, when it
    exists and may be read."""
    from .pages import render_html

    intro = _readable_title(name)
    if intro is None or _page_text(intro) is None:
        return None
    output = render_html(title, f"{{{{:{intro.prefixed_text}}}}}", preview=True)
    return Markup(f'<div class="mw-editintro">{output.html}</div>')
