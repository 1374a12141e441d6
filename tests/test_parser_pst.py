"""Tests of the pre-save transform and preload transform (wikiengine.parser.pst)."""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikiengine.namespaces import Namespaces
from wikiengine.parser import DictPageSource, ParserOptions, SiteConfig, make_context
from wikiengine.parser.pst import pre_save_transform, preload_transform

DATA = Path(__file__).parent / "data" / "preprocess"
PAGES = json.loads((DATA / "pages.json").read_text(encoding="utf-8"))
NOW = dt.datetime(2024, 3, 5, 14, 7, 9, tzinfo=dt.timezone.utc)


def _cases(name: str) -> list[dict]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _ctx(case: dict, language: str):
    meta = "Projet" if language == "fr" else "Project"
    site = SiteConfig(language=language, namespaces=Namespaces(language=language, meta=meta),
                      now=NOW, timezone=case.get("timezone", "UTC"))
    opts = ParserOptions(user_name=case.get("user", "127.0.0.1"),
                         user_nickname=case.get("nickname", ""),
                         user_fancy_sig=bool(case.get("fancy")), is_pst=True)
    source = DictPageSource(PAGES, namespaces=site.namespaces)
    return make_context(case.get("title", "Parser test"), source, opts, site)


@pytest.mark.parametrize("case", _cases("pst_cases.jsonl"), ids=lambda c: c["name"])
def test_pst_en(case: dict) -> None:
    assert pre_save_transform(case["text"], _ctx(case, "en")) == case["expected"]


@pytest.mark.parametrize("case", _cases("pst_cases_fr.jsonl"), ids=lambda c: c["name"])
def test_pst_fr(case: dict) -> None:
    assert pre_save_transform(case["text"], _ctx(case, "fr")) == case["expected"]


def test_signature_sets_flag() -> None:
    ctx = _ctx({}, "en")
    pre_save_transform("~~~~", ctx)
    assert "user-signature" in ctx.output.flags


def test_pst_is_idempotent_on_its_output() -> None:
    ctx = _ctx({"user": "Jean"}, "en")
    once = pre_save_transform("a ~~~~ [[Foo (bar)|]] {{subst:Foo}}", ctx)
    assert pre_save_transform(once, _ctx({"user": "Jean"}, "en")) == once


def test_preload_keeps_includeonly_content_and_templates() -> None:
    ctx = _ctx({}, "en")
    text = "<noinclude>doc</noinclude><includeonly>{{Foo}} {{{1}}}</includeonly><!-- c -->"
    assert preload_transform(text, ctx) == "{{Foo}} {{{1}}}<!-- c -->"


FRAGMENTS = ["~~~", "~~~~", "~", "[[", "]]", "|", "(", ")", "Foo", ", ", "{{", "}}", "subst:",
             "<nowiki>", "</nowiki>", "<!--", "-->", "\n", " ", "\r\n", "Help:", "（", "）"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_fuzz_pst_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    start = time.perf_counter()
    out = pre_save_transform(text, _ctx({"user": "Jean"}, "fr"))
    assert time.perf_counter() - start < 5  # the time bound of one generated input
    assert out == out.rstrip(" \t\n\r\0\x0b")
    assert "\r" not in out


@pytest.mark.parametrize("text", ["[[" + "a (" * 20000 + "|]]", "[[" + "a, " * 20000 + "|]]",
                                  "[[a (b)|]] " * 20000, "[[|" + "a" * 100000 + "]]",
                                  "~~~~ " * 20000])
def test_pathological_pst_is_fast(text: str) -> None:
    start = time.perf_counter()
    pre_save_transform(text, _ctx({"title": "X (y)"}, "en"))
    assert time.perf_counter() - start < 5
