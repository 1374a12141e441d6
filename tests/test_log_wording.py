"""Special:Log wording (``views.special_changes.LOG_ACTIONS``): every type/action pair the
wiki writes reads as a sentence in French and English (MediaWiki's ``logentry-*`` words),
never as a raw ``type/action`` key; the import log is listed and filterable."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dumps.loader import ImportOptions, import_dump

DATA = Path(__file__).parent / "data"
PAIRS = [line.split() for line in (DATA / "log" / "written_pairs.txt").read_text("utf-8")
         .splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("pair,dest", PAIRS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_written_pair_reads_as_a_sentence(app, pair: str, dest: str, lang: str) -> None:
    from wikiengine.views.special_changes import LOG_ACTIONS, log_line

    kind, action = pair.split("/")
    assert (kind, action) in LOG_ACTIONS
    params = json.dumps({"4::target": dest.replace("_", " ")} if dest != "-" else {})
    entry = SimpleNamespace(type=kind, action=action, namespace=0, title="Rue_de_Siam",
                            params=params)
    with app.test_request_context(f"/wiki/Accueil?uselang={lang}"):
        line = log_line(entry)
    assert pair not in line and "Rue de Siam" in line
    if dest != "-":
        assert dest.replace("_", " ") in line
    english = LOG_ACTIONS[(kind, action)] % {"target": "Rue de Siam",
                                              "dest": dest.replace("_", " ")}
    assert (line == english) == (lang == "en")  # French is MediaWiki's fr.json wording


def test_import_log_on_special_log(app, client) -> None:
    with app.app_context():
        import_dump(app, DATA / "dumps" / "interleaved-1.xml",
                    ImportOptions(refresh_links=False, update_search=False))
    fr = client.get("/wiki/Spécial:Journal?uselang=fr").get_data(as_text=True)
    assert "par téléversement de fichier" in fr and "import/upload" not in fr
    en = client.get("/wiki/Spécial:Journal/import?uselang=en").get_data(as_text=True)
    assert "by file upload" in en and "import/upload" not in en
    assert "Import log" in en
    assert "Journal des importations" in client.get(
        "/wiki/Spécial:Journal?uselang=fr").get_data(as_text=True)
