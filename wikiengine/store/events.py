"""Extension events of the store, fired only after the caller commits.

Store functions ``queue`` an event on the session (``page_saved``, ``page_deleted``,
``page_moved``: see ``wikiengine.registry.fire``); when that session's transaction commits
the events go to the enabled extensions, and a rollback forgets them: an extension never
hears of a save that did not happen.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "wikiengine_events"
_WORK = "wikiengine_after_commit"


def after_commit(session: Session, work: Callable[[Session], None]) -> None:
    """Run ``work(new_session)`` in its own transaction once ``session`` has committed
    (derived data such as ``page_touched`` bumps of other pages: no lock is held on them
    during the save, so two saves can never deadlock on each other's dependants)."""
    session.info.setdefault(_WORK, []).append(work)


def queue(session: Session, name: str, **payload: Any) -> None:
    """Fire ``name`` with ``payload`` after ``session`` commits."""
    from flask import current_app, has_app_context

    app = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    session.info.setdefault(_KEY, []).append((name, app, payload))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    work = session.info.pop(_WORK, None)
    if work:
        _run_work(session, work)
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    from wikiengine import registry

    for name, app, payload in pending:
        if app is None:
            registry.fire(name, **payload)
            continue
        with app.app_context():
            registry.fire(name, app=app, **payload)


def _run_work(session: Session, work: list[Callable[[Session], None]]) -> None:
    bind = session.get_bind()
    for item in work:
        try:
            with Session(bind=bind, expire_on_commit=False) as other, other.begin():
                item(other)
        except Exception:  # derived data: logged, rebuilt by the next edit or purge
            log.exception("after-commit store work failed")


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_WORK, None)
