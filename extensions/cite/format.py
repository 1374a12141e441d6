"""Cite's HTML: footnote marks, reference lists, anchors and error messages (MediaWiki 1.39).

Owns ``AnchorFormatter`` (``cite_ref-…``/``cite_note-…`` ids and links in the wiki's
fragment mode), ``FootnoteMarkFormatter`` (``<sup class="reference">``, group labels and the
``MediaWiki:Cite_link_label_group-…`` custom labels), ``ReferencesFormatter`` (the
``<ol class="references">`` list, back-links, ``follow`` paragraphs, ``extends``
sub-lists, the responsive wrapper) and ``ErrorReporter`` (messages in English or French).
"""
from __future__ import annotations

import html
import re
from typing import Any, Callable

from wikiengine.parser.sanitizer import escape_id_for_link

from .stack import Ref

MESSAGES = {
    "en": {
        "cite_error": "Cite error: $1",
        "cite_error_ref_numeric_key": "Invalid <code>&lt;ref&gt;</code> tag; name cannot be a "
                                      "simple integer. Use a descriptive title",
        "cite_error_ref_no_key": "The opening <code>&lt;ref&gt;</code> tag is malformed or has "
                                 "a bad name",
        "cite_error_ref_too_many_keys": "Invalid <code>&lt;ref&gt;</code> tag; invalid names, "
                                        "e.g. too many",
        "cite_error_ref_no_input": "Invalid <code>&lt;ref&gt;</code> tag; refs with no name "
                                   "must have content",
        "cite_error_ref_invalid_dir": "Invalid <code>dir=\"$1\"</code>, must be "
                                      "<code>ltr</code> or <code>rtl</code>",
        "cite_error_ref_nested_extends": "Invalid <code>extends=\"$1\"</code>, the reference "
                                         "\"$1\" already extends \"$2\"",
        "cite_error_references_invalid_parameters": "Invalid parameter in "
                                                    "<code>&lt;references&gt;</code> tag",
        "cite_error_references_no_text": "Invalid <code>&lt;ref&gt;</code> tag; no text was "
                                         "provided for refs named <code>$1</code>",
        "cite_error_included_ref": "Closing <code>&lt;/ref&gt;</code> missing for "
                                   "<code>&lt;ref&gt;</code> tag",
        "cite_error_included_references": "Closing tag missing for "
                                          "<code>&lt;references&gt;</code>",
        "cite_error_group_refs_without_references": "<code>&lt;ref&gt;</code> tags exist for a "
            "group named \"$1\", but no corresponding <code>&lt;references group=\"$1\"/&gt;"
            "</code> tag was found",
        "cite_error_references_group_mismatch": "<code>&lt;ref&gt;</code> tag in "
            "<code>&lt;references&gt;</code> has conflicting group attribute \"$1\".",
        "cite_error_references_missing_key": "<code>&lt;ref&gt;</code> tag with name \"$1\" "
            "defined in <code>&lt;references&gt;</code> is not used in prior text.",
        "cite_error_references_no_key": "<code>&lt;ref&gt;</code> tag defined in "
            "<code>&lt;references&gt;</code> has no name attribute.",
        "cite_error_empty_references_define": "<code>&lt;ref&gt;</code> tag with name \"$1\" "
            "defined in <code>&lt;references&gt;</code> group \"$2\" has no content.",
        "cite_error_references_duplicate_key": "Invalid <code>&lt;ref&gt;</code> tag; name "
            "\"$1\" defined multiple times with different content",
        "cite_error_no_link_label_group": "Ran out of custom link labels for group \"$1\".\n"
            "Define more in the <nowiki>[[MediaWiki:$2]]</nowiki> message.",
        "cite_error_ref_too_deep": "<code>&lt;ref&gt;</code> tags are nested too deeply",
    },
    "fr": {  # i18n/fr.json of Cite (the 1.39 wording where it changed since)
        "cite_error": "Erreur de référence : $1",
        "cite_error_ref_numeric_key": "Balise <code>&lt;ref&gt;</code> incorrecte : la valeur de "
                                      "l’attribut <code>name</code> ne peut être un simple "
                                      "entier. Utilisez un titre descriptif.",
        "cite_error_ref_no_key": "La balise ouvrante <code>&lt;ref&gt;</code> est mal formée "
                                 "ou a un mauvais nom.",
        "cite_error_ref_too_many_keys": "Balise <code>&lt;ref&gt;</code> incorrecte ; noms "
                                        "incorrects, par exemple trop nombreux",
        "cite_error_ref_no_input": "Balise <code>&lt;ref&gt;</code> incorrecte : les "
                                   "références sans nom doivent avoir un contenu.",
        "cite_error_ref_invalid_dir": "<code>dir=\"$1\"</code> non valide, doit être "
                                      "<code>ltr</code> ou <code>rtl</code>",
        "cite_error_ref_nested_extends": "L’extension des balises <code>&lt;ref&gt;</code> "
                                         "au-delà d’un niveau de profondeur n’est pas autorisée.",
        "cite_error_references_invalid_parameters": "Paramètre incorrect dans la balise "
                                                    "<code>&lt;references&gt;</code>",
        "cite_error_references_no_text": "Balise <code>&lt;ref&gt;</code> incorrecte : aucun "
                                         "texte n’a été fourni pour les références nommées "
                                         "<code>$1</code>",
        "cite_error_included_ref": "Balise fermante <code>&lt;/ref&gt;</code> manquante pour "
                                   "la balise <code>&lt;ref&gt;</code>",
        "cite_error_included_references": "Balise fermante manquante pour "
                                          "<code>&lt;reference&gt;</code>",
        "cite_error_group_refs_without_references": "Des balises <code>&lt;ref&gt;</code> "
            "existent pour un groupe nommé « $1 », mais aucune balise "
            "<code>&lt;references group=\"$1\"/&gt;</code> correspondante n’a été trouvée",
        "cite_error_references_group_mismatch": "La balise <code>&lt;ref&gt;</code> dans "
            "<code>&lt;references&gt;</code> a un attribut de groupe « $1 » en conflit.",
        "cite_error_references_missing_key": "La balise <code>&lt;ref&gt;</code> nommée « $1 » "
            "définie dans <code>&lt;references&gt;</code> n’est pas utilisée dans le texte "
            "précédent.",
        "cite_error_references_no_key": "La balise <code>&lt;ref&gt;</code> définie dans "
            "<code>&lt;references&gt;</code> n’a pas d’attribut de nom.",
        "cite_error_empty_references_define": "La balise <code>&lt;ref&gt;</code> avec le nom "
            "« $1 » définie dans le groupe <code>&lt;references&gt;</code> « $2 » n’a aucun "
            "contenu.",
        "cite_error_references_duplicate_key": "Balise <code>&lt;ref&gt;</code> incorrecte : le "
            "nom « $1 » est défini plusieurs fois avec des contenus différents.",
        "cite_error_no_link_label_group": "Plus d’étiquettes de lien personnalisées pour le "
            "groupe « $1 ». Définissez-en plus dans le message "
            "<nowiki>[[MediaWiki:$2]]</nowiki>.",
        "cite_error_ref_too_deep": "Les balises <code>&lt;ref&gt;</code> sont imbriquées trop "
                                   "profondément",
    },
}


