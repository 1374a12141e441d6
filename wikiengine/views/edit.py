"""Editing in the browser: ``action=edit`` (the form) and ``action=submit`` (save, preview,
show changes), section edits, undo, and the edit-conflict screen.

Owns reading MediaWiki's form fields (``wpTextbox1``, ``wpSummary``, ``wpMinoredit``,
``wpWatchthis``, ``wpSave``, ``wpPreview``, ``wpDiff``, ``wpEditToken``, ``wpStarttime``,
``wpEdittime``, ``baseRevId``, ``wpSection``; the ``preload``/``editintro`` family is read by
``preload``) and turning the store's answers into pages:
a saved edit redirects (303) to the page; ``EditConflict`` shows both texts and a diff (409);
``PageTooLarge`` (413), ``PermissionDenied`` (403) and a bad edit token (400) show the form
again with what was typed and nothing saved. The save itself is ``store.revisions.save_page``
in one transaction committed here.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

from ..db import get_session
from ..models import mw_timestamp
from ..title import Title
from .common import N_, UserError, current_user, form_flag, int_arg, page_url
from .skin import render

_SECTION_HEADING = re.compile(r"^(={1,6})(.+?)\1\s*(?:\n|$)")

TOKEN_MESSAGES = {
    "missing": N_("Your edit was not saved because the edit token was missing. Please save "
               "again; your text is kept below."),
    "expired": N_("Your edit was not saved because your session has expired. Please save again; "
               "your text is kept below."),
    "invalid": N_("Your edit was not saved because of a loss of session data (the edit token "
               "did not match). Please save again; your text is kept below."),
}


@dataclass
class EditState:
    """What the form shows: the text, the fields, and whether the page exists."""

    text: str
    summary: str = ""
    minor: bool = False
    watch: bool = False
    base_rev_id: int = 0
    edit_time: str = ""
    start_time: str = ""
    section: str = ""
    undid: int = 0
    exists: bool = False
    ignore_blank: bool = False
    edit_intro: str = ""


def _sections() -> Any:
    try:
        from ..parser import sections
    except ImportError:
        return None
    return sections if hasattr(sections, "get_section") else None


def _latest(title: Title) -> tuple[Any, Any]:
    from ..store import revisions

    db = get_session()
    page = revisions.get_page(db, title)
    revision = revisions.get_revision(db, page.latest) if page is not None else None
    return page, revision


def _now_ts() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d%H%M%S")


def _parse_ts(value: str) -> _dt.datetime | None:
    if len(value) == 14 and value.isdigit():
        return _dt.datetime.strptime(value, "%Y%m%d%H%M%S")
    return None


def _section_arg(source: Any) -> str:
    section = (source.get("wpSection") or source.get("section") or "").strip()
    if section and section != "new" and not section.isdigit():
        raise UserError(400, _("The section “%(section)s” is not valid.", section=section),
                        _("Bad request"))
    return section


def _is_watched(title: Title) -> bool:
    from .actions import is_watched

    return is_watched(title)


def _initial_state(title: Title) -> EditState:
    page, revision = _latest(title)
    text = revision.text if revision is not None else ""
    state = EditState(text=text, exists=page is not None,
                      base_rev_id=revision.rev_id if revision is not None else 0,
                      edit_time=mw_timestamp(revision.timestamp) if revision is not None else "",
                      start_time=_now_ts(), watch=_is_watched(title))
    state.section = _section_arg(request.args)
    if state.section == "new":
        state.text = ""
    elif state.section:
        sections = _sections()
        part = sections.get_section(text, int(state.section)) if sections else None
        if part is None:
            raise UserError(400, _("You tried to edit a section that does not exist."),
                            _("Section not found"), code="nosuchsection")
        state.text = part
    from .preload import apply_edit_params

    apply_edit_params(title, state, request.args)
    undo = int_arg("undo", None, source=request.args)
    if undo:
        state.text, state.summary = _undo_text(title, undo, text)
        state.undid = undo
    return state


def _undo_text(title: Title, undo: int, current: str) -> tuple[str, str]:
    """The text undoing revision ``undo`` (back to ``undoafter``) and its summary."""
    from ..store import revisions
    from ..store.errors import StoreError

    db = get_session()
    page = revisions.get_page(db, title)
    rev = revisions.get_revision(db, undo)
    if page is None or rev is None or rev.page_id != page.page_id:
        raise UserError(400, _("The revision to undo does not belong to this page."),
                        _("Undo failed"), code="undofailure")
    try:
        text = revisions.undo_text(db, page, undo,
                                   int_arg("undoafter", None, source=request.args))
    except StoreError:
        text = None
    if text is None:
        raise UserError(409, _("The edit could not be undone due to conflicting intermediate "
                               "edits."), _("Undo failed"), code="undofailure")
    name = rev.actor.name if rev.actor is not None else ""
    return text, _("Undo revision %(id)s by %(user)s", id=undo, user=name)


def _base_from_edittime(title: Title, edit_time: str) -> int:
    """The revision current at ``wpEdittime`` (clients that send no ``baseRevId``)."""
    from sqlalchemy import select

    from ..models import Revision
    from ..store import revisions

    when = _parse_ts(edit_time)
    page = revisions.get_page(get_session(), title) if when is not None else None
    if page is None or when is None:
        return 0
    # wpEdittime has whole seconds: within that second the first revision is the one the
    # form showed (a later one there was saved by someone else meanwhile).
    same_second = get_session().scalar(
        select(Revision.rev_id).where(Revision.page_id == page.page_id,
                                      Revision.timestamp >= when,
                                      Revision.timestamp < when + _dt.timedelta(seconds=1))
        .order_by(Revision.timestamp, Revision.rev_id).limit(1))
    if same_second is not None:
        return int(same_second)
    before = get_session().scalar(
        select(Revision.rev_id).where(Revision.page_id == page.page_id,
                                      Revision.timestamp < when)
        .order_by(Revision.timestamp.desc(), Revision.rev_id.desc()).limit(1))
    return int(before or 0)


def _form_state(title: Title) -> EditState:
    form = request.form
    state = _form_state_fields(title, form)
    if not state.base_rev_id and state.edit_time:
        state.base_rev_id = _base_from_edittime(title, state.edit_time)
    return state


def _form_state_fields(title: Title, form: Any) -> EditState:
    return EditState(
        text=form.get("wpTextbox1", "").replace("\r\n", "\n").rstrip(),
        summary=form.get("wpSummary", "").replace("\n", " ")[:500],
        minor=form_flag("wpMinoredit"), watch=form_flag("wpWatchthis"),
        base_rev_id=int_arg("baseRevId", 0, source=form) or 0,
        edit_time=form.get("wpEdittime", ""), start_time=form.get("wpStarttime", ""),
        section=_section_arg(form), undid=int_arg("wpUndidRevision", 0, source=form) or 0,
        exists=_latest(title)[0] is not None, edit_intro=form.get("editintro", "")[:255])


def show_form(title: Title, state: EditState, *, status: int = 200, error: str | None = None,
              preview: Any = None, changes: Any = None, conflict: Any = None,
              readonly_reason: str | None = None) -> Response:
    heading = (_("Editing %(title)s", title=title.prefixed_text) if state.exists
               else _("Creating %(title)s", title=title.prefixed_text))
    if state.section and state.exists:
        heading = _("Editing %(title)s (section)", title=title.prefixed_text)
    if readonly_reason is not None:
        heading = _("View source for %(title)s", title=title.prefixed_text)
    from .preload import edit_intro_html

    intro = edit_intro_html(title, state.edit_intro) if state.edit_intro else None
    return render("page/edit.html", title=title, action="edit", status=status, intro=intro,
                  exists=state.exists, heading=heading, state=state, error=error,
                  preview=preview, changes=changes, conflict=conflict,
                  readonly_reason=readonly_reason, noindex=True,
                  max_size=current_app.config.get("MAX_ARTICLE_SIZE", 2 * 1024 * 1024))


def _permission_message(exc: Any) -> str:
    from .errors import permission_message

    return permission_message(exc)


def edit(title: Title, action: str) -> Response:
    from ..store.errors import PermissionDenied
    from .common import require

    if request.method != "POST":
        state = _initial_state(title)
        try:
            require("edit", title)
            if not state.exists:
                require("create", title)
        except PermissionDenied as exc:
            return show_form(title, state, status=403,
                             readonly_reason=_permission_message(exc))
        return show_form(title, state)
    return submit(title)


def _full_text(title: Title, state: EditState) -> tuple[str, str]:
    """The whole page text to save, and the summary (section edits splice into the base)."""
    if not state.section:
        return state.text, state.summary
    from ..store import revisions

    db = get_session()
    base = revisions.get_revision(db, state.base_rev_id) if state.base_rev_id else None
    base_text = base.text if base is not None else ""
    if state.section == "new":
        heading = state.summary.strip()
        body = f"== {heading} ==\n\n{state.text}" if heading else state.text
        text = (base_text.rstrip() + "\n\n" + body) if base_text.strip() else body
        summary = f"/* {heading} */ " + _("new section") if heading else state.summary
        return text, summary
    sections = _sections()
    replaced = sections.replace_section(base_text, int(state.section), state.text) \
        if sections else None
    if replaced is None:
        raise UserError(400, _("You tried to edit a section that does not exist."),
                        _("Section not found"), code="nosuchsection")
    heading = _SECTION_HEADING.match(state.text)
    summary = state.summary
    if heading and not summary.startswith("/*"):
        summary = f"/* {heading.group(2).strip()} */ {summary}".rstrip()
    return replaced, summary


def submit(title: Title) -> Response:
    from ..store.errors import PermissionDenied

    state = _form_state(title)
    if g.get("token_problem"):
        return show_form(title, state, status=400,
                         error=_(TOKEN_MESSAGES[g.token_problem]))
    if "wpTextbox1" not in request.form or (
            "wpUltimateParam" not in request.form and "wpStarttime" in request.form):
        # MediaWiki's guard against a form cut short in transit: never save half a page.
        return show_form(title, state, status=400, error=_(
            "Your edit was not saved because the data sent by your browser was incomplete. "
            "Please check the text below and save again."))
    limit = current_app.config.get("MAX_ARTICLE_SIZE", 2 * 1024 * 1024)
    if len(state.text.encode("utf-8")) > limit:
        return show_form(title, state, status=413, error=_(
            "The text you have submitted is %(size)s kibibytes long, which is longer than the "
            "maximum of %(limit)s kibibytes. It cannot be saved.",
            size=len(state.text.encode("utf-8")) // 1024, limit=limit // 1024))
    try:
        full_text, summary = _full_text(title, state)
    except UserError as exc:
        return show_form(title, state, status=exc.status, error=exc.message)
    if form_flag("wpPreview"):
        from .pages import render_html

        shown = full_text if state.section in ("", "new") else state.text  # section alone
        return show_form(title, state, preview=render_html(title, shown, preview=True))
    if form_flag("wpDiff"):
        from .diffview import render_diff

        _page, latest = _latest(title)
        base = latest.text if latest is not None else ""
        return show_form(title, state, changes=render_diff(base, full_text))
    if not full_text.strip() and not state.exists and not form_flag("wpIgnoreBlankArticle"):
        state.ignore_blank = True
        return show_form(title, state, error=_(
            "You are about to create an empty page. If you save again, the page will be "
            "created without any content."))
    try:
        return _save(title, state, full_text, summary)
    except PermissionDenied as exc:
        get_session().rollback()
        return show_form(title, state, status=403, error=_permission_message(exc))


def _save(title: Title, state: EditState, text: str, summary: str) -> Response:
    from ..store import revisions
    from ..store.errors import EditConflict, PageExists, PageTooLarge

    db = get_session()
    user = current_user()
    bot = "bot" in (getattr(user, "group_names", None) or [])
    try:
        revisions.save_page(
            db, title, text, user, summary=summary, minor=state.minor, bot=bot,
            base_rev_id=state.base_rev_id or None, start_time=_parse_ts(state.start_time),
            create_only=not state.base_rev_id, ip=request.remote_addr)
        if getattr(user, "user_id", None):
            from .actions import set_watch

            set_watch(title, state.watch)
        db.commit()
    except EditConflict as exc:
        db.rollback()
        return _conflict(title, state, exc.current, exc.proposed, exc.current_revision)
    except PageExists:
        db.rollback()
        page, latest = _latest(title)
        return _conflict(title, state, latest.text if latest is not None else "", text, latest)
    except PageTooLarge as exc:
        db.rollback()
        return show_form(title, state, status=413, error=_(
            "The text you have submitted is %(size)s kibibytes long, which is longer than the "
            "maximum of %(limit)s kibibytes. It cannot be saved.",
            size=exc.size // 1024, limit=exc.limit // 1024))
    return redirect(page_url(title), 303)


def _conflict(title: Title, state: EditState, current: str, proposed: str,
              current_revision: Any) -> Response:
    """The edit-conflict screen: the current text on top, the user's text below, a diff."""
    from .diffview import render_diff

    state.text = current
    state.section = ""
    state.base_rev_id = current_revision.rev_id if current_revision is not None else 0
    state.edit_time = mw_timestamp(current_revision.timestamp) if current_revision else ""
    state.start_time = _now_ts()
    state.exists = current_revision is not None
    return show_form(title, state, status=409, conflict={
        "mine": proposed,
        "diff": render_diff(current, proposed),
    }, error=_("Someone else has changed this page since you started editing it. The upper "
               "text area contains the page text as it currently exists. Your changes are "
               "shown in the lower text area. You will have to merge your changes into the "
               "existing text. Only the text in the upper text area will be saved."))
