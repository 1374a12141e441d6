"""Language data and wikitext helpers for the preprocessor (pieces of MediaWiki's Language,
wfEscapeWikiText, Parser::markerSkipCallback, Linker::normalizeSubpageLink, Title URLs).

Owns month and day names, number formatting (formatNum, parseFormattedNumber) and plural
rules for English and French content, the interface and parser messages (limit warnings,
inline errors, tracking category names, French from MediaWiki's fr.json), escaping text so
it renders literally, relative subpage names and the local/full URLs of titles.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from .site import wfurlencode
from .strip import MARKER_PREFIX, MARKER_SUFFIX

# -- language data ------------------------------------------------------------------------
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}
MONTHS_ABBR = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.", "oct.",
           "nov.", "déc."],
}
DAYS = {
    "en": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "fr": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
}
#: Language::$separatorTransformTable (',' thousands, '.' decimal) per language
SEPARATORS = {"fr": {",": "\u202f", ".": ","}, "de": {",": ".", ".": ","},
              "be-tarask": {",": "\xa0", ".": ","}}
LANGUAGE_NAMES = {
    "ar": "العربية", "de": "Deutsch", "en": "English", "es": "español", "fr": "français",
    "it": "italiano", "ja": "日本語", "nl": "Nederlands", "pl": "polski", "pt": "português",
    "ru": "русский", "zh": "中文", "br": "brezhoneg", "ca": "català", "eu": "euskara",
    "oc": "occitan", "co": "corsu", "gsw": "Alemannisch", "he": "עברית", "fa": "فارسی",
    "fi": "suomi", "sv": "svenska", "nb": "norsk bokmål", "da": "dansk", "el": "Ελληνικά",
    "tr": "Türkçe", "uk": "українська", "cs": "čeština", "ko": "한국어", "la": "Latina",
    "sr": "српски / srpski", "kk": "қазақша", "be-tarask": "беларуская (тарашкевіца)",
    "mul": "multiple languages",
}
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "ckb", "dv", "arz", "azb"})

#: Interface messages used by {{int:}} when no MediaWiki: page overrides them.
MESSAGES = {
    "en": {
        "lang": "en", "edit": "Edit", "mainpage": "Main Page", "history_short": "History",
        "talk": "Discussion", "categories": "Categories", "toc": "Contents",
        "editsection": "edit", "search": "Search", "youhavenewmessages": "You have $1 ($2).",
        "pagecategories": "{{PLURAL:$1|Category|Categories}}",
        "duplicate-defaultsort": "<strong>Warning:</strong> Default sort key \"$2\" overrides "
                                 "earlier default sort key \"$1\".",
        "duplicate-displaytitle": "<strong>Warning:</strong> Display title \"$2\" overrides "
                                  "earlier display title \"$1\".",
    },
    "fr": {
        "lang": "fr", "edit": "Modifier", "mainpage": "Accueil", "history_short": "Historique",
        "talk": "Discussion", "categories": "Catégories", "toc": "Sommaire",
        "editsection": "modifier", "search": "Rechercher",
    },
}


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


#: MediaWiki's parser messages (en.json / fr.json): limit warnings, inline errors and
#: tracking category names. A language without an entry falls back to English.
PARSER_MESSAGES = {
    "en": {
        "parser-template-loop-warning": "Template loop detected: [[$1]]",
        "template-loop-warning": "<strong>Warning:</strong> This page calls [[:$1]] which causes "
                                 "a template loop (an infinite recursive call).",
        "parser-template-recursion-depth-warning": "Template recursion depth limit exceeded ($1)",
        "post-expand-template-inclusion-warning": "<strong>Warning:</strong> Template include "
                                                  "size is too large.\nSome templates will not "
                                                  "be included.",
        "post-expand-template-argument-warning": "<strong>Warning:</strong> This page contains at "
                                                 "least one template argument that has a too "
                                                 "large expansion size.\nThese arguments have "
                                                 "been omitted.",
        "node-count-exceeded-warning": "Page exceeded the node-count",
        "expansion-depth-exceeded-warning": "Page exceeded the expansion depth",
        "expensive-parserfunction-warning": "<strong>Warning:</strong> This page contains too many "
                                            "expensive parser function calls.\n\nIt should have "
                                            "less than $2 {{PLURAL:$2|call|calls}}, there "
                                            "{{PLURAL:$1|is now $1 call|are now $1 calls}}.",
        "duplicate-args-warning": "<strong>Warning:</strong> [[:$1]] is calling [[:$2]] with more "
                                  "than one value for the \"$3\" parameter. Only the last value "
                                  "provided will be used.",
        "template-loop-category": "Pages with template loops",
        "post-expand-template-inclusion-category": "Pages where template include size is "
                                                   "exceeded",
        "post-expand-template-argument-category": "Pages containing omitted template arguments",
        "expensive-parserfunction-category": "Pages with too many expensive parser function "
                                             "calls",
        "node-count-exceeded-category": "Pages where node count is exceeded",
        "expansion-depth-exceeded-category": "Pages where expansion depth is exceeded",
        "duplicate-args-category": "Pages using duplicate arguments in template calls",
        "hidden-category-category": "Hidden categories",
        "noindex-category": "Noindexed pages",
        "index-category": "Indexed pages",
        "nonnumeric-formatnum": "Pages with non-numeric formatnum arguments",
        "restricted-displaytitle-ignored": "Pages with ignored display titles",
        "broken-file-category": "Pages with broken file links",
    },
    "fr": {
        "parser-template-loop-warning": "Modèle en boucle détecté : [[$1]]",
        "template-loop-warning": "<strong>Avertissement :</strong> cette page appelle [[:$1]] ce "
                                 "qui provoque une boucle du modèle (un appel récursif "
                                 "potentiellement infini).",
        "parser-template-recursion-depth-warning": "Limite de profondeur des appels récursifs de "
                                                   "modèles dépassée ($1)",
        "post-expand-template-inclusion-warning": "<strong>Attention :</strong> cette page "
                                                  "contient trop d’inclusions de modèles. "
                                                  "Certaines inclusions ne seront pas effectuées.",
        "post-expand-template-argument-warning": "<strong>Attention :</strong> cette page "
                                                 "contient au moins un paramètre de modèle dont "
                                                 "la taille après expansion est trop "
                                                 "importante.\nCes arguments ont été omis.",
        "node-count-exceeded-warning": "La page dépasse le nombre de nœuds maximal.",
        "expansion-depth-exceeded-warning": "Page dépassant la profondeur d’expansion maximale",
        "expensive-parserfunction-warning": "<strong>Attention :</strong> cette page contient de "
                                            "trop nombreux appels à des fonctions coûteuses de "
                                            "l’analyseur syntaxique.\n\nIl devrait y avoir moins "
                                            "de $2 appel{{PLURAL:$2||s}}, alors qu’il y "
                                            "en{{PLURAL:$1|}} a maintenant $1.",
        "duplicate-args-warning": "<strong>Avertissement :</strong> [[:$1]] appelle [[:$2]] avec "
                                  "plus d'une valeur pour le paramètre « $3 ». Seule la dernière "
                                  "valeur fournie sera utilisée.",
        "template-loop-category": "Pages avec des boucles de modèle",
        "post-expand-template-inclusion-category": "Pages contenant trop d’inclusions de modèles",
        "post-expand-template-argument-category": "Pages contenant des paramètres de modèle non "
                                                  "évalués",
        "expensive-parserfunction-category": "Pages avec trop d’appels dispendieux aux fonctions "
                                             "de l’analyseur syntaxique",
        "node-count-exceeded-category": "Pages dépassant le nombre de nœuds maximal",
        "expansion-depth-exceeded-category": "Pages dépassant la profondeur d'expansion maximale",
        "duplicate-args-category": "Pages utilisant des arguments dupliqués dans les appels de "
                                   "modèle",
        "broken-file-category": "Pages avec des liens de fichiers brisés",
    },
}
_MSG_PLURAL = re.compile(r"\{\{PLURAL:\$(\d)\|([^{}]*)\}\}")


def parser_message(language: str, key: str, *params: object) -> str | None:
    """A parser message in ``language`` (English fallback), ``$N`` and ``{{PLURAL:$N|…}}``
    filled in."""
    text = PARSER_MESSAGES.get(language, {}).get(key) or PARSER_MESSAGES["en"].get(key)
    if text is None:
        return None
    values = [str(p) for p in params]

    def plural(m: re.Match[str]) -> str:
        n = int(m.group(1))
        value = values[n - 1] if n <= len(values) else "0"
        try:
            count = float(value)
        except ValueError:
            count = 0.0
        return convert_plural(language, count, m.group(2).split("|"))

    text = _MSG_PLURAL.sub(plural, text)
    for i, v in enumerate(values, 1):
        text = text.replace(f"${i}", v)
    return text


#: the characters PHP's trim() removes
PHP_WS_CHARS = " \t\n\r\0\x0b"


def nth_arg(args: list, i: int, default: str = "") -> str:
    """Argument ``i`` of a parser function's plain-text arguments, or ``default``."""
    return args[i] if len(args) > i else default


