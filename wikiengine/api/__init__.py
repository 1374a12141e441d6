"""The Action API at ``/w/api.php`` (MediaWiki 1.39's, so pywikibot and mwclient work).

``init_app`` registers the dispatcher blueprint and Special:BotPasswords; importing the
module files below registers every action and query submodule in ``base.ACTIONS`` and
``base.QUERY_MODULES``.
"""
from __future__ import annotations

from typing import Any

from . import (allmessages, auth, edit, feeds, lists, lists_changes,  # noqa: F401
               lists_search, lists_users, meta,
               pageactions, paraminfo, parsing, props_links, props_pages, query)
from . import botpasswords, main


def init_app(app: Any) -> None:
    main.init_app(app)
    app.register_blueprint(main.bp)
    botpasswords.init_app(app)
