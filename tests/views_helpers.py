"""Helpers for the web view tests: accounts, edit tokens and saving through the edit form."""
from __future__ import annotations

import html
import re
from typing import Any

_TOKEN = re.compile(r'name="(?:wpEditToken|wpLoginToken)" value="([^"]+)"')
_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def make_user(app: Any, name: str, password: str = "motdepasse-solide",
              groups: tuple[str, ...] = ()) -> None:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with session_scope(app) as db:
        users.create_user(db, name, password, groups=groups)


def token(client: Any, url: str = "/wiki/Spécial:Connexion") -> str:
    page = client.get(url).get_data(as_text=True)
    found = _TOKEN.search(page)
    assert found, f"no token on {url}"
    return html.unescape(found.group(1))


def login(client: Any, name: str, password: str = "motdepasse-solide") -> Any:
    response = client.post("/wiki/Spécial:Connexion", data={
        "wpName": name, "wpPassword": password, "wpLoginToken": token(client)})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response


def edit_form(client: Any, title: str, **query: str) -> dict[str, str]:
    """The hidden fields of the edit form of ``title`` (plus the textarea's text)."""
    from urllib.parse import urlencode

    page = client.get("/w/index.php?" + urlencode({"title": title, "action": "edit", **query}))
    body = page.get_data(as_text=True)
    fields = {k: html.unescape(v) for k, v in _FIELD.findall(body)}
    text = re.search(r'<textarea id="wpTextbox1"[^>]*>\n(.*?)</textarea>', body, re.S)
    fields["wpTextbox1"] = html.unescape(text.group(1)) if text else ""
    fields["_status"] = str(page.status_code)
    return fields


def save(client: Any, title: str, text: str, summary: str = "", form: dict | None = None,
         button: str = "wpSave", **extra: str) -> Any:
    """Open the edit form (or reuse ``form``), put ``text`` in and press ``button``."""
    from urllib.parse import urlencode

    fields = dict(form) if form is not None else edit_form(client, title)
    fields.pop("_status", None)
    fields.update({"wpTextbox1": text, "wpSummary": summary, button: "1", **extra})
    return client.post("/w/index.php?" + urlencode({"title": title, "action": "submit"}),
                       data=fields)
