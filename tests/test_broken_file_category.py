"""The tracking category ``broken-file-category`` (Parser::makeImage and
TraditionalImageGallery): a page showing a missing file, inline or in a gallery, is put in
"Pages avec des liens de fichiers brisés" (French site) or "Pages with broken file links"
(English site), and leaves it once the file is uploaded and the page rendered again."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from files_helpers import jpeg
from wikiengine import db
from wikiengine.models import CategoryLink, Page
from wikiengine.store import derived, revisions, users
from wikiengine.title import Title

DATA = Path(__file__).parent / "data" / "broken_file"
FR = "Pages_avec_des_liens_de_fichiers_brisés"
EN = "Pages_with_broken_file_links"


def _save(app, title: str, text: str) -> int:  # type: ignore[no-untyped-def]
    with app.test_request_context(), db.session_scope(app) as s:
        user = users.get_user(s, "Scribe") or users.create_user(s, "Scribe", "pw")
        return revisions.save_page(s, Title.new(title), text, user).page.page_id


def _categories(app, page_id: int) -> set[str]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as s:
        return {r.to for r in s.scalars(select(CategoryLink).where(CategoryLink.from_id == page_id))}


def _upload(app, name: str) -> None:  # type: ignore[no-untyped-def]
    from wikiengine.files import service

    with app.test_request_context(), db.session_scope(app) as s:
        user = users.get_user(s, "Admin") or users.create_user(s, "Admin", "pw", ("sysop",))
        result = service.upload(s, user, name, jpeg(40, 30), comment="photo", ignore_warnings=True)
        assert result.result == "Success"


def _refresh(app) -> None:  # type: ignore[no-untyped-def]
    """Render every page again (``refresh-links``), as a purge with links update would."""
    with app.test_request_context(), db.session_scope(app) as s:
        derived.refresh_all(s)


@pytest.mark.parametrize("source", ["inline.wikitext", "gallery.wikitext"])
def test_missing_file_tracked_until_uploaded_french(app, source: str) -> None:
    page_id = _save(app, "Lavoir de Kerinou", (DATA / source).read_text("utf-8"))
    assert _categories(app, page_id) == {FR}
    html = app.test_client().get("/wiki/Lavoir_de_Kerinou").get_data(as_text=True)
    assert "Pages avec des liens de fichiers brisés" in html
    _upload(app, "Lavoir absent.jpg")
    _refresh(app)
    assert _categories(app, page_id) == set()
    # a page showing a file that exists is never in the category
    other = _save(app, "Lavoir bis", (DATA / source).read_text("utf-8"))
    assert _categories(app, other) == set()


def test_plain_link_to_missing_file_is_not_tracked(app) -> None:
    page_id = _save(app, "Lien", "[[:Fichier:Lavoir absent.jpg]] [[Média:Lavoir absent.jpg]]")
    assert FR not in _categories(app, page_id)


@pytest.fixture
def english_config(app_config: dict) -> dict:
    app_config["LANGUAGE"] = "en"
    return app_config


def test_missing_file_tracked_until_uploaded_english(english_config: dict, app) -> None:
    page_id = _save(app, "Wash-house", (DATA / "inline_en.wikitext").read_text("utf-8"))
    assert _categories(app, page_id) == {EN}
    with app.app_context(), db.session_scope(app) as s:
        assert s.get(Page, page_id) is not None
    _upload(app, "Lavoir absent.jpg")
    _refresh(app)
    assert _categories(app, page_id) == set()
