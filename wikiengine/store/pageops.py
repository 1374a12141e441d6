"""Page operations beyond a save: delete (revisions to ``archive``), undelete, move (with
the talk page and an optional redirect left behind), protect, rollback and undo.
Each writes its log entry; none commits. Re-exported by ``store.revisions``.
"""
from __future__ import annotations

import datetime as _dt
from typing import Mapping

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from wikiengine import diff
from wikiengine.models import (RC_LOG, Archive, LogEntry, Page, PageRestriction, ProtectedTitle,
                               RecentChange, Revision, User, utcnow)
from wikiengine.title import Title

from . import changes, derived, events, permissions, users
from . import revisions as rv
from .errors import InvalidInput, MissingPage, PageExists, PermissionDenied

PROTECTION_LEVELS = ("", "autoconfirmed", "sysop")


def _lang() -> str:
    return str(permissions.settings().get("LANGUAGE", "fr"))


def redirect_text(target: Title) -> str:
    """Wikitext of a redirect in the content language (``#REDIRECTION`` in French)."""
    word = "#REDIRECTION" if _lang() == "fr" else "#REDIRECT"
    return f"{word} [[{target.prefixed_text}]]"


# -- delete / undelete -------------------------------------------------------------------

def delete_page(session: Session, title: Title, user: User, reason: str = "", *,
                check_permissions: bool = True, log_action: str = "delete") -> LogEntry:
    """Move every revision of the page to ``archive`` and remove the page (log delete/delete;
    ``delete_redir`` when a move replaces a redirect)."""
    page = rv.get_page(session, title)
    if page is None:
        raise MissingPage(f"The page {title.prefixed_text} does not exist.")
    if check_permissions:
        permissions.user_can(session, user, "delete", title)
    revisions = list(session.scalars(select(Revision).where(Revision.page_id == page.page_id)
                                     .order_by(Revision.rev_id)))
    for rev in revisions:
        session.add(Archive(namespace=page.namespace, title=page.title, comment=rev.comment,
                            actor_id=rev.actor_id, timestamp=rev.timestamp,
                            minor_edit=rev.minor_edit, rev_id=rev.rev_id, deleted=rev.deleted,
                            len=rev.len, page_id=page.page_id, parent_id=rev.parent_id,
                            sha1=rev.sha1, content_id=rev.content_id))
    session.flush()
    page_id = page.page_id
    derived.clear_links(session, page_id)
    session.execute(delete(RecentChange).where(RecentChange.page_id == page_id,
                                               RecentChange.type != RC_LOG))
    session.execute(delete(PageRestriction).where(PageRestriction.page_id == page_id))
    from wikiengine.models import ParserCacheEntry

    session.execute(delete(ParserCacheEntry).where(ParserCacheEntry.page_id == page_id))
    session.execute(delete(Revision).where(Revision.page_id == page_id))
    session.execute(delete(Page).where(Page.page_id == page_id))
    session.expire_all()
    actor = users.get_actor(session, user)
    entry = changes.log(session, "delete", log_action, actor, title, reason, page_id=page_id,
                        params={"count": len(revisions)})
    derived.invalidate_backlinks_after_commit(session, title, links=True)
    events.queue(session, "page_deleted", title=title, page_id=page_id)
    return entry


def deleted_revisions(session: Session, title: Title) -> list[Archive]:
    """Archived revisions of ``title``, newest first (Special:Undelete)."""
    return list(session.scalars(select(Archive).where(
        Archive.namespace == title.namespace, Archive.title == title.dbkey)
        .order_by(Archive.timestamp.desc(), Archive.rev_id.desc())))