def page_info(ctx: Any, title: Any) -> Any:
    """``source.page_info(title)``, or None when the page source cannot tell (a source
    that only serves texts still renders PAGESIZE & co, as for a missing page)."""
    lookup = getattr(ctx.source, "page_info", None)
    if title is None or not callable(lookup):
        return None
    return lookup(title)


def lang_of(pp_or_ctx: Any) -> str:
    ctx = getattr(pp_or_ctx, "ctx", pp_or_ctx)
    return ctx.site.language


def message(ctx: Any, key: str, *params: str, language: str | None = None) -> str | None:
    lang = language or ctx.site.language
    text = MESSAGES.get(lang, {}).get(key) or MESSAGES["en"].get(key)
    if text is None:
        return None
    for i, p in enumerate(params, 1):
        text = text.replace(f"${i}", p)
    return text


def system_message(ctx: Any, title: Any) -> str | None:
    """Text of a MediaWiki: page that has no revision (the built-in message), or None."""
    key = title.dbkey[:1].lower() + title.dbkey[1:]
    lang = ctx.site.language
    if "/" in key:
        key, lang = key.rsplit("/", 1)
    return MESSAGES.get(lang, {}).get(key) or MESSAGES["en"].get(key)


# -- wfEscapeWikiText ---------------------------------------------------------------------
_ESC_BASE = {
    '"': "&#34;", "&": "&#38;", "'": "&#39;", "<": "&#60;", "=": "&#61;", ">": "&#62;",
    "[": "&#91;", "]": "&#93;", "{": "&#123;", "|": "&#124;", "}": "&#125;", ";": "&#59;",
    "\n#": "\n&#35;", "\r#": "\r&#35;", "\n*": "\n&#42;", "\r*": "\r&#42;",
    "\n:": "\n&#58;", "\r:": "\r&#58;", "\n ": "\n&#32;", "\r ": "\r&#32;",
    "\n\n": "\n&#10;", "\r\n": "&#13;\n", "\n\r": "\n&#13;", "\r\r": "\r&#13;",
    "\n\t": "\n&#9;", "\r\t": "\r&#9;", "\n----": "\n&#45;---", "\r----": "\r&#45;---",
    "__": "_&#95;", "://": "&#58;//", "~~~": "~~&#126;",
}
_ESC_CACHE: dict[tuple[str, ...], tuple[re.Pattern[str], dict[str, str]]] = {}


