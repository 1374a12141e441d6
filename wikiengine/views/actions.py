"""Page actions that change state: watch/unwatch, purge, delete, protect/unprotect, rollback.

Owns the confirmation forms (GET shows a form, POST with a valid edit token acts: state never
changes on GET), the server-side rights check of each action (``common.require``, the
store's ``user_can``) and calling the store function that does the work, in one transaction
committed here. Watchlist rows are written here (subject and talk page together, as in
MediaWiki) by ``store.watchlist`` through ``set_watch``, which the edit form reuses.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from flask import flash, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

from ..db import get_session
from ..title import Title
from .common import N_, UserError, current_user, is_registered, page_url, require
from .skin import render

PROTECTION_LEVELS = ("", "autoconfirmed", "sysop")
EXPIRY_LABELS = {"infinite": N_("indefinite"), "1 hour": N_("1 hour"), "1 day": N_("1 day"),
                 "1 week": N_("1 week"), "1 month": N_("1 month"), "1 year": N_("1 year")}
EXPIRIES = {"infinite": None, "1 hour": _dt.timedelta(hours=1),
            "1 day": _dt.timedelta(days=1), "1 week": _dt.timedelta(weeks=1),
            "1 month": _dt.timedelta(days=31), "1 year": _dt.timedelta(days=365)}


# -- watchlist ---------------------------------------------------------------------------
def is_watched(title: Title) -> bool:
    """Whether the current user watches ``title`` (``store.watchlist.is_watched``)."""
    from ..store import watchlist

    return watchlist.is_watched(get_session(), current_user(), title)


def set_watch(title: Title, watch: bool, user: Any = None) -> None:
    """Add or remove ``title`` and its talk page on the user's watchlist (no commit)."""
    from ..store import watchlist

    user = user if user is not None else current_user()
    if not is_registered(user):
        return
    watchlist.set_watch(get_session(), user, title, watch)


def _watch(title: Title, watch: bool) -> Response:
    if not is_registered():
        raise UserError(403, _("You must be logged in to modify your watchlist."),
                        _("Not logged in"), login_link=True)
    if request.method != "POST":
        return render("page/confirm.html", title=title, action="watch" if watch else "unwatch",
                      heading=_("Watch %(title)s", title=title.prefixed_text) if watch else
                      _("Unwatch %(title)s", title=title.prefixed_text),
                      question=_("Add this page to your watchlist?") if watch else
                      _("Remove this page from your watchlist?"),
                      form_action=page_url(title, action="watch" if watch else "unwatch"))
    set_watch(title, watch)
    get_session().commit()
    flash(_("“%(title)s” and its discussion page have been added to your watchlist.",
            title=title.prefixed_text) if watch else
          _("“%(title)s” and its discussion page have been removed from your watchlist.",
            title=title.prefixed_text), "success")
    return redirect(page_url(title), 303)


# -- purge -------------------------------------------------------------------------------
def _purge(title: Title) -> Response:
    from ..models import Page, utcnow
    from ..store import revisions

    require("purge", title)
    if request.method != "POST":
        return render("page/confirm.html", title=title, action="purge",
                      heading=_("Purge %(title)s", title=title.prefixed_text),
                      question=_("Clear the cache of this page?"),
                      form_action=page_url(title, action="purge"))
    db = get_session()
    page = revisions.get_page(db, title)
    if page is None:
        raise UserError(404, _("There is currently no text in this page."), _("No such page"))
    db.get(Page, page.page_id).touched = utcnow()
    db.commit()
    return redirect(page_url(title), 303)


# -- delete ------------------------------------------------------------------------------
def _delete(title: Title) -> Response:
    from ..store import revisions

    require("delete", title)
    db = get_session()
    page = revisions.get_page(db, title)
    if page is None:
        raise UserError(404, _("The page “%(title)s” cannot be deleted: it does not exist.",
                               title=title.prefixed_text), _("Cannot delete page"))
    if request.method != "POST":
        return render("page/delete.html", title=title, action="delete", exists=True,
                      heading=_("Delete “%(title)s”", title=title.prefixed_text))
    reason = request.form.get("wpReason", "").strip()[:500]
    revisions.delete_page(db, title, current_user(), reason=reason)
    db.commit()
    flash(_("“%(title)s” has been deleted.", title=title.prefixed_text), "success")
    return redirect(page_url(title), 303)


# -- protect -----------------------------------------------------------------------------
def _expiry(value: str) -> _dt.datetime | None:
    if value not in EXPIRIES:
        raise UserError(400, _("The expiry time is invalid."), _("Bad request"))
    delta = EXPIRIES[value]
    return None if delta is None else \
        _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None) + delta


def _protect(title: Title, action: str) -> Response:
    from ..store import permissions, revisions

    require("protect", title)
    db = get_session()
    page = revisions.get_page(db, title)
    current = permissions.restrictions(db, page.page_id) if page is not None else {}
    if request.method != "POST":
        return render("page/protect.html", title=title, action="protect",
                      exists=page is not None, current=current, levels=PROTECTION_LEVELS,
                      expiries=list(EXPIRY_LABELS.items()), unprotect=action == "unprotect",
                      heading=_("Change protection level of “%(title)s”",
                                title=title.prefixed_text))
    wanted: dict[str, str] = {}
    kinds = ("edit", "move") if page is not None else ("create",)
    for kind in kinds:
        level = "" if action == "unprotect" else request.form.get(f"mwProtect-level-{kind}", "")
        if level not in PROTECTION_LEVELS:
            raise UserError(400, _("The protection level is invalid."), _("Bad request"))
        wanted[kind] = level
    expiry = _expiry(request.form.get("wpProtectExpiry", "infinite"))
    reason = request.form.get("mwProtect-reason", "").strip()[:500]
    revisions.protect_page(db, title, current_user(), wanted, expiry=expiry, reason=reason)
    db.commit()
    flash(_("The protection of “%(title)s” has been changed.", title=title.prefixed_text),
          "success")
    return redirect(page_url(title), 303)


# -- rollback ----------------------------------------------------------------------------
def _rollback(title: Title) -> Response:
    from ..store import revisions

    require("rollback", title)
    victim = request.values.get("from", "")
    if not victim:
        raise UserError(400, _("Rollback needs the name of the user whose edits to revert."),
                        _("Bad request"))
    if request.method != "POST":
        return render("page/confirm.html", title=title, action="rollback",
                      heading=_("Roll back edits"),
                      question=_("Revert the last consecutive edits of %(user)s on "
                                 "“%(title)s”?", user=victim, title=title.prefixed_text),
                      form_action=page_url(title, action="rollback", **{"from": victim}))
    db = get_session()
    revisions.rollback(db, title, current_user(), victim)
    db.commit()
    flash(_("Reverted edits by %(user)s.", user=victim), "success")
    return redirect(page_url(title), 303)


def run(title: Title, action: str) -> Response:
    """Dispatch one of the state-changing actions of ``index.php``."""
    if title.namespace < 0:
        raise UserError(400, _("This action cannot be done on a special page."),
                        _("Bad request"))
    if action in ("watch", "unwatch"):
        return _watch(title, action == "watch")
    if action == "purge":
        return _purge(title)
    if action == "delete":
        return _delete(title)
    if action in ("protect", "unprotect"):
        return _protect(title, action)
    return _rollback(title)
