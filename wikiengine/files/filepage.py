"""The File: description page parts shown above the page text: the image (a screen-sized
thumbnail with 1.5×/2× ``srcset``; PNG renderings for SVG drawings), its sizes and type, the
licence (prominent), the file history with revert buttons, the pages that use the file
(``imagelinks``) and the metadata (date taken, camera, GPS coordinates). A PDF shows the
page asked for by ``?page=N`` (page 1 by default or below 1, the last past the end), its page
count and links to the previous, next and nearby pages with a "go to page" field, as
MediaWiki's file page for multipage documents.
``file_page_html(session, title)`` is what the page view calls for namespace 6.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session

from ..models import Image
from ..store import revisions as rv
from ..title import Title
from .licences import page_licence
from .metadata import coordinates
from .service import file_history, pages_using
from .storage import archive_key, public_key, thumb_dir
from .svg import SvgError
from .svg import thumb_size as svg_size
from .thumbs import thumb_name

SCREEN_WIDTH = 800


def upload_base() -> str:
    return current_app.config.get("UPLOAD_URL", "/images").rstrip("/")


def file_url(name: str) -> str:
    return f"{upload_base()}/{quote(public_key(name))}"


def archive_url(archive_name: str, name: str) -> str:
    return f"{upload_base()}/{quote(archive_key(archive_name, name))}"


def is_vector(image: Any) -> bool:
    """Rendered at any width: SVG drawings and PDF pages."""
    return image.minor_mime in ("svg+xml", "pdf")


def is_pdf(image: Any) -> bool:
    return image.minor_mime == "pdf"


def page_count(image: Any) -> int:
    """Pages of a PDF as recorded at upload (0 for other files)."""
    if not is_pdf(image):
        return 0
    try:
        return int(json.loads(image.metadata_json or "{}").get("pages") or 1)
    except (ValueError, TypeError, AttributeError):
        return 1


class _Sized:
    """Width and height of one page, for ``display_size``."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = max(1, round(float(width))), max(1, round(float(height)))


def meta_sizes(image: Any) -> list:
    """The page sizes in points recorded at upload for a PDF (``[[w, h], …]``)."""
    try:
        return list(json.loads(image.metadata_json or "{}").get("page_sizes") or [])
    except (ValueError, TypeError, AttributeError):
        return []


def thumb_url(image: Any, width: int, page: int = 1) -> str:
    """The URL of a ``width``-pixel thumbnail: the file itself when a bitmap is not smaller;
    a drawing's is always a PNG (``220px-Name.svg.png``), a PDF's a JPEG of one page
    (``page2-220px-Name.pdf.jpg``), at any width."""
    if width >= image.width and not is_vector(image):
        return file_url(image.name)
    name = thumb_name(image.name, f"{image.major_mime}/{image.minor_mime}")
    prefix = f"page{page}-" if is_pdf(image) else ""
    return f"{upload_base()}/{quote(thumb_dir(image.name))}/{prefix}{width}px-{quote(name)}"


def display_size(image: Any, box: int = SCREEN_WIDTH) -> tuple[int, int]:
    if image.width <= box or not image.width:
        return image.width, image.height
    return box, max(1, round(image.height * box / image.width))


def srcset(image: Any, width: int, page: int = 1) -> str:
    parts = []
    for factor in (1.5, 2):
        w = int(round(width * factor))
        if is_pdf(image):
            from .pdf import MAX_WIDTH

            if w > MAX_WIDTH:
                break
        elif is_vector(image):
            try:
                svg_size(image.width, image.height, w)
            except SvgError:
                break
        elif w >= image.width:
            break
        parts.append(f"{thumb_url(image, w, page)} {factor:g}x")
    return ", ".join(parts)


def human_size(size: int) -> str:
    for unit in ("octets", "Kio", "Mio", "Gio"):
        if size < 1024 or unit == "Gio":
            return f"{size:.0f} {unit}" if unit == "octets" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def metadata_rows(image: Any) -> list[tuple[str, str]]:
    try:
        meta = json.loads(image.metadata_json or "{}")
    except ValueError:
        meta = {}
    rows: list[tuple[str, str]] = []
    taken = meta.get("DateTimeOriginal") or meta.get("DateTime")
    if taken:
        rows.append(("date", str(taken)))
    camera = " ".join(str(meta[k]) for k in ("Make", "Model") if meta.get(k))
    if camera:
        rows.append(("camera", camera))
    for key in ("Artist", "Copyright", "ExposureTime", "FNumber", "ISOSpeedRatings",
                "FocalLength"):
        if meta.get(key) not in (None, ""):
            rows.append((key, str(meta[key])))
    return rows


def file_page_html(session: Session, title: Title) -> Markup:
    """The file parts of ``File:title`` (or an invitation to upload it), as safe HTML."""
    from ..views.common import can, special_url

    image = session.get(Image, title.dbkey)
    if image is None:
        from sqlalchemy import func, select

        from ..models import FileArchive

        archived = session.scalar(select(func.count(FileArchive.fa_id)).where(
            FileArchive.name == title.dbkey)) or 0
        return Markup(render_template("files/filepage_missing.html", title=title,
                                      upload_url=special_url("Upload", wpDestFile=title.text),
                                      can_upload=can("upload"), archived=archived,
                                      can_restore=can("undelete", title)))
    page = rv.get_page(session, title)
    width, height = display_size(image)
    pages = page_count(image)
    shown = 1
    if pages:
        from flask import request

        from .pdf import normalise_page

        shown = normalise_page(request.args.get("page", 1), pages)
        try:  # that page's own size (a landscape page in a portrait document)
            w, h = meta_sizes(image)[shown - 1]
            width, height = display_size(_Sized(w, h))
        except (IndexError, TypeError, ValueError):
            pass
    try:
        meta = json.loads(image.metadata_json or "{}")
    except ValueError:
        meta = {}
    history = file_history(session, image.name)
    from sqlalchemy import select

    from ..models import Actor

    ids = {image.actor_id, *(o.actor_id for o in history)}
    names = dict(session.execute(select(Actor.actor_id, Actor.name).where(
        Actor.actor_id.in_(ids))).all())
    return Markup(render_template(
        "files/filepage.html", title=title, image=image, width=width, height=height,
        src=thumb_url(image, width, shown), srcset=srcset(image, width, shown),
        url=file_url(image.name), pages=pages, shown=shown,
        size=human_size(image.size), licence=page_licence(session, page.page_id if page else None),
        history=history, names=names, archive_url=archive_url, thumb_url=thumb_url,
        users=pages_using(session, image.name), metadata=metadata_rows(image),
        coords=coordinates(meta), can_revert=can("reupload", title),
        can_delete=can("delete", title), can_upload=can("upload"),
        reupload_url=special_url("Upload", wpDestFile=title.text, wpForReUpload="1")))
