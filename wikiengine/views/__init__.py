"""The web interface: thin blueprints over the store, in MediaWiki's URL shapes.

``init_app`` wires, in order: the skin's Jinja helpers, the error pages, the special-page
registry (and the built-in special pages of ``special``, ``auth``, ``special_changes`` and
``special_admin``), the session settings and the per-request user, then the ``pages``
blueprint (``/``, ``/wiki/…``, ``/w/index.php``) that dispatches every action.
"""
from __future__ import annotations

from flask import Flask, request

from . import (auth, errors, pagecache, pages, skin, special, special_admin,
               special_changes)
from .common import current_user, page_url, special_title, special_url


def _user_page(name: str):  # type: ignore[no-untyped-def]
    from ..namespaces import USER
    from ..title import Title
    from .common import namespaces

    return Title(USER, name.replace(" ", "_"), namespaces=namespaces())


def _title_of(row):  # type: ignore[no-untyped-def]
    """The Title of a row with ``namespace`` and ``title`` (recent change, log entry…)."""
    from ..title import Title
    from .common import namespaces

    return Title.make(row.namespace, row.title, namespaces())


def _url_with(**changes: str) -> str:
    """The current URL with some query parameters replaced."""
    from urllib.parse import urlencode

    args = {**request.args.to_dict(), **changes}
    return request.path + "?" + urlencode(args)


def init_app(app: Flask) -> None:
    if str(app.config.get("SERVER", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True  # cookies only over HTTPS
    if app.config.get("SESSION_COOKIE_NAME") == "session":
        app.config["SESSION_COOKIE_NAME"] = "wikiengine_session"
    skin.init_app(app)
    pagecache.init_app(app)
    app.jinja_env.globals.update(special_title=special_title, user_page=_user_page,
                                 page_url=page_url, special_url=special_url,
                                 page_title_of=_title_of, url_with=_url_with)
    errors.init_app(app)
    special.init_app(app)
    auth.init_app(app)
    special_changes.init_app(app)
    special_admin.init_app(app)

    # The signed-in user is loaded on first use (``common.current_user``), so a page served
    # from the anonymous page cache costs no user query; i18n asks through this hook.
    app.extensions["current_user"] = current_user

    # Scripts only from this site's files, never inline: a second wall behind the sanitizer.
    policy = str(app.config.setdefault("CONTENT_SECURITY_POLICY", pagecache.DEFAULT_CSP))

    @app.after_request
    def _headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if policy and response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", policy)
        return response

    pagecache.install_middleware(app)
    proxies = int(app.config.get("PROXY_COUNT", 0) or 0)
    if proxies:  # behind nginx/Apache: client address and scheme from X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore
                                x_host=proxies)
    pages.init_app(app)
