"""Core parser functions (CoreParserFunctions) and the table of every core function.

Owns what ``{{lc:}}``, ``{{uc:}}``, ``{{ns:}}``, ``{{urlencode:}}``, ``{{localurl:}}``,
``{{fullurl:}}``, ``{{formatnum:}}``, ``{{padleft:}}``, ``{{plural:}}``, ``{{gender:}}``,
``{{#language:}}``, ``{{anchorencode:}}``, ``{{PAGENAME:…}}`` & co produce, and ``FUNCTIONS``
(magic-word id -> function). Page/site functions live in ``ppmeta``, ``{{#tag:}}`` and the
core tags in ``pptags``, magic variables in ``ppvariables``, language data in ``pplang``.
"""
from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import quote, quote_plus, unquote

from wikiengine.namespaces import FILE, MEDIA, USER
from wikiengine.title import ucfirst

from .frame import PHP_WS
from .pplang import (
    LANGUAGE_NAMES, RTL_LANGUAGES, _legacy_format_num, convert_plural, format_num, format_raw,
    is_numeric,
    kill_markers, lang_of, marker_skip, parse_formatted_number, php_intval, title_full_url,
    title_local_url)
from .pplang import nth_arg as _arg
from .ppmeta import (pf_defaultsort, pf_displaytitle, pf_filepath, pf_formatdate, pf_int,
                     pf_pageid, pf_pagesincategory, pf_pagesize, pf_protectionexpiry,
                     pf_protectionlevel, pf_revisionid, pf_special, pf_speciale)
from .pptags import OBJECT_ARGS, delimiter_remove, pf_tag
from .ppvariables import (
    _PAGENAME_IDS, _STATS, _namespace_value, _page_name_value, _revision_value, site_stats)
from .site import wfurlencode


# -- parser functions ------------------------------------------------------------------------------
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


def pf_plural(pp: Any, frame: Any, args: list) -> str:
    text = parse_formatted_number(pp.ctx, _arg(args, 0))
    try:
        count = float(text) if text.strip() else 0.0
    except ValueError:
        count = float(php_intval(text))
    return convert_plural(lang_of(pp), count, list(args[1:]))


def _grammar_fi(word: str, case: str) -> str:
    """``LanguageFi::convertGrammar`` (the rules MediaWiki uses for site names)."""
    aou = bool(re.search(r"[aou][^äöy]*$", word, re.I)) and not re.search(r"wiki$", word, re.I)
    if re.search(r"[bcdfghjklmnpqrstvwxz]$", word, re.I):
        word += "i"
    if case == "genitive":
        word += "n"
    elif case == "elative":
        word += "sta" if aou else "stä"
    elif case == "partitive":
        word += "a" if aou else "ä"
    elif case == "illative":
        word += word[-1:] + "n"
    elif case == "inessive":
        word += "ssa" if aou else "ssä"
    return word


def pf_grammar(pp: Any, frame: Any, args: list) -> str:
    """``{{grammar:case|word}}``: English and French have no grammatical forms (the word is
    returned); Finnish site-name rules are ported."""
    case, word = _arg(args, 0), kill_markers(_arg(args, 1))
    if lang_of(pp) == "fi" and word:
        return _grammar_fi(word, case)
    return word


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
    """``{{#language:code}}``: the language's own name (autonym, as core MediaWiki without
    the CLDR extension gives), else the code in BCP 47 form."""
    code = _arg(args, 0).strip().lower()
    name = LANGUAGE_NAMES.get(code, "")
    return name if name else pf_bcp47(pp, frame, [code])


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

__all__ = ["FUNCTIONS", "OBJECT_ARGS"]
