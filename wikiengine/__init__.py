"""wikiengine: a MediaWiki-compatible wiki for local, cooperative writing.

``create_app`` is the only place an app is built (conventions #1): configuration, then the
``init_app`` of each subsystem listed in ``SUBSYSTEMS``, in order.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask

from . import config

__version__ = "0.1.0"

#: Modules whose ``init_app(app)`` is called, in this order: names without a dot are this
#: package's own modules; dotted names are top-level packages of the project (``dumps.web``).
SUBSYSTEMS: tuple[str, ...] = (
    "db",
    "i18n",
    "views",
    "search",
    "api",
    "registry",
    "files",
    "dumps.web",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the wiki application.

    :param test_config: settings used instead of the instance's settings.py and environment
        (tests pass ``INSTANCE_PATH`` and ``DATABASE_URL`` here).
    """
    folder = Path((test_config or {}).get("INSTANCE_PATH") or config.instance_path())
    folder.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(folder), instance_relative_config=True)
    config.load(app, test_config)
    for name in SUBSYSTEMS:
        module = importlib.import_module(name if "." in name else f"{__name__}.{name}")
        module.init_app(app)
    return app
