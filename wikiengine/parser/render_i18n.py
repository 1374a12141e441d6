"""The few interface messages and language rules the renderer prints (en, fr).

MediaWiki takes them from its message files (languages/i18n/*.json) and MessagesXx.php:
the red-link tooltip, the [edit] section link, the TOC title, the redirect box, the thumbnail
"Enlarge" tooltip, and each content language's link trail.
"""
from __future__ import annotations

import re

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "red-link-title": "$1 (page does not exist)",
        "editsection": "edit",
        "editsectionhint": "Edit section: $1",
        "toc": "Contents",
        "redirectto": "Redirect to:",
        "thumbnail-more": "Enlarge",
    },
    "fr": {
        "red-link-title": "$1 (page inexistante)",
        "editsection": "modifier",
        "editsectionhint": "Modifier la section\u00a0: $1",
        "toc": "Sommaire",
        "redirectto": "Rediriger vers\u00a0:",
        "thumbnail-more": "Agrandir",
    },
    "ca": {"red-link-title": "$1 (encara no existeix)"},
}

#: MessagesXx.php $linkTrail, as the letters a trail may contain.
_TRAIL_LETTERS = {
    "en": "a-z",
    "fr": "a-zàâçéèêîôûäëïöüùÇÉÂÊÎÔÛÄËÏÖÜÀÈÙ",
    "de": "äöüßa-z",
    "br": "a-zA-ZàâçéèêîôûäëïöüùñÇÉÂÊÎÔÛÄËÏÖÜÀÈÙÑ",
    "ca": "a-zàèéíòóúç·ïü",
    "es": "a-záéíóúñ",
    "it": "a-zàéèíîìóòúù",
}
#: Link trails that are more than a set of letters.
_TRAIL_SPECIAL = {"ca": "^((?:[a-zàèéíòóúç·ïü]|'(?!'))+)(.*)$"}
_TRAIL_CACHE: dict[str, re.Pattern[str]] = {}


def msg(lang: str, key: str, *params: str) -> str:
    """The message ``key`` in ``lang`` (English when missing), with $1… replaced."""
    text = MESSAGES.get(lang, {}).get(key) or MESSAGES["en"][key]
    for i, p in enumerate(params, 1):
        text = text.replace(f"${i}", p)
    return text


def link_trail(lang: str) -> re.Pattern[str]:
    """The link-trail regex of content language ``lang`` (English's for unknown ones)."""
    rx = _TRAIL_CACHE.get(lang)
    if rx is None:
        letters = _TRAIL_LETTERS.get(lang, _TRAIL_LETTERS["en"])
        rx = re.compile(_TRAIL_SPECIAL.get(lang) or "^([" + letters + "]+)(.*)$", re.S)
        _TRAIL_CACHE[lang] = rx
    return rx
