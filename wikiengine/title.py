"""Title: a page name normalised the way MediaWiki does (``MediaWikiTitleCodec``).

Owns splitting ``"modèle:Foo bar#Sec"`` into namespace, database key and fragment, the
validity rules (forbidden characters, relative paths, length, ``~~~``), first-letter
capitalisation, talk/subject pairs and subpage parts. Pure: no Flask, no database.
"""
from __future__ import annotations

import re
from html.entities import html5 as _HTML5
from dataclasses import dataclass, field
from typing import Callable

from .namespaces import MAIN, SPECIAL, TALK, Namespaces

#: Characters MediaWiki never allows in a title (``Title::getTitleInvalidRegex``).
_INVALID = re.compile(
    r"[\x00-\x1f\x7f#<>\[\]|{}\ufffd]"   # forbidden characters
    r"|%[0-9A-Fa-f]{2}"                 # URL percent-encoding sequences
    r"|&[A-Za-z0-9\x80-\uffff]+;"        # XML/HTML character references
)
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e]")
_SPACES = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_PREFIX = re.compile(r"^(.+?)_*:_*(.*)$", re.S)
MAX_BYTES = 255

_DEFAULT_NAMESPACES = Namespaces()


_CHAR_REF = re.compile(r"&(?:([A-Za-z0-9]+);|#([0-9]+);|#[xX]([0-9A-Fa-f]+);)")


def _char_ref(m: re.Match[str]) -> str:
    name, dec, hexa = m.groups()
    if name is not None:
        return _HTML5.get(name + ";", m.group(0))
    code = int(dec) if dec is not None else int(hexa, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code in (0, 0xFFFE, 0xFFFF):
        return "\ufffd"
    return chr(code)


def decode_char_references(text: str) -> str:
    """MediaWiki's ``Sanitizer::decodeCharReferences``: only references closed by ``;``."""
    return _CHAR_REF.sub(_char_ref, text) if "&" in text else text


class InvalidTitle(ValueError):
    """A string that cannot name a page; ``code`` is MediaWiki's message key."""

    def __init__(self, code: str, text: str):
        self.code = code
        self.text = text
        super().__init__(f"{code}: {text!r}")


def ucfirst(s: str) -> str:
    """MediaWiki's ``Language::ucfirst`` for the first character only."""
    if not s:
        return s
    first = s[0]
    upper = first.upper()
    # A few characters upper-case to several (ß -> SS); MediaWiki keeps one character there.
    if len(upper) != 1:
        upper = first.title() if len(first.title()) == 1 else first
    return upper + s[1:]


@dataclass(frozen=True)
class Title:
    """A normalised page title.

    ``dbkey`` uses underscores and has no namespace prefix; ``namespace`` is a number;
    ``fragment`` is the part after ``#`` (spaces, not encoded); ``interwiki`` a lower-case
    prefix for titles on another wiki.
    """

    namespace: int
    dbkey: str
    fragment: str = ""
    interwiki: str = ""
    namespaces: Namespaces = field(default=_DEFAULT_NAMESPACES, compare=False, repr=False)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        text: str,
        namespaces: Namespaces | None = None,
        default_namespace: int = MAIN,
        interwiki: Callable[[str], bool] | None = None,
        allow_fragment_only: bool = False,
    ) -> "Title":
        """Parse user or wikitext input into a Title.

        :param interwiki: tells whether a lower-cased prefix is a known interwiki prefix.
        :raises InvalidTitle: with MediaWiki's message key as ``code``.
        """
        ns = namespaces or _DEFAULT_NAMESPACES
        if "&" in text:
            text = decode_char_references(text)
        return _split(text, ns, default_namespace, interwiki, allow_fragment_only)

    @classmethod
    def make(cls, namespace: int, dbkey: str, namespaces: Namespaces | None = None) -> "Title":
        """A title from trusted parts (a database row), without validation."""
        return cls(namespace, dbkey, namespaces=namespaces or _DEFAULT_NAMESPACES)

    # -- forms ---------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """Page name without namespace, with spaces."""
        return self.dbkey.replace("_", " ")

    @property
    def ns_text(self) -> str:
        """Localised namespace name (spaces), ``""`` in the main namespace."""
        return self.namespaces.name(self.namespace)

    @property
    def prefixed_text(self) -> str:
        """``"Discussion utilisateur:Jean Dupont"``; with interwiki: ``"w:Foo"``."""
        ns = self.ns_text
        base = f"{ns}:{self.text}" if ns else self.text
        return f"{self.interwiki}:{base}" if self.interwiki else base

    @property
    def prefixed_dbkey(self) -> str:
        return self.prefixed_text.replace(" ", "_")

    @property
    def full_text(self) -> str:
        """Prefixed text plus ``#fragment`` when there is one."""
        return f"{self.prefixed_text}#{self.fragment}" if self.fragment else self.prefixed_text

    def __str__(self) -> str:
        return self.prefixed_text

    # -- relations -----------------------------------------------------------------------
    @property
    def is_talk(self) -> bool:
        return Namespaces.is_talk(self.namespace)

    def talk_page(self) -> "Title":
        return Title(Namespaces.talk(self.namespace), self.dbkey, namespaces=self.namespaces)

    def subject_page(self) -> "Title":
        return Title(Namespaces.subject(self.namespace), self.dbkey, namespaces=self.namespaces)

    def can_have_talk(self) -> bool:
        return self.namespace >= 0

    @property
    def has_subpages(self) -> bool:
        return self.namespaces.has_subpages(self.namespace)

    @property
    def base_text(self) -> str:
        """``BASEPAGENAME``: everything before the last ``/`` when subpages are enabled."""
        if self.has_subpages and "/" in self.text:
            return self.text.rsplit("/", 1)[0]
        return self.text

    @property
    def root_text(self) -> str:
        if self.has_subpages and "/" in self.text:
            return self.text.split("/", 1)[0]
        return self.text

    @property
    def subpage_text(self) -> str:
        if self.has_subpages and "/" in self.text:
            return self.text.rsplit("/", 1)[1]
        return self.text

    def with_fragment(self, fragment: str) -> "Title":
        return Title(self.namespace, self.dbkey, fragment, self.interwiki, self.namespaces)

    def without_fragment(self) -> "Title":
        return self.with_fragment("")

    def is_special(self, name: str | None = None) -> bool:
        if self.namespace != SPECIAL:
            return False
        return name is None or self.dbkey.split("/", 1)[0].lower() == name.lower()


