"""create_app: every subsystem is wired in a plain app (no test calls its init_app by hand)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", [
    "/wiki/Spécial:Exporter",          # dumps.web
    "/wiki/Spécial:Recherche",         # search
    "/wiki/Spécial:Version",           # registry
    "/wiki/Spécial:Modifications_récentes",  # views
    "/w/api.php?action=query&meta=siteinfo&format=json",  # api
])
def test_subsystem_pages_answer(client, path: str) -> None:
    response = client.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == 200, (path, response.status_code)


def test_import_page_exists_and_needs_the_right(client) -> None:
    assert client.get("/wiki/Spécial:Importation").status_code == 403


def test_instance_settings_come_from_the_environment(monkeypatch, tmp_path) -> None:
    from wikiengine import create_app

    monkeypatch.setenv("WIKIENGINE_INSTANCE", str(tmp_path))
    monkeypatch.setenv("WIKIENGINE_SITENAME", "Wiki-Brest")
    monkeypatch.setenv("WIKIENGINE_DATABASE_URL", f"sqlite:///{tmp_path / 'autre.db'}")
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["SITENAME"] == "Wiki-Brest"
    assert app.config["DATABASE_URL"].endswith("autre.db")
    assert (tmp_path / "secret_key").exists()
