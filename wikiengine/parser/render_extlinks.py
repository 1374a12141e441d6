"""External links: [url text], numbered [url], free URLs, magic links (ISBN, RFC, PMID).

Ports Parser::handleExternalLinks, makeFreeExternalLink, handleMagicLinks,
maybeMakeExternalImage and Linker::makeExternalLink (REL1_39).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .links import split_trail
from .sanitizer import clean_url, htmlspecialchars

if TYPE_CHECKING:
    from .context import ParseContext

_ZS = "\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
EXT_LINK_URL_CLASS = "[^\\]\\[<>\"\\x00-\\x20\\x7F" + _ZS + "\ufffd]"
EXT_LINK_ADDR = r"(?:[0-9.]+|\[(?i:[0-9a-f:.]+)\]|" + EXT_LINK_URL_CLASS + ")"
_EXT_IMAGE = re.compile(
    r"^(http://|https://)((?:\[(?i:[0-9a-f:.]+)\])?" + EXT_LINK_URL_CLASS[:-1] + "]+)/"
    r"([A-Za-z0-9_.,~%\-+&;#*?!=()@\u0080-\U0010ffff]+)\.((?i:gif|png|jpg|jpeg))$")
_SPACE_NOT_NL = r"(?:\t|&nbsp;|&\#0*160;|&\#[Xx]0*[Aa]0;|[" + _ZS.replace("\u0020", "\\x20") + "])"

_CACHE: dict[tuple[str, ...], tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {}


def _regexes(ctx: "ParseContext") -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    key = ctx.site.url_protocols
    r = _CACHE.get(key)
    if r is None:
        prots = "|".join(re.escape(p) for p in key)
        prots_noprot = "|".join(re.escape(p) for p in key if p != "//")
        bracketed = re.compile(
            r"\[((?i:" + prots + ")" + EXT_LINK_ADDR + EXT_LINK_URL_CLASS + "*)[" + _ZS + "]*"
            r"([^\]\x00-\x08\x0a-\x1F\ufffd]*?)\]")
        spdash = "(?:-|" + _SPACE_NOT_NL + ")"
        magic = re.compile(
            r"(<a[ \t\r\n>].*?</a>)|(<.*?>)|"
            r"(\b(?i:" + prots_noprot + ")(" + EXT_LINK_ADDR + EXT_LINK_URL_CLASS + "*))|"
            r"\b(?:RFC|PMID)" + _SPACE_NOT_NL + "+([0-9]+)\\b|"
            r"\bISBN" + _SPACE_NOT_NL + "+((?:97[89]" + spdash + "?)?(?:[0-9]" + spdash + "?){9}[0-9Xx])\\b",
            re.S)
        starts = re.compile("^(?:" + prots_noprot + ")")
        r = (bracketed, magic, starts)
        _CACHE[key] = r
    return r


def external_link_rel(ctx: "ParseContext", url: str) -> str | None:
    if not ctx.site.nofollow:
        return None
    host = re.match(r"^(?:[a-z][a-z0-9+.\-]*:)?//([^/:?#]*)", url, re.I)
    if host:
        h = host.group(1).lower()
        for d in ctx.site.nofollow_exceptions:
            d = d.lower()
            if h == d or h.endswith("." + d):
                return None
    return "nofollow"


def make_external_link(ctx: "ParseContext", url: str, text: str, escape: bool = True,
                       linktype: str = "", extra_class: str = "") -> str:
    cls = "external" + (f" {linktype}" if linktype else "") + (f" {extra_class}" if extra_class else "")
    if escape:
        text = htmlspecialchars(text, False)
    rel = external_link_rel(ctx, url)
    target = ctx.options.external_link_target or ctx.site.external_link_target
    attrs = ""
    if target:
        attrs += f' target="{htmlspecialchars(target)}"'
        if target not in ("_self", "_parent", "_top"):
            rel = (rel + " " if rel else "") + "noreferrer noopener"
    rel_attr = f' rel="{rel}"' if rel else ""
    if extra_class:  # no attributes given: "class" comes first (Linker::makeExternalLink)
        return f'<a class="{cls}"{rel_attr}{attrs} href="{htmlspecialchars(url)}">{text}</a>'
    return f'<a{rel_attr} class="{cls}"{attrs} href="{htmlspecialchars(url)}">{text}</a>'


def maybe_make_external_image(ctx: "ParseContext", url: str) -> str | None:
    if ctx.site.allow_external_images and _EXT_IMAGE.match(url):
        alt = url.rsplit("/", 1)[-1] if "/" in url else url
        return f'<img src="{htmlspecialchars(url)}" alt="{htmlspecialchars(alt)}" />'
    return None


_CLOSE_BRACKET = re.compile(r"\]")


def _bracketed_matches(text: str, bracketed: re.Pattern[str]):
    """The bracketed links of ``text`` in order, in linear time: a link ends at the first
    "]" after its "[" (neither the URL nor the label may contain "]")."""
    closes = [m.start() for m in _CLOSE_BRACKET.finditer(text)]
    if not closes:
        return
    import bisect
    pos = 0
    while True:
        i = text.find("[", pos)
        if i == -1:
            return
        k = bisect.bisect_left(closes, i)
        if k == len(closes):
            return
        m = None
        for j in closes[k:k + 3]:  # an IPv6 host ("[...]") puts a "]" inside the URL
            m = bracketed.match(text, i, j + 1)
            if m is not None and m.end() == j + 1:
                break
            m = None
        if m is not None:
            yield m
            pos = m.end()
        else:
            pos = i + 1


def replace_external_links(text: str, ctx: "ParseContext") -> str:
    """[url text] and [url] (numbered) links."""
    if "[" not in text or "]" not in text:
        return text
    bracketed = _regexes(ctx)[0]
    matches = list(_bracketed_matches(text, bracketed))
    if not matches:
        return text
    pos = 0
    out: list[str] = []
    for idx, m in enumerate(matches):
        out.append(text[pos:m.start()])
        pos = m.end()
        url, label = m.group(1), m.group(2)
        mm = re.search(r"&(lt|gt);", url)
        if mm:
            label = url[mm.start():] + " " + label
            url = url[:mm.start()]
        img = maybe_make_external_image(ctx, label)
        if img is not None:
            label = img
        linktype = "text"
        dtrail = ""
        trail_start = pos
        if label == "":
            ctx.ext_state["autonumber"] = ctx.ext_state.get("autonumber", 0) + 1
            label = f"[{ctx.ext_state['autonumber']}]"
            linktype = "autonumber"
        else:
            end = matches[idx + 1].start() if idx + 1 < len(matches) else len(text)
            dtrail, _rest = split_trail(text[pos:end], ctx.site.language)
            trail_start = pos + len(dtrail)
        url = clean_url(url)
        out.append(make_external_link(ctx, url, label, False, linktype) + dtrail)
        pos = trail_start
        ctx.output.add_external_link(url)
    out.append(text[pos:])
    return "".join(out)


_AMP_END = re.compile(r"&(lt|gt|nbsp|#x0*(3[CcEe]|[Aa]0)|#0*(60|62|160));")
_ENT_TAIL = re.compile(r"&([a-z]+|#x[\da-f]+|#\d+)$", re.I)


def make_free_external_link(ctx: "ParseContext", url: str, num_post_proto: int) -> str:
    trail = ""
    m = _AMP_END.search(url)
    if m:
        trail = url[m.start():] + trail
        url = url[:m.start()]
    sep = ",;.:!?\\"  # MediaWiki's ',;\.:!?' keeps the backslash
    if "(" not in url:
        sep += ")"
    num = 0
    for ch in reversed(url):
        if ch in sep:
            num += 1
        else:
            break
    if num and url[len(url) - num] == ";":
        if _ENT_TAIL.search(url[:len(url) - num]):
            num -= 1
    if num:
        trail = url[-num:] + trail
        url = url[:-num]
    if len(trail) >= num_post_proto:
        return url + trail
    url = clean_url(url)
    img = maybe_make_external_image(ctx, url)
    if img is not None:
        return img + trail
    ctx.output.add_external_link(url)
    return make_external_link(ctx, url, url, True, "free") + trail


def do_magic_links(text: str, ctx: "ParseContext") -> str:
    """Free URLs and ISBN/RFC/PMID magic links."""
    _, magic, _ = _regexes(ctx)
    enabled = ctx.site.enable_magic_links

    def repl(m: re.Match[str]) -> str:
        if m.group(1) or m.group(2):
            return m.group(0)
        if m.group(3):
            return make_free_external_link(ctx, m.group(0), len(m.group(4)))
        if m.group(5):
            whole = m.group(0)
            num = m.group(5)
            if whole.startswith("RFC"):
                if not enabled.get("RFC"):
                    return whole
                url = f"https://tools.ietf.org/html/rfc{num}"
                return make_external_link(ctx, url, f"RFC {num}", True, "", "mw-magiclink-rfc")
            if not enabled.get("PMID"):
                return whole
            url = f"//www.ncbi.nlm.nih.gov/pubmed/{num}?dopt=Abstract"
            return make_external_link(ctx, url, f"PMID {num}", True, "", "mw-magiclink-pmid")
        if m.group(6) and enabled.get("ISBN"):
            isbn = re.sub(_SPACE_NOT_NL, " ", m.group(6))
            num = isbn.replace("-", "").replace(" ", "").replace("x", "X")
            href = ctx.site.local_url("Special:BookSources/" + num)
            return (f'<a href="{htmlspecialchars(href)}" class="internal mw-magiclink-isbn">'
                    f"ISBN {isbn}</a>")
        return m.group(0)

    return magic.sub(repl, text)
