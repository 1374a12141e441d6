"""Sanitizer: which HTML tags and attributes wikitext may use, and how they are cleaned.

A port of MediaWiki's includes/parser/Sanitizer.php (REL1_39): ``remove_html_tags``
(internalRemoveHtmlTags), attribute decoding/validation/encoding, the CSS check, id and
class escaping for the legacy and html5 fragment modes, character references, URL
cleaning. Nothing that reaches the output escapes this module's checks: no <script>,
no on* attributes, no javascript: URLs.
"""
from __future__ import annotations

import html.entities
import re
import urllib.parse

# -- tag tables ------------------------------------------------------------------------
HTML_PAIRS = frozenset("""b bdi del i ins u font big small sub sup h1 h2 h3 h4 h5 h6 cite code
    em s strike strong tt var div center blockquote ol ul dl table caption pre ruby rb rp rt
    rtc p span abbr dfn kbd samp data time mark""".split())
HTML_SINGLE = frozenset("br wbr hr li dt dd meta link".split())
HTML_SINGLE_ONLY = frozenset("br wbr hr meta link".split())
HTML_NEST = frozenset("""table tr td th div blockquote ol ul li dl dt dd font big small sub
    sup span var kbd samp em strong q ruby bdo""".split())
TABLE_TAGS = frozenset("td th tr".split())
HTML_ELEMENTS = HTML_SINGLE | HTML_PAIRS | HTML_NEST

_COMMON = ["id", "class", "style", "lang", "dir", "title", "tabindex", "aria-describedby",
           "aria-flowto", "aria-hidden", "aria-label", "aria-labelledby", "aria-level",
           "aria-owns", "role", "about", "property", "resource", "datatype", "typeof",
           "itemid", "itemprop", "itemref", "itemscope", "itemtype"]
_BLOCK = _COMMON + ["align"]
_TABLEALIGN = ["align", "valign"]
_TABLECELL = ["abbr", "axis", "headers", "scope", "rowspan", "colspan", "nowrap", "width",
              "height", "bgcolor"]


def _a(*lists: list[str]) -> frozenset[str]:
    return frozenset(x for lst in lists for x in lst)


ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "div": _a(_BLOCK), "center": _a(_COMMON), "span": _a(_COMMON),
    "h1": _a(_BLOCK), "h2": _a(_BLOCK), "h3": _a(_BLOCK), "h4": _a(_BLOCK), "h5": _a(_BLOCK),
    "h6": _a(_BLOCK), "bdo": _a(_COMMON), "em": _a(_COMMON), "strong": _a(_COMMON),
    "cite": _a(_COMMON), "dfn": _a(_COMMON), "code": _a(_COMMON), "samp": _a(_COMMON),
    "kbd": _a(_COMMON), "var": _a(_COMMON), "abbr": _a(_COMMON),
    "blockquote": _a(_COMMON, ["cite"]), "q": _a(_COMMON, ["cite"]),
    "sub": _a(_COMMON), "sup": _a(_COMMON), "p": _a(_BLOCK), "br": _a(_COMMON, ["clear"]),
    "wbr": _a(_COMMON), "pre": _a(_COMMON, ["width"]),
    "ins": _a(_COMMON, ["cite", "datetime"]), "del": _a(_COMMON, ["cite", "datetime"]),
    "ul": _a(_COMMON, ["type"]), "ol": _a(_COMMON, ["type", "start", "reversed"]),
    "li": _a(_COMMON, ["type", "value"]), "dl": _a(_COMMON), "dd": _a(_COMMON),
    "dt": _a(_COMMON),
    "table": _a(_COMMON, ["summary", "width", "border", "frame", "rules", "cellspacing",
                          "cellpadding", "align", "bgcolor"]),
    "caption": _a(_BLOCK), "thead": _a(_COMMON), "tfoot": _a(_COMMON), "tbody": _a(_COMMON),
    "colgroup": _a(_COMMON, ["span"]), "col": _a(_COMMON, ["span"]),
    "tr": _a(_COMMON, ["bgcolor"], _TABLEALIGN),
    "td": _a(_COMMON, _TABLECELL, _TABLEALIGN), "th": _a(_COMMON, _TABLECELL, _TABLEALIGN),
    "a": _a(_COMMON, ["href", "rel", "rev"]),
    "img": _a(_COMMON, ["alt", "src", "width", "height", "srcset"]),
    "audio": _a(_COMMON, ["controls", "preload", "width", "height"]),
    "video": _a(_COMMON, ["poster", "controls", "preload", "width", "height"]),
    "source": _a(_COMMON, ["type", "src"]),
    "track": _a(_COMMON, ["type", "src", "srclang", "kind", "label"]),
    "tt": _a(_COMMON), "b": _a(_COMMON), "i": _a(_COMMON), "big": _a(_COMMON),
    "small": _a(_COMMON), "strike": _a(_COMMON), "s": _a(_COMMON), "u": _a(_COMMON),
    "font": _a(_COMMON, ["size", "color", "face"]), "hr": _a(_COMMON, ["width"]),
    "ruby": _a(_COMMON), "rb": _a(_COMMON), "rp": _a(_COMMON), "rt": _a(_COMMON),
    "rtc": _a(_COMMON), "math": _a(["class", "style", "id", "title"]),
    "figure": _a(_COMMON), "figcaption": _a(_COMMON), "bdi": _a(_COMMON),
    "data": _a(_COMMON, ["value"]), "time": _a(_COMMON, ["datetime"]), "mark": _a(_COMMON),
    "meta": _a(["itemprop", "content"]), "link": _a(["itemprop", "href", "title"]),
    "aside": _a(_COMMON),
}

