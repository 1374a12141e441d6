"""``<gallery>``: the one implementation of MediaWiki's image galleries, in every mode.

Owns the ``<gallery>`` tag hook, as MediaWiki 1.39 keeps it in core (CoreTagHooks::gallery →
Parser::renderImageGallery, includes/gallery/*.php): the ``mode`` classes
``traditional`` (TraditionalImageGallery), ``nolines``, ``packed``, ``packed-hover``,
``packed-overlay`` and ``slideshow`` (drawn as a traditional grid: the slideshow itself is
JavaScript in MediaWiki too), the tag's ``caption``, ``widths``, ``heights``, ``perrow``,
``showfilename`` and ``<ul>`` attributes (``class``, ``style``, ``id``…, sanitized), and per
image ``alt=``, ``link=`` (page, URL or empty for no link) and the caption (the last part
that is not an option wins; the options are read after the line is parsed, so a piped
``[[link|text]]`` stays in the caption).

Thumbnails are fitted in the mode's box here (ImageHandler::normaliseParams, and the 1.5x/2x
boxes of Linker::processResponsiveImages for ``srcset``); the ``<img>`` and its link are
render_media's (the code of ``[[File:…]]``), so both are drawn alike. The hook is registered
on every parse by render_coretags.default_tag_hooks; the Gallery extension package is only
a compatibility name that registers nothing.

Both media markups are drawn: the legacy one (``<div style="margin:…">`` around the image) and,
when the site turns ``legacy_media_dom`` off, ``<span typeof="mw:File">`` with error spans.

Checked against a MediaWiki 1.39 (tests/data/gallery/*.html were rendered by it): captions
are half-parsed (the page's block pass gives them their ``<p>``), an image's alt and link
tooltip default to its caption, small images are scaled up to the box as MediaWiki does,
packed widths keep PHP's fractions. One deliberate difference: a gallery keeps at most
``MAX_IMAGES`` images (bounded work on hostile input).
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from wikiengine.namespaces import FILE

from .render_media import _IMAGE_ALIASES, _img_html, _link_params, _strip_alt, is_bad_image
from .sanitizer import htmlspecialchars, validate_tag_attributes

if TYPE_CHECKING:
    from .context import ParseContext

MAX_IMAGES = 1000
DEFAULT_SIZE = 120  # $wgGalleryOptions imageWidth / imageHeight
_WIDTH_PARAM = re.compile(r"^\s*([0-9]*)\s*(?:px)?\s*$")  # Parser::parseWidthParam
_MAX_DIGITS = 6  # sizes and perrow longer than this are not numbers a gallery can use
_LINE = re.compile(r"^([^|]+)(?:\|(.*))?$", re.S)


def _php_num(x: float) -> str:
    """A number as PHP prints it (``30``, ``29.5``, ``160.66666666667``)."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.14g}"


def _size_param(value: Any, default: int) -> int:
    """``widths``/``heights``: ``120``, ``120px``; anything else keeps the default."""
    m = _WIDTH_PARAM.match(str(value if value is not None else ""))
    if not m or not 0 < len(m.group(1).lstrip("0")) <= _MAX_DIGITS:
        return default
    return int(m.group(1))


class TraditionalGallery:
    """TraditionalImageGallery: a grid of fixed boxes, images centred in them."""

    thumb_padding = 30
    gb_padding = 5
    gb_borders = 8
    supports_perrow = True

    def __init__(self, mode: str, widths: int, heights: int) -> None:
        self.mode, self.widths, self.heights = mode, widths, heights

    def all_padding(self) -> int:
        return self.thumb_padding + self.gb_padding + self.gb_borders

    def thumb_box(self) -> tuple[int | float, int | float]:
        """The width×height box images are fitted in (getThumbParams)."""
        return self.widths, self.heights

    def vpad(self, thumb_h: int) -> str:
        return _php_num((self.thumb_padding + self.heights - thumb_h) / 2)

    def thumb_div_width(self, thumb_w: int) -> int | float:
        return self.widths + self.thumb_padding

    def gb_width(self, thumb_w: int | None) -> int | float:
        return self.widths + self.thumb_padding + self.gb_padding

    def display_size(self, w: int, h: int) -> tuple[int, int]:
        return w, h

    def wrap_text(self, text: str, thumb_w: int | None) -> str:
        return f'\n\t\t\t<div class="gallerytext">\n{text}\n\t\t\t</div>'


