"""CategoryTree: ``<categorytree>`` shows a category's subcategories and pages as a tree
that unfolds in the browser, like MediaWiki's CategoryTree extension (its AJAX mode).

Owns the tag (``mode`` = categories | pages | all, ``depth`` 0–3, ``hideroot``), its markup
(a link to the category that works without JavaScript, and the tree's options in
``data-ct-*`` attributes) and static/categorytree.js, which reads the members through the
Action API (``list=categorymembers``) and draws them. The parser stays free of database
access: members are fetched by the reader's browser.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from wikiengine.namespaces import CATEGORY

from extensions.common import first_use

__version__ = "1.0"

MODES = ("categories", "pages", "all")
_LABELS = {"en": {"empty": "no subcategories", "error": "Category name missing."},
           "fr": {"empty": "aucune sous-catégorie", "error": "Nom de catégorie manquant."}}


def tree_hook(content: str | None, attrs: dict, ctx: Any, frame: Any) -> str:
    lang = "fr" if ctx.site.language == "fr" else "en"
    name = (content or attrs.get("category") or "").strip()
    title = ctx.make_title(name, CATEGORY) if name else None
    if title is None:
        return f'<strong class="error">{html.escape(_LABELS[lang]["error"])}</strong>'
    if title.namespace != CATEGORY:
        title = ctx.make_title("Category:" + title.text, CATEGORY) or title
    mode = (attrs.get("mode") or "categories").strip().lower()
    if mode not in MODES:
        mode = "categories"
    try:
        depth = max(0, min(3, int(attrs.get("depth", "1"))))
    except ValueError:
        depth = 1
    ctx.output.add_link(title)
    exists = ctx.title_exists(title)
    href = ctx.site.local_url(title.prefixed_dbkey, "" if exists else "action=edit&redlink=1")
    link = (f'<a href="{html.escape(href)}" class="CategoryTreeLabel'
            f'{"" if exists else " new"}" title="{html.escape(title.prefixed_text)}">'
            f"{html.escape(title.text)}</a>")
    root = "" if "hideroot" in attrs else (
        f'<div class="CategoryTreeItem"><span class="CategoryTreeBullet">▼</span> {link}</div>')
    assets = ""
    if first_use(ctx, "categorytree"):
        assets = '<script src="/extensions/categorytree/categorytree.js" defer></script>'
    api = ctx.site.script_path.rstrip("/") + "/api.php"
    return (f'{assets}<div class="CategoryTreeTag" data-ct-category="'
            f'{html.escape(title.dbkey)}" data-ct-mode="{mode}" data-ct-depth="{depth}" '
            f'data-ct-api="{html.escape(api)}" data-ct-article-path="'
            f'{html.escape(ctx.site.article_path)}" data-ct-empty="'
            f'{html.escape(_LABELS[lang]["empty"])}">{root}'
            f'<div class="CategoryTreeChildren"></div></div>')


def register(registry: Any, config: Any) -> None:
    registry.describe("CategoryTree", __version__,
                      description="Dynamically navigate the category structure",
                      url="https://www.mediawiki.org/wiki/Extension:CategoryTree",
                      license="GPL-2.0-or-later", author="Daniel Kinzler; wikiengine port")
    registry.add_tag("categorytree", tree_hook)
    registry.add_static("categorytree", Path(__file__).resolve().parent / "static")
