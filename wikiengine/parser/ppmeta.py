"""Parser functions about pages and the site (CoreParserFunctions, DateFormatter).

Owns ``{{#special:}}``/``{{#speciale:}}`` with canonical and French special page names,
``{{filepath:}}``, ``{{DEFAULTSORT:}}``, ``{{DISPLAYTITLE:}}`` (restricted as
$wgRestrictDisplayTitle), ``{{int:}}``, ``{{PAGESIZE:}}``, ``{{PAGESINCATEGORY:}}``
(expensive), ``{{PROTECTIONLEVEL:}}``/``{{PROTECTIONEXPIRY:}}``, ``{{PAGEID:}}``,
``{{REVISIONID:}}`` and ``{{#formatdate:}}``.
"""
from __future__ import annotations

import re
from typing import Any

from wikiengine.namespaces import FILE, MEDIA, SPECIAL
from wikiengine.title import ucfirst

from .frame import PHP_WS
from .pplang import (MONTHS, MONTHS_ABBR, escape_wikitext, format_raw, kill_markers, lang_of, message,
                     nth_arg as _arg, page_info)
from .site import wfurlencode

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
    info = page_info(pp.ctx, title)
    return format_raw(pp, info.length if info else 0, args[1] if len(args) > 1 else None)


def pf_pagesincategory(pp: Any, frame: Any, args: list) -> str:
    """``CoreParserFunctions::pagesincategory``: expensive once per category and parse;
    counts come from ``source.category_count(title, kind)`` when the source can count."""
    ctx = pp.ctx
    name, arg1, arg2 = _arg(args, 0), _arg(args, 1), _arg(args, 2)
    if pp.mw.match_whole(arg1, "rawsuffix"):
        raw, type_arg = arg1, arg2
    else:
        type_arg, raw = arg1, arg2
    kind = "all"
    for k in ("all", "pages", "subcats", "files"):
        if pp.mw.match_whole(type_arg, "pagesincategory_" + k):
            kind = k
    title = ctx.make_title(f"{ctx.site.namespaces.name(14)}:{name}") if name else None
    if title is None or title.namespace != 14:
        return format_raw(pp, 0, raw)
    cache = ctx.ext_state.setdefault("pagesincategory", {})
    counts = cache.get(title.dbkey)
    if counts is None:
        counts = {"all": 0, "pages": 0, "subcats": 0, "files": 0}
        counter = getattr(ctx.source, "category_count", None)
        if pp.increment_expensive() and callable(counter):
            counts = {k: int(counter(title, k) or 0) for k in counts}
        cache[title.dbkey] = counts
    return format_raw(pp, counts[kind], raw)


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


def pf_pageid(pp: Any, frame: Any, args: list) -> str:
    text = _arg(args, 0)
    title = pp.ctx.make_title(text) if text else pp.ctx.title
    if title is None:
        return ""
    if title.prefixed_dbkey == pp.ctx.title.prefixed_dbkey:
        pp.ctx.output.set_flag("vary-page-id")
        return str(pp.ctx.site.page_id) if pp.ctx.site.page_id else ""
    info = page_info(pp.ctx, title)
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
    info = page_info(pp.ctx, title)
    return str(info.latest) if info else ""


# -- DateFormatter (match-whole, unlinked, as {{#formatdate:}} uses it) ----------------------
_MDY, _DMY, _YMD, _ISO1, _ISO2, _YDM, _DM, _MD = 1, 2, 3, 4, 5, 6, 7, 8
_DF_PREFS = {"default": 0, "dmy": _DMY, "mdy": _MDY, "ymd": _YMD, "ISO 8601": _ISO1}
_DF_KEYS = {_DMY: "jFY", _YDM: "Y jF", _MDY: "FjY", _YMD: "Y Fj", _DM: "jF", _MD: "Fj",
            _ISO1: "ymd", _ISO2: "ymd"}
_DF_TARGETS = {_DMY: "j F Y", _YDM: "Y, j F", _MDY: "F j, Y", _YMD: "Y F j", _DM: "j F",
               _MD: "F j", _ISO1: "y-m-d", _ISO2: "y-m-d"}
#: (preference, source) -> target; preference -1 is "any"
_DF_RULES = {(_DMY, _MD): _DM, (-1, _MD): _MD, (_MDY, _DM): _MD, (-1, _DM): _DM,
             (0, _ISO2): _ISO1}
_DF_CACHE: dict[str, tuple[dict[int, re.Pattern[str]], dict[str, int]]] = {}


def _date_regexes(lang: str) -> tuple[dict[int, re.Pattern[str]], dict[str, int]]:
    """DateFormatter's source patterns (whole-text) and month-name lookup for ``lang``."""
    got = _DF_CACHE.get(lang)
    if got is None:
        months = MONTHS.get(lang, MONTHS["en"])
        abbrs = MONTHS_ABBR.get(lang, MONTHS_ABBR["en"])
        x_months = {}
        names = []
        for i in range(12):
            x_months[months[i].lower()] = i + 1
            x_months[abbrs[i].lower()] = i + 1
            names += [re.escape(months[i]), re.escape(abbrs[i])]
        mn = "|".join(names)
        dm = rf"(\d{{1,2}})[ _]({mn})"
        md = rf"({mn})[ _](\d{{1,2}})"
        y = r"(\d{1,4}([ _]BC|))"
        sep = r"(?: *, *| +)"
        raw = {_DMY: dm + sep + y, _YDM: y + sep + dm, _MDY: md + sep + y, _YMD: y + sep + md,
               _DM: dm, _MD: md, _ISO1: r"(-?\d{4})\]\]-(\d{2})-(\d{2})",
               _ISO2: r"(-?\d{4})-(\d{2})-(\d{2})"}
        got = ({k: re.compile("^(?:" + v + ")$(?![a-z])", re.I) for k, v in raw.items()},
               x_months)
        _DF_CACHE[lang] = got
    return got


