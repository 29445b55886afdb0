"""The query language: parsing, validation, highlight queries and "did you mean".

One language for the TUI and ``iatse-reader search`` (Whoosh's syntax):

* words, all required (``strike vote``); ``OR``; ``NOT word`` or ``-word``;
* ``"phrases"`` with optional slop (``"rest periods"~3``), across line breaks;
* ``wild*`` / ``wi?d`` and ``fuzzy~`` / ``fuzzy~2`` — matched against the words
  *as written* (an unstemmed field beside each stemmed one), so ``negotiat*``
  finds "negotiations" and ``hutchens~`` finds "Hutchins";
* fields ``title:``, ``source:``, ``note:`` (notes only) and ``content:``.

Plain words and phrases are stemmed (Porter2), so ``strikes`` finds "striking".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh import fields, qparser
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.lang.porter2 import stem
from whoosh.query import AndNot, FuzzyTerm, Not, NullQuery, Or, Prefix, Query, Regex, Wildcard

MAX_QUERY_LENGTH = 1000
TOKEN_EXPRESSION = r"\w+(\.?\w+)*"
USER_FIELDS = ("title", "source", "note", "content")
DEFAULT_FIELDS = ["title", "content", "source", "note"]
# Wildcards and fuzzy terms run on the unstemmed twin of a field.
EXACT_TWIN = {"title": "title_exact", "content": "content_exact", "note": "note_exact",
              "source": "source"}
_PATTERN_QUERIES = (Wildcard, Prefix, FuzzyTerm, Regex)
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


class QueryError(ValueError):
    """A query we cannot run; the message is one line, for users."""


def stemming_analyzer() -> StemmingAnalyzer:
    # Not the defaults: they keep "*" inside tokens (``**class union.**`` would be
    # unsearchable) and their Porter stemmer turns "running" into "runn".
    return StemmingAnalyzer(expression=TOKEN_EXPRESSION, stemfn=stem)


def exact_analyzer() -> StandardAnalyzer:
    """The same words as :func:`stemming_analyzer`, lowercased but not stemmed."""
    return StandardAnalyzer(expression=TOKEN_EXPRESSION)


_FIELD_PREFIX = re.compile(r"(?<![\w\"])([A-Za-z_]\w*):")
_FIELD_WITHOUT_VALUE = re.compile(r"(?<![\w\"])([A-Za-z_]\w*):(?=\s|$|\))")


def check_query_text(text: str) -> None:
    """Catch what Whoosh's lenient parser would silently misread."""
    stripped = text.strip()
    if not stripped:
        raise QueryError("Empty query: type some words to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Query too long ({len(text)} characters; the limit is {MAX_QUERY_LENGTH}).")
    if any(ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0 for character in text):
        raise QueryError("The query contains control characters.")
    if text.count('"') % 2:
        raise QueryError('Unbalanced quotes: close the phrase with a second ".')
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth < 0:
            raise QueryError("Unbalanced parentheses: a ')' has no matching '('.")
    if depth:
        raise QueryError("Unbalanced parentheses: a '(' is never closed.")
    outside_phrases = re.sub(r'"[^"]*"', " ", text)
    for match in _FIELD_PREFIX.finditer(outside_phrases):
        if match.group(1) not in USER_FIELDS:
            known = ", ".join(f"{name}:" for name in USER_FIELDS)
            raise QueryError(f"Unknown field {match.group(1)}: (fields are {known}).")
    if match := _FIELD_WITHOUT_VALUE.search(outside_phrases):
        raise QueryError(f"{match.group(1)}: needs a word after it, e.g. {match.group(1)}:strike.")
    words = [w.lstrip("+-") for w in stripped.replace("(", " ").replace(")", " ").split()]
    words = [w for w in words if w]
    if not words or all(word in OPERATORS for word in words):
        raise QueryError("The query has only operators (AND/OR/NOT) and no words.")


class _ReaderParser(qparser.QueryParser):
    """Sends wildcard and fuzzy terms to the unstemmed twin of their field."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if termclass in _PATTERN_QUERIES and fieldname in EXACT_TWIN:
            fieldname = EXACT_TWIN[fieldname]
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def make_parser(fieldnames: list[str], schema: fields.Schema) -> qparser.QueryParser:
    if len(fieldnames) == 1:
        parser = _ReaderParser(fieldnames[0], schema)
    else:
        parser = _ReaderParser(None, schema)
        parser.add_plugin(qparser.MultifieldPlugin(fieldnames))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.PlusMinusPlugin())
    return parser


def positive_leaves(query: Query) -> Iterator[Query]:
    """The leaf queries that say what to find (not what to exclude)."""
    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from positive_leaves(query.a)
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from positive_leaves(child)


def leaves_in_fields(query: Query, fieldnames: set[str]) -> Query:
    """An OR of the query's positive leaves that search *fieldnames*: what to
    light up in a document, even where the document matched on another field."""
    leaves = [leaf for leaf in positive_leaves(query) if getattr(leaf, "fieldname", None) in fieldnames]
    if not leaves:
        return NullQuery
    return leaves[0] if len(leaves) == 1 else Or(leaves)


class QueryCompiler:
    """Turns the user's text into the ranking query and the highlighting queries."""

    def __init__(self, schema: fields.Schema) -> None:
        self._parser = make_parser(DEFAULT_FIELDS, schema)

    def compile(self, text: str) -> Query:
        check_query_text(text)
        try:
            ranking = self._parser.parse(text)
        except Exception as error:  # Whoosh raises assorted errors on odd syntax
            raise QueryError(f"Cannot understand the query: {error}") from error
        if ranking is NullQuery or not list(positive_leaves(ranking)):
            raise QueryError("Nothing to search for: the query has only very common words or exclusions.")
        return ranking


_PLAIN_WORD = re.compile(r"(?<![\w:*?~\-+])([^\W\d_][\w']*)(?![\w*?~:])")


def plain_words(text: str) -> Iterator[re.Match[str]]:
    """Words a spelling correction may replace: not operators, field names,
    wildcards or fuzzy terms."""
    for match in _PLAIN_WORD.finditer(text):
        if match.group(1) not in OPERATORS:
            yield match