class NolinesGallery(TraditionalGallery):
    """NolinesImageGallery: no thumb padding nor borders, images at the top of their box."""

    thumb_padding = 0
    gb_borders = 4

    def vpad(self, thumb_h: int) -> str:
        return "0"


class SlideshowGallery(TraditionalGallery):
    """SlideshowImageGallery, drawn as its traditional fallback (its script is not shipped)."""


class PackedGallery(TraditionalGallery):
    """PackedImageGallery: rows of equal height, thumbnails made 1.5× for the script."""

    scale = 1.5
    thumb_padding = 0
    gb_padding = 2
    supports_perrow = False

    def thumb_box(self) -> tuple[int | float, int | float]:
        return (self.heights * 10 + 100) * self.scale, self.heights * self.scale

    def vpad(self, thumb_h: int) -> str:
        return _php_num((self.thumb_padding + self.heights - thumb_h / self.scale) / 2)

    def thumb_div_width(self, thumb_w: int | float) -> int | float:
        thumb_w = max(thumb_w, 60 * self.scale)  # captions need some room
        return thumb_w / self.scale + self.thumb_padding

    def gb_width(self, thumb_w: int | None) -> int | float:
        tw = thumb_w if thumb_w is not None else self.widths * self.scale
        return self.thumb_div_width(tw) + self.gb_padding

    def display_size(self, w: int, h: int) -> tuple[int, int]:
        return math.ceil(w / self.scale), math.ceil(h / self.scale)


class PackedOverlayGallery(PackedGallery):
    """PackedOverlayImageGallery (and packed-hover): captions over the image, none if empty."""

    def wrap_text(self, text: str, thumb_w: int | None) -> str:
        if text.strip() == "":
            return ""
        width = self.gb_width(thumb_w) - self.thumb_padding - self.gb_padding
        return (f'\n\t\t\t<div class="gallerytextwrapper" style="width: '
                f'{_php_num(math.ceil(width - 20))}px"><div class="gallerytext">\n{text}'
                "\n\t\t\t</div></div>")


MODES: dict[str, type[TraditionalGallery]] = {
    "traditional": TraditionalGallery, "nolines": NolinesGallery, "packed": PackedGallery,
    "packed-hover": PackedOverlayGallery, "packed-overlay": PackedOverlayGallery,
    "slideshow": SlideshowGallery,
}


def _option(part: str, names: tuple[str, ...]) -> str | None:
    """The value of ``name=value`` when ``part`` starts with one of ``names`` (case kept,
    as the img_alt/img_link magic words are case-sensitive)."""
    for name in names:
        if part.startswith(name):
            return part[len(name):]
    return None


def _option_names(ctx: "ParseContext", english: str) -> tuple[str, ...]:
    aliases = _IMAGE_ALIASES.get(ctx.site.language, {})
    return (english,) + tuple(k for k, v in aliases.items() if v == english)


def _item(ctx: "ParseContext", line: str) -> dict | None:
    """One gallery line: its title, caption HTML, alt, tooltip and link (renderImageGallery)."""
    m = _LINE.match(line)
    if not m:
        return None
    target = m.group(1)
    if "%" in line:
        target = unquote(target)
    title = ctx.make_title(target.strip(), FILE)
    if title is None:
        return None
    # any valid title is a gallery entry; only a local file has an image (else: its name)
    is_file = title.namespace == FILE and not title.interwiki
    info = ctx.source.file_info(title) if is_file else None
    item: dict[str, Any] = {"title": title, "info": info, "caption": "", "tooltip": "",
                            "alt": title.text, "is_file": is_file}
    rest = m.group(2)
    if rest is None:
        return item
    from .links import LinkHolders
    from .render import internal_parse
    from .render_coretags import expand
    holders = LinkHolders(ctx)
    parsed = internal_parse(expand(rest.strip(), ctx, None), ctx, holders, False)
    alt_names = _option_names(ctx, "alt=")
    link_names = _option_names(ctx, "link=")
    label, alt = "", None
    for part in parsed.split("|"):
        alt_value = _option(part, alt_names)
        link = _option(part, link_names) if alt_value is None else None
        if alt_value is not None:
            alt = _strip_alt(ctx, holders, alt_value)
        elif link is not None:
            item["link"] = _strip_alt(ctx, holders, link)
        elif not _handler_option(part, info):  # page=/lang= of a paged or SVG file: no caption
            label = part  # the last caption wins
    item["tooltip"] = _strip_alt(ctx, holders, label) if label else ""
    item["alt"] = alt if alt is not None else (item["tooltip"] or title.text)
    item["caption"] = holders.replace(label)
    return item


