"""Accounts on the web: Special:UserLogin, UserLogout, CreateAccount and Preferences.

Owns signing in and out (the session cookie holds the user id and a token derived from the
password hash, so changing the password ends other sessions), the login rate limit
(``LOGIN_RATE_LIMIT`` attempts per name and per address within a window, shared by the
worker processes of a machine), account creation through ``store.users.create_user`` and
the interface-language preference. Field names are MediaWiki's: ``wpName``, ``wpPassword``, ``wpRetype``,
``wpLoginToken``/``wpEditToken``, ``returnto``.
"""
from __future__ import annotations

import ipaddress
import sqlite3
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app, flash, redirect, request, session
from flask.wrappers import Response
from flask_babel import gettext as _

from ..db import get_session
from ..namespaces import USER
from ..title import InvalidTitle, Title
from .common import (N_, UserError, current_user, is_registered, main_page, namespaces,
                     page_url, parse_title, require, special_url, user_token)
from .skin import render
from .special import register

MIN_PASSWORD_LENGTH = 8


class RateLimiter:
    """Sliding-window attempt counter shared by every worker process of this machine.

    Kept in a small SQLite file of the instance folder (``ratelimit.sqlite3``), not in the
    wiki's database: it is throw-away state, written on each login attempt.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL)")
            conn.execute("CREATE INDEX IF NOT EXISTS hits_key ON hits (key, at)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def hit(self, keys: list[str], limit: int, window: float) -> bool:
        """Record an attempt for each key; False (and nothing recorded) when any key already
        has ``limit`` attempts within the last ``window`` seconds."""
        now = time.time()
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM hits WHERE at <= ?", (now - window,))
            for key in keys:
                count = conn.execute("SELECT count(*) FROM hits WHERE key = ?", (key,))
                if count.fetchone()[0] >= limit:
                    conn.execute("COMMIT")
                    return False
            conn.executemany("INSERT INTO hits (key, at) VALUES (?, ?)",
                             [(key, now) for key in keys])
            conn.execute("COMMIT")
            return True
        finally:
            conn.close()

    def clear(self, key: str) -> None:
        conn = self._connect()
        try:
            conn.execute("DELETE FROM hits WHERE key = ?", (key,))
        finally:
            conn.close()


def _limiter() -> RateLimiter:
    app = current_app
    limiter = app.extensions.get("login_rate_limiter")
    if limiter is None:
        limiter = RateLimiter(Path(app.instance_path) / "ratelimit.sqlite3")
        app.extensions["login_rate_limiter"] = limiter
    return limiter


def _allowed(keys: list[str], limit: int, window: float) -> bool:
    """The rate limiter's answer; if its file cannot be used, log it and let the attempt
    through (the password is still checked) rather than lock everybody out."""
    try:
        return _limiter().hit(keys, limit, window)
    except (sqlite3.Error, OSError):
        current_app.logger.exception("login rate limiter unavailable")
        return True


def _returnto() -> str:
    """Where to go after signing in or out: the page named by ``returnto`` (never another
    site, never the login pages themselves), else the main page."""
    from ..namespaces import SPECIAL
    from .special import lookup

    target = request.values.get("returnto", "")
    if target:
        try:
            title = parse_title(target)
        except UserError:
            return page_url(main_page())
        if title.namespace == SPECIAL:
            found = lookup(title.dbkey.split("/", 1)[0])
            if found is not None and found.name in ("Userlogin", "Userlogout",
                                                    "CreateAccount"):
                return page_url(main_page())
        return page_url(title)
    return page_url(main_page())


def _sign_in(user: Any) -> None:
    session.clear()  # a fresh session (and a fresh token secret) after signing in
    session["user_id"] = int(user.user_id)
    session["user_token"] = user_token(user)
    session.permanent = bool(request.form.get("wpRemember"))


def login(_sub: str | None) -> Response:
    name = request.form.get("wpName", request.args.get("wpName", ""))
    error = None
    status = 200
    if request.method == "POST":
        from ..store import users

        limit, window = current_app.config.get("LOGIN_RATE_LIMIT", (5, 300))
        address = request.remote_addr or ""
        name_key = "name:" + name.strip().lower()
        if not _allowed([name_key, "ip:" + address], int(limit), float(window)):
            error = _("You have made too many recent login attempts. Please wait %(minutes)s "
                      "minutes before trying again.", minutes=max(1, int(window) // 60))
            status = 429
        else:
            user = users.authenticate(get_session(), name.strip(),
                                      request.form.get("wpPassword", ""))
            if user is not None:
                try:
                    _limiter().clear(name_key)
                except (sqlite3.Error, OSError):
                    current_app.logger.exception("login rate limiter unavailable")
                _sign_in(user)
                get_session().commit()
                return redirect(_returnto(), 303)
            error = _("Incorrect username or password entered. Please try again.")
            status = 400
    return render("auth/login.html", heading=_("Log in"), name=name, error=error,
                  returnto=request.values.get("returnto", ""), status=status, noindex=True)


def logout(_sub: str | None) -> Response:
    if request.method == "POST":
        session.clear()
        flash(_("You are now logged out."), "success")
        return redirect(_returnto(), 303)
    return render("auth/logout.html", heading=_("Log out"), noindex=True)


def _check_new_account(name: str, password: str, retype: str) -> tuple[str | None, str]:
    """An error message (or None) and the normalised user name."""
    if not name.strip():
        return _("Please enter a username."), name
    try:
        title = Title.new(name, namespaces(), default_namespace=USER)
    except InvalidTitle:
        return _("The username “%(name)s” is invalid.", name=name), name
    if title.namespace != USER and ":" in name:
        return _("A username cannot contain a colon."), name
    normalised = title.text if title.namespace == USER else title.prefixed_text
    if "/" in normalised or "@" in normalised or "#" in name:
        return _("A username cannot contain “/”, “@” or “#”."), normalised
    try:
        ipaddress.ip_address(normalised)
        return _("An IP address cannot be used as a username."), normalised
    except ValueError:
        pass
    if len(normalised.encode()) > 85:
        return _("This username is too long."), normalised
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Passwords must be at least %(n)s characters.", n=MIN_PASSWORD_LENGTH), normalised
    if password != retype:
        return _("The passwords you entered do not match."), normalised
    if password.strip().lower() == normalised.lower():
        return _("Your password must be different from your username."), normalised
    return None, normalised


def create_account(_sub: str | None) -> Response:
    require("createaccount")
    name = request.form.get("wpName", "")
    error = None
    status = 200
    if request.method == "POST":
        from ..store import users

        password = request.form.get("wpPassword", "")
        error, name = _check_new_account(name, password, request.form.get("wpRetype", ""))
        db = get_session()
        if error is None and users.get_user(db, name) is not None:
            error = _("Username entered already in use. Please choose a different name.")
        if error is None:
            user = users.create_user(db, name, password)
            db.commit()
            _sign_in(user)
            flash(_("Welcome, %(name)s! Your account has been created.", name=user.name),
                  "success")
            return redirect(_returnto(), 303)
        status = 400
    return render("auth/createaccount.html", heading=_("Create account"), name=name,
                  error=error, returnto=request.values.get("returnto", ""), status=status,
                  min_length=MIN_PASSWORD_LENGTH, noindex=True)


def preferences(_sub: str | None) -> Response:
    user = current_user()
    if not is_registered(user):
        raise UserError(403, _("You must be logged in to set your preferences."),
                        _("Not logged in"), login_link=True)
    languages = current_app.config.get("LANGUAGES", ["fr", "en"])
    if request.method == "POST":
        language = request.form.get("wplanguage", "")
        options = dict(user.options or {})
        if language in languages:
            options["language"] = language
        elif language == "":
            options.pop("language", None)
        else:
            raise UserError(400, _("This language is not available."), _("Preferences"))
        user.options = options
        get_session().commit()
        flash(_("Your preferences have been saved."), "success")
        return redirect(special_url("Preferences"), 303)
    from .skin import LANGUAGE_LABELS

    return render("auth/preferences.html", heading=_("Preferences"), user=user,
                  languages=[(c, LANGUAGE_LABELS.get(c, c)) for c in languages],
                  current=(user.options or {}).get("language", ""), noindex=True)


def init_app(app: Flask) -> None:
    register(app, "Userlogin", login, label=N_("Log in"), group="login",
             aliases={"en": ["UserLogin", "Login"], "fr": ["Connexion", "Identification"]})
    register(app, "Userlogout", logout, label=N_("Log out"), group="login", listed=False,
             aliases={"en": ["UserLogout", "Logout"], "fr": ["Déconnexion", "Deconnexion"]})
    register(app, "CreateAccount", create_account, label=N_("Create account"), group="login",
             aliases={"fr": ["Créer un compte", "CréerUnCompte", "CréerCompte"]})
    register(app, "Preferences", preferences, label=N_("Preferences"), group="users",
             aliases={"fr": ["Préférences"]})
