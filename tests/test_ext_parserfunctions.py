"""ParserFunctions: every function, its error messages and MediaWiki's edge cases
(cases in tests/data/extensions/*.tsv), plus bounded time on hostile input."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

import pytest

from extensions.parserfunctions.expr import ExprError, evaluate, php_number
from wikiengine import registry
from wikiengine.parser import DictPageSource, FileInfo, SiteConfig, make_context, parse
from wikiengine.parser.preprocess import expand

DATA = Path(__file__).resolve().parent / "data" / "extensions"
PAGES = json.loads((DATA / "pages.json").read_text(encoding="utf-8"))
FILES = [FileInfo(name="Brest.jpg", width=10, height=10, url="/i/Brest.jpg")]
HOOKS = registry.build(["ParserFunctions"]).parser_hooks()


def _site(language: str = "en") -> SiteConfig:
    site = SiteConfig.default()
    return dataclasses.replace(site, now=dt.datetime(1970, 1, 1, 0, 2, 3, tzinfo=dt.timezone.utc),
                               language=language)


def expanded(text: str, language: str = "en") -> str:
    site = _site(language)
    source = DictPageSource(PAGES, FILES, namespaces=site.namespaces)
    ctx = make_context("Test", source, site=site, hooks=HOOKS.copy())
    return ctx.strip.unstrip_both(expand(text, ctx))


def _cases(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        source, _, want = line.partition("\t")
        rows.append((source, want.replace("\\n", "\n")))
    return rows


@pytest.mark.parametrize("expression,want", _cases("expr.tsv"))
def test_expr(expression: str, want: str) -> None:
    assert expanded("{{#expr:" + expression + "}}") == want


@pytest.mark.parametrize("wikitext,want", _cases("functions.tsv"))
def test_functions(wikitext: str, want: str) -> None:
    assert expanded(wikitext) == want


def test_messages_follow_the_content_language() -> None:
    assert expanded("{{#expr: 1/0}}", "fr") == '<strong class="error">Division par zéro.</strong>'
    assert expanded("{{#time: Y | n'importe quoi}}", "fr") == \
        '<strong class="error">Erreur : durée invalide.</strong>'


def test_php_number_printing() -> None:
    assert [php_number(v) for v in (3.0, -0.0, 1e15, 1e-5, 0.0001, float("inf"), 7)] == \
        ["3", "-0", "1.0E+15", "1.0E-5", "0.0001", "INF", "7"]


def test_stack_is_bounded() -> None:
    with pytest.raises(ExprError) as e:
        evaluate("(" * 200 + "1" + ")" * 200)
    assert e.value.message() == "Expression error: Stack exhausted."


def test_ifexist_is_expensive_and_recorded() -> None:
    site = _site()
    ctx = make_context("Test", DictPageSource(PAGES, namespaces=site.namespaces), site=site,
                       hooks=HOOKS.copy())
    text = "".join(f"{{{{#ifexist: Page {i} | y | n}}}}" for i in range(105))
    out = expand(text, ctx)
    assert out.count("n") == 105 and "Page_3" in ctx.output.links
    assert ctx.output.limit_report["limitreport-expensivefunctioncount"][0] == 105
    assert any("expensive" in w for w in ctx.output.warnings)


def test_string_functions_refuse_long_strings() -> None:
    long = "x" * 1000
    assert "String exceeds 1000 character limit" in expanded("{{#len:" + long + "}}") or \
        expanded("{{#len:" + long + "}}") == "1000"
    assert expanded("{{#sub:" + long + "|1}}") == \
        '<strong class="error">Error: String exceeds 1000 character limit.</strong>'


def test_ten_thousand_nested_ifs_are_bounded() -> None:
    text = "{{#if:1|" * 10_000 + "deep" + "}}" * 10_000
    start = time.perf_counter()
    html = parse(text, "Test", DictPageSource({}), hooks=HOOKS.copy()).html
    assert time.perf_counter() - start < 20
    # MediaWiki's preprocessor limits apply: the text, or its limit message, never an exception
    assert ("deep" in html or "Expansion depth limit exceeded" in html
            or "post-expand include size too large" in html)


def test_hostile_expressions_never_raise() -> None:
    for text in ("{{#expr:" + "-" * 5000 + "1}}", "{{#expr:9^9^9^9}}", "{{#expr:(((}}",
                 "{{#expr:1e308*10}}", "{{#expr: 0^-1}}", "{{#time:" + "Y" * 7000 + "}}",
                 "{{#explode:a|" + "|" * 50 + "}}", "{{#replace:" + "a" * 900 + "|a|aaaa}}"):
        expanded(text)
    assert expanded("{{#expr:1e308*10}}") == "INF"
