"""User query strings: cleaning, limits and parsing into Whoosh queries.

Owns what a resident may type in the search box and what it means: words (all required, as in
MediaWiki), ``"exact phrases"``, ``-excluded`` words, ``AND``/``OR``/``NOT``, trailing ``*`` for
a prefix, ``intitle:`` and ``incategory:``. Bad input never raises: control characters are
dropped, unbalanced quotes and brackets are closed or ignored, lone operators and bare wildcards
are removed; only an empty or over-long query is refused, with a message for the user.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import And, NullQuery, Or, Prefix, Query, Term, Wildcard

from .analysis import WORD

#: Longest query accepted (CirrusSearch's ``$wgCirrusSearchMaxFullTextQueryLength``).
MAX_QUERY_LENGTH = 300

#: Fields searched by default and their weights. A word found in the title (or a redirect)
#: weighs far more than anywhere in the text, so pages whose title matches come first. (One
#: query with these weights is 4x faster in Whoosh than OR-ing a separate title query.)
FIELD_BOOSTS: dict[str, float] = {
    "title": 100.0, "redirects": 60.0, "headings": 4.0, "categories": 3.0, "content": 1.0,
}

_ALIASES = {"title": ["intitle"], "categories": ["incategory"]}
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "-", "+"}
_WORD_RE = re.compile(WORD)


class QueryError(ValueError):
    """A query that cannot be run; ``message`` is for the reader, ``code`` for the API."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ParsedQuery:
    """The cleaned text and the Whoosh query over the weighted fields."""

    text: str
    query: Query

    def ranked(self) -> Query:
        """The query to run (title matches weigh most, see ``FIELD_BOOSTS``)."""
        return self.query


class _Matches:
    """A ``pre*`` or ``pa*ern`` query matching each page once, with the query's weight.

    Whoosh ORs one scorer per expanded term (hundreds for a four-letter prefix) and spends
    most of a query re-balancing that tree; here the pages of every expanded term are merged
    into one sorted list (``lav*`` over 10,000 pages: 155 ms → a few ms). Every match scores
    the field's weight, so a title starting with the prefix still ranks first.
    """

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        reader = searcher.reader()
        fieldname = self.field()  # type: ignore[attr-defined]
        found: set[int] = set()
        for word in self._btexts(reader):  # type: ignore[attr-defined]
            if word:
                found.update(reader.postings(fieldname, word).all_ids())
        if not found:
            return NullMatcher()
        return ListMatcher(sorted(found), all_weights=self.boost or 1.0)  # type: ignore[attr-defined]


class FlatPrefix(_Matches, Prefix):
    """``Prefix`` whose matches are merged into one list (see ``_Matches``)."""


class FlatWildcard(_Matches, Wildcard):
    """``Wildcard`` whose matches are merged into one list (see ``_Matches``)."""


def _flatten(query: Query) -> Query:
    if type(query) is Prefix:
        return FlatPrefix(query.fieldname, query.text, boost=query.boost)
    if type(query) is Wildcard:
        return FlatWildcard(query.fieldname, query.text, boost=query.boost)
    return query


def clean(text: str) -> str:
    """Remove control and format characters, collapse spaces; raise ``QueryError`` if too long.

    :raises QueryError: ``toolong`` beyond ``MAX_QUERY_LENGTH`` characters.
    """
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
                   else c for c in text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError("toolong", f"The query is too long: at most {MAX_QUERY_LENGTH} "
                                    f"characters, this one has {len(text)}.")
    return text


def _tidy(text: str) -> str:
    """Balance quotes and brackets, drop bare wildcards and dangling operators."""
    if text.count('"') % 2:
        head, _, tail = text.rpartition('"')
        text = head + " " + tail
    depth, out = 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                continue
            depth -= 1
        out.append(char)
    text = "".join(out) + ")" * depth
    tokens = []
    for token in text.split(" "):
        if "*" in token or "?" in token:
            token = _tame_wildcards(token)
        if token:
            tokens.append(token)
    while tokens and tokens[0] in _OPERATORS - {"NOT", "-"}:
        tokens.pop(0)
    while tokens and tokens[-1] in _OPERATORS:
        tokens.pop()
    return " ".join(tokens)


def _tame_wildcards(token: str) -> str:
    """Keep ``*`` only after two or more letters (``lav*``); drop it elsewhere.

    A bare ``*`` or a leading wildcard would make Whoosh enumerate the whole vocabulary;
    ``?`` is punctuation in a question far more often than a wildcard, so it is dropped.
    """
    token = token.replace("?", " ").strip()
    head = token.split("*", 1)[0]
    stem = head.lstrip('-+("').split(":")[-1]
    if len(stem) >= 2 and _WORD_RE.fullmatch(stem):
        return token
    return token.replace("*", "")


def _parser(fields: dict[str, float], schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(fields), schema, fieldboosts=fields,
                                      group=qparser.AndGroup)
    for plugin in (qparser.SingleQuotePlugin, qparser.RangePlugin, qparser.BoostPlugin,
                   qparser.EveryPlugin):
        parser.remove_plugin_class(plugin)
    # "-word" excludes a word only at the start of a word: "Saint-Marc" stays one name.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    parser.add_plugin(qparser.FieldAliasPlugin(_ALIASES))
    return parser


def _fallback(text: str, fields: dict[str, float], schema: Schema) -> Query:
    """Plain words of ``text``, all required: used when the query syntax is unusable."""
    terms = []
    for word in _WORD_RE.findall(text):
        alternatives = []
        for name, boost in fields.items():
            for token in schema[name].process_text(word, mode="query"):
                alternatives.append(Term(name, token, boost=boost))
        if alternatives:
            terms.append(Or(alternatives))
    return And(terms).normalize() if terms else NullQuery


def parse(text: str, schema: Schema) -> ParsedQuery:
    """Parse a resident's query.

    :raises QueryError: ``empty`` when nothing searchable is left, ``toolong`` when too long.
    """
    text = clean(text)
    tidy = _tidy(text)
    if not _WORD_RE.search(tidy):
        raise QueryError("empty", "Type one or more words to search for.")
    try:
        query = _parser(FIELD_BOOSTS, schema).parse(tidy).normalize()
    except Exception:  # Whoosh's parser has corner cases; plain words still work.
        query = _fallback(tidy, FIELD_BOOSTS, schema)
    if query is NullQuery:
        query = _fallback(tidy, FIELD_BOOSTS, schema)
    if query is NullQuery:
        raise QueryError("empty", "Type one or more words to search for.")
    return ParsedQuery(text=text, query=query.accept(_flatten))
