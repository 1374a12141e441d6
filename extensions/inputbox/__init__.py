"""InputBox: ``<inputbox>`` forms to create pages from a preload template, add a section,
or search (a port of MediaWiki's InputBox extension; facilitators use it on collection days).

Owns reading the tag's ``key=value`` lines (type create/comment/commenttitle/search/
fulltext/move, preload, preloadtitle, editintro, summary, minor, prefix, default,
placeholder, buttonlabel, searchbuttonlabel, width, break, align, page), writing the GET
form, which leads to the edit form (itself protected by an edit token), and
Special:InputBox, which puts ``prefix`` in front of the title before the edit form.
"""
from __future__ import annotations

import html
from typing import Any

from extensions.common import attributes

__version__ = "0.3.0"

TYPES = ("create", "comment", "search", "fulltext", "move", "commenttitle")
_LABELS = {
    "en": {"create": "Create page", "comment": "Post comment", "search": "Go",
           "fulltext": "Search", "move": "Move page", "error": "Input box: type not defined."},
    "fr": {"create": "Créer la page", "comment": "Publier le commentaire", "search": "Lire",
           "fulltext": "Rechercher", "move": "Renommer la page",
           "error": "Boîte de saisie : type non défini."},
}


def _options(content: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in content.split("\n")[:100]:
        key, eq, value = line.partition("=")
        if eq and key.strip():
            out[key.strip().lower()] = value.strip()
    return out


def inputbox_hook(content: str | None, attrs: dict, ctx: Any, frame: Any) -> str:
    from wikiengine.parser.preprocess import expand

    text = expand(content or "", ctx, frame=frame, double_underscores=False) if frame else \
        (content or "")
    opts = _options(text)
    lang = "fr" if ctx.site.language == "fr" else "en"
    labels = _LABELS[lang]
    kind = opts.get("type", "").lower()
    if kind not in TYPES:
        return f'<div><strong class="error">{html.escape(labels["error"])}</strong></div>'
    try:
        width = max(1, min(200, int(opts.get("width", "50"))))
    except ValueError:
        width = 50
    script = ctx.site.script
    hidden: dict[str, str] = {}
    if kind in ("create", "comment", "commenttitle"):
        hidden["action"] = "edit"
        for key in ("preload", "editintro", "summary", "nosummary", "minor"):
            if opts.get(key):
                hidden[key] = opts[key]
        if kind in ("comment", "commenttitle"):
            hidden["section"] = "new"
        field = "title"
        default = opts.get("default", "")
        if kind == "commenttitle":  # the box holds the new section's title, on page=
            hidden["title"] = opts.get("page") or ctx.title.prefixed_text
            field = "preloadtitle"
        elif opts.get("preloadtitle"):
            hidden["preloadtitle"] = opts["preloadtitle"]
        if opts.get("prefix") and kind != "commenttitle":  # Special:InputBox puts the prefix in front of the title
            hidden["prefix"] = opts["prefix"]
            script = ctx.site.local_url("Special:InputBox")
    elif kind == "move":
        field = "wpNewTitle"
        default = opts.get("default", "")
        script = ctx.site.local_url("Special:MovePage/" + opts.get("page", ""))
    else:
        field = "search"
        default = opts.get("default", "")
        hidden["title"] = "Special:Search"
        if kind == "fulltext":
            hidden["fulltext"] = "1"
    button = opts.get("buttonlabel") or opts.get("searchbuttonlabel") or labels[kind if
                                                                                kind in labels
                                                                                else "create"]
    inputs = "".join(f'<input type="hidden"{attributes({"name": k, "value": v})}>'
                     for k, v in hidden.items())
    box = (f'<input{attributes({"class": "mw-inputbox-input", "name": field, "type": "text", "value": default, "placeholder": opts.get("placeholder") or None, "size": str(width), "dir": "ltr"})}>')
    sep = "<br />" if opts.get("break", "yes").lower() != "no" else " "
    submit = f'<input type="submit"{attributes({"class": "mw-inputbox-button", "value": button})}>'
    align = "centered" if opts.get("align", "center").lower() == "center" else "left"
    return (f'<div class="mw-inputbox-{align}"><form{attributes({"name": kind + "box", "class": "mw-inputbox-form " + kind + "box", "action": script, "method": "get"})}>'
            f"{inputs}{box}{sep}{submit}</form></div>")


#: what Special:InputBox passes on to the edit form
FORWARDED = ("preload", "editintro", "summary", "nosummary", "minor", "section", "preloadtitle")


def inputbox_page(_sub: str | None) -> Any:
    """``Special:InputBox``: the create box of a ``prefix=`` InputBox lands here, and goes
    on to the edit form of ``prefix + title`` (MediaWiki's SpecialInputBox)."""
    from flask import redirect, request

    from wikiengine.views.common import page_url, parse_title

    title = parse_title(request.args.get("prefix", "") + request.args.get("title", ""),
                        allow_special=False)
    query = {k: request.args[k] for k in FORWARDED if request.args.get(k)}
    return redirect(page_url(title, action="edit", **query), 303)


def register(registry: Any, config: Any) -> None:
    registry.describe("InputBox", __version__,
                      description="Allow inclusion of predefined HTML forms",
                      url="https://www.mediawiki.org/wiki/Extension:InputBox",
                      license="MIT", author="Erik Moeller, Leonardo Pimenta, Rob Church, Trevor "
                                           "Parscal, DaSch")
    registry.add_tag("inputbox", inputbox_hook)
    registry.add_special_page("InputBox", inputbox_page, label="InputBox",
                              aliases={"fr": ["InputBox"], "en": ["InputBox"]}, group="pagetools")
