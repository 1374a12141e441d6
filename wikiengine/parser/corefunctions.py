"""Core parser functions and tag hooks (CoreParserFunctions, CoreTagHooks).

Owns what ``{{lc:}}``, ``{{ns:}}``, ``{{urlencode:}}``, ``{{formatnum:}}``, ``{{padleft:}}``,
``{{plural:}}``, ``{{gender:}}``, ``{{#tag:}}``, ``{{#special:}}``, ``{{filepath:}}``,
``{{DEFAULTSORT:}}``, ``{{DISPLAYTITLE:}}``, ``{{int:}}``, ``{{#formatdate:}}`` … produce,
and the core ``<nowiki>``, ``<pre>`` and ``<indicator>`` tags. Magic variables live in
``ppvariables``, language data and wikitext escaping in ``pplang``.
"""
from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import quote, quote_plus, unquote

from wikiengine.namespaces import FILE, MEDIA, SPECIAL, USER
from wikiengine.title import ucfirst

from .frame import PHP_WS, STRIP_COMMENTS, PPArg
from .pplang import (
    LANGUAGE_NAMES, MONTHS, RTL_LANGUAGES, _legacy_format_num, escape_wikitext, format_num,
    format_raw, is_numeric, kill_markers, lang_of, marker_skip, message, parse_formatted_number,
    php_intval, title_full_url, title_local_url)
from .ppvariables import (
    _PAGENAME_IDS, _STATS, _namespace_value, _page_name_value, _revision_value, site_stats)
from .site import wfurlencode


# -- core tag hooks --------------------------------------------------------------------------
_NOWIKI_TR = re.compile(r"-\{|\}-|<|>")
_NOWIKI_MAP = {"-{": "-&#123;", "}-": "&#125;-", "<": "&lt;", ">": "&gt;"}


def nowiki_tag(content: str | None) -> tuple[str, dict]:
    """``CoreTagHooks::nowiki``."""
    content = content or ""
    return _NOWIKI_TR.sub(lambda m: _NOWIKI_MAP[m.group(0)], content), {"markerType": "nowiki"}


def _delimiter_replace(start: str, end: str, text: str) -> str:
    """``StringUtils::delimiterReplace(start, end, '$1', text, 'i')``."""
    pat = re.compile(re.escape(start) + "(.*?)" + re.escape(end), re.I | re.S)
    return pat.sub(lambda m: m.group(1), text)


def html_attributes(attribs: dict[str, str]) -> str:
    """``Html::expandAttributes``."""
    out = []
    for k, v in attribs.items():
        v = v.replace("&", "&amp;").replace('"', "&quot;").replace("\n", "&#10;") \
            .replace("\r", "&#13;").replace("\t", "&#9;")
        out.append(f' {k}="{v}"')
    return "".join(out)


def pre_tag(content: str | None, attributes: dict[str, str], ctx: Any) -> str:
    """``CoreTagHooks::pre``."""
    from .sanitizer import validate_tag_attributes
    text = _delimiter_replace("<nowiki>", "</nowiki>", content or "")
    attrs = validate_tag_attributes(attributes, "pre", tuple(ctx.site.fragment_mode))
    text = text.replace(">", "&gt;").replace("<", "&lt;")
    return f"<pre{html_attributes(attrs)}>{text}</pre>"


def strip_outer_paragraph(html: str) -> str:
    """``Parser::stripOuterParagraph``."""
    m = re.match(r"<p>(.*?)\n?</p>\n?\Z", html, re.S)
    if m and "</p>" not in m.group(1):
        return m.group(1)
    return html


def indicator_tag(content: str | None, attributes: dict[str, str], ctx: Any, frame: Any) -> str:
    """``CoreTagHooks::indicator``: page status indicators go to ``output.indicators``."""
    name = attributes.get("name", "").strip(PHP_WS)
    if not name:
        return ('<span class="error"><strong>Error:</strong> Page status indicators\' '
                '<code>name</code> attribute must not be empty.</span>')
    html = ""
    if content:
        from .preprocess import expand
        from .render import recursive_tag_parse_fully
        html = recursive_tag_parse_fully(expand(content, ctx, frame=frame), ctx)
    ctx.output.indicators[name] = strip_outer_paragraph(html)
    return ""


