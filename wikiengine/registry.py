"""The extension registry: MediaWiki's ``wfLoadExtension`` for wikiengine.

Owns finding extensions (entry-point group ``wikiengine.extensions``; each exposes
``register(registry, config)``), enabling them by name (``EXTENSIONS = [...]`` in the
instance settings), and what they may add: tag hooks (``<ref>``), parser functions
(``{{#if:}}``), variables/magic words, behaviour switches, after/before-render hooks,
special pages, API modules, event hooks (``page_saved``, ``page_deleted``, ``page_moved``),
static folders and translation folders. ``Registry.parser_hooks()`` turns it into the
parser's ``ParserHooks``, with every hook *contained*: an extension that raises leaves a
visible ``<strong class="error">`` at its place and a log record, never an exception page.
``init_app`` loads the enabled extensions for the app and registers Special:Version.
"""
from __future__ import annotations

import html
import importlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from wikiengine.parser.context import ParserHooks

log = logging.getLogger(__name__)

GROUP = "wikiengine.extensions"
EVENTS = ("page_saved", "page_deleted", "page_moved", "before_render", "after_render")


class ExtensionNotFound(LookupError):
    """``EXTENSIONS`` names an extension that no entry point provides."""


@dataclass
class ExtensionInfo:
    """What Special:Version shows about one extension."""

    name: str
    version: str = ""
    description: str = ""
    url: str = ""
    license: str = ""
    author: str = ""


@dataclass
class SpecialPageSpec:
    name: str
    view: Callable[[str | None], Any]
    label: str
    aliases: dict[str, list[str]] = field(default_factory=dict)
    group: str = "other"


def error_html(message: str) -> str:
    """MediaWiki's inline error box (``<strong class="error">``), message escaped."""
    return f'<strong class="error">{html.escape(message, quote=False)}</strong>'


