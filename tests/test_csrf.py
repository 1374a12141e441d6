"""Edit tokens: MediaWiki's shape, per-session secret, expiry, and refusal of forms without
a valid token (nothing written)."""
from __future__ import annotations

import time

from flask import session

from wikiengine import csrf


def test_token_shape_and_check(app):
    with app.test_request_context("/"):
        token = csrf.get_token()
        assert token.endswith("+\\")
        assert len(token) > 34
        assert csrf.check_token(token)
        assert csrf.token_timestamp(token) is not None
        assert abs(csrf.token_timestamp(token) - time.time()) < 5
        assert not csrf.check_token(token, salt="other")
        last = token[-3]
        assert not csrf.check_token(token[:-3] + ("1" if last == "0" else "0") + "+\\")
        assert not csrf.check_token("+\\")
        assert not csrf.check_token("")
        assert not csrf.check_token(None)


def test_token_is_tied_to_the_session_secret(app):
    with app.test_request_context("/"):
        token = csrf.get_token()
        session.clear()
        assert not csrf.check_token(token)
        assert csrf.token_problem(token) == "expired"
        other = csrf.get_token()
        assert csrf.check_token(other)
        assert csrf.token_problem(token) == "invalid"


def test_token_expiry(app):
    app.config["EDIT_TOKEN_MAX_AGE"] = 60
    with app.test_request_context("/"):
        csrf.get_token()
        secret = session[csrf._SESSION_KEY]
        old = csrf._at("", secret, int(time.time()) - 3600)
        assert csrf.check_token(old, max_age=0)
        assert not csrf.check_token(old)
        assert csrf.token_problem(old) == "expired"
        assert csrf.token_problem(None) == "missing"


def test_state_changing_form_without_token_is_refused(client):
    response = client.post("/wiki/Spécial:Préférences", data={"wplanguage": "en"})
    assert response.status_code == 400
    assert "jeton" in response.get_data(as_text=True) or "session" in \
        response.get_data(as_text=True).lower()


def test_login_form_without_token_is_refused(client, app):
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with session_scope(app) as db:
        users.create_user(db, "Alice", "correct horse battery")
    response = client.post("/wiki/Special:UserLogin",
                           data={"wpName": "Alice", "wpPassword": "correct horse battery"})
    assert response.status_code == 400
    with client.session_transaction() as sess:
        assert "user_id" not in sess
