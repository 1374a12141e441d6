"""The dump reader on every file of ../shared/corpus/dumps and on hostile input
(tests/data/dumps): real dumps read fully with the counts of the corpus manifest, broken ones
refused with a message naming the problem and its position."""
from __future__ import annotations

import bz2
import json
from pathlib import Path

import pytest

from conftest import require
from dumps.reader import DumpReader, read_pages
from dumps.records import DumpError, PageRecord, RevisionRecord, SiteInfo, base36_sha1

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "dumps"
DATA = Path(__file__).parent / "data" / "dumps"
MANIFEST = json.loads((CORPUS / "MANIFEST.json").read_text("utf-8")) if CORPUS.exists() else []

#: Files that are not dumps at all: refused with these words in the message.
REFUSED = {
    "mediawiki-1.39-import-tests/BadXML.xml": "Opening and ending tag mismatch",
    "mediawiki-1.39-import-tests/MissingMediaWikiTag.xml": "expected a <mediawiki> root element, got <head>",
    "mediawiki-1.39-import-tests/README.md": "malformed XML",
    "mediawiki-1.39-dumps-tests/README.md": "malformed XML",
    "pywikibot-article-pyrus.xml_invalid.7z": "not a valid 7z archive",
}


def _is_template(entry: dict) -> bool:
    """MediaWiki's expected-output fixtures: a <test:data> root with {{placeholders}}."""
    return entry["file"].startswith("mediawiki-1.39-") and entry["stats"].get(
        "bare_page_fragment") is True or entry["file"].endswith(("SiteInfo.0.10.xml",
                                                                 "SiteInfo.0.11.xml"))


def _corpus() -> None:
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")


def _count(path: Path) -> tuple[int, int, DumpReader]:
    pages = revisions = 0
    with DumpReader(path) as reader:
        for record in reader:
            if isinstance(record, PageRecord):
                pages += 1
            elif isinstance(record, RevisionRecord):
                revisions += 1
    return pages, revisions, reader


READABLE = [e for e in MANIFEST if e["file"] not in REFUSED and not _is_template(e)]
TEMPLATES = [e for e in MANIFEST if e["file"] not in REFUSED and _is_template(e)]


def test_corpus_is_classified() -> None:
    _corpus()
    assert len(READABLE) + len(TEMPLATES) + len(REFUSED) == len(MANIFEST) == 100
    assert len(READABLE) > 60


@pytest.mark.parametrize("entry", READABLE, ids=[e["file"] for e in READABLE])
def test_every_real_dump_is_read_fully(entry: dict) -> None:
    _corpus()
    stats = entry["stats"]
    pages, revisions, reader = _count(CORPUS / entry["file"])
    assert (pages, revisions) == (stats["pages"], stats["revisions"])
    assert reader.version == stats.get("version")
    assert reader.fragment == bool(stats.get("bare_page_fragment"))


@pytest.mark.parametrize("entry", TEMPLATES, ids=[e["file"] for e in TEMPLATES])
def test_mediawiki_test_templates_are_not_dumps(entry: dict) -> None:
    _corpus()
    with pytest.raises(DumpError) as info:
        _count(CORPUS / entry["file"])
    assert "got <test:data>" in str(info.value)
    assert info.value.line == 1


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_broken_files_are_refused_with_the_problem(name: str) -> None:
    _corpus()
    with pytest.raises(DumpError) as info:
        _count(CORPUS / name)
    assert REFUSED[name] in str(info.value)
    assert Path(name).name in str(info.value)
    if name.endswith(".xml"):
        assert info.value.line is not None


def test_bad_xml_position_is_mediawikis() -> None:
    _corpus()
    with pytest.raises(DumpError) as info:
        _count(CORPUS / "mediawiki-1.39-import-tests/BadXML.xml")
    assert info.value.line == 3  # MediaWiki: "XML error at line 3: Opening and ending tag mismatch"


def test_containers_and_encodings_give_identical_records() -> None:
    _corpus()
    plain = read_pages(CORPUS / "pywikibot-article-pyrus.xml")
    assert len(plain) == 1 and len(plain[0][1]) == 6
    for variant in (".bz2", ".gz", ".xz", ".lzma", ".7z"):
        assert read_pages(CORPUS / f"pywikibot-article-pyrus.xml{variant}") == plain, variant
    utf16 = read_pages(CORPUS / "pywikibot-article-pyrus-utf16.xml")
    assert [(p.title, [r.text for r in revs]) for p, revs in utf16] == \
        [(p.title, [r.text for r in revs]) for p, revs in plain]
    assert read_pages(CORPUS / "pywikibot-article-pyrus-utf16.xml.bz2") == utf16


def test_seven_zip_full_history_equals_bz2() -> None:
    _corpus()
    a = read_pages(CORPUS / "aawiki-20260101-pages-meta-history.xml.7z")
    b = read_pages(CORPUS / "aawiki-20260101-pages-meta-history.xml.bz2")
    assert a == b and sum(len(r) for _, r in a) == 1307


