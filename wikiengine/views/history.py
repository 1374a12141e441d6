"""Page history and differences between revisions (``action=history``, ``diff=…&oldid=…``).

Owns the history list (date, user, size and size change, summary, minor flag, cur/prev
links, two radio buttons to compare any pair, rollback for who may), paged with ``limit``
and ``offset`` as in MediaWiki, and the diff page: ``diff=N&oldid=M``, ``diff=prev|next|cur``
with ``oldid``, ``diff=N`` alone (against its parent), drawn side by side by ``diffview``.
"""
from __future__ import annotations

from typing import Any

from flask import request
from flask.wrappers import Response
from flask_babel import gettext as _
from sqlalchemy import select

from ..db import get_session
from ..title import Title
from .common import UserError, can, int_arg, namespaces
from .skin import render


def history(title: Title) -> Response:
    from ..models import Revision
    from ..store import revisions

    db = get_session()
    page = revisions.get_page(db, title)
    if page is None:
        from .pages import _missing

        return _missing(title)
    limit = int_arg("limit", 50, minimum=1, maximum=5000) or 50
    offset = int_arg("offset", 0, minimum=0) or 0
    rows = revisions.history(db, page, limit=limit + 1, offset=offset)
    more = len(rows) > limit
    rows = rows[:limit]
    parent_ids = {r.parent_id for r in rows if r.parent_id}
    sizes = dict(db.execute(select(Revision.rev_id, Revision.len)
                            .where(Revision.rev_id.in_(parent_ids))).all()) if parent_ids else {}
    items = [{"rev": r, "change": r.len - sizes.get(r.parent_id or 0, 0),
              "is_latest": r.rev_id == page.latest} for r in rows]
    total = revisions.revision_count(db, page)
    rollback_user = None
    if rows and offset == 0 and can("rollback", title) and rows[0].actor is not None:
        rollback_user = rows[0].actor.name
    return render("page/history.html", title=title, action="history", exists=True,
                  page=page, items=items, limit=limit, offset=offset, more=more,
                  total=total, rollback_user=rollback_user,
                  heading=_("%(title)s: Revision history", title=title.prefixed_text))


def _revision(rev_id: int | None) -> Any:
    from ..store import revisions

    rev = revisions.get_revision(get_session(), rev_id) if rev_id else None
    if rev is None or rev.deleted:
        raise UserError(404, _("The revision #%(id)s does not exist.", id=rev_id or 0),
                        _("Revision not found"), code="nosuchrevid")
    return rev


def _pair(title: Title | None) -> tuple[Any, Any]:
    """(old, new) revisions asked for by ``diff`` and ``oldid``; old may be None (creation)."""
    from ..store import revisions

    db = get_session()
    diff = (request.args.get("diff") or "").strip()
    oldid = int_arg("oldid", None)
    if diff in ("prev", "next", "cur", "0", ""):
        if oldid is None:
            if title is None:
                raise UserError(400, _("A diff needs a page or a revision number."),
                                _("Bad request"))
            page = revisions.get_page(db, title)
            if page is None:
                raise UserError(404, _("There is currently no text in this page."),
                                _("No such page"))
            new = _revision(page.latest)
            return revisions.previous_revision(db, new), new
        base = _revision(oldid)
        if diff == "prev":
            return revisions.previous_revision(db, base), base
        if diff == "next":
            after = revisions.next_revision(db, base)
            return base, after if after is not None else base
        latest = _revision(base.page.latest)
        return base, latest
    if not diff.isdigit():
        raise UserError(400, _("The parameter “%(name)s” must be a whole number.",
                               name="diff"), _("Bad request"))
    new = _revision(int(diff))
    if oldid is None:
        return revisions.previous_revision(db, new), new
    old = _revision(oldid)
    if old.rev_id > new.rev_id:
        old, new = new, old
    return old, new


def diff_view(title: Title | None) -> Response:
    from .diffview import render_diff
    from .pages import render_html
    from .common import require

    old, new = _pair(title)
    page = new.page
    title = Title.make(page.namespace, page.title, namespaces())
    require("read", title)
    old_text = old.text if old is not None else ""
    table = render_diff(old_text, new.text)
    output = None
    if request.args.get("diffonly") not in ("1", "true"):
        output = render_html(title, new.text, new, page=page)
    rollback_user = None
    if new.rev_id == page.latest and can("rollback", title) and new.actor is not None:
        rollback_user = new.actor.name
    newer = None
    if new.rev_id != page.latest:
        from ..store import revisions

        newer = revisions.next_revision(get_session(), new)
    return render("page/diff.html", title=title, action="diff", exists=True, page=page,
                  old=old, new=new, table=table, output=output, newer=newer,
                  rollback_user=rollback_user,
                  heading=_("%(title)s: Difference between revisions",
                            title=title.prefixed_text))