def _iso_year(year: str) -> str:
    if year.endswith("BC"):
        return "-%04d" % (int(year[:-3]) - 1)
    return "%04d" % int(year)


def _normal_year(iso: str) -> str:
    if iso.startswith("-") or int(iso) <= 0:
        return f"{int(iso.lstrip('-')) + 1} BC"
    return str(int(iso))


def _format_date(bits: dict[str, str], target: int, orig: str, lang: str,
                 x_months: dict[str, int]) -> str:
    """``DateFormatter::formatDate``: the date in the target format inside its span, or the
    original text when the month is not a month."""
    if "y" not in bits and "Y" in bits:
        bits["y"] = _iso_year(bits["Y"])
    if "Y" not in bits and "y" in bits:
        bits["Y"] = _normal_year(bits["y"])
    if "m" not in bits:
        n = x_months.get(bits["F"].lower())
        if not n:
            return orig
        bits["m"] = "%02d" % n
    if "d" not in bits:
        bits["d"] = "%02d" % int(bits["j"])
    text = []
    for ch in _DF_TARGETS[target]:
        if ch in "dmyY":
            text.append(bits[ch])
        elif ch == "j":
            text.append(bits["j"] if "j" in bits else str(int(bits["d"])))
        elif ch == "F":
            m = int(bits["m"])
            if not 1 <= m <= 12:
                return orig
            text.append(MONTHS.get(lang, MONTHS["en"])[m - 1])
        else:
            text.append(ch)
    iso = "-".join(([bits["y"]] if "y" in bits else []) + [bits["m"], bits["d"]])
    return f'<span class="mw-formatted-date" title="{iso}">{"".join(text)}</span>'


def pf_formatdate(pp: Any, frame: Any, args: list) -> str:
    """``CoreParserFunctions::formatDate`` through ``DateFormatter::reformat`` (whole-text
    match, unlinked) in the content language; the second argument is the preference."""
    lang = lang_of(pp)
    regexes, x_months = _date_regexes(lang)
    date = _arg(args, 0).strip(PHP_WS)
    pref = _DF_PREFS.get(_arg(args, 1) or "default", 0)
    for source in range(1, 9):
        target = _DF_RULES.get((pref, source)) or _DF_RULES.get((-1, source)) or pref or source
        m = regexes[source].match(date)
        if not m:
            continue
        groups = m.groups()
        bits = {key: groups[pos] for pos, key in enumerate(_DF_KEYS[source]) if key != " "}
        date = _format_date(bits, target, m.group(0), lang, x_months)
    return date


# -- special page transclusion ({{Special:PrefixIndex/…}}) -----------------------------------
_PREFIX_LIMIT = 345


def _list_prefix(ctx: Any, namespace: int, prefix: str) -> list[Any]:
    """Pages of ``namespace`` whose key starts with ``prefix``: ``source.prefix_index`` when
    the page source has one, else the keys of an in-memory source."""
    lister = getattr(ctx.source, "prefix_index", None)
    if callable(lister):
        return list(lister(namespace, prefix, _PREFIX_LIMIT))
    pages = getattr(ctx.source, "pages", None)
    found = []
    if isinstance(pages, dict):
        for key in pages:
            t = ctx.make_title(key)
            if t is not None and t.namespace == namespace and t.dbkey.startswith(prefix):
                found.append(t)
    return sorted(found, key=lambda t: t.dbkey)[:_PREFIX_LIMIT]


def special_transclusion(pp: Any, title: Any, args: dict[str, str]) -> str | None:
    """HTML of an includable special page transcluded with ``{{Special:…}}``, or None when
    the page cannot be included (MediaWiki then links to it). Only PrefixIndex is
    includable here."""
    from .sanitizer import htmlspecialchars
    from .pplang import title_local_url
    name, _, sub = title.dbkey.partition("/")
    if _SPECIAL_ALIASES.get(name.replace("_", " ").lower()) != "PrefixIndex":
        return None
    ctx = pp.ctx
    prefix = (args.get("prefix") or sub).replace(" ", "_")
    ns_arg = args.get("namespace", "")
    namespace = int(ns_arg) if ns_arg.lstrip("-").isdigit() else 0
    strip = args.get("stripprefix", "") not in ("", "0")
    items = []
    for t in _list_prefix(ctx, namespace, prefix):
        shown = t.text[len(prefix):] if strip else t.text
        info = page_info(ctx, t)
        cls = ' class="mw-redirect"' if info is not None and info.is_redirect else ""
        items.append(f'<li><a href="{htmlspecialchars(title_local_url(ctx, t))}"{cls} '
                     f'title="{htmlspecialchars(t.prefixed_text)}">{htmlspecialchars(shown)}'
                     "</a></li>\n")
    return '<ul class="mw-prefixindex-list">' + "".join(items) + "</ul>"
