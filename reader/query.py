"""The query language: parsing, validation, highlight queries and "did you mean".

One language for the TUI and ``iatse-reader search`` (Whoosh's syntax):

* words, all required (``strike vote``); ``OR``; ``NOT word`` or ``-word`` (the
  same query in every position);
* ``"phrases"`` with optional slop (``"rest periods"~3``), across line breaks;
  every word counts in a phrase (``"is not"``, ``"for the world"``), while a
  bag of words ignores the very common ones (``the``, ``of``, ...) and single
  letters;
* ``low-paid``: a hyphenated word is the phrase of its parts, or the parts
  written together (``"low paid" OR lowpaid``), so it matches ``low-paid``,
  ``low paid`` and ``lowpaid`` in the text;
* ``wild*`` / ``wi?d`` and ``fuzzy~`` / ``fuzzy~2`` — matched against the words
  *as written* (an unstemmed field beside each stemmed one), so ``negotiat*``
  finds "negotiations" and ``hutchens~`` finds "Hutchins";
* fields ``title:``, ``source:``, ``note:`` (notes only) and ``content:``.

Plain words and phrases are stemmed (Porter2), so ``strikes`` finds "striking".

Every word of a document is indexed, stop words and one-letter words included
(phrases need them).  Terminal escape sequences left in a text (``␛[31m`` after
:func:`reader.corpus.clean_text`) are not words and do not glue to the word
they touch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from whoosh import fields, qparser
from whoosh.analysis import Analyzer, Filter, LowercaseFilter, RegexTokenizer, StemFilter, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter2 import stem
from whoosh.matching import AndNotMatcher, Matcher
from whoosh.query import (
    And, AndNot, FuzzyTerm, Not, NullQuery, Or, Prefix, Query, Regex, Term, Wildcard,
)

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


# A terminal escape sequence as clean_text leaves it (ESC shown as "␛"): CSI
# (``␛[31m``), OSC (``␛]0;title␇``, BEL shown as "␇") and the two-character forms.
_ESCAPE_SEQUENCE = r"␛(?:\[[0-?]*[ -/]*[@-~]?|\][^␇␛]*(?:␇|␛\\)?|[ -/]*[0-~]?)"


class WordTokenizer(RegexTokenizer):
    """The words of a text (:data:`TOKEN_EXPRESSION`), skipping terminal escape
    sequences: in ``␛[31mredcolour`` the word is ``redcolour``, not
    ``31mredcolour``.  Positions count words only, so a phrase spans an escape."""

    def __init__(self) -> None:
        super().__init__(f"(?P<escape>{_ESCAPE_SEQUENCE})|{TOKEN_EXPRESSION}")

    def __call__(  # type: ignore[override]
        self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
        removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
        mode: str = "", **kwargs: object,
    ) -> Iterator[Token]:
        if not tokenize or "␛" not in value:  # the common case: Whoosh's own loop
            yield from super().__call__(value, positions, chars, keeporiginal, removestops, start_pos,
                                        start_char, tokenize, mode, **kwargs)
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for match in self.expression.finditer(value):
            if match.group("escape") is not None:
                continue
            token.text = match.group(0)
            token.boost = 1.0
            if keeporiginal:
                token.original = token.text
            token.stopped = False
            if positions:
                token.pos = position
            position += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def stemming_analyzer() -> Analyzer:
    # Not Whoosh's StemmingAnalyzer: it keeps "*" inside tokens (``**class union.**``
    # would be unsearchable), its Porter stemmer turns "running" into "runn", and
    # it drops stop words and one-letter words, which phrases need.
    return WordTokenizer() | LowercaseFilter() | StemFilter(stemfn=stem, cachesize=50000)


def exact_analyzer() -> Analyzer:
    """The same words as :func:`stemming_analyzer`, lowercased but not stemmed."""
    return WordTokenizer() | LowercaseFilter()


PAIR_SEPARATOR = " "  # never inside a word, so "a b" is unambiguous


def pair_text(first: str, second: str) -> str:
    """The term of the word-pair field for two adjacent (stemmed) words."""
    return first + PAIR_SEPARATOR + second


class PairFilter(Filter):
    """Each two adjacent words as one token (``"regular express"``), at the first
    word's position, spanning both words' characters: a two-word phrase is then
    one term, and a longer one a phrase of a few rare pairs instead of many
    common words (``"the default value"``: the pairs are far rarer than "the")."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        previous: tuple[str, int, int] | None = None  # text, position, start character
        for token in tokens:
            if token.stopped:
                continue
            text = token.text
            position = getattr(token, "pos", None)
            start = getattr(token, "startchar", None)
            if previous is not None:
                token.text = pair_text(previous[0], text)
                if position is not None:
                    token.pos = previous[1]
                if start is not None:
                    token.startchar = previous[2]
                yield token
            previous = (text, position, start)  # type: ignore[assignment]


def pairs_analyzer() -> Analyzer:
    """The stemmed words of :func:`stemming_analyzer`, two by two (see :class:`PairFilter`)."""
    return stemming_analyzer() | PairFilter()


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


# A loose word shorter than this is left out of a bag of words, as a stop word is:
# one letter ("s" of "user's", "d" typed first) matches thousands of documents.
MIN_LOOSE_WORD = 2


class _ReaderParser(qparser.QueryParser):
    """Sends wildcard and fuzzy terms to the unstemmed twin of their field, and
    leaves the very common words (stop words, single letters) out of a bag of
    words (the index has them, for phrases; as loose words they would match
    nearly every document)."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if termclass in _PATTERN_QUERIES and fieldname in EXACT_TWIN:
            fieldname = EXACT_TWIN[fieldname]
        elif removestops and termclass is Term and fieldname in self.schema:
            words = list(self.schema[fieldname].process_text(text, mode="query", tokenize=tokenize))
            if all(word in STOP_WORDS or len(word) < MIN_LOOSE_WORD for word in words):
                return None
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def make_parser(fieldnames: list[str], schema: fields.Schema) -> qparser.QueryParser:
    if len(fieldnames) == 1:
        parser = _ReaderParser(fieldnames[0], schema)
    else:
        parser = _ReaderParser(None, schema)
        parser.add_plugin(qparser.MultifieldPlugin(fieldnames))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    # No PlusMinusPlugin: ``-word`` is rewritten to ``NOT word`` (see
    # rewrite_signs); the plugin only understood signs in the top-level group and
    # failed on ``a OR (b -c)``.
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


# A hyphenated word outside a phrase: ``low-paid``, ``COVID-19``, ``title:e-mail``
# (not ``-word``, an exclusion, nor ``strike -vote``).
_HYPHENATED = re.compile(r"(?<![\w\-+*?~\\])(\w+(?:-\w+)+)(?![\w\-])([*?~]?)")
_PHRASE = re.compile(r'"[^"]*"')


def _hyphenated_as_phrase(match: re.Match[str]) -> str:
    word, pattern_after = match.group(1), match.group(2)
    parts = word.split("-")
    if pattern_after:  # a wildcard or fuzzy term cannot be a phrase: its parts, all required
        return " ".join(parts) + pattern_after
    return f'("{" ".join(parts)}" OR {"".join(parts)})'


# A sign that opens a term: "-word", "+word", "(-word", "-title:x", '-"a b"'.
_SIGN = re.compile(r"(?:(?<=[\s(])|^)[-+]+")


def _outside_phrases(text: str, rewrite: Callable[[str], str]) -> str:
    pieces, position = [], 0
    for phrase in _PHRASE.finditer(text):
        pieces.append(rewrite(text[position:phrase.start()]))
        pieces.append(phrase.group(0))
        position = phrase.end()
    pieces.append(rewrite(text[position:]))
    return "".join(pieces)


def _rewrite_piece(piece: str) -> str:
    # Signs first: in "-low-paid" the word after the sign is hyphenated too.
    piece = _SIGN.sub(lambda sign: "NOT " if "-" in sign.group(0) else "", piece)
    return _HYPHENATED.sub(_hyphenated_as_phrase, piece)


def rewrite_hyphens_and_signs(text: str) -> str:
    """*text* in the words Whoosh's parser reads as meant, outside phrases:

    * a hyphenated word is the phrase of its parts or the parts joined
      (``low-paid`` -> ``("low paid" OR lowpaid)``; the parser read the hyphen
      as NOT: ``low ANDNOT paid``);
    * ``-word`` is ``NOT word`` and ``+word`` is ``word`` (every word is
      required anyway), so the two spellings of an exclusion are one query."""
    return _outside_phrases(text, _rewrite_piece)


class _AndNotMatcher(AndNotMatcher):
    """Whoosh's AndNotMatcher, which keeps the first document of *a* even when
    *b* matches it, if *b*'s first match came earlier (its ``_find_first`` only
    looks when both start on the same document): ``Hollywood -strike`` listed a
    document containing "strike"."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _AndNot(AndNot):
    """:class:`whoosh.query.AndNot` matched with :class:`_AndNotMatcher`."""

    def matcher(self, searcher, context=None) -> Matcher:  # type: ignore[no-untyped-def]
        wanted = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(wanted, excluded)


