"""Tests for wikiengine.models: table names as in MediaWiki, documented differences,
constraints that protect the data (one page per title, one actor per name), relationships."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import wikiengine.models as models
from wikiengine import db
from wikiengine.models import Actor, Content, Page, Revision, User, UserGroup, mw_timestamp

MEDIAWIKI_TABLES = {
    "Page": "page", "Revision": "revision", "Content": "content", "Actor": "actor",
    "User": "user", "UserGroup": "user_groups", "RecentChange": "recentchanges",
    "LogEntry": "logging", "Watchlist": "watchlist", "PageRestriction": "page_restrictions",
    "Block": "ipblocks", "PageLink": "pagelinks", "TemplateLink": "templatelinks",
    "CategoryLink": "categorylinks", "ExternalLink": "externallinks", "LangLink": "langlinks",
    "ImageLink": "imagelinks", "PageProp": "page_props", "Archive": "archive",
    "BotPassword": "bot_passwords", "Image": "image", "OldImage": "oldimage",
    "FileArchive": "filearchive", "Redirect": "redirect", "Category": "category",
    "IwLink": "iwlinks", "ProtectedTitle": "protected_titles",
}


@pytest.mark.parametrize("name,table", sorted(MEDIAWIKI_TABLES.items()))
def test_model_mirrors_mediawiki_table(name: str, table: str) -> None:
    model = getattr(models, name)
    assert model.__tablename__ == table
    doc = model.__doc__ or ""
    assert f"``{table}``" in doc, f"{name} docstring should name the table it mirrors"


def test_columns_keep_mediawiki_names() -> None:
    page_columns = set(Page.__table__.columns.keys())
    assert {"page_id", "page_namespace", "page_title", "page_latest", "page_touched",
            "page_len", "page_is_redirect", "page_content_model"} <= page_columns
    rev_columns = set(Revision.__table__.columns.keys())
    assert {"rev_id", "rev_page", "rev_parent_id", "rev_timestamp", "rev_actor",
            "rev_minor_edit", "rev_deleted", "rev_len", "rev_sha1"} <= rev_columns
    assert models.Text is Content


def test_one_page_per_title(app) -> None:
    with app.app_context():
        session = db.get_session()
        session.add(Page(namespace=0, title="Doublon", latest=0, len=0))
        session.flush()
        session.add(Page(namespace=0, title="Doublon", latest=0, len=0))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_user_groups_and_actor_relationships(app) -> None:
    with app.app_context(), db.session_scope(app) as session:
        user = User(name="Gwen", password="", options={"language": "br"})
        session.add(user)
        session.flush()
        session.add(UserGroup(user_id=user.user_id, group="sysop"))
        session.add(Actor(user_id=user.user_id, name="Gwen"))
    with app.app_context(), db.session_scope(app) as session:
        user = session.scalar(select(User).where(User.name == "Gwen"))
        assert user is not None and user.group_names == ["sysop"]
        assert user.options == {"language": "br"} and not user.is_anon
        actor = session.scalar(select(Actor).where(Actor.name == "Gwen"))
        assert actor is not None and actor.user is not None and actor.user.user_id == user.user_id


def test_mw_timestamp_format() -> None:
    import datetime as dt

    assert mw_timestamp(dt.datetime(2024, 1, 31, 23, 59, 58)) == "20240131235958"
    assert mw_timestamp(None) == "infinity"
