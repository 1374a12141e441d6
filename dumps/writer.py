"""Streaming writer of MediaWiki XML dumps in schema 0.11.

Owns the exact shape MediaWiki 1.39's ``XmlDumpWriter`` gives a dump: the ``<mediawiki>``
root with its schema location, ``<siteinfo>``, then ``<page>`` elements with their
``<revision>``s (id, parentid, timestamp, contributor, minor, comment, origin, model, format,
text with ``bytes``/``sha1``/``xml:space``, sha1 in base 36) and ``<upload>``s (with
``dumpBackup --include-files``'s ``<sha1base36>``, ``<rel>`` and base64 ``<contents>`` when
the record carries the bytes: outside the XSD, as MediaWiki's), then ``<logitem>``s. Pages are written directly, one
revision at a time, so memory does not grow with the dump, into plain, ``.gz`` or ``.bz2``
files or standard output (``open_output``): the common revision (hash known, main slot,
nothing hidden) as bytes built at once, the others as lxml elements; the result equals, byte
for byte, what ``lxml.etree.xmlfile`` writes (``write_page_lxml``, the tests' reference).
Characters XML cannot hold become U+FFFD.
Pure: no database.
"""
from __future__ import annotations

import base64
import bz2
import gzip
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import IO, Iterable

from lxml import etree

from .records import (
    EXPORT_NS, EXPORT_VERSION, MAIN_ROLE, WIKITEXT_FORMAT, WIKITEXT_MODEL, Contributor,
    LogItemRecord, PageRecord, RevisionRecord, SiteInfo, UploadRecord, base36_sha1,
    combined_sha1,
)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_LOCATION = f"{EXPORT_NS} http://www.mediawiki.org/xml/export-{EXPORT_VERSION}.xsd"
_SPACE = f"{{{XML_NS}}}space"


def open_output(target: str | os.PathLike[str], kind: str | None = None) -> IO[bytes]:
    """A binary stream for ``target``: ``-`` is standard output; ``.gz`` and ``.bz2``
    names are compressed (``kind``, another name, chooses the compression instead)."""
    path = Path(str(target))
    if str(target) == "-":
        return _Unclosable(sys.stdout.buffer)
    name = kind or str(target)
    if name.endswith(".gz"):
        return gzip.open(path, "wb", compresslevel=6)
    if name.endswith(".bz2"):
        return bz2.open(path, "wb", compresslevel=9)
    return open(path, "wb", buffering=1 << 20)


class _Unclosable:
    """Standard output that a ``with`` block flushes but does not close."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream

    def write(self, data: bytes) -> int:
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()

    def __enter__(self) -> "_Unclosable":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Characters XML 1.0 cannot hold; MediaWiki's dumps replace them (``UtfNormal`` clean-up).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: The same control characters as UTF-8 bytes (``bytes.translate`` scans faster than ``re``).
_NOT_XML_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


def clean_xml(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def escape_text(text: str) -> str:
    """Escaped as lxml escapes element text (``\r`` kept as a character reference)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


@lru_cache(maxsize=4096)
def _small(text: str) -> str:
    """Cleaned and escaped names, models and formats: few distinct values, many uses."""
    return escape_text(clean_xml(text))


def escape_attr(text: str) -> str:
    return escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace(
        "\t", "&#9;")


def _el(parent: etree._Element, tag: str, text: str | None = None,
        tail: str = "\n      ") -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = clean_xml(text)
    child.tail = tail
    return child


