"""Images: [[File:Name|options|caption]] in MediaWiki's legacy media markup.

Ports Parser::makeImage (option parsing) and Linker::makeImageLink/makeThumbLink2/
makeBrokenImageLinkObj with ThumbnailImage::toHtml (REL1_39, legacy media DOM), plus the
new media DOM (``<span typeof="mw:File">``) when the site turns legacy markup off.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .render_i18n import msg
from .sanitizer import htmlspecialchars, strip_all_tags

if TYPE_CHECKING:
    from .context import ParseContext
    from .links import LinkHolders

_SIZE = re.compile(r"^\s*(\d*)\s*(?:x\s*(\d+))?\s*px\s*$")
_ALIGN = {"left", "right", "center", "centre", "none"}
_VALIGN = {"baseline", "sub", "super", "top", "text-top", "middle", "bottom", "text-bottom"}
_THUMB = {"thumbnail", "thumb"}
_FRAMED = {"framed", "frame", "enframed"}


#: Localised image options (MessagesFr.php): word -> English word, "prefix=" -> "prefix=".
_IMAGE_ALIASES: dict[str, dict[str, str]] = {
    "fr": {
        "vignette": "thumb", "droite": "right", "gauche": "left", "néant": "none",
        "centré": "center", "cadre": "frame", "encadré": "frame", "sans_cadre": "frameless",
        "non_encadré": "frameless", "non-encadré": "frameless", "redresse": "upright",
        "bordure": "border", "ligne-de-base": "baseline", "indice": "sub", "exposant": "super",
        "haut": "top", "texte-haut": "text-top", "milieu": "middle", "bas": "bottom",
        "texte-bas": "text-bottom",
        "vignette=": "thumb=", "redresse=": "upright=", "lien=": "link=",
        "alternative=": "alt=", "classe=": "class=", "langue=": "lang=",
    },
}


def _localised_option(p: str, aliases: dict[str, str]) -> str:
    low = p.lower()
    if low in aliases:
        return aliases[low]
    if "=" in p:
        key, value = p.split("=", 1)
        repl = aliases.get(key.strip().lower() + "=")
        if repl:
            return repl + value
    return p


def is_bad_image(ctx: "ParseContext", nt: Any) -> bool:
    bad = ctx.ext_state.get("bad_images")
    return bool(bad) and nt.dbkey in bad


def _parse_options(parts: list[str], ctx: "ParseContext") -> tuple[dict, dict, str]:
    frame: dict[str, Any] = {}
    handler: dict[str, Any] = {}
    caption = ""
    aliases = _IMAGE_ALIASES.get(ctx.site.language)
    for part in parts:
        p = part.strip()
        if aliases:
            p = _localised_option(p, aliases)
        low = p.lower()
        if low in _THUMB:
            frame["thumbnail"] = True
        elif low.startswith(("thumbnail=", "thumb=")):
            frame["manualthumb"] = p.split("=", 1)[1]
        elif low in _FRAMED:
            frame["framed"] = True
        elif low == "frameless":
            frame["frameless"] = True
        elif low == "border":
            frame["border"] = True
        elif low == "upright":
            frame["upright"] = 0
        elif low.startswith("upright=") or low.startswith("upright "):
            try:
                frame["upright"] = float(p.split("=", 1)[1].strip()) if "=" in p else 0
            except ValueError:
                caption = part
        elif low in _ALIGN:
            frame["align"] = "center" if low == "centre" else low
        elif low in _VALIGN:
            frame["valign"] = low
        elif low.startswith("link="):
            frame["link"] = p[5:]
        elif low.startswith("alt="):
            frame["alt"] = strip_all_tags(ctx.strip.unstrip_both(part.split("=", 1)[1]))
        elif low.startswith("class="):
            frame["class"] = p[6:]
        elif low.startswith("page="):
            handler["page"] = p[5:]
        elif low.startswith("lang="):
            handler["lang"] = p[5:]
        elif _SIZE.match(p) and (_SIZE.match(p).group(1) or _SIZE.match(p).group(2)):
            m = _SIZE.match(p)
            assert m is not None
            if m.group(1):
                handler["width"] = int(m.group(1))
            if m.group(2):
                handler["height"] = int(m.group(2))
        else:
            caption = part
    return frame, handler, caption


def _scale_height(src_w: int, src_h: int, w: int) -> int:
    if src_w <= 0:
        return 0
    return int(round(src_h * w / src_w))


def _fit(info: Any, handler: dict) -> tuple[int, int]:
    """Width and height for the requested box (File::transform with the bitmap handler)."""
    w = handler.get("width") or info.width
    if "height" in handler and info.height:
        hw = int(round(info.width * handler["height"] / info.height))
        if not handler.get("width") or hw < w:
            w = hw
    if not info.is_vector and info.width and w > info.width:
        w = info.width
    return w, _scale_height(info.width, info.height, w)


def make_image(ctx: "ParseContext", nt: Any, options: str, holders: "LinkHolders") -> str:
    """HTML for an embedded image or file link."""
    parts = options.split("|") if options else []
    frame, handler, caption = _parse_options(parts, ctx)
    ctx.output.images[nt.dbkey] = True
    info = ctx.source.file_info(nt)
    if info is None:  # Parser::makeImage: no such file
        from .magicwords import add_tracking_category
        add_tracking_category(ctx, "broken-file-category")
    if info is not None and "page" in handler:  # a page of a PDF (PdfHandler); out of range: page 1
        info = info.for_page(handler["page"])
    framed = bool(frame.get("thumbnail") or frame.get("manualthumb") or frame.get("framed"))
    if framed:
        if caption == "" and "alt" not in frame:
            frame["alt"] = nt.text
        frame.setdefault("title", "")
    else:
        if "alt" not in frame:
            frame["alt"] = _strip_alt(ctx, holders, caption) if caption else nt.text
        frame["title"] = _strip_alt(ctx, holders, caption)
    frame["caption"] = caption
    link_attrs = _link_params(ctx, nt, frame)
    if link_attrs and "link" not in frame and "page" in handler and info is not None \
            and info.is_pdf:  # Linker's desc-query: the description page at that page
        link_attrs["href"] = ctx.site.local_url(nt.prefixed_dbkey, f"page={info.page}")
    default_size = "width" not in handler and "height" not in handler
    if info is not None and "width" not in handler and info.width:
        handler["width"] = info.width
        handler["_auto"] = True
    if info is not None and (framed or frame.get("frameless") or not handler.get("width")):
        if handler.get("_auto") or not handler.get("width"):
            base = ctx.site.thumb_limit
            upright = frame.get("upright")
            if upright is not None and upright == 0:
                upright = 0.75
            pref = int(round(base * upright, -1)) if upright is not None else base
            if "height" not in handler and (handler.get("width", 0) <= 0 or pref < handler["width"]
                                            or info.is_vector):
                handler["width"] = pref
    if not ctx.site.extra.get("legacy_media_dom", True):
        return _new_dom(ctx, nt, info, frame, handler, link_attrs, framed, default_size)
    if framed:
        return _thumb(ctx, nt, info, frame, handler, link_attrs)
    if info is None or not info.can_render:
        html = _broken(ctx, nt, frame.get("title") or "", info)
    else:
        if frame.get("frameless") and info.width and handler.get("width", 0) > info.width \
                and not info.is_vector:
            handler["width"] = info.width
        w, h = _fit(info, handler)
        cls = frame.get("class", "")
        if frame.get("border"):
            cls = (cls + " " if cls else "") + "thumbborder"
        html = _img_html(info, w, h, frame.get("alt", ""), frame.get("title", ""), cls,
                         frame.get("valign"), link_attrs)
    if frame.get("align") == "center":
        html = f'<div class="center"><div class="floatnone">{html}</div></div>'
    elif frame.get("align"):
        html = f'<div class="float{frame["align"]}">{html}</div>'
    return html


def _strip_alt(ctx: "ParseContext", holders: "LinkHolders", caption: str) -> str:
    tip = holders.replace_text(caption)
    tip = ctx.strip.unstrip_both(tip)
    return strip_all_tags(tip)


def _link_params(ctx: "ParseContext", nt: Any, frame: dict) -> dict | None:
    if "link" not in frame:
        return {"href": ctx.site.local_url(nt.prefixed_dbkey), "class": "image"}
    link = frame["link"]
    if link == "":
        return None
    from .render_extlinks import external_link_rel
    if re.match(r"^(?:" + "|".join(re.escape(p) for p in ctx.site.url_protocols) + ")", link, re.I):
        attrs = {"href": link}
        rel = external_link_rel(ctx, link)
        if rel:
            attrs["rel"] = rel
        ctx.output.add_external_link(link)
        return attrs
    t = ctx.make_title(link)
    if t is None:
        return {"href": ctx.site.local_url(nt.prefixed_dbkey), "class": "image"}
    from .links import title_url
    ctx.output.add_link(t)
    return {"href": title_url(ctx, t), "title": t.full_text}


def _srcset(info: Any, w: int) -> str:
    """1.5x and 2x thumbnails (Linker::processResponsiveImages): a bitmap's up to its own
    size, then the file itself; a drawing's are PNG renderings at any width."""
    if not info.thumb_base:
        return ""
    urls = []
    for mult, label in ((1.5, "1.5x"), (2, "2x")):
        rw = int(round(w * mult))
        if rw < info.width or info.is_vector:
            urls.append(f"{info.thumb_url(rw)} {label}")
        elif w < info.width:
            urls.append(f"{info.url} {label}")
            break
    return ", ".join(urls)


