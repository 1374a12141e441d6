"""Internal links: [[Target|text]]trail, categories, interwiki/interlanguage, self-links,
subpages, media links, and MediaWiki's link holders (one batched existence lookup).

Ports Parser::handleInternalLinks2, Linker::normalizeSubpageLink/splitTrail/
makeSelfLinkObj/makeMediaLinkFile and LinkHolderArray (REL1_39).
"""
from __future__ import annotations

import re
import unicodedata
import urllib.parse
from typing import TYPE_CHECKING, Any

from wikiengine.namespaces import CATEGORY, FILE, MAIN, MEDIA, SPECIAL
from wikiengine.title import InvalidTitle, Title

from .quotes import do_quotes
from .render_i18n import link_trail, msg
from .sanitizer import decode_char_references, escape_id_for_external_interwiki, \
    escape_id_for_link, htmlspecialchars
from .strip import ANY_MARKER_RE, MARKER_PREFIX

if TYPE_CHECKING:
    from .context import ParseContext

_TC = r" %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\u0080-\U0010ffff+#%"
_E1 = re.compile(r"^([" + _TC + r"]+)(?:\|(.+?))?]](.*)$", re.S)
_E1_IMG = re.compile(r"^([" + _TC + r"]+)\|(.*)$", re.S)
_HOLDER_RE = re.compile(r"<!--(IW)?LINK'\" (\d+)-->")
NOPARSE = MARKER_PREFIX + "NOPARSE"

#: Core special pages of MediaWiki 1.39 (canonical names, lower-cased for lookup).
SPECIAL_PAGES = {s.lower(): s for s in """ActiveUsers AllMessages AllMyUploads AllPages
    AncientPages ApiHelp ApiSandbox AutoblockList BlankPage Block BlockList BookSources
    BotPasswords BrokenRedirects Categories ChangeContentModel ChangeCredentials ChangeEmail
    ChangePassword ComparePages Confirmemail Contributions CreateAccount DeadendPages
    DeletedContributions Diff DoubleRedirects EditPage EditTags EditWatchlist Emailuser
    ExpandTemplates Export FewestRevisions FileDuplicateSearch Filepath GoToInterwiki Import
    Invalidateemail JavaScriptTest LinkSearch Listadmins Listbots ListDuplicatedFiles Listfiles
    Listgrouprights Listredirects Listusers Lockdb Log Lonelypages Longpages MediaStatistics
    MergeHistory MIMESearch Mostcategories Mostimages Mostinterwikis Mostlinked
    Mostlinkedcategories Mostlinkedtemplates Mostrevisions Movepage Mycontributions MyLanguage
    Mypage Mytalk Myuploads Newimages NewSection Newpages PageData PageHistory PageInfo
    PageLanguage PagesWithProp PasswordPolicies PasswordReset PermanentLink Preferences
    Prefixindex Protectedpages Protectedtitles Purge Randomincategory Random Randompage
    Randomredirect Randomrootpage Recentchanges Recentchangeslinked Redirect RemoveCredentials
    ResetTokens Revisiondelete RunJobs Search Shortpages Specialpages Statistics Tags
    TrackingCategories Unblock Uncategorizedcategories Uncategorizedimages Uncategorizedpages
    Uncategorizedtemplates Undelete Unlockdb Unusedcategories Unusedimages Unusedtemplates
    Unwatchedpages Upload UploadStash Userlogin Userlogout Userrights Version
    Wantedcategories Wantedfiles Wantedpages Wantedtemplates Watchlist Whatlinkshere
    Withoutinterwiki""".split()}


def split_trail(trail: str, lang: str = "en") -> tuple[str, str]:
    """Linker::splitTrail with the link trail of content language ``lang``."""
    if trail:
        m = link_trail(lang).match(trail)
        if m:
            return m.group(1), m.group(2)
    return "", trail


def armor_links(text: str, ctx: "ParseContext") -> str:
    """Hide URLs in finished link HTML from the external-link passes."""
    return _protocols_re(ctx).sub(lambda m: NOPARSE + m.group(0), text)


_PROTO_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _protocols_re(ctx: "ParseContext") -> re.Pattern[str]:
    key = ctx.site.url_protocols
    rx = _PROTO_CACHE.get(key)
    if rx is None:
        rx = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in key) + ")", re.I)
        _PROTO_CACHE[key] = rx
    return rx


