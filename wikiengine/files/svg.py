"""SVG drawings rasterised to PNG thumbnails (``220px-Name.svg.png``), as MediaWiki's
``SvgHandler`` does with ``rsvg-convert``: here with resvg (the ``resvg_py`` wheel, no
system library), in a separate process with CPU-time, memory and wall-clock limits.

Before the renderer sees a drawing it is cleaned again (the upload checks of ``verify.py``
refuse these already; files may also come from dumps or older versions): every reference
to another resource is removed (``href`` other than ``#id`` or an inline image, CSS
``@import`` and ``url(…)`` other than ``url(#id)``, processing instructions, scripts), since
resvg itself would read a local file named by ``<image href="/path">``. A drawing whose
``<use>`` references would expand to more than ``MAX_NODES`` elements (a "billion laughs"
of nested ``<use>``) is refused without rendering. Sizes follow ``$wgSVGMaxSize`` (5120 px
on the smaller side) and an area limit; a drawing may be rendered larger than its nominal
size (it is a vector).

A drawing whose rendering failed (time or memory limit, renderer error) ``MAX_FAILURES``
times within ``FAILURE_WINDOW`` seconds is not tried again until then (MediaWiki's
``thumb.php`` keeps such a count too): requesting many widths of a hostile drawing costs
three renderings an hour, not one each.

``run_worker`` (one process per rendering, at most ``_slots`` at a time) is shared with the
PDF renderer (``pdf.py``).

``available()`` says whether resvg is installed; without it the wiki serves the sanitised
SVG itself (``serve.py``) and logs why once.
"""
from __future__ import annotations

import hashlib
import importlib.util
import io
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: MediaWiki's ``$wgSVGMaxSize``: the smaller side of a rendering, in pixels.
SVG_MAX_SIZE = 5120
#: Pixels of one rendering at most (the RGBA canvas is 4 bytes a pixel: 100 MB).
SVG_MAX_AREA = 5120 * 5120
#: Elements of the drawing once every ``<use>`` is expanded.
MAX_NODES = 200_000
#: Limits of the rendering process (``$wgMaxShellTime``/``$wgMaxShellMemory`` in spirit).
TIMEOUT = 20.0
MEMORY = 1024 * 1024 * 1024
#: Renderings at a time (each is one process): the machine's cores, not one per request.
_slots = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
WORKER = Path(__file__).resolve().with_name("svg_worker.py")
MAX_FAILURES = 3
FAILURE_WINDOW = 3600.0
_failures: dict[str, list[float]] = {}  # sha1 of the drawing -> times its rendering failed
_failures_guard = threading.Lock()

_SVG_BANNED = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener",
               "applet", "meta", "base", "link"}
_SAFE_DATA_URI = re.compile(r"^data:image/(png|gif|jpeg|webp);base64,[a-z0-9+/=\s]*$", re.I)
_EXTERNAL_CSS = re.compile(r"@import|url\s*\(\s*['\"]?\s*(?!#)", re.I)


