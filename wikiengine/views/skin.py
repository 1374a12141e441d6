"""The skin around every page: tabs, personal tools, sidebar links, and ``render``.

Owns what the MediaWiki-like layout shows besides the page body: the Article/Discussion tabs,
the Read/Edit/History tabs and the admin actions (move, delete, protect, watch), all computed
from the current user's rights on the server (``common.can``) so a link is only offered when
the action would be allowed; the action itself is still checked by its view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

from flask import current_app, make_response, render_template, request
from flask.wrappers import Response
from flask_babel import gettext as _

from .. import csrf
from ..namespaces import MAIN, USER, USER_TALK
from ..title import Title
from .common import (can, current_user, is_registered, main_page, namespaces, page_url,
                     special_title, special_url, user_name)

LANGUAGE_LABELS = {"fr": "Français", "en": "English"}


@dataclass
class Tab:
    id: str
    label: str
    url: str
    selected: bool = False
    new: bool = False
    more: bool = False


@dataclass
class Skin:
    title: Title | None = None
    action: str = "view"
    tabs_left: list[Tab] = field(default_factory=list)
    tabs_right: list[Tab] = field(default_factory=list)
    logged_in: bool = False
    user_name: str = ""
    user_page_url: str = ""
    user_page_exists: bool = False
    user_talk_url: str = ""
    main_page_url: str = "/wiki/"
    search_url: str = "/w/index.php"
    search_title: str = ""
    feed_url: str = ""
    returnto: str | None = None
    languages: list[tuple[str, str]] = field(default_factory=list)
    uselang_url: Callable[[str], str] = lambda code: "?uselang=" + code


def has_right(right: str) -> bool:
    """Whether the user's groups grant ``right`` (no database query): enough to decide which
    links to offer; the action's own view runs the full check (protection, blocks)."""
    from flask import g

    from ..store import permissions

    if "user_rights" not in g:  # once per request
        g.user_rights = permissions.user_rights(current_user())
    return right in g.user_rights


def _existing(titles: list[Title], watch: Title | None = None
              ) -> tuple[set[tuple[int, str]], bool]:
    """Which of ``titles`` exist and whether the current user watches ``watch``, in one
    query (the skin's red/blue links and its Watch/Unwatch tab)."""
    from sqlalchemy import literal, or_, select, union_all

    from ..db import get_session
    from ..models import Page
    from ..store import watchlist

    if not titles and watch is None:
        return set(), False
    parts = []
    if titles:
        parts.append(select(Page.namespace, Page.title, literal(0).label("kind")).where(or_(*(
            (Page.namespace == t.namespace) & (Page.title == t.dbkey) for t in titles))))
    if watch is not None:
        parts.append(watchlist.watching_query(current_user(), watch)
                     .add_columns(literal(1).label("kind")))
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    found: set[tuple[int, str]] = set()
    watched = False
    for ns, key, kind in get_session().execute(query):
        if kind:
            watched = True
        else:
            found.add((ns, key))
    return found, watched


def _subject_label(title: Title) -> str:
    ns = title.subject_page().namespace
    if ns == MAIN:
        return _("Article")
    if ns == USER:
        return _("User page")
    return _("Page")


def build_skin(title: Title | None, action: str, exists: bool | None) -> Skin:
    skin = Skin(title=title, action=action)
    skin.main_page_url = page_url(main_page())
    skin.search_url = current_app.config.get("SCRIPT_PATH", "/w") + "/index.php"
    skin.search_title = special_title("Search").prefixed_text
    skin.feed_url = special_url("RecentChanges", feed="atom")
    skin.languages = [(c, LANGUAGE_LABELS.get(c, c)) for c in
                      current_app.config.get("LANGUAGES", ["fr", "en"])]
    args = request.args.to_dict()

    def uselang_url(code: str) -> str:
        return request.path + "?" + urlencode({**args, "uselang": code})

    skin.uselang_url = uselang_url
    user = current_user()
    skin.logged_in = is_registered(user)
    check: list[Title] = []
    user_page = None
    if skin.logged_in:
        skin.user_name = user_name(user)
        user_page = Title(USER, skin.user_name.replace(" ", "_"), namespaces=namespaces())
        skin.user_page_url = page_url(user_page)
        skin.user_talk_url = page_url(Title(USER_TALK, user_page.dbkey, namespaces=namespaces()))
        check.append(user_page)
    page_title = title if title is not None and title.namespace >= 0 else None
    if page_title is not None:
        check.append(page_title.talk_page() if not page_title.is_talk
                     else page_title.subject_page())
        if exists is None:
            check.append(page_title)
    watch = page_title if skin.logged_in and page_title is not None else None
    found, watched = _existing(check, watch)
    if user_page is not None:
        skin.user_page_exists = (user_page.namespace, user_page.dbkey) in found
    if page_title is not None:
        skin.returnto = page_title.prefixed_text
        if exists is None:
            exists = (page_title.namespace, page_title.dbkey) in found
        _page_tabs(skin, page_title, action, exists, found, watched)
    return skin


