"""What every write module shares: finding the page a write is about, turning the store's
errors into MediaWiki's API errors, and the ``watchlist`` parameter.

Owns ``page_target`` (``title`` or ``pageid``, exactly one), ``store_errors`` (a context
manager mapping ``EditConflict``, ``PageTooLarge``, ``PageExists``, ``MissingPage``,
``PermissionDenied``, ``InvalidInput`` to API errors, so a refused write leaves nothing
behind: the dispatcher rolls the transaction back) and ``apply_watchlist``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import delete, select

from ..models import Page, Watchlist
from ..store import errors as store_errors_module
from ..store import watchlist as store_watchlist
from ..title import Title
from .context import ApiContext, site_namespaces
from .errors import ApiError
from .params import P
from . import users

WATCHLIST = ("nochange", "preferences", "unwatch", "watch")


def token_param(kind: str = "csrf") -> P:
    return P("token", "string", required=True, sensitive=True, tokentype=kind)


def watchlist_param() -> P:
    return P("watchlist", WATCHLIST, default="preferences")


def page_target(ctx: ApiContext, v: dict[str, Any], title_key: str = "title",
                id_key: str = "pageid") -> tuple[Title, Page | None]:
    """The title (and page row) named by ``title`` or ``pageid``; exactly one is allowed."""
    if v.get(title_key) is not None and v.get(id_key) is not None:
        raise ApiError("invalidparammix", f'"{title_key}", "{id_key}"')
    if v.get(id_key) is not None:
        page = ctx.db.get(Page, v[id_key])
        if page is None:
            raise ApiError("nosuchpageid", v[id_key])
        return Title.make(page.namespace, page.title, site_namespaces()), page
    if v.get(title_key) is None:
        raise ApiError("missingparam-one-of", f'"{title_key}", "{id_key}"')
    title = ctx.title(v[title_key])
    page = ctx.db.scalar(select(Page).where(Page.namespace == title.namespace,
                                            Page.title == title.dbkey))
    return title, page


@contextmanager
def store_errors(ctx: ApiContext, page_missing_code: str = "missingtitle") -> Iterator[None]:
    """Store exceptions raised in the block become MediaWiki's API errors."""
    e = store_errors_module
    try:
        yield
    except e.EditConflict as exc:
        if exc.current_revision is None and "deleted" in exc.message:
            raise ApiError("pagedeleted") from None
        raise ApiError("editconflict") from None
    except e.PageTooLarge as exc:
        raise ApiError("contenttoobig", exc.limit // 1024) from None
    except e.PageExists:
        raise ApiError("articleexists") from None
    except e.MissingPage as exc:
        code = page_missing_code if exc.code == "missingtitle" else exc.code
        raise ApiError(code, info=exc.message if code != "missingtitle" else None) from None
    except e.PermissionDenied as exc:
        raise users.denied(ctx, exc) from None
    except e.NoSuchRevision as exc:
        raise ApiError("nosuchrevid", info=exc.message) from None
    except e.StoreError as exc:
        raise ApiError(exc.code, info=exc.message) from None


def watched(ctx: ApiContext, title: Title) -> bool:
    if ctx.user.is_anon:
        return False
    return ctx.db.scalar(select(Watchlist.wl_id).where(
        Watchlist.user_id == ctx.user.user_id, Watchlist.namespace == title.namespace,
        Watchlist.title == title.dbkey)) is not None


def set_watch(ctx: ApiContext, title: Title, watch: bool) -> None:
    """Watch or unwatch ``title`` and its talk/subject page (MediaWiki keeps both rows)."""
    store_watchlist.set_watch(ctx.db, ctx.user, title, watch)


#: MediaWiki 1.39's default watchlist preferences (``$wgDefaultUserOptions``).
DEFAULT_WATCH_OPTIONS = {"watchdefault": True, "watchcreations": True, "watchmoves": False,
                         "watchdeletion": False, "watchrollback": False, "watchuploads": True}


def apply_watchlist(ctx: ApiContext, title: Title, value: str, default_pref: str) -> bool:
    """Apply ``watchlist=`` after a write; returns MediaWiki's ``watched`` answer (for an
    anonymous user the default preference, though nothing is stored, as MediaWiki does)."""
    options = {**DEFAULT_WATCH_OPTIONS, **(ctx.user.options or {})}
    if value == "watch":
        decision = True
    elif value == "unwatch":
        decision = False
    elif value == "preferences":
        decision = bool(options.get(default_pref)) or watched(ctx, title)
    else:
        decision = watched(ctx, title)
    if ctx.user.is_anon:
        return decision
    if value in ("watch", "unwatch") or (value == "preferences" and decision):
        set_watch(ctx, title, decision)
    return watched(ctx, title)
