"""Checking an uploaded file before anything is stored: its type from its content (never
from its name), Pillow decoding under decompression-bomb limits, HTML or scripts disguised
as images, SVG with scripts, external references or too many ``<use>`` copies, PDF documents
read by PDFium in a limited process (``pdf.py``: page count and page sizes; damaged or
encrypted ones refused), and the size limit.

``verify(data, name, limits)`` returns ``FileFacts`` (MIME type, dimensions, metadata) or
raises ``UploadError`` with MediaWiki's error code and a message a resident can act on.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from PIL import Image as PILImage

from .metadata import exif_metadata

#: Extensions accepted by default (MediaWiki's ``$wgFileExtensions`` of a photo wiki).
EXTENSION_MIME = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "png": "image/png",
    "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
               "WEBP": "image/webp"}

#: What MediaWiki's ``UploadBase::detectScript`` looks for in the first kilobyte.
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<title",
                 b"<img", b"<pre", b"<table", b"<a href", b"<iframe", b"<meta",
                 b"<svg", b"javascript:")

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG_BANNED = {"script", "foreignobject", "iframe", "object", "embed", "handler",
               "listener", "applet", "meta", "base", "link"}
_SAFE_DATA_URI = re.compile(r"^data:image/(png|gif|jpeg|webp);base64,[a-z0-9+/=\s]*$", re.I)
_CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|url\s*\(\s*['\"]?\s*(?!#)",
                         re.I)


class UploadError(ValueError):
    """An upload refused; ``code`` is MediaWiki's (``verification-error``, ``filetype-banned``,
    ``file-too-large``, ``empty-file``, ``uploadscripted``, ``illegal-filename``…)."""

    def __init__(self, code: str, template: str, params: dict[str, Any] | None = None,
                 **details: Any) -> None:
        self.template, self.params = template, params or {}
        message = template % self.params if self.params else template
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def translated(self) -> str:
        """The message in the interface language (Flask-Babel), for the web form."""
        from flask_babel import gettext

        params = dict(self.params)
        if "reason" in self.details:  # a translatable part (why an SVG is refused)
            text, values = self.details["reason"]
            params["reason"] = gettext(text, **values) if values else gettext(text)
        return gettext(self.template, **params) if params else gettext(self.template)


@dataclass
class Limits:
    max_size: int = 100 * 1024 * 1024
    max_pixels: int = 50_000_000
    extensions: tuple[str, ...] = tuple(EXTENSION_MIME)


@dataclass
class FileFacts:
    mime: str
    width: int = 0
    height: int = 0
    bits: int = 8
    media_type: str = "BITMAP"
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def major(self) -> str:
        return self.mime.split("/", 1)[0]

    @property
    def minor(self) -> str:
        return self.mime.split("/", 1)[1]


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def sniff(data: bytes) -> str | None:
    """The MIME type shown by the first bytes, or None (SVG is recognised by parsing)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in data[:1024]:  # readers accept the header within the first kilobyte
        return "application/pdf"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) \
            and b"<svg" in data[:4096].lower():
        return "image/svg+xml"
    return None


