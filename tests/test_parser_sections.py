"""Tests of section extraction and replacement (wikiengine.parser.sections)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikiengine.parser.sections import add_section, get_section, replace_section, section_numbers

TEXT = (Path(__file__).parent / "data" / "preprocess" / "sections.txt").read_text(
    encoding="utf-8").rstrip("\n")


def test_section_zero_is_the_lead() -> None:
    assert get_section(TEXT, 0) == "Lead text"


def test_section_includes_subsections_and_hidden_headings() -> None:
    one = get_section(TEXT, 1)
    assert one is not None
    assert one.startswith("== One ==\none\n=== One.one ===")
    assert "Not a section (comment)" in one
    assert "Not a section (nowiki)" in one
    assert "Not a section (template argument)" in one
    assert one.endswith("}}")


def test_numbering_skips_headings_in_comments_nowiki_templates() -> None:
    # the heading inside the template argument takes number 3 without being a section
    assert get_section(TEXT, 2).startswith("=== One.one ===")
    assert get_section(TEXT, 3) is None
    assert get_section(TEXT, 3, default="") == ""
    assert get_section(TEXT, 4).startswith("== Two ==")
    assert get_section(TEXT, 5) == "=Three=\nthree"
    assert section_numbers(TEXT) == [1, 2, 4, 5]


def test_transcluded_numbering() -> None:
    assert section_numbers(TEXT, for_include=True) == [1, 2, 4, 5, 6]
    assert get_section(TEXT, "T-5") == "== Only when transcluded ==\n</includeonly>"
    assert get_section(TEXT, "T-6") == "=Three=\nthree"


def test_replace_section() -> None:
    out = replace_section(TEXT, 4, "== Deux ==\ndeux")
    assert out is not None
    assert "== Deux ==\ndeux\n\n=Three=" in out
    assert "== Two ==" not in out
    assert out.startswith("Lead text\n== One ==")


def test_replace_section_zero_and_missing() -> None:
    out = replace_section(TEXT, 0, "New lead")
    assert out is not None and out.startswith("New lead\n\n== One ==")
    assert replace_section(TEXT, 9, "x") is None
    assert replace_section(TEXT, "bogus", "x") is None


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_page(text: str) -> None:
    assert get_section("", 0) == ""
    assert get_section("", 1) is None
    assert replace_section("", 0, "x") == "x"
    assert add_section(text, "Titre", "corps") == "== Titre ==\n\ncorps"


def test_new_section() -> None:
    assert add_section("a", "Titre", "corps") == "a\n\n== Titre ==\n\ncorps"
    assert add_section("a", "", "corps") == "a\n\ncorps"


def test_round_trip_every_section() -> None:
    for n in [0] + section_numbers(TEXT):
        body = get_section(TEXT, n)
        assert body is not None
        assert replace_section(TEXT, n, body) is not None


LINES = ["== A ==", "=== B ===", "=C=", "text", "<!--", "-->", "<nowiki>", "</nowiki>",
         "{{x|", "}}", "<includeonly>", "</includeonly>", "", "====== D ======", "==E"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=30), st.integers(min_value=0, max_value=8))
def test_fuzz_sections(lines: list[str], n: int) -> None:
    text = "\n".join(lines)
    got = get_section(text, n)
    numbers = section_numbers(text)
    assert (got is not None) == (n == 0 or n in numbers)
    replaced = replace_section(text, n, "NEW")
    assert (replaced is None) == (got is None)
    if replaced is not None:
        assert "NEW" in replaced
    if got is not None and n == 0:
        assert text.startswith(got)


def test_headings_inside_tags_are_not_sections() -> None:
    text = "a\n<gallery>\n== G ==\n</gallery>\n<ref>\n== R ==\n</ref>\n== S =="
    assert section_numbers(text) == [1, 2]
    assert section_numbers(text, tags=("ref",)) == [1]
    assert get_section(text, 1, tags=("ref",)) == "== S =="
