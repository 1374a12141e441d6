"""Pre-save transform (Parser::preSaveTransform, pstPass2) and the preload transform.

Owns what happens to wikitext before it is stored: line endings and trailing whitespace,
``{{subst:}}``/``{{safesubst:}}`` expansion (other templates stay as written, comments and
tags survive untouched), signatures ``~~~`` / ``~~~~`` / ``~~~~~`` in MediaWiki's format
(French wording and date when the content language is ``fr``), and the pipe trick
(``[[Foo (bar)|]]`` → ``[[Foo (bar)|Foo]]``, ``[[|Foo]]`` with the page's context).
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from .pplang import MONTHS, escape_wikitext
from .frame import NO_ARGS, NO_TEMPLATES, PHP_WS, Frame
from .ppnodes import preprocess_to_tree
from .preprocess import get_state, preprocess_wikitext

#: Title::legalChars() and the namespace-name characters of pstPass2
_TC = r"[ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\u0080-\U0010ffff+]"
_NC = r"[ _0-9A-Za-z\u0080-\U0010ffff-]"
_P1 = re.compile(rf"\[\[(:?{_NC}+:|:|)({_TC}+?)( ?\({_TC}+\))\|\]\]")
_P4 = re.compile(rf"\[\[(:?{_NC}+:|:|)({_TC}+?)( ?（{_TC}+）)\|\]\]")
_P3 = re.compile(rf"\[\[(:?{_NC}+:|:|)({_TC}+?)( ?\({_TC}+\)|)((?:, |，|، ){_TC}+|)\|\]\]")
_P2 = re.compile(rf"\[\[\|({_TC}+)\]\]")
#: every match of _P1/_P3/_P4 lies inside one such candidate (their characters exclude
#: brackets, braces, pipes, angle brackets and newlines): trying them there only keeps
#: pathological pages (one huge "[[…(…" run) from taking quadratic time
_CANDIDATE = re.compile(r"\[\[[^\[\]{}|<>\n]{1,1024}\|\]\]")
_CTX_PARENS = re.compile(rf"({_NC}+:|){_TC}+?( \({_TC}+\))\Z")
_CTX_COMMA = re.compile(rf"({_NC}+:|){_TC}+?(, {_TC}+|)\Z")

#: $wgMaxSigChars
MAX_SIG_CHARS = 255

_SIG_WORDS = {
    "en": ("talk", "UTC"),
    "fr": ("discussion", "UTC"),
}


def _timeanddate(ts: _dt.datetime, lang: str) -> str:
    """``Language::timeanddate`` in the content language's default format."""
    month = MONTHS.get(lang, MONTHS["en"])[ts.month - 1]
    hm = f"{ts.hour:02d}:{ts.minute:02d}"
    if lang == "fr":
        return f"{ts.day} {month} {ts.year} à {hm}"
    return f"{hm}, {ts.day} {month} {ts.year}"


def signature_date(ctx: Any) -> str:
    """The ``~~~~~`` text: local time and timezone name."""
    ts = ctx.site.clock()
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=_dt.timezone.utc)
    zone = ctx.site.timezone or "UTC"
    tz_name = "UTC"
    if zone != "UTC":
        try:
            from zoneinfo import ZoneInfo
            ts = ts.astimezone(ZoneInfo(zone))
            tz_name = ts.tzname() or zone
        except Exception:  # unknown zone: MediaWiki shows UTC
            ts = ts.astimezone(_dt.timezone.utc)
    else:
        ts = ts.astimezone(_dt.timezone.utc)
    return f"{_timeanddate(ts, ctx.site.language)} ({tz_name})"


def _is_ip(name: str) -> bool:
    if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", name):
        return all(int(p) < 256 for p in name.split("."))
    return bool(re.fullmatch(r"[0-9A-Fa-f:]+", name) and name.count(":") >= 2)


def _clean_sig_in_sig(text: str) -> str:
    """``Parser::cleanSigInSig``: no signatures inside a signature."""
    return re.sub(r"~{3,5}", "", text)


def _valid_sig(text: str) -> bool:
    """``Parser::validateSig``: a fancy signature must be a well-formed XML fragment."""
    from xml.etree import ElementTree
    try:
        ElementTree.fromstring(f"<sig>{text}</sig>")
    except ElementTree.ParseError:
        return False
    return True