class DumpWriter:
    """Write a schema 0.11 dump to a binary stream.

    Use as a context manager; call ``write_page(page, revisions)`` for each page, where
    ``revisions`` may be a generator reading the database in batches.

    :param lang: the ``xml:lang`` of the root (the wiki's content language).
    :param trust_sha1: take each revision's ``text_sha1`` as its hash instead of computing
        it (for revisions read from this wiki's database, whose hashes are computed on save).
    """

    def __init__(self, out: IO[bytes], siteinfo: SiteInfo | None = None, lang: str = "en",
                 trust_sha1: bool = False):
        self.out = out
        self.trust_sha1 = trust_sha1  # use ``text_sha1`` when given (the database's)
        self.siteinfo = siteinfo
        self.lang = lang
        self.pages_written = 0
        self.revisions_written = 0
        self.text_bytes = 0

    def __enter__(self) -> "DumpWriter":
        root = etree.Element(f"{{{EXPORT_NS}}}mediawiki", nsmap={None: EXPORT_NS, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
        root.set("version", EXPORT_VERSION)
        root.set(f"{{{XML_NS}}}lang", self.lang)
        empty = etree.tostring(root, encoding="utf-8")
        self.out.write(empty[:-2] + b">\n")  # the start tag of <mediawiki/>
        if self.siteinfo is not None:
            self.out.write(b"  " + etree.tostring(self._siteinfo(self.siteinfo),
                                                  encoding="utf-8") + b"\n")
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.out.write(b"</mediawiki>\n")
            self.out.flush()

    # -- pages --------------------------------------------------------------------------
    def write_page(self, page: PageRecord, revisions: Iterable[RevisionRecord | bytes],
                   uploads: Iterable[UploadRecord] = ()) -> None:
        """Write one ``<page>``, the revisions the iterable yields, as they come, then its
        file versions. A revision may come already serialised (``revision_bytes``). Written
        directly, byte for byte as ``write_page_lxml`` (the ``lxml.etree.xmlfile`` reference
        the tests compare it with) writes it."""
        write = self.out.write
        write(self._page_head(page))
        for rev in revisions:
            if rev.__class__ is bytes:
                write(rev)  # type: ignore[arg-type]
            else:
                raw = self._raw_revision(rev)  # type: ignore[arg-type]
                write(raw if raw is not None else
                      b"\n    " + etree.tostring(self._revision(rev), encoding="utf-8"))
            self.revisions_written += 1
        for upload in uploads:
            write(b"\n    " + etree.tostring(self._upload(upload), encoding="utf-8"))
        write(b"\n  </page>\n")
        self.pages_written += 1

    @staticmethod
    def _page_head(page: PageRecord) -> bytes:
        parts = [f"  <page>\n    <title>{escape_text(clean_xml(page.title))}</title>\n"
                 f"    <ns>{page.ns}</ns>\n    <id>{page.id}</id>"]
        if page.redirect is not None:
            parts.append(f'\n    <redirect title="{escape_attr(clean_xml(page.redirect))}">'
                         f"</redirect>")
        if page.restrictions:
            parts.append(f"\n    <restrictions>{escape_text(clean_xml(page.restrictions))}"
                         f"</restrictions>")
        return "".join(parts).encode("utf-8")

    def write_page_lxml(self, page: PageRecord, revisions: Iterable[RevisionRecord],
                        uploads: Iterable[UploadRecord] = ()) -> None:
        """``write_page`` through ``lxml.etree.xmlfile`` and elements only: the reference
        serialisation the direct one must equal (checked by the tests)."""
        self.out.write(b"  ")
        with etree.xmlfile(self.out, encoding="utf-8") as xf:
            with xf.element("page"):
                xf.write("\n    ")
                with xf.element("title"):
                    xf.write(clean_xml(page.title))
                xf.write("\n    ")
                with xf.element("ns"):
                    xf.write(str(page.ns))
                xf.write("\n    ")
                with xf.element("id"):
                    xf.write(str(page.id))
                if page.redirect is not None:
                    xf.write("\n    ")
                    with xf.element("redirect", title=clean_xml(page.redirect)):
                        pass
                if page.restrictions:
                    xf.write("\n    ")
                    with xf.element("restrictions"):
                        xf.write(clean_xml(page.restrictions))
                for rev in revisions:
                    xf.write("\n    ")
                    xf.write(self._build_revision(rev))
                for upload in uploads:
                    xf.write("\n    ")
                    xf.write(self._upload(upload))
                xf.write("\n  ")
        self.out.write(b"\n")

    def write_logitem(self, item: LogItemRecord) -> None:
        """Write one ``<logitem>`` (after the pages), as MediaWiki's ``writeLogItem``."""
        self.out.write(b"  " + etree.tostring(self._logitem(item), encoding="utf-8") + b"\n")

    # -- elements -----------------------------------------------------------------------
    def _logitem(self, item: LogItemRecord) -> etree._Element:
        e = etree.Element("logitem")
        e.text = "\n    "
        _el(e, "id", str(item.id), "\n    ")
        _el(e, "timestamp", item.timestamp, "\n    ")
        self._contributor(e, item.contributor, "\n    ")
        if item.comment_deleted:
            _el(e, "comment", None, "\n    ").set("deleted", "deleted")
        elif item.comment:
            _el(e, "comment", item.comment, "\n    ")
        _el(e, "type", item.type, "\n    ")
        _el(e, "action", item.action, "\n    ")
        if item.action_deleted or item.title is None:
            _el(e, "text", None, "\n    ").set("deleted", "deleted")
        else:
            _el(e, "logtitle", item.title, "\n    ")
        params = _el(e, "params", item.params or "", "\n  ")
        params.set(_SPACE, "preserve")
        return e

    def _siteinfo(self, info: SiteInfo) -> etree._Element:
        root = etree.Element("siteinfo")
        root.text = "\n    "
        for name in ("sitename", "dbname", "base", "generator", "case"):
            _el(root, name, getattr(info, name), "\n    ")
        spaces = _el(root, "namespaces", None, "\n  ")
        spaces.text = "\n      "
        last = None
        for ns in info.namespaces:
            last = _el(spaces, "namespace", ns.name or None, "\n      ")
            last.set("key", str(ns.key))
            last.set("case", ns.case or info.case)
        if last is not None:
            last.tail = "\n    "
        return root

    def _raw_revision(self, rev: RevisionRecord) -> bytes | None:
        """The common revision (main slot only, nothing hidden, hash known) serialised
        directly, byte for byte as the element path writes it; None for the others."""
        who = rev.contributor
        if rev.slots or rev.text is None or rev.text_deleted or rev.comment_deleted \
                or who.deleted or not (self.trust_sha1 and rev.text_sha1):
            return None
        ip = who.ip if who.ip is not None and who.username is None else None
        return self.revision_bytes(rev.id or 0, rev.parent_id, rev.timestamp,
                                   ip if ip is not None else who.username or "", who.user_id, ip is not None, rev.minor, rev.comment,
                                   rev.origin, rev.model, rev.format, rev.text, rev.text_sha1)

    def revision_bytes(self, rev_id: int, parent_id: int | None, timestamp: str, name: str,
                       user_id: int | None, is_ip: bool, minor: bool, comment: str | None,
                       origin: int | None, model: str | None, fmt: str | None, text: str,
                       sha1: str | None) -> bytes | None:
        """A visible main-slot revision whose hash is known (``sha1``), serialised (for
        ``write_page``); None when its text holds characters XML cannot (the element path
        cleans it and computes the new hash). ``name`` is the IP address when ``is_ip``."""
        try:
            raw = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates
            return None
        if len(raw.translate(None, _NOT_XML_BYTES)) != len(raw) or not raw.isascii() and (
                b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw):  # U+FFFE, U+FFFF
            return None
        body = raw.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;") \
            .replace(b"\r", b"&#13;") if b"&" in raw or b"<" in raw or b">" in raw \
            or b"\r" in raw else raw
        parent = f"      <parentid>{parent_id}</parentid>\n" if parent_id else ""
        name = _small(name)
        who = (f"<ip>{name}</ip>\n" if is_ip else
               f"<username>{name}</username>\n        <id>{user_id or 0}</id>\n")
        minor_tag = "      <minor/>\n" if minor else ""
        comment_tag = f"      <comment>{escape_text(clean_xml(comment))}</comment>\n" \
            if comment else ""
        sha1 = sha1 or ""
        if not (sha1.isalnum() and sha1.isascii()):
            sha1 = escape_attr(sha1)  # never for this wiki's hashes (base 36)
        head = (f"\n    <revision>\n      <id>{rev_id}</id>\n{parent}"
                f"      <timestamp>{escape_text(timestamp)}</timestamp>\n"
                f"      <contributor>\n        {who}      </contributor>\n{minor_tag}"
                f"{comment_tag}      <origin>{origin or rev_id}</origin>\n"
                f"      <model>{_small(model or WIKITEXT_MODEL)}</model>\n"
                f"      <format>{_small(fmt or WIKITEXT_FORMAT)}</format>\n"
                f'      <text bytes="{len(raw)}" sha1="{sha1}" xml:space="preserve">')
        self.text_bytes += len(raw)
        return b"".join((head.encode("utf-8"), body,
                         f"</text>\n      <sha1>{sha1}</sha1>\n    </revision>"
                         .encode("utf-8")))

    def _revision(self, rev: RevisionRecord) -> etree._Element:
        return self._build_revision(rev)

    def _build_revision(self, rev: RevisionRecord) -> etree._Element:
        r = etree.Element("revision")
        r.text = "\n      "
        _el(r, "id", str(rev.id))
        if rev.parent_id:
            _el(r, "parentid", str(rev.parent_id))
        _el(r, "timestamp", rev.timestamp)
        self._contributor(r, rev.contributor)
        if rev.minor:
            _el(r, "minor")
        if rev.comment_deleted:
            _el(r, "comment").set("deleted", "deleted")
        elif rev.comment:
            _el(r, "comment", clean_xml(rev.comment))
        _el(r, "origin", str(rev.origin or rev.id))
        _el(r, "model", rev.model or WIKITEXT_MODEL)
        _el(r, "format", rev.format or WIKITEXT_FORMAT)
        text = rev.text
        t = _el(r, "text")
        if rev.text_deleted or text is None:
            t.set("bytes", str(rev.text_bytes or 0))
            if rev.text_sha1:
                t.set("sha1", rev.text_sha1)
            t.set("deleted", "deleted")
            main_sha1 = rev.text_sha1 or ""
        else:
            cleaned = clean_xml(text)
            raw = cleaned.encode("utf-8")
            main_sha1 = rev.text_sha1 if self.trust_sha1 and rev.text_sha1 and \
                cleaned is text else base36_sha1(raw)
            text = cleaned
            t.set("bytes", str(len(raw)))
            t.set("sha1", main_sha1)
            t.set(_SPACE, "preserve")
            t.text = text
            self.text_bytes += len(raw)
        hashes = {MAIN_ROLE: main_sha1}
        for slot in rev.slots:
            c = _el(r, "content")
            c.text = "\n        "
            _el(c, "role", slot.role or "", "\n        ")
            _el(c, "origin", str(slot.origin or rev.id), "\n        ")
            _el(c, "model", slot.model or WIKITEXT_MODEL, "\n        ")
            _el(c, "format", slot.format or WIKITEXT_FORMAT, "\n        ")
            st = _el(c, "text", None, "\n      ")
            slot_text = slot.text or ""
            slot_sha1 = base36_sha1(slot_text)
            st.set("bytes", str(len(slot_text.encode("utf-8"))))
            st.set("sha1", slot_sha1)
            st.set(_SPACE, "preserve")
            st.text = clean_xml(slot_text)
            hashes[slot.role or ""] = slot_sha1
        if rev.text_deleted or text is None:
            _el(r, "sha1", None, "\n    ")
        else:
            _el(r, "sha1", combined_sha1(hashes), "\n    ")
        return r

    def _upload(self, upload: UploadRecord) -> etree._Element:
        u = etree.Element("upload")
        u.text = "\n      "
        _el(u, "timestamp", upload.timestamp)
        self._contributor(u, upload.contributor)
        if upload.comment:
            _el(u, "comment", upload.comment)
        _el(u, "filename", upload.filename)
        _el(u, "src", upload.src)
        if upload.contents is None:
            _el(u, "size", str(upload.size), "\n    ")
            return u
        _el(u, "size", str(len(upload.contents)))
        _el(u, "sha1base36", upload.sha1base36 or base36_sha1(upload.contents))
        if upload.rel:
            _el(u, "rel", upload.rel)
        encoded = base64.b64encode(upload.contents).decode("ascii")
        lines = "".join(encoded[i:i + 76] + "\n" for i in range(0, len(encoded), 76))
        _el(u, "contents", lines, "\n    ").set("encoding", "base64")
        return u

    @staticmethod
    def _contributor(parent: etree._Element, who: Contributor,
                     tail: str = "\n      ") -> None:
        c = _el(parent, "contributor", None, tail)
        if who.deleted:
            c.set("deleted", "deleted")
            return
        c.text = "\n        "
        if who.ip is not None and who.username is None:
            _el(c, "ip", who.ip, "\n      ")
            return
        _el(c, "username", who.username or "", "\n        ")
        _el(c, "id", str(who.user_id or 0), "\n      ")
