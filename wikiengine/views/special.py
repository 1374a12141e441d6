"""Special pages: the registry, the dispatcher for ``Special:Name/sub``, and the simple lists.

Owns the table of special pages (canonical English name, MediaWiki's French aliases, the
view function, the right needed to use it), ``register(app, …)`` through which other
subsystems (search, extensions) add theirs, ``dispatch(title)`` used by the page view, and
the list pages that need no form: SpecialPages, AllPages, PrefixIndex, Random, ListUsers,
WhatLinksHere. Other special pages live in ``special_changes`` and ``special_admin``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Flask, current_app, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

from ..namespaces import SPECIAL
from ..title import Title
from .common import N_, UserError, can, int_arg, namespaces, page_url, parse_title


@dataclass
class SpecialPage:
    """One special page. ``view(sub)`` gets the part after ``/`` (or None)."""

    name: str
    view: Callable[[str | None], Any]
    label: str
    aliases: dict[str, list[str]] = field(default_factory=dict)
    group: str = "other"
    restriction: str | None = None
    listed: bool = True


GROUP_LABELS = {
    "changes": N_("Recent changes and logs"),
    "pages": N_("Lists of pages"),
    "users": N_("Users and rights"),
    "login": N_("Login / create account"),
    "pagetools": N_("Page tools"),
    "redirects": N_("Redirecting special pages"),
    "search": N_("Search"),
    "other": N_("Other special pages"),
}


def _key(name: str) -> str:
    return name.replace(" ", "_").lower()


def register(app: Flask, name: str, view: Callable[[str | None], Any], *, label: str,
             aliases: dict[str, list[str]] | None = None, group: str = "other",
             restriction: str | None = None, listed: bool = True) -> SpecialPage:
    """Add a special page to ``app``; ``aliases`` maps a language code to its names (the
    first one is the name shown in URLs for a wiki in that content language)."""
    page = SpecialPage(name, view, label, aliases or {}, group, restriction, listed)
    pages: dict[str, SpecialPage] = app.extensions.setdefault("special_pages", {})
    lookup: dict[str, str] = app.extensions.setdefault("special_lookup", {})
    local: dict[str, str] = app.extensions.setdefault("special_local_names", {})
    pages[name] = page
    lookup[_key(name)] = name
    for names in page.aliases.values():
        for alias in names:
            lookup.setdefault(_key(alias), name)
    language = app.config.get("LANGUAGE", "fr")
    if page.aliases.get(language):
        local[name] = page.aliases[language][0].replace(" ", "_")
    return page


def lookup(name: str) -> SpecialPage | None:
    app = current_app
    canonical = app.extensions.get("special_lookup", {}).get(_key(name))
    return app.extensions.get("special_pages", {}).get(canonical) if canonical else None


def dispatch(title: Title) -> Any:
    """Run the special page named by ``title`` (``Spécial:Nom/sous-page``)."""
    name, _sep, sub = title.dbkey.partition("/")
    page = lookup(name)
    if page is None:
        raise UserError(404, _("There is no special page with this name: “%(name)s”.",
                               name=title.text), _("No such special page"))
    from .common import require

    require("read", Title(SPECIAL, page.name, namespaces=namespaces()))
    if page.restriction:
        require(page.restriction)
    return page.view(sub.replace("_", " ") if sub else None)


# -- list pages ------------------------------------------------------------------------
def special_pages(_sub: str | None) -> Response:
    from .skin import render

    groups: dict[str, list[SpecialPage]] = {}
    for page in current_app.extensions.get("special_pages", {}).values():
        if page.listed and (page.restriction is None or can(page.restriction)):
            groups.setdefault(page.group, []).append(page)
    ordered = [(_(GROUP_LABELS.get(g, GROUP_LABELS["other"])),
                sorted(pages, key=lambda p: _(p.label)))
               for g, pages in sorted(groups.items(), key=lambda kv: list(GROUP_LABELS).index(
                   kv[0]) if kv[0] in GROUP_LABELS else 99)]
    return render("special/specialpages.html", heading=_("Special pages"), groups=ordered)


def _namespace_arg() -> int:
    ns = int_arg("namespace", 0) or 0
    if not namespaces().exists(ns) or ns < 0:
        raise UserError(400, _("This namespace does not exist."), _("Bad request"))
    return ns


def all_pages(sub: str | None, *, prefix_mode: bool = False) -> Response:
    from ..db import get_session
    from ..models import Page
    from sqlalchemy import select
    from .skin import render

    ns = _namespace_arg()
    limit = int_arg("limit", 100, minimum=1, maximum=5000) or 100
    start = request.args.get("from") or (sub if not prefix_mode else None) or ""
    prefix = request.args.get("prefix", sub if prefix_mode else None) or ""
    hide_redirects = request.args.get("hideredirects") == "1"
    query = select(Page.title, Page.is_redirect).where(Page.namespace == ns)
    if prefix:
        key = prefix.replace(" ", "_")
        key = Title.new(key, namespaces()).dbkey if key.strip("_") else key
        query = query.where(Page.title.startswith(key, autoescape=True))
    if start:
        query = query.where(Page.title >= start.replace(" ", "_"))
    if hide_redirects:
        query = query.where(Page.is_redirect.is_(False))
    rows = get_session().execute(query.order_by(Page.title).limit(limit + 1)).all()
    more = rows[limit][0] if len(rows) > limit else None
    titles = [(Title.make(ns, r[0], namespaces()), bool(r[1])) for r in rows[:limit]]
    name = "PrefixIndex" if prefix_mode else "AllPages"
    return render("special/allpages.html", heading=_("Pages starting with a prefix")
                  if prefix_mode else _("All pages"), titles=titles, namespace=ns,
                  all_namespaces=[n for n in namespaces().numbers() if n >= 0],
                  ns_name=namespaces().name, start=start, prefix=prefix, limit=limit,
                  more=more, hide_redirects=hide_redirects, name=name,
                  prefix_mode=prefix_mode)


def random_page(sub: str | None) -> Response:
    import random

    from sqlalchemy import select

    from ..db import get_session
    from ..models import Page

    ns = 0
    if sub:
        found = namespaces().lookup(sub)
        ns = found if found is not None and found >= 0 else 0
    session = get_session()
    base = select(Page.namespace, Page.title).where(Page.namespace == ns,
                                                    Page.is_redirect.is_(False))
    point = random.random()
    row = session.execute(base.where(Page.random >= point).order_by(Page.random)
                          .limit(1)).first()
    if row is None:
        row = session.execute(base.order_by(Page.random).limit(1)).first()
    if row is None:
        raise UserError(404, _("There is no page in this namespace yet."), _("Random page"))
    return redirect(page_url(Title.make(row[0], row[1], namespaces())), 302)


def list_users(sub: str | None) -> Response:
    from sqlalchemy import select

    from ..db import get_session
    from ..models import User, UserGroup
    from .skin import render

    limit = int_arg("limit", 50, minimum=1, maximum=5000) or 50
    start = request.args.get("username") or ""
    group = request.args.get("group") or sub or ""
    query = select(User)
    if start:
        query = query.where(User.name >= start)
    if group:
        query = query.join(UserGroup, UserGroup.user_id == User.user_id).where(
            UserGroup.group == group)
    users = get_session().scalars(query.order_by(User.name).limit(limit + 1)).all()
    more = users[limit].name if len(users) > limit else None
    return render("special/listusers.html", heading=_("Users list"), users=users[:limit],
                  more=more, group=group, start=start, limit=limit)


def what_links_here(sub: str | None) -> Response:
    from sqlalchemy import select

    from ..db import get_session
    from ..models import Page
    from .skin import render

    target_text = request.args.get("target") or sub
    if not target_text:
        return render("special/whatlinkshere.html", heading=_("What links here"),
                      target=None, links=[], transclusions=[], redirects=[])
    target = parse_title(target_text)
    if target.namespace == SPECIAL:
        raise UserError(400, _("Special pages have no links to them."), _("What links here"))
    limit = int_arg("limit", 50, minimum=1, maximum=5000) or 50
    session = get_session()
    from ..models import PageLink, Redirect, TemplateLink

    results: dict[str, list[Title]] = {}
    for kind, model in (("links", PageLink), ("transclusions", TemplateLink)):
        query = (select(Page.namespace, Page.title)
                 .join(model, model.from_id == Page.page_id)
                 .where(model.namespace == target.namespace, model.title == target.dbkey)
                 .order_by(Page.namespace, Page.title).limit(limit))
        results[kind] = [Title.make(r[0], r[1], namespaces()) for r in session.execute(query)]

    redirects = [Title.make(r[0], r[1], namespaces()) for r in session.execute(
        select(Page.namespace, Page.title).join(Redirect, Redirect.rd_from == Page.page_id)
        .where(Redirect.namespace == target.namespace, Redirect.title == target.dbkey)
        .order_by(Page.title).limit(limit))]
    return render("special/whatlinkshere.html",
                  heading=_("Pages that link to “%(title)s”", title=target.prefixed_text),
                  target=target, redirects=redirects, **results)


def _my(kind: str) -> Callable[[str | None], Any]:
    """Special:MyPage, MyTalk, MyContributions: redirects for the signed-in user (or to the
    login page, coming back here afterwards)."""

    def view(sub: str | None) -> Response:
        from ..namespaces import USER, USER_TALK
        from .common import current_user, is_registered, special_url, user_name

        if not is_registered(current_user()):
            names = {"page": "Mypage", "talk": "Mytalk", "contributions": "Mycontributions"}
            return redirect(special_url("Userlogin", returnto=special_title_text(
                names[kind])), 302)
        name = user_name().replace(" ", "_")
        if kind == "contributions":
            return redirect(special_url("Contributions", user_name()), 302)
        ns = USER if kind == "page" else USER_TALK
        key = name + ("/" + sub.replace(" ", "_") if sub else "")
        return redirect(page_url(Title(ns, key, namespaces=namespaces())), 302)

    return view


def special_title_text(name: str) -> str:
    from .common import special_title

    return special_title(name).prefixed_text


def init_app(app: Flask) -> None:
    register(app, "SpecialPages", special_pages, label=N_("Special pages"),
             aliases={"fr": ["Pages spéciales", "PagesSpéciales", "Pages speciales"]},
             group="other", listed=False)
    register(app, "AllPages", all_pages, label=N_("All pages"),
             aliases={"fr": ["Toutes les pages", "ToutesLesPages"], "en": ["Allpages"]},
             group="pages")
    register(app, "PrefixIndex", lambda sub: all_pages(sub, prefix_mode=True),
             label=N_("Pages starting with a prefix"),
             aliases={"fr": ["Index", "Préfixes", "Prefixes"], "en": ["Prefixindex"]},
             group="pages")
    register(app, "Randompage", random_page, label=N_("Random page"),
             aliases={"en": ["Random", "RandomPage"],
                      "fr": ["Page au hasard", "PageAuHasard", "Au hasard", "Aléatoire"]},
             group="redirects")
    register(app, "ListUsers", list_users, label=N_("Users list"),
             aliases={"en": ["Listusers", "UserList", "Users"],
                      "fr": ["Liste des utilisateurs", "ListeDesUtilisateurs",
                             "Utilisateurs"]}, group="users")
    register(app, "Mypage", _my("page"), label=N_("My user page"), group="redirects",
             aliases={"en": ["MyPage"], "fr": ["Ma page", "Mapage"]})
    register(app, "Mytalk", _my("talk"), label=N_("My talk page"), group="redirects",
             aliases={"en": ["MyTalk"], "fr": ["Mes discussions", "Mesdiscussions"]})
    register(app, "Mycontributions", _my("contributions"), label=N_("My contributions"),
             group="redirects", aliases={"en": ["MyContributions"],
                                         "fr": ["Mes contributions", "Mescontributions"]})
    register(app, "WhatLinksHere", what_links_here, label=N_("What links here"),
             aliases={"en": ["Whatlinkshere"],
                      "fr": ["Pages liées", "PagesLiées", "Pages liees"]}, group="pagetools")