def _escape_table(magic: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    got = _ESC_CACHE.get(magic)
    if got is None:
        table = dict(_ESC_BASE)
        for m in magic:
            for ch, ent in ((" ", "&#32;"), ("\t", "&#9;"), ("\r", "&#13;"), ("\n", "&#10;"),
                            ("\f", "&#12;")):
                table[m + ch] = m + ent
        keys = sorted(table, key=len, reverse=True)
        got = (re.compile("|".join(re.escape(k) for k in keys)), table)
        _ESC_CACHE[magic] = got
    return got


_DEFAULT_COLON_PROTOCOLS = ("bitcoin:", "geo:", "magnet:", "mailto:", "matrix:", "news:", "sip:",
                            "sips:", "sms:", "tel:", "urn:", "xmpp:")
_COLON_CACHE: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _colon_protocols(protocols: tuple[str, ...]) -> re.Pattern[str] | None:
    """The ``\b(mailto|news|…):`` pattern of wfEscapeWikiText for these URL protocols."""
    if protocols not in _COLON_CACHE:
        colon = [p[:-1] for p in protocols if p.endswith(":")]
        _COLON_CACHE[protocols] = re.compile(
            r"\b(" + "|".join(re.escape(p) for p in colon) + "):", re.I) if colon else None
    return _COLON_CACHE[protocols]


def escape_wikitext(text: str, ctx: Any = None) -> str:
    """``wfEscapeWikiText``: make ``text`` render literally as wikitext."""
    magic: tuple[str, ...] = ("ISBN", "PMID", "RFC")
    protocols: tuple[str, ...] = _DEFAULT_COLON_PROTOCOLS
    if ctx is not None:
        magic = tuple(k for k, v in ctx.site.enable_magic_links.items() if v)
        protocols = tuple(ctx.site.url_protocols) or _DEFAULT_COLON_PROTOCOLS
    pat, table = _escape_table(magic)
    text = pat.sub(lambda m: table[m.group(0)], "\n" + text)[1:]
    colon = _colon_protocols(protocols)
    if colon is not None and ":" in text:
        text = colon.sub(r"\1&#58;", text)
    return text


# -- strip-marker aware helpers -------------------------------------------------------------
_MARKER_SPLIT = re.compile("(" + re.escape(MARKER_PREFIX) + ".*?" + re.escape(MARKER_SUFFIX) + ")",
                           re.S)


def marker_skip(text: str, fn: Callable[[str], str]) -> str:
    """``Parser::markerSkipCallback``: apply ``fn`` to the text between strip markers."""
    if MARKER_PREFIX not in text:
        return fn(text)
    pieces = _MARKER_SPLIT.split(text)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(pieces))


