"""Uploaded files: storage (local folder ``UPLOAD_DIR``), upload checks and versions,
thumbnails, EXIF metadata, serving at ``UPLOAD_URL``, Special:Upload and the File: page
parts, licences, and the API modules ``action=upload``, ``list=allimages``,
``list=imageusage`` and ``prop=imageinfo``'s thumbnails and history.

``init_app`` sets the defaults (``UPLOAD_MAX_SIZE`` 100 MB, ``UPLOAD_MAX_PIXELS``,
``LICENSES``, ``SITE_LICENSE``), serves ``/images``, registers the special pages, the
``{{#licence:}}`` parser function and the Jinja helpers ``file_page_html``/``page_licence``.
"""
from __future__ import annotations

from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "UPLOAD_URL": "/images",
    "UPLOAD_MAX_SIZE": 100 * 1024 * 1024,
    "UPLOAD_MAX_PIXELS": 50_000_000,
    "SITE_LICENSE": "cc-by-sa-4.0",
}


def _file_page(title: Any) -> Any:
    from ..db import get_session
    from .filepage import file_page_html

    return file_page_html(get_session(), title)


def _page_licence(page: Any) -> Any:
    from ..db import get_session
    from .licences import page_licence

    return page_licence(get_session(), getattr(page, "page_id", None))


def init_app(app: Flask) -> None:
    from . import api  # noqa: F401  (registers the API modules)
    from . import licences, serve, special

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    url = str(app.config["UPLOAD_URL"]).rstrip("/")
    if url.startswith("/"):
        app.register_blueprint(serve.bp, url_prefix=url)
    special.init_app(app)
    licences.register_parser_function(app)
    reg = app.extensions.get("registry")
    if reg is not None:
        from .lifecycle import on_page_deleted, on_page_moved

        reg.on("page_deleted", on_page_deleted)
        reg.on("page_moved", on_page_moved)
    app.jinja_env.globals.update(file_page_html=_file_page, page_licence=_page_licence)
    _add_translations(app)


def _add_translations(app: Flask) -> None:
    """This package's French catalogue, read by Flask-Babel next to the wiki's own."""
    from pathlib import Path

    from ..i18n import compile_catalogues

    babel = app.extensions.get("babel")
    folder = Path(__file__).resolve().parent / "translations"
    if babel is None:
        return
    compile_catalogues(folder)
    if str(folder) not in babel.translation_directories:
        babel.translation_directories.append(str(folder))