# -- parser functions ------------------------------------------------------------------------------
def _arg(args: list, i: int, default: str = "") -> str:
    return args[i] if len(args) > i else default


def _title_arg(pp: Any, text: str, default_ns: int = 0) -> Any:
    if text == "":
        return None
    return pp.ctx.make_title(text, default_ns)


def pf_ns(pp: Any, frame: Any, args: list) -> Any:
    part1 = _arg(args, 0)
    nsinfo = pp.ctx.site.namespaces
    if php_intval(part1) or part1.strip() == "0" or (is_numeric(part1) and float(part1) == 0):
        index: int | None = php_intval(part1)
    else:
        index = nsinfo.lookup(part1.replace(" ", "_"))
    if index is None:
        return {"found": False}
    return nsinfo.name(index)


def pf_nse(pp: Any, frame: Any, args: list) -> Any:
    ret = pf_ns(pp, frame, args)
    if isinstance(ret, dict):
        return ret
    return wfurlencode(ret.replace(" ", "_"))


def _php_urlencode(s: str) -> str:
    return quote_plus(s.encode("utf-8"), safe="-_.")


def _php_rawurlencode(s: str) -> str:
    return quote(s.encode("utf-8"), safe="-_.~")


def pf_urlencode(pp: Any, frame: Any, args: list) -> str:
    s = _arg(args, 0)
    arg = args[1] if len(args) > 1 else ""
    mw = pp.mw
    if mw.match_whole(arg, "url_wiki"):
        s = s.replace(" ", "_")
        return marker_skip(s, wfurlencode)
    if mw.match_whole(arg, "url_path"):
        return marker_skip(s, _php_rawurlencode)
    return marker_skip(s, _php_urlencode)


def _lcfirst(s: str) -> str:
    return s[:1].lower() + s[1:]


def pf_lc(pp: Any, frame: Any, args: list) -> str:
    return marker_skip(_arg(args, 0), str.lower)


def pf_uc(pp: Any, frame: Any, args: list) -> str:
    return marker_skip(_arg(args, 0), str.upper)


def pf_lcfirst(pp: Any, frame: Any, args: list) -> str:
    return _lcfirst(_arg(args, 0))


def pf_ucfirst(pp: Any, frame: Any, args: list) -> str:
    return ucfirst(_arg(args, 0))


def _url_function(pp: Any, args: list, full: bool, canonical: bool = False) -> Any:
    s = _arg(args, 0)
    query = args[1] if len(args) > 1 else ""
    title = pp.ctx.make_title(s) if s else None
    if title is None and s:
        title = pp.ctx.make_title(unquote(s.replace("+", " ")))
    if title is None:
        return {"found": False}
    if title.namespace == MEDIA:
        title = type(title)(FILE, title.dbkey, title.fragment, title.interwiki, title.namespaces)
    if full:
        return title_full_url(pp.ctx, title, query, canonical)
    return title_local_url(pp.ctx, title, query)


def _escaped(fn: Callable[[Any, Any, list], Any]) -> Callable[[Any, Any, list], Any]:
    def wrapped(pp: Any, frame: Any, args: list) -> Any:
        ret = fn(pp, frame, args)
        if not isinstance(ret, str):
            return ret
        from .sanitizer import htmlspecialchars
        return htmlspecialchars(ret)
    return wrapped


def pf_localurl(pp: Any, frame: Any, args: list) -> Any:
    return _url_function(pp, args, False)


def pf_fullurl(pp: Any, frame: Any, args: list) -> Any:
    return _url_function(pp, args, True)


def pf_canonicalurl(pp: Any, frame: Any, args: list) -> Any:
    return _url_function(pp, args, True, canonical=True)


def pf_formatnum(pp: Any, frame: Any, args: list) -> str:
    num = _arg(args, 0)
    arg = args[1] if len(args) > 1 else ""
    ctx = pp.ctx
    if pp.mw.match_whole(arg, "rawsuffix"):
        return marker_skip(num, lambda n: parse_formatted_number(ctx, n))
    nosep = pp.mw.match_whole(arg, "nocommafysuffix")
    return marker_skip(num, _legacy_format_num(pp, lambda n: format_num(ctx, n, nosep)))


