"""Line and word diffs for history, "show changes" and conflicts; three-way merge.

Owns the diff *data* that the web views render (``line_diff`` -> blocks of rows, each changed
row carrying word-level segments, like MediaWiki's side-by-side ``TableDiffFormatter``), an
HTML rendering of those rows with MediaWiki's class names (``diff_table_rows``), and
``merge3``: MediaWiki merges non-overlapping concurrent edits with GNU diff3; this is the same
line-based algorithm (identical changes on both sides are not a conflict; changes that overlap
or touch the same unchanged stretch are).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Callable

#: (op, text) with op one of "equal", "delete", "insert".
Segment = tuple[str, str]

#: MediaWiki shows two lines of context before and after each change.
CONTEXT_LINES = 2
#: Above this many word pairs a changed line is not diffed word by word (quadratic cost).
MAX_WORD_DIFF_WORK = 4_000_000

#: MediaWiki's WordLevelDiff tokens: a run of spaces, a word or one other character, each
#: with one following space attached.
_WORDS = re.compile(r"(?:[^\S\n]+|\w+|.)[^\S\n]?", re.S)


def split_lines(text: str) -> list[str]:
    """Lines as MediaWiki's differ sees them (``explode("\\n")``; empty text has none)."""
    return text.split("\n") if text != "" else []


@dataclass
class DiffRow:
    """One row of a side-by-side diff.

    ``kind``: ``context`` (same on both sides), ``delete`` (left only), ``add`` (right only)
    or ``change`` (both, with word-level ``old_segments``/``new_segments``). Line numbers
    are 1-based, None on the empty side.
    """

    kind: str
    old_line: int | None
    new_line: int | None
    old_text: str | None
    new_text: str | None
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)


@dataclass
class DiffBlock:
    """A hunk: rows starting at ``old_start``/``new_start`` (MediaWiki's "Line N:")."""

    old_start: int
    new_start: int
    rows: list[DiffRow]


def word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Word-level diff of two lines: segments of the old line (equal/delete) and of the new
    line (equal/insert), adjacent segments of one kind joined."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    if len(a) * len(b) > MAX_WORD_DIFF_WORK:  # a huge line: shown as replaced, like wikidiff2
        return ([("delete", old)] if old else []), ([("insert", new)] if new else [])
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _push(left, "equal", "".join(a[i1:i2]))
            _push(right, "equal", "".join(b[j1:j2]))
            continue
        if i2 > i1:
            _push(left, "delete", "".join(a[i1:i2]))
        if j2 > j1:
            _push(right, "insert", "".join(b[j1:j2]))
    return left, right


