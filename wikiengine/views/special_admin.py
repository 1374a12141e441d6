"""Special pages that change pages or users: MovePage, Undelete, Block, Unblock, BlockList
and UserRights.

Owns their forms (MediaWiki's field names: ``wpNewTitle``, ``wpReason``, ``wpLeaveRedirect``,
``wpMovetalk``, ``wpTarget``, ``wpExpiry``, ``wpCreateAccount``…), the server-side rights
check before showing or acting (``common.require``), and calling the store functions
(``revisions.move_page``/``undelete_page``, ``blocks.block``/``unblock``,
``users.add_group``/``remove_group``) in one transaction committed here. A store refusal
shows the form again with a localised message and nothing written.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from flask import Flask, flash, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

from ..db import get_session
from ..namespaces import USER
from ..title import Title
from .common import (N_, UserError, current_user, form_flag, namespaces, page_url,
                     parse_title, require, special_url)
from .skin import render
from .special import register

EXPIRY_CHOICES = {"infinite": N_("indefinite"), "2 hours": N_("2 hours"),
                  "1 day": N_("1 day"), "3 days": N_("3 days"), "1 week": N_("1 week"),
                  "1 month": N_("1 month"), "1 year": N_("1 year")}
_EXPIRY_DELTAS = {"2 hours": _dt.timedelta(hours=2), "1 day": _dt.timedelta(days=1),
                  "3 days": _dt.timedelta(days=3), "1 week": _dt.timedelta(weeks=1),
                  "1 month": _dt.timedelta(days=31), "1 year": _dt.timedelta(days=365)}
GRANTABLE_GROUPS = ("bot", "sysop", "bureaucrat")


def _store_call(fn: Callable[[], Any]) -> str | None:
    """Run a store action; a refusal rolls back and becomes a localised message."""
    from ..store.errors import PermissionDenied, StoreError
    from .errors import permission_message, store_message

    try:
        fn()
        get_session().commit()
    except PermissionDenied as exc:
        get_session().rollback()
        return permission_message(exc)
    except StoreError as exc:
        get_session().rollback()
        return store_message(exc)
    return None


def _expiry(value: str) -> _dt.datetime | None:
    if value == "infinite":
        return None
    if value not in _EXPIRY_DELTAS:
        raise UserError(400, _("The expiry time is invalid."), _("Bad request"))
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None) + _EXPIRY_DELTAS[value]


def _target_title(sub: str | None, field: str) -> Title | None:
    text = request.values.get(field) or sub
    return parse_title(text, allow_special=False) if text else None


# -- Special:MovePage --------------------------------------------------------------------
def move(sub: str | None) -> Response:
    from ..store import revisions

    old = _target_title(sub, "wpOldTitle") or _target_title(None, "target")
    if old is None:
        raise UserError(400, _("No page to move was given."), _("Move page"))
    require("move", old)
    if revisions.get_page(get_session(), old) is None:
        raise UserError(404, _("The page “%(title)s” does not exist.", title=old.prefixed_text),
                        _("Move page"))
    error = None
    new_text = request.form.get("wpNewTitle", old.prefixed_text)
    if request.method == "POST":
        from .common import can

        new = parse_title(new_text, allow_special=False)
        leave = form_flag("wpLeaveRedirect") if can("suppressredirect") else True
        error = _store_call(lambda: revisions.move_page(
            get_session(), old, new, current_user(), request.form.get("wpReason", "")[:500],
            leave_redirect=leave, move_talk=form_flag("wpMovetalk")))
        if error is None:
            flash(_("“%(old)s” has been moved to “%(new)s”.", old=old.prefixed_text,
                    new=new.prefixed_text), "success")
            return redirect(page_url(new), 303)
    from .common import can

    return render("special/move.html", title=None, heading=_("Move “%(title)s”",
                  title=old.prefixed_text), old=old, new_text=new_text, error=error,
                  status=400 if error else 200, can_suppress=can("suppressredirect"))


# -- Special:Undelete --------------------------------------------------------------------
def undelete(sub: str | None) -> Response:
    from ..store import pageops, revisions

    require("undelete")
    title = _target_title(sub, "target")
    db = get_session()
    if title is None:
        from sqlalchemy import distinct, select

        from ..models import Archive

        rows = db.execute(select(distinct(Archive.namespace), Archive.title)
                          .order_by(Archive.namespace, Archive.title).limit(500)).all()
        titles = [Title.make(ns, t, namespaces()) for ns, t in rows]
        return render("special/undelete.html", heading=_("View and restore deleted pages"),
                      target=None, titles=titles, archived=[], error=None)
    error = None
    if request.method == "POST":
        wanted = [int(v) for v in request.form.getlist("ids") if v.isdigit()] or None
        error = _store_call(lambda: revisions.undelete_page(
            db, title, current_user(), request.form.get("wpComment", "")[:500], wanted))
        if error is None:
            flash(_("“%(title)s” has been restored.", title=title.prefixed_text), "success")
            return redirect(page_url(title), 303)
    archived = pageops.deleted_revisions(db, title)
    return render("special/undelete.html", heading=_("Restore “%(title)s”",
                  title=title.prefixed_text), target=title, titles=[], archived=archived,
                  error=error, status=400 if error else 200)


# -- Special:Block / Unblock / BlockList -------------------------------------------------
def block(sub: str | None) -> Response:
    from ..store import blocks

    require("block")
    target = (request.values.get("wpTarget") or sub or "").strip()
    error = None
    if request.method == "POST":
        if not target:
            error = _("Please give a username or an IP address to block.")
        else:
            expiry = _expiry(request.form.get("wpExpiry", "infinite"))
            error = _store_call(lambda: blocks.block(
                get_session(), target, current_user(), expiry=expiry,
                reason=request.form.get("wpReason", "")[:500],
                create_account=form_flag("wpCreateAccount"),
                allow_usertalk=not form_flag("wpDisableUTEdit"),
                anon_only=form_flag("wpAnonOnly")))
        if error is None:
            flash(_("%(target)s has been blocked.", target=target), "success")
            return redirect(special_url("BlockList"), 303)
    return render("special/block.html", heading=_("Block user"), target=target, error=error,
                  expiries=list(EXPIRY_CHOICES.items()), status=400 if error else 200)


def unblock(sub: str | None) -> Response:
    from ..store import blocks

    require("unblock")
    target = (request.values.get("wpTarget") or sub or "").strip()
    error = None
    if request.method == "POST":
        error = _store_call(lambda: blocks.unblock(
            get_session(), target, current_user(), request.form.get("wpReason", "")[:500]))
        if error is None:
            flash(_("%(target)s has been unblocked.", target=target), "success")
            return redirect(special_url("BlockList"), 303)
    return render("special/unblock.html", heading=_("Unblock user"), target=target,
                  error=error, status=400 if error else 200)


def block_list(_sub: str | None) -> Response:
    from ..store import blocks

    rows = blocks.active_blocks(get_session(), limit=500)
    return render("special/blocklist.html", heading=_("Blocked users"), rows=rows)


# -- Special:UserRights ------------------------------------------------------------------
def user_rights(sub: str | None) -> Response:
    from ..store import users

    require("userrights")
    name = (request.values.get("user") or sub or "").strip()
    db = get_session()
    user = users.get_user(db, name) if name else None
    if name and user is None:
        raise UserError(404, _("There is no user called “%(name)s”.", name=name),
                        _("User rights"))
    if user is not None and request.method == "POST":
        wanted = set(request.form.getlist("groups")) & set(GRANTABLE_GROUPS)
        have = set(user.group_names)

        def change() -> None:
            for group in sorted(wanted - have):
                users.add_group(db, user, group)
            for group in sorted((have - wanted) & set(GRANTABLE_GROUPS)):
                users.remove_group(db, user, group)
            if wanted != have & set(GRANTABLE_GROUPS):
                from ..store import changes

                changes.log(db, "rights", "rights", users.get_actor(db, current_user()),
                            Title(USER, user.name.replace(" ", "_"), namespaces=namespaces()),
                            request.form.get("user-reason", "")[:500],
                            params={"oldgroups": sorted(have), "newgroups": sorted(wanted)})

        error = _store_call(change)
        if error is None:
            flash(_("The groups of %(name)s have been saved.", name=user.name), "success")
            return redirect(special_url("UserRights", user.name), 303)
        raise UserError(400, error, _("User rights"))
    return render("special/userrights.html", heading=_("User rights"), name=name, user=user,
                  groups=GRANTABLE_GROUPS)


def init_app(app: Flask) -> None:
    register(app, "Movepage", move, label=N_("Move page"), group="pagetools", listed=False,
             aliases={"en": ["MovePage"], "fr": ["Renommer une page", "Renommer", "Renommage"]})
    register(app, "Undelete", undelete, label=N_("View and restore deleted pages"),
             group="pagetools", restriction="undelete",
             aliases={"fr": ["Restaurer", "Restauration"]})
    register(app, "Block", block, label=N_("Block user"), group="users", restriction="block",
             aliases={"en": ["BlockIP", "Blockip", "BlockUser"], "fr": ["Bloquer", "Blocage"]})
    register(app, "Unblock", unblock, label=N_("Unblock user"), group="users",
             restriction="block", aliases={"fr": ["Débloquer", "Deblocage", "Déblocage"]})
    register(app, "BlockList", block_list, label=N_("Blocked users"), group="users",
             aliases={"en": ["Ipblocklist", "IPBlockList", "BlockList"],
                      "fr": ["Liste des blocages", "ListeDesBlocages", "Blocages"]})
    register(app, "Userrights", user_rights, label=N_("User rights"), group="users",
             restriction="userrights",
             aliases={"en": ["UserRights"], "fr": ["Permissions", "Droits"]})