def kill_markers(text: str) -> str:
    return _MARKER_SPLIT.sub("", text) if MARKER_PREFIX in text else text


# -- numbers -------------------------------------------------------------------------------
_NUMERIC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_VALID_NUMBER = re.compile(r"(-(?=[\d.]))?(\d+|(?=\.\d))(\.\d*)?([Ee][-+]?\d+)?")


def is_numeric(s: str) -> bool:
    """PHP ``is_numeric`` (leading whitespace allowed, trailing whitespace allowed in PHP 8)."""
    return bool(_NUMERIC.match(s.rstrip(" \t\n\r\v\f")))


def _commafy(num: str, nosep: bool) -> str:
    m = re.match(r"([+-]?)(\d*)(\.\d*)?(.*)\Z", num, re.S)
    if not m:
        return num
    sign, intpart, frac, rest = m.groups()
    if not nosep and len(intpart) > 3:
        groups = []
        while len(intpart) > 3:
            groups.insert(0, intpart[-3:])
            intpart = intpart[:-3]
        groups.insert(0, intpart)
        intpart = ",".join(groups)
    return sign + intpart + (frac or "") + rest


def format_num(ctx: Any, number: str, nosep: bool = False) -> str:
    """``Language::formatNum``; with ``nosep`` ``formatNumNoSeparators``, which neither
    groups digits nor changes the decimal separator (only digits would be transformed, and
    English and French keep ASCII digits)."""
    if number == "" or number is None:
        return number
    if nosep:
        return number
    out = _commafy(number.strip(), False)
    table = SEPARATORS.get(lang_of(ctx))
    if table:
        out = "".join(table.get(ch, ch) for ch in out)
    return out