# -- regexes ---------------------------------------------------------------------------
_ELEMENT_BITS = re.compile(
    r"^(/?)([A-Za-z][^\t\n\x0b\x0c\r />\0]*)([^>]*?)(/?>)([^<]*)$", re.S)
EVIL_URI = re.compile(r"(^|\s|\*/\s*)(javascript|vbscript)([^\w]|$)", re.I)
_XMLNS = re.compile(r"^xmlns:[:A-Z_a-z\-.0-9]+$")
_SPACE = "[\x09\x0a\x0c\x0d\x20]"
_ATTRIB = "[^\x09\x0a\x0c\x0d\x20/>=]"
_ATTRIBS_RE = re.compile(
    "((?:" + _ATTRIB + "|=)" + _ATTRIB + "*)"
    "(" + _SPACE + "*=" + _SPACE + "*"
    "(?:\"([^\"]*)(?:\"|$)|'([^']*)(?:'|$)|((?:(?!" + _SPACE + "|>).)*))"
    ")?", re.S)
_ATTRIB_NAME_RE = re.compile(r"^[:_\w][:_.\-\w]*$", re.U)
_CHAR_REFS = re.compile(r"&([A-Za-z0-9\x80-\U0010ffff]+;)|&#([0-9]+);|&#[xX]([0-9A-Fa-f]+);|&")
_DATA_ATTR = re.compile(r"^data-[^:_]*$", re.I)
_RESERVED_DATA = re.compile(r"^data-(ooui|mw|parsoid)", re.I)
_WS_RE = re.compile(r"[\t\r\n ]+")

_ENTITIES: dict[str, str] = {k: v for k, v in html.entities.html5.items() if k.endswith(";")}
_MW_ENTITY_ALIASES = {"רלמ;": "rlm;", "رلم;": "rlm;"}


def _valid_codepoint(cp: int) -> bool:
    return (cp in (0x09, 0x0A) or 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xD7FF
            or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF)


# -- character references --------------------------------------------------------------
def _normalize_entity(name: str) -> str:
    if name in _MW_ENTITY_ALIASES:
        return "&" + _MW_ENTITY_ALIASES[name]
    if name in ("lt;", "gt;", "amp;", "quot;"):
        return "&" + name
    if name in _ENTITIES:
        return "".join(f"&#{ord(c)};" for c in _ENTITIES[name])
    return "&amp;" + name


