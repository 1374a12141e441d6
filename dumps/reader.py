"""Streaming reader of MediaWiki XML dumps, schema 0.1 to 0.11.

Owns turning a dump (any container ``sources.DumpSource`` opens, UTF-8 or UTF-16) into a
stream of records: one ``SiteInfo``, then for each page a ``PageRecord`` followed by its
``RevisionRecord``s and ``UploadRecord``s (in file order), then the ``LogItemRecord``s. An
upload's embedded base64 ``<contents>`` is decoded when its element ends (never more than
``max_upload_bytes``; libxml2 refuses text nodes over 10 MB without ``huge_tree``).
Parsing is ``lxml.etree.iterparse`` with no DTD, no entity resolution and no network; each
revision's and upload's element is cleared once read, so memory stays flat whatever the
size of the file. Anything that is not a MediaWiki dump (malformed or truncated XML, a
DOCTYPE, another root element, an unknown schema, non-numeric ids, bad timestamps) raises
``DumpError`` naming the problem and its line.
"""
from __future__ import annotations

import base64
import binascii
import lzma
import os
import re
import zlib
from typing import BinaryIO, Iterator, Union

from lxml import etree

from wikiengine.namespaces import CANONICAL

from .records import (
    READ_VERSIONS, Contributor, DumpError, LogItemRecord, Namespace, PageRecord,
    RevisionRecord, SiteInfo, SlotRecord, UploadRecord,
)
from .sources import DumpSource

Record = Union[SiteInfo, PageRecord, RevisionRecord, UploadRecord, LogItemRecord]