def _pad(pp: Any, args: list, left: bool) -> str:
    string = _arg(args, 0)
    length = _arg(args, 1, "0")
    padding = kill_markers(args[2] if len(args) > 2 else "0")
    if not padding:
        return string
    remaining = min(php_intval(length), 500) - len(string)
    if remaining <= 0:
        return string
    final = ""
    while remaining > 0:
        final += padding[:remaining]
        remaining -= len(padding)
    return final + string if left else string + final


def pf_padleft(pp: Any, frame: Any, args: list) -> str:
    return _pad(pp, args, True)


def pf_padright(pp: Any, frame: Any, args: list) -> str:
    return _pad(pp, args, False)


def plural_index(lang: str, n: float) -> int:
    if lang == "fr":
        return 0 if n < 2 else 1
    return 0 if n == 1 else 1


def convert_plural(lang: str, count: float, forms: list[str]) -> str:
    kept = []
    for form in forms:
        if re.search(r"\d+=", form):
            pos = form.index("=")
            c = str(int(count)) if float(count).is_integer() else str(count)
            if form[:pos] == c:
                return form[pos + 1:]
            continue
        kept.append(form)
    if not kept:
        return ""
    return kept[min(plural_index(lang, count), len(kept) - 1)]


def pf_plural(pp: Any, frame: Any, args: list) -> str:
    text = parse_formatted_number(pp.ctx, _arg(args, 0))
    try:
        count = float(text) if text.strip() else 0.0
    except ValueError:
        count = float(php_intval(text))
    return convert_plural(lang_of(pp), count, list(args[1:]))


def pf_grammar(pp: Any, frame: Any, args: list) -> str:
    return _arg(args, 1)


def pf_gender(pp: Any, frame: Any, args: list) -> str:
    forms = list(args[1:])
    if not forms:
        return ""
    if len(forms) == 1:
        return forms[0]
    genders = pp.ctx.options.extra.get("genders", {})
    username = _arg(args, 0).strip(PHP_WS)
    t = pp.ctx.make_title(username, USER) if username else None
    if t is not None and t.namespace == USER:
        username = t.text
    if not username and pp.ctx.options.interface_message:
        username = pp.ctx.options.user_name
    lookup = getattr(pp.ctx.source, "user_gender", None)
    gender = genders.get(username) or (lookup(username) if callable(lookup) and username
                                       else None) or "unknown"
    while len(forms) < 2:
        forms.append(forms[-1])
    if gender == "male":
        return forms[0]
    if gender == "female":
        return forms[1]
    return forms[2] if len(forms) > 2 else forms[0]


def pf_bidi(pp: Any, frame: Any, args: list) -> str:
    text = _arg(args, 0)
    for ch in text:
        if "\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            return "\u202b" + text + "\u202c"
        if ch.isalpha():
            return "\u202a" + text + "\u202c"
    return text


def pf_language(pp: Any, frame: Any, args: list) -> str:
    code = _arg(args, 0).strip().lower()
    name = LANGUAGE_NAMES.get(code, "")
    return name if name else code


def pf_bcp47(pp: Any, frame: Any, args: list) -> str:
    code = _arg(args, 0).strip().lower()
    parts = code.split("-")
    out = [parts[0]] + [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p
                        for p in parts[1:]]
    return "-".join(out)


def pf_dir(pp: Any, frame: Any, args: list) -> str:
    code = _arg(args, 0).strip().lower()
    return "rtl" if code.split("-")[0] in RTL_LANGUAGES else "ltr"


def pf_anchorencode(pp: Any, frame: Any, args: list) -> str:
    from .sanitizer import decode_char_references, escape_id_for_link, safe_encode_attribute
    text = kill_markers(_arg(args, 0))
    text = strip_section_name(pp.ctx, text)
    text = re.sub(r"[ _]+", " ", text).strip(PHP_WS)
    text = decode_char_references(text)
    text = normalize_section_name(text)
    return safe_encode_attribute(escape_id_for_link(text, tuple(pp.ctx.site.fragment_mode)))


