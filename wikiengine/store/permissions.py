"""The ONE permission check, used by the web views and the Action API alike.

``user_can(session, user, action, title)`` raises ``PermissionDenied`` with MediaWiki's error
code, or returns None. Rights come from groups as in MediaWiki's ``$wgGroupPermissions``
(``*``, ``user``, ``autoconfirmed``, ``bot``, ``sysop``, ``bureaucrat``, ``interface-admin``),
adjusted by the site settings ``ANONYMOUS_EDIT`` (off by default), ``PRIVATE_WIKI`` (read only
for logged-in users) and ``GROUP_PERMISSIONS`` (``{group: {right: bool}}`` overrides); then
namespace rules, page protection (``page_restrictions``/``protected_titles``) and blocks.
"""
from __future__ import annotations

import datetime as _dt
import functools
import ipaddress
import types
from typing import Any, Mapping

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from wikiengine import config as _config_module
from wikiengine.models import Block, Page, PageRestriction, ProtectedTitle, User, utcnow
from wikiengine.namespaces import (CATEGORY, FILE, MEDIA, MEDIAWIKI, SPECIAL, USER, USER_TALK,
                                   Namespaces)
from wikiengine.title import Title

from .errors import PermissionDenied

_USER_RIGHTS = (
    "read", "edit", "createpage", "createtalk", "minoredit", "move", "move-subpages",
    "move-rootuserpages", "move-categorypages", "movefile", "upload", "reupload",
    "reupload-shared", "purge", "sendemail", "applychangetags", "changetags",
    "editmyusercss", "editmyuserjs", "editmyuserjson", "editmyoptions", "editmywatchlist",
    "viewmywatchlist", "viewmyprivateinfo", "editmyprivateinfo", "writeapi",
)
_SYSOP_RIGHTS = (
    "block", "createaccount", "delete", "bigdelete", "deletedhistory", "deletedtext",
    "undelete", "browsearchive", "editinterface", "editsitejson", "edituserjson", "import",
    "importupload", "move", "move-subpages", "move-rootuserpages", "move-categorypages",
    "movefile", "patrol", "autopatrol", "protect", "editprotected", "rollback", "upload",
    "reupload", "reupload-shared", "unwatchedpages", "autoconfirmed", "editsemiprotected",
    "ipblock-exempt", "blockemail", "markbotedits", "apihighlimits", "noratelimit",
    "unblockself", "suppressredirect", "mergehistory", "managechangetags", "deletelogentry",
    "deleterevision", "editcontentmodel", "writeapi",
)

#: MediaWiki 1.39's default ``$wgGroupPermissions`` (rights this wiki uses).
DEFAULT_GROUP_PERMISSIONS: dict[str, frozenset[str]] = {
    "*": frozenset({"createaccount", "read", "edit", "createpage", "createtalk", "writeapi",
                    "viewmywatchlist", "editmywatchlist", "viewmyprivateinfo",
                    "editmyprivateinfo", "editmyoptions"}),
    "user": frozenset(_USER_RIGHTS),
    "autoconfirmed": frozenset({"autoconfirmed", "editsemiprotected"}),
    "bot": frozenset({"bot", "autoconfirmed", "editsemiprotected", "nominornewtalk",
                      "autopatrol", "suppressredirect", "apihighlimits", "writeapi"}),
    "sysop": frozenset(_SYSOP_RIGHTS),
    "interface-admin": frozenset({"editinterface", "editsitecss", "editsitejs",
                                  "editusercss", "edituserjs"}),
    "bureaucrat": frozenset({"userrights", "noratelimit"}),
}

#: Protection levels (``$wgRestrictionLevels``) and the right each requires.
RESTRICTION_LEVELS = {"autoconfirmed": "editsemiprotected", "sysop": "editprotected"}
RESTRICTION_TYPES = ("edit", "move")
#: Pages anyone may read on a private wiki (``$wgWhitelistRead``).
READ_WHITELIST = ("Special:UserLogin", "Special:CreateAccount", "Special:UserLogout",
                  "Special:PasswordReset")
#: Actions a block stops.
_BLOCKED_ACTIONS = {"edit", "create", "createpage", "createtalk", "move", "delete", "undelete",
                    "protect", "unprotect", "rollback", "upload", "reupload", "block",
                    "userrights", "import", "editcontentmodel", "changetags", "purge"}