def _page_tabs(skin: Skin, title: Title, action: str, exists: bool,
               found: set[tuple[int, str]], watched: bool) -> None:
    subject, talk = title.subject_page(), title.talk_page()
    other = talk if not title.is_talk else subject
    other_exists = (other.namespace, other.dbkey) in found
    subject_exists = exists if not title.is_talk else other_exists
    talk_exists = other_exists if not title.is_talk else exists
    skin.tabs_left = [
        Tab("nstab", _subject_label(title), page_url(subject) if subject_exists
            else page_url(subject, action="edit", redlink=1),
            selected=not title.is_talk, new=not subject_exists),
        Tab("talk", _("Discussion"), page_url(talk) if talk_exists
            else page_url(talk, action="edit", redlink=1),
            selected=title.is_talk, new=not talk_exists),
    ]
    right = [Tab("view", _("Read"), page_url(title), selected=action == "view")]
    if can("edit", title) and (exists or can("create", title)):
        right.append(Tab("edit", _("Edit") if exists else _("Create"),
                         page_url(title, action="edit"), selected=action in ("edit", "submit")
                         and request.args.get("section") != "new"))
        if exists and title.is_talk:
            right.append(Tab("addsection", _("Add topic"),
                             page_url(title, action="edit", section="new"),
                             selected=request.args.get("section") == "new"))
    elif exists:
        right.append(Tab("viewsource", _("View source"), page_url(title, action="edit"),
                         selected=action in ("edit", "submit")))
    if exists:
        right.append(Tab("history", _("History"), page_url(title, action="history"),
                         selected=action == "history"))
        if has_right("move"):
            right.append(Tab("move", _("Move"), special_url("MovePage", title.prefixed_text),
                             more=True))
        if has_right("delete"):
            right.append(Tab("delete", _("Delete"), page_url(title, action="delete"),
                             selected=action == "delete", more=True))
    elif has_right("undelete"):
        right.append(Tab("undelete", _("Undelete"), special_url("Undelete", title.prefixed_text),
                         more=True))
    if has_right("protect"):
        right.append(Tab("protect", _("Protect"), page_url(title, action="protect"),
                         selected=action in ("protect", "unprotect"), more=True))
    if is_registered():
        if watched:
            right.append(Tab("unwatch", _("Unwatch"), page_url(title, action="unwatch"),
                             more=True))
        else:
            right.append(Tab("watch", _("Watch"), page_url(title, action="watch"), more=True))
    skin.tabs_right = right


def render(template: str, *, title: Title | None = None, action: str = "view",
           status: int = 200, exists: bool | None = None, heading: str | None = None,
           **context: Any) -> Response:
    """Render ``template`` inside the skin; ``title``/``action`` choose the tabs."""
    skin = build_skin(title, action, exists)
    if heading is None:
        heading = title.prefixed_text if title is not None else current_app.config["SITENAME"]
    html = render_template(template, skin=skin, title=title, action=action,
                           heading=heading, **context)
    response = make_response(html, status)
    response.headers.setdefault("Content-Type", "text/html; charset=utf-8")
    return response


def init_app(app: Any) -> None:
    app.jinja_env.globals.update(page_url=page_url, special_url=special_url,
                                 edit_token=csrf.get_token)
