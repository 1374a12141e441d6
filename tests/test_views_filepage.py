"""A File: page whose description page is missing but whose file exists (an upload whose
page was lost, an import of files only) shows the file's parts with status 200, as
MediaWiki's ImagePage does; a missing file is still a 404."""
from __future__ import annotations

from sqlalchemy import delete, select

from files_helpers import jpeg
from views_helpers import login, make_user


def _upload_without_description(app, name: str) -> None:  # type: ignore[no-untyped-def]
    from wikiengine.db import session_scope
    from wikiengine.files import service
    from wikiengine.models import Page, Revision
    from wikiengine.store import users

    with app.test_request_context(), session_scope(app) as s:
        user = users.get_user(s, "Alice")
        assert service.upload(s, user, name, jpeg(80, 60), comment="photo",
                              ignore_warnings=True).result == "Success"
    with session_scope(app) as s:  # the description page goes, the file stays
        page_id = s.scalar(select(Page.page_id).where(Page.namespace == 6, Page.title == name))
        s.execute(delete(Revision).where(Revision.page_id == page_id))
        s.execute(delete(Page).where(Page.page_id == page_id))


def test_file_without_description_page_shows_the_file(app, client) -> None:  # type: ignore[no-untyped-def]
    make_user(app, "Alice")
    _upload_without_description(app, "Lavoir_orphelin.jpg")
    response = client.get("/wiki/Fichier:Lavoir_orphelin.jpg")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="file"' in body and 'id="filehistory"' in body and "Lavoir_orphelin.jpg" in body
    assert "noarticletext" not in body
    login(client, "Alice")
    body = client.get("/wiki/Fichier:Lavoir_orphelin.jpg").get_data(as_text=True)
    assert "Créer la page de description" in body and "action=edit" in body


def test_missing_file_and_missing_page_is_404(app, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/wiki/Fichier:Inexistant.jpg")
    assert response.status_code == 404
    assert "noarticletext" in response.get_data(as_text=True)
