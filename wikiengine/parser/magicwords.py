"""Magic words: the synonym tables of MessagesEn.php/MessagesFr.php and their matchers.

Owns which words are variables (``{{PAGENAME}}``, ``{{NOMPAGE}}``), which are parser-function
names (``{{lc:…}}``, ``{{#tag:…}}``), the ``subst:``/``msgnw:``/``raw:`` prefixes, the
behaviour switches (``__NOTOC__``…) and their removal into page properties
(``Parser::handleDoubleUnderscore``), with MediaWiki's per-word case sensitivity.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

#: id -> (case sensitive, English synonyms), from MessagesEn.php (1.39).
EN: dict[str, tuple[int, tuple[str, ...]]] = {
    "redirect": (0, ("#REDIRECT",)),
    "notoc": (0, ("__NOTOC__",)), "nogallery": (0, ("__NOGALLERY__",)),
    "forcetoc": (0, ("__FORCETOC__",)), "toc": (0, ("__TOC__",)),
    "noeditsection": (0, ("__NOEDITSECTION__",)),
    "!": (1, ("!",)), "=": (1, ("=",)),
    "currentmonth": (1, ("CURRENTMONTH", "CURRENTMONTH2")), "currentmonth1": (1, ("CURRENTMONTH1",)),
    "currentmonthname": (1, ("CURRENTMONTHNAME",)),
    "currentmonthnamegen": (1, ("CURRENTMONTHNAMEGEN",)),
    "currentmonthabbrev": (1, ("CURRENTMONTHABBREV",)), "currentday": (1, ("CURRENTDAY",)),
    "currentday2": (1, ("CURRENTDAY2",)), "currentdayname": (1, ("CURRENTDAYNAME",)),
    "currentyear": (1, ("CURRENTYEAR",)), "currenttime": (1, ("CURRENTTIME",)),
    "currenthour": (1, ("CURRENTHOUR",)),
    "localmonth": (1, ("LOCALMONTH", "LOCALMONTH2")), "localmonth1": (1, ("LOCALMONTH1",)),
    "localmonthname": (1, ("LOCALMONTHNAME",)), "localmonthnamegen": (1, ("LOCALMONTHNAMEGEN",)),
    "localmonthabbrev": (1, ("LOCALMONTHABBREV",)), "localday": (1, ("LOCALDAY",)),
    "localday2": (1, ("LOCALDAY2",)), "localdayname": (1, ("LOCALDAYNAME",)),
    "localyear": (1, ("LOCALYEAR",)), "localtime": (1, ("LOCALTIME",)),
    "localhour": (1, ("LOCALHOUR",)),
    "numberofpages": (1, ("NUMBEROFPAGES",)), "numberofarticles": (1, ("NUMBEROFARTICLES",)),
    "numberoffiles": (1, ("NUMBEROFFILES",)), "numberofusers": (1, ("NUMBEROFUSERS",)),
    "numberofactiveusers": (1, ("NUMBEROFACTIVEUSERS",)), "numberofedits": (1, ("NUMBEROFEDITS",)),
    "articlepath": (0, ("ARTICLEPATH",)), "pageid": (0, ("PAGEID",)),
    "sitename": (1, ("SITENAME",)), "server": (0, ("SERVER",)),
    "servername": (0, ("SERVERNAME",)), "scriptpath": (0, ("SCRIPTPATH",)),
    "stylepath": (0, ("STYLEPATH",)),
    "pagename": (1, ("PAGENAME",)), "pagenamee": (1, ("PAGENAMEE",)),
    "fullpagename": (1, ("FULLPAGENAME",)), "fullpagenamee": (1, ("FULLPAGENAMEE",)),
    "namespace": (1, ("NAMESPACE",)), "namespacee": (1, ("NAMESPACEE",)),
    "namespacenumber": (1, ("NAMESPACENUMBER",)),
    "talkspace": (1, ("TALKSPACE",)), "talkspacee": (1, ("TALKSPACEE",)),
    "subjectspace": (1, ("SUBJECTSPACE", "ARTICLESPACE")),
    "subjectspacee": (1, ("SUBJECTSPACEE", "ARTICLESPACEE")),
    "subpagename": (1, ("SUBPAGENAME",)), "subpagenamee": (1, ("SUBPAGENAMEE",)),
    "rootpagename": (1, ("ROOTPAGENAME",)), "rootpagenamee": (1, ("ROOTPAGENAMEE",)),
    "basepagename": (1, ("BASEPAGENAME",)), "basepagenamee": (1, ("BASEPAGENAMEE",)),
    "talkpagename": (1, ("TALKPAGENAME",)), "talkpagenamee": (1, ("TALKPAGENAMEE",)),
    "subjectpagename": (1, ("SUBJECTPAGENAME", "ARTICLEPAGENAME")),
    "subjectpagenamee": (1, ("SUBJECTPAGENAMEE", "ARTICLEPAGENAMEE")),
    "msg": (0, ("MSG:",)), "subst": (0, ("SUBST:",)), "safesubst": (0, ("SAFESUBST:",)),
    "msgnw": (0, ("MSGNW:",)), "int": (0, ("INT:",)),
    "special": (0, ("special",)), "speciale": (0, ("speciale",)),
    "defaultsort": (1, ("DEFAULTSORT:", "DEFAULTSORTKEY:", "DEFAULTCATEGORYSORT:")),
    "filepath": (0, ("FILEPATH:",)), "tag": (0, ("tag",)),
    "hiddencat": (1, ("__HIDDENCAT__",)),
    "expectunusedcategory": (1, ("__EXPECTUNUSEDCATEGORY__",)),
    "pagesincategory": (1, ("PAGESINCATEGORY", "PAGESINCAT")),
    "pagesize": (1, ("PAGESIZE",)), "index": (1, ("__INDEX__",)), "noindex": (1, ("__NOINDEX__",)),
    "numberingroup": (1, ("NUMBERINGROUP", "NUMINGROUP")),
    "staticredirect": (1, ("__STATICREDIRECT__",)),
    "protectionlevel": (1, ("PROTECTIONLEVEL",)), "protectionexpiry": (1, ("PROTECTIONEXPIRY",)),
    "cascadingsources": (1, ("CASCADINGSOURCES",)),
    "formatdate": (0, ("formatdate", "dateformat")),
    "url_path": (0, ("PATH",)), "url_wiki": (0, ("WIKI",)), "url_query": (0, ("QUERY",)),
    "defaultsort_noerror": (0, ("noerror",)), "defaultsort_noreplace": (0, ("noreplace",)),
    "displaytitle_noerror": (0, ("noerror",)), "displaytitle_noreplace": (0, ("noreplace",)),
    "pagesincategory_all": (0, ("all",)), "pagesincategory_pages": (0, ("pages",)),
    "pagesincategory_subcats": (0, ("subcats",)), "pagesincategory_files": (0, ("files",)),
    "lc": (0, ("LC:",)), "uc": (0, ("UC:",)), "lcfirst": (0, ("LCFIRST:",)),
    "ucfirst": (0, ("UCFIRST:",)), "raw": (0, ("RAW:",)),
    "displaytitle": (1, ("DISPLAYTITLE",)), "rawsuffix": (1, ("R",)),
    "nocommafysuffix": (0, ("NOSEP",)),
    "newsectionlink": (1, ("__NEWSECTIONLINK__",)),
    "nonewsectionlink": (1, ("__NONEWSECTIONLINK__",)),
    "currentversion": (1, ("CURRENTVERSION",)), "urlencode": (0, ("URLENCODE:",)),
    "anchorencode": (0, ("ANCHORENCODE",)), "currenttimestamp": (1, ("CURRENTTIMESTAMP",)),
    "localtimestamp": (1, ("LOCALTIMESTAMP",)),
    "directionmark": (1, ("DIRECTIONMARK", "DIRMARK")), "language": (0, ("#LANGUAGE",)),
    "contentlanguage": (1, ("CONTENTLANGUAGE", "CONTENTLANG")),
    "pagelanguage": (1, ("PAGELANGUAGE",)),
    "pagesinnamespace": (1, ("PAGESINNAMESPACE:", "PAGESINNS:")),
    "numberofadmins": (1, ("NUMBEROFADMINS",)), "formatnum": (0, ("FORMATNUM",)),
    "padleft": (0, ("PADLEFT",)), "padright": (0, ("PADRIGHT",)),
    "ns": (0, ("NS:",)), "nse": (0, ("NSE:",)),
    "localurl": (0, ("LOCALURL:",)), "localurle": (0, ("LOCALURLE:",)),
    "fullurl": (0, ("FULLURL:",)), "fullurle": (0, ("FULLURLE:",)),
    "canonicalurl": (0, ("CANONICALURL:",)), "canonicalurle": (0, ("CANONICALURLE:",)),
    "grammar": (0, ("GRAMMAR:",)), "gender": (0, ("GENDER:",)), "plural": (0, ("PLURAL:",)),
    "bidi": (0, ("BIDI:",)),
    "currentweek": (1, ("CURRENTWEEK",)), "currentdow": (1, ("CURRENTDOW",)),
    "localweek": (1, ("LOCALWEEK",)), "localdow": (1, ("LOCALDOW",)),
    "revisionid": (1, ("REVISIONID",)), "revisionday": (1, ("REVISIONDAY",)),
    "revisionday2": (1, ("REVISIONDAY2",)), "revisionmonth": (1, ("REVISIONMONTH",)),
    "revisionmonth1": (1, ("REVISIONMONTH1",)), "revisionyear": (1, ("REVISIONYEAR",)),
    "revisiontimestamp": (1, ("REVISIONTIMESTAMP",)), "revisionuser": (1, ("REVISIONUSER",)),
    "revisionsize": (1, ("REVISIONSIZE",)),
    "notitleconvert": (0, ("__NOTITLECONVERT__", "__NOTC__")),
    "nocontentconvert": (0, ("__NOCONTENTCONVERT__", "__NOCC__")),
    "bcp47": (1, ("#bcp47",)), "dir": (1, ("#dir",)),
}

#: Extra French synonyms from MessagesFr.php (listed before the English ones there).
FR: dict[str, tuple[str, ...]] = {
    "redirect": ("#REDIRECTION",),
    "notoc": ("__AUCUNSOMMAIRE__", "__AUCUNETDM__"), "nogallery": ("__AUCUNEGALERIE__",),
    "forcetoc": ("__FORCERSOMMAIRE__", "__FORCERTDM__"), "toc": ("__SOMMAIRE__", "__TDM__"),
    "noeditsection": ("__SECTIONNONEDITABLE__",),
    "currentmonth": ("MOISACTUEL",), "currentmonthname": ("NOMMOISACTUEL",),
    "currentmonthnamegen": ("NOMGENMOISACTUEL",), "currentmonthabbrev": ("ABREVMOISACTUEL",),
    "currentday": ("JOURACTUEL",), "currentday2": ("JOUR2ACTUEL",),
    "currentdayname": ("NOMJOURACTUEL",), "currentyear": ("ANNEEACTUELLE",),
    "currenttime": ("HORAIREACTUEL",), "currenthour": ("HEUREACTUELLE",),
    "localmonth": ("MOISLOCAL",), "localmonthname": ("NOMMOISLOCAL",),
    "localmonthnamegen": ("NOMGENMOISLOCAL",), "localmonthabbrev": ("ABREVMOISLOCAL",),
    "localday": ("JOURLOCAL",), "localday2": ("JOUR2LOCAL",), "localdayname": ("NOMJOURLOCAL",),
    "localyear": ("ANNEELOCALE",), "localtime": ("HORAIRELOCAL",), "localhour": ("HEURELOCALE",),
    "numberofpages": ("NOMBREPAGES",), "numberofarticles": ("NOMBREARTICLES",),
    "numberoffiles": ("NOMBREFICHIERS",), "numberofusers": ("NOMBREUTILISATEURS",),
    "numberofactiveusers": ("NOMBREUTILISATEURSACTIFS",), "numberofedits": ("NOMBREMODIFS",),
    "pagename": ("NOMPAGE",), "pagenamee": ("NOMPAGEX",),
    "namespace": ("ESPACENOMMAGE",), "namespacee": ("ESPACENOMMAGEX",),
    "talkspace": ("ESPACEDISCUSSION",), "talkspacee": ("ESPACEDISCUSSIONX",),
    "subjectspace": ("ESPACESUJET", "ESPACEARTICLE"),
    "subjectspacee": ("ESPACESUJETX", "ESPACEARTICLEX"),
    "fullpagename": ("NOMPAGECOMPLET",), "fullpagenamee": ("NOMPAGECOMPLETX",),
    "subpagename": ("NOMSOUSPAGE",), "subpagenamee": ("NOMSOUSPAGEX",),
    "basepagename": ("NOMBASEDEPAGE",), "basepagenamee": ("NOMBASEDEPAGEX",),
    "talkpagename": ("NOMPAGEDISCUSSION",), "talkpagenamee": ("NOMPAGEDISCUSSIONX",),
    "subjectpagename": ("NOMPAGESUJET", "NOMPAGEARTICLE"),
    "subjectpagenamee": ("NOMPAGESUJETX", "NOMPAGEARTICLEX"),
    "sitename": ("NOMSITE",), "ns": ("ESPACEN:",), "localurl": ("URLLOCALE:",),
    "localurle": ("URLLOCALEX:",), "server": ("SERVEUR",), "servername": ("NOMSERVEUR",),
    "scriptpath": ("CHEMINSCRIPT",), "grammar": ("GRAMMAIRE:",), "gender": ("GENRE:",),
    "currentweek": ("SEMAINEACTUELLE",), "currentdow": ("JDSACTUEL",),
    "localweek": ("SEMAINELOCALE",), "localdow": ("JDSLOCAL",), "revisionid": ("IDVERSION",),
    "revisionday": ("JOURVERSION",), "revisionday2": ("JOUR2VERSION",),
    "revisionmonth": ("MOISVERSION",), "revisionyear": ("ANNEEVERSION",),
    "revisiontimestamp": ("INSTANTVERSION",), "plural": ("PLURIEL:",),
    "fullurl": ("URLCOMPLETE:",), "fullurle": ("URLCOMPLETEX:",), "lcfirst": ("INITMINUS:",),
    "ucfirst": ("INITMAJUS:", "INITCAPIT:"), "lc": ("MINUS:",), "uc": ("MAJUS:", "CAPIT:"),
    "raw": ("BRUT:",), "displaytitle": ("AFFICHERTITRE",), "rawsuffix": ("BRUT", "B"),
    "newsectionlink": ("__LIENNOUVELLESECTION__",),
    "nonewsectionlink": ("__AUCUNLIENNOUVELLESECTION__",),
    "currentversion": ("VERSIONACTUELLE",), "urlencode": ("ENCODEURL:",),
    "anchorencode": ("ENCODEANCRE",), "currenttimestamp": ("INSTANTACTUEL",),
    "localtimestamp": ("INSTANTLOCAL",), "directionmark": ("MARQUEDIRECTION", "MARQUEDIR"),
    "language": ("#LANGUE:",), "contentlanguage": ("LANGUECONTENU", "LANGCONTENU"),
    "pagesinnamespace": ("PAGESDANSESPACE:",), "numberofadmins": ("NOMBREADMINS",),
    "formatnum": ("FORMATNOMBRE",), "padleft": ("BOURRAGEGAUCHE",),
    "padright": ("BOURRAGEDROITE",), "special": ("spécial",),
    "defaultsort": ("CLEFDETRI:", "CLEDETRI:"), "filepath": ("CHEMIN:",), "tag": ("balise",),
    "hiddencat": ("__CATCACHEE__",), "pagesincategory": ("PAGESDANSCAT",),
    "pagesize": ("TAILLEPAGE",), "noindex": ("__AUCUNINDEX__",),
    "staticredirect": ("__REDIRECTIONSTATIQUE__",), "protectionlevel": ("NIVEAUDEPROTECTION",),
}

#: MagicWordFactory::$mVariableIDs
VARIABLE_IDS = (
    "!", "=", "currentmonth", "currentmonth1", "currentmonthname", "currentmonthnamegen",
    "currentmonthabbrev", "currentday", "currentday2", "currentdayname", "currentyear",
    "currenttime", "currenthour", "localmonth", "localmonth1", "localmonthname",
    "localmonthnamegen", "localmonthabbrev", "localday", "localday2", "localdayname",
    "localyear", "localtime", "localhour", "numberofarticles", "numberoffiles", "numberofedits",
    "articlepath", "pageid", "sitename", "server", "servername", "scriptpath", "stylepath",
    "pagename", "pagenamee", "fullpagename", "fullpagenamee", "namespace", "namespacee",
    "namespacenumber", "currentweek", "currentdow", "localweek", "localdow", "revisionid",
    "revisionday", "revisionday2", "revisionmonth", "revisionmonth1", "revisionyear",
    "revisiontimestamp", "revisionuser", "revisionsize", "subpagename", "subpagenamee",
    "talkspace", "talkspacee", "subjectspace", "subjectspacee", "talkpagename", "talkpagenamee",
    "subjectpagename", "subjectpagenamee", "numberofusers", "numberofactiveusers",
    "numberofpages", "currentversion", "rootpagename", "rootpagenamee", "basepagename",
    "basepagenamee", "currenttimestamp", "localtimestamp", "directionmark", "contentlanguage",
    "pagelanguage", "numberofadmins", "cascadingsources",
)

#: MagicWordFactory::$mDoubleUnderscoreIDs
DOUBLE_UNDERSCORE_IDS = (
    "expectunusedcategory", "hiddencat", "index", "newsectionlink", "nocontentconvert",
    "noeditsection", "nogallery", "noindex", "nonewsectionlink", "notitleconvert", "notoc",
    "staticredirect", "toc", "forcetoc",
)

#: Function hooks registered by CoreParserFunctions::register (id, no-hash flag).
FUNCTION_IDS: tuple[tuple[str, bool], ...] = tuple(
    (name, True) for name in (
        "ns", "nse", "urlencode", "lcfirst", "ucfirst", "lc", "uc", "localurl", "localurle",
        "fullurl", "fullurle", "canonicalurl", "canonicalurle", "formatnum", "grammar", "gender",
        "plural", "bidi", "numberofpages", "numberofusers", "numberofactiveusers",
        "numberofarticles", "numberoffiles", "numberofadmins", "numberingroup", "numberofedits",
        "language", "padleft", "padright", "anchorencode", "defaultsort", "filepath",
        "pagesincategory", "pagesize", "protectionlevel", "protectionexpiry", "namespacee",
        "namespacenumber", "talkspace", "talkspacee", "subjectspace", "subjectspacee",
        "pagename", "pagenamee", "fullpagename", "fullpagenamee", "rootpagename",
        "rootpagenamee", "basepagename", "basepagenamee", "subpagename", "subpagenamee",
        "talkpagename", "talkpagenamee", "subjectpagename", "subjectpagenamee", "pageid",
        "revisionid", "revisionday", "revisionday2", "revisionmonth", "revisionmonth1",
        "revisionyear", "revisiontimestamp", "revisionuser", "cascadingsources", "namespace",
        "int", "displaytitle", "bcp47", "dir",
    )
) + (("special", False), ("speciale", False), ("tag", False), ("formatdate", False))


def _lc(s: str) -> str:
    return s.lower()


class MagicWords:
    """All magic words of one content language, with MagicWordFactory's matchers."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        extra = FR if language == "fr" else {}
        self.words: dict[str, tuple[bool, tuple[str, ...]]] = {}
        for mid, (case, syns) in EN.items():
            self.words[mid] = (bool(case), tuple(extra.get(mid, ())) + syns)
        # variables: exact (case-sensitive) and lower-cased (insensitive) lookups
        self._var_cs: dict[str, str] = {}
        self._var_ci: dict[str, str] = {}
        for mid in VARIABLE_IDS:
            if mid not in self.words:
                continue
            case, syns = self.words[mid]
            for syn in syns:
                if case:
                    self._var_cs.setdefault(syn, mid)
                else:
                    self._var_ci.setdefault(_lc(syn), mid)
        # parser-function synonyms (Parser::setFunctionHook)
        self.fn_cs: dict[str, str] = {}
        self.fn_ci: dict[str, str] = {}
        for mid, no_hash in FUNCTION_IDS:
            if mid not in self.words:
                continue
            case, syns = self.words[mid]
            for syn in syns:
                if not case:
                    syn = _lc(syn)
                if not no_hash:
                    syn = "#" + syn
                if syn.endswith(":"):
                    syn = syn[:-1]
                (self.fn_cs if case else self.fn_ci)[syn] = mid
        self._prefix_res: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._du_re, self._du_map = self._build_double_underscore()

    def synonyms(self, mid: str) -> tuple[str, ...]:
        return self.words[mid][1]

    def match_variable(self, text: str) -> str | None:
        """MagicWordArray::matchStartToEnd on the variable ids."""
        mid = self._var_cs.get(text)
        if mid is None:
            mid = self._var_ci.get(_lc(text))
        return mid

    def function_id(self, name: str) -> str | None:
        """Parser::callParserFunction's synonym lookup (case-sensitive first)."""
        mid = self.fn_cs.get(name)
        if mid is None:
            mid = self.fn_ci.get(_lc(name))
        return mid

    def _prefix_re(self, ids: tuple[str, ...]) -> re.Pattern[str]:
        pat = self._prefix_res.get(ids)
        if pat is None:
            by_id: dict[str, list[str]] = {}
            for mid in ids:
                case, syns = self.words[mid]
                by_id[mid] = [re.escape(s) if case else f"(?i:{re.escape(s)})" for s in syns]
            pat = re.compile("|".join(f"(?P<{_group(m)}>{'|'.join(v)})" for m, v in by_id.items()))
            self._prefix_res[ids] = pat
        return pat

    def match_start_and_remove(self, text: str, *ids: str) -> tuple[str | None, str]:
        """MagicWord(Array)::matchStartAndRemove: (id or None, rest of text)."""
        m = self._prefix_re(tuple(ids)).match(text)
        if not m:
            return None, text
        mid = _ungroup(m.lastgroup or "")
        return mid, text[m.end():]

    def match_whole(self, text: str, mid: str) -> bool:
        """MagicWord::matchStartToEnd for one id (e.g. ``R``, ``NOSEP``)."""
        case, syns = self.words[mid]
        if case:
            return text in syns
        low = _lc(text)
        return any(_lc(s) == low for s in syns)

    def _build_double_underscore(self) -> tuple[re.Pattern[str], dict[str, str]]:
        parts = []
        mapping: dict[str, str] = {}
        for mid in DOUBLE_UNDERSCORE_IDS:
            case, syns = self.words[mid]
            for syn in syns:
                mapping[syn if case else _lc(syn)] = mid
                parts.append(re.escape(syn) if case else f"(?i:{re.escape(syn)})")
        parts.sort(key=len, reverse=True)
        return re.compile("|".join(parts)), mapping

    def double_underscore_id(self, word: str) -> str | None:
        return self._du_map.get(word) or self._du_map.get(_lc(word))

    def match_and_remove_double_underscores(self, text: str) -> tuple[str, dict[str, bool], bool]:
        """Remove every behaviour switch except ``__TOC__`` (any synonym of it is rewritten as
        ``__TOC__`` for the renderer, which puts the TOC there). Returns (text, found ids,
        toc present)."""
        found: dict[str, bool] = {}
        toc_done = False

        def repl(m: re.Match[str]) -> str:
            nonlocal toc_done
            mid = self.double_underscore_id(m.group(0))
            if mid is None:
                return m.group(0)
            if mid == "toc":
                # The renderer places the TOC where the first __TOC__ stands after its
                # sanitizer pass (Parser::internalParse order): hand it the English word.
                toc_done = True
                return "__TOC__"
            found[mid] = True
            return ""

        if "__" not in text:
            return text, found, False
        text = self._du_re.sub(repl, text)
        return text, found, toc_done


