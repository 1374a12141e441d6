"""Maps: ``{{#display_map:}}`` and ``{{#coordinates:}}`` as the Maps extension writes them,
drawn with Leaflet (vendored under static/, BSD-2-Clause) from a configurable tile server.

Owns the two parser functions, the map markup (``div.maps-leaflet`` with its data in
``data-mw-maps-mapdata``, read by static/maps.js), the coordinates recorded in the page's
properties (``maps-coordinates``, stored in page_props, read by Special:Map in ``special``)
and the errors shown for invalid coordinates.
"""
from __future__ import annotations

import html
import json
import re
from typing import Any

from extensions.common import first_use, recursive_tag_parse

from .coords import InvalidCoordinates, format_dms, parse_coordinates

__version__ = "10.0-wikiengine"

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "&copy; OpenStreetMap contributors"
MAX_MARKERS = 500
PROPERTY = "maps-coordinates"
_SIZE = re.compile(r"^\d{1,5}(?:\.\d+)?(?:px|%|em|vh|vw)?$")
_MESSAGES = {
    "en": {"invalid": "Invalid coordinates: $1", "too_many": "Too many markers (at most $1)."},
    "fr": {"invalid": "Coordonnées invalides : $1", "too_many": "Trop de marqueurs (au plus $1)."},
}


def _lang(ctx: Any) -> str:
    return "fr" if ctx.site.language == "fr" else "en"


def _error(ctx: Any, key: str, param: str) -> str:
    text = _MESSAGES[_lang(ctx)][key].replace("$1", param)
    return f'<strong class="error">{html.escape(text)}</strong>'


def _text(arg: Any) -> str:
    return arg.strip() if isinstance(arg, str) else arg.text()


def _record(ctx: Any, lat: float, lon: float, title: str = "") -> None:
    points = ctx.ext_state.setdefault("maps_points", [])
    if len(points) < MAX_MARKERS:
        points.append([round(lat, 6), round(lon, 6), title])
        ctx.output.properties[PROPERTY] = json.dumps(points, ensure_ascii=False)


def _size(value: str, default: str) -> str:
    value = value.strip().replace(" ", "")
    if not value:
        return default
    if value.isdigit():
        return value + "px"
    return value if _SIZE.match(value) else default


def _assets(ctx: Any) -> str:
    if not first_use(ctx, "maps"):
        return ""
    return ('<link rel="stylesheet" href="/extensions/maps/leaflet.css">'
            '<script src="/extensions/maps/leaflet.js" defer></script>'
            '<script src="/extensions/maps/maps.js" defer></script>')


def map_html(ctx: Any, markers: list[dict], options: dict, config: dict) -> str:
    serial = ctx.ext_state["maps_serial"] = ctx.ext_state.get("maps_serial", 0) + 1
    data = {
        "markers": markers,
        "zoom": options.get("zoom"),
        "center": options.get("center"),
        "tiles": config.get("MAPS_TILE_URL", DEFAULT_TILES),
        "attribution": config.get("MAPS_TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION),
    }
    style = (f"width: {_size(options.get('width', ''), 'auto')}; "
             f"height: {_size(options.get('height', ''), '350px')};")
    fallback = "".join(
        f'<li><a class="external" href="https://www.openstreetmap.org/?mlat={m["lat"]}'
        f'&amp;mlon={m["lon"]}#map=16/{m["lat"]}/{m["lon"]}">'
        f'{html.escape(m["title"] or format_dms(m["lat"], m["lon"], _lang(ctx)))}</a></li>'
        for m in markers)
    return (f'{_assets(ctx)}<div id="map_leaflet_{serial}" class="maps-map maps-leaflet" '
            f'style="{html.escape(style)}" data-mw-maps-mapdata="'
            f'{html.escape(json.dumps(data, ensure_ascii=False))}">'
            f'<ul class="maps-fallback">{fallback}</ul></div>')


def make_functions(config: dict) -> tuple[Any, Any]:
    def display_map(ctx: Any, frame: Any, args: list) -> Any:
        texts = [_text(a) for a in args]
        locations = texts[0] if texts else ""
        options: dict[str, str] = {}
        for t in texts[1:]:
            key, eq, value = t.partition("=")
            if eq:
                options[key.strip().lower()] = value.strip()
            elif not locations:
                locations = t
        if "coordinates" in options and not locations:
            locations = options["coordinates"]
        markers = []
        items = [x for x in locations.split(";") if x.strip()]
        if len(items) > MAX_MARKERS:
            return _error(ctx, "too_many", str(MAX_MARKERS))
        for item in items:
            where, _, rest = item.partition("~")
            title, _, text = rest.partition("~")
            text = text.split("~")[0]
            try:
                lat, lon = parse_coordinates(where)
            except InvalidCoordinates:
                return _error(ctx, "invalid", where.strip())
            _record(ctx, lat, lon, title.strip())
            popup = ctx.strip.unstrip_both(recursive_tag_parse(ctx, text.strip(), frame)) \
                if text.strip() else ""
            markers.append({"lat": lat, "lon": lon, "title": title.strip(), "text": popup})
        for key in ("zoom",):
            if key in options:
                try:
                    options[key] = str(max(0, min(19, int(options[key]))))
                except ValueError:
                    options.pop(key)
        center = None
        if options.get("center"):
            try:
                center = list(parse_coordinates(options["center"]))
            except InvalidCoordinates:
                return _error(ctx, "invalid", options["center"])
        opts: dict[str, Any] = {"width": options.get("width", ""),
                                "height": options.get("height", ""),
                                "zoom": int(options["zoom"]) if "zoom" in options else None,
                                "center": center}
        return {"text": map_html(ctx, markers, opts, config), "isHTML": True}

    def coordinates(ctx: Any, frame: Any, args: list) -> Any:
        texts = [_text(a) for a in args if _text(a)]
        where = ", ".join(texts[:2]) if len(texts) >= 2 and "," not in texts[0] else (
            texts[0] if texts else "")
        try:
            lat, lon = parse_coordinates(where)
        except InvalidCoordinates:
            return _error(ctx, "invalid", where)
        _record(ctx, lat, lon)
        return html.escape(format_dms(lat, lon, _lang(ctx)))

    return display_map, coordinates


def register(registry: Any, config: Any) -> None:
    from pathlib import Path

    registry.describe("Maps", __version__,
                      description="Interactive maps (Leaflet) and coordinates of places",
                      url="https://www.mediawiki.org/wiki/Extension:Maps",
                      license="GPL-2.0-or-later (Leaflet: BSD-2-Clause)",
                      author="Jeroen De Dauw; wikiengine port")
    display_map, coordinates = make_functions(dict(config or {}))
    for name in ("#display_map", "#display_point", "#display_points", "#afficher_carte"):
        registry.add_function(name, display_map)
    registry.add_function("#coordinates", coordinates)
    registry.add_static("maps", Path(__file__).resolve().parent / "static")
    from .special import map_page
    registry.add_special_page("Map", map_page, label="Map of places",
                              aliases={"fr": ["Carte"], "en": ["Map"]}, group="pages")
