"""Tests for wikiengine.store.permissions and blocks: MediaWiki's groups and rights,
anonymous editing setting, private wiki, namespace rules, protection, user and IP blocks."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.models import User, utcnow
from wikiengine.store import blocks, permissions, revisions, users
from wikiengine.store.errors import InvalidInput, PermissionDenied
from wikiengine.title import Title


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


@pytest.fixture
def people(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with tx(app) as s:
        return {name.lower(): users.create_user(s, name, "pw", groups=groups).user_id
                for name, groups in (("Admin", ("sysop",)), ("Anna", ()), ("Robot", ("bot",)),
                                     ("Chef", ("bureaucrat",)))}


def _code(app, user_id: int | None, action: str, title: str | None = None,  # type: ignore[no-untyped-def]
          ip: str | None = None) -> str | None:
    with tx(app) as s:
        user = s.get(User, user_id) if user_id else users.anonymous("198.51.100.7")
        try:
            permissions.user_can(s, user, action, Title.new(title) if title else None, ip=ip)
        except PermissionDenied as exc:
            return exc.code
        return None


def test_group_table_cached_per_settings(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        app.config["ANONYMOUS_EDIT"] = False
        first = permissions.group_permissions()
        assert permissions.group_permissions() is first  # not rebuilt on every call
        app.config["ANONYMOUS_EDIT"] = True  # a changed setting gives a new table
        assert "edit" in permissions.group_permissions()["*"]
        app.config["GROUP_PERMISSIONS"] = {"user": {"move": False}, "patrol": {"patrol": True}}
        changed = permissions.group_permissions()
        assert "move" not in changed["user"] and changed["patrol"] == frozenset({"patrol"})
        app.config["GROUP_PERMISSIONS"] = {}
        app.config["ANONYMOUS_EDIT"] = False
        assert permissions.group_permissions() is first
        with pytest.raises(TypeError):
            first["*"] = frozenset()  # type: ignore[index]


def test_group_rights_match_mediawiki(app, people) -> None:
    table = permissions.group_permissions({"ANONYMOUS_EDIT": False})
    assert "read" in table["*"] and "edit" not in table["*"]
    assert {"edit", "move", "upload", "minoredit"} <= table["user"]
    assert {"delete", "protect", "block", "rollback", "undelete", "suppressredirect"} <= table["sysop"]
    assert "userrights" in table["bureaucrat"] and "bot" in table["bot"]
    assert "edit" in permissions.group_permissions({"ANONYMOUS_EDIT": True})["*"]
    with tx(app) as s:
        admin = s.get(User, people["admin"])
        assert permissions.effective_groups(admin)[:3] == ["*", "user", "autoconfirmed"]
        assert "sysop" in permissions.effective_groups(admin)
        assert permissions.effective_groups(users.anonymous("10.0.0.1")) == ["*"]


def test_actions_by_group(app, people) -> None:
    assert _code(app, None, "edit", "Page") in ("cantcreate-anon", "permissiondenied")
    assert _code(app, None, "read", "Page") is None
    assert _code(app, people["anna"], "edit", "Page") is None
    assert _code(app, people["anna"], "delete", "Page") == "permissiondenied"
    assert _code(app, people["admin"], "delete", "Page") is None
    assert _code(app, people["anna"], "userrights") == "permissiondenied"
    assert _code(app, people["chef"], "userrights") is None
    assert _code(app, people["anna"], "rollback", "Page") == "permissiondenied"
    assert _code(app, people["robot"], "bot") is None


def test_anonymous_edit_setting(app, people) -> None:
    app.config["ANONYMOUS_EDIT"] = True
    assert _code(app, None, "edit", "Page") is None
    assert _code(app, None, "edit", "Discussion:Page") is None


def test_private_wiki_restricts_reading(app, people) -> None:
    app.config["PRIVATE_WIKI"] = True
    assert _code(app, None, "read", "Accueil") == "readapidenied"
    assert _code(app, None, "read", "Special:UserLogin") is None
    assert _code(app, None, "edit", "Accueil") == "readapidenied"
    assert _code(app, people["anna"], "read", "Accueil") is None


def test_mediawiki_namespace_needs_editinterface(app, people) -> None:
    assert _code(app, people["anna"], "edit", "MediaWiki:Sitenotice") == \
        "protectednamespace-interface"
    assert _code(app, people["admin"], "edit", "MediaWiki:Sitenotice") is None


def test_semi_protection_and_autoconfirmed(app, people) -> None:
    with tx(app) as s:
        revisions.save_page(s, Title.new("Semi"), "x", s.get(User, people["admin"]))
        revisions.protect_page(s, Title.new("Semi"), s.get(User, people["admin"]),
                               {"edit": "autoconfirmed"})
    assert _code(app, people["anna"], "edit", "Semi") is None
    app.config["AUTOCONFIRM_COUNT"] = 10  # Anna has no edits: no longer autoconfirmed
    assert _code(app, people["anna"], "edit", "Semi") == "protectedpage"
    assert _code(app, people["robot"], "edit", "Semi") is None  # bot group: autoconfirmed right


def test_user_block_with_expiry_and_own_talk_page(app, people) -> None:
    with tx(app) as s:
        blocks.block(s, "anna", s.get(User, people["admin"]), reason="spam",
                     expiry=utcnow() + dt.timedelta(hours=1))
    assert _code(app, people["anna"], "edit", "Page") == "blocked"
    assert _code(app, people["anna"], "edit", "Discussion utilisateur:Anna") is None
    assert _code(app, people["anna"], "read", "Page") is None
    with tx(app) as s:
        block = permissions.get_block(s, s.get(User, people["anna"]))
        assert block is not None and block.reason == "spam"
        assert blocks.active_blocks(s)[0].address == "Anna"
    with pytest.raises(PermissionDenied):
        with tx(app) as s:
            blocks.block(s, "Admin", s.get(User, people["anna"]))
    with tx(app) as s:
        blocks.unblock(s, "Anna", s.get(User, people["admin"]))
    assert _code(app, people["anna"], "edit", "Page") is None
    with pytest.raises(InvalidInput):
        with tx(app) as s:
            blocks.unblock(s, "Anna", s.get(User, people["admin"]))


def test_expired_block_does_not_apply(app, people) -> None:
    with tx(app) as s:
        row = blocks.block(s, "Anna", s.get(User, people["admin"]),
                           expiry=utcnow() + dt.timedelta(hours=1))
        row.expiry = utcnow() - dt.timedelta(seconds=1)
    assert _code(app, people["anna"], "edit", "Page") is None


def test_ip_range_block(app, people) -> None:
    app.config["ANONYMOUS_EDIT"] = True
    with tx(app) as s:
        blocks.block(s, "198.51.100.0/24", s.get(User, people["admin"]), anon_only=True)
    assert _code(app, None, "edit", "Page") == "blocked"
    # anon-only: a logged-in user on that address may still edit
    assert _code(app, people["anna"], "edit", "Page", ip="198.51.100.7") is None
    with tx(app) as s:
        blocks.block(s, "198.51.100.0/24", s.get(User, people["admin"]), anon_only=False)
    assert _code(app, people["anna"], "edit", "Page", ip="198.51.100.7") == "blocked"
    assert _code(app, people["anna"], "edit", "Page", ip="203.0.113.1") is None


def test_blocked_save_is_refused(app, people) -> None:
    with tx(app) as s:
        blocks.block(s, "Anna", s.get(User, people["admin"]))
    with pytest.raises(PermissionDenied) as info:
        with tx(app) as s:
            revisions.save_page(s, Title.new("Bloquée"), "x", s.get(User, people["anna"]))
    assert info.value.code == "blocked"
    with pytest.raises(InvalidInput):
        with tx(app) as s:
            blocks.block(s, "Personne", s.get(User, people["admin"]))


def test_cascading_protection_covers_transcluded_pages(app, people) -> None:
    with tx(app) as s:
        admin = s.get(User, people["admin"])
        revisions.save_page(s, Title.new("Modèle:Bandeau"), "bandeau", admin)
        revisions.save_page(s, Title.new("Accueil"), "{{Bandeau}}", admin)
        revisions.protect_page(s, Title.new("Accueil"), admin, {"edit": "sysop"}, cascade=True)
    assert _code(app, people["anna"], "edit", "Modèle:Bandeau") == "cascadeprotected"
    assert _code(app, people["admin"], "edit", "Modèle:Bandeau") is None
    with tx(app) as s:
        revisions.protect_page(s, Title.new("Accueil"), s.get(User, people["admin"]),
                               {"edit": "sysop"}, cascade=False)
    assert _code(app, people["anna"], "edit", "Modèle:Bandeau") is None