def undelete_page(session: Session, title: Title, user: User, reason: str = "",
                  rev_ids: list[int] | None = None, *, check_permissions: bool = True) -> Page:
    """Restore archived revisions (all, or ``rev_ids``) of ``title``; when the page was
    recreated meanwhile the histories are merged and the newest revision becomes current."""
    if check_permissions:
        permissions.user_can(session, user, "undelete", title)
    archived = [a for a in deleted_revisions(session, title)
                if rev_ids is None or a.rev_id in set(rev_ids)]
    if not archived:
        raise MissingPage(f"There are no deleted revisions of {title.prefixed_text}.",
                          code="cannotundelete")
    page = rv.get_page(session, title)
    created = page is None
    if page is None:
        wanted = archived[0].page_id
        free = wanted is not None and session.get(Page, wanted) is None
        page = Page(namespace=title.namespace, title=title.dbkey, latest=0, len=0,
                    is_redirect=False, is_new=False, touched=utcnow(), page_content_model="wikitext")
        if free:
            page.page_id = wanted
        session.add(page)
        session.flush()
    for a in archived:
        session.add(Revision(rev_id=a.rev_id, page_id=page.page_id, parent_id=a.parent_id,
                             timestamp=a.timestamp, actor_id=a.actor_id, comment=a.comment,
                             minor_edit=a.minor_edit, deleted=a.deleted, len=a.len, sha1=a.sha1,
                             content_id=a.content_id))
        session.delete(a)
    session.flush()
    newest = session.scalar(select(Revision).where(Revision.page_id == page.page_id)
                            .order_by(Revision.timestamp.desc(), Revision.rev_id.desc()).limit(1))
    assert newest is not None
    count = session.scalar(select(func.count()).select_from(Revision)
                           .where(Revision.page_id == page.page_id)) or 0
    text = rv.revision_text(session, newest)
    from wikiengine import rendering

    output = rendering.parse_for_links(session, title, text)
    target = derived.redirect_target(title, text, output)
    session.execute(update(Page).where(Page.page_id == page.page_id).values(
        latest=newest.rev_id, len=newest.len, is_redirect=target is not None,
        is_new=count == 1, touched=utcnow()).execution_options(synchronize_session=False))
    session.refresh(page)
    derived.update_links(session, page, title, output, redirect=target)
    actor = users.get_actor(session, user)
    changes.log(session, "delete", "restore", actor, title, reason, page_id=page.page_id,
                params={"count": {"revisions": len(archived), "files": 0}})
    if created:
        derived.invalidate_backlinks_after_commit(session, title, links=True)
    return page


# -- move --------------------------------------------------------------------------------

def move_page(session: Session, old: Title, new: Title, user: User, reason: str = "", *,
              leave_redirect: bool = True, move_talk: bool = True,
              check_permissions: bool = True) -> Page:
    """Rename ``old`` to ``new`` (log move/move or move/move_redir). A null revision records
    the move in the history; a redirect is left at ``old`` unless the user may suppress it
    and asked to; the talk page follows when its target is free."""
    if old.namespace < 0 or new.namespace < 0 or new.interwiki:
        raise InvalidInput("These pages cannot be moved.", code="immobilenamespace")
    if (old.namespace, old.dbkey) == (new.namespace, new.dbkey):
        raise InvalidInput("The title is the same as the old one.", code="selfmove")
    page = rv.get_page(session, old)
    if page is None:
        raise MissingPage(f"The page {old.prefixed_text} does not exist.")
    target = rv.get_page(session, new)
    over_redirect = target is not None and _redirect_back(session, target, old)
    if target is not None and not over_redirect:
        raise PageExists(f"The page {new.prefixed_text} already exists.")
    if check_permissions:
        permissions.user_can(session, user, "move", old)
        permissions.user_can(session, user, "move", new)
    if over_redirect:  # MediaWiki lets anyone move back over the redirect a move left
        delete_page(session, new, user, reason, check_permissions=False,
                    log_action="delete_redir")
    if not leave_redirect and not permissions.has_right(user, "suppressredirect"):
        leave_redirect = True
    verb = "a renommé" if _lang() == "fr" else "moved page"
    comment = f"{user.name} {verb} [[{old.prefixed_text}]] en [[{new.prefixed_text}]]" \
        if _lang() == "fr" else f"{user.name} moved page [[{old.prefixed_text}]] to [[{new.prefixed_text}]]"
    if reason:
        comment += f" : {reason}" if _lang() == "fr" else f": {reason}"
    session.execute(update(Page).where(Page.page_id == page.page_id).values(
        namespace=new.namespace, title=new.dbkey, touched=utcnow())
        .execution_options(synchronize_session=False))
    session.refresh(page)
    from wikiengine.models import ImageLink, PageLink, TemplateLink

    for model in (PageLink, TemplateLink, ImageLink):
        session.execute(update(model).where(model.from_id == page.page_id)
                        .values(from_namespace=new.namespace)
                        .execution_options(synchronize_session=False))
    rv.null_revision(session, page, user, comment)
    actor = users.get_actor(session, user)
    redirect_id = None
    if leave_redirect:
        result = rv._create(session, old, redirect_text(new), user, comment, False, False,
                            False, log_creation=False)
        redirect_id = result.page.page_id
    changes.log(session, "move", "move", actor, old, reason, page_id=page.page_id,
                params={"target": new.prefixed_text, "noredir": not leave_redirect,
                        "redirect_page": redirect_id})
    derived.invalidate_backlinks_after_commit(session, new, links=True)
    if not leave_redirect:
        derived.invalidate_backlinks_after_commit(session, old, links=True)
    events.queue(session, "page_moved", old_title=old, new_title=new, page=page)
    if move_talk and old.can_have_talk() and not old.is_talk and not new.is_talk:
        old_talk, new_talk = old.talk_page(), new.talk_page()
        if rv.get_page(session, old_talk) is not None and rv.get_page(session, new_talk) is None:
            move_page(session, old_talk, new_talk, user, reason, leave_redirect=leave_redirect,
                      move_talk=False, check_permissions=check_permissions)
    return page


