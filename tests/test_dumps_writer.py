"""The schema 0.11 writer: every corpus dump read and written again validates against
export-0.11.xsd, reads back to the same records with our reader and with mwxml (the
reference Python reader), in plain, gzip and bzip2 files."""
from __future__ import annotations

import io
from pathlib import Path

import mwxml
import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

from conftest import require
from dumps.reader import DumpReader, read_pages
from dumps.records import (Contributor, Namespace, PageRecord, RevisionRecord, SiteInfo,
                           UploadRecord,
                           SlotRecord, base36_sha1, combined_sha1)
from dumps.writer import DumpWriter, clean_xml, open_output
from test_dumps_reader import CORPUS, READABLE

#: MediaWiki's ImportFailureTest fixtures: readable XML, refused by the importer.
IMPORT_FAILURES = {"MissingMainTextField", "MissingSlotTextField", "MissingSlotRole",
                   "UndefinedSlotRole", "UndefinedContentModel"}
SCHEMA_FILE = CORPUS.parent / "schema" / "export-0.11-local.xsd"


def _schema() -> etree.XMLSchema:
    require(SCHEMA_FILE.exists(), "../shared/corpus/schema", "the shared corpus beside the checkout")
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def _rewrite(path: Path) -> tuple[bytes, list[tuple[PageRecord, list[RevisionRecord]]]]:
    with DumpReader(path) as reader:
        pages = list(reader.pages())
        out = io.BytesIO()
        with DumpWriter(out, reader.siteinfo, lang=reader.lang or "en") as writer:
            for page, revisions in pages:
                writer.write_page(page, iter(revisions))
    return out.getvalue(), pages


def _essence(rev: RevisionRecord) -> tuple:
    who = rev.contributor
    return (rev.id, rev.parent_id, rev.timestamp, who.username, who.user_id or 0, who.ip,
            who.deleted, rev.minor, rev.comment or None, rev.text,
            rev.model or "wikitext", [(s.role, s.text or "") for s in rev.slots])


def _valid(schema: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log.filter_from_errors()[:3]


@pytest.mark.parametrize("entry", READABLE, ids=[e["file"] for e in READABLE])
def test_rewritten_corpus_validates_and_reads_back(entry: dict) -> None:
    schema = _schema()
    data, pages = _rewrite(CORPUS / entry["file"])
    # MediaWiki's failure fixtures have deliberately broken revisions (no slot role, no
    # text): the loader refuses them; here they must only read back unchanged
    broken = Path(entry["file"]).stem in IMPORT_FAILURES
    if not broken and all(r.id and r.id > 0 for _, revs in pages for r in revs):
        _valid(schema, data)
    elif not broken:  # wikiwho's dummy file numbers a revision 0, which the XSD forbids
        assert not schema.validate(etree.fromstring(data))
        lines = data.decode("utf-8").splitlines()
        assert all(lines[e.line - 1].strip() in ("<id>0</id>", "<origin>0</origin>")
                   for e in schema.error_log)
    again = list(DumpReader(io.BytesIO(data), name="rewritten").pages())
    assert [(p.title, p.ns, p.id) for p, _ in again] == [(p.title, p.ns, p.id) for p, _ in pages]
    for (_, old), (_, new) in zip(pages, again):
        assert [_essence(r) for r in new] == [_essence(r) for r in old]
        for rev in new:  # sizes and hashes are recomputed from the text
            if rev.text is not None and not broken:
                assert rev.text_bytes == len(rev.text.encode("utf-8"))
                assert rev.text_sha1 == base36_sha1(rev.text)
                assert rev.sha1 == rev.computed_sha1()


@pytest.mark.parametrize("name", [
    "aawiki-20260101-pages-meta-history.xml.bz2",
    "enwiki-anarchism-history-first200revs.0.4.xml.bz2",
    "pywikibot-article-pyrus-utf16.xml",
    "wikiwho-Finger_Lakes3_dummy.xml",
])
def test_mwxml_reads_what_we_write(name: str) -> None:
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")
    data, pages = _rewrite(CORPUS / name)
    dump = mwxml.Dump.from_file(io.BytesIO(data))
    seen = []
    for page in dump:
        for rev in page:
            seen.append((page.title, page.namespace, page.id, rev.id, rev.parent_id,
                         str(rev.timestamp), rev.user.text if rev.user else None,
                         rev.minor, rev.comment, rev.text or "", rev.sha1))  # mwxml: "" is None
    expected = []
    for page, revisions in pages:
        title = page.title
        for rev in revisions:
            who = rev.contributor
            expected.append((title, page.ns, page.id, rev.id, rev.parent_id, rev.timestamp,
                             who.username if who.username is not None else who.ip,
                             rev.minor, rev.comment or None, rev.text, rev.computed_sha1()))
    assert seen == expected


def test_mediawiki_sha1_values() -> None:
    # values from MediaWiki's own import fixtures (Basic, Slots)
    assert base36_sha1("Lorem ipsum dolor sit amet") == "6nfnbjxiegpvuooe4zsuf5h1610qbrt"
    assert base36_sha1("") == "phoiac9h4m842xq45sp7s6u21eteeq1"
    main, aux = base36_sha1("Hello"), base36_sha1("This is a slot")
    assert (main, aux) == ("syvtbocopvw4f81bf07ocly0sl8ybqo", "p2w9gtded1hduym7e0wokxbezokvq8c")
    assert combined_sha1({"main": main, "importexporttest": aux}) == \
        "2zn8g94g6g8vb3y98u8wbnxxhtmksm6"


def test_layout_matches_mediawiki() -> None:
    require(CORPUS.exists(), "../shared/corpus/dumps", "the shared corpus beside the checkout")
    data, _ = _rewrite(CORPUS / "mediawiki-1.39-import-tests/Slots.import-1.xml")
    text = data.decode("utf-8")
    original = (CORPUS / "mediawiki-1.39-import-tests/Slots.import-1.xml").read_text("utf-8")
    # MediaWiki indents with tabs in its fixtures and with spaces in real dumps
    ours = [line.strip() for line in text.splitlines()]
    theirs = [line.strip() for line in original.splitlines()]
    assert ours[1:] == [line.replace('<namespace key="0" case="first-letter" />',
                                     '<namespace key="0" case="first-letter"/>')
                        for line in theirs[1:]]
    assert ours[0].startswith('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"')
    assert 'version="0.11" xml:lang="de">' in ours[0]


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=200).map(lambda s: "".join(c for c in s if c in "\t\n\r" or ord(c) >= 32
                                                    and not 0xFFFE <= ord(c) <= 0xFFFF))


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_text, min_size=1, max_size=4), title=st.sampled_from(
    ["Accueil", "Modèle:Boîte", "Talk:A & B <c>", "Brest/Quartiers"]),
    comment=_text, ip=st.booleans())
