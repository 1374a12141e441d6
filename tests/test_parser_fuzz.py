"""Hypothesis fuzzing of the renderer: random wikitext built from markup fragments always
renders, quickly, to balanced HTML with no script, no event handler and no javascript: URL."""
from __future__ import annotations

import re
import time
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikiengine.parser import render_html

FRAGMENTS = [
    "''", "'''", "'''''", "[[", "]]", "[[Foo|", "[[File:Foobar.jpg|thumb|", "[[Category:X|",
    "{{", "}}", "{{{1|", "}}}", "{{Tpl|a=", "|", "||", "!!", "{|", "|}", "|-", "|+", "\n!",
    "\n|", "\n", "\n\n", " ", "\n*", "\n#", "\n;", ":", "\n ", "\n----", "==", "\n=== x ===\n",
    "<b>", "</b>", "<i>", "</div>", "<div style=\"color:red\">", "<table>", "<td>", "</tr>",
    "<span onclick=\"alert(1)\">", "<script>alert(1)</script>", "<a href=\"javascript:x\">",
    "<nowiki>", "</nowiki>", "<pre>", "</pre>", "<ref>", "<!--", "-->", "&amp;", "&#x3C;",
    "&bogus;", "http://example.com/a?b=c.", "[http://x.org y]", "[javascript:alert(1) z]",
    "ISBN 978-0-12-345678-9", "RFC 1234", "__TOC__", "__NOTOC__", "~~~~", "<br/>", "<hr>",
    "<blockquote>", "</blockquote>", "<p>", "</p>", "<li>", "<ul>", "<style>x</style>",
    "<img src=x onerror=alert(1)>", "style=\"background:url(javascript:alert(1))\"",
    "<h2>", "</h2>", "[[:Category:Y]]", "[[fr:Z]]", "[[Media:Foobar.jpg]]", "<gallery>",
    "</gallery>", "x", "word", "é", "\u00a0", "«", "»", "?",
    "|link=", "|link=javascript:alert(1)", "|alt=", "|upright=", "|100x50px", "|frameless",
    "|border", "|center", "{{DISPLAYTITLE:", "{{DEFAULTSORT:", "[[#", "[[/", "[[../",
    "[[wikipedia:", "<span id=\"", "\">", "{{!}}", "&nbsp;", "<nowiki/>", "\t", "\r\n",
    "{{#tag:span|x|onclick=alert(1)}}", "{{#tag:a|x|href=javascript:y}}", "[//example.com x]",
    "<div style=\"x:expression(alert(1))\">", "&#106;avascript:", "{{fullurl:javascript:x}}",
]

#: a URL a browser would run: javascript:/vbscript: after any blanks or control characters
_SCRIPT_URL = re.compile(r"^[\x00-\x20]*(?:j[\x00-\x20]*a[\x00-\x20]*v[\x00-\x20]*a[\x00-\x20]*"
                         r"s[\x00-\x20]*c[\x00-\x20]*r[\x00-\x20]*i[\x00-\x20]*p[\x00-\x20]*t|"
                         r"vbscript)[\x00-\x20]*:", re.I)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "script":
            self.problems.append("script element")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"event handler {name}")
            if name in ("href", "src", "srcset", "action", "formaction", "poster") and value \
                    and _SCRIPT_URL.match(value):
                self.problems.append(f"javascript URL in {name}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


def check_html(html: str) -> list[str]:
    c = _Checker()
    c.feed(html)
    c.close()
    if c.stack:
        c.problems.append(f"unclosed {c.stack}")
    return c.problems


PAGES = {"Template:Tpl": "{{{a|}}}[[{{{1|}}}]]{{Tpl2}}", "Template:Tpl2": "''t''{{Tpl}}"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_random_wikitext_renders_safely(parts: list[str]) -> None:
    text = "".join(parts)
    start = time.perf_counter()
    html = render_html(text, pages=PAGES)
    assert time.perf_counter() - start < 5, "render took too long"
    assert check_html(html) == [], (text, html)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_renders(text: str) -> None:
    html = render_html(text)
    assert check_html(html) == [], (text, html)


def test_pathological_inputs_stay_fast() -> None:
    cases = [
        "<div>" * 10_000, "[[" * 5_000, "{{" * 5_000, "''" * 10_000, "{|\n" * 2_000,
        "*" * 10_000 + "x", "<b><i>" * 3_000 + "x", "[http://x.org " * 3_000,
        # each was quadratic once: text before many tables, text after dropped end tags
        "".join(f"x{i}<table><tr><td>y</td></tr></table>\n" for i in range(16_000)),
        "".join(f"<div>x</div> </i>foo{i} <div>y</div>\n" for i in range(16_000)),
        "<h2>x" * 8_000, "== x ==\n" * 8_000,
        "<blockquote>" * 3_000, "<blockquote><b>x<div>" * 1_000,  # deep p-wrapping
    ]
    for text in cases:
        start = time.perf_counter()
        html = render_html(text)
        elapsed = time.perf_counter() - start
        assert elapsed < 10, (text[:20], elapsed)
        assert check_html(html) == [], text[:20]
