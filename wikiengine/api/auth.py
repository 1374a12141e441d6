"""``action=login``, ``action=clientlogin`` and ``action=logout``.

Owns signing in through the API: with a bot password (``Name@app``, a session only the API
honours, its rights narrowed to the grants) or with the account's main password (the same
session as the web login form, so one cookie serves both), the login throttle
(``LOGIN_RATE_LIMIT`` attempts per name and address) and signing out.
"""
from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from typing import Any

from flask import current_app, session

from ..models import BotPassword
from ..store import users as store_users
from .base import ApiModule, HELP_BASE, action
from .context import BP_SESSION, ApiContext
from .errors import ApiError
from .main import token_valid
from .params import P

WRONG_PASSWORD = "Incorrect username or password entered. Please try again."
THROTTLED = "You have made too many recent login attempts. Please wait {0} before trying again."

_LOCK = threading.Lock()
_FAILURES: dict[str, deque[float]] = defaultdict(deque)


def _throttle_key(name: str, ip: str) -> str:
    return f"{name.strip().lower()}|{ip}"


def throttled(name: str, ip: str) -> int | None:
    """Seconds to wait when ``name`` from ``ip`` failed too often, else None."""
    count, seconds = current_app.config.get("LOGIN_RATE_LIMIT", (5, 300))
    now = time.monotonic()
    with _LOCK:
        hits = _FAILURES[_throttle_key(name, ip)]
        while hits and hits[0] <= now - seconds:
            hits.popleft()
        if len(hits) >= count:
            return int(seconds)
    return None


def record_failure(name: str, ip: str) -> None:
    with _LOCK:
        _FAILURES[_throttle_key(name, ip)].append(time.monotonic())


