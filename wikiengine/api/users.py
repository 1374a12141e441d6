"""Who is asking, and what they may do: rights, blocks, grants and rate limits for the API.

Owns the API's view of the store's one permission check (``check`` wraps
``store.permissions.user_can`` and turns ``PermissionDenied`` into MediaWiki's API errors),
the rights of a bot-password session (the account's rights narrowed to the grants of that
bot password), block details for ``blockinfo`` and the configurable rate limits
(``API_RATE_LIMITS``: ``{action: {"anon"|"newbie"|"user": (count, seconds)}}``).
"""
from __future__ import annotations

import datetime as _dt
import threading
import time
from collections import defaultdict, deque
from typing import TYPE_CHECKING, Any

from flask import current_app, session

from ..store import permissions
from ..store.errors import PermissionDenied
from ..title import Title
from .errors import ApiError

if TYPE_CHECKING:
    from .context import ApiContext

#: MediaWiki's default ``$wgRateLimits`` for the actions the API rate-limits.
DEFAULT_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "edit": {"anon": (8, 60), "newbie": (8, 60)},
    "move": {"newbie": (2, 120), "user": (8, 60)},
    "upload": {"newbie": (8, 60)},
    "rollback": {"user": (10, 60), "newbie": (5, 120)},
    "purge": {"anon": (30, 60), "user": (30, 60)},
}

_RATE_LOCK = threading.Lock()
_RATE_HITS: dict[tuple[str, str, str], deque[float]] = defaultdict(deque)


def group_rights() -> dict[str, frozenset[str]]:
    return permissions.group_permissions()


def all_groups(user: Any) -> list[str]:
    return permissions.effective_groups(user)


def effective_rights(ctx: "ApiContext") -> set[str]:
    """The user's rights, narrowed by bot-password grants in a bot-password session."""
    from .botpasswords import rights_for_grants
    from .context import BP_SESSION

    rights = set(permissions.user_rights(ctx.user))
    bp = session.get(BP_SESSION) if not ctx.cors_anonymous else None
    if bp and not ctx.user.is_anon:
        rights &= rights_for_grants(bp.get("grants", []))
    return rights


def active_block(db: Any, user: Any) -> Any:
    return permissions.get_block(db, user)


def api_expiry(value: _dt.datetime | None) -> str:
    return "infinite" if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def block_info(ctx: "ApiContext", block: Any) -> dict[str, Any]:
    by = getattr(block, "by_actor", None)
    info: dict[str, Any] = {
        "blockid": block.id,
        "blockedby": by.name if by is not None else "",
        "blockedbyid": (by.user_id or 0) if by is not None else 0,
        "blockreason": block.reason or "",
        "blockedtimestamp": block.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "blockexpiry": api_expiry(block.expiry),
    }
    ctx.boolean(info, "blockpartial", False)
    ctx.flag(info, "blocknocreate", bool(block.create_account))
    ctx.flag(info, "blockanononly", bool(block.anon_only))
    return info


def changeable_groups(ctx: "ApiContext") -> list[str]:
    if "userrights" not in ctx.rights():
        return []
    from ..store.users import KNOWN_GROUPS

    return list(KNOWN_GROUPS)


def check(ctx: "ApiContext", action: str, title: Title | None = None) -> None:
    """The shared permission check; ``PermissionDenied`` becomes the API error.

    Bot-password grants are checked first: a right the grants do not give is missing.
    """
    right = {"create": "createpage", "unprotect": "protect"}.get(action, action)
    if right in permissions.user_rights(ctx.user) and right not in ctx.rights():
        raise ApiError("permissiondenied", info=f"You don't have permission to {action}.")
    try:
        permissions.user_can(ctx.db, ctx.user, action, title, ip=ctx.request.remote_addr)
    except PermissionDenied as exc:
        raise denied(ctx, exc) from None


def denied(ctx: "ApiContext", exc: PermissionDenied) -> ApiError:
    """MediaWiki's API error for a refused action."""
    code = exc.code
    data: dict[str, Any] = {}
    block = exc.params.get("block")
    if code == "blocked" and block is not None:
        data["blockinfo"] = block_info(ctx, block)
    if code.startswith("cantcreate"):
        code = "cantcreate"
    if code in ("cantmove", "cantmove-anon", "cant-move-user-page"):
        code = "cantmove"
    return ApiError(code, info=exc.message, data=data)


def rate_limits_for(ctx: "ApiContext") -> dict[str, Any]:
    """``userinfo.ratelimits``: the limits that apply to this user."""
    if "noratelimit" in ctx.rights():
        return {}
    table = current_app.config.get("API_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    kinds = _kinds(ctx)
    out: dict[str, Any] = {}
    for action, limits in table.items():
        for kind in kinds:
            if kind in limits:
                hits, seconds = limits[kind]
                out.setdefault(action, {})[kind] = {"hits": hits, "seconds": seconds}
    return out


def _kinds(ctx: "ApiContext") -> list[str]:
    user = ctx.user
    if user.is_anon:
        return ["anon", "ip"]
    groups = all_groups(user)
    return ["user"] if "autoconfirmed" in groups else ["newbie", "user"]


def rate_limit(ctx: "ApiContext", action: str) -> None:
    """Count one ``action``; ``ApiError(ratelimited)`` past the configured limit."""
    if "noratelimit" in ctx.rights():
        return
    table = current_app.config.get("API_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    limits = table.get(action) or {}
    key_name = ctx.user.name
    now = time.monotonic()
    with _RATE_LOCK:
        for kind in _kinds(ctx):
            if kind not in limits:
                continue
            count, seconds = limits[kind]
            hits = _RATE_HITS[(id(current_app), action, f"{kind}:{key_name}")]
            while hits and hits[0] <= now - seconds:
                hits.popleft()
            if len(hits) >= count:
                raise ApiError("ratelimited")
            hits.append(now)
