"""Licences: the configurable list offered at upload (``LICENSES``), the site's default
(``SITE_LICENSE``, CC BY-SA 4.0) and per-page licence metadata.

A page declares its licence with ``{{#licence:code}}`` (French alias ``{{#licence:}}``,
English ``{{#license:}}``): the parser function shows a prominent licence box and records the
code in the page's ``page_props`` (``license``), where the footer, dumps and sync read it
through ``page_licence``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Iterable

PROPERTY = "license"


@dataclass(frozen=True)
class Licence:
    code: str
    label: str
    url: str


DEFAULT_LICENSES: tuple[tuple[str, str, str], ...] = (
    ("cc-by-sa-4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"),
    ("cc-by-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.fr"),
    ("cc0", "CC0 1.0 (domaine public volontaire)",
     "https://creativecommons.org/publicdomain/zero/1.0/deed.fr"),
    ("temoignage-cc-by-nd", "témoignage signé : CC BY-ND 4.0",
     "https://creativecommons.org/licenses/by-nd/4.0/deed.fr"),
    ("domaine-public", "Domaine public", "https://fr.wikipedia.org/wiki/Domaine_public"),
)


def _config() -> Any:
    from flask import current_app, has_app_context

    return current_app.config if has_app_context() else {}


def available(config: Any = None) -> list[Licence]:
    """The licences offered at upload, in order (the first is preselected)."""
    conf = config if config is not None else _config()
    items: Iterable[Any] = conf.get("LICENSES") or DEFAULT_LICENSES
    return [Licence(*item) if not isinstance(item, Licence) else item for item in items]


def site_licence(config: Any = None) -> Licence:
    conf = config if config is not None else _config()
    code = conf.get("SITE_LICENSE", "cc-by-sa-4.0")
    return find(code, conf) or available(conf)[0]


def find(code: str, config: Any = None) -> Licence | None:
    wanted = (code or "").strip().lower()
    for lic in available(config):
        if lic.code == wanted or lic.label.lower() == wanted:
            return lic
    return None


def licence_wikitext(code: str) -> str:
    return f"{{{{#licence:{code}}}}}"


def licence_box(lic: Licence) -> str:
    return (f'<div class="mw-licence-box" data-licence="{html.escape(lic.code)}">'
            f'<strong>Licence :</strong> <a rel="license" class="external" '
            f'href="{html.escape(lic.url)}">{html.escape(lic.label)}</a></div>')


def make_parser_function(config: Any) -> Any:
    """``{{#licence:code}}`` bound to the app's list of licences."""
    conf = dict(config)

    def licence(ctx: Any, frame: Any, args: list) -> Any:
        raw = args[0] if args else ""
        code = raw.strip() if isinstance(raw, str) else raw.text()
        lic = find(code, conf)
        if lic is None:
            known = ", ".join(item.code for item in available(conf))
            return {"text": '<strong class="error">Unknown licence: '
                            f'{html.escape(code)} (known: {html.escape(known)})</strong>',
                    "isHTML": True}
        ctx.output.properties[PROPERTY] = lic.code
        return {"text": licence_box(lic), "isHTML": True}
    return licence


def register_parser_function(app: Any) -> None:
    """Add ``{{#licence:}}`` to the app's extension registry (built by ``registry``)."""
    reg = app.extensions.get("registry")
    if reg is None:
        return
    function = make_parser_function(app.config)
    for name in ("#licence", "#license"):
        reg.add_function(name, function)


def page_licence(session: Any, page_id: int | None) -> Licence:
    """The licence a page declares (``page_props``), else the site's."""
    from sqlalchemy import select

    from ..models import PageProp

    if page_id:
        code = session.scalar(select(PageProp.value).where(
            PageProp.page_id == page_id, PageProp.name == PROPERTY))
        if code:
            found = find(code)
            if found is not None:
                return found
    return site_licence()
