"""Search in the browser: Special:Search (Spécial:Recherche) and title suggestions.

Owns the search page — "Go" straight to a page whose title matches (exactly, or ignoring case
and accents), otherwise ranked results with highlighted snippets, result count, namespace
filter, paging, "did you mean" and a link to create the page — and the suggestions route used
while typing, shaped like MediaWiki's REST ``/w/rest.php/v1/search/title``. Both are thin: they
read the request, call the facade in ``wikiengine.search`` and render.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, redirect, request
from flask.wrappers import Response
from flask_babel import gettext as _

bp = Blueprint("search", __name__, template_folder="templates", static_folder="static",
               static_url_path="/search-static")

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DEFAULT_LIMIT = 20

#: Facade error codes → the message shown to readers (translated at display time).
ERRORS = {
    "toolong": "The search query is too long: at most %(max)d characters are allowed.",
    "empty": "Type one or more words to search for.",
    "unavailable": "The search index was damaged and is being rebuilt; please search again "
                   "in a moment.",
    "failed": "The search failed; the error has been logged for the administrators.",
}
NOTICE = "The search index is being rebuilt; results may be incomplete for a while."


def _requested_namespaces(ns_table: Any) -> tuple[list[int] | None, list[int]]:
    """Namespaces to search from ``ns0=1&ns14=1`` / ``profile=all``; default: main."""
    if request.args.get("profile") == "all":
        return None, []
    chosen = []
    for key in request.args:
        if key.startswith("ns") and key[2:].isdigit() and request.args.get(key) not in ("", "0"):
            number = int(key[2:])
            if ns_table.exists(number) and number >= 0:
                chosen.append(number)
    chosen = sorted(set(chosen)) or [0]
    return chosen, chosen


def special_search(sub: str | None) -> Any:
    """Special:Search: Go to a matching page, else the results page."""
    from ..views.common import int_arg, namespaces, page_url, special_title
    from ..views.skin import render
    from . import MAX_QUERY_LENGTH, find_title, search

    text = request.args.get("search")
    if text is None:
        text = sub or ""
    # As MediaWiki's SpecialSearch: "Go" unless full text was asked for or a page of results.
    go = request.args.get("fulltext") is None and request.args.get("offset") is None
    ns_table = namespaces()
    if text.strip() and go:
        from ..db import get_session

        target = find_title(text, session=get_session())
        if target is not None:
            return redirect(page_url(target), 302)
    spaces, checked = _requested_namespaces(ns_table)
    limit = int_arg("limit", DEFAULT_LIMIT, minimum=1, maximum=500) or DEFAULT_LIMIT
    offset = int_arg("offset", 0, minimum=0, maximum=10_000) or 0
    results = search(text, namespaces=spaces, limit=limit, offset=offset) if text.strip() \
        else None
    error = ""
    if results is not None and results.error_code:
        error = _(ERRORS.get(results.error_code, results.error), max=MAX_QUERY_LENGTH)
    create = _create_link(text, ns_table) if text.strip() else None
    status = 200
    return render("search/special_search.html", title=special_title("Search"), status=status,
                  heading=_("Search results") if text.strip() else _("Search"),
                  search=text, results=results, error=error,
                  notice=_(NOTICE) if results is not None and results.notice else "",
                  create=create, limit=limit, offset=offset, checked=checked,
                  all_profile=spaces is None, namespaces=_namespace_choices(ns_table),
                  paging=_paging(results, text, checked, spaces is None, limit, offset),
                  noindex=True)


def _namespace_choices(ns_table: Any) -> list[tuple[int, str]]:
    return [(n, ns_table.name(n) or _("(Main)")) for n in ns_table.numbers() if n >= 0]


def _create_link(text: str, ns_table: Any) -> Any:
    """The title to offer "Create the page" for, when it is valid and does not exist."""
    from sqlalchemy import select

    from ..db import get_session
    from ..models import Page
    from ..title import InvalidTitle, Title

    try:
        title = Title.new(text.strip(), ns_table)
    except InvalidTitle:
        return None
    if title.namespace < 0 or title.interwiki or title.fragment:
        return None
    exists = get_session().scalar(select(Page.page_id).where(
        Page.namespace == title.namespace, Page.title == title.dbkey))
    return None if exists else title


def _paging(results: Any, text: str, checked: list[int], all_profile: bool, limit: int,
            offset: int) -> dict[str, str]:
    from ..views.common import special_url

    if results is None or not results.total:
        return {}
    params: dict[str, Any] = {"search": text, "fulltext": "1", "limit": limit}
    if all_profile:
        params["profile"] = "all"
    else:
        params.update({f"ns{n}": "1" for n in checked})
    links = {}
    if offset > 0:
        links["previous"] = special_url("Search", **params, offset=max(0, offset - limit) or None)
    if offset + limit < results.total and offset + limit <= 10_000:
        links["next"] = special_url("Search", **params, offset=offset + limit)
    return links


@bp.route("/w/rest.php/v1/search/title")
def title_suggestions() -> Response:
    """Suggestions while typing: ``{"pages": [{"id", "key", "title", "matched_title",
    "excerpt", "description", "thumbnail"}]}`` as MediaWiki's REST API returns them."""
    from . import prefix_search
    from ..views.common import namespaces
    from ..title import Title

    text = request.args.get("q", "")
    try:
        limit = max(1, min(int(request.args.get("limit", "10")), 100))
    except ValueError:
        return jsonify({"httpCode": 400, "httpReason": "Bad Request",
                        "messageTranslations": {"en": "limit must be a whole number"}}), 400
    pages = []
    ns_table = namespaces()
    for hit in prefix_search(text, limit=limit) if text.strip() else []:
        title = Title.new(hit["title"], ns_table)
        pages.append({"id": hit["page_id"], "key": title.prefixed_dbkey, "title": hit["title"],
                      "matched_title": hit["redirect_from"], "excerpt": hit["title"],
                      "description": None, "thumbnail": None})
    response = jsonify({"pages": pages})
    response.headers["Cache-Control"] = "no-store"
    return response


def _add_translations(app: Flask) -> None:
    """Our French catalogue joins the interface's (Flask-Babel merges directories)."""
    from ..i18n import compile_catalogues

    compile_catalogues(TRANSLATIONS)
    babel = app.extensions.get("babel")
    if babel is not None and str(TRANSLATIONS) not in babel.translation_directories:
        babel.translation_directories.append(str(TRANSLATIONS))


def init_app(app: Flask) -> None:
    from ..views.special import register

    app.register_blueprint(bp)
    register(app, "Search", special_search, label="Search",
             aliases={"fr": ["Recherche", "Rechercher", "Chercher"], "en": ["Search"]},
             group="search", listed=True)
    if "babel" in app.extensions:
        _add_translations(app)
    else:  # Flask-Babel set up after us: join its directories on the first request
        @app.before_request
        def _join_translations() -> None:
            _add_translations(current_app._get_current_object())  # type: ignore[attr-defined]
