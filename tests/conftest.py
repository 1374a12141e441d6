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
PG_URL = os.environ.get("WIKIENGINE_TEST_DATABASE_URL", "")


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


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    eng.dispose()


@pytest.fixture
def app_config(tmp_path: Path) -> dict:
    """Settings for a fresh test instance; tests may change them before using ``app``."""
    url = PG_URL or f"sqlite:///{tmp_path / 'wiki.db'}"
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret",
        "SERVER": "http://127.0.0.1",
        "LOGIN_RATE_LIMIT": (50, 300),
    }


@pytest.fixture
def app(app_config: dict):
    from wikiengine import create_app
    from wikiengine.store import setup

    if app_config["DATABASE_URL"].startswith("postgresql"):
        _reset_postgres(app_config["DATABASE_URL"])
    application = create_app(app_config)
    setup.init_instance(application)
    yield application
    from wikiengine.db import engine

    engine(application).dispose()


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
