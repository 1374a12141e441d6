"""Conformance runner: render a MediaWiki parser-test case under the parser-test wiki.

Builds the wiki that MediaWiki 1.39's ParserTestRunner sets up (../shared/parsertests/
environment.json: example.org paths, interwiki table, namespaces 100/101, uploaded files,
fake clock, page/revision ids, test tag hooks) and returns what the runner prints for a
case: the HTML for ordinary parses, or the text of the special modes (pst, msg, section,
replace, comment, preload, cat, ill, showtitle, showflags, showindicators).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from wikiengine.namespaces import Namespaces

from . import make_context, parse_context
from .context import ParseContext, ParserHooks, ParserOptions
from .site import Interwiki, SiteConfig
from .source import DictPageSource, FileInfo

SHARED = Path(__file__).resolve().parents[3] / "shared" / "parsertests"
_FAKE_NOW = _dt.datetime(1970, 1, 1, 0, 2, 3, tzinfo=_dt.timezone.utc)
_INTERLANGUAGE = frozenset({"zh", "es", "fr", "ru", "mi", "mul", "en"})


@lru_cache(maxsize=4)
def load_environment(path: str = str(SHARED / "environment.json")) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=4)
def load_articles(path: str = str(SHARED / "articles.json")) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def parser_test_files(env: dict) -> list[FileInfo]:
    """The uploaded files of the parser-test wiki, with their URLs."""
    base = env["uploads"]["repo_url"]
    files = []
    for f in env["uploads"]["files"]:
        name = f["name"]
        path = f.get("path") or (lambda h: f"{h[0]}/{h[:2]}")(hashlib.md5(name.encode()).hexdigest())
        mime = f["mime"]
        media = f.get("media_type") or ("DRAWING" if mime == "image/svg+xml" else
                                        "BITMAP" if mime.startswith("image/") else "MULTIMEDIA")
        files.append(FileInfo(name=name, width=f["width"], height=f["height"],
                              url=f"{base}/{path}/{name}", mime=mime, size=f["size"],
                              media_type=media, pages=f.get("pages", 0),
                              thumb_base=f"{base}/thumb/{path}/{name}"))
    return files


def parser_test_site(options: dict | None = None, config: dict | None = None) -> SiteConfig:
    """SiteConfig of the wiki ParserTestRunner sets up, with a case's options/config."""
    options = options or {}
    config = config or {}
    env = load_environment()
    s = env["site"]
    extra = {int(k): v for k, v in s["wgExtraNamespaces"].items()}
    subpages: frozenset[int] = frozenset(range(-2, 200)) if "subpage" in options else frozenset()
    # Namespace names follow the content language, as MediaWiki's do.
    content_language = str(options.get("language") or "en")
    ns = Namespaces(language=content_language, meta=s["wgMetaNamespace"], extra=extra,
                    subpages=subpages)
    interwiki = {i["prefix"]: Interwiki(i["prefix"], i["url"], i["local"])
                 for i in env["interwiki"]}
    magic = dict(s["wgEnableMagicLinks"])
    if "wgenablemagiclinks" in options:
        val = options["wgenablemagiclinks"]
        if isinstance(val, dict):
            magic.update({k: bool(v) for k, v in val.items()})
    fragment_mode = tuple(config.get("wgFragmentMode", s["wgFragmentMode"]))
    site = SiteConfig(
        sitename=s["wgSitename"], server=s["wgServer"], script_path=s["wgScriptPath"],
        script=s["wgScript"], article_path=s["wgArticlePath"], namespaces=ns,
        language=str(options.get("language") or "en"),
        interwiki=interwiki, interlanguage=_INTERLANGUAGE,
        local_interwikis=frozenset(s["wgLocalInterwikis"]), capital_links=True,
        nofollow=True, nofollow_exceptions=tuple(s["wgNoFollowDomainExceptions"]),
        fragment_mode=fragment_mode, enable_magic_links=magic,
        max_toc_level=int(options.get("wgmaxtoclevel", s["wgMaxTocLevel"])),
        now=_FAKE_NOW, page_id=env["page"]["page_id"], revision_id=env["page"]["revision_id"],
        upload_base_url=env["uploads"]["repo_url"], thumb_limit=s["wgThumbLimits_default"],
        allow_external_images=str(options.get("wgallowexternalimages", "1")) not in ("0", "false"),
        raw_html=str(options.get("wgrawhtml", "0")) not in ("0", "false", ""),
        allow_display_title=bool(config.get("wgAllowDisplayTitle", True)),
        restrict_display_title=bool(config.get("wgRestrictDisplayTitle", True)),
    )
    site.extra["legacy_media_dom"] = bool(config.get("wgParserEnableLegacyMediaDOM", True))
    site.extra["config"] = dict(config)  # the case's !! config, read by extensions (Cite)
    return site


# -- the runner's test tag hooks -----------------------------------------------------------
def _var_export(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, dict):
        if not value:
            return "array (\n)"
        lines = "".join(f"  {_var_export(k)} => {_var_export(v)},\n" for k, v in value.items())
        return "array (\n" + lines + ")"
    s = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{s}'"


def _tag_hook(content: Any, attrs: dict, ctx: ParseContext, frame: Any) -> str:
    return "<pre>\n" + _var_export(content) + "\n" + _var_export(attrs) + "\n</pre>"


def _static_tag_hook(content: Any, attrs: dict, ctx: ParseContext, frame: Any) -> str:
    if not attrs:
        ctx.ext_state["static_tag_buf"] = content
        return ""
    if len(attrs) == 1 and attrs.get("action") == "flush" and content is None:
        buf = ctx.ext_state.pop("static_tag_buf", None)
        return buf or ""
    return "\nCall this with <statictag>string</statictag> or as <statictag action=flush/>\n"


