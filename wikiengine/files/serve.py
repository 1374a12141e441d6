"""Serving uploaded files and their thumbnails at ``UPLOAD_URL`` (``/images/…``).

Only known files are served, each with the Content-Type recorded at upload,
``X-Content-Type-Options: nosniff``, a Content-Security-Policy that forbids scripts (SVG),
``Content-Disposition: attachment`` for anything that is not an image, and never anything
from the private folders (``deleted/``, ``temp/``). Thumbnails are made on first request
(PNG for SVG drawings; without resvg the drawing's own sanitised SVG is served instead; JPEG
of one page for PDF documents, ``page2-220px-Doc.pdf.jpg``, 404 for a page outside it).
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, abort, redirect, send_file
from sqlalchemy import select

from ..db import get_session
from ..models import Image, OldImage
from .storage import PRIVATE_ROOTS, StorageError, get_storage, hashed_path
from . import svg
from .thumbs import ThumbError, parse_thumb_name, thumb_mime, thumb_page, thumbnail

log = logging.getLogger(__name__)
bp = Blueprint("files", __name__, template_folder="templates")

_SAFE_INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml"}


def _send(key: str, mime: str, name: str) -> Response:
    storage = get_storage()
    try:
        path = storage.path(key)
    except StorageError:
        abort(404)
    if not path.is_file():
        abort(404)
    # Archived versions never change; a current version or its thumbnails change with a
    # new upload under the same URL, so browsers check again after ten minutes (ETag).
    immutable = key.startswith("archive/")
    response = send_file(path, mimetype=mime, conditional=True,
                         max_age=365 * 86400 if immutable else 600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
    if mime not in _SAFE_INLINE:
        from urllib.parse import quote

        response.headers["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(name)}")
    return response


def _mime(row: Any) -> str:
    return f"{row.major_mime}/{row.minor_mime}"


def _pages(image: Any) -> int:
    """The page count recorded at upload (``metadata_json``), 1 when unknown."""
    import json

    try:
        return int(json.loads(image.metadata_json or "{}").get("pages") or 1)
    except (ValueError, TypeError, AttributeError):
        return 1


def serve_key(key: str) -> Response:
    """The response for ``/images/<key>``: a current version, an archived one or a thumb."""
    parts = key.split("/")
    if not parts or parts[0] in PRIVATE_ROOTS or any(p in ("", ".", "..") for p in parts):
        abort(404)
    db = get_session()
    if parts[0] == "thumb" and len(parts) == 5:
        name, thumb_name = parts[3], parts[4]
        if hashed_path(name) != "/".join(parts[1:4]):
            abort(404)
        image = db.get(Image, name)
        if image is None:
            abort(404)
        mime = _mime(image)
        try:
            width = parse_thumb_name(thumb_name, name, mime)
        except ThumbError:
            abort(404)
        original = "/" + "/".join(["images", *parts[1:4]])
        vector = mime == "image/svg+xml"
        page = 1
        if mime == "application/pdf":
            from . import pdf

            page = thumb_page(thumb_name)
            if page > _pages(image) or width > pdf.MAX_WIDTH or not pdf.available():
                abort(404)
        elif (vector and not svg.available()) or (not vector and width >= image.width):
            # A thumbnail never upscales a bitmap; without resvg a drawing is shown as
            # its sanitised SVG (scaled by the <img> size, svg.available() logs why).
            from flask import current_app

            base = current_app.config.get("UPLOAD_URL", "/images").rstrip("/")
            return redirect(base + original[len("/images"):], 302)
        try:
            thumb = thumbnail(get_storage(), name, hashed_path(name), mime, width,
                              (image.width, image.height), page)
        except (ThumbError, OSError) as exc:
            if vector or mime == "application/pdf":
                log.info("no thumbnail %s: %s", thumb_name, exc)
            abort(404)
        return _send(thumb, thumb_mime(mime), thumb_name)
    if parts[0] == "archive" and len(parts) == 4:
        archive_name = parts[3]
        name = archive_name.split("!", 1)[-1]
        row = db.scalar(select(OldImage).where(OldImage.archive_name == archive_name,
                                               OldImage.name == name))
        if row is None or hashed_path(name) != "/".join([*parts[1:3], name]):
            abort(404)
        return _send(key, _mime(row), name)
    if len(parts) == 3:
        name = parts[2]
        image = db.get(Image, name)
        if image is None or hashed_path(name) != key:
            abort(404)
        return _send(key, _mime(image), name)
    abort(404)


@bp.route("/<path:key>")
def images(key: str) -> Response:
    return serve_key(key)
