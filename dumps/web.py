"""Special:Export and Special:Import, as in MediaWiki.

Owns the two special pages (registered through ``wikiengine.views.special.register``; the
page blueprint checks the edit token of every POST). Special:Export: titles typed one per
line, or added from a category or a namespace, current revision or full history, templates
included or not, the files of File pages embedded or not, the whole log (``<logitem>``, as
``dumpBackup --logs``; only for users with the ``importupload`` right, as it is every log
entry), shown in the browser or downloaded; ``Special:Export/Title`` exports one
page directly. The XML is written to a spooled temporary file (memory stays flat) and sent.
Special:Import: a sysop (right ``importupload``) uploads a dump, which is imported with the
same loader as the command line (``import_uploaded_dump``, shared with ``action=import`` in
``dumps.api``), then sees the report. ``init_app(app)`` adds them and registers the API
module.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
from pathlib import Path

from flask import Blueprint, Flask, current_app, request, send_file
from flask.wrappers import Response
from flask_babel import gettext as _
from sqlalchemy import select

from .records import DumpError

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
bp = Blueprint("dumps", __name__, template_folder="templates")
#: MediaWiki's limit on the pages added from a category or a namespace.
MAX_ADDED = 5000


def _titles_from(field: str) -> list[str]:
    return [line.strip() for line in request.values.get(field, "").splitlines()
            if line.strip()]


def _added_titles() -> tuple[list[str], str | None]:
    """Titles of the pages of the chosen category or namespace (the "Add" buttons)."""
    from wikiengine.db import get_session
    from wikiengine.models import CategoryLink, Page
    from wikiengine.title import InvalidTitle, Title
    from wikiengine.views.common import namespaces

    table = namespaces()
    session = get_session()
    if request.form.get("addcat"):
        name = request.form.get("catname", "").strip()
        try:
            category = Title.new(name, table, default_namespace=14)
        except InvalidTitle:
            return [], _("This category name is not valid.")
        query = select(Page.namespace, Page.title).join(
            CategoryLink, CategoryLink.from_id == Page.page_id).where(
            CategoryLink.to == category.dbkey)
    else:
        try:
            number = int(request.form.get("nsindex", "0"))
        except ValueError:
            number = -1
        if number < 0 or not table.exists(number):
            return [], _("This namespace does not exist.")
        query = select(Page.namespace, Page.title).where(Page.namespace == number)
    rows = session.execute(query.order_by(Page.namespace, Page.title).limit(MAX_ADDED))
    return [Title.make(ns, key, table).prefixed_text for ns, key in rows], None


def special_export(sub: str | None) -> Response:
    from wikiengine.views.skin import render

    if sub and request.method == "GET":
        return _export_response([sub], full=False, templates=False, download=False)
    if request.method == "POST" and (request.form.get("addcat") or request.form.get("addns")):
        added, error = _added_titles()
        titles = list(dict.fromkeys(_titles_from("pages") + added))
        return _form(render, "\n".join(titles), error)
    titles = _titles_from("pages")
    if request.method == "POST" or request.args.get("pages"):
        if not titles:
            return _form(render, "", _("Give at least one page title."))
        if request.method == "POST":  # the form's box "only the current revision"
            full = request.form.get("curonly") != "1"
        else:
            full = request.args.get("history") == "1"
        logs = request.values.get("logs") == "1"
        if logs and not can_export_logs():
            from wikiengine.views.common import UserError
            raise UserError(403, _("Exporting the log needs the right to import pages."),
                            _("Permission error"))
        return _export_response(titles, full=full,
                                templates=request.values.get("templates") == "1",
                                download=request.values.get("wpDownload") == "1",
                                files=request.values.get("files") == "1", logs=logs)
    return _form(render, "", None)


def can_export_logs() -> bool:
    """Whether the current user may add the whole log to an export (every entry: bounded to
    the ``importupload`` right, the one Special:Import asks for)."""
    from wikiengine.store.permissions import has_right
    from wikiengine.views.common import current_user

    user = current_user()
    return user is not None and has_right(user, "importupload")


def _form(render, pages: str, error: str | None) -> Response:  # type: ignore[no-untyped-def]
    from wikiengine.views.common import namespaces

    table = namespaces()
    choices = [(n, table.name(n) or _("(Main)")) for n in table.numbers() if n >= 0]
    return render("dumps/export.html", heading=_("Export pages"), pages=pages, error=error,
                  namespaces=choices, logs_allowed=can_export_logs(),
                  status=400 if error else 200)


def _export_response(titles: list[str], *, full: bool, templates: bool,
                     download: bool, files: bool = False, logs: bool = False) -> Response:
    from wikiengine.db import get_session

    from .export import Selection, export_dump

    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    # files: the File pages' versions with their bytes (dumpBackup --uploads --include-files)
    selection = Selection(full=full, titles=titles, templates=templates, uploads=files,
                          include_files=files, logs=logs)
    export_dump(current_app._get_current_object(), get_session(), spool,  # type: ignore[attr-defined]
                selection)
    spool.seek(0)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    name = f"{current_app.config.get('SITENAME', 'Wiki')}-{stamp}.xml".replace(" ", "_")
    response = send_file(spool, mimetype="application/xml", as_attachment=download,
                         download_name=name)
    response.headers["Content-Type"] = "application/xml; charset=utf-8"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def special_import(_sub: str | None) -> Response:
    from wikiengine.views.common import current_user
    from wikiengine.views.skin import render

    prefix = request.form.get("usernamePrefix", "imported").strip()
    if request.method != "POST":
        return render("dumps/import.html", heading=_("Import pages"), prefix="imported",
                      report=None, error=None)
    upload = request.files.get("xmlimport")
    error = None
    report = None
    if upload is None or not upload.filename:
        error = _("No file was uploaded.")
    elif not prefix or any(c in prefix for c in ">:[]{}|#<"):
        error = _("The interwiki prefix is not valid.")
    else:
        report, error = _run_import(upload, prefix, current_user().name)
    return render("dumps/import.html", heading=_("Import pages"), prefix=prefix,
                  report=report, error=error, status=400 if error else 200)


def _run_import(upload, prefix: str, importer: str):  # type: ignore[no-untyped-def]
    from .loader import ImportOptions

    options = ImportOptions(prefix=prefix, importer=importer,
                            comment=request.form.get("log-comment", "")[:500])
    try:
        return import_uploaded_dump(upload, options), None
    except DumpError as exc:
        return None, _("The file was not imported: %(problem)s", problem=str(exc))


def upload_name(upload) -> str:  # type: ignore[no-untyped-def]
    """The uploaded file's own name, without any folder (shown in messages and logs only)."""
    raw = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(c for c in raw if c.isprintable())[:200] or "dump.xml"