class SvgError(ValueError):
    """A drawing that is not rendered (not XML, too complex, too large, renderer failure)."""


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether resvg is installed (checked once; logs how to install it when not)."""
    if importlib.util.find_spec("resvg_py") is not None:
        return True
    log.warning("SVG thumbnails disabled: the resvg_py package is not installed "
                "(pip install resvg-py); SVG files are shown as sanitised SVG instead")
    return False


def thumb_size(width: int, height: int, new_width: int) -> tuple[int, int]:
    """The pixel size of a ``new_width`` rendering of a ``width``×``height`` drawing."""
    width, height = max(width, 1), max(height, 1)
    new_height = max(1, round(height * new_width / width))
    if min(new_width, new_height) > SVG_MAX_SIZE or new_width * new_height > SVG_MAX_AREA:
        raise SvgError(f"a {new_width}×{new_height} rendering is larger than allowed "
                       f"({SVG_MAX_SIZE} px, {SVG_MAX_AREA} pixels)")
    return new_width, new_height


def _local(tag: Any) -> str:
    from lxml import etree

    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _expanded_size(root: Any, limit: int) -> int:
    """Elements of the drawing with every ``<use href="#id">`` replaced by its target
    (recursion counted once, as renderers skip it); stops past ``limit``."""
    nodes = list(root.iter())  # keeps the lxml proxies (the memo keys) alive
    ids = {n.get("id"): n for n in nodes if isinstance(n.tag, str) and n.get("id")}
    memo: dict[Any, int] = {}
    busy: set[Any] = set()

    def size(node: Any) -> int:
        if node in memo:
            return memo[node]
        if node in busy:
            return 0
        busy.add(node)
        total = 1
        if _local(node.tag) == "use":
            ref = next((v for k, v in node.attrib.items() if _local(k) == "href"), "")
            target = ids.get(ref.strip()[1:]) if ref.strip().startswith("#") else None
            if target is not None:
                total += size(target)
        for child in node:
            if isinstance(child.tag, str):
                total += size(child)
            if total > limit:
                break
        busy.discard(node)
        memo[node] = total
        if total > limit:
            raise SvgError(f"the drawing expands to more than {limit} elements "
                           "(nested <use>)")
        return total

    try:
        return size(root)
    except RecursionError:
        raise SvgError("the drawing is nested too deeply") from None


def clean(data: bytes) -> bytes:
    """The drawing with every reference to another resource removed, or ``SvgError``
    (not XML, entities, not SVG, too complex)."""
    from lxml import etree

    if b"<!entity" in data[:4096].lower() or re.search(rb"<!doctype[^>]*\[", data[:4096], re.I):
        raise SvgError("the drawing declares entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgError(f"not well-formed XML: {exc}") from None
    if _local(root.tag) != "svg":
        raise SvgError("not an SVG drawing")
    for node in list(root.iter()):
        if not isinstance(node.tag, str):  # entity references left unexpanded
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
            continue
        local = _local(node.tag)
        if local in _SVG_BANNED:
            node.getparent().remove(node)
            continue
        if local == "style" and node.text and _EXTERNAL_CSS.search(node.text):
            node.text = ""
        for attr, value in list(node.attrib.items()):
            name = _local(attr)
            value = value.strip()
            if name == "href":
                if not (value.startswith("#") or _SAFE_DATA_URI.match(value)):
                    del node.attrib[attr]
            elif name.startswith("on") or _EXTERNAL_CSS.search(value):
                del node.attrib[attr]
    _expanded_size(root, MAX_NODES)
    return etree.tostring(root, encoding="utf-8")


def _recent_failures(key: str, now: float) -> int:
    with _failures_guard:
        times = [t for t in _failures.get(key, ()) if now - t < FAILURE_WINDOW]
        if times:
            _failures[key] = times
        else:
            _failures.pop(key, None)
        return len(times)


def _failed(key: str, now: float) -> None:
    with _failures_guard:
        if len(_failures) > 10_000:  # bounded memory: forget the oldest drawings
            for old in sorted(_failures, key=lambda k: _failures[k][-1])[:5_000]:
                del _failures[old]
        _failures.setdefault(key, []).append(now)


def rasterise(data: bytes, width: int, height: int, *, timeout: float = TIMEOUT) -> bytes:
    """PNG bytes of the drawing at exactly ``width``×``height`` pixels, or ``SvgError``."""
    if min(width, height) > SVG_MAX_SIZE or width * height > SVG_MAX_AREA or min(width,
                                                                                height) < 1:
        raise SvgError(f"a {width}×{height} rendering is not allowed")
    svg = clean(data)
    key = hashlib.sha1(data).hexdigest()
    if _recent_failures(key, time.monotonic()) >= MAX_FAILURES:
        raise SvgError(f"rendering this drawing failed {MAX_FAILURES} times in the last "
                       f"{FAILURE_WINDOW / 60:.0f} minutes; not tried again yet")
    try:
        png = _render(svg, width, height, timeout)
    except SvgError:
        _failed(key, time.monotonic())
        raise
    from PIL import Image

    im = Image.open(io.BytesIO(png))
    if im.size == (width, height):
        return png
    # resvg keeps the drawing's own aspect ratio; the page shows the size recorded at
    # upload (rsvg-convert -w -h stretches to it too).
    out = io.BytesIO()
    im.resize((width, height), Image.Resampling.LANCZOS).save(out, "PNG")
    return out.getvalue()


def run_worker(args: list[str], data: bytes, timeout: float,
               error: type[Exception] = ValueError) -> bytes:
    """Standard output of ``svg_worker.py args`` fed ``data``, in an empty folder with an
    empty environment, one of the ``_slots``, killed after ``timeout`` seconds; ``error``
    (with the worker's last words) when it fails. Shared by the SVG and PDF renderers."""
    with _slots, tempfile.TemporaryDirectory(prefix="render-") as empty:
        try:
            done = subprocess.run(
                [sys.executable, "-I", str(WORKER), *args],
                input=data, capture_output=True, timeout=timeout, cwd=empty,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": empty,
                     "LANG": "C.UTF-8"})
        except subprocess.TimeoutExpired:
            raise error(f"rendering took more than {timeout:g} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise error(f"the renderer failed (status {done.returncode}): {reason}")
    return done.stdout


def _render(svg: bytes, width: int, height: int, timeout: float) -> bytes:
    """The worker process's PNG of a cleaned drawing, within the limits."""
    cpu = max(1, int(timeout + 0.999))
    png = run_worker([str(width), str(height), str(cpu), str(MEMORY)], svg, timeout, SvgError)
    if not png.startswith(b"\x89PNG"):
        raise SvgError("the renderer returned no PNG")
    return png