def _aside_tag_hook(content: Any, attrs: dict, ctx: ParseContext, frame: Any) -> str:
    return "<aside>Some aside content</aside>"


def _style_tag_hook(content: Any, attrs: dict, ctx: ParseContext, frame: Any) -> str:
    """The runner's <style> hook (option ``styletag``): content kept raw via a nowiki marker."""
    marker = ctx.strip.add_nowiki(content or "", "style")
    attr_text = "".join(f' {k}="{_html_attr(v)}"' for k, v in attrs.items() if k != "media"
                        or v != "all")
    return f"<style{attr_text}>{marker}</style>", {"markerType": "general"}


def _link_tag_hook(content: Any, attrs: dict, ctx: ParseContext, frame: Any) -> str:
    return "<link" + "".join(f' {k}="{_html_attr(v)}"' for k, v in attrs.items()) + " />"


def _html_attr(v: str) -> str:
    return str(v).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def case_hooks(requires: list[str], options: dict | None = None) -> ParserHooks:
    """Hooks a case loads: the runner's test tags and the extensions it names."""
    hooks = ParserHooks()
    wanted = {r.split(":", 1)[1] for r in requires if r.startswith("testhook:")}
    if "tag" in wanted or "tåg" in wanted:
        hooks.tags["tag"] = _tag_hook
        hooks.tags["tåg"] = _tag_hook
    if "statictag" in wanted:
        hooks.tags["statictag"] = _static_tag_hook
    hooks.tags["asidetag"] = _aside_tag_hook if "asidetag" in wanted else hooks.tags.get(
        "asidetag", _aside_tag_hook)
    if "asidetag" not in wanted:
        del hooks.tags["asidetag"]
    if options and "styletag" in options:
        hooks.tags["style"] = _style_tag_hook  # type: ignore[assignment]
        hooks.tags["link"] = _link_tag_hook
    extensions = [r.split(":", 1)[1] for r in requires if r.startswith("extension:")]
    if extensions:
        try:
            from wikiengine import registry as _registry
        except ImportError:
            _registry = None  # type: ignore[assignment]
        loader = getattr(_registry, "hooks_for_extensions", None) if _registry else None
        if loader is not None:
            available = []
            for name in extensions:
                try:
                    loader([name])
                    available.append(name)
                except (LookupError, ImportError, AttributeError):  # not installed
                    continue
            extra = loader(available)
            hooks.tags.update(extra.tags)
            hooks.functions.update(extra.functions)
            hooks.after_render.extend(extra.after_render)
            hooks.variables.update(extra.variables)
    return hooks


def _source(articles: dict[str, str], site: SiteConfig) -> DictPageSource:
    env = load_environment()
    return DictPageSource(articles, parser_test_files(env), namespaces=site.namespaces)


def make_case_context(wikitext: str, title: str, articles: dict[str, str],
                      options: dict) -> ParseContext:
    config = options.get("config") or {}
    site = parser_test_site(options, config)
    popts = ParserOptions(
        section_edit_links=True, allow_toc="notoc" not in options, wrap="wrap" in options,
        user_name="127.0.0.1", interface_language=str(options.get("language", "en")),
        variant=str(options.get("variant", "")),
    )
    if "maxincludesize" in options:
        popts.max_include_size = int(options["maxincludesize"])
    if "maxtemplatedepth" in options:
        popts.max_template_depth = int(options["maxtemplatedepth"])
    if "lastsavedrevision" in options:
        # the runner saves the input as the page's current revision (anonymous, fake clock)
        site.revision_user = popts.user_name
        site.revision_timestamp = _FAKE_NOW
        popts.extra["revision_text"] = wikitext
    hooks = case_hooks(list(options.get("requires") or []), options)
    ctx = make_context(title or "Parser test", _source(articles, site), popts, site, hooks)
    return ctx


def render_case(wikitext: str, title: str, articles: dict[str, str] | None = None,
                options: dict | None = None) -> str:
    """What MediaWiki's ParserTestRunner prints for ``wikitext`` under ``options``."""
    options = dict(options or {})
    articles = load_articles() if articles is None else articles
    title = str(options.get("title") or title or "Parser test")
    ctx = make_case_context(wikitext, title, articles, options)
    if "pst" in options:
        from . import pst
        ctx.options.is_pst = True
        return pst.pre_save_transform(wikitext, ctx)
    if "msg" in options:
        from . import preprocess
        ctx.options.interface_message = True
        return ctx.strip.unstrip_both(preprocess.preprocess_wikitext(wikitext, ctx, ot="pre"))
    if "section" in options:
        from . import sections
        out = sections.get_section(wikitext, str(options["section"]))
        return "" if out is None else out
    if "replace" in options:
        from . import sections
        sec, new = options["replace"][0], options["replace"][1]
        out = sections.replace_section(wikitext, str(sec), new)
        return "" if out is None else out
    if "comment" in options:
        from .comment import format_comment
        return format_comment(wikitext, ctx, local="local" in options)
    if "preload" in options:
        from . import pst
        return pst.preload_transform(wikitext, ctx)
    output = parse_context(wikitext, ctx)
    out = output.html.rstrip()
    if "showtitle" in options:
        shown = output.display_title or ctx.title.prefixed_text
        out = f"{shown}\n{out}"
    if "showindicators" in options:
        ind = "".join(f"{k}={v}\n" for k, v in output.indicators.items())
        out = ind + out
    if "ill" in options:
        out = " ".join(output.language_links)
    elif "cat" in options:
        out = "\n".join(f"cat={name} sort={key}" for name, key in output.categories.items())
    if "showflags" in options:
        out += "\nflags=" + ", ".join(sorted(output.flags))
    return out