def _with_exclusions_fixed(query: Query) -> Query:
    """*query* with every exclusion matched one way: ``a -b`` (AndNot) and
    ``a NOT b`` (an And holding a Not) both become :class:`_AndNot`, so the two
    spellings give the same documents wherever they stand."""
    if query.is_leaf():
        return query
    query = query.apply(_with_exclusions_fixed)
    if type(query) is AndNot:
        return _AndNot(query.a, query.b)
    if type(query) is And:
        excluded = [child.query for child in query.subqueries if isinstance(child, Not)]
        wanted = [child for child in query.subqueries if not isinstance(child, Not)]
        if excluded and wanted:
            kept = wanted[0] if len(wanted) == 1 else And(wanted, boost=query.boost)
            return _AndNot(kept, excluded[0] if len(excluded) == 1 else Or(excluded))
    return query


class QueryCompiler:
    """Turns the user's text into the ranking query and the highlighting queries."""

    def __init__(self, schema: fields.Schema) -> None:
        self._parser = make_parser(DEFAULT_FIELDS, schema)

    def compile(self, text: str) -> Query:
        check_query_text(text)
        try:
            ranking = self._parser.parse(rewrite_hyphens_and_signs(text))
        except Exception as error:  # Whoosh raises assorted errors on odd syntax
            raise QueryError(f"Cannot understand the query: {error}") from error
        if ranking is NullQuery or not list(positive_leaves(ranking)):
            raise QueryError("Nothing to search for: the query has only very common words or exclusions.")
        return _with_exclusions_fixed(ranking)


_PLAIN_WORD = re.compile(r"(?<![\w:*?~\-+])([^\W\d_][\w']*)(?![\w*?~:])")


def plain_words(text: str) -> Iterator[re.Match[str]]:
    """Words a spelling correction may replace: not operators, field names,
    wildcards or fuzzy terms."""
    for match in _PLAIN_WORD.finditer(text):
        if match.group(1) not in OPERATORS:
            yield match
