"""Reading pages: ``/``, ``/wiki/Title`` and the dispatcher of ``/w/index.php``.

Owns the URL shapes (``/wiki/Title`` redirected 301 to the canonical title form,
``/w/index.php?title=T&action=…``, ``&oldid=N``, ``&diff=N``), following a redirect page
once with "Redirected from …", the 404 page of a missing page with its "create" link, and the
``view``, ``raw`` and ``info`` actions. Editing lives in ``edit``, history and diffs in
``history``, the admin actions in ``actions``, special pages in ``special``.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, current_app, g, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

from .. import csrf
from ..db import get_session
from ..namespaces import FILE, SPECIAL
from ..title import InvalidTitle, Title
from .common import (UserError, can, int_arg, main_page, namespaces, parse_title,
                     remember_page, require, special_title, wiki_quote)
from .skin import render

bp = Blueprint("pages", __name__)
# Every POST needs a valid edit token; the edit form keeps the typed text when it has none.
csrf.protect(bp, keep_text=lambda: request.values.get("action") in ("edit", "submit")
             and "wpTextbox1" in request.form)



@bp.before_request
def _refuse_nul() -> None:
    """NUL characters are never valid input (and PostgreSQL cannot store them)."""
    for key, values in request.values.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            raise UserError(400, _("The request contains a NUL character, which is not "
                                   "allowed."), _("Bad request"))


_REDIRECT = re.compile(r"^\s*#(?:REDIRECT|REDIRECTION)\s*:?\s*\[\[([^\]|]+)", re.I)


@bp.route("/")
@bp.route("/wiki/")
def home() -> Any:
    return _view_or_cached(main_page())


def _view_or_cached(title: Title) -> Any:
    """Anonymous reads of a current page come from the whole-page cache when it is fresh."""
    from . import pagecache

    if not pagecache.usable(title):
        return handle(title)
    cache_key = pagecache.key(title)
    if cache_key is None:
        return handle(title)
    body = pagecache.get(cache_key)
    if body is None:
        response = handle(title)
        if (response.status_code == 200 and not response.direct_passthrough
                and not g.get("uncacheable_page")):
            pagecache.put(cache_key, response.get_data())
            response.headers["Vary"] = "Accept-Language, Cookie"
        return response
    response = current_app.response_class(body, 200, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


@bp.route("/wiki/<path:name>", methods=["GET", "POST"])
def article(name: str) -> Any:
    title = parse_title(name)
    canonical = title.prefixed_dbkey
    if title.namespace == SPECIAL:
        from .special import lookup

        base, _sep, sub = title.dbkey.partition("/")
        found = lookup(base)
        if found is not None:
            canonical = special_title(found.name, sub or None).prefixed_dbkey
    if name != canonical:
        query = request.query_string.decode()
        target = "/wiki/" + wiki_quote(canonical) + ("?" + query if query else "")
        return redirect(target, 301)
    return _view_or_cached(title)


@bp.route("/w/index.php", methods=["GET", "POST"])
@bp.route("/index.php", methods=["GET", "POST"])
def index() -> Any:
    name = request.values.get("title")
    if not name and request.values.get("search") is not None:
        return handle(special_title("Search"))
    if not name and request.values.get("curid"):
        return _by_page_id(int_arg("curid") or 0)
    if not name and (request.values.get("oldid") or request.values.get("diff")):
        return handle(None)
    return handle(parse_title(name) if name else main_page())


def _by_page_id(page_id: int) -> Any:
    from ..models import Page

    page = get_session().get(Page, page_id)
    if page is None:
        raise UserError(404, _("There is no page with this identifier."), _("No such page"))
    return handle(Title.make(page.namespace, page.title, namespaces()))


ACTIONS = ("view", "raw", "history", "info", "edit", "submit", "delete", "protect",
           "unprotect", "rollback", "watch", "unwatch", "purge")


def handle(title: Title | None) -> Any:
    """Run the action asked for by the query string on ``title``."""
    from . import actions, edit, history, special

    if title is not None and title.namespace == SPECIAL:
        return special.dispatch(title)
    action = request.values.get("action", "view") or "view"
    if action not in ACTIONS:
        raise UserError(404, _("The action specified by the URL is not recognised by the "
                               "wiki."), _("No such action"), code="nosuchaction")
    if request.values.get("diff") is not None and action == "view":
        return history.diff_view(title)
    if title is None:
        title = _title_of_revision(int_arg("oldid", 0) or 0)
    require("read", title)
    if request.method == "POST" and action not in ("submit", "edit", "delete", "protect",
                                                   "unprotect", "rollback", "watch",
                                                   "unwatch", "purge"):
        raise UserError(405, _("This action cannot be sent as a form."), _("Bad request"))
    if action == "view":
        oldid = int_arg("oldid", None)
        return view_revision(title, oldid) if oldid else view_page(title)
    if action == "raw":
        return raw(title)
    if action == "info":
        return info(title)
    if action == "history":
        return history.history(title)
    if action in ("edit", "submit"):
        return edit.edit(title, action)
    return actions.run(title, action)


def _title_of_revision(rev_id: int) -> Title:
    from ..store import revisions

    rev = revisions.get_revision(get_session(), rev_id) if rev_id else None
    if rev is None:
        raise UserError(404, _("The revision #%(id)s does not exist.", id=rev_id),
                        _("Revision not found"), code="nosuchrevid")
    return Title.make(rev.page.namespace, rev.page.title, namespaces())


# -- view ------------------------------------------------------------------------------
def redirect_target(page: Any, text: str) -> Title | None:
    """Where a redirect page points (the ``redirect`` row, else its first line)."""
    from ..models import Redirect

    row = get_session().get(Redirect, page.page_id)
    if row is not None:
        return Title(row.namespace, row.title, row.fragment or "", namespaces=namespaces())
    m = _REDIRECT.match(text)
    if not m:
        return None
    try:
        return Title.new(m.group(1), namespaces())
    except InvalidTitle:
        return None


def render_html(title: Title, text: str, revision: Any = None, *, page: Any = None,
                preview: bool = False) -> Any:
    """The ParserOutput of ``text`` through ``wikiengine.rendering``.

    With ``page`` and ``revision`` the parser cache is used (the store writes a fresh entry
    in its own short transaction); ``preview`` parses as MediaWiki's preview does and never
    caches.
    """
    from .. import rendering
    from .common import current_user

    db = get_session()
    options = rendering.parser_options(current_user() if preview else None,
                                       **({"preview": True} if preview else {}))
    output = rendering.render_revision(db, title, text, page=page, revision=revision,
                                       options=options, use_cache=not preview)
    if getattr(output, "cache_expiry", None) is not None:
        g.uncacheable_page = True  # shows the clock: never kept whole in the page cache
    return output


def _missing(title: Title) -> Response:
    create = can("edit", title) and can("create", title)
    if title.namespace == FILE and _file_exists(title):
        # MediaWiki's ImagePage: an uploaded file is shown even without a description page.
        return render("page/file_only.html", title=title, exists=False, can_create=create)
    return render("page/missing.html", title=title, status=404, exists=False,
                  can_create=create, deletion_log=_deletion_log(title))


def _file_exists(title: Title) -> bool:
    from ..models import Image

    return ("file_page_html" in current_app.jinja_env.globals
            and get_session().get(Image, title.dbkey) is not None)


def _deletion_log(title: Title) -> list[Any]:
    from sqlalchemy import select

    from ..models import LogEntry

    return list(get_session().scalars(
        select(LogEntry).where(LogEntry.namespace == title.namespace,
                               LogEntry.title == title.dbkey,
                               LogEntry.type.in_(("delete", "move")))
        .order_by(LogEntry.timestamp.desc()).limit(5)))


def view_page(title: Title) -> Response:
    from ..store import revisions

    db = get_session()
    page = revisions.get_page(db, title)
    remember_page(title, page)
    if page is None:
        return _missing(title)
    revision = _with_text(page.latest)
    text = revision.text if revision is not None else ""
    redirected_from = None
    if page.is_redirect:
        target = redirect_target(page, text)
        if target is not None and request.args.get("redirect") == "no":
            return render("page/redirect.html", title=title, exists=True, target=target,
                          revision=revision, page=page)
        target_page = revisions.get_page(db, target) if target and target.namespace >= 0 \
            else None
        if target_page is not None and target_page.page_id != page.page_id:
            redirected_from, title, page = title, target.without_fragment(), target_page
            remember_page(title, page)
            revision = revisions.get_revision(db, page.latest)
            text = revision.text if revision is not None else ""
        elif target is not None:
            return render("page/redirect.html", title=title, exists=True, target=target,
                          revision=revision, page=page)
    output = render_html(title, text, revision, page=page)
    return render("page/view.html", title=title, exists=True, page=page, revision=revision,
                  output=output, redirected_from=redirected_from, oldid=None)


def _with_text(rev_id: int) -> Any:
    """A revision with its text (and actor) loaded in the same query."""
    from sqlalchemy.orm import joinedload

    from ..models import Revision

    return get_session().get(Revision, rev_id, options=[joinedload(Revision.content)]) \
        if rev_id else None


def view_revision(title: Title, oldid: int) -> Response:
    from ..store import revisions

    db = get_session()
    revision = revisions.get_revision(db, oldid)
    if revision is None or revision.deleted:
        raise UserError(404, _("The revision #%(id)s of the page named “%(title)s” does not "
                               "exist.", id=oldid, title=title.prefixed_text),
                        _("Revision not found"), code="nosuchrevid")
    page = revision.page
    title = Title.make(page.namespace, page.title, namespaces())
    output = render_html(title, revision.text, revision, page=page)
    previous = revisions.get_revision(db, revision.parent_id) if revision.parent_id else None
    newer = _next_revision(page.page_id, revision)
    return render("page/view.html", title=title, exists=True, page=page, revision=revision,
                  output=output, redirected_from=None, oldid=oldid, previous=previous,
                  newer=newer)


def _next_revision(page_id: int, revision: Any) -> Any:
    from sqlalchemy import select

    from ..models import Revision

    return get_session().scalars(
        select(Revision).where(Revision.page_id == page_id,
                               Revision.rev_id > revision.rev_id)
        .order_by(Revision.rev_id).limit(1)).first()


# -- raw and info ----------------------------------------------------------------------
def raw(title: Title) -> Response:
    from ..store import revisions

    db = get_session()
    oldid = int_arg("oldid", None)
    if oldid:
        revision = revisions.get_revision(db, oldid)
    else:
        page = revisions.get_page(db, title)
        revision = revisions.get_revision(db, page.latest) if page is not None else None
    if revision is None or revision.deleted:
        response = current_app.response_class("", 404, mimetype="text/x-wiki")
    else:
        response = current_app.response_class(revision.text, 200, mimetype="text/x-wiki")
    response.headers["Content-Type"] = "text/x-wiki; charset=UTF-8"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def info(title: Title) -> Response:
    from sqlalchemy import func, select

    from ..models import PageRestriction, Redirect, Revision, Watchlist
    from ..store import revisions

    db = get_session()
    page = revisions.get_page(db, title)
    if page is None:
        return _missing(title)
    count = db.scalar(select(func.count()).select_from(Revision)
                      .where(Revision.page_id == page.page_id)) or 0
    first = db.scalars(select(Revision).where(Revision.page_id == page.page_id)
                       .order_by(Revision.rev_id).limit(1)).first()
    latest = revisions.get_revision(db, page.latest)
    editors = db.scalar(select(func.count(func.distinct(Revision.actor_id)))
                        .where(Revision.page_id == page.page_id)) or 0
    watchers = db.scalar(select(func.count()).select_from(Watchlist).where(
        Watchlist.namespace == title.subject_page().namespace,
        Watchlist.title == title.dbkey)) or 0
    redirects = db.scalar(select(func.count()).select_from(Redirect).where(
        Redirect.namespace == title.namespace, Redirect.title == title.dbkey)) or 0
    protections = list(db.scalars(select(PageRestriction)
                                  .where(PageRestriction.page_id == page.page_id)))
    return render("page/info.html", title=title, action="info", exists=True, page=page,
                  count=count, first=first, latest=latest, editors=editors,
                  watchers=watchers, redirects=redirects, protections=protections,
                  heading=_("Information for “%(title)s”", title=title.prefixed_text))


def init_app(app: Any) -> None:
    app.register_blueprint(bp)
