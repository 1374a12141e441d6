"""Tests for wikiengine.search.cli: ``wikiengine rebuild-search`` and ``wikiengine search``."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from wikiengine import search
from wikiengine.cli import main
from wikiengine.db import session_scope
from wikiengine.store import revisions, users
from wikiengine.title import Title


@pytest.fixture
def runner(app, app_config, monkeypatch) -> CliRunner:
    """A CLI runner whose ``create_app()`` opens the test instance."""
    monkeypatch.setenv("WIKIENGINE_INSTANCE", app_config["INSTANCE_PATH"])
    monkeypatch.setenv("WIKIENGINE_DATABASE_URL", app_config["DATABASE_URL"])
    with session_scope(app) as session:
        user = users.create_user(session, "Bibliothécaire", "un mot de passe solide")
    with app.app_context(), session_scope(app) as session:
        user = users.get_user(session, "Bibliothécaire")
        revisions.save_page(session, Title.new("Lavoir de Kerinou"),
                            "Le '''lavoir''' de Kerinou, près du ruisseau.", user)
        revisions.save_page(session, Title.new("Modèle:Lavoir"), "Un modèle sur les lavoirs.",
                            user)
    assert search.flush(app=app)
    search_state = app.extensions["search"]
    search_state.backend.close()
    return CliRunner()


def test_search_prints_ranked_titles_with_snippets(runner) -> None:
    result = runner.invoke(main, ["search", "lavoirs"])
    assert result.exit_code == 0, result.output
    lines = sorted(result.stdout.splitlines())
    assert lines == ["Lavoir de Kerinou\tLe [lavoir] de Kerinou, près du ruisseau.",
                     "Modèle:Lavoir\tUn modèle sur les [lavoirs]."]
    assert "1-2 of 2 results" in result.stderr
    ranked = runner.invoke(main, ["search", "lavoir", "kerinou"]).stdout.splitlines()
    assert [line.split("\t")[0] for line in ranked] == ["Lavoir de Kerinou"]


def test_search_namespace_and_limit(runner) -> None:
    result = runner.invoke(main, ["search", "lavoir", "--namespace", "10", "--limit", "1"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Modèle:Lavoir\tUn modèle sur les [lavoirs]."]


def test_search_bad_query_exits_with_a_message(runner) -> None:
    result = runner.invoke(main, ["search", "*"])
    assert result.exit_code == 2 and "error:" in result.stderr
    result = runner.invoke(main, ["search", "x" * 10_000])
    assert result.exit_code == 2 and "too long" in result.stderr


def test_rebuild_search_then_search_after_losing_the_index(runner, app_config) -> None:
    shutil.rmtree(f"{app_config['INSTANCE_PATH']}/search-index")
    result = runner.invoke(main, ["search", "kerinou"])
    assert result.exit_code == 0 and "missing" in result.stderr
    assert result.stdout.startswith("Lavoir de Kerinou\t")
    result = runner.invoke(main, ["rebuild-search", "--quiet"])
    assert result.exit_code == 0
    assert "search index rebuilt: 3 pages" in result.stdout