def test_any_text_survives_the_round_trip(texts: list[str], title: str, comment: str,
                                          ip: bool) -> None:
    who = Contributor(ip="192.0.2.7") if ip else Contributor(username="Anna > Bob", user_id=3)
    revisions = [RevisionRecord(id=10 + i, parent_id=(9 + i) if i else None,
                                timestamp=f"2024-01-0{i + 1}T00:00:00Z", contributor=who,
                                text=t, comment=comment, minor=bool(i % 2))
                 for i, t in enumerate(texts)]
    page = PageRecord(title=title, ns=0, id=5, redirect=None)
    out = io.BytesIO()
    with DumpWriter(out, SiteInfo(sitename="Wiki", namespaces=[Namespace(0, "")])) as writer:
        writer.write_page(page, revisions)
    (back, got), = DumpReader(io.BytesIO(out.getvalue()), name="mem").pages()
    assert back.title == title
    assert [r.text for r in got] == texts
    assert [r.comment or "" for r in got] == [comment] * len(texts)
    assert [r.sha1 for r in got] == [base36_sha1(t) for t in texts]


def test_slots_deleted_text_and_redirects(tmp_path: Path) -> None:
    schema = _schema()
    rev = RevisionRecord(id=4, timestamp="2020-07-10T04:11:31Z",
                         contributor=Contributor(deleted=True), text="Hello",
                         slots=[SlotRecord(role="extra", text="This is a slot")])
    gone = RevisionRecord(id=5, parent_id=4, timestamp="2020-07-11T04:11:31Z",
                          contributor=Contributor(ip="::1"), text=None, text_deleted=True,
                          text_bytes=3, comment_deleted=True)
    page = PageRecord(title="Plan", ns=0, id=1, redirect="Plan de Brest", restrictions="edit=sysop")
    for suffix in (".xml", ".xml.gz", ".xml.bz2"):
        path = tmp_path / f"out{suffix}"
        with open_output(path) as stream, DumpWriter(stream, SiteInfo()) as writer:
            writer.write_page(page, [rev, gone])
        (back, (one, two)), = read_pages(path)
        assert back.redirect == "Plan de Brest" and back.restrictions == "edit=sysop"
        assert one.contributor.deleted and one.slots[0].text == "This is a slot"
        assert one.sha1 == combined_sha1({"main": base36_sha1("Hello"),
                                          "extra": base36_sha1("This is a slot")})
        assert two.text is None and two.text_deleted and two.comment_deleted
        assert two.contributor.ip == "::1"
    with open_output(tmp_path / "out.xml") as stream, DumpWriter(stream, SiteInfo()) as writer:
        writer.write_page(page, [rev, gone])
    _valid(schema, (tmp_path / "out.xml").read_bytes())


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=80), comment=st.one_of(st.none(), st.text(max_size=30)),
       name=st.one_of(st.none(), st.text(min_size=1, max_size=12)), minor=st.booleans(),
       parent=st.one_of(st.none(), st.integers(1, 10**9)))
