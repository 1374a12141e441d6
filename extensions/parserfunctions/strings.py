"""ParserFunctions' string functions (``$wgPFEnableStringFunctions``): ``#len #pos #rpos
#sub #count #replace #explode #urldecode``, with PHP's multibyte semantics, strip markers
removed first, and the ``$wgPFStringLengthLimit`` (1000 characters) error.
"""
from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import unquote_plus

from wikiengine.parser.corefunctions import is_numeric, kill_markers, php_intval
from wikiengine.parser.frame import PHP_WS

STRING_LENGTH_LIMIT = 1000
MESSAGES = {"en": "Error: String exceeds $1 character limit.",
            "fr": "Erreur : la chaîne dépasse la limite maximale de $1 caractères."}


def _arg(args: list, i: int) -> str:
    if len(args) <= i or args[i] is None:
        return ""
    arg = args[i]
    return arg.strip(PHP_WS) if isinstance(arg, str) else arg.text()


def _msg(ctx: Any) -> str:
    lang = "fr" if getattr(ctx.site, "language", "en") == "fr" else "en"
    text = MESSAGES[lang].replace("$1", str(STRING_LENGTH_LIMIT))
    return f'<strong class="error">{html.escape(text)}</strong>'


# -- strings --------------------------------------------------------------------------------
def _str(args: list, i: int) -> str:
    return kill_markers(_arg(args, i))


def _too_long(ctx: Any, *texts: str) -> str | None:
    if any(len(t) >= STRING_LENGTH_LIMIT for t in texts):
        return _msg(ctx)
    return None


def pf_len(ctx: Any, frame: Any, args: list) -> str:
    return str(len(_str(args, 0)))


def pf_pos(ctx: Any, frame: Any, args: list) -> str:
    s, needle = _str(args, 0), _str(args, 1)
    err = _too_long(ctx, s, needle)
    if err:
        return err
    offset = min(php_intval(_arg(args, 2)), len(s))
    if offset < 0:
        offset = max(len(s) + offset, 0)
    pos = s.find(needle or " ", offset)
    return "" if pos < 0 else str(pos)


def pf_rpos(ctx: Any, frame: Any, args: list) -> str:
    s, needle = _str(args, 0), _str(args, 1)
    err = _too_long(ctx, s, needle)
    if err:
        return err
    return str(s.rfind(needle or " "))


def _mb_substr(s: str, start: int, length: int | None) -> str:
    n = len(s)
    if start < 0:
        start = max(n + start, 0)
    start = min(start, n)
    if length is None:
        return s[start:]
    end = n + length if length < 0 else start + length
    return s[start:max(end, start)]


def pf_sub(ctx: Any, frame: Any, args: list) -> str:
    s = _str(args, 0)
    err = _too_long(ctx, s)
    if err:
        return err
    length = php_intval(_arg(args, 2))
    return _mb_substr(s, php_intval(_arg(args, 1)), length or None)


def pf_count(ctx: Any, frame: Any, args: list) -> str:
    s, sub = _str(args, 0), _str(args, 1)
    err = _too_long(ctx, s, sub)
    if err:
        return err
    return str(s.count(sub or " "))


def pf_replace(ctx: Any, frame: Any, args: list) -> str:
    s, old, new = _str(args, 0), _str(args, 1), _str(args, 2)
    err = _too_long(ctx, s, old, new)
    if err:
        return err
    old = old or " "
    diff = len(new) - len(old)
    limit = int((STRING_LENGTH_LIMIT - len(s)) / diff) + 1 if diff > 0 else -1
    user_limit = php_intval(_arg(args, 3)) if len(args) > 3 and _arg(args, 3) != "" else -1
    if user_limit >= 0 and (limit > user_limit or limit == -1):
        limit = user_limit
    result = s.replace(old, new, limit)
    return _too_long(ctx, result) or result


def pf_explode(ctx: Any, frame: Any, args: list) -> str:
    s, div = _str(args, 0), _str(args, 1) or " "
    err = _too_long(ctx, s, div)
    if err:
        return err
    lim = php_intval(_arg(args, 3)) if len(args) > 3 else 0
    pieces = s.split(div, lim - 1) if lim > 0 else s.split(div)
    if lim < 0:
        pieces = pieces[:lim]
    pos = _arg(args, 2)
    if re.fullmatch(r"0|-?[1-9]\d*", pos):
        i = int(pos)
        if i < 0:
            i += len(pieces)
        return pieces[i] if 0 <= i < len(pieces) else ""
    if is_numeric(pos):
        nonneg = float(pos) >= 0
    else:
        nonneg = pos >= "0"
    if nonneg:
        return ""
    i = len(pieces) + php_intval(pos)
    return pieces[i] if 0 <= i < len(pieces) and php_intval(pos) < 0 else ""


def pf_urldecode(ctx: Any, frame: Any, args: list) -> str:
    s = _str(args, 0)
    err = _too_long(ctx, s)
    if err:
        return err
    return unquote_plus(s, errors="replace")


STRING_FUNCTIONS = {
    "#len": pf_len, "#pos": pf_pos, "#rpos": pf_rpos, "#sub": pf_sub, "#count": pf_count,
    "#replace": pf_replace, "#explode": pf_explode, "#urldecode": pf_urldecode,
}