def _wait_text(seconds: int) -> str:
    minutes = max(1, seconds // 60)
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


def start_session(ctx: ApiContext, user: Any, bot_password: BotPassword | None) -> None:
    """A fresh session for ``user`` (MediaWiki renews the session id on login)."""
    session.clear()
    if bot_password is not None:
        session[BP_SESSION] = {"user_id": user.user_id, "app_id": bot_password.app_id,
                               "token": bot_password.token,
                               "grants": json.loads(bot_password.grants or "[]")}
    else:
        from ..views.common import user_token

        session["user_id"] = user.user_id
        session["user_token"] = user_token(user)
    session.permanent = True
    ctx.reset_user()


def _bot_password_row(ctx: ApiContext, user: Any, app_id: str) -> BotPassword | None:
    return ctx.db.get(BotPassword, (user.user_id, app_id))


def authenticate(ctx: ApiContext, name: str, password: str,
                 allow_bot: bool) -> tuple[Any, BotPassword | None]:
    """``(user, bot_password_row)`` for good credentials; ``(None, None)`` otherwise."""
    if allow_bot and "@" in name:
        user = store_users.authenticate_bot(ctx.db, name, password)
        if user is not None:
            row = _bot_password_row(ctx, user, name.rsplit("@", 1)[1])
            return user, row
        if store_users.get_user(ctx.db, name) is None:
            return None, None
    user = store_users.authenticate(ctx.db, name, password)
    return user, None


@action
class Login(ApiModule):
    name, prefix, classname = "login", "lg", "ApiLogin"
    helpurls = (HELP_BASE + "Login",)
    mustbeposted = True
    writerights = True
    readrights = False
    params = (
        P("name", "string"),
        P("password", "password", sensitive=True),
        P("domain", "string"),
        P("token", "string", sensitive=True),
    )

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        token = v["token"]
        if not token:
            ctx.result["login"] = {"result": "NeedToken", "token": _login_token(ctx)}
            ctx.warn("login", 'Fetching a token via "action=login" is deprecated. Use '
                              '"action=query&meta=tokens&type=login" instead.')
            return
        if not token_valid(ctx, "login", token):
            ctx.result["login"] = {"result": "WrongToken"}
            return
        name, password = v["name"] or "", v["password"] or ""
        ip = ctx.request.remote_addr or ""
        wait = throttled(name, ip)
        if wait is not None:
            ctx.result["login"] = {"result": "Failed", "reason": THROTTLED.format(
                _wait_text(wait))}
            return
        user, row = authenticate(ctx, name, password, allow_bot=True)
        if user is None:
            record_failure(name, ip)
            ctx.result["login"] = {"result": "Failed", "reason": WRONG_PASSWORD}
            return
        if row is None:
            ctx.warn("main", 'Main-account login via "action=login" is deprecated and may '
                             'stop working without warning. To continue login with '
                             '"action=login", see Special:BotPasswords. To safely continue '
                             'using main-account login, see "action=clientlogin".')
        start_session(ctx, user, row)
        ctx.result["login"] = {"result": "Success", "lguserid": user.user_id,
                               "lgusername": user.name}


def _login_token(ctx: ApiContext) -> str:
    from .main import make_token

    return make_token(ctx, "login")


@action
class ClientLogin(ApiModule):
    name, prefix, classname = "clientlogin", "login", "ApiClientLogin"
    helpurls = (HELP_BASE + "Login",)
    mustbeposted = True
    writerights = True
    readrights = False
    params = (
        P("requests", "string", multi=True),
        P("messageformat", ("html", "none", "raw", "wikitext"), default="wikitext"),
        P("mergerequestfields", "boolean"),
        P("preservestate", "boolean"),
        P("returnurl", "string"),
        P("continue", "boolean"),
        P("token", "string", required=True, sensitive=True, tokentype="login"),
    )

    def describe(self, ctx: ApiContext) -> dict[str, Any]:
        out = super().describe(ctx)
        out["dynamicparameters"] = True if ctx.fv == 2 else ""
        return out

    def execute(self, ctx: ApiContext) -> None:
        v = self.read(ctx)
        if not v["returnurl"] and not v["continue"]:
            raise ApiError("invalidparammix", info='Either "loginreturnurl" or '
                                                   '"logincontinue" must be set.')
        if v["continue"]:
            ctx.result["clientlogin"] = {"status": "FAIL", "message": "No login in progress.",
                                         "messagecode": "authmanager-authn-not-in-progress"}
            return
        name = ctx.raw("username") or ""
        password = ctx.raw("password") or ""
        ctx.raw("rememberMe")
        if not name or not password:
            ctx.result["clientlogin"] = {
                "status": "UI", "message": "Please enter your username and password.",
                "messagecode": "authmanager-provider-password-domain",
                "requests": [{"id": "MediaWiki\\Auth\\PasswordAuthenticationRequest",
                              "fields": {"username": {"type": "string"},
                                         "password": {"type": "password"}}}]}
            return
        ip = ctx.request.remote_addr or ""
        wait = throttled(name, ip)
        if wait is not None:
            ctx.result["clientlogin"] = {"status": "FAIL", "messagecode": "login-throttled",
                                         "message": THROTTLED.format(_wait_text(wait))}
            return
        user, _row = authenticate(ctx, name, password, allow_bot=False)
        if user is None:
            record_failure(name, ip)
            ctx.result["clientlogin"] = {"status": "FAIL", "message": WRONG_PASSWORD,
                                         "messagecode": "wrongpassword"}
            return
        start_session(ctx, user, None)
        ctx.result["clientlogin"] = {"status": "PASS", "username": user.name}


@action
class Logout(ApiModule):
    name, classname = "logout", "ApiLogout"
    helpurls = (HELP_BASE + "Logout",)
    mustbeposted = True
    readrights = False
    params = (P("token", "string", required=True, sensitive=True, tokentype="csrf"),)

    def execute(self, ctx: ApiContext) -> None:
        self.read(ctx)
        session.clear()
        ctx.reset_user()
