"""Text analysis for the search index: tokenising, elision, accent folding, stemming.

Owns the analysers each index field uses, per content language (French by default, English
available; other languages fall back to a stemming-free folding analyser), and ``fold()``, the
one normalisation shared by analysers and by code that compares titles (Go, prefix search):
lower case, accents and ligatures removed, so ``Église``, ``eglise`` and ``ÉGLISE`` compare equal.

The chain for body text is: words (apostrophes kept inside a word) → lower case → elision
(``l'``, ``d'``, ``qu'``… in French, possessive ``'s`` in English) → stop words → accent folding
→ Snowball stemmer. Folding runs *before* stemming so that a query typed without accents stems
exactly like the accented word in the page.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    SubstitutionFilter,
)
from whoosh.lang import has_stemmer, has_stopwords, stopwords_for_language

#: A word: letters/digits, with inner apostrophes (``l'église``, ``aujourd'hui``, ``don't``).
WORD = r"\w+(?:['’]\w+)*"

#: French elided articles, pronouns and conjunctions (as Lucene's French ElisionFilter).
FRENCH_ELISION = r"^(?:l|m|t|qu|n|s|j|d|c|jusqu|quoiqu|lorsqu|puisqu)['’]"
ENGLISH_POSSESSIVE = r"['’]s$"

_LIGATURES = str.maketrans({
    "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i",
    "þ": "th", "ð": "d", "’": "'", "ʼ": "'",
})
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=65536)
def fold_word(text: str) -> str:
    """Lower-case ``text`` and remove accents and ligatures (``Œuvre`` → ``oeuvre``)."""
    lowered = text.lower().translate(_LIGATURES)
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered)).translate(_LIGATURES)


def fold(text: str) -> str:
    """``fold_word`` for any length of text, with runs of spaces/underscores made one space."""
    text = re.sub(r"[\s_]+", " ", text).strip()
    if len(text) <= 256:
        return fold_word(text)
    return fold_word.__wrapped__(text)


class FoldFilter(Filter):
    """Accent and ligature folding of each token (see :func:`fold_word`)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            t.text = fold_word(t.text)
            yield t


class DropEmptyFilter(Filter):
    """Remove tokens left empty by another filter (an apostrophe alone, say)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DropEmptyFilter)

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        for t in tokens:
            if t.text:
                yield t


def normalise_language(language: str | None) -> str:
    """``"fr-FR"`` → ``"fr"``; empty → ``"fr"`` (the wiki's default content language)."""
    return (language or "fr").split("-")[0].split("_")[0].lower() or "fr"


def _base(language: str) -> Analyzer:
    chain = RegexTokenizer(WORD) | LowercaseFilter()
    if language == "fr":
        chain = chain | SubstitutionFilter(FRENCH_ELISION, "")
    elif language == "en":
        chain = chain | SubstitutionFilter(ENGLISH_POSSESSIVE, "")
    return chain | DropEmptyFilter()


def text_analyzer(language: str) -> Analyzer:
    """Body text: elision, stop words, folding, stemming (Snowball) for ``language``."""
    language = normalise_language(language)
    chain = _base(language)
    if has_stopwords(language):
        chain = chain | StopFilter(stoplist=frozenset(stopwords_for_language(language)),
                                   minsize=1)
    chain = chain | FoldFilter()
    if has_stemmer(language):
        chain = chain | StemFilter(lang=language)
    return chain


def title_analyzer(language: str) -> Analyzer:
    """Titles, headings, categories: like body text but no stop words, so every word counts."""
    language = normalise_language(language)
    chain = _base(language) | FoldFilter()
    if has_stemmer(language):
        chain = chain | StemFilter(lang=language)
    return chain


def spelling_analyzer(language: str) -> Analyzer:
    """Words as written (lower case, accents kept): the vocabulary for "did you mean"."""
    return _base(normalise_language(language))


def key_analyzer() -> Analyzer:
    """One token per line, folded: the exact-title keys used by Go and prefix search."""
    return RegexTokenizer(r"[^\n]+") | FoldFilter()


def words(text: str, language: str) -> list[str]:
    """The words of ``text`` as the spelling analyser sees them (for suggestions)."""
    return [t.text for t in spelling_analyzer(language)(text)]
