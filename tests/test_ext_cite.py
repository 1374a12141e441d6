"""Cite: refs, names, groups, follow, extends, refs inside <references>, Cite's error
messages, the list added when missing, bounded work on loops and very many refs
(cases in tests/data/extensions/cite.json)."""
from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest

from wikiengine import registry
from wikiengine.parser import DictPageSource, ParserOptions, SiteConfig, parse

DATA = Path(__file__).resolve().parent / "data" / "extensions"
CASES = json.loads((DATA / "cite.json").read_text(encoding="utf-8"))
PAGES = json.loads((DATA / "cite_pages.json").read_text(encoding="utf-8"))
HOOKS = registry.build(["Cite"]).parser_hooks()


def render(text: str, site: SiteConfig | None = None, lang: str = "en",
           hooks=None) -> str:
    site = site or SiteConfig.default()
    return parse(text, "Test", DictPageSource(PAGES, namespaces=site.namespaces),
                 ParserOptions(interface_language=lang), site,
                 hooks=(hooks or HOOKS).copy()).html


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_cases(case: dict) -> None:
    html = render(case["wikitext"])
    for piece in case.get("contains", []):
        assert piece in html
    for piece in case.get("absent", []):
        assert piece not in html
    if "order" in case:
        positions = [html.index(p) for p in case["order"]]
        assert positions == sorted(positions)


def test_book_referencing_when_enabled() -> None:
    hooks = registry.build(["Cite"], {"CITE_BOOK_REFERENCING": True}).parser_hooks()
    html = render('<ref name="a">livre</ref><ref extends="a">p. 3</ref><ref extends="a">p. 9</ref>',
                  hooks=hooks)
    assert "&#91;1.1&#93;" in html and "&#91;1.2&#93;" in html
    assert '<ol class="mw-extended-references"><li id="cite_note-2">' in html


def test_french_messages() -> None:
    html = render("<ref/>", lang="fr")
    # the space before the colon becomes a non-breaking space, as in MediaWiki's French
    assert ('<span class="error mw-ext-cite-error" lang="fr" dir="ltr">Erreur de référence&#160;: '
            'La balise ouvrante <code>&lt;ref&gt;</code> est mal formée ou a un mauvais nom.</span>'
            ) in html


def test_html5_fragment_ids() -> None:
    site = dataclasses.replace(SiteConfig.default(), fragment_mode=("html5",))
    html = render('<ref name="jardin des plantes">a</ref>', site)
    assert 'id="cite_ref-jardin_des_plantes_1-0"' in html
    assert 'href="#cite_note-jardin_des_plantes-1"' in html


def test_many_refs_in_bounded_time() -> None:
    text = "".join(f"<ref>{i}</ref>" for i in range(3000)) + "<references/>"
    start = time.perf_counter()
    html = render(text)
    assert time.perf_counter() - start < 30
    assert html.count("<li id=") == 3000 and "&#91;3000&#93;" in html


def test_deeply_nested_tag_refs_are_bounded() -> None:
    text = "{{#tag:ref|" * 60 + "x" + "}}" * 60
    html = render(text)
    assert "<sup" in html or "error" in html


def test_errors_put_the_page_in_the_tracking_category() -> None:
    site = SiteConfig.default()
    out = parse("<ref/>", "Test", DictPageSource({}), site=site, hooks=HOOKS.copy())
    assert "Pages_with_reference_errors" in out.categories
    out = parse("<ref>ok</ref>", "Test", DictPageSource({}), site=site, hooks=HOOKS.copy())
    assert not out.categories
