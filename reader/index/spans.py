"""Hit spans and snippets: where a query matches in a document's text, from the
index's postings, and the one-line window of a result that shows the most hits.

Apart from the index class because the spans are plain character offsets
(:data:`reader.results.Span`): computed from postings here, merged and cut into
snippets without Whoosh.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from whoosh.matching import Matcher
from whoosh.query import NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from reader.index.query_forms import _Expanded
from reader.results import Span

SNIPPET_WIDTH = 120


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def make_snippet(text: str, spans: list[Span], width: int = SNIPPET_WIDTH) -> tuple[str, list[Span]]:
    """The *width*-character window holding the most hits, on one line.

    *spans* are sorted and non-overlapping (as :func:`merge_spans` returns them),
    so their ends are sorted too and each window's count is one bisection."""
    if not spans:
        window_start = 0
    else:
        ends = [end for _start, end in spans]
        best_count, window_start = -1, spans[0][0]
        for index_, (start, _end) in enumerate(spans):
            count = bisect_right(ends, start + width, lo=index_) - index_
            if count > best_count:
                best_count, window_start = count, start
        window_start = max(0, window_start - width // 4)
        # Start on a word boundary so the snippet does not open mid-word.
        boundary = text.rfind(" ", max(0, window_start - 15), window_start + 1)
        if boundary != -1 and window_start:
            window_start = boundary + 1
    window_end = min(len(text), window_start + width)
    fragment = text[window_start:window_end].replace("\n", " ").replace("\t", " ")
    prefix = "…" if window_start > 0 else ""
    suffix = "…" if window_end < len(text) else ""
    shift = len(prefix) - window_start
    inside = [
        (max(start, window_start) + shift, min(end, window_end) + shift)
        for start, end in spans
        if start < window_end and end > window_start
    ]
    return prefix + fragment + suffix, inside


def spans_for(searcher: Searcher, query: Query, docnums: list[int]) -> dict[int, list[Span]]:
    """Character spans of every match of *query* in each document, from the
    postings: a phrase lights up only where the phrase occurs.

    Leaf by leaf: a plain term's spans come straight from its postings'
    character offsets, without Whoosh's Span objects (a common word has
    dozens per document, and building them was most of the work)."""
    wanted = sorted(set(docnums))
    if not wanted or query is NullQuery:
        return {}
    raw: dict[int, list[Span]] = {}
    leaves = query.subqueries if isinstance(query, Or) else [query]
    for leaf in leaves:
        _leaf_spans(searcher, leaf, wanted, raw)
    return {docnum: merge_spans(found) for docnum, found in raw.items()}


def _leaf_spans(searcher: Searcher, leaf: Query, wanted: list[int], raw: dict[int, list[Span]]) -> None:
    if isinstance(leaf, _Expanded) and leaf.is_broad and leaf.fieldname in searcher.schema:
        _broad_pattern_spans(searcher, leaf, wanted, raw)
        return
    plain_term = isinstance(leaf, Term) and leaf.boost == 1.0
    # needs_current: otherwise a wildcard or fuzzy term expanding to 3+ words on
    # a small index gets Whoosh's preloaded ArrayUnionMatcher, which has no
    # spans(), and its hits would never be highlighted.
    _matcher_spans(leaf.matcher(searcher, searcher.context(needs_current=True)), wanted, raw, plain_term)


def _broad_pattern_spans(searcher: Searcher, leaf: Query, wanted: list[int], raw: dict[int, list[Span]]) -> None:
    """Spans of a pattern with many words (``con*``: 1,500) in the *wanted*
    documents: only the words that occur in them are read, each from its own
    postings.  Whoosh's way, a union tree of a matcher per word skipped to each
    document, cost as much as ranking the whole query, and above 1,024 words it
    takes a matcher without spans: nothing was lit."""
    reader = searcher.reader()
    wanted_set = set(wanted)
    fieldname = leaf.fieldname  # type: ignore[attr-defined]
    for term, documents in leaf.documents_of_words(reader).items():  # type: ignore[attr-defined]
        present = wanted_set.intersection(documents)
        if present:
            _matcher_spans(reader.postings(fieldname, term), sorted(present), raw, plain_term=True)


def _matcher_spans(matcher: Matcher, wanted: list[int], raw: dict[int, list[Span]], plain_term: bool) -> None:
    """Add to *raw* the spans *matcher* has in each of the sorted *wanted* documents;
    a plain term's straight from its postings' character offsets."""
    for docnum in wanted:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() != docnum:
            continue
        try:
            if plain_term and matcher.supports("characters"):
                found = [(start, end) for _position, start, end in matcher.value_as("characters")]
            else:
                found = [(span.startchar, span.endchar) for span in matcher.spans()]
        except Exception:  # a query type without span support: no highlights
            found = []
        spans = raw.setdefault(docnum, [])
        spans.extend((start, end) for start, end in found if start is not None and end is not None)