def error_html(lang: str, key: str, *params: str) -> str:
    """``ErrorReporter::plain``: the message in a ``mw-ext-cite-error`` span."""
    if lang not in MESSAGES:
        lang = "en"
    table = MESSAGES[lang]
    text = table.get(key) or MESSAGES["en"][key]
    for i, p in enumerate(params, 1):
        text = text.replace(f"${i}", html.escape(p))
    text = table["cite_error"].replace("$1", text)
    return f'<span class="error mw-ext-cite-error" lang="{lang}" dir="ltr">{text}</span>'


# -- anchors --------------------------------------------------------------------------------
_WS_UNDERSCORES = re.compile(r"[_\s]+")


class Anchors:
    """Ids (attribute) and fragment links of refs and notes in the wiki's fragment mode."""

    def __init__(self, fragment_mode: tuple[str, ...]) -> None:
        self.mode = tuple(fragment_mode) or ("legacy",)

    def _norm(self, text: str) -> str:
        out = escape_id_for_link(text, self.mode)
        return re.sub(r"__+", "_", out)

    def ref_id(self, key: str, num: str | None = None) -> str:
        return self._norm("cite_ref-" + (f"{key}_{num}" if num is not None else key))

    def note_id(self, key: str) -> str:
        return self._norm("cite_note-" + key)

    @staticmethod
    def link(anchor_id: str) -> str:
        """What the parser's ``[[#…]]`` makes of an id: whitespace runs become ``_``."""
        return _WS_UNDERSCORES.sub("_", anchor_id)


def note_key(ref: Ref) -> str:
    if ref.name:
        return f"{ref.name}-{ref.key if ref.key is not None else ''}"
    return str(ref.key)