#: Action -> the right it needs, when they differ.
_ACTION_RIGHTS = {"create": "createpage", "unprotect": "protect", "unblock": "block",
                  "history": "read", "view": "read", "raw": "read", "info": "read"}


def settings() -> Mapping[str, Any]:
    """The current app's configuration, or the defaults outside an app context."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config
    return _config_module.DEFAULTS


def group_permissions(conf: Mapping[str, Any] | None = None) -> Mapping[str, frozenset[str]]:
    """The effective rights per group for the site's settings (read-only).

    Built once per distinct set of the settings it depends on (``ANONYMOUS_EDIT``,
    ``PRIVATE_WIKI``, ``GROUP_PERMISSIONS``) and cached: every permission check asks for it,
    and a setting changed at run time (tests, ``wikiengine`` commands) gives a new table."""
    conf = conf if conf is not None else settings()
    overrides = conf.get("GROUP_PERMISSIONS") or {}
    key = (bool(conf.get("ANONYMOUS_EDIT", False)), bool(conf.get("PRIVATE_WIKI", False)),
           tuple(sorted((str(group), tuple(sorted((str(r), bool(a)) for r, a in changes.items())))
                        for group, changes in overrides.items())))
    return _group_table(key)


@functools.lru_cache(maxsize=32)
def _group_table(key: tuple[bool, bool, tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]]
                 ) -> Mapping[str, frozenset[str]]:
    anonymous_edit, private_wiki, overrides = key
    table = {group: set(rights) for group, rights in DEFAULT_GROUP_PERMISSIONS.items()}
    if not anonymous_edit:
        table["*"] -= {"edit", "createpage", "createtalk"}
    if private_wiki:
        table["*"] -= {"read"}
    for group, changes in overrides:
        rights = table.setdefault(group, set())
        for right, allowed in changes:
            (rights.add if allowed else rights.discard)(right)
    return types.MappingProxyType({group: frozenset(rights) for group, rights in table.items()})


def implicit_groups(user: User, conf: Mapping[str, Any] | None = None) -> list[str]:
    """``*``, plus ``user`` and (when old and active enough) ``autoconfirmed``."""
    if user.user_id is None:
        return ["*"]
    conf = conf if conf is not None else settings()
    groups = ["*", "user"]
    age = _dt.timedelta(seconds=int(conf.get("AUTOCONFIRM_AGE", 0)))
    registered = user.registration or utcnow()
    if utcnow() - registered >= age and (user.editcount or 0) >= int(conf.get("AUTOCONFIRM_COUNT", 0)):
        groups.append("autoconfirmed")
    return groups


def effective_groups(user: User, conf: Mapping[str, Any] | None = None) -> list[str]:
    """Implicit and explicit (unexpired) groups of ``user``."""
    explicit = [] if user.user_id is None else user.group_names
    return implicit_groups(user, conf) + [g for g in explicit if g not in ("*", "user")]


def user_rights(user: User, conf: Mapping[str, Any] | None = None) -> frozenset[str]:
    table = group_permissions(conf)
    rights: set[str] = set()
    for group in effective_groups(user, conf):
        rights |= table.get(group, frozenset())
    return frozenset(rights)


def has_right(user: User, right: str) -> bool:
    return right in user_rights(user)


# -- blocks and protection ---------------------------------------------------------------

def _active(expiry: _dt.datetime | None) -> bool:
    return expiry is None or expiry > utcnow()


def _ip_matches(address: str, ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(address, strict=False)
    except ValueError:
        return address == ip


def get_block(session: Session, user: User, ip: str | None = None) -> Block | None:
    """The active block that applies to ``user`` (or to the address ``ip`` it uses)."""
    conditions = []
    if user.user_id is not None:
        conditions.append(Block.user_id == user.user_id)
    address = ip or (user.name if user.user_id is None else None)
    if address is not None:
        conditions.append(Block.user_id.is_(None))
    if not conditions:
        return None
    for block in session.scalars(select(Block).where(or_(*conditions)).order_by(Block.id)):
        if not _active(block.expiry):
            continue
        if block.user_id is not None:
            return block
        if address is None or not _ip_matches(block.address, address):
            continue
        if block.anon_only and user.user_id is not None:
            continue
        return block
    return None


def restrictions(session: Session, page_id: int) -> dict[str, tuple[str, _dt.datetime | None]]:
    """Active protections of a page: ``{type: (level, expiry)}``."""
    rows = session.scalars(select(PageRestriction).where(PageRestriction.page_id == page_id))
    return {r.type: (r.level, r.expiry) for r in rows if _active(r.expiry)}


def create_protection(session: Session, title: Title) -> ProtectedTitle | None:
    row = session.scalar(select(ProtectedTitle).where(
        ProtectedTitle.namespace == title.namespace, ProtectedTitle.title == title.dbkey))
    return row if row is not None and _active(row.expiry) else None


# -- the check ---------------------------------------------------------------------------

#: ``user_can(page=…)`` default: the page row is looked up.
_LOOKUP: Any = object()


def user_can(session: Session, user: User, action: str, title: Title | None = None, *,
             ip: str | None = None, page: Any = _LOOKUP) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may do ``action`` (on ``title``).

    ``action``: ``read``, ``edit``, ``create``, ``move``, ``delete``, ``undelete``,
    ``protect``, ``unprotect``, ``block``, ``unblock``, ``rollback``, ``upload``,
    ``createaccount``, ``userrights``, or any right name. ``ip`` is the request's address
    (IP blocks also stop registered users editing from a blocked address). ``page``: the
    title's page row (or None when it does not exist) if the caller has just read it in
    this transaction, to save a query.
    """
    conf = settings()
    rights = user_rights(user, conf)
    if action == "read":
        _check_read(user, rights, title)
        return
    right = _ACTION_RIGHTS.get(action, action)
    known = page
    page = None
    if title is not None and title.namespace >= 0 and action in ("edit", "create", "move", "rollback"):
        page = known if known is not _LOOKUP else session.scalar(select(Page).where(
            Page.namespace == title.namespace, Page.title == title.dbkey))
    if title is not None and title.namespace in (SPECIAL, MEDIA) and action not in ("read",):
        raise PermissionDenied("invalidtitle" if action != "move" else "immobilenamespace",
                               "Special pages cannot be changed.")
    if "read" not in rights and action != "createaccount":
        raise PermissionDenied("readapidenied", "You need read permission to use this module.")
    if action == "edit" and title is not None and page is None:
        action, right = "create", "createpage"
    if right not in rights:
        _deny_missing_right(user, action, right, title)
    if action == "create" and title is not None:
        needed = "createtalk" if Namespaces.is_talk(title.namespace) else "createpage"
        if needed not in rights:
            code = "cantcreate-anon" if user.user_id is None else "cantcreate"
            raise PermissionDenied(code, "You do not have permission to create new pages.")
    if action == "move" and title is not None:
        if title.namespace == CATEGORY and "move-categorypages" not in rights:
            raise PermissionDenied("cantmove", "You do not have permission to move categories.")
        if title.namespace == FILE and "movefile" not in rights:
            raise PermissionDenied("cantmove", "You do not have permission to move files.")
    if title is not None and action in ("edit", "create", "move", "rollback"):
        _check_title(session, user, rights, action, title, page)
    if action in _BLOCKED_ACTIONS or right in _BLOCKED_ACTIONS or (
            action == "createaccount"):
        _check_block(session, user, action, title, ip)


