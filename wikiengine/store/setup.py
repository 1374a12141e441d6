"""``init_instance(app)``: bring an instance's database to the newest schema and create what a
fresh wiki needs (the system user and the French main page "Accueil"). Safe to run again on
every start: an existing main page is never touched.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

from flask import Flask
from sqlalchemy import text

from wikiengine import db, migrations
from wikiengine.title import InvalidTitle, Title

MAIN_PAGE_SUMMARY = "Création de la page d'accueil"


def main_page_text() -> str:
    """The wikitext of the welcome page shipped with the package."""
    return resources.files("wikiengine.store").joinpath("data/accueil.wikitext").read_text("utf-8")


#: Key of the PostgreSQL advisory lock held while an instance is initialised.
_PG_LOCK_KEY = 0x77696B69  # "wiki"


@contextmanager
def _instance_lock(app: Flask) -> Iterator[None]:
    """One initialiser at a time per instance folder (several workers starting at once)."""
    path = Path(app.instance_path) / ".init.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def init_instance(app: Flask) -> None:
    """Migrate to head, then create the main page if it is missing. Commits.

    Serialised by a lock file in the instance folder and, on PostgreSQL, an advisory lock
    (instances on several machines sharing one server)."""
    engine = db.engine(app)
    with _instance_lock(app):
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            migrations.upgrade(connection)
        with app.app_context(), db.session_scope(app) as session:
            ensure_main_page(app, session)


def ensure_main_page(app: Flask, session) -> bool:  # type: ignore[no-untyped-def]
    """Create the main page (``MAIN_PAGE`` setting) by the system user when it does not
    exist and was never deleted; True when created."""
    from wikiengine.rendering import site_namespaces

    from . import changes, revisions, users

    try:
        title = Title.new(app.config.get("MAIN_PAGE", "Accueil"), site_namespaces())
    except InvalidTitle:
        return False
    if revisions.get_page(session, title) is not None:
        return False
    if changes.log_entries(session, "delete", title, limit=1):
        return False
    author = users.system_user(session)
    revisions.save_page(session, title, main_page_text(), author, summary=MAIN_PAGE_SUMMARY,
                        check_permissions=False)
    return True