def _group(mid: str) -> str:
    return "g_" + "".join(c if c.isalnum() else f"_{ord(c)}_" for c in mid)


def _ungroup(name: str) -> str:
    body = name[2:]
    return re.sub(r"_(\d+)_", lambda m: chr(int(m.group(1))), body)


@lru_cache(maxsize=8)
def magic_words(language: str) -> MagicWords:
    """The (shared, immutable) tables for ``language``."""
    return MagicWords(language)


def handle_double_underscore(text: str, ctx: Any) -> str:
    """``Parser::handleDoubleUnderscore``: strip behaviour switches from the expanded text,
    record them as page properties (``ctx.output.properties[id] = ""``) and apply the
    index/hidden-category side effects."""
    mw = magic_words(ctx.site.language)
    text, found, toc = mw.match_and_remove_double_underscores(text)
    props = ctx.output.properties
    if "hiddencat" in found and ctx.title.namespace == 14:
        add_tracking_category(ctx, "hidden-category-category")
    if "noindex" in found and ctx.title.namespace >= 0:
        props["robots"] = "noindex"
        add_tracking_category(ctx, "noindex-category")
    if "index" in found and ctx.title.namespace >= 0:
        props["robots"] = "index"
        add_tracking_category(ctx, "index-category")
    for key, flag in (("newsectionlink", "mw-NewSection"),
                      ("nonewsectionlink", "mw-HideNewSection"), ("nogallery", "mw-NoGallery")):
        if key in found:
            ctx.output.set_flag(flag)
    for key in found:
        props[key] = ""
    return text


def add_tracking_category(ctx: Any, key: str) -> None:
    """ParserOutput::addTrackingCategory with the content language's category name."""
    from .pplang import parser_message
    name = parser_message(ctx.site.language, key)
    if not name:
        return
    sortkey = ctx.output.properties.get("defaultsort", "")
    ctx.output.add_category(name.replace(" ", "_"), sortkey or "")
