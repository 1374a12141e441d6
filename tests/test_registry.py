"""The extension registry: discovery by entry point, enabling by name, containment of
extensions that raise, events, and Special:Version."""
from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings, strategies as st

from wikiengine import registry
from wikiengine.parser import DictPageSource, parse
from wikiengine.registry import Registry


def _render(text: str, hooks) -> str:
    return parse(text, "Test", DictPageSource({}), hooks=hooks).html


def test_entry_points_name_every_extension() -> None:
    names = set(registry.available())
    assert {"parserfunctions", "cite", "poem", "syntaxhighlight", "gallery", "inputbox",
            "maps", "categorytree"} <= names


def test_build_loads_only_what_is_named() -> None:
    reg = registry.build(["ParserFunctions"])
    assert "#if" in reg.functions and "ref" not in reg.tags
    assert reg.extensions["ParserFunctions"].version
    reg = registry.build(["Cite"])
    assert {"ref", "references"} <= set(reg.tags) and "#if" not in reg.functions


def test_unknown_extension_is_a_clear_error() -> None:
    with pytest.raises(registry.ExtensionNotFound, match="NoSuchThing"):
        registry.build(["NoSuchThing"])


def test_tag_that_raises_is_contained(caplog: pytest.LogCaptureFixture) -> None:
    reg = Registry()
    reg.describe("Broken", "0.1")

    def boom(content, attrs, ctx, frame):
        raise ValueError("bad")

    reg.add_tag("boom", boom)
    with caplog.at_level(logging.ERROR, logger="wikiengine.registry"):
        html = _render("before <boom>x</boom> after", reg.parser_hooks())
    assert "before" in html and "after" in html
    assert '<strong class="error">Internal error in the &lt;boom&gt; tag of extension Broken: ' \
           'ValueError</strong>' in html
    assert any("Broken" in r.getMessage() for r in caplog.records)


def test_function_and_after_render_that_raise_are_contained() -> None:
    reg = Registry()
    reg.describe("Broken", "0.1")
    reg.add_function("#boom", lambda ctx, frame, args: 1 / 0)
    reg.add_after_render(lambda text, ctx: text[10 ** 9])
    reg.add_variable("BOOM", lambda ctx: {}["x"])
    html = _render("a {{#boom:x}} b {{BOOM}}", reg.parser_hooks())
    assert "Internal error in variable BOOM of extension Broken: KeyError" in html
    assert "Internal error in parser function #boom of extension Broken: ZeroDivisionError" in html
    assert "Internal error in extension Broken: IndexError" in html
    assert html.startswith("<p>a ")


def test_variables_and_behaviour_switches() -> None:
    reg = Registry()
    reg.add_variable("BREST", lambda ctx: "Brest")
    reg.add_behaviour_switch("NOMAP")
    out = parse("{{BREST}} __NOMAP__", "Test", DictPageSource({}), hooks=reg.parser_hooks())
    assert "Brest" in out.html and "NOMAP" not in out.html
    assert "nomap" in out.properties


def test_events_are_fired_and_contained() -> None:
    reg = Registry()
    seen = []
    reg.on("page_saved", lambda **kw: seen.append(kw["title"]))
    reg.on("page_saved", lambda **kw: 1 / 0)
    reg.fire("page_saved", title="Accueil")
    assert seen == ["Accueil"]
    with pytest.raises(ValueError):
        reg.on("page_exploded", lambda **kw: None)


def test_hooks_for_extensions_is_what_the_parser_test_runner_calls() -> None:
    hooks = registry.hooks_for_extensions(["ParserFunctions", "Cite"])
    assert "#switch" in hooks.functions and "ref" in hooks.tags and hooks.after_render
    html = _render("{{#if:x|yes}}<ref>a</ref>", hooks)
    assert "yes" in html and 'class="references"' in html


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["EXTENSIONS"] = ["ParserFunctions", "Cite", "SyntaxHighlight", "Maps"]
    return app_config


