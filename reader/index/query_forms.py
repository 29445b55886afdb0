"""Forms of a compiled query that Whoosh runs faster, with the same documents
and scores: phrases of the text looked up as word pairs, phrases ranked on
positions only, and fuzzy terms and wildcards matched as the list of words they
expand to.

Each is a rewrite of a query tree (see :func:`_with_children`); the index
searches with them and computes the hit spans shown from the ranking query.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.matching import Matcher, NullMatcher, WrappingMatcher
from whoosh.query import FuzzyTerm, Or, Phrase, Prefix, Query, SpanNear2, Term, Wildcard
from whoosh.query.spans import Span as WhooshSpan
from whoosh.searching import Searcher

from reader.query import pair_text


def _position_spans(matcher: Matcher) -> list[WhooshSpan]:
    return [WhooshSpan(position) for position in matcher.value_as("positions")]


class _PositionTerm(Term):
    """A phrase's word whose matcher gives spans from positions only.  Whoosh's
    matcher decodes each occurrence's character offsets too and builds a span
    object with them: over a third of ranking a common phrase, and ranking
    only compares positions (the hit spans shown are computed afterwards, with
    characters, by :func:`reader.index.spans.spans_for`)."""

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        found = super().matcher(searcher, context)
        if found.is_active() and found.supports("positions"):
            found.spans = lambda: _position_spans(found)  # type: ignore[method-assign]
        return found


class _RankingPhrase(Phrase):
    """:class:`whoosh.query.Phrase` matched with :class:`_PositionTerm` words (its
    own ``matcher()``, otherwise unchanged): the same documents and scores."""

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        field_ = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if field_ is None or not field_.format or not field_.format.supports("positions"):
            return super().matcher(searcher, context)
        reader = searcher.reader()
        words = []
        for word in self.words:
            try:
                text = field_.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, text) not in reader:
                return NullMatcher()  # a word the field never had: no phrase
            words.append(_PositionTerm(self.fieldname, text))
        found = SpanNear2(words, slop=self.slop, ordered=True, mindist=1).matcher(searcher, context)
        return found if self.boost == 1.0 else WrappingMatcher(found, boost=self.boost)


_CHILD_ATTRIBUTES = {"subqueries", "a", "b", "child", "query"}  # where Whoosh's query nodes keep children


def _rebuilt(query: Query, children: list[Query]) -> Query:
    """*query* (not a leaf) with *children* in place of its own, every other
    attribute kept."""
    rebuilt = query.apply(lambda _child, new_children=iter(children): next(new_children))
    for name, value in vars(query).items():  # apply() keeps only the children and boost
        if name not in _CHILD_ATTRIBUTES:
            setattr(rebuilt, name, value)
    return rebuilt


def _with_children(query: Query, rewrite: Callable[[Query], Query]) -> Query:
    """*query* with *rewrite* applied to each of its children; *query* itself when
    it is a leaf or no child changed, so a tree with nothing to rewrite is not
    copied (and is the same object: "nothing to rewrite" is told by identity)."""
    if query.is_leaf():
        return query
    children = list(query.children())
    rewritten = [rewrite(child) for child in children]
    if all(new is old for new, old in zip(rewritten, children)):
        return query
    return _rebuilt(query, rewritten)


# A pattern expanding to at least this many words is ranked from the union of
# their documents (see _Expanded.matcher).
UNION_MIN_WORDS = 8


class _Expanded:
    """A pattern query (fuzzy term, prefix, wildcard) whose words were found in
    the field's :class:`Vocabulary` (the ``expansion``).

    Ranked, a pattern gives every document it matches the same score; for many
    words Whoosh still steps a tree of one matcher per word (``con*``: 1,500
    matchers, seconds), so the documents are read from the postings once and
    walked as one list.  The same word -> documents map then gives the spans of
    the results shown (:func:`reader.index.spans._broad_pattern_spans`): only
    the words that occur in them are opened again."""

    expansion: list[str] = []
    fieldname: str
    boost: float
    constantscore: bool
    # (reader, {word: its documents}), read once per query and reader.
    _documents_of_words: tuple[object, dict[bytes, list[int]]] | None = None

    def _btexts(self, ixreader: object) -> list[str]:
        return self.expansion

    @property
    def is_broad(self) -> bool:
        """Many words: ranked from the union of their documents, spans word by word."""
        return len(self.expansion) >= UNION_MIN_WORDS

    def documents_of_words(self, reader: object) -> dict[bytes, list[int]]:
        """Each expansion word in *reader* (as the term it is in the field) -> the
        documents holding it; read once per query and reader."""
        cached = self._documents_of_words
        if cached is not None and cached[0] is reader:
            return cached[1]
        from whoosh.reading import TermNotFound

        found: dict[bytes, list[int]] = {}
        for word in self.expansion:  # from the field's vocabulary: each is there, but for a race
            term = word.encode("utf-8")
            try:
                found[term] = list(reader.postings(self.fieldname, term).all_ids())  # type: ignore[attr-defined]
            except TermNotFound:
                continue
        self._documents_of_words = (reader, found)
        return found

    def documents(self, reader: object) -> set[int]:
        """Every document holding one of the expansion words, in *reader*."""
        documents: set[int] = set()
        for ids in self.documents_of_words(reader).values():
            documents.update(ids)
        return documents

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        if not self.is_broad or not self.constantscore \
                or getattr(context, "needs_current", False) or self.fieldname not in searcher.schema:
            return super().matcher(searcher, context)  # type: ignore[misc]
        from whoosh.matching import ListMatcher

        documents = self.documents(searcher.reader())
        if not documents:
            return NullMatcher()
        return ListMatcher(sorted(documents), all_weights=self.boost)


class _ExpandedFuzzyTerm(_Expanded, FuzzyTerm):
    pass


class _ExpandedPrefix(_Expanded, Prefix):
    pass


class _ExpandedWildcard(_Expanded, Wildcard):
    pass


_EXPANDED: dict[type, type] = {FuzzyTerm: _ExpandedFuzzyTerm, Prefix: _ExpandedPrefix, Wildcard: _ExpandedWildcard}


def _with_expansion(query: Query, words: list[str]) -> Query:
    """A copy of the pattern *query* that matches exactly *words* (otherwise the
    same query: field, boost, scoring)."""
    import copy

    expanded = copy.copy(query)
    expanded.__class__ = _EXPANDED[type(query)]  # same fields: only _btexts differs
    expanded.expansion = words  # type: ignore[attr-defined]
    return expanded


def _with_pairs(query: Query) -> Query:
    """*query* with each exact phrase of the text (``content``, no slop) looked up
    in the word-pair field: two words are one term, more words a phrase of
    their pairs (each pair one position after the last), which walks the few
    places a rare pair occurs instead of every "the"."""
    if type(query) is Phrase:
        if query.fieldname != "content" or query.slop != 1 or len(query.words) < 2 \
                or not all(isinstance(word, str) for word in query.words):
            return query
        pairs = [pair_text(first, second) for first, second in zip(query.words, query.words[1:])]
        if len(pairs) == 1:
            return Term("content_pairs", pairs[0], boost=query.boost)
        return Phrase("content_pairs", pairs, boost=query.boost)
    return _with_children(query, _with_pairs)


class _PatternUnion(Or):
    """An OR of broad patterns, one a field (``con*`` in the title and in the
    text), ranked as Whoosh ranks it, each document the sum of the boosts of the
    fields it matches in, from one list of documents and scores.  Whoosh's union
    tree of a matcher a field costs ~10 µs a document in Python: ``con*`` matches
    three quarters of a collection."""

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        if getattr(context, "needs_current", False):
            return super().matcher(searcher, context)
        from whoosh.matching import ListMatcher

        reader = searcher.reader()
        scores: dict[int, float] = {}
        for pattern in self.subqueries:
            if pattern.fieldname not in searcher.schema:  # type: ignore[attr-defined]
                continue
            for docnum in pattern.documents(reader):  # type: ignore[attr-defined]
                scores[docnum] = scores.get(docnum, 0.0) + pattern.boost
        if not scores:
            return NullMatcher()
        ordered = sorted(scores)
        return ListMatcher(ordered, weights=[scores[docnum] * self.boost for docnum in ordered])


def _pattern_union(query: Query) -> Query | None:
    """*query* as a :class:`_PatternUnion` when it is a plain OR of broad
    constant-score patterns (fields whose expansion is empty match nothing and
    are left out); None when it is not."""
    if type(query) is not Or or query.scale is not None:
        return None
    patterns = [child for child in query.subqueries if not (isinstance(child, _Expanded) and not child.expansion)]
    if len(patterns) < 2 or not all(
            isinstance(child, _Expanded) and child.is_broad and child.constantscore for child in patterns):
        return None
    return _PatternUnion(patterns, boost=query.boost)


def _ranking_form(query: Query) -> Query:
    """*query* with its phrases ranked on positions only (see :class:`_PositionTerm`)
    and its ORs of broad patterns from one list (:class:`_PatternUnion`); the query
    itself when it has neither."""
    if type(query) is Phrase:
        return _RankingPhrase(query.fieldname, query.words, slop=query.slop, boost=query.boost,
                              char_ranges=query.char_ranges)
    union = _pattern_union(query)
    if union is not None:
        return union
    return _with_children(query, _ranking_form)
