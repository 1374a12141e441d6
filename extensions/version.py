"""Special:Version and the web side of the extension registry.

Owns what ``wikiengine.registry.init_app`` wires into the app: the special pages extensions
added, their static folders (served at ``/extensions/<name>/<file>``) and Special:Version,
which lists the software and the enabled extensions with their versions, as MediaWiki does.
"""
from __future__ import annotations

import platform
from typing import Any

from flask import Blueprint, Flask, abort, send_from_directory
from flask_babel import gettext as _

_TEMPLATE = """{% extends "base.html" %}
{% block body %}
<h2 id="mw-version-software">{{ _('Installed software') }}</h2>
<table class="wikitable" id="sv-software">
<tr><th>{{ _('Product') }}</th><th>{{ _('Version') }}</th></tr>
{% for name, version in software %}<tr><td>{{ name }}</td><td>{{ version }}</td></tr>
{% endfor %}</table>
<h2 id="mw-version-ext">{{ _('Installed extensions') }}</h2>
{% if extensions %}
<table class="wikitable" id="sv-ext">
<tr><th>{{ _('Extension') }}</th><th>{{ _('Version') }}</th><th>{{ _('License') }}</th><th>{{ _('Description') }}</th><th>{{ _('Authors') }}</th></tr>
{% for ext in extensions %}<tr class="mw-version-ext" id="mw-version-ext-{{ ext.name }}">
<td>{% if ext.url %}<a class="external" href="{{ ext.url }}">{{ ext.name }}</a>{% else %}{{ ext.name }}{% endif %}</td>
<td class="mw-version-ext-version">{{ ext.version }}</td><td>{{ ext.license }}</td>
<td>{{ ext.description }}</td><td>{{ ext.author }}</td></tr>
{% endfor %}</table>
{% else %}<p>{{ _('No extension is enabled.') }}</p>{% endif %}
{% if tags %}<h2 id="mw-version-parser-extensiontags">{{ _('Parser extension tags') }}</h2>
<p>{% for t in tags %}<code>&lt;{{ t }}&gt;</code>{{ ', ' if not loop.last }}{% endfor %}</p>{% endif %}
{% if functions %}<h2 id="mw-version-parser-function-hooks">{{ _('Parser function hooks') }}</h2>
<p>{% for f in functions %}<code>{{ f }}</code>{{ ', ' if not loop.last }}{% endfor %}</p>{% endif %}
{% endblock %}
"""


def version_page(_sub: str | None) -> Any:
    from flask import render_template_string
    from flask.wrappers import Response

    import sqlalchemy

    from wikiengine import __version__
    from wikiengine.registry import get_registry
    from wikiengine.views.skin import build_skin

    reg = get_registry()
    software = [("wikiengine", __version__), ("Python", platform.python_version()),
                ("SQLAlchemy", sqlalchemy.__version__)]
    html = render_template_string(
        _TEMPLATE, skin=build_skin(None, "view", None), title=None, action="view",
        heading=_("Version"), software=software,
        extensions=sorted(reg.extensions.values(), key=lambda e: e.name.lower()),
        tags=sorted(reg.tags), functions=sorted(reg.functions))
    return Response(html, 200, content_type="text/html; charset=utf-8")


def init_app(app: Flask, reg: Any) -> None:
    from wikiengine.views import special

    special.register(app, "Version", version_page, label="Version",
                     aliases={"fr": ["Version"], "en": ["Version"]}, group="other")
    for spec in reg.special_pages:
        special.register(app, spec.name, spec.view, label=spec.label, aliases=spec.aliases,
                         group=spec.group)
    if reg.static_folders:
        folders = dict(reg.static_folders)
        bp = Blueprint("extension_assets", __name__)

        @bp.route("/extensions/<name>/<path:filename>")
        def asset(name: str, filename: str) -> Any:
            folder = folders.get(name)
            if folder is None:
                abort(404)
            return send_from_directory(folder, filename, max_age=86400)

        app.register_blueprint(bp)
