"""Poem: line breaks, indentation, leading spaces, compact, attributes, markup inside."""
from __future__ import annotations

from wikiengine import registry
from wikiengine.parser import DictPageSource, parse

HOOKS = registry.build(["Poem"]).parser_hooks()


def norm(html: str) -> str:
    """The HTML with void-element slashes and non-breaking space spellings unified."""
    return html.replace(" />", ">").replace("&#160;", "\xa0").replace("&nbsp;", "\xa0")


def render(text: str) -> str:
    return norm(parse(text, "Test", DictPageSource({"Accueil": "x"}), hooks=HOOKS.copy()).html)


def test_lines_indents_and_spaces() -> None:
    html = render("<poem>\nLa mer\n  à Brest\n::au loin\n</poem>")
    assert html.startswith('<div class="poem">')
    assert "La mer<br" in html and "\xa0\xa0à Brest<br" in html
    assert ('<span class="mw-poem-indented" style="display: inline-block; '
            'margin-inline-start: 2em;">au loin</span>') in html


def test_wikitext_inside_and_attributes() -> None:
    html = render('<poem class="vers" style="color: red" onclick="x()">\'\'[[Accueil]]\'\'\n</poem>')
    assert '<div class="poem vers" style="color: red">' in html and "onclick" not in html
    assert '<i><a href="/wiki/Accueil" title="Accueil">Accueil</a></i>' in html


def test_compact_and_horizontal_rule() -> None:
    html = render("<poem compact>\nun\n----\ndeux\n</poem>")
    assert '<div class="poem">' in html and "<hr" in html and "deux" in html
    assert "<hr><br" not in html


def test_empty_and_self_closed() -> None:
    assert render("<poem/>") == ""
    assert '<div class="poem">' in render("<poem></poem>")
