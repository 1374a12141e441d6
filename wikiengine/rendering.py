"""Rendering pages from the database: the site's parser settings, a database-backed
``PageSource``, the pre-save transform and ``render_revision`` through the parser cache.

Views and the API call ``render_revision``; the save path calls ``pre_save_transform`` and
``parse_for_links``. While ``wikiengine.parser`` has no ``parse`` (early in the project) the
page is shown as escaped text in ``<p>`` and the link tables stay empty.
"""
from __future__ import annotations

import hashlib
import html
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from wikiengine.models import Content, Image, Page, Revision, User
from wikiengine.namespaces import FILE, MEDIA, Namespaces
from wikiengine.title import Title


def _settings() -> Any:
    from wikiengine.store.permissions import settings

    return settings()


@lru_cache(maxsize=16)
def _namespaces(language: str, meta: str) -> Namespaces:
    return Namespaces(language=language, meta=meta)


def site_namespaces() -> Namespaces:
    """The namespace table of the current site (content language, meta namespace)."""
    conf = _settings()
    return _namespaces(conf.get("LANGUAGE", "fr"), conf.get("META_NAMESPACE", "Projet"))


#: Interwiki prefixes known by default (MediaWiki's maintenance/interwiki.list, in part);
#: ``$lang`` is the content language. The ``INTERWIKI`` setting replaces this table:
#: ``{prefix: url_with_$1}`` or ``{prefix: {"url": …, "local": bool}}``.
DEFAULT_INTERWIKI: dict[str, str] = {
    "wikipedia": "https://$lang.wikipedia.org/wiki/$1",
    "w": "https://$lang.wikipedia.org/wiki/$1",  # Wikimedia's shortcuts (bots write [[w:en:…]])
    "wikt": "https://$lang.wiktionary.org/wiki/$1",
    "wiktionary": "https://$lang.wiktionary.org/wiki/$1",
    "wikisource": "https://$lang.wikisource.org/wiki/$1",
    "wikibooks": "https://$lang.wikibooks.org/wiki/$1",
    "wikiquote": "https://$lang.wikiquote.org/wiki/$1",
    "wikivoyage": "https://$lang.wikivoyage.org/wiki/$1",
    "commons": "https://commons.wikimedia.org/wiki/$1",
    "metawikimedia": "https://meta.wikimedia.org/wiki/$1",
    "mediawikiwiki": "https://www.mediawiki.org/wiki/$1",
    "wikidata": "https://www.wikidata.org/wiki/$1",
    "osm": "https://wiki.openstreetmap.org/wiki/$1",
}


def _interwiki(conf: Any) -> tuple[dict[str, Any], frozenset[str]]:
    """``(prefix -> Interwiki, interlanguage prefixes)`` from the settings: ``INTERWIKI`` and
    ``INTERLANGUAGE`` (prefixes such as ``br`` or ``en`` whose links are language links; each
    needs an INTERWIKI entry, else it points at that Wikipedia)."""
    from wikiengine.parser.site import Interwiki

    lang = str(conf.get("LANGUAGE", "fr"))
    table = conf.get("INTERWIKI")
    if table is None:
        table = DEFAULT_INTERWIKI
    out: dict[str, Any] = {}
    for prefix, value in table.items():
        url, local = (value.get("url", ""), bool(value.get("local"))) if isinstance(value, dict) \
            else (str(value), False)
        out[prefix.lower()] = Interwiki(prefix.lower(), url.replace("$lang", lang), local)
    languages = frozenset(p.lower() for p in conf.get("INTERLANGUAGE") or ())
    for prefix in languages:
        out.setdefault(prefix, Interwiki(prefix, f"https://{prefix}.wikipedia.org/wiki/$1"))
    return out, languages


def site_config(**changes: Any) -> Any:
    """The parser's ``SiteConfig`` for this wiki's settings."""
    from wikiengine.parser.site import SiteConfig

    conf = _settings()
    script_path = conf.get("SCRIPT_PATH", "/w")
    interwiki, languages = _interwiki(conf)
    changes.setdefault("interwiki", interwiki)
    changes.setdefault("interlanguage", languages)
    return SiteConfig(
        sitename=conf.get("SITENAME", "Wiki"), server=conf.get("SERVER", "http://localhost"),
        script_path=script_path, script=f"{script_path}/index.php",
        article_path=conf.get("ARTICLE_PATH", "/wiki/$1"), namespaces=site_namespaces(),
        language=conf.get("LANGUAGE", "fr"),
        upload_base_url=conf.get("UPLOAD_URL", "/images"), **changes)


