"""ParserFunctions: ``{{#if:}}`` and friends, a port of MediaWiki's ParserFunctions extension.

Owns the handlers of ``#if #ifeq #iferror #ifexpr #expr #switch #ifexist #time #timel
#rel2abs #titleparts`` and the string functions ``#len #pos #rpos #sub #count #replace
#explode #urldecode`` (``$wgPFEnableStringFunctions``) and their error messages
(``<strong class="error">…</strong>``, in the content language).
Branches are expanded lazily, as MediaWiki's SFH_OBJECT_ARGS handlers do, so a 10,000-deep
``#if`` nest costs only the branches taken and stays inside the preprocessor's limits.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from wikiengine.namespaces import FILE, MEDIA, SPECIAL
from wikiengine.parser.corefunctions import is_numeric, php_intval
from wikiengine.parser.frame import PHP_WS
from wikiengine.parser.sanitizer import decode_char_references

from .expr import ExprError, evaluate
from .strings import STRING_FUNCTIONS
from .timefmt import LANGUAGES, UTC, InvalidTime, _YearError, parse_date, sprintf_date

__version__ = "1.6.1"

MAX_TIME_CHARS = 6000

MESSAGES = {
    "en": {
        "time_error": "Error: Invalid time.",
        "time_too_long": "Error: Too many #time calls.",
        "time_too_big": "Error: #time only supports years up to 9999.",
        "time_too_small": "Error: #time only supports years from 0.",
        "rel2abs_invalid_depth": 'Error: Invalid depth in path: "$1" (tried to access a '
                                 "node above the root node).",
    },
    "fr": {
        "time_error": "Erreur : durée invalide.",
        "time_too_long": "Erreur : appels trop nombreux à #time.",
        "time_too_big": "Erreur : #time prend uniquement en charge des années jusqu’à 9999.",
        "time_too_small": "Erreur : #time prend uniquement en charge les années à partir de 0.",
        "rel2abs_invalid_depth": "Erreur : profondeur invalide dans le chemin « $1 » "
                                 "(tentative d’accès à un noeud au-dessus du nœud racine).",
    },
}

#: ``#default``: ParserFunctions.i18n.magic.php has no French synonyms (French wikis write
#: the English names), so every content language matches only this one
_DEFAULTS = ("#default",)
_ERROR_CLASS = re.compile(r'<(?:strong|span|p|div)\s(?:[^\s>]*\s+)*?class="(?:[^"\s>]*\s+)*?'
                          r'error(?:\s[^">]*)?"')


def _lang(ctx: Any) -> str:
    return "fr" if getattr(ctx.site, "language", "en") == "fr" else "en"


def _msg(ctx: Any, key: str, param: str = "") -> str:
    text = MESSAGES[_lang(ctx)][key].replace("$1", param)
    return f'<strong class="error">{html.escape(text)}</strong>'


def _text(arg: Any) -> str:
    """An argument expanded and trimmed (the first one arrives as a string)."""
    if arg is None:
        return ""
    if isinstance(arg, str):
        return arg.strip(PHP_WS)
    return arg.text()


def _arg(args: list, i: int) -> str:
    return _text(args[i]) if len(args) > i else ""


def _decode(text: str) -> str:
    return decode_char_references(text).strip(PHP_WS)


def _php_loose_equal(a: str, b: str) -> bool:
    """PHP 8 ``==`` between two strings: numerically when both are numeric."""
    if a == b:
        return True
    if is_numeric(a) and is_numeric(b):
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return False


# -- conditionals ---------------------------------------------------------------------------
def pf_if(ctx: Any, frame: Any, args: list) -> str:
    return _arg(args, 1) if _arg(args, 0) != "" else _arg(args, 2)


def pf_ifeq(ctx: Any, frame: Any, args: list) -> str:
    left, right = _decode(_arg(args, 0)), _decode(_arg(args, 1))
    return _arg(args, 2) if _php_loose_equal(left, right) else _arg(args, 3)


def pf_iferror(ctx: Any, frame: Any, args: list) -> str:
    test = _arg(args, 0)
    if _ERROR_CLASS.search(test):
        return _arg(args, 1)
    if len(args) > 2:
        return _arg(args, 2)
    return test


def pf_expr(ctx: Any, frame: Any, args: list) -> str:
    try:
        return evaluate(_arg(args, 0))
    except ExprError as e:
        return f'<strong class="error">{html.escape(e.message(_lang(ctx)))}</strong>'


def pf_ifexpr(ctx: Any, frame: Any, args: list) -> str:
    try:
        result = evaluate(_arg(args, 0))
    except ExprError as e:
        return f'<strong class="error">{html.escape(e.message(_lang(ctx)))}</strong>'
    truth = float(result) != 0 if is_numeric(result) else result not in ("", "0")
    return _arg(args, 1) if truth else _arg(args, 2)


def pf_switch(ctx: Any, frame: Any, args: list) -> str:
    if not args:
        return ""
    primary = _decode(_text(args[0]))
    defaults = _DEFAULTS
    found = default_found = False
    default = None
    last_had_no_equals = False
    last_item = ""
    for arg in args[1:]:
        name = arg.name()
        if name is not None:
            last_had_no_equals = False
            if found:
                return arg.value()
            test = _decode(name)
            if _php_loose_equal(test, primary):
                return arg.value()
            if default_found or test.lower() in defaults:
                default = arg
                default_found = False
        else:
            last_had_no_equals = True
            last_item = arg.text()
            decoded = _decode(last_item)
            if _php_loose_equal(decoded, primary):
                found = True
            elif decoded.lower() in defaults:
                default_found = True
    if last_had_no_equals:
        return last_item
    return default.value() if default is not None else ""


# -- pages ----------------------------------------------------------------------------------
def _expensive(ctx: Any) -> bool:
    from wikiengine.parser.preprocess import get_state
    return get_state(ctx).increment_expensive()


def _file_exists(ctx: Any, title: Any) -> bool:
    info = ctx.source.file_info(title)
    if info is None:  # a File: page redirecting to a file counts, as RepoGroup::findFile
        from wikiengine.parser.preprocess import redirect_target
        page = ctx.make_title(title.dbkey, FILE)
        text = ctx.source.get_text(page) if page is not None else None
        target = redirect_target(text, ctx) if text else None
        if target is not None and target.namespace == FILE:
            info = ctx.source.file_info(target)
            if info is not None:
                ctx.output.images[target.dbkey] = True
    ctx.output.images[title.dbkey] = True
    return info is not None


def ifexist_test(ctx: Any, text: str) -> bool:
    title = ctx.make_title(text)
    if title is None:
        return False
    if title.namespace == MEDIA:
        return _expensive(ctx) and _file_exists(ctx, title)
    if title.namespace == SPECIAL:
        known = getattr(ctx.source, "special_page_exists", None)
        return bool(known(title.dbkey.split("/", 1)[0])) if known else False
    if title.interwiki:
        return False
    key = title.prefixed_dbkey
    if key not in ctx.exists_cache and not _expensive(ctx):
        return False
    ctx.output.add_link(title)
    return ctx.title_exists(title)


def pf_ifexist(ctx: Any, frame: Any, args: list) -> str:
    return _arg(args, 1) if ifexist_test(ctx, _arg(args, 0)) else _arg(args, 2)


def pf_rel2abs(ctx: Any, frame: Any, args: list) -> str:
    to, base = _arg(args, 0), _arg(args, 1)
    if base == "":
        base = ctx.title.prefixed_text
    to = to.rstrip(" /")
    if to in ("", "."):
        return base
    if not (to.startswith("/") or to.startswith("./") or to.startswith("../") or to == ".."):
        base = ""
    full = "/" + base + "/" + to + "/"
    full = re.sub(r"/(\./)+", "/", full)
    full = re.sub(r"/{2,}", "/", full)
    full = full.strip("/")
    parts: list[str] = []
    for current in full.split("/"):
        if current == "..":
            if not parts:
                return _msg(ctx, "rel2abs_invalid_depth", full)
            parts.pop()
        else:
            parts.append(current)
    return "/".join(parts)


def _slice(items: list, offset: int, length: int | None) -> list:
    """PHP ``array_slice``."""
    n = len(items)
    start = max(n + offset, 0) if offset < 0 else min(offset, n)
    if length is None:
        return items[start:]
    stop = max(n + length, start) if length < 0 else min(start + length, n)
    return items[start:stop]


def pf_titleparts(ctx: Any, frame: Any, args: list) -> str:
    text = _arg(args, 0)
    parts, offset = php_intval(_arg(args, 1)), php_intval(_arg(args, 2))
    title = ctx.make_title(text)
    if title is None:
        return text
    bits = title.prefixed_text.split("/", 24)
    if offset > 0:
        offset -= 1
    return "/".join(_slice(bits, offset, parts or None))


# -- time -----------------------------------------------------------------------------------
def _time(ctx: Any, args: list, local: bool) -> str:
    fmt, date = _arg(args, 0), _arg(args, 1)
    language = _arg(args, 2)
    if not local and len(args) > 3 and _arg(args, 3):
        local = True
    lang = language if language in LANGUAGES else (
        getattr(ctx.options, "target_language", "") or getattr(ctx.site, "language", "en"))
    zone: Any = UTC
    if local and getattr(ctx.site, "timezone", "UTC") not in ("", "UTC"):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            zone = ZoneInfo(ctx.site.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = UTC
    now = ctx.site.clock() if hasattr(ctx.site, "clock") else dt.datetime.now(UTC)
    if not date.strip() and hasattr(ctx.output, "update_cache_expiry"):
        ctx.output.update_cache_expiry(3600)  # shows the current time: re-render within the hour
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        when = parse_date(date, now) if date else now
        when = when.astimezone(zone)
    except _YearError as e:
        return _msg(ctx, "time_too_small" if str(e) == "small" else "time_too_big")
    except (InvalidTime, OverflowError, ValueError):
        return _msg(ctx, "time_error")
    used = ctx.ext_state.get("pf_time_chars", 0) + len(fmt)
    ctx.ext_state["pf_time_chars"] = used
    if used > MAX_TIME_CHARS:
        return _msg(ctx, "time_too_long")
    return sprintf_date(fmt, when, lang)


def pf_time(ctx: Any, frame: Any, args: list) -> str:
    return _time(ctx, args, False)


def pf_timel(ctx: Any, frame: Any, args: list) -> str:
    return _time(ctx, args, True)


FUNCTIONS = {
    "#if": pf_if, "#ifeq": pf_ifeq, "#iferror": pf_iferror, "#ifexpr": pf_ifexpr,
    "#expr": pf_expr, "#switch": pf_switch, "#ifexist": pf_ifexist, "#time": pf_time,
    "#timel": pf_timel, "#rel2abs": pf_rel2abs, "#titleparts": pf_titleparts,
}


def register(registry: Any, config: Any) -> None:
    registry.describe("ParserFunctions", __version__,
                      description="Enhance parser with logical functions",
                      url="https://www.mediawiki.org/wiki/Extension:ParserFunctions",
                      license="GPL-2.0-or-later",
                      author="Tim Starling, Robert Rohde, Ross McClure, Juraj Simlovic")
    functions = dict(FUNCTIONS)
    if config.get("PF_ENABLE_STRING_FUNCTIONS", True):
        functions.update(STRING_FUNCTIONS)
    for name, fn in functions.items():
        registry.add_function(name, fn)
