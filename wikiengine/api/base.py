"""Module classes and the registry of API modules.

Owns ``ApiModule`` (what every action and query submodule declares: name, prefix, group,
parameters, POST/rights requirements) and the registries ``ACTIONS`` and ``QUERY_MODULES``
that the dispatcher, ``query`` and ``paraminfo`` all read, so the help the API gives about
itself is generated from the very declarations that validate requests.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

from .params import P, read_params

if TYPE_CHECKING:
    from .context import ApiContext

HELP_BASE = "https://www.mediawiki.org/wiki/Special:MyLanguage/API:"


class ApiModule:
    """An API module; subclasses set the class attributes and implement ``execute``."""

    name: str = ""
    group: str = "action"
    prefix: str = ""
    classname: str = ""
    params: tuple[P, ...] = ()
    mustbeposted: bool = False
    writerights: bool = False
    #: Needs the ``read`` right (``readapidenied`` on a private wiki when missing).
    readrights: bool = True
    #: Usable as ``generator=`` (query submodules only).
    generator: bool = False
    helpurls: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.name if self.group in ("action", "format") else f"query+{self.name}"

    def read(self, ctx: "ApiContext", as_generator: bool = False) -> dict[str, Any]:
        prefix = ("g" + self.prefix) if as_generator else self.prefix
        return read_params(ctx, self.params, prefix, self.name)

    def needs_read(self, ctx: "ApiContext") -> bool:
        """Whether this request of the module needs the ``read`` right (``isReadMode``)."""
        return self.readrights

    def execute(self, ctx: "ApiContext") -> None:
        raise NotImplementedError(self.name)

    def run(self, ctx: "ApiContext", pageset: Any, mgr: Any) -> None:
        """Run as a query submodule (meta modules need neither pages nor continuation)."""
        self.execute(ctx)

    def describe(self, ctx: "ApiContext") -> dict[str, Any]:
        """This module's ``paraminfo`` entry."""
        flag: Any = True if ctx.fv == 2 else ""
        server = ctx.request.host_url.rstrip("/")
        out: dict[str, Any] = {
            "name": self.name, "classname": self.classname, "path": self.path,
            "group": self.group, "prefix": self.prefix, "source": "MediaWiki",
            "sourcename": "MediaWiki", "licensetag": "GPL-2.0-or-later",
            "licenselink": f"{server}/wiki/Special:Version/License/MediaWiki",
            "helpurls": list(self.helpurls), "templatedparameters": [],
        }
        if self.readrights:
            out["readrights"] = flag
        if self.writerights:
            out["writerights"] = flag
        if self.mustbeposted:
            out["mustbeposted"] = flag
        if self.generator:
            out["generator"] = flag
        out["parameters"] = [p.describe(i, ctx.fv) for i, p in enumerate(self.params, 1)]
        if ctx.fv == 1:
            for key in [k for k, v in out.items() if v is False]:
                del out[key]
        return out


ACTIONS: dict[str, ApiModule] = {}
QUERY_MODULES: dict[str, dict[str, ApiModule]] = {"prop": {}, "list": {}, "meta": {}}

M = TypeVar("M", bound=type)


def action(cls: M) -> M:
    """Register an action module class (``action=name``)."""
    ACTIONS[cls.name] = cls()
    return cls


def query_module(cls: M) -> M:
    """Register a query submodule class under its ``group`` (prop, list or meta)."""
    QUERY_MODULES[cls.group][cls.name] = cls()
    return cls


def submodules(group: str) -> Callable[[], dict[str, str]]:
    """A late-bound ``{name: path}`` map for the ``submodules`` of a parameter."""
    def get() -> dict[str, str]:
        if group == "action":
            from .main import extension_modules

            return {n: m.path for n, m in {**ACTIONS, **extension_modules()}.items()}
        if group == "generator":
            return {n: m.path for g in ("prop", "list") for n, m in QUERY_MODULES[g].items()
                    if m.generator}
        return {n: m.path for n, m in QUERY_MODULES[group].items()}
    return get


def find_module(path: str) -> ApiModule | None:
    """The module at ``path`` (``edit``, ``query+allpages``, ``main``…), or None."""
    if path.startswith("query+"):
        name = path[len("query+"):]
        for group in QUERY_MODULES.values():
            if name in group:
                return group[name]
        return None
    if path in ACTIONS:
        return ACTIONS[path]
    from .main import extension_modules

    return extension_modules().get(path)