def test_real_dump_fields() -> None:
    _corpus()
    with DumpReader(CORPUS / "aawiki-20260101-pages-meta-history.xml.bz2") as reader:
        records = list(reader)
    info = records[0]
    assert isinstance(info, SiteInfo)
    assert info.dbname == "aawiki" and info.case == "first-letter"
    assert {ns.key: ns.name for ns in info.namespaces}[828] == "Module"
    revisions = [r for r in records if isinstance(r, RevisionRecord)]
    # every text matches the sha1 the dump declares; the byte counts too, except 202 mass
    # messages of 2015 whose rev_len on Wikimedia is one more than their sha1-verified text
    for rev in revisions:
        assert rev.text is not None
        assert base36_sha1(rev.text) == rev.text_sha1 == rev.sha1
    wrong = [r for r in revisions if len(r.text.encode("utf-8")) != r.text_bytes]
    assert len(wrong) == 202
    assert {(r.text_bytes - len(r.text.encode("utf-8")), r.timestamp[:4]) for r in wrong} == {
        (1, "2015")}
    first = revisions[0]
    assert first.id == 1269 and first.timestamp == "2005-07-07T15:31:37Z"
    assert first.contributor.username == "Arde~aawiki" and first.contributor.user_id == 55
    assert first.comment is None and first.text.startswith("__NOTOC__\n<!---the first")
    assert any(r.contributor.ip for r in revisions)
    assert any(r.minor for r in revisions)
    pages = [r for r in records if isinstance(r, PageRecord)]
    assert any(p.redirect for p in pages)


def test_old_schema_namespace_comes_from_the_title() -> None:
    _corpus()
    (page, revisions), = read_pages(CORPUS / "enwiki-anarchism-history-first200revs.0.4.xml.bz2")
    assert (page.title, page.ns, page.id) == ("Anarchism", 0, 12)
    assert revisions[0].id == 233194 and revisions[0].parent_id is None
    pages = read_pages(CORPUS / "pywikibot-pair-0.10.xml")
    assert all(isinstance(p.ns, int) for p, _ in pages)


def test_stub_dump_has_pages_without_text() -> None:
    _corpus()
    pages = read_pages(CORPUS / "wikiclean-single-page-exports/article-stubs.xml.bz2")
    assert [p.title for p, _ in pages] == [f"Article{i}" for i in range(1, 6)]


@pytest.mark.parametrize("name,words,line", [
    ("entity-bomb.xml", "DOCTYPE", 9),
    ("external-entity.xml", "DOCTYPE", 5),
    ("external-dtd.xml", "DOCTYPE", 3),
    ("undeclared-entity.xml", "Entity 'nbsp' not defined", 10),
    ("wrong-schema.xml", "unsupported export schema version '2.0'", 1),
    ("bad-timestamp.xml", "invalid <timestamp> 'yesterday'", 8),
    ("bad-id.xml", "<ns> is not a number: 'zero'", 4),
])
def test_hostile_input_is_refused(name: str, words: str, line: int) -> None:
    with pytest.raises(DumpError) as info:
        _count(DATA / name)
    assert words in str(info.value)
    assert info.value.line == line


def test_external_entity_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    text = (DATA / "external-entity.xml").read_text().replace("file:///etc/passwd", secret.as_uri())
    path = tmp_path / "leak.xml"
    path.write_text(text)
    with pytest.raises(DumpError) as info:
        _count(path)
    assert "TOP-SECRET" not in str(info.value)


def test_truncated_files(tmp_path: Path) -> None:
    _corpus()
    data = (CORPUS / "aawiki-20260101-pages-meta-history.xml.bz2").read_bytes()
    cut = tmp_path / "cut.xml.bz2"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DumpError) as info:
        _count(cut)
    assert "truncated" in str(info.value) and "bz2" in str(info.value)
    xml = bz2.decompress(data)
    cut_xml = tmp_path / "cut.xml"
    cut_xml.write_bytes(xml[: len(xml) // 2])
    with pytest.raises(DumpError) as info:
        _count(cut_xml)
    assert "truncated" in str(info.value) and info.value.line and info.value.line > 1000


def test_huge_text_node_is_refused(tmp_path: Path) -> None:
    text = (DATA / "undeclared-entity.xml").read_text().replace("&nbsp;", "x" * 11_000_000)
    path = tmp_path / "huge.xml"
    path.write_text(text)
    with pytest.raises(DumpError) as info:
        _count(path)
    assert "Text node too long" in str(info.value) or "huge" in str(info.value)
    assert info.value.line == 10


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(DumpError):
        _count(empty)
    with pytest.raises(DumpError) as info:
        _count(tmp_path / "nothing.xml")
    assert "cannot open" in str(info.value)


def test_open_file_object_is_accepted() -> None:
    _corpus()
    with open(CORPUS / "pywikibot-article-pyrus.xml.gz", "rb") as handle:
        with DumpReader(handle) as reader:
            assert sum(isinstance(r, RevisionRecord) for r in reader) == 6
