"""Special pages about changes: RecentChanges (and its Atom/RSS feed), Watchlist (with
EditWatchlist), Contributions and Log.

Owns reading MediaWiki's filter parameters (``namespace``, ``hideminor``, ``hidebots``,
``hideanons``, ``hidemyself``, ``limit``, ``days``, ``feed=atom|rss``; ``type``/``user``/
``page`` for the log; ``target`` for contributions) and drawing the lists. The queries are
``store.changes``'; rows carry their actor and sizes, so each list costs one query.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from flask import Flask, current_app, request
from flask.wrappers import Response
from flask_babel import gettext as _
from sqlalchemy import select

from ..db import get_session
from ..title import Title
from .common import (N_, UserError, current_user, int_arg, is_registered, namespaces,
                     page_url, parse_title, special_url)
from .skin import render
from .special import register

LOG_TYPES = {
    "": N_("All public logs"),
    "delete": N_("Deletion log"),
    "move": N_("Move log"),
    "protect": N_("Protection log"),
    "block": N_("Block log"),
    "newusers": N_("User creation log"),
    "create": N_("Page creation log"),
    "rights": N_("User rights log"),
    "upload": N_("Upload log"),
    "import": N_("Import log"),
}

LOG_ACTIONS = {
    ("delete", "delete"): N_("deleted page %(target)s"),
    ("delete", "restore"): N_("restored page %(target)s"),
    ("move", "move"): N_("moved page %(target)s to %(dest)s"),
    ("move", "move_redir"): N_("moved page %(target)s to %(dest)s over redirect"),
    ("protect", "protect"): N_("protected %(target)s"),
    ("protect", "modify"): N_("changed protection level of %(target)s"),
    ("protect", "unprotect"): N_("removed protection from %(target)s"),
    ("block", "block"): N_("blocked %(target)s"),
    ("block", "reblock"): N_("changed block settings for %(target)s"),
    ("block", "unblock"): N_("unblocked %(target)s"),
    ("newusers", "create"): N_("user account %(target)s was created"),
    ("newusers", "create2"): N_("created user account %(target)s"),
    ("newusers", "autocreate"): N_("user account %(target)s was created automatically"),
    ("create", "create"): N_("created page %(target)s"),
    ("rights", "rights"): N_("changed group membership for %(target)s"),
    ("upload", "upload"): N_("uploaded %(target)s"),
    ("upload", "overwrite"): N_("uploaded a new version of %(target)s"),
    # MediaWiki's logentry-* messages (en.json / fr.json) for the other pairs the wiki writes
    # (deleting a redirect to move over it, dump imports) or imports from a dump's <logitem>s
    ("delete", "delete_redir"): N_("deleted redirect %(target)s by overwriting"),
    ("delete", "revision"): N_("changed visibility of revisions on page %(target)s"),
    ("delete", "event"): N_("changed visibility of log events on %(target)s"),
    ("import", "upload"): N_("imported %(target)s by file upload"),
    ("import", "interwiki"): N_("imported %(target)s from another wiki"),
    ("upload", "revert"): N_("reverted %(target)s to an old version"),
    ("newusers", "newusers"): N_("user account %(target)s was created"),
    ("newusers", "byemail"): N_("created user account %(target)s and password was sent by "
                                "email"),
    ("protect", "move_prot"): N_("moved protection settings from %(dest)s to %(target)s"),
    ("merge", "merge"): N_("merged %(target)s into %(dest)s"),
}

#: where a log entry's parameters name its second page (move target, former title of moved
#: protection settings, merge destination), in the order tried
_DEST_PARAMS = ("target", "4::target", "4::oldtitle", "oldtitle", "4::dest", "dest")


def _flag(name: str, default: bool) -> bool:
    value = request.args.get(name)
    if value is None:
        return default
    return value not in ("0", "", "false")


def _namespace_filter() -> int | None:
    raw = request.args.get("namespace", "")
    if raw in ("", "all"):
        return None
    ns = int_arg("namespace", None)
    if ns is None or not namespaces().exists(ns):
        raise UserError(400, _("This namespace does not exist."), _("Bad request"))
    return ns


def _actor_id(user: Any) -> int | None:
    from ..models import Actor

    if user is None:
        return None
    if getattr(user, "user_id", None):
        return get_session().scalar(select(Actor.actor_id).where(Actor.user_id == user.user_id))
    return get_session().scalar(select(Actor.actor_id).where(Actor.name == user.name))


def log_line(entry: Any) -> str:
    """A localised sentence for a log entry or a log row of recent changes (plain text;
    the template escapes it)."""
    import json

    kind = getattr(entry, "log_type", None) or getattr(entry, "type", "")
    action = getattr(entry, "log_action", None) or getattr(entry, "action", "")
    try:
        params = json.loads(entry.params or "{}")
    except ValueError:
        params = {}
    if not isinstance(params, dict):
        params = {}
    target = Title.make(entry.namespace, entry.title, namespaces()).prefixed_text
    dest = next((str(params[k]) for k in _DEST_PARAMS if params.get(k)), "")
    template = LOG_ACTIONS.get((str(kind), str(action)))
    if template is None:
        return f"{kind}/{action} {target}"
    return _(template, target=target, dest=dest)


def recent_changes(_sub: str | None) -> Response:
    from ..store import changes

    limit = int_arg("limit", 50, minimum=1, maximum=500) or 50
    days = int_arg("days", 30, minimum=1, maximum=90) or 30
    ns = _namespace_filter()
    hide = {name: _flag(name, default) for name, default in (
        ("hideminor", False), ("hidebots", True), ("hideanons", False), ("hidemyself", False),
        ("hideliu", False))}
    me = _actor_id(current_user()) if hide["hidemyself"] else None
    since = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None) - _dt.timedelta(days=days)
    query = changes.recent_changes_query(
        namespaces=[ns] if ns is not None else None, hide_minor=hide["hideminor"],
        hide_bots=hide["hidebots"], hide_anons=hide["hideanons"], hide_actor_id=me,
        since=since)
    if hide["hideliu"]:
        from ..models import Actor, RecentChange

        query = query.where(RecentChange.actor_id.in_(
            select(Actor.actor_id).where(Actor.user_id.is_(None))))
    rows = list(get_session().scalars(query.limit(limit)))
    feed = request.args.get("feed")
    if feed in ("atom", "rss"):
        return _feed(feed, rows, _("Recent changes"), special_url("RecentChanges"))
    if feed:
        raise UserError(400, _("Invalid feed type."), _("Bad request"))
    return render("special/changes.html", heading=_("Recent changes"), rows=rows,
                  limit=limit, days=days, namespace=ns, hide=hide, name="RecentChanges",
                  all_namespaces=[n for n in namespaces().numbers() if n >= 0],
                  ns_name=namespaces().name, log_line=log_line, watchlist=False)


def _feed(kind: str, rows: list[Any], heading: str, link: str) -> Response:
    server = current_app.config.get("SERVER", "").rstrip("/")
    items = []
    for rc in rows:
        title = Title.make(rc.namespace, rc.title, namespaces())
        url = server + (page_url(title, diff=rc.this_oldid, oldid=rc.last_oldid)
                        if rc.this_oldid and rc.last_oldid else page_url(title))
        summary = log_line(rc) if rc.type == 3 else rc.comment
        items.append({"title": title.prefixed_text, "url": url, "summary": summary or "",
                      "author": rc.actor.name if rc.actor else "", "date": rc.timestamp,
                      "id": f"{server}/rc/{rc.rc_id}"})
    template = "special/feed_atom.xml" if kind == "atom" else "special/feed_rss.xml"
    body = current_app.jinja_env.get_template(template).render(
        heading=heading, link=server + link, items=items, sitename=current_app.config[
            "SITENAME"], language=current_app.config.get("LANGUAGE", "fr"),
        updated=rows[0].timestamp if rows else _dt.datetime.now(_dt.timezone.utc))
    mimetype = "application/atom+xml" if kind == "atom" else "application/rss+xml"
    return current_app.response_class(body, 200, mimetype=mimetype)


def watchlist(_sub: str | None) -> Response:
    from ..models import RecentChange, Watchlist
    from ..store import changes

    user = current_user()
    if not is_registered(user):
        raise UserError(403, _("You must be logged in to view your watchlist."),
                        _("Not logged in"), login_link=True)
    days = int_arg("days", 7, minimum=1, maximum=90) or 7
    limit = int_arg("limit", 100, minimum=1, maximum=1000) or 100
    since = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None) - _dt.timedelta(days=days)
    db = get_session()
    watched = select(Watchlist.namespace, Watchlist.title).where(
        Watchlist.user_id == user.user_id)
    hide = {name: _flag(name, default) for name, default in (
        ("hideminor", False), ("hidebots", True), ("hideanons", False), ("hidemyself", False),
        ("hideliu", False))}
    query = changes.recent_changes_query(
        hide_minor=hide["hideminor"], hide_bots=hide["hidebots"], hide_anons=hide["hideanons"],
        hide_actor_id=_actor_id(user) if hide["hidemyself"] else None, since=since)
    from sqlalchemy import tuple_

    query = query.where(tuple_(RecentChange.namespace, RecentChange.title).in_(watched))
    rows = list(db.scalars(query.limit(limit)))
    count = len(list(db.execute(watched)))
    return render("special/changes.html", heading=_("Watchlist"), rows=rows, limit=limit,
                  days=days, namespace=None, hide=hide, name="Watchlist", watchlist=True,
                  watch_count=count, all_namespaces=[], ns_name=namespaces().name,
                  log_line=log_line)


def edit_watchlist(_sub: str | None) -> Response:
    from ..store import watchlist
    from .actions import set_watch

    user = current_user()
    if not is_registered(user):
        raise UserError(403, _("You must be logged in to edit your watchlist."),
                        _("Not logged in"), login_link=True)
    db = get_session()
    if request.method == "POST":
        removed = 0
        for text in request.form.getlist("titles"):
            set_watch(parse_title(text, allow_special=False), False)
            removed += 1
        db.commit()
        from flask import flash, redirect

        flash(_("%(n)s titles were removed from your watchlist.", n=removed), "success")
        return redirect(special_url("EditWatchlist"), 303)
    titles = [t for t in watchlist.watched_titles(db, user, namespaces())
              if t.namespace % 2 == 0]
    return render("special/editwatchlist.html", heading=_("Edit watchlist"), titles=titles)


def contributions(sub: str | None) -> Response:
    from ..models import Actor, Page, Revision

    target = request.args.get("target") or sub or ""
    limit = int_arg("limit", 50, minimum=1, maximum=500) or 50
    offset = int_arg("offset", 0, minimum=0) or 0
    ns = _namespace_filter()
    if not target:
        return render("special/contributions.html", heading=_("User contributions"),
                      target="", rows=[], limit=limit, offset=offset, more=False, namespace=ns,
                      all_namespaces=[n for n in namespaces().numbers() if n >= 0],
                      ns_name=namespaces().name)
    db = get_session()
    from ..store import users

    user = users.get_user(db, target)
    name = user.name if user is not None else target.strip()
    actor_id = db.scalar(select(Actor.actor_id).where(Actor.name == name))
    rows: list[Any] = []
    if actor_id is not None:
        query = (select(Revision, Page).join(Page, Page.page_id == Revision.page_id)
                 .where(Revision.actor_id == actor_id))
        if ns is not None:
            query = query.where(Page.namespace == ns)
        query = query.order_by(Revision.timestamp.desc(), Revision.rev_id.desc())
        rows = list(db.execute(query.limit(limit + 1).offset(offset)))
    more = len(rows) > limit
    rows = rows[:limit]
    parents = _parent_lengths([r[0] for r in rows])
    items = [{"rev": rev, "title": Title.make(page.namespace, page.title, namespaces()),
              "current": page.latest == rev.rev_id,
              "change": rev.len - parents.get(rev.parent_id or 0, 0)} for rev, page in rows]
    return render("special/contributions.html",
                  heading=_("User contributions of %(name)s", name=name), target=name,
                  rows=items, limit=limit, offset=offset, more=more, namespace=ns,
                  all_namespaces=[n for n in namespaces().numbers() if n >= 0],
                  ns_name=namespaces().name, exists=user is not None)


def _parent_lengths(revisions: list[Any]) -> dict[int, int]:
    from ..models import Revision

    ids = {r.parent_id for r in revisions if r.parent_id}
    if not ids:
        return {}
    return dict(get_session().execute(select(Revision.rev_id, Revision.len)
                                      .where(Revision.rev_id.in_(ids))).all())


def log(sub: str | None) -> Response:
    from ..store import changes, users

    log_type = request.args.get("type") or (sub if sub in LOG_TYPES else "") or ""
    if log_type not in LOG_TYPES:
        raise UserError(400, _("This log type does not exist."), _("Bad request"))
    limit = int_arg("limit", 50, minimum=1, maximum=500) or 50
    offset = int_arg("offset", 0, minimum=0) or 0
    page_text = request.args.get("page", "")
    title = parse_title(page_text) if page_text else None
    performer = request.args.get("user", "")
    db = get_session()
    actor_id = None
    if performer:
        user = users.get_user(db, performer)
        actor_id = _actor_id(user) if user is not None else _actor_id(users.anonymous(
            performer))
        if actor_id is None:
            actor_id = -1
    entries = changes.log_entries(db, log_type or None, title, actor_id, limit=limit + 1,
                                  offset=offset)
    more = len(entries) > limit
    return render("special/log.html", heading=_(LOG_TYPES[log_type]), entries=entries[:limit],
                  log_type=log_type, types=LOG_TYPES, page=page_text, performer=performer,
                  limit=limit, offset=offset, more=more, log_line=log_line)


def init_app(app: Flask) -> None:
    register(app, "Recentchanges", recent_changes, label=N_("Recent changes"), group="changes",
             aliases={"en": ["RecentChanges"],
                      "fr": ["Modifications récentes", "Modifications recentes",
                             "ModificationsRécentes", "ModificationsRecentes"]})
    register(app, "Watchlist", watchlist, label=N_("Watchlist"), group="changes",
             aliases={"fr": ["Liste de suivi", "ListeDeSuivi", "Suivi"]})
    register(app, "EditWatchlist", edit_watchlist, label=N_("Edit watchlist"), group="users",
             aliases={"fr": ["Modifier la liste de suivi", "ModifierListeDeSuivi"]})
    register(app, "Contributions", contributions, label=N_("User contributions"),
             group="users", aliases={"fr": ["Contributions"]})
    register(app, "Log", log, label=N_("Logs"), group="changes",
             aliases={"fr": ["Journal", "Journaux"]})