_EXPORT_NS = re.compile(r"^https?://www\.mediawiki\.org/xml/export-(\d+\.\d+)/$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CANONICAL_LOOKUP = {name.lower(): key for key, name in CANONICAL.items() if name}


_LOCAL_NAMES: dict[object, str] = {}


def _local(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (cached: a dump uses a few dozen tags)."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < 1000:
            _LOCAL_NAMES[tag] = name
    return name


class DumpReader:
    """Iterate over a dump's records; use as a context manager or call ``close()``.

    :param source: a path or an open binary file (plain or compressed).
    :param name: the name used in error messages (defaults to the file name).
    :param tee: a file that receives a copy of the decompressed XML as it is read.
    :param max_upload_bytes: embedded file contents larger than this are not decoded (the
        record's ``contents_error`` says so).
    """

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, name: str | None = None,
                 tee: BinaryIO | None = None, max_upload_bytes: int = 100 << 20):
        self.source = DumpSource(source, name, tee)
        self.name = str(self.source.name)
        self.siteinfo = SiteInfo()
        self.version: str | None = None
        self.lang: str | None = None
        #: elements read but not returned (uploads, log items…): name -> (count, first line)
        self.skipped: dict[str, tuple[int, int | None]] = {}
        self.pages_read = 0
        self.revisions_read = 0
        self.max_upload_bytes = max_upload_bytes

    # -- public -------------------------------------------------------------------------
    def __enter__(self) -> "DumpReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.source.close()

    @property
    def consumed(self) -> int:
        """Bytes of the (compressed) file read so far."""
        return self.source.consumed

    @property
    def size(self) -> int | None:
        return self.source.size

    @property
    def fragment(self) -> bool:
        return self.source.fragment

    def __iter__(self) -> Iterator[Record]:
        try:
            yield from self._records()
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc, self.name) from None
        except (EOFError, OSError, lzma.LZMAError, zlib.error) as exc:
            raise DumpError(f"cannot decompress the {self.source.container} file ({exc}) "
                            f"after {self.consumed} bytes; truncated or corrupt?",
                            source=self.name) from None

    def pages(self) -> Iterator[tuple[PageRecord, list[RevisionRecord]]]:
        """Each page with its revisions in a list (convenient for small dumps and tests)."""
        page: PageRecord | None = None
        revisions: list[RevisionRecord] = []
        for record in self:
            if isinstance(record, PageRecord):
                if page is not None:
                    yield page, revisions
                page, revisions = record, []
            elif isinstance(record, RevisionRecord):
                revisions.append(record)
        if page is not None:
            yield page, revisions

    # -- parsing ------------------------------------------------------------------------
    def _error(self, problem: str, line: int | None) -> DumpError:
        return DumpError(problem, line, None, self.name)

    def _records(self) -> Iterator[Record]:
        etree.clear_error_log()  # the log is per thread; keep only this parse's errors
        context = etree.iterparse(
            self.source.stream, events=("start", "end"), resolve_entities=False,
            load_dtd=False, no_network=True, dtd_validation=False, attribute_defaults=False,
            huge_tree=False, remove_comments=True, remove_pis=True, recover=False,
        )
        depth = 0
        root = None
        page_elem = None
        page: PageRecord | None = None
        page_sent = False
        for event, elem in context:
            if event == "start":
                depth += 1
                if depth == 1:
                    root = elem
                    self._check_root(elem)
                elif depth == 2 and _local(elem.tag) == "page":
                    page_elem, page, page_sent = elem, None, False
                elif depth == 3 and page_elem is not None and \
                        _local(elem.tag) in ("revision", "upload"):
                    if not page_sent:
                        page = self._page(page_elem)
                        page_sent = True
                        yield page
                continue
            depth -= 1
            name = _local(elem.tag)
            if depth == 1:
                if name == "siteinfo":
                    self.siteinfo = self._siteinfo(elem)
                    yield self.siteinfo
                elif name == "page":
                    if not page_sent:
                        page = self._page(elem)
                        yield page
                    page_elem = None
                    self.pages_read += 1
                elif name == "logitem":
                    yield self._logitem(elem)
                else:
                    self._skip(name, elem.sourceline)
                elem.clear()
                if root is not None:
                    while elem.getprevious() is not None:
                        del root[0]
            elif depth == 2 and page_elem is not None:
                if name == "revision":
                    assert page is not None
                    record = self._revision(elem, page)
                    self.revisions_read += 1
                    yield record
                    elem.clear()
                    while elem.getprevious() is not None:
                        del page_elem[0]
                elif name == "upload":
                    assert page is not None
                    upload = self._upload(elem, page)
                    yield upload
                    elem.clear()
                    while elem.getprevious() is not None:
                        del page_elem[0]
        if root is None:
            raise self._error("empty file: no XML element", None)

    def _skip(self, name: str, line: int | None) -> None:
        count, first = self.skipped.get(name, (0, line))
        self.skipped[name] = (count + 1, first)

    def _check_root(self, elem: etree._Element) -> None:
        docinfo = elem.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise self._error("a DOCTYPE declaration precedes the root element: dumps may not "
                              "declare entities or external entities", elem.sourceline)
        tag = elem.tag if isinstance(elem.tag, str) else ""
        namespace = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
        if _local(tag) != "mediawiki":
            shown = elem.prefix + ":" + _local(tag) if elem.prefix else _local(tag)
            raise self._error(f"expected a <mediawiki> root element, got <{shown}>",
                              elem.sourceline)
        match = _EXPORT_NS.match(namespace)
        if namespace and not match:
            raise self._error(f"unknown XML namespace {namespace!r} for <mediawiki>",
                              elem.sourceline)
        version = elem.get("version") or (match.group(1) if match else None)
        if version is not None and version not in READ_VERSIONS:
            raise self._error(f"unsupported export schema version {version!r} (this reader "
                              f"knows {READ_VERSIONS[0]} to {READ_VERSIONS[-1]})",
                              elem.sourceline)
        if match and version is not None and match.group(1) != version:
            raise self._error(f"schema version {version!r} does not match the namespace "
                              f"{namespace!r}", elem.sourceline)
        self.version = version
        self.lang = elem.get("{http://www.w3.org/XML/1998/namespace}lang")

    def _siteinfo(self, elem: etree._Element) -> SiteInfo:
        info = SiteInfo()
        for child in elem:
            name = _local(child.tag)
            if name in ("sitename", "dbname", "base", "generator", "case"):
                setattr(info, name, (child.text or "").strip())
            elif name == "namespaces":
                for ns in child:
                    if _local(ns.tag) != "namespace":
                        continue
                    key = self._int(ns.get("key"), "namespace key", ns.sourceline)
                    assert key is not None
                    info.namespaces.append(
                        Namespace(key, ns.text or "", ns.get("case") or info.case))
        return info

    def _int(self, text: str | None, what: str, line: int | None,
             required: bool = True) -> int | None:
        value = (text or "").strip()
        if not value:
            if required:
                raise self._error(f"empty {what}", line)
            return None
        try:
            return int(value)
        except ValueError:
            raise self._error(f"{what} is not a number: {value[:40]!r}", line) from None

    def _page(self, elem: etree._Element) -> PageRecord:
        title: str | None = None
        ns: int | None = None
        page_id: int | None = None
        redirect: str | None = None
        restrictions: str | None = None
        for child in elem:
            name = _local(child.tag)
            if name == "title":
                title = child.text or ""
            elif name == "ns":
                ns = self._int(child.text, "<ns>", child.sourceline)
            elif name == "id":
                page_id = self._int(child.text, "page <id>", child.sourceline)
            elif name == "redirect":
                redirect = child.get("title", "")
            elif name == "restrictions":
                restrictions = child.text or ""
            elif name == "revision":
                break
        if title is None or not title.strip():
            raise self._error("page without a <title>", elem.sourceline)
        if ns is None:
            ns = self._namespace_of(title)
        return PageRecord(title=title, ns=ns, id=page_id, redirect=redirect,
                          restrictions=restrictions, line=elem.sourceline)

    def _namespace_of(self, title: str) -> int:
        if self.siteinfo.namespaces:
            return self.siteinfo.namespace_number(title)[0]
        if ":" in title:
            prefix = title.split(":", 1)[0].replace("_", " ").strip().lower()
            return _CANONICAL_LOOKUP.get(prefix, 0)
        return 0

    def _revision(self, elem: etree._Element, page: PageRecord) -> RevisionRecord:
        line = elem.sourceline
        rev = RevisionRecord(id=None, timestamp="", contributor=Contributor(), text=None,
                             has_text_element=False, line=line)
        for child in elem:
            name = _local(child.tag)
            if name == "id":
                rev.id = self._int(child.text, "revision <id>", child.sourceline)
            elif name == "parentid":
                rev.parent_id = self._int(child.text, "<parentid>", child.sourceline, False)
            elif name == "timestamp":
                stamp = (child.text or "").strip()
                if not _TIMESTAMP.match(stamp):
                    raise self._error(f"invalid <timestamp> {stamp[:40]!r} in a revision of "
                                      f"{page.title!r}", child.sourceline)
                rev.timestamp = stamp
            elif name == "contributor":
                rev.contributor = self._contributor(child)
            elif name == "minor":
                rev.minor = True
            elif name == "comment":
                rev.comment = child.text or ""
                rev.comment_deleted = child.get("deleted") == "deleted"
            elif name == "origin":
                rev.origin = self._int(child.text, "<origin>", child.sourceline, False)
            elif name == "model":
                rev.model = (child.text or "").strip() or None
            elif name == "format":
                rev.format = (child.text or "").strip() or None
            elif name == "text":
                rev.has_text_element = True
                rev.text_deleted = child.get("deleted") == "deleted"
                rev.text_bytes = self._int(child.get("bytes"), "text bytes", child.sourceline,
                                           False)
                rev.text_sha1 = child.get("sha1") or None
                if not rev.text_deleted and not _is_stub(child):
                    rev.text = child.text or ""
            elif name == "content":
                rev.slots.append(self._slot(child))
            elif name == "sha1":
                rev.sha1 = (child.text or "").strip() or None
        if not rev.timestamp:
            raise self._error(f"revision without a <timestamp> in {page.title!r}", line)
        return rev

    def _timestamp(self, child: etree._Element, what: str) -> str:
        stamp = (child.text or "").strip()
        if not _TIMESTAMP.match(stamp):
            raise self._error(f"invalid <timestamp> {stamp[:40]!r} in {what}", child.sourceline)
        return stamp

    def _upload(self, elem: etree._Element, page: PageRecord) -> UploadRecord:
        """An ``<upload>`` (schema 0.3+): MediaWiki's ``WikiImporter::handleUpload``."""
        up = UploadRecord(timestamp="", contributor=Contributor(), filename="", src="", size=0,
                          line=elem.sourceline)
        contents = None
        for child in elem:
            name = _local(child.tag)
            if name == "timestamp":
                up.timestamp = self._timestamp(child, f"an upload of {page.title!r}")
            elif name == "contributor":
                up.contributor = self._contributor(child)
            elif name == "comment":
                up.comment = child.text or ""
            elif name == "filename":
                up.filename = (child.text or "").strip()
            elif name == "src":
                up.src = (child.text or "").strip()
            elif name == "size":
                up.size = self._int(child.text, "upload <size>", child.sourceline) or 0
            elif name == "sha1base36":
                up.sha1base36 = (child.text or "").strip().lower() or None
            elif name == "rel":
                up.rel = (child.text or "").strip() or None
            elif name == "contents":
                contents = child
        if not up.timestamp:
            raise self._error(f"upload without a <timestamp> in {page.title!r}", elem.sourceline)
        if contents is not None:
            self._contents(contents, up)
        return up

    def _contents(self, elem: etree._Element, up: UploadRecord) -> None:
        encoding = (elem.get("encoding") or "").strip().lower()
        if encoding != "base64":
            up.contents_error = (f"unknown <contents> encoding {encoding[:20]!r} (only "
                                 f"base64 is read)")
            return
        text = (elem.text or "").encode("ascii", "replace")
        packed = b"".join(text.split())
        if len(packed) // 4 * 3 > self.max_upload_bytes:
            up.contents_error = (f"the embedded file is larger than this wiki's limit of "
                                 f"{self.max_upload_bytes} bytes")
            return
        try:
            up.contents = base64.b64decode(packed, validate=True)
        except (binascii.Error, ValueError) as exc:
            up.contents_error = f"the embedded file is not valid base64 ({exc})"

    def _logitem(self, elem: etree._Element) -> LogItemRecord:
        """A ``<logitem>``: MediaWiki's ``WikiImporter::handleLogItem``."""
        item = LogItemRecord(id=None, timestamp="", contributor=Contributor(), type="",
                             action="", line=elem.sourceline)
        for child in elem:
            name = _local(child.tag)
            if name == "id":
                item.id = self._int(child.text, "log item <id>", child.sourceline)
            elif name == "timestamp":
                item.timestamp = self._timestamp(child, "a log item")
            elif name == "contributor":
                item.contributor = self._contributor(child)
            elif name == "comment":
                item.comment = child.text or ""
                item.comment_deleted = child.get("deleted") == "deleted"
            elif name == "type":
                item.type = (child.text or "").strip()
            elif name == "action":
                item.action = (child.text or "").strip()
            elif name == "text":
                item.action_deleted = child.get("deleted") == "deleted"
            elif name == "logtitle":
                item.title = child.text or ""
            elif name == "params":
                item.params = child.text or ""
        if not item.timestamp:
            raise self._error("log item without a <timestamp>", elem.sourceline)
        return item

    def _contributor(self, elem: etree._Element) -> Contributor:
        who = Contributor(deleted=elem.get("deleted") == "deleted")
        for child in elem:
            name = _local(child.tag)
            if name == "username":
                who.username = child.text or ""
            elif name == "id":
                who.user_id = self._int(child.text, "contributor <id>", child.sourceline, False)
            elif name == "ip":
                who.ip = (child.text or "").strip()
        return who

    def _slot(self, elem: etree._Element) -> SlotRecord:
        slot = SlotRecord(role=None, text=None, line=elem.sourceline)
        has_text = False
        for child in elem:
            name = _local(child.tag)
            if name == "role":
                slot.role = (child.text or "").strip() or None
            elif name == "origin":
                slot.origin = self._int(child.text, "<origin>", child.sourceline, False)
            elif name == "model":
                slot.model = (child.text or "").strip() or None
            elif name == "format":
                slot.format = (child.text or "").strip() or None
            elif name == "text":
                has_text = True
                slot.deleted = child.get("deleted") == "deleted"
                slot.bytes = self._int(child.get("bytes"), "text bytes", child.sourceline, False)
                slot.sha1 = child.get("sha1") or None
                if not slot.deleted and not _is_stub(child):
                    slot.text = child.text or ""
        if not has_text:
            slot.text = None
        return slot