def normalize_section_name(text: str) -> str:
    """``Parser::normalizeSectionName`` (the fragment part of a title split)."""
    key = re.sub(r"[ _]+", "_", "#" + text).strip("_")
    return key[1:].replace("_", " ") if key.startswith("#") else text


def strip_section_name(ctx: Any, text: str) -> str:
    """``Parser::stripSectionName``: link markup, quotes and tags removed."""
    text = re.sub(r"\[\[:?([^[|]+)\|([^[]+)\]\]", r"\2", text)
    text = re.sub(r"\[\[:?([^[]+)\|?\]\]", r"\1", text)
    protos = "|".join(re.escape(p) for p in ctx.site.url_protocols)
    text = re.sub(r"\[(?i:" + protos + r")([^ ]+?) ([^[]+)\]", r"\2", text)
    from .quotes import do_quotes
    text = do_quotes(text)
    return delimiter_remove(text, "<", ">")


_DELIMS: dict[tuple[str, str], re.Pattern[str]] = {}


def delimiter_remove(text: str, start: str, end: str) -> str:
    """``StringUtils::delimiterReplace(start, end, '', text)``: remove balanced, possibly
    nested ``start…end`` spans; an unclosed one and what follows stay. Linear time."""
    if start not in text:
        return text
    pat = _DELIMS.get((start, end))
    if pat is None:
        pat = _DELIMS[(start, end)] = re.compile("|".join(re.escape(d) for d in (start, end)))
    out: list[str] = []
    keep_from = 0
    depth = 0
    span_start = 0
    for m in pat.finditer(text):
        if m.group(0) == start:
            if depth == 0:
                span_start = m.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                out.append(text[keep_from:span_start])
                keep_from = m.end()
    out.append(text[keep_from:])
    return "".join(out)


#: canonical special page names (SpecialPageFactory) with their French aliases
SPECIAL_PAGES = {
    "RecentChanges": "Modifications récentes", "AllPages": "Toutes les pages",
    "Search": "Recherche", "Contributions": "Contributions", "WhatLinksHere": "Pages liées",
    "PrefixIndex": "Index", "Categories": "Catégories", "Upload": "Téléverser",
    "Preferences": "Préférences", "Watchlist": "Liste de suivi", "Statistics": "Statistiques",
    "SpecialPages": "Pages spéciales", "RandomPage": "Page au hasard", "Version": "Version",
    "UserLogin": "Connexion", "UserLogout": "Déconnexion", "CreateAccount": "Créer un compte",
    "Export": "Exporter", "Import": "Importer", "Log": "Journal", "MovePage": "Renommer",
    "NewPages": "Nouvelles pages", "ListUsers": "Liste des utilisateurs", "Undelete": "Restaurer",
    "BlockList": "Liste des blocages", "Block": "Bloquer", "EditPage": "Modifier",
    "RecentChangesLinked": "Suivi des liens", "FilePath": "Chemin du fichier",
    "BookSources": "Ouvrages de référence", "ListFiles": "Liste des fichiers",
    "MyPage": "Ma page", "MyTalk": "Mes discussions", "Redirect": "Redirection",
}
_SPECIAL_ALIASES = {k.lower(): k for k in SPECIAL_PAGES}
_SPECIAL_ALIASES.update({v.lower(): k for k, v in SPECIAL_PAGES.items()})
_SPECIAL_ALIASES.update({"recentchangeslinked": "RecentChangesLinked", "random": "RandomPage",
                         "prefixindex": "PrefixIndex", "listusers": "ListUsers"})


def pf_special(pp: Any, frame: Any, args: list) -> str:
    text = _arg(args, 0)
    name, _, sub = text.partition("/")
    canonical = _SPECIAL_ALIASES.get(name.replace("_", " ").strip().lower()) or \
        _SPECIAL_ALIASES.get(name.replace("_", "").strip().lower())
    if canonical:
        local = SPECIAL_PAGES[canonical] if lang_of(pp) == "fr" else canonical
        text = local + ("/" + sub if sub else "")
    title = pp.ctx.make_title(text, SPECIAL) if text else None
    if title is None or title.namespace != SPECIAL:
        title = pp.ctx.make_title("Special:" + text) if text else None
    if title is None or title.namespace != SPECIAL:
        title = pp.ctx.make_title("Special:Badtitle")
    return title.prefixed_text


