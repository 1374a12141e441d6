"""InputBox: create/comment/search forms, preload and labels, bad types, escaping."""
from __future__ import annotations

import pytest

from wikiengine import registry
from wikiengine.parser import DictPageSource, parse

HOOKS = registry.build(["InputBox"]).parser_hooks()


def norm(html: str) -> str:
    """The HTML with void-element slashes and non-breaking space spellings unified."""
    return html.replace(" />", ">").replace("&#160;", "\xa0").replace("&nbsp;", "\xa0")


def render(text: str) -> str:
    return norm(parse(text, "Test", DictPageSource({}), hooks=HOOKS.copy()).html)


def test_create_box_with_preload() -> None:
    html = render("<inputbox>\ntype=create\npreload=Modèle:Lieu\nbuttonlabel=Créer la fiche\n"
                  "placeholder=Nom du lieu\nwidth=30\n</inputbox>")
    assert '<form name="createbox" class="mw-inputbox-form createbox" action="/w/index.php" ' \
           'method="get">' in html
    assert '<input type="hidden" name="action" value="edit">' in html
    assert '<input type="hidden" name="preload" value="Modèle:Lieu">' in html
    assert 'name="title" type="text" value="" placeholder="Nom du lieu" size="30"' in html
    assert 'value="Créer la fiche"' in html


def test_comment_and_search_boxes() -> None:
    assert '<input type="hidden" name="section" value="new">' in render(
        "<inputbox>\ntype=comment\n</inputbox>")
    html = render("<inputbox>\ntype=fulltext\nbreak=no\n</inputbox>")
    assert 'name="search"' in html and 'name="fulltext" value="1"' in html and "<br" not in html


def test_commenttitle_asks_for_the_section_title() -> None:
    html = render("<inputbox>\ntype=commenttitle\npage=Discussion:Jardin\n</inputbox>")
    assert '<input type="hidden" name="title" value="Discussion:Jardin">' in html
    assert 'name="preloadtitle" type="text"' in html
    assert '<input type="hidden" name="section" value="new">' in html


def test_bad_type_and_escaping() -> None:
    assert "Input box: type not defined." in render("<inputbox>\ntype=boom\n</inputbox>")
    html = render('<inputbox>\ntype=create\ndefault="><script>x</script>\nwidth=abc\n</inputbox>')
    assert "<script>" not in html and 'size="50"' in html


def test_prefix_goes_through_special_inputbox() -> None:
    html = render("<inputbox>\ntype=create\nprefix=Témoignage/\npreload=Modèle:Témoignage\n"
                  "</inputbox>")
    assert 'action="/wiki/Special:InputBox"' in html
    assert '<input type="hidden" name="prefix" value="Témoignage/">' in html


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["EXTENSIONS"] = ["InputBox"]
    return app_config


def test_special_inputbox_redirects_to_the_edit_form(app, client) -> None:
    resp = client.get("/wiki/Special:InputBox", query_string={
        "prefix": "Témoignage/", "title": "Marie", "preload": "Modèle:Témoignage",
        "junk": "x"}, follow_redirects=False)
    if resp.status_code in (301, 302) and "InputBox" in resp.headers["Location"] and \
            "action=edit" not in resp.headers["Location"]:
        resp = client.get(resp.headers["Location"], follow_redirects=False)
    assert resp.status_code == 303
    location = resp.headers["Location"]
    assert "action=edit" in location and "T%C3%A9moignage%2FMarie" in location
    assert "preload=Mod%C3%A8le%3AT%C3%A9moignage" in location and "junk" not in location
    bad = client.get("/wiki/Special:InputBox", query_string={"title": ""},
                     follow_redirects=True)
    assert bad.status_code == 400
