"""Tests for wikiengine.store.users and the create-user command: name normalisation,
argon2 hashes, authentication, groups, actors, bot passwords."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.models import Actor, LogEntry, User
from wikiengine.store import users
from wikiengine.store.errors import InvalidInput


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


@pytest.mark.parametrize("raw,canonical", [
    ("jean_dupont", "Jean dupont"), ("  Marie  Curie ", "Marie Curie"), ("élise", "Élise")])
def test_names_are_normalised_like_user_titles(raw: str, canonical: str) -> None:
    assert users.normalize_name(raw) == canonical


@pytest.mark.parametrize("bad", ["", "192.0.2.1", "2001:db8::1", "a#b", "x[y]", "a/b",
                                 "a@b", "a=b", "Utilisateur:Foo", "x" * 86])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        users.normalize_name(bad)
    assert info.value.code == "invalidusername"


def test_create_and_authenticate(app) -> None:
    with tx(app) as s:
        user = users.create_user(s, "jean_dupont", "mot de passe", groups=("sysop",))
        assert user.password.startswith("$argon2")
        assert "mot de passe" not in user.password
    with tx(app) as s:
        assert users.authenticate(s, "Jean dupont", "mot de passe").name == "Jean dupont"
        assert users.authenticate(s, "jean_dupont", "mot de passe") is not None
        assert users.authenticate(s, "Jean dupont", "faux") is None
        assert users.authenticate(s, "Inconnu", "mot de passe") is None
        assert users.get_user(s, "JEAN dupont") is None
        user = users.get_user(s, "jean dupont")
        assert user.group_names == ["sysop"]
        entry = s.scalar(select(LogEntry).where(LogEntry.type == "newusers"))
        assert entry.action == "create" and entry.title == "Jean_dupont"
    with pytest.raises(InvalidInput) as info:
        with tx(app) as s:
            users.create_user(s, "Jean_dupont", "x")
    assert info.value.code == "userexists"
    with pytest.raises(InvalidInput) as info:
        with tx(app) as s:
            users.create_user(s, "mediaWiki default", "x")
    assert info.value.code == "invalidusername"


def test_groups_add_remove(app) -> None:
    with tx(app) as s:
        user = users.create_user(s, "Gwen", "pw")
        users.add_group(s, user, "bot")
        users.add_group(s, user, "bot")
        assert user.group_names == ["bot"]
        users.remove_group(s, user, "bot")
        assert user.group_names == []
        with pytest.raises(InvalidInput):
            users.add_group(s, user, "user")


def test_actors_for_users_and_addresses(app) -> None:
    with tx(app) as s:
        user = users.create_user(s, "Yann", "pw")
        first = users.get_actor(s, user)
        assert users.get_actor(s, user).actor_id == first.actor_id
        anon = users.get_actor(s, users.anonymous("203.0.113.9"))
        assert anon.user_id is None and anon.name == "203.0.113.9"
        assert users.anonymous("203.0.113.9").is_anon and not user.is_anon
        assert s.scalar(select(Actor).where(Actor.name == "Yann")).user_id == user.user_id


def test_bot_passwords(app) -> None:
    with tx(app) as s:
        user = users.create_user(s, "Botte", "main password")
        secret = users.create_bot_password(s, user, "pywikibot")
    with tx(app) as s:
        assert users.authenticate_bot(s, "Botte@pywikibot", secret).name == "Botte"
        assert users.authenticate_bot(s, "Botte@pywikibot", "main password") is None
        assert users.authenticate_bot(s, "Botte@other", secret) is None
        assert users.authenticate_bot(s, "Botte", secret) is None


def test_password_change_and_system_user(app) -> None:
    with tx(app) as s:
        user = users.create_user(s, "Loig", "ancien")
        users.set_password(s, user, "nouveau")
    with tx(app) as s:
        assert users.authenticate(s, "Loig", "ancien") is None
        assert users.authenticate(s, "Loig", "nouveau") is not None
        system = users.system_user(s)
        assert system.name == users.SYSTEM_USER
        assert users.authenticate(s, users.SYSTEM_USER, "") is None


def test_create_user_command(app, monkeypatch) -> None:
    import wikiengine.store.cli as store_cli
    from wikiengine.cli import main

    monkeypatch.setattr(store_cli, "_app", lambda: app)
    runner = CliRunner()
    result = runner.invoke(main, ["create-user", "nolwenn", "--password", "pw", "--admin"])
    assert result.exit_code == 0, result.output
    assert "Nolwenn" in result.output
    result = runner.invoke(main, ["create-user", "robot", "--password", "pw", "--bot"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["create-user", "nolwenn", "--password", "pw"])
    assert result.exit_code != 0 and "already in use" in result.output
    with tx(app) as s:
        assert users.get_user(s, "Nolwenn").group_names == ["bureaucrat", "sysop"]
        assert users.get_user(s, "Robot").group_names == ["bot"]
        assert users.authenticate(s, "Nolwenn", "pw") is not None
        assert s.scalar(select(User).where(User.name == "Robot")).editcount == 0
