"""API errors and warnings with MediaWiki's codes and English texts.

Owns ``ApiError`` (raised anywhere below the dispatcher, turned into MediaWiki's error shape by
``api.main``) and the message table: each code maps to the text MediaWiki 1.39 gives with
``errorformat=bc`` (``<var>`` rendered as quotes), so clients that match on ``info`` still work.
"""
from __future__ import annotations

from typing import Any

#: code -> English text (``str.format`` fields), from MediaWiki's api/i18n/en.json.
MESSAGES: dict[str, str] = {
    "badvalue": 'Unrecognized value for parameter "{0}": {1}.',
    "missingparam": 'The "{0}" parameter must be set.',
    "badinteger": 'Invalid value "{1}" for integer parameter "{0}".',
    "badtimestamp": 'Invalid value "{1}" for timestamp parameter "{0}".',
    "badexpiry": 'Invalid value "{1}" for expiry parameter "{0}".',
    "outofrange": 'The value "{1}" for parameter "{0}" must be between {2} and {3}.',
    "outofrange-min": 'The value "{1}" for parameter "{0}" must be no less than {2}.',
    "outofrange-max": 'The value "{1}" for parameter "{0}" must be no greater than {2}.',
    "toomanyvalues": 'Too many values supplied for parameter "{0}". The limit is {1}.',
    "maxbytes": 'The value for parameter "{0}" cannot be longer than {1} bytes (was {2}).',
    "mustbeposted": "The {0} module requires a POST request.",
    "badcontinue": "Invalid continue param. You should pass the original value returned by the "
                   "previous query.",
    "badtoken": "Invalid CSRF token.",
    "assertuserfailed": "You are no longer logged in, so the action could not be completed.",
    "assertanonfailed": "You are logged in, so the action could not be completed.",
    "assertbotfailed": 'Assertion that the user has the "bot" right failed.',
    "assertnameduserfailed": 'Assertion that the user is "{0}" failed.',
    "readapidenied": "You need read permission to use this module.",
    "writeapidenied": "You're not allowed to edit this wiki through the API.",
    "maxlag": "Waiting for {0}: {1} seconds lagged.",
    "ratelimited": "You've exceeded your rate limit. Please wait some time and try again.",
    "invalidtitle": 'Bad title "{0}".',
    "missingtitle": "The page you specified doesn't exist.",
    "nosuchpageid": "There is no page with ID {0}.",
    "nosuchrevid": "There is no revision with ID {0}.",
    "articleexists": "The article you tried to create has been created already.",
    "editconflict": "Edit conflict.",
    "badmd5": "The supplied MD5 hash was incorrect.",
    "nosuchsection": "There is no section {0}.",
    "undofailure": "Edit could not be undone due to conflicting intermediate edits.",
    "contenttoobig": "The content you supplied exceeds the article size limit of {0} kilobytes.",
    "invalidparammix": "The parameters {0} can not be used together.",
    "missingparam-one-of": "One of the parameters {0} is required.",
    "missingparam-at-least-one-of": "At least one of the parameters {0} is required.",
    "permissiondenied": "You don't have permission to {0}.",
    "protectedpage": "This page has been protected to prevent editing or other actions.",
    "blocked": "You have been blocked from editing.",
    "cantcreate": "You do not have permission to create new pages.",
    "selfmove": "The title is the same; cannot move a page over itself.",
    "cantundelete": "Couldn't undelete: the requested revisions may not exist, or may have been "
                    "undeleted already.",
    "onlyauthor": "The page you tried to roll back has only one author.",
    "alreadyrolled": "Cannot rollback the last edit, because it is not by the given user.",
    "notloggedin": "Please log in to use this module.",
    "nosuchuser": 'The user "{0}" does not exist.',
    "unknownerror": "Unknown error: \"{0}\".",
    "internal_api_error": "[{0}] Internal error.",
    "invalidsection": 'The "section" parameter must be a valid section ID or "new".',
    "pagedeleted": "The page has been deleted since you fetched its timestamp.",
    "nosuchrcid": "There is no recent change with ID {0}.",
    "unknown_action": 'Unrecognized value for parameter "action": {0}.',
    "noimageredirect": "You don't have permission to create image redirects.",
    "unsupportednamespace": "Pages in the {0} namespace cannot be handled this way.",
    "missingcontent-pageid": "Missing content for page ID {0}.",
    "invalidcategory": "The category name you entered is not valid.",
    "immobilenamespace": "You tried to move pages from or into a namespace that is protected "
                         "from moving.",
    "nochange": "No changes were requested.",
    "toofewexpiries": "{0} expiry timestamps were provided where {1} were needed.",
    "protect-invalidaction": 'Invalid protection type "{0}".',
    "protect-invalidlevel": 'Invalid protection level "{0}".',
    "create-titleexists": "Existing titles can't be protected with \"create\".",
    "missingtitle-createonly": "Missing titles can only be protected with \"create\".",
    "cantimport": "You don't have permission to import pages.",
    "parsetree": "The content model is not supported.",
    "compare-nofromrevision": "No 'from' revision. Specify fromrev, fromtitle, or fromid.",
    "compare-notorevision": "No 'to' revision. Specify torev, totitle, or toid.",
    "diff-toobig": "The diff is too large to show.",
    "fileexists-no-change": "The upload is an exact duplicate of the current version of "
                            "\"{0}\".",
    "filetype-banned": "\"{0}\" is not a permitted file type.",
    "uploaddisabled": "Uploads are not enabled on this wiki.",
    "emptyfile": "The file you submitted was empty.",
    "nofile": "No file was provided.",
    "copyuploaddisabled": "Upload by URL is disabled.",
    "mustbeloggedin": "You must be logged in to {0}.",
    "botpasswords-disabled": "Bot passwords are disabled.",
}


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "info", ...}}`` with HTTP 200.

    :param code: MediaWiki's error code.
    :param args: values put into the message text of ``code``.
    :param info: a ready text instead of the table's.
    :param data: extra fields of the error object (``lag``, ``host``…).
    :param headers: HTTP headers of the answer (``Retry-After`` for maxlag).
    """

    def __init__(self, code: str, *args: Any, info: str | None = None,
                 data: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None):
        self.code = code
        if info is None:
            template = MESSAGES.get(code, code)
            info = template.format(*args) if args else template
        self.info = info
        self.data = data or {}
        self.headers = headers or {}
        super().__init__(f"{code}: {info}")


def permission_error(exc: Any) -> ApiError:
    """An ``ApiError`` from the store's ``PermissionDenied(code, message)``."""
    code = getattr(exc, "code", "permissiondenied") or "permissiondenied"
    message = getattr(exc, "message", None) or str(exc) or MESSAGES.get(code, code)
    return ApiError(code, info=message)