def _check_read(user: User, rights: frozenset[str], title: Title | None) -> None:
    if "read" in rights:
        return
    if title is not None and title.is_special():
        name = "Special:" + title.dbkey.split("/", 1)[0]
        if any(name.lower() == w.lower() for w in READ_WHITELIST):
            return
    raise PermissionDenied("readapidenied", "You need read permission to use this module.")


def _deny_missing_right(user: User, action: str, right: str, title: Title | None) -> None:
    if action == "create":
        code = "cantcreate-anon" if user.user_id is None else "cantcreate"
        raise PermissionDenied(code, "You do not have permission to create new pages.")
    if action == "move":
        raise PermissionDenied("cantmove-anon" if user.user_id is None else "cantmove",
                               "You do not have permission to move pages.")
    if action == "edit" and user.user_id is None:
        raise PermissionDenied("permissiondenied",
                               "You must log in to edit pages on this wiki.", right=right,
                               anonymous=True)
    raise PermissionDenied("permissiondenied",
                           f"You do not have the permission ({right}) to do this.", right=right)


def _check_title(session: Session, user: User, rights: frozenset[str], action: str,
                 title: Title, page: Page | None) -> None:
    if title.namespace == MEDIAWIKI and "editinterface" not in rights:
        raise PermissionDenied("protectednamespace-interface",
                               "This page provides interface text for the software, and is "
                               "protected to prevent abuse.")
    if title.namespace == USER and action == "move" and "/" not in title.dbkey and \
            "move-rootuserpages" not in rights:
        raise PermissionDenied("cant-move-user-page", "You do not have permission to move user pages.")
    if page is None:
        protection = create_protection(session, title)
        if protection is not None:
            needed = RESTRICTION_LEVELS.get(protection.create_perm, protection.create_perm)
            if needed not in rights:
                raise PermissionDenied("protectedtitle",
                                       "This title has been protected from creation.",
                                       level=protection.create_perm)
        return
    if action != "move":
        active = _restrictions_and_cascade(session, rights, title, page.page_id)
    else:
        active = restrictions(session, page.page_id)
    types = ("edit", "move") if action == "move" else ("edit",)
    for kind in types:
        if kind not in active:
            continue
        level = active[kind][0]
        needed = RESTRICTION_LEVELS.get(level, level)
        if needed and needed not in rights:
            raise PermissionDenied("protectedpage",
                                   "This page has been protected to prevent editing or other "
                                   "actions.", level=level, type=kind)