def verify(data: bytes, name: str, limits: Limits | None = None) -> FileFacts:
    """The facts of an acceptable file, or ``UploadError``; nothing is written here."""
    limits = limits or Limits()
    if not data:
        raise UploadError("empty-file", "The file you submitted was empty.")
    if len(data) > limits.max_size:
        raise UploadError("file-too-large",
                          "The file is %(size)s bytes; the maximum allowed is %(max)s bytes.",
                          {"size": len(data), "max": limits.max_size}, size=len(data),
                          max=limits.max_size)
    ext = extension_of(name)
    if ext not in limits.extensions or ext not in EXTENSION_MIME:
        allowed = ", ".join(limits.extensions)
        raise UploadError("filetype-banned",
                          "“.%(ext)s” is not a permitted file type. Permitted file types: "
                          "%(allowed)s.", {"ext": ext, "allowed": allowed}, filetype=ext,
                          allowed=list(limits.extensions))
    detected = sniff(data)
    if detected is None:
        raise UploadError("verification-error",
                          "The content of this file is not a recognised image or document "
                          "(JPEG, PNG, GIF, WebP, SVG or PDF).",
                          details=["filetype-unsupported"])
    if EXTENSION_MIME[ext] != detected:
        raise UploadError("verification-error",
                          "File extension “.%(ext)s” does not match the detected MIME type "
                          "of the file (%(mime)s).", {"ext": ext, "mime": detected},
                          details=["filetype-mime-mismatch", ext, detected])
    if detected == "image/svg+xml":
        return _verify_svg(data)
    if detected == "application/pdf":
        return _verify_pdf(data)
    low = data[:1024].lower()
    if any(marker in low for marker in _HTML_MARKERS):
        raise UploadError("verification-error",
                          "This file contains HTML or script code that may be erroneously "
                          "interpreted by a web browser.", details=["uploadscripted"])
    return _verify_bitmap(data, detected, limits)


def _verify_bitmap(data: bytes, mime: str, limits: Limits) -> FileFacts:
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            im = PILImage.open(io.BytesIO(data))
            width, height = im.size
            frames = getattr(im, "n_frames", 1)
            if width * height * max(frames, 1) > limits.max_pixels:
                raise UploadError(
                    "verification-error",
                    "The image is too large to process: %(pixels)s pixels is more than the "
                    "%(max)s pixels allowed (decompression bomb protection).",
                    {"pixels": f"{width}×{height}" + (f" × {frames}" if frames > 1 else ""),
                     "max": limits.max_pixels},
                    details=["decompression-bomb"])
            if PIL_FORMATS.get(im.format or "") != mime:
                raise UploadError("verification-error",
                                  "The file's content is not a valid %(mime)s image.",
                                  {"mime": mime},
                                  details=["filetype-mime-mismatch"])
            im.verify()
            im = PILImage.open(io.BytesIO(data))
            im.load()
        except UploadError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise UploadError("verification-error",
                              "The image is too large to process (decompression bomb "
                              "protection).", details=["decompression-bomb"]) from None
        except Exception as exc:  # Pillow raises many types for corrupt files
            raise UploadError("verification-error",
                              "The file is damaged or is not a valid image (%(error)s).",
                              {"error": str(exc)},
                              details=["corrupt"]) from None
    bits = 8 if im.mode not in ("1", "I;16", "I", "F") else {"1": 1}.get(im.mode, 16)
    metadata = exif_metadata(im)
    if metadata.get("Orientation") in (5, 6, 7, 8):
        # Shown turned a quarter (ExifBitmapHandler::getImageSize swaps the sides).
        width, height = height, width
    return FileFacts(mime=mime, width=width, height=height, bits=bits, metadata=metadata)


def _verify_pdf(data: bytes) -> FileFacts:
    """Page count and sizes read by PDFium (``pdf.info``); width and height are the first
    page's in points, as PdfHandler records them."""
    from . import pdf

    if not pdf.available():
        raise UploadError("verification-error", "PDF files cannot be accepted here: the "
                          "pypdfium2 package is not installed.", details=["pdf-disabled"])
    try:
        facts = pdf.info(data)
    except pdf.PdfError as exc:
        raise UploadError("verification-error", "The PDF file is damaged, encrypted or "
                          "cannot be read (%(error)s).", {"error": str(exc)[-200:]},
                          details=["corrupt"]) from None
    pages, sizes = facts["pages"], facts["sizes"]
    if pages < 1 or not sizes:
        raise UploadError("verification-error", "The PDF file has no pages.",
                          details=["corrupt"])
    if pages > pdf.MAX_PAGES:
        raise UploadError("verification-error", "The PDF file has %(pages)s pages; at most "
                          "%(max)s are allowed.", {"pages": pages, "max": pdf.MAX_PAGES},
                          details=["too-many-pages"])
    if any(not (0 < w <= pdf.MAX_PAGE_SIZE and 0 < h <= pdf.MAX_PAGE_SIZE) for w, h in sizes):
        raise UploadError("verification-error", "A page of the PDF file has no size or is "
                          "larger than %(max)s points.", {"max": pdf.MAX_PAGE_SIZE},
                          details=["page-size"])
    width, height = (max(1, round(v)) for v in sizes[0])
    return FileFacts(mime="application/pdf", width=width, height=height, bits=0,
                     media_type="OFFICE",
                     metadata={"pages": pages, "page_sizes": [[round(w, 2), round(h, 2)]
                                                              for w, h in sizes]})