def _split(
    text: str,
    ns: Namespaces,
    namespace: int,
    interwiki: Callable[[str], bool] | None,
    allow_fragment_only: bool,
) -> Title:
    original = text
    dbkey = _BIDI.sub("", text)
    dbkey = _SPACES.sub("_", dbkey).strip("_")
    if "\ufffd" in dbkey:
        raise InvalidTitle("title-invalid-utf8", original)
    if dbkey == "":
        raise InvalidTitle("title-invalid-empty", original)
    prefix = ""
    if dbkey.startswith(":"):
        namespace = MAIN
        dbkey = dbkey[1:].strip("_")
    # One namespace prefix, or one interwiki prefix (optionally followed by more).
    first = True
    while True:
        m = _PREFIX.match(dbkey)
        if not m:
            break
        p, rest = m.group(1), m.group(2)
        number = ns.lookup(p)
        if number is not None and first:
            if number == TALK and _PREFIX.match(rest):
                inner = _PREFIX.match(rest)
                assert inner is not None
                if ns.lookup(inner.group(1)) is not None or (
                    interwiki and interwiki(inner.group(1).lower())):
                    raise InvalidTitle("title-invalid-talk-namespace", original)
            dbkey, namespace = rest, number
            break
        if interwiki and not prefix and interwiki(p.lower()):
            prefix = p.lower()
            dbkey = rest
            if dbkey.startswith(":"):
                dbkey = dbkey[1:].strip("_")
            namespace = MAIN
            break
        break
    fragment = ""
    if "#" in dbkey:
        dbkey, fragment = dbkey.split("#", 1)
        dbkey = dbkey.rstrip("_")
        fragment = fragment.replace("_", " ")
    if _INVALID.search(dbkey):
        raise InvalidTitle("title-invalid-characters", original)
    if "." in dbkey and (
        dbkey in (".", "..") or dbkey.startswith(("./", "../")) or "/./" in dbkey
        or "/../" in dbkey or dbkey.endswith(("/.", "/.."))
    ):
        raise InvalidTitle("title-invalid-relative", original)
    if "~~~" in dbkey and not prefix:
        raise InvalidTitle("title-invalid-magic-tilde", original)
    limit = 512 if namespace == SPECIAL else MAX_BYTES
    if len(dbkey.encode("utf-8")) > limit and not prefix:
        raise InvalidTitle("title-invalid-too-long", original)
    if not prefix and ns.is_capitalized(namespace):
        dbkey = ucfirst(dbkey)
    if dbkey == "" and not prefix:
        if not (allow_fragment_only and fragment and namespace == MAIN):
            raise InvalidTitle("title-invalid-empty", original)
    if dbkey.startswith(":"):
        raise InvalidTitle("title-invalid-leading-colon", original)
    if not prefix and not ns.exists(namespace):
        raise InvalidTitle("title-invalid-namespace", original)
    return Title(namespace, dbkey, fragment, prefix, ns)