class Registry:
    """Everything the enabled extensions added; one per app (or per parser-test case)."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config: Mapping[str, Any] = config or {}
        self.extensions: dict[str, ExtensionInfo] = {}
        self.tags: dict[str, Callable] = {}
        self.functions: dict[str, Callable] = {}
        self.variables: dict[str, Callable] = {}
        self.behaviour_switches: set[str] = set()
        self.before_render: list[Callable] = []
        self.after_render: list[Callable] = []
        self.special_pages: list[SpecialPageSpec] = []
        self.api_modules: dict[str, Any] = {}
        self.events: dict[str, list[Callable]] = {e: [] for e in EVENTS}
        self.static_folders: dict[str, Path] = {}
        self.translation_folders: list[Path] = []
        self._current = ""

    # -- what an extension calls from register() -----------------------------------------
    def describe(self, name: str, version: str = "", **info: str) -> None:
        self.extensions[name] = ExtensionInfo(name, version, **info)
        self._current = name

    def add_tag(self, name: str, hook: Callable) -> None:
        """``<name>`` tag: ``hook(content|None, attrs, ctx, frame) -> html``."""
        self.tags[name.lower()] = self._contained_tag(name.lower(), hook)

    def add_function(self, name: str, hook: Callable) -> None:
        """``{{name:…}}`` parser function: ``hook(ctx, frame, args) -> wikitext|dict``."""
        self.functions[name] = self._contained_function(name, hook)

    def add_variable(self, name: str, hook: Callable) -> None:
        """``{{NAME}}`` magic variable: ``hook(ctx) -> wikitext``."""
        ext = self._current

        def variable(ctx: Any) -> str:
            try:
                return hook(ctx)
            except Exception as e:
                log.exception("extension %s failed in {{%s}}", ext, name)
                return error_html(f"Internal error in variable {name} of extension "
                                  f"{ext or '?'}: {type(e).__name__}")
        self.variables[name] = variable

    def add_behaviour_switch(self, name: str) -> None:
        """``__NAME__``; recorded in ``output.properties`` by the after-render step."""
        self.behaviour_switches.add(name.lower())

    def add_before_render(self, hook: Callable[[str, Any], str]) -> None:
        """``hook(wikitext, ctx) -> wikitext`` run on a page's text before it is parsed."""
        self.before_render.append(hook)

    def add_after_render(self, hook: Callable[[str, Any], str]) -> None:
        """``hook(html, ctx) -> html`` run on the page's HTML (Cite's reference lists)."""
        self.after_render.append(self._contained_filter(hook))

    def add_special_page(self, name: str, view: Callable[[str | None], Any], *, label: str,
                         aliases: dict[str, list[str]] | None = None,
                         group: str = "other") -> None:
        self.special_pages.append(SpecialPageSpec(name, view, label, aliases or {}, group))

    def add_api_module(self, name: str, module: Any) -> None:
        self.api_modules[name] = module

    def on(self, event: str, hook: Callable[..., None]) -> None:
        if event not in self.events:
            raise ValueError(f"unknown event {event!r}; known: {', '.join(EVENTS)}")
        self.events[event].append(hook)

    def add_static(self, name: str, folder: str | Path) -> None:
        """Serve ``folder`` at ``/extensions/<name>/…``."""
        self.static_folders[name] = Path(folder)

    def add_translations(self, folder: str | Path) -> None:
        self.translation_folders.append(Path(folder))

    # -- what the wiki calls ---------------------------------------------------------------
    def parser_hooks(self) -> ParserHooks:
        """A fresh ParserHooks holding the enabled extensions' parser hooks."""
        hooks = ParserHooks(dict(self.tags), dict(self.functions), list(self.after_render),
                            dict(self.variables))
        if self.behaviour_switches:
            hooks.after_render.insert(0, self._switches_filter())
        return hooks

    def fire(self, event: str, **payload: Any) -> None:
        """Call the hooks of ``event``; a hook that raises is logged and skipped."""
        for hook in self.events.get(event, []):
            try:
                hook(**payload)
            except Exception:  # contained: one extension must not break a save
                log.exception("extension hook for %s failed", event)

    def transform_source(self, text: str, ctx: Any) -> str:
        for hook in self.before_render:
            try:
                text = hook(text, ctx)
            except Exception:
                log.exception("before_render hook failed")
        return text

    # -- containment -----------------------------------------------------------------------
    def _contained_tag(self, name: str, hook: Callable) -> Callable:
        ext = self._current

        def tag(content: Any, attrs: dict, ctx: Any, frame: Any) -> Any:
            try:
                return hook(content, attrs, ctx, frame)
            except RecursionError:
                log.warning("extension %s: <%s> nested too deeply", ext, name)
                return error_html(f"Error: <{name}> is nested too deeply.")
            except Exception as e:
                log.exception("extension %s failed in <%s>", ext, name)
                return error_html(f"Internal error in the <{name}> tag of extension "
                                  f"{ext or '?'}: {type(e).__name__}")
        tag.__wrapped__ = hook  # type: ignore[attr-defined]
        return tag

    def _contained_function(self, name: str, hook: Callable) -> Callable:
        ext = self._current

        def function(ctx: Any, frame: Any, args: list) -> Any:
            try:
                return hook(ctx, frame, args)
            except RecursionError:
                log.warning("extension %s: {{%s:}} nested too deeply", ext, name)
                return error_html(f"Error: {{{{{name}:}}}} is nested too deeply.")
            except Exception as e:
                log.exception("extension %s failed in {{%s:}}", ext, name)
                return error_html(f"Internal error in parser function {name} of extension "
                                  f"{ext or '?'}: {type(e).__name__}")
        function.__wrapped__ = hook  # type: ignore[attr-defined]
        return function

    def _contained_filter(self, hook: Callable) -> Callable:
        ext = self._current

        def after(text: str, ctx: Any) -> str:
            try:
                return hook(text, ctx)
            except Exception as e:
                log.exception("extension %s failed after rendering", ext)
                return text + error_html(f"Internal error in extension {ext or '?'}: "
                                         f"{type(e).__name__}")
        return after

    def _switches_filter(self) -> Callable:
        import re

        pattern = re.compile(r"__(" + "|".join(re.escape(s) for s in
                                               sorted(self.behaviour_switches)) + r")__", re.I)

        def switches(text: str, ctx: Any) -> str:
            def record(m: re.Match[str]) -> str:
                ctx.output.properties[m.group(1).lower()] = ""
                return ""
            return pattern.sub(record, text) if "__" in text else text
        return switches


