"""Shared fixtures: an app on a fresh instance (SQLite, or PostgreSQL when
``WIKIENGINE_TEST_DATABASE_URL`` is set), its test client, a live server on a loopback port,
and ``require()``: the one place where a missing outside part (Chromium, PostgreSQL, php,
../shared) skips a test on a newcomer's machine and fails it in CI (``CI=true``).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterator

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _worker_database(url: str) -> str:
    """Under pytest-xdist, one database per worker (``wikitest_gw0`` …), created on demand,
    so the PostgreSQL pass runs in parallel like the SQLite one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    eng = create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _worker_database(os.environ.get("WIKIENGINE_TEST_DATABASE_URL", ""))


def require(available: bool, what: str, how: str) -> None:
    """Skip (newcomer's machine) or fail (CI) when ``what`` is missing; ``how`` says how to get it."""
    if available:
        return
    message = f"{what} is not available: {how}"
    if IN_CI:
        pytest.fail(message + " (required in CI)")
    pytest.skip(message)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, checked to exist."""
    path = SHARED.joinpath(*parts)
    require(path.exists(), f"../shared/{'/'.join(parts)}",
            "these tests read the project's shared folder beside the checkout")
    return path


def _terminate_others(conn) -> None:  # type: ignore[no-untyped-def]
    """End connections a previous test leaked (a server thread, a killed worker)."""
    from sqlalchemy import text

    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()"))


def _reset_postgres(url: str) -> None:
    """Drop and recreate the public schema (the session's first instance)."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.begin() as conn:
        _terminate_others(conn)
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()


def _truncate_postgres(url: str) -> None:
    """Empty every table but Alembic's (schema kept), restarting identities."""
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.begin() as conn:
        _terminate_others(conn)
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"))]
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    eng.dispose()


def _base_config(folder: Path) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(folder),
        "DATABASE_URL": PG_URL or f"sqlite:///{folder / 'wiki.db'}",
        "SECRET_KEY": "test-secret",
        "SERVER": "http://127.0.0.1",
        "LOGIN_RATE_LIMIT": (50, 300),
    }


def _settle(application) -> None:  # type: ignore[no-untyped-def]
    """Wait for background index writes, then close every database connection."""
    try:
        from wikiengine import search
    except ImportError:
        pass
    else:
        with application.app_context():
            search.flush(app=application)
    from wikiengine.db import engine

    engine(application).dispose()


@pytest.fixture(scope="session")
def instance_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly initialised instance (schema at head, main page, search index), built once
    per test process; ``app`` copies it instead of migrating for every test."""
    from wikiengine import create_app
    from wikiengine.store import setup

    folder = tmp_path_factory.mktemp("instance-template")
    if PG_URL:
        _reset_postgres(PG_URL)
    application = create_app(_base_config(folder))
    setup.init_instance(application)
    _settle(application)
    return folder


@pytest.fixture
def app_config(tmp_path: Path) -> dict:
    """Settings for a fresh test instance; tests may change them before using ``app``."""
    return _base_config(tmp_path)


@pytest.fixture
def app(app_config: dict, tmp_path: Path, instance_template: Path):
    """A wiki on a fresh instance in ``tmp_path``: as after ``init_instance``.

    With unchanged settings the instance is a copy of the session's template (and on
    PostgreSQL, tables are emptied and the template's rows set up again); a test that changed
    ``app_config`` gets a full ``init_instance`` of its own."""
    import shutil

    from wikiengine import create_app
    from wikiengine.store import setup

    standard = app_config == _base_config(tmp_path)
    if PG_URL:
        _truncate_postgres(PG_URL)
    if standard and not PG_URL:
        shutil.copytree(instance_template, tmp_path, dirs_exist_ok=True)
        application = create_app(app_config)
    else:
        if app_config["DATABASE_URL"].startswith("postgresql") and app_config["DATABASE_URL"] != PG_URL:
            _reset_postgres(app_config["DATABASE_URL"])
        application = create_app(app_config)
        setup.init_instance(application)
    yield application
    _settle(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served by a threaded WSGI server on 127.0.0.1 and a free port; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def pytest_collection_modifyitems(config, items) -> None:  # type: ignore[no-untyped-def]
    """Mark every test that uses the database, so the PostgreSQL pass can select them."""
    for item in items:
        if {"app", "client", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium driven by Playwright (no browser download), closed after
    the test; skipped on a newcomer's machine without it, a failure in CI."""
    require(CHROMIUM.exists(), "Chromium", "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