def make_link_title(ctx: "ParseContext", text: str) -> tuple[Any, bool]:
    """Title for link text (interwiki prefixes known, local interwikis resolved)."""
    site = ctx.site
    if "&" in text:
        # decode once here (NFC as MediaWiki); Title.new must not decode a second time
        text = unicodedata.normalize("NFC", decode_char_references(text)).replace("&", "&amp;")
    try:
        t = Title.new(text, site.namespaces, MAIN, interwiki=site.is_interwiki,
                      allow_fragment_only=True)
    except InvalidTitle:
        return None, False
    was_local = False
    while t.interwiki and t.interwiki in site.local_interwikis:
        rest = t.dbkey + (("#" + t.fragment) if t.fragment else "")
        was_local = True
        if not rest:
            try:
                t = Title.new("Main Page", site.namespaces)
            except InvalidTitle:
                return None, False
            break
        try:
            t = Title.new(rest, site.namespaces, MAIN, interwiki=site.is_interwiki,
                          allow_fragment_only=True)
        except InvalidTitle:
            return None, False
    return t, was_local


def normalize_subpage_link(context: Any, target: str, text: str | None) -> tuple[str, str | None]:
    """Linker::normalizeSubpageLink: /sub and ../sibling relative to the current page."""
    ret = target
    if not context.has_subpages:
        return ret, text
    hash_ = target.find("#")
    if hash_ != -1:
        suffix = target[hash_:]
        target = target[:hash_]
    else:
        suffix = ""
    target = target.strip()
    ctx_text = context.prefixed_text
    if target and target[0] == "/":
        m = re.search(r"(/+)$", target)
        if m:
            noslash = target = target[1:-len(m.group(1))]
        else:
            noslash = target[1:]
        ret = ctx_text + "/" + noslash.strip() + suffix
        if not text:
            text = target + suffix
    else:
        count = 0
        nodotdot = target
        while nodotdot.startswith("../"):
            count += 1
            nodotdot = nodotdot[3:]
        if count > 0:
            exploded = ctx_text.split("/")
            if len(exploded) > count:
                ret = "/".join(exploded[:-count])
                if nodotdot.endswith("/"):
                    nodotdot = nodotdot.rstrip("/")
                    if not text:
                        text = nodotdot + suffix
                nodotdot = nodotdot.strip()
                if nodotdot:
                    ret += "/" + nodotdot
                ret += suffix
    return ret, text


class LinkHolders:
    """Placeholders for internal links, resolved with ONE existence lookup at the end."""

    def __init__(self, ctx: "ParseContext") -> None:
        self.ctx = ctx
        self.internals: dict[int, tuple[Any, str]] = {}
        self.interwikis: dict[int, tuple[Any, str]] = {}
        self._n = ctx.ext_state.get("_link_id", 0)

    def _next(self) -> int:
        self._n += 1
        self.ctx.ext_state["_link_id"] = self._n
        return self._n

    def make_holder(self, nt: Any, text: str, trail: str = "", prefix: str = "") -> str:
        inside, trail = split_trail(trail, self.ctx.site.language)
        key = self._next()
        entry = (nt, prefix + text + inside)
        if nt.interwiki:
            self.interwikis[key] = entry
            return f"<!--IWLINK'\" {key}-->{trail}"
        self.internals[key] = entry
        return f"<!--LINK'\" {key}-->{trail}"

    def merge(self, other: "LinkHolders") -> None:
        self.internals.update(other.internals)
        self.interwikis.update(other.interwikis)

    def replace(self, text: str) -> str:
        """Replace every placeholder by its <a> (red or blue) link."""
        if not self.internals and not self.interwikis:
            return text
        ctx = self.ctx
        titles = [t for t, _ in self.internals.values() if t.namespace >= 0]
        exists = ctx.source.exists_many(titles) if titles else set()
        redirects: set[str] = set()
        # optional PageSource method: one more batched query for the mw-redirect class
        rfn = getattr(ctx.source, "redirects_many", None)
        if rfn is not None and exists:
            redirects = set(rfn([t for t in titles if t.prefixed_dbkey in exists]))
        out = ctx.output
        html: dict[str, str] = {}
        for key, (nt, txt) in self.internals.items():
            pdbk = nt.prefixed_dbkey
            if nt.namespace == SPECIAL:
                known = nt.dbkey.split("/", 1)[0].lower() in SPECIAL_PAGES
            elif nt.namespace in (FILE, MEDIA):
                known = pdbk in exists or ctx.source.file_info(nt) is not None
            else:
                known = pdbk in exists
            if nt.namespace not in (SPECIAL,) and nt.dbkey:
                out.add_link(nt.without_fragment() if nt.fragment else nt)
            if known:
                html[f"L{key}"] = make_known_link(ctx, nt, txt, pdbk in redirects)
            else:
                html[f"L{key}"] = make_broken_link(ctx, nt, txt)
        for key, (nt, txt) in self.interwikis.items():
            out.add_interwiki_link(nt.interwiki, nt.dbkey)
            html[f"I{key}"] = make_interwiki_link(ctx, nt, txt)

        def repl(m: re.Match[str]) -> str:
            return html.get(("I" if m.group(1) else "L") + m.group(2), m.group(0))

        return _HOLDER_RE.sub(repl, text)

    def replace_text(self, text: str) -> str:
        """Replace placeholders by their bare link text (for TOC lines and anchors)."""
        def repl(m: re.Match[str]) -> str:
            table = self.interwikis if m.group(1) else self.internals
            entry = table.get(int(m.group(2)))
            return entry[1] if entry else m.group(0)
        return _HOLDER_RE.sub(repl, text)


