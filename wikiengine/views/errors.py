"""Error pages: every refusal or bad input becomes a localised page with the right status.

Owns the Flask error handlers for ``UserError`` (views), the store's ``PermissionDenied``
(403, with MediaWiki's reasons: protected page, blocked, cannot create…), ``InvalidTitle``,
the other ``StoreError``s, the HTTP errors (400 bad token, 404, 405, 413) and, as a last
resort, any other exception (500 page, logged, the transaction rolled back). API routes
(``/w/api.php``) are left to the API's own error format.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask.wrappers import Response
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from .common import N_, UserError, title_message

PERMISSION_MESSAGES = {
    "permissiondenied": N_("You do not have permission to do this."),
    "protectedpage": N_("This page has been protected to prevent editing or other actions."),
    "protectedtitle": N_("This title has been protected from creation."),
    "protectednamespace-interface": N_("This page provides interface text for the software, "
                                       "and is protected to prevent abuse."),
    "cantcreate": N_("You do not have permission to create new pages."),
    "cantcreate-anon": N_("You must log in or create an account to create new pages."),
    "cantmove": N_("You do not have permission to move pages."),
    "cantmove-anon": N_("You must log in to move pages."),
    "cant-move-user-page": N_("You do not have permission to move user pages."),
    "readapidenied": N_("You must log in to read pages on this wiki."),
    "invalidtitle": N_("Special pages cannot be changed."),
    "immobilenamespace": N_("Special pages cannot be moved."),
    "blocked": N_("You have been blocked from editing."),
}

HTTP_MESSAGES = {
    400: N_("The request could not be understood."),
    404: N_("The requested page or resource does not exist."),
    405: N_("This method is not allowed here."),
    413: N_("The data you sent is too large."),
    429: N_("Too many requests. Please wait a moment and try again."),
}

TOKEN_PAGE_MESSAGES = {
    "token-missing": N_("The form was sent without its security token. Please go back, "
                        "reload the page and try again."),
    "token-expired": N_("Your session has expired. Please go back, reload the page and try "
                        "again."),
    "token-invalid": N_("The security token of the form did not match your session (a loss "
                        "of session data). Please go back, reload the page and try again."),
}


STORE_MESSAGES = {
    "selfmove": N_("The source and destination titles are the same; a page cannot be moved "
                   "onto itself."),
    "immobilenamespace": N_("Pages in this namespace cannot be moved."),
    "articleexists": N_("A page of that name already exists, or the name you have chosen is "
                        "not valid. Please choose another name."),
    "missingtitle": N_("The page you specified does not exist."),
    "nosuchrevid": N_("There is no revision with this number."),
    "nosuchuser": N_("There is no user by this name."),
    "invalidusername": N_("This username is invalid."),
    "userexists": N_("Username entered already in use. Please choose a different name."),
    "passwordtooshort": N_("This password is too short."),
    "pastexpiry": N_("The expiry time is in the past."),
    "cantunblock": N_("This user or address is not blocked."),
    "alreadyrolled": N_("Cannot roll back: the last edit was made by someone else, or "
                        "someone already rolled it back."),
    "onlyauthor": N_("Cannot roll back: the user is the only author of this page."),
    "undofailure": N_("The edit could not be undone due to conflicting intermediate edits."),
    "invalidtitle": N_("The requested page title is invalid."),
    "contenttoobig": N_("The text is longer than the maximum page size."),
    "editconflict": N_("Edit conflict: the page was changed meanwhile."),
}


def store_message(exc: Any) -> str:
    """A localised sentence for a store error (its English message when the code is new)."""
    code = getattr(exc, "code", "")
    if code in STORE_MESSAGES:
        return _(STORE_MESSAGES[code])
    return str(getattr(exc, "message", "") or code)


def permission_message(exc: Any) -> str:
    """A localised sentence for a store ``PermissionDenied``."""
    code = getattr(exc, "code", "permissiondenied")
    params = getattr(exc, "params", {}) or {}
    if code == "permissiondenied" and params.get("anonymous"):
        return _("You must log in to edit pages on this wiki.")
    message = _(PERMISSION_MESSAGES.get(code, PERMISSION_MESSAGES["permissiondenied"]))
    if code == "blocked":
        reason = params.get("reason") or ""
        expiry = params.get("expiry")
        from ..i18n import _datetime

        until = _datetime(expiry) if expiry is not None else _("never (infinite block)")
        message += " " + _("Reason: %(reason)s. The block expires: %(expiry)s.",
                           reason=reason or _("no reason given"), expiry=until)
    elif code == "protectedpage" and params.get("level"):
        message += " " + _("Protection level: %(level)s.", level=params["level"])
    return message


def _is_api() -> bool:
    return request.path.endswith("/api.php")


def _page(status: int, heading: str, message: str, **extra: Any) -> Response:
    from ..db import get_session
    from .skin import render

    try:
        get_session().rollback()  # nothing half-done is ever committed after an error
        return render("error.html", heading=heading, message=message, status=status,
                      noindex=True, **extra)
    except Exception:  # the skin itself failed: a bare page, never a traceback
        current_app.logger.exception("error page could not be rendered")
        return current_app.response_class(f"{status} {message}", status,
                                          mimetype="text/plain")


def init_app(app: Flask) -> None:
    from ..store.errors import PermissionDenied, StoreError
    from ..title import InvalidTitle

    @app.errorhandler(UserError)
    def _user_error(exc: UserError) -> Any:
        return _page(exc.status, exc.heading or _("Error"), exc.message, **exc.extra)

    @app.errorhandler(PermissionDenied)
    def _denied(exc: PermissionDenied) -> Any:
        from .common import is_registered

        return _page(403, _("Permission error"), permission_message(exc),
                     code=exc.code, login_link=not is_registered())

    @app.errorhandler(InvalidTitle)
    def _bad_title(exc: InvalidTitle) -> Any:
        return _page(400, _("Bad title"), title_message(exc.code))

    @app.errorhandler(StoreError)
    def _store_error(exc: StoreError) -> Any:
        status = {"missingtitle": 404, "nosuchrevid": 404, "articleexists": 409,
                  "editconflict": 409, "contenttoobig": 413}.get(exc.code, 400)
        return _page(status, _("Error"), store_message(exc), code=exc.code)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        if _is_api() or exc.code is None or exc.code < 400:
            return exc
        description = exc.description or ""
        if description in TOKEN_PAGE_MESSAGES:
            return _page(400, _("Session failure"), _(TOKEN_PAGE_MESSAGES[description]),
                         code="badtoken")
        message = HTTP_MESSAGES.get(exc.code, HTTP_MESSAGES[400])
        return _page(exc.code, exc.name, _(message))

    @app.errorhandler(Exception)
    def _internal(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return _http(exc)
        current_app.logger.exception("unhandled error on %s", request.path)
        if _is_api() or current_app.testing:
            raise exc
        return _page(500, _("Internal error"), _("Something went wrong on the server. "
                                                 "Nothing was saved. Please try again."))
