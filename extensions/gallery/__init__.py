"""Gallery: ``<gallery>`` with MediaWiki's modes (``traditional``, ``nolines``, ``packed``,
``packed-hover``, ``packed-overlay``; ``slideshow`` falls back to traditional), ``caption``,
``widths``/``heights``, ``perrow``, ``showfilename`` and per-image ``link=``/``alt=``.

Renders ``TraditionalImageGallery`` as the parser's core hook does (same sizes and
margins), ``NolinesImageGallery`` without thumb padding, ``PackedImageGallery`` with images
scaled to 1.5 × ``heights`` and boxes sized to each image, and bounds a gallery to
``MAX_IMAGES`` images.
"""
from __future__ import annotations

import html
from typing import Any

from wikiengine.namespaces import FILE

from extensions.common import recursive_tag_parse_fully

__version__ = "1.39"

MAX_IMAGES = 1000
MODES = ("traditional", "nolines", "packed", "packed-hover", "packed-overlay", "slideshow")


def _dimension(value: str | None, default: int) -> int:
    try:
        n = int(str(value or "").strip().removesuffix("px"))
    except ValueError:
        return default
    return n if 0 < n <= 2000 else default


def _items(ctx: Any, content: str) -> list[tuple[Any, str, dict]]:
    items = []
    for line in content.split("\n"):
        line = line.strip()
        if not line or len(items) >= MAX_IMAGES:
            continue
        target, *parts = line.split("|")
        title = ctx.make_title(target.strip(), FILE)
        if title is None or title.namespace != FILE:
            continue
        options: dict[str, str] = {}
        caption = ""
        for part in parts:
            key, eq, value = part.partition("=")
            if eq and key.strip().lower() in ("link", "alt", "page", "lang"):
                options[key.strip().lower()] = value.strip()
            else:
                caption = part
        items.append((title, caption, options))
    return items


def _packed(ctx: Any, frame: Any, items: list, attrs: dict, mode: str) -> str:
    heights = _dimension(attrs.get("heights"), 120)
    target_h = int(heights * 1.5)
    classes = f"gallery mw-gallery-{mode}"
    if attrs.get("class"):
        classes += " " + attrs["class"]
    out = [f'<ul class="{html.escape(classes)}">']
    if attrs.get("caption"):
        out.append(f'\n\t<li class="gallerycaption">'
                   f'{recursive_tag_parse_fully(ctx, attrs["caption"], frame)}</li>')
    for title, caption, options in items:
        ctx.output.images[title.dbkey] = True
        info = ctx.source.file_info(title)
        cap = recursive_tag_parse_fully(ctx, caption, frame) if caption else ""
        if info is None or not info.width or not info.height:
            w = heights
            thumb = (f'<div class="thumb" style="width: {w}px; height: {heights}px;">'
                     f"{html.escape(title.text)}</div>")
        else:
            h = min(target_h, info.height)
            w = max(1, int(round(info.width * h / info.height)))
            src = info.thumb_url(w) if w < info.width else info.url
            href = _href(ctx, title, options)
            alt = options.get("alt", title.text)
            img = (f'<img alt="{html.escape(alt)}" src="{html.escape(src)}" decoding="async" '
                   f'width="{int(w / 1.5)}" height="{int(h / 1.5)}" />')
            inner = f'<a href="{html.escape(href)}" class="image">{img}</a>' if href else img
            thumb = (f'<div class="thumb" style="width: {int(w / 1.5)}px;"><div style="margin:'
                     f'0px auto;">{inner}</div></div>')
            w = int(w / 1.5)
        name = (f'<a href="{html.escape(ctx.site.local_url(title.prefixed_dbkey))}" '
                f'class="galleryfilename galleryfilename-truncate" title="'
                f'{html.escape(title.text)}">{html.escape(title.text)}</a>\n'
                if "showfilename" in attrs else "")
        out.append(f'\n\t\t<li class="gallerybox" style="width: {w + 4}px"><div style="width: '
                   f'{w + 4}px">\n\t\t\t{thumb}\n\t\t\t<div class="gallerytext">{name}{cap}'
                   "\n\t\t\t</div>\n\t\t</div></li>")
    out.append("\n</ul>")
    return "".join(out)


def _href(ctx: Any, title: Any, options: dict) -> str:
    """Where an image points: its file page, ``link=`` page or URL, or nowhere (``link=``)."""
    if "link" not in options:
        return ctx.site.local_url(title.prefixed_dbkey)
    target = options["link"]
    if not target:
        return ""
    if target.startswith(("http://", "https://", "//")):
        return target
    linked = ctx.make_title(target)
    return ctx.site.local_url(linked.prefixed_dbkey) if linked is not None else ""