def _svg_refused(reason: str, **params: Any) -> UploadError:
    return UploadError("verification-error",
                       "This SVG file is refused: %(reason)s. SVG files may not contain "
                       "scripts, event handlers or references to other files.",
                       {"reason": reason % params if params else reason},
                       details=["uploadscripted"], reason=(reason, params))


def _verify_svg(data: bytes) -> FileFacts:
    from lxml import etree

    head = data[:4096].lower()
    if b"<!entity" in head or re.search(rb"<!doctype[^>]*\[", data[:4096], re.I):
        raise _svg_refused("it declares entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UploadError("verification-error", "The SVG file is not well-formed XML "
                          "(%(error)s).", {"error": str(exc)},
                          details=["corrupt"]) from None
    if etree.QName(root).localname != "svg":
        raise UploadError("verification-error", "The file is not an SVG image.",
                          details=["filetype-unsupported"])
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction):
            raise _svg_refused("it contains a processing instruction")
        if not isinstance(node.tag, str):
            continue
        local = etree.QName(node).localname.lower()
        if local in _SVG_BANNED:
            raise _svg_refused("it contains a <%(element)s> element", element=local)
        if local == "style" and node.text and _CSS_DANGER.search(node.text):
            raise _svg_refused("its style sheet loads other resources")
        for attr, value in node.attrib.items():
            aname = etree.QName(attr).localname.lower()
            if aname.startswith("on"):
                raise _svg_refused("it has an event handler (%(name)s)", name=aname)
            if aname == "href" and not (value.strip().startswith("#")
                                        or _SAFE_DATA_URI.match(value.strip())):
                raise _svg_refused("it refers to another resource (%(url)s)", url=value[:80])
            if "javascript:" in value.lower().replace(" ", ""):
                raise _svg_refused("it contains a javascript: address")
            if aname == "style" and _CSS_DANGER.search(value):
                raise _svg_refused("its style loads other resources")
            if local in ("animate", "set") and aname == "attributename" and \
                    value.lower().endswith("href"):
                raise _svg_refused("it animates a link")
    from .svg import MAX_NODES, SvgError, _expanded_size

    try:
        _expanded_size(root, MAX_NODES)
    except SvgError:
        raise _svg_refused("it is too complex to draw (more than %(max)s elements once its "
                           "<use> references are expanded)", max=MAX_NODES) from None
    width, height = _svg_size(root)
    return FileFacts(mime="image/svg+xml", width=width, height=height, bits=0,
                     media_type="DRAWING")


def _svg_size(root: Any) -> tuple[int, int]:
    def number(value: str | None) -> float | None:
        m = re.match(r"\s*([0-9.]+)\s*(px)?\s*$", value or "")
        return float(m.group(1)) if m else None

    width, height = number(root.get("width")), number(root.get("height"))
    if (width is None or height is None) and root.get("viewBox"):
        parts = re.split(r"[\s,]+", root.get("viewBox").strip())
        if len(parts) == 4:
            try:
                width, height = float(parts[2]), float(parts[3])
            except ValueError:
                pass
    return int(round(width or 512)), int(round(height or 512))