def _push(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == op:
        segments[-1] = (op, segments[-1][1] + text)
    else:
        segments.append((op, text))


def line_diff(old: str, new: str, context: int = CONTEXT_LINES) -> list[DiffBlock]:
    """The blocks of a side-by-side diff from ``old`` to ``new`` (empty list: identical)."""
    a, b = split_lines(old), split_lines(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    blocks: list[DiffBlock] = []
    for group in matcher.get_grouped_opcodes(context):
        first = group[0]
        block = DiffBlock(first[1] + 1, first[3] + 1, [])
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                for k in range(i2 - i1):
                    line = a[i1 + k]
                    block.rows.append(DiffRow("context", i1 + k + 1, j1 + k + 1, line, line,
                                              [("equal", line)], [("equal", line)]))
            elif op == "delete":
                block.rows.extend(_deleted(a, i1, i2))
            elif op == "insert":
                block.rows.extend(_added(b, j1, j2))
            else:
                block.rows.extend(_changed(a, i1, i2, b, j1, j2))
        blocks.append(block)
    return blocks


def _deleted(a: list[str], i1: int, i2: int) -> list[DiffRow]:
    return [DiffRow("delete", i + 1, None, a[i], None, [("delete", a[i])], [])
            for i in range(i1, i2)]


def _added(b: list[str], j1: int, j2: int) -> list[DiffRow]:
    return [DiffRow("add", None, j + 1, None, b[j], [], [("insert", b[j])])
            for j in range(j1, j2)]


def _changed(a: list[str], i1: int, i2: int, b: list[str], j1: int, j2: int) -> list[DiffRow]:
    """Pair the lines of a changed stretch in order (as MediaWiki's TableDiffFormatter does);
    lines left over on one side are plain deletions or additions."""
    rows: list[DiffRow] = []
    pairs = min(i2 - i1, j2 - j1)
    for k in range(pairs):
        left, right = word_diff(a[i1 + k], b[j1 + k])
        rows.append(DiffRow("change", i1 + k + 1, j1 + k + 1, a[i1 + k], b[j1 + k], left, right))
    rows.extend(_deleted(a, i1 + pairs, i2))
    rows.extend(_added(b, j1 + pairs, j2))
    return rows


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """(lines removed, lines added)."""
    a, b = split_lines(old), split_lines(new)
    removed = added = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += i2 - i1
            added += j2 - j1
    return removed, added


# -- HTML ----------------------------------------------------------------------------------

def _segments_html(segments: list[Segment]) -> str:
    out = []
    for op, text in segments:
        if op == "equal":
            out.append(html.escape(text, quote=False))
        else:
            tag = "del" if op == "delete" else "ins"
            out.append(f'<{tag} class="diffchange diffchange-inline">'
                       f"{html.escape(text, quote=False)}</{tag}>")
    return "".join(out)


def _cell(kind: str, side: str, segments: list[Segment]) -> str:
    marker = {"delete": "\u2212", "add": "+"}.get(kind, "")
    cls = {"context": "diff-context", "delete": "diff-deletedline",
           "add": "diff-addedline"}[kind]
    cls += " diff-side-deleted" if side == "old" else " diff-side-added"
    data = f' data-marker="{marker}"' if marker else ""
    inner = _segments_html(segments)
    return f'<td class="diff-marker"{data}></td><td class="{cls}"><div>{inner}</div></td>'


def _empty(side: str) -> str:
    cls = "diff-side-deleted" if side == "old" else "diff-side-added"
    return f'<td colspan="2" class="diff-empty {cls}"></td>'


def diff_table_rows(blocks: list[DiffBlock],
                    line_label: Callable[[int], str] = lambda n: f"Line {n}:") -> str:
    """``<tr>`` rows for a ``<table class="diff">`` with MediaWiki's classes, all text
    escaped; ``line_label`` localises "Line N:" (French: ``lambda n: f"Ligne {n} :"``)."""
    out: list[str] = []
    for block in blocks:
        out.append(
            f'<tr><td colspan="2" class="diff-lineno">{html.escape(line_label(block.old_start))}'
            f'</td><td colspan="2" class="diff-lineno">'
            f"{html.escape(line_label(block.new_start))}</td></tr>")
        for row in block.rows:
            if row.kind == "context":
                cells = _cell("context", "old", row.old_segments) + \
                    _cell("context", "new", row.new_segments)
            elif row.kind == "delete":  # a whole line: no inline <del>, as in MediaWiki
                cells = _cell("delete", "old", [("equal", row.old_text or "")]) + _empty("new")
            elif row.kind == "add":
                cells = _empty("old") + _cell("add", "new", [("equal", row.new_text or "")])
            else:
                cells = _cell("delete", "old", row.old_segments) + \
                    _cell("add", "new", row.new_segments)
            out.append(f"<tr>{cells}</tr>")
    return "\n".join(out)


# -- three-way merge -----------------------------------------------------------------------

def _sync_regions(base: list[str], a: list[str], b: list[str]) -> list[tuple[int, ...]]:
    """Stretches of ``base`` unchanged in both ``a`` and ``b``: (base_start, base_end,
    a_start, a_end, b_start, b_end), ending with an empty sentinel region."""
    ma = SequenceMatcher(None, base, a, autojunk=False).get_matching_blocks()
    mb = SequenceMatcher(None, base, b, autojunk=False).get_matching_blocks()
    regions: list[tuple[int, ...]] = []
    ia = ib = 0
    while ia < len(ma) and ib < len(mb):
        abase, amatch, alen = ma[ia]
        bbase, bmatch, blen = mb[ib]
        start = max(abase, bbase)
        end = min(abase + alen, bbase + blen)
        if start < end:
            a_start = amatch + (start - abase)
            b_start = bmatch + (start - bbase)
            regions.append((start, end, a_start, a_start + end - start,
                            b_start, b_start + end - start))
        if abase + alen < bbase + blen:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return regions


def merge3(base: str, current: str, proposed: str) -> str | None:
    """Merge the changes base->current and base->proposed; None when they overlap.

    Works on lines; a change made identically on both sides is taken once.
    """
    if current == proposed:
        return current
    if base == current:
        return proposed
    if base == proposed:
        return current
    o, a, b = (split_lines(t + "\n") for t in (base, current, proposed))
    out: list[str] = []
    io = ia = ib = 0
    for zo, zo_end, za, za_end, zb, zb_end in _sync_regions(o, a, b):
        chunk_o, chunk_a, chunk_b = o[io:zo], a[ia:za], b[ib:zb]
        if chunk_o or chunk_a or chunk_b:
            if chunk_a == chunk_b or chunk_b == chunk_o:
                out.extend(chunk_a)
            elif chunk_a == chunk_o:
                out.extend(chunk_b)
            else:
                return None
        out.extend(o[zo:zo_end])
        io, ia, ib = zo_end, za_end, zb_end
    merged = "\n".join(out)
    return merged[:-1] if merged.endswith("\n") else merged
