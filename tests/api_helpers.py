"""Helpers shared by the API tests: calling api.php through the Flask test client."""
from __future__ import annotations

from typing import Any


def api(client: Any, method: str = "post", **params: Any) -> dict[str, Any]:
    """Call /w/api.php with ``format=json`` and return the decoded answer (HTTP 200 checked)."""
    params.setdefault("format", "json")
    data = {k: ("" if v is True else str(v)) for k, v in params.items()
            if v is not None and v is not False}
    if method == "get":
        resp = client.get("/w/api.php", query_string=data)
    else:
        resp = client.post("/w/api.php", data=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/json"
    return resp.get_json()


def login(client: Any, name: str, password: str) -> dict[str, Any]:
    token = api(client, action="query", meta="tokens", type="login")["query"]["tokens"][
        "logintoken"]
    return api(client, action="login", lgname=name, lgpassword=password, lgtoken=token)


def csrf(client: Any) -> str:
    return api(client, action="query", meta="tokens")["query"]["tokens"]["csrftoken"]


def make_user(app: Any, name: str, password: str, groups: tuple[str, ...] = ()) -> None:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with app.app_context(), session_scope(app) as s:
        users.create_user(s, name, password, groups=groups)


def logged_in(app: Any, name: str = "Admin", password: str = "admin-password",
              groups: tuple[str, ...] = ("sysop",)) -> Any:
    """A test client signed in through the API as a new user ``name``."""
    make_user(app, name, password, groups)
    client = app.test_client()
    assert login(client, name, password)["login"]["result"] == "Success"
    return client


def edit(client: Any, title: str, text: str, **extra: Any) -> dict[str, Any]:
    return api(client, action="edit", title=title, text=text, token=csrf(client), **extra)
