"""The references of one parse: a port of Cite's ``ReferenceStack`` (MediaWiki 1.39).

Owns numbering (one key sequence for the page, one number sequence per group), named and
reused refs, ``follow=`` continuations, ``extends=`` sub-references with their parent
placeholders, the duplicate-definition warnings, and the call stack that lets
``{{#tag:references|…}}`` roll back the ``<ref>``s it contains and redo them inside.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ref:
    name: str | None
    group: str
    key: int | None = None
    number: int | None = None
    count: int = 0                  # times used in the text
    text: str | None = None
    follow: str | None = None
    dir: str | None = None
    extends: str | None = None
    extends_index: int | None = None
    placeholder: bool = False
    warnings: list[tuple[str, tuple]] = field(default_factory=list)


@dataclass
class Call:
    action: str                     # new, populate, increment, assign
    group: str
    lookup: Any
    extends: str | None
    text: str | None
    argv: dict
    warned: int = 0                 # warnings this call added to the ref


class ReferenceStack:
    def __init__(self) -> None:
        self.refs: dict[str, dict[Any, Ref]] = {}
        self.ref_sequence = 0
        self.group_sequence: dict[str, int] = {}
        self.extends_count: dict[str, dict[str, int]] = {}
        self.calls: list[Call | None] = []

    def has_group(self, group: str) -> bool:
        return bool(self.refs.get(group))

    def group_refs(self, group: str) -> dict[Any, Ref]:
        return self.refs.get(group, {})

    def groups(self) -> list[str]:
        return [g for g, refs in self.refs.items() if refs]

    def pop_group(self, group: str) -> dict[Any, Ref]:
        refs = self.refs.pop(group, {})
        self.group_sequence.pop(group, None)
        self.extends_count.pop(group, None)
        return refs

    def push_invalid(self) -> None:
        self.calls.append(None)

    def push(self, text: str | None, argv: dict, group: str, name: str | None,
             extends: str | None, follow: str | None, dir_: str | None) -> tuple[Ref, int] | None:
        """Record one valid ``<ref>``; returns (ref, use index) or None for a follow-up."""
        refs = self.refs.setdefault(group, {})
        self.group_sequence.setdefault(group, 0)
        if follow and follow in refs:
            parent = refs[follow]
            parent.text = (parent.text or "") + " " + (text or "")
            self.calls.append(None)
            return None
        ref: Ref | None = refs.get(name) if name else None
        if ref is None:
            self.ref_sequence += 1
            ref = Ref(name=name, group=group, key=self.ref_sequence)
            lookup: Any = name if name else ("\0", ref.key)
            refs[lookup] = ref
            action = "new"
        elif ref.placeholder:
            ref.placeholder = False
            self.ref_sequence += 1
            ref.key = self.ref_sequence
            lookup = name
            action = "populate"
        else:
            lookup = name
            action = "increment"
        warnings_before = len(ref.warnings)
        if follow:
            ref.follow = follow
            ref.text = text
            self.calls.append(Call(action, group, lookup, extends, text, argv))
            return None
        if text is not None:
            if ref.text is None:
                ref.text = text
                if action == "increment":
                    action = "assign"
            elif ref.text != text:
                ref.warnings.append(("cite_error_references_duplicate_key", (name or "",)))
            if dir_:
                ref.dir = dir_.lower()
        if extends and ref.extends is not None and ref.extends != extends:
            ref.warnings.append(("cite_error_references_duplicate_key", (name or "",)))
        if ref.number is None and not follow:
            if extends:
                parent = refs.get(extends)
                if parent is None:
                    self.group_sequence[group] += 1
                    parent = Ref(name=extends, group=group, number=self.group_sequence[group],
                                 placeholder=True)
                    refs[extends] = parent
                elif parent.number is None:
                    self.group_sequence[group] += 1
                    parent.number = self.group_sequence[group]
                counts = self.extends_count.setdefault(group, {})
                counts[extends] = counts.get(extends, 0) + 1
                ref.extends = extends
                ref.extends_index = counts[extends]
                ref.number = parent.number
            else:
                self.group_sequence[group] += 1
                ref.number = self.group_sequence[group]
        ref.count += 1
        self.calls.append(Call(action, group, lookup, extends, text, argv,
                               len(ref.warnings) - warnings_before))
        return ref, ref.count - 1

    def set_text(self, group: str, name: str, text: str) -> None:
        self.refs[group][name].text = text

    def rollback(self, count: int) -> list[tuple[dict, str | None]]:
        """Undo the last ``count`` ``<ref>`` calls; their (argv, text) to redo, in order."""
        redo: list[tuple[dict, str | None]] = []
        while count > 0 and self.calls:
            count -= 1
            call = self.calls.pop()
            if call is None:
                continue
            self._rollback_one(call)
            redo.append((call.argv, call.text))
        self.calls = []
        redo.reverse()
        return redo

    def _rollback_one(self, call: Call) -> None:
        refs = self.refs.get(call.group)
        if not refs or call.lookup not in refs:
            return
        ref = refs[call.lookup]
        if call.warned:
            del ref.warnings[-call.warned:]
        if call.action == "new":
            del refs[call.lookup]
            if call.extends:
                counts = self.extends_count.get(call.group, {})
                if counts.get(call.extends):
                    counts[call.extends] -= 1
            elif call.group in self.group_sequence and ref.number is not None:
                self.group_sequence[call.group] -= 1
            if not refs:
                self.pop_group(call.group)
        elif call.action == "populate":
            ref.count -= 1
            ref.text = None
        elif call.action == "assign":
            ref.count -= 1
            ref.text = None
        else:
            ref.count -= 1
