"""Configuration: defaults, then the instance's ``settings.py``, then ``WIKIENGINE_*`` variables.

Owns where an instance lives (``WIKIENGINE_INSTANCE``, default ``./instance``), which database
it uses (``WIKIENGINE_DATABASE_URL``, default an embedded SQLite file in the instance) and the
site settings every subsystem reads (site name, language, main page, rights, limits).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "SITENAME": "Wiki",
    "META_NAMESPACE": "Projet",
    "LANGUAGE": "fr",
    "LANGUAGES": ["fr", "en"],
    "MAIN_PAGE": "Accueil",
    "SERVER": "http://127.0.0.1:8080",
    "ARTICLE_PATH": "/wiki/$1",
    "SCRIPT_PATH": "/w",
    "ANONYMOUS_EDIT": False,
    "PRIVATE_WIKI": False,
    "MAX_ARTICLE_SIZE": 2 * 1024 * 1024,
    "MAX_CONTENT_LENGTH": 110 * 1024 * 1024,
    # What a heritage wiki like wiki-brest enables (MediaWiki's wfLoadExtension list).
    # <gallery> is core, as in MediaWiki ("Gallery" is still accepted: extensions/gallery).
    "EXTENSIONS": ["ParserFunctions", "Cite", "Poem", "SyntaxHighlight",
                   "InputBox", "Maps", "CategoryTree"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "LOGIN_RATE_LIMIT": (5, 300),  # attempts per name and address, seconds
    "SQL_ECHO": False,
    "TIMEZONE": "Europe/Paris",           # dates shown and ~~~~ signatures
    "EDIT_TOKEN_MAX_AGE": 86400,          # seconds an edit token stays valid
    "PAGE_CACHE_BYTES": 64 * 1024 * 1024,  # anonymous page cache per worker; 0 turns it off
    "PROXY_COUNT": 0,                     # reverse proxies in front (X-Forwarded-For trust)
}


def instance_path() -> Path:
    """The instance folder: ``$WIKIENGINE_INSTANCE`` or ``./instance``, absolute."""
    return Path(os.environ.get("WIKIENGINE_INSTANCE", "instance")).resolve()


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` in order: defaults, settings.py, environment, ``test_config``."""
    app.config.from_mapping(DEFAULTS)
    folder = Path(app.instance_path)
    if test_config is None:
        app.config.from_pyfile(str(folder / "settings.py"), silent=True)
        app.config.from_prefixed_env("WIKIENGINE")
    else:
        app.config.from_mapping(test_config)
    url = os.environ.get("WIKIENGINE_DATABASE_URL") if test_config is None else None
    app.config.setdefault("DATABASE_URL", url or f"sqlite:///{folder / 'wiki.db'}")
    if url:
        app.config["DATABASE_URL"] = url
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(folder)
    app.config.setdefault("UPLOAD_DIR", str(folder / "images"))
    app.config.setdefault("SEARCH_INDEX_DIR", str(folder / "search-index"))


def _secret_key(folder: Path) -> str:
    """A random key kept in the instance, so sessions survive restarts and several workers."""
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
