"""Maps: #display_map markers/zoom/size, #coordinates formats, invalid coordinates,
coordinates recorded in page properties, Special:Map and the vendored Leaflet."""
from __future__ import annotations

import json

import pytest

from extensions.maps.coords import InvalidCoordinates, format_dms, parse_coordinates
from wikiengine import registry
from wikiengine.parser import DictPageSource, parse

HOOKS = registry.build(["Maps"]).parser_hooks()


def render(text: str):
    return parse(text, "Test", DictPageSource({}), hooks=HOOKS.copy())


@pytest.mark.parametrize("text,want", [
    ("48.39, -4.49", (48.39, -4.49)),
    ("48.39 -4.49", (48.39, -4.49)),
    ("48° 23′ 24″ N, 4° 29′ 24″ W", (48.39, -4.49)),
    ("48°23'24\"N 4°29'24\"O", (48.39, -4.49)),
    ("33°S, 151°E", (-33.0, 151.0)),
])
def test_parse_coordinates(text: str, want: tuple[float, float]) -> None:
    lat, lon = parse_coordinates(text)
    assert (round(lat, 4), round(lon, 4)) == want


@pytest.mark.parametrize("text", ["91, 0", "0, 181", "abc", "", "48° 61′ N, 4° W", "1,2,3",
                                  "9" * 500])
def test_invalid_coordinates(text: str) -> None:
    with pytest.raises(InvalidCoordinates):
        parse_coordinates(text)


def test_format_dms() -> None:
    assert format_dms(48.39, -4.49) == "48° 23′ 24″ N, 4° 29′ 24″ W"
    assert format_dms(48.39, -4.49, "fr") == "48° 23′ 24″ N, 4° 29′ 24″ O"


def test_display_map_markers_and_properties() -> None:
    out = render("{{#display_map: 48.39, -4.49~Jardin~Un ''beau'' jardin; 48.38,-4.48 "
                 "| zoom=14 | height=300 | width=50% }}")
    html = out.html
    assert 'class="maps-map maps-leaflet" style="width: 50%; height: 300px;"' in html
    assert html.count('src="/extensions/maps/leaflet.js"') == 1
    start = html.index('data-mw-maps-mapdata="') + len('data-mw-maps-mapdata="')
    import html as h
    data = json.loads(h.unescape(html[start:html.index('"', start)]))
    assert data["zoom"] == 14 and data["tiles"].startswith("https://tile.openstreetmap.org/")
    assert data["markers"][0]["title"] == "Jardin"
    assert data["markers"][0]["text"] == "Un <i>beau</i> jardin"
    assert json.loads(out.properties["maps-coordinates"]) == [[48.39, -4.49, "Jardin"],
                                                               [48.38, -4.48, ""]]


def test_invalid_input_is_an_error_not_an_exception() -> None:
    html = render("{{#display_map: 95, 3 }} {{#coordinates: nowhere }} "
                  "{{#display_map: 48,-4 | center=abc}} {{#display_map: 48,-4 | height=1;x}}").html
    assert '<strong class="error">Invalid coordinates: 95, 3</strong>' in html
    assert '<strong class="error">Invalid coordinates: nowhere</strong>' in html
    assert '<strong class="error">Invalid coordinates: abc</strong>' in html
    assert "height: 350px" in html
    many = ";".join("1,1" for _ in range(600))
    assert "Too many markers" in render("{{#display_map:" + many + "}}").html


def test_coordinates_shows_dms_and_records() -> None:
    out = render("{{#coordinates: 48.39 | -4.49 }}")
    assert "48° 23′ 24″ N, 4° 29′ 24″ W" in out.html
    assert "maps-coordinates" in out.properties


def test_tile_server_is_configurable() -> None:
    hooks = registry.build(["Maps"], {"MAPS_TILE_URL": "https://tiles.example/{z}/{x}/{y}.png"}
                           ).parser_hooks()
    html = parse("{{#display_map: 1,1}}", "T", DictPageSource({}), hooks=hooks).html
    assert "tiles.example" in html


@pytest.fixture
def app_config(app_config: dict) -> dict:
    app_config["EXTENSIONS"] = ["Maps"]
    return app_config


def test_special_map_lists_pages_with_coordinates(app, client) -> None:
    from wikiengine.db import session_scope
    from wikiengine.models import Page, PageProp

    with session_scope(app) as session:
        page = session.query(Page).first()
        session.add(PageProp(page_id=page.page_id, name="maps-coordinates",
                             value=json.dumps([[48.39, -4.49, "Jardin"]])))
    resp = client.get("/wiki/Special:Map", follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "maps-leaflet" in body and "48.39" in body
    assert client.get("/extensions/maps/leaflet.js").status_code == 200
    empty = client.get("/wiki/Special:Map?category=Nulle_part", follow_redirects=True)
    assert "48.39" not in empty.get_data(as_text=True)


@pytest.mark.browser
def test_special_map_draws_markers_in_a_browser(app, live_server, browser) -> None:
    """maps.js with the vendored Leaflet turns the map data into a map with its markers."""
    from wikiengine.db import session_scope
    from wikiengine.models import Page, PageProp

    app.config["MAPS_TILE_URL"] = "/no-tiles/{z}/{x}/{y}.png"  # loopback only
    with session_scope(app) as session:
        page = session.query(Page).first()
        session.add(PageProp(page_id=page.page_id, name="maps-coordinates",
                             value=json.dumps([[48.39, -4.49, "Jardin"], [48.38, -4.48, ""]])))
    tab = browser.new_page()
    tab.goto(live_server + "/wiki/Special:Map")
    tab.wait_for_selector(".leaflet-marker-icon", timeout=15000)
    assert tab.locator(".leaflet-marker-icon").count() == 2
    assert tab.locator(".maps-leaflet.leaflet-container").count() == 1
    assert tab.locator(".maps-fallback").count() == 0  # replaced by the map
