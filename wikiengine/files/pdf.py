"""PDF documents, as MediaWiki's PdfHandler extension shows them: the page count and page
sizes read at upload, and pages rendered to JPEG thumbnails ``page2-220px-Doc.pdf.jpg``.

Both are done with PDFium (the ``pypdfium2`` wheel, Apache-2.0/BSD) in the separate,
time- and memory-limited process of ``svg_worker.py`` (``svg.run_worker``), so a hostile PDF
can neither hang nor crash the server. Limits: ``MAX_PAGES`` pages, ``MAX_WIDTH`` pixels of
thumbnail width, ``MAX_OUTPUT`` bytes of JPEG. A page number past the end shows the last page,
below 1 or not a number the first (``ImageHandler::normaliseParams``, as MediaWiki 1.39).

A document whose rendering failed ``MAX_FAILURES`` times within ``FAILURE_WINDOW`` is not
tried again until then (the count ``svg.py`` keeps for drawings).

``available()`` says whether pypdfium2 is installed; without it PDF uploads are refused with
a message saying so.
"""
from __future__ import annotations

import importlib.util
import json
import logging
from functools import lru_cache
from typing import Any

from .svg import FAILURE_WINDOW, MAX_FAILURES, MEMORY, _failed, _recent_failures, run_worker

log = logging.getLogger(__name__)

MIME = "application/pdf"
#: Pages of an accepted document, and of which the sizes are recorded.
MAX_PAGES = 5000
#: Widest thumbnail, in pixels (a page is rendered at any width up to this).
MAX_WIDTH = 4096
#: Largest page, in points (PDF's own limit is 14 400).
MAX_PAGE_SIZE = 14_400
#: Largest JPEG a rendering may produce.
MAX_OUTPUT = 20 * 1024 * 1024
TIMEOUT = 20.0


class PdfError(ValueError):
    """A PDF that is not read or rendered (damaged, encrypted, too large, renderer failure)."""


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether pypdfium2 is installed (checked once; logs how to install it when not)."""
    if importlib.util.find_spec("pypdfium2") is not None:
        return True
    log.warning("PDF files disabled: the pypdfium2 package is not installed "
                "(pip install pypdfium2)")
    return False


def info(data: bytes, *, timeout: float = TIMEOUT) -> dict[str, Any]:
    """``{"pages": n, "sizes": [[w, h], …]}`` (points) of a PDF, or ``PdfError``."""
    cpu = str(max(1, int(timeout + 0.999)))
    out = run_worker(["pdf-info", cpu, str(MEMORY), str(MAX_PAGES)], data, timeout, PdfError)
    try:
        facts = json.loads(out)
        pages = int(facts["pages"])
        sizes = [[float(w), float(h)] for w, h in facts["sizes"]]
    except (ValueError, KeyError, TypeError):
        raise PdfError("the renderer gave no page count") from None
    return {"pages": pages, "sizes": sizes}


def normalise_page(page: Any, pages: int) -> int:
    """The page shown for ``page=``: 1 when not a whole number or below 1, the last page
    when past the end (``ImageHandler::normaliseParams``)."""
    try:
        n = int(str(page).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), max(pages, 1))


def render_page(data: bytes, page: int, width: int, *, timeout: float = TIMEOUT) -> bytes:
    """JPEG bytes of ``page`` (1-based) ``width`` pixels wide, or ``PdfError``."""
    if not 1 <= width <= MAX_WIDTH:
        raise PdfError(f"a thumbnail is 1 to {MAX_WIDTH} pixels wide, not {width}")
    import hashlib
    import time

    key = "pdf:" + hashlib.sha1(data).hexdigest()  # svg.py's count of failed renderings
    if _recent_failures(key, time.monotonic()) >= MAX_FAILURES:
        raise PdfError(f"rendering this document failed {MAX_FAILURES} times in the last "
                       f"{FAILURE_WINDOW / 60:.0f} minutes; not tried again yet")
    cpu = str(max(1, int(timeout + 0.999)))
    try:
        jpeg = run_worker(["pdf-page", str(page), str(width), cpu, str(MEMORY)], data,
                          timeout, PdfError)
    except PdfError:
        _failed(key, time.monotonic())
        raise
    if not jpeg.startswith(b"\xff\xd8\xff"):
        raise PdfError("the renderer returned no JPEG")
    if len(jpeg) > MAX_OUTPUT:
        raise PdfError(f"the rendering is larger than {MAX_OUTPUT} bytes")
    return jpeg
