"""Gallery: ``<gallery>`` with MediaWiki's modes (``traditional``, ``nolines``, ``packed``,
``packed-hover``, ``packed-overlay``; ``slideshow`` falls back to traditional), ``caption``,
``widths``/``heights``, ``perrow``, ``showfilename`` and per-image ``link=``/``alt=``.

Traditional rendering is the parser's own (``render_coretags.gallery_hook``); this module
adds the other modes (``PackedImageGallery``: images scaled to 1.5 × ``heights``, boxes sized
to each image) and bounds a gallery to ``MAX_IMAGES`` lines.
"""
from __future__ import annotations

import html
from typing import Any

from wikiengine.namespaces import FILE
from wikiengine.parser.render_coretags import gallery_hook as core_gallery

from extensions.common import recursive_tag_parse

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
                   f'{recursive_tag_parse(ctx, attrs["caption"], frame)}</li>')
    for title, caption, options in items:
        ctx.output.images[title.dbkey] = True
        info = ctx.source.file_info(title)
        cap = recursive_tag_parse(ctx, caption, frame) if caption else ""
        if info is None or not info.width or not info.height:
            w = heights
            thumb = (f'<div class="thumb" style="width: {w}px; height: {heights}px;">'
                     f"{html.escape(title.text)}</div>")
        else:
            h = min(target_h, info.height)
            w = max(1, int(round(info.width * h / info.height)))
            src = info.thumb_url(w) if w < info.width else info.url
            href = options.get("link")
            if href is None:
                href = ctx.site.local_url(title.prefixed_dbkey)
            elif href and not href.startswith(("http://", "https://", "/")):
                linked = ctx.make_title(href)
                href = ctx.site.local_url(linked.prefixed_dbkey) if linked else ""
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


def gallery_hook(content: Any, attrs: dict, ctx: Any, frame: Any) -> str:
    mode = (attrs.get("mode") or "traditional").strip().lower()
    if mode not in MODES:
        mode = "traditional"
    lines = [line for line in (content or "").split("\n") if line.strip()]
    text = "\n".join(lines[:MAX_IMAGES])
    if mode.startswith("packed"):
        return _packed(ctx, frame, _items(ctx, text), attrs, mode)
    out = core_gallery(text, attrs, ctx, frame)
    if mode != "traditional":
        out = out.replace("mw-gallery-traditional", f"mw-gallery-{mode}", 1)
    return out


def register(registry: Any, config: Any) -> None:
    registry.describe("Gallery", __version__,
                      description="<gallery> modes: packed, packed-hover, packed-overlay, "
                                  "nolines, slideshow (as traditional)",
                      url="https://www.mediawiki.org/wiki/Help:Images#Gallery_syntax",
                      license="GPL-2.0-or-later", author="MediaWiki contributors")
    registry.add_tag("gallery", gallery_hook)
