"""SyntaxHighlight: Pygments colouring, lang/line/start/highlight/inline, unknown languages,
escaping, and the style sheet asset."""
from __future__ import annotations

from extensions.syntaxhighlight import _highlight_lines, stylesheet
from wikiengine import registry
from wikiengine.parser import DictPageSource, parse

HOOKS = registry.build(["SyntaxHighlight"]).parser_hooks()


def norm(html: str) -> str:
    """The HTML with void-element slashes and non-breaking space spellings unified."""
    return html.replace(" />", ">").replace("&#160;", "\xa0").replace("&nbsp;", "\xa0")


def render(text: str) -> str:
    return norm(parse(text, "Test", DictPageSource({}), hooks=HOOKS.copy()).html)


def test_python_block_with_lines_and_highlight() -> None:
    html = render('<syntaxhighlight lang="python" line start="10" highlight="2">\n'
                  'x = 1\ny = "a"\n</syntaxhighlight>')
    assert '<div class="mw-highlight mw-highlight-lang-python mw-content-ltr mw-highlight-lines"' \
           in html
    assert '<span class="linenos">10</span>' in html and '<span class="linenos">11</span>' in html
    assert '<span class="hll">' in html and '<span class="s2">"a"</span>' in html
    assert html.count('/extensions/syntaxhighlight/pygments.css') == 1


def test_inline_and_source_alias() -> None:
    html = render('Voir <syntaxhighlight lang="bash" inline>ls -l</syntaxhighlight> et '
                  '<source lang="js">var a;</source>')
    assert '<code class="mw-highlight mw-highlight-lang-bash mw-content-ltr" dir="ltr">' in html
    assert "mw-highlight-lang-js" in html


def test_unknown_language_and_markup_are_plain_escaped_text() -> None:
    html = render('<syntaxhighlight lang="nope"><script>alert(1)</script>'
                  '</syntaxhighlight>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "mw-highlight-lang-nope" in html


def test_highlight_spec_is_bounded() -> None:
    assert _highlight_lines("1,3-4,x,9-7", 5) == [1, 3, 4]
    assert len(_highlight_lines("1-999999999", 10 ** 9)) == 1000


def test_stylesheet_matches_static_file() -> None:
    from pathlib import Path
    import extensions.syntaxhighlight as sh
    assert (Path(sh.__file__).parent / "static" / "pygments.css").read_text() == stylesheet()


def test_unknown_language_joins_the_tracking_category() -> None:
    out = parse('<syntaxhighlight lang="nope">x</syntaxhighlight>', "Test", DictPageSource({}),
                hooks=HOOKS.copy())
    assert "Pages_with_syntax_highlighting_errors" in out.categories
    out = parse('<syntaxhighlight lang="python">x</syntaxhighlight>', "Test",
                DictPageSource({}), hooks=HOOKS.copy())
    assert not out.categories
