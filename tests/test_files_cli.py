"""``wikiengine import-images``: a folder of photos becomes files of the wiki with the same
checks as Special:Upload; refused files are named with the reason, others still imported."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from files_helpers import jpeg, png
from wikiengine.cli import main


@pytest.fixture
def runner(app, app_config, monkeypatch) -> CliRunner:
    from wikiengine.db import session_scope
    from wikiengine.store import users

    monkeypatch.setenv("WIKIENGINE_INSTANCE", app_config["INSTANCE_PATH"])
    monkeypatch.setenv("WIKIENGINE_DATABASE_URL", app_config["DATABASE_URL"])
    with session_scope(app) as session:
        users.create_user(session, "Animatrice", "un mot de passe solide")
    return CliRunner()


def test_import_folder(app, runner, tmp_path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "Lavoir 1.jpg").write_bytes(jpeg(gps=(48.39, -4.48)))
    (folder / "Plan.png").write_bytes(png())
    (folder / "Faux.png").write_bytes(jpeg())  # lies about its type
    (folder / "notes.txt").write_text("pas une image")
    result = runner.invoke(main, ["import-images", str(folder), "--user", "Animatrice",
                                  "--licence", "cc0", "--author", "Club photo"])
    assert result.exit_code == 1, result.output
    assert "2 imported, 0 skipped, 1 refused" in result.output
    assert "refused  Faux.png" in result.output and "MIME" in result.output
    again = runner.invoke(main, ["import-images", str(folder), "--user", "Animatrice"])
    assert "0 imported, 2 skipped, 1 refused" in again.output
    from api_helpers import api

    client = app.test_client()
    files = api(client, action="query", list="allimages")["query"]["allimages"]
    assert [f["name"] for f in files] == ["Lavoir_1.jpg", "Plan.png"]
    page = client.get("/wiki/Fichier:Lavoir_1.jpg").get_data(as_text=True)
    assert "CC0 1.0" in page and "Club photo" in page and 'data-lat="48.39' in page


def test_import_unknown_user_or_licence(app, runner, tmp_path) -> None:
    result = runner.invoke(main, ["import-images", str(tmp_path), "--user", "Personne"])
    assert result.exit_code == 2 and "no user named" in result.output
    result = runner.invoke(main, ["import-images", str(tmp_path), "--user", "Animatrice",
                                  "--licence", "copyright"])
    assert result.exit_code == 2 and "unknown licence" in result.output