def _syntax_error(exc: etree.XMLSyntaxError, name: str) -> DumpError:
    """The first fatal libxml2 error (its message is exact where the exception's may not be:
    with entity resolution off, libxml2 reports an undeclared entity as "no element found")."""
    fatal = [e for e in exc.error_log if e.level_name == "FATAL"]
    if fatal:
        first = fatal[0]
        message, line, column = first.message, first.line, first.column
    else:
        line, column = exc.position if exc.position else (None, None)
        message = re.sub(r",? line \d+, column \d+$", "", exc.msg or str(exc))
    if "huge text node" in message or "Text node too long" in message:
        message = (f"a text is larger than 10 MB, libxml2's limit (a page too big, or a file "
                   f"over about 7 MB embedded in base64: upload such files by hand): "
                   f"{message}")
    if "Premature end of data" in message or "EndTag: '</' not found" in message:
        message = f"the file ends too early (truncated?): {message}"
    return DumpError(f"malformed XML: {message}", line or None, column, name)


def _is_stub(elem: etree._Element) -> bool:
    """A stub dump's ``<text id=… location=… bytes=…/>``: attributes saying where the text
    is, no content (an empty text without those attributes is an empty page)."""
    return not elem.text and (elem.get("id") is not None or elem.get("location") is not None)


def read_pages(path: str | os.PathLike[str]) -> list[tuple[PageRecord, list[RevisionRecord]]]:
    """Every page of a (small) dump with its revisions: for tests and tools."""
    with DumpReader(path) as reader:
        return list(reader.pages())
