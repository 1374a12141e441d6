"""Tests for wikiengine.search.analysis: folding, elision, stemming per language."""
from __future__ import annotations

from wikiengine.search.analysis import (fold, normalise_language, spelling_analyzer,
                                        text_analyzer, title_analyzer, words)


def tokens(analyzer, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]


def test_fold_removes_accents_ligatures_and_case() -> None:
    assert fold("Église") == fold("eglise") == fold("ÉGLISE") == "eglise"
    assert fold("Œuvre") == "oeuvre"
    assert fold("Straße") == "strasse"
    assert fold("  Saint_Marc   de  Brest ") == "saint marc de brest"


def test_french_elision_and_stop_words() -> None:
    got = tokens(text_analyzer("fr"), "L'église d'Ys qu'il aimait, jusqu'à l'aube")
    assert "l" not in got and "d" not in got and "qu" not in got
    assert got[0] == tokens(text_analyzer("fr"), "église")[0]
    assert "il" not in got  # stop word


def test_french_stemming_matches_plural_and_missing_accents() -> None:
    ana = text_analyzer("fr")
    assert tokens(ana, "églises") == tokens(ana, "eglise")
    assert tokens(ana, "lavoirs") == tokens(ana, "Lavoir")
    assert tokens(ana, "chevaux") == tokens(ana, "cheval")


def test_apostrophe_inside_word_is_kept() -> None:
    assert tokens(title_analyzer("fr"), "aujourd'hui") == ["aujourd'hui"]
    assert tokens(text_analyzer("fr"), "aujourd’hui") == ["aujourd'hui"]


def test_title_analyzer_keeps_stop_words() -> None:
    assert "le" in tokens(title_analyzer("fr"), "Le Conquet")
    assert "le" not in tokens(text_analyzer("fr"), "Le Conquet")


def test_english_possessive_and_stemming() -> None:
    ana = text_analyzer("en")
    assert tokens(ana, "the church's bells") == tokens(ana, "church bell")


def test_unknown_language_still_folds() -> None:
    assert tokens(text_analyzer("br"), "Skiantoù") == ["skiantou"]
    assert normalise_language("fr-FR") == "fr" and normalise_language("") == "fr"


def test_spelling_analyzer_keeps_accents() -> None:
    assert tokens(spelling_analyzer("fr"), "L'Église") == ["église"]
    assert words("d'Recouvrance", "fr") == ["recouvrance"]
