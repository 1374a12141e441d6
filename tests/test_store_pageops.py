"""Tests for wikiengine.store.pageops: delete to archive and undelete, move with talk page
and redirect, protection levels and expiry, rollback of consecutive edits, undo."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.models import Archive, LogEntry, Page, Revision, User, utcnow
from wikiengine.store import changes, pageops, permissions, revisions, users
from wikiengine.store.errors import (InvalidInput, MissingPage, PageExists,
                                     PermissionDenied)
from wikiengine.title import Title


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


@pytest.fixture
def people(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with tx(app) as s:
        return {
            "admin": users.create_user(s, "Admin", "pw", groups=("sysop",)).user_id,
            "anna": users.create_user(s, "Anna", "pw").user_id,
            "vandal": users.create_user(s, "Vandal", "pw").user_id,
        }


def _save(app, who: int, title: str, text: str) -> int:  # type: ignore[no-untyped-def]
    with tx(app) as s:
        return revisions.save_page(s, Title.new(title), text, s.get(User, who)).revision.rev_id


def test_delete_moves_revisions_to_archive_and_undelete_restores(app, people) -> None:
    ids = [_save(app, people["anna"], "Le Pilier Rouge", f"v{i}") for i in range(3)]
    title = Title.new("Le Pilier Rouge")
    with pytest.raises(PermissionDenied):
        with tx(app) as s:
            pageops.delete_page(s, title, s.get(User, people["anna"]), "non")
    with tx(app) as s:
        pageops.delete_page(s, title, s.get(User, people["admin"]), "doublon")
    with tx(app) as s:
        assert revisions.get_page(s, title) is None
        archived = pageops.deleted_revisions(s, title)
        assert sorted(a.rev_id for a in archived) == ids
        assert s.scalar(select(Revision).where(Revision.rev_id.in_(ids))) is None
        entry = changes.log_entries(s, "delete", title)[0]
        assert (entry.action, entry.comment) == ("delete", "doublon")
    with tx(app) as s:
        page = pageops.undelete_page(s, title, s.get(User, people["admin"]), "erreur")
        assert page.latest == ids[-1]
    with tx(app) as s:
        page = revisions.get_page(s, title)
        history = revisions.history(s, page, newest_first=False)
        assert [r.rev_id for r in history] == ids
        assert [r.parent_id for r in history] == [None, ids[0], ids[1]]
        assert revisions.page_text(s, page) == "v2"
        assert s.scalar(select(Archive)) is None
        assert changes.log_entries(s, "delete", title)[0].action == "restore"


def test_undelete_over_recreated_page_merges_histories(app, people) -> None:
    old = _save(app, people["anna"], "Quéliverzan", "ancien")
    with tx(app) as s:
        pageops.delete_page(s, Title.new("Quéliverzan"), s.get(User, people["admin"]))
    new = _save(app, people["anna"], "Quéliverzan", "nouveau")
    with tx(app) as s:
        pageops.undelete_page(s, Title.new("Quéliverzan"), s.get(User, people["admin"]))
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Quéliverzan"))
        assert [r.rev_id for r in revisions.history(s, page, newest_first=False)] == [old, new]
        assert revisions.page_text(s, page) == "nouveau"
    with pytest.raises(MissingPage):
        with tx(app) as s:
            pageops.undelete_page(s, Title.new("Quéliverzan"), s.get(User, people["admin"]))


def test_move_with_talk_page_and_redirect(app, people) -> None:
    _save(app, people["anna"], "Rue Jean Jaures", "La rue.")
    _save(app, people["anna"], "Discussion:Rue Jean Jaures", "Orthographe ?")
    old, new = Title.new("Rue Jean Jaures"), Title.new("Rue Jean-Jaurès")
    with tx(app) as s:
        pageops.move_page(s, old, new, s.get(User, people["anna"]), "orthographe")
    with tx(app) as s:
        moved = revisions.get_page(s, new)
        assert moved is not None and revisions.page_text(s, moved) == "La rue."
        history = revisions.history(s, moved)
        assert "Rue Jean-Jaurès" in history[0].comment and history[0].parent_id == history[1].rev_id
        redirect = revisions.get_page(s, old)
        assert redirect.is_redirect
        assert revisions.page_text(s, redirect) == "#REDIRECTION [[Rue Jean-Jaurès]]"
        talk = revisions.get_page(s, Title.new("Discussion:Rue Jean-Jaurès"))
        assert talk is not None and revisions.page_text(s, talk) == "Orthographe ?"
        entry = changes.log_entries(s, "move", old)[0]
        assert changes.log_params(entry)["target"] == "Rue Jean-Jaurès"
    _save(app, people["anna"], "Autre rue", "Elle existe.")
    with pytest.raises(PageExists):
        with tx(app) as s:
            pageops.move_page(s, new, Title.new("Autre rue"), s.get(User, people["anna"]))
    with pytest.raises(InvalidInput):
        with tx(app) as s:
            pageops.move_page(s, new, new, s.get(User, people["anna"]))


def test_move_without_redirect_needs_suppressredirect(app, people) -> None:
    _save(app, people["anna"], "Brouillon", "x")
    with tx(app) as s:  # a plain user asking for no redirect still leaves one
        pageops.move_page(s, Title.new("Brouillon"), Title.new("Brouillon 2"),
                          s.get(User, people["anna"]), leave_redirect=False)
    with tx(app) as s:
        assert revisions.get_page(s, Title.new("Brouillon")) is not None
        pageops.move_page(s, Title.new("Brouillon 2"), Title.new("Brouillon 3"),
                          s.get(User, people["admin"]), leave_redirect=False)
    with tx(app) as s:
        assert revisions.get_page(s, Title.new("Brouillon 2")) is None


def test_protection_levels_and_expiry(app, people) -> None:
    _save(app, people["anna"], "Mairie", "La mairie.")
    title = Title.new("Mairie")
    with pytest.raises(PermissionDenied):
        with tx(app) as s:
            pageops.protect_page(s, title, s.get(User, people["anna"]), {"edit": "sysop"})
    with tx(app) as s:
        pageops.protect_page(s, title, s.get(User, people["admin"]),
                             {"edit": "sysop", "move": "sysop"}, reason="vandalisme")
    with pytest.raises(PermissionDenied) as info:
        with tx(app) as s:
            revisions.save_page(s, title, "Modifié", s.get(User, people["anna"]))
    assert info.value.code == "protectedpage"
    with tx(app) as s:
        revisions.save_page(s, title, "Modifié par admin", s.get(User, people["admin"]))
        entry = changes.log_entries(s, "protect", title)[0]
        assert entry.action == "protect" and "[edit=sysop]" in changes.log_params(entry)["description"]
    with tx(app) as s:  # an expired protection no longer applies
        from wikiengine.models import PageRestriction

        for row in s.scalars(select(PageRestriction)):
            row.expiry = utcnow() - dt.timedelta(seconds=1)
    with tx(app) as s:
        revisions.save_page(s, title, "Modifié à nouveau", s.get(User, people["anna"]))
    with tx(app) as s:
        pageops.protect_page(s, title, s.get(User, people["admin"]), {"edit": "autoconfirmed"},
                             expiry=utcnow() + dt.timedelta(days=1))
        assert permissions.restrictions(s, revisions.get_page(s, title).page_id)["edit"][0] == \
            "autoconfirmed"
    with pytest.raises(InvalidInput):
        with tx(app) as s:
            pageops.protect_page(s, title, s.get(User, people["admin"]), {"edit": "everyone"})


def test_create_protection_of_missing_title(app, people) -> None:
    title = Title.new("Page interdite")
    with tx(app) as s:
        pageops.protect_page(s, title, s.get(User, people["admin"]), {"create": "sysop"})
    with pytest.raises(PermissionDenied) as info:
        with tx(app) as s:
            revisions.save_page(s, title, "x", s.get(User, people["anna"]))
    assert info.value.code == "protectedtitle"


def test_rollback_reverts_all_consecutive_edits_of_last_author(app, people) -> None:
    good = _save(app, people["anna"], "Port de commerce", "Bon texte.")
    for i in range(3):
        _save(app, people["vandal"], "Port de commerce", f"Vandalisme {i}")
    title = Title.new("Port de commerce")
    with pytest.raises(PermissionDenied):
        with tx(app) as s:
            pageops.rollback(s, title, s.get(User, people["anna"]), "Vandal")
    with pytest.raises(InvalidInput) as info:
        with tx(app) as s:
            pageops.rollback(s, title, s.get(User, people["admin"]), "Anna")
    assert info.value.code == "alreadyrolled"
    with tx(app) as s:
        result = pageops.rollback(s, title, s.get(User, people["admin"]), "vandal")
        assert result.revision.minor_edit and "Vandal" in result.revision.comment
    with tx(app) as s:
        page = revisions.get_page(s, title)
        assert revisions.page_text(s, page) == "Bon texte."
        assert revisions.revision_count(s, page) == 5
        assert s.get(Revision, good) is not None


def test_rollback_of_only_author_is_refused(app, people) -> None:
    _save(app, people["vandal"], "Seul", "x")
    with pytest.raises(InvalidInput) as info:
        with tx(app) as s:
            pageops.rollback(s, Title.new("Seul"), s.get(User, people["admin"]), "Vandal")
    assert info.value.code == "onlyauthor"


def test_undo_merges_over_later_edits(app, people) -> None:
    _save(app, people["anna"], "Défaire", "un\n\ndeux\n\ntrois")
    bad = _save(app, people["vandal"], "Défaire", "un\n\nDEUX!!\n\ntrois")
    _save(app, people["anna"], "Défaire", "un\n\nDEUX!!\n\ntrois et quatre")
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Défaire"))
        assert pageops.undo_text(s, page, bad) == "un\n\ndeux\n\ntrois et quatre"
    _save(app, people["anna"], "Défaire", "un\n\nDEUX ?\n\ntrois et quatre")
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Défaire"))
        assert pageops.undo_text(s, page, bad) is None


def test_log_entries_record_actor_and_page(app, people) -> None:
    _save(app, people["anna"], "Journal", "x")
    with tx(app) as s:
        pageops.delete_page(s, Title.new("Journal"), s.get(User, people["admin"]))
    with tx(app) as s:
        entry = s.scalar(select(LogEntry).where(LogEntry.type == "delete"))
        assert entry.actor.name == "Admin" and entry.title == "Journal" and entry.page_id
        assert s.scalar(select(Page).where(Page.title == "Journal")) is None


def test_undelete_selected_revisions_only(app, people) -> None:
    ids = [_save(app, people["anna"], "Partielle", f"v{i}") for i in range(3)]
    with tx(app) as s:
        pageops.delete_page(s, Title.new("Partielle"), s.get(User, people["admin"]))
    with tx(app) as s:
        pageops.undelete_page(s, Title.new("Partielle"), s.get(User, people["admin"]),
                              rev_ids=ids[:2])
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Partielle"))
        assert [r.rev_id for r in revisions.history(s, page, newest_first=False)] == ids[:2]
        assert revisions.page_text(s, page) == "v1"
        assert [a.rev_id for a in pageops.deleted_revisions(s, Title.new("Partielle"))] == [ids[2]]
    new = _save(app, people["anna"], "Partielle", "v3")
    assert new > ids[2]  # revision ids are never reused, even with one still archived


def test_move_back_over_the_redirect_left_behind(app, people) -> None:
    _save(app, people["anna"], "Aller", "Le texte.")
    with tx(app) as s:
        pageops.move_page(s, Title.new("Aller"), Title.new("Retour"), s.get(User, people["anna"]))
    with tx(app) as s:  # a plain user may move it back: the target is only that redirect
        pageops.move_page(s, Title.new("Retour"), Title.new("Aller"), s.get(User, people["anna"]))
    with tx(app) as s:
        page = revisions.get_page(s, Title.new("Aller"))
        assert revisions.page_text(s, page) == "Le texte." and not page.is_redirect
        assert revisions.page_text(s, revisions.get_page(s, Title.new("Retour"))) == \
            "#REDIRECTION [[Aller]]"
        assert changes.log_entries(s, "delete", Title.new("Aller"))[0].action == "delete_redir"
    _save(app, people["anna"], "Retour", "Une vraie page maintenant.")
    with pytest.raises(PageExists):
        with tx(app) as s:
            pageops.move_page(s, Title.new("Aller"), Title.new("Retour"),
                              s.get(User, people["anna"]))
