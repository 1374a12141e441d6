"""Extension events of the store, fired only after the caller commits.

Store functions ``queue`` an event on the session (``page_saved``, ``page_deleted``,
``page_moved``: see ``wikiengine.registry.fire``); when that session's transaction commits
the events go to the enabled extensions, and a rollback forgets them: an extension never
hears of a save that did not happen.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "wikiengine_events"


def queue(session: Session, name: str, **payload: Any) -> None:
    """Fire ``name`` with ``payload`` after ``session`` commits."""
    from flask import current_app, has_app_context

    app = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    session.info.setdefault(_KEY, []).append((name, app, payload))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
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


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
