"""Strip markers: placeholders for finished HTML that later passes must not touch.

Owns MediaWiki's marker format (``Parser::MARKER_PREFIX``/``MARKER_SUFFIX``) and the
``StripState`` that maps markers back to their HTML (``nowiki`` and ``general`` kinds).
Heading markers (``-h-N-``) that the preprocessor inserts into headings are general
markers holding the empty string.
"""
from __future__ import annotations

import re

MARKER_PREFIX = "\x7f'\"`UNIQ-"
MARKER_SUFFIX = "-QINU`\"'\x7f"

MARKER_RE = re.compile(re.escape(MARKER_PREFIX) + r"-([a-zA-Z0-9_\-]+)-([0-9A-F]{8})" + re.escape(MARKER_SUFFIX))
HEADING_MARKER_RE = re.compile(re.escape(MARKER_PREFIX) + r"-h-(\d+)-" + re.escape(MARKER_SUFFIX))
ANY_MARKER_RE = re.compile(re.escape(MARKER_PREFIX) + r".*?" + re.escape(MARKER_SUFFIX), re.S)

MAX_UNSTRIP_DEPTH = 20


def heading_marker(serial: int) -> str:
    """The marker the preprocessor puts in front of heading number ``serial``."""
    return f"{MARKER_PREFIX}-h-{serial}-{MARKER_SUFFIX}"


class StripState:
    """Holds the HTML behind every strip marker of one parse."""

    def __init__(self) -> None:
        self.nowiki: dict[str, str] = {}
        self.general: dict[str, str] = {}
        self._counter = 0

    def _marker(self, name: str) -> str:
        self._counter += 1
        return f"{MARKER_PREFIX}-{name}-{self._counter:08X}{MARKER_SUFFIX}"

    def add_nowiki(self, html: str, name: str = "nowiki") -> str:
        """Store ``html`` (unstripped early, before link handling) and return its marker."""
        marker = self._marker(name)
        self.nowiki[marker] = html
        return marker

    def add_general(self, html: str, name: str = "item") -> str:
        """Store ``html`` (unstripped at the very end) and return its marker."""
        marker = self._marker(name)
        self.general[marker] = html
        return marker

    def add_heading(self, serial: int) -> str:
        """Register the heading marker ``-h-serial-`` (it unstrips to nothing)."""
        marker = heading_marker(serial)
        self.general[marker] = ""
        return marker

    def _unstrip(self, text: str, table: dict[str, str], depth: int = 0) -> str:
        if not table or MARKER_PREFIX not in text:
            return text

        def repl(m: re.Match[str]) -> str:
            key = m.group(0)
            if key not in table:
                return key
            value = table[key]
            if depth < MAX_UNSTRIP_DEPTH and MARKER_PREFIX in value:
                return self._unstrip(value, table, depth + 1)
            return value

        return ANY_MARKER_RE.sub(repl, text)

    def unstrip_nowiki(self, text: str) -> str:
        return self._unstrip(text, self.nowiki)

    def unstrip_general(self, text: str) -> str:
        return self._unstrip(text, self.general)

    def unstrip_both(self, text: str) -> str:
        for _ in range(MAX_UNSTRIP_DEPTH):
            new = self.unstrip_general(self.unstrip_nowiki(text))
            if new == text:
                break
            text = new
        return text

    def kill_markers(self, text: str) -> str:
        """Remove every marker (used for plain-text contexts such as anchors)."""
        return ANY_MARKER_RE.sub("", text)
