"""Title normalisation as MediaWiki does it (cases in tests/data/title/cases.tsv)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from wikiengine.namespaces import Namespaces
from wikiengine.title import InvalidTitle, Title

NS = Namespaces("fr", meta="Projet")
CASES = [
    line.split("\t")
    for line in (Path(__file__).parent / "data/title/cases.tsv").read_text("utf-8").splitlines()
    if not line.startswith("#")
]


@pytest.mark.parametrize("text,expected", CASES)
def test_normalisation(text: str, expected: str) -> None:
    if expected.startswith("!"):
        with pytest.raises(InvalidTitle) as info:
            Title.new(text, NS)
        assert info.value.code == expected[1:]
    else:
        assert Title.new(text, NS).prefixed_dbkey == expected


def test_long_title_refused() -> None:
    with pytest.raises(InvalidTitle) as info:
        Title.new("é" * 128, NS)
    assert info.value.code == "title-invalid-too-long"
    assert Title.new("é" * 127, NS).dbkey == "É" + "é" * 126


def test_parts_and_relations() -> None:
    t = Title.new("Discussion utilisateur:Jean/Brouillon/Lavoir#Sources", NS)
    assert (t.namespace, t.dbkey, t.fragment) == (3, "Jean/Brouillon/Lavoir", "Sources")
    assert t.subject_page().prefixed_text == "Utilisateur:Jean/Brouillon/Lavoir"
    assert t.base_text == "Jean/Brouillon" and t.root_text == "Jean"
    assert t.subpage_text == "Lavoir"
    assert Title.new("Brest", NS).talk_page().prefixed_text == "Discussion:Brest"
    assert Title.new("Brest/Histoire", NS).base_text == "Brest/Histoire"  # no subpages in main


def test_interwiki_prefix() -> None:
    t = Title.new("w:fr:Brest", NS, interwiki=lambda p: p in {"w"})
    assert t.interwiki == "w" and t.dbkey == "fr:Brest"


def test_english_names() -> None:
    en = Namespaces("en", meta="TestWiki")
    assert Title.new("modèle:x", en).namespace == 0  # French names mean nothing in English
    assert Title.new("template:x", en).prefixed_text == "Template:X"
    assert Title.new("project:x", en).prefixed_text == "TestWiki:X"


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text: str) -> None:
    try:
        t = Title.new(text, NS)
    except InvalidTitle:
        return
    again = Title.new(t.prefixed_text, NS)
    assert (again.namespace, again.dbkey) == (t.namespace, t.dbkey)
