"""Records shared by the dump reader, writer, loader and exporter.

Owns the plain values a MediaWiki XML dump is made of (``SiteInfo``, ``PageRecord``,
``RevisionRecord``, ``Contributor``, ``SlotRecord``, ``UploadRecord``, ``LogItemRecord``),
the error raised for an unreadable dump (``DumpError``, which always names the problem and
the position in the file) and MediaWiki's base-36 SHA-1 (``base36_sha1``,
``combined_sha1``). Pure: no XML library, no database.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

#: Export schema namespace written by this engine and the versions the reader accepts.
EXPORT_VERSION = "0.11"
EXPORT_NS = f"http://www.mediawiki.org/xml/export-{EXPORT_VERSION}/"
READ_VERSIONS = ("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")

#: Content model and format of wikitext, MediaWiki's default for every namespace here.
WIKITEXT_MODEL = "wikitext"
WIKITEXT_FORMAT = "text/x-wiki"
MAIN_ROLE = "main"

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class DumpError(ValueError):
    """A dump that cannot be read: ``problem`` says what, ``line``/``column`` where."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None,
                 source: str = ""):
        self.problem = problem
        self.line = line
        self.column = column
        self.source = source
        where = ""
        if line is not None:
            where = f" at line {line}" + (f", column {column}" if column is not None else "")
        name = f"{source}: " if source else ""
        super().__init__(f"{name}{problem}{where}")


def base36_sha1(data: bytes | str) -> str:
    """SHA-1 in base 36, zero-padded to 31 digits (MediaWiki's ``SlotRecord::base36Sha1``)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    number = int.from_bytes(hashlib.sha1(data).digest(), "big")
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_DIGITS[rest])
    return "".join(reversed(digits)).rjust(31, "0")


def combined_sha1(slot_sha1s: dict[str, str]) -> str:
    """Revision SHA-1 from its slots' SHA-1s (``RevisionSlots::computeSha1``): roles sorted,
    the first slot's hash, then ``base36_sha1(previous + next)`` for each further slot."""
    if not slot_sha1s:
        return base36_sha1(b"")
    result: str | None = None
    for role in sorted(slot_sha1s):
        sha1 = slot_sha1s[role]
        result = sha1 if result is None else base36_sha1(result + sha1)
    assert result is not None
    return result


@dataclass(slots=True)
class Namespace:
    key: int
    name: str
    case: str = "first-letter"


@dataclass(slots=True)
class SiteInfo:
    """The ``<siteinfo>`` block: where a dump comes from and its namespace names."""

    sitename: str = ""
    dbname: str = ""
    base: str = ""
    generator: str = ""
    case: str = "first-letter"
    namespaces: list[Namespace] = field(default_factory=list)

    def namespace_number(self, title: str) -> tuple[int, str]:
        """Split ``"Wikipedia talk:Foo"`` into ``(5, "Foo")`` with this wiki's names (dumps
        before schema 0.6 have no ``<ns>``); unknown prefixes stay in the main namespace."""
        if ":" in title:
            prefix, rest = title.split(":", 1)
            wanted = prefix.replace("_", " ").strip().lower()
            for ns in self.namespaces:
                if ns.key != 0 and ns.name.lower() == wanted:
                    return ns.key, rest
        return 0, title


@dataclass(slots=True)
class Contributor:
    """Who made a revision: a user name (``user_id`` as on the source wiki) or an IP."""

    username: str | None = None
    user_id: int | None = None
    ip: str | None = None
    deleted: bool = False


@dataclass(slots=True)
class SlotRecord:
    """A non-main slot of a schema 0.11 revision (``<content>``)."""

    role: str | None
    text: str | None
    model: str | None = None
    format: str | None = None
    origin: int | None = None
    sha1: str | None = None
    bytes: int | None = None
    deleted: bool = False
    line: int | None = None


@dataclass(slots=True)
class RevisionRecord:
    """One ``<revision>``. ``text`` is None when the dump carries no text (a stub dump, a
    deleted text or a missing ``<text>`` element: ``has_text_element`` tells which)."""

    id: int | None
    timestamp: str
    contributor: Contributor
    text: str | None
    parent_id: int | None = None
    minor: bool = False
    comment: str | None = None
    comment_deleted: bool = False
    model: str | None = None
    format: str | None = None
    origin: int | None = None
    text_bytes: int | None = None
    text_sha1: str | None = None
    text_deleted: bool = False
    has_text_element: bool = True
    sha1: str | None = None
    slots: list[SlotRecord] = field(default_factory=list)
    line: int | None = None

    def computed_sha1(self) -> str | None:
        """This revision's base-36 SHA-1 computed from its texts (None when text is absent)."""
        if self.text is None:
            return None
        hashes = {MAIN_ROLE: base36_sha1(self.text)}
        for slot in self.slots:
            if slot.text is None or slot.role is None:
                return None
            hashes[slot.role] = base36_sha1(slot.text)
        return combined_sha1(hashes)


@dataclass(slots=True)
class UploadRecord:
    """One ``<upload>``: a version of a file described by a File page.

    ``contents`` holds the decoded bytes of ``<contents encoding="base64">`` when the dump
    embeds them (``contents_error`` says why they could not be decoded); ``sha1base36``
    and ``rel`` are MediaWiki's extra elements (written by ``dumpBackup --include-files``,
    outside the 0.11 XSD)."""

    timestamp: str
    contributor: Contributor
    filename: str
    src: str
    size: int
    comment: str = ""
    sha1base36: str | None = None
    rel: str | None = None
    contents: bytes | None = None
    contents_error: str | None = None
    line: int | None = None


@dataclass(slots=True)
class LogItemRecord:
    """One ``<logitem>`` (top level, after the pages). ``title`` is ``<logtitle>`` (None
    when the source wiki hid the action: ``<text deleted="deleted"/>``); ``params`` is the
    raw ``<params>`` text (PHP-serialised or MediaWiki's legacy newline-separated list)."""

    id: int | None
    timestamp: str
    contributor: Contributor
    type: str
    action: str
    title: str | None = None
    params: str = ""
    comment: str | None = None
    comment_deleted: bool = False
    action_deleted: bool = False
    line: int | None = None


@dataclass(slots=True)
class PageRecord:
    """One ``<page>`` without its revisions (they stream separately).

    ``title`` is the full title as written in the dump (namespace prefix, spaces);
    ``redirect`` is the redirect target (``""`` for a 0.4/0.5 redirect flag without target,
    None when the page is not a redirect).
    """

    title: str
    ns: int
    id: int | None = None
    redirect: str | None = None
    restrictions: str | None = None
    line: int | None = None
