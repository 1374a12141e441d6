"""The sync state, stored on the local wiki itself so that the bot reads it back through the API:
a JSON document in the page ``Projet:Synchronisation/état`` (configurable with ``-state:``),
one entry per tracked page, written after every page the bot handled (so an interrupted run
resumes where it stopped).

Entry fields: ``source`` (``wikipedia:fr``), ``source_title``, ``source_revid`` (the last
upstream revision merged: the base of the next three-way merge), ``source_timestamp``,
``local_title``, ``local_revid`` (the local revision written by that sync), ``synced_at``,
``rewritten`` (link targets turned into interwiki links), ``status`` (``ok``, ``conflict``,
``moved``, ``deleted``), ``conflict`` (upstream revision and diffs), ``events`` (moves and
deletions seen upstream), ``files`` (files the page uses, to upload later), ``push``.

The JSON is wrapped in ``<pre>`` with ``<`` escaped, so the page renders as plain text.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import pywikibot

PRE_RE = re.compile(r"<pre>\n?(.*?)\n?</pre>", re.S)


@dataclass
class Entry:
    source: str
    source_title: str
    source_revid: int
    source_timestamp: str
    local_title: str
    local_revid: int
    synced_at: str
    rewritten: list[str] = field(default_factory=list)
    status: str = "ok"
    conflict: dict[str, Any] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    push: bool = False


class StateError(Exception):
    """The state page exists but cannot be read (edited by hand into invalid JSON)."""


class SyncState:
    """Tracked pages keyed by local title, loaded from and saved to the state page."""

    def __init__(self, site: pywikibot.site.APISite, title: str) -> None:
        self.page = pywikibot.Page(site, title)
        self.entries: dict[str, Entry] = {}
        self._saved_text = ""
        if self.page.exists():
            self._saved_text = self.page.text
            match = PRE_RE.search(self._saved_text)
            try:
                data = json.loads(match.group(1) if match else self._saved_text)
                self.entries = {k: Entry(**v) for k, v in data.get("pages", {}).items()}
            except (ValueError, TypeError, AttributeError) as exc:
                raise StateError(f"la page d'état [[{title}]] n'est pas un JSON valide : {exc}") from exc

    def text(self) -> str:
        data = {"version": 1, "pages": {k: asdict(v) for k, v in sorted(self.entries.items())}}
        body = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
        return ("État de la synchronisation, tenu par le robot bots.sync ; ne pas modifier à la "
                f"main.\n<pre>\n{body}\n</pre>\n")

    def save(self, summary: str) -> None:
        """Write the state page if it changed (a simulated run writes nothing)."""
        text = self.text()
        if text == self._saved_text or pywikibot.config.simulate:
            return
        self.page.text = text
        self.page.save(summary=summary, minor=True, quiet=True)
        self._saved_text = text
