"""The state of one API request: parameters read, warnings, output format, user, database.

Owns ``ApiContext``: raw parameter access that remembers which names were used (for the
``unrecognized-params`` warning), warnings per module, ``formatversion``, the current user
(a web session's user, or a bot-password session that only the API honours) and the rights
that user has in this request (bot-password grants narrow them).
"""
from __future__ import annotations

from typing import Any

from flask import Request, g, session

from ..namespaces import Namespaces
from ..title import InvalidTitle, Title

#: Session key of a bot-password login (honoured by the API only, as in MediaWiki).
BP_SESSION = "api_botpassword"


def site_namespaces() -> Namespaces:
    """The site's namespace table (the store's, shared with the renderer and the views)."""
    from ..rendering import site_namespaces as store_namespaces

    return store_namespaces()


class ApiContext:
    """One request to api.php."""

    def __init__(self, request: Request, db: Any):
        self.request = request
        self.db = db
        values: dict[str, str] = {}
        for key in request.args:
            values[key] = request.args.get(key, "")
        for key in request.form:
            values[key] = request.form.get(key, "")
        self.values = values
        self.used: set[str] = set()
        #: module -> the number ``limit=max`` stood for (echoed as ``limits``)
        self.parsed_limits: dict[str, int] = {}
        self.warnings: dict[str, list[tuple[str, str]]] = {}
        self.fv = 1
        self.errorformat = "bc"
        self.result: dict[str, Any] = {}
        self.is_posted = request.method == "POST"
        self.cors_anonymous = False
        self._user: Any = None
        self._rights: set[str] | None = None

    # -- parameters ----------------------------------------------------------------------
    def raw(self, name: str) -> str | None:
        self.used.add(name)
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return name in self.values

    def upload(self, name: str) -> Any:
        self.used.add(name)
        return self.request.files.get(name)

    def unused(self) -> list[str]:
        files = set(self.request.files)
        return [k for k in self.values if k not in self.used and k not in files]

    def warn(self, module_path: str, text: str, code: str = "warning") -> None:
        msgs = self.warnings.setdefault(module_path, [])
        if (code, text) not in msgs:
            msgs.append((code, text))

    # -- output helpers ------------------------------------------------------------------
    def flag(self, target: dict[str, Any], key: str, value: bool) -> None:
        """A flag set only when true (``if (…) $vals[key] = true``): ``""`` in fv1, ``true``
        in fv2, absent when false in both."""
        if value:
            target[key] = True if self.fv == 2 else ""

    def boolean(self, target: dict[str, Any], key: str, value: bool) -> None:
        """A boolean always present in fv2 (``false`` too), a flag in fv1."""
        if self.fv == 2:
            target[key] = bool(value)
        elif value:
            target[key] = ""

    def content_key(self) -> str:
        return "content" if self.fv == 2 else "*"

    def namespace_numbers(self) -> list[int]:
        return site_namespaces().numbers()

    # -- titles --------------------------------------------------------------------------
    def title(self, text: str, default_namespace: int = 0) -> Title:
        """A Title or ``ApiError(invalidtitle)``."""
        from .errors import ApiError

        try:
            title = Title.new(text, site_namespaces(), default_namespace)
        except InvalidTitle:
            raise ApiError("invalidtitle", text) from None
        if title.interwiki:
            raise ApiError("invalidtitle", text)
        return title.without_fragment() if title.fragment else title

    # -- user ----------------------------------------------------------------------------
    @property
    def user(self) -> Any:
        if self._user is None:
            self._user = load_api_user(self)
        return self._user

    def rights(self) -> set[str]:
        if self._rights is None:
            from . import users

            self._rights = users.effective_rights(self)
        return self._rights

    def has_right(self, right: str) -> bool:
        return right in self.rights()

    def high_limits(self) -> bool:
        return self.has_right("apihighlimits")

    def reset_user(self) -> None:
        self._user = None
        self._rights = None
        g.pop("user", None)


def load_api_user(ctx: ApiContext) -> Any:
    """The user of this request: bot-password session, web session, or anonymous."""
    from ..models import User
    from ..store import users

    ip = ctx.request.remote_addr or "127.0.0.1"
    if ctx.cors_anonymous:
        return users.anonymous(ip)
    bp = session.get(BP_SESSION)
    if bp:
        from . import botpasswords

        user = ctx.db.get(User, int(bp.get("user_id", 0)))
        if user is not None and botpasswords.session_valid(ctx.db, user, bp):
            return user
        session.pop(BP_SESSION, None)
    from ..views.common import current_user

    return current_user()