def import_uploaded_dump(upload, options):  # type: ignore[no-untyped-def]
    """Import an uploaded dump (Special:Import and ``action=import``) with the loader.

    The upload is saved to a temporary file (the loader reads it twice) that is removed
    afterwards; the decompressed XML is bounded by ``IMPORT_MAX_XML_BYTES``. Returns the
    ``ImportReport``; raises ``DumpError`` (nothing written) when it is not a readable dump.
    """
    from wikiengine.db import get_session

    from .loader import import_dump

    get_session().rollback()  # the importer writes through its own sessions
    name = upload_name(upload)
    suffix = "".join(Path(name).suffixes[-2:])[:20] or ".xml"
    if not all(c.isalnum() or c == "." for c in suffix):
        suffix = ".xml"
    if options.max_xml_bytes is None:
        options.max_xml_bytes = int(current_app.config.get("IMPORT_MAX_XML_BYTES", 1 << 30))
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="import-")
    try:
        with os.fdopen(fd, "wb") as handle:
            upload.save(handle)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return import_dump(app, path, options, name=name)
    finally:
        os.unlink(path)


def _add_translations(app: Flask) -> None:
    from wikiengine.i18n import compile_catalogues

    compile_catalogues(TRANSLATIONS)
    babel = app.extensions.get("babel")
    if babel is not None and str(TRANSLATIONS) not in babel.translation_directories:
        babel.translation_directories.append(str(TRANSLATIONS))


def init_app(app: Flask) -> None:
    """Register Special:Export and Special:Import (after the ``views`` subsystem)."""
    from wikiengine.views.special import register

    from . import api  # noqa: F401  (registers action=import)

    if "dumps" not in app.blueprints:
        app.register_blueprint(bp)
    register(app, "Export", special_export, label="Export pages", group="pagetools",
             aliases={"fr": ["Exporter", "Exportation"], "en": ["Export"]})
    # "Importation" first: "Importer" (MediaWiki's French name) is also claimed by
    # Special:Upload in this wiki, and the first registration of an alias wins
    register(app, "Import", special_import, label="Import pages", group="pagetools",
             restriction="importupload", aliases={"fr": ["Importation", "Importer"],
                                                  "en": ["Import"]})
    if "babel" in app.extensions:
        _add_translations(app)