def file_url_parts(name: str) -> str:
    """MediaWiki's hashed upload path of a file: ``a/ab/Name.jpg``."""
    digest = hashlib.md5(name.encode("utf-8")).hexdigest()
    return f"{digest[0]}/{digest[:2]}/{name}"


class DbPageSource:
    """``PageSource`` reading the wiki's pages and files through one session (per parse)."""

    def __init__(self, session: Session, namespaces: Namespaces | None = None) -> None:
        self.session = session
        self.namespaces = namespaces or site_namespaces()
        self._texts: dict[str, str | None] = {}

    def _page(self, title: Title) -> Page | None:
        return self.session.scalar(select(Page).where(Page.namespace == title.namespace,
                                                      Page.title == title.dbkey))

    def get_text(self, title: Title) -> str | None:
        if title.interwiki or title.namespace < 0:
            return None
        key = title.prefixed_dbkey
        if key not in self._texts:
            row = self.session.execute(
                select(Content.text).join(Revision, Revision.content_id == Content.content_id)
                .join(Page, Page.latest == Revision.rev_id)
                .where(Page.namespace == title.namespace, Page.title == title.dbkey)).first()
            self._texts[key] = row[0] if row is not None else None
        return self._texts[key]

    def exists_many(self, titles: Iterable[Title]) -> set[str]:
        wanted: dict[tuple[int, str], str] = {}
        files: dict[str, str] = {}
        for t in titles:
            if t.interwiki or t.namespace == -1:
                continue
            if t.namespace == MEDIA:
                files[t.dbkey] = t.prefixed_dbkey
            else:
                wanted[(t.namespace, t.dbkey)] = t.prefixed_dbkey
        found: set[str] = set()
        keys = list(wanted)
        for start in range(0, len(keys), 400):
            chunk = keys[start:start + 400]
            rows = self.session.execute(select(Page.namespace, Page.title).where(
                tuple_(Page.namespace, Page.title).in_(chunk)))
            found.update(wanted[(ns, title)] for ns, title in rows)
        if files:
            names = list(self.session.scalars(select(Image.name).where(Image.name.in_(list(files)))))
            found.update(files[n] for n in names)
        return found

    def redirects_many(self, titles: Iterable[Title]) -> set[str]:
        """Prefixed dbkeys of the existing ``titles`` that are redirects (one query per 400)."""
        wanted = {(t.namespace, t.dbkey): t.prefixed_dbkey for t in titles
                  if not t.interwiki and t.namespace >= 0}
        found: set[str] = set()
        keys = list(wanted)
        for start in range(0, len(keys), 400):
            rows = self.session.execute(select(Page.namespace, Page.title).where(
                tuple_(Page.namespace, Page.title).in_(keys[start:start + 400]),
                Page.is_redirect.is_(True)))
            found.update(wanted[(ns, title)] for ns, title in rows)
        return found

    def special_page_exists(self, name: str) -> bool:
        """Whether ``Special:name`` is a registered special page (canonical name or alias,
        any case), for ``{{#ifexist:Special:…}}``; pages come from ``views.special.register``."""
        from flask import current_app, has_app_context

        if not has_app_context():
            return False
        lookup = current_app.extensions.get("special_lookup", {})
        return name.replace(" ", "_").lower() in lookup

    def file_info(self, title: Title) -> Any:
        from wikiengine.parser.source import FileInfo

        if title.namespace not in (FILE, MEDIA):
            return None
        image = self.session.get(Image, title.dbkey)
        if image is None:
            return None
        base = _settings().get("UPLOAD_URL", "/images")
        path = file_url_parts(image.name)
        digest_dir = path.rsplit("/", 1)[0]
        pages, extra = 0, {}
        if image.minor_mime == "pdf":  # page count and sizes recorded at upload (verify.py)
            import json

            try:
                meta = json.loads(image.metadata_json or "{}")
                pages = int(meta.get("pages") or 0)
                extra = {"page_sizes": list(meta.get("page_sizes") or [])}
            except (ValueError, TypeError, AttributeError):
                pages = 0
        return FileInfo(name=image.name, width=image.width, height=image.height,
                        url=f"{base}/{path}", mime=f"{image.major_mime}/{image.minor_mime}",
                        size=image.size, media_type=image.media_type, pages=pages, extra=extra,
                        thumb_base=f"{base}/thumb/{digest_dir}/{image.name}")

    def page_info(self, title: Title) -> Any:
        from wikiengine.parser.source import PageInfo

        if title.interwiki or title.namespace < 0:
            return None
        page = self._page(title)
        if page is None:
            return None
        return PageInfo(id=page.page_id, latest=page.latest, is_redirect=page.is_redirect,
                        length=page.len)