def test_app_loads_enabled_extensions_and_shows_special_version(app, client) -> None:
    reg = registry.get_registry(app)
    key = registry.cache_key(app)
    assert len(key) == 12 and key != registry.cache_key()  # no app: no extension
    assert set(reg.extensions) == {"ParserFunctions", "Cite", "SyntaxHighlight", "Maps"}
    with app.app_context():
        hooks = registry.parser_hooks()
    assert "#expr" in hooks.functions
    resp = client.get("/wiki/Special:Version", follow_redirects=True)
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert 'id="mw-version-ext-ParserFunctions"' in body
    assert "1.6.1" in body and "&lt;ref&gt;" in body and "#expr" in body
    css = client.get("/extensions/syntaxhighlight/pygments.css")
    assert css.status_code == 200 and b".mw-highlight" in css.data
    assert client.get("/extensions/nothing/x.css").status_code == 404
    assert client.get("/extensions/syntaxhighlight/../__init__.py").status_code == 404


def test_special_version_in_french(app, client) -> None:
    body = client.get("/wiki/Special:Version?uselang=fr", follow_redirects=True).get_data(
        as_text=True)
    assert "Extensions installées" in body and "Logiciels installés" in body


_ATOMS = ["{{#if:", "{{#ifeq:", "{{#switch:", "{{#expr:", "{{#time:", "{{#titleparts:",
          "{{#explode:", "{{#sub:", "{{#rel2abs:", "{{#ifexist:", "{{#display_map:",
          "{{#coordinates:", "{{#tag:ref|", "{{#tag:references|", "}}", "|", "=", "#default",
          "<ref>", "</ref>", "<ref name=a>", '<ref name="b"/>', "<ref group=g>",
          "<ref follow=a>", "<ref extends=a>", "<references/>", "<references>",
          "</references>", "<poem>", "</poem>", "<gallery mode=packed>", "</gallery>",
          "<syntaxhighlight lang=python line highlight=1-3>", "</syntaxhighlight>",
          "<inputbox>", "</inputbox>", "type=create", "<categorytree>", "</categorytree>", "File:X.jpg", "\n", " ", "1", "-", "(",
          ")", "^", "e", "mod", "48.39,-4.49", "~", ";", "x", "[[", "]]", "''", "&lt;", "%20",
          "Y-m-d", "@", "0", "..", "/", ":", "{{{1}}}", "<!--", "-->"]
_ALL = registry.build(["ParserFunctions", "Cite", "Poem", "SyntaxHighlight", "Gallery",
                       "InputBox", "Maps", "CategoryTree"], {"CITE_BOOK_REFERENCING": True})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ATOMS), max_size=40).map("".join))
def test_extensions_never_fail_on_any_markup(text: str) -> None:
    """Whatever the wikitext, every extension answers with HTML (errors as MediaWiki's
    messages), never with an exception or a contained internal error."""
    html = _render(text, _ALL.parser_hooks())
    assert "Internal error" not in html


def test_saved_page_uses_the_extensions_end_to_end(app, client) -> None:
    """A page saved through the store is shown with its extensions' output, and Maps'
    coordinates reach page_props (hence Special:Map)."""
    from wikiengine.db import session_scope
    from wikiengine.store import revisions, users
    from wikiengine.title import Title

    with session_scope(app) as session:
        users.create_user(session, "Animatrice", "un mot de passe solide")
    with app.app_context(), session_scope(app) as session:
        user = users.get_user(session, "Animatrice")
        revisions.save_page(session, Title.new("Jardin du Tour"),
                            "{{#if: oui | Jardin ouvert }}<ref>Mairie de Brest</ref>\n"
                            "{{#display_map: 48.39, -4.49~Jardin du Tour }}", user)
    body = client.get("/wiki/Jardin_du_Tour", follow_redirects=True).get_data(as_text=True)
    assert "Jardin ouvert" in body and "Mairie de Brest" in body
    assert 'class="reference"' in body and "maps-leaflet" in body
    page = client.get("/wiki/Special:Map", follow_redirects=True).get_data(as_text=True)
    assert "Jardin du Tour" in page