def title_url(ctx: "ParseContext", nt: Any, query: str = "") -> str:
    if nt.interwiki:
        iw = ctx.site.interwiki.get(nt.interwiki)
        from .site import wfurlencode
        url = iw.url.replace("$1", wfurlencode(nt.dbkey)) if iw else ""
        if url.endswith("?"):
            url = url[:-1]
        if query:
            url += ("&" if "?" in url else "?") + query
        if nt.fragment:
            if iw is not None and not iw.local:
                url += "#" + escape_id_for_external_interwiki(nt.fragment)
            else:
                url += "#" + escape_id_for_link(nt.fragment, ctx.site.fragment_mode)
        return url
    if not nt.dbkey:
        return "#" + escape_id_for_link(nt.fragment, ctx.site.fragment_mode) if nt.fragment else ""
    url = ctx.site.local_url(nt.prefixed_dbkey, query)
    if nt.fragment and not query:
        url += "#" + escape_id_for_link(nt.fragment, ctx.site.fragment_mode)
    return url


def make_known_link(ctx: "ParseContext", nt: Any, text: str, redirect: bool = False,
                    query: str = "", extra_class: str = "") -> str:
    href = htmlspecialchars(title_url(ctx, nt, query))
    classes = " ".join(c for c in ("mw-redirect" if redirect else "", extra_class) if c)
    cls = f' class="{classes}"' if classes else ""
    title = nt.prefixed_text
    tattr = f' title="{htmlspecialchars(title)}"' if title else ""
    return f'<a href="{href}"{cls}{tattr}>{text}</a>'


def make_broken_link(ctx: "ParseContext", nt: Any, text: str) -> str:
    if nt.namespace == SPECIAL or nt.namespace < 0:
        url = ctx.site.local_url(nt.prefixed_dbkey)
    else:
        url = ctx.site.local_url(nt.prefixed_dbkey, "action=edit&redlink=1")
    title = htmlspecialchars(msg(ctx.options.interface_language, "red-link-title",
                                 nt.prefixed_text))
    return f'<a href="{htmlspecialchars(url)}" class="new" title="{title}">{text}</a>'


def make_interwiki_link(ctx: "ParseContext", nt: Any, text: str) -> str:
    href = htmlspecialchars(title_url(ctx, nt))
    return f'<a href="{href}" class="extiw" title="{htmlspecialchars(nt.prefixed_text)}">{text}</a>'


def make_self_link(text: str, trail: str, prefix: str = "", lang: str = "en") -> str:
    inside, trail = split_trail(trail, lang)
    return f'<a class="mw-selflink selflink">{prefix}{text}{inside}</a>{trail}'


def make_media_link(ctx: "ParseContext", nt: Any, text: str) -> str:
    """Linker::makeMediaLinkFile: a direct link to the file's bytes (or to the upload form)."""
    info = ctx.source.file_info(nt)
    if not text:
        text = htmlspecialchars(nt.prefixed_text)
    if info is not None:
        return (f'<a href="{htmlspecialchars(info.url)}" class="internal" '
                f'title="{htmlspecialchars(nt.text)}">{text}</a>')
    from .site import wfurlencode
    url = ctx.site.local_url("Special:Upload", "wpDestFile=" + wfurlencode(nt.dbkey))
    return (f'<a href="{htmlspecialchars(url)}" class="new" '
            f'title="{htmlspecialchars(nt.text)}">{text}</a>')


