"""Tests for wikiengine.migrations: an empty database upgrades to head, the schema then
equals the models, ``init_instance`` upgrades an existing instance without losing data, and
the initial revision downgrades cleanly (SQLite here, PostgreSQL in the db pass)."""
from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import wikiengine.models  # noqa: F401
from wikiengine import db, migrations
from wikiengine.db import Base
from wikiengine.store import revisions, setup, users
from wikiengine.title import Title


def _differences(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def test_fresh_instance_is_at_head_and_matches_models(app) -> None:
    with db.engine(app).connect() as conn:
        assert migrations.current_revision(conn) == migrations.head_revision()
        assert _differences(conn) == []
        tables = set(inspect(conn).get_table_names())
    for name in ("page", "revision", "content", "actor", "user", "user_groups", "recentchanges",
                 "logging", "watchlist", "page_restrictions", "ipblocks", "pagelinks",
                 "templatelinks", "categorylinks", "externallinks", "langlinks", "imagelinks",
                 "page_props", "archive", "bot_passwords", "parser_cache", "alembic_version"):
        assert name in tables, name


def test_upgrade_from_empty_sqlite_file(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with engine.begin() as conn:
        assert migrations.current_revision(conn) is None
        migrations.upgrade(conn)
    with engine.connect() as conn:
        assert migrations.current_revision(conn) == migrations.head_revision()
        assert _differences(conn) == []
    engine.dispose()


def test_init_upgrades_existing_instance_and_keeps_data(app) -> None:
    with app.app_context(), db.session_scope(app) as session:
        user = users.create_user(session, "Archiviste", "pw")
        revisions.save_page(session, Title.new("Quartier"), "Recouvrance", user)
    setup.init_instance(app)  # what `wikiengine init` runs on an existing instance
    with app.app_context(), db.session_scope(app) as session:
        page = revisions.get_page(session, Title.new("Quartier"))
        assert page is not None and revisions.page_text(session, page) == "Recouvrance"


def test_downgrade_to_base_and_upgrade_again(app) -> None:
    from wikiengine import search

    # The search indexer reads pages in a background thread after the main page's save:
    # let it finish, so dropping the tables does not deadlock with its reads (PostgreSQL).
    with app.app_context():
        assert search.flush(app=app)
    engine = db.engine(app)
    engine.dispose()
    with engine.begin() as conn:
        from alembic import command

        command.downgrade(migrations.alembic_config(conn), "base")
    with engine.connect() as conn:
        remaining = set(inspect(conn).get_table_names()) - {"alembic_version"}
        assert remaining == set()
    with engine.begin() as conn:
        migrations.upgrade(conn)
    with engine.connect() as conn:
        assert _differences(conn) == []