def _redirect_back(session: Session, target: Page, source: Title) -> bool:
    """True when ``target`` is a one-revision redirect to ``source`` (``isValidMoveTarget``)."""
    if not target.is_redirect or rv.revision_count(session, target) != 1:
        return False
    from wikiengine.models import Redirect

    row = session.get(Redirect, target.page_id)
    return row is not None and (row.namespace, row.title) == (source.namespace, source.dbkey)


# -- protect -----------------------------------------------------------------------------

def _describe(levels: Mapping[str, str], expiry: _dt.datetime | None) -> str:
    until = "infini" if expiry is None else expiry.strftime("%Y-%m-%d %H:%M UTC")
    if _lang() != "fr" and expiry is None:
        until = "indefinite"
    return " ".join(f"[{kind}={level}] ({until})" for kind, level in sorted(levels.items()) if level)


def protect_page(session: Session, title: Title, user: User, levels: Mapping[str, str],
                 expiry: _dt.datetime | None = None, reason: str = "", *,
                 cascade: bool = False, check_permissions: bool = True) -> LogEntry:
    """Set protection levels (``{"edit": "sysop", "move": "sysop"}``; ``""`` removes one;
    ``{"create": …}`` for a missing page). ``expiry`` None is infinite."""
    if check_permissions:
        permissions.user_can(session, user, "protect", title)
    for kind, level in levels.items():
        if level not in PROTECTION_LEVELS:
            raise InvalidInput(f"Invalid protection level {level!r}.", code="protect-invalidlevel")
        if kind not in ("edit", "move", "create", "upload"):
            raise InvalidInput(f"Invalid protection type {kind!r}.", code="protect-invalidaction")
    if expiry is not None and expiry.replace(tzinfo=None) <= utcnow():
        raise InvalidInput("The expiry time is in the past.", code="pastexpiry")
    expiry = expiry.replace(tzinfo=None) if expiry is not None else None
    actor = users.get_actor(session, user)
    page = rv.get_page(session, title)
    if page is None:
        if set(levels) - {"create"}:
            raise MissingPage(f"The page {title.prefixed_text} does not exist.")
        session.execute(delete(ProtectedTitle).where(ProtectedTitle.namespace == title.namespace,
                                                     ProtectedTitle.title == title.dbkey))
        level = levels.get("create", "")
        if level:
            session.add(ProtectedTitle(namespace=title.namespace, title=title.dbkey,
                                       actor_id=actor.actor_id, reason=reason, expiry=expiry,
                                       create_perm=level))
        action = "protect" if level else "unprotect"
        return changes.log(session, "protect", action, actor, title, reason,
                           params={"description": _describe(levels, expiry), "cascade": False})
    if "create" in levels:
        raise InvalidInput("Creation protection applies to missing pages only.",
                           code="create-titleexists")
    current = permissions.restrictions(session, page.page_id)
    for kind, level in levels.items():
        session.execute(delete(PageRestriction).where(PageRestriction.page_id == page.page_id,
                                                      PageRestriction.type == kind))
        if level:
            session.add(PageRestriction(page_id=page.page_id, type=kind, level=level,
                                        cascade=cascade and level == "sysop", expiry=expiry))
    session.flush()
    remaining = permissions.restrictions(session, page.page_id)
    action = "unprotect" if not remaining else ("modify" if current else "protect")
    description = _describe(levels, expiry)
    word = {"protect": "a protégé", "modify": "a modifié la protection de",
            "unprotect": "a retiré la protection de"}[action] if _lang() == "fr" else \
        {"protect": "protected", "modify": "changed protection level for",
         "unprotect": "removed protection from"}[action]
    comment = f"{user.name} {word} « {title.prefixed_text} » {description}".strip()
    if reason:
        comment += f" : {reason}"
    rv.null_revision(session, page, user, comment)
    return changes.log(session, "protect", action, actor, title, reason, page_id=page.page_id,
                       params={"description": description, "cascade": bool(cascade),
                               "details": [{"type": k, "level": v} for k, v in levels.items()]})


