"""Tests for wikiengine.diff: word-level and line diffs, HTML rows, three-way merge."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from wikiengine.diff import (diff_stats, diff_table_rows, line_diff, merge3, split_lines,
                             word_diff)

DATA = Path(__file__).parent / "data" / "diff"
CASES = json.loads((DATA / "merge_cases.json").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_merge3_cases(case: dict) -> None:
    assert merge3(case["base"], case["current"], case["proposed"]) == case["merged"]


def test_word_diff_marks_only_changed_words() -> None:
    left, right = word_diff("le port de Brest", "le grand port de Brest")
    assert left == [("equal", "le port de Brest")]
    assert right == [("equal", "le "), ("insert", "grand "), ("equal", "port de Brest")]
    left, right = word_diff("rue de Siam", "rue Jean Jaurès")
    assert ("delete", "de Siam") in left and ("insert", "Jean Jaurès") in right


def test_line_diff_blocks_and_context() -> None:
    old = "\n".join(f"line {i}" for i in range(1, 21))
    new = old.replace("line 3", "line three").replace("line 18", "line 18\nline 18b")
    blocks = line_diff(old, new)
    assert len(blocks) == 2
    first, second = blocks
    assert (first.old_start, first.new_start) == (1, 1)
    kinds = [r.kind for r in first.rows]
    assert kinds == ["context", "context", "change", "context", "context"]
    change = first.rows[2]
    assert change.old_line == change.new_line == 3
    assert ("insert", "three") in change.new_segments and ("delete", "3") in change.old_segments
    assert [r.kind for r in second.rows] == ["context", "context", "add", "context", "context"]
    assert second.rows[2].new_line == 19 and second.rows[2].old_line is None
    assert line_diff(old, old) == []


def test_deleted_and_added_lines() -> None:
    blocks = line_diff("a\nb\nc", "a\nc\nd")
    rows = [(r.kind, r.old_text, r.new_text) for b in blocks for r in b.rows]
    assert ("delete", "b", None) in rows and ("add", None, "d") in rows
    assert diff_stats("a\nb\nc", "a\nc\nd") == (1, 1)


def test_html_rows_escape_and_use_mediawiki_classes() -> None:
    html = diff_table_rows(line_diff("<b>x</b>\nsame", "<b>y</b>\nsame\n&new"),
                           line_label=lambda n: f"Ligne {n} :")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'class="diff-lineno">Ligne 1 :' in html
    assert '<del class="diffchange diffchange-inline">x</del>' in html
    assert '<ins class="diffchange diffchange-inline">y</ins>' in html
    assert 'class="diff-addedline diff-side-added"><div>&amp;new</div>' in html
    assert 'class="diff-empty diff-side-deleted"' in html


lines = st.lists(st.sampled_from(["a", "b", "c", "d", "", "é", "x y"]), max_size=8)


@given(lines, lines)
@settings(max_examples=200, deadline=None)
def test_merge3_with_one_side_unchanged_takes_the_other(base: list[str], other: list[str]) -> None:
    b, o = "\n".join(base), "\n".join(other)
    assert merge3(b, b, o) == o
    assert merge3(b, o, b) == o
    assert merge3(b, o, o) == o


@given(st.lists(st.text("abc", min_size=1, max_size=3), min_size=6, max_size=12),
       st.text("XYZ", min_size=1, max_size=3), st.text("XYZ", min_size=1, max_size=3))
@settings(max_examples=200, deadline=None)
def test_merge3_distant_edits_keep_both(base: list[str], first: str, last: str) -> None:
    current = [first] + base[1:]
    proposed = base[:-1] + [last]
    merged = merge3("\n".join(base), "\n".join(current), "\n".join(proposed))
    assert merged == "\n".join([first] + base[1:-1] + [last])


@given(st.text(alphabet="ab\n ", max_size=40), st.text(alphabet="ab\n ", max_size=40))
@settings(max_examples=200, deadline=None)
def test_line_diff_reconstructs_both_sides(old: str, new: str) -> None:
    blocks = line_diff(old, new, context=10_000)
    if old == new:
        assert blocks == []
        return
    assert len(blocks) == 1
    left = [r.old_text for r in blocks[0].rows if r.old_text is not None]
    right = [r.new_text for r in blocks[0].rows if r.new_text is not None]
    assert left == split_lines(old) and right == split_lines(new)


def test_huge_changed_line_is_replaced_whole_and_fast() -> None:
    import time

    old = " ".join(f"mot{i}" for i in range(5000))
    new = old.replace("mot10 ", "MOT10 ")
    start = time.perf_counter()
    left, right = word_diff(old, new)
    assert time.perf_counter() - start < 2
    assert left == [("delete", old)] and right == [("insert", new)]
    small_left, _ = word_diff("a b c", "a x c")
    assert ("delete", "b ") in small_left