# -- discovery -------------------------------------------------------------------------------
def available() -> dict[str, Any]:
    """Entry points of group ``wikiengine.extensions``, by lower-cased name."""
    return {ep.name.lower(): ep for ep in metadata.entry_points(group=GROUP)}


def _load_module(name: str) -> Any:
    ep = available().get(name.lower())
    if ep is not None:
        return ep.load()
    try:  # a source checkout not re-installed yet still finds its own extensions/ package
        return importlib.import_module(f"extensions.{name.lower()}")
    except ModuleNotFoundError as e:
        raise ExtensionNotFound(f"no extension named {name!r} (entry point group {GROUP})") from e


def build(names: Iterable[str], config: Mapping[str, Any] | None = None) -> Registry:
    """A Registry with the extensions ``names`` loaded, in order."""
    reg = Registry(config)
    for name in names:
        module = _load_module(name)
        reg._current = name
        reg.extensions.setdefault(name, ExtensionInfo(name, getattr(module, "__version__", "")))
        module.register(reg, reg.config)
        reg._current = ""
    return reg


@lru_cache(maxsize=32)
def _cached(names: tuple[str, ...]) -> Registry:
    return build(names)


def hooks_for_extensions(names: Iterable[str], config: Mapping[str, Any] | None = None
                         ) -> ParserHooks:
    """ParserHooks for exactly the extensions ``names`` (the parser-test runner's loader)."""
    if config:
        return build(list(names), config).parser_hooks()
    return _cached(tuple(names)).parser_hooks()


hooks_for = hooks_for_extensions


# -- the app ---------------------------------------------------------------------------------
def get_registry(app: Any = None) -> Registry:
    """The registry of ``app`` (the current app by default); empty outside an app."""
    if app is None:
        from flask import current_app, has_app_context
        if not has_app_context():
            return Registry()
        app = current_app
    return app.extensions.get("registry") or Registry()


def parser_hooks(app: Any = None) -> ParserHooks:
    """The ParserHooks of the app's enabled extensions (for ``parser.parse(hooks=…)``)."""
    return get_registry(app).parser_hooks()


def cache_key(app: Any = None) -> str:
    """A short key naming the enabled extensions and their versions, for the parser cache:
    output cached under another set of extensions must not be served."""
    import hashlib

    reg = get_registry(app)
    text = ",".join(f"{e.name}={e.version}" for e in sorted(reg.extensions.values(),
                                                              key=lambda e: e.name))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def fire(event: str, app: Any = None, **payload: Any) -> None:
    """Tell the enabled extensions that ``event`` happened, after the commit. Payloads:
    ``page_saved(title, page, revision, created)``, ``page_deleted(title, page_id)``,
    ``page_moved(old_title, new_title, page)``; hooks receive them as keywords."""
    get_registry(app).fire(event, **payload)


BUILTIN_TRANSLATIONS = Path(__file__).resolve().parents[1] / "extensions" / "translations"


def _add_translations(app: Any, folders: list[Path]) -> None:
    """Compile the extensions' catalogues and let Flask-Babel read them; the wiki's own
    catalogue stays last, so its translations win over an extension's."""
    from .i18n import compile_catalogues

    babel = app.extensions.get("babel")
    if babel is None:
        return
    for folder in folders:
        if folder.is_dir():
            compile_catalogues(folder)
            if str(folder) not in babel.translation_directories:
                babel.translation_directories.insert(0, str(folder))


def init_app(app: Any) -> None:
    """Load ``EXTENSIONS`` and register their special pages, static files and Special:Version."""
    names = list(app.config.get("EXTENSIONS") or [])
    reg = build(names, app.config)
    app.extensions["registry"] = reg
    _add_translations(app, [BUILTIN_TRANSLATIONS, *reg.translation_folders])
    from extensions import version
    version.init_app(app, reg)
