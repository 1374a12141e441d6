"""Tests for wikiengine.store.setup: a fresh instance has the French main page "Accueil"
written by the system user, explaining the wiki and how to start; init is idempotent and
never overwrites an edited main page."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.models import Revision
from wikiengine.store import revisions, setup, users
from wikiengine.title import Title


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


def test_main_page_created_by_system_user(app) -> None:
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Accueil"))
        assert page is not None
        text = revisions.page_text(s, page)
        rev = revisions.latest_revision(s, page)
        assert rev.actor.name == users.SYSTEM_USER
        assert text == setup.main_page_text().rstrip()
    for phrase in ("patrimoine", "vie quotidienne", "quartiers", "Créez un compte",
                   "Modifier", "première page", "Discussion", "aide"):
        assert phrase.lower() in text.lower(), phrase


def test_init_is_idempotent_and_keeps_edits(app) -> None:
    with tx(app) as s:
        user = users.create_user(s, "Animatrice", "pw", groups=("sysop",))
        revisions.save_page(s, Title.new("Accueil"), "Accueil réécrit par le quartier.", user)
    setup.init_instance(app)
    setup.init_instance(app)
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Accueil"))
        assert revisions.page_text(s, page) == "Accueil réécrit par le quartier."
        assert s.scalar(select(func.count()).select_from(Revision)) == 2


def test_deleted_main_page_is_not_recreated(app) -> None:
    with tx(app) as s:
        admin = users.create_user(s, "Admin", "pw", groups=("sysop",))
        revisions.delete_page(s, Title.new("Accueil"), admin)
    setup.init_instance(app)
    with tx(app) as s:
        assert revisions.get_page(s, Title.new("Accueil")) is None


@pytest.mark.db
def test_main_page_setting(app_config) -> None:
    from wikiengine import create_app

    app_config["MAIN_PAGE"] = "Page principale"
    if app_config["DATABASE_URL"].startswith("postgresql"):
        from conftest import _reset_postgres

        _reset_postgres(app_config["DATABASE_URL"])
    app = create_app(app_config)
    setup.init_instance(app)
    with tx(app) as s:
        assert revisions.get_page(s, Title.new("Page principale")) is not None
        assert revisions.get_page(s, Title.new("Accueil")) is None
    db.engine(app).dispose()


def _init_worker(config: dict, queue) -> None:  # type: ignore[no-untyped-def]
    from wikiengine import create_app

    try:
        app = create_app(config)
        setup.init_instance(app)
        db.engine(app).dispose()
        queue.put(None)
    except BaseException as exc:  # reported to the parent
        queue.put(repr(exc))


@pytest.mark.db
def test_workers_starting_together_initialise_once(app_config) -> None:
    import multiprocessing

    if app_config["DATABASE_URL"].startswith("postgresql"):
        from conftest import _reset_postgres

        _reset_postgres(app_config["DATABASE_URL"])
    config = dict(app_config, SEARCH_RENDER=False)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_init_worker, args=(config, queue)) for _ in range(3)]
    for proc in procs:
        proc.start()
    errors = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(30)
    assert errors == [None, None, None]
    from wikiengine import create_app

    app = create_app(config)
    with tx(app) as s:
        assert s.scalar(select(func.count()).select_from(Revision)) == 1
        assert revisions.get_page(s, Title.new("Accueil")) is not None
    db.engine(app).dispose()
