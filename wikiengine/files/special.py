"""Special pages of files: Special:Upload (MediaWiki's form fields ``wpUploadFile``,
``wpDestFile``, ``wpUploadDescription``, ``wpLicense``, ``wpIgnoreWarning``, ``wpUpload``,
plus ``wpAuthor``, ``wpSource``, ``wpDate``; warnings as MediaWiki words them, the file kept
in the stash meanwhile), Special:FileRevert, Special:FileDelete and Special:FileRestore.
Every POST passes the page blueprint's CSRF check (``wpEditToken``).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, abort, flash, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

from ..db import get_session
from ..namespaces import FILE
from ..rendering import site_namespaces
from ..store.errors import PermissionDenied
from ..title import Title
from . import licences, lifecycle, service, stash
from .verify import UploadError

WARNING_TEXT = {
    "exists": "A file with this name exists already, please check [[:File:%(name)s]] if you "
              "are not sure if you want to change it.",
    "nochange": "This file is an exact duplicate of the current version of "
                "[[:File:%(name)s]].",
    "duplicate": "This file is a duplicate of the following files: %(list)s.",
    "duplicate-archive": "This file is a duplicate of a previously deleted file, "
                         "[[:File:%(name)s]].",
    "was-deleted": "A file with this name has been previously uploaded and subsequently "
                   "deleted. You should check the deletion log before proceeding to upload "
                   "it again.",
    "badfilename": "The file name has been changed to “%(name)s”.",
}


def warning_messages(warnings: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for code, value in warnings.items():
        name = value if isinstance(value, str) else ""
        names = ", ".join(Title.make(FILE, v, site_namespaces()).prefixed_text
                          for v in value) if isinstance(value, list) else ""
        text = _(WARNING_TEXT.get(code, code), name=name.replace("_", " "), list=names)
        out.append((code, text.replace("[[:", "").replace("]]", "")))
    return out


def _form(status: int = 200, **context: Any) -> Response:
    from ..views.skin import render

    values = {k: request.form.get(k, request.args.get(k, "")) for k in (
        "wpDestFile", "wpUploadDescription", "wpLicense", "wpAuthor", "wpSource", "wpDate",
        "wpForReUpload")}
    return render("files/upload.html", heading=_("Upload file"), values=values,
                  licences=licences.available(), status=status,
                  max_size=service.limits().max_size, **context)


def upload_page(_sub: str | None) -> Response:
    from ..views.common import current_user, form_flag, require

    require("upload")
    if request.method != "POST":
        return _form()
    user = current_user()
    owner = int(user.user_id or 0)
    key = request.form.get("wpSessionKey", "")
    upfile = request.files.get("wpUploadFile")
    try:
        if key:
            data, meta = stash.read(key, owner)
            filename = meta["name"]
        elif upfile is not None and upfile.filename:
            # Browsers may send a path ("C:\\fakepath\\x.jpg"): keep the file's own name.
            data, filename = upfile.read(), upfile.filename.replace("\\", "/").rsplit("/", 1)[-1]
        else:
            return _form(400, error=_("No file was submitted: choose a file to upload."))
    except stash.StashError as exc:
        return _form(400, error=exc.message)
    dest = (request.form.get("wpDestFile") or filename or "").strip()
    lic = licences.find(request.form.get("wpLicense") or licences.site_licence().code)
    if lic is None:
        return _form(400, error=_("Choose a licence from the list."))
    description = request.form.get("wpUploadDescription", "")
    form = request.form

    def page_text(facts: Any) -> str:
        from .metadata import coordinates

        return service.description_text(description, lic.code, form.get("wpAuthor", ""),
                                        form.get("wpSource", ""), form.get("wpDate", ""),
                                        coordinates(facts.metadata))
    db = get_session()
    try:
        result = service.upload(db, user, dest, data, comment=description or lic.label,
                                page_text=page_text,
                                ignore_warnings=form_flag("wpIgnoreWarning"),
                                ip=request.remote_addr)
    except UploadError as exc:
        db.rollback()
        return _form(400, error=exc.translated())
    except PermissionDenied:
        db.rollback()
        raise
    if result.result == "Warning":
        db.rollback()
        new_key = key or stash.create(owner, filename, data)
        return _form(200, warnings=warning_messages(result.warnings), session_key=new_key,
                     stashed_name=filename)
    db.commit()
    if key:
        stash.remove(key)
    from ..views.common import page_url

    flash(_("The file has been uploaded."), "success")
    return redirect(page_url(result.title), 303)


def _file_from(sub: str | None) -> Any:
    if not sub:
        abort(404)
    try:
        return service.file_title(sub)
    except UploadError:
        abort(404)


def file_revert(sub: str | None) -> Response:
    from ..views.common import current_user, page_url

    title = _file_from(sub)
    if request.method != "POST":
        return redirect(page_url(title), 303)
    db = get_session()
    try:
        service.revert(db, current_user(), title, request.form.get("oldimage", ""),
                       request.form.get("wpComment", ""), ip=request.remote_addr)
    except UploadError as exc:
        db.rollback()
        flash(exc.translated(), "error")
        return redirect(page_url(title), 303)
    db.commit()
    flash(_("The file has been reverted to the chosen version."), "success")
    return redirect(page_url(title), 303)


def file_delete(sub: str | None) -> Response:
    from ..views.common import current_user, page_url

    title = _file_from(sub)
    if request.method != "POST":
        return redirect(page_url(title), 303)
    db = get_session()
    try:
        lifecycle.delete_file(db, current_user(), title, request.form.get("wpReason", "")[:500])
    except UploadError as exc:
        db.rollback()
        flash(exc.translated(), "error")
        return redirect(page_url(title), 303)
    db.commit()
    flash(_("The file has been deleted."), "success")
    return redirect(page_url(title), 303)


def file_restore(sub: str | None) -> Response:
    from ..views.common import current_user, page_url

    title = _file_from(sub)
    if request.method != "POST":
        return redirect(page_url(title), 303)
    db = get_session()
    try:
        lifecycle.restore_file(db, current_user(), title, request.form.get("wpReason", "")[:500])
    except UploadError as exc:
        db.rollback()
        flash(exc.translated(), "error")
        return redirect(page_url(title), 303)
    db.commit()
    flash(_("The file has been restored."), "success")
    return redirect(page_url(title), 303)


def list_files(_sub: str | None) -> Response:
    """Special:ListFiles: the uploaded files, newest first, with thumbnails (50 a page)."""
    from sqlalchemy import func, select

    from ..models import Actor, Image
    from ..views.common import int_arg
    from ..views.skin import render
    from .filepage import human_size, thumb_url

    db = get_session()
    offset = int_arg("offset", 0, minimum=0) or 0
    rows = db.execute(select(Image, Actor.name).join(Actor, Actor.actor_id == Image.actor_id)
                      .order_by(Image.timestamp.desc(), Image.name)
                      .offset(offset).limit(50)).all()
    total = db.scalar(select(func.count(Image.name))) or 0
    files = [{"image": image, "user": user, "size": human_size(image.size),
              "thumb": thumb_url(image, 120),
              "title": Title.make(FILE, image.name, site_namespaces())} for image, user in rows]
    from ..views.common import can

    return render("files/listfiles.html", heading=_("File list"), files=files, offset=offset,
                  total=total, can_upload=can("upload"))


def init_app(app: Flask) -> None:
    from ..views.common import N_
    from ..views.special import register

    register(app, "Upload", upload_page, label=N_("Upload file"),
             aliases={"fr": ["Téléverser", "Téléversement", "Importer"]}, group="other",
             restriction="upload")
    register(app, "ListFiles", list_files, label=N_("File list"),
             aliases={"fr": ["Liste des fichiers", "ListeFichiers"], "en": ["Listfiles",
                                                                             "ImageList"]},
             group="pages")
    register(app, "FileRevert", file_revert, label=N_("Revert file"), listed=False,
             restriction="reupload", aliases={"fr": ["Révoquer fichier"]})
    register(app, "FileDelete", file_delete, label=N_("Delete file"), listed=False,
             restriction="delete", aliases={"fr": ["Supprimer fichier"]})
    register(app, "FileRestore", file_restore, label=N_("Restore file"), listed=False,
             restriction="undelete", aliases={"fr": ["Restaurer fichier"]})
