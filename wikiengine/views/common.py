"""Helpers shared by the web views: the site's titles and URLs, the current user, user errors.

Owns turning request input into a :class:`~wikiengine.title.Title` (``parse_title``), building
MediaWiki-shaped URLs (``/wiki/Title`` and ``/w/index.php?title=…``), loading the signed-in
user for each request (``g.user``), the ``UserError`` every view raises for bad input (shown
by the error handlers in ``views/__init__.py`` with a localised message and the right HTTP
status), and the tabs of the skin.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from flask import current_app, g, request, session
from flask_babel import gettext as _

from ..namespaces import SPECIAL, Namespaces
from ..title import InvalidTitle, Title


class UserError(Exception):
    """Bad input or a refused action: shown as a page with ``status`` and a message."""

    def __init__(self, status: int, message: str, heading: str | None = None, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.heading = heading
        self.extra = extra


def namespaces() -> Namespaces:
    """The site's namespace table (content language ``LANGUAGE``): ``rendering``'s."""
    from ..rendering import site_namespaces

    return site_namespaces()


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is shown."""
    return message


TITLE_MESSAGES = {
    "title-invalid-empty": N_("The requested page title is empty or contains only a namespace name."),
    "title-invalid-characters": N_("The requested page title contains invalid characters: "
                                "# < > [ ] | { } and control characters are not allowed."),
    "title-invalid-relative": N_("The title is a relative path (./ or ../), which is not allowed."),
    "title-invalid-magic-tilde": N_("The title contains a sequence of tildes (~~~), which is not "
                                 "allowed."),
    "title-invalid-too-long": N_("The title is too long: at most 255 bytes are allowed."),
    "title-invalid-leading-colon": N_("The title starts with a colon, which is not allowed."),
    "title-invalid-talk-namespace": N_("The title names a talk page of a page that cannot have one."),
    "title-invalid-namespace": N_("The title names a namespace that does not exist."),
    "title-invalid-utf8": N_("The title contains invalid text encoding."),
}


def title_message(code: str) -> str:
    return _(TITLE_MESSAGES.get(code, "The requested page title is invalid."))


def parse_title(text: str | None, *, allow_special: bool = True) -> Title:
    """A Title from user input, or ``UserError(400)`` with a localised reason."""
    if text is None or not text.strip():
        raise UserError(400, title_message("title-invalid-empty"), _("Bad title"))
    try:
        title = Title.new(text, namespaces())
    except InvalidTitle as exc:
        raise UserError(400, title_message(exc.code), _("Bad title"), bad_title=text) from None
    if title.interwiki:
        raise UserError(400, title_message("title-invalid-namespace"), _("Bad title"))
    if title.namespace == SPECIAL and not allow_special:
        raise UserError(400, _("Special pages cannot be edited."), _("Bad title"))
    return title.without_fragment() if title.fragment else title


def main_page() -> Title:
    return Title.new(current_app.config.get("MAIN_PAGE", "Accueil"), namespaces())


def wiki_quote(text: str) -> str:
    """MediaWiki's ``wfUrlencode`` of a prefixed dbkey (keeps ``:/;@$!*(),~``)."""
    return quote(text.replace(" ", "_"), safe=";@$!*(),/~:")


def page_url(title: Title | str, **query: Any) -> str:
    """``/wiki/Title`` without query, else ``/w/index.php?title=Title&…`` (None values dropped)."""
    key = title.prefixed_dbkey if isinstance(title, Title) else str(title).replace(" ", "_")
    params = {k: v for k, v in query.items() if v is not None and v is not False}
    if not params:
        base = "/wiki/" + wiki_quote(key)
        return base + ("#" + quote(title.fragment) if isinstance(title, Title) and title.fragment
                       else "")
    script = current_app.config.get("SCRIPT_PATH", "/w")
    return f"{script}/index.php?" + urlencode({"title": key, **params})