def _traditional(ctx: Any, frame: Any, items: list, attrs: dict, mode: str) -> str:
    """``TraditionalImageGallery`` (and ``NolinesImageGallery``: no thumb padding)."""
    widths = _dimension(attrs.get("widths"), 120)
    heights = _dimension(attrs.get("heights"), 120)
    thumb_padding, box_padding = (0, 4) if mode == "nolines" else (30, 5)
    classes = f"gallery mw-gallery-{mode}"
    if attrs.get("class"):
        classes += " " + attrs["class"]
    style = ""
    try:
        perrow = int(attrs.get("perrow", "0"))
    except ValueError:
        perrow = 0
    if 0 < perrow <= 100:
        style = f' style="max-width: {perrow * (widths + thumb_padding + box_padding + 8)}px;"'
    out = [f'<ul class="{html.escape(classes)}"{style}>']
    if attrs.get("caption"):
        out.append(f'\n\t<li class="gallerycaption">'
                   f'{recursive_tag_parse_fully(ctx, attrs["caption"], frame)}</li>')
    box = widths + thumb_padding + box_padding
    for title, caption, options in items:
        ctx.output.images[title.dbkey] = True
        info = ctx.source.file_info(title)
        cap = recursive_tag_parse_fully(ctx, caption, frame) if caption else ""
        if info is None or not info.width or not info.height:
            thumb = (f'<div class="thumb" style="height: {heights + thumb_padding}px;">'
                     f"{html.escape(title.text)}</div>")
        else:
            w = min(widths, info.width)
            h = int(round(info.height * w / info.width))
            if h > heights:
                h = heights
                w = int(round(info.width * h / info.height))
            src = info.thumb_url(w) if w < info.width else info.url
            srcset = [f"{info.thumb_url(int(round(w * m)))} {label}"
                      for m, label in ((1.5, "1.5x"), (2, "2x")) if round(w * m) < info.width]
            ss = f' srcset="{html.escape(", ".join(srcset))}"' if srcset else ""
            alt = options.get("alt", title.text)
            img = (f'<img alt="{html.escape(alt)}" src="{html.escape(src)}" decoding="async" '
                   f'width="{w}" height="{h}"{ss} />')
            href = _href(ctx, title, options)
            inner = f'<a href="{html.escape(href)}" class="image">{img}</a>' if href else img
            margin = int((heights + thumb_padding - h) / 2)
            thumb = (f'<div class="thumb" style="width: {widths + thumb_padding}px;"><div '
                     f'style="margin:{margin}px auto;">{inner}</div></div>')
        name = (f'<a href="{html.escape(ctx.site.local_url(title.prefixed_dbkey))}" '
                f'class="galleryfilename galleryfilename-truncate" title="'
                f'{html.escape(title.text)}">{html.escape(title.text)}</a>\n'
                if "showfilename" in attrs else "")
        out.append(f'\n\t\t<li class="gallerybox" style="width: {box}px"><div style="width: '
                   f'{box}px">\n\t\t\t{thumb}\n\t\t\t<div class="gallerytext">{name}{cap}'
                   "\n\t\t\t</div>\n\t\t</div></li>")
    out.append("\n</ul>")
    return "".join(out)


def gallery_hook(content: Any, attrs: dict, ctx: Any, frame: Any) -> str:
    mode = (attrs.get("mode") or "traditional").strip().lower()
    if mode not in MODES:
        mode = "traditional"
    items = _items(ctx, content or "")
    if mode.startswith("packed"):
        return _packed(ctx, frame, items, attrs, mode)
    if mode == "slideshow":  # needs JavaScript in MediaWiki too: shown as a traditional grid
        return _traditional(ctx, frame, items, attrs, "traditional").replace(
            "mw-gallery-traditional", "mw-gallery-slideshow", 1)
    return _traditional(ctx, frame, items, attrs, mode)


def register(registry: Any, config: Any) -> None:
    registry.describe("Gallery", __version__,
                      description="<gallery> modes: packed, packed-hover, packed-overlay, "
                                  "nolines, slideshow (as traditional)",
                      url="https://www.mediawiki.org/wiki/Help:Images#Gallery_syntax",
                      license="GPL-2.0-or-later", author="MediaWiki contributors")
    registry.add_tag("gallery", gallery_hook)
