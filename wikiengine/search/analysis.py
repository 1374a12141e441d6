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
import struct
import unicodedata
from functools import lru_cache

import numpy as np
from whoosh.analysis import Analyzer, Filter, RegexTokenizer
from whoosh.formats import Format, Frequency, Positions
from whoosh.system import pack_uint
from whoosh.lang import has_stemmer, has_stopwords, stemmer_for_language, stopwords_for_language

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


_TERM_CACHES: dict[tuple[str, bool, bool, bool], dict[str, "str | None"]] = {}


class WordFilter(Filter):
    """Lower case, elision, stop words, folding and stemming in one pass, cached per word.

    One filter instead of a chain of five: indexing spends most of its analysis time passing
    tokens from generator to generator, and a wiki repeats the same words endlessly. Stop words
    are removed and positions renumbered (as Whoosh's ``StopFilter``), so ``"rade de Brest"``
    still matches as a phrase; with ``removestops=False`` (highlighting) they are marked stopped.
    """

    def __init__(self, language: str, stop: bool = True, fold: bool = True, stem: bool = True):
        self.language = language
        self.stop = stop and has_stopwords(language)
        self.fold = fold
        self.stem = stem and has_stemmer(language)
        self._setup()

    def _setup(self) -> None:
        # One cache per kind of filter, shared by every field and every copy of the schema.
        key = (self.language, self.stop, self.fold, self.stem)
        self._cache: dict[str, str | None] = _TERM_CACHES.setdefault(key, {})
        self._stops = frozenset(stopwords_for_language(self.language)) if self.stop else frozenset()
        self._stemmer = stemmer_for_language(self.language) if self.stem else None
        self._elision = re.compile(FRENCH_ELISION if self.language == "fr" else
                                   ENGLISH_POSSESSIVE if self.language == "en" else r"(?!)")

    def __getstate__(self) -> dict[str, object]:
        return {"language": self.language, "stop": self.stop, "fold": self.fold,
                "stem": self.stem}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordFilter) and self.__getstate__() == other.__getstate__()

    def term(self, word: str) -> str | None:
        """The indexed form of ``word``: "" to drop it, None for a stop word."""
        found = self._cache.get(word, False)
        if found is not False:
            return found  # type: ignore[return-value]
        text = self._elision.sub("", word.lower())
        result: str | None
        if not text:
            result = ""
        elif text in self._stops:
            result = None
        else:
            if self.fold:
                text = fold_word(text)
            result = self._stemmer(text) if self._stemmer is not None else text
        if len(self._cache) < 200_000:  # bounded memory on a huge vocabulary
            self._cache[word] = result
        return result

    def __call__(self, tokens):  # type: ignore[no-untyped-def]
        term = self.term
        pos = None
        for t in tokens:
            result = term(t.text)
            if result:
                if t.positions:
                    if pos is None:
                        pos = t.pos
                    else:
                        pos += 1
                        t.pos = pos
                t.text = result
                t.stopped = False
                yield t
            elif result is None and not t.removestops:
                t.stopped = True
                yield t


def _fast_terms(analyzer, value: object, kwargs: dict):  # type: ignore[no-untyped-def]
    """``(word pattern, WordFilter.term)`` when ``analyzer`` is one of ours (a plain
    ``RegexTokenizer`` then a ``WordFilter``) indexing a string; else None."""
    items = getattr(analyzer, "items", None)
    if (not isinstance(value, str) or set(kwargs) - {"mode"} or not items or len(items) != 2
            or type(items[0]) is not RegexTokenizer or items[0].gaps
            or items[0].expression.groups or not isinstance(items[1], WordFilter)):
        return None
    return items[0].expression, items[1].term


@lru_cache(maxsize=512)
def _gap_struct(count: int) -> struct.Struct:
    return struct.Struct(f"<{count}I")


