"""Special:Map (Spécial:Carte): every page whose text placed coordinates
(``{{#coordinates:}}``/``{{#display_map:}}``, kept in page_props as ``maps-coordinates``) on one
Leaflet map, optionally only the pages of a category (``Special:Map/Jardins`` or
``?category=Jardins``).
"""
from __future__ import annotations

import html
import json
from typing import Any

from flask import current_app, render_template_string, request
from flask.wrappers import Response
from flask_babel import gettext as _

from . import DEFAULT_ATTRIBUTION, DEFAULT_TILES, MAX_MARKERS, PROPERTY

LIMIT = 2000

_TEMPLATE = """{% extends "base.html" %}
{% block body %}
<form method="get" action="" class="maps-category-form">
<label for="maps-category">{{ _('Category') }}</label>
<input id="maps-category" name="category" value="{{ category }}">
<button type="submit">{{ _('Show') }}</button></form>
<p>{{ count_text }}</p>
<link rel="stylesheet" href="/extensions/maps/leaflet.css">
<script src="/extensions/maps/leaflet.js" defer></script>
<script src="/extensions/maps/maps.js" defer></script>
<div id="map_leaflet_all" class="maps-map maps-leaflet" style="width: auto; height: 600px;"
 data-mw-maps-mapdata="{{ data }}"><ul class="maps-fallback">
{% for p in places %}<li><a href="{{ p.url }}">{{ p.title }}</a> ({{ p.lat }}, {{ p.lon }})</li>
{% endfor %}</ul></div>
{% endblock %}
"""


def places(session: Any, category: str | None, namespaces: Any) -> list[dict]:
    """Pages with coordinates (in ``category`` when given): title, url, lat, lon."""
    from sqlalchemy import select

    from wikiengine.models import CategoryLink, Page, PageProp
    from wikiengine.title import Title
    from wikiengine.views.common import page_url

    query = (select(Page.namespace, Page.title, PageProp.value)
             .join(PageProp, PageProp.page_id == Page.page_id)
             .where(PageProp.name == PROPERTY))
    if category:
        query = query.join(CategoryLink, CategoryLink.from_id == Page.page_id).where(
            CategoryLink.to == category.replace(" ", "_"))
    out: list[dict] = []
    for ns, dbkey, value in session.execute(query.order_by(Page.title).limit(LIMIT)):
        try:
            points = json.loads(value)[:MAX_MARKERS]
        except (ValueError, TypeError):
            continue
        title = Title.make(ns, dbkey, namespaces)
        for point in points:
            if isinstance(point, list) and len(point) >= 2:
                out.append({"title": title.prefixed_text, "url": page_url(title),
                            "lat": float(point[0]), "lon": float(point[1])})
    return out


def map_page(sub: str | None) -> Response:
    from wikiengine.db import get_session
    from wikiengine.views.common import namespaces
    from wikiengine.views.skin import build_skin

    category = (request.args.get("category") or sub or "").strip()
    found = places(get_session(), category or None, namespaces())
    conf = current_app.config
    data = {"markers": [{"lat": p["lat"], "lon": p["lon"], "title": p["title"],
                         "text": f'<a href="{html.escape(p["url"])}">{html.escape(p["title"])}</a>'}
                        for p in found],
            "zoom": None, "center": None,
            "tiles": conf.get("MAPS_TILE_URL", DEFAULT_TILES),
            "attribution": conf.get("MAPS_TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION)}
    body = render_template_string(
        _TEMPLATE, skin=build_skin(None, "view", None), title=None, action="view",
        heading=_("Map of places"), category=category, places=found,
        count_text=_("%(n)d places with coordinates.", n=len(found)),
        data=json.dumps(data, ensure_ascii=False))
    return Response(body, 200, content_type="text/html; charset=utf-8")
