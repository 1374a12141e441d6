"""How many SQL statements a signed-in page view costs (it runs on every request of a
logged-in reader): the page read by the view is reused by the Edit tab's permission check,
the page's protections and cascade sources are one query, and the skin's red/blue tabs and
Watch/Unwatch state are one query. The Watch tab still follows the watchlist."""
from __future__ import annotations

from sqlalchemy import event

from views_helpers import login, make_user, save, token

#: user, page, revision, parser cache, skin links + watch state, protections + cascade,
#: blocks, the footer's licence (files) — MediaWiki's core needs about as many.
MAX_STATEMENTS = 8


def _count(app, client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    from wikiengine.db import engine

    with app.app_context():
        eng = engine()
    statements: list[str] = []

    def listener(*args) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    event.listen(eng, "before_cursor_execute", listener)
    try:
        body = client.get(url).get_data(as_text=True)
    finally:
        event.remove(eng, "before_cursor_execute", listener)
    return len(statements), body


def test_signed_in_view_statement_count_and_watch_tab(app, client) -> None:  # type: ignore[no-untyped-def]
    make_user(app, "Alice")
    login(client, "Alice")
    save(client, "Halles", "Les [[halles]] de '''Brest'''.")
    client.get("/wiki/Halles")  # fills the parser cache
    count, body = _count(app, client, "/wiki/Halles")
    assert count <= MAX_STATEMENTS, count
    assert 'id="ca-watch"' in body and 'id="ca-edit"' in body
    client.post("/w/index.php?title=Halles&action=watch",
                data={"wpEditToken": token(client, "/wiki/Halles")})
    count, body = _count(app, client, "/wiki/Halles")
    assert count <= MAX_STATEMENTS and 'id="ca-unwatch"' in body
    _count_talk, talk = _count(app, client, "/wiki/Discussion:Halles")
    assert 'id="ca-unwatch"' in talk  # the talk page is watched with its subject
