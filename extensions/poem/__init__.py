"""Poem: the ``<poem>`` tag (a port of MediaWiki's Poem extension).

Line breaks are kept (``<br />``), leading spaces become non-breaking spaces, lines starting
with ``:`` are indented, ``compact`` drops the surrounding newlines, and the result sits in
``<div class="poem">`` with the tag's safe attributes.
"""
from __future__ import annotations

import re
from typing import Any

from wikiengine.parser.sanitizer import safe_encode_tag_attributes, validate_tag_attributes

from extensions.common import recursive_tag_parse

__version__ = "1.1.0"

_INDENT = re.compile(r"^(:+)(.+)$", re.M)
_BREAK = re.compile(r"(?<!^----)\n", re.M)
_LEADING_SPACES = re.compile(r"^ +", re.M)


def poem_hook(content: str | None, attrs: dict, ctx: Any, frame: Any) -> str:
    if content is None:
        return ""
    newline = "" if "compact" in attrs else "\n"
    br = ctx.strip.add_general("<br />")

    def indent(m: re.Match[str]) -> str:
        return ('<span class="mw-poem-indented" style="display: inline-block; '
                f'margin-inline-start: {len(m.group(1))}em;">{m.group(2)}</span>')

    text = _INDENT.sub(indent, content)
    text = re.sub(r"\A\n", "", text)
    text = re.sub(r"\n\Z", "", text)
    text = _BREAK.sub(br + "\n", text)
    text = _LEADING_SPACES.sub(lambda m: "&#160;" * len(m.group(0)), text)
    text = recursive_tag_parse(ctx, text, frame)
    text = text.replace("<hr />" + br, "<hr />")
    safe = validate_tag_attributes({k: v for k, v in attrs.items() if k != "compact"}, "div",
                                   tuple(ctx.site.fragment_mode))
    safe["class"] = "poem " + safe["class"] if safe.get("class") else "poem"
    return f"<div{safe_encode_tag_attributes(safe)}>{newline}{text.strip()}{newline}</div>"


def register(registry: Any, config: Any) -> None:
    registry.describe("Poem", __version__, description="Adds <poem> tag for poem formatting",
                      url="https://www.mediawiki.org/wiki/Extension:Poem",
                      license="CC0-1.0", author="Nikola Smolenski, Brion Vibber, Steve Sanbeg")
    registry.add_tag("poem", poem_hook)