def pf_speciale(pp: Any, frame: Any, args: list) -> str:
    return wfurlencode(pf_special(pp, frame, args).replace(" ", "_"))


def pf_filepath(pp: Any, frame: Any, args: list) -> Any:
    name = _arg(args, 0)
    arg_a = _arg(args, 1)
    arg_b = _arg(args, 2)
    title = pp.ctx.make_title(name, FILE) if name else None
    if title is None or title.namespace not in (FILE, MEDIA):
        return ""
    pp.ctx.output.images.setdefault(title.dbkey, None)
    info = pp.ctx.source.file_info(title)
    if info is None:
        return ""
    if arg_a == "nowiki":
        width, is_nowiki = arg_b, True
    else:
        width, is_nowiki = arg_a, arg_b == "nowiki"
    url = info.url
    m = re.match(r"(\d+)(?:px)?\Z", width.strip())
    if m:
        url = info.thumb_url(int(m.group(1)))
    if url.startswith("/"):
        url = pp.ctx.site.server + url
    if is_nowiki:
        return {"text": url, "nowiki": True}
    return url


def pf_defaultsort(pp: Any, frame: Any, args: list) -> str:
    ctx = pp.ctx
    text = _arg(args, 0).strip(PHP_WS)
    uarg = _arg(args, 1)
    arg = None
    if pp.mw.match_whole(uarg, "defaultsort_noerror"):
        arg = "noerror"
    elif pp.mw.match_whole(uarg, "defaultsort_noreplace"):
        arg = "noreplace"
    if not text:
        return ""
    old = ctx.output.properties.get("defaultsort")
    if old is None or arg != "noreplace":
        ctx.output.properties["defaultsort"] = text
        ctx.default_sort = text
    if old is None or old == text or arg:
        return ""
    from .sanitizer import htmlspecialchars
    return ('<span class="error">' + (message(ctx, "duplicate-defaultsort", htmlspecialchars(old),
                                              htmlspecialchars(text)) or "") + "</span>")


_DISPLAYTITLE_BAD = ("h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "ol", "ul", "li",
                     "hr", "table", "tr", "th", "td", "dl", "dd", "caption", "p", "ruby", "rb",
                     "rt", "rtc", "rp", "br")


def pf_displaytitle(pp: Any, frame: Any, args: list) -> str:
    from . import sanitizer as san
    from .quotes import do_quotes
    ctx = pp.ctx
    site = ctx.site
    text = _arg(args, 0)
    uarg = _arg(args, 1)
    arg = None
    if pp.mw.match_whole(uarg, "displaytitle_noerror"):
        arg = "noerror"
    elif pp.mw.match_whole(uarg, "displaytitle_noreplace"):
        arg = "noreplace"
    text = kill_markers(do_quotes(text))
    text = _escape_bad_tags(text, site.restrict_display_title)
    text = san.remove_html_tags(text, tuple(site.fragment_mode))
    title = ctx.make_title(san.strip_all_tags(text)) if text.strip() else None
    filtered = san.decode_char_references(text)
    if not site.restrict_display_title or (
            title is not None and not title.fragment
            and title.prefixed_dbkey == ctx.title.prefixed_dbkey):
        old = ctx.output.properties.get("displaytitle")
        if old is None or arg != "noreplace":
            ctx.output.properties["displaytitle"] = text
            ctx.output.display_title = text
        if old is not None and old != text and not arg:
            return ('<span class="error">' + (message(
                ctx, "duplicate-displaytitle", escape_wikitext(old, ctx),
                escape_wikitext(filtered, ctx)) or "") + "</span>")
        return ""
    ctx.output.warnings.append(
        f'<strong>Warning:</strong> Display title "{filtered}" was ignored since it is not '
        "equivalent to the page's actual title.")
    from .magicwords import add_tracking_category
    add_tracking_category(ctx, "restricted-displaytitle-ignored")
    return ""