# -- rollback and undo -------------------------------------------------------------------

def rollback(session: Session, title: Title, user: User, from_user: str, summary: str = "", *,
             bot: bool = False, check_permissions: bool = True) -> "rv.SaveResult":
    """Revert all consecutive latest edits by ``from_user`` to the revision before them.

    :raises InvalidInput: ``alreadyrolled`` (the last edit is not by ``from_user``) or
        ``onlyauthor`` (nobody else ever edited the page).
    """
    page = rv.get_page(session, title)
    if page is None:
        raise MissingPage(f"The page {title.prefixed_text} does not exist.")
    if check_permissions:
        permissions.user_can(session, user, "rollback", title)
        permissions.user_can(session, user, "edit", title)
    latest = session.get(Revision, page.latest)
    assert latest is not None
    if not users.is_ip(from_user):
        try:
            from_user = users.normalize_name(from_user)
        except InvalidInput:
            pass
    if latest.actor.name != from_user:
        raise InvalidInput(f"The last edit was not made by {from_user}.", code="alreadyrolled")
    target = None
    for rev in session.scalars(select(Revision).where(Revision.page_id == page.page_id)
                               .order_by(Revision.timestamp.desc(), Revision.rev_id.desc())):
        if rev.actor_id != latest.actor_id:
            target = rev
            break
    if target is None:
        raise InvalidInput(f"{from_user} is the only author of this page.", code="onlyauthor")
    if not summary:
        other = target.actor.name
        if _lang() == "fr":
            summary = (f"Révocation des modifications de [[Special:Contributions/{from_user}|"
                       f"{from_user}]] ([[User talk:{from_user}|discussion]]) vers la dernière "
                       f"version de [[User:{other}|{other}]]")
        else:
            summary = (f"Reverted edits by [[Special:Contributions/{from_user}|{from_user}]] "
                       f"([[User talk:{from_user}|talk]]) to last revision by "
                       f"[[User:{other}|{other}]]")
    bot = bot and permissions.has_right(user, "markbotedits")
    return rv.save_page(session, title, rv.revision_text(session, target), user,
                        summary=summary, minor=True, bot=bot, base_rev_id=page.latest,
                        check_permissions=False)


def undo_text(session: Session, page: Page, undo: int, undoafter: int | None = None) -> str | None:
    """The text that undoes revisions ``undoafter``+1 … ``undo`` on top of the current text
    (MediaWiki's ``action=edit&undo=N&undoafter=M``), or None when later edits overlap."""
    undo_rev = session.get(Revision, undo)
    if undo_rev is None or undo_rev.page_id != page.page_id:
        raise InvalidInput(f"Revision {undo} is not a revision of this page.", code="nosuchrevid")
    after_id = undoafter if undoafter is not None else undo_rev.parent_id
    after_text = ""
    if after_id:
        after_rev = session.get(Revision, after_id)
        if after_rev is None or after_rev.page_id != page.page_id:
            raise InvalidInput(f"Revision {after_id} is not a revision of this page.",
                               code="nosuchrevid")
        after_text = rv.revision_text(session, after_rev)
    current = rv.page_text(session, page) or ""
    return diff.merge3(rv.revision_text(session, undo_rev), current, after_text)


__all__ = ["delete_page", "undelete_page", "deleted_revisions", "move_page", "protect_page",
           "rollback", "undo_text", "redirect_text", "PermissionDenied"]