def _img_html(info: Any, w: int, h: int, alt: str, title: str, cls: str, valign: Any,
              link: dict | None, display: tuple[int, int] | None = None,
              srcset: str | None = None) -> str:
    """``<img>`` of the w×h thumbnail (``display``: other width/height attributes, as
    ThumbnailImage's override-width/override-height; ``srcset``: the caller's own), in its
    link when there is one."""
    src = info.thumb_url(w) if w < info.width or info.is_vector else info.url
    dw, dh = display or (w, h)
    attrs = [f'alt="{htmlspecialchars(alt)}"', f'src="{htmlspecialchars(src)}"',
             'decoding="async"', f'width="{dw}"', f'height="{dh}"']
    if valign:
        attrs.append(f'style="vertical-align: {valign}"')
    if cls:
        attrs.append(f'class="{htmlspecialchars(cls)}"')
    if srcset is None:
        srcset = _srcset(info, w)
    if srcset:
        attrs.append(f'srcset="{htmlspecialchars(srcset)}"')
    img = "<img " + " ".join(attrs) + " />"
    if link is None:
        if title:
            img = img[:-3] + f' title="{htmlspecialchars(title)}" />'
        return img
    la = dict(link)
    if title:  # the caption's tooltip wins over a link target's title
        la["title"] = title
    a = " ".join(f'{k}="{htmlspecialchars(v)}"' for k, v in la.items())
    return f"<a {a}>{img}</a>"


