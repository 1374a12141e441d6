"""bots.journee without a wiki: the topics CSV (errors with line numbers, good lines kept), the
wikitext blocks kept across re-runs, the SVG charts accepted by the upload checks, the follow
loop's backoff, the command line's errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bots.journee import charts, pages
from bots.journee.cli import duration, parse
from bots.journee.activity import Activity, PageFacts
from bots.journee.bot import Journee, JourneeError
from bots.journee.topics import TopicsError, read_topics
from bots.journee.wikitext import Day, landing, replace_block, topics_from_landing

DATA = Path(__file__).resolve().parent / "data" / "journee"


def test_good_csv() -> None:
    found = read_topics(DATA / "topics_good.csv")
    assert found.errors == []
    assert [t.title for t in found.topics] == ["Lavoir du Pilier Rouge", "Lavoir de Kerinou", "Lavoir de Lambézellec"]
    assert found.topics[0].coords == (48.4012, -4.4785) and found.topics[0].category == "Lavoirs de Brest"
    assert found.topics[2].coords is None and found.topics[2].extra == {"architecte": "Inconnu"}


def test_bad_csv_lines_reported_with_their_number_good_lines_kept() -> None:
    found = read_topics(DATA / "topics_bad.csv")
    assert [t.title for t in found.topics] == ["Lavoir de Recouvrance", "Lavoir de Saint-Pierre"]
    numbers = [int(e.split(" ")[1]) for e in found.errors]
    assert numbers == [3, 4, 5, 7, 8, 9], found.errors
    text = "\n".join(found.errors)
    assert "encodage" in text and "double" in text and "hors de la Terre" in text and "illisibles" in text
    assert "titre invalide" in text and "5 valeurs pour 3 colonnes" in text


def test_missing_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(TopicsError, match="ligne 1 : colonne.*titre"):
        read_topics(DATA / "topics_no_title.csv")
    (tmp_path / "vide.csv").write_bytes(b"")
    with pytest.raises(TopicsError, match="vide"):
        read_topics(tmp_path / "vide.csv")
    with pytest.raises(TopicsError, match="illisible"):
        read_topics(tmp_path / "absent.csv")


def test_landing_rerun_keeps_what_people_wrote() -> None:
    day = Day(theme="Lavoirs", date="2026-03-08", place="Médiathèque")
    first = landing(day, ["A"])
    assert first.count("<inputbox>") == 1 and "preload=Modèle:Wiki-journée Lavoirs/Nouvelle page" in first
    people = first.replace("<!-- /journee:inscription -->", "<!-- /journee:inscription -->\n# Anna ~~~")
    second = landing(day, ["A", "B"], people)
    assert "# Anna ~~~" in second and topics_from_landing(second) == ["A", "B"]
    assert landing(day, ["A", "B"], second) == second
    assert second.count("== Sujets ==") == 1
    assert replace_block("x", "tableau", "y") == replace_block(replace_block("x", "tableau", "z"), "tableau", "y")


def test_svg_charts_pass_the_upload_checks() -> None:
    from wikiengine.files.verify import verify  # the engine's own checks: the test's oracle, not the bot's

    start = dt.datetime(2026, 3, 8, tzinfo=dt.timezone.utc)
    data = charts.hourly("Activité <&>", start, start + dt.timedelta(days=1),
                         [start + dt.timedelta(hours=9, minutes=5), start + dt.timedelta(hours=9, minutes=40)])
    assert verify(data, "a.svg").mime == "image/svg+xml"
    assert b'data-hour="09" data-count="2"' in data and b"&lt;&amp;&gt;" in data
    people = charts.per_person("Contributions", [("Anna \"A\" <x>", 3, 1), ("Bob", 1, 0)])
    assert verify(people, "b.svg").mime == "image/svg+xml"
    assert b'data-user="Bob" data-count="1"' in people


def test_follow_backs_off_and_resumes() -> None:
    journee = object.__new__(Journee)
    calls: list[str] = []
    waits: list[float] = []

    def once() -> Activity:
        calls.append("x")
        if len(calls) in (2, 3, 4):
            raise ConnectionError("connection refused")
        return Activity(dt.datetime.now(), dt.datetime.now(), pages=[PageFacts("A", exists=False)])
    journee.follow_once = once  # type: ignore[method-assign]
    assert journee.follow(60, cycles=3, retry_wait=5, sleep=waits.append) == 3
    assert waits == [60, 5, 10, 20, 60]


def test_command_line_errors() -> None:
    assert duration("5m") == 300 and duration("30s") == 30 and duration("1h") == 3600
    with pytest.raises(JourneeError, match="durée"):
        duration("bientôt")
    with pytest.raises(JourneeError, match="commande"):
        parse(["publier", "--theme", "x", "--date", "2026-03-08"])
    with pytest.raises(JourneeError, match="--date"):
        parse(["prepare", "--theme", "x", "--date", "08/03/2026"])
    with pytest.raises(JourneeError, match="inconnue"):
        parse(["prepare", "--theme=x", "--date=2026-03-08", "--couleur=bleu"])
    assert parse(["follow", "-theme:Jardins partagés", "--date", "2026-03-08", "--cycles=2", "-page:Kerinou"]) == \
        ("follow", {"theme": "Jardins partagés", "date": "2026-03-08", "cycles": "2"}, ["-page:Kerinou"])


def test_extract_and_map() -> None:
    text = (DATA / "pilier.wiki").read_text(encoding="utf-8")
    para = pages.extract(text)
    assert para.startswith("Le lavoir du Pilier Rouge est un lavoir public") and "<ref" not in para
    assert pages.map_markup([(48.4, -4.48, "A")]) == "{{#display_map:48.4,-4.48~A~[[A]]|height=400}}"


def test_no_pywikibot_configuration(tmp_path: Path) -> None:
    from bots_harness import run_bot

    (tmp_path / "pwb").mkdir()
    rc, out = run_bot(tmp_path / "pwb", "bots.journee", "report", "--theme", "Lavoirs", "--date", "2026-03-08")
    assert rc == 2 and "pas de user-config.py" in out and "Traceback" not in out, out