def special_title(name: str, sub: str | None = None) -> Title:
    """``Spécial:Nom`` for the canonical special page ``name``, in the content language."""
    ext = current_app.extensions
    canonical = ext.get("special_lookup", {}).get(name.replace(" ", "_").lower(), name)
    local = ext.get("special_local_names", {}).get(canonical, canonical)
    key = local + ("/" + sub.replace(" ", "_") if sub else "")
    return Title(SPECIAL, key, namespaces=namespaces())


def special_url(name: str, sub: str | None = None, **query: Any) -> str:
    return page_url(special_title(name, sub), **query)


# -- the current user ------------------------------------------------------------------
def load_user() -> None:
    """Put the signed-in user (or the anonymous user of this address) in ``g.user``."""
    from ..db import get_session
    from ..store import users

    g.user = None
    user_id = session.get("user_id")
    if user_id:
        from sqlalchemy.orm import joinedload

        from ..models import User

        user = get_session().get(User, int(user_id), options=[joinedload(User.groups)])
        if user is not None and session.get("user_token") == user_token(user):
            g.user = user
        else:
            session.pop("user_id", None)
            session.pop("user_token", None)
    if g.user is None:
        g.user = users.anonymous(request.remote_addr or "127.0.0.1")


def user_token(user: Any) -> str:
    """Changes with the password hash, so a new password signs out other sessions."""
    import hashlib

    secret = current_app.config["SECRET_KEY"]
    raw = f"{user.user_id}:{getattr(user, 'password', '')}:{secret}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def current_user() -> Any:
    if "user" not in g:
        load_user()
    return g.user


def is_registered(user: Any = None) -> bool:
    user = user if user is not None else current_user()
    return bool(getattr(user, "user_id", 0))


def user_name(user: Any = None) -> str:
    user = user if user is not None else current_user()
    return str(getattr(user, "name", "") or "")


def _check(action: str, title: Title | None) -> Exception | None:
    """The store's verdict on ``action`` for the current user, memoised for the request."""
    from ..db import get_session
    from ..store import permissions
    from ..store.errors import PermissionDenied

    memo = g.setdefault("permission_checks", {})
    key = (action, title.namespace if title else None, title.dbkey if title else None)
    if key not in memo:
        extra: dict[str, Any] = {}
        if title is not None and (title.namespace, title.dbkey) in g.get("page_rows", {}):
            extra["page"] = g.page_rows[(title.namespace, title.dbkey)]
        try:
            permissions.user_can(get_session(), current_user(), action, title,
                                 ip=request.remote_addr, **extra)
            memo[key] = None
        except PermissionDenied as exc:
            memo[key] = exc
    return memo[key]


def remember_page(title: Title, page: Any) -> None:
    """Note the page row (or None) of ``title`` read by a view, so that the permission
    checks of the same request (the skin's Edit tab) do not read it again."""
    g.setdefault("page_rows", {})[(title.namespace, title.dbkey)] = page


def can(action: str, title: Title | None = None) -> bool:
    """Whether the current user may do ``action`` (for showing links; views still check)."""
    return _check(action, title) is None


def require(action: str, title: Title | None = None) -> None:
    """Raise the store's ``PermissionDenied`` (shown as a 403 page) unless allowed."""
    denied = _check(action, title)
    if denied is not None:
        raise denied


def form_flag(name: str) -> bool:
    value = request.form.get(name)
    return value is not None and value not in ("", "0", "false")


def int_arg(name: str, default: int | None = None, *, minimum: int | None = None,
            maximum: int | None = None, source: Any = None) -> int | None:
    """An integer query parameter; junk gives ``UserError(400)``; bounds clamp."""
    raw = (source if source is not None else request.values).get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UserError(400, _("The parameter “%(name)s” must be a whole number.", name=name),
                        _("Bad request")) from None
    if minimum is not None and value < minimum:
        value = minimum
    if maximum is not None and value > maximum:
        value = maximum
    return value