def _parser() -> Any:
    """The parser package when it provides ``parse``, else None."""
    try:
        from wikiengine import parser
    except ImportError:
        return None
    return parser if hasattr(parser, "parse") else None


def parser_hooks() -> Any:
    """The enabled extensions' tag hooks and parser functions (``wikiengine.registry``)."""
    try:
        from wikiengine import registry
    except ImportError:
        return None
    return registry.parser_hooks()


def parser_options(user: User | None = None, **changes: Any) -> Any:
    from wikiengine.parser.context import ParserOptions

    language = (user.options or {}).get("language") if user is not None and user.options else None
    options = ParserOptions(interface_language=language or _settings().get("LANGUAGE", "fr"))
    if user is not None:
        options.user_name = user.name
    for key, value in changes.items():
        setattr(options, key, value)
    return options


def pre_save_transform(session: Session, title: Title, text: str, user: User) -> str:
    """``~~~~`` signatures, ``subst:``, pipe trick… when ``wikiengine.parser.pst`` exists."""
    try:
        from wikiengine.parser import pst
    except ImportError:
        return text
    transform = getattr(pst, "pre_save_transform", None)
    parser = _parser()
    if transform is None or parser is None or not hasattr(parser, "make_context"):
        return text
    ctx = parser.make_context(title, DbPageSource(session), parser_options(user, is_pst=True),
                              site_config(), parser_hooks())
    return transform(text, ctx).rstrip()


def fallback_output(text: str) -> Any:
    """What a page shows while no parser is installed: its text, escaped, in ``<p>``."""
    from wikiengine.parser.output import ParserOutput

    return ParserOutput(html=f"<p>{html.escape(text)}</p>")


def parse_for_links(session: Session, title: Title, text: str) -> Any:
    """A ParserOutput for the link tables of a save, or None without a parser."""
    parser = _parser()
    if parser is None:
        return None
    return parser.parse(text, title, DbPageSource(session), parser_options(), site_config(),
                        parser_hooks())


def render_revision(session: Session, title: Title, text: str, *, page: Page | None = None,
                    revision: Revision | None = None, options: Any = None,
                    use_cache: bool = True) -> Any:
    """The ParserOutput of ``text`` shown as page ``title``.

    With ``page`` and ``revision`` the parser cache is used (valid while newer than
    ``page.touched``); without them (previews) the text is parsed every time.
    """
    from wikiengine import cache

    parser = _parser()
    if parser is None:
        return fallback_output(text)
    options = options or parser_options()
    # Only the current revision is cached (MediaWiki keeps old ones briefly elsewhere):
    # the table then holds at most one rendering per page and option set.
    cacheable = (use_cache and page is not None and revision is not None
                 and revision.rev_id == page.latest and not options.preview)
    if cacheable:
        hit = cache.get(session, page, revision.rev_id, options)
        if hit is not None:
            return hit
    from wikiengine.models import utcnow

    started = utcnow()
    site = site_config(page_id=page.page_id if page else 0,
                       revision_id=revision.rev_id if revision else 0,
                       revision_timestamp=revision.timestamp if revision else None)
    output = parser.parse(text, title, DbPageSource(session), options, site, parser_hooks())
    if cacheable:
        cache.put(session, page, revision.rev_id, options, output, parsed_at=started)
    return output