def _broken(ctx: "ParseContext", nt: Any, label: str, info: Any) -> str:
    from .site import wfurlencode
    href = ctx.site.local_url("Special:Upload", "wpDestFile=" + wfurlencode(nt.dbkey))
    if info is not None:
        href = ctx.site.local_url(nt.prefixed_dbkey)
    label = label or nt.prefixed_text
    return (f'<a href="{htmlspecialchars(href)}" class="new" '
            f'title="{htmlspecialchars(nt.prefixed_text)}">{htmlspecialchars(label, False)}</a>')


def _thumb(ctx: "ParseContext", nt: Any, info: Any, frame: dict, handler: dict,
           link: dict | None) -> str:
    align = frame.get("align") or "right"
    exists = info is not None and info.can_render
    if not exists:
        width = handler.get("width") or (130 if "upright" in frame else 180)
        outer = width + 2
        inner = _broken(ctx, nt, frame.get("title") or "", info)
        zoom = ""
    else:
        if frame.get("framed"):
            w, h = info.width, info.height
        else:
            if info.width and handler.get("width", 0) > info.width and not info.is_vector:
                handler["width"] = info.width
            w, h = _fit(info, handler)
        outer = w + 2
        cls = (frame["class"] + " " if frame.get("class") else "") + "thumbimage"
        inner = _img_html(info, w, h, frame.get("alt", ""), frame.get("title", ""), cls, None, link)
        if frame.get("framed"):
            zoom = ""
        else:
            href = htmlspecialchars(ctx.site.local_url(nt.prefixed_dbkey))
            more = htmlspecialchars(msg(ctx.options.interface_language, "thumbnail-more"))
            zoom = f'<div class="magnify"><a href="{href}" class="internal" title="{more}"></a></div>'
    s = (f'<div class="thumb t{align}"><div class="thumbinner" style="width:{outer}px;">'
         f'{inner}  <div class="thumbcaption">{zoom}{frame.get("caption", "")}</div></div></div>')
    return s.replace("\n", " ")


def _new_dom(ctx: "ParseContext", nt: Any, info: Any, frame: dict, handler: dict,
             link: dict | None, framed: bool, default_size: bool) -> str:
    """The media markup of $wgParserEnableLegacyMediaDOM = false (MediaWiki 1.39)."""
    if frame.get("framed"):
        rdfa = "mw:File/Frame"
    elif frame.get("thumbnail") or frame.get("manualthumb"):
        rdfa = "mw:File/Thumb"
    elif frame.get("frameless"):
        rdfa = "mw:File/Frameless"
    else:
        rdfa = "mw:File"
    classes = []
    if default_size:
        classes.append("mw-default-size")
    align = frame.get("align")
    if align:
        classes.insert(0, f"mw-halign-{align}")
    if frame.get("border"):
        classes.append("mw-image-border")
    if info is None or not info.can_render:
        rdfa = "mw:Error " + rdfa
        from .site import wfurlencode
        href = ctx.site.local_url("Special:Upload", "wpDestFile=" + wfurlencode(nt.dbkey))
        inner = (f'<a href="{htmlspecialchars(href)}" class="new" '
                 f'title="{htmlspecialchars(nt.prefixed_text)}"><span class="mw-broken-media">'
                 f"{htmlspecialchars(nt.prefixed_text, False)}</span></a>")
    else:
        if frame.get("framed"):
            w, h = info.width, info.height
        else:
            if info.width and handler.get("width", 0) > info.width and not info.is_vector \
                    and (framed or frame.get("frameless")):
                handler["width"] = info.width
            w, h = _fit(info, handler)
        if link is not None and link.get("class") == "image":
            link = dict(link, **{"class": "mw-file-description"})
        inner = _img_html(info, w, h, frame.get("alt", ""), "" if framed else frame.get("title", ""),
                          frame.get("class", ""), frame.get("valign"), link)
    cls = f' class="{" ".join(classes)}"' if classes else ""
    if framed:
        return (f'<figure{cls} typeof="{rdfa}">{inner}<figcaption>{frame.get("caption", "")}'
                "</figcaption></figure>")
    return f'<span{cls} typeof="{rdfa}">{inner}</span>'
