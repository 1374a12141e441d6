"""Core tag hooks other than <nowiki>/<pre>: <gallery> (traditional mode) and <indicator>.

Ports CoreTagHooks::gallery/indicator and TraditionalImageGallery (REL1_39). They are
registered on every parse (``default_tag_hooks``) unless the caller's hooks override them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wikiengine.namespaces import FILE

from .sanitizer import htmlspecialchars

if TYPE_CHECKING:
    from .context import ParseContext

_ERROR = '<span class="error"><strong>Error:</strong> {}</span>'


def _parse_fully(text: str, ctx: "ParseContext", frame: Any) -> str:
    from . import preprocess
    from .render import recursive_tag_parse_fully
    expanded = preprocess.expand(text, ctx, frame=frame, double_underscores=False) \
        if frame is not None else preprocess.expand(text, ctx, double_underscores=False)
    return recursive_tag_parse_fully(expanded, ctx)


def indicator_hook(content: Any, attrs: dict, ctx: "ParseContext", frame: Any) -> str:
    name = (attrs.get("name") or "").strip()
    if name == "":
        return _ERROR.format("Page status indicators' <code>name</code> attribute must not "
                             "be empty.")
    html = _parse_fully(content or "", ctx, frame).strip()
    ctx.output.indicators[name] = html
    return ""


def gallery_hook(content: Any, attrs: dict, ctx: "ParseContext", frame: Any) -> str:
    """A traditional gallery: one 'File:Name|caption' per line."""
    try:
        widths = int(str(attrs.get("widths", "120")).replace("px", "")) or 120
        heights = int(str(attrs.get("heights", "120")).replace("px", "")) or 120
    except ValueError:
        widths = heights = 120
    items = []
    for line in (content or "").split("\n"):
        line = line.strip()
        if not line:
            continue
        target, _, caption = line.partition("|")
        t = ctx.make_title(target, FILE)
        if t is None or t.namespace != FILE:
            continue
        items.append((t, caption))
    cls = "gallery mw-gallery-traditional"
    if attrs.get("class"):
        cls += " " + attrs["class"]
    out = [f'<ul class="{htmlspecialchars(cls)}">']
    if attrs.get("caption"):
        out.append(f'\n\t<li class="gallerycaption">{_parse_fully(attrs["caption"], ctx, frame)}</li>')
    box = widths + 35
    for t, caption in items:
        ctx.output.images[t.dbkey] = True
        info = ctx.source.file_info(t)
        cap_html = _parse_fully(caption, ctx, frame) if caption else ""
        if info is None or not info.width:
            thumb = (f'<div class="thumb" style="height: {heights + 30}px;">'
                     f'{htmlspecialchars(t.text)}</div>')
        else:
            w = min(widths, info.width)
            h = int(round(info.height * w / info.width))
            if h > heights:
                h = heights
                w = int(round(info.width * h / info.height))
            src = info.thumb_url(w) if w < info.width else info.url
            srcset = []
            for mult, label in ((1.5, "1.5x"), (2, "2x")):
                rw = int(round(w * mult))
                if rw < info.width:
                    srcset.append(f"{info.thumb_url(rw)} {label}")
            ss = f' srcset="{htmlspecialchars(", ".join(srcset))}"' if srcset else ""
            margin = int((heights + 30 - h) / 2)
            href = htmlspecialchars(ctx.site.local_url(t.prefixed_dbkey))
            thumb = (f'<div class="thumb" style="width: {widths + 30}px;"><div style="margin:'
                     f'{margin}px auto;"><a href="{href}" class="image"><img alt="'
                     f'{htmlspecialchars(t.text)}" src="{htmlspecialchars(src)}" decoding="async" '
                     f'width="{w}" height="{h}"{ss} /></a></div></div>')
        out.append(f'\n\t\t<li class="gallerybox" style="width: {box}px"><div style="width: {box}px">'
                   f"\n\t\t\t{thumb}\n\t\t\t<div class=\"gallerytext\">{cap_html}\n\t\t\t</div>"
                   "\n\t\t</div></li>")
    out.append("\n</ul>")
    return "".join(out)


def default_tag_hooks() -> dict:
    return {"gallery": gallery_hook, "indicator": indicator_hook}