def ref_anchor(anchors: Anchors, ref: Ref, use: int) -> str:
    if ref.name:
        return anchors.ref_id(ref.name, f"{ref.key}-{use}")
    return anchors.ref_id(str(ref.key))


def attr(text: str) -> str:
    return html.escape(text, quote=True)


# -- marks ----------------------------------------------------------------------------------
def label(ref: Ref, custom: list[str] | None) -> str:
    number = ref.number or 0
    if ref.extends_index is not None:
        return f"{number}.{ref.extends_index}"
    if custom is not None and 0 < number <= len(custom):
        return custom[number - 1]
    return str(number)


def mark_html(anchors: Anchors, ref: Ref, use: int, custom: list[str] | None) -> str:
    text = label(ref, custom)
    if ref.group and (custom is None or ref.extends_index is not None or not
                      (0 < (ref.number or 0) <= len(custom))):
        text = f"{ref.group} {text}"
    rid = ref_anchor(anchors, ref, use)
    nid = anchors.note_id(note_key(ref))
    return (f'<sup id="{attr(rid)}" class="reference"><a href="#{attr(anchors.link(nid))}">'
            f"&#91;{html.escape(text, quote=False)}&#93;</a></sup>")


# -- lists ----------------------------------------------------------------------------------
#: decimal separator of the languages whose separator is not "." (Language::formatNum)
DECIMAL_SEPARATORS = {"fr": ",", "br": ",", "de": ",", "nl": ",", "es": ",", "it": ",",
                      "sr": ",", "ru": ",", "pt": ","}


class ListFormatter:
    """Formats one group's references; ``parse`` half-parses a ref's wikitext."""

    def __init__(self, anchors: Anchors, lang: str, parse: Callable[[str], str]) -> None:
        self.anchors = anchors
        self.lang = lang
        self.parse = parse
        self.separator = DECIMAL_SEPARATORS.get(lang, ".")

    def _text(self, ref: Ref) -> str:
        if ref.text is None:
            return error_html(self.lang, "cite_error_references_no_text", ref.name or "")
        body = self.parse(ref.text).rstrip("\n")
        for key, params in ref.warnings:
            body += " " + error_html(self.lang, key, *params)
        return f'<span class="reference-text">{body}</span>\n'

    def _backlinks(self, ref: Ref) -> str:
        a = self.anchors
        if ref.count == 1:
            target = a.link(ref_anchor(a, ref, 0))
            return f'<span class="mw-cite-backlink"><a href="#{attr(target)}">↑</a></span>'
        width = len(str(max(ref.count - 1, 0)))
        links = " ".join(
            f'<sup><a href="#{attr(a.link(ref_anchor(a, ref, i)))}">'
            f"{label(ref, None)}{self.separator}{str(i).zfill(width)}</a></sup>"
            for i in range(ref.count))
        return f'<span class="mw-cite-backlink">↑ {links}</span>'

    def item(self, ref: Ref, children: list[Ref]) -> str:
        a = self.anchors
        if ref.follow and ref.number is None:
            pid = a.note_id(ref.follow)
            return f'<p id="{attr(pid)}">{self._text(ref)}</p>'
        dir_attr = f' class="mw-cite-dir-{ref.dir}"' if ref.dir in ("ltr", "rtl") else ""
        body = self._text(ref)
        if children:
            body += ('<ol class="mw-extended-references">'
                     + "".join(self.item(c, []) + "\n" for c in children) + "</ol>")
        return (f'<li id="{attr(a.note_id(note_key(ref)))}"{dir_attr}>{self._backlinks(ref)} '
                f"{body}</li>")

    def format(self, refs: dict[Any, Ref], responsive: bool) -> str:
        if not refs:
            return ""
        ordered = sorted(refs.values(), key=lambda r: (r.number or 0, r.extends_index or 0))
        children: dict[str, list[Ref]] = {}
        top: list[Ref] = []
        for ref in ordered:
            if ref.extends is not None and ref.extends in refs:
                children.setdefault(ref.extends, []).append(ref)
            else:
                top.append(ref)
        items = "".join(self.item(r, children.get(r.name or "", []) if r.name else []) + "\n"
                        for r in top)
        out = f'<ol class="references">\n{items}</ol>'
        if responsive:
            cls = "mw-references-wrap" + (" mw-references-columns" if len(refs) > 10 else "")
            out = f'<div class="{cls}">{out}</div>'
        return out