def _escape_bad_tags(text: str, restrict: bool) -> str:
    """Escape the block tags DISPLAYTITLE refuses and neuter hiding styles."""
    from .sanitizer import check_css, decode_tag_attributes, safe_encode_tag_attributes

    def repl(m: re.Match[str]) -> str:
        slash, name, params = m.group(1), m.group(2), m.group(3)
        if name.lower() in _DISPLAYTITLE_BAD:
            return m.group(0).replace("<", "&lt;").replace(">", "&gt;")
        if restrict and params and not slash:
            decoded = decode_tag_attributes(params)
            if "style" in decoded:
                decoded["style"] = check_css(decoded["style"])
                if re.search(r"(display|user-select|visibility)\s*:", decoded["style"], re.I):
                    decoded["style"] = "/* attempt to bypass $wgRestrictDisplayTitle */"
            return f"<{name}{safe_encode_tag_attributes(decoded)}>"
        return m.group(0)

    return re.sub(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>", repl, text)


def pf_int(pp: Any, frame: Any, args: list) -> Any:
    key = _arg(args, 0)
    if key == "":
        return {"found": False}
    ctx = pp.ctx
    lang = ctx.options.target_language or ctx.options.interface_language or ctx.site.language
    t = ctx.make_title("MediaWiki:" + ucfirst(key))
    text = None
    if t is not None:
        text = ctx.source.get_text(t)
        if text is None and lang != ctx.site.language:
            t2 = ctx.make_title(f"MediaWiki:{ucfirst(key)}/{lang}")
            text = ctx.source.get_text(t2) if t2 is not None else None
    if text is None:
        text = message(ctx, (key[:1].lower() + key[1:]).replace(" ", "_"), language=lang)
    if text is None:
        from .sanitizer import htmlspecialchars
        return {"text": "⧼" + htmlspecialchars(key) + "⧽", "noparse": True}
    for i, p in enumerate(args[1:], 1):
        text = text.replace(f"${i}", p)
    return {"text": text, "noparse": False}


def pf_pagesize(pp: Any, frame: Any, args: list) -> str:
    page = _arg(args, 0)
    title = pp.ctx.make_title(page) if page else None
    if title is None:
        return format_raw(pp, 0, args[1] if len(args) > 1 else None)
    if title.prefixed_dbkey == pp.ctx.title.prefixed_dbkey:
        pp.ctx.output.set_flag("vary-revision-sha1")
        if "revision_text" in pp.ctx.options.extra:
            size = len(pp.ctx.options.extra["revision_text"].encode("utf-8"))
            return format_raw(pp, size, args[1] if len(args) > 1 else None)
    info = pp.ctx.source.page_info(title)
    return format_raw(pp, info.length if info else 0, args[1] if len(args) > 1 else None)


def pf_pagesincategory(pp: Any, frame: Any, args: list) -> str:
    name = _arg(args, 0)
    title = pp.ctx.make_title(name, 14) if name else None
    if title is None:
        return format_raw(pp, 0, args[2] if len(args) > 2 else None)
    if not pp.increment_expensive():
        return format_raw(pp, 0, args[2] if len(args) > 2 else None)
    counter = getattr(pp.ctx.source, "category_count", None)
    kind = "all"
    for k in ("pages", "subcats", "files"):
        if len(args) > 1 and pp.mw.match_whole(args[1], "pagesincategory_" + k):
            kind = k
    count = counter(title, kind) if counter else 0
    raw = args[2] if len(args) > 2 else (args[1] if len(args) > 1 and kind == "all" else None)
    return format_raw(pp, count, raw)


def _restrictions(pp: Any, args: list) -> dict[str, tuple[str, str]]:
    """The page's restrictions {action: (level, expiry)}, from the source when it knows."""
    page = _arg(args, 1)
    title = pp.ctx.make_title(page) if page else pp.ctx.title
    lookup = getattr(pp.ctx.source, "restrictions", None)
    if title is None or not callable(lookup):
        return {}
    return lookup(title) or {}


def pf_protectionlevel(pp: Any, frame: Any, args: list) -> str:
    return _restrictions(pp, args).get(_arg(args, 0).strip().lower(), ("", ""))[0]


def pf_protectionexpiry(pp: Any, frame: Any, args: list) -> str:
    action = _arg(args, 0).strip().lower()
    if action not in ("edit", "move", "upload", "create"):
        return ""
    return _restrictions(pp, args).get(action, ("", "infinity"))[1] or "infinity"


def pf_numberingroup(pp: Any, frame: Any, args: list) -> str:
    return format_raw(pp, 0, args[1] if len(args) > 1 else None)


def _stats_function(key: str) -> Callable[[Any, Any, list], str]:
    def fn(pp: Any, frame: Any, args: list) -> str:
        return format_raw(pp, site_stats(pp.ctx).get(key, 0), args[0] if args else None)
    return fn


def _pagename_function(mid: str) -> Callable[[Any, Any, list], str]:
    def fn(pp: Any, frame: Any, args: list) -> str:
        text = _arg(args, 0)
        title = pp.ctx.make_title(text) if text else pp.ctx.title
        if title is None:
            return ""
        value = _page_name_value(pp.ctx, title, mid)
        if value is None:
            value = _namespace_value(pp.ctx, title, mid)
        return value or ""
    return fn


def _revision_function(what: str) -> Callable[[Any, Any, list], str]:
    def fn(pp: Any, frame: Any, args: list) -> str:
        text = _arg(args, 0)
        title = pp.ctx.make_title(text) if text else None
        if title is None:
            return _revision_value(pp, what, None) if not text else ""
        return _revision_value(pp, what, title)
    return fn


def pf_pageid(pp: Any, frame: Any, args: list) -> str:
    text = _arg(args, 0)
    title = pp.ctx.make_title(text) if text else pp.ctx.title
    if title is None:
        return ""
    if title.prefixed_dbkey == pp.ctx.title.prefixed_dbkey:
        pp.ctx.output.set_flag("vary-page-id")
        return str(pp.ctx.site.page_id) if pp.ctx.site.page_id else ""
    info = pp.ctx.source.page_info(title)
    return str(info.id) if info else ""


def pf_revisionid(pp: Any, frame: Any, args: list) -> str:
    text = _arg(args, 0)
    title = pp.ctx.make_title(text) if text else pp.ctx.title
    if title is None:
        return ""
    if title.prefixed_dbkey == pp.ctx.title.prefixed_dbkey:
        pp.ctx.output.set_flag("vary-revision-id")
        rid = pp.ctx.options.speculative_revision_id or pp.ctx.site.revision_id
        return str(rid) if rid else ""
    info = pp.ctx.source.page_info(title)
    return str(info.latest) if info else ""


def pf_tag(pp: Any, frame: Any, args: list) -> str:
    """``CoreParserFunctions::tagObj``."""
    from .frame import PROCESS_NOWIKI
    from .sanitizer import htmlspecialchars
    if not args:
        return ""
    tag = args[0].strip(PHP_WS).lower()
    rest: list[PPArg] = list(args[1:])
    inner: str | None = None
    if rest:
        flags = PROCESS_NOWIKI if tag == "pre" else 0
        inner = rest[0].frame.expand([rest.pop(0).part], flags)
    attributes: dict[str, str] = {}
    for a in rest:
        if a.part[3] is None:
            name = frame.expand(a.part[1], STRIP_COMMENTS).strip(PHP_WS)
            value = frame.expand(a.part[2]).strip(PHP_WS)
            m = re.match(r"""(?:["'](.+)["']|""|'')\Z""", value, re.S)
            if m:
                value = m.group(1) or ""
            attributes[name] = value
    if tag not in ("nowiki", "pre") and tag not in pp.tags:
        attr_text = "".join(f' {htmlspecialchars(k)}="{htmlspecialchars(v)}"'
                            for k, v in attributes.items())
        if inner is None:
            return f"<{tag}{attr_text}/>"
        return f"<{tag}{attr_text}>{inner}</{tag}>"
    return pp.extension_substitution_params(tag, attributes, "", inner, frame, f"</{tag}>")


_ISO_DATE = re.compile(r"(-?\d{4})-(\d\d)-(\d\d)\Z")


def pf_formatdate(pp: Any, frame: Any, args: list) -> str:
    """``CoreParserFunctions::formatDate`` (DateFormatter) for ISO, dmy, mdy and md inputs."""
    date = _arg(args, 0)
    pref = _arg(args, 1, "default").strip().lower() or "default"
    lang = lang_of(pp)
    months = MONTHS.get(lang, MONTHS["en"])
    low = [m.lower() for m in months]
    month_re = "|".join(re.escape(m) for m in months + MONTHS["en"])
    y = m = d = None
    text = date.strip()
    iso = _ISO_DATE.match(text)
    if iso:
        y, mo, dd = iso.group(1), int(iso.group(2)), int(iso.group(3))
        if not 1 <= mo <= 12:
            return date
        m, d = mo, dd
        source = "ISO1"
    else:
        mm = re.match(rf"(\d{{1,2}}) ({month_re})(?: (\d{{1,4}}))?\Z", text, re.I)
        mm2 = re.match(rf"({month_re}) (\d{{1,2}})(?:, (\d{{1,4}}))?\Z", text, re.I)
        if mm:
            d, mname, y = int(mm.group(1)), mm.group(2), mm.group(3)
            source = "dmy" if y else "dm"
        elif mm2:
            mname, d, y = mm2.group(1), int(mm2.group(2)), mm2.group(3)
            source = "mdy" if y else "md"
        else:
            return date
        ml = mname.lower()
        m = (low.index(ml) + 1) if ml in low else [x.lower() for x in MONTHS["en"]].index(ml) + 1
    if pref == "default":
        pref = source if source != "ISO1" else "ISO1"
    mname = months[m - 1]
    iso_title = (f"{int(y):04d}-" if y else "") + f"{m:02d}-{d:02d}"
    if pref in ("dmy", "dm"):
        out = f"{d} {mname}" + (f" {y}" if y else "")
    elif pref in ("mdy", "md"):
        out = f"{mname} {d}" + (f", {y}" if y else "")
    elif pref == "ymd":
        out = (f"{y} " if y else "") + f"{mname} {d}"
    elif pref in ("iso1", "iso 8601", "iso8601") or pref == "ISO1":
        out = iso_title if y else text
    else:
        out = text
    return f'<span class="mw-formatted-date" title="{iso_title}">{out}</span>'


FUNCTIONS: dict[str, Callable[[Any, Any, list], Any]] = {
    "ns": pf_ns, "nse": pf_nse, "urlencode": pf_urlencode, "lc": pf_lc, "uc": pf_uc,
    "lcfirst": pf_lcfirst, "ucfirst": pf_ucfirst, "localurl": pf_localurl,
    "localurle": _escaped(pf_localurl), "fullurl": pf_fullurl,
    "fullurle": _escaped(pf_fullurl), "canonicalurl": pf_canonicalurl,
    "canonicalurle": _escaped(pf_canonicalurl), "formatnum": pf_formatnum,
    "grammar": pf_grammar, "gender": pf_gender, "plural": pf_plural, "bidi": pf_bidi,
    "language": pf_language, "padleft": pf_padleft, "padright": pf_padright,
    "anchorencode": pf_anchorencode, "defaultsort": pf_defaultsort, "filepath": pf_filepath,
    "pagesincategory": pf_pagesincategory, "pagesize": pf_pagesize,
    "protectionlevel": pf_protectionlevel, "protectionexpiry": pf_protectionexpiry,
    "numberingroup": pf_numberingroup, "int": pf_int, "special": pf_special,
    "speciale": pf_speciale, "tag": pf_tag, "formatdate": pf_formatdate,
    "displaytitle": pf_displaytitle, "bcp47": pf_bcp47, "dir": pf_dir,
    "pageid": pf_pageid, "revisionid": pf_revisionid,
    "cascadingsources": lambda pp, frame, args: "",
}
for _mid, _key in _STATS.items():
    FUNCTIONS[_mid] = _stats_function(_key)
for _mid in ("namespace", "namespacee", "namespacenumber", "talkspace", "talkspacee",
             "subjectspace", "subjectspacee") + tuple(
        x + e for x in _PAGENAME_IDS for e in ("", "e")):
    FUNCTIONS[_mid] = _pagename_function(_mid)
for _what in ("day", "day2", "month", "month1", "year", "timestamp", "user"):
    FUNCTIONS["revision" + _what] = _revision_function(_what)

#: functions given lazily-expanded PPArg objects (SFH_OBJECT_ARGS)
OBJECT_ARGS = frozenset({"tag"})