def _handler_option(part: str, info: Any) -> bool:
    if info is None:
        return False
    if part.startswith("page="):
        return info.pages > 1 and part[5:].strip().isdigit()
    return part.startswith("lang=") and info.is_vector and bool(part[5:].strip())


def _fit_box(info: Any, box_w: float, box_h: float) -> tuple[int, int]:
    """The thumbnail size of a file fitted in a box (ImageHandler::normaliseParams with
    fitBoxWidth); as in MediaWiki, a small image is scaled up to the box."""
    w = int(box_w)
    if box_w * info.height > box_h * info.width:
        ideal = info.width * box_h / info.height
        w = math.ceil(ideal)
        if _php_round(w * info.height / info.width) > box_h:
            w = math.floor(ideal)
        w = max(w, 1)
    return w, int(_php_round(info.height * w / info.width))


def _thumb_src(info: Any, w: int) -> str:
    return info.thumb_url(w) if w < info.width or info.is_vector else info.url


def _srcset(info: Any, box: tuple[float, float], w: int) -> str:
    """1.5x and 2x thumbnails of the same box scaled (Linker::processResponsiveImages)."""
    if not info.thumb_base:
        return ""
    src, urls = _thumb_src(info, w), []
    for mult, label in ((1.5, "1.5x"), (2, "2x")):
        url = _thumb_src(info, _fit_box(info, _php_round(box[0] * mult),
                                        _php_round(box[1] * mult))[0])
        if url != src:
            urls.append(f"{url} {label}")
    return ", ".join(urls)


def _php_round(x: float) -> int:
    """PHP's round(): halves away from zero."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def _thumb_html(ctx: "ParseContext", gallery: TraditionalGallery,
                item: dict) -> tuple[str, int | None]:
    """The ``<div class="thumb">`` of one image and the thumbnail's width (None: no image),
    in the legacy media markup or, when the site turns it off, the ``typeof="mw:File"`` one."""
    title, info = item["title"], item["info"]
    legacy = ctx.site.extra.get("legacy_media_dom", True)
    if item["is_file"]:
        ctx.output.images[title.dbkey] = True
    pad_height = gallery.thumb_padding + gallery.heights
    box = gallery.thumb_box()
    missing = info is None or not info.width or not info.height
    if info is None:  # TraditionalImageGallery: no such file (or not a local file title)
        from .magicwords import add_tracking_category
        add_tracking_category(ctx, "broken-file-category")
    if missing or is_bad_image(ctx, title):
        if not legacy:
            inner = _broken_media(ctx, title, box, exists=not missing)
        elif missing:
            inner = htmlspecialchars(title.text)
        else:
            href = htmlspecialchars(ctx.site.local_url(title.prefixed_dbkey))
            inner = (f'<a href="{href}" title="{htmlspecialchars(title.prefixed_text)}">'
                     f"{htmlspecialchars(title.text)}</a>")
        return f'<div class="thumb" style="height: {pad_height}px;">{inner}</div>', None
    w, h = _fit_box(info, *box)
    link = _link_params(ctx, title, {"link": item["link"]} if "link" in item else {})
    if not legacy and link is not None and link.get("class") == "image":
        link = dict(link, **{"class": "mw-file-description"})
    img = _img_html(info, w, h, item["alt"], item["tooltip"], "", None, link,
                    gallery.display_size(w, h), _srcset(info, box, w))
    style = f"width: {_php_num(gallery.thumb_div_width(w))}px;"
    if legacy:
        inner = f'<div style="margin:{gallery.vpad(h)}px auto;">{img}</div>'
    else:
        if link is None:  # ThumbnailImage::toHtml wraps an unlinked image in a span
            img = f"<span>{img}</span>"
        inner = f'<span typeof="mw:File">{img}</span>'
        if gallery.mode == "traditional":
            style += f" height: {pad_height}px;"
    return f'<div class="thumb" style="{style}">{inner}</div>', w


def _broken_media(ctx: "ParseContext", title: Any, box: tuple[float, float],
                  exists: bool) -> str:
    """Linker::makeBrokenImageLinkObj in the new media markup: an upload link for a missing
    file, the file page for one shown as a link only (a bad image)."""
    from .site import wfurlencode
    text = htmlspecialchars(title.prefixed_text, False)
    label = (f'<span class="mw-broken-media" data-width="{_php_num(box[0])}" '
             f'data-height="{_php_num(box[1])}">{text}</span>')
    if exists:
        href = ctx.site.local_url(title.prefixed_dbkey)
        link = (f'<a href="{htmlspecialchars(href)}" '
                f'title="{htmlspecialchars(title.prefixed_text)}">')
    else:
        href = ctx.site.local_url("Special:Upload", "wpDestFile=" + wfurlencode(title.dbkey))
        link = (f'<a href="{htmlspecialchars(href)}" class="new" '
                f'title="{htmlspecialchars(title.prefixed_text)}">')
    return f'<span typeof="mw:Error mw:File">{link}{label}</a></span>'


def _ul_attributes(attrs: dict, gallery: TraditionalGallery, mode: str, perrow: int) -> str:
    """``<ul>`` attributes: the gallery classes merged with the tag's valid ones."""
    valid = validate_tag_attributes({k: str(v) for k, v in attrs.items()}, "ul")
    classes = f"gallery mw-gallery-{mode}"
    if valid.get("class"):
        classes += " " + valid.pop("class")
    out = {"class": classes}
    if mode == "slideshow":  # SlideshowImageGallery::setAdditionalOptions
        valid["data-showthumbnails"] = "1" if "showthumbnails" in attrs else ""
    if perrow > 0 and gallery.supports_perrow:
        width = perrow * (gallery.widths + gallery.all_padding())
        valid["style"] = f"max-width: {width}px;" + valid.get("style", "")
    valid.pop("class", None)
    out.update(valid)
    return "".join(f' {k}="{htmlspecialchars(v)}"' for k, v in out.items())


