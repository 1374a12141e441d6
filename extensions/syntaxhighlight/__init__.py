"""SyntaxHighlight: ``<syntaxhighlight>`` (and ``<source>``) coloured by Pygments.

Owns the tag hook with MediaWiki's attributes (``lang``, ``line``, ``start``, ``highlight``,
``inline``, ``class``, ``style``), its HTML shape (``div.mw-highlight`` holding
``<pre>``; ``code.mw-highlight`` when inline), the fallback to plain text for an unknown
language or a text over ``MAX_BYTES`` (100 kB; the page joins MediaWiki's tracking category),
and the Pygments style sheet served at ``/extensions/syntaxhighlight/pygments.css``.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from extensions.common import first_use

__version__ = "2.0"

STATIC = Path(__file__).resolve().parent / "static"
MAX_BYTES = 100 * 1024
MAX_LINES_HIGHLIGHTED = 1000
#: syntaxhighlight-error-category, by content language
ERROR_CATEGORY = {"en": "Pages with syntax highlighting errors",
                  "fr": "Pages avec des erreurs de coloration syntaxique"}
_ALIASES = {"html5": "html", "xhtml": "html", "sh": "bash", "shell": "bash", "js": "javascript",
            "wikitext": "text", "mediawiki": "text", "text": "text", "plain": "text"}


def _highlight_lines(spec: str, total: int) -> list[int]:
    """``highlight="1,4-6"`` -> [1, 4, 5, 6], bounded to the text's lines."""
    lines: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            continue
        a = int(m.group(1))
        b = int(m.group(2) or a)
        for n in range(max(a, 1), min(b, total, a + MAX_LINES_HIGHLIGHTED - 1) + 1):
            lines.add(n)
        if len(lines) >= MAX_LINES_HIGHLIGHTED:
            break
    return sorted(lines)


def _lexer(lang: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    name = _ALIASES.get(lang.lower(), lang.lower())
    if not name or name == "text":
        return None
    try:
        return get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_hook(content: str | None, attrs: dict, ctx: Any, frame: Any) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    code = (content or "").strip("\n")
    lang = (attrs.get("lang") or "").strip()
    inline = "inline" in attrs or attrs.get("enclose") == "none"
    lexer = _lexer(lang) if len(code.encode("utf-8")) <= MAX_BYTES else None
    if lexer is None and lang.lower() not in ("", "text", "plain", "wikitext", "mediawiki"):
        name = ERROR_CATEGORY.get(ctx.site.language, ERROR_CATEGORY["en"])
        ctx.output.add_category(name.replace(" ", "_"),
                                ctx.output.properties.get("defaultsort", "") or "")
    classes = ["mw-highlight", f"mw-highlight-lang-{re.sub(r'[^a-z0-9_+-]', '', lang.lower())}"
               if lang else "mw-highlight-lang-text", "mw-content-ltr"]
    if "line" in attrs and not inline:
        classes.append("mw-highlight-lines")
    if attrs.get("class"):
        classes.append(html.escape(attrs["class"]))
    style = attrs.get("style")
    from wikiengine.parser.sanitizer import check_css
    style_attr = f' style="{html.escape(check_css(style))}"' if style else ""
    if inline:
        body = (highlight(code.replace("\n", " "), lexer, HtmlFormatter(nowrap=True))
                if lexer else html.escape(code.replace("\n", " ")))
        return (f'<code class="{" ".join(classes)}" dir="ltr"{style_attr}>'
                f"{body.rstrip(chr(10))}</code>")
    start = 1
    try:
        start = max(int(attrs.get("start", "1")), -10 ** 9)
    except ValueError:
        start = 1
    options: dict[str, Any] = {"nowrap": False, "cssclass": "", "wrapcode": False}
    if "line" in attrs:
        options.update(linenos="inline", linenostart=start)
    if attrs.get("highlight"):
        options["hl_lines"] = _highlight_lines(attrs["highlight"], code.count("\n") + 1)
    if lexer is None:
        from pygments.lexers.special import TextLexer
        lexer = TextLexer(stripnl=False, ensurenl=False)
    body = highlight(code, lexer, HtmlFormatter(**options))
    body = re.sub(r"^<div[^>]*>", "", body.strip())
    body = re.sub(r"</div>$", "", body)
    if first_use(ctx, "syntaxhighlight"):
        ctx.ext_state.setdefault("head_assets", []).append(
            '<link rel="stylesheet" href="/extensions/syntaxhighlight/pygments.css">')
    return f'<div class="{" ".join(classes)}" dir="ltr"{style_attr}>{body}</div>'


def stylesheet() -> str:
    """The CSS in static/pygments.css (regenerate it with this function after a Pygments
    upgrade)."""
    from pygments.formatters import HtmlFormatter
    return HtmlFormatter().get_style_defs(".mw-highlight")


def add_assets(text: str, ctx: Any) -> str:
    """Put the style sheets the page's highlights need in front of its HTML, once."""
    assets = ctx.ext_state.pop("head_assets", None)
    return "".join(assets) + text if assets else text


def register(registry: Any, config: Any) -> None:
    registry.describe("SyntaxHighlight", __version__,
                      description="Provides syntax highlighting using Pygments",
                      url="https://www.mediawiki.org/wiki/Extension:SyntaxHighlight",
                      license="GPL-2.0-or-later", author="Brion Vibber, Tim Starling, Ori Livneh")
    registry.add_tag("syntaxhighlight", highlight_hook)
    registry.add_tag("source", highlight_hook)
    registry.add_after_render(add_assets)
    registry.add_static("syntaxhighlight", STATIC)