def clean_sig(text: str, ctx: Any) -> str:
    """``Parser::cleanSig``: templates in a fancy signature are substituted, tildes dropped."""
    mw = get_state(ctx).mw
    subst = "|".join(re.escape(s) for s in mw.synonyms("subst"))
    text = re.sub(r"\{\{(?!(?:" + subst + "))", "{{" + mw.synonyms("subst")[0], text,
                  flags=re.I)
    text = _clean_sig_in_sig(text)
    return preprocess_wikitext(text, ctx, ot="wiki")


def user_signature(ctx: Any) -> str:
    """``Parser::getUserSig``: the ``~~~`` text for the user saving the page."""
    opts = ctx.options
    username = opts.user_name or "127.0.0.1"
    nickname = opts.user_nickname or ""
    ns = ctx.site.namespaces
    if not nickname or len(nickname) > MAX_SIG_CHARS:
        nickname = username
    elif opts.user_fancy_sig:
        if _valid_sig(nickname):
            return clean_sig(nickname, ctx)
        nickname = username
    nickname = _clean_sig_in_sig(nickname)
    user_text = escape_wikitext(username, ctx)
    nick_text = escape_wikitext(nickname, ctx)
    if _is_ip(username):
        special = ns.name(-1)
        return f"[[{special}:Contributions/{user_text}|{nick_text}]]"
    talk_word = _SIG_WORDS.get(ctx.site.language, _SIG_WORDS["en"])[0]
    return (f"[[{ns.name(2)}:{user_text}|{nick_text}]] "
            f"([[{ns.name(3)}:{user_text}|{talk_word}]])")


def _context_link(m: re.Match[str]) -> str:
    link = m.group(0)
    link = _P1.sub(r"[[\1\2\3|\2]]", link)
    link = _P4.sub(r"[[\1\2\3|\2]]", link)
    return _P3.sub(r"[[\1\2\3\4|\2]]", link)


def pipe_trick(text: str, title: Any) -> str:
    """The context links of ``pstPass2``."""
    if "|]]" in text:
        text = _CANDIDATE.sub(_context_link, text)
    if "[[|" in text:
        t = title.text
        m = _CTX_PARENS.match(t)
        if m:
            text = _P2.sub(lambda mm: f"[[{m.group(1)}{mm.group(1)}{m.group(2)}|{mm.group(1)}]]",
                           text)
        else:
            m = _CTX_COMMA.match(t)
            if m and (m.group(1) + m.group(2)) != "":
                text = _P2.sub(
                    lambda mm: f"[[{m.group(1)}{mm.group(1)}{m.group(2)}|{mm.group(1)}]]", text)
            else:
                text = _P2.sub(r"[[\1]]", text)
    return text


def pre_save_transform(text: str, ctx: Any) -> str:
    """``Parser::preSaveTransform``: the wikitext to store for ``text`` saved by
    ``ctx.options.user_name`` on ``ctx.title``."""
    text = text.replace("\x00", "")
    text = text.rstrip(PHP_WS).replace("\r\n", "\n").replace("\r", "\n")
    d = signature_date(ctx)
    text = preprocess_wikitext(text, ctx, ot="wiki")
    if "~~~" in text:
        sig = user_signature(ctx)
        text = re.sub(r"~~~~~|~~~~|~~~",
                      lambda m: {"~~~~~": d, "~~~~": f"{sig} {d}", "~~~": sig}[m.group(0)], text)
        ctx.output.set_flag("user-signature")
    text = pipe_trick(text, ctx.title)
    text = ctx.strip.unstrip_both(text)
    return text.rstrip(PHP_WS)


def preload_transform(text: str, ctx: Any, params: dict[str, str] | None = None) -> str:
    """``Parser::getPreloadText``: ``<includeonly>`` kept, ``<noinclude>`` dropped, nothing
    else expanded (templates and arguments stay as written)."""
    pp = get_state(ctx)
    old = pp.ot
    pp.ot = "plain"
    try:
        frame = Frame(pp, ctx.title)
        if params:
            from .frame import TemplateFrame
            frame = TemplateFrame(pp, frame, {k: [v] for k, v in params.items()}, {},
                                  ctx.title)
        out = frame.expand(preprocess_to_tree(text, True, pp.tags), NO_ARGS | NO_TEMPLATES)
    finally:
        pp.ot = old
    return ctx.strip.unstrip_both(out)


__all__ = ["pre_save_transform", "preload_transform", "user_signature", "signature_date",
           "pipe_trick"]
