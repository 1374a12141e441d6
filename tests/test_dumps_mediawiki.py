"""Interoperability with real MediaWiki 1.39 (../shared/oracle/mediawiki.sh): MediaWiki's
importDump.php takes our export with every page and revision intact, its dumpBackup.php
output comes back into our wiki unchanged, and ours → MediaWiki → ours loses nothing."""
from __future__ import annotations

import io
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import require
from dumps.export import Selection, export_dump
from dumps.loader import ImportOptions, import_dump
from dumps.reader import DumpReader

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ORACLE = SHARED / "oracle" / "mediawiki.sh"
CORPUS = SHARED / "corpus" / "dumps"
#: Real dumps without hidden contributors (MediaWiki's importer turns those into
#: "imported>Unknown user", so they cannot survive a round trip through it).
SOURCES = ["enwiki-anarchism-history-first200revs.0.4.xml.bz2", "pywikibot-article-pyrus.xml",
           "pywikibot-pair-0.10.xml", "pywikibot-dummy-template.xml"]


def _oracle(*args: str, stdout=None) -> str:  # type: ignore[no-untyped-def]
    result = subprocess.run(["bash", str(ORACLE), *args], check=True, text=True,
                            stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=900)
    return result.stdout or ""


@pytest.fixture
def mediawiki(tmp_path: Path):  # type: ignore[no-untyped-def]
    require(ORACLE.exists() and shutil.which("php") is not None
            and Path("/usr/share/mediawiki").exists(), "MediaWiki 1.39 and php",
            "bash ../shared/oracle/mediawiki.sh install")
    datadir = tmp_path / "mw"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _oracle("start", str(port), str(datadir))  # installs the wiki into datadir
    _oracle("stop", str(datadir))
    yield datadir
    _oracle("reset", str(datadir))


def _export(app) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with app.app_context(), app.extensions["db_sessionmaker"]() as session:
        export_dump(app, session, out, Selection(full=True))
    return out.getvalue()


def _content(data: bytes, skip: set[str] = frozenset()) -> dict:  # type: ignore[assignment]
    """(namespace, title without prefix) → revisions without ids."""
    pages = {}
    with DumpReader(io.BytesIO(data), name="dump") as reader:
        for page, revisions in reader.pages():
            name = page.title.split(":", 1)[1] if page.ns else page.title
            if (page.ns, name) in skip:
                continue
            pages[(page.ns, name)] = [
                (r.timestamp, r.contributor.username, r.contributor.ip, r.minor,
                 r.comment or None, r.text, r.computed_sha1()) for r in revisions]
    return pages


def test_round_trip_through_mediawiki(app, app_config: dict, tmp_path: Path, mediawiki) -> None:
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")
    with app.app_context():
        for name in SOURCES:
            report = import_dump(app, CORPUS / name, ImportOptions(refresh_links=False))
            assert not report.problems, report.problems
    ours = _export(app)
    ours_file = tmp_path / "ours.xml"
    ours_file.write_bytes(ours)
    mine = _content(ours, {(0, "Accueil")})
    assert sum(len(r) for r in mine.values()) == 200 + 6 + 4 + 3

    _oracle("php", str(mediawiki), "importDump.php", str(ours_file))
    theirs_file = tmp_path / "theirs.xml"
    with open(theirs_file, "w") as handle:
        _oracle("php", str(mediawiki), "dumpBackup.php", "--full", "--quiet", stdout=handle)
    theirs = _content(theirs_file.read_bytes(), {(0, "Main Page"), (0, "Accueil")})
    # MediaWiki imported every page and revision intact (text, timestamps, contributors,
    # comments, minor flags)
    assert sorted(theirs) == sorted(mine)
    for key, revisions in mine.items():
        assert len(theirs[key]) == len(revisions), key
        for ours_rev, their_rev in zip(revisions, theirs[key]):
            assert their_rev == ours_rev, (key, [
                (i, a, b) for i, (a, b) in enumerate(zip(ours_rev, their_rev)) if a != b])

    # and MediaWiki's dump comes back into a second wiki of ours unchanged
    from wikiengine import create_app
    from wikiengine.store import setup

    second_config = dict(app_config, INSTANCE_PATH=str(tmp_path / "second"),
                         DATABASE_URL=f"sqlite:///{tmp_path / 'second.db'}")
    second = create_app(second_config)
    setup.init_instance(second)
    with second.app_context():
        report = import_dump(second, theirs_file, ImportOptions(refresh_links=False))
    # + MediaWiki's Main Page and our own Accueil, which went there and back too
    assert report.imported == sum(len(r) for r in mine.values()) + 2
    assert _content(_export(second), {(0, "Accueil"), (0, "Main Page")}) == mine