class FastPositions(Positions):
    """Whoosh's ``Positions`` format, computing a document's postings without Token objects,
    and storing positions so that a whole posting list decodes with numpy.

    For our analysers the words are found with one ``findall`` and mapped to terms through the
    ``WordFilter`` cache, positions numbered exactly as the token chain numbers them (the first
    kept word keeps its place, later ones follow it: stop words removed); indexing spends about
    half as long in analysis. Other analysers: unchanged.

    A value is the count (4 bytes, big-endian, as Whoosh's) followed by the gaps between
    positions as little-endian 32-bit words, instead of a pickled list: one value is decoded
    in a few array operations, and a posting list's values joined together are decoded at
    once (``decode_positions_array``, used by phrase queries in ``search.arrays``).
    """

    def encode(self, poslist):  # type: ignore[no-untyped-def]
        count = len(poslist)
        gaps = map(int.__sub__, poslist, [0, *poslist[:-1]])
        return pack_uint(count) + _gap_struct(count).pack(*gaps)

    def decode_positions(self, valuestring):  # type: ignore[no-untyped-def]
        return np.cumsum(np.frombuffer(valuestring, "<u4", offset=4), dtype=np.int64).tolist()

    def decode_positions_array(self, values: list[bytes], counts: np.ndarray) -> np.ndarray:
        """Every position of the postings whose ``values`` are given, flat, in order;
        ``counts`` are their frequencies (the weights of an unboosted field)."""
        counts = np.asarray(counts, dtype=np.int64)
        if not len(values):
            return np.zeros(0, dtype=np.int64)
        words = np.frombuffer(b"".join(values), "<u4")
        heads = np.cumsum(counts + 1) - (counts + 1)  # each value's count word
        keep = np.ones(words.size, dtype=bool)
        keep[heads] = False
        total = np.cumsum(words[keep], dtype=np.int64)
        starts = np.cumsum(counts) - counts
        before = np.where(starts > 0, total[np.maximum(starts - 1, 0)], 0)
        return total - np.repeat(before, counts)

    def word_values(self, value, analyzer, **kwargs):  # type: ignore[no-untyped-def]
        fast = _fast_terms(analyzer, value, kwargs)
        if fast is None:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        pattern, term = fast
        poses: dict[str, list[int]] = {}
        pos = None
        for number, word in enumerate(pattern.findall(value)):
            result = term(word)
            if result:
                pos = number if pos is None else pos + 1
                found = poses.get(result)
                if found is None:
                    poses[result] = [pos]
                else:
                    found.append(pos)
        boost = self.field_boost
        encode = self.encode
        for word, positions in poses.items():
            yield word, len(positions), float(len(positions)) * boost, encode(positions)


class FastFrequency(Frequency):
    """Whoosh's ``Frequency`` format with the same shortcut as :class:`FastPositions`."""

    def word_values(self, value, analyzer, **kwargs):  # type: ignore[no-untyped-def]
        fast = _fast_terms(analyzer, value, kwargs)
        if fast is None:
            return super().word_values(value, analyzer, **kwargs)
        pattern, term = fast
        freqs: dict[str, int] = {}
        for word in pattern.findall(value):
            result = term(word)
            if result:
                freqs[result] = freqs.get(result, 0) + 1
        boost = self.field_boost
        return ((w, f, float(f) * boost, pack_uint(f)) for w, f in freqs.items())


def fast_format(format_: Format) -> Format:
    """The fast twin of a ``Positions`` or ``Frequency`` format (same options), else itself."""
    twin = {Positions: FastPositions, Frequency: FastFrequency}.get(type(format_))
    if twin is None:
        return format_
    fast = twin.__new__(twin)
    fast.__dict__.update(format_.__dict__)
    return fast


def normalise_language(language: str | None) -> str:
    """``"fr-FR"`` → ``"fr"``; empty → ``"fr"`` (the wiki's default content language)."""
    return (language or "fr").split("-")[0].split("_")[0].lower() or "fr"


def text_analyzer(language: str) -> Analyzer:
    """Body text: elision, stop words, folding, stemming (Snowball) for ``language``."""
    return RegexTokenizer(WORD) | WordFilter(normalise_language(language))


def title_analyzer(language: str) -> Analyzer:
    """Titles, headings, categories: like body text but no stop words, so every word counts."""
    return RegexTokenizer(WORD) | WordFilter(normalise_language(language), stop=False)


def spelling_analyzer(language: str) -> Analyzer:
    """Words as written (lower case, accents kept): the vocabulary for "did you mean"."""
    return RegexTokenizer(WORD) | WordFilter(normalise_language(language), stop=False,
                                             fold=False, stem=False)


def key_analyzer() -> Analyzer:
    """One token per line, folded: the exact-title keys used by Go and prefix search."""
    return RegexTokenizer(r"[^\n]+") | FoldFilter()


def words(text: str, language: str) -> list[str]:
    """The words of ``text`` as the spelling analyser sees them (for suggestions)."""
    return [t.text for t in spelling_analyzer(language)(text)]