def gallery_hook(content: Any, attrs: dict, ctx: "ParseContext", frame: Any) -> str:
    """``<gallery>``: one ``File:Name|options|caption`` per line.

    Captions are parsed outside the calling template's frame, as renderImageGallery does:
    ``{{{1}}}`` in a gallery of a template stays as written (``{{#tag:gallery|…}}`` is the
    way to pass parameters)."""
    mode = str(attrs.get("mode") or "traditional").strip().lower()
    if mode not in MODES:
        mode = "traditional"
    widths = _size_param(attrs.get("widths"), DEFAULT_SIZE)
    heights = _size_param(attrs.get("heights"), DEFAULT_SIZE)
    gallery = MODES[mode](mode, widths, heights)
    m = re.match(r"\s*0*([0-9]{1,%d})(?![0-9])" % _MAX_DIGITS,  # PHP's (int) cast, bounded
                 str(attrs.get("perrow", "")))
    perrow = int(m.group(1)) if m else 0
    items = []
    for line in (content or "").split("\n"):
        if len(items) >= MAX_IMAGES:
            break
        item = _item(ctx, line)
        if item is not None:
            items.append(item)
    from .render_coretags import parse_half
    out = [f"<ul{_ul_attributes(attrs, gallery, mode, perrow)}>"]
    if attrs.get("caption"):
        out.append(f'\n\t<li class="gallerycaption">{parse_half(attrs["caption"], ctx, None)}'
                   "</li>")
    show_filename = "showfilename" in attrs
    legacy = ctx.site.extra.get("legacy_media_dom", True)
    for item in items:
        thumb, thumb_w = _thumb_html(ctx, gallery, item)
        title = item["title"]
        name = ""
        if show_filename:
            href = htmlspecialchars(ctx.site.local_url(title.prefixed_dbkey))
            name = (f'<a href="{href}" class="galleryfilename galleryfilename-truncate" '
                    f'title="{htmlspecialchars(title.prefixed_text)}">'
                    f"{htmlspecialchars(title.text)}</a>\n")
        box = _php_num(gallery.gb_width(thumb_w))
        text = gallery.wrap_text(name + item["caption"], thumb_w)
        if legacy:  # the inner div was for Firefox 2
            out.append(f'\n\t\t<li class="gallerybox" style="width: {box}px"><div style="width: '
                       f'{box}px">\n\t\t\t{thumb}{text}\n\t\t</div></li>')
        else:
            out.append(f'\n\t\t<li class="gallerybox" style="width: {box}px">\n\t\t\t{thumb}'
                       f"{text}\n\t\t</li>")
    out.append("\n</ul>")
    return "".join(out)
