"""``wikiengine import-dump`` / ``export-dump`` on a fresh instance, and the progress line."""
from __future__ import annotations

import bz2
import gzip
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import require
from dumps.progress import Progress, human_bytes, human_duration
from dumps.reader import read_pages
from wikiengine.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dumps"
DATA = Path(__file__).parent / "data" / "dumps"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("WIKIENGINE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("WIKIENGINE_DATABASE_URL", raising=False)
    return CliRunner()


def test_import_then_export(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["import-dump", str(DATA / "bad-pages.xml"), "--prefix", "src"])
    assert result.exit_code == 0, result.output
    assert "imported 4 revisions (2 new pages, 0 updated)" in result.output
    assert "namespace 828 (Module) does not exist" in result.output
    out = tmp_path / "wiki.xml.gz"
    result = runner.invoke(main, ["export-dump", str(out), "--full", "--namespace", "0"])
    assert result.exit_code == 0, result.output
    assert not Path(str(out) + ".part").exists()
    with gzip.open(out) as handle:
        assert handle.read(10) == b"<mediawiki"
    pages = {p.title: revs for p, revs in read_pages(out)}
    # revisions 41, 44 and 45 (41 again, 42 and 43 are refused); 45's author is hidden
    assert [r.contributor.ip or r.contributor.username for r in pages["Good page"]] == [
        "192.0.2.1", "src>Alice", None]
    assert pages["Good page"][2].contributor.deleted
    again = runner.invoke(main, ["import-dump", str(DATA / "bad-pages.xml"), "--prefix", "src"])
    assert "imported 0 revisions" in again.output and "4 already present" in again.output


def test_export_selections(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["import-dump", str(DATA / "bad-pages.xml")])
    listing = tmp_path / "pages.txt"
    listing.write_text("# chosen\nGood page\nModèle:Box\n", "utf-8")
    out = tmp_path / "some.xml.bz2"
    result = runner.invoke(main, ["export-dump", str(out), "--pages", str(listing)])
    assert result.exit_code == 0, result.output
    assert bz2.open(out).read(10) == b"<mediawiki"
    assert sorted(p.title for p, _ in read_pages(out)) == ["Good page", "Modèle:Box"]
    result = runner.invoke(main, ["export-dump", "-", "--category", "Imported", "--since",
                                  "2024-01-05"])
    assert result.exit_code == 0
    assert "<title>Good page</title>" in result.output and "Modèle:Box" not in result.output
    result = runner.invoke(main, ["export-dump", "-", "--namespace", "Modèle"])
    assert "<title>Modèle:Box</title>" in result.output and "Good page" not in result.output
    bad = runner.invoke(main, ["export-dump", "-", "--pages", str(listing), "--title", "X"])
    assert bad.exit_code != 0 and "cannot be used together" in bad.output
    bad = runner.invoke(main, ["export-dump", "-", "--since", "last week"])
    assert bad.exit_code != 0 and "not an ISO date" in bad.output
    bad = runner.invoke(main, ["export-dump", "-", "--namespace", "Nowhere"])
    assert bad.exit_code != 0 and "unknown namespace" in bad.output


def test_refused_file_and_dry_run(runner: CliRunner, tmp_path: Path) -> None:
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")
    result = runner.invoke(main, ["import-dump", str(CORPUS / "pywikibot-article-pyrus.xml_invalid.7z")])
    assert result.exit_code == 1 and "not a valid 7z archive" in result.output
    result = runner.invoke(main, ["import-dump", str(CORPUS / "pywikibot-article-pyrus.xml.7z"),
                                  "--dry-run"])
    assert result.exit_code == 0 and "would import 6 revisions" in result.output
    mapping = tmp_path / "users.tsv"
    mapping.write_text("Melburnian\tNobody here\n", "utf-8")
    result = runner.invoke(main, ["import-dump", str(CORPUS / "pywikibot-article-pyrus.xml"),
                                  "--user-map", str(mapping)])
    assert result.exit_code == 1 and "do not exist here: Nobody here" in result.output


def test_progress_line_rate_and_eta() -> None:
    ticks = iter([0.0, 10.0, 10.0, 20.0, 20.0])
    stream = io.StringIO()
    shown = Progress("import", stream, interval=5, clock=lambda: next(ticks))
    shown.update(50, 1000, 2_500_000, 0.25)
    shown.update(100, 3000, 5_000_000, 0.5)
    lines = stream.getvalue().splitlines()
    assert lines[0] == ("import: 50 pages, 1,000 revisions, 2.5 MB, 100 rev/s, 25% ETA 0:00:30")
    assert lines[1] == ("import: 100 pages, 3,000 revisions, 5.0 MB, 150 rev/s, 50% ETA 0:00:20")
    assert human_bytes(999) == "999 B" and human_bytes(1_500_000_000) == "1.5 GB"
    assert human_duration(3725) == "1:02:05"


def test_progress_rewrites_one_line_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    now = [0.0]
    shown = Progress("export", stream, clock=lambda: now[0])
    now[0] = 1.0
    shown.update(1, 10, 100, None)
    now[0] = 1.1
    shown.update(2, 20, 200, None)  # 0.1 s later: not shown
    now[0] = 3.0
    shown.finish(3, 30, 300)
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and "\n" not in text[:-1]
    assert "3 pages, 30 revisions, 300 B" in text and "100% ETA 0:00:00" in text