def _normalize_ref(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return _normalize_entity(m.group(1))
    if m.group(2) is not None:
        try:
            cp = int(m.group(2))
        except ValueError:
            cp = -1
        if len(m.group(2)) < 12 and _valid_codepoint(cp):
            return f"&#{cp};"
    elif m.group(3) is not None:
        cp = int(m.group(3), 16) if len(m.group(3)) < 12 else -1
        if _valid_codepoint(cp):
            return f"&#x{cp:x};"
    return m.group(0).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;") \
        .replace(">", "&gt;")


def normalize_char_references(text: str) -> str:
    """Make entities well-formed: named ones numeric (except lt gt amp quot), stray & escaped."""
    if "&" not in text:
        return text
    return _CHAR_REFS.sub(_normalize_ref, text)


def _decode_ref(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        name = _MW_ENTITY_ALIASES.get(m.group(1), m.group(1))
        return _ENTITIES.get(name, "&" + name)
    if m.group(2) is not None:
        cp = int(m.group(2)) if len(m.group(2)) < 12 else -1
        return chr(cp) if _valid_codepoint(cp) else "\ufffd"
    if m.group(3) is not None:
        cp = int(m.group(3), 16) if len(m.group(3)) < 12 else -1
        return chr(cp) if _valid_codepoint(cp) else "\ufffd"
    return m.group(0)


def decode_char_references(text: str) -> str:
    """Decode numeric and named character references to characters."""
    if "&" not in text:
        return text
    return _CHAR_REFS.sub(_decode_ref, text)


def htmlspecialchars(s: str, quotes: bool = True) -> str:
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if quotes:
        s = s.replace("'", "&#039;")
    return s


def escape_html_allow_entities(s: str) -> str:
    return htmlspecialchars(decode_char_references(s))


# -- comments --------------------------------------------------------------------------
def remove_html_comments(text: str) -> str:
    """Remove <!-- --> comments; a comment alone on its line takes one newline with it."""
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        end += 3
        space_start = max(start - 1, 0)
        space_len = end - space_start
        while space_start > 0 and text[space_start:space_start + 1] == " ":
            space_start -= 1
            space_len += 1
        while text[space_start + space_len:space_start + space_len + 1] == " ":
            space_len += 1
        if text[space_start:space_start + 1] == "\n" and \
                text[space_start + space_len:space_start + space_len + 1] == "\n":
            text = text[:space_start] + "\n" + text[space_start + space_len + 1:]
            start = text.find("<!--", space_start)
        else:
            text = text[:start] + text[end:]
            start = text.find("<!--", start)
    return text


# -- CSS ---------------------------------------------------------------------------------
_CSS_DECODE = re.compile(r"\\(?:((?:\n|\r\n|\r|\f))|([0-9A-Fa-f]{1,6})[\x20\t\r\n\f]?|(.)|())", re.S)
_CSS_SINGLE_COMMENT = re.compile(r"^\s*/\*[^*/]*\*/\s*$")
_CSS_BAD = re.compile(
    r"expression|accelerator\s*:|-o-link\s*:|-o-link-source\s*:|-o-replace\s*:|url\s*\(|"
    r"src\s*\(|image\s*\(|image-set\s*\(|attr\s*\([^)]+[\s,]+url", re.I)
_CSS_CTRL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _css_decode(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return ""
    if m.group(2) is not None:
        cp = int(m.group(2), 16)
        ch = chr(cp) if 0 < cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else "\ufffd"
    elif m.group(3) is not None:
        ch = m.group(3)
    else:
        ch = "\\"
    if ch in ("\n", '"', "'", "\\"):
        return "\\" + format(ord(ch), "x") + " "
    return ch


def _delimiter_replace(start: str, end: str, repl: str, s: str) -> str:
    out = []
    i = 0
    while True:
        a = s.find(start, i)
        if a == -1:
            break
        b = s.find(end, a + len(start))
        if b == -1:
            break
        out.append(s[i:a])
        out.append(repl)
        i = b + len(end)
    out.append(s[i:])
    return "".join(out)


def normalize_css(value: str) -> str:
    value = decode_char_references(value)
    value = _CSS_DECODE.sub(_css_decode, value)
    if not _CSS_SINGLE_COMMENT.match(value):
        value = _delimiter_replace("/*", "*/", " ", value)
        pos = value.find("/*")
        if pos != -1:
            value = value[:pos]
    return value


def check_css(value: str) -> str:
    """Sanitize a style attribute: decode, strip comments, refuse url(), expression, ..."""
    value = normalize_css(value)
    if _CSS_CTRL.search(value) or "\ufffd" in value:
        return "/* invalid control char */"
    if _CSS_BAD.search(value):
        return "/* insecure input */"
    return value


# -- ids and classes ---------------------------------------------------------------------
def escape_id_internal(id_: str, mode: str) -> str:
    id_ = id_[:1024]
    if mode == "html5":
        for ch in "\t\n\f\r ":
            id_ = id_.replace(ch, "_")
        return id_
    # legacy: urlencode (PHP, spaces as +), then %3A -> ':' and % -> '.'
    id_ = urllib.parse.quote_plus(id_.replace(" ", "_").encode("utf-8"), safe="-_.")
    return id_.replace("%3A", ":").replace("%", ".")


def escape_id_for_attribute(id_: str, fragment_mode: tuple[str, ...] | list[str] = ("legacy",),
                            mode: int = 0) -> str | None:
    if mode >= len(fragment_mode):
        return None
    return escape_id_internal(id_, fragment_mode[mode])


def escape_id_for_link(id_: str, fragment_mode: tuple[str, ...] | list[str] = ("legacy",)) -> str:
    mode = fragment_mode[0]
    id_ = escape_id_internal(id_, mode)
    if mode == "html5":
        id_ = re.sub(r"%([a-fA-F0-9]{2})", r"%25\1", id_)
    return id_


def escape_id_for_external_interwiki(id_: str) -> str:
    return escape_id_internal(id_, "legacy")


_CLASS_BAD = re.compile(r"(^[0-9\-])|[\x00-\x20!\"#$%&'()*+,./:;<=>?@\[\]^`{|}~]|\xa0")


def escape_class(cls: str) -> str:
    return re.sub("_+", "_", _CLASS_BAD.sub("_", cls)).rstrip("_")


# -- attributes --------------------------------------------------------------------------
def decode_tag_attributes(text: str) -> dict[str, str]:
    """Attribute name -> decoded value of a tag's attribute text (names lower-cased)."""
    if not text.strip():
        return {}
    attribs: dict[str, str] = {}
    for m in _ATTRIBS_RE.finditer(text):
        name = m.group(1).lower()
        if not _ATTRIB_NAME_RE.match(name) or name[0] in "-.":
            continue
        if m.group(5) is not None:
            value = m.group(5)
        elif m.group(4) is not None:
            value = m.group(4)
        elif m.group(3) is not None:
            value = m.group(3)
        else:
            value = ""
        value = _WS_RE.sub(" ", value).strip(" ")
        attribs[name] = decode_char_references(value)
    return attribs


def _href_ok(value: str, protocols: tuple[str, ...]) -> bool:
    low = value.lower()
    for p in protocols:
        if low.startswith(p) and len(value) > len(p) and not re.search(r"\s", value):
            return True
    return False


def validate_attributes(attribs: dict[str, str], allowed: frozenset[str],
                        fragment_mode: tuple[str, ...] = ("legacy",),
                        protocols: tuple[str, ...] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    for attribute, value in attribs.items():
        if _XMLNS.match(attribute):
            if not EVIL_URI.search(value):
                out[attribute] = value
            continue
        if (not _DATA_ATTR.match(attribute) and attribute not in allowed) \
                or _RESERVED_DATA.match(attribute):
            continue
        if attribute == "style":
            value = check_css(value)
        if attribute == "id":
            value = escape_id_for_attribute(value, fragment_mode) or ""
            if value == "":
                continue
        if attribute in ("aria-describedby", "aria-flowto", "aria-labelledby", "aria-owns"):
            value = " ".join(escape_id_for_attribute(r, fragment_mode) or "" for r in value.split())
        if attribute in ("rel", "rev", "about", "property", "resource", "datatype", "typeof",
                         "itemid", "itemprop", "itemref", "itemscope", "itemtype"):
            if EVIL_URI.search(value):
                continue
        if attribute in ("href", "src", "poster"):
            if not _href_ok(value, protocols or DEFAULT_PROTOCOLS):
                continue
        if attribute == "tabindex" and value != "0":
            continue
        out[attribute] = value
    if "itemscope" not in out:
        for k in ("itemtype", "itemid", "itemref"):
            out.pop(k, None)
    return out


def validate_tag_attributes(attribs: dict[str, str], element: str,
                            fragment_mode: tuple[str, ...] = ("legacy",)) -> dict[str, str]:
    return validate_attributes(attribs, ALLOWED_ATTRIBUTES.get(element, frozenset()), fragment_mode)


DEFAULT_PROTOCOLS: tuple[str, ...] = (
    "bitcoin:", "ftp://", "ftps://", "geo:", "git://", "gopher://", "http://", "https://",
    "irc://", "ircs://", "magnet:", "mailto:", "matrix:", "mms://", "news:", "nntp://",
    "redis://", "sftp://", "sip:", "sips:", "sms:", "ssh://", "svn://", "tel:", "telnet://",
    "urn:", "worldwind://", "xmpp:", "//",
)
_PROTO_RE = re.compile("(" + "|".join(re.escape(p) for p in DEFAULT_PROTOCOLS) + ")", re.I)


def encode_attribute(text: str) -> str:
    enc = htmlspecialchars(text)
    return enc.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


_SAFE_MAP = [("{", "&#123;"), ("}", "&#125;"), ("[", "&#91;"), ("]", "&#93;"),
             ("''", "&#39;&#39;"), ("ISBN", "&#73;SBN"), ("RFC", "&#82;FC"),
             ("PMID", "&#80;MID"), ("|", "&#124;"), ("__", "&#95;&#95;")]
_SAFE_RE = re.compile(r"\{|\}|\[|\]|''|ISBN|RFC|PMID|\||__")
_SAFE_DICT = dict(_SAFE_MAP)


def safe_encode_attribute(text: str) -> str:
    """encode_attribute plus armour against later wikitext passes."""
    enc = encode_attribute(text)
    enc = _SAFE_RE.sub(lambda m: _SAFE_DICT[m.group(0)], enc)
    return _PROTO_RE.sub(lambda m: m.group(1).replace(":", "&#58;"), enc)


def safe_encode_tag_attributes(attribs: dict[str, str]) -> str:
    # MediaWiki 1.39 prints the "_" of an escaped id as "&#95;" (as its parser tests show)
    parts = [f'{htmlspecialchars(k, False)}="'
             + (safe_encode_attribute(v).replace("_", "&#95;") if k == "id"
                else safe_encode_attribute(v)) + '"' for k, v in attribs.items()]
    return (" " + " ".join(parts)) if parts else ""


def fix_tag_attributes(text: str, element: str, fragment_mode: tuple[str, ...] = ("legacy",),
                       sort: bool = False) -> str:
    """Normalise a tag's attribute text: decode, keep allowed ones, re-encode safely."""
    if not text.strip():
        return ""
    attribs = validate_tag_attributes(decode_tag_attributes(text), element, fragment_mode)
    if sort:
        attribs = dict(sorted(attribs.items()))
    return safe_encode_tag_attributes(attribs)


def _validate_tag(params: str, element: str) -> bool:
    if element in ("meta", "link"):
        attrs = decode_tag_attributes(params)
        if "itemprop" not in attrs:
            return False
        if element == "meta" and "content" not in attrs:
            return False
        if element == "link" and "href" not in attrs:
            return False
    return True


def remove_html_tags(text: str, fragment_mode: tuple[str, ...] = ("legacy",),
                     extra_tags: frozenset[str] = frozenset(),
                     remove_tags: frozenset[str] = frozenset()) -> str:
    """Escape every tag that is not allowed; clean the attributes of the allowed ones."""
    elements = (HTML_ELEMENTS | extra_tags) - remove_tags if (extra_tags or remove_tags) \
        else HTML_ELEMENTS
    text = remove_html_comments(text)
    bits = text.split("<")
    out = [bits[0].replace(">", "&gt;")]
    for x in bits[1:]:
        m = _ELEMENT_BITS.match(x)
        if m:
            slash, t, params, brace, rest = m.groups()
            t = t.lower()
            if t in elements:
                if brace == "/>" and t not in HTML_SINGLE:
                    brace = ">"
                if _validate_tag(params, t):
                    newparams = fix_tag_attributes(params, t, fragment_mode)
                    if brace == "/>" and t not in HTML_SINGLE_ONLY:
                        brace = f"></{t}>"
                    out.append(f"<{slash}{t}{newparams}{brace}{rest.replace('>', '&gt;')}")
                    continue
        out.append("&lt;" + x.replace(">", "&gt;"))
    return "".join(out)


# -- URLs ------------------------------------------------------------------------------
_URL_BAD = re.compile(r"[\]\[<>\"\x00-\x20\x7F|]+")
_URL_PARTS = re.compile(r"^([^:]+:)(//[^/]+)?(.*)$", re.I | re.S)
_IDN_STRIP = re.compile(
    "\\s|\u00ad|\u034f|\u061c|[\u115f-\u1160]|[\u17b4-\u17b5]|[\u180b-\u180d]|\u180e|"
    "[\u200b-\u200f]|[\u202a-\u202e]|[\u2060-\u206f]|\u3164|[\ufe00-\ufe0f]|\ufeff|\uffa0|"
    "[\ufff0-\ufff8]")


def clean_url(url: str) -> str:
    """Sanitizer::cleanUrl: decode entities, escape control characters, tidy the host."""
    url = decode_char_references(url)
    url = _URL_BAD.sub(lambda m: urllib.parse.quote_plus(m.group(0).encode("utf-8")), url)
    m = _URL_PARTS.match(url)
    if m:
        protocol, host, rest = m.group(1), m.group(2) or "", m.group(3)
        host = _IDN_STRIP.sub("", host)
        mm = re.match(r"^//%5B([0-9A-Fa-f:.]+)%5D((:\d+)?)$", host)
        if host.startswith("//%5B") and mm:
            host = "//[" + mm.group(1) + "]" + mm.group(2)
        return protocol + host + rest
    return url


def strip_all_tags(html_text: str) -> str:
    """Text content of an HTML fragment (tags removed, entities decoded, whitespace normalised)."""
    text = re.sub(r"<!--.*?-->", "", html_text, flags=re.S)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    text = decode_char_references(text)
    return _WS_RE.sub(" ", text).strip()
