"""Edit tokens (CSRF) as MediaWiki makes them: ``hmac + hex(timestamp) + "+\\"``.

Owns the per-session secret, making a token (``get_token``), checking one (``check_token``,
constant-time, with an optional maximum age) and ``protect(blueprint)``, which refuses every
state-changing request of a blueprint whose form lacks a valid ``wpEditToken`` (or
``wpLoginToken`` on the login form) with a localised 400 page. The Action API reuses
``get_token``/``check_token`` for its ``token`` parameter. The secret lives in the signed
session cookie, so a token is valid in every worker and dies with the session.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Callable

from flask import Blueprint, abort, current_app, g, request, session

SUFFIX = "+\\"
_SESSION_KEY = "wsTokenSecret"
#: Seconds an edit token stays valid (MediaWiki keeps them for the session's life).
DEFAULT_MAX_AGE = 24 * 3600


def _secret(create: bool = True) -> str | None:
    secret = session.get(_SESSION_KEY)
    if secret is None and create:
        secret = secrets.token_hex(16)
        session[_SESSION_KEY] = secret
    return secret


def _at(salt: str, secret: str, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}{salt}".encode(), hashlib.md5).hexdigest()
    return f"{digest}{timestamp:x}{SUFFIX}"


def get_token(salt: str = "") -> str:
    """A fresh token for this session (creates the session secret on first use)."""
    secret = _secret()
    assert secret is not None
    return _at(salt, secret, int(time.time()))


def token_timestamp(token: str) -> int | None:
    """The issue time carried by ``token``, or None when it has none."""
    if not token.endswith(SUFFIX) or len(token) <= 32 + len(SUFFIX):
        return None
    try:
        return int(token[32:-len(SUFFIX)], 16)
    except ValueError:
        return None


def check_token(token: str | None, salt: str = "", max_age: int | None = None) -> bool:
    """Whether ``token`` was made by :func:`get_token` in this session, and is young enough.

    :param max_age: seconds; default the app's ``EDIT_TOKEN_MAX_AGE``; 0 disables the check.
    """
    if not token:
        return False
    secret = _secret(create=False)
    stamp = token_timestamp(token)
    if secret is None or stamp is None:
        return False
    if max_age is None:
        max_age = int(current_app.config.get("EDIT_TOKEN_MAX_AGE", DEFAULT_MAX_AGE))
    if max_age and stamp < time.time() - max_age:
        return False
    return hmac.compare_digest(_at(salt, secret, stamp), token)


def token_problem(token: str | None) -> str | None:
    """Why ``token`` is refused: ``"missing"``, ``"expired"``, ``"invalid"``; None when valid."""
    if not token:
        return "missing"
    if check_token(token):
        return None
    secret = _secret(create=False)
    stamp = token_timestamp(token)
    if secret is not None and stamp is not None and check_token(token, max_age=0):
        return "expired"
    return "invalid" if secret is not None else "expired"


def submitted_token() -> str | None:
    return request.form.get("wpEditToken") or request.form.get("wpLoginToken")


def protect(blueprint: Blueprint, keep_text: Callable[[], bool] | None = None) -> None:
    """Check the edit token of every POST/PUT/PATCH/DELETE request of ``blueprint``.

    :param keep_text: tells whether this request must not lose what was typed (the edit
        form): then a bad token is recorded in ``g.token_problem`` and the view shows the
        form again without saving; otherwise the request is refused with a 400 page.
    """

    @blueprint.before_request
    def _check() -> None:
        g.token_problem = None
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        problem = token_problem(submitted_token())
        if problem is None:
            return
        if keep_text is not None and keep_text():
            g.token_problem = problem
            return
        abort(400, description=f"token-{problem}")