def replace_internal_links(s: str, ctx: "ParseContext", holders: LinkHolders) -> str:
    """Parser::handleInternalLinks2: turn [[...]] into placeholders, images, categories."""
    if "[[" not in s:
        return s
    site = ctx.site
    a = ("  " + s).split("[[")
    out = [a[0][2:]]
    nottalk = not ctx.title.is_talk
    proto_re = _protocols_start_re(ctx)
    use_subpages = ctx.title.has_subpages
    k = 1
    n = len(a)
    while k < n:
        line = a[k]
        k += 1
        prefix = ""
        might_be_img = False
        m = _E1.match(line)
        if m:
            target, text, trail = m.group(1), m.group(2) or "", m.group(3)
            if text != "" and trail[:1] == "]" and "[" in text:
                text += "]"
                trail = trail[1:]
        else:
            m = _E1_IMG.match(line)
            if m:
                might_be_img = True
                target, text, trail = m.group(1), m.group(2), ""
            else:
                out.append("[[" + line)
                continue
        if "%" in target:
            target = urllib.parse.unquote(target).replace("<", "&lt;").replace(">", "&gt;")
        orig_link = target.lstrip(" ")
        if proto_re.match(orig_link):
            out.append("[[" + line)
            continue
        if use_subpages:
            link, newtext = normalize_subpage_link(ctx.title, orig_link, text)
            text = newtext or ""
        else:
            link = orig_link
        if MARKER_PREFIX in link or "\x7f" in link:
            out.append("[[" + line)
            continue
        nt, was_local = make_link_title(ctx, link)
        if nt is None:
            out.append("[[" + line)
            continue
        ns = nt.namespace
        iw = nt.interwiki
        noforce = not orig_link.startswith(":")
        if might_be_img:
            if ns == FILE and noforce:
                found = False
                while k < n:
                    next_line = a[k]
                    k += 1
                    parts = next_line.split("]]", 2)
                    if len(parts) == 3:
                        found = True
                        text += "[[" + parts[0] + "]]" + parts[1]
                        trail = parts[2]
                        break
                    if len(parts) == 2:
                        text += "[[" + parts[0] + "]]" + parts[1]
                    else:
                        text += "[[" + next_line
                        break
                if not found:
                    text = replace_internal_links(text, ctx, holders)
                    out.append(f"[[{link}|{text}")
                    continue
            else:
                out.append(f"[[{link}|{text}")
                continue
        wasblank = text == ""
        if wasblank:
            text = link
            if not noforce:
                text = text[1:]
        else:
            text = do_quotes(text)
        if noforce and not was_local:
            if iw and nottalk and iw in site.interlanguage:
                seen = ctx.ext_state.setdefault("_langlink_prefixes", set())
                if iw not in seen:
                    seen.add(iw)
                    ctx.output.add_language_link(nt.full_text)
                joined = "".join(out).rstrip(" \t\n\r\0\x0b")
                out = [joined, trail]
                continue
            if ns == FILE:
                from .render_media import is_bad_image, make_image
                if not is_bad_image(ctx, nt):
                    if wasblank:
                        text = ""
                    else:
                        from .render_extlinks import replace_external_links
                        text = replace_external_links(text, ctx)
                        text = replace_internal_links(text, ctx, holders)
                    out.append(prefix + armor_links(make_image(ctx, nt, text, holders), ctx) + trail)
                    continue
            elif ns == CATEGORY:
                joined = "".join(out).rstrip(" \t\n\r\0\x0b")
                out = [joined, trail]
                sortkey = ctx.default_sort if wasblank else text
                sortkey = decode_char_references(sortkey).replace("\n", "")
                ctx.output.add_category(nt.dbkey, sortkey)
                continue
        if ns != SPECIAL and not iw and nt.dbkey and not nt.fragment \
                and nt.namespace == ctx.title.namespace and nt.dbkey == ctx.title.dbkey:
            out.append(make_self_link(text, trail, prefix, site.language))
            continue
        if ns == MEDIA:
            ctx.output.images[nt.dbkey] = True
            out.append(prefix + armor_links(make_media_link(ctx, nt, text), ctx) + trail)
            continue
        if not iw and (ns == SPECIAL and nt.dbkey.split("/", 1)[0].lower() in SPECIAL_PAGES
                       or (ns == MAIN and not nt.dbkey)):
            inside, trail2 = split_trail(trail, site.language)
            link_html = make_known_link(ctx, nt, prefix + text + inside)
            out.append(armor_links(link_html, ctx) + trail2)
            continue
        out.append(holders.make_holder(nt, text, trail, prefix))
    return "".join(out)


_PROTO_START_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _protocols_start_re(ctx: "ParseContext") -> re.Pattern[str]:
    key = ctx.site.url_protocols
    rx = _PROTO_START_CACHE.get(key)
    if rx is None:
        rx = re.compile("^(?:" + "|".join(re.escape(p) for p in key) + ")", re.I)
        _PROTO_START_CACHE[key] = rx
    return rx


def kill_markers(text: str) -> str:
    return ANY_MARKER_RE.sub("", text)