def parse_formatted_number(ctx: Any, number: str) -> str:
    table = SEPARATORS.get(lang_of(ctx))
    if table:
        rev = {v: k for k, v in table.items()}
        number = "".join(rev.get(ch, ch) for ch in number)
    return number.replace(",", "")


def _legacy_format_num(pp: Any, fn: Callable[[str], str]) -> Callable[[str], str]:
    def wrapped(number: str) -> str:
        if not is_numeric(number) and number not in ("NAN", "INF", "-INF"):
            from .magicwords import add_tracking_category
            add_tracking_category(pp.ctx, "nonnumeric-formatnum")
            return _VALID_NUMBER.sub(lambda m: fn(m.group(0)), number)
        return fn(number)
    return wrapped


def php_intval(s: str) -> int:
    m = re.match(r"\s*([+-]?\d+)", s)
    return int(m.group(1)) if m else 0


def format_raw(pp: Any, num: int, raw: str | None) -> str:
    if raw is not None and pp.mw.match_whole(raw, "rawsuffix"):
        return str(num)
    return format_num(pp.ctx, str(num))


# -- titles and URLs -------------------------------------------------------------------------
def normalize_subpage_link(ctx: Any, context_title: Any, target: str) -> str | None:
    """``Linker::normalizeSubpageLink``: the absolute name of a ``/sub``, ``/sub/`` or
    ``../sibling`` target when the page's namespace has subpages; None when ``target`` is
    not relative there (or climbs above the top page)."""
    if not target or not context_title.has_subpages:
        return None
    hash_pos = target.find("#")
    suffix = target[hash_pos:] if hash_pos != -1 else ""
    if hash_pos != -1:
        target = target[:hash_pos]
    target = target.strip(PHP_WS_CHARS)
    context = context_title.prefixed_text
    if target.startswith("/"):
        noslash = target.rstrip("/")[1:] if target.endswith("/") else target[1:]
        return context + "/" + noslash.strip(PHP_WS_CHARS) + suffix
    dotdots = 0
    nodotdot = target
    while nodotdot.startswith("../"):
        dotdots += 1
        nodotdot = nodotdot[3:]
    if not dotdots:
        return None
    exploded = context.split("/")
    if len(exploded) <= dotdots:
        return None
    ret = "/".join(exploded[:-dotdots])
    nodotdot = nodotdot.rstrip("/").strip(PHP_WS_CHARS)
    if nodotdot:
        ret += "/" + nodotdot
    return ret + suffix


def title_local_url(ctx: Any, title: Any, query: str = "") -> str:
    site = ctx.site
    if title.interwiki:
        iw = site.interwiki.get(title.interwiki)
        key = title.ns_text.replace(" ", "_") + ":" + title.dbkey if title.ns_text else title.dbkey
        url = iw.url.replace("$1", wfurlencode(key)) if iw else wfurlencode(key)
        if query:
            url += ("&" if "?" in url else "?") + query
        return url
    return site.local_url(title.prefixed_dbkey, query)


def title_full_url(ctx: Any, title: Any, query: str = "", canonical: bool = False) -> str:
    url = title_local_url(ctx, title, query)
    server = ctx.site.server
    if canonical and server.startswith("//"):
        server = "http:" + server
    if url.startswith("//") and canonical:
        url = "http:" + url
    elif not url.startswith(("http://", "https://", "//")):
        url = server + url
    if title.fragment:
        from .sanitizer import escape_id_for_link
        url += "#" + escape_id_for_link(title.fragment, tuple(ctx.site.fragment_mode))
    return url
