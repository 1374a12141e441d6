"""bots.sync.merge (diff3 on lines) and bots.sync.text (link rewriting, licences, summaries,
talk page block): pure functions, no wiki needed."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bots.sync import text as T
from bots.sync.merge import merge3, unified
from bots_harness import DATA


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_edits_on_different_paragraphs_merge_cleanly() -> None:
    result = merge3(_read("merge-base.wiki"), _read("merge-local.wiki"), _read("merge-upstream.wiki"))
    assert result.clean
    assert "du Finistère, en Bretagne" in result.text and "puis reconstruite" in result.text
    assert result.text.count("\n\n") == 2


def test_same_paragraph_is_a_conflict_and_local_is_kept() -> None:
    base, local = _read("merge-base.wiki"), _read("merge-local.wiki")
    result = merge3(base, local, _read("merge-upstream-conflict.wiki"))
    assert len(result.conflicts) == 1
    assert "portuaire" in result.conflicts[0]["upstream"] and "Finistère" in result.conflicts[0]["local"]
    assert "Finistère" in result.text and "portuaire" not in result.text
    assert "puis reconstruite" in result.text  # the other paragraph still merges


def test_identical_changes_and_unchanged_sides() -> None:
    base, local = _read("merge-base.wiki"), _read("merge-local.wiki")
    assert merge3(base, local, local).text == local
    assert merge3(base, base, local).text == local
    assert merge3(base, local, base).text == local
    assert merge3("a", "a", "b").text == "b"


lines = st.lists(st.sampled_from(["a", "b", "c", "", "d e"]), max_size=8).map(lambda x: "\n".join(x) + "\n")


@settings(max_examples=200, deadline=None)
@given(lines, lines)
def test_merge_with_an_unchanged_side_returns_the_other(base: str, other: str) -> None:
    assert merge3(base, base, other).text == other
    assert merge3(base, other, base).text == other
    assert merge3(base, other, other).clean


def test_unified_diff() -> None:
    diff = unified("a\nb\n", "a\nc\n", "old", "new")
    assert "-b\n" in diff and "+c\n" in diff and diff.startswith("--- old")
    assert unified("x\n", "x\n", "o", "n") == ""


def test_link_rewriting_round_trip() -> None:
    text = "Voir [[Brest]], [[Penfeld|la Penfeld]], [[Penfeld#Cours]], [[:Catégorie:X]] et [[Brest]]."
    assert T.link_targets(text) == ["Brest", "Penfeld"]
    out = T.rewrite_links(text, "w:fr", lambda t: t == "Penfeld")
    assert "[[w:fr:Penfeld|la Penfeld]]" in out and "[[w:fr:Penfeld#Cours|Penfeld#Cours]]" in out
    assert "[[Brest]]" in out and "[[:Catégorie:X]]" in out
    assert T.unrewrite_links("[[w:fr:Penfeld|Penfeld]] [[w:fr:Penfeld|la Penfeld]]", "w:fr") == \
        "[[Penfeld]] [[Penfeld|la Penfeld]]"


def test_licences() -> None:
    assert T.incompatible_licences("{{Licence|CC BY-ND 4.0}}") == ["CC BY-ND 4.0"]
    assert T.incompatible_licences("{{Licence|CC BY-NC-SA 4.0}}") == ["CC BY-NC-SA 4.0"]
    assert T.incompatible_licences("{{licence|Tous droits réservés}}") == ["Tous droits réservés"]
    assert T.incompatible_licences("{{Licence|CC BY-SA 4.0}} {{Licence|CC0}}") == []
    assert T.incompatible_licences("Aucun modèle.") == []


def test_summaries_and_talk_block() -> None:
    summary = T.import_summary("w:fr:Brest", 123456)
    assert summary == "Importé depuis [[w:fr:Brest]] (révision 123456)"
    assert T.parse_import_summary(summary) == ("w:fr:Brest", 123456)
    assert T.parse_import_summary("Mis à jour depuis [[w:fr:Brest]] (révision 1)") is None
    params = {"site": "wikipedia:fr", "page": "Brest", "révision": "1", "date": "2026-01-01",
              "licence": T.LICENCE, "renvoi": "non"}
    block = T.talk_block(params, "https://fr.wikipedia.org/w/index.php?title=Brest&action=history", "w:fr:Brest")
    talk = T.replace_block("Discussion existante.", block)
    assert talk.startswith(T.BEGIN) and talk.endswith("Discussion existante.")
    assert T.block_param(talk, "renvoi") == "non"
    params["renvoi"] = "oui"
    again = T.replace_block(talk, T.talk_block(params, "u", "w:fr:Brest"))
    assert again.count(T.BEGIN) == 1 and T.block_param(again, "renvoi") == "oui"
    assert again.endswith("Discussion existante.")