def _cascade_sources(title: Title) -> Any:
    """Ids of the pages transcluding ``title`` (or showing it, for a file)."""
    from wikiengine.models import ImageLink, TemplateLink

    sources = select(TemplateLink.from_id).where(TemplateLink.namespace == title.namespace,
                                                 TemplateLink.title == title.dbkey)
    if title.namespace == FILE:
        sources = sources.union(select(ImageLink.from_id).where(ImageLink.to == title.dbkey))
    return sources


def _restrictions_and_cascade(session: Session, rights: frozenset[str], title: Title,
                              page_id: int) -> dict[str, tuple[str, _dt.datetime | None]]:
    """``restrictions(page_id)`` and the cascade check in one query: pages transcluded (or
    files shown) in a cascade-protected page share its edit protection. The edit-permission
    check runs on every signed-in page view (for the Edit tab), so it stays one query."""
    if "editprotected" in rights:
        return restrictions(session, page_id)
    sources = _cascade_sources(title)
    rows = session.execute(
        select(PageRestriction.page_id, PageRestriction.type, PageRestriction.level,
               PageRestriction.expiry, PageRestriction.cascade, Page.namespace, Page.title,
               PageRestriction.page_id.in_(sources).label("transcluded"))
        .join(Page, Page.page_id == PageRestriction.page_id)
        .where(or_(PageRestriction.page_id == page_id,
                   and_(PageRestriction.page_id.in_(sources),
                        PageRestriction.cascade.is_(True), PageRestriction.type == "edit")))
        .order_by(PageRestriction.page_id)).all()
    for row in rows:
        if (row.transcluded and row.cascade and row.type == "edit"
                and _active(row.expiry)):
            raise PermissionDenied("cascadeprotected",
                                   "This page is transcluded in a cascade-protected page.",
                                   source=Title.make(row.namespace, row.title).prefixed_text)
    return {r.type: (r.level, r.expiry) for r in rows
            if r.page_id == page_id and _active(r.expiry)}


def _check_block(session: Session, user: User, action: str, title: Title | None,
                 ip: str | None) -> None:
    if "ipblock-exempt" in user_rights(user) and user.user_id is not None and ip is not None:
        ip = None
    block = get_block(session, user, ip)
    if block is None:
        return
    if action == "createaccount" and not block.create_account:
        return
    if action == "unblock" and block.user_id == user.user_id and has_right(user, "unblockself"):
        return
    if (action in ("edit", "create") and title is not None and block.allow_usertalk
            and title.namespace == USER_TALK and user.user_id is not None
            and title.dbkey == user.name.replace(" ", "_")):
        return
    raise PermissionDenied("blocked", "You have been blocked from editing.", block=block,
                           reason=block.reason, expiry=block.expiry)