def test_direct_serialisation_equals_lxml(text: str, comment: str | None, name: str | None,
                                          minor: bool, parent: int | None) -> None:
    who = Contributor(username=name, user_id=7) if name else Contributor(ip="192.0.2.4")
    rev = RevisionRecord(id=12, parent_id=parent, timestamp="2024-03-01T10:00:00Z",
                         contributor=who, text=text, comment=comment, minor=minor,
                         text_sha1=base36_sha1(text))
    writer = DumpWriter(io.BytesIO(), trust_sha1=True)
    raw = writer._raw_revision(rev)
    element = etree.tostring(writer._build_revision(rev), encoding="utf-8")
    if raw is None:  # characters XML cannot hold: the element path cleans and rehashes
        assert "\ufffd" in element.decode("utf-8")
    else:
        assert raw == b"\n    " + element
        (page, (back,)), = DumpReader(io.BytesIO(
            b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
            b"<page><title>T</title><ns>0</ns><id>1</id>" + raw + b"</page></mediawiki>"),
            name="raw").pages()
        # characters XML cannot hold in a comment or a name become U+FFFD
        assert back.text == text
        assert (back.comment or None) == (clean_xml(comment) if comment else None)


_odd = st.text(st.sampled_from('ab é&<>"\'\t\n\r]]>\x01\ufffe\uffff\ud800'), max_size=12)
#: texts as a database holds them: any character UTF-8 can encode (no lone surrogate)
_odd_text = _odd.map(lambda s: s.replace("\ud800", "\U0001f600"))


@settings(max_examples=120, deadline=None)
@given(title=_odd.filter(bool), redirect=st.one_of(st.none(), _odd),
       restrictions=st.one_of(st.none(), _odd), texts=st.lists(
           st.one_of(st.none(), _odd_text), max_size=3), comment=st.one_of(st.none(), _odd),
       trusted=st.booleans(), uploads=st.booleans())
def test_direct_page_equals_xmlfile_page(title: str, redirect: str | None,
                                         restrictions: str | None, texts: list[str | None],
                                         comment: str | None, trusted: bool,
                                         uploads: bool) -> None:
    """``write_page`` (direct, revisions pre-serialised or records) writes exactly what
    the ``lxml.etree.xmlfile`` reference writes, whatever the characters."""
    page = PageRecord(title=title, ns=4, id=9, redirect=redirect, restrictions=restrictions)
    revisions = [RevisionRecord(
        id=20 + i, parent_id=19 + i if i else None, timestamp="2024-03-01T10:00:00Z",
        contributor=Contributor(ip="192.0.2.4") if i % 2 else Contributor(username=title,
                                                                          user_id=3),
        text=text, text_deleted=text is None, comment=comment, minor=bool(i % 2),
        text_sha1=base36_sha1(text) if text is not None else None)
        for i, text in enumerate(texts)]
    files = [UploadRecord(timestamp="2024-03-01T10:00:00Z", contributor=Contributor(
        username="Anna", user_id=2), filename="Plan.png", src="http://x/Plan.png", size=3,
        comment=comment or "")] if uploads else []
    direct, reference = io.BytesIO(), io.BytesIO()
    writer = DumpWriter(direct, trust_sha1=trusted)
    mixed: list[RevisionRecord | bytes] = []
    for rev in revisions:  # what the exporter hands over: bytes when it can
        raw = writer.revision_bytes(
            rev.id or 0, rev.parent_id, rev.timestamp, rev.contributor.ip or title,
            rev.contributor.user_id, rev.contributor.ip is not None, rev.minor,
            rev.comment, None, None, None, rev.text, rev.text_sha1) \
            if trusted and rev.text is not None else None
        mixed.append(raw if raw is not None else rev)
    writer.write_page(page, mixed, files)
    DumpWriter(reference, trust_sha1=trusted).write_page_lxml(page, revisions, files)
    assert direct.getvalue() == reference.getvalue()
